//! Loading a rule file: where each entry is written (its file and line,
//! which every error names), and the examples entries carry.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result, RuleLocation};
use crate::text::lazy_regex::LazyRegex;
use crate::text::normalize::Fold;

/// The text of the rule file at `path`; a file larger than
/// [`super::RULES_LIMIT`] or not UTF-8 is refused.
pub(super) fn read(path: &str) -> Result<String> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_string(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(super::RULES_LIMIT + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    let refuse = |at: usize, message: String| Error::Rules {
        at: RuleLocation {
            file: path.to_string(),
            line: 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count(),
            rule: None,
        },
        message,
    };
    if bytes.len() as u64 > super::RULES_LIMIT {
        let limit = super::RULES_LIMIT >> 20;
        return Err(refuse(
            0,
            format!("larger than {limit} MiB: not a rule file"),
        ));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let at = e.valid_up_to();
        refuse(
            at,
            format!("not UTF-8 (byte {at}): save the rule file as UTF-8"),
        )
    })?;
    Ok(text.to_string())
}

/// The file being loaded, for naming where an entry is.
pub(super) struct Loader<'a> {
    file: &'a str,
    /// Byte offsets where each line after the first starts, built once so
    /// that naming the line of every entry of a large file stays linear.
    line_starts: Vec<usize>,
    /// Whether this is the embedded file, whose table patterns are known
    /// to compile (its tests compile them all) and so are compiled only
    /// when first used, not at every start.
    embedded: bool,
}

impl<'a> Loader<'a> {
    pub(super) fn new(file: &'a str, text: &str, embedded: bool) -> Loader<'a> {
        let line_starts = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        Loader {
            file,
            line_starts,
            embedded,
        }
    }

    /// The 1-based line of byte `offset`.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) + 1
    }

    /// An error at byte `offset`, in `rule` if it is in one.
    pub(super) fn err(
        &self,
        offset: usize,
        rule: Option<&str>,
        message: impl Into<String>,
    ) -> Error {
        Error::Rules {
            at: RuleLocation {
                file: self.file.to_string(),
                line: self.line(offset),
                rule: rule.map(str::to_string),
            },
            message: message.into(),
        }
    }

    /// Like [`Loader::err`], for an entry whose line is known.
    pub(super) fn err_at_line(&self, line: usize, rule: &str, message: String) -> Error {
        Error::Rules {
            at: RuleLocation {
                file: self.file.to_string(),
                line,
                rule: Some(rule.to_string()),
            },
            message,
        }
    }

    /// A pattern of `owner` (a table or an entry, written at `at`), folded
    /// like the text it will see: compiled now, an error naming the owner
    /// and its line, or for the embedded file on first use.
    pub(super) fn table_regex(
        &self,
        fold: &Fold,
        at: usize,
        owner: &str,
        p: &str,
    ) -> Result<LazyRegex> {
        let folded = fold.str(p);
        if self.embedded {
            return Ok(LazyRegex::new(folded, Regex::new));
        }
        Regex::new(&folded)
            .map(LazyRegex::compiled)
            .map_err(|e| self.err(at, Some(owner), format!("pattern does not compile: {e}")))
    }

    /// [`Loader::table_regex`] of a pattern the table may leave out.
    pub(super) fn optional_regex(
        &self,
        fold: &Fold,
        at: usize,
        owner: &str,
        p: &Option<String>,
    ) -> Result<Option<LazyRegex>> {
        p.as_deref()
            .map(|p| self.table_regex(fold, at, owner, p))
            .transpose()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExampleEntry {
    text: String,
    gives: Vec<String>,
    #[serde(default)]
    warns: Vec<String>,
}

/// A text and the rows it must give, written `TEXT = VALUE[~MAX] [UNIT] [QUALIFIER]`.
#[derive(Debug, Clone)]
pub struct Example {
    /// The input.
    pub text: String,
    /// The rows expected, all of them, in order.
    pub gives: Vec<String>,
    /// The text of each stretch it must warn of ([`super::Exclusion::warn`]), in order.
    pub warns: Vec<String>,
    /// Where the example is written.
    pub line: usize,
}

/// The examples of an entry, each `gives` with its spacing made single.
pub(super) fn examples(ld: &Loader, list: &[Spanned<ExampleEntry>]) -> Vec<Example> {
    list.iter()
        .map(|e| Example {
            text: e.get_ref().text.clone(),
            gives: e
                .get_ref()
                .gives
                .iter()
                .map(|g| g.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect(),
            warns: e.get_ref().warns.clone(),
            line: ld.line(e.span().start),
        })
        .collect()
}
