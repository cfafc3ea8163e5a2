//! JSON Lines: one self-contained JSON object per line, for SIEMs and `jq`.
//!
//! Each line stands alone — a log shipper may split, reorder or drop lines — so every
//! finding line carries its host's name and verdict and the kensa version. Field names
//! follow the Elastic Common Schema (ECS 8.x) where one fits, as nested objects, so the
//! lines can be ingested into Elasticsearch/OpenSearch, and are readable by anything that
//! maps ECS (Wazuh, Graylog, Sentinel's ASIM parsers). Whatever ECS has no field for lives
//! under `kensa.*` with the same names and values as the JSON document.
//!
//! Three kinds of line, told apart by `event.kind`, in this order:
//!
//! 1. per host, most urgent verdict first: one **`state`** line (`event.dataset`
//!    `kensa.verdict`: `host.name`, `kensa.verdict`, `kensa.findings` = how many), so a
//!    clean host is visible too, then one **`alert`** line per finding (`event.dataset`
//!    `kensa.finding`), most severe first;
//! 2. one **`pipeline_error`** line per diagnostic (`event.dataset` `kensa.diagnostic`):
//!    an input kensa could not read. ECS reserves that kind for events about the
//!    processing pipeline itself, which is what a diagnostic is; `log.level`,
//!    `log.file.path`, `error.message` and `kensa.line` say which and why.
//!
//! Mapping of an alert (finding):
//!
//! | field | from |
//! |---|---|
//! | `@timestamp` | `first_seen` (absent when the finding has no time, e.g. a file check) |
//! | `event.kind` | `alert` |
//! | `event.category` | from `kind` (e.g. `sendmail-exploit` → `intrusion_detection`, `email`) |
//! | `event.outcome` | `succeeded` → `success`; `attempted` → `failure` (no success seen); `exposure`, `indicator` → `unknown` (not an attempt) |
//! | `event.severity` | 1 (info) … 5 (critical) |
//! | `event.start`, `event.end` | `first_seen`, `last_seen` |
//! | `rule.id`, `rule.name`, `rule.ruleset` | `code`, the rule's kebab-case name, `kensa` |
//! | `host.name` | `host` |
//! | `source.address`, `source.ip` | `subject.source`; `ip` only when it parses as an IP address |
//! | `destination.address`, `destination.ip`, `destination.port` | `subject.address` and `subject.port` (`kensa probe`: the server probed) |
//! | `user.name` | the user when `subject.users` has exactly one (ECS wants one name) |
//! | `related.user`, `related.ip` | all users; the source IP |
//! | `file.path` | `subject.path` |
//! | `log.file.path` | the first evidence line's file |
//! | `message` | `title` |
//! | `kensa.*` | `kind`, `outcome`, `severity`, `host_verdict`, `count`, `subject`, `evidence`, `advice`, `version` |
//!
//! Strings are escaped as in the JSON document (DEL, C1 and bidi overrides as `\uXXXX`),
//! and lines are compact with keys in a fixed order: the same report gives the same bytes.

use crate::json::{SafeFormatter, write_value};
use kensa_core::{
    Diagnostic, Evidence, Finding, HostReport, Kind, LogTime, Outcome, Report, Severity, Subject,
    Verdict,
};
use serde::Serialize;
use serde_json::ser::CompactFormatter;
use std::io::{self, Write};
use std::net::IpAddr;

/// The ECS version whose field definitions the lines follow.
const ECS_VERSION: &str = "8.11.0";

#[derive(Serialize)]
struct Ecs {
    version: &'static str,
}

const ECS: Ecs = Ecs {
    version: ECS_VERSION,
};

#[derive(Serialize)]
struct Event<'a> {
    kind: &'static str,
    module: &'static str,
    dataset: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    category: &'static [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<&'a LogTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<&'a LogTime>,
}

impl Event<'_> {
    fn plain(kind: &'static str, dataset: &'static str) -> Self {
        Event {
            kind,
            module: "kensa",
            dataset,
            category: &[],
            outcome: None,
            severity: None,
            start: None,
            end: None,
        }
    }
}

#[derive(Serialize)]
struct HostField<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct RuleField<'a> {
    id: &'a str,
    name: &'a str,
    ruleset: &'static str,
}

#[derive(Serialize)]
struct Source<'a> {
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<IpAddr>,
}

#[derive(Serialize)]
struct Destination<'a> {
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<IpAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
}

#[derive(Serialize)]
struct User<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Path<'a> {
    path: &'a str,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<Path<'a>>,
}

