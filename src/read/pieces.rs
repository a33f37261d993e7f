//! Decoding: bytes of a report to text. UTF-8 (with or without BOM) first,
//! then GB18030, which covers GBK and GB2312; anything else is refused.
//!
//! Documents come out as a sequence of pieces cut at sentence ends, so a
//! document of any size is processed in bounded memory: small files are
//! read whole, large ones are streamed (after a first pass that settles the
//! encoding, so rows are never written for a file that is then refused).

use std::io::{self, Read, Seek, SeekFrom};

use super::charset::{decode_owned, detect_head, Encoding, BOM};
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
    Whole,
    Stream {
        file: Box<dyn Read + Send>,
        encoding: Encoding,
        decoder: encoding_rs::Decoder,
        pending: Vec<u8>,
        eof: bool,
    },
}

impl Pieces {
    /// Pieces of text already in memory.
    pub fn from_text(text: String, piece: usize) -> Pieces {
        Pieces {
            source: Source::Whole,
            buf: text,
            taken: 0,
            piece,
            done: false,
        }
    }

    /// Pieces of an open file (`md` its metadata) whose first bytes, `head`, were already read
    /// from it (to tell its type). A regular file of up to `whole_limit`
    /// bytes is read whole; a larger one is streamed after a first pass that
    /// settles its encoding. Anything else (stdin, a FIFO, a device: their
    /// size is unknown, and they cannot be read twice) is streamed
    /// ([`Pieces::from_stream`]). Errors name `name`.
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
            let text = decode_owned(bytes).ok_or_else(|| Error::Encoding {
                path: name.to_string(),
            })?;
            return Ok(Pieces::from_text(text, piece));
        }
        let encoding = sniff(&mut file)
            .map_err(io_err)?
            .ok_or_else(|| Error::Encoding {
                path: name.to_string(),
            })?;
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        Ok(Pieces::stream(Box::new(file), encoding, piece))
    }

    /// Pieces of a stream that can be read only once, its encoding told
    /// from its first MiB. Invalid bytes further in end the document with
    /// an error after the rows before them.
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
                encoding,
                decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
                pending: Vec::new(),
                eof: false,
            },
            buf: String::new(),
            taken: 0,
            piece,
            done: false,
        }
    }

    /// Reads and decodes until `buf` holds more than a piece, or the end.
    fn fill(&mut self) -> io::Result<()> {
        let Source::Stream {
            file,
            encoding,
            decoder,
            pending,
            eof,
        } = &mut self.source
        else {
            return Ok(());
        };
        let mut first = self.buf.is_empty() && pending.is_empty();
        while !*eof && self.buf.len() <= self.piece {
            let at = pending.len();
            pending.resize(at + BLOCK, 0);
            let n = file.read(&mut pending[at..])?;
            pending.truncate(at + n);
            *eof = n == 0;
            if first && pending.starts_with(BOM) {
                pending.drain(..BOM.len());
            }
            first = false;
            let used = match encoding {
                Encoding::Utf8 => match std::str::from_utf8(pending) {
                    Ok(s) => {
                        self.buf.push_str(s);
                        pending.len()
                    }
                    Err(e) if e.error_len().is_none() && !*eof => {
                        let ok = e.valid_up_to();
                        self.buf
                            .push_str(std::str::from_utf8(&pending[..ok]).expect("validated"));
                        ok
                    }
                    Err(_) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "invalid UTF-8 further in",
                        ))
                    }
                },
                Encoding::Gb18030 => {
                    let need = decoder
                        .max_utf8_buffer_length_without_replacement(pending.len())
                        .unwrap_or(pending.len() * 4);
                    self.buf.reserve(need);
                    let (res, read) =
                        decoder.decode_to_string_without_replacement(pending, &mut self.buf, *eof);
                    if let encoding_rs::DecoderResult::Malformed(..) = res {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "invalid GB18030 further in",
                        ));
                    }
                    read
                }
            };
            pending.drain(..used);
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
        if let Source::Whole = self.source {
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
        let at_end =
            matches!(&self.source, Source::Stream { eof: true, pending, .. } if pending.is_empty());
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

/// Decides a large file's encoding by reading it through once.
fn sniff(file: &mut impl Read) -> io::Result<Option<Encoding>> {
    let mut block = vec![0u8; BLOCK];
    let mut carry: Vec<u8> = Vec::new();
    let mut utf8 = true;
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut scratch = String::with_capacity(BLOCK * 2);
    let mut gb = true;
    let mut first = true;
    loop {
        let n = file.read(&mut block)?;
        let last = n == 0;
        let mut data = &block[..n];
        if first && data.starts_with(BOM) {
            data = &data[BOM.len()..];
        }
        first = false;
        if utf8 {
            carry.extend_from_slice(data);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() && !last => {
                    let ok = e.valid_up_to();
                    carry.drain(..ok);
                }
                Err(_) => utf8 = false,
            }
        }
        if gb {
            scratch.clear();
            scratch.reserve(data.len() * 2 + 16);
            let (res, _) = decoder.decode_to_string_without_replacement(data, &mut scratch, last);
            gb = !matches!(res, encoding_rs::DecoderResult::Malformed(..));
        }
        if last || (!utf8 && !gb) {
            break;
        }
    }
    Ok(if utf8 {
        Some(Encoding::Utf8)
    } else if gb {
        Some(Encoding::Gb18030)
    } else {
        None
    })
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
    fn sniffing_a_large_file() {
        let dir = std::env::temp_dir().join(format!("shuliang-sniff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "完成投资99.7亿元。".repeat(20_000);
        let cases: [(&str, Vec<u8>, Option<Encoding>); 3] = [
            ("u.txt", text.clone().into_bytes(), Some(Encoding::Utf8)),
            (
                "g.txt",
                encoding_rs::GBK.encode(&text).0.into_owned(),
                Some(Encoding::Gb18030),
            ),
            ("x.txt", [text.as_bytes(), &[0xff, 0xff]].concat(), None),
        ];
        for (name, bytes, want) in cases {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            assert_eq!(
                sniff(&mut std::fs::File::open(&p).unwrap()).unwrap(),
                want,
                "{name}"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
