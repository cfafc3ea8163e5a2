//! The lines of one sshd connection, counted as the tries they stand for.
//!
//! One sshd process serves one connection, so its pid ties the lines of a connection
//! together. What OpenSSH 9.2 with PAM (Debian 12) writes, captured from a live server
//! (`crates/kensa/tests/live/sshd-attack.sh`):
//!
//! ```text
//! sshd[22084]: Invalid user ghost1 from 127.0.0.13 port 55335          announcement
//! sshd[22084]: pam_unix(sshd:auth): authentication failure; … rhost=127.0.0.13    PAM, 1st try
//! sshd[22084]: Failed password for invalid user ghost1 from 127.0.0.13 port 55335 ssh2
//! sshd[22084]: Failed password for invalid user ghost1 from 127.0.0.13 port 55335 ssh2
//! sshd[22084]: Failed password for invalid user ghost1 from 127.0.0.13 port 55335 ssh2
//! sshd[22084]: Connection closed by invalid user ghost1 127.0.0.13 port 55335 [preauth]
//! sshd[22084]: PAM 2 more authentication failures; … rhost=127.0.0.13     PAM, 2nd and 3rd
//! ```
//!
//! Three tries, told three ways (four with older sshd's `error: PAM: Authentication
//! failure for U from A`, counted apart too): sshd's own `Failed` lines (3), PAM's first failure plus
//! its `N more` at the end (1 + 2), and the announcement (which stands for at least one
//! try when nothing else follows — an enumeration logs only `Invalid user` and the
//! close). Each way alone is exact on some host (loghub's logs only PAM; `UsePAM no`
//! only sshd; a scanner only the announcement), so a connection's tries are the
//! **largest** of the three counts, and each line counts by how much it raises that
//! largest: above, the announcement counts 1, the PAM line 0, the `Failed` lines 0, 1
//! and 1, the `N more` line 0. Sums stay exact whichever lines a host keeps.
//!
//! A pid is reused in time. A connection starts afresh when a line gives another port,
//! comes more than [`STALE_SECONDS`] after the last, or tries again after its close
//! (only PAM's `N more` comes after the close). Memory is bounded by
//! [`MAX_CONNECTIONS`]; past it the oldest half is forgotten (a forgotten connection's
//! next line counts as a new connection's: at worst one try counted twice).

use std::collections::HashMap;

/// Connections remembered at once. sshd's `MaxStartups` defaults to 100 unauthenticated
/// connections; a central log host interleaves many hosts.
pub const MAX_CONNECTIONS: usize = 8192;

/// A line this long after its connection's last belongs to a new connection on the same
/// pid: sshd's `LoginGraceTime` (120 s by default) bounds a pre-authentication
/// connection, and PAM's `N more` comes at its end.
pub const STALE_SECONDS: i64 = 600;

/// What a line says of its connection's tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Role {
    /// Nothing about tries (successes, refusals, lines of other daemons).
    #[default]
    Plain,
    /// `Invalid user U from A`, `Postponed … for invalid user`: an account was named.
    Announce,
    /// sshd's own `Failed METHOD for …`: count tries.
    DaemonTry,
    /// PAM's `authentication failure;` line: count tries.
    PamTry,
    /// PAM's `N more authentication failures;` when the connection gives up: N tries
    /// after PAM's first, logged after the close.
    PamMore,
    /// sshd's `error: PAM: Authentication failure for U from A` (OpenSSH before 7.x,
    /// beside its `Failed keyboard-interactive/pam` and PAM's own line): count tries.
    PamError,
    /// The end of the connection (`Connection closed by …`, `Disconnected from …`).
    End,
    /// The end of a connection because authentication failed (`maximum authentication
    /// attempts exceeded`, `Disconnecting: Too many authentication failures`, a client's
    /// `…: Auth fail`): at least one try, however few of its lines were logged (sshd
    /// logs a valid account's failed keys only at VERBOSE until half of `MaxAuthTries`).
    GaveUp,
    /// sshd at `LogLevel VERBOSE`: `Connection from A port P` opens a connection and
    /// names its client, which old sshd's `Disconnecting:` line leaves out.
    Open,
}

#[derive(Debug, Default)]
struct Connection {
    announced: u32,
    daemon: u32,
    pam: u32,
    pam_error: u32,
    counted: u32,
    port: Option<u16>,
    /// The client, as the connection's lines named it (login's session lines do not).
    source: Option<Box<str>>,
    last_second: Option<i64>,
    ended: bool,
    tick: u64,
}

/// The open connections of every host, by `host` and pid.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    open: HashMap<(Box<str>, u32), Connection>,
    tick: u64,
}

/// One line of a connection.
pub(crate) struct Line<'a> {
    pub host: &'a str,
    pub pid: u32,
    pub role: Role,
    /// The tries the line itself stands for (`N` of `N more`, a repetition count).
    pub count: u32,
    pub port: Option<u16>,
    pub source: Option<&'a str>,
    pub second: Option<i64>,
}

impl Connections {
    /// The client the open connection `pid` of `host` named, if it is not stale at
    /// `second`: what login's own session lines leave out.
    pub fn source_of(&self, host: &str, pid: u32, second: Option<i64>) -> Option<&str> {
        let connection = self.open.get(&(Box::from(host), pid))?;
        let fresh = match (second, connection.last_second) {
            (Some(now), Some(then)) => (then - STALE_SECONDS..=then + STALE_SECONDS).contains(&now),
            _ => true,
        };
        fresh.then_some(connection.source.as_deref()).flatten()
    }

