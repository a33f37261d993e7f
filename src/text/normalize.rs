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
/// [`Flat::new`] also undoes the [`StandIns`] it carries.
#[derive(Clone)]
pub struct Fold {
    /// Indexed by Basic Multilingual Plane code point; folding beyond it is the identity.
    bmp: Box<[char]>,
    /// One bit per BMP code point: whether it folds to another. Small
    /// enough to stay in cache, so the common case (a character that folds
    /// to itself) never reads the 256 KiB table.
    changed: Box<[u64]>,
    /// What old copies put for the characters of a number.
    stand_ins: Option<std::sync::Arc<StandIns>>,
}

/// What old web copies put for the characters of a number, from the rule
/// file's `[stand_ins]`: a string for one character (an aggregator's
/// `13.3_M_M_` for `13.3%`), and letters for digits (`l3.6%`, `1O%`,
/// `4l.38亿元`). [`Flat::new`] reads them as what they stand for, after
/// layout and folding; rows still point at, and quote, what is written.
#[derive(Debug, Clone)]
pub struct StandIns {
    /// (string, the character it stands for), longest first.
    pub strings: Vec<(String, char)>,
    /// The digit each ASCII letter stands for (0 for none).
    pub letters: [u8; 128],
    /// What may follow a number for its letters to be read when no letter
    /// stands between two digits and it has no decimal point (`%`, `亿元`):
    /// a pattern anchored at the number's end (`^(?:…)`).
    pub after: Option<regex::Regex>,
}

impl Default for StandIns {
    fn default() -> StandIns {
        StandIns {
            strings: Vec::new(),
            letters: [0; 128],
            after: None,
        }
    }
}

impl StandIns {
    /// The digit `b` stands for, if it is a listed letter.
    fn digit(&self, b: u8) -> Option<u8> {
        self.letters
            .get(usize::from(b))
            .copied()
            .filter(|&d| d != 0)
    }

    /// Reads the letters of `text` that stand for digits, in place. A
    /// letter is read inside a token (a run of ASCII letters, digits and
    /// `.`) whose letters are all listed, that has a digit and reads as a
    /// number (no leading zero, one `.` at most, between digits), when a
    /// letter stands between two digits (`2O2O`), the number has a decimal
    /// point (`4l.38`), or `after` follows it (`1O%`). So `SO2`, `COD`,
    /// `PM2.5`, `5G`, `O2O` and `IPO` stay as they are.
    fn read_letters(&self, text: &mut String) {
        let bytes = text.as_bytes();
        // A listed letter next to a digit, or before a `.`: where a token may be.
        let seed = |i: usize| {
            (i > 0 && bytes[i - 1].is_ascii_digit())
                || bytes
                    .get(i + 1)
                    .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        };
        let token_char = |b: u8| b.is_ascii_alphanumeric() || b == b'.';
        let mut reads = Vec::new();
        // Past the last token looked at.
        let mut i = 0;
        for at in self.letters_in(bytes) {
            if at < i || !seed(at) {
                continue;
            }
            let mut s = at;
            while s > 0 && token_char(bytes[s - 1]) {
                s -= 1;
            }
            let mut e = at;
            while e < bytes.len() && token_char(bytes[e]) {
                e += 1;
            }
            // A `.` that ends a token ends a sentence, not a number.
            let mut end = e;
            while end > s && bytes[end - 1] == b'.' {
                end -= 1;
            }
            if self.reads(&bytes[s..end], &text[end..]) {
                reads.push((s, end));
            }
            i = e;
        }
        if reads.is_empty() {
            return;
        }
        let mut out = std::mem::take(text).into_bytes();
        for (s, e) in reads {
            for b in &mut out[s..e] {
                if let Some(d) = self.digit(*b) {
                    *b = d;
                }
            }
        }
        *text = String::from_utf8(out).expect("ASCII letters became ASCII digits");
    }

