//! What a quantity measures: the indicator it is a figure of (`地区生产总值`),
//! whether it is a change or a level (`增长3%` or `达到251天`), and whether
//! the report states it as a target or a result. The words are the rule
//! file's `[indicators]` table and `[[indicator]]` list; the engine here
//! only reads the clause before each number.

use std::borrow::Cow;
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
    /// What ends the counted noun after a number (`项目|建设`), so that
    /// `8个大科学装置建设` counts `大科学装置`.
    pub(crate) noun_end: Option<Regex>,
    /// What, right after a change word or verb, makes it part of a noun
    /// (`覆盖率`, `开工率`): such a word neither decides nor cuts.
    pub(crate) noun_suffix: Option<Regex>,
    /// Words of a derived measure (`占…比重`, `人均`, `单位`): outside a
    /// listed name they block its id, so `服务业增加值占地区生产总值比重`
    /// is not `gdp`.
    pub(crate) derived: Option<Regex>,
    /// Words that end an indicator and that a list before them shares
    /// (`人均可支配收入`, `平均浓度`, `起数`), anchored at the end.
    measure: Option<Regex>,
    /// A clause that remarks on the figure before instead of naming one
    /// (`历史性突破百亿大关`, `位次实现新突破`), or the threshold a figure
    /// crosses (`1000亿元大关`): the figure names nothing.
    remark: Option<Regex>,
    /// A clause that ranks the figure before (`稳居全国前十强`, `总量居全省第5位`):
    /// a remark too, and a number in it is a rank, of no indicator.
    rank: Option<Regex>,
    /// What, right before a number, makes it the share of a plan, budget
    /// or task fulfilled (`计划完成102.6%`, `完成年度计划的116%`): no
    /// figure of the indicator, so it keeps no id.
    fulfilment: Option<Regex>,
    /// Misspellings of copies (`收人` for `收入`), and the right spelling:
    /// an indicator is looked up as if spelled right.
    spellings: Vec<(String, String)>,
    /// Words that share one number among a list's items (`分别`, `均`).
    shared: Option<Regex>,
    /// Listed indicator names, and the canonical id of each.
    names: AhoCorasick,
    ids: Vec<Arc<str>>,
    /// Words that name two groups at once (`城乡`), and the two.
    pairs: Vec<(String, [String; 2])>,
    /// Listed indicator patterns (for names with many spellings), with their ids.
    patterns: Vec<(Regex, Arc<str>)>,
    /// Literals one of which every match of every pattern ends with, when
    /// there are such: most indicators hold none, and one search for them
    /// is cheaper than a search per pattern.
    pattern_ends: Option<AhoCorasick>,
    /// For each id, the words that, outside its name, make the indicator
    /// a sub-aggregate with no claim to it (`海洋` for `gdp`).
    not: Vec<(Arc<str>, Vec<String>)>,
    /// What ends the clause a number belongs to (`[lists]`).
    clause_breaks: Vec<char>,
    /// The largest of them: clauses are read a character at a time, and
    /// most characters (all of CJK when the breaks are punctuation) are
    /// above it, which one comparison says.
    last_break: char,
}

/// The words of the `[indicators]` table that are not patterns.
pub(crate) struct Words {
    pub increase: Vec<String>,
    pub decrease: Vec<String>,
    pub level: Vec<String>,
    /// (name, canonical id) of the `[[indicator]]` list.
    pub names: Vec<(String, Arc<str>)>,
    /// (pattern, canonical id) of the `[[indicator]]` list.
    pub patterns: Vec<(Regex, Arc<str>)>,
    /// (id, words that block it) of the `[[indicator]]` list.
    pub not: Vec<(Arc<str>, Vec<String>)>,
    /// Words that name two groups at once, and the two (`城乡` → `城镇`, `农村`).
    pub pairs: Vec<(String, [String; 2])>,
    /// What ends the clause a number belongs to, from `[lists]`.
    pub clause_breaks: Vec<char>,
    /// Misspellings and their right spelling (`收人` → `收入`).
    pub spellings: Vec<(String, String)>,
}

/// How far back, in bytes, the opening of a bracketed note is looked for.
const BRACKET_NOTE: usize = 36;

