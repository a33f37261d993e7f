//! The page: the template's slots filled with the document's text, its
//! marks and notes, and the rows as JSON for the page's script.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{json, Map, Value};

use super::html::{base64, class_name, escape_char_into, escape_into, script_body, TEMPLATE};
use super::View;
use crate::output::columns::{self, Column, TABLE};

/// Text is cut into blocks of about this many bytes, each laid out only
/// when scrolled near (`content-visibility`), so big documents open fast.
const BLOCK_BYTES: usize = 16 << 10;

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

impl View {
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

    /// The document's region, year, level and code as the first row's
    /// JSON gives them (none when there are no rows).
    fn page_meta(&self) -> Map<String, Value> {
        let Some(first) = self.rows.first() else {
            return Map::new();
        };
        let doc = self.as_doc();
        ["region", "year", "level", "code"]
            .into_iter()
            .filter_map(columns::named)
            .map(|c| (c.name.to_string(), c.json(&doc, first)))
            .collect()
    }

    fn title(&self) -> String {
        let mut t = self.doc.clone();
        let meta = self.page_meta();
        for k in ["region", "year"] {
            if let Some(v) = meta.get(k).and_then(Value::as_str) {
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
        let spans: Vec<(usize, usize)> = self.rows.iter().map(|q| (q.start, q.end)).collect();
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
            .map(|(i, q)| (q.start, q.end, Ok(i)))
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
                let kind = &*self.rows[i].kind;
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
        for q in &self.rows {
            let k = &*q.kind;
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
        // The script gets every column on the page but `end`, which is in the mark.
        let page: Vec<&Column> = TABLE
            .iter()
            .filter(|c| c.on_page && c.name != "end")
            .collect();
        let doc = self.as_doc();
        let rows = self.rows.iter().zip(&self.row_diff).map(|(q, d)| {
            let mut vals: Vec<Value> = page.iter().map(|c| c.json(&doc, q)).collect();
            vals.push(match d {
                None => Value::Null,
                Some((class, cols)) => json!([class, cols]),
            });
            vals
        });
        let columns: Vec<&str> = page.iter().map(|c| c.name).chain(["diff"]).collect();
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
            .map(|q| &*q.rule)
            .chain(self.notes.iter().map(|n| n.rule.as_str()))
            .filter_map(|id| Some((id.to_string(), json!(self.lines.get(id)?))))
            .collect();
        let data = json!({
            "doc": self.doc,
            "meta": self.page_meta(),
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
