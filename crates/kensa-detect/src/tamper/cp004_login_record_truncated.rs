//! # CP004 — a login record file ends inside a record
//!
//! **What it finds.** A `wtmp`, `wtmpx` or `btmp` file (or a rotation of one) whose
//! length is not a whole number of records: its last record is cut short.
//!
//! **Why it matters.** Login programs write whole records. A file that ends mid-record
//! was cut with `truncate`/`dd`, or edited by a tool that got the record size wrong (a
//! cleaner built for another system's `struct utmp`), or copied incompletely. A crash
//! while a record was being appended can leave the same, so this is a weaker sign than
//! [CP002], but it always means the file is not as the system wrote it.
//!
//! **Example.** `var/log/wtmp:7: trailing partial record 6: 100 of 384 bytes at offset 2304`.
//!
//! **What to do.** Check whether the host crashed at the time of the last whole record
//! (a boot record follows in the next rotation). Otherwise treat the file as edited:
//! intrusion cannot be ruled out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; utmp(5).
//! <!-- ja -->
//! # CP004 — a login record file ends inside a record
//!
//! **検出内容.** 長さがレコード長の整数倍でなく、最後のレコードが途中で切れている
//! `wtmp`・`wtmpx`・`btmp`（またはそのローテーション）。
//!
//! **重要な理由.** ログインプログラムはレコードを丸ごと書きます。途中で終わるファイルは
//! `truncate` や `dd` で切られたか、レコード長を誤ったツール（別のシステムの `struct utmp`
//! 向けの消去ツールなど）で編集されたか、不完全にコピーされたものです。追記中のクラッシュでも
//! 同じ状態になり得るため [CP002] より弱い兆候ですが、システムが書いたままのファイルでは
//! ないことを示します。
//!
//! **例.** `var/log/wtmp:7: trailing partial record 6: 100 of 384 bytes at offset 2304`
//!
//! **対処.** 最後の完全なレコードの時刻にホストがクラッシュしていないか（次のローテーションに
//! 起動レコードがあるか）を確認してください。そうでなければ編集されたものとみなし、侵入の
//! 可能性は否定できません（アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、utmp(5)。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP004",
    name: "login-record-truncated",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "A login record file ends inside a record (cut or edited)",
    advice: "Check whether a crash explains it (a boot record right after); otherwise treat the \
             file as edited: intrusion cannot be ruled out (advisory step 5).",
    title_ja: "レコードの途中で終わるログイン記録ファイル（切り詰めまたは編集）",
    advice_ja: "クラッシュで説明できるか（直後に起動レコードがあるか）を確認してください。そうでなければ\
                編集されたものとみなし、侵入の可能性は否定できません（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp004_login_record_truncated.rs"),
};
