//! `[indicators]` and `[[indicator]]`: the words and patterns that find
//! what a number measures in the clause before it, and the canonical
//! indicators (`gdp`) with the names that map to each.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::load::{Example, Loader};
use super::qualifiers::Lists;
use crate::error::Result;
use crate::meaning::indicator::{IndicatorRules, Patterns, Words};
use crate::text::lazy_regex::LazyRegex;
use crate::text::normalize::Fold;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct IndicatorWords {
    #[serde(default)]
    increase: Vec<String>,
    #[serde(default)]
    decrease: Vec<String>,
    #[serde(default)]
    level: Vec<String>,
    #[serde(default)]
    lead_words: Vec<String>,
    #[serde(default)]
    lead_patterns: Vec<String>,
    trail: Option<String>,
    between: Option<String>,
    verbs: Option<String>,
    noun_end: Option<String>,
    noun_suffix: Option<String>,
    derived: Option<String>,
    measure: Option<String>,
    remark: Option<String>,
    rank: Option<String>,
    shared: Option<String>,
    fulfilment: Option<String>,
    base_level: Option<String>,
    per_capita: Option<String>,
    sub_area: Option<String>,
    sub_area_not: Option<String>,
    whole_area: Option<String>,
    #[serde(default)]
    pairs: BTreeMap<String, [String; 2]>,
    #[serde(default)]
    spellings: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IndicatorEntry {
    id: String,
    /// What the id measures, for people (the README's table).
    about: String,
    #[serde(default)]
    names: Vec<String>,
    /// For names with many spellings (`研发经费投入占GDP比重`, `R&D投入强度`).
    pattern: Option<String>,
    /// Words that, outside the name, make it a sub-aggregate (`海洋` for `gdp`).
    #[serde(default)]
    not: Vec<String>,
    /// The kind a level of it is written in (`money`).
    level: Option<String>,
    #[serde(default)]
    examples: Vec<Spanned<IdExampleEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdExampleEntry {
    text: String,
    ids: Vec<String>,
}

/// A canonical indicator of the `[[indicator]]` list, as written.
#[derive(Debug, Clone)]
pub struct IndicatorDef {
    /// The `indicator_id`.
    pub id: String,
    /// What it measures.
    pub about: String,
    /// Names that map to it.
    pub names: Vec<String>,
    /// A pattern that maps to it, for names with many spellings.
    pub pattern: Option<String>,
    /// Words that keep a name from mapping to it.
    pub not: Vec<String>,
    /// Line of the entry in its file.
    pub line: usize,
    /// Texts and the `indicator_id` of each of their rows (empty for none).
    pub examples: Vec<Example>,
}

/// The compiled `[indicators]` table and `[[indicator]]` list, and the list
/// as written. `lists` gives what ends a clause.
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    table: Option<&Spanned<IndicatorWords>>,
    list: &[Spanned<IndicatorEntry>],
    lists: &Lists,
    kinds: &[&str],
) -> Result<(IndicatorRules, Vec<IndicatorDef>)> {
    let at = table.map_or(0, |m| m.span().start);
    let empty = IndicatorWords::default();
    let w = table.map_or(&empty, Spanned::get_ref);
    let listed = Listed::compile(ld, fold, list, kinds)?;
    let patterns = patterns(ld, fold, at, w)?;
    let folded = |words: &[String]| words.iter().map(|s| fold.str(s)).collect();
    let words = Words {
        increase: folded(&w.increase),
        decrease: folded(&w.decrease),
        level: folded(&w.level),
        names: listed.names,
        patterns: listed.patterns,
        not: listed.not,
        levels: listed.levels,
        clause_breaks: fold.str(&lists.clause_breaks).chars().collect(),
        pairs: w
            .pairs
            .iter()
            .map(|(k, [a, b])| (fold.str(k), [fold.str(a), fold.str(b)]))
            .collect(),
        spellings: w
            .spellings
            .iter()
            .map(|(wrong, right)| (fold.str(wrong), fold.str(right)))
            .collect(),
    };
    Ok((IndicatorRules::new(words, patterns), listed.defs))
}

/// The patterns of the `[indicators]` table, compiled.
fn patterns(ld: &Loader, fold: &Fold, at: usize, w: &IndicatorWords) -> Result<Patterns> {
    let re = |p: &Option<String>| ld.optional_regex(fold, at, "indicators", p);
    Ok(Patterns {
        lead: re(&lead_pattern(w))?,
        trail: re(&w.trail)?,
        between: re(&w.between)?,
        verbs: re(&w.verbs)?,
        noun_end: re(&w.noun_end)?,
        noun_suffix: re(&w.noun_suffix)?,
        derived: re(&w.derived)?,
        measure: re(&w.measure)?,
        remark: re(&w.remark)?,
        rank: re(&w.rank)?,
        shared: re(&w.shared)?,
        fulfilment: re(&w.fulfilment)?,
        base_level: re(&w.base_level)?,
        per_capita: re(&w.per_capita)?,
        sub_area: re(&w.sub_area)?,
        sub_area_not: re(&w.sub_area_not)?,
        whole_area: re(&w.whole_area)?,
    })
}

/// `lead_words` and `lead_patterns` as the one pattern that takes them
/// off the start of a clause, as many as there are (`全年新增`); words
/// first, each tried in the file's order. `None` when there are none.
fn lead_pattern(w: &IndicatorWords) -> Option<String> {
    let words = w.lead_words.iter().map(|w| regex::escape(w));
    let alternatives: Vec<String> = words.chain(w.lead_patterns.iter().cloned()).collect();
    (!alternatives.is_empty()).then(|| format!("^(?:{})+", alternatives.join("|")))
}

/// What the `[[indicator]]` list gives the engine, and the list as written.
struct Listed {
    /// (name, id), longest name first.
    names: Vec<(String, Arc<str>)>,
    /// (pattern, id), in file order.
    patterns: Vec<(LazyRegex, Arc<str>)>,
    /// (id, words that block it).
    not: Vec<(Arc<str>, Vec<String>)>,
    /// (id, the kind of its levels), for the ids that say.
    levels: Vec<(Arc<str>, String)>,
    defs: Vec<IndicatorDef>,
}

impl Listed {
    fn compile(
        ld: &Loader,
        fold: &Fold,
        list: &[Spanned<IndicatorEntry>],
        kinds: &[&str],
    ) -> Result<Listed> {
        let mut listed = Listed {
            names: Vec::new(),
            patterns: Vec::new(),
            not: Vec::new(),
            levels: Vec::new(),
            defs: Vec::new(),
        };
        for entry in list {
            let e = entry.get_ref();
            let at = entry.span().start;
            if listed.defs.iter().any(|d| d.id == e.id) {
                return Err(ld.err(at, Some(&e.id), "an indicator with this id comes earlier"));
            }
            if e.names.is_empty() && e.pattern.is_none() {
                return Err(ld.err(at, Some(&e.id), "an indicator needs `names` or `pattern`"));
            }
            let id: Arc<str> = Arc::from(e.id.as_str());
            let names = e.names.iter().map(|n| (fold.str(n), id.clone()));
            listed.names.extend(names);
            if let Some(p) = &e.pattern {
                let re = ld.table_regex(fold, at, &e.id, p)?;
                listed.patterns.push((re, id.clone()));
            }
            if let Some(kind) = &e.level {
                // A misspelt kind would silently turn away every level of the id.
                if !kinds.contains(&kind.as_str()) {
                    return Err(ld.err(at, Some(&e.id), format!("unknown kind `{kind}`")));
                }
                listed.levels.push((id.clone(), kind.clone()));
            }
            listed
                .not
                .push((id, e.not.iter().map(|w| fold.str(w)).collect()));
            listed.defs.push(definition(ld, entry));
        }
        listed.names.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        Ok(listed)
    }
}

/// The entry as written, with its line and examples.
fn definition(ld: &Loader, entry: &Spanned<IndicatorEntry>) -> IndicatorDef {
    let e = entry.get_ref();
    IndicatorDef {
        id: e.id.clone(),
        about: e.about.clone(),
        names: e.names.clone(),
        pattern: e.pattern.clone(),
        not: e.not.clone(),
        line: ld.line(entry.span().start),
        examples: e
            .examples
            .iter()
            .map(|x| Example {
                text: x.get_ref().text.clone(),
                gives: x.get_ref().ids.clone(),
                warns: Vec::new(),
                line: ld.line(x.span().start),
            })
            .collect(),
    }
}
