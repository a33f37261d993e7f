//! What a figure is and when: its `status` (a `target`, an `estimate`, an
//! `actual` result or a multi-year `plan`) and the period it `refers_to`
//! (a year, a span of years, a quarter or some months).
//!
//! A work report of year Y reviews Y−1 and sets targets for Y, so the
//! section a figure sits under gives the default ([`Frame`]); the figure's
//! own sentence can override it ([`Cues`]): `预计` makes an estimate,
//! `略低于8%的预定目标` restates an earlier target, `年均` and `“十四五”时期`
//! make a multi-year figure, `一季度` a quarter. Periods stay relative to the
//! report's year ([`Year::Rel`]) until the year is known, at output. The
//! words are the rule file's `[status]` table.

use regex::Regex;

use crate::text::lazy_regex::{hit, LazyRegex};

mod cues;
mod frame;
mod paragraph;
mod passage;
mod settle;

pub(crate) use paragraph::Reaches;
pub use paragraph::{Paragraph, Sentence};
pub use passage::Passages;
pub use settle::settle;

/// A goal for the report's year, or an earlier year's goal restated.
pub const TARGET: &str = "target";
/// A figure for the year just ended, introduced by `预计`.
pub const ESTIMATE: &str = "estimate";
/// A stated result.
pub const ACTUAL: &str = "actual";
/// A multi-year goal or average (`年均`, `“十四五”期间`, `到2027年`).
pub const PLAN: &str = "plan";

/// A year, as written (`2023年`) or relative to the report's year (`去年`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Year {
    /// A calendar year.
    Abs(i32),
    /// Years after (or, negative, before) the report's year.
    Rel(i32),
}

impl Year {
    /// The calendar year, given the report's; `None` when that is unknown.
    pub fn resolve(self, report: Option<i32>) -> Option<i32> {
        match self {
            Year::Abs(y) => Some(y),
            Year::Rel(d) => report.map(|y| y + d),
        }
    }
}

/// The period a figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First year.
    pub from: Year,
    /// Last year (the same as `from` for one year).
    pub to: Year,
    /// Part of the year, first and last month (`一季度` is 1–3).
    pub months: Option<(u8, u8)>,
}

impl Period {
    /// One whole year.
    pub fn year(y: Year) -> Period {
        Period {
            from: y,
            to: y,
            months: None,
        }
    }

    /// As written in the `refers_to` column: `2024`, `2021-2025`, `2024Q1`,
    /// `2024-01..09`; empty when a relative year meets an unknown report year.
    /// A span that starts no earlier than it ends (the year after a base year
    /// that is the year before, [`Cues::base`]) is its last year.
    pub fn render(&self, report: Option<i32>) -> String {
        let mut out = String::new();
        self.write(&mut out, report).expect("writing to a String");
        out
    }

    /// Writes it as [`Period::render`] gives it (a CSV cell is written
    /// without a `String` of its own).
    pub fn write(&self, out: &mut impl std::fmt::Write, report: Option<i32>) -> std::fmt::Result {
        let (Some(a), Some(b)) = (self.from.resolve(report), self.to.resolve(report)) else {
            return Ok(());
        };
        match self.months {
            _ if a < b => write!(out, "{a}-{b}"),
            None | Some((1, 12)) => write!(out, "{b}"),
            Some((m1, m2)) if m1 % 3 == 1 && m2 == m1 + 2 => write!(out, "{b}Q{}", m2 / 3),
            Some((m1, m2)) => write!(out, "{b}-{m1:02}..{m2:02}"),
        }
    }
}

/// What a section heading sets for the figures under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Frame {
    /// `actual` under a review, `target` under the year's work, `plan`
    /// under a five-year outline; `None` under a heading that says neither.
    pub status: Option<&'static str>,
    /// The period figures default to.
    pub period: Option<Period>,
    /// The span of years the heading names (`“十四五”时期和2025年工作回顾`),
    /// which a multi-year average under it is about.
    pub span: Option<Period>,
    /// The year of the bulletin this part of a document is (its title,
    /// or the date line that opens the next bulletin of a compiled file):
    /// the report's year for the rows under it.
    pub part: Option<i32>,
    /// The number of the heading that opened the frame (`二` of `二、…`),
    /// so that the next numbered heading after a review ends it.
    pub ordinal: Option<u8>,
}

