//! `[metadata]`: how a report's region, year and section headings are
//! found in its text (title block, file name, headings). Its patterns are
//! matched against the text as written, so they are not folded.

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::load::Loader;
use crate::error::Result;
use crate::meaning::meta::{DocTypeExample, MetaRules, DOC_TYPES};

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
pub(super) fn compile(ld: &Loader, table: Option<&Spanned<MetadataEntry>>) -> Result<MetaRules> {
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
    Ok(MetaRules {
        title: md
            .title
            .iter()
            .map(|t| match t {
                TitlePattern::Plain(p) => Ok((compile(p)?, None)),
                TitlePattern::Fixed { pattern, region } => {
                    Ok((compile(pattern)?, Some(region.clone())))
                }
            })
            .collect::<Result<_>>()?,
        by_type: md
            .by_type
            .iter()
            .map(|p| compile(p))
            .collect::<Result<_>>()?,
        common: md.common.clone(),
        file_year: optional(&md.file_year)?,
        review_year: optional(&md.review_year)?,
        plan_year: optional(&md.plan_year)?,
        heading: optional(&md.heading)?,
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
                Ok((d.get_ref().ty.clone(), compile(&d.get_ref().pattern)?))
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
    })
}
