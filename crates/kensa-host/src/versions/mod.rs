//! Server versions read without executing anything, judged against the advisories data
//! file (placeholder: the checks land here).

/// The version checks, in the order they run.
pub(crate) fn checks() -> Vec<crate::Check> {
    Vec::new()
}
