//! PDFs with a text layer: the text of each page, page numbers removed.
//! The PDF library runs in the converter's child process; a panic in it is
//! caught and the file reported corrupt.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use super::lines::clean_lines;
use crate::error::PublishedError;

/// The text layer of a PDF, page by page, with page numbers removed.
pub(super) fn text(bytes: &[u8]) -> Result<String, PublishedError> {
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

    #[test]
    fn bare_page_numbers_on_a_first_or_last_line() {
        assert_eq!(page_text("3\n正文\n4.8\n\n  12  \n"), "正文\n4.8");
    }
}
