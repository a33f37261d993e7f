//! Batches: which files a command line names, and running the extractor
//! over them in parallel with rows written in input order.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::decode::decode;
use crate::error::Error;
use crate::extract::{Extractor, Quantity};
use crate::output::CsvSink;

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it; `None` is standard input.
    pub path: Option<PathBuf>,
    /// The `doc` column (SPEC §2): relative to a folder given, or the path as given.
    pub doc: String,
}

/// What files of a folder are read.
#[derive(Debug, Clone)]
pub struct Selection {
    /// File name extensions read from folders (lower case, without the dot).
    pub extensions: Vec<String>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            extensions: vec!["txt".to_string()],
        }
    }
}

impl Selection {
    fn wants(&self, path: &Path) -> bool {
        path.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
}

/// Expands command-line arguments into documents, in a stable order:
/// arguments as given, folders walked recursively in file-name order.
/// Paths that cannot be walked come back as errors; the rest still run.
pub fn inputs(args: &[String], sel: &Selection) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Input {
                path: None,
                doc: "-".into(),
            });
            continue;
        }
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Err(source) => errors.push(Error::Io {
                path: arg.clone(),
                source,
            }),
            Ok(md) if md.is_dir() => {
                let walk = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name();
                for entry in walk {
                    match entry {
                        Err(e) => {
                            let at = e
                                .path()
                                .map_or_else(|| arg.clone(), |p| p.display().to_string());
                            errors.push(Error::Io {
                                path: at,
                                source: e.into(),
                            });
                        }
                        Ok(e) if e.file_type().is_file() && sel.wants(e.path()) => {
                            let rel = e.path().strip_prefix(path).unwrap_or(e.path());
                            let doc = rel
                                .components()
                                .map(|c| c.as_os_str().to_string_lossy())
                                .collect::<Vec<_>>()
                                .join("/");
                            out.push(Input {
                                path: Some(e.into_path()),
                                doc,
                            });
                        }
                        Ok(_) => {}
                    }
                }
            }
            Ok(_) => out.push(Input {
                path: Some(path.to_path_buf()),
                doc: arg.replace('\\', "/"),
            }),
        }
    }
    (out, errors)
}

/// Reads and decodes one document.
pub fn read(input: &Input) -> Result<String, Error> {
    let name = input
        .path
        .as_ref()
        .map_or_else(|| "-".to_string(), |p| p.display().to_string());
    let mut bytes = Vec::new();
    let res = match &input.path {
        None => std::io::stdin().lock().read_to_end(&mut bytes).map(drop),
        Some(p) => std::fs::read(p).map(|b| bytes = b),
    };
    res.map_err(|source| Error::Io {
        path: name.clone(),
        source,
    })?;
    match decode(&bytes) {
        Some((text, _)) => Ok(text.into_owned()),
        None => Err(Error::Encoding { path: name }),
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Documents read and extracted.
    pub read: u64,
    /// Documents skipped (unreadable, undecodable).
    pub skipped: u64,
    /// Rows written.
    pub rows: u64,
}

/// How many documents are in flight at once: enough to keep every core
/// busy, few enough that memory does not grow with the batch.
const IN_FLIGHT: usize = 64;

/// Extracts every input on the current rayon pool and writes the rows in
/// input order; `warn` hears of each document skipped.
pub fn run<W: Write>(
    inputs: &[Input],
    ex: &Extractor,
    sink: &mut CsvSink<W>,
    mut warn: impl FnMut(&Error),
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    for group in inputs.chunks(IN_FLIGHT) {
        let results: Vec<Result<Vec<Quantity>, Error>> = group
            .par_iter()
            .map(|input| read(input).map(|text| ex.extract(&text)))
            .collect();
        for (input, result) in group.iter().zip(results) {
            match result {
                Ok(rows) => {
                    sink.write_doc(&input.doc, &rows)?;
                    summary.read += 1;
                    summary.rows += rows.len() as u64;
                }
                Err(e) => {
                    warn(&e);
                    summary.skipped += 1;
                }
            }
        }
    }
    Ok(summary)
}
