//! su(1) on BSD, SunOS and Linux, and sudo(8).
//!
//! su has no remote source: the "source" of a guess is the local user who ran it, kept
//! in `local_user`; `user` is the account su tried to become.
//!
//! * 4.3/4.4BSD: `BAD SU tanaka to root on /dev/ttyp3` (failure), `tanaka to root on
//!   /dev/ttyp3` (success, program `su`).
//! * SunOS 4 / Solaris: `'su root' failed for tanaka on /dev/ttyp3`, `'su root'
//!   succeeded for tanaka on /dev/ttyp3`; sulog style `+ ttyp0 tanaka-root` / `- …`.
//! * Linux shadow/util-linux: `FAILED SU (to root) tanaka on /dev/pts/0`, `Successful
//!   su for root by tanaka`, `+ /dev/pts/0 tanaka:root`, `- /dev/pts/0 tanaka:root`.
//! * AIX/IRIX: `failed: ttyq4 changing from tanaka to root`.
//! * OpenBSD doas: `failed auth for tanaka` (service sudo, target not logged).
//! * sudo: `tanaka : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/ ; USER=root ;
//!   COMMAND=/bin/sh` (count 3).

use super::Parsed;
use super::text::{basename, find, rsplit_once, split_once, token};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let name = basename(program);
    if name == b"sudo" {
        return sudo(message);
    }
    if name == b"doas" {
        // OpenBSD doas: `failed auth for tanaka` (the target is not logged).
        let local = message.strip_prefix(b"failed auth for ")?;
        return Some(Parsed::new(Service::Sudo, AuthOutcome::Failure).local_user(local));
    }
    if name != b"su" && !program.is_empty() {
        return None;
    }
    if let Some(rest) = message.strip_prefix(b"BAD SU ") {
        let (local, target) = su_to(rest)?;
        return Some(su_event(AuthOutcome::Failure, target, local));
    }
    if let Some(rest) = message.strip_prefix(b"FAILED SU (to ") {
        let (target, rest) = split_once(rest, b") ")?;
        let (local, _tty) = rsplit_once(rest, b" on ")?;
        return Some(su_event(AuthOutcome::Failure, target, local));
    }
    if let Some(rest) = message.strip_prefix(b"'su ") {
        let (target, rest) = split_once(rest, b"' ")?;
        let (outcome, rest) = if let Some(rest) = rest.strip_prefix(b"failed for ") {
            (AuthOutcome::Failure, rest)
        } else if let Some(rest) = rest.strip_prefix(b"succeeded for ") {
            (AuthOutcome::Success, rest)
        } else {
            return None;
        };
        let local = rsplit_once(rest, b" on ").map_or(rest, |(local, _)| local);
        return Some(su_event(outcome, target, local));
    }
    if let Some(rest) = message.strip_prefix(b"failed: ") {
        // AIX/IRIX style: `failed: ttyq4 changing from LOCAL to TARGET`.
        let (_tty, rest) = token(rest);
        let rest = rest.strip_prefix(b" changing from ")?;
        let (local, target) = rsplit_once(rest, b" to ")?;
        return Some(su_event(AuthOutcome::Failure, target, local));
    }
    if let Some(rest) = message.strip_prefix(b"Successful su for ") {
        let (target, local) = rsplit_once(rest, b" by ")?;
        return Some(su_event(AuthOutcome::Success, target, local));
    }
    if program.is_empty() {
        return None;
    }
    // sulog style: `+ TTY FROM-TO` or `+ TTY FROM:TO`; `-` is a failure.
    if let Some((sign, rest)) = message.split_first()
        && matches!(sign, b'+' | b'-')
        && let Some(rest) = rest.strip_prefix(b" ")
    {
        let (_tty, pair) = token(rest);
        let pair = pair.strip_prefix(b" ")?;
        let split = find(pair, b":").or_else(|| find(pair, b"-"))?;
        let (local, target) = (pair.get(..split)?, pair.get(split + 1..)?);
        if local.is_empty() || target.is_empty() || target.contains(&b' ') {
            return None;
        }
        let outcome = if *sign == b'+' {
            AuthOutcome::Success
        } else {
            AuthOutcome::Failure
        };
        return Some(su_event(outcome, target, local));
    }
    // BSD success: `tanaka to root on /dev/ttyp3`.
    let (local, target) = su_to(message)?;
    if local.contains(&b' ') {
        return None;
    }
    Some(su_event(AuthOutcome::Success, target, local))
}

/// `LOCAL to TARGET on TTY`.
fn su_to(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let (head, _tty) = rsplit_once(rest, b" on ")?;
    let (local, target) = rsplit_once(head, b" to ")?;
    Some((local, target))
}

fn su_event<'a>(outcome: AuthOutcome, target: &'a [u8], local: &'a [u8]) -> Parsed<'a> {
    Parsed::new(Service::Su, outcome)
        .user(target)
        .local_user(local)
}

/// `U : N incorrect password attempts ; TTY=… ; USER=root ; …`.
fn sudo(message: &[u8]) -> Option<Parsed<'_>> {
    let (local, rest) = split_once(message, b" : ")?;
    let rest = super::text::trim_start(rest);
    let (count, rest) = super::text::leading_number(rest)?;
    if !rest.starts_with(b" incorrect password attempt") {
        return None;
    }
    let target = find(rest, b" ; USER=")
        .and_then(|at| rest.get(at + 8..))
        .map(|t| split_once(t, b" ;").map_or(t, |(user, _)| user));
    let mut parsed = Parsed::new(Service::Sudo, AuthOutcome::Failure)
        .local_user(local)
        .count(count);
    parsed.user = target;
    Some(parsed)
}
