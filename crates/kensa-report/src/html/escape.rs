//! Escaping for the HTML page: every string is made inert twice over.
//!
//! First the characters a terminal or a renderer could act on (C0 and C1 controls, DEL,
//! bidi overrides and isolates, line separators) become visible escapes exactly as in
//! the text report (`\x1b`, `\u{202e}`), so an ANSI sequence or a reversed file name
//! written by an attacker is shown for what it is. Then the five characters HTML gives a
//! meaning to — `&`, `<`, `>`, `"`, `'` — become character references, which is enough
//! for element content and for quoted attribute values alike (the only two places the
//! writer puts text). The page's Content-Security-Policy forbids scripts anyway; this
//! escaping is what keeps a `<script>` in a log line text rather than markup.

use crate::escape::escape_terminal;

/// `text` with terminal hazards made visible and HTML's special characters escaped.
pub(crate) fn html(text: &str) -> String {
    let visible = escape_terminal(text);
    let mut out = String::with_capacity(visible.len() + 16);
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The first `max` characters of `text`, and how many characters were left out.
pub(crate) fn cut(text: &str, max: usize) -> (&str, usize) {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            let (kept, rest) = text.split_at(at);
            (kept, rest.chars().count())
        }
        None => (text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(html("&lt;"), "&amp;lt;", "references are not decoded twice");
    }

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(html("a\x1b[31mb"), "a\\x1b[31mb");
        assert_eq!(html("\u{202e}txt.exe"), "\\u{202e}txt.exe");
        assert_eq!(html("one\ntwo\0"), "one\\ntwo\\x00");
    }

    #[test]
    fn nothing_dangerous_survives() {
        let hostile = "\"><img src=x onerror=alert(1)>\x1b]0;t\x07'</style></svg>";
        let out = html(hostile);
        assert!(
            !out.contains(['<', '>', '"', '\'', '\x1b', '\x07']),
            "{out}"
        );
    }

    #[test]
    fn cutting_counts_characters() {
        assert_eq!(cut("日本語テキスト", 3), ("日本語", 4));
        assert_eq!(cut("ab", 5), ("ab", 0));
    }
}
