//! What `shuliang explain` prints: each row with the groups that made it,
//! and each match turned down with the reason.

use super::annotate::{annotate, readings, section_at};
use super::kept;
use super::locate::Locator;
use super::resolve::{Fate, Note, Notes};
use super::{Extractor, Quantity};
use crate::meaning::status::{settle, Basis};
use crate::rules::{Exclusion, RuleSet};
use crate::text::normalize::Flat;
use crate::text::numeral::{self, Value};

impl Extractor {
    /// Every row of `text` with how it was made, and every match that was
    /// turned down and why: what `shuliang explain` prints.
    pub fn explain(&self, text: &str) -> Explanation {
        let flat = Flat::new(text, &self.rules.fold);
        let mut notes = Notes::on();
        let kept = kept(self, &flat, &mut notes);
        let readings = readings(&self.rules, &kept, &flat.text);
        let mut locator = Locator::new(&flat, text, 0);
        let ftext = flat.text.as_str();
        let mut rows = Vec::new();
        for c in kept {
            let groups = groups(&self.rules, ftext, c.rule, (c.start, c.sentence.1));
            let factor = c.factor;
            let quantity = locator.row(c, &self.ids);
            rows.push(Explained {
                quantity,
                groups,
                factor,
                basis: Basis::Nothing,
            });
        }
        let mut quantities: Vec<Quantity> = rows.iter().map(|r| r.quantity.clone()).collect();
        let headings = annotate(&self.rules, &mut quantities, readings, (text, &flat), 0);
        for (r, q) in rows.iter_mut().zip(quantities) {
            r.basis = settle(&q.cues, section_at(&headings, q.start).map(|(_, f)| f)).2;
            r.quantity = q;
        }
        let rows = with_tables(&self.rules, text, rows, &headings);
        let mut rejected = self.rejections(notes, &mut locator, ftext);
        rejected.sort_by_key(|r| (r.start, r.end));
        Explanation { rows, rejected }
    }

