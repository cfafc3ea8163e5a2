//! Anonymous FTP trees and FTP server configurations (placeholder: the checks land here).

/// The anonymous FTP checks, in the order they run.
pub(crate) fn checks() -> Vec<crate::Check> {
    Vec::new()
}
