//! What the paragraph before a figure says, read once however many figures
//! the paragraph holds: each figure's text extends the one before it, and
//! each pattern's search resumes where a longer text can still change it.

use regex::Regex;

use crate::text::lazy_regex::LazyRegex;
use regex_syntax::hir::{Look, LookSet};

use super::{StatusRules, Year, ACTUAL, TARGET};
use crate::text::floor_boundary;

/// How many sentences a targets paragraph reaches over.
const TARGETS_SENTENCES: usize = 4;

/// The [`reach`] of each pattern the paragraph is read with, found once
/// with the rules.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reaches {
    targets: Option<usize>,
    year: Option<usize>,
    actual: Option<usize>,
    target: Option<usize>,
    estimate: Option<usize>,
}

impl Reaches {
    pub(crate) fn of(rules: &StatusRules) -> Reaches {
        let of = |re: &Option<LazyRegex>| re.as_ref().and_then(|re| reach(re.as_str()));
        Reaches {
            targets: of(&rules.targets_paragraph),
            year: of(&rules.year),
            actual: of(&rules.actual),
            target: of(&rules.target),
            estimate: of(&rules.estimate),
        }
    }
}

/// The longest match of `re`, in bytes, when it matches no empty text and
/// looks at nothing after a match (no `$`, no `\b`): then a text's matches
/// that start more than this before its end are those of any longer text
/// that begins with it. `None`: no such bound, every search starts over.
fn reach(pattern: &str) -> Option<usize> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let p = hir.properties();
    let behind = LookSet::empty().insert(Look::Start).insert(Look::StartLF);
    if p.minimum_len()? == 0 || !p.look_set().subtract(behind).is_empty() {
        return None;
    }
    p.maximum_len()
}

/// Where a search of a growing text resumes, and the last match before it
/// (for [`Resume::hit`], any match).
#[derive(Debug, Default, Clone, Copy)]
struct Resume {
    from: usize,
    last: Option<(usize, usize)>,
}

impl Resume {
    /// `re.find_iter(text).last()`, `text` extending the text asked before.
    fn last(&mut self, re: &Regex, reach: Option<usize>, text: &str) -> Option<(usize, usize)> {
        let Some(reach) = reach else {
            return re.find_iter(text).last().map(|m| (m.start(), m.end()));
        };
        let mut last = self.last;
        let mut moving = false;
        let mut at = self.from;
        while let Some(m) = re.find_at(text, at) {
            last = Some((m.start(), m.end()));
            at = m.end();
            // A longer text can change a match that starts within `reach`
            // of this one's end, and every match after it.
            moving |= m.start() + reach > text.len();
            if !moving {
                *self = Resume { from: at, last };
            }
        }
        let settled = floor_boundary(text, text.len().saturating_sub(reach));
        self.from = self.from.max(settled);
        last
    }

    /// `re.is_match(text)`, `text` extending the text asked before.
    fn hit(&mut self, re: &Option<LazyRegex>, reach: Option<usize>, text: &str) -> bool {
        let Some(re) = re else { return false };
        let Some(reach) = reach else {
            return re.is_match(text);
        };
        if self.last.is_none() {
            if re.is_match_at(text, self.from) {
                self.last = Some((self.from, self.from));
            } else {
                self.from = floor_boundary(text, text.len().saturating_sub(reach));
            }
        }
        self.last.is_some()
    }
}

/// A figure's sentence read so far, as [`Paragraph`] reads a paragraph:
/// the figures of one sentence each ask whether the text before them holds
/// a target, a result, a targets paragraph's opening or a `预计`, and each
/// pattern's search resumes where the figure before left it.
#[derive(Debug, Default)]
pub struct Sentence {
    /// Where the two texts asked about start (the sentence cut at `；`,
    /// and the full one since the last `。`), and where they ended.
    from: (usize, usize),
    to: usize,
    target: Resume,
    actual: Resume,
    headline: Resume,
    estimate: Resume,
}

