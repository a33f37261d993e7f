//! The shape of `src/`, checked as tests: each stage uses only the stages
//! [`LAYERS`] lets it use, which come before it, so there is no import
//! cycle and a lower stage never uses a higher one; and no file or function
//! is over its size ([`sizes`]).
//!
//! The check reads the source: every `crate::` path outside comments, string
//! literals and `#[cfg(test)]` modules (tests may use anything) is an edge
//! from the top-level module of its file to the module it names; a name the
//! crate root re-exports (`crate::RuleSet`) counts as the module it comes
//! from.

use std::collections::{BTreeMap, BTreeSet};

mod sizes;
mod source;

use source::{code_only, is_test_file, sources, src, without_tests};

/// The top-level modules, lowest first, each with the modules it may use.
/// A module may use only modules listed before it. Reading (`read`) and the
/// engine (`meaning`, `rules`, `extract`) do not use each other: a run joins
/// them.
const LAYERS: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("interrupt", &[]),
    ("text", &[]),
    ("read", &["error", "interrupt", "text"]),
    ("meaning", &["error", "text"]),
    ("rules", &["error", "text", "meaning"]),
    ("extract", &["text", "meaning", "rules"]),
    ("output", &["text", "meaning", "rules", "extract"]),
    (
        "run",
        &[
            "error",
            "interrupt",
            "text",
            "read",
            "meaning",
            "rules",
            "extract",
            "output",
        ],
    ),
    (
        "tools",
        &[
            "error", "text", "read", "meaning", "rules", "extract", "output", "run",
        ],
    ),
];

/// The first segments of the paths a `crate::` path names: `crate::rules`
/// names `rules`, `crate::{error::Error, text}` names `error` and `text`.
fn named_after_crate(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let line = code[..at].matches('\n').count() + 1;
        if let Some(group) = rest.strip_prefix('{') {
            // The group up to its matching brace, split at its top-level commas.
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    out.push((first_segment(&item), line));
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                } else {
                    item.push(c);
                }
            }
        } else {
            out.push((first_segment(rest), line));
        }
    }
    out.retain(|(name, _)| !name.is_empty());
    out
}

fn first_segment(path: &str) -> String {
    path.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The names the crate root re-exports, and the module each comes from
/// (`pub use extract::{Extractor, Quantity};`).
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = first_segment(path);
        let names = match path.find('{') {
            Some(open) => path[open + 1..].trim_end_matches('}').to_string(),
            None => path.rsplit("::").next().unwrap_or("").to_string(),
        };
        for name in names.split(',') {
            let name = name.split(" as ").last().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string(), module.clone());
            }
        }
    }
    out
}

/// (from, to) → where the edge is written (`file:line`).
type Edges = BTreeMap<(String, String), Vec<String>>;

/// The edges between top-level modules that the library's code has.
fn edges() -> Edges {
    let mut files = Vec::new();
    sources(&src(), &mut files);
    let lib = &files
        .iter()
        .find(|(rel, _)| rel == "lib.rs")
        .expect("lib.rs")
        .1;
    let reexports = root_reexports(&code_only(lib));
    let mut edges = Edges::new();
    for (rel, text) in &files {
        let top = rel
            .split('/')
            .next()
            .expect("a path")
            .trim_end_matches(".rs");
        // The binary is above every stage; the crate root lists them; these files check them.
        // Tests may use anything.
        if rel.starts_with("bin/") || rel == "lib.rs" || top == "layers" || is_test_file(rel) {
            continue;
        }
        let code = code_only(text);
        for (name, line) in named_after_crate(&without_tests(&code)) {
            let to = reexports.get(&name).cloned().unwrap_or(name);
            let is_root_item = to.starts_with(char::is_uppercase);
            if to != top && !is_root_item {
                let at = format!("src/{rel}:{line}");
                edges.entry((top.to_string(), to)).or_default().push(at);
            }
        }
    }
    edges
}

/// A cycle among `edges`, as the modules along it, if there is one.
fn cycle(edges: &Edges) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    fn visit<'a>(
        at: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|&m| m == at) {
            let mut cycle: Vec<String> = path[i..].iter().map(|m| m.to_string()).collect();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if !done.insert(at) {
            return None;
        }
        path.push(at);
        let found = next
            .get(at)
            .into_iter()
            .flatten()
            .find_map(|to| visit(to, next, path, done));
        path.pop();
        found
    }
    let mut done = BTreeSet::new();
    let starts: Vec<&str> = next.keys().copied().collect();
    starts
        .into_iter()
        .find_map(|m| visit(m, &next, &mut Vec::new(), &mut done))
}

#[test]
fn the_layers_are_in_order_and_name_every_module() {
    for (i, (module, uses)) in LAYERS.iter().enumerate() {
        for used in *uses {
            let below = LAYERS[..i].iter().any(|(m, _)| m == used);
            assert!(
                below,
                "LAYERS: `{module}` may use `{used}`, which is not before it"
            );
        }
    }
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let declared: BTreeSet<String> = code_only(&lib)
        .lines()
        .filter_map(|l| l.trim().strip_suffix(';'))
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .filter(|m| *m != "layers")
        .map(str::to_string)
        .collect();
    let listed: BTreeSet<String> = LAYERS.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(declared, listed, "lib.rs's modules and LAYERS differ");
}

#[test]
fn there_is_no_cycle_and_no_module_uses_a_later_one() {
    let edges = edges();
    assert!(
        !edges.is_empty(),
        "no `crate::` path found: is the parser broken?"
    );
    if let Some(c) = cycle(&edges) {
        let at = |pair: &[String]| edges[&(pair[0].clone(), pair[1].clone())].join(", ");
        let steps: Vec<String> = c
            .windows(2)
            .map(|p| format!("{} → {} at {}", p[0], p[1], at(p)))
            .collect();
        panic!("import cycle:\n{}", steps.join("\n"));
    }
    let mut wrong = Vec::new();
    for ((from, to), at) in &edges {
        let allowed = LAYERS
            .iter()
            .find(|(m, _)| m == from)
            .is_some_and(|(_, uses)| uses.contains(&to.as_str()));
        if !allowed {
            wrong.push(format!("`{from}` uses `{to}` at {}", at.join(", ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that LAYERS (src/layers.rs) does not allow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_reads_paths_and_skips_comments_and_strings() {
    let code = code_only(
        "use crate::{a::B, b::{C, D}, c};\n\
         // crate::commented\n\
         let s = \"crate::quoted\"; let c = '\"'; let r = r#\"crate::raw\"#;\n\
         fn f<'a>(x: &'a str) -> crate::d::E { crate::e::f() }\n",
    );
    let names: Vec<String> = named_after_crate(&code)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let code = code_only(
        "use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\nuse crate::c;\n",
    );
    let names: Vec<(String, usize)> = named_after_crate(&without_tests(&code));
    assert_eq!(names, [("a".to_string(), 1), ("c".to_string(), 6)]);
    let mut edges = Edges::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        edges.insert((from.into(), to.into()), Vec::new());
    }
    assert_eq!(cycle(&edges).unwrap(), ["a", "b", "c", "a"]);
    edges.remove(&("c".to_string(), "a".to_string()));
    assert_eq!(cycle(&edges), None);
}
