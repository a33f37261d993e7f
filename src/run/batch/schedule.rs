//! Scheduling: documents read in pieces into bounded batches; while the
//! workers extract one batch (and format its rows, each into its own
//! buffer), the next is read; the formatted bytes are then written in
//! input order.

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use super::{save_path, Input, Options, Summary};
use crate::error::Error;
use crate::extract::Extractor;
use crate::meaning::meta::Meta;
use crate::output::stats::Stats;
use crate::output::{Doc, Format};
use crate::read::digest::{InputFacts, Tally};
use crate::read::open::Opened;
use crate::read::pieces::Pieces;

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
    ahead: std::collections::VecDeque<(usize, Option<Tally>, Result<Opened, Error>)>,
    open: Option<(usize, Pieces, usize)>,
    /// What is read of the open document, with [`Options::digest`].
    tally: Option<Tally>,
    /// The facts of the documents done, with [`Options::digest`].
    facts: Vec<InputFacts>,
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

    /// Input `i` is read or skipped: its facts, with [`Options::digest`].
    fn done(&mut self, i: usize) {
        let input = &self.inputs[i];
        if let (Some(tally), Some(path)) = (self.tally.take(), &input.path) {
            self.facts.extend(tally.facts(&input.doc, path));
        }
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
                    let tally = self.opts.digest.then(Tally::default);
                    let opened = self.opts.start(input, tally.clone());
                    self.ahead.push_back((self.next_input, tally, opened));
                    self.next_input += 1;
                }
                let Some((i, tally, opened)) = self.ahead.pop_front() else {
                    break;
                };
                let input = &self.inputs[i];
                self.tally = tally;
                match opened
                    .and_then(|o| self.opts.pieces(o, input))
                    .and_then(|p| Ok((p, self.save_file(input)?)))
                {
                    Ok((p, saving)) => {
                        self.open = Some((i, p, 0));
                        self.saving = saving;
                    }
                    Err(e) => {
                        (self.warn)(&e);
                        self.skipped += 1;
                        self.done(i);
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
                    self.done(i);
                }
                None => {
                    self.open = None;
                    self.done(i);
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
        tally: None,
        facts: Vec::new(),
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
            for x in &got.suspects {
                (reader.warn)(&Error::Suspect {
                    doc: inputs[job.input].doc.clone(),
                    start: x.start,
                    text: x.text.clone(),
                    why: x.why.to_string(),
                });
            }
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
    summary.inputs = reader.facts;
    Ok(summary)
}
