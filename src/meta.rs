//! Document metadata: which region and year a report is from, and which
//! section heading each quantity sits under, so researchers can join rows
//! with panel data and tell a past result (`一、2020年工作回顾`) from a
//! target (`三、2021年重点工作`). The patterns live in the rule file's
//! `[metadata]` table.

use std::sync::Arc;

use regex::Regex;

use crate::normalize::{squeeze, Fold};

/// A report's region and year; empty when the report does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The governing body's region as written (`卫东区`, `宁夏回族自治区`, `全国`).
    pub region: String,
    /// The report's year (`2021` for the report delivered in February 2021).
    pub year: String,
    /// `national`, `province`, `prefecture` or `county`.
    pub level: String,
    /// The 6-digit administrative division code (GB/T 2260).
    pub code: String,
}

/// The compiled `[metadata]` patterns.
#[derive(Debug)]
pub struct MetaRules {
    /// Tried in order on the opening of a report; groups `region` and
    /// `year`, or a fixed region for the pattern (`我代表国务院` → `全国`).
    pub(crate) title: Vec<(Regex, Option<String>)>,
    /// Finds a year in a file name when the text gives none.
    pub(crate) file_year: Option<Regex>,
    /// A top-level section heading at a line start; group `h`.
    pub(crate) heading: Option<Regex>,
}

/// How much of a report's opening is searched for its title block.
const OPENING_CHARS: usize = 1500;
/// Longest heading kept, in characters.
const HEADING_CHARS: usize = 40;

impl MetaRules {
    /// Region and year from the opening of a report (its first characters)
    /// and, for the year only, its file name.
    pub fn detect(&self, opening: &str, file_name: &str, fold: &Fold) -> Meta {
        let head: String = opening.chars().take(OPENING_CHARS).collect();
        // Line by line: the title and the date line are lines of their own.
        let lines: Vec<String> = head.lines().map(|l| fold.str(&squeeze(l))).collect();
        // A title block broken over two lines (`在霍山县⏎第十八届…`) is read joined.
        let pairs: Vec<String> = lines
            .windows(2)
            .map(|w| format!("{}{}", w[0], w[1]))
            .collect();
        let mut meta = Meta::default();
        for (re, fixed) in &self.title {
            if let Some(c) = lines.iter().chain(&pairs).find_map(|l| re.captures(l)) {
                if meta.region.is_empty() {
                    if let Some(r) = c.name("region").map(|r| r.as_str()).or(fixed.as_deref()) {
                        meta.region = r.to_string();
                    }
                }
                if meta.year.is_empty() {
                    if let Some(y) = c.name("year") {
                        meta.year = y.as_str().to_string();
                    }
                }
            }
            if !meta.region.is_empty() && !meta.year.is_empty() {
                break;
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
        assert_eq!(m(" 区十届人大七次会议文件（十二）\n\n政 府 工 作 报 告\n——2021年2月23日在卫东区第十届人民代表大会第七次会议上\n", "x.txt"), s("卫东区", "2021"));
        assert_eq!(
            m(
                "政府工作报告\n\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n",
                "a.txt"
            ),
            s("全国", "2022")
        );
        assert_eq!(m("2025年宁夏政府工作报告\n来源：青海日报\n——2025年1月19日在宁夏回族自治区第十三届人民代表大会第三次会议上", "a.txt"), s("宁夏回族自治区", "2025"));
        assert_eq!(
            m(
                "工作报告\n保定市满城区2022年政府工作报告\n时间：2023-03-30",
                "a.txt"
            ),
            s("保定市满城区", "2022")
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
            s("霍山县", "2023")
        );
        assert_eq!(
            m(
                "2023 年周口市国民经济和社会发展统计公报\n周 口 市 统 计 局",
                "a.pdf"
            ),
            s("周口市", "2023")
        );
        assert_eq!(
            m(
                "各位代表：\n　　我代表国务院向大会作政府工作报告",
                "state-council-1984.txt"
            ),
            s("全国", "1984")
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
    }
}
