//! `--format parquet`: the rows as a typed Parquet table, so that pandas,
//! polars, R's arrow and DuckDB read every column with its type and no
//! recipe. Integers are INT64, numbers DOUBLE (what every reader maps to
//! its float type: a DECIMAL would come to pandas as Python objects),
//! text UTF-8 strings; an empty cell is null where the column says "none"
//! ([`Column::empty_is_none`](super::columns::Column)). [`Table`] takes
//! rows of text cells with their column types, so `extract`, `panel` and
//! any other table of shuliang write Parquet the same way.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type as Schema;

use super::columns::{Type, TABLE};
use super::{Piece, Sink};

/// Rows kept before they are written as one row group: bounds memory
/// (tens of MB of text) whatever the size of the run.
const GROUP_ROWS: usize = 32 * 1024;

/// One column of a typed table.
#[derive(Debug, Clone)]
pub struct Field {
    /// The column's name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Never empty: written as a required (non-null) column.
    pub required: bool,
    /// An empty cell is null, not an empty text.
    pub empty_is_none: bool,
}

impl Field {
    /// An optional column whose empty cells are null.
    pub fn optional(name: &str, ty: Type) -> Field {
        Field {
            name: name.to_string(),
            ty,
            required: false,
            empty_is_none: true,
        }
    }

    /// The columns of `extract`'s output, then `extra` text columns.
    pub fn of_rows(extra: &[String]) -> Vec<Field> {
        let own = TABLE.iter().map(|c| Field {
            name: c.name.to_string(),
            ty: c.ty,
            required: c.required,
            empty_is_none: c.empty_is_none,
        });
        own.chain(extra.iter().map(|e| Field::optional(e, Type::String)))
            .collect()
    }

    fn schema(&self) -> parquet::errors::Result<Schema> {
        let (physical, logical) = match self.ty {
            Type::Integer => (Physical::INT64, None),
            Type::Number => (Physical::DOUBLE, None),
            Type::String => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        };
        let repetition = if self.required {
            Repetition::REQUIRED
        } else {
            Repetition::OPTIONAL
        };
        Schema::primitive_type_builder(&self.name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .build()
    }
}

/// A column's cells not yet written, with their definition levels (0 for null).
enum Values {
    Int(Vec<i64>),
    Double(Vec<f64>),
    Text(Vec<ByteArray>),
}

/// A Parquet table being written to `W`, row by row.
pub struct Table<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    fields: Vec<Field>,
    columns: Vec<(Values, Vec<i16>)>,
    rows: usize,
}

fn other(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e)
}

impl<W: Write + Send> Table<W> {
    /// A table of `fields`, written to `out` (snappy-compressed).
    pub fn new(out: W, fields: Vec<Field>) -> io::Result<Table<W>> {
        let columns = fields
            .iter()
            .map(|f| f.schema().map(Arc::new))
            .collect::<Result<_, _>>()
            .map_err(other)?;
        let schema = Schema::group_type_builder("shuliang")
            .with_fields(columns)
            .build()
            .map_err(other)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("shuliang {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer =
            SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props)).map_err(other)?;
        let columns = fields
            .iter()
            .map(|f| (Values::new(f.ty), Vec::new()))
            .collect();
        Ok(Table {
            writer,
            fields,
            columns,
            rows: 0,
        })
    }

    /// Adds a row: one text cell per field, in order, as the CSV writes it.
    pub fn push<'c>(&mut self, cells: impl IntoIterator<Item = Cow<'c, str>>) -> io::Result<()> {
        for ((field, (values, defs)), cell) in self.fields.iter().zip(&mut self.columns).zip(cells)
        {
            let present = values.push(field, &cell);
            if !field.required {
                defs.push(i16::from(present));
            }
        }
        self.rows += 1;
        if self.rows == GROUP_ROWS {
            self.write_group()?;
        }
        Ok(())
    }

    /// Writes the rows kept as one row group.
    fn write_group(&mut self) -> io::Result<()> {
        let mut group = self.writer.next_row_group().map_err(other)?;
        for (values, defs) in &mut self.columns {
            let mut col = group
                .next_column()
                .map_err(other)?
                .ok_or_else(|| io::Error::other("fewer Parquet columns than fields"))?;
            let defs_given = (!defs.is_empty()).then_some(defs.as_slice());
            match (col.untyped(), &*values) {
                (ColumnWriter::Int64ColumnWriter(w), Values::Int(v)) => {
                    w.write_batch(v, defs_given, None)
                }
                (ColumnWriter::DoubleColumnWriter(w), Values::Double(v)) => {
                    w.write_batch(v, defs_given, None)
                }
                (ColumnWriter::ByteArrayColumnWriter(w), Values::Text(v)) => {
                    w.write_batch(v, defs_given, None)
                }
                _ => return Err(io::Error::other("a Parquet column of another type")),
            }
            .map_err(other)?;
            col.close().map_err(other)?;
            values.clear();
            defs.clear();
        }
        group.close().map_err(other)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the rows still kept and the file's footer.
    pub fn finish(mut self) -> io::Result<()> {
        if self.rows > 0 {
            self.write_group()?;
        }
        self.writer.close().map_err(other)?;
        Ok(())
    }
}

