//! What a figure's own sentence says: its [`Cues`].

use std::borrow::Cow;
use std::cmp::Reverse;

use crate::meaning::scan::{Ask, Clause};
use crate::text::lazy_regex::LazyRegex;

use super::{hit, last_captures, whole_number, Cues, Period, Sentence, StatusRules, Year};

/// The first and last year of the five-year plan written `十四` (`“十四五”`) or `九`.
pub(super) fn plan_years(number: &str) -> Option<(i32, i32)> {
    let n = whole_number(number)?;
    // The sixth plan began in 1981; every later one five years after the last.
    let from = 1981 + 5 * (n - 6);
    (n >= 6).then_some((from, from + 4))
}

/// Whether `text` is a year alone, in Arabic or Chinese numerals (`2010年`, `一九八二年`).
fn is_year(text: &str) -> bool {
    text.strip_suffix('年').is_some_and(|y| {
        y.chars().count() == 4
            && y.chars()
                .all(|c| c.is_ascii_digit() || "〇○零一二三四五六七八九".contains(c))
    })
}

/// The year of `从` and a year that `head` ends with (`从1974年`): the
/// `到1976年` after it ends a span of years, no goal year.
fn since_a_year(head: &str) -> Option<i32> {
    let year = head.strip_suffix('年')?;
    let digits = year.get(year.len().checked_sub(4)?..)?;
    let opening = year[..year.len() - 4].ends_with('从');
    (opening && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

/// Whether `text` opens with a note in brackets that `re` finds in.
fn in_note(re: &Option<LazyRegex>, text: &str) -> bool {
    text.strip_prefix(['(', '（'])
        .is_some_and(|note| hit(re, note))
}

impl StatusRules {
    /// The cues of a figure: `sentence` is its sentence up to the figure
    /// (cut at `；` too), `full` the same since the last `。`, `after` the
    /// text after it up to the clause's end, `clause` the part since the
    /// last comma (or previous figure), scanned.
    /// `named` says whether a text holds an indicator's name. `read` holds
    /// what the figures before in the same sentence read of it ([`Sentence::at`]).
    pub(crate) fn cues(
        &self,
        [sentence, full, after]: [&str; 3],
        scanned: &Clause,
        read: &mut Sentence,
        named: impl Fn(&str) -> bool,
    ) -> Cues {
        let clause = scanned.text();
        let (target, actual) = read.target_actual(self, sentence);
        let mut c = Cues {
            estimate: self.in_estimate(full, read.estimate(self, full), named)
                // `全市地区生产总值增长6.5%（预计，下同）`: the figure itself, as the
                // `下同` items after it are by the `预计` they follow.
                || in_note(&self.estimate, after),
            // `增长6.5%(年度目标6%以上)`: the figure's clause is a note in brackets
            // right after the figure before that restates its target.
            restated: hit(&self.restated, after) || in_note(&self.restated, clause),
            target,
            headline: read.headline(self, full),
            actual,
            average: scanned.hit(Ask::Average),
            reached: scanned.hit(Ask::Reached),
            ..Cues::default()
        };
        c.span = scanned
            .hit(Ask::Span)
            .then(|| self.span_in(clause))
            .flatten();
        if c.span.is_none() && c.average {
            c.span = self.span_in(sentence);
        }
        // `到一九八五年`, `，一九五七年全国…`: years in Chinese numerals as Arabic.
        let dated = crate::meaning::meta::arabic_dates(sentence);
        let until = self.until.as_ref().and_then(|re| last_captures(re, &dated));
        let year = |m: Option<regex::Match>| m?.as_str().parse().ok().map(Year::Abs);
        let opening =
            |m: &regex::Captures| m.get(0).and_then(|to| since_a_year(&dated[..to.start()]));
        match until.as_ref().map(|m| (opening(m), m)) {
            // `从一九七四年到一九七六年，…损失…`: the years from one to the other.
            Some((Some(from), m)) => {
                if let (None, Some(to)) = (c.span, year(m.name("year"))) {
                    c.span = Some(Period {
                        from: Year::Abs(from),
                        to,
                        months: None,
                    });
                }
            }
            Some((None, m)) => c.until = year(m.name("year")),
            None => {}
        }
        let starts_change;
        (c.year, starts_change) = self.years_in(&dated);
        // `预计2010年，…人均生产总值由2005年的1.47万元提高到2.8万元`: the
        // start of a change at a year it names is that year's result, known,
        // whatever a `预计` says of the change's end.
        if starts_change {
            c.estimate = false;
            c.actual = true;
        }
        c.base = self.base_in(scanned, &dated);
        // `一九八一年比一九八○年增长`: a year compared with the year before is a result.
        if let (Some(Year::Abs(y)), Some(Year::Abs(b))) = (c.year, c.base) {
            c.actual |= y == b + 1;
        }
        c.months = self
            .months_of(sentence, full, c.year)
            .filter(|_| !scanned.hit(Ask::WholeYear));
        c
    }

    /// The part of a year a figure is about, from its `sentence` (cut at
    /// `；`), else from its whole sentence `full` if a part opens it
    /// (`前三季度，全市实现地区生产总值…；地方一般公共预算收入完成…、增长6.2%`),
    /// unless the figure's own part names a `year`. The period cue nearest
    /// the figure wins: a whole year named after the part of one ends it
    /// (`下半年…加快，全年增长19.5%，全社会固定资产投资增长14.1%`), a
    /// later part replaces it (`；1-11月…`).
    fn months_of(&self, sentence: &str, full: &str, year: Option<Year>) -> Option<(u8, u8)> {
        let since_whole = |text: &'_ str| -> usize {
            self.whole_year
                .as_ref()
                .and_then(|re| re.find_iter(text).last())
                .map_or(0, |m| m.end())
        };
        let opens_with_part = || {
            full.split([',', '，', ';', '；', ':', '：'])
                .next()
                .and_then(|head| self.months_in(head))
                .is_some()
        };
        self.months_in(&sentence[since_whole(sentence)..])
            .or_else(|| {
                (year.is_none() && opens_with_part())
                    .then(|| self.months_in(&full[since_whole(full)..]))
                    .flatten()
            })
    }

    /// Whether a `预计` reaches the end of `sentence` (since the last `。`):
    /// one that opens a clause reaches the items after it with no verb of
    /// their own, and an item with its own predicate (`完成…`) ends it
    /// unless the first clause has one too (`预计…完成…；…达到…`, items
    /// of one shape); one after an item's name
    /// (`地区生产总值预计完成…`) reaches that item and, if it opens the
    /// sentence, past its `；` the items with no verb of their own
    /// (`…；固定资产投资增长11.1%`).
    /// `last` is the last `预计` in it, as (start, end).
    fn in_estimate(
        &self,
        sentence: &str,
        last: Option<(usize, usize)>,
        named: impl Fn(&str) -> bool,
    ) -> bool {
        let Some((start, end)) = last else {
            return false;
        };
        let opening = sentence[..start]
            .rsplit([',', '，', ';', '；', ':', '：'])
            .next()
            .unwrap_or("");
        // `初步预计，全省生产总值完成…`: the clause it opens starts after the comma.
        let rest = sentence[end..].trim_start_matches([',', '，', ':', '：']);
        // `预计2010年，全县生产总值达到…`: a year standing as the first clause
        // dates the clauses after it, which are the ones read.
        let rest = match rest.split_once([',', '，']) {
            Some((year, after)) if is_year(year) => after,
            _ => rest,
        };
        if named(opening) && rest.contains([';', '；']) {
            // Past its item, the first of the sentence, only the items with
            // no verb of their own; past another item, none.
            let first = !sentence[..start].contains([';', '；']);
            let item = rest.rsplit([';', '；']).next().unwrap_or("");
            return first && !hit(&self.predicate, item);
        }
        let mut clauses = rest.split([',', '，', ';', '；']);
        let verb = |c: &str| hit(&self.predicate, c);
        let first = clauses.next().is_some_and(verb);
        clauses.all(|c| first || !verb(c))
    }

    /// Whether a figure's clause ends where a change starts (`由`, `从`)
    /// and the text `after` it goes on to the change's end (`提高到`): the
    /// figure is the level at the start ([`Cues::change_start`]).
    pub fn starts_a_change(&self, clause: &str, after: &str) -> bool {
        hit(&self.change_start, clause.trim_end()) && hit(&self.change_to, after)
    }

    /// Whether `clause` opens with the start of a change (`由1997年的…`).
    pub fn opens_a_change(&self, clause: &str) -> bool {
        hit(&self.change_opening, clause)
    }

    /// The year standing as the first clause of a figure's whole sentence
    /// `full` (`2016年，全县生产总值完成…；一般公共预算收入完成…`), which
    /// dates a level after a `；` too, unless its own part of the sentence
    /// (`sentence`) names a span (`；五年来，…累计完成投资…`).
    pub fn opening_year(&self, full: &str, sentence: &str) -> Option<Year> {
        let (head, _) = full.split_once([',', '，'])?;
        let dated = crate::meaning::meta::arabic_dates(head);
        let year = dated.strip_suffix('年').filter(|_| is_year(head))?;
        if self.span_in(sentence).is_some() {
            return None;
        }
        year.parse().ok().map(Year::Abs)
    }

    /// A span of years named in `text`: `2021-2025年`, `“十四五”时期`, `过去五年`.
    pub(super) fn span_in(&self, text: &str) -> Option<Period> {
        let c = last_captures(self.span.as_ref()?, text)?;
        let count = |g: &str| c.name(g).and_then(|m| whole_number(m.as_str()));
        let (from, to) = if let (Some(a), Some(b)) = (c.name("from"), c.name("to")) {
            (
                Year::Abs(a.as_str().parse().ok()?),
                Year::Abs(b.as_str().parse().ok()?),
            )
        } else if let Some(p) = c.name("plan") {
            let (a, b) = plan_years(p.as_str())?;
            (Year::Abs(a), Year::Abs(b))
        } else if let Some(n) = count("past")
            .or_else(|| count("past2"))
            .or_else(|| count("past3"))
            .or_else(|| count("past4"))
        {
            (Year::Rel(-n), Year::Rel(-1))
        } else if let Some(n) = count("next") {
            (Year::Rel(0), Year::Rel(n - 1))
        } else {
            return None;
        };
        Some(Period {
            from,
            to,
            months: None,
        })
    }

    /// The base year a figure is compared with: one its clause names
    /// (`比2005年下降`), else one that opens its sentence (`与2010年相比，`);
    /// years may be in Chinese numerals (`同一九七八年相比`): `dated` is the
    /// sentence with them in Arabic, as [`StatusRules::cues`] has it already.
    /// The clause as written is searched only where its scan found a base.
    fn base_in(&self, clause: &Clause, dated: &str) -> Option<Year> {
        let year = |re: &Option<LazyRegex>, text: &str| {
            let c = last_captures(re.as_ref()?, text)?;
            let y = c.iter().skip(1).flatten().next()?;
            y.as_str().parse().ok().map(Year::Abs)
        };
        let own = match crate::meaning::meta::arabic_dates(clause.text()) {
            Cow::Borrowed(_) if !clause.hit(Ask::Base) => None,
            text => year(&self.base, &text),
        };
        own.or_else(|| year(&self.base_opening, dated))
    }

    /// The year a figure's sentence names for it: the last one written.
    /// A year written for a level at one end of a change (`从2020年的`,
    /// `…提升到2025年的`) is the year of the figure right after it alone.
    pub(super) fn year_in(&self, text: &str) -> Option<Year> {
        self.years_in(text).0
    }

    /// [`StatusRules::year_in`] of `text`, and whether `text` ends with the
    /// year of a level at the start of a change (`由2005年的`), the
    /// figure's: one search of `text` gives both, the last match's groups
    /// being the first `year_in` reads (searched again for the second,
    /// ≈4 instructions a byte of a report).
    fn years_in(&self, text: &str) -> (Option<Year>, bool) {
        // The matches found without their groups, which are read from the
        // last back, as `captures_iter(text).filter(…).last()` would give
        // them: a sentence is read so for each of its figures.
        let Some(re) = self.year.as_ref() else {
            return (None, false);
        };
        let starts: Vec<usize> = re.find_iter(text).map(|m| m.start()).collect();
        let mut found = starts.into_iter().rev().map(|at| re.captures_at(text, at));
        let last = found.next().flatten();
        let starts_change = last.as_ref().is_some_and(|c| {
            c.name("point").is_some() && c.get(0).is_some_and(|m| m.end() == text.len())
        });
        let year = last
            .into_iter()
            .chain(found.flatten())
            .find(|c| !in_passing(c, text))
            .and_then(|c| self.year_of(&c));
        (year, starts_change)
    }

    /// The year a match of the `year` pattern names.
    pub(super) fn year_of(&self, c: &regex::Captures) -> Option<Year> {
        if let Some(y) = c
            .name("year")
            .or_else(|| c.name("will"))
            .or_else(|| point(c))
        {
            return y.as_str().parse().ok().map(Year::Abs);
        }
        let word = c.name("rel")?.as_str();
        self.relative
            .iter()
            .find(|(w, _)| w == word)
            .map(|&(_, d)| Year::Rel(d))
    }

    /// The part of a year a figure's sentence names (`前三季度`, `1-9月`):
    /// the one written last, nearest the figure, so that each item of
    /// `一季度增长4.7%、二季度累计增长6.3%` has its own; of two that end
    /// together the longer (`前三季度`, not the `三季度` inside it).
    fn months_in(&self, text: &str) -> Option<(u8, u8)> {
        if self
            .part_ends
            .as_ref()
            .is_some_and(|ends| !ends.is_match(text))
        {
            return None;
        }
        // `从上半年5.5%降到5.3%`: the part a change starts from is the
        // first figure's alone.
        let own = |m: &regex::Match| {
            m.end() == text.len() || !hit(&self.change_start, &text[..m.start()])
        };
        let parts = self.parts.iter().filter_map(|p| {
            let m = p.regex.find_iter(text).filter(own).last()?;
            Some(((m.end(), Reverse(m.start())), Some(p.months)))
        });
        let spans = self.months.as_ref().and_then(|re| {
            let c = last_captures(re, text).filter(|c| c.get(0).is_some_and(|m| own(&m)))?;
            let m1: u8 = c.name("m1")?.as_str().parse().ok()?;
            let m2: u8 = c.name("m2")?.as_str().parse().ok()?;
            let whole = c.get(0)?;
            let months = (1 <= m1 && m1 < m2 && m2 <= 12).then_some((m1, m2));
            Some(((whole.end(), Reverse(whole.start())), months))
        });
        parts.chain(spans).max_by_key(|&(at, _)| at)?.1
    }
}

/// The year of a level at one end of a change (`从2020年的53.2%`), if the
/// match is one.
fn point<'h>(c: &regex::Captures<'h>) -> Option<regex::Match<'h>> {
    c.name("point").or_else(|| c.name("point_to"))
}

/// Whether a match of the `year` pattern in `text` is a level's year that
/// is not the figure's at `text`'s end: the year of that level alone.
pub(super) fn in_passing(c: &regex::Captures, text: &str) -> bool {
    point(c).is_some() && c.get(0).is_some_and(|m| m.end() != text.len())
}
