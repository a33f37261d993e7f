//! `[tables]`: the language part of reading a table — the words of its
//! caption, unit line, header and sub-rows. The layout part (lines, cells,
//! columns) is the engine's (`extract/table`). Words are folded like the
//! text they are compared with.

use serde::Deserialize;
use toml::Spanned;

use super::load::{examples, ExampleEntry, Loader};
use super::Example;
use crate::error::Result;
use crate::text::lazy_regex::LazyRegex;
use crate::text::normalize::Fold;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct TablesEntry {
    caption: Option<String>,
    unit_line: Option<String>,
    ordinal: Option<String>,
    footnote: Option<String>,
    #[serde(default)]
    stub_headers: Vec<String>,
    #[serde(default)]
    unit_headers: Vec<String>,
    #[serde(default)]
    skip_headers: Vec<String>,
    #[serde(default)]
    growth: Vec<String>,
    #[serde(default)]
    since_start: Vec<String>,
    #[serde(default)]
    previous_year: Vec<String>,
    #[serde(default)]
    target: Vec<String>,
    #[serde(default)]
    sub_rows: Vec<String>,
    #[serde(default)]
    examples: Vec<Spanned<ExampleEntry>>,
}

/// The words a table is read with (see the rule file's `[tables]`).
#[derive(Debug, Default)]
pub struct TableWords {
    /// A caption line (`表5 2023年…`), matched at the line's start.
    pub(crate) caption: Option<LazyRegex>,
    /// A unit line or a caption's unit remark; group `unit` is the unit.
    pub(crate) unit_line: Option<LazyRegex>,
    /// A row label's leading ordinal (`一、`, `（三）`), cut from it.
    pub(crate) ordinal: Option<LazyRegex>,
    /// A footnote mark after a label or number (`[3]`, `*`), cut from it.
    pub(crate) footnote: Option<LazyRegex>,
    /// Headers of the stub column (`指标`, `项目`, `产品名称`).
    pub(crate) stub_headers: Vec<String>,
    /// Headers of a unit column (`单位`, `计量单位`).
    pub(crate) unit_headers: Vec<String>,
    /// Headers of columns that hold no quantity (`序号`, `年份`).
    pub(crate) skip_headers: Vec<String>,
    /// Words of a growth column (`增长`, `比上年`): its `%` cells are changes.
    pub(crate) growth: Vec<String>,
    /// Words of growth since the start of the year (`比年初`).
    pub(crate) since_start: Vec<String>,
    /// Words of a column about the year before the caption's (`上年`).
    pub(crate) previous_year: Vec<String>,
    /// Words of a column of targets (`目标值`, `预期`): its figures' status.
    pub(crate) target: Vec<String>,
    /// Marks of a sub-row (`#`, `其中：`), cut from its label.
    pub(crate) sub_rows: Vec<String>,
}

/// The `[tables]` section (empty when the file has none: no table is read)
/// and its examples.
pub(super) fn compile(
    ld: &Loader,
    fold: &Fold,
    table: Option<&Spanned<TablesEntry>>,
) -> Result<(TableWords, Vec<Example>)> {
    let Some(table) = table else {
        return Ok((TableWords::default(), Vec::new()));
    };
    let at = table.span().start;
    let t = table.get_ref();
    let words = |list: &[String]| list.iter().map(|w| fold.str(w)).collect::<Vec<_>>();
    let caption = ld.optional_regex(fold, at, "tables", &t.caption)?;
    let unit_line = ld.optional_regex(fold, at, "tables", &t.unit_line)?;
    let ordinal = ld.optional_regex(fold, at, "tables", &t.ordinal)?;
    let footnote = ld.optional_regex(fold, at, "tables", &t.footnote)?;
    if unit_line
        .as_ref()
        .is_some_and(|r| !r.capture_names().any(|n| n == Some("unit")))
    {
        return Err(ld.err(at, Some("tables"), "unit_line needs a group `unit`"));
    }
    Ok((
        TableWords {
            caption,
            unit_line,
            ordinal,
            footnote,
            stub_headers: words(&t.stub_headers),
            unit_headers: words(&t.unit_headers),
            skip_headers: words(&t.skip_headers),
            growth: words(&t.growth),
            since_start: words(&t.since_start),
            previous_year: words(&t.previous_year),
            target: words(&t.target),
            sub_rows: words(&t.sub_rows),
        },
        examples(ld, &t.examples),
    ))
}
