//! Everyday (non-report) Chinese quantity phrases, `tests/data/everyday.tsv`:
//! phrases from Recognizers-Text's Chinese NumberWithUnit specs, JioNLP's
//! money parser tests and cn2an's transform tests, and phrases written for
//! issue 18, each with the rows docs/csv.md gives it. Report prose is the product's
//! field; this set keeps the forms of speech, prices and measures honest.
//! The floor is 96% of phrases exactly right (every row, nothing more).

use shuliang::{Extractor, RuleSet};

/// `VALUE[~MAX] UNIT [QUALIFIER] KIND`, as the data file writes a row.
fn row(q: &shuliang::Quantity) -> String {
    let mut s = q.value_str();
    if q.value_max.is_some() {
        s = format!("{s}~{}", q.value_max_str());
    }
    [&*q.unit, q.qualifier.unwrap_or(""), &*q.kind]
        .iter()
        .filter(|p| !p.is_empty())
        .fold(s, |acc, p| format!("{acc} {p}"))
}

#[test]
fn everyday_phrases_are_at_least_ninety_six_percent_right() {
    let ex = Extractor::new(RuleSet::default_rules().unwrap());
    let data = include_str!("../data/everyday.tsv");
    let (mut right, mut total, mut wrong) = (0usize, 0usize, Vec::new());
    for line in data.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let mut cols = line.split('\t');
        let (_source, text, want) = (cols.next(), cols.next().unwrap(), cols.next().unwrap_or(""));
        let want: Vec<&str> = want.split(" | ").filter(|w| !w.is_empty()).collect();
        let got: Vec<String> = ex.extract(text).iter().map(row).collect();
        total += 1;
        if got == want {
            right += 1;
        } else {
            wrong.push(format!("{text}: want {want:?} got {got:?}"));
        }
    }
    let share = right as f64 / total as f64;
    eprintln!("everyday: {right}/{total} right ({:.1}%)", share * 100.0);
    for w in &wrong {
        eprintln!("  {w}");
    }
    assert!(total >= 300, "only {total} phrases");
    assert!(share >= 0.96, "{right}/{total} right, below the 96% floor");
}
