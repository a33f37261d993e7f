//! Layout is not meaning: a work report of `corpus/` with its line ends
//! removed (a web or spreadsheet copy, as `corpus/county/baoding_cty_*` and a
//! PDF copy of 枣庄 2024 are), its lines hard-wrapped every 37 characters (a
//! PDF's text) or its digits full-width (`２０２３年工作回顾`) gives the panel
//! of the original, cells compared by (doc,
//! indicator_id, status, value, refers_to). The documents listed below do not
//! yet, each for the reason given; every other one must, and the listed ones
//! may not lose more cells than they do today.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{bin, path, rows};

/// A panel cell's key.
type Cell = [String; 5];

/// The documents whose panel still moves with the layout, each with what
/// `panel --check` shows of it (the report's year lost, a period or status
/// read otherwise, fewer or more rows read as review and as targets); and
/// how many cells the listed ones differ by today (lost and gained), which
/// a change may lower, not raise. Hard-wrapped text is read as the
/// paragraphs it wraps (`text::wrap`), headings and years cut over two
/// lines too (`一、20⏎23年工作回顾`).
const NO_LINE_ENDS: (&[(&str, &str)], usize) = (
    &[
        (
            "city/hebei_baoding_003.txt",
            "rows read as review 61, as targets 70; here 11 and 70",
        ),
        (
            "city/hebei_baoding_005.txt",
            "period read otherwise: 2024->2021-2035",
        ),
        (
            "city/hebei_baoding_006.txt",
            "rows read as review 69, as targets 22; here 22 and 22",
        ),
        (
            "city/jg2024_001.txt",
            "period read otherwise: 2023->2021-2025",
        ),
        (
            "city/jg2024_012.txt",
            "period read otherwise: 2023->2019-2023",
        ),
        (
            "city/jg2024_069.txt",
            "rows read as review 152, as targets 137; here 142 and 18",
        ),
        (
            "city/jg2024_093.txt",
            "rows read as review 43, as targets 20; here 59 and 20",
        ),
        (
            "city/jg2024_097.txt",
            "rows read as review 202, as targets 54; here 202 and 48",
        ),
        (
            "city/jg2024_102.txt",
            "added with blind set M; its panel moves with the layout, not yet diagnosed",
        ),
        (
            "county/baoding_cty_005.txt",
            "rows read as review 19, as targets 8; here 19 and 0",
        ),
        (
            "county/baoding_cty_018.txt",
            "its year (2013, from the review_heading) is not found",
        ),
        (
            "county/baoding_cty_019.txt",
            "its year (2015, from the review_heading) is not found",
        ),
        (
            "county/baoding_cty_023.txt",
            "period read otherwise: 2009->2009-2013",
        ),
        (
            "county/baoding_cty_031.txt",
            "period read otherwise: 2016-2020->2020",
        ),
        (
            "county/baoding_cty_048.txt",
            "rows read as review 159, as targets 7; here 92 and 10",
        ),
        (
            "county/baoding_cty_060.txt",
            "rows read as review 86, as targets 59; here 137 and 8",
        ),
        (
            "county/baoding_cty_065.txt",
            "rows read as review 68, as targets 58; here 118 and 8",
        ),
        (
            "county/baoding_cty_069.txt",
            "rows read as review 64, as targets 38; here 16 and 14",
        ),
        (
            "national/state-council-1959.txt",
            "rows read as review 92, as targets 91; here 61 and 17",
        ),
        (
            "national/state-council-1983.txt",
            "rows read as review 78, as targets 0; here 8 and 0",
        ),
        (
            "national/state-council-1994.txt",
            "review to 1665 (20 rows), targets 2662-8001 (2); here to 7872 (26) and 1: \
             its review heading (`一、１９９３年…的回顾`) is read, the next \
             (`二、保持国民经济…发展`, no year) not inside the run of text",
        ),
        (
            "national/state-council-1995.txt",
            "rows read as review 33, as targets 4; here 11 and 6",
        ),
        (
            "national/state-council-1996.txt",
            "rows read as review 35, as targets 5; here 26 and 14",
        ),
        (
            "national/state-council-1997.txt",
            "rows read as review 39, as targets 5; here 21 and 5",
        ),
        (
            "national/state-council-1998.txt",
            "rows read as review 43, as targets 14; here 23 and 4",
        ),
        (
            "national/state-council-2001.txt",
            "rows read as review 20, as targets 0; here 22 and 0",
        ),
        (
            "national/state-council-2011.txt",
            "rows read as review 68, as targets 29; here 65 and 4",
        ),
        (
            "national/state-council-2012.txt",
            "rows read as review 69, as targets 27; here 13 and 20",
        ),
        (
            "national/state-council-2016.txt",
            "rows read as review 53, as targets 49; here 53 and 49",
        ),
        (
            "national/state-council-2021.txt",
            "rows read as review 35, as targets 29; here 35 and 29",
        ),
        (
            "national/state-council-2023.txt",
            "period read otherwise: 2018-2022->2013-2022",
        ),
        (
            "province/hebei_prov_001.txt",
            "rows read as review 82, as targets 42; here 132 and 2",
        ),
        (
            "province/hebei_prov_003.txt",
            "rows read as review 68, as targets 26; here 44 and 26",
        ),
        (
            "province/hebei_prov_005.txt",
            "status read otherwise: actual->plan",
        ),
        (
            "province/hebei_prov_011.txt",
            "status read otherwise: actual->actual, actual->plan",
        ),
        (
            "province/prov2025_017.txt",
            "period read otherwise: 2024->2021-2025",
        ),
        (
            "province/prov2026_001.txt",
            "period read otherwise: 2025->2021-2025",
        ),
        (
            "province/prov2026_004.txt",
            "rows read as review 136, as targets 46; here 128 and 54",
        ),
        (
            "province/prov2026_010.txt",
            "period read otherwise: 2025->2021-2025",
        ),
        (
            "province/prov2026_012.txt",
            "rows read as review 228, as targets 120; here 231 and 117",
        ),
        (
            "province/prov2026_013.txt",
            "period read otherwise: 2021-2025->2025",
        ),
        (
            "province/prov2026_016.txt",
            "status read otherwise: plan->actual",
        ),
        (
            "province/prov2026_022.txt",
            "rows read as review 168, as targets 41; here 168 and 8",
        ),
        (
            "province/prov2026_023.txt",
            "rows read as review 211, as targets 52; here 228 and 52",
        ),
        (
            "province/prov2026_024.txt",
            "rows read as review 37, as targets 6; here 51 and 6",
        ),
        (
            "province/prov2026_026.txt",
            "period read otherwise: 2025->2021-2025",
        ),
        (
            "province/prov2026_029.txt",
            "period read otherwise: 2025->2021-2025",
        ),
        (
            "province/prov2026_030.txt",
            "period read otherwise: 2025->2021-2025",
        ),
        (
            "weidong-2021.txt",
            "rows read as review 88, as targets 18; here 88 and 18",
        ),
    ],
    175,
);

