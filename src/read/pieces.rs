//! Decoding: bytes of a report to text ([`super::charset`]: UTF-8 with or
//! without BOM, GB18030, Big5, UTF-16; a few invalid bytes read as U+FFFD
//! and noted), handed out in pieces.
//!
//! Documents come out as a sequence of pieces cut at sentence ends, so a
//! document of any size is processed in bounded memory: small files are
//! read whole, large ones are streamed, their encoding told from their
//! first MiB.

use std::io::{self, Read, Seek, SeekFrom};

use super::charset::{decode_text, detect_head, Damage, Decoder, Encoding};
use crate::error::Error;
use crate::text::cut_point;

/// Files up to this size are read whole by default; larger ones are streamed.
pub const WHOLE_FILE_LIMIT: u64 = 16 << 20;
const BLOCK: usize = 1 << 20;

/// The text of one document, piece by piece, each piece ending at a
/// sentence end (`。`) or line end where one is near, about `piece` bytes long.
pub struct Pieces {
    source: Source,
    buf: String,
    /// How much of `buf` was already handed out (text read whole).
    taken: usize,
    piece: usize,
    done: bool,
}

enum Source {
    /// Text in memory, decoded in `Encoding` with `Damage` (`None`: it
    /// came as text).
    Whole(Option<(Encoding, Damage)>),
    Stream {
        file: Box<dyn Read + Send>,
        decoder: Decoder,
        block: Vec<u8>,
        eof: bool,
    },
}

impl Pieces {
    /// Pieces of text already in memory.
    pub fn from_text(text: String, piece: usize) -> Pieces {
        Pieces {
            source: Source::Whole(None),
            buf: text,
            taken: 0,
            piece,
            done: false,
        }
    }

    /// Pieces of a whole document's bytes; an error names `name` when no
    /// encoding reads them.
    pub fn from_bytes(bytes: Vec<u8>, name: &str, piece: usize) -> Result<Pieces, Error> {
        let (text, encoding, damage) = decode_text(bytes).ok_or_else(|| Error::Encoding {
            path: name.to_string(),
        })?;
        let mut p = Pieces::from_text(text, piece);
        p.source = Source::Whole(Some((encoding, damage)));
        Ok(p)
    }

    /// Pieces of an open file (`md` its metadata) whose first bytes, `head`, were already read
    /// from it (to tell its type). A regular file of up to `whole_limit`
    /// bytes is read whole; a larger one is streamed. Anything else (stdin,
    /// a FIFO, a device: their size is unknown, and they cannot be read
    /// twice) is streamed ([`Pieces::from_stream`]). Errors name `name`.
    pub fn from_file(
        mut file: impl Read + Seek + Send + 'static,
        md: &std::fs::Metadata,
        head: Vec<u8>,
        name: &str,
        piece: usize,
        whole_limit: u64,
    ) -> Result<Pieces, Error> {
        let io_err = |source| Error::Io {
            path: name.to_string(),
            source,
        };
        if !md.is_file() {
            let rest: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(file));
            return Pieces::from_stream(rest, name, piece);
        }
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        if md.len() <= whole_limit {
            let mut bytes = Vec::with_capacity(md.len() as usize);
            file.read_to_end(&mut bytes).map_err(io_err)?;
            return Pieces::from_bytes(bytes, name, piece);
        }
        Pieces::from_stream(Box::new(file), name, piece)
    }

    /// Pieces of a stream that can be read only once, its encoding told
    /// from its first MiB ([`detect_head`]).
    pub fn from_stream(
        mut input: Box<dyn Read + Send>,
        name: &str,
        piece: usize,
    ) -> Result<Pieces, Error> {
        let mut first = Vec::with_capacity(BLOCK);
        (&mut input)
            .take(BLOCK as u64)
            .read_to_end(&mut first)
            .map_err(|source| Error::Io {
                path: name.to_string(),
                source,
            })?;
        let encoding = detect_head(&first, first.len() == BLOCK);
        let encoding = encoding.ok_or_else(|| Error::Encoding {
            path: name.to_string(),
        })?;
        Ok(Pieces::stream(
            Box::new(io::Cursor::new(first).chain(input)),
            encoding,
            piece,
        ))
    }

    /// Pieces of a stream known to be in `encoding`.
    pub fn stream(file: Box<dyn Read + Send>, encoding: Encoding, piece: usize) -> Pieces {
        Pieces {
            source: Source::Stream {
                file,
                decoder: Decoder::new(encoding),
                block: vec![0; BLOCK],
                eof: false,
            },
            buf: String::new(),
            taken: 0,
            piece,
            done: false,
        }
    }

    /// The encoding the text was read in and the bytes that were not valid
    /// in it, so far (`None`: the text came as text, from a converter).
    pub fn decoding(&self) -> Option<(Encoding, &Damage)> {
        match &self.source {
            Source::Whole(d) => d.as_ref().map(|(e, d)| (*e, d)),
            Source::Stream { decoder, .. } => Some((decoder.encoding(), decoder.damage())),
        }
    }

    /// Reads and decodes until `buf` holds more than a piece, or the end.
    fn fill(&mut self) -> io::Result<()> {
        let Source::Stream {
            file,
            decoder,
            block,
            eof,
        } = &mut self.source
        else {
            return Ok(());
        };
        while !*eof && self.buf.len() <= self.piece {
            let n = file.read(block)?;
            *eof = n == 0;
            decoder.feed(&block[..n], &mut self.buf, *eof);
        }
        Ok(())
    }
}

