//! Results in words: `居民消费价格与上年持平` states a 0% change without a
//! number. SPEC §1 counts only written numbers as quantities, so `extract`
//! gives no row; the panel (and so the scorecard) reads one as a 0 of the
//! indicator its clause names, placed by a figure of its own sentence.

use super::{is_share, Cell};
use crate::extract::Quantity;
use crate::meaning::status::{ACTUAL, ESTIMATE};
use crate::output::Piece;
use crate::rules::RuleSet;
use crate::text::numeral::Value;

/// Ends of a sentence, and of the clause a result in words names its
/// indicator in.
const SENTENCE_ENDS: &[char] = &['。', '；', ';', '！', '？', '\n'];
const CLAUSE_ENDS: &[char] = &['，', ',', '、', '：', ':'];

/// The cells of the piece's results in words (the rule file's `flat`):
/// each a 0 in `%` of the indicator its clause names (not one whose level
/// is a percentage, `失业率与上年持平`, which keeps its level), qualified
/// `approx` when 基本/大体, with the status and period of the nearest
/// figure of its sentence when that is a result or an estimate (a goal
/// is never read from words), and offsets of the words.
pub(super) fn cells(rules: &RuleSet, piece: &Piece<'_>, levels: bool) -> Vec<Cell> {
    let Some(re) = &rules.status.flat else {
        return Vec::new();
    };
    let text = piece.text;
    let mut out = Vec::new();
    for m in re.find_iter(text) {
        let words = m.as_str().trim_end_matches(|c: char| !c.is_alphabetic());
        let clause_from = text[..m.start()]
            .rfind(|c| SENTENCE_ENDS.contains(&c) || CLAUSE_ENDS.contains(&c))
            .map_or(0, |i| {
                i + text[i..].chars().next().map_or(1, char::len_utf8)
            });
        let clause = rules.clause.scan(text[clause_from..m.start()].trim());
        let reading = rules.indicators.read(&clause, "", "percent");
        let Some(id) = reading
            .indicator_id
            .clone()
            .or_else(|| rules.indicators.id_of(&reading.indicator))
        else {
            continue;
        };
        if is_share(&id) {
            continue;
        }
        let chars = |to: usize| piece.char_base + text[..to].chars().count();
        let sentence = (
            text[..m.start()]
                .rfind(SENTENCE_ENDS)
                .map_or(piece.char_base, chars),
            text[m.start()..]
                .find(SENTENCE_ENDS)
                .map_or(chars(text.len()), |i| chars(m.start() + i)),
        );
        let (start, end) = (chars(m.start()), chars(m.start() + words.len()));
        let Some(near) = piece
            .rows
            .iter()
            .filter(|q| sentence.0 <= q.start && q.end <= sentence.1)
            .min_by_key(|q| q.start.abs_diff(start))
            .filter(|q| matches!(q.status, Some(ACTUAL | ESTIMATE)))
        else {
            continue;
        };
        let q = Quantity {
            start,
            end,
            text: words.to_string(),
            value: Value::from_integer(0),
            value_max: None,
            unit: "%".into(),
            kind: "percent".into(),
            qualifier: (words.contains("基本") || words.contains("大体")).then_some("approx"),
            unit_raw: String::new(),
            indicator: reading.indicator,
            indicator_id: Some(id.clone()),
            change: None,
            cell: None,
            ..near.clone()
        };
        out.extend(Cell::of(&q, &id, &piece.doc, levels));
    }
    out
}
