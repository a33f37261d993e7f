//! Hard-wrapped text (a PDF's, lines cut at the page width) read as the
//! paragraphs it wraps: a line break after a full line that ends no
//! sentence becomes a space, one byte for one, so that offsets hold and a
//! heading or a year cut over two lines (`一、20⏎23年工作回顾`), a full line
//! read as a short one and a number cut in two read as in the clean text.
//! A text whose lines are not mostly of one length (a paragraph a line) is
//! left as it is.

use std::borrow::Cow;

/// Lines shorter than this (in characters) are not weighed: blank lines,
/// headings, table cells.
const WEIGHED: usize = 10;

/// How many weighed lines must be full, and what share of them, for a text
/// to be read as hard-wrapped.
const FULL_LINES: usize = 8;
const FULL_SHARE: f64 = 0.4;

/// The two ways a page's width is counted: in characters (text cut every
/// N characters) or in columns, a wide character two (a PDF's lines, where
/// a line with Arabic digits holds more characters). Each with how far
/// short of the widest a full line may fall (a PDF justifies, and a line
/// break may fall before a wide character that no longer fits), and the
/// narrowest width read as a page's.
const MEASURES: [(Measure, usize, usize); 2] =
    [(|(chars, _)| chars, 0, 20), (|(_, cols)| cols, 8, 40)];

/// How long a line is, one way or the other, from its [`lengths`].
type Measure = fn((usize, usize)) -> usize;

/// A line's length in characters and in columns (a wide character, CJK or
/// a full-width form, U+2E80 and up, two), both counted from its bytes
/// without decoding it: every text is weighed, and most are not wrapped.
/// A wide character starts at a lead byte from 0xE3 (U+3000 on), or at
/// 0xE2 before 0xBA and up (U+2E80 to U+2FFF).
fn lengths(line: &str) -> (usize, usize) {
    let b = line.as_bytes();
    let chars = line.chars().count();
    let wide = b.iter().filter(|&&x| x >= 0xE3).count()
        + memchr::memchr_iter(0xE2, b)
            .filter(|&i| b.get(i + 1).is_some_and(|&y| y >= 0xBA))
            .count();
    (chars, chars + wide)
}

/// `text` with the line breaks inside its wrapped paragraphs as spaces
/// (`\r\n` as two), or as it is when it is not hard-wrapped.
pub fn unwrapped(text: &str) -> Cow<'_, str> {
    let Some((measure, full)) = page_width(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = text.as_bytes().to_vec();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let line = &text[start..end];
        let next = &text[end + 1..];
        start = end + 1;
        let content = line.trim_end();
        let ends_sentence = content.ends_with(['。', '！', '？', '!', '?']);
        // The next line opens a paragraph when it is blank or indented.
        let opens = next.chars().next().is_none_or(char::is_whitespace);
        if measure(lengths(content)) >= full && !ends_sentence && !opens {
            let cr = usize::from(line.ends_with('\r'));
            // What the break cuts in two is put together before the
            // spaces: a number (`23⏎267元`), a written-out `\r\n`.
            let rest = continued(line, next);
            let at = end - cr;
            out[at..at + rest].copy_from_slice(&next.as_bytes()[..rest]);
            out[at + rest..=end + rest].fill(b' ');
        }
    }
    // Whole characters were moved, and ASCII bytes replaced with spaces.
    Cow::Owned(String::from_utf8(out).expect("UTF-8 kept"))
}

/// How many bytes of `next` continue what `line` ends with, cut by a
/// wrap: the rest of a number, or of a `\r\n` written out.
fn continued(line: &str, next: &str) -> usize {
    if line.ends_with('\r') {
        return 0;
    }
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '０'..='９' | '．');
    let (before, after) = (line.chars().next_back(), next.chars().next());
    if before.is_some_and(numeric) && after.is_some_and(numeric) {
        return next.find(|c| !numeric(c)).unwrap_or(next.len());
    }
    let written = "\\r\\n";
    (1..written.len())
        .find(|&k| line.ends_with(&written[..k]) && next.starts_with(&written[k..]))
        .map_or(0, |k| written.len() - k)
}

/// How `text`'s lines are measured and the least a full line measures,
/// when most of its longer lines are about one length; `None` otherwise.
fn page_width(text: &str) -> Option<(Measure, usize)> {
    let lines: Vec<(usize, usize)> = text
        .split('\n')
        .map(|l| lengths(l.trim_end()))
        .filter(|&(chars, _)| chars >= WEIGHED)
        .collect();
    let mut best: Option<(usize, Measure, usize)> = None;
    for (measure, slack, narrowest) in MEASURES {
        let mut widths: Vec<usize> = lines.iter().map(|&l| measure(l)).collect();
        widths.sort_unstable();
        // The band of `slack` below a width that holds the most lines.
        let mut lo = 0;
        for (hi, &w) in widths.iter().enumerate() {
            while widths[lo] + slack < w {
                lo += 1;
            }
            let n = hi + 1 - lo;
            if w >= narrowest && best.is_none_or(|(b, _, _)| n > b) {
                best = Some((n, measure, w - slack));
            }
        }
    }
    let (n, measure, full) = best?;
    let wrapped = n >= FULL_LINES && n as f64 >= FULL_SHARE * lines.len() as f64;
    wrapped.then_some((measure, full))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line cut into lines of `n` characters.
    fn wrap(text: &str, n: usize) -> String {
        let lines = text.split('\n').map(|line| {
            let chars: Vec<char> = line.chars().collect();
            let pieces: Vec<String> = chars.chunks(n).map(|c| c.iter().collect()).collect();
            pieces.join("\n")
        });
        lines.collect::<Vec<_>>().join("\n")
    }

    /// `lengths` counts what decoding the line would.
    #[test]
    fn lengths_from_bytes_are_those_of_the_characters() {
        for l in [
            "",
            "abc 12.5%",
            "增长１２．５％",
            "\u{2e7f}\u{2e80}\u{2fff}⺀〇𠀀é",
            "一、2023年工作回顾\r",
        ] {
            let wide = l.chars().filter(|&c| c >= '\u{2e80}').count();
            let chars = l.chars().count();
            assert_eq!(lengths(l), (chars, chars + wide), "{l}");
        }
    }

    #[test]
    fn wrapped_lines_read_as_their_paragraphs() {
        let para = "全年地区生产总值达到23267亿元，增长7.2%，固定资产投资增长18.4%，规模以上工业增加值增长9.9%；社会消费品零售总额增长8.7%，城镇、农村居民人均可支配收入分别增长6%、7.7%。";
        let text = format!(
            "一、2023年工作回顾\n{}\n二、2024年工作安排\n{para}\\r\\n三、加快发展\n",
            para.repeat(5)
        );
        // A paragraph a line is left as it is.
        assert!(matches!(unwrapped(&text), Cow::Borrowed(_)));
        for n in [37, 29, 41] {
            let wrapped = wrap(&text, n);
            let joined = unwrapped(&wrapped);
            assert_eq!(joined.chars().count(), wrapped.chars().count(), "{n}");
            // Each line break left ends a sentence or a heading.
            let lines: Vec<&str> = joined.lines().collect();
            for l in &lines[..lines.len() - 1] {
                assert!(l.trim_end().ends_with('。') || l.contains('、'), "{n}: {l}");
            }
            assert!(lines.iter().any(|l| l.trim_end() == "二、2024年工作安排"));
            let squeezed = super::super::normalize::squeeze(&joined);
            assert_eq!(squeezed, super::super::normalize::squeeze(&text), "{n}");
        }
    }
}
