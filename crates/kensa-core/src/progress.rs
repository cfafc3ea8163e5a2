//! Progress of long work (a log scan, a password audit), reported to whoever shows it.
//!
//! The work knows how much it has to do and how far it is; only the command line knows
//! whether anyone is watching (a terminal on standard error, no `-q`). This trait is the
//! seam between the two: the work calls it, the CLI draws a bar or does nothing. It is
//! called from worker threads, so implementations are `Sync` and cheap.

/// Receives progress in units the work chooses (bytes for a scan, candidates for a
/// password audit).
pub trait Progress: Sync {
    /// Announces `total` more units of work (may be called more than once).
    fn add_total(&self, total: u64);
    /// `done` more units are finished.
    fn advance(&self, done: u64);
}

/// Progress nobody watches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn add_total(&self, _total: u64) {}
    fn advance(&self, _done: u64) {}
}
