//! Records what a binary was built from, for `shuliang --version` and the
//! run summary: the git commit, and the identity (a sha256) of the
//! embedded rules: their file and the tables they read.

use std::process::Command;

include!("src/rules/identity/hash.rs");

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=rules/zh.toml");
    println!("cargo:rerun-if-changed=src/rules/identity/hash.rs");
    for table in TABLES {
        println!("cargo:rerun-if-changed={table}");
    }
    // A new commit moves HEAD or the branch it points to.
    for path in ["HEAD", "refs/heads", "packed-refs"] {
        if let Some(p) = git(&["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let rules = std::fs::read("rules/zh.toml").expect("rules/zh.toml is embedded");
    let tables = TABLES.map(|t| std::fs::read(t).expect("the rules' tables are embedded"));
    let sha = identity(&rules, [&tables[0], &tables[1], &tables[2]]);
    println!("cargo:rustc-env=SHULIANG_COMMIT={commit}");
    println!("cargo:rustc-env=SHULIANG_RULES_SHA256={sha}");
}
