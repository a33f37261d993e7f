//! Published reports: the HTML pages, Word files and PDFs that reports are
//! downloaded as, turned into plain text for the extractor.
//!
//! Reports rarely reach a researcher as `.txt`. This module reads the three
//! formats they do come in and gives back text laid out the way the rest of
//! the crate expects: one paragraph (or table row) per line, table cells
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

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::rc::Rc;

use once_cell::sync::Lazy;

pub use crate::error::PublishedError;
use regex::Regex;

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
        Kind::Html => html_text(bytes),
        Kind::Docx => docx_text(bytes),
        Kind::Pdf => pdf_text(bytes),
    }
}

/// Builds the text of a document line by line: whitespace inside a line
/// collapsed as a browser does, explicit breaks kept, blank lines dropped.
#[derive(Default)]
struct Lines {
    out: String,
}

impl Lines {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{3000}' {
                self.space();
            } else {
                self.out.push(c);
            }
        }
    }

    /// One space, unless the line is empty or already ends in whitespace.
    fn space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with([' ', '\t', '\n']) {
            self.out.push(' ');
        }
    }

    fn newline(&mut self) {
        self.trim_end_spaces();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn tab(&mut self) {
        self.trim_end_spaces();
        self.out.push('\t');
    }

    fn trim_end_spaces(&mut self) {
        let keep = self
            .out
            .trim_end_matches(|c: char| c.is_whitespace() && c != '\t' && c != '\n')
            .len();
        self.out.truncate(keep);
    }

    /// The text, each line trimmed of spaces, without blank or page-number lines.
    fn finish(self) -> String {
        clean_lines(self.out.lines(), |_| false)
    }
}

/// Joins `lines`, trimmed of spaces, leaving out blank lines, lines that are
/// only a decorated page number (`- 3 -`, `— 22 —`, `第 3 页 共 13 页`) and
/// those `drop` names (by index into `lines`).
fn clean_lines<'a>(lines: impl Iterator<Item = &'a str>, drop: impl Fn(usize) -> bool) -> String {
    let mut out = String::new();
    for (i, line) in lines.enumerate() {
        let line = line.trim_matches(|c: char| c.is_whitespace() && c != '\t');
        if line.trim().is_empty() || is_page_number(line) || drop(i) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// A line that is only a page number in one of the ways reports print them.
/// A bare number is not one of them: on its own line it may be a table
/// cell; PDF pages check their first and last line for it separately.
fn is_page_number(line: &str) -> bool {
    static PAGE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            r"(?ix)^\s*(?:
                [-—–－~～·•]+\s*\d{1,4}\s*[-—–－~～·•]+        # - 3 -   — 22 —   —1—
              | 第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?  # 第 3 页 共 13 页
              | 共\s*\d{1,4}\s*页\s*[,，/]?\s*第\s*\d{1,4}\s*页
              | \d{1,4}\s*/\s*\d{1,4}                          # 3 / 13
              | page\s*\d{1,4}(?:\s*of\s*\d{1,4})?             # Page 3 of 13
            )\s*$",
        )
        .expect("valid page-number pattern")
    });
    PAGE.is_match(line)
}

// ---------------------------------------------------------------- HTML

/// Decodes a page and keeps the text a reader sees.
fn html_text(bytes: &[u8]) -> Result<String, PublishedError> {
    let page = decode_html(bytes)?;
    let doc = scraper::Html::parse_document(&page);
    let mut lines = Lines::default();
    // Open elements being skipped (inside <script>, <nav>…), counted so the
    // walk knows when the skipped subtree closes. The walk is iterative:
    // a page nested thousands deep cannot overflow the stack.
    let mut skipping = 0usize;
    // Cells seen so far in each open table row, innermost last.
    let mut rows: Vec<usize> = Vec::new();
    let mut in_cell = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                scraper::Node::Text(t) if skipping == 0 => lines.push_text(t),
                scraper::Node::Element(el) => {
                    if skipping > 0 || hidden(el) {
                        skipping += 1;
                        continue;
                    }
                    match el.name() {
                        "br" | "hr" => html_break(&mut lines, in_cell),
                        "tr" => {
                            html_break(&mut lines, in_cell);
                            rows.push(0);
                        }
                        "td" | "th" => {
                            if let Some(cells) = rows.last_mut() {
                                if *cells > 0 {
                                    lines.tab();
                                }
                                *cells += 1;
                            }
                            in_cell += 1;
                        }
                        name if is_block(name) => html_break(&mut lines, in_cell),
                        _ => {}
                    }
                }
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                let scraper::Node::Element(el) = node.value() else {
                    continue;
                };
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                match el.name() {
                    "tr" => {
                        rows.pop();
                        html_break(&mut lines, in_cell);
                    }
                    "td" | "th" => in_cell = in_cell.saturating_sub(1),
                    name if is_block(name) => html_break(&mut lines, in_cell),
                    _ => {}
                }
            }
        }
    }
    Ok(lines.finish())
}

