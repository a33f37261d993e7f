//! Opening a file: plain text streamed in pieces, PDF, Word, HTML and
//! `--pre` documents converted (each in a thread of its own that waits on
//! a child process, so conversions run ahead of the reader).

use std::io::Read;
use std::path::Path;

use super::convert::{ConvertError, Converter};
use super::digest::{Digesting, Tally};
use super::pieces::Pieces;
use super::published::{self, Kind, PublishedError, PUBLISHED_LIMIT};
use crate::error::Error;

/// A document opened for reading, its conversion (if it needs one) under way.
pub(crate) enum Opened {
    /// Plain text: the open file, what it is, and the bytes already read from it.
    Text(Digesting<std::fs::File>, std::fs::Metadata, Vec<u8>),
    /// Standard input, read as text.
    Stdin,
    /// A converter at work in a thread of its own.
    Converting(std::thread::JoinHandle<Result<Converted, Error>>),
}

/// What a converter gives: text (the built-in ones), or bytes in some
/// encoding (a `--pre` command).
pub(crate) enum Converted {
    Text(String),
    Bytes(Vec<u8>),
}

/// Opens the document at `path` (`None`: standard input) and starts its
/// conversion: PDF, Word and HTML by `converter`'s built-in converter,
/// other files by the `--pre` command `pre` when there is one, both in a
/// child process when `converter` says so. The type is told from the open
/// handle, so a FIFO or `/dev/stdin` is read once. What is read of the file
/// passes through `tally`.
pub(crate) fn start(
    path: Option<&Path>,
    pre: Option<&str>,
    converter: &Converter,
    tally: Option<Tally>,
) -> Result<Opened, Error> {
    let Some(p) = path else {
        return Ok(Opened::Stdin);
    };
    let name = p.display().to_string();
    let converter = converter.clone();
    let known = p
        .extension()
        .and_then(|e| Kind::of_extension(&e.to_string_lossy()));
    if let Some(cmd) = pre {
        if known.is_none() {
            let (cmd, path) = (cmd.to_string(), p.to_path_buf());
            return Ok(Opened::Converting(std::thread::spawn(move || {
                converter
                    .pre(&cmd, &path)
                    .map_err(|source| Error::Converter {
                        path: name.clone(),
                        command: cmd,
                        source,
                    })
                    .map(Converted::Bytes)
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
            source: PublishedError::TooLarge {
                limit: PUBLISHED_LIMIT,
            },
        });
    }
    Ok(Opened::Converting(std::thread::spawn(move || {
        let bytes = std::io::Cursor::new(head).chain(file);
        converter
            .published(kind, bytes)
            .map_err(|source| Error::Converted { path: name, source })
            .map(Converted::Text)
    })))
}

impl Opened {
    /// The document's pieces of about `piece` bytes, once its conversion is
    /// done; a text file of up to `whole_file` bytes is read whole, a larger
    /// one streamed ([`Pieces::from_file`]). Errors name `name`.
    pub(crate) fn pieces(self, name: &str, piece: usize, whole_file: u64) -> Result<Pieces, Error> {
        match self {
            Opened::Text(file, md, head) => {
                Pieces::from_file(file, &md, head, name, piece, whole_file)
            }
            Opened::Stdin => Pieces::from_stream(Box::new(std::io::stdin()), "-", piece),
            Opened::Converting(job) => {
                let text = job.join().map_err(|_| Error::Converted {
                    path: name.to_string(),
                    source: ConvertError::Refused("the converter panicked".into()),
                })??;
                match text {
                    Converted::Text(text) => Ok(Pieces::from_text(text, piece)),
                    Converted::Bytes(bytes) => Pieces::from_bytes(bytes, name, piece),
                }
            }
        }
    }
}
