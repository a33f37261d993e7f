//! Document metadata: which region and year a report is from, and which
//! section heading each quantity sits under, so researchers can join rows
//! with panel data and tell a past result (`一、2020年工作回顾`) from a
//! target (`三、2021年重点工作`). The patterns live in the rule file's
//! `[metadata]` table.

use std::sync::Arc;

use regex::Regex;

use crate::meaning::region::{Divisions, Place};
use crate::text::normalize::{squeeze, Fold};

/// A report's region and year; empty when the report does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The governing body's region: its full name when the divisions table
    /// knows it (`河南省平顶山市卫东区`, `中华人民共和国`), else as written.
    pub region: String,
    /// The report's year (`2021` for the report delivered in February 2021).
    pub year: String,
    /// `national`, `province`, `prefecture` or `county`; empty when the
    /// region is not in the table.
    pub level: String,
    /// The region's 6-digit GB/T 2260 code (`100000` for the country).
    pub code: String,
}

impl Meta {
    /// Region, level and code of a resolved place.
    pub fn set_place(&mut self, p: Place) {
        self.region = p.name;
        self.level = p.level.as_str().to_string();
        self.code = p.code;
    }
}

/// The compiled `[metadata]` patterns.
#[derive(Debug)]
pub struct MetaRules {
    /// Tried in order on the opening of a report; groups `region` and
    /// `year`, or a fixed region for the pattern (`我代表国务院` → `全国`).
    pub(crate) title: Vec<(Regex, Option<String>)>,
    /// Tried in order when no title names a known region: a report that
    /// names only its type (`我代表市人民政府`, `全县`); group `kind`.
    pub(crate) by_type: Vec<Regex>,
    /// Ordinary words that are also county stems (合作 of 合作市), not
    /// taken as a mention of the place.
    pub(crate) common: Vec<String>,
    /// Where place names are resolved.
    pub(crate) divisions: &'static Divisions,
    /// Finds a year in a file name when the text gives none.
    pub(crate) file_year: Option<Regex>,
    /// The year a report reviews (`一、2022年工作回顾`), group `year`: the
    /// report is of the next year. Used when the title block gives none,
    /// before the file name.
    pub(crate) review_year: Option<Regex>,
    /// A top-level section heading at a line start; group `h`.
    pub(crate) heading: Option<Regex>,
}

/// How much of a report's opening is searched for its title block.
const OPENING_CHARS: usize = 1500;
/// How much of a report's opening is searched for mentions of its place
/// when the title block names only its type: the name may first appear in
/// the third paragraph.
const MENTION_CHARS: usize = 6000;
/// Longest heading kept, in characters.
const HEADING_CHARS: usize = 40;

impl MetaRules {
    /// Region and year from the opening of a report (its first characters)
    /// and, for the year only, its file name. The first region a title
    /// pattern finds that the divisions table knows wins; then one named
    /// by type and mentioned by name; else the first found, as written.
    pub fn detect(&self, opening: &str, file_name: &str, fold: &Fold) -> Meta {
        let head: String = opening.chars().take(OPENING_CHARS).collect();
        // Line by line: the title and the date line are lines of their own.
        let lines: Vec<String> = head.lines().map(|l| fold.str(&squeeze(l))).collect();
        // A title block broken over two lines (`在霍山县⏎第十八届…`) is read joined.
        let pairs: Vec<String> = lines
            .windows(2)
            .map(|w| format!("{}{}", w[0], w[1]))
            .collect();
        let context = lines.concat();
        let mut meta = Meta::default();
        let mut written = Vec::new();
        for (re, fixed) in &self.title {
            if let Some(c) = lines.iter().chain(&pairs).find_map(|l| re.captures(l)) {
                if let Some(r) = c.name("region").map(|r| r.as_str()).or(fixed.as_deref()) {
                    written.push(r.to_string());
                }
                if meta.year.is_empty() {
                    if let Some(y) = c.name("year") {
                        meta.year = y.as_str().to_string();
                    }
                }
            }
        }
        let place = written
            .iter()
            .find_map(|w| self.divisions.resolve(w, &context))
            .or_else(|| {
                let wide: String = opening.chars().take(MENTION_CHARS).collect();
                let wide = fold.str(&squeeze(&wide));
                let mut kinds: Vec<char> = Vec::new();
                for re in &self.by_type {
                    for c in re.captures_iter(&wide) {
                        let k = c.name("kind").and_then(|k| k.as_str().chars().next());
                        if let Some(k) = k.filter(|k| !kinds.contains(k)) {
                            kinds.push(k);
                        }
                    }
                }
                kinds
                    .into_iter()
                    .find_map(|k| self.divisions.by_mention(&wide, k, &self.common))
            });
        match place {
            Some(p) => meta.set_place(p),
            None => {
                if let Some(w) = written.into_iter().find(|w| w.chars().count() >= 2) {
                    meta.region = w;
                }
            }
        }
        if meta.year.is_empty() {
            let reviewed = self
                .review_year
                .as_ref()
                .and_then(|re| lines.iter().find_map(|l| re.captures(l)))
                .and_then(|c| c.name("year")?.as_str().parse::<u32>().ok());
            if let Some(y) = reviewed {
                meta.year = (y + 1).to_string();
            }
        }
        if meta.year.is_empty() {
            if let Some(y) = self
                .file_year
                .as_ref()
                .and_then(|re| re.captures(file_name))
                .and_then(|c| c.name("year"))
            {
                meta.year = y.as_str().to_string();
            }
        }
        meta
    }

