//! The rule file: the product's knowledge of how Chinese reports write
//! quantities, as data. See `rules/zh.toml` for the format, documented in
//! its header.
//!
//! Loading is all or nothing: a file with one bad rule gives an [`Error`]
//! naming the file, line and rule, and no [`RuleSet`].

use std::collections::BTreeMap;

use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result, RuleLocation};
use crate::indicator::IndicatorRules;
use crate::meta::MetaRules;
use crate::normalize::{Fold, StandIns};
use crate::numeral::{self, Value};
use crate::status::{Part, StatusRules};
use crate::units::{Unit, UnitTable, KINDS};

/// The default rule file, embedded in the binary.
pub const DEFAULT_RULES: &str = include_str!("../rules/zh.toml");
/// The name errors give the embedded rule file.
pub const DEFAULT_RULES_NAME: &str = "rules/zh.toml";

/// The qualifiers SPEC §2 allows, in the order the rule file may name them.
pub const QUALIFIERS: &[&str] = &["more_than", "less_than", "nearly", "approx"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    /// Kinds beyond SPEC's, for units SPEC does not name (算力 in PFlops).
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    fold: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    stand_ins: Option<Spanned<StandInsEntry>>,
    #[serde(default)]
    fragments: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    qualifiers: BTreeMap<String, Spanned<QualifierWords>>,
    #[serde(default)]
    magnitudes: Magnitudes,
    #[serde(default)]
    lists: Lists,
    #[serde(default)]
    metadata: Option<Spanned<MetadataEntry>>,
    #[serde(default)]
    indicators: Option<Spanned<IndicatorWords>>,
    #[serde(default)]
    status: Option<Spanned<StatusEntry>>,
    #[serde(default, rename = "indicator")]
    indicator_list: Vec<Spanned<IndicatorEntry>>,
    #[serde(default, rename = "unit")]
    units: Vec<Spanned<UnitEntry>>,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<RuleEntry>>,
    #[serde(default, rename = "exclude")]
    excludes: Vec<Spanned<RuleEntry>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StandInsEntry {
    #[serde(default)]
    strings: BTreeMap<String, String>,
    #[serde(default)]
    letters: BTreeMap<String, String>,
    after: Option<String>,
    #[serde(default)]
    examples: Vec<Spanned<ExampleEntry>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QualifierWords {
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    except_kinds: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MetadataEntry {
    #[serde(default)]
    title: Vec<TitlePattern>,
    #[serde(default)]
    by_type: Vec<String>,
    #[serde(default)]
    common: Vec<String>,
    file_year: Option<String>,
    review_year: Option<String>,
    heading: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct IndicatorWords {
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
    shared: Option<String>,
    #[serde(default)]
    pairs: BTreeMap<String, [String; 2]>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatusEntry {
    review_section: Option<String>,
    target_section: Option<String>,
    plan_section: Option<String>,
    bulletin: Option<String>,
    issued: Option<String>,
    year_work: Option<String>,
    estimate: Option<String>,
    targets_paragraph: Option<String>,
    predicate: Option<String>,
    restated: Option<String>,
    target: Option<String>,
    actual: Option<String>,
    average: Option<String>,
    span: Option<String>,
    until: Option<String>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorEntry {
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

#[derive(Deserialize)]
#[serde(untagged)]
enum TitlePattern {
    Plain(String),
    Fixed { pattern: String, region: String },
}

/// The literals that end the matches of `patterns` (`比重`, `季度`, `月`),
/// as one automaton: a text that holds none of them matches none of the
/// patterns, and one search for them is cheaper than one per pattern.
/// `None` when some pattern's are too many to list or one is empty.
pub(crate) fn match_ends<'a>(patterns: impl Iterator<Item = &'a Regex>) -> Option<AhoCorasick> {
    let mut ends = Vec::new();
    for re in patterns {
        let hir = regex_syntax::parse(re.as_str()).ok()?;
        let seq = Extractor::new().kind(ExtractKind::Suffix).extract(&hir);
        ends.extend(seq.literals()?.iter().map(|l| l.as_bytes().to_vec()));
    }
    if ends.iter().any(Vec::is_empty) {
        return None;
    }
    AhoCorasick::new(ends).ok()
}

/// `lead_words` and `lead_patterns` as the one pattern that takes them
/// off the start of a clause, as many as there are (`全年新增`); words
/// first, each tried in the file's order. `None` when there are none.
fn lead_pattern(w: &IndicatorWords) -> Option<String> {
    let words = w.lead_words.iter().map(|w| regex::escape(w));
    let alternatives: Vec<String> = words.chain(w.lead_patterns.iter().cloned()).collect();
    (!alternatives.is_empty()).then(|| format!("^(?:{})+", alternatives.join("|")))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Magnitudes {
    #[serde(default)]
    bare_after: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Lists {
    #[serde(default)]
    joins: Vec<String>,
    #[serde(default)]
    sign_after: String,
    #[serde(default)]
    clause_breaks: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitEntry {
    names: Vec<String>,
    kind: String,
    /// Omitted for measure words, whose normalized unit is the word itself.
    unit: Option<String>,
    #[serde(default)]
    factor: Option<toml::Value>,
    /// The `{unit:CLASS}` the names join; the kind when omitted.
    class: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    id: String,
    pattern: String,
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
    warn: Option<String>,
    #[serde(default)]
    examples: Vec<Spanned<ExampleEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleEntry {
    text: String,
    gives: Vec<String>,
    #[serde(default)]
    warns: Vec<String>,
}

/// A text and the rows it must give, written `TEXT = VALUE[~MAX] [UNIT] [QUALIFIER]`.
#[derive(Debug, Clone)]
pub struct Example {
    /// The input.
    pub text: String,
    /// The rows expected, all of them, in order.
    pub gives: Vec<String>,
    /// The text of each stretch it must warn of ([`Exclusion::warn`]), in order.
    pub warns: Vec<String>,
    /// Where the example is written.
    pub line: usize,
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
    /// (SPEC: `七个方面` is optional, `两千多家` required).
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

/// A pattern whose matches no quantity may overlap (years, `5G`, `十三五`).
#[derive(Debug)]
pub struct Exclusion {
    /// The exclusion's id.
    pub id: String,
    /// Line in its file.
    pub line: usize,
    pub(crate) regex: LazyRegex,
    /// Why a match is worth a warning (`a decimal point lost`), for an
    /// exclusion of what a copy garbled rather than what is no quantity.
    pub warn: Option<String>,
    /// Texts around the excluded things and the rows they must (still) give.
    pub examples: Vec<Example>,
}

/// A rule's or an exclusion's expanded pattern, compiled on first use.
/// The combined set and exclusion regex do the scanning; a rule's own regex
/// is needed only where the set finds the rule, so a run compiles the few
/// rules its text uses, not all of them at every start.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    regex: std::sync::OnceLock<Regex>,
}

impl LazyRegex {
    /// The compiled regex.
    pub fn get(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // The pattern parsed when loading, and compiled within the
            // rule set's combined automaton, which is larger.
            big_cache(&self.pattern).expect("a rule set's patterns compile")
        })
    }

    /// The pattern, expanded and folded.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// A word before or after a number that qualifies it (`约`, `以上`).
#[derive(Debug)]
pub(crate) struct QualifierWord {
    pub word: String,
    /// `None` marks look-alikes such as `最近`, which qualify nothing.
    pub qualifier: Option<&'static str>,
    /// Kinds the word does not qualify (`近3年` is "the last three years").
    pub except_kinds: Vec<String>,
}

/// The qualifier words, longest first, and the words after which a bare
/// magnitude (`突破千亿元`) is a quantity.
#[derive(Debug, Default)]
pub(crate) struct Qualifiers {
    pub before: Vec<QualifierWord>,
    pub after: Vec<QualifierWord>,
    pub bare_after: Vec<String>,
    /// What joins two numbers into one list (`、`, `和`), from `[lists]`.
    pub joins: Vec<String>,
    /// Han characters after which `负` is a minus sign, from `[lists]`.
    pub sign_after: Vec<char>,
}

/// A loaded, compiled rule file.
#[derive(Debug)]
pub struct RuleSet {
    /// Where it came from, as given.
    pub source: String,
    /// The sha256 of the rule file's text (hex), which names these rules
    /// in a run's summary and in `--version`.
    pub sha256: String,
    pub(crate) fold: Fold,
    pub(crate) units: UnitTable,
    pub(crate) rules: Vec<Rule>,
    /// All rule patterns in one automaton: which rules can match a sentence
    /// at all, in one pass, so most prose is scanned once, not once per rule.
    pub(crate) set: regex_automata::meta::Regex,
    /// All exclusions, where no quantity may be, as the alternatives of one
    /// alternation split over automata (see [`exclusion_groups`]).
    pub(crate) excluded: Vec<ExclusionGroup>,
    /// Region, year and section headings.
    pub meta: MetaRules,
    /// Indicator and change.
    pub(crate) indicators: IndicatorRules,
    /// Status and period.
    pub(crate) status: StatusRules,
    /// The `[status]` table's examples.
    pub status_examples: Vec<StatusExample>,
    /// The `[stand_ins]` table's examples.
    pub stand_in_examples: Vec<Example>,
    /// The `[[indicator]]` list, as written.
    pub(crate) indicator_defs: Vec<IndicatorDef>,
    pub(crate) excludes: Vec<Exclusion>,
    pub(crate) qualifiers: Qualifiers,
    /// SPEC's kinds, then the rule file's own (`kinds = [...]`).
    pub(crate) kinds: Vec<String>,
}

impl std::fmt::Debug for Fold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fold")
    }
}

struct Loader<'a> {
    file: &'a str,
    /// Byte offsets where each line after the first starts, built once so
    /// that naming the line of every entry of a large file stays linear.
    line_starts: Vec<usize>,
}

impl<'a> Loader<'a> {
    fn new(file: &'a str, text: &str) -> Loader<'a> {
        let line_starts = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        Loader { file, line_starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) + 1
    }

    fn err(&self, offset: usize, rule: Option<&str>, message: impl Into<String>) -> Error {
        Error::Rules {
            at: RuleLocation {
                file: self.file.to_string(),
                line: self.line(offset),
                rule: rule.map(str::to_string),
            },
            message: message.into(),
        }
    }

    /// Like [`Loader::err`], for an entry whose line is known.
    fn err_at_line(&self, line: usize, rule: &str, message: String) -> Error {
        Error::Rules {
            at: RuleLocation {
                file: self.file.to_string(),
                line,
                rule: Some(rule.to_string()),
            },
            message,
        }
    }

    /// Compiles a pattern of `owner` (a table or an entry, written at
    /// `at`), folded like the text it will see; an error names the owner
    /// and its line.
    fn table_regex(&self, fold: &Fold, at: usize, owner: &str, p: &str) -> Result<Regex> {
        Regex::new(&fold.str(p))
            .map_err(|e| self.err(at, Some(owner), format!("pattern does not compile: {e}")))
    }
}

impl RuleSet {
    /// The rule file embedded in the binary.
    pub fn default_rules() -> Result<RuleSet> {
        RuleSet::parse(DEFAULT_RULES, DEFAULT_RULES_NAME)
    }

    /// Reads and compiles a rule file from disk.
    pub fn from_path(path: &str) -> Result<RuleSet> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?;
        RuleSet::parse(&text, path)
    }

    /// Compiles rule-file text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<RuleSet> {
        let ld = Loader::new(file, text);
        let raw: RuleFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ld.err(at, None, e.message().trim().to_string())
        })?;

        let mut pairs = Vec::new();
        for (from, to) in &raw.fold {
            let (mut f, mut t) = (from.chars(), to.get_ref().chars());
            match (f.next(), f.next(), t.next(), t.next()) {
                (Some(a), None, Some(b), None) => pairs.push((a, b)),
                _ => {
                    return Err(ld.err(
                        to.span().start,
                        None,
                        format!(
                            "fold `{from}` = `{}`: both sides must be one character",
                            to.get_ref()
                        ),
                    ))
                }
            }
        }
        let fold = Fold::new(pairs);

        let kinds: Vec<&str> = KINDS
            .iter()
            .copied()
            .chain(raw.kinds.iter().map(String::as_str))
            .collect();
        let mut units = UnitTable::default();
        for entry in &raw.units {
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
            let factor = match &u.factor {
                None => Value::from(1),
                Some(v) => {
                    let s = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(f) => f.to_string(),
                        _ => String::new(),
                    };
                    numeral::parse_factor(&s).ok_or_else(|| {
                        ld.err(
                            at,
                            first,
                            format!("factor `{v}` is not a number like 1000, 0.01 or \"10000/15\""),
                        )
                    })?
                }
            };
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
                // The first meaning would win silently: a second one is a mistake.
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

        let mut qualifiers = Qualifiers::default();
        for (name, words) in &raw.qualifiers {
            let q = match QUALIFIERS.iter().find(|q| **q == name.as_str()) {
                Some(q) => Some(*q),
                None if name == "none" => None,
                None => {
                    return Err(ld.err(
                        words.span().start,
                        None,
                        format!(
                            "unknown qualifier `{name}`; qualifiers are {} (and `none`)",
                            QUALIFIERS.join(", ")
                        ),
                    ))
                }
            };
            let w = words.get_ref();
            if let Some(k) = w.except_kinds.iter().find(|k| !kinds.contains(&k.as_str())) {
                return Err(ld.err(
                    words.span().start,
                    None,
                    format!("unknown kind `{k}` in except_kinds"),
                ));
            }
            let word = |s: &String| QualifierWord {
                word: fold.str(s),
                qualifier: q,
                except_kinds: w.except_kinds.clone(),
            };
            qualifiers.before.extend(w.before.iter().map(word));
            qualifiers.after.extend(w.after.iter().map(word));
        }
        for list in [&mut qualifiers.before, &mut qualifiers.after] {
            list.sort_by(|a, b| {
                b.word
                    .chars()
                    .count()
                    .cmp(&a.word.chars().count())
                    .then(a.word.cmp(&b.word))
            });
        }
        qualifiers.bare_after = raw
            .magnitudes
            .bare_after
            .iter()
            .map(|s| fold.str(s))
            .collect();
        qualifiers.joins = raw.lists.joins.iter().map(|s| fold.str(s)).collect();
        qualifiers.sign_after = fold.str(&raw.lists.sign_after).chars().collect();

        if raw.rules.is_empty() {
            return Err(ld.err(0, None, "no [[rule]]: nothing would be extracted"));
        }
        let expander = Expander {
            ld: &ld,
            fragments: &raw.fragments,
            units: &units,
            fold: &fold,
        };
        let mut seen = std::collections::HashSet::new();
        let mut rules = Vec::new();
        // The rules' parsed patterns, which the combined set is built from.
        let mut hirs = Vec::new();
        for entry in &raw.rules {
            let at = entry.span().start;
            let r = entry.get_ref();
            if !seen.insert(r.id.clone()) {
                return Err(ld.err(
                    at,
                    Some(&r.id),
                    "a rule with this id comes earlier in the file",
                ));
            }
            if r.warn.is_some() {
                return Err(ld.err(at, Some(&r.id), "`warn` is for [[exclude]] entries"));
            }
            let (regex, hir) = expander.compile(&r.pattern, at, &r.id)?;
            if !has_group(&hir, "num") {
                return Err(ld.err(at, Some(&r.id), "pattern has no `(?P<num>…)` group"));
            }
            let has_unit = has_group(&hir, "unit");
            hirs.push(hir);
            let bare = match (&r.kind, has_unit) {
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
                minor_units.insert(fold.str(name), f);
            }
            rules.push(Rule {
                id: r.id.clone(),
                line: ld.line(at),
                regex,
                bare,
                min_chinese: r.min_chinese.map(|m| Value::from(i128::from(m))),
                magnitude_only: r.magnitude_only,
                minor_units,
                ranges: r.ranges,
                examples: examples(&ld, &r.examples),
            });
        }
        let mut excludes = Vec::new();
        let mut exclude_hirs = Vec::new();
        for entry in &raw.excludes {
            let at = entry.span().start;
            let r = entry.get_ref();
            if !seen.insert(r.id.clone()) {
                return Err(ld.err(at, Some(&r.id), "this id is used earlier in the file"));
            }
            let (regex, hir) = expander.compile(&r.pattern, at, &r.id)?;
            exclude_hirs.push(hir);
            excludes.push(Exclusion {
                id: r.id.clone(),
                line: ld.line(at),
                regex,
                warn: r.warn.clone(),
                examples: examples(&ld, &r.examples),
            });
        }
        let (stand_ins, stand_in_examples) = stand_ins(&ld, &expander, raw.stand_ins.as_ref())?;
        let set = combined(&hirs, regex_automata::MatchKind::All).map_err(|e| {
            // A pattern too big on its own is named, as when each was compiled.
            let alone = rules.iter().find_map(|r| {
                let e = big_cache(r.regex.as_str()).err()?;
                Some(ld.err_at_line(r.line, &r.id, format!("pattern does not compile: {e}")))
            });
            alone.unwrap_or_else(|| {
                ld.err(0, None, format!("the rules do not compile together: {e}"))
            })
        })?;
        let excluded = exclusion_groups(exclude_hirs).map_err(|e| {
            ld.err(
                0,
                None,
                format!("the exclusions do not compile together: {e}"),
            )
        })?;
        let at = raw.metadata.as_ref().map_or(0, |m| m.span().start);
        let md = raw.metadata.as_ref().map(|m| m.get_ref());
        let compile = |p: &str| {
            Regex::new(p).map_err(|e| {
                ld.err(
                    at,
                    Some("metadata"),
                    format!("pattern does not compile: {e}"),
                )
            })
        };
        let meta = MetaRules {
            title: md
                .map_or(&[][..], |m| &m.title)
                .iter()
                .map(|t| match t {
                    TitlePattern::Plain(p) => Ok((compile(p)?, None)),
                    TitlePattern::Fixed { pattern, region } => {
                        Ok((compile(pattern)?, Some(region.clone())))
                    }
                })
                .collect::<Result<_>>()?,
            by_type: md
                .map_or(&[][..], |m| &m.by_type)
                .iter()
                .map(|p| compile(p))
                .collect::<Result<_>>()?,
            common: md.map_or(Vec::new(), |m| m.common.clone()),
            divisions: crate::region::Divisions::bundled()?,
            file_year: md
                .and_then(|m| m.file_year.as_deref())
                .map(compile)
                .transpose()?,
            review_year: md
                .and_then(|m| m.review_year.as_deref())
                .map(compile)
                .transpose()?,
            heading: md
                .and_then(|m| m.heading.as_deref())
                .map(compile)
                .transpose()?,
        };
        let iat = raw.indicators.as_ref().map_or(0, |m| m.span().start);
        let iw = raw.indicators.as_ref().map(|m| m.get_ref());
        let icompile = |p: Option<&String>| {
            p.map(|p| ld.table_regex(&fold, iat, "indicators", p))
                .transpose()
        };
        let words = |f: fn(&IndicatorWords) -> &Vec<String>| {
            iw.map_or(Vec::new(), |w| f(w).iter().map(|s| fold.str(s)).collect())
        };
        let mut names: Vec<(String, std::sync::Arc<str>)> = Vec::new();
        let mut patterns = Vec::new();
        let mut not = Vec::new();
        let mut indicator_defs = Vec::new();
        for entry in &raw.indicator_list {
            let e = entry.get_ref();
            let at = entry.span().start;
            if indicator_defs.iter().any(|d: &IndicatorDef| d.id == e.id) {
                return Err(ld.err(at, Some(&e.id), "an indicator with this id comes earlier"));
            }
            if e.names.is_empty() && e.pattern.is_none() {
                return Err(ld.err(at, Some(&e.id), "an indicator needs `names` or `pattern`"));
            }
            let id: std::sync::Arc<str> = std::sync::Arc::from(e.id.as_str());
            names.extend(e.names.iter().map(|n| (fold.str(n), id.clone())));
            if let Some(p) = &e.pattern {
                patterns.push((ld.table_regex(&fold, at, &e.id, p)?, id.clone()));
            }
            not.push((id, e.not.iter().map(|w| fold.str(w)).collect()));
            indicator_defs.push(IndicatorDef {
                id: e.id.clone(),
                about: e.about.clone(),
                names: e.names.clone(),
                pattern: e.pattern.clone(),
                not: e.not.clone(),
                line: ld.line(at),
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
            });
        }
        names.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        let field =
            |f: fn(&IndicatorWords) -> &Option<String>| icompile(iw.and_then(|w| f(w).as_ref()));
        let indicators = IndicatorRules::new(
            crate::indicator::Words {
                increase: words(|w| &w.increase),
                decrease: words(|w| &w.decrease),
                level: words(|w| &w.level),
                names,
                patterns,
                not,
                clause_breaks: fold.str(&raw.lists.clause_breaks).chars().collect(),
                pairs: iw.map_or(Vec::new(), |w| {
                    w.pairs
                        .iter()
                        .map(|(k, [a, b])| (fold.str(k), [fold.str(a), fold.str(b)]))
                        .collect()
                }),
            },
            [
                icompile(iw.and_then(lead_pattern).as_ref())?,
                field(|w| &w.trail)?,
                field(|w| &w.between)?,
                field(|w| &w.verbs)?,
                field(|w| &w.noun_end)?,
                field(|w| &w.noun_suffix)?,
                field(|w| &w.derived)?,
                field(|w| &w.measure)?,
                field(|w| &w.remark)?,
                field(|w| &w.shared)?,
            ],
        );
        let sat = raw.status.as_ref().map_or(0, |m| m.span().start);
        let st = raw.status.as_ref().map(|m| m.get_ref());
        let scompile = |p: Option<&String>| {
            p.map(|p| ld.table_regex(&fold, sat, "status", p))
                .transpose()
        };
        let pick =
            |f: fn(&StatusEntry) -> &Option<String>| scompile(st.and_then(|s| f(s).as_ref()));
        let parts: Vec<Part> = st
            .map_or(&[][..], |s| &s.parts)
            .iter()
            .map(|p| {
                Ok(Part {
                    regex: ld.table_regex(&fold, sat, "status", &p.pattern)?,
                    months: p.months,
                })
            })
            .collect::<Result<_>>()?;
        let months = pick(|s| &s.months)?;
        let part_ends = match_ends(parts.iter().map(|p| &p.regex).chain(&months));
        let status = StatusRules {
            review_section: pick(|s| &s.review_section)?,
            target_section: pick(|s| &s.target_section)?,
            plan_section: pick(|s| &s.plan_section)?,
            bulletin: pick(|s| &s.bulletin)?,
            issued: pick(|s| &s.issued)?,
            year_work: pick(|s| &s.year_work)?,
            estimate: pick(|s| &s.estimate)?,
            targets_paragraph: pick(|s| &s.targets_paragraph)?,
            predicate: pick(|s| &s.predicate)?,
            restated: pick(|s| &s.restated)?,
            target: pick(|s| &s.target)?,
            actual: pick(|s| &s.actual)?,
            average: pick(|s| &s.average)?,
            span: pick(|s| &s.span)?,
            until: pick(|s| &s.until)?,
            year: pick(|s| &s.year)?,
            months,
            part_ends,
            whole_year: pick(|s| &s.whole_year)?,
            relative: st.map_or(Vec::new(), |s| {
                s.relative.iter().map(|(w, &d)| (fold.str(w), d)).collect()
            }),
            parts,
        };
        let status_examples = st
            .map_or(&[][..], |s| &s.examples)
            .iter()
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
            .collect();
        Ok(RuleSet {
            sha256: sha256_hex(text.as_bytes()),
            indicators,
            status,
            status_examples,
            indicator_defs,
            meta,
            source: file.to_string(),
            fold: match stand_ins {
                Some(s) => fold.with_stand_ins(s),
                None => fold,
            },
            stand_in_examples,
            units,
            rules,
            set,
            excluded,
            excludes,
            qualifiers,
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
        })
    }

    /// The rules, in file order (earlier wins a tie).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The exclusions, in file order.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.excludes
    }

    /// The `derived` pattern of `[indicators]`: words of a share, ratio or
    /// per-unit measure, which keep a base id off it.
    pub fn derived_pattern(&self) -> Option<&str> {
        self.indicators.derived.as_ref().map(Regex::as_str)
    }

    /// The canonical indicators, in file order.
    pub fn indicators(&self) -> &[IndicatorDef] {
        &self.indicator_defs
    }

    /// The kinds a row can have: SPEC's, then the rule file's own.
    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    /// The normalized units of each kind: what the unit table and the
    /// rules' own units give (a count's measure word is any word).
    pub fn units_by_kind(
        &self,
    ) -> std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> {
        let mut by_kind: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
            Default::default();
        let table = self
            .units
            .units()
            .map(|u| (u.kind.as_str(), u.unit.as_str()));
        let bare = self.rules.iter().filter_map(|r| r.bare.as_ref());
        for (kind, unit) in table.chain(bare.map(|(k, u)| (k.as_str(), u.as_str()))) {
            by_kind.entry(kind).or_default().insert(unit);
        }
        by_kind
    }
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::provenance::hex(&sha2::Sha256::digest(bytes))
}

fn examples(ld: &Loader, list: &[Spanned<ExampleEntry>]) -> Vec<Example> {
    list.iter()
        .map(|e| Example {
            text: e.get_ref().text.clone(),
            gives: e
                .get_ref()
                .gives
                .iter()
                .map(|g| g.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect(),
            warns: e.get_ref().warns.clone(),
            line: ld.line(e.span().start),
        })
        .collect()
}

/// The `[stand_ins]` table: the strings and letters old copies put for the
/// characters of a number, and its examples.
fn stand_ins(
    ld: &Loader,
    ex: &Expander,
    entry: Option<&Spanned<StandInsEntry>>,
) -> Result<(Option<StandIns>, Vec<Example>)> {
    let Some(entry) = entry else {
        return Ok((None, Vec::new()));
    };
    let (at, e) = (entry.span().start, entry.get_ref());
    let err = |m: String| ld.err(at, Some("stand_ins"), m);
    let mut s = StandIns::default();
    for (from, to) in &e.strings {
        let (long, one) = (ex.fold.str(from), ex.fold.str(to));
        let mut one = one.chars();
        match (one.next(), one.next()) {
            (Some(c), None) if long.chars().count() > 1 => s.strings.push((long, c)),
            _ => {
                return Err(err(format!(
                    "string `{from}` = `{to}`: two or more characters for one"
                )))
            }
        }
    }
    s.strings
        .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    for (from, to) in &e.letters {
        match (from.as_bytes(), to.as_bytes()) {
            ([l], [d]) if l.is_ascii_alphabetic() && d.is_ascii_digit() => {
                s.letters[usize::from(*l)] = *d
            }
            _ => {
                return Err(err(format!(
                    "letter `{from}` = `{to}`: an ASCII letter for an ASCII digit"
                )))
            }
        }
    }
    if let Some(p) = &e.after {
        let (regex, _) = ex.compile(&format!("^(?:{p})"), at, "stand_ins")?;
        s.after = Some(regex.get().clone());
    }
    Ok((Some(s), examples(ld, &e.examples)))
}

/// The longest a pattern may grow by expanding its references: fragments
/// that each use the next twice would otherwise double it at every level.
const MAX_EXPANDED: usize = 1 << 20;

/// Expands `{fragment}` and `{unit:CLASS}` references in patterns.
struct Expander<'a> {
    ld: &'a Loader<'a>,
    fragments: &'a BTreeMap<String, Spanned<String>>,
    units: &'a UnitTable,
    fold: &'a Fold,
}

/// The lazy DFA cache of each rule pattern, of their combined set and of the
/// exclusions: large enough that the states of these big patterns are
/// built once per thread and kept, not rebuilt whenever the default 2 MiB
/// fills up. It is an upper bound: a cache grows only as states are met.
const DFA_CACHE: usize = 64 << 20;

/// The rules' patterns as one automaton that says which of them match a
/// text, configured as `regex::RegexSet` is, but built from the patterns
/// parsed at load rather than parsing them again.
/// With `MatchKind::LeftmostFirst`, the automaton finds what the alternation
/// of the patterns in order finds, and which pattern matched; it needs the
/// implicit group 0 for that, a set only says which patterns match.
fn combined(
    hirs: &[Hir],
    kind: regex_automata::MatchKind,
) -> std::result::Result<regex_automata::meta::Regex, String> {
    use regex_automata::{meta, nfa::thompson::WhichCaptures, MatchKind};
    let config = meta::Config::new()
        .match_kind(kind)
        .utf8_empty(true)
        .which_captures(match kind {
            MatchKind::All => WhichCaptures::None,
            _ => WhichCaptures::Implicit,
        })
        .nfa_size_limit(Some(10 << 20))
        .hybrid_cache_capacity(DFA_CACHE);
    meta::Builder::new()
        .configure(config)
        .build_many_from_hir(hirs)
        .map_err(|e| match e.size_limit() {
            // As the regex crate words it.
            Some(limit) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            None => e.to_string(),
        })
}

/// Some of the exclusions' alternatives in one automaton, each a pattern of
/// it, with its rank: its place in the alternation of all of them.
#[derive(Debug)]
pub(crate) struct ExclusionGroup {
    pub regex: regex_automata::meta::Regex,
    pub ranks: Vec<usize>,
}

/// The top-level alternatives of the exclusions, in order, as two automata:
/// those with a repeated class of most of Unicode (`“[^”]{1,12}”`) apart.
/// Such a class multiplies the lazy DFA states of every other alternative
/// in progress beside it, so one automaton for all would determinize about
/// twice as many states before it is warm; the one with such classes alone
/// starts with a literal most often, which a prefilter skips to.
fn exclusion_groups(hirs: Vec<Hir>) -> std::result::Result<Vec<ExclusionGroup>, String> {
    let mut split: [(Vec<Hir>, Vec<usize>); 2] = Default::default();
    let alternatives = hirs.into_iter().flat_map(|h| match h.kind() {
        HirKind::Alternation(alts) => alts.clone(),
        _ => vec![h],
    });
    for (rank, alt) in alternatives.enumerate() {
        let (hirs, ranks) = &mut split[usize::from(wide_repetition(&alt))];
        hirs.push(alt);
        ranks.push(rank);
    }
    split
        .into_iter()
        .filter(|(hirs, _)| !hirs.is_empty())
        .map(|(hirs, ranks)| {
            let regex = combined(&hirs, regex_automata::MatchKind::LeftmostFirst)?;
            Ok(ExclusionGroup { regex, ranks })
        })
        .collect()
}

/// Whether `hir` repeats a class of more than a plane of code points.
fn wide_repetition(hir: &Hir) -> bool {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Repetition(r) => {
            let wide = match r.sub.kind() {
                HirKind::Class(Class::Unicode(c)) => {
                    let points = c.ranges().iter();
                    points
                        .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                        .sum::<u32>()
                        > 0x10000
                }
                _ => false,
            };
            r.max != Some(1) && wide || wide_repetition(&r.sub)
        }
        HirKind::Capture(c) => wide_repetition(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(wide_repetition),
        _ => false,
    }
}

/// A regex whose lazy DFA may keep up to [`DFA_CACHE`] bytes of states.
fn big_cache(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// Whether `hir` has a capture group called `name`.
fn has_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => c.name.as_deref() == Some(name) || has_group(&c.sub, name),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(|h| has_group(h, name)),
        HirKind::Repetition(r) => has_group(&r.sub, name),
        _ => false,
    }
}

static REFERENCE: once_cell::sync::Lazy<Regex> = once_cell::sync::Lazy::new(|| {
    Regex::new(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_][A-Za-z0-9_]*))?\}").expect("valid")
});

