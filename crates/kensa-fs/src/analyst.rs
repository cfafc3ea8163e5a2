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
use crate::{Meta, RootFile};

/// Opens the analyst's regular file `path` to read (links followed).
pub fn open(path: &Path) -> io::Result<RootFile> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)?;
    let meta = meta_of_std(&file.metadata()?);
    if meta.kind != crate::FileKind::File {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({:?})", meta.kind),
        ));
    }
    Ok(RootFile::new(Box::new(file), meta))
}

/// At most `limit` bytes of the analyst's file `path`; larger is `FileTooLarge`.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (data, truncated) = crate::read_bounded(open(path)?, limit)?;
    if truncated {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(data)
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

/// The names in the analyst's directory `path`, sorted.
pub fn read_dir(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(path)? {
        names.push(entry?.path());
        if names.len() > crate::MAX_DIR_ENTRIES {
            return Err(io::Error::other(format!(
                "directory has more than {} entries",
                crate::MAX_DIR_ENTRIES
            )));
        }
    }
    names.sort();
    Ok(names)
}

/// Creates (or truncates) the analyst's output file `path`.
pub fn create(path: &Path) -> io::Result<File> {
    File::create(path)
}

/// The options to open one of the analyst's files for writing in a special way (a
/// private report, a state database's side files).
pub fn options() -> OpenOptions {
    OpenOptions::new()
}
