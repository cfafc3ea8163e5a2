//! A RHEL-style host whose logins are in `var/log/audit/audit.log`: guessing, the guessed
//! login and the remote root login are found from the audit log alone, a host that also
//! logs them to `secure` counts each try once, reruns read only what is new, and kensa
//! reads every field the way `ausearch -i` (Debian's `auditd`) interprets it.
//!
//! The records are written the way PAM (libpam's audit support) and RHEL 9's sshd write
//! them — per password try PAM's `USER_AUTH` and sshd's failed `USER_LOGIN`, per
//! connection sshd's `USER_LOGIN` for the client's `none` probe, an invalid user as
//! `acct="?"` and hex `(invalid user)`, the enriched `UID="…"` part after 0x1D — with the
//! kernel's own records between them, as in the real captures kensa's unit tests quote.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const SUBJ: &str = "subj=system_u:system_r:sshd_t:s0-s0:c0.c1023";
const ENRICH: &str = "\u{1d}UID=\"root\" AUID=\"unset\"";

/// Writes audit records with increasing serials.
struct AuditWriter {
    text: String,
    serial: u64,
}

impl AuditWriter {
    fn new(serial: u64) -> AuditWriter {
        AuditWriter {
            text: String::new(),
            serial,
        }
    }

    fn record(&mut self, kind: &str, at: i64, body: &str) {
        self.serial += 1;
        writeln!(
            self.text,
            "type={kind} msg=audit({at}.{:03}:{}): {body}",
            self.serial % 1000,
            self.serial
        )
        .unwrap();
    }

    fn user(&mut self, kind: &str, at: i64, pid: u32, msg: &str) {
        let body =
            format!("pid={pid} uid=0 auid=4294967295 ses=4294967295 {SUBJ} msg='{msg}'{ENRICH}");
        self.record(kind, at, &body);
    }

    /// What the kernel logs around a connection: unrelated to logins, read past.
    fn kernel_noise(&mut self, at: i64, pid: u32) {
        self.record(
            "CRYPTO_KEY_USER",
            at,
            &format!("pid={pid} uid=0 auid=4294967295 ses=4294967295 {SUBJ} msg='op=destroy kind=server fp=SHA256:0f:3a direction=? spid={pid} suid=0  exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=? res=success'"),
        );
        self.record(
            "SYSCALL",
            at,
            &format!("arch=c000003e syscall=59 success=yes exit=0 a0=55d a1=55e a2=55f a3=0 items=2 ppid=1 pid={pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"sshd\" exe=\"/usr/sbin/sshd\" {SUBJ} key=(null)"),
        );
    }

    /// One ssh connection from `addr` that tries `tries` wrong passwords for `user`
    /// (`None`: an account that does not exist), one every 3 s from `at`.
    fn failed_connection(&mut self, at: i64, pid: u32, addr: &str, user: Option<&str>, tries: u32) {
        self.kernel_noise(at, pid);
        let login_acct = match user {
            Some(user) => format!("\"{user}\""),
            // `(invalid user)` has a space: auditd writes it in hex.
            None => "28696E76616C6964207573657229".to_string(),
        };
        let pam_acct = user.map_or("\"?\"".to_string(), |u| format!("\"{u}\""));
        let sshd_login = format!(
            "op=login acct={login_acct} exe=\"/usr/sbin/sshd\" hostname=? addr={addr} terminal=ssh res=failed"
        );
        // The client's `none` probe.
        self.user("USER_LOGIN", at, pid, &sshd_login);
        for try_ in 0..tries {
            let t = at + 1 + 3 * i64::from(try_);
            self.user(
                "USER_AUTH",
                t,
                pid,
                &format!("op=PAM:authentication grantors=? acct={pam_acct} exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} terminal=ssh res=failed"),
            );
            self.user("USER_LOGIN", t, pid, &sshd_login);
        }
    }

    /// The guessed password works: PAM's records of a login and sshd's session.
    fn root_login(&mut self, at: i64, pid: u32, addr: &str) {
        for (kind, op, grantors) in [
            ("USER_AUTH", "PAM:authentication", "pam_unix"),
            ("USER_ACCT", "PAM:accounting", "pam_unix,pam_localuser"),
            ("CRED_ACQ", "PAM:setcred", "pam_unix"),
        ] {
            self.user(
                kind,
                at,
                pid,
                &format!("op={op} grantors={grantors} acct=\"root\" exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} terminal=ssh res=success"),
            );
        }
        self.record(
            "LOGIN",
            at,
            &format!("pid={pid} uid=0 {SUBJ} old-auid=4294967295 auid=0 tty=(none) old-ses=4294967295 ses=7 res=1"),
        );
        self.user(
            "USER_START",
            at,
            pid,
            &format!("op=PAM:session_open grantors=pam_selinux,pam_loginuid,pam_unix acct=\"root\" exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} terminal=ssh res=success"),
        );
        self.user(
            "USER_LOGIN",
            at + 1,
            pid,
            &format!("op=login id=0 exe=\"/usr/sbin/sshd\" hostname={addr} addr={addr} terminal=/dev/pts/0 res=success"),
        );
    }
}

