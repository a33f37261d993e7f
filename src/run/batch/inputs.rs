//! Finding the inputs: the documents a command line names (folders walked,
//! files selected by glob), with a manifest's region, year and columns.

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;
use crate::meaning::meta::{doc_type_alias, Meta};
use crate::read::published;

use super::doc_ids::{distinct_docs, doc_of, text_of};

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it; `None` is standard input.
    pub path: Option<PathBuf>,
    /// The `doc` column (SPEC §2): relative to a folder given, or the path as given.
    pub doc: String,
    /// Values of the format's extra columns for this document.
    pub fields: Vec<String>,
    /// Region and year from a manifest; read from the report when `None`.
    pub meta: Option<Meta>,
}

impl Input {
    /// The path as warnings name it (`-` for standard input).
    pub(crate) fn name(&self) -> String {
        self.path
            .as_ref()
            .map_or("-".into(), |p| p.display().to_string())
    }
}

/// Which files of a folder are read: by default those of
/// [`published::EXTENSIONS`], in any case.
#[derive(Debug, Clone)]
pub struct Selection {
    globs: GlobSet,
}

impl Selection {
    /// Files whose name (or path below the folder) matches any of
    /// `patterns`; no patterns: the default selection.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Selection, globset::Error> {
        if patterns.is_empty() {
            return Ok(Selection::default());
        }
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(Glob::new(p.as_ref())?);
        }
        Ok(Selection { globs: b.build()? })
    }

    fn wants(&self, rel: &Path) -> bool {
        self.globs.is_match(rel) || rel.file_name().is_some_and(|n| self.globs.is_match(n))
    }
}

impl Default for Selection {
    /// Text, PDF, Word and HTML files: `*.txt`, `*.PDF`, `*.htm`….
    fn default() -> Self {
        let mut b = GlobSetBuilder::new();
        for (ext, _) in published::EXTENSIONS {
            let glob = globset::GlobBuilder::new(&format!("*.{ext}"))
                .case_insensitive(true)
                .build()
                .expect("valid glob");
            b.add(glob);
        }
        Selection {
            globs: b.build().expect("valid globs"),
        }
    }
}

/// Expands command-line arguments into documents, in a stable order:
/// arguments as given, folders walked recursively in file-name order
/// (symbolic links followed, loops reported). Paths that cannot be read
/// come back as errors; the rest still run. Every document gets a distinct
/// `doc` ([`distinct_docs`]).
pub fn inputs<S: AsRef<OsStr>>(args: &[S], sel: &Selection) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::new();
    // Per document: the argument it was found under, and its path below it.
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (n, arg) in args.iter().enumerate() {
        let arg = arg.as_ref();
        let name = text_of(arg);
        if arg == "-" {
            out.push(Input {
                path: None,
                doc: "-".into(),
                fields: Vec::new(),
                meta: None,
            });
            found.push((n, PathBuf::new()));
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Err(source) => errors.push(Error::Io { path: name, source }),
            Ok(md) if md.is_dir() => {
                let walk = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name();
                for entry in walk {
                    match entry {
                        Err(e) => {
                            let at = e
                                .path()
                                .map_or_else(|| name.clone(), |p| text_of(p.as_os_str()));
                            errors.push(Error::Io {
                                path: at,
                                source: e.into(),
                            });
                        }
                        Ok(e) if e.file_type().is_file() => {
                            let rel = e.path().strip_prefix(path).unwrap_or(e.path());
                            if sel.wants(rel) {
                                found.push((n, rel.to_path_buf()));
                                out.push(Input {
                                    doc: doc_of(rel, text_of),
                                    path: Some(e.into_path()),
                                    fields: Vec::new(),
                                    meta: None,
                                });
                            }
                        }
                        Ok(_) => {}
                    }
                }
            }
            Ok(_) => {
                found.push((n, PathBuf::new()));
                out.push(Input {
                    path: Some(path.to_path_buf()),
                    doc: if cfg!(windows) {
                        name.replace('\\', "/")
                    } else {
                        name
                    },
                    fields: Vec::new(),
                    meta: None,
                })
            }
        }
    }
    distinct_docs(&mut out, &found, args);
    (out, errors)
}

/// The file the text of `input` is saved to under `dir` (`--save-text`):
/// the document's id, kept inside `dir`, `.txt` added unless it is there.
pub fn save_path(dir: &Path, input: &Input) -> PathBuf {
    let id = if input.doc == "-" {
        "stdin"
    } else {
        &input.doc
    };
    let mut rel = crate::run::outfile::contained(id).into_os_string();
    if !rel.to_string_lossy().ends_with(".txt") {
        rel.push(".txt");
    }
    dir.join(rel)
}

