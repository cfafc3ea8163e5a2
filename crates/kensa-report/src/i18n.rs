//! Languages of user-facing text: English (the default) and Japanese (`--lang ja`, or a
//! `ja_JP*` locale).
//!
//! Every message a writer or the CLI shows is a [`Text`] holding both languages side by
//! side, so a message cannot exist in one language only: the compiler asks for both. Rule
//! titles and advice live in the rules themselves (`Rule::title_ja`, `Rule::advice_ja`).
//! Messages with values are written with named `{placeholders}` and filled by
//! [`Text::fill`], because Japanese puts the values in another order than English.

pub use kensa_core::Lang;
use kensa_core::{Diagnostic, DiagnosticLevel, MessageCode, Severity, Verdict};
use std::borrow::Cow;
use std::fmt;

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

/// A counted noun: `1 host` / `2 hosts` in English, `ホスト 2 台` in Japanese (which has no
/// plural but puts a counter after the number). Both forms carry `{n}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    /// The form for exactly one.
    pub one: Text,
    /// The form for any other count.
    pub many: Text,
}

impl Noun {
    /// `count` of this noun in `lang`.
    pub fn count(&self, lang: Lang, count: impl Into<u64>) -> String {
        let count = count.into();
        let form = if count == 1 { &self.one } else { &self.many };
        form.fill(lang, &[("n", &count)])
    }
}

/// Shorthand for the catalogue below.
const fn t(en: &'static str, ja: &'static str) -> Text {
    Text { en, ja }
}

/// Shorthand for a counted noun.
const fn noun(one: Text, many: Text) -> Noun {
    Noun { one, many }
}

/// The messages of the report writers, in both languages. Kept in one place so that a
/// test can walk them all ([`CATALOGUE`]) and so that other writers say the same words.
pub mod msg {
    use super::{Noun, Text, noun, t};

