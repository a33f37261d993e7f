use super::cues::plan_years;
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
    // The year after a base year that is the year before: that year alone.
    assert_eq!(
        p(Year::Abs(2024), Year::Rel(-1), None).render(Some(2025)),
        "2024"
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
