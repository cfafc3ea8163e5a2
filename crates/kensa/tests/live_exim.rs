//! A real exim's SMTP AUTH attacked on loopback: what exim writes to its own log,
//! counted right, as one host.
//!
//! `tests/live/exim-attack.sh` starts Debian's exim 4.96 (exim4-daemon-light,
//! exim4-base, exim4-config from `$KENSA_FTP_DEBS`, unpacked into overlays in private
//! mount, UTS, network and PID namespaces, configured by update-exim4.conf from Debian's
//! non-split template for an Internet site on 127.0.0.1) with the `plain_server` and
//! `login_server` authenticators Debian's template carries commented out (crypteq
//! against `/etc/exim4/passwd`) taken in and TLS on, which they require. The clients
//! (`tests/live/mail-clients.py`: EHLO, STARTTLS, AUTH PLAIN or AUTH LOGIN) each use their
//! own 127.0.0.x address, one attacker after the other: a burst on root (PLAIN then
//! LOGIN on each connection), passwords for ten accounts that do not exist, eight wrong
//! passwords for the victim and then its own (and a mail), and its owner's login and
//! mail before the attacks.
//!
//! exim 4.96 logs to `/var/log/exim4/mainlog`, not syslog (Debian's default): `MECH
//! authenticator failed for (HELO) [IP]: 535 Incorrect authentication data (set_id=U)`
//! per refused try (also in `rejectlog`, which kensa leaves out as a copy), and of a
//! login only its mail's `<= SENDER H=(HELO) [IP] P=esmtpsa … A=plain_server:U S=N`.
//! The lines carry no host: they are the machine's, named by the root's `etc/hostname`.
//!
//! The capture kept in `tests/fixtures/live/exim-4.96` is checked everywhere; where the
//! .debs, rsyslogd and root are present the script runs again and its fresh logs are
//! checked the same way (under KENSA_REQUIRE_SHARED their absence fails).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::{check, only, scan, truth};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/exim-4.96")
}

/// The whole capture, and exim's mainlog alone (the machine is then the directory's):
/// the truth's counts each time.
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    assert_eq!(truth.len(), 4, "every client ran");
    let host = std::fs::read_to_string(root.join("etc/hostname")).unwrap();
    check(&scan(&root), &truth, host.trim());
    let mainlog = only(&root, &["exim4/mainlog"]);
    check(&scan(mainlog.path()), &truth, "only-");
}

#[test]
fn the_captured_exim_smtp_auth_attack_is_counted_as_its_truth_says() {
    check_capture(&fixture());
}

/// The three .debs the script unpacks, from `$KENSA_FTP_DEBS`.
const DEBS: &[&str] = &["exim4-base", "exim4-config", "exim4-daemon-light"];

/// Why the .debs are not there, if they are not.
fn debs_missing() -> Option<String> {
    DEBS.iter().find_map(|package| {
        common::live::deb(package)
            .is_none()
            .then(|| format!("{package}_*.deb in $KENSA_FTP_DEBS"))
    })
}

#[test]
fn a_live_exim_smtp_auth_attack_is_counted_as_its_truth_says() {
    let needs = common::live::Needs {
        files: &["/usr/sbin/rsyslogd", "/etc/ssl/certs/ssl-cert-snakeoil.pem"],
        programs: &["python3", "openssl", "unshare", "ip", "dpkg-deb"],
    };
    // exim4-daemon-light links libidn12, which nothing installed here may pull in.
    let libidn = Command::new("sh")
        .args(["-c", "ldconfig -p | grep -q libidn.so.12"])
        .status()
        .is_ok_and(|s| s.success());
    let missing = common::live::missing(&needs)
        .or_else(debs_missing)
        .or_else(|| (!libidn).then(|| "libidn12".to_string()));
    if !common::live::available(missing) {
        return;
    }
    // Port 25 of a network namespace of its own: nothing to choose.
    let dir = common::live::capture(
        "exim-attack.sh",
        &[std::env::var_os("KENSA_FTP_DEBS").unwrap()],
        &[],
    );
    check_capture(dir.path());
}
