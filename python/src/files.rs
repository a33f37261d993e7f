//! Files and folders in, as `shuliang extract` and `shuliang panel` read
//! them: one [`Job`] per call, its sink the CSV format or the panel.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use shuliang::output::panel::{self, Panel};
use shuliang::output::scorecard;
use shuliang::output::{Bytes, Csv, Sink};
use shuliang::read::convert::Converter;
use shuliang::run::batch::{Selection, Summary};
use shuliang::run::Job;
use shuliang::Extractor;

use crate::{err, rules_or_default, Rules};

/// The line of Python a conversion child runs: its package put first on
/// the path (`argv[1]`), then [`serve`] on the kind (`argv[-1]`).
pub(crate) const SERVE: &str = "import sys; sys.path.insert(0, sys.argv[1]); \
    from shuliang import _shuliang; sys.exit(_shuliang.serve(sys.argv[-1]))";

/// How the binding converts PDF, Word and HTML: in a child process, as the
/// CLI does and within its default limits; the child is this interpreter
/// (isolated: `-I`) running [`SERVE`] with the folder this package was
/// loaded from.
pub(crate) fn converter(py: Python<'_>) -> PyResult<Converter> {
    static CONVERTER: OnceLock<Converter> = OnceLock::new();
    if let Some(c) = CONVERTER.get() {
        return Ok(c.clone());
    }
    let exe: PathBuf = py.import("sys")?.getattr("executable")?.extract()?;
    let module: PathBuf = py
        .import("shuliang._shuliang")?
        .getattr("__file__")?
        .extract()?;
    let root = module
        .parent()
        .and_then(|package| package.parent())
        .ok_or_else(|| err("cannot find the shuliang package's folder"))?;
    let c = Converter {
        exe: Some(exe),
        args: vec!["-I".into(), "-c".into(), SERVE.into(), root.into()],
        limits: Default::default(),
    };
    Ok(CONVERTER.get_or_init(|| c).clone())
}

/// The child's side of a conversion ([`converter`]): the file on stdin,
/// its text on stdout; returns the exit status.
#[pyfunction]
pub(crate) fn serve(py: Python<'_>, kind: &str) -> u8 {
    py.allow_threads(|| shuliang::read::convert::serve(kind))
}

/// What a run over files is given from Python.
pub(crate) struct Given {
    pub(crate) paths: Vec<String>,
    pub(crate) threads: Option<usize>,
    pub(crate) manifest: Option<String>,
    pub(crate) glob: Vec<String>,
    pub(crate) convert: Converter,
}

impl Given {
    /// What a binding entry point was given, with the converter every
    /// entry point shares.
    pub(crate) fn new(
        py: Python<'_>,
        paths: Vec<String>,
        threads: Option<usize>,
        manifest: Option<String>,
        glob: Option<Vec<String>>,
    ) -> PyResult<Given> {
        Ok(Given {
            paths,
            threads,
            manifest,
            glob: glob.unwrap_or_default(),
            convert: converter(py)?,
        })
    }

    /// The job over the paths, as `shuliang extract` gathers them.
    pub(crate) fn job<'a>(&self, ex: &'a Extractor) -> Result<Job<'a>, String> {
        if self.threads == Some(0) {
            return Err("threads must be at least 1".into());
        }
        let sel = Selection::new(&self.glob).map_err(|e| format!("bad glob: {e}"))?;
        let manifest = self
            .manifest
            .as_deref()
            .map(|m| match std::fs::File::open(m) {
                Ok(f) => Ok((m, f)),
                Err(e) => Err(format!("cannot read {m}: {e}")),
            })
            .transpose()?;
        let mut job = Job::gather(ex, &self.paths, &sel, manifest).map_err(|e| e.to_string())?;
        job.threads = self.threads;
        job.options.convert = self.convert.clone();
        Ok(job)
    }
}

/// Runs `job` into `sink`, each warning pushed to `warnings` as it comes.
pub(crate) fn run<S: Sink + Send + Sync>(
    job: &Job<'_>,
    sink: &mut S,
    warnings: &Mutex<Vec<String>>,
) -> Result<Summary, String> {
    job.run(sink, |e| {
        warnings
            .lock()
            .expect("no panic while holding the lock")
            .push(e.to_string())
    })
    .map_err(|e| e.to_string())
}

