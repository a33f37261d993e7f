//! `[status]`: how a figure's status (target, estimate, actual, plan) and
//! the period it is about are told from the section it sits under and the
//! words of its sentence; and the examples that say what they must give.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::meaning::match_ends;
use crate::meaning::status::{Part, Reaches, StatusRules};
use crate::text::normalize::Fold;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusEntry {
    review_section: Option<String>,
    review_opening: Option<String>,
    address: Option<String>,
    year_opening: Option<String>,
    target_section: Option<String>,
    plan_section: Option<String>,
    bulletin: Option<String>,
    issued: Option<String>,
    year_work: Option<String>,
    estimate: Option<String>,
    targets_paragraph: Option<String>,
    requirements: Option<String>,
    control_paragraph: Option<String>,
    flat: Option<String>,
    predicate: Option<String>,
    restated: Option<String>,
    target: Option<String>,
    actual: Option<String>,
    average: Option<String>,
    span: Option<String>,
    year_passage: Option<String>,
    reached: Option<String>,
    until: Option<String>,
    change_start: Option<String>,
    change_to: Option<String>,
    base: Option<String>,
    base_opening: Option<String>,
    year: Option<String>,
    #[serde(default)]
    relative: BTreeMap<String, i32>,
    months: Option<String>,
    whole_year: Option<String>,
    #[serde(default)]
    parts: Vec<PartEntry>,
    #[serde(default)]
    examples: Vec<Spanned<StatusExampleEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartEntry {
    pattern: String,
    months: (u8, u8),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusExampleEntry {
    text: String,
    #[serde(default)]
    section: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    gives: Vec<String>,
}

/// A sentence of a report of `year` under `section`, and the
/// `VALUE UNIT STATUS REFERS_TO` of each row it must give.
#[derive(Debug, Clone)]
pub struct StatusExample {
    /// The sentence.
    pub text: String,
    /// The heading it sits under, if any.
    pub section: Option<String>,
    /// The report's year.
    pub year: i32,
    /// The rows expected, in order.
    pub gives: Vec<String>,
    /// Where the example is written.
    pub line: usize,
}

/// The compiled `[status]` table (empty when the file has none), and its
/// examples.
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    table: Option<&Spanned<StatusEntry>>,
) -> Result<(StatusRules, Vec<StatusExample>)> {
    let at = table.map_or(0, |m| m.span().start);
    let empty = StatusEntry::default();
    let s = table.map_or(&empty, Spanned::get_ref);
    let re = |p: &Option<String>| ld.optional_regex(fold, at, "status", p);
    // `change_start` is words: the code anchors them where it looks for them.
    let anchored =
        |p: &Option<String>, shape: &str| re(&p.as_ref().map(|p| shape.replace("{}", p)));
    let parts: Vec<Part> = s
        .parts
        .iter()
        .map(|p| {
            Ok(Part {
                regex: ld.table_regex(fold, at, "status", &p.pattern)?,
                months: p.months,
            })
        })
        .collect::<Result<_>>()?;
    let months = re(&s.months)?;
    let part_ends = match_ends(
        parts
            .iter()
            .map(|p| p.regex.as_str())
            .chain(months.as_ref().map(|m| m.as_str())),
    );
    let mut rules = StatusRules {
        review_section: re(&s.review_section)?,
        review_opening: re(&s.review_opening)?,
        address: re(&s.address)?,
        year_opening: re(&s.year_opening)?,
        target_section: re(&s.target_section)?,
        plan_section: re(&s.plan_section)?,
        bulletin: re(&s.bulletin)?,
        issued: re(&s.issued)?,
        year_work: re(&s.year_work)?,
        estimate: re(&s.estimate)?,
        targets_paragraph: re(&s.targets_paragraph)?,
        requirements: re(&s.requirements)?,
        control_paragraph: re(&s.control_paragraph)?,
        flat: re(&s.flat)?,
        predicate: re(&s.predicate)?,
        restated: re(&s.restated)?,
        target: re(&s.target)?,
        actual: re(&s.actual)?,
        average: re(&s.average)?,
        span: re(&s.span)?,
        year_passage: re(&s.year_passage)?,
        reached: re(&s.reached)?,
        until: re(&s.until)?,
        change_start: anchored(&s.change_start, "(?:{})$")?,
        change_opening: anchored(&s.change_start, "^(?:{})")?,
        change_to: re(&s.change_to)?,
        base: re(&s.base)?,
        base_opening: re(&s.base_opening)?,
        year: re(&s.year)?,
        months,
        part_ends,
        whole_year: re(&s.whole_year)?,
        relative: relative(fold, &s.relative),
        parts,
        reach: Reaches::default(),
    };
    rules.reach = Reaches::of(&rules);
    Ok((rules, examples(ld, &s.examples)))
}

/// The `rel` words (`今年`, `去年`), folded, and their offsets from the report's year.
fn relative(fold: &Fold, words: &BTreeMap<String, i32>) -> Vec<(String, i32)> {
    words.iter().map(|(w, &d)| (fold.str(w), d)).collect()
}

/// The table's examples; a report's year defaults to 2025.
fn examples(ld: &Loader, list: &[Spanned<StatusExampleEntry>]) -> Vec<StatusExample> {
    list.iter()
        .map(|e| {
            let x = e.get_ref();
            StatusExample {
                text: x.text.clone(),
                section: x.section.clone(),
                year: x.year.unwrap_or(2025),
                gives: x.gives.clone(),
                line: ld.line(e.span().start),
            }
        })
        .collect()
}
