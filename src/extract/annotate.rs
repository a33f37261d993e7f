//! Annotation: what each row measures (indicator, change), its status and
//! period cues, and the section it sits under.

use super::candidate::Candidate;
use super::locate::CharCursor;
use super::resolve::joined;
use super::{Quantity, Section};
use crate::meaning::indicator::{IndicatorRules, Reading};
use crate::meaning::status::{settle, Basis, Cues, Frame, Paragraph, Passages};
use crate::rules::RuleSet;
use crate::text::normalize::is_layout;
use crate::text::{floor_boundary, full_sentence_start, Breaks, SENTENCE_SEARCH};

/// Indicator, change and status cues of each kept candidate. Items of an
/// enumeration (`PM10、PM2.5同比分别改善5.94%、8.77%`) take theirs from
/// the first item, its indicators paired with them in order.
pub(super) fn readings(rules: &RuleSet, kept: &[Candidate], text: &str) -> Vec<(Reading, Cues)> {
    let mut own = own_readings(rules, kept, text);
    let joined = |a: &Candidate, b: &Candidate| joined(rules, text, a, b);
    let mut i = 0;
    while i < kept.len() {
        let mut j = i;
        while j + 1 < kept.len() && joined(&kept[j], &kept[j + 1]) {
            j += 1;
        }
        own.share_in_list(rules, kept, i..=j);
        i = j + 1;
    }
    own.readings.into_iter().zip(own.cues).collect()
}

/// Each candidate's reading and cues from its own clause, before lists
/// share theirs.
struct Own {
    readings: Vec<Reading>,
    cues: Vec<Cues>,
    /// Which readings took the figure before's indicator.
    inherited: Vec<bool>,
}

/// The reading and cues of each candidate from the clauses around it; a
/// figure with no indicator of its own takes the one before it, or the
/// one its clause opens with.
fn own_readings(rules: &RuleSet, kept: &[Candidate], text: &str) -> Own {
    let ir = &rules.indicators;
    let mut out: Vec<Reading> = Vec::with_capacity(kept.len());
    let mut cues = Vec::with_capacity(kept.len());
    let mut prev_end = 0;
    // The last figure's offset and the start of its full sentence.
    let mut full = (0, 0);
    let mut inherited = Vec::with_capacity(kept.len());
    for c in kept {
        let floor = prev_end.max(c.sentence.0).min(c.start);
        let before = ir.clause_before(text, floor, c.start);
        let after = ir.clause_after(text, c.end);
        // Bounded like the context, so that a text without sentence ends is not re-read per figure.
        let near = floor_boundary(text, c.start.saturating_sub(SENTENCE_SEARCH));
        let sentence_before = &text[c.sentence.0.max(near).min(c.start)..c.start];
        full = (c.start, full_sentence_start(text, c.start, full));
        let full_before = &text[full.1..c.start];
        let mut r = ir.read(before, after, &c.kind);
        if r.indicator.is_empty() {
            // `居民消费价格上涨幅度不超过3%`, `物价涨幅要从14.8%…`: the clause
            // opens with a listed name that the reading cut away.
            if let Some(named) = ir.leading_name(before) {
                r.indicator = named.indicator;
                r.indicator_id = named.indicator_id;
            }
        }
        let own = Cues {
            shared: ir.shares(before),
            ..rules
                .status
                .cues([sentence_before, full_before, before, after], |s| {
                    ir.id_of(s).is_some()
                })
        };
        // `国内生产总值114万亿元，增长8.1%` and `赤字规模5.66万亿元、比上年增加1.6万亿元`:
        // a figure soon after another in its sentence, with no indicator
        // of its own, is of the other's, across a remark with no number
        // (`100.6亿元，历史性突破百亿大关，增长7.2%`), or across remarks
        // with a number (`2920亿元、总量居全省第5位，增长6.7%`).
        // An earlier target restated after a result (`增长7.8%，虽然略低于8%的预定目标`)
        // is of the result's indicator unless it names one of its own.
        let goal = own.target || own.headline;
        let follows = (r.indicator.is_empty() || (own.restated && r.indicator_id.is_none()))
            && prev_end > 0
            && prev_end >= c.sentence.0
            && ir.carries_over(&text[prev_end.min(c.start)..c.start]);
        cues.push(own);
        inherited.push(follows);
        if follows {
            if let Some(last) = out.last() {
                r.indicator = last.indicator.clone();
                r.indicator_id = last.indicator_id.clone();
            }
        } else if r.indicator.is_empty() && (r.change.is_some() || goal) && &*c.kind == "percent" {
            // `地区生产总值跨越千亿台阶，增长7%以上`: the growth rate is of
            // the indicator the clause before opens with, across a remark
            // (`农村居民人均纯收入，考虑价格下降因素，比上年实际增长4.3%`);
            // so is a goal whose clause names nothing (`增长速度的调控目标，
            // 定为百分之八至九`, `确保物价涨幅明显回落，力争控制在百分之十五左右`).
            if let Some(named) = named_before(ir, text, floor, c.start - before.len()) {
                r.indicator = named.indicator;
                r.indicator_id = named.indicator_id;
            }
        }
        out.push(r);
        prev_end = c.end;
    }
    Own {
        readings: out,
        cues,
        inherited,
    }
}

