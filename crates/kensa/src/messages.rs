//! The CLI's own messages (errors and the scan summary on standard error), in both
//! languages. They are `Text`s like the writers' ones, listed in [`ALL`] so that a test
//! can check every one has both languages with the same `{placeholders}`. Values that
//! come from the system (an `io::Error`, a parser's complaint) stay as the system says
//! them.

use kensa_report::i18n::Text;

const fn t(en: &'static str, ja: &'static str) -> Text {
    Text { en, ja }
}

/// `kensa explain` with an unknown code.
pub const NO_RULE: Text = t(
    "no rule {code} (see `kensa rules`)",
    "規則 {code} はありません（`kensa rules` で一覧を表示できます）",
);
/// Standard output or `-o FILE` could not be written.
pub const WRITING_REPORT: Text = t(
    "writing the report: {error}",
    "報告を書き出せません: {error}",
);
/// `-o FILE` could not be created or written.
pub const OUTPUT_FILE: Text = t("-o {path}: {error}", "-o {path}: {error}");
/// The one-line scan summary on standard error.
pub const SCAN_SUMMARY: Text = t(
    "{files} files, {lines} lines ({mb} MB), {candidates} candidate lines, {events} login events; times in {zone} (from {source})",
    "ファイル {files} 個、{lines} 行（{mb} MB）、候補行 {candidates} 行、ログインイベント {events} 件。時刻は {zone}（根拠: {source}）",
);
/// The zone's source in that summary when the root names no zone.
pub const NO_ZONE_SOURCE: Text = t(
    "no zone file found; UTC assumed",
    "タイムゾーンの設定がないため UTC とみなしました",
);
/// `audit` was given log files.
pub const AUDIT_NO_LOGS: Text = t(
    "audit reads the host under --root; log files are for scan and triage",
    "audit は --root 以下のホストを検査します。ログファイルの指定は scan と triage で使ってください",
);
/// `--root` cannot be examined.
pub const ROOT_UNREADABLE: Text = t("--root {path}: {error}", "--root {path}: {error}");
/// `--allow FILE` cannot be read.
pub const ALLOW_UNREADABLE: Text = t("--allow {path}: {error}", "--allow {path}: {error}");
/// `--allow FILE` is larger than an allow list can be.
pub const ALLOW_TOO_LARGE: Text = t(
    "--allow {path}: larger than {limit} bytes; an allow list is written by hand",
    "--allow {path}: {limit} バイトを超えています。許可リストは手で書くものです",
);
/// `--root` is a file.
pub const ROOT_NOT_DIR: Text = t(
    "--root {path}: not a directory",
    "--root {path}: ディレクトリではありません",
);
/// `--fail-on` is not a severity.
pub const BAD_FAIL_ON: Text = t("--fail-on: {error}", "--fail-on: {error}");
/// `--year` out of range.
pub const BAD_YEAR: Text = t(
    "--year {year}: expected a year between 1970 and 2200",
    "--year {year}: 1970 から 2200 までの年を指定してください",
);
/// `--config FILE` cannot be read.
pub const CONFIG_UNREADABLE: Text = t("--config {path}: {error}", "--config {path}: {error}");
/// The settings file is not valid.
pub const CONFIG_INVALID: Text = t("{path}: {error}", "{path}: 設定ファイルの誤り: {error}");
/// `--select` names nothing.
pub const BAD_SELECT: Text = t(
    "--select {entry}: no rule has such a code (see `kensa rules`)",
    "--select {entry}: そのコードの規則はありません（`kensa rules` で一覧を表示できます）",
);
/// `--tz` is not a zone.
pub const BAD_ZONE: Text = t(
    "--tz {name}: not a time zone name or POSIX TZ string ({error})",
    "--tz {name}: タイムゾーン名でも POSIX の TZ 文字列でもありません（{error}）",
);
/// `--since`/`--until` cannot be parsed.
pub const BAD_TIME: Text = t(
    "{flag} {text}: expected RFC 3339 or YYYY-MM-DD[THH:MM[:SS]]",
    "{flag} {text}: RFC 3339 または YYYY-MM-DD[THH:MM[:SS]] の形で指定してください",
);
/// `--since`/`--until` is not a time in the host's zone.
pub const BAD_LOCAL_TIME: Text = t("{flag} {text}: {error}", "{flag} {text}: {error}");

/// Every message above (for the catalogue test).
#[cfg(test)]
pub const ALL: &[Text] = &[
    NO_RULE,
    WRITING_REPORT,
    OUTPUT_FILE,
    SCAN_SUMMARY,
    NO_ZONE_SOURCE,
    AUDIT_NO_LOGS,
    ROOT_UNREADABLE,
    ALLOW_UNREADABLE,
    ALLOW_TOO_LARGE,
    ROOT_NOT_DIR,
    BAD_FAIL_ON,
    BAD_YEAR,
    CONFIG_UNREADABLE,
    CONFIG_INVALID,
    BAD_SELECT,
    BAD_ZONE,
    BAD_TIME,
    BAD_LOCAL_TIME,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cli_message_has_both_languages_and_the_same_placeholders() {
        assert_eq!(
            kensa_report::i18n::check_catalogue(ALL),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_rule_of_every_registry_is_documented_in_japanese() {
        let rules = crate::all_rules();
        assert!(rules.len() >= 35, "{} rules", rules.len());
        let mut problems = Vec::new();
        for rule in rules {
            let english = rule.doc();
            if rule.title_ja.trim().is_empty() {
                problems.push(format!("{}: no title_ja", rule.code));
            }
            if rule.advice_ja.trim().is_empty() {
                problems.push(format!("{}: no advice_ja", rule.code));
            }
            let Some(japanese) = rule.doc_ja() else {
                problems.push(format!("{}: no Japanese doc", rule.code));
                continue;
            };
            // Sections are `## ` headings, or `**…**` paragraph heads in the older style.
            let sections = |doc: &str| {
                doc.lines()
                    .filter(|l| l.starts_with("## ") || l.starts_with("**"))
                    .count()
            };
            if sections(&english) != sections(&japanese) || sections(&english) < 5 {
                problems.push(format!(
                    "{}: {} English sections, {} Japanese",
                    rule.code,
                    sections(&english),
                    sections(&japanese)
                ));
            }
            let heading = |doc: &str| doc.lines().next().map(str::to_string);
            if heading(&english) != heading(&japanese) {
                problems.push(format!("{}: the first lines differ", rule.code));
            }
            if !japanese
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c))
            {
                problems.push(format!("{}: the Japanese doc has no kana", rule.code));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
