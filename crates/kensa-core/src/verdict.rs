//! The verdict: one word per host that sums its findings up, and the report model the
//! writers render.
//!
//! The order is the order of urgency: `compromised` (an attack succeeded or a trace of
//! intrusion exists — the advisory's step 5: rebuild), `attacked` (attempts, no success
//! seen), `exposed` (holes open, nobody seen using them), `clean`.

use crate::diagnostic::Diagnostic;
use crate::finding::{Finding, Outcome};
use crate::severity::Severity;
use crate::time::LogTime;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// The verdict on one host, least urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No finding that needs action (only `info` findings, if any).
    Clean,
    /// Holes are open (old sendmail, writable ~ftp, no shadow, guessable passwords).
    Exposed,
    /// Attacks were made; none is seen to have succeeded.
    Attacked,
    /// An attack succeeded or a sign of intrusion exists: intrusion cannot be ruled out.
    Compromised,
}

impl Verdict {
    /// What one finding says about its host.
    pub fn of_finding(finding: &Finding) -> Verdict {
        match finding.outcome {
            Outcome::Succeeded => Verdict::Compromised,
            Outcome::Indicator if finding.severity >= Severity::High => Verdict::Compromised,
            // A weaker trace (say NUL bytes in a log) shows hostile activity, not proof.
            Outcome::Indicator | Outcome::Attempted => Verdict::Attacked,
            // `info` means "worth knowing, no action needed by itself": an inventory fact
            // (say, a server version with no known hole) does not open a hole.
            Outcome::Exposure if finding.severity == Severity::Info => Verdict::Clean,
            Outcome::Exposure => Verdict::Exposed,
        }
    }

    /// The verdict of a set of findings: the most urgent of theirs, `clean` if none.
    pub fn of_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Verdict {
        findings
            .into_iter()
            .map(Verdict::of_finding)
            .max()
            .unwrap_or(Verdict::Clean)
    }

    /// The lowercase word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Exposed => "exposed",
            Verdict::Attacked => "attacked",
            Verdict::Compromised => "compromised",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One host's verdict and findings.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    /// The host name.
    pub host: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Findings, most severe first, then by time.
    pub findings: Vec<Finding>,
    /// The time zone the host's log times were read in (`Asia/Tokyo`, `UTC+09:00`), when
    /// the caller knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The host's operating system as its files state it (e.g. `SunOS 4.1.4`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
}

/// Everything a run found: what every writer renders.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The kensa version that made it.
    pub kensa_version: &'static str,
    /// One entry per host, most urgent verdict first, then by name.
    pub hosts: Vec<HostReport>,
    /// Inputs that could not be read or understood.
    pub diagnostics: Vec<Diagnostic>,
    /// How the report was made and what was examined, when the caller recorded it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunInfo>,
}

impl Report {
    /// A report without run information (add it with [`Report::run`] when known).
    pub fn new(
        kensa_version: &'static str,
        hosts: Vec<HostReport>,
        diagnostics: Vec<Diagnostic>,
    ) -> Report {
        Report {
            kensa_version,
            hosts,
            diagnostics,
            run: None,
        }
    }
}

/// How a report was made: the command, the rules that ran, and what was read. This is
/// what an incident report's "how it was found" and "what was examined" say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunInfo {
    /// The command line, one argument per element (`kensa triage --root /mnt/img`).
    pub command: Vec<String>,
    /// The codes of the rules that ran, sorted.
    pub rules: Vec<&'static str>,
    /// The log and login-record files read, in the order they were scanned.
    pub files: Vec<ExaminedFile>,
    /// Whether user names, internal addresses and host names were replaced with
    /// pseudonyms (`--mask`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

/// One file kensa read, and what it covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExaminedFile {
    /// The file, relative to the audited root when under it.
    pub file: String,
    /// Lines read (0 for binary login records).
    pub lines: u64,
    /// Bytes read, decompressed.
    pub bytes: u64,
    /// The earliest time a line of the file stated, as far as kensa read times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<LogTime>,
    /// The latest time a line of the file stated: its last stamped line for a plain file;
    /// for a compressed one the latest of the lines kensa examined and the first line of
    /// each megabyte (so up to a megabyte of lines at its end may be later).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<LogTime>,
}

/// Groups findings by host and gives each host its verdict. `known_hosts` are hosts that
/// were examined and must appear even when clean (e.g. the audited root's own name).
/// Output is deterministic whatever order the findings came in.
pub fn host_reports(findings: Vec<Finding>, known_hosts: &[String]) -> Vec<HostReport> {
    let mut by_host: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for host in known_hosts {
        by_host.entry(host.clone()).or_default();
    }
    for finding in findings {
        by_host
            .entry(finding.host.clone())
            .or_default()
            .push(finding);
    }
    let mut hosts: Vec<HostReport> = by_host
        .into_iter()
        .map(|(host, mut findings)| {
            findings.sort_by(|a, b| {
                b.severity
                    .cmp(&a.severity)
                    .then(a.first_seen.cmp(&b.first_seen))
                    .then(a.code.cmp(b.code))
                    .then_with(|| a.merge_key.cmp(&b.merge_key))
            });
            HostReport {
                verdict: Verdict::of_findings(&findings),
                host,
                findings,
                time_zone: None,
                os: None,
            }
        })
        .collect();
    hosts.sort_by(|a, b| b.verdict.cmp(&a.verdict).then_with(|| a.host.cmp(&b.host)));
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Kind;
    use crate::rule::{Rule, RuleStatus};

    static EXPOSURE: Rule = Rule {
        code: "XX001",
        name: "x",
        kind: Kind::ServerVersion,
        outcome: Outcome::Exposure,
        severity: Severity::Low,
        title: "t",
        advice: "a",
        title_ja: "",
        advice_ja: "",
        status: RuleStatus::Preview,
        since: "0.1.0",
        source: "",
    };

    #[test]
    fn info_exposures_leave_a_host_clean() {
        let mut finding = Finding::new(&EXPOSURE, "h");
        assert_eq!(Verdict::of_finding(&finding), Verdict::Exposed);
        finding.severity = Severity::Info;
        assert_eq!(Verdict::of_finding(&finding), Verdict::Clean);
        let reports = host_reports(vec![finding], &[]);
        assert_eq!(reports[0].verdict, Verdict::Clean);
        assert_eq!(
            reports[0].findings.len(),
            1,
            "the finding is still reported"
        );
    }
}
