//! Scores the table reader against the blind table gold
//! (`tests/gold/tables/cells.tsv`, see its README): a gold cell is found
//! when a row read from a table (`rule` = `table`) of the same document has
//! the same row label (whitespace aside), value and unit; column labels are
//! compared and reported. A table as read (a run of rows with the same
//! `table`) is a gold table when one of its rows matched a gold cell, or
//! when at least half of its cells are written as the document's gold
//! cells are: a table whose caption, labels or units the reader gets wrong
//! still counts, and of a caption printed twice (a compiled file of
//! several bulletins) only the table the gold took. Its rows that match no
//! gold cell are spurious. Floors hold what the reader reaches, per format.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{num, root, rows, run_ok, same};

/// Recall and the spurious share each format (and `all` of them) must keep.
const FLOORS: &[(&str, f64, f64)] = &[
    ("pdf", 1.0, 0.01),
    ("docx", 0.966, 0.01),
    ("text", 1.0, 0.01),
    ("all", 0.98, 0.01),
];

struct Cell {
    doc: String,
    /// The number as written.
    cell: String,
    /// The table as read: rows in a run with the same `table` share it.
    instance: usize,
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
                instance: 0,
                cell: squeeze(&r[4]),
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
    let mut out: Vec<Cell> = Vec::new();
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
                let table = squeeze(&get("table"));
                let instance = match out.last() {
                    Some(l) if l.doc == *doc && l.table == table => l.instance,
                    Some(l) => l.instance + 1,
                    None => 0,
                };
                out.push(Cell {
                    doc: doc.clone(),
                    instance,
                    cell: squeeze(&get("text")),
                    table,
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
    let written: BTreeSet<(&str, &str)> = gold.iter().map(|g| (&*g.doc, &*g.cell)).collect();
    // Per table as read: rows, rows written as gold cells are, rows matched.
    let mut instances: BTreeMap<usize, (usize, usize, bool)> = BTreeMap::new();
    for (q, &used) in got.iter().zip(&used) {
        let i = instances.entry(q.instance).or_default();
        i.0 += 1;
        i.1 += usize::from(written.contains(&(&*q.doc, &*q.cell)));
        i.2 |= used;
    }
    let in_gold = |q: &Cell| {
        let (n, as_gold, matched) = instances[&q.instance];
        matched || 2 * as_gold >= n
    };
    let mut spurious: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (q, used) in got.iter().zip(&used) {
        if in_gold(q) {
            let s = spurious.entry(format_of(&q.doc)).or_default();
            s.0 += 1;
            s.1 += usize::from(!used);
        }
    }
    let all = score
        .values()
        .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    score.insert("all", all);
    let all = spurious
        .values()
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    spurious.insert("all", all);
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

/// `explain` names the table, row and column behind a table's cell, and
/// the prose rows around it are those `extract` gives.
#[test]
fn explain_names_the_table_row_and_column_of_a_cell() {
    let out = String::from_utf8(run_ok(&[
        "explain",
        "--file",
        "corpus/excerpts/panji-2022-bulletin.txt",
        "--at",
        "316",
    ]))
    .expect("UTF-8");
    for want in [
        "7.7  [316..319]  rule `table` (rules/zh.toml:[tables])",
        "  table     2022年全区生产总值及其增长速度\n  row       生产总值\n  column    比上年增长%",
        "  unit      % → % (percent)",
        "  measures  生产总值 → gdp  (increase)",
        "  context   生产总值 | 295.4 | 7.7",
        "11.6%  [120..125]  rule `percent`",
    ] {
        assert!(out.contains(want), "{want:?} not in\n{out}");
    }
}

/// An HTML bulletin page (a fixture modeled on statistics bureaus' pages:
/// the corpus's HTML pages hold no data table): data tables inside a
/// layout table's cell, a two-row header of `th` with `rowspan` and
/// `colspan`, a unit column, a unit line and sub-rows.
#[test]
fn html_tables_inside_a_layout_table_with_merged_header_cells() {
    let csv = run_ok(&[
        "extract",
        "-q",
        "tests/fixtures/published/bulletin-table.html",
    ]);
    let got: Vec<String> = rows(csv)
        .iter()
        .filter(|r| &r[10] == "table")
        .map(|r| {
            let at = |name: &str| shuliang::output::COLUMNS.iter().position(|c| *c == name);
            let get = |name: &str| r[at(name).expect("column")].to_string();
            [
                get("row_label"),
                get("column_label"),
                get("value"),
                get("unit"),
            ]
            .join(" ")
        })
        .collect();
    for want in [
        "钢材 2023年/产量 1584000000 kg",
        "钢材 2023年/比上年增长（%） 4.8 %",
        "火力发电 2023年/产量 8020000000 kWh",
        "汽车 2023年/产量 126000 辆",
        "全体居民人均可支配收入 绝对数 38265 CNY",
        "城镇居民人均可支配收入 比上年增长（%） 5 %",
    ] {
        assert!(got.iter().any(|g| g == want), "{want:?} not in {got:#?}");
    }
    assert_eq!(got.len(), 16, "{got:#?}");
}
