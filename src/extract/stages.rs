//! The stages one at a time, for `benches/extract.rs`: each takes what the
//! stage before it gives, so that each can be timed alone. Not a stable API.

use regex::CaptureLocations;

use super::candidate::{self, Candidate};
use super::groups::Caps;
use super::resolve::{self, Notes};
use super::{annotate, locate, matching, Extractor, Quantity};
use crate::text::normalize::Flat;

/// Stage 0: the piece's flat text.
pub fn layout(ex: &Extractor, orig: &str) -> Flat {
    Flat::new(orig, &ex.rules.fold)
}

/// The matches of stage 1: each rule match outside exclusions, with its
/// rule, sentence and groups.
#[derive(Clone)]
pub struct Matches(Vec<(usize, (usize, usize), CaptureLocations)>);

impl Matches {
    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Stage 1: the rules' matches in the sentences of `flat`.
pub fn matching(ex: &Extractor, flat: &Flat) -> Matches {
    let mut out = Vec::new();
    let text = flat.text.as_str();
    matching::each_match(
        &ex.rules,
        &ex.groups,
        text,
        &mut Notes::off(),
        |ri, caps, sentence, _| out.push((ri, sentence, caps.locs.clone())),
    );
    Matches(out)
}

/// Candidates, the output of stages 2 and 3.
#[derive(Clone)]
pub struct Candidates(Vec<Candidate>);

impl Candidates {
    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Stage 2: each match as a value, unit and kind, or turned down.
pub fn values(ex: &Extractor, flat: &Flat, matches: &Matches) -> Candidates {
    let (rules, text) = (&*ex.rules, flat.text.as_str());
    let mut out = Vec::new();
    for (ri, sentence, locs) in &matches.0 {
        let caps = Caps {
            hay: &text[..sentence.1],
            locs,
            groups: ex.groups[*ri].get().expect("met in matching"),
        };
        if let Ok(mut c) = candidate::candidate(rules, *ri, &rules.rules[*ri], &caps, text) {
            c.sentence = *sentence;
            out.push(c);
        }
    }
    Candidates(out)
}

/// Stage 3: overlaps resolved, ranges joined, qualifiers spread.
pub fn resolve(ex: &Extractor, flat: &Flat, cands: Candidates) -> Candidates {
    Candidates(resolve::settle(
        &ex.rules,
        cands.0,
        &flat.text,
        &mut Notes::off(),
    ))
}

/// Stage 5 (before 4, as [`Extractor::extract_piece`] runs them): rows
/// with offsets, mention and context.
pub fn locate(ex: &Extractor, flat: &Flat, orig: &str, kept: Candidates) -> Vec<Quantity> {
    let mut locator = locate::Locator::new(flat, orig, 0);
    kept.0
        .into_iter()
        .map(|c| locator.row(c, &ex.ids))
        .collect()
}

/// Stage 4: indicator, change, status and section of the rows of `kept`.
pub fn annotate(
    ex: &Extractor,
    flat: &Flat,
    orig: &str,
    kept: &Candidates,
    rows: &mut [Quantity],
) -> usize {
    let readings = annotate::readings(&ex.rules, &kept.0, &flat.text);
    annotate::annotate(&ex.rules, rows, readings, (orig, flat), 0).len()
}
