//! Prints the text `shuliang::read::published` reads from each file given, or with
//! `--time N` measures how fast it reads them (N runs each, release mode):
//!
//! ```sh
//! cargo run --release --example published -- corpus/published/pdf/zhoukou-city-tjgb-2023.pdf
//! cargo run --release --example published -- --time 20 corpus/published/*/*
//! ```

use std::path::Path;
use std::time::Instant;

use shuliang::read::published::{kind_of, to_text};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.iter().position(|a| a == "--time") {
        Some(i) => {
            let n = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(10);
            args.drain(i..(i + 2).min(args.len()));
            Some(n)
        }
        None => None,
    };
    let mut failed = false;
    for file in &args {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{file}: {e}");
                failed = true;
                continue;
            }
        };
        let kind = kind_of(Path::new(file), &bytes);
        let Some(runs) = runs else {
            match to_text(kind, &bytes) {
                Ok(text) => println!("{text}"),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    failed = true;
                }
            }
            continue;
        };
        let start = Instant::now();
        let mut chars = 0;
        for _ in 0..runs {
            chars = to_text(kind, &bytes).map_or(0, |t| t.chars().count());
        }
        let secs = start.elapsed().as_secs_f64() / f64::from(runs);
        println!(
            "{file}\t{kind:?}\t{:.1} KiB\t{chars} chars\t{:.2} ms\t{:.2} MB/s",
            bytes.len() as f64 / 1024.0,
            secs * 1e3,
            bytes.len() as f64 / secs / 1e6
        );
    }
    std::process::exit(i32::from(failed));
}
