//! Comparing two outputs: what a rule change did to a corpus. Rows are
//! keyed by (doc, start, end); a row present on one side only was added or
//! removed, a row on both whose other columns differ was changed.

use std::collections::BTreeMap;
use std::io::Read;

use crate::output::Sheet;

/// One output file, read.
#[derive(Debug, Default)]
pub struct Table {
    /// Column names, in file order.
    pub columns: Vec<String>,
    /// Rows by (doc, start, end).
    pub rows: BTreeMap<(String, usize, usize), Vec<String>>,
}

/// Reads an output of `shuliang extract`, CSV or JSONL (any extra columns included).
pub fn read_table(input: impl Read) -> Result<Table, String> {
    let (columns, records) = crate::output::read_output(input)?;
    let col = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .ok_or(format!("no `{name}` column"))
    };
    let (d, s, e) = (col("doc")?, col("start")?, col("end")?);
    let mut rows = BTreeMap::new();
    for (i, rec) in records.enumerate() {
        let rec = rec?;
        let num = |j: usize| {
            rec[j]
                .parse::<usize>()
                .map_err(|_| format!("row {}: `{}` is not an offset", i + 2, &rec[j]))
        };
        rows.insert((rec[d].clone(), num(s)?, num(e)?), rec.clone());
    }
    Ok(Table { columns, rows })
}

/// How a row differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only in the new output.
    Added(Vec<String>),
    /// Only in the old output.
    Removed(Vec<String>),
    /// In both; the columns that differ as (name, old, new), and the new row.
    Changed(Vec<(String, String, String)>, Vec<String>),
}

/// The differences between two outputs, in (doc, start, end) order.
#[derive(Debug, Default)]
pub struct Diff {
    /// Each differing row, keyed as in [`Table`].
    pub changes: Vec<((String, usize, usize), Change)>,
    /// Columns of the new output (for reading rows of `changes`).
    pub columns: Vec<String>,
}

impl Table {
    /// The value of column `name` in `row` (empty where there is no such column).
    fn value(&self, row: &[String], name: &str) -> String {
        self.columns
            .iter()
            .position(|c| c == name)
            .map(|i| row[i].clone())
            .unwrap_or_default()
    }
}

/// The columns in which two rows differ, as (name, old, new).
fn differing(
    names: &[&String],
    old: &Table,
    orow: &[String],
    new: &Table,
    nrow: &[String],
) -> Vec<(String, String, String)> {
    names
        .iter()
        .map(|name| {
            (
                (*name).clone(),
                old.value(orow, name),
                new.value(nrow, name),
            )
        })
        .filter(|(_, a, b)| a != b)
        .collect()
}

/// Compares two outputs column by column (columns matched by name).
pub fn diff(old: &Table, new: &Table) -> Diff {
    let mut changes = Vec::new();
    let mut names: Vec<&String> = new.columns.iter().collect();
    names.extend(old.columns.iter().filter(|c| !new.columns.contains(c)));
    let mut o = old.rows.iter().peekable();
    let mut n = new.rows.iter().peekable();
    loop {
        let step = match (o.peek(), n.peek()) {
            (None, None) => break,
            (Some((ok, _)), Some((nk, _))) => ok.cmp(nk),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
        };
        match step {
            std::cmp::Ordering::Less => {
                let (k, row) = o.next().expect("peeked");
                changes.push((k.clone(), Change::Removed(row.clone())));
            }
            std::cmp::Ordering::Greater => {
                let (k, row) = n.next().expect("peeked");
                changes.push((k.clone(), Change::Added(row.clone())));
            }
            std::cmp::Ordering::Equal => {
                let (k, orow) = o.next().expect("peeked");
                let (_, nrow) = n.next().expect("peeked");
                let differ = differing(&names, old, orow, new, nrow);
                if !differ.is_empty() {
                    changes.push((k.clone(), Change::Changed(differ, nrow.clone())));
                }
            }
        }
    }
    pair_moved(&mut changes, &names, old, new);
    Diff {
        changes,
        columns: new.columns.clone(),
    }
}

