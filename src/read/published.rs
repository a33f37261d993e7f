//! Published reports: the HTML pages, Word files and PDFs that reports are
//! downloaded as, turned into plain text for the extractor.
//!
//! Reports rarely reach a researcher as `.txt`. This module tells the three
//! formats they do come in ([`kind_of`]) and reads each — in
//! `read/html.rs`, `read/docx.rs` and `read/pdf.rs`, which share
//! `read/lines.rs`, each built only with its Cargo feature (`html`, `docx`,
//! `pdf`, all on by default) — giving back text laid out the way the rest
//! of the crate expects: one paragraph (or table row) per line, table cells
//! separated by a tab, and nothing that is not part of the report — no
//! scripts, navigation or page numbers. Layout whitespace left inside a
//! quantity (`473.94\n万人` at a PDF line end) is harmless: [`crate::text::normalize`]
//! undoes it.
//!
//! ```
//! use shuliang::read::published::{kind_of, to_text, Kind};
//! use std::path::Path;
//!
//! let page = "<html><body><p>完成投资<span>46</span>.11亿元</p></body></html>";
//! let kind = kind_of(Path::new("report.htm"), page.as_bytes());
//! assert_eq!(kind, Kind::Html);
//! assert_eq!(to_text(kind, page.as_bytes()).unwrap(), "完成投资46.11亿元");
//! ```

use std::path::Path;

pub use crate::error::PublishedError;

/// The format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Plain text, UTF-8 or GB18030 (see [`crate::read::pieces`]).
    Text,
    /// An HTML page, in any charset.
    Html,
    /// A Word (Office Open XML) document.
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

/// The file extensions shuliang reads without `--pre`, and what each is:
/// the one list that folder walking, type sniffing and `--pre` consult.
pub const EXTENSIONS: &[(&str, Kind)] = &[
    ("txt", Kind::Text),
    ("text", Kind::Text),
    ("pdf", Kind::Pdf),
    ("docx", Kind::Docx),
    ("html", Kind::Html),
    ("htm", Kind::Html),
    ("xhtml", Kind::Html),
    ("shtml", Kind::Html),
];

impl Kind {
    /// Its name: in `shuliang convert KIND` and in a run's summary.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Html => "html",
            Kind::Docx => "docx",
            Kind::Pdf => "pdf",
        }
    }

    /// The kind a file extension (any case) stands for, if shuliang reads it.
    pub fn of_extension(ext: &str) -> Option<Kind> {
        EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|&(_, k)| k)
    }

    /// The kind named `name` ([`Kind::name`]).
    pub fn named(name: &str) -> Option<Kind> {
        [Kind::Text, Kind::Html, Kind::Docx, Kind::Pdf]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// Bytes that `word/document.xml` may inflate to. The largest real report
/// seen (南京 2021–2024, four bulletins in one file) is about 3 MiB; the cap
/// leaves room for twenty times that and stops a zip bomb long before
/// memory runs out.
pub const DOCX_XML_LIMIT: u64 = 64 << 20;

/// The largest PDF, Word or HTML file read (they are parsed whole).
pub const PUBLISHED_LIMIT: u64 = 100 << 20;

/// How much of a file's start [`kind_of`] looks at (the caller may pass more).
pub const HEAD: usize = 1024;

/// The format of a file, from its extension checked against its first bytes
/// (`head`; [`HEAD`] bytes are enough).
///
/// Content wins when it is conclusive, because downloads are often misnamed:
/// a government site's "PDF" link that returns an error page is saved as
/// `.pdf` but is HTML, and is read as HTML. `%PDF-` anywhere in the first
/// KiB (as PDF readers accept it) means PDF; a zip's `PK\x03\x04` means DOCX
/// (a zip that is no Word file then fails cleanly in [`to_text`]); `<html`
/// or `<!doctype html` in the first KiB, in any case, means HTML. Otherwise
/// the extension decides (`.pdf`, `.docx`, `.html`/`.htm`/`.xhtml`/`.shtml`);
/// anything else is text.
pub fn kind_of(path: &Path, head: &[u8]) -> Kind {
    let head = &head[..head.len().min(HEAD)];
    if find(head, b"%PDF-") {
        return Kind::Pdf;
    }
    if head.starts_with(b"PK\x03\x04") {
        return Kind::Docx;
    }
    let lower = head.to_ascii_lowercase();
    if find(&lower, b"<html") || find(&lower, b"<!doctype html") {
        return Kind::Html;
    }
    path.extension()
        .and_then(|e| Kind::of_extension(&e.to_string_lossy()))
        .unwrap_or(Kind::Text)
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The text of a document of `kind`: one paragraph or table row per line,
/// cells separated by a tab, no blank lines.
///
/// Never panics on bad input: a PDF library panic is caught and returned as
/// [`PublishedError::Corrupt`] (the panic message still reaches the panic
/// hook, which prints it to stderr by default).
pub fn to_text(kind: Kind, bytes: &[u8]) -> Result<String, PublishedError> {
    match kind {
        Kind::Text => crate::read::charset::decode(bytes)
            .map(|(text, _)| text.into_owned())
            .ok_or(PublishedError::Encoding),
        #[cfg(feature = "html")]
        Kind::Html => super::html::text(bytes),
        #[cfg(feature = "docx")]
        Kind::Docx => super::docx::text(bytes),
        #[cfg(feature = "pdf")]
        Kind::Pdf => super::pdf::text(bytes),
        #[cfg(not(all(feature = "html", feature = "docx", feature = "pdf")))]
        _ => Err(PublishedError::NotBuiltIn(kind.name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_checked_by_content() {
        let k = |name: &str, head: &[u8]| kind_of(Path::new(name), head);
        assert_eq!(k("a.pdf", b"%PDF-1.7\n"), Kind::Pdf);
        assert_eq!(k("a.PDF", b"\xef\xbb\xbfjunk %PDF-1.4"), Kind::Pdf);
        assert_eq!(k("a.docx", b"PK\x03\x04rest"), Kind::Docx);
        assert_eq!(k("a.pdf", b"\r\n<!DOCTYPE HTML PUBLIC"), Kind::Html);
        assert_eq!(k("a.pdf", b"<HTML><body>404"), Kind::Html);
        assert_eq!(k("a.htm", b"<p>fragment</p>"), Kind::Html);
        assert_eq!(k("a.pdf", b"random bytes"), Kind::Pdf);
        assert_eq!(k("a.txt", "完成投资".as_bytes()), Kind::Text);
        assert_eq!(k("noext", b""), Kind::Text);
        let far = [vec![b' '; HEAD], b"<html>".to_vec()].concat();
        assert_eq!(k("a.txt", &far), Kind::Text);
    }
}
