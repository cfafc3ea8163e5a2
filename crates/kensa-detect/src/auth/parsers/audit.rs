//! Linux audit records (auditd's `audit.log`) turned into [`AuthEvent`]s.
//!
//! PAM (through libpam's audit support), sshd, login, su and sudo each send the kernel a
//! user-space record per step of a login; auditd writes them to `audit.log`. Which
//! record stands for what, so that one password try counts once:
//!
//! | record | `res=failed` | `res=success` |
//! |---|---|---|
//! | `USER_AUTH` (PAM `authenticate`; RHEL's sshd also per method: `op=password`, `op=pubkey`) | failure, count 1 | success |
//! | `USER_ERR` (PAM error; sshd's `op=PAM:bad_ident` for an invalid user that tried nothing: a probe, LG007) | failure, count 1 | — |
//! | `USER_LOGIN` (sshd, login: the end of a login) | failure, count 0 | session |
//! | `USER_ACCT` (PAM `acct_mgmt`: expired, `pam_access`, `nologin`) | refused | — |
//! | `ANOM_LOGIN_FAILURES` (pam_faillock / pam_tally2: the account hit its limit) | failure, count 0 | failure, count 0 |
//!
//! A failed `USER_LOGIN` has count 0 because sshd sends one for every failed method of
//! a connection — the `none` probe each client starts with included — beside PAM's
//! `USER_AUTH` of the same password try; it still tells the detectors the source and the
//! account. RHEL's sshd adds a `USER_AUTH` of its own per failed method
//! (`op=password`) after PAM's record of the same try: it counts 0 when PAM's came just
//! before from the same process; and a successful `USER_LOGIN` after PAM accepted the
//! password in the same process is the same login (see [`AuditParser`]). This is
//! fail2ban's reading of the same records (its `selinux-ssh` filter
//! counts `USER_AUTH` and `USER_ERR`, not `USER_LOGIN`). `USER_START`, `USER_END`,
//! `CRED_ACQ`, `CRED_DISP`, `USER_ACCT` successes and `USER_CMD` (sudo's command) follow
//! a login already counted and give nothing.
//!
//! Fields: the account is `acct` (hex-decoded when auditd encoded it; PAM writes `?` and
//! sshd `(invalid user)` or `(unknown user)` for an account that does not exist: an
//! invalid-user failure without a name), or for a successful `USER_LOGIN`, which names
//! the account by `id=UID`, `root` for id 0 and the enriched `ID="name"` otherwise. The
//! source is `addr`, else `hostname` (`?` is none). The service is the program's (`exe`
//! basename, as for syslog's program names), `ssh` for `terminal=ssh`; a login(1) from
//! a remote host is telnet. For su and sudo, `local_user` is the enriched `AUID` name,
//! else the terminal.

use super::service_of_program;
use super::text::{basename, normalize_host};
use crate::auth::event::{AuthEvent, AuthOutcome, Service};
use kensa_core::{Evidence, LogTime};
use kensa_logs::audit::AuditRecord;
use std::collections::HashMap;

/// Literals every audit record this module reads contains, for the scan's prefilter.
pub const AUDIT_NEEDLES: &[&str] = &[
    "type=USER_AUTH ",
    "type=USER_ERR ",
    "type=USER_LOGIN ",
    "type=USER_ACCT ",
    "type=ANOM_LOGIN_FAILURES ",
];

/// Account markers sshd and PAM write instead of a name that is not an account.
/// Not account names: sshd's and PAM's markers, and shadow login's `UNKNOWN` (written
/// for a name that is no account).
const NOT_AN_ACCOUNT: &[&[u8]] = &[
    b"(invalid user)",
    b"(unknown user)",
    b"(unknown)",
    b"?",
    b"UNKNOWN",
];

/// Most processes whose last PAM authentication is remembered at once (see
/// [`AuditParser`]).
const MAX_REMEMBERED_PIDS: usize = 4096;

/// How long after PAM's failure sshd's own record of the same try may come.
const SAME_TRY_SECONDS: i64 = 5;

/// How long after PAM's accepted password sshd's or login's record of the login may come
/// (PAM's account and session modules run in between).
const SAME_LOGIN_SECONDS: i64 = 120;

