//! FTP daemons.
//!
//! * BSD ftpd, wu-ftpd, gssftpd: `failed login from NAME [IP], USER` (the address in
//!   brackets is the source; gssftpd writes `IP (NAME)`), `FTP LOGIN FAILED FROM h,
//!   u`, `FTP LOGIN REFUSED FROM h, u` (a user in ftpusers, usually root: a guess like
//!   any other, so a failure), `repeated login failures from h` (summary: count 0),
//!   `FTP LOGIN FROM h, u` and `ANONYMOUS FTP LOGIN FROM h, email` (successes; the
//!   anonymous account is reported as `anonymous`, not the e-mail address given).
//! * vsftpd, its own log or syslog: `[pid 1] [USER] FAIL LOGIN: Client "IP"[, "reason"]`,
//!   `… OK LOGIN: Client "IP"`.
//! * proftpd: `SERVER (NAME[IP]): USER u (Login failed): Incorrect password.`,
//!   `… USER u: no such user found from …`, `… SECURITY VIOLATION: root login
//!   attempted`, `… Maximum login attempts (3) exceeded` (count 0), `… USER u: Login
//!   successful.` The source is the session prefix `(NAME[IP])` at the start, never
//!   the `from NAME [IP]` later in the line (which repeats what the client said).
//!   proftpd 1.3.8 logs no successful login at its default log level (NOTICE), in its
//!   SystemLog or through syslog; its ExtendedLog in the `auth` format of its
//!   documentation (`%v [%P] %h %t "%r" %s`, Debian's `proftpd/auth.log`) does:
//!   `NAME [PID] IP [07/Dec/2026:12:10:58 +0000] "PASS (hidden)" 230` (530: failed). The
//!   account is on the session's `"USER u" 331` line before it, which the parser
//!   remembers by pid. Its 530s are the SystemLog's failures again, in another file: the
//!   guessing detectors take failures of one source and service that overlap in time in
//!   two files as copies, not as more guesses, and a login counts the failures its own
//!   file saw before it — which is why the 530s are read at all.
//! * pure-ftpd: `(?@IP) [WARNING] Authentication failed for user [U]` and its
//!   translations; `(U@IP) [INFO] U is now logged in`, `(?@IP) [INFO] Anonymous user
//!   logged in`.

use super::Parsed;
use super::text::{
    basename, contains, find, host, rsplit_once, split_once, starts_with_ignore_case, token,
    trailing_bracket, trim_end,
};
use crate::auth::event::{AuthOutcome, Service};

pub(crate) fn parse<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let name = basename(program);
    if name.starts_with(b"proftpd") {
        return proftpd(message);
    }
    if name.starts_with(b"pure-ftpd") {
        return pure_ftpd(message);
    }
    if let Some(parsed) = vsftpd(message) {
        return Some(parsed);
    }
    if program.is_empty()
        && let Some(parsed) = proftpd_extended(message)
    {
        return Some(parsed);
    }
    bsd(message)
}

/// proftpd's ExtendedLog, `auth` format: `NAME [PID] IP [DD/Mon/YYYY:…] "PASS (hidden)"
/// 230` or `530` (a line without syslog header, handed over whole). The user is on the
/// `"USER u" 331` line of the same pid, which [`super::AuthParser`] remembers
/// ([`proftpd_extended_user`]).
fn proftpd_extended(message: &[u8]) -> Option<Parsed<'_>> {
    let (body, outcome) = if let Some(body) = message.strip_suffix(b"\"PASS (hidden)\" 230") {
        (body, AuthOutcome::Success)
    } else {
        let body = message.strip_suffix(b"\"PASS (hidden)\" 530")?;
        (body, AuthOutcome::Failure)
    };
    let (_, ip) = proftpd_extended_session(body)?;
    ftp(outcome, ip)
}

/// The pid and client of an ExtendedLog line in the `auth` format, up to its request:
/// `NAME [PID] IP [stamp]`, from the right (the server name may hold spaces).
fn proftpd_extended_session(line: &[u8]) -> Option<(u32, &[u8])> {
    let (_, _, open) = kensa_logs::clf::parse(line)?;
    let before = trim_end(line.get(..open)?);
    let (pid_part, ip) = rsplit_once(before, b" ")?;
    let (_, pid) = trailing_bracket(pid_part)?;
    Some((super::text::number(pid)?, ip))
}

