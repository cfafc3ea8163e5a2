//! Host trust files (family `TR`): `.rhosts`, `hosts.equiv` and the mail aliases that
//! run programs — the files the advisory's sendmail attack wrote to (`+ +` into
//! `/.rhosts`) and the holes that let anyone in without a password.

/// The trust checks, in the order they run.
pub(crate) fn checks() -> Vec<crate::Check> {
    Vec::new()
}
