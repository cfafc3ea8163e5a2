//! `--allow FILE`: findings an administrator accepts as benign leave the verdict and the
//! exit status, and are still listed with the reason and the list's line.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::path::Path;

/// A root whose only finding is a regular file in `dev` (RK004, an indicator).
fn root_with_a_dev_file(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("dev")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("dev/mtab.bak"), "data\n").unwrap();
    std::fs::write(root.join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").unwrap();
    std::fs::write(root.join("etc/timezone"), "UTC\n").unwrap();
    root
}

fn audit(root: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "audit",
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

#[test]
fn an_accepted_finding_leaves_the_verdict_and_stays_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_with_a_dev_file(dir.path());

    let (status, report) = audit(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(report["hosts"][0]["verdict"], "compromised");

    let allow = dir.path().join("allow");
    std::fs::write(
        &allow,
        "# site allow list\n\
         RK004 /dev/mtab.bak   left by the 2019 migration script\n\
         IN001 usr/lib/node_modules/**  npm updates its own files\n\
         bad line\n",
    )
    .unwrap();
    let (status, report) = audit(&root, &["--allow", allow.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{report}");
    let host = &report["hosts"][0];
    assert_eq!(host["verdict"], "clean");
    assert_eq!(host["findings"].as_array().unwrap().len(), 0);
    assert_eq!(host["accepted"][0]["finding"]["code"], "RK004");
    assert_eq!(
        host["accepted"][0]["reason"],
        "left by the 2019 migration script"
    );
    let origin = format!("{}:2", allow.display());
    assert_eq!(host["accepted"][0]["allowed_by"], origin.as_str());
    // The malformed line is named, as a warning, and the rest of the list still counts.
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics
            .iter()
            .any(|d| d["file"] == allow.to_str().unwrap()
                && d["line"] == 4
                && d["level"] == "warning"),
        "{diagnostics:?}"
    );
}

#[test]
fn an_allow_list_in_the_audited_root_is_not_read_and_a_missing_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_with_a_dev_file(dir.path());
    // An attacker's list on the audited host changes nothing unless given.
    std::fs::create_dir_all(root.join("etc/kensa")).unwrap();
    std::fs::write(root.join("etc/kensa/allow"), "RK004 ** nothing to see\n").unwrap();
    let (_, report) = audit(&root, &[]);
    assert_eq!(report["hosts"][0]["verdict"], "compromised");

    let missing = dir.path().join("no-such-allow");
    let out = common::kensa(&[
        "audit",
        "--root",
        root.to_str().unwrap(),
        "--allow",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--allow") && stderr.contains("no-such-allow"),
        "{stderr}"
    );
}

#[test]
fn findings_beyond_a_checks_cap_are_accepted_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_with_a_dev_file(dir.path());
    for n in 0..150 {
        std::fs::write(root.join(format!("dev/stray{n}")), "x\n").unwrap();
    }
    // Without a list: 99 findings and one summary of the rest (no path to match).
    let (_, report) = audit(&root, &["--select", "RK004"]);
    let findings = report["hosts"][0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 100);
    assert!(findings.iter().any(|f| f["subject"]["path"].is_null()));

    let allow = dir.path().join("allow");
    std::fs::write(&allow, "RK004 dev/** the lab's scratch files\n").unwrap();
    let (status, report) = audit(
        &root,
        &["--select", "RK004", "--allow", allow.to_str().unwrap()],
    );
    assert_eq!(status, Some(0), "{report}");
    let host = &report["hosts"][0];
    assert_eq!(host["findings"].as_array().unwrap().len(), 0, "{host}");
    assert_eq!(host["accepted"].as_array().unwrap().len(), 151);
}
