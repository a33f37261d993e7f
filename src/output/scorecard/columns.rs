//! The scorecard's columns, once: name, type, meaning and how each is
//! read from a [`Row`]. The CSV, `shuliang schema --scorecard` and the
//! Python binding (`SCORECARD_TABLE`) read this table.

use serde_json::{json, Value};

use super::{Row, BULLETIN, NEXT_REPORT};
use crate::output::columns::Type;
use crate::output::panel::Cell;
use crate::text::numeral::format_value;

/// One column of the scorecard.
pub struct Column {
    /// The header's name.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// What it means.
    pub about: &'static str,
    /// The cell of a row.
    pub get: fn(&Row) -> String,
}

const fn col(name: &'static str, ty: Type, about: &'static str, get: fn(&Row) -> String) -> Column {
    Column {
        name,
        ty,
        about,
        get,
    }
}

use Type::{Integer as Int, Number as Num, String as Str};

fn value(c: Option<&Cell>) -> String {
    c.map_or(String::new(), |c| format_value(&c.value))
}

fn doc(c: Option<&Cell>) -> String {
    c.map_or(String::new(), |c| c.doc.clone())
}

fn doc_type(c: Option<&Cell>) -> String {
    c.map_or(String::new(), |c| c.doc_type.clone())
}

fn start(c: Option<&Cell>) -> String {
    c.map_or(String::new(), |c| c.start.to_string())
}

fn outcome(r: &Row) -> Option<&Cell> {
    r.outcome.as_ref().map(|(c, _)| c)
}

/// The columns, in order.
#[rustfmt::skip]
pub const TABLE: &[Column] = &[
    col("region", Str, "The region's full name (`河北省`), as in the panel.", |r| r.region.clone()),
    col("level", Str, "`national`, `province`, `prefecture` or `county`.", |r| r.level.clone()),
    col("code", Str, "The region's 6-digit division code in the row's year (GB/T 2260; 100000 the State Council).", |r| r.code.clone()),
    col("code_now", Str, "The region's code today (a county that became a district: the district's).", |r| r.code_now.clone()),
    col("indicator_id", Str, "The canonical indicator of the rule file.", |r| r.indicator_id.clone()),
    col("unit", Str, "The unit of target, outcome and estimate alike: `%` (a growth rate or a rate), `pp`, or a level's (`CNY`, `人`, `kg`…).", |r| r.unit.clone()),
    col("year", Int, "The year the target is for and the outcome is about.", |r| r.year.to_string()),
    col("target_value", Num, "The target, the lower end of a range; signed (a fall is negative), except in the row of a decrease target (`target_change`).", |r| value(r.target.as_ref())),
    col("target_value_max", Num, "The upper end of a range target (`6.5%-7%`), else empty.", |r| r.target.as_ref().and_then(|c| c.value_max.as_ref()).map_or(String::new(), format_value)),
    col("target_qualifier", Str, "The target's qualifier: `approx` (左右, 约), `more_than` (以上), `less_than` (以内, 以下), `nearly`, or empty.", |r| r.target.as_ref().map_or("", |c| c.qualifier).to_string()),
    col("target_doc", Str, "The document the target is read from (the year's own report, else its restatement the next year).", |r| doc(r.target.as_ref())),
    col("target_doc_type", Str, "What `target_doc` is (`work_report`, `plan_report`…), as in the panel.", |r| doc_type(r.target.as_ref())),
    col("target_start", Int, "Code-point offset of the target in `target_doc`.", |r| start(r.target.as_ref())),
    col("target_change", Str, "`decrease` for a row in reductions: a decrease target's (能耗降低3%: its target, outcome, estimate and gap are reductions, 3, and 3.5 for 下降3.5%), and a row without a target of a region's indicator whose every target is a decrease; else empty.", |r| if r.decrease { "decrease" } else { "" }.to_string()),
    col("target_stated", Str, "`yes` with a target; `no` where the year's report has a targets paragraph without this indicator (gdp, cpi, general_budget_revenue only); else empty.", |r| r.target_stated.to_string()),
    col("outcome_value", Num, "The outcome, a stated actual (signed, in the unit); never a 预计 estimate.", |r| value(outcome(r))),
    col("outcome_doc", Str, "The document the outcome is read from.", |r| doc(outcome(r))),
    col("outcome_doc_type", Str, "What `outcome_doc` is (`work_report`, `statistical_bulletin`…).", |r| doc_type(outcome(r))),
    col("outcome_start", Int, "Code-point offset of the outcome in `outcome_doc`.", |r| start(outcome(r))),
    col("outcome_source", Str, "`next_report` (the next year's work report) or `bulletin` (a document of the year itself: its statistical bulletin); the next report is chosen when both give one.", |r| r.outcome.as_ref().map_or("", |(_, s)| s).to_string()),
    col("estimate_value", Num, "The next report's 预计 figure for the year, kept apart: never an outcome.", |r| value(r.estimate.as_ref())),
    col("estimate_doc", Str, "The document of the estimate.", |r| doc(r.estimate.as_ref())),
    col("estimate_start", Int, "Code-point offset of the estimate in `estimate_doc`.", |r| start(r.estimate.as_ref())),
    col("gap", Num, "The outcome minus the target's lower end (`target_value`), in the unit.", |r| r.gap().as_ref().map_or(String::new(), format_value)),
    col("met", Str, "`yes` or `no` by README's rule (a ceiling — cpi, unemployment_rate, 以内/以下 — when the outcome is at or below its upper end; any other target, a decrease's reduction too, when at or above its lower end); empty without target or outcome.", |r| r.met().map_or("", |m| if m { "yes" } else { "no" }).to_string()),
    col("conflicts", Str, "Other documents' figures for this row (`target: doc:value; outcome: doc:value`): a second copy of a report, a restated target, a bulletin beside the next report.", |r| r.conflicts.clone()),
];

/// The scorecard's Table Schema (as `shuliang schema --scorecard` prints it).
pub fn schema() -> Value {
    let fields: Vec<Value> = TABLE
        .iter()
        .map(|c| {
            let mut f = json!({ "name": c.name, "type": c.ty.name(), "description": c.about });
            let allowed: &[&str] = match c.name {
                "met" | "target_stated" => &["yes", "no"],
                "target_change" => &["decrease"],
                "outcome_source" => &[NEXT_REPORT, BULLETIN],
                _ => &[],
            };
            if !allowed.is_empty() {
                f["constraints"] = json!({ "enum": allowed });
            }
            f
        })
        .collect();
    json!({
        "fields": fields,
        "missingValues": [""],
        "description": "Rows of `shuliang scorecard` (CSV, UTF-8, header row): a target beside its outcome.",
    })
}
