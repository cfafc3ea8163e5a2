//! # VR002 ftp-server-vulnerable-version
//!
//! ## What it finds
//! An FTP server whose version has known holes, per kensa's advisories data file: wu-ftpd
//! (`Version wu-2.4(1)` in `usr/sbin/in.ftpd`, `usr/etc/in.ftpd` on SunOS,
//! `usr/sbin/wu.ftpd`, ...), vsftpd (`vsftpd: version 2.3.4`, `(vsFTPd 2.3.4)` in
//! `usr/sbin/vsftpd`), ProFTPD (`ProFTPD 1.3.3c` in `usr/sbin/proftpd`) and Pure-FTPd
//! (`pure-ftpd v1.0.50`). The versions are read from the binaries' bytes; nothing is
//! executed. One finding per product and version, with every binary that shows it.
//!
//! ## Why it matters
//! JPCERT-E-INF-97-0001 asks sites with anonymous FTP to run wu-ftpd 2.4 or later; wu-ftpd
//! before 2.6.1 gives remote root through `SITE EXEC` (CVE-2000-0573), and two releases
//! were shipped with backdoors (vsftpd 2.3.4, CVE-2011-2523; ProFTPD 1.3.3c,
//! CVE-2010-20103). An FTP server is reachable by anyone the firewall lets through.
//!
//! ## Example
//! ```text
//! usr/etc/in.ftpd: @(#)Version wu-2.1c(1) Mon Aug 1 12:55:31 JST 1994
//! ```
//!
//! ## What to do
//! (2) Upgrade the FTP server (wu-ftpd 2.4 or later at the time of the advisory; today
//! a maintained server such as vsftpd 3) and keep its anonymous area read-only. For a
//! backdoored release, compare the binary with a known-good build and treat the host as
//! compromised if they differ.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-95:16, CA-2000-13; CVE-1999-0080, CVE-2000-0573, CVE-2011-2523,
//!   CVE-2010-20103, CVE-2015-3306
//! <!-- ja -->
//! # VR002 ftp-server-vulnerable-version
//!
//! ## 検出内容
//! kensa のアドバイザリのデータファイルによれば既知のセキュリティホールがあるバージョンの
//! FTP サーバを検出します: wu-ftpd（`usr/sbin/in.ftpd`、SunOS の `usr/etc/in.ftpd`、
//! `usr/sbin/wu.ftpd` などの中の `Version wu-2.4(1)`）、vsftpd（`usr/sbin/vsftpd` の中の
//! `vsftpd: version 2.3.4`、`(vsFTPd 2.3.4)`）、ProFTPD（`usr/sbin/proftpd` の中の
//! `ProFTPD 1.3.3c`）、Pure-FTPd（`pure-ftpd v1.0.50`）です。バージョンはバイナリのバイト列から
//! 読み、何も実行しません。製品とバージョンごとに一つの検出とし、それを示すすべてのバイナリを
//! 挙げます。
//!
//! ## 重要な理由
//! JPCERT-E-INF-97-0001 は、Anonymous FTP を運用するサイトに wu-ftpd 2.4 以降を使うよう求めて
//! います。2.6.1 より前の wu-ftpd は `SITE EXEC` を通じてリモートから root を与えてしまい
//! （CVE-2000-0573）、二つのリリースは裏口を仕込まれた状態で配布されました（vsftpd 2.3.4、
//! CVE-2011-2523。ProFTPD 1.3.3c、CVE-2010-20103）。FTP サーバには、ファイアウォールが通す者なら
//! 誰でも接続できます。
//!
//! ## 例
//! ```text
//! usr/etc/in.ftpd: @(#)Version wu-2.1c(1) Mon Aug 1 12:55:31 JST 1994
//! ```
//!
//! ## 対処
//! (2) FTP サーバをバージョンアップし（アドバイザリの当時は wu-ftpd 2.4 以降、今日では vsftpd 3
//! などの保守されているサーバ）、匿名の領域を読み出し専用に保ってください。裏口を仕込まれた
//! リリースの場合は、バイナリを正常なビルドと比べ、異なっていればホストが侵害されたものとして
//! 扱ってください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (2)）
//! - CERT Advisory CA-95:16、CA-2000-13、CVE-1999-0080、CVE-2000-0573、CVE-2011-2523、
//!   CVE-2010-20103、CVE-2015-3306

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// VR002: an FTP server version with known holes.
pub static RULE: Rule = Rule {
    code: "VR002",
    name: "ftp-server-vulnerable-version",
    kind: Kind::VulnerableVersion,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "FTP server version with known holes",
    advice: "(2) Upgrade the FTP server (wu-ftpd 2.4 or later at the time of \
             JPCERT-E-INF-97-0001; today a maintained server) and keep the anonymous FTP \
             root read-only.",
    status: RuleStatus::Stable,
    title_ja: "既知のセキュリティホールがある FTP サーバのバージョン",
    advice_ja: "(2) FTP サーバをバージョンアップし（JPCERT-E-INF-97-0001 の当時は wu-ftpd 2.4 \
             以降、今日では保守されているサーバ）、Anonymous FTP のルート・ディレクトリを読み\
             出し専用に保ってください。",
    since: "0.1.0",
    source: include_str!("vr002_ftp_server.rs"),
};
