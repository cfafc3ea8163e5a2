//! Diagnostics: what kensa could not read or understand, said plainly and carried into the
//! report. One bad input never ends a run; it becomes one of these, naming the file and,
//! where there is one, the line.

use crate::lang::{Lang, Localized};
use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters to the reader of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// Something worth knowing (e.g. a line longer than kensa keeps).
    Note,
    /// Part of an input could not be used (a truncated archive, an unreadable file).
    Warning,
    /// An input could not be used at all.
    Error,
}

/// One problem with one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub level: DiagnosticLevel,
    /// The file as shown to the user (relative to the audited root when under it).
    pub file: String,
    /// The 1-based line (in the decompressed text), when the problem is at a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What happened, in one sentence (English; JSON carries this).
    pub message: String,
    /// The same sentence in Japanese (empty for a message not yet translated, which is
    /// then shown in English).
    #[serde(skip)]
    pub message_ja: String,
    /// The same message as a code and its values, so a writer can say it in the reader's
    /// language (see `kensa_report::i18n`); `None` for rarer messages, shown in English.
    #[serde(skip)]
    pub code: Option<MessageCode>,
    /// The values of [`Diagnostic::code`]'s `{placeholders}`, by name.
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

/// The common diagnostic messages, named so that writers can translate them rather than
/// translating free text. Each has an English and a Japanese template
/// ([`MessageCode::english`], [`MessageCode::japanese`]) with the same `{placeholders}`,
/// filled from [`Diagnostic::args`]; a coded diagnostic's `message` *is* its English
/// template filled, so the JSON text and the translation cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageCode {
    /// A log file cannot be opened for reading (`{error}`).
    CannotRead,
    /// A given path cannot be examined (`{error}`).
    CannotBeRead,
    /// A given path does not exist.
    DoesNotExist,
    /// Binary data where a text log was expected.
    BinaryFile,
    /// A compressed file ends early or is corrupt (`{format}`, `{bytes}`, `{error}`).
    TruncatedCompressed,
    /// A plain file's read failed part way (`{bytes}`, `{error}`).
    ReadError,
    /// Lines longer than kensa keeps (`{count}`, `{kib}`).
    LongLines,
    /// Short NUL runs, corruption rather than wiping (`{count}`, `{min}`).
    ShortNulRuns,
    /// No modification time to anchor year-less dates.
    NoMtimeYear,
    /// The logs' stated years moved the year guess (`{years}`).
    YearShift,
    /// A symbolic link that was not followed.
    SymlinkNotFollowed,
    /// The audited root names no time zone; UTC is used.
    NoTimeZone,
    /// A directory that cannot be listed (`{error}`).
    DirectoryUnreadable,
    /// The root names no host; its own logs name it `{host}`.
    HostNamedByLogs,
}

impl MessageCode {
    /// Every code, for catalogue tests.
    pub const ALL: [MessageCode; 14] = [
        MessageCode::CannotRead,
        MessageCode::CannotBeRead,
        MessageCode::DoesNotExist,
        MessageCode::BinaryFile,
        MessageCode::TruncatedCompressed,
        MessageCode::ReadError,
        MessageCode::LongLines,
        MessageCode::ShortNulRuns,
        MessageCode::NoMtimeYear,
        MessageCode::YearShift,
        MessageCode::SymlinkNotFollowed,
        MessageCode::NoTimeZone,
        MessageCode::DirectoryUnreadable,
        MessageCode::HostNamedByLogs,
    ];

