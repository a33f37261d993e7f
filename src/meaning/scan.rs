//! One search of a figure's clause for every pattern the readings ask of
//! it whole. The indicator reading and the status cues ask the same clause
//! whether it shares a number among a list's items (`分别`), makes it a
//! plan's share fulfilled, a base year's level, an average, a level
//! reached, whether it names a span of years, a base year or the whole
//! year: nine `[indicators]` and `[status]` patterns, eleven searches a
//! row of a few dozen bytes that each paid a regex's fixed cost, most
//! finding nothing. One overlapping scan of the clause with all of them,
//! as one automaton with a pattern ID each, answers every such question; a
//! pattern it finds is searched alone only where its match, not its
//! presence, is read. The automaton's lazy DFA keeps the rules' large
//! cache: with the default 2 MiB its states were rebuilt over and over,
//! and the scan cost twice the searches it replaced.

use std::sync::OnceLock;

use regex::{Regex, RegexSet, RegexSetBuilder};

use super::indicator::IndicatorRules;
use super::status::StatusRules;
use crate::text::lazy_regex::LazyRegex;

/// A pattern the clause is asked for, by what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ask {
    /// `[indicators] fulfilment`: a plan's share fulfilled (`完成计划的`).
    Fulfilment,
    /// `[indicators] between`: words between an indicator and its number.
    Between,
    /// `[indicators] shared`: one number for a list's items (`分别`).
    Shared,
    /// `[indicators] base_level`: the level of a base year (`比一九五八年的`).
    BaseLevel,
    /// `[status] average` (`年均`).
    Average,
    /// `[status] reached` (`…达到`).
    Reached,
    /// `[status] span` (`“十四五”时期`).
    Span,
    /// `[status] base` (`比2005年`).
    Base,
    /// `[status] whole_year` (`全年`).
    WholeYear,
}

impl Ask {
    const ALL: [Ask; 9] = [
        Ask::Fulfilment,
        Ask::Between,
        Ask::Shared,
        Ask::BaseLevel,
        Ask::Average,
        Ask::Reached,
        Ask::Span,
        Ask::Base,
        Ask::WholeYear,
    ];

    /// The rule file's pattern for it, where the file has one.
    fn pattern<'r>(self, ir: &'r IndicatorRules, st: &'r StatusRules) -> &'r Option<LazyRegex> {
        let t = &ir.table;
        match self {
            Ask::Fulfilment => &t.fulfilment,
            Ask::Between => &t.between,
            Ask::Shared => &t.shared,
            Ask::BaseLevel => &t.base_level,
            Ask::Average => &st.average,
            Ask::Reached => &st.reached,
            Ask::Span => &st.span,
            Ask::Base => &st.base,
            Ask::WholeYear => &st.whole_year,
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The clause patterns of a rule file as one automaton.
#[derive(Debug)]
pub(crate) struct ClauseScan {
    /// The patterns present, as the rule file writes them (folded).
    patterns: Vec<String>,
    /// The [`Ask`] of each pattern of `patterns`.
    asks: Vec<Ask>,
    /// The bytes its lazy DFA may keep.
    cache: usize,
    /// Compiled on first use, as the table patterns are: every pattern in
    /// it compiled alone when its file was loaded or, for the embedded
    /// file, in its tests, so the set cannot fail but on its size, which
    /// its limit leaves room for.
    set: OnceLock<RegexSet>,
}

impl ClauseScan {
    /// The scan of the clause patterns `ir` and `st` have, its lazy DFA
    /// keeping up to `cache` bytes of states (the rules' own).
    pub(crate) fn new(ir: &IndicatorRules, st: &StatusRules, cache: usize) -> ClauseScan {
        let (patterns, asks) = Ask::ALL
            .into_iter()
            .filter_map(|ask| Some((ask.pattern(ir, st).as_ref()?.as_str().to_string(), ask)))
            .unzip();
        ClauseScan {
            patterns,
            asks,
            cache,
            set: OnceLock::new(),
        }
    }

    /// Which of the patterns match somewhere in `text`, as each one's
    /// `is_match` would say.
    pub(crate) fn scan<'t>(&self, text: &'t str) -> Clause<'t> {
        let set = self.set.get_or_init(|| {
            RegexSetBuilder::new(&self.patterns)
                .size_limit(self.cache)
                .dfa_size_limit(self.cache)
                .build()
                .expect("a rule set's patterns compile")
        });
        let found = set
            .matches(text)
            .iter()
            .fold(0, |found, i| found | self.asks[i].bit());
        Clause { text, found }
    }
}

/// A clause and which of the clause patterns match in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clause<'t> {
    text: &'t str,
    found: u16,
}

impl<'t> Clause<'t> {
    /// The clause's text.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// Whether the pattern of `ask` matches in the clause.
    pub(crate) fn hit(&self, ask: Ask) -> bool {
        self.found & ask.bit() != 0
    }

    /// `re`'s first match in the clause, `re` being the pattern of `ask`:
    /// searched only when the scan found it.
    pub(crate) fn find(&self, ask: Ask, re: &Option<LazyRegex>) -> Option<regex::Match<'t>> {
        re.as_ref()
            .filter(|_| self.hit(ask))
            .and_then(|re| Regex::find(re, self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_answers_as_each_pattern_alone() {
        let rs = crate::RuleSet::default_rules().unwrap();
        let (ir, st) = (&rs.indicators, &rs.status);
        for text in [
            "城乡居民人均可支配收入分别",
            "全年实现地区生产总值",
            "比一九五八年的",
            "完成年度计划的",
            "“十四五”时期，地区生产总值年均",
            "比2005年下降",
            "研发投入强度达",
            "预期目标为",
            "",
        ] {
            let clause = rs.clause.scan(text);
            for ask in Ask::ALL {
                let alone = ask
                    .pattern(ir, st)
                    .as_ref()
                    .is_some_and(|re| re.is_match(text));
                assert_eq!(clause.hit(ask), alone, "{ask:?} in {text}");
            }
        }
    }
}