    /// How many tries the line adds to its connection's count.
    pub fn count(&mut self, line: &Line<'_>) -> u32 {
        if line.role == Role::Plain {
            return line.count;
        }
        self.tick += 1;
        let tick = self.tick;
        if self.open.len() >= MAX_CONNECTIONS && !self.open.contains_key(&key_of(line)) {
            self.forget_oldest_half();
        }
        let connection = self.open.entry(key_of(line)).or_default();
        let stale = connection.tick != 0
            && (line.port.is_some() && connection.port.is_some() && line.port != connection.port
                || matches!((line.second, connection.last_second), (Some(now), Some(then)) if now - then > STALE_SECONDS || now < then - STALE_SECONDS)
                || connection.ended
                    && !matches!(line.role, Role::PamMore | Role::End | Role::GaveUp));
        if stale || line.role == Role::Open {
            *connection = Connection::default();
        }
        connection.tick = tick;
        connection.port = line.port.or(connection.port);
        if connection.source.is_none()
            && let Some(source) = line.source
        {
            connection.source = Some(source.into());
        }
        connection.last_second = line.second.or(connection.last_second);
        match line.role {
            Role::Plain => {}
            Role::Announce => connection.announced = 1,
            Role::DaemonTry => connection.daemon = connection.daemon.saturating_add(line.count),
            Role::PamTry => connection.pam = connection.pam.saturating_add(line.count),
            Role::PamError => {
                connection.pam_error = connection.pam_error.saturating_add(line.count);
            }
            // Only the N: when PAM's first line is missing (rotated away), counting it
            // would be a guess.
            Role::PamMore => connection.pam = connection.pam.saturating_add(line.count),
            Role::End | Role::Open => {
                connection.ended = line.role == Role::End;
                return 0;
            }
            Role::GaveUp => {
                // A try no source can be given to is left to the lines that name one.
                if connection.source.is_some() {
                    connection.announced = connection.announced.max(1);
                }
                connection.ended = true;
            }
        }
        let tries = connection
            .announced
            .max(connection.daemon)
            .max(connection.pam)
            .max(connection.pam_error);
        let added = tries.saturating_sub(connection.counted);
        connection.counted = connection.counted.max(tries);
        added
    }

    fn forget_oldest_half(&mut self) {
        let mut ticks: Vec<u64> = self.open.values().map(|c| c.tick).collect();
        ticks.sort_unstable();
        let cut = ticks.get(ticks.len() / 2).copied().unwrap_or(u64::MAX);
        self.open.retain(|_, c| c.tick > cut);
    }
}

fn key_of(line: &Line<'_>) -> (Box<str>, u32) {
    (line.host.into(), line.pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(role: Role, count: u32, port: Option<u16>, second: i64) -> Line<'static> {
        Line {
            host: "vm",
            pid: 22084,
            role,
            count,
            port,
            source: None,
            second: Some(second),
        }
    }

    #[test]
    fn a_connection_of_three_tries_counts_three_however_it_is_logged() {
        use Role::*;
        // The live capture above, line by line.
        let lines = [
            (Announce, 0, Some(55335), 1),
            (PamTry, 1, None, 2),
            (DaemonTry, 1, Some(55335), 3),
            (DaemonTry, 1, Some(55335), 4),
            (DaemonTry, 1, Some(55335), 5),
            (End, 0, Some(55335), 6),
            (PamMore, 2, None, 6),
        ];
        let mut connections = Connections::default();
        let counts: Vec<u32> = lines
            .iter()
            .map(|&(role, count, port, second)| connections.count(&line(role, count, port, second)))
            .collect();
        assert_eq!(counts, [1, 0, 0, 1, 1, 0, 0]);
        // The same connection as a host that keeps only some of the lines.
        for keep in [
            &[Announce, End][..],
            &[PamTry, PamMore],
            &[DaemonTry, End],
            &[Announce, DaemonTry, PamMore],
        ] {
            let mut connections = Connections::default();
            let total: u32 = lines
                .iter()
                .filter(|(role, ..)| keep.contains(role))
                .map(|&(role, count, port, second)| {
                    connections.count(&line(role, count, port, second))
                })
                .sum();
            let expected = if keep == [Announce, End] { 1 } else { 3 };
            assert_eq!(total, expected, "{keep:?}");
        }
    }

    #[test]
    fn a_reused_pid_is_a_new_connection() {
        let mut connections = Connections::default();
        assert_eq!(connections.count(&line(Role::DaemonTry, 1, Some(1), 0)), 1);
        assert_eq!(connections.count(&line(Role::End, 0, Some(1), 1)), 0);
        // After the close, a new try on the same pid (same port or none).
        assert_eq!(connections.count(&line(Role::DaemonTry, 1, Some(1), 2)), 1);
        // Another port.
        assert_eq!(connections.count(&line(Role::Announce, 0, Some(2), 3)), 1);
        // Long after.
        assert_eq!(connections.count(&line(Role::PamTry, 1, None, 5000)), 1);
    }

    #[test]
    fn memory_stays_bounded() {
        let mut connections = Connections::default();
        for pid in 0..(MAX_CONNECTIONS as u32 * 3) {
            let mut l = line(Role::Announce, 0, Some(1), 0);
            l.pid = pid;
            assert_eq!(connections.count(&l), 1);
        }
        assert!(connections.open.len() <= MAX_CONNECTIONS);
    }
}
