//! Escaping of untrusted text before it reaches a terminal.
//!
//! Every string kensa prints that came from the audited host — log lines, file names,
//! host and user names — was possibly written by the attacker. A terminal acts on some
//! characters instead of showing them: C0 controls (ESC starts the sequences that move the
//! cursor, clear the screen, set the window title or, on some terminals, answer back into
//! the shell), DEL, the C1 controls U+0080–U+009F (U+009B is a one-character CSI on
//! terminals that honour 8-bit controls), and the Unicode bidirectional overrides and
//! isolates that make text read in a different order than it is stored ("Trojan Source",
//! CVE-2021-42574). Each of those is replaced by a visible escape: `\x1b`, `\u{9b}`,
//! `\u{202e}`; tab, newline and carriage return become `\t`, `\n`, `\r` so one evidence
//! line stays one printed line.
//!
//! Backslashes are left alone on purpose: doubling them would make every Windows path and
//! regex in a log harder to read at 3 a.m., and a literal `\x1b` in a log is inert text.
//! The exact bytes are in the JSON output (`raw_hex`) for anyone who needs to tell apart.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a terminal could act on `c` instead of showing it.
pub(crate) fn is_terminal_hazard(c: char) -> bool {
    matches!(
        c,
        // C0 controls, including ESC, tab and line breaks.
        '\u{0}'..='\u{1f}'
        // DEL and the C1 controls.
        | '\u{7f}'..='\u{9f}'
        // Arabic letter mark, LRM, RLM: invisible direction marks.
        | '\u{61c}' | '\u{200e}' | '\u{200f}'
        // Line and paragraph separators: some renderers break lines on them.
        | '\u{2028}' | '\u{2029}'
        // Bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO).
        | '\u{202a}'..='\u{202e}'
        // Bidi isolates (LRI, RLI, FSI, PDI).
        | '\u{2066}'..='\u{2069}'
    )
}

/// The byte index of the first hazard in `text`. Log lines are mostly printable ASCII,
/// which a byte test the compiler vectorises rules out before any character is decoded.
pub(crate) fn find_hazard(text: &str) -> Option<usize> {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    text.find(is_terminal_hazard)
}

/// Returns `text` with every character a terminal could act on replaced by a visible
/// escape (`\x1b`, `\t`, `\u{202e}`, ...). Borrows when nothing needs escaping, which is
/// the common case, so escaping costs a scan and no allocation.
pub fn escape_terminal(text: &str) -> Cow<'_, str> {
    let Some(first) = find_hazard(text) else {
        return Cow::Borrowed(text);
    };
    let (clean, rest) = text.split_at(first);
    let mut escaped = String::with_capacity(text.len() + 16);
    escaped.push_str(clean);
    for c in rest.chars() {
        if !is_terminal_hazard(c) {
            escaped.push(c);
            continue;
        }
        match c {
            '\t' => escaped.push_str("\\t"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(escaped, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(escaped, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let line =
            "Dec 31 23:59:59 mailhub sendmail[7496]: AA07496: to=|/bin/sh, stat=Sent — 日本語 ok";
        assert!(matches!(escape_terminal(line), Cow::Borrowed(_)));
        assert_eq!(escape_terminal(line), line);
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(escape_terminal("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape_terminal("\x1b]0;owned\x07"), "\\x1b]0;owned\\x07");
        assert_eq!(escape_terminal("nul\0del\x7f"), "nul\\x00del\\x7f");
        assert_eq!(escape_terminal("tab\tcr\rlf\n"), "tab\\tcr\\rlf\\n");
    }

    #[test]
    fn c1_controls_and_bidi_overrides_become_visible() {
        assert_eq!(escape_terminal("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_terminal("\u{80}\u{9f}"), "\\u{80}\\u{9f}");
        assert_eq!(escape_terminal("user \u{202e}toor"), "user \\u{202e}toor");
        assert_eq!(escape_terminal("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(escape_terminal("\u{200f}\u{2028}"), "\\u{200f}\\u{2028}");
    }

    #[test]
    fn neighbours_of_the_hazard_ranges_are_kept() {
        // U+00A0 (after C1), U+2029/U+202F around the overrides, U+2065/U+206A around the
        // isolates, and the replacement character of lossy decoding are all printable.
        for c in [
            '\u{a0}', '\u{202f}', '\u{2065}', '\u{206a}', '\u{fffd}', ' ', '~',
        ] {
            let s = c.to_string();
            assert_eq!(escape_terminal(&s), s, "{:x}", c as u32);
        }
    }

    #[test]
    fn every_hazard_is_escaped_and_the_result_is_hazard_free() {
        for code in 0u32..0x3000 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let escaped = escape_terminal(&c.to_string()).into_owned();
            assert!(!escaped.chars().any(is_terminal_hazard), "U+{code:04x}");
            assert_eq!(
                is_terminal_hazard(c),
                escaped != c.to_string(),
                "U+{code:04x}"
            );
        }
    }
}
