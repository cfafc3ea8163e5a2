//! # PR005 server-version-unknown
//!
//! ## What it finds
//! A mail or FTP server whose version kensa cannot judge: the greeting hides it
//! (`220 mx ESMTP Postfix`, `220 ProFTPD Server (Debian)`, a bare `220 ready`), or names
//! a product kensa's advisories data does not cover (Exim, Postfix, OpenSMTPD, a Python
//! server). It says "unknown", never "safe".
//!
//! ## Why it matters
//! A hidden version is not a fixed one. Attackers of 1996 tried their exploits whatever
//! the greeting said; so do their scripts today.
//!
//! ## Example
//! ```text
//! smtp://192.0.2.25:25:1: 220 mx.example.ac.jp ESMTP Postfix (Debian/GNU)
//! ```
//!
//! ## What to do
//! (1)(2) Find the version on the host itself — `kensa audit` reads it from the binaries
//! without running them — and check it against the vendor's advisories.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasures 1 and 2)
//! <!-- ja -->
//! # PR005 server-version-unknown
//!
//! ## 何を見つけるか
//! kensa が版を判定できないメールサーバや FTP サーバ。挨拶文が版を隠している
//! （`220 mx ESMTP Postfix`、`220 ProFTPD Server (Debian)`、ただの `220 ready`）か、kensa の
//! アドバイザリのデータにない製品（Exim、Postfix、OpenSMTPD、Python 製のサーバ）を名乗って
//! います。「不明」と言い、「安全」とは言いません。
//!
//! ## なぜ重要か
//! 版を隠しても直ったことにはなりません。1996 年の攻撃者は挨拶文が何であれ攻撃を試し、
//! 今日のスクリプトも同じです。
//!
//! ## 例
//! ```text
//! smtp://192.0.2.25:25:1: 220 mx.example.ac.jp ESMTP Postfix (Debian/GNU)
//! ```
//!
//! ## どうするか
//! (1)(2) ホスト自身で版を調べ（`kensa audit` はバイナリを実行せずに読みます）、ベンダーの
//! アドバイザリと照らし合わせてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 1 と 2）

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR005: a server whose version kensa cannot judge.
pub static RULE: Rule = Rule {
    code: "PR005",
    name: "server-version-unknown",
    kind: Kind::ServerVersion,
    outcome: Outcome::Exposure,
    severity: Severity::Low,
    title: "Server version unknown (not judged)",
    advice: "(1)(2) Find the version on the host itself (kensa audit reads it from the \
             binaries without running them) and check it against the vendor's advisories.",
    title_ja: "サーバの版が不明（未判定）",
    advice_ja: "(1)(2) ホスト自身で版を調べ（kensa audit はバイナリを実行せずに読みます）、\
                ベンダーのアドバイザリと照らし合わせてください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr005_version_unknown.rs"),
};
