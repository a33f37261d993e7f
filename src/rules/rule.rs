//! `[[rule]]`: the patterns that yield quantities, each with the kind and
//! unit of a match that names none, and what else it allows; and all of
//! them as one automaton that says which can match a sentence at all.

use std::collections::{BTreeMap, HashSet};

use regex_syntax::hir::Hir;
use serde::Deserialize;
use toml::Spanned;

use super::load::{examples, Example, ExampleEntry, Loader};
use super::patterns::{big_cache, combined, has_group, Expander};
use crate::error::Result;
use crate::text::lazy_regex::LazyRegex;
use crate::text::numeral::{self, Value};

/// A `[[rule]]` or `[[exclude]]` entry as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleEntry {
    pub id: String,
    pub pattern: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    min_chinese: Option<i64>,
    #[serde(default)]
    magnitude_only: bool,
    #[serde(default)]
    minor_units: BTreeMap<String, String>,
    #[serde(default)]
    ranges: bool,
    /// Exclusions only: each match is warned of, with this reason.
    #[serde(default)]
    pub warn: Option<String>,
    #[serde(default)]
    pub examples: Vec<Spanned<ExampleEntry>>,
}

/// A pattern that yields quantities.
#[derive(Debug)]
pub struct Rule {
    /// The id written in the `rule` column.
    pub id: String,
    /// Line of the rule in its file.
    pub line: usize,
    pub(crate) regex: LazyRegex,
    /// Kind and unit of rows whose pattern matched no `unit` group.
    pub(crate) bare: Option<(String, String)>,
    /// Numbers written only in Chinese numerals must be at least this
    /// (docs/csv.md, Columns: `七个方面` is left out, `两千多家` kept).
    pub(crate) min_chinese: Option<Value>,
    /// Accept a number made only of magnitude words (`百分之百`) without `余`/`多`.
    pub(crate) magnitude_only: bool,
    /// Minor units of this rule only (`分` as minutes after `小时`), with
    /// their factor in the unit the main unit normalizes to; they shadow the
    /// unit table's names (`分` is money elsewhere).
    pub(crate) minor_units: BTreeMap<String, Value>,
    /// Two of this rule's matches (or one and a match of the same unit)
    /// joined by a range word (`五块六到五块七毛八`) are one range.
    pub(crate) ranges: bool,
    /// The examples the rule must pass.
    pub examples: Vec<Example>,
}

/// The `[[rule]]` entries, compiled, with their parsed patterns; each id
/// is added to `ids`, which an id may not be in already. An empty list is
/// refused: nothing would be extracted.
pub(super) fn compile(
    ex: &Expander,
    entries: &[Spanned<RuleEntry>],
    kinds: &[&str],
    ids: &mut HashSet<String>,
) -> Result<(Vec<Rule>, Vec<Hir>)> {
    let ld = ex.ld;
    if entries.is_empty() {
        return Err(ld.err(0, None, "no [[rule]]: nothing would be extracted"));
    }
    let mut rules = Vec::new();
    let mut hirs = Vec::new();
    for entry in entries {
        let at = entry.span().start;
        let id = &entry.get_ref().id;
        if !ids.insert(id.clone()) {
            return Err(ld.err(
                at,
                Some(id),
                "a rule with this id comes earlier in the file",
            ));
        }
        if entry.get_ref().warn.is_some() {
            return Err(ld.err(at, Some(id), "`warn` is for [[exclude]] entries"));
        }
        let (rule, hir) = rule(ex, entry, kinds)?;
        rules.push(rule);
        hirs.push(hir);
    }
    Ok((rules, hirs))
}

/// All rule patterns (`hirs`, parsed from `rules`) in one automaton: which
/// rules can match a sentence at all, in one pass, so most prose is scanned
/// once, not once per rule.
pub(super) fn set(
    ld: &Loader,
    rules: &[Rule],
    hirs: &[Hir],
) -> Result<regex_automata::meta::Regex> {
    combined(hirs, regex_automata::MatchKind::All).map_err(|e| {
        // A pattern too big on its own is named, as when each was compiled.
        let alone = rules.iter().find_map(|r| {
            let e = big_cache(r.regex.as_str()).err()?;
            Some(ld.err_at_line(r.line, &r.id, format!("pattern does not compile: {e}")))
        });
        alone.unwrap_or_else(|| ld.err(0, None, format!("the rules do not compile together: {e}")))
    })
}

/// One rule, and its parsed pattern.
fn rule(ex: &Expander, entry: &Spanned<RuleEntry>, kinds: &[&str]) -> Result<(Rule, Hir)> {
    let (ld, at, r) = (ex.ld, entry.span().start, entry.get_ref());
    let (regex, hir) = ex.compile(&r.pattern, at, &r.id)?;
    if !has_group(&hir, "num") {
        return Err(ld.err(at, Some(&r.id), "pattern has no `(?P<num>…)` group"));
    }
    let bare = match (&r.kind, has_group(&hir, "unit")) {
        (Some(k), _) if !kinds.contains(&k.as_str()) => {
            return Err(ld.err(at, Some(&r.id), format!("unknown kind `{k}`")));
        }
        (Some(k), _) => Some((k.clone(), r.unit.clone().unwrap_or_default())),
        (None, true) => None,
        (None, false) => {
            return Err(ld.err(
                at,
                Some(&r.id),
                "pattern has no `(?P<unit>…)` group, so the rule must give `kind`",
            ));
        }
    };
    let mut minor_units = BTreeMap::new();
    for (name, f) in &r.minor_units {
        let f = numeral::parse_factor(f).ok_or_else(|| {
            ld.err(
                at,
                Some(&r.id),
                format!("minor unit `{name}`: factor `{f}` is not a number or `a/b`"),
            )
        })?;
        minor_units.insert(ex.fold.str(name), f);
    }
    let rule = Rule {
        id: r.id.clone(),
        line: ld.line(at),
        regex,
        bare,
        min_chinese: r.min_chinese.map(|m| Value::from(i128::from(m))),
        magnitude_only: r.magnitude_only,
        minor_units,
        ranges: r.ranges,
        examples: examples(ld, &r.examples),
    };
    Ok((rule, hir))
}
