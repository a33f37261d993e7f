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
    pub fn render(&self, report: Option<i32>) -> String {
        let (Some(a), Some(b)) = (self.from.resolve(report), self.to.resolve(report)) else {
            return String::new();
        };
        match self.months {
            _ if a != b => format!("{a}-{b}"),
            None | Some((1, 12)) => a.to_string(),
            Some((m1, m2)) if m1 % 3 == 1 && m2 == m1 + 2 => format!("{a}Q{}", m2 / 3),
            Some((m1, m2)) => format!("{a}-{m1:02}..{m2:02}"),
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
    /// A targets paragraph (`主要预期目标是：…`) it sits in.
    TargetsParagraph,
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
            Basis::TargetsParagraph => "it sits in a targets paragraph (主要预期目标是…)",
        })
    }
}

/// A named part of a year (`上半年`) and its months.
#[derive(Debug)]
pub(crate) struct Part {
    pub regex: Regex,
    pub months: (u8, u8),
}

/// The compiled `[status]` table.
#[derive(Debug)]
pub struct StatusRules {
    pub(crate) review_section: Option<Regex>,
    pub(crate) target_section: Option<Regex>,
    pub(crate) plan_section: Option<Regex>,
    pub(crate) bulletin: Option<Regex>,
    /// The date line under a bulletin's issuers (`2024年3月`), group
    /// `year`: in a compiled file it opens the bulletin of the year before.
    pub(crate) issued: Option<Regex>,
    /// A heading that names a year's work and nothing more (`一、关于2014年政府工作`):
    /// the first is the review of that year, a later one its plans.
    pub(crate) year_work: Option<Regex>,
    pub(crate) estimate: Option<Regex>,
    /// Words that open a targets paragraph (`主要预期目标是`).
    pub(crate) targets_paragraph: Option<Regex>,
    /// Verbs a clause can have of its own (`完成`): where a `预计` stops.
    pub(crate) predicate: Option<Regex>,
    pub(crate) restated: Option<Regex>,
    pub(crate) target: Option<Regex>,
    pub(crate) actual: Option<Regex>,
    pub(crate) average: Option<Regex>,
    /// Groups `from`/`to` (years), or `plan` (the `十四` of `十四五`), or
    /// `past`/`next` (a number of years back or ahead).
    pub(crate) span: Option<Regex>,
    /// Group `year`.
    pub(crate) until: Option<Regex>,
    /// Group `year` (a calendar year) or `rel` (a word: 今年, 去年).
    pub(crate) year: Option<Regex>,
    /// `rel` words and their offsets from the report's year.
    pub(crate) relative: Vec<(String, i32)>,
    pub(crate) parts: Vec<Part>,
    /// Groups `m1`, `m2`: `1-9月`.
    pub(crate) months: Option<Regex>,
    /// What ends a match of `parts` or `months` ([`crate::meaning::match_ends`]):
    /// most sentences name no part of a year, and one search says so.
    pub(crate) part_ends: Option<aho_corasick::AhoCorasick>,
    /// The whole year named in a figure's clause (`全年实现…`): a part of
    /// the year named earlier in its sentence (`一季度…下降6.7%`) is not its period.
    pub(crate) whole_year: Option<Regex>,
}

fn hit(re: &Option<Regex>, text: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(text))
}

/// The groups of `re`'s last match in `text`, as `captures_iter(text).last()`
/// gives them, but with the groups found for that match alone: a figure's
/// sentence can name many years, and only the last one counts.
fn last_captures<'h>(re: &Regex, text: &'h str) -> Option<regex::Captures<'h>> {
    let last = re.find_iter(text).last()?;
    re.captures_at(text, last.start())
}

static YEAR: once_cell::sync::Lazy<Regex> =
    once_cell::sync::Lazy::new(|| Regex::new(r"((?:19|20)[0-9]{2})年").expect("valid pattern"));

/// The last calendar year written in `text` (`2023年`).
fn last_year_in(text: &str) -> Option<i32> {
    last_captures(&YEAR, text).and_then(|c| c[1].parse().ok())
}

