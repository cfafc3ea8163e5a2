//! A real sendmail attacked on loopback with the advisory's addresses: every line it
//! wrote for a program or file address is found, with the outcome sendmail gave it.
//!
//! `tests/live/sendmail-attack.sh` starts Debian's sendmail 8.17 (sendmail-bin,
//! sendmail-base, sendmail-cf, sensible-mda; sendmail.cf made with m4 from Debian's own
//! sendmail.mc) in private mount, UTS, network and PID namespaces, logging through a
//! real rsyslogd to `mail.log` and `syslog`; `tests/live/sendmail-clients.py` sends, each
//! client from its own 127.0.0.x address, ordinary mail and the advisory's attacks
//! (program and file senders and recipients, quoted and not, unbalanced, `:include:`,
//! the `decode` alias, `WIZ`/`DEBUG`), and `truth.tsv` records what each sent and
//! sendmail's SMTP reply codes.
//!
//! What the truth asks of kensa, from sendmail's answer to the attack's command: a
//! refused address (5xx) is a probe, SM003; an accepted one (250) is an attempt, SM001,
//! or SM002 if the log shows it delivered to its program or file. Debian's sendmail
//! refuses them all, so the capture has SM003 only and the test requires no SM001 and
//! no SM002 for it. Benign mail gives nothing; the machine is one host, `mailhub`.
//!
//! The capture kept in `tests/fixtures/live/sendmail-8.17` is checked everywhere; where
//! the packages (`$KENSA_FTP_DEBS`), m4, rsyslogd, ip and root are present the script
//! runs again and its fresh logs are checked the same way (under KENSA_REQUIRE_SHARED
//! their absence fails).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::scan;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/sendmail-8.17")
}

/// Attacks sendmail 8.17 refuses without writing a line: `MAIL FROM:<|... < ...>` and
/// `MAIL FROM:<|/bin/sh` fail with `553 5.0.0 ... Unbalanced '<'` in the address parser,
/// before a queue id exists, and nothing is logged for them at Debian's log level. The
/// test checks that the log really holds no line of theirs (a later sendmail that logs
/// them makes it fail, and kensa must then read those lines too).
const UNLOGGED: &[&str] = &["program-sender-mail-passwd", "unparsable-sender-unbalanced"];

/// One client, from `truth.tsv`.
struct Truth {
    source: String,
    name: String,
    attack: bool,
    /// The attack's own command and sendmail's reply code to it.
    attack_reply: Option<(String, u16)>,
}

/// Whether a command carries the attack (a program, a file, `:include:`, the decode
/// alias, a door-handle command), not the ordinary sender or recipient beside it.
fn is_attack_command(command: &str) -> bool {
    ["|", "</", ":include:", "~/", "decode", "WIZ", "DEBUG"]
        .iter()
        .any(|mark| command.contains(mark))
}

fn truth(dir: &Path) -> Vec<Truth> {
    std::fs::read_to_string(dir.join("truth.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 5, "truth.tsv: {line}");
            let commands: Vec<String> = serde_json::from_str(fields[3]).unwrap();
            // The codes of the commands listed, in order (DATA, the body and QUIT are
            // not listed).
            let codes: Vec<u16> = fields[4]
                .split(' ')
                .filter(|c| {
                    !c.starts_with("DATA=") && !c.starts_with("BODY=") && !c.starts_with("QUIT=")
                })
                .map(|c| c.split_once('=').unwrap().1.parse().unwrap())
                .collect();
            assert_eq!(commands.len(), codes.len(), "truth.tsv: {line}");
            let attack_reply = commands
                .iter()
                .zip(&codes)
                .find(|(command, _)| is_attack_command(command))
                .map(|(command, code)| (command.clone(), *code));
            Truth {
                source: fields[0].to_string(),
                name: fields[1].to_string(),
                attack: fields[2] == "attack",
                attack_reply,
            }
        })
        .collect()
}

/// A finding as the checks compare it: code, source, outcome, count.
type Found = (String, String, String, u64);

fn findings(report: &Value) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut hosts = Vec::new();
    for host in report["hosts"].as_array().unwrap() {
        hosts.push(host["host"].as_str().unwrap().to_string());
        for f in host["findings"].as_array().unwrap() {
            found.push((
                f["code"].as_str().unwrap().to_string(),
                f["subject"]["source"].as_str().unwrap_or("").to_string(),
                f["outcome"].as_str().unwrap().to_string(),
                f["count"].as_u64().unwrap_or(0),
            ));
        }
    }
    (found, hosts)
}