impl Sentence {
    /// Readies it for the texts that start at `from` (the sentence's and
    /// the full sentence's) and end at `to`: it starts over when they do
    /// not extend the texts asked before.
    pub fn at(&mut self, from: (usize, usize), to: usize) {
        if from != self.from || to < self.to {
            *self = Sentence {
                from,
                ..Sentence::default()
            };
        }
        self.to = to;
    }

    /// Whether `sentence` (the text extending the last one asked) holds a
    /// target word, and a result word.
    pub(super) fn target_actual(&mut self, rules: &StatusRules, sentence: &str) -> (bool, bool) {
        let reach = &rules.reach;
        (
            self.target.hit(&rules.target, reach.target, sentence),
            self.actual.hit(&rules.actual, reach.actual, sentence),
        )
    }

    /// Whether `full` opens a targets paragraph.
    pub(super) fn headline(&mut self, rules: &StatusRules, full: &str) -> bool {
        self.headline
            .hit(&rules.targets_paragraph, rules.reach.targets, full)
    }

    /// The last `预计` in `full`, as (start, end).
    pub(super) fn estimate(&mut self, rules: &StatusRules, full: &str) -> Option<(usize, usize)> {
        let re = rules.estimate.as_ref()?;
        self.estimate.last(re, rules.reach.estimate, full)
    }
}

/// A paragraph read so far: [`Paragraph::read`] it as it grows, a new one
/// for each paragraph.
#[derive(Debug, Default)]
pub struct Paragraph {
    targets: Resume,
    year: Resume,
    actual: Resume,
    target: Resume,
}

