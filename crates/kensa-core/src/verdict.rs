//! The verdict: one word per host that sums its findings up, and the report model the
//! writers render.
//!
//! The order is the order of urgency: `compromised` (an attack succeeded or a trace of
//! intrusion exists — the advisory's step 5: rebuild), `attacked` (attempts, no success
//! seen), `exposed` (holes open, nobody seen using them), `clean`.

use crate::allow::Accepted;
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
            // An attack that worked, or any trace of intrusion (a wiped log, a trojaned
            // binary, a backdoor): the advisory's step 5 asks whether intrusion can be
            // ruled out, and with such evidence it cannot.
            Outcome::Succeeded | Outcome::Indicator => Verdict::Compromised,
            Outcome::Attempted => Verdict::Attacked,
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
    /// What the verdict means for the host: why, what to do, what was looked at.
    pub assessment: Assessment,
    /// Findings an allow list accepted (`--allow`): outside the verdict, still reported
    /// with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted: Vec<Accepted>,
}

/// What a run looked at, for the assessment's "examined / not examined".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Text log files read.
    pub log_files: u64,
    /// Binary login record files (wtmp, btmp, wtmpdb) read.
    pub login_record_files: u64,
    /// systemd journal files read.
    pub journal_files: u64,
    /// Linux audit log files read.
    pub audit_log_files: u64,
    /// Whether the host's configuration (accounts, trust, FTP, versions …) was audited.
    pub host_audited: bool,
}

/// A part of a host that an assessment did or did not examine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    /// Text logs (syslog, maillog, xferlog …).
    Logs,
    /// Binary login records (wtmp, btmp, lastlog, wtmpdb).
    LoginRecords,
    /// systemd journal files (`var/log/journal`, `run/log/journal`).
    Journal,
    /// Linux audit logs (`var/log/audit/audit.log*`).
    AuditLogs,
    /// The host's files and configuration under the audited root.
    HostConfiguration,
    /// Running processes, memory and network connections: kensa reads files only.
    RunningSystem,
}

/// The evidence-based conclusion for one host (the advisory's step 5): whether intrusion
/// can be ruled out, why not, what to rebuild from, which credentials to change, and
/// what the conclusion rests on. Structured, so writers word it in any language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// True when the verdict is `compromised`: an attack succeeded or a trace of
    /// intrusion exists, so intrusion cannot be ruled out.
    pub intrusion_cannot_be_ruled_out: bool,
    /// The codes of the findings that make it so (succeeded attacks and indicators),
    /// sorted, each once; empty unless compromised.
    pub reasons: Vec<&'static str>,
    /// True when the host must be reinstalled from trusted media and the vendor's
    /// packages — never from this disk or its backups made after the intrusion.
    pub rebuild: bool,
    /// The accounts that had a password on the host, from the audited root's passwd and
    /// shadow (names only); every one must be changed when `rebuild` is true. `None`
    /// when the account files were not read (then: every password that was on it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_passwords: Option<Vec<String>>,
    /// What the verdict rests on.
    pub examined: Vec<Area>,
    /// What it does not rest on (a clean verdict says nothing about these).
    pub not_examined: Vec<Area>,
}

impl Assessment {
    /// The assessment of a host with `findings` and `verdict`, given what was looked at
    /// and, when its account files were read, the accounts that had passwords.
    pub fn new(
        findings: &[Finding],
        verdict: Verdict,
        coverage: &Coverage,
        accounts_with_passwords: Option<Vec<String>>,
    ) -> Assessment {
        let compromised = verdict == Verdict::Compromised;
        let mut reasons: Vec<&'static str> = if compromised {
            findings
                .iter()
                .filter(|f| Verdict::of_finding(f) == Verdict::Compromised)
                .map(|f| f.code)
                .collect()
        } else {
            Vec::new()
        };
        reasons.sort_unstable();
        reasons.dedup();
        let mut examined = Vec::new();
        let mut not_examined = Vec::new();
        for (area, looked) in [
            (Area::Logs, coverage.log_files > 0),
            (Area::LoginRecords, coverage.login_record_files > 0),
            (Area::Journal, coverage.journal_files > 0),
            (Area::AuditLogs, coverage.audit_log_files > 0),
            (Area::HostConfiguration, coverage.host_audited),
            (Area::RunningSystem, false),
        ] {
            if looked {
                examined.push(area);
            } else {
                not_examined.push(area);
            }
        }
        Assessment {
            intrusion_cannot_be_ruled_out: compromised,
            reasons,
            rebuild: compromised,
            change_passwords: accounts_with_passwords,
            examined,
            not_examined,
        }
    }
}

impl HostReport {
    /// Re-assesses the host with what the run looked at and the accounts that had
    /// passwords (when its account files were read).
    pub fn assess(&mut self, coverage: &Coverage, accounts_with_passwords: Option<Vec<String>>) {
        self.assessment = Assessment::new(
            &self.findings,
            self.verdict,
            coverage,
            accounts_with_passwords,
        );
    }
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
            let verdict = Verdict::of_findings(&findings);
            HostReport {
                assessment: Assessment::new(&findings, verdict, &Coverage::default(), None),
                verdict,
                host,
                findings,
                time_zone: None,
                os: None,
                accepted: Vec::new(),
            }
        })
        .collect();
    hosts.sort_by(|a, b| b.verdict.cmp(&a.verdict).then_with(|| a.host.cmp(&b.host)));
    hosts
}

