//! The audited root, seen through one directory handle and never left.
//!
//! kensa runs as root on a machine an intruder may own, or on a disk image an intruder
//! wrote. Every file a check reads is therefore named *relative to the audited root* and
//! opened here, one path component at a time, with `openat(2)` and `O_NOFOLLOW` from a
//! directory handle opened once. Symbolic links are never followed by the kernel: when a
//! component is a link, its target is read and spliced into the remaining path *inside
//! the root*, the way the image's own system would have seen it when booted:
//!
//! - an absolute target (`/etc/shadow`) starts again at the audited root, not at the
//!   analyst's `/`;
//! - `..` pops the directories walked so far and stops at the root (`../../../x` from
//!   `home/a` is `x` under the root);
//! - at most [`MAX_LINKS`] links are followed per lookup (Linux's limit), so loops end
//!   with `ELOOP`;
//! - every directory is opened with `O_DIRECTORY | O_NOFOLLOW`, so a directory swapped for
//!   a link between our `lstat` and our `open` makes the open fail instead of escaping.
//!
//! Reading is read-only in every sense: files are opened `O_RDONLY`, with `O_NOATIME`
//! where the kernel allows it (so even the access times of the evidence stay as the
//! intruder left them), `O_NONBLOCK | O_NOCTTY` so that a FIFO or a terminal planted
//! where `etc/passwd` should be can neither hang the run nor become our terminal, and
//! only after `lstat` said the file is regular; the opened descriptor is checked again
//! with `fstat` (same device and inode, still regular) before a byte is read. Nothing is
//! ever executed or written.
//!
//! Bounded: [`Root::read`] refuses files larger than the caller's limit
//! (`ErrorKind::FileTooLarge`) and [`Root::read_prefix`] returns the first `limit` bytes
//! with a truncation flag; [`Root::read_dir`] refuses directories of more than
//! [`MAX_DIR_ENTRIES`] entries; paths deeper than [`MAX_DEPTH`] components are refused.

use jiff::Timestamp;
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{self, Read};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

/// Symbolic links followed in one lookup before giving up with `ELOOP` (Linux's own
/// limit, `MAXSYMLINKS`).
pub const MAX_LINKS: u32 = 40;
/// Directory depth walked in one lookup; deeper paths fail (`ENAMETOOLONG`). Each level
/// holds an open descriptor while the lookup runs.
pub const MAX_DEPTH: usize = 256;
/// Entries read from one directory; a larger directory is an error (`ErrorKind::Other`
/// naming the cap), which callers turn into a diagnostic.
pub const MAX_DIR_ENTRIES: usize = 100_000;

/// What kind of file a directory entry is (from `lstat`, so links are `Symlink`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A named pipe.
    Fifo,
    /// A Unix-domain socket.
    Socket,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// Anything else (Solaris doors, whiteouts, ...).
    Other,
}

/// The metadata of one file, as `lstat`/`stat` give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meta {
    /// The kind of file.
    pub kind: FileKind,
    /// Permission bits including setuid, setgid and sticky (`mode & 0o7777`).
    pub mode: u32,
    /// Owner user id (numeric: names come from the root's own `etc/passwd`).
    pub uid: u32,
    /// Owner group id.
    pub gid: u32,
    /// Size in bytes.
    pub len: u64,
    /// Last modification time, when representable.
    pub mtime: Option<Timestamp>,
    /// Number of hard links.
    pub nlink: u64,
    /// Device the file is on.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
}

impl Meta {
    /// Whether the group may write (`g+w`).
    pub fn group_writable(&self) -> bool {
        self.mode & 0o020 != 0
    }
    /// Whether others may write (`o+w`).
    pub fn other_writable(&self) -> bool {
        self.mode & 0o002 != 0
    }
    /// Whether the group may read (`g+r`).
    pub fn group_readable(&self) -> bool {
        self.mode & 0o040 != 0
    }
    /// Whether others may read (`o+r`).
    pub fn other_readable(&self) -> bool {
        self.mode & 0o004 != 0
    }
}

/// One directory entry with its `lstat` metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's name (bytes as on disk).
    pub name: OsString,
    /// Its metadata; a link is described, not followed.
    pub meta: Meta,
}

/// A directory handle on the audited root; every file access of every check goes
/// through it. See the module documentation for the rules it enforces.
#[derive(Debug)]
pub struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

