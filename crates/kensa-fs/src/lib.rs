//! The one door to the files kensa reads.
//!
//! kensa runs as root on machines an intruder may own, and on disk images an intruder
//! wrote. Two kinds of file exist for it, and this crate is the only code that opens
//! either:
//!
//! - **the audited root** ([`Root`]): every file of the host under examination — logs,
//!   login records, configuration, package databases, password files — named *relative to
//!   the root* and read through a [`Tree`] backend that never leaves it (a directory
//!   today, [`dir`]; disk images and archives implement the same trait). Nothing is ever
//!   written there, executed from there, or followed out of it;
//! - **the analyst's own paths** ([`analyst`]): what the person running kensa named on the
//!   command line — `-o`, `--config`, `--state`, `--allow`, `--wordlist`, and log files
//!   given outside the root. Those are followed the way the analyst's own system follows
//!   them.
//!
//! Every other crate of the workspace is forbidden to open files with `std::fs` by the
//! workspace's `clippy.toml` (`disallowed-methods`), so a new read that bypasses the root
//! fails CI instead of being caught in review.
//!
//! A file of either kind is read as a [`RootFile`]: positioned reads (`read_at`), `Read`
//! and `Seek`, its length now and its metadata as opened. A [`Location`] names one file of
//! either kind, so a log set can mix files found in the root with files the analyst named.

// Tests build their fixture trees with the standard library.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod analyst;
pub mod dir;
mod file;
mod location;
mod meta;
mod refused;

use std::fmt::Debug;
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

pub use file::{FileData, RootFile};
pub use location::Location;
pub use meta::{Entry, FileKind, Meta};
pub use refused::Refused;

/// Whether `error` is the `ELOOP` of a lookup that met more than [`MAX_LINKS`] links (a
/// loop, or a chain built to exhaust the walk).
pub fn is_link_loop(error: &io::Error) -> bool {
    error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
}

/// Symbolic links followed in one lookup before giving up with `ELOOP` (Linux's own
/// limit, `MAXSYMLINKS`). Every backend keeps it.
pub const MAX_LINKS: u32 = 40;
/// Directory depth walked in one lookup; deeper paths fail (`ENAMETOOLONG`).
pub const MAX_DEPTH: usize = 256;
/// Entries [`Root::read_dir`] returns from one directory; a larger directory is an error
/// naming the cap, which callers turn into a diagnostic. Callers that can judge part of a
/// directory ask [`Root::read_dir_matching`] for the names they want instead.
pub const MAX_DIR_ENTRIES: usize = 100_000;
/// Names looked at in one directory listing, wanted or not: a directory an intruder
/// stuffed with millions of files is read this far and said to be cut short.
pub const MAX_SCANNED_ENTRIES: usize = 10_000_000;

/// Part of a directory: the entries wanted (sorted by name), and whether the listing was
/// cut short by its limit or by [`MAX_SCANNED_ENTRIES`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The entries kept, each with its own `lstat` metadata.
    pub entries: Vec<Entry>,
    /// Whether entries were left out.
    pub truncated: bool,
}

/// What a backend of the audited root must do. Paths are root-relative (`etc/passwd`; a
/// leading `/` means the same), links are resolved inside the tree (absolute targets start
/// at its top, `..` stops there, at most [`MAX_LINKS`] per lookup), and only regular files
/// are ever opened.
pub trait Tree: Send + Sync + Debug {
    /// Metadata of `rel` itself: a final link is described, not followed (links in earlier
    /// components are followed inside the tree).
    fn lstat(&self, rel: &Path) -> io::Result<Meta>;
    /// Metadata of what `rel` ends at, every link followed inside the tree.
    fn stat(&self, rel: &Path) -> io::Result<Meta>;
    /// The regular file `rel` ends at, opened to read. Anything but a regular file (a
    /// FIFO, a device, a directory) is an error and is never opened.
    fn open(&self, rel: &Path) -> io::Result<RootFile>;
    /// The entries of the directory `rel` ends at whose names `wanted` accepts (without
    /// `.` and `..`), at most `limit` of them, each with its own `lstat` metadata, sorted
    /// by name.
    fn read_dir_matching(
        &self,
        rel: &Path,
        wanted: &mut dyn FnMut(&[u8]) -> bool,
        limit: usize,
    ) -> io::Result<Listing>;
    /// The target of the link `rel`, as written in the link.
    fn read_link(&self, rel: &Path) -> io::Result<PathBuf>;
    /// The in-tree path `rel` ends at once every link is followed (`.` for the top); the
    /// final component need not exist.
    fn resolve(&self, rel: &Path) -> io::Result<String>;
}

/// The audited root: one [`Tree`] and the path it was opened from. Every file access of
/// every check and every log reader goes through it.
#[derive(Debug)]
pub struct Root {
    tree: Box<dyn Tree>,
    path: PathBuf,
}

impl Root {
    /// Opens a directory as the audited root. The path itself may go through links (the
    /// analyst chose it); nothing below it will.
    pub fn open(path: &Path) -> io::Result<Root> {
        Ok(Root::with_tree(path, Box::new(dir::DirTree::open(path)?)))
    }

    /// A root read through any backend; `path` names it in messages.
    pub fn with_tree(path: &Path, tree: Box<dyn Tree>) -> Root {
        Root {
            tree,
            path: path.to_path_buf(),
        }
    }