    /// Verdict `compromised` because an attack succeeded.
    pub const MEANING_SUCCEEDED: Text = t(
        "an attack succeeded; intrusion cannot be ruled out (advisory step 5: rebuild)",
        "攻撃が成功しています。侵入の可能性を否定できません（アドバイザリの対策 (5): システムの再構築）",
    );
    /// Verdict `compromised` because of an indicator of intrusion.
    pub const MEANING_INDICATOR: Text = t(
        "signs of intrusion were found; intrusion cannot be ruled out (advisory step 5: rebuild)",
        "侵入の痕跡が見つかりました。侵入の可能性を否定できません（アドバイザリの対策 (5): システムの再構築）",
    );
    /// Verdict `attacked`.
    pub const MEANING_ATTACKED: Text = t(
        "attacks were made; none is seen to have succeeded (close the holes: advisory steps 1-4)",
        "攻撃の試みがありましたが、成功した形跡はありません（セキュリティホールを塞いでください: アドバイザリの対策 (1)〜(4)）",
    );
    /// Verdict `exposed`.
    pub const MEANING_EXPOSED: Text = t(
        "holes are open; nobody is seen using them (advisory steps 1, 2 and 4)",
        "セキュリティホールが残っていますが、悪用された形跡はありません（アドバイザリの対策 (1)、(2)、(4)）",
    );
    /// Verdict `clean`.
    pub const MEANING_CLEAN: Text = t("nothing found", "問題は見つかりませんでした");
    /// The meaning of `clean` when the host has only informational findings.
    pub const MEANING_NOTES_ONLY: Text = t(
        "nothing that needs action (notes only)",
        "対応が必要なものはありません（参考情報のみ）",
    );
    /// A report with no host.
    pub const NO_HOST: Text = t(
        "no host in this report: nothing was examined",
        "この報告にはホストがありません: 何も検査されませんでした",
    );
    /// A host whose name is empty.
    pub const NO_HOST_NAME: Text = t("(no host name)", "（ホスト名なし）");
    /// A clean verdict over inputs that were not read in full.
    pub const BUT_UNREAD: Text = t(
        " — but {inputs} could not be read in full (see the end of the report)",
        " — ただし{inputs}を完全には読めませんでした（報告の末尾を参照）",
    );
    /// Field label: the source address.
    pub const LABEL_SOURCE: Text = t("source:", "送信元:");
    /// Field label: user names.
    pub const LABEL_USERS: Text = t("users:", "ユーザー:");
    /// Field label: a path.
    pub const LABEL_PATH: Text = t("path:", "パス:");
    /// Field label: a message id.
    pub const LABEL_MESSAGE_ID: Text = t("message id:", "メッセージID:");
    /// Label: the network address probed.
    pub const LABEL_ADDRESS: Text = t("address:", "アドレス:");
    /// Field label: the time or time span.
    pub const LABEL_TIME: Text = t("time:", "日時:");
    /// Field label: how many times.
    pub const LABEL_COUNT: Text = t("count:", "回数:");
    /// Field label: the evidence lines.
    pub const LABEL_EVIDENCE: Text = t("evidence:", "証拠:");
    /// Field label: what to do.
    pub const LABEL_ADVICE: Text = t("advice:", "対処:");
    /// Field label: the finding's own (English) title, when it says more than the rule's.
    pub const LABEL_DETAIL: Text = t("detail:", "詳細:");
    /// A time span.
    pub const TIME_SPAN: Text = t("{first} to {last}", "{first} 〜 {last}");
    /// Evidence lines left out.
    pub const MORE_LINES: Text = t(
        "... and {lines} (-v shows all)",
        "... ほか {lines}（-v ですべて表示）",
    );
    /// The heading of a host's findings an allow list accepted.
    pub const ACCEPTED: Text = t(
        "accepted by the allow list, not in the verdict: {n}",
        "許可リストで受け入れた検出（判定に含めない）: {n} 件",
    );
    /// An accepted finding: its code, path, the reason and the entry.
    pub const ACCEPTED_ONE: Text = t(
        "{code} {path} — {reason} ({origin})",
        "{code} {path} — {reason}（{origin}）",
    );
    /// Accepted findings left out.
    pub const MORE_ACCEPTED: Text = t(
        "... and {n} more (-v shows all)",
        "... ほか {n} 件（-v ですべて表示）",
    );
    /// Users left out.
    pub const MORE_USERS: Text = t(", ... (+{n} more)", "、...（ほか {n} 人）");
    /// Characters cut from a long string.
    pub const MORE_CHARS: Text = t(" ... (+{chars})", " ...（ほか {chars}）");
    /// An evidence line that is not UTF-8.
    pub const NOT_UTF8: Text = t(
        " [not UTF-8: -v or JSON shows the bytes]",
        " [UTF-8 ではありません: -v または JSON で元のバイト列を表示]",
    );
    /// The raw bytes of such a line.
    pub const RAW_BYTES: Text = t("raw bytes: {hex}", "元のバイト列: {hex}");
    /// The summary line's label.
    pub const SUMMARY: Text = t("summary:", "概要:");

    /// Hosts.
    pub const HOSTS: Noun = noun(
        t("{n} host", "ホスト {n} 台"),
        t("{n} hosts", "ホスト {n} 台"),
    );
    /// Findings.
    pub const FINDINGS: Noun = noun(
        t("{n} finding", "検出 {n} 件"),
        t("{n} findings", "検出 {n} 件"),
    );
    /// Diagnostics.
    pub const DIAGNOSTICS: Noun = noun(
        t("{n} diagnostic", "診断メッセージ {n} 件"),
        t("{n} diagnostics", "診断メッセージ {n} 件"),
    );
    /// Inputs (files).
    pub const INPUTS: Noun = noun(
        t("{n} input", "入力 {n} 件"),
        t("{n} inputs", "入力 {n} 件"),
    );
    /// Evidence lines.
    pub const MORE_LINE: Noun = noun(t("{n} more line", "{n} 行"), t("{n} more lines", "{n} 行"));
    /// Characters.
    pub const CHARS: Noun = noun(t("{n} char", "{n} 文字"), t("{n} chars", "{n} 文字"));

