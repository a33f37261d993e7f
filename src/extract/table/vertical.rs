//! Tables with one cell per line, as a web page's table comes out when it
//! is copied as text: cells on lines of their own, with blank lines or `|`
//! between them. The header opens with a stub header (`指 标`) and its
//! cells give the width; the body is read a row of that many cells at a
//! time, each a label and then numbers.

use super::cut::{is_value_token, trimmed, Row, Span};
use super::layout::{Table, Words};

/// Header cells after the stub header, at most.
const MAX_HEADER_CELLS: usize = 8;

/// Characters of a cell, at most.
const MAX_CELL: usize = 40;

/// A line between cells: blank, or a bar.
fn separator(text: &str, line: Span) -> bool {
    line.of(text).trim().chars().all(|c| c == '|' || c == '｜')
}

/// The table whose header opens at line `i` with a stub header alone on its
/// line, and the line after it.
pub(super) fn table_at(w: &Words, text: &str, lines: &[Span], i: usize) -> Option<(Table, usize)> {
    let first = trimmed(text, lines[i]);
    // A stub header is short: fold no more of a line than tells it is not.
    let squeezed: String = (first.of(text).chars().map(|c| w.fold.char(c)))
        .filter(|c| !c.is_whitespace())
        .take(7)
        .collect();
    if squeezed.chars().count() > 6 || !w.words.stub_headers.contains(&squeezed) {
        return None;
    }
    // The cells from line `i`, each with the line after it.
    let mut cells = Vec::new();
    for (k, &l) in lines.iter().enumerate().skip(i) {
        if separator(text, l) {
            continue;
        }
        // A line of several cells, or a sentence, is no cell.
        let t = trimmed(text, l);
        let s = t.of(text);
        if s.contains('\t') || s.split_whitespace().count() > 4 || s.chars().count() > MAX_CELL {
            break;
        }
        cells.push((t, k + 1));
    }
    if cells.len() < 3 {
        return None;
    }
    let number =
        |c: &Span| is_value_token(&w.folded(c.of(text)).split_whitespace().collect::<String>());
    // The header ends at the first label followed by a number.
    let width = (1..cells.len().min(MAX_HEADER_CELLS + 2) - 1)
        .find(|&h| !number(&cells[h].0) && number(&cells[h + 1].0))?;
    if width < 2 || cells[1..width].iter().any(|c| number(&c.0)) {
        return None;
    }
    let mut rows = Vec::new();
    for chunk in cells[width..].chunks_exact(width) {
        let (stub, rest) = (chunk[0].0, &chunk[1..]);
        if number(&stub) || !w.is_stub(stub.of(text), false) || !rest.iter().all(|c| number(&c.0)) {
            break;
        }
        rows.push(Row {
            line: Span {
                start: stub.start,
                end: rest[rest.len() - 1].0.end,
            },
            stub,
            cells: rest.iter().map(|c| c.0).collect(),
            tabbed: false,
        });
    }
    if rows.len() < 2 {
        return None;
    }
    let next = cells[width + rows.len() * width - 1].1;
    let (caption, unit) = above(w, text, lines, i);
    let header = vec![cells[..width]
        .iter()
        .map(|c| c.0.of(text).split_whitespace().collect())
        .collect()];
    let body = Span {
        start: first.start,
        end: rows[rows.len() - 1].line.end,
    };
    Some((
        Table {
            caption,
            unit,
            header,
            rows,
            prose: Vec::new(),
            body,
        },
        next,
    ))
}

/// The caption (or title) and unit line above line `i`, past separators.
fn above(w: &Words, text: &str, lines: &[Span], i: usize) -> (Option<Span>, Option<String>) {
    let mut unit = None;
    for k in (0..i).rev().take(6) {
        let l = trimmed(text, lines[k]);
        if separator(text, l) {
            continue;
        }
        if unit.is_none() {
            if let Some(u) = w.unit_of_line(text, l) {
                unit = Some(u);
                continue;
            }
        }
        let caption = w.caption(text, l).or(w.is_title(text, l).then_some(l));
        return (caption, unit.or_else(|| w.unit_of_line(text, l)));
    }
    (None, unit)
}