/// Turns audit records into events, pairing the records two programs send for one step.
///
/// Per (host, pid), the last PAM authentication (`USER_AUTH op=PAM:…`) is remembered:
/// - RHEL's sshd sends its own `USER_AUTH` per failed method (`op=password`) right after
///   PAM's record of the same password try, from the same process: following a PAM
///   failure within [`SAME_TRY_SECONDS`] it counts 0. Without PAM (`UsePAM no`, public
///   keys) sshd's record is the only one and counts 1.
/// - RHEL's sshd logs a public key login as `USER_AUTH` `op=pubkey_auth`, `op=key` and
///   `op=success`: only `op=success` is the login (and none after PAM's success).
/// - A login is PAM's accepted password, then sshd's (or login's) `USER_LOGIN`: the
///   `USER_LOGIN` that follows a PAM success of the same process within
///   [`SAME_LOGIN_SECONDS`] gives nothing more. One with no PAM success before it (a
///   public key login) is the login.
///
/// Bounded by [`MAX_REMEMBERED_PIDS`].
#[derive(Debug, Default)]
pub struct AuditParser {
    last_pam: HashMap<(String, u64), PamStep>,
}

/// The last PAM authentication of a process.
#[derive(Debug, Clone, Copy)]
struct PamStep {
    seconds: i64,
    succeeded: bool,
}

impl AuditParser {
    /// The event an audit record stands for, if any. `host` is the machine's name (the
    /// record's `node=`, else the audited host's); `evidence` the record's line.
    pub fn event(
        &mut self,
        record: &AuditRecord<'_>,
        host: &str,
        time: Option<LogTime>,
        evidence: Evidence,
    ) -> Option<AuthEvent> {
        let mut event = audit_event(record, host, time, evidence)?;
        let pid = record
            .text(b"pid")
            .and_then(|pid| std::str::from_utf8(&pid).ok()?.parse::<u64>().ok());
        let Some(pid) = pid else {
            return Some(event);
        };
        let key = (host.to_string(), pid);
        let within =
            |step: PamStep, seconds: i64| (0..=seconds).contains(&(record.seconds - step.seconds));
        let op = record.text(b"op");
        let from_pam = op.as_deref().is_some_and(|op| op.starts_with(b"PAM:"));
        let previous = self.last_pam.get(&key).copied();
        let follows = |succeeded: bool, seconds: i64| {
            previous.is_some_and(|step| step.succeeded == succeeded && within(step, seconds))
        };
        if record.kind == b"USER_AUTH" && event.outcome == AuthOutcome::Success && !from_pam {
            // RHEL's sshd: `op=pubkey_auth` and `op=key` are steps of a public key login,
            // `op=success` its end (after PAM's own success for a password).
            if op.as_deref() != Some(b"success") || follows(true, SAME_LOGIN_SECONDS) {
                return None;
            }
        }
        if record.kind == b"USER_AUTH" && (from_pam || event.outcome == AuthOutcome::Success) {
            if self.last_pam.len() >= MAX_REMEMBERED_PIDS && !self.last_pam.contains_key(&key) {
                self.last_pam.clear();
            }
            let succeeded = event.outcome == AuthOutcome::Success;
            let step = PamStep {
                seconds: record.seconds,
                succeeded,
            };
            self.last_pam.insert(key, step);
            return Some(event);
        }
        match record.kind {
            b"USER_AUTH"
                if event.service == Service::Ssh
                    && event.outcome.is_failure()
                    && follows(false, SAME_TRY_SECONDS) =>
            {
                self.last_pam.remove(&key);
                event.count = 0;
            }
            b"USER_LOGIN"
                if event.outcome == AuthOutcome::Session && follows(true, SAME_LOGIN_SECONDS) =>
            {
                self.last_pam.remove(&key);
                return None;
            }
            _ => {}
        }
        Some(event)
    }
}

