//! End to end: `--format incident` and `--mask` on the example host and on a generated
//! corpus (snapshots under `tests/snapshots/`, rewritten with `UPDATE_SNAPSHOTS=1`), the
//! run information in the JSON report, `--fail-on never`, completions and the man page.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::assert_snapshot;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Runs kensa in `dir` (so that relative paths, and the command line the report quotes,
/// are the same on every machine) with the locale set to `lang`.
fn kensa_in(dir: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .expect("kensa runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// Whether `word` stands in `text` as a whole word (case-insensitive).
fn has_word(text: &str, word: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let name =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    text.match_indices(&word).any(|(at, _)| {
        !name(text[..at].chars().next_back()) && !name(text[at + word.len()..].chars().next())
    })
}

/// What a masked report must not contain, taken from the unmasked JSON report: hosts,
/// non-system users (subjects, `local:` sources), internal addresses in any string.
fn secrets(report: &Value) -> Vec<String> {
    let mut secrets = Vec::new();
    let generic = kensa_report::mask::GENERIC_HOSTS;
    for host in report["hosts"].as_array().unwrap() {
        let name = host["host"].as_str().unwrap();
        if !generic.contains(&name) {
            secrets.push(name.to_string());
        }
        for finding in host["findings"].as_array().unwrap() {
            let users = finding["subject"]["users"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let local = finding["subject"]["source"]
                .as_str()
                .and_then(|s| s.strip_prefix("local:"))
                .map(|s| Value::String(s.to_string()));
            for user in users.iter().chain(local.iter()) {
                let user = user.as_str().unwrap();
                let plain = user
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
                if plain && !user.is_empty() && !kensa_report::mask::is_system_account(user) {
                    secrets.push(user.to_string());
                }
            }
        }
    }
    // Internal IPv4 addresses anywhere in the document.
    let text = report.to_string();
    for word in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
        if let Ok(ip) = word.trim_matches('.').parse::<std::net::IpAddr>()
            && kensa_report::mask::is_internal(ip)
        {
            secrets.push(ip.to_string());
        }
    }
    secrets.sort();
    secrets.dedup();
    secrets
}

fn string_values(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| string_values(v, out)),
        Value::Object(map) => map.values().for_each(|v| string_values(v, out)),
        _ => {}
    }
}

fn check_masked(root_dir: &Path, args: &[&str]) -> usize {
    let mut plain_args = args.to_vec();
    plain_args.extend(["--format", "json", "-q"]);
    let plain: Value =
        serde_json::from_slice(&kensa_in(root_dir, "C", &plain_args).stdout).unwrap();
    let secrets = secrets(&plain);
    assert!(!secrets.is_empty());
    for format in ["text", "json", "jsonl", "incident"] {
        let mut masked_args = args.to_vec();
        masked_args.extend(["--format", format, "-q", "-v", "--mask"]);
        let mut text = stdout(&kensa_in(root_dir, "C", &masked_args));
        if format.starts_with("json") {
            // Keys are the schema's (`user`), not data: check the string values.
            let mut values = Vec::new();
            for line in text.lines().filter(|l| format == "jsonl" && !l.is_empty()) {
                string_values(&serde_json::from_str(line).unwrap(), &mut values);
            }
            if format == "json" {
                string_values(&serde_json::from_str(&text).unwrap(), &mut values);
            }
            text = values.join("\n");
        }
        if format == "incident" {
            // Only what came from the host: kensa's own sentences ("rebuild the system",
            // "public addresses are kept") may share a word with a guessed user name.
            let (_, hosts) = text.split_once("\n2. Affected hosts\n").unwrap();
            let (hosts, _) = hosts.split_once("\n3. How it was found\n").unwrap();
            let (_, sources) = text.split_once("\n6. Source addresses\n").unwrap();
            let (sources, _) = sources.split_once("\n7. Countermeasures\n").unwrap();
            let (_, logs) = text
                .split_once("\n8. Relevant log lines and files (verbatim)\n")
                .unwrap();
            let evidence: Vec<&str> = logs.lines().filter(|l| l.starts_with("  ")).collect();
            assert!(!evidence.is_empty());
            let names: Vec<&str> = hosts
                .lines()
                .filter(|l| l.starts_with("Host name:"))
                .collect();
            text = format!("{}\n{sources}\n{}", names.join("\n"), evidence.join("\n"));
        }
        for secret in &secrets {
            assert!(
                !has_word(&text, secret),
                "--format {format}: {secret:?} leaks"
            );
        }
    }
    secrets.len()
}

