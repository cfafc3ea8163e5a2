//! rpm's SQLite database, `rpmdb.sqlite` (rpm 4.16 and later: Fedora 33+, RHEL 9+,
//! openSUSE's `usr/lib/sysimage/rpm`): the table `Packages(hnum INTEGER PRIMARY KEY,
//! blob BLOB)` holds one header blob per installed package.
//!
//! SQLite is not pointed at the audited file. An ordinary open, even read-only, takes
//! locks, creates a `-shm` file beside the database and may check a `-wal` log back into
//! it — writes under the audited root — and it would open the path on the analyst's file
//! system, not through the confined [`Root`]. So the database is read through the root
//! into memory (at most [`MAX_DATABASE_BYTES`]; a larger one is reported, not read) and
//! SQLite is given that image (`sqlite3_deserialize`). rpm keeps its database in WAL
//! mode: a transaction that was running when the host stopped (or was imaged) is only
//! in `rpmdb.sqlite-wal`. When that log is there and not empty, kensa applies its
//! committed frames to the image itself, as SQLite's recovery would — frames count
//! while their salts match the log's header and their running checksum holds, up to the
//! last commit — so packages installed in that last transaction are verified too. The
//! image's header is then marked as a rollback-journal database (WAL mode needs files an
//! in-memory database cannot have). Nothing is written anywhere, not even a temporary
//! copy: with `--root /` the temporary directory would be under the audited root too.
//!
//! The database is hostile input as well: `Packages` must be a real table (not a view),
//! rows are fetched in pages by `hnum`, and a blob over the header cap is refused by
//! SQLite's length limit and reported as one bad package.

use super::{Item, MAX_DATABASE_BYTES, MAX_HEADER_BYTES};
use crate::Root;
use kensa_core::{DiagnosticLevel, tr};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::io::{ErrorKind, Read};

/// Rows fetched per query.
const PAGE_ROWS: i64 = 256;

/// Reads every package of the SQLite rpm database at `rel`, calling `each` with each
/// header blob, with what could not be read, and with notes on the write-ahead log.
/// `Err`: the database cannot be read at all.
pub fn read(root: &Root, rel: &str, each: &mut dyn FnMut(Item)) -> Result<(), String> {
    let connection = open(root, rel, each)?;
    let kind: String = connection
        .query_row(
            "SELECT type FROM sqlite_master WHERE name = 'Packages'",
            [],
            |row| row.get(0),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => "no table Packages".to_string(),
            e => e.to_string(),
        })?;
    if kind != "table" {
        return Err(format!("Packages is a {kind}, not a table"));
    }
    let mut list = connection
        .prepare("SELECT hnum, length(blob) FROM Packages WHERE hnum > ?1 ORDER BY hnum LIMIT ?2")
        .map_err(|e| e.to_string())?;
    let mut get = connection
        .prepare("SELECT blob FROM Packages WHERE hnum = ?1")
        .map_err(|e| e.to_string())?;
    let mut after = i64::MIN;
    loop {
        let rows: Vec<(i64, Option<i64>)> = list
            .query_map([after, PAGE_ROWS], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| format!("reading Packages after hnum {after}: {e}"))?;
        let Some(&(last, _)) = rows.last() else {
            break;
        };
        for (hnum, len) in rows {
            let number = u32::try_from(hnum).ok();
            let len = len.unwrap_or(0);
            if len as u64 > MAX_HEADER_BYTES as u64 {
                each(Item::Bad(
                    number,
                    format!("a header of {len} bytes, over the {MAX_HEADER_BYTES} read"),
                ));
                continue;
            }
            let blob = get.query_row([hnum], |row| {
                Ok(match row.get_ref(0)? {
                    ValueRef::Blob(b) => Ok(b.to_vec()),
                    other => Err(format!(
                        "a {:?} where a header blob belongs",
                        other.data_type()
                    )),
                })
            });
            match (number, blob) {
                (Some(n), Ok(Ok(b))) => each(Item::Header(n, b)),
                (None, _) => each(Item::Bad(None, format!("package number {hnum}"))),
                (Some(n), Ok(Err(e))) => each(Item::Bad(Some(n), e)),
                (Some(n), Err(e)) => each(Item::Bad(Some(n), e.to_string())),
            }
        }
        after = last;
    }
    Ok(())
}

