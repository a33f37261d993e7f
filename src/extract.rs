//! Matching: runs the rule set over prepared text and turns matches into
//! [`Quantity`] rows — value, unit, qualifier, context — with offsets in the
//! original document.

use std::collections::BTreeMap;
use std::sync::Arc;

use num_traits::{CheckedAdd, CheckedDiv, CheckedMul};
use regex::Captures;

use crate::decode::cut_point;
use crate::normalize::{squeeze, Flat};
use crate::numeral::{self, Numeral, Value};
use crate::rules::{Rule, RuleSet};
use crate::status::{settle, Basis, Cues, Frame, Period};

/// Longest context SPEC §2 allows, in characters.
const CONTEXT_CHARS: usize = 160;
/// How far (in bytes) to look for a sentence's end before giving up and cutting.
const SENTENCE_SEARCH: usize = 1200;
/// Documents are worked through in pieces of about this many bytes, cut at
/// sentence ends ([`Extractor::extract`] and the batch default), so working
/// memory stays small.
pub(crate) const PIECE_BYTES: usize = 1 << 20;

/// One quantity found in a document: a row of SPEC §2 without the `doc` column.
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
    /// One of [`crate::units::KINDS`].
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
    /// `target`, `estimate`, `actual` or `plan` ([`crate::status`]), when
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
}

/// A match that passed its rule's checks, before overlaps are resolved.
struct Candidate {
    start: usize,
    end: usize,
    rule: usize,
    value: Value,
    value_max: Option<Value>,
    unit: Arc<str>,
    kind: Arc<str>,
    more_than: bool,
    /// Flat byte ranges of the magnitude words and of the written unit.
    unit_raw: [(usize, usize); 2],
    /// The written unit's factor (1 for a bare number).
    factor: Value,
    /// No unit was written (`5575万`).
    bare: bool,
    qualifier: Option<(&'static str, Side)>,
    /// Flat byte range of the sentence that holds it.
    sentence: (usize, usize),
}

/// Where a qualifier was written, which decides how it spreads over an
/// enumeration: `7%、8%左右` qualifies both, as does `超过5%、8%`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Inside,
    Before,
    After,
}

/// Why a match of a rule did not become a row; [`Extractor::explain`] says.
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
        })
    }
}

/// What happened to one match, kept when explaining.
#[derive(Debug, Clone)]
enum Fate {
    Rejected(Reject),
    Excluded,
    /// Lost to an overlapping candidate: its flat span and rule.
    Overlapped(usize, usize, usize),
}

/// Matches that did not become rows, when explaining; `None` otherwise.
type Notes = Option<Vec<(usize, usize, usize, Fate)>>;

fn note(notes: &mut Notes, start: usize, end: usize, rule: usize, fate: Fate) {
    if let Some(n) = notes {
        n.push((start, end, rule, fate));
    }
}

/// Words that join the items of an enumeration.
const ENUM_JOINS: &[&str] = &["、", "和", "及", "与", "或", "至"];

/// Extracts quantities with one rule set. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    rules: Arc<RuleSet>,
    /// Interned rule ids, so rows share them.
    ids: Vec<Arc<str>>,
}

impl Extractor {
    /// An extractor for `rules`.
    pub fn new(rules: RuleSet) -> Extractor {
        let ids = rules
            .rules
            .iter()
            .map(|r| Arc::from(r.id.as_str()))
            .collect();
        Extractor {
            rules: Arc::new(rules),
            ids,
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
            settle_row(q, Some(frame));
        }
    }

