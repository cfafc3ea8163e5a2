//! login(1) in its 4.3BSD, 4.4BSD, SunOS, util-linux and shadow forms, Kerberos
//! rlogind's failures and Solaris BSM's failed login sessions.
//!
//! A remote host in the message (`FROM h`) means telnet (or rlogin, which login cannot
//! tell apart); none means the console.
//!
//! * util-linux / shadow: `FAILED LOGIN 1 FROM h FOR u, Authentication failure`,
//!   `FAILED LOGIN (1) on 'ttyp0' FROM 'h' FOR 'u', Authentication failure`, shadow 4.x
//!   `FAILED LOGIN (1) on '/dev/pts/0' from 'h' FOR 'u', Authentication failure` (its
//!   `FOR 'UNKNOWN'` names no account: the user is left unknown),
//!   `FAILED LOGIN 1 ON tty1 FOR u, …`; `TOO MANY LOGIN TRIES (5) FROM h FOR u, …`
//!   (summary: count 0).
//! * 4.4BSD: `3 LOGIN FAILURES FROM h, u` (count 3), `1 LOGIN FAILURE ON ttyv0, u`,
//!   `REPEATED LOGIN FAILURES ON ttyp0 FROM h, u` (summary next to the count line:
//!   count 0); `ROOT LOGIN REFUSED ON ttyp0 FROM h`.
//! * SunOS 4: `REPEATED LOGIN FAILURES ON ttyp5 FROM host16` — no user, the host cut to
//!   16 characters, logged once after the fifth failure: count 5.
//! * successes: `LOGIN ON ttyp0 BY u FROM h`, `ROOT LOGIN ON tty1 [FROM h]`, `ROOT LOGIN
//!   ttyp0 FROM h` (4.3BSD).
//! * Solaris `var/adm/loginlog` lines, which the log reader hands on as login's message
//!   `NAME:/dev/TTY` ([`kensa_logs::loginlog`]): one failed try each.
//!
//! A line with no remote host names the terminal the password was typed at: that
//! terminal is the one trying (`local_user`; the guessing rules call it `tty:tty1`), so
//! that a run of wrong passwords at the console or on one serial line, and a login there
//! after it, are judged like those of one address.
//!
//! The reason after `, ` in util-linux lines is login's own text; the user is between
//! ` FOR ` and the last `, ` — so a user `x, y` keeps its comma only if no reason
//! follows, which login always writes.