const HARD_WRAPPED: (&[(&str, &str)], usize) = (
    &[
        (
            "county/hailar_008.txt",
            "rows read as review 84, as targets 19; here 84 and 19",
        ),
        (
            "national/state-council-1983.txt",
            "period read otherwise: 1978-1982->1979-1982",
        ),
        (
            "province/prov2026_024.txt",
            "rows read as review 37, as targets 6; here 31 and 6",
        ),
        (
            "province/prov2026_030.txt",
            "rows read as review 146, as targets 37; here 146 and 37",
        ),
    ],
    5,
);

/// Every work report's panel holds with its digits full-width.
const FULL_WIDTH: (&[(&str, &str)], usize) = (&[], 0);

#[test]
fn the_panel_holds_without_line_ends() {
    holds(no_line_ends, NO_LINE_ENDS);
}

#[test]
fn the_panel_holds_hard_wrapped() {
    holds(hard_wrapped, HARD_WRAPPED);
}

#[test]
fn the_panel_holds_with_full_width_digits() {
    holds(full_width, FULL_WIDTH);
}

/// The text with its ASCII digits full-width (`2023` as `２０２３`).
fn full_width(text: &str) -> String {
    let wide = |c: char| match c {
        '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
        c => c,
    };
    text.chars().map(wide).collect()
}

/// The text with every line end removed: runs of `\n`, `\r\n` and the
/// characters `\r\n` some copies carry.
fn no_line_ends(text: &str) -> String {
    text.replace("\r\n", "")
        .replace('\n', "")
        .replace("\\r\\n", "")
}

/// Each line cut into pieces of 37 characters, one a line.
fn hard_wrapped(text: &str) -> String {
    let lines = text.split('\n').map(|line| {
        let chars: Vec<char> = line.chars().collect();
        let pieces: Vec<String> = chars.chunks(37).map(|c| c.iter().collect()).collect();
        pieces.join("\n")
    });
    lines.collect::<Vec<_>>().join("\n")
}

fn holds(change: fn(&str) -> String, (known, moved): (&[(&str, &str)], usize)) {
    let dir = tempfile::tempdir().unwrap();
    let (orig, changed) = (dir.path().join("a"), dir.path().join("b"));
    for (doc, text) in work_reports() {
        for (root, text) in [(&orig, text.clone()), (&changed, change(&text))] {
            let file = root.join(&doc);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
    }
    let (a, b) = (cells(&orig), cells(&changed));
    let mut differ: BTreeMap<&str, usize> = BTreeMap::new();
    for c in a.symmetric_difference(&b) {
        *differ.entry(&c[0]).or_default() += 1;
    }
    let listed = |d: &str| known.iter().any(|(k, _)| *k == d);
    let new: Vec<_> = differ.iter().filter(|(d, _)| !listed(d)).collect();
    assert!(new.is_empty(), "panels that move with the layout: {new:?}");
    let now: usize = differ.values().sum();
    assert!(
        now <= moved,
        "{now} cells of the listed documents move, {moved} before"
    );
    let held: Vec<_> = known
        .iter()
        .filter(|(d, _)| !differ.contains_key(d))
        .collect();
    assert!(held.is_empty(), "listed documents that now hold: {held:?}");
}

/// Each work report of `corpus/` in UTF-8 (the manifest's `doc_type`), as
/// (doc, text).
fn work_reports() -> Vec<(String, String)> {
    let manifest = std::fs::read(path("corpus/manifest.csv")).unwrap();
    rows(manifest)
        .iter()
        .filter(|r| &r[4] == "work_report")
        .filter_map(|r| {
            let text = std::fs::read_to_string(path("corpus").join(&r[0])).ok()?;
            Some((r[0].to_string(), text))
        })
        .collect()
}

/// The panel's cells of the documents under `root`.
fn cells(root: &Path) -> BTreeSet<Cell> {
    let out = bin()
        .current_dir(root)
        .args(["panel", "-q", "."])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let head = reader.headers().unwrap().clone();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let at = ["doc", "indicator_id", "status", "value", "refers_to"].map(col);
    rows(&out.stdout)
        .iter()
        .map(|r| at.map(|i| r[i].to_string()))
        .collect()
}
