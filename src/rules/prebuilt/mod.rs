//! Automata of the embedded rule file determinized ahead of time and loaded
//! from bytes, so that a fresh process neither compiles them nor builds
//! their states, and the threads share them read-only instead of each
//! determinizing its own lazy DFA. Today one: the narrow exclusions (every
//! `[[exclude]]` alternative without a repeated class of most of Unicode),
//! as minimized dense DFAs, 4.4 MB (forward 2.6, reverse 1.9; as sparse
//! DFAs 1.6 MB, but a sparse forward search cost 40% more instructions a
//! byte of the whole run). The others are too large as full DFAs (the
//! rules' combined set: 46 MB dense, 12.9 MB sparse, three minutes to
//! determinize; the wide exclusions: 51 MB dense) and are compiled at
//! start, as lazy DFAs; so is everything of a `--rules` file.
//!
//! `rules/zh.dfa` is made from `rules/zh.toml` by the test in [`tests`]
//! (`SHULIANG_BLESS=1 cargo test --release --lib prebuilt`), which fails
//! while it is stale. The bytes are little-endian and begin with the
//! sha256 of the patterns they were made from ([`key`]), so that an edit
//! of the rule file elsewhere (an indicator word) leaves them as they are;
//! bytes of other patterns, or that do not validate (a big-endian target,
//! another regex-automata's format), are not used: the automaton is
//! compiled then.

use regex_automata::dfa::{dense, regex::Regex as DfaRegex};
use regex_automata::util::wire::AlignAs;
use regex_automata::{meta, Input, Match};

use super::Exclusion;

/// A full DFA read from static bytes.
type Dfa = dense::DFA<&'static [u32]>;

/// The embedded automata (see the module's doc), aligned as a DFA's
/// transition table must be.
static EMBEDDED: &AlignAs<[u8], u32> = &AlignAs {
    _align: [],
    bytes: *include_bytes!("../../../rules/zh.dfa"),
};

/// What finds the leftmost-first match of some exclusions' alternatives.
#[derive(Debug)]
pub(crate) enum Leftmost {
    /// Compiled at load, its states built as texts need them, per thread.
    Lazy(meta::Regex),
    /// Loaded (a forward DFA for the end, a reverse one for the start).
    Full(Box<DfaRegex<Dfa>>),
}

impl Leftmost {
    /// The leftmost-first match in `input`, with the alternative's index.
    pub fn find(&self, input: Input) -> Option<Match> {
        match self {
            Leftmost::Lazy(re) => re.find(input),
            Leftmost::Full(re) => re.find(input),
        }
    }
}

/// The embedded narrow exclusions' automaton, if it was made from
/// `excludes` (all of them, expanded: see [`key`]) and validates on this
/// target.
pub(super) fn narrow_exclusions(excludes: &[Exclusion]) -> Option<Leftmost> {
    decode(&EMBEDDED.bytes, &key(excludes))
}

/// What the automaton is made from, as the sha256 (hex) of the
/// exclusions' expanded patterns, one a line.
fn key(excludes: &[Exclusion]) -> String {
    let patterns: Vec<&str> = excludes.iter().map(|e| e.regex.as_str()).collect();
    super::sha256_hex(patterns.join("\n").as_bytes())
}

/// Reads the layout [`tests`] writes: the [`key`] (64 hex digits), then
/// the forward and the reverse DFA, each as its length (a little-endian
/// `u32`) and its bytes.
fn decode(bytes: &'static [u8], key: &str) -> Option<Leftmost> {
    let (head, rest) = bytes.split_at_checked(64)?;
    if head != key.as_bytes() {
        return None;
    }
    let mut r = Reader(rest);
    let (forward, reverse) = (r.dfa()?, r.dfa()?);
    let regex = DfaRegex::builder().build_from_dfas(forward, reverse);
    r.0.is_empty().then(|| Leftmost::Full(Box::new(regex)))
}

/// The bytes not read yet.
struct Reader(&'static [u8]);

impl Reader {
    /// A DFA's length, then its bytes, checked (`from_bytes` validates
    /// every transition, so bad bytes are refused, never trusted).
    fn dfa(&mut self) -> Option<Dfa> {
        let (len, rest) = self.0.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        let (bytes, rest) = rest.split_at_checked(len)?;
        self.0 = rest;
        Some(dense::DFA::from_bytes(bytes).ok()?.0)
    }
}

#[cfg(test)]
mod tests;
