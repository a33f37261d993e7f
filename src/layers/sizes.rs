//! The size of `src/`, checked as tests: no file over [`FILE_LINES`]
//! lines, and no function whose body is over [`FN_LINES`] lines outside
//! `#[cfg(test)]` code, so that a file is one subject and a function one
//! step, each read at once. The source is read as the layers test reads
//! it ([`code_only`]); a body is counted from the line of its `{` to the
//! line of its `}`.

use std::collections::BTreeSet;

use super::source::{code_only, is_test_file, matching_brace, sources, src, without_tests};

/// The most lines a file of `src/` may have, tests included.
const FILE_LINES: usize = 400;

/// The most lines a function's body may have, outside tests.
const FN_LINES: usize = 80;

/// Files (`path`) and functions (`path fn name`) allowed over the limits
/// while a branch that rewrites them is unlanded (none today). An entry
/// that is no longer over fails the test too, so that the list only shrinks.
const ALLOWED: &[&str] = &[];

/// Every function with a body in `code`: its name and its body's lines.
fn functions(code: &str) -> Vec<(String, usize)> {
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && ident(b[at - 1]) {
            continue;
        }
        let rest = &code[at + 3..];
        let name: String = rest
            .trim_start()
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_')
            .collect();
        if name.is_empty() {
            continue; // a function type, `fn(&str) -> bool`
        }
        // The body opens at the first `{` outside the signature's brackets;
        // a `;` there first means a declaration without one.
        let mut depth = 0i32;
        let mut open = None;
        for (i, c) in rest.char_indices() {
            match c {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' => depth -= 1,
                '>' if i > 0 && rest.as_bytes()[i - 1] != b'-' => depth -= 1,
                ';' if depth <= 0 => break,
                '{' if depth <= 0 => {
                    open = Some(at + 3 + i);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let close = matching_brace(code, open).unwrap_or(code.len() - 1);
        out.push((name, code[open..=close].matches('\n').count() + 1));
    }
    out
}

/// What is over the limits in `src/`, each as its [`ALLOWED`] key and a
/// line saying by how much.
fn over_limits() -> Vec<(String, String)> {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let mut over = Vec::new();
    for (rel, text) in &files {
        let lines = text.lines().count();
        if lines > FILE_LINES {
            let why = format!("src/{rel} has {lines} lines (at most {FILE_LINES})");
            over.push((rel.clone(), why));
        }
        if is_test_file(rel) {
            continue;
        }
        for (name, lines) in functions(&without_tests(&code_only(text))) {
            if lines > FN_LINES {
                let why = format!(
                    "src/{rel}: fn {name} has a body of {lines} lines (at most {FN_LINES})"
                );
                over.push((format!("{rel} fn {name}"), why));
            }
        }
    }
    over
}

#[test]
fn no_file_or_function_is_over_its_limit() {
    let over = over_limits();
    let allowed: BTreeSet<&str> = ALLOWED.iter().copied().collect();
    let wrong: Vec<&str> = over
        .iter()
        .filter(|(key, _)| !allowed.contains(key.as_str()))
        .map(|(_, why)| why.as_str())
        .collect();
    assert!(
        wrong.is_empty(),
        "split these into named parts:\n{}",
        wrong.join("\n")
    );
    let stale: Vec<&&str> = ALLOWED
        .iter()
        .filter(|a| !over.iter().any(|(key, _)| key == *a))
        .collect();
    assert!(
        stale.is_empty(),
        "within the limits now, so off ALLOWED (src/layers/sizes.rs): {stale:?}"
    );
}

#[test]
fn the_counter_finds_bodies_and_skips_tests_and_declarations() {
    let code = code_only(
        "fn a() {\n    let f: fn(u8) -> u8 = g;\n}\n\
         trait T { fn b(&self) -> Vec<u8>; }\n\
         pub(crate) fn c<'a, X: Into<String>>(x: &'a str) -> impl Fn() -> u8\nwhere\n    X: Clone,\n{\n    \"fn d() {}\";\n    || 1\n}\n\
         #[cfg(test)]\nmod tests {\n    fn e() {\n    }\n}\n\
         #[cfg(test)]\nfn f() {\n}\n",
    );
    let found = functions(&without_tests(&code));
    let found: Vec<(&str, usize)> = found.iter().map(|(n, l)| (n.as_str(), *l)).collect();
    assert_eq!(found, [("a", 3), ("c", 4)]);
}
