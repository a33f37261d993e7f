//! Comparing two outputs: what a rule change did to a corpus. Rows are
//! keyed by (doc, start, end); a row present on one side only was added or
//! removed, a row on both whose other columns differ was changed.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::output::Sheet;

mod read;

pub use read::Source;
use read::{Docs, Key, Layout};

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
    /// Each differing row, keyed by (doc, start, end).
    pub changes: Vec<((String, usize, usize), Change)>,
    /// Columns of the new output (for reading added and changed rows).
    pub columns: Vec<String>,
    /// Columns of the old output (for reading removed rows).
    pub old_columns: Vec<String>,
}

/// The value of column `name` in `row` (empty where there is no such column).
pub fn value<'r>(columns: &[String], row: &'r [String], name: &str) -> &'r str {
    columns
        .iter()
        .position(|c| c == name)
        .map_or("", |i| row[i].as_str())
}

/// The columns in which two rows differ, as (name, old, new).
fn differing(layout: &Layout, orow: &[String], nrow: &[String]) -> Vec<(String, String, String)> {
    let get = |row: &[String], i: &Option<usize>| i.map_or(String::new(), |i| row[i].clone());
    layout
        .names
        .iter()
        .map(|(name, o, n)| (name.clone(), get(orow, o), get(nrow, n)))
        .filter(|(_, a, b)| a != b)
        .collect()
}

/// Compares two outputs of `extract`, CSV or JSONL, column by column
/// (columns matched by name, any extra columns included). Each is read
/// twice and never held whole: memory goes with the number of rows (a key
/// and a hash each) and the rows that differ.
pub fn diff<O: Source + ?Sized, N: Source + ?Sized>(old: &O, new: &N) -> Result<Diff, String> {
    let layout = Layout::read(old, new)?;
    let mut docs = Docs::default();
    let (wanted, keys) = {
        let before = read::hashes(old, &layout, false, &mut docs)?;
        let after = read::hashes(new, &layout, true, &mut docs)?;
        let moved = |k: &&Key| before.get(*k) != after.get(*k);
        let wanted: HashSet<Key> = before
            .keys()
            .chain(after.keys())
            .filter(moved)
            .copied()
            .collect();
        let mut keys: Vec<Key> = wanted.iter().copied().collect();
        keys.sort_by(|a, b| (docs.name(a.0), a.1, a.2).cmp(&(docs.name(b.0), b.1, b.2)));
        (wanted, keys)
    };
    let mut before = read::rows(old, &wanted, &mut docs)?;
    let mut after = read::rows(new, &wanted, &mut docs)?;
    let mut changes = Vec::with_capacity(keys.len());
    for key in keys {
        let change = match (before.remove(&key), after.remove(&key)) {
            (Some(o), None) => Change::Removed(o),
            (None, Some(n)) => Change::Added(n),
            (Some(o), Some(n)) => Change::Changed(differing(&layout, &o, &n), n),
            (None, None) => continue,
        };
        changes.push(((docs.name(key.0).to_string(), key.1, key.2), change));
    }
    pair_moved(&mut changes, &layout);
    Ok(Diff {
        changes,
        columns: layout.new,
        old_columns: layout.old,
    })
}

