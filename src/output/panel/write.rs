//! The panel's CSV, long (a row per cell) or wide (a row per region and year).

use std::collections::{BTreeMap, BTreeSet};

use super::cell::{Cell, COLUMNS};
use crate::meaning::status::ESTIMATE;
use crate::output::Sheet;
use crate::text::numeral::format_value;

/// Writes cells wide ([`write_wide`]) or long ([`write_long`]), as
/// `shuliang panel [--wide]` and the Python binding both do; `excel`: for
/// Excel ([`Sheet`]).
pub fn write(cells: &[Cell], wide: bool, excel: bool, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = Sheet::new(out, excel);
    if wide {
        write_wide(cells, &mut w)
    } else {
        write_long(cells, &mut w)
    }
}

/// Writes cells as CSV, one row each.
fn write_long<W: std::io::Write>(cells: &[Cell], w: &mut Sheet<W>) -> csv::Result<()> {
    w.row(COLUMNS)?;
    for c in cells {
        w.row(c.fields())?;
    }
    w.flush()?;
    Ok(())
}

/// Writes cells as a Parquet table, one row each with the long CSV's
/// columns: `report_year`, `start` and `end` integers, `value` and
/// `value_max` doubles, the rest text, empty cells null.
#[cfg(feature = "parquet")]
pub fn write_parquet(cells: &[Cell], out: impl std::io::Write + Send) -> std::io::Result<()> {
    use crate::output::columns::Type;
    use crate::output::parquet::{Field, Table};
    let ty = |name: &str| match name {
        "report_year" | "start" | "end" => Type::Integer,
        "value" | "value_max" => Type::Number,
        _ => Type::String,
    };
    let fields = COLUMNS.iter().map(|c| Field::optional(c, ty(c))).collect();
    let mut table = Table::new(out, fields)?;
    for c in cells {
        table.push(c.fields().into_iter().map(std::borrow::Cow::Owned))?;
    }
    table.finish()
}

/// Writes cells as one row per region and year (the year the figures are
/// about), a column per indicator and status (`gdp_target`, `gdp_actual`):
/// a year's target and its result side by side, from the two reports that
/// state them, each with a `_doc` column naming the report it came from.
/// Only annual cells; an estimate fills `_actual` where no actual is stated.
fn write_wide<W: std::io::Write>(cells: &[Cell], w: &mut Sheet<W>) -> csv::Result<()> {
    type Row = BTreeMap<String, String>;
    let mut rows: BTreeMap<(String, String, String, i32), Row> = BTreeMap::new();
    let mut columns: BTreeSet<String> = BTreeSet::new();
    for c in cells {
        let Ok(year) = c.refers_to.parse::<i32>() else {
            continue;
        };
        let row = rows
            .entry((c.region.clone(), c.level.clone(), c.code.clone(), year))
            .or_default();
        let col = format!("{}_{}", c.indicator_id, c.class());
        // The later report's figure is the settled one (an actual over an estimate).
        if row.contains_key(&col) && c.status == ESTIMATE {
            continue;
        }
        row.insert(col.clone(), format_value(&c.value));
        row.insert(format!("{col}_doc"), c.doc.clone());
        columns.insert(col);
    }
    let mut header = vec![
        "region".to_string(),
        "level".into(),
        "code".into(),
        "year".into(),
    ];
    for c in &columns {
        header.push(c.clone());
        header.push(format!("{c}_doc"));
    }
    w.row(&header)?;
    for ((region, level, code, year), row) in &rows {
        let mut rec = vec![
            region.clone(),
            level.clone(),
            code.clone(),
            year.to_string(),
        ];
        for c in &columns {
            for k in [c.clone(), format!("{c}_doc")] {
                rec.push(row.get(&k).cloned().unwrap_or_default());
            }
        }
        w.row(&rec)?;
    }
    w.flush()?;
    Ok(())
}