/// Where a lookup ended: the directories walked (names and open handles, root
/// excluded) and the final name in the last of them, `None` when the lookup ended on a
/// directory itself (the root, or after a trailing `..`).
struct Walked {
    dirs: Vec<(Vec<u8>, OwnedFd)>,
    last: Option<Vec<u8>>,
}

impl Walked {
    fn parent<'a>(&'a self, root: &'a Root) -> BorrowedFd<'a> {
        self.dirs
            .last()
            .map_or_else(|| root.fd.as_fd(), |(_, fd)| fd.as_fd())
    }

    fn path(&self) -> String {
        let mut parts: Vec<&[u8]> = self.dirs.iter().map(|(n, _)| n.as_slice()).collect();
        if let Some(last) = &self.last {
            parts.push(last);
        }
        if parts.is_empty() {
            return ".".to_string();
        }
        String::from_utf8_lossy(&parts.join(&b'/')).into_owned()
    }
}

fn errno(err: rustix::io::Errno) -> io::Error {
    io::Error::from(err)
}

fn kind_of(stat: &Stat) -> FileKind {
    #[allow(clippy::unnecessary_cast)]
    match FileType::from_raw_mode(stat.st_mode as _) {
        FileType::RegularFile => FileKind::File,
        FileType::Directory => FileKind::Dir,
        FileType::Symlink => FileKind::Symlink,
        FileType::Fifo => FileKind::Fifo,
        FileType::Socket => FileKind::Socket,
        FileType::CharacterDevice => FileKind::CharDevice,
        FileType::BlockDevice => FileKind::BlockDevice,
        _ => FileKind::Other,
    }
}

// The field types of `struct stat` differ between platforms; these casts widen them.
#[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
fn meta_of(stat: &Stat) -> Meta {
    let nanos = stat.st_mtime_nsec as i64;
    let nanos = i32::try_from(nanos)
        .ok()
        .filter(|n| (0..1_000_000_000).contains(n));
    Meta {
        kind: kind_of(stat),
        mode: (stat.st_mode as u32) & 0o7777,
        uid: stat.st_uid as u32,
        gid: stat.st_gid as u32,
        len: u64::try_from(stat.st_size as i64).unwrap_or(0),
        mtime: Timestamp::new(stat.st_mtime as i64, nanos.unwrap_or(0)).ok(),
        nlink: stat.st_nlink as u64,
        dev: stat.st_dev as u64,
        ino: stat.st_ino as u64,
    }
}

/// The components of a root-relative path: empty components and `.` dropped. A leading
/// `/` means the same as none (paths are always relative to the audited root).
fn components(path: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_string())
}

/// Flags of every open of a file to read: no link followed, no blocking on FIFOs or
/// devices, no controlling terminal, not inherited by anything.
fn read_flags() -> OFlags {
    OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC
}

fn dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// Opens `name` in `dir` to read, without touching its access time where the kernel
/// lets us (`O_NOATIME` needs ownership or `CAP_FOWNER`; without them it is `EPERM`, and
/// we open again without it).
fn open_noatime(dir: BorrowedFd<'_>, name: &[u8], flags: OFlags) -> io::Result<OwnedFd> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        match rustix::fs::openat(dir, name, flags | OFlags::NOATIME, Mode::empty()) {
            Ok(fd) => return Ok(fd),
            Err(rustix::io::Errno::PERM) => {}
            Err(err) => return Err(errno(err)),
        }
    }
    rustix::fs::openat(dir, name, flags, Mode::empty()).map_err(errno)
}

impl Root {
    /// Opens the audited root. The path itself may go through links (the analyst chose
    /// it); nothing below it will.
    pub fn open(path: &Path) -> io::Result<Root> {
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(errno)?;
        Ok(Root {
            fd,
            path: path.to_path_buf(),
        })
    }

