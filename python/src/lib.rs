//! `shuliang._shuliang`: the compiled half of the Python package.
//!
//! A thin layer over the `shuliang` crate: it runs the library's
//! [`Job`], as the CLI does, with the CSV format as its sink, and hands the
//! bytes to Python, which `shuliang/__init__.py` reads into DataFrames
//! with the column table's types (`COLUMN_TABLE`). PDF, Word and HTML
//! files are converted in a child process within the CLI's limits: this
//! interpreter, running [`serve`]. Every long call runs with the GIL released.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use shuliang::output::columns::TABLE;
use shuliang::output::panel::{self, Panel};
use shuliang::output::{Bytes, Csv, Doc, Format, Sink};
use shuliang::read::convert::Converter;
use shuliang::run::batch::{Selection, Summary};
use shuliang::run::Job;
use shuliang::tools::check;
use shuliang::{Extractor, RuleSet};

create_exception!(
    _shuliang,
    ShuliangError,
    PyException,
    "An error of shuliang: a bad input, manifest or option."
);
create_exception!(
    _shuliang,
    RulesError,
    ShuliangError,
    "A rule file that cannot be used; the message names the file, line and rule."
);

fn rules_err(e: impl std::fmt::Display) -> PyErr {
    RulesError::new_err(e.to_string())
}

fn err(e: impl std::fmt::Display) -> PyErr {
    ShuliangError::new_err(e.to_string())
}

/// A rule file, loaded and compiled once.
#[pyclass(module = "shuliang", frozen)]
struct Rules {
    ex: Arc<Extractor>,
    /// Whether this is the embedded rule file (whose examples `cargo test` checks).
    embedded: bool,
    /// The first failing example, once looked at (`Some(None)`: all pass).
    checked: OnceLock<Option<String>>,
}

fn default_rules() -> PyResult<Py<Rules>> {
    static DEFAULT: OnceLock<Py<Rules>> = OnceLock::new();
    if let Some(r) = DEFAULT.get() {
        return Python::with_gil(|py| Ok(r.clone_ref(py)));
    }
    let rules = RuleSet::default_rules().map_err(rules_err)?;
    Python::with_gil(|py| {
        let r = Py::new(
            py,
            Rules {
                ex: Arc::new(Extractor::new(rules)),
                embedded: true,
                checked: OnceLock::new(),
            },
        )?;
        Ok(DEFAULT.get_or_init(|| r).clone_ref(py))
    })
}

impl Rules {
    /// The extractor, refused as the CLI refuses it when a rule file's
    /// examples fail (`extract --rules`).
    fn checked(&self) -> PyResult<Arc<Extractor>> {
        if !self.embedded {
            let first = self
                .checked
                .get_or_init(|| check::run_examples(&self.ex).refusal("Rules.test()"));
            if let Some(msg) = first {
                return Err(RulesError::new_err(msg.clone()));
            }
        }
        Ok(self.ex.clone())
    }
}

#[pymethods]
impl Rules {
    /// Loads and compiles a rule file (TOML, the format of `rules/zh.toml`).
    ///
    /// Raises RulesError, whose message names the file, line and rule, when
    /// the file cannot be used.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Rules> {
        let path = path.to_string_lossy().into_owned();
        let rules = py
            .allow_threads(|| RuleSet::from_path(&path))
            .map_err(rules_err)?;
        Ok(Rules {
            ex: Arc::new(Extractor::new(rules)),
            embedded: false,
            checked: OnceLock::new(),
        })
    }

    /// The rules embedded in shuliang (`rules/zh.toml` of its source).
    #[staticmethod]
    fn default() -> PyResult<Py<Rules>> {
        default_rules()
    }

    /// Where the rules come from (a path, or `rules/zh.toml` for the embedded ones).
    #[getter]
    fn source(&self) -> String {
        self.ex.rules().source.clone()
    }

    /// Runs every example of the rule file, as `shuliang rules test` does.
    ///
    /// Returns a dict: `run` (examples run), `failures` (one readable str
    /// each, naming file, line and rule), `untested` (rules without a
    /// positive example), `ok` (no failure and nothing untested), and the
    /// counts `rules`, `exclusions`, `indicators`.
    fn test<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ex = self.ex.clone();
        let report = py.allow_threads(|| check::run_examples(&ex));
        let d = PyDict::new(py);
        let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
        d.set_item("ok", failures.is_empty() && report.untested.is_empty())?;
        d.set_item("run", report.run)?;
        d.set_item("passed", report.run - failures.len())?;
        d.set_item("failures", failures)?;
        d.set_item("untested", report.untested)?;
        d.set_item("rules", ex.rules().rules().len())?;
        d.set_item("exclusions", ex.rules().exclusions().len())?;
        d.set_item("indicators", ex.rules().indicators().len())?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let r = self.ex.rules();
        format!(
            "Rules({:?}: {} rules, {} exclusions, {} indicators)",
            r.source,
            r.rules().len(),
            r.exclusions().len(),
            r.indicators().len()
        )
    }
}

