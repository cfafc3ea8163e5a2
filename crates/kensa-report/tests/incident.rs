//! The incident report (`--format incident`) and `--mask` on the writers' fixture report:
//! snapshots in both languages and masked, every section present, nothing hostile
//! reaching the reader, and nothing masked left in any format.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{assert_snapshot, render, sample_report};
use kensa_core::{Evidence, ExaminedFile, Report, RunInfo};
use kensa_report::i18n::Lang;
use kensa_report::mask::{MaskInputs, mask};
use kensa_report::{Format, TextOptions};

fn options(lang: Lang) -> TextOptions {
    TextOptions {
        lang,
        ..TextOptions::default()
    }
}

/// The fixture with what the CLI adds: zone, OS, the run, and lines naming local users
/// and internal addresses.
fn report() -> Report {
    let mut report = sample_report();
    for host in &mut report.hosts {
        host.time_zone = Some("Asia/Tokyo".into());
    }
    report.hosts[0].os = Some("SunOS Release 4.1.4 (GENERIC) #2".into());
    let guessing = report.hosts[0]
        .findings
        .iter_mut()
        .find(|f| f.code == "LG001")
        .unwrap();
    guessing.subject.users.push("tanaka".into());
    guessing.push_evidence(Evidence::from_line(
        "var/adm/messages",
        91,
        9450,
        b"Dec 28 04:41:10 mailhub login: LOGIN FAILURE FROM ws01.example.ac.jp (172.16.2.21), tanaka",
        Some(common::jst("1996-12-28T04:41:10")),
    ));
    guessing.push_evidence(Evidence::from_line(
        "home/tanaka/.rhosts",
        1,
        0,
        b"fe80::a00:20ff:fe8a:1 tanaka",
        None,
    ));
    report.run = Some(RunInfo {
        command: [
            "kensa",
            "triage",
            "--root",
            "/mnt/mailhub disk",
            "--format",
            "incident",
        ]
        .map(String::from)
        .to_vec(),
        rules: vec!["FT001", "LG001", "SM001", "SM002"],
        files: vec![
            ExaminedFile {
                file: "var/log/syslog.1".into(),
                lines: 5120,
                bytes: 600_000,
                first: Some(common::jst("1996-12-24T00:00:00")),
                last: Some(common::jst("1997-01-01T00:00:03")),
            },
            ExaminedFile {
                file: "var/adm/messages".into(),
                lines: 95,
                bytes: 9_600,
                first: Some(common::jst("1996-12-28T03:12:44")),
                last: Some(common::jst("1996-12-28T04:41:10")),
            },
        ],
        masked: false,
    });
    report
}

fn inputs() -> MaskInputs {
    MaskInputs {
        users: vec![
            "root".into(),
            "tanaka".into(),
            "sato".into(),
            "guest".into(),
        ],
        hosts: vec!["mailhub".into(), "mailhub.example.ac.jp".into()],
        domains: vec!["example.ac.jp".into()],
    }
}

#[test]
fn incident_report_in_english() {
    let text = render(&report(), Format::Incident, &options(Lang::En));
    assert_snapshot("incident.txt", &text);
    for section in [
        "1. Reporter",
        "2. Affected hosts",
        "3. How it was found",
        "4. What happened",
        "5. Timeline",
        "6. Source addresses",
        "7. Countermeasures",
        "8. Relevant log lines and files (verbatim)",
        "9. Inputs that could not be read",
    ] {
        assert!(text.contains(&format!("\n{section}\n")), "{section}");
    }
    assert!(text.contains("Time zone:      Asia/Tokyo"));
    assert!(text.contains("Did an attack succeed? YES: SM002"));
    // The log lines verbatim, with file and line.
    assert!(text.contains(
        "  var/adm/messages:17: Dec 28 03:12:44 mailhub login: 3 LOGIN FAILURES FROM 198.51.100.23, root"
    ));
    // The shell would need the quotes.
    assert!(text.contains("kensa triage --root '/mnt/mailhub disk' --format incident"));
}

