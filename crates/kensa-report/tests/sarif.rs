//! The SARIF output: valid against the official SARIF 2.1.0 schema (vendored under
//! `tests/fixtures/sarif/`, see its README), and carrying what a SARIF reader needs —
//! every rule with its docs, results located at the evidence lines, stable fingerprints,
//! diagnostics as tool notifications. Also the JSON output against the repository's own
//! schema with a general-purpose validator (`schema.rs` uses a strict hand-written one).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{FT001, LG001, SM001, SM002, assert_snapshot, jst, render, rules, sample_report};
use kensa_core::{AllowList, Evidence, Finding, Report, attach_accepted, host_reports};
use kensa_report::{FINGERPRINT_NAME, Format, ROOT_BASE_ID, SARIF_SCHEMA, TextOptions};
use serde_json::Value;

const SARIF_SCHEMA_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/sarif/sarif-schema-2.1.0.json"
);

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(SARIF_SCHEMA_FILE).expect("vendored SARIF schema");
    // The fixture is the official file, whole (see its README).
    assert_eq!(text.len(), 111_962, "the vendored schema was changed");
    let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["$id"],
        "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
    );
    // The official schema's `language` patterns (of `run` and `toolComponent`) have a stray
    // `]`, which ECMA-262 reads as a literal only in its legacy (Annex B) syntax; the
    // validator checks patterns strictly and refuses the schema. Escaping the bracket keeps
    // the patterns' meaning exactly.
    for owner in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][owner]["properties"]["language"]["pattern"];
        assert_eq!(*language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
    }
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn options() -> TextOptions {
    TextOptions {
        rules: rules(),
        ..TextOptions::default()
    }
}

fn sarif(report: &Report, options: &TextOptions) -> Value {
    serde_json::from_str(&render(report, Format::Sarif, options)).expect("SARIF is JSON")
}

#[test]
fn sample_report_snapshot() {
    assert_snapshot(
        "report.sarif",
        &render(&sample_report(), Format::Sarif, &options()),
    );
}

#[test]
fn sample_report_is_valid_sarif() {
    let validator = sarif_validator();
    let document = sarif(&sample_report(), &options());
    assert_eq!(errors(&validator, &document), Vec::<String>::new());
    assert_eq!(document["version"], "2.1.0");
    assert_eq!(document["$schema"], SARIF_SCHEMA);
    assert_eq!(document["runs"].as_array().map(Vec::len), Some(1));
}