fn rules_or_default(py: Python<'_>, rules: Option<Py<Rules>>) -> PyResult<Arc<Extractor>> {
    let r = match rules {
        Some(r) => r,
        None => default_rules()?,
    };
    let _ = py;
    r.get().checked()
}

/// The CSV rows (with header) of one text, as `shuliang extract -` writes them.
#[pyfunction]
#[pyo3(signature = (text, rules=None))]
fn extract_csv<'py>(
    py: Python<'py>,
    text: &str,
    rules: Option<Py<Rules>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let ex = rules_or_default(py, rules)?;
    let buf = py.allow_threads(|| {
        let rows = ex.extract(text);
        let meta = ex.detect_meta(text, "");
        let fmt = Csv::default();
        let mut buf = Vec::new();
        fmt.header(&mut buf);
        fmt.rows(
            &mut buf,
            Doc {
                id: "-",
                meta: &meta,
                fields: &[],
            },
            &rows,
        );
        buf
    });
    Ok(PyBytes::new(py, &buf))
}

/// The line of Python a conversion child runs: its package put first on
/// the path (`argv[1]`), then [`serve`] on the kind (`argv[-1]`).
const SERVE: &str = "import sys; sys.path.insert(0, sys.argv[1]); \
    from shuliang import _shuliang; sys.exit(_shuliang.serve(sys.argv[-1]))";

/// How the binding converts PDF, Word and HTML: in a child process, as the
/// CLI does and within its default limits; the child is this interpreter
/// (isolated: `-I`) running [`SERVE`] with the folder this package was
/// loaded from.
fn converter(py: Python<'_>) -> PyResult<Converter> {
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
fn serve(py: Python<'_>, kind: &str) -> u8 {
    py.allow_threads(|| shuliang::read::convert::serve(kind))
}

/// What a run over files is given from Python.
struct Given {
    paths: Vec<String>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Vec<String>,
    convert: Converter,
}

impl Given {
    /// The job over the paths, as `shuliang extract` gathers them.
    fn job<'a>(&self, ex: &'a Extractor) -> Result<Job<'a>, String> {
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
fn run<S: Sink + Send + Sync>(
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
fn returned<'py>(
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

fn summary_dict<'py>(py: Python<'py>, s: &Summary) -> PyResult<Bound<'py, PyDict>> {
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
fn extract_files_csv<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let ex = rules_or_default(py, rules)?;
    let given = Given {
        paths,
        threads,
        manifest,
        glob: glob.unwrap_or_default(),
        convert: converter(py)?,
    };
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

/// What the thread of [`iter_files_csv`] sends: CSV bytes (whole rows; the
/// first message starts with the header), then how the run ended.
enum Message {
    Chunk(Vec<u8>),
    Done(Result<Summary, String>),
}

/// A writer that hands whole batches of rows to the channel, each at least
/// `size` bytes (a run writes whole rows per call); a full channel
/// makes the run wait, so memory stays bounded however many files.
struct ChannelWriter {
    buf: Vec<u8>,
    size: usize,
    tx: std::sync::mpsc::SyncSender<Message>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(self.size));
        self.tx
            .send(Message::Chunk(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= self.size {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Batches of CSV rows of a run in progress (see `shuliang.iter_files`).
#[pyclass(module = "shuliang", frozen)]
struct CsvStream {
    rx: Mutex<std::sync::mpsc::Receiver<Message>>,
    warnings: Arc<Mutex<Vec<String>>>,
    summary: Mutex<Option<Summary>>,
}

#[pymethods]
impl CsvStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let msg = py.allow_threads(|| {
            self.rx
                .lock()
                .expect("no panic while holding the lock")
                .recv()
                .ok()
        });
        match msg {
            Some(Message::Chunk(c)) => Ok(Some(PyBytes::new(py, &c))),
            Some(Message::Done(Ok(s))) => {
                *self
                    .summary
                    .lock()
                    .expect("no panic while holding the lock") = Some(s);
                Ok(None)
            }
            Some(Message::Done(Err(e))) => Err(err(e)),
            None => Ok(None),
        }
    }

    /// The warnings heard since the last call.
    fn take_warnings(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .warnings
                .lock()
                .expect("no panic while holding the lock"),
        )
    }

    /// The run's counts, once it is over.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let s = self
            .summary
            .lock()
            .expect("no panic while holding the lock");
        s.as_ref().map(|s| summary_dict(py, s)).transpose()
    }
}

