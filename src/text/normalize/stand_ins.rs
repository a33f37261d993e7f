//! What old copies put for the characters of a number (`[stand_ins]`),
//! read as what they stand for before the rules match.

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
    pub(super) fn read_letters(&self, text: &mut String) {
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
    pub(super) fn strings_in(&self, text: &str) -> Vec<(usize, usize, char)> {
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
