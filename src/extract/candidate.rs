//! Candidates: a rule's match turned into a value, a unit and a kind, or
//! turned down with the reason ([`Reject`]).

use std::sync::Arc;

use num_traits::{CheckedAdd, CheckedDiv, CheckedMul};

use super::groups::{Caps, Span, G};
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

/// The candidate a match of rule `ri` gives, or why it gives none. The
/// checks run in this order, so a match is turned down for the first
/// reason that applies.
pub(super) fn candidate(
    rules: &RuleSet,
    ri: usize,
    rule: &Rule,
    caps: &Caps,
    text: &str,
) -> Result<Candidate, Reject> {
    let m = caps.get(0).expect("group 0");
    let (num_m, num) = number(caps)?;
    let qualified =
        || caps.name(G::More).is_some() || bare_magnitude_allowed(rules, text, m.start());
    if caps.name(G::NumMax).is_none() {
        // A range's lower end is checked once it has the upper end's magnitude.
        acceptable(rule, &num, qualified)?;
    }
    let unit = written_unit(rules, rule, caps, num_m.end())?;
    let mut value = amount(rules, rule, caps, num.value, unit.factor)?;
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
            let ends = (num_m.as_str(), hm.as_str());
            let (lo, hi) = range(rules, rule, caps, &num, ends, unit.factor, qualified)?;
            value = lo;
            Some(hi)
        }
    };
    // The magnitude words ending the number belong to the unit as written
    // (`亿` of `46.11亿元`), the `余` or `多` after them do not.
    let mag_end = num_m.end() - trailing_more(num_m.as_str());
    let mut unit_raw = [(mag_end - num.magnitude_suffix, mag_end), unit.span];
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
        unit: unit.unit,
        kind: unit.kind,
        more_than: num.more_than || caps.name(G::More).is_some(),
        unit_raw,
        factor: unit.factor,
        bare: caps.name(G::Unit).is_none(),
        qualifier: None,
        sentence: (0, 0),
    })
}

/// The `num` group and the number it is.
fn number<'h>(caps: &Caps<'h>) -> Result<(Span<'h>, Numeral), Reject> {
    let num_m = caps.name(G::Num).ok_or(Reject::Number)?;
    let num = match numeral::parse(num_m.as_str()) {
        Some(n) => n,
        // `米七` (1.7 m): a unit with only a tail is one of it.
        None if num_m.as_str().is_empty() && caps.name(G::Tail).is_some() => {
            numeral::parse("一").ok_or(Reject::Number)?
        }
        None => return Err(Reject::Number),
    };
    Ok((num_m, num))
}

/// The normalized unit of a match, its kind, the factor to it, and where
/// it is written.
struct WrittenUnit {
    unit: Arc<str>,
    kind: Arc<str>,
    factor: Value,
    /// Flat byte range of the unit as written (empty after the number when
    /// there is none).
    span: (usize, usize),
}

/// The unit the `unit` group names (a rate `元/斤` with `per`: the unit per
/// another, normalized on both sides), else the rule's own for a bare
/// number ending at `num_end`.
fn written_unit(
    rules: &RuleSet,
    rule: &Rule,
    caps: &Caps,
    num_end: usize,
) -> Result<WrittenUnit, Reject> {
    Ok(match caps.name(G::Unit) {
        Some(u) if caps.name(G::Per).is_some() => {
            let per = caps.name(G::Per).ok_or(Reject::Unit)?;
            let (def, per_def) = (
                rules.units.get(u.as_str()).ok_or(Reject::Unit)?,
                rules.units.get(per.as_str()).ok_or(Reject::Unit)?,
            );
            WrittenUnit {
                unit: Arc::from(format!("{}/{}", def.unit, per_def.unit).as_str()),
                kind: Arc::from(def.kind.as_str()),
                factor: def
                    .factor
                    .checked_div(&per_def.factor)
                    .ok_or(Reject::Overflow)?,
                span: (u.start(), per.end()),
            }
        }
        Some(u) => {
            let def = rules.units.get(u.as_str()).ok_or(Reject::Unit)?;
            WrittenUnit {
                unit: Arc::from(def.unit.as_str()),
                kind: Arc::from(def.kind.as_str()),
                factor: def.factor,
                span: (u.start(), u.end()),
            }
        }
        None => {
            let (k, u) = rule.bare.as_ref().ok_or(Reject::Unit)?;
            WrittenUnit {
                unit: Arc::from(u.as_str()),
                kind: Arc::from(k.as_str()),
                factor: Value::from(1),
                span: (num_end, num_end),
            }
        }
    })
}

