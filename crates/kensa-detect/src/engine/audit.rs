//! A set of Linux audit logs (`var/log/audit/audit.log.N` … `audit.log`), oldest first.
//!
//! Audit records are not syslog lines, so the log detectors have nothing to read in
//! them; what they hold is logins (`USER_AUTH`, `USER_LOGIN`, …). Until kensa reads those
//! records as authentication events, an audit log found is named in a warning — never
//! passed over in silence — and the host's assessment lists audit logs as not examined.

use super::{ScanConfig, ScanResult, SetOutput, finish_set};
use crate::auth::guessing::GuessingDetectors;
use kensa_core::{Diagnostic, DiagnosticLevel, Progress, tr};
use kensa_logs::source::LogSet;

pub(super) fn read_audit_set(
    set: &LogSet,
    config: &ScanConfig,
    resume: Option<&super::Resume>,
    progress: &dyn Progress,
) -> SetOutput {
    let mut result = ScanResult::default();
    for file in &set.files {
        progress.advance(file.len);
        result.diagnostics.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            file.display.clone(),
            None,
            tr!(
                "Linux audit log: this version of kensa does not read audit records yet; the \
                 logins it records were not examined",
                "Linux の監査ログです。この版の kensa は監査レコードをまだ読めないため、記録された\
                 ログインは調べていません"
            ),
        ));
    }
    let guessing = GuessingDetectors::new(config.guessing.clone());
    finish_set(Vec::new(), guessing, resume, None, result, Vec::new())
}
