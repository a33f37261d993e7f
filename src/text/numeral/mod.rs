//! Exact values of the numbers written in reports: Arabic (`1,100.9`),
//! Chinese (`一万二千`, `百分之五点五`'s `五点五`) and mixed (`1.5万`, `2千零30万`).
//!
//! Values are exact rationals, never floats, so `46.11亿` is `4611000000`
//! and `2516.6亩` converts to m² without drift. The parser reads text that
//! [`crate::text::normalize`] has already folded (full-width digits to ASCII,
//! traditional and financial numerals such as `萬` or `贰` to their common form).
//! How words and digits combine into a number is [`grammar`]'s.

mod grammar;

use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, Signed, Zero};

/// An exact value. Numbers beyond ±1.7e38 (after unit conversion) are
/// rejected rather than approximated.
pub type Value = Ratio<i128>;

/// A number as parsed, with what the extractor needs to know about how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeral {
    /// The exact value, magnitudes (`万`, `亿`) applied.
    pub value: Value,
    /// Written with at least one Arabic digit (`3千万`), not in Chinese numerals alone.
    pub arabic: bool,
    /// Only magnitude words and no digit (`万`, `百`, `千万`), as in `万余名`.
    pub magnitude_only: bool,
    /// `余` or `多` inside the number (`1000多万`, `两千多`).
    pub more_than: bool,
    /// Byte length of the magnitude words that end the number (`亿` in `46.11亿`):
    /// they belong to `unit_raw`.
    pub magnitude_suffix: usize,
}

pub(super) fn pow10(n: usize) -> Option<i128> {
    10i128.checked_pow(u32::try_from(n).ok()?)
}

/// Parses `1,234.5` (commas as thousands separators) exactly.
pub fn parse_arabic(s: &str) -> Option<Value> {
    parse_digits(s, ".")
}

/// [`parse_arabic`] with `point` as the decimal point, read in place.
pub(super) fn parse_digits(s: &str, point: &str) -> Option<Value> {
    let (int, frac) = s.split_once(point).unwrap_or((s, ""));
    if int.bytes().any(|b| !b.is_ascii_digit() && b != b',')
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (frac.is_empty() && int.len() < s.len())
        || !int.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    // The digits of both parts as one integer; too many for an i128 is no number.
    let mut numer: i128 = 0;
    for b in int.bytes().chain(frac.bytes()).filter(u8::is_ascii_digit) {
        numer = numer.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    let den = pow10(frac.len())?;
    Some(if den == 1 {
        Value::from(numer)
    } else {
        Value::new(numer, den)
    })
}

/// `a * b`, exactly, or `None` on overflow, as `Ratio::checked_mul` gives
/// it; whole numbers (most values) skip the reductions of a ratio.
pub fn mul(a: &Value, b: &Value) -> Option<Value> {
    if a.is_integer() && b.is_integer() {
        return i128::checked_mul(*a.numer(), *b.numer()).map(Value::from);
    }
    a.checked_mul(b)
}

/// `a + b`, like [`mul`].
pub fn add(a: &Value, b: &Value) -> Option<Value> {
    if a.is_integer() && b.is_integer() {
        return i128::checked_add(*a.numer(), *b.numer()).map(Value::from);
    }
    a.checked_add(b)
}

/// Whether `s` has a character without which [`parse`] reads no number: a
/// digit, a Chinese numeral or magnitude, or `半`. Text without one holds
/// no quantity, so extraction passes over it (`tests/properties.rs` checks
/// that [`parse`] agrees).
pub fn has_number_char(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '0'..='9'
                | '〇'
                | '零'
                | '一'
                | '二'
                | '两'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '千'
                | '万'
                | '亿'
                | '半'
        )
    })
}

/// Parses a number; `None` when the text is not one number (`十三五`, `二三十`,
/// `一两`) or its value does not fit. Besides whole and decimal numbers it
/// reads `半` (a half: 半公升, 半成) and fractions written denominator first
/// (`四分之一` is 1/4), which rules take only before a unit.
pub fn parse(s: &str) -> Option<Numeral> {
    if s == "半" {
        return Some(Numeral {
            value: Value::new(1, 2),
            arabic: false,
            magnitude_only: false,
            more_than: false,
            magnitude_suffix: 0,
        });
    }
    if let Some((den, num)) = s.split_once("分之") {
        return fraction(den, num);
    }
    grammar::read(s)
}

