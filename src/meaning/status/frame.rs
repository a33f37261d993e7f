//! The frame a section heading opens.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    hit, last_captures, whole_number, Frame, Period, StatusRules, Year, ACTUAL, PLAN, TARGET,
};

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})年").expect("valid pattern"));

/// The last calendar year written in `text` (`2023年`).
fn last_year_in(text: &str) -> Option<i32> {
    last_captures(&YEAR, text).and_then(|c| c[1].parse().ok())
}

/// The first calendar year written in `text`: the year a heading that
/// names the year it reviews first (`1998年工作回顾和1999年工作的总体要求`).
fn first_year_in(text: &str) -> Option<i32> {
    YEAR.captures(text).and_then(|c| c[1].parse().ok())
}

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
}
