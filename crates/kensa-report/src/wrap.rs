//! Wrapping text to a number of terminal columns, for English and Japanese alike.
//!
//! English breaks at spaces. Japanese has none: a line may break between any two CJK
//! characters, so a Japanese title cut only at spaces would stay one over-long line. The
//! rules here are the usual ones of Japanese typesetting (kinsoku, JIS X 4051, much
//! simplified): a line never starts with closing punctuation or a small kana (`。`, `、`,
//! `）`, `」`, `ッ`, `ー` …) and never ends with an opening bracket (`（`, `「` …), and
//! an ASCII word (a path, an address, a code) is never cut. Widths are terminal columns:
//! CJK and full-width characters take two.

use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Characters a line may not start with: closing brackets and punctuation, iteration
/// marks, small kana and the prolonged sound mark (full-width and ASCII alike).
const NO_BREAK_BEFORE: &str = "、。，．・：；？！）」』】〉》〕］｝〙〗〟’”ゝゞヽヾ々ー\
                               ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ〜…‥％\
                               ,.:;!?)]}%";
/// Characters a line may not end with: opening brackets.
const NO_BREAK_AFTER: &str = "（「『【〈《〔［｛〘〖〝‘“([{";

/// Columns `text` takes on a terminal: two for East Asian wide and full-width
/// characters, none for combining marks, one for the rest.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn is_wide(c: char) -> bool {
    c.width().is_some_and(|w| w >= 2)
}

/// `text` cut into lines of at most `columns` columns (a piece wider than that, such
/// as a long path, stands alone on its line, uncut). Whitespace, newlines included,
/// only separates words; lines have no trailing or leading spaces.
pub fn lines(text: &str, columns: usize) -> Vec<String> {
    lines_shown(text, columns, |piece: &str| Cow::Borrowed(piece))
}

/// Like [`lines`], with each unbreakable piece passed through `show` (e.g. escaping
/// for the terminal) before it is measured and written.
pub(crate) fn lines_shown<F>(text: &str, columns: usize, show: F) -> Vec<String>
where
    F: for<'a> Fn(&'a str) -> Cow<'a, str>,
{
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        for (index, piece) in pieces(word).enumerate() {
            let piece = show(piece);
            let len = width(&piece);
            let space = usize::from(index == 0 && !line.is_empty());
            if !line.is_empty() && used + space + len > columns {
                lines.push(std::mem::take(&mut line));
                used = 0;
            } else if space == 1 {
                line.push(' ');
                used += 1;
            }
            line.push_str(&piece);
            used += len;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Katakana (without the middle dot, after which a line may break): a katakana word
/// such as パスワード is kept whole, as a reader expects, like an ASCII word.
fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30a1}'..='\u{30fa}' | '\u{30fc}'..='\u{30ff}' | '\u{ff66}'..='\u{ff9f}')
}

