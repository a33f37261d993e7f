//! Snapshot tests: the expected CSV of every document in `corpus/` lives in
//! `tests/snapshots/` (same path, `.csv` added). A rule change that changes
//! any row fails here with the rows added, removed and changed. After a
//! deliberate change, re-bless with:
//!
//!     SHULIANG_BLESS=1 cargo test --test it snapshots
//!
//! and review `git diff tests/snapshots` before committing.

use std::path::Path;

use shuliang::output::{Bytes, Csv};
use shuliang::run::batch::{self, Selection};
use shuliang::run::Job;
use shuliang::tools::diff;

use crate::common::{extractor, root};

#[test]
fn every_corpus_document_matches_its_snapshot() {
    let ex = extractor();
    let (inputs, errors) = batch::inputs(
        &[root().join("corpus").display().to_string()],
        &Selection::default(),
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(inputs.len() >= 10, "corpus/ has {} documents", inputs.len());
    let bless = std::env::var_os("SHULIANG_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for input in &inputs {
        let mut got = Vec::new();
        let job = Job::new(&ex, vec![input.clone()]);
        // A number whose sign a bad copy lost (`1?。`) is a warning, and
        // no row: the snapshot holds that. Anything else is a failure.
        job.run(&mut Bytes::new(&Csv::default(), &mut got), |e| {
            assert!(matches!(e, shuliang::Error::Suspect { .. }), "{e}")
        })
        .unwrap();
        let snap = root()
            .join("tests/snapshots")
            .join(format!("{}.csv", input.doc));
        if bless {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            std::fs::write(&snap, &got).unwrap();
            continue;
        }
        let want = match std::fs::read(&snap) {
            Ok(w) => w,
            Err(_) => {
                failures.push(format!(
                    "{}: no snapshot (run SHULIANG_BLESS=1 cargo test --test it snapshots)",
                    snap.display()
                ));
                continue;
            }
        };
        if want != got {
            let d = diff::diff(&want[..], &got[..]).unwrap();
            failures.push(format!("{} changed:\n{}", rel(&snap), d.render()));
        }
    }
    assert!(
        failures.is_empty(),
        "\n{}\nIf the change is deliberate: SHULIANG_BLESS=1 cargo test --test it snapshots",
        failures.join("\n")
    );
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}
