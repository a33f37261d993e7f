//! Document metadata: which region and year a report is from, and which
//! section heading each quantity sits under, so researchers can join rows
//! with panel data and tell a past result (`一、2020年工作回顾`) from a
//! target (`三、2021年重点工作`). The patterns live in the rule file's
//! `[metadata]` table.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use crate::meaning::region::{Divisions, Place};
use crate::text::normalize::{squeeze, ArabicYears, Flat, Fold};

mod doc_type;
mod heading;
mod year;

pub use doc_type::{doc_type_alias, DocTypeExample, DOC_TYPES};
pub(crate) use heading::Headings;
pub use year::arabic_dates;
use year::{closing_year, header_year};

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
    /// The region's 6-digit GB/T 2260 code in the report's year (`100000`
    /// for the country), once [`MetaRules::date`] has run; today's before.
    pub code: String,
    /// The region's code today, which stays the same over the years of a
    /// panel (徐水县's 130625 of 2013 is 130609 now).
    pub code_now: String,
    /// What the document is: `work_report`, `statistical_bulletin`,
    /// `budget_report`, `plan_report` or `other` (a manifest may say more).
    pub doc_type: String,
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
    /// The heading of the year's work (`三、2023年主要任务`).
    Plan,
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
            YearSource::Plan => "plan_heading",
            YearSource::Closing => "closing_date",
            YearSource::Header => "header",
            YearSource::FileName => "file_name",
        }
    }
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
    /// Finds a year in a file name when the text gives none.
    pub(crate) file_year: Option<Regex>,
    /// The year a report reviews (`一、2022年工作回顾`), group `year`: the
    /// report is of the next year. Used when the title block gives none,
    /// before the file name.
    pub(crate) review_year: Option<Regex>,
    /// The heading of the year's work anywhere in the text (`三、2023年主要
    ///任务`), group `year`: the report is of that year. Used when the
    /// title block and the review heading give none.
    pub(crate) plan_year: Option<Regex>,
    /// A top-level section heading at a line start; group `h`.
    pub(crate) heading: Option<Headings>,
    /// A numbered heading inside a run of text, after a sentence's end
    /// (`…开局。二、2024年工作安排`: a copy that lost its line ends); group `h`.
    pub(crate) inline_heading: Option<Regex>,
    /// What a document is, from the lines of its opening: (type, pattern),
    /// tried in order, the first that matches a line winning.
    pub(crate) doc_type: Vec<(String, Regex)>,
    /// The rule file's examples of `doc_type`, which `rules test` runs.
    pub doc_type_examples: Vec<DocTypeExample>,
    /// The rules' folding: the divisions table's names are folded with it,
    /// as the text they are looked up in is (陆丰市 as 六丰市).
    pub(crate) fold: Fold,
    /// The bundled divisions table, its names folded.
    pub(crate) divisions: OnceLock<Divisions>,
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
    /// Where place names are resolved: the bundled divisions table, parsed
    /// when a report first names a place (≈21 M instructions a start-up
    /// that reads no place would spend), not when the rules load.
    fn divisions(&self) -> &Divisions {
        self.divisions.get_or_init(|| {
            Divisions::bundled(&self.fold).expect("the bundled divisions table parses (tested)")
        })
    }

    /// Region and year from the opening of a report (its first characters)
    /// and, for the year only, its file name. The first region a title
    /// pattern finds that the divisions table knows wins; then one named
    /// by type and mentioned by name; else the first found, as written.
    /// `traditional`: whether `opening` holds a traditional character, when
    /// known.
    pub fn detect(
        &self,
        opening: &str,
        file_name: &str,
        fold: &Fold,
        traditional: Option<bool>,
    ) -> Meta {
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
            .find_map(|w| self.divisions().resolve(w, &context))
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
                    .find_map(|k| self.divisions().by_mention(&wide, k, &self.common))
            });
        match place {
            Some(p) => meta.set_place(p),
            None => {
                if let Some(w) = written.into_iter().find(|w| w.chars().count() >= 2) {
                    meta.region = w;
                }
            }
        }
        let planned = self.planned_year(opening, title_year.is_some(), traditional);
        let years = [
            (YearSource::Title, title_year),
            (YearSource::Review, self.reviewed_year(&lines)),
            (YearSource::Plan, planned),
            (YearSource::Closing, closing_year(opening, fold)),
            (YearSource::Header, header_year),
            (YearSource::FileName, self.file_year(file_name)),
        ];
        meta.settle_year(years);
        meta.doc_type = self.doc_type(&lines, &pairs);
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
            .then(|| self.divisions().resolve(&self.fold.str(&given.region), ""))
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
                code_now: String::new(),
                doc_type: pick(&given.doc_type, found.doc_type),
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
                code_now: String::new(),
                doc_type: pick(&given.doc_type, found.doc_type),
                year_from,
                year_others,
            }
        };
        (meta, clash)
    }

    /// The code of the region in the report's year, and today's in
    /// `code_now`, where the divisions table has the region's history; a
    /// region `named` by the table (not written by a manifest) gets the
    /// name of that year too (河北省保定市徐水县 in 2013). A code the table
    /// does not know is kept in both.
    pub fn date(&self, meta: &mut Meta, named: bool) {
        let year = meta.year.parse().ok();
        // No code, no lookup: the table is not parsed for a report without a place.
        let known = (!meta.code.is_empty()).then(|| {
            let table = self.divisions();
            (
                table.by_code_in(&meta.code, None),
                table.by_code_in(&meta.code, year),
            )
        });
        let Some((Some(now), Some(then))) = known else {
            meta.code_now.clone_from(&meta.code);
            return;
        };
        if named && meta.region == now.name {
            meta.region = then.name;
        }
        meta.code = then.code;
        meta.code_now = now.code;
    }

    /// Section headings of a piece of text: (byte offset, heading), in order:
    /// those at line starts, and those inside a run of text
    /// (`inline_heading`), which a copy without line ends has only.
    /// Where the text holds traditional characters (`flat`, the text
    /// prepared: [`Flat::traditional`]) they are matched folded (過去一年 as
    /// 过去一年), and quoted as written.
    pub fn headings(&self, text: &str, flat: &Flat) -> Vec<(usize, Arc<str>)> {
        let folded = match flat.traditional {
            true => self.fold.same_width_of(text, flat.touched()),
            false => std::borrow::Cow::Borrowed(text),
        };
        // Years in Chinese numerals (`二〇二一年…统计公报`) and full-width
        // digits read as Arabic ones; the digits are among the characters
        // `flat` lists as folded, at the same bytes in `folded`.
        let dated = ArabicYears::new(&folded, flat.touched());
        let mut found = self
            .heading
            .as_ref()
            .map_or_else(Vec::new, |h| h.find(&dated.text));
        if let Some(re) = &self.inline_heading {
            for h in re.captures_iter(&dated.text).filter_map(|c| c.name("h")) {
                match found.binary_search_by_key(&h.start(), |f| f.start) {
                    // A numbered heading found at a line's start that runs on
                    // into its paragraph (no line end after it) ends where
                    // the inline one does.
                    Ok(i) if !ends_line(&dated.text[found[i].end..]) => found[i] = h.range(),
                    Ok(_) => {}
                    Err(i) => found.insert(i, h.range()),
                }
            }
        }
        found
            .into_iter()
            .map(|h| {
                let h = dated.written(h.start)..dated.written(h.end);
                let clean = squeeze(&text[h.clone()]);
                let cut: String = clean
                    .split(['。', '：', ':'])
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(HEADING_CHARS)
                    .collect();
                (h.start, Arc::from(cut.as_str()))
            })
            .collect()
    }
}

/// Whether `rest`, the text after a heading, begins at a line's end (a
/// break, the characters `\r\n` some copies carry, layout space) or is
/// empty.
fn ends_line(rest: &str) -> bool {
    rest.chars().next().is_none_or(|c| {
        matches!(
            c,
            '\n' | '\r' | '\\' | ' ' | '\t' | '\u{a0}' | '\u{2003}' | '\u{3000}'
        )
    })
}

/// How an aggregator's header line that restates the title begins.
const HEADER_TITLE: &str = "标题:";

#[cfg(test)]
mod tests;
