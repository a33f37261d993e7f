//! Bytes to text: UTF-8 (with or without BOM) first, then GB18030, which
//! covers GBK and GB2312. Knows nothing of files or errors, so both
//! [`crate::read::pieces`] (documents in pieces) and [`crate::read::published`] (the
//! text inside PDF, Word and HTML) use it. An HTML page may be in any
//! charset, which [`decode_html`] finds.

use std::borrow::Cow;
use std::sync::LazyLock;

/// The encoding a document was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, a leading BOM dropped.
    Utf8,
    /// GB18030 (GBK, GB2312).
    Gb18030,
}

pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// Decodes a whole document; `None` when it is neither UTF-8 nor clean GB18030.
/// A leading BOM is not part of the text (SPEC §2 counts offsets without it).
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, Encoding)> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Some((Cow::Borrowed(s), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
    if had_errors {
        return None;
    }
    Some((text, Encoding::Gb18030))
}

/// The encoding of a document from its first bytes `head`; `more` says
/// the document goes on after them (a character may be cut at the end).
/// `None` when they are neither UTF-8 nor clean GB18030.
pub fn detect_head(head: &[u8], more: bool) -> Option<Encoding> {
    let body = head.strip_prefix(BOM).unwrap_or(head);
    match std::str::from_utf8(body) {
        Ok(_) => Some(Encoding::Utf8),
        Err(e) if e.error_len().is_none() && more => Some(Encoding::Utf8),
        Err(_) => {
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let mut scratch = String::with_capacity(body.len() * 2 + 16);
            let (res, _) = decoder.decode_to_string_without_replacement(body, &mut scratch, !more);
            (!matches!(res, encoding_rs::DecoderResult::Malformed(..))).then_some(Encoding::Gb18030)
        }
    }
}

/// Decodes owned bytes without copying them when they are UTF-8.
pub fn decode_owned(mut bytes: Vec<u8>) -> Option<String> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => decode(e.as_bytes()).map(|(text, _)| text.into_owned()),
    }
}

/// Share of U+FFFD above which a decoding is refused rather than read.
const MAX_REPLACEMENT: f64 = 0.01;

/// The page's characters. A decoding is "nearly clean" when under 1% of it
/// is replacement characters: a CMS page with a few broken bytes is still
/// the report. The charset is, in order:
/// 1. the BOM's, which the HTML standard makes final;
/// 2. UTF-8 when the bytes are valid UTF-8 (a page declared GBK but valid
///    UTF-8 was re-saved by an editor that kept the old `<meta>`; GBK text is
///    practically never valid UTF-8);
/// 3. the `<meta>` declaration, if it decodes nearly clean;
/// 4. `chardetng`'s guess, if it is a multi-byte encoding and decodes cleanly;
/// 5. UTF-8 or GB18030, if either decodes nearly clean: `chardetng` rules
///    out an encoding at its first error, so a Chinese page with one broken
///    byte is guessed windows-1252, which decodes anything, as mojibake;
/// 6. `chardetng`'s single-byte guess (a page that is not Chinese).
pub(super) fn decode_html(bytes: &[u8]) -> Option<String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return nearly_clean(enc, &bytes[bom..]);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return nearly_clean(enc, bytes);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_owned());
    }
    if let Some(text) = declared_charset(bytes).and_then(|enc| nearly_clean(enc, bytes)) {
        return Some(text);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    let clean = |enc: &'static encoding_rs::Encoding| {
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .map(Cow::into_owned)
    };
    if !guess.is_single_byte() {
        if let Some(text) = clean(guess) {
            return Some(text);
        }
    }
    [encoding_rs::UTF_8, encoding_rs::GB18030]
        .into_iter()
        .find_map(|enc| nearly_clean(enc, bytes))
        .or_else(|| clean(guess))
}

/// `bytes` in `enc`, if under [`MAX_REPLACEMENT`] of the text is U+FFFD.
fn nearly_clean(enc: &'static encoding_rs::Encoding, bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
        if bad as f64 > MAX_REPLACEMENT * text.chars().count() as f64 {
            return None;
        }
    }
    Some(text.into_owned())
}

/// UTF-16 saved without a BOM, told by its markup: ASCII characters such
/// as `<`, `>` and spaces are a byte and a NUL, so one of the two byte
/// positions is mostly NUL. (As UTF-8 or GB18030 such a page decodes
/// "cleanly" to garbage.)
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
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

/// The charset a `<meta charset>` or `<meta http-equiv content="…charset=">`
/// in the first 4 KiB names. (The HTML standard looks at 1 KiB; government
/// pages put long scripts before their `<meta>`.) A page cannot declare
/// itself UTF-16 in ASCII bytes, so such a declaration means UTF-8, as the
/// standard says.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    static META: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)"#)
            .expect("valid meta pattern")
    });
    let head = &bytes[..bytes.len().min(4096)];
    let label = META.captures(head)?.get(1)?.as_bytes();
    let enc = encoding_rs::Encoding::for_label(label)?;
    Some(
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        },
    )
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