#[test]
fn example_host_incident_report() {
    let out = kensa_in(
        Path::new(REPO),
        "C",
        &[
            "triage",
            "--root",
            "examples/sunos-1997",
            "--format",
            "incident",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_snapshot("example-incident.txt", &text);
    assert!(text.contains("OS:             SunOS Release 4.1.4 (GENERIC) #2"));
    assert!(text.contains("Did an attack succeed? YES: SM002, FT011"));
    assert!(text.contains("  kensa triage --root examples/sunos-1997 --format incident -q\n"));
}

#[test]
fn example_host_incident_report_masked_and_in_japanese() {
    let out = kensa_in(
        Path::new(REPO),
        "ja_JP.UTF-8",
        &[
            "triage",
            "--root",
            "examples/sunos-1997",
            "--format",
            "incident",
            "-q",
            "--mask",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert_snapshot("example-incident-masked-ja.txt", &text);
    assert!(text.starts_with("インシデント報告\n"));
    for secret in ["mailhub", "tanaka", "sato", "172.16.1.11", "example.ac.jp"] {
        assert!(!has_word(&text, secret), "{secret}");
    }
    // The attackers' addresses are what the CSIRT acts on.
    for kept in ["192.0.2.77", "198.51.100.23", "203.0.113.45"] {
        assert!(has_word(&text, kept), "{kept}");
    }
}

#[test]
fn example_host_nothing_masked_leaks_in_any_format() {
    let found = check_masked(
        Path::new(REPO),
        &["triage", "--root", "examples/sunos-1997"],
    );
    assert!(found >= 8, "{found} secrets");
}

#[test]
fn generated_corpus_incident_report_and_mask() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    common::generate_corpus(&shared, &root, &["--small", "--size", "1M"]);
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    let out = kensa_in(
        dir.path(),
        "C",
        &["scan", "--root", "c", "--format", "incident", "-q"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_snapshot("corpus-incident.txt", &stdout(&out));
    let out = kensa_in(
        dir.path(),
        "C",
        &[
            "scan", "--root", "c", "--format", "incident", "-q", "--mask",
        ],
    );
    assert_snapshot("corpus-incident-masked.txt", &stdout(&out));
    let found = check_masked(dir.path(), &["scan", "--root", "c"]);
    assert!(found >= 10, "{found} secrets");
}

#[test]
fn json_report_says_what_was_examined() {
    let out = kensa_in(
        Path::new(REPO),
        "C",
        &[
            "scan",
            "--root",
            "examples/sunos-1997",
            "--format",
            "json",
            "-q",
            "--select",
            "SM",
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &report["run"];
    assert_eq!(run["rules"], serde_json::json!(["SM001", "SM002", "SM003"]));
    assert_eq!(run["command"][0], "kensa");
    let files = run["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert!(names.contains(&"var/adm/messages.1.gz"), "{names:?}");
    let messages = files
        .iter()
        .find(|f| f["file"] == "var/adm/messages")
        .unwrap();
    assert_eq!(messages["lines"], 772);
    assert_eq!(messages["first"], "1997-01-04T04:05:00+09:00");
    assert_eq!(
        messages["last"], "1997-01-08T23:40:01+09:00",
        "its last line"
    );
    let rotated = files
        .iter()
        .find(|f| f["file"] == "var/adm/messages.1.gz")
        .unwrap();
    assert_eq!(
        rotated["last"], "1996-12-28T04:00:01+09:00",
        "compressed too"
    );
    assert!(run.get("masked").is_none());
    let host = &report["hosts"][0];
    assert_eq!(host["os"], "SunOS Release 4.1.4 (GENERIC) #2");
    assert_eq!(host["time_zone"], "UTC+09");
}

#[test]
fn fail_on_never_exits_0_and_bad_values_exit_2() {
    let args = ["scan", "--root", "examples/sunos-1997", "-q", "--fail-on"];
    let run = |value: &str| {
        let mut all = args.to_vec();
        all.push(value);
        kensa_in(Path::new(REPO), "C", &all)
    };
    assert_eq!(run("never").status.code(), Some(0));
    assert_eq!(run("critical").status.code(), Some(1));
    let bad = run("urgent");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("critical or never"));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = kensa_in(Path::new(REPO), "C", &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        for word in ["triage", "fail-on", "mask"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("incident"), "{shell}: the format values");
        }
    }
    let out = kensa_in(Path::new(REPO), "C", &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kensa_in(Path::new(REPO), "C", &["man"]);
    assert_eq!(out.status.code(), Some(0));
    let man = stdout(&out);
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH kensa 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    for word in ["triage", "completions", "JPCERT", "never"] {
        assert!(man.contains(word), "man page lacks {word}");
    }
}

/// Runs `command` with a terminal as standard error (util-linux `script`), returning
/// what the terminal showed; `None` when `script` is missing.
fn on_a_terminal(command: &str) -> Option<String> {
    let out = Command::new("script")
        .current_dir(REPO)
        .args(["-qec", command, "/dev/null"])
        .output()
        .ok()?;
    assert!(out.status.code().is_some(), "script ran");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn progress_bar_only_on_a_terminal_and_never_with_q() {
    let kensa = env!("CARGO_BIN_EXE_kensa");
    let scan = format!("{kensa} scan --root examples/sunos-1997 --format json -o /dev/null");
    let Some(shown) = on_a_terminal(&scan) else {
        println!("skipped: no script(1)");
        return;
    };
    assert!(shown.contains("scanning logs"), "{shown}");
    // Every frame shows the same total: the files' size on disk (drawing is rate-limited,
    // so which frames appear depends on the machine's speed).
    let totals: std::collections::BTreeSet<&str> = shown
        .split("scanning logs")
        .skip(1)
        .filter_map(|frame| frame.split_whitespace().find(|w| w.contains('/')))
        .map(|w| w.split_once('/').unwrap().1)
        .collect();
    assert_eq!(totals.len(), 1, "{shown}");
    let quiet = on_a_terminal(&format!("{scan} -q")).unwrap();
    assert!(!quiet.contains("scanning logs"), "{quiet}");
    // Not a terminal: nothing but the summary line.
    let out = kensa_in(
        Path::new(REPO),
        "C",
        &[
            "scan",
            "--root",
            "examples/sunos-1997",
            "--format",
            "json",
            "-o",
            "/dev/null",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("scanning logs") && !stderr.contains('\r'),
        "{stderr}"
    );
}