/// What a figure's own sentence says of its status and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cues {
    /// Inside the reach of a `预计`.
    pub estimate: bool,
    /// An earlier target restated (`低于8%的预定目标`).
    pub restated: bool,
    /// A word of a target (`力争`, `预期目标`), before the figure in its sentence.
    pub target: bool,
    /// In a targets paragraph (`主要预期目标是：…；…`): the statement a
    /// researcher cites for the year's targets.
    pub headline: bool,
    /// A word of a result (`完成`, `比上年`).
    pub actual: bool,
    /// A multi-year average (`年均`).
    pub average: bool,
    /// A span of years named in the figure's clause or sentence (`“十四五”时期`, `过去五年`).
    pub span: Option<Period>,
    /// A goal year (`到2027年`).
    pub until: Option<Year>,
    /// The year named for the figure (`2023年，`, `今年`, `去年`).
    pub year: Option<Year>,
    /// Part of a year (`一季度`, `1-9月`).
    pub months: Option<(u8, u8)>,
    /// One number for every item of a list before it (`城乡居民人均可支配收入分别增长7.5%`).
    pub shared: bool,
    /// What the figure's paragraph says before it, where its sentence says
    /// nothing: a paragraph that reports on a past year (`刚刚过去的2002年，…
    /// 完成…`) makes its figures results ([`StatusRules::paragraph`]).
    pub paragraph: Option<&'static str>,
    /// The year the paragraph names before the figure (`刚刚过去的2002年`).
    pub paragraph_year: Option<Year>,
    /// Its qualifier is written before it (`低于8%`), not after (`8%以上`).
    pub bound_before: bool,
    /// The base year it is compared with (`比2005年下降20%`,
    /// `一九八二年同一九七八年相比，…增长百分之六十四点八`): a result over
    /// the years since, not the last year's.
    pub base: Option<Year>,
    /// A level reached (`研发投入强度达3.38%`): at the end of a span, its last year's.
    pub reached: bool,
    /// The span of years of the review passage it sits in (`这五年，…`),
    /// which a result with no year of its own is about ([`Passages`]).
    pub passage: Option<Period>,
    /// Under no heading's frame, in a review an opening opened
    /// (`一年来，我们主要做了以下工作。`, before the plan part): read as
    /// under a review heading of the year it gives.
    pub opened_review: Option<Year>,
    /// The level at the start of a change, naming no year of its own
    /// (`由9107元提高到16190元`): a base year's result, never the year the
    /// change ends at.
    pub change_start: bool,
}

/// Why a figure got its status and period, for `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Nothing said it.
    Nothing,
    /// The section heading.
    Section,
    /// A `预计` before it in its sentence.
    Estimate,
    /// `…的预定目标` after it.
    Restated,
    /// `年均`, a five-year plan or a span of years.
    MultiYear,
    /// `到2027年`.
    GoalYear,
    /// Words of a target or result in its sentence (no section said).
    Words,
    /// The words of its paragraph (no section or sentence said).
    Paragraph,
    /// A review's passage about a span of years (`这五年，…`).
    Passage,
    /// A targets paragraph (`主要预期目标是：…`) it sits in.
    TargetsParagraph,
    /// A review's opening (`一年来，我们主要做了以下工作。`) under no heading.
    ReviewOpening,
    /// The start of a change (`由9107元提高到…`): its base year's.
    ChangeStart,
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Basis::Nothing => "nothing in its sentence or section says",
            Basis::Section => "its section heading",
            Basis::Estimate => "a 预计 before it reaches it",
            Basis::Restated => "it restates an earlier target (…的预定目标)",
            Basis::MultiYear => "a multi-year average or span (年均, “十四五”时期, 过去五年)",
            Basis::GoalYear => "a goal year (到2027年)",
            Basis::Words => "a target or result word in its sentence, under no section",
            Basis::Paragraph => "a result word and a past year earlier in its paragraph",
            Basis::Passage => "a review's passage about a span of years (这五年，…)",
            Basis::TargetsParagraph => "it sits in a targets paragraph (主要预期目标是…)",
            Basis::ReviewOpening => "a review's opening before it (一年来，我们主要做了以下工作)",
            Basis::ChangeStart => {
                "it starts a change (由…提高到): the base year's, if its sentence names one"
            }
        })
    }
}

/// A named part of a year (`上半年`) and its months.
#[derive(Debug)]
pub(crate) struct Part {
    pub regex: LazyRegex,
    pub months: (u8, u8),
}

