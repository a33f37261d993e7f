//! A progress bar on stderr for a batch run: files done, rows so far, time
//! left. Shown only when stderr is a terminal, so logs and pipes get none.

use std::io::IsTerminal;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};

use crate::run::batch::{Input, Progress, Summary};

/// The bar of one run (see the module's doc).
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar for a run over `inputs`, or `None` when stderr is not a terminal.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Option<Bar> {
        if !std::io::stderr().is_terminal() {
            return None;
        }
        let (mut files, mut bytes) = (0, 0);
        for input in inputs {
            files += 1;
            bytes += input
                .path
                .and_then(|p| std::fs::metadata(p).ok())
                .map_or(0, |m| m.len());
        }
        let bar = ProgressBar::new(files);
        let style = ProgressStyle::with_template(
            "{spinner} {pos}/{len} files  {msg}  {elapsed} (ETA {eta})  [{wide_bar}]",
        )
        .ok()?;
        bar.set_style(style);
        bar.set_message(format!("{:.0} MB", bytes as f64 / 1e6));
        Some(Bar(bar))
    }

    /// What the batch calls after each batch it writes
    /// ([`crate::run::batch::Options::progress`]).
    pub fn progress(&self) -> Progress {
        let bar = self.0.clone();
        Arc::new(move |s: &Summary| {
            bar.set_position(s.read + s.skipped);
            bar.set_message(format!("{} rows", s.rows));
        })
    }

    /// Clears the bar, once the run is over.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}
