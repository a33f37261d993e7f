//! A report as one self-contained HTML page, every quantity marked in
//! place: what `shuliang view` writes.
//!
//! The page is made of what the other commands already say: the document
//! is read and extracted by a [`Job`], as `extract` reads it (PDF, Word and
//! HTML converted in a child process within the job's limits), so offsets
//! and columns are the same; its text is the one `--save-text` saves; the
//! grey candidates are [`Extractor::explain`]'s turned-down matches; and
//! `--diff` is [`crate::tools::diff`]. The page itself is drawn by
//! [`page`], escaped by [`html`].

mod html;
mod page;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::extract::{Extractor, Quantity};
use crate::meaning::meta::Meta;
use crate::output::{Doc, Piece, Sink};
use crate::read::convert::Converter;
use crate::run::batch::{self, Selection, WholeText};
use crate::run::Job;
use crate::tools::diff::{self, Change, Diff};

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// The path cannot be read (missing, a folder of nothing).
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// The file was found but not read: its encoding, a broken PDF…
    #[error("{0}")]
    Unread(String),
    /// `path` is a folder or names more than one document.
    #[error("{path}: view shows one document, not {count}")]
    NotOne {
        /// The path as given.
        path: String,
        /// How many documents it names.
        count: usize,
    },
    /// Reading the document failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What sits in the text besides the rows: a candidate turned down, or
/// (with `--diff`) a row of the old or new output that these rules do not give.
#[derive(Debug, Clone)]
struct Note {
    start: usize,
    end: usize,
    text: String,
    /// `down`, `removed` or `added`.
    class: &'static str,
    rule: String,
    reason: String,
}

/// How a row differs under `--diff`: `added` or `changed`, and the
/// changed columns as (name, old, new).
type RowDiff = (&'static str, Vec<(String, String, String)>);

/// One document, read and extracted, ready to be written as a page.
#[derive(Debug)]
pub struct View {
    /// The `doc` id extract gives the file.
    doc: String,
    /// The text the offsets refer to.
    text: String,
    /// Region, year, level and code of the document.
    meta: Meta,
    /// Its rows, as `extract` gives them.
    rows: Vec<Quantity>,
    /// Per row: `added` or `changed` under `--diff`, with the changed columns.
    row_diff: Vec<Option<RowDiff>>,
    notes: Vec<Note>,
    /// Section headings at code-point offsets.
    headings: Vec<(usize, Arc<str>)>,
    /// The rule file's name, and each rule's line in it.
    source: String,
    lines: HashMap<String, usize>,
}

/// The sink of a view's job: the document's text, metadata and rows.
struct Collect {
    text: WholeText,
    meta: Meta,
    rows: Vec<Quantity>,
    /// Why the text was refused (too long), ending the job.
    refused: Option<crate::Error>,
}

impl Sink for Collect {
    type Part = ();

    fn part(&self, _piece: &Piece<'_>) {}

    fn take(&mut self, piece: &Piece<'_>, _part: ()) -> std::io::Result<()> {
        if piece.first {
            self.meta = piece.doc.meta.clone();
        }
        if let Err(e) = self.text.push(piece.text) {
            let io = std::io::Error::other(e.to_string());
            self.refused = Some(e);
            return Err(io);
        }
        self.rows.extend_from_slice(piece.rows);
        Ok(())
    }
}

impl View {
    /// Reads `path` as `extract` does, converting a published file with
    /// `convert`, and extracts it with `ex`.
    pub fn read(path: &str, ex: &Extractor, convert: Converter) -> Result<View, ViewError> {
        let (inputs, errors) = batch::inputs(&[path.to_string()], &Selection::default());
        if let Some(e) = errors.into_iter().next() {
            return Err(e.into());
        }
        if inputs.len() != 1 {
            return Err(ViewError::NotOne {
                path: path.to_string(),
                count: inputs.len(),
            });
        }
        let doc = inputs[0].doc.clone();
        let mut job = Job::new(ex, inputs);
        job.options.convert = convert;
        let mut got = Collect {
            text: WholeText::new(path, &job.options),
            meta: Meta::default(),
            rows: Vec::new(),
            refused: None,
        };
        let mut failure = None;
        let ran = job.run(&mut got, |e| failure = Some(e.to_string()));
        if let Some(e) = got.refused {
            return Err(e.into());
        }
        ran?;
        if let Some(why) = failure {
            return Err(ViewError::Unread(why));
        }
        let Collect {
            text, meta, rows, ..
        } = got;
        Ok(View::new(doc, text.text, meta, rows, ex))
    }

    /// The page's view of `rows` of `text`, with the candidates `ex` turns down.
    fn new(doc: String, text: String, meta: Meta, rows: Vec<Quantity>, ex: &Extractor) -> View {
        let notes = ex
            .explain(&text)
            .rejected
            .into_iter()
            .map(|r| Note {
                start: r.start,
                end: r.end,
                text: r.text,
                class: "down",
                rule: r.rule,
                reason: r.reason,
            })
            .collect();
        let flat = crate::text::normalize::Flat::new(&text, &ex.rules().fold);
        let headings = char_offsets(&text, ex.rules().meta.headings(&text, &flat));
        let rules = ex.rules();
        View {
            doc,
            row_diff: vec![None; rows.len()],
            text,
            meta,
            rows,
            notes,
            headings,
            source: rules.source.clone(),
            lines: rules
                .rules()
                .iter()
                .map(|r| (r.id.clone(), r.line))
                .collect(),
        }
    }

    /// The document's text, as the offsets count it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many rows the page marks.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The document as the column table's accessors take it.
    fn as_doc(&self) -> Doc<'_> {
        Doc {
            id: &self.doc,
            meta: &self.meta,
            fields: &[],
        }
    }

    /// Marks what differs between two outputs of `extract` for this
    /// document: rows added and changed (the mark, when these rules give
    /// the row too), and removed (in grey, struck through).
    pub fn mark_diff(&mut self, d: &Diff) {
        let Some(doc) = same_doc(&self.doc, d.changes.iter().map(|((doc, _, _), _)| doc)) else {
            return;
        };
        let at: HashMap<(usize, usize), usize> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, q)| ((q.start, q.end), i))
            .collect();
        for ((_, start, end), change) in d.changes.iter().filter(|((name, _, _), _)| name == &doc) {
            let (class, columns, row, changed) = match change {
                Change::Added(row) => ("added", &d.columns, row, Vec::new()),
                Change::Removed(row) => ("removed", &d.old_columns, row, Vec::new()),
                Change::Changed(cols, row) => ("changed", &d.columns, row, cols.clone()),
            };
            match at.get(&(*start, *end)) {
                Some(&i) if class != "removed" => self.row_diff[i] = Some((class, changed)),
                _ => self
                    .notes
                    .push(diff_note(class, columns, row, &changed, (*start, *end))),
            }
        }
        self.notes.sort_by_key(|n| (n.start, n.end));
    }
}

