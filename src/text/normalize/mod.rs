//! Undoing layout: the text that rules match is the document with layout
//! whitespace removed and look-alike characters folded, plus a map back to
//! the original, so that `5200\n\n余名` matches as `5200余名` and its row still
//! points at the original code points.

mod flatten;
mod stand_ins;
mod years;

pub use stand_ins::StandIns;
pub use years::ArabicYears;

/// Characters that PDF extraction and web pages leave inside quantities.
/// Zero-width characters count as layout too: they are invisible to a reader.
pub fn is_layout(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\x0b'
            | '\x0c'
            | '\u{3000}'
            | '\u{a0}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2000}'
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
    let mut out = String::new();
    squeeze_into(&mut out, s);
    out
}

/// [`squeeze`] onto `out`, room made once for all of `s` (collected a
/// character at a time, a long sentence was copied over and over as it
/// grew).
pub fn squeeze_into(out: &mut String, s: &str) {
    out.reserve(s.len());
    out.extend(s.chars().filter(|&c| !is_layout(c)));
}

/// The full-width forms of ASCII's printable characters (`！` to `～`):
/// [`Fold`] folds them to ASCII (before the rule file's pairs), and
/// [`ArabicYears`] their digits alone.
const FULL_WIDTH: std::ops::RangeInclusive<char> = '\u{FF01}'..='\u{FF5E}';

/// The ASCII character a full-width one stands for (`２` → `2`).
fn narrow(c: char) -> Option<char> {
    let offset = (c as u32).checked_sub(*FULL_WIDTH.start() as u32)?;
    FULL_WIDTH
        .contains(&c)
        .then(|| char::from(b'!' + offset as u8))
}

