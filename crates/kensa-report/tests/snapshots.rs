//! Snapshot tests: the fixture report rendered in every format, compared byte for byte
//! with the files under `tests/snapshots/` (rewrite them with `UPDATE_SNAPSHOTS=1` and
//! review the diff). Also the rule table and `explain`, and a report with nothing found.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{SM001, assert_snapshot, render, rules, sample_report};
use kensa_core::{Report, host_reports};
use kensa_report::{Format, TextOptions, write_explain, write_rules};

#[test]
fn text_report() {
    assert_snapshot(
        "report.txt",
        &render(&sample_report(), Format::Text, &TextOptions::default()),
    );
}

#[test]
fn verbose_text_report() {
    let options = TextOptions {
        verbose: true,
        ..TextOptions::default()
    };
    assert_snapshot(
        "report-verbose.txt",
        &render(&sample_report(), Format::Text, &options),
    );
}

#[test]
fn json_report() {
    assert_snapshot(
        "report.json",
        &render(&sample_report(), Format::Json, &TextOptions::default()),
    );
}

#[test]
fn jsonl_report() {
    assert_snapshot(
        "report.jsonl",
        &render(&sample_report(), Format::Jsonl, &TextOptions::default()),
    );
}

#[test]
fn rules_table() {
    let mut out = Vec::new();
    write_rules(&rules(), kensa_report::i18n::Lang::En, &mut out).unwrap();
    assert_snapshot("rules.txt", &String::from_utf8(out).unwrap());
}

#[test]
fn explain() {
    let mut out = Vec::new();
    write_explain(&SM001, kensa_report::i18n::Lang::En, &mut out).unwrap();
    assert_snapshot("explain-SM001.txt", &String::from_utf8(out).unwrap());
}

fn clean_report() -> Report {
    Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(Vec::new(), &["www".to_string()]),
        diagnostics: Vec::new(),
    }
}

#[test]
fn clean_host_in_every_format() {
    let report = clean_report();
    let text = render(&report, Format::Text, &TextOptions::default());
    assert_snapshot("clean.txt", &text);
    assert!(text.starts_with("www: CLEAN — nothing found\n"), "{text}");
    assert_snapshot(
        "clean.json",
        &render(&report, Format::Json, &TextOptions::default()),
    );
    assert_snapshot(
        "clean.jsonl",
        &render(&report, Format::Jsonl, &TextOptions::default()),
    );
}

#[test]
fn output_is_deterministic() {
    for format in Format::ALL {
        let first = render(&sample_report(), format, &TextOptions::default());
        let second = render(&sample_report(), format, &TextOptions::default());
        assert_eq!(first, second, "{format}");
        assert!(first.ends_with('\n'), "{format}: no trailing newline");
    }
}

#[test]
fn a_report_without_hosts_says_so() {
    let report = Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: Vec::new(),
        diagnostics: vec![kensa_core::Diagnostic::say(
            kensa_core::DiagnosticLevel::Error,
            "var/log",
            None,
            kensa_core::tr!("permission denied", "アクセスが拒否されました"),
        )],
    };
    let text = render(&report, Format::Text, &TextOptions::default());
    assert_eq!(
        text,
        "no host in this report: nothing was examined\n\n\
         summary: 0 hosts, 0 findings, 1 diagnostic (1 error)\n\
         error: var/log: permission denied\n"
    );
    assert_eq!(
        render(&report, Format::Jsonl, &TextOptions::default())
            .lines()
            .count(),
        1
    );
}