use super::Parsed;
use super::connection::Role;
use super::text::{basename, host, leading_number, rsplit_once, split_once, token, trim_end};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if let Some(parsed) = kerberos_rlogin(program, message) {
        return Some(parsed);
    }
    if let Some(parsed) = solaris_bsm(program, message) {
        return Some(parsed);
    }
    if let Some(parsed) = loginlog(program, message) {
        return Some(parsed);
    }
    // util-linux login logs its root logins with the ident `-- root` (a space inside),
    // which the header parser leaves in the message.
    let message = match message.strip_prefix(b"-- ") {
        Some(rest) if program.is_empty() => split_once(rest, b": ").map_or(message, |(_, m)| m),
        _ => message,
    };
    let first = *message.first()?;
    if !(first.is_ascii_uppercase() || first.is_ascii_digit()) {
        return None;
    }
    if is_login(program)
        && let Some(rest) = message.strip_prefix(b"PAM ")
    {
        return super::pam::more(Service::Login, rest);
    }
    if let Some(rest) = message.strip_prefix(b"FAILED LOGIN ") {
        return failed_login(rest, 1).map(|parsed| parsed.role(Role::DaemonTry));
    }
    if let Some(rest) = message.strip_prefix(b"TOO MANY LOGIN TRIES ") {
        return failed_login(rest, 0).map(|parsed| parsed.role(Role::End));
    }
    if let Some(rest) = message.strip_prefix(b"REPEATED LOGIN FAILURES ON ") {
        let (tty, rest) = token(rest);
        return match rest.strip_prefix(b" FROM ") {
            Some(rest) => match split_once(rest, b", ") {
                // 4.4BSD: a user follows; the count line beside it has the number.
                Some((from, user)) => Some(remote(AuthOutcome::Failure, from)?.user(user).count(0)),
                // SunOS: no user, host cut to 16 characters, after 5 failures.
                None => Some(remote(AuthOutcome::Failure, rest)?.count(5)),
            },
            None if rest.is_empty() => Some(at_terminal(AuthOutcome::Failure, tty).count(5)),
            None => {
                let user = rest.strip_prefix(b", ")?;
                Some(at_terminal(AuthOutcome::Failure, tty).user(user).count(0))
            }
        };
    }
    if let Some((n, rest)) = leading_number(message)
        && let Some(rest) = rest
            .strip_prefix(b" LOGIN FAILURES ")
            .or_else(|| rest.strip_prefix(b" LOGIN FAILURE "))
    {
        if let Some(rest) = rest.strip_prefix(b"FROM ") {
            let (from, user) = match split_once(rest, b", ") {
                Some((from, user)) => (from, Some(user)),
                None => (rest, None),
            };
            return Some(remote(AuthOutcome::Failure, from)?.user_opt(user).count(n));
        }
        if let Some(rest) = rest.strip_prefix(b"ON ") {
            let (tty, user) = match split_once(rest, b", ") {
                Some((tty, user)) => (tty, Some(user)),
                None => (rest, None),
            };
            return Some(
                at_terminal(AuthOutcome::Failure, tty)
                    .user_opt(user)
                    .count(n),
            );
        }
        return None;
    }
    if let Some(rest) = message.strip_prefix(b"LOGIN FAILURE ON ") {
        // 4.3BSD: `LOGIN FAILURE ON ttyp0 FROM h, u` / `LOGIN FAILURE ON tty0, u`.
        let (tty, rest) = token(rest);
        if let Some(rest) = rest.strip_prefix(b" FROM ") {
            let (from, user) = match split_once(rest, b", ") {
                Some((from, user)) => (from, Some(user)),
                None => (rest, None),
            };
            return Some(remote(AuthOutcome::Failure, from)?.user_opt(user));
        }
        let user = rest.strip_prefix(b", ");
        return Some(at_terminal(AuthOutcome::Failure, tty).user_opt(user));
    }
    if let Some(rest) = message.strip_prefix(b"LOGIN ON ") {
        let (tty, rest) = token(rest);
        let rest = rest.strip_prefix(b" BY ")?;
        return match rsplit_once(rest, b" FROM ") {
            Some((user, from)) => Some(remote(AuthOutcome::Success, from)?.user(user)),
            None => Some(at_terminal(AuthOutcome::Success, tty).user(rest)),
        };
    }
    if let Some(rest) = message.strip_prefix(b"ROOT LOGIN REFUSED ON ") {
        let (_tty, rest) = token(rest);
        return match rest.strip_prefix(b" FROM ") {
            Some(from) => Some(remote(AuthOutcome::Refused, from)?.user(b"root")),
            None => Some(Parsed::new(Service::Login, AuthOutcome::Refused).user(b"root")),
        };
    }
    if let Some(rest) = message.strip_prefix(b"ROOT LOGIN ") {
        if rest.starts_with(b"REFUSED") {
            return None;
        }
        let rest = rest.strip_prefix(b"ON ").unwrap_or(rest);
        let rest = super::text::trim_start(rest);
        let (tty, rest) = token(rest);
        return match rest.strip_prefix(b" FROM ") {
            Some(from) => Some(remote(AuthOutcome::Success, from)?.user(b"root")),
            None => Some(at_terminal(AuthOutcome::Success, tty).user(b"root")),
        };
    }
    None
}

/// Kerberos rlogind/rshd (`klogind`, `kshd`): `Authentication failed from A (B):
/// REASON`. Its `Kerberos authentication failed` names no source and gives nothing.
fn kerberos_rlogin<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let name = super::text::basename(program);
    if !matches!(
        name,
        b"klogind" | b"kshd" | b"rlogind" | b"in.rlogind" | b"rshd" | b"in.rshd"
    ) {
        return None;
    }
    let rest = message.strip_prefix(b"Authentication failed from ")?;
    let (from, _) = token(rest);
    Some(Parsed::new(Service::Rsh, AuthOutcome::Failure).source(host(from)?))
}

