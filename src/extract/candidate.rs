//! Candidates: a rule's match turned into a value, a unit and a kind, or
//! turned down with the reason ([`Reject`]).

use std::sync::Arc;

use num_traits::{CheckedAdd, CheckedDiv, CheckedMul};

use super::groups::{Caps, G};
use super::reject::Reject;
use crate::rules::{Rule, RuleSet};
use crate::text::numeral::{self, Numeral, Value};

/// A match that passed its rule's checks, before overlaps are resolved.
#[derive(Clone)]
pub(super) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub value: Value,
    pub value_max: Option<Value>,
    pub unit: Arc<str>,
    pub kind: Arc<str>,
    pub more_than: bool,
    /// Flat byte ranges of the magnitude words and of the written unit.
    pub unit_raw: [(usize, usize); 2],
    /// The written unit's factor (1 for a bare number).
    pub factor: Value,
    /// No unit was written (`5575万`).
    pub bare: bool,
    pub qualifier: Option<(&'static str, Side)>,
    /// Flat byte range of the sentence that holds it.
    pub sentence: (usize, usize),
}

/// Where a qualifier was written, which decides how it spreads over an
/// enumeration: `7%、8%左右` qualifies both, as does `超过5%、8%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Inside,
    Before,
    After,
}

/// The candidate a match of rule `ri` gives, or why it gives none.
pub(super) fn candidate(
    rules: &RuleSet,
    ri: usize,
    rule: &Rule,
    caps: &Caps,
    text: &str,
) -> Result<Candidate, Reject> {
    let m = caps.get(0).expect("group 0");
    let num_m = caps.name(G::Num).ok_or(Reject::Number)?;
    let num = match numeral::parse(num_m.as_str()) {
        Some(n) => n,
        // `米七` (1.7 m): a unit with only a tail is one of it.
        None if num_m.as_str().is_empty() && caps.name(G::Tail).is_some() => {
            numeral::parse("一").ok_or(Reject::Number)?
        }
        None => return Err(Reject::Number),
    };
    let qualified =
        || caps.name(G::More).is_some() || bare_magnitude_allowed(rules, text, m.start());
    if caps.name(G::NumMax).is_none() {
        // A range's lower end is checked once it has the upper end's magnitude.
        acceptable(rule, &num, qualified)?;
    }

    let bare = caps.name(G::Unit).is_none();
    let (unit, kind, factor, unit_span) = match caps.name(G::Unit) {
        // A rate (`元/斤`): the unit per another, normalized on both sides.
        Some(u) if caps.name(G::Per).is_some() => {
            let per = caps.name(G::Per).ok_or(Reject::Unit)?;
            let (def, per_def) = (
                rules.units.get(u.as_str()).ok_or(Reject::Unit)?,
                rules.units.get(per.as_str()).ok_or(Reject::Unit)?,
            );
            (
                Arc::from(format!("{}/{}", def.unit, per_def.unit).as_str()),
                Arc::from(def.kind.as_str()),
                def.factor
                    .checked_div(&per_def.factor)
                    .ok_or(Reject::Overflow)?,
                (u.start(), per.end()),
            )
        }
        Some(u) => {
            let def = rules.units.get(u.as_str()).ok_or(Reject::Unit)?;
            (
                Arc::from(def.unit.as_str()),
                Arc::from(def.kind.as_str()),
                def.factor,
                (u.start(), u.end()),
            )
        }
        None => {
            let (k, u) = rule.bare.as_ref().ok_or(Reject::Unit)?;
            (
                Arc::from(u.as_str()),
                Arc::from(k.as_str()),
                Value::from(1),
                (num_m.end(), num_m.end()),
            )
        }
    };
    let mut number = num.value;
    if caps.name(G::Half).is_some() {
        if !number.is_integer() {
            return Err(Reject::Number);
        }
        number += Value::new(1, 2);
    }
    let mut value = numeral::mul(&number, &factor).ok_or(Reject::Overflow)?;
    // Minor units: 元角分, 斤两, 尺寸.
    let mut last_factor = factor;
    for (n, u) in [(G::Num2, G::Unit2), (G::Num3, G::Unit3)] {
        if let (Some(nm), Some(um)) = (caps.name(n), caps.name(u)) {
            // The rule's own minor units first (`分` as minutes after `小时`).
            let f = match rule.minor_units.get(um.as_str()) {
                Some(f) => *f,
                None => rules.units.get(um.as_str()).ok_or(Reject::Unit)?.factor,
            };
            let part = numeral::parse(nm.as_str()).ok_or(Reject::Number)?.value;
            let part = numeral::mul(&part, &f).ok_or(Reject::Overflow)?;
            value = numeral::add(&value, &part).ok_or(Reject::Overflow)?;
            last_factor = f;
        }
    }
    // A tail of digits after the last unit counts in the places below it,
    // the lower unit left unsaid: 三块五 is 3.5, 1米75 is 1.75, 七成六 is 76%.
    if let Some(t) = caps.name(G::Tail) {
        let places = t.as_str().chars().count();
        let digits = numeral::parse(t.as_str()).ok_or(Reject::Number)?.value;
        let scale = u32::try_from(places)
            .ok()
            .and_then(|p| 10i128.checked_pow(p))
            .map(|d| Value::new(1, d))
            .ok_or(Reject::Overflow)?;
        let part = digits
            .checked_mul(&scale)
            .and_then(|p| p.checked_mul(&last_factor))
            .ok_or(Reject::Overflow)?;
        value = value.checked_add(&part).ok_or(Reject::Overflow)?;
    }
    // `pre` and `post` are context the pattern needs, not part of the mention.
    let mut start = caps.name(G::Pre).map_or(m.start(), |p| p.end());
    let end = caps.name(G::Post).map_or(m.end(), |p| p.start());
    if let Some(sign) = caps.name(G::Neg) {
        if is_sign(&rules.qualifiers.sign_after, text, sign.start()) {
            value = -value;
        } else {
            start = sign.end();
        }
    }
    let value_max = match caps.name(G::NumMax) {
        None => None,
        Some(hm) => {
            let hi = numeral::parse(hm.as_str()).ok_or(Reject::Number)?;
            acceptable(rule, &hi, qualified)?;
            let mut lo = num.value;
            // `1-2万元` is 1万 to 2万, `一百二十到一百五十万` 120万 to 150万,
            // `1-2万亿` 1万亿 to 2万亿, `两到三千` 2千 to 3千: the upper end's
            // last magnitude (its 万/亿, else its 百 or 千) is shared when the
            // lower end ends in none of that size and stays below it with it
            // (`从8500到3万` is not 8500万). Only the last, as JioNLP reads
            // them: `八到九百亿` is 8亿 to 900亿, `一千到两千万` 1千万 to 2千万.
            let (lo_s, hi_s) = (num_m.as_str(), hm.as_str());
            let tail = |s: &str, m: &[char]| s.len() - s.trim_end_matches(m).len();
            let (big, small) = (['万', '亿'], ['百', '千', '万', '亿']);
            let shared_len = match tail(hi_s, &big) {
                0 if tail(lo_s, &small) == 0 && hi_s.ends_with(['百', '千']) => '千'.len_utf8(),
                0 => 0,
                n if tail(lo_s, &big) == 0 => n,
                _ => 0,
            };
            if shared_len > 0 && caps.name(G::UnitLo).is_none() {
                let mag = numeral::parse(&hi_s[hi_s.len() - shared_len..])
                    .ok_or(Reject::Number)?
                    .value;
                let shared = lo.checked_mul(&mag).ok_or(Reject::Overflow)?;
                if shared < hi.value {
                    lo = shared;
                }
            }
            let lo_num = Numeral {
                value: lo,
                ..num.clone()
            };
            acceptable(rule, &lo_num, qualified)?;
            let lo_unit = caps
                .name(G::UnitLo)
                .and_then(|u| rules.units.get(u.as_str()));
            let lo_factor = lo_unit.map_or(factor, |d| d.factor);
            value = lo.checked_mul(&lo_factor).ok_or(Reject::Overflow)?;
            let hi_value = hi.value.checked_mul(&factor).ok_or(Reject::Overflow)?;
            if hi_value <= value {
                return Err(Reject::Range);
            }
            Some(hi_value)
        }
    };
    // The magnitude words ending the number belong to the unit as written
    // (`亿` of `46.11亿元`), the `余` or `多` after them do not.
    let mag_end = num_m.end() - trailing_more(num_m.as_str());
    let mut unit_raw = [(mag_end - num.magnitude_suffix, mag_end), unit_span];
    unit_raw.sort_unstable();
    // A researcher must never get a silently wrong value.
    if numeral::lossy(&value) || value_max.as_ref().is_some_and(numeral::lossy) {
        return Err(Reject::Lossy);
    }
    Ok(Candidate {
        start,
        end,
        rule: ri,
        value,
        value_max,
        unit,
        kind,
        more_than: num.more_than || caps.name(G::More).is_some(),
        unit_raw,
        factor,
        bare,
        qualifier: None,
        sentence: (0, 0),
    })
}

