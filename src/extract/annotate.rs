//! Annotation: what each row measures (indicator, change; read in
//! `readings.rs`), its status and period cues, and the section it sits under.

use super::locate::CharCursor;
use super::piece::{ByteCursor, Folded};
use super::{Quantity, Section};
use crate::meaning::indicator::Reading;
use crate::meaning::status::{settle, Basis, Cues, Frame, Paragraph, Passages, Year};
use crate::rules::RuleSet;
use crate::text::lazy_regex::hit;
use crate::text::normalize::Flat;
use crate::text::Breaks;

pub(super) use super::readings::readings;

/// Gives rows their indicator, change and cues, then their section and
/// the status and period it settles; returns the piece's headings (at
/// code-point offsets) with the frames they open.
pub(super) fn annotate(
    rules: &RuleSet,
    rows: &mut [Quantity],
    readings: Vec<(Reading, Cues)>,
    (orig, flat): (&str, &Flat),
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
        .headings(orig, flat)
        .into_iter()
        .filter_map(|(b, h)| {
            frame = rules.status.frame(&rules.fold.str(&h), frame)?;
            Some(((at.at(b), (h, frame)), b))
        })
        .unzip();
    let piece = Folded::new(orig, flat.touched());
    let reviews = opened_reviews(rules, (orig, &piece), &headings, &heading_bytes);
    let mut passages = Passages::default();
    let mut bytes = ByteCursor::new(orig, char_base);
    // The paragraph so far: (its start, how far it is read, what it says,
    // whether it is a targets paragraph by its place). Rows of one paragraph
    // extend it instead of reading it again each.
    let mut para = (usize::MAX, 0, Paragraph::default(), false);
    let mut breaks = Breaks::default();
    for k in 0..rows.len() {
        let at = bytes.at(rows[k].start);
        let start = breaks.paragraph_start(orig, at);
        if start != para.0 || at < para.1 {
            let placed = after_requirements(rules, (orig, &piece), start, (at, &rows[k..]));
            para = (start, start, Paragraph::default(), placed);
        }
        let q = &mut rows[k];
        para.1 = at;
        let (headline, status, year) = para.2.read(&rules.status, piece.kept(start, at));
        q.cues.headline |= headline || para.3;
        q.cues.paragraph = status;
        q.cues.paragraph_year = year;
        q.cues.opened_review = reviews
            .iter()
            .find(|&&(s, e, _)| s <= at && at < e)
            .map(|&(.., year)| year);
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

/// Whether the paragraph starting at byte `start` of `text` follows the
/// year's requirements
/// ([`crate::meaning::status::StatusRules`]' `requirements`) and lists two or
/// more rates of named indicators (of `rows`, its rows and those after, the
/// first at byte `at`): a targets paragraph by its place (`…总体要求是：…` then
/// `地区生产总值增长7%左右，…`). Every search is bounded by the lines next to
/// `start`, so that a long text is not read again from its beginning for each
/// paragraph.
fn after_requirements(
    rules: &RuleSet,
    (text, piece): (&str, &Folded),
    start: usize,
    (at, rows): (usize, &[Quantity]),
) -> bool {
    let Some(re) = &rules.status.requirements else {
        return false;
    };
    let prev_end = text[..start]
        .trim_end_matches(char::is_whitespace)
        .trim_end_matches("\\r\\n")
        .len();
    if prev_end == 0 {
        return false;
    }
    // The line before, whole (the requirements open a long paragraph); a
    // text without line breaks (spaces for them) has no such line.
    let Some(prev_start) = piece.line_start(prev_end) else {
        return false;
    };
    if !re.is_match(piece.folded(prev_start, prev_end)) {
        return false;
    }
    // (`start` is the break before it)
    let rest = text[start..]
        .trim_start_matches(char::is_whitespace)
        .trim_start_matches("\\r\\n");
    let line = rest.find('\n').unwrap_or(rest.len());
    let end = text.len() - rest.len() + rest[..line].find("\\r\\n").unwrap_or(line);
    let first = rows.first().map_or(0, |q| q.start);
    let end = if end >= at {
        first + text[at..end].chars().count()
    } else {
        first - text[end..at].chars().count()
    };
    rows.iter()
        .take_while(|q| q.start < end)
        .filter(|q| &*q.unit == "%" && q.indicator_id.is_some())
        .nth(1)
        .is_some()
}

/// The byte spans of `text` under reviews that an opening opens where no
/// heading's frame does, with the year each is of: words closing a
/// paragraph (绵阳 2024: `…一年来，我们主要做了以下工作。` and no headings),
/// from the next line, of the year before; or the paragraph right after the
/// report's address that starts with the year under review (梧州 2024:
/// `2023年，在…坚强领导下，…`), from that paragraph, of the year it names.
/// Each runs to the plan part, which the year's requirements, a targets
/// paragraph or a heading with a frame begins. An opening with no such end
/// opens nothing: the plan's figures would read as last year's results. A
/// text without line breaks is read a sentence at a time.
fn opened_reviews(
    rules: &RuleSet,
    (text, piece): (&str, &Folded),
    headings: &[(usize, Section)],
    heading_bytes: &[usize],
) -> Vec<(usize, usize, Year)> {
    let s = &rules.status;
    if s.review_opening.is_none() && s.year_opening.is_none() {
        return Vec::new();
    }
    let framed = |b: usize| {
        let i = heading_bytes.partition_point(|&h| h <= b);
        i.checked_sub(1)
            .is_some_and(|i| headings[i].1 .1.status.is_some())
    };
    let plan = |folded: &str| hit(&s.requirements, folded) || hit(&s.targets_paragraph, folded);
    let mut out = Vec::new();
    let mut open = None;
    let mut at = 0;
    // Where the report's address is: before it (None), on the line just
    // read (Some(true)), or passed (Some(false)).
    let mut address = None;
    // A copy without line ends: its sentences (and what a colon ends:
    // `…做了以下工作：`) for its lines.
    let lines: Box<dyn Iterator<Item = &str>> = match memchr::memchr(b'\n', text.as_bytes()) {
        Some(_) => Box::new(piece.lines(text)),
        None => Box::new(text.split_inclusive(['。', '！', '？', '：'])),
    };
    for line in lines {
        let (start, end) = (at, at + line.len());
        at = end;
        let folded = piece.folded(start, start + line.trim_end().len());
        if folded.trim().is_empty() {
            continue;
        }
        let after_address = address == Some(true);
        address = match address {
            None if hit(&s.address, folded) => Some(true),
            None => None,
            Some(_) => Some(false),
        };
        if let Some((from, year)) = open {
            if plan(folded)
                || heading_bytes[heading_bytes.partition_point(|&h| h < start)..]
                    .iter()
                    .take_while(|&&h| h < end)
                    .any(|&h| framed(h))
            {
                out.push((from, start, year));
                open = None;
            }
        } else if framed(start) {
            continue;
        } else if hit(&s.review_opening, folded) {
            open = Some((end, Year::Rel(-1)));
        } else if let Some(c) = s
            .year_opening
            .as_ref()
            .filter(|_| after_address && !plan(folded))
            .and_then(|re| re.captures(folded.trim_start()))
        {
            let year = c.name("year").and_then(|y| y.as_str().parse().ok());
            open = Some((start, year.map_or(Year::Rel(-1), Year::Abs)));
        }
    }
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
    // figure (`是2019年的113.7%`); a level keeps its year, but for the start
    // of a change, which is the base year's.
    if q.change.is_none() && !matches!(&*q.kind, "multiple" | "percent") && !q.cues.change_start {
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
