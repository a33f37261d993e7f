//! The scorecard: for each region, indicator, unit and year, the target a
//! report set, the outcome stated afterwards (by the next year's work
//! report or the year's statistical bulletin), the estimate kept apart
//! (a 预计 figure is never an outcome), and whether the target was met.
//!
//! It is made from the panel's cells (levels included): each figure is
//! chosen among the documents that give it as [`choose`] does, the others
//! named in `conflicts`. The met rule is README's (“Targets met or
//! missed”) and [`Row::met`]'s.

pub mod columns;

use std::collections::{BTreeMap, BTreeSet};

use super::panel::choose::{conflicts, disagreement, distance, slots, Slot};
use super::panel::Cell;
use super::Sheet;
use crate::meaning::status::{ACTUAL, ESTIMATE, TARGET};
use crate::text::numeral::Value;

/// Indicators whose target is a ceiling: met when the outcome stays at or
/// below it, whatever its qualifier (`涨幅3%左右`, `控制在5.5%以内`).
pub const CEILINGS: [&str; 2] = ["cpi", "unemployment_rate"];

/// Indicators a report's targets paragraph normally carries: where a
/// paragraph was read without one of them, its row says `target_stated = no`.
pub const USUAL: [&str; 3] = ["gdp", "cpi", "general_budget_revenue"];

/// `outcome_source` of a next year's work report's actual.
pub const NEXT_REPORT: &str = "next_report";
/// `outcome_source` of an actual stated in the year's own document (its
/// statistical bulletin).
pub const BULLETIN: &str = "bulletin";

/// One row of the scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The region's full name, level and division code.
    pub region: String,
    /// See `region`.
    pub level: String,
    /// See `region`: the code in the row's year.
    pub code: String,
    /// The region's code today.
    pub code_now: String,
    /// The canonical indicator.
    pub indicator_id: String,
    /// The unit of target and outcome alike (`%`, `pp`, `CNY`…).
    pub unit: String,
    /// The year the target is for and the outcome about.
    pub year: i32,
    /// The chosen target (the year's own report first).
    pub target: Option<Cell>,
    /// `yes` with a target; `no` where the year's report has a targets
    /// paragraph without this [`USUAL`] indicator; else empty.
    pub target_stated: &'static str,
    /// The chosen outcome and its source ([`NEXT_REPORT`] or [`BULLETIN`]).
    pub outcome: Option<(Cell, &'static str)>,
    /// The next report's 预计 figure, never an outcome.
    pub estimate: Option<Cell>,
    /// Other documents' figures for the target, outcome and estimate:
    /// `target: doc:value; outcome: doc:value`.
    pub conflicts: String,
    /// The target is a decrease (能耗降低3%): target, outcome and estimate
    /// are written as reductions (3, and 3.5 for 下降3.5%).
    pub decrease: bool,
}

impl Row {
    fn new(slot: &Slot) -> Row {
        Row {
            region: slot.region.clone(),
            level: slot.level.clone(),
            code: slot.code.clone(),
            code_now: slot.code_now.clone(),
            indicator_id: slot.indicator_id.clone(),
            unit: slot.unit.clone(),
            year: slot.year,
            target: None,
            target_stated: "",
            outcome: None,
            estimate: None,
            conflicts: String::new(),
            decrease: false,
        }
    }

    /// A decrease target's row in reductions: its cells' signs turned
    /// (a fall of 3% is a reduction of 3, a range −2..−1 is 1..2).
    fn as_reductions(&mut self) {
        let turn = |c: &mut Cell| {
            let (low, high) = (c.value, c.value_max.take());
            c.value = -high.unwrap_or(low);
            c.value_max = high.map(|_| -low);
        };
        self.target.iter_mut().for_each(turn);
        self.outcome.iter_mut().for_each(|(c, _)| turn(c));
        self.estimate.iter_mut().for_each(turn);
        self.decrease = true;
    }

    /// Whether the target is met: empty without a target or an outcome.
    /// A ceiling ([`CEILINGS`], or a `less_than` target such as 以内/以下)
    /// is met when the outcome is at or below its upper end (`value_max`
    /// of a range, else `value`). Any other target (bare, 以上, 左右, 约, a
    /// range) is met when the outcome is at or above its lower end; a
    /// decrease target (能耗降低3%) is in reductions, so when the reduction
    /// reached at least the one set.
    pub fn met(&self) -> Option<bool> {
        let (t, (o, _)) = (self.target.as_ref()?, self.outcome.as_ref()?);
        let ceiling = CEILINGS.contains(&t.indicator_id.as_str()) || t.qualifier == "less_than";
        Some(if ceiling {
            o.value <= t.value_max.unwrap_or(t.value)
        } else {
            o.value >= t.value
        })
    }

    /// The outcome minus the target's lower end, in the target's unit.
    pub fn gap(&self) -> Option<Value> {
        Some(self.outcome.as_ref()?.0.value - self.target.as_ref()?.value)
    }
}

/// What a row is of: region (name, level, code), indicator, unit, year.
type Key = (String, String, String, String, String, i32);

fn key(slot: &Slot) -> Key {
    (
        slot.region.clone(),
        slot.level.clone(),
        slot.code.clone(),
        slot.indicator_id.clone(),
        slot.unit.clone(),
        slot.year,
    )
}

