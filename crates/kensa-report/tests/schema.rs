//! The JSON output against its published schema, `docs/schema/report-v1.schema.json`,
//! and the JSON Lines output against its documented ECS mapping.
//!
//! The validator below implements exactly the JSON Schema keywords the schema uses and
//! fails on any other, so the schema cannot grow a constraint that nothing checks. It
//! is also stricter than the schema in one way: every member kensa writes must be
//! described in the schema (the schema itself lets readers see unknown members, for
//! compatibility, but kensa must not write undocumented ones).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{render, sample_report};
use kensa_report::{Format, SCHEMA_ID, TextOptions};
use serde_json::{Value, json};

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/schema/report-v1.schema.json"
    );
    let text = std::fs::read_to_string(path).expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Keywords that only document.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$defs", "title", "description"];

fn resolve<'a>(root: &'a Value, reference: &str) -> &'a Value {
    let name = reference
        .strip_prefix("#/$defs/")
        .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
    root.get("$defs")
        .and_then(|defs| defs.get(name))
        .unwrap_or_else(|| panic!("missing definition {name}"))
}

fn check_pattern(pattern: &str, text: &str) -> bool {
    match pattern {
        "^[A-Z]+[0-9]+$" => {
            let letters = text.chars().take_while(|c| c.is_ascii_uppercase()).count();
            letters > 0
                && text.len() > letters
                && text[letters..].chars().all(|c| c.is_ascii_digit())
        }
        "^([0-9a-f]{2})*$" => text.as_bytes().chunks(2).all(|pair| {
            pair.len() == 2 && pair.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }),
        p if p.starts_with("^-?[0-9]{4,6}-") => {
            // RFC 3339 with an offset: what jiff parses as a Timestamp, and of the
            // `YYYY-MM-DDTHH:MM:SS` shape.
            text.parse::<jiff::Timestamp>().is_ok() && text.as_bytes().get(10) == Some(&b'T')
        }
        other => panic!("pattern {other:?} is not checked by this validator: add it"),
    }
}

fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        panic!("schema at {at} is not an object")
    };
    for (keyword, rule) in schema {
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "$ref" => validate(
                root,
                resolve(root, rule.as_str().expect("$ref")),
                value,
                at,
                errors,
            ),
            "type" => {
                let ok = match rule.as_str().expect("type") {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "integer" => value.is_u64() || value.is_i64(),
                    "null" => value.is_null(),
                    "boolean" => value.is_boolean(),
                    other => panic!("unsupported type {other}"),
                };
                if !ok {
                    errors.push(format!("{at}: expected {rule}, found {value}"));
                }
            }
            "const" if value != rule => {
                errors.push(format!("{at}: expected {rule}, found {value}"))
            }
            "const" => {}
            "enum" => {
                if !rule.as_array().expect("enum").contains(value) {
                    errors.push(format!("{at}: {value} not in {rule}"));
                }
            }
            "required" => {
                for name in rule.as_array().expect("required") {
                    let name = name.as_str().expect("required name");
                    if value.get(name).is_none() {
                        errors.push(format!("{at}: missing {name}"));
                    }
                }
            }
            "properties" => {
                let Some(object) = value.as_object() else {
                    continue;
                };
                let described = rule.as_object().expect("properties");
                for (name, member) in object {
                    match described.get(name) {
                        Some(sub) => validate(root, sub, member, &format!("{at}.{name}"), errors),
                        None => errors.push(format!("{at}: member {name} is not in the schema")),
                    }
                }
            }
            "items" => {
                for (index, item) in value.as_array().into_iter().flatten().enumerate() {
                    validate(root, rule, item, &format!("{at}[{index}]"), errors);
                }
            }
            "anyOf" => {
                let any = rule.as_array().expect("anyOf").iter().any(|branch| {
                    let mut branch_errors = Vec::new();
                    validate(root, branch, value, at, &mut branch_errors);
                    branch_errors.is_empty()
                });
                if !any {
                    errors.push(format!("{at}: {value} matches no branch of anyOf"));
                }
            }
            "minimum" => {
                if let Some(number) = value.as_f64()
                    && number < rule.as_f64().expect("minimum")
                {
                    errors.push(format!("{at}: {number} below {rule}"));
                }
            }
            "minItems" => {
                if let Some(items) = value.as_array()
                    && (items.len() as u64) < rule.as_u64().expect("minItems")
                {
                    errors.push(format!("{at}: fewer than {rule} items"));
                }
            }
            "pattern" => {
                if let Some(text) = value.as_str()
                    && !check_pattern(rule.as_str().expect("pattern"), text)
                {
                    errors.push(format!("{at}: {text:?} does not match {rule}"));
                }
            }
            other => panic!("schema keyword {other} is not checked by this validator: add it"),
        }
    }
}

