//! Running the extractor over many documents: one [`Job`] (inputs, limits,
//! threads → rows into a sink, and a summary); finding the inputs and
//! working through them in parallel, rows in input order ([`batch`]), JSON
//! lines on stdin ([`stream`]), what a run records of itself
//! ([`provenance`]), shows while it works ([`progress`]), and how it writes
//! its files ([`outfile`]).

pub mod batch;
mod job;
pub mod outfile;
pub mod progress;
pub mod provenance;
pub mod stream;

pub use job::Job;
