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
pub const BAD_FAIL_ON: Text = t(
    "--fail-on {value}: expected info, low, medium, high, critical or never",
    "--fail-on {value}: info、low、medium、high、critical、never のいずれかを指定してください",
);
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

/// `kensa probe` without a target.
pub const NO_TARGETS: Text = t(
    "probe: no targets (give HOST[:PORT]... or --hosts-file FILE)",
    "probe: 調べる対象がありません（HOST[:PORT]... か --hosts-file FILE で指定してください）",
);
/// `--hosts-file FILE` cannot be read.
pub const HOSTS_FILE_UNREADABLE: Text = t(
    "--hosts-file {path}: {error}",
    "--hosts-file {path}: {error}",
);
/// `--hosts-file FILE` is too large.
pub const HOSTS_FILE_TOO_LARGE: Text = t(
    "--hosts-file {path}: larger than {bytes} bytes",
    "--hosts-file {path}: {bytes} バイトを超えています",
);
/// `--timeout` out of range.
pub const BAD_TIMEOUT: Text = t(
    "--timeout {value}: expected 0.1 to 600 seconds",
    "--timeout {value}: 0.1 から 600 までの秒数を指定してください",
);
/// `--parallel` out of range.
pub const BAD_PARALLEL: Text = t(
    "--parallel {value}: expected 1 to 256",
    "--parallel {value}: 1 から 256 までの数を指定してください",
);
/// The one-line probe summary on standard error.
pub const PROBE_SUMMARY: Text = t(
    "probed {ports} ports of {hosts} targets; hosts that answered: {answered}; findings: {findings}{write}",
    "対象 {hosts} 件のポート {ports} 個を調べました。応答したホスト {answered} 台、検出 {findings} 件{write}",
);
/// Added to the probe summary with `--write-test`.
pub const PROBE_WRITE_TEST: Text = t(" (write test on)", "（書き込み試験あり）");

/// `--budget` cannot be read.
pub const BAD_BUDGET: Text = t(
    "--budget {value}: expected e.g. 90s, 10m, 1h30m or seconds",
    "--budget {value}: 90s、10m、1h30m のような時間か秒数を指定してください",
);
/// `--threads` too large.
pub const BAD_THREADS: Text = t(
    "--threads {value}: at most 4096",
    "--threads {value}: 4096 以下を指定してください",
);
/// `--wordlist` is not a file.
pub const BAD_WORDLIST: Text = t(
    "--wordlist {path}: not a readable file",
    "--wordlist {path}: 読み取れるファイルではありません",
);
/// A password report would go to a file every user can read.
pub const WORLD_READABLE: Text = t(
    "-o {path} can be read by every user; a password report names the accounts that fall to a guesser, so kensa will not write it there (chmod o-r it, or choose another file)",
    "-o {path} はすべてのユーザーが読めます。パスワードの報告には推測で破られたアカウントが載るため、ここには書き出しません（chmod o-r で読み取り権限を外すか、別のファイルを指定してください）",
);
/// The same for a standard output redirected to such a file.
pub const WORLD_READABLE_STDOUT: Text = t(
    "standard output (a file) can be read by every user; a password report names the accounts that fall to a guesser, so kensa will not write it there (chmod o-r it, or choose another file)",
    "標準出力のリダイレクト先のファイルはすべてのユーザーが読めます。パスワードの報告には推測で破られたアカウントが載るため、ここには書き出しません（chmod o-r で読み取り権限を外すか、別のファイルを指定してください）",
);
/// The one-line password summary on standard error.
pub const PASSWORDS_SUMMARY: Text = t(
    "passwords: {accounts} accounts with a hash: {found} guessed, {exhausted} not guessed (every candidate tried), {partial} not exhausted (see the notes), {untested} not testable; {common} common passwords, {words} dictionary words; {seconds} s{interrupted}",
    "passwords: ハッシュのあるアカウント {accounts} 件のうち、推測できたもの {found} 件、推測できなかったもの {exhausted} 件（全候補を試行）、試し終えていないもの {partial} 件（注記を参照）、検査できないもの {untested} 件。よく使われるパスワード {common} 個、辞書の単語 {words} 個、{seconds} 秒{interrupted}",
);
/// Added to that summary after Ctrl-C.
pub const PASSWORDS_INTERRUPTED: Text = t(
    " (interrupted: partial report)",
    "（中断したため、途中までの報告です）",
);

