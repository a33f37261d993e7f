//! The panel: one row per headline figure of a report, the statement a
//! researcher would cite for a (document, indicator, period, status).
//!
//! Rows come from the extractor as usual; a figure is a panel candidate
//! when it is a percentage (a growth rate, a rate) with an `indicator_id`,
//! a `status` and a `refers_to`. Of the candidates with the same key the
//! first in the document wins: a report states its targets paragraph before
//! it restates a target in the work sections, and opens with the review of
//! the year before it details it. An estimate and an actual of the same
//! indicator and year are one key: the first is the headline.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::extract::Quantity;
use crate::meaning::status::{ACTUAL, ESTIMATE, TARGET};
use crate::output::{csv_writer, Doc, Format};
use crate::rules::RuleSet;
use crate::text::numeral::{format_value, Value};

/// The columns of `shuliang panel`.
pub const COLUMNS: &[&str] = &[
    "region",
    "level",
    "code",
    "report_year",
    "indicator_id",
    "refers_to",
    "status",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "doc",
    "start",
    "end",
    "context",
];

/// One headline figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The document's region, level, code and year.
    pub region: String,
    /// `national`, `province`, `prefecture` or `county`.
    pub level: String,
    /// The 6-digit administrative division code.
    pub code: String,
    /// The report's year.
    pub report_year: String,
    /// The canonical indicator.
    pub indicator_id: String,
    /// The period, as in the `refers_to` column.
    pub refers_to: String,
    /// `target`, `estimate`, `actual` or `plan`.
    pub status: &'static str,
    /// Signed: a fall (`下降0.1%`) is negative.
    pub value: Value,
    /// Upper end of a range.
    pub value_max: Option<Value>,
    /// The unit (`%`).
    pub unit: String,
    /// As in the extract output.
    pub qualifier: &'static str,
    /// Where it was stated.
    pub doc: String,
    /// Code-point offsets of the mention.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// Its sentence.
    pub context: String,
    /// Stated in a targets paragraph (`主要预期目标是：…`).
    pub headline: bool,
}

/// What makes two candidates the same cell: indicator, period, and status
/// (estimate and actual as one).
type Key = (String, String, &'static str);

impl Cell {
    /// The cell a row makes for `indicator_id`, if it is a panel candidate.
    fn of(q: &Quantity, indicator_id: &str, doc: &Doc<'_>) -> Option<Cell> {
        if &*q.kind != "percent" {
            return None;
        }
        let indicator_id = indicator_id.to_string();
        let status = q.status?;
        let report_year = q.report_year(doc.meta);
        let refers_to = q.refers_to?.render(report_year);
        if refers_to.is_empty() {
            return None;
        }
        let fall = q.change == Some("decrease");
        let sign = |v: Value| if fall { -v } else { v };
        let (value, value_max) = match q.value_max {
            // `下降1%-2%`: from −2 to −1.
            Some(max) if fall => (sign(max), Some(sign(q.value))),
            max => (q.value, max),
        };
        Some(Cell {
            region: doc.meta.region.clone(),
            level: doc.meta.level.clone(),
            code: doc.meta.code.clone(),
            report_year: report_year.map_or(String::new(), |y| y.to_string()),
            indicator_id,
            refers_to,
            status,
            value: sign(value),
            value_max,
            unit: q.unit.to_string(),
            qualifier: q.qualifier.unwrap_or(""),
            doc: doc.id.to_string(),
            start: q.start,
            end: q.end,
            context: q.context.clone(),
            headline: q.cues.headline,
        })
    }

    /// Which of two candidates for a key is cited: a target from the
    /// targets paragraph, else the first stated.
    fn rank(&self) -> (bool, usize) {
        (!(self.headline && self.status == TARGET), self.start)
    }

    /// The status as a panel column knows it: an estimate is a result.
    fn class(&self) -> &'static str {
        if self.status == ESTIMATE {
            ACTUAL
        } else {
            self.status
        }
    }

    fn key(&self) -> Key {
        (
            self.indicator_id.clone(),
            self.refers_to.clone(),
            self.class(),
        )
    }

    fn fields(&self) -> [String; 15] {
        [
            self.region.clone(),
            self.level.clone(),
            self.code.clone(),
            self.report_year.clone(),
            self.indicator_id.clone(),
            self.refers_to.clone(),
            self.status.to_string(),
            format_value(&self.value),
            self.value_max.as_ref().map_or(String::new(), format_value),
            self.unit.clone(),
            self.qualifier.to_string(),
            self.doc.clone(),
            self.start.to_string(),
            self.end.to_string(),
            self.context.clone(),
        ]
    }
}

/// Collects the headline cells of every document as the batch runs: a
/// [`Format`] that writes nothing (the cells come from [`Panel::cells`]), keeping only the
/// best candidate per key (memory grows with cells, not rows).
pub struct Panel<'r> {
    cells: Mutex<HashMap<String, BTreeMap<Key, Cell>>>,
    /// Only these indicators (all when empty).
    only: BTreeSet<String>,
    rules: &'r RuleSet,
}

