//! `shuliang panel` scored against the hand-read panel gold of
//! `tests/gold/panel/` (see its README), the way `panel_score.py` scores:
//! a predicted cell matches a gold cell of the same document, indicator,
//! year and status with the same value and upper end. The floors are what
//! the rules reach today; a change that lowers them fails here.

use std::collections::HashSet;

use crate::common::{num, path, run_ok, same};

#[test]
fn panel_against_hand_read_gold() {
    let (recall, precision, qualifier_ok, matched) = score("tests/gold/panel/panel.tsv");
    assert!(recall >= 0.99, "recall {recall:.3}");
    assert!(precision >= 0.99, "precision {precision:.3}");
    assert_eq!(
        qualifier_ok, matched,
        "every matched cell's qualifier is right"
    );
}

/// The blind sets of `tests/gold/panel-blind/` (see its README): read by
/// hand by annotators who never ran the tool, scored once at first sight,
/// then kept here as floors.
#[test]
fn panel_against_blind_gold() {
    for (set, floor) in [("A", 0.87), ("C", 0.96)] {
        let (recall, precision, _, _) = score(&format!("tests/gold/panel-blind/{set}.tsv"));
        assert!(recall >= floor, "set {set}: recall {recall:.3}");
        assert!(precision >= 0.98, "set {set}: precision {precision:.3}");
    }
}

/// Recall, precision, right qualifiers and matched cells of `shuliang
/// panel corpus/` against a gold file, as `panel_score.py` scores.
fn score(gold_file: &str) -> (f64, f64, usize, usize) {
    let out = run_ok(&["panel", "-q", path("corpus").to_str().unwrap()]);
    let mut gold_rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path(gold_file))
        .unwrap();
    let gold: Vec<csv::StringRecord> = gold_rd.records().map(Result::unwrap).collect();
    let docs: HashSet<&str> = gold.iter().map(|g| &g[0]).collect();
    let ids: HashSet<&str> = gold.iter().map(|g| &g[3]).collect();
    let mut rd = csv::Reader::from_reader(&out[..]);
    let h = rd.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (doc, id, refers, status, value, max, qual) = (
        col("doc"),
        col("indicator_id"),
        col("refers_to"),
        col("status"),
        col("value"),
        col("value_max"),
        col("qualifier"),
    );
    let judgement = |g: &csv::StringRecord| g[11].contains("JUDGEMENT");
    let (mut used, mut matched, mut false_pos, mut qualifier_ok) = (HashSet::new(), 0, 0, 0);
    for r in rd.records().map(Result::unwrap) {
        let annual = r[refers].len() == 4 && r[refers].bytes().all(|b| b.is_ascii_digit());
        if !docs.contains(&r[doc])
            || !ids.contains(&r[id])
            || !annual
            || r[status].is_empty()
            || &r[status] == "plan"
        {
            continue;
        }
        let (v, m) = (num(&r[value]), num(&r[max]));
        let hit = gold.iter().enumerate().position(|(i, g)| {
            !used.contains(&i)
                && (&g[0], &g[3], &g[4], &g[5]) == (&r[doc], &r[id], &r[refers], &r[status])
                && same(num(&g[6]), v)
                && same(num(&g[7]), m)
        });
        match hit {
            Some(i) => {
                used.insert(i);
                matched += 1;
                qualifier_ok += usize::from(gold[i][8].trim() == &r[qual]);
            }
            None => {
                let lenient = gold.iter().any(|g| {
                    judgement(g) && g[0] == r[doc] && g[3] == r[id] && same(num(&g[6]), v)
                });
                false_pos += usize::from(!lenient);
            }
        }
    }
    let required = gold
        .iter()
        .enumerate()
        .filter(|(i, g)| used.contains(i) || !judgement(g))
        .count();
    let recall = matched as f64 / required as f64;
    let precision = matched as f64 / (matched + false_pos).max(1) as f64;
    println!(
        "{gold_file}: {matched} of {required} gold cells right (recall {recall:.3}), \
         {false_pos} false cells (precision {precision:.3}), qualifier {qualifier_ok}/{matched}"
    );
    (recall, precision, qualifier_ok, matched)
}