    /// Indicator, change and status cues of each kept candidate. Items of an
    /// enumeration (`PM10、PM2.5同比分别改善5.94%、8.77%`) take theirs from
    /// the first item, its indicators paired with them in order.
    fn readings(&self, kept: &[Candidate], text: &str) -> Vec<(crate::indicator::Reading, Cues)> {
        let ir = &self.rules.indicators;
        let mut out: Vec<crate::indicator::Reading> = Vec::with_capacity(kept.len());
        let mut cues = Vec::with_capacity(kept.len());
        let mut prev_end = 0;
        // Which readings took the figure before's indicator.
        let mut inherited = Vec::with_capacity(kept.len());
        for c in kept {
            let floor = prev_end.max(c.sentence.0).min(c.start);
            let before = crate::indicator::clause_before(text, floor, c.start);
            let after = crate::indicator::clause_after(text, c.end);
            // Bounded like the context, so that a text without sentence ends is not re-read per figure.
            let near = floor_boundary(text, c.start.saturating_sub(SENTENCE_SEARCH));
            let sentence_before = &text[c.sentence.0.max(near).min(c.start)..c.start];
            let full_before = &text[full_sentence_start(text, c.start)..c.start];
            let mut r = ir.read(before, after, &c.kind);
            cues.push(Cues {
                shared: ir.shares(before),
                ..self
                    .rules
                    .status
                    .cues([sentence_before, full_before, before, after], |s| {
                        ir.id_of(s).is_some()
                    })
            });
            // `国内生产总值114万亿元，增长8.1%` and `赤字规模5.66万亿元、比上年增加1.6万亿元`:
            // a figure soon after another in its sentence, with no indicator
            // of its own, is of the other's, across a remark with no number
            // (`100.6亿元，历史性突破百亿大关，增长7.2%`).
            let gap = &text[prev_end.min(c.start)..c.start];
            let follows = prev_end > 0
                && prev_end >= c.sentence.0
                && gap.chars().count() <= 16
                && !gap.contains(|ch: char| ch.is_ascii_digit());
            inherited.push(r.indicator.is_empty() && follows);
            if r.indicator.is_empty() && follows {
                if let Some(last) = out.last() {
                    r.indicator = last.indicator.clone();
                    r.indicator_id = last.indicator_id.clone();
                }
            } else if r.indicator.is_empty() && r.change.is_some() && &*c.kind == "percent" {
                // `地区生产总值跨越千亿台阶，增长7%以上`: the growth rate is of
                // the indicator the clause before opens with.
                let head = text[floor..c.start - before.len()].trim_end_matches(',');
                let clause = crate::indicator::clause_before(text, floor, floor + head.len());
                if let Some(named) = ir.leading_name(clause) {
                    r.indicator = named.indicator;
                    r.indicator_id = named.indicator_id;
                }
            }
            out.push(r);
            prev_end = c.end;
        }
        let joined = |a: &Candidate, b: &Candidate| self.joined(text, a, b);
        let mut i = 0;
        while i < kept.len() {
            let mut j = i;
            while j + 1 < kept.len() && joined(&kept[j], &kept[j + 1]) {
                j += 1;
            }
            let n = j - i + 1;
            // `收入、预算收入分别完成15.69亿元、8.8亿元，同比分别增长10.6%、9.4%`,
            // `城镇居民…9422元，农村居民…2936元，…分别实际增长7.7%和6.8%`: a list
            // with no name of its own after as many parallel figures of its
            // sentence, each named differently, is of their indicators, in order.
            let echoes = j > i && inherited[i] && i >= n && {
                let before = &kept[i - n..i];
                let names = &out[i - n..i];
                before
                    .iter()
                    .all(|b| b.sentence == kept[i].sentence && b.kind == before[0].kind)
                    && names.iter().enumerate().all(|(a, r)| {
                        !r.indicator.is_empty()
                            && !inherited[i - n + a]
                            && names[..a].iter().all(|o| o.indicator != r.indicator)
                    })
            };
            if echoes {
                for k in 0..n {
                    let (indicator, id) = (
                        out[i - n + k].indicator.clone(),
                        out[i - n + k].indicator_id.clone(),
                    );
                    out[i + k].indicator = indicator;
                    out[i + k].indicator_id = id;
                    out[i + k].change = out[i + k].change.or(out[i].change);
                }
            } else if j == i && cues[i].shared {
                // `城乡居民人均可支配收入分别增长7.5%`: the number is each item's, no one id.
                if ir.items(&out[i].indicator).is_some() {
                    out[i].indicator_id = None;
                }
            } else if j > i {
                let head = out[i].clone();
                let parts = ir.split_list(&head.indicator, n);
                for (k, r) in out[i..=j].iter_mut().enumerate() {
                    if let Some(parts) = &parts {
                        r.indicator = parts[k].clone();
                        r.indicator_id = ir.id_of(&r.indicator);
                    } else if r.indicator.is_empty() {
                        r.indicator = head.indicator.clone();
                        r.indicator_id = head.indicator_id.clone();
                    }
                    r.change = r.change.or(head.change);
                }
            }
            i = j + 1;
        }
        out.into_iter().zip(cues).collect()
    }

    /// Whether `b` is the next item of an enumeration that `a` is in (`、`,
    /// `和`…). A qualifier after a number does not break the list
    /// (`分别增长6.5%左右、7.5%左右`).
    fn joined(&self, text: &str, a: &Candidate, b: &Candidate) -> bool {
        let gap = &text[a.end..b.start];
        let gap = self
            .rules
            .qualifiers
            .after
            .iter()
            .find_map(|q| gap.strip_prefix(q.word.as_str()))
            .unwrap_or(gap);
        ENUM_JOINS.contains(&gap)
    }

