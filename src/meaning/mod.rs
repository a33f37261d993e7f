//! What a quantity means, beyond its value and unit: the indicator it is a
//! figure of and whether it is a change ([`indicator`]), whether the report
//! states it as a target or a result and for which period ([`status`]), and
//! the report's own region, year and sections ([`meta`], [`region`]).
//!
//! The words and patterns come from the rule file; the types here are what
//! [`crate::rules`] compiles them into, and what the extractor's last stages
//! read.

pub mod indicator;
pub mod meta;
pub mod region;
pub(crate) mod scan;
pub mod status;

use aho_corasick::AhoCorasick;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// The literals that end the matches of `patterns` (`比重`, `季度`, `月`),
/// as one automaton: a text that holds none of them matches none of the
/// patterns, and one search for them is cheaper than one per pattern.
/// `None` when some pattern's are too many to list or one is empty.
pub(crate) fn match_ends<'a>(patterns: impl Iterator<Item = &'a str>) -> Option<AhoCorasick> {
    let mut ends = Vec::new();
    for pattern in patterns {
        let hir = regex_syntax::parse(pattern).ok()?;
        let seq = Extractor::new().kind(ExtractKind::Suffix).extract(&hir);
        ends.extend(seq.literals()?.iter().map(|l| l.as_bytes().to_vec()));
    }
    if ends.iter().any(Vec::is_empty) {
        return None;
    }
    AhoCorasick::new(ends).ok()
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn match_ends_rule_out_only_texts_without_a_match() {
        let res = [
            Regex::new("第?一季度").unwrap(),
            Regex::new("([0-9]{1,2})-([0-9]{1,2})月").unwrap(),
        ];
        let ends = match_ends(res.iter().map(Regex::as_str)).unwrap();
        for text in [
            "前一季度增长",
            "1-9月",
            "第一季度",
            "全年增长5%",
            "9月",
            "季度",
        ] {
            assert!(
                ends.is_match(text) || !res.iter().any(|re| re.is_match(text)),
                "{text}"
            );
        }
        assert!(!ends.is_match("全年增长5%"));
        // A pattern that matches the empty text rules nothing out.
        assert!(match_ends(["a*"].into_iter()).is_none());
    }
}
