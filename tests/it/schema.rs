//! `shuliang schema` describes what `extract` writes: every row of `corpus/`
//! validates against it, and `docs/schema.json` (what README and docs/csv.md link) is its
//! output for the embedded rules. Re-bless with `SHULIANG_BLESS=1`.

use std::collections::BTreeSet;

use crate::common::{path, run_ok as shuliang};

#[test]
fn every_corpus_row_validates_against_the_schema() {
    let text = shuliang(&["schema"]);
    let path = path("docs/schema.json");
    if std::env::var_os("SHULIANG_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "docs/schema.json is stale: run SHULIANG_BLESS=1 cargo test --test it schema"
    );
    let schema: serde_json::Value = serde_json::from_slice(&text).unwrap();
    let fields = schema["fields"].as_array().unwrap();
    let units = &fields[6]["unitsByKind"];

    let csv_text = shuliang(&["extract", "-q", "corpus/"]);
    let mut rd = csv::Reader::from_reader(&csv_text[..]);
    let names: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let declared: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, declared, "the header is the schema's field list");
    let mut rows = 0;
    let mut kinds = BTreeSet::new();
    for rec in rd.records() {
        let rec = rec.unwrap();
        rows += 1;
        for (f, v) in fields.iter().zip(rec.iter()) {
            let name = f["name"].as_str().unwrap();
            let c = &f["constraints"];
            let at = || format!("{} {}:{} `{name}` = {v:?}", &rec[0], &rec[1], &rec[2]);
            if v.is_empty() {
                assert!(c["required"] != true, "{} is required", at());
                continue;
            }
            match f["type"].as_str().unwrap() {
                "integer" => assert!(v.parse::<i64>().is_ok(), "{}", at()),
                "number" => assert!(
                    v.parse::<f64>().is_ok() && !v.contains(['e', 'E', ',']),
                    "{}",
                    at()
                ),
                _ => {}
            }
            if let Some(allowed) = c["enum"].as_array() {
                assert!(allowed.iter().any(|a| a == v), "{} not allowed", at());
            }
            if let Some(p) = c["pattern"].as_str() {
                let re = regex::Regex::new(&format!("^(?:{p})$")).unwrap();
                assert!(re.is_match(v), "{} does not match {p}", at());
            }
        }
        // A unit is one of its kind's, or a rate of one (`CNY/kg`); a
        // count's measure word is open.
        let unit = &rec[6];
        if &rec[7] != "count" && !unit.is_empty() {
            let listed = units[&rec[7]].as_array().expect("the kind lists its units");
            assert!(
                listed
                    .iter()
                    .filter_map(|u| u.as_str())
                    .any(|u| unit == u
                        || unit.strip_prefix(u).is_some_and(|per| per.starts_with('/'))),
                "{}: unit {} of {}",
                &rec[0],
                &rec[6],
                &rec[7]
            );
        }
        kinds.insert(rec[7].to_string());
    }
    assert!(rows > 10_000, "{rows} rows");
    assert!(kinds.len() >= 10, "{kinds:?}");
}

/// The schema, the CSV header and the JSON lines' keys are one list: the
/// library's column table, in order.
#[test]
fn schema_header_and_jsonl_keys_are_the_column_table() {
    let table: Vec<&str> = shuliang::output::COLUMNS.to_vec();
    let schema: serde_json::Value = serde_json::from_slice(&shuliang(&["schema"])).unwrap();
    let fields: Vec<&str> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, table, "schema");
    let csv_text = shuliang(&["extract", "-q", "corpus/weidong-2021.txt"]);
    let header = String::from_utf8(csv_text).unwrap();
    let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
    assert_eq!(header, table, "CSV header");
    let jsonl = shuliang(&[
        "extract",
        "-q",
        "--format",
        "jsonl",
        "corpus/weidong-2021.txt",
    ]);
    let first = jsonl.split(|&b| b == b'\n').next().unwrap();
    let row: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(first).unwrap();
    let keys: Vec<&str> = row.keys().map(String::as_str).collect();
    assert_eq!(keys, table, "JSON lines keys");
}

/// The longest run of `names`' indices, in order of appearance, that
/// rises: how much of the column list, in its order, a text spells out.
fn in_order(text: &str, names: &[&str]) -> usize {
    let mut found: Vec<(usize, usize)> = names
        .iter()
        .enumerate()
        .flat_map(|(i, n)| {
            let quoted = [format!("\"{n}\""), format!("'{n}'")];
            quoted
                .into_iter()
                .flat_map(|q| text.match_indices(&q).map(|(at, _)| at).collect::<Vec<_>>())
                .map(move |at| (at, i))
        })
        .collect();
    found.sort();
    // Longest strictly rising subsequence of column indices.
    let mut tails: Vec<usize> = Vec::new();
    for (_, i) in found {
        let k = tails.partition_point(|&t| t < i);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    tails.len()
}

/// The column list exists once, in `src/output/columns.rs`: no other
/// source, binding, example or test lists the columns by hand (today's
/// header as a literal, or most of the column names quoted in the table's
/// order), so a column cannot be added in one place and missed in another.
/// (Samples of older, shorter outputs, which `diff` and `stats` must read,
/// are data, not lists.)
#[test]
fn no_one_lists_the_columns_by_hand() {
    let names = shuliang::output::COLUMNS;
    let header = names.join(",");
    let mut lists = Vec::new();
    for dir in [
        "src", "python", "examples", "benches", "tests/it", "tests/py",
    ] {
        for e in walkdir::WalkDir::new(path(dir))
            .into_iter()
            .map(Result::unwrap)
        {
            let p = e.path();
            let code = ["rs", "py", "pyi"]
                .iter()
                .any(|x| p.extension().is_some_and(|e| e == *x));
            if !code || p.ends_with("src/output/columns.rs") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap();
            let listed = in_order(&text, names);
            if text.contains(&header) || listed > names.len() / 2 {
                lists.push(format!("{} ({listed} names in order)", p.display()));
            }
        }
    }
    assert!(lists.is_empty(), "columns listed by hand: {lists:#?}");
    // The check finds the lists it is for.
    let spark_job_before: String = names.iter().map(|n| format!("    \"{n}\",\n")).collect();
    assert_eq!(in_order(&spark_job_before, names), names.len());
}