    /// The path the root was opened from (for messages and identities only: never opened
    /// again).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// See [`Tree::lstat`].
    pub fn lstat(&self, rel: impl AsRef<Path>) -> io::Result<Meta> {
        self.tree.lstat(rel.as_ref())
    }

    /// See [`Tree::stat`].
    pub fn stat(&self, rel: impl AsRef<Path>) -> io::Result<Meta> {
        self.tree.stat(rel.as_ref())
    }

    /// Whether `rel` ends at a directory (links followed inside the root); `false` when
    /// it is missing or unreadable.
    pub fn is_dir(&self, rel: impl AsRef<Path>) -> bool {
        self.stat(rel).is_ok_and(|meta| meta.kind == FileKind::Dir)
    }

    /// The regular file `rel` ends at, opened to read (see [`Tree::open`]), for callers
    /// that stream a file of any size in bounded memory.
    pub fn open_file(&self, rel: impl AsRef<Path>) -> io::Result<RootFile> {
        self.tree.open(rel.as_ref())
    }

    /// The whole content of the regular file `rel` ends at. A file larger than `limit`
    /// bytes is an error of kind `FileTooLarge`, so a check never judges half a file
    /// without saying so.
    pub fn read(&self, rel: impl AsRef<Path>, limit: u64) -> io::Result<Vec<u8>> {
        read_whole(self.open_file(rel)?, limit)
    }

    /// At most the first `limit` bytes of the regular file `rel` ends at, and whether the
    /// file had more. For checks that can judge a prefix (a huge `hosts.equiv` padded to
    /// hide a line at its end still shows its first lines).
    pub fn read_prefix(&self, rel: impl AsRef<Path>, limit: u64) -> io::Result<(Vec<u8>, bool)> {
        read_bounded(self.open_file(rel)?, limit)
    }

    /// The entries of the directory `rel` ends at (links followed inside the root to
    /// reach it), each with its own `lstat` metadata, sorted by name, without `.` and
    /// `..`. More than [`MAX_DIR_ENTRIES`] is an error ([`Refused::TooManyEntries`]).
    pub fn read_dir(&self, rel: impl AsRef<Path>) -> io::Result<Vec<Entry>> {
        let listing = self
            .tree
            .read_dir_matching(rel.as_ref(), &mut |_| true, MAX_DIR_ENTRIES)?;
        if listing.truncated {
            return Err(Refused::TooManyEntries(MAX_DIR_ENTRIES).into_io());
        }
        Ok(listing.entries)
    }

    /// See [`Tree::read_dir_matching`].
    pub fn read_dir_matching(
        &self,
        rel: impl AsRef<Path>,
        wanted: &mut dyn FnMut(&[u8]) -> bool,
        limit: usize,
    ) -> io::Result<Listing> {
        self.tree.read_dir_matching(rel.as_ref(), wanted, limit)
    }

    /// See [`Tree::read_link`]: the target is to be read inside the root, never resolved
    /// by the caller against the analyst's `/`.
    pub fn read_link(&self, rel: impl AsRef<Path>) -> io::Result<PathBuf> {
        self.tree.read_link(rel.as_ref())
    }

    /// See [`Tree::resolve`]; names that are not UTF-8 are shown lossily.
    pub fn resolve(&self, rel: impl AsRef<Path>) -> io::Result<String> {
        self.tree.resolve(rel.as_ref())
    }

    /// How `rel` is shown in reports: relative to the root, without a leading slash,
    /// `.` components and doubled slashes removed (`"/etc//passwd"` → `"etc/passwd"`).
    /// `..` is kept as written: display does not resolve.
    pub fn display(&self, rel: impl AsRef<Path>) -> String {
        let parts: Vec<&[u8]> = components(rel.as_ref().as_os_str().as_bytes()).collect();
        if parts.is_empty() {
            return ".".to_string();
        }
        String::from_utf8_lossy(&parts.join(&b'/')).into_owned()
    }
}

/// All of `file` when it holds at most `limit` bytes; larger is an error of kind
/// `FileTooLarge`.
pub(crate) fn read_whole(file: RootFile, limit: u64) -> io::Result<Vec<u8>> {
    let (data, truncated) = read_bounded(file, limit)?;
    if truncated {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(data)
}

/// At most `limit` bytes of `file` and whether it had more.
fn read_bounded(file: RootFile, limit: u64) -> io::Result<(Vec<u8>, bool)> {
    let mut data = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut data)?;
    let truncated = data.len() as u64 > limit;
    if truncated {
        data.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok((data, truncated))
}

/// The components of a root-relative path: empty components and `.` dropped. A leading
/// `/` means the same as none (paths are always relative to the audited root).
pub(crate) fn components(path: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_root_relative() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::open(dir.path()).unwrap();
        assert_eq!(root.display("/etc//passwd"), "etc/passwd");
        assert_eq!(root.display("./etc/./passwd/"), "etc/passwd");
        assert_eq!(root.display("/"), ".");
    }

    #[test]
    fn read_is_bounded_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"0123456789").unwrap();
        let root = Root::open(dir.path()).unwrap();
        assert_eq!(root.read("f", 10).unwrap(), b"0123456789");
        assert_eq!(
            root.read("f", 9).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
        assert_eq!(root.read_prefix("f", 4).unwrap(), (b"0123".to_vec(), true));
    }
}