    /// `kensa rules` column headers.
    pub const COL_CODE: Text = t("CODE", "コード");
    /// Column: kind.
    pub const COL_KIND: Text = t("KIND", "種類");
    /// Column: outcome.
    pub const COL_OUTCOME: Text = t("OUTCOME", "結果");
    /// Column: severity.
    pub const COL_SEVERITY: Text = t("SEVERITY", "重大度");
    /// Column: status.
    pub const COL_STATUS: Text = t("STATUS", "状態");
    /// Column: title.
    pub const COL_TITLE: Text = t("TITLE", "題名");
    /// `kensa explain` header line.
    pub const EXPLAIN_HEADER: Text = t(
        "{code} {name} — kind {kind}, outcome {outcome}, severity {severity} ({status}, since {since})",
        "{code} {name} — 種類 {kind}、結果 {outcome}、重大度 {severity}（{status}、{since} から）",
    );
    /// `kensa explain` in Japanese for a rule whose Japanese doc is missing.
    pub const NO_JA_DOC: Text = t(
        "(no Japanese documentation for this rule yet; the English one follows)",
        "（この規則の日本語の説明はまだありません。英語の説明を示します）",
    );

    /// Every text and noun above, for the catalogue test.
    pub const ALL: &[Text] = &[
        MEANING_SUCCEEDED,
        MEANING_INDICATOR,
        MEANING_ATTACKED,
        MEANING_EXPOSED,
        MEANING_CLEAN,
        MEANING_NOTES_ONLY,
        NO_HOST,
        NO_HOST_NAME,
        BUT_UNREAD,
        LABEL_SOURCE,
        LABEL_USERS,
        LABEL_PATH,
        LABEL_MESSAGE_ID,
        LABEL_ADDRESS,
        LABEL_TIME,
        LABEL_COUNT,
        LABEL_EVIDENCE,
        LABEL_ADVICE,
        LABEL_DETAIL,
        TIME_SPAN,
        MORE_LINES,
        ACCEPTED,
        ACCEPTED_ONE,
        MORE_ACCEPTED,
        MORE_USERS,
        MORE_CHARS,
        NOT_UTF8,
        RAW_BYTES,
        SUMMARY,
        COL_CODE,
        COL_KIND,
        COL_OUTCOME,
        COL_SEVERITY,
        COL_STATUS,
        COL_TITLE,
        EXPLAIN_HEADER,
        NO_JA_DOC,
    ];
    /// Every counted noun above.
    pub const NOUNS: &[Noun] = &[HOSTS, FINDINGS, DIAGNOSTICS, INPUTS, MORE_LINE, CHARS];
}

/// A verdict's name: `compromised` / `侵害あり`.
pub fn verdict_name(verdict: Verdict, lang: Lang) -> &'static str {
    verdict_text(verdict).get(lang)
}

fn verdict_text(verdict: Verdict) -> Text {
    match verdict {
        Verdict::Compromised => t("compromised", "侵害あり"),
        Verdict::Attacked => t("attacked", "攻撃あり"),
        Verdict::Exposed => t("exposed", "脆弱性あり"),
        Verdict::Clean => t("clean", "問題なし"),
    }
}

/// A severity's name: `critical` / `緊急`.
pub fn severity_name(severity: Severity, lang: Lang) -> &'static str {
    severity_text(severity).get(lang)
}

fn severity_text(severity: Severity) -> Text {
    match severity {
        Severity::Critical => t("critical", "緊急"),
        Severity::High => t("high", "高"),
        Severity::Medium => t("medium", "中"),
        Severity::Low => t("low", "低"),
        Severity::Info => t("info", "情報"),
    }
}

/// A diagnostic level's name: `warning` / `警告`.
pub fn level_name(level: DiagnosticLevel, lang: Lang) -> &'static str {
    level_text(level).get(lang)
}

fn level_text(level: DiagnosticLevel) -> Text {
    match level {
        DiagnosticLevel::Error => t("error", "エラー"),
        DiagnosticLevel::Warning => t("warning", "警告"),
        DiagnosticLevel::Note => t("note", "注記"),
    }
}

/// The text of a coded diagnostic message ([`MessageCode`]): its two templates, which
/// live with the code in `kensa-core` so that the English `message` is built from the
/// same one.
pub fn message_text(code: MessageCode) -> Text {
    Text {
        en: code.english(),
        ja: code.japanese(),
    }
}