/// A line break, except inside a table cell, where it would split the row:
/// pages exported from Word put `<p>` inside every `<td>`.
fn html_break(lines: &mut Lines, in_cell: usize) {
    if in_cell > 0 {
        lines.space();
    } else {
        lines.newline();
    }
}

/// Elements that start a new line. Everything else (span, b, font, a…) is
/// inline and must not cut the text: `<span>46</span>.11亿元` is `46.11亿元`.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hgroup"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "ul"
    )
}

/// Elements whose text a reader does not see or that are not the report:
/// code and metadata, forms' controls, and the site's navigation, told apart
/// by element (`nav`, `header`, `footer`) or by a class or id naming it
/// (`nav`, `menu`, `footer`, `crumb` — which covers `breadcrumb` — anywhere
/// in it, in any case: `topnav`, `mainMenu`, `footer-wrap`).
/// The class/id heuristic is not applied to the page's outer containers, so
/// a `<body class="has-navbar">` cannot hide the whole report.
fn hidden(el: &scraper::node::Element) -> bool {
    if matches!(
        el.name(),
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
            | "nav"
            | "header"
            | "footer"
            | "iframe"
            | "object"
            | "svg"
            | "select"
            | "button"
            | "textarea"
    ) {
        return true;
    }
    if el.attr("hidden").is_some() {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if matches!(el.name(), "html" | "body" | "main" | "article" | "form") {
        return false;
    }
    const NAV: [&str; 4] = ["nav", "menu", "footer", "crumb"];
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            NAV.iter().any(|w| v.contains(w))
        })
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
fn decode_html(bytes: &[u8]) -> Result<String, PublishedError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return nearly_clean(enc, &bytes[bom..]).ok_or(PublishedError::Encoding);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return nearly_clean(enc, bytes).ok_or(PublishedError::Encoding);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_owned());
    }
    if let Some(text) = declared_charset(bytes).and_then(|enc| nearly_clean(enc, bytes)) {
        return Ok(text);
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
            return Ok(text);
        }
    }
    [encoding_rs::UTF_8, encoding_rs::GB18030]
        .into_iter()
        .find_map(|enc| nearly_clean(enc, bytes))
        .or_else(|| clean(guess))
        .ok_or(PublishedError::Encoding)
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
    static META: Lazy<regex::bytes::Regex> = Lazy::new(|| {
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

// ---------------------------------------------------------------- DOCX

const W: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const MC: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The body of a Word document in reading order: paragraphs as lines, table
/// rows as lines of tab-separated cells.
fn docx_text(bytes: &[u8]) -> Result<String, PublishedError> {
    let corrupt = |e: &dyn std::fmt::Display| PublishedError::Corrupt(format!("not a DOCX: {e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let part = zip
        .by_name("word/document.xml")
        .map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))?;
    let too_large = PublishedError::TooLarge {
        limit: DOCX_XML_LIMIT,
    };
    // The size in the zip's directory may lie; the read is capped as well.
    if part.size() > DOCX_XML_LIMIT {
        return Err(too_large);
    }
    let mut xml = Vec::new();
    part.take(DOCX_XML_LIMIT + 1)
        .read_to_end(&mut xml)
        .map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))?;
    if xml.len() as u64 > DOCX_XML_LIMIT {
        return Err(too_large);
    }
    // XML parts are UTF-8, or UTF-16 with a BOM.
    let (xml, _, had_errors) = encoding_rs::UTF_8.decode(&xml);
    if had_errors {
        return Err(corrupt(&"word/document.xml is not UTF-8 or UTF-16"));
    }
    word_xml_text(&xml).map_err(|e| corrupt(&format_args!("word/document.xml: {e}")))
}

