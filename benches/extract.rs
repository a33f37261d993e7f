//! Criterion benchmarks of each stage of the pipeline, in MB/s of the
//! report's bytes: decode → layout → matching → values → resolve → locate
//! → annotate → output, each fed what the stage before gives
//! (`shuliang::extract::stages`); `extract_report` is all of extraction.
//! `extract_first` is a fresh extractor's first document: what a process
//! that reads one report pays for compiling rules and building the lazy
//! DFAs' states. `run` is the whole of `extract` on the report's file: the
//! CLI's [`Job`] (reading, extraction, CSV) into memory.

use criterion::BatchSize;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shuliang::extract::stages;
use shuliang::output::{Bytes, Csv, Doc, Format};
use shuliang::run::batch::Selection;
use shuliang::run::Job;
use shuliang::text::numeral;
use shuliang::{Extractor, RuleSet};
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
        b.iter(|| shuliang::read::decode(black_box(REPORT.as_bytes())).map(|(t, _)| t.len()))
    });

    g.bench_function("layout", |b| {
        b.iter(|| stages::layout(&ex, black_box(REPORT)).text.len())
    });

    // Each stage alone, on what the stages before it give.
    let flat = stages::layout(&ex, REPORT);
    g.bench_function("matching", |b| {
        b.iter(|| stages::matching(&ex, black_box(&flat)).len())
    });
    let matches = stages::matching(&ex, &flat);
    g.bench_function("values", |b| {
        b.iter(|| stages::values(&ex, &flat, black_box(&matches)).len())
    });
    let cands = stages::values(&ex, &flat, &matches);
    g.bench_function("resolve", |b| {
        b.iter_batched(
            || cands.clone(),
            |c| stages::resolve(&ex, &flat, c).len(),
            BatchSize::SmallInput,
        )
    });
    let kept = stages::resolve(&ex, &flat, cands);
    g.bench_function("locate", |b| {
        b.iter_batched(
            || kept.clone(),
            |k| stages::locate(&ex, &flat, REPORT, k).len(),
            BatchSize::SmallInput,
        )
    });
    let located = stages::locate(&ex, &flat, REPORT, kept.clone());
    g.bench_function("annotate", |b| {
        b.iter_batched_ref(
            || located.clone(),
            |rows| stages::annotate(&ex, &flat, REPORT, &kept, rows),
            BatchSize::SmallInput,
        )
    });

    g.finish();
}

/// Extraction of the whole report, its output, and the whole run.
fn whole(c: &mut Criterion) {
    let ex = Extractor::new(RuleSet::default_rules().expect("default rules load"));
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(REPORT.len() as u64));
    g.bench_function("extract_report", |b| {
        b.iter(|| ex.extract(black_box(REPORT)).len())
    });

    let rules = || RuleSet::default_rules().expect("default rules load");
    g.bench_function("extract_first", |b| {
        b.iter_batched(
            || Extractor::new(rules()),
            |fresh| fresh.extract(black_box(REPORT)).len(),
            BatchSize::PerIteration,
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

    let file = [concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/weidong-2021.txt").to_string()];
    let mut job = Job::gather(&ex, &file, &Selection::default(), None::<(&str, &[u8])>)
        .expect("the report is there");
    job.threads = Some(1);
    g.bench_function("run", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            job.run(&mut Bytes::new(&csv, &mut out), |e| panic!("{e}"))
                .expect("the run writes to memory");
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, stages, whole);
criterion_main!(benches);
