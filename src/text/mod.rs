//! Text below the rules: how Chinese reports write things, and plain
//! string helpers. [`normalize`] folds characters and undoes layout with
//! offsets kept, [`numeral`] reads numbers (Arabic, Chinese, mixed) as exact
//! decimals, [`units`] is the table units are normalized by. The helpers
//! here find character boundaries and sentence ends. Knows nothing of rules
//! or rows, so every stage may use it.

pub(crate) mod lazy_regex;
pub mod normalize;
pub mod numeral;
pub mod units;
pub mod wrap;

/// How far (in bytes) to look for a sentence's end before giving up and cutting.
pub(crate) const SENTENCE_SEARCH: usize = 1200;

/// What a paragraph break inside a table cell of a Word or HTML file
/// becomes: U+2028 LINE SEPARATOR, layout whitespace like the space it
/// stands for, so that the table reader can tell a cell's paragraphs apart
/// (a cell of stacked rows) and the text is as long as with a space.
pub const CELL_BREAK: char = '\u{2028}';

/// The largest character boundary of `s` at or before byte `i`.
pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset of the character after the one at `i`.
pub(crate) fn next_boundary(s: &str, i: usize) -> usize {
    s[i..]
        .chars()
        .next()
        .map_or(s.len() + 1, |c| i + c.len_utf8())
}

/// Byte offsets just past each sentence end (。！？；) and the end of text.
/// An ASCII `?`, `!` or `;` followed by more ASCII is not an end: it is
/// inside a URL or code.
pub(crate) fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices(['。', '!', '?', ';'])
        .map(|(i, d)| i + d.len())
        .filter(|&e| ends_sentence(text, e))
        .chain(std::iter::once(text.len()))
}

fn ends_sentence(text: &str, after: usize) -> bool {
    let prev = text.as_bytes()[after - 1];
    prev >= 0x80 || !text.as_bytes().get(after).is_some_and(u8::is_ascii_graphic)
}

/// Where the sentence that holds byte `at` begins when only `。!?`
/// end sentences (a `；` list of targets is one sentence), looking back at
/// most [`SENTENCE_SEARCH`] bytes. `known` is the answer for an earlier
/// offset (`(0, 0)` holds for any text): when it lies in reach, only the
/// text since it is read, so the figures of a long sentence do not each
/// re-read it.
pub(crate) fn full_sentence_start(text: &str, at: usize, known: (usize, usize)) -> usize {
    let from = floor_boundary(text, at.saturating_sub(SENTENCE_SEARCH));
    let (since, start) = match known {
        (before, start) if from <= before && before <= at => (before, start.max(from)),
        _ => (from, from),
    };
    text[since..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '。' | '!' | '?' | '！' | '？'))
        .map_or(start, |(i, c)| since + i + c.len_utf8())
}

/// Where to end a piece of about `size` bytes, so that no quantity is cut:
/// after the last `。` before it, else the last line break clear of
/// numerals, else the last `，；、：`, else the last whitespace clear of
/// numerals, else the last character clear of them, and only when there is
/// none of these (a megabyte of digits) at a character boundary.
pub fn cut_point(text: &str, size: usize) -> usize {
    if text.len() <= size {
        return text.len();
    }
    let mut end = size.max(1);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let window = &text[..end];
    let clear = |i: usize| clear_of_numerals(text, i);
    let last = |pred: &dyn Fn(char, usize) -> bool| {
        window
            .char_indices()
            .rev()
            .map(|(i, c)| (i + c.len_utf8(), c))
            .find(|&(after, c)| pred(c, after))
            .map(|(after, _)| after)
    };
    window
        .rfind('。')
        .map(|i| i + '。'.len_utf8())
        .or_else(|| last(&|c, i| c == '\n' && clear(i)))
        .or_else(|| last(&|c, _| matches!(c, '，' | '；' | '、' | '：')))
        .or_else(|| last(&|c, i| c.is_whitespace() && clear(i)))
        .or_else(|| last(&|_, i| clear(i)))
        .filter(|&i| i > 0)
        .unwrap_or(end)
}

/// Whether no digit, Chinese numeral, decimal point or percent sign is
/// among the 8 characters either side of byte `at`: a cut there splits no
/// number from its unit (`473.94\n万人` is one quantity).
fn clear_of_numerals(text: &str, at: usize) -> bool {
    const NEAR: usize = 8;
    let numeral =
        |c: char| c.is_numeric() || "零〇一二两三四五六七八九十百千万亿.．%％".contains(c);
    !text[..at].chars().rev().take(NEAR).any(numeral) && !text[at..].chars().take(NEAR).any(numeral)
}

