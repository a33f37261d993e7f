//! Writing rows. Each format renders a document's rows into a byte buffer,
//! so worker threads format in parallel and the writer only copies bytes
//! out in input order. CSV follows SPEC §2 (RFC 4180 quoting by the `csv` crate).

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

/// An output format.
pub trait Format: Sync {
    /// Bytes that open the output (a header row), if any.
    fn header(&self, out: &mut Vec<u8>);
    /// Appends the rows of one document (or piece of one).
    fn rows(&self, out: &mut Vec<u8>, doc: &str, rows: &[Quantity]);
}

/// The CSV of SPEC §2.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv;

fn csv_writer(out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(8 << 10)
        .from_writer(out)
}

impl Format for Csv {
    fn header(&self, out: &mut Vec<u8>) {
        let mut w = csv_writer(out);
        w.write_record(COLUMNS).expect("writing to memory");
        w.flush().expect("writing to memory");
    }

    fn rows(&self, out: &mut Vec<u8>, doc: &str, rows: &[Quantity]) {
        let mut w = csv_writer(out);
        let mut itoa = [String::new(), String::new()];
        for q in rows {
            use std::fmt::Write;
            for (s, n) in itoa.iter_mut().zip([q.start, q.end]) {
                s.clear();
                write!(s, "{n}").expect("formatting");
            }
            let (value, value_max) = (q.value_str(), q.value_max_str());
            w.write_record([
                doc,
                &itoa[0],
                &itoa[1],
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
            .expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Extractor, RuleSet};

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let ex = Extractor::new(RuleSet::default_rules().unwrap());
        let rows = ex.extract("增长3%,\"好\"。");
        let mut out = Vec::new();
        Csv.header(&mut out);
        Csv.rows(&mut out, "a,b.txt", &rows);
        let text = String::from_utf8(out).unwrap();
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
        assert_eq!(recs.len(), 1);
        assert_eq!(&recs[0][0], "a,b.txt");
        assert_eq!(&recs[0][11], "增长3%,\"好\"。");
        assert!(text.ends_with('\n') && !text.contains('\r'));
    }
}
