//! What each kept candidate measures (indicator, change) and its status
//! cues, from its own clause and the figures before it, then shared over
//! the items of a list.

use super::candidate::Candidate;
use super::resolve::joined;
use crate::meaning::indicator::{IndicatorRules, Reading};
use crate::meaning::scan::{Ask, Clause};
use crate::meaning::status::{Cues, Sentence};
use crate::rules::RuleSet;
use crate::text::{floor_boundary, full_sentence_start, SENTENCE_SEARCH};

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
    for (r, _) in own.readings.iter_mut().zip(&own.zones).filter(|(_, &z)| z) {
        r.indicator_id = None;
    }
    own.readings.into_iter().zip(own.cues).collect()
}

/// Each candidate's reading and cues from its own clause, before lists
/// share theirs.
#[derive(Default)]
struct Own {
    readings: Vec<Reading>,
    cues: Vec<Cues>,
    /// Which readings took the figure before's indicator.
    inherited: Vec<bool>,
    /// What a figure after each is of when it names nothing: its own
    /// reading, but for a base year's level (the figure before it).
    source: Vec<Reading>,
    /// For a plan's share fulfilled, the indicator whose plan it is.
    subjects: Vec<Option<Reading>>,
    /// Whether each is a level, and a cumulative one (`累计`).
    levels: Vec<(bool, bool)>,
    /// Whether each is a zone's inside the region, of no id whatever its
    /// list shares ([`IndicatorRules::of_a_sub_area`]).
    zones: Vec<bool>,
}

/// A candidate in its text: where its clause may start (after the figure
/// before in its sentence), and the clause before it, scanned.
struct Place<'t> {
    c: &'t Candidate,
    text: &'t str,
    floor: usize,
    clause: Clause<'t>,
    /// The figure is a zone's inside the region ([`IndicatorRules::of_a_sub_area`]).
    sub_area: bool,
}

/// The reading and cues of each candidate from the clauses around it; a
/// figure with no indicator of its own takes the one before it, or the
/// one its clause opens with.
fn own_readings(rules: &RuleSet, kept: &[Candidate], text: &str) -> Own {
    let ir = &rules.indicators;
    let mut own = Own::default();
    let mut prev_end = 0;
    // The last figure's offset and the start of its full sentence.
    let mut full = (0, 0);
    // What the figures before read of their sentence.
    let mut sentence = Sentence::default();
    for c in kept {
        let floor = prev_end.max(c.sentence.0).min(c.start);
        let clause = rules.clause.scan(ir.clause_before(text, floor, c.start));
        let before = clause.text();
        let after = ir.clause_after(text, c.end);
        // Bounded like the context, so that a text without sentence ends is not re-read per figure.
        let near = floor_boundary(text, c.start.saturating_sub(SENTENCE_SEARCH));
        let from = c.sentence.0.max(near).min(c.start);
        let sentence_before = &text[from..c.start];
        full = (c.start, full_sentence_start(text, c.start, full));
        let full_before = &text[full.1..c.start];
        sentence.at((from, full.1), c.start);
        let mut r = ir.read(&clause, after, &c.kind);
        r = per_capita_before(ir, text, floor, c.start - before.len(), &r).unwrap_or(r);
        if r.indicator.is_empty() {
            // `居民消费价格上涨幅度不超过3%`, `物价涨幅要从14.8%…`: the clause
            // opens with a listed name that the reading cut away.
            if let Some(named) = ir.leading_name(before) {
                r.indicator = named.indicator;
                r.indicator_id = named.indicator_id;
            }
        }
        if r.indicator_id.is_none() && rules.status.opens_a_change(before) {
            if let Some(named) = named_whole_before(ir, text, floor, c.start - before.len()) {
                r = Reading {
                    change: r.change,
                    ..named
                };
            }
        }
        let mut cues = Cues {
            shared: clause.hit(Ask::Shared),
            change_start: rules.status.starts_a_change(before, after),
            ..rules.status.cues(
                [sentence_before, full_before, after],
                &clause,
                &mut sentence,
                |s| ir.id_of(s).is_some(),
            )
        };
        // A change after a `；` can be over the years of a review (`2007年，
        // …；全国财政收入达到5.13万亿元，增长1.71倍`); a level is the year's.
        // Nor is the start of a change with no year of its own (`；贫困人口由
        // 10.81万人下降到2.88万人`), which is of the years before.
        if cues.year.is_none() && r.change.is_none() && !cues.change_start {
            cues.year = rules.status.opening_year(full_before, sentence_before);
        }
        // `国内生产总值114万亿元，增长8.1%` and `赤字规模5.66万亿元、比上年增加1.6万亿元`:
        // a figure soon after another in its sentence, with no indicator
        // of its own, is of the other's, across a remark with no number
        // (`100.6亿元，历史性突破百亿大关，增长7.2%`), or across remarks
        // with a number (`2920亿元、总量居全省第5位，增长6.7%`).
        // An earlier target restated after a result (`增长7.8%，虽然略低于8%的预定目标`)
        // is of the result's indicator unless it names one of its own.
        let follows = !clause.hit(Ask::BaseLevel)
            && (r.indicator.is_empty() || (cues.restated && r.indicator_id.is_none()))
            && prev_end > 0
            && prev_end >= c.sentence.0
            && ir.carries_over(&text[prev_end.min(c.start)..c.start]);
        let at = Place {
            c,
            text,
            floor,
            clause,
            sub_area: in_sub_area(ir, full_before),
        };
        own.push(ir, at, r, cues, follows);
        prev_end = c.end;
    }
    own
}

