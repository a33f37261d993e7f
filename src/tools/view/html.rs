//! Escaping for the page: text into HTML, the script's hash into its
//! Content-Security-Policy. The document's text goes into the HTML escaped,
//! and row data into a JSON block whose `<` is written `\u003c`; the page's
//! one script is pinned by a hash in its policy, so nothing from the
//! document can run.

/// The HTML, CSS and script of the page, with `{{slot}}`s to fill.
pub(super) const TEMPLATE: &str = include_str!("view.html");

/// The script of the template, whose hash the page's policy allows.
pub(super) fn script_body() -> &'static str {
    let start = TEMPLATE.find("<script>").expect("template has a script") + "<script>".len();
    let len = TEMPLATE[start..]
        .find("</script>")
        .expect("script is closed");
    &TEMPLATE[start..start + len]
}

/// A kind as a CSS class name: letters, digits and `_` kept.
pub(super) fn class_name(kind: &str) -> String {
    kind.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

pub(super) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        escape_char_into(out, c);
    }
}

/// HTML-escapes one character of text; a `\r` is written as a reference
/// because the HTML parser would otherwise turn `\r\n` into `\n` and the
/// page's text would no longer match the offsets.
pub(super) fn escape_char_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\r' => out.push_str("&#13;"),
        c => out.push(c),
    }
}

/// Standard base64 with padding, for the script's hash.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
