//! The passage of a review a figure sits in: a report of 2026 reviews the
//! five years of its plan (`这五年，…`, `“十四五”时期是…`, `过去五年工作回顾`)
//! and, before or after, the year just ended (`刚刚过去的2025年，…`, `一年来`).
//! A figure of the five-year passage with no year of its own
//! (`城镇新增就业累计106万人`, `单位GDP能耗累计下降18%`) is about the
//! span, never the last year's result.

use super::{Frame, Period, StatusRules, ACTUAL};
use crate::text::floor_boundary;
use crate::text::normalize::is_layout;

/// How many characters of a paragraph's opening name what it is about.
const OPENING: usize = 24;

/// The longest line taken for a heading or a short line of its own, after
/// which the next line opens a paragraph even without a sentence end.
const SHORT_LINE: usize = 40;

impl StatusRules {
    /// What `opening` (a heading or a paragraph's first words, folded)
    /// turns a review to, whichever it names first: `Some(Some(span))` a
    /// span of years, `Some(None)` a single year (`刚刚过去的2025年`,
    /// `一年来`), `None` neither.
    pub fn opener(&self, opening: &str) -> Option<Option<Period>> {
        let span = self.span.as_ref().and_then(|re| re.find(opening));
        let year = self.year_passage.as_ref().and_then(|re| re.find(opening));
        match (span, year) {
            (Some(s), y) if y.is_none_or(|y| s.start() < y.start()) => {
                let p = self.span_in(s.as_str())?;
                Some((p.from != p.to).then_some(p))
            }
            (_, Some(_)) => Some(None),
            _ => None,
        }
    }
}

/// Where a review's passages stand as a text is read in order: the span of
/// years of the passage reached, if it is about one.
#[derive(Debug, Default)]
pub struct Passages {
    /// The byte offset read to.
    scanned: usize,
    /// The section (its heading's byte offset) the passage is in.
    section: Option<usize>,
    span: Option<Period>,
    /// Where a paragraph may open in the section, as its opening shows.
    opens: Opens,
}

/// Where a paragraph may open: after a line break; where a copy lost its
/// line ends, after each sentence's end, or after each run of wide spaces
/// when the copy kept its paragraphs' indents (`。　　刚刚过去的2015年`).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Opens {
    #[default]
    Lines,
    Sentences,
    Indents,
}

impl Passages {
    /// The span of years of the passage at byte `at` of `text` (offsets no
    /// earlier than asked before), under the heading `heading` that starts
    /// at byte `section` and opens `frame`; `fold` folds text as the rules
    /// see it. Only a review has passages; its heading names the first
    /// (`“十四五”时期和2025年工作回顾` opens on the span).
    pub fn at(
        &mut self,
        rules: &StatusRules,
        fold: impl Fn(&str) -> String,
        text: &str,
        (section, heading, frame): (usize, &str, &Frame),
        at: usize,
    ) -> Option<Period> {
        if frame.status != Some(ACTUAL) || frame.part.is_some() {
            return None;
        }
        if self.section != Some(section) {
            let probe = floor_boundary(text, (section + FLAT_PROBE).min(text.len()));
            let opening = &text[section..probe];
            let opens = match line_starts(opening).next() {
                Some(_) => Opens::Lines,
                None if WIDE_RUNS.iter().any(|w| opening.contains(w)) => Opens::Indents,
                None => Opens::Sentences,
            };
            *self = Passages {
                scanned: section,
                section: Some(section),
                span: rules.opener(&fold(heading)).flatten(),
                opens,
            };
        }
        let from = self.scanned.min(at);
        let starts: Box<dyn Iterator<Item = usize>> = match self.opens {
            Opens::Sentences => Box::new(sentence_starts(&text[from..at])),
            Opens::Indents => Box::new(indent_starts(&text[from..at])),
            Opens::Lines => Box::new(line_starts(&text[from..at])),
        };
        for line in starts.map(|i| from + i) {
            if self.opens != Opens::Lines || opens_paragraph(text, line) {
                // Layout spaces out, as the rules read text (`刚刚过去的 2016 年`).
                let opening: String = text[line..]
                    .trim_start()
                    .chars()
                    .take_while(|&c| c != '。' && c != '\n' && c != '\\')
                    .filter(|&c| !is_layout(c))
                    .take(OPENING)
                    .collect();
                if let Some(turn) = rules.opener(&fold(&opening)) {
                    self.span = turn;
                }
            }
        }
        self.scanned = self.scanned.max(at);
        self.span
    }
}

