//! Extraction: the rule set run over a document, in stages, each in its own
//! module with one job:
//!
//! 1. [`matching`]: the sentences of the flat text ([`crate::text::normalize`]),
//!    the rules that can match each, and their matches outside exclusions;
//! 2. [`candidate`]: each match as a value, a unit and a kind, or turned down;
//! 3. [`resolve`]: the longest of overlapping candidates, qualifiers and
//!    units spread over enumerations;
//! 4. [`annotate`]: indicator, change, status cues and section;
//! 5. [`locate`]: offsets in the original document, mention and context.
//!
//! [`explain`] runs the same stages and keeps what was turned down;
//! [`stages`] runs them one at a time for the benchmarks.
//! Stages take the [`RuleSet`], not the [`Extractor`].

mod annotate;
mod candidate;
mod explain;
mod groups;
mod locate;
mod matching;
mod piece;
mod readings;
mod reject;
mod resolve;
#[doc(hidden)]
pub mod stages;
mod table;

use std::sync::{Arc, OnceLock};

use crate::meaning::status::{Cues, Frame, Period};
use crate::rules::RuleSet;
use crate::text::cut_point;
use crate::text::normalize::Flat;
use crate::text::numeral::{self, Value};

pub use explain::{Explained, Explanation, Rejection};
pub use reject::Reject;
pub use table::{TableCell, RULE as TABLE_RULE};

/// Documents are worked through in pieces of about this many bytes, cut at
/// sentence ends ([`Extractor::extract`] and the batch default), so working
/// memory stays small.
pub(crate) const PIECE_BYTES: usize = 1 << 20;

/// One quantity found in a document: a row of the CSV (docs/csv.md)
/// without the `doc` column.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Code-point offset of the mention's first character in the document.
    pub start: usize,
    /// Code-point offset one past the mention's last character.
    pub end: usize,
    /// The mention as written, layout whitespace removed.
    pub text: String,
    /// Exact value in `unit`.
    pub value: Value,
    /// Upper end of a range.
    pub value_max: Option<Value>,
    /// Normalized unit (`CNY`, `m2`, a measure word, or empty).
    pub unit: Arc<str>,
    /// One of [`crate::text::units::KINDS`].
    pub kind: Arc<str>,
    /// `more_than`, `less_than`, `nearly` or `approx`.
    pub qualifier: Option<&'static str>,
    /// The unit as written, magnitude word included (`亿元`).
    pub unit_raw: String,
    /// Id of the rule that produced the row.
    pub rule: Arc<str>,
    /// The sentence around the mention, at most 160 characters.
    pub context: String,
    /// The top-level section heading the mention sits under, if known.
    pub section: Option<Arc<str>>,
    /// What the number measures, as written (`地区生产总值`), or empty.
    pub indicator: String,
    /// The indicator's canonical id from the rule file (`gdp`).
    pub indicator_id: Option<Arc<str>>,
    /// `increase` or `decrease`; `None` for a level.
    pub change: Option<&'static str>,
    /// `target`, `estimate`, `actual` or `plan` ([`crate::meaning::status`]), when
    /// the figure's sentence or section says.
    pub status: Option<&'static str>,
    /// The period the figure is about, relative to the report's year until
    /// that is known ([`Period::render`]).
    pub refers_to: Option<Period>,
    /// The year of the part of a compiled document the row is in (the
    /// 2023 bulletin of a file of four), which stands for the document's.
    pub part_year: Option<i32>,
    /// What the figure's own sentence says of its status and period; the
    /// section it turns out to sit under settles them.
    pub(crate) cues: Cues,
    /// The table, row and column of a number read from a table.
    pub cell: Option<Box<TableCell>>,
}

/// A section heading and the frame (status and period) its rows take:
/// its own (`工作回顾`), or that of the heading before it when it says
/// neither (`一、立稳实体经济重要支柱` under `2024年工作安排`).
pub type Section = (Arc<str>, Frame);

