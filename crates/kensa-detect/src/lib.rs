//! Log detectors and the engine that feeds them.
//!
//! A detector declares the literal strings its lines must contain ([`Detector::needles`]);
//! the engine builds one automaton from all enabled detectors' needles, frames lines,
//! and parses only the lines that contain a needle. Each detector then sees, per rotation
//! set and in file order, the [`Record`]s of those lines, keeps bounded state of its own,
//! and returns its findings when the set is done. Detectors never print and never read
//! files; the engine never judges.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod address;
pub mod auth;
mod cp001_log_nul_run;
pub mod engine;
pub mod events;
pub mod ftp_upload;
pub mod login_records;
pub mod sendmail;
pub mod tamper;
#[cfg(test)]
mod test_support;

use kensa_core::{Finding, Rule};
pub use kensa_logs::record::{LineRef, Record};

/// A log detector.
pub trait Detector: Send {
    /// Literals (case-sensitive) of which every line the detector wants contains at
    /// least one. Keep them specific: every line that matches one is parsed.
    fn needles(&self) -> &'static [&'static str];

    /// One candidate line, in file order (oldest file first) within a rotation set.
    fn observe(&mut self, record: &Record<'_>);

    /// The set is done: the findings so far. The detector is dropped afterwards.
    fn finish(&mut self) -> Vec<Finding>;

    /// The rules whose findings this detector makes (for `--select`).
    fn rules(&self) -> &'static [&'static Rule];

    /// The open correlation state (messages not yet delivered, windows still open) as
    /// JSON, for an incremental run to save before [`Detector::finish`]; `None` for a
    /// detector whose lines stand alone.
    fn save_state(&self) -> Option<String> {
        None
    }

    /// Continues from a state [`Detector::save_state`] gave, before the first line.
    fn restore_state(&mut self, state: &str) -> Result<(), String> {
        let _ = state;
        Ok(())
    }
}

/// Makes a fresh set of all log detectors (one set per rotation set).
pub fn all_detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(sendmail::SendmailDetector::default()),
        Box::new(ftp_upload::FtpUploadDetector::default()),
    ]
}

/// Every rule of this crate, for `kensa rules` and `kensa explain`.
pub fn rules() -> Vec<&'static Rule> {
    let mut rules = vec![&cp001_log_nul_run::RULE];
    rules.extend(sendmail::RULES.iter().copied());
    rules.extend(ftp_upload::RULES.iter().copied());
    rules.extend(auth::guessing::RULES.iter().copied());
    rules.extend(tamper::RULES.iter().copied());
    rules
}
