//! The unit table: a written unit or measure word → its kind, normalized
//! unit and conversion factor. The table itself lives in the rule file.

use std::collections::{BTreeMap, HashMap};

use crate::text::numeral::Value;

/// The kinds the `kind` column allows (docs/csv.md, Columns), before a
/// rule file adds its own.
pub const KINDS: &[&str] = &[
    "percent",
    "percentage_point",
    "multiple",
    "money",
    "area",
    "length",
    "mass",
    "volume",
    "energy",
    "power",
    "concentration",
    "duration",
    "count",
];

/// How one written unit normalizes.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// One of [`KINDS`].
    pub kind: String,
    /// The normalized unit (`CNY`, `m2`); for measure words, the word itself.
    pub unit: String,
    /// Value in `unit` of one of this written unit.
    pub factor: Value,
}

/// Written unit (folded) → [`Unit`], grouped in classes that rule patterns
/// refer to as `{unit:CLASS}`.
#[derive(Debug, Default, Clone)]
pub struct UnitTable {
    units: HashMap<String, Unit>,
    classes: BTreeMap<String, Vec<String>>,
}

impl UnitTable {
    /// Adds a written unit to a class. A name listed twice keeps its first meaning.
    pub fn insert(&mut self, name: &str, class: &str, unit: Unit) {
        self.units.entry(name.to_string()).or_insert(unit);
        self.classes
            .entry(class.to_string())
            .or_default()
            .push(name.to_string());
    }

    /// The meaning of a written (folded) unit.
    pub fn get(&self, name: &str) -> Option<&Unit> {
        self.units.get(name)
    }

    /// Every written unit's meaning.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// Class names, for error messages.
    pub fn class_names(&self) -> impl Iterator<Item = &str> {
        self.classes.keys().map(String::as_str)
    }

    /// A regex alternation of the class's names, longest first so that
    /// `万平方米` wins over `米`. Names ending in an ASCII letter must not run
    /// on into a word (`10 mins` is not ten metres).
    pub fn pattern(&self, class: &str) -> Option<String> {
        let mut names: Vec<&String> = self.classes.get(class)?.iter().collect();
        names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        names.dedup();
        let alts: Vec<String> = names
            .iter()
            .map(|n| {
                let e = regex::escape(n);
                if n.ends_with(|c: char| c.is_ascii_alphabetic()) {
                    format!("{e}(?-u:\\b)")
                } else {
                    e
                }
            })
            .collect();
        Some(format!("(?:{})", alts.join("|")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> UnitTable {
        let mut t = UnitTable::default();
        let m = |f: i128| Unit {
            kind: "length".into(),
            unit: "m".into(),
            factor: Value::from(f),
        };
        t.insert("米", "length", m(1));
        t.insert("公里", "length", m(1000));
        t.insert("km", "length", m(1000));
        t
    }

    #[test]
    fn longest_first_and_ascii_bounded() {
        let t = table();
        assert_eq!(t.pattern("length").unwrap(), "(?:km(?-u:\\b)|公里|米)");
        let re = regex::Regex::new(&t.pattern("length").unwrap()).unwrap();
        assert!(re.is_match("5km的"));
        assert!(!re.is_match("5kms"));
        assert_eq!(t.get("公里").unwrap().factor, Value::from(1000));
        assert!(t.pattern("mass").is_none());
    }

    #[test]
    fn first_meaning_wins() {
        let mut t = table();
        t.insert(
            "米",
            "other",
            Unit {
                kind: "count".into(),
                unit: "米".into(),
                factor: Value::from(1),
            },
        );
        assert_eq!(t.get("米").unwrap().kind, "length");
    }
}
