//! Writing rows. Each format renders a document's rows into a byte buffer,
//! so worker threads format in parallel and the writer only copies bytes
//! out in input order (ripgrep's printers, in miniature). CSV follows
//! SPEC §2 (RFC 4180 quoting by the `csv` crate); JSON lines carry the
//! same fields.

pub mod panel;
pub mod schema;
pub mod stats;

use crate::extract::Quantity;
use crate::meaning::meta::Meta;

/// The columns of SPEC §2, in order, then the document's region and year,
/// the section heading of the row, what it measures, and the region's
/// level and division code (last, so older readers' column numbers hold).
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
    "region",
    "year",
    "section",
    "indicator",
    "indicator_id",
    "change",
    "status",
    "refers_to",
    "level",
    "code",
];

/// What a format needs to know of the document the rows come from.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The `doc` column.
    pub id: &'a str,
    /// Its region and year.
    pub meta: &'a Meta,
    /// Values of the extra columns the format was made with, in order.
    pub fields: &'a [String],
}

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

/// The columns that hold numbers, which Excel guarding leaves alone.
const NUMBER_COLUMNS: [&str; 4] = ["start", "end", "value", "value_max"];

/// `cell` as Excel should show it: text, never a formula.
fn excel_text(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV writer with SPEC's `\n` line ends, for every CSV shuliang writes.
pub(crate) fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(8 << 10)
        .from_writer(out)
}

/// The values of a row, in [`COLUMNS`] order after `doc`.
fn fields<'a>(q: &'a Quantity, meta: &'a Meta) -> [std::borrow::Cow<'a, str>; 21] {
    use std::borrow::Cow::{Borrowed, Owned};
    [
        Owned(q.start.to_string()),
        Owned(q.end.to_string()),
        Borrowed(&q.text),
        Owned(q.value_str()),
        Owned(q.value_max_str()),
        Borrowed(&q.unit),
        Borrowed(&q.kind),
        Borrowed(q.qualifier.unwrap_or("")),
        Borrowed(&q.unit_raw),
        Borrowed(&q.rule),
        Borrowed(&q.context),
        Borrowed(&meta.region),
        q.part_year
            .map_or(Borrowed(meta.year.as_str()), |y| Owned(y.to_string())),
        Borrowed(q.section.as_deref().unwrap_or("")),
        Borrowed(&q.indicator),
        Borrowed(q.indicator_id.as_deref().unwrap_or("")),
        Borrowed(q.change.unwrap_or("")),
        Borrowed(q.status.unwrap_or("")),
        Owned(
            q.refers_to
                .map_or(String::new(), |p| p.render(q.report_year(meta))),
        ),
        Borrowed(&meta.level),
        Borrowed(&meta.code),
    ]
}

impl Format for Csv {
    fn header(&self, out: &mut Vec<u8>) {
        if self.no_header {
            return;
        }
        let mut w = csv_writer(out);
        w.write_record(
            COLUMNS
                .iter()
                .copied()
                .chain(self.extra.iter().map(String::as_str)),
        )
        .expect("writing to memory");
        w.flush().expect("writing to memory");
    }

    fn rows(&self, out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]) {
        let mut w = csv_writer(out);
        for q in rows {
            let f = fields(q, doc.meta);
            let record = std::iter::once(doc.id)
                .chain(f.iter().map(|s| s.as_ref()))
                .chain(doc.fields.iter().map(String::as_str));
            if self.excel {
                let guarded: Vec<std::borrow::Cow<'_, str>> = record
                    .enumerate()
                    .map(|(i, cell)| match COLUMNS.get(i) {
                        Some(c) if NUMBER_COLUMNS.contains(c) => cell.into(),
                        _ => excel_text(cell),
                    })
                    .collect();
                w.write_record(guarded.iter().map(|c| c.as_bytes()))
            } else {
                w.write_record(record)
            }
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
        use serde_json::{Map, Number, Value};
        for q in rows {
            let mut m = Map::new();
            m.insert("doc".into(), Value::from(doc.id));
            for (name, v) in COLUMNS[1..].iter().zip(fields(q, doc.meta)) {
                let v = match *name {
                    // A manifest's year that is no number stays text.
                    "start" | "end" | "year" | "value" | "value_max" if !v.is_empty() => v
                        .parse::<Number>()
                        .map_or_else(|_| Value::from(v.as_ref()), Value::Number),
                    "value_max" | "qualifier" | "region" | "year" | "section" | "indicator"
                    | "indicator_id" | "change" | "status" | "refers_to" | "level" | "code"
                        if v.is_empty() =>
                    {
                        Value::Null
                    }
                    _ => Value::from(v.into_owned()),
                };
                m.insert((*name).into(), v);
            }
            for (name, v) in self.extra.iter().zip(doc.fields) {
                m.insert(name.clone(), Value::from(v.as_str()));
            }
            serde_json::to_writer(&mut *out, &m).expect("writing to memory");
            out.push(b'\n');
        }
    }
}

/// Rows of an output read back, as text fields in column order.
pub type Records<'a> = Box<dyn Iterator<Item = Result<Vec<String>, String>> + 'a>;

/// Reads an output of `extract` back, CSV or JSONL (told apart by a first
/// `{`): the column names, then each row's fields as the CSV writes them
/// (a JSON `null` is an empty field, a number its text), so `diff` and
/// `stats` take either format.
pub fn read_output<'a>(
    input: impl std::io::Read + 'a,
) -> Result<(Vec<String>, Records<'a>), String> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::new(input);
    let jsonl = input
        .fill_buf()
        .map_err(|e| e.to_string())?
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'{');
    if !jsonl {
        let mut rd = csv::Reader::from_reader(input);
        let columns = rd.headers().map_err(|e| e.to_string())?;
        let columns = columns.iter().map(str::to_string).collect();
        let rows = rd.into_records().map(|r| {
            r.map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string())
        });
        return Ok((columns, Box::new(rows)));
    }
    let mut lines = input
        .lines()
        .enumerate()
        .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()));
    let object = |(i, line): (usize, std::io::Result<String>)| {
        let line = line.map_err(|e| e.to_string())?;
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&line)
            .map_err(|e| format!("line {}: {e}", i + 1))
    };
    let Some(first) = lines.next().map(object).transpose()? else {
        return Ok((Vec::new(), Box::new(std::iter::empty())));
    };
    let columns: Vec<String> = first.keys().cloned().collect();
    let field = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let names = columns.clone();
    let row = move |m: serde_json::Map<String, serde_json::Value>| -> Vec<String> {
        names
            .iter()
            .map(|n| m.get(n).map_or(String::new(), field))
            .collect()
    };
    let first = row.clone()(first);
    let rest = lines.map(move |l| object(l).map(&row));
    Ok((columns, Box::new(std::iter::once(Ok(first)).chain(rest))))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(header[..22], *COLUMNS);
        assert_eq!(header[22], "population");
        assert_eq!(recs.len(), 2);
        assert_eq!(&recs[0][0], "a,b.txt");
        assert_eq!(&recs[0][11], "增长3%,\"好\"。");
        assert_eq!(
            (
                &recs[1][12],
                &recs[1][13],
                &recs[1][20],
                &recs[1][21],
                &recs[1][22]
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