/// The compiled `[status]` table.
#[derive(Debug)]
pub struct StatusRules {
    pub(crate) review_section: Option<LazyRegex>,
    /// The words closing a paragraph that open a review no heading opens
    /// (`一年来，我们主要做了以下工作。`).
    pub(crate) review_opening: Option<LazyRegex>,
    /// The report's address to the congress (`向大会报告政府工作`, `请予审议`).
    pub(crate) address: Option<LazyRegex>,
    /// The start of a paragraph right after the address that opens a review
    /// of the year it names (group `year`; else the year before):
    /// `2023年，在…坚强领导下，`, `过去一年，`.
    pub(crate) year_opening: Option<LazyRegex>,
    pub(crate) target_section: Option<LazyRegex>,
    pub(crate) plan_section: Option<LazyRegex>,
    pub(crate) bulletin: Option<LazyRegex>,
    /// The date line under a bulletin's issuers (`2024年3月`), group
    /// `year`: in a compiled file it opens the bulletin of the year before.
    pub(crate) issued: Option<LazyRegex>,
    /// A heading that names a year's work and nothing more (`一、关于2014年政府工作`):
    /// the first is the review of that year, a later one its plans.
    pub(crate) year_work: Option<LazyRegex>,
    pub(crate) estimate: Option<LazyRegex>,
    /// Words that open a targets paragraph (`主要预期目标是`).
    pub(crate) targets_paragraph: Option<LazyRegex>,
    /// The year's requirements (`政府工作的总体要求是：`): the paragraph
    /// after them that lists several rates is the targets paragraph, with
    /// or without the words of [`StatusRules::targets_paragraph`].
    pub(crate) requirements: Option<LazyRegex>,
    /// A targets paragraph of macro-control goals only (`宏观调控的主要目标是`,
    /// `调控目标定为`: growth and prices), which leaves the year's other goals
    /// headline figures where they are stated.
    pub(crate) control_paragraph: Option<LazyRegex>,
    /// A result in words, no change (`与上年持平`): the panel's and the
    /// scorecard's 0 of the figure its clause names.
    pub(crate) flat: Option<LazyRegex>,
    /// Verbs a clause can have of its own (`完成`): where a `预计` stops.
    pub(crate) predicate: Option<LazyRegex>,
    pub(crate) restated: Option<LazyRegex>,
    pub(crate) target: Option<LazyRegex>,
    pub(crate) actual: Option<LazyRegex>,
    pub(crate) average: Option<LazyRegex>,
    /// Groups `from`/`to` (years), or `plan` (the `十四` of `十四五`), or
    /// `past`…`past3`/`next` (a number of years back or ahead).
    pub(crate) span: Option<LazyRegex>,
    /// A paragraph's opening that turns a review to a single year
    /// (`刚刚过去的2025年`, `一年来`), where it names no span first.
    pub(crate) year_passage: Option<LazyRegex>,
    /// A clause that ends in a level reached (`…强度达`).
    pub(crate) reached: Option<LazyRegex>,
    /// Group `year`.
    pub(crate) until: Option<LazyRegex>,
    /// A figure's clause that ends where a change starts (`由`, `从`): the
    /// figure is the level at its start ([`Cues::change_start`]).
    pub(crate) change_start: Option<LazyRegex>,
    /// A text that opens with the words of `change_start`.
    pub(crate) change_opening: Option<LazyRegex>,
    /// The text after such a figure that goes on to the change's end (`提高到`).
    pub(crate) change_to: Option<LazyRegex>,
    /// A comparison with a base year in a figure's clause (`比2005年`), group `year`.
    pub(crate) base: Option<LazyRegex>,
    /// One that opens a sentence for all its figures (`与2010年相比，`), group `year`.
    pub(crate) base_opening: Option<LazyRegex>,
    /// Group `year` (a calendar year), `point` or `point_to` (the year of
    /// a level at one end of a change: `从2020年的53.2%提升到2025年的57.7%`) or `rel`
    /// (a word: 今年, 去年).
    pub(crate) year: Option<LazyRegex>,
    /// `rel` words and their offsets from the report's year.
    pub(crate) relative: Vec<(String, i32)>,
    pub(crate) parts: Vec<Part>,
    /// Groups `m1`, `m2`: `1-9月`.
    pub(crate) months: Option<LazyRegex>,
    /// What ends a match of `parts` or `months` ([`crate::meaning::match_ends`]):
    /// most sentences name no part of a year, and one search says so.
    pub(crate) part_ends: Option<aho_corasick::AhoCorasick>,
    /// The whole year named in a figure's clause (`全年实现…`): a part of
    /// the year named earlier in its sentence (`一季度…下降6.7%`) is not its period.
    pub(crate) whole_year: Option<LazyRegex>,
    /// How far back a paragraph's patterns can match ([`Paragraph`]).
    pub(crate) reach: Reaches,
}

/// The groups of `re`'s last match in `text`, as `captures_iter(text).last()`
/// gives them, but with the groups found for that match alone: a figure's
/// sentence can name many years, and only the last one counts.
fn last_captures<'h>(re: &Regex, text: &'h str) -> Option<regex::Captures<'h>> {
    let last = re.find_iter(text).last()?;
    re.captures_at(text, last.start())
}

/// A small whole number in Arabic or Chinese numerals (`五`, `十四`, `3`).
fn whole_number(s: &str) -> Option<i32> {
    let v = crate::text::numeral::parse(s)?.value;
    v.is_integer()
        .then(|| i32::try_from(v.to_integer()).ok())
        .flatten()
}

#[cfg(test)]
mod tests;