/// An ExtendedLog `auth` line's pid, when it is a `PASS` (230 or 530), and whether it
/// ends the session's tries (a success).
pub(crate) fn proftpd_extended_pass_pid(message: &[u8]) -> Option<(u32, bool)> {
    let (body, done) = match message.strip_suffix(b"\"PASS (hidden)\" 230") {
        Some(body) => (body, true),
        None => (message.strip_suffix(b"\"PASS (hidden)\" 530")?, false),
    };
    proftpd_extended_session(body).map(|(pid, _)| (pid, done))
}

/// An ExtendedLog `auth` line naming the account of its session: `… "USER u" 331`
/// (the server asked for the password): the pid and the user.
pub(crate) fn proftpd_extended_user(message: &[u8]) -> Option<(u32, &[u8])> {
    let body = message.strip_suffix(b"\" 331")?;
    let (line, user) = rsplit_once(body, b" \"USER ")?;
    let (_, _, open) = kensa_logs::clf::parse(line)?;
    // The request follows the stamp's bracket directly (`[…] "USER u"`).
    if open + 28 != line.len() || user.is_empty() {
        return None;
    }
    let (pid, _) = proftpd_extended_session(line)?;
    Some((pid, user))
}

/// BSD ftpd, wu-ftpd and gssftpd messages.
fn bsd(message: &[u8]) -> Option<Parsed<'_>> {
    if let Some(rest) = message.strip_prefix(b"failed login from ") {
        let (from, user) = from_and_user(rest);
        return Some(ftp(AuthOutcome::Failure, from)?.user_opt(user));
    }
    if let Some(rest) = message.strip_prefix(b"repeated login failures from ") {
        let (from, user) = from_and_user(rest);
        return Some(ftp(AuthOutcome::Failure, from)?.user_opt(user).count(0));
    }
    for (prefix, outcome) in [
        (&b"FTP LOGIN FAILED FROM "[..], AuthOutcome::Failure),
        (b"FTP LOGIN REFUSED FROM ", AuthOutcome::Failure),
        (b"FTP LOGIN FROM ", AuthOutcome::Success),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (from, user) = from_and_user(rest);
            return Some(ftp(outcome, from)?.user_opt(user));
        }
    }
    // wu-ftpd: `FTP LOGIN REFUSED (username in denied-uid) FROM h, u`.
    if let Some(rest) = message.strip_prefix(b"FTP LOGIN REFUSED (") {
        let (_, rest) = split_once(rest, b") FROM ")?;
        let (from, user) = from_and_user(rest);
        return Some(ftp(AuthOutcome::Failure, from)?.user_opt(user));
    }
    if let Some(rest) = message.strip_prefix(b"ANONYMOUS FTP LOGIN FROM ") {
        let (from, _email) = from_and_user(rest);
        return Some(ftp(AuthOutcome::Success, from)?.user(b"anonymous"));
    }
    None
}

/// `NAME [IP], USER`, `NAME, USER`, `IP (NAME)`: the address (the bracketed one when
/// both are logged) and the user. The user is after the last `, ` — but only a `, `
/// that follows the host part, which has no spaces but for ` [IP]` / ` (NAME)`.
fn from_and_user(rest: &[u8]) -> (&[u8], Option<&[u8]>) {
    let rest = trim_end(rest);
    let (name, after) = token(rest);
    let name = name.strip_suffix(b",").unwrap_or(name);
    if let Some(after) = after.strip_prefix(b" [")
        && let Some((ip, tail)) = split_once(after, b"]")
    {
        let user = tail.strip_prefix(b", ").or_else(|| tail.strip_prefix(b","));
        return (ip, user.map(trim_user));
    }
    if let Some(after) = after.strip_prefix(b" (")
        && let Some((_dns, tail)) = split_once(after, b")")
    {
        let user = tail.strip_prefix(b", ");
        return (name, user.map(trim_user));
    }
    let user = after
        .strip_prefix(b", ")
        .or_else(|| after.strip_prefix(b",  "))
        .or_else(|| after.strip_prefix(b" "));
    (name, user.map(trim_user))
}

fn trim_user(user: &[u8]) -> &[u8] {
    super::text::trim_start(user)
}

fn ftp(outcome: AuthOutcome, from: &[u8]) -> Option<Parsed<'_>> {
    Some(Parsed::new(Service::Ftp, outcome).source(host(from)?))
}