/// Walks WordprocessingML. Only `w:t` holds text (deleted text, field codes
/// and properties are elsewhere); `w:tab` and `w:br` count only inside a run
/// (`w:tab` also defines tab stops in paragraph properties). The fallback
/// copy of a text box in `mc:AlternateContent` is skipped, or its text would
/// come twice.
fn word_xml_text(xml: &str) -> Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;

    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut walk = WordWalk::default();
    loop {
        let (ns, event) = reader.read_resolved_event()?;
        let ns: &[u8] = match ns {
            ResolveResult::Bound(ns) => ns.into_inner(),
            _ => b"",
        };
        match event {
            Event::Eof => break,
            Event::Start(e) => walk.open(ns, e.local_name().into_inner(), false),
            Event::Empty(e) => walk.open(ns, e.local_name().into_inner(), true),
            Event::End(e) => walk.close(ns, e.local_name().into_inner()),
            Event::Text(t) if walk.in_text() => walk.lines.out.push_str(&t.xml10_content()?),
            Event::CData(t) if walk.in_text() => walk.lines.out.push_str(&t.xml10_content()?),
            Event::GeneralRef(r) if walk.in_text() => match r.resolve_char_ref()? {
                Some(c) => walk.lines.out.push(c),
                None => {
                    let entity = format!("&{};", r.decode()?);
                    walk.lines
                        .out
                        .push_str(&quick_xml::escape::unescape(&entity)?);
                }
            },
            _ => {}
        }
    }
    Ok(walk.lines.finish())
}

/// Where the walk through `word/document.xml` is.
#[derive(Default)]
struct WordWalk {
    lines: Lines,
    /// Open `w:t` elements.
    in_t: usize,
    /// Open `w:r` elements.
    in_run: usize,
    /// Open elements inside an `mc:Fallback`, itself included.
    skipping: usize,
    /// Cells seen so far in each open table row, innermost last.
    rows: Vec<usize>,
    /// Open `w:tc` elements.
    in_cell: usize,
}

impl WordWalk {
    fn in_text(&self) -> bool {
        self.in_t > 0 && self.skipping == 0
    }

    /// A paragraph or row end: a new line, or a space inside a table cell,
    /// where a new line would split the row.
    fn brk(&mut self) {
        if self.in_cell > 0 {
            self.lines.space();
        } else {
            self.lines.newline();
        }
    }

    fn open(&mut self, ns: &[u8], name: &[u8], empty: bool) {
        if self.skipping > 0 || (ns == MC && name == b"Fallback") {
            self.skipping += usize::from(!empty);
            return;
        }
        if ns != W {
            return;
        }
        match name {
            b"t" if !empty => self.in_t += 1,
            b"r" if !empty => self.in_run += 1,
            b"tab" if self.in_run > 0 => self.lines.tab(),
            b"br" | b"cr" if self.in_run > 0 => self.brk(),
            b"noBreakHyphen" if self.in_run > 0 => self.lines.out.push('-'),
            b"p" if empty => self.brk(),
            b"tr" if !empty => {
                self.brk();
                self.rows.push(0);
            }
            b"tc" if !empty => {
                if let Some(cells) = self.rows.last_mut() {
                    if *cells > 0 {
                        self.lines.tab();
                    }
                    *cells += 1;
                }
                self.in_cell += 1;
            }
            _ => {}
        }
    }

    fn close(&mut self, ns: &[u8], name: &[u8]) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        if ns != W {
            return;
        }
        match name {
            b"t" => self.in_t = self.in_t.saturating_sub(1),
            b"r" => self.in_run = self.in_run.saturating_sub(1),
            b"p" => self.brk(),
            b"tr" => {
                self.rows.pop();
                self.brk();
            }
            b"tc" => self.in_cell = self.in_cell.saturating_sub(1),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- PDF

/// The text layer of a PDF, page by page, with page numbers removed.
fn pdf_text(bytes: &[u8]) -> Result<String, PublishedError> {
    let pages = catch_unwind(AssertUnwindSafe(|| pdf_pages(bytes))).map_err(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        PublishedError::Corrupt(format!("PDF reader failed: {why}"))
    })??;
    if pages.is_empty() {
        return Err(PublishedError::Corrupt("PDF has no pages".into()));
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(PublishedError::Scan);
    }
    let text: Vec<String> = pages
        .iter()
        .map(|p| page_text(p))
        .filter(|p| !p.is_empty())
        .collect();
    Ok(text.join("\n"))
}

/// One page's lines, a bare page number on its first or last line removed
/// (in the text layer the number may come first or last, whatever its place
/// on paper).
fn page_text(page: &str) -> String {
    let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
    let bare = |l: &str| {
        let l = l.trim();
        !l.is_empty() && l.len() <= 4 && l.bytes().all(|b| b.is_ascii_digit())
    };
    let last = lines.len().saturating_sub(1);
    clean_lines(lines.iter().copied(), |i| {
        (i == 0 || i == last) && bare(lines[i])
    })
}

/// Runs the crate's plain-text layout over every page, splitting its output
/// at page starts, so that one font cache serves the whole document.
fn pdf_pages(bytes: &[u8]) -> Result<Vec<String>, PublishedError> {
    let pdf_err =
        |e: &dyn std::fmt::Display| PublishedError::Corrupt(format!("not a readable PDF: {e}"));
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| pdf_err(&e))?;
    if doc.is_encrypted() {
        // Most "protected" reports only restrict printing: they open with
        // the empty user password.
        doc.decrypt("").map_err(|_| PublishedError::Encrypted)?;
    }
    let pages = PageSink::default();
    let mut dev = Paged {
        text: pdf_extract::PlainTextOutput::new(pages.clone()),
        pages: pages.clone(),
    };
    pdf_extract::output_doc(&doc, &mut dev).map_err(|e| pdf_err(&e))?;
    drop(dev);
    Ok(pages.0.take())
}

