//! The byte formats: each renders a document's rows into a byte buffer,
//! so worker threads format in parallel and the writer only copies bytes
//! out in input order (ripgrep's printers, in miniature). CSV is RFC 4180
//! (quoting by the `csv` crate); JSON lines carry the same fields. Both
//! take their columns from [`super::columns::TABLE`].

use std::borrow::Cow;

use super::columns::{Cell, TABLE};
use super::Doc;
use crate::extract::Quantity;

/// An output format.
pub trait Format: Sync {
    /// Bytes that open the output (a header row), if any.
    fn header(&self, out: &mut Vec<u8>);
    /// Appends the rows of one document (or piece of one).
    fn rows(&self, out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]);
}

/// The CSV of SPEC §2, optionally followed by extra per-document columns.
#[derive(Debug, Clone, Default)]
pub struct Csv {
    /// Names of the columns after SPEC's (from a manifest or `--keep`).
    pub extra: Vec<String>,
    /// Leave out the header row (`shuliang stream` does by default).
    pub no_header: bool,
    /// For Excel (`--bom`): a text cell that Excel would take for a formula
    /// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is
    /// written with a leading `'`. Number cells are never changed.
    pub excel: bool,
}

/// `cell` as Excel should show it: text, never a formula.
pub(super) fn excel_text(cell: Cow<'_, str>) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell
    }
}

/// A CSV writer with SPEC's `\n` line ends, for every CSV shuliang writes.
pub(super) fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(8 << 10)
        .from_writer(out)
}

impl Format for Csv {
    fn header(&self, out: &mut Vec<u8>) {
        if self.no_header {
            return;
        }
        let mut w = csv_writer(out);
        // A manifest's column names are text cells like any other.
        let extra = self.extra.iter().map(|c| match self.excel {
            true => excel_text(c.as_str().into()),
            false => c.as_str().into(),
        });
        let names = super::COLUMNS.iter().map(|&c| Cow::from(c)).chain(extra);
        w.write_record(names.collect::<Vec<_>>().iter().map(|c| c.as_bytes()))
            .expect("writing to memory");
        w.flush().expect("writing to memory");
    }

    fn rows(&self, out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]) {
        let mut w = csv_writer(out);
        // Where a cell that is not borrowed text is written.
        let mut buf = String::new();
        for q in rows {
            let cells = TABLE.iter().map(|c| ((c.get)(&doc, q), c.always_numeric()));
            let extra = doc.fields.iter().map(|f| (Cell::Text(f), false));
            for (cell, numeric) in cells.chain(extra) {
                let text = cell.text(&mut buf);
                if self.excel && !numeric {
                    w.write_field(excel_text(text.into()).as_bytes())
                } else {
                    w.write_field(text.as_bytes())
                }
                .expect("writing to memory");
            }
            w.write_record(std::iter::empty::<&[u8]>())
                .expect("writing to memory");
        }
        w.flush().expect("writing to memory");
    }
}

/// One JSON object per row and line, with the fields of the CSV in its
/// column order and with the types the CSV recipes give them: `start`,
/// `end` and `year` integers, `value` and `value_max` JSON numbers written
/// exactly as in the CSV, empty fields `null`.
#[derive(Debug, Clone, Default)]
pub struct Jsonl {
    /// Names of extra per-document fields.
    pub extra: Vec<String>,
}

impl Format for Jsonl {
    fn header(&self, _out: &mut Vec<u8>) {}

