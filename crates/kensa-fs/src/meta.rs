//! What a backend says about a file: its kind, owner, mode, size and times.

use jiff::Timestamp;
use std::ffi::OsString;

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

impl FileKind {
    /// The kind a `st_mode` value's file-type bits name.
    pub fn from_mode(mode: u32) -> FileKind {
        match mode & 0o170000 {
            0o100000 => FileKind::File,
            0o040000 => FileKind::Dir,
            0o120000 => FileKind::Symlink,
            0o010000 => FileKind::Fifo,
            0o140000 => FileKind::Socket,
            0o020000 => FileKind::CharDevice,
            0o060000 => FileKind::BlockDevice,
            _ => FileKind::Other,
        }
    }
}

/// The metadata of one file, as `lstat`/`stat` (or an image's inode, or an archive's
/// header) give it.
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
    /// Last status change time (`ctime`: owner, mode or links changed), when the backend
    /// has one.
    pub ctime: Option<Timestamp>,
    /// Number of hard links.
    pub nlink: u64,
    /// Device the file is on.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
}

impl Meta {
    /// A regular file of `len` bytes owned by root, mode 0644, without times (a file held
    /// in memory).
    pub fn regular(len: u64) -> Meta {
        Meta {
            kind: FileKind::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            len,
            mtime: None,
            ctime: None,
            nlink: 1,
            dev: 0,
            ino: 0,
        }
    }

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
    /// Whether it is a regular file.
    pub fn is_file(&self) -> bool {
        self.kind == FileKind::File
    }
    /// Whether it is a directory.
    pub fn is_dir(&self) -> bool {
        self.kind == FileKind::Dir
    }
    /// Whether it is a symbolic link.
    pub fn is_symlink(&self) -> bool {
        self.kind == FileKind::Symlink
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

/// A time from seconds and nanoseconds, when representable.
pub(crate) fn timestamp(seconds: i64, nanos: i64) -> Option<Timestamp> {
    let nanos = i32::try_from(nanos)
        .ok()
        .filter(|n| (0..1_000_000_000).contains(n))
        .unwrap_or(0);
    Timestamp::new(seconds, nanos).ok()
}

/// [`Meta`] from the standard library's metadata (the analyst's files).
pub(crate) fn meta_of_std(meta: &std::fs::Metadata) -> Meta {
    use std::os::unix::fs::MetadataExt;
    Meta {
        kind: FileKind::from_mode(meta.mode()),
        mode: meta.mode() & 0o7777,
        uid: meta.uid(),
        gid: meta.gid(),
        len: meta.size(),
        mtime: timestamp(meta.mtime(), meta.mtime_nsec()),
        ctime: timestamp(meta.ctime(), meta.ctime_nsec()),
        nlink: meta.nlink(),
        dev: meta.dev(),
        ino: meta.ino(),
    }
}
