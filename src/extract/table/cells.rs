//! Cells: each number of a table's body as a row of the CSV — its value in
//! the unit of the nearest source that gives one (the cell, the column's
//! header, the row's unit cell, the table's unit line), its row and column
//! labels, and what the column says of change and year.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::cut::{is_number, Row, Span};
use super::header::Column;
use super::layout::{Table, Words};
use super::units::{normalize, unrepeated, Norm};
use super::TableCell;
use crate::extract::locate::CharCursor;
use crate::extract::Quantity;
use crate::meaning::status::{Period, Year};
use crate::rules::RuleSet;
use crate::text::numeral::{self, Value};

/// Longest `context`, in characters, as for prose.
const CONTEXT_CHARS: usize = 160;

/// A year in a caption or a column's header.
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:19|20)\d{2}").expect("year pattern"));

/// A parenthesized remark of a header (`（万吨）`, `(%)`).
static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]([^（()）]*)[）)]").expect("paren pattern"));

/// What a table's cells share.
pub(super) struct Reader<'a> {
    pub rules: &'a RuleSet,
    pub words: &'a Words<'a>,
    pub text: &'a str,
    pub table: &'a Table,
    pub columns: &'a [Column],
    /// The `table` column: the caption, or `表N`.
    pub name: Arc<str>,
}

/// The unit a header or row label names: in its last parentheses
/// (`产量（万吨）`), after `单位：`, or a `%` it ends with (`增长%`).
fn header_unit(rules: &RuleSet, label: &str) -> Option<(String, Norm)> {
    let last = label.rsplit('/').next().unwrap_or(label);
    for part in [last, label] {
        for caps in PAREN
            .captures_iter(part)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            let inner = caps[1]
                .trim_start_matches("单位")
                .trim_start_matches([':', '：']);
            if let Some(n) = normalize(rules, inner) {
                return Some((inner.to_string(), n));
            }
        }
        if part.ends_with(['%', '％']) {
            return Some(("%".into(), normalize(rules, "%")?));
        }
    }
    None
}

/// `num` (a sign, digits) with `magnitude` after it, times `factor`.
fn value(num: &str, magnitude: &str, factor: &Value) -> Option<Value> {
    let (neg, digits) = match num.strip_prefix(['-', '−', '－', '–']) {
        Some(d) => (true, d),
        None => (false, num),
    };
    let n = numeral::parse(&format!("{}{magnitude}", digits.replace(',', "")))?.value;
    let v = numeral::mul(&n, factor)?;
    Some(if neg { -v } else { v })
}

