//! `[fold]`: one character folded to another before matching (`億` → `亿`),
//! on top of the built-in full-width folding. Every later section's words
//! and patterns are folded the same way, so they are written folded only.

use std::collections::BTreeMap;

use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::text::normalize::{Fold, StandIns};

/// Traditional characters to simplified ones (OpenCC's table, see its
/// header), which a rule file takes with `fold_traditional = true`.
pub const TRADITIONAL: &str = include_str!("../../rules/traditional.tsv");

/// The folding of the `[fold]` table: each side one character; with
/// `traditional`, on top of the [`TRADITIONAL`] pairs (the table's own win).
pub(super) fn compile(
    ld: &Loader,
    table: &BTreeMap<String, Spanned<String>>,
    traditional: bool,
) -> Result<Fold> {
    let mut pairs = Vec::new();
    if traditional {
        pairs.extend(traditional_pairs());
    }
    let marked: Vec<char> = pairs.iter().map(|&(from, _)| from).collect();
    for (from, to) in table {
        let (mut f, mut t) = (from.chars(), to.get_ref().chars());
        match (f.next(), f.next(), t.next(), t.next()) {
            (Some(a), None, Some(b), None) => pairs.push((a, b)),
            _ => {
                return Err(ld.err(
                    to.span().start,
                    None,
                    format!(
                        "fold `{from}` = `{}`: both sides must be one character",
                        to.get_ref()
                    ),
                ))
            }
        }
    }
    Ok(Fold::new(pairs).marking_traditional(marked))
}

/// The pairs of [`TRADITIONAL`]: `from⇥to` lines, `#` comments (each line
/// is checked by a test).
fn traditional_pairs() -> impl Iterator<Item = (char, char)> {
    TRADITIONAL
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut c = l.chars();
            match (c.next(), c.next(), c.next(), c.next()) {
                (Some(a), Some('\t'), Some(b), None) => Some((a, b)),
                _ => None,
            }
        })
}

/// The `[stand_ins]` table as written.
#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct StandInsEntry {
    #[serde(default)]
    strings: BTreeMap<String, String>,
    #[serde(default)]
    letters: BTreeMap<String, String>,
    after: Option<String>,
    #[serde(default)]
    examples: Vec<Spanned<super::load::ExampleEntry>>,
}

/// The `[stand_ins]` table: the strings and letters old copies put for the
/// characters of a number, and its examples.
pub(super) fn stand_ins(
    ld: &Loader,
    ex: &super::patterns::Expander,
    entry: Option<&Spanned<StandInsEntry>>,
) -> Result<(Option<StandIns>, Vec<super::load::Example>)> {
    let Some(entry) = entry else {
        return Ok((None, Vec::new()));
    };
    let (at, e) = (entry.span().start, entry.get_ref());
    let err = |m: String| ld.err(at, Some("stand_ins"), m);
    let mut s = StandIns::default();
    for (from, to) in &e.strings {
        let (long, one) = (ex.fold.str(from), ex.fold.str(to));
        let mut one = one.chars();
        match (one.next(), one.next()) {
            (Some(c), None) if long.chars().count() > 1 => s.strings.push((long, c)),
            _ => {
                return Err(err(format!(
                    "string `{from}` = `{to}`: two or more characters for one"
                )))
            }
        }
    }
    s.strings
        .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    for (from, to) in &e.letters {
        match (from.as_bytes(), to.as_bytes()) {
            ([l], [d]) if l.is_ascii_alphabetic() && d.is_ascii_digit() => {
                s.letters[usize::from(*l)] = *d
            }
            _ => {
                return Err(err(format!(
                    "letter `{from}` = `{to}`: an ASCII letter for an ASCII digit"
                )))
            }
        }
    }
    if let Some(p) = &e.after {
        let (regex, _) = ex.compile(&format!("^(?:{p})"), at, "stand_ins")?;
        s.after = Some(regex.get().clone());
    }
    Ok((Some(s), super::load::examples(ld, &e.examples)))
}

#[cfg(test)]
mod tests {
    /// Every line of the table is a comment or one pair, the key in the
    /// Basic Multilingual Plane (beyond it the fold is the identity).
    #[test]
    fn traditional_table_is_pairs() {
        let lines = super::TRADITIONAL.lines().filter(|l| !l.starts_with('#'));
        assert_eq!(lines.clone().count(), super::traditional_pairs().count());
        assert!(super::traditional_pairs().all(|(a, b)| (a as u32) < 0x10000 && a != b));
    }
}
