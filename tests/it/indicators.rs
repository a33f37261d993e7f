//! Indicator, change and status, scored against hand-annotated rows of 12
//! real reports (`tests/gold/indicators/`, see its README; the reports
//! are in `corpus/`). The floors are what the rules reach today: a rule
//! change that lowers them fails here.

use std::collections::HashMap;

use crate::common::{extractor, path};

#[test]
fn indicator_change_and_status_accuracy() {
    let corpus = path("corpus");
    let ex = extractor();
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path("tests/gold/indicators/indicators.tsv"))
        .unwrap();
    let mut rows: HashMap<String, Vec<shuliang::Quantity>> = HashMap::new();
    let (mut n, mut indicator, mut contained, mut change, mut status) = (0, 0, 0, 0, 0);
    for rec in rd.records() {
        let g = rec.unwrap();
        let doc = g[0].to_string();
        let got = rows.entry(doc.clone()).or_insert_with(|| {
            let bytes = std::fs::read(corpus.join(&doc)).unwrap();
            ex.extract(&shuliang::read::decode_owned(bytes).unwrap())
        });
        let (s, e): (usize, usize) = (g[1].parse().unwrap(), g[2].parse().unwrap());
        let Some(q) = got.iter().find(|q| q.start == s && q.end == e) else {
            continue;
        };
        n += 1;
        let ind = q.indicator.replace('(', "（").replace(')', "）");
        indicator += usize::from(ind == g[6]);
        // `SHULIANG_MISSES=1` prints every miss: gold, got, and the row's context.
        if ind != g[6] && std::env::var_os("SHULIANG_MISSES").is_some() {
            println!(
                "{doc}:{s}\t{}\tgold={}\tgot={ind}\t{}",
                &g[3], &g[6], q.context
            );
        }
        contained += usize::from(
            ind == g[6]
                || (!ind.is_empty()
                    && !g[6].is_empty()
                    && (ind.contains(&g[6]) || g[6].contains(&ind))),
        );
        change += usize::from(q.change.unwrap_or("") == &g[7]);
        // The gold knows two statuses: a plan is a kind of target, an estimate a kind of result.
        let coarse = match q.status.unwrap_or("") {
            "plan" => "target",
            "estimate" => "actual",
            s => s,
        };
        status += usize::from(coarse == &g[8]);
    }
    assert!(
        n >= 450,
        "only {n} gold rows found among the extracted rows"
    );
    let rate = |k: usize| k as f64 / n as f64;
    println!(
        "rows {n}: indicator {:.3} (contained {:.3}), change {:.3}, status {:.3}",
        rate(indicator),
        rate(contained),
        rate(change),
        rate(status)
    );
    assert!(rate(change) >= 0.98, "change {:.3}", rate(change));
    assert!(rate(status) >= 0.93, "status {:.3}", rate(status));
    assert!(rate(indicator) >= 0.89, "indicator {:.3}", rate(indicator));
    assert!(
        rate(contained) >= 0.96,
        "indicator contained {:.3}",
        rate(contained)
    );
}
