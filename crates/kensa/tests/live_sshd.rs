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

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

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

/// The capture of `tests/fixtures/live/openssh-9.2p1-journal-audit`: the same attack, with
/// journald (252, Debian's) reading the kernel's audit records itself, as on a host
/// without auditd, so that its journal holds every try twice — sshd's syslog line and the
/// kernel's audit record (`_TRANSPORT=audit`) — beside auditd's `audit.log` of the same
/// records. Real data: journald wrote the journal, nothing was made from text.
fn audit_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/live/openssh-9.2p1-journal-audit")
}

const REMOTE: &str = "/lib/systemd/systemd-journal-remote";

/// The fixture journal's machine directory and its audit entries in export format
/// (`journalctl -o export _TRANSPORT=audit`), one string per entry; `None` (skipped)
/// without journalctl or systemd-journal-remote.
fn audit_entries(root: &Path) -> Option<(PathBuf, Vec<Vec<u8>>)> {
    let journal_dir = std::fs::read_dir(root.join("var/log/journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let export = Command::new("journalctl")
        .arg("--file")
        .arg(journal_dir.join("system.journal"))
        .args(["-o", "export", "_TRANSPORT=audit"])
        .output()
        .ok()
        .filter(|out| out.status.success() && Path::new(REMOTE).exists());
    let Some(export) = export else {
        assert!(
            std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
            "journalctl or systemd-journal-remote not found and KENSA_REQUIRE_SHARED is set"
        );
        eprintln!("skipped: journalctl or systemd-journal-remote not found");
        return None;
    };
    // Entries end with an empty line; values are text here (audit records hold no
    // newline), so splitting on it is exact.
    let entries: Vec<Vec<u8>> = export
        .stdout
        .split(|&b| b == b'\n')
        .collect::<Vec<_>>()
        .split(|line| line.is_empty())
        .filter(|lines| !lines.is_empty())
        .map(|lines| {
            let mut entry = lines.join(&b'\n');
            entry.extend_from_slice(b"\n\n");
            entry
        })
        .collect();
    Some((journal_dir, entries))
}

/// Writes (or appends) `entries` into `root`'s `var/log/journal/ID/system.journal` with
/// systemd-journal-remote.
fn write_journal(root: &Path, machine: &Path, entries: &[Vec<u8>]) {
    let into = root
        .join("var/log/journal")
        .join(machine.file_name().unwrap());
    std::fs::create_dir_all(&into).unwrap();
    let export = root.join("entries.export");
    std::fs::write(&export, entries.concat()).unwrap();
    let written = Command::new(REMOTE)
        .arg("--split-mode=none")
        .arg("-o")
        .arg(into.join("system.journal"))
        .arg(&export)
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    std::fs::remove_file(&export).unwrap();
}

/// The journal's audit entries are audit records: with the syslog entries beside them
/// (and auth.log, and audit.log) each try counts once; alone — the journal's audit
/// entries written into a journal of their own by `journalctl -o export` and
/// `systemd-journal-remote` — they give what `audit.log` alone gives.
#[test]
fn audit_records_in_the_journal_count_once_and_as_audit_log_does() {
    let dir = audit_fixture();
    check_capture(&dir);
    let root = dir.join("root");
    let host = syslog_host(&root);
    let Some((machine, entries)) = audit_entries(&root) else {
        return;
    };
    assert!(entries.len() > 200, "{} audit entries", entries.len());
    let only_audit = only(&root, &["wtmp", "btmp"]);
    write_journal(only_audit.path(), &machine, &entries);
    let from_journal = scan(only_audit.path());
    check(&from_journal, &truth(&dir), &host);
    let audit_log = only(&root, &["audit/audit.log", "wtmp", "btmp"]);
    let from_audit_log = scan(audit_log.path());
    let counts = |report| {
        let mut found = findings(report).0;
        found.sort();
        found
    };
    assert_eq!(counts(&from_journal), counts(&from_audit_log));
}

/// An incremental run keeps counting the journal's audit entries where the last one
/// stopped: the burst on root cut in the middle by the end of the first run's journal
/// (journal-remote appends the rest to the same file) is one burst of 15 tries in the
/// second run, not two of 7 and 8.
#[test]
fn audit_records_in_the_journal_resume_where_they_stopped() {
    let dir = audit_fixture();
    let Some((machine, entries)) = audit_entries(&dir.join("root")) else {
        return;
    };
    let burst: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            let text = String::from_utf8_lossy(&entries[i]);
            text.contains("USER_AUTH") && text.contains("addr=127.0.0.10")
        })
        .collect();
    assert_eq!(burst.len(), 15);
    let cut = burst[7];
    let root = tempfile::tempdir().unwrap();
    let state = root.path().join("kensa.state");
    let scan_with_state = || {
        let out = common::kensa(&[
            "scan",
            "--root",
            root.path().to_str().unwrap(),
            "--state",
            state.to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let burst_on_root = |report: &serde_json::Value| {
        findings(report)
            .0
            .into_iter()
            .filter(|f| f.0 == "LG001" && f.1 == "127.0.0.10")
            .map(|f| f.2)
            .collect::<Vec<u64>>()
    };
    write_journal(root.path(), &machine, &entries[..cut]);
    let first = scan_with_state();
    assert!(
        burst_on_root(&first).iter().all(|&count| count < 15),
        "{first}"
    );
    write_journal(root.path(), &machine, &entries[cut..]);
    let second = scan_with_state();
    assert_eq!(burst_on_root(&second), vec![15], "{second}");
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
    if !common::live::available(common::live::missing(&needs)) {
        return;
    }
    let dir = common::live::capture(
        "sshd-attack.sh",
        &["--audit".into(), "--journal".into()],
        &[(
            "KENSA_SSHD_PORT",
            common::live::free_port().to_string().into(),
        )],
    );
    let audit = std::fs::read_to_string(dir.path().join("root/var/log/audit/audit.log")).unwrap();
    assert!(
        audit.contains("exe=\"/usr/sbin/sshd\""),
        "auditd wrote no sshd record"
    );
    check_capture(dir.path());
}
