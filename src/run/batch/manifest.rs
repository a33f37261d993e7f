//! A manifest: a CSV with a `doc` column (e.g. `doc,region,year,level`)
//! whose `region`, `year`, `level`, `code` and `doc_type` stand for what a
//! report says, and whose other columns are carried into the output. Held
//! by document id, so that it is joined to each input as the input is
//! found ([`Manifest::apply`]), not to a list of them all.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use csv::StringRecord;

use super::Input;
use crate::error::Error;
use crate::meaning::meta::{doc_type_alias, Meta};

/// The largest manifest read (a row per document: 64 MiB is millions).
const MANIFEST_LIMIT: u64 = 64 << 20;

/// A manifest read whole (see the module's doc).
#[derive(Debug)]
pub(super) struct Manifest {
    /// The names of the columns carried into the output, in the file's order.
    pub(super) extra: Vec<String>,
    /// Where `region`, `year`, `level`, `code` and `doc_type` are, if given.
    known: [Option<usize>; 5],
    /// Where the carried columns are.
    carried: Vec<usize>,
    /// By `doc`: its row and the row's line (the later of a `doc` named twice).
    by_doc: HashMap<String, (u64, StringRecord)>,
    /// The `doc` of every row, in order (once each), to tell which match
    /// no input; given up with the warnings.
    order: Vec<String>,
    /// A document named by two rows, both lines named; given up with the warnings.
    twice: Vec<Error>,
}

impl Manifest {
    /// Reads the manifest called `name` (for errors) from `content`:
    /// capped, decoded (UTF-8, UTF-16 or GB18030), parsed.
    pub(super) fn read(name: &str, content: impl Read) -> Result<Manifest, Error> {
        let manifest_err = |reason| Error::Manifest {
            path: name.to_string(),
            reason,
        };
        let bytes = crate::read::capped::read_all(content, MANIFEST_LIMIT)
            .map_err(|e| manifest_err(format!("{e}: is it a manifest?")))?;
        let text = crate::read::decode_owned(bytes).ok_or_else(|| {
            manifest_err(
                "not UTF-8, UTF-16 or GB18030 text: save it from Excel as \"CSV UTF-8\"".into(),
            )
        })?;
        Manifest::parse(text.as_bytes()).map_err(manifest_err)
    }

    /// Parses a manifest's CSV; an error says what is wrong with it.
    fn parse(text: &[u8]) -> Result<Manifest, String> {
        let mut rd = csv::Reader::from_reader(text);
        let headers: Vec<String> = rd
            .headers()
            .map_err(|e| e.to_string())?
            .iter()
            .map(str::to_string)
            .collect();
        let doc = headers
            .iter()
            .position(|h| h == "doc")
            .ok_or("no `doc` column")?;
        let col = |name: &str| headers.iter().position(|h| h == name);
        let known = ["region", "year", "level", "code", "doc_type"].map(col);
        let carried: Vec<usize> = (0..headers.len())
            .filter(|&i| i != doc && !known.contains(&Some(i)))
            .collect();
        let mut by_doc = HashMap::new();
        let mut order = Vec::new();
        let mut twice = Vec::new();
        for rec in rd.records() {
            let rec = rec.map_err(|e| e.to_string())?;
            let line = rec.position().map_or(0, |p| p.line());
            let id = rec[doc].to_string();
            match by_doc.insert(id.clone(), (line, rec)) {
                Some((first, _)) => twice.push(Error::DuplicateRow {
                    doc: id,
                    first,
                    again: line,
                }),
                None => order.push(id),
            }
        }
        Ok(Manifest {
            extra: carried.iter().map(|&i| headers[i].clone()).collect(),
            known,
            carried,
            by_doc,
            order,
            twice,
        })
    }

    /// Gives `input` its row's region, year, level, code and type (empty
    /// where the row gives none, or where no row names it, so that the
    /// report's own are not read) and carried columns.
    pub(super) fn apply(&self, input: &mut Input) {
        let rec = self.by_doc.get(&input.doc).map(|(_, rec)| rec);
        let get = |i: Option<usize>| {
            rec.and_then(|r| i.and_then(|i| r.get(i)).map(|v| v.trim().to_string()))
                .unwrap_or_default()
        };
        let [region, year, level, code, doc_type] = self.known;
        input.meta = Some(Meta {
            region: get(region),
            year: get(year),
            level: get(level),
            code: get(code),
            doc_type: doc_type_alias(&get(doc_type)),
            ..Meta::default()
        });
        input.fields = self.carried.iter().map(|&i| get(Some(i))).collect();
    }

    /// A row names the document `doc`.
    pub(super) fn names(&self, doc: &str) -> bool {
        self.by_doc.contains_key(doc)
    }

    /// What to warn of, given the `used` ids (those that name an input): a
    /// document named by two rows (the later row is used), then rows that
    /// match no input (a typo or a moved file), in the manifest's order.
    pub(super) fn warnings(&mut self, used: &HashSet<String>) -> Vec<Error> {
        let order = std::mem::take(&mut self.order);
        let unmatched = order.into_iter().filter(|d| !used.contains(d));
        let unmatched = unmatched.map(|doc| Error::Unmatched { doc });
        std::mem::take(&mut self.twice)
            .into_iter()
            .chain(unmatched)
            .collect()
    }
}
