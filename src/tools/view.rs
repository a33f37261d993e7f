//! A report as one self-contained HTML page, every quantity marked in
//! place: what `shuliang view` writes.
//!
//! The page is made of what the other commands already say: the rows are
//! those `extract` writes for the file (read and extracted by
//! [`crate::run::batch`], so offsets and columns are the same), the text is the
//! one `--save-text` saves, the grey candidates are [`Extractor::explain`]'s
//! turned-down matches, and `--diff` is [`crate::tools::diff`]. The document's
//! text goes into the HTML escaped, and row data into a JSON block whose
//! `<` is written `\u003c`; the page's one script is pinned by a hash in
//! its Content-Security-Policy, so nothing from the document can run.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::extract::Extractor;
use crate::output::Jsonl;
use crate::run::batch::{self, Input, Selection};
use crate::tools::diff::{Change, Table};

/// The HTML, CSS and script of the page, with `{{slot}}`s to fill.
const TEMPLATE: &str = include_str!("view.html");

/// The columns of a row the page carries (the rest is the document's, or
/// `context`, which the page shows around the mark anyway).
const ROW_COLUMNS: &[&str] = &[
    "start",
    "end",
    "text",
    "value",
    "value_max",
    "unit",
    "kind",
    "qualifier",
    "rule",
    "section",
    "indicator",
    "indicator_id",
    "change",
    "status",
    "refers_to",
];

/// Text is cut into blocks of about this many bytes, each laid out only
/// when scrolled near (`content-visibility`), so big documents open fast.
const BLOCK_BYTES: usize = 16 << 10;

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
    /// Reading or saving the text failed.
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

/// One document, read and extracted, ready to be written as a page.
#[derive(Debug)]
pub struct View {
    /// The `doc` id extract gives the file.
    doc: String,
    /// The text the offsets refer to.
    text: String,
    /// Region, year, level and code, as the rows say.
    meta: Map<String, Value>,
    /// Rows, each a map of [`ROW_COLUMNS`].
    rows: Vec<Map<String, Value>>,
    /// Per row: `added` or `changed` under `--diff`, with the changed columns.
    row_diff: Vec<Option<RowDiff>>,
    notes: Vec<Note>,
    /// Section headings at code-point offsets.
    headings: Vec<(usize, Arc<str>)>,
    /// The rule file's name, and each rule's line in it.
    source: String,
    lines: HashMap<String, usize>,
}

