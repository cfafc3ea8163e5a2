//! Debian 13's SQLite login databases: `wtmpdb` (`/var/lib/wtmpdb/wtmp.db`) and
//! `lastlog2` (`/var/lib/lastlog/lastlog2.db`).
//!
//! wtmpdb keeps one row per session instead of one record per event:
//! `wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER,
//! Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT)`, times in microseconds since
//! the epoch, `Type` 1 for a boot (its `Logout` is the shutdown), 2 for a run level, 3 for a
//! user session (early versions had a `PID` column and no `ID`; the row id serves for both).
//! Each row becomes one or two [`LoginRecord`]s — the start, then the end when there is one
//! — so the rest of kensa sees the same events as from wtmp. lastlog2 is
//! `Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT)`,
//! time in seconds, keyed by name rather than UID.
//!
//! Opening must not change the audited root. An ordinary read-only open still creates
//! `-shm` and may replay a `-wal` journal, so the database is opened by URI with
//! `mode=ro&immutable=1` (no locks, no journal, no side files) and `SQLITE_OPEN_NOFOLLOW`.
//! The price of `immutable`: rows still in a write-ahead log beside the database are not
//! seen, so a non-empty `-wal` file is reported rather than silently ignored. The database
//! is also hostile input: the table must be a real table (a view could loop forever), rows
//! are fetched in bounded pages by row id, and a value longer than [`VALUE_LIMIT`] is an
//! error, not an allocation.

use super::lastlog::{LastlogEntry, refuse_unless_regular};
use super::{LoginRecord, RecordKind, timestamp};
use kensa_core::{Diagnostic, DiagnosticLevel};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::VecDeque;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The longest text value read from a database; longer is SQLite's "too big" error.
pub const VALUE_LIMIT: i32 = 1 << 20;

/// Rows fetched per query.
const PAGE: i64 = 1024;

/// wtmpdb's `Type` values (its own numbering, not utmp's).
const WTMPDB_BOOT: i64 = 1;
const WTMPDB_RUNLEVEL: i64 = 2;
const WTMPDB_USER: i64 = 3;

/// The `file:` URI that opens `path` read-only and immutable. Every byte outside the
/// unreserved set is percent-encoded, so `?`, `#`, `%` and non-UTF-8 bytes in a path cannot
/// become URI syntax.
fn immutable_uri(path: &Path) -> std::io::Result<PathBuf> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let absolute = std::path::absolute(path)?;
    let mut uri = b"file://".to_vec();
    for &b in absolute.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b);
        } else {
            uri.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    uri.extend_from_slice(b"?mode=ro&immutable=1");
    Ok(PathBuf::from(std::ffi::OsString::from_vec(uri)))
}

/// Opens an SQLite database under the audited root without writing anything anywhere.
///
/// Refused: a symbolic link, a FIFO or device (checked before SQLite sees the path, and
/// SQLite itself is told not to follow links). The connection is `query_only`, does not
/// trust the schema, and refuses values longer than [`VALUE_LIMIT`].
pub fn open_read_only(path: &Path) -> std::io::Result<Connection> {
    let metadata = std::fs::symlink_metadata(path)?;
    refuse_unless_regular(&metadata.file_type())?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NOFOLLOW
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection =
        Connection::open_with_flags(immutable_uri(path)?, flags).map_err(std::io::Error::other)?;
    let setup = || -> rusqlite::Result<()> {
        connection.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, VALUE_LIMIT)?;
        connection.pragma_update(None, "query_only", true)?;
        connection.pragma_update(None, "trusted_schema", false)?;
        Ok(())
    };
    setup().map_err(std::io::Error::other)?;
    Ok(connection)
}

/// Whether `name` is an ordinary table of the main schema (not a view, not missing).
fn is_table(connection: &Connection, name: &str) -> rusqlite::Result<bool> {
    connection
        .query_row(
            "SELECT count(*) FROM main.sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
            [name],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n > 0)
}

fn has_column(connection: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    connection
        .query_row(
            "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE",
            [table, column],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n > 0)
}

fn bytes(value: ValueRef<'_>) -> Box<[u8]> {
    match value {
        ValueRef::Text(b) | ValueRef::Blob(b) => b.into(),
        ValueRef::Integer(i) => i.to_string().into_bytes().into(),
        ValueRef::Real(_) | ValueRef::Null => Box::default(),
    }
}