/// Puts each accepted finding under its host (adding a clean host when none of its
/// findings stayed), in the order of the findings.
pub fn attach_accepted(hosts: &mut Vec<HostReport>, accepted: Vec<Accepted>) {
    for accepted in accepted {
        let at = match hosts.iter().position(|h| h.host == accepted.finding.host) {
            Some(at) => at,
            None => {
                hosts.extend(host_reports(
                    Vec::new(),
                    std::slice::from_ref(&accepted.finding.host),
                ));
                hosts.len() - 1
            }
        };
        hosts[at].accepted.push(accepted);
    }
    hosts.sort_by(|a, b| b.verdict.cmp(&a.verdict).then_with(|| a.host.cmp(&b.host)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Kind;
    use crate::rule::{Rule, RuleStatus};

    static LOW_EXPOSURE: Rule = Rule {
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
        let mut finding = Finding::new(&LOW_EXPOSURE, "h");
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

    const fn rule(code: &'static str, outcome: Outcome, severity: Severity) -> Rule {
        Rule {
            code,
            name: "test",
            kind: Kind::LogTampering,
            outcome,
            severity,
            title: "t",
            advice: "a",
            title_ja: "",
            advice_ja: "",
            status: RuleStatus::Stable,
            since: "0.1.0",
            source: "",
        }
    }
    static SUCCEEDED: Rule = rule("SM002", Outcome::Succeeded, Severity::Critical);
    static WEAK_INDICATOR: Rule = rule("CP001", Outcome::Indicator, Severity::Medium);
    static ATTEMPT: Rule = rule("SM001", Outcome::Attempted, Severity::High);
    static EXPOSURE: Rule = rule("VR001", Outcome::Exposure, Severity::High);

    fn on(rule: &'static Rule) -> Finding {
        Finding::new(rule, "mailhub")
    }

    #[test]
    fn any_indicator_or_success_is_compromised() {
        assert_eq!(
            Verdict::of_finding(&on(&WEAK_INDICATOR)),
            Verdict::Compromised
        );
        assert_eq!(Verdict::of_finding(&on(&SUCCEEDED)), Verdict::Compromised);
        assert_eq!(Verdict::of_finding(&on(&ATTEMPT)), Verdict::Attacked);
        assert_eq!(Verdict::of_finding(&on(&EXPOSURE)), Verdict::Exposed);
        assert_eq!(Verdict::of_findings([]), Verdict::Clean);
    }

    #[test]
    fn compromised_assessment_lists_reasons_rebuild_and_accounts() {
        let findings = vec![
            on(&ATTEMPT),
            on(&WEAK_INDICATOR),
            on(&SUCCEEDED),
            on(&SUCCEEDED),
            on(&EXPOSURE),
        ];
        let coverage = Coverage {
            log_files: 3,
            login_record_files: 0,
            journal_files: 0,
            audit_log_files: 2,
            host_audited: true,
        };
        let accounts = Some(vec!["root".to_string(), "alice".to_string()]);
        let a = Assessment::new(&findings, Verdict::Compromised, &coverage, accounts.clone());
        assert!(a.intrusion_cannot_be_ruled_out && a.rebuild);
        assert_eq!(a.reasons, vec!["CP001", "SM002"]);
        assert_eq!(a.change_passwords, accounts);
        assert_eq!(
            a.examined,
            vec![Area::Logs, Area::AuditLogs, Area::HostConfiguration]
        );
        assert_eq!(
            a.not_examined,
            vec![Area::LoginRecords, Area::Journal, Area::RunningSystem]
        );
    }

    #[test]
    fn attacked_and_clean_hosts_are_not_told_to_rebuild() {
        let coverage = Coverage {
            log_files: 1,
            login_record_files: 1,
            journal_files: 1,
            audit_log_files: 0,
            host_audited: false,
        };
        let a = Assessment::new(&[on(&ATTEMPT)], Verdict::Attacked, &coverage, None);
        assert!(!a.intrusion_cannot_be_ruled_out && !a.rebuild);
        assert!(a.reasons.is_empty());
        assert_eq!(
            a.examined,
            vec![Area::Logs, Area::LoginRecords, Area::Journal]
        );
        assert_eq!(
            a.not_examined,
            vec![
                Area::AuditLogs,
                Area::HostConfiguration,
                Area::RunningSystem
            ]
        );
        let mut hosts = host_reports(Vec::new(), &["quiet".to_string()]);
        assert_eq!(hosts[0].verdict, Verdict::Clean);
        hosts[0].assess(&coverage, Some(vec!["root".to_string()]));
        assert!(!hosts[0].assessment.rebuild);
        assert_eq!(
            hosts[0].assessment.examined,
            vec![Area::Logs, Area::LoginRecords, Area::Journal]
        );
    }

    #[test]
    fn assessment_serializes_with_kebab_case_areas() {
        let a = Assessment::new(
            &[on(&SUCCEEDED)],
            Verdict::Compromised,
            &Coverage::default(),
            None,
        );
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["reasons"][0], "SM002");
        assert_eq!(json["not_examined"][0], "logs");
        assert_eq!(json["not_examined"][2], "journal");
        assert_eq!(json["not_examined"][3], "audit-logs");
        assert_eq!(json["not_examined"][5], "running-system");
        assert!(json.get("change_passwords").is_none());
    }
}
