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
use crate::meaning::status::{ACTUAL, ESTIMATE, PLAN, TARGET};
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

/// The nine headline indicators `panel --check` reports on, one column each.
pub const HEADLINE: [&str; 9] = [
    "gdp",
    "general_budget_revenue",
    "fixed_asset_investment",
    "retail_sales",
    "disposable_income",
    "urban_income",
    "rural_income",
    "cpi",
    "unemployment_rate",
];

/// What `panel --check` says of one report: its year and where it was
/// read, the stretches of text read as review, targets and plan, and which
/// headline cells were found, so that a researcher sees which reports to
/// read by hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Check {
    /// The document id.
    pub doc: String,
    /// The report's region, as in the panel.
    pub region: String,
    /// The report's year, empty when nothing gave one.
    pub report_year: String,
    /// Where the year was read (`title`, `review_heading`, `closing_date`,
    /// `header`, `manifest`, `file_name`).
    pub year_from: &'static str,
    /// Other sources that gave another year (`header 2018`).
    pub year_others: String,
    /// Code-point spans (first and last figure) and row counts of the
    /// figures read as results (actual or estimate), targets and plans.
    pub stretches: [Option<(usize, usize, usize)>; 3],
    /// A statistical bulletin (its rows are the bulletin year's results).
    pub bulletin: bool,
    /// For each of [`HEADLINE`]: the statuses found (`target`, `estimate`, `actual`).
    pub found: [Vec<&'static str>; 9],
}

/// The `panel --check` columns before the nine headline indicators.
const CHECK_COLUMNS: &[&str] = &[
    "doc",
    "region",
    "report_year",
    "year_from",
    "year_others",
    "review",
    "targets",
    "plan",
];

impl Check {
    fn of(doc: &Doc<'_>) -> Check {
        Check {
            doc: doc.id.to_string(),
            region: doc.meta.region.clone(),
            report_year: doc.meta.year.clone(),
            year_from: doc.meta.year_from.as_str(),
            year_others: doc.meta.year_others.clone(),
            ..Check::default()
        }
    }

    /// Takes a row's status into the stretches.
    fn add(&mut self, q: &Quantity) {
        self.bulletin |= q.part_year.is_some();
        let slot = match q.status {
            Some(ACTUAL | ESTIMATE) => 0,
            Some(TARGET) => 1,
            Some(PLAN) => 2,
            _ => return,
        };
        let s = &mut self.stretches[slot];
        *s = Some(match *s {
            None => (q.start, q.end, 1),
            Some((a, b, n)) => (a.min(q.start), b.max(q.end), n + 1),
        });
    }

    /// What a researcher should be told on stderr about this report.
    pub fn warning(&self) -> Option<String> {
        let [review, targets, _] = self.stretches;
        let why = if self.report_year.is_empty() {
            "no report year found (title, date line, review heading, file name): its figures have no period"
        } else if targets.is_some() && review.is_none() && !self.bulletin {
            "targets were read but no review of the year before"
        } else if review.is_some() && targets.is_none() && !self.bulletin {
            "a review was read but no targets for the year"
        } else {
            return None;
        };
        Some(format!("{}: {why}", self.doc))
    }

    fn fields(&self) -> Vec<String> {
        let span = |s: Option<(usize, usize, usize)>| {
            s.map_or(String::new(), |(a, b, n)| format!("{a}-{b} ({n} rows)"))
        };
        let mut f = vec![
            self.doc.clone(),
            self.region.clone(),
            self.report_year.clone(),
            self.year_from.to_string(),
            self.year_others.clone(),
            span(self.stretches[0]),
            span(self.stretches[1]),
            span(self.stretches[2]),
        ];
        f.extend(self.found.iter().map(|s| s.join(" ")));
        f
    }
}

/// Writes `panel --check`: one row per report.
pub fn write_checks(checks: &[Check], out: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv_writer(out);
    w.write_record(CHECK_COLUMNS.iter().chain(&HEADLINE))?;
    for c in checks {
        w.write_record(c.fields())?;
    }
    w.flush()?;
    Ok(())
}

/// Collects the headline cells of every document as the batch runs: a
/// [`Format`] that writes nothing (the cells come from [`Panel::cells`]), keeping only the
/// best candidate per key (memory grows with cells, not rows).
pub struct Panel<'r> {
    cells: Mutex<HashMap<String, BTreeMap<Key, Cell>>>,
    checks: Mutex<HashMap<String, Check>>,
    /// Only these indicators (all when empty).
    only: BTreeSet<String>,
    rules: &'r RuleSet,
}

impl Format for Panel<'_> {
    fn header(&self, _out: &mut Vec<u8>) {}

    fn rows(&self, _out: &mut Vec<u8>, doc: Doc<'_>, rows: &[Quantity]) {
        {
            let mut checks = self.checks.lock().expect("no panic while holding the lock");
            let check = checks
                .entry(doc.id.to_string())
                .or_insert_with(|| Check::of(&doc));
            rows.iter().for_each(|q| check.add(q));
        }
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
            checks: Mutex::default(),
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
        self.finish(order).0
    }

    /// The cells, as [`Panel::cells`], and what `panel --check` says of
    /// each document read, in `order`.
    pub fn finish(self, order: &[String]) -> (Vec<Cell>, Vec<Check>) {
        let mut all = self
            .cells
            .into_inner()
            .expect("no panic while holding the lock");
        let mut checks = self
            .checks
            .into_inner()
            .expect("no panic while holding the lock");
        let mut out = Vec::new();
        let mut report = Vec::new();
        for doc in order {
            let mut check = checks.remove(doc);
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
                if let Some(check) = check.as_mut() {
                    for c in cells.iter().filter(|c| {
                        c.refers_to == c.report_year
                            || c.refers_to.parse::<i32>().ok()
                                == c.report_year.parse::<i32>().ok().map(|y| y - 1)
                    }) {
                        if let Some(i) = HEADLINE.iter().position(|h| *h == c.indicator_id) {
                            if !check.found[i].contains(&c.status) {
                                check.found[i].push(c.status);
                            }
                        }
                    }
                }
                out.extend(cells);
            }
            report.extend(check);
        }
        (out, report)
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