impl Own {
    /// Adds a candidate's reading `r` and `cues`, taking the indicator of
    /// the figure before when it `follows` it.
    fn push(
        &mut self,
        ir: &IndicatorRules,
        at: Place<'_>,
        mut r: Reading,
        cues: Cues,
        follows: bool,
    ) {
        let Place {
            c,
            text,
            floor,
            clause,
            sub_area,
        } = at;
        let before = clause.text();
        let goal = cues.target || cues.headline;
        let base = clause.hit(Ask::BaseLevel);
        // `固定资产投资74.1亿元,年均增长15.5%`: a level followed by its
        // average growth, or by its change since a base year (`完成44.9亿元，
        // 比2011年增长84.5%`, `是2011年的2.3倍`), is the level at the end of
        // the years averaged or compared.
        let since = cues.average || cues.base.is_some();
        if follows && since && matches!(&*c.kind, "percent" | "multiple") {
            if let (Some(last), Some(&(level, cumulative))) =
                (self.cues.last_mut(), self.levels.last())
            {
                last.reached |= level && !cumulative;
            }
        }
        self.cues.push(cues);
        self.inherited.push(follows);
        self.zones.push(sub_area);
        if base {
            // `比一九五八年的五百四十八亿元`: the base year's level, of no indicator.
            r.indicator = before.trim_end_matches('的').to_string();
            r.indicator_id = None;
        } else if follows {
            // `只完成原定计划的94%，比1954年只增长了3%`: a change after a plan's
            // share fulfilled is of the indicator whose plan it is.
            let subject = self
                .subjects
                .last()
                .cloned()
                .flatten()
                .filter(|_| r.change.is_some());
            if let Some(last) = subject.as_ref().or(self.source.last()) {
                r.indicator = last.indicator.clone();
                r.indicator_id = last.indicator_id.clone();
            }
        } else if r.indicator.is_empty() && of_the_name_before(&r, &cues, goal, &c.kind) {
            if let Some(named) = named_before(ir, text, floor, c.start - before.len()) {
                r.indicator = named.indicator;
                r.indicator_id = named.indicator_id;
            }
        }
        // A figure of another kind than the id's levels (`4个万亿元台阶`)
        // is not of it, but names it for the figures after it.
        let named = r.clone();
        if r.indicator_id
            .as_ref()
            .is_some_and(|id| !ir.takes(id, &c.kind))
        {
            r.indicator_id = None;
        }
        let rate = matches!(&*c.kind, "percent" | "percentage_point" | "multiple");
        self.levels
            .push((r.change.is_none() && !rate, before.contains('累')));
        self.subjects.push(if !base && clause.hit(Ask::Fulfilment) {
            subject(ir, text, floor, c.start - before.len(), before)
        } else {
            None
        });
        let source = if base {
            self.source.last().cloned().unwrap_or_default()
        } else {
            named
        };
        self.source.push(source);
        self.readings.push(r);
    }
}

