//! The output's schema, as a Frictionless Table Schema
//! (<https://specs.frictionlessdata.io/table-schema/>): every column's name,
//! type and meaning, and the values it may take under a given rule file, so
//! that a reader can check a file, or type its columns, without guessing.

use serde_json::{json, Value};

use super::columns::{Allowed, Column, Type, TABLE};
use crate::RuleSet;

/// The Table Schema of `extract`'s CSV under `rules`. Allowed values are
/// listed as `enum` constraints; `unit` lists each kind's normalized units
/// under `unitsByKind` (a count's measure word is open).
pub fn table_schema(rules: &RuleSet) -> Value {
    let fields: Vec<Value> = TABLE.iter().map(|c| field(c, rules)).collect();
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

/// One column as a Table Schema field.
fn field(c: &Column, rules: &RuleSet) -> Value {
    let mut f = json!({ "name": c.name, "type": c.ty.name(), "description": c.about });
    let mut constraints = serde_json::Map::new();
    if let Some(values) = c.allowed(rules) {
        constraints.insert("enum".into(), json!(values));
    }
    if c.required {
        constraints.insert("required".into(), json!(true));
    }
    if let Some(p) = c.pattern {
        constraints.insert("pattern".into(), json!(p));
    }
    if c.required && c.ty == Type::Integer {
        // Offsets are never negative.
        constraints.insert("minimum".into(), json!(0));
    }
    if !constraints.is_empty() {
        f["constraints"] = Value::Object(constraints);
    }
    if c.allowed == Allowed::UnitsByKind {
        f["unitsByKind"] = json!(rules.units_by_kind());
    }
    f
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