impl Expander<'_> {
    fn expand(&self, pattern: &str, at: usize, id: &str, depth: usize) -> Result<String> {
        if depth > 16 {
            return Err(self
                .ld
                .err(at, Some(id), "fragments refer to each other in a cycle"));
        }
        let mut out = String::with_capacity(pattern.len());
        let mut last = 0;
        let too_long = || {
            self.ld.err(
                at,
                Some(id),
                format!("pattern expands to more than {MAX_EXPANDED} bytes (fragments nested too often)"),
            )
        };
        for caps in REFERENCE.captures_iter(pattern) {
            let whole = caps.get(0).expect("group 0");
            out.push_str(&pattern[last..whole.start()]);
            last = whole.end();
            let name = &caps[1];
            let piece = match (name, caps.get(2)) {
                ("unit", Some(class)) => self.units.pattern(class.as_str()).ok_or_else(|| {
                    let known: Vec<&str> = self.units.class_names().collect();
                    self.ld.err(
                        at,
                        Some(id),
                        format!(
                            "no unit class `{}`; classes are {}",
                            class.as_str(),
                            known.join(", ")
                        ),
                    )
                })?,
                (_, Some(_)) => {
                    return Err(self.ld.err(
                        at,
                        Some(id),
                        format!("unknown reference `{}`", whole.as_str()),
                    ));
                }
                (_, None) => {
                    let frag = self.fragments.get(name).ok_or_else(|| {
                        self.ld
                            .err(at, Some(id), format!("unknown fragment `{{{name}}}`"))
                    })?;
                    let inner = self.expand(frag.get_ref(), frag.span().start, name, depth + 1)?;
                    format!("(?:{inner})")
                }
            };
            out.push_str(&piece);
            if out.len() > MAX_EXPANDED {
                return Err(too_long());
            }
        }
        out.push_str(&pattern[last..]);
        if out.len() > MAX_EXPANDED {
            return Err(too_long());
        }
        Ok(out)
    }

    /// The expanded pattern, parsed (as the regex crate parses, so errors
    /// read the same) but compiled only when first used ([`LazyRegex`]).
    fn compile(&self, pattern: &str, at: usize, id: &str) -> Result<(LazyRegex, Hir)> {
        let expanded = self.expand(&self.fold.str(pattern), at, id, 0)?;
        let hir = regex_syntax::Parser::new().parse(&expanded).map_err(|e| {
            self.ld
                .err(at, Some(id), format!("pattern does not compile: {e}"))
        })?;
        let regex = LazyRegex {
            pattern: expanded,
            regex: std::sync::OnceLock::new(),
        };
        Ok((regex, hir))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        RuleSet::parse(text, "t.toml").unwrap_err().to_string()
    }

    const UNITS: &str = "[[unit]]\nnames = [\"元\"]\nkind = \"money\"\nunit = \"CNY\"\n";

    #[test]
    fn match_ends_rule_out_only_texts_without_a_match() {
        let res = [
            Regex::new("第?一季度").unwrap(),
            Regex::new("([0-9]{1,2})-([0-9]{1,2})月").unwrap(),
        ];
        let ends = match_ends(res.iter()).unwrap();
        for text in [
            "前一季度增长",
            "1-9月",
            "第一季度",
            "全年增长5%",
            "9月",
            "季度",
        ] {
            assert!(
                ends.is_match(text) || !res.iter().any(|re| re.is_match(text)),
                "{text}"
            );
        }
        assert!(!ends.is_match("全年增长5%"));
        // A pattern that matches the empty text rules nothing out.
        assert!(match_ends([Regex::new("a*").unwrap()].iter()).is_none());
    }

    #[test]
    fn errors_name_file_line_and_rule() {
        let e = err(&format!(
            "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>[0-9]+)(?P<unit>{{unit:money}}'\n"
        ));
        assert!(
            e.starts_with("t.toml:6: rule `m`: pattern does not compile"),
            "{e}"
        );
        let e = err(&format!(
            "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{numbr}})'\nkind = \"count\"\n"
        ));
        assert!(
            e.starts_with("t.toml:6: rule `m`: unknown fragment `{numbr}`"),
            "{e}"
        );
        let e = err(&format!(
            "{UNITS}\n[[rule]]\nid = \"m\"\npattern = '(?P<num>1)(?P<unit>{{unit:mony}})'\n"
        ));
        assert!(e.contains("no unit class `mony`"), "{e}");
        let e = err("[[unit]]\nnames = [\"x\"]\nkind = \"weight\"\n");
        assert!(
            e.starts_with("t.toml:1: rule `x`: unknown kind `weight`"),
            "{e}"
        );
        let e = err("[[rule]\nid = 1\n");
        assert!(e.starts_with("t.toml:1: "), "{e}");
    }

    #[test]
    fn empty_files_conflicting_units_and_exploding_fragments_are_refused() {
        assert!(err("").contains("no [[rule]]"));
        let twice = format!("{UNITS}[[unit]]\nnames = [\"元\"]\nkind = \"count\"\n");
        assert!(err(&twice).contains("unit `元` is already defined"));
        let mut nested = format!("{UNITS}[fragments]\nf0 = 'x'\n");
        for i in 1..=12 {
            nested.push_str(&format!(
                "f{i} = '{{f{}}}{{f{}}}{{f{}}}{{f{}}}'\n",
                i - 1,
                i - 1,
                i - 1,
                i - 1
            ));
        }
        nested.push_str("[[rule]]\nid = \"m\"\npattern = '(?P<num>{f12})'\nkind = \"count\"\n");
        assert!(
            err(&nested).contains("expands to more than"),
            "{}",
            err(&nested)
        );
    }

    #[test]
    fn fragments_expand_and_cycles_are_caught() {
        let ok = format!("{UNITS}[fragments]\nd = '[0-9]+'\nn = '{{d}}(?:\\.{{d}})?'\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{n}})(?P<unit>{{unit:money}})'\n");
        let rs = RuleSet::parse(&ok, "t.toml").unwrap();
        assert!(rs.rules[0].regex.get().is_match("3.5元"));
        let e = err(&format!("{UNITS}[fragments]\na = '{{b}}'\nb = '{{a}}'\n[[rule]]\nid = \"m\"\npattern = '(?P<num>{{a}})'\nkind = \"count\"\n"));
        assert!(e.contains("cycle"), "{e}");
    }

    #[test]
    fn stand_ins_and_warnings_are_checked_when_loading() {
        let rule = "[[rule]]\nid = \"m\"\npattern = '(?P<num>[0-9]+)(?P<unit>{unit:money})'\n";
        let e = err(&format!(
            "{UNITS}[stand_ins]\nletters = {{ \"O\" = \"o\" }}\n{rule}"
        ));
        assert!(
            e.contains("letter `O` = `o`: an ASCII letter for an ASCII digit"),
            "{e}"
        );
        let e = err(&format!(
            "{UNITS}[stand_ins]\nstrings = {{ \"_\" = \"%\" }}\n{rule}"
        ));
        assert!(e.contains("two or more characters for one"), "{e}");
        let e = err(&format!("{UNITS}{rule}warn = \"no\"\n"));
        assert!(e.contains("`warn` is for [[exclude]] entries"), "{e}");
        let ok = format!(
            "{UNITS}[stand_ins]\nstrings = {{ \"_M_M_\" = \"％\" }}\nletters = {{ \"l\" = \"1\" }}\nafter = '{{unit:money}}'\n{rule}"
        );
        let rs = RuleSet::parse(&ok, "t.toml").unwrap();
        assert!(rs.fold.has_stand_ins());
        let flat = crate::normalize::Flat::new("3_M_M_，l2元", &rs.fold);
        assert_eq!(flat.text, "3%,12元");
    }

    #[test]
    fn default_rules_load() {
        let rs = RuleSet::default_rules().unwrap();
        assert!(!rs.rules.is_empty());
        assert!(!rs.excludes.is_empty());
    }
}
