//! The charset of an HTML page, which may be any: the BOM's, the bytes',
//! the page's own declaration, or `chardetng`'s guess.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::read::charset::utf16_without_bom;

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
