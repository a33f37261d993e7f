//! Batches: which files a command line names, and running the extractor
//! over them in parallel with rows written in input order.
//!
//! Documents are read as pieces cut at sentence ends ([`Pieces`]). Pieces
//! are gathered into bounded batches; while the workers extract one batch
//! (and format its rows, each into its own buffer), the next is read; the
//! formatted bytes are then written in input order. Memory is bounded by
//! the batch size, whatever the number or size of the documents, and the
//! output does not depend on the thread count. PDF, Word, HTML and `--pre`
//! documents are converted ahead, as many at once as there are workers,
//! each in a child process ([`crate::convert`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::decode::{decode_owned, Pieces};
use crate::error::Error;
use std::sync::Arc;

use crate::extract::Extractor;
use crate::meta::Meta;
use crate::output::{Doc, Format};
use crate::published::{self, Kind};
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
    /// Region and year from a manifest; read from the report when `None`.
    pub meta: Option<Meta>,
}

impl Input {
    /// The path as warnings name it (`-` for standard input).
    fn name(&self) -> String {
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
                meta: None,
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
                                    meta: None,
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
                meta: None,
            }),
        }
    }
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
    let mut rel = crate::outfile::contained(id).into_os_string();
    if !rel.to_string_lossy().ends_with(".txt") {
        rel.push(".txt");
    }
    dir.join(rel)
}

/// A callback that hears how far a run is.
pub type Progress = Arc<dyn Fn(&Summary) + Send + Sync>;

/// How documents are read.
#[derive(Clone, Default)]
pub struct Options {
    /// Sizes that bound memory.
    pub limits: Limits,
    /// A converter for files that are not text, PDF, Word or HTML: a
    /// command whose `{}` is the file's path, its stdout the document's text.
    pub pre: Option<String>,
    /// Write the text that offsets refer to here, one file per document.
    pub save_text: Option<PathBuf>,
    /// Hears how far the run is after each batch is written (a progress bar).
    pub progress: Option<Progress>,
    /// How PDF, Word, HTML and `--pre` inputs are converted, and within what limits.
    pub convert: crate::convert::Converter,
}

/// The largest PDF, Word or HTML file read (they are parsed whole).
pub const PUBLISHED_LIMIT: u64 = 100 << 20;

/// Joins a manifest (a CSV with a `doc` column, e.g. `doc,region,year,level`)
/// to the inputs by document id: `region`, `year`, `level` and `code` are
/// taken from it where it gives them, and its other columns are carried
/// into the output. Returns the names of those other columns, and the ids
/// of manifest rows that match no input (a typo or a moved file).
pub fn apply_manifest(
    inputs: &mut [Input],
    manifest: impl Read,
) -> Result<(Vec<String>, Vec<String>), String> {
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
    let [region, year, level, code] = ["region", "year", "level", "code"].map(col);
    let extra: Vec<usize> = (0..headers.len())
        .filter(|&i| i != doc && ![region, year, level, code].contains(&Some(i)))
        .collect();
    let mut by_doc = std::collections::HashMap::new();
    let mut order = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| e.to_string())?;
        order.push(rec[doc].to_string());
        by_doc.insert(rec[doc].to_string(), rec);
    }
    let mut used = std::collections::HashSet::new();
    for input in inputs.iter_mut() {
        let rec = by_doc.get(&input.doc);
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
        });
        input.fields = extra.iter().map(|&i| get(Some(i))).collect();
    }
    let unmatched = order
        .iter()
        .filter(|d| !used.contains(d.as_str()))
        .cloned()
        .collect();
    Ok((
        extra.iter().map(|&i| headers[i].clone()).collect(),
        unmatched,
    ))
}

/// A document opened for reading, its conversion (if it needs one) under way.
enum Opened {
    /// Plain text: the open file and the bytes already read from it.
    Text(std::fs::File, Vec<u8>),
    /// Standard input, read as text.
    Stdin,
    /// A converter at work in a thread of its own.
    Converting(std::thread::JoinHandle<Result<String, Error>>),
}

