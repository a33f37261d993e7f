//! `[[exclude]]`: patterns whose matches no quantity may overlap (years,
//! `5G`, `十三五`), all of them as the alternatives of one alternation,
//! split over two automata.

use std::collections::HashSet;

use regex_automata::MatchKind;
use regex_syntax::hir::{Hir, HirKind};
use toml::Spanned;

use super::load::{examples, Example, Loader};
use super::patterns::{combined, Expander};
use super::prebuilt::Leftmost;
use super::rule::RuleEntry;
use crate::error::Result;
use crate::text::lazy_regex::LazyRegex;

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

/// Some of the exclusions' alternatives in one automaton, each a pattern of
/// it, with its rank: its place in the alternation of all of them.
#[derive(Debug)]
pub(crate) struct ExclusionGroup {
    pub regex: Leftmost,
    pub ranks: Vec<usize>,
}

/// The `[[exclude]]` entries, compiled, with their parsed patterns; each
/// id is added to `ids`, which an id may not be in already.
pub(super) fn compile(
    ex: &Expander,
    entries: &[Spanned<RuleEntry>],
    ids: &mut HashSet<String>,
) -> Result<(Vec<Exclusion>, Vec<Hir>)> {
    let ld = ex.ld;
    let mut excludes = Vec::new();
    let mut hirs = Vec::new();
    for entry in entries {
        let at = entry.span().start;
        let r = entry.get_ref();
        if !ids.insert(r.id.clone()) {
            return Err(ld.err(at, Some(&r.id), "this id is used earlier in the file"));
        }
        let (regex, hir) = ex.compile(&r.pattern, at, &r.id)?;
        hirs.push(hir);
        excludes.push(Exclusion {
            id: r.id.clone(),
            line: ld.line(at),
            regex,
            warn: r.warn.clone(),
            examples: examples(ld, &r.examples),
        });
    }
    Ok((excludes, hirs))
}

/// The top-level alternatives of the exclusions (`hirs`), in order, as two
/// automata: those with a repeated class of most of Unicode (`“[^”]{1,12}”`)
/// apart. Such a class multiplies the lazy DFA states of every other
/// alternative in progress beside it, so one automaton for all would
/// determinize about twice as many states before it is warm; the one with
/// such classes alone starts with a literal most often, which a prefilter
/// skips to. The first automaton is `narrow` if it was made ahead
/// ([`super::prebuilt`]: its full DFAs are 4.4 MB, the other's 51 MB).
pub(super) fn groups(
    ld: &Loader,
    hirs: Vec<Hir>,
    mut narrow: Option<Leftmost>,
) -> Result<Vec<ExclusionGroup>> {
    split(hirs)
        .into_iter()
        .enumerate()
        .filter(|(_, (hirs, _))| !hirs.is_empty())
        .map(|(i, (hirs, ranks))| {
            let regex = match narrow.take().filter(|_| i == 0) {
                Some(made) => made,
                None => Leftmost::Lazy(combined(&hirs, MatchKind::LeftmostFirst)?),
            };
            Ok(ExclusionGroup { regex, ranks })
        })
        .collect::<std::result::Result<_, String>>()
        .map_err(|e| {
            ld.err(
                0,
                None,
                format!("the exclusions do not compile together: {e}"),
            )
        })
}

/// The alternatives of [`groups`]' two automata, narrow then wide, each
/// with their ranks.
pub(super) fn split(hirs: impl IntoIterator<Item = Hir>) -> [(Vec<Hir>, Vec<usize>); 2] {
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
