//! A real OpenSSH sshd attacked on loopback: what its logs say, counted right, as one host.
//!
//! `tests/live/sshd-attack.sh` starts Debian's sshd (with PAM) in a private mount
//! namespace, with a real systemd-journald writing `journal/ID/system.journal` (and the
//! victim's `user-4242.journal`) and forwarding to a real rsyslogd writing `auth.log`,
//! as a Debian 12 host with rsyslog keeps both; a real auditd writing
//! `audit/audit.log`, and sshd itself writing `wtmp` and `btmp`; attackers on their
//! own 127.0.0.x addresses and (where the loopback has IPv6) one on `::1` guess,
//! enumerate and log in, and `truth.tsv` records what
//! each did and how many passwords it tried. The root has no `etc/hostname`: the machine
//! is named by its own syslog lines, and the records that carry no host (wtmp, btmp, the
//! audit log without `node=`) belong to it — one host, never a second one named after
//! the directory.
//!
//! The capture kept in `tests/fixtures/live/openssh-9.2p1` (OpenSSH 9.2p1 Debian
//! 2+deb12u10, systemd-journald 252, rsyslog 8.2302, auditd 3.0.9) is checked everywhere;
//! where sshd, journald, rsyslogd, auditd and root are present the script runs again and its fresh logs are checked the
//! same way (under KENSA_REQUIRE_SHARED their absence fails).

mod common;

use common::live::{check, findings, only, scan, syslog_host, truth};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/openssh-9.2p1")
}

/// The whole capture and its parts: `auth.log` with the login records, the journal
/// with them, the audit log with them, and all of it — the same counts each time (a
/// host keeping both a journal and rsyslog's files counts each try once).
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    let host = syslog_host(&root);
    check(&scan(&root), &truth, &host);
    let text_only = only(&root, &["auth.log", "wtmp", "btmp"]);
    check(&scan(text_only.path()), &truth, &host);
    // The journal names the host too (`_HOSTNAME`).
    let journal_only = only(&root, &["journal", "wtmp", "btmp"]);
    check(&scan(journal_only.path()), &truth, &host);
    // Nothing in these names the machine: it is the directory's, and still one host.
    let audit_only = only(&root, &["audit/audit.log", "wtmp", "btmp"]);
    check(&scan(audit_only.path()), &truth, "only-");
}

#[test]
fn the_captured_openssh_attack_is_counted_as_its_truth_says() {
    check_capture(&fixture());
}

#[test]
fn login_records_alone_count_what_they_hold() {
    // Without the logs, btmp is the only witness: sshd writes one record per invalid
    // user before any password, so an enumeration looks like guessing and each
    // connection for an invalid user counts one more than its tries. Reported, as
    // the records are all there is.
    let root = fixture().join("root");
    let records = only(&root, &["wtmp", "btmp"]);
    let (found, _) = findings(&scan(records.path()));
    let count = |code: &str, source: &str| {
        found
            .iter()
            .find(|f| f.0 == code && f.1 == source)
            .map(|f| f.2)
    };
    assert_eq!(count("LG001", "127.0.0.10"), Some(15), "{found:#?}");
    assert_eq!(count("LG001", "127.0.0.11"), Some(40), "{found:#?}");
    assert_eq!(count("LG001", "127.0.0.13"), Some(12), "{found:#?}");
    assert_eq!(count("LG005", "127.0.0.12"), Some(8), "{found:#?}");
}

#[test]
fn a_live_openssh_attack_is_counted_as_its_truth_says() {
    let needs = common::live::Needs {
        files: &[
            "/usr/sbin/sshd",
            "/usr/sbin/rsyslogd",
            "/usr/sbin/auditd",
            "/lib/systemd/systemd-journald",
        ],
        programs: &[
            "ssh",
            "ssh-keyscan",
            "ssh-keygen",
            "openssl",
            "unshare",
            "setsid",
            "setpriv",
            "journalctl",
        ],
    };
    if let Some(what) = common::live::missing(&needs) {
        if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
            panic!("{what} not found, and KENSA_REQUIRE_SHARED is set");
        }
        eprintln!("skipped: {what} not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/live/sshd-attack.sh");
    // A port of its own: tests run in parallel, and CI may run others with sshd.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = Command::new("sh")
        .arg(&script)
        .arg(dir.path())
        .arg("--audit")
        .arg("--journal")
        .env("KENSA_SSHD_PORT", port.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let audit = std::fs::read_to_string(dir.path().join("root/var/log/audit/audit.log")).unwrap();
    assert!(
        audit.contains("exe=\"/usr/sbin/sshd\""),
        "auditd wrote no sshd record"
    );
    check_capture(dir.path());
}