/// 2026-11-20T03:00:00Z.
const START: i64 = 1_795_143_600;
const ATTACKER: &str = "203.0.113.50";

/// The attack as audit records: 5 connections of 6 wrong root passwords, 4 of an
/// invalid user, then the guessed login. Older part in `audit.log.1`.
fn attack_records() -> (String, String) {
    let mut older = AuditWriter::new(100);
    for c in 0..3u32 {
        older.failed_connection(
            START + 20 * i64::from(c),
            4100 + c,
            ATTACKER,
            Some("root"),
            6,
        );
    }
    let mut newer = AuditWriter::new(older.serial);
    for c in 3..5u32 {
        newer.failed_connection(
            START + 20 * i64::from(c),
            4100 + c,
            ATTACKER,
            Some("root"),
            6,
        );
    }
    newer.failed_connection(START + 100, 4200, ATTACKER, None, 4);
    newer.root_login(START + 130, 4300, ATTACKER);
    (older.text, newer.text)
}

/// The same attack as sshd writes it to `var/log/secure`.
fn attack_secure() -> String {
    // The host's zone is UTC, so its syslog stamps are the instants in UTC.
    let stamp = |t: i64| {
        jiff::Timestamp::from_second(t)
            .unwrap()
            .strftime("%b %e %H:%M:%S")
            .to_string()
    };
    let mut text = String::new();
    for c in 0..5u32 {
        let at = START + 20 * i64::from(c);
        for try_ in 0..6 {
            let t = at + 1 + 3 * try_;
            writeln!(
                text,
                "{} rhel9 sshd[{}]: Failed password for root from {ATTACKER} port {} ssh2",
                stamp(t),
                4100 + c,
                40000 + c
            )
            .unwrap();
        }
    }
    for try_ in 0..4 {
        let t = START + 101 + 3 * try_;
        writeln!(
            text,
            "{} rhel9 sshd[4200]: Failed password for invalid user oracle from {ATTACKER} port 40100 ssh2",
            stamp(t)
        )
        .unwrap();
    }
    writeln!(
        text,
        "{} rhel9 sshd[4300]: Accepted password for root from {ATTACKER} port 40200 ssh2",
        stamp(START + 130)
    )
    .unwrap();
    text
}

fn host_root(dir: &Path, with_audit: bool, with_secure: bool) -> std::path::PathBuf {
    let root = dir.to_path_buf();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("var/log/audit")).unwrap();
    std::fs::write(root.join("etc/hostname"), "rhel9\n").unwrap();
    std::fs::write(root.join("etc/timezone"), "Etc/UTC\n").unwrap();
    let (older, newer) = attack_records();
    if with_audit {
        std::fs::write(root.join("var/log/audit/audit.log.1"), older).unwrap();
        std::fs::write(root.join("var/log/audit/audit.log"), newer).unwrap();
    }
    if with_secure {
        std::fs::write(root.join("var/log/secure"), attack_secure()).unwrap();
    }
    root
}

fn scan(root: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ];
    args.extend_from_slice(extra);
    let out = common::kensa(&args);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), report)
}

/// The guessing findings, keyed and counted (see `common::findings_summary`).
fn summary(report: &Value) -> BTreeMap<String, u64> {
    common::findings_summary(report, |code| code.starts_with("LG"))
}

