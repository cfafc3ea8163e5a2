//! # CP007 — time going backwards inside a log file
//!
//! **What it finds.** A line of a text log whose time is more than two hours earlier than
//! the latest time already seen for the same host in the same file. A run of such lines
//! is reported once, at its first line, with the count of lines in it.
//!
//! **Why it matters.** syslogd appends lines as messages arrive, so within a host's
//! stream the times only go forward, give or take the seconds a busy daemon or the kernel
//! buffer lags. Lines far in the past were pasted in — an intruder replacing the hours of
//! the break-in with a copy of an innocent day is the classic case. The two-hour
//! tolerance absorbs delayed messages and the repeated hour when daylight-saving time
//! ends; each host of a central log is judged on its own clock.
//!
//! **Example.** `var/log/messages:5120: 1 h 0 min … 3 d 4 h before the latest line so far
//! (1997-01-05T10:00:00+09:00)`.
//!
//! **What to do.** Look at the lines around it; compare with the same hours in another
//! copy of the log. Unless the clock was set back (a `date` change logged nearby),
//! intrusion cannot be ruled out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5.
//! <!-- ja -->
//! # CP007 — time going backwards inside a log file
//!
//! **検出内容.** 同じファイルで同じホストについてすでに見た最新の時刻より 2 時間以上前の
//! 時刻を持つテキストログの行。そのような行の連続は最初の行で 1 回、行数を添えて報告します。
//!
//! **重要な理由.** syslogd はメッセージの到着順に行を追記するので、ホストごとの時刻は
//! 前にしか進みません（忙しいデーモンやカーネルのバッファによる数秒の遅れを除く）。はるかに
//! 過去の行は貼り込まれたものです。侵入した時間帯を無害な日の写しで置き換えるのが典型です。
//! 2 時間の許容幅は遅れて届いたメッセージと、夏時間の終わりに繰り返される 1 時間を吸収します。
//! 集中ログの各ホストはそれぞれの時計で判定します。
//!
//! **例.** `var/log/messages:5120: … 3 d 4 h before the latest line so far (…)`
//!
//! **対処.** 前後の行を確認し、ログの別の写しの同じ時間帯と比べてください。時計が戻された
//! （近くに `date` の変更が記録されている）のでなければ、侵入の可能性は否定できません
//! （アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP007",
    name: "log-time-backwards",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Time goes backwards inside a log file (lines pasted in)",
    advice: "Compare the lines around it with another copy of the log; unless the clock was set \
             back, intrusion cannot be ruled out (advisory step 5).",
    title_ja: "ログファイル内で時刻が逆行している（行の貼り込み）",
    advice_ja: "前後の行をログの別の写しと比べてください。時計が戻されたのでなければ、侵入の可能性は\
                否定できません（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp007_log_time_backwards.rs"),
};
