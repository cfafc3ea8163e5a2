//! OpenSSH (`sshd`, `sshd-session` since 9.8, Solaris SunSSH) and dropbear.
//!
//! The messages that say who tried what from where:
//!
//! * `Failed METHOD for [invalid user ]U from A[ port P][ sshN][: INFO]` — one try.
//!   The user name is the client's and may hold ` from 10.0.0.1 port 1 ssh2`; INFO may
//!   hold ` from …` too (`ruser`, hostbased client user). So the source is the first
//!   ` from ` whose tail is exactly `A[ port P][ sshN]` followed by the end or by `: `.
//!   A `Failed publickey` for an existing user is not a guess (clients offer every key
//!   they hold) and gives nothing; `publickey`/`none` for an *invalid* user is a probe
//!   for the account and counts.
//! * `Invalid user U from A[ port P]` / `illegal user`, `Postponed … for invalid user`
//!   — announced before the try's own `Failed` line: count 0. So are the ends of
//!   connections that named an account (`Disconnected from invalid user U A port P`,
//!   `Connection closed by authenticating user U A port P [preauth]`).
//! * `User U from A not allowed because …`, `ROOT LOGIN REFUSED FROM A` — refused.
//! * `error: PAM: Authentication failure for U from A[ via B]` (and `authentication
//!   error`, `User not known … for illegal user U from A`) — one try.
//! * `error: maximum authentication attempts exceeded for [invalid user ]U from A port P
//!   ssh2`, and before OpenSSH 7.x `Disconnecting: Too many authentication failures [for
//!   U]` (no address: the connection's `Connection from A port P`, logged at VERBOSE, or
//!   its other lines give it) — the connection gave up after failing: count 0 beside the
//!   tries logged, at least one try when none was. So is a client's `Received disconnect
//!   from A port P:3: …: Auth fail` (JSch and its kin give up after failing).
//! * `PAM N more authentication failures; … rhost=A  user=U` — PAM's tries after its
//!   first, logged when the connection ends.
//!
//! Lines of one connection (one sshd pid) are counted together, so that a try that
//! sshd, PAM and an `Invalid user` announcement all report counts once, and an
//! enumeration that logs only `Invalid user` still counts one try per connection (see
//! `connection.rs`). `Invalid user`, `Failed none` and the end of a connection that
//! named an account are *probes*: an account named, no credential tried.
//! * `Accepted METHOD for U from A port P sshN` — success.
//! * dropbear: `Bad password attempt for 'U' from A:P`, `Login attempt for nonexistent
//!   user from A:P`, `Exit before auth …: Max auth tries reached - user 'U' from A:P`.
//!
//! Pre-authentication connection noise (`Connection closed by`, `Did not receive
//! identification string`, key-exchange failures) is not an authentication and gives
//! nothing.

use super::connection::Role;
use super::text::{
    contains, find, find_all, find_ignore_case, host, port, rfind, rsplit_once, split_once, token,
    trailing_bracket, trim_end,
};
use super::{Parsed, text};
use crate::auth::event::{AuthOutcome, Service};

