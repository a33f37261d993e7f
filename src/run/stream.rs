//! `shuliang stream`: the extractor as a Unix filter, for pipes, Spark's
//! `RDD.pipe()` and Hadoop Streaming. JSON lines in, one document each
//! (`{"doc": "...", "text": "..."}`), rows out as each document finishes.
//!
//! Documents that are already waiting are extracted in parallel; nothing
//! waits for more input, so a slow producer sees each document's rows as
//! soon as it is done. Memory is bounded by the documents in flight.

use std::io::{self, BufRead};
use std::sync::mpsc;

use rayon::prelude::*;

use super::batch::{pool, Summary};
use crate::extract::Extractor;
use crate::meaning::meta::{doc_type_alias, Meta};
use crate::output::{Doc, Piece, Sink};

/// A line that is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number in the input.
    pub line: u64,
    /// Why it was skipped.
    pub reason: String,
}

impl std::fmt::Display for BadLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}, skipped", self.line, self.reason)
    }
}

#[derive(Debug)]
struct Document {
    id: String,
    text: String,
    fields: Vec<String>,
    /// `region` and `year` fields of the line, if it has them.
    meta: Option<Meta>,
}

/// Parses one input line; `keep` names the fields carried into the output.
fn parse(line: &[u8], number: u64, keep: &[String]) -> Result<Document, BadLine> {
    let bad = |reason: String| BadLine {
        line: number,
        reason,
    };
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| bad(format!("not JSON ({e})")))?;
    let obj = value
        .as_object()
        .ok_or_else(|| bad("not a JSON object".into()))?;
    let text = match obj.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err(bad("`text` is not a string".into())),
        None => return Err(bad("no `text` field".into())),
    };
    let id = match obj.get("doc") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => format!("line-{number}"),
    };
    let fields = keep
        .iter()
        .map(|k| match obj.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect();
    let field = |k: &str| match obj.get(k) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let meta = match (field("region"), field("year"), field("doc_type")) {
        (None, None, None) => None,
        (r, y, t) => Some(Meta {
            region: r.unwrap_or_default(),
            year: y.unwrap_or_default(),
            level: field("level").unwrap_or_default(),
            code: field("code").unwrap_or_default(),
            doc_type: t.as_deref().map(doc_type_alias).unwrap_or_default(),
            ..Meta::default()
        }),
    };
    Ok(Document {
        id,
        text,
        fields,
        meta,
    })
}

/// How many documents are extracted together at most.
const IN_FLIGHT: usize = 64;

/// Reads one line into `buf`, its `\n` included, but keeps at most `max`
/// bytes: a longer line is read to its end and dropped, so that memory
/// stays bounded and the next document is found. Returns `None` at the end
/// of the input, else whether the line was kept.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Option<bool>> {
    let (mut any, mut kept) = (false, true);
    loop {
        let avail = input.fill_buf()?;
        if avail.is_empty() {
            return Ok(any.then_some(kept));
        }
        any = true;
        let (n, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if kept && buf.len() + n > max + 1 {
            kept = false;
            *buf = Vec::new();
        }
        if kept {
            buf.extend_from_slice(&avail[..n]);
        }
        input.consume(n);
        if done {
            return Ok(Some(kept));
        }
    }
}

/// Reads JSON lines from `input` until its end on `threads` workers,
/// handing each document's rows to `sink` (flushed per document) in input
/// order. `bad` hears of every line skipped, lines longer than `max_line`
/// bytes among them. The summary counts documents read, lines skipped
/// and rows.
pub fn run<S: Sink + Sync>(
    input: Box<dyn BufRead + Send>,
    ex: &Extractor,
    sink: &mut S,
    (keep, max_line): (&[String], usize),
    threads: Option<usize>,
    mut bad: impl FnMut(&BadLine),
) -> io::Result<Summary> {
    let pool = pool(threads).map_err(io::Error::other)?;
    let mut summary = Summary::default();
    sink.begin()?;
    sink.flush()?;
    let rx = read_lines(input, keep.to_vec(), max_line);
    let mut pending: Vec<Document> = Vec::new();
    // Block for one line, then take whatever else is already there.
    while let Ok(item) = rx.recv() {
        let mut next = Some(item);
        while let Some(item) = next.take() {
            match item? {
                Ok(doc) => pending.push(doc),
                Err(line) => {
                    summary.skipped += 1;
                    bad(&line);
                }
            }
            if pending.len() < IN_FLIGHT {
                next = rx.try_recv().ok();
            }
        }
        let done = pool.install(|| extract(ex, &*sink, &pending));
        for (d, (meta, rows, part)) in pending.iter().zip(done) {
            sink.take(&piece(d, &meta, &rows), part)?;
            sink.flush()?;
            summary.read += 1;
            summary.rows += rows.len() as u64;
        }
        pending.clear();
    }
    Ok(summary)
}

