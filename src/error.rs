//! The library's errors. Each names where it happened: the file, and for a
//! rule file the line and the rule.
//!
//! The errors [`Error`] wraps — of the divisions table ([`TableError`]), of a
//! PDF, Word or HTML file ([`PublishedError`]) and of a converter
//! ([`ConvertError`]) — are defined here too, and re-exported by the modules
//! that give them, so that every stage can use this module and it uses none.

use std::fmt;

/// Where in a rule file something went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLocation {
    /// The rule file's path, as given (or `rules/zh.toml` for the embedded one).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The id of the rule, exclusion or unit the error is in, when there is one.
    pub rule: Option<String>,
}

impl fmt::Display for RuleLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        Ok(())
    }
}

/// Everything the library can fail with. New kinds of failure may be
/// added, so a `match` needs a wildcard arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The rule file cannot be used; nothing is extracted with it.
    #[error("{at}: {message}")]
    Rules {
        /// File, line and rule.
        at: RuleLocation,
        /// What is wrong.
        message: String,
    },
    /// The bundled divisions table is broken.
    #[error(transparent)]
    Divisions(#[from] TableError),
    /// A manifest says one thing of a document and its text another; the
    /// manifest's value is used.
    #[error("{doc}: the manifest says {field} {manifest}, the text says {text}")]
    Contradiction {
        /// The document id.
        doc: String,
        /// `region` or `year`.
        field: &'static str,
        /// The manifest's value.
        manifest: String,
        /// What the text says.
        text: String,
    },
    /// A stretch of a document looks like a number a copy garbled
    /// ([`crate::extract::Suspect`]): no row is made of it.
    #[error("{doc}: `{text}` at {start}: {why}")]
    Suspect {
        /// The document id.
        doc: String,
        /// Code-point offset in the document.
        start: usize,
        /// The stretch as written.
        text: String,
        /// What is wrong, from the rule file.
        why: String,
    },
    /// Two manifest rows name one document: the later one is used.
    #[error(
        "manifest: `{doc}` is on line {first} and again on line {again}; line {again} is used"
    )]
    DuplicateRow {
        /// The manifest's `doc` value.
        doc: String,
        /// The line of the row before (the header is line 1).
        first: u64,
        /// The line of the row that is used.
        again: u64,
    },
    /// A manifest row names no input document.
    #[error("manifest: `{doc}` matches no input document")]
    Unmatched {
        /// The manifest's `doc` value.
        doc: String,
    },
    /// A manifest cannot be used (no `doc` column, bad CSV).
    #[error("{path}: {reason}")]
    Manifest {
        /// The manifest's path, as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A path names no file of a type shuliang reads (an empty folder).
    #[error("{path}: not a file extract reads")]
    NoDocument {
        /// The path as given.
        path: String,
    },
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Bytes of a text that are not valid in its encoding, each read as
    /// U+FFFD; the rest of the document is read.
    #[error("{path}: {count} byte sequence(s) not valid {encoding} read as U+FFFD, at byte {}", at_bytes(.first, *.count))]
    Damaged {
        /// The path as given.
        path: String,
        /// The encoding it was read in.
        encoding: &'static str,
        /// How many invalid sequences.
        count: u64,
        /// The byte offsets of the first few.
        first: Vec<u64>,
    },
    /// A file is text in no encoding shuliang reads (or too damaged).
    #[error("{path}: not UTF-8, UTF-16, GB18030 or Big5 text, skipped")]
    Encoding {
        /// The path as given.
        path: String,
    },
    /// A PDF, Word or HTML file could not be read.
    #[error("{path}: {source}, skipped")]
    Published {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        #[source]
        source: PublishedError,
    },
    /// The `--pre` converter failed on a file.
    #[error("{path}: the converter `{command}` failed ({source}), skipped")]
    Converter {
        /// The path as given.
        path: String,
        /// The command as given.
        command: String,
        /// How it failed.
        #[source]
        source: ConvertError,
    },
    /// The built-in converter gave no text for a PDF, Word or HTML file:
    /// the file has none, or the converter died or overran its limits.
    #[error("{path}: {source}, skipped")]
    Converted {
        /// The path as given.
        path: String,
        /// Why.
        #[source]
        source: ConvertError,
    },
}

impl Error {
    /// The input file a warning is about, when it skips one.
    pub fn skipped_file(&self) -> Option<&str> {
        match self {
            Error::Io { path, .. }
            | Error::Encoding { path }
            | Error::Published { path, .. }
            | Error::Converter { path, .. }
            | Error::Converted { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// What is wrong with a divisions table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("divisions table, line {line}: {why}")]
pub struct TableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub why: String,
}

/// Why a published document gave no text.
#[derive(Debug, thiserror::Error)]
pub enum PublishedError {
    /// A PDF whose pages hold no text: a scan, which needs OCR first.
    #[error("PDF has no text layer (a scan?): run OCR on it first")]
    Scan,
    /// A Word file or HTML page with no text to read (only images, or an
    /// empty page).
    #[error("{0} has no text (only images?)")]
    NoText(&'static str),
    /// A PDF that opens only with a password.
    #[error("PDF is encrypted with a password")]
    Encrypted,
    /// The file is not a readable document of its kind.
    #[error("{0}")]
    Corrupt(String),
    /// More to parse than `limit` bytes: a DOCX whose text part inflates past
    /// [`crate::read::published::DOCX_XML_LIMIT`] (a zip bomb), or a file too large to parse whole.
    #[error("too large: more than {limit} bytes to parse")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Text or an HTML page whose characters cannot be told: not UTF-8 or
    /// GB18030 for text; for HTML, no charset decodes it cleanly.
    #[error("characters cannot be decoded (unknown or mixed encoding)")]
    Encoding,
    /// A format this build of shuliang leaves out: it was built without
    /// the Cargo feature (`pdf`, `docx`, `html`) that reads it.
    #[error("this shuliang was built without {0} support (Cargo feature `{0}`)")]
    NotBuiltIn(&'static str),
}

/// Why a conversion gave no text.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The child could not be started.
    #[error("cannot run it: {0}")]
    Spawn(#[source] std::io::Error),
    /// It ran past [`crate::read::convert::Limits::timeout`] and was killed.
    #[error("no result after {0} s (--timeout)")]
    TimedOut(u64),
    /// It wrote more than [`crate::read::convert::Limits::text`] bytes and was killed.
    #[error("more than {0} bytes of text (--max-text)")]
    TooMuchText(u64),
    /// It exited with an error or was killed by a signal (running out of
    /// memory under [`crate::read::convert::Limits::memory`] is an abort); the last line it wrote
    /// to stderr says more.
    #[error("{status}{}", tail(.stderr))]
    Exited {
        /// How it ended.
        status: std::process::ExitStatus,
        /// The last line of its stderr.
        stderr: String,
    },
    /// It ended, but something it started (and that could not be found to
    /// be killed) still held its output open.
    #[error("it ended, but a process it started still holds its output open")]
    Held,
    /// The private copy of the file it is given could not be made.
    #[error("cannot give it a private link or copy of the file: {0}")]
    Private(#[source] std::io::Error),
    /// The built-in converter read the file and explains why it has no text.
    #[error("{0}")]
    Refused(String),
}

fn at_bytes(first: &[u64], count: u64) -> String {
    let list: Vec<String> = first.iter().map(u64::to_string).collect();
    let more = if count > first.len() as u64 {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", list.join(", "))
}

fn tail(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(": {stderr}")
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