/// Whether the program is an SSH daemon.
pub(crate) fn is_ssh(program: &[u8]) -> bool {
    let name = text::basename(program);
    name.starts_with(b"sshd")
        || name == b"[sshd]"
        || name.starts_with(b"dropbear")
        || text::contains(name, b"sshd")
}

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if !is_ssh(program) {
        return None;
    }
    if text::basename(program).starts_with(b"dropbear") {
        return dropbear(message);
    }
    let message = strip_kernel_stamp(message);
    let message = message.strip_prefix(b"error: ").unwrap_or(message);
    if let Some(rest) = message.strip_prefix(b"Failed ") {
        return failed(rest);
    }
    if let Some(rest) = message.strip_prefix(b"Accepted ") {
        let (_method, rest) = split_once(rest, b" for ")?;
        let (user, source, port) = user_from_addr(rest)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Success)
                .user(user)
                .source(source)
                .port(port),
        );
    }
    for prefix in [
        &b"Invalid user "[..],
        b"invalid user ",
        b"Illegal user ",
        b"illegal user ",
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (user, source, port) = user_from_addr(rest)?;
            return Some(
                Parsed::new(Service::Ssh, AuthOutcome::InvalidUser)
                    .user(user)
                    .source(source)
                    .port(port)
                    .count(0)
                    .role(Role::Announce)
                    .probe(),
            );
        }
    }
    if let Some(rest) = message.strip_prefix(b"User ") {
        // `User U from A not allowed because REASON`: the reason is sshd's own text.
        let (head, _reason) = rsplit_once(rest, b" not allowed because ")?;
        let (user, addr) = rsplit_once(head, b" from ")?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Refused)
                .user(user)
                .source(host(addr)?),
        );
    }
    if let Some(rest) = message.strip_prefix(b"ROOT LOGIN REFUSED FROM ") {
        let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
        let (addr, rest) = token(rest);
        let port = rest.strip_prefix(b" port ").and_then(port);
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Refused)
                .user(b"root")
                .source(host(addr)?)
                .port(port),
        );
    }
    if let Some(rest) = message.strip_prefix(b"PAM: ") {
        return pam_error(rest);
    }
    if let Some(rest) = message.strip_prefix(b"PAM ") {
        return super::pam::more(Service::Ssh, rest);
    }
    for prefix in [
        &b"Disconnected from "[..],
        b"Disconnecting ",
        b"Connection closed by ",
        b"Connection reset by ",
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return closed_by_user(rest);
        }
    }
    if let Some(rest) = message.strip_prefix(b"Postponed ") {
        // `Postponed keyboard-interactive for invalid user U from A port P ssh2`: the
        // account does not exist; the try itself is logged when it fails.
        let (_method, rest) = split_once(rest, b" for invalid user ")?;
        let (user, source, port) = user_from_addr(rest)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::InvalidUser)
                .user(user)
                .source(source)
                .port(port)
                .count(0)
                .role(Role::Announce)
                .probe(),
        );
    }
    if let Some(rest) = message.strip_prefix(b"Disconnecting: Too many authentication failures") {
        // OpenSSH before 7.x: the end of a connection that failed `MaxAuthTries` times,
        // with no address (the parser takes it from the connection's other lines).
        let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
        let rest = rest.strip_prefix(b" for ");
        let (outcome, user) = match rest.map(|r| r.strip_prefix(b"invalid user ")) {
            Some(Some(user)) => (AuthOutcome::InvalidUser, Some(user)),
            Some(None) => (AuthOutcome::Failure, rest),
            None => (AuthOutcome::Failure, None),
        };
        return Some(
            Parsed::new(Service::Ssh, outcome)
                .user_opt(user.filter(|u| !u.is_empty()))
                .count(0)
                .role(Role::GaveUp),
        );
    }
    if let Some(rest) = message.strip_prefix(b"Received disconnect from ") {
        return client_gave_up(rest);
    }
    if let Some(rest) = message.strip_prefix(b"maximum authentication attempts exceeded for ") {
        let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
        let (outcome, rest) = match rest.strip_prefix(b"invalid user ") {
            Some(rest) => (AuthOutcome::InvalidUser, rest),
            None => (AuthOutcome::Failure, rest),
        };
        let (user, source, port) = user_from_addr(rest)?;
        return Some(
            Parsed::new(Service::Ssh, outcome)
                .user(user)
                .source(source)
                .port(port)
                .count(0)
                .role(Role::GaveUp),
        );
    }
    if let Some(rest) = message.strip_prefix(b"Connection from ") {
        // `Connection from A port P[ on L port N]` (VERBOSE): the connection opens.
        let (addr, rest) = split_once(rest, b" port ")?;
        let (port_text, _) = token(rest);
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Session)
                .source(host(addr)?)
                .port(port(port_text))
                .count(0)
                .role(Role::Open),
        );
    }
    None
}

