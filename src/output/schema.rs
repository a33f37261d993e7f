//! The output's schema, as a Frictionless Table Schema
//! (<https://specs.frictionlessdata.io/table-schema/>): every column's name,
//! type and meaning, and the values it may take under a given rule file, so
//! that a reader can check a file, or type its columns, without guessing.

use serde_json::{json, Value};

use crate::meaning::status::{ACTUAL, ESTIMATE, PLAN, TARGET};
use crate::rules::QUALIFIERS;
use crate::RuleSet;

/// Type and meaning of each column, in [`crate::output::COLUMNS`] order.
const FIELDS: &[(&str, &str, &str)] = &[
    ("doc", "string", "The document: its path below the folder given, or the path as given."),
    ("start", "integer", "Code-point offset of the mention's first character in the document's text (CRLF counts two)."),
    ("end", "integer", "Code-point offset just after the mention: text[start:end] is the mention as it stands in the document."),
    ("text", "string", "The mention as written, layout whitespace removed."),
    ("value", "number", "The quantity fully expanded in `unit`: a plain decimal, at most 6 decimals, exact."),
    ("value_max", "number", "Upper end of a range (`6%-7%`); empty otherwise."),
    ("unit", "string", "Normalized unit (`%`, `CNY`, `m2`…), one of its kind's in `unitsByKind`, or a rate of one (`CNY/kg`); for a count, its measure word (`个`), or empty."),
    ("kind", "string", "What sort of quantity it is."),
    ("qualifier", "string", "`约`/`左右` approx, `以上`/`超过` more_than, `以下`/`以内` less_than, `近` nearly; empty when none."),
    ("unit_raw", "string", "The unit as written, magnitude word included (`亿元`)."),
    ("rule", "string", "Id of the rule in the rule file that produced the row."),
    ("context", "string", "The sentence around the mention, at most 160 characters."),
    ("region", "string", "The report's region, full name (`河北省保定市`): from --manifest, else the text."),
    ("year", "integer", "The report's year (for a compiled file, its part's): from --manifest, else the text."),
    ("section", "string", "The top-level section heading the mention sits under."),
    ("indicator", "string", "What the number measures, as written (`地区生产总值`); empty when nothing is named."),
    ("indicator_id", "string", "The indicator's canonical id from the rule file's [[indicator]] list."),
    ("change", "string", "`increase` or `decrease` for a change, empty for a level."),
    ("status", "string", "target (a goal), estimate (预计, the year just ended), actual (a result), plan (a multi-year goal or average); empty when unknown."),
    ("refers_to", "string", "The period the figure is about: `2024`, `2021-2025`, `2024Q1`, `2024-01..09`."),
    ("level", "string", "The region's level of government."),
    ("code", "string", "The region's 6-digit administrative division code (GB/T 2260)."),
];

/// The Table Schema of `extract`'s CSV under `rules`. Allowed values are
/// listed as `enum` constraints; `unit` lists each kind's normalized units
/// under `unitsByKind` (a count's measure word is open).
pub fn table_schema(rules: &RuleSet) -> Value {
    let ids: Vec<&str> = rules.indicators().iter().map(|d| d.id.as_str()).collect();
    let rule_ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|&(name, kind, about)| {
            let mut f = json!({ "name": name, "type": kind, "description": about });
            let allowed: Option<Vec<&str>> = match name {
                "kind" => Some(rules.kinds().iter().map(String::as_str).collect()),
                "qualifier" => Some(QUALIFIERS.to_vec()),
                "rule" => Some(rule_ids.clone()),
                "indicator_id" => Some(ids.clone()),
                "change" => Some(vec!["increase", "decrease"]),
                "status" => Some(vec![TARGET, ESTIMATE, ACTUAL, PLAN]),
                "level" => Some(vec!["national", "province", "prefecture", "county"]),
                _ => None,
            };
            let mut constraints = serde_json::Map::new();
            if let Some(values) = allowed {
                constraints.insert("enum".into(), json!(values));
            }
            match name {
                "doc" | "start" | "end" | "text" | "value" | "kind" | "rule" => {
                    constraints.insert("required".into(), json!(true));
                }
                "refers_to" => {
                    constraints.insert(
                        "pattern".into(),
                        json!(r"[0-9]{4}(-[0-9]{4}|Q[1-4]|-[0-9]{2}\.\.[0-9]{2})?"),
                    );
                }
                "code" => {
                    constraints.insert("pattern".into(), json!("[0-9]{6}"));
                }
                _ => {}
            }
            if matches!(name, "start" | "end") {
                constraints.insert("minimum".into(), json!(0));
            }
            if !constraints.is_empty() {
                f["constraints"] = Value::Object(constraints);
            }
            if name == "unit" {
                f["unitsByKind"] = json!(rules.units_by_kind());
            }
            f
        })
        .collect();
    json!({
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["doc", "start", "end"],
        "description": format!(
            "Rows of `shuliang extract` (CSV, UTF-8, header row); allowed values are those of the rule file {}.",
            rules.source
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::COLUMNS;

    #[test]
    fn one_field_per_column_in_order() {
        let rules = RuleSet::default_rules().unwrap();
        let schema = table_schema(&rules);
        let names: Vec<&str> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, COLUMNS);
        let kind = &schema["fields"][7]["constraints"]["enum"];
        assert!(kind.as_array().unwrap().contains(&json!("money")));
    }
}
