//! Incremental runs: what earlier runs read, left open and reported, in one SQLite file.
//!
//! Administrators run kensa every few minutes (cron, a systemd timer) or keep `kensa
//! watch` running, and want what is new — never a line read twice, never one missed.
//! This crate keeps, per log file, how far it was read, and recognises the file again
//! on the next run wherever logrotate moved it:
//!
//! - **Identity** is the hash of the file's first bytes (up to [`HEAD_MAX`], decompressed),
//!   not its name or inode: `syslog` renamed to `syslog.1` and later compressed to
//!   `syslog.2.gz` starts with the same bytes, so reading continues at the offset already
//!   read — in the renamed file, or in the decompressed text of the compressed one.
//!   Inodes are reused after a file is deleted, so they only break ties.
//! - A **compressed** rotation, once read to its end, is marked done by the hash of its
//!   whole content (or, cheaper, by device, inode, size and change time unchanged).
//! - **copytruncate** leaves a copy that starts like the old file (it continues there)
//!   and an emptied live file that starts differently: that one is read from the start,
//!   with a note.
//! - **Tampering** ([`st001_log_file_tampered`]): a file with unchanged first bytes but
//!   shorter than what was read, the bytes just before the point read rewritten, or a
//!   live file whose content is in no file of its set any more.
//!
//! Besides the files: each rotation set's open detector state (pending sendmail messages,
//! password-guessing windows — see [`kensa_detect::engine::SetState`]), so an attack split
//! across two runs is still joined; and the findings already reported, by rule, host and
//! merge key, so a rerun reports only new ones.
//!
//! Everything a run learns is written in one transaction at its end ([`State::commit`]):
//! a run killed at any point leaves the state of the run before it, and the next run
//! reads the same lines again. A lock file (`FILE.lock`, `flock`) keeps two runs from
//! using one state at once. The state holds log excerpts (evidence of open messages), so
//! it is created readable by its owner only.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod st001_log_file_tampered;

use kensa_core::{Diagnostic, DiagnosticLevel, Finding, Localized, Rule, tr};
use kensa_detect::engine::{FileStart, Resume, Saved, SetState};
use kensa_detect::login_records::{LoginFileKind, LoginFileRef};
use kensa_fs::{Location, Meta};
use kensa_logs::decode::{self, Compression};
use kensa_logs::source::{LogFormat, LogSet};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Bytes of a file's beginning that identify it.
pub const HEAD_MAX: usize = 4096;
/// Bytes just before the point read whose hash is checked when reading resumes.
const ANCHOR_MAX: u64 = 256;
/// Version of the tables below; another version is refused with a clear message.
const SCHEMA_VERSION: &str = "1";
/// Remembered findings older than this are forgotten (days).
const FINDING_MEMORY_DAYS: i64 = 400;

/// The rules of this crate, for `kensa rules` and `kensa explain`.
pub fn rules() -> Vec<&'static Rule> {
    vec![&st001_log_file_tampered::RULE]
}

/// An open state file, locked for this run.
pub struct State {
    conn: Connection,
    /// Held for the life of the state: the lock.
    _lock: File,
}

impl State {
    /// Opens (creating if needed) the state file at `path` and takes its lock, waiting
    /// up to `wait` for another run to finish. The error is in English;
    /// [`State::open_localized`] says it in both languages.
    pub fn open(path: &Path, wait: Duration) -> Result<State, String> {
        State::open_localized(path, wait).map_err(|e| e.en)
    }