/// The documents extracted in parallel, each with the metadata its line
/// gives, each field it does not give read from the text (as `extract`
/// does with a manifest), and the sink's part.
fn extract<S: Sink + Sync>(
    ex: &Extractor,
    sink: &S,
    pending: &[Document],
) -> Vec<(Meta, Vec<crate::extract::Quantity>, S::Part)> {
    pending
        .par_iter()
        .map(|d| {
            let rows = ex.extract(&d.text);
            let name = d.id.rsplit('/').next().unwrap_or("");
            let (meta, _) = ex.document_meta(d.meta.as_ref(), &d.text, name, None);
            let part = sink.part(&piece(d, &meta, &rows));
            (meta, rows, part)
        })
        .collect()
}

/// A whole document as a sink sees it.
fn piece<'a>(d: &'a Document, meta: &'a Meta, rows: &'a [crate::extract::Quantity]) -> Piece<'a> {
    Piece {
        doc: Doc {
            id: &d.id,
            meta,
            fields: &d.fields,
        },
        text: &d.text,
        char_base: 0,
        rows,
        first: true,
        last: true,
    }
}

/// Reads `input` in a thread of its own, each line parsed into a
/// document (or why not) and sent on; an input error ends it.
fn read_lines(
    input: Box<dyn BufRead + Send>,
    keep: Vec<String>,
    max_line: usize,
) -> mpsc::Receiver<io::Result<Result<Document, BadLine>>> {
    let (tx, rx) = mpsc::sync_channel(IN_FLIGHT);
    std::thread::spawn(move || {
        let mut input = input;
        let mut buf = Vec::new();
        let mut number = 0u64;
        loop {
            buf.clear();
            let item = match read_line(&mut input, &mut buf, max_line) {
                Ok(None) => break,
                Ok(Some(false)) => {
                    number += 1;
                    Ok(Err(BadLine {
                        line: number,
                        reason: format!("longer than {max_line} bytes (--max-line)"),
                    }))
                }
                Ok(Some(true)) => {
                    number += 1;
                    let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    Ok(parse(line, number, &keep))
                }
                Err(e) => Err(e),
            };
            let end = item.is_err();
            if tx.send(item).is_err() || end {
                break;
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_lines_are_dropped_and_the_next_one_read() {
        let mut input = io::Cursor::new(b"short\nmuch too long\nok".to_vec());
        let mut lines = Vec::new();
        let mut buf = Vec::new();
        while let Some(kept) = read_line(&mut input, &mut buf, 6).unwrap() {
            lines.push((kept, String::from_utf8(std::mem::take(&mut buf)).unwrap()));
        }
        let want = [(true, "short\n"), (false, ""), (true, "ok")];
        assert_eq!(lines, want.map(|(k, s)| (k, s.to_string())));
    }

    #[test]
    fn lines_become_documents_or_reasons() {
        let keep = vec!["region".to_string(), "year".to_string()];
        let d = parse(
            br#"{"doc":"a.txt","text":"3%","region":"x","year":2021}"#,
            1,
            &keep,
        )
        .unwrap();
        assert_eq!((d.id.as_str(), d.text.as_str()), ("a.txt", "3%"));
        assert_eq!(d.fields, ["x", "2021"]);
        assert!(parse(b"{not json", 7, &[])
            .unwrap_err()
            .to_string()
            .starts_with("line 7: not JSON"));
        assert!(parse(br#"{"doc":"a"}"#, 2, &[])
            .unwrap_err()
            .reason
            .contains("no `text`"));
        assert!(parse(b"[1,2]", 3, &[]).is_err());
        assert!(parse(b"{\"text\":\"\xff\"}", 4, &[]).is_err());
        assert_eq!(parse(br#"{"text":""}"#, 9, &[]).unwrap().id, "line-9");
    }
}
