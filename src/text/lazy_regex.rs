//! A pattern compiled on first use: most of a rule file's patterns are
//! needed only by texts that call for them, and compiling them all at
//! every start would cost a short run most of its time.

use std::sync::OnceLock;

use regex::Regex;

/// How a [`LazyRegex`] compiles its pattern.
pub(crate) type Build = fn(&str) -> Result<Regex, regex::Error>;

/// A pattern and the regex compiled from it when first searched with. A
/// rule's or an exclusion's expanded pattern: the combined set and the
/// exclusion automata do the scanning, and a rule's own regex is needed only
/// where the set finds the rule. The embedded file's `[indicators]`,
/// `[status]` and `[tables]` patterns too: a short report reads few of them.
#[derive(Debug)]
pub(crate) struct LazyRegex {
    pattern: String,
    build: Build,
    regex: OnceLock<Regex>,
}

impl LazyRegex {
    /// `pattern`, compiled on first use by `build`, which must not fail
    /// then: the pattern was checked when its file was loaded or, for the
    /// embedded file, by its tests.
    pub(crate) fn new(pattern: String, build: Build) -> LazyRegex {
        LazyRegex {
            pattern,
            build,
            regex: OnceLock::new(),
        }
    }

    /// A regex compiled already.
    pub(crate) fn compiled(regex: Regex) -> LazyRegex {
        LazyRegex {
            pattern: regex.as_str().to_string(),
            build: Regex::new,
            regex: OnceLock::from(regex),
        }
    }

    /// The compiled regex.
    pub(crate) fn get(&self) -> &Regex {
        self.regex
            .get_or_init(|| (self.build)(&self.pattern).expect("a rule set's patterns compile"))
    }

    /// The pattern, without compiling it.
    pub(crate) fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// Whether an optional pattern (a rule file's table may leave one out)
/// matches in `text`.
pub(crate) fn hit(re: &Option<LazyRegex>, text: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(text))
}

/// Searching with it compiles it.
impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.get()
    }
}
