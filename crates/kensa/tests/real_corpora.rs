//! End to end on real logs nobody here wrote (`../shared/corpus`).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;

/// loghub's Linux sample (a 2005 Red Hat host on the Internet): the ssh guessing from
/// 150.183.249.110 documented in TEMPLATE-CATEGORIES.md is one burst of 80 failures, and
/// nothing there is a sendmail attack.
#[test]
fn loghub_linux_burst_is_found() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let log = shared.join("corpus/loghub/Linux/Linux_2k.log");
    let out = common::kensa(&[
        "scan",
        "--year",
        "2005",
        "--tz",
        "UTC",
        "--format",
        "json",
        "-q",
        log.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings: Vec<&Value> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .collect();
    let burst = findings
        .iter()
        .find(|f| f["code"] == "LG001" && f["subject"]["source"] == "150.183.249.110")
        .expect("the 150.183.249.110 burst");
    assert_eq!(burst["count"], 80);
    assert!(findings.iter().all(|f| f["kind"] != "sendmail-exploit"));
    // Pinned so that a change shows: every finding is password guessing.
    assert!(
        findings
            .iter()
            .all(|f| f["kind"] == "password-guessing" || f["kind"] == "remote-root-login")
    );
    assert!(findings.len() >= 20, "{}", findings.len());
}
