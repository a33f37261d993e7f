//! Reading the clause before a number: the change or level word nearest
//! it, the noun phrase it measures, trimmed of what leads and trails.

use std::borrow::Cow;

use regex::Regex;

use super::{IndicatorRules, Reading};
use crate::meaning::scan::{Ask, Clause};
use crate::text::floor_boundary;
use crate::text::lazy_regex::hit;

impl IndicatorRules {
    /// `农民的纯收入，全国平均每人达到355元`: when `reading` only says per
    /// capita, the name `clause` (the clause before, found only then: this
    /// is asked of every row) gives, per capita (`农民人均纯收入`), if that is
    /// a listed indicator.
    pub fn per_capita<'t>(
        &self,
        reading: &Reading,
        clause: impl FnOnce() -> &'t str,
    ) -> Option<Reading> {
        if !hit(&self.table.per_capita, &reading.indicator) {
            return None;
        }
        let name = self.trim(clause());
        let name = match name.split_once('的') {
            Some((who, what)) => format!("{who}人均{what}"),
            None => format!("人均{name}"),
        };
        let id = self.id_of(&name)?;
        Some(Reading {
            indicator: name,
            indicator_id: Some(id),
            change: reading.change,
        })
    }

    /// Reads the clause `before` a number (already cut at the previous row
    /// or clause break, and scanned) and the text `after` it up to the
    /// clause's end.
    pub(crate) fn read(&self, before: &Clause, after: &str, kind: &str) -> Reading {
        // `计划完成102.6%`, `完成年度计划的116%`: the share of a plan fulfilled.
        let fulfilled = before
            .find(Ask::Fulfilment, &self.table.fulfilment)
            .map(|m| m.as_str().trim_end_matches('的'));
        // Words between the indicator and the number that are neither
        // (`预期目标为`, `拟按`) go first; then the nearest change or level word decides.
        let before = self.trail_off(before);
        let before = &*before;
        let (head, change) = self.head_and_change(before, kind);
        // Verbs inside the clause (`提请…审议法律议案`): the noun phrase after the last.
        let head = match self.last_verb(head) {
            Some(end) if end < head.len() => &head[end..],
            _ => head,
        };
        let head = self.at_listed_name(head);
        let mut indicator = self.trim(head);
        if self.is_remark(&indicator) {
            indicator.clear();
        }
        // `沙颍河、淮河等13个港航项目`: a list before, the counted noun after.
        if head.ends_with('等') {
            indicator.clear();
        }
        // `5200余名群众的吃水问题`, `80%的县级医院`: the counted noun follows
        // the number, and so does the noun of a figure with none before it.
        // (but not a threshold the figure crosses: `突破1000亿元大关`).
        if (kind == "count" && change.is_none()) || indicator.is_empty() {
            let noun = self.noun_after(after);
            if !noun.is_empty() && !self.is_remark(&noun) {
                indicator = noun;
            }
        }
        // One character (`房`, `率`, `新`) is a fragment of a noun, never one.
        if indicator.chars().nth(1).is_none() {
            indicator.clear();
        }
        if let Some(plan) = fulfilled {
            // Named after the plan when nothing else names it, so that it
            // does not take the indicator of the figure before.
            if indicator.is_empty() {
                indicator = plan.to_string();
            }
            return Reading {
                indicator,
                indicator_id: None,
                change,
            };
        }
        Reading {
            indicator_id: self.id_of(&indicator),
            indicator,
            change,
        }
    }

    /// The change or level word of the clause `before` a number that
    /// decides it: the nearest to the number, as (start, end, change).
    fn nearest_word(&self, before: &str) -> Option<(usize, usize, Option<&'static str>)> {
        let mut best: Option<(usize, usize, Option<&'static str>)> = None;
        let mut named: Option<Vec<(usize, usize)>> = None;
        for m in self.words.find_overlapping_iter(before) {
            let (at, end) = (m.start(), m.end());
            let (change, one_char) = self.word_kind[m.pattern().as_usize()];
            // One-character words (`达`, `为`, `共`) count only right before the number.
            if (one_char && end != before.len()) || self.in_noun(&before[end..]) {
                continue;
            }
            // A word inside a listed name (`经济增长速度8%`, `物价涨幅要从…`)
            // is part of the name unless the number follows it.
            let names = named.get_or_insert_with(|| {
                self.names
                    .find_iter(before)
                    .map(|n| (n.start(), n.end()))
                    .collect()
            });
            if names.iter().any(|&(s, e)| s <= at && end <= e && s < at)
                && !self.trim(&before[end..]).is_empty()
            {
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
        best
    }

    /// The part of the clause `before` a number that names what it
    /// measures, and the number's change, as its [`nearest_word`] decides.
    ///
    /// [`nearest_word`]: IndicatorRules::nearest_word
    fn head_and_change<'a>(&self, before: &'a str, kind: &str) -> (&'a str, Option<&'static str>) {
        let Some((at, end, change)) = self.nearest_word(before) else {
            return (before, None);
        };
        let rest = &before[end..];
        if self.trim(rest).is_empty() {
            (&before[..at], change)
        } else if rest.ends_with('、') {
            // `达到较低安全风险等级、90%的煤矿`: the number starts the next item.
            ("", change)
        } else if self.last_verb(rest).is_some() {
            // `围绕增长、结构、效率提出3项指标`: the verb, not the word, leads to the number.
            (rest, None)
        } else if rest.contains('、') {
            // `威力传动风电增速器、天通储能电池等45个项目`: the word is
            // inside a list, not the number's change.
            (rest, None)
        } else {
            // `惠及学生3400多万人次`, `调增财政预算2亿元`: the noun between
            // the word and the number is what it measures; a count of
            // it (`提升城乡菜市2个`) is a level, not a change.
            (rest, change.filter(|_| kind != "count"))
        }
    }

    /// A listed indicator in the clause is taken from where its name starts
    /// (`地级及以上城市细颗粒物(PM2.5)平均浓度` → `细颗粒物(PM2.5)平均浓度`).
    fn at_listed_name<'a>(&self, head: &'a str) -> &'a str {
        let first = self
            .names
            .find(head)
            .map(|m| (m.start(), &self.ids[m.pattern().as_usize()]));
        match first {
            Some((at, id))
                // (but `脱贫地区`, `脱贫县` are sub-groups, not places)
                if ((head[..at].ends_with(['市', '省', '县', '区', '国'])
                    && !head[..at].ends_with("地区"))
                    || head[..at].ends_with("以上城市"))
                    && !self.blocked(&[&head[..at]], id) =>
            {
                &head[at..]
            }
            _ => head,
        }
    }

    /// Whether text right after a word makes the word part of a noun (`覆盖率`).
    fn in_noun(&self, rest: &str) -> bool {
        self.table
            .noun_suffix
            .as_ref()
            .is_some_and(|re| re.is_match(rest))
    }

    /// The end of the last verb in `s` that is not part of a noun (`开工率`)
    /// or inside a listed name (`固定资产完成投资`; a name it opens, `接待游客`,
    /// is cut as any other).
    fn last_verb(&self, s: &str) -> Option<usize> {
        let verbs = self.table.verbs.as_ref()?;
        let mut named = None;
        verbs
            .find_iter(s)
            .filter(|m| !self.in_noun(&s[m.end()..]))
            .filter(|m| {
                let names = named.get_or_insert_with(|| {
                    self.names
                        .find_iter(s)
                        .map(|n| (n.start(), n.end()))
                        .collect::<Vec<_>>()
                });
                !names
                    .iter()
                    .any(|&(at, end)| at < m.start() && m.end() <= end)
            })
            .last()
            .map(|m| m.end())
    }

    /// The noun right after a number (`余名群众的…` → `群众`), up to the
    /// clause's end, a `的`, a `、`, or a word that ends it (`建设`, `开展`).
    fn noun_after(&self, after: &str) -> String {
        let after = match &self.table.lead {
            Some(re) => re.replace(after, ""),
            None => after.into(),
        };
        let mut noun: String = after
            .chars()
            .take_while(|&c| !self.clause_break(c) && c != '的' && c != '、')
            .collect();
        if let Some(m) = self.table.noun_end.as_ref().and_then(|re| re.find(&noun)) {
            noun.truncate(m.start());
        }
        // `由2552万辆增至3230万辆`, `5项经济指标增速高于`: a change or level word ends it.
        let word = self
            .words
            .find_iter(&noun)
            .find(|m| !self.word_kind[m.pattern().as_usize()].1 && !self.in_noun(&noun[m.end()..]));
        if let Some(m) = word {
            noun.truncate(m.start());
        }
        let noun: String = noun.chars().take(16).collect();
        match self.table.verbs.as_ref().and_then(|re| re.find(&noun)) {
            Some(m) => self.trim(&noun[..m.start()]),
            None => self.trim(&noun),
        }
    }

    fn trail_off<'a>(&self, clause: &Clause<'a>) -> Cow<'a, str> {
        match &self.table.between {
            Some(re) if clause.hit(Ask::Between) => strip(re, Cow::Borrowed(clause.text())),
            _ => Cow::Borrowed(clause.text()),
        }
    }

    /// `lead` and `trail` off, and a change or level word left at the end
    /// (`停留时间延长至240小时` → `停留时间`). Runs once or more per row, so
    /// it cuts slices of `s` and allocates only the result.
    fn trim(&self, s: &str) -> String {
        let edge = |c: char| matches!(c, '、' | ' ' | '〔' | '〕' | '【' | '】');
        let mut s = Cow::Borrowed(s.trim_matches(|c: char| edge(c) || c == '和' || c == '及'));
        for _ in 0..3 {
            let before = s.len();
            // A listed name is kept whole (`新增城镇就业`), and so is a noun
            // that a verb begins (`办结率`).
            let named = self.name_at_start(&s).is_some();
            if let Some(re) = self.table.lead.as_ref().filter(|_| !named) {
                let rest = strip(re, s.clone());
                if !self.in_noun(&rest) {
                    s = rest;
                }
            }
            if let Some(re) = &self.table.trail {
                s = strip(re, s);
            }
            // A word that ends `s` is in its last `longest_word` bytes.
            let tail = floor_boundary(&s, s.len().saturating_sub(self.longest_word));
            let word_end = self
                .words
                .find_overlapping_iter(&s[tail..])
                .map(|m| (tail + m.start(), tail + m.end(), m.pattern()))
                .filter(|&(at, end, _)| end == s.len() && at > 0)
                .filter(|&(_, _, word)| !self.word_kind[word.as_usize()].1)
                .map(|(at, _, _)| at)
                .min();
            if let Some(at) = word_end {
                s = narrow(s, |t| &t[..at]);
            }
            s = narrow(s, |t| t.trim_matches(edge));
            // A quote whose other half is outside (`提升文明风尚”`).
            if !s.contains('“') {
                s = narrow(s, |t| t.trim_end_matches('”'));
            }
            if !s.contains('”') {
                s = narrow(s, |t| t.trim_start_matches('“'));
            }
            if s.len() == before {
                break;
            }
        }
        keep_tail(&s)
    }
}

