//! What a quantity measures: the indicator it is a figure of (`地区生产总值`),
//! whether it is a change or a level (`增长3%` or `达到251天`), and whether
//! the report states it as a target or a result. The words are the rule
//! file's `[indicators]` table and `[[indicator]]` list; the engine here
//! only reads the clause before each number.

use std::borrow::Cow;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};

use crate::text::lazy_regex::{hit, LazyRegex};

mod ids;
mod read;

use read::strip;

/// The compiled `[indicators]` table and `[[indicator]]` list.
#[derive(Debug)]
pub struct IndicatorRules {
    /// Words of an increase (`增长`), a decrease (`下降`), and of a level
    /// reached (`达到`, `提高到`), which make the number a level.
    words: AhoCorasick,
    /// For each word of `words`: its change, and whether it is one character.
    word_kind: Vec<(Option<&'static str>, bool)>,
    /// The longest word of `words`, in bytes: a word that ends a text is
    /// looked for in this much of its end only.
    longest_word: usize,
    /// The `[indicators]` table's patterns.
    pub(crate) table: Patterns,
    /// Misspellings of copies (`收人` for `收入`), and the right spelling:
    /// an indicator is looked up as if spelled right.
    spellings: Vec<(String, String)>,
    /// Listed indicator names, and the canonical id of each. Searched
    /// anchored too: whether a text opens with a name is one anchored
    /// search, not a scan of the text for its first name.
    names: AhoCorasick,
    ids: Vec<Arc<str>>,
    /// Words that name two groups at once (`城乡`), and the two.
    pairs: Vec<(String, [String; 2])>,
    /// Listed indicator patterns (for names with many spellings), with their ids.
    patterns: Vec<(LazyRegex, Arc<str>)>,
    /// Literals one of which every match of every pattern ends with, when
    /// there are such: most indicators hold none, and one search for them
    /// is cheaper than a search per pattern.
    pattern_ends: Option<AhoCorasick>,
    /// For each id, the words that, outside its name, make the indicator
    /// a sub-aggregate with no claim to it (`海洋` for `gdp`).
    not: Vec<(Arc<str>, Vec<String>)>,
    /// The ids whose levels are of one kind, and the kind (`gdp`, `money`).
    levels: Vec<(Arc<str>, String)>,
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
    pub patterns: Vec<(LazyRegex, Arc<str>)>,
    /// (id, words that block it) of the `[[indicator]]` list.
    pub not: Vec<(Arc<str>, Vec<String>)>,
    /// (id, the kind of its levels) of the `[[indicator]]` list.
    pub levels: Vec<(Arc<str>, String)>,
    /// Words that name two groups at once, and the two (`城乡` → `城镇`, `农村`).
    pub pairs: Vec<(String, [String; 2])>,
    /// What ends the clause a number belongs to, from `[lists]`.
    pub clause_breaks: Vec<char>,
    /// Misspellings and their right spelling (`收人` → `收入`).
    pub spellings: Vec<(String, String)>,
}

/// The patterns of the `[indicators]` table, compiled, by name; `None`
/// where the table has none.
#[derive(Debug)]
pub(crate) struct Patterns {
    /// Removed from the front (time, place, verbs) and the back (`同比`)
    /// of the clause before the number to leave the indicator.
    pub lead: Option<LazyRegex>,
    pub trail: Option<LazyRegex>,
    /// Words between an indicator and its number (`预期目标为`), removed first.
    pub between: Option<LazyRegex>,
    /// Verbs after which the indicator begins (`审议`, `发行`).
    pub verbs: Option<LazyRegex>,
    /// What ends the counted noun after a number (`项目|建设`), so that
    /// `8个大科学装置建设` counts `大科学装置`.
    pub noun_end: Option<LazyRegex>,
    /// What, right after a change word or verb, makes it part of a noun
    /// (`覆盖率`, `开工率`): such a word neither decides nor cuts.
    pub noun_suffix: Option<LazyRegex>,
    /// Words of a derived measure (`占…比重`, `人均`, `单位`): outside a
    /// listed name they block its id, so `服务业增加值占地区生产总值比重`
    /// is not `gdp`.
    pub derived: Option<LazyRegex>,
    /// Words that end an indicator and that a list before them shares
    /// (`人均可支配收入`, `平均浓度`, `起数`), anchored at the end.
    pub measure: Option<LazyRegex>,
    /// A clause that remarks on the figure before instead of naming one
    /// (`历史性突破百亿大关`, `位次实现新突破`), or the threshold a figure
    /// crosses (`1000亿元大关`): the figure names nothing.
    pub remark: Option<LazyRegex>,
    /// A clause that ranks the figure before (`稳居全国前十强`, `总量居全省第5位`):
    /// a remark too, and a number in it is a rank, of no indicator.
    pub rank: Option<LazyRegex>,
    /// Words that share one number among a list's items (`分别`, `均`).
    pub shared: Option<LazyRegex>,
    /// What, right before a number, makes it the share of a plan, budget
    /// or task fulfilled (`计划完成102.6%`, `完成年度计划的116%`): no
    /// figure of the indicator, so it keeps no id.
    pub fulfilment: Option<LazyRegex>,
    /// What, right before a number, makes it the level of the base year of
    /// a change (`比一九五八年的`): that year's, of no indicator.
    pub base_level: Option<LazyRegex>,
    /// A clause that only says per capita (`全国平均每人`): of the name in
    /// the clause before.
    pub per_capita: Option<LazyRegex>,
    /// A zone inside the region opening a sentence or a figure's clause
    /// (`临港新片区…`, `开发区营业收入…`), group `lead` the words before
    /// the zone's kind: the figures after it are the zone's.
    pub sub_area: Option<LazyRegex>,
    /// Words that, as the `lead` of `sub_area`, make the zone an object
    /// (`加大开发区项目集聚`), not the subject.
    pub sub_area_not: Option<LazyRegex>,
    /// What turns a sentence back to the whole region (`全市`).
    pub whole_area: Option<LazyRegex>,
}

/// How far back, in bytes, the opening of a bracketed note is looked for.
const BRACKET_NOTE: usize = 36;

impl IndicatorRules {
    /// Compiles the word lists into automata (one pass per clause, not one per word).
    pub(crate) fn new(w: Words, patterns: Patterns) -> IndicatorRules {
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
        let build = |pats: &[String], kind, start| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .start_kind(start)
                .build(pats)
                .expect("word lists are plain strings")
        };
        let (names, ids): (Vec<String>, Vec<Arc<str>>) = w.names.into_iter().unzip();
        let pattern_ends = crate::meaning::match_ends(w.patterns.iter().map(|(re, _)| re.as_str()));
        IndicatorRules {
            longest_word: list.iter().map(String::len).max().unwrap_or(0),
            words: build(&list, MatchKind::Standard, StartKind::Unanchored),
            word_kind,
            table: patterns,
            spellings: w.spellings,
            names: build(&names, MatchKind::LeftmostLongest, StartKind::Both),
            ids,
            patterns: w.patterns,
            pattern_ends,
            not: w.not,
            levels: w.levels,
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
    /// The listed indicator a clause opens with, after its `lead`
    /// (`全市地区生产总值跨越千亿台阶` → `地区生产总值`).
    pub fn leading_name(&self, clause: &str) -> Option<Reading> {
        let rest = match &self.table.lead {
            Some(re) => re.replace(clause, ""),
            None => clause.into(),
        };
        let m = self.name_at_start(&rest)?;
        let indicator = rest[..m.end()].to_string();
        Some(Reading {
            indicator_id: self.id_of(&indicator),
            indicator,
            change: None,
        })
    }

    /// The listed name `text` opens with, the longest: the leftmost
    /// match, where one starts at 0.
    fn name_at_start(&self, text: &str) -> Option<aho_corasick::Match> {
        self.names.find(Input::new(text).anchored(Anchored::Yes))
    }

    /// Whether a clause remarks on a figure instead of naming one (`位居全省第3位`,
    /// `位次实现新突破`, `大关`).
    pub fn is_remark(&self, clause: &str) -> bool {
        hit(&self.table.remark, clause) || self.is_rank(clause)
    }

    /// Whether a figure of `kind` can be of `id`: a rate always, a level
    /// only in the kind the id's levels are written in, where it says one
    /// (`新增进出口实绩企业5户` is a count of firms, not foreign trade).
    pub fn takes(&self, id: &str, kind: &str) -> bool {
        matches!(kind, "percent" | "percentage_point" | "multiple")
            || self
                .levels
                .iter()
                .find(|(i, _)| &**i == id)
                .is_none_or(|(_, k)| k == kind)
    }

    /// Whether a clause ranks a figure (`增速居全省第4位`).
    fn is_rank(&self, clause: &str) -> bool {
        hit(&self.table.rank, clause)
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
        gap.chars().count() <= 16 && !has_figure(&gap)
    }

    /// The text between two figures without its remark clauses
    /// (`、总量居全省第5位，增长` → `、，增长`).
    fn without_remarks<'a>(&self, gap: &'a str) -> Cow<'a, str> {
        if self.table.remark.is_none() {
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
            let bare = match &self.table.lead {
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

/// Whether a text holds a digit other than a calendar year's
/// (`提升到2025年的` holds none: the year of the figure after it).
fn has_figure(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find(|ch: char| ch.is_ascii_digit()) {
        let digits = rest[at..]
            .find(|ch: char| !ch.is_ascii_digit())
            .unwrap_or(rest.len() - at);
        if digits != 4 || !rest[at + digits..].starts_with('年') {
            return true;
        }
        rest = &rest[at + digits..];
    }
    false
}

#[cfg(test)]
mod tests;
