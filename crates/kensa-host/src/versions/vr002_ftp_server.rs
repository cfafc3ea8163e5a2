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
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("vr002_ftp_server.rs"),
};