/// The database image in memory, with its write-ahead log applied when there is one.
fn open(root: &Root, rel: &str, each: &mut dyn FnMut(Item)) -> Result<Connection, String> {
    let mut file = root.open_file(rel).map_err(|e| e.to_string())?;
    let len = file.len().map_err(|e| e.to_string())?;
    if len > MAX_DATABASE_BYTES {
        return Err(format!(
            "{len} bytes, more than the {MAX_DATABASE_BYTES} kensa reads into memory"
        ));
    }
    if len < 100 {
        return Err(format!("{len} bytes, shorter than an SQLite header"));
    }
    let wal_rel = format!("{rel}-wal");
    let wal = match root.open_file(&wal_rel) {
        Ok(wal) => Some(wal),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => {
            each(Item::Say(
                DiagnosticLevel::Warning,
                tr!(
                    "the write-ahead log beside the database cannot be read ({e}); packages \
                     of a transaction only in it are not verified",
                    "データベースの隣の先行書き込みログを読み取れません ({e})。そこにしかない\
                     トランザクションのパッケージは検証していません"
                ),
            ));
            None
        }
    };
    let wal_len = wal.as_ref().and_then(|w| w.len().ok()).unwrap_or(0);
    let mut connection = Connection::open_in_memory().map_err(|e| e.to_string())?;
    let size = usize::try_from(len).map_err(|e| e.to_string())?;
    let mut applied = None;
    if let Some(wal) = wal.filter(|_| wal_len > 0) {
        match with_wal(&mut file, len, wal, wal_len) {
            Ok((image, frames)) => {
                applied = Some(frames);
                let size = image.len();
                connection
                    .deserialize_read_exact(rusqlite::MAIN_DB, &image[..], size, true)
                    .map_err(|e| e.to_string())?;
                if frames > 0 {
                    each(Item::Say(
                        DiagnosticLevel::Note,
                        tr!(
                            "{frames} committed page(s) of the write-ahead log ({wal_len} \
                             bytes) applied in memory: packages of the last transaction are \
                             verified too",
                            "先行書き込みログ ({wal_len} バイト) のコミット済みページ {frames} 個を\
                             メモリ上で適用しました。最後のトランザクションのパッケージも検証します"
                        ),
                    ));
                }
            }
            Err(why) => each(Item::Say(
                DiagnosticLevel::Warning,
                tr!(
                    "a write-ahead log of {wal_len} bytes is beside the database but was not \
                     applied ({why}); packages of a transaction only in it are not verified",
                    "データベースの隣に {wal_len} バイトの先行書き込みログがありますが適用して\
                     いません ({why})。そこにしかないトランザクションのパッケージは検証していません"
                ),
            )),
        }
    }
    if applied.is_none() {
        // The first 100 bytes (the header, marked as not WAL) then the rest, straight
        // from the file into SQLite's buffer: one copy in memory.
        let mut head = [0u8; 100];
        file.read_exact(&mut head).map_err(|e| e.to_string())?;
        head[18] = 1;
        head[19] = 1;
        connection
            .deserialize_read_exact(
                rusqlite::MAIN_DB,
                head.as_slice().chain(file.take(len - 100)),
                size,
                true,
            )
            .map_err(|e| format!("{e} (the file may have changed while read)"))?;
    }
    let setup = || -> rusqlite::Result<()> {
        connection.set_limit(
            rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
            i32::try_from(MAX_HEADER_BYTES).unwrap_or(i32::MAX),
        )?;
        connection.pragma_update(None, "query_only", true)?;
        connection.pragma_update(None, "trusted_schema", false)?;
        Ok(())
    };
    setup().map_err(|e| e.to_string())?;
    Ok(connection)
}

