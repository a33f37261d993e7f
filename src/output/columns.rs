//! The columns of a row, once: name, type, meaning, allowed values and
//! how each is read from a typed row. The CSV and JSON-lines writers,
//! `shuliang schema`, `view` and the Python binding all read this table,
//! so a column is added, renamed or retyped here and nowhere else.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value as Json;

use super::Doc;
use crate::extract::Quantity;
use crate::meaning::meta::DOC_TYPES;
use crate::meaning::status::{Period, ACTUAL, ESTIMATE, PLAN, TARGET};
use crate::rules::{RuleSet, QUALIFIERS};
use crate::text::numeral::{self, Value};

/// A row's cell as the column table gives it: text borrowed from the row
/// or its document, or a number that is written only where the cell is
/// (a row's CSV is its cells written one after another, no `String` made
/// for each).
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Text as it is.
    Text(&'a str),
    /// An offset.
    Offset(usize),
    /// A year.
    Year(i32),
    /// A value, as [`crate::text::numeral::format_value`] writes it.
    Value(&'a Value),
    /// A period, as [`Period::render`] writes it for the report's year.
    Period(Period, Option<i32>),
}

use Cell::Text;

impl Cell<'_> {
    /// The cell's text: borrowed, or written into `buf`.
    pub fn text<'b>(&'b self, buf: &'b mut String) -> &'b str {
        buf.clear();
        let mut digits = itoa::Buffer::new();
        match self {
            Text(s) => return s,
            Cell::Offset(n) => buf.push_str(digits.format(*n)),
            Cell::Year(y) => buf.push_str(digits.format(*y)),
            Cell::Value(v) => numeral::write_value(buf, v),
            Cell::Period(p, report) => p.write(buf, *report).expect("writing to a String"),
        }
        buf
    }
}

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(&mut String::new()))
    }
}

impl<'a> From<Cell<'a>> for Cow<'a, str> {
    fn from(cell: Cell<'a>) -> Cow<'a, str> {
        match cell {
            Text(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// A column's type, as the Table Schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text.
    String,
    /// A whole number (offsets, the year).
    Integer,
    /// An exact decimal.
    Number,
}

impl Type {
    /// The Table Schema's name of the type.
    pub fn name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
        }
    }
}

/// The values a column may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Any value (within the column's pattern, if it has one).
    Open,
    /// One of a fixed list.
    Fixed(&'static [&'static str]),
    /// A kind the rule file knows.
    Kinds,
    /// The id of a rule of the rule file.
    Rules,
    /// An indicator id of the rule file.
    Indicators,
    /// A normalized unit of the row's kind (a count's measure word is open).
    UnitsByKind,
}

/// One column of `extract`'s output.
pub struct Column {
    /// The header's name.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// What it means, as `shuliang schema` says it.
    pub about: &'static str,
    /// Never empty.
    pub required: bool,
    /// An empty cell means "none" (JSON `null`), not an empty text such as
    /// a count's unit without a measure word.
    pub empty_is_none: bool,
    /// The values it may take.
    pub allowed: Allowed,
    /// A regular expression every non-empty value matches.
    pub pattern: Option<&'static str>,
    /// A column of the document, the same in all its rows (`doc`,
    /// `region`, `year`, `level`, `code`), rather than of the quantity.
    pub document: bool,
    /// Shown on `view`'s page for each mark (the document's own columns,
    /// and `context`, which the page shows around the mark, are not).
    pub on_page: bool,
    /// The cell of a row of `doc`.
    pub get: for<'a> fn(&Doc<'a>, &'a Quantity) -> Cell<'a>,
}

impl Column {
    /// The cell as a JSON value, as the JSON lines write it: integers and
    /// numbers as JSON numbers written exactly as in the CSV (a manifest's
    /// year that is no number stays text), "none" as `null`.
    pub fn json(&self, doc: &Doc<'_>, q: &Quantity) -> Json {
        let v = self.cell(doc, q);
        if v.is_empty() {
            return if self.empty_is_none {
                Json::Null
            } else {
                Json::from("")
            };
        }
        match self.ty {
            Type::Integer | Type::Number => v
                .parse::<serde_json::Number>()
                .map_or_else(|_| Json::from(v.as_ref()), Json::Number),
            Type::String => Json::from(v.into_owned()),
        }
    }