    /// Where the listed letters are in `bytes`, in order (a few passes of
    /// `memchr`: most texts have next to none).
    fn letters_in(&self, bytes: &[u8]) -> Vec<usize> {
        let listed: Vec<u8> = (0..128u8).filter(|&b| self.digit(b).is_some()).collect();
        let mut at = Vec::new();
        for n in listed.chunks(3) {
            match *n {
                [a] => at.extend(memchr::memchr_iter(a, bytes)),
                [a, b] => at.extend(memchr::memchr2_iter(a, b, bytes)),
                [a, b, c] => at.extend(memchr::memchr3_iter(a, b, c, bytes)),
                _ => {}
            }
        }
        at.sort_unstable();
        at
    }

    /// Whether `token` (followed by `rest`) is a number written with letters for digits.
    fn reads(&self, token: &[u8], rest: &str) -> bool {
        let letter = |b: &u8| self.digit(*b).is_some();
        if !token
            .iter()
            .all(|b| b.is_ascii_digit() || letter(b) || *b == b'.')
            || !token.iter().any(u8::is_ascii_digit)
        {
            return false;
        }
        let mut parts = token.split(|&b| b == b'.');
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next();
        if parts.next().is_some() || whole.is_empty() || fraction.is_some_and(<[u8]>::is_empty) {
            return false;
        }
        if whole.len() > 1 && (whole[0] == b'0' || self.digit(whole[0]) == Some(b'0')) {
            return false;
        }
        // A letter between the first and the last digit of the whole or the fraction.
        let between = token.split(|&b| b == b'.').any(|run| {
            let first = run.iter().position(u8::is_ascii_digit);
            let last = run.iter().rposition(u8::is_ascii_digit);
            matches!((first, last), (Some(f), Some(l)) if run[f..l].iter().any(letter))
        });
        between || fraction.is_some() || self.after.as_ref().is_some_and(|a| a.is_match(rest))
    }