/// Whether the figure after `sentence` (its sentence up to it) is a zone's
/// inside the region: the sentence or the figure's clause opens with the zone.
fn in_sub_area(ir: &IndicatorRules, sentence: &str) -> bool {
    let clause = sentence.rsplit([',', ';']).next().unwrap_or("");
    ir.of_a_sub_area(sentence) || ir.of_a_sub_area(clause)
}

/// The indicator whose plan a share fulfilled is of: named in its own
/// clause (`全国工业总产值完成了原定计划的`), or opening the text before it
/// (`全国社会商品零售总额，由于…，只完成原定计划的`); with its id.
fn subject(
    ir: &IndicatorRules,
    text: &str,
    floor: usize,
    end: usize,
    clause: &str,
) -> Option<Reading> {
    let opening = text[floor..end]
        .split([',', '，', ';', '；', ':', '：'])
        .next()
        .unwrap_or("");
    [clause, opening]
        .into_iter()
        .filter_map(|t| ir.leading_name(t))
        .find(|named| named.indicator_id.is_some())
}

/// `农民的纯收入，全国平均每人达到…`: a clause `r` that only says per capita
/// is of the name in the clause before `end`, per capita.
fn per_capita_before(
    ir: &IndicatorRules,
    text: &str,
    floor: usize,
    end: usize,
    r: &Reading,
) -> Option<Reading> {
    ir.per_capita(r, || {
        let head = text[floor..end].trim_end_matches(',');
        ir.clause_before(text, floor, floor + head.len())
    })
}

/// `城镇居民家庭人均可支配收入，由1997年的5160元增加到…`: a clause that opens
/// with the start of a change (before `end`) is of the indicator the clause
/// before names whole (not `财政收入占国民收入的比重，由…`).
fn named_whole_before(
    ir: &IndicatorRules,
    text: &str,
    floor: usize,
    end: usize,
) -> Option<Reading> {
    let head = text[floor..end].trim_end_matches(',');
    let named = ir.clause_before(text, floor, floor + head.len());
    ir.id_of(named).map(|id| Reading {
        indicator: named.to_string(),
        indicator_id: Some(id),
        ..Reading::default()
    })
}

/// Whether a figure with no indicator of its own is of the one the clause
/// before opens with: a growth rate (`地区生产总值跨越千亿台阶，增长7%以上`),
/// across a remark (`农村居民人均纯收入，考虑价格下降因素，比上年实际增长4.3%`);
/// a goal whose clause names nothing (`增长速度的调控目标，定为百分之八至九`,
/// `确保物价涨幅明显回落，力争控制在百分之十五左右`); a level reached
/// (`地区生产总值再上新台阶，达到4015亿元`) that no list shares (`A和B，
/// 2000年分别达到2253元和6280元`).
fn of_the_name_before(r: &Reading, cues: &Cues, goal: bool, kind: &str) -> bool {
    (r.change.is_some() || goal) && kind == "percent"
        || r.change.is_none() && cues.reached && !cues.shared
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
            // Every item of a 年均 list is a period figure; of a 分别达到 list, a level reached.
            let cues = &mut self.cues;
            let (average, span, reached) = (cues[i].average, cues[i].span, cues[i].reached);
            for c in &mut cues[i + 1..=j] {
                c.average |= average;
                c.span = c.span.or(span);
                c.reached |= reached;
            }
        }
        // `比2019年提升15.23%、22.27%`: every item is compared with the base year.
        let base = self.cues[i].base;
        for c in &mut self.cues[i + 1..=j] {
            c.base = c.base.or(base);
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