/// A line break: a real one, or the `\\n` written out that some copies
/// carry instead (`…良好开局。\\r\\n国民经济…`).
const BREAKS: [&str; 2] = ["\n", "\\n"];

/// The byte offsets in `text` where a line starts after a break (one of
/// [`BREAKS`]), in order: one pass for the bytes that begin them.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\\', bytes).filter_map(move |i| match bytes[i] {
        b'\n' => Some(i + 1),
        _ => (bytes.get(i + 1) == Some(&b'n')).then_some(i + 2),
    })
}

/// How far into a section a line break is looked for before its text is
/// read as a copy without line ends.
const FLAT_PROBE: usize = 4000;

/// Runs of wide spaces that stand for line breaks in some copies (上海 2023):
/// such a copy is not read a sentence at a time.
const WIDE_RUNS: [&str; 2] = ["\u{2003}\u{2003}", "\u{3000}\u{3000}"];

/// The byte offsets in `text` just after each run of wide spaces (one of
/// [`WIDE_RUNS`] or longer), in order: where a paragraph opens in a copy
/// without line ends that kept its indents.
fn indent_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let wide = |c: char| matches!(c, '\u{2003}' | '\u{3000}');
    let mut run = 0;
    text.char_indices().filter_map(move |(i, c)| {
        run = if wide(c) { run + 1 } else { 0 };
        let end = i + c.len_utf8();
        (run >= 2 && !text[end..].starts_with(wide)).then_some(end)
    })
}

/// The byte offsets in `text` just after each sentence's end, in order:
/// where a paragraph may open in a copy without line ends.
fn sentence_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .filter(|&(_, c)| matches!(c, '。' | '！' | '？'))
        .map(|(i, c)| i + c.len_utf8())
}

/// Whether the line starting at byte `line` opens a paragraph: the line
/// before ends a sentence or is short (a heading), so that a line broken
/// mid-sentence (PDF text) is read as the sentence it continues.
fn opens_paragraph(text: &str, line: usize) -> bool {
    let before = BREAKS
        .iter()
        .find_map(|b| text[..line].strip_suffix(b))
        .unwrap_or(&text[..line]);
    // A line longer than this is no heading whatever its start.
    let before = &before[floor_boundary(before, before.len().saturating_sub(4 * SHORT_LINE))..];
    let start = BREAKS
        .iter()
        .filter_map(|b| before.rfind(b).map(|i| i + b.len()))
        .max()
        .unwrap_or(0);
    // (`决心。 \\r\\n`: a space before the written-out break too)
    let prev = before[start..]
        .trim_end()
        .trim_end_matches("\\r")
        .trim_end();
    prev.chars().count() <= SHORT_LINE
        || prev.ends_with(['。', '！', '？', '!', '?', '；', ';', '：', ':', '”'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_follow_every_break_in_order() {
        for text in [
            "",
            "a\nb",
            "开局。\\r\\n国民\n经济\\n",
            "\\\\n\n\\",
            "\\",
            "\n\n",
        ] {
            let mut each: Vec<usize> = BREAKS
                .iter()
                .flat_map(|b| text.match_indices(b).map(|(i, _)| i + b.len()))
                .collect();
            each.sort_unstable();
            assert_eq!(line_starts(text).collect::<Vec<_>>(), each, "{text:?}");
        }
    }
}
