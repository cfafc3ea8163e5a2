//! POP, IMAP and SMTP AUTH servers.
//!
//! * UW imapd/ipop3d: `Login failed user=U auth=A host=NAME [IP]`, `Login excessive
//!   login failures user=…` (count 0), `Login disabled user=…` (refused), `Failed
//!   uwmaster override of user=U host=NAME [IP]`, `Login user=U host=NAME [IP]
//!   nmsgs=N/M` and `Authenticated user=U host=NAME [IP]` (successes). The source is the bracket after the *last* ` host=`.
//! * qpopper: `U at NAME (IP): -ERR [AUTH] Password supplied for "U" is incorrect.` —
//!   accepted only when both copies of the user agree, so a user that carries its own
//!   `(1.2.3.4): -ERR` cannot pose as the prefix.
//! * dovecot login processes: `…(auth failed, N attempts…): user=<U>, method=M,
//!   rip=IP, lip=…` (count N), `(tried to use disabled plaintext auth)` (refused),
//!   `(proxy dest auth failed)`, `Login: user=<U>, … rip=IP` (success). The source is
//!   the *last* `, rip=`: only the user, earlier in the line, is the client's.
//!   dovecot auth processes: `DRIVER(U,IP[,<session>]): MESSAGE` (`pam_authenticate()
//!   failed`, `unknown user`, `Password mismatch`, `invalid credentials`), fields read
//!   from the right.
//! * courier: `LOGIN FAILED, user=U, ip=[IP]` and `LOGIN, user=U, ip=[IP]`; courieresmtpd
//!   `error,relay=IP,…msg="535 Authentication failed."`.
//! * cyrus imapd/pop3d/timsieved: `badlogin: NAME [IP] MECH [SASL(-13): …]`.
//! * solid-pop3d: `authentication failed: no such user: U - IP` and kin: the source is
//!   after the last ` - `.
//! * perdition: `Auth: IP:PORT->… authentication_id="U" … status="failed…"`.
//! * SMTP AUTH: sendmail `AUTH failure (M): … user=U, relay=NAME [IP]` and `[IP]:
//!   possible SMTP attack: command=AUTH, count=N`; postfix `warning: NAME[IP]: SASL M
//!   authentication failed: REASON[, sasl_username=U]` and, for a login, `QID:
//!   client=NAME[IP], sasl_method=M, sasl_username=U` (3.7 writes no other line for
//!   it); exim `M authenticator failed for NAME [IP]:P: 535 … (set_id=U)` and, for a
//!   login, the mail's `<= SENDER H=… [IP] … A=AUTHENTICATOR:U` (4.96 writes no other).

use super::text::{
    basename, contains, find, find_all, host, leading_number, number, rfind, rsplit_once,
    split_once, token, trailing_bracket, trim_end, trim_start,
};
use super::{Parsed, service_of_program};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let name = basename(program);
    uw_imap(program, message)
        .or_else(|| qpopper(message))
        .or_else(|| dovecot_login(message))
        .or_else(|| dovecot_auth(program, message))
        .or_else(|| courier(name, message))
        .or_else(|| cyrus(program, message))
        .or_else(|| solid_pop3d(name, message))
        .or_else(|| perdition(name, message))
        .or_else(|| smtp_auth(message))
}

/// POP or IMAP from the program's name; IMAP when it does not say.
fn pop_or_imap(program: &[u8]) -> Service {
    match service_of_program(program) {
        Service::Pop => Service::Pop,
        _ => Service::Imap,
    }
}