fn integer(value: ValueRef<'_>) -> Option<i64> {
    match value {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

/// A host text that is exactly an address literal: PAM's `rhost` is usually the address.
fn literal_address(host: &[u8]) -> Option<IpAddr> {
    std::str::from_utf8(host).ok()?.parse().ok()
}

/// Warns about side files an immutable open cannot take into account: a non-empty
/// write-ahead log (`-wal`: committed rows not yet copied into the database) and a rollback
/// journal (`-journal`: a transaction was interrupted, maybe by a crash or a killed cleaner,
/// and the database may hold half of it).
fn warn_about_side_files(path: &Path, shown: &str, diags: &mut Vec<Diagnostic>) {
    let side = |suffix: &str| {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        std::fs::symlink_metadata(side)
            .ok()
            .map(|m| m.len())
            .filter(|&len| len > 0)
    };
    if let Some(len) = side("-wal") {
        diags.push(Diagnostic::file(
            DiagnosticLevel::Warning,
            shown,
            format!(
                "a write-ahead log of {len} bytes is beside the database; rows not yet \
                 checkpointed into it are not read (reading them would write under the \
                 audited root)"
            ),
        ));
    }
    if let Some(len) = side("-journal") {
        diags.push(Diagnostic::file(
            DiagnosticLevel::Warning,
            shown,
            format!(
                "a rollback journal of {len} bytes is beside the database: a write was \
                 interrupted and the database may hold half of it; read as it is"
            ),
        ));
    }
}

/// The rows of a wtmpdb database as login records, in row order, each session as its start
/// and, when it ended, its end. Pages through the table by row id.
pub struct WtmpdbRecords {
    connection: Connection,
    query: String,
    last_rowid: i64,
    pending: VecDeque<LoginRecord>,
    done: bool,
}

impl WtmpdbRecords {
    /// Opens `path` read-only and immutable and checks it has a `wtmp` table.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let connection = open_read_only(path)?;
        let checked = || -> rusqlite::Result<Option<bool>> {
            if !is_table(&connection, "wtmp")? {
                return Ok(None);
            }
            Ok(Some(has_column(&connection, "wtmp", "PID")?))
        };
        let has_pid = match checked().map_err(std::io::Error::other)? {
            Some(has_pid) => has_pid,
            None => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "no `wtmp` table: not a wtmpdb database",
                ));
            }
        };
        let pid = if has_pid { "PID" } else { "NULL" };
        let query = format!(
            "SELECT rowid, Type, User, Login, Logout, TTY, RemoteHost, Service, {pid} \
             FROM main.wtmp WHERE rowid > ?1 ORDER BY rowid LIMIT {PAGE}"
        );
        Ok(WtmpdbRecords {
            connection,
            query,
            last_rowid: i64::MIN,
            pending: VecDeque::new(),
            done: false,
        })
    }

    fn fetch(&mut self) -> rusqlite::Result<()> {
        let mut statement = self.connection.prepare(&self.query)?;
        let mut rows = statement.query([self.last_rowid])?;
        let mut fetched = 0;
        while let Some(row) = rows.next()? {
            fetched += 1;
            let rowid: i64 = row.get(0)?;
            self.last_rowid = rowid;
            let kind = integer(row.get_ref(1)?);
            let user = bytes(row.get_ref(2)?);
            let login = integer(row.get_ref(3)?);
            let logout = integer(row.get_ref(4)?);
            let line = bytes(row.get_ref(5)?);
            let host = bytes(row.get_ref(6)?);
            let service = bytes(row.get_ref(7)?);
            let pid = integer(row.get_ref(8)?).and_then(|p| i32::try_from(p).ok());
            let (start, end) = match kind {
                Some(WTMPDB_BOOT) => (RecordKind::Boot, Some(RecordKind::Shutdown)),
                Some(WTMPDB_RUNLEVEL) => (RecordKind::RunLevel, None),
                Some(WTMPDB_USER) => (RecordKind::Login, Some(RecordKind::Logout)),
                Some(0) => (RecordKind::Empty, None),
                Some(other) => (
                    RecordKind::Unknown(i16::try_from(other).unwrap_or(i16::MIN)),
                    None,
                ),
                None => (RecordKind::Unknown(i16::MIN), None),
            };
            let index = u64::try_from(rowid).unwrap_or(0);
            let record = LoginRecord {
                kind: start,
                addr: literal_address(&host),
                user,
                line,
                host,
                id: Box::default(),
                service,
                pid,
                session: None,
                time: login
                    .and_then(|us| timestamp(us.div_euclid(1_000_000), us.rem_euclid(1_000_000))),
                index,
                offset: 0,
            };
            if let (Some(end), Some(logout)) = (end, logout) {
                let ended = LoginRecord {
                    kind: end,
                    time: timestamp(logout.div_euclid(1_000_000), logout.rem_euclid(1_000_000)),
                    ..record.clone()
                };
                self.pending.push_back(record);
                self.pending.push_back(ended);
            } else {
                self.pending.push_back(record);
            }
        }
        if fetched < PAGE {
            self.done = true;
        }
        Ok(())
    }
}