/// The first calendar year written in `text`: the year a heading that
/// names the year it reviews first (`1998年工作回顾和1999年工作的总体要求`).
fn first_year_in(text: &str) -> Option<i32> {
    YEAR.captures(text).and_then(|c| c[1].parse().ok())
}

/// A small whole number in Arabic or Chinese numerals (`五`, `十四`, `3`).
fn whole_number(s: &str) -> Option<i32> {
    let v = crate::text::numeral::parse(s)?.value;
    v.is_integer()
        .then(|| i32::try_from(v.to_integer()).ok())
        .flatten()
}

/// The first and last year of the five-year plan written `十四` (`“十四五”`) or `九`.
fn plan_years(number: &str) -> Option<(i32, i32)> {
    let n = whole_number(number)?;
    // The sixth plan began in 1981; every later one five years after the last.
    let from = 1981 + 5 * (n - 6);
    (n >= 6).then_some((from, from + 4))
}

/// How many sentences a targets paragraph reaches over.
const TARGETS_SENTENCES: usize = 4;

/// The number of a heading numbered `一、` to `十九、`.
fn ordinal_of(heading: &str) -> Option<u8> {
    let (n, _) = heading.split_once('、')?;
    if n.is_empty() || !n.chars().all(|c| "一二三四五六七八九十".contains(c)) {
        return None;
    }
    u8::try_from(whole_number(n)?).ok()
}

impl StatusRules {
    /// The frame a section heading opens; `prev` carries on under a heading
    /// that says neither review nor plan nor target (`（一）加快发展`).
    /// `None`: a date line outside a bulletin, which is no heading.
    pub fn frame(&self, heading: &str, prev: Frame) -> Option<Frame> {
        let heading = &*crate::meaning::meta::arabic_dates(heading);
        let ordinal = ordinal_of(heading);
        let year = last_year_in(heading).map(Year::Abs);
        let span = self.span_in(heading);
        let frame = |status, period| Frame {
            status: Some(status),
            period,
            span,
            part: None,
            ordinal,
        };
        let issued = self
            .issued
            .as_ref()
            .and_then(|re| re.captures(heading))
            .and_then(|c| c.name("year")?.as_str().parse::<i32>().ok());
        // A bulletin's title opens it, or the next bulletin of a compiled
        // file; one named in a work report (a link to it) opens nothing.
        let opens = prev.part.is_some() || prev == Frame::default();
        Some(if opens && hit(&self.bulletin, heading) {
            Frame {
                part: last_year_in(heading),
                ..frame(ACTUAL, year.map(Period::year))
            }
        } else if let Some(y) = issued {
            prev.part?;
            Frame {
                part: Some(y - 1),
                ..frame(ACTUAL, Some(Period::year(Year::Abs(y - 1))))
            }
        } else if hit(&self.review_section, heading)
            || (hit(&self.year_work, heading) && prev == Frame::default())
        {
            let year = first_year_in(heading).map(Year::Abs);
            frame(ACTUAL, Some(Period::year(year.unwrap_or(Year::Rel(-1)))))
        } else if hit(&self.plan_section, heading) {
            // `2035年远景目标` is a plan for its year; `“十四五”…和2025年工作安排` is the year's work.
            match year {
                None => frame(PLAN, span),
                Some(y) if heading.contains("远景") => frame(PLAN, Some(Period::year(y))),
                Some(y) => frame(TARGET, Some(Period::year(y))),
            }
        } else if hit(&self.target_section, heading) {
            frame(TARGET, Some(Period::year(year.unwrap_or(Year::Rel(0)))))
        } else if prev.status == Some(ACTUAL)
            && prev.ordinal.is_some()
            && ordinal == prev.ordinal.map(|n| n + 1)
        {
            // The next part after a review (`一、…回顾` then `二、今年的发展思路`)
            // is no longer the review, whatever its unknown words: its
            // figures' own sentences and paragraphs decide.
            Frame {
                ordinal,
                ..Frame::default()
            }
        } else {
            prev
        })
    }

