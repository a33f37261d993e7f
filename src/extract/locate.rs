//! Location: rows with code-point offsets in the original document, the
//! mention and its unit as written, and the sentence around it.

use std::sync::Arc;

use super::candidate::{Candidate, Side};
use super::Quantity;
use crate::meaning::status::Cues;
use crate::text::normalize::{squeeze, squeeze_into, Flat};
use crate::text::{floor_boundary, SENTENCE_SEARCH};

/// Longest `context` (docs/csv.md, Columns), in characters.
const CONTEXT_CHARS: usize = 160;

/// Maps flat spans of one piece back to its original text, moving forward.
pub(super) struct Locator<'a> {
    flat: &'a Flat,
    orig: &'a str,
    cursor: CharCursor<'a>,
    sentence: Sentence,
}

impl<'a> Locator<'a> {
    /// A locator for `orig`, whose first code point is `char_base` of its document.
    pub fn new(flat: &'a Flat, orig: &'a str, char_base: usize) -> Locator<'a> {
        Locator {
            flat,
            orig,
            cursor: CharCursor::new(orig, char_base),
            sentence: Sentence::default(),
        }
    }

    /// Code-point offsets of the flat span `start..end`, and its text as written.
    pub fn span(&mut self, start: usize, end: usize) -> (usize, usize, String) {
        let (os, oe) = self.flat.orig_range(self.orig, start, end);
        (
            self.cursor.at(os),
            self.cursor.at(oe),
            squeeze(&self.orig[os..oe]),
        )
    }

    /// The row of a kept candidate, before annotation; `ids` are the rules' ids.
    pub fn row(&mut self, c: Candidate, ids: &[Arc<str>]) -> Quantity {
        let (flat, orig) = (self.flat, self.orig);
        let (start, end, text) = self.span(c.start, c.end);
        let unit_raw: String = c
            .unit_raw
            .iter()
            .map(|&(s, e)| {
                let (os, oe) = flat.orig_range(orig, s, e);
                squeeze(&orig[os..oe])
            })
            .collect();
        Quantity {
            start,
            end,
            text,
            value: c.value,
            value_max: c.value_max,
            unit: c.unit,
            kind: c.kind,
            qualifier: c.qualifier.map(|(q, _)| q),
            unit_raw,
            rule: ids[c.rule].clone(),
            context: self
                .sentence
                .context(flat, orig, c.sentence, c.start, c.end),
            section: None,
            indicator: String::new(),
            indicator_id: None,
            change: None,
            status: None,
            refers_to: None,
            part_year: None,
            cell: None,
            cues: Cues {
                bound_before: matches!(c.qualifier, Some((_, Side::Before))),
                ..Cues::default()
            },
        }
    }
}

/// The sentence of the last row, squeezed, kept because neighbouring rows
/// usually share it: its text, and the byte offset of each character (and
/// of its end), so a row's context is one slice, not characters gathered.
#[derive(Default)]
struct Sentence {
    bounds: (usize, usize),
    text: String,
    at: Vec<usize>,
}

impl Sentence {
    /// The context of the mention at flat bytes `start..end` in `sentence`:
    /// the sentence from the original with layout removed, cut to 160
    /// characters around the mention.
    fn context(
        &mut self,
        flat: &Flat,
        orig: &str,
        sentence: (usize, usize),
        start: usize,
        end: usize,
    ) -> String {
        let text = flat.text.as_str();
        // A "sentence" without punctuation can be a whole table: look no further than this.
        let s = sentence
            .0
            .max(floor_boundary(text, start.saturating_sub(SENTENCE_SEARCH)));
        let e = sentence.1.min(floor_boundary(
            text,
            (end + SENTENCE_SEARCH).min(text.len()),
        ));
        if self.bounds != (s, e) || self.text.is_empty() {
            let (os, oe) = flat.orig_range(orig, s, e);
            self.bounds = (s, e);
            // The last sentence's room is reused.
            self.text.clear();
            squeeze_into(&mut self.text, &orig[os..oe]);
            self.at.clear();
            self.at.extend(self.text.char_indices().map(|(i, _)| i));
            self.at.push(self.text.len());
        }
        let chars = self.at.len() - 1;
        if chars <= CONTEXT_CHARS {
            return self.text.clone();
        }
        let pre = text[s..start].chars().filter(|&c| c != ' ').count();
        let len = text[start..end].chars().filter(|&c| c != ' ').count();
        let room = CONTEXT_CHARS.saturating_sub(len);
        let after = chars.saturating_sub(pre + len);
        let mut left = (room / 2).min(pre);
        left += (room - left).saturating_sub(after).min(pre - left);
        let from = pre - left;
        self.text[self.at[from]..self.at[(from + CONTEXT_CHARS).min(chars)]].to_string()
    }
}

/// Counts code points up to byte offsets that only move forward.
pub(super) struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    pub fn new(text: &'a str, base: usize) -> CharCursor<'a> {
        CharCursor {
            text,
            byte: 0,
            chars: base,
        }
    }

    pub fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            let back = self.text[byte..self.byte].chars().count();
            self.byte = byte;
            self.chars -= back;
        } else {
            self.chars += self.text[self.byte..byte].chars().count();
            self.byte = byte;
        }
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_counts_code_points() {
        let mut c = CharCursor::new("增长3%", 10);
        assert_eq!(c.at("增长".len()), 12);
        assert_eq!(c.at("增长3%".len()), 14);
        assert_eq!(c.at(0), 10);
    }
}