/// A row removed and a row added over overlapping text of the same
/// document are one row whose span changed (a unit that now matches makes
/// `9.4万` become `9.4万P`): shown as changed, `start`/`end` among the columns.
fn pair_moved(
    changes: &mut Vec<((String, usize, usize), Change)>,
    names: &[&String],
    old: &Table,
    new: &Table,
) {
    let mut i = 0;
    while i < changes.len() {
        let partner = match &changes[i] {
            ((doc, s, e), Change::Removed(_)) => changes.iter().position(|((d2, s2, e2), c)| {
                matches!(c, Change::Added(_)) && d2 == doc && s2 < e && s < e2
            }),
            _ => None,
        };
        if let Some(j) = partner {
            let (_, Change::Removed(orow)) = changes[i].clone() else {
                unreachable!()
            };
            let (key, Change::Added(nrow)) = changes[j].clone() else {
                unreachable!()
            };
            let differ = differing(names, old, &orow, new, &nrow);
            changes[j] = (key, Change::Changed(differ, nrow));
            changes.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Counts of added, removed and changed rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Rows only in the new output.
    pub added: usize,
    /// Rows only in the old output.
    pub removed: usize,
    /// Rows in both that differ.
    pub changed: usize,
}

impl Diff {
    /// Whether the outputs are the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Totals, and totals per value of `column` (`rule`, `kind`), taken
    /// from the new row, or the old one for removed rows.
    pub fn summary(&self, old: &Table, column: &str) -> (Counts, BTreeMap<String, Counts>) {
        let mut total = Counts::default();
        let mut by: BTreeMap<String, Counts> = BTreeMap::new();
        let pick = |cols: &[String], row: &[String]| {
            cols.iter()
                .position(|c| c == column)
                .map(|i| row[i].clone())
                .unwrap_or_default()
        };
        for (_, change) in &self.changes {
            let (key, bump): (String, fn(&mut Counts)) = match change {
                Change::Added(r) => (pick(&self.columns, r), |c| c.added += 1),
                Change::Removed(r) => (pick(&old.columns, r), |c| c.removed += 1),
                Change::Changed(_, r) => (pick(&self.columns, r), |c| c.changed += 1),
            };
            bump(&mut total);
            bump(by.entry(key).or_default());
        }
        (total, by)
    }

    /// The differences as a person reads them: `-` removed, `+` added,
    /// `~` changed with each differing column.
    pub fn render(&self, old: &Table) -> String {
        use std::fmt::Write;
        let show = |cols: &[String], row: &[String]| {
            let get = |name: &str| {
                cols.iter()
                    .position(|c| c == name)
                    .map_or("", |i| row[i].as_str())
            };
            let mut s = format!("{} = {}", get("text"), get("value"));
            for part in [get("value_max"), get("unit"), get("qualifier")] {
                if !part.is_empty() {
                    s.push(' ');
                    s.push_str(part);
                }
            }
            format!("{s}  [{} {}]", get("kind"), get("rule"))
        };
        let mut out = String::new();
        for ((doc, s, e), change) in &self.changes {
            let at = format!("{doc}:{s}-{e}");
            let _ = match change {
                Change::Removed(r) => writeln!(out, "- {at}  {}", show(&old.columns, r)),
                Change::Added(r) => writeln!(out, "+ {at}  {}", show(&self.columns, r)),
                Change::Changed(cols, r) => {
                    let what: Vec<String> = cols
                        .iter()
                        .map(|(c, a, b)| format!("{c}: {a:?} → {b:?}"))
                        .collect();
                    writeln!(
                        out,
                        "~ {at}  {}\n    {}",
                        show(&self.columns, r),
                        what.join("; ")
                    )
                }
            };
        }
        let (total, _) = self.summary(old, "rule");
        let _ = writeln!(
            out,
            "{} added, {} removed, {} changed",
            total.added, total.removed, total.changed
        );
        for column in ["rule", "kind"] {
            let (_, by) = self.summary(old, column);
            let parts: Vec<String> = by
                .iter()
                .map(|(k, c)| {
                    format!(
                        "{} +{} -{} ~{}",
                        if k.is_empty() { "(none)" } else { k },
                        c.added,
                        c.removed,
                        c.changed
                    )
                })
                .collect();
            if !parts.is_empty() {
                let _ = writeln!(out, "by {column}: {}", parts.join(", "));
            }
        }
        out
    }

    /// The differences as CSV for tools: change, doc, start, end, text,
    /// column, old, new (one line per differing column of a changed row);
    /// `excel`: for Excel ([`Sheet`]).
    pub fn to_csv(&self, old: &Table, excel: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = Sheet::new(&mut out, excel);
        let text_of = |cols: &[String], row: &[String]| {
            cols.iter()
                .position(|c| c == "text")
                .map_or(String::new(), |i| row[i].clone())
        };
        let _ = w.row([
            "change", "doc", "start", "end", "text", "column", "old", "new",
        ]);
        for ((doc, s, e), change) in &self.changes {
            let (s, e) = (s.to_string(), e.to_string());
            let records: Vec<[String; 4]> = match change {
                Change::Added(r) => vec![[
                    "added".into(),
                    text_of(&self.columns, r),
                    String::new(),
                    String::new(),
                ]],
                Change::Removed(r) => vec![[
                    "removed".into(),
                    text_of(&old.columns, r),
                    String::new(),
                    String::new(),
                ]],
                Change::Changed(cols, r) => cols
                    .iter()
                    .map(|(c, a, b)| {
                        [
                            "changed".into(),
                            text_of(&self.columns, r),
                            c.clone(),
                            format!("{a}\u{1f}{b}"),
                        ]
                    })
                    .collect(),
            };
            for [kind, text, column, pair] in records {
                let (a, b) = pair.split_once('\u{1f}').unwrap_or(("", ""));
                let _ = w.row([kind.as_str(), doc, &s, &e, &text, &column, a, b]);
            }
        }
        let _ = w.flush();
        drop(w);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str =
        "doc,start,end,text,value,value_max,unit,kind,qualifier,unit_raw,rule,context\n\
        a.txt,1,3,3%,3,,%,percent,,%,percent,x\n\
        a.txt,5,9,2969万,29690000,,,count,,万,count.bare,y\n\
        b.txt,0,2,5家,5,,家,count,,家,count,z\n";
    const NEW: &str =
        "doc,start,end,text,value,value_max,unit,kind,qualifier,unit_raw,rule,context\n\
        a.txt,1,3,3%,3,,%,percent,,%,percent,x\n\
        a.txt,5,9,2969万,29690000,,USD,money,,万,money.foreign,y\n\
        a.txt,12,14,9%,9,,%,percent,approx,%,percent,w\n";

    #[test]
    fn added_removed_and_changed_rows() {
        let (old, new) = (
            read_table(OLD.as_bytes()).unwrap(),
            read_table(NEW.as_bytes()).unwrap(),
        );
        let d = diff(&old, &new);
        assert_eq!(d.changes.len(), 3);
        let (total, by_rule) = d.summary(&old, "rule");
        assert_eq!(
            total,
            Counts {
                added: 1,
                removed: 1,
                changed: 1
            }
        );
        assert_eq!(
            by_rule["count"],
            Counts {
                added: 0,
                removed: 1,
                changed: 0
            }
        );
        assert_eq!(by_rule["money.foreign"].changed, 1);
        let text = d.render(&old);
        assert!(
            text.contains("~ a.txt:5-9  2969万 = 29690000 USD  [money money.foreign]"),
            "{text}"
        );
        assert!(text.contains("unit: \"\" → \"USD\"; kind: \"count\" → \"money\"; rule: \"count.bare\" → \"money.foreign\""), "{text}");
        assert!(
            text.contains("- b.txt:0-2  5家 = 5 家  [count count]"),
            "{text}"
        );
        assert!(text.contains("+ a.txt:12-14  9% = 9 % approx"), "{text}");
        let csv = String::from_utf8(d.to_csv(&old, false)).unwrap();
        assert!(
            csv.contains("changed,a.txt,5,9,2969万,unit,,USD\n"),
            "{csv}"
        );
        assert!(csv.contains("removed,b.txt,0,2,5家,,,\n"), "{csv}");
        assert!(diff(&old, &read_table(OLD.as_bytes()).unwrap()).is_empty());
    }
}
