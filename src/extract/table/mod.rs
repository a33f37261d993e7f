//! Tables: every number of a report's tables as a row, with its table, row
//! and column. Three stages, data flowing one way:
//!
//! 1. [`cut`] and [`layout`]: lines cut into cells; runs of them that make
//!    a table (caption, unit line, header lines, body rows); [`vertical`]:
//!    a table with one cell per line;
//! 2. [`header`]: the header's labels set over the body's columns;
//! 3. [`cells`]: each number of the body as a [`Quantity`], its unit from
//!    the nearest source that gives one.
//!
//! The words (header words, sub-row marks, the caption's and unit line's
//! forms) are the rule file's `[tables]`; this module is the layout. Prose
//! rows inside a table's body give way to the table's own.

mod cells;
mod cut;
mod header;
mod layout;
mod stacked;
mod units;
mod vertical;

use std::sync::Arc;

use super::locate::CharCursor;
use super::Quantity;
use crate::rules::RuleSet;

/// The `rule` of a row read from a table.
pub const RULE: &str = "table";

/// Where a row read from a table sits in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    /// The caption, or `表N` (the N-th table of the document) without one.
    pub table: Arc<str>,
    /// The stub as the reader sees it, without sub-row marks or ordinals.
    pub row: String,
    /// The header path, rows of a multi-row header joined with `/`.
    pub column: String,
}

/// What the tables of a piece give: the rows of their numbers, in order,
/// and code-point spans.
#[derive(Default)]
pub(super) struct Read {
    pub rows: Vec<Quantity>,
    /// The tables' bodies, where prose rows give way to the table's own,
    pub bodies: Vec<(usize, usize)>,
    /// but for the sentences in their text cells, which stay prose.
    pub prose: Vec<(usize, usize)>,
}

/// The tables of a piece that starts at code point `char_base`.
pub(super) fn read(rules: &RuleSet, orig: &str, char_base: usize) -> Read {
    let words = layout::Words {
        words: &rules.tables,
        fold: &rules.fold,
        rules,
    };
    let mut out = Read::default();
    if words.words.caption.is_none() {
        return out;
    }
    let mut cursor = CharCursor::new(orig, char_base);
    for (n, table) in layout::tables(&words, orig).iter().enumerate() {
        let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        let columns = header::columns(&words, orig, table, width);
        let name = match table.caption {
            Some(c) => c.of(orig).split_whitespace().collect::<Vec<_>>().join(" "),
            None => format!("表{}", n + 1),
        };
        let reader = cells::Reader {
            rules,
            words: &words,
            text: orig,
            table,
            columns: &columns,
            name: Arc::from(name.as_str()),
        };
        let start = cursor.at(table.body.start);
        out.rows.extend(reader.quantities(&mut cursor));
        out.bodies.push((start, cursor.at(table.body.end)));
        for s in &table.prose {
            out.prose.push((cursor.at(s.start), cursor.at(s.end)));
        }
    }
    out
}