    fn rows(&self, out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]) {
        use serde_json::{Map, Value};
        for q in rows {
            let mut m = Map::new();
            for c in TABLE {
                m.insert(c.name.into(), c.json(&doc, q));
            }
            for (name, v) in self.extra.iter().zip(doc.fields) {
                m.insert(name.clone(), Value::from(v.as_str()));
            }
            serde_json::to_writer(&mut *out, &m).expect("writing to memory");
            out.push(b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meaning::meta::Meta;
    use crate::output::COLUMNS;
    use crate::{Extractor, RuleSet};

    fn sample() -> Vec<Quantity> {
        let ex = Extractor::new(RuleSet::default_rules().unwrap());
        ex.extract("增长3%,\"好\"。投资46.11亿元")
    }

    #[test]
    fn excel_gets_text_cells_as_text_and_numbers_as_numbers() {
        let ex = Extractor::new(RuleSet::default_rules().unwrap());
        let rows = ex.extract("-3%的降幅");
        let csv = Csv {
            excel: true,
            ..Csv::default()
        };
        let mut out = Vec::new();
        let meta = Meta::default();
        let fields = ["@SUM(1)".to_string()];
        csv.rows(
            &mut out,
            Doc {
                id: "=HYPERLINK(\"x\").txt",
                meta: &meta,
                fields: &fields,
            },
            &rows,
        );
        let line = String::from_utf8(out).unwrap();
        let cells: Vec<&str> = line.trim_end().split(',').collect();
        assert!(cells[0].starts_with("\"'=HYPERLINK"), "{line}");
        assert_eq!(cells[4], "-3", "{line}");
        assert!(cells[11].starts_with("'-3%"), "{line}");
        assert_eq!(*cells.last().unwrap(), "'@SUM(1)");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = sample();
        let csv = Csv {
            extra: vec!["population".into()],
            no_header: false,
            excel: false,
        };
        let mut out = Vec::new();
        csv.header(&mut out);
        let fields = ["30".to_string()];
        csv.rows(
            &mut out,
            Doc {
                id: "a,b.txt",
                meta: &Meta {
                    region: "河南省平顶山市卫东区".into(),
                    year: "2021".into(),
                    level: "county".into(),
                    code: "410403".into(),
                    ..Meta::default()
                },
                fields: &fields,
            },
            &rows,
        );
        let text = String::from_utf8(out).unwrap();
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let recs: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let header: Vec<&str> = rd.headers().unwrap().iter().collect();
        assert_eq!(header[..COLUMNS.len()], *COLUMNS);
        assert_eq!(header[COLUMNS.len()], "population");
        assert_eq!(recs.len(), 2);
        assert_eq!(&recs[0][0], "a,b.txt");
        assert_eq!(&recs[0][11], "增长3%,\"好\"。");
        assert_eq!(
            (
                &recs[1][12],
                &recs[1][13],
                &recs[1][20],
                &recs[1][21],
                &recs[1][COLUMNS.len()]
            ),
            ("河南省平顶山市卫东区", "2021", "county", "410403", "30")
        );
        assert!(text.ends_with('\n') && !text.contains('\r'));
    }

    #[test]
    fn jsonl_has_the_same_fields_with_exact_numbers() {
        let mut out = Vec::new();
        Jsonl::default().rows(
            &mut out,
            Doc {
                id: "d.txt",
                meta: &Meta::default(),
                fields: &[],
            },
            &sample(),
        );
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].contains("\"value\":4611000000,"), "{}", lines[1]);
        assert!(lines[1].contains("\"value_max\":null"), "{}", lines[1]);
        let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(v["unit"], "CNY");
        assert_eq!(v["start"], 11);
        assert_eq!(v.as_object().unwrap().len(), COLUMNS.len());
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, COLUMNS, "keys in the CSV's column order");
        let mut out = Vec::new();
        let meta = Meta {
            year: "2024".into(),
            ..Meta::default()
        };
        Jsonl::default().rows(
            &mut out,
            Doc {
                id: "d.txt",
                meta: &meta,
                fields: &[],
            },
            &sample(),
        );
        let v: serde_json::Value =
            serde_json::from_slice(out.split(|&b| b == b'\n').next().unwrap()).unwrap();
        assert_eq!(v["year"], 2024, "year is a number, as in the CSV recipes");
    }
}