/// Opens one document and starts its conversion: PDF, Word and HTML by
/// the built-in converter, other files by the `--pre` converter, both in
/// a child process when `opts.convert` says so. The type is told from the
/// open handle, so a FIFO or `/dev/stdin` is read once.
fn start(input: &Input, opts: &Options) -> Result<Opened, Error> {
    let Some(p) = &input.path else {
        return Ok(Opened::Stdin);
    };
    let name = p.display().to_string();
    let converter = opts.convert.clone();
    let known = p
        .extension()
        .and_then(|e| Kind::of_extension(&e.to_string_lossy()));
    if let Some(cmd) = &opts.pre {
        if known.is_none() {
            let (cmd, path) = (cmd.clone(), p.clone());
            return Ok(Opened::Converting(std::thread::spawn(move || {
                let out = converter
                    .pre(&cmd, &path)
                    .map_err(|source| Error::Converter {
                        path: name.clone(),
                        command: cmd,
                        source,
                    })?;
                decode_owned(out).ok_or(Error::Encoding { path: name })
            })));
        }
    }
    let io_err = |source| Error::Io {
        path: name.clone(),
        source,
    };
    let mut file = std::fs::File::open(p).map_err(io_err)?;
    let mut head = Vec::with_capacity(published::HEAD);
    (&mut file)
        .take(published::HEAD as u64)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    let kind = published::kind_of(p, &head);
    if kind == Kind::Text {
        return Ok(Opened::Text(file, head));
    }
    // PDF, Word and HTML are parsed whole: a cap keeps memory bounded.
    let md = file.metadata().map_err(io_err)?;
    if md.is_file() && md.len() > PUBLISHED_LIMIT {
        return Err(Error::Published {
            path: name,
            source: published::PublishedError::TooLarge {
                limit: PUBLISHED_LIMIT,
            },
        });
    }
    Ok(Opened::Converting(std::thread::spawn(move || {
        let bytes = std::io::Cursor::new(head).chain(file);
        converter
            .published(kind, bytes)
            .map_err(|source| Error::Converted { path: name, source })
    })))
}

impl Opened {
    /// The document's pieces, once its conversion is done.
    fn pieces(self, input: &Input, opts: &Options) -> Result<Pieces, Error> {
        let piece = opts.limits.piece;
        match self {
            Opened::Text(file, head) => {
                Pieces::from_file(file, head, &input.name(), piece, opts.limits.whole_file)
            }
            Opened::Stdin => Pieces::from_stream(Box::new(std::io::stdin()), "-", piece),
            Opened::Converting(job) => {
                let text = job.join().map_err(|_| Error::Converted {
                    path: input.name(),
                    source: crate::convert::ConvertError::Refused("the converter panicked".into()),
                })??;
                Ok(Pieces::from_text(text, piece))
            }
        }
    }
}

/// Opens one document as pieces of text: plain text streamed, PDF, Word
/// and HTML converted first, other files through the `--pre` converter.
pub fn open(input: &Input, opts: &Options) -> Result<Pieces, Error> {
    start(input, opts)?.pieces(input, opts)
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
            piece: crate::extract::PIECE_BYTES,
            batch: 8 << 20,
            whole_file: crate::decode::WHOLE_FILE_LIMIT,
        }
    }
}

/// A document's region, year, level and code: the manifest's where it
/// gives them, else what the opening of the document (and its file name)
/// says; and a warning for each place where the two disagree.
fn doc_meta(ex: &Extractor, input: &Input, opening: &str) -> (Meta, Vec<Error>) {
    let name = input
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let (meta, clash) = ex.document_meta(input.meta.as_ref(), opening, &name);
    let warnings = clash
        .into_iter()
        .map(|(field, manifest, text)| Error::Contradiction {
            doc: input.doc.clone(),
            field,
            manifest,
            text,
        })
        .collect();
    (meta, warnings)
}

/// A piece of a document waiting to be extracted.
struct Job {
    input: usize,
    text: String,
    char_base: usize,
    /// The document starts with this piece.
    first: bool,
    /// The document ends with this piece.
    last: bool,
}

/// Reads inputs into batches of pieces, in order.
struct Reader<'a, F> {
    inputs: &'a [Input],
    opts: &'a Options,
    next_input: usize,
    /// Documents opened ahead, their conversions running in parallel.
    ahead: std::collections::VecDeque<(usize, Result<Opened, Error>)>,
    open: Option<(usize, Pieces, usize)>,
    /// Where the open document's text is being saved (`--save-text`).
    saving: Option<std::io::BufWriter<std::fs::File>>,
    warn: F,
    skipped: u64,
}

