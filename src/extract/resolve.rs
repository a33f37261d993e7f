//! Overlaps and enumerations: of overlapping candidates the longest stays;
//! qualifiers and units spread over the items of a list.

use std::collections::BTreeMap;

use num_traits::{CheckedDiv, CheckedMul};

use super::candidate::{Candidate, Side};
use super::reject::Reject;
use crate::rules::RuleSet;

/// What happened to one match, kept when explaining.
#[derive(Debug, Clone)]
pub(super) enum Fate {
    Rejected(Reject),
    Excluded,
    /// Lost to an overlapping candidate: its flat span and rule.
    Overlapped(usize, usize, usize),
}

/// A match that did not become a row: its flat span, its rule and why.
pub(super) struct Note {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub fate: Fate,
}

/// Matches that did not become rows, kept only when explaining.
pub(super) struct Notes {
    list: Option<Vec<Note>>,
}

impl Notes {
    /// Notes that keep nothing (extraction).
    pub fn off() -> Notes {
        Notes { list: None }
    }

    /// Notes that keep every match turned down (`explain`).
    pub fn on() -> Notes {
        Notes {
            list: Some(Vec::new()),
        }
    }

    pub fn is_on(&self) -> bool {
        self.list.is_some()
    }

    pub fn add(&mut self, start: usize, end: usize, rule: usize, fate: Fate) {
        if let Some(list) = &mut self.list {
            list.push(Note {
                start,
                end,
                rule,
                fate,
            });
        }
    }

    pub fn into_vec(self) -> Vec<Note> {
        self.list.unwrap_or_default()
    }
}

/// Stage 3 whole: overlaps resolved, ranges joined, qualifiers spread,
/// as extraction and the stage benchmark both run it.
pub(super) fn settle(
    rules: &RuleSet,
    cands: Vec<Candidate>,
    text: &str,
    notes: &mut Notes,
) -> Vec<Candidate> {
    let kept = resolve(cands, notes);
    let mut kept = join_ranges(rules, kept, text);
    qualify(rules, &mut kept, text);
    kept
}

/// Keeps the longest of overlapping candidates (the earlier rule on a tie), in text order.
pub(super) fn resolve(cands: Vec<Candidate>, notes: &mut Notes) -> Vec<Candidate> {
    // Sorted by index: candidates are large, and moving them cost more than choosing.
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&cands[a], &cands[b]);
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.rule.cmp(&b.rule))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    let mut winners: BTreeMap<usize, usize> = BTreeMap::new();
    for i in order {
        let c = &cands[i];
        let clash = taken
            .range(..c.end)
            .next_back()
            .filter(|(_, &e)| e > c.start);
        match clash {
            Some((&ws, &we)) => {
                if notes.is_on() {
                    let wr = winners[&ws];
                    notes.add(c.start, c.end, c.rule, Fate::Overlapped(ws, we, wr));
                }
            }
            None => {
                taken.insert(c.start, c.end);
                winners.insert(c.start, c.rule);
                kept.push(i);
            }
        }
    }
    kept.sort_by_key(|&i| cands[i].start);
    let mut cands: Vec<Option<Candidate>> = cands.into_iter().map(Some).collect();
    kept.into_iter()
        .map(|i| cands[i].take().expect("each candidate is kept once"))
        .collect()
}

/// The words between the two ends of a range that [`join_ranges`] reads.
const RANGE_WORDS: &[&str] = &["到", "至", "-", "--", "~", "—", "——"];

/// Two kept candidates of the same unit joined by a range word, one of them
/// from a rule with `ranges = true`, become one range when the second is
/// above the first: `五块六到五块七毛八` is 5.6~5.78 CNY.
pub(super) fn join_ranges(rules: &RuleSet, kept: Vec<Candidate>, text: &str) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(kept.len());
    for b in kept {
        if let Some(a) = out.last_mut() {
            let ranged = rules.rules[a.rule].ranges || rules.rules[b.rule].ranges;
            if ranged
                && a.end <= b.start
                && RANGE_WORDS.contains(&&text[a.end..b.start])
                && a.unit == b.unit
                && a.kind == b.kind
                && !a.unit.is_empty()
                && a.value_max.is_none()
                && b.value_max.is_none()
                && a.value < b.value
            {
                a.end = b.end;
                a.value_max = Some(b.value);
                a.more_than |= b.more_than;
                a.unit_raw = b.unit_raw;
                a.factor = b.factor;
                if !rules.rules[a.rule].ranges {
                    a.rule = b.rule;
                }
                continue;
            }
        }
        out.push(b);
    }
    out
}

