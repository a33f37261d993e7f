//! The integration tests, as one test binary (one link, one process whose
//! threads run every test): `cargo test --test it` runs them all, `cargo
//! test --test it snapshots` one module. Helpers they share are in
//! [`common`]; the data they read is in `corpus/` and `tests/` (`data/`,
//! `fixtures/`, `gold/`, `snapshots/`).

mod common;

mod cli;
mod everyday;
mod gold;
mod hostile;
mod hostile2;
mod indicators;
mod isolation;
mod layout;
mod panel;
#[cfg(feature = "parquet")]
mod parquet;
mod properties;
mod published;
mod rules;
mod schema;
mod scorecard;
mod snapshots;
mod tables;
mod traditional;
mod view;
mod years;
