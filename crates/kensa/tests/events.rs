//! `kensa events` lists what the engine parsed: on fail2ban's annotated samples and
//! Wazuh's rule tests (`../shared/corpus`), exactly the login events the conformance
//! harness (`kensa-detect/examples/auth_conformance.rs`) counts, line for line; on a
//! live OpenSSH capture, the sendmail-free, FTP-free part of it; with `--unparsed`,
//! the login-program lines that gave none.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

#[path = "../../kensa-detect/examples/auth_conformance.rs"]
#[allow(dead_code)]
mod harness;

use jiff::tz::TimeZone;
use kensa_detect::auth::AuthParser;
use kensa_logs::year::YearResolver;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One listed login event as the comparison sees it: outcome, source, user, count.
type Seen = (String, Option<String>, Option<String>, u64);

fn events(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["events", "-q"];
    all.extend_from_slice(args);
    let out = common::kensa(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn outcome_name(outcome: kensa_detect::auth::AuthOutcome) -> &'static str {
    use kensa_detect::auth::AuthOutcome::*;
    match outcome {
        Failure => "failure",
        InvalidUser => "invalid-user",
        Refused => "refused",
        Success => "success",
        Session => "session",
    }
}

/// The login events of `listed`, by file and line.
fn logins(listed: &[Value]) -> BTreeMap<(String, u64), Seen> {
    listed
        .iter()
        .filter(|e| e["kind"] == "login")
        .map(|e| {
            let text = |key: &str| e[key].as_str().map(str::to_string);
            (
                (
                    e["file"].as_str().unwrap().to_string(),
                    e["line"].as_u64().unwrap(),
                ),
                (
                    text("outcome").unwrap(),
                    text("source"),
                    text("user"),
                    e["count"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

/// What the harness parses of `bytes`, by line, each line with the lines before it —
/// of the lines with a stamp (syslog's or a daemon's own): the harness also reads fail2ban's stampless journal test
/// lines (`srv sshd[13709]: …`, how fail2ban feeds its journal filter), which are not
/// a log format (kensa reads journals from the journal files themselves).
fn harness_events(name: &str, bytes: &[u8]) -> BTreeMap<u64, Seen> {
    let mut parser = AuthParser::default();
    let mut years = YearResolver::new(2005, TimeZone::UTC);
    let mut out = BTreeMap::new();
    let mut offset = 0usize;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let before = &bytes[..start];
        let stamped = kensa_logs::syslog::parse_any(raw).is_some();
        if stamped
            && let Some(event) = harness::parse_line_in_context(
                &mut parser,
                &mut years,
                name,
                index as u64 + 1,
                start as u64,
                raw,
                before,
            )
        {
            out.insert(
                index as u64 + 1,
                (
                    outcome_name(event.outcome).to_string(),
                    event.source,
                    event.user,
                    u64::from(event.count),
                ),
            );
        }
    }
    out
}

#[test]
fn events_list_what_the_conformance_harness_counts_on_fail2bans_samples() {
    let Some(_shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let dir = harness::shared_fail2ban_dir().expect("shared_dir found it");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none())
        .collect();
    files.sort();
    let (mut compared, mut total) = (0, 0);
    let mut differ = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let want = harness_events(&name, &bytes);
        let listed = events(&["--year", "2005", "--tz", "UTC", path.to_str().unwrap()]);
        let got: BTreeMap<u64, Seen> = logins(&listed)
            .into_iter()
            .map(|((_, line), seen)| (line, seen))
            .collect();
        compared += 1;
        total += got.len();
        if got != want {
            let only_want: Vec<_> = want.iter().filter(|(l, e)| got.get(l) != Some(e)).collect();
            let only_got: Vec<_> = got.iter().filter(|(l, e)| want.get(l) != Some(e)).collect();
            differ.push(format!(
                "{name}: harness only {only_want:?}\n    events only {only_got:?}"
            ));
        }
    }
    println!("{compared} files, {total} login events listed");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // Measured: 37 files, 260 login events.
    assert!(compared >= 37, "{compared} files");
    assert!(total >= 260, "{total} events");
}

#[test]
fn events_list_the_failures_of_wazuhs_rule_tests() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    // Each test line in a file of its own, so that no line is read in another's
    // context (the harness parses each alone).
    let lines = harness::wazuh_failure_lines(&shared.join("corpus/wazuh-ruleset-tests"));
    assert_eq!(lines.len(), 112, "the failure-rule lines changed");
    let dir = tempfile::tempdir().unwrap();
    for (index, (_, _, line)) in lines.iter().enumerate() {
        std::fs::write(
            dir.path().join(format!("w{index:03}x")),
            format!("{line}\n"),
        )
        .unwrap();
    }
    let listed = events(&["--tz", "UTC", dir.path().to_str().unwrap()]);
    let failures = listed
        .iter()
        .filter(|e| {
            e["kind"] == "login"
                && matches!(
                    e["outcome"].as_str(),
                    Some("failure" | "invalid-user" | "refused")
                )
        })
        .count();
    // As the conformance test: 111 of 112 (the miss is a macOS ASL record).
    assert!(failures >= 111, "{failures} of 112: {listed:#?}");
}

#[test]
fn events_of_a_live_openssh_capture_and_its_unparsed_lines() {
    let root =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/openssh-9.2p1/root");
    let listed = events(&["--root", root.to_str().unwrap()]);
    let per_file = |file: &str| listed.iter().filter(|e| e["file"] == file).count();
    // Every sshd, PAM and audit login line, and every btmp and wtmp record.
    assert!(per_file("var/log/auth.log") > 100, "{listed:#?}");
    assert!(per_file("var/log/audit/audit.log") > 100);
    assert_eq!(
        per_file("var/log/wtmp"),
        3,
        "the owner's two logins and the guessed one"
    );
    assert_eq!(
        per_file("var/log/btmp"),
        std::fs::metadata(root.join("var/log/btmp")).unwrap().len() as usize / 384
    );
    assert!(listed.iter().all(|e| e["host"] == "vm"), "one host");
    let probes = listed
        .iter()
        .filter(|e| {
            e["source"] == "127.0.0.11" && e["probe"] == true && e["file"] == "var/log/auth.log"
        })
        .count();
    assert!(probes >= 40, "{probes} enumeration probes");

    let with_unparsed = events(&["--unparsed", "--root", root.to_str().unwrap()]);
    let unparsed: Vec<&str> = with_unparsed
        .iter()
        .filter(|e| e["kind"] == "unparsed")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    // The events are the same; the lines of sshd and PAM that said nothing of a login
    // are added.
    assert_eq!(logins(&with_unparsed), logins(&listed));
    assert!(
        unparsed
            .iter()
            .any(|m| m.starts_with("Server listening on")),
        "{unparsed:#?}"
    );
    assert!(
        unparsed
            .iter()
            .any(|m| m.starts_with("pam_unix(sshd:session): session closed"))
    );
    assert!(!unparsed.iter().any(|m| m.starts_with("Failed password")));
}

/// The kernel's audit records journald stored (`_TRANSPORT=audit`, captured live in
/// `openssh-9.2p1-journal-audit`) are listed as the login events they are, and are not
/// `--unparsed` noise: the journal's events are those of its syslog entries (which
/// rsyslog also wrote to `auth.log`) and those of its audit entries (which auditd also
/// wrote to `audit.log`), no more, no fewer.
#[test]
fn audit_records_in_the_journal_are_events() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/live/openssh-9.2p1-journal-audit/root");
    let listed = events(&["--unparsed", "--root", root.to_str().unwrap()]);
    let of = |file: &dyn Fn(&str) -> bool| -> Vec<Seen> {
        let mut seen: Vec<Seen> = listed
            .iter()
            .filter(|e| e["kind"] == "login" && e["file"].as_str().is_some_and(file))
            .map(|e| {
                (
                    e["outcome"].as_str().unwrap().to_string(),
                    e["source"].as_str().map(str::to_string),
                    e["user"].as_str().map(str::to_string),
                    e["count"].as_u64().unwrap(),
                )
            })
            .collect();
        seen.sort();
        seen
    };
    let journal = of(&|f| f.ends_with("/system.journal"));
    let auth_log = of(&|f| f == "var/log/auth.log");
    let audit_log = of(&|f| f == "var/log/audit/audit.log");
    assert!(audit_log.len() > 100 && auth_log.len() > 100);
    let mut both = [auth_log, audit_log].concat();
    both.sort();
    assert_eq!(journal, both);
    let noise: Vec<&Value> = listed
        .iter()
        .filter(|e| e["kind"] == "unparsed")
        .filter(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.contains("msg='op="))
        })
        .collect();
    assert!(
        noise.is_empty(),
        "audit records listed as unparsed: {noise:#?}"
    );
}
