//! Units as tables write them (`万吨`, `亿元`, `%`, `万只（片、套）`),
//! normalized by the rule file's unit table, a magnitude word before the
//! unit read with the number as prose reads it.

use std::sync::Arc;

use crate::rules::RuleSet;
use crate::text::numeral::Value;

/// A unit as a table writes it, normalized.
pub(super) struct Norm {
    pub unit: Arc<str>,
    pub kind: Arc<str>,
    /// The magnitude written before the unit (`万` of `万吨`), read with the number.
    pub magnitude: String,
    pub factor: Value,
}

/// The unit `raw` names: a unit of the rule file's table, after a
/// magnitude word or not (`万吨`, `亿元`, `%`).
pub(super) fn normalize(rules: &RuleSet, raw: &str) -> Option<Norm> {
    let raw = rules.fold.str(raw);
    // `万只（片、套）`: the unit before its remark.
    let raw = raw.split(['（', '(']).next().unwrap_or_default().trim();
    for (k, _) in raw.char_indices().chain([(raw.len(), ' ')]) {
        let (mag, name) = raw.split_at(k);
        if !mag.chars().all(|c| "十百千万亿".contains(c)) {
            break;
        }
        if name.is_empty() && !mag.is_empty() {
            return Some(Norm {
                unit: Arc::from(""),
                kind: Arc::from("count"),
                magnitude: mag.to_string(),
                factor: Value::from(1),
            });
        }
        if let Some(u) = rules.units.get(name) {
            return Some(Norm {
                unit: Arc::from(u.unit.as_str()),
                kind: Arc::from(u.kind.as_str()),
                magnitude: mag.to_string(),
                factor: u.factor,
            });
        }
    }
    None
}

/// A unit cell of stacked rows whose paragraphs ran together
/// (`万个万个万个`) is its unit once.
pub(super) fn unrepeated(s: &str) -> &str {
    let n = s.chars().count();
    (1..=n / 2)
        .filter(|&k| n.is_multiple_of(k))
        .map(|k| &s[..s.char_indices().nth(k).map_or(s.len(), |(i, _)| i)])
        .find(|unit| unit.repeat(n / unit.chars().count()) == s)
        .unwrap_or(s)
}