    /// Region and year of a report from its opening text and file name.
    pub fn detect_meta(&self, opening: &str, file_name: &str) -> crate::meta::Meta {
        self.rules.meta.detect(opening, file_name, &self.rules.fold)
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
    /// the next piece that come before its first heading ([`continue_section`]).
    pub fn extract_piece(&self, orig: &str, char_base: usize) -> Extracted {
        let flat = Flat::new(orig, &self.rules.fold);
        let kept = self.kept(&flat, &mut None);
        let readings = self.readings(&kept, &flat.text);
        let mut cursor = CharCursor::new(orig, char_base);
        let mut sentence = Sentence::default();
        let mut rows: Vec<Quantity> = kept
            .into_iter()
            .map(|c| self.row(c, &flat, orig, &mut cursor, &mut sentence))
            .collect();
        let headings = self.annotate(&mut rows, readings, orig, char_base);
        Extracted {
            rows,
            last_heading: headings.last().map(|(_, s)| s.clone()),
        }
    }

    /// Gives rows their indicator, change and cues, then their section and
    /// the status and period it settles; returns the piece's headings (at
    /// code-point offsets) with the frames they open.
    fn annotate(
        &self,
        rows: &mut [Quantity],
        readings: Vec<(crate::indicator::Reading, Cues)>,
        orig: &str,
        char_base: usize,
    ) -> Vec<(usize, Section)> {
        for (q, (r, cues)) in rows.iter_mut().zip(readings) {
            q.indicator = r.indicator;
            q.indicator_id = r.indicator_id;
            q.change = r.change;
            q.cues = cues;
        }
        let mut at = CharCursor::new(orig, char_base);
        let mut frame = Frame::default();
        let headings: Vec<(usize, Section)> = self
            .rules
            .meta
            .headings(orig)
            .into_iter()
            .filter_map(|(b, h)| {
                frame = self.rules.status.frame(&self.rules.fold.str(&h), frame)?;
                Some((at.at(b), (h, frame)))
            })
            .collect();
        for q in rows.iter_mut() {
            let section = section_at(&headings, q.start);
            q.section = section.map(|(h, _)| h.clone());
            settle_row(q, section.map(|(_, f)| f));
        }
        headings
    }

    /// The candidates that become rows, qualified, in text order.
    fn kept(&self, flat: &Flat, notes: &mut Notes) -> Vec<Candidate> {
        let text = flat.text.as_str();
        let mut cands = Vec::new();
        let mut start = 0;
        for end in sentence_ends(text) {
            if end > start {
                self.sentence(text, start, end, &mut cands, notes);
            }
            start = end;
        }
        let mut kept = resolve(cands, notes);
        self.qualify(&mut kept, text);
        kept
    }

    /// Every row of `text` with how it was made, and every match that was
    /// turned down and why: what `shuliang explain` prints.
    pub fn explain(&self, text: &str) -> Explanation {
        let flat = Flat::new(text, &self.rules.fold);
        let mut notes: Notes = Some(Vec::new());
        let kept = self.kept(&flat, &mut notes);
        let readings = self.readings(&kept, &flat.text);
        let mut cursor = CharCursor::new(text, 0);
        let mut sentence = Sentence::default();
        let ftext = flat.text.as_str();
        let chars = |cursor: &mut CharCursor, s: usize, e: usize| {
            let (os, oe) = flat.orig_range(text, s, e);
            (cursor.at(os), cursor.at(oe), squeeze(&text[os..oe]))
        };
        let mut rows = Vec::new();
        for c in kept {
            let rule = &self.rules.rules[c.rule];
            let groups = rule
                .regex
                .captures_at(&ftext[..c.sentence.1], c.start)
                .map(|caps| {
                    rule.regex
                        .capture_names()
                        .flatten()
                        .filter_map(|n| {
                            caps.name(n)
                                .map(|m| (n.to_string(), m.as_str().to_string()))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let factor = c.factor;
            let quantity = self.row(c, &flat, text, &mut cursor, &mut sentence);
            rows.push(Explained {
                quantity,
                groups,
                factor,
                basis: Basis::Nothing,
            });
        }
        let mut quantities: Vec<Quantity> = rows.iter().map(|r| r.quantity.clone()).collect();
        let headings = self.annotate(&mut quantities, readings, text, 0);
        for (r, q) in rows.iter_mut().zip(quantities) {
            r.basis = settle(&q.cues, section_at(&headings, q.start).map(|(_, f)| f)).2;
            r.quantity = q;
        }
        let mut rejected = Vec::new();
        for (s, e, ri, fate) in notes.unwrap_or_default() {
            let (start, end, written) = chars(&mut cursor, s, e);
            let reason = match fate {
                Fate::Rejected(r) => r.to_string(),
                Fate::Excluded => {
                    let hit = self.rules.excludes.iter().find(|x| {
                        x.regex
                            .find_iter(ftext)
                            .any(|m| m.start() < e && s < m.end())
                    });
                    match hit {
                        Some(x) => format!(
                            "overlaps exclusion `{}` ({}:{})",
                            x.id, self.rules.source, x.line
                        ),
                        None => "overlaps an exclusion".to_string(),
                    }
                }
                Fate::Overlapped(ws, we, wr) => {
                    let (_, _, w) = chars(&mut cursor, ws, we);
                    format!(
                        "overlaps the longer (or earlier rule's) match `{w}` of rule `{}`",
                        self.ids[wr]
                    )
                }
            };
            rejected.push(Rejection {
                start,
                end,
                text: written,
                rule: self.ids[ri].to_string(),
                reason,
            });
        }
        rejected.sort_by_key(|r| (r.start, r.end));
        Explanation { rows, rejected }
    }

    /// Candidates of the sentence `start..end` of `text`. Quantities never
    /// cross a sentence end, so the rules that cannot match it are skipped
    /// after one pass of the combined automaton.
    fn sentence(
        &self,
        text: &str,
        start: usize,
        end: usize,
        cands: &mut Vec<Candidate>,
        notes: &mut Notes,
    ) {
        let hits = self.rules.set.matches(&text[start..end]);
        if !hits.matched_any() {
            return;
        }
        // The text before `start` stays visible to look-behind (`\b`, `[^0-9]元`).
        let hay = &text[..end];
        let excluded = self.exclusions(hay, start);
        for ri in hits.iter() {
            let rule = &self.rules.rules[ri];
            let mut at = start;
            while let Some(caps) = rule.regex.captures_at(hay, at) {
                let m = caps.get(0).expect("group 0");
                at = if m.end() > m.start() {
                    m.end()
                } else {
                    next_boundary(hay, m.end())
                };
                let done = at >= end;
                if is_excluded(&excluded, m.start(), m.end()) {
                    note(notes, m.start(), m.end(), ri, Fate::Excluded);
                    continue;
                }
                match self.candidate(ri, rule, &caps, text) {
                    Ok(mut c) => {
                        c.sentence = (start, end);
                        cands.push(c);
                    }
                    Err(why) => note(notes, m.start(), m.end(), ri, Fate::Rejected(why)),
                }
                if done {
                    break;
                }
            }
        }
    }

    /// Spans of every exclusion match in `hay` from `from`, merged, sorted and disjoint.
    fn exclusions(&self, hay: &str, from: usize) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut at = from;
        while let Some(m) = self.rules.excluded.find_at(hay, at) {
            spans.push((m.start(), m.end()));
            at = if m.end() > m.start() {
                m.end()
            } else {
                next_boundary(hay, m.end())
            };
            if at >= hay.len() {
                break;
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s < last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
    }

    fn candidate(
        &self,
        ri: usize,
        rule: &Rule,
        caps: &Captures,
        text: &str,
    ) -> Result<Candidate, Reject> {
        let m = caps.get(0).expect("group 0");
        let num_m = caps.name("num").ok_or(Reject::Number)?;
        let num = match numeral::parse(num_m.as_str()) {
            Some(n) => n,
            // `米七` (1.7 m): a unit with only a tail is one of it.
            None if num_m.as_str().is_empty() && caps.name("tail").is_some() => {
                numeral::parse("一").ok_or(Reject::Number)?
            }
            None => return Err(Reject::Number),
        };
        let qualified = caps.name("more").is_some() || self.bare_magnitude_allowed(text, m.start());
        if caps.name("num_max").is_none() {
            // A range's lower end is checked once it has the upper end's magnitude.
            self.acceptable(rule, &num, qualified)?;
        }

        let bare = caps.name("unit").is_none();
        let (unit, kind, factor, unit_span) = match caps.name("unit") {
            // A rate (`元/斤`): the unit per another, normalized on both sides.
            Some(u) if caps.name("per").is_some() => {
                let per = caps.name("per").ok_or(Reject::Unit)?;
                let (def, per_def) = (
                    self.rules.units.get(u.as_str()).ok_or(Reject::Unit)?,
                    self.rules.units.get(per.as_str()).ok_or(Reject::Unit)?,
                );
                (
                    Arc::from(format!("{}/{}", def.unit, per_def.unit).as_str()),
                    Arc::from(def.kind.as_str()),
                    def.factor
                        .checked_div(&per_def.factor)
                        .ok_or(Reject::Overflow)?,
                    (u.start(), per.end()),
                )
            }
            Some(u) => {
                let def = self.rules.units.get(u.as_str()).ok_or(Reject::Unit)?;
                (
                    Arc::from(def.unit.as_str()),
                    Arc::from(def.kind.as_str()),
                    def.factor,
                    (u.start(), u.end()),
                )
            }
            None => {
                let (k, u) = rule.bare.as_ref().ok_or(Reject::Unit)?;
                (
                    Arc::from(u.as_str()),
                    Arc::from(k.as_str()),
                    Value::from(1),
                    (num_m.end(), num_m.end()),
                )
            }
        };
        let mut number = num.value;
        if caps.name("half").is_some() {
            if !number.is_integer() {
                return Err(Reject::Number);
            }
            number += Value::new(1, 2);
        }
        let mut value = number.checked_mul(&factor).ok_or(Reject::Overflow)?;
        // Minor units: 元角分, 斤两, 尺寸.
        let mut last_factor = factor;
        for (n, u) in [("num2", "unit2"), ("num3", "unit3")] {
            if let (Some(nm), Some(um)) = (caps.name(n), caps.name(u)) {
                let def = self.rules.units.get(um.as_str()).ok_or(Reject::Unit)?;
                let part = numeral::parse(nm.as_str()).ok_or(Reject::Number)?.value;
                let part = part.checked_mul(&def.factor).ok_or(Reject::Overflow)?;
                value = value.checked_add(&part).ok_or(Reject::Overflow)?;
                last_factor = def.factor;
            }
        }
        // A tail of digits after the last unit counts in the places below it,
        // the lower unit left unsaid: 三块五 is 3.5, 1米75 is 1.75, 七成六 is 76%.
        if let Some(t) = caps.name("tail") {
            let places = t.as_str().chars().count();
            let digits = numeral::parse(t.as_str()).ok_or(Reject::Number)?.value;
            let scale = u32::try_from(places)
                .ok()
                .and_then(|p| 10i128.checked_pow(p))
                .map(|d| Value::new(1, d))
                .ok_or(Reject::Overflow)?;
            let part = digits
                .checked_mul(&scale)
                .and_then(|p| p.checked_mul(&last_factor))
                .ok_or(Reject::Overflow)?;
            value = value.checked_add(&part).ok_or(Reject::Overflow)?;
        }
        // `pre` and `post` are context the pattern needs, not part of the mention.
        let mut start = caps.name("pre").map_or(m.start(), |p| p.end());
        let end = caps.name("post").map_or(m.end(), |p| p.start());
        if let Some(sign) = caps.name("neg") {
            if is_sign(text, sign.start()) {
                value = -value;
            } else {
                start = sign.end();
            }
        }
        let value_max = match caps.name("num_max") {
            None => None,
            Some(hm) => {
                let hi = numeral::parse(hm.as_str()).ok_or(Reject::Number)?;
                self.acceptable(rule, &hi, qualified)?;
                let mut lo = num.value;
                // `1-2万元` is 1万 to 2万, `一百二十到一百五十万` 120万 to 150万: the
                // upper end's 万/亿 is shared when the lower end has none and
                // stays below it with it (`从8500到3万` is not 8500万).
                let (lo_s, hi_s) = (num_m.as_str(), hm.as_str());
                let big = |s: &str| s.len() - s.trim_end_matches(['万', '亿']).len();
                if big(lo_s) == 0 && big(hi_s) > 0 && caps.name("unit_lo").is_none() {
                    let mag = numeral::parse(&hi_s[hi_s.len() - big(hi_s)..])
                        .ok_or(Reject::Number)?
                        .value;
                    let shared = lo.checked_mul(&mag).ok_or(Reject::Overflow)?;
                    if shared < hi.value {
                        lo = shared;
                    }
                }
                let lo_num = Numeral {
                    value: lo,
                    ..num.clone()
                };
                self.acceptable(rule, &lo_num, qualified)?;
                let lo_unit = caps
                    .name("unit_lo")
                    .and_then(|u| self.rules.units.get(u.as_str()));
                let lo_factor = lo_unit.map_or(factor, |d| d.factor);
                value = lo.checked_mul(&lo_factor).ok_or(Reject::Overflow)?;
                let hi_value = hi.value.checked_mul(&factor).ok_or(Reject::Overflow)?;
                if hi_value <= value {
                    return Err(Reject::Range);
                }
                Some(hi_value)
            }
        };
        // The magnitude words ending the number belong to the unit as written
        // (`亿` of `46.11亿元`), the `余` or `多` after them do not.
        let mag_end = num_m.end() - trailing_more(num_m.as_str());
        let mut unit_raw = [(mag_end - num.magnitude_suffix, mag_end), unit_span];
        unit_raw.sort_unstable();
        Ok(Candidate {
            start,
            end,
            rule: ri,
            value,
            value_max,
            unit,
            kind,
            more_than: num.more_than || caps.name("more").is_some(),
            unit_raw,
            factor,
            bare,
            qualifier: None,
            sentence: (0, 0),
        })
    }

    /// Checks a number against its rule's limits.
    fn acceptable(&self, rule: &Rule, num: &Numeral, qualified: bool) -> Result<(), Reject> {
        if num.magnitude_only && !num.more_than && !qualified && !rule.magnitude_only {
            return Err(Reject::BareMagnitude);
        }
        if let Some(min) = &rule.min_chinese {
            if !num.arabic && num.value < *min {
                return Err(Reject::SmallChinese);
            }
        }
        Ok(())
    }

    fn row(
        &self,
        c: Candidate,
        flat: &Flat,
        orig: &str,
        cursor: &mut CharCursor,
        sentence: &mut Sentence,
    ) -> Quantity {
        let (os, oe) = flat.orig_range(orig, c.start, c.end);
        let unit_raw: String = c
            .unit_raw
            .iter()
            .map(|&(s, e)| {
                let (os, oe) = flat.orig_range(orig, s, e);
                squeeze(&orig[os..oe])
            })
            .collect();
        let qualifier = c.qualifier.map(|(q, _)| q);
        let start = cursor.at(os);
        let end = cursor.at(oe);
        Quantity {
            start,
            end,
            text: squeeze(&orig[os..oe]),
            value: c.value,
            value_max: c.value_max,
            unit: c.unit,
            kind: c.kind,
            qualifier,
            unit_raw,
            rule: self.ids[c.rule].clone(),
            context: sentence.context(flat, orig, c.sentence, c.start, c.end),
            section: None,
            indicator: String::new(),
            indicator_id: None,
            change: None,
            status: None,
            refers_to: None,
            part_year: None,
            cues: Cues::default(),
        }
    }

    /// Qualifiers of kept candidates, spread over enumerations; bare items
    /// of an enumeration take the unit of the item that has one
    /// (`15万、10万、5万元` are all CNY).
    fn qualify(&self, kept: &mut [Candidate], text: &str) {
        for c in kept.iter_mut() {
            c.qualifier = if c.more_than {
                Some(("more_than", Side::Inside))
            } else {
                self.word_after(text, c.end, &c.kind)
                    .map(|q| (q, Side::After))
                    .or_else(|| {
                        self.word_before(text, c.start, &c.kind)
                            .map(|q| (q, Side::Before))
                    })
            };
        }
        let joined = |a: &Candidate, b: &Candidate| self.joined(text, a, b);
        for i in (1..kept.len()).rev() {
            let (head, tail) = kept.split_at_mut(i);
            let (a, b) = (&mut head[i - 1], &tail[0]);
            if !joined(a, b) {
                continue;
            }
            // `高1个、0.2个百分点`: a unit that is the start of the next
            // item's (`个` of `个百分点`) is that unit, shared backwards.
            let (ua, ub) = (a.unit_raw[1], b.unit_raw[1]);
            let (wa, wb) = (&text[ua.0..ua.1], &text[ub.0..ub.1]);
            if !a.bare
                && a.kind != b.kind
                && !wa.is_empty()
                && wb.len() > wa.len()
                && wb.starts_with(wa)
            {
                if let Some(v) = a
                    .value
                    .checked_div(&a.factor)
                    .and_then(|n| n.checked_mul(&b.factor))
                {
                    a.value = v;
                    a.unit = b.unit.clone();
                    a.kind = b.kind.clone();
                    a.factor = b.factor;
                }
            }
            if a.bare && !b.bare && a.value_max.is_none() {
                if let Some(v) = a.value.checked_mul(&b.factor) {
                    a.value = v;
                    a.unit = b.unit.clone();
                    a.kind = b.kind.clone();
                    a.factor = b.factor;
                    a.bare = false;
                }
            }
            if a.qualifier.is_none() && a.kind == b.kind {
                a.qualifier = b.qualifier.filter(|(_, side)| *side == Side::After);
            }
        }
        for i in 1..kept.len() {
            let (head, tail) = kept.split_at_mut(i);
            let (a, b) = (&head[i - 1], &mut tail[0]);
            if b.qualifier.is_none() && a.kind == b.kind && joined(a, b) {
                b.qualifier = a.qualifier.filter(|(_, side)| *side == Side::Before);
            }
        }
    }

    fn word_after(&self, text: &str, end: usize, kind: &str) -> Option<&'static str> {
        let after = &text[end..];
        let w = self
            .rules
            .qualifiers
            .after
            .iter()
            .find(|w| after.starts_with(w.word.as_str()))?;
        w.qualifier
            .filter(|_| !w.except_kinds.iter().any(|k| k == kind))
    }

    fn word_before(&self, text: &str, start: usize, kind: &str) -> Option<&'static str> {
        let before = &text[..start];
        let w = self
            .rules
            .qualifiers
            .before
            .iter()
            .find(|w| before.ends_with(w.word.as_str()))?;
        w.qualifier
            .filter(|_| !w.except_kinds.iter().any(|k| k == kind))
    }

    /// A bare magnitude (`万`, `亿`) is a quantity only when something says
    /// so: `万余名`, `近亿元`, `突破千亿元`; `亿元以上项目` names a class.
    fn bare_magnitude_allowed(&self, text: &str, start: usize) -> bool {
        let before = &text[..start];
        let q = &self.rules.qualifiers;
        q.before
            .iter()
            .any(|w| w.qualifier.is_some() && before.ends_with(w.word.as_str()))
            && !q
                .before
                .iter()
                .any(|w| w.qualifier.is_none() && before.ends_with(w.word.as_str()))
            || q.bare_after.iter().any(|w| before.ends_with(w.as_str()))
    }
}

/// Where the sentence that holds flat byte `at` begins when only `。!?`
/// end sentences (a `；` list of targets is one sentence), looking back at
/// most [`SENTENCE_SEARCH`] bytes.
fn full_sentence_start(text: &str, at: usize) -> usize {
    let from = floor_boundary(text, at.saturating_sub(SENTENCE_SEARCH));
    text[from..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '。' | '!' | '?' | '！' | '？'))
        .map_or(from, |(i, c)| from + i + c.len_utf8())
}

/// The section (heading and frame) that code point `at` sits under.
fn section_at(headings: &[(usize, Section)], at: usize) -> Option<&Section> {
    let i = headings.partition_point(|(s, _)| *s <= at);
    i.checked_sub(1).map(|i| &headings[i].1)
}

/// Settles a row's status and period from its cues and its section's frame.
fn settle_row(q: &mut Quantity, frame: Option<&Frame>) {
    let (status, period, _) = settle(&q.cues, frame);
    q.status = status;
    q.refers_to = period;
    q.part_year = frame.and_then(|f| f.part);
}

/// Whether the `-` or `负` at `at` is a minus sign: not the dash of a range
/// (`6%-7%`), not part of a word (`减负`, `负责`), but after a verb of
/// change or a punctuation mark (`增长-3.5%`, `为负2%`).
fn is_sign(text: &str, at: usize) -> bool {
    if text[at..].starts_with("零下") {
        return true;
    }
    let before = text[..at].chars().next_back();
    match text[at..].chars().next() {
        Some('-') => !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '%' || c == '.'),
        _ => match before {
            None => true,
            Some(c) if ('\u{4e00}'..='\u{9fff}').contains(&c) => {
                "为是到至达率幅值长降比约近".contains(c)
            }
            Some(_) => true,
        },
    }
}

fn trailing_more(num: &str) -> usize {
    num.len() - num.trim_end_matches(['余', '多']).len()
}

fn is_excluded(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    // Spans are disjoint and sorted, so only the last one starting before
    // `end` can reach past `start`.
    let i = spans.partition_point(|&(s, _)| s < end);
    i > 0 && spans[i - 1].1 > start
}

/// Keeps the longest of overlapping candidates (the earlier rule on a tie), in text order.
fn resolve(mut cands: Vec<Candidate>, notes: &mut Notes) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.rule.cmp(&b.rule))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::new();
    let mut winners: BTreeMap<usize, usize> = BTreeMap::new();
    for c in cands {
        let clash = taken
            .range(..c.end)
            .next_back()
            .filter(|(_, &e)| e > c.start);
        match clash {
            Some((&ws, &we)) => {
                if notes.is_some() {
                    let wr = winners[&ws];
                    note(notes, c.start, c.end, c.rule, Fate::Overlapped(ws, we, wr));
                }
            }
            None => {
                taken.insert(c.start, c.end);
                winners.insert(c.start, c.rule);
                kept.push(c);
            }
        }
    }
    kept.sort_by_key(|c| c.start);
    kept
}