    /// [`State::open`], its error in English and Japanese (pick one with
    /// [`Localized::get`]).
    pub fn open_localized(path: &Path, wait: Duration) -> Result<State, Localized> {
        let shown = path.display();
        let lock_path = lock_path(path);
        let lock_shown = lock_path.display();
        let lock = kensa_fs::analyst::open_or_create(&lock_path, 0o600).map_err(|e| {
            tr!(
                "--state {lock_shown}: cannot open the lock file: {e}",
                "--state {lock_shown}: ロックファイルを開けません: {e}"
            )
        })?;
        let started = Instant::now();
        loop {
            match rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => break,
                Err(rustix::io::Errno::WOULDBLOCK) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => {
                    return Err(tr!(
                        "--state {shown}: another kensa run is using this state file \
                         (lock {lock_shown} is held); try again when it is done",
                        "--state {shown}: 別の kensa の実行がこの状態ファイルを使っています\
                         （ロック {lock_shown} を保持中）。その実行が終わってからやり直して\
                         ください"
                    ));
                }
                Err(e) => {
                    return Err(tr!(
                        "--state {shown}: cannot lock: {e}",
                        "--state {shown}: ロックできません: {e}"
                    ));
                }
            }
        }
        // Created by us for our eyes only: it keeps log lines of open messages.
        kensa_fs::analyst::open_or_create(path, 0o600)
            .map_err(|e| tr!("--state {shown}: {e}", "--state {shown}: {e}"))?;
        // The state database is the analyst's own file (`--state`), never the root's.
        #[allow(clippy::disallowed_methods)]
        let conn = Connection::open(path)
            .map_err(|e| tr!("--state {shown}: {e}", "--state {shown}: {e}"))?;
        let state = State { conn, _lock: lock };
        state.init().map_err(|Localized { en, ja }| {
            tr!(
                "--state {shown}: not a usable kensa state file ({en})",
                "--state {shown}: kensa の状態ファイルとして使えません（{ja}）"
            )
        })?;
        Ok(state)
    }

    fn init(&self) -> Result<(), Localized> {
        let err = |e: rusqlite::Error| tr!("{e}", "{e}");
        let c = &self.conn;
        c.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        c.pragma_update(None, "synchronous", "FULL").map_err(err)?;
        c.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS files (
                 path BLOB PRIMARY KEY, display TEXT NOT NULL, set_name TEXT NOT NULL,
                 live INTEGER NOT NULL, dev INTEGER NOT NULL, ino INTEGER NOT NULL,
                 size INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                 head_len INTEGER NOT NULL, head_hash BLOB NOT NULL,
                 anchor_len INTEGER NOT NULL, anchor_hash BLOB,
                 offset INTEGER NOT NULL, line INTEGER NOT NULL,
                 compressed INTEGER NOT NULL, content_hash BLOB);
             CREATE TABLE IF NOT EXISTS sets (name TEXT PRIMARY KEY, state TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS login_files (
                 path BLOB PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,
                 size INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, state TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS findings (
                 key TEXT PRIMARY KEY, code TEXT NOT NULL, host TEXT NOT NULL,
                 reported TEXT NOT NULL);",
        )
        .map_err(err)?;
        let version: Option<String> = c
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(err)?;
        match version.as_deref() {
            None => {
                c.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema', ?1)",
                    [SCHEMA_VERSION],
                )
                .map_err(err)?;
            }
            Some(SCHEMA_VERSION) => {}
            Some(other) => {
                return Err(tr!(
                    "written by another kensa version (schema {other}, this one reads \
                     {SCHEMA_VERSION}); move it away to start afresh",
                    "別の版の kensa が書いたファイルです（スキーマ {other}。この版が読めるのは \
                     {SCHEMA_VERSION}）。最初からやり直すには別の場所へ移してください"
                ));
            }
        }
        Ok(())
    }

    /// Decides where this run starts in each file and what it continues from, and
    /// notices files changed behind kensa's back (ST001 findings, made for `host`).
    pub fn plan(
        &self,
        sets: &[LogSet],
        login_files: &[LoginFileRef],
        host: &str,
    ) -> Result<Plan, String> {
        let rows = self.load_rows()?;
        let mut plan = Plan::default();
        for set in sets {
            plan_set(set, &rows, host, &mut plan);
        }
        let mut sets_state = self
            .conn
            .prepare("SELECT state FROM sets WHERE name = ?1")
            .map_err(err)?;
        for set in sets {
            let text: Option<String> = sets_state
                .query_row([&set.name], |r| r.get(0))
                .optional()
                .map_err(err)?;
            if let Some(text) = text {
                match serde_json::from_str::<SetState>(&text) {
                    Ok(state) => {
                        plan.resume.sets.insert(set.name.clone(), state);
                    }
                    Err(e) => plan.diagnostics.push(Diagnostic::say(
                        DiagnosticLevel::Warning,
                        set.name.clone(),
                        None,
                        tr!(
                            "saved detector state unusable ({e}); starting it afresh",
                            "保存された検出器の状態が使えないため（{e}）、最初からやり直します"
                        ),
                    )),
                }
            }
        }
        drop(sets_state);
        let mut login = self
            .conn
            .prepare("SELECT dev, ino, size, ctime_ns, state FROM login_files WHERE path = ?1")
            .map_err(err)?;
        for file in login_files {
            let Ok(meta) = file.location.lstat() else {
                continue;
            };
            let row: Option<(i64, i64, i64, i64, String)> = login
                .query_row([file.location.identity().as_os_str().as_bytes()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()
                .map_err(err)?;
            let identity = login_identity(&meta);
            plan.login_identities
                .insert(file.location.identity().clone(), identity);
            let Some((dev, ino, size, ctime, state)) = row else {
                continue;
            };
            if (dev, ino, size, ctime) == identity {
                if !state.is_empty() {
                    plan.resume
                        .login_files
                        .insert(file.location.identity().clone(), state);
                }
            } else if (dev, ino) == (identity.0, identity.1)
                && identity.2 < size
                && file.kind != LoginFileKind::Wtmpdb
            {
                // Rotation gives wtmp a new file; records only ever get appended to the
                // old one. The same file grown shorter lost records (a database, which
                // may be vacuumed, is not judged).
                plan.findings.push(st001_log_file_tampered::finding(
                    host,
                    &file.display,
                    {
                        let now = identity.2;
                        tr!(
                            "login records shrank from {size} to {now} bytes since the last run, \
                             in the same file (inode {ino}): records were removed, not rotated",
                            "ログイン記録が前回の実行から同じファイルのまま（inode {ino}）\
                             {size} バイトから {now} バイトに縮んだ: ローテーションではなく\
                             記録が削除された"
                        )
                    },
                    u64::try_from(size).unwrap_or(0),
                    &format!("{dev}:{ino}"),
                ));
            }
        }
        Ok(plan)
    }

    fn load_rows(&self) -> Result<Vec<FileRow>, String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT path, display, set_name, live, dev, ino, size, ctime_ns, head_len, head_hash,
                        anchor_len, anchor_hash, offset, line, compressed, content_hash FROM files",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(FileRow {
                    path: PathBuf::from(std::ffi::OsStr::from_bytes(&r.get::<_, Vec<u8>>(0)?)),
                    display: r.get(1)?,
                    set_name: r.get(2)?,
                    live: r.get(3)?,
                    dev: r.get(4)?,
                    ino: r.get(5)?,
                    size: r.get(6)?,
                    ctime_ns: r.get(7)?,
                    head_len: r.get(8)?,
                    head_hash: r.get(9)?,
                    anchor_len: r.get(10)?,
                    anchor_hash: r.get(11)?,
                    offset: r.get(12)?,
                    line: r.get(13)?,
                    compressed: r.get(14)?,
                    content_hash: r.get(15)?,
                })
            })
            .map_err(err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        Ok(rows)
    }

    /// Writes what this run learnt, in one transaction. Before the transaction is
    /// committed, `deliver` is called with one flag per finding, in order: whether it is
    /// new (no earlier run reported it). When `deliver` fails, nothing is written, so a
    /// report that could not be delivered is made again by the next run.
    pub fn commit(
        &mut self,
        plan: &Plan,
        saved: &Saved,
        findings: &[Finding],
        deliver: impl FnOnce(&[bool]) -> Result<(), String>,
    ) -> Result<(), String> {
        let progress: HashMap<&Path, &kensa_detect::engine::FileProgress> =
            saved.files.iter().map(|p| (p.path.as_path(), p)).collect();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        {
            let mut delete = tx
                .prepare("DELETE FROM files WHERE set_name = ?1")
                .map_err(err)?;
            for name in &plan.set_names {
                delete.execute([name]).map_err(err)?;
            }
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO files (path, display, set_name, live, dev, ino, size, ctime_ns,
                        head_len, head_hash, anchor_len, anchor_hash, offset, line, compressed, content_hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )
                .map_err(err)?;
            for file in &plan.files {
                let Some(row) = file.row_after(progress.get(file.path.as_path()).copied()) else {
                    continue;
                };
                insert
                    .execute(params![
                        row.path.as_os_str().as_bytes(),
                        row.display,
                        row.set_name,
                        row.live,
                        row.dev,
                        row.ino,
                        row.size,
                        row.ctime_ns,
                        row.head_len,
                        row.head_hash,
                        row.anchor_len,
                        row.anchor_hash,
                        row.offset,
                        row.line,
                        row.compressed,
                        row.content_hash,
                    ])
                    .map_err(err)?;
            }
            let mut sets = tx
                .prepare("INSERT OR REPLACE INTO sets (name, state) VALUES (?1, ?2)")
                .map_err(err)?;
            for (name, state) in &saved.sets {
                let text = serde_json::to_string(state).map_err(err)?;
                sets.execute(params![name, text]).map_err(err)?;
            }
            tx.execute("DELETE FROM login_files", []).map_err(err)?;
            let mut login = tx
                .prepare(
                    "INSERT OR REPLACE INTO login_files (path, dev, ino, size, ctime_ns, state)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            // Every login file's identity is kept (its size too, so a file that shrinks
            // is seen next run); the guessing state only where its events left some.
            for (path, &(dev, ino, size, ctime)) in &plan.login_identities {
                let state = saved.login_files.get(path).map_or("", String::as_str);
                login
                    .execute(params![
                        path.as_os_str().as_bytes(),
                        dev,
                        ino,
                        size,
                        ctime,
                        state
                    ])
                    .map_err(err)?;
            }
        }
        let now = jiff::Timestamp::now();
        let mut new = Vec::with_capacity(findings.len());
        {
            let mut remember = tx
                .prepare(
                    "INSERT OR IGNORE INTO findings (key, code, host, reported) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(err)?;
            for finding in findings {
                let inserted = remember
                    .execute(params![
                        finding_key(finding),
                        finding.code,
                        finding.host,
                        now.to_string()
                    ])
                    .map_err(err)?;
                new.push(inserted == 1);
            }
        }
        let horizon = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * FINDING_MEMORY_DAYS))
            .unwrap_or(now);
        tx.execute(
            "DELETE FROM findings WHERE reported < ?1",
            [horizon.to_string()],
        )
        .map_err(err)?;
        // How many runs committed: tells a caller (and a crash test) whether a run that
        // was killed got this far.
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('runs', '1')
             ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            [],
        )
        .map_err(err)?;
        deliver(&new)?;
        tx.commit().map_err(err)?;
        Ok(())
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_known_by_its_start_not_its_growth() {
        let mut a = st001_log_file_tampered::finding(
            "h",
            "var/log/syslog",
            kensa_core::tr!("x", "x"),
            10,
            "1:2",
        );
        a.merge_key = "k".into();
        let mut grown = a.clone();
        grown.count = 5;
        grown.title = "other words".into();
        assert_eq!(finding_key(&a), finding_key(&grown));
        // The same key further down the file (no times): another finding.
        let mut later = a.clone();
        later.evidence[0].offset = 99;
        assert_ne!(finding_key(&a), finding_key(&later));
        // The same queue id on another day: another message.
        let t = |s: &str| kensa_core::LogTime::new(s.parse().unwrap(), jiff::tz::Offset::UTC);
        let mut monday = a.clone();
        monday.first_seen = Some(t("1997-01-06T10:00:00Z"));
        let mut friday = a.clone();
        friday.first_seen = Some(t("1997-01-10T10:00:00Z"));
        friday.evidence[0].offset = 10;
        assert_ne!(finding_key(&monday), finding_key(&friday));
    }
}