/// Starts `extract_files` in a thread of its own; its CSV comes in batches
/// of at least `batch_bytes` (two batches ahead at most).
#[pyfunction]
#[pyo3(signature = (paths, threads=None, manifest=None, glob=None, rules=None, batch_bytes=8<<20))]
fn iter_files_csv(
    py: Python<'_>,
    paths: Vec<String>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
    batch_bytes: usize,
) -> PyResult<CsvStream> {
    let ex = rules_or_default(py, rules)?;
    let given = Given {
        paths,
        threads,
        manifest,
        glob: glob.unwrap_or_default(),
        convert: converter(py)?,
    };
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let heard = warnings.clone();
    std::thread::spawn(move || {
        let result = (|| -> Result<Summary, String> {
            let job = given.job(&ex)?;
            let fmt = Csv {
                extra: job.extra().to_vec(),
                ..Default::default()
            };
            let mut out = ChannelWriter {
                buf: Vec::with_capacity(batch_bytes.max(1)),
                size: batch_bytes.max(1),
                tx: tx.clone(),
            };
            let summary = run(&job, &mut Bytes::new(&fmt, &mut out), &heard)?;
            out.send().map_err(|e| e.to_string())?;
            Ok(summary)
        })();
        // The reader may be gone (it stopped early): nothing to tell then.
        let _ = tx.send(Message::Done(result));
    });
    Ok(CsvStream {
        rx: Mutex::new(rx),
        warnings,
        summary: Mutex::new(None),
    })
}

/// The panel of files and folders as `shuliang panel` writes it (long or
/// wide CSV bytes), the warnings and a summary.
#[pyfunction]
#[pyo3(signature = (paths, wide=false, indicators=None, threads=None, manifest=None, glob=None, rules=None))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn panel_csv<'py>(
    py: Python<'py>,
    paths: Vec<String>,
    wide: bool,
    indicators: Option<Vec<String>>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let ex = rules_or_default(py, rules)?;
    let given = Given {
        paths,
        threads,
        manifest,
        glob: glob.unwrap_or_default(),
        convert: converter(py)?,
    };
    let done = py
        .allow_threads(|| -> Result<_, String> {
            let job = given.job(&ex)?;
            let warnings = Mutex::new(Vec::new());
            let mut sink = Panel::new(indicators.unwrap_or_default(), ex.rules());
            let summary = run(&job, &mut sink, &warnings)?;
            let cells = sink.cells(&job.order());
            let mut out = Vec::new();
            panel::write(&cells, wide, &mut out).map_err(|e| e.to_string())?;
            Ok((out, warnings, summary))
        })
        .map_err(err)?;
    returned(py, done)
}