    /// The cell of a row of `doc`, as text.
    pub fn cell<'a>(&self, doc: &Doc<'a>, q: &'a Quantity) -> Cow<'a, str> {
        (self.get)(doc, q).into()
    }

    /// Its cells are always numbers that shuliang writes, which Excel
    /// guarding leaves alone (a manifest's year may be any text).
    pub fn always_numeric(&self) -> bool {
        self.ty == Type::Number || (self.ty == Type::Integer && self.required)
    }

    /// The values the column may take under `rules`, when they are a list.
    pub fn allowed<'r>(&self, rules: &'r RuleSet) -> Option<Vec<&'r str>> {
        match self.allowed {
            Allowed::Open | Allowed::UnitsByKind => None,
            Allowed::Fixed(values) => Some(values.to_vec()),
            Allowed::Kinds => Some(rules.kinds().iter().map(String::as_str).collect()),
            Allowed::Rules => Some(
                rules
                    .rules()
                    .iter()
                    .map(|r| r.id.as_str())
                    .chain([crate::extract::TABLE_RULE])
                    .collect(),
            ),
            Allowed::Indicators => Some(rules.indicators().iter().map(|d| d.id.as_str()).collect()),
        }
    }
}

/// A column that is text, open, and not on the page unless said.
const fn text(
    name: &'static str,
    about: &'static str,
    get: for<'a> fn(&Doc<'a>, &'a Quantity) -> Cell<'a>,
) -> Column {
    Column {
        name,
        ty: Type::String,
        about,
        required: false,
        empty_is_none: true,
        allowed: Allowed::Open,
        pattern: None,
        document: false,
        on_page: true,
        get,
    }
}

/// A column that is never empty.
const fn required(mut c: Column) -> Column {
    c.required = true;
    c.empty_is_none = false;
    c
}

/// A column of type `ty`.
const fn typed(ty: Type, mut c: Column) -> Column {
    c.ty = ty;
    c
}

/// A column whose values are `allowed`.
const fn only(allowed: Allowed, mut c: Column) -> Column {
    c.allowed = allowed;
    c
}

/// A column of the quantity that the page does not show.
const fn off_page(mut c: Column) -> Column {
    c.on_page = false;
    c
}

/// A column of the document, so not on the page either.
const fn of_doc(mut c: Column) -> Column {
    c.document = true;
    c.on_page = false;
    c
}

/// A text column that is empty rather than none when it has no value.
const fn empty_text(mut c: Column) -> Column {
    c.empty_is_none = false;
    c
}