/// Whether the mail log holds a line naming `source` as the client (`[127.0.0.20]`).
fn logged(root: &Path, source: &str) -> bool {
    let log = std::fs::read_to_string(root.join("var/log/mail.log")).unwrap();
    log.contains(&format!("[{source}]"))
}

/// Every logged attack found once, with the outcome sendmail's reply gives it, nothing
/// for benign clients or sources outside the truth, one host.
fn check(root: &Path, truth: &[Truth]) {
    let report = scan(root);
    let (found, hosts) = findings(&report);
    assert_eq!(hosts, vec!["mailhub".to_string()], "{found:#?}");
    assert!(
        !found.iter().any(|f| f.0 == "SM002"),
        "Debian's sendmail delivered nothing to a program or file: {found:#?}"
    );
    for t in truth {
        let got: Vec<(&str, &str)> = found
            .iter()
            .filter(|f| f.1 == t.source)
            .map(|f| (f.0.as_str(), f.2.as_str()))
            .collect();
        if !t.attack {
            assert!(got.is_empty(), "benign {} ({}): {got:?}", t.source, t.name);
            continue;
        }
        let (command, code) = t
            .attack_reply
            .clone()
            .unwrap_or_else(|| panic!("{}: no attack command in truth.tsv", t.name));
        if UNLOGGED.contains(&t.name.as_str()) {
            assert!(
                !logged(root, &t.source),
                "{} ({}) is in the log now: kensa must read it",
                t.source,
                t.name
            );
            assert!(got.is_empty(), "{}: {got:?}", t.name);
            continue;
        }
        let want = if code == 250 { "SM001" } else { "SM003" };
        assert_eq!(
            got,
            vec![(want, "attempted")],
            "{} ({}): `{command}` answered {code}",
            t.source,
            t.name
        );
    }
    for f in &found {
        assert!(
            truth.iter().any(|t| t.source == f.1),
            "a finding for a source that did nothing: {f:?}"
        );
    }
}

/// A copy of `root` holding only `var/log/LOG`.
fn only(root: &Path, log: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("var/log")).unwrap();
    std::fs::copy(
        root.join("var/log").join(log),
        dir.path().join("var/log").join(log),
    )
    .unwrap();
    dir
}

/// The whole capture, and each of its two files alone (rsyslog writes every mail line
/// to both: read together they still count once).
fn check_capture(dir: &Path) {
    let root = dir.join("root");
    let truth = truth(dir);
    assert!(truth.iter().filter(|t| t.attack).count() >= 15);
    check(&root, &truth);
    let mail_log = only(&root, "mail.log");
    check(mail_log.path(), &truth);
    // syslog alone (no mail.log to look into for `logged`): the same findings.
    let syslog = only(&root, "syslog");
    let mut alone = findings(&scan(syslog.path())).0;
    let mut all = findings(&scan(&root)).0;
    alone.sort();
    all.sort();
    assert_eq!(alone, all, "syslog alone");
}

#[test]
fn the_captured_sendmail_attack_is_found_as_its_truth_says() {
    check_capture(&fixture());
}

/// The four .deb files the script unpacks, from `$KENSA_FTP_DEBS`.
const DEBS: &[&str] = &[
    "sendmail-bin",
    "sendmail-base",
    "sendmail-cf",
    "sensible-mda",
];

/// Why the live capture cannot run here, if it cannot.
fn live_capture_missing() -> Option<String> {
    let needs = common::live::Needs {
        files: &["/usr/sbin/rsyslogd"],
        programs: &["m4", "python3", "ip", "unshare", "dpkg-deb"],
    };
    // mail.local (local delivery of the benign mail) needs it; sendmail-bin depends on it.
    let lockfile = Command::new("sh")
        .args(["-c", "ldconfig -p | grep -q liblockfile.so.1"])
        .status()
        .is_ok_and(|s| s.success());
    DEBS.iter()
        .find_map(|package| {
            common::live::deb(package)
                .is_none()
                .then(|| format!("{package}_*.deb in $KENSA_FTP_DEBS"))
        })
        .or_else(|| common::live::missing(&needs))
        .or_else(|| (!lockfile).then(|| "liblockfile1".to_string()))
}

#[test]
fn a_live_sendmail_attack_is_found_as_its_truth_says() {
    if !common::live::available(live_capture_missing()) {
        return;
    }
    let dir = common::live::capture(
        "sendmail-attack.sh",
        &[std::env::var_os("KENSA_FTP_DEBS").unwrap()],
        &[],
    );
    // The fresh capture holds what the kept one does: every client answered the same.
    let codes = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("truth.tsv"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(codes(dir.path()), codes(&fixture()), "truth.tsv differs");
    check_capture(dir.path());
}
