//! # FT012 anon-ftp-dotfile-upload-attempt
//!
//! ## What it finds
//! An anonymous FTP user who started the upload of `.forward`, `.rhosts` or another file
//! that makes the FTP account run commands or trust hosts (see FT011), where the server
//! logged the transfer as incomplete: completion `i` in `xferlog`, `FAIL UPLOAD:` in
//! vsftpd's log. Uploads into an `incoming` directory are not counted.
//!
//! ## Why it matters
//! Someone tried the anonymous FTP attack of JPCERT-E-INF-97-0001. An incomplete
//! transfer may still have left a partial file behind (wu-ftpd keeps what it received),
//! and the attacker will come back.
//!
//! ## Example
//! ```text
//! Sat Dec 28 03:12:09 1996 0 203.0.113.5 0 /home/ftp/.rhosts a _ i a guest@ ftp 0 * i
//! ```
//!
//! ## What to do
//! Check that the file does not exist in the anonymous FTP root, (2) make that root owned
//! by root and not writable (`chmod 555 ~ftp`) and upgrade wu-ftpd; block the source.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity"

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT012: an anonymous upload of a dot file, not completed.
pub static RULE: Rule = Rule {
    code: "FT012",
    name: "anon-ftp-dotfile-upload-attempt",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Anonymous FTP upload of .forward/.rhosts attempted (incomplete)",
    advice: "Check that the file is not in the anonymous FTP root; (2) make that root owned \
             by root and not writable (chmod 555 ~ftp) and upgrade wu-ftpd; block the source.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("ft012_dotfile_upload_attempt.rs"),
};