/// Text written by `PlainTextOutput`, one string per page.
#[derive(Default, Clone)]
struct PageSink(Rc<RefCell<Vec<String>>>);

impl std::fmt::Write for PageSink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let mut pages = self.0.borrow_mut();
        match pages.last_mut() {
            Some(page) => page.push_str(s),
            None => pages.push(s.to_owned()),
        }
        Ok(())
    }
}

impl pdf_extract::ConvertToFmt for PageSink {
    type Writer = PageSink;
    fn convert(self) -> PageSink {
        self
    }
}

/// `PlainTextOutput` with a new page string started at each page.
struct Paged {
    text: pdf_extract::PlainTextOutput<PageSink>,
    pages: PageSink,
}

impl pdf_extract::OutputDev for Paged {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.pages.0.borrow_mut().push(String::new());
        self.text.begin_page(page_num, media_box, art_box)
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_page()
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.text
            .output_character(trm, width, spacing, font_size, char)
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.begin_word()
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_word()
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(page: &str) -> String {
        to_text(Kind::Html, page.as_bytes()).unwrap()
    }

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

    #[test]
    fn inline_elements_do_not_break_numbers() {
        assert_eq!(
            html("<p>实际到位省外资金<span>46</span>.11<b>亿</b><font>元</font></p>"),
            "实际到位省外资金46.11亿元"
        );
    }

    #[test]
    fn blocks_are_lines_and_entities_are_decoded() {
        let page = "<html><head><title>t</title><style>p{}</style>\
            <script>var a = '1亿元';</script></head><body>\
            <h1>报告</h1><div>增长&#x4E07;&#19975;<br>第二行&nbsp;&amp;&lt;</div>\
            <ul><li>一</li><li>二</li></ul>\r\n<p>末行\r\n续</p></body></html>";
        assert_eq!(html(page), "报告\n增长万万\n第二行 &<\n一\n二\n末行 续");
    }

    #[test]
    fn tables_are_rows_of_tab_separated_cells() {
        let page = "<table><tr><th>指标</th><th>数量</th></tr>\
            <tr><td><p>城镇</p><p>人口</p></td><td><p><span>392.66</span></p></td></tr>\
            <tr><td></td><td>45.31</td></tr></table><p>后文</p>";
        assert_eq!(html(page), "指标\t数量\n城镇 人口\t392.66\n\t45.31\n后文");
    }

    #[test]
    fn navigation_scripts_and_hidden_text_are_dropped() {
        let page = "<body class=\"has-navbar\"><nav>首页</nav><header>头</header>\
            <div class=\"breadcrumb\">当前位置</div><ul id=\"mainMenu\"><li>菜单</li></ul>\
            <div class=\"Footer-wrap\">电话：0377-63181234</div>\
            <noscript>请启用</noscript><div style=\"display: none\">隐藏1亿元</div>\
            <p>正文增长3%</p><footer>版权</footer></body>";
        assert_eq!(html(page), "正文增长3%");
    }

    #[test]
    fn utf16_pages_without_a_bom_are_read() {
        let page = "<html><body><p>全年增长3%</p></body></html>";
        let le: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = page.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(to_text(Kind::Html, &le).unwrap(), "全年增长3%");
        assert_eq!(to_text(Kind::Html, &be).unwrap(), "全年增长3%");
    }

