//! # LG004 password-spraying
//!
//! ## What it finds
//! One source failing for `spray_accounts` (default 5) or more different accounts, with
//! its first and last failure at most `spray_window_seconds` (default a day) apart, when
//! it is neither a burst (LG001) nor slow guessing (LG002): a few tries — often one
//! common password — against each of many accounts, too few per account and per minute
//! for the other rules.
//!
//! ## Why it matters
//! Spraying bets that among many users one chose `password` or the account name. It
//! stays below per-account lockouts and per-address rates; the list of accounts tried
//! also tells which names the attacker knew (from `finger`, `EXPN`, a stolen
//! `/etc/passwd`).
//!
//! ## Example
//! ```text
//! Jan  5 10:00:01 pop ipop3d[3001]: Login failed user=tanaka auth=tanaka host=x.example.net [192.0.2.9]
//! Jan  5 10:04:40 pop ipop3d[3011]: Login failed user=suzuki auth=suzuki host=x.example.net [192.0.2.9]
//! Jan  5 10:09:12 pop ipop3d[3020]: Login failed user=sato auth=sato host=x.example.net [192.0.2.9]
//! ... (five or more accounts)
//! ```
//!
//! ## What to do
//! (3) Check the passwords of every account listed; (5) look for logins from the source
//! (LG005, wtmp). If the account names are not public, find out where the attacker got
//! them (the advisory's sendmail attack mails `/etc/passwd` out).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.003 Brute Force: Password Spraying

use super::state::{SourceState, seconds_between};
use super::{accounts_text, services_text, source_finding, source_text, span_text};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// LG004: one source, many accounts, few tries each.
pub static RULE: Rule = Rule {
    code: "LG004",
    name: "password-spraying",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Password spraying: one source tried many accounts",
    advice: "(3) Check the passwords of every account tried; (5) look for logins from the \
             source (LG005, wtmp); find out how the attacker learned the account names.",
    status: RuleStatus::Stable,
    title_ja: "",
    advice_ja: "",
    since: "0.1.0",
    source: include_str!("lg004_spraying.rs"),
};

/// The finding for a sprayer.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let title = format!(
        "Password spraying over {} from {}: {} tried, {} failed logins in {}",
        services_text(&state.services()),
        source_text(&state.source),
        accounts_text(state.users.names.len(), state.users.distinct()),
        state.failures(),
        span_text(seconds_between(state.first_failure(), state.last_failure())),
    );
    source_finding(&RULE, state, title, &[])
}
