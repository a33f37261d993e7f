//! Opening the inputs: plain text streamed in pieces, PDF, Word, HTML and
//! `--pre` documents converted (each in a thread of its own that waits on
//! a child process, so conversions run ahead of the reader).

use std::io::Read;

use crate::error::Error;
use crate::read::decode_owned;
use crate::read::pieces::Pieces;
use crate::read::published::{self, Kind};
use crate::run::batch::{inputs, Input, Options, Selection, PUBLISHED_LIMIT};
use crate::run::provenance::{Digesting, Tally};

/// A document opened for reading, its conversion (if it needs one) under way.
pub(crate) enum Opened {
    /// Plain text: the open file, what it is, and the bytes already read from it.
    Text(Digesting<std::fs::File>, std::fs::Metadata, Vec<u8>),
    /// Standard input, read as text.
    Stdin,
    /// A converter at work in a thread of its own.
    Converting(std::thread::JoinHandle<Result<String, Error>>),
}

/// Opens one document and starts its conversion: PDF, Word and HTML by
/// the built-in converter, other files by the `--pre` converter, both in
/// a child process when `opts.convert` says so. The type is told from the
/// open handle, so a FIFO or `/dev/stdin` is read once. What is read of
/// the file passes through `tally`.
pub(crate) fn start(input: &Input, opts: &Options, tally: Option<Tally>) -> Result<Opened, Error> {
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
    let file = std::fs::File::open(p).map_err(io_err)?;
    let md = file.metadata().map_err(io_err)?;
    let mut file = Digesting::new(file, tally);
    let mut head = Vec::with_capacity(published::HEAD);
    (&mut file)
        .take(published::HEAD as u64)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    let kind = published::kind_of(p, &head);
    if kind == Kind::Text {
        return Ok(Opened::Text(file, md, head));
    }
    // PDF, Word and HTML are parsed whole: a cap keeps memory bounded.
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
    pub(crate) fn pieces(self, input: &Input, opts: &Options) -> Result<Pieces, Error> {
        let piece = opts.limits.piece;
        match self {
            Opened::Text(file, md, head) => Pieces::from_file(
                file,
                &md,
                head,
                &input.name(),
                piece,
                opts.limits.whole_file,
            ),
            Opened::Stdin => Pieces::from_stream(Box::new(std::io::stdin()), "-", piece),
            Opened::Converting(job) => {
                let text = job.join().map_err(|_| Error::Converted {
                    path: input.name(),
                    source: crate::read::convert::ConvertError::Refused(
                        "the converter panicked".into(),
                    ),
                })??;
                Ok(Pieces::from_text(text, piece))
            }
        }
    }
}

/// Opens one document as pieces of text: plain text streamed, PDF, Word
/// and HTML converted first, other files through the `--pre` converter.
pub fn open(input: &Input, opts: &Options) -> Result<Pieces, Error> {
    start(input, opts, None)?.pieces(input, opts)
}

/// The whole text of the document at `path` as `extract` reads it (for
/// `explain --file`); for a folder, its first document.
pub fn read_document(path: &str, opts: &Options) -> Result<String, Error> {
    let (inputs, errors) = inputs(&[path.to_string()], &Selection::default());
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let input = inputs.first().ok_or_else(|| Error::NoDocument {
        path: path.to_string(),
    })?;
    let mut text = String::new();
    for piece in open(input, opts)? {
        text.push_str(&piece.map_err(|source| Error::Io {
            path: path.to_string(),
            source,
        })?);
    }
    Ok(text)
}
