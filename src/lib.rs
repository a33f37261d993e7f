//! shuliang (数量, "quantity") finds every quantity in Chinese government
//! reports — growth rates, 亿元 of investment, 亩 of land, counts of
//! projects and people — and writes each as one normalized CSV row.
//!
//! The knowledge lives in a rule file ([`RuleSet`], default `rules/zh.toml`);
//! this crate is the engine. A document flows one way through the stages,
//! a folder each:
//!
//! - [`read`]: the bytes of a file to text (decoded, or converted from PDF,
//!   Word or HTML in a child process), in pieces cut at sentence ends;
//! - [`extract`]: the rules run over the text — layout undone with offsets
//!   kept ([`text::normalize`]), numbers parsed exactly ([`text::numeral`]),
//!   units normalized ([`text::units`]), qualifiers and ranges settled;
//! - [`meaning`]: what each figure measures, and whether the report states
//!   it as a target or a result, for which year;
//! - [`output`]: rows written as CSV or JSON lines, the panel, the schema;
//! - [`run`]: many documents, in parallel, rows in input order;
//! - [`tools`]: the rule file's examples checked, outputs compared, a
//!   document viewed with its quantities marked.
//!
//! [`rules`] compiles the rule file into what the stages read; [`text`]
//! holds what every stage shares. A module uses only the stages before it
//! (`src/layers.rs` keeps it so); reading and extracting do not use each
//! other.
//!
//! ```
//! use shuliang::{Extractor, RuleSet};
//!
//! let ex = Extractor::new(RuleSet::default_rules().unwrap());
//! let rows = ex.extract("完成投资46.11亿元，王斌庄村5200\n\n余名群众受益");
//! assert_eq!(rows[0].value_str(), "4611000000");
//! assert_eq!(&*rows[0].unit, "CNY");
//! assert_eq!(rows[1].text, "5200余名");
//! assert_eq!(rows[1].qualifier, Some("more_than"));
//! ```

#![deny(missing_docs)]

/// What `shuliang --version` prints: the version, the git commit it was
/// built from, and the identity of the embedded rules (the sha256 of their
/// file and the tables they read, [`rules::identity_of`]), so that an
/// output can be traced to the code and rules that made it.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("SHULIANG_COMMIT"),
    "; rules (rules/zh.toml and its tables) sha256 ",
    env!("SHULIANG_RULES_SHA256"),
    ")"
);

/// The git commit this library was built from (`unknown` outside a checkout).
pub const COMMIT: &str = env!("SHULIANG_COMMIT");

pub mod error;
pub mod extract;
mod interrupt;
pub mod meaning;
pub mod output;
pub mod read;
pub mod rules;
pub mod run;
pub mod text;
pub mod tools;

#[cfg(test)]
mod layers;

pub use error::{Error, Result};
pub use extract::{Extractor, Quantity};
pub use rules::RuleSet;
