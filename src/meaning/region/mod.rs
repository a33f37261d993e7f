//! Place names as reports write them (`保定`, `阜平县`, `恩施州恩施市`,
//! `我代表市人民政府` + `中山`) resolved to one division of the bundled
//! GB/T 2260 table (`rules/divisions.tsv`), so that every row carries the
//! region's full name as researchers write it (`河北省保定市阜平县`), its
//! level and its 6-digit code, whatever form the report used.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

pub use crate::error::TableError;
use crate::text::normalize::Fold;

/// The bundled table: provinces, prefectures and counties, with parents.
pub(crate) const TABLE: &str = include_str!("../../../rules/divisions.tsv");
/// The code changes of the table's divisions, with their years.
pub(crate) const HISTORY: &str = include_str!("../../../rules/division_history.tsv");

/// A level of government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The State Council.
    National,
    /// Provinces, autonomous regions and the four municipalities.
    Province,
    /// Prefecture-level cities, autonomous prefectures, leagues, 地区.
    Prefecture,
    /// Counties, districts, county-level cities, banners.
    County,
}

impl Level {
    /// The name written in the `level` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }
}

/// A resolved division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The full name as a path from the province down (`河北省保定市阜平县`);
    /// `中华人民共和国` for the State Council.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// Its 6-digit code; `100000` for the country, which GB/T 2260 does
    /// not code (the usual convention, as in the table's first row).
    pub code: String,
}

#[derive(Debug)]
struct Division {
    code: String,
    name: String,
    level: Level,
    parent: Option<usize>,
}

/// The table, indexed by full name, short name and stem. Its maps are
/// looked up, never iterated, so their hash need only be fast (start-up).
#[derive(Debug)]
pub struct Divisions {
    all: Vec<Division>,
    /// Full names (`保定市`).
    full: FxHashMap<String, Vec<usize>>,
    /// Short forms that stand alone in titles: provinces and prefectures
    /// without their type (`保定`, `内蒙古`, `恩施州`), and a county's
    /// name under an older type (`清苑县` for 清苑区).
    short: FxHashMap<String, Vec<usize>>,
    /// A county's name without its type (`桦川`), only trusted when the
    /// report says which type it is (`我代表县人民政府`).
    stem: FxHashMap<String, Vec<usize>>,
    /// The longest key, in characters.
    longest: usize,
    /// The first two characters of every key: a place in a text where no
    /// key starts is passed with one lookup, not one per key length.
    starts: FxHashSet<[char; 2]>,
    /// Divisions by today's code.
    by_code: FxHashMap<String, usize>,
    /// Each division's earlier codes and names ([`history`]), oldest change last.
    history: FxHashMap<usize, Vec<history::Change>>,
    /// Today's division of each earlier code.
    successor: FxHashMap<String, usize>,
}

impl Divisions {
    /// The bundled table, its names indexed as `fold` folds them.
    pub fn bundled(fold: &Fold) -> Result<Divisions, TableError> {
        Divisions::parse(TABLE, fold)?.with_history(HISTORY)
    }

    /// The division a written name means (`保定市满城区`, `恩施州恩施市`,
    /// `宁夏`, `清苑县`). Each part must be a full or short name; when the
    /// last part names several divisions (`朝阳区`), the earlier parts pick
    /// one, else the one whose parent `context` mentions; else none.
    pub fn resolve(&self, written: &str, context: &str) -> Option<Place> {
        // A note in brackets is not part of the name: 新吴区（无锡高新区）.
        let written = written.split(['(', '（']).next().unwrap_or("");
        let parts: Vec<Vec<usize>> = self
            .scan(written, false)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        let (last, before) = parts.split_last()?;
        let fits = |c: usize| {
            before
                .iter()
                .filter(|p| p.iter().any(|&a| self.is_ancestor(a, c)))
                .count()
        };
        let best = if before.is_empty() {
            last.clone()
        } else {
            self.pick(last, fits)?
        };
        let best = if best.len() > 1 {
            let mentioned = self.mentioned(context);
            let hint = |c: usize| self.ancestors(c).filter(|a| mentioned.contains(a)).count();
            self.pick(&best, hint)?
        } else {
            best
        };
        match best[..] {
            [one] => Some(self.place(one)),
            _ => None,
        }
    }

