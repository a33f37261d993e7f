//! The grammar of a number written in words or mixed with digits: its
//! tokens (Arabic digits, Chinese digits, 点, the units 十百千, the
//! magnitudes 万亿兆, 余/多) and how they combine, one token at a time.

use num_traits::{CheckedAdd, Zero};

use super::{add, mul, parse_digits, pow10, Numeral, Value};

/// The number `s` is, read from its tokens.
pub(super) fn read(s: &str) -> Option<Numeral> {
    let mut p = Parse::default();
    for (tok, at) in tokenize(s)? {
        match tok {
            Token::Arabic(v) => p.arabic(v)?,
            Token::Digit(d) => p.digit(d, s[at..].starts_with('两'))?,
            Token::Point => p.point()?,
            Token::Small(u) => p.small(u, at)?,
            Token::Big(u) => p.big(u, at)?,
            Token::More => p.more_than = true,
        }
    }
    p.finish(s)
}

/// A token of a written number.
enum Token {
    /// Arabic digits, with a decimal point or thousands commas (`1,100.9`, `8点5`).
    Arabic(Value),
    /// A Chinese digit (`〇` to `九`, `两`).
    Digit(i128),
    /// `点` between Chinese digits: a decimal point.
    Point,
    /// `十`, `百` or `千`.
    Small(i128),
    /// `万`, `亿` or `兆`.
    Big(i128),
    /// `余` or `多`: more than the number.
    More,
}

/// The tokens of `s`, each with its byte offset; `None` at a character
/// that is not part of a number.
fn tokenize(s: &str) -> Option<Vec<(Token, usize)>> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let tok = match c {
            '0'..='9' => {
                let mut end = i + 1;
                while let Some(&(j, d)) = chars.peek() {
                    // `8点5` is 8.5 as spoken: 点 between digits is a decimal point.
                    let more = d.is_ascii_digit()
                        || (matches!(d, '.' | ',' | '点')
                            && s[j + d.len_utf8()..].starts_with(|x: char| x.is_ascii_digit()));
                    if !more {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let point = if s[i..end].contains('点') {
                    "点"
                } else {
                    "."
                };
                Token::Arabic(parse_digits(&s[i..end], point)?)
            }
            '〇' | '零' => Token::Digit(0),
            '一' => Token::Digit(1),
            '二' | '两' => Token::Digit(2),
            '三' => Token::Digit(3),
            '四' => Token::Digit(4),
            '五' => Token::Digit(5),
            '六' => Token::Digit(6),
            '七' => Token::Digit(7),
            '八' => Token::Digit(8),
            '九' => Token::Digit(9),
            '点' => Token::Point,
            '十' => Token::Small(10),
            '百' => Token::Small(100),
            '千' => Token::Small(1000),
            '万' => Token::Big(10_000),
            '亿' => Token::Big(100_000_000),
            // 兆 as a numeral is 1e12 (四十九兆九千五百九十二亿, in Taiwanese
            // and Japanese amounts); the rules hand it over only between
            // numerals, since in mainland writing it is the prefix mega (兆瓦).
            '兆' => Token::Big(1_000_000_000_000),
            '余' | '多' => Token::More,
            _ => return None,
        };
        out.push((tok, i));
    }
    Some(out)
}

/// A number read token by token. Its value is `total + section + cur`:
/// sections of 亿 and above, the section below built by 十百千 and 万, and
/// the digits since the last unit. Each token's method says `None` when
/// the text stops being one number.
struct Parse {
    total: Value,
    section: Value,
    cur: Option<Value>,
    /// Chinese digits written positionally (`二〇三五`), before any unit.
    positional: usize,
    unit_seen: bool,
    last_unit: i128,
    /// Small units (十百千) must descend within a 万/亿 section: `七十百` is not a number.
    last_small: i128,
    /// A `零` after a unit (`一百零五`): the next digit is not in the next lower unit.
    zero_gap: bool,
    /// The last digit came right after a unit (`三千五`'s `五`).
    last_was_unit_digit: bool,
    /// Decimal places read after `点`.
    frac: Option<i128>,
    arabic: bool,
    digit_seen: bool,
    more_than: bool,
    /// Where the magnitude words that end the number start (`万` of `3千万`).
    magnitude_start: Option<usize>,
}

impl Default for Parse {
    fn default() -> Self {
        Parse {
            total: Value::zero(),
            section: Value::zero(),
            cur: None,
            positional: 0,
            unit_seen: false,
            last_unit: 0,
            last_small: i128::MAX,
            zero_gap: false,
            last_was_unit_digit: false,
            frac: None,
            arabic: false,
            digit_seen: false,
            more_than: false,
            magnitude_start: None,
        }
    }
}

impl Parse {
    /// Arabic digits (`46.11`), which no digits may come right before.
    fn arabic(&mut self, v: Value) -> Option<()> {
        if self.cur.is_some() || self.frac.is_some() {
            return None;
        }
        self.arabic = true;
        self.digit_seen = true;
        self.cur = Some(v);
        self.last_was_unit_digit = false;
        self.magnitude_start = None;
        Some(())
    }

