//! Batches: which files a command line names, and running the extractor
//! over them in parallel with rows written in input order.
//!
//! Documents are read as pieces cut at sentence ends ([`Pieces`]). Pieces
//! are gathered into bounded batches; while the workers extract one batch
//! (and format its rows, each into its own buffer), the next is read; the
//! formatted bytes are then written in input order. Memory is bounded by
//! the batch size, whatever the number or size of the documents, and the
//! output does not depend on the thread count.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::decode::{decode_owned, Pieces};
use crate::error::Error;
use crate::extract::Extractor;
use crate::output::{Doc, Format};
use crate::stats::Stats;

/// One document to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it; `None` is standard input.
    pub path: Option<PathBuf>,
    /// The `doc` column (SPEC §2): relative to a folder given, or the path as given.
    pub doc: String,
    /// Values of the format's extra columns for this document.
    pub fields: Vec<String>,
}

/// Which files of a folder are read: by default `*.txt`.
#[derive(Debug, Clone)]
pub struct Selection {
    globs: GlobSet,
}

impl Selection {
    /// Files whose name (or path below the folder) matches any of `patterns`.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Selection, globset::Error> {
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
    fn default() -> Self {
        Selection::new(&["*.txt"]).expect("valid glob")
    }
}

/// Expands command-line arguments into documents, in a stable order:
/// arguments as given, folders walked recursively in file-name order
/// (symbolic links followed, loops reported). Paths that cannot be read
/// come back as errors; the rest still run.
pub fn inputs(args: &[String], sel: &Selection) -> (Vec<Input>, Vec<Error>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Input {
                path: None,
                doc: "-".into(),
                fields: Vec::new(),
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
                        Ok(e) if e.file_type().is_file() => {
                            let rel = e.path().strip_prefix(path).unwrap_or(e.path());
                            if sel.wants(rel) {
                                let doc = rel
                                    .components()
                                    .map(|c| c.as_os_str().to_string_lossy())
                                    .collect::<Vec<_>>()
                                    .join("/");
                                out.push(Input {
                                    path: Some(e.into_path()),
                                    doc,
                                    fields: Vec::new(),
                                });
                            }
                        }
                        Ok(_) => {}
                    }
                }
            }
            Ok(_) => out.push(Input {
                path: Some(path.to_path_buf()),
                doc: arg.replace('\\', "/"),
                fields: Vec::new(),
            }),
        }
    }
    (out, errors)
}

/// Opens one document as pieces of text.
pub fn open(input: &Input, limits: Limits) -> Result<Pieces, Error> {
    let piece = limits.piece;
    match &input.path {
        Some(p) => Pieces::open(p, piece, limits.whole_file),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    path: "-".into(),
                    source,
                })?;
            let text = decode_owned(bytes).ok_or_else(|| Error::Encoding { path: "-".into() })?;
            Ok(Pieces::from_text(text, piece))
        }
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents read and extracted.
    pub read: u64,
    /// Documents skipped (unreadable, undecodable).
    pub skipped: u64,
    /// Rows written.
    pub rows: u64,
    /// Bytes of text extracted (decoded, as UTF-8).
    pub bytes: u64,
    /// Rows per rule, kind and unit.
    pub stats: Stats,
}

/// Sizes that bound memory: pieces of a document, and text per batch.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes per piece of a document.
    pub piece: usize,
    /// Bytes of text read ahead per batch.
    pub batch: usize,
    /// Files up to this size are read whole; larger ones are streamed.
    pub whole_file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            piece: 1 << 20,
            batch: 8 << 20,
            whole_file: crate::decode::WHOLE_FILE_LIMIT,
        }
    }
}

/// A piece of a document waiting to be extracted.
struct Job {
    input: usize,
    text: String,
    char_base: usize,
    /// The document ends with this piece.
    last: bool,
}

/// Reads inputs into batches of pieces, in order.
struct Reader<'a, F> {
    inputs: &'a [Input],
    limits: Limits,
    next_input: usize,
    open: Option<(usize, Pieces, usize)>,
    warn: F,
    skipped: u64,
}

impl<F: FnMut(&Error)> Reader<'_, F> {
    fn batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut bytes = 0;
        while bytes < self.limits.batch {
            if self.open.is_none() {
                let Some(input) = self.inputs.get(self.next_input) else {
                    break;
                };
                let i = self.next_input;
                self.next_input += 1;
                match open(input, self.limits) {
                    Ok(p) => self.open = Some((i, p, 0)),
                    Err(e) => {
                        (self.warn)(&e);
                        self.skipped += 1;
                    }
                }
                continue;
            }
            let (i, pieces, base) = self.open.as_mut().expect("open document");
            let (i, base) = (*i, *base);
            match pieces.next() {
                Some(Ok(text)) => {
                    bytes += text.len();
                    let chars = text.chars().count();
                    self.open.as_mut().expect("open document").2 += chars;
                    jobs.push(Job {
                        input: i,
                        text,
                        char_base: base,
                        last: false,
                    });
                }
                Some(Err(source)) => {
                    let path = self.inputs[i]
                        .path
                        .as_ref()
                        .map_or("-".into(), |p| p.display().to_string());
                    (self.warn)(&Error::Io { path, source });
                    self.skipped += 1;
                    self.open = None;
                }
                None => {
                    self.open = None;
                    jobs.push(Job {
                        input: i,
                        text: String::new(),
                        char_base: base,
                        last: true,
                    });
                }
            }
        }
        jobs
    }
}

/// Extracts every input on the current rayon pool and writes the rows to
/// `out` in input order; `warn` hears of each document skipped.
pub fn run(
    inputs: &[Input],
    ex: &Extractor,
    format: &dyn Format,
    out: &mut (dyn Write + Send),
    limits: Limits,
    warn: impl FnMut(&Error) + Send,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut reader = Reader {
        inputs,
        limits,
        next_input: 0,
        open: None,
        warn,
        skipped: 0,
    };
    let mut header = Vec::new();
    format.header(&mut header);
    out.write_all(&header)?;
    let mut batch = reader.batch();
    while !batch.is_empty() {
        let (next, done) = rayon::join(
            || reader.batch(),
            || {
                batch
                    .par_iter()
                    .map(|job| {
                        let rows = ex.extract_chunk(&job.text, job.char_base);
                        let mut buf = Vec::new();
                        let input = &inputs[job.input];
                        let doc = Doc {
                            id: &input.doc,
                            fields: &input.fields,
                        };
                        format.rows(&mut buf, doc, &rows);
                        let mut stats = Stats::default();
                        stats.add(&rows);
                        (buf, stats)
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (job, (buf, stats)) in batch.iter().zip(done) {
            out.write_all(&buf)?;
            summary.rows += stats.rows;
            summary.stats.merge(stats);
            summary.bytes += job.text.len() as u64;
            summary.read += u64::from(job.last);
        }
        batch = next;
    }
    summary.skipped = reader.skipped;
    Ok(summary)
}