impl IndicatorRules {
    /// Compiles the word lists into automata (one pass per clause, not one per word).
    pub(crate) fn new(w: Words, patterns: [Option<Regex>; 12]) -> IndicatorRules {
        let [lead, trail, between, verbs, noun_end, noun_suffix, derived, measure, remark, rank, shared, fulfilment] =
            patterns;
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
        let pattern_ends = crate::meaning::match_ends(w.patterns.iter().map(|(re, _)| re));
        IndicatorRules {
            words: build(&list, MatchKind::Standard),
            word_kind,
            lead,
            trail,
            between,
            verbs,
            noun_end,
            noun_suffix,
            derived,
            measure,
            remark,
            rank,
            fulfilment,
            spellings: w.spellings,
            shared,
            names: build(&names, MatchKind::LeftmostLongest),
            ids,
            patterns: w.patterns,
            pattern_ends,
            not: w.not,
            pairs: w.pairs,
            last_break: w.clause_breaks.iter().copied().max().unwrap_or('\0'),
            clause_breaks: w.clause_breaks,
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

impl IndicatorRules {
    /// Reads the clause `before` a number (already cut at the previous row
    /// or clause break) and the text `after` it up to the clause's end.
    pub fn read(&self, before: &str, after: &str, kind: &str) -> Reading {
        // `计划完成102.6%`, `完成年度计划的116%`: the share of a plan fulfilled.
        let fulfilled = self
            .fulfilment
            .as_ref()
            .and_then(|re| re.find(before))
            .map(|m| m.as_str().trim_end_matches('的'));
        // Words between the indicator and the number that are neither
        // (`预期目标为`, `拟按`) go first; then the nearest change or level word decides.
        let before = self.trail_off(before);
        let before = &*before;
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
        let (head, change) = match best {
            Some((at, end, change)) => {
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
            None => (before, None),
        };
        // Verbs inside the clause (`提请…审议法律议案`): the noun phrase after the last.
        let head = match self.last_verb(head) {
            Some(end) if end < head.len() => &head[end..],
            _ => head,
        };
        // A listed indicator in the clause is taken from where its name starts
        // (`地级及以上城市细颗粒物(PM2.5)平均浓度` → `细颗粒物(PM2.5)平均浓度`).
        let first = self
            .names
            .find(head)
            .map(|m| (m.start(), &self.ids[m.pattern().as_usize()]));
        let head = match first {
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
        };
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

    /// The listed indicator a clause opens with, after its `lead`
    /// (`全市地区生产总值跨越千亿台阶` → `地区生产总值`).
    pub fn leading_name(&self, clause: &str) -> Option<Reading> {
        let rest = match &self.lead {
            Some(re) => re.replace(clause, ""),
            None => clause.into(),
        };
        let m = self.names.find(rest.as_ref()).filter(|m| m.start() == 0)?;
        let indicator = rest[..m.end()].to_string();
        Some(Reading {
            indicator_id: self.id_of(&indicator),
            indicator,
            change: None,
        })
    }

    /// Whether a clause remarks on a figure instead of naming one (`位居全省第3位`,
    /// `位次实现新突破`, `大关`).
    pub fn is_remark(&self, clause: &str) -> bool {
        self.remark.as_ref().is_some_and(|re| re.is_match(clause)) || self.is_rank(clause)
    }

    /// Whether a clause ranks a figure (`增速居全省第4位`).
    fn is_rank(&self, clause: &str) -> bool {
        self.rank.as_ref().is_some_and(|re| re.is_match(clause))
    }

    /// Whether a figure that names nothing is of the figure before it
    /// across `gap`, the text between them: a short gap with no number in
    /// it, once its remark clauses are left out (`，历史性突破百亿大关，增长`,
    /// `、总量居全省第5位，增长`). A figure in a rank clause of its own is
    /// a rank (`增长27.1%、居全国百强市66位`), of no indicator.
    pub fn carries_over(&self, gap: &str) -> bool {
        let own = gap
            .rfind(|c: char| c == '、' || self.clause_break(c))
            .map_or(gap, |at| &gap[at..])
            .trim_start_matches(|c: char| c == '、' || self.clause_break(c));
        if self.is_rank(own) {
            return false;
        }
        let gap = self.without_remarks(gap);
        gap.chars().count() <= 16 && !gap.contains(|ch: char| ch.is_ascii_digit())
    }

    /// The text between two figures without its remark clauses
    /// (`、总量居全省第5位，增长` → `、，增长`).
    fn without_remarks<'a>(&self, gap: &'a str) -> Cow<'a, str> {
        if self.remark.is_none() {
            return Cow::Borrowed(gap);
        }
        let mut kept = String::new();
        let mut from = 0;
        let pieces = gap
            .char_indices()
            .filter(|&(_, c)| c == '、' || self.clause_break(c))
            .map(|(at, c)| (at, at + c.len_utf8()))
            .chain([(gap.len(), gap.len())]);
        for (end, next) in pieces {
            let piece = &gap[from..end];
            let bare = match &self.lead {
                Some(re) => strip(re, Cow::Borrowed(piece)),
                None => Cow::Borrowed(piece),
            };
            if bare.is_empty() || !self.is_remark(&bare) {
                kept.push_str(piece);
            }
            kept.push_str(&gap[end..next]);
            from = next;
        }
        if kept.len() == gap.len() {
            Cow::Borrowed(gap)
        } else {
            Cow::Owned(kept)
        }
    }

    /// Whether text right after a word makes the word part of a noun (`覆盖率`).
    fn in_noun(&self, rest: &str) -> bool {
        self.noun_suffix
            .as_ref()
            .is_some_and(|re| re.is_match(rest))
    }

    /// The end of the last verb in `s` that is not part of a noun (`开工率`)
    /// or inside a listed name (`固定资产完成投资`; a name it opens, `接待游客`,
    /// is cut as any other).
    fn last_verb(&self, s: &str) -> Option<usize> {
        let verbs = self.verbs.as_ref()?;
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
        let after = match &self.lead {
            Some(re) => re.replace(after, ""),
            None => after.into(),
        };
        let mut noun: String = after
            .chars()
            .take_while(|&c| !self.clause_break(c) && c != '的' && c != '、')
            .collect();
        if let Some(m) = self.noun_end.as_ref().and_then(|re| re.find(&noun)) {
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
        match self.verbs.as_ref().and_then(|re| re.find(&noun)) {
            Some(m) => self.trim(&noun[..m.start()]),
            None => self.trim(&noun),
        }
    }

    fn trail_off<'a>(&self, s: &'a str) -> Cow<'a, str> {
        match &self.between {
            Some(re) => strip(re, Cow::Borrowed(s)),
            None => Cow::Borrowed(s),
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
            let named = self.names.find(&*s).is_some_and(|m| m.start() == 0);
            if let Some(re) = self.lead.as_ref().filter(|_| !named) {
                let rest = strip(re, s.clone());
                if !self.in_noun(&rest) {
                    s = rest;
                }
            }
            if let Some(re) = &self.trail {
                s = strip(re, s);
            }
            let word_end = self
                .words
                .find_overlapping_iter(&*s)
                .filter(|m| m.end() == s.len() && m.start() > 0)
                .filter(|m| !self.word_kind[m.pattern().as_usize()].1)
                .map(|m| m.start())
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
    fn blocked(&self, outside: &[&str], id: &Arc<str>) -> bool {
        let derived = self
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

    /// The items of a name that names several (`城镇、农村常住居民人均可支配收入`,
    /// `城乡居民人均可支配收入`), each with an id of its own, or `None`.
    pub fn items(&self, name: &str) -> Option<Vec<String>> {
        let listed = name.matches('、').count() + 1;
        let n = if listed > 1 { listed } else { 2 };
        let parts = self.split_list(name, n)?;
        let ids: Vec<Arc<str>> = parts.iter().filter_map(|p| self.id_of(p)).collect();
        let distinct: std::collections::BTreeSet<&Arc<str>> = ids.iter().collect();
        (ids.len() == n && distinct.len() == n).then_some(parts)
    }

    /// Whether the clause before a number shares it among the items of a
    /// list (`分别增长7.5%` after one number, `均增长8%`).
    pub fn shares(&self, clause: &str) -> bool {
        self.shared.as_ref().is_some_and(|re| re.is_match(clause))
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
        let Some(measure) = &self.measure else {
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

/// `s` without `re`'s first match, as `re.replace(s, "")` gives it, but
/// still borrowed when the match is at an edge (the rule file's `lead`,
/// `trail` and `between` are anchored), so that trimming allocates nothing.
fn strip<'a>(re: &Regex, s: Cow<'a, str>) -> Cow<'a, str> {
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

impl IndicatorRules {
    /// Whether `c` ends the clause a number belongs to (the rule file's
    /// `clause_breaks`).
    fn clause_break(&self, c: char) -> bool {
        c <= self.last_break && self.clause_breaks.contains(&c)
    }

    /// The clause before flat byte `start` in `text`: from the last clause
    /// break, or the end of the previous row (`floor`), whichever is later.
    pub fn clause_before<'t>(&self, text: &'t str, floor: usize, start: usize) -> &'t str {
        let head = &text[floor..start];
        let mut end = head.len();
        // A short note in brackets (`固定资产投资（不含农户，下同）`) is one
        // piece of its clause, whatever its commas.
        while let Some((i, c)) = head[..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| self.clause_break(c) || matches!(c, ')' | '）'))
        {
            if !matches!(c, ')' | '）') {
                return &text[floor + i + c.len_utf8()..start];
            }
            end = head[..i]
                .rfind(['(', '（'])
                .filter(|&open| i - open <= BRACKET_NOTE && !head[open..i].contains([')', '）']))
                .unwrap_or(i);
        }
        head
    }

    /// The text after flat byte `end` up to the next clause break, at most 60
    /// bytes: only those are looked at, so a long text without breaks is not
    /// scanned to its end for every figure in it.
    pub fn clause_after<'t>(&self, text: &'t str, end: usize) -> &'t str {
        let rest = &text[end..];
        let window = &rest[..crate::text::floor_boundary(rest, rest.len().min(60))];
        &window[..window
            .find(|c| self.clause_break(c))
            .unwrap_or(window.len())]
    }
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

    #[test]
    fn nouns_not_fragments() {
        let ind = |text: &str| -> Vec<String> { read(text).into_iter().map(|r| r.0).collect() };
        // A shared measure goes to every item of a 分别 list.
        assert_eq!(
            ind("城镇和农村居民人均可支配收入分别增长6.5%左右、7.5%左右"),
            ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
        );
        assert_eq!(
            ind("生产安全事故起数、死亡人数分别下降15.5%、11%"),
            ["生产安全事故起数", "生产安全事故死亡人数"]
        );
        // The counted noun, without the verb after it; quotes inside a noun.
        assert_eq!(ind("推进神农设施等8个大科学装置建设"), ["大科学装置"]);
        assert_eq!(ind("“四上”企业达到229家"), ["“四上”企业"]);
        // A noun between a level word and the number; `由…增至…`.
        assert_eq!(ind("惠及学生3400多万人次"), ["学生"]);
        assert_eq!(
            ind("汽车保有量由2552万辆增至3230万辆"),
            ["汽车保有量", "汽车保有量"]
        );
        // 增加值 and 覆盖率 are nouns, not change words.
        assert_eq!(read("第一产业增加值331亿元")[0].0, "第一产业增加值");
        assert_eq!(
            ind("紧密型集团化办学覆盖率达70.4%"),
            ["紧密型集团化办学覆盖率"]
        );
        // One character is never an indicator.
        assert_eq!(ind("〔共印480份〕"), [""]);
    }

    #[test]
    fn remarks_notes_and_plans_name_nothing() {
        let ids = |text: &str| -> Vec<String> { read(text).into_iter().map(|r| r.1).collect() };
        // A rank with a number of its own, a record, a threshold crossed:
        // the growth rate after them is of the indicator before them.
        assert_eq!(
            ids("全市地区生产总值达到2920亿元、总量居全省第5位，增长6.7%"),
            ["gdp", "gdp"]
        );
        assert_eq!(
            ids("GDP总量实现1035.61亿元，首次突破1000亿元大关，增长8.6%"),
            ["gdp", "gdp", "gdp"]
        );
        // ... but a number inside a rank is a rank.
        assert_eq!(
            ids("外贸进出口增长27.1%、增幅居全省前列，居全国外贸百强市66位"),
            ["foreign_trade", ""]
        );
        // A comparability note names nothing; `在` before a number is no name.
        assert_eq!(
            ids("其中地方一般预算收入1.06亿元，可比增长13%"),
            ["general_budget_revenue", "general_budget_revenue"]
        );
        assert_eq!(ids("居民消费价格总水平涨幅在3%以内"), ["cpi"]);
        // A plan fulfilled is no figure of the indicator, nor of the one before.
        assert_eq!(ids("工业生产总值计划完成102.6%"), [""]);
        assert_eq!(
            read("一般公共预算收入完成8亿元，完成年度预算的102%")[1],
            t("年度预算", "", "", "actual")
        );
        // A verb inside a listed name does not cut it; a misspelling is read right.
        assert_eq!(
            ids("500万元以上固定资产完成投资增长21%")[1],
            "fixed_asset_investment"
        );
        assert_eq!(ids("一般公共预算收人增长6%"), ["general_budget_revenue"]);
        // A sub-level's figure, and a sub-group's before a place-like word.
        assert_eq!(ids("市级一般公共预算收入增长7.5%"), [""]);
        assert_eq!(ids("脱贫县农民收入增长6.9%"), [""]);
    }

    #[test]
    fn derived_measures_keep_no_base_id() {
        let id = |text: &str| read(text)[0].1.clone();
        assert_eq!(
            id("服务业增加值占地区生产总值比重达到55%"),
            "tertiary_share"
        );
        assert_eq!(id("海洋生产总值增长5%"), "");
        assert_eq!(id("单位GDP能耗下降3%"), "energy_intensity");
        assert_eq!(id("工业投资增长10%"), "industrial_investment");
        assert_eq!(id("网络零售额增长12%"), "online_retail_sales");
        assert_eq!(id("国民生产总值增长4.5%"), "gnp");
        assert_eq!(id("县域生产总值增长8%"), "gdp");
        assert_eq!(id("全省县域地区生产总值增长6%"), "");
    }
}
