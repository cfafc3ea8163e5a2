//! Log lines of every login service turned into [`AuthEvent`]s, one event per line.
//!
//! Each file here knows one family of daemons (`sshd.rs`, `login.rs`, `ftpd.rs`, …) and
//! turns a message into a [`Parsed`] that borrows from the line; [`AuthParser`] tries
//! them in turn, adds the host, time and evidence, and handles syslogd's repetition
//! lines. Nothing is correlated here: which failures belong together is the guessing
//! detectors' business.
//!
//! # Attribution
//!
//! The source of an event is the field of the message's own grammar, found by anchoring
//! at the end of the daemon's known text: sshd's `Failed password for U from A port P
//! ssh2` is read from the right (` port P ssh2`, then ` from A`), and the user is what
//! remains — a user name `x from 10.0.0.1` cannot move the source. PAM's `rhost=` is a
//! key=value field at its fixed place, so a user `x rhost=10.0.0.1` cannot win either.
//! User names are kept as logged, control bytes and ANSI escapes included (lossy UTF-8):
//! the report writers escape them.
//!
//! # Counts
//!
//! `count` is how many password guesses a line stands for: 1 for most failures, N for
//! BSD login's `N LOGIN FAILURES FROM h, u`, the rsyslog/syslogd repetition count,
//! sudo's `3 incorrect password attempts`, dovecot's `(auth failed, 3 attempts)`, 5 for
//! SunOS `REPEATED LOGIN FAILURES ON tty FROM h` (its login logs that line after the
//! fifth failure and nothing per try). Summary lines that repeat what per-try lines
//! already said — `TOO MANY LOGIN TRIES`, `maximum authentication attempts exceeded`
//! (which stands for one try when its connection logged none: sshd logs a valid
//! account's failed keys only at VERBOSE), ftpd's `repeated login failures`, BSD login's `REPEATED LOGIN FAILURES` next to its
//! count line, sshd's `Invalid user` announcement before the `Failed password` of the
//! same try, the end of an sshd connection that named an account — give an event with
//! **count 0**: the detectors still learn the source and the account, and sums stay
//! exact.
//!
//! PAM and the daemon may both log one try (`pam_unix(sshd:auth): authentication
//! failure` then `Failed password`): each line gives its event with count 1, because
//! many systems log only one of the two (loghub's Linux host logs only the PAM line).
//! Detectors that sum counts should merge a PAM failure with the daemon's own failure
//! of the same host and pid.
//!
//! A plain tcp-wrappers `connect from` is a connection, not an authentication, and gives
//! nothing; `refused connect from` is [`AuthOutcome::Refused`].

pub mod audit;
mod connection;
mod ftpd;
mod login;
mod mail;
mod other;
mod pam;
mod sshd;
mod su;
mod tcpd;
mod text;
mod xinetd;

use super::event::{AuthEvent, AuthOutcome, Service};
use connection::{Connections, Line, Role};
use kensa_core::LogTime;
use kensa_logs::record::Record;
use std::collections::HashMap;

