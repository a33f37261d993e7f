//! One text in, as `shuliang extract -` and `shuliang explain` take it:
//! rows as CSV bytes, and how each row was found.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use shuliang::output::columns::{Type, TABLE};
use shuliang::output::{Csv, Doc, Format};

use crate::{default_rules, err, rules_or_default, Rules};

/// The CSV rows (with header) of one text, as `shuliang extract -` writes them.
#[pyfunction]
#[pyo3(signature = (text, rules=None))]
pub(crate) fn extract_csv<'py>(
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

/// How each quantity of `text` was found and what was turned down:
/// `(rows, rejected, rendered)`, `rendered` as `shuliang explain` prints it.
#[pyfunction]
#[pyo3(signature = (text, rules=None, at=None, year=None))]
#[allow(clippy::type_complexity)]
pub(crate) fn explain<'py>(
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
            let v = c.cell(&doc, q);
            match c.ty {
                _ if v.is_empty() && c.empty_is_none => d.set_item(c.name, py.None())?,
                Type::Integer if c.required => {
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
