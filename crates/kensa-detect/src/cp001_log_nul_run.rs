//! # CP001 — NUL bytes in a log file
//!
//! **What it finds.** Runs of NUL (zero) bytes inside a text log file, with the line
//! where each run starts and its length.
//!
//! **Why it matters.** Log wipers of the lrk/zap family and careless editing overwrite
//! the lines that show an intrusion with zeros in place, so the file keeps its size and
//! its neighbours look untouched. The advisory's step 5 warns that an intruder who broke
//! the administrator's password may have altered the logs. A crash of the machine while
//! syslogd was writing can also leave NULs (the filesystem extended the file but the data
//! never landed), so a run right before a reboot message is less suspicious than one in
//! the middle of a busy day.
//!
//! **Example.** `var/log/auth.log:84124: <355 NUL bytes>` followed, on the same line, by
//! the next intact line.
//!
//! **What to do.** Compare the gap with other copies of the same log (a central loghost,
//! the mail log next to the syslog) and with wtmp; if no crash explains it, treat the
//! host as compromised: intrusion cannot be ruled out (countermeasure (5): rebuild from
//! trusted media and change every password).
//!
//! **References.** JPCERT-E-INF-97-0001 step 5; chkrootkit `chkwtmp`/`chklastlog` for the
//! same idea applied to login records.

use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, Subject};

/// The rule.
pub static RULE: Rule = Rule {
    code: "CP001",
    name: "log-nul-run",
    kind: Kind::LogTampering,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "NUL bytes in a log file (possible log wiping)",
    advice: "Compare the gap with other copies of the log and with wtmp; unless a crash explains it, \
             intrusion cannot be ruled out: rebuild from trusted media and change every password \
             (advisory countermeasures (3) and (5)).",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("cp001_log_nul_run.rs"),
};

/// One finding per file, with one evidence entry per NUL run.
pub fn finding(host: &str, file: &str, runs: Vec<Evidence>) -> Finding {
    let mut finding = Finding::new(&RULE, host);
    finding.subject = Subject {
        path: Some(file.to_string()),
        ..Subject::default()
    };
    finding.count = runs.len() as u64;
    finding.merge_key = file.to_string();
    for run in runs {
        finding.push_evidence(run);
    }
    finding
}
