//! `[fold]`: one character folded to another before matching (`億` → `亿`),
//! on top of the built-in full-width folding. Every later section's words
//! and patterns are folded the same way, so they are written folded only.

use std::collections::BTreeMap;

use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::text::normalize::Fold;

/// The folding of the `[fold]` table: each side one character.
pub(super) fn compile(ld: &Loader, table: &BTreeMap<String, Spanned<String>>) -> Result<Fold> {
    let mut pairs = Vec::new();
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
    Ok(Fold::new(pairs))
}
