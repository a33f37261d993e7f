//! What a document is — a government work report, a statistical bulletin,
//! a budget or plan report, or something else (a notice, a policy) — read
//! from the lines of its opening with the rule file's `[metadata]
//! doc_type` patterns, so that a researcher can keep bulletins' results
//! apart from reports' and drop notices.

use super::MetaRules;

/// The types a document may have, as the `doc_type` column writes them.
pub const DOC_TYPES: &[&str] = &[
    "work_report",
    "statistical_bulletin",
    "budget_report",
    "plan_report",
    "other",
];

/// A manifest's name for a type in the column's own words (`stat_bulletin`
/// is `statistical_bulletin`); any other value as given.
pub fn doc_type_alias(given: &str) -> String {
    match given {
        "stat_bulletin" | "bulletin" => "statistical_bulletin",
        other => other,
    }
    .to_string()
}

/// One example of the rule file: an opening that is of `doc_type`.
#[derive(Debug, Clone)]
pub struct DocTypeExample {
    /// The type it should get.
    pub doc_type: String,
    /// The opening.
    pub text: String,
    /// Where the example is written.
    pub line: usize,
}

impl MetaRules {
    /// The type of the first pattern that matches one of the opening's
    /// `lines` or `pairs` (two lines joined, for a title broken over two);
    /// `other` when none does, empty when the rule file has no patterns.
    pub(super) fn doc_type(&self, lines: &[String], pairs: &[String]) -> String {
        if self.doc_type.is_empty() {
            return String::new();
        }
        self.doc_type
            .iter()
            .find(|(_, re)| lines.iter().chain(pairs).any(|l| re.is_match(l)))
            .map_or("other", |(t, _)| t.as_str())
            .to_string()
    }
}
