use super::*;
use crate::meaning::status::ESTIMATE;

fn cell(id: &str, report_year: i32, status: &'static str, value: &str) -> Cell {
    let v = |s: &str| {
        let f: f64 = s.parse().unwrap();
        Value::new((f * 100.0).round() as i128, 100)
    };
    let (value, value_max) = match value.split_once('~') {
        Some((a, b)) => (v(a), Some(v(b))),
        None => (v(value), None),
    };
    Cell {
        report_year: report_year.to_string(),
        indicator_id: id.into(),
        value_max,
        doc: format!("hebei-{report_year}.txt"),
        start: 5,
        end: 7,
        headline: status == TARGET,
        ..crate::output::panel::example(status, value)
    }
}

/// The met of a target (with its qualifier) and an outcome of `id`.
fn met(id: &str, target: &str, qualifier: &'static str, outcome: &str) -> Option<bool> {
    let mut t = cell(id, 2015, TARGET, target);
    t.qualifier = qualifier;
    let (rows, _) = scorecard(&[t, cell(id, 2016, ACTUAL, outcome)], &[id.to_string()]);
    rows[0].met()
}

#[test]
fn the_met_rule() {
    assert_eq!(
        met("gdp", "7", "approx", "6.9"),
        Some(false),
        "左右 is no slack"
    );
    assert_eq!(met("gdp", "7", "", "7"), Some(true));
    assert_eq!(
        met("gdp", "6.5~7", "", "6.7"),
        Some(true),
        "a range: its lower end"
    );
    assert_eq!(met("gdp", "6.5~7", "", "6.4"), Some(false));
    assert_eq!(met("cpi", "3", "approx", "3.1"), Some(false), "a ceiling");
    assert_eq!(met("cpi", "3", "approx", "2"), Some(true));
    assert_eq!(
        met("unemployment_rate", "4.5", "less_than", "4.5"),
        Some(true)
    );
    assert_eq!(
        met("general_budget_revenue", "8", "less_than", "9"),
        Some(false),
        "以内"
    );
    assert_eq!(
        met("energy_intensity", "-3", "", "-3.5"),
        Some(true),
        "a decrease"
    );
    assert_eq!(met("energy_intensity", "-3", "", "-2"), Some(false));
}

#[test]
fn estimates_are_kept_apart_and_sources_named() {
    let cells = [
        cell("gdp", 2015, TARGET, "7"),
        cell("gdp", 2016, ESTIMATE, "7.5"),
        cell("cpi", 2015, ACTUAL, "1.5"),
    ];
    let (rows, _) = scorecard(&cells, &[]);
    let gdp = rows.iter().find(|r| r.indicator_id == "gdp").unwrap();
    assert_eq!(gdp.outcome, None, "a 预计 figure is never an outcome");
    assert_eq!(gdp.met(), None);
    assert_eq!(
        gdp.estimate.as_ref().map(|e| e.doc.as_str()),
        Some("hebei-2016.txt")
    );
    let cpi = rows.iter().find(|r| r.indicator_id == "cpi").unwrap();
    assert_eq!(cpi.outcome.as_ref().map(|o| o.1), Some(BULLETIN));
    // The 2015 report has a targets paragraph without cpi or budget revenue.
    assert_eq!(cpi.target_stated, "no");
    let unstated: Vec<&str> = rows
        .iter()
        .filter(|r| r.target_stated == "no")
        .map(|r| r.indicator_id.as_str())
        .collect();
    assert_eq!(unstated, ["cpi", "general_budget_revenue"]);
    let gap = |t, o| {
        let (rows, _) = scorecard(
            &[cell("gdp", 2015, TARGET, t), cell("gdp", 2016, ACTUAL, o)],
            &["gdp".into()],
        );
        rows[0]
            .gap()
            .map(|g| crate::text::numeral::format_value(&g))
    };
    assert_eq!(gap("6.5~7", "6.9"), Some("0.4".to_string()));
}

#[test]
fn a_decrease_indicator_reads_in_reductions_in_every_year() {
    let cells = [
        cell("energy_intensity", 2015, TARGET, "-3"),
        cell("energy_intensity", 2016, ACTUAL, "-3.5"),
        // 2016: no target, an outcome 下降4%.
        Cell {
            refers_to: "2016".into(),
            ..cell("energy_intensity", 2017, ACTUAL, "-4")
        },
    ];
    let (rows, _) = scorecard(&cells, &[]);
    let values: Vec<(i32, String, bool)> = rows
        .iter()
        .filter(|r| r.indicator_id == "energy_intensity")
        .map(|r| {
            let o = r.outcome.as_ref().map(|(c, _)| c.value).unwrap();
            (r.year, crate::text::numeral::format_value(&o), r.decrease)
        })
        .collect();
    assert_eq!(
        values,
        [(2015, "3.5".into(), true), (2016, "4".into(), true)],
        "the year without a target is in reductions too"
    );
    // Another indicator with an increase target: its rows keep their signs.
    let (rows, _) = scorecard(
        &[
            cell("gdp", 2015, TARGET, "7"),
            cell("gdp", 2017, ACTUAL, "-1"),
        ],
        &["gdp".into()],
    );
    assert!(rows.iter().all(|r| !r.decrease));
}
