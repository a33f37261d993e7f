//! Writing rows: the CSV of SPEC §2 (RFC 4180 quoting by the `csv` crate).

use std::io::Write;

use crate::extract::Quantity;

/// The columns of SPEC §2, in order.
pub const COLUMNS: &[&str] = &[
    "doc",
    "start",
    "end",
    "text",
    "value",
    "value_max",
    "unit",
    "kind",
    "qualifier",
    "unit_raw",
    "rule",
    "context",
];

/// Writes quantities as CSV rows, header first.
pub struct CsvSink<W: Write> {
    out: csv::Writer<W>,
    rows: u64,
}

impl<W: Write> CsvSink<W> {
    /// A sink that writes the header row at once.
    pub fn new(out: W) -> std::io::Result<CsvSink<W>> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        out.write_record(COLUMNS).map_err(into_io)?;
        Ok(CsvSink { out, rows: 0 })
    }

    /// Writes one document's rows.
    pub fn write_doc(&mut self, doc: &str, rows: &[Quantity]) -> std::io::Result<()> {
        for q in rows {
            let (start, end) = (q.start.to_string(), q.end.to_string());
            let (value, value_max) = (q.value_str(), q.value_max_str());
            self.out
                .write_record([
                    doc,
                    &start,
                    &end,
                    &q.text,
                    &value,
                    &value_max,
                    &q.unit,
                    &q.kind,
                    q.qualifier.unwrap_or(""),
                    &q.unit_raw,
                    &q.rule,
                    &q.context,
                ])
                .map_err(into_io)?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

fn into_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}