    /// The division a report names only by its type (`我代表县人民政府`,
    /// `全市`): the one of that type (`县`) mentioned most often in `text`,
    /// by full name, short name or stem (`桦川`), except names written
    /// exactly as a word in `common` (合作, not 合作市); ties go to the higher level, then to
    /// the one whose parent is mentioned.
    pub fn by_mention(&self, text: &str, kind: char, common: &[String]) -> Option<Place> {
        let mut count: HashMap<usize, usize> = HashMap::new();
        let mut mentioned = Vec::new();
        for (key, v) in self.scan(text, true) {
            if common.iter().any(|w| w == key) {
                continue;
            }
            mentioned.extend_from_slice(&v);
            for &c in v.iter() {
                if self.is_kind(c, kind) {
                    *count.entry(c).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<usize> = count.keys().copied().collect();
        cands.sort_unstable();
        // A name of the type asked for beats one of a former type (县 → 区).
        let exact = |c: usize| usize::from(self.all[c].name.ends_with(kind));
        let mut best = self.pick(&cands, |c| 2 * count[&c] + exact(c))?;
        if best.len() > 1 {
            let depth = |c: usize| self.ancestors(c).count();
            let top = best.iter().map(|&c| depth(c)).min()?;
            best.retain(|&c| depth(c) == top);
        }
        if best.len() > 1 {
            best = self.pick(&best, |c| {
                self.ancestors(c).filter(|a| mentioned.contains(a)).count()
            })?;
        }
        match best[..] {
            [one] => Some(self.place(one)),
            _ => None,
        }
    }

    /// Whether a report calling itself `kind` (`县`) may be from division
    /// `c`: its type, or one it may have had before (a 县 that became a
    /// 区 or 市).
    fn is_kind(&self, c: usize, kind: char) -> bool {
        let d = &self.all[c];
        let now = d.name.chars().last();
        now == Some(kind)
            || (d.level == Level::County && kind == '县' && matches!(now, Some('区' | '市')))
    }

    /// The candidates with the highest positive score.
    fn pick(&self, cands: &[usize], score: impl Fn(usize) -> usize) -> Option<Vec<usize>> {
        let top = cands.iter().map(|&c| score(c)).max()?;
        if cands.len() > 1 && top == 0 {
            return None;
        }
        Some(cands.iter().copied().filter(|&c| score(c) == top).collect())
    }

    /// Divisions whose full or short name occurs in `text`.
    fn mentioned(&self, text: &str) -> Vec<usize> {
        self.scan(text, false)
            .into_iter()
            .flat_map(|(_, v)| v)
            .collect()
    }

    fn ancestors(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.all[c].parent, |&p| self.all[p].parent)
    }

    fn is_ancestor(&self, a: usize, c: usize) -> bool {
        self.ancestors(c).any(|p| p == a)
    }

    fn place(&self, c: usize) -> Place {
        self.place_in(c, None)
    }

    /// The place as it was named and coded in `year` (today's when `None`).
    fn place_in(&self, c: usize, year: Option<i32>) -> Place {
        // The path leaves out the country: 河北省保定市, not 中华人民共和国河北省保定市.
        let mut path: Vec<&str> = self
            .ancestors(c)
            .filter(|&a| self.all[a].level != Level::National)
            .map(|a| self.name_in(a, year))
            .collect();
        path.reverse();
        path.push(self.name_in(c, year));
        Place {
            name: path.concat(),
            level: self.all[c].level,
            code: self.code_in(c, year).to_string(),
        }
    }
}

mod history;
mod table;

#[cfg(test)]
mod tests;
