//! Binary login records: who logged in, from where, when — and who failed to.
//!
//! Text logs are not the only witnesses of a login. `login`, `sshd`, `in.telnetd` and
//! `in.ftpd` also write fixed-size binary records: `utmp` (who is on now), `wtmp` (every
//! login, logout, boot and shutdown), `btmp` (failed logins, on Linux) and `lastlog` (each
//! user's most recent login, indexed by UID). Debian 13 replaces wtmp and lastlog with two
//! SQLite databases, `wtmpdb` and `lastlog2`. An intruder who guessed a password shows up in
//! them even when syslog was silent, and an intruder who covers tracks leaves holes in them
//! (zeroed records between valid ones, a user in wtmp that lastlog never saw) — which is why
//! this module reads every record as it is, zeroed ones included, instead of skipping what
//! looks uninteresting.
//!
//! The formats have no header and no magic number, and differ by system and era (glibc's
//! 384-byte record, its 400-byte 64-bit-time twin, libc5's 56 bytes, 4.3BSD's 36 bytes,
//! FreeBSD's 44, SVR4's 36, Solaris' 372-byte `utmpx`, big-endian on SPARC), so the layout
//! is *guessed* by scoring every candidate on how plausible its fields look; see
//! [`utmp::detect_layout`].
//!
//! - [`utmp`]: utmp, wtmp, btmp and their `x` variants, as [`LoginRecord`]s;
//! - [`lastlog`]: the classic UID-indexed sparse file, as [`LastlogEntry`]s;
//! - [`wtmpdb`]: Debian 13's `wtmp.db` and `lastlog2.db`, into the same two types, opened
//!   read-only and immutable so nothing is ever written next to them.
//!
//! Text fields stay bytes (`Box<[u8]>`): a user name may be Latin-1, EUC-JP or an
//! attacker's escape sequence, and it is evidence either way.

pub mod lastlog;
pub mod utmp;
pub mod wtmpdb;

use std::net::IpAddr;

pub use lastlog::{LastlogEntry, LastlogLayout};
pub use utmp::{Layout, LoginFile, LoginRecords, detect_layout, open_login_file, read_login_file};

/// What a login record says happened.
///
/// Typed layouts (glibc, libc5, SVR4, Solaris utmpx, wtmpdb) carry `ut_type`; the mapping is
/// given per variant. Untyped BSD layouts are classified the way BSD `last` does it: line
/// `~` with name `reboot` or `shutdown`, lines `|` and `{` for clock changes, an empty name
/// for a logout, anything else a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A user session began (`USER_PROCESS`, 7; a named BSD record; a wtmpdb session start).
    Login,
    /// The process on a line ended (`DEAD_PROCESS`, 8; a BSD record with an empty name; a
    /// wtmpdb session end). In wtmp this is the logout of whoever held that line.
    Logout,
    /// The system booted (`BOOT_TIME`, 2; BSD `~`/`reboot`).
    Boot,
    /// The system was shut down (`RUN_LVL` with user `shutdown`; Solaris `DOWN_TIME`, 10;
    /// BSD `~`/`shutdown`; the end of a wtmpdb boot entry).
    Shutdown,
    /// A run-level change other than shutdown (`RUN_LVL`, 1).
    RunLevel,
    /// The clock was changed (`OLD_TIME`/`NEW_TIME`, 3 and 4; BSD `|` and `{`).
    TimeChange,
    /// A process spawned by init (`INIT_PROCESS`, 5).
    Init,
    /// A getty waiting for a login (`LOGIN_PROCESS`, 6). In **btmp** this is how `login`
    /// and `sshd` record a *failed* login, so its meaning depends on the file.
    LoginProcess,
    /// Accounting (`ACCOUNTING`, 9).
    Accounting,
    /// A type value outside the known ones (or `EMPTY`, 0, on a record that is not zero).
    Unknown(i16),
    /// Every byte of the record is zero: a free utmp slot, or a wtmp record wiped by a log
    /// cleaner (zap, wzap) when it sits between valid ones.
    Empty,
}

/// One login record, from a binary utmp-family file or a wtmpdb row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// What happened.
    pub kind: RecordKind,
    /// The user name (`ut_user`/`ut_name`), up to its first NUL; may be non-UTF-8.
    pub user: Box<[u8]>,
    /// The terminal line (`ut_line`: `pts/0`, `ttyp1`, `ssh:notty`, `~`).
    pub line: Box<[u8]>,
    /// The remote host as the login program wrote it (a name, an address, or for boot
    /// records the kernel version). Text an attacker may influence through DNS.
    pub host: Box<[u8]>,
    /// The inittab id (`ut_id`), empty in layouts without one.
    pub id: Box<[u8]>,
    /// The PAM service (wtmpdb and lastlog2 only; empty otherwise).
    pub service: Box<[u8]>,
    /// The process id, in layouts that have one.
    pub pid: Option<i32>,
    /// The session id (`ut_session`), in layouts that have one and when not zero.
    pub session: Option<i64>,
    /// The remote address from the record's binary address field (`ut_addr_v6`, libc5
    /// `ut_addr`) when the layout has one and it is not zero; for wtmpdb, the remote host
    /// when it is an address literal. Never guessed from `host` in binary layouts, because
    /// `host` may be a reverse-DNS name chosen by the attacker.
    pub addr: Option<IpAddr>,
    /// When it happened; `None` when the stored time is zero or not representable.
    pub time: Option<jiff::Timestamp>,
    /// The record's number in the file, from 0 (wtmpdb: the row id).
    pub index: u64,
    /// The byte offset of the record in the (decompressed) file (wtmpdb: 0).
    pub offset: u64,
}

