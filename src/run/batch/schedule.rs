//! Scheduling: documents read in pieces into bounded batches; while the
//! workers extract one batch (and the sink works on each piece, a format
//! rendering its rows into a buffer of its own), the next is read; the
//! sink then takes the pieces in input order.

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use super::{save_path, Input, Options, Summary};
use crate::error::Error;
use crate::extract::{Extracted, Extractor, Section};
use crate::meaning::meta::Meta;
use crate::output::stats::Stats;
use crate::output::{Doc, Piece, Sink};
use crate::read::digest::{InputFacts, Tally};
use crate::read::open::Opened;
use crate::read::pieces::Pieces;
use crate::run::outfile::{OutputError, Pending};

/// A document's region, year, level and code: the manifest's where it
/// gives them, else what the opening of the document (and its file name)
/// says; and a warning for each place where the two disagree.
/// `traditional`: whether `opening` holds a traditional character.
fn doc_meta(ex: &Extractor, input: &Input, opening: &str, traditional: bool) -> (Meta, Vec<Error>) {
    let name = input
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let (meta, clash) = ex.document_meta(input.meta.as_ref(), opening, &name, Some(traditional));
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

/// What a piece costs a batch at the least, in bytes of text: its rows,
/// the sink's part and the bookkeeping cost about this whatever its size,
/// so that a batch of one-line documents holds about a thousand of them,
/// not the tens of thousands its text alone would let in.
const PIECE_COST: usize = 4 << 10;

/// A piece of a document waiting to be extracted.
struct Job {
    input: Arc<Input>,
    text: String,
    char_base: usize,
    /// The document starts with this piece.
    first: bool,
    /// The document ends with this piece.
    last: bool,
}

/// A document opened ahead: what is read of it (with [`Options::digest`])
/// and its conversion, started.
type Ahead = (Arc<Input>, Option<Tally>, Result<Opened, Error>);

/// Reads inputs into batches of pieces, in order.
struct Reader<'a, I, F> {
    /// The inputs not yet opened.
    inputs: I,
    opts: &'a Options,
    /// Documents opened ahead, their conversions running in parallel.
    ahead: std::collections::VecDeque<Ahead>,
    open: Option<(Arc<Input>, Pieces, usize)>,
    /// What is read of the open document, with [`Options::digest`].
    tally: Option<Tally>,
    /// The facts of the documents done, with [`Options::digest`].
    facts: Vec<InputFacts>,
    /// Where the open document's text is being saved (`--save-text`).
    saving: Option<Pending>,
    /// Why saving a text failed, which ends the run.
    failed: Option<OutputError>,
    warn: F,
    skipped: u64,
}

