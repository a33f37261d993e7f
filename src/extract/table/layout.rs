//! Layout: the runs of lines that make a table — caption, unit line,
//! header lines, body rows ([`super::cut`] cuts each line) — and the
//! words of the rule file it reads them with.

use super::cut::{lines, trimmed, Row, Span};
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
    /// Text inside the body that is not the table's: sentences in its text
    /// cells, whose quantities prose reads.
    pub prose: Vec<Span>,
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

    /// The length of a label's leading ordinal (`一、`, `1.`), unless it is
    /// a number's start (`1.5倍`).
    pub fn ordinal_len(&self, s: &str) -> Option<usize> {
        let m = self.words.ordinal.as_ref()?.find(s)?;
        (!s[m.end()..].starts_with(|c: char| c.is_ascii_digit())).then_some(m.end())
    }

    /// A table's title without a caption (`赣州市金融业2020年发展目标`):
    /// short, no sentence, no heading (`二、发展目标`), no unit line.
    pub(super) fn is_title(&self, text: &str, line: Span) -> bool {
        let s = self.folded(line.of(text));
        let n = s.chars().count();
        (4..=40).contains(&n)
            && !s.contains(['，', '。', '；', '！', '？', '：', ':', ',', ';', '\t'])
            && self.ordinal_len(&s).is_none()
            && self.unit_of_line(text, line).is_none()
            && s.chars().any(|c| c > '\u{2e80}')
    }

    /// A cell that holds a sentence (a `功能定位` or `备注` column).
    fn is_sentence(&self, cell: &str) -> bool {
        self.folded(cell)
            .contains(['，', '。', '；', '！', '？', ',', ';'])
    }

    /// A line that may be a header: short, no sentence, no number cells.
    /// Folding keeps characters one for one: a prose line is too long
    /// before any is folded.
    fn is_header(&self, text: &str, line: Span) -> bool {
        let s = line.of(text);
        !s.is_empty()
            && s.chars().nth(100).is_none()
            && !s
                .chars()
                .any(|c| matches!(self.fold.char(c), '，' | '。' | '；' | ';'))
    }

    /// The caption a line is (a Word or HTML one may open with empty
    /// cells): without a unit remark in a cell of its own (`表 1 … \t单位:万吨`).
    pub(super) fn caption(&self, text: &str, line: Span) -> Option<Span> {
        let line = trimmed(text, line);
        // Folding keeps characters one for one: a long line is no caption.
        if line.of(text).chars().nth(80).is_some() {
            return None;
        }
        let s = self.folded(line.of(text));
        if !self.words.caption.as_ref().is_some_and(|r| r.is_match(&s)) {
            return None;
        }
        // Folding keeps characters one for one: the remark's start, as written.
        let remark = self
            .words
            .unit_line
            .as_ref()
            .and_then(|r| r.find(&s))
            .filter(|m| m.start() > 0 && s[m.start()..].starts_with(char::is_whitespace))
            .and_then(|m| {
                line.of(text)
                    .char_indices()
                    .nth(s[..m.start()].chars().count())
            });
        Some(match remark {
            Some((at, _)) => trimmed(
                text,
                Span {
                    start: line.start,
                    end: line.start + at,
                },
            ),
            None => line,
        })
    }

    /// The unit a unit line, or a caption's remark (`（单位：%）`), gives.
    pub(super) fn unit_of_line(&self, text: &str, line: Span) -> Option<String> {
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
        match table_at(words, text, &lines, i)
            .or_else(|| super::vertical::table_at(words, text, &lines, i))
        {
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
    let caption = w.caption(text, lines[i]);
    // Most lines are prose: no table starts at one.
    if caption.is_none() && !lines[i].of(text).contains('\t') && !w.is_header(text, lines[i]) {
        return None;
    }
    let mut unit = caption.and_then(|_| w.unit_of_line(text, lines[i]));
    let mut j = i + usize::from(caption.is_some());
    let mut header_lines = Vec::new();
    let mut units = false;
    while j < lines.len() {
        let l = lines[j];
        if l.start == l.end {
            j += 1;
            continue;
        }
        if let Some(u) = Some(l)
            .filter(|l| l.of(text).chars().nth(24).is_none())
            .and_then(|l| w.unit_of_line(text, l))
        {
            unit = Some(u);
            j += 1;
            continue;
        }
        if !w.rows(text, l, units).is_empty() {
            break;
        }
        // A caption printed twice (on both sides of a page break).
        if caption.is_some_and(|c| c.of(text) == trimmed(text, l).of(text)) {
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
    let (rows, prose, next) = body(w, text, lines, j, units, &header_lines);
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
            caption: caption.or_else(|| title(w, text, lines, i)),
            unit,
            header,
            rows,
            prose,
            body: Span {
                start: first,
                end: last,
            },
        },
        next,
    ))
}

/// A table without a caption may have a title above it: the line before
/// it, past blank ones.
fn title(w: &Words, text: &str, lines: &[Span], i: usize) -> Option<Span> {
    let l = (0..i)
        .rev()
        .take(MAX_GAP)
        .map(|k| trimmed(text, lines[k]))
        .find(|l| l.start < l.end)?;
    w.is_title(text, l).then_some(l)
}

/// Lines between two rows a table may pass over.
const MAX_GAP: usize = 3;

/// The body rows from line `j`, and the text of the table that is not its
/// own (the wrapped tail of a row's text cells), and the line after it.
/// Between rows it passes over blank lines, a label-only line before its
/// rows (`在总计中：`), the header repeated after a page break, and the
/// wrapped tail of a Word or HTML row (its stub cell empty, no number).
fn body(
    w: &Words,
    text: &str,
    lines: &[Span],
    mut j: usize,
    units: bool,
    header: &[Span],
) -> (Vec<Row>, Vec<Span>, usize) {
    let squeezed = |l: Span| -> String { l.of(text).split_whitespace().collect() };
    let repeated: Vec<String> = header.iter().map(|&h| squeezed(h)).collect();
    let tail = |l: Span| l.of(text).starts_with('\t');
    let passable = |l: Span| {
        let t = l.of(text);
        l.start == l.end
            || tail(l)
            || repeated.contains(&squeezed(l))
            || (w.is_stub(t, false)
                && t.chars().count() <= 20
                && !t.chars().any(|c| c.is_ascii_digit())
                && !w.opens_with_stub_header(text, l))
    };
    let mut rows = Vec::new();
    let mut holes = Vec::new();
    while j < lines.len() {
        let found = w.rows(text, lines[j], units);
        if !found.is_empty() {
            rows.extend(found);
            j += 1;
            continue;
        }
        let gap = (j..lines.len().min(j + MAX_GAP + 1))
            .take_while(|&k| k == j || w.rows(text, lines[k], units).is_empty())
            .count();
        let row_after = gap <= MAX_GAP && j + gap < lines.len();
        if rows.is_empty() || !row_after || !(j..j + gap).all(|k| passable(lines[k])) {
            break;
        }
        holes.extend((j..j + gap).map(|k| lines[k]).filter(|&l| tail(l)));
        j += gap;
    }
    for row in &rows {
        holes.extend(
            row.cells
                .iter()
                .filter(|c| w.number_of(c.of(text)).is_none() && w.is_sentence(c.of(text))),
        );
    }
    (rows, holes, j)
}