/// A field's bytes up to its first NUL (the whole field when it has none: glibc fills a
/// 32-byte `ut_user` completely for a 32-character name, without a terminator).
pub(crate) fn c_field(field: &[u8]) -> Box<[u8]> {
    let end = memchr::memchr(0, field).unwrap_or(field.len());
    field.get(..end).unwrap_or_default().into()
}

/// How much a fixed-width text field looks like one a C program wrote with `strncpy`:
/// printable text up to the first NUL, zeros after it. 1.0 for clean ASCII, 0.5 when high
/// bytes are present (UTF-8, Latin-1, EUC-JP names are real), 0.0 for control bytes or
/// anything but zeros after the terminator — the signature of a misaligned layout.
pub(crate) fn text_plausibility(field: &[u8]) -> f32 {
    let end = memchr::memchr(0, field).unwrap_or(field.len());
    let (text, tail) = field.split_at(end);
    if tail.iter().any(|&b| b != 0) {
        return 0.0;
    }
    let mut high = false;
    for &b in text {
        match b {
            0x20..=0x7e => {}
            0x80..=0xff => high = true,
            _ => return 0.0,
        }
    }
    if high { 0.5 } else { 1.0 }
}

/// A timestamp from seconds and microseconds since the epoch; `None` for zero (no time was
/// recorded) and for values jiff cannot represent. Microseconds outside 0..1_000_000 are a
/// damaged field: the seconds are kept, the fraction dropped.
pub(crate) fn timestamp(seconds: i64, micros: i64) -> Option<jiff::Timestamp> {
    if seconds == 0 && micros == 0 {
        return None;
    }
    let nanos = if (0..1_000_000).contains(&micros) {
        i32::try_from(micros * 1000).unwrap_or(0)
    } else {
        0
    };
    jiff::Timestamp::new(seconds, nanos).ok()
}

/// Seconds since the epoch that a login record of any era can plausibly carry:
/// 1980-01-01 to 2100-01-01. Used only to score layouts, never to drop a record.
pub(crate) fn plausible_seconds(seconds: i64) -> bool {
    (315_532_800..4_102_444_800).contains(&seconds)
}

/// The share of `seconds` that agree on their bits above 2^24 (about 194 days) with the
/// most common value. Read in the right byte order, a file's times cluster in a few such
/// spans; read in the wrong one, their fast-changing low byte lands on top and scatters
/// them. Decides byte order when nothing else does (the untyped BSD and lastlog records,
/// whose only number is the time, and whose swapped times can still fall in 1980–2100).
pub(crate) fn time_concentration(seconds: &mut [i64]) -> f32 {
    if seconds.is_empty() {
        return 1.0;
    }
    for s in seconds.iter_mut() {
        *s >>= 24;
    }
    seconds.sort_unstable();
    let longest = seconds
        .chunk_by(|a, b| a == b)
        .map(<[i64]>::len)
        .max()
        .unwrap_or(0);
    longest as f32 / seconds.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_field_stops_at_nul_or_takes_all() {
        assert_eq!(&*c_field(b"root\0\0\0\0"), b"root");
        assert_eq!(&*c_field(b"abcd"), b"abcd");
        assert_eq!(&*c_field(b""), b"");
    }

    #[test]
    fn text_plausibility_grades() {
        assert_eq!(text_plausibility(b"pts/0\0\0\0"), 1.0);
        assert_eq!(text_plausibility(b"\xe9t\xe9\0"), 0.5);
        assert_eq!(text_plausibility(b"ab\x01\0"), 0.0);
        assert_eq!(text_plausibility(b"ab\0x"), 0.0);
        assert_eq!(text_plausibility(b"\0\0"), 1.0);
    }

    #[test]
    fn time_concentration_prefers_clustered_times() {
        assert_eq!(time_concentration(&mut []), 1.0);
        assert_eq!(time_concentration(&mut [873_000_000, 873_000_500]), 1.0);
        // The same two times byte-swapped.
        let swapped = |t: i64| i64::from(i32::from_le_bytes((t as i32).to_be_bytes()));
        let mut wrong = [swapped(873_000_000), swapped(873_000_500)];
        assert_eq!(time_concentration(&mut wrong), 0.5);
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0, 0), None);
        let t = timestamp(1_581_199_438, 54_727).unwrap();
        assert_eq!(t.to_string(), "2020-02-08T22:03:58.054727Z");
        assert_eq!(timestamp(5, 2_000_000).unwrap().as_second(), 5);
        assert_eq!(timestamp(i64::MAX, 0), None);
    }
}
