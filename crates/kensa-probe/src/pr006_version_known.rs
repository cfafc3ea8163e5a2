//! # PR006 server-version
//!
//! ## What it finds
//! A mail or FTP server that names a product and version kensa's advisories data covers
//! and lists no hole for (`220 (vsFTPd 3.0.3)`, `Sendmail 8.17.1.9/8.17.1.9`): an
//! inventory line of severity `info`, so that every server probed is accounted for.
//! It does not change the host's verdict.
//!
//! ## Why it matters
//! The inventory is what an attacker also sees. A version without a hole in kensa's
//! data is not proof of safety: the data covers the holes of this advisory and its
//! successors, not every bug since.
//!
//! ## Example
//! ```text
//! ftp://192.0.2.21:21:1: 220 (vsFTPd 3.0.3)
//! ```
//!
//! ## What to do
//! Nothing by itself. Keep the server updated from your vendor, and consider hiding
//! the version from the greeting.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasures 1 and 2)
//! <!-- ja -->
//! # PR006 server-version
//!
//! ## 何を見つけるか
//! kensa のアドバイザリのデータが扱う製品と版を名乗り、その版に既知の穴がデータにない
//! メールサーバや FTP サーバ（`220 (vsFTPd 3.0.3)`、`Sendmail 8.17.1.9/8.17.1.9`）。調べた
//! サーバをすべて記録するための、重大度 `info` の一覧行です。ホストの判定は変えません。
//!
//! ## なぜ重要か
//! この一覧は攻撃者にも見えています。kensa のデータに穴がないことは安全の証明では
//! ありません。データが扱うのはこの勧告とその後継の穴で、それ以降のすべての不具合では
//! ありません。
//!
//! ## 例
//! ```text
//! ftp://192.0.2.21:21:1: 220 (vsFTPd 3.0.3)
//! ```
//!
//! ## どうするか
//! これだけでは何もする必要はありません。ベンダーの更新を当て続け、挨拶文から版を
//! 隠すことも検討してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 1 と 2）

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR006: a server version with no known hole in kensa's data.
pub static RULE: Rule = Rule {
    code: "PR006",
    name: "server-version",
    kind: Kind::ServerVersion,
    outcome: Outcome::Exposure,
    severity: Severity::Info,
    title: "Server version (no known hole in kensa's data)",
    advice: "Nothing by itself: keep the server updated from your vendor, and consider \
             hiding the version from the greeting.",
    title_ja: "サーバの版（kensa のデータに既知の穴なし）",
    advice_ja: "これだけでは対応不要です。ベンダーの更新を当て続け、挨拶文から版を隠すことも\
                検討してください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr006_version_known.rs"),
};