    /// What the paragraph before a figure says (`before`: from the
    /// paragraph's start to the figure): a targets paragraph
    /// (`主要预期目标是：`) that runs over several sentences; else a result
    /// word in a paragraph that names a past year (`刚刚过去的2002年，…
    /// 胜利完成…`, not in passing: `由上年的…调整为`), without a target word,
    /// makes results.
    pub fn paragraph(&self, before: &str) -> (bool, Option<&'static str>, Option<Year>) {
        // A targets paragraph runs over a few sentences (`…增长9％，财政收入增长
        // 8.5％。城镇居民人均可支配收入增长7％左右…。`), not the work sections after it.
        if let Some(m) = self
            .targets_paragraph
            .as_ref()
            .and_then(|re| re.find_iter(before).last())
        {
            if before[m.end()..].matches('。').count() < TARGETS_SENTENCES {
                return (true, Some(TARGET), self.year_in(before));
            }
        }
        let year = self.year_in(before);
        let past = match year {
            Some(Year::Rel(d)) => d < 0,
            Some(Year::Abs(_)) => true,
            None => false,
        };
        let result = past && hit(&self.actual, before) && !hit(&self.target, before);
        (false, result.then_some(ACTUAL), year.filter(|_| result))
    }

    /// The cues of a figure: `sentence` is its sentence up to the figure
    /// (cut at `；` too), `full` the same since the last `。`, `clause` the
    /// part since the last comma (or previous figure), `after` the text after
    /// it up to the clause's end.
    /// `named` says whether a text holds an indicator's name.
    pub fn cues(
        &self,
        [sentence, full, clause, after]: [&str; 4],
        named: impl Fn(&str) -> bool,
    ) -> Cues {
        let mut c = Cues {
            estimate: self.in_estimate(full, named),
            restated: hit(&self.restated, after),
            target: hit(&self.target, sentence),
            headline: hit(&self.targets_paragraph, full),
            actual: hit(&self.actual, sentence),
            average: hit(&self.average, clause),
            ..Cues::default()
        };
        c.span = self.span_in(clause);
        if c.span.is_none() && c.average {
            c.span = self.span_in(sentence);
        }
        c.until = self
            .until
            .as_ref()
            .and_then(|re| last_captures(re, sentence))
            .and_then(|m| m.name("year")?.as_str().parse().ok())
            .map(Year::Abs);
        c.year = self.year_in(sentence);
        // `下半年…加快，全年增长19.5%，全社会固定资产投资增长14.1%`: a
        // whole year named after the part of one ends it.
        let since_whole = self
            .whole_year
            .as_ref()
            .and_then(|re| re.find_iter(sentence).last())
            .map_or(sentence, |m| &sentence[m.end()..]);
        c.months = self
            .months_in(since_whole)
            .filter(|_| !hit(&self.whole_year, clause));
        c
    }

    /// Whether a `预计` reaches the end of `sentence` (since the last `。`):
    /// one that opens a clause reaches the items after it with no verb of
    /// their own, and an item with its own predicate (`完成…`) ends it
    /// unless the first clause has one too (`预计…完成…；…达到…`, items
    /// of one shape); one after an item's name
    /// (`地区生产总值预计完成…`) reaches only to that item's `；`.
    fn in_estimate(&self, sentence: &str, named: impl Fn(&str) -> bool) -> bool {
        let Some(m) = self
            .estimate
            .as_ref()
            .and_then(|re| re.find_iter(sentence).last())
        else {
            return false;
        };
        let opening = sentence[..m.start()]
            .rsplit([',', '，', ';', '；', ':', '：'])
            .next()
            .unwrap_or("");
        // `初步预计，全省生产总值完成…`: the clause it opens starts after the comma.
        let rest = sentence[m.end()..].trim_start_matches([',', '，', ':', '：']);
        if named(opening) && rest.contains([';', '；']) {
            return false;
        }
        let mut clauses = rest.split([',', '，', ';', '；']);
        let verb = |c: &str| hit(&self.predicate, c);
        let first = clauses.next().is_some_and(verb);
        clauses.all(|c| first || !verb(c))
    }

