//! The rule file: the product's knowledge of how Chinese reports write
//! quantities, as data. See `rules/zh.toml` for the format, documented in
//! its header, and `docs/rules.md`.
//!
//! Each section of the file is compiled by a module of its own, in the
//! order [`RuleSet::parse`] lists them: [`fold`] (characters folded first,
//! as the text will be), [`units`] (`kinds` and `[[unit]]`), [`qualifiers`]
//! (with `[magnitudes]` and `[lists]`), [`patterns`] (`[fragments]`, and how
//! every pattern is expanded and compiled), [`rule`] (`[[rule]]`),
//! [`exclude`] (`[[exclude]]`), [`metadata`], [`indicators`] (`[indicators]`
//! and `[[indicator]]`) and [`status`]. [`load`] names the file and line of
//! every entry.
//!
//! Loading is all or nothing: a file with one bad rule gives an [`Error`]
//! naming the file, line and rule, and no [`RuleSet`].

mod exclude;
mod fold;
mod identity;
mod indicators;
mod load;
mod metadata;
mod patterns;
mod prebuilt;
mod qualifiers;
mod rule;
mod status;
pub(crate) mod tables;
mod units;

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use crate::error::Result;
use crate::meaning::indicator::IndicatorRules;
use crate::meaning::meta::MetaRules;
use crate::meaning::scan::ClauseScan;
use crate::meaning::status::StatusRules;
use crate::text::normalize::Fold;
use crate::text::units::UnitTable;

pub use exclude::Exclusion;
pub(crate) use exclude::ExclusionGroup;
pub use identity::{identity_of, sha256_hex};
pub use indicators::IndicatorDef;
pub use load::Example;
pub(crate) use qualifiers::Qualifiers;
pub use qualifiers::QUALIFIERS;
pub use rule::Rule;
pub use status::StatusExample;

/// The default rule file, embedded in the binary.
pub const DEFAULT_RULES: &str = include_str!("../../rules/zh.toml");
/// The name errors give the embedded rule file.
pub const DEFAULT_RULES_NAME: &str = "rules/zh.toml";
/// The embedded rules' identity ([`identity_of`]), hashed by `build.rs`.
const DEFAULT_RULES_SHA256: &str = env!("SHULIANG_RULES_SHA256");

/// The rule file as written: a field per section.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    /// Kinds beyond docs/csv.md's, for units it does not name (算力 in PFlops).
    #[serde(default)]
    kinds: Vec<String>,
    /// Whether [`fold::TRADITIONAL`] is folded too, under `[fold]`'s own pairs.
    #[serde(default)]
    fold_traditional: bool,
    #[serde(default)]
    fold: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    stand_ins: Option<Spanned<fold::StandInsEntry>>,
    #[serde(default)]
    fragments: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    qualifiers: BTreeMap<String, Spanned<qualifiers::QualifierWords>>,
    #[serde(default)]
    magnitudes: qualifiers::Magnitudes,
    #[serde(default)]
    lists: qualifiers::Lists,
    #[serde(default)]
    metadata: Option<Spanned<metadata::MetadataEntry>>,
    #[serde(default)]
    indicators: Option<Spanned<indicators::IndicatorWords>>,
    #[serde(default)]
    status: Option<Spanned<status::StatusEntry>>,
    #[serde(default)]
    tables: Option<Spanned<tables::TablesEntry>>,
    #[serde(default, rename = "indicator")]
    indicator_list: Vec<Spanned<indicators::IndicatorEntry>>,
    #[serde(default, rename = "unit")]
    units: Vec<Spanned<units::UnitEntry>>,
    #[serde(default, rename = "rule")]
    rules: Vec<Spanned<rule::RuleEntry>>,
    #[serde(default, rename = "exclude")]
    excludes: Vec<Spanned<rule::RuleEntry>>,
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
    /// alternation split over automata (see [`exclude::groups`]).
    pub(crate) excluded: Vec<ExclusionGroup>,
    /// Region, year and section headings.
    pub meta: MetaRules,
    /// Indicator and change.
    pub(crate) indicators: IndicatorRules,
    /// Status and period.
    pub(crate) status: StatusRules,
    /// The patterns of both asked of a figure's clause, as one scan.
    pub(crate) clause: ClauseScan,
    /// The `[status]` table's examples.
    pub status_examples: Vec<StatusExample>,
    /// The `[stand_ins]` table's examples.
    pub stand_in_examples: Vec<Example>,
    pub(crate) tables: tables::TableWords,
    /// The `[tables]` section's examples.
    pub table_examples: Vec<Example>,
    /// The `[[indicator]]` list, as written.
    pub(crate) indicator_defs: Vec<IndicatorDef>,
    pub(crate) excludes: Vec<Exclusion>,
    pub(crate) qualifiers: Qualifiers,
    /// The built-in kinds, then the rule file's own (`kinds = [...]`).
    pub(crate) kinds: Vec<String>,
}

