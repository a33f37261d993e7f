//! Scores the extractor against every hand-annotated gold file in
//! `tests/gold/*/` the way `qxeval.py score` does: a predicted row
//! matches a required gold row of the same document when their spans
//! overlap and value, value_max and unit agree; rows overlapping optional
//! gold rows do not count. Every file must reach F1 ≥ 0.95, and every row's
//! offsets must point at its text. A gold file's `doc` is the document's
//! path under `corpus/`, as `shuliang extract corpus/` names it.

use std::collections::BTreeMap;
use std::path::Path;

use shuliang::text::normalize::squeeze;
use shuliang::text::numeral::format_value;
use shuliang::Quantity;

use crate::common::{extractor, num, path, same};

#[derive(Debug)]
struct Gold {
    start: usize,
    end: usize,
    text: String,
    value: String,
    value_max: String,
    unit: String,
    required: bool,
}

fn agrees(g: &Gold, q: &Quantity) -> bool {
    let max = q.value_max.as_ref().map(format_value);
    same(num(&g.value), num(&format_value(&q.value)))
        && same(num(&g.value_max), max.as_deref().and_then(num))
        && g.unit == *q.unit
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn load_gold(path: &Path) -> BTreeMap<String, Vec<Gold>> {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path)
        .expect("gold file");
    let quantity_gold = rd.headers().expect("header").iter().eq([
        "doc",
        "start",
        "end",
        "text",
        "value",
        "value_max",
        "unit",
        "kind",
        "qualifier",
        "status",
    ]);
    if !quantity_gold {
        return BTreeMap::new(); // indicators/ and panel/ have their own columns and tests
    }
    let mut by_doc: BTreeMap<String, Vec<Gold>> = BTreeMap::new();
    for rec in rd.records() {
        let r = rec.expect("gold row");
        by_doc.entry(r[0].to_string()).or_default().push(Gold {
            start: r[1].parse().expect("start"),
            end: r[2].parse().expect("end"),
            text: r[3].to_string(),
            value: r[4].to_string(),
            value_max: r[5].to_string(),
            unit: r[6].to_string(),
            required: &r[9] != "optional",
        });
    }
    by_doc
}

struct Score {
    tp: usize,
    fp: Vec<String>,
    missed: Vec<String>,
    required: usize,
}

fn score(gold: &[Gold], pred: &[Quantity]) -> Score {
    let mut used = vec![false; pred.len()];
    let mut s = Score {
        tp: 0,
        fp: vec![],
        missed: vec![],
        required: 0,
    };
    for g in gold.iter().filter(|g| g.required) {
        s.required += 1;
        let hit = pred.iter().enumerate().find(|(i, q)| {
            !used[*i] && overlaps((g.start, g.end), (q.start, q.end)) && agrees(g, q)
        });
        match hit {
            Some((i, _)) => {
                used[i] = true;
                s.tp += 1;
            }
            None => s.missed.push(format!(
                "{}:{} {} = {} {}",
                g.start, g.end, g.text, g.value, g.unit
            )),
        }
    }
    for (i, q) in pred.iter().enumerate() {
        let optional = gold
            .iter()
            .any(|g| !g.required && overlaps((g.start, g.end), (q.start, q.end)));
        if !used[i] && !optional {
            s.fp.push(format!("{}:{} {}", q.start, q.end, q.summary()));
        }
    }
    s
}

#[test]
fn gold_files_score_at_least_0_95() {
    let ex = extractor();
    let root = path("tests/gold");
    let corpus = path("corpus");
    let mut files = 0;
    let mut failures = Vec::new();
    for set in std::fs::read_dir(&root).expect("tests/gold") {
        let set = set.expect("entry").path();
        for entry in std::fs::read_dir(&set).expect("gold set") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "tsv") {
                continue;
            }
            for (doc, gold) in load_gold(&path) {
                files += 1;
                let bytes = std::fs::read(corpus.join(&doc)).expect("gold document in corpus/");
                let (text, _) = shuliang::read::decode(&bytes).expect("decodable");
                let chars: Vec<char> = text.chars().collect();
                let pred = ex.extract(&text);
                for q in &pred {
                    let span: String = chars[q.start..q.end].iter().collect();
                    assert_eq!(
                        squeeze(&span),
                        q.text,
                        "{doc}: offsets {}..{} do not hold the text",
                        q.start,
                        q.end
                    );
                }
                let s = score(&gold, &pred);
                let p = s.tp as f64 / (s.tp + s.fp.len()).max(1) as f64;
                let r = s.tp as f64 / s.required.max(1) as f64;
                let f1 = if p + r > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                };
                println!(
                    "{doc}: required={} tp={} fp={} missed={} f1={f1:.4}",
                    s.required,
                    s.tp,
                    s.fp.len(),
                    s.missed.len()
                );
                for m in &s.missed {
                    println!("  MISS {m}");
                }
                for f in &s.fp {
                    println!("  FALSE {f}");
                }
                if f1 < 0.95 {
                    failures.push(format!("{doc}: F1 {f1:.4} < 0.95"));
                }
            }
        }
    }
    assert!(
        files >= 7,
        "expected the gold files in tests/gold, found {files}"
    );
    assert!(failures.is_empty(), "{failures:#?}");
}
