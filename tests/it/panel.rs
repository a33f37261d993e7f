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
/// then kept here as floors. A set's level cells (`I-levels.tsv`: the
/// gold's levels in the panel's unit) are scored against `panel --levels`;
/// the documents its annotators found no headline cell in (`J-none.tsv`,
/// their `NO_CELLS` lines) must get none.
#[test]
fn panel_against_blind_gold() {
    for (set, floor) in [
        ("A", 0.98),
        ("C", 0.96),
        ("D", 0.98),
        ("E", 0.98),
        ("F", 0.98),
        ("G", 0.98),
        ("H", 0.98),
        ("I", 0.98),
        ("J", 0.98),
        // Held out while J was fixed: first sight 0.931 (b172e15 and after J);
        // 0.962 after the year's-work heading `工作任务`, 0.978 after the
        // levels of a five-year review (see its README).
        ("K", 0.97),
        // First sight 0.943 (fa275a3, see its README); 0.984 after the
        // targets paragraph read by its place after the year's requirements.
        ("L", 0.98),
        // Held out while L was fixed: first sight 0.953 (e25cfa1), 0.963
        // with cfe18d3; 1.000 after a review's heading found in a copy
        // with no line breaks (see its README).
        ("M", 0.99),
        // First sight 0.992 (cfe18d3), 1.000 after; ten of its sixteen
        // documents had been read before (see its README).
        ("N", 0.99),
        // Held out while M and N were fixed, from documents no earlier gold
        // named: first sight 0.981 (cfe18d3), precision 0.987 (see its README).
        ("O", 0.98),
        // Held out while O was fixed, from documents no earlier gold named:
        // first sight 0.988 (b24be5d), precision 0.994 (see its README).
        ("P", 0.98),
        // Held out while P was fixed, the corpus's last unread city reports:
        // first sight 0.990 (1f353c3), precision 1.000 (see its README).
        ("Q", 0.98),
    ] {
        let (recall, precision, _, _) = score(&format!("tests/gold/panel-blind/{set}.tsv"));
        assert!(recall >= floor, "set {set}: recall {recall:.3}");
        assert!(precision >= 0.98, "set {set}: precision {precision:.3}");
        let none = format!("tests/gold/panel-blind/{set}-none.tsv");
        if path(&none).exists() {
            no_cells(&none);
        }
    }
}

/// The documents of `none_file` (a set's `NO_CELLS` lines) get no annual
/// cell, rate or level, of an id any blind set's gold has, in `shuliang
/// panel --levels corpus/`.
fn no_cells(none_file: &str) {
    let docs: HashSet<String> = read_gold(none_file)
        .iter()
        .map(|g| g[0].to_string())
        .collect();
    let ids: HashSet<String> = std::fs::read_dir(path("tests/gold/panel-blind"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|x| x == "tsv"))
        .flat_map(|f| read_gold(f.to_str().unwrap()))
        .map(|g| g[3].to_string())
        .filter(|id| !id.is_empty())
        .collect();
    let corpus = path("corpus");
    let out = run_ok(&["panel", "-q", "--levels", corpus.to_str().unwrap()]);
    for [doc, id, refers, status] in columns(&out, ["doc", "indicator_id", "refers_to", "status"]) {
        let annual = refers.len() == 4 && refers.bytes().all(|b| b.is_ascii_digit());
        assert!(
            !(docs.contains(&doc)
                && ids.contains(&id)
                && annual
                && !matches!(&*status, "" | "plan")),
            "{none_file}: {doc} has no headline cell, but the panel gives {id} {refers} {status}"
        );
    }
}

/// The columns `cols` of each row of a panel's CSV `out`.
fn columns<const N: usize>(out: &[u8], cols: [&str; N]) -> Vec<[String; N]> {
    let mut rd = csv::Reader::from_reader(out);
    let h = rd.headers().unwrap().clone();
    let at = cols.map(|name| h.iter().position(|c| c == name).unwrap());
    rd.records()
        .map(Result::unwrap)
        .map(|r| at.map(|i| r[i].to_string()))
        .collect()
}

