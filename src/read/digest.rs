//! What was read of an input: its size, sha256, format and encoding, taken
//! from the bytes as the reader reads them ([`Digesting`]), so that a run's
//! summary (`--summary`) need not read every file a second time.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::published::kind_of;
use super::Encoding;
use crate::text::hex;

/// What a run's summary says of one input file: kept for every input of
/// a run with `--summary`, so it is small (under 100 bytes and its `doc`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputFacts {
    /// The `doc` of its rows.
    pub doc: Box<str>,
    /// Bytes on disk.
    pub bytes: u64,
    /// Of its bytes (written as hex).
    #[serde(serialize_with = "as_hex")]
    pub sha256: [u8; 32],
    /// `text`, `html`, `docx` or `pdf`, as shuliang tells it.
    pub format: &'static str,
    /// For text: `utf-8` or `gb18030`, decided as the reader decides it
    /// (from the first MiB); `None` for converted formats and text in neither.
    pub encoding: Option<&'static str>,
}

/// A digest as the summary writes it: hex.
fn as_hex<S: serde::Serializer>(digest: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex(digest))
}

/// Reads `path` once (streamed, so memory stays flat) for its facts.
pub fn input_facts(doc: &str, path: &Path) -> std::io::Result<InputFacts> {
    let tally = Tally::default();
    let mut file = Digesting::new(std::fs::File::open(path)?, Some(tally.clone()));
    std::io::copy(&mut file, &mut std::io::sink())?;
    let digest = tally.0.lock().expect("no panic while holding the lock");
    Ok(digest.facts(doc, path))
}

/// What is known of an input from the bytes read of it so far.
#[derive(Default)]
struct Hashed {
    hash: Sha256,
    /// Bytes hashed: the input's first `bytes`.
    bytes: u64,
    /// Its first MiB, to tell the format and encoding from.
    head: Vec<u8>,
    /// The end was read.
    eof: bool,
    /// A read skipped bytes never read: the digest cannot be finished.
    gap: bool,
}

impl Hashed {
    /// Takes in `data`, read at byte `at`: only what lies past the bytes
    /// already hashed counts (a file read again after a seek back is not
    /// hashed twice).
    fn saw(&mut self, at: u64, data: &[u8]) {
        if at > self.bytes {
            self.gap = true;
            return;
        }
        let new = &data[((self.bytes - at) as usize).min(data.len())..];
        self.hash.update(new);
        self.bytes += new.len() as u64;
        const HEAD: usize = 1 << 20;
        if self.head.len() < HEAD {
            self.head
                .extend_from_slice(&new[..new.len().min(HEAD - self.head.len())]);
        }
    }

    fn facts(&self, doc: &str, path: &Path) -> InputFacts {
        let format = kind_of(path, &self.head).name();
        let encoding = (format == "text")
            .then(|| crate::read::detect_head(&self.head, self.bytes as usize > self.head.len()))
            .flatten()
            .map(Encoding::name);
        InputFacts {
            doc: doc.into(),
            bytes: self.bytes,
            sha256: self.hash.clone().finalize().into(),
            format,
            encoding,
        }
    }
}

/// The facts of one input, gathered by the [`Digesting`] reader the batch
/// reads it through, so that `--summary` need not read it again.
#[derive(Clone, Default)]
pub(crate) struct Tally(Arc<Mutex<Hashed>>);

impl Tally {
    /// The facts of the input at `path`, once it has been read; read
    /// again for them when it was not read to its end (a file skipped, or
    /// one a `--pre` converter read itself). `None` when it cannot be read.
    pub(crate) fn facts(&self, doc: &str, path: &Path) -> Option<InputFacts> {
        let digest = self.0.lock().expect("no panic while holding the lock");
        if digest.eof && !digest.gap {
            Some(digest.facts(doc, path))
        } else {
            input_facts(doc, path).ok()
        }
    }
}

/// A reader (of a file, seekable) that passes every byte on to a
/// [`Tally`], when there is one.
pub(crate) struct Digesting<R> {
    inner: R,
    /// Where the next read starts.
    at: u64,
    tally: Option<Tally>,
}

impl<R> Digesting<R> {
    pub(crate) fn new(inner: R, tally: Option<Tally>) -> Self {
        Digesting {
            inner,
            at: 0,
            tally,
        }
    }
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(tally) = &self.tally {
            let mut digest = tally.0.lock().expect("no panic while holding the lock");
            digest.saw(self.at, &buf[..n]);
            if n == 0 && !buf.is_empty() && self.at == digest.bytes {
                digest.eof = true;
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Digesting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.at = self.inner.seek(pos)?;
        Ok(self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_of_a_gbk_file_and_a_hash_of_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        let (gbk, _, _) = encoding_rs::GBK.encode("增长3%");
        std::fs::write(&p, &gbk).unwrap();
        let f = input_facts("a.txt", &p).unwrap();
        assert_eq!(
            (f.format, f.encoding, f.bytes),
            ("text", Some("gb18030"), gbk.len() as u64)
        );
        assert_eq!(f.sha256, <[u8; 32]>::from(Sha256::digest(&gbk)));
        // Read as the batch reads a text file: its head, then again from the start.
        let tally = Tally::default();
        let mut r = Digesting::new(std::fs::File::open(&p).unwrap(), Some(tally.clone()));
        r.read_exact(&mut [0; 3]).unwrap();
        r.seek(SeekFrom::Start(0)).unwrap();
        std::io::copy(&mut r, &mut std::io::sink()).unwrap();
        let digest = tally.0.lock().unwrap();
        assert!(digest.eof && !digest.gap);
        assert_eq!(digest.facts("a.txt", &p), f);
    }
}
