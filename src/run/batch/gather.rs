//! The inputs of a run, walked anew each time they are asked for, so that
//! a batch of a million files does not hold a million inputs: once to
//! count them, make their ids distinct and warn first of what is missing
//! ([`gather`]), then as the run reads them.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::io::Read;

use super::doc_ids::{DocIds, Renamed};
use super::manifest::Manifest;
use super::{Input, Selection, Walk};
use crate::error::Error;

/// Where a run's documents come from.
#[derive(Debug)]
enum Source {
    /// Documents already found.
    Listed(Vec<Input>),
    /// Paths to walk.
    Walked(Box<Walked>),
}

/// Paths to walk (files, folders, `-`), the documents' ids made distinct,
/// a manifest to join.
#[derive(Debug)]
struct Walked {
    paths: Vec<OsString>,
    sel: Selection,
    renamed: Renamed,
    manifest: Option<Manifest>,
}

/// The inputs of a command line with its manifest applied: what `extract`
/// and `panel` (and the Python binding's) read.
#[derive(Debug)]
pub struct Gathered {
    source: Source,
    /// The manifest's columns carried into the output.
    pub extra: Vec<String>,
    /// To warn of: documents the manifest names twice, manifest rows that
    /// match no input, then paths that cannot be read.
    pub warnings: Vec<Error>,
    /// How many paths cannot be read (each a skipped input).
    pub missing: u64,
}

impl Gathered {
    /// Documents already found, without a manifest.
    pub fn listed(inputs: Vec<Input>) -> Gathered {
        Gathered {
            source: Source::Listed(inputs),
            extra: Vec::new(),
            warnings: Vec::new(),
            missing: 0,
        }
    }

    /// The documents, in order, found again (folders walked again, the
    /// manifest joined); paths that cannot be read are left out (they are
    /// among [`Gathered::warnings`]).
    pub fn inputs(&self) -> Box<dyn Iterator<Item = Input> + Send + '_> {
        match &self.source {
            Source::Listed(inputs) => Box::new(inputs.iter().cloned()),
            Source::Walked(w) => Box::new(found(&w.paths, &w.sel, &w.renamed).map(|mut input| {
                if let Some(m) = &w.manifest {
                    m.apply(&mut input);
                }
                input
            })),
        }
    }
}

/// The documents `paths` name, in order, each with its distinct `doc`.
fn found<'a>(
    paths: &'a [OsString],
    sel: &'a Selection,
    renamed: &'a Renamed,
) -> impl Iterator<Item = Input> + Send + 'a {
    let walk = Walk::new(paths, sel).filter_map(Result::ok);
    walk.enumerate().map(|(i, mut input)| {
        if let Some(doc) = renamed.get(&i) {
            input.doc.clone_from(doc);
        }
        input
    })
}

/// Walks `paths` ([`Walk`]) to count the documents, make their ids
/// distinct ([`DocIds`]) and gather what to warn of, keeping no document;
/// joins the manifest, given as its name (for errors) and its content, to
/// them ([`Manifest`]).
pub fn gather<S: AsRef<OsStr>>(
    paths: &[S],
    sel: &Selection,
    manifest: Option<(&str, impl Read)>,
) -> Result<Gathered, Error> {
    let paths: Vec<OsString> = paths.iter().map(|p| p.as_ref().to_owned()).collect();
    let (mut ids, mut errors) = (DocIds::default(), Vec::new());
    for found in Walk::new(&paths, sel) {
        match found {
            Ok(input) => ids.push(&input.doc),
            Err(e) => errors.push(e),
        }
    }
    let renamed = ids.distinct(|| Walk::new(&paths, sel).filter_map(Result::ok));
    let mut warnings = Vec::new();
    let manifest = match manifest {
        None => None,
        Some((name, content)) => {
            let mut m = Manifest::read(name, content)?;
            let used: HashSet<String> = found(&paths, sel, &renamed)
                .filter(|input| m.names(&input.doc))
                .map(|input| input.doc)
                .collect();
            warnings = m.warnings(&used);
            Some(m)
        }
    };
    let extra = manifest.as_ref().map_or(Vec::new(), |m| m.extra.clone());
    let missing = errors.len() as u64;
    warnings.extend(errors);
    Ok(Gathered {
        source: Source::Walked(Box::new(Walked {
            paths,
            sel: sel.clone(),
            renamed,
            manifest,
        })),
        extra,
        warnings,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_joins_the_manifest_and_warns_of_what_matches_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "增长3%").unwrap();
        std::fs::write(dir.path().join("b.pdf.bak"), "").unwrap();
        let paths = [
            dir.path().display().to_string(),
            dir.path().join("gone.txt").display().to_string(),
        ];
        let manifest = "doc,region,year,source\na.txt,保定市,2021,web\nc.txt,,,\n";
        let g = gather(
            &paths,
            &Selection::new::<&str>(&[]).unwrap(),
            Some(("m.csv", manifest.as_bytes())),
        )
        .unwrap();
        let inputs: Vec<Input> = g.inputs().collect();
        assert_eq!(inputs.len(), 1, "the default selection skips b.pdf.bak");
        let meta = inputs[0].meta.as_ref().unwrap();
        assert_eq!((&*meta.region, &*meta.year), ("保定市", "2021"));
        assert_eq!(
            (g.extra, inputs[0].fields.clone()),
            (vec!["source".to_string()], vec!["web".to_string()])
        );
        assert_eq!(g.missing, 1);
        assert!(
            matches!(&g.warnings[..], [Error::Unmatched { doc }, Error::Io { .. }] if doc == "c.txt")
        );
        let bad = gather(
            &paths,
            &Selection::default(),
            Some(("m.csv", &b"path\nx\n"[..])),
        );
        assert_eq!(bad.unwrap_err().to_string(), "m.csv: no `doc` column");
    }
}
