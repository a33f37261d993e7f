//! `shuliang._shuliang`: the compiled half of the Python package.
//!
//! A thin layer over the `shuliang` crate: it wires the library's stages as
//! the CLI (`src/bin/shuliang/main.rs`) does (rules, `batch::gather`, `batch::run` on a rayon
//! pool) and hands the output to Python as CSV bytes, which
//! `shuliang/__init__.py` turns into dicts and DataFrames with fixed dtypes.
//! Every long call runs with the GIL released.

use std::sync::{Arc, Mutex, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use shuliang::output::{Csv, Doc, Format};
use shuliang::run::batch::{self, Selection};
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

/// The inputs and manifest of `extract_files` and `panel`, as the CLI gathers them.
fn gather(
    paths: &[String],
    glob: &[String],
    manifest: Option<&str>,
) -> Result<batch::Gathered, String> {
    let sel = Selection::new(glob).map_err(|e| format!("bad glob: {e}"))?;
    let manifest = manifest
        .map(|m| match std::fs::File::open(m) {
            Ok(f) => Ok((m, f)),
            Err(e) => Err(format!("cannot read {m}: {e}")),
        })
        .transpose()?;
    batch::gather(paths, &sel, manifest).map_err(|e| e.to_string())
}

/// The warnings of gathering, as the run's first.
fn first_warnings(g: &mut batch::Gathered) -> Vec<String> {
    g.warnings.drain(..).map(|e| e.to_string()).collect()
}

/// How the binding reads PDF, Word and HTML: in this process (there is no
/// `shuliang` binary to run as the child the CLI uses), unless
/// `SHULIANG_BIN` names one, which then converts each such file in a
/// bounded child process as the CLI does.
fn options() -> batch::Options {
    batch::Options {
        convert: shuliang::read::convert::Converter {
            exe: std::env::var_os("SHULIANG_BIN").map(Into::into),
            limits: Default::default(),
        },
        ..Default::default()
    }
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    if threads == Some(0) {
        return Err("threads must be at least 1".into());
    }
    batch::pool(threads).map_err(|e| format!("cannot start worker threads: {e}"))
}

/// Runs the batch over `g`'s inputs on a pool of `threads`, each warning
/// pushed to `warnings` as it comes.
fn run(
    ex: &Extractor,
    g: &batch::Gathered,
    fmt: &dyn Format,
    out: &mut (dyn std::io::Write + Send),
    threads: Option<usize>,
    warnings: &Mutex<Vec<String>>,
) -> Result<batch::Summary, String> {
    let opts = options();
    pool(threads)?
        .install(|| {
            batch::run(&g.inputs, ex, fmt, out, &opts, |e| {
                warnings
                    .lock()
                    .expect("no panic while holding the lock")
                    .push(e.to_string())
            })
        })
        .map_err(|e| e.to_string())
}

/// What `extract_files_csv` and `panel_csv` hand to Python: the CSV, the
/// warnings and the summary.
fn returned<'py>(
    py: Python<'py>,
    (out, warnings, summary, missing): (Vec<u8>, Mutex<Vec<String>>, batch::Summary, u64),
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>, Bound<'py, PyDict>)> {
    let warnings = warnings
        .into_inner()
        .expect("no panic while holding the lock");
    Ok((
        PyBytes::new(py, &out),
        PyList::new(py, warnings)?,
        summary_dict(py, &summary, missing)?,
    ))
}

fn summary_dict<'py>(
    py: Python<'py>,
    s: &batch::Summary,
    missing: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("documents", s.read)?;
    d.set_item("skipped", s.skipped + missing)?;
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
    let glob = glob.unwrap_or_default();
    let done = py
        .allow_threads(|| -> Result<_, String> {
            let mut g = gather(&paths, &glob, manifest.as_deref())?;
            let warnings = Mutex::new(first_warnings(&mut g));
            let fmt = Csv {
                extra: std::mem::take(&mut g.extra),
                ..Default::default()
            };
            let mut out = Vec::with_capacity(1 << 20);
            let summary = run(&ex, &g, &fmt, &mut out, threads, &warnings)?;
            Ok((out, warnings, summary, g.missing))
        })
        .map_err(err)?;
    returned(py, done)
}