/// Literals every auth line contains at least one of, for the engine's prefilter.
///
/// Few and broad, because the prefilter's automaton (Teddy) slows down with every
/// literal: measured on the plain files of a 200 MiB generated corpus (80 MB, release
/// build, together with the sendmail detector's literals), 57 narrow literals ran at
/// 370 MB/s, 27 broad ones at about 800 MB/s, the sendmail literals alone at 2,700 MB/s. A
/// broad literal lets a few more lines through (182,000 candidates instead of 150,000,
/// nearly all of them real authentication events), which the parsers reject in well
/// under a microsecond each. Each literal's first bytes are still rare in ordinary text:
/// `uthentica` covers PAM's `authentication failure`, SASL, pure-ftpd, postfix, exim
/// and perdition; `LOGIN` every upper-case login(1), ftpd, vsftpd and courier message;
/// `ogin` `Login`, `failed login`, `badlogin`, `root login`; ` /dev/` the su lines.
/// Added since, for lines that hold none of the others: proftpd's ExtendedLog (`" 230`,
/// `" 331`, `" 530`), pure-ftpd's anonymous login (`ymous user logged`), Postfix's and
/// exim's SMTP AUTH logins (`sasl_method=` of Postfix's queue file's `client=` line, the
/// ` A=` of exim's `<=`), Solaris's own sulog and loginlog (`SU `, `:/dev/`), sshd's
/// connection ends and VERBOSE opens (`Auth fail`, `Connection from`). Measured with
/// `examples/prefilter_cost.rs` under callgrind on the same 80 MB: the 27 took 437 M
/// instructions, the 35 before `sasl_method=` and ` A=` 481 M (+10 %); swapping the three
/// ExtendedLog literals for two (`(hidden)"`, `"USER `) saved nothing.
pub const NEEDLES: &[&str] = &[
    "uthentica",
    "LOGIN",
    "ogin",
    "ailed",
    "ccepted",
    "valid ",
    "legal user",
    "session opened",
    "refused",
    " /dev/",
    "Successful su",
    "assword",
    "llowed",
    "auth tries",
    "FAIL",
    "such user",
    "[WARNING] A",
    "w logged in",
    "tried to use",
    "unknown user",
    "AUTH",
    "essage repeated",
    "APOP",
    "changing from",
    "uth succeeded",
    "+ tty",
    "- tty",
    // su's own `var/adm/sulog` (`SU 10/20 14:01 + pts/1 a-root`) and login's
    // `var/adm/loginlog` (`root:/dev/pts/3:Mon Jun  8 …`).
    "SU ",
    ":/dev/",
    // A client that gave up: `Received disconnect from A port P:3: …: Auth fail`; sshd's
    // `Connection from A port P` (VERBOSE), which names the client of old sshd's
    // `Disconnecting: Too many authentication failures`.
    "Auth fail",
    "Connection from",
    "\" 230",
    "\" 331",
    "\" 530",
    "ymous user logged",
    "sasl_method=",
    " A=",
];

/// What one message says, borrowed from the line. Family parsers fill it in;
/// [`AuthParser`] turns it into an [`AuthEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parsed<'a> {
    pub service: Service,
    pub outcome: AuthOutcome,
    pub user: Option<&'a [u8]>,
    pub source: Option<&'a [u8]>,
    pub port: Option<u16>,
    pub local_user: Option<&'a [u8]>,
    pub count: u32,
    /// What the line says of its sshd connection's tries (see `connection`).
    pub role: Role,
    /// An account named, no credential tried ([`AuthEvent::probe`]).
    pub probe: bool,
}

impl<'a> Parsed<'a> {
    /// An event of `service` with `outcome`, count 1 and nothing else known yet.
    pub(crate) fn new(service: Service, outcome: AuthOutcome) -> Parsed<'a> {
        Parsed {
            service,
            outcome,
            user: None,
            source: None,
            port: None,
            local_user: None,
            count: 1,
            role: Role::Plain,
            probe: false,
        }
    }

    pub(crate) fn user(mut self, user: &'a [u8]) -> Self {
        self.user = Some(user);
        self
    }

    pub(crate) fn user_opt(mut self, user: Option<&'a [u8]>) -> Self {
        self.user = user;
        self
    }

    pub(crate) fn source(mut self, source: &'a [u8]) -> Self {
        self.source = Some(text::normalize_host(source));
        self
    }

    pub(crate) fn source_opt(mut self, source: Option<&'a [u8]>) -> Self {
        self.source = source.map(text::normalize_host);
        self
    }

    pub(crate) fn port(mut self, port: Option<u16>) -> Self {
        self.port = port;
        self
    }

    pub(crate) fn local_user(mut self, user: &'a [u8]) -> Self {
        self.local_user = Some(user);
        self
    }

    pub(crate) fn count(mut self, count: u32) -> Self {
        self.count = count;
        self
    }

    pub(crate) fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    pub(crate) fn probe(mut self) -> Self {
        self.probe = true;
        self
    }
}

