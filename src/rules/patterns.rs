//! `[fragments]`, and how every pattern of `[[rule]]` and `[[exclude]]` is
//! compiled: `{fragment}` and `{unit:CLASS}` references expanded, the
//! result folded and parsed at load, compiled only when first used
//! ([`LazyRegex`]), and the parsed patterns built into combined automata.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use regex_syntax::hir::{Hir, HirKind};
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::text::lazy_regex::LazyRegex;
use crate::text::normalize::Fold;
use crate::text::units::UnitTable;

/// The longest a pattern may grow by expanding its references: fragments
/// that each use the next twice would otherwise double it at every level.
const MAX_EXPANDED: usize = 1 << 20;

/// The lazy DFA cache of each rule pattern, of their combined set, of the
/// exclusions and of a clause's scan (`meaning::scan`): large enough that the states of these big patterns are
/// built once per thread and kept, not rebuilt whenever the default 2 MiB
/// fills up. It is an upper bound: a cache grows only as states are met.
pub(super) const DFA_CACHE: usize = 64 << 20;

/// Expands `{fragment}` and `{unit:CLASS}` references in patterns.
pub(super) struct Expander<'a> {
    pub ld: &'a Loader<'a>,
    pub fragments: &'a BTreeMap<String, Spanned<String>>,
    pub units: &'a UnitTable,
    pub fold: &'a Fold,
}

static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
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
            out.push_str(&self.reference(&caps, at, id, depth)?);
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

    /// What one reference (`{name}` or `{unit:CLASS}`) expands to.
    fn reference(
        &self,
        caps: &regex::Captures,
        at: usize,
        id: &str,
        depth: usize,
    ) -> Result<String> {
        let whole = caps.get(0).expect("group 0");
        let name = &caps[1];
        match (name, caps.get(2)) {
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
            }),
            (_, Some(_)) => Err(self.ld.err(
                at,
                Some(id),
                format!("unknown reference `{}`", whole.as_str()),
            )),
            (_, None) => {
                let frag = self.fragments.get(name).ok_or_else(|| {
                    self.ld
                        .err(at, Some(id), format!("unknown fragment `{{{name}}}`"))
                })?;
                let inner = self.expand(frag.get_ref(), frag.span().start, name, depth + 1)?;
                Ok(format!("(?:{inner})"))
            }
        }
    }

    /// The expanded pattern, parsed (as the regex crate parses, so errors
    /// read the same) but compiled only when first used ([`LazyRegex`]).
    pub(super) fn compile(&self, pattern: &str, at: usize, id: &str) -> Result<(LazyRegex, Hir)> {
        let expanded = self.expand(&self.fold.str(pattern), at, id, 0)?;
        let hir = parse(&expanded).map_err(|e| {
            self.ld
                .err(at, Some(id), format!("pattern does not compile: {e}"))
        })?;
        // Parsed here, and compiled within the rule set's combined
        // automaton, which is larger.
        Ok((LazyRegex::new(expanded, big_cache), hir))
    }
}

/// An expanded pattern, parsed as the regex crate parses it; the error as
/// it reads.
pub(super) fn parse(expanded: &str) -> std::result::Result<Hir, String> {
    regex_syntax::Parser::new()
        .parse(expanded)
        .map_err(|e| e.to_string())
}

/// Patterns as one automaton that says which of them match a text,
/// configured as `regex::RegexSet` is, but built from the patterns parsed
/// at load rather than parsing them again.
/// With `MatchKind::LeftmostFirst`, the automaton finds what the alternation
/// of the patterns in order finds, and which pattern matched; it needs the
/// implicit group 0 for that, a set only says which patterns match.
pub(super) fn combined(
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

/// A regex whose lazy DFA may keep up to [`DFA_CACHE`] bytes of states.
pub(super) fn big_cache(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .dfa_size_limit(DFA_CACHE)
        .build()
}

/// Whether `hir` has a capture group called `name`.
pub(super) fn has_group(hir: &Hir, name: &str) -> bool {
    match hir.kind() {
        HirKind::Capture(c) => c.name.as_deref() == Some(name) || has_group(&c.sub, name),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(|h| has_group(h, name)),
        HirKind::Repetition(r) => has_group(&r.sub, name),
        _ => false,
    }
}