/// A one-to-one character folding: full-width ASCII (`１２．５％`) to ASCII,
/// plus the pairs the rule file lists (`億` → `亿`, `貳` → `二`); in a
/// string, the digits of a year in Chinese numerals to Arabic ones
/// (`二〇二五年` → `2025年`).
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
    /// One bit per BMP code point: whether it folds to another or is
    /// layout ([`Fold::touched`]).
    touches: Box<[u64]>,
    /// One bit per BMP code point: a traditional character its table folds
    /// to one of the same width ([`Fold::same_width`]).
    traditional: Box<[u64]>,
    /// What old copies put for the characters of a number.
    stand_ins: Option<std::sync::Arc<StandIns>>,
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
        for c in FULL_WIDTH {
            bmp[c as usize] = narrow(c).unwrap_or(c);
        }
        for (from, to) in pairs {
            if let Some(slot) = bmp.get_mut(from as usize) {
                *slot = to;
            }
        }
        // Folding twice is folding once: a pair whose target folds again
        // (薴 → 苧 → 苎) goes to the end of the chain, so text and patterns
        // meet whichever form they are written in. A cycle is left as written.
        for u in 0..bmp.len() {
            let mut c = bmp[u];
            for _ in 0..8 {
                match bmp.get(c as usize) {
                    Some(&n) if n != c => c = n,
                    _ => break,
                }
            }
            if bmp.get(c as usize).is_none_or(|&n| n == c) {
                bmp[u] = c;
            }
        }
        let mut changed = vec![0u64; 0x10000 / 64];
        for (u, &c) in bmp.iter().enumerate() {
            if c as usize != u {
                changed[u / 64] |= 1 << (u % 64);
            }
        }
        let mut touches = changed.clone();
        for u in (0..0x10000).filter(|&u| char::from_u32(u).is_some_and(is_layout)) {
            touches[u as usize / 64] |= 1 << (u % 64);
        }
        Fold {
            bmp: bmp.into_boxed_slice(),
            changed: changed.into_boxed_slice(),
            touches: touches.into_boxed_slice(),
            traditional: vec![0u64; 0x10000 / 64].into_boxed_slice(),
            stand_ins: None,
        }
    }

    /// This folding, with `chars` (the traditional table's) marked as
    /// traditional where they fold to a character of the same width.
    pub fn marking_traditional(mut self, chars: impl IntoIterator<Item = char>) -> Fold {
        for c in chars {
            let (u, f) = (c as usize, self.char(c));
            if u < 0x10000 && f != c && f.len_utf8() == c.len_utf8() {
                self.traditional[u / 64] |= 1 << (u % 64);
            }
        }
        self
    }

    /// Whether `c` is a traditional character [`Fold::same_width`] folds.
    #[inline]
    pub fn is_traditional(&self, c: char) -> bool {
        let u = c as usize;
        self.traditional
            .get(u / 64)
            .is_some_and(|bits| bits & (1 << (u % 64)) != 0)
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

    /// The folded form of a string, its years in Arabic digits.
    pub fn str(&self, s: &str) -> String {
        self.each(s).map(|(_, _, f)| f).collect()
    }

    /// Each character of `s` with its byte offset and its folded form, the
    /// digits of a year in Chinese numerals read as Arabic ones (which
    /// folding one character alone cannot tell).
    pub fn each<'s>(&'s self, s: &'s str) -> impl Iterator<Item = (usize, char, char)> + 's {
        let mut next = self.year_digits(s).into_iter().peekable();
        s.char_indices().map(move |(i, c)| {
            let f = next
                .next_if(|&(at, _)| at == i)
                .map_or_else(|| self.char(c), |(_, d)| d);
            (i, c, f)
        })
    }

    /// The digits of the years in Chinese numerals in `s` that folding
    /// reads as Arabic ones: (byte, digit), in order. Found once for a
    /// piece and given to [`Fold::touched`] ([`Flat::touched`]).
    pub fn year_digits(&self, s: &str) -> Vec<(usize, char)> {
        let mut digits = Vec::new();
        years::each_digit(s, |c| self.char(c), |i, d| digits.push((i, d)));
        digits
    }

    /// `s` with its traditional characters folded ([`Fold::is_traditional`]:
    /// `過` → `过`, each as long in UTF-8), so that every byte offset stays
    /// valid in `s`: for patterns matched against the text as written
    /// (headings). Borrowed when there are none.
    pub fn same_width<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        self.same_width_at(s, s.char_indices())
    }

    /// [`Fold::same_width`] of `s` given its [`Flat::touched`]: a
    /// traditional character folds to another, so it is among those listed,
    /// and `s` is not walked again.
    pub fn same_width_of<'a>(
        &self,
        s: &'a str,
        touched: &[(usize, char, char)],
    ) -> std::borrow::Cow<'a, str> {
        self.same_width_at(s, touched.iter().map(|&(i, c, _)| (i, c)))
    }

    /// [`Fold::same_width`] of `s`, whose characters that may fold are
    /// `chars`, (byte, character) in order.
    fn same_width_at<'a>(
        &self,
        s: &'a str,
        chars: impl Iterator<Item = (usize, char)>,
    ) -> std::borrow::Cow<'a, str> {
        // The text between two traditional characters is copied whole, not
        // a character at a time.
        let mut out = String::new();
        let mut copied = 0;
        for (i, c) in chars.filter(|&(_, c)| self.is_traditional(c)) {
            if copied == 0 {
                out.reserve(s.len());
            }
            out.push_str(&s[copied..i]);
            out.push(self.char(c));
            copied = i + c.len_utf8();
        }
        if copied == 0 {
            return std::borrow::Cow::Borrowed(s);
        }
        out.push_str(&s[copied..]);
        std::borrow::Cow::Owned(out)
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
    /// Whether the text holds a traditional character ([`Fold::is_traditional`]).
    pub traditional: bool,
    /// [`Fold::touched`] of the original (16 bytes for about one character
    /// in 17 of a report: its full-width punctuation, layout and years).
    touched: Vec<(usize, char, char)>,
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
        let years = fold.year_digits(orig);
        let touched: Vec<_> = fold.touched(orig, &years).collect();
        let out = flatten::Flattening::new(orig, fold, &touched);
        let mut flat = Flat {
            text: out.text,
            anchors: out.anchors,
            wide: Vec::new(),
            orig_len: orig.len(),
            traditional: out.traditional,
            touched,
        };
        if let Some(stand_ins) = &fold.stand_ins {
            flat.stand_ins(orig, stand_ins);
        }
        flat
    }

    /// [`Fold::touched`] of the original, in order, for another walk of
    /// it: the piece is decoded and its years found once.
    pub fn touched(&self) -> &[(usize, char, char)] {
        &self.touched
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
mod tests;
