//! A real OpenSSH sshd attacked on loopback: what its logs say, counted right, as one host.
//!
//! `tests/live/sshd-attack.sh` starts Debian's sshd (with PAM) in a private mount
//! namespace, with a real systemd-journald writing `journal/ID/system.journal` (and the
//! victim's `user-4242.journal`) and forwarding to a real rsyslogd writing `auth.log`,
//! as a Debian 12 host with rsyslog keeps both; a real auditd writing
//! `audit/audit.log`, and sshd itself writing `wtmp` and `btmp`; five attackers on their
//! own 127.0.0.x addresses guess, enumerate and log in, and `truth.tsv` records what
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

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/openssh-9.2p1")
}

/// What one attacker did, from `truth.tsv`: source, what, password tries.
struct Truth {
    source: String,
    what: String,
    tries: u64,
}

fn truth(dir: &Path) -> Vec<Truth> {
    std::fs::read_to_string(dir.join("truth.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Truth {
                source: fields[0].to_string(),
                what: fields[1].to_string(),
                tries: fields[2].parse().unwrap(),
            }
        })
        .collect()
}

/// A copy of `root` holding only the logs named (files or directories under
/// `var/log`), in a directory whose name starts `only-`.
fn only(root: &Path, logs: &[&str]) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
    }
    let dir = tempfile::Builder::new().prefix("only-").tempdir().unwrap();
    for log in logs {
        copy(
            &root.join("var/log").join(log),
            &dir.path().join("var/log").join(log),
        );
    }
    dir
}

fn scan(root: &Path) -> Value {
    let out = common::kensa(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The host the syslog lines name (the third word of `auth.log`'s first line).
fn syslog_host(root: &Path) -> String {
    let log = std::fs::read_to_string(root.join("var/log/auth.log")).unwrap();
    log.split_whitespace().nth(3).unwrap().to_string()
}

/// A finding as the checks compare it: code, source, count, outcome.
type Found = (String, String, u64, String);

/// Every finding, and the hosts reported.
fn findings(report: &Value) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut hosts = Vec::new();
    for host in report["hosts"].as_array().unwrap() {
        hosts.push(host["host"].as_str().unwrap().to_string());
        for f in host["findings"].as_array().unwrap() {
            found.push((
                f["code"].as_str().unwrap().to_string(),
                f["subject"]["source"].as_str().unwrap_or("").to_string(),
                f["count"].as_u64().unwrap_or(0),
                f["outcome"].as_str().unwrap().to_string(),
            ));
        }
    }
    (found, hosts)
}

/// Every attack of `truth` found with its count and outcome, nothing for the benign
/// sources, nothing for sources that are not in the truth, one host named `host`.
fn check(report: &Value, truth: &[Truth], host: &str) {
    let (found, hosts) = findings(report);
    // A host named after its directory ("only-XXXXXX" gives "only-XXXXXX").
    let named = |h: &String| h == host || (host.ends_with('-') && h.starts_with(host));
    assert!(
        hosts.len() == 1 && named(&hosts[0]),
        "{hosts:?}: {found:#?}"
    );
    let of = |source: &str| -> Vec<(&str, u64, &str)> {
        found
            .iter()
            .filter(|f| f.1 == source)
            .map(|f| (f.0.as_str(), f.2, f.3.as_str()))
            .collect()
    };
    for t in truth {
        let mut got = of(&t.source);
        got.sort_unstable();
        let want: Vec<(&str, u64, &str)> = match t.what.as_str() {
            "burst-root" | "invalid-user-passwords" => vec![("LG001", t.tries, "attempted")],
            "enumeration-none" => vec![("LG007", t.tries, "attempted")],
            "guessed-login" => vec![
                ("LG001", t.tries, "attempted"),
                ("LG005", t.tries, "succeeded"),
            ],
            "benign-owner" | "keyscan" => Vec::new(),
            other => panic!("truth.tsv: unknown attack {other}"),
        };
        assert_eq!(got, want, "{} ({})", t.source, t.what);
    }
    for f in &found {
        assert!(
            truth.iter().any(|t| t.source == f.1),
            "a finding for a source that did nothing: {f:?}"
        );
    }
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

/// Why the live capture cannot run here, if it cannot.
fn live_capture_missing() -> Option<String> {
    for program in [
        "/usr/sbin/sshd",
        "/usr/sbin/rsyslogd",
        "/usr/sbin/auditd",
        "/lib/systemd/systemd-journald",
    ] {
        if !Path::new(program).exists() {
            return Some(program.to_string());
        }
    }
    for program in [
        "ssh",
        "ssh-keyscan",
        "ssh-keygen",
        "openssl",
        "unshare",
        "setsid",
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(program.to_string());
        }
    }
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("root (namespaces, sshd's privilege separation)".to_string());
    }
    None
}

#[test]
fn a_live_openssh_attack_is_counted_as_its_truth_says() {
    if let Some(what) = live_capture_missing() {
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
