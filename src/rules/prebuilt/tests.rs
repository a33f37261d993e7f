//! Makes `rules/zh.dfa` from the embedded rule file, and checks that the
//! bytes checked in are what it makes, that they load, and that they find
//! what the compiled automaton finds.

use regex_automata::dfa::{dense, StartKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::MatchKind;
use regex_syntax::hir::Hir;

use super::*;
use crate::rules::{exclude, patterns, RuleSet, DEFAULT_RULES, DEFAULT_RULES_NAME};

const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/zh.dfa");

/// The full DFA that finds what the lazy DFA of [`patterns::combined`]
/// with `MatchKind::LeftmostFirst` finds, or, `reverse`, the anchored DFA
/// that reads back from a match's end to its start, as
/// `dfa::regex::Builder` makes the two; minimized.
fn dfa(hirs: &[Hir], reverse: bool) -> dense::DFA<Vec<u32>> {
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::None)
                .reverse(reverse),
        )
        .build_many_from_hir(hirs)
        .expect("the patterns compile");
    let config = match reverse {
        false => dense::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .start_kind(StartKind::Unanchored),
        true => dense::Config::new()
            .match_kind(MatchKind::All)
            .start_kind(StartKind::Anchored)
            .specialize_start_states(false),
    };
    dense::Builder::new()
        .configure(config.minimize(true))
        .build_from_nfa(&nfa)
        .expect("the patterns determinize")
}

/// What [`decode`] reads.
fn generate() -> Vec<u8> {
    let rs = RuleSet::parse(DEFAULT_RULES, DEFAULT_RULES_NAME).expect("the rules load");
    let parse = |p: &str| patterns::parse(p).expect("parsed when loaded");
    let [(narrow, _), _] = exclude::split(rs.excludes.iter().map(|e| parse(e.regex.as_str())));
    let mut out = key(&rs.excludes).into_bytes();
    for reverse in [false, true] {
        let (bytes, pad) = dfa(&narrow, reverse).to_bytes_little_endian();
        // Padded to a multiple of 4, so that the next DFA starts aligned.
        let mut bytes = bytes[pad..].to_vec();
        bytes.resize(bytes.len().next_multiple_of(4), 0);
        out.extend(u32::try_from(bytes.len()).expect("< 4 GiB").to_le_bytes());
        out.extend(bytes);
    }
    out
}

#[test]
fn embedded_automata_are_made_from_the_embedded_rules() {
    let made = generate();
    if std::env::var_os("SHULIANG_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(PATH, &made).expect("rules/zh.dfa written");
    }
    assert!(
        made == EMBEDDED.bytes,
        "rules/zh.dfa is stale: run SHULIANG_BLESS=1 cargo test --release --lib prebuilt"
    );
    let rs = RuleSet::default_rules().expect("the rules load");
    assert!(matches!(rs.excluded[0].regex, Leftmost::Full(_)));
    assert!(matches!(rs.excluded[1].regex, Leftmost::Lazy(_)));
}

#[test]
fn bytes_of_other_patterns_or_cut_short_are_not_used() {
    let rs = RuleSet::default_rules().expect("the rules load");
    assert!(narrow_exclusions(&rs.excludes).is_some());
    assert!(narrow_exclusions(&rs.excludes[1..]).is_none());
    let key = key(&rs.excludes);
    assert!(decode(&EMBEDDED.bytes, &"0".repeat(64)).is_none());
    assert!(decode(&EMBEDDED.bytes[..EMBEDDED.bytes.len() - 4], &key).is_none());
    let compiled = RuleSet::parse(DEFAULT_RULES, DEFAULT_RULES_NAME).expect("the rules load");
    assert!(matches!(compiled.excluded[0].regex, Leftmost::Lazy(_)));
}

/// Every leftmost-first match from each place a search resumes at.
fn matches(re: &Leftmost, text: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(m) = re.find(Input::new(text).range(at..)) {
        out.push((m.start(), m.end(), m.pattern().as_usize()));
        at = match m.end() > m.start() {
            true => m.end(),
            false => crate::text::next_boundary(text, m.end()),
        };
        if at > text.len() {
            break;
        }
    }
    out
}

#[test]
fn loaded_and_compiled_exclusions_find_the_same() {
    let loaded = RuleSet::default_rules().expect("the rules load");
    let compiled = RuleSet::parse(DEFAULT_RULES, DEFAULT_RULES_NAME).expect("the rules load");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/city");
    let mut texts: Vec<_> = std::fs::read_dir(dir).expect("corpus/").flatten().collect();
    texts.sort_by_key(|e| e.path());
    let texts = texts
        .iter()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok());
    let mut found = 0;
    for text in texts.take(8) {
        let (l, c) = (&loaded.excluded[0].regex, &compiled.excluded[0].regex);
        let m = matches(l, &text);
        assert_eq!(m, matches(c, &text));
        found += m.len();
    }
    assert!(found > 100, "{found}");
}