/// Qualifiers of kept candidates, spread over enumerations; bare items
/// of an enumeration take the unit of the item that has one
/// (`15万、10万、5万元` are all CNY).
pub(super) fn qualify(rules: &RuleSet, kept: &mut [Candidate], text: &str) {
    for c in kept.iter_mut() {
        c.qualifier = if c.more_than {
            Some(("more_than", Side::Inside))
        } else {
            word_after(rules, text, c.end, &c.kind)
                .map(|q| (q, Side::After))
                .or_else(|| word_before(rules, text, c.start, &c.kind).map(|q| (q, Side::Before)))
        };
    }
    let joined = |a: &Candidate, b: &Candidate| joined(rules, text, a, b);
    for i in (1..kept.len()).rev() {
        let (head, tail) = kept.split_at_mut(i);
        let (a, b) = (&mut head[i - 1], &tail[0]);
        if !joined(a, b) {
            continue;
        }
        // `高1个、0.2个百分点`: a unit that is the start of the next
        // item's (`个` of `个百分点`) is that unit, shared backwards.
        let (ua, ub) = (a.unit_raw[1], b.unit_raw[1]);
        let (wa, wb) = (&text[ua.0..ua.1], &text[ub.0..ub.1]);
        if !a.bare
            && a.kind != b.kind
            && !wa.is_empty()
            && wb.len() > wa.len()
            && wb.starts_with(wa)
        {
            if let Some(v) = a
                .value
                .checked_div(&a.factor)
                .and_then(|n| n.checked_mul(&b.factor))
            {
                a.value = v;
                a.unit = b.unit.clone();
                a.kind = b.kind.clone();
                a.factor = b.factor;
            }
        }
        if a.bare && !b.bare && a.value_max.is_none() {
            if let Some(v) = a.value.checked_mul(&b.factor) {
                a.value = v;
                a.unit = b.unit.clone();
                a.kind = b.kind.clone();
                a.factor = b.factor;
                a.bare = false;
            }
        }
        if a.qualifier.is_none() && a.kind == b.kind {
            a.qualifier = b.qualifier.filter(|(_, side)| *side == Side::After);
        }
    }
    for i in 1..kept.len() {
        let (head, tail) = kept.split_at_mut(i);
        let (a, b) = (&head[i - 1], &mut tail[0]);
        if b.qualifier.is_none() && a.kind == b.kind && joined(a, b) {
            b.qualifier = a.qualifier.filter(|(_, side)| *side == Side::Before);
        }
    }
}

fn word_after(rules: &RuleSet, text: &str, end: usize, kind: &str) -> Option<&'static str> {
    let after = &text[end..];
    let w = rules
        .qualifiers
        .after
        .iter()
        .find(|w| after.starts_with(w.word.as_str()))?;
    w.qualifier
        .filter(|_| !w.except_kinds.iter().any(|k| k == kind))
}

fn word_before(rules: &RuleSet, text: &str, start: usize, kind: &str) -> Option<&'static str> {
    let before = &text[..start];
    // The last byte first: it tells most of the list's words apart cheaply.
    let last = before.as_bytes().last();
    let w = rules
        .qualifiers
        .before
        .iter()
        .find(|w| w.word.as_bytes().last() == last && before.ends_with(w.word.as_str()))?;
    w.qualifier
        .filter(|_| !w.except_kinds.iter().any(|k| k == kind))
}

/// Whether `b` is the next item of an enumeration that `a` is in (`、`,
/// `和`…). A qualifier after a number does not break the list
/// (`分别增长6.5%左右、7.5%左右`).
pub(super) fn joined(rules: &RuleSet, text: &str, a: &Candidate, b: &Candidate) -> bool {
    let gap = &text[a.end..b.start];
    let gap = rules
        .qualifiers
        .after
        .iter()
        .find_map(|q| gap.strip_prefix(q.word.as_str()))
        .unwrap_or(gap);
    rules.qualifiers.joins.iter().any(|j| j == gap)
}
