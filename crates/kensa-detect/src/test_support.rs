//! Checks shared by the detectors' tests: every finding a detector words itself reads in
//! Japanese too.

use kensa_core::Finding;

/// Words of the English titles that a Japanese title must not carry (a title built by
/// `format!` in one language only, or an English fragment spliced into the Japanese).
const ENGLISH_WORDS: &[&str] = &[
    "failed login",
    " over ",
    " from ",
    " against ",
    " sources",
    " accounts",
    "1 account",
    " tried",
    " times",
    "once",
    "unknown",
    "local user",
    "listed",
    "the log does not name",
    "decode alias",
    "unparseable",
    "refused address",
    "SMTP command",
    " more ",
    "itemised",
    " files)",
    " days",
    " min",
    "an address new",
    "logged in",
    "probably",
];

fn is_kana_or_kanji(c: char) -> bool {
    ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The Japanese title and advice of `finding` are there, in Japanese, with no English
/// wording of kensa's own left in and no ASCII word glued to the kana or kanji before it.
pub(crate) fn assert_japanese(finding: &Finding) {
    let (code, ja) = (finding.code, finding.title_ja.as_str());
    assert!(!finding.advice_ja.is_empty(), "{code}: no Japanese advice");
    assert!(
        ja.chars().any(is_kana_or_kanji),
        "{code}: the Japanese title is not Japanese: {ja:?} (English: {:?})",
        finding.title
    );
    for word in ENGLISH_WORDS {
        assert!(
            !ja.contains(word),
            "{code}: English {word:?} in the Japanese title {ja:?}"
        );
    }
    let chars: Vec<char> = ja.chars().collect();
    for pair in chars.windows(2) {
        assert!(
            !(is_kana_or_kanji(pair[0]) && pair[1].is_ascii_alphanumeric()),
            "{code}: {:?} glued in {ja:?}",
            pair.iter().collect::<String>()
        );
    }
}
