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
//! The price of `immutable`: rows still in a write-ahead log beside the database would not
//! be seen — and the newest rows are the ones an investigation wants. So when a non-empty
//! `-wal` file is there, kensa reads database and log itself, applies the log's committed
//! frames (checked by salt and checksum, as SQLite does on recovery) to an image in memory,
//! and opens that image; nothing is written anywhere, not even a temporary copy (with
//! `--root /` the temporary directory is under the audited root too). Too big for memory,
//! or a log that does not check out, and the database is read as it is, with a warning. The
//! database
//! is also hostile input: the table must be a real table (a view could loop forever), rows
//! are fetched in bounded pages by row id, and a value longer than [`VALUE_LIMIT`] is an
//! error, not an allocation.

use super::lastlog::LastlogEntry;
use super::{LoginRecord, RecordKind, timestamp};
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, LocalizedError, tr};
use kensa_fs::Location;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::VecDeque;
use std::net::IpAddr;

/// The longest text value read from a database; longer is SQLite's "too big" error.
pub const VALUE_LIMIT: i32 = 1 << 20;

/// Rows fetched per query.
const PAGE: i64 = 1024;

/// wtmpdb's `Type` values (its own numbering, not utmp's).
const WTMPDB_BOOT: i64 = 1;
const WTMPDB_RUNLEVEL: i64 = 2;
const WTMPDB_USER: i64 = 3;

/// The most bytes of database plus write-ahead log rebuilt in memory.
pub const MEMORY_IMAGE_LIMIT: u64 = 128 << 20;

/// Opens an SQLite database of the audited root without writing anything anywhere: the
/// file is read through [`kensa_fs`] (a regular file only, confined to the root) into
/// memory, at most [`MEMORY_IMAGE_LIMIT`] bytes, and SQLite reads that image, never a
/// path.
///
/// With a non-empty `-wal` beside it, the log's committed frames are applied to the image
/// (a `Note` says how many). Side files that cannot be taken into account are `Warning`s.
/// The connection is `query_only`, does not trust the schema, and refuses values longer
/// than [`VALUE_LIMIT`].
pub fn open_database(
    location: &Location,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<Connection> {
    let shown = location.identity().display().to_string();
    let mut image = location.read(MEMORY_IMAGE_LIMIT).map_err(|e| {
        if e.kind() == std::io::ErrorKind::FileTooLarge {
            LocalizedError::io(
                std::io::ErrorKind::FileTooLarge,
                tr!(
                    "more than {MEMORY_IMAGE_LIMIT} bytes to hold in memory",
                    "メモリに保持できる {MEMORY_IMAGE_LIMIT} バイトを超えています"
                ),
            )
        } else {
            e
        }
    })?;
    let wal = location.with_suffix("-wal");
    let wal_len = wal.lstat().map_or(0, |m| m.len);
    if wal_len > 0 {
        match with_wal(&mut image, &wal, wal_len) {
            Ok(frames) => diags.push(Diagnostic::say(
                DiagnosticLevel::Note,
                shown.as_str(),
                None,
                tr!(
                    "{frames} committed page(s) from the write-ahead log ({wal_len} \
                     bytes) applied in memory",
                    "先行書き込みログ（{wal_len} バイト）のコミット済みのページ {frames} 個\
                     をメモリ上で適用しました"
                ),
            )),
            Err(Localized {
                en: why_en,
                ja: why_ja,
            }) => diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                shown.as_str(),
                None,
                tr!(
                    "a write-ahead log of {wal_len} bytes is beside the database but \
                     was not applied ({why_en}); rows only in it are not read",
                    "データベースの横に {wal_len} バイトの先行書き込みログがありますが、適用\
                     しませんでした（{why_ja}）。そのログにしかない行は読み取っていません"
                ),
            )),
        }
    }
    // Bytes 18 and 19 say "WAL mode" in a database that had a log, applied or not; an
    // image in memory must be opened as a legacy (rollback-journal) database.
    if let Some(versions) = image.get_mut(18..20) {
        versions.copy_from_slice(&[1, 1]);
    }
    let mut connection = Connection::open_in_memory().map_err(std::io::Error::other)?;
    let len = image.len();
    connection
        .deserialize_read_exact(rusqlite::MAIN_DB, &image[..], len, true)
        .map_err(std::io::Error::other)?;
    let journal_len = location
        .with_suffix("-journal")
        .lstat()
        .map_or(0, |m| m.len);
    if journal_len > 0 {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            shown.as_str(),
            None,
            tr!(
                "a rollback journal of {journal_len} bytes is beside the database: a write \
                 was interrupted and the database may hold half of it; read as it is",
                "データベースの横に {journal_len} バイトのロールバックジャーナルがあります: \
                 書き込みが中断され、データベースにはその一部だけが反映されているおそれが\
                 あります。そのまま読み取りました"
            ),
        ));
    }
    let setup = || -> rusqlite::Result<()> {
        connection.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, VALUE_LIMIT)?;
        connection.pragma_update(None, "query_only", true)?;
        connection.pragma_update(None, "trusted_schema", false)?;
        Ok(())
    };
    setup().map_err(std::io::Error::other)?;
    Ok(connection)
}