/// The listed name that the clause before `end` (in the sentence from
/// `floor`) opens with, looked for across one remark.
fn named_before(ir: &IndicatorRules, text: &str, floor: usize, mut end: usize) -> Option<Reading> {
    for _ in 0..2 {
        let head = text[floor..end].trim_end_matches(',');
        let clause = ir.clause_before(text, floor, floor + head.len());
        if let Some(named) = ir.leading_name(clause) {
            return Some(named);
        }
        if clause.is_empty() || !ir.is_remark(clause) {
            return None;
        }
        end = floor + head.len() - clause.len();
    }
    None
}

impl Own {
    /// Shares indicators over the candidates `list` (one figure, or an
    /// enumeration of them joined by `、`, `和`…).
    fn share_in_list(
        &mut self,
        rules: &RuleSet,
        kept: &[Candidate],
        list: std::ops::RangeInclusive<usize>,
    ) {
        let ir = &rules.indicators;
        let (i, j) = (*list.start(), *list.end());
        let n = j - i + 1;
        let echoes = self.echoes(kept, i, n);
        let out = &mut self.readings;
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
        } else if j == i && self.cues[i].shared {
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
            // `年均分别增长9.7%和8.9%`: every item of a 年均 list is a period figure.
            let cues = &mut self.cues;
            let (average, span) = (cues[i].average, cues[i].span);
            for c in &mut cues[i + 1..=j] {
                c.average |= average;
                c.span = c.span.or(span);
            }
        }
    }

    /// `收入、预算收入分别完成15.69亿元、8.8亿元，同比分别增长10.6%、9.4%`,
    /// `城镇居民…9422元，农村居民…2936元，…分别实际增长7.7%和6.8%`: a list
    /// of `n` from `i` with no name of its own after as many parallel figures
    /// of its sentence, each named differently, is of their indicators, in order.
    fn echoes(&self, kept: &[Candidate], i: usize, n: usize) -> bool {
        let (out, inherited) = (&self.readings, &self.inherited);
        n > 1 && inherited[i] && i >= n && {
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
        }
    }
}

/// Gives rows their indicator, change and cues, then their section and
/// the status and period it settles; returns the piece's headings (at
/// code-point offsets) with the frames they open.
pub(super) fn annotate(
    rules: &RuleSet,
    rows: &mut [Quantity],
    readings: Vec<(Reading, Cues)>,
    orig: &str,
    char_base: usize,
) -> Vec<(usize, Section)> {
    for (q, (r, cues)) in rows.iter_mut().zip(readings) {
        q.indicator = r.indicator;
        q.indicator_id = r.indicator_id;
        q.change = r.change;
        q.cues = Cues {
            bound_before: q.cues.bound_before,
            ..cues
        };
    }
    let mut at = CharCursor::new(orig, char_base);
    let mut frame = Frame::default();
    // Each heading's byte offset beside it, where its passages are read from.
    let (headings, heading_bytes): (Vec<(usize, Section)>, Vec<usize>) = rules
        .meta
        .headings(orig)
        .into_iter()
        .filter_map(|(b, h)| {
            frame = rules.status.frame(&rules.fold.str(&h), frame)?;
            Some(((at.at(b), (h, frame)), b))
        })
        .unzip();
    let mut passages = Passages::default();
    let mut bytes = ByteCursor::new(orig, char_base);
    // The folded paragraph so far: (its start, how far it is read, the text,
    // what it says). Rows of one paragraph extend it instead of reading it
    // again each.
    let mut para = (usize::MAX, 0, String::new(), Paragraph::default());
    let mut breaks = Breaks::default();
    for q in rows.iter_mut() {
        let at = bytes.at(q.start);
        let start = breaks.paragraph_start(orig, at);
        if start != para.0 || at < para.1 {
            para = (start, start, String::new(), Paragraph::default());
        }
        para.2.extend(
            orig[para.1..at]
                .chars()
                .filter(|&c| !is_layout(c))
                .map(|c| rules.fold.char(c)),
        );
        para.1 = at;
        let (headline, status, year) = para.3.read(&rules.status, &para.2);
        q.cues.headline |= headline;
        q.cues.paragraph = status;
        q.cues.paragraph_year = year;
        let i = headings.partition_point(|(s, _)| *s <= q.start);
        if let Some(i) = i.checked_sub(1) {
            let (h, f) = &headings[i].1;
            let fold = |t: &str| rules.fold.str(t);
            q.cues.passage = passages.at(&rules.status, fold, orig, (heading_bytes[i], h, f), at);
        }
        let section = section_at(&headings, q.start);
        q.section = section.map(|(h, _)| h.clone());
        settle_row(q, section.map(|(_, f)| f));
    }
    headings
}