/// Recall, precision, right qualifiers and matched cells of `shuliang
/// panel corpus/` against a gold file, as `panel_score.py` scores; its
/// level cells, where a `-levels.tsv` beside it gives them in the panel's
/// unit, against `panel --levels`.
fn score(gold_file: &str) -> (f64, f64, usize, usize) {
    let gold = read_gold(gold_file);
    let levels_file = gold_file.replace(".tsv", "-levels.tsv");
    let levels = if path(&levels_file).exists() {
        read_gold(&levels_file)
    } else {
        Vec::new()
    };
    // A level cell is the gold's cell of the same document, indicator, year, status and offset.
    let where_ = |g: &csv::StringRecord| {
        (
            g[0].to_string(),
            g[3].to_string(),
            g[4].to_string(),
            g[5].to_string(),
            g[9].to_string(),
        )
    };
    let level_keys: HashSet<_> = levels.iter().map(where_).collect();
    let rates: Vec<_> = gold
        .into_iter()
        .filter(|g| !level_keys.contains(&where_(g)))
        .collect();
    let corpus = path("corpus");
    let mut t = tally(
        &rates,
        &run_ok(&["panel", "-q", corpus.to_str().unwrap()]),
        |_| true,
    );
    if !levels.is_empty() {
        let cells: HashSet<_> = levels
            .iter()
            .map(|g| {
                (
                    g[0].to_string(),
                    g[3].to_string(),
                    g[4].to_string(),
                    g[5].to_string(),
                )
            })
            .collect();
        let out = run_ok(&["panel", "-q", "--levels", corpus.to_str().unwrap()]);
        let l = tally(&levels, &out, |[doc, id, year, status, unit]| {
            !matches!(unit, "%" | "pp")
                && cells.contains(&(doc.into(), id.into(), year.into(), status.into()))
        });
        t = Tally(t.0 + l.0, t.1 + l.1, t.2 + l.2, t.3 + l.3);
    }
    let Tally(matched, required, false_pos, qualifier_ok) = t;
    let recall = matched as f64 / required as f64;
    let precision = matched as f64 / (matched + false_pos).max(1) as f64;
    println!(
        "{gold_file}: {matched} of {required} gold cells right (recall {recall:.3}), \
         {false_pos} false cells (precision {precision:.3}), qualifier {qualifier_ok}/{matched}"
    );
    (recall, precision, qualifier_ok, matched)
}

/// The rows of a gold file.
fn read_gold(gold_file: &str) -> Vec<csv::StringRecord> {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path(gold_file))
        .unwrap();
    rd.records().map(Result::unwrap).collect()
}

/// Matched cells, gold cells that count, false cells and right qualifiers.
struct Tally(usize, usize, usize, usize);

/// A panel's cells (`out`) that `keep` keeps (by document, indicator,
/// year, status and unit) against `gold`.
fn tally(gold: &[csv::StringRecord], out: &[u8], keep: impl Fn([&str; 5]) -> bool) -> Tally {
    let docs: HashSet<&str> = gold.iter().map(|g| &g[0]).collect();
    let ids: HashSet<&str> = gold.iter().map(|g| &g[3]).collect();
    let mut rd = csv::Reader::from_reader(out);
    let h = rd.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (doc, id, refers, status, value, max, qual, unit) = (
        col("doc"),
        col("indicator_id"),
        col("refers_to"),
        col("status"),
        col("value"),
        col("value_max"),
        col("qualifier"),
        col("unit"),
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
            || !keep([&r[doc], &r[id], &r[refers], &r[status], &r[unit]])
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
    Tally(matched, required, false_pos, qualifier_ok)
}

/// The panel cells of `text`, as (indicator_id, refers_to, status, value).
fn cells_of(text: &str) -> Vec<(String, String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    std::fs::write(&path, text).unwrap();
    let out = run_ok(&["panel", "-q", path.to_str().unwrap()]);
    columns(&out, ["indicator_id", "refers_to", "status", "value"])
        .into_iter()
        .map(|[id, refers, status, value]| (id, refers, status, value))
        .collect()
}

/// Which indicator a headline figure is (issue 23, classes 4, 5 and 8): a
/// rank, record or comparability note between a name and its growth rate
/// names nothing; a county's 县域生产总值 is its GDP, 国民生产总值 is GNP;
/// a sub-level's figure (市级) and a plan's fulfilment are no headline.
#[test]
fn remarks_variants_and_sub_levels_in_the_panel() {
    let cells = cells_of(
        "2010年政府工作报告\n\
         一、2009年工作回顾\n\
         全县地区生产总值完成50亿元，居全市第3位，位次实现新突破，同比增长12%。\
         财政总收入完成1.95亿元，可比增长17.1%，其中地方一般预算收人1.06亿元，可比增长13%。\
         市级一般公共预算收入完成0.5亿元，增长30%。工业生产总值计划完成102.6%。\
         城乡居民可支配收入分别增长9%、10%。\n\
         二、2010年工作安排\n\
         今年经济社会发展的主要预期目标是：县域生产总值增长10%，\
         居民消费价格总水平涨幅在3%左右，国民生产总值增长8%。\n",
    );
    let cell = |id: &str, year: &str, status: &str, value: &str| {
        (
            id.to_string(),
            year.to_string(),
            status.to_string(),
            value.to_string(),
        )
    };
    for want in [
        cell("gdp", "2009", "actual", "12"),
        cell("fiscal_revenue", "2009", "actual", "17.1"),
        cell("general_budget_revenue", "2009", "actual", "13"),
        cell("urban_income", "2009", "actual", "9"),
        cell("rural_income", "2009", "actual", "10"),
        cell("gdp", "2010", "target", "10"),
        cell("cpi", "2010", "target", "3"),
        cell("gnp", "2010", "target", "8"),
    ] {
        assert!(cells.contains(&want), "{want:?} not in {cells:?}");
    }
    // Not the sub-level's 30%, not the plan's 102.6%, and GNP is never GDP.
    assert!(
        !cells
            .iter()
            .any(|c| c.3 == "30" || c.3 == "102.6" || (c.0 == "gdp" && c.3 == "8")),
        "{cells:?}"
    );
}
