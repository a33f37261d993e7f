//! Where a report's year is read: its title block and the date line under
//! it, its review heading, its closing date line, an aggregator's header,
//! its file name; and dates in Chinese numerals read as Arabic ones.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{Meta, MetaRules, YearSource};
use crate::text::normalize::{squeeze, ArabicYears, Fold};

/// Dates written in Chinese numerals, or with a letter O for a zero
/// (`二〇〇八年一月十五日`, `二O一一年`, `二00七年`), in Arabic digits, so that
/// the title, date-line and heading patterns, written for `2008年1月15日`,
/// read them too. Other text is returned as it is.
pub fn arabic_dates(s: &str) -> Cow<'_, str> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            "(?P<y>[12一二][0-9〇零○Oo一二三四五六七八九]{3})年(?:(?P<m>十[一二]?|[一二三四五六七八九])月(?:(?P<d>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日)?)?",
        )
        .expect("valid pattern")
    });
    if !s.contains('年') {
        return Cow::Borrowed(s);
    }
    // Most texts' dates are Arabic years alone (`2023年`), which stay as
    // written: then the text is returned without being rebuilt. A figure's
    // sentence is read so once or more per row.
    let arabic = |m: regex::Match<'_>| {
        let t = m.as_str();
        t.len() == 4 + '年'.len_utf8() && t.as_bytes()[..4].iter().all(u8::is_ascii_digit)
    };
    if DATE.find_iter(s).all(arabic) {
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

impl MetaRules {
    /// The year after the one the review heading names (`一、2022年工作回顾` → 2023).
    pub(super) fn reviewed_year(&self, lines: &[String]) -> Option<String> {
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

    /// The year the heading of the year's work names (`三、2023年主要任务`),
    /// searched in the whole `text` only when the title block gave none
    /// (`titled`): a report whose opening names no year (上海 2023's
    /// `一、过去五年工作回顾`). `traditional`: whether `text` holds a
    /// traditional character, when known (`Flat::traditional`).
    pub(super) fn planned_year(
        &self,
        text: &str,
        titled: bool,
        traditional: Option<bool>,
    ) -> Option<String> {
        let re = self.plan_year.as_ref().filter(|_| !titled)?;
        // Traditional characters are looked for only where the text as
        // written has no such heading, and not at all where the text is
        // known to have none: a scan of every report costs.
        // In a copy without line ends, the headings inside its run of text;
        // years in Chinese numerals (`三、二〇二三年主要任务`) are read as
        // Arabic ones, in the same second look.
        let year = |t: &str| {
            let year = |c: regex::Captures| Some(c.name("year")?.as_str().to_string());
            re.captures(t).and_then(year).or_else(|| {
                let inline = self.inline_heading.as_ref()?.captures_iter(t);
                inline
                    .filter_map(|c| re.captures(c.name("h")?.as_str()))
                    .find_map(year)
            })
        };
        year(text).or_else(|| {
            // The characters folding touches, listed once for both.
            let touched: Vec<_> = self.fold.touched(text, &[]).collect();
            let folded = match traditional {
                Some(false) => Cow::Borrowed(text),
                _ => self.fold.same_width_of(text, &touched),
            };
            let dated = ArabicYears::new(&folded, &touched).text;
            // A second look only where folding changed the text.
            let same = matches!((&folded, &dated), (Cow::Borrowed(_), Cow::Borrowed(_)));
            (!same).then(|| year(&dated)).flatten()
        })
    }

    /// A year in the file name (`hebei_2012.txt`).
    pub(super) fn file_year(&self, file_name: &str) -> Option<String> {
        let c = self.file_year.as_ref()?.captures(file_name)?;
        Some(c.name("year")?.as_str().to_string())
    }
}

impl Meta {
    /// Takes the year of the first source in `years` (best first) that gives
    /// one and records the other sources that say otherwise.
    pub(super) fn settle_year<const N: usize>(&mut self, years: [(YearSource, Option<String>); N]) {
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

/// How much of a report's end is searched for its closing date line.
const CLOSING_CHARS: usize = 200;

/// The year of a date alone on one of the last lines of `text`
/// (`二〇〇八年一月十五日`), where a report without a date line under its
/// title may sign off. Only a text that is the whole report ends with one,
/// so a piece cut mid-report rarely gives a wrong year.
pub(super) fn closing_year(text: &str, fold: &Fold) -> Option<String> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
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
pub(super) fn header_year(lines: &[String]) -> Option<String> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|\s)年份:(?P<year>(?:19|20)[0-9]{2})").expect("valid pattern")
    });
    lines
        .iter()
        .find_map(|l| Some(HEADER.captures(l)?.name("year")?.as_str().to_string()))
}
