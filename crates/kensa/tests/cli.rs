//! The command line on the bundled example host: exit codes, formats, time windows,
//! `--year`, `rules` and `explain`.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["scan", "--root", EXAMPLE, "--format", "json", "-q"];
    all.extend_from_slice(args);
    let out = common::kensa(&all);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), report)
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn the_example_tells_its_story() {
    let (status, report) = json(&[]);
    assert_eq!(status, Some(1));
    // The README's story: the telnet/FTP guessing of Dec 30 (LG001, LG004), the sendmail
    // attacks of Dec 31 (SM002) and Jan 2 (SM001), and the .forward uploaded by anonymous
    // FTP on Jan 5 (FT011) that sendmail then ran (SM002).
    assert_eq!(
        codes(&report),
        ["FT011", "LG001", "LG004", "SM001", "SM002", "SM002"]
    );
    let host = &report["hosts"][0];
    assert_eq!(host["host"], "mailhub");
    assert_eq!(host["verdict"], "compromised");
    let success = host["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SM002")
        .unwrap();
    assert_eq!(success["first_seen"], "1996-12-31T23:59:58+09:00");
    assert_eq!(success["subject"]["source"], "192.0.2.77");
    assert_eq!(success["evidence"][0]["file"], "var/adm/messages.0");
}

