//! # CP003 — login records out of time order
//!
//! **What it finds.** A record of `wtmp`, `wtmpx` or `btmp` whose time is more than an
//! hour earlier than the record before it, when no clock-change record (`OLD_TIME`/
//! `NEW_TIME`, BSD `|`/`{`) sits between them. Rotations are read oldest first as one
//! stream, so a live `wtmp` that begins before its `wtmp.1` ended (restored from an old
//! copy, or the rotation edited) is caught the same way.
//!
//! **Why it matters.** Login programs append records as things happen, so a file's times
//! only go forward, apart from clock changes, which the system records itself. A record
//! that steps back in time was written out of turn: cut from another file and pasted in,
//! or edited in place (tools such as `wtmpclean` or a hand-made `utmpdump | edit |
//! utmpdump -r` rewrite records). The hour of tolerance absorbs a clock set back by NTP at
//! boot and daylight-saving changes on hosts that keep local time.
//!
//! **Example.** `var/log/wtmp:12: login of root on pts/1 at 1997-01-02T01:00:00+09:00,
//! 5 h before the previous record (1997-01-02T06:00:00+09:00)`.
//!
//! **What to do.** Look at the records around it with `utmpdump` or `last -f`. If no
//! clock trouble explains the step, treat the file as edited: intrusion cannot be ruled
//! out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; utmp(5); utmpdump(1).
//! <!-- ja -->
//! # CP003 — login records out of time order
//!
//! **検出内容.** `wtmp`・`wtmpx`・`btmp` のレコードのうち、直前のレコードより 1 時間以上
//! 前の時刻を持ち、間に時刻変更レコード（`OLD_TIME`/`NEW_TIME`、BSD の `|`/`{`）がないもの。
//! ローテーションは古い順に一続きとして読むので、`wtmp.1` の終わりより前から始まる現行の
//! `wtmp`（古い写しからの復元、またはローテーションの編集）も同じように検出します。
//!
//! **重要な理由.** ログインプログラムは出来事の順にレコードを追記するので、時刻は前にしか
//! 進みません（時刻変更はシステム自身が記録します）。時刻が戻るレコードは順番外に書かれた
//! もの、つまり他のファイルから切り貼りされたか、その場で編集されたものです（`wtmpclean`
//! や `utmpdump` での書き戻しなど）。1 時間の許容幅は、起動時の NTP による時刻の巻き戻しと、
//! 現地時刻で動くホストの夏時間の切り替えを吸収するためです。
//!
//! **例.** `var/log/wtmp:12: login of root on pts/1 at …, 5 h before the previous record`
//!
//! **対処.** `utmpdump` や `last -f` で前後のレコードを確認してください。時計の不具合で
//! 説明できなければファイルは編集されたものとみなし、侵入の可能性は否定できません
//! （アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、utmp(5)、utmpdump(1)。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP003",
    name: "login-records-out-of-order",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Login records out of time order (records inserted or edited)",
    advice: "Look at the records around it (utmpdump, last -f); unless clock trouble explains the \
             step back, treat the file as edited: intrusion cannot be ruled out (advisory step 5).",
    title_ja: "時刻の順序が乱れたログインレコード（挿入または編集の痕跡）",
    advice_ja: "前後のレコードを utmpdump や last -f で確認してください。時計の不具合で説明できなければ\
                ファイルは編集されたものとみなし、侵入の可能性は否定できません（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp003_login_records_out_of_order.rs"),
};