fn uw_imap<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let (outcome, count, rest) = if let Some(rest) = message.strip_prefix(b"Login failed ") {
        (AuthOutcome::Failure, 1, rest)
    } else if let Some(rest) = message.strip_prefix(b"Login excessive login failures ") {
        (AuthOutcome::Failure, 0, rest)
    } else if let Some(rest) = message.strip_prefix(b"Login disabled ") {
        (AuthOutcome::Refused, 1, rest)
    } else if let Some(rest) = message.strip_prefix(b"Failed uwmaster override of ") {
        (AuthOutcome::Failure, 1, rest)
    } else if let Some(rest) = message.strip_prefix(b"Login ") {
        (AuthOutcome::Success, 1, rest)
    } else if let Some(rest) = message.strip_prefix(b"Authenticated ") {
        (AuthOutcome::Success, 1, rest)
    } else {
        return None;
    };
    let rest = rest.strip_prefix(b"user=")?;
    let (user_part, host_part) = rsplit_once(rest, b" host=")?;
    let user_part = trim_end(user_part);
    let user = rsplit_once(user_part, b" auth=").map_or(user_part, |(user, _)| user);
    let host_part = trim_end(host_part);
    // `NAME [IP]`, then maybe ` nmsgs=N/M` (ipop3d success).
    let host_part = match rfind(host_part, b"] ") {
        Some(at) if host_part.get(at + 2..).is_some_and(|t| !t.contains(&b'[')) => {
            host_part.get(..at + 1)?
        }
        _ => host_part,
    };
    let (_, ip) = trailing_bracket(host_part)?;
    Some(
        Parsed::new(pop_or_imap(program), outcome)
            .user(user)
            .source(host(ip)?)
            .count(count),
    )
}

/// How many `): -ERR ` separators [`qpopper`] tries.
const MAX_QPOPPER_CANDIDATES: usize = 8;

fn qpopper(message: &[u8]) -> Option<Parsed<'_>> {
    if !contains(message, b"-ERR ") {
        return None;
    }
    // Each candidate costs a pass over the rest of the line, so only the first few are
    // tried: a line stuffed with copies of the separator stays linear.
    for at in find_all(message, b"): -ERR ").take(MAX_QPOPPER_CANDIDATES) {
        let head = message.get(..at)?;
        let tail = message.get(at + 8..)?;
        let tail = tail.strip_prefix(b"[AUTH] ").unwrap_or(tail);
        let Some(quoted) = tail.strip_prefix(b"Password supplied for \"") else {
            continue;
        };
        let Some((user, _)) = rsplit_once(quoted, b"\" is incorrect") else {
            continue;
        };
        let Some(who) = head.strip_prefix(user) else {
            continue;
        };
        let Some(who) = who.strip_prefix(b" at ") else {
            continue;
        };
        let Some((_name, ip)) = rsplit_once(who, b" (") else {
            continue;
        };
        return Some(
            Parsed::new(Service::Pop, AuthOutcome::Failure)
                .user(user)
                .source(host(ip)?),
        );
    }
    None
}

fn dovecot_login(message: &[u8]) -> Option<Parsed<'_>> {
    let (rip_at, rip) = {
        let at = rfind(message, b"rip=")?;
        let before = message.get(..at)?;
        if !(before.ends_with(b", ") || before.ends_with(b": ") || before.ends_with(b" ")) {
            return None;
        }
        let value = message.get(at + 4..)?;
        let end = value
            .iter()
            .position(|&b| b == b',' || b == b' ')
            .unwrap_or(value.len());
        (at, value.get(..end)?)
    };
    let head = message.get(..rip_at)?;
    let service = if contains(head, b"pop3-login") {
        Service::Pop
    } else if contains(head, b"submission-login") {
        Service::Smtp
    } else {
        Service::Imap
    };
    let user = find(head, b"user=<").and_then(|at| {
        let value = head.get(at + 6..)?;
        let end = rfind(value, b">")?;
        value.get(..end)
    });
    let user = user.filter(|u| !u.is_empty());
    let (outcome, count) = if let Some(at) = find(head, b"(auth failed, ") {
        let n = head
            .get(at + 14..)
            .and_then(leading_number)
            .map_or(1, |(n, _)| n);
        (AuthOutcome::Failure, n)
    } else if contains(head, b"plaintext auth)") || contains(head, b"(tried to use disallowed ") {
        (AuthOutcome::Refused, 0)
    } else if contains(head, b"(proxy dest auth failed)") {
        (AuthOutcome::Failure, 1)
    } else if contains(head, b"-login: Login: ") || head.starts_with(b"Login: ") {
        (AuthOutcome::Success, 1)
    } else {
        return None;
    };
    // Only dovecot's login processes write `rip=` lines of this shape.
    let login_process = contains(head, b"-login: ")
        || head.starts_with(b"Login: ")
        || contains(head, b"Aborted login")
        || contains(head, b"Login aborted")
        || contains(head, b"Disconnected");
    if !login_process {
        return None;
    }
    Some(
        Parsed::new(service, outcome)
            .user_opt(user)
            .source(host(rip)?)
            .count(count),
    )
}

