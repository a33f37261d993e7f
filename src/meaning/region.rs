//! Place names as reports write them (`保定`, `阜平县`, `恩施州恩施市`,
//! `我代表市人民政府` + `中山`) resolved to one division of the bundled
//! GB/T 2260 table (`rules/divisions.tsv`), so that every row carries the
//! region's full name as researchers write it (`河北省保定市阜平县`), its
//! level and its 6-digit code, whatever form the report used.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

pub use crate::error::TableError;

/// The bundled table: provinces, prefectures and counties, with parents.
const TABLE: &str = include_str!("../../rules/divisions.tsv");

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
}

/// Division types, longest first, that a short form drops.
const TYPES: [&str; 6] = ["自治区", "地区", "省", "市", "盟", "县"];

impl Divisions {
    /// The bundled table, parsed once.
    pub fn bundled() -> Result<&'static Divisions, TableError> {
        static CELL: OnceLock<Result<Divisions, TableError>> = OnceLock::new();
        CELL.get_or_init(|| Divisions::parse(TABLE))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses a table of `code⇥name⇥level⇥parent code` lines (`#` comments).
    /// Parents come before their children.
    pub fn parse(text: &str) -> Result<Divisions, TableError> {
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
        };
        let mut by_code: FxHashMap<&str, usize> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
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
                p => Some(*by_code.get(p).ok_or_else(|| err("unknown parent code"))?),
            };
            by_code.insert(code, d.all.len());
            d.all.push(Division {
                code: code.to_string(),
                name: name.to_string(),
                level,
                parent,
            });
        }
        for i in 0..d.all.len() {
            let name = d.all[i].name.clone();
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

    /// Names in `text`, longest first at each place, left to right: the
    /// divisions of that full name, else those a short form or (with
    /// `stems`) a stem may mean (`黄山`: 黄山市, and 黄山区 by its stem).
    fn scan<'t>(&self, text: &'t str, stems: bool) -> Vec<(&'t str, Vec<usize>)> {
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

    fn ancestors(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.all[c].parent, |&p| self.all[p].parent)
    }

    fn is_ancestor(&self, a: usize, c: usize) -> bool {
        self.ancestors(c).any(|p| p == a)
    }

    fn place(&self, c: usize) -> Place {
        let d = &self.all[c];
        // The path leaves out the country: 河北省保定市, not 中华人民共和国河北省保定市.
        let mut path: Vec<&str> = self
            .ancestors(c)
            .filter(|&a| self.all[a].level != Level::National)
            .map(|a| self.all[a].name.as_str())
            .collect();
        path.reverse();
        path.push(&d.name);
        Place {
            name: path.concat(),
            level: d.level,
            code: d.code.clone(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn r(written: &str, context: &str) -> Option<(String, &'static str, String)> {
        Divisions::bundled()
            .unwrap()
            .resolve(written, context)
            .map(|p| (p.name, p.level.as_str(), p.code))
    }

    fn s(name: &str, level: &'static str, code: &str) -> Option<(String, &'static str, String)> {
        Some((name.to_string(), level, code.to_string()))
    }

    #[test]
    fn full_and_short_names() {
        assert_eq!(r("保定", ""), s("河北省保定市", "prefecture", "130600"));
        assert_eq!(r("阜平县", ""), s("河北省保定市阜平县", "county", "130624"));
        assert_eq!(r("六安市", ""), s("安徽省六安市", "prefecture", "341500"));
        assert_eq!(r("内蒙古", ""), s("内蒙古自治区", "province", "150000"));
        assert_eq!(r("北京市", ""), s("北京市", "province", "110000"));
        assert_eq!(
            r("中华人民共和国", ""),
            s("中华人民共和国", "national", "100000")
        );
        assert_eq!(
            r("宁夏回族自治区", ""),
            s("宁夏回族自治区", "province", "640000")
        );
        assert_eq!(
            r("呼伦贝尔市海拉尔区", ""),
            s("内蒙古自治区呼伦贝尔市海拉尔区", "county", "150702")
        );
        assert_eq!(
            r("湖北省恩施州恩施市", ""),
            s("湖北省恩施土家族苗族自治州恩施市", "county", "422801")
        );
        assert_eq!(r("天门市", ""), s("湖北省天门市", "county", "429006"));
        assert_eq!(
            r("锡林郭勒盟", ""),
            s("内蒙古自治区锡林郭勒盟", "prefecture", "152500")
        );
    }

    #[test]
    fn older_types_and_ambiguous_names() {
        assert_eq!(r("清苑县", ""), s("河北省保定市清苑区", "county", "130608"));
        assert_eq!(
            r("保定市徐水县", ""),
            s("河北省保定市徐水区", "county", "130609")
        );
        assert_eq!(r("满城县", ""), s("河北省保定市满城区", "county", "130607"));
        // 朝阳区 is in Beijing and in Changchun: only a parent decides.
        assert_eq!(r("朝阳区", ""), None);
        assert_eq!(
            r("朝阳区", "北京市朝阳区人民政府"),
            s("北京市朝阳区", "county", "110105")
        );
        assert_eq!(r("北京市朝阳区", ""), s("北京市朝阳区", "county", "110105"));
        assert_eq!(r("地方", ""), None);
        assert_eq!(
            r("江苏省无锡市新吴区（无锡高新区）", ""),
            s("江苏省无锡市新吴区", "county", "320214")
        );
    }

    #[test]
    fn a_type_alone_is_resolved_by_the_name_mentioned() {
        let d = Divisions::bundled().unwrap();
        let common = ["合作".to_string()];
        let m = |text: &str, kind: char| d.by_mention(text, kind, &common).map(|p| p.name);
        assert_eq!(
            m("也是中山改革发展承上启下的关键一年", '市'),
            Some("广东省中山市".into())
        );
        assert_eq!(
            m("也是桦川振兴发展进程中极不寻常", '县'),
            Some("黑龙江省佳木斯市桦川县".into())
        );
        assert_eq!(m("各位代表", '县'), None);
        // 枝江市 is one of 宜昌's counties: the city wins a tie.
        assert_eq!(m("宜昌枝江", '市'), Some("湖北省宜昌市".into()));
        assert_eq!(m("加强合作", '市'), None);
        assert_eq!(
            m("加强合作。合作市", '市'),
            Some("甘肃省甘南藏族自治州合作市".into())
        );
        // A county that became a district still calls itself 县 in old reports.
        assert_eq!(
            m("我代表县政府。清苑", '县'),
            Some("河北省保定市清苑区".into())
        );
    }
}
