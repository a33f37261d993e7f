//! The text of a published document built line by line, as the HTML,
//! Word and PDF readers share it: whitespace collapsed as a browser does,
//! blank lines and page-number lines dropped.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::CELL_BREAK;

/// Builds the text of a document line by line: whitespace inside a line
/// collapsed as a browser does, explicit breaks kept, blank lines dropped.
#[derive(Default)]
pub(super) struct Lines {
    pub(super) out: String,
}

impl Lines {
    pub(super) fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{3000}' {
                self.space();
            } else {
                self.out.push(c);
            }
        }
    }

    /// One space, unless the line is empty or already ends in whitespace.
    pub(super) fn space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with([' ', '\t', '\n', CELL_BREAK]) {
            self.out.push(' ');
        }
    }

    /// A paragraph break inside a table cell: [`CELL_BREAK`] where a space
    /// would be (a space just written becomes one), so that the text is as
    /// long as with a space and the table reader can still tell the
    /// cell's paragraphs apart (a Word cell of stacked rows).
    pub(super) fn cell_break(&mut self) {
        if self.out.ends_with(' ') {
            self.out.pop();
            self.out.push(CELL_BREAK);
        } else {
            self.space();
            if self.out.ends_with(' ') {
                self.out.pop();
                self.out.push(CELL_BREAK);
            }
        }
    }

    pub(super) fn newline(&mut self) {
        self.trim_end_spaces();
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    pub(super) fn tab(&mut self) {
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
    pub(super) fn finish(self) -> String {
        clean_lines(self.out.lines(), |_| false)
    }
}

/// Joins `lines`, trimmed of spaces, leaving out blank lines, lines that are
/// only a decorated page number (`- 3 -`, `— 22 —`, `第 3 页 共 13 页`) and
/// those `drop` names (by index into `lines`).
pub(super) fn clean_lines<'a>(
    lines: impl Iterator<Item = &'a str>,
    drop: impl Fn(usize) -> bool,
) -> String {
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
pub(super) fn is_page_number(line: &str) -> bool {
    static PAGE: LazyLock<Regex> = LazyLock::new(|| {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
