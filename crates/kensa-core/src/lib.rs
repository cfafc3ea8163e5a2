//! The model every kensa layer shares.
//!
//! Data flows one way: sources → lines → records → detectors/checks → **findings** →
//! verdict → reports. This crate holds the types at the centre of that flow — a
//! [`Finding`] and its [`Evidence`], the [`Rule`] each finding is an instance of, the
//! [`Diagnostic`]s that say which input could not be read, and the [`Verdict`] that sums
//! a host's findings up. It depends on nothing but `jiff` and `serde`, so detectors,
//! host checks and report writers can all agree on it without knowing each other.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod allow;
mod diagnostic;
mod finding;
mod lang;
mod progress;
mod rule;
mod severity;
mod time;
mod verdict;

pub use allow::{Accepted, AllowEntry, AllowList, glob_matches};
pub use diagnostic::{Diagnostic, DiagnosticLevel, MessageCode, fill_template};
pub use finding::{Evidence, Finding, JournalEntryRef, Kind, Outcome, Subject};
pub use lang::{Lang, Localized, LocalizedError, error_text};
pub use progress::{NoProgress, Progress};
pub use rule::{JA_MARKER, Rule, RuleStatus};
pub use severity::Severity;
pub use time::LogTime;
pub use verdict::{
    Area, Assessment, Coverage, ExaminedFile, HostReport, Report, RunInfo, Verdict,
    attach_accepted, host_reports,
};

/// The version printed in reports (`kensa_version`).
pub const KENSA_VERSION: &str = env!("CARGO_PKG_VERSION");