/// `kernel:[  970.699396]: ` or `kernel: [  970.699397] ` in front of a message (seen in
/// journal exports of containers).
fn strip_kernel_stamp(message: &[u8]) -> &[u8] {
    let Some(rest) = message.strip_prefix(b"kernel:") else {
        return message;
    };
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix(b"[") else {
        return message;
    };
    let Some((uptime, rest)) = split_once(rest, b"]") else {
        return message;
    };
    if !uptime
        .iter()
        .all(|&b| b == b' ' || b == b'.' || b.is_ascii_digit())
    {
        return message;
    }
    let rest = rest.strip_prefix(b":").unwrap_or(rest);
    rest.strip_prefix(b" ").unwrap_or(rest)
}

/// After `Failed `: `METHOD for [invalid user ]U from A …`.
fn failed(rest: &[u8]) -> Option<Parsed<'_>> {
    let (method, rest) = split_once(rest, b" for ")?;
    // `illegal user` is OpenSSH 3.x's word for it.
    let (invalid, rest) = match rest
        .strip_prefix(b"invalid user ")
        .or_else(|| rest.strip_prefix(b"illegal user "))
    {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let (user, source, port) = user_from_addr(rest)?;
    let invalid = invalid || user == b"<invalid username>";
    if method == b"publickey" && !invalid {
        return None;
    }
    let outcome = if invalid {
        AuthOutcome::InvalidUser
    } else {
        AuthOutcome::Failure
    };
    let parsed = Parsed::new(Service::Ssh, outcome)
        .user(user)
        .source(source)
        .port(port);
    // `none` asks whether the account needs a password at all: a probe. For an invalid
    // user it stands for the connection's try like an announcement. For a real account
    // it counts nothing: sshd logs it at INFO only once a connection has failed often
    // (its other tries are logged), and a key login may follow in the same connection.
    if method == b"none" {
        let parsed = parsed.count(u32::from(invalid)).probe();
        return Some(if invalid {
            parsed.role(Role::Announce)
        } else {
            parsed
        });
    }
    Some(parsed.role(Role::DaemonTry))
}

/// After `Disconnected from `, `Disconnecting `, `Connection closed by `, `Connection
/// reset by `: `invalid user U A port P[: REASON]` or `authenticating user U A port P`
/// — the end of a connection that tried an account. Count 0: its tries, if any, were
/// logged on their own lines.
fn closed_by_user(rest: &[u8]) -> Option<Parsed<'_>> {
    let (outcome, rest) = if let Some(rest) = rest.strip_prefix(b"invalid user ") {
        (AuthOutcome::InvalidUser, rest)
    } else if let Some(rest) = rest.strip_prefix(b"authenticating user ") {
        (AuthOutcome::Failure, rest)
    } else {
        return None;
    };
    let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
    // The last ` port P` followed by the end or `: REASON` (sshd's text).
    let mut end = rest.len();
    let (head, port_number) = loop {
        let at = rfind(rest.get(..end)?, b" port ")?;
        let tail = rest.get(at + 6..)?;
        let digits = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        let after = tail.get(digits..)?;
        if (after.is_empty() || after.starts_with(b":"))
            && let Some(number) = tail.get(..digits).and_then(port)
        {
            break (rest.get(..at)?, number);
        }
        end = at;
    };
    let (user, addr) =
        rsplit_once(head, b" ").map_or((&b""[..], head), |(user, addr)| (user, addr));
    Some(
        Parsed::new(Service::Ssh, outcome)
            .user(user)
            .source(host(addr)?)
            .port(Some(port_number))
            .count(0)
            .role(Role::End)
            .probe(),
    )
}