/// vsftpd: `[pid N] [USER] FAIL LOGIN: Client "IP"` (own log; the `[pid N] ` is absent
/// in syslog copies).
fn vsftpd(message: &[u8]) -> Option<Parsed<'_>> {
    let rest = match message.strip_prefix(b"[pid ") {
        Some(rest) => split_once(rest, b"] ")?.1,
        None => message,
    };
    let rest = rest.strip_prefix(b"[")?;
    let (outcome, at) = if let Some(at) = find(rest, b"] FAIL LOGIN: Client \"") {
        (AuthOutcome::Failure, at)
    } else if let Some(at) = find(rest, b"] OK LOGIN: Client \"") {
        (AuthOutcome::Success, at)
    } else {
        return None;
    };
    let user = rest.get(..at)?;
    let client = split_once(rest.get(at..)?, b"Client \"")?.1;
    let (ip, _) = split_once(client, b"\"")?;
    let user: &[u8] = if user == b"ftp" || user == b"anonymous" {
        b"anonymous"
    } else {
        user
    };
    Some(ftp(outcome, ip)?.user(user))
}

/// proftpd: `SERVER (NAME[IP]): MSG` or `SERVER (NAME[IP]) - MSG`.
fn proftpd(message: &[u8]) -> Option<Parsed<'_>> {
    let open = find(message, b" (")?;
    let session = message.get(open + 2..)?;
    let close = find(session, b"]) - ")
        .map(|at| (at, 5))
        .or_else(|| find(session, b"]): ").map(|at| (at, 4)))?;
    let inside = session.get(..close.0 + 1)?;
    let msg = session.get(close.0 + close.1..)?;
    let (_, ip) = trailing_bracket(inside)?;
    let base = |outcome| ftp(outcome, ip);
    let msg = trim_end(msg);
    if let Some(rest) = msg.strip_prefix(b"USER ") {
        if let Some((user, reason)) = rsplit_once(rest, b" (Login failed):") {
            let outcome = if contains(reason, b"ftpusers") || contains(reason, b"denied") {
                AuthOutcome::Refused
            } else {
                AuthOutcome::Failure
            };
            return Some(base(outcome)?.user(user));
        }
        if let Some((user, _)) = rsplit_once(rest, b": no such user found") {
            return Some(base(AuthOutcome::InvalidUser)?.user(user));
        }
        if let Some((user, _)) = rsplit_once(rest, b": Login successful") {
            return Some(base(AuthOutcome::Success)?.user(user));
        }
        return None;
    }
    if let Some(rest) = msg.strip_prefix(b"ANON ") {
        let (_user, _) = rsplit_once(rest, b": Login successful")?;
        return Some(base(AuthOutcome::Success)?.user(b"anonymous"));
    }
    if let Some(rest) = msg.strip_prefix(b"SECURITY VIOLATION: ") {
        if starts_with_ignore_case(rest, b"root login attempted") {
            // The account as logged (`root`, mod_sftp's `Root`).
            return Some(base(AuthOutcome::Refused)?.user(token(rest).0));
        }
        return None;
    }
    if msg.starts_with(b"Maximum login attempts") {
        return Some(base(AuthOutcome::Failure)?.count(0));
    }
    None
}

/// The texts pure-ftpd logs for a failed password, in the languages it ships
/// (`src/messages_*.h`, `MSG_AUTH_FAILED_LOG`), each followed by ` [USER]`.
const PURE_FTPD_FAILED: &[&[u8]] = &[
    b"Authentication failed for user",
    b"Authentifizierung fehlgeschlagen f\xc3\xbcr Benutzer",
    b"Authentification \xc3\xa9chou\xc3\xa9e pour l'utilisateur",
    b"Authentification echouee pour l'utilisateur",
    b"Autenticaci\xc3\xb3n fallida para el usuario",
    b"Autenticazione fallita per l'utente",
    b"Autentica\xc3\xa7\xc3\xa3o falhou para usu\xc3\xa1rio",
    b"Aanmelding mislukt voor gebruiker",
];

/// pure-ftpd: `(USER@IP) [LEVEL] TEXT`.
fn pure_ftpd(message: &[u8]) -> Option<Parsed<'_>> {
    let rest = message.strip_prefix(b"(")?;
    let (who, rest) = split_once(rest, b") [")?;
    let (_, ip) = rsplit_once(who, b"@")?;
    let (_level, text) = split_once(rest, b"] ")?;
    if let Some(failed) = PURE_FTPD_FAILED.iter().find(|f| text.starts_with(f)) {
        let tail = text.get(failed.len()..)?;
        let user = tail.strip_prefix(b" [").and_then(|u| u.strip_suffix(b"]"));
        return Some(ftp(AuthOutcome::Failure, ip)?.user_opt(user));
    }
    if let Some((user, _)) = rsplit_once(text, b" is now logged in") {
        return Some(ftp(AuthOutcome::Success, ip)?.user(user));
    }
    if text == b"Anonymous user logged in" {
        return Some(ftp(AuthOutcome::Success, ip)?.user(b"anonymous"));
    }
    None
}