/// The database image with the log's committed frames applied, and how many frames.
fn with_wal(
    file: &mut kensa_fs::RootFile,
    len: u64,
    mut wal: kensa_fs::RootFile,
    wal_len: u64,
) -> Result<(Vec<u8>, usize), String> {
    if len.saturating_add(wal_len) > MAX_DATABASE_BYTES {
        return Err(format!(
            "database and log exceed the {MAX_DATABASE_BYTES} bytes kensa reads into memory"
        ));
    }
    let mut image = Vec::with_capacity(len as usize);
    file.take(len)
        .read_to_end(&mut image)
        .map_err(|e| e.to_string())?;
    let mut log = Vec::with_capacity(wal_len as usize);
    (&mut wal)
        .take(wal_len)
        .read_to_end(&mut log)
        .map_err(|e| e.to_string())?;
    let frames = apply_wal(&mut image, &log)?;
    if let Some(versions) = image.get_mut(18..20) {
        versions.copy_from_slice(&[1, 1]);
    }
    Ok((image, frames))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `sums`:
/// 32-bit words in the byte order the log's magic names, folded pairwise.
fn checksum(data: &[u8], big_endian: bool, sums: (u32, u32)) -> (u32, u32) {
    let (mut s0, mut s1) = sums;
    for pair in data.chunks_exact(8) {
        let word = |b: &[u8]| {
            let b = [b[0], b[1], b[2], b[3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        s0 = s0.wrapping_add(word(&pair[..4])).wrapping_add(s1);
        s1 = s1.wrapping_add(word(&pair[4..])).wrapping_add(s0);
    }
    (s0, s1)
}

/// Applies the committed frames of the write-ahead log `wal` to `image`, as SQLite's
/// recovery does; returns how many frames were applied (0: no commit in the log).
fn apply_wal(image: &mut Vec<u8>, wal: &[u8]) -> Result<usize, String> {
    const HEADER: usize = 32;
    const FRAME_HEADER: usize = 24;
    let big_endian = match be32(wal, 0) {
        Some(0x377f_0682) => false,
        Some(0x377f_0683) => true,
        _ => return Err("not a write-ahead log".into()),
    };
    let page_size = be32(wal, 8).ok_or("log header cut short")? as usize;
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("log page size {page_size}"));
    }
    let db_page_size = match image.get(16..18).map(|b| u16::from_be_bytes([b[0], b[1]])) {
        Some(1) => 65536,
        Some(n) => usize::from(n),
        None => 0,
    };
    if db_page_size != page_size {
        return Err(format!(
            "log pages of {page_size} bytes, database pages of {db_page_size}"
        ));
    }
    let header = wal.get(..HEADER).ok_or("log header cut short")?;
    let mut sums = checksum(&header[..24], big_endian, (0, 0));
    if (Some(sums.0), Some(sums.1)) != (be32(header, 24), be32(header, 28)) {
        return Err("log header checksum does not match".into());
    }
    let salts = &header[16..24];
    // (page number, offset of its data) of valid frames, and where the last commit was.
    let mut frames: Vec<(usize, usize)> = Vec::new();
    let mut committed: Option<(usize, usize)> = None;
    let mut at = HEADER;
    while let Some(frame) = wal.get(at..at + FRAME_HEADER + page_size) {
        let (head, page) = frame.split_at(FRAME_HEADER);
        if &head[8..16] != salts {
            break;
        }
        sums = checksum(&head[..8], big_endian, sums);
        sums = checksum(page, big_endian, sums);
        if (Some(sums.0), Some(sums.1)) != (be32(head, 16), be32(head, 20)) {
            break;
        }
        let number = be32(head, 0).unwrap_or(0) as usize;
        if number == 0 {
            break;
        }
        frames.push((number, at + FRAME_HEADER));
        let db_pages = be32(head, 4).unwrap_or(0) as usize;
        if db_pages > 0 {
            committed = Some((frames.len(), db_pages));
        }
        at += FRAME_HEADER + page_size;
    }
    let Some((count, db_pages)) = committed else {
        return Ok(0);
    };
    let new_len = db_pages
        .checked_mul(page_size)
        .filter(|&n| n as u64 <= MAX_DATABASE_BYTES)
        .ok_or_else(|| format!("a database of {db_pages} pages after the log"))?;
    if image.len() < new_len {
        image.resize(new_len, 0);
    }
    for &(number, data) in &frames[..count] {
        let start = (number - 1) * page_size;
        if start + page_size <= image.len() {
            image[start..start + page_size].copy_from_slice(&wal[data..data + page_size]);
        }
    }
    image.truncate(new_len);
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_that_is_not_one_or_does_not_check_out_is_refused() {
        let mut image = vec![0u8; 4096];
        image[16..18].copy_from_slice(&4096u16.to_be_bytes());
        assert!(apply_wal(&mut image, b"").is_err());
        assert!(apply_wal(&mut image, &[0u8; 32]).is_err());
        // A valid header with no frame: nothing applied.
        let mut header = vec![0u8; 32];
        header[0..4].copy_from_slice(&0x377f_0682u32.to_be_bytes());
        header[8..12].copy_from_slice(&4096u32.to_be_bytes());
        let (a, b) = checksum(&header[..24], false, (0, 0));
        header[24..28].copy_from_slice(&a.to_be_bytes());
        header[28..32].copy_from_slice(&b.to_be_bytes());
        assert_eq!(apply_wal(&mut image, &header), Ok(0));
        // The same with a wrong header checksum.
        header[31] ^= 1;
        assert!(apply_wal(&mut image, &header).is_err());
        // Every cut of a log with one frame: never a panic.
        header[31] ^= 1;
        let mut log = header.clone();
        log.extend(vec![0u8; 24 + 4096]);
        for len in 0..log.len() {
            let _ = apply_wal(&mut image.clone(), &log[..len]);
        }
    }
}
