//! `shuliang.iter_files`: a run in a thread of its own whose CSV comes to
//! Python in batches, memory bounded by the channel between them.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use shuliang::output::{Bytes, Csv};
use shuliang::run::batch::Summary;

use crate::files::{run, summary_dict, Given};
use crate::{err, rules_or_default, Rules};

/// What the thread of [`iter_files_csv`] sends: CSV bytes (whole rows; the
/// first message starts with the header), then how the run ended.
pub(crate) enum Message {
    Chunk(Vec<u8>),
    Done(Result<Summary, String>),
}

/// A writer that hands whole batches of rows to the channel, each at least
/// `size` bytes (a run writes whole rows per call); a full channel
/// makes the run wait, so memory stays bounded however many files.
pub(crate) struct ChannelWriter {
    buf: Vec<u8>,
    size: usize,
    tx: std::sync::mpsc::SyncSender<Message>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(self.size));
        self.tx
            .send(Message::Chunk(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= self.size {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Batches of CSV rows of a run in progress (see `shuliang.iter_files`).
#[pyclass(module = "shuliang", frozen)]
pub(crate) struct CsvStream {
    rx: Mutex<std::sync::mpsc::Receiver<Message>>,
    warnings: Arc<Mutex<Vec<String>>>,
    summary: Mutex<Option<Summary>>,
}

#[pymethods]
impl CsvStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyBytes>>> {
        let msg = py.allow_threads(|| {
            self.rx
                .lock()
                .expect("no panic while holding the lock")
                .recv()
                .ok()
        });
        match msg {
            Some(Message::Chunk(c)) => Ok(Some(PyBytes::new(py, &c))),
            Some(Message::Done(Ok(s))) => {
                *self
                    .summary
                    .lock()
                    .expect("no panic while holding the lock") = Some(s);
                Ok(None)
            }
            Some(Message::Done(Err(e))) => Err(err(e)),
            None => Ok(None),
        }
    }

    /// The warnings heard since the last call.
    fn take_warnings(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .warnings
                .lock()
                .expect("no panic while holding the lock"),
        )
    }

    /// The run's counts, once it is over.
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let s = self
            .summary
            .lock()
            .expect("no panic while holding the lock");
        s.as_ref().map(|s| summary_dict(py, s)).transpose()
    }
}

/// Starts `extract_files` in a thread of its own; its CSV comes in batches
/// of at least `batch_bytes` (two batches ahead at most).
#[pyfunction]
#[pyo3(signature = (paths, threads=None, manifest=None, glob=None, rules=None, batch_bytes=8<<20))]
pub(crate) fn iter_files_csv(
    py: Python<'_>,
    paths: Vec<String>,
    threads: Option<usize>,
    manifest: Option<String>,
    glob: Option<Vec<String>>,
    rules: Option<Py<Rules>>,
    batch_bytes: usize,
) -> PyResult<CsvStream> {
    let ex = rules_or_default(py, rules)?;
    let given = Given::new(py, paths, threads, manifest, glob)?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let heard = warnings.clone();
    std::thread::spawn(move || {
        let result = (|| -> Result<Summary, String> {
            let job = given.job(&ex)?;
            let fmt = Csv {
                extra: job.extra().to_vec(),
                ..Default::default()
            };
            let mut out = ChannelWriter {
                buf: Vec::with_capacity(batch_bytes.max(1)),
                size: batch_bytes.max(1),
                tx: tx.clone(),
            };
            let summary = run(&job, &mut Bytes::new(&fmt, &mut out), &heard)?;
            out.send().map_err(|e| e.to_string())?;
            Ok(summary)
        })();
        // The reader may be gone (it stopped early): nothing to tell then.
        let _ = tx.send(Message::Done(result));
    });
    Ok(CsvStream {
        rx: Mutex::new(rx),
        warnings,
        summary: Mutex::new(None),
    })
}
