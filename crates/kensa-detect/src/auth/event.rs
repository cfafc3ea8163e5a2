//! The authentication event.

use kensa_core::{Evidence, LogTime};
use std::fmt;

/// The service a login was made to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Service {
    /// sshd, dropbear.
    Ssh,
    /// telnetd / login(1) on a pseudo-terminal from a remote host.
    Telnet,
    /// login(1) on a console or serial line.
    Login,
    /// rlogind, rshd, rexecd.
    Rsh,
    /// Any FTP daemon.
    Ftp,
    /// POP3 servers.
    Pop,
    /// IMAP servers.
    Imap,
    /// su(1).
    Su,
    /// sudo(8).
    Sudo,
    /// SMTP AUTH (sendmail, postfix, exim).
    Smtp,
    /// One of POP3, IMAP and SMTP AUTH, not knowing which: PAM's `dovecot` service,
    /// which checks the passwords of dovecot's IMAP and POP3 and of the SMTP AUTH it
    /// answers for Postfix. The same try's line of the daemon names the protocol.
    Mail,
    /// Anything else that authenticates (xrdp, webmin, PAM of an unknown service).
    Other,
}

impl Service {
    /// Lowercase name used in findings.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Ssh => "ssh",
            Service::Telnet => "telnet",
            Service::Login => "login",
            Service::Rsh => "rsh",
            Service::Ftp => "ftp",
            Service::Pop => "pop",
            Service::Imap => "imap",
            Service::Su => "su",
            Service::Sudo => "sudo",
            Service::Smtp => "smtp",
            Service::Mail => "mail",
            Service::Other => "other",
        }
    }
}

impl Service {
    /// Whether a try of `self` and one of `other` may be the same try seen by two
    /// witnesses: the same service, or [`Service::Mail`] and one of the protocols it
    /// stands for.
    pub fn may_be(self, other: Service) -> bool {
        let mail = |s: Service| matches!(s, Service::Pop | Service::Imap | Service::Smtp);
        self == other
            || (self == Service::Mail && mail(other))
            || (other == Service::Mail && mail(self))
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthOutcome {
    /// A wrong password (or key) for an existing or unknown account.
    Failure,
    /// The account does not exist (sshd `Invalid user`, `unknown user`): also a failure.
    InvalidUser,
    /// Refused before any password (tcp wrappers `refused connect`, ftpusers, `not allowed`).
    Refused,
    /// The password was accepted.
    Success,
    /// A session opened without a password event of its own (PAM `session opened`, wtmp).
    Session,
}

impl AuthOutcome {
    /// Whether this counts as a failed guess.
    pub fn is_failure(self) -> bool {
        matches!(self, AuthOutcome::Failure | AuthOutcome::InvalidUser)
    }

    /// Whether the user got in.
    pub fn is_success(self) -> bool {
        matches!(self, AuthOutcome::Success | AuthOutcome::Session)
    }
}

/// One authentication event, from one log line or login record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthEvent {
    /// The host that logged it.
    pub host: String,
    /// The service.
    pub service: Service,
    /// What happened.
    pub outcome: AuthOutcome,
    /// The account, as logged (lossy UTF-8, control bytes kept for the writers to escape).
    pub user: Option<String>,
    /// The remote address or host name, from the message's grammar. For su: None (the
    /// local user is in `local_user`).
    pub source: Option<String>,
    /// The remote port, when logged.
    pub port: Option<u16>,
    /// The client's address, when `source` is a name and the same line or record also
    /// stated the address (an audit record's `addr=` beside `hostname=`, a utmp
    /// record's `ut_addr` beside `ut_host`): the guessing detectors join the name's
    /// events to the address's.
    pub address: Option<String>,
    /// For su/sudo: the user who ran it (`'su root' failed for tanaka`), or the tty.
    pub local_user: Option<String>,
    /// When.
    pub time: Option<LogTime>,
    /// How many failures (or successes) this line stands for: 1, or N for `N LOGIN
    /// FAILURES`, `message repeated N times`, `REPEATED LOGIN FAILURES` (5 on SunOS).
    pub count: u32,
    /// The line names an account but no credential was tried on it: sshd's `Invalid
    /// user U from A` when the connection goes no further, `Failed none`, the end of a
    /// connection that named an account, audit's `PAM:bad_ident`. A source whose
    /// failure lines are all probes is enumerating accounts (LG007), not guessing
    /// passwords.
    pub probe: bool,
    /// The line (or record) it came from.
    pub evidence: Evidence,
}