/// A row and how it was made.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The row.
    pub quantity: Quantity,
    /// The rule's named groups and what they matched (in folded text).
    pub groups: Vec<(String, String)>,
    /// The factor of the written unit into the normalized one.
    pub factor: Value,
    /// What gave the row its status and period.
    pub basis: Basis,
}

/// A match that did not become a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Code-point offsets of the match.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// The match as written.
    pub text: String,
    /// The rule that matched.
    pub rule: String,
    /// Why it was turned down.
    pub reason: String,
}

/// What [`Extractor::explain`] returns.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// The rows, in order.
    pub rows: Vec<Explained>,
    /// The matches turned down, in order.
    pub rejected: Vec<Rejection>,
}

impl Explanation {
    /// The explanation as `shuliang explain` prints it; with `around`, only
    /// what lies within 200 code points of that offset.
    /// `year` is the report's, for the periods (`refers_to`) of its rows.
    pub fn render(&self, rules: &RuleSet, around: Option<usize>, year: Option<i32>) -> String {
        use std::fmt::Write as _;
        // Around --at: the 200 code points before and after.
        let window =
            |s: usize, end: usize| around.is_none_or(|at| end + 200 >= at && s <= at + 200);
        let line_of = |id: &str| {
            rules
                .rules()
                .iter()
                .find(|r| r.id == id)
                .map_or(0, |r| r.line)
        };
        let mut out = String::new();
        for r in self
            .rows
            .iter()
            .filter(|r| window(r.quantity.start, r.quantity.end))
        {
            let q = &r.quantity;
            let _ = writeln!(
                out,
                "{}  [{}..{}]  rule `{}` ({}:{})",
                q.text,
                q.start,
                q.end,
                q.rule,
                rules.source,
                line_of(&q.rule)
            );
            let groups: Vec<String> = r.groups.iter().map(|(n, v)| format!("{n}={v}")).collect();
            let _ = writeln!(out, "  matched   {}", groups.join("  "));
            let group = |name: &str| {
                r.groups
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            };
            if let Some(n) = group("num").and_then(|n| Some((n, crate::numeral::parse(n)?))) {
                let _ = writeln!(
                    out,
                    "  number    {} = {}",
                    n.0,
                    crate::numeral::format_value(&n.1.value)
                );
            }
            let factor = crate::numeral::format_value(&r.factor);
            let unit = if q.unit.is_empty() {
                "(no unit)"
            } else {
                &q.unit
            };
            let written = group("unit").unwrap_or("(none)");
            let _ = writeln!(
                out,
                "  unit      {written} → {unit} × {factor} ({})",
                q.kind
            );
            let max = if q.value_max.is_some() {
                format!(" to {}", q.value_max_str())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  value     {}{} {}{}",
                q.value_str(),
                max,
                q.unit,
                q.qualifier.map(|x| format!("  ({x})")).unwrap_or_default()
            );
            if !q.indicator.is_empty() || q.change.is_some() {
                let id = q
                    .indicator_id
                    .as_deref()
                    .map(|id| format!(" → {id}"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  measures  {}{id}  ({})",
                    if q.indicator.is_empty() {
                        "(nothing named)"
                    } else {
                        &q.indicator
                    },
                    q.change.unwrap_or("a level")
                );
            }
            let period = q
                .refers_to
                .map(|p| p.render(year))
                .filter(|p| !p.is_empty());
            let _ = writeln!(
                out,
                "  status    {} {}  (by {})",
                q.status.unwrap_or("(none)"),
                period.map_or(String::new(), |p| format!("about {p}")),
                r.basis
            );
            if let Some(h) = &q.section {
                let _ = writeln!(out, "  section   {h}");
            }
            let _ = writeln!(out, "  context   {}", q.context);
        }
        let rejected: Vec<_> = self
            .rejected
            .iter()
            .filter(|r| window(r.start, r.end))
            .collect();
        if !rejected.is_empty() {
            let _ = writeln!(out, "turned down:");
            for r in rejected {
                let _ = writeln!(
                    out,
                    "  {}  [{}..{}]  rule `{}`: {}",
                    r.text, r.start, r.end, r.rule, r.reason
                );
            }
        }
        if out.is_empty() {
            out.push_str("no quantity and no candidate here\n");
        }
        out
    }
}

/// The sentence of the last row, squeezed, kept because neighbouring rows
/// usually share it.
#[derive(Default)]
struct Sentence {
    bounds: (usize, usize),
    chars: Vec<char>,
}

impl Sentence {
    /// The context of the mention at flat bytes `start..end` in `sentence`:
    /// the sentence from the original with layout removed, cut to 160
    /// characters around the mention.
    fn context(
        &mut self,
        flat: &Flat,
        orig: &str,
        sentence: (usize, usize),
        start: usize,
        end: usize,
    ) -> String {
        let text = flat.text.as_str();
        // A "sentence" without punctuation can be a whole table: look no further than this.
        let s = sentence
            .0
            .max(floor_boundary(text, start.saturating_sub(SENTENCE_SEARCH)));
        let e = sentence.1.min(floor_boundary(
            text,
            (end + SENTENCE_SEARCH).min(text.len()),
        ));
        if self.bounds != (s, e) || self.chars.is_empty() {
            let (os, oe) = flat.orig_range(orig, s, e);
            self.bounds = (s, e);
            self.chars = squeeze(&orig[os..oe]).chars().collect();
        }
        let all = &self.chars;
        if all.len() <= CONTEXT_CHARS {
            return all.iter().collect();
        }
        let pre = text[s..start].chars().filter(|&c| c != ' ').count();
        let len = text[start..end].chars().filter(|&c| c != ' ').count();
        let room = CONTEXT_CHARS.saturating_sub(len);
        let after = all.len().saturating_sub(pre + len);
        let mut left = (room / 2).min(pre);
        left += (room - left).saturating_sub(after).min(pre - left);
        let from = pre - left;
        all[from..(from + CONTEXT_CHARS).min(all.len())]
            .iter()
            .collect()
    }
}

/// Byte offsets just past each sentence end (。！？；) and the end of text.
/// An ASCII `?`, `!` or `;` followed by more ASCII is not an end: it is
/// inside a URL or code.
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.match_indices(['。', '!', '?', ';'])
        .map(|(i, d)| i + d.len())
        .filter(|&e| ends_sentence(text, e))
        .chain(std::iter::once(text.len()))
}

