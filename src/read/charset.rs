//! Bytes to text: UTF-8 (with or without BOM) first, then GB18030, which
//! covers GBK and GB2312, or Big5 where `chardetng` tells it; UTF-16 when a
//! BOM or its NUL bytes say so. A byte that is not valid in the encoding
//! costs one character (U+FFFD) and is noted with its offset ([`Damage`]),
//! as long as such bytes are under 1% of the text; more, and the text is
//! refused. Knows nothing of files or errors, so both
//! [`crate::read::pieces`] (documents in pieces) and
//! [`crate::read::published`] (the text inside PDF, Word and HTML) use it.
//! An HTML page may be in any charset, which `read/html/charset.rs` finds.

use std::borrow::Cow;

/// The encoding a document was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, a leading BOM dropped.
    Utf8,
    /// GB18030 (GBK, GB2312).
    Gb18030,
    /// Big5 (traditional characters, Taiwan and Hong Kong).
    Big5,
    /// UTF-16, little-endian (as Windows' "Unicode" text).
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl Encoding {
    /// Its name, as `--summary` and warnings give it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Big5 => "big5",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => encoding_rs::UTF_8,
            Encoding::Gb18030 => encoding_rs::GB18030,
            Encoding::Big5 => encoding_rs::BIG5,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
        }
    }

    fn of(codec: &'static encoding_rs::Encoding) -> Option<Encoding> {
        [
            Encoding::Utf8,
            Encoding::Gb18030,
            Encoding::Big5,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ]
        .into_iter()
        .find(|e| e.codec() == codec)
    }
}

pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// Byte sequences that were not valid in a document's encoding, each read
/// as one U+FFFD.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Damage {
    /// How many.
    pub count: u64,
    /// The byte offsets in the file of the first few.
    pub first: Vec<u64>,
}

/// How many offsets a [`Damage`] keeps.
const OFFSETS_KEPT: usize = 5;

/// A decoder that reads each invalid sequence as U+FFFD and notes its
/// offset, a piece at a time (a character may be cut between pieces).
pub struct Decoder {
    inner: encoding_rs::Decoder,
    encoding: Encoding,
    /// Bytes fed so far.
    fed: u64,
    damage: Damage,
}

impl Decoder {
    /// Decodes `encoding`, dropping its BOM at the start.
    pub fn new(encoding: Encoding) -> Decoder {
        Decoder {
            inner: encoding.codec().new_decoder_with_bom_removal(),
            encoding,
            fed: 0,
            damage: Damage::default(),
        }
    }

    /// The encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// What was not valid so far.
    pub fn damage(&self) -> &Damage {
        &self.damage
    }

    /// Decodes all of `bytes` onto `out`; `last`: they end the document.
    pub fn feed(&mut self, mut bytes: &[u8], out: &mut String, last: bool) {
        // Decoded through a small buffer: encoding_rs fills a `String`'s
        // whole spare capacity on each call, which with many invalid
        // sequences would cost the square of the length.
        // A `str` buffer, so that what the decoder writes is not validated
        // again (that cost more than decoding: ≈20 instructions a byte).
        let mut buf = [0u8; 1 << 14];
        let buf = std::str::from_utf8_mut(&mut buf).expect("zeros are UTF-8");
        loop {
            let (res, read, written) = self
                .inner
                .decode_to_str_without_replacement(bytes, buf, last);
            out.push_str(&buf[..written]);
            self.fed += read as u64;
            bytes = &bytes[read..];
            match res {
                encoding_rs::DecoderResult::InputEmpty => return,
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    let at = self.fed - u64::from(bad) - u64::from(after);
                    self.damage.count += 1;
                    if self.damage.first.len() < OFFSETS_KEPT {
                        self.damage.first.push(at);
                    }
                    out.push('\u{fffd}');
                }
            }
        }
    }
}

/// Whether `errors` invalid sequences in `bytes` are few enough to read
/// the text with them: under 1% of its characters (counted as two bytes).
fn few(errors: usize, bytes: usize) -> bool {
    errors == 0 || errors * 200 <= bytes
}

/// Invalid sequences in `bytes` as `codec`; `more`: the text goes on.
fn errors(codec: &'static encoding_rs::Encoding, bytes: &[u8], more: bool) -> usize {
    let mut d = Decoder::new(Encoding::of(codec).expect("one of ours"));
    let mut scratch = String::new();
    d.feed(bytes, &mut scratch, !more);
    d.damage.count as usize
}

