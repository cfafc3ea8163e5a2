//! End to end against the shared generator's ground truth: every sendmail exploit of
//! `truth.json` gets the right code on the right host with its evidence lines, no decoy
//! is flagged, and every evidence line gets the right instant (years across New Year).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

type Line = (String, u64);

fn lines_of(incident: &Value, roles: &[&str]) -> BTreeSet<Line> {
    let mut out = BTreeSet::new();
    for evidence in incident["evidence"].as_array().unwrap() {
        let role = evidence["role"].as_str().unwrap();
        if roles.is_empty() || roles.contains(&role) {
            for at in evidence["at"].as_array().unwrap() {
                out.insert((
                    at["file"].as_str().unwrap().to_string(),
                    at["line"].as_u64().unwrap(),
                ));
            }
        }
    }
    out
}

fn evidence_lines(finding: &Value) -> BTreeSet<Line> {
    finding["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn check(layout: &str) {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    common::generate_corpus(&shared, &root, &["--small", "--layout", layout]);
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    let truth: Value =
        serde_json::from_slice(&std::fs::read(root.join("truth.json")).unwrap()).unwrap();

    let report = common::live::scan(&root);

    let findings: Vec<&Value> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .filter(|f| f["kind"] == "sendmail-exploit")
        .collect();

    // The true instant of every line the truth knows.
    let mut truth_time: BTreeMap<Line, String> = BTreeMap::new();
    for incident in truth["incidents"].as_array().unwrap() {
        for evidence in incident["evidence"].as_array().unwrap() {
            for at in evidence["at"].as_array().unwrap() {
                let line = (
                    at["file"].as_str().unwrap().to_string(),
                    at["line"].as_u64().unwrap(),
                );
                truth_time.insert(line, evidence["ts"].as_str().unwrap().to_string());
            }
        }
    }

    let exploits: Vec<&Value> = truth["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "sendmail_exploit")
        .collect();
    assert!(exploits.len() >= 4, "the small corpus has several exploits");
    let mut matched = BTreeSet::new();
    let mut with_source = 0;
    for incident in &exploits {
        let id = incident["id"].as_str().unwrap();
        let key_lines = lines_of(incident, &["attempt", "success"]);
        let found: Vec<&&Value> = findings
            .iter()
            .filter(|f| f["host"] == incident["host"] && !evidence_lines(f).is_disjoint(&key_lines))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{id}: expected one finding, got {}",
            found.len()
        );
        let finding = found[0];
        let want = if incident["verdict"] == "compromised" {
            "succeeded"
        } else {
            "attempted"
        };
        assert_eq!(
            finding["outcome"], want,
            "{id} ({})",
            incident["details"]["outcome"]
        );
        let shown = evidence_lines(finding);
        assert!(
            key_lines.is_subset(&shown),
            "{id}: missing evidence {:?}",
            key_lines.difference(&shown)
        );
        matched.insert(finding["evidence"].to_string());
        // The attacker's address comes from the message's own from= line, which the
        // detector reads from the look-back context.
        if let Some(source) = finding["subject"]["source"].as_str() {
            assert_eq!(
                Some(source),
                incident["source"]["ip"].as_str(),
                "{id}: wrong source"
            );
            with_source += 1;
        }
    }
    assert!(
        with_source + 1 >= exploits.len(),
        "only {with_source} findings name their source"
    );
    assert_eq!(
        findings.len(),
        exploits.len(),
        "a sendmail finding matches no exploit (decoy flagged?)"
    );

    for incident in truth["incidents"].as_array().unwrap() {
        if !incident["kind"].as_str().unwrap().starts_with("decoy") {
            continue;
        }
        let decoy_lines = lines_of(incident, &["decoy"]);
        for finding in &findings {
            let overlap: Vec<_> = evidence_lines(finding)
                .intersection(&decoy_lines)
                .cloned()
                .collect();
            assert!(
                overlap.is_empty(),
                "decoy {} flagged: {overlap:?}",
                incident["id"]
            );
        }
    }

    let mut checked = 0;
    for finding in &findings {
        for evidence in finding["evidence"].as_array().unwrap() {
            let line = (
                evidence["file"].as_str().unwrap().to_string(),
                evidence["line"].as_u64().unwrap(),
            );
            if let Some(ts) = truth_time.get(&line) {
                let got = evidence["time"].as_str().unwrap_or("none");
                assert_eq!(&got[..19.min(got.len())], &ts[..19], "time of {line:?}");
                assert!(got.ends_with("+09:00"), "offset of {line:?}: {got}");
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} evidence times checked");
}

#[test]
fn sendmail_exploits_match_the_truth_linux_layout() {
    check("linux");
}

#[test]
fn sendmail_exploits_match_the_truth_sunos_layout() {
    check("sunos");
}
