//! login(1) attacked through a real telnetd on loopback: what it logs, counted right, as
//! one host, with the client's name joined to its address.
//!
//! `tests/live/login-attack.sh` runs GNU inetutils' telnetd per connection (as inetd
//! does) in the private namespace of the sshd capture (common.sh, namespace.sh), with
//! Debian's shadow login and PAM, a real systemd-journald forwarding to a real rsyslogd,
//! a real auditd, and login's own wtmp and btmp. shadow's login 4.13 writes `FAILED
//! LOGIN (N) on '/dev/pts/N' from 'HOST' FOR 'USER'` (a lower-case `from`, `UNKNOWN` for
//! a name that is no account), PAM its first failure of a process and `PAM N more
//! authentication failures` at the end, and its session lines name no client; a client
//! on 127.0.0.1 is `localhost` to login, while the audit record and btmp hold both the
//! name and the address, so the two are one source.
//!
//! The capture kept in `tests/fixtures/live/login-4.13` (login 1:4.13+dfsg1-1+deb12u1,
//! libpam-modules 1.5.2-6+deb12u1, inetutils-telnetd 2.4, systemd-journald 252.39,
//! rsyslog 8.2302.0, auditd 3.0.9) is checked everywhere; where telnetd (installed, or
//! the .deb `.ci/run` downloads), journald, rsyslogd, auditd and root are present, the
//! script runs again and its fresh logs are checked the same way.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

#[path = "../../kensa-host/tests/fixtures/packages.rs"]
mod packages;

use common::live::{check, scan, syslog_host, truth};
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/login-4.13")
}

/// The whole capture, the text log alone (the client on 127.0.0.1 is then `localhost`,
/// as login named it), and the journal alone: the truth's counts each time.
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    let host = syslog_host(&root);
    check(&scan(&root), &truth, &host);
    let text_only = common::live::only(&root, &["auth.log"]);
    check(&scan(text_only.path()), &truth, &host);
    let journal_only = common::live::only(&root, &["journal"]);
    check(&scan(journal_only.path()), &truth, &host);
}

#[test]
fn the_captured_login_attack_is_counted_as_its_truth_says() {
    check_capture(&fixture());
}

#[test]
fn a_live_login_attack_is_counted_as_its_truth_says() {
    let needs = common::live::Needs {
        files: &[
            "/bin/login",
            "/usr/sbin/rsyslogd",
            "/usr/sbin/auditd",
            "/lib/systemd/systemd-journald",
        ],
        programs: &["python3", "openssl", "unshare", "setpriv", "journalctl"],
    };
    let telnetd = packages::package("inetutils-telnetd", "/usr/sbin/telnetd");
    let missing = common::live::missing(&needs).or_else(|| {
        telnetd
            .is_none()
            .then(|| "inetutils-telnetd (installed or in $KENSA_FTP_DEBS)".to_string())
    });
    if !common::live::available(missing) {
        return;
    }
    let telnetd = telnetd.unwrap();
    let dir = common::live::capture(
        "login-attack.sh",
        &["--audit".into(), "--journal".into()],
        &[
            (
                "KENSA_TELNET_PORT",
                common::live::free_port().to_string().into(),
            ),
            ("TELNETD", telnetd.file("/usr/sbin/telnetd").into()),
        ],
    );
    check_capture(dir.path());
}
