//! `--format parquet` read back with the parquet crate's own reader: every
//! column has the type of the column table (INT64, DOUBLE, UTF-8 text),
//! every cell the value of the same run's CSV, empty cells null where the
//! column says "none"; the long panel and the scorecard likewise.

use std::fs::File;

use parquet::basic::{LogicalType, Type as Physical};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use shuliang::output::columns::{named, Type};

use crate::common::{rows, run_ok};

/// Documents of every kind: text, GBK, PDF, Word, HTML; with a manifest,
/// whose other columns become text columns.
const DOCS: &[&str] = &[
    "corpus/weidong-2021.txt",
    "corpus/raw-gbk/hailar_001.gbk.txt",
    "corpus/county/baoding_cty_015.txt",
    "corpus/published/pdf/zhoukou-city-tjgb-2023.pdf",
    "corpus/published/docx/beijing-gzbg-2024.docx",
];

/// Rows as (column name, cell) lists.
type Rows = Vec<Vec<(String, Field)>>;
/// Each column's name, physical type and whether it is UTF-8 text.
type Columns = Vec<(String, Physical, bool)>;

/// The file's rows and columns.
fn read(file: &std::path::Path) -> (Rows, Columns) {
    let reader = SerializedFileReader::new(File::open(file).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let types = schema
        .columns()
        .iter()
        .map(|c| {
            let utf8 = c.logical_type_ref() == Some(&LogicalType::String);
            (c.name().to_string(), c.physical_type(), utf8)
        })
        .collect();
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(n, f)| (n.clone(), f.clone()))
                .collect()
        })
        .collect();
    (rows, types)
}

/// Whether a Parquet cell holds what the CSV cell says, for a column of `ty`
/// whose empty cells are null when `none`.
fn holds(cell: &Field, csv: &str, ty: Type, none: bool) -> bool {
    match (cell, ty) {
        (Field::Null, _) => csv.is_empty() && none,
        (Field::Long(n), Type::Integer) => n.to_string() == csv,
        // The shortest decimal that reads back as the double is the CSV's
        // (every value of these documents has at most 15 significant digits).
        (Field::Double(x), Type::Number) => x.to_string() == csv,
        (Field::Str(s), Type::String) => s == csv,
        _ => false,
    }
}

fn check(file: &std::path::Path, csv: &[u8], ty: impl Fn(&str) -> (Type, bool)) -> usize {
    let (got, types) = read(file);
    let mut want = csv::Reader::from_reader(csv);
    let header: Vec<String> = want.headers().unwrap().iter().map(String::from).collect();
    let want = rows(csv);
    assert_eq!(got.len(), want.len(), "{}: rows", file.display());
    assert_eq!(
        types.iter().map(|t| t.0.clone()).collect::<Vec<_>>(),
        header
    );
    for (name, physical, utf8) in &types {
        let expected = match ty(name).0 {
            Type::Integer => (Physical::INT64, false),
            Type::Number => (Physical::DOUBLE, false),
            Type::String => (Physical::BYTE_ARRAY, true),
        };
        assert_eq!((*physical, *utf8), expected, "column {name}");
    }
    let mut nulls = 0;
    for (g, w) in got.iter().zip(&want) {
        for ((name, cell), csv) in g.iter().zip(w.iter()) {
            let (t, none) = ty(name);
            assert!(holds(cell, csv, t, none), "{name}: {cell:?} for {csv:?}");
            nulls += usize::from(*cell == Field::Null);
        }
    }
    nulls
}

#[test]
fn extract_parquet_has_the_csvs_values_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.csv");
    std::fs::write(
        &manifest,
        "doc,year,source\ncorpus/weidong-2021.txt,2021,web\ncorpus/county/baoding_cty_015.txt,,\n",
    )
    .unwrap();
    let out = dir.path().join("q.parquet");
    let m = manifest.to_str().unwrap();
    let mut args = vec!["extract", "-q", "--manifest", m];
    args.extend(DOCS);
    let csv = run_ok(&args);
    args.extend(["--format", "parquet", "-o", out.to_str().unwrap()]);
    run_ok(&args);
    let ty = |name: &str| named(name).map_or((Type::String, true), |c| (c.ty, c.empty_is_none));
    let nulls = check(&out, &csv, ty);
    assert!(nulls > 0, "value_max, qualifier… are null where empty");
}

#[test]
fn panel_parquet_has_the_csvs_values_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.parquet");
    let csv = run_ok(&["panel", "-q", "corpus/national", "corpus/county"]);
    run_ok(&[
        "panel",
        "-q",
        "corpus/national",
        "corpus/county",
        "--format",
        "parquet",
        "-o",
        out.to_str().unwrap(),
    ]);
    let ty = |name: &str| match name {
        "report_year" | "start" | "end" => (Type::Integer, true),
        "value" | "value_max" => (Type::Number, true),
        _ => (Type::String, true),
    };
    assert!(check(&out, &csv, ty) > 0);
}

#[test]
fn scorecard_parquet_has_the_csvs_values_with_their_types() {
    use shuliang::output::scorecard::columns::TABLE;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.parquet");
    let csv = run_ok(&["scorecard", "-q", "corpus/national"]);
    let o = out.to_str().unwrap();
    run_ok(&[
        "scorecard",
        "-q",
        "corpus/national",
        "--format",
        "parquet",
        "-o",
        o,
    ]);
    let ty = |name: &str| {
        let c = TABLE
            .iter()
            .find(|c| c.name == name)
            .expect("a scorecard column");
        (c.ty, true)
    };
    assert!(
        check(&out, &csv, ty) > 0,
        "target_value_max… null where empty"
    );
}