#[test]
fn an_audit_log_alone_shows_the_guessing_the_guessed_login_and_the_root_login() {
    let dir = tempfile::tempdir().unwrap();
    let root = host_root(dir.path(), true, false);
    let (status, report) = scan(&root, &[]);
    assert_eq!(status, Some(1), "{report}");
    let found = summary(&report);
    let codes: Vec<&str> = found.keys().map(|k| &k[..5]).collect();
    for code in ["LG001", "LG005", "LG006"] {
        assert!(codes.contains(&code), "{code} missing: {found:#?}");
    }
    // 30 wrong root passwords and 4 for an invalid user: sshd's own USER_LOGIN records
    // (one per try and one per connection) do not count again.
    let burst = found
        .iter()
        .find(|(k, _)| k.starts_with("LG001"))
        .map(|(_, count)| *count);
    assert_eq!(burst, Some(34), "{found:#?}");
    let host = &report["hosts"][0];
    assert_eq!(host["host"], "rhel9");
    assert_eq!(host["verdict"], "compromised");
    assert!(
        host["assessment"]["examined"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "audit-logs"),
        "{}",
        host["assessment"]
    );
    // Evidence is the record, at its line.
    let (_, newer) = attack_records();
    let evidence: Vec<&Value> = host["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().unwrap())
        .filter(|e| e["file"] == "var/log/audit/audit.log")
        .collect();
    assert!(!evidence.is_empty());
    for e in evidence {
        let line = e["line"].as_u64().unwrap() as usize;
        let text = e["text"].as_str().unwrap();
        let want = newer.lines().nth(line - 1).unwrap();
        assert!(
            want.starts_with(text.split('\u{1d}').next().unwrap()),
            "line {line}: {text} is not {want}"
        );
    }
}

#[test]
fn a_host_logging_to_secure_and_audit_counts_each_try_once() {
    let secure_only = tempfile::tempdir().unwrap();
    let both = tempfile::tempdir().unwrap();
    let (_, from_secure) = scan(&host_root(secure_only.path(), false, true), &[]);
    let (_, from_both) = scan(&host_root(both.path(), true, true), &[]);
    let want = summary(&from_secure);
    assert!(want.keys().any(|k| k.starts_with("LG001")), "{want:#?}");
    assert_eq!(summary(&from_both), want);
}

#[test]
fn reruns_read_only_new_records_and_rotation_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let root = host_root(&dir.path().join("root"), true, false);
    let state = dir.path().join("kensa.state");
    let state_arg = state.to_str().unwrap();
    let (status, first) = scan(&root, &["--state", state_arg]);
    assert_eq!(status, Some(1), "{first}");
    let (older, newer) = attack_records();
    assert_eq!(
        common::lines_read(&first, "var/log/audit/audit.log.1"),
        Some(older.lines().count() as u64)
    );
    assert_eq!(
        common::lines_read(&first, "var/log/audit/audit.log"),
        Some(newer.lines().count() as u64)
    );
    let (status, second) = scan(&root, &["--state", state_arg]);
    assert_eq!(status, Some(0), "{second}");
    assert_eq!(
        common::lines_read(&second, "var/log/audit/audit.log").unwrap_or(0),
        0
    );

    // auditd rotates (audit.log → audit.log.1 → audit.log.2) and a new attacker comes.
    let audit = root.join("var/log/audit");
    std::fs::rename(audit.join("audit.log.1"), audit.join("audit.log.2")).unwrap();
    std::fs::rename(audit.join("audit.log"), audit.join("audit.log.1")).unwrap();
    let mut fresh = AuditWriter::new(9000);
    fresh.failed_connection(START + 3600, 7000, "198.51.100.9", Some("admin"), 6);
    fresh.failed_connection(START + 3630, 7001, "198.51.100.9", Some("admin"), 6);
    std::fs::write(audit.join("audit.log"), &fresh.text).unwrap();
    let (status, third) = scan(&root, &["--state", state_arg]);
    assert_eq!(status, Some(1), "{third}");
    assert_eq!(
        common::lines_read(&third, "var/log/audit/audit.log.1").unwrap_or(0),
        0
    );
    assert_eq!(
        common::lines_read(&third, "var/log/audit/audit.log"),
        Some(fresh.text.lines().count() as u64),
        "{}",
        third["run"]["files"]
    );
    let found = summary(&third);
    assert!(
        found
            .keys()
            .any(|k| k.starts_with("LG001") && k.contains("198.51.100.9")),
        "{found:#?}"
    );
    assert!(!found.keys().any(|k| k.contains(ATTACKER)), "{found:#?}");
}

/// `ausearch`, or `None` after saying why (a failure under CI).
fn ausearch() -> Option<&'static str> {
    if Command::new("ausearch").arg("--version").output().is_ok() {
        return Some("ausearch");
    }
    assert!(
        std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "KENSA_REQUIRE_SHARED is set but ausearch is missing (apt-get install auditd)"
    );
    println!("skipped: ausearch not found");
    None
}