fn ends_sentence(text: &str, after: usize) -> bool {
    let prev = text.as_bytes()[after - 1];
    prev >= 0x80 || !text.as_bytes().get(after).is_some_and(u8::is_ascii_graphic)
}

/// The byte offset of the character after the one at `i`.
fn next_boundary(s: &str, i: usize) -> usize {
    s[i..]
        .chars()
        .next()
        .map_or(s.len() + 1, |c| i + c.len_utf8())
}

pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Counts code points up to byte offsets that only move forward.
struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str, base: usize) -> CharCursor<'a> {
        CharCursor {
            text,
            byte: 0,
            chars: base,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            let back = self.text[byte..self.byte].chars().count();
            self.byte = byte;
            self.chars -= back;
        } else {
            self.chars += self.text[self.byte..byte].chars().count();
            self.byte = byte;
        }
        self.chars
    }
}

impl Quantity {
    /// The year of the report the row is in: its part's, else the document's.
    pub fn report_year(&self, meta: &crate::meta::Meta) -> Option<i32> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_counts_code_points() {
        let mut c = CharCursor::new("增长3%", 10);
        assert_eq!(c.at("增长".len()), 12);
        assert_eq!(c.at("增长3%".len()), 14);
        assert_eq!(c.at(0), 10);
    }
}
