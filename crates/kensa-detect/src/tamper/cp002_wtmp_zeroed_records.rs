//! # CP002 — zeroed records between valid ones in wtmp or btmp
//!
//! **What it finds.** Runs of login records whose every byte is zero, lying between valid
//! records of a `wtmp`, `wtmpx` or `btmp` file (chkrootkit's `chkwtmp`). Each run is given
//! with its record number, byte offset, length and the valid records on either side.
//!
//! **Why it matters.** wtmp and btmp are append-only: `login`, `sshd` and `init` only ever
//! add whole records at the end, so a hole of zeros in the middle was made by something
//! else. Log cleaners of the zap/wzap/lrk family erase an intruder's login by overwriting
//! its record with zeros in place, which keeps the file's size and its other records
//! intact. The advisory's step 5 warns that logs may have been altered after a break-in.
//! `utmp` is not checked: its free slots are legitimately zero. Zeros at the very end of a
//! file (after the last valid record) are reported as a note only, because a crash while
//! the file grew leaves the same.
//!
//! **Example.** `var/log/wtmp:4: 2 zeroed record(s) (768 bytes) between a login of
//! root on pts/0 at 1997-01-02T03:04:05+09:00 and a logout on pts/0 at …`.
//!
//! **What to do.** Compare with other witnesses of the same hours (syslog `login:` and
//! `sshd` lines, a central loghost, `lastlog`). Unless a disk fault explains it,
//! intrusion cannot be ruled out: rebuild from trusted media and change every password
//! (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; chkrootkit `chkwtmp.c`; utmp(5).
//! <!-- ja -->
//! # CP002 — zeroed records between valid ones in wtmp or btmp
//!
//! **検出内容.** `wtmp`・`wtmpx`・`btmp` の正常なレコードに挟まれた、全バイトがゼロの
//! ログインレコードの並び（chkrootkit の `chkwtmp` と同じ考え方）。レコード番号、
//! バイト位置、長さ、前後の正常なレコードを示します。
//!
//! **重要な理由.** wtmp と btmp は追記専用で、`login`・`sshd`・`init` は末尾にレコードを
//! 丸ごと追加するだけです。途中にゼロの穴があるのは別の何かが書いたためです。zap・wzap・
//! lrk 系のログ消去ツールは、侵入者のログインレコードをその場でゼロで上書きし、ファイルの
//! 大きさと他のレコードをそのまま残します。アドバイザリの手順 5 は、侵入後にログが改ざん
//! されている可能性を警告しています。`utmp` は空きスロットが正当にゼロなので対象外です。
//! ファイル末尾（最後の正常なレコードの後）のゼロは、書き込み中のクラッシュでも生じるため
//! 注記のみとします。
//!
//! **例.** `var/log/wtmp:4: 2 zeroed record(s) (768 bytes) between a login of root on
//! pts/0 at … and a logout on pts/0 at …`
//!
//! **対処.** 同じ時間帯の他の記録（syslog の `login:` や `sshd` の行、集中ログサーバ、
//! `lastlog`）と突き合わせてください。ディスク障害で説明できない限り侵入の可能性は
//! 否定できません。信頼できる媒体から再構築し、すべてのパスワードを変更してください
//! （アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、chkrootkit `chkwtmp.c`、utmp(5)。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP002",
    name: "wtmp-zeroed-records",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "Zeroed records between valid ones in a login record file (wiped logins)",
    advice: "Compare with syslog, a central loghost and lastlog for the same hours; unless a disk \
             fault explains it, intrusion cannot be ruled out: rebuild from trusted media and \
             change every password (advisory step 5).",
    title_ja: "ログイン記録ファイルの正常なレコードの間にゼロ埋めレコード（ログインの消去）",
    advice_ja: "同じ時間帯の syslog・集中ログサーバ・lastlog と突き合わせてください。ディスク障害で\
                説明できない限り侵入の可能性は否定できません。信頼できる媒体から再構築し、すべての\
                パスワードを変更してください（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp002_wtmp_zeroed_records.rs"),
};
