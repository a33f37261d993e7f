//! Runs the examples written in a rule file: every rule's, every
//! exclusion's, and every canonical indicator's (the `indicator_id` of
//! each row). This is what `shuliang rules test` and `cargo test` call.

use crate::extract::Extractor;
use crate::rules::Example;

/// One example that did not give what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `file:line: rule `id``, where the example is written.
    pub at: String,
    /// The example's text.
    pub text: String,
    /// What it should give.
    pub want: Vec<String>,
    /// What it gave (each row followed by the rule that produced it).
    pub got: Vec<String>,
    /// Why, when it is not a plain difference.
    pub note: Option<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}: example {:?}", self.at, self.text)?;
        if let Some(note) = &self.note {
            writeln!(f, "  {note}")?;
        }
        writeln!(
            f,
            "  want: {}",
            if self.want.is_empty() {
                "(no rows)".to_string()
            } else {
                self.want.join(" | ")
            }
        )?;
        write!(
            f,
            "  got:  {}",
            if self.got.is_empty() {
                "(no rows)".to_string()
            } else {
                self.got.join(" | ")
            }
        )
    }
}

/// The outcome of running all examples.
#[derive(Debug, Default)]
pub struct Report {
    /// Examples run.
    pub run: usize,
    /// Those that failed.
    pub failures: Vec<Failure>,
    /// Rules with no positive example; exclusions and indicators with no example at all.
    pub untested: Vec<String>,
}

impl Report {
    /// Why a rule file is refused, like one that does not parse, when an
    /// example fails: the first failure, how many fail, and `lister`, what
    /// lists them all. `None` when none fails.
    pub fn refusal(&self, lister: &str) -> Option<String> {
        let first = self.failures.first()?;
        Some(format!(
            "{first}\n({} of {} examples fail; {lister} lists them all)",
            self.failures.len(),
            self.run
        ))
    }
}

/// Runs every example of the extractor's rule set through the whole extractor.
pub fn run_examples(ex: &Extractor) -> Report {
    let rs = ex.rules();
    let mut report = Report::default();
    for r in rs.rules() {
        report.row_examples(ex, "rule", &r.id, &r.examples, true);
    }
    for x in rs.exclusions() {
        report.row_examples(ex, "exclusion", &x.id, &x.examples, false);
    }
    if rs.fold.has_stand_ins() {
        report.row_examples(ex, "table", "stand_ins", &rs.stand_in_examples, false);
    }
    if rs.tables.caption.is_some() {
        report.row_examples(ex, "table", "tables", &rs.table_examples, false);
    }
    report.status_examples(ex);
    report.indicator_examples(ex);
    report.doc_type_examples(ex);
    report
}

impl Report {
    /// Runs the examples of the rule, exclusion or table `id`, each held
    /// to the rows it gives (and, when `must_fire`, to one coming from `id`)
    /// and to what it warns of.
    fn row_examples(
        &mut self,
        ex: &Extractor,
        kind: &str,
        id: &str,
        examples: &[Example],
        must_fire: bool,
    ) {
        let rs = ex.rules();
        let positive = examples.iter().filter(|e| !e.gives.is_empty()).count();
        if examples.is_empty() || (must_fire && positive == 0) {
            self.untested.push(format!(
                "{}: {kind} `{id}` has no {}example",
                rs.source,
                if must_fire { "positive " } else { "" }
            ));
        }
        for e in examples {
            self.run += 1;
            let rows = ex.extract(&e.text);
            let got: Vec<String> = rows.iter().map(|q| q.summary()).collect();
            let fired = rows.iter().any(|q| &*q.rule == id);
            let warned: Vec<String> = ex
                .extract_piece(&e.text, 0)
                .suspects
                .into_iter()
                .map(|x| x.text)
                .collect();
            let note = if got != e.gives {
                None
            } else if must_fire && !e.gives.is_empty() && !fired {
                Some(format!("the rows are right, but none came from `{id}`"))
            } else if warned != e.warns {
                Some(format!(
                    "the rows are right, but it warns of {warned:?}, not {:?}",
                    e.warns
                ))
            } else {
                continue;
            };
            self.failures.push(Failure {
                at: format!("{}:{}: {kind} `{id}`", rs.source, e.line),
                text: e.text.clone(),
                want: e.gives.clone(),
                got: rows
                    .iter()
                    .map(|q| format!("{} ({})", q.summary(), q.rule))
                    .collect(),
                note,
            });
        }
    }

    /// Runs the `[status]` examples: each row's status and period in a
    /// report of the example's year.
    fn status_examples(&mut self, ex: &Extractor) {
        let rs = ex.rules();
        for e in &rs.status_examples {
            self.run += 1;
            let text = match &e.section {
                Some(h) => format!("{h}\n{}", e.text),
                None => e.text.clone(),
            };
            let got: Vec<String> = ex
                .extract(&text)
                .iter()
                .map(|q| status_summary(q, e.year))
                .collect();
            if got != e.gives {
                self.failures.push(Failure {
                    at: format!("{}:{}: status example", rs.source, e.line),
                    text: text.clone(),
                    want: e.gives.clone(),
                    got,
                    note: Some(format!("a report of {}", e.year)),
                });
            }
        }
    }

    /// Runs the `[metadata] doc_type` examples: the type of each opening.
    fn doc_type_examples(&mut self, ex: &Extractor) {
        let rs = ex.rules();
        for e in &rs.meta.doc_type_examples {
            self.run += 1;
            let got = ex.detect_meta(&e.text, "").doc_type;
            if got != e.doc_type {
                self.failures.push(Failure {
                    at: format!("{}:{}: doc_type example", rs.source, e.line),
                    text: e.text.clone(),
                    want: vec![e.doc_type.clone()],
                    got: vec![got],
                    note: None,
                });
            }
        }
    }

    /// Runs the `[[indicator]]` examples: the `indicator_id` of each row.
    fn indicator_examples(&mut self, ex: &Extractor) {
        let rs = ex.rules();
        let none = |id: &str| if id.is_empty() { "(none)" } else { id }.to_string();
        for d in rs.indicators() {
            if d.examples.is_empty() {
                self.untested.push(format!(
                    "{}:{}: indicator `{}` has no example",
                    rs.source, d.line, d.id
                ));
            }
            for e in &d.examples {
                self.run += 1;
                let rows = ex.extract(&e.text);
                let ids: Vec<&str> = rows
                    .iter()
                    .map(|q| q.indicator_id.as_deref().unwrap_or(""))
                    .collect();
                if ids == e.gives {
                    continue;
                }
                self.failures.push(Failure {
                    at: format!("{}:{}: indicator `{}`", rs.source, e.line, d.id),
                    text: e.text.clone(),
                    want: e.gives.iter().map(|id| none(id)).collect(),
                    got: rows
                        .iter()
                        .map(|q| {
                            let id = q.indicator_id.as_deref().unwrap_or("");
                            format!("{} {} = {}", q.text, q.indicator, none(id))
                        })
                        .collect(),
                    note: Some("the indicator_id of each row".to_string()),
                });
            }
        }
    }
}

/// `VALUE UNIT STATUS REFERS_TO` of a row in a report of `year`, `-` for empty.
fn status_summary(q: &crate::Quantity, year: i32) -> String {
    let period = q.refers_to.map(|p| p.render(Some(year)));
    format!(
        "{} {} {} {}",
        q.value_str(),
        q.unit,
        q.status.unwrap_or("-"),
        period.filter(|p| !p.is_empty()).as_deref().unwrap_or("-")
    )
}
