//! Bytes to text: UTF-8 (with or without BOM) first, then GB18030, which
//! covers GBK and GB2312. Knows nothing of files or errors, so both
//! [`crate::read::pieces`] (documents in pieces) and [`crate::read::published`] (the
//! text inside PDF, Word and HTML) use it. An HTML page may be in any
//! charset, which `read/html/charset.rs` finds.

use std::borrow::Cow;

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
/// A leading BOM is not part of the text (offsets count without it: docs/csv.md, Columns).
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