    /// The English template.
    pub fn english(self) -> &'static str {
        self.texts().0
    }

    /// The Japanese template.
    pub fn japanese(self) -> &'static str {
        self.texts().1
    }

    fn texts(self) -> (&'static str, &'static str) {
        match self {
            MessageCode::CannotRead => ("cannot read: {error}", "読み取れません: {error}"),
            MessageCode::CannotBeRead => ("cannot be read: {error}", "読み取れません: {error}"),
            MessageCode::DoesNotExist => ("does not exist", "存在しません"),
            MessageCode::BinaryFile => (
                "binary data, not a text log; skipped",
                "テキストのログではなくバイナリデータのため、読み飛ばしました",
            ),
            MessageCode::TruncatedCompressed => (
                "truncated or corrupt {format} data after {bytes} bytes ({error}); the lines \
                 before it were scanned",
                "{format} データが {bytes} バイト目以降で途切れているか壊れています（{error}）。\
                 それより前の行は検査しました",
            ),
            MessageCode::ReadError => (
                "read error after {bytes} bytes ({error}); the lines before it were scanned",
                "{bytes} バイト目以降で読み取りエラー（{error}）。それより前の行は検査しました",
            ),
            MessageCode::LongLines => (
                "{count} line(s) longer than {kib} KiB: only their first {kib} KiB are kept as \
                 evidence",
                "{kib} KiB を超える行が {count} 行あります: 証拠としては先頭 {kib} KiB だけを\
                 保持します",
            ),
            MessageCode::ShortNulRuns => (
                "{count} short run(s) of NUL bytes (under {min} bytes: corruption rather than \
                 wiped lines)",
                "短い NUL バイトの連続が {count} 箇所あります（{min} バイト未満: 行の消去ではなく\
                 ファイルの破損と見られます）",
            ),
            MessageCode::NoMtimeYear => (
                "no modification time: year-less dates are taken to be in the current year \
                 (use --year)",
                "更新時刻がないため、年のない日付は今年のものとみなしました（--year で指定\
                 できます）",
            ),
            MessageCode::YearShift => (
                "the files' modification times put these logs {years} year(s) off from the \
                 dates that sendmail message-ids in them state; the years were taken from the \
                 logs (use --year to set them)",
                "ファイルの更新時刻から推定した年が、ログ中の sendmail の message-id が示す\
                 日付と {years} 年ずれていたため、ログが示す年を採用しました（--year で指定\
                 できます）",
            ),
            MessageCode::SymlinkNotFollowed => (
                "symbolic link, not followed",
                "シンボリックリンクのため、たどりませんでした",
            ),
            MessageCode::NoTimeZone => (
                "no time zone found under the root (etc/localtime, etc/timezone, etc/TIMEZONE, \
                 etc/default/init, etc/sysconfig/clock); times are shown in UTC",
                "検査対象のルートにタイムゾーンの設定が見つかりません（etc/localtime、\
                 etc/timezone、etc/TIMEZONE、etc/default/init、etc/sysconfig/clock）。時刻は UTC で\
                 示します",
            ),
            MessageCode::DirectoryUnreadable => (
                "directory cannot be read: {error}",
                "ディレクトリを読み取れません: {error}",
            ),
            MessageCode::HostNamedByLogs => (
                "the root names no host (etc/hostname and the rest); its own logs name it \
                 {host}, and records that carry no host (login records, transfer logs, audit \
                 logs without node=) are that host's",
                "検査対象のルートにホスト名の設定がありません（etc/hostname など）。ログが示す\
                 ホスト名 {host} を使い、ホスト名を持たない記録（ログイン記録、転送ログ、node= \
                 のない監査ログ）もこのホストのものとします",
            ),
        }
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill_template(template: &str, args: &[(&'static str, String)]) -> String {
    let mut text = template.to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

impl Diagnostic {
    /// A diagnostic about `file` (at `line` when given) in both languages, made with
    /// [`tr!`](crate::tr).
    pub fn say(
        level: DiagnosticLevel,
        file: impl Into<String>,
        line: Option<u64>,
        message: Localized,
    ) -> Self {
        Diagnostic {
            level,
            file: file.into(),
            line,
            message: message.en,
            message_ja: message.ja,
            code: None,
            args: Vec::new(),
        }
    }

    /// The message in `lang` (English when it has no translation yet).
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja if !self.message_ja.is_empty() => &self.message_ja,
            _ => &self.message,
        }
    }

    /// A diagnostic whose message is a [`MessageCode`] with its values (about the whole
    /// file when `line` is `None`); its English `message` is the code's template filled.
    pub fn coded(
        level: DiagnosticLevel,
        file: impl Into<String>,
        line: Option<u64>,
        code: MessageCode,
        args: Vec<(&'static str, String)>,
    ) -> Self {
        let args = args
            .into_iter()
            .map(|(name, value)| (name, Localized::verbatim(value)))
            .collect();
        Diagnostic::coded_localized(level, file, line, code, args)
    }

    /// [`Diagnostic::coded`] with values that differ by language (an error kensa words
    /// itself, see [`crate::error_text`]).
    pub fn coded_localized(
        level: DiagnosticLevel,
        file: impl Into<String>,
        line: Option<u64>,
        code: MessageCode,
        args: Vec<(&'static str, Localized)>,
    ) -> Self {
        let en: Vec<(&'static str, String)> =
            args.iter().map(|(name, v)| (*name, v.en.clone())).collect();
        let ja: Vec<(&'static str, String)> =
            args.iter().map(|(name, v)| (*name, v.ja.clone())).collect();
        Diagnostic {
            level,
            file: file.into(),
            line,
            message: fill_template(code.english(), &en),
            message_ja: fill_template(code.japanese(), &ja),
            code: Some(code),
            args: en,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            DiagnosticLevel::Note => "note",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {}:{line}: {}", self.file, self.message),
            None => write!(f, "{level}: {}: {}", self.file, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_coded_message_is_its_english_template_filled() {
        let d = Diagnostic::coded(
            DiagnosticLevel::Note,
            "var/adm/messages",
            None,
            MessageCode::YearShift,
            vec![("years", "29".to_string())],
        );
        assert_eq!(
            d.message,
            "the files' modification times put these logs 29 year(s) off from the dates that \
             sendmail message-ids in them state; the years were taken from the logs (use --year \
             to set them)"
        );
        let d = Diagnostic::coded(
            DiagnosticLevel::Warning,
            "var/log/syslog.2.gz",
            Some(7),
            MessageCode::TruncatedCompressed,
            vec![
                ("format", "gzip".to_string()),
                ("bytes", "4096".to_string()),
                ("error", "unexpected end of file".to_string()),
            ],
        );
        assert_eq!(
            d.to_string(),
            "warning: var/log/syslog.2.gz:7: truncated or corrupt gzip data after 4096 bytes \
             (unexpected end of file); the lines before it were scanned"
        );
    }

    #[test]
    fn every_code_has_both_templates() {
        for code in MessageCode::ALL {
            assert!(
                !code.english().is_empty() && !code.japanese().is_empty(),
                "{code:?}"
            );
            assert!(
                !code.english().contains("  "),
                "{code:?}: a broken continuation"
            );
            assert!(
                !code.japanese().contains("  "),
                "{code:?}: a broken continuation"
            );
            // A `\` continuation eats the next line's leading spaces: an ASCII word must
            // not be glued to the kana or kanji before it.
            let japanese: Vec<char> = code.japanese().chars().collect();
            for pair in japanese.windows(2) {
                let cjk = ('\u{3040}'..='\u{30ff}').contains(&pair[0])
                    || ('\u{4e00}'..='\u{9fff}').contains(&pair[0]);
                assert!(
                    !(cjk && pair[1].is_ascii_alphanumeric()),
                    "{code:?}: {:?} glued",
                    pair.iter().collect::<String>()
                );
            }
        }
    }
}
