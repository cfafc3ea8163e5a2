//! # CP005 — a wtmp login that lastlog does not know
//!
//! **What it finds.** Users whose most recent interactive login in `wtmp` (all rotations)
//! is missing from `lastlog`, or newer than the time `lastlog` holds for them by more than
//! five minutes (chkrootkit's `chklastlog`). Debian 13's `wtmp.db` is compared with
//! `lastlog2.db` the same way. Classic lastlog is indexed by UID, so names come from the
//! audited root's `passwd`; without it (or without any lastlog) nothing is compared.
//!
//! **Why it matters.** `login` and `sshd` write both files at every login. Cleaners often
//! fix one and forget the other: a `lastlog` slot zeroed (or set back to an older login)
//! while wtmp still shows the session, or the reverse. Benign differences are left out:
//! users who never logged in (the sparse holes of lastlog), FTP, `su`, X display and
//! `tmux`/`screen` records (their programs do not write lastlog), users not in `passwd`,
//! and a lastlog *newer* than wtmp (the older wtmp may simply have been rotated away).
//!
//! **Example.** `var/log/wtmp:3: login of alice on pts/0 at 2024-03-01T10:00:00+00:00;
//! var/log/lastlog has no entry for alice (UID 1000)`.
//!
//! **What to do.** Look at both records (`last alice`, `lastlog -u alice`) and at the
//! syslog lines of that login. Unless the lastlog file was reset by an administrator,
//! intrusion cannot be ruled out (advisory step 5).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; chkrootkit `chklastlog.c`; lastlog(8).
//! <!-- ja -->
//! # CP005 — a wtmp login that lastlog does not know
//!
//! **検出内容.** `wtmp`（全ローテーション）にある最新の対話的ログインが `lastlog` にない、
//! または `lastlog` の時刻より 5 分以上新しいユーザ（chkrootkit の `chklastlog` と同じ考え方）。
//! Debian 13 の `wtmp.db` も `lastlog2.db` と同様に比べます。従来の lastlog は UID で並ぶため、
//! 名前は監査対象ルートの `passwd` から引きます。それ（または lastlog）がなければ比較しません。
//!
//! **重要な理由.** `login` と `sshd` はログインのたびに両方のファイルに書きます。消去ツールは
//! 片方だけを直して他方を忘れがちです（wtmp にセッションが残ったまま lastlog のスロットが
//! ゼロにされる、古いログインに戻される、など）。次の正当な差は除きます: 一度もログインして
//! いないユーザ（lastlog の疎な穴）、FTP・`su`・X ディスプレイ・`tmux`/`screen` のレコード
//! （これらのプログラムは lastlog を書きません）、`passwd` にないユーザ、wtmp より*新しい*
//! lastlog（古い wtmp はローテーションで消えただけかもしれません）。
//!
//! **例.** `var/log/wtmp:3: login of alice on pts/0 at …; var/log/lastlog has no entry for
//! alice (UID 1000)`
//!
//! **対処.** 両方の記録（`last alice`、`lastlog -u alice`）とそのログインの syslog の行を
//! 確認してください。管理者が lastlog を初期化したのでなければ、侵入の可能性は否定
//! できません（アドバイザリ手順 5）。
//!
//! **参考.** JPCERT-E-INF-97-0001 手順 5、chkrootkit `chklastlog.c`、lastlog(8)。

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP005",
    name: "lastlog-mismatch",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "A login in wtmp that lastlog does not show (one of the two was cleaned)",
    advice: "Compare `last USER`, `lastlog -u USER` and the syslog lines of that login; unless an \
             administrator reset lastlog, intrusion cannot be ruled out (advisory step 5).",
    title_ja: "lastlog に記録のない wtmp のログイン（どちらかが消去された痕跡）",
    advice_ja: "`last ユーザ名`・`lastlog -u ユーザ名` とそのログインの syslog の行を比べてください。\
                管理者が lastlog を初期化したのでなければ、侵入の可能性は否定できません\
                （アドバイザリ手順 5）。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("cp005_lastlog_mismatch.rs"),
};
