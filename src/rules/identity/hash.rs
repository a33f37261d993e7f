// Included by `build.rs` and by the crate's `rules::identity` (so no inner
// doc comment here): one definition of a rule set's identity for both.

/// The embedded tables a rule set reads besides its rule file (the
/// traditional characters' pairs, the divisions and their history), as
/// paths from the crate's root.
pub const TABLES: [&str; 3] = [
    "rules/traditional.tsv",
    "rules/divisions.tsv",
    "rules/division_history.tsv",
];

/// The identity (hex sha256) of a rule file's text read with `tables`
/// ([`TABLES`]' contents, in order): what `--version` and a run's
/// provenance name the rules by. Everything the rules are made of goes in,
/// not the rule file alone, so that a changed table changes it too; each
/// part framed by its name and length, so no two sets of parts give one
/// stream.
pub fn identity(rules: &[u8], tables: [&[u8]; 3]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let parts = std::iter::once(("rules", rules)).chain(TABLES.into_iter().zip(tables));
    for (name, bytes) in parts {
        h.update(name.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
