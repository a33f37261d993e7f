//! Where typed rows go: a [`Sink`] receives each piece of each document,
//! its rows and the document's columns, in input order. The byte formats
//! ([`Bytes`] of a [`Format`]), the panel and `view`'s page are sinks.

use std::io::{self, Write};
use std::sync::Mutex;

use super::{Doc, Format};
use crate::extract::Quantity;

/// One piece of a document, extracted: what a sink receives.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    /// The document's id, region, year and extra columns.
    pub doc: Doc<'a>,
    /// The piece's text (offsets of its rows count from the document's start).
    pub text: &'a str,
    /// Code points of the document before the piece: where `text` starts.
    pub char_base: usize,
    /// The piece's rows, in order.
    pub rows: &'a [Quantity],
    /// The piece is the document's first.
    pub first: bool,
    /// The document ends with this piece (a batch run ends each document
    /// with an empty piece; `stream` gives each document as one piece).
    pub last: bool,
}

/// A consumer of typed rows. A run hands each piece to [`Sink::part`] in
/// the worker threads, in parallel (formatting a document's rows is work
/// worth sharing), and then the pieces with their parts to [`Sink::take`]
/// one at a time, in input order.
pub trait Sink {
    /// What a worker makes of a piece.
    type Part: Send;
    /// Called once before the first piece (a header row).
    fn begin(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Works on a piece in a worker thread.
    fn part(&self, piece: &Piece<'_>) -> Self::Part;
    /// Takes a piece and its part, in input order.
    fn take(&mut self, piece: &Piece<'_>, part: Self::Part) -> io::Result<()>;
    /// Passes what is taken on now (`stream` does after each document).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A byte format written to `out`: each piece's rows rendered in a worker,
/// the bytes written in input order.
pub struct Bytes<'a> {
    format: &'a dyn Format,
    /// Used only by `take`, from one thread; the lock lets workers share the sink.
    out: Mutex<&'a mut (dyn Write + Send)>,
}

impl<'a> Bytes<'a> {
    /// `format` written to `out`.
    pub fn new(format: &'a dyn Format, out: &'a mut (dyn Write + Send)) -> Bytes<'a> {
        Bytes {
            format,
            out: Mutex::new(out),
        }
    }

    fn out(&mut self) -> &mut (dyn Write + Send) {
        *self.out.get_mut().expect("no panic while holding the lock")
    }
}

impl Sink for Bytes<'_> {
    type Part = Vec<u8>;

    fn begin(&mut self) -> io::Result<()> {
        let mut header = Vec::new();
        self.format.header(&mut header);
        self.out().write_all(&header)
    }

    fn part(&self, piece: &Piece<'_>) -> Vec<u8> {
        let mut buf = Vec::new();
        self.format.rows(&mut buf, piece.doc, piece.rows);
        buf
    }

    fn take(&mut self, _piece: &Piece<'_>, part: Vec<u8>) -> io::Result<()> {
        self.out().write_all(&part)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out().flush()
    }
}