/// `--interval` out of range.
pub const BAD_INTERVAL: Text = t(
    "--interval {value}: expected seconds between 0.05 and 86400",
    "--interval {value}: 0.05 から 86400 までの秒数を指定してください",
);
/// `watch -o FILE`.
pub const WATCH_NO_OUTPUT: Text = t(
    "watch writes to standard output (and --syslog, --exec); -o is for scan and triage",
    "watch は標準出力（と --syslog、--exec）に書き出します。-o は scan と triage で使ってください",
);
/// `watch --all`.
pub const WATCH_NO_ALL: Text = t(
    "--all is for scan and triage: watch reports each finding once",
    "--all は scan と triage で使うものです。watch は各検出を一度だけ報告します",
);
/// `watch` without `--state`.
pub const WATCH_NEEDS_STATE: Text = t(
    "watch needs --state FILE (where it keeps its place in the logs)",
    "watch には --state FILE が必要です（ログをどこまで読んだかをそこに記録します）",
);
/// A signal handler could not be installed.
pub const SIGNAL_HANDLER: Text = t(
    "cannot handle signal {signal}: {error}",
    "シグナル {signal} を処理できません: {error}",
);
/// `watch` starts.
pub const WATCH_STARTED: Text = t(
    "watching the logs every {seconds} s (state {path}); stop with SIGTERM or Ctrl-C",
    "{seconds} 秒ごとにログを監視します（状態ファイル {path}）。終了するには SIGTERM を送るか Ctrl-C を押してください",
);
/// `watch` ends.
pub const WATCH_STOPPED: Text = t("watch stopped", "監視を終了しました");
/// A finding could not be written to standard output.
pub const WRITING_FINDING: Text = t(
    "writing a finding: {error}",
    "検出結果を書き出せません: {error}",
);
/// The `--exec` command failed.
pub const EXEC_FAILED: Text = t(
    "--exec {command}: {status}",
    "--exec {command}: コマンドが失敗しました（{status}）",
);
/// The `--exec` command could not be started or waited for.
pub const EXEC_ERROR: Text = t("--exec {command}: {error}", "--exec {command}: {error}");
/// `watch`'s text line: where an attack came from.
pub const WATCH_FROM: Text = t("from {source}", "送信元 {source}");
/// `watch`'s text line: the users concerned.
pub const WATCH_USERS: Text = t("users {users}", "ユーザー {users}");

/// The progress bar of the log scan.
pub const PROGRESS_SCAN: Text = t("scanning logs", "ログを走査中");
/// The progress bar of the password audit.
pub const PROGRESS_PASSWORDS: Text = t("guessing passwords", "パスワードを推測中");

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
    NO_TARGETS,
    HOSTS_FILE_UNREADABLE,
    HOSTS_FILE_TOO_LARGE,
    BAD_TIMEOUT,
    BAD_PARALLEL,
    PROBE_SUMMARY,
    PROBE_WRITE_TEST,
    BAD_BUDGET,
    BAD_THREADS,
    BAD_WORDLIST,
    WORLD_READABLE,
    WORLD_READABLE_STDOUT,
    PASSWORDS_SUMMARY,
    PASSWORDS_INTERRUPTED,
    BAD_INTERVAL,
    WATCH_NO_OUTPUT,
    WATCH_NO_ALL,
    WATCH_NEEDS_STATE,
    SIGNAL_HANDLER,
    WATCH_STARTED,
    WATCH_STOPPED,
    WRITING_FINDING,
    EXEC_FAILED,
    EXEC_ERROR,
    WATCH_FROM,
    WATCH_USERS,
    PROGRESS_SCAN,
    PROGRESS_PASSWORDS,
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