impl Reader<'_> {
    /// The label of a stub as the reader sees it, and whether it is a
    /// sub-row (`#铁路`, `其中：夏粮`).
    fn label(&self, stub: &str) -> (String, bool) {
        let w = self.words.words;
        // As written (`（含不满16周岁）`), whitespace removed.
        let mut s: String = stub.split_whitespace().collect();
        let mut sub = false;
        // Marks are found folded (`其中：` is `其中:`) and cut as written.
        while let Some(m) = w
            .sub_rows
            .iter()
            .find(|m| self.words.fold.str(&s).starts_with(m.as_str()))
        {
            let n = s
                .char_indices()
                .nth(m.chars().count())
                .map_or(s.len(), |(i, _)| i);
            s.drain(..n);
            sub = true;
        }
        if let Some(n) = self.words.ordinal_len(&s) {
            s.drain(..n);
        }
        if let Some(f) = &w.footnote {
            s = f.replace_all(&s, "").into_owned();
        }
        (s, sub)
    }

    /// The year of the caption.
    fn caption_year(&self) -> Option<i32> {
        let c = self.table.caption?.of(self.text);
        YEAR.find(c)?.as_str().parse().ok()
    }

    /// The period of a column: its own year, the year before the
    /// caption's (`上年`), else the caption's.
    fn period(&self, col: &Column, growth: bool) -> Option<Period> {
        if let Some(y) = YEAR.find(&col.label).and_then(|m| m.as_str().parse().ok()) {
            return Some(Period::year(Year::Abs(y)));
        }
        let year = self.caption_year()?;
        let w = self.words.words;
        let own = PAREN.replace_all(col.label.rsplit('/').next().unwrap_or(""), "");
        let before = !growth && w.previous_year.iter().any(|p| own.starts_with(p.as_str()));
        Some(Period::year(Year::Abs(year - i32::from(before))))
    }

    /// Columns left of a row's first cell. A Word or HTML row short of
    /// cells lost its first ones to a cell merged from above (`rowspan`);
    /// a row of text lost its last ones (empty cells are not written),
    /// and its unit cell when it has none.
    fn shift(&self, row: &Row, width: usize) -> usize {
        let missing = width.saturating_sub(row.cells.len());
        if row.tabbed {
            return missing;
        }
        let first_is_number = row
            .cells
            .first()
            .is_some_and(|c| is_number(&self.words.fold.str(c.of(self.text))));
        usize::from(missing > 0 && first_is_number && self.columns.first().is_some_and(|c| c.units))
    }

    /// The rows of every number of the table, in order.
    pub fn quantities(&self, cursor: &mut CharCursor) -> Vec<Quantity> {
        let width = self.columns.len();
        let mut out = Vec::new();
        let (mut last, mut parent) = (String::new(), String::new());
        let mut unit_cell: Option<String> = None;
        for row in &self.table.rows {
            let shift = self.shift(row, width);
            // The most particular label: the stub, or the last of the label
            // columns right after it (`DRGs组数 | 三级综合医院`), under the
            // stub; text after the numbers (`备注`) is no label.
            let inner = row
                .cells
                .iter()
                .enumerate()
                .take_while(|&(k, _)| self.columns[k + shift].labels)
                .filter(|&(_, c)| c.start < c.end)
                .last()
                .map(|(_, c)| self.label(c.of(self.text)).0)
                .filter(|l| !l.is_empty());
            let (mut label, mut sub) = self.label(row.stub.of(self.text));
            if let Some(inner) = inner {
                if !label.is_empty() {
                    parent = label;
                }
                label = inner;
                sub = true;
            }
            if label.is_empty() {
                label = last.clone();
            }
            if !sub {
                parent = label.clone();
            }
            last = label.clone();
            let indicator = if sub && parent != label {
                format!("{parent}：{label}")
            } else {
                label.clone()
            };
            // A unit cell merged from above (empty, or not there) is the one above.
            let own_unit = self
                .columns
                .iter()
                .position(|c| c.units)
                .and_then(|u| u.checked_sub(shift).and_then(|k| row.cells.get(k)))
                .map(|s| unrepeated(s.of(self.text).trim()).to_string())
                .filter(|s| !s.is_empty());
            unit_cell = own_unit.or(unit_cell);
            for (k, cell) in row.cells.iter().enumerate() {
                let col = &self.columns[(k + shift).min(width - 1)];
                if col.units || col.skip || col.labels {
                    continue;
                }
                let at = Cell {
                    row,
                    span: *cell,
                    col,
                    label: &label,
                    indicator: &indicator,
                    unit_cell: unit_cell.as_deref(),
                };
                out.extend(self.quantity(at, cursor));
            }
        }
        out
    }

    /// The row of one cell, if it holds a number.
    fn quantity(&self, at: Cell, cursor: &mut CharCursor) -> Option<Quantity> {
        let written = at.span.of(self.text);
        let (num, own) = self.words.number_of(written)?;
        let (unit_raw, norm) = own
            .and_then(|u| Some((u.clone(), normalize(self.rules, &u)?)))
            .or_else(|| header_unit(self.rules, &at.col.label))
            .or_else(|| {
                at.unit_cell
                    .and_then(|u| Some((u.to_string(), normalize(self.rules, u)?)))
            })
            .or_else(|| header_unit(self.rules, at.label))
            .or_else(|| {
                let u = self.table.unit.as_deref()?;
                Some((u.to_string(), normalize(self.rules, u)?))
            })
            .or_else(|| {
                let u = at.unit_cell?;
                Some((
                    u.to_string(),
                    Norm {
                        unit: Arc::from(u),
                        kind: Arc::from("count"),
                        magnitude: String::new(),
                        factor: Value::from(1),
                    },
                ))
            })
            .unwrap_or_else(|| {
                (
                    String::new(),
                    Norm {
                        unit: Arc::from(""),
                        kind: Arc::from("count"),
                        magnitude: String::new(),
                        factor: Value::from(1),
                    },
                )
            });
        let value = value(&num, &norm.magnitude, &norm.factor)?;
        let w = self.words.words;
        let label = &at.col.label;
        let growth = w
            .growth
            .iter()
            .chain(&w.since_start)
            .any(|g| label.contains(g.as_str()));
        let ir = &self.rules.indicators;
        let start = cursor.at(at.span.start);
        let end = cursor.at(at.span.end);
        Some(Quantity {
            start,
            end,
            text: written.split_whitespace().collect(),
            value,
            value_max: None,
            unit: norm.unit,
            kind: norm.kind,
            qualifier: None,
            unit_raw,
            rule: Arc::from(super::RULE),
            context: self.context(at.row),
            section: None,
            indicator_id: ir.id_of(at.label).or_else(|| ir.id_of(at.indicator)),
            indicator: at.indicator.to_string(),
            change: growth.then_some("increase"),
            status: w
                .target
                .iter()
                .any(|t| label.contains(t.as_str()))
                .then_some(crate::meaning::status::TARGET),
            refers_to: self.period(at.col, growth),
            part_year: None,
            cues: Default::default(),
            cell: Some(Box::new(TableCell {
                table: self.name.clone(),
                row: at.label.to_string(),
                column: label.clone(),
            })),
        })
    }

    /// The whole row, its cells joined by ` | `.
    fn context(&self, row: &Row) -> String {
        let cells = std::iter::once(row.stub).chain(row.cells.iter().copied());
        let parts: Vec<String> = cells
            .map(|c: Span| c.of(self.text).split_whitespace().collect::<String>())
            .collect();
        parts.join(" | ").chars().take(CONTEXT_CHARS).collect()
    }
}

/// One cell of a row, with what its row gives it.
struct Cell<'a> {
    row: &'a Row,
    span: Span,
    col: &'a Column,
    label: &'a str,
    indicator: &'a str,
    unit_cell: Option<&'a str>,
}
