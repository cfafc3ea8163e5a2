//! A real dovecot attacked on loopback over IMAP and POP3: what it and PAM log, counted
//! right, as one host.
//!
//! `tests/live/dovecot-attack.sh` starts Debian's dovecot 2.3 (dovecot-imapd,
//! dovecot-pop3d; Debian's own dovecot.conf: PAM, the passwd userdb, syslog's mail
//! facility) in the private namespace of the sshd capture (common.sh, namespace.sh),
//! with a real rsyslogd writing `mail.log`, `syslog` and `auth.log` as Debian 12's
//! rsyslog.conf does. The clients (`tests/live/mail-clients.py`, STARTTLS then LOGIN or
//! USER/PASS, as mail clients talk to Debian's dovecot) each use their own 127.0.0.x
//! address: an IMAP burst on root, a POP3 burst on the `mail` account, passwords for ten
//! accounts that do not exist, eight wrong passwords for the victim and then its own, and
//! its owner (one typo, then IMAP and POP3 logins, before the attacks). `truth.tsv`
//! records how many tries each made that dovecot refused.
//!
//! dovecot 2.3.19 writes one login-process line per connection — `imap-login:
//! Disconnected: Aborted login by logging out (auth failed, N attempts in S secs):
//! user=<U>, method=PLAIN, rip=IP, …` for a refused one, `imap-login: Login: user=<U>,
//! …` for a login — and nothing of its auth process at Debian's log level
//! (auth_verbose=no), while PAM's pam_unix writes `authentication failure; … ruser=U
//! rhost=IP  user=U` to `auth.log` for each wrong password (`check pass; user unknown`
//! first for an account that does not exist, whose line then has no `user=`). Each try
//! is therefore in two files of two programs; it counts once.
//!
//! The capture kept in `tests/fixtures/live/dovecot-2.3.19` is checked everywhere; where
//! dovecot, rsyslogd and root are present the script runs again and its fresh logs are
//! checked the same way (under KENSA_REQUIRE_SHARED their absence fails).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::{check, only, scan, syslog_host, truth};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/dovecot-2.3.19")
}

/// The whole capture, and dovecot's lines without PAM's (`mail.log` alone, `syslog`
/// alone, which rsyslog gives the same mail lines): the truth's counts each time.
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    assert_eq!(truth.len(), 5, "every client ran");
    let host = syslog_host(&root);
    check(&scan(&root), &truth, &host);
    let mail_log = only(&root, &["mail.log"]);
    check(&scan(mail_log.path()), &truth, &host);
    let syslog = only(&root, &["syslog"]);
    check(&scan(syslog.path()), &truth, &host);
}

#[test]
fn the_captured_dovecot_attack_is_counted_as_its_truth_says() {
    check_capture(&fixture());
}

#[test]
fn pam_alone_counts_the_failures_of_every_protocol() {
    // auth.log alone: pam_unix's lines name no protocol (PAM's service is `dovecot` for
    // IMAP and POP3 alike) and no login, so the guessed login is a burst and no more.
    let root = fixture().join("root");
    let pam = only(&root, &["auth.log"]);
    let (found, _) = common::live::findings(&scan(pam.path()));
    let mut got: Vec<(String, String, u64)> = found
        .into_iter()
        .map(|(code, source, count, _)| (code, source, count))
        .collect();
    got.sort();
    let mut want: Vec<(String, String, u64)> = truth(&fixture())
        .iter()
        .filter(|t| t.what != "benign-owner")
        .map(|t| ("LG001".to_string(), t.source.clone(), t.tries))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_live_dovecot_attack_is_counted_as_its_truth_says() {
    let needs = common::live::Needs {
        files: &[
            "/usr/sbin/dovecot",
            "/usr/lib/dovecot/imap-login",
            "/usr/lib/dovecot/pop3-login",
            "/usr/sbin/rsyslogd",
        ],
        programs: &["python3", "openssl", "unshare"],
    };
    if !common::live::available(common::live::missing(&needs)) {
        return;
    }
    // Two ports of their own (IMAP, POP3 the next): tests run in parallel.
    let dir = common::live::capture(
        "dovecot-attack.sh",
        &[],
        &[("KENSA_DOVECOT_PORT", free_pair().to_string().into())],
    );
    check_capture(dir.path());
}

/// A free port on 127.0.0.1 whose successor is free too.
fn free_pair() -> u16 {
    for _ in 0..50 {
        let first = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if first < 65_000 && std::net::TcpListener::bind(("127.0.0.1", first + 1)).is_ok() {
            return first;
        }
    }
    panic!("no two free consecutive ports on 127.0.0.1");
}
