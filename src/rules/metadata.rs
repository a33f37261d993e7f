//! `[metadata]`: how a report's region, year and section headings are
//! found in its text (title block, file name, headings). Its patterns are
//! folded as the text they match is: fully for the title block's lines,
//! only where a character keeps its width for headings and the year's
//! work, matched against the text as written; not at all for file names.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::meaning::meta::{DocTypeExample, Headings, MetaRules, DOC_TYPES};
use crate::text::normalize::Fold;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct MetadataEntry {
    #[serde(default)]
    title: Vec<TitlePattern>,
    #[serde(default)]
    by_type: Vec<String>,
    #[serde(default)]
    common: Vec<String>,
    file_year: Option<String>,
    review_year: Option<String>,
    plan_year: Option<String>,
    heading: Option<String>,
    inline_heading: Option<String>,
    #[serde(default)]
    doc_type: Vec<Spanned<DocTypeEntry>>,
}

/// A document type and the pattern of an opening's line that says it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocTypeEntry {
    #[serde(rename = "type")]
    ty: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
}

/// A title pattern: plain (groups `region`, `year`), or with the region it
/// stands for (`我代表国务院` → `全国`).
#[derive(Deserialize)]
#[serde(untagged)]
enum TitlePattern {
    Plain(String),
    Fixed { pattern: String, region: String },
}

/// The `[metadata]` table (empty when the file has none).
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    table: Option<&Spanned<MetadataEntry>>,
) -> Result<MetaRules> {
    let at = table.map_or(0, |m| m.span().start);
    let empty = MetadataEntry::default();
    let md = table.map_or(&empty, Spanned::get_ref);
    let compile = |p: &str| {
        Regex::new(p).map_err(|e| {
            ld.err(
                at,
                Some("metadata"),
                format!("pattern does not compile: {e}"),
            )
        })
    };
    let optional = |p: &Option<String>| p.as_deref().map(compile).transpose();
    let folded = |p: &str| compile(&fold.str(p));
    let same_width = |p: &Option<String>| {
        p.as_deref()
            .map(|p| compile(&fold.same_width(p)))
            .transpose()
    };
    Ok(MetaRules {
        title: md
            .title
            .iter()
            .map(|t| match t {
                TitlePattern::Plain(p) => Ok((folded(p)?, None)),
                TitlePattern::Fixed { pattern, region } => {
                    Ok((folded(pattern)?, Some(region.clone())))
                }
            })
            .collect::<Result<_>>()?,
        by_type: md
            .by_type
            .iter()
            .map(|p| folded(p))
            .collect::<Result<_>>()?,
        common: md.common.iter().map(|w| fold.str(w)).collect(),
        file_year: optional(&md.file_year)?,
        review_year: md.review_year.as_deref().map(folded).transpose()?,
        plan_year: same_width(&md.plan_year)?,
        heading: same_width(&md.heading)?
            .map(Headings::new)
            .transpose()
            .map_err(|e| {
                ld.err(
                    at,
                    Some("metadata"),
                    format!("heading does not compile: {e}"),
                )
            })?,
        inline_heading: same_width(&md.inline_heading)?,
        doc_type: md
            .doc_type
            .iter()
            .map(|d| {
                if !DOC_TYPES.contains(&d.get_ref().ty.as_str()) {
                    return Err(ld.err(
                        d.span().start,
                        Some("metadata"),
                        format!("unknown doc_type `{}`", d.get_ref().ty),
                    ));
                }
                Ok((d.get_ref().ty.clone(), folded(&d.get_ref().pattern)?))
            })
            .collect::<Result<_>>()?,
        doc_type_examples: md
            .doc_type
            .iter()
            .flat_map(|d| {
                d.get_ref().examples.iter().map(|text| DocTypeExample {
                    doc_type: d.get_ref().ty.clone(),
                    text: text.clone(),
                    line: ld.line(d.span().start),
                })
            })
            .collect(),
        fold: fold.clone(),
        divisions: Default::default(),
    })
}
