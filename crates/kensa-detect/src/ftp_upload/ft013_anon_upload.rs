//! # FT013 anon-ftp-upload
//!
//! ## What it finds
//! Anonymous FTP uploads (xferlog direction `i`, access mode `a`; vsftpd `[ftp] OK
//! UPLOAD:`) of ordinary files outside any `incoming` directory, grouped by host and
//! source address.
//!
//! ## Why it matters
//! A site that means to accept anonymous files gives them a write-only `incoming`
//! directory. An anonymous upload anywhere else shows that part of the anonymous area is
//! writable: the hole JPCERT-E-INF-97-0001 warns about, and the way the area becomes a
//! drop box for other people's files (CERT CA-93:10).
//!
//! ## Example
//! ```text
//! Sat Dec 28 03:12:09 1996 2 203.0.113.5 40960 /home/ftp/pub/0day.tar b _ i a x@ ftp 0 * c
//! ```
//!
//! ## What to do
//! (2) Make the anonymous FTP root and every directory under it except a write-only
//! `incoming` (mode 1733, owned by root) not writable by the ftp user; look at what was
//! uploaded.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity"

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT013: anonymous uploads outside `incoming`.
pub static RULE: Rule = Rule {
    code: "FT013",
    name: "anon-ftp-upload",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Anonymous FTP upload outside an incoming directory",
    advice: "(2) Make the anonymous FTP area not writable except a write-only incoming \
             directory (mode 1733, owned by root); look at what was uploaded.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("ft013_anon_upload.rs"),
};
