//! What the integration tests share: the binary run from the repository's
//! root, paths into it, CSV rows, and the default extractor.

use std::path::PathBuf;
use std::process::{Command, Output};

use shuliang::{Extractor, RuleSet};

/// The CSV header `extract` writes, from the library's column table.
pub fn header() -> String {
    shuliang::output::COLUMNS.join(",") + "\n"
}

/// The repository's root (where `corpus/` and `tests/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path in the repository.
pub fn path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The `shuliang` binary Cargo built for these tests.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shuliang"))
}

/// Runs the binary in the repository's root.
pub fn run(args: &[&str]) -> Output {
    bin()
        .current_dir(root())
        .args(args)
        .output()
        .expect("shuliang runs")
}

/// Runs the binary in the repository's root, asserts that it succeeded,
/// and returns its stdout.
pub fn run_ok(args: &[&str]) -> Vec<u8> {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A run's stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// The rows of a CSV with a header.
pub fn rows(csv: impl AsRef<[u8]>) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(csv.as_ref())
        .records()
        .map(|r| r.expect("valid CSV"))
        .collect()
}

/// An extractor of the embedded rules.
pub fn extractor() -> Extractor {
    Extractor::new(RuleSet::default_rules().expect("the embedded rules"))
}

/// A gold file's number cell: empty is none.
pub fn num(s: &str) -> Option<f64> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.parse().expect("a number"))
}

/// Two numbers equal to nine significant digits, or both absent.
pub fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (a, b) => a.is_none() && b.is_none(),
    }
}