/// Solaris BSM audit records in syslog: `login - telnet failed session N by U as
/// U:G from H` (the `[ID n audit.notice]` tag is already gone).
fn solaris_bsm<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if program != b"audit" {
        return None;
    }
    let rest = message
        .strip_prefix(b"login - ")
        .or_else(|| message.strip_prefix(b"rlogin - "))?;
    let (service, rest) = token(rest);
    let service = match service {
        b"telnet" => Service::Telnet,
        b"rlogin" => Service::Rsh,
        b"ssh" => Service::Ssh,
        _ => Service::Login,
    };
    let rest = rest.strip_prefix(b" failed session ")?;
    let (_session, rest) = token(rest);
    let rest = rest.strip_prefix(b" by ")?;
    let (head, from) = rsplit_once(rest, b" from ")?;
    let user = rsplit_once(head, b" as ").map_or(head, |(user, _)| user);
    Some(
        Parsed::new(service, AuthOutcome::Failure)
            .user(user)
            .source(host(from)?),
    )
}

/// util-linux/shadow after `FAILED LOGIN ` or `TOO MANY LOGIN TRIES `:
/// `N FROM h FOR u, reason`, `(N) on 'tty' FROM 'h' FOR 'u', reason`, `N ON tty FOR u, reason`.
fn failed_login(rest: &[u8], count: u32) -> Option<Parsed<'_>> {
    let (_n, rest) = token(rest);
    let rest = trim_end(rest);
    let (head, user_and_reason) = split_once(rest, b" FOR ")?;
    let (user, reason) = match rsplit_once(user_and_reason, b", ") {
        Some((user, reason)) => (user, Some(reason)),
        None => (user_and_reason, None),
    };
    // shadow's login writes `UNKNOWN` for a name that is no account (LOG_UNKFAIL_ENAB
    // off: the name may be a password typed at the prompt).
    let user = Some(unquote(user)).filter(|user| *user != b"UNKNOWN");
    let outcome = match reason {
        _ if user.is_none() => AuthOutcome::InvalidUser,
        Some(reason) if super::text::contains(reason, b"User not known") => {
            AuthOutcome::InvalidUser
        }
        _ => AuthOutcome::Failure,
    };
    // util-linux writes ` FROM `, shadow 4.x ` from `.
    let from = super::text::rsplit_once(head, b" FROM ")
        .or_else(|| super::text::rsplit_once(head, b" from "));
    let parsed = match from {
        Some((_, from)) => remote(outcome, unquote(from))?,
        None => {
            // `1 ON tty1` (util-linux), `(1) on 'tty1'` (shadow).
            let tty = rsplit_once(head, b" ON ")
                .or_else(|| rsplit_once(head, b" on "))
                .map(|(_, tty)| unquote(tty));
            match tty {
                Some(tty) => at_terminal(outcome, tty),
                None => Parsed::new(Service::Login, outcome),
            }
        }
    };
    Some(parsed.user_opt(user).count(count))
}

/// An event at terminal `tty` of the host itself (no remote host logged).
fn at_terminal(outcome: AuthOutcome, tty: &[u8]) -> Parsed<'_> {
    let parsed = Parsed::new(Service::Login, outcome);
    match trim_end(tty) {
        b"" => parsed,
        tty => parsed.local_user(tty),
    }
}

/// A Solaris `var/adm/loginlog` line as the log reader hands it on: `NAME:/dev/TTY`,
/// one failed try. The terminal is after the last `:/dev/`, so a typed name holding one
/// stays the name.
fn loginlog<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if !is_login(program) {
        return None;
    }
    let at = super::text::rfind(message, b":/dev/")?;
    let (name, tty) = (message.get(..at)?, message.get(at + 1..)?);
    if tty.contains(&b' ') {
        return None;
    }
    let user = Some(name).filter(|name| !name.is_empty());
    Some(at_terminal(AuthOutcome::Failure, tty).user_opt(user))
}

/// Whether the program is login(1), whose process serves one terminal session: its
/// lines are counted per process like an sshd connection's (see `connection`), so that
/// PAM's first failure, login's `FAILED LOGIN (N)` per try and PAM's `N more
/// authentication failures` at the end count each try once.
pub(crate) fn is_login(program: &[u8]) -> bool {
    basename(program) == b"login"
}

fn unquote(s: &[u8]) -> &[u8] {
    s.strip_prefix(b"'")
        .and_then(|s| s.strip_suffix(b"'"))
        .unwrap_or(s)
}

/// A telnet event from host `from`.
fn remote(outcome: AuthOutcome, from: &[u8]) -> Option<Parsed<'_>> {
    Some(Parsed::new(Service::Telnet, outcome).source(host(trim_end(from))?))
}
