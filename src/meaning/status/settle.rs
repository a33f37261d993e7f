//! A figure's status and period from its [`Cues`] and [`Frame`], with the
//! [`Basis`] that decided them: first what the figure says of itself (a
//! restated target, a span of years, a goal year), then the words of its
//! sentence, paragraph and section, then the year and months it names.

use super::{Basis, Cues, Frame, Period, Year, ACTUAL, ESTIMATE, PLAN, TARGET};

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
    let mut frame = frame.copied().unwrap_or_default();
    // Under a review's opening, as under a review heading of its year.
    let opened = frame.status.is_none() && cues.opened_review.is_some();
    if let (true, Some(year)) = (opened, cues.opened_review) {
        frame.status = Some(ACTUAL);
        frame.period = Some(Period::year(year));
    }
    // `2002年与1998年相比，…由21.70亿元增加到29.44亿元`: the start of a
    // change is a result of the base year its sentence names, else of a
    // year the text does not name; never of the year the change ends at.
    if cues.change_start {
        let base = match cues.base {
            Some(y @ Year::Abs(_)) => Some(Period::year(y)),
            _ => None,
        };
        return (Some(ACTUAL), base, Basis::ChangeStart);
    }
    if let Some(settled) = self_stated(cues, &frame) {
        return settled;
    }
    let (status, basis) = status_of(cues, &frame);
    let (status, period) = period_of(cues, &frame, status, basis);
    let basis = if opened && basis == Basis::Section {
        Basis::ReviewOpening
    } else {
        basis
    };
    // A review's result in a passage about five years (`这五年，…城镇新增就业
    // 累计106万人`) is about them, unless it names its year or months or is
    // a level reached at their end (`研发投入强度达3.38%`), the last year's.
    match cues.passage {
        Some(span)
            if basis == Basis::Section
                && status == Some(ACTUAL)
                && !cues.reached
                && cues.year.is_none()
                && cues.months.is_none() =>
        {
            (status, Some(span), Basis::Passage)
        }
        _ => (status, period.map(|p| since_base(cues, status, p)), basis),
    }
}

/// A result, or a target of a year it names, compared with a base year B (`比2005年下降20%`
/// in a review of 2010, `一九八五年将达到…，比一九八○年增长百分之四十`) is
/// over the years B+1 to its own; one compared with the year before stays
/// that year's ([`Period::render`]). A plan's is left alone (`2025年比2020年增长`
/// in a plan is the plan's year).
fn since_base(cues: &Cues, status: Option<&'static str>, p: Period) -> Period {
    match cues.base {
        Some(Year::Abs(b))
            if p.from == p.to
                && p.months.is_none()
                && (matches!(status, Some(ACTUAL) | Some(ESTIMATE))
                    || status == Some(TARGET) && cues.year.is_some()) =>
        {
            let before = |y: Year| matches!(y, Year::Abs(y) if y <= b + 1);
            if before(p.to) {
                p
            } else {
                Period {
                    from: Year::Abs(b + 1),
                    ..p
                }
            }
        }
        _ => p,
    }
}

/// Whether `frame` is a review of past years.
fn is_review(frame: &Frame) -> bool {
    frame.status == Some(ACTUAL)
}

/// The year a result or an estimate is about: the last year of the review
/// it sits in, else the year before the report's.
fn last_year(frame: &Frame) -> Year {
    if is_review(frame) {
        frame.period.map(|p| p.to).unwrap_or(Year::Rel(-1))
    } else {
        Year::Rel(-1)
    }
}

/// What a figure says of itself, whatever its section: a restated target,
/// a span of years or a multi-year average, a goal year.
fn self_stated(
    cues: &Cues,
    frame: &Frame,
) -> Option<(Option<&'static str>, Option<Period>, Basis)> {
    let review = is_review(frame);
    if cues.restated {
        return Some((
            Some(TARGET),
            Some(Period::year(cues.year.unwrap_or_else(|| last_year(frame)))),
            Basis::Restated,
        ));
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
        return Some((Some(status), Some(span), Basis::MultiYear));
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
        return Some((Some(status), period, Basis::MultiYear));
    }
    if let Some(y) = cues.until.filter(|_| !review) {
        return Some((Some(PLAN), Some(Period::year(y)), Basis::GoalYear));
    }
    None
}

/// The status the words of a figure's sentence, paragraph and section give it.
fn status_of(cues: &Cues, frame: &Frame) -> (Option<&'static str>, Basis) {
    if cues.estimate {
        (Some(ESTIMATE), Basis::Estimate)
    } else if cues.headline
        && frame.status != Some(TARGET)
        && (frame.status != Some(PLAN) || this_year(cues, frame))
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
    }
}

/// The period of a figure with `status` (got from `basis`): the one its
/// status and section give, unless it names a year, which can also turn
/// its status; and the part of the year it names.
fn period_of(
    cues: &Cues,
    frame: &Frame,
    status: Option<&'static str>,
    basis: Basis,
) -> (Option<&'static str>, Option<Period>) {
    let review = is_review(frame);
    let mut period = match status {
        Some(TARGET) => frame
            .period
            .filter(|_| frame.status == Some(TARGET))
            .or(Some(Period::year(Year::Rel(0)))),
        Some(ESTIMATE) | Some(ACTUAL) => Some(Period::year(last_year(frame))),
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
    (status, period)
}