/// After `Received disconnect from `: `A[ port P]:3: MESSAGE: Auth fail` (`A: 3: …` before
/// OpenSSH 7.x) — the client (JSch and its kin) gave up because authentication failed.
/// The end of a connection whose tries were logged on their own lines: count 0. Other
/// reasons (11 `Bye Bye`, 14 `No supported authentication methods`) are not failures.
fn client_gave_up(rest: &[u8]) -> Option<Parsed<'_>> {
    let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
    if !rest.ends_with(b": Auth fail") {
        return None;
    }
    let (addr, port) = match split_once(rest, b" port ") {
        Some((addr, tail)) => {
            let (port_text, reason) = split_once(tail, b":")?;
            if !reason.starts_with(b"3:") {
                return None;
            }
            (addr, port(port_text))
        }
        // `A: 3: …`: the address may hold colons (IPv6), so the code marks its end.
        None => (split_once(rest, b": 3: ")?.0, None),
    };
    Some(
        Parsed::new(Service::Ssh, AuthOutcome::Failure)
            .source(host(addr)?)
            .port(port)
            .count(0)
            .role(Role::GaveUp),
    )
}

/// `U from A[ port P][ sshN][: INFO]` (also `[preauth]` at the end): the first
/// ` from ` whose tail has sshd's exact shape.
fn user_from_addr(rest: &[u8]) -> Option<(&[u8], &[u8], Option<u16>)> {
    let rest = rest.strip_suffix(b" [preauth]").unwrap_or(rest);
    // A user name may be empty (`Invalid user  from A`): the separator then starts the text.
    let padded_start = rest.starts_with(b"from ");
    if padded_start && let Some(found) = addr_tail(rest.get(5..)?) {
        return Some((&[], found.0, found.1));
    }
    for at in find_all(rest, b" from ") {
        if let Some((addr, port)) = rest.get(at + 6..).and_then(addr_tail) {
            return Some((rest.get(..at)?, addr, port));
        }
    }
    None
}

/// `A[ port P][ sshN]` then the end, or `sshN: INFO`: the address and port.
fn addr_tail(tail: &[u8]) -> Option<(&[u8], Option<u16>)> {
    let (addr, mut rest) = token(tail);
    let addr = host(addr)?;
    let mut port_number = None;
    if let Some(after) = rest.strip_prefix(b" port ") {
        let (digits, after) = token(after);
        port_number = Some(port(digits)?);
        rest = after;
    }
    if rest.is_empty() {
        return Some((addr, port_number));
    }
    let after = rest.strip_prefix(b" ssh")?;
    let (proto, info) = token(after);
    let (digits, colon) = match proto.strip_suffix(b":") {
        Some(digits) => (digits, true),
        None => (proto, false),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // `ssh2` ends the message, or `ssh2: INFO` carries auth info (a key, `ruser …`).
    if info.is_empty() || (colon && info.starts_with(b" ")) {
        return Some((addr, port_number));
    }
    None
}

/// After `PAM: `: `Authentication failure for U from A[ via B]`, `User not known to the
/// underlying authentication module for illegal user U from A`.
fn pam_error(rest: &[u8]) -> Option<Parsed<'_>> {
    let rest = trim_end(rest);
    let invalid = contains(rest, b"illegal user ") || contains(rest, b"User not known");
    let failure = find_ignore_case(rest, b"authentication failure for ")
        .or_else(|| find_ignore_case(rest, b"authentication error for "));
    let after = if let Some(at) = failure {
        let skip = if rest
            .get(at..)
            .is_some_and(|r| text::starts_with_ignore_case(r, b"authentication failure for "))
        {
            27
        } else {
            25
        };
        rest.get(at + skip..)?
    } else if let Some(at) = find(rest, b" for illegal user ") {
        rest.get(at + 18..)?
    } else {
        return None;
    };
    let after = after.strip_prefix(b"illegal user ").unwrap_or(after);
    // `from A` is the last field but for an optional ` via B` (the local interface).
    let body = match rsplit_once(after, b" via ") {
        Some((body, via)) if host(via).is_some() => body,
        _ => after,
    };
    let (user, addr) = rsplit_once(body, b" from ")?;
    let outcome = if invalid {
        AuthOutcome::InvalidUser
    } else {
        AuthOutcome::Failure
    };
    Some(
        Parsed::new(Service::Ssh, outcome)
            .user(user)
            .source(host(addr)?)
            .role(Role::PamError),
    )
}