/// The service a program name stands for, when the message does not say.
pub(crate) fn service_of_program(program: &[u8]) -> Service {
    let name = text::basename(program);
    let has = |s: &[u8]| text::contains(name, s);
    if has(b"ssh") || has(b"dropbear") {
        Service::Ssh
    } else if has(b"telnet") {
        Service::Telnet
    } else if has(b"ftp") {
        Service::Ftp
    } else if has(b"pop") {
        Service::Pop
    } else if has(b"imap") {
        Service::Imap
    } else if has(b"rlogin") || has(b"rsh") || has(b"rexec") {
        Service::Rsh
    } else if name == b"su" {
        Service::Su
    } else if name == b"sudo" {
        Service::Sudo
    } else if name == b"login" {
        Service::Login
    } else if has(b"smtp") || has(b"sendmail") || has(b"sm-mta") || has(b"exim") {
        Service::Smtp
    } else {
        Service::Other
    }
}

/// One message of `program`, through every family parser. Stateless.
pub(crate) fn parse_message<'a>(program: &'a [u8], message: &'a [u8]) -> Option<Parsed<'a>> {
    let message = text::trim_end(message);
    sshd::parse(program, message)
        .or_else(|| pam::parse(program, message))
        .or_else(|| su::parse(program, message))
        .or_else(|| login::parse(program, message))
        .or_else(|| ftpd::parse(program, message))
        .or_else(|| mail::parse(program, message))
        .or_else(|| tcpd::parse(program, message))
        .or_else(|| xinetd::parse(program, message))
        .or_else(|| other::parse(program, message))
}

/// Most hosts whose last event is remembered for `last message repeated N times`; past
/// it the memory is dropped (a repetition line then gives nothing, never a wrong event).
const MAX_REMEMBERED_HOSTS: usize = 4096;

/// How far back (in lines of the scanner's look-back context) a repetition line looks
/// for the line it repeats.
const REPEAT_LOOKBACK_LINES: usize = 256;

/// Without look-back context, a repetition line is taken to repeat the host's last
/// authentication event only if it comes at most this long after it: syslogd flushes a
/// pending repetition count after 30 s, 2 min and at most 10 min (FreeBSD's
/// `repeatinterval`), so a later summary repeats a line the parser never saw.
const REPEAT_MAX_SECONDS: i64 = 600;

/// Turns records into authentication events.
///
/// State: per host, the last event and its line, for syslogd's `last message repeated N
/// times` (which names neither program nor message). rsyslog's `message repeated N
/// times: [ msg ]` carries the message and needs no state. The map is bounded by
/// [`MAX_REMEMBERED_HOSTS`]. And sshd's open connections, by host and pid, so that a
/// try logged by sshd, by PAM and announced by `Invalid user` counts once (see
/// `connection`; bounded by its `MAX_CONNECTIONS`). And the account of each open proftpd
/// ExtendedLog session, whose success line does not name it.
#[derive(Default)]
pub struct AuthParser {
    last: HashMap<String, Remembered>,
    connections: Connections,
    /// proftpd ExtendedLog sessions by (host, pid): the account their `USER` named, for
    /// the `PASS` 230 that follows (bounded by [`MAX_FTP_SESSIONS`]).
    ftp_sessions: HashMap<(String, u32), String>,
}

/// Most proftpd ExtendedLog sessions whose account is remembered; past it the memory is
/// dropped (a success then has no user, never a wrong one).
const MAX_FTP_SESSIONS: usize = 4096;

/// Bytes of a remembered proftpd account name.
const MAX_FTP_USER_BYTES: usize = 256;

/// What a repetition line needs of a host's last event. Updated in place, so that
/// remembering costs no allocation once a host's strings have grown to size (every
/// event is remembered, and most are never repeated).
#[derive(Debug, Default)]
struct Remembered {
    line: u64,
    time: Option<LogTime>,
    service: Option<Service>,
    outcome: Option<AuthOutcome>,
    user: Option<String>,
    source: Option<String>,
    port: Option<u16>,
    local_user: Option<String>,
    /// The line's own count, before its connection's share was taken.
    count: u32,
    probe: bool,
    /// The connection the line was of: its role and pid (sshd only).
    role: Role,
    pid: Option<u32>,
}

