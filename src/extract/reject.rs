//! Why a rule's match was turned down: what `explain` and `view` print
//! for the matches that did not become rows.

/// Why a match of a rule did not become a row; [`super::Extractor::explain`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// The number is not one number (`十三五`, `二三十`).
    Number,
    /// A magnitude word alone (`亿元以上项目`), with nothing that makes it an amount.
    BareMagnitude,
    /// Chinese numerals below the rule's `min_chinese` (`七个方面`).
    SmallChinese,
    /// The unit is not in the unit table.
    Unit,
    /// The value does not fit.
    Overflow,
    /// A range whose upper end is not above its lower end.
    Range,
    /// The value in its normalized unit cannot be written in the six
    /// decimals of the `value` column (docs/csv.md) without changing it by more than 0.1% (`0.5微米` is 5e-7 m).
    Lossy,
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reject::Number => "the number is not one number",
            Reject::BareMagnitude => {
                "a bare magnitude with no qualifier or verb before it names a class, not an amount"
            }
            Reject::SmallChinese => "Chinese numerals below the rule's min_chinese",
            Reject::Unit => "the unit is not in the unit table",
            Reject::Overflow => "the value does not fit",
            Reject::Range => "the range's upper end is not above its lower end",
            Reject::Lossy => {
                "the value cannot be written in six decimals of its unit without changing it by more than 0.1%"
            }
        })
    }
}
