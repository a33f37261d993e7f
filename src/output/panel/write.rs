//! The panel's CSV, long (a row per cell) or wide (a row per region and year).

use std::collections::{BTreeMap, BTreeSet};

use super::cell::{Cell, COLUMNS};
use super::choose::{conflicts, disagreement, slots, Slot};
use crate::output::Sheet;
use crate::text::numeral::format_value;

/// Writes cells wide ([`write_wide`]) or long ([`write_long`]), as
/// `shuliang panel [--wide]` and the Python binding both do; `excel`: for
/// Excel ([`Sheet`]). Returns the warnings of [`write_wide`].
pub fn write(
    cells: &[Cell],
    wide: bool,
    excel: bool,
    out: impl std::io::Write,
) -> csv::Result<Vec<String>> {
    let mut w = Sheet::new(out, excel);
    if wide {
        write_wide(cells, &mut w)
    } else {
        write_long(cells, &mut w).map(|()| Vec::new())
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
/// about), five columns per indicator, unit and status: `gdp_target` (the
/// value), `_max` (a range's upper end), `_qualifier`, `_doc` (the report
/// it came from) and `_conflicts` (other documents' figures for it,
/// `doc:value; …`; see [`super::choose`]). A rate in `%` is named
/// `{id}_{status}`, any other unit `{id}_{unit}_{status}` (`gdp_CNY_actual`,
/// `urbanization_rate_pp_actual`); an estimate has its own columns
/// (`gdp_estimate`), never folded into `_actual`. Only annual cells.
/// Returns a warning for each cell whose documents disagree.
fn write_wide<W: std::io::Write>(cells: &[Cell], w: &mut Sheet<W>) -> csv::Result<Vec<String>> {
    type Place = (String, String, String, i32);
    let slots = slots(cells);
    let mut rows: BTreeMap<Place, BTreeMap<String, [String; 5]>> = BTreeMap::new();
    let mut columns: BTreeSet<String> = BTreeSet::new();
    let mut warnings = Vec::new();
    for (slot, cs) in &slots {
        let c = cs[0];
        let col = column(slot);
        let place = (
            slot.region.clone(),
            slot.level.clone(),
            slot.code.clone(),
            slot.year,
        );
        rows.entry(place).or_default().insert(
            col.clone(),
            [
                format_value(&c.value),
                c.value_max.as_ref().map_or(String::new(), format_value),
                c.qualifier.to_string(),
                c.doc.clone(),
                conflicts(cs),
            ],
        );
        columns.insert(col);
        warnings.extend(disagreement(slot, cs));
    }
    let mut header: Vec<String> = ["region", "level", "code", "year"].map(String::from).into();
    for c in &columns {
        header.extend(PARTS.iter().map(|p| format!("{c}{p}")));
    }
    w.row(&header)?;
    let empty = <[String; 5]>::default();
    for ((region, level, code, year), row) in &rows {
        let mut rec = vec![
            region.clone(),
            level.clone(),
            code.clone(),
            year.to_string(),
        ];
        for c in &columns {
            rec.extend(row.get(c).unwrap_or(&empty).iter().cloned());
        }
        w.row(&rec)?;
    }
    w.flush()?;
    Ok(warnings)
}

/// The suffixes of a wide cell's five columns.
const PARTS: [&str; 5] = ["", "_max", "_qualifier", "_doc", "_conflicts"];

/// A wide cell's column: `{id}_{status}` for a rate in `%`, else
/// `{id}_{unit}_{status}` (`count` for a count without a measure word,
/// `CNY_per_kg` for a rate of two units).
fn column(slot: &Slot) -> String {
    match slot.unit.as_str() {
        "%" => format!("{}_{}", slot.indicator_id, slot.status),
        "" => format!("{}_count_{}", slot.indicator_id, slot.status),
        u => format!(
            "{}_{}_{}",
            slot.indicator_id,
            u.replace('/', "_per_"),
            slot.status
        ),
    }
}
