//! Shared fixtures of the writer tests: a hand-built report with the cases the writers
//! must get right (two hosts with findings and a clean one, a time span and no time at
//! all, evidence past the shown limit, non-UTF-8 and hostile evidence, a long advice, a
//! diagnostic of each kind), rules made for it, and the snapshot comparison.
#![allow(dead_code)]
// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::Timestamp;
use jiff::tz::Offset;
use kensa_core::{
    Diagnostic, DiagnosticLevel, Evidence, Finding, Kind, LogTime, Outcome, Report, Rule,
    RuleStatus, Severity, host_reports,
};
use std::path::PathBuf;

pub static SM001: Rule = Rule {
    code: "SM001",
    name: "sendmail-exploit-attempt",
    kind: Kind::SendmailExploit,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Sendmail exploit attempt",
    advice: "Upgrade sendmail to 8.8.4 or later (advisory step 1) and check whether any message of the \
             attack was delivered.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: "//! # SM001 sendmail-exploit-attempt\n//!\n//! ## What it finds\n//! Mail addressed to \
             programs or to `/etc/passwd`.\n//!\n//! ## What to do\n//! Upgrade sendmail.\n\nfn x() {}\n",
};

pub static SM002: Rule = Rule {
    code: "SM002",
    name: "sendmail-exploit-succeeded",
    kind: Kind::SendmailExploit,
    outcome: Outcome::Succeeded,
    severity: Severity::Critical,
    title: "Sendmail exploit likely succeeded",
    advice: "Treat the host as compromised: the password file has probably left it. Change every user's \
             password (advisory step 3), use shadow passwords (step 4), and rebuild the system (step 5).",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: "//! # SM002\n",
};

pub static LG001: Rule = Rule {
    code: "LG001",
    name: "password-guessing-burst",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::Medium,
    title: "Password guessing over TELNET/FTP",
    advice: "Block the source, make sure no account has a guessable password (advisory step 3), and check \
             for a successful login from the same source after the failures.",
    status: RuleStatus::Preview,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: "",
};

pub static FT001: Rule = Rule {
    code: "FT001",
    name: "anon-ftp-root-writable",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Anonymous FTP root is writable",
    advice: "Make ~ftp and its subdirectories owned by root and not writable by ftp (advisory step 2).",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: "",
};

/// Every rule of the fixture.
pub fn rules() -> Vec<&'static Rule> {
    vec![&SM002, &SM001, &LG001, &FT001]
}

/// A local time of the fixture hosts (UTC+09:00, as in Japan).
pub fn jst(local: &str) -> LogTime {
    let instant: Timestamp = format!("{local}+09:00").parse().expect("fixture time");
    LogTime::new(instant, Offset::from_hours(9).expect("offset"))
}

fn line(file: &str, line: u64, offset: u64, raw: &[u8], time: Option<&str>) -> Evidence {
    Evidence::from_line(file, line, offset, raw, time.map(jst))
}

