//! Cutting: a piece's lines, and a line into a row's stub and cells —
//! at tabs for Word and HTML (a cell of stacked paragraphs into several
//! rows), at spaces for PDF and plain text, read from the right: a row is
//! its stub followed by numbers.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::Words;
use crate::text::CELL_BREAK;

/// Byte offsets of a stretch of the piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// A row of the body: the stub, and the cells after it in order (a unit
/// cell, numbers, placeholders, empty cells of a Word or HTML row).
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub line: Span,
    pub stub: Span,
    pub cells: Vec<Span>,
    /// Its cells came separated by tabs (a Word or HTML row).
    pub tabbed: bool,
}

/// A number as a cell holds it: sign, thousands separators, decimals,
/// percent sign, a footnote mark.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-−－–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[%％]?(?:\[\d+\]|[*＊])?$")
        .expect("number pattern")
});

/// A calendar year's digits.
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:19|20)\d{2}$").expect("year"));

/// What an empty cell is written as.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:-|－|—|–|——|…|……|\.\.\.|/|×|x)$").expect("placeholder"));

pub(super) fn is_number(cell: &str) -> bool {
    NUMBER.is_match(cell)
}

pub(super) fn is_value_token(cell: &str) -> bool {
    is_number(cell) || PLACEHOLDER.is_match(cell)
}

/// Whether a value token ([`is_value_token`]) may end with `c`.
fn ends_value(c: char) -> bool {
    c.is_numeric() || "%％]*＊-－—–….,/×x".contains(c)
}

/// The lines of `text` with their byte offsets, without the line end.
pub(super) fn lines(text: &str) -> Vec<Span> {
    let mut start = 0;
    text.split('\n')
        .map(|l| {
            let line = Span {
                start,
                end: start + l.len(),
            };
            start += l.len() + 1;
            // Tabs are cells: a row's first ones may be empty.
            trimmed_of(text, line, |c| c.is_whitespace() && c != '\t')
        })
        .collect()
}

/// `s` without the whitespace (`\r` too) at either end.
pub(super) fn trimmed(text: &str, s: Span) -> Span {
    trimmed_of(text, s, char::is_whitespace)
}

/// `s` without the characters `trim` names at either end.
fn trimmed_of(text: &str, s: Span, trim: impl Fn(char) -> bool + Copy) -> Span {
    let t = s.of(text);
    let lead = t.len() - t.trim_start_matches(trim).len();
    let body = t.trim_matches(trim);
    Span {
        start: s.start + lead,
        end: s.start + lead + body.len(),
    }
}

/// The whitespace-separated tokens of a line.
pub(super) fn tokens(text: &str, line: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at: Option<usize> = None;
    for (i, c) in line.of(text).char_indices() {
        let i = line.start + i;
        match (c.is_whitespace(), at) {
            (true, Some(s)) => {
                out.push(Span { start: s, end: i });
                at = None;
            }
            (false, None) => at = Some(i),
            _ => {}
        }
    }
    if let Some(s) = at {
        out.push(Span {
            start: s,
            end: line.end,
        });
    }
    out
}

/// The tab-separated cells of a line, each trimmed.
pub(super) fn tab_cells(text: &str, line: Span) -> Vec<Span> {
    tab_cells_at(text, line, '\t')
}

/// The `sep`-separated parts of a line, each trimmed.
fn tab_cells_at(text: &str, line: Span, sep: char) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = line.start;
    for (i, c) in line.of(text).char_indices() {
        if c == sep {
            out.push(trimmed(
                text,
                Span {
                    start,
                    end: line.start + i,
                },
            ));
            start = line.start + i + sep.len_utf8();
        }
    }
    out.push(trimmed(
        text,
        Span {
            start,
            end: line.end,
        },
    ));
    out
}

/// The parts of `s` between `sep`s, trimmed, without empty ones.
pub(super) fn split(text: &str, s: Span, sep: char) -> Vec<Span> {
    let mut parts = tab_cells_at(text, s, sep);
    parts.retain(|p| p.start < p.end);
    parts
}

