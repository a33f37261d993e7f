//! Document metadata: which region and year a report is from, and which
//! section heading each quantity sits under, so researchers can join rows
//! with panel data and tell a past result (`一、2020年工作回顾`) from a
//! target (`三、2021年重点工作`). The patterns live in the rule file's
//! `[metadata]` table.

use std::borrow::Cow;
use std::sync::Arc;

use once_cell::sync::Lazy;
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
    /// Where the year was read, so that a researcher can tell a report
    /// whose year the text states from one whose year is a guess.
    pub year_from: YearSource,
    /// Other years the document's sources gave (`file_name 2013`), `;`-joined;
    /// empty when every source agrees.
    pub year_others: String,
}

/// Where a report's year was read, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YearSource {
    /// Nothing gave a year.
    #[default]
    None,
    /// A manifest or a stream line's metadata.
    Manifest,
    /// The title block or the date line under it (`——2013年2月28日在…`).
    Title,
    /// The review heading (`一、2022年工作回顾`: the report is of 2023).
    Review,
    /// A date line at the end of the report.
    Closing,
    /// An aggregator's header (`年份：2012`), which the text overrides.
    Header,
    /// The file name.
    FileName,
}

impl YearSource {
    /// As the `year_from` column of `panel --check` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            YearSource::None => "",
            YearSource::Manifest => "manifest",
            YearSource::Title => "title",
            YearSource::Review => "review_heading",
            YearSource::Closing => "closing_date",
            YearSource::Header => "header",
            YearSource::FileName => "file_name",
        }
    }
}

