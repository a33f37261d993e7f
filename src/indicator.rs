//! What a quantity measures: the indicator it is a figure of (`地区生产总值`),
//! whether it is a change or a level (`增长3%` or `达到251天`), and whether
//! the report states it as a target or a result. The words are the rule
//! file's `[indicators]` table and `[[indicator]]` list; the engine here
//! only reads the clause before each number.

use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;

/// The compiled `[indicators]` table and `[[indicator]]` list.
#[derive(Debug)]
pub struct IndicatorRules {
    /// Words of an increase (`增长`), a decrease (`下降`), and of a level
    /// reached (`达到`, `提高到`), which make the number a level.
    words: AhoCorasick,
    /// For each word of `words`: its change, and whether it is one character.
    word_kind: Vec<(Option<&'static str>, bool)>,
    /// Removed from the front (time, place, verbs) and the back (`同比`)
    /// of the clause before the number to leave the indicator.
    pub(crate) lead: Option<Regex>,
    pub(crate) trail: Option<Regex>,
    /// Words between an indicator and its number (`预期目标为`), removed first.
    pub(crate) between: Option<Regex>,
    /// Verbs after which the indicator begins (`审议`, `发行`).
    pub(crate) verbs: Option<Regex>,
    /// Listed indicator names, and the canonical id of each.
    names: AhoCorasick,
    ids: Vec<Arc<str>>,
}

/// The words of the `[indicators]` table that are not patterns.
pub(crate) struct Words {
    pub increase: Vec<String>,
    pub decrease: Vec<String>,
    pub level: Vec<String>,
    /// (name, canonical id) of the `[[indicator]]` list.
    pub names: Vec<(String, Arc<str>)>,
}

impl IndicatorRules {
    /// Compiles the word lists into automata (one pass per clause, not one per word).
    pub(crate) fn new(w: Words, patterns: [Option<Regex>; 4]) -> IndicatorRules {
        let [lead, trail, between, verbs] = patterns;
        let mut list = Vec::new();
        let mut word_kind = Vec::new();
        for (words, change) in [
            (&w.increase, Some("increase")),
            (&w.decrease, Some("decrease")),
            (&w.level, None),
        ] {
            for word in words {
                list.push(word.clone());
                word_kind.push((change, word.chars().count() == 1));
            }
        }
        let build = |pats: &[String], kind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(pats)
                .expect("word lists are plain strings")
        };
        let (names, ids): (Vec<String>, Vec<Arc<str>>) = w.names.into_iter().unzip();
        IndicatorRules {
            words: build(&list, MatchKind::Standard),
            word_kind,
            lead,
            trail,
            between,
            verbs,
            names: build(&names, MatchKind::LeftmostLongest),
            ids,
        }
    }
}

/// The indicator and change of one row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The thing measured as written.
    pub indicator: String,
    /// Its canonical id, from the rule file's list.
    pub indicator_id: Option<Arc<str>>,
    /// `increase`, `decrease`, or none for a level.
    pub change: Option<&'static str>,
}

/// Characters that end the clause a number belongs to.
fn clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | '。' | ':' | '!' | '?' | '“' | '”' | '《' | '》'
    )
}

