//! Layout: the lines of a piece cut into cells, and the runs of lines that
//! make a table — caption, unit line, header rows, body rows. Word and HTML
//! tables come as lines of tab-separated cells (`read/`); PDF and plain
//! text as cells separated by spaces, one or many, read from the right:
//! a row is its stub followed by numbers.

use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{RuleSet, TableWords};
use crate::text::normalize::Fold;
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

/// A table found in the text.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub caption: Option<Span>,
    /// The unit line (`单位：万吨`), or the caption's remark, as written.
    pub unit: Option<String>,
    /// Header lines, top first, each cut into labels (the stub's first).
    pub header: Vec<Vec<String>>,
    pub rows: Vec<Row>,
    /// From the first header line (or row) to the end of the last row.
    pub body: Span,
}

/// What the layout needs of the rule file.
pub(super) struct Words<'a> {
    pub words: &'a TableWords,
    pub fold: &'a Fold,
    pub rules: &'a RuleSet,
}

/// A number as a cell holds it: sign, thousands separators, decimals,
/// percent sign, a footnote mark.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-−－–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[%％]?(?:\[\d+\]|[*＊])?$")
        .expect("number pattern")
});

/// What an empty cell is written as.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:-|－|—|–|——|…|……|\.\.\.|/|×|x)$").expect("placeholder"));

pub(super) fn is_number(cell: &str) -> bool {
    NUMBER.is_match(cell)
}

fn is_value_token(cell: &str) -> bool {
    is_number(cell) || PLACEHOLDER.is_match(cell)
}

/// The lines of `text` with their byte offsets, without the line end.
fn lines(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            // Tabs are cells: a row's first ones may be empty.
            out.push(trimmed_of(text, Span { start, end: i }, |c| c.is_whitespace() && c != '\t'));
            start = i + 1;
        }
    }
    out.push(trimmed_of(text, Span { start, end: text.len() }, |c| c.is_whitespace() && c != '\t'));
    out
}