#[test]
fn incident_report_in_japanese() {
    let text = render(&report(), Format::Incident, &options(Lang::Ja));
    assert_snapshot("incident-ja.txt", &text);
    assert!(text.starts_with("インシデント報告\n"));
    assert!(text.contains("\n5. 時系列\n"));
    assert!(text.contains("攻撃は成功したか: はい（SM002）"));
}

#[test]
fn masked_incident_report() {
    let mut report = report();
    let summary = mask(&mut report, &inputs());
    let text = render(&report, Format::Incident, &options(Lang::En));
    assert_snapshot("incident-masked.txt", &text);
    assert!(text.contains("pseudonyms (user-N, internal-N, host-N, domain-N)"));
    assert_eq!(
        summary.users, 2,
        "tanaka and guest; root is a system account"
    );
    assert!(summary.addresses >= 2 && summary.hosts >= 2 && summary.domains == 1);
}

/// Whether `word` stands in `text` as a whole word (case-insensitive).
fn has_word(text: &str, word: &str) -> bool {
    let text = text.to_ascii_lowercase();
    let word = word.to_ascii_lowercase();
    let name =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    text.match_indices(&word).any(|(at, _)| {
        !name(text[..at].chars().next_back()) && !name(text[at + word.len()..].chars().next())
    })
}

#[test]
fn nothing_masked_leaks_in_any_format() {
    let mut report = report();
    mask(&mut report, &inputs());
    let secrets = [
        "tanaka",
        "guest",
        "mailhub",
        "example.ac.jp",
        "ws01",
        "172.16.2.21",
        "fe80::a00:20ff:fe8a:1",
        "mailhub disk",
    ];
    for format in Format::ALL {
        let text = render(&report, format, &options(Lang::En));
        for secret in secrets {
            assert!(!has_word(&text, secret), "{format}: {secret} leaks");
        }
        // Public attacker addresses and system accounts stay.
        for kept in ["192.0.2.7", "198.51.100.23", "evil.example.net", "root"] {
            assert!(has_word(&text, kept), "{format}: {kept} was masked");
        }
    }
    let json = render(&report, Format::Json, &options(Lang::En));
    assert!(json.contains("\"masked\": true"), "{json}");
    assert!(
        !json.contains("raw_hex"),
        "raw bytes would carry the names in hex"
    );
}

#[test]
fn masking_is_stable_across_fields() {
    let mut report = report();
    mask(&mut report, &inputs());
    let host = &report.hosts[0];
    assert_eq!(host.host, "host-1");
    let guessing = host.findings.iter().find(|f| f.code == "LG001").unwrap();
    assert_eq!(guessing.host, "host-1");
    let user = guessing.subject.users.last().unwrap();
    assert!(user.starts_with("user-"), "{user}");
    // The same user is the same pseudonym in the subject, the evidence and a path.
    assert!(
        guessing
            .evidence
            .iter()
            .any(|e| e.text.ends_with(&format!(", {user}")))
    );
    assert!(
        guessing
            .evidence
            .iter()
            .any(|e| e.file == format!("home/{user}/.rhosts"))
    );
    assert!(
        guessing
            .evidence
            .iter()
            .any(|e| e.text.contains("FROM host-2.domain-1 (internal-1)")),
        "{:#?}",
        guessing.evidence
    );
}

#[test]
fn hostile_lines_reach_the_incident_report_inert() {
    let text = render(&report(), Format::Incident, &options(Lang::En));
    assert!(!text.contains('\x1b') && !text.contains('\u{202e}') && !text.contains('\x07'));
    assert!(text.contains(r"to=\x1b[2J\x1b]0;pwned\x07 \u{202e}dwssap/cte/"));
    assert!(
        text.lines().all(|line| line.len() < 998),
        "e-mail line limit"
    );
}

#[test]
fn an_empty_report_still_has_every_section() {
    let report = Report::new("0.1.0-test", Vec::new(), Vec::new());
    let text = render(&report, Format::Incident, &options(Lang::En));
    assert!(text.contains("No host was examined."));
    assert!(text.contains("No attack was found in what was examined."));
    assert!(text.contains("\n9. Inputs that could not be read\n---"));
}
