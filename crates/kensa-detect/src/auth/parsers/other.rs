//! Logins outside the advisory's classic services that fail2ban also watches: Webmin,
//! xrdp's session manager and macOS screen sharing. All [`Service::Other`].
//!
//! * webmin: `Invalid login as U from A`, `Non-existent login as U from A`,
//!   `Successful login as U from A` — the source is after the last ` from `.
//! * xrdp-sesman: `[INFO ] AUTHFAIL: user=U ip=A time=N` — anchored at the end
//!   (` ip=A time=N`), so a user carrying `ip=…` (or a fake second record after a
//!   literal `\n`) cannot move the source.
//! * screensharingd: `Authentication: FAILED :: User Name: U :: Viewer Address: A ::
//!   Type: T`, anchored at the last ` :: Viewer Address: `.

use super::Parsed;
use super::text::{basename, host, rsplit_once, split_once};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let name = basename(program);
    if name.starts_with(b"webmin") {
        return webmin(message);
    }
    if name.starts_with(b"xrdp-sesman") {
        return xrdp(message);
    }
    if name.starts_with(b"screensharingd") {
        return screensharing(message);
    }
    None
}

fn webmin(message: &[u8]) -> Option<Parsed<'_>> {
    let (outcome, rest) = if let Some(rest) = message.strip_prefix(b"Invalid login as ") {
        (AuthOutcome::Failure, rest)
    } else if let Some(rest) = message.strip_prefix(b"Non-existent login as ") {
        (AuthOutcome::InvalidUser, rest)
    } else if let Some(rest) = message.strip_prefix(b"Successful login as ") {
        (AuthOutcome::Success, rest)
    } else {
        return None;
    };
    let (user, addr) = rsplit_once(rest, b" from ")?;
    Some(
        Parsed::new(Service::Other, outcome)
            .user(user)
            .source(host(addr)?),
    )
}

fn xrdp(message: &[u8]) -> Option<Parsed<'_>> {
    let (_, rest) = split_once(message, b"AUTHFAIL: user=")?;
    let (head, time) = rsplit_once(rest, b" time=")?;
    if time.is_empty() || !time.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (user, addr) = rsplit_once(head, b" ip=")?;
    Some(
        Parsed::new(Service::Other, AuthOutcome::Failure)
            .user(user)
            .source(host(addr)?),
    )
}

fn screensharing(message: &[u8]) -> Option<Parsed<'_>> {
    let (outcome, rest) = if let Some(rest) = message.strip_prefix(b"Authentication: FAILED :: ") {
        (AuthOutcome::Failure, rest)
    } else if let Some(rest) = message.strip_prefix(b"Authentication: SUCCEEDED :: ") {
        (AuthOutcome::Success, rest)
    } else {
        return None;
    };
    let (head, tail) = rsplit_once(rest, b" :: Viewer Address: ")?;
    let addr = split_once(tail, b" :: ").map_or(tail, |(addr, _)| addr);
    let user = head.strip_prefix(b"User Name: ");
    Some(
        Parsed::new(Service::Other, outcome)
            .user_opt(user)
            .source(host(addr)?),
    )
}