/// dropbear's messages; the address is `A:P` (IPv6 may have many colons: the port is
/// after the last one).
fn dropbear(message: &[u8]) -> Option<Parsed<'_>> {
    // Journal copies may carry `[pid] Mmm dd hh:mm:ss ` in front of the message.
    let message = strip_dropbear_prefix(message);
    if let Some(rest) = message
        .strip_prefix(b"Bad password attempt for '")
        .or_else(|| message.strip_prefix(b"bad password attempt for '"))
    {
        let (user, addr) = rsplit_once(rest, b"' from ")?;
        let (source, port) = addr_port(addr)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Failure)
                .user(user)
                .source(source)
                .port(port),
        );
    }
    if let Some(rest) = message
        .strip_prefix(b"Login attempt for nonexistent user from ")
        .or_else(|| message.strip_prefix(b"login attempt for nonexistent user from "))
    {
        let (source, port) = addr_port(rest)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::InvalidUser)
                .source(source)
                .port(port),
        );
    }
    if let Some(rest) = message.strip_prefix(b"Exit before auth") {
        if !contains(rest, b"Max auth tries reached") {
            return None;
        }
        // New form: `Exit before auth from <A:P>: … - user 'U'`.
        if let Some(inner) = rest.strip_prefix(b" from <") {
            let (addr, tail) = split_once(inner, b">")?;
            let (source, port) = addr_port(addr)?;
            let user = rsplit_once(tail, b"- user '").and_then(|(_, u)| u.strip_suffix(b"'"));
            return Some(
                Parsed::new(Service::Ssh, AuthOutcome::Failure)
                    .user_opt(user)
                    .source(source)
                    .port(port)
                    .count(0),
            );
        }
        // Old form: `Exit before auth (user 'U', N fails): Max auth tries reached - user 'U' from A:P`.
        let (head, addr) = rsplit_once(rest, b"' from ")?;
        let (_, user) = rsplit_once(head, b"- user '")?;
        let (source, port) = addr_port(addr)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Failure)
                .user(user)
                .source(source)
                .port(port)
                .count(0),
        );
    }
    if let Some(rest) = message
        .strip_prefix(b"Password auth succeeded for '")
        .or_else(|| message.strip_prefix(b"Pubkey auth succeeded for '"))
    {
        let (user, addr) = rsplit_once(rest, b"' from ")?;
        let (source, port) = addr_port(addr)?;
        return Some(
            Parsed::new(Service::Ssh, AuthOutcome::Success)
                .user(user)
                .source(source)
                .port(port),
        );
    }
    None
}

/// `[pid] Mmm dd hh:mm:ss ` in front of a dropbear message (journal copies).
fn strip_dropbear_prefix(message: &[u8]) -> &[u8] {
    let Some(rest) = message.strip_prefix(b"[") else {
        return message;
    };
    let Some((pid, rest)) = split_once(rest, b"] ") else {
        return message;
    };
    if !pid.iter().all(u8::is_ascii_digit) {
        return message;
    }
    // `Jul 10 23:53:52 ` is 16 bytes.
    match rest.get(15) {
        Some(b' ') if rest.get(9) == Some(&b':') => rest.get(16..).unwrap_or(message),
        _ => message,
    }
}

/// `A:P` (or `[A]:P`), the port after the last colon.
fn addr_port(addr: &[u8]) -> Option<(&[u8], Option<u16>)> {
    let addr = trim_end(addr);
    if let Some((before, inner)) = trailing_bracket(addr)
        && before.is_empty()
    {
        return Some((host(inner)?, None));
    }
    let colon = rfind(addr, b":")?;
    let (a, p) = (addr.get(..colon)?, addr.get(colon + 1..)?);
    let a = a
        .strip_prefix(b"[")
        .and_then(|a| a.strip_suffix(b"]"))
        .unwrap_or(a);
    Some((host(a)?, Some(port(p)?)))
}