impl Iterator for Pieces {
    type Item = io::Result<String>;

    fn next(&mut self) -> Option<io::Result<String>> {
        if self.done {
            return None;
        }
        if let Err(e) = self.fill() {
            self.done = true;
            return Some(Err(e));
        }
        if let Source::Whole(_) = self.source {
            // Text read whole is handed out in slices, not split and moved.
            let rest = &self.buf[self.taken..];
            if rest.is_empty() {
                self.done = true;
                return None;
            }
            let cut = cut_point(rest, self.piece);
            self.taken += cut;
            return Some(Ok(rest[..cut].to_string()));
        }
        let at_end = matches!(&self.source, Source::Stream { eof: true, .. });
        if self.buf.is_empty() && at_end {
            self.done = true;
            return None;
        }
        if at_end && self.buf.len() <= self.piece {
            self.done = true;
            return Some(Ok(std::mem::take(&mut self.buf)));
        }
        let cut = cut_point(&self.buf, self.piece);
        let rest = self.buf.split_off(cut);
        Some(Ok(std::mem::replace(&mut self.buf, rest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(bytes: Vec<u8>, enc: Encoding, piece: usize) -> Vec<String> {
        Pieces::stream(Box::new(io::Cursor::new(bytes)), enc, piece)
            .collect::<io::Result<Vec<_>>>()
            .unwrap()
    }

    #[test]
    fn streams_cut_at_sentence_ends_and_lose_nothing() {
        let text = "全年增长3%。完成投资99.7亿元。\n新建道路33.7公里".repeat(50_000);
        let pieces = streamed(
            format!("\u{feff}{text}").into_bytes(),
            Encoding::Utf8,
            64 << 10,
        );
        assert!(pieces.len() > 10);
        assert!(pieces[..pieces.len() - 1]
            .iter()
            .all(|p| p.ends_with('。') || p.ends_with('\n')));
        assert_eq!(pieces.concat(), text);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert_eq!(
            streamed(gbk.into_owned(), Encoding::Gb18030, 64 << 10).concat(),
            text
        );
    }

    #[test]
    fn whole_text_pieces() {
        let pieces: Vec<String> = Pieces::from_text("甲。乙乙。丙丙。".into(), 10)
            .map(Result::unwrap)
            .collect();
        assert_eq!(pieces, ["甲。", "乙乙。", "丙丙。"]);
        assert_eq!(Pieces::from_text(String::new(), 10).count(), 0);
    }

    #[test]
    fn a_bad_byte_costs_one_character_and_is_noted() {
        let sentence = "完成投资99.7亿元。";
        let gbk = encoding_rs::GBK
            .encode(&sentence.repeat(20_000))
            .0
            .into_owned();
        let at = gbk.len() / 20_000 * 10_000;
        let bytes = [&gbk[..at], b"\xff", &gbk[at..]].concat();
        let want = [
            sentence.repeat(10_000),
            "\u{fffd}".into(),
            sentence.repeat(10_000),
        ]
        .concat();
        let whole = Pieces::from_bytes(bytes.clone(), "x", 64 << 10).unwrap();
        let stream = Pieces::from_stream(Box::new(io::Cursor::new(bytes)), "x", 64 << 10).unwrap();
        for mut p in [whole, stream] {
            let text: String = p.by_ref().map(Result::unwrap).collect();
            assert_eq!(text, want);
            let (enc, damage) = p.decoding().unwrap();
            assert_eq!(
                (enc, damage.count, &damage.first[..]),
                (Encoding::Gb18030, 1, &[at as u64][..])
            );
        }
        let noise: Vec<u8> = (0..4000u32)
            .scan(1u32, |x, _| {
                *x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                Some((*x >> 16) as u8)
            })
            .collect();
        assert!(Pieces::from_bytes(noise, "x", 64 << 10).is_err());
    }
}