/// The rows of a piece of a document, and the last section heading in it
/// (the section that continues into the next piece).
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// Rows in order; those before the piece's first heading have no section yet.
    pub rows: Vec<Quantity>,
    /// The piece's last heading and the status its section gives.
    pub last_heading: Option<Section>,
    /// What looks like a number but cannot be read, in order.
    pub suspects: Vec<Suspect>,
    /// Whether the piece holds a traditional character
    /// (`Flat::traditional`), so that its document's year is not looked
    /// for in a folded copy of a text that has none.
    pub traditional: bool,
}

/// A stretch that looks like a number a copy garbled (`47?5%`, a decimal
/// point lost): an exclusion with `warn` matches it, so no row is made of
/// it, and it is warned of rather than passed over in silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// Code-point offset of its first character in the document.
    pub start: usize,
    /// Code-point offset one past its last character.
    pub end: usize,
    /// As written, layout whitespace removed.
    pub text: String,
    /// The exclusion's id.
    pub exclusion: Arc<str>,
    /// The exclusion's `warn`: what is wrong.
    pub why: Arc<str>,
}
/// Extracts quantities with one rule set. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    rules: Arc<RuleSet>,
    /// Interned rule ids, so rows share them.
    ids: Vec<Arc<str>>,
    /// Each rule's named groups by index, found when the rule is first used.
    groups: Vec<OnceLock<groups::Groups>>,
}

impl Extractor {
    /// An extractor for `rules`.
    pub fn new(rules: RuleSet) -> Extractor {
        let ids = rules
            .rules
            .iter()
            .map(|r| Arc::from(r.id.as_str()))
            .collect();
        let groups = rules.rules.iter().map(|_| OnceLock::new()).collect();
        Extractor {
            rules: Arc::new(rules),
            ids,
            groups,
        }
    }

    /// The rule set in use.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Gives rows that come before their piece's first heading the section
    /// that the previous piece ended in, and the status that section implies.
    pub fn continue_section(&self, rows: &mut [Quantity], section: &Option<Section>) {
        let Some((h, frame)) = section else { return };
        for q in rows.iter_mut().take_while(|q| q.section.is_none()) {
            q.section = Some(h.clone());
            annotate::settle_row(q, Some(frame));
        }
    }

    /// Region, year, code (of that year) and type of a report from its
    /// opening text and file name.
    pub fn detect_meta(&self, opening: &str, file_name: &str) -> crate::meaning::meta::Meta {
        self.document_meta(None, opening, file_name, None).0
    }

    /// A report's region, year, level, code and type: what `given` (a
    /// manifest, a stream line) says, each field filled from the text where
    /// it is silent, the code that of the report's year; and (field, given,
    /// found) where the two disagree. `traditional`: whether `opening`
    /// holds a traditional character, when known ([`Extracted::traditional`]).
    pub fn document_meta(
        &self,
        given: Option<&crate::meaning::meta::Meta>,
        opening: &str,
        file_name: &str,
        traditional: Option<bool>,
    ) -> (
        crate::meaning::meta::Meta,
        Vec<(&'static str, String, String)>,
    ) {
        let opening = crate::text::wrap::unwrapped(opening);
        let found = self
            .rules
            .meta
            .detect(&opening, file_name, &self.rules.fold, traditional);
        let (mut meta, clash) = match given {
            None => (found, Vec::new()),
            Some(given) => self.rules.meta.complete(given, found),
        };
        let named = given.is_none_or(|g| g.region.is_empty());
        self.rules.meta.date(&mut meta, named);
        (meta, clash)
    }

    /// All quantities of a whole document, in order.
    pub fn extract(&self, doc: &str) -> Vec<Quantity> {
        let mut out = Vec::new();
        let (mut rest, mut base) = (doc, 0);
        let mut section: Option<Section> = None;
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at(cut_point(rest, PIECE_BYTES));
            let mut got = self.extract_piece(piece, base);
            self.continue_section(&mut got.rows, &section);
            section = got.last_heading.or(section);
            out.extend(got.rows);
            base += piece.chars().count();
            rest = tail;
        }
        out
    }

