//! # VR001 sendmail-vulnerable-version
//!
//! ## What it finds
//! A sendmail whose version has known holes, per kensa's advisories data file. The
//! version is read without running anything: from the `DZ` line of `etc/sendmail.cf` or
//! `etc/mail/sendmail.cf` (the version macro, `DZ8.6.12`), and from the strings compiled
//! into the binary at `usr/lib/sendmail`, `usr/sbin/sendmail`, `usr/sbin/sendmail-mta`,
//! `usr/libexec/sendmail/sendmail` or `usr/lib/sm.bin/sendmail` (`@(#)Version 8.6.12`,
//! the SCCS id of `version.c`, or the bare `Version[]` string `8.17.1.9` of a binary that
//! names `sendmail.cf`). One finding per version found, with every file that shows it.
//!
//! ## Why it matters
//! The 1996/97 year-end attacks of JPCERT-E-INF-97-0001 went through sendmail R5 (5.x):
//! mail addressed to a program or a file made sendmail run commands or write files with
//! its privileges. Later versions fixed that and had other holes of their own (CERT
//! CA-96.25, CA-97.05, the crackaddr overflow of 2003). Any version in an affected range
//! can be attacked today.
//!
//! ## Example
//! ```text
//! etc/sendmail.cf:41: DZ5.61
//! ```
//!
//! ## What to do
//! (1) Upgrade sendmail to a current release (8.8.4 or later at the time of the
//! advisory; today a maintained 8.17 or newer from your vendor), or replace it. The
//! finding lists each advisory the version is affected by and its fixed version.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 1)
//! - CERT Advisory CA-96.25, CA-97.05; CVE-2002-1337, CVE-2003-0161, CVE-2006-0058
//! <!-- ja -->
//! # VR001 sendmail-vulnerable-version
//!
//! ## 検出内容
//! kensa のアドバイザリのデータファイルによれば既知のセキュリティホールがあるバージョンの
//! sendmail を検出します。バージョンは何も実行せずに読みます: `etc/sendmail.cf` または
//! `etc/mail/sendmail.cf` の `DZ` 行（バージョンのマクロ、`DZ8.6.12`）と、`usr/lib/sendmail`、
//! `usr/sbin/sendmail`、`usr/sbin/sendmail-mta`、`usr/libexec/sendmail/sendmail`、
//! `usr/lib/sm.bin/sendmail` のバイナリに埋め込まれた文字列（`@(#)Version 8.6.12`、`version.c`
//! の SCCS ID、または `sendmail.cf` の名前を含むバイナリの `Version[]` の文字列 `8.17.1.9`）
//! からです。見つかったバージョンごとに一つの検出とし、それを示すすべてのファイルを挙げます。
//!
//! ## 重要な理由
//! JPCERT-E-INF-97-0001 の 1996/97 年の年末年始の攻撃は、Sendmail R5（5.x）を通じて行われ
//! ました: プログラムやファイル宛てのメールで、sendmail にその権限でコマンドを実行させたり
//! ファイルを書かせたりできました。後のバージョンはこれを修正しましたが、別のセキュリティホールを
//! 抱えていました（CERT CA-96.25、CA-97.05、2003 年の crackaddr のオーバーフロー）。影響を
//! 受ける範囲のバージョンは、今日でも攻撃を受けえます。
//!
//! ## 例
//! ```text
//! etc/sendmail.cf:41: DZ5.61
//! ```
//!
//! ## 対処
//! (1) Sendmail を最新の版にバージョンアップするか（アドバイザリの当時は 8.8.4 以降、今日では
//! ベンダーが保守する 8.17 以降）、他のものに置き換えてください。検出結果には、そのバージョンが
//! 影響を受ける各アドバイザリと、修正されたバージョンを挙げています。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (1)）
//! - CERT Advisory CA-96.25、CA-97.05、CVE-2002-1337、CVE-2003-0161、CVE-2006-0058

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// VR001: a sendmail version with known holes.
pub static RULE: Rule = Rule {
    code: "VR001",
    name: "sendmail-vulnerable-version",
    kind: Kind::VulnerableVersion,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "sendmail version with known holes",
    advice: "(1) Upgrade sendmail to a current, maintained release (8.8.4 or later at the \
             time of JPCERT-E-INF-97-0001), or replace it.",
    status: RuleStatus::Stable,
    title_ja: "既知のセキュリティホールがある sendmail のバージョン",
    advice_ja: "(1) Sendmail を保守されている最新の版にバージョンアップするか\
             （JPCERT-E-INF-97-0001 の当時は 8.8.4 以降）、他のものに置き換えてください。",
    since: "0.1.0",
    source: include_str!("vr001_sendmail.rs"),
};
