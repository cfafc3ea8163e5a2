//! # PR002 ftp-vulnerable-version
//!
//! ## What it finds
//! An FTP server that, seen from the network, says it runs a version with known holes:
//! the greeting (`220 ftp FTP server (Version wu-2.4(1) Fri Apr 15 ...) ready.`,
//! `220 (vsFTPd 2.3.4)`, `220 ProFTPD 1.3.3c Server`) or, after an anonymous login, the
//! `STAT` text, judged against the same advisories data file as `kensa audit` (VR002),
//! with the same version strings.
//!
//! ## Why it matters
//! JPCERT-E-INF-97-0001 asks sites with anonymous FTP to run wu-ftpd 2.4 or later;
//! wu-ftpd before 2.6.1 gives remote root through `SITE EXEC`, and vsftpd 2.3.4 and
//! ProFTPD 1.3.3c were shipped with backdoors. The greeting tells every visitor.
//!
//! ## Example
//! ```text
//! ftp://192.0.2.21:21:1: 220 ftp.example.ac.jp FTP server (Version wu-2.4(1) Fri Apr 15 14:14:30 CDT 1994) ready.
//! ```
//!
//! ## What to do
//! (2) Upgrade the FTP server (wu-ftpd 2.4 or later at the time of the advisory; today a
//! maintained server such as vsftpd 3) and keep the anonymous area read-only; confirm
//! with `kensa audit` on the host.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-95:16, CA-2000-13; CVE-2000-0573, CVE-2011-2523, CVE-2010-20103
//! <!-- ja -->
//! # PR002 ftp-vulnerable-version
//!
//! ## 何を見つけるか
//! ネットワークから見て、既知の脆弱性がある版を名乗る FTP サーバ。挨拶文（`220 ftp FTP
//! server (Version wu-2.4(1) Fri Apr 15 ...) ready.`、`220 (vsFTPd 2.3.4)`、`220 ProFTPD
//! 1.3.3c Server`）か、匿名ログイン後の `STAT` の応答を、`kensa audit`（VR002）と同じ
//! アドバイザリのデータファイルと同じ版文字列で判定します。
//!
//! ## なぜ重要か
//! JPCERT-E-INF-97-0001 は匿名 FTP を提供するサイトに wu-ftpd 2.4 以降を求めています。
//! 2.6.1 より前の wu-ftpd は `SITE EXEC` で遠隔から root を取られ、vsftpd 2.3.4 と ProFTPD
//! 1.3.3c にはバックドア入りの配布物がありました。挨拶文はそれを誰にでも教えます。
//!
//! ## 例
//! ```text
//! ftp://192.0.2.21:21:1: 220 ftp.example.ac.jp FTP server (Version wu-2.4(1) Fri Apr 15 14:14:30 CDT 1994) ready.
//! ```
//!
//! ## どうするか
//! (2) FTP サーバを更新し（勧告の当時は wu-ftpd 2.4 以降、現在は vsftpd 3 などの保守
//! されているサーバ）、匿名領域は読み出し専用にしてください。ホスト上でも `kensa audit`
//! で確かめてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 2）
//! - CERT Advisory CA-95:16, CA-2000-13; CVE-2000-0573, CVE-2011-2523, CVE-2010-20103

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR002: an FTP server whose greeting names a version with known holes.
pub static RULE: Rule = Rule {
    code: "PR002",
    name: "ftp-vulnerable-version",
    kind: Kind::VulnerableVersion,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "FTP server announces a version with known holes",
    advice: "(2) Upgrade the FTP server (wu-ftpd 2.4 or later at the time of \
             JPCERT-E-INF-97-0001; today a maintained server) and keep the anonymous FTP \
             area read-only; confirm with kensa audit on the host.",
    title_ja: "FTP サーバが既知の脆弱性のある版を名乗っている",
    advice_ja: "(2) FTP サーバを更新し（JPCERT-E-INF-97-0001 の当時は wu-ftpd 2.4 以降、\
                現在は保守されているサーバ）、匿名 FTP 領域は読み出し専用にして、ホスト上で \
                kensa audit を実行して確かめてください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr002_ftp_vulnerable_version.rs"),
};
