//! What a rule set is named by in `--version` and a run's provenance: the
//! sha256 of everything its rules are made of, the rule file and the
//! embedded tables it reads, so that a changed table changes the name too.
//! The hash itself is in `hash.rs`, which `build.rs` includes to name the
//! embedded rules ahead: one definition for both.

include!("hash.rs");

/// The identity (hex sha256) of rules made of rule-file `text` and the
/// embedded tables they read: a `--rules` file that is the embedded one
/// has the embedded rules' identity.
pub fn identity_of(text: &str) -> String {
    use crate::meaning::region;
    let tables = [super::fold::TRADITIONAL, region::TABLE, region::HISTORY];
    identity(text.as_bytes(), tables.map(str::as_bytes))
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::text::hex(&sha2::Sha256::digest(bytes))
}