/// `FILE.lock`, next to the state file.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

/// What identifies a finding across runs: its rule, host, merge key (or, without one, its
/// subject and first line) and when it began (or, without times, where its evidence
/// starts). The start time is part of it because
/// sendmail queue ids and PIDs come back: the same id on another day is another message.
pub fn finding_key(finding: &Finding) -> String {
    let what = if finding.merge_key.is_empty() {
        let subject = serde_json::to_string(&finding.subject).unwrap_or_default();
        let first = finding.evidence.first().map_or("", |e| e.text.as_str());
        format!("{subject}\u{1f}{first}")
    } else {
        finding.merge_key.clone()
    };
    // Without a time (NUL runs, host checks), where the evidence starts stands in: a
    // second wipe further down the same log is another finding.
    let since = match (finding.first_seen, finding.evidence.first()) {
        (Some(t), _) => t.instant.to_string(),
        (None, Some(e)) => format!("@{}:{}", e.line, e.offset),
        (None, None) => String::new(),
    };
    format!(
        "{}\u{1f}{}\u{1f}{what}\u{1f}{since}",
        finding.code, finding.host
    )
}

/// What a run starts from.
#[derive(Debug, Default)]
pub struct Plan {
    /// For the engine: start points, saved detector state, unchanged login files.
    pub resume: Resume,
    /// Files changed behind kensa's back (ST001).
    pub findings: Vec<Finding>,
    /// Notes (copytruncate seen, a compressed file read from a resumed point, ...).
    pub diagnostics: Vec<Diagnostic>,
    files: Vec<PlannedFile>,
    set_names: Vec<String>,
    login_identities: HashMap<PathBuf, (i64, i64, i64, i64)>,
}