/// A row of a diff that these rules do not give, as a note.
fn diff_note(
    class: &'static str,
    columns: &[String],
    row: &[String],
    changed: &[(String, String, String)],
    (start, end): (usize, usize),
) -> Note {
    let col = |name: &str| diff::value(columns, row, name);
    let mut reason = format!(
        "{class} in the diff, not given by these rules: = {} {} ({}), rule `{}`",
        col("value"),
        col("unit"),
        col("kind"),
        col("rule")
    );
    for (name, a, b) in changed {
        let _ = write!(reason, "; {name}: {a} → {b}");
    }
    Note {
        start,
        end,
        text: col("text").to_string(),
        class: if class == "removed" {
            "removed"
        } else {
            "added"
        },
        rule: col("rule").to_string(),
        reason,
    }
}

/// Byte offsets of headings turned into code-point offsets.
fn char_offsets(text: &str, headings: Vec<(usize, Arc<str>)>) -> Vec<(usize, Arc<str>)> {
    let (mut byte, mut chars) = (0, 0);
    headings
        .into_iter()
        .map(|(b, h)| {
            chars += text[byte..b].chars().count();
            byte = b;
            (chars, h)
        })
        .collect()
}

/// Which document of a diff is this one: the one whose id is `doc`, or a
/// tail of it by path components (`extract corpus/` gives `city/x.txt` for
/// `corpus/city/x.txt`), the longest such.
fn same_doc<'a>(doc: &str, ids: impl Iterator<Item = &'a String>) -> Option<String> {
    ids.filter(|id| doc == id.as_str() || doc.ends_with(&format!("/{id}")))
        .max_by_key(|id| id.len())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_finds_the_document_by_a_tail_of_its_path() {
        let ids = [
            "x.txt".to_string(),
            "city/x.txt".to_string(),
            "y.txt".to_string(),
        ];
        assert_eq!(
            same_doc("corpus/city/x.txt", ids.iter()).as_deref(),
            Some("city/x.txt")
        );
        assert_eq!(same_doc("z.txt", ids.iter()), None);
    }
}
