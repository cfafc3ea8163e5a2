//! Why a backend refused a file: typed, so that the crates above can say it in the
//! analyst's language (`kensa_core::error_text` renders each in English and Japanese).

use std::fmt;
use std::io;

use crate::FileKind;

/// A file kensa would not read, and why. Carried inside an [`io::Error`] (see
/// [`Refused::into_io`]); its `Display` is the English wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not a regular file: a directory, FIFO, socket, device or link where a file was
    /// expected. Never opened (opening a tape drive rewinds it; a FIFO can hang the run).
    NotRegular(FileKind),
    /// The file was swapped for another between the look and the open (a live, hostile
    /// host racing kensa).
    Replaced,
    /// A directory with more entries than kensa lists.
    TooManyEntries(usize),
}

impl Refused {
    /// The error to return: `IsADirectory` for a directory, `InvalidInput` for other
    /// kinds, `Other` for the rest.
    pub fn into_io(self) -> io::Error {
        let kind = match self {
            Refused::NotRegular(FileKind::Dir) => io::ErrorKind::IsADirectory,
            Refused::NotRegular(_) => io::ErrorKind::InvalidInput,
            Refused::Replaced | Refused::TooManyEntries(_) => io::ErrorKind::Other,
        };
        io::Error::new(kind, self)
    }

    /// The refusal inside `error`, if it is one.
    pub fn of(error: &io::Error) -> Option<Refused> {
        error.get_ref()?.downcast_ref::<Refused>().copied()
    }
}

impl FileKind {
    /// The kind in words, for messages ("FIFO", "character device").
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::File => "regular file",
            FileKind::Dir => "directory",
            FileKind::Symlink => "symbolic link",
            FileKind::Fifo => "FIFO",
            FileKind::Socket => "socket",
            FileKind::CharDevice => "character device",
            FileKind::BlockDevice => "block device",
            FileKind::Other => "unknown file type",
        }
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotRegular(FileKind::Symlink) => f.write_str("symbolic link, not followed"),
            Refused::NotRegular(kind) => {
                write!(f, "not a regular file ({}); not read", kind.describe())
            }
            Refused::Replaced => f.write_str("file was replaced while being opened; not read"),
            Refused::TooManyEntries(cap) => write!(f, "directory has more than {cap} entries"),
        }
    }
}

impl std::error::Error for Refused {}