/// dovecot auth processes: `DRIVER(U,IP[,…]): MESSAGE`, where the tuple may also be in
/// the program name (`auth(U,IP,sasl:login)<session>: Info: sql: Password mismatch`).
fn dovecot_auth<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let (outcome, count) = dovecot_verdict(message)?;
    // The tuple nearest the verdict: `pam(U,IP): …` in the message, or the program's.
    let tuple = find_tuple(message).or_else(|| find_tuple_in_program(program))?;
    let (user, ip) = tuple;
    Some(
        Parsed::new(Service::Imap, outcome)
            .user_opt((!user.is_empty()).then_some(user))
            .source(host(ip)?)
            .count(count),
    )
}

fn dovecot_verdict(message: &[u8]) -> Option<(AuthOutcome, u32)> {
    let count = rfind(message, b": ")
        .and_then(|at| message.get(at + 2..))
        .and_then(|t| t.strip_suffix(b" Time(s)"))
        .and_then(number)
        .unwrap_or(1);
    if contains(message, b"pam_authenticate() failed") {
        let outcome = if contains(message, b"User not known") {
            AuthOutcome::InvalidUser
        } else {
            AuthOutcome::Failure
        };
        return Some((outcome, count));
    }
    if contains(message, b"): unknown user") || message.ends_with(b": unknown user") {
        return Some((AuthOutcome::InvalidUser, 1));
    }
    if contains(message, b"): unknown user (") || contains(message, b"sql: unknown user") {
        return Some((AuthOutcome::InvalidUser, 1));
    }
    if contains(message, b"Password mismatch") || contains(message, b"): invalid credentials") {
        return Some((AuthOutcome::Failure, 1));
    }
    None
}

/// The last `DRIVER(U,IP…): ` of a message: (U, IP).
fn find_tuple(message: &[u8]) -> Option<(&[u8], &[u8])> {
    for driver in [
        &b"pam("[..],
        b"passwd-file(",
        b"sql(",
        b"ldap(",
        b"passwd(",
        b"shadow(",
        b"checkpassword(",
        b"bsdauth(",
    ] {
        if let Some(at) = find(message, driver) {
            let inner = message.get(at + driver.len()..)?;
            let (tuple, _) = rsplit_once(inner, b"): ")?;
            return split_tuple(tuple);
        }
    }
    None
}

fn find_tuple_in_program(program: &[u8]) -> Option<(&[u8], &[u8])> {
    let inner = program.strip_prefix(b"auth(")?;
    let (tuple, _) = rsplit_once(inner, b")")?;
    split_tuple(tuple)
}

/// `U,IP[,<session>][,sasl:mech][,]` read from the right: the user may hold commas.
fn split_tuple(tuple: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut rest = tuple;
    loop {
        let (head, last) = rsplit_once(rest, b",")?;
        let skip = last.is_empty() || last.starts_with(b"<") || last.starts_with(b"sasl:");
        if skip {
            rest = head;
            continue;
        }
        return Some((head, last));
    }
}

fn courier<'a>(name: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if let Some(rest) = message.strip_prefix(b"error,relay=") {
        // courieresmtpd: only the AUTH rejection is an authentication.
        if !contains(rest, b"msg=\"535 ") {
            return None;
        }
        let (relay, _) = split_once(rest, b",")?;
        return Some(Parsed::new(Service::Smtp, AuthOutcome::Failure).source(host(relay)?));
    }
    let (outcome, rest) = if let Some(rest) = message.strip_prefix(b"LOGIN FAILED, ") {
        (AuthOutcome::Failure, rest)
    } else if let Some(rest) = message.strip_prefix(b"LOGIN, ") {
        (AuthOutcome::Success, rest)
    } else {
        return None;
    };
    let (head, ip_part) = rsplit_once(rest, b"ip=[")?;
    let (ip, _) = split_once(ip_part, b"]")?;
    let user = head
        .strip_prefix(b"user=")
        .map(|u| rsplit_once(u, b", ").map_or(u, |(user, _)| user));
    Some(
        Parsed::new(pop_or_imap(name), outcome)
            .user_opt(user)
            .source(host(ip)?),
    )
}

