//! # CP006 — a silence in a log far longer than its own rhythm
//!
//! **What it finds.** A stretch of time with no line in a text log (per host, across the
//! rotation set, so the end of `messages.1` and the start of `messages` count as one
//! stream) much longer than the log is normally silent. The yardstick is the log's own:
//! for each day with lines, the longest gap between two consecutive lines is taken, and
//! the *median* of those daily maxima is the log's usual longest silence. A gap is
//! reported when it is longer than four times that median and longer than two hours.
//! The log must span at least three days with, on average, at least 50 lines a day;
//! quieter or shorter logs are not judged.
//!
//! **Why it matters.** An intruder who deletes the lines that show the break-in (with an
//! editor, `grep -v`, or a cleaner that rewrites the file) leaves a hole in time. The
//! median of daily maxima is robust: a quiet night is every day's longest silence, so it
//! *is* the rhythm and is never flagged, and one deleted afternoon changes one day's
//! maximum, not the median. A gap that ends with syslogd or the kernel starting (the
//! host was down) is not reported.
//!
//! **Example.** `var/log/messages:8123: after a gap of 6 h 12 min (this log's usual
//! longest daily silence: 35 min, median of 14 days): Jan  2 09:14:07 mailhub sendmail…`.
//!
//! **What to do.** Look for the same hours in other logs (maillog, a central loghost,
//! wtmp, the process accounting file). If the host was up and working then, the lines
//! were removed: intrusion cannot be ruled out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5.
//! <!-- ja -->
//! # CP006 — a silence in a log far longer than its own rhythm
//!
//! **検出内容.** テキストログで行がまったくない時間帯（ホストごと、ローテーションの組を通して
//! 見るので `messages.1` の末尾と `messages` の先頭は一続き）のうち、そのログが普段黙っている
//! 時間よりずっと長いもの。物差しはログ自身です。行のある日ごとに連続する 2 行の間隔の最大値を
//! 取り、その日ごとの最大値の*中央値*をそのログの「普段の最長の空白」とします。これの 4 倍より
//! 長く、かつ 2 時間より長い空白を報告します。ログが 3 日以上にわたり、1 日平均 50 行以上ある
//! 場合にだけ判定します（それより静かな、または短いログは判定しません）。
//!
//! **重要な理由.** 侵入を示す行をエディタや `grep -v`、ファイルを書き直す消去ツールで消すと、
//! 時間に穴が残ります。日ごとの最大値の中央値は頑健です。静かな夜は毎日の最長の空白なので
//! それ自体がリズムであり報告されず、午後一回分の削除は 1 日の最大値を変えるだけで中央値は
//! 変えません。syslogd やカーネルの起動で終わる空白（ホストが止まっていた）は報告しません。
//!
//! **例.** `var/log/messages:8123: after a gap of 6 h 12 min (this log's usual longest
//! daily silence: 35 min, median of 14 days): …`
//!
//! **対処.** 同じ時間帯を他のログ（maillog、集中ログサーバ、wtmp、プロセスアカウンティング）で
//! 確認してください。その間ホストが稼働していたなら行は削除されています。侵入の可能性は否定
//! できません（アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP006",
    name: "log-time-gap",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "A silence in a log far longer than its usual rhythm (lines possibly deleted)",
    advice: "Check the same hours in other logs (maillog, a central loghost, wtmp); if the host \
             was up and working, lines were removed: intrusion cannot be ruled out (advisory \
             step 5).",
    title_ja: "ログの普段のリズムよりはるかに長い空白時間（行の削除の可能性）",
    advice_ja: "同じ時間帯を他のログ（maillog、集中ログサーバ、wtmp）で確認してください。ホストが\
                稼働していたなら行は削除されています。侵入の可能性は否定できません（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp006_log_time_gap.rs"),
};
