//! Tools for rule authors and reviewers, built on the stages: the rule
//! file's examples run as tests ([`check`]), two outputs compared
//! ([`diff`]), and a document shown with every quantity marked in place
//! ([`view`]).

pub mod check;
pub mod diff;
pub mod view;
