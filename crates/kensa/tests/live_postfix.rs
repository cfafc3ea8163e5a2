//! A real Postfix's SMTP AUTH (through dovecot's SASL) attacked on loopback: what
//! Postfix, dovecot and PAM log, counted right, as one host.
//!
//! `tests/live/postfix-attack.sh` starts Debian's postfix 3.7 (the .deb from
//! `$KENSA_FTP_DEBS`, unpacked into overlays of /etc, /usr and /var in private mount,
//! UTS, network and PID namespaces, with the main.cf postfix's postinst writes for an
//! Internet Site, Debian's master.cf and the SASL settings of Postfix's SASL_README) and
//! the installed dovecot as its SASL server (PAM, as Debian ships it), with a real
//! rsyslogd writing `mail.log`, `syslog` and `auth.log`. The clients
//! (`tests/live/mail-clients.py`: EHLO, STARTTLS, AUTH PLAIN or AUTH LOGIN) each use their
//! own 127.0.0.x address: a burst on root (PLAIN then LOGIN on each connection),
//! passwords for ten accounts that do not exist, eight wrong passwords for the victim
//! and then its own (and a mail), and its owner's login and mail before the attacks.
//!
//! Postfix 3.7 writes `warning: unknown[IP]: SASL PLAIN authentication failed: (reason
//! unavailable), sasl_username=U` for each wrong password, and for a login only the
//! queue file's `QID: client=unknown[IP], sasl_method=PLAIN, sasl_username=U` when the
//! client sends a mail; pam_unix writes its `authentication failure` to `auth.log` for
//! the same try, under PAM's `dovecot` service. Each try counts once.
//!
//! The capture kept in `tests/fixtures/live/postfix-3.7.11` is checked everywhere; where
//! the .deb, dovecot, rsyslogd and root are present the script runs again and its fresh
//! logs are checked the same way (under KENSA_REQUIRE_SHARED their absence fails).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::{check, only, scan, syslog_host, truth};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/postfix-3.7.11")
}

/// The whole capture, and Postfix's lines without PAM's (`mail.log` alone, `syslog`
/// alone): the truth's counts each time.
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    assert_eq!(truth.len(), 4, "every client ran");
    let host = syslog_host(&root);
    check(&scan(&root), &truth, &host);
    let mail_log = only(&root, &["mail.log"]);
    check(&scan(mail_log.path()), &truth, &host);
    let syslog = only(&root, &["syslog"]);
    check(&scan(syslog.path()), &truth, &host);
}

#[test]
fn the_captured_postfix_smtp_auth_attack_is_counted_as_its_truth_says() {
    check_capture(&fixture());
}

#[test]
fn a_live_postfix_smtp_auth_attack_is_counted_as_its_truth_says() {
    let needs = common::live::Needs {
        files: &[
            "/usr/sbin/dovecot",
            "/usr/sbin/rsyslogd",
            "/etc/ssl/certs/ssl-cert-snakeoil.pem",
        ],
        programs: &["python3", "openssl", "unshare", "ip", "dpkg-deb", "cpio"],
    };
    let missing = common::live::missing(&needs).or_else(|| {
        common::live::deb("postfix")
            .is_none()
            .then(|| "postfix_*.deb in $KENSA_FTP_DEBS".to_string())
    });
    if !common::live::available(missing) {
        return;
    }
    // Port 25 of a network namespace of its own: nothing to choose.
    let dir = common::live::capture(
        "postfix-attack.sh",
        &[std::env::var_os("KENSA_FTP_DEBS").unwrap()],
        &[],
    );
    check_capture(dir.path());
}
