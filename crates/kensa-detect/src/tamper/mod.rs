//! Signs that logs and login records were tampered with (the advisory's step 5: "logs
//! may have been altered"), beyond the NUL runs the main scan notices (CP001):
//!
//! - binary login records ([`login`]): zeroed records between valid ones (CP002), records
//!   out of time order (CP003), a file cut inside a record (CP004), wtmp logins that
//!   lastlog does not know (CP005);
//! - text logs ([`timeline`]): silences far longer than the log's own rhythm (CP006),
//!   time going backwards (CP007), rotation sets normal rotation cannot make (CP008).
//!
//! Each check is judged against a benign twin it must not confuse with tampering: free
//! utmp slots, a crash's trailing zeros, clock changes the system recorded, users who
//! never logged in, FTP and `su` sessions, a quiet night, a reboot, normal rotation.
//! Without a saved state of the previous run (`--state`) kensa cannot tell that a file
//! *shrank*; it judges what one snapshot shows.

pub mod cp002_wtmp_zeroed_records;
pub mod cp003_login_records_out_of_order;
pub mod cp004_login_record_truncated;
pub mod cp005_lastlog_mismatch;
pub mod cp006_log_time_gap;
pub mod cp007_log_time_backwards;
pub mod cp008_log_rotation_anomaly;
pub mod login;
pub mod timeline;

pub use login::{LoginCheckInput, check_login_records};

use kensa_core::Rule;

/// The rules of this module.
pub static RULES: &[&Rule] = &[
    &cp002_wtmp_zeroed_records::RULE,
    &cp003_login_records_out_of_order::RULE,
    &cp004_login_record_truncated::RULE,
    &cp005_lastlog_mismatch::RULE,
    &cp006_log_time_gap::RULE,
    &cp007_log_time_backwards::RULE,
    &cp008_log_rotation_anomaly::RULE,
];

/// The codes of the text-log time-line checks, for `--select`.
pub const TIMELINE_CODES: [&str; 3] = ["CP006", "CP007", "CP008"];
/// The codes of the login-record checks, for `--select`.
pub const LOGIN_CODES: [&str; 4] = ["CP002", "CP003", "CP004", "CP005"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_in_both_languages() {
        for rule in RULES {
            let doc = rule.doc();
            for section in [
                "**What it finds.**",
                "**Why it matters.**",
                "**Example.**",
                "**What to do.**",
                "**References.**",
            ] {
                assert!(doc.contains(section), "{}: {section}", rule.code);
            }
            assert!(
                doc.starts_with(&format!("# {} — ", rule.code)),
                "{}",
                rule.code
            );
            let ja = rule
                .doc_ja()
                .unwrap_or_else(|| panic!("{}: no Japanese doc", rule.code));
            for section in [
                "**検出内容.**",
                "**重要な理由.**",
                "**例.**",
                "**対処.**",
                "**参考.**",
            ] {
                assert!(ja.contains(section), "{}: {section}", rule.code);
            }
            assert!(
                !rule.title_ja.is_empty() && !rule.advice_ja.is_empty(),
                "{}",
                rule.code
            );
            assert!(rule.code.starts_with("CP"));
        }
        let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let expected: Vec<&str> = LOGIN_CODES.iter().chain(&TIMELINE_CODES).copied().collect();
        assert_eq!(codes, expected);
    }
}
