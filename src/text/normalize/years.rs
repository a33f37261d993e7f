//! Years written in Chinese numerals (`二〇二五年`, `一九九八年`, `二O一一年`),
//! read digit for digit as the Arabic year they are (`2025年`): four
//! characters for four, so every code-point offset stays. Folding reads
//! them wherever text is folded ([`super::Fold::str`], [`super::Flat::new`]),
//! so that every pattern and word list written for `2025年` reads them too.

use std::borrow::Cow;

/// The digit a character of a year stands for: `〇`, `○`, `零` and the
/// letters O and o that old copies put for a zero, `一` to `九`, or an
/// Arabic digit.
fn year_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '○' | '零' | 'O' | 'o' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        c if c.is_ascii_digit() => c,
        _ => return None,
    })
}

/// Calls `each(byte, digit)` for every character of `s`, in order, that is
/// a digit of a year in Chinese numerals and not that digit as folded
/// (`fold`): a year right before `年`, and the first of a span
/// (`二〇二一—二〇二五年`).
pub(super) fn each_digit(s: &str, fold: impl Fn(char) -> char, mut each: impl FnMut(usize, char)) {
    let mut years = Vec::new();
    for at in NIAN.find_iter(s.as_bytes()) {
        let Some(start) = year_before(s, at, &fold, &mut years) else {
            continue;
        };
        if let Some((dash, c)) = s[..start].char_indices().next_back() {
            if SPAN_DASHES.contains(fold(c)) {
                let span = years.len() - 4;
                if year_before(s, dash, &fold, &mut years).is_some() {
                    // The span's first year comes first.
                    years[span..].rotate_left(4);
                }
            }
        }
    }
    for (i, c, d) in years {
        if c != d {
            each(i, d);
        }
    }
}

/// The search for `年`, built once: not `match_indices('年')`, which looks
/// for 年's last byte, the last of one CJK character in 64, and checks each
/// (≈2.7 instructions a byte of a piece against ≈0.2), nor a search built
/// anew for each of the many short texts folded.
static NIAN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new("年"));

/// What joins the two years of a span (`2021—2025年`, `2021至2025年`).
const SPAN_DASHES: &str = "—–-~至到";

/// The year whose four digits end at byte `end` of `s`, onto `years` as
/// (byte, character as folded, digit): four year digits that read 19xx or
/// 20xx, with no year digit before them (`一二〇〇〇年` is no year); its
/// start.
fn year_before(
    s: &str,
    end: usize,
    fold: impl Fn(char) -> char,
    years: &mut Vec<(usize, char, char)>,
) -> Option<usize> {
    let mut before = s[..end].char_indices().rev();
    let mut year = [(0, '0', '0'); 4];
    for slot in year.iter_mut().rev() {
        let (i, c) = before.next()?;
        let c = fold(c);
        *slot = (i, c, year_digit(c)?);
    }
    let century = matches!([year[0].2, year[1].2], ['1', '9'] | ['2', '0']);
    let alone = before
        .next()
        .is_none_or(|(_, c)| year_digit(fold(c)).is_none());
    (century && alone).then(|| {
        years.extend(year);
        year[0].0
    })
}

/// An ASCII digit for a full-width one (`２` → `2`).
fn narrow_digit(c: char) -> char {
    super::narrow(c).filter(char::is_ascii_digit).unwrap_or(c)
}

/// A text with its digits in ASCII, years in Chinese numerals
/// (`二〇二三年`) and full-width digits (`２０２３年`, `６．５％`) alike, and
/// nothing else folded, and the way back to the text as written: for
/// patterns matched against the text as written that read a year
/// (headings, the heading of the year's work), which the rule file writes
/// with `[0-9]`.
pub struct ArabicYears<'a> {
    /// The text, borrowed when it holds no such digit.
    pub text: Cow<'a, str>,
    /// (byte of `text` just after a digit read, bytes saved up to there).
    saved: Vec<(usize, usize)>,
}

impl<'a> ArabicYears<'a> {
    /// `s` with its years and full-width digits in ASCII digits.
    /// `touched` is `s`'s [`super::Flat::touched`] (or that of the text `s`
    /// folds with the same widths): the full-width digits are among the
    /// characters it lists, so `s` is not walked again for them.
    pub fn new(s: &'a str, touched: &[(usize, char, char)]) -> ArabicYears<'a> {
        let mut digits = Vec::new();
        each_digit(s, narrow_digit, |i, d| digits.push((i, d)));
        let wide = touched.iter().filter(|&&(_, c, _)| narrow_digit(c) != c);
        digits.extend(wide.map(|&(i, c, _)| (i, narrow_digit(c))));
        digits.sort_unstable_by_key(|&(i, _)| i);
        digits.dedup_by_key(|&mut (i, _)| i);
        if digits.is_empty() {
            return ArabicYears {
                text: Cow::Borrowed(s),
                saved: Vec::new(),
            };
        }
        let (mut text, mut saved, mut copied) = (String::with_capacity(s.len()), Vec::new(), 0);
        for (i, d) in digits {
            text.push_str(&s[copied..i]);
            text.push(d);
            copied = i + s[i..].chars().next().map_or(0, char::len_utf8);
            let before = saved.last().map_or(0, |&(_, n)| n);
            saved.push((text.len(), before + copied - i - 1));
        }
        text.push_str(&s[copied..]);
        ArabicYears {
            text: Cow::Owned(text),
            saved,
        }
    }

    /// The byte of the text as written at byte `at` of `text` (a character
    /// boundary).
    pub fn written(&self, at: usize) -> usize {
        let i = self.saved.partition_point(|&(after, _)| after <= at);
        at + i.checked_sub(1).map_or(0, |i| self.saved[i].1)
    }
}
