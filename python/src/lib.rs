//! `shuliang._shuliang`: the compiled half of the Python package.
//!
//! A thin layer over the `shuliang` crate: it runs the library's
//! [`Job`], as the CLI does, with the CSV format as its sink, and hands the
//! bytes to Python, which `shuliang/__init__.py` reads into DataFrames
//! with the column table's types (`COLUMN_TABLE`). PDF, Word and HTML
//! files are converted in a child process within the CLI's limits: this
//! interpreter, running [`serve`]. Every long call runs with the GIL released.

mod files;
mod stream;
mod text;

use std::sync::{Arc, OnceLock};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use shuliang::output::columns::TABLE;
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

pub(crate) fn rules_err(e: impl std::fmt::Display) -> PyErr {
    RulesError::new_err(e.to_string())
}

pub(crate) fn err(e: impl std::fmt::Display) -> PyErr {
    ShuliangError::new_err(e.to_string())
}

/// A rule file, loaded and compiled once.
#[pyclass(module = "shuliang", frozen)]
pub(crate) struct Rules {
    ex: Arc<Extractor>,
    /// Whether this is the embedded rule file (whose examples `cargo test` checks).
    embedded: bool,
    /// The first failing example, once looked at (`Some(None)`: all pass).
    checked: OnceLock<Option<String>>,
}

pub(crate) fn default_rules() -> PyResult<Py<Rules>> {
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

pub(crate) fn rules_or_default(
    py: Python<'_>,
    rules: Option<Py<Rules>>,
) -> PyResult<Arc<Extractor>> {
    let r = match rules {
        Some(r) => r,
        None => default_rules()?,
    };
    let _ = py;
    r.get().checked()
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
    let scorecard: Vec<(&str, &str)> = shuliang::output::scorecard::columns::TABLE
        .iter()
        .map(|c| (c.name, c.ty.name()))
        .collect();
    m.add("SCORECARD_TABLE", scorecard)?;
    m.add_function(wrap_pyfunction!(files::serve, m)?)?;
    m.add_class::<Rules>()?;
    m.add_function(wrap_pyfunction!(text::extract_csv, m)?)?;
    m.add_function(wrap_pyfunction!(files::extract_files_csv, m)?)?;
    m.add_function(wrap_pyfunction!(files::panel_csv, m)?)?;
    m.add_function(wrap_pyfunction!(files::scorecard_csv, m)?)?;
    m.add_function(wrap_pyfunction!(stream::iter_files_csv, m)?)?;
    m.add_class::<stream::CsvStream>()?;
    m.add_function(wrap_pyfunction!(text::explain, m)?)?;
    Ok(())
}