#[test]
fn the_validator_catches_broken_sarif() {
    // The schema check is only worth something if it can fail.
    let validator = sarif_validator();
    let mut document = sarif(&sample_report(), &options());
    document["runs"][0]["results"][0]["level"] = "fatal".into();
    document["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    document["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let found = errors(&validator, &document);
    assert!(found.iter().any(|e| e.contains("/level")), "{found:?}");
    assert!(found.iter().any(|e| e.contains("/startLine")), "{found:?}");
    assert!(found.iter().any(|e| e.contains("name")), "{found:?}");
}

#[test]
fn every_rule_is_described_with_its_docs() {
    let document = sarif(&sample_report(), &options());
    let driver = &document["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "kensa");
    assert_eq!(driver["version"], "0.1.0-test");
    let described: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        described,
        ["FT001", "LG001", "SM001", "SM002"],
        "sorted by code"
    );
    let sm001 = &driver["rules"][2];
    assert_eq!(sm001["name"], "sendmail-exploit-attempt");
    assert_eq!(sm001["shortDescription"]["text"], SM001.title);
    assert_eq!(sm001["fullDescription"]["markdown"], SM001.doc());
    assert_eq!(sm001["help"]["markdown"], SM001.doc());
    assert_eq!(sm001["defaultConfiguration"]["level"], "error");
    assert_eq!(sm001["properties"]["kind"], "sendmail-exploit");
    assert_eq!(sm001["properties"]["outcome"], "attempted");
    assert_eq!(sm001["properties"]["security-severity"], "8.0");
    // A rule without a doc is described by its title.
    let lg001 = &driver["rules"][1];
    assert_eq!(lg001["help"]["text"], LG001.title);
    assert_eq!(lg001["defaultConfiguration"]["level"], "warning");
    // Without a catalogue the findings' rules are listed all the same.
    let bare = sarif(&sample_report(), &TextOptions::default());
    assert_eq!(
        bare["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
}

#[test]
fn results_point_at_the_evidence_lines() {
    let document = sarif(&sample_report(), &options());
    let run = &document["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let succeeded = &results[0];
    assert_eq!(succeeded["ruleId"], "SM002");
    assert_eq!(
        run["tool"]["driver"]["rules"][succeeded["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SM002"
    );
    assert_eq!(succeeded["level"], "error");
    assert_eq!(succeeded["message"]["text"], SM002.title);
    let first = &succeeded["locations"][0]["physicalLocation"];
    assert_eq!(first["artifactLocation"]["uri"], "var/log/syslog.1");
    assert_eq!(first["artifactLocation"]["uriBaseId"], ROOT_BASE_ID);
    assert_eq!(first["region"]["startLine"], 4100);
    assert!(
        first["region"]["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("received from evil.example.net")
    );
    assert_eq!(succeeded["locations"].as_array().map(Vec::len), Some(2));
    let properties = &succeeded["properties"];
    assert_eq!(properties["host"], "mailhub");
    assert_eq!(properties["verdict"], "compromised");
    assert_eq!(properties["outcome"], "succeeded");
    assert_eq!(properties["firstSeen"], "1996-12-31T23:59:59+09:00");
    assert_eq!(properties["lastSeen"], "1997-01-01T00:00:03+09:00");
    assert_eq!(properties["subject"]["source"], "192.0.2.7");
    // The configuration finding points at a file, without a region.
    let writable = results.iter().find(|r| r["ruleId"] == "FT001").unwrap();
    let location = &writable["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "home/ftp"
    );
    assert!(location["physicalLocation"].get("region").is_none());
    assert_eq!(
        location["message"]["text"],
        "directory mode 0777, owner ftp"
    );
    assert_eq!(
        writable["level"],
        FT001.severity.as_str().replace("high", "error")
    );
    // Diagnostics are tool notifications with their file and line.
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notifications.len(), 2);
    assert_eq!(notifications[0]["level"], "warning");
    assert_eq!(
        notifications[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        412
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

fn finding_with(lines: &[u64], merge_key: &str) -> Finding {
    let mut finding = Finding::new(&SM001, "mailhub");
    finding.merge_key = merge_key.to_string();
    for &line in lines {
        finding.push_evidence(Evidence::from_line(
            "var/log/syslog",
            line,
            line * 80,
            b"to=/etc/passwd",
            Some(jst("1996-12-31T23:00:00")),
        ));
    }
    finding
}

fn fingerprint_of(finding: Finding) -> String {
    let report = Report {
        kensa_version: "t",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: Vec::new(),
        run: None,
    };
    sarif(&report, &TextOptions::default())["runs"][0]["results"][0]["partialFingerprints"]
        [FINGERPRINT_NAME]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn fingerprints_follow_the_merge_key_not_the_line_numbers() {
    let today = fingerprint_of(finding_with(&[10, 11], "AA07501"));
    assert_eq!(today.len(), 32);
    assert!(today.bytes().all(|b| b.is_ascii_hexdigit()));
    // The log grew and rotated: other lines, same message.
    assert_eq!(
        fingerprint_of(finding_with(&[910, 911, 912], "AA07501")),
        today
    );
    assert_ne!(fingerprint_of(finding_with(&[10, 11], "AA07502")), today);
    let mut other_host = finding_with(&[10, 11], "AA07501");
    other_host.host = "www".into();
    assert_ne!(fingerprint_of(other_host), today);
}

#[test]
fn paths_outside_the_root_and_hostile_names_are_uris() {
    let mut finding = finding_with(&[], "k");
    finding.push_evidence(Evidence::from_line("/srv/logs/a b#1", 3, 0, b"x", None));
    finding.push_evidence(Evidence::from_line("var/log/\x1b[2J<x>", 4, 0, b"y", None));
    let report = Report {
        kensa_version: "t",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: Vec::new(),
        run: None,
    };
    let document = sarif(&report, &TextOptions::default());
    assert_eq!(errors(&sarif_validator(), &document), Vec::<String>::new());
    let locations = &document["runs"][0]["results"][0]["locations"];
    let outside = &locations[0]["physicalLocation"]["artifactLocation"];
    assert_eq!(outside["uri"], "file:///srv/logs/a%20b%231");
    assert!(outside.get("uriBaseId").is_none());
    assert_eq!(
        locations[1]["physicalLocation"]["artifactLocation"]["uri"],
        "var/log/%1B%5B2J%3Cx%3E"
    );
}

#[test]
fn japanese_rule_texts_when_asked() {
    static JA: kensa_core::Rule = kensa_core::Rule {
        code: "SM001",
        name: "sendmail-exploit-attempt",
        kind: kensa_core::Kind::SendmailExploit,
        outcome: kensa_core::Outcome::Attempted,
        severity: kensa_core::Severity::High,
        title: "Sendmail exploit attempt",
        advice: "Upgrade sendmail.",
        title_ja: "sendmail への攻撃の試み",
        advice_ja: "sendmail を更新してください。",
        status: kensa_core::RuleStatus::Stable,
        since: "0.1.0",
        source: "//! # SM001\n//! English.\n//! <!-- ja -->\n//! # SM001\n//! 日本語の説明。\n",
    };
    let options = TextOptions {
        rules: vec![&JA],
        lang: kensa_report::i18n::Lang::Ja,
        ..TextOptions::default()
    };
    let report = Report {
        kensa_version: "t",
        hosts: Vec::new(),
        diagnostics: Vec::new(),
        run: None,
    };
    let document = sarif(&report, &options);
    let run = &document["runs"][0];
    assert_eq!(run["language"], "ja-JP");
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["shortDescription"]["text"], "sendmail への攻撃の試み");
    assert_eq!(rule["help"]["markdown"], "# SM001\n日本語の説明。");
    assert_eq!(errors(&sarif_validator(), &document), Vec::<String>::new());
}

#[test]
fn json_output_validates_against_the_repository_schema() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/schema/report-v1.schema.json"
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the report schema compiles");
    let document: Value = serde_json::from_str(&render(
        &sample_report(),
        Format::Json,
        &TextOptions::default(),
    ))
    .unwrap();
    assert_eq!(errors(&validator, &document), Vec::<String>::new());
    let mut broken = document.clone();
    broken["hosts"][0]["verdict"] = "pwned".into();
    assert!(!errors(&validator, &broken).is_empty());
}

/// A report where an allow list accepted one of two findings.
fn report_with_an_accepted_finding() -> Report {
    let mut kept = finding_with(&[3], "kept");
    kept.subject.path = Some("/etc/passwd".into());
    let mut benign = finding_with(&[9], "benign");
    benign.subject.path = Some("/var/spool/lab/passwd".into());
    let (list, diagnostics) = AllowList::parse(
        "SM001 var/spool/lab/** the lab's own test messages\n",
        "/etc/kensa/allow",
    );
    assert!(diagnostics.is_empty());
    let (findings, accepted) = list.apply(vec![kept, benign]);
    let mut hosts = host_reports(findings, &[]);
    attach_accepted(&mut hosts, accepted);
    Report::new("t", hosts, Vec::new())
}

#[test]
fn accepted_findings_are_suppressed_results_with_the_reason() {
    let document = sarif(&report_with_an_accepted_finding(), &options());
    assert_eq!(errors(&sarif_validator(), &document), Vec::<String>::new());
    let results = document["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0].get("suppressions").is_none());
    let suppression = &results[1]["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["justification"], "the lab's own test messages");
    assert_eq!(suppression["properties"]["allowedBy"], "/etc/kensa/allow:1");
}

#[test]
fn accepted_findings_are_in_the_json_and_the_text_but_not_the_verdict() {
    let report = report_with_an_accepted_finding();
    assert_eq!(report.hosts[0].findings.len(), 1);
    let json: Value =
        serde_json::from_str(&render(&report, Format::Json, &TextOptions::default())).unwrap();
    assert_eq!(
        json["hosts"][0]["accepted"][0]["reason"],
        "the lab's own test messages"
    );
    assert_eq!(
        json["hosts"][0]["accepted"][0]["finding"]["subject"]["path"],
        "/var/spool/lab/passwd"
    );
    let text = render(&report, Format::Text, &TextOptions::default());
    assert!(
        text.contains("accepted by the allow list, not in the verdict: 1"),
        "{text}"
    );
    assert!(
        text.contains(
            "SM001 /var/spool/lab/passwd — the lab's own test messages (/etc/kensa/allow:1)"
        ),
        "{text}"
    );
    let ja = render(
        &report,
        Format::Text,
        &TextOptions {
            lang: kensa_report::i18n::Lang::Ja,
            ..TextOptions::default()
        },
    );
    assert!(
        ja.contains("許可リストで受け入れた検出（判定に含めない）: 1 件"),
        "{ja}"
    );
}

#[test]
fn accepted_findings_validate_against_the_repository_schema() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/schema/report-v1.schema.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let document: Value = serde_json::from_str(&render(
        &report_with_an_accepted_finding(),
        Format::Json,
        &TextOptions::default(),
    ))
    .unwrap();
    assert_eq!(errors(&validator, &document), Vec::<String>::new());
    let mut broken = document.clone();
    broken["hosts"][0]["accepted"][0]["reason"] = 3.into();
    assert!(!errors(&validator, &broken).is_empty());
}
