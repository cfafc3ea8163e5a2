//! `kensa passwords` and the password pass of `kensa triage`, on the bundled example
//! host (whose README lists its passwords: guest = guest, kato = Kato, tanaka = sakura,
//! the others strong).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");

fn run_json(args: &[&str]) -> (Option<i32>, Value) {
    let out = common::kensa(args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), report)
}

fn pw_titles(report: &Value) -> Vec<String> {
    let mut titles: Vec<String> = report["hosts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "PW001")
        .map(|f| f["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn the_example_hosts_weak_passwords_fall_to_their_class() {
    let args = [
        "passwords",
        "--root",
        EXAMPLE,
        "--format",
        "json",
        "-q",
        "--budget",
        "60",
    ];
    let (status, report) = run_json(&args);
    assert_eq!(status, Some(1));
    assert_eq!(report["hosts"][0]["verdict"], "exposed");
    assert_eq!(
        pw_titles(&report),
        [
            "Guessable password: guest (password = user name, DES)",
            "Guessable password: kato (password = a variant of the user name, DES)",
            "Guessable password: tanaka (password = a common password, DES)",
        ]
    );
    let finding = &report["hosts"][0]["findings"][0];
    assert_eq!(finding["kind"], "guessable-password");
    assert_eq!(finding["outcome"], "exposure");
    // The hash is never shown.
    let text = report.to_string();
    assert!(!text.contains("guVeRgi5kAY4k"), "{text}");

    let mut shown = args.to_vec();
    shown.push("--show-passwords");
    let (_, report) = run_json(&shown);
    assert!(pw_titles(&report)[0].ends_with(": \"guest\""));
}

#[test]
fn triage_counts_guessable_accounts() {
    let (status, report) = run_json(&["triage", "--root", EXAMPLE, "--format", "json", "-q"]);
    assert_eq!(status, Some(1));
    // The sendmail attack still makes the host compromised; the passwords are there too.
    assert_eq!(report["hosts"][0]["verdict"], "compromised");
    assert_eq!(pw_titles(&report).len(), 3);
    // Selecting the password rule alone gives an exposed host.
    let (_, report) = run_json(&[
        "triage", "--root", EXAMPLE, "--format", "json", "-q", "--select", "PW",
    ]);
    assert_eq!(report["hosts"][0]["verdict"], "exposed");
}

#[test]
fn reports_go_only_where_others_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let open = dir.path().join("open.txt");
    std::fs::write(&open, "").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = common::kensa(&["passwords", "--root", EXAMPLE, "-o", open.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("can be read by every user"));
    assert_eq!(std::fs::read(&open).unwrap(), b"");

    let new = dir.path().join("new.json");
    let out = common::kensa(&[
        "passwords",
        "--root",
        EXAMPLE,
        "--format",
        "json",
        "-q",
        "-o",
        new.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let mode = std::fs::metadata(&new).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let report: Value = serde_json::from_slice(&std::fs::read(&new).unwrap()).unwrap();
    assert_eq!(pw_titles(&report).len(), 3);
}

#[test]
fn bad_budgets_and_word_lists_exit_2() {
    for args in [
        &["passwords", "--root", EXAMPLE, "--budget", "soon"][..],
        &[
            "passwords",
            "--root",
            EXAMPLE,
            "--wordlist",
            "/nonexistent/words",
        ][..],
    ] {
        let out = common::kensa(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn the_rule_is_documented_in_both_languages() {
    let out = common::kensa(&["explain", "PW001"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("## What to do"), "{text}");
    let out = common::kensa(&["rules"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("PW001"));
    let rule = &kensa_passwords::pw001_guessable_password::RULE;
    assert!(rule.doc_ja().is_some_and(|d| d.contains("## 対処")));
    assert!(!rule.title_ja.is_empty() && !rule.advice_ja.is_empty());
}
