//! Criterion benchmarks of each stage of the pipeline, in MB/s of the
//! report's bytes: decode → layout → extract (rules, values, annotation,
//! offsets) → output. `extract_first` is a fresh extractor's first
//! document: what a process that reads one report pays for building the
//! lazy DFAs' states.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shuliang::normalize::{Flat, Fold};
use shuliang::output::{Csv, Doc, Format};
use shuliang::{numeral, Extractor, RuleSet};
use std::hint::black_box;

const REPORT: &str = include_str!("../corpus/weidong-2021.txt");

fn stages(c: &mut Criterion) {
    let ex = Extractor::new(RuleSet::default_rules().expect("default rules load"));
    let mut g = c.benchmark_group("stages");

    let numerals = [
        "46.11亿",
        "一万二千",
        "1,100.9万",
        "两千多",
        "三万四千五百六十七",
        "5200余",
    ];
    g.throughput(Throughput::Bytes(
        numerals.iter().map(|s| s.len() as u64).sum(),
    ));
    g.bench_function("numeral", |b| {
        b.iter(|| {
            numerals
                .iter()
                .filter_map(|s| numeral::parse(black_box(s)))
                .count()
        })
    });

    g.throughput(Throughput::Bytes(REPORT.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| shuliang::decode::decode(black_box(REPORT.as_bytes())).map(|(t, _)| t.len()))
    });

    let fold = Fold::new([('億', '亿')]);
    g.bench_function("layout", |b| {
        b.iter(|| Flat::new(black_box(REPORT), &fold).text.len())
    });

    g.bench_function("extract_report", |b| {
        b.iter(|| ex.extract(black_box(REPORT)).len())
    });

    let rules = || RuleSet::default_rules().expect("default rules load");
    g.bench_function("extract_first", |b| {
        b.iter_batched(
            || Extractor::new(rules()),
            |fresh| fresh.extract(black_box(REPORT)).len(),
            criterion::BatchSize::PerIteration,
        )
    });

    let rows = ex.extract(REPORT);
    let meta = ex.detect_meta(REPORT, "weidong-2021.txt");
    let csv = Csv {
        extra: Vec::new(),
        no_header: false,
        excel: false,
    };
    g.bench_function("output_csv", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            let doc = Doc {
                id: "weidong-2021.txt",
                meta: &meta,
                fields: &[],
            };
            csv.rows(&mut out, doc, black_box(&rows));
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
