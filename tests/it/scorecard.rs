//! `shuliang scorecard`: targets beside their outcomes, end to end.

use crate::common::{rows, run};

/// Runs `shuliang scorecard` on reports written into a temporary folder,
/// returns its CSV rows (as maps of column to cell) and its stderr.
fn scorecard_of(
    reports: &[(&str, &str)],
) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in reports {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = run(&["scorecard", dir.path().to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let header: Vec<String> = csv::Reader::from_reader(&out.stdout[..])
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let table = rows(&out.stdout)
        .iter()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (table, String::from_utf8_lossy(&out.stderr).into_owned())
}

const REPORT_2015: &str = "河北省2015年政府工作报告\n一、2014年工作回顾\n全省生产总值增长6.5%。\n\
    二、2015年工作安排\n今年全省经济社会发展的主要预期目标是：生产总值增长7%左右，\
    居民消费价格涨幅控制在3%左右，城镇新增就业60万人。\n";

#[test]
fn a_target_its_outcome_the_estimate_apart_and_copies_that_disagree() {
    let next = "河北省2016年政府工作报告\n一、2015年工作回顾\n全省生产总值增长6.8%，\
        居民消费价格上涨0.9%。预计城镇新增就业65万人。\n\
        二、2016年工作安排\n今年的主要预期目标是：生产总值增长7%左右，居民消费价格涨幅3%左右。\n";
    let copy = REPORT_2015.replace("增长7%左右", "增长7.5%左右");
    let (table, stderr) = scorecard_of(&[
        ("hebei-2015.txt", REPORT_2015),
        ("hebei-2015-copy.txt", &copy),
        ("hebei-2016.txt", next),
    ]);
    let row = |id: &str, unit: &str, year: &str| {
        table
            .iter()
            .find(|r| (&r["indicator_id"][..], &r["unit"][..], &r["year"][..]) == (id, unit, year))
            .unwrap_or_else(|| panic!("no {id} {unit} {year} in {table:#?}"))
    };
    let gdp = row("gdp", "%", "2015");
    assert_eq!(
        gdp["target_doc"], "hebei-2015-copy.txt",
        "the first document by name"
    );
    assert_eq!(
        (&gdp["target_value"][..], &gdp["target_qualifier"][..]),
        ("7.5", "approx")
    );
    assert_eq!(gdp["conflicts"], "target: hebei-2015.txt:7");
    assert!(
        stderr.contains("hebei-2015-copy.txt:7.5 chosen"),
        "{stderr}"
    );
    assert_eq!(
        (&gdp["outcome_value"][..], &gdp["outcome_source"][..]),
        ("6.8", "next_report")
    );
    assert_eq!((&gdp["gap"][..], &gdp["met"][..]), ("-0.7", "no"));
    let cpi = row("cpi", "%", "2015");
    assert_eq!(
        (&cpi["outcome_value"][..], &cpi["met"][..]),
        ("0.9", "yes"),
        "a ceiling"
    );
    let jobs = row("urban_new_jobs", "人", "2015");
    assert_eq!(jobs["target_value"], "600000");
    assert_eq!(
        (&jobs["estimate_value"][..], &jobs["outcome_value"][..]),
        ("650000", "")
    );
    assert_eq!(jobs["met"], "", "an estimate is no outcome");
    let revenue = row("general_budget_revenue", "%", "2015");
    assert_eq!(revenue["target_stated"], "no");
    assert_eq!(row("gdp", "%", "2016")["outcome_value"], "");
}

/// A row of a scorecard CSV or gold TSV, by column name.
type Record = std::collections::HashMap<String, String>;

fn records(bytes: &[u8], delimiter: u8) -> Vec<Record> {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(|c| c.trim().to_string()))
                .collect()
        })
        .collect()
}

/// How `shuliang scorecard corpus/` does on a gold file of pairs (see
/// `tests/gold/scorecard/README.md`).
struct Score {
    /// Gold pairs.
    pairs: usize,
    /// Of them, right: a row of the same indicator, unit and year naming
    /// the gold's target or outcome document (chosen or in `conflicts`)
    /// with the same target (value, upper end, qualifier), outcome value
    /// and met.
    right: usize,
    /// Pairs whose gold has an estimate and no outcome but the row an outcome.
    estimate_as_outcome: usize,
    /// Documents a gold note names for the pair that the row does not.
    unreported: usize,
}