/// The rows of a piece with its tables read: prose rows inside a table's
/// body (but for its text cells' sentences) give way to the table's own,
/// which take the section they sit
/// under, its status (a bulletin's figures are results) and their
/// column's year.
pub(super) fn with_tables(
    prose: Vec<Quantity>,
    tables: super::table::Read,
    headings: &[(usize, Section)],
) -> Vec<Quantity> {
    let body = |at: usize| tables.bodies.iter().find(|&&(s, e)| s <= at && at < e);
    let sentence = |q: &Quantity| {
        tables
            .prose
            .iter()
            .any(|&(s, e)| s <= q.start && q.end <= e)
    };
    let mut out: Vec<Quantity> = prose
        .into_iter()
        .filter(|q| body(q.start).is_none() || sentence(q))
        .collect();
    for mut q in tables.rows {
        // Rows of a table may look like headings (`一、食品烟酒 99.2`): the
        // table's section is where it starts.
        let start = body(q.start).map_or(q.start, |b| b.0);
        let section = section_at(headings, start);
        // The column's year and status (`目标值`) are the table's word.
        let (year, status) = (q.refers_to, q.status);
        q.section = section.map(|(h, _)| h.clone());
        settle_row(&mut q, section.map(|(_, f)| f));
        q.refers_to = year.or(q.refers_to);
        q.status = status.or(q.status).or(Some(crate::meaning::status::ACTUAL));
        out.push(q);
    }
    out.sort_by_key(|q| q.start);
    out
}

/// The section (heading and frame) that code point `at` sits under.
pub(super) fn section_at(headings: &[(usize, Section)], at: usize) -> Option<&Section> {
    let i = headings.partition_point(|(s, _)| *s <= at);
    i.checked_sub(1).map(|i| &headings[i].1)
}

/// Settles a row's status and period from its cues and its section's frame.
pub(super) fn settle_row(q: &mut Quantity, frame: Option<&Frame>) {
    // A base year is of a change, a multiple or a share of the base year's
    // figure (`是2019年的113.7%`); a level keeps its year.
    if q.change.is_none() && !matches!(&*q.kind, "multiple" | "percent") {
        q.cues.base = None;
    }
    let (status, period, basis) = settle(&q.cues, frame);
    // `虽然略低于8%的预定目标`: the word before is the result's comparison
    // with the target, not a bound of the target (`9%以上的预期目标` is).
    if basis == Basis::Restated && q.cues.bound_before {
        q.qualifier = None;
    }
    q.status = status;
    q.refers_to = period;
    q.part_year = frame.and_then(|f| f.part);
}

/// Byte offsets of code points in a piece, for rows in order.
struct ByteCursor<'a> {
    chars: std::str::CharIndices<'a>,
    text: &'a str,
    /// The code point and byte offset reached.
    at: (usize, usize),
}

impl<'a> ByteCursor<'a> {
    fn new(text: &'a str, base: usize) -> ByteCursor<'a> {
        ByteCursor {
            chars: text.char_indices(),
            text,
            at: (base, 0),
        }
    }

    /// The byte offset of code point `cp` (at or after the last asked for).
    fn at(&mut self, cp: usize) -> usize {
        while self.at.0 < cp {
            match self.chars.next() {
                Some((_, c)) => self.at = (self.at.0 + 1, self.at.1 + c.len_utf8()),
                None => return self.text.len(),
            }
        }
        self.at.1
    }
}