#[derive(Serialize)]
struct Related<'a> {
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    user: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    ip: Option<[IpAddr; 1]>,
}

#[derive(Serialize)]
struct KensaAlert<'a> {
    version: &'a str,
    kind: Kind,
    outcome: Outcome,
    severity: Severity,
    host_verdict: Verdict,
    count: u64,
    subject: &'a Subject,
    evidence: &'a [Evidence],
    advice: &'a str,
}

/// A finding as one ECS-shaped line.
#[derive(Serialize)]
struct AlertLine<'a> {
    #[serde(rename = "@timestamp", skip_serializing_if = "Option::is_none")]
    timestamp: Option<&'a LogTime>,
    ecs: &'static Ecs,
    event: Event<'a>,
    rule: RuleField<'a>,
    host: HostField<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<Source<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination: Option<Destination<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<User<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<Path<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log: Option<Log<'a>>,
    #[serde(skip_serializing_if = "Related::is_empty")]
    related: Related<'a>,
    message: &'a str,
    kensa: KensaAlert<'a>,
}

impl Related<'_> {
    fn is_empty(&self) -> bool {
        self.user.is_empty() && self.ip.is_none()
    }
}

#[derive(Serialize)]
struct KensaState<'a> {
    version: &'a str,
    verdict: Verdict,
    findings: usize,
}

/// A host's verdict as one line.
#[derive(Serialize)]
struct StateLine<'a> {
    ecs: &'static Ecs,
    event: Event<'a>,
    host: HostField<'a>,
    message: String,
    kensa: KensaState<'a>,
}

#[derive(Serialize)]
struct ErrorField<'a> {
    message: &'a str,
}

#[derive(Serialize)]
struct KensaDiagnostic<'a> {
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

/// A diagnostic as one line.
#[derive(Serialize)]
struct DiagnosticLine<'a> {
    ecs: &'static Ecs,
    event: Event<'a>,
    log: Log<'a>,
    error: ErrorField<'a>,
    message: String,
    kensa: KensaDiagnostic<'a>,
}

/// Writes `report` as JSON Lines: per host a state line and its alerts, then diagnostics.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for host in &report.hosts {
        write_line(&state_line(report, host), out)?;
        for finding in &host.findings {
            write_line(&alert_line(report, host, finding), out)?;
        }
    }
    for diagnostic in &report.diagnostics {
        write_line(&diagnostic_line(report, diagnostic), out)?;
    }
    Ok(())
}

fn write_line<T: Serialize>(line: &T, out: &mut dyn Write) -> io::Result<()> {
    write_value(line, SafeFormatter(CompactFormatter), &mut *out)?;
    out.write_all(b"\n")
}

fn state_line<'a>(report: &'a Report, host: &'a HostReport) -> StateLine<'a> {
    StateLine {
        ecs: &ECS,
        event: Event::plain("state", "kensa.verdict"),
        host: HostField { name: &host.host },
        message: format!("{}: {}", host.host, host.verdict),
        kensa: KensaState {
            version: report.kensa_version,
            verdict: host.verdict,
            findings: host.findings.len(),
        },
    }
}

fn alert_line<'a>(report: &'a Report, host: &'a HostReport, finding: &'a Finding) -> AlertLine<'a> {
    let subject = &finding.subject;
    let ip = subject
        .source
        .as_deref()
        .and_then(|source| source.parse::<IpAddr>().ok());
    AlertLine {
        timestamp: finding.first_seen.as_ref(),
        ecs: &ECS,
        event: Event {
            kind: "alert",
            module: "kensa",
            dataset: "kensa.finding",
            category: categories(finding.kind),
            outcome: Some(event_outcome(finding.outcome)),
            severity: Some(severity_number(finding.severity)),
            start: finding.first_seen.as_ref(),
            end: finding.last_seen.as_ref(),
        },
        rule: RuleField {
            id: finding.code,
            name: finding.rule.name,
            ruleset: "kensa",
        },
        host: HostField {
            name: &finding.host,
        },
        source: subject
            .source
            .as_deref()
            .map(|address| Source { address, ip }),
        destination: subject.address.as_deref().map(|address| Destination {
            address,
            ip: address.parse().ok(),
            port: subject.port,
        }),
        user: match subject.users.as_slice() {
            [only] => Some(User { name: only }),
            _ => None,
        },
        file: subject.path.as_deref().map(|path| Path { path }),
        log: finding.evidence.first().map(|first| Log {
            level: None,
            file: Some(Path { path: &first.file }),
        }),
        related: Related {
            user: &subject.users,
            ip: ip.map(|ip| [ip]),
        },
        message: &finding.title,
        kensa: KensaAlert {
            version: report.kensa_version,
            kind: finding.kind,
            outcome: finding.outcome,
            severity: finding.severity,
            host_verdict: host.verdict,
            count: finding.count,
            subject,
            evidence: &finding.evidence,
            advice: &finding.advice,
        },
    }
}