/// How each quantity of `text` was found and what was turned down:
/// `(rows, rejected, rendered)`, `rendered` as `shuliang explain` prints it.
#[pyfunction]
#[pyo3(signature = (text, rules=None, at=None, year=None))]
#[allow(clippy::type_complexity)]
fn explain<'py>(
    py: Python<'py>,
    text: &str,
    rules: Option<Py<Rules>>,
    at: Option<usize>,
    year: Option<i32>,
) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>, String)> {
    // As the CLI's `explain`: the rules are not refused for failing examples.
    let ex = match rules {
        Some(r) => r.get().ex.clone(),
        None => default_rules()?.get().ex.clone(),
    };
    let (explanation, year, rendered) = py.allow_threads(|| {
        let year = year.or_else(|| ex.detect_meta(text, "").year.parse().ok());
        let e = ex.explain(text);
        let rendered = e.render(ex.rules(), at, year);
        (e, year, rendered)
    });
    let line_of = |id: &str| {
        ex.rules()
            .rules()
            .iter()
            .find(|r| r.id == id)
            .map_or(0, |r| r.line)
    };
    // The rows' cells as the column table reads them, for a document
    // whose year is the one the periods were rendered for.
    let meta = shuliang::meaning::meta::Meta {
        year: year.map_or(String::new(), |y| y.to_string()),
        ..Default::default()
    };
    let doc = Doc {
        id: "-",
        meta: &meta,
        fields: &[],
    };
    let rows = PyList::empty(py);
    for r in &explanation.rows {
        let q = &r.quantity;
        let d = PyDict::new(py);
        for c in TABLE.iter().filter(|c| !c.document) {
            let v = (c.get)(&doc, q);
            match c.ty {
                _ if v.is_empty() && c.empty_is_none => d.set_item(c.name, py.None())?,
                shuliang::output::columns::Type::Integer if c.required => {
                    d.set_item(c.name, v.parse::<usize>().map_err(err)?)?
                }
                _ => d.set_item(c.name, v.as_ref())?,
            }
        }
        d.set_item("rule_line", line_of(&q.rule))?;
        let groups = PyDict::new(py);
        for (name, value) in &r.groups {
            groups.set_item(name, value)?;
        }
        d.set_item("groups", groups)?;
        d.set_item("factor", shuliang::text::numeral::format_value(&r.factor))?;
        d.set_item("basis", format!("{:?}", r.basis))?;
        rows.append(d)?;
    }
    let rejected = PyList::empty(py);
    for r in &explanation.rejected {
        let d = PyDict::new(py);
        d.set_item("start", r.start)?;
        d.set_item("end", r.end)?;
        d.set_item("text", &r.text)?;
        d.set_item("rule", &r.rule)?;
        d.set_item("reason", &r.reason)?;
        rejected.append(d)?;
    }
    Ok((rows, rejected, rendered))
}

/// The compiled module; the public API is `shuliang/__init__.py`.
#[pymodule]
fn _shuliang(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ShuliangError", py.get_type::<ShuliangError>())?;
    m.add("RulesError", py.get_type::<RulesError>())?;
    m.add("VERSION", shuliang::VERSION)?;
    m.add("COLUMNS", shuliang::output::COLUMNS.to_vec())?;
    let table: Vec<(&str, &str, bool)> = TABLE
        .iter()
        .map(|c| (c.name, c.ty.name(), c.required))
        .collect();
    m.add("COLUMN_TABLE", table)?;
    m.add_function(wrap_pyfunction!(serve, m)?)?;
    m.add_class::<Rules>()?;
    m.add_function(wrap_pyfunction!(extract_csv, m)?)?;
    m.add_function(wrap_pyfunction!(extract_files_csv, m)?)?;
    m.add_function(wrap_pyfunction!(panel_csv, m)?)?;
    m.add_function(wrap_pyfunction!(iter_files_csv, m)?)?;
    m.add_class::<CsvStream>()?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