/// Joins a manifest (a CSV with a `doc` column, e.g. `doc,region,year,level`)
/// to the inputs by document id: `region`, `year`, `level`, `code` and
/// `doc_type` are taken from it where it gives them, and its other columns
/// are carried into the output. Returns the names of those other columns,
/// and what to warn of: a document named by two rows (the later is used),
/// then manifest rows that match no input (a typo or a moved file).
pub fn apply_manifest(
    inputs: &mut [Input],
    manifest: impl Read,
) -> Result<(Vec<String>, Vec<Error>), String> {
    let mut rd = csv::Reader::from_reader(manifest);
    let headers: Vec<String> = rd
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    let doc = headers
        .iter()
        .position(|h| h == "doc")
        .ok_or("no `doc` column")?;
    let col = |name: &str| headers.iter().position(|h| h == name);
    let [region, year, level, code, doc_type] =
        ["region", "year", "level", "code", "doc_type"].map(col);
    let extra: Vec<usize> = (0..headers.len())
        .filter(|&i| i != doc && ![region, year, level, code, doc_type].contains(&Some(i)))
        .collect();
    let mut by_doc = std::collections::HashMap::new();
    let mut order = Vec::new();
    let mut warnings = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        let line = rec.position().map_or(0, |p| p.line());
        let id = rec[doc].to_string();
        match by_doc.insert(id.clone(), (line, rec)) {
            Some((first, _)) => warnings.push(Error::DuplicateRow {
                doc: id,
                first,
                again: line,
            }),
            None => order.push(id),
        }
    }
    let mut used = std::collections::HashSet::new();
    for input in inputs.iter_mut() {
        let rec = by_doc.get(&input.doc).map(|(_, rec)| rec);
        if rec.is_some() {
            used.insert(input.doc.as_str());
        }
        let get = |i: Option<usize>| {
            rec.and_then(|r| i.and_then(|i| r.get(i)).map(|v| v.trim().to_string()))
                .unwrap_or_default()
        };
        input.meta = Some(Meta {
            region: get(region),
            year: get(year),
            level: get(level),
            code: get(code),
            doc_type: doc_type_alias(&get(doc_type)),
            ..Meta::default()
        });
        input.fields = extra.iter().map(|&i| get(Some(i))).collect();
    }
    let unmatched = order.into_iter().filter(|d| !used.contains(d.as_str()));
    warnings.extend(unmatched.map(|doc| Error::Unmatched { doc }));
    Ok((
        extra.iter().map(|&i| headers[i].clone()).collect(),
        warnings,
    ))
}

/// The largest manifest read (a row per document: 64 MiB is millions).
const MANIFEST_LIMIT: u64 = 64 << 20;

/// The inputs of a command line with its manifest applied: what `extract`
/// and `panel` (and the Python binding's) read.
#[derive(Debug)]
pub struct Gathered {
    /// The documents, in order.
    pub inputs: Vec<Input>,
    /// The manifest's columns carried into the output.
    pub extra: Vec<String>,
    /// To warn of: documents the manifest names twice, manifest rows that
    /// match no input, then paths that cannot be read.
    pub warnings: Vec<Error>,
    /// How many paths cannot be read (each a skipped input).
    pub missing: u64,
}

/// Expands `paths` ([`inputs`]) and joins the manifest, given as its name
/// (for errors) and its content, to them ([`apply_manifest`]).
pub fn gather<S: AsRef<OsStr>>(
    paths: &[S],
    sel: &Selection,
    manifest: Option<(&str, impl Read)>,
) -> Result<Gathered, Error> {
    let (mut inputs, errors) = inputs(paths, sel);
    let mut warnings = Vec::new();
    let extra = match manifest {
        None => Vec::new(),
        Some((name, content)) => {
            let manifest_err = |reason| Error::Manifest {
                path: name.to_string(),
                reason,
            };
            let bytes = crate::read::capped::read_all(content, MANIFEST_LIMIT)
                .map_err(|e| manifest_err(format!("{e}: is it a manifest?")))?;
            let text = crate::read::decode_owned(bytes).ok_or_else(|| {
                manifest_err(
                    "not UTF-8, UTF-16 or GB18030 text: save it from Excel as \"CSV UTF-8\"".into(),
                )
            })?;
            let (extra, heard) =
                apply_manifest(&mut inputs, text.as_bytes()).map_err(manifest_err)?;
            warnings.extend(heard);
            extra
        }
    };
    let missing = errors.len() as u64;
    warnings.extend(errors);
    Ok(Gathered {
        inputs,
        extra,
        warnings,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_joins_the_manifest_and_warns_of_what_matches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "增长3%").unwrap();
        std::fs::write(dir.path().join("b.pdf.bak"), "").unwrap();
        let paths = [
            dir.path().display().to_string(),
            dir.path().join("gone.txt").display().to_string(),
        ];
        let manifest = "doc,region,year,source\na.txt,保定市,2021,web\nc.txt,,,\n";
        let g = gather(
            &paths,
            &Selection::new::<&str>(&[]).unwrap(),
            Some(("m.csv", manifest.as_bytes())),
        )
        .unwrap();
        assert_eq!(g.inputs.len(), 1, "the default selection skips b.pdf.bak");
        let meta = g.inputs[0].meta.as_ref().unwrap();
        assert_eq!((&*meta.region, &*meta.year), ("保定市", "2021"));
        assert_eq!(
            (g.extra, g.inputs[0].fields.clone()),
            (vec!["source".to_string()], vec!["web".to_string()])
        );
        assert_eq!(g.missing, 1);
        assert!(
            matches!(&g.warnings[..], [Error::Unmatched { doc }, Error::Io { .. }] if doc == "c.txt")
        );
        let bad = gather(
            &paths,
            &Selection::default(),
            Some(("m.csv", &b"path\nx\n"[..])),
        );
        assert_eq!(bad.unwrap_err().to_string(), "m.csv: no `doc` column");
    }
}
