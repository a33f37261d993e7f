//! One run, wired once: documents in (gathered from paths, a glob and a
//! manifest), read and converted within one set of limits, extracted on a
//! pool of workers, typed rows out to a [`Sink`] in input order, and a
//! [`Summary`]. `extract`, `panel`, `view`, the Python binding and the
//! benchmarks all run a `Job`, so every one of them reads PDF, Word and
//! HTML through the same converter in a child process.

use std::io::Read;

use super::batch::{self, gather, Gathered, Input, Options, Selection, Summary};
use crate::error::Error;
use crate::extract::Extractor;
use crate::output::Sink;

/// What to run and how.
pub struct Job<'a> {
    ex: &'a Extractor,
    /// The documents, the manifest's extra columns, the paths that named
    /// nothing and the warnings of finding them.
    gathered: Gathered,
    /// How documents are read: limits, converters, `--save-text`, progress.
    pub options: Options,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
}

impl<'a> Job<'a> {
    /// A job over `paths` (files, folders walked for what `sel` selects,
    /// `-` for standard input), joined with `manifest` (its name and content).
    pub fn gather<P: AsRef<std::ffi::OsStr>>(
        ex: &'a Extractor,
        paths: &[P],
        sel: &Selection,
        manifest: Option<(&str, impl Read)>,
    ) -> Result<Job<'a>, Error> {
        Ok(Job {
            ex,
            gathered: gather(paths, sel, manifest)?,
            options: Options::default(),
            threads: None,
        })
    }

    /// A job over documents already found, without a manifest.
    pub fn new(ex: &'a Extractor, inputs: Vec<Input>) -> Job<'a> {
        Job {
            ex,
            gathered: Gathered::listed(inputs),
            options: Options::default(),
            threads: None,
        }
    }

    /// The documents, in order: found again at each call (folders walked,
    /// the manifest joined), so that none is held.
    pub fn inputs(&self) -> impl Iterator<Item = Input> + Send + '_ {
        self.gathered.inputs()
    }

    /// The manifest's columns after the table's, for a format's extra columns.
    pub fn extra(&self) -> &[String] {
        &self.gathered.extra
    }

    /// The documents' ids, in order (the panel's order).
    pub fn order(&self) -> Vec<String> {
        self.inputs().map(|i| i.doc).collect()
    }

    /// Runs the job: `warn` hears first of the paths and manifest rows
    /// that matched nothing, then of each document skipped and each
    /// suspect number, as they come; `sink` receives the rows.
    pub fn run<S: Sink + Send + Sync>(
        &self,
        sink: &mut S,
        mut warn: impl FnMut(&Error) + Send,
    ) -> std::io::Result<Summary> {
        self.gathered.warnings.iter().for_each(&mut warn);
        let pool = batch::pool(self.threads).map_err(std::io::Error::other)?;
        let mut summary = pool
            .install(|| batch::schedule::run(self.inputs(), self.ex, sink, &self.options, warn))?;
        summary.skipped += self.gathered.missing;
        summary.threads = pool.current_num_threads();
        Ok(summary)
    }
}
