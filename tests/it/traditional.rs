//! Reports in traditional characters read as their simplified copies: the
//! same rows (but for the columns that quote the text as written: `text`,
//! `context`, `unit_raw`, `section`; and the `doc`), and the same panel. The traditional copy is made here from a
//! report of `corpus/` with the rule files' own table (rules/traditional.tsv)
//! turned around: each simplified character written as a traditional one
//! that folds to it.

use std::collections::HashMap;

use crate::common::{path, run_ok};

/// `text` in traditional characters, one character for one.
fn traditional(text: &str) -> String {
    let table = std::fs::read_to_string(path("rules/traditional.tsv")).unwrap();
    let mut back: HashMap<char, char> = HashMap::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let mut c = line.chars();
        let (Some(t), Some('\t'), Some(s)) = (c.next(), c.next(), c.next()) else {
            panic!("a pair: {line}");
        };
        back.entry(s).or_insert(t);
    }
    text.chars().map(|c| *back.get(&c).unwrap_or(&c)).collect()
}

/// The CSV `args` write for the two copies (simplified, traditional) of
/// each report, without the columns that quote the text as written.
fn both(args: &[&str], reports: &[&str]) -> [Vec<Vec<String>>; 2] {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for rel in reports {
        let text = std::fs::read_to_string(path(rel)).unwrap();
        let name = rel.rsplit('/').next().unwrap();
        std::fs::write(dirs[0].path().join(name), &text).unwrap();
        let trad = traditional(&text);
        assert_ne!(trad, text, "{rel} has characters to convert");
        std::fs::write(dirs[1].path().join(name), trad).unwrap();
    }
    dirs.map(|d| {
        let mut a = args.to_vec();
        let dir = d.path().to_str().unwrap().to_string();
        a.push(&dir);
        let out = run_ok(&a);
        let mut r = csv::Reader::from_reader(&out[..]);
        let names: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let keep = |n: &str| !["doc", "text", "context", "unit_raw", "section"].contains(&n);
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                names
                    .iter()
                    .zip(rec.iter())
                    .filter(|(n, _)| keep(n))
                    .map(|(_, v)| v.to_string())
                    .collect()
            })
            .collect()
    })
}

const REPORTS: [&str; 2] = [
    "corpus/national/state-council-2024.txt",
    "corpus/weidong-2021.txt",
];

#[test]
fn a_traditional_copy_gives_the_rows_of_the_simplified() {
    let [simplified, traditional] = both(&["extract", "-q"], &REPORTS);
    assert!(simplified.len() > 100, "{} rows", simplified.len());
    for (s, t) in simplified.iter().zip(&traditional) {
        assert_eq!(s, t);
    }
    assert_eq!(simplified.len(), traditional.len());
}

#[test]
fn a_traditional_copy_gives_the_panel_of_the_simplified() {
    let [simplified, traditional] = both(&["panel", "--levels", "-q"], &REPORTS);
    assert!(simplified.len() > 20, "{} cells", simplified.len());
    assert_eq!(simplified, traditional);
}