impl Paragraph {
    /// What the paragraph before a figure says (`before`: from the
    /// paragraph's start to the figure, extending the text read before):
    /// a targets paragraph (`主要预期目标是：`) that runs over several
    /// sentences; else a result word in a paragraph that names a past
    /// year (`刚刚过去的2002年，…胜利完成…`, not in passing:
    /// `由上年的…调整为`), without a target word, makes results.
    pub fn read(
        &mut self,
        rules: &StatusRules,
        before: &str,
    ) -> (bool, Option<&'static str>, Option<Year>) {
        let reach = &rules.reach;
        let year = |year: &mut Resume| {
            let re = rules.year.as_ref()?;
            let (start, _) = year.last(re, reach.year, before)?;
            let c = re.captures_at(before, start)?;
            if super::cues::in_passing(&c, before) {
                // A level's year in passing (`从2020年的…`): rare, read whole.
                return rules.year_in(before);
            }
            rules.year_of(&c)
        };
        // A targets paragraph runs over a few sentences (`…增长9％，财政收入增长
        // 8.5％。城镇居民人均可支配收入增长7％左右…。`), not the work sections after it.
        let targets = rules.targets_paragraph.as_ref();
        if let Some((_, end)) = targets.and_then(|re| self.targets.last(re, reach.targets, before))
        {
            if before[end..]
                .matches('。')
                .nth(TARGETS_SENTENCES - 1)
                .is_none()
            {
                return (true, Some(TARGET), year(&mut self.year));
            }
        }
        let year = year(&mut self.year);
        let past = match year {
            Some(Year::Rel(d)) => d < 0,
            Some(Year::Abs(_)) => true,
            None => false,
        };
        let result = past
            && self.actual.hit(&rules.actual, reach.actual, before)
            && !self.target.hit(&rules.target, reach.target, before);
        (false, result.then_some(ACTUAL), year.filter(|_| result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meaning::status::hit;

    /// [`Paragraph::read`] as one search of the whole text would give it.
    fn at_once(rules: &StatusRules, before: &str) -> (bool, Option<&'static str>, Option<Year>) {
        let last = |re: &Option<LazyRegex>| re.as_ref()?.find_iter(before).last();
        if let Some(m) = last(&rules.targets_paragraph) {
            if before[m.end()..].matches('。').count() < TARGETS_SENTENCES {
                return (true, Some(TARGET), rules.year_in(before));
            }
        }
        let year = rules.year_in(before);
        let past =
            matches!(year, Some(Year::Abs(_))) || matches!(year, Some(Year::Rel(d)) if d < 0);
        let result = past && hit(&rules.actual, before) && !hit(&rules.target, before);
        (false, result.then_some(ACTUAL), year.filter(|_| result))
    }

    #[test]
    fn a_growing_paragraph_reads_as_the_whole_of_it() {
        let rs = crate::RuleSet::default_rules().unwrap();
        let st = &rs.status;
        let mut read = 0;
        for text in [
            "刚刚过去的2002年，全市上下胜利完成了各项任务，地区生产总值增长9%。今年要力争增长8%。",
            "2023年全市生产总值增长5%，比上年提高1个百分点；去年完成投资20亿元。",
            "今年经济社会发展的主要预期目标是：地区生产总值增长6%。财政收入增长5%。进出口增长3%。\
             居民收入增长6%。城镇新增就业1万人。粮食产量稳定。",
            "由上年的2.1%调整为3%，实现了2020年目标。",
        ] {
            let text = rs.fold.str(text);
            let mut para = Paragraph::default();
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let got = para.read(st, &text[..at]);
                assert_eq!(got, at_once(st, &text[..at]), "{}", &text[..at]);
                read += usize::from(got.1.is_some());
            }
        }
        assert!(read > 10, "{read} prefixes with a status");
    }

    #[test]
    fn a_growing_sentence_reads_as_the_whole_of_it() {
        let rs = crate::RuleSet::default_rules().unwrap();
        let st = &rs.status;
        for text in [
            "预计全年地区生产总值增长5%，完成投资20亿元，力争增长6%",
            "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右",
            "比上年增长3%，虽然略低于预期目标，但预计完成全年任务",
        ] {
            let text = rs.fold.str(text);
            let mut read = Sentence::default();
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let before = &text[..at];
                read.at((0, 0), at);
                let last = st
                    .estimate
                    .as_ref()
                    .and_then(|re| re.find_iter(before).last());
                assert_eq!(
                    read.estimate(st, before),
                    last.map(|m| (m.start(), m.end())),
                    "{before}"
                );
                assert_eq!(
                    read.target_actual(st, before),
                    (hit(&st.target, before), hit(&st.actual, before)),
                    "{before}"
                );
                assert_eq!(
                    read.headline(st, before),
                    hit(&st.targets_paragraph, before),
                    "{before}"
                );
            }
        }
    }

    #[test]
    fn a_match_near_the_end_is_searched_again() {
        // `目标是为` ends a match that `目标是` ended sooner.
        let text = "预期目标是为了目标是为增长目标";
        for p in ["目标(?:是为)?", "(?:^|是)目标|为", "增长目标|长"] {
            let (re, mut last, mut hit) =
                (Regex::new(p).unwrap(), Resume::default(), Resume::default());
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let whole = re
                    .find_iter(&text[..at])
                    .last()
                    .map(|m| (m.start(), m.end()));
                assert_eq!(
                    last.last(&re, reach(re.as_str()), &text[..at]),
                    whole,
                    "{p} in {}",
                    &text[..at]
                );
                let lazy = Some(LazyRegex::compiled(re.clone()));
                let found = hit.hit(&lazy, reach(re.as_str()), &text[..at]);
                assert_eq!(found, whole.is_some(), "{p} in {}", &text[..at]);
            }
        }
    }

    #[test]
    fn patterns_that_look_ahead_or_match_nothing_have_no_reach() {
        assert_eq!(reach("年均|平均每年"), Some(12));
        assert_eq!(reach("(?:^|[,。])(?P<year>[0-9]{4})年"), Some(10));
        assert_eq!(reach("完成$"), None);
        assert_eq!(reach(r"\bGDP\b"), None);
        assert_eq!(reach("完成.*"), None);
        assert_eq!(reach("(?:完成)?"), None);
    }
}