/// Dates written in Chinese numerals, or with a letter O for a zero
/// (`二〇〇八年一月十五日`, `二O一一年`, `二00七年`), in Arabic digits, so that
/// the title, date-line and heading patterns, written for `2008年1月15日`,
/// read them too. Other text is returned as it is.
pub fn arabic_dates(s: &str) -> Cow<'_, str> {
    static DATE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            "(?P<y>[12一二][0-9〇零○Oo一二三四五六七八九]{3})年(?:(?P<m>十[一二]?|[一二三四五六七八九])月(?:(?P<d>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?",
        )
        .expect("valid pattern")
    });
    if !s.contains('年') {
        return Cow::Borrowed(s);
    }
    let digit = |c: char| match c {
        '0' | '〇' | '零' | '○' | 'O' | 'o' => Some('0'),
        '一' => Some('1'),
        '二' => Some('2'),
        '三' => Some('3'),
        '四' => Some('4'),
        '五' => Some('5'),
        '六' => Some('6'),
        '七' => Some('7'),
        '八' => Some('8'),
        '九' => Some('9'),
        c if c.is_ascii_digit() => Some(c),
        _ => None,
    };
    DATE.replace_all(s, |c: &regex::Captures<'_>| {
        let y = &c["y"];
        // Already Arabic: leave the match as written.
        if y.chars().all(|ch| ch.is_ascii_digit()) && c.name("m").is_none() {
            return c[0].to_string();
        }
        let year: String = y.chars().filter_map(digit).collect();
        let mut out = format!("{year}年");
        let small = |g: &str| {
            c.name(g)
                .and_then(|m| crate::text::numeral::parse(m.as_str()))
                .map(|n| n.value.to_integer().to_string())
        };
        if let Some(m) = small("m") {
            out.push_str(&m);
            out.push('月');
            if let Some(d) = small("d") {
                out.push_str(&d);
                out.push('日');
            }
        }
        out
    })
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
        let lines: Vec<String> = head
            .lines()
            .map(|l| arabic_dates(&fold.str(&squeeze(l))).into_owned())
            .collect();
        // A title block broken over two lines (`在霍山县⏎第十八届…`) is read joined.
        let pairs: Vec<String> = lines
            .windows(2)
            .map(|w| format!("{}{}", w[0], w[1]))
            .collect();
        let context = lines.concat();
        let mut meta = Meta::default();
        let mut written = Vec::new();
        let (mut title_year, mut header_year) = (None, header_year(&lines));
        for (re, fixed) in &self.title {
            if let Some((line, c)) = lines
                .iter()
                .chain(&pairs)
                .find_map(|l| Some((l, re.captures(l)?)))
            {
                if let Some(r) = c.name("region").map(|r| r.as_str()).or(fixed.as_deref()) {
                    written.push(r.to_string());
                }
                // An aggregator's `标题:` line is its header, not the report's title.
                let slot = if line.starts_with(HEADER_TITLE) {
                    &mut header_year
                } else {
                    &mut title_year
                };
                if slot.is_none() {
                    *slot = c.name("year").map(|y| y.as_str().to_string());
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
        let years = [
            (YearSource::Title, title_year),
            (YearSource::Review, self.reviewed_year(&lines)),
            (YearSource::Closing, closing_year(opening, fold)),
            (YearSource::Header, header_year),
            (YearSource::FileName, self.file_year(file_name)),
        ];
        meta.settle_year(years);
        meta
    }

    /// The year after the one the review heading names (`一、2022年工作回顾` → 2023).
    fn reviewed_year(&self, lines: &[String]) -> Option<String> {
        let re = self.review_year.as_ref()?;
        let y: u32 = lines
            .iter()
            .find_map(|l| re.captures(l))?
            .name("year")?
            .as_str()
            .parse()
            .ok()?;
        Some((y + 1).to_string())
    }

    /// A year in the file name (`hebei_2012.txt`).
    fn file_year(&self, file_name: &str) -> Option<String> {
        let c = self.file_year.as_ref()?.captures(file_name)?;
        Some(c.name("year")?.as_str().to_string())
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
        // The manifest's year, with the text's sources that disagree; else the text's.
        let (year_from, year_others) = if given.year.is_empty() {
            (found.year_from, found.year_others.clone())
        } else {
            let mut others = Vec::new();
            if !found.year.is_empty() && found.year != given.year {
                others.push(format!("{} {}", found.year_from.as_str(), found.year));
            }
            if !found.year_others.is_empty() {
                others.push(found.year_others.clone());
            }
            (YearSource::Manifest, others.join(";"))
        };
        let meta = if given.region.is_empty() {
            Meta {
                year: pick(&given.year, found.year),
                level: pick(&given.level, found.level),
                code: pick(&given.code, found.code),
                region: found.region,
                year_from,
                year_others,
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
                year_from,
                year_others,
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

impl Meta {
    /// Takes the year of the first source in `years` (best first) that gives
    /// one and records the other sources that say otherwise.
    fn settle_year<const N: usize>(&mut self, years: [(YearSource, Option<String>); N]) {
        let mut found = years
            .into_iter()
            .filter_map(|(from, y)| y.map(|y| (from, y)));
        let Some((from, year)) = found.next() else {
            return;
        };
        let others: Vec<String> = found
            .filter(|(_, y)| *y != year)
            .map(|(f, y)| format!("{} {y}", f.as_str()))
            .collect();
        self.year = year;
        self.year_from = from;
        self.year_others = others.join(";");
    }
}

/// How an aggregator's header line that restates the title begins.
const HEADER_TITLE: &str = "标题:";

/// How much of a report's end is searched for its closing date line.
const CLOSING_CHARS: usize = 200;

/// The year of a date alone on one of the last lines of `text`
/// (`二〇〇八年一月十五日`), where a report without a date line under its
/// title may sign off. Only a text that is the whole report ends with one,
/// so a piece cut mid-report rarely gives a wrong year.
fn closing_year(text: &str, fold: &Fold) -> Option<String> {
    static DATE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"^[(（]?(?P<year>(?:19|20)[0-9]{2})年[0-9]{1,2}月(?:[0-9]{1,2}日)?[)）]?$")
            .expect("valid pattern")
    });
    let start = text
        .char_indices()
        .rev()
        .nth(CLOSING_CHARS)
        .map_or(0, |(i, _)| i);
    text[start..]
        .lines()
        .rev()
        .map(|l| arabic_dates(&fold.str(&squeeze(l))).into_owned())
        .find(|l| !l.is_empty())
        .and_then(|l| Some(DATE.captures(&l)?.name("year")?.as_str().to_string()))
}

/// The year an aggregator's header gives (`年份：2012`): used only when the
/// text gives none, and reported when it disagrees with the text.
fn header_year(lines: &[String]) -> Option<String> {
    static HEADER: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?:^|\s)年份:(?P<year>(?:19|20)[0-9]{2})").expect("valid pattern")
    });
    lines
        .iter()
        .find_map(|l| Some(HEADER.captures(l)?.name("year")?.as_str().to_string()))
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
    fn years_in_chinese_numerals_closing_lines_and_headers() {
        use super::{arabic_dates, YearSource};
        let rs = RuleSet::default_rules().unwrap();
        let m = |opening: &str, file: &str| {
            let meta = rs.meta.detect(opening, file, &rs.fold);
            (meta.year, meta.year_from, meta.year_others)
        };
        assert_eq!(arabic_dates("二〇〇八年一月十五日"), "2008年1月15日");
        assert_eq!(arabic_dates("二O一一年"), "2011年");
        assert_eq!(arabic_dates("二00七年十二月"), "2007年12月");
        assert_eq!(arabic_dates("2020年的工作"), "2020年的工作");
        assert_eq!(arabic_dates("二〇三五年远景目标"), "2035年远景目标");
        // A date line in Chinese numerals under the title.
        assert_eq!(
            m("政府工作报告\n——二〇〇八年一月十五日在顺平县第十五届人民代表大会第二次会议上\n各位代表：", "x.txt"),
            ("2008".to_string(), YearSource::Title, String::new())
        );
        assert_eq!(
            m("政府工作报告\n（二O一一年二月十九日）\n各位代表：", "x.txt").0,
            "2011"
        );
        // The year only in the date line at the end.
        let long = format!(
            "政府工作报告\n各位代表：\n现在，我代表县人民政府作工作报告。\n{}\n\n二〇〇七年一月十日\n",
            "发展经济。".repeat(400)
        );
        assert_eq!(
            m(&long, "x.txt"),
            ("2007".to_string(), YearSource::Closing, String::new())
        );
        // An aggregator's header that contradicts the date line: the text wins, the header is reported.
        assert_eq!(
            m("标题：2018年河北省政府工作报告\n发文时间：未知\n二〇一九年一月十四日在河北省第十三届人民代表大会第二次会议上\n", "x.txt"),
            ("2019".to_string(), YearSource::Title, "header 2018".to_string())
        );
        assert_eq!(
            m("年份：2012\n各位代表：", "report_2013.txt"),
            (
                "2012".to_string(),
                YearSource::Header,
                "file_name 2013".to_string()
            )
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
