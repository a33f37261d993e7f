//! A headline figure: the cell a row makes, and which of two is cited.

use crate::extract::Quantity;
use crate::meaning::status::{ACTUAL, ESTIMATE, PLAN, TARGET};
use crate::output::Doc;
use crate::text::numeral::{format_value, Value};

/// The columns of `shuliang panel`.
pub const COLUMNS: &[&str] = &[
    "region",
    "level",
    "code",
    "code_now",
    "doc_type",
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

/// A rate's unit: a percentage or percentage points, what the default
/// panel carries (a level's unit is anything else: `CNY`, `人`, `kg`…).
pub fn is_rate(unit: &str) -> bool {
    matches!(unit, "%" | "pp")
}

/// An indicator whose level is itself a percentage (`城镇化率`,
/// `税收占比`, `研发投入强度`), so that points are its change: of any
/// other indicator a figure in points compares growth rates (`增长6.2%、
/// 高于全省0.2个百分点`, `拉动…增长10个百分点`) and is no headline.
pub(super) fn is_share(indicator_id: &str) -> bool {
    ["_share", "_ratio", "_rate", "_intensity"]
        .iter()
        .any(|s| indicator_id.ends_with(s))
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The document's region, level, code and year.
    pub region: String,
    /// `national`, `province`, `prefecture` or `county`.
    pub level: String,
    /// The 6-digit administrative division code in the report's year.
    pub code: String,
    /// The region's code today.
    pub code_now: String,
    /// What the document is (`work_report`, `statistical_bulletin`…).
    pub doc_type: String,
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

/// What makes two candidates the same cell: indicator, period, status
/// (estimate and actual as one) and unit (a growth rate and a level are
/// never one cell).
pub(super) type Key = (String, String, &'static str, String);

impl Cell {
    /// The cell a row makes for `indicator_id`, if it is a panel candidate:
    /// a rate (`%`, `pp`), or with `levels` a level too (`1100亿元`; not an
    /// increment such as `增加5亿元`, which is neither level nor rate).
    pub(super) fn of(
        q: &Quantity,
        indicator_id: &str,
        doc: &Doc<'_>,
        levels: bool,
    ) -> Option<Cell> {
        let points = &*q.unit == "pp";
        if !(is_rate(&q.unit) || levels && q.change.is_none()) || points && !is_share(indicator_id)
        {
            return None;
        }
        let indicator_id = indicator_id.to_string();
        let status = q.status?;
        let report_year = q.report_year(doc.meta);
        let refers_to = q.refers_to?.render(report_year);
        if refers_to.is_empty() {
            return None;
        }
        // A goal for a year two or more after the report's (`一九五七年…将达到`
        // in a report of 1955) is a plan's, no year's target; a report given
        // late in the year sets the next year's (1964 → 1965).
        let later = |y: i32| refers_to.parse::<i32>().is_ok_and(|r| r > y + 1);
        let status = if status == TARGET && report_year.is_some_and(later) {
            PLAN
        } else {
            status
        };
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
            code_now: doc.meta.code_now.clone(),
            doc_type: doc.meta.doc_type.clone(),
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

    /// Whether this candidate is cited rather than `old`, of the same key
    /// ([`Cell::rank`]); but of two results written one right after the
    /// other, an exact figure rather than a bound (`突破3万亿元、达30355.73亿元`:
    /// the milestone passed, then the figure).
    pub(super) fn beats(&self, old: &Cell) -> bool {
        let exact = self.qualifier.is_empty();
        let (first, second) = if self.start < old.start {
            (self, old)
        } else {
            (old, self)
        };
        let adjacent = self.context == old.context && second.start.saturating_sub(first.end) <= 4;
        if self.class() == ACTUAL && adjacent && exact != old.qualifier.is_empty() {
            return exact;
        }
        self.rank() < old.rank()
    }

    /// The status as a panel column knows it: an estimate is a result.
    pub(super) fn class(&self) -> &'static str {
        if self.status == ESTIMATE {
            ACTUAL
        } else {
            self.status
        }
    }

    pub(super) fn key(&self) -> Key {
        (
            self.indicator_id.clone(),
            self.refers_to.clone(),
            self.class(),
            self.unit.clone(),
        )
    }

    pub(super) fn fields(&self) -> [String; 17] {
        [
            self.region.clone(),
            self.level.clone(),
            self.code.clone(),
            self.code_now.clone(),
            self.doc_type.clone(),
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

/// A cell for unit tests of the panel and the scorecard: Hebei's GDP
/// growth of 2015 in a work report, to be changed field by field.
#[cfg(test)]
pub(crate) fn example(status: &'static str, value: Value) -> Cell {
    Cell {
        region: "河北省".into(),
        level: "province".into(),
        code: "130000".into(),
        code_now: "130000".into(),
        doc_type: "work_report".into(),
        report_year: "2015".into(),
        indicator_id: "gdp".into(),
        refers_to: "2015".into(),
        status,
        value,
        value_max: None,
        unit: "%".into(),
        qualifier: "",
        doc: String::new(),
        start: 0,
        end: 0,
        context: String::new(),
        headline: false,
    }
}
