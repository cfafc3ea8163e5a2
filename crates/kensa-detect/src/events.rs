//! A view of what the engine parsed, for `kensa events`: the tool users reach for when
//! asking "why was this line not flagged?" (fail2ban's `fail2ban-regex`, CrowdSec's
//! `cscli explain`).
//!
//! The engine hands every candidate record it reads, and the login event it parsed from
//! it, to the [`EventTap`] of its configuration; nothing else changes: the rules see
//! the same records and give the same findings with a tap as without.

use crate::auth::AuthEvent;
use kensa_logs::record::Record;
use std::sync::Arc;

/// Receives what the engine parsed. Called from the threads that read the sets.
pub trait EventTap: Send + Sync {
    /// Literals of lines the tap wants besides the rules' candidates (e.g. every line of
    /// a login program, to list those that gave no event). Such lines reach only the
    /// tap ([`EventTap::record`] with `ruled` false), never the rules.
    fn extra_needles(&self) -> &[&'static str] {
        &[]
    }

    /// A record of a text log or journal, with the login event it gave, if any;
    /// `ruled`: whether it was one of the rules' candidates (else only the tap's
    /// needles made it one, and nothing parsed it).
    fn record(&self, record: &Record<'_>, event: Option<&AuthEvent>, ruled: bool);

    /// A login event without a record of its own: from an audit log or a binary login
    /// record file.
    fn event(&self, event: &AuthEvent);
}

/// The tap of a [`crate::engine::ScanConfig`].
#[derive(Clone)]
pub struct Tap(pub Arc<dyn EventTap>);

impl std::fmt::Debug for Tap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tap")
    }
}