/// The encoding of a document from its bytes (or its first bytes, `more`
/// saying the document goes on after them): a BOM's; UTF-16 told by its
/// NUL bytes; UTF-8 if valid; GB18030 if valid (Big5 instead when
/// `chardetng` says so and it is valid too: the two overlap, so Big5 text
/// "decodes" as GB18030 to garbage); then UTF-8, GB18030 or Big5 with
/// fewest invalid sequences, if they are few ([`few`]). `None`: none.
pub fn detect_head(head: &[u8], more: bool) -> Option<Encoding> {
    let told = encoding_rs::Encoding::for_bom(head)
        .map(|(codec, _)| codec)
        .or_else(|| utf16_without_bom(head));
    if let Some(codec) = told {
        return few(errors(codec, head, more), head.len())
            .then(|| Encoding::of(codec))
            .flatten();
    }
    match std::str::from_utf8(head) {
        Ok(_) => return Some(Encoding::Utf8),
        Err(e) if e.error_len().is_none() && more => return Some(Encoding::Utf8),
        Err(_) => {}
    }
    let big5 = || {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(
            &head[..head.len().min(1 << 16)],
            !more && head.len() <= 1 << 16,
        );
        detector.guess(None, chardetng::Utf8Detection::Deny) == encoding_rs::BIG5
    };
    let gb = errors(encoding_rs::GB18030, head, more);
    if gb == 0 {
        let big5_clean = || errors(encoding_rs::BIG5, head, more) == 0;
        return Some(if big5() && big5_clean() {
            Encoding::Big5
        } else {
            Encoding::Gb18030
        });
    }
    let utf8 = errors(encoding_rs::UTF_8, head, more);
    if few(utf8, head.len()) {
        return Some(Encoding::Utf8);
    }
    let big5 = if big5() {
        errors(encoding_rs::BIG5, head, more)
    } else {
        usize::MAX
    };
    let (best, n) = [(Encoding::Gb18030, gb), (Encoding::Big5, big5)]
        .into_iter()
        .min_by_key(|&(_, n)| n)
        .expect("two");
    few(n, head.len()).then_some(best)
}

/// Decodes a whole document ([`detect_head`]), with what was not valid in
/// it; `None` when no encoding reads it. Valid UTF-8 is not copied. A
/// leading BOM is not part of the text (offsets count without it: docs/csv.md, Columns).
pub fn decode_text(mut bytes: Vec<u8>) -> Option<(String, Encoding, Damage)> {
    if bytes.starts_with(BOM) && std::str::from_utf8(&bytes[BOM.len()..]).is_ok() {
        bytes.drain(..BOM.len());
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(s) if utf16_without_bom(s.as_bytes()).is_none() => {
            return Some((s, Encoding::Utf8, Damage::default()))
        }
        Ok(s) => s.into_bytes(),
        Err(e) => e.into_bytes(),
    };
    let encoding = detect_head(&bytes, false)?;
    let mut d = Decoder::new(encoding);
    let mut text = String::new();
    d.feed(&bytes, &mut text, true);
    Some((text, encoding, d.damage))
}

/// Decodes a whole document ([`decode_text`]) without copying valid UTF-8;
/// `None` when no encoding reads it.
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, Encoding)> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) if utf16_without_bom(body).is_none() => Some((Cow::Borrowed(s), Encoding::Utf8)),
        _ => decode_text(bytes.to_vec()).map(|(text, enc, _)| (Cow::Owned(text), enc)),
    }
}

/// Decodes owned bytes ([`decode_text`]) without copying them when they are UTF-8.
pub fn decode_owned(bytes: Vec<u8>) -> Option<String> {
    decode_text(bytes).map(|(text, _, _)| text)
}

/// UTF-16 saved without a BOM, told by its markup: ASCII characters such
/// as `<`, `>` and spaces are a byte and a NUL, so one of the two byte
/// positions is mostly NUL. (As UTF-8 or GB18030 such a page decodes
/// "cleanly" to garbage.)
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    let pairs = head.len() / 2;
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    let mostly = |n: usize| pairs >= 8 && n * 3 > pairs;
    let hardly = |n: usize| n * 20 < pairs;
    if mostly(odd) && hardly(even) {
        Some(encoding_rs::UTF_16LE)
    } else if mostly(even) && hardly(odd) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_gbk_and_garbage() {
        let (s, e) = decode("\u{feff}增长3%".as_bytes()).unwrap();
        assert_eq!((s.as_ref(), e), ("增长3%", Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("完成投资99.7亿元");
        let (s, e) = decode(&gbk).unwrap();
        assert_eq!((s.as_ref(), e), ("完成投资99.7亿元", Encoding::Gb18030));
        assert!(decode(&[0xff, 0xff, 0xff, 0x80]).is_none());
        assert_eq!(decode_owned(gbk.into_owned()).unwrap(), "完成投资99.7亿元");
    }
}
