//! Batches: which files a command line names ([`fn@inputs`]), opening and
//! converting them ([`crate::read::open`]), and running the extractor over
//! them in parallel with rows handed on in input order (the scheduler that
//! [`crate::run::Job`] runs).
//!
//! Documents are read as pieces cut at sentence ends
//! ([`crate::read::pieces::Pieces`]). Memory is bounded by the batch size,
//! whatever the number or size of the documents, and the output does not
//! depend on the thread count. PDF, Word, HTML and `--pre` documents are
//! converted ahead, as many at once as there are workers, each in a child
//! process ([`crate::read::convert`]).

mod doc_ids;
mod folder;
mod gather;
mod inputs;
mod manifest;
pub(super) mod schedule;

use std::sync::Arc;

use crate::error::{ConvertError, Error};
use crate::output::stats::Stats;
use crate::read::digest::Tally;
use crate::read::open::{start, Opened};
use crate::read::pieces::Pieces;

pub use gather::{gather, Gathered};
use inputs::Walk;
pub use inputs::{inputs, save_path, Input, Selection};

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
    /// Write the text that offsets refer to here, one file per document;
    /// a text that cannot be written ends the run with an error.
    pub save_text: Option<crate::run::outfile::SaveFolder>,
    /// Hears how far the run is after each batch is written (a progress bar).
    pub progress: Option<Progress>,
    /// How PDF, Word, HTML and `--pre` inputs are converted, and within what limits.
    pub convert: crate::read::convert::Converter,
    /// Hash each input file as it is read, for [`Summary::inputs`] (`--summary`).
    pub digest: bool,
}

/// A pool of `threads` workers (`None`: one per core).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents read and extracted.
    pub read: u64,
    /// Documents skipped (unreadable, undecodable), and paths that named none.
    pub skipped: u64,
    /// Rows written.
    pub rows: u64,
    /// Bytes of text extracted (decoded, as UTF-8).
    pub bytes: u64,
    /// Rows per rule, kind and unit.
    pub stats: Stats,
    /// With [`Options::digest`]: the size, sha256, format and encoding of
    /// every input file that could be read, skipped ones included, in order.
    pub inputs: Vec<crate::read::digest::InputFacts>,
    /// Worker threads the run had.
    pub threads: usize,
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
            batch: 4 << 20,
            whole_file: crate::read::pieces::WHOLE_FILE_LIMIT,
        }
    }
}

impl Options {
    /// Opens `input` and starts its conversion ([`crate::read::open`]).
    fn start(&self, input: &Input, tally: Option<Tally>) -> Result<Opened, Error> {
        let converter = &self.convert;
        start(input.path.as_deref(), self.pre.as_deref(), converter, tally)
    }

    /// The pieces of `input`, opened, once its conversion is done.
    fn pieces(&self, opened: Opened, input: &Input) -> Result<Pieces, Error> {
        let Limits {
            piece, whole_file, ..
        } = self.limits;
        opened.pieces(&input.name(), piece, whole_file)
    }
}

/// Opens one document as pieces of text: plain text streamed, PDF, Word
/// and HTML converted first, other files through the `--pre` converter.
pub fn open(input: &Input, opts: &Options) -> Result<Pieces, Error> {
    opts.pieces(opts.start(input, None)?, input)
}

/// The whole text of one document, for the commands that hold it in
/// memory (`view`, `explain --file`): refused past the converter's
/// [`crate::read::convert::Limits::text`] (`--max-text`), as a conversion
/// returning that much is, where `extract` would stream it.
pub struct WholeText {
    /// The text so far.
    pub text: String,
    path: String,
    cap: u64,
}

impl WholeText {
    /// An empty text of the document at `path`, read with `opts`.
    pub fn new(path: &str, opts: &Options) -> WholeText {
        WholeText {
            text: String::new(),
            path: path.to_string(),
            cap: opts.convert.limits.text,
        }
    }

    /// Adds `piece`, or refuses the document if that makes it too long.
    pub fn push(&mut self, piece: &str) -> Result<(), Error> {
        if (self.text.len() + piece.len()) as u64 > self.cap {
            return Err(Error::Converted {
                path: self.path.clone(),
                source: ConvertError::TooMuchText(self.cap),
            });
        }
        self.text.push_str(piece);
        Ok(())
    }
}

/// The whole text of the document at `path` as `extract` reads it (for
/// `explain --file`), within [`WholeText`]'s cap; for a folder, its first document.
pub fn read_document(path: &str, opts: &Options) -> Result<String, Error> {
    let (inputs, errors) = inputs(&[path.to_string()], &Selection::default());
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let input = inputs.first().ok_or_else(|| Error::NoDocument {
        path: path.to_string(),
    })?;
    let mut whole = WholeText::new(path, opts);
    for piece in open(input, opts)? {
        whole.push(&piece.map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?)?;
    }
    Ok(whole.text)
}