/// `num` parts of `den` (`四分之一`: den `四`, num `一`).
fn fraction(den: &str, num: &str) -> Option<Numeral> {
    let (den, num) = (parse(den)?, parse(num)?);
    if den.value.is_zero() || den.more_than || num.more_than {
        return None;
    }
    Some(Numeral {
        value: num.value.checked_div(&den.value)?,
        arabic: den.arabic || num.arabic,
        magnitude_only: false,
        more_than: false,
        magnitude_suffix: 0,
    })
}

/// A value as the `value` column has it (docs/csv.md, Columns): plain decimal, at most 6 decimals
/// (rounded half away from zero), trailing zeros trimmed, no exponent.
pub fn format_value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

/// Appends `v` to `out` as [`format_value`] gives it: a CSV row's cells
/// are written into one buffer, not a `String` each, and without the
/// formatting machinery (`itoa`), and a whole number (most values) without
/// the divisions of a fraction.
pub fn write_value(out: &mut String, v: &Value) {
    let (n, d) = (*v.numer(), *v.denom());
    let mut digits = itoa::Buffer::new();
    if d == 1 {
        out.push_str(digits.format(n));
        return;
    }
    let negative = n.is_negative();
    let n = n.abs();
    let mut int = n / d;
    let rem = n % d;
    // rem < d, and d is a power of ten times a small factor, so this fits.
    let scaled = rem
        .checked_mul(1_000_000)
        .and_then(|x| x.checked_div(d).map(|q| (q, x % d)));
    let mut frac = match scaled {
        Some((q, r)) => q + i128::from(r.checked_mul(2).is_none_or(|r2| r2 >= d)),
        None => 0,
    };
    if frac == 1_000_000 {
        int += 1;
        frac = 0;
    }
    if negative && (int != 0 || frac != 0) {
        out.push('-');
    }
    out.push_str(digits.format(int));
    if frac == 0 {
        return;
    }
    // Six decimals, their trailing zeros left off.
    let mut width = 6;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    let frac = digits.format(frac);
    out.push('.');
    out.extend(std::iter::repeat_n('0', width - frac.len()));
    out.push_str(frac);
}

/// Whether [`format_value`]'s six decimals change `v` by more than 0.1% of
/// it: `0.0000005` would print as `0.000001` (or `0`), a wrong value;
/// `1/3` as `0.333333` is fine.
pub fn lossy(v: &Value) -> bool {
    if v.is_zero() || v.is_integer() {
        return false;
    }
    // Beyond the scaled range the integer part dominates: never lossy.
    let Some(scaled) = v.checked_mul(&Value::from(1_000_000)) else {
        return false;
    };
    let err = (scaled - scaled.round()).abs();
    err.checked_mul(&Value::from(1000))
        .is_some_and(|e| e > scaled.abs())
}