/// `s` without `re`'s first match, as `re.replace(s, "")` gives it, but
/// still borrowed when the match is at an edge (the rule file's `lead`,
/// `trail` and `between` are anchored), so that trimming allocates nothing.
pub(super) fn strip<'a>(re: &Regex, s: Cow<'a, str>) -> Cow<'a, str> {
    let Some((at, end)) = re.find(&s).map(|m| (m.start(), m.end())) else {
        return s;
    };
    match s {
        Cow::Borrowed(t) if at == 0 => Cow::Borrowed(&t[end..]),
        Cow::Borrowed(t) if end == t.len() => Cow::Borrowed(&t[..at]),
        s => Cow::Owned([&s[..at], &s[end..]].concat()),
    }
}

/// A part of `s` that `part` cuts, borrowed when `s` is.
fn narrow<'a>(s: Cow<'a, str>, part: impl Fn(&str) -> &str) -> Cow<'a, str> {
    match s {
        Cow::Borrowed(t) => Cow::Borrowed(part(t)),
        Cow::Owned(t) => Cow::Owned(part(&t).to_string()),
    }
}

/// The name's last 24 characters, or 48 for a list (`规上工业增加值、
/// 固定资产投资、…`, which `分别` pairs item by item), cut only between its
/// items so that none loses its head and they still count as the numbers do.
fn keep_tail(s: &str) -> String {
    let list = s.contains('、');
    let max = if list { 48 } else { 24 };
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let mut cut = s.char_indices().nth(n - max).map_or(0, |(at, _)| at);
    if list && !s[..cut].ends_with('、') {
        cut = s[cut..]
            .find('、')
            .map_or(cut, |at| cut + at + '、'.len_utf8());
    }
    s[cut..].to_string()
}