/// What the thread of [`iter_files_csv`] sends: CSV bytes (whole rows; the
/// first message starts with the header), then how the run ended.
enum Message {
    Chunk(Vec<u8>),
    Done(Result<batch::Summary, String>, u64),
}

/// A writer that hands whole batches of rows to the channel, each at least
/// `size` bytes (`batch::run` writes whole rows per call); a full channel
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
    summary: Mutex<Option<(batch::Summary, u64)>>,
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
            Some(Message::Done(Ok(s), missing)) => {
                *self
                    .summary
                    .lock()
                    .expect("no panic while holding the lock") = Some((s, missing));
                Ok(None)
            }
            Some(Message::Done(Err(e), _)) => Err(err(e)),
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
        s.as_ref()
            .map(|(s, missing)| summary_dict(py, s, *missing))
            .transpose()
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
    let glob = glob.unwrap_or_default();
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let heard = warnings.clone();
    std::thread::spawn(move || {
        let mut missing = 0;
        let result = (|| -> Result<batch::Summary, String> {
            let mut g = gather(&paths, &glob, manifest.as_deref())?;
            missing = g.missing;
            heard
                .lock()
                .expect("no panic while holding the lock")
                .append(&mut first_warnings(&mut g));
            let fmt = Csv {
                extra: std::mem::take(&mut g.extra),
                ..Default::default()
            };
            let mut out = ChannelWriter {
                buf: Vec::with_capacity(batch_bytes.max(1)),
                size: batch_bytes.max(1),
                tx: tx.clone(),
            };
            let summary = run(&ex, &g, &fmt, &mut out, threads, &heard)?;
            out.send().map_err(|e| e.to_string())?;
            Ok(summary)
        })();
        // The reader may be gone (it stopped early): nothing to tell then.
        let _ = tx.send(Message::Done(result, missing));
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
    let glob = glob.unwrap_or_default();
    let done = py
        .allow_threads(|| -> Result<_, String> {
            let mut g = gather(&paths, &glob, manifest.as_deref())?;
            let warnings = Mutex::new(first_warnings(&mut g));
            let panel =
                shuliang::output::panel::Panel::new(indicators.unwrap_or_default(), ex.rules());
            let summary = run(&ex, &g, &panel, &mut std::io::sink(), threads, &warnings)?;
            let order: Vec<String> = g.inputs.iter().map(|i| i.doc.clone()).collect();
            let cells = panel.cells(&order);
            let mut out = Vec::new();
            shuliang::output::panel::write(&cells, wide, &mut out).map_err(|e| e.to_string())?;
            Ok((out, warnings, summary, g.missing))
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
    let rows = PyList::empty(py);
    for r in &explanation.rows {
        let q = &r.quantity;
        let d = PyDict::new(py);
        d.set_item("start", q.start)?;
        d.set_item("end", q.end)?;
        d.set_item("text", &q.text)?;
        d.set_item("value", q.value_str())?;
        d.set_item("value_max", q.value_max.as_ref().map(|_| q.value_max_str()))?;
        d.set_item("unit", &*q.unit)?;
        d.set_item("kind", &*q.kind)?;
        d.set_item("qualifier", q.qualifier)?;
        d.set_item("unit_raw", &q.unit_raw)?;
        d.set_item("rule", &*q.rule)?;
        d.set_item("rule_line", line_of(&q.rule))?;
        d.set_item("context", &q.context)?;
        d.set_item("section", q.section.as_deref())?;
        d.set_item("indicator", &q.indicator)?;
        d.set_item("indicator_id", q.indicator_id.as_deref())?;
        d.set_item("change", q.change)?;
        d.set_item("status", q.status)?;
        d.set_item("refers_to", q.refers_to.map(|p| p.render(year)))?;
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
    m.add_class::<Rules>()?;
    m.add_function(wrap_pyfunction!(extract_csv, m)?)?;
    m.add_function(wrap_pyfunction!(extract_files_csv, m)?)?;
    m.add_function(wrap_pyfunction!(panel_csv, m)?)?;
    m.add_function(wrap_pyfunction!(iter_files_csv, m)?)?;
    m.add_class::<CsvStream>()?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    Ok(())
}
