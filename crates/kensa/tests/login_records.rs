//! Binary login records join the password-guessing detectors: failed logins from btmp
//! followed by a session in wtmp from the same address is a guessed password.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

/// One glibc x86_64 `struct utmp` (384 bytes).
fn utmp(
    kind: i16,
    pid: i32,
    line: &str,
    user: &str,
    host: &str,
    time: i32,
    addr: [u8; 4],
) -> Vec<u8> {
    let mut record = vec![0u8; 384];
    record[0..2].copy_from_slice(&kind.to_le_bytes());
    record[4..8].copy_from_slice(&pid.to_le_bytes());
    record[8..8 + line.len()].copy_from_slice(line.as_bytes());
    record[44..44 + user.len()].copy_from_slice(user.as_bytes());
    record[76..76 + host.len()].copy_from_slice(host.as_bytes());
    record[340..344].copy_from_slice(&time.to_le_bytes());
    record[348..352].copy_from_slice(&addr);
    record
}

#[test]
fn btmp_failures_then_a_wtmp_session_is_a_guessed_password() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("var/log")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "victim\n").unwrap();
    let start = 851_990_400; // 1996-12-31T00:00:00Z
    let attacker = [203, 0, 113, 9];
    let mut btmp = Vec::new();
    for i in 0..30 {
        btmp.extend(utmp(
            6,
            100 + i,
            "ssh:notty",
            "root",
            "203.0.113.9",
            start + i * 3,
            attacker,
        ));
    }
    std::fs::write(root.join("var/log/btmp"), btmp).unwrap();
    let mut wtmp = utmp(2, 0, "~", "reboot", "2.0.0", start - 3600, [0; 4]);
    wtmp.extend(utmp(
        7,
        999,
        "pts/0",
        "root",
        "203.0.113.9",
        start + 120,
        attacker,
    ));
    std::fs::write(root.join("var/log/wtmp"), wtmp).unwrap();

    let out = common::kensa(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "-q",
        "--tz",
        "UTC",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<&serde_json::Value> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .collect();
    let success = findings
        .iter()
        .find(|f| f["kind"] == "password-guessing" && f["outcome"] == "succeeded")
        .unwrap_or_else(|| panic!("no success after failures in {findings:#?}"));
    assert_eq!(success["host"], "victim");
    assert_eq!(success["subject"]["source"], "203.0.113.9");
    let files: Vec<&str> = success["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"var/log/wtmp") && files.contains(&"var/log/btmp"),
        "{files:?}"
    );
    assert_eq!(report["hosts"][0]["verdict"], "compromised");
}
