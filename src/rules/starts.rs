//! Where the rules' matches start in a sentence, every rule at once: all
//! rule patterns reversed in one lazy DFA that reports, in one backward
//! scan, each place a match of each rule begins. A rule's leftmost match
//! from a place starts at the first of these at or after it, so each match
//! is then one search anchored there, over the match alone.

use std::ops::Range;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::Hir;

use super::patterns::{build_error, DFA_CACHE};

/// Makes a thread's lazy DFA cache.
type NewCache =
    Box<dyn Fn() -> Cache + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>;

/// All rule patterns, reversed, as one automaton reporting every
/// `(rule, start)`; each thread keeps its own cache of built states.
#[derive(Debug)]
pub(crate) struct Starts {
    dfa: DFA,
    caches: Pool<Cache, NewCache>,
}

impl Starts {
    /// The automaton of `hirs`, the rules' parsed patterns in rule order.
    pub(super) fn new(hirs: &[Hir]) -> std::result::Result<Starts, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .reverse(true)
                    .shrink(true)
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(10 << 20)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| build_error(e.size_limit(), e))?;
        let config = DFA::config()
            .match_kind(MatchKind::All)
            .cache_capacity(DFA_CACHE)
            // A rule file may use Unicode `\b`: the scan then gives up on
            // non-ASCII text, and the rules are searched one by one.
            .unicode_word_boundary(true);
        let dfa = DFA::builder()
            .configure(config)
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let of = dfa.clone();
        let caches = Pool::new(Box::new(move || of.create_cache()) as NewCache);
        Ok(Starts { dfa, caches })
    }

    /// Adds to `out` each `(rule, start)` such that a match of the rule lies
    /// in `span` of `hay` and starts there (the text around `span` stays
    /// visible to look-around), last start first. False when the automaton
    /// gave up on the text, and `out` is then incomplete.
    pub(crate) fn find(
        &self,
        hay: &str,
        span: Range<usize>,
        out: &mut Vec<(usize, usize)>,
    ) -> bool {
        self.scan(&mut self.caches.get(), hay.as_bytes(), span, out)
            .is_some()
    }

    /// [`Starts::find`], stepping the lazy DFA by hand: its overlapping
    /// search reports the second and later rules matching at one place a
    /// byte early (regex-automata 0.4.19).
    fn scan(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        span: Range<usize>,
        out: &mut Vec<(usize, usize)>,
    ) -> Option<()> {
        let dfa = &self.dfa;
        let input = Input::new(hay).range(span.clone());
        let mut sid = dfa.start_state_reverse(cache, &input).ok()?;
        // A state reached by reading the byte before `at` is a match for
        // matches starting at `at` (matches are delayed by one byte).
        let mut matches = |cache: &Cache, sid: LazyStateID, at: usize| {
            let rules = (0..dfa.match_len(cache, sid)).map(|i| dfa.match_pattern(cache, sid, i));
            out.extend(rules.map(|p| (p.as_usize(), at)));
        };
        for at in span.clone().rev() {
            sid = dfa.next_state(cache, sid, hay[at]).ok()?;
            if sid.is_quit() {
                return None;
            } else if sid.is_match() {
                matches(cache, sid, at + 1);
            }
        }
        sid = match span.start.checked_sub(1) {
            Some(before) => dfa.next_state(cache, sid, hay[before]).ok()?,
            None => dfa.next_eoi_state(cache, sid).ok()?,
        };
        if sid.is_match() {
            matches(cache, sid, span.start);
        }
        Some(())
    }
}