/// `s` without the whitespace (`\r` too) at either end.
fn trimmed(text: &str, s: Span) -> Span {
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
fn tokens(text: &str, line: Span) -> Vec<Span> {
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
fn tab_cells(text: &str, line: Span) -> Vec<Span> {
    tab_cells_at(text, line, '\t')
}

/// The `sep`-separated parts of a line, each trimmed.
fn tab_cells_at(text: &str, line: Span, sep: char) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = line.start;
    for (i, c) in line.of(text).char_indices() {
        if c == sep {
            out.push(trimmed(text, Span { start, end: line.start + i }));
            start = line.start + i + sep.len_utf8();
        }
    }
    out.push(trimmed(text, Span { start, end: line.end }));
    out
}

/// The parts of `s` between `sep`s, trimmed, without empty ones.
fn split(text: &str, s: Span, sep: char) -> Vec<Span> {
    let mut parts = tab_cells_at(text, s, sep);
    parts.retain(|p| p.start < p.end);
    parts
}

impl Words<'_> {
    fn folded(&self, s: &str) -> String {
        self.fold.str(s)
    }

    /// The line as a body row, if it is one: a short stub that is no
    /// sentence, then at least one number. `units` says whether the table
    /// has a unit column, whose cell comes before the numbers.
    fn rows(&self, text: &str, line: Span, units: bool) -> Vec<Row> {
        let t = line.of(text);
        if t.contains('\t') {
            let mut cells = tab_cells(text, line);
            let stub = cells.remove(0);
            if stub.of(text).contains(CELL_BREAK) {
                return self.stacked(text, line, stub, cells);
            }
            return self.row(text, line, stub, cells, true).into_iter().collect();
        }
        self.spaced(text, line, units).into_iter().collect()
    }

    /// A Word row whose cells hold one paragraph per row (a table pasted
    /// from a PDF): the stub's paragraphs are the labels, and either the
    /// rest's paragraphs are the rows (one cell over all columns, its
    /// columns at tabs), or every cell has one paragraph per label.
    fn stacked(&self, text: &str, line: Span, stub: Span, cells: Vec<Span>) -> Vec<Row> {
        let labels = split(text, stub, CELL_BREAK);
        let n = labels.len();
        let rest = Span {
            start: cells.first().map_or(line.end, |c| c.start),
            end: line.end,
        };
        let paras = split(text, rest, CELL_BREAK);
        let by_row: Vec<Vec<Span>> = if paras.len() == n {
            paras.iter().map(|&p| split(text, p, '\t')).collect()
        } else {
            let cols: Vec<Vec<Span>> = cells
                .iter()
                .map(|&c| split(text, c, CELL_BREAK))
                .filter(|c| !c.is_empty())
                .collect();
            if cols.is_empty() || cols.iter().any(|c| c.len() != n) {
                return Vec::new();
            }
            (0..n).map(|i| cols.iter().map(|c| c[i]).collect()).collect()
        };
        labels
            .into_iter()
            .zip(by_row)
            .filter_map(|(l, cells)| {
                let line = Span {
                    start: l.start,
                    end: cells.last().map_or(l.end, |c| c.end),
                };
                self.row(text, line, l, cells, true)
            })
            .collect()
    }

    /// A row of text: cells at spaces, read from the right.
    fn spaced(&self, text: &str, line: Span, units: bool) -> Option<Row> {
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
    fn row(&self, text: &str, line: Span, stub: Span, cells: Vec<Span>, tabbed: bool) -> Option<Row> {
        let numbers = cells
            .iter()
            .filter(|c| is_number(&self.folded(c.of(text))))
            .count();
        (numbers > 0 && self.is_stub(stub.of(text), tabbed)).then_some(Row {
            line,
            stub,
            cells,
            tabbed,
        })
    }

    /// A cell that names a unit (`吨`, `万个万个` of stacked rows).
    pub fn is_unit(&self, cell: &str) -> bool {
        super::units::normalize(self.rules, super::units::unrepeated(cell)).is_some()
    }

    /// A unit cell is short and not a label with a sub-row mark.
    fn is_label_like(&self, s: &str) -> bool {
        let s = self.folded(s);
        s.chars().count() > 6 || self.words.sub_rows.iter().any(|m| s.starts_with(m.as_str()))
    }

    /// A stub is short and no sentence; a Word or HTML row's may be empty
    /// (a merged cell) or a number (a year).
    fn is_stub(&self, stub: &str, tabbed: bool) -> bool {
        let s = self.folded(stub);
        let n = s.chars().filter(|c| !c.is_whitespace()).count();
        if n == 0 {
            return tabbed;
        }
        n <= 40
            && !s.contains(['，', '。', '；', '！', '？', ';', ','])
            && (tabbed || s.chars().any(|c| !c.is_ascii_digit() && !c.is_whitespace()))
    }

    /// A line that may be a header: short, no sentence, no number cells.
    fn is_header(&self, text: &str, line: Span) -> bool {
        let s = self.folded(line.of(text));
        let n = s.chars().count();
        n > 0 && n <= 100 && !s.contains(['，', '。', '；', ';'])
    }

    fn is_caption(&self, text: &str, line: Span) -> bool {
        let s = self.folded(line.of(text));
        self.words.caption.as_ref().is_some_and(|r| r.is_match(&s)) && s.chars().count() <= 80
    }

    /// The unit a unit line, or a caption's remark (`（单位：%）`), gives.
    fn unit_of_line(&self, text: &str, line: Span) -> Option<String> {
        let s = self.folded(line.of(text));
        let caps = self.words.unit_line.as_ref()?.captures(&s)?;
        Some(caps.name("unit")?.as_str().to_string())
    }

    /// The squeezed text starts with a stub header (`指 标` is `指标`).
    fn opens_with_stub_header(&self, text: &str, line: Span) -> bool {
        let s: String = self
            .folded(line.of(text))
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        self.words.stub_headers.iter().any(|w| s.starts_with(w.as_str()))
    }

    fn has_unit_header(&self, text: &str, line: Span) -> bool {
        let s = self.folded(line.of(text));
        s.split(|c: char| c.is_whitespace())
            .any(|t| self.words.unit_headers.iter().any(|w| w == t))
    }
}

/// The tables of a piece, in order.
pub(super) fn tables(words: &Words, text: &str) -> Vec<Table> {
    let lines = lines(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match table_at(words, text, &lines, i) {
            Some((t, next)) => {
                out.push(t);
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// Header lines a table may have before its first row.
const MAX_HEADER_LINES: usize = 3;

/// The table that starts at line `i` (its caption, unit line or header),
/// and the line after it.
fn table_at(w: &Words, text: &str, lines: &[Span], i: usize) -> Option<(Table, usize)> {
    let caption = w.is_caption(text, lines[i]).then_some(lines[i]);
    // Most lines are prose: no table starts at one.
    if caption.is_none() && !lines[i].of(text).contains('\t') && !w.is_header(text, lines[i]) {
        return None;
    }
    let mut unit = caption.and_then(|c| w.unit_of_line(text, c));
    let mut j = i + usize::from(caption.is_some());
    let mut header_lines = Vec::new();
    let mut units = false;
    while j < lines.len() {
        let l = lines[j];
        if l.start == l.end {
            j += 1;
            continue;
        }
        if let Some(u) = w.unit_of_line(text, l).filter(|_| l.of(text).chars().count() <= 24) {
            unit = Some(u);
            j += 1;
            continue;
        }
        if !w.rows(text, l, units).is_empty() {
            break;
        }
        // A caption printed twice (on both sides of a page break).
        if caption.is_some_and(|c| c.of(text) == l.of(text)) {
            j += 1;
            continue;
        }
        if header_lines.len() == MAX_HEADER_LINES || !w.is_header(text, l) {
            return None;
        }
        units |= w.has_unit_header(text, l);
        header_lines.push(l);
        j += 1;
    }
    let tabbed = header_lines.iter().all(|l| l.of(text).contains('\t'))
        && lines.get(j).is_some_and(|l| l.of(text).contains('\t'));
    let opened = caption.is_some()
        || header_lines
            .first()
            .is_some_and(|&h| w.opens_with_stub_header(text, h));
    if !opened && !(tabbed && header_lines.len() <= 1) {
        return None;
    }
    // A header not after a caption starts where it is, not at line `i`.
    if caption.is_none() && header_lines.first() != Some(&lines[i]) && !tabbed {
        return None;
    }
    let (rows, next) = body(w, text, lines, j, units, &header_lines);
    let enough = if opened { 1 } else { 2 };
    if rows.len() < enough {
        return None;
    }
    let first = header_lines.first().map_or(rows[0].line.start, |h| h.start);
    let last = rows.last().map_or(first, |r| r.line.end);
    let header = header_lines
        .iter()
        .map(|&h| super::header::labels(w, text, h))
        .collect();
    Some((
        Table {
            caption,
            unit,
            header,
            rows,
            body: Span {
                start: first,
                end: last,
            },
        },
        next,
    ))
}

/// The body rows from line `j`: rows, with label-only lines before a row
/// (`在总计中：`) and a header repeated after a page break passed over.
fn body(
    w: &Words,
    text: &str,
    lines: &[Span],
    mut j: usize,
    units: bool,
    header: &[Span],
) -> (Vec<Row>, usize) {
    let squeezed = |l: Span| -> String { l.of(text).split_whitespace().collect() };
    let repeated: Vec<String> = header.iter().map(|&h| squeezed(h)).collect();
    let mut rows = Vec::new();
    while j < lines.len() {
        let l = lines[j];
        let found = w.rows(text, l, units);
        if !found.is_empty() {
            rows.extend(found);
            j += 1;
            continue;
        }
        let label_only = l.start < l.end
            && w.is_stub(l.of(text), false)
            && l.of(text).chars().count() <= 20
            && !l.of(text).chars().any(|c| c.is_ascii_digit())
            && lines.get(j + 1).is_some_and(|&n| !w.rows(text, n, units).is_empty());
        if rows.is_empty() || !(label_only || repeated.contains(&squeezed(l))) {
            break;
        }
        j += 1;
    }
    (rows, j)
}
