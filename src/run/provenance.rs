//! How an output was made, for `--summary`: the build and the rules, the
//! command line, the time, every input with its size, sha256, format and
//! encoding, every skipped file and why, and the output's sha256. Two runs
//! with the same summary but for the rules differ because of the rules.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::text::hex;
use crate::RuleSet;

/// A writer that passes bytes on and, when asked to, hashes them, for the
/// sha256 of an output written to a pipe as well as to a file. Off unless a
/// summary wants it: hashing in software costs a sixth of an extraction.
pub struct HashingWriter<W> {
    inner: W,
    hash: Option<Sha256>,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`; hashes what is written only when `hash` is set.
    pub fn new(inner: W, hash: bool) -> Self {
        HashingWriter {
            inner,
            hash: hash.then(Sha256::new),
        }
    }

    /// The sha256 (hex) of everything written, if it was hashed.
    pub fn sha256(&self) -> Option<String> {
        self.hash.as_ref().map(|h| hex(&h.clone().finalize()))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(hash) = &mut self.hash {
            hash.update(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The files a run skipped and why, heard from its warnings, and its
/// other warnings (a manifest that contradicts a text, a number a copy garbled).
#[derive(Debug, Default)]
pub struct Skipped(Mutex<Vec<(String, String)>>, Mutex<Vec<String>>);

impl Skipped {
    /// Notes `warning`: a file skipped, or another warning.
    pub fn hear(&self, warning: &crate::Error) {
        let lock = "no panic while holding the lock";
        match warning.skipped_file() {
            Some(file) => {
                let mut list = self.0.lock().expect(lock);
                list.push((file.to_string(), warning.to_string()));
            }
            None => self.1.lock().expect(lock).push(warning.to_string()),
        }
    }

    /// (file, reason) of each file skipped, and every other warning, in the
    /// order heard so far.
    pub fn lists(&self) -> (Vec<(String, String)>, Vec<String>) {
        let lock = "no panic while holding the lock";
        (
            self.0.lock().expect(lock).clone(),
            self.1.lock().expect(lock).clone(),
        )
    }
}

/// The run, as `--summary` writes it.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The rules used.
    pub rules: &'a RuleSet,
    /// The command line, as given.
    pub command: Vec<String>,
    /// When it started and ended (RFC 3339, UTC).
    pub started: String,
    /// See `started`.
    pub ended: String,
    /// Worker threads.
    pub threads: usize,
    /// (file, reason) of every file skipped.
    pub skipped: Vec<(String, String)>,
    /// Every other warning, as stderr gives it.
    pub warnings: Vec<String>,
    /// The output's sha256, and where it went (`-` for stdout).
    pub output: (String, String),
    /// What the batch counted.
    pub counts: &'a crate::run::batch::Summary,
    /// Inputs skipped: by the batch, and paths that cannot be read.
    pub skipped_count: u64,
    /// How long the batch took.
    pub seconds: f64,
}

impl Run<'_> {
    /// Writes the summary's JSON, pretty, and a line end.
    pub fn write(&self, out: impl Write) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, self)?;
        writeln!(out)?;
        out.flush()
    }

    /// The summary's fields before its inputs, and after them.
    fn around_inputs(&self) -> [Value; 2] {
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|(file, reason)| json!({"file": file, "reason": reason}))
            .collect();
        let before = json!({
            "shuliang": {"version": env!("CARGO_PKG_VERSION"), "commit": crate::COMMIT},
            "rules": {"path": self.rules.source, "sha256": self.rules.sha256},
            "command": self.command,
            "started": self.started,
            "ended": self.ended,
            "threads": self.threads,
        });
        let after = json!({
            "skipped": skipped,
            "warnings": self.warnings,
            "output": {"path": self.output.1, "sha256": self.output.0},
            "documents": self.counts.read,
            "skipped_count": self.skipped_count,
            "rows": self.counts.rows,
            "rows_by_kind": self.counts.stats.by_kind,
            "bytes": self.counts.bytes,
            "seconds": (self.seconds * 1000.0).round() / 1000.0,
            // Six decimals, not one: a small input on a busy machine is
            // well under 0.1 MB/s, and 0.0 would say nothing was read.
            "mb_per_second": ((self.counts.bytes as f64 / 1e6 / self.seconds.max(1e-9)) * 1e6).round() / 1e6,
        });
        [before, after]
    }
}

impl serde::Serialize for Run<'_> {
    /// The summary's JSON, its inputs serialized one by one rather than
    /// built as a tree first: a run of a million files has a million.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let [before, after] = self.around_inputs();
        let mut map = s.serialize_map(None)?;
        for (k, v) in before.as_object().into_iter().flatten() {
            map.serialize_entry(k, v)?;
        }
        map.serialize_entry("inputs", &self.counts.inputs)?;
        for (k, v) in after.as_object().into_iter().flatten() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Now, as RFC 3339 UTC to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// The line `diff` starts with when both sides' runs left a summary:
/// whether the same rules made both, and which.
pub fn rules_compared(old: &Path, new: &Path) -> Option<String> {
    let ((po, so), (pn, sn)) = (rules_of_summary(old)?, rules_of_summary(new)?);
    Some(if so == sn {
        format!("rules: the same on both sides ({po}, sha256 {so})")
    } else {
        format!("rules: {po} sha256 {so} → {pn} sha256 {sn}")
    })
}

/// The rule hash a summary file records: (path, sha256).
fn rules_of_summary(path: &Path) -> Option<(String, String)> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let r = v.get("rules")?;
    Some((
        r.get("path")?.as_str()?.to_string(),
        r.get("sha256")?.as_str()?.to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_of_what_was_written() {
        let mut w = HashingWriter::new(Vec::new(), true);
        w.write_all(b"doc\n").unwrap();
        assert_eq!(w.sha256(), Some(crate::rules::sha256_hex(b"doc\n")));
        let mut off = HashingWriter::new(Vec::new(), false);
        off.write_all(b"doc\n").unwrap();
        assert_eq!((off.sha256(), off.inner), (None, b"doc\n".to_vec()));
    }
}