/// The columns of SPEC §2, in order, then the document's region and year,
/// the section heading of the row, what it measures, the region's level
/// and division code (of the report's year, then today's), the
/// document's type (last, so older readers' column numbers hold), then
/// where a number read from a table sits in it.
#[rustfmt::skip]
pub const TABLE: &[Column] = &[
    of_doc(required(text("doc", "The document: its path below the folder given, or the path as given.", |d, _| Text(d.id)))),
    required(typed(Type::Integer, text("start", "Code-point offset of the mention's first character in the document's text (CRLF counts two).", |_, q| Cell::Offset(q.start)))),
    required(typed(Type::Integer, text("end", "Code-point offset just after the mention: text[start:end] is the mention as it stands in the document.", |_, q| Cell::Offset(q.end)))),
    required(text("text", "The mention as written, layout whitespace removed.", |_, q| Text(&q.text))),
    required(typed(Type::Number, text("value", "The quantity fully expanded in `unit`: a plain decimal, at most 6 decimals, exact.", |_, q| Cell::Value(&q.value)))),
    typed(Type::Number, text("value_max", "Upper end of a range (`6%-7%`); empty otherwise.", |_, q| q.value_max.as_ref().map_or(Text(""), Cell::Value))),
    only(Allowed::UnitsByKind, empty_text(text("unit", "Normalized unit (`%`, `CNY`, `m2`…), one of its kind's in `unitsByKind`, or a rate of one (`CNY/kg`); for a count, its measure word (`个`), or empty.", |_, q| Text(&q.unit)))),
    only(Allowed::Kinds, required(text("kind", "What sort of quantity it is.", |_, q| Text(&q.kind)))),
    only(Allowed::Fixed(QUALIFIERS), text("qualifier", "`约`/`左右` approx, `以上`/`超过` more_than, `以下`/`以内` less_than, `近` nearly; empty when none.", |_, q| Text(q.qualifier.unwrap_or("")))),
    off_page(empty_text(text("unit_raw", "The unit as written, magnitude word included (`亿元`).", |_, q| Text(&q.unit_raw)))),
    only(Allowed::Rules, required(text("rule", "Id of the rule in the rule file that produced the row.", |_, q| Text(&q.rule)))),
    off_page(empty_text(text("context", "The sentence around the mention, at most 160 characters.", |_, q| Text(&q.context)))),
    of_doc(text("region", "The report's region, full name (`河北省保定市`): from --manifest, else the text.", |d, _| Text(&d.meta.region))),
    of_doc(typed(Type::Integer, text("year", "The report's year (for a compiled file, its part's): from --manifest, else the text.", |d, q| q.part_year.map_or(Text(d.meta.year.as_str()), Cell::Year)))),
    text("section", "The top-level section heading the mention sits under.", |_, q| Text(q.section.as_deref().unwrap_or(""))),
    text("indicator", "What the number measures, as written (`地区生产总值`); empty when nothing is named.", |_, q| Text(&q.indicator)),
    only(Allowed::Indicators, text("indicator_id", "The indicator's canonical id from the rule file's [[indicator]] list.", |_, q| Text(q.indicator_id.as_deref().unwrap_or("")))),
    only(Allowed::Fixed(&["increase", "decrease"]), text("change", "`increase` or `decrease` for a change, empty for a level.", |_, q| Text(q.change.unwrap_or("")))),
    only(Allowed::Fixed(&[TARGET, ESTIMATE, ACTUAL, PLAN]), text("status", "target (a goal), estimate (预计, the year just ended), actual (a result), plan (a multi-year goal or average); empty when unknown.", |_, q| Text(q.status.unwrap_or("")))),
    pattern(r"[0-9]{4}(-[0-9]{4}|Q[1-4]|-[0-9]{2}\.\.[0-9]{2})?", text("refers_to", "The period the figure is about: `2024`, `2021-2025`, `2024Q1`, `2024-01..09`.", |d, q| q.refers_to.map_or(Text(""), |p| Cell::Period(p, q.report_year(d.meta))))),
    of_doc(only(Allowed::Fixed(&["national", "province", "prefecture", "county"]), text("level", "The region's level of government.", |d, _| Text(&d.meta.level)))),
    of_doc(pattern("[0-9]{6}", text("code", "The region's 6-digit administrative division code (GB/T 2260) in the report's year.", |d, _| Text(&d.meta.code)))),
    of_doc(pattern("[0-9]{6}", text("code_now", "The region's code today, the same in every year of a region (`code` is the one of the report's year).", |d, _| Text(&d.meta.code_now)))),
    of_doc(only(Allowed::Fixed(DOC_TYPES), text("doc_type", "What the document is: work_report, statistical_bulletin, budget_report, plan_report or other; from --manifest, else its opening.", |d, _| Text(&d.meta.doc_type)))),
    text("table", "For a number read from a table: its caption, or `表N` (the document's N-th table) when it has none.", |_, q| Text(q.cell.as_ref().map_or("", |c| &*c.table))),
    text("row_label", "For a number read from a table: its row's label (the stub), without sub-row marks (`#`, `其中：`) or ordinals.", |_, q| Text(q.cell.as_ref().map_or("", |c| c.row.as_str()))),
    text("column_label", "For a number read from a table: its column's header, rows of a multi-row header joined with `/`.", |_, q| Text(q.cell.as_ref().map_or("", |c| c.column.as_str()))),
];

/// A column whose values match `re`.
const fn pattern(re: &'static str, mut c: Column) -> Column {
    c.pattern = Some(re);
    c
}

/// The column named `name`.
pub fn named(name: &str) -> Option<&'static Column> {
    TABLE.iter().find(|c| c.name == name)
}