/// A system or SQLite error as the system words it (English), in both languages.
fn as_is(error: impl std::fmt::Display) -> Localized {
    Localized::verbatim(error.to_string())
}

/// Applies the committed frames of the write-ahead log at `wal` to the database `image`;
/// how many frames were applied.
fn with_wal(image: &mut Vec<u8>, wal: &Location, wal_len: u64) -> Result<usize, Localized> {
    if (image.len() as u64).saturating_add(wal_len) > MEMORY_IMAGE_LIMIT {
        return Err(tr!(
            "database and log exceed {MEMORY_IMAGE_LIMIT} bytes to rebuild in memory",
            "データベースとログを合わせると、メモリ上で組み立てられる {MEMORY_IMAGE_LIMIT} \
             バイトを超えます"
        ));
    }
    let log = wal.read(MEMORY_IMAGE_LIMIT).map_err(as_is)?;
    apply_wal(image, &log)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// SQLite's WAL checksum: pairs of 32-bit words (in the byte order the log's magic says)
/// folded into two running sums. `data` must be a multiple of 8 bytes long.
fn wal_checksum(data: &[u8], big_endian: bool, (mut s0, mut s1): (u32, u32)) -> (u32, u32) {
    let word = |b: &[u8]| -> u32 {
        let b: [u8; 4] = b.try_into().unwrap_or_default();
        if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        }
    };
    for pair in data.chunks_exact(8) {
        let (a, b) = pair.split_at(4);
        s0 = s0.wrapping_add(word(a)).wrapping_add(s1);
        s1 = s1.wrapping_add(word(b)).wrapping_add(s0);
    }
    (s0, s1)
}

