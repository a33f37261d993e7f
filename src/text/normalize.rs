//! Undoing layout: the text that rules match is the document with layout
//! whitespace removed and look-alike characters folded, plus a map back to
//! the original, so that `5200\n\n余名` matches as `5200余名` and its row still
//! points at the original code points.

/// Characters that PDF extraction and web pages leave inside quantities.
/// Zero-width characters count as layout too: they are invisible to a reader.
pub fn is_layout(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c' | '\u{3000}' | '\u{a0}' | '\u{2000}'
            ..='\u{200b}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{200c}'
                | '\u{200d}'
                | '\u{2060}'
                | '\u{feff}'
    )
}

/// Removes layout whitespace from a piece of original text.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|&c| !is_layout(c)).collect()
}

/// A one-to-one character folding: full-width ASCII (`１２．５％`) to ASCII,
/// plus the pairs the rule file lists (`億` → `亿`, `貳` → `二`).
/// One character always folds to one character, so offsets stay countable.
#[derive(Clone)]
pub struct Fold {
    /// Indexed by Basic Multilingual Plane code point; folding beyond it is the identity.
    bmp: Box<[char]>,
    /// One bit per BMP code point: whether it folds to another. Small
    /// enough to stay in cache, so the common case (a character that folds
    /// to itself) never reads the 256 KiB table.
    changed: Box<[u64]>,
}

impl std::fmt::Debug for Fold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fold")
    }
}

impl Fold {
    /// The built-in full-width folding plus `pairs` (from, to).
    pub fn new(pairs: impl IntoIterator<Item = (char, char)>) -> Fold {
        let mut bmp: Vec<char> = (0u32..0x10000)
            .map(|u| char::from_u32(u).unwrap_or('\u{fffd}'))
            .collect();
        for u in 0xFF01u32..=0xFF5E {
            bmp[u as usize] = char::from_u32(u - 0xFF01 + 0x21).unwrap_or('?');
        }
        for (from, to) in pairs {
            if let Some(slot) = bmp.get_mut(from as usize) {
                *slot = to;
            }
        }
        let mut changed = vec![0u64; 0x10000 / 64];
        for (u, &c) in bmp.iter().enumerate() {
            if c as usize != u {
                changed[u / 64] |= 1 << (u % 64);
            }
        }
        Fold {
            bmp: bmp.into_boxed_slice(),
            changed: changed.into_boxed_slice(),
        }
    }

    /// The folded form of one character.
    #[inline]
    pub fn char(&self, c: char) -> char {
        let u = c as usize;
        match self.changed.get(u / 64) {
            Some(bits) if bits & (1 << (u % 64)) != 0 => self.bmp[u],
            _ => c,
        }
    }

    /// The folded form of a string.
    pub fn str(&self, s: &str) -> String {
        s.chars().map(|c| self.char(c)).collect()
    }
}

/// Text prepared for matching, with the way back to the original.
pub struct Flat {
    /// Folded text without layout whitespace. Where whitespace separated two
    /// digits (`2020 2021`), one space is kept so that they stay two numbers.
    pub text: String,
    /// (flat byte, original byte) wherever the distance between the two
    /// changes (a layout run removed, a full-width character folded); in
    /// between, bytes correspond one to one. Sparse, so preparing a
    /// megabyte of prose allocates little more than the text itself.
    anchors: Vec<(u32, u32)>,
    orig_len: usize,
}

