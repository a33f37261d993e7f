//! A match's named groups by index: the names a rule may use are looked up
//! once per rule, not hashed for every match.

use regex::{CaptureLocations, Regex};

/// The named groups that [`super::candidate`] reads.
#[derive(Debug, Clone, Copy)]
pub(super) enum G {
    Num,
    More,
    NumMax,
    Unit,
    Per,
    Half,
    Num2,
    Unit2,
    Num3,
    Unit3,
    Tail,
    Pre,
    Post,
    Neg,
    UnitLo,
}

const NAMES: [&str; 15] = [
    "num", "more", "num_max", "unit", "per", "half", "num2", "unit2", "num3", "unit3", "tail",
    "pre", "post", "neg", "unit_lo",
];

/// Where each of [`G`] sits among a rule's capture groups.
#[derive(Debug, Clone)]
pub(super) struct Groups([Option<usize>; 15]);

impl Groups {
    /// The group indices of `re`.
    pub fn of(re: &Regex) -> Groups {
        Groups(NAMES.map(|n| re.capture_names().position(|x| x == Some(n))))
    }
}

/// The groups of one match of a rule.
pub(super) struct Caps<'h> {
    pub hay: &'h str,
    pub locs: &'h CaptureLocations,
    pub groups: &'h Groups,
}

/// What a group matched: a span of the haystack.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Span<'h> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.hay[self.start..self.end]
    }
}

impl<'h> Caps<'h> {
    /// Group `i` by number (0 is the whole match).
    pub fn get(&self, i: usize) -> Option<Span<'h>> {
        self.locs.get(i).map(|(start, end)| Span {
            hay: self.hay,
            start,
            end,
        })
    }

    /// A named group, when the rule has it and it took part in the match.
    pub fn name(&self, g: G) -> Option<Span<'h>> {
        self.get(self.groups.0[g as usize]?)
    }
}