impl View {
    /// Reads `path` as `extract` does and extracts it with `ex`.
    pub fn read(path: &str, ex: &Extractor) -> Result<View, ViewError> {
        let (inputs, errors) = batch::inputs(&[path.to_string()], &Selection::default());
        if let Some(e) = errors.into_iter().next() {
            return Err(e.into());
        }
        let [input] = inputs.as_slice() else {
            return Err(ViewError::NotOne {
                path: path.to_string(),
                count: inputs.len(),
            });
        };
        // The text is saved under a fixed name, so it can be found again.
        let saved = tempfile::tempdir()?;
        let opts = batch::Options {
            save_text: Some(saved.path().to_path_buf()),
            ..Default::default()
        };
        let aside = Input {
            doc: "page".into(),
            ..input.clone()
        };
        let mut jsonl = Vec::new();
        let mut failure = None;
        batch::run(
            std::slice::from_ref(&aside),
            ex,
            &Jsonl::default(),
            &mut jsonl,
            &opts,
            |e| failure = Some(e.to_string()),
        )?;
        if let Some(why) = failure {
            return Err(ViewError::Unread(why));
        }
        let text = std::fs::read_to_string(saved.path().join("page.txt"))?;
        let mut meta = Map::new();
        let mut rows = Vec::new();
        for line in jsonl.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let mut all: Map<String, Value> =
                serde_json::from_slice(line).map_err(std::io::Error::other)?;
            if meta.is_empty() {
                for k in ["region", "year", "level", "code"] {
                    meta.insert(k.into(), all.get(k).cloned().unwrap_or(Value::Null));
                }
            }
            rows.push(
                ROW_COLUMNS
                    .iter()
                    .map(|&c| (c.to_string(), all.remove(c).unwrap_or(Value::Null)))
                    .collect(),
            );
        }
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
        let headings = char_offsets(&text, ex.rules().meta.headings(&text));
        let rules = ex.rules();
        Ok(View {
            doc: input.doc.clone(),
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
        })
    }

    /// The document's text, as the offsets count it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many rows the page marks.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Marks what differs between two outputs of `extract` for this
    /// document: rows added and changed (the mark, when these rules give
    /// the row too), and removed (in grey, struck through).
    pub fn mark_diff(&mut self, old: &Table, new: &Table) {
        let d = crate::tools::diff::diff(old, new);
        let Some(doc) = same_doc(&self.doc, d.changes.iter().map(|((doc, _, _), _)| doc)) else {
            return;
        };
        let at: HashMap<(usize, usize), usize> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some(((offset(r, "start")?, offset(r, "end")?), i)))
            .collect();
        let column = |t: &Table, row: &[String], name: &str| {
            t.columns
                .iter()
                .position(|c| c == name)
                .map_or(String::new(), |i| row[i].clone())
        };
        for ((_, start, end), change) in d.changes.iter().filter(|((d, _, _), _)| d == &doc) {
            let (class, table, row, changed) = match change {
                Change::Added(row) => ("added", new, row, Vec::new()),
                Change::Removed(row) => ("removed", old, row, Vec::new()),
                Change::Changed(cols, row) => ("changed", new, row, cols.clone()),
            };
            match at.get(&(*start, *end)) {
                Some(&i) if class != "removed" => self.row_diff[i] = Some((class, changed)),
                _ => {
                    let col = |name| column(table, row, name);
                    let mut reason = format!(
                        "{class} in the diff, not given by these rules: = {} {} ({}), rule `{}`",
                        col("value"),
                        col("unit"),
                        col("kind"),
                        col("rule")
                    );
                    for (name, a, b) in &changed {
                        let _ = write!(reason, "; {name}: {a} → {b}");
                    }
                    self.notes.push(Note {
                        start: *start,
                        end: *end,
                        text: col("text"),
                        class: if class == "removed" {
                            "removed"
                        } else {
                            "added"
                        },
                        rule: col("rule"),
                        reason,
                    });
                }
            }
        }
        self.notes.sort_by_key(|n| (n.start, n.end));
    }

    /// The page: one HTML file that needs nothing else.
    pub fn to_html(&self) -> String {
        let placed = self.place();
        let script = script_body();
        let mut out = String::with_capacity(self.text.len() * 2 + 4096);
        let mut rest = TEMPLATE;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find("}}").expect("template slots are closed");
            match &rest[open + 2..close] {
                "title" => escape_into(&mut out, &self.title()),
                "csp" => {
                    use sha2::Digest;
                    out.push_str(&base64(&sha2::Sha256::digest(script.as_bytes())));
                }
                "summary" => self.summary(&mut out),
                "outline" => self.outline(&mut out),
                "text" => self.body(&mut out, &placed),
                "data" => self.data(&mut out, &placed),
                other => unreachable!("unknown template slot {other}"),
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        out
    }

    fn title(&self) -> String {
        let mut t = self.doc.clone();
        for k in ["region", "year"] {
            if let Some(v) = self.meta.get(k).and_then(Value::as_str) {
                t.push_str(" · ");
                t.push_str(v);
            }
        }
        t
    }

    /// Where each note is shown: in its own span where it overlaps no row
    /// and no note shown already (rows of a diff are placed before
    /// turned-down candidates), else in the tooltip of what it overlaps.
    fn place(&self) -> Vec<Host> {
        let spans: Vec<(usize, usize)> = self
            .rows
            .iter()
            .map(|r| {
                (
                    offset(r, "start").unwrap_or(0),
                    offset(r, "end").unwrap_or(0),
                )
            })
            .collect();
        // Shown notes by start: (end, index); they do not overlap.
        let mut shown: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
        let mut hosts = vec![Host::Own; self.notes.len()];
        let mut order: Vec<usize> = (0..self.notes.len()).collect();
        order.sort_by_key(|&j| self.notes[j].class == "down");
        for j in order {
            let n = &self.notes[j];
            // Rows are in order and do not overlap: the one before `n.end` is the only candidate.
            let i = spans.partition_point(|&(s, _)| s < n.end);
            let row = i
                .checked_sub(1)
                .filter(|&i| spans[i].1 > n.start || spans[i].0 == n.start);
            let note = shown
                .range(..n.end.max(n.start + 1))
                .next_back()
                .filter(|(_, &(e, _))| e > n.start);
            hosts[j] = match (row, note) {
                (Some(i), _) => Host::Row(i),
                (None, Some((_, &(_, k)))) => Host::Note(k),
                (None, None) => {
                    shown.insert(n.start, (n.end, j));
                    Host::Own
                }
            };
        }
        hosts
    }

    /// The text, escaped, with rows as `<mark>`s, notes shown in their own
    /// span, and heading anchors; cut into blocks at line ends.
    fn body(&self, out: &mut String, placed: &[Host]) {
        // (start, end, row or note): rows first where both start at once.
        let mut opens: Vec<(usize, usize, Result<usize, usize>)> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let (s, e) = (
                    offset(r, "start").unwrap_or(0),
                    offset(r, "end").unwrap_or(0),
                );
                (s, e, Ok(i))
            })
            .chain(
                self.notes
                    .iter()
                    .zip(placed)
                    .enumerate()
                    .filter(|(_, (_, h))| matches!(h, Host::Own))
                    .map(|(j, (n, _))| (n.start, n.end, Err(j))),
            )
            .filter(|(s, e, _)| s < e)
            .collect();
        opens.sort_by_key(|&(s, _, _)| s);
        let mut opens = opens.into_iter().peekable();
        let mut heads = self.headings.iter().enumerate().peekable();
        let mut open: Option<(usize, &str)> = None;
        let mut block = 0;
        out.push_str("<div class=\"b\">");
        for (at, c) in self.text.chars().enumerate() {
            if let Some((_, close)) = open.filter(|&(end, _)| end == at) {
                out.push_str(close);
                open = None;
            }
            if open.is_none() {
                while let Some((h, _)) = heads.next_if(|(_, (o, _))| *o <= at) {
                    let _ = write!(out, "<span class=\"anchor\" id=\"h{h}\"></span>");
                }
                if block > BLOCK_BYTES && c == '\n' {
                    out.push_str("</div><div class=\"b\">");
                    block = 0;
                }
                // What cannot be shown (it starts inside an open span) is skipped.
                while opens.next_if(|(s, _, _)| *s < at).is_some() {}
                if let Some((_, end, what)) = opens.next_if(|(s, _, _)| *s == at) {
                    open = Some((end, self.open_tag(out, at, end, what)));
                }
            }
            block += c.len_utf8();
            escape_char_into(out, c);
        }
        if let Some((_, close)) = open {
            out.push_str(close);
        }
        for (h, _) in heads {
            let _ = write!(out, "<span class=\"anchor\" id=\"h{h}\"></span>");
        }
        out.push_str("</div>");
    }

    /// Writes the opening tag of row `Ok(i)` or note `Err(j)`; returns its closing tag.
    fn open_tag(
        &self,
        out: &mut String,
        start: usize,
        end: usize,
        what: Result<usize, usize>,
    ) -> &'static str {
        match what {
            Ok(i) => {
                let kind = self.rows[i]
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let _ = write!(out, "<mark class=\"q k-{}", class_name(kind));
                if let Some((d, _)) = &self.row_diff[i] {
                    let _ = write!(out, " d-{d}");
                }
                let _ = write!(
                    out,
                    "\" data-start=\"{start}\" data-end=\"{end}\" tabindex=\"0\">"
                );
                "</mark>"
            }
            Err(j) => {
                let _ = write!(
                    out,
                    "<span id=\"n{j}\" class=\"n n-{}\" tabindex=\"0\">",
                    self.notes[j].class
                );
                "</span>"
            }
        }
    }

    /// Rows by kind, in the order of the kinds' first rows.
    fn summary(&self, out: &mut String) {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for r in &self.rows {
            let k = r.get("kind").and_then(Value::as_str).unwrap_or("");
            match kinds.iter_mut().find(|(n, _)| *n == k) {
                Some((_, c)) => *c += 1,
                None => kinds.push((k, 1)),
            }
        }
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let _ = write!(out, "<b>{}</b> rows", self.rows.len());
        for (k, n) in kinds {
            let _ = write!(out, " <span class=\"sw k-{}\">", class_name(k));
            escape_into(out, k);
            let _ = write!(out, "</span> {n}");
        }
        let down = self.notes.iter().filter(|n| n.class == "down").count();
        let _ = write!(out, " · <span class=\"n n-down\">{down} turned down</span>");
        let diff = |c: &str| {
            self.row_diff
                .iter()
                .flatten()
                .filter(|(d, _)| *d == c)
                .count()
                + self.notes.iter().filter(|n| n.class == c).count()
        };
        if self.row_diff.iter().any(Option::is_some) || self.notes.iter().any(|n| n.class != "down")
        {
            let _ = write!(
                out,
                " · diff: <span class=\"q d-added\">{} added</span> <span class=\"q d-changed\">{} changed</span> <span class=\"n n-removed\">{} removed</span>",
                diff("added"),
                diff("changed"),
                diff("removed")
            );
        }
    }

    /// Section headings as a list of links.
    fn outline(&self, out: &mut String) {
        for (h, (_, name)) in self.headings.iter().enumerate() {
            let _ = write!(out, "<li><a href=\"#h{h}\">");
            escape_into(out, name);
            out.push_str("</a></li>");
        }
    }

    /// Rows, notes and the rule file as JSON for the script, `<` escaped
    /// so that no `</script>` in the document can end the block.
    fn data(&self, out: &mut String, placed: &[Host]) {
        let value = |r: &Map<String, Value>, c: &str| r.get(c).cloned().unwrap_or(Value::Null);
        // The script gets every row column but `end`, which is in the mark.
        let page: Vec<&str> = ROW_COLUMNS
            .iter()
            .copied()
            .filter(|&c| c != "end")
            .collect();
        let rows = self.rows.iter().zip(&self.row_diff).map(|(r, d)| {
            let mut vals: Vec<Value> = page.iter().map(|&c| value(r, c)).collect();
            vals.push(match d {
                None => Value::Null,
                Some((class, cols)) => json!([class, cols]),
            });
            vals
        });
        let columns: Vec<&str> = page.iter().copied().chain(["diff"]).collect();
        let rows = columnar(&columns, &["start"], rows);
        let notes = self.notes.iter().zip(placed).map(|(n, h)| {
            let (row, note) = match h {
                Host::Own => (None, None),
                Host::Row(i) => (Some(i), None),
                Host::Note(j) => (None, Some(j)),
            };
            vec![
                json!(n.start),
                json!(n.end),
                json!(n.text),
                json!(n.class),
                json!(n.rule),
                json!(n.reason),
                json!(row),
                json!(note),
            ]
        });
        let notes = columnar(
            &[
                "start", "end", "text", "class", "rule", "reason", "row", "note",
            ],
            &["start", "end", "row", "note"],
            notes,
        );
        let lines: Map<String, Value> = self
            .rows
            .iter()
            .filter_map(|r| r.get("rule").and_then(Value::as_str))
            .chain(self.notes.iter().map(|n| n.rule.as_str()))
            .filter_map(|id| Some((id.to_string(), json!(self.lines.get(id)?))))
            .collect();
        let data = json!({
            "doc": self.doc,
            "meta": self.meta,
            "rules": self.source,
            "lines": lines,
            "rows": rows,
            "notes": notes,
        });
        for c in data.to_string().chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                c => out.push(c),
            }
        }
    }
}