/// The fields ausearch interprets, per serial, from `ausearch -i` output: type, then
/// each named field of the record's `msg='…'` as text.
fn ausearch_fields(file: &Path) -> BTreeMap<u64, (String, BTreeMap<String, String>)> {
    let out = Command::new(ausearch().unwrap())
        .args(["--input", file.to_str().unwrap(), "-i"])
        .args([
            "-m",
            "USER_AUTH,USER_ERR,USER_LOGIN,USER_ACCT,ANOM_LOGIN_FAILURES",
        ])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let names = [
        "op", "grantors", "acct", "id", "exe", "hostname", "addr", "terminal", "res",
    ];
    let mut records = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("type=")) {
        let kind = line["type=".len()..].split(' ').next().unwrap().to_string();
        let stamp = &line[line.find("msg=audit(").unwrap()..];
        let serial: u64 = stamp[..stamp.find(')').unwrap()]
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let Some(msg_at) = line.find(" msg='") else {
            continue;
        };
        let msg = &line[msg_at + 6..];
        let msg = &msg[..msg.rfind('\'').unwrap_or(msg.len())];
        // Values are unquoted and may hold spaces (`(invalid user)`): a field starts
        // at a word of letters, `_` or `-` followed by `=`, at the start or after a space.
        let bytes = msg.as_bytes();
        let mut starts: Vec<(usize, &str)> = Vec::new();
        for at in 0..bytes.len() {
            if at > 0 && bytes[at - 1] != b' ' {
                continue;
            }
            let word = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic() || **b == b'_' || **b == b'-')
                .count();
            if word > 0 && bytes.get(at + word) == Some(&b'=') {
                starts.push((at, &msg[at..at + word]));
            }
        }
        let mut fields = BTreeMap::new();
        for (k, (at, name)) in starts.iter().enumerate() {
            let from = at + name.len() + 1;
            let to = starts.get(k + 1).map_or(msg.len(), |(next, _)| next - 1);
            if names.contains(name) {
                fields.insert(name.to_string(), msg[from..to.max(from)].to_string());
            }
        }
        // ausearch shows `id` as the user name of the uid; kensa keeps the number.
        fields.remove("id");
        records.insert(serial, (kind, fields));
    }
    records
}

/// kensa's reading of the same fields.
fn kensa_fields(file: &Path) -> BTreeMap<u64, (String, BTreeMap<String, String>)> {
    let text = std::fs::read(file).unwrap();
    let mut records = BTreeMap::new();
    for line in text.split(|&b| b == b'\n') {
        let Some(record) = kensa_logs::audit::parse(line) else {
            continue;
        };
        let kind = String::from_utf8_lossy(record.kind).into_owned();
        if ![
            "USER_AUTH",
            "USER_ERR",
            "USER_LOGIN",
            "USER_ACCT",
            "ANOM_LOGIN_FAILURES",
        ]
        .contains(&kind.as_str())
        {
            continue;
        }
        let mut fields = BTreeMap::new();
        for name in [
            "op", "grantors", "acct", "exe", "hostname", "addr", "terminal", "res",
        ] {
            if record.field(name.as_bytes()).is_none() {
                continue;
            }
            // ausearch shows `?` for unknown; kensa's text() is None then.
            let value = record.text(name.as_bytes()).map_or("?".to_string(), |v| {
                String::from_utf8_lossy(&v).into_owned()
            });
            fields.insert(name.to_string(), value);
        }
        records.insert(record.serial, (kind, fields));
    }
    records
}

#[test]
fn fields_are_read_as_ausearch_interprets_them() {
    if ausearch().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let (older, newer) = attack_records();
    for (name, text) in [("older.log", older), ("newer.log", newer)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    // Real records from RHEL hosts: fail2ban's selinux-ssh test log, without its
    // `# failJSON` comments (ausearch reads records only).
    if let Some(shared) = kensa_testkit::shared_dir() {
        let sample = shared.join("corpus/fail2ban-logs/selinux-ssh");
        let text = std::fs::read_to_string(&sample).unwrap();
        let records: String = text
            .lines()
            .filter(|l| l.starts_with("type="))
            .map(|l| format!("{l}\n"))
            .collect();
        let path = dir.path().join("selinux-ssh.log");
        std::fs::write(&path, records).unwrap();
        files.push(path);
    }
    // Real records of RHEL 6/7 and Ubuntu hosts (see tests/fixtures/audit/PROVENANCE.md).
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit");
    let mut real: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    real.sort();
    assert_eq!(real.len(), 5, "{real:?}");
    files.extend(real);
    let mut compared = 0;
    for file in &files {
        let theirs = ausearch_fields(file);
        let ours = kensa_fields(file);
        assert!(
            !theirs.is_empty(),
            "ausearch read nothing of {}",
            file.display()
        );
        // Serials may repeat across the sample's hosts; compare what ausearch printed.
        for (serial, (kind, fields)) in &theirs {
            let (our_kind, our_fields) = ours
                .get(serial)
                .unwrap_or_else(|| panic!("{}: kensa misses serial {serial}", file.display()));
            assert_eq!(our_kind, kind, "serial {serial}");
            assert_eq!(our_fields, fields, "{}: serial {serial}", file.display());
            compared += 1;
        }
        assert_eq!(ours.len(), theirs.len(), "{}", file.display());
    }
    assert!(compared >= 60, "only {compared} records compared");
}
