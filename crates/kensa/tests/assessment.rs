//! End to end: the example host is compromised and the report says what that means
//! (the assessment), and a root whose wtmp was wiped is compromised by that alone.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");

#[test]
fn the_example_host_is_compromised_and_told_to_rebuild() {
    let out = common::kensa(&["triage", "--root", EXAMPLE, "-q"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("mailhub: COMPROMISED"), "{text}");
    assert!(
        text.contains("  assessment: Intrusion cannot be ruled out.\n"),
        "{text}"
    );
    assert!(text.contains("rebuild:    Reinstall the host from trusted media"));
    // The example's passwd holds DES hashes: every account with one is listed, by name.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("guest, kato, root, sato, suzuki, tanaka, yamada"),
        "{text}"
    );
    assert!(
        !text.contains("RzoH"),
        "no hash ever leaves the account files"
    );
    assert!(text.contains("      examined:   text logs, host files and configuration\n"));

    let out = common::kensa(&["triage", "--root", EXAMPLE, "-q", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let host = &report["hosts"][0];
    assert_eq!(host["verdict"], "compromised");
    let assessment = &host["assessment"];
    assert_eq!(assessment["intrusion_cannot_be_ruled_out"], true);
    let reasons: Vec<&str> = assessment["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"SM002"), "{reasons:?}");
    assert!(assessment["change_passwords"].as_array().unwrap().len() >= 7);

    // Logs only: the host configuration (and its accounts) was not examined.
    let out = common::kensa(&["scan", "--root", EXAMPLE, "-q", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let assessment = &report["hosts"][0]["assessment"];
    assert!(
        assessment["not_examined"]
            .as_array()
            .unwrap()
            .contains(&Value::from("host-configuration"))
    );
}

/// One glibc x86-64 `struct utmp` (384 bytes).
fn utmp(kind: i16, line: &str, user: &str, host: &str, time: i32) -> Vec<u8> {
    let mut record = vec![0u8; 384];
    record[0..2].copy_from_slice(&kind.to_le_bytes());
    record[4..8].copy_from_slice(&77i32.to_le_bytes());
    record[8..8 + line.len()].copy_from_slice(line.as_bytes());
    record[44..44 + user.len()].copy_from_slice(user.as_bytes());
    record[76..76 + host.len()].copy_from_slice(host.as_bytes());
    record[340..344].copy_from_slice(&time.to_le_bytes());
    record
}

#[test]
fn a_wiped_wtmp_alone_makes_a_host_compromised() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("var/log")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "victim\n").unwrap();
    std::fs::write(
        root.join("etc/passwd"),
        "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
    )
    .unwrap();
    std::fs::write(
        root.join("etc/shadow"),
        "root:$6$s$h:19000::::::\nalice:$y$j9T$s$h:19000::::::\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.join("etc/shadow"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let t = 1_700_000_000;
    let intact = [
        utmp(2, "~", "reboot", "6.1.0", t),
        utmp(7, "pts/0", "alice", "192.0.2.10", t + 60),
        utmp(8, "pts/0", "", "", t + 600),
    ]
    .concat();
    std::fs::write(root.join("var/log/wtmp"), &intact).unwrap();
    let run = || {
        let out = common::kensa(&[
            "triage",
            "--root",
            root.to_str().unwrap(),
            "-q",
            "--format",
            "json",
        ]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let report = run();
    assert_eq!(report["hosts"][0]["verdict"], "clean", "{report:#}");
    assert!(
        report["hosts"][0]["assessment"]["examined"]
            .as_array()
            .unwrap()
            .contains(&Value::from("login-records"))
    );

    // The same file with the login zeroed in place, as zap does.
    let mut wiped = intact.clone();
    wiped[384..768].fill(0);
    std::fs::write(root.join("var/log/wtmp"), &wiped).unwrap();
    let report = run();
    let host = &report["hosts"][0];
    assert_eq!(host["verdict"], "compromised", "{report:#}");
    assert_eq!(host["findings"][0]["code"], "CP002");
    assert_eq!(host["assessment"]["reasons"], serde_json::json!(["CP002"]));
    assert_eq!(
        host["assessment"]["change_passwords"],
        serde_json::json!(["alice", "root"])
    );
}