impl<I: Iterator<Item = Input>, F: FnMut(&Error)> Reader<'_, I, F> {
    /// Starts saving the text of `input`, with `--save-text`: to the
    /// document's id under the folder, `.txt` added unless it is there.
    fn save_file(&self, input: &Input) -> Result<Option<Pending>, OutputError> {
        let Some(folder) = &self.opts.save_text else {
            return Ok(None);
        };
        folder.create(&save_path(folder.path(), input)).map(Some)
    }

    /// A saved text cannot be written: the run stops (its output is not
    /// replaced), since rows would point into a text that is not there.
    fn save_failed(&mut self, e: OutputError) {
        self.saving = None;
        self.failed.get_or_insert(e);
    }

    /// `input` is read or skipped: its facts, with [`Options::digest`].
    fn done(&mut self, input: &Input) {
        if let (Some(tally), Some(path)) = (self.tally.take(), &input.path) {
            self.facts.extend(tally.facts(&input.doc, path));
        }
    }

    /// The next pieces, about a batch's bytes of them.
    fn batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut bytes = 0;
        while bytes < self.opts.limits.batch && self.failed.is_none() {
            if self.open.is_none() {
                if !self.open_next() {
                    break;
                }
                continue;
            }
            if let Some(job) = self.next_piece() {
                bytes += job.text.len().max(PIECE_COST);
                jobs.push(job);
            }
        }
        jobs
    }

    /// Opens the next document, starting conversions ahead (as many at
    /// once as there are workers); false when there is none left.
    fn open_next(&mut self) -> bool {
        while self.ahead.len() < rayon::current_num_threads().max(1) {
            let Some(input) = self.inputs.next() else {
                break;
            };
            let tally = self.opts.digest.then(Tally::default);
            let opened = self.opts.start(&input, tally.clone());
            self.ahead.push_back((Arc::new(input), tally, opened));
        }
        let Some((input, tally, opened)) = self.ahead.pop_front() else {
            return false;
        };
        self.tally = tally;
        match opened.and_then(|o| self.opts.pieces(o, &input)) {
            Ok(p) => {
                let saving = self.save_file(&input);
                self.open = Some((input, p, 0));
                match saving {
                    Ok(saving) => self.saving = saving,
                    Err(e) => self.save_failed(e),
                }
            }
            Err(e) => {
                (self.warn)(&e);
                self.skipped += 1;
                self.done(&input);
            }
        }
        true
    }

    /// The open document's next piece; at its end an empty last piece
    /// (nothing when it cannot be read further: it is skipped).
    fn next_piece(&mut self) -> Option<Job> {
        let (input, pieces, base) = self.open.as_mut().expect("open document");
        let (input, base) = (input.clone(), *base);
        match pieces.next() {
            Some(Ok(text)) => {
                self.save(&input, text.as_bytes());
                let chars = text.chars().count();
                self.open.as_mut().expect("open document").2 += chars;
                Some(Job {
                    input,
                    text,
                    char_base: base,
                    first: base == 0,
                    last: false,
                })
            }
            Some(Err(source)) => {
                let path = input.name();
                (self.warn)(&Error::Io { path, source });
                self.skipped += 1;
                self.open = None;
                self.done(&input);
                None
            }
            None => {
                if let Some((encoding, damage)) = pieces.decoding().filter(|(_, d)| d.count > 0) {
                    (self.warn)(&Error::Damaged {
                        path: input.name(),
                        encoding: encoding.name(),
                        count: damage.count,
                        first: damage.first.clone(),
                    });
                }
                self.open = None;
                self.done(&input);
                if let Some(w) = self.saving.take() {
                    if let Err(e) = w.commit() {
                        self.save_failed(e);
                    }
                }
                Some(Job {
                    input,
                    text: String::new(),
                    char_base: base,
                    first: base == 0,
                    last: true,
                })
            }
        }
    }

    /// Saves a piece's text of `input` (`--save-text`); a failure ends
    /// the run ([`Self::save_failed`]).
    fn save(&mut self, input: &Input, text: &[u8]) {
        if let Some(w) = self.saving.as_mut() {
            if let Err(source) = w.write_all(text) {
                let folder = self.opts.save_text.as_ref().expect("saving");
                let path = save_path(folder.path(), input);
                self.save_failed(OutputError::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        }
    }
}

/// A piece extracted in a worker: its rows, the document's region and
/// year when it is the first piece (with warnings where a manifest and the
/// text disagree), and what the sink made of it.
struct Done<P> {
    got: Extracted,
    found: Option<(Meta, Vec<Error>)>,
    part: Option<P>,
    stats: Stats,
}

/// Extracts every input on the current rayon pool and hands the rows to
/// `sink` in input order; `warn` hears of each document skipped.
pub(crate) fn run<S: Sink + Send + Sync>(
    inputs: impl Iterator<Item = Input> + Send,
    ex: &Extractor,
    sink: &mut S,
    opts: &Options,
    warn: impl FnMut(&Error) + Send,
) -> std::io::Result<Summary> {
    let mut summary = Summary::default();
    let mut reader = Reader {
        inputs,
        opts,
        ahead: Default::default(),
        open: None,
        tally: None,
        facts: Vec::new(),
        saving: None,
        failed: None,
        warn,
        skipped: 0,
    };
    sink.begin()?;
    let mut carry = Carry::default();
    let mut batch = reader.batch();
    while !batch.is_empty() {
        let (next, mut done) = rayon::join(
            || reader.batch(),
            || {
                batch
                    .par_iter()
                    .map(|job| extract(ex, job))
                    .collect::<Vec<_>>()
            },
        );
        let metas = carry.settle(ex, &batch, &mut done, &mut reader.warn);
        // The sink's work on each piece, in the workers.
        let shared: &S = sink;
        done.par_iter_mut()
            .zip(batch.par_iter().zip(metas.par_iter()))
            .for_each(|(d, (job, meta))| {
                d.part = Some(shared.part(&piece(job, meta, &d.got)));
            });
        for ((job, d), meta) in batch.iter().zip(done).zip(&metas) {
            let part = d.part.expect("every piece has its part");
            sink.take(&piece(job, meta, &d.got), part)?;
            summary.rows += d.stats.rows;
            summary.stats.merge(d.stats);
            summary.bytes += job.text.len() as u64;
            summary.read += u64::from(job.last);
        }
        if let Some(p) = &opts.progress {
            summary.skipped = reader.skipped;
            p(&summary);
        }
        if let Some(e) = reader.failed.take() {
            return Err(std::io::Error::other(e));
        }
        batch = next;
    }
    if let Some(e) = reader.failed.take() {
        return Err(std::io::Error::other(e));
    }
    summary.skipped = reader.skipped;
    summary.inputs = reader.facts;
    Ok(summary)
}

/// Extracts one piece (in a worker).
fn extract<P>(ex: &Extractor, job: &Job) -> Done<P> {
    let got = ex.extract_piece(&job.text, job.char_base);
    let found = job
        .first
        .then(|| doc_meta(ex, &job.input, &job.text, got.traditional));
    let mut stats = Stats::default();
    stats.add(&got.rows);
    Done {
        got,
        found,
        part: None,
        stats,
    }
}

/// A piece as the sink sees it.
fn piece<'a>(job: &'a Job, meta: &'a Meta, got: &'a Extracted) -> Piece<'a> {
    Piece {
        doc: Doc {
            id: &job.input.doc,
            meta,
            fields: &job.input.fields,
        },
        text: &job.text,
        char_base: job.char_base,
        rows: &got.rows,
        first: job.first,
        last: job.last,
    }
}

