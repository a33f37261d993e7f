//! A piece of text read once for the annotation: folded with and without
//! its layout, its line breaks listed, and its code points mapped to bytes
//! for rows in order, so that the lines and paragraphs the annotation reads
//! are slices, not foldings or searches anew each.

use crate::text::normalize::is_layout;
#[cfg(doc)]
use crate::text::normalize::{Flat, Fold};

/// Byte offsets of code points in a piece, for rows in order.
pub(super) struct ByteCursor<'a> {
    text: &'a str,
    /// The code point and byte offset reached.
    at: (usize, usize),
}

impl<'a> ByteCursor<'a> {
    pub(super) fn new(text: &'a str, base: usize) -> ByteCursor<'a> {
        ByteCursor {
            text,
            at: (base, 0),
        }
    }

    /// The byte offset of code point `cp` (at or after the last asked for).
    /// Each character is stepped over by the length its first byte gives,
    /// not decoded.
    pub(super) fn at(&mut self, cp: usize) -> usize {
        while self.at.0 < cp {
            match self.text.as_bytes().get(self.at.1) {
                Some(&b) => {
                    let len = match b {
                        0..=0x7F => 1,
                        0x80..=0xDF => 2,
                        0xE0..=0xEF => 3,
                        _ => 4,
                    };
                    self.at = (self.at.0 + 1, self.at.1 + len);
                }
                None => return self.text.len(),
            }
        }
        self.at.1
    }
}

/// A piece read once for the annotation: folded (the characters
/// [`Fold::touched`] gave [`Flat::new`]), with and without its layout, and
/// its line breaks. The lines
/// and paragraphs the annotation reads are sliced from it, not folded anew
/// each (every line of a text is read for a review's opening).
pub(super) struct Folded {
    /// The piece folded, layout kept: its lines as the rules read them.
    text: String,
    /// The same without layout ([`is_layout`]): a paragraph as
    /// [`Paragraph::read`] reads it.
    kept: String,
    /// (piece byte, `text` byte, `kept` byte) after each character where the
    /// distance between them changes (one of layout, or that folds to
    /// another length); in between, bytes correspond one to one.
    anchors: Vec<(usize, usize, usize)>,
    /// The byte offsets of the line breaks (`\n`), in order.
    breaks: Vec<usize>,
    /// The byte offsets of the line breaks written out (`\\n`, as some
    /// copies carry them), in order.
    written: Vec<usize>,
}

impl Folded {
    /// `touched`: the piece's [`Fold::touched`], found once for it
    /// ([`Flat::touched`]).
    pub(super) fn new(piece: &str, touched: &[(usize, char, char)]) -> Folded {
        let mut out = Folded {
            text: String::with_capacity(piece.len()),
            kept: String::with_capacity(piece.len()),
            anchors: vec![(0, 0, 0)],
            breaks: Vec::new(),
            written: memchr::memmem::find_iter(piece.as_bytes(), b"\\n").collect(),
        };
        // The characters that stay as they are, copied in runs: `piece[run..i]`.
        let mut run = 0;
        for &(i, c, f) in touched {
            let layout = is_layout(c);
            if c == '\n' {
                out.breaks.push(i);
            }
            if f == c && !layout {
                continue;
            }
            out.text.push_str(&piece[run..i]);
            out.kept.push_str(&piece[run..i]);
            out.text.push(f);
            if !layout {
                out.kept.push(f);
            }
            run = i + c.len_utf8();
            if layout || f.len_utf8() != c.len_utf8() {
                out.anchors.push((run, out.text.len(), out.kept.len()));
            }
        }
        out.text.push_str(&piece[run..]);
        out.kept.push_str(&piece[run..]);
        out
    }

    /// Where piece byte `at` (a character boundary) falls in `text` and in `kept`.
    pub(super) fn at(&self, at: usize) -> (usize, usize) {
        let (p, t, k) = self.anchors[self.anchors.partition_point(|a| a.0 <= at) - 1];
        (t + (at - p), k + (at - p))
    }

    /// `fold.str(&piece[from..to])`.
    pub(super) fn folded(&self, from: usize, to: usize) -> &str {
        &self.text[self.at(from).0..self.at(to).0]
    }

    /// The piece's bytes `from..to` folded, without layout.
    pub(super) fn kept(&self, from: usize, to: usize) -> &str {
        &self.kept[self.at(from).1..self.at(to).1]
    }

    /// The lines of the piece, each with its break, as
    /// `split_inclusive('\n')` cuts them, from the breaks listed.
    pub(super) fn lines<'t>(&'t self, piece: &'t str) -> impl Iterator<Item = &'t str> + 't {
        let ends = self.breaks.iter().map(|&b| b + 1);
        let mut from = 0;
        ends.chain([piece.len()]).filter_map(move |end| {
            let line = &piece[from..end];
            from = end;
            (!line.is_empty()).then_some(line)
        })
    }

    /// Where the line that ends at byte `end` starts: after the last line
    /// break before it, or after a break written out since (which counts
    /// only there); `None` in a text with no line break before it.
    pub(super) fn line_start(&self, end: usize) -> Option<usize> {
        let line = self.breaks[..self.breaks.partition_point(|&b| b < end)]
            .last()
            .map(|&b| b + 1);
        let from = line.unwrap_or(0);
        self.written[..self.written.partition_point(|&w| w + 2 <= end)]
            .last()
            .filter(|&&w| w >= from)
            .map(|&w| w + 2)
            .or(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::Fold;

    /// Every slice of the piece read once is what folding that stretch
    /// gives, with and without layout; its lines are `split_inclusive`'s;
    /// a line's start is the one the text
    /// searched back from the line's end gives; a row's byte offset is its
    /// character's.
    #[test]
    fn read_once() {
        let fold = Fold::new([('過', '过')]);
        let text = "一年来，\n　　過去（ＧＤＰ）增长 6%\\r\\n总体要求是：\n\n末 é";
        let touched: Vec<_> = fold.touched(text, &fold.year_digits(text)).collect();
        let piece = Folded::new(text, &touched);
        let lines: Vec<&str> = piece.lines(text).collect();
        assert_eq!(lines, text.split_inclusive('\n').collect::<Vec<_>>());
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for (n, &a) in cuts.iter().enumerate() {
            for &b in &cuts[n..] {
                assert_eq!(piece.folded(a, b), fold.str(&text[a..b]));
                let kept: String = text[a..b]
                    .chars()
                    .filter(|&c| !is_layout(c))
                    .map(|c| fold.char(c))
                    .collect();
                assert_eq!(piece.kept(a, b), kept);
            }
            let line = text[..a].rfind('\n').map(|i| i + 1);
            let from = line.unwrap_or(0);
            let searched = text[from..a].rfind("\\n").map(|i| from + i + 2).or(line);
            assert_eq!(piece.line_start(a), searched, "{a}");
            assert_eq!(ByteCursor::new(text, 7).at(7 + n), a);
        }
    }
}
