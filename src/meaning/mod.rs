//! What a quantity means, beyond its value and unit: the indicator it is a
//! figure of and whether it is a change ([`indicator`]), whether the report
//! states it as a target or a result and for which period ([`status`]), and
//! the report's own region, year and sections ([`meta`], [`region`]).
//!
//! The words and patterns come from the rule file; the types here are what
//! [`crate::rules`] compiles them into, and what the extractor's last stages
//! read.

pub mod indicator;
pub mod meta;
pub mod region;
pub mod status;
