//! # PR001 smtp-vulnerable-version
//!
//! ## What it finds
//! A mail server that, seen from the network, says it runs a version with known holes:
//! `kensa probe` reads the SMTP greeting (`220 mailhub Sendmail 8.6.12/8.6.9 ready at
//! ...`) — and, when the greeting hides the version, the `HELP` text (`This is sendmail
//! version 8.14.4`) — and judges the version against the same advisories data file as
//! `kensa audit` (VR001). Sendmail's greeting shows two versions, the program's and its
//! configuration's (`8.6.12/8.6.9`); the first is judged.
//!
//! ## Why it matters
//! This is what the 1996/97 attackers of JPCERT-E-INF-97-0001 looked at first: a
//! greeting naming sendmail 5.x told them which exploit to send. Any version in an
//! affected range can be attacked by anyone who can reach the port.
//!
//! ## Example
//! ```text
//! smtp://192.0.2.25:25:1: 220 mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready at Tue, 31 Dec 1996 23:59:01 +0900
//! ```
//!
//! ## What to do
//! (1) Upgrade sendmail to a current, maintained release (8.8.4 or later at the time of
//! the advisory), or replace it; then run `kensa audit` on the host itself, since a
//! greeting can be edited to lie either way. The finding lists each advisory and its
//! fixed version.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 1)
//! - CERT Advisory CA-96.25, CA-97.05; CVE-2002-1337, CVE-2003-0161, CVE-2006-0058
//! <!-- ja -->
//! # PR001 smtp-vulnerable-version
//!
//! ## 何を見つけるか
//! ネットワークから見て、既知の脆弱性がある版を名乗るメールサーバ。`kensa probe` は SMTP
//! の挨拶文（`220 mailhub Sendmail 8.6.12/8.6.9 ready at ...`）を読み、挨拶文が版を隠して
//! いれば `HELP` の応答（`This is sendmail version 8.14.4`）も読んで、`kensa audit`（VR001）
//! と同じアドバイザリのデータファイルで版を判定します。sendmail の挨拶文にはプログラムと
//! 設定ファイルの二つの版（`8.6.12/8.6.9`）が出ますが、判定するのは前者です。
//!
//! ## なぜ重要か
//! 1996/97 年の JPCERT-E-INF-97-0001 の攻撃者がまず見たのがこれです。sendmail 5.x を名乗る
//! 挨拶文は、どの攻撃を送ればよいかを教えていました。影響範囲内の版は、そのポートに届く
//! 誰からでも攻撃できます。
//!
//! ## 例
//! ```text
//! smtp://192.0.2.25:25:1: 220 mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready at Tue, 31 Dec 1996 23:59:01 +0900
//! ```
//!
//! ## どうするか
//! (1) sendmail を保守されている最新版（勧告の当時は 8.8.4 以降）に更新するか、別のものに
//! 置き換えてください。挨拶文はどちら向きにも偽れるので、そのホスト自身でも `kensa audit`
//! を実行してください。所見には該当する各アドバイザリと修正版が載ります。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 1）
//! - CERT Advisory CA-96.25, CA-97.05; CVE-2002-1337, CVE-2003-0161, CVE-2006-0058

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR001: a mail server whose greeting names a version with known holes.
pub static RULE: Rule = Rule {
    code: "PR001",
    name: "smtp-vulnerable-version",
    kind: Kind::VulnerableVersion,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Mail server announces a version with known holes",
    advice: "(1) Upgrade sendmail to a current, maintained release (8.8.4 or later at the \
             time of JPCERT-E-INF-97-0001), or replace it; confirm with kensa audit on \
             the host.",
    title_ja: "メールサーバが既知の脆弱性のある版を名乗っている",
    advice_ja: "(1) sendmail を保守されている最新版（JPCERT-E-INF-97-0001 の当時は 8.8.4 \
                以降）に更新するか置き換え、ホスト上で kensa audit を実行して確かめてください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr001_smtp_vulnerable_version.rs"),
};
