//! What the command line says on stderr: lines that a closed stderr does
//! not stop, text that cannot drive a terminal, an error's causes once.

use std::io::Write;

/// Writes a line to stderr; a stderr that is closed is no reason to stop.
pub(super) fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `text` with control characters (a terminal's escape sequences, line
/// breaks) written as escapes, so that a file name or a converter's
/// message cannot drive the terminal it is printed on.
pub(super) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// An error's message and its causes, each said once (a cause its error's
/// message already quotes is not repeated).
pub(super) fn message(e: &anyhow::Error) -> String {
    let mut msg = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !msg.contains(&text) {
            if !msg.is_empty() {
                msg.push_str(": ");
            }
            msg.push_str(&text);
        }
    }
    msg
}
