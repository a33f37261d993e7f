//! One figure per place, year, indicator, unit and status when several
//! documents give it (a GBK and a UTF-8 copy of one report, a target and
//! its restatement a year later, a next report and a bulletin): the one
//! chosen is named, the others are kept, and a disagreement is said.

use std::collections::BTreeMap;

use super::cell::Cell;
use crate::meaning::status::{ACTUAL, ESTIMATE};
use crate::text::numeral::format_value;

/// What makes figures of several documents one: the region (name, level,
/// code), the year the figure is about, the indicator, the unit and the
/// status (an estimate is its own, never an actual).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// The region's full name.
    pub region: String,
    /// Its level.
    pub level: String,
    /// Its division code in the figure's year.
    pub code: String,
    /// Its division code today.
    pub code_now: String,
    /// The year the figure is about.
    pub year: i32,
    /// The canonical indicator.
    pub indicator_id: String,
    /// The figure's unit (`%`, `pp`, `CNY`…).
    pub unit: String,
    /// `target`, `estimate`, `actual` or `plan`.
    pub status: &'static str,
}

/// The figures of one slot, best first (see [`rank`]).
pub type Slots<'c> = BTreeMap<Slot, Vec<&'c Cell>>;

/// The annual cells (`refers_to` a year) by slot, each slot's cells best first.
pub fn slots(cells: &[Cell]) -> Slots<'_> {
    let mut out: Slots<'_> = BTreeMap::new();
    for c in cells {
        let Ok(year) = c.refers_to.parse::<i32>() else {
            continue;
        };
        let slot = Slot {
            region: c.region.clone(),
            level: c.level.clone(),
            code: c.code.clone(),
            code_now: c.code_now.clone(),
            year,
            indicator_id: c.indicator_id.clone(),
            unit: c.unit.clone(),
            status: c.status,
        };
        out.entry(slot).or_default().push(c);
    }
    for (slot, cs) in out.iter_mut() {
        cs.sort_by(|a, b| rank(a, slot.year).cmp(&rank(b, slot.year)));
    }
    out
}

/// How far a cell's report is from the year it is about, as a source:
/// 0 the usual one (a year's own report for a target or plan, the next
/// year's report for an actual or estimate), 1 the next best (a target
/// restated the next year, an actual of the year's own statistical
/// bulletin), 2 any other.
pub fn distance(c: &Cell, year: i32) -> u8 {
    let Ok(report) = c.report_year.parse::<i32>() else {
        return 2;
    };
    let usual = if matches!(c.status, ACTUAL | ESTIMATE) {
        year + 1
    } else {
        year
    };
    let next_best = if usual == year { year + 1 } else { year };
    match report {
        r if r == usual => 0,
        r if r == next_best => 1,
        _ => 2,
    }
}

/// The order in which a slot's cells are chosen: the usual source first
/// ([`distance`]), a targets paragraph's figure before a later mention,
/// then by document id and offset, so the choice never depends on the
/// order the documents were read in.
fn rank(c: &Cell, year: i32) -> (u8, bool, &str, usize) {
    (distance(c, year), !c.headline, &c.doc, c.start)
}

/// A cell's figure as the `conflicts` columns write it: `doc:value`, a
/// range as `doc:value~max`.
pub fn cited(c: &Cell) -> String {
    match &c.value_max {
        Some(m) => format!("{}:{}~{}", c.doc, format_value(&c.value), format_value(m)),
        None => format!("{}:{}", c.doc, format_value(&c.value)),
    }
}

/// The other documents' figures of a slot (all but the chosen first), as
/// one `conflicts` cell: `doc:value; doc:value`.
pub fn conflicts(cells: &[&Cell]) -> String {
    cells
        .iter()
        .skip(1)
        .map(|c| cited(c))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A warning when the documents of a slot disagree on its figure (value
/// or upper end): which was chosen, and what the others give.
pub fn disagreement(slot: &Slot, cells: &[&Cell]) -> Option<String> {
    let (first, rest) = cells.split_first()?;
    let differ = |c: &&&Cell| (&c.value, &c.value_max) != (&first.value, &first.value_max);
    if !rest.iter().any(|c| differ(&c)) {
        return None;
    }
    Some(format!(
        "{} {} {} ({}) {}: {} chosen, other documents give {}",
        slot.region,
        slot.year,
        slot.indicator_id,
        slot.unit,
        slot.status,
        cited(first),
        conflicts(cells)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meaning::status::TARGET;
    use crate::text::numeral::Value;

    fn cell(doc: &str, report_year: &str, status: &'static str, value: i128) -> Cell {
        Cell {
            report_year: report_year.into(),
            doc: doc.into(),
            start: 10,
            end: 12,
            ..crate::output::panel::example(status, Value::from_integer(value))
        }
    }

    #[test]
    fn the_usual_source_wins_and_the_others_are_kept() {
        let cells = vec![
            cell("b-2016.txt", "2016", TARGET, 7),
            cell("z-2015.txt", "2015", TARGET, 7),
            cell("a-2015-gbk.txt", "2015", TARGET, 8),
            cell("c-2016.txt", "2016", ACTUAL, 6),
            cell("b-2015.txt", "2015", ACTUAL, 6),
        ];
        let s = slots(&cells);
        let (slot, targets) = s.iter().find(|(s, _)| s.status == TARGET).unwrap();
        let docs: Vec<&str> = targets.iter().map(|c| c.doc.as_str()).collect();
        assert_eq!(docs, ["a-2015-gbk.txt", "z-2015.txt", "b-2016.txt"]);
        assert_eq!(conflicts(targets), "z-2015.txt:7; b-2016.txt:7");
        let warning = disagreement(slot, targets).unwrap();
        assert!(warning.contains("a-2015-gbk.txt:8 chosen"), "{warning}");
        let (slot, actuals) = s.iter().find(|(s, _)| s.status == ACTUAL).unwrap();
        assert_eq!(
            actuals[0].doc, "c-2016.txt",
            "the next report before the bulletin"
        );
        assert_eq!(distance(actuals[1], 2015), 1);
        assert_eq!(disagreement(slot, actuals), None, "they agree");
    }
}
