//! Hostile input and hard conditions: strings an attacker wrote into the audited host's
//! logs and file names must reach the terminal inert and reach JSON readers intact; io
//! errors must come back to the caller as they were; huge strings must not bury the
//! report; and 100 000 findings (20 000 in a debug build) must stream out in linear time
//! without the report being built in memory first.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{SM001, jst, render, sample_report};
use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, Report, host_reports};
use kensa_report::{Format, TextOptions, write_report};
use serde_json::Value;
use std::io::{self, Write};
use std::time::Instant;

/// Terminal control: clear screen, set title, 8-bit CSI, reversed reading order, isolates,
/// NUL, DEL, carriage return (overwrites the start of the printed line), newline (fakes a
/// new report line).
const PAYLOADS: &[&str] = &[
    "\x1b[2J\x1b[H",
    "\x1b]0;owned\x07",
    "\u{9b}31m",
    "\u{202e}fdp.exe",
    "\u{2066}hidden\u{2069}",
    "nul\0del\x7f",
    "fake\rCLEAN",
    "one\nmailhub: CLEAN — nothing found",
];

fn hostile(seed: &str) -> String {
    format!("{seed}<{}>", PAYLOADS.join("|"))
}

fn hostile_report() -> Report {
    let mut finding = Finding::new(&SM001, hostile("host"));
    // Both languages carry the payload: a detector words both from the same values.
    finding.set_title(Localized {
        en: hostile("title"),
        ja: hostile("title"),
    });
    finding.set_advice(Localized {
        en: hostile("advice"),
        ja: hostile("advice"),
    });
    finding.subject.source = Some(hostile("source"));
    finding.subject.users = vec![hostile("user1"), hostile("user2")];
    finding.subject.path = Some(hostile("path"));
    finding.subject.message_id = Some(hostile("qid"));
    finding.count = 1;
    let mut raw = hostile("text").into_bytes();
    raw.push(0xff); // and not UTF-8, so raw_hex is set too
    finding.push_evidence(Evidence::from_line(
        &hostile("file"),
        7,
        70,
        &raw,
        Some(jst("1996-12-31T23:00:00")),
    ));
    Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: vec![Diagnostic::say(
            DiagnosticLevel::Error,
            hostile("dfile"),
            Some(3),
            Localized {
                en: hostile("dmessage"),
                ja: hostile("dmessage"),
            },
        )],
    }
}

fn is_hazard(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn text_output_has_no_control_characters_but_its_own_newlines() {
    for (verbose, lang) in [false, true].into_iter().flat_map(|verbose| {
        [kensa_report::i18n::Lang::En, kensa_report::i18n::Lang::Ja].map(|lang| (verbose, lang))
    }) {
        let options = TextOptions {
            verbose,
            lang,
            ..TextOptions::default()
        };
        let text = render(&hostile_report(), Format::Text, &options);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c != '\n' && is_hazard(c))
            .collect();
        assert!(bad.is_empty(), "raw control characters {bad:?} in\n{text}");
        // The injected fake line never starts a line of its own.
        assert!(
            !text.lines().any(|line| line.starts_with("mailhub: CLEAN")),
            "{text}"
        );
        // Each payload is visible, escaped, everywhere it came from.
        for needle in [
            "\\x1b[2J",
            "\\x1b]0;owned\\x07",
            "\\u{9b}31m",
            "\\u{202e}fdp.exe",
            "\\u{2066}hidden\\u{2069}",
            "nul\\x00del\\x7f",
            "fake\\rCLEAN",
            "one\\nmailhub",
        ] {
            for seed in [
                "host<",
                "title<",
                "source<",
                "user1<",
                "user2<",
                "path<",
                "qid<",
                "text<",
                "file<",
                "dfile<",
                "dmessage<",
            ] {
                let from = text
                    .find(seed)
                    .unwrap_or_else(|| panic!("{seed} missing in\n{text}"));
                assert!(text[from..].contains(needle), "{needle} after {seed}");
            }
        }
        // Advice is wrapped word by word; its payloads are escaped too.
        assert!(
            text.contains("advice<\\x1b[2J\\x1b[H|\\x1b]0;owned\\x07"),
            "{text}"
        );
    }
}