    /// A Chinese digit: a decimal place after `点`, the next digit of a
    /// positional number (`二〇三五`, never with `两`), a `零` that marks a
    /// gap (`一百零五`), or the digit of the next unit.
    fn digit(&mut self, d: i128, is_liang: bool) -> Option<()> {
        self.digit_seen = true;
        if let Some(places) = self.frac.as_mut() {
            *places += 1;
            let add = Value::new(d, pow10(usize::try_from(*places).ok()?)?);
            self.cur = Some(self.cur.unwrap_or_else(Value::zero).checked_add(&add)?);
            return Some(());
        }
        match self.cur {
            Some(v) if !self.unit_seen && self.positional > 0 => {
                if is_liang {
                    return None;
                }
                self.cur = Some(add(&mul(&v, &Value::from(10))?, &Value::from(d))?);
                self.positional += 1;
            }
            Some(_) => return None,
            None if d == 0 && self.unit_seen => self.zero_gap = true,
            None => {
                self.cur = Some(Value::from(d));
                self.positional = usize::from(!self.unit_seen);
                self.last_was_unit_digit = self.unit_seen && !self.zero_gap;
            }
        }
        self.magnitude_start = None;
        Some(())
    }

    /// `点`, after digits or a unit (`一百二十点五`), once, not in Arabic digits.
    fn point(&mut self) -> Option<()> {
        if self.cur.is_none() && self.unit_seen {
            // `一百二十点五`: the fraction follows a unit.
            self.cur = Some(Value::zero());
        }
        if self.frac.is_some() || self.cur.is_none() || self.arabic {
            return None;
        }
        self.frac = Some(0);
        self.last_was_unit_digit = false;
        self.magnitude_start = None;
        Some(())
    }

    /// `十`, `百` or `千`, at `at`: what comes before is counted in it.
    fn small(&mut self, u: i128, at: usize) -> Option<()> {
        if self.positional > 1 || self.frac == Some(0) {
            return None;
        }
        // `十` alone is ten, not a bare magnitude like `百` or `万`.
        self.digit_seen |= u == 10 && !self.unit_seen;
        if u >= self.last_small {
            return None;
        }
        self.last_small = u;
        let n = self.cur.take().unwrap_or_else(|| Value::from(1));
        self.section = add(&self.section, &mul(&n, &Value::from(u))?)?;
        self.after_unit(u, at);
        Some(())
    }

    /// `万`, `亿` or `兆`, at `at`: the section before is scaled by it.
    fn big(&mut self, u: i128, at: usize) -> Option<()> {
        if self.positional > 1 || self.frac == Some(0) {
            return None;
        }
        let mut s = add(&self.section, &self.cur.take().unwrap_or_else(Value::zero))?;
        if s.is_zero() && self.total.is_zero() {
            s = Value::from(1);
        } else if s.is_zero() {
            // `亿万`: the magnitude applies to what came before.
            s = self.total;
            self.total = Value::zero();
        }
        let scaled = mul(&s, &Value::from(u))?;
        self.last_small = i128::MAX;
        if u >= 100_000_000 {
            self.total = add(&self.total, &scaled)?;
            self.section = Value::zero();
        } else {
            self.section = scaled;
        }
        self.after_unit(u, at);
        Some(())
    }

    /// What every unit (十百千, 万亿) resets: digits after it start afresh.
    fn after_unit(&mut self, u: i128, at: usize) {
        self.unit_seen = true;
        self.last_unit = u;
        self.positional = 0;
        self.frac = None;
        self.zero_gap = false;
        self.last_was_unit_digit = false;
        self.magnitude_start.get_or_insert(at);
    }

    /// The number `s` (whose tokens were read) is, if it is one.
    fn finish(self, s: &str) -> Option<Numeral> {
        if self.positional == 2 {
            // `一两`, `五六`: a vague range, not a number.
            return None;
        }
        if self.frac == Some(0) {
            return None;
        }
        let mut tail = self.cur.unwrap_or_else(Value::zero);
        if self.last_was_unit_digit && self.last_unit >= 100 && !self.arabic && tail.is_integer() {
            // `一万二` is 12000, `三千五` is 3500: the digit counts in the next lower unit.
            tail = mul(&tail, &Value::from(self.last_unit / 10))?;
        }
        let value = add(&add(&self.total, &self.section)?, &tail)?;
        if !self.arabic && value.is_zero() {
            // `零成本`, `零公里`: a word, not a zero.
            return None;
        }
        let magnitude_suffix = self
            .magnitude_start
            .map_or(0, |at| s[at..].trim_end_matches(['余', '多']).len());
        Some(Numeral {
            value,
            arabic: self.arabic,
            magnitude_only: !self.digit_seen,
            more_than: self.more_than,
            magnitude_suffix,
        })
    }
}
