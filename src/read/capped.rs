//! Readers of the small files beside the documents (a manifest, an output
//! to compare), bounded so that `/dev/zero` or a huge file given by
//! mistake is refused by its size instead of filling memory.

use std::io::{self, Read};

/// Reads `source` whole, refusing more than `limit` bytes.
pub fn read_all(source: impl Read, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    source.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {} MiB", limit >> 20),
        ));
    }
    Ok(bytes)
}

/// The longest line of an output of `extract` read back (`diff`, `stats`):
/// a row's context is a paragraph.
pub const LONGEST_ROW: usize = 64 << 20;

/// A reader that fails on a line longer than `limit` bytes: a CSV of any
/// size streams through it, a stream without line ends does not.
pub struct LineCap<R> {
    inner: R,
    limit: usize,
    run: usize,
}

impl<R: Read> LineCap<R> {
    /// `inner`, its lines at most `limit` bytes.
    pub fn new(inner: R, limit: usize) -> LineCap<R> {
        LineCap {
            inner,
            limit,
            run: 0,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            self.run = if b == b'\n' { 0 } else { self.run + 1 };
            if self.run > self.limit {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a line longer than {} MiB", self.limit >> 20),
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_input_is_refused_by_size() {
        let zeros = io::repeat(0);
        assert!(read_all(zeros, 1 << 20).is_err());
        let mut line = String::new();
        let e = LineCap::new(io::repeat(b'a'), 1 << 20).read_to_string(&mut line);
        assert!(e.is_err());
        let mut ok = String::new();
        let lines = "a,b\n".repeat(1 << 18);
        LineCap::new(lines.as_bytes(), 16)
            .read_to_string(&mut ok)
            .unwrap();
        assert_eq!(ok, lines);
    }
}
