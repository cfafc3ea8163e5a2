//! The two languages of every user-facing message: English (the default) and Japanese
//! (`--lang ja`, or a `ja_JP*` locale).
//!
//! A message built at run time — a finding's title with its path in it, a diagnostic
//! with the error in it — is a [`Localized`] made by [`tr!`](crate::tr), which takes
//! both wordings at once, so that no detector can say something in one language only.

use std::fmt;

/// A language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// The language code (`en`, `ja`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// `en`/`ja` (also `ja_JP.UTF-8`-style locale names) to a language.
    pub fn parse(name: &str) -> Option<Lang> {
        let name = name.trim().to_ascii_lowercase();
        if name == "ja" || name.starts_with("ja_") || name.starts_with("ja-") {
            Some(Lang::Ja)
        } else if name == "en" || name.starts_with("en_") || name.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of the environment, POSIX order: `LC_ALL`, then `LC_MESSAGES`, then
    /// `LANG`; the first that is set decides. Japanese only for a `ja*` locale.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .filter_map(|name| var(name).filter(|value| !value.is_empty()))
            .next()
            .and_then(|value| Lang::parse(&value))
            .unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One message made at run time, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Localized {
    /// English.
    pub en: String,
    /// Japanese.
    pub ja: String,
}

impl Localized {
    /// A value that reads the same in both languages: a digest, a number, a path, or
    /// an error as the system worded it. Not for kensa's own words: those go through
    /// [`tr!`](crate::tr).
    pub fn verbatim(text: impl Into<String>) -> Localized {
        let text = text.into();
        Localized {
            en: text.clone(),
            ja: text,
        }
    }

    /// The English and the Japanese, to put into larger messages of each language.
    pub fn into_parts(self) -> (String, String) {
        (self.en, self.ja)
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

impl fmt::Display for Localized {
    /// The English wording (logs and JSON carry English).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Localized`] message from an English and a Japanese format string, with the same
/// arguments for both (inline `{name}` captures work too):
///
/// ```
/// let n = 3;
/// let message = kensa_core::tr!("{n} failed logins", "ログイン失敗 {n} 回");
/// assert_eq!(message.ja, "ログイン失敗 3 回");
/// let path = "etc/passwd";
/// let message = kensa_core::tr!("{} is writable", "{} に書き込めます", path);
/// assert_eq!(message.en, "etc/passwd is writable");
/// ```
#[macro_export]
macro_rules! tr {
    ($en:literal, $ja:literal $(,)?) => {
        $crate::Localized { en: format!($en), ja: format!($ja) }
    };
    ($en:literal, $ja:literal, $($arg:expr),+ $(,)?) => {
        $crate::Localized { en: format!($en, $($arg),+), ja: format!($ja, $($arg),+) }
    };
}

/// An error kensa itself raises (wrapped in an `io::Error`), worded in both languages, so
/// that a diagnostic quoting it can say it in the reader's language. Errors from the
/// system keep the system's words in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedError(pub Localized);

impl fmt::Display for LocalizedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for LocalizedError {}

impl LocalizedError {
    /// An `io::Error` of `kind` carrying `message`.
    pub fn io(kind: std::io::ErrorKind, message: Localized) -> std::io::Error {
        std::io::Error::new(kind, LocalizedError(message))
    }
}

/// What an `io::Error` says, in both languages: kensa's own errors ([`LocalizedError`])
/// translated, the system's as the system words them.
pub fn error_text(error: &std::io::Error) -> Localized {
    if let Some(refused) = kensa_fs::Refused::of(error) {
        return refused_text(refused);
    }
    if kensa_fs::is_link_loop(error) {
        return crate::tr!(
            "too many levels of symbolic links",
            "シンボリックリンクの段数が多すぎます"
        );
    }
    match error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LocalizedError>())
    {
        Some(LocalizedError(message)) => message.clone(),
        None => Localized::verbatim(error.to_string()),
    }
}

/// Why kensa-fs would not read a file, in both languages.
fn refused_text(refused: kensa_fs::Refused) -> Localized {
    use kensa_fs::{FileKind, Refused};
    match refused {
        Refused::NotRegular(FileKind::Symlink) => crate::tr!(
            "symbolic link, not followed",
            "シンボリックリンクのため、たどりませんでした"
        ),
        Refused::NotRegular(kind) => {
            let what = kind.describe();
            let what_ja = match kind {
                FileKind::File => "通常のファイル",
                FileKind::Dir => "ディレクトリ",
                FileKind::Symlink => "シンボリックリンク",
                FileKind::Fifo => "FIFO",
                FileKind::Socket => "ソケット",
                FileKind::CharDevice => "キャラクタデバイス",
                FileKind::BlockDevice => "ブロックデバイス",
                FileKind::Other => "種類不明のファイル",
            };
            crate::tr!(
                "not a regular file ({what}); not read",
                "通常のファイルではない（{what_ja}）ため、読みませんでした"
            )
        }
        Refused::Replaced => crate::tr!(
            "file was replaced while being opened; not read",
            "開いている間にファイルが置き換えられたため、読みませんでした"
        ),
        Refused::TooManyEntries(cap) => crate::tr!(
            "directory has more than {cap} entries",
            "ディレクトリのエントリが {cap} 個を超えています"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kensa_errors_carry_both_languages_and_system_errors_their_own_words() {
        let ours = LocalizedError::io(
            std::io::ErrorKind::InvalidInput,
            crate::tr!(
                "symbolic link, not followed",
                "シンボリックリンクのため、たどりませんでした"
            ),
        );
        assert_eq!(ours.to_string(), "symbolic link, not followed");
        assert_eq!(
            error_text(&ours).ja,
            "シンボリックリンクのため、たどりませんでした"
        );
        let system = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(error_text(&system).ja, system.to_string());
    }
}