impl Iterator for WtmpdbRecords {
    type Item = std::io::Result<LoginRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.pending.pop_front() {
                return Some(Ok(record));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(std::io::Error::other(format!(
                    "after row {}: {e}",
                    self.last_rowid
                ))));
            }
        }
    }
}

/// Reads a wtmpdb database as login records; problems become diagnostics naming the file.
pub fn read_wtmpdb<'a>(
    path: &Path,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LoginRecord> + 'a {
    let shown = path.display().to_string();
    let records = match WtmpdbRecords::open(path) {
        Ok(records) => {
            warn_about_side_files(path, &shown, diags);
            Some(records)
        }
        Err(e) => {
            diags.push(Diagnostic::file(
                DiagnosticLevel::Error,
                shown.as_str(),
                format!("wtmpdb not read: {e}"),
            ));
            None
        }
    };
    Reporting {
        inner: records,
        shown,
        what: "wtmpdb",
        diags,
    }
}

/// The rows of a lastlog2 database, paged by row id.
pub struct Lastlog2Entries {
    connection: Connection,
    last_rowid: i64,
    pending: VecDeque<LastlogEntry>,
    done: bool,
}

impl Lastlog2Entries {
    /// Opens `path` read-only and immutable and checks it has a `Lastlog2` table.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let connection = open_read_only(path)?;
        if !is_table(&connection, "Lastlog2").map_err(std::io::Error::other)? {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "no `Lastlog2` table: not a lastlog2 database",
            ));
        }
        Ok(Lastlog2Entries {
            connection,
            last_rowid: i64::MIN,
            pending: VecDeque::new(),
            done: false,
        })
    }

    fn fetch(&mut self) -> rusqlite::Result<()> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT rowid, Name, Time, TTY, RemoteHost, Service FROM main.Lastlog2 \
             WHERE rowid > ?1 ORDER BY rowid LIMIT {PAGE}"
        ))?;
        let mut rows = statement.query([self.last_rowid])?;
        let mut fetched = 0;
        while let Some(row) = rows.next()? {
            fetched += 1;
            self.last_rowid = row.get(0)?;
            self.pending.push_back(LastlogEntry {
                uid: None,
                user: bytes(row.get_ref(1)?),
                time: integer(row.get_ref(2)?).and_then(|s| timestamp(s, 0)),
                line: bytes(row.get_ref(3)?),
                host: bytes(row.get_ref(4)?),
                service: bytes(row.get_ref(5)?),
            });
        }
        if fetched < PAGE {
            self.done = true;
        }
        Ok(())
    }
}

impl Iterator for Lastlog2Entries {
    type Item = std::io::Result<LastlogEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(entry) = self.pending.pop_front() {
                return Some(Ok(entry));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fetch() {
                self.done = true;
                return Some(Err(std::io::Error::other(format!(
                    "after row {}: {e}",
                    self.last_rowid
                ))));
            }
        }
    }
}

/// Reads a lastlog2 database; problems become diagnostics naming the file.
pub fn read_lastlog2<'a>(
    path: &Path,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LastlogEntry> + 'a {
    let shown = path.display().to_string();
    let entries = match Lastlog2Entries::open(path) {
        Ok(entries) => {
            warn_about_side_files(path, &shown, diags);
            Some(entries)
        }
        Err(e) => {
            diags.push(Diagnostic::file(
                DiagnosticLevel::Error,
                shown.as_str(),
                format!("lastlog2 not read: {e}"),
            ));
            None
        }
    };
    Reporting {
        inner: entries,
        shown,
        what: "lastlog2",
        diags,
    }
}

/// Yields the items of a fallible iterator, turning its first error into a diagnostic.
struct Reporting<'a, I> {
    inner: Option<I>,
    shown: String,
    what: &'static str,
    diags: &'a mut Vec<Diagnostic>,
}

impl<T, I: Iterator<Item = std::io::Result<T>>> Iterator for Reporting<'_, I> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self.inner.as_mut()?.next()? {
            Ok(item) => Some(item),
            Err(e) => {
                self.diags.push(Diagnostic::file(
                    DiagnosticLevel::Warning,
                    self.shown.as_str(),
                    format!("{} read stopped: {e}", self.what),
                ));
                self.inner = None;
                None
            }
        }
    }
}
