//! The writers over every line of the real corpora in `../shared/corpus`: third-party
//! logs with CRLF endings, Latin-1 and invalid UTF-8, NULs, and binary utmp files read
//! as if they were text — the worst evidence a detector could hand over. Each file
//! becomes one finding whose evidence is all of its lines; every format must render it,
//! the text without a single raw control character, the JSON with every line's exact
//! bytes recoverable (from `raw_hex`, or from `text` when that is exact).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{SM001, render, shared_dir};
use kensa_core::{Evidence, Finding, Report, host_reports};
use kensa_report::{Format, TextOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            files_under(&path, out);
        } else if meta.is_file() {
            out.push(path);
        }
    }
}

fn unhex(hex: &str) -> Vec<u8> {
    hex.as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

#[test]
fn every_corpus_line_renders_safely_and_losslessly() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus");
    let mut files = Vec::new();
    files_under(&corpus, &mut files);
    let mut findings = Vec::new();
    let mut originals: Vec<Vec<Vec<u8>>> = Vec::new();
    let (mut lines_total, mut not_utf8, mut with_controls) = (0usize, 0usize, 0usize);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let name = path
            .strip_prefix(&corpus)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let mut finding = Finding::new(&SM001, "corpus");
        finding.subject.path = Some(name.clone());
        finding.merge_key = name.clone();
        let mut offset = 0u64;
        let mut raws = Vec::new();
        for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
            if std::str::from_utf8(raw).is_err() {
                not_utf8 += 1;
            }
            if raw.iter().any(|&b| b < 0x20 || b == 0x7f) {
                with_controls += 1;
            }
            finding.push_evidence(Evidence::from_line(
                &name,
                index as u64 + 1,
                offset,
                raw,
                None,
            ));
            offset += raw.len() as u64 + 1;
            raws.push(raw.to_vec());
        }
        lines_total += raws.len();
        finding.count = raws.len() as u64;
        findings.push(finding);
        originals.push(raws);
    }
    println!(
        "{} files, {lines_total} lines, {not_utf8} not UTF-8, {with_controls} with control bytes",
        files.len()
    );
    // The corpora are known to hold such lines; if they ever did not, this test would
    // no longer test what it claims to.
    assert!(files.len() >= 50 && lines_total >= 5000 && not_utf8 >= 5 && with_controls >= 20);

    let report = Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(findings, &[]),
        diagnostics: Vec::new(),
    };

    for verbose in [false, true] {
        let text = render(
            &report,
            Format::Text,
            &TextOptions {
                verbose,
                ..TextOptions::default()
            },
        );
        let bad = text
            .chars()
            .filter(|&c| {
                c != '\n' && kensa_report::escape_terminal(&c.to_string()) != c.to_string()
            })
            .count();
        assert_eq!(
            bad, 0,
            "raw control characters in the text report (verbose {verbose})"
        );
        let evidence_lines = text
            .lines()
            .filter(|l| l.starts_with("        ") && !l.starts_with("          "))
            .count();
        if verbose {
            // One printed line per evidence line, plus one "raw bytes" line per non-UTF-8 line.
            assert_eq!(evidence_lines, lines_total);
        } else {
            assert!(evidence_lines <= files.len() * 9);
        }
    }

    let json: Value =
        serde_json::from_str(&render(&report, Format::Json, &TextOptions::default())).unwrap();
    let rendered = json["hosts"][0]["findings"].as_array().unwrap();
    assert_eq!(rendered.len(), files.len());
    let mut checked = 0usize;
    for finding in rendered {
        let name = finding["subject"]["path"].as_str().unwrap();
        let index = files
            .iter()
            .position(|p| p.strip_prefix(&corpus).unwrap().to_string_lossy() == name)
            .unwrap();
        let evidence = finding["evidence"].as_array().unwrap();
        assert_eq!(evidence.len(), originals[index].len(), "{name}");
        for (item, original) in evidence.iter().zip(&originals[index]) {
            let recovered = match item.get("raw_hex") {
                Some(hex) => unhex(hex.as_str().unwrap()),
                None => item["text"].as_str().unwrap().as_bytes().to_vec(),
            };
            assert_eq!(&recovered, original, "{name}:{}", item["line"]);
            checked += 1;
        }
    }
    assert_eq!(checked, lines_total);

    let jsonl = render(&report, Format::Jsonl, &TextOptions::default());
    let alerts = jsonl
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("each JSON line parses"))
        .filter(|line| line["event"]["kind"] == "alert")
        .count();
    assert_eq!(alerts, files.len());
}