#[test]
fn time_windows_and_fail_on_change_what_counts() {
    // Between New Year's Day and Jan 4 only the failed attack of Jan 2 is left.
    let (status, report) = json(&["--since", "1997-01-01T12:00", "--until", "1997-01-04"]);
    assert_eq!(status, Some(1));
    assert_eq!(codes(&report), ["SM001"]);
    assert_eq!(report["hosts"][0]["verdict"], "attacked");
    // Before Christmas nothing happened.
    let (status, report) = json(&["--until", "1996-12-25"]);
    assert_eq!(status, Some(0));
    assert!(codes(&report).is_empty());
    // Only critical findings fail the run.
    let (status, _) = json(&[
        "--since",
        "1997-01-01T12:00",
        "--until",
        "1997-01-04",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(status, Some(0));
}

#[test]
fn an_explicit_year_overrides_the_inference() {
    let (_, report) = json(&["--year", "2003"]);
    let findings = report["hosts"][0]["findings"].as_array().unwrap();
    let attack = findings
        .iter()
        .find(|f| f["subject"]["message_id"] == "AA07496")
        .unwrap();
    let first = attack["first_seen"].as_str().unwrap().to_string();
    assert!(first.starts_with("2002-12-31T23:59:58"), "{first}");
}

#[test]
fn jsonl_has_one_object_per_line() {
    let out = common::kensa(&["scan", "--root", EXAMPLE, "--format", "jsonl", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let alerts: Vec<&Value> = lines
        .iter()
        .filter(|l| l["event"]["kind"] == "alert")
        .collect();
    assert_eq!(alerts.len(), 6);
    assert!(
        alerts
            .iter()
            .any(|a| a["rule"]["id"] == "SM002" && a["host"]["name"] == "mailhub")
    );
}

#[test]
fn bad_arguments_exit_2_and_say_why() {
    for args in [
        vec!["scan", "--root", "/nonexistent/root"],
        vec!["scan", "--root", EXAMPLE, "--since", "yesterday"],
        vec!["scan", "--root", EXAMPLE, "--fail-on", "urgent"],
        vec!["scan", "--root", EXAMPLE, "--tz", "Mars/Olympus"],
        vec!["explain", "XX999"],
    ] {
        let out = common::kensa(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("kensa: "),
            "{args:?}"
        );
    }
}

#[test]
fn rules_and_explain_print_the_docs_from_the_code() {
    let out = common::kensa(&["rules"]);
    let table = String::from_utf8(out.stdout).unwrap();
    for code in [
        "CP001", "SM001", "SM002", "SM003", "LG001", "LG005", "FT001", "FT011", "AC001", "TR001",
        "VR001",
    ] {
        assert!(table.contains(code), "{code} missing from:\n{table}");
    }
    let out = common::kensa(&["explain", "SM002"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = String::from_utf8(out.stdout).unwrap();
    for section in [
        "What it finds",
        "Why it matters",
        "Example",
        "What to do",
        "References",
    ] {
        assert!(doc.contains(section), "{section} missing");
    }
}

#[test]
fn the_example_settings_file_is_valid_and_unknown_keys_are_refused() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../kensa.toml.example");
    let (status, _) = json(&["--config", example]);
    assert_eq!(status, Some(1));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("kensa.toml");
    std::fs::write(&bad, "[guessing]\nburst_failure = 3\n").unwrap();
    let out = common::kensa(&["scan", "--root", EXAMPLE, "--config", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("burst_failure"));
}

#[test]
fn select_runs_only_the_named_rules() {
    let out = common::kensa(&[
        "triage", "--root", EXAMPLE, "--format", "json", "-q", "--select", "SM,lg",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        codes(&report),
        ["LG001", "LG004", "SM001", "SM002", "SM002"]
    );
    let out = common::kensa(&[
        "triage", "--root", EXAMPLE, "--format", "json", "-q", "--select", "AC004",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(codes(&report), ["AC004"]);
    let out = common::kensa(&["triage", "--root", EXAMPLE, "--select", "XX"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `kensa scan --root ROOT --format json`'s report.
fn scan_root(root: &std::path::Path) -> Value {
    let out = common::kensa(&["scan", "--root", root.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// An auth.log with `hosts` sending (in turn) ten failed root logins each from one
/// address, as a machine's own log or a central log host's.
fn auth_log_of(hosts: &[&str]) -> String {
    let mut log = String::new();
    for i in 0..10 {
        for (n, host) in hosts.iter().enumerate() {
            log.push_str(&format!(
                "Dec  7 08:31:{:02} {host} sshd[{}]: Failed password for root from 192.0.2.{} port 4{i:04} ssh2\n",
                i * 2,
                100 + i,
                10 + n
            ));
        }
    }
    log
}

#[test]
fn a_root_without_hostname_is_named_by_its_own_logs_but_a_central_log_host_is_not() {
    let own = tempfile::Builder::new().prefix("copy-").tempdir().unwrap();
    std::fs::create_dir_all(own.path().join("var/log")).unwrap();
    std::fs::write(own.path().join("var/log/auth.log"), auth_log_of(&["web1"])).unwrap();
    let report = scan_root(own.path());
    let hosts: Vec<&str> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    assert_eq!(hosts, ["web1"]);
    let said = report["diagnostics"].to_string();
    assert!(said.contains("its own logs name it web1"), "{said}");

    let central = tempfile::Builder::new()
        .prefix("loghost-")
        .tempdir()
        .unwrap();
    std::fs::create_dir_all(central.path().join("var/log")).unwrap();
    std::fs::write(
        central.path().join("var/log/auth.log"),
        auth_log_of(&["web1", "web2", "db1"]),
    )
    .unwrap();
    let report = scan_root(central.path());
    let mut hosts: Vec<&str> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    hosts.sort_unstable();
    // The loghost itself (named after the directory, as nothing names it) has no
    // finding and is not listed; nor is it renamed after one of its senders.
    assert_eq!(hosts, ["db1", "web1", "web2"]);
    assert!(!report["diagnostics"].to_string().contains("its own logs"));
}

#[test]
fn a_root_that_is_missing_or_not_a_directory_is_named_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("image.dd");
    std::fs::write(&file, b"not a tree").unwrap();
    let missing = dir.path().join("no-such-root");
    for command in ["scan", "audit", "triage"] {
        for (lang, missing_words, file_words) in [
            ("en", "No such file", "not a directory"),
            ("ja", "No such file", "ディレクトリではありません"),
        ] {
            for (root, words) in [(&missing, missing_words), (&file, file_words)] {
                let root = root.to_str().unwrap();
                let out = common::kensa(&["--lang", lang, command, "--root", root, "-q"]);
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(2), "{command} {root}: {stderr}");
                assert!(
                    stderr.contains(&format!("--root {root}")) && stderr.contains(words),
                    "{command} {lang} {root}: {stderr}"
                );
                assert!(out.stdout.is_empty(), "{command}: no report without a root");
            }
        }
    }
}