    /// The matches `notes` turned down, each with why.
    fn rejections(&self, notes: Notes, locator: &mut Locator, ftext: &str) -> Vec<Rejection> {
        // Found only if a match was excluded.
        let exclusions = std::cell::OnceCell::new();
        let mut rejected = Vec::new();
        for Note {
            start: s,
            end: e,
            rule: ri,
            fate,
        } in notes.into_vec()
        {
            let (start, end, written) = locator.span(s, e);
            let reason = match fate {
                Fate::Rejected(r) => r.to_string(),
                Fate::Excluded => match exclusions
                    .get_or_init(|| Exclusions::new(&self.rules, ftext))
                    .overlapping(s, e)
                {
                    Some(x) => format!(
                        "overlaps exclusion `{}` ({}:{})",
                        x.id, self.rules.source, x.line
                    ),
                    None => "overlaps an exclusion".to_string(),
                },
                Fate::Overlapped(ws, we, wr) => {
                    let (_, _, w) = locator.span(ws, we);
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
        rejected
    }
}

/// The rows of a text with its tables read, as `extract` gives them: a
/// prose row inside a table's body gives way to the table's own.
fn with_tables(
    rules: &RuleSet,
    text: &str,
    rows: Vec<Explained>,
    headings: &[(usize, super::Section)],
) -> Vec<Explained> {
    let tables = super::table::read(rules, text, 0);
    if tables.bodies.is_empty() {
        return rows;
    }
    let prose = rows.iter().map(|r| r.quantity.clone()).collect();
    let kept = super::annotate::with_tables(prose, tables, headings);
    let mut rows = rows.into_iter().peekable();
    kept.into_iter()
        .map(|quantity| {
            // Prose rows keep their order: the next one kept is this one.
            while rows
                .next_if(|r| r.quantity.start < quantity.start)
                .is_some()
            {}
            match rows.next_if(|r| r.quantity.start == quantity.start && quantity.cell.is_none()) {
                Some(r) => Explained { quantity, ..r },
                None => Explained {
                    quantity,
                    groups: Vec::new(),
                    factor: Value::from(1),
                    basis: Basis::Nothing,
                },
            }
        })
        .collect()
}

/// The named groups of rule `ri`'s match at `at.0` (its sentence ending at
/// `at.1`) and what each matched, in the folded text.
fn groups(rules: &RuleSet, ftext: &str, ri: usize, at: (usize, usize)) -> Vec<(String, String)> {
    let regex = rules.rules[ri].regex.get();
    regex
        .captures_at(&ftext[..at.1], at.0)
        .map(|caps| {
            regex
                .capture_names()
                .flatten()
                .filter_map(|n| {
                    caps.name(n)
                        .map(|m| (n.to_string(), m.as_str().to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Where each exclusion matches in the whole text, in the rule file's
/// order, found once: naming the exclusion behind each excluded match is
/// then a binary search, not a scan of the text.
struct Exclusions<'a>(Vec<(&'a Exclusion, Vec<(usize, usize)>)>);

impl<'a> Exclusions<'a> {
    fn new(rules: &'a RuleSet, text: &str) -> Self {
        let spans = |x: &Exclusion| {
            x.regex
                .get()
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect()
        };
        Exclusions(rules.excludes.iter().map(|x| (x, spans(x))).collect())
    }

    /// The first exclusion with a match overlapping flat bytes `start..end`.
    fn overlapping(&self, start: usize, end: usize) -> Option<&'a Exclusion> {
        self.0.iter().find_map(|(x, spans)| {
            // Matches do not overlap one another: ordered by start, they are by end too.
            let first = spans.partition_point(|&(_, e)| e <= start);
            spans
                .get(first)
                .is_some_and(|&(s, _)| s < end)
                .then_some(*x)
        })
    }
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
        let mut out = String::new();
        for r in self
            .rows
            .iter()
            .filter(|r| window(r.quantity.start, r.quantity.end))
        {
            r.render(&mut out, rules, year);
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

impl Explained {
    /// The row's lines of [`Explanation::render`], onto `out`.
    fn render(&self, out: &mut String, rules: &RuleSet, year: Option<i32>) {
        use std::fmt::Write as _;
        let (q, r) = (&self.quantity, self);
        let line = rules
            .rules()
            .iter()
            .find(|rule| *rule.id == *q.rule)
            .map_or("[tables]".to_string(), |rule| rule.line.to_string());
        let _ = writeln!(
            out,
            "{}  [{}..{}]  rule `{}` ({}:{line})",
            q.text, q.start, q.end, q.rule, rules.source
        );
        if let Some(cell) = &q.cell {
            let _ = writeln!(
                out,
                "  table     {}\n  row       {}\n  column    {}",
                cell.table, cell.row, cell.column
            );
            let raw = if q.unit_raw.is_empty() {
                "(none)"
            } else {
                &q.unit_raw
            };
            let _ = writeln!(out, "  unit      {raw} → {} ({})", q.unit, q.kind);
            let _ = writeln!(out, "  value     {} {}", q.value_str(), q.unit);
            return self.render_meaning(out, year);
        }
        let groups: Vec<String> = r.groups.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let _ = writeln!(out, "  matched   {}", groups.join("  "));
        let group = |name: &str| {
            r.groups
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if let Some((n, num)) = group("num").and_then(|n| Some((n, numeral::parse(n)?))) {
            let _ = writeln!(
                out,
                "  number    {n} = {}",
                numeral::format_value(&num.value)
            );
        }
        let factor = numeral::format_value(&r.factor);
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
        let qualifier = q.qualifier.map(|x| format!("  ({x})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  value     {}{max} {}{qualifier}",
            q.value_str(),
            q.unit
        );
        self.render_meaning(out, year);
    }

    /// What the row measures, its status and period, section and context.
    fn render_meaning(&self, out: &mut String, year: Option<i32>) {
        use std::fmt::Write as _;
        let q = &self.quantity;
        if !q.indicator.is_empty() || q.change.is_some() {
            let id = q
                .indicator_id
                .as_deref()
                .map(|id| format!(" → {id}"))
                .unwrap_or_default();
            let named = if q.indicator.is_empty() {
                "(nothing named)"
            } else {
                &q.indicator
            };
            let change = q.change.unwrap_or("a level");
            let _ = writeln!(out, "  measures  {named}{id}  ({change})");
        }
        let period = q
            .refers_to
            .map(|p| p.render(year))
            .filter(|p| !p.is_empty());
        let basis = match q.cell {
            Some(_) => "its column, else a table's figures are results".to_string(),
            None => self.basis.to_string(),
        };
        let _ = writeln!(
            out,
            "  status    {} {}  (by {basis})",
            q.status.unwrap_or("(none)"),
            period.map_or(String::new(), |p| format!("about {p}")),
        );
        if let Some(h) = &q.section {
            let _ = writeln!(out, "  section   {h}");
        }
        let _ = writeln!(out, "  context   {}", q.context);
    }
}
