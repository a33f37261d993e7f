//! Text below the rules: how Chinese reports write things, and plain
//! string helpers. [`normalize`] folds characters and undoes layout with
//! offsets kept, [`numeral`] reads numbers (Arabic, Chinese, mixed) as exact
//! decimals, [`units`] is the table units are normalized by. The helpers
//! here find character boundaries and sentence ends. Knows nothing of rules
//! or rows, so every stage may use it.

pub mod normalize;
pub mod numeral;
pub mod units;

/// How far (in bytes) to look for a sentence's end before giving up and cutting.
pub(crate) const SENTENCE_SEARCH: usize = 1200;

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