fn diagnostic_line<'a>(report: &'a Report, diagnostic: &'a Diagnostic) -> DiagnosticLine<'a> {
    let level = match diagnostic.level {
        kensa_core::DiagnosticLevel::Note => "info",
        kensa_core::DiagnosticLevel::Warning => "warning",
        kensa_core::DiagnosticLevel::Error => "error",
    };
    DiagnosticLine {
        ecs: &ECS,
        event: Event::plain("pipeline_error", "kensa.diagnostic"),
        log: Log {
            level: Some(level),
            file: Some(Path {
                path: &diagnostic.file,
            }),
        },
        error: ErrorField {
            message: &diagnostic.message,
        },
        message: diagnostic.to_string(),
        kensa: KensaDiagnostic {
            version: report.kensa_version,
            line: diagnostic.line,
        },
    }
}

/// ECS `event.category` values (an allowed-values list of ECS) for a kind of finding.
fn categories(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::SendmailExploit => &["intrusion_detection", "email"],
        Kind::PasswordGuessing => &["intrusion_detection", "authentication"],
        Kind::AccountProbing => &["intrusion_detection", "authentication"],
        Kind::AnonFtpWrite => &["configuration", "vulnerability"],
        Kind::AnonFtpUpload => &["intrusion_detection", "file"],
        Kind::AccountWeakness => &["iam", "configuration"],
        Kind::GuessablePassword => &["iam", "vulnerability"],
        Kind::VulnerableVersion => &["vulnerability", "package"],
        Kind::TrustFile => &["configuration", "iam"],
        Kind::Integrity => &["intrusion_detection", "file"],
        Kind::Backdoor => &["intrusion_detection", "malware"],
        Kind::LogTampering => &["intrusion_detection", "file"],
        Kind::RemoteRootLogin => &["authentication", "session"],
        Kind::AnonFtpAccess => &["configuration", "network"],
        Kind::ServerVersion => &["network", "package"],
    }
}

/// ECS `event.outcome`: whether the attack worked, as far as the evidence says.
fn event_outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Succeeded => "success",
        // The logs show the attempt and no success: ECS's "failure" is the honest reading.
        Outcome::Attempted => "failure",
        // An open hole or a trace is not an attempt with an outcome of its own.
        Outcome::Exposure | Outcome::Indicator => "unknown",
    }
}

/// ECS `event.severity` is numeric and source-defined: 1 (info) to 5 (critical).
fn severity_number(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_map_to_the_three_ecs_values() {
        assert_eq!(event_outcome(Outcome::Succeeded), "success");
        assert_eq!(event_outcome(Outcome::Attempted), "failure");
        assert_eq!(event_outcome(Outcome::Exposure), "unknown");
        assert_eq!(event_outcome(Outcome::Indicator), "unknown");
    }

    #[test]
    fn severities_are_numbered_in_order() {
        let numbers: Vec<u8> = Severity::ALL.into_iter().map(severity_number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn every_category_is_an_ecs_allowed_value() {
        // ECS 8.x event.category allowed values.
        const ALLOWED: &[&str] = &[
            "api",
            "authentication",
            "configuration",
            "database",
            "driver",
            "email",
            "file",
            "host",
            "iam",
            "intrusion_detection",
            "library",
            "malware",
            "network",
            "package",
            "process",
            "registry",
            "session",
            "threat",
            "vulnerability",
            "web",
        ];
        let kinds = [
            Kind::SendmailExploit,
            Kind::PasswordGuessing,
            Kind::AccountProbing,
            Kind::AnonFtpWrite,
            Kind::AnonFtpUpload,
            Kind::AccountWeakness,
            Kind::GuessablePassword,
            Kind::VulnerableVersion,
            Kind::TrustFile,
            Kind::Integrity,
            Kind::Backdoor,
            Kind::LogTampering,
            Kind::RemoteRootLogin,
        ];
        for kind in kinds {
            let categories = categories(kind);
            assert!(!categories.is_empty(), "{kind:?}");
            for category in categories {
                assert!(ALLOWED.contains(category), "{kind:?}: {category}");
            }
        }
    }
}
