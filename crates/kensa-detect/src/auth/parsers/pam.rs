//! Linux-PAM's pam_unix, in every form it has been logged in:
//!
//! * modern: `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0
//!   tty=ssh ruser= rhost=1.2.3.4  user=root`
//! * before Linux-PAM 0.99.2: `(pam_unix) authentication failure; …` in the message, or
//!   the module in the program name: `vsftpd(pam_unix)[15522]: authentication failure; …`
//! * bare: `pam_unix: authentication failure; …`, `authentication failure; logname=…`
//! * `N more authentication failures; …` when the service gives up: count N
//! * sessions: `pam_unix(sshd:session): session opened for user U by (uid=0)`, and since
//!   Linux-PAM 1.4 `… for user U(uid=N) by …`
//!
//! The failure line is `key=value` fields in a fixed order with unescaped values:
//! `logname= uid= euid= tty= ruser= rhost= [ user=]`. Only `ruser` and `user` are the
//! client's; the host name cannot contain a space. So `rhost=` is the first ` rhost=`
//! after `ruser=` whose value (one token) is followed by the end, ` user=` or
//! ` [preauth]` — a `ruser` of `x rhost=1.2.3.4` or a `user` of `x rhost=1.2.3.4`
//! cannot win. `user=` is everything after it.

use super::connection::Role;
use super::text::{find, find_all, host, split_once, token, trim_end};
use super::{Parsed, service_of_program};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let (service_name, body) = strip_module(program, message)?;
    let service = service_name.map_or_else(|| service_of_program(program), service_of_pam_name);
    if let Some(fields) = body.strip_prefix(b"authentication failure; ") {
        return failure(service, fields).map(|parsed| parsed.role(Role::PamTry));
    }
    // `2 more authentication failures; logname=…`: the tries after the first, which
    // pam_unix logs once when the service gives up.
    if let Some((n, rest)) = super::text::leading_number(body)
        && let Some(fields) = rest
            .strip_prefix(b" more authentication failures; ")
            .or_else(|| rest.strip_prefix(b" more authentication failure; "))
    {
        return failure(service, fields).map(|parsed| parsed.count(n).role(Role::PamMore));
    }
    if let Some(rest) = body.strip_prefix(b"session opened for user ") {
        let (user, by) = match split_once(rest, b" by ") {
            Some((user, by)) => (user, Some(by)),
            None => (rest, None),
        };
        // Linux-PAM 1.4 and later: `session opened for user kvictim(uid=4242) by …`.
        let user = match user
            .strip_suffix(b")")
            .and_then(|u| split_once(u, b"(uid="))
        {
            Some((name, uid)) if !name.is_empty() && uid.iter().all(u8::is_ascii_digit) => name,
            _ => user,
        };
        let mut parsed = Parsed::new(service, AuthOutcome::Session).user(user);
        // `by tanaka(uid=1001)`: the local user who opened it (su), not `(uid=0)` or `LOGIN`.
        if let Some(by) = by
            && let Some((name, _)) = split_once(by, b"(uid=")
            && !name.is_empty()
            && name != b"LOGIN"
        {
            parsed = parsed.local_user(name);
        }
        return Some(parsed);
    }
    None
}

/// The PAM service named by the module tag, and the text after the tag. None when the
/// line is not pam_unix's.
fn strip_module<'a>(program: &'a [u8], message: &'a [u8]) -> Option<(Option<&'a [u8]>, &'a [u8])> {
    if let Some(rest) = message.strip_prefix(b"pam_unix(") {
        let (tag, body) = split_once(rest, b"): ")?;
        let name = tag.split(|&b| b == b':').next().unwrap_or(tag);
        // `pam_unix(auth)`: no service name, only the type.
        let name =
            (!matches!(name, b"auth" | b"session" | b"account" | b"password")).then_some(name);
        return Some((name, body));
    }
    if let Some(body) = message
        .strip_prefix(b"(pam_unix) ")
        .or_else(|| message.strip_prefix(b"pam_unix: "))
    {
        return Some((None, body));
    }
    if let Some(at) = find(program, b"(pam_unix)") {
        return Some((program.get(..at), message));
    }
    if message.starts_with(b"authentication failure; logname=") {
        return Some((None, message));
    }
    None
}

/// The service a PAM service name stands for (`sshd`, `login`, `vsftpd`, `dovecot`).
fn service_of_pam_name(name: &[u8]) -> Service {
    match name {
        b"login" => Service::Login,
        // Debian's PAM service for logins from telnetd and rlogind.
        b"remote" => Service::Telnet,
        b"pop" | b"pop3" => Service::Pop,
        b"imap" => Service::Imap,
        // dovecot's one PAM service checks IMAP, POP3 and the SMTP AUTH it answers
        // for Postfix alike.
        b"dovecot" => Service::Mail,
        _ => service_of_program(name),
    }
}

/// `logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root`.
pub(crate) fn failure(service: Service, fields: &[u8]) -> Option<Parsed<'_>> {
    let fields = trim_end(fields);
    let ruser_at = find(fields, b"ruser=")?;
    let after_ruser = fields.get(ruser_at + 6..)?;
    let mut found = None;
    // The value of `ruser` may be empty, so the separator may follow `ruser=` at once.
    let candidates = std::iter::once(0usize)
        .filter(|_| after_ruser.starts_with(b"rhost="))
        .map(|_| (0usize, 6usize))
        .chain(find_all(after_ruser, b" rhost=").map(|at| (at, at + 7)));
    for (ruser_end, value_start) in candidates {
        let value = after_ruser.get(value_start..)?;
        let (rhost, rest) = token(value);
        let rest_ok = rest.is_empty()
            || rest == b" [preauth]"
            || rest.starts_with(b" user=")
            || rest.starts_with(b"  user=");
        if rest_ok {
            found = Some((after_ruser.get(..ruser_end)?, rhost, rest));
            break;
        }
    }
    let (ruser, rhost, rest) = found?;
    let user = match split_once(rest, b"user=") {
        Some((_, user)) => Some(user),
        None => (!ruser.is_empty()).then_some(ruser),
    };
    // The local user who ran su or sudo: `logname=` (before `uid=`).
    let logname = fields
        .strip_prefix(b"logname=")
        .and_then(|rest| split_once(rest, b" uid=").map(|(name, _)| name))
        .filter(|name| !name.is_empty());
    // login(1) with a remote host is a telnet (or rlogin) login.
    let service = if service == Service::Login && !rhost.is_empty() {
        Service::Telnet
    } else {
        service
    };
    let mut parsed = Parsed::new(service, AuthOutcome::Failure)
        .user_opt(user)
        .source_opt(if rhost.is_empty() { None } else { host(rhost) });
    if !rhost.is_empty() && parsed.source.is_none() {
        return None;
    }
    if matches!(service, Service::Su | Service::Sudo)
        && let Some(name) = logname.or((!ruser.is_empty()).then_some(ruser))
    {
        parsed = parsed.local_user(name);
    }
    Some(parsed)
}

/// After `PAM `: `N more authentication failures; logname=… rhost=A  user=U` (or `1 more
/// authentication failure;`), which a service (sshd, login) logs for PAM when a
/// connection that failed more than once ends: the tries after PAM's first (see
/// `connection`).
pub(crate) fn more(service: Service, rest: &[u8]) -> Option<Parsed<'_>> {
    let (tries, rest) = super::text::leading_number(rest)?;
    let fields = rest
        .strip_prefix(b" more authentication failures; ")
        .or_else(|| rest.strip_prefix(b" more authentication failure; "))?;
    failure(service, fields).map(|parsed| parsed.count(tries).role(Role::PamMore))
}
