//! Years in Chinese numerals read as Arabic ones: each work report of
//! `corpus/` copied with every year `2020年` written `二〇二〇年` (as many
//! code points, so every offset stays) gives the panel of the original,
//! but for `context`, which quotes the text as written. A year read in one
//! writing and not the other (a report's year, a heading's, a paragraph's
//! opening, a span `二〇二一—二〇二五年`) shows as a cell lost or moved.

use std::collections::BTreeSet;

use regex::Regex;

use crate::common::{path, run_ok};

/// `text` with its years `1950年` to `2039年` in Chinese numerals, where no
/// digit or decimal point comes before them.
fn chinese_years(text: &str) -> String {
    let year = Regex::new("(19[5-9][0-9]|20[0-3][0-9])年").unwrap();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for m in year.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '．') {
            continue;
        }
        out.push_str(&text[copied..m.start()]);
        out.extend(m.as_str().chars().map(|c| match c.to_digit(10) {
            Some(d) => "〇一二三四五六七八九".chars().nth(d as usize).unwrap(),
            None => c,
        }));
        copied = m.end();
    }
    out.push_str(&text[copied..]);
    out
}

/// The panel of `dir`'s documents, every column but `context`, one line a cell.
fn panel(dir: &std::path::Path) -> BTreeSet<String> {
    let out = run_ok(&["panel", "-q", "--levels", dir.to_str().unwrap()]);
    let mut r = csv::Reader::from_reader(&out[..]);
    let names: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert!(names.iter().any(|n| n == "context"), "{names:?}");
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let cells = names
                .iter()
                .zip(rec.iter())
                .filter(|(n, _)| *n != "context");
            cells.map(|(_, v)| v).collect::<Vec<_>>().join(",")
        })
        .collect()
}

#[test]
fn years_in_chinese_numerals_give_the_panel_of_arabic_ones() {
    let manifest = std::fs::read_to_string(path("corpus/manifest.csv")).unwrap();
    let (arabic, chinese) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut rewritten = 0;
    for rec in crate::common::rows(&manifest) {
        let (doc, doc_type) = (&rec[0], &rec[4]);
        let Ok(text) = std::fs::read_to_string(path(&format!("corpus/{doc}"))) else {
            continue; // not UTF-8 (GBK): its years are rewritten nowhere
        };
        if doc_type != "work_report" || !doc.ends_with(".txt") {
            continue;
        }
        let copy = chinese_years(&text);
        rewritten += usize::from(copy != text);
        for (dir, t) in [(&arabic, &text), (&chinese, &copy)] {
            let to = dir.path().join(doc.replace('/', "_"));
            std::fs::write(to, t).unwrap();
        }
    }
    assert!(rewritten > 300, "{rewritten} reports rewritten");
    let (a, b) = (panel(arabic.path()), panel(chinese.path()));
    assert!(a.len() > 3000, "{} cells", a.len());
    let lost: Vec<_> = a.difference(&b).collect();
    let gained: Vec<_> = b.difference(&a).collect();
    assert!(
        lost.is_empty() && gained.is_empty(),
        "{} cells lost, {} gained with years in Chinese numerals\nlost: {lost:#?}\ngained: {gained:#?}",
        lost.len(),
        gained.len()
    );
}