    /// The path the root was opened from (for messages only: never opened again).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Walks `rel` from the root, following links inside the root (the final one only
    /// when `follow_final`).
    fn walk(&self, rel: &str, follow_final: bool) -> io::Result<Walked> {
        if rel.as_bytes().contains(&0) {
            return Err(invalid("path contains a NUL byte"));
        }
        let mut pending: VecDeque<Vec<u8>> =
            components(rel.as_bytes()).map(<[u8]>::to_vec).collect();
        let mut dirs: Vec<(Vec<u8>, OwnedFd)> = Vec::new();
        let mut links = 0u32;
        while let Some(name) = pending.pop_front() {
            if name == b".." {
                dirs.pop();
                continue;
            }
            let is_last = pending.is_empty();
            let parent = dirs
                .last()
                .map_or_else(|| self.fd.as_fd(), |(_, fd)| fd.as_fd());
            let stat = match rustix::fs::statat(parent, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)
            {
                Ok(stat) => stat,
                // A missing final name is for the caller to find (`resolve` may name it).
                Err(rustix::io::Errno::NOENT) if is_last => {
                    return Ok(Walked {
                        dirs,
                        last: Some(name),
                    });
                }
                Err(err) => return Err(errno(err)),
            };
            let kind = kind_of(&stat);
            if kind == FileKind::Symlink && (follow_final || !is_last) {
                links += 1;
                if links > MAX_LINKS {
                    return Err(errno(rustix::io::Errno::LOOP));
                }
                let target = rustix::fs::readlinkat(parent, name.as_slice(), Vec::new())
                    .map_err(errno)?
                    .into_bytes();
                if target.first() == Some(&b'/') {
                    // The image's own absolute link: absolute in the image, so at our root.
                    dirs.clear();
                }
                for part in components(&target).rev() {
                    pending.push_front(part.to_vec());
                }
                if pending.len() > MAX_DEPTH * 4 {
                    return Err(errno(rustix::io::Errno::NAMETOOLONG));
                }
                continue;
            }
            if is_last {
                return Ok(Walked {
                    dirs,
                    last: Some(name),
                });
            }
            if kind != FileKind::Dir {
                return Err(errno(rustix::io::Errno::NOTDIR));
            }
            if dirs.len() >= MAX_DEPTH {
                return Err(errno(rustix::io::Errno::NAMETOOLONG));
            }
            let fd = rustix::fs::openat(parent, name.as_slice(), dir_flags(), Mode::empty())
                .map_err(errno)?;
            dirs.push((name, fd));
        }
        Ok(Walked { dirs, last: None })
    }

    /// Metadata of where a walk ended. The walk already followed every link it was
    /// asked to; a link still found here was either asked for (`lstat`) or appeared
    /// under us, and in both cases it is described, not followed.
    fn stat_walked(&self, walked: &Walked) -> io::Result<Meta> {
        let parent = walked.parent(self);
        let stat = match &walked.last {
            Some(name) => rustix::fs::statat(parent, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW),
            None => rustix::fs::fstat(parent),
        }
        .map_err(errno)?;
        Ok(meta_of(&stat))
    }

    /// Metadata of `rel` itself: a final link is described, not followed (links in
    /// earlier components are followed inside the root).
    pub fn lstat(&self, rel: &str) -> io::Result<Meta> {
        let walked = self.walk(rel, false)?;
        self.stat_walked(&walked)
    }

    /// Metadata of what `rel` ends at, following links inside the root (absolute targets
    /// start at the root, `..` stops at it, at most [`MAX_LINKS`] links).
    pub fn stat(&self, rel: &str) -> io::Result<Meta> {
        let walked = self.walk(rel, true)?;
        self.stat_walked(&walked)
    }

    /// Opens the regular file `rel` ends at (links followed inside the root) and checks
    /// the descriptor is the file `lstat` saw.
    fn open_regular(&self, rel: &str) -> io::Result<std::fs::File> {
        let walked = self.walk(rel, true)?;
        let Some(name) = &walked.last else {
            return Err(errno(rustix::io::Errno::ISDIR));
        };
        let parent = walked.parent(self);
        let before = meta_of(
            &rustix::fs::statat(parent, name.as_slice(), AtFlags::SYMLINK_NOFOLLOW)
                .map_err(errno)?,
        );
        if before.kind != FileKind::File {
            return Err(not_regular(before.kind));
        }
        let fd = open_noatime(parent, name, read_flags())?;
        let after = meta_of(&rustix::fs::fstat(&fd).map_err(errno)?);
        if after.kind != FileKind::File || after.dev != before.dev || after.ino != before.ino {
            return Err(io::Error::other("file changed while it was being opened"));
        }
        Ok(std::fs::File::from(fd))
    }

