//! The analyst's own files: the paths the person running kensa named (`-o`, `--config`,
//! `--state`, `--allow`, `--wordlist`, log files given outside the audited root).
//!
//! These are the only `std::fs` calls the workspace allows outside this crate's
//! [`crate::dir`] backend. Links here are the analyst's to follow, so they are followed;
//! files to read must still be regular files (a FIFO named by mistake must not hang a
//! cron run), and reads stay bounded where the caller gives a limit.

#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::meta::meta_of_std;
use crate::{Entry, Listing, Meta, RootFile};

/// Opens the analyst's regular file `path` to read (links followed).
pub fn open(path: &Path) -> io::Result<RootFile> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = meta_of_std(&file.metadata()?);
    if meta.kind != crate::FileKind::File {
        return Err(crate::Refused::NotRegular(meta.kind).into_io());
    }
    Ok(RootFile::new(Box::new(file), meta))
}

/// At most `limit` bytes of the analyst's file `path`; larger is `FileTooLarge`.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    crate::read_whole(open(path)?, limit)
}

/// The analyst's text file `path` (at most `limit` bytes, UTF-8).
pub fn read_to_string(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read(path, limit)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Metadata of `path` itself (a final link described, not followed).
pub fn lstat(path: &Path) -> io::Result<Meta> {
    Ok(meta_of_std(&std::fs::symlink_metadata(path)?))
}

/// Metadata of what `path` ends at (links followed).
pub fn stat(path: &Path) -> io::Result<Meta> {
    Ok(meta_of_std(&std::fs::metadata(path)?))
}

/// The standard library's metadata of what `path` ends at, for the few callers that
/// need more than [`Meta`] (permissions of an output file).
pub fn metadata(path: &Path) -> io::Result<Metadata> {
    std::fs::metadata(path)
}

/// The real path of `path`, every link followed by the analyst's system.
pub fn canonicalize(path: &Path) -> io::Result<PathBuf> {
    std::fs::canonicalize(path)
}

/// The entries of the analyst's directory `path` whose names `wanted` accepts, at most
/// `limit`, each with its own `lstat` metadata, sorted by name.
pub fn read_dir_matching(
    path: &Path,
    wanted: &mut dyn FnMut(&[u8]) -> bool,
    limit: usize,
) -> io::Result<Listing> {
    use std::os::unix::ffi::OsStrExt;
    let mut listing = Listing::default();
    for (scanned, item) in std::fs::read_dir(path)?.enumerate() {
        let item = item?;
        let name = item.file_name();
        if !wanted(name.as_bytes()) {
            continue;
        }
        if listing.entries.len() >= limit || scanned >= crate::MAX_SCANNED_ENTRIES {
            listing.truncated = true;
            break;
        }
        // An entry that vanished since the listing is not there any more.
        let Ok(meta) = std::fs::symlink_metadata(item.path()) else {
            continue;
        };
        listing.entries.push(Entry {
            name,
            meta: meta_of_std(&meta),
        });
    }
    listing.entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listing)
}

/// Creates (or truncates) the analyst's output file `path`.
pub fn create(path: &Path) -> io::Result<File> {
    File::create(path)
}

/// Creates (or truncates) the analyst's output file `path` for a report only its owner
/// may read: a new file gets `mode`; an existing one keeps its own.
pub fn create_private(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
}

/// Opens (creating it with `mode` if needed, never truncating) the analyst's file `path`
/// to read and write: the state database's lock file.
pub fn open_or_create(path: &Path, mode: u32) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(mode)
        .open(path)
}