    /// A span of years named in `text`: `2021-2025年`, `“十四五”时期`, `过去五年`.
    fn span_in(&self, text: &str) -> Option<Period> {
        let c = last_captures(self.span.as_ref()?, text)?;
        let count = |g: &str| c.name(g).and_then(|m| whole_number(m.as_str()));
        let (from, to) = if let (Some(a), Some(b)) = (c.name("from"), c.name("to")) {
            (
                Year::Abs(a.as_str().parse().ok()?),
                Year::Abs(b.as_str().parse().ok()?),
            )
        } else if let Some(p) = c.name("plan") {
            let (a, b) = plan_years(p.as_str())?;
            (Year::Abs(a), Year::Abs(b))
        } else if let Some(n) = count("past").or_else(|| count("past2")) {
            (Year::Rel(-n), Year::Rel(-1))
        } else if let Some(n) = count("next") {
            (Year::Rel(0), Year::Rel(n - 1))
        } else {
            return None;
        };
        Some(Period {
            from,
            to,
            months: None,
        })
    }

    /// The year a figure's sentence names for it: the last one written.
    fn year_in(&self, text: &str) -> Option<Year> {
        let c = last_captures(self.year.as_ref()?, text)?;
        if let Some(y) = c.name("year") {
            return y.as_str().parse().ok().map(Year::Abs);
        }
        let word = c.name("rel")?.as_str();
        self.relative
            .iter()
            .find(|(w, _)| w == word)
            .map(|&(_, d)| Year::Rel(d))
    }

    /// The part of a year a figure's sentence names (`前三季度`, `1-9月`).
    fn months_in(&self, text: &str) -> Option<(u8, u8)> {
        if self
            .part_ends
            .as_ref()
            .is_some_and(|ends| !ends.is_match(text))
        {
            return None;
        }
        if let Some(p) = self.parts.iter().find(|p| p.regex.is_match(text)) {
            return Some(p.months);
        }
        let c = self.months.as_ref()?.captures(text)?;
        let m1: u8 = c.name("m1")?.as_str().parse().ok()?;
        let m2: u8 = c.name("m2")?.as_str().parse().ok()?;
        (1 <= m1 && m1 < m2 && m2 <= 12).then_some((m1, m2))
    }
}

/// Whether a targets paragraph under a multi-year outline is about the
/// report's year (`今年的主要预期目标是`, or the outline's first year), not
/// the outline's goals (`今后五年发展目标是`).
fn this_year(cues: &Cues, frame: &Frame) -> bool {
    match cues.paragraph_year.or(cues.year) {
        Some(Year::Rel(0)) => true,
        Some(y @ Year::Abs(_)) => frame.span.is_none_or(|s| s.from == y),
        _ => false,
    }
}

