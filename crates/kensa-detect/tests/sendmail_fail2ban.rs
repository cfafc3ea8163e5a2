//! The sendmail detector on real sendmail lines: fail2ban's `sendmail-auth` and
//! `sendmail-reject` samples (`corpus/fail2ban-logs/`, sendmail 8.12–8.16 from many
//! systems, logged as `sendmail`, `sm-mta` and `sm-acceptingconnections`).
//!
//! These are SMTP AUTH failures, relay and RBL rejects, EXPN/VRFY refusals and
//! pre-greeting traffic: hostile, but not the advisory's attack — no program or file
//! address, no `/etc/passwd` or `.rhosts`, no `WIZ`/`DEBUG`. (`EXPN root [rejected]` is
//! reconnaissance that every MTA of the last 25 years refuses; it is left to a future
//! rule rather than called a sendmail exploit.) So the detector must stay silent, while
//! the lines must still parse into sendmail records with their queue ids: the counts
//! are pinned so that a parser regression cannot pass unnoticed, and a planted exploit
//! after the real lines must still be found.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::tz::{Offset, TimeZone};
use kensa_detect::sendmail::{SendmailDetector, parse};
use kensa_detect::{Detector, LineRef, Record};
use kensa_logs::syslog;
use kensa_logs::year::YearResolver;
use std::borrow::Cow;

use kensa_testkit::shared_dir;

/// What one sample file gave.
#[derive(Debug, PartialEq, Eq)]
struct Tally {
    sendmail_lines: usize,
    with_qid: usize,
    without_qid: usize,
    findings: usize,
}

/// Feeds every log line of a sample (comments and blank lines skipped) to a fresh
/// detector, then a planted exploit that must be the only finding.
fn run(name: &str) -> Option<Tally> {
    let shared = shared_dir()?;
    let path = shared.join("corpus/fail2ban-logs").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let tz = TimeZone::fixed(Offset::UTC);
    let mut years = YearResolver::new(2005, tz);
    let mut detector = SendmailDetector::default();
    let mut tally = Tally {
        sendmail_lines: 0,
        with_qid: 0,
        without_qid: 0,
        findings: 0,
    };
    let file = format!("corpus/fail2ban-logs/{name}");
    let mut offset = 0u64;
    let planted =
        b"Dec 31 23:59:59 planted sendmail[7496]: AA07496: to=/.rhosts, delay=00:00:01, stat=Sent";
    let lines = bytes
        .split(|&b| b == b'\n')
        .chain(std::iter::once(&planted[..]));
    for (index, raw) in lines.enumerate() {
        let line_offset = offset;
        offset += raw.len() as u64 + 1;
        if raw.is_empty() || raw.first() == Some(&b'#') {
            continue;
        }
        let header =
            syslog::parse(raw).unwrap_or_else(|| panic!("{name}:{}: no syslog header", index + 1));
        let program = header.program;
        assert!(
            matches!(
                program,
                b"sendmail" | b"sm-mta" | b"sm-acceptingconnections"
            ),
            "{name}:{}: program {:?}",
            index + 1,
            String::from_utf8_lossy(program)
        );
        let planted_line = raw == &planted[..];
        if !planted_line {
            tally.sendmail_lines += 1;
            if parse::split_qid(header.message).is_some() {
                tally.with_qid += 1;
            } else {
                tally.without_qid += 1;
            }
        }
        let record = Record {
            at: LineRef {
                file: &file,
                line: index as u64 + 1,
                offset: line_offset,
                raw,
                before: &[],
                journal: None,
            },
            time: years.resolve(&header.stamp),
            host: header
                .host
                .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
            program,
            pid: header.pid,
            message: header.message,
        };
        detector.observe(&record);
    }
    let findings = detector.finish();
    let planted_found = findings
        .iter()
        .filter(|f| f.host == "planted" && f.code == "SM002")
        .count();
    assert_eq!(
        planted_found, 1,
        "{name}: the planted exploit was not found: {findings:?}"
    );
    tally.findings = findings.len() - planted_found;
    Some(tally)
}

#[test]
fn sendmail_auth_failures_are_not_the_advisory_attack() {
    let Some(tally) = run("sendmail-auth") else {
        return;
    };
    assert_eq!(
        tally,
        Tally {
            sendmail_lines: 13,
            with_qid: 13,
            without_qid: 0,
            findings: 0
        }
    );
}

#[test]
fn sendmail_rejects_are_not_the_advisory_attack() {
    let Some(tally) = run("sendmail-reject") else {
        return;
    };
    // The four `ruleset=check_relay` rejects come before any queue id exists.
    assert_eq!(
        tally,
        Tally {
            sendmail_lines: 45,
            with_qid: 41,
            without_qid: 4,
            findings: 0
        }
    );
}