/// The largest rule file read (the embedded one is well under 1 MiB).
pub const RULES_LIMIT: u64 = 64 << 20;

impl RuleSet {
    /// The rule file embedded in the binary, with the automata made ahead
    /// for it ([`prebuilt`]) where they fit.
    pub fn default_rules() -> Result<RuleSet> {
        RuleSet::compile(
            DEFAULT_RULES,
            DEFAULT_RULES_NAME,
            DEFAULT_RULES_SHA256,
            true,
        )
    }

    /// Reads and compiles a rule file from disk.
    /// A file larger than [`RULES_LIMIT`] or not UTF-8 is refused.
    pub fn from_path(path: &str) -> Result<RuleSet> {
        RuleSet::parse(&load::read(path)?, path)
    }

    /// Compiles rule-file text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<RuleSet> {
        RuleSet::compile(text, file, &identity_of(text), false)
    }

    /// Compiles rule-file text whose hash is `sha256`; if `embedded`, with
    /// the automata made ahead for the patterns they fit. The sections are
    /// compiled in this order, which is also the order their errors are
    /// found in.
    fn compile(text: &str, file: &str, sha256: &str, embedded: bool) -> Result<RuleSet> {
        let ld = load::Loader::new(file, text, embedded);
        let raw: RuleFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            ld.err(at, None, e.message().trim().to_string())
        })?;
        let fold = fold::compile(&ld, &raw.fold, raw.fold_traditional)?;
        let kinds = units::kinds(&raw.kinds);
        let units = units::compile(&ld, &fold, &raw.units, &kinds)?;
        let qualifiers = qualifiers::compile(
            &ld,
            &fold,
            &raw.qualifiers,
            &raw.magnitudes,
            &raw.lists,
            &kinds,
        )?;
        let expander = patterns::Expander {
            ld: &ld,
            fragments: &raw.fragments,
            units: &units,
            fold: &fold,
        };
        let mut ids = HashSet::new();
        let (rules, rule_hirs) = rule::compile(&expander, &raw.rules, &kinds, &mut ids)?;
        let (excludes, exclude_hirs) = exclude::compile(&expander, &raw.excludes, &mut ids)?;
        let set = rule::set(&ld, &rules, &rule_hirs)?;
        let narrow = embedded
            .then(|| prebuilt::narrow_exclusions(&excludes))
            .flatten();
        let excluded = exclude::groups(&ld, exclude_hirs, narrow)?;
        let (stand_ins, stand_in_examples) =
            fold::stand_ins(&ld, &expander, raw.stand_ins.as_ref())?;
        let meta = metadata::compile(&ld, &fold, raw.metadata.as_ref())?;
        let (indicators, indicator_defs) = indicators::compile(
            &ld,
            &fold,
            raw.indicators.as_ref(),
            &raw.indicator_list,
            &raw.lists,
            &kinds,
        )?;
        let (status, status_examples) = status::compile(&ld, &fold, raw.status.as_ref())?;
        let clause = ClauseScan::new(&indicators, &status, patterns::DFA_CACHE);
        let (tables, table_examples) = tables::compile(&ld, &fold, raw.tables.as_ref())?;
        Ok(RuleSet {
            sha256: sha256.to_string(),
            indicators,
            status,
            clause,
            status_examples,
            indicator_defs,
            meta,
            source: file.to_string(),
            fold: match stand_ins {
                Some(s) => fold.with_stand_ins(s),
                None => fold,
            },
            stand_in_examples,
            tables,
            table_examples,
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
        self.indicators.table.derived.as_ref().map(|re| re.as_str())
    }

    /// The canonical indicators, in file order.
    pub fn indicators(&self) -> &[IndicatorDef] {
        &self.indicator_defs
    }

    /// The kinds a row can have: the built-in ones (docs/csv.md, `kind`),
    /// then the rule file's own.
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

#[cfg(test)]
mod tests;