fn cyrus<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let rest = message.strip_prefix(b"badlogin: ")?;
    // `NAME [IP] MECH …`, `NAME[IP] MECH …`, `[IP] MECH …`.
    let close = find(rest, b"]")?;
    let head = rest.get(..close + 1)?;
    let (_, ip) = trailing_bracket(head)?;
    let tail = trim_start(rest.get(close + 1..)?);
    let (_mech, tail) = token(tail);
    let tail = trim_start(tail);
    let user = if tail.starts_with(b"[")
        || tail.starts_with(b"SASL")
        || tail.starts_with(b"authentication")
    {
        None
    } else {
        let (user, _) = token(tail);
        (!user.is_empty()).then_some(user)
    };
    let outcome = if contains(tail, b"user not found") {
        AuthOutcome::InvalidUser
    } else {
        AuthOutcome::Failure
    };
    let service = if contains(program, b"sieve") {
        Service::Other
    } else {
        pop_or_imap(program)
    };
    Some(
        Parsed::new(service, outcome)
            .user_opt(user)
            .source(host(ip)?),
    )
}

fn solid_pop3d<'a>(name: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if !name.starts_with(b"solid-pop3d") {
        return None;
    }
    let (head, ip) = rsplit_once(message, b" - ")?;
    let (outcome, user) = if let Some(user) =
        head.strip_prefix(b"authentication failed: no such user: ")
    {
        (AuthOutcome::InvalidUser, Some(user))
    } else if let Some(user) = head.strip_prefix(b"authentication failed: can't map user name: ") {
        (AuthOutcome::InvalidUser, Some(user))
    } else if let Some(user) = head.strip_prefix(b"authentication failed for mapped user ") {
        (AuthOutcome::Failure, Some(user))
    } else if let Some(user) = head.strip_prefix(b"authentication failed for user ") {
        (AuthOutcome::Failure, Some(user))
    } else if let Some(user) = head.strip_prefix(b"APOP authentication failed for user ") {
        (AuthOutcome::Failure, Some(user))
    } else if let Some(user) = head.strip_prefix(b"can't find APOP secret for user ") {
        (AuthOutcome::Failure, Some(user))
    } else if head == b"root login not allowed" {
        (AuthOutcome::Refused, Some(&b"root"[..]))
    } else {
        return None;
    };
    Some(
        Parsed::new(Service::Pop, outcome)
            .user_opt(user)
            .source(host(ip)?),
    )
}

fn perdition<'a>(name: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    if !name.starts_with(b"perdition") {
        return None;
    }
    let service = if contains(name, b"pop") {
        Service::Pop
    } else {
        Service::Imap
    };
    if let Some(rest) = message.strip_prefix(b"Auth: ") {
        if !contains(rest, b"status=\"failed") {
            return None;
        }
        let (addr, _) = split_once(rest, b"->")?;
        let (ip, _port) = rsplit_once(addr, b":")?;
        let user = find(rest, b" authentication_id=\"")
            .and_then(|at| rest.get(at + 20..))
            .and_then(|u| split_once(u, b"\"").map(|(user, _)| user));
        return Some(
            Parsed::new(service, AuthOutcome::Failure)
                .user_opt(user)
                .source(host(ip)?),
        );
    }
    if let Some(rest) =
        message.strip_prefix(b"Fatal Error reading authentication information from client ")
    {
        let (addr, _) = split_once(rest, b"->")?;
        let (ip, _port) = rsplit_once(addr, b":")?;
        return Some(
            Parsed::new(service, AuthOutcome::Failure)
                .source(host(ip)?)
                .count(0),
        );
    }
    None
}