impl Format for Panel<'_> {
    fn header(&self, _out: &mut Vec<u8>) {}

    fn rows(&self, _out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]) {
        let found: Vec<Cell> = rows
            .iter()
            .flat_map(|q| {
                self.ids(q)
                    .into_iter()
                    .filter_map(|id| Cell::of(q, &id, &doc))
                    .collect::<Vec<_>>()
            })
            .filter(|c| self.only.is_empty() || self.only.contains(&c.indicator_id))
            .collect();
        if found.is_empty() {
            return;
        }
        let mut all = self.cells.lock().expect("no panic while holding the lock");
        let cells = all.entry(doc.id.to_string()).or_default();
        for c in found {
            match cells.get(&c.key()) {
                Some(old) if old.rank() <= c.rank() => {}
                _ => {
                    cells.insert(c.key(), c);
                }
            }
        }
    }
}

impl<'r> Panel<'r> {
    /// A panel of the indicators `only` (all when empty), with the rules
    /// that extracted the rows.
    pub fn new(only: impl IntoIterator<Item = String>, rules: &'r RuleSet) -> Panel<'r> {
        Panel {
            cells: Mutex::default(),
            only: only.into_iter().collect(),
            rules,
        }
    }

    /// The indicators a row is of: its own, or each item of a list that
    /// one number is shared by (`城镇、农村常住居民人均可支配收入均增长8%`),
    /// when every item has an id of its own.
    fn ids(&self, q: &Quantity) -> Vec<Arc<str>> {
        if let Some(id) = &q.indicator_id {
            return vec![id.clone()];
        }
        if !q.cues.shared && !q.indicator.contains('、') {
            return Vec::new();
        }
        let ir = &self.rules.indicators;
        ir.items(&q.indicator)
            .into_iter()
            .flatten()
            .filter_map(|p| ir.id_of(&p))
            .collect()
    }

    /// The cells of each document in `order` (document ids, input order),
    /// each document's cells in text order.
    pub fn cells(self, order: &[String]) -> Vec<Cell> {
        let mut all = self
            .cells
            .into_inner()
            .expect("no panic while holding the lock");
        let mut out = Vec::new();
        for doc in order {
            if let Some(cells) = all.remove(doc) {
                // Where a report has a targets paragraph, a goal for the year
                // stated only in a later work section is not a headline figure.
                let paragraph = cells.values().any(|c| c.status == TARGET && c.headline);
                let mut cells: Vec<Cell> = cells
                    .into_values()
                    .filter(|c| {
                        !(paragraph
                            && c.status == TARGET
                            && !c.headline
                            && c.refers_to == c.report_year)
                    })
                    .collect();
                cells.sort_by(|a, b| (a.start, &a.indicator_id).cmp(&(b.start, &b.indicator_id)));
                out.extend(cells);
            }
        }
        out
    }
}

/// Writes cells wide ([`write_wide`]) or long ([`write_long`]), as
/// `shuliang panel [--wide]` and the Python binding both do.
pub fn write(cells: &[Cell], wide: bool, out: impl std::io::Write) -> csv::Result<()> {
    if wide {
        write_wide(cells, out)
    } else {
        write_long(cells, out)
    }
}

/// Writes cells as CSV, one row each.
pub fn write_long(cells: &[Cell], out: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv_writer(out);
    w.write_record(COLUMNS)?;
    for c in cells {
        w.write_record(c.fields())?;
    }
    w.flush()?;
    Ok(())
}

/// Writes cells as one row per region and year (the year the figures are
/// about), a column per indicator and status (`gdp_target`, `gdp_actual`):
/// a year's target and its result side by side, from the two reports that
/// state them, each with a `_doc` column naming the report it came from.
/// Only annual cells; an estimate fills `_actual` where no actual is stated.
pub fn write_wide(cells: &[Cell], out: impl std::io::Write) -> csv::Result<()> {
    type Row = BTreeMap<String, String>;
    let mut rows: BTreeMap<(String, String, String, i32), Row> = BTreeMap::new();
    let mut columns: BTreeSet<String> = BTreeSet::new();
    for c in cells {
        let Ok(year) = c.refers_to.parse::<i32>() else {
            continue;
        };
        let row = rows
            .entry((c.region.clone(), c.level.clone(), c.code.clone(), year))
            .or_default();
        let col = format!("{}_{}", c.indicator_id, c.class());
        // The later report's figure is the settled one (an actual over an estimate).
        if row.contains_key(&col) && c.status == ESTIMATE {
            continue;
        }
        row.insert(col.clone(), format_value(&c.value));
        row.insert(format!("{col}_doc"), c.doc.clone());
        columns.insert(col);
    }
    let mut w = csv_writer(out);
    let mut header = vec![
        "region".to_string(),
        "level".into(),
        "code".into(),
        "year".into(),
    ];
    for c in &columns {
        header.push(c.clone());
        header.push(format!("{c}_doc"));
    }
    w.write_record(&header)?;
    for ((region, level, code, year), row) in &rows {
        let mut rec = vec![
            region.clone(),
            level.clone(),
            code.clone(),
            year.to_string(),
        ];
        for c in &columns {
            for k in [c.clone(), format!("{c}_doc")] {
                rec.push(row.get(&k).cloned().unwrap_or_default());
            }
        }
        w.write_record(&rec)?;
    }
    w.flush()?;
    Ok(())
}