    /// The quantities of one piece of a document that starts at code point
    /// `char_base`. Pieces must be cut where no quantity spans the cut, as
    /// [`cut_point`] does.
    pub fn extract_chunk(&self, orig: &str, char_base: usize) -> Vec<Quantity> {
        self.extract_piece(orig, char_base).rows
    }

    /// Like [`Extractor::extract_chunk`], with the piece's last section
    /// heading, so that the caller can carry the section into the rows of
    /// the next piece that come before its first heading ([`Extractor::continue_section`]).
    pub fn extract_piece(&self, orig: &str, char_base: usize) -> Extracted {
        // A hard-wrapped text is read as the paragraphs it wraps.
        let orig = &*crate::text::wrap::unwrapped(orig);
        let flat = Flat::new(orig, &self.rules.fold);
        let kept = kept(self, &flat, &mut resolve::Notes::off());
        let readings = annotate::readings(&self.rules, &kept, &flat.text);
        let mut locator = locate::Locator::new(&flat, orig, char_base);
        let mut rows: Vec<Quantity> = kept
            .into_iter()
            .map(|c| locator.row(c, &self.ids))
            .collect();
        let headings =
            annotate::annotate(&self.rules, &mut rows, readings, (orig, &flat), char_base);
        let tables = table::read(&self.rules, orig, char_base);
        if !tables.bodies.is_empty() {
            rows = annotate::with_tables(rows, tables, &headings);
        }
        Extracted {
            rows,
            last_heading: headings.last().map(|(_, s)| s.clone()),
            suspects: suspects(&self.rules, &flat, orig, char_base),
            traditional: flat.traditional,
        }
    }
}

/// The matches of the exclusions that warn ([`Suspect`]) in a piece. Each
/// exclusion searches the whole text on its own, so that the regex engine
/// can skip to the rare character its pattern holds (`?`, `_`).
fn suspects(rules: &RuleSet, flat: &Flat, orig: &str, char_base: usize) -> Vec<Suspect> {
    let mut found = Vec::new();
    for x in &rules.excludes {
        if x.warn.is_some() {
            let matches = x.regex.get().find_iter(&flat.text);
            found.extend(matches.map(|m| (m.start(), m.end(), x)));
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|&(s, e, _)| (s, e));
    let mut locator = locate::Locator::new(flat, orig, char_base);
    found
        .into_iter()
        .map(|(s, e, x)| {
            let (start, end, text) = locator.span(s, e);
            Suspect {
                start,
                end,
                text,
                exclusion: Arc::from(x.id.as_str()),
                why: Arc::from(x.warn.as_deref().unwrap_or_default()),
            }
        })
        .collect()
}

/// Stages 1 to 3: the candidates that become rows, qualified, in text order.
fn kept(ex: &Extractor, flat: &Flat, notes: &mut resolve::Notes) -> Vec<candidate::Candidate> {
    let (rules, text) = (&*ex.rules, flat.text.as_str());
    let cands = matching::candidates(rules, &ex.groups, text, notes);
    resolve::settle(rules, cands, text, notes)
}

impl Quantity {
    /// The year of the report the row is in: its part's, else the document's.
    pub fn report_year(&self, meta: &crate::meaning::meta::Meta) -> Option<i32> {
        self.part_year.or_else(|| meta.year.parse().ok())
    }

    /// The `value` column.
    pub fn value_str(&self) -> String {
        numeral::format_value(&self.value)
    }

    /// The `value_max` column (empty when not a range).
    pub fn value_max_str(&self) -> String {
        self.value_max
            .as_ref()
            .map(numeral::format_value)
            .unwrap_or_default()
    }

    /// The row as a rule example writes it: `TEXT = VALUE[~MAX] [UNIT] [QUALIFIER]`.
    pub fn summary(&self) -> String {
        let mut s = format!("{} = {}", self.text, self.value_str());
        if self.value_max.is_some() {
            s.push('~');
            s.push_str(&self.value_max_str());
        }
        for part in [&*self.unit, self.qualifier.unwrap_or("")] {
            if !part.is_empty() {
                s.push(' ');
                s.push_str(part);
            }
        }
        s
    }
}
