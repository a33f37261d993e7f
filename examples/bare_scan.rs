//! The ceiling shuliang measures itself against: a bare `regex` scan of the
//! same bytes with a plain digit-plus-unit pattern, nothing else (no
//! decoding, layout, rules or output). Used by `scripts/bench-corpus.sh`.
//!
//!     cargo run --release --example bare_scan -- FILE_OR_FOLDER...

use std::time::Instant;

fn main() {
    let re = regex::Regex::new(r"[0-9]+(?:\.[0-9]+)?(?:%|亿元|万元|元|个|家|亩|人|公里|吨|项|户)")
        .expect("valid");
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        for e in walkdir::WalkDir::new(arg).sort_by_file_name() {
            let e = e.expect("readable");
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    let t = Instant::now();
    let (mut bytes, mut matches) = (0u64, 0u64);
    for f in &files {
        let data = std::fs::read(f).expect("readable");
        let text = String::from_utf8_lossy(&data);
        bytes += data.len() as u64;
        matches += re.find_iter(&text).count() as u64;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "bare_scan bytes={bytes} matches={matches} seconds={secs:.3} mb_per_s={:.1}",
        bytes as f64 / 1e6 / secs
    );
}
