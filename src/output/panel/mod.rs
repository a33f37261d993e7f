//! The panel: one row per headline figure of a report, the statement a
//! researcher would cite for a (document, indicator, period, status).
//!
//! Rows come from the extractor as usual; a figure is a panel candidate
//! when it is a rate (`%` or `pp`: a growth rate, a rate, a change in
//! points), or with levels any figure that is not an increment, with an
//! `indicator_id`, a `status` and a `refers_to`. Of the candidates with the same key the
//! first in the document wins (but an exact result beats a bound one in its
//! sentence, `突破3万亿元、达30355.73亿元`): a report states its targets paragraph before
//! it restates a target in the work sections, and opens with the review of
//! the year before it details it. An estimate and an actual of the same
//! indicator and year are one key: the first is the headline.

mod cell;
#[cfg(test)]
pub(crate) use cell::example;
mod check;
pub mod choose;
mod worded;
mod write;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::extract::Quantity;
use crate::meaning::status::TARGET;
use crate::output::{Piece, Sink};
use crate::rules::RuleSet;

use cell::is_share;
use cell::Key;
pub use cell::{is_rate, Cell, COLUMNS};
pub use check::{write_checks, Check, HEADLINE};
pub use write::write;
#[cfg(feature = "parquet")]
pub use write::write_parquet;

/// Collects the headline cells of every document as the run goes: a
/// [`Sink`] that keeps only the best candidate per key (memory grows with
/// cells, not rows); the cells come from [`Panel::finish`].
pub struct Panel<'r> {
    cells: HashMap<String, BTreeMap<Key, Cell>>,
    checks: HashMap<String, Check>,
    /// Only these indicators (all when empty).
    only: BTreeSet<String>,
    /// Levels (`CNY`, `人`, `kg`…) as well as rates (`%`, `pp`).
    levels: bool,
    rules: &'r RuleSet,
}

impl Sink for Panel<'_> {
    /// The piece's candidate cells, found in the worker.
    type Part = Vec<Cell>;

    fn part(&self, piece: &Piece<'_>) -> Vec<Cell> {
        piece
            .rows
            .iter()
            .flat_map(|q| {
                self.ids(q)
                    .into_iter()
                    .filter_map(|id| Cell::of(q, &id, &piece.doc, self.levels))
                    .collect::<Vec<_>>()
            })
            .chain(worded::cells(self.rules, piece, self.levels))
            .filter(|c| self.only.is_empty() || self.only.contains(&c.indicator_id))
            .collect()
    }

    fn take(&mut self, piece: &Piece<'_>, found: Vec<Cell>) -> std::io::Result<()> {
        let doc = &piece.doc;
        let check = self
            .checks
            .entry(doc.id.to_string())
            .or_insert_with(|| Check::of(doc));
        piece.rows.iter().for_each(|q| check.add(q));
        if found.is_empty() {
            return Ok(());
        }
        let cells = self.cells.entry(doc.id.to_string()).or_default();
        for c in found {
            match cells.get(&c.key()) {
                Some(old) if !c.beats(old) => {}
                _ => {
                    cells.insert(c.key(), c);
                }
            }
        }
        Ok(())
    }
}

impl<'r> Panel<'r> {
    /// A panel of the indicators `only` (all when empty), with the rules
    /// that extracted the rows.
    pub fn new(only: impl IntoIterator<Item = String>, rules: &'r RuleSet) -> Panel<'r> {
        Panel {
            cells: HashMap::new(),
            checks: HashMap::new(),
            only: only.into_iter().collect(),
            levels: false,
            rules,
        }
    }

    /// The same panel with levels (`地区生产总值1100亿元`, `粮食产量N万吨`)
    /// beside the rates when `yes`, each with its unit.
    pub fn with_levels(mut self, yes: bool) -> Panel<'r> {
        self.levels = yes;
        self
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
        let (mut all, mut checks) = (self.cells, self.checks);
        let mut out = Vec::new();
        let mut report = Vec::new();
        for doc in order {
            let mut check = checks.remove(doc);
            if let Some(cells) = all.remove(doc) {
                // Where a report has a targets paragraph, a goal for the year
                // stated only in a later work section is not a headline figure;
                // but a paragraph of macro-control goals (the 1990s'
                // 宏观调控目标: growth and prices) leaves the year's other goals
                // headline figures where they are stated (投资, 粮食).
                let control = self.rules.status.control_paragraph.as_ref();
                let mut headline = cells.values().filter(|c| c.status == TARGET && c.headline);
                let paragraph = headline.any(|c| control.is_none_or(|re| !re.is_match(&c.context)));
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