/// The scorecard of the panel's `cells` (with levels), in order of
/// region, indicator, unit and year, and a warning for each figure whose
/// documents disagree. `only`: the indicators asked for (all when empty),
/// for the `target_stated = no` rows.
pub fn scorecard(cells: &[Cell], only: &[String]) -> (Vec<Row>, Vec<String>) {
    let mut rows: BTreeMap<Key, Row> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (slot, cs) in &slots(cells) {
        let usual = |c: &&&Cell| match slot.status {
            TARGET => true,
            ACTUAL => distance(c, slot.year) <= 1,
            ESTIMATE => distance(c, slot.year) == 0,
            _ => false,
        };
        let kept: Vec<&Cell> = cs.iter().filter(usual).copied().collect();
        let Some(&first) = kept.first() else {
            continue;
        };
        warnings.extend(disagreement(slot, &kept));
        let row = rows.entry(key(slot)).or_insert_with(|| Row::new(slot));
        if kept.len() > 1 {
            let sep = if row.conflicts.is_empty() { "" } else { "; " };
            row.conflicts += &format!("{sep}{}: {}", slot.status, conflicts(&kept));
        }
        match slot.status {
            TARGET => {
                row.target = Some(first.clone());
                row.target_stated = "yes";
            }
            ACTUAL => {
                let source = if distance(first, slot.year) == 0 {
                    NEXT_REPORT
                } else {
                    BULLETIN
                };
                row.outcome = Some((first.clone(), source));
            }
            _ => row.estimate = Some(first.clone()),
        }
    }
    in_reductions(&mut rows);
    unstated(cells, only, &mut rows);
    rows.retain(|_, r| r.target.is_some() || r.outcome.is_some() || r.target_stated == "no");
    (rows.into_values().collect(), warnings)
}

/// Writes decrease targets' rows in reductions: a row whose target is a
/// fall (能耗降低3%, not a ceiling), and a row without a target of a
/// region's indicator and unit whose every target is a fall (能耗 outcomes
/// of the years that set none), so that its outcomes are in one sense.
fn in_reductions(rows: &mut BTreeMap<Key, Row>) {
    let zero = Value::from_integer(0);
    let fall =
        |t: &Cell| t.value_max.unwrap_or(t.value) < zero && !CEILINGS.contains(&&*t.indicator_id);
    // Per region, indicator and unit (the key but the year): whether
    // every target is a fall.
    let series = |k: &Key| {
        (
            k.0.clone(),
            k.1.clone(),
            k.2.clone(),
            k.3.clone(),
            k.4.clone(),
        )
    };
    let mut falls = BTreeMap::new();
    for (k, r) in rows.iter() {
        if let Some(t) = &r.target {
            *falls.entry(series(k)).or_insert(true) &= fall(t);
        }
    }
    let turn: BTreeSet<Key> = rows
        .iter()
        .filter(|(k, r)| match &r.target {
            Some(t) => fall(t),
            None => falls.get(&series(k)) == Some(&true),
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in &turn {
        if let Some(r) = rows.get_mut(k) {
            r.as_reductions();
        }
    }
}

/// Marks `target_stated = no` for each [`USUAL`] indicator that a year's
/// report (any copy of it) leaves out of the targets it states, in a row
/// of its growth rate (`%`), made if need be. A report's targets were read
/// when it has a targets paragraph (`主要预期目标是：`) or three targets
/// for its year (the State Council in 2020: 主要目标：城镇新增就业900万人以上…,
/// and no GDP target).
fn unstated(cells: &[Cell], only: &[String], rows: &mut BTreeMap<Key, Row>) {
    type Place = (String, String, String, String, i32);
    let mut years: BTreeMap<Place, (bool, BTreeSet<&str>)> = BTreeMap::new();
    let mut counts: BTreeMap<(&str, i32), usize> = BTreeMap::new();
    for c in cells
        .iter()
        .filter(|c| c.status == TARGET && c.refers_to == c.report_year)
    {
        let Ok(year) = c.report_year.parse::<i32>() else {
            continue;
        };
        let e = years
            .entry((
                c.region.clone(),
                c.level.clone(),
                c.code.clone(),
                c.code_now.clone(),
                year,
            ))
            .or_default();
        let n = counts.entry((&c.doc, year)).or_default();
        *n += 1;
        e.0 |= c.headline || *n >= 3;
        e.1.insert(&c.indicator_id);
    }
    for ((region, level, code, code_now, year), (paragraph, stated)) in years {
        for id in USUAL {
            if !paragraph
                || stated.contains(id)
                || !(only.is_empty() || only.iter().any(|o| o == id))
            {
                continue;
            }
            let slot = Slot {
                region: region.clone(),
                level: level.clone(),
                code: code.clone(),
                code_now: code_now.clone(),
                year,
                indicator_id: id.to_string(),
                unit: "%".into(),
                status: TARGET,
            };
            rows.entry(key(&slot))
                .or_insert_with(|| Row::new(&slot))
                .target_stated = "no";
        }
    }
}

/// Writes the scorecard as CSV, the columns of [`columns::TABLE`];
/// `excel`: for Excel ([`Sheet`]).
pub fn write(rows: &[Row], excel: bool, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = Sheet::new(out, excel);
    w.row(columns::TABLE.iter().map(|c| c.name))?;
    for r in rows {
        w.row(columns::TABLE.iter().map(|c| (c.get)(r)))?;
    }
    w.flush()
}

/// Writes the scorecard as a Parquet table, each column of
/// [`columns::TABLE`] with its type, empty cells null.
#[cfg(feature = "parquet")]
pub fn write_parquet(rows: &[Row], out: impl std::io::Write + Send) -> std::io::Result<()> {
    use super::parquet::{Field, Table};
    let fields = columns::TABLE
        .iter()
        .map(|c| Field::optional(c.name, c.ty))
        .collect();
    let mut table = Table::new(out, fields)?;
    for r in rows {
        table.push(columns::TABLE.iter().map(|c| (c.get)(r).into()))?;
    }
    table.finish()
}

#[cfg(test)]
mod tests;