/// The pieces of one word (a run without whitespace) that a line may break between:
/// around wide characters, except before closing and after opening punctuation. An
/// ASCII word is one piece.
pub(crate) fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut previous: Option<char> = None;
    let mut chars = word.char_indices();
    std::iter::from_fn(move || {
        if start >= word.len() {
            return None;
        }
        for (at, c) in chars.by_ref() {
            let breaks = previous.is_some_and(|p| {
                (is_wide(p) || is_wide(c))
                    && !NO_BREAK_BEFORE.contains(c)
                    && !NO_BREAK_AFTER.contains(p)
                    && !(is_katakana(p) && is_katakana(c))
            });
            previous = Some(c);
            if breaks {
                let piece = &word[start..at];
                start = at;
                return Some(piece);
            }
        }
        let piece = &word[start..];
        start = word.len();
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces_of(word: &str) -> Vec<&str> {
        pieces(word).collect()
    }

    #[test]
    fn widths_are_terminal_columns() {
        assert_eq!(width("advice:"), 7);
        assert_eq!(width("対処:"), 5);
        assert_eq!(width("（ＡＢＣ）"), 10);
        assert_eq!(width("ｶﾀｶﾅ"), 4, "half-width katakana take one column");
        assert_eq!(width("é"), 1);
        assert_eq!(width("e\u{301}"), 1, "a combining mark takes none");
    }

    #[test]
    fn english_breaks_at_spaces_only() {
        let text = "Change every user's password to one that is not easy to guess, \
                    then rebuild the host from trusted media.";
        let out = lines(text, 30);
        assert_eq!(
            out,
            [
                "Change every user's password",
                "to one that is not easy to",
                "guess, then rebuild the host",
                "from trusted media.",
            ]
        );
        assert_eq!(lines("  a\n\tb  ", 10), ["a b"]);
        assert!(lines("", 10).is_empty());
        let long = "/var/spool/mqueue/".repeat(5);
        assert_eq!(lines(&format!("a {long} b"), 20), ["a", long.as_str(), "b"]);
    }

    #[test]
    fn japanese_breaks_between_characters_by_width() {
        let text = "ホストが侵害されたものとして扱い、すべてのパスワードを変更してください。";
        let out = lines(text, 20);
        assert_eq!(
            out,
            [
                "ホストが侵害されたも",
                "のとして扱い、すべて",
                "のパスワードを変更し",
                "てください。",
            ]
        );
        assert!(out.iter().all(|line| width(line) <= 20));
        assert_eq!(out.concat(), text);
    }

    #[test]
    fn katakana_words_stay_whole() {
        assert_eq!(lines("ホストのパスワード", 10), ["ホストの", "パスワード"]);
        assert_eq!(
            lines("アクセス元・ユーザー", 12),
            ["アクセス元・", "ユーザー"]
        );
    }

    #[test]
    fn kinsoku_keeps_punctuation_with_its_neighbour() {
        // `、` would start the second line: the character before it goes along.
        assert_eq!(
            lines("あいうえ、かきくけ", 8),
            ["あいう", "え、かき", "くけ"]
        );
        // `（` would end the first line: it moves to the next.
        assert_eq!(
            lines("あいう（かき）くけ", 8),
            ["あいう", "（かき）", "くけ"]
        );
        // `ッ` and `ー` never start a line.
        assert_eq!(lines("あいうエッセー", 8), ["あいう", "エッセー"]);
        assert_eq!(pieces_of("（3）を"), ["（3）", "を"]);
        assert_eq!(pieces_of("「成功」。"), ["「成", "功」。"]);
    }

    #[test]
    fn mixed_text_never_cuts_an_ascii_word() {
        let text = "SM002 sendmail の脆弱性を悪用した攻撃が成功（/var/spool/mqueue に不審なファイル） — 成功; 送信元 192.0.2.7";
        let out = lines(text, 30);
        for line in &out {
            assert!(width(line) <= 30, "{line:?}");
            assert!(!line.starts_with(['、', '。', '）']), "{line:?}");
            assert!(!line.ends_with('（'), "{line:?}");
        }
        let words: Vec<&str> = out.iter().flat_map(|l| l.split(' ')).collect();
        for ascii in ["SM002", "sendmail", "/var/spool/mqueue", "192.0.2.7"] {
            assert!(
                words.iter().any(|w| w.contains(ascii)),
                "{ascii} was cut: {out:?}"
            );
        }
        assert_eq!(pieces_of("sendmailの"), ["sendmail", "の"]);
        assert_eq!(pieces_of("v8.8.5"), ["v8.8.5"]);
        assert_eq!(
            out.join("").replace(' ', ""),
            text.replace(' ', ""),
            "nothing lost"
        );
    }

    #[test]
    fn pieces_are_shown_before_they_are_measured() {
        let escaped = lines_shown("a\u{7}b ccc", 4, |piece| {
            Cow::Owned(piece.replace('\u{7}', "\\a"))
        });
        assert_eq!(escaped, ["a\\ab", "ccc"]);
    }
}