/// The status and period of a figure with `cues` under `frame`, and why.
pub fn settle(cues: &Cues, frame: Option<&Frame>) -> (Option<&'static str>, Option<Period>, Basis) {
    let frame = frame.copied().unwrap_or_default();
    let review = frame.status == Some(ACTUAL);
    let last_year = || {
        if review {
            frame.period.map(|p| p.to).unwrap_or(Year::Rel(-1))
        } else {
            Year::Rel(-1)
        }
    };
    if cues.restated {
        return (
            Some(TARGET),
            Some(Period::year(cues.year.unwrap_or_else(last_year))),
            Basis::Restated,
        );
    }
    if let Some(span) = cues
        .span
        .filter(|_| cues.average || frame.status != Some(PLAN))
    {
        // A span in a review is a result over past years; elsewhere a goal,
        // unless it ended before the span of the outline it sits in
        // (`“十四五”时期年均增长4.8%` under `“十五五”时期主要目标`).
        let past = matches!(
            (span.to, frame.span.map(|f| f.from)),
            (Year::Abs(end), Some(Year::Abs(from))) if end < from
        );
        let status = if review || past { ACTUAL } else { PLAN };
        return (Some(status), Some(span), Basis::MultiYear);
    }
    if cues.average {
        // A five-year review's averages are over the five years before the report.
        let (status, past) = if review {
            (ACTUAL, Some((Year::Rel(-5), Year::Rel(-1))))
        } else {
            (PLAN, None)
        };
        let period = frame.span.or(past.map(|(from, to)| Period {
            from,
            to,
            months: None,
        }));
        return (Some(status), period, Basis::MultiYear);
    }
    if let Some(y) = cues.until.filter(|_| !review) {
        return (Some(PLAN), Some(Period::year(y)), Basis::GoalYear);
    }
    let (status, basis) = if cues.estimate {
        (Some(ESTIMATE), Basis::Estimate)
    } else if cues.headline
        && frame.status != Some(TARGET)
        && (frame.status != Some(PLAN) || this_year(cues, &frame))
    {
        // A targets paragraph is this year's goals under whatever heading
        // (a `“十五五”` outline's first paragraph, an unknown heading).
        (Some(TARGET), Basis::TargetsParagraph)
    } else if frame.status == Some(TARGET)
        && cues.paragraph == Some(ACTUAL)
        && matches!(cues.paragraph_year, Some(Year::Rel(d)) if d < 0)
        && !cues.target
        && cues.year.is_none()
    {
        // `过去一年，…取得了很大成绩。国内生产总值增长10.3%` under `三、2011年的工作`.
        (Some(ACTUAL), Basis::Paragraph)
    } else if frame.status.is_some() {
        (frame.status, Basis::Section)
    } else if cues.target || cues.headline {
        (Some(TARGET), Basis::Words)
    } else if cues.actual {
        (Some(ACTUAL), Basis::Words)
    } else if cues.paragraph.is_some() {
        (cues.paragraph, Basis::Paragraph)
    } else {
        (None, Basis::Nothing)
    };
    let mut period = match status {
        Some(TARGET) => frame
            .period
            .filter(|_| frame.status == Some(TARGET))
            .or(Some(Period::year(Year::Rel(0)))),
        Some(ESTIMATE) | Some(ACTUAL) => Some(Period::year(last_year())),
        _ => frame.period,
    };
    let mut status = status;
    let named = cues.year.or(cues
        .paragraph_year
        .filter(|_| matches!(basis, Basis::Paragraph | Basis::TargetsParagraph)));
    if let Some(y) = named {
        // `去年…` under this year's work is last year's result.
        if status == Some(TARGET) && y == Year::Rel(-1) {
            status = Some(ACTUAL);
        }
        // `今年…调控目标定为8%` in a review of last year is this year's goal.
        if review && basis == Basis::Section && y == Year::Rel(0) && (cues.target || cues.headline)
        {
            status = Some(TARGET);
        }
        period = Some(Period::year(y));
    }
    if let (Some(p), Some(m)) = (period.as_mut(), cues.months) {
        if p.from == p.to {
            p.months = Some(m);
        }
    }
    (status, period, basis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_render() {
        let p = |a, b, m| Period {
            from: a,
            to: b,
            months: m,
        };
        assert_eq!(Period::year(Year::Rel(-1)).render(Some(2024)), "2023");
        assert_eq!(Period::year(Year::Rel(-1)).render(None), "");
        assert_eq!(
            p(Year::Abs(2021), Year::Abs(2025), None).render(None),
            "2021-2025"
        );
        assert_eq!(
            p(Year::Rel(0), Year::Rel(0), Some((1, 3))).render(Some(2024)),
            "2024Q1"
        );
        assert_eq!(
            p(Year::Rel(0), Year::Rel(0), Some((1, 9))).render(Some(2024)),
            "2024-01..09"
        );
        assert_eq!(plan_years("十四"), Some((2021, 2025)));
        assert_eq!(plan_years("十五"), Some((2026, 2030)));
        assert_eq!(plan_years("九"), Some((1996, 2000)));
    }

    #[test]
    fn the_part_after_a_review_is_not_the_review() {
        let rs = crate::RuleSet::default_rules().unwrap();
        let st = &rs.status;
        let mut frames = Vec::new();
        let mut f = Frame::default();
        for h in [
            "一、2006年工作回顾",
            "二、今年的主要考虑",
            "一、继续扩大内需",
            "三、2001年的工作",
        ] {
            f = st.frame(h, f).unwrap();
            frames.push(f.status);
        }
        // `二、` after the review `一、` ends it; an item under it carries on;
        // a later year's work is no review.
        assert_eq!(frames, [Some(ACTUAL), None, None, Some(TARGET)]);
        // A heading in Chinese numerals gives its year.
        let f = st
            .frame("一、二〇〇七年工作回顾", Frame::default())
            .unwrap();
        assert_eq!(f.period, Some(Period::year(Year::Abs(2007))));
    }
}
