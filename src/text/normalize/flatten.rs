//! The walks of a piece: only the characters that folding or layout
//! touches are looked at ([`Fold::touched`]); the runs between are copied
//! whole ([`Flat::new`]'s walk, and the annotation's).

use super::{anchor_at, is_layout, Fold};

#[cfg(doc)]
use super::Flat;

impl Fold {
    /// What [`Fold::each`] gives for the characters of `s` that are layout
    /// or fold to another, `years` being `s`'s [`Fold::year_digits`]: the
    /// characters between fold to themselves. One bit test a character:
    /// the walks of a piece cost half as much as through `each`.
    pub fn touched<'s>(
        &'s self,
        s: &'s str,
        years: &'s [(usize, char)],
    ) -> impl Iterator<Item = (usize, char, char)> + 's {
        let mut next = years.iter().peekable();
        s.char_indices().filter_map(move |(i, c)| {
            if let Some(&(_, d)) = next.next_if(|&&(at, _)| at == i) {
                return Some((i, c, d));
            }
            let u = c as usize;
            let touched = self
                .touches
                .get(u / 64)
                .is_some_and(|bits| bits & (1 << (u % 64)) != 0);
            touched.then(|| (i, c, self.char(c)))
        })
    }
}

/// [`Flat::new`] under way.
pub(super) struct Flattening {
    pub(super) text: String,
    pub(super) anchors: Vec<(u32, u32)>,
    /// Start of the layout run just skipped, and whether it held a line break.
    gap: Option<(usize, bool)>,
    /// Where in `text` the digits a gap looks back at begin: after the
    /// last gap, so `text[since..]`'s last digits are those since then.
    since: usize,
    /// Characters kept as they are, not yet copied: `orig[run..]` up to the
    /// next one touched. Copied in one go, and anchored once, at their start.
    run: usize,
    pub(super) traditional: bool,
}

impl Flattening {
    /// `orig` folded without its layout (`touched`: its [`Fold::touched`]).
    pub(super) fn new(orig: &str, fold: &Fold, touched: &[(usize, char, char)]) -> Flattening {
        let mut out = Flattening {
            text: String::with_capacity(orig.len()),
            anchors: vec![(0u32, 0u32)],
            gap: None,
            since: 0,
            run: 0,
            traditional: false,
        };
        // Only the characters folding or layout touches are looked at; those
        // between are copied in runs. `next`: the first one not looked at.
        let mut next = 0;
        let end = std::iter::once((orig.len(), '\0', '\0'));
        for (i, c, f) in touched.iter().copied().chain(end) {
            if next < i {
                out.untouched(orig, fold, (next, i));
            }
            if i < orig.len() {
                out.touched(orig, fold, (i, c, f));
            }
            next = i + c.len_utf8();
        }
        out.text.push_str(&orig[out.run..]);
        out
    }

    /// The character at byte `i`, one that folding and layout leave as it
    /// is, first of a run of such.
    fn untouched(&mut self, orig: &str, fold: &Fold, (i, until): (usize, usize)) {
        if self.gap.is_some() {
            let c = orig[i..].chars().next().expect("a character");
            self.text.push_str(&orig[self.run..i]);
            self.run = i + c.len_utf8();
            self.after_gap(orig, fold, (i, c, c));
            // The run that follows (up to `until`, the next character
            // touched) starts here.
            if self.run < until {
                anchor_at(&mut self.anchors, self.text.len(), self.run);
            }
        } else if self.run == i {
            anchor_at(&mut self.anchors, self.text.len(), i);
        }
    }

    /// Character `c` at byte `i`, folded `f`: layout, or folding to another.
    fn touched(&mut self, orig: &str, fold: &Fold, (i, c, f): (usize, char, char)) {
        if is_layout(c) {
            self.text.push_str(&orig[self.run..i]);
            self.run = i + c.len_utf8();
            let g = self.gap.get_or_insert((i, false));
            g.1 |= c == '\n' || c == '\r' || c == '\x0c';
            return;
        }
        if f == c && self.gap.is_none() {
            if self.run == i {
                anchor_at(&mut self.anchors, self.text.len(), i);
            }
            return;
        }
        self.text.push_str(&orig[self.run..i]);
        self.run = i + c.len_utf8();
        self.traditional |= fold.is_traditional(c);
        self.after_gap(orig, fold, (i, c, f));
    }

    /// Keeps `f`, the first character after a gap, if any, or a folded one.
    fn after_gap(&mut self, orig: &str, fold: &Fold, (i, c, f): (usize, char, char)) {
        if let Some((g, line_break)) = self.gap.take() {
            // Digits apart stay apart (`2020 2021`), except letter-spaced
            // ones (`1 9 9 7 年`), where one side is a single digit.
            let tail = &self.text.as_bytes()[self.since..];
            let digits = tail.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            let single_after = !orig[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(|n| fold.char(n).is_ascii_digit());
            let letter_spaced = !line_break && i - g <= 2 && (digits == 1 || single_after);
            if digits > 0 && f.is_ascii_digit() && !letter_spaced {
                anchor_at(&mut self.anchors, self.text.len(), g);
                self.text.push(' ');
            }
            self.since = self.text.len();
        }
        anchor_at(&mut self.anchors, self.text.len(), i);
        self.text.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `touched` gives what `each` gives for every character that layout
    /// or folding changes, and nothing else, whatever its UTF-8 length.
    #[test]
    fn touched_as_each() {
        let fold = Fold::new([('過', '过'), ('貳', '二')]);
        for s in [
            "二〇二五年（ＧＤＰ）增长６．５％，\n　過去 é 😀 一二〇〇〇年",
            "貳零貳伍年\u{feff}\u{2003}x\u{a0}",
            "",
        ] {
            let each: Vec<_> = fold
                .each(s)
                .filter(|&(_, c, f)| is_layout(c) || f != c)
                .collect();
            let touched: Vec<_> = fold.touched(s, &fold.year_digits(s)).collect();
            assert_eq!(touched, each, "{s}");
        }
    }
}
