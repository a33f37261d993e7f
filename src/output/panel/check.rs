//! `panel --check`: what a researcher should know of each report read.

use crate::extract::Quantity;
use crate::meaning::status::{ACTUAL, ESTIMATE, PLAN, TARGET};
use crate::output::{Doc, Sheet};

/// The nine headline indicators `panel --check` reports on, one column each.
pub const HEADLINE: [&str; 9] = [
    "gdp",
    "general_budget_revenue",
    "fixed_asset_investment",
    "retail_sales",
    "disposable_income",
    "urban_income",
    "rural_income",
    "cpi",
    "unemployment_rate",
];

/// What `panel --check` says of one report: its year and where it was
/// read, the stretches of text read as review, targets and plan, and which
/// headline cells were found, so that a researcher sees which reports to
/// read by hand.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Check {
    /// The document id.
    pub doc: String,
    /// The report's region, as in the panel.
    pub region: String,
    /// The report's year, empty when nothing gave one.
    pub report_year: String,
    /// Where the year was read (`title`, `review_heading`, `plan_heading`,
    /// `closing_date`, `header`, `manifest`, `file_name`).
    pub year_from: &'static str,
    /// Other sources that gave another year (`header 2018`).
    pub year_others: String,
    /// Code-point spans (first and last figure) and row counts of the
    /// figures read as results (actual or estimate), targets and plans.
    pub stretches: [Option<(usize, usize, usize)>; 3],
    /// A statistical bulletin (its rows are the bulletin year's results).
    pub bulletin: bool,
    /// For each of [`HEADLINE`]: the statuses found (`target`, `estimate`, `actual`).
    pub found: [Vec<&'static str>; 9],
}

/// The `panel --check` columns before the nine headline indicators.
const CHECK_COLUMNS: &[&str] = &[
    "doc",
    "region",
    "report_year",
    "year_from",
    "year_others",
    "review",
    "targets",
    "plan",
];

impl Check {
    pub(super) fn of(doc: &Doc<'_>) -> Check {
        Check {
            doc: doc.id.to_string(),
            region: doc.meta.region.clone(),
            report_year: doc.meta.year.clone(),
            year_from: doc.meta.year_from.as_str(),
            year_others: doc.meta.year_others.clone(),
            ..Check::default()
        }
    }

    /// Takes a row's status into the stretches.
    pub(super) fn add(&mut self, q: &Quantity) {
        self.bulletin |= q.part_year.is_some();
        let slot = match q.status {
            Some(ACTUAL | ESTIMATE) => 0,
            Some(TARGET) => 1,
            Some(PLAN) => 2,
            _ => return,
        };
        let s = &mut self.stretches[slot];
        *s = Some(match *s {
            None => (q.start, q.end, 1),
            Some((a, b, n)) => (a.min(q.start), b.max(q.end), n + 1),
        });
    }

    /// What a researcher should be told on stderr about this report.
    pub fn warning(&self) -> Option<String> {
        let [review, targets, _] = self.stretches;
        let why = if self.report_year.is_empty() {
            "no report year found (title, date line, review heading, file name): its figures have no period"
        } else if targets.is_some() && review.is_none() && !self.bulletin {
            "targets were read but no review of the year before"
        } else if review.is_some() && targets.is_none() && !self.bulletin {
            "a review was read but no targets for the year"
        } else {
            return None;
        };
        Some(format!("{}: {why}", self.doc))
    }

    fn fields(&self) -> Vec<String> {
        let span = |s: Option<(usize, usize, usize)>| {
            s.map_or(String::new(), |(a, b, n)| format!("{a}-{b} ({n} rows)"))
        };
        let mut f = vec![
            self.doc.clone(),
            self.region.clone(),
            self.report_year.clone(),
            self.year_from.to_string(),
            self.year_others.clone(),
            span(self.stretches[0]),
            span(self.stretches[1]),
            span(self.stretches[2]),
        ];
        f.extend(self.found.iter().map(|s| s.join(" ")));
        f
    }
}

/// Writes `panel --check`: one row per report.
/// `excel`: for Excel ([`Sheet`]).
pub fn write_checks(checks: &[Check], excel: bool, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = Sheet::new(out, excel);
    w.row(CHECK_COLUMNS.iter().chain(&HEADLINE))?;
    for c in checks {
        w.row(c.fields())?;
    }
    w.flush()?;
    Ok(())
}