/// A diagnostic's message in `lang`: the catalogue's text for a coded message, else the
/// message as it was written (English).
pub fn diagnostic_message(diagnostic: &Diagnostic, lang: Lang) -> Cow<'_, str> {
    Cow::Borrowed(diagnostic.message_in(lang))
}

/// Every message of this crate's catalogue: the writer messages, the counted nouns, the
/// verdict, severity and level names and the coded diagnostics.
pub fn catalogue() -> Vec<Text> {
    let mut all: Vec<Text> = msg::ALL.to_vec();
    for noun in msg::NOUNS {
        all.push(noun.one);
        all.push(noun.many);
    }
    for verdict in [
        Verdict::Compromised,
        Verdict::Attacked,
        Verdict::Exposed,
        Verdict::Clean,
    ] {
        all.push(verdict_text(verdict));
    }
    all.extend(Severity::ALL.map(severity_text));
    for level in [
        DiagnosticLevel::Error,
        DiagnosticLevel::Warning,
        DiagnosticLevel::Note,
    ] {
        all.push(level_text(level));
    }
    all.extend(MessageCode::ALL.map(message_text));
    all
}

/// The `{placeholders}` of a message, sorted and without repeats.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        match rest.find('}') {
            Some(close) => {
                names.push(&rest[..close]);
                rest = &rest[close + 1..];
            }
            None => break,
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// What is wrong with a list of messages: an empty language, or placeholders that differ
/// between the two. Empty when all is well; each problem names the English text.
pub fn check_catalogue(texts: &[Text]) -> Vec<String> {
    let mut problems = Vec::new();
    for text in texts {
        if text.en.trim().is_empty() || text.ja.trim().is_empty() {
            problems.push(format!(
                "{:?} / {:?}: a language is empty",
                text.en, text.ja
            ));
        } else if placeholders(text.en) != placeholders(text.ja) {
            problems.push(format!(
                "{:?} / {:?}: placeholders differ",
                text.en, text.ja
            ));
        }
    }
    problems
}

/// Columns a string takes on a terminal: two for East Asian wide characters (CJK,
/// kana, full-width forms), one for the rest (see [`crate::wrap::width`]). Enough to
/// align labels and tables.
pub fn display_width(text: &str) -> usize {
    crate::wrap::width(text)
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
    fn every_message_has_both_languages_and_the_same_placeholders() {
        let all = catalogue();
        assert!(all.len() > 50, "{} messages", all.len());
        assert_eq!(check_catalogue(&all), Vec::<String>::new());
    }

    #[test]
    fn the_checker_catches_a_missing_language_or_placeholder() {
        let bad = [t("{n} hosts", "ホスト 台"), t("x", " ")];
        assert_eq!(check_catalogue(&bad).len(), 2);
        assert_eq!(placeholders("{b} {a} {b}"), vec!["a", "b"]);
    }

    #[test]
    fn coded_diagnostics_are_said_in_japanese() {
        let diagnostic = Diagnostic::coded(
            DiagnosticLevel::Error,
            "var/log/x",
            None,
            MessageCode::CannotRead,
            vec![("error", "boom".to_string())],
        );
        assert_eq!(
            diagnostic_message(&diagnostic, Lang::En),
            "cannot read: boom"
        );
        assert_eq!(
            diagnostic_message(&diagnostic, Lang::Ja),
            "読み取れません: boom"
        );
        let free = Diagnostic::say(
            DiagnosticLevel::Note,
            "f",
            None,
            kensa_core::tr!("rare message", "まれなメッセージ"),
        );
        assert_eq!(diagnostic_message(&free, Lang::Ja), "まれなメッセージ");
        assert_eq!(diagnostic_message(&free, Lang::En), "rare message");
    }

    #[test]
    fn nouns_count_in_each_language() {
        assert_eq!(msg::HOSTS.count(Lang::En, 1u64), "1 host");
        assert_eq!(msg::HOSTS.count(Lang::En, 2u64), "2 hosts");
        assert_eq!(msg::HOSTS.count(Lang::Ja, 2u64), "ホスト 2 台");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(display_width("対処:"), 5);
        assert_eq!(display_width("advice:"), 7);
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
