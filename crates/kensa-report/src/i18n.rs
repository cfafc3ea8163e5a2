//! Languages of user-facing text: English (the default) and Japanese (`--lang ja`, or a
//! `ja_JP*` locale).
//!
//! Every message a writer or the CLI shows is a [`Text`] holding both languages side by
//! side, so a message cannot exist in one language only: the compiler asks for both. Rule
//! titles and advice live in the rules themselves (`Rule::title_ja`, `Rule::advice_ja`).
//! Messages with values are written with named `{placeholders}` and filled by
//! [`Text::fill`], because Japanese puts the values in another order than English.

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

/// One user-facing message in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Japanese.
    pub ja: &'static str,
}

impl Text {
    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }

    /// The message in `lang` with each `{name}` replaced by its value. Values are inserted
    /// as they are: escaping is the writer's job.
    pub fn fill(&self, lang: Lang, values: &[(&str, &dyn fmt::Display)]) -> String {
        let mut text = self.get(lang).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_picks_japanese_only_for_ja_locales() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(Lang::from_env(env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
        assert_eq!(
            Lang::from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "ja_JP.UTF-8")])),
            Lang::En,
            "LC_ALL wins over LANG"
        );
    }

    #[test]
    fn fill_puts_values_where_each_language_wants_them() {
        const UNREAD: Text = Text {
            en: "{count} inputs of {host} could not be read",
            ja: "{host} の入力 {count} 件を読めませんでした",
        };
        let values: [(&str, &dyn fmt::Display); 2] = [("count", &3), ("host", &"mailhub")];
        assert_eq!(
            UNREAD.fill(Lang::En, &values),
            "3 inputs of mailhub could not be read"
        );
        assert_eq!(
            UNREAD.fill(Lang::Ja, &values),
            "mailhub の入力 3 件を読めませんでした"
        );
    }
}
