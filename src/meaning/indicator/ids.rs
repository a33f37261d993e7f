//! Naming: the canonical id of an indicator as written, and a list of
//! indicators split into one per number.

use std::sync::Arc;

use super::IndicatorRules;
use crate::text::lazy_regex::hit;

impl IndicatorRules {
    /// Whether a figure after `opening` (the text its sentence or clause
    /// opens with, up to the figure) is a zone's inside the region
    /// (`临港新片区…，全社会固定资产投资总额分别增长22.5%和10.3%`): its
    /// figures take no id of the region's, unless the text turns back to
    /// the whole (`…，预计全市进出口总额增长`).
    pub fn of_a_sub_area(&self, opening: &str) -> bool {
        let t = &self.table;
        let Some(c) = t.sub_area.as_ref().and_then(|re| re.captures(opening)) else {
            return false;
        };
        let lead = c.name("lead").map_or("", |m| m.as_str());
        let rest = c.get(0).map_or("", |m| &opening[m.end()..]);
        !hit(&t.verbs, lead) && !hit(&t.sub_area_not, lead) && !hit(&t.whole_area, rest)
    }

    /// The canonical id of an indicator as written: the longest listed name
    /// or pattern it contains, unless the rest of it makes the figure a
    /// derived measure (`derived`) or a sub-aggregate (the id's `not`).
    pub fn id_of(&self, indicator: &str) -> Option<Arc<str>> {
        if indicator.is_empty() {
            return None;
        }
        let respelled;
        let indicator = match self
            .spellings
            .iter()
            .any(|(wrong, _)| indicator.contains(wrong.as_str()))
        {
            true => {
                respelled = self
                    .spellings
                    .iter()
                    .fold(indicator.to_string(), |s, (wrong, right)| {
                        s.replace(wrong.as_str(), right)
                    });
                respelled.as_str()
            }
            false => indicator,
        };
        let named = self
            .names
            .find(indicator)
            .map(|m| (m.start(), m.end(), &self.ids[m.pattern().as_usize()]));
        let patterns = match &self.pattern_ends {
            Some(ends) if !ends.is_match(indicator) => &[],
            _ => &self.patterns[..],
        };
        let (at, end, id) = patterns
            .iter()
            .filter_map(|(re, id)| re.find(indicator).map(|m| (m.start(), m.end(), id)))
            .chain(named)
            .max_by_key(|&(at, end, _)| (end - at, usize::MAX - at))?;
        let outside = [&indicator[..at], &indicator[end..]];
        (!self.blocked(&outside, id)).then(|| id.clone())
    }

    /// Whether words outside a name of `id` make the figure a derived
    /// measure (`derived`) or a sub-aggregate (the id's `not`).
    pub(super) fn blocked(&self, outside: &[&str], id: &Arc<str>) -> bool {
        let derived = self
            .table
            .derived
            .as_ref()
            .is_some_and(|re| outside.iter().any(|s| re.is_match(s)));
        derived
            || self
                .not
                .iter()
                .filter(|(i, _)| i == id)
                .flat_map(|(_, words)| words)
                .any(|w| outside.iter().any(|s| s.contains(w.as_str())))
    }

    /// An indicator of several items that `分别` pairs with `n` numbers,
    /// split into one per number, the shared measure given to each:
    /// `城镇和农村居民人均可支配收入` → `城镇居民人均可支配收入`, `农村…`;
    /// `生产安全事故起数、死亡人数` → `…起数`, `生产安全事故死亡人数`.
    pub fn split_list(&self, head: &str, n: usize) -> Option<Vec<String>> {
        let mut parts: Vec<String> = head.split('、').map(str::to_string).collect();
        if parts.len() != n {
            parts = head
                .split(['、', '和', '及', '与'])
                .map(str::to_string)
                .collect();
        }
        if parts.len() != n && n == 2 {
            // `城乡居民人均可支配收入分别增长4.4%、5.6%`: urban, then rural.
            if let Some((word, [a, b])) = self.pairs.iter().find(|(w, _)| head.contains(w.as_str()))
            {
                return Some(vec![
                    head.replacen(word.as_str(), a, 1),
                    head.replacen(word.as_str(), b, 1),
                ]);
            }
        }
        if parts.len() != n {
            return None;
        }
        let Some(measure) = &self.table.measure else {
            return Some(parts);
        };
        let tail_of = |p: &str| measure.find(p).map(|m| m.start());
        // The last item's measure, when the others have none of their own.
        if let Some(at) = tail_of(&parts[n - 1]).filter(|&at| at > 0) {
            let tail = parts[n - 1][at..].to_string();
            let last = tail.chars().last();
            for p in &mut parts[..n - 1] {
                // `安全生产事故数、亡人数`: an item that ends like the measure has its own.
                if !p.is_empty() && tail_of(p).is_none() && p.chars().last() != last {
                    // `城镇居民、农村居民人均可支配收入`: `居民` is said once.
                    let overlap = tail
                        .char_indices()
                        .map(|(at, _)| at)
                        .chain([tail.len()])
                        .filter(|&at| at > 0 && p.ends_with(&tail[..at]))
                        .max()
                        .unwrap_or(0);
                    p.push_str(&tail[overlap..]);
                }
            }
        }
        // The first item's modifier, for short items with a measure of their own.
        if let Some(at) = tail_of(&parts[0]).filter(|&at| at > 0) {
            let (modifier, first_tail) = parts[0].split_at(at);
            let (modifier, first_tail) = (modifier.to_string(), first_tail.to_string());
            for p in &mut parts[1..] {
                let own = tail_of(p).map(|at| &p[at..]);
                if p.chars().count() <= 4 && own.is_some_and(|t| t != first_tail) {
                    *p = format!("{modifier}{p}");
                }
            }
        }
        Some(parts)
    }
}
