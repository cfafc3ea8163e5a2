//! The directory backend of [`crate::Root`]: a directory tree seen through one handle and
//! never left.
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
//! Bounded: directories of more than [`MAX_DIR_ENTRIES`] entries and paths deeper than
//! [`MAX_DEPTH`] components are refused.
//!
//! This module and [`crate::analyst`] are the only code of the workspace allowed to call
//! the operating system's file functions.

#![allow(clippy::disallowed_methods)]

use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat};
use std::collections::VecDeque;
use std::ffi::OsString;
use std::io;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use crate::meta::timestamp;
use crate::{
    Entry, FileKind, Listing, MAX_DEPTH, MAX_LINKS, MAX_SCANNED_ENTRIES, Meta, RootFile, Tree,
    components,
};

/// A directory tree opened as an audited root; see the module documentation for the
/// rules it enforces.
#[derive(Debug)]
pub struct DirTree {
    fd: OwnedFd,
}

/// Where a lookup ended: the directories walked (names and open handles, root
/// excluded) and the final name in the last of them, `None` when the lookup ended on a
/// directory itself (the root, or after a trailing `..`).
struct Walked {
    dirs: Vec<(Vec<u8>, OwnedFd)>,
    last: Option<Vec<u8>>,
}

impl Walked {
    fn parent<'a>(&'a self, root: &'a DirTree) -> BorrowedFd<'a> {
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
    Meta {
        kind: kind_of(stat),
        mode: (stat.st_mode as u32) & 0o7777,
        uid: stat.st_uid as u32,
        gid: stat.st_gid as u32,
        len: u64::try_from(stat.st_size as i64).unwrap_or(0),
        mtime: timestamp(stat.st_mtime as i64, stat.st_mtime_nsec as i64),
        ctime: timestamp(stat.st_ctime as i64, stat.st_ctime_nsec as i64),
        nlink: stat.st_nlink as u64,
        dev: stat.st_dev as u64,
        ino: stat.st_ino as u64,
    }
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

impl DirTree {
    /// Opens the directory `path` as a tree. The path itself may go through links (the
    /// analyst chose it); nothing below it will.
    pub fn open(path: &Path) -> io::Result<DirTree> {
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(errno)?;
        Ok(DirTree { fd })
    }

    /// Walks `rel` from the root, following links inside the root (the final one only
    /// when `follow_final`).
    fn walk(&self, rel: &Path, follow_final: bool) -> io::Result<Walked> {
        let rel = rel.as_os_str().as_bytes();
        if rel.contains(&0) {
            return Err(invalid("path contains a NUL byte"));
        }
        let mut pending: VecDeque<Vec<u8>> = components(rel).map(<[u8]>::to_vec).collect();
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

    /// Opens the regular file `rel` ends at (links followed inside the root) and checks
    /// the descriptor is the file `lstat` saw.
    fn open_regular(&self, rel: &Path) -> io::Result<(std::fs::File, Meta)> {
        let walked = self.walk(rel, true)?;
        let Some(name) = &walked.last else {
            return Err(not_regular(FileKind::Dir));
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
            return Err(crate::Refused::Replaced.into_io());
        }
        Ok((std::fs::File::from(fd), after))
    }
}

impl Tree for DirTree {
    fn lstat(&self, rel: &Path) -> io::Result<Meta> {
        let walked = self.walk(rel, false)?;
        self.stat_walked(&walked)
    }

    fn stat(&self, rel: &Path) -> io::Result<Meta> {
        let walked = self.walk(rel, true)?;
        self.stat_walked(&walked)
    }

    /// FIFOs, devices, sockets and directories are errors, and none of them is ever
    /// opened; the descriptor is checked to be the file `lstat` saw.
    fn open(&self, rel: &Path) -> io::Result<RootFile> {
        let (file, meta) = self.open_regular(rel)?;
        Ok(RootFile::new(Box::new(file), meta))
    }

    /// An entry that vanishes while being read is skipped; only the entries `wanted`
    /// accepts are looked at (`lstat`) and kept.
    fn read_dir_matching(
        &self,
        rel: &Path,
        wanted: &mut dyn FnMut(&[u8]) -> bool,
        limit: usize,
    ) -> io::Result<Listing> {
        let walked = self.walk(rel, true)?;
        // Listing a directory updates its access time like reading a file does.
        let dir_fd = match &walked.last {
            Some(name) => open_noatime(walked.parent(self), name, dir_flags())?,
            None => open_noatime(walked.parent(self), b".", dir_flags())?,
        };
        let stat_fd =
            rustix::fs::openat(&dir_fd, ".", dir_flags(), Mode::empty()).map_err(errno)?;
        let dir = rustix::fs::Dir::new(dir_fd).map_err(errno)?;
        let mut listing = Listing::default();
        for (scanned, item) in dir.enumerate() {
            let item = item.map_err(errno)?;
            let name = item.file_name().to_bytes();
            if name == b"." || name == b".." || !wanted(name) {
                continue;
            }
            if listing.entries.len() >= limit || scanned >= MAX_SCANNED_ENTRIES {
                listing.truncated = true;
                break;
            }
            let stat = match rustix::fs::statat(&stat_fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(stat) => stat,
                Err(rustix::io::Errno::NOENT) => continue,
                Err(err) => return Err(errno(err)),
            };
            listing.entries.push(Entry {
                name: OsString::from_vec(name.to_vec()),
                meta: meta_of(&stat),
            });
        }
        listing.entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(listing)
    }

    fn read_link(&self, rel: &Path) -> io::Result<PathBuf> {
        let walked = self.walk(rel, false)?;
        let Some(name) = &walked.last else {
            return Err(errno(rustix::io::Errno::INVAL));
        };
        let target = rustix::fs::readlinkat(walked.parent(self), name.as_slice(), Vec::new())
            .map_err(errno)?;
        Ok(PathBuf::from(OsString::from_vec(target.into_bytes())))
    }

    fn resolve(&self, rel: &Path) -> io::Result<String> {
        Ok(self.walk(rel, true)?.path())
    }
}

fn not_regular(kind: FileKind) -> io::Error {
    crate::Refused::NotRegular(kind).into_io()
}