fn smtp_auth(message: &[u8]) -> Option<Parsed<'_>> {
    // sendmail 8.16+: `QID: AUTH failure (MECH): … user=U, relay=NAME [IP] (may be forged)`.
    if let Some(at) = find(message, b"AUTH failure (") {
        let rest = message.get(at..)?;
        let (head, relay) = rsplit_once(rest, b", relay=")?;
        let relay = relay.strip_suffix(b" (may be forged)").unwrap_or(relay);
        let (_, ip) = trailing_bracket(trim_end(relay))?;
        let user = rsplit_once(head, b", user=").map(|(_, user)| user);
        let outcome = if contains(head, b"user not found") {
            AuthOutcome::InvalidUser
        } else {
            AuthOutcome::Failure
        };
        return Some(
            Parsed::new(Service::Smtp, outcome)
                .user_opt(user)
                .source(host(ip)?),
        );
    }
    // sendmail: `QID: NAME [IP][ (may be forged)]: possible SMTP attack: command=AUTH, count=N`.
    if let Some((head, tail)) =
        rsplit_once(message, b": possible SMTP attack: command=AUTH, count=")
    {
        let count = number(trim_end(tail))?;
        let head = head.strip_suffix(b" (may be forged)").unwrap_or(head);
        let (_, ip) = trailing_bracket(head)?;
        return Some(
            Parsed::new(Service::Smtp, AuthOutcome::Failure)
                .source(host(ip)?)
                .count(count),
        );
    }
    // postfix: `warning: NAME[IP]: SASL MECH authentication failed: …`.
    if let Some(rest) = message.strip_prefix(b"warning: ") {
        let (who, tail) = split_once(rest, b": SASL ")?;
        let (_mech, tail) = token(tail);
        if !tail.starts_with(b" authentication failed") {
            return None;
        }
        // Not a wrong password: the server's own trouble, or a mechanism it lacks.
        if contains(tail, b"Connection lost to authentication server")
            || contains(tail, b"Invalid authentication mechanism")
        {
            return None;
        }
        // `NAME[IP]` or `NAME[IP]:PORT`.
        let who = match rfind(who, b"]:") {
            Some(at) if who.get(at + 2..).and_then(number).is_some() => who.get(..at + 1)?,
            _ => who,
        };
        let (_, ip) = trailing_bracket(who)?;
        // Postfix 3.x adds `, sasl_username=U` after the SASL server's reason. The first
        // one: the reason is the server's, the name (last) the client's, which may
        // itself hold the text.
        let user = find(tail, b", sasl_username=")
            .and_then(|at| tail.get(at + 16..))
            .filter(|u| !u.is_empty());
        return Some(
            Parsed::new(Service::Smtp, AuthOutcome::Failure)
                .user_opt(user)
                .source(host(ip)?),
        );
    }
    postfix_sasl_login(message).or_else(|| exim(message))
}

/// postfix: `QID: client=NAME[IP][:PORT], sasl_method=M, sasl_username=U[, sasl_sender=S]`,
/// the queue file of a client that logged in with SMTP AUTH (Postfix writes no line for
/// the login itself; this one comes with the client's first mail).
fn postfix_sasl_login(message: &[u8]) -> Option<Parsed<'_>> {
    let at = find(message, b": client=")?;
    let rest = message.get(at + 9..)?;
    // The first `, sasl_method=`: what precedes it is postfix's own `NAME[IP]`.
    let (who, tail) = split_once(rest, b", sasl_method=")?;
    let (_mech, tail) = split_once(tail, b", sasl_username=")?;
    // `sasl_sender` (MAIL FROM's AUTH=) is the client's: the user ends at its first mark.
    let user = split_once(tail, b", sasl_sender=").map_or(tail, |(user, _)| user);
    let who = match rfind(who, b"]:") {
        Some(at) if who.get(at + 2..).and_then(number).is_some() => who.get(..at + 1)?,
        _ => who,
    };
    let (_, ip) = trailing_bracket(who)?;
    Some(
        Parsed::new(Service::Smtp, AuthOutcome::Success)
            .user_opt((!user.is_empty()).then_some(user))
            .source(host(ip)?),
    )
}

