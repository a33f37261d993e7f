//! `kinds` and `[[unit]]`: the kinds a row may have, and each unit name's
//! kind, normalized unit and factor, joined into the classes that patterns
//! name as `{unit:CLASS}`.

use serde::Deserialize;
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::text::normalize::Fold;
use crate::text::numeral::{self, Value};
use crate::text::units::{Unit, UnitTable, KINDS};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitEntry {
    names: Vec<String>,
    kind: String,
    /// Omitted for measure words, whose normalized unit is the word itself.
    unit: Option<String>,
    #[serde(default)]
    factor: Option<toml::Value>,
    /// The `{unit:CLASS}` the names join; the kind when omitted.
    class: Option<String>,
}

/// The built-in kinds ([`KINDS`]), then those of the file's `kinds = [...]`.
pub(super) fn kinds(own: &[String]) -> Vec<&str> {
    KINDS
        .iter()
        .copied()
        .chain(own.iter().map(String::as_str))
        .collect()
}

/// The unit table of the `[[unit]]` entries. A name given two meanings is
/// refused: the first would win silently.
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    entries: &[Spanned<UnitEntry>],
    kinds: &[&str],
) -> Result<UnitTable> {
    let mut units = UnitTable::default();
    for entry in entries {
        let at = entry.span().start;
        let u = entry.get_ref();
        let first = u.names.first().map(String::as_str);
        if !kinds.contains(&u.kind.as_str()) {
            return Err(ld.err(
                at,
                first,
                format!(
                    "unknown kind `{}`; kinds are {} (add one to `kinds` at the top)",
                    u.kind,
                    kinds.join(", ")
                ),
            ));
        }
        let factor = factor(u).ok_or_else(|| {
            let v = u.factor.as_ref().expect("only a written factor fails");
            ld.err(
                at,
                first,
                format!("factor `{v}` is not a number like 1000, 0.01 or \"10000/15\""),
            )
        })?;
        let class = u.class.as_deref().unwrap_or(&u.kind);
        for name in &u.names {
            let name = fold.str(name);
            if name.is_empty() {
                return Err(ld.err(at, first, "empty unit name"));
            }
            let unit = Unit {
                kind: u.kind.clone(),
                unit: u.unit.clone().unwrap_or_else(|| name.clone()),
                factor,
            };
            if units.get(&name).is_some_and(|known| *known != unit) {
                return Err(ld.err(
                    at,
                    first,
                    format!("unit `{name}` is already defined with another meaning"),
                ));
            }
            units.insert(&name, class, unit);
        }
    }
    Ok(units)
}

/// The entry's factor (1 when it gives none); `None` when it is not a number.
fn factor(u: &UnitEntry) -> Option<Value> {
    let Some(v) = &u.factor else {
        return Some(Value::from(1));
    };
    let s = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        _ => String::new(),
    };
    numeral::parse_factor(&s)
}