/// Bytes (a digest) as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How far (in bytes) to look back for a paragraph's start.
pub(crate) const PARAGRAPH_SEARCH: usize = 2400;

/// The bytes a break can start with: ASCII whitespace and `\` (of a
/// written `\r\n`), and the lead bytes of non-ASCII whitespace (U+0085,
/// U+00A0, U+1680, U+2000–U+205F, U+3000), which alone are decoded. One
/// look-up a byte instead of a few comparisons: most bytes are of CJK.
static BREAK_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b'\t'..=b'\r' | b' ' | b'\\' | 0xC2 | 0xE1..=0xE3);
        b += 1;
    }
    t
};

/// The places in a text where a paragraph may begin (whitespace and `\`),
/// found as rows in order ask, each byte looked at once, so that finding
/// each row's paragraph does not scan back over the paragraph again.
#[derive(Default)]
pub(crate) struct Breaks {
    found: Vec<usize>,
    /// How far the text has been looked through.
    scanned: usize,
}

impl Breaks {
    /// Finds the breaks in `from..at` not yet looked for.
    fn scan(&mut self, text: &str, from: usize, at: usize) {
        let bytes = text.as_bytes();
        for i in self.scanned.max(from)..at {
            let b = bytes[i];
            let found = BREAK_BYTES[usize::from(b)]
                && (b < 0x80 || text[i..].chars().next().is_some_and(char::is_whitespace));
            if found {
                self.found.push(i);
            }
        }
        self.scanned = self.scanned.max(at);
    }

    /// Where the paragraph that holds byte `at` of `text` begins (`at` no
    /// earlier than asked before, in the same text), looking back at most
    /// [`PARAGRAPH_SEARCH`] bytes: just after layout whitespace (a line break, the characters
    /// `\r\n` that some copies carry, or the spaces that stand for line
    /// breaks in copies that lost them) that follows the end of a sentence,
    /// or any blank or indented line (`\n　　`, after a heading too). A line
    /// broken mid-sentence, as PDF text is, does not end its paragraph, nor
    /// does a `；` list set out one item a line.
    pub fn paragraph_start(&mut self, text: &str, at: usize) -> usize {
        let from = floor_boundary(text, at.saturating_sub(PARAGRAPH_SEARCH));
        self.scan(text, from, at);
        let window = &text[from..at];
        let lo = self.found.partition_point(|&b| b < from);
        let hi = self.found.partition_point(|&b| b < at);
        for i in self.found[lo..hi].iter().rev().map(|&b| b - from) {
            let brk = &window[i..];
            if !brk.starts_with('\\') || brk.starts_with("\\r\\n") {
                let prev = window[..i]
                    .trim_end_matches(char::is_whitespace)
                    .trim_end_matches("\\r\\n")
                    .chars()
                    .next_back();
                // A blank line or an indented line (`\n　　`) starts a paragraph
                // after anything, a heading too; a single line break (as PDF
                // text has inside sentences) only after a sentence's end.
                let run_start = window[..i].trim_end_matches(char::is_whitespace).len();
                let run = &window[run_start..i + brk.chars().next().map_or(1, char::len_utf8)];
                let blank = run.matches('\n').count() >= 2 || run.contains("\n\u{3000}");
                if blank || prev.is_none_or(|c| "。！？!?".contains(c)) {
                    return from + i;
                }
            }
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_points() {
        assert_eq!(cut_point("没有句号的一长段文字", 4), "没有".len());
        // Never inside a number or between it and its unit.
        let text = format!("{}完成投资99.7亿元", "甲".repeat(10));
        let cut = cut_point(&text, "甲".len() * 10 + 4);
        assert!(cut > 0 && text[..cut].chars().all(|c| c == '甲'));
        let text = format!("{}\n城镇新增就业473.94\n万人\n", "乙".repeat(10));
        let cut = cut_point(&text, text.find("万人").unwrap());
        assert!(cut > 0 && text[cut..].contains("473.94\n万人"));
        let text = "，完成投资99.7亿元".repeat(100);
        let cut = cut_point(&text, 500);
        assert!(text[..cut].ends_with('，') && text[cut..].starts_with("完成"));
    }
}