/// The report every snapshot renders.
pub fn sample_report() -> Report {
    let mut succeeded = Finding::new(&SM002, "mailhub");
    succeeded.subject.source = Some("192.0.2.7".into());
    succeeded.subject.users = vec!["|sed -e '1,/^$/d' | /bin/sh".into()];
    succeeded.subject.message_id = Some("AA07496".into());
    succeeded.count = 1;
    for (n, (text, time)) in [
        (
            "Dec 31 23:59:59 mailhub sendmail[7496]: AA07496: from=<>, size=412, class=0, received from \
             evil.example.net (192.0.2.7)",
            "1996-12-31T23:59:59",
        ),
        ("Jan  1 00:00:03 mailhub sendmail[7497]: AA07496: to=\"|sed -e '1,/^$/d' | /bin/sh\", delay=00:00:04, stat=Sent", "1997-01-01T00:00:03"),
    ]
    .into_iter()
    .enumerate()
    {
        succeeded.push_evidence(line("var/log/syslog.1", 4100 + n as u64, 512_000 + 130 * n as u64, text.as_bytes(), Some(time)));
    }

    let mut attempt = Finding::new(&SM001, "mailhub");
    attempt.subject.source = Some("evil.example.net".into());
    attempt.subject.message_id = Some("AA07501".into());
    attempt.count = 10;
    for n in 0..10u64 {
        let raw: Vec<u8> = match n {
            // Latin-1 é: not UTF-8, so the text is lossy and the raw bytes are kept.
            3 => b"Dec 31 23:50:03 mailhub sendmail[7501]: AA07501: to=/etc/passwd, caf\xe9".to_vec(),
            // An attacker's attempt to clear the screen and reverse the line on the reader's terminal.
            5 => "Dec 31 23:50:05 mailhub sendmail[7501]: AA07501: to=\x1b[2J\x1b]0;pwned\x07 \u{202e}dwssap/cte/"
                .as_bytes()
                .to_vec(),
            _ => format!("Dec 31 23:50:0{n} mailhub sendmail[7501]: AA07501: to=/etc/passwd, stat=User unknown")
                .into_bytes(),
        };
        let time = format!("1996-12-31T23:50:0{n}");
        attempt.push_evidence(line(
            "var/log/syslog.1",
            4000 + n,
            500_000 + 100 * n,
            &raw,
            Some(&time),
        ));
    }

    let mut guessing = Finding::new(&LG001, "mailhub");
    guessing.subject.source = Some("198.51.100.23".into());
    guessing.subject.users = vec!["root".into(), "guest".into(), "ftp".into()];
    guessing.count = 57;
    guessing.push_evidence(line(
        "var/adm/messages",
        17,
        1803,
        b"Dec 28 03:12:44 mailhub login: 3 LOGIN FAILURES FROM 198.51.100.23, root",
        Some("1996-12-28T03:12:44"),
    ));
    guessing.push_evidence(line(
        "var/adm/messages",
        90,
        9377,
        b"Dec 28 04:40:02 mailhub ftpd[311]: FTP LOGIN FAILED FROM 198.51.100.23, guest",
        Some("1996-12-28T04:40:02"),
    ));

    let mut writable = Finding::new(&FT001, "ftp");
    writable.subject.path = Some("/home/ftp".into());
    writable.subject.users = vec!["ftp".into()];
    writable.count = 1;
    writable.push_evidence(Evidence {
        text_ja: None,
        file: "home/ftp".into(),
        line: 0,
        offset: 0,
        text: "directory mode 0777, owner ftp".into(),
        raw_hex: None,
        time: None,
        journal: None,
    });

    Report {
        run: None,
        kensa_version: "0.1.0-test",
        hosts: host_reports(
            vec![guessing, writable, attempt, succeeded],
            &["www".to_string()],
        ),
        diagnostics: vec![
            Diagnostic::say(
                DiagnosticLevel::Warning,
                "var/log/syslog.3.gz",
                None,
                kensa_core::tr!(
                    "gzip stream truncated after 1048576 bytes; the lines before it were read",
                    "gzip データが 1048576 バイト目以降で途切れています。それより前の行は読みました"
                ),
            ),
            Diagnostic::say(
                DiagnosticLevel::Note,
                "var/adm/messages",
                Some(412),
                kensa_core::tr!(
                    "line longer than 65536 bytes; kept the first 65536",
                    "65536 バイトを超える行です。先頭 65536 バイトだけを保持しました"
                ),
            ),
        ],
    }
}

/// Renders with `kensa_report::write_report`.
pub fn render(
    report: &Report,
    format: kensa_report::Format,
    options: &kensa_report::TextOptions,
) -> String {
    let mut out = Vec::new();
    kensa_report::write_report(report, format, options, &mut out).expect("writing to a Vec");
    String::from_utf8(out).expect("writers write UTF-8")
}

/// Compares `actual` with `tests/snapshots/<name>`; with `UPDATE_SNAPSHOTS=1` rewrites it.
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("writing snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the snapshot at line {} (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{}\n--- actual\n{}",
            first_difference + 1,
            expected.lines().nth(first_difference).unwrap_or("<end>"),
            actual.lines().nth(first_difference).unwrap_or("<end>"),
        );
    }
}

/// `/work/shared`, or `None` (after saying so) when absent and not required.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("KENSA_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
    };
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
        panic!(
            "{}/corpus not found and KENSA_REQUIRE_SHARED is set",
            dir.display()
        );
    }
    println!("skipped: ../shared/corpus not found");
    None
}