    #[test]
    fn charset_declared_detected_or_overridden() {
        let text = "全年民生支出1219亿元，占一般公共预算支出86.4%。城乡居民收入增速高于经济增长。";
        let page =
            |meta: &str| format!("<html><head>{meta}</head><body><p>{text}</p></body></html>");
        let gbk = |s: String| encoding_rs::GBK.encode(&s).0.into_owned();
        // Declared GBK, and GBK.
        let declared = gbk(page(
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
        ));
        assert_eq!(to_text(Kind::Html, &declared).unwrap(), text);
        // Declared GBK, but re-saved as UTF-8.
        let lying = page(r#"<meta charset="GBK">"#).into_bytes();
        assert_eq!(to_text(Kind::Html, &lying).unwrap(), text);
        // Declared UTF-8, but GBK: the declaration fails, detection reads it.
        let wrong = gbk(page(r#"<meta charset='utf-8'>"#));
        assert_eq!(to_text(Kind::Html, &wrong).unwrap(), text);
        // Nothing declared.
        let bare = gbk(page(""));
        assert_eq!(to_text(Kind::Html, &bare).unwrap(), text);
        // UTF-16 with a BOM.
        let mut utf16 = vec![0xff, 0xfe];
        for u in page("").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(to_text(Kind::Html, &utf16).unwrap(), text);
    }

    #[test]
    fn a_few_broken_bytes_are_tolerated_many_are_refused() {
        let text = "全年民生支出1219亿元，占一般公共预算支出86.4%。".repeat(20);
        let mut page = encoding_rs::GBK
            .encode(&format!("<meta charset=gbk><p>{text}</p>"))
            .0
            .into_owned();
        page.extend_from_slice(b"\x81\x20");
        let read = to_text(Kind::Html, &page).unwrap();
        assert!(
            read.starts_with(&text) && read.ends_with('\u{fffd}'),
            "{read}"
        );
        // The same without a declaration.
        let undeclared = &page["<meta charset=gbk>".len()..];
        let read = to_text(Kind::Html, undeclared).unwrap();
        assert!(
            read.starts_with(&text) && read.ends_with('\u{fffd}'),
            "{read}"
        );
        // A UTF-16 BOM is final, and here it is followed by lone surrogates.
        let mut broken = vec![0xff, 0xfe];
        for _ in 0..100 {
            broken.extend_from_slice(&0xdc00u16.to_le_bytes());
        }
        assert!(matches!(
            to_text(Kind::Html, &broken),
            Err(PublishedError::Encoding)
        ));
        assert!(matches!(
            to_text(Kind::Text, &[0xff, 0xff, 0x80]),
            Err(PublishedError::Encoding)
        ));
    }

    #[test]
    fn page_number_lines() {
        for line in [
            "- 3 -",
            "— 22 —",
            "—1—",
            "- 1-",
            "第 3 页 共 13 页",
            "第3页",
            "共13页 第3页",
            "3 / 13",
            "Page 3 of 13",
        ] {
            assert!(is_page_number(line), "{line}");
        }
        for line in ["-0.57‰", "3", "2023", "表 1", "增长 3%", "16-59岁"] {
            assert!(!is_page_number(line), "{line}");
        }
        assert_eq!(page_text("3\n正文\n4.8\n\n  12  \n"), "正文\n4.8");
    }

    fn docx(document_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", opts).unwrap();
        zip.write_all(document_xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn word_paragraphs_runs_tabs_breaks_and_tables() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
  xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>
  <w:r><w:t>实际到位</w:t></w:r><w:r><w:t>46</w:t></w:r><w:r><w:t xml:space="preserve">.11亿元 </w:t></w:r>
  <w:r><w:tab/><w:t>A&amp;B&#x4E07;</w:t><w:br/><w:t>下一行</w:t></w:r>
  <w:del><w:r><w:delText>删去</w:delText></w:r></w:del>
  <w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
<w:p/>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>框内</w:t></mc:Choice>
  <mc:Fallback><w:p><w:r><w:t>框内</w:t></w:r></w:p></mc:Fallback></mc:AlternateContent></w:r></w:p>
<w:p><w:r><w:t>—2—</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p><w:p><w:r><w:t>名称</w:t></w:r></w:p></w:tc>
  <w:tc><w:p><w:r><w:t>2021年</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>1.5</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>表后</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            to_text(Kind::Docx, &docx(xml)).unwrap(),
            "实际到位46.11亿元\tA&B万\n下一行\n框内\n指标 名称\t2021年\n\t1.5\n表后"
        );
    }

    #[test]
    fn a_zip_that_is_no_word_file_is_corrupt() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("other.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let err = to_text(Kind::Docx, &bytes).unwrap_err();
        assert!(matches!(&err, PublishedError::Corrupt(m) if m.contains("word/document.xml")));
        let bad = docx("<w:document><w:body><w:p></w:body>");
        assert!(matches!(
            to_text(Kind::Docx, &bad),
            Err(PublishedError::Corrupt(_))
        ));
    }
}
