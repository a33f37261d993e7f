//! Criterion benchmarks of each stage, in MB/s of input.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shuliang::normalize::{Flat, Fold};
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

    let fold = Fold::new([('億', '亿')]);
    g.throughput(Throughput::Bytes(REPORT.len() as u64));
    g.bench_function("layout", |b| {
        b.iter(|| Flat::new(black_box(REPORT), &fold).text.len())
    });

    g.bench_function("extract_report", |b| {
        b.iter(|| ex.extract(black_box(REPORT)).len())
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