/// What runs on from piece to piece of a document, in order: its section
/// and its region and year.
#[derive(Default)]
struct Carry {
    section: Option<Section>,
    meta: Arc<Meta>,
}

impl Carry {
    /// Gives each piece of a batch the section and metadata of its
    /// document, warns of its suspects, and returns the pieces' metadata.
    fn settle<P>(
        &mut self,
        ex: &Extractor,
        batch: &[Job],
        done: &mut [Done<P>],
        warn: &mut impl FnMut(&Error),
    ) -> Vec<Arc<Meta>> {
        let mut metas = Vec::with_capacity(batch.len());
        for (job, d) in batch.iter().zip(done.iter_mut()) {
            if job.first {
                self.section = None;
            }
            if let Some((m, warnings)) = d.found.take() {
                self.meta = Arc::new(m);
                warnings.iter().for_each(&mut *warn);
            }
            metas.push(self.meta.clone());
            for x in &d.got.suspects {
                warn(&Error::Suspect {
                    doc: job.input.doc.clone(),
                    start: x.start,
                    text: x.text.clone(),
                    why: x.why.to_string(),
                });
            }
            ex.continue_section(&mut d.got.rows, &self.section);
            if let Some(h) = d.got.last_heading.take() {
                self.section = Some(h);
            }
        }
        metas
    }
}
