//! Layout: the runs of lines that make a table — caption, unit line,
//! header lines, body rows ([`super::cut`] cuts each line) — and the
//! words of the rule file it reads them with.

use super::cut::{lines, Row, Span};
use crate::rules::tables::TableWords;
use crate::rules::RuleSet;
use crate::text::normalize::Fold;

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

impl Words<'_> {
    pub(super) fn folded(&self, s: &str) -> String {
        self.fold.str(s)
    }

    /// A cell that names a unit (`吨`, `万个万个` of stacked rows).
    pub fn is_unit(&self, cell: &str) -> bool {
        super::units::normalize(self.rules, super::units::unrepeated(cell)).is_some()
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
        self.words
            .stub_headers
            .iter()
            .any(|w| s.starts_with(w.as_str()))
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
        if let Some(u) = w
            .unit_of_line(text, l)
            .filter(|_| l.of(text).chars().count() <= 24)
        {
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
    if !opened && (!tabbed || header_lines.len() > 1) {
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
            && lines
                .get(j + 1)
                .is_some_and(|&n| !w.rows(text, n, units).is_empty());
        if rows.is_empty() || !(label_only || repeated.contains(&squeezed(l))) {
            break;
        }
        j += 1;
    }
    (rows, j)
}