/// A row removed and a row added over overlapping text of the same
/// document are one row whose span changed (a unit that now matches makes
/// `9.4万` become `9.4万P`): shown as changed, `start`/`end` among the
/// columns. Each removed row takes the first added row it overlaps, in key
/// order, that no earlier removed row took.
fn pair_moved(changes: &mut Vec<((String, usize, usize), Change)>, layout: &Layout) {
    // Added rows per document, in key order: (start, end, index).
    let mut added: HashMap<&str, Vec<(usize, usize, usize)>> = HashMap::new();
    for (i, ((doc, s, e), c)) in changes.iter().enumerate() {
        if matches!(c, Change::Added(_)) {
            added.entry(doc.as_str()).or_default().push((*s, *e, i));
        }
    }
    let longest: HashMap<&str, usize> = added
        .iter()
        .map(|(d, v)| (*d, v.iter().map(|(s, e, _)| e - s).max().unwrap_or(0)))
        .collect();
    let mut taken = vec![false; changes.len()];
    let mut pairs = Vec::new();
    for (i, ((doc, s, e), c)) in changes.iter().enumerate() {
        let (Change::Removed(_), Some(list)) = (c, added.get(doc.as_str())) else {
            continue;
        };
        // An overlapping added row starts after s - longest and before e.
        let from = list.partition_point(|a| a.0 + longest[doc.as_str()] <= *s);
        let found = list[from..]
            .iter()
            .take_while(|a| a.0 < *e)
            .find(|a| *s < a.1 && !taken[a.2]);
        if let Some(&(_, _, j)) = found {
            taken[j] = true;
            pairs.push((i, j));
        }
    }
    let mut dropped = vec![false; changes.len()];
    for (i, j) in pairs {
        let (Change::Removed(orow), Change::Added(nrow)) = (&changes[i].1, &changes[j].1) else {
            unreachable!("paired a removed row with an added one")
        };
        changes[j].1 = Change::Changed(differing(layout, orow, nrow), nrow.clone());
        dropped[i] = true;
    }
    let mut i = 0;
    changes.retain(|_| {
        i += 1;
        !dropped[i - 1]
    });
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
    pub fn summary(&self, column: &str) -> (Counts, BTreeMap<String, Counts>) {
        let mut total = Counts::default();
        let mut by: BTreeMap<String, Counts> = BTreeMap::new();
        let pick = |cols: &[String], row: &[String]| value(cols, row, column).to_string();
        for (_, change) in &self.changes {
            let (key, bump): (String, fn(&mut Counts)) = match change {
                Change::Added(r) => (pick(&self.columns, r), |c| c.added += 1),
                Change::Removed(r) => (pick(&self.old_columns, r), |c| c.removed += 1),
                Change::Changed(_, r) => (pick(&self.columns, r), |c| c.changed += 1),
            };
            bump(&mut total);
            bump(by.entry(key).or_default());
        }
        (total, by)
    }

    /// The differences as a person reads them: `-` removed, `+` added,
    /// `~` changed with each differing column.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let show = |cols: &[String], row: &[String]| {
            let get = |name: &str| value(cols, row, name);
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
                Change::Removed(r) => writeln!(out, "- {at}  {}", show(&self.old_columns, r)),
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
        let (total, _) = self.summary("rule");
        let _ = writeln!(
            out,
            "{} added, {} removed, {} changed",
            total.added, total.removed, total.changed
        );
        for column in ["rule", "kind"] {
            let (_, by) = self.summary(column);
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
    pub fn to_csv(&self, excel: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = Sheet::new(&mut out, excel);
        let text_of = |cols: &[String], row: &[String]| value(cols, row, "text").to_string();
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
                    text_of(&self.old_columns, r),
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
        let d = diff(OLD.as_bytes(), NEW.as_bytes()).unwrap();
        assert_eq!(d.changes.len(), 3);
        let (total, by_rule) = d.summary("rule");
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
        let text = d.render();
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
        let csv = String::from_utf8(d.to_csv(false)).unwrap();
        assert!(
            csv.contains("changed,a.txt,5,9,2969万,unit,,USD\n"),
            "{csv}"
        );
        assert!(csv.contains("removed,b.txt,0,2,5家,,,\n"), "{csv}");
        assert!(diff(OLD.as_bytes(), OLD.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn a_moved_span_is_one_changed_row_and_columns_match_by_name() {
        // The new output has its columns in another order and one more.
        const MOVED: &str = "end,doc,start,text,value,extra\n\
            4,a.txt,1,3%,3,e\n\
            10,a.txt,5,2969万P,29690000,\n\
            2,b.txt,0,5家,5,\n";
        let old = "doc,start,end,text,value\na.txt,1,4,3%,3\na.txt,5,9,2969万,29690000\nb.txt,0,2,5家,5\n";
        let d = diff(old.as_bytes(), MOVED.as_bytes()).unwrap();
        let shown: Vec<String> = d
            .changes
            .iter()
            .map(|((doc, s, e), c)| match c {
                Change::Changed(cols, _) => {
                    let cols: Vec<&str> = cols.iter().map(|(n, _, _)| n.as_str()).collect();
                    format!("~{doc}:{s}-{e} {}", cols.join(","))
                }
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(shown, ["~a.txt:1-4 extra", "~a.txt:5-10 end,text"]);
        assert_eq!(d.old_columns.len(), 5);
        assert_eq!(d.columns[0], "end");
    }
}