fn errors_of(document: &Value) -> Vec<String> {
    let root = schema();
    let mut errors = Vec::new();
    validate(&root, &root, document, "$", &mut errors);
    errors
}

fn sample_document() -> Value {
    serde_json::from_str(&render(
        &sample_report(),
        Format::Json,
        &TextOptions::default(),
    ))
    .expect("JSON output parses")
}

#[test]
fn sample_report_matches_the_schema() {
    let document = sample_document();
    assert_eq!(errors_of(&document), Vec::<String>::new());
    // And the document is the fixture, not an empty shell that trivially matches.
    assert_eq!(document["schema"], SCHEMA_ID);
    assert_eq!(document["hosts"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        document["hosts"][0]["findings"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(document["diagnostics"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_report_with_run_information_and_masked_matches_the_schema() {
    let mut report = sample_report();
    report.hosts[0].time_zone = Some("Asia/Tokyo".into());
    report.hosts[0].os = Some("SunOS Release 4.1.4 (GENERIC) #2".into());
    report.run = Some(kensa_core::RunInfo {
        command: vec!["kensa".into(), "triage".into()],
        rules: vec!["LG001", "SM001"],
        files: vec![
            kensa_core::ExaminedFile {
                file: "var/adm/messages".into(),
                lines: 772,
                bytes: 59_594,
                first: Some(common::jst("1997-01-04T04:05:00")),
                last: Some(common::jst("1997-01-08T23:40:01")),
            },
            kensa_core::ExaminedFile {
                file: "var/adm/wtmp".into(),
                lines: 0,
                bytes: 0,
                first: None,
                last: None,
            },
        ],
        masked: false,
    });
    kensa_report::mask::mask(&mut report, &kensa_report::mask::MaskInputs::default());
    let document: Value =
        serde_json::from_str(&render(&report, Format::Json, &TextOptions::default())).unwrap();
    assert_eq!(errors_of(&document), Vec::<String>::new());
    assert_eq!(document["run"]["masked"], true);
    assert_eq!(
        document["run"]["files"][0]["last"],
        "1997-01-08T23:40:01+09:00"
    );
    assert_eq!(document["hosts"][0]["time_zone"], "Asia/Tokyo");
    let mut wrong = document.clone();
    wrong["run"]["masked"] = Value::Bool(false);
    assert_eq!(
        errors_of(&wrong),
        ["$.run.masked: expected true, found false"]
    );
    let mut wrong = document;
    wrong["run"]["files"][0]["lines"] = Value::from(-1);
    assert_eq!(errors_of(&wrong).len(), 1);
}

#[test]
fn schema_id_is_the_schema_field_value() {
    let root = schema();
    assert_eq!(root["$id"], SCHEMA_ID);
    assert_eq!(root["properties"]["schema"]["const"], SCHEMA_ID);
}

#[test]
fn design_field_names_are_used() {
    let text = render(&sample_report(), Format::Json, &TextOptions::default());
    // Members in DESIGN.md's order (serde_json's Value sorts keys, so look at the text).
    let first_finding = text.find("\"findings\": [").expect("findings");
    let mut at = first_finding;
    for name in [
        "code",
        "kind",
        "outcome",
        "severity",
        "title",
        "host",
        "subject",
        "first_seen",
        "last_seen",
        "count",
        "evidence",
        "advice",
    ] {
        let found = text[at..]
            .find(&format!("\n          \"{name}\": "))
            .unwrap_or_else(|| panic!("{name} out of order"));
        at += found;
    }
    let document = sample_document();
    let finding = &document["hosts"][0]["findings"][0];
    assert_eq!(finding["first_seen"], "1996-12-31T23:59:59+09:00");
    assert_eq!(finding["last_seen"], "1997-01-01T00:00:03+09:00");
    assert_eq!(
        finding["subject"],
        json!({"source": "192.0.2.7", "users": ["|sed -e '1,/^$/d' | /bin/sh"], "message_id": "AA07496"})
    );
    let evidence = &finding["evidence"][0];
    assert_eq!(evidence["file"], "var/log/syslog.1");
    assert_eq!(evidence["line"], 4100);
    assert_eq!(evidence["offset"], 512000);
    assert!(
        evidence.get("raw_hex").is_none(),
        "raw_hex only when text is not exact"
    );
}

#[test]
fn non_utf8_evidence_keeps_its_raw_bytes() {
    let document = sample_document();
    let lines = document["hosts"][0]["findings"][1]["evidence"]
        .as_array()
        .unwrap();
    let lossy = &lines[3];
    let hex = lossy["raw_hex"].as_str().expect("raw_hex present");
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    assert!(bytes.ends_with(b"caf\xe9"));
    assert!(lossy["text"].as_str().unwrap().ends_with("caf\u{fffd}"));
}

/// Breaks the valid document in one place and expects the validator to say where.
fn assert_rejected(mutate: impl FnOnce(&mut Value), expected: &str) {
    let mut document = sample_document();
    mutate(&mut document);
    let errors = errors_of(&document);
    assert!(
        errors.iter().any(|e| e.contains(expected)),
        "expected an error containing {expected:?}, got {errors:?}"
    );
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let finding = "/hosts/0/findings/0";
    assert_rejected(
        |d| {
            drop(
                d.pointer_mut(finding)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("kind"),
            )
        },
        "missing kind",
    );
    assert_rejected(
        |d| *d.pointer_mut("/hosts/0/verdict").unwrap() = json!("pwned"),
        "not in",
    );
    assert_rejected(
        |d| *d.pointer_mut(&format!("{finding}/first_seen")).unwrap() = json!("Dec 31"),
        "no branch of anyOf",
    );
    assert_rejected(
        |d| *d.pointer_mut(&format!("{finding}/count")).unwrap() = json!(-1),
        "below",
    );
    assert_rejected(
        |d| *d.pointer_mut(&format!("{finding}/code")).unwrap() = json!("sm1"),
        "does not match",
    );
    assert_rejected(
        |d| {
            *d.pointer_mut("/hosts/0/findings/1/evidence/3/raw_hex")
                .unwrap() = json!("e9Z")
        },
        "does not match",
    );
    assert_rejected(
        |d| *d.pointer_mut("/schema").unwrap() = json!("v2"),
        "expected",
    );
    assert_rejected(
        |d| {
            d.as_object_mut()
                .unwrap()
                .insert("extra".into(), json!(1))
                .map_or((), drop)
        },
        "extra is not in the schema",
    );
    assert_rejected(
        |d| *d.pointer_mut(&format!("{finding}/subject/users")).unwrap() = json!([]),
        "fewer than",
    );
}

#[test]
fn schema_vocabularies_match_the_model() {
    let root = schema();
    let defs = &root["$defs"];
    let severities: Vec<Value> = kensa_core::Severity::ALL.iter().map(|s| json!(s)).collect();
    let mut listed = defs["severity"]["enum"].as_array().unwrap().clone();
    listed.sort_by_key(|v| v.to_string());
    let mut expected = severities;
    expected.sort_by_key(|v| v.to_string());
    assert_eq!(listed, expected);
    for verdict in [
        kensa_core::Verdict::Clean,
        kensa_core::Verdict::Exposed,
        kensa_core::Verdict::Attacked,
        kensa_core::Verdict::Compromised,
    ] {
        assert!(
            defs["verdict"]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!(verdict)),
            "{verdict}"
        );
    }
}

#[test]
fn jsonl_lines_follow_the_documented_mapping() {
    let report = sample_report();
    let text = render(&report, Format::Jsonl, &TextOptions::default());
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line parses"))
        .collect();
    // 3 hosts' state lines + 4 findings + 2 diagnostics.
    assert_eq!(lines.len(), 9);
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l["event"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "state",
            "alert",
            "alert",
            "alert",
            "state",
            "alert",
            "state",
            "pipeline_error",
            "pipeline_error"
        ]
    );

    let succeeded = &lines[1];
    assert_eq!(succeeded["@timestamp"], "1996-12-31T23:59:59+09:00");
    assert_eq!(succeeded["event"]["outcome"], "success");
    assert_eq!(succeeded["event"]["severity"], 5);
    assert_eq!(
        succeeded["event"]["category"],
        json!(["intrusion_detection", "email"])
    );
    assert_eq!(succeeded["event"]["end"], "1997-01-01T00:00:03+09:00");
    assert_eq!(
        succeeded["rule"],
        json!({"id": "SM002", "name": "sendmail-exploit-succeeded", "ruleset": "kensa"})
    );
    assert_eq!(succeeded["host"]["name"], "mailhub");
    assert_eq!(
        succeeded["source"],
        json!({"address": "192.0.2.7", "ip": "192.0.2.7"})
    );
    assert_eq!(succeeded["related"]["ip"], json!(["192.0.2.7"]));
    assert_eq!(succeeded["log"]["file"]["path"], "var/log/syslog.1");
    assert_eq!(succeeded["message"], "Sendmail exploit likely succeeded");
    assert_eq!(succeeded["kensa"]["host_verdict"], "compromised");
    assert_eq!(succeeded["kensa"]["outcome"], "succeeded");
    assert_eq!(succeeded["kensa"]["subject"]["message_id"], "AA07496");
    assert_eq!(
        succeeded["kensa"]["evidence"].as_array().map(Vec::len),
        Some(2)
    );

    // A host name that is not an IP address: address only.
    let attempt = &lines[2];
    assert_eq!(attempt["source"], json!({"address": "evil.example.net"}));
    assert_eq!(attempt["event"]["outcome"], "failure");
    assert!(attempt.get("related").is_none());

    // Several users: no single user.name, all in related.user.
    let guessing = &lines[3];
    assert!(guessing.get("user").is_none());
    assert_eq!(guessing["related"]["user"], json!(["root", "guest", "ftp"]));

    // A file finding without time: no @timestamp; one user → user.name; the path.
    let writable = &lines[5];
    assert!(writable.get("@timestamp").is_none());
    assert_eq!(writable["user"]["name"], "ftp");
    assert_eq!(writable["file"]["path"], "/home/ftp");
    assert_eq!(writable["event"]["outcome"], "unknown");
    assert_eq!(writable["kensa"]["host_verdict"], "exposed");

    let clean = &lines[6];
    assert_eq!(clean["host"]["name"], "www");
    assert_eq!(clean["kensa"]["verdict"], "clean");
    assert_eq!(clean["kensa"]["findings"], 0);

    let warning = &lines[7];
    assert_eq!(warning["log"]["level"], "warning");
    assert_eq!(warning["log"]["file"]["path"], "var/log/syslog.3.gz");
    assert!(
        warning["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("gzip stream truncated")
    );
    assert_eq!(lines[8]["kensa"]["line"], 412);

    // Every evidence item in the lines is shaped like the JSON document's.
    let root = schema();
    for line in &lines {
        for (index, evidence) in line["kensa"]["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let mut errors = Vec::new();
            validate(
                &root,
                resolve(&root, "#/$defs/evidence"),
                evidence,
                &format!("evidence[{index}]"),
                &mut errors,
            );
            assert_eq!(errors, Vec::<String>::new());
        }
    }
}

#[test]
fn probe_subjects_match_the_schema() {
    // `kensa probe` names the server by address and port; new kinds come with it.
    let mut report = sample_report();
    let finding = &mut report.hosts[0].findings[0];
    finding.subject = kensa_core::Subject {
        address: Some("192.0.2.25".into()),
        port: Some(25),
        ..Default::default()
    };
    finding.kind = kensa_core::Kind::ServerVersion;
    report.hosts[0].findings[1].kind = kensa_core::Kind::AnonFtpAccess;
    let document: Value =
        serde_json::from_str(&render(&report, Format::Json, &TextOptions::default())).unwrap();
    assert_eq!(errors_of(&document), Vec::<String>::new());
    assert_eq!(
        document["hosts"][0]["findings"][0]["subject"],
        json!({"address": "192.0.2.25", "port": 25})
    );
}
