//! One opened file, from any backend.

use std::io::{self, Read, Seek, SeekFrom};

use crate::Meta;

/// The bytes of one opened file, whatever holds them: a descriptor of a directory tree's
/// file, a region of a disk image, a member of an archive. Reads are positioned, so one
/// file may be read from several places (a journal's objects) without a shared cursor.
#[allow(clippy::len_without_is_empty)]
pub trait FileData: Send + Sync {
    /// Reads at most `buf.len()` bytes at `offset`; 0 at or past the end.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
    /// The file's length now (a live log grows while it is read).
    fn len(&self) -> io::Result<u64>;
    /// Where the next data at or after `from` begins and where that data region ends
    /// (before `len`), or `None` past the last data: sparse files (a lastlog indexed by
    /// UIDs in the millions) are read without their holes. A backend that cannot tell
    /// says the rest is data.
    fn data_region(&self, from: u64, len: u64) -> Option<(u64, u64)> {
        (from < len).then_some((from, len))
    }
}

impl FileData for std::fs::File {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }

    fn len(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn data_region(&self, from: u64, len: u64) -> Option<(u64, u64)> {
        use rustix::fs::{SeekFrom, seek};
        if from >= len {
            return None;
        }
        // Positioned reads never use the descriptor's offset, so seeking here is free.
        let start = match seek(self, SeekFrom::Data(from)) {
            Ok(start) => start,
            Err(rustix::io::Errno::NXIO) => return None,
            Err(_) => from,
        };
        let end = seek(self, SeekFrom::Hole(start)).unwrap_or(len).min(len);
        (start < end).then_some((start, end))
    }
}

/// Bytes held in memory: an archive member, a fuzzer's input, a test's file.
impl FileData for Vec<u8> {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.len());
        let n = buf.len().min(self.len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }

    fn len(&self) -> io::Result<u64> {
        Ok(Vec::len(self) as u64)
    }
}

/// An opened regular file: positioned reads, plus `Read` and `Seek` over an own cursor,
/// and the metadata it had when it was opened.
pub struct RootFile {
    data: Box<dyn FileData>,
    meta: Meta,
    position: u64,
}

impl std::fmt::Debug for RootFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RootFile")
            .field("meta", &self.meta)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

impl RootFile {
    /// A file of a backend: its bytes and its metadata as opened.
    pub fn new(data: Box<dyn FileData>, meta: Meta) -> RootFile {
        RootFile {
            data,
            meta,
            position: 0,
        }
    }

    /// A regular file of `data` held in memory (owner root, mode 0644, no times).
    pub fn from_bytes(data: Vec<u8>) -> RootFile {
        let meta = Meta::regular(data.len() as u64);
        RootFile::new(Box::new(data), meta)
    }

    /// Reads at most `buf.len()` bytes at `offset` (the cursor does not move).
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.data.read_at(buf, offset)
    }

    /// Fills `buf` from `offset`, or fails with `UnexpectedEof` at the end.
    pub fn read_exact_at(&self, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
        while !buf.is_empty() {
            match self.data.read_at(buf, offset) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    buf = &mut buf[n..];
                    offset += n as u64;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// The file's length now.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> io::Result<u64> {
        self.data.len()
    }

    /// See [`FileData::data_region`].
    pub fn data_region(&self, from: u64, len: u64) -> Option<(u64, u64)> {
        self.data.data_region(from, len)
    }

    /// The metadata the file had when it was opened.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }
}

impl Read for RootFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.data.read_at(buf, self.position)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl Seek for RootFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            SeekFrom::End(delta) => self.data.len()?.checked_add_signed(delta),
        };
        match target {
            Some(position) => {
                self.position = position;
                Ok(position)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}