/// `number` in the unit `factor` normalizes to, with what the match adds:
/// `半` after the unit (`一吨半`), minor units (元角分, 斤两, 尺寸), and a
/// tail of digits in the places below the last unit.
fn amount(
    rules: &RuleSet,
    rule: &Rule,
    caps: &Caps,
    mut number: Value,
    factor: Value,
) -> Result<Value, Reject> {
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
    Ok(value)
}

/// The values (in the normalized unit) of a range's ends, `num` and the
/// `num_max` group, written `ends`: the upper end's last magnitude is
/// shared with the lower ([`shared_magnitude`]), and the lower end may
/// have a unit of its own (`unit_lo`).
fn range(
    rules: &RuleSet,
    rule: &Rule,
    caps: &Caps,
    num: &Numeral,
    ends: (&str, &str),
    factor: Value,
    qualified: impl Fn() -> bool,
) -> Result<(Value, Value), Reject> {
    let hi = numeral::parse(ends.1).ok_or(Reject::Number)?;
    acceptable(rule, &hi, &qualified)?;
    let mut lo = num.value;
    if caps.name(G::UnitLo).is_none() {
        if let Some(mag) = shared_magnitude(ends)? {
            let shared = lo.checked_mul(&mag).ok_or(Reject::Overflow)?;
            if shared < hi.value {
                lo = shared;
            }
        }
    }
    let lo_num = Numeral {
        value: lo,
        ..num.clone()
    };
    acceptable(rule, &lo_num, &qualified)?;
    let lo_unit = caps
        .name(G::UnitLo)
        .and_then(|u| rules.units.get(u.as_str()));
    let lo_factor = lo_unit.map_or(factor, |d| d.factor);
    let lo_value = lo.checked_mul(&lo_factor).ok_or(Reject::Overflow)?;
    let hi_value = hi.value.checked_mul(&factor).ok_or(Reject::Overflow)?;
    if hi_value <= lo_value {
        return Err(Reject::Range);
    }
    Ok((lo_value, hi_value))
}

/// The magnitude a range's lower end takes from its upper end, `(lo, hi)`
/// as written: `1-2万元` is 1万 to 2万, `一百二十到一百五十万` 120万 to 150万,
/// `1-2万亿` 1万亿 to 2万亿, `两到三千` 2千 to 3千. The upper end's last
/// magnitude (its 万/亿, else its 百 or 千) is shared when the lower end
/// ends in none of that size (and the caller keeps it only if the lower end
/// stays below the upper with it: `从8500到3万` is not 8500万). Only the
/// last, as JioNLP reads them: `八到九百亿` is 8亿 to 900亿, `一千到两千万`
/// 1千万 to 2千万.
fn shared_magnitude((lo_s, hi_s): (&str, &str)) -> Result<Option<Value>, Reject> {
    let tail = |s: &str, m: &[char]| s.len() - s.trim_end_matches(m).len();
    let (big, small) = (['万', '亿'], ['百', '千', '万', '亿']);
    let shared_len = match tail(hi_s, &big) {
        0 if tail(lo_s, &small) == 0 && hi_s.ends_with(['百', '千']) => '千'.len_utf8(),
        0 => 0,
        n if tail(lo_s, &big) == 0 => n,
        _ => 0,
    };
    if shared_len == 0 {
        return Ok(None);
    }
    let mag = numeral::parse(&hi_s[hi_s.len() - shared_len..]).ok_or(Reject::Number)?;
    Ok(Some(mag.value))
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
