//! The library's source as the shape tests read it: every file of
//! `src/`, and its code without comments, literals and tests.

use std::path::{Path, PathBuf};

/// The folder of the library's source.
pub(super) fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as a path relative to `src/`, with its text.
pub(super) fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("src/ is readable").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(src()).expect("under src/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push((rel, text));
        }
    }
}

/// `text` with comments and the insides of string and character literals
/// blanked out (newlines kept, so line numbers hold): what is left is code.
pub(super) fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            i + 2 + find(&rest[2..], b"*/").map_or(rest.len() - 2, |e| e + 2)
        } else if is_raw_string(b, i) {
            let start = rest
                .iter()
                .position(|&c| c == b'"')
                .expect("a raw string opens");
            let hashes = &rest[1 + usize::from(rest[0] == b'b')..start];
            let mut close = b"\"".to_vec();
            close.extend_from_slice(hashes);
            let body = &rest[start + 1..];
            i + start + 1 + find(body, &close).map_or(body.len(), |e| e + close.len())
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + j + 1
        } else if rest[0] == b'\'' && is_char_literal(rest) {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'\'' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + j + 1
        } else {
            i += 1;
            continue;
        };
        let end = end.min(b.len());
        for c in &mut out[i..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        i = end;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a raw string (`r"…"`, `r#"…"#`, `br"…"`) starts at byte `i`.
fn is_raw_string(b: &[u8], i: usize) -> bool {
    let rest = &b[i..];
    let after_word = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    let rest = rest.strip_prefix(b"b").unwrap_or(rest);
    let Some(hashes) = rest.strip_prefix(b"r") else {
        return false;
    };
    let quote = hashes.iter().find(|&&c| c != b'#');
    !after_word && quote == Some(&b'"')
}

/// Whether the `'` that starts `rest` opens a character literal (`'a'`,
/// `'\n'`, `'。'`) rather than a lifetime (`'a`).
fn is_char_literal(rest: &[u8]) -> bool {
    if rest.get(1) == Some(&b'\\') {
        return true;
    }
    let s = std::str::from_utf8(&rest[1..rest.len().min(8)]).unwrap_or_else(|e| {
        std::str::from_utf8(&rest[1..1 + e.valid_up_to()]).expect("valid prefix")
    });
    let mut chars = s.chars();
    chars.next();
    chars.next() == Some('\'')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `code` (as [`code_only`] gives it, so its braces are the code's own)
/// with every item marked `#[cfg(test)]` blanked out — a `mod tests { … }`,
/// a `mod tests;`, a test helper — newlines kept, so line numbers hold.
pub(super) fn without_tests(code: &str) -> String {
    let mut out = code.to_string();
    let mut from = 0;
    while let Some(at) = out[from..].find("#[cfg(test)]").map(|i| from + i) {
        let item = at + "#[cfg(test)]".len();
        let semi = out[item..].find(';').map(|i| item + i);
        let open = out[item..].find('{').map(|i| item + i);
        let end = match (open, semi) {
            (Some(open), Some(semi)) if semi < open => semi + 1,
            (Some(open), _) => matching_brace(&out, open).map_or(out.len(), |c| c + 1),
            (None, Some(semi)) => semi + 1,
            (None, None) => out.len(),
        };
        let blank: String = out[at..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..end, &blank);
        from = end;
    }
    out
}

/// The byte of the `}` that closes the `{` at byte `open`.
pub(super) fn matching_brace(code: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the file `rel` (relative to `src/`) is a test module written
/// out of line: a `tests.rs` whose parent declares `#[cfg(test)] mod tests;`.
pub(super) fn is_test_file(rel: &str) -> bool {
    let Some(dir) = rel.strip_suffix("/tests.rs") else {
        return false;
    };
    [format!("{dir}/mod.rs"), format!("{dir}.rs")]
        .iter()
        .filter_map(|parent| std::fs::read_to_string(src().join(parent)).ok())
        .any(|parent| parent.contains("#[cfg(test)]\nmod tests;"))
}