impl<F: FnMut(&Error)> Reader<'_, F> {
    /// The file the text of `input` is saved to, with `--save-text`:
    /// the document's id under the folder, `.txt` added unless it is there.
    fn save_file(&self, input: &Input) -> Result<Option<std::io::BufWriter<std::fs::File>>, Error> {
        let Some(dir) = &self.opts.save_text else {
            return Ok(None);
        };
        let path = save_path(dir, input);
        let create = || -> std::io::Result<std::fs::File> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create(&path)
        };
        create()
            .map(|f| Some(std::io::BufWriter::new(f)))
            .map_err(|source| Error::Io {
                path: path.display().to_string(),
                source,
            })
    }

    fn batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut bytes = 0;
        while bytes < self.opts.limits.batch {
            if self.open.is_none() {
                // As many conversions run at once as there are workers.
                while self.ahead.len() < rayon::current_num_threads().max(1) {
                    let Some(input) = self.inputs.get(self.next_input) else {
                        break;
                    };
                    self.ahead
                        .push_back((self.next_input, start(input, self.opts)));
                    self.next_input += 1;
                }
                let Some((i, opened)) = self.ahead.pop_front() else {
                    break;
                };
                let input = &self.inputs[i];
                match opened
                    .and_then(|o| o.pieces(input, self.opts))
                    .and_then(|p| Ok((p, self.save_file(input)?)))
                {
                    Ok((p, saving)) => {
                        self.open = Some((i, p, 0));
                        self.saving = saving;
                    }
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
                    let first = base == 0;
                    if let Some(w) = self.saving.as_mut() {
                        if let Err(source) = w.write_all(text.as_bytes()) {
                            (self.warn)(&Error::Io {
                                path: self
                                    .opts
                                    .save_text
                                    .as_ref()
                                    .map_or(String::new(), |d| d.display().to_string()),
                                source,
                            });
                            self.saving = None;
                        }
                    }
                    bytes += text.len();
                    let chars = text.chars().count();
                    self.open.as_mut().expect("open document").2 += chars;
                    jobs.push(Job {
                        input: i,
                        text,
                        char_base: base,
                        first,
                        last: false,
                    });
                }
                Some(Err(source)) => {
                    let path = self.inputs[i].name();
                    (self.warn)(&Error::Io { path, source });
                    self.skipped += 1;
                    self.open = None;
                }
                None => {
                    self.open = None;
                    if let Some(mut w) = self.saving.take() {
                        if let Err(source) = w.flush() {
                            let path = self
                                .opts
                                .save_text
                                .as_ref()
                                .map_or(String::new(), |d| d.display().to_string());
                            (self.warn)(&Error::Io { path, source });
                        }
                    }
                    jobs.push(Job {
                        input: i,
                        text: String::new(),
                        char_base: base,
                        first: base == 0,
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
    opts: &Options,
    warn: impl FnMut(&Error) + Send,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut reader = Reader {
        inputs,
        opts,
        next_input: 0,
        ahead: Default::default(),
        open: None,
        saving: None,
        warn,
        skipped: 0,
    };
    let mut header = Vec::new();
    format.header(&mut header);
    out.write_all(&header)?;
    let mut batch = reader.batch();
    let mut section = None;
    let mut meta = Arc::new(Meta::default());
    while !batch.is_empty() {
        let (next, mut extracted) = rayon::join(
            || reader.batch(),
            || {
                batch
                    .par_iter()
                    .map(|job| {
                        let meta = job
                            .first
                            .then(|| doc_meta(ex, &inputs[job.input], &job.text));
                        (ex.extract_piece(&job.text, job.char_base), meta)
                    })
                    .collect::<Vec<_>>()
            },
        );
        // Sections and region/year run on from piece to piece of a document, in order.
        let mut metas = Vec::with_capacity(batch.len());
        for (job, (got, found)) in batch.iter().zip(extracted.iter_mut()) {
            if job.first {
                section = None;
            }
            if let Some((m, warnings)) = found.take() {
                meta = Arc::new(m);
                warnings.iter().for_each(&mut reader.warn);
            }
            metas.push(meta.clone());
            ex.continue_section(&mut got.rows, &section);
            if let Some(h) = got.last_heading.take() {
                section = Some(h);
            }
        }
        let formatted: Vec<(Vec<u8>, Stats)> = batch
            .par_iter()
            .zip(extracted.par_iter().zip(metas.par_iter()))
            .map(|(job, ((got, _), meta))| {
                let input = &inputs[job.input];
                let doc = Doc {
                    id: &input.doc,
                    meta,
                    fields: &input.fields,
                };
                let mut buf = Vec::new();
                format.rows(&mut buf, doc, &got.rows);
                let mut stats = Stats::default();
                stats.add(&got.rows);
                (buf, stats)
            })
            .collect();
        for (job, (buf, stats)) in batch.iter().zip(formatted) {
            out.write_all(&buf)?;
            summary.rows += stats.rows;
            summary.stats.merge(stats);
            summary.bytes += job.text.len() as u64;
            summary.read += u64::from(job.last);
        }
        if let Some(p) = &opts.progress {
            summary.skipped = reader.skipped;
            p(&summary);
        }
        batch = next;
    }
    summary.skipped = reader.skipped;
    Ok(summary)
}
