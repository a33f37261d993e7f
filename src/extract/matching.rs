//! Matching: the sentences of flat text, the rules that can match each, and
//! their matches outside exclusions, as candidates.

use std::sync::OnceLock;

use regex::CaptureLocations;
use regex_automata::{Input, PatternSet};

use super::candidate::{self, Candidate};
use super::groups::{Caps, Groups};
use super::resolve::{Fate, Notes};
use crate::rules::{ExclusionGroup, RuleSet};
use crate::text::numeral;
use crate::text::{next_boundary, sentence_ends};

/// The candidates of every sentence of `text`, in sentence order.
/// `groups` are the rules' [`Groups`], in rule order, found on first use.
pub(super) fn candidates(
    rules: &RuleSet,
    groups: &[OnceLock<Groups>],
    text: &str,
    notes: &mut Notes,
) -> Vec<Candidate> {
    let mut cands = Vec::new();
    each_match(rules, groups, text, notes, |ri, caps, sentence, notes| {
        let rule = &rules.rules[ri];
        match candidate::candidate(rules, ri, rule, caps, text) {
            Ok(mut c) => {
                c.sentence = sentence;
                cands.push(c);
            }
            Err(why) => {
                let m = caps.get(0).expect("group 0");
                notes.add(m.start(), m.end(), ri, Fate::Rejected(why));
            }
        }
    });
    cands
}

/// Gives `found` every match of a rule outside exclusions (those go to
/// `notes`) with its rule and sentence, in sentence order, then rule order.
pub(super) fn each_match(
    rules: &RuleSet,
    groups: &[OnceLock<Groups>],
    text: &str,
    notes: &mut Notes,
    mut found: impl FnMut(usize, &Caps, (usize, usize), &mut Notes),
) {
    // Reused for every match of each rule in the piece; made for the rules met.
    let mut locs: Vec<Option<CaptureLocations>> = rules.rules.iter().map(|_| None).collect();
    let mut hits = PatternSet::new(rules.set.pattern_len());
    let mut start = 0;
    for end in sentence_ends(text) {
        if end > start {
            let scratch = Scratch {
                groups,
                locs: &mut locs,
                hits: &mut hits,
            };
            sentence(rules, scratch, text, (start, end), notes, &mut found);
        }
        start = end;
    }
}

/// The matches of the sentence `start..end` of `text`. Quantities never
/// cross a sentence end, so the rules that cannot match it are skipped
/// after one pass of the combined automaton.
fn sentence(
    rules: &RuleSet,
    scratch: Scratch,
    text: &str,
    (start, end): (usize, usize),
    notes: &mut Notes,
    found: &mut impl FnMut(usize, &Caps, (usize, usize), &mut Notes),
) {
    // A sentence without a number character gives no row: only `explain`,
    // which lists every match turned down, needs it matched.
    if !notes.is_on() && !numeral::has_number_char(&text[start..end]) {
        return;
    }
    let hits = &mut *scratch.hits;
    hits.clear();
    rules
        .set
        .which_overlapping_matches(&Input::new(&text[start..end]), hits);
    if hits.is_empty() {
        return;
    }
    // The text before `start` stays visible to look-behind (`\b`, `[^0-9]元`).
    let hay = &text[..end];
    let mut excluded = Exclusions::new(rules, hay, start);
    for ri in hits.iter().map(|p| p.as_usize()) {
        let regex = rules.rules[ri].regex.get();
        let locs = scratch.locs[ri].get_or_insert_with(|| regex.capture_locations());
        let groups = scratch.groups[ri].get_or_init(|| Groups::of(regex));
        let mut at = start;
        while let Some(m) = regex.captures_read_at(locs, hay, at) {
            at = if m.end() > m.start() {
                m.end()
            } else {
                next_boundary(hay, m.end())
            };
            let done = at >= end;
            if excluded.covers(m.start(), m.end()) {
                notes.add(m.start(), m.end(), ri, Fate::Excluded);
                continue;
            }
            let caps = Caps { hay, locs, groups };
            found(ri, &caps, (start, end), notes);
            if done {
                break;
            }
        }
    }
}

/// What matching a sentence borrows from its piece.
struct Scratch<'a> {
    groups: &'a [OnceLock<Groups>],
    locs: &'a mut [Option<CaptureLocations>],
    /// The rules the combined set finds in the sentence.
    hits: &'a mut PatternSet,
}

/// The exclusion matches of a sentence, in order and disjoint as
/// leftmost-first iteration from its start gives them, found only as far as
/// the matches tested need: the tail after a sentence's last quantity is
/// not scanned. The alternation is split over automata (see
/// [`crate::rules::ExclusionGroup`]): its match from a place is the one of
/// them that starts first, at a tie the one of the alternative ranked first.
struct Exclusions<'h> {
    groups: &'h [ExclusionGroup],
    hay: &'h str,
    at: usize,
    done: bool,
    spans: Vec<(usize, usize)>,
    /// Each automaton's next match `(start, end, rank)`: `None` until
    /// looked for, `Some(None)` once there is none. One that starts at or
    /// after `at` is still its next.
    next: Vec<Option<Option<(usize, usize, usize)>>>,
}

impl<'h> Exclusions<'h> {
    fn new(rules: &'h RuleSet, hay: &'h str, from: usize) -> Exclusions<'h> {
        Exclusions {
            groups: &rules.excluded,
            hay,
            at: from,
            done: rules.excluded.is_empty(),
            spans: Vec::new(),
            next: vec![None; rules.excluded.len()],
        }
    }

    /// Whether an exclusion match overlaps `start..end`.
    fn covers(&mut self, start: usize, end: usize) -> bool {
        // Every span that starts before `end` must be known.
        while !self.done && self.spans.last().is_none_or(|&(s, _)| s < end) {
            match self.find() {
                Some((s, e)) => {
                    self.spans.push((s, e));
                    self.at = if e > s { e } else { next_boundary(self.hay, e) };
                    self.done = self.at >= self.hay.len();
                }
                None => self.done = true,
            }
        }
        // Only the last span starting before `end` can reach past `start`.
        let i = self.spans.partition_point(|&(s, _)| s < end);
        i > 0 && self.spans[i - 1].1 > start
    }

    /// The alternation's leftmost-first match from `at` on.
    fn find(&mut self) -> Option<(usize, usize)> {
        let (hay, at) = (self.hay, self.at);
        for (group, next) in self.groups.iter().zip(&mut self.next) {
            if next.is_none_or(|m| m.is_some_and(|(s, _, _)| s < at)) {
                let input = Input::new(hay).range(at..);
                *next = Some(
                    group
                        .regex
                        .find(input)
                        .map(|m| (m.start(), m.end(), group.ranks[m.pattern().as_usize()])),
                );
            }
        }
        let first = self.next.iter().flatten().flatten();
        first
            .min_by_key(|&&(s, _, rank)| (s, rank))
            .map(|&(s, e, _)| (s, e))
    }
}