/// Checks a number against its rule's limits (`qualified` asked only of a bare magnitude).
fn acceptable(rule: &Rule, num: &Numeral, qualified: impl Fn() -> bool) -> Result<(), Reject> {
    if num.magnitude_only && !num.more_than && !rule.magnitude_only && !qualified() {
        return Err(Reject::BareMagnitude);
    }
    if let Some(min) = &rule.min_chinese {
        if !num.arabic && num.value < *min {
            return Err(Reject::SmallChinese);
        }
    }
    Ok(())
}

/// A bare magnitude (`万`, `亿`) is a quantity only when something says
/// so: `万余名`, `近亿元`, `突破千亿元`; `亿元以上项目` names a class.
fn bare_magnitude_allowed(rules: &RuleSet, text: &str, start: usize) -> bool {
    let before = &text[..start];
    let q = &rules.qualifiers;
    q.before
        .iter()
        .any(|w| w.qualifier.is_some() && before.ends_with(w.word.as_str()))
        && !q
            .before
            .iter()
            .any(|w| w.qualifier.is_none() && before.ends_with(w.word.as_str()))
        || q.bare_after.iter().any(|w| before.ends_with(w.as_str()))
}

/// Whether the `-` or `负` at `at` is a minus sign: not the dash of a range
/// (`6%-7%`), not part of a word (`减负`, `负责`), but after a punctuation
/// mark or one of the rule file's `sign_after` (`增长-3.5%`, `为负2%`).
fn is_sign(sign_after: &[char], text: &str, at: usize) -> bool {
    if text[at..].starts_with("零下") {
        return true;
    }
    let before = text[..at].chars().next_back();
    match text[at..].chars().next() {
        Some('-') => !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '%' || c == '.'),
        _ => before
            .is_none_or(|c| !('\u{4e00}'..='\u{9fff}').contains(&c) || sign_after.contains(&c)),
    }
}

fn trailing_more(num: &str) -> usize {
    num.len() - num.trim_end_matches(['余', '多']).len()
}
