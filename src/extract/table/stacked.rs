//! Word rows whose cells hold one paragraph per row (a table pasted from
//! a PDF into Word): the stub's paragraphs are the labels, the other
//! cells' paragraphs (or their numbers) the rows. Two tables may stand
//! side by side in one row (`指标 | 数量 | 指标 | 数量`): a cell of words
//! after numbers opens the second. Labels a copy ran together into one
//! paragraph are parted where they repeat their ending
//! (`省级民政部门登记市级民政部门登记`), when that gives as many labels as
//! rows.

use super::cut::{is_value_token, split, tokens, Row, Span};
use super::layout::Words;
use crate::text::CELL_BREAK;

impl Words<'_> {
    /// The rows of a Word row of stacked paragraphs.
    pub(super) fn stacked(&self, text: &str, line: Span, stub: Span, cells: Vec<Span>) -> Vec<Row> {
        let mut groups: Vec<(Span, Vec<Span>)> = vec![(stub, Vec::new())];
        for c in cells {
            match groups.last_mut() {
                Some(g) if g.1.is_empty() || !self.has_words(text, c) => g.1.push(c),
                _ => groups.push((c, Vec::new())),
            }
        }
        groups
            .into_iter()
            .flat_map(|(stub, cells)| self.stacked_group(text, line, stub, cells))
            .collect()
    }

    /// A cell with a word that is neither a number nor a unit.
    fn has_words(&self, text: &str, cell: Span) -> bool {
        tokens(text, cell).iter().any(|t| {
            let t = self.folded(t.of(text));
            !is_value_token(&t) && !self.is_unit(&t)
        })
    }

    /// The rows of one table's stub and cells: the rest's paragraphs are
    /// the rows (one cell over all columns, its columns at tabs), or every
    /// cell has one paragraph, or one number, per label.
    fn stacked_group(&self, text: &str, line: Span, stub: Span, cells: Vec<Span>) -> Vec<Row> {
        let mut labels = split(text, stub, CELL_BREAK);
        let rest = Span {
            start: cells.first().map_or(line.end, |c| c.start),
            end: cells.last().map_or(line.end, |c| c.end),
        };
        let by_paragraph: Vec<Vec<Span>> = split(text, rest, CELL_BREAK)
            .iter()
            .map(|&p| split(text, p, '\t'))
            .collect();
        let columns = |part: &dyn Fn(Span) -> Vec<Span>| -> Option<Vec<Vec<Span>>> {
            let cols: Vec<Vec<Span>> = cells
                .iter()
                .map(|&c| part(c))
                .filter(|c| !c.is_empty())
                .collect();
            let n = cols.first()?.len();
            cols.iter().all(|c| c.len() == n).then(|| {
                (0..n)
                    .map(|i| cols.iter().map(|c| c[i]).collect())
                    .collect()
            })
        };
        let candidates = [
            Some(by_paragraph),
            columns(&|c| split(text, c, CELL_BREAK)),
            columns(&|c| tokens(text, c)),
        ];
        let Some(by_row) = candidates.into_iter().flatten().find(|rows| {
            rows.len() == labels.len()
                || (rows.len() > labels.len() && self.part(text, &mut labels, rows.len()))
        }) else {
            return Vec::new();
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

    /// Parts the one label that ran several together so that there are
    /// `want` labels: at each place its ending (two characters or more)
    /// repeats, when it repeats just as often as labels are missing.
    fn part(&self, text: &str, labels: &mut Vec<Span>, want: usize) -> bool {
        let k = want - labels.len() + 1;
        let parted: Vec<(usize, Vec<Span>)> = labels
            .iter()
            .enumerate()
            .filter_map(|(i, &l)| Some((i, parts(text, l, k)?)))
            .collect();
        match parted.as_slice() {
            [(i, parts)] => {
                labels.splice(i..=i, parts.iter().copied());
                true
            }
            _ => false,
        }
    }
}

/// `label` cut after each of the `k` places its longest repeated ending
/// (two characters or more) stands, if there is such an ending.
fn parts(text: &str, label: Span, k: usize) -> Option<Vec<Span>> {
    let s = label.of(text);
    s.char_indices().skip(1).find_map(|(i, _)| {
        let ending = &s[i..];
        if ending.chars().count() < 2 {
            return None;
        }
        let ends: Vec<usize> = s
            .match_indices(ending)
            .map(|(j, _)| j + ending.len())
            .collect();
        let mut start = label.start;
        let spans: Vec<Span> = ends
            .iter()
            .map(|&e| {
                let span = Span {
                    start,
                    end: label.start + e,
                };
                start = span.end;
                span
            })
            .collect();
        let whole = spans.iter().all(|p| p.end - p.start > ending.len());
        (ends.len() == k && whole).then_some(spans)
    })
}