impl Flat {
    /// Prepares `orig` for matching. `orig` must be shorter than 4 GiB;
    /// callers split large documents into chunks first.
    pub fn new(orig: &str, fold: &Fold) -> Flat {
        let mut text = String::with_capacity(orig.len());
        let mut anchors = vec![(0u32, 0u32)];
        let mut anchor = |flat: usize, orig: usize| {
            let &(f, o) = anchors.last().expect("first anchor");
            if (orig as i64 - o as i64) != (flat as i64 - f as i64) {
                anchors.push((flat as u32, orig as u32));
            }
        };
        // Start of the layout run just skipped, and whether it held a line break.
        let mut gap: Option<(usize, bool)> = None;
        // Digits that end `text` since the last layout run.
        let mut digits = 0usize;
        // Characters kept as they are, not yet copied: `orig[run..i]`. Copied
        // in one go, and anchored once, at their start.
        let mut run = 0;
        let mut chars = orig.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if is_layout(c) {
                text.push_str(&orig[run..i]);
                run = i + c.len_utf8();
                let g = gap.get_or_insert((i, false));
                g.1 |= c == '\n' || c == '\r' || c == '\x0c';
                continue;
            }
            let f = fold.char(c);
            if f == c && gap.is_none() {
                if run == i {
                    anchor(text.len(), i);
                }
                digits = if f.is_ascii_digit() { digits + 1 } else { 0 };
                continue;
            }
            text.push_str(&orig[run..i]);
            run = i + c.len_utf8();
            if let Some((g, line_break)) = gap.take() {
                // Digits apart stay apart (`2020 2021`), except letter-spaced
                // ones (`1 9 9 7 年`), where one side is a single digit.
                let single_after = !chars
                    .peek()
                    .is_some_and(|&(_, n)| fold.char(n).is_ascii_digit());
                let letter_spaced = !line_break && i - g <= 2 && (digits == 1 || single_after);
                if digits > 0 && f.is_ascii_digit() && !letter_spaced {
                    anchor(text.len(), g);
                    text.push(' ');
                }
                digits = 0;
            }
            anchor(text.len(), i);
            text.push(f);
            digits = if f.is_ascii_digit() { digits + 1 } else { 0 };
        }
        text.push_str(&orig[run..]);
        Flat {
            text,
            anchors,
            orig_len: orig.len(),
        }
    }

    /// The original byte offset of the character at flat byte `at`.
    fn orig_at(&self, at: usize) -> usize {
        let i = self.anchors.partition_point(|&(f, _)| f as usize <= at);
        let (f, o) = self.anchors[i - 1];
        o as usize + (at - f as usize)
    }

    /// The original byte range of the flat byte range `start..end` (which
    /// must lie on character boundaries of `text`).
    pub fn orig_range(&self, orig: &str, start: usize, end: usize) -> (usize, usize) {
        if start >= self.text.len() {
            return (self.orig_len, self.orig_len);
        }
        let s = self.orig_at(start);
        if end <= start {
            return (s, s);
        }
        let last = self.text[..end]
            .chars()
            .next_back()
            .map_or(start, |c| end - c.len_utf8());
        let at = self.orig_at(last);
        let e = orig[at..]
            .chars()
            .next()
            .map_or(self.orig_len, |c| at + c.len_utf8());
        (s, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_removed_and_mapped_back() {
        let orig = "王斌庄村 5200\n\n余名群众";
        let flat = Flat::new(orig, &Fold::new([]));
        assert_eq!(flat.text, "王斌庄村5200余名群众");
        let at = flat.text.find("5200").unwrap();
        let end = at + "5200余名".len();
        let (s, e) = flat.orig_range(orig, at, end);
        assert_eq!(&orig[s..e], "5200\n\n余名");
    }

    #[test]
    fn full_width_and_listed_pairs_fold() {
        let fold = Fold::new([('億', '亿')]);
        assert_eq!(fold.str("１２．５％，３億"), "12.5%,3亿");
        let orig = "增长１２．５％";
        let flat = Flat::new(orig, &fold);
        assert_eq!(flat.text, "增长12.5%");
        let (s, e) = flat.orig_range(orig, "增长".len(), flat.text.len());
        assert_eq!(&orig[s..e], "１２．５％");
    }

    #[test]
    fn digits_apart_stay_apart() {
        let flat = Flat::new("2020 2021年\n3个 12\n34", &Fold::new([]));
        assert_eq!(flat.text, "2020 2021年3个12 34");
    }

    #[test]
    fn letter_spaced_digits_join() {
        let flat = Flat::new(
            "1 9 9 7 年，达到7 4 7 7 2 亿元，征收房屋 1 7 00 户",
            &Fold::new([]),
        );
        assert_eq!(flat.text, "1997年,达到74772亿元,征收房屋1700户");
    }
}
