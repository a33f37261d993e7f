//! The section-heading pattern, searched only where a heading can begin.
//! Its matches start at a line's start, a written `\r\n` or a run of wide
//! spaces: anchored searches at those places cost a few instructions a
//! byte of report where one search over every byte cost some fifteen. The
//! places are read off the pattern's leading alternation, so a rule file
//! that changes it changes them too; a pattern whose start cannot be read
//! so is searched over every byte as before.

use regex::Regex;
use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Hir, HirKind, Look};

/// The heading pattern and where its matches can begin.
#[derive(Debug)]
pub(crate) struct Headings {
    /// The pattern, for its unanchored search when its starts are unknown.
    re: Regex,
    /// The same pattern, searched anchored at each place a match can begin.
    anchored: meta::Regex,
    /// Where a match can begin, when the pattern says.
    starts: Option<Starts>,
}

/// The places a match can begin: a superset, each tried in turn.
#[derive(Debug)]
struct Starts {
    /// At the text's start.
    start: bool,
    /// Just after either of these bytes (`\n` for `(?m)^`, and `\r` in
    /// CRLF mode).
    after: Option<(u8, u8)>,
    /// Where a match of the pattern's other leading branches begins
    /// (`\\r\\n`, `[\x{2003}\x{3000}]{2}`).
    other: Option<Regex>,
}

impl Headings {
    /// `re` with the places its matches can begin read from its pattern.
    pub(crate) fn new(re: Regex) -> Result<Headings, String> {
        let anchored = meta::Regex::new(re.as_str()).map_err(|e| e.to_string())?;
        let starts = regex_syntax::parse(re.as_str())
            .ok()
            .and_then(|hir| Starts::of(&hir));
        Ok(Headings {
            re,
            anchored,
            starts,
        })
    }

    /// Each match's group `h`, as `captures_iter` finds them.
    pub(crate) fn find(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let Some(starts) = &self.starts else {
            let c = self.re.captures_iter(text);
            return c.filter_map(|c| Some(c.name("h")?.range())).collect();
        };
        let mut caps = self.anchored.create_captures();
        let mut found = Vec::new();
        // Where the last match ended: the next begins there or later, as
        // in an unanchored search's matches one after another.
        let mut after = 0;
        for at in starts.places(text) {
            if at < after {
                continue;
            }
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            self.anchored.search_captures(&input, &mut caps);
            if let Some(m) = caps.get_match() {
                after = m.end();
                found.extend(group(&caps, "h"));
            }
        }
        found
    }
}

/// Group `name` of a match.
fn group(caps: &Captures, name: &str) -> Option<std::ops::Range<usize>> {
    caps.get_group_by_name(name).map(|s| s.range())
}

impl Starts {
    /// The places where a match of `hir` can begin, when its first part
    /// (or each branch of it) is a line's start or a pattern that matches
    /// no empty text; `None` otherwise.
    fn of(hir: &Hir) -> Option<Starts> {
        if hir.properties().minimum_len()? == 0 {
            return None;
        }
        let first = first(hir)?;
        let branches = match first.kind() {
            HirKind::Alternation(branches) => branches.as_slice(),
            _ => std::slice::from_ref(first),
        };
        let mut starts = Starts {
            start: false,
            after: None,
            other: None,
        };
        let mut other = Vec::new();
        for b in branches {
            match b.kind() {
                HirKind::Look(Look::Start) => starts.start = true,
                HirKind::Look(Look::StartLF) => {
                    starts.start = true;
                    starts.after.get_or_insert((b'\n', b'\n'));
                }
                HirKind::Look(Look::StartCRLF) => {
                    starts.start = true;
                    starts.after = Some((b'\n', b'\r'));
                }
                _ if b.properties().minimum_len().is_some_and(|n| n > 0) => other.push(b.clone()),
                _ => return None,
            }
        }
        if !other.is_empty() {
            starts.other = Some(Regex::new(&Hir::alternation(other).to_string()).ok()?);
        }
        Some(starts)
    }

    /// The places in `text`, in order, each once.
    fn places<'t>(&'t self, text: &'t str) -> impl Iterator<Item = usize> + 't {
        let after = self.after.into_iter();
        let lines =
            after.flat_map(|(a, b)| memchr::memchr2_iter(a, b, text.as_bytes()).map(|i| i + 1));
        let lines = self.start.then_some(0).into_iter().chain(lines);
        // Every place a match of the other branches begins: the next search
        // starts just after the last one's start, not at its end.
        let mut from = 0;
        let other = std::iter::from_fn(move || {
            let m = self.other.as_ref()?.find_at(text, from)?;
            from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            Some(m.start())
        });
        merge(lines, other)
    }
}

/// The first part of a pattern that matches something or looks at where
/// it is, through groups and concatenations.
fn first(hir: &Hir) -> Option<&Hir> {
    match hir.kind() {
        HirKind::Capture(c) => first(&c.sub),
        HirKind::Concat(parts) => parts.first().and_then(first),
        _ => Some(hir),
    }
}

/// Two ascending sequences as one, each value once.
fn merge(
    a: impl Iterator<Item = usize>,
    b: impl Iterator<Item = usize>,
) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || {
        let next = match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) => x,
            (None, Some(&y)) => y,
            (None, None) => return None,
        };
        a.next_if_eq(&next);
        b.next_if_eq(&next);
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchored search finds what one search over every byte finds.
    #[test]
    fn anchored_at_its_starts_as_searched_everywhere() {
        let rs = crate::RuleSet::default_rules().unwrap();
        let h = rs.meta.heading.as_ref().unwrap();
        assert!(h.starts.is_some(), "the embedded pattern's starts are read");
        let texts = [
            "各位代表：\n一、2020年工作回顾\n过去一年，增长3%。\n  二、2021年重点工作：坚持稳中求进\n（一）加快发展。",
            "各位代表： \u{2003}\u{2003}一、2020年工作回顾 \u{2003}\u{2003}过去一年。\u{3000}\u{3000}\u{3000}二、2021年主要任务 \u{2003}\u{3000}",
            "报告\\r\\n一、过去五年工作回顾\\r\\n\\r\\n二、2024年工作安排\\r\\n今年要增长5%。",
            "\n\n\n三、今年重点工作\r\n四、2023年统计公报\n",
        ];
        for text in texts {
            let everywhere: Vec<_> =
                h.re.captures_iter(text)
                    .filter_map(|c| Some(c.name("h")?.range()))
                    .collect();
            assert!(!everywhere.is_empty(), "{text}");
            assert_eq!(h.find(text), everywhere, "{text}");
        }
        // A pattern whose start is not read so is searched everywhere.
        for p in [r"(?P<h>x?)", r"\b(?P<h>一、)"] {
            let h = Headings::new(Regex::new(p).unwrap()).unwrap();
            assert!(h.starts.is_none(), "{p}");
        }
        let h = Headings::new(Regex::new(r"(?m)(?:^|ab)(?P<h>c)").unwrap()).unwrap();
        assert!(h.starts.is_some());
        assert_eq!(h.find("c abc\ncababc"), [0..1, 4..5, 6..7, 11..12]);
    }
}
