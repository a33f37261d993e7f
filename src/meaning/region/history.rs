//! The code changes of the table's divisions (`rules/division_history.tsv`),
//! so that a report carries the code its region had in the report's year:
//! 徐水县's report of 2013 is 130625, not 徐水区's 130609 of today.

use super::{Divisions, Place};
use crate::error::TableError;

/// A code and name a division had until a change.
#[derive(Debug)]
pub(super) struct Change {
    /// The year of the change: reports of this year and earlier carry `code`.
    year: i32,
    code: String,
    name: String,
}

impl Divisions {
    /// The table with the changes of `text` (`code⇥code before⇥name
    /// before⇥year⇥source` lines, `#` comments) attached to its divisions.
    pub(super) fn with_history(mut self, text: &str) -> Result<Divisions, TableError> {
        for (i, line) in text.lines().enumerate() {
            let err = |why: &str| TableError {
                line: i + 1,
                why: format!("division_history.tsv: {why}"),
            };
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let [now, code, name, year, _source] = f[..] else {
                return Err(err("expected five tab-separated fields"));
            };
            let &c = self.by_code.get(now).ok_or_else(|| err("unknown code"))?;
            let year = year.parse().map_err(|_| err("the year is not a number"))?;
            self.successor.insert(code.to_string(), c);
            let changes = self.history.entry(c).or_default();
            changes.push(Change {
                year,
                code: code.to_string(),
                name: name.to_string(),
            });
            changes.sort_by_key(|ch| std::cmp::Reverse(ch.year));
        }
        Ok(self)
    }

    /// The change in force in `year`: the earliest whose year is not before it.
    fn change_in(&self, c: usize, year: Option<i32>) -> Option<&Change> {
        let year = year?;
        self.history
            .get(&c)?
            .iter()
            .rev()
            .find(|ch| ch.year >= year)
    }

    /// The division's code in `year` (today's when `None` or unchanged).
    pub(super) fn code_in(&self, c: usize, year: Option<i32>) -> &str {
        self.change_in(c, year)
            .map_or(self.all[c].code.as_str(), |ch| ch.code.as_str())
    }

    /// The division's name in `year` (today's when `None` or unchanged).
    pub(super) fn name_in(&self, c: usize, year: Option<i32>) -> &str {
        self.change_in(c, year)
            .map_or(self.all[c].name.as_str(), |ch| ch.name.as_str())
    }

    /// The division a code, today's or an earlier one, stands for, as it
    /// was in `year` (as it is today when `None`); `None` for a code the
    /// table does not know.
    pub fn by_code_in(&self, code: &str, year: Option<i32>) -> Option<Place> {
        let c = self
            .by_code
            .get(code)
            .or_else(|| self.successor.get(code))?;
        Some(self.place_in(*c, year))
    }
}