/// How a row differs under `--diff`: `added` or `changed`, and the
/// changed columns as (name, old, new).
type RowDiff = (&'static str, Vec<(String, String, String)>);

/// A table as the page's script reads it: `columns`, `rows` of values,
/// and in `dicts` each column's distinct values, listed once, whose rows
/// hold the value's index (all columns but those in `raw`); a big
/// document's rows repeat kinds, units, rules and reasons thousands of times.
fn columnar(columns: &[&str], raw: &[&str], rows: impl Iterator<Item = Vec<Value>>) -> Value {
    let mut dicts: Vec<(Vec<Value>, HashMap<String, usize>)> =
        columns.iter().map(|_| Default::default()).collect();
    let rows: Vec<Value> = rows
        .map(|r| {
            r.into_iter()
                .zip(columns)
                .zip(&mut dicts)
                .map(|((v, c), (list, index))| {
                    if raw.contains(c) {
                        return v;
                    }
                    let i = *index.entry(v.to_string()).or_insert_with(|| {
                        list.push(v);
                        list.len() - 1
                    });
                    json!(i)
                })
                .collect()
        })
        .collect();
    let dicts: Map<String, Value> = columns
        .iter()
        .zip(dicts)
        .filter(|(c, _)| !raw.contains(c))
        .map(|(c, (list, _))| (c.to_string(), Value::Array(list)))
        .collect();
    json!({ "columns": columns, "dicts": dicts, "rows": rows })
}

/// Where a note is shown.
#[derive(Debug, Clone, Copy)]
enum Host {
    /// In its own grey span.
    Own,
    /// In the tooltip of row `i`.
    Row(usize),
    /// In the tooltip of note `j`.
    Note(usize),
}

/// The code-point offset in a row's `start` or `end`.
fn offset(row: &Map<String, Value>, key: &str) -> Option<usize> {
    row.get(key)?.as_u64().map(|n| n as usize)
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

/// The script of the template, whose hash the page's policy allows.
fn script_body() -> &'static str {
    let start = TEMPLATE.find("<script>").expect("template has a script") + "<script>".len();
    let len = TEMPLATE[start..]
        .find("</script>")
        .expect("script is closed");
    &TEMPLATE[start..start + len]
}

/// A kind as a CSS class name: letters, digits and `_` kept.
fn class_name(kind: &str) -> String {
    kind.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        escape_char_into(out, c);
    }
}

/// HTML-escapes one character of text; a `\r` is written as a reference
/// because the HTML parser would otherwise turn `\r\n` into `\n` and the
/// page's text would no longer match the offsets.
fn escape_char_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\r' => out.push_str("&#13;"),
        c => out.push(c),
    }
}

/// Standard base64 with padding, for the script's hash.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

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