/// What `extract_files_csv` and `panel_csv` hand to Python: the CSV, the
/// warnings and the summary.
pub(crate) fn returned<'py>(
    py: Python<'py>,
    (out, warnings, summary): (Vec<u8>, Mutex<Vec<String>>, Summary),
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let warnings = warnings
        .into_inner()
        .expect("no panic while holding the lock");
    Ok((
        PyBytes::new(py, &out),
        PyList::new(py, warnings)?,
        summary_dict(py, &summary)?,
    ))
}

pub(crate) fn summary_dict<'py>(py: Python<'py>, s: &Summary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("documents", s.read)?;
    d.set_item("skipped", s.skipped)?;
    d.set_item("rows", s.rows)?;
    d.set_item("bytes", s.bytes)?;
    Ok(d)
}

/// Extracts files and folders as `shuliang extract` does; returns the CSV
/// bytes, the warnings and a summary.
#[pyfunction]
#[pyo3(signature = (paths, threads=None, manifest=None, glob=None, rules=None))]
#[allow(clippy::type_complexity)]
pub(crate) fn extract_files_csv<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let ex = rules_or_default(py, rules)?;
    let given = Given::new(py, paths, threads, manifest, glob)?;
    let done = py
        .allow_threads(|| -> Result<_, String> {
            let job = given.job(&ex)?;
            let fmt = Csv {
                extra: job.extra().to_vec(),
                ..Default::default()
            };
            let warnings = Mutex::new(Vec::new());
            let mut out = Vec::with_capacity(1 << 20);
            let summary = run(&job, &mut Bytes::new(&fmt, &mut out), &warnings)?;
            Ok((out, warnings, summary))
        })
        .map_err(err)?;
    returned(py, done)
}

/// The panel's cells of a run over `given` (with levels when `levels`),
/// written by `write` into CSV bytes with its warnings; the warnings and a
/// summary, as [`returned`] hands them on.
fn headline<'py>(
    py: Python<'py>,
    (given, rules): (Given, Option<Py<Rules>>),
    indicators: Vec<String>,
    levels: bool,
    write: impl FnOnce(&[panel::Cell], &mut Vec<u8>) -> Result<Vec<String>, String> + Send,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let ex = rules_or_default(py, rules)?;
    let done = py
        .allow_threads(|| -> Result<_, String> {
            let job = given.job(&ex)?;
            let warnings = Mutex::new(Vec::new());
            let mut sink = Panel::new(indicators, ex.rules()).with_levels(levels);
            let summary = run(&job, &mut sink, &warnings)?;
            let cells = sink.cells(&job.order());
            let mut out = Vec::new();
            let said = write(&cells, &mut out)?;
            warnings
                .lock()
                .expect("no panic while holding the lock")
                .extend(said);
            Ok((out, warnings, summary))
        })
        .map_err(err)?;
    returned(py, done)
}

/// The panel of files and folders as `shuliang panel` writes it (long or
/// wide CSV bytes, levels too with `levels`), the warnings and a summary.
#[pyfunction]
#[pyo3(signature = (paths, wide=false, indicators=None, threads=None, manifest=None, glob=None, rules=None, levels=false))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
pub(crate) fn panel_csv<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    wide: bool,
    indicators: Option<Vec<String>>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
    levels: bool,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let given = Given::new(py, paths, threads, manifest, glob)?;
    headline(
        py,
        (given, rules),
        indicators.unwrap_or_default(),
        levels,
        |cells, out| panel::write(cells, wide, false, out).map_err(|e| e.to_string()),
    )
}

/// The scorecard of files and folders as `shuliang scorecard` writes it
/// (CSV bytes), the warnings (documents that disagree) and a summary.
#[pyfunction]
#[pyo3(signature = (paths, indicators=None, threads=None, manifest=None, glob=None, rules=None))]
#[allow(clippy::type_complexity)]
pub(crate) fn scorecard_csv<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    indicators: Option<Vec<String>>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let given = Given::new(py, paths, threads, manifest, glob)?;
    let only = indicators.unwrap_or_default();
    headline(py, (given, rules), only.clone(), true, move |cells, out| {
        let (rows, warnings) = scorecard::scorecard(cells, &only);
        scorecard::write(&rows, false, out).map_err(|e| e.to_string())?;
        Ok(warnings)
    })
}
