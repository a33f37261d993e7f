//! `[qualifiers]`, `[magnitudes]` and `[lists]`: the words before or after
//! a number that qualify it (`约`, `以上`), the words after which a bare
//! magnitude is a quantity (`突破千亿元`), and what joins numbers into a
//! list or breaks a clause.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::text::normalize::Fold;

/// The qualifiers the `qualifier` column allows (docs/csv.md, Columns), in the order the rule file may name them.
pub const QUALIFIERS: &[&str] = &["more_than", "less_than", "nearly", "approx"];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct QualifierWords {
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    except_kinds: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Magnitudes {
    #[serde(default)]
    bare_after: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct Lists {
    #[serde(default)]
    joins: Vec<String>,
    #[serde(default)]
    sign_after: String,
    #[serde(default)]
    pub(super) clause_breaks: String,
}

/// A word before or after a number that qualifies it (`约`, `以上`).
#[derive(Debug)]
pub(crate) struct QualifierWord {
    pub word: String,
    /// `None` marks look-alikes such as `最近`, which qualify nothing.
    pub qualifier: Option<&'static str>,
    /// Kinds the word does not qualify (`近3年` is "the last three years").
    pub except_kinds: Vec<String>,
}

/// The qualifier words, longest first, and the words after which a bare
/// magnitude (`突破千亿元`) is a quantity.
#[derive(Debug, Default)]
pub(crate) struct Qualifiers {
    pub before: Vec<QualifierWord>,
    pub after: Vec<QualifierWord>,
    pub bare_after: Vec<String>,
    /// What joins two numbers into one list (`、`, `和`), from `[lists]`.
    pub joins: Vec<String>,
    /// Han characters after which `负` is a minus sign, from `[lists]`.
    pub sign_after: Vec<char>,
}

/// The three tables, folded; qualifier words sorted longest first.
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    table: &BTreeMap<String, Spanned<QualifierWords>>,
    magnitudes: &Magnitudes,
    lists: &Lists,
    kinds: &[&str],
) -> Result<Qualifiers> {
    let mut qualifiers = Qualifiers::default();
    for (name, words) in table {
        let q = match QUALIFIERS.iter().find(|q| **q == name.as_str()) {
            Some(q) => Some(*q),
            None if name == "none" => None,
            None => {
                return Err(ld.err(
                    words.span().start,
                    None,
                    format!(
                        "unknown qualifier `{name}`; qualifiers are {} (and `none`)",
                        QUALIFIERS.join(", ")
                    ),
                ))
            }
        };
        let w = words.get_ref();
        if let Some(k) = w.except_kinds.iter().find(|k| !kinds.contains(&k.as_str())) {
            return Err(ld.err(
                words.span().start,
                None,
                format!("unknown kind `{k}` in except_kinds"),
            ));
        }
        let word = |s: &String| QualifierWord {
            word: fold.str(s),
            qualifier: q,
            except_kinds: w.except_kinds.clone(),
        };
        qualifiers.before.extend(w.before.iter().map(word));
        qualifiers.after.extend(w.after.iter().map(word));
    }
    for list in [&mut qualifiers.before, &mut qualifiers.after] {
        list.sort_by(|a, b| {
            b.word
                .chars()
                .count()
                .cmp(&a.word.chars().count())
                .then(a.word.cmp(&b.word))
        });
    }
    qualifiers.bare_after = magnitudes.bare_after.iter().map(|s| fold.str(s)).collect();
    qualifiers.joins = lists.joins.iter().map(|s| fold.str(s)).collect();
    qualifiers.sign_after = fold.str(&lists.sign_after).chars().collect();
    Ok(qualifiers)
}