impl Words<'_> {
    /// A cell's number, and the unit written after it (`45.31%`, `7.52万人`,
    /// `2000 亩`), or a remark in parentheses (`600（累计）`); not a number
    /// followed by other words (`2021-2025年`), nor a year (`2022年`).
    pub(super) fn number_of(&self, cell: &str) -> Option<(String, Option<String>)> {
        let mut s: String = self.folded(cell).split_whitespace().collect();
        if let Some(f) = &self.words.footnote {
            s = f.replace_all(&s, "").into_owned();
        }
        if is_number(&s) {
            return Some(match s.strip_suffix('%') {
                Some(n) => (n.to_string(), Some("%".into())),
                None => (s, None),
            });
        }
        let digits = s
            .char_indices()
            .take_while(|&(i, c)| {
                c.is_ascii_digit() || c == '.' || c == ',' || (i == 0 && c == '-')
            })
            .count();
        let (num, unit) = s.split_at(digits);
        let unit_or_remark = unit.starts_with(['（', '(']) || self.is_unit(unit);
        let year = YEAR.is_match(num) && unit.starts_with('年');
        (digits > 0 && is_number(num) && unit_or_remark && !year)
            .then(|| (num.to_string(), Some(unit.to_string())))
    }

    /// The line as a body row, if it is one: a short stub that is no
    /// sentence, then at least one number. `units` says whether the table
    /// has a unit column, whose cell comes before the numbers.
    pub(super) fn rows(&self, text: &str, line: Span, units: bool) -> Vec<Row> {
        let t = line.of(text);
        if t.contains('\t') {
            let mut cells = tab_cells(text, line);
            let stub = cells.remove(0);
            if stub.of(text).contains(CELL_BREAK) {
                return self.stacked(text, line, stub, cells);
            }
            return self
                .row(text, line, stub, cells, true)
                .into_iter()
                .collect();
        }
        self.spaced(text, line, units).into_iter().collect()
    }

    /// A row of text: cells at spaces, read from the right.
    fn spaced(&self, text: &str, line: Span, units: bool) -> Option<Row> {
        // A row ends in a number or a placeholder: most lines do not, and
        // are not cut.
        let last = line.of(text).trim_end().chars().next_back();
        if !last.is_some_and(|c| ends_value(self.fold.char(c))) {
            return None;
        }
        let (stub, cells) = {
            let toks = tokens(text, line);
            let n = toks
                .iter()
                .rev()
                .take_while(|s| is_value_token(&self.folded(s.of(text))))
                .count();
            let mut first = toks.len() - n;
            if units && first > 1 && !self.is_label_like(toks[first - 1].of(text)) {
                first -= 1;
            }
            if first == 0 {
                return None;
            }
            let stub = Span {
                start: toks[0].start,
                end: toks[first - 1].end,
            };
            (stub, toks[first..].to_vec())
        };
        self.row(text, line, stub, cells, false)
    }

    /// The row of a stub and its cells, if it is one.
    pub(super) fn row(
        &self,
        text: &str,
        line: Span,
        stub: Span,
        cells: Vec<Span>,
        tabbed: bool,
    ) -> Option<Row> {
        let numbers = cells
            .iter()
            .filter(|c| match tabbed {
                true => self.number_of(c.of(text)).is_some(),
                false => is_number(&self.folded(c.of(text))),
            })
            .count();
        (numbers > 0 && self.is_stub(stub.of(text), tabbed)).then_some(Row {
            line,
            stub,
            cells,
            tabbed,
        })
    }

    /// A unit cell is short and not a label with a sub-row mark.
    fn is_label_like(&self, s: &str) -> bool {
        let s = self.folded(s);
        s.chars().count() > 6
            || self
                .words
                .sub_rows
                .iter()
                .any(|m| s.starts_with(m.as_str()))
    }

    /// A stub is short and no sentence; a Word or HTML row's may be empty
    /// (a merged cell) or a number (a year).
    pub(super) fn is_stub(&self, stub: &str, tabbed: bool) -> bool {
        let s = self.folded(stub);
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        if n == 0 {
            return tabbed;
        }
        n <= 40
            && !s.contains(['，', '。', '；', '！', '？', ';', ','])
            && (tabbed || s.chars().any(|c| !c.is_ascii_digit() && !c.is_whitespace()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_token_ends_as_ends_value_says() {
        let values = [
            "12", "1,234.5%", "3.2％", "-7", "5[1]", "7*", "8＊", "٣", "-", "－", "—", "–", "——",
            "…", "……", "...", "/", "×", "x",
        ];
        for t in values {
            assert!(is_value_token(t), "{t}");
            assert!(t.chars().next_back().is_some_and(ends_value), "{t}");
        }
        assert!(!ends_value('。') && !ends_value('年') && !is_value_token("增长5%。"));
    }
}