impl Remembered {
    fn set(&mut self, line: u64, event: &AuthEvent, count: u32, connection: Option<(Role, u32)>) {
        fn copy(dst: &mut Option<String>, src: &Option<String>) {
            match (dst.as_mut(), src) {
                (Some(dst), Some(src)) => {
                    dst.clear();
                    dst.push_str(src);
                }
                _ => dst.clone_from(src),
            }
        }
        self.line = line;
        self.time = event.time;
        self.service = Some(event.service);
        self.outcome = Some(event.outcome);
        copy(&mut self.user, &event.user);
        copy(&mut self.source, &event.source);
        self.port = event.port;
        copy(&mut self.local_user, &event.local_user);
        self.count = count;
        self.probe = event.probe;
        (self.role, self.pid) = match connection {
            Some((role, pid)) => (role, Some(pid)),
            None => (Role::Plain, None),
        };
    }
}

impl AuthParser {
    /// The event a record stands for, if any.
    pub fn parse(&mut self, record: &Record<'_>) -> Option<AuthEvent> {
        let message = text::trim_end(record.message);
        if record.program.is_empty()
            && let Some((pid, user)) = ftpd::proftpd_extended_user(message)
        {
            self.remember_ftp_user(record, pid, user);
            return None;
        }
        if let Some(times) = bsd_repetition(record.program, message) {
            return self.repeated(record, times);
        }
        let (inner, times) = match rsyslog_repetition(message) {
            Some((times, inner)) => (inner, times),
            None => (message, 1),
        };
        let parsed = parse_message(record.program, inner).or_else(|| {
            // exim's own log has no host or program: the header parser takes exim's
            // first word for a host and leaves no program.
            record
                .program
                .is_empty()
                .then(|| mail::exim(record.at.raw))
                .flatten()
        })?;
        let role = parsed.role;
        let mut event = self.event(record, parsed);
        if record.program.is_empty()
            && event.user.is_none()
            && let Some((pid, done)) = ftpd::proftpd_extended_pass_pid(message)
        {
            let key = (event.host.clone(), pid);
            event.user = if done {
                self.ftp_sessions.remove(&key)
            } else {
                self.ftp_sessions.get(&key).cloned()
            };
        }
        let count = event.count.saturating_mul(times);
        let connection = record
            .pid
            .filter(|_| {
                role != Role::Plain
                    && (sshd::is_ssh(record.program) || login::is_login(record.program))
            })
            .map(|pid| (role, pid));
        event.count = self.connection_share(&event, count, connection);
        if role == Role::Open {
            // Not an authentication: only what the connection's later lines leave out.
            return None;
        }
        // login(1)'s session lines and old sshd's `Disconnecting: Too many authentication
        // failures` name no client; the other lines of the same process did.
        if event.source.is_none()
            && (login::is_login(record.program) || sshd::is_ssh(record.program))
            && let Some(pid) = record.pid
            && let Some(source) =
                self.connections
                    .source_of(&event.host, pid, event.time.map(|t| t.epoch_seconds()))
        {
            event.source = Some(source.to_string());
            if event.service == Service::Login {
                event.service = Service::Telnet;
            }
        }
        self.remember(record, &event, count, connection);
        Some(event)
    }

    fn remember_ftp_user(&mut self, record: &Record<'_>, pid: u32, user: &[u8]) {
        if self.ftp_sessions.len() >= MAX_FTP_SESSIONS {
            self.ftp_sessions.clear();
        }
        let user = user.get(..MAX_FTP_USER_BYTES).unwrap_or(user);
        self.ftp_sessions.insert(
            (record.host.to_string(), pid),
            String::from_utf8_lossy(user).into_owned(),
        );
    }

    /// The tries of `count` that the event adds to its sshd connection, or `count` when
    /// it is of no connection. An announcement stands for one try only in a connection:
    /// without the pid, the `Failed` line that follows cannot be told to be the same try.
    fn connection_share(
        &mut self,
        event: &AuthEvent,
        count: u32,
        connection: Option<(Role, u32)>,
    ) -> u32 {
        let Some((role, pid)) = connection else {
            return count;
        };
        self.connections.count(&Line {
            host: &event.host,
            pid,
            role,
            count,
            port: event.port,
            source: event.source.as_deref(),
            second: event.time.map(|t| t.epoch_seconds()),
        })
    }