/// One file as remembered.
#[derive(Debug, Clone)]
struct FileRow {
    path: PathBuf,
    display: String,
    set_name: String,
    live: bool,
    dev: i64,
    ino: i64,
    size: i64,
    ctime_ns: i64,
    head_len: i64,
    head_hash: Vec<u8>,
    anchor_len: i64,
    anchor_hash: Option<Vec<u8>>,
    offset: i64,
    line: i64,
    compressed: bool,
    content_hash: Option<Vec<u8>>,
}

/// One file of this run, with what is known of it before reading.
#[derive(Debug)]
struct PlannedFile {
    /// The file's identity: the key of its row.
    path: PathBuf,
    /// Where to read it after the scan (anchors and content hashes).
    location: Location,
    display: String,
    set_name: String,
    live: bool,
    dev: i64,
    ino: i64,
    size: i64,
    ctime_ns: i64,
    /// Its first bytes (decompressed), up to [`HEAD_MAX`].
    head: Vec<u8>,
    compressed: bool,
    content_hash: Option<Vec<u8>>,
    /// Not read this run (a compressed file already done): its row as it was.
    skipped: Option<FileRow>,
    /// The row this run continues from, kept as it was if the file cannot be read now
    /// (so that the next run resumes there rather than at the start).
    resumed: Option<FileRow>,
    /// A journal file: `head` is its identity (file id and sequence-number id), and the
    /// offset read is the next sequence number.
    journal: bool,
}