/// Parses a factor in the rule file: `1000`, `0.01`, `10000/15`.
pub fn parse_factor(s: &str) -> Option<Value> {
    match s.split_once('/') {
        Some((a, b)) => {
            let b = parse_arabic(b.trim())?;
            if b.is_zero() {
                return None;
            }
            parse_arabic(a.trim())?.checked_div(&b)
        }
        None => parse_arabic(s.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(s: &str) -> String {
        format_value(
            &parse(s)
                .unwrap_or_else(|| panic!("{s} did not parse"))
                .value,
        )
    }

    #[test]
    fn arabic_exact() {
        assert_eq!(val("46.11亿"), "4611000000");
        assert_eq!(val("1,100.9亿"), "110090000000");
        assert_eq!(val("233,333,333,434.344"), "233333333434.344");
        assert_eq!(val("47.264287亿"), "4726428700");
        assert_eq!(val("100000万"), "1000000000");
        assert_eq!(val("1.37万亿"), "1370000000000");
    }

    #[test]
    fn chinese_numerals() {
        for (s, v) in [
            ("三万四千五百六十七", "34567"),
            ("一万二千", "12000"),
            ("一万二", "12000"),
            ("三千五", "3500"),
            ("一百零五", "105"),
            ("十二", "12"),
            ("十", "10"),
            ("二十万亿", "20000000000000"),
            ("三百五十万亿", "350000000000000"),
            ("一万五千亿", "1500000000000"),
            ("三千万亿", "3000000000000000"),
            ("一万万万万亿", "1000000000000000000000000"),
            ("十万零五十六点三三", "100056.33"),
            ("一亿五千万", "150000000"),
            ("四十九兆九千五百九十二亿", "49959200000000"),
            ("二兆三千亿", "2300000000000"),
            ("五点五", "5.5"),
            ("二〇三五", "2035"),
            ("六十四万零一百四十三", "640143"),
            ("一百一十一点一一二", "111.112"),
            ("一百二十点五", "120.5"),
            ("两万五", "25000"),
            ("半", "0.5"),
            ("四分之一", "0.25"),
            ("三分之二", "0.666667"),
            ("百分之五", "0.05"),
        ] {
            assert_eq!(val(s), v, "{s}");
        }
    }

    #[test]
    fn mixed_forms() {
        for (s, v) in [
            ("1.5万", "15000"),
            ("3千万", "30000000"),
            ("2千零30万", "20300000"),
            ("3万4000", "34000"),
            ("25万6千", "256000"),
            ("1000多万", "10000000"),
            ("两千多", "2000"),
            ("万余", "10000"),
            ("百余", "100"),
            ("8点5", "8.5"),
            ("1.5点", "none"),
        ] {
            if v == "none" {
                assert!(parse(s).is_none(), "{s}");
                continue;
            }
            assert_eq!(val(s), v, "{s}");
        }
        assert!(parse("1000多万").unwrap().more_than);
        assert!(parse("万").unwrap().magnitude_only);
        assert!(!parse("十").unwrap().magnitude_only);
        assert!(!parse("3万").unwrap().magnitude_only);
        assert!(parse("3千万").unwrap().arabic);
    }

    #[test]
    fn not_one_number() {
        for s in [
            "十三五",
            "二三十",
            "一两",
            "五六",
            "1.2.3",
            "点五",
            "五点",
            "3五",
            "七十百",
        ] {
            assert!(parse(s).is_none(), "{s} parsed");
        }
    }

    #[test]
    fn magnitude_suffix_is_the_unit_prefix() {
        assert_eq!(parse("46.11亿").unwrap().magnitude_suffix, "亿".len());
        assert_eq!(parse("3千万").unwrap().magnitude_suffix, "千万".len());
        assert_eq!(parse("1000多万").unwrap().magnitude_suffix, "万".len());
        assert_eq!(parse("5200余").unwrap().magnitude_suffix, 0);
        assert_eq!(parse("3万4000").unwrap().magnitude_suffix, 0);
    }

    #[test]
    fn no_overflow_panics() {
        assert!(parse("99999999999999999999亿").is_some());
        assert!(parse(&"9".repeat(60)).is_none());
        assert!(parse("万万万万万万万万万万万万万万万万万万万万万万").is_none());
    }

    #[test]
    fn formatting() {
        let f = |n: i128, d: i128| format_value(&Value::new(n, d));
        assert_eq!(f(25166 * 10000, 10 * 15), "1677733.333333");
        assert_eq!(f(100_000_000 * 10000, 15), "66666666666.666667");
        assert_eq!(f(-2, 10), "-0.2");
        assert_eq!(f(7, 10_000_000_000), "0");
        assert_eq!(f(5, 10), "0.5");
        assert_eq!(f(19_999_999, 10_000_000), "2");
        assert_eq!(parse_factor("10000/15").unwrap(), Value::new(2000, 3));
        assert!(lossy(&Value::new(5, 10_000_000)));
        assert!(lossy(&Value::new(7, 10_000_000_000)));
        assert!(!lossy(&Value::new(1, 1_000_000)));
        assert!(!lossy(&Value::new(100, 3)));
        assert!(!lossy(&Value::new(2, 3)));
        assert!(!lossy(&Value::new(-2516, 10)));
        assert!(!lossy(&Value::from(0)));
        assert_eq!(parse_factor("0.01").unwrap(), Value::new(1, 100));
    }
}
