//! Counts of rows per rule, kind and unit, and the rules that never fired:
//! how a rule author sees what the rule file does to a corpus.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::extract::Quantity;
use crate::rules::RuleSet;

/// Row counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Rows in all.
    pub rows: u64,
    /// Rows per rule id.
    pub by_rule: BTreeMap<String, u64>,
    /// Rows per kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Rows per (kind, unit).
    pub by_unit: BTreeMap<(String, String), u64>,
}

impl Stats {
    /// Counts one row given its rule, kind and unit.
    pub fn count(&mut self, rule: &str, kind: &str, unit: &str) {
        self.rows += 1;
        bump(&mut self.by_rule, rule);
        bump(&mut self.by_kind, kind);
        match self.by_unit.get_mut(&(kind.to_string(), unit.to_string())) {
            Some(n) => *n += 1,
            None => {
                self.by_unit.insert((kind.to_string(), unit.to_string()), 1);
            }
        }
    }

    /// Counts rows.
    pub fn add(&mut self, rows: &[Quantity]) {
        for q in rows {
            self.count(&q.rule, &q.kind, &q.unit);
        }
    }

    /// Adds another count to this one.
    pub fn merge(&mut self, other: Stats) {
        self.rows += other.rows;
        for (k, n) in other.by_rule {
            *self.by_rule.entry(k).or_default() += n;
        }
        for (k, n) in other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        for (k, n) in other.by_unit {
            *self.by_unit.entry(k).or_default() += n;
        }
    }

    /// Counts the rows of an output of `shuliang extract`, CSV or JSONL.
    pub fn from_csv(input: impl std::io::Read) -> Result<Stats, String> {
        let (headers, records) = crate::output::read_output(input)?;
        let col = |name: &str| {
            headers
                .iter()
                .position(|c| c == name)
                .ok_or(format!("no `{name}` column"))
        };
        let (r, k, u) = (col("rule")?, col("kind")?, col("unit")?);
        let mut stats = Stats::default();
        for rec in records {
            let rec = rec?;
            stats.count(&rec[r], &rec[k], &rec[u]);
        }
        Ok(stats)
    }

    /// Rules of `rules` with no row here.
    pub fn never_fired<'a>(&self, rules: &'a RuleSet) -> Vec<&'a str> {
        rules
            .rules()
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| !self.by_rule.contains_key(*id))
            .collect()
    }

    /// A plain-text report, biggest counts first.
    pub fn render(&self, rules: &RuleSet) -> String {
        let mut out = format!("{} rows\n", self.rows);
        let mut section = |title: &str, mut items: Vec<(String, u64)>| {
            items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let _ = writeln!(out, "\nby {title}:");
            for (k, n) in items {
                let _ = writeln!(out, "  {n:>8}  {k}");
            }
        };
        section(
            "rule",
            self.by_rule.iter().map(|(k, n)| (k.clone(), *n)).collect(),
        );
        section(
            "kind",
            self.by_kind.iter().map(|(k, n)| (k.clone(), *n)).collect(),
        );
        section(
            "unit",
            self.by_unit
                .iter()
                .map(|((k, u), n)| {
                    (
                        format!("{k} {}", if u.is_empty() { "(none)" } else { u }),
                        *n,
                    )
                })
                .collect(),
        );
        let dead = self.never_fired(rules);
        let _ = writeln!(
            out,
            "\nrules that never fired: {}",
            if dead.is_empty() {
                "none".to_string()
            } else {
                dead.join(", ")
            }
        );
        out
    }
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dead_rules() {
        // An older output, of the first twelve columns: read by name.
        let csv = crate::output::COLUMNS[..12].join(",")
            + "\n\
            a,0,2,3%,3,,%,percent,,%,percent,\n\
            a,3,5,4%,4,,%,percent,,%,percent,\n\
            a,6,8,5家,5,,家,count,,家,count,\n";
        let s = Stats::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(s.rows, 3);
        assert_eq!(s.by_rule["percent"], 2);
        assert_eq!(s.by_unit[&("count".to_string(), "家".to_string())], 1);
        let rules = RuleSet::default_rules().unwrap();
        let dead = s.never_fired(&rules);
        assert!(dead.contains(&"money.cny") && !dead.contains(&"percent"));
        let text = s.render(&rules);
        assert!(text.starts_with("3 rows\n"));
        assert!(text.contains("       2  percent\n"), "{text}");
        assert!(text.contains("rules that never fired: range,"), "{text}");
        let mut t = Stats::default();
        t.merge(s.clone());
        t.merge(s);
        assert_eq!(t.by_kind["percent"], 4);
    }
}
