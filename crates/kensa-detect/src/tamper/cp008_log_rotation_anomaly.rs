//! # CP008 — a rotation set that normal rotation cannot have made
//!
//! **What it finds.** In a log's rotation set (`messages`, `messages.0`, `messages.1.gz`
//! …, or `syslog`, `syslog.1`, …):
//! - *overlap*: a newer file whose first line is more than two hours earlier than the
//!   last line of the file rotated before it;
//! - *modified after rotation*: an older rotation whose modification time is more than an
//!   hour later than that of a newer file (it was written after it was rotated away);
//! - *missing middle rotation*: numbered rotations with a hole (`messages.0` and
//!   `messages.2` without `messages.1`).
//!
//! **Why it matters.** `logrotate`, `newsyslog` and SunOS' `/usr/lib/newsyslog` only
//! rename files up the numbers, delete the oldest and start an empty live file, so the
//! set's times follow one another, each rotated file stops being written when it is
//! renamed, and numbers are never skipped. A set that breaks one of these was handled by
//! hand: a file edited after rotation (which updates its mtime), one restored from an
//! older copy, or one deleted — the intruder's way of removing a day whose lines would
//! be too many to edit. Benign twins stay silent: the normal rotation of every set, the
//! oldest files deleted by the rotation count, and copies that gave every file the same
//! modification time (within the hour).
//!
//! **Example.** `var/adm/messages.1.gz: modified 1997-01-03T02:00:00+09:00, 5 h after
//! the newer var/adm/messages.0 (1997-01-02T21:00:00+09:00)`.
//!
//! **What to do.** Compare the set with backups and with a central loghost. Unless an
//! administrator explains it, intrusion cannot be ruled out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; logrotate(8); newsyslog(8).
//! <!-- ja -->
//! # CP008 — a rotation set that normal rotation cannot have made
//!
//! **検出内容.** ログのローテーションの組（`messages`、`messages.0`、`messages.1.gz` …、
//! または `syslog`、`syslog.1` …）のうち次のもの。
//! - *重なり*: 新しいファイルの最初の行が、その前にローテーションされたファイルの最後の行より
//!   2 時間以上前である。
//! - *ローテーション後の変更*: 古いローテーションの更新時刻が、より新しいファイルの更新時刻より
//!   1 時間以上後である（ローテーションで退避された後に書かれた）。
//! - *中間のローテーションの欠落*: 番号に穴がある（`messages.1` がなく `messages.0` と
//!   `messages.2` がある）。
//!
//! **重要な理由.** `logrotate`・`newsyslog`・SunOS の `/usr/lib/newsyslog` はファイルの番号を
//! 一つずつ繰り上げ、最も古いものを消し、空の現行ファイルを作るだけです。したがって組の時刻は
//! 順に続き、退避されたファイルはその時点から書かれず、番号が飛ぶこともありません。これに
//! 反する組は人手で扱われたものです。ローテーション後に編集されたファイル（更新時刻が変わる）、
//! 古い写しから戻されたファイル、削除されたファイル — 行が多すぎて編集できない 1 日を消す
//! 侵入者の手口です。通常のローテーション、世代数による最古のファイルの削除、すべてのファイルに
//! 同じ更新時刻を与えたコピー（1 時間以内）では報告しません。
//!
//! **例.** `var/adm/messages.1.gz: modified …, 5 h after the newer var/adm/messages.0 (…)`
//!
//! **対処.** バックアップや集中ログサーバと比べてください。管理者が説明できない限り、侵入の
//! 可能性は否定できません（アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、logrotate(8)、newsyslog(8)。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP008",
    name: "log-rotation-anomaly",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "A log rotation set that normal rotation cannot have made (edited, restored or deleted file)",
    advice: "Compare the rotation set with backups and a central loghost; unless an administrator \
             explains it, intrusion cannot be ruled out (advisory step 5).",
    title_ja: "通常のローテーションでは生じないログのローテーション（編集・復元・削除されたファイル）",
    advice_ja: "ローテーションの組をバックアップや集中ログサーバと比べてください。管理者が説明できない\
                限り、侵入の可能性は否定できません（アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp008_log_rotation_anomaly.rs"),
};
