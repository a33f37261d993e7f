//! Header: a table's header lines cut into labels, and the labels set over
//! the columns of its body — each column's label path, the unit its header
//! gives, and whether it holds quantities at all (not a unit column, not
//! `序号`).

use super::cut::{is_number, Span};
use super::layout::{Table, Words};

/// One column after the stub.
#[derive(Debug, Clone, Default)]
pub(super) struct Column {
    /// The header path, rows of a multi-row header joined with `/`.
    pub label: String,
    /// The unit column (`单位`): its cells give their row's unit.
    pub units: bool,
    /// A column of no quantities (`序号`, `年份`).
    pub skip: bool,
    /// A column of row labels after the stub (Word and HTML tables).
    pub labels: bool,
}

/// The labels of a header line, the stub's first. Word and HTML lines are
/// cut at tabs; a line of text at spaces, with letter-spaced words (`产 量`)
/// and parentheses split by a space (`（以上年为 100）`) put back together.
pub(super) fn labels(w: &Words, text: &str, line: Span) -> Vec<String> {
    let t = line.of(text);
    if t.contains('\t') {
        return t.split('\t').map(squeeze).collect();
    }
    let mut toks: Vec<String> = t.split_whitespace().map(str::to_string).collect();
    // The stub's header may be letter-spaced: `指 标`, `类 别`.
    let mut stub = String::new();
    for k in 1..toks.len() {
        let joined: String = toks[..k].concat();
        if w.words
            .stub_headers
            .iter()
            .any(|h| *h == w.fold.str(&joined))
        {
            stub = joined;
            toks.drain(..k);
            break;
        }
    }
    let mut out: Vec<String> = Vec::new();
    for tok in toks {
        let glue = out.last().is_some_and(|last: &String| {
            open_parens(last) > 0
                || tok.starts_with(['（', '('])
                || (single_han(last) && single_han(&tok))
        });
        match out.last_mut() {
            Some(last) if glue => last.push_str(&tok),
            _ => out.push(tok),
        }
    }
    out.insert(0, stub);
    out
}

/// Opening parentheses not closed.
fn open_parens(s: &str) -> i32 {
    s.chars().fold(0, |n, c| match c {
        '（' | '(' => n + 1,
        '）' | ')' => n - 1,
        _ => n,
    })
}

fn single_han(s: &str) -> bool {
    let mut cs = s.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c > '\u{2e80}')
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The columns of a table `width` cells wide after the stub. A header line
/// of text with fewer labels than columns spreads them evenly when they
/// divide the columns (a label over two columns), else sets them over the
/// last ones. A Word or HTML one with a label per column of numbers (the
/// row labels' own columns left out) labels those; else its last label
/// spans the columns left.
pub(super) fn columns(w: &Words, text: &str, table: &Table, width: usize) -> Vec<Column> {
    let mut cols = vec![Column::default(); width];
    let tabbed = table.rows.iter().any(|r| r.tabbed);
    if tabbed {
        mark_labels(w, text, table, &mut cols);
    }
    let data: Vec<usize> = (0..width).filter(|&c| !cols[c].labels).collect();
    for (k, line) in table.header.iter().enumerate() {
        // A Word or HTML header line under the first, short of cells, lost
        // its first ones (the stub's header too) to cells merged from above
        // (`rowspan`): its labels are the last columns'.
        let merged = tabbed && k > 0 && line.len() <= width.min(table.header[0].len());
        let skip = usize::from(!merged);
        let mut labels: Vec<String> = once(line).iter().skip(skip).cloned().collect();
        // Letter-spaced text may still hold more labels than columns: the
        // first ones run together (`指 数（以上年为100）`).
        while labels.len() > width && labels.len() > 1 {
            let first = labels.remove(0);
            labels[0].insert_str(0, &first);
        }
        let n = labels.len();
        if n == 0 {
            continue;
        }
        let at = |c: usize| -> Option<usize> {
            if !tabbed {
                return if width.is_multiple_of(n) {
                    Some(c / (width / n))
                } else {
                    (c + n).checked_sub(width)
                };
            }
            if merged {
                return (c + n).checked_sub(width);
            }
            if n != width && n == data.len() {
                return data.iter().position(|&d| d == c);
            }
            Some(c.min(n - 1))
        };
        for (c, col) in cols.iter_mut().enumerate() {
            if let Some(label) = at(c).and_then(|k| labels.get(k)) {
                col.add(w, label);
            }
        }
    }
    for col in &mut cols {
        col.labels &= !col.units;
    }
    cols
}

/// A header of tables side by side (`指标 | 数量 | 指标 | 数量`) once.
fn once(line: &[String]) -> &[String] {
    (1..line.len())
        .filter(|&p| line.len().is_multiple_of(p))
        .find(|&p| line.chunks(p).all(|c| c == &line[..p]))
        .map_or(line, |p| &line[..p])
}

/// Marks the columns of a Word or HTML table that hold row labels: no
/// number in any row, and not units (`DRGs组数 | 三级综合医院 | 630`); a
/// label may open with an ordinal (`1.金融业增加值（亿元）`).
fn mark_labels(w: &Words, text: &str, table: &Table, cols: &mut [Column]) {
    let width = cols.len();
    let mut numbers = vec![false; width];
    let mut words = vec![false; width];
    for row in &table.rows {
        let shift = width.saturating_sub(row.cells.len());
        for (k, cell) in row.cells.iter().enumerate() {
            let t = w.fold.str(cell.of(text));
            let t = t.trim();
            if t.is_empty() {
                continue;
            }
            let led = t.starts_with(|c: char| c.is_ascii_digit()) && w.ordinal_len(t).is_none();
            if is_number(t) || led {
                numbers[k + shift] = true;
            } else if !w.is_unit(t) {
                words[k + shift] = true;
            }
        }
    }
    for (c, col) in cols.iter_mut().enumerate() {
        col.labels = words[c] && !numbers[c];
    }
}

impl Column {
    /// Adds a header label above the column.
    fn add(&mut self, w: &Words, label: &str) {
        let folded = w.fold.str(label);
        if w.words.unit_headers.contains(&folded) {
            self.units = true;
        }
        if w.words.skip_headers.contains(&folded) {
            self.skip = true;
        }
        if !label.is_empty() && !self.label.ends_with(label) {
            if !self.label.is_empty() {
                self.label.push('/');
            }
            self.label.push_str(label);
        }
    }
}