#[test]
fn colour_adds_only_its_own_sequences() {
    let plain = render(&hostile_report(), Format::Text, &TextOptions::default());
    let coloured = render(
        &hostile_report(),
        Format::Text,
        &TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert_ne!(plain, coloured);
    // Removing kensa's SGR sequences (ESC [ digits/semicolons m) gives the plain text back,
    // so no other escape sequence is in the coloured output.
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(at) = rest.find('\x1b') {
        stripped.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let body = after.strip_prefix('[').expect("only CSI sequences");
        let end = body.find('m').expect("only SGR sequences");
        assert!(
            body[..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "{:?}",
            &body[..end]
        );
        rest = &body[end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[test]
fn json_outputs_are_inert_on_a_terminal_and_decode_to_the_original_strings() {
    let report = hostile_report();
    for format in [Format::Json, Format::Jsonl] {
        let text = render(&report, format, &TextOptions::default());
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| c != '\n' && is_hazard(c))
            .collect();
        assert!(bad.is_empty(), "{format}: raw control characters {bad:?}");
        let values: Vec<Value> = match format {
            Format::Json => vec![serde_json::from_str(&text).unwrap()],
            _ => text
                .lines()
                .map(|line| serde_json::from_str(line).unwrap())
                .collect(),
        };
        let mut strings = Vec::new();
        values.iter().for_each(|v| collect_strings(v, &mut strings));
        for seed in [
            "host", "title", "advice", "source", "user1", "user2", "path", "qid", "file", "dfile",
            "dmessage",
        ] {
            assert!(
                strings.contains(&hostile(seed)),
                "{format}: {seed} not decoded back exactly"
            );
        }
        let lossy = format!("{}\u{fffd}", hostile("text"));
        assert!(strings.contains(&lossy), "{format}: evidence text");
    }
}

#[test]
fn rules_and_explain_escape_rule_text() {
    static HOSTILE: kensa_core::Rule = kensa_core::Rule {
        title: "bad\x1b[2Jtitle",
        source: "//! doc \x1b]0;x\x07 line\n",
        ..SM001_FIELDS
    };
    const SM001_FIELDS: kensa_core::Rule = kensa_core::Rule {
        code: "SM009",
        name: "x",
        kind: kensa_core::Kind::SendmailExploit,
        outcome: kensa_core::Outcome::Attempted,
        severity: kensa_core::Severity::High,
        title: "",
        advice: "",
        title_ja: "",
        advice_ja: "",
        status: kensa_core::RuleStatus::Stable,
        since: "0.1.0",
        source: "",
    };
    let mut out = Vec::new();
    kensa_report::write_rules(&[&HOSTILE], kensa_report::i18n::Lang::En, &mut out).unwrap();
    kensa_report::write_explain(&HOSTILE, kensa_report::i18n::Lang::En, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains('\x1b'), "{text}");
    assert!(
        text.contains("bad\\x1b[2Jtitle") && text.contains("doc \\x1b]0;x\\x07 line"),
        "{text}"
    );
}

/// Fails every write after `budget` bytes with `kind`.
struct Failing {
    budget: usize,
    kind: io::ErrorKind,
}

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.budget == 0 {
            return Err(io::Error::from(self.kind));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.budget == 0 {
            Err(io::Error::from(self.kind))
        } else {
            Ok(())
        }
    }
}

#[test]
fn io_errors_reach_the_caller_unchanged() {
    let report = sample_report();
    for format in Format::ALL {
        let whole = render(&report, format, &TextOptions::default()).len();
        for budget in [0, 100, whole - 1] {
            let mut sink = Failing {
                budget,
                kind: io::ErrorKind::BrokenPipe,
            };
            let error = write_report(&report, format, &TextOptions::default(), &mut sink)
                .expect_err("must fail");
            assert_eq!(
                error.kind(),
                io::ErrorKind::BrokenPipe,
                "{format} after {budget} bytes"
            );
        }
    }
    let mut sink = Failing {
        budget: 10,
        kind: io::ErrorKind::BrokenPipe,
    };
    assert!(
        kensa_report::write_rules(&common::rules(), kensa_report::i18n::Lang::En, &mut sink)
            .is_err()
    );
}

/// Counts bytes and remembers the largest single write.
#[derive(Default)]
struct Counting {
    bytes: usize,
    writes: usize,
    largest: usize,
}

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len();
        self.writes += 1;
        self.largest = self.largest.max(buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn many_findings_stream_out_in_linear_time() {
    // 100 000 in an optimised build (`cargo test --release`); a fifth of that otherwise,
    // where the same run takes a minute of a shared machine's time.
    const FINDINGS: usize = if cfg!(debug_assertions) {
        20_000
    } else {
        100_000
    };
    let findings: Vec<Finding> = (0..FINDINGS)
        .map(|n| {
            let mut finding = Finding::new(&SM001, format!("host{:03}", n % 500));
            finding.subject.source = Some(format!("192.0.2.{}", n % 250));
            finding.subject.users = vec![format!("user{n}")];
            finding.count = 3;
            for line in 0..3u64 {
                let text = format!(
                    "Dec 31 23:59:59 host sendmail[{n}]: AA{n:05}: to=/etc/passwd, line {line}"
                );
                finding.push_evidence(Evidence::from_line(
                    "var/log/syslog",
                    line + 1,
                    line * 80,
                    text.as_bytes(),
                    Some(jst("1996-12-31T23:59:59")),
                ));
            }
            finding
        })
        .collect();
    let report = Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(findings, &[]),
        diagnostics: Vec::new(),
    };
    for format in Format::ALL {
        let started = Instant::now();
        let mut sink = Counting::default();
        write_report(&report, format, &TextOptions::default(), &mut sink).unwrap();
        let elapsed = started.elapsed();
        println!(
            "{format}: {FINDINGS} findings, {} bytes in {} writes, {elapsed:?}",
            sink.bytes, sink.writes
        );
        assert!(
            sink.bytes > FINDINGS * 200,
            "{format}: only {} bytes",
            sink.bytes
        );
        // Streamed through a 64 KiB buffer, never handed over as one big string.
        assert!(
            sink.largest <= 64 * 1024,
            "{format}: a write of {} bytes",
            sink.largest
        );
        assert!(sink.writes > sink.bytes / (64 * 1024), "{format}");
        // Generous for an unoptimised build on a busy 2-core machine; quadratic work
        // over 100 000 findings would take far longer.
        assert!(elapsed.as_secs() < 60, "{format}: {elapsed:?}");
    }
}

#[test]
fn huge_strings_are_cut_unless_verbose() {
    let huge = "A".repeat(100_000);
    let mut finding = Finding::new(&SM001, "mailhub");
    finding.set_title(Localized {
        en: format!("title {huge}"),
        ja: format!("title {huge}"),
    });
    finding.subject.users = vec![huge.clone()];
    finding.subject.source = Some(huge.clone());
    finding.push_evidence(Evidence::from_line(
        "var/log/syslog",
        1,
        0,
        huge.as_bytes(),
        None,
    ));
    let report = Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: vec![Diagnostic::say(
            DiagnosticLevel::Error,
            "f",
            None,
            Localized {
                en: huge.clone(),
                ja: huge.clone(),
            },
        )],
    };
    let text = render(&report, Format::Text, &TextOptions::default());
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 500, "a line of {longest} characters");
    // title (6 + 100 000 characters), source, user, evidence text, diagnostic message.
    assert_eq!(text.matches("... (+99606 chars)").count(), 1, "{text}");
    assert_eq!(text.matches("... (+99600 chars)").count(), 4, "{text}");
    let verbose = render(
        &report,
        Format::Text,
        &TextOptions {
            verbose: true,
            ..TextOptions::default()
        },
    );
    assert_eq!(verbose.matches(huge.as_str()).count(), 5);
    assert!(!verbose.contains("chars)"));
}

#[test]
fn evidence_limit_is_honoured() {
    let report = sample_report();
    // The fixture's SM001 finding has 10 evidence lines.
    // No other finding of the fixture has more than 2 lines, so every "... and" is SM001's.
    for (max_evidence, shown, note) in [
        (0, 0, Some("... and 10 more lines (-v shows all)")),
        (1, 1, Some("... and 9 more lines (-v shows all)")),
        (9, 9, Some("... and 1 more line (-v shows all)")),
        (10, 10, None),
    ] {
        let options = TextOptions {
            max_evidence,
            ..TextOptions::default()
        };
        let text = render(&report, Format::Text, &options);
        let printed = text
            .lines()
            .filter(|l| l.contains("sendmail[7501]"))
            .count();
        assert_eq!(printed, shown, "max_evidence {max_evidence}");
        match note {
            Some(note) => assert_eq!(text.matches(note).count(), 1, "{text}"),
            None => assert!(!text.contains("... and "), "{text}"),
        }
    }
}