/// Applies the committed frames of write-ahead log `wal` to database image `image`, as
/// SQLite's recovery would: frames are valid while their salts match the header's and their
/// cumulative checksum holds; the image becomes the state at the last valid commit frame.
/// Returns how many frames were applied (0 when the log holds no commit).
fn apply_wal(image: &mut Vec<u8>, wal: &[u8]) -> Result<usize, Localized> {
    const HEADER: usize = 32;
    const FRAME_HEADER: usize = 24;
    let cut_short = || tr!("log header cut short", "ログのヘッダが途中で切れています");
    let magic = be32(wal, 0).ok_or_else(|| {
        tr!(
            "log shorter than its header",
            "ログがヘッダの長さに足りません"
        )
    })?;
    let big_endian = match magic {
        0x377f_0682 => false,
        0x377f_0683 => true,
        _ => {
            return Err(tr!(
                "not a write-ahead log (bad magic)",
                "先行書き込みログではありません（マジックナンバーが違います）"
            ));
        }
    };
    let page_size = be32(wal, 8).ok_or_else(cut_short)?;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(tr!(
            "implausible page size {page_size}",
            "ページサイズ {page_size} はありえない値です"
        ));
    }
    let page_size = page_size as usize;
    let header = wal.get(..HEADER).ok_or_else(cut_short)?;
    let salts = header.get(16..24).ok_or_else(cut_short)?;
    let mut sums = wal_checksum(header.get(..24).unwrap_or_default(), big_endian, (0, 0));
    if (Some(sums.0), Some(sums.1)) != (be32(header, 24), be32(header, 28)) {
        return Err(tr!(
            "log header checksum does not match",
            "ログのヘッダのチェックサムが一致しません"
        ));
    }
    // Frames are collected first and applied only up to the last commit.
    let mut frames: Vec<(u32, usize)> = Vec::new();
    let mut committed = 0usize;
    let mut committed_pages = 0u32;
    let mut at = HEADER;
    while let Some(frame) = wal.get(at..at + FRAME_HEADER + page_size) {
        let (head, page) = frame.split_at(FRAME_HEADER);
        if head.get(8..16) != Some(salts) {
            break;
        }
        sums = wal_checksum(head.get(..8).unwrap_or_default(), big_endian, sums);
        sums = wal_checksum(page, big_endian, sums);
        if (Some(sums.0), Some(sums.1)) != (be32(head, 16), be32(head, 20)) {
            break;
        }
        let page_number = be32(head, 0).unwrap_or(0);
        let commit_size = be32(head, 4).unwrap_or(0);
        if page_number == 0 {
            break;
        }
        frames.push((page_number, at + FRAME_HEADER));
        if commit_size > 0 {
            committed = frames.len();
            committed_pages = commit_size;
        }
        at += FRAME_HEADER + page_size;
    }
    if committed == 0 {
        return Err(tr!(
            "the log holds no committed transaction",
            "ログにコミット済みのトランザクションがありません"
        ));
    }
    let new_len = (committed_pages as usize)
        .checked_mul(page_size)
        .filter(|&len| len as u64 <= MEMORY_IMAGE_LIMIT)
        .ok_or_else(|| {
            tr!(
                "committed database size too large",
                "コミット後のデータベースが大きすぎます"
            )
        })?;
    image.resize(new_len, 0);
    for &(page_number, data_at) in frames.iter().take(committed) {
        let Some(offset) = (page_number as usize - 1).checked_mul(page_size) else {
            continue;
        };
        let (Some(target), Some(data)) = (
            image.get_mut(offset..offset.saturating_add(page_size)),
            wal.get(data_at..data_at + page_size),
        ) else {
            // A page past the committed size was freed by a later commit.
            continue;
        };
        target.copy_from_slice(data);
    }
    Ok(committed)
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
    /// Reads the `wtmp` table of a database opened with [`open_database`].
    pub fn new(connection: Connection) -> std::io::Result<Self> {
        let checked = || -> rusqlite::Result<Option<bool>> {
            if !is_table(&connection, "wtmp")? {
                return Ok(None);
            }
            Ok(Some(has_column(&connection, "wtmp", "PID")?))
        };
        let has_pid = match checked().map_err(std::io::Error::other)? {
            Some(has_pid) => has_pid,
            None => {
                return Err(LocalizedError::io(
                    std::io::ErrorKind::InvalidData,
                    tr!(
                        "no `wtmp` table: not a wtmpdb database",
                        "`wtmp` テーブルがないため、wtmpdb のデータベースではありません"
                    ),
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
        next_paged(self)
    }
}

impl Paged for WtmpdbRecords {
    type Row = LoginRecord;
    fn parts(&mut self) -> (&mut VecDeque<LoginRecord>, &mut bool, i64) {
        (&mut self.pending, &mut self.done, self.last_rowid)
    }
    fn fetch_page(&mut self) -> rusqlite::Result<()> {
        self.fetch()
    }
}

/// A table read a page of rows at a time: what both readers share.
trait Paged {
    type Row;
    /// The rows fetched and not yet handed out, whether the table is exhausted, and the
    /// last row id read (for error messages).
    fn parts(&mut self) -> (&mut VecDeque<Self::Row>, &mut bool, i64);
    /// Reads the next page into the pending rows (setting `done` at the end).
    fn fetch_page(&mut self) -> rusqlite::Result<()>;
}

/// The next row of a paged table: pending rows first, then another page; a read error
/// ends the iteration after being handed out once.
fn next_paged<P: Paged>(paged: &mut P) -> Option<std::io::Result<P::Row>> {
    loop {
        let (pending, done, _) = paged.parts();
        if let Some(row) = pending.pop_front() {
            return Some(Ok(row));
        }
        if *done {
            return None;
        }
        if let Err(e) = paged.fetch_page() {
            let (_, done, last_rowid) = paged.parts();
            *done = true;
            return Some(Err(std::io::Error::other(format!(
                "after row {last_rowid}: {e}"
            ))));
        }
    }
}

/// Reads a wtmpdb database as login records; problems become diagnostics naming the file.
pub fn read_wtmpdb<'a>(
    location: &Location,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LoginRecord> + 'a {
    let shown = location.identity().display().to_string();
    let records = match open_database(location, diags).and_then(WtmpdbRecords::new) {
        Ok(records) => Some(records),
        Err(e) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Error,
                shown.as_str(),
                None,
                {
                    let e = kensa_core::error_text(&e);
                    kensa_core::Localized {
                        en: format!("wtmpdb not read: {}", e.en),
                        ja: format!("wtmpdb を読み取れませんでした: {}", e.ja),
                    }
                },
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
    /// Reads the `Lastlog2` table of a database opened with [`open_database`].
    pub fn new(connection: Connection) -> std::io::Result<Self> {
        if !is_table(&connection, "Lastlog2").map_err(std::io::Error::other)? {
            return Err(LocalizedError::io(
                std::io::ErrorKind::InvalidData,
                tr!(
                    "no `Lastlog2` table: not a lastlog2 database",
                    "`Lastlog2` テーブルがないため、lastlog2 のデータベースではありません"
                ),
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
        next_paged(self)
    }
}

impl Paged for Lastlog2Entries {
    type Row = LastlogEntry;
    fn parts(&mut self) -> (&mut VecDeque<LastlogEntry>, &mut bool, i64) {
        (&mut self.pending, &mut self.done, self.last_rowid)
    }
    fn fetch_page(&mut self) -> rusqlite::Result<()> {
        self.fetch()
    }
}

/// Reads a lastlog2 database; problems become diagnostics naming the file.
pub fn read_lastlog2<'a>(
    location: &Location,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LastlogEntry> + 'a {
    let shown = location.identity().display().to_string();
    let entries = match open_database(location, diags).and_then(Lastlog2Entries::new) {
        Ok(entries) => Some(entries),
        Err(e) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Error,
                shown.as_str(),
                None,
                {
                    let e = kensa_core::error_text(&e);
                    kensa_core::Localized {
                        en: format!("lastlog2 not read: {}", e.en),
                        ja: format!("lastlog2 を読み取れませんでした: {}", e.ja),
                    }
                },
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
                let what = self.what;
                self.diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    self.shown.as_str(),
                    None,
                    {
                        let e = kensa_core::error_text(&e);
                        kensa_core::Localized {
                            en: format!("{what} read stopped: {}", e.en),
                            ja: format!("{what} の読み取りが途中で止まりました: {}", e.ja),
                        }
                    },
                ));
                self.inner = None;
                None
            }
        }
    }
}