    /// The stand-in strings of `text`: (flat start, end, character), in order.
    fn strings_in(&self, text: &str) -> Vec<(usize, usize, char)> {
        let mut hits: Vec<(usize, usize, char)> = Vec::new();
        for (s, c) in &self.strings {
            for at in memchr::memmem::find_iter(text.as_bytes(), s.as_bytes()) {
                let end = at + s.len();
                if !hits.iter().any(|&(hs, he, _)| hs < end && at < he) {
                    hits.push((at, end, *c));
                }
            }
        }
        hits.sort_unstable();
        hits
    }
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
            stand_ins: None,
        }
    }

    /// Whether [`Flat::new`] reads stand-ins with this folding.
    pub fn has_stand_ins(&self) -> bool {
        self.stand_ins.is_some()
    }

    /// This folding, with `stand_ins` read by [`Flat::new`].
    pub fn with_stand_ins(self, stand_ins: StandIns) -> Fold {
        Fold {
            stand_ins: Some(std::sync::Arc::new(stand_ins)),
            ..self
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
    /// (flat byte, original end byte) of each character that stands for a
    /// longer original string ([`StandIns`]: `%` for `_M_M_`), in order:
    /// a span that ends with one ends where the string does.
    wide: Vec<(u32, u32)>,
    orig_len: usize,
}

/// Adds the anchor `(flat, orig)` when the distance between the two changes.
fn anchor_at(anchors: &mut Vec<(u32, u32)>, flat: usize, orig: usize) {
    let &(f, o) = anchors.last().expect("first anchor");
    if (orig as i64 - o as i64) != (flat as i64 - f as i64) {
        anchors.push((flat as u32, orig as u32));
    }
}

impl Flat {
    /// Prepares `orig` for matching. `orig` must be shorter than 4 GiB;
    /// callers split large documents into chunks first.
    pub fn new(orig: &str, fold: &Fold) -> Flat {
        let mut text = String::with_capacity(orig.len());
        let mut anchors = vec![(0u32, 0u32)];
        let mut anchor = |flat: usize, orig: usize| anchor_at(&mut anchors, flat, orig);
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
        let mut flat = Flat {
            text,
            anchors,
            wide: Vec::new(),
            orig_len: orig.len(),
        };
        if let Some(stand_ins) = &fold.stand_ins {
            flat.stand_ins(orig, stand_ins);
        }
        flat
    }

    /// Reads what `s` lists as standing for the characters of a number:
    /// each stand-in string becomes its character, then letters their digits.
    fn stand_ins(&mut self, orig: &str, s: &StandIns) {
        let hits = s.strings_in(&self.text);
        if !hits.is_empty() {
            let mut text = String::with_capacity(self.text.len());
            let mut anchors = vec![(0u32, 0u32)];
            let mut wide = Vec::with_capacity(hits.len());
            let mut from = 0;
            let ends = hits.iter().map(|&(s, e, c)| (s, e, Some(c)));
            for (s, e, c) in ends.chain(std::iter::once((self.text.len(), 0, None))) {
                // The text kept between two strings, with the anchors in it.
                anchor_at(&mut anchors, text.len(), self.orig_at(from));
                let inside = self.anchors.partition_point(|&(f, _)| (f as usize) <= from);
                for &(f, o) in self.anchors[inside..]
                    .iter()
                    .take_while(|&&(f, _)| (f as usize) < s)
                {
                    anchor_at(&mut anchors, text.len() + f as usize - from, o as usize);
                }
                text.push_str(&self.text[from..s]);
                let Some(c) = c else { break };
                let (start, end) = self.orig_range(orig, s, e);
                anchor_at(&mut anchors, text.len(), start);
                wide.push((text.len() as u32, end as u32));
                text.push(c);
                from = e;
            }
            self.text = text;
            self.anchors = anchors;
            self.wide = wide;
        }
        s.read_letters(&mut self.text);
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
        if let Ok(i) = self.wide.binary_search_by_key(&(last as u32), |&(f, _)| f) {
            return (s, self.wide[i].1 as usize);
        }
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

    fn stand_ins() -> Fold {
        let mut s = StandIns {
            strings: vec![("_M_M_".to_string(), '%')],
            after: Some(regex::Regex::new("^(?:%|亿)").unwrap()),
            ..StandIns::default()
        };
        for (l, d) in [(b'O', b'0'), (b'o', b'0'), (b'l', b'1'), (b'I', b'1')] {
            s.letters[usize::from(l)] = d;
        }
        Fold::new([]).with_stand_ins(s)
    }

    #[test]
    fn letters_for_digits_are_read_where_the_context_is_numeric() {
        let fold = stand_ins();
        for (orig, flat) in [
            ("增长l3.6％，1O％，lO.5%", "增长13.6%,10%,10.5%"),
            (
                "4l.38亿元，2l.9亿元，9l.9%，25l亿元",
                "41.38亿元,21.9亿元,91.9%,251亿元",
            ),
            ("2OO8年", "2008年"),
            // Words, codes, and what reads as no number keep their letters.
            (
                "SO2、COD、PM2.5、5G、LED、IPO、O2O",
                "SO2、COD、PM2.5、5G、LED、IPO、O2O",
            ),
            ("O5%，1.2.O%，l3年，No.1", "O5%,1.2.O%,l3年,No.1"),
            ("Il.", "Il."),
        ] {
            assert_eq!(Flat::new(orig, &fold).text, flat, "{orig}");
        }
    }

    #[test]
    fn stand_ins_keep_the_offsets_exact() {
        let fold = stand_ins();
        let orig = "增长 13.3_M_M_\n；投资２l．9 亿元，下降 6_M_M_ 。";
        let flat = Flat::new(orig, &fold);
        assert_eq!(flat.text, "增长13.3%;投资21.9亿元,下降6%。");
        let span = |needle: &str| {
            let at = flat.text.find(needle).unwrap();
            let (s, e) = flat.orig_range(orig, at, at + needle.len());
            &orig[s..e]
        };
        assert_eq!(span("13.3%"), "13.3_M_M_");
        assert_eq!(span("%"), "_M_M_");
        assert_eq!(span("21.9亿元"), "２l．9 亿元");
        assert_eq!(span("6%"), "6_M_M_");
        assert_eq!(span("。"), "。");
        assert_eq!(span("下降"), "下降");
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