impl IndicatorRules {
    /// Reads the clause `before` a number (already cut at the previous row
    /// or clause break) and the text `after` it up to the clause's end.
    pub fn read(&self, before: &str, after: &str, kind: &str) -> Reading {
        // Words between the indicator and the number that are neither
        // (`预期目标为`, `拟按`) go first; then the nearest change or level word decides.
        let before = self.trail_off(before);
        let before = before.as_str();
        let mut best: Option<(usize, usize, Option<&'static str>)> = None;
        for m in self.words.find_overlapping_iter(before) {
            let (at, end) = (m.start(), m.end());
            let (change, one_char) = self.word_kind[m.pattern().as_usize()];
            // One-character words (`达`, `为`, `共`) count only right before the number.
            if one_char && end != before.len() {
                continue;
            }
            let better = match best {
                None => true,
                Some((bs, be, _)) => end > be || (end == be && at < bs),
            };
            if better {
                best = Some((at, end, change));
            }
        }
        let (head, change) = match best {
            Some((at, _, change)) => (&before[..at], change),
            None => (before, None),
        };
        // Verbs inside the clause (`提请…审议法律议案`): the noun phrase after the last.
        let head = match self.verbs.as_ref().and_then(|re| re.find_iter(head).last()) {
            Some(m) if m.end() < head.len() => &head[m.end()..],
            _ => head,
        };
        // A listed indicator in the clause is taken from where its name starts
        // (`地级及以上城市细颗粒物(PM2.5)平均浓度` → `细颗粒物(PM2.5)平均浓度`).
        let first = self.names.find(head).map(|m| m.start());
        let head = match first {
            Some(at)
                if head[..at].ends_with(['市', '省', '县', '区', '国'])
                    || head[..at].ends_with("以上城市") =>
            {
                &head[at..]
            }
            _ => head,
        };
        let mut indicator = self.trim(head);
        // `沙颍河、淮河等13个港航项目`: a list before, the counted noun after.
        if head.ends_with('等') {
            indicator.clear();
        }
        if kind == "count" && change.is_none() {
            // `5200余名群众的吃水问题`: the counted noun follows the number.
            let noun: String = after
                .chars()
                .take_while(|&c| !clause_break(c) && c != '的' && c != '、')
                .take(8)
                .collect();
            let noun = match self.verbs.as_ref().and_then(|re| re.find(&noun)) {
                Some(m) => noun[..m.start()].to_string(),
                None => noun,
            };
            let noun = self.trim(&noun);
            if !noun.is_empty() {
                indicator = noun;
            }
        }
        Reading {
            indicator_id: self.id_of(&indicator),
            indicator,
            change,
        }
    }

    fn trail_off(&self, s: &str) -> String {
        match &self.between {
            Some(re) => re.replace(s, "").into_owned(),
            None => s.to_string(),
        }
    }

    fn trim(&self, s: &str) -> String {
        let mut s = s
            .trim_matches(|c: char| c == '、' || c == ' ' || c == '和' || c == '及')
            .to_string();
        for _ in 0..3 {
            let before = s.len();
            if let Some(re) = &self.lead {
                s = re.replace(&s, "").into_owned();
            }
            if let Some(re) = &self.trail {
                s = re.replace(&s, "").into_owned();
            }
            s = s.trim_matches(|c: char| c == '、' || c == ' ').to_string();
            if s.len() == before {
                break;
            }
        }
        if s.chars().count() > 24 {
            s = s
                .chars()
                .rev()
                .take(24)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
        }
        s
    }

    /// The canonical id of an indicator as written: the longest listed name it contains.
    pub fn id_of(&self, indicator: &str) -> Option<Arc<str>> {
        if indicator.is_empty() {
            return None;
        }
        self.names
            .find(indicator)
            .map(|m| self.ids[m.pattern().as_usize()].clone())
    }
}

/// The clause before flat byte `start` in `text`: from the last clause
/// break, or the end of the previous row (`floor`), whichever is later.
pub fn clause_before(text: &str, floor: usize, start: usize) -> &str {
    let from = text[floor..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| clause_break(c))
        .map_or(floor, |(i, c)| floor + i + c.len_utf8());
    &text[from..start]
}

/// The text after flat byte `end` up to the next clause break.
pub fn clause_after(text: &str, end: usize) -> &str {
    let rest = &text[end..];
    let stop = rest
        .char_indices()
        .find(|&(_, c)| clause_break(c))
        .map_or(rest.len(), |(i, _)| i)
        .min(60);
    &rest[..crate::extract::floor_boundary(rest, stop)]
}

#[cfg(test)]
mod tests {
    use crate::{Extractor, RuleSet};

    fn read(text: &str) -> Vec<(String, String, String, String)> {
        let ex = Extractor::new(RuleSet::default_rules().unwrap());
        ex.extract(text)
            .into_iter()
            .map(|q| {
                (
                    q.indicator.clone(),
                    q.indicator_id.as_deref().unwrap_or("").to_string(),
                    q.change.unwrap_or("").to_string(),
                    q.status.unwrap_or("").to_string(),
                )
            })
            .collect()
    }

    fn t(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
        (a.into(), b.into(), c.into(), d.into())
    }

    #[test]
    fn indicators_changes_and_status() {
        assert_eq!(
            read("全年地区生产总值增长3%，一般公共预算收入增长1.2%，完成固定资产投资99.7亿元。"),
            [
                t("地区生产总值", "gdp", "increase", ""),
                t("一般公共预算收入", "general_budget_revenue", "increase", ""),
                t("固定资产投资", "fixed_asset_investment", "", "actual"),
            ]
        );
        assert_eq!(
            read("PM10、PM2.5同比分别改善 5.94%、8.77%，优良天数达到 251天。"),
            [
                t("PM10", "pm10", "increase", "actual"),
                t("PM2.5", "pm25", "increase", "actual"),
                t("优良天数", "good_air_days", "", "actual"),
            ]
        );
        assert_eq!(
            read("今年的主要预期目标是：地区生产总值增长6%左右。")[0],
            t("地区生产总值", "gdp", "increase", "target")
        );
        assert_eq!(read("王斌庄村5200余名群众的吃水问题")[0].0, "群众");
    }
}
