//! The divisions table parsed and indexed by full name, short name and
//! stem, and the scan that finds those names in a text.

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Division, Divisions, Level};
use crate::error::TableError;
use crate::text::normalize::Fold;

/// Division types, longest first, that a short form drops.
const TYPES: [&str; 6] = ["自治区", "地区", "省", "市", "盟", "县"];

impl Divisions {
    /// Parses a table of `code⇥name⇥level⇥parent code` lines (`#` comments),
    /// indexing the names as `fold` folds them (the text they are looked up
    /// in is folded). Parents come before their children.
    pub fn parse(text: &str, fold: &Fold) -> Result<Divisions, TableError> {
        // Sized once: growing the maps would hash every key again (start-up).
        let n = text.lines().count();
        let map = || FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut d = Divisions {
            all: Vec::with_capacity(n),
            full: map(),
            short: map(),
            stem: map(),
            longest: 0,
            starts: FxHashSet::with_capacity_and_hasher(n, Default::default()),
            by_code: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            history: FxHashMap::default(),
            successor: FxHashMap::default(),
        };
        for (i, line) in text.lines().enumerate() {
            let err = |why: &str| TableError {
                line: i + 1,
                why: why.to_string(),
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(code), Some(name), Some(level), Some(parent), None) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                return Err(err("expected four tab-separated fields"));
            };
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("the code is not six digits"));
            }
            let level = match level {
                "national" => Level::National,
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                _ => return Err(err("unknown level")),
            };
            let parent = match parent {
                "" => None,
                p => Some(*d.by_code.get(p).ok_or_else(|| err("unknown parent code"))?),
            };
            d.by_code.insert(code.to_string(), d.all.len());
            d.all.push(Division {
                code: code.to_string(),
                name: name.to_string(),
                level,
                parent,
            });
        }
        for i in 0..d.all.len() {
            let name = fold.str(&d.all[i].name);
            d.add(Key::Full, &name, i);
            for s in shorts(&name, d.all[i].level) {
                d.add(Key::Short, &s, i);
            }
            if d.all[i].level == Level::County {
                let stem = strip_type(&name);
                if stem.chars().count() >= 2 {
                    d.add(Key::Stem, stem, i);
                }
            }
        }
        Ok(d)
    }

    fn add(&mut self, key: Key, name: &str, i: usize) {
        self.longest = self.longest.max(name.chars().count());
        let mut first = name.chars();
        if let (Some(a), Some(b)) = (first.next(), first.next()) {
            self.starts.insert([a, b]);
        }
        let map = match key {
            Key::Full => &mut self.full,
            Key::Short => &mut self.short,
            Key::Stem => &mut self.stem,
        };
        // The key is copied only when new.
        match map.get_mut(name) {
            Some(v) if !v.contains(&i) => v.push(i),
            Some(_) => {}
            None => {
                map.insert(name.to_string(), vec![i]);
            }
        }
    }

    /// Names in `text`, longest first at each place, left to right: the
    /// divisions of that full name, else those a short form or (with
    /// `stems`) a stem may mean (`黄山`: 黄山市, and 黄山区 by its stem).
    pub(super) fn scan<'t>(&self, text: &'t str, stems: bool) -> Vec<(&'t str, Vec<usize>)> {
        let at: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i + 1 < at.len() {
            let most = self.longest.min(at.len() - 1 - i);
            let mut two = text[at[i]..].chars();
            if !matches!((two.next(), two.next()), (Some(a), Some(b)) if self.starts.contains(&[a, b]))
            {
                i += 1;
                continue;
            }
            let hit = (2..=most).rev().find_map(|n| {
                let key = &text[at[i]..at[i + n]];
                if let Some(v) = self.full.get(key) {
                    return Some((n, v.clone()));
                }
                let mut found: Vec<usize> = self.short.get(key).cloned().unwrap_or_default();
                if stems {
                    for &c in self.stem.get(key).into_iter().flatten() {
                        if !found.contains(&c) {
                            found.push(c);
                        }
                    }
                }
                (!found.is_empty()).then_some((n, found))
            });
            match hit {
                Some((n, v)) => {
                    out.push((&text[at[i]..at[i + n]], v));
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

enum Key {
    Full,
    Short,
    Stem,
}

/// A name without its type (`保定市` → `保定`), or the name itself.
fn strip_type(name: &str) -> &str {
    ["区", "市", "县", "旗"]
        .iter()
        .find_map(|t| name.strip_suffix(t))
        .unwrap_or(name)
}

/// The short forms a title may use for a division.
fn shorts(name: &str, level: Level) -> Vec<String> {
    let mut out = Vec::new();
    let n = name.chars().count();
    match level {
        Level::National => {}
        Level::Province | Level::Prefecture => {
            // Autonomous regions and prefectures drop the peoples too
            // (宁夏回族自治区 → 宁夏, 恩施土家族苗族自治州 → 恩施, 恩施州);
            // the place name is two to four characters.
            if name.ends_with("自治区") || name.ends_with("自治州") {
                for k in 2..=4.min(n.saturating_sub(4)) {
                    let stem: String = name.chars().take(k).collect();
                    if name.ends_with('州') {
                        out.push(format!("{stem}州"));
                    }
                    out.push(stem);
                }
            } else if let Some(stem) = TYPES.iter().find_map(|t| name.strip_suffix(t)) {
                if stem.chars().count() >= 2 {
                    out.push(stem.to_string());
                }
            }
        }
        Level::County => {
            // A county that became a district or city keeps its stem and
            // parent: 清苑县 is 清苑区, 藁城市 is 藁城区.
            let stem = strip_type(name);
            if stem != name && stem.chars().count() >= 2 {
                for t in ["县", "区", "市"] {
                    if &name[stem.len()..] != t {
                        out.push([stem, t].concat());
                    }
                }
            }
        }
    }
    out
}
