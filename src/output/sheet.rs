//! CSVs other than the rows' (the panel, `diff --format csv`), written for
//! tools or, with `--bom`, for Excel.

use std::borrow::Cow;

use super::formats::{csv_writer, excel_text};

/// Whether `cell` is a plain decimal number (`-3.5`), which Excel reads as
/// a number and never as a formula.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("0");
    !whole.is_empty()
        && !frac.is_empty()
        && whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
}

/// A CSV of the panel or of `diff`, for tools or (`excel`, `--bom`) for
/// Excel: then every cell but a plain number is written as text, never a
/// formula.
pub struct Sheet<W: std::io::Write> {
    w: csv::Writer<W>,
    excel: bool,
}

impl<W: std::io::Write> Sheet<W> {
    /// A sheet written to `out`.
    pub fn new(out: W, excel: bool) -> Sheet<W> {
        Sheet {
            w: csv_writer(out),
            excel,
        }
    }

    /// Writes one row.
    pub fn row<T: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = T>) -> csv::Result<()> {
        let cells: Vec<T> = cells.into_iter().collect();
        if !self.excel {
            return self.w.write_record(cells.iter().map(|c| c.as_ref()));
        }
        let guarded = cells.iter().map(|c| match c.as_ref() {
            n if is_number(n) => Cow::Borrowed(n),
            t => excel_text(t.into()),
        });
        self.w
            .write_record(guarded.collect::<Vec<_>>().iter().map(|c| c.as_bytes()))
    }

    /// Writes what is buffered.
    pub fn flush(&mut self) -> csv::Result<()> {
        Ok(self.w.flush()?)
    }
}
