//! # LG002 password-guessing-slow
//!
//! ## What it finds
//! One source with `slow_failures` (default 10) or more failed logins that never made a
//! burst (LG001), spread over at least `slow_min_span_seconds` (default 300 s — below the
//! burst window, so that every run of ten failures is either a burst or this). In practice
//! it is a guesser who keeps under the per-minute thresholds of Wazuh, fail2ban and
//! sshd's `MaxStartups`: one try per connection, every few minutes, for hours or days.
//! Severity is medium, high from 100 failures.
//!
//! Not reported: failures that were forgiven as typos (a login followed soon), and a
//! source whose every failure was for one account that had logged in from there before —
//! a mail client polling with an old password, not a guesser.
//!
//! ## Why it matters
//! Slow guessing is chosen to stay below alarms; it gets as many tries over a holiday
//! week as a burst gets in minutes — the advisory's attacks were frequent "during the
//! year-end holidays", when nobody reads the logs.
//!
//! ## Example
//! ```text
//! Dec 30 23:53:21 shell2 sshd[2211]: Failed password for webmaster from 192.0.2.21 port 51234 ssh2
//! Dec 31 00:31:09 shell2 sshd[4410]: Failed password for sysadmin from 192.0.2.21 port 40218 ssh2
//! ... (one every 20–60 minutes until)
//! Jan  1 09:21:03 shell2 sshd[9342]: Failed password for sys from 192.0.2.21 port 33019 ssh2
//! ```
//!
//! ## What to do
//! As for LG001: (3) check the passwords of the accounts tried, (5) look for a login from
//! the source (LG005, wtmp), block it. Rate limits alone do not stop this guesser.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing

use super::state::{SourceState, seconds_between};
use super::{accounts_text, services_text, source_finding, source_text, span_text};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// From this many failures slow guessing is high severity.
const HIGH_FROM: u64 = 100;

/// LG002: failed logins from one source spread over hours or days.
pub static RULE: Rule = Rule {
    code: "LG002",
    name: "password-guessing-slow",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::Medium,
    title: "Slow password guessing from one source",
    advice: "(3) Make sure no account has a guessable password, starting with those tried; \
             (5) check whether the source logged in (LG005, wtmp). Block the source: rate \
             limits do not stop a guesser this slow.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("lg002_slow.rs"),
};

/// The finding for a slow guesser.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let title = format!(
        "Slow password guessing over {} from {}: {} failed logins against {} over {}",
        services_text(&state.services()),
        source_text(&state.source),
        state.failures(),
        accounts_text(state.users.names.len(), state.users.distinct()),
        span_text(seconds_between(state.first_failure(), state.last_failure())),
    );
    let mut finding = source_finding(&RULE, state, title, &[]);
    if state.failures() >= HIGH_FROM {
        finding.severity = Severity::High;
    }
    finding
}