impl Values {
    fn new(ty: Type) -> Values {
        match ty {
            Type::Integer => Values::Int(Vec::new()),
            Type::Number => Values::Double(Vec::new()),
            Type::String => Values::Text(Vec::new()),
        }
    }

    /// Adds `cell` unless it is null for `field`: an empty cell of a column
    /// whose empty means none, or a number that does not parse (a
    /// manifest's year written in words). Says whether it was added.
    fn push(&mut self, field: &Field, cell: &str) -> bool {
        if cell.is_empty() && field.empty_is_none && !field.required {
            return false;
        }
        match self {
            Values::Int(v) => cell.parse().map(|n| v.push(n)).is_ok(),
            Values::Double(v) => cell.parse().map(|n| v.push(n)).is_ok(),
            Values::Text(v) => {
                v.push(ByteArray::from(cell.as_bytes().to_vec()));
                true
            }
        }
    }

    fn clear(&mut self) {
        match self {
            Values::Int(v) => v.clear(),
            Values::Double(v) => v.clear(),
            Values::Text(v) => v.clear(),
        }
    }
}

/// `extract`'s rows as a Parquet table: a [`Sink`] whose workers render
/// each piece's cells, written in input order; [`Parquet::finish`] ends
/// the file.
pub struct Parquet<W: Write + Send> {
    /// Used only by `take`, from one thread; the lock lets workers share the sink.
    table: Mutex<Table<W>>,
}

impl<W: Write + Send> Parquet<W> {
    /// The rows of `extract` with `extra` columns, written to `out`.
    pub fn new(out: W, extra: &[String]) -> io::Result<Parquet<W>> {
        Ok(Parquet {
            table: Mutex::new(Table::new(out, Field::of_rows(extra))?),
        })
    }

    /// Writes the rows still kept and the footer.
    pub fn finish(self) -> io::Result<()> {
        self.table
            .into_inner()
            .expect("no panic while holding the lock")
            .finish()
    }
}

impl<W: Write + Send> Sink for Parquet<W> {
    type Part = Vec<Vec<String>>;

    fn part(&self, piece: &Piece<'_>) -> Vec<Vec<String>> {
        let doc = &piece.doc;
        piece
            .rows
            .iter()
            .map(|q| {
                let own = TABLE.iter().map(|c| (c.get)(doc, q).to_string());
                own.chain(doc.fields.iter().cloned()).collect()
            })
            .collect()
    }

    fn take(&mut self, _piece: &Piece<'_>, rows: Vec<Vec<String>>) -> io::Result<()> {
        let table = self
            .table
            .get_mut()
            .expect("no panic while holding the lock");
        for row in rows {
            table.push(row.into_iter().map(Cow::Owned))?;
        }
        Ok(())
    }
}
