//! Every document's `doc`: its path below the argument it was found under,
//! made distinct where two files would share one.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::hash::{Hash, Hasher};
use std::path::Path;

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

/// What is kept of every document's `doc` while the inputs are counted:
/// its hash (8 bytes a document, however long its path), so that two
/// documents that may share one are told without holding them all.
#[derive(Debug, Default)]
pub(super) struct DocIds {
    hashes: Vec<u64>,
}

/// The documents whose `doc` is not the one their path gives, by their
/// place among the documents found.
pub(super) type Renamed = HashMap<usize, String>;

impl DocIds {
    /// The next document's `doc`, as its path gives it.
    pub(super) fn push(&mut self, doc: &str) {
        self.hashes.push(hash(doc));
    }

    /// Gives documents that share a `doc` but are different files
    /// (`北京.txt` found under both `y2021` and `y2022`, names that read
    /// alike) distinct ones: first the argument they were found under put
    /// before it (`y2021/北京.txt`), then names not UTF-8 written byte by
    /// byte, and last a number (`北京.txt (2)`). `walk` finds the documents
    /// again, in the order they were pushed: it is called once for each
    /// round in which two of them hash alike, to hold only those and
    /// compare them.
    pub(super) fn distinct<I: Iterator<Item = Input>>(mut self, walk: impl Fn() -> I) -> Renamed {
        let mut renamed = Renamed::new();
        for round in 0..3 {
            let alike = self.alike();
            if alike.is_empty() {
                break;
            }
            let suspects: Vec<(usize, Input)> = walk()
                .enumerate()
                .filter(|(i, _)| self.hashes.get(*i).is_some_and(|h| alike.contains(h)))
                .map(|(i, mut input)| {
                    if let Some(doc) = renamed.get(&i) {
                        input.doc.clone_from(doc);
                    }
                    (i, input)
                })
                .collect();
            let clashing = clashes(&suspects);
            if clashing.is_empty() {
                break;
            }
            for k in clashing {
                let (i, input) = &suspects[k];
                let doc = match round {
                    0 => under(input, text_of),
                    1 => under(input, escaped),
                    _ => format!("{} ({})", input.doc, i + 1),
                };
                self.hashes[*i] = hash(&doc);
                renamed.insert(*i, doc);
            }
        }
        renamed
    }

    /// The hashes that more than one document has.
    fn alike(&self) -> HashSet<u64> {
        let mut sorted = self.hashes.clone();
        sorted.sort_unstable();
        sorted
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect()
    }
}

fn hash(doc: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    doc.hash(&mut h);
    h.finish()
}

/// The `doc` of `input` from its whole path (the argument it was found
/// under, and its path below it), each part as `text` gives it.
fn under(input: &Input, text: fn(&OsStr) -> String) -> String {
    doc_of(input.path.as_deref().unwrap_or(Path::new("-")), text)
}

/// Of `found`, those whose `doc` another file shares (the same file named
/// twice is no clash), by their place in `found`.
fn clashes(found: &[(usize, Input)]) -> Vec<usize> {
    let mut by_doc: HashMap<&str, Vec<usize>> = Default::default();
    for (k, (_, input)) in found.iter().enumerate() {
        by_doc.entry(&input.doc).or_default().push(k);
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
                .any(|&k| !same_file(&found[group[0]].1, &found[k].1))
        })
        .flatten()
        .collect();
    out.sort_unstable();
    out
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::path::PathBuf;

    use super::*;

    /// The ids `DocIds` gives documents at `paths` (files that need not
    /// exist: then two paths are one file when they are equal), each found
    /// with the `doc` beside it.
    fn distinct(found: &[(PathBuf, &str)]) -> Vec<String> {
        let walk = || {
            found.iter().map(|(path, doc)| Input {
                path: Some(path.clone()),
                doc: doc.to_string(),
                fields: Vec::new(),
                meta: None,
            })
        };
        let mut ids = DocIds::default();
        walk().for_each(|input| ids.push(&input.doc));
        let renamed = ids.distinct(walk);
        walk()
            .enumerate()
            .map(|(i, input)| renamed.get(&i).cloned().unwrap_or(input.doc))
            .collect()
    }

    #[test]
    fn clashing_ids_are_made_distinct_in_three_rounds() {
        // 报告.txt in GBK bytes and in UTF-8, found under `r`: one `doc`
        // until written byte by byte, which a name of those very
        // characters, found deeper, then shares.
        let gbk = Path::new("r/g").join(OsStr::from_bytes(b"\xb1\xa8\xb8\xe6.txt"));
        let literal = r"r/g/\xB1\xA8\xB8\xE6.txt";
        let found = [
            (gbk, "g/报告.txt"),
            (PathBuf::from("r/g/报告.txt"), "g/报告.txt"),
            (Path::new("r/r/g/").join(&literal[4..]), literal),
            // The same file named twice: no clash, and no number.
            (PathBuf::from("s/a.txt"), "a.txt"),
            (PathBuf::from("s/a.txt"), "a.txt"),
        ];
        let (with_1, with_3) = (format!("{literal} (1)"), format!("{literal} (3)"));
        assert_eq!(
            distinct(&found),
            [&*with_1, "r/g/报告.txt", &with_3, "a.txt", "a.txt"]
        );
    }
}