    /// The whole content of the regular file `rel` ends at (links followed inside the
    /// root). A file larger than `limit` bytes is an error of kind `FileTooLarge`, so a
    /// check never judges half a file without saying so; FIFOs, devices, sockets and
    /// directories are errors too, and none of them is ever opened.
    pub fn read(&self, rel: &str, limit: u64) -> io::Result<Vec<u8>> {
        let (data, truncated) = self.read_prefix(rel, limit)?;
        if truncated {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("larger than {limit} bytes"),
            ));
        }
        Ok(data)
    }

    /// At most the first `limit` bytes of the regular file `rel` ends at, and whether the
    /// file had more. For checks that can judge a prefix (a huge `hosts.equiv` padded to
    /// hide a line at its end still shows its first lines).
    pub fn read_prefix(&self, rel: &str, limit: u64) -> io::Result<(Vec<u8>, bool)> {
        let file = self.open_regular(rel)?;
        let mut data = Vec::new();
        file.take(limit.saturating_add(1)).read_to_end(&mut data)?;
        let truncated = data.len() as u64 > limit;
        if truncated {
            data.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        }
        Ok((data, truncated))
    }

    /// The regular file `rel` ends at (links followed inside the root), opened for
    /// reading, for callers that stream a file of any size in bounded memory (hashing
    /// against a package database). The same checks as [`Root::read`] apply: nothing
    /// but a regular file is ever opened, and the descriptor is the file `lstat` saw.
    pub fn open_file(&self, rel: &str) -> io::Result<std::fs::File> {
        self.open_regular(rel)
    }

    /// The entries of the directory `rel` ends at (links followed inside the root to
    /// reach it), each with its own `lstat` metadata, sorted by name, `.` and `..`
    /// left out. An entry that vanishes while being read is skipped. More than
    /// [`MAX_DIR_ENTRIES`] entries is an error.
    pub fn read_dir(&self, rel: &str) -> io::Result<Vec<Entry>> {
        let walked = self.walk(rel, true)?;
        // Listing a directory updates its access time like reading a file does.
        let dir_fd = match &walked.last {
            Some(name) => open_noatime(walked.parent(self), name, dir_flags())?,
            None => open_noatime(walked.parent(self), b".", dir_flags())?,
        };
        let stat_fd =
            rustix::fs::openat(&dir_fd, ".", dir_flags(), Mode::empty()).map_err(errno)?;
        let dir = rustix::fs::Dir::new(dir_fd).map_err(errno)?;
        let mut entries = Vec::new();
        for item in dir {
            let item = item.map_err(errno)?;
            let name = item.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            if entries.len() >= MAX_DIR_ENTRIES {
                return Err(io::Error::other(format!(
                    "directory has more than {MAX_DIR_ENTRIES} entries"
                )));
            }
            let stat = match rustix::fs::statat(&stat_fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => stat,
                Err(rustix::io::Errno::NOENT) => continue,
                Err(err) => return Err(errno(err)),
            };
            entries.push(Entry {
                name: OsString::from_vec(name.to_vec()),
                meta: meta_of(&stat),
            });
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// The target of the link `rel` (as written in the link: to be read inside the
    /// root, never resolved by the caller against the analyst's `/`).
    pub fn read_link(&self, rel: &str) -> io::Result<PathBuf> {
        let walked = self.walk(rel, false)?;
        let Some(name) = &walked.last else {
            return Err(errno(rustix::io::Errno::INVAL));
        };
        let target = rustix::fs::readlinkat(walked.parent(self), name.as_slice(), Vec::new())
            .map_err(errno)?;
        Ok(PathBuf::from(OsString::from_vec(target.into_bytes())))
    }

    /// The in-root path (`etc/shadow`, `.` for the root itself) that `rel` ends at once
    /// every link is followed inside the root; names that are not UTF-8 are shown lossily.
    /// The final component need not exist.
    pub fn resolve(&self, rel: &str) -> io::Result<String> {
        Ok(self.walk(rel, true)?.path())
    }

    /// How `rel` is shown in reports: relative to the root, without a leading slash,
    /// `.` components and doubled slashes removed (`"/etc//passwd"` → `"etc/passwd"`).
    /// `..` is kept as written: display does not resolve.
    pub fn display(&self, rel: &str) -> String {
        let parts: Vec<&[u8]> = components(rel.as_bytes()).collect();
        if parts.is_empty() {
            return ".".to_string();
        }
        String::from_utf8_lossy(&parts.join(&b'/')).into_owned()
    }
}

fn not_regular(kind: FileKind) -> io::Error {
    match kind {
        FileKind::Dir => errno(rustix::io::Errno::ISDIR),
        other => io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({other:?})"),
        ),
    }
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
}
