//! Every document's `doc`: its path below the argument it was found under,
//! made distinct where two files would share one.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::Input;

/// A path below a folder as a `doc`: its parts joined by `/`, each as
/// `text` gives it.
pub(super) fn doc_of(rel: &Path, text: fn(&OsStr) -> String) -> String {
    rel.components()
        .map(|c| text(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text: UTF-8, else GB18030 (a name made on Chinese
/// Windows, or unpacked from its zip), else with each byte that is
/// neither written `\xNN` ([`escaped`]).
pub(super) fn text_of(name: &OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let bytes = name.as_encoded_bytes();
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => s.into_owned(),
        None => escaped(name),
    }
}

/// A file name with every byte that is not UTF-8 written `\xNN`: two
/// names never give the same text.
fn escaped(name: &OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Gives documents that share a `doc` but are different files (`北京.txt`
/// found under both `y2021` and `y2022`, names that read alike) distinct
/// ones: first the argument they were found under put before it
/// (`y2021/北京.txt`), then names not UTF-8 written byte by byte, and last a
/// number (`北京.txt (2)`). `found` holds, per document, the index of its
/// argument in `args` and its path below it.
pub(super) fn distinct_docs<S: AsRef<OsStr>>(
    inputs: &mut [Input],
    found: &[(usize, PathBuf)],
    args: &[S],
) {
    let under = |i: usize, text: fn(&OsStr) -> String| {
        let (arg, rel) = &found[i];
        let arg = Path::new(args[*arg].as_ref());
        let whole = if rel.as_os_str().is_empty() {
            arg.to_path_buf()
        } else {
            arg.join(rel)
        };
        doc_of(&whole, text)
    };
    for round in 0..3 {
        let clashing = clashes(inputs);
        if clashing.is_empty() {
            return;
        }
        for i in clashing {
            inputs[i].doc = match round {
                0 => under(i, text_of),
                1 => under(i, escaped),
                _ => format!("{} ({})", inputs[i].doc, i + 1),
            };
        }
    }
}

/// The documents whose `doc` another file shares (the same file named
/// twice is no clash).
fn clashes(inputs: &[Input]) -> Vec<usize> {
    let mut by_doc: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, input) in inputs.iter().enumerate() {
        by_doc.entry(&input.doc).or_default().push(i);
    }
    let same_file = |a: &Input, b: &Input| match (&a.path, &b.path) {
        (Some(a), Some(b)) => same_file::is_same_file(a, b).unwrap_or(a == b),
        (a, b) => a == b,
    };
    let mut out: Vec<usize> = by_doc
        .into_values()
        .filter(|group| {
            group
                .iter()
                .any(|&i| !same_file(&inputs[group[0]], &inputs[i]))
        })
        .flatten()
        .collect();
    out.sort_unstable();
    out
}
