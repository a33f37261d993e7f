//! Reading two outputs for a diff in two passes, so that comparing two
//! outputs of hundreds of megabytes holds a key and a hash per row rather
//! than the rows: the first pass keys and hashes every row, the second
//! keeps only the rows whose hashes differ.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::io::Read;
use std::path::Path;

use crate::read::capped::{LineCap, LONGEST_ROW};

/// An output of `extract` (CSV or JSONL), opened once per pass.
pub trait Source {
    /// A reader from its first byte.
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>>;
}

impl Source for [u8] {
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        Ok(Box::new(self))
    }
}

impl Source for Path {
    fn open(&self) -> std::io::Result<Box<dyn Read + '_>> {
        let file = std::fs::File::open(self)?;
        Ok(Box::new(LineCap::new(file, LONGEST_ROW)))
    }
}

/// A row's key: (document number in [`Docs`], start, end).
pub(super) type Key = (u32, usize, usize);

/// Document names seen on either side, numbered.
#[derive(Default)]
pub(super) struct Docs {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Docs {
    fn id(&mut self, doc: &str) -> u32 {
        if let Some(&id) = self.ids.get(doc) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(doc.to_string(), id);
        self.names.push(doc.to_string());
        id
    }

    /// The name of document `id`.
    pub(super) fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Every column of either side by name, with its place in each: the new
/// output's columns first, then those only the old one has.
pub(super) struct Layout {
    /// (name, column in the old output, column in the new output).
    pub(super) names: Vec<(String, Option<usize>, Option<usize>)>,
    pub(super) old: Vec<String>,
    pub(super) new: Vec<String>,
}

impl Layout {
    /// The columns of both outputs, read from their headers.
    pub(super) fn read<O: Source + ?Sized, N: Source + ?Sized>(
        old: &O,
        new: &N,
    ) -> Result<Layout, String> {
        let (old, new) = (columns(old)?, columns(new)?);
        let at = |cols: &[String], name: &String| cols.iter().position(|c| c == name);
        let names = new
            .iter()
            .chain(old.iter().filter(|c| !new.contains(c)))
            .map(|n| (n.clone(), at(&old, n), at(&new, n)))
            .collect();
        Ok(Layout { names, old, new })
    }

    /// A hash of `row`'s values by name (`is_new`: which side it is from),
    /// so that rows equal column by column hash alike whatever the order.
    fn hash(&self, row: &[String], is_new: bool) -> u64 {
        let mut h = DefaultHasher::new();
        for (_, o, n) in &self.names {
            let value = if is_new { n } else { o }.map_or("", |i| row[i].as_str());
            h.write(value.as_bytes());
            h.write_u8(0xff);
        }
        h.finish()
    }
}

/// The column names of `src`.
fn columns<S: Source + ?Sized>(src: &S) -> Result<Vec<String>, String> {
    let input = src.open().map_err(|e| e.to_string())?;
    crate::output::read_output(input).map(|(columns, _)| columns)
}

/// Reads every row of `src`, keyed.
fn scan<S: Source + ?Sized>(
    src: &S,
    docs: &mut Docs,
    mut each: impl FnMut(Key, Vec<String>),
) -> Result<(), String> {
    let input = src.open().map_err(|e| e.to_string())?;
    let (columns, records) = crate::output::read_output(input)?;
    let col = |name: &str| {
        columns
            .iter()
            .position(|c| c == name)
            .ok_or(format!("no `{name}` column"))
    };
    let (d, s, e) = (col("doc")?, col("start")?, col("end")?);
    for (i, rec) in records.enumerate() {
        let rec = rec?;
        let num = |j: usize| {
            rec[j]
                .parse::<usize>()
                .map_err(|_| format!("row {}: `{}` is not an offset", i + 2, &rec[j]))
        };
        let key = (docs.id(&rec[d]), num(s)?, num(e)?);
        each(key, rec);
    }
    Ok(())
}

/// The hash of every row of one side (a later row with the same key wins).
pub(super) fn hashes<S: Source + ?Sized>(
    src: &S,
    layout: &Layout,
    is_new: bool,
    docs: &mut Docs,
) -> Result<HashMap<Key, u64>, String> {
    let mut out = HashMap::new();
    scan(src, docs, |key, row| {
        out.insert(key, layout.hash(&row, is_new));
    })?;
    Ok(out)
}

/// The rows of one side whose keys are `wanted`.
pub(super) fn rows<S: Source + ?Sized>(
    src: &S,
    wanted: &HashSet<Key>,
    docs: &mut Docs,
) -> Result<HashMap<Key, Vec<String>>, String> {
    let mut out = HashMap::new();
    scan(src, docs, |key, row| {
        if wanted.contains(&key) {
            out.insert(key, row);
        }
    })?;
    Ok(out)
}