/// The event an audit record stands for by itself, if any (no state: see
/// [`AuditParser`] for the one pairing that needs it).
pub fn audit_event(
    record: &AuditRecord<'_>,
    host: &str,
    time: Option<LogTime>,
    evidence: Evidence,
) -> Option<AuthEvent> {
    let succeeded = record.succeeded();
    let (outcome, count) = match (record.kind, succeeded) {
        (b"USER_AUTH", Some(false)) | (b"USER_ERR", Some(false)) => (AuthOutcome::Failure, 1),
        (b"USER_AUTH", Some(true)) => (AuthOutcome::Success, 1),
        (b"USER_LOGIN", Some(false)) => (AuthOutcome::Failure, 0),
        (b"USER_LOGIN", Some(true)) => (AuthOutcome::Session, 1),
        (b"USER_ACCT", Some(false)) => (AuthOutcome::Refused, 1),
        (b"ANOM_LOGIN_FAILURES", _) => (AuthOutcome::Failure, 0),
        _ => return None,
    };
    let account = record.text(b"acct");
    let mut user: Option<Vec<u8>> = match account.as_deref() {
        Some(name) if NOT_AN_ACCOUNT.contains(&name) => None,
        Some(name) => Some(name.to_vec()),
        None => None,
    };
    let named_no_account = match account.as_deref() {
        Some(name) => NOT_AN_ACCOUNT.contains(&name),
        // PAM's `acct="?"` reads as unknown, which is the same marker.
        None => record.field(b"acct").is_some_and(|v| v.is_unknown()),
    };
    if user.is_none() && outcome == AuthOutcome::Session {
        user = match record.text(b"id").as_deref() {
            Some(b"0") => Some(b"root".to_vec()),
            Some(_) => record.text(b"ID").map(|name| name.into_owned()),
            None => None,
        };
    }
    let outcome = if outcome == AuthOutcome::Failure && named_no_account {
        AuthOutcome::InvalidUser
    } else {
        outcome
    };
    let exe = record.text(b"exe");
    let terminal = record.text(b"terminal");
    // The client as its program logs it (`hostname=`: login's `localhost`, a name PAM
    // resolved), with the address beside it (`addr=`) for the detectors to join the
    // two; only one of them, as it is.
    let address = record.text(b"addr").map(|s| normalize_host(&s).to_vec());
    let name = record
        .text(b"hostname")
        .map(|s| normalize_host(&s).to_vec());
    let (source, address) = match (name, address) {
        (Some(name), Some(address)) if name != address => (Some(name), Some(address)),
        (name, address) => (address.or(name), None),
    };
    let service = match exe.as_deref().map(basename) {
        Some(program) => match service_of_program(program) {
            Service::Other if terminal.as_deref() == Some(b"ssh") => Service::Ssh,
            Service::Login if source.is_some() => Service::Telnet,
            service => service,
        },
        None if terminal.as_deref() == Some(b"ssh") => Service::Ssh,
        None => Service::Other,
    };
    let local_user = matches!(service, Service::Su | Service::Sudo)
        .then(|| {
            record
                .text(b"AUID")
                .filter(|name| name.as_ref() != b"unset")
                .or(terminal.clone())
        })
        .flatten();
    // sshd's PAM ends a connection for an unknown account that tried nothing with
    // `PAM:bad_ident` (Debian 12, captured live: one per `Invalid user` connection,
    // none for the connections that tried passwords); a failed USER_LOGIN sums up its
    // connection. Neither tried a credential.
    let probe = (record.kind == b"USER_ERR"
        && record.text(b"op").as_deref() == Some(b"PAM:bad_ident"))
        || (record.kind == b"USER_LOGIN" && outcome.is_failure());
    let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Some(AuthEvent {
        host: host.to_string(),
        service,
        outcome,
        user: user.as_deref().map(lossy),
        source: if matches!(service, Service::Su | Service::Sudo) {
            None
        } else {
            source.as_deref().map(lossy)
        },
        port: None,
        address: address.as_deref().map(lossy),
        local_user: local_user.as_deref().map(lossy),
        time,
        count,
        probe,
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensa_logs::audit;

    fn event(line: &str) -> Option<AuthEvent> {
        let record = audit::parse(line.as_bytes()).unwrap();
        let evidence = Evidence::from_line("var/log/audit/audit.log", 1, 0, line.as_bytes(), None);
        audit_event(&record, "web", None, evidence)
    }

    fn summary(event: &AuthEvent) -> String {
        format!(
            "{} {:?} user={:?} source={:?} local={:?} count={}",
            event.service, event.outcome, event.user, event.source, event.local_user, event.count
        )
    }

    #[test]
    fn fail2ban_selinux_ssh_records_count_as_its_filter_does() {
        // From fail2ban's `selinux-ssh` test log (real RHEL records); fail2ban's
        // `match` is true for the USER_ERR and USER_AUTH ones only.
        let cases = [
            (
                "type=USER_LOGIN msg=audit(1373330716.415:4063): user pid=11998 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=173.242.116.187 terminal=ssh res=failed'",
                "ssh Failure user=Some(\"root\") source=Some(\"173.242.116.187\") local=None count=0",
            ),
            (
                "type=USER_LOGIN msg=audit(1373330717.000:4068): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login acct=28756E6B6E6F776E207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=173.242.116.187 terminal=ssh res=failed'",
                "ssh InvalidUser user=None source=Some(\"173.242.116.187\") local=None count=0",
            ),
            (
                "type=USER_ERR msg=audit(1373330717.000:4070): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:bad_ident acct=\"?\" exe=\"/usr/sbin/sshd\" hostname=173.242.116.187 addr=173.242.116.187 terminal=ssh res=failed'",
                "ssh InvalidUser user=None source=Some(\"173.242.116.187\") local=None count=1",
            ),
            (
                "type=USER_AUTH msg=audit(1373129280.000:9): user pid=1277 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=pubkey acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=? addr=194.228.20.113 terminal=ssh res=failed'",
                "ssh Failure user=Some(\"root\") source=Some(\"194.228.20.113\") local=None count=1",
            ),
            (
                "type=USER_AUTH msg=audit(1668381071.000:373474): pid=173582 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=192.0.2.111 addr=192.0.2.111 terminal=ssh res=failed'\u{1d}UID=\"root\" AUID=\"unset\"",
                "ssh Failure user=Some(\"root\") source=Some(\"192.0.2.111\") local=None count=1",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(summary(&event(line).unwrap()), want, "{line}");
        }
    }

    #[test]
    fn rhel_sshd_method_record_after_pam_counts_once() {
        let pam = "type=USER_AUTH msg=audit(1383116263.000:602): pid=12887 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"dan\" exe=\"/usr/sbin/sshd\" hostname=192.168.3.100 addr=192.168.3.100 terminal=ssh res=failed'";
        let sshd = "type=USER_AUTH msg=audit(1383116263.000:603): pid=12887 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=password acct=\"dan\" exe=\"/usr/sbin/sshd\" hostname=? addr=192.168.3.100 terminal=ssh res=failed'";
        let mut parser = AuditParser::default();
        let mut counts = Vec::new();
        for line in [pam, sshd, sshd, pam, sshd] {
            let record = audit::parse(line.as_bytes()).unwrap();
            let evidence = Evidence::from_line("a", 1, 0, line.as_bytes(), None);
            counts.push(parser.event(&record, "h", None, evidence).unwrap().count);
        }
        // PAM then sshd: one try; sshd alone (no PAM before it): one try.
        assert_eq!(counts, [1, 0, 1, 1, 0]);

        // PAM accepts, sshd records the login: one login. A key login (no PAM) is one.
        let accepted = pam
            .replace("grantors=?", "grantors=pam_unix")
            .replace("res=failed", "res=success");
        let login = "type=USER_LOGIN msg=audit(1383116270.000:610): pid=12887 uid=0 auid=1000 ses=3 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=192.168.3.100 addr=192.168.3.100 terminal=/dev/pts/1 res=success'";
        let mut outcomes = Vec::new();
        for line in [accepted.as_str(), login, login] {
            let record = audit::parse(line.as_bytes()).unwrap();
            let evidence = Evidence::from_line("a", 1, 0, line.as_bytes(), None);
            outcomes.push(
                parser
                    .event(&record, "h", None, evidence)
                    .map(|e| e.outcome),
            );
        }
        assert_eq!(
            outcomes,
            [Some(AuthOutcome::Success), None, Some(AuthOutcome::Session)]
        );
    }

    #[test]
    fn a_rhel7_public_key_login_is_one_login() {
        // Real records of one login (elastic/beats, filebeat/module/auditd/log/test/
        // audit-rhel7.log, Apache-2.0).
        let records = [
            "type=USER_AUTH msg=audit(1481077043.046:408): pid=1298 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=pubkey_auth rport=63927 acct=\"some_user\" exe=\"/usr/sbin/sshd\" hostname=? addr=216.160.83.61 terminal=? res=success'",
            "type=USER_AUTH msg=audit(1481077043.046:409): pid=1298 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=key algo=ssh-rsa size=2048 fp=ea:4e:a7:19:2a:35:b9:0f:ee:6c:76:f3:3f:52:e4:73 rport=63927 acct=\"some_user\" exe=\"/usr/sbin/sshd\" hostname=? addr=216.160.83.61 terminal=? res=success'",
            "type=USER_AUTH msg=audit(1481077043.054:412): pid=1298 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=success acct=\"some_user\" exe=\"/usr/sbin/sshd\" hostname=? addr=216.160.83.61 terminal=ssh res=success'",
            "type=USER_LOGIN msg=audit(1481077043.193:421): pid=1298 uid=0 auid=1000 ses=1 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=pool-216.160.83.61.washdc.fios.verizon.net addr=216.160.83.61 terminal=/dev/pts/0 res=success'",
        ];
        let mut parser = AuditParser::default();
        let events: Vec<String> = records
            .iter()
            .filter_map(|line| {
                let record = audit::parse(line.as_bytes()).unwrap();
                let evidence = Evidence::from_line("a", 1, 0, line.as_bytes(), None);
                parser
                    .event(&record, "h", None, evidence)
                    .map(|e| summary(&e))
            })
            .collect();
        assert_eq!(
            events,
            [
                "ssh Success user=Some(\"some_user\") source=Some(\"216.160.83.61\") local=None count=1"
            ]
        );
    }

    #[test]
    fn successes_sessions_su_and_records_that_give_nothing() {
        let login = "type=USER_LOGIN msg=audit(1481077041.515:406): pid=2085 uid=0 auid=1000 ses=1 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login id=0 exe=\"/usr/sbin/sshd\" hostname=203.0.113.9 addr=203.0.113.9 terminal=/dev/pts/0 res=success'";
        assert_eq!(
            summary(&event(login).unwrap()),
            "ssh Session user=Some(\"root\") source=Some(\"203.0.113.9\") local=None count=1"
        );
        let su = "type=USER_AUTH msg=audit(1498373150.931:1661763): pid=20252 uid=0 auid=1000 ses=19490 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=pts/0 res=failed'\u{1d}UID=\"root\" AUID=\"tanaka\"";
        assert_eq!(
            summary(&event(su).unwrap()),
            "su Failure user=Some(\"root\") source=None local=Some(\"tanaka\") count=1"
        );
        let telnet = "type=USER_AUTH msg=audit(1.000:5): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=pam_unix acct=\"guest\" exe=\"/usr/bin/login\" hostname=198.51.100.4 addr=198.51.100.4 terminal=pts/1 res=success'";
        assert_eq!(
            summary(&event(telnet).unwrap()),
            "telnet Success user=Some(\"guest\") source=Some(\"198.51.100.4\") local=None count=1"
        );
        for nothing in [
            "type=USER_START msg=audit(1.000:6): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:session_open grantors=pam_unix acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=success'",
            "type=CRED_ACQ msg=audit(1.000:7): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:setcred grantors=pam_unix acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=success'",
            "type=USER_ACCT msg=audit(1.000:8): pid=9 uid=0 auid=1000 ses=3 msg='op=PAM:accounting grantors=pam_unix acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=success'",
            "type=USER_CMD msg=audit(1.000:9): pid=9 uid=1000 auid=1000 ses=3 msg='cwd=\"/home/tanaka\" cmd=2F62696E2F7368 terminal=pts/0 res=success'",
            "type=SYSCALL msg=audit(1.000:10): arch=c000003e syscall=59 success=yes exit=0 comm=\"sh\" exe=\"/bin/sh\"",
        ] {
            assert_eq!(event(nothing), None, "{nothing}");
        }
        let refused = "type=USER_ACCT msg=audit(1.000:8): pid=9 uid=0 auid=4294967295 ses=4294967295 msg='op=PAM:accounting grantors=? acct=\"oracle\" exe=\"/usr/sbin/sshd\" hostname=1.2.3.4 addr=1.2.3.4 terminal=ssh res=failed'";
        assert_eq!(
            summary(&event(refused).unwrap()),
            "ssh Refused user=Some(\"oracle\") source=Some(\"1.2.3.4\") local=None count=1"
        );
    }
}
