//! Rows out: the column table ([`columns`]) that every format and reader
//! of the output shares, the [`Sink`]s typed rows go to (the byte formats
//! of [`formats`], the [`panel`]), the [`scorecard`], other CSVs ([`Sheet`]), the Table Schema ([`schema`]), counts
//! ([`stats`]), outputs read back ([`read_output`]) and, with the
//! `parquet` feature, typed Parquet tables ([`parquet`]).

pub mod columns;
mod formats;
pub mod panel;
#[cfg(feature = "parquet")]
pub mod parquet;
mod read_back;
pub mod schema;
pub mod scorecard;
mod sheet;
mod sink;
pub mod stats;

use crate::meaning::meta::Meta;

pub use formats::{Csv, Format, Jsonl};
pub use read_back::{read_output, Records};
pub use sheet::Sheet;
pub use sink::{Bytes, Piece, Sink};

/// The names of [`columns::TABLE`], in order: the CSV's header.
pub const COLUMNS: &[&str] = &NAMES;

const NAMES: [&str; columns::TABLE.len()] = {
    let mut names = [""; columns::TABLE.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = columns::TABLE[i].name;
        i += 1;
    }
    names
};

/// What a format needs to know of the document the rows come from.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The `doc` column.
    pub id: &'a str,
    /// Its region and year.
    pub meta: &'a Meta,
    /// Values of the extra columns the format was made with, in order.
    pub fields: &'a [String],
}