    /// What a manifest gives (`given`), field by field, else what the text
    /// says (`found`); a given region without a level or code gets them from
    /// the table. Also says where the two disagree: (field, given, found).
    pub fn complete(
        &self,
        given: &Meta,
        found: Meta,
    ) -> (Meta, Vec<(&'static str, String, String)>) {
        let mut clash = Vec::new();
        let given_place = (!given.region.is_empty())
            .then(|| self.divisions.resolve(&given.region, ""))
            .flatten();
        if let Some(p) = &given_place {
            if !found.code.is_empty() && p.code != found.code {
                clash.push(("region", given.region.clone(), found.region.clone()));
            }
        }
        if !given.year.is_empty() && !found.year.is_empty() && given.year != found.year {
            clash.push(("year", given.year.clone(), found.year.clone()));
        }
        let pick = |g: &str, f: String| if g.is_empty() { f } else { g.to_string() };
        let meta = if given.region.is_empty() {
            Meta {
                year: pick(&given.year, found.year),
                level: pick(&given.level, found.level),
                code: pick(&given.code, found.code),
                region: found.region,
            }
        } else {
            let (level, code) = given_place.map_or((String::new(), String::new()), |p| {
                (p.level.as_str().to_string(), p.code)
            });
            Meta {
                region: given.region.clone(),
                year: pick(&given.year, found.year),
                level: pick(&given.level, level),
                code: pick(&given.code, code),
            }
        };
        (meta, clash)
    }

    /// Section headings of a piece of text: (byte offset, heading), in order.
    pub fn headings(&self, text: &str) -> Vec<(usize, Arc<str>)> {
        let Some(re) = &self.heading else {
            return Vec::new();
        };
        re.captures_iter(text)
            .filter_map(|c| {
                let h = c.name("h")?;
                let clean = squeeze(h.as_str());
                let cut: String = clean
                    .split(['。', '：', ':'])
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(HEADING_CHARS)
                    .collect();
                Some((h.start(), Arc::from(cut.as_str())))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::RuleSet;

    #[test]
    fn title_blocks_give_region_and_year() {
        let rs = RuleSet::default_rules().unwrap();
        let m = |opening: &str, file: &str| {
            let meta = rs.meta.detect(opening, file, &rs.fold);
            (meta.region, meta.year)
        };
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(m(" 区十届人大七次会议文件（十二）\n\n政 府 工 作 报 告\n——2021年2月23日在卫东区第十届人民代表大会第七次会议上\n", "x.txt"), s("河南省平顶山市卫东区", "2021"));
        assert_eq!(
            m("各位代表：\\r\\n现在，我代表容城县第十四届人民政府，向大会报告 2007年换届以来的工作，对今后五年和2012年的工作提出建议，请予审议", "x.txt").1,
            "2012"
        );
        assert_eq!(
            m(
                "政府工作报告\n\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n",
                "a.txt"
            ),
            s("中华人民共和国", "2022")
        );
        assert_eq!(m("2025年宁夏政府工作报告\n来源：青海日报\n——2025年1月19日在宁夏回族自治区第十三届人民代表大会第三次会议上", "a.txt"), s("宁夏回族自治区", "2025"));
        assert_eq!(
            m(
                "工作报告\n保定市满城区2022年政府工作报告\n时间：2023-03-30",
                "a.txt"
            ),
            s("河北省保定市满城区", "2022")
        );
        assert_eq!(
            m(
                "各位代表：\n\n现在，我代表市人民政府向大会报告工作",
                "jg2024_003.txt"
            ),
            s("", "2024")
        );
        assert_eq!(m("各位代表：", "hebei_baoding_001.txt"), s("", ""));
        assert_eq!(
            m(
                "政府工作报告\n——2023年1月5日在霍山县\n第十八届人民代表大会第二次会议上",
                "a.txt"
            ),
            s("安徽省六安市霍山县", "2023")
        );
        assert_eq!(
            m(
                "2023 年周口市国民经济和社会发展统计公报\n周 口 市 统 计 局",
                "a.pdf"
            ),
            s("河南省周口市", "2023")
        );
        assert_eq!(
            m(
                "各位代表：\n　　我代表国务院向大会作政府工作报告",
                "state-council-1984.txt"
            ),
            s("中华人民共和国", "1984")
        );
    }

    #[test]
    fn body_openings_and_date_lines_give_the_place() {
        let rs = RuleSet::default_rules().unwrap();
        let m = |opening: &str| {
            let meta = rs.meta.detect(opening, "x.txt", &rs.fold);
            (meta.region, meta.year, meta.level, meta.code)
        };
        let s = |a: &str, b: &str, c: &str, d: &str| {
            (a.to_string(), b.to_string(), c.to_string(), d.to_string())
        };
        assert_eq!(
            m("各位代表：\n现在，我代表深圳市人民政府，向大会报告工作"),
            s("广东省深圳市", "", "prefecture", "440300")
        );
        // The date line's year wins over the file name's.
        assert_eq!(
            m("政府工作报告\n——2024年1月在六安市第六届人民代表大会第四次会议上"),
            s("安徽省六安市", "2024", "prefecture", "341500")
        );
        // A report reviewing 2022 is the 2023 report, whatever its file name.
        let reviewed = rs.meta.detect(
            "各位代表：现在，我代表市人民政府。 一、2022年工作回顾 2022年是…池州发展",
            "jg2024_069.txt",
            &rs.fold,
        );
        assert_eq!(
            (reviewed.region.as_str(), reviewed.year.as_str()),
            ("安徽省池州市", "2023")
        );
        let named = rs.meta.detect(
            "——2024年1月在六安市第六届人民代表大会",
            "lu_2019.txt",
            &rs.fold,
        );
        assert_eq!(named.year, "2024");
        assert_eq!(
            m("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2023年工作回顾\n2023年是……也是中山改革发展承上启下的关键一年。"),
            s("广东省中山市", "2024", "prefecture", "442000")
        );
        assert_eq!(
            m("政府工作报告\n（2008年3月27日）\n各位代表：\n现在，我代表县政府向大会作政府工作报告。\n全县上下……清苑人民"),
            s("河北省保定市清苑区", "2008", "county", "130608")
        );
        assert_eq!(
            m("各位代表：\n　　我们第一届全國人民代表大會……現在，我代表中央人民政府作工作報告。"),
            s("中华人民共和国", "", "national", "100000")
        );
        assert_eq!(
            m("各位代表：\n现在，我代表市人民政府，向大会报告工作"),
            s("", "", "", "")
        );
    }

    #[test]
    fn headings_at_line_starts() {
        let rs = RuleSet::default_rules().unwrap();
        let text = "各位代表：\n一、2020年工作回顾\n过去一年，增长3%。\n  二、2021年重点工作：坚持稳中求进\n（一）加快发展。";
        let h: Vec<String> = rs
            .meta
            .headings(text)
            .into_iter()
            .map(|(_, h)| h.to_string())
            .collect();
        assert_eq!(h, ["一、2020年工作回顾", "二、2021年重点工作"]);
        // A copy whose line breaks became runs of em spaces.
        let flat = "各位代表： \u{2003}\u{2003}一、2020年工作回顾 \u{2003}\u{2003}过去一年，增长3%。 \u{2003}\u{2003}二、2021年主要任务 \u{2003}\u{2003}（一）加快发展。";
        let h: Vec<String> = rs
            .meta
            .headings(flat)
            .into_iter()
            .map(|(_, h)| h.to_string())
            .collect();
        assert_eq!(h, ["一、2020年工作回顾", "二、2021年主要任务"]);
        let ideographic = flat.replace('\u{2003}', "\u{3000}");
        assert_eq!(rs.meta.headings(&ideographic).len(), 2);
    }
}