impl PlannedFile {
    /// The row to remember after the run, given how far it was read.
    fn row_after(&self, progress: Option<&kensa_detect::engine::FileProgress>) -> Option<FileRow> {
        let mut row = match (&self.skipped, progress) {
            (Some(old), _) => old.clone(),
            (None, Some(progress)) => {
                let offset = i64::try_from(progress.offset).unwrap_or(i64::MAX);
                let head_len = if self.journal {
                    self.head.len()
                } else {
                    (self.head.len() as u64).min(progress.offset) as usize
                };
                let (anchor_len, anchor_hash) = if self.compressed || self.journal {
                    (0, None)
                } else {
                    match anchor(&self.location, progress.offset) {
                        Ok((len, hash)) => (len as i64, Some(hash)),
                        Err(_) => (0, None),
                    }
                };
                FileRow {
                    path: self.path.clone(),
                    display: String::new(),
                    set_name: String::new(),
                    live: false,
                    dev: 0,
                    ino: 0,
                    size: 0,
                    ctime_ns: 0,
                    head_len: head_len as i64,
                    head_hash: sha256(&self.head[..head_len]),
                    anchor_len,
                    anchor_hash,
                    offset,
                    line: i64::try_from(progress.line).unwrap_or(i64::MAX),
                    compressed: self.compressed,
                    content_hash: if self.compressed {
                        self.content_hash
                            .clone()
                            .or_else(|| content_hash(&self.location).ok())
                    } else {
                        None
                    },
                }
            }
            // Could not be read: nothing learnt; what was known stays.
            (None, None) => self.resumed.clone()?,
        };
        row.path = self.path.clone();
        row.display = self.display.clone();
        row.set_name = self.set_name.clone();
        row.live = self.live;
        row.dev = self.dev;
        row.ino = self.ino;
        row.size = self.size;
        row.ctime_ns = self.ctime_ns;
        Some(row)
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// The hash of a whole (compressed) file.
fn content_hash(location: &Location) -> io::Result<Vec<u8>> {
    let mut file = location.open()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().to_vec())
}

/// Length and hash of the bytes just before `offset` of a plain file.
fn anchor(location: &Location, offset: u64) -> io::Result<(u64, Vec<u8>)> {
    let len = offset.min(ANCHOR_MAX);
    let file = location.open()?;
    let mut buf = vec![0u8; len as usize];
    file.read_exact_at(&mut buf, offset - len)?;
    Ok((len, sha256(&buf)))
}

/// The first bytes of the decompressed text, and whether the file is compressed.
fn head(location: &Location) -> io::Result<(Vec<u8>, bool)> {
    let decoded = decode::open(location)?;
    let compressed = decoded.compression != Compression::None;
    let mut head = Vec::with_capacity(HEAD_MAX);
    // A corrupt compressed file gives what it had; its head is that.
    let _ = decoded.reader.take(HEAD_MAX as u64).read_to_end(&mut head);
    Ok((head, compressed))
}

fn ctime_ns(meta: &Meta) -> i64 {
    meta.ctime
        .map_or(0, |t| i64::try_from(t.as_nanosecond()).unwrap_or(i64::MAX))
}

fn login_identity(meta: &Meta) -> (i64, i64, i64, i64) {
    (
        meta.dev as i64,
        meta.ino as i64,
        meta.len as i64,
        ctime_ns(meta),
    )
}

/// Plans one rotation set: see the crate documentation for the rules.
fn plan_set(set: &LogSet, rows: &[FileRow], host: &str, plan: &mut Plan) {
    match set.format {
        LogFormat::Journal => return plan_journal_set(set, rows, host, plan),
        // Audit logs are appended text renamed on rotation: planned like text logs.
        LogFormat::Audit | LogFormat::Text => {}
    }
    let known: Vec<&FileRow> = rows.iter().filter(|r| r.set_name == set.name).collect();
    let mut claimed: HashSet<usize> = HashSet::new();
    plan.set_names.push(set.name.clone());
    let mut fresh_live: Vec<(usize, &str)> = Vec::new();
    for file in &set.files {
        let Ok(meta) = file.location.lstat() else {
            continue;
        };
        let Ok((head, compressed)) = head(&file.location) else {
            continue;
        };
        let mut planned = PlannedFile {
            path: file.location.identity().clone(),
            location: file.location.clone(),
            display: file.display.clone(),
            set_name: set.name.clone(),
            live: file.rotation.is_none(),
            dev: meta.dev as i64,
            ino: meta.ino as i64,
            size: meta.len as i64,
            ctime_ns: ctime_ns(&meta),
            head,
            compressed,
            content_hash: None,
            skipped: None,
            resumed: None,
            journal: false,
        };
        let head_matches = |row: &FileRow| {
            row.head_len > 0
                && (row.head_len as usize) <= planned.head.len()
                && sha256(&planned.head[..row.head_len as usize]) == row.head_hash
        };
        let unclaimed = |i: &usize| !claimed.contains(i);
        let mut start = FileStart::At { offset: 0, line: 1 };
        if compressed {
            // Done before: unchanged on disk, or the same content under another name.
            let same_inode = (0..known.len()).filter(unclaimed).find(|&i| {
                let r = known[i];
                r.compressed
                    && r.content_hash.is_some()
                    && (r.dev, r.ino, r.size, r.ctime_ns)
                        == (planned.dev, planned.ino, planned.size, planned.ctime_ns)
            });
            let done = same_inode.or_else(|| {
                planned.content_hash = content_hash(&file.location).ok();
                (0..known.len()).filter(unclaimed).find(|&i| {
                    known[i].compressed
                        && known[i].content_hash.is_some()
                        && known[i].content_hash == planned.content_hash
                })
            });
            if let Some(i) = done {
                claimed.insert(i);
                planned.skipped = Some(known[i].clone());
                start = FileStart::Skip;
            } else if let Some(i) = (0..known.len())
                .filter(unclaimed)
                .find(|&i| !known[i].compressed && head_matches(known[i]))
            {
                // A plain file read before, compressed by rotation: continue after what
                // was read of it.
                claimed.insert(i);
                planned.resumed = Some(known[i].clone());
                start = FileStart::At {
                    offset: known[i].offset as u64,
                    line: known[i].line as u64,
                };
            }
        } else {
            let mut matches: Vec<usize> = (0..known.len())
                .filter(unclaimed)
                .filter(|&i| !known[i].compressed && head_matches(known[i]))
                .collect();
            // Heads can coincide (a log restarted with the same first lines): a row
            // whose read part is still there, unchanged, goes first; then the same inode.
            matches.sort_by_cached_key(|&i| {
                let r = known[i];
                (
                    planned.size < r.offset || anchor_changed(&file.location, r),
                    (r.dev, r.ino) != (planned.dev, planned.ino),
                    r.path != planned.path,
                )
            });
            if let Some(&i) = matches.first() {
                claimed.insert(i);
                let row = known[i];
                let identity = format!("{}:{}", row.dev, row.ino);
                if planned.size < row.offset {
                    plan.findings.push(st001_log_file_tampered::finding(
                        host,
                        &file.display,
                        {
                            let (size, read) = (planned.size, row.offset);
                            tr!(
                                "{size} bytes now, {read} already read, and its first bytes are \
                                 unchanged: lines were removed (read again from the start)",
                                "現在 {size} バイトで、読み取り済みの {read} バイトより短く、\
                                 先頭のバイトは変わっていない: 行が削除された（先頭から読み\
                                 直す）"
                            )
                        },
                        row.offset as u64,
                        &identity,
                    ));
                } else if anchor_changed(&file.location, row) {
                    plan.findings.push(st001_log_file_tampered::finding(
                        host,
                        &file.display,
                        {
                            let read = row.offset;
                            tr!(
                                "the lines just before byte {read} (where the last run stopped) \
                                 were rewritten (read again from the start)",
                                "{read} バイト目（前回の実行が読み終えた位置）の直前の行が書き\
                                 換えられた（先頭から読み直す）"
                            )
                        },
                        row.offset as u64,
                        &identity,
                    ));
                } else {
                    planned.resumed = Some(row.clone());
                    start = FileStart::At {
                        offset: row.offset as u64,
                        line: row.line as u64,
                    };
                }
            } else if let Some(i) = known.iter().position(|r| {
                r.head_len == 0 && !r.compressed && (r.dev, r.ino) == (planned.dev, planned.ino)
            }) {
                // Empty last time: nothing was read.
                claimed.insert(i);
            } else if planned.live {
                fresh_live.push((plan.files.len(), file.display.as_str()));
            }
        }
        plan.resume
            .files
            .insert(file.location.identity().clone(), start);
        plan.files.push(planned);
    }
    // A live file read before whose content no file of the set holds any more: replaced
    // or removed. copytruncate is told apart by its copy, which was claimed above.
    for (i, row) in known.iter().enumerate() {
        if claimed.contains(&i) || !row.live || row.compressed || row.offset == 0 {
            continue;
        }
        let still_there = set.files.iter().any(|f| f.location.identity() == row.path);
        let read = row.offset;
        let what = if still_there {
            tr!(
                "its first bytes changed and no file of the set holds the {read} bytes read \
                 before (replaced, or emptied without a rotation keeping a copy)",
                "先頭のバイトが変わり、以前に読んだ {read} バイトを含むファイルが同じログ（ロー\
                 テーション後の写しを含む）に見当たらない（置き換えられたか、写しを残す\
                 ローテーションなしに空にされた）"
            )
        } else {
            tr!(
                "removed, and no file of the set holds the {read} bytes read before",
                "削除され、以前に読んだ {read} バイトを含むファイルが同じログ（ローテーション後\
                 の写しを含む）に見当たらない"
            )
        };
        plan.findings.push(st001_log_file_tampered::finding(
            host,
            &row.display,
            what,
            row.offset as u64,
            &format!("{}:{}", row.dev, row.ino),
        ));
    }
    // copytruncate: the live file starts afresh while its old content went to a copy.
    for (_, display) in fresh_live {
        let was_read = known
            .iter()
            .enumerate()
            .any(|(i, r)| r.live && r.display == display && r.offset > 0 && claimed.contains(&i));
        if was_read {
            plan.diagnostics.push(Diagnostic::say(
                DiagnosticLevel::Note,
                display,
                None,
                tr!(
                    "starts afresh while its earlier content moved to a rotated copy \
                     (copytruncate or rename rotation): read from the start",
                    "以前の内容がローテーション後の写しに移り、新たに書き始められている\
                     （copytruncate または名前の変更によるローテーション）ため、先頭から読みます"
                ),
            ));
        }
    }
}

/// Whether the bytes just before the point read differ from when they were read.
/// Journal files are recognised by their file id and sequence-number id, which journald
/// keeps when it archives `system.journal` as `system@….journal`; reading continues after
/// the last sequence number read. journald deletes old files itself (vacuuming) and an
/// archived file never changes, so a file gone from the set is no sign of tampering.
/// Plans a set of journal files. A file is known by its file id and sequence-number id
/// (journald keeps both when it archives a file), and resumes after the last sequence
/// number read. journald only ever appends entries to a file: a known file that now
/// holds fewer entries than were read, or whose last entry comes before the last one read,
/// was rewritten (ST001), and is read again whole. Archived files that disappear were
/// vacuumed, which journald does: not a finding.
fn plan_journal_set(set: &LogSet, rows: &[FileRow], host: &str, plan: &mut Plan) {
    let known: Vec<&FileRow> = rows.iter().filter(|r| r.set_name == set.name).collect();
    plan.set_names.push(set.name.clone());
    for file in &set.files {
        let Ok(meta) = file.location.lstat() else {
            continue;
        };
        let Ok(header) = journal_header(&file.location) else {
            continue;
        };
        let identity = header.identity();
        let hash = sha256(&identity);
        let mut row = known
            .iter()
            .find(|r| r.head_len == identity.len() as i64 && r.head_hash == hash)
            .copied();
        if let Some(known_row) = row {
            // The row's offset is the next sequence number, its line the next ordinal.
            let read_entries = (known_row.line as u64).saturating_sub(1);
            let last_read = (known_row.offset as u64).saturating_sub(1);
            let (entries, tail) = (header.n_entries, header.tail_entry_seqnum);
            let removed = if entries < read_entries {
                Some(tr!(
                    "{entries} entries now, {read_entries} already read, same file id: \
                     entries were removed (read again from the start)",
                    "現在のエントリは {entries} 件で、読み取り済みの {read_entries} 件より少なく、\
                     ファイル ID は同じ: エントリが削除された（先頭から読み直す）"
                ))
            } else if read_entries > 0 && tail < last_read {
                Some(tr!(
                    "its last entry is now number {tail}, entry {last_read} was already \
                     read, same file id: entries were removed (read again from the start)",
                    "最後のエントリの番号が {tail} で、読み取り済みの {last_read} より前、\
                     ファイル ID は同じ: エントリが削除された（先頭から読み直す）"
                ))
            } else {
                None
            };
            if let Some(what) = removed {
                plan.findings.push(st001_log_file_tampered::finding(
                    host,
                    &file.display,
                    what,
                    known_row.offset as u64,
                    &hex(&identity),
                ));
                row = None;
            }
        }
        let start = row.map_or(FileStart::At { offset: 0, line: 1 }, |row| FileStart::At {
            offset: row.offset as u64,
            line: row.line as u64,
        });
        plan.resume
            .files
            .insert(file.location.identity().clone(), start);
        plan.files.push(PlannedFile {
            path: file.location.identity().clone(),
            location: file.location.clone(),
            display: file.display.clone(),
            set_name: set.name.clone(),
            live: file.rotation.is_none(),
            dev: meta.dev as i64,
            ino: meta.ino as i64,
            size: meta.len as i64,
            ctime_ns: ctime_ns(&meta),
            head: identity,
            compressed: false,
            content_hash: None,
            skipped: None,
            resumed: row.cloned(),
            journal: true,
        });
    }
}

/// What planning reads of a journal file's header.
struct JournalHeader {
    file_id: [u8; 16],
    seqnum_id: [u8; 16],
    n_entries: u64,
    tail_entry_seqnum: u64,
}

impl JournalHeader {
    /// The file id and sequence-number id, which identify the file across archiving.
    fn identity(&self) -> Vec<u8> {
        [self.file_id, self.seqnum_id].concat()
    }
}

/// The header fields of a journal file planning needs (systemd's `JOURNAL_FILE_FORMAT`:
/// file id at 24, seqnum id at 72, `n_entries` at 152, `tail_entry_seqnum` at 160).
fn journal_header(location: &Location) -> io::Result<JournalHeader> {
    let file = location.open()?;
    let mut header = [0u8; 168];
    file.read_exact_at(&mut header, 0)?;
    let u64_at = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let mut file_id = [0u8; 16];
    file_id.copy_from_slice(&header[24..40]);
    let mut seqnum_id = [0u8; 16];
    seqnum_id.copy_from_slice(&header[72..88]);
    Ok(JournalHeader {
        file_id,
        seqnum_id,
        n_entries: u64_at(152),
        tail_entry_seqnum: u64_at(160),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn anchor_changed(location: &Location, row: &FileRow) -> bool {
    let Some(expected) = &row.anchor_hash else {
        return false;
    };
    if row.anchor_len <= 0 || row.offset <= 0 {
        return false;
    }
    let offset = row.offset as u64;
    let len = row.anchor_len as u64;
    let read = || -> io::Result<Vec<u8>> {
        let file = location.open()?;
        let mut buf = vec![0u8; len as usize];
        file.read_exact_at(&mut buf, offset - len)?;
        Ok(sha256(&buf))
    };
    read().is_ok_and(|hash| &hash != expected)
}