    fn event(&self, record: &Record<'_>, parsed: Parsed<'_>) -> AuthEvent {
        let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        AuthEvent {
            host: record.host.to_string(),
            service: parsed.service,
            outcome: parsed.outcome,
            user: parsed.user.map(lossy),
            source: parsed.source.map(lossy),
            port: parsed.port,
            address: None,
            local_user: parsed.local_user.map(lossy),
            time: record.time,
            count: parsed.count,
            probe: parsed.probe,
            evidence: record.evidence(),
        }
    }

    fn remember(
        &mut self,
        record: &Record<'_>,
        event: &AuthEvent,
        count: u32,
        connection: Option<(Role, u32)>,
    ) {
        if let Some(slot) = self.last.get_mut(event.host.as_str()) {
            slot.set(record.at.line, event, count, connection);
            return;
        }
        if self.last.len() >= MAX_REMEMBERED_HOSTS {
            self.last.clear();
        }
        let mut slot = Remembered::default();
        slot.set(record.at.line, event, count, connection);
        self.last.insert(event.host.clone(), slot);
    }

    /// `last message repeated N times`: the host's previous line again, N times. When
    /// the scanner's look-back context holds the previous line of this host, it decides
    /// (a non-auth line in between means the repetition is of that line, not ours);
    /// otherwise the remembered event of the host stands if it is at most
    /// [`REPEAT_MAX_SECONDS`] old — a guess that can still be wrong when another line of
    /// the host came in between; it errs towards a repeated event only then.
    fn repeated(&mut self, record: &Record<'_>, times: u32) -> Option<AuthEvent> {
        let host = record.host.as_ref();
        let remembered = self.last.get(host)?;
        let line = &remembered.line;
        if !record.at.before.is_empty() {
            let previous = record
                .at
                .preceding()
                .take(REPEAT_LOOKBACK_LINES)
                .find(|l| same_host(l.raw, host))?;
            if previous.line != *line {
                return None;
            }
        } else {
            // No context: the event must be earlier in the file and recent enough that
            // no other line of the host can have come between unseen.
            let (Some(then), Some(now)) = (remembered.time, record.time) else {
                return None;
            };
            let gap = now.epoch_seconds() - then.epoch_seconds();
            if *line >= record.at.line || !(0..=REPEAT_MAX_SECONDS).contains(&gap) {
                return None;
            }
        }
        let count = remembered.count.saturating_mul(times);
        let opens = remembered.role == Role::Open;
        let connection = remembered.pid.map(|pid| (remembered.role, pid));
        let mut event = AuthEvent {
            host: host.to_string(),
            service: remembered.service?,
            outcome: remembered.outcome?,
            user: remembered.user.clone(),
            source: remembered.source.clone(),
            port: remembered.port,
            address: None,
            local_user: remembered.local_user.clone(),
            time: record.time,
            count,
            probe: remembered.probe,
            evidence: record.evidence(),
        };
        event.count = self.connection_share(&event, count, connection);
        (!opens).then_some(event)
    }
}

/// Whether a raw line's syslog header names `host`.
fn same_host(raw: &[u8], host: &str) -> bool {
    kensa_logs::syslog::parse(raw)
        .and_then(|h| h.host)
        .is_some_and(|h| h == host.as_bytes())
}

/// syslogd's `last message repeated N times` (no program): N.
fn bsd_repetition(program: &[u8], message: &[u8]) -> Option<u32> {
    if !program.is_empty() {
        return None;
    }
    let rest = message.strip_prefix(b"last message repeated ")?;
    let (times, rest) = text::leading_number(rest)?;
    matches!(rest, b" times" | b" time").then_some(times)
}

/// rsyslog's `message repeated N times: [ msg]`: N and msg.
fn rsyslog_repetition(message: &[u8]) -> Option<(u32, &[u8])> {
    let rest = message.strip_prefix(b"message repeated ")?;
    let (times, rest) = text::leading_number(rest)?;
    let rest = rest.strip_prefix(b" times: [")?;
    let inner = rest.strip_suffix(b"]").unwrap_or(rest);
    Some((times, text::trim_end(text::trim_start(inner))))
}

#[cfg(test)]
mod tests;
