//! Scores the table reader against the blind table gold
//! (`tests/gold/tables/cells.tsv`, see its README): a gold cell is found
//! when a row read from a table (`rule` = `table`) of the same document has
//! the same row label (whitespace aside), value and unit; column labels are
//! compared and reported. A row read from a gold table (same caption,
//! whitespace aside) that matches no gold cell is spurious. Floors hold
//! what the reader reaches, per format.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{num, root, rows, run_ok, same};

/// Recall and the spurious share each format must keep (found, spurious).
const FLOORS: &[(&str, f64, f64)] = &[
    ("pdf", 0.95, 0.05),
    ("docx", 0.85, 0.20),
    ("text", 0.30, 0.02),
];

struct Cell {
    doc: String,
    table: String,
    row: String,
    column: String,
    value: String,
    unit: String,
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

fn format_of(doc: &str) -> &'static str {
    match doc.rsplit('.').next() {
        Some("pdf") => "pdf",
        Some("docx") => "docx",
        Some("html" | "htm") => "html",
        _ => "text",
    }
}

fn gold() -> Vec<Cell> {
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(root().join("tests/gold/tables/cells.tsv"))
        .expect("table gold");
    rd.records()
        .map(|r| {
            let r = r.expect("gold row");
            Cell {
                doc: r[0].to_string(),
                table: squeeze(&r[1]),
                row: squeeze(&r[2]),
                column: squeeze(&r[3]),
                value: r[7].to_string(),
                unit: r[6].to_string(),
            }
        })
        .collect()
}

/// The rows read from tables of the gold's documents, as `extract` gives them.
fn read(docs: &BTreeSet<String>) -> Vec<Cell> {
    let mut out = Vec::new();
    for doc in docs {
        // Documents the corpus' invariants do not fit (no year) are kept beside the gold.
        let beside = format!("tests/gold/tables/docs/{doc}");
        let path = match root().join(&beside).exists() {
            true => beside,
            false => format!("corpus/{doc}"),
        };
        let csv = run_ok(&["extract", "-q", &path]);
        for r in rows(csv) {
            if &r[10] == "table" {
                let at = |name: &str| shuliang::output::COLUMNS.iter().position(|c| *c == name);
                let get = |name: &str| r[at(name).expect("column")].to_string();
                out.push(Cell {
                    doc: doc.clone(),
                    table: squeeze(&get("table")),
                    row: squeeze(&get("row_label")),
                    column: squeeze(&get("column_label")),
                    value: get("value"),
                    unit: get("unit"),
                });
            }
        }
    }
    out
}

#[test]
fn table_gold_recall_and_spurious_rows_hold_their_floors() {
    let gold = gold();
    let docs: BTreeSet<String> = gold.iter().map(|g| g.doc.clone()).collect();
    let got = read(&docs);
    let mut used = vec![false; got.len()];
    // Per format: gold cells, found, column labels that agree.
    let mut score: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for g in &gold {
        let s = score.entry(format_of(&g.doc)).or_default();
        s.0 += 1;
        let hit = |q: &Cell| {
            q.doc == g.doc
                && q.row == g.row
                && q.unit == g.unit
                && same(num(&q.value), num(&g.value))
        };
        let pick = (0..got.len())
            .filter(|&i| !used[i] && hit(&got[i]))
            .min_by_key(|&i| got[i].column != g.column);
        if let Some(i) = pick {
            used[i] = true;
            s.1 += 1;
            s.2 += usize::from(got[i].column == g.column);
        }
    }
    let tables: BTreeSet<(&str, &str)> = gold.iter().map(|g| (&*g.doc, &*g.table)).collect();
    let mut spurious: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (q, used) in got.iter().zip(&used) {
        if tables.contains(&(&*q.doc, &*q.table)) {
            let s = spurious.entry(format_of(&q.doc)).or_default();
            s.0 += 1;
            s.1 += usize::from(!used);
        }
    }
    let mut report = String::new();
    let mut failed = false;
    for &(format, recall_floor, spurious_ceiling) in FLOORS {
        let (n, found, columns) = score.get(format).copied().unwrap_or_default();
        let (rows, bad) = spurious.get(format).copied().unwrap_or_default();
        let recall = found as f64 / n.max(1) as f64;
        let share = bad as f64 / rows.max(1) as f64;
        report.push_str(&format!(
            "{format}: recall {found}/{n} = {recall:.3} (column labels agree {columns}/{found}), spurious {bad}/{rows} = {share:.3}\n"
        ));
        failed |= recall < recall_floor || share >= spurious_ceiling;
    }
    assert!(!failed, "table gold below its floors:\n{report}");
    println!("{report}");
}