/// exim: `MECH authenticator failed for NAME [IP]:PORT[ I=…]: 535 … (set_id=U)`, and a
/// login's mail, `ID <= SENDER H=NAME (HELO) [IP] P=esmtpsa … A=AUTHENTICATOR:U S=N`.
/// exim's own log has no syslog host or program, so this also reads whole raw lines.
pub(crate) fn exim(message: &[u8]) -> Option<Parsed<'_>> {
    exim_failure(message).or_else(|| exim_login(message))
}

/// The `<=` line of a mail received after SMTP AUTH (exim writes no line for the login
/// itself). The sender, before `H=`, is the client's: a sender with a space in it (a
/// quoted local part, which could carry a whole fake `H=… A=…`) is not read at all, so
/// `H=` is the word after it. `DN="…"` (a client certificate's name) is the client's
/// too and is stepped over.
fn exim_login(message: &[u8]) -> Option<Parsed<'_>> {
    let at = find(message, b" <= ")?;
    let rest = message.get(at + 4..)?;
    let (sender, rest) = split_once(rest, b" ")?;
    // Only a quoted local part holds a space; its first word holds the quote.
    if sender.contains(&b'"') {
        return None;
    }
    let rest = rest.strip_prefix(b"H=")?;
    // `NAME [IP]`, `(HELO) [IP]`, `NAME (HELO) [IP]`, then maybe `:PORT`.
    let close = find(rest, b"]")?;
    let (_, ip) = trailing_bracket(rest.get(..close + 1)?)?;
    let after = rest.get(close + 1..)?;
    let after = after.strip_prefix(b":").map_or(after, |port| {
        trim_start(port.get(leading_digits(port)..).unwrap_or(b""))
    });
    let mut fields = trim_start(after);
    let mut auth = None;
    while !fields.is_empty() {
        let (word, tail) = split_once(fields, b" ").unwrap_or((fields, &b""[..]));
        if word.starts_with(b"DN=\"") {
            // To the closing quote (a quote and a space, or the end).
            fields = split_once(fields.get(4..)?, b"\" ").map_or(&b""[..], |(_, t)| t);
            continue;
        }
        if let Some(value) = word.strip_prefix(b"A=") {
            auth = Some(value);
            break;
        }
        // `S=` ends the fields exim writes before the client's `id=` and `T=`.
        if word.starts_with(b"S=") {
            break;
        }
        fields = tail;
    }
    let auth = auth?;
    let user = split_once(auth, b":")
        .map(|(_, user)| user)
        .filter(|u| !u.is_empty());
    Some(
        Parsed::new(Service::Smtp, AuthOutcome::Success)
            .user_opt(user)
            .source(host(ip)?),
    )
}

/// How many ASCII digits `bytes` starts with.
fn leading_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn exim_failure(message: &[u8]) -> Option<Parsed<'_>> {
    {
        let at = find(message, b" authenticator failed for ")?;
        let rest = message.get(at + 26..)?;
        // The first `: 535`: what precedes it is exim's own `NAME (HELO) [IP]:PORT`, and
        // exim refuses a HELO with spaces or brackets (`helo_allow_chars`), so only the
        // user name in `(set_id=…)`, after it, can carry a fake one.
        let (who, tail) = split_once(rest, b": 535")?;
        // ` I=[local]:port` and ` Ci=…` are exim's local side.
        let who = split_once(who, b" I=[").map_or(who, |(who, _)| who);
        let open = rfind(who, b"[")?;
        let inner = who.get(open + 1..)?;
        let (ip, _) = split_once(inner, b"]")?;
        let user = find(tail, b"(set_id=")
            .and_then(|at| tail.get(at + 8..))
            .and_then(|u| u.strip_suffix(b")"));
        Some(
            Parsed::new(Service::Smtp, AuthOutcome::Failure)
                .user_opt(user)
                .source(host(ip)?),
        )
    }
}