fn score(gold_file: &str, scorecard: &[Record]) -> Score {
    let gold = records(
        &std::fs::read(crate::common::path(gold_file)).unwrap(),
        b'\t',
    );
    let rules = crate::common::extractor();
    let ids: Vec<&str> = rules
        .rules()
        .indicators()
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    // Pairs of an indicator the rule file has no id for (m2, 棚户区改造…) are out of scope.
    let gold: Vec<Record> = gold
        .into_iter()
        .filter(|g| ids.contains(&g["indicator_id"].as_str()))
        .collect();
    let mut s = Score {
        pairs: gold.len(),
        right: 0,
        estimate_as_outcome: 0,
        unreported: 0,
    };
    let doc_re = regex::Regex::new(r"[A-Za-z0-9_./-]+\.(?:txt|docx|html|pdf)").unwrap();
    for g in &gold {
        let names = |r: &Record, doc: &str| {
            !doc.is_empty()
                && (r["target_doc"] == doc
                    || r["outcome_doc"] == doc
                    || r["conflicts"].contains(doc))
        };
        let row = scorecard.iter().find(|r| {
            (&r["indicator_id"], &r["unit"], &r["year"])
                == (&g["indicator_id"], &g["unit"], &g["year"])
                && (names(r, &g["target_doc"]) || names(r, &g["outcome_doc"]))
        });
        let Some(r) = row else {
            println!(
                "{gold_file}: no row for {:?}",
                (&g["region"], &g["indicator_id"], &g["unit"], &g["year"])
            );
            continue;
        };
        let same =
            |a: &str, b: &str| crate::common::same(crate::common::num(a), crate::common::num(b));
        let ok = same(&g["target_value"], &r["target_value"])
            && same(&g["target_value_max"], &r["target_value_max"])
            && g["target_qualifier"] == r["target_qualifier"]
            && same(&g["outcome_value"], &r["outcome_value"])
            && g["met"] == r["met"];
        s.right += usize::from(ok);
        if !ok {
            println!(
                "{gold_file}: wrong {:?}: gold {:?}, got {:?}",
                (&g["region"], &g["indicator_id"], &g["unit"], &g["year"]),
                (
                    &g["target_value"],
                    &g["target_value_max"],
                    &g["target_qualifier"],
                    &g["outcome_value"],
                    &g["met"]
                ),
                (
                    &r["target_value"],
                    &r["target_value_max"],
                    &r["target_qualifier"],
                    &r["outcome_value"],
                    &r["met"]
                ),
            );
        }
        let estimate_only = g["outcome_value"].is_empty() && !g["estimate_value"].is_empty();
        s.estimate_as_outcome += usize::from(estimate_only && !r["outcome_value"].is_empty());
        for m in doc_re.find_iter(&g["notes"]) {
            if !names(r, m.as_str()) {
                println!(
                    "{gold_file}: {} not reported for {:?}",
                    m.as_str(),
                    (&g["indicator_id"], &g["year"])
                );
                s.unreported += 1;
            }
        }
    }
    s
}

/// The blind scorecard gold of `tests/gold/scorecard/` (see its README):
/// pairs read by hand by two annotators who never ran the tool, held as
/// floors.
#[test]
fn scorecard_against_blind_gold() {
    let out = crate::common::run_ok(&[
        "scorecard",
        "-q",
        crate::common::path("corpus").to_str().unwrap(),
    ]);
    let card = records(&out, b',');
    // (set, floor of pairs right), and over both: at least 97% right, no
    // estimate paired as an outcome, every duplicate source reported.
    let (mut right, mut pairs) = (0, 0);
    for (set, floor) in [("national", 0.94), ("local", 0.98)] {
        let s = score(&format!("tests/gold/scorecard/pairs-{set}.tsv"), &card);
        let share = s.right as f64 / s.pairs as f64;
        println!("{set}: {} of {} pairs right ({share:.3}); estimates as outcomes {}; duplicates not reported {}", s.right, s.pairs, s.estimate_as_outcome, s.unreported);
        assert!(share >= floor, "{set}: {share:.3}");
        (right, pairs) = (right + s.right, pairs + s.pairs);
        assert_eq!(
            s.estimate_as_outcome, 0,
            "{set}: an estimate paired as an outcome"
        );
        assert_eq!(s.unreported, 0, "{set}: a duplicate source not reported");
    }
    let share = right as f64 / pairs as f64;
    assert!(share >= 0.97, "both: {right} of {pairs} ({share:.3})");
}

/// `居民消费价格与上年基本持平` is a result in words: a 0 in the scorecard
/// (no `extract` row: no number is written); a goal in words (`与上年持平` in the targets
/// paragraph) is no target.
#[test]
fn a_result_in_words_is_a_zero_and_a_goal_in_words_no_target() {
    let next = "河北省2016年政府工作报告\n一、2015年工作回顾\n全省生产总值增长6.8%，\
        居民消费价格与上年基本持平，城镇调查失业率保持平稳。\n二、2016年工作安排\n\
        今年的主要预期目标是：生产总值增长7%左右，一般公共预算收入与上年持平。\n";
    let (table, _) = scorecard_of(&[("hebei-2015.txt", REPORT_2015), ("hebei-2016.txt", next)]);
    let row = |id: &str, year: &str| {
        table
            .iter()
            .find(|r| (&r["indicator_id"][..], &r["unit"][..], &r["year"][..]) == (id, "%", year))
            .unwrap_or_else(|| panic!("no {id} {year} in {table:#?}"))
    };
    let cpi = row("cpi", "2015");
    assert_eq!((&cpi["outcome_value"][..], &cpi["met"][..]), ("0", "yes"));
    assert_eq!(cpi["outcome_start"], "46", "at the words");
    assert_eq!(row("general_budget_revenue", "2016")["target_value"], "");
}
