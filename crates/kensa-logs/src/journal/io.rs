//! Positional reads through a small block cache.
//!
//! A journal file is a heap of objects that point at each other by absolute offset: an
//! entry array lists entries, an entry lists data objects, and the data objects that many
//! entries share (`_HOSTNAME=`, `_COMM=`, `PRIORITY=`) sit wherever they were first
//! written. journald itself maps the file with `mmap`; kensa does not, because a file an
//! intruder can truncate while it is mapped turns every later access into `SIGBUS`, which
//! is a crash, not a diagnostic. Reading the whole file into memory is no answer either
//! (journal files of several hundred MiB are common, and an archive member or a disk image
//! is not a file at all).
//!
//! So reads go through [`ReadAt`] (positional, `pread`-like, shareable between threads)
//! and a cache of [`BLOCKS`] blocks of [`BLOCK_SIZE`] bytes with least-recently-used
//! eviction. Most accesses are sequential (an entry, then its own new data objects, then the
//! next entry), so the block just used is tried first; the scattered shared objects are
//! what the remaining blocks are for. A read that spans blocks is assembled in a scratch
//! buffer, and one larger than a block bypasses the cache so that a single big payload
//! does not evict everything else.

use super::problem::ProblemKind;
use std::io;

/// Positional reads: a file on disk today; a disk image or archive member later.
pub trait ReadAt: Send + Sync {
    /// Reads up to `buf.len()` bytes at `offset`; returns how many were read (0 at or past
    /// the end).
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize>;
    /// The length in bytes.
    fn len(&self) -> io::Result<u64>;
    /// Whether the length is zero.
    fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }
}

impl ReadAt for kensa_fs::RootFile {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        kensa_fs::RootFile::read_at(self, buf, offset)
    }
    fn len(&self) -> io::Result<u64> {
        kensa_fs::RootFile::len(self)
    }
}

impl ReadAt for [u8] {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let Some(rest) = self.get(start..) else {
            return Ok(0);
        };
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }
    fn len(&self) -> io::Result<u64> {
        Ok(<[u8]>::len(self) as u64)
    }
}

impl ReadAt for Vec<u8> {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        self.as_slice().read_at(buf, offset)
    }
    fn len(&self) -> io::Result<u64> {
        Ok(Vec::len(self) as u64)
    }
}

impl<T: ReadAt + ?Sized> ReadAt for &T {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        (**self).read_at(buf, offset)
    }
    fn len(&self) -> io::Result<u64> {
        (**self).len()
    }
}

/// Fills `buf` from `offset`, retrying short reads. A source that ends early (a file
/// truncated while it is read) is an [`io::ErrorKind::UnexpectedEof`].
pub(crate) fn read_exact_at(file: &dyn ReadAt, buf: &mut [u8], offset: u64) -> io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], offset + done as u64) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "file shorter than when it was opened",
                ));
            }
            Ok(n) => done += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Bytes per cached block: large enough that system calls do not dominate a sequential
/// walk, small enough that a scattered access does not read much it will not use.
pub(crate) const BLOCK_SIZE: usize = 256 * 1024;
/// Blocks kept: 16 × 256 KiB = 4 MiB per file being read.
pub(crate) const BLOCKS: usize = 16;

struct Slot {
    /// Block number (offset / BLOCK_SIZE); `u64::MAX` while the slot is empty.
    index: u64,
    data: Vec<u8>,
    used: u64,
}

/// The block cache over one source of a known length.
pub(crate) struct Blocks<'f> {
    file: &'f dyn ReadAt,
    len: u64,
    slots: Vec<Slot>,
    tick: u64,
    last: usize,
    scratch: Vec<u8>,
}

impl<'f> Blocks<'f> {
    pub(crate) fn new(file: &'f dyn ReadAt, len: u64) -> Blocks<'f> {
        Blocks {
            file,
            len,
            slots: Vec::new(),
            tick: 0,
            last: 0,
            scratch: Vec::new(),
        }
    }

    /// `n` bytes at `offset`, or why they cannot be had: past the end of the source
    /// ([`ProblemKind::Truncated`]) or an I/O error.
    pub(crate) fn get(&mut self, offset: u64, n: usize) -> Result<&[u8], ProblemKind> {
        let end = offset.checked_add(n as u64).filter(|&end| end <= self.len);
        let Some(end) = end else {
            return Err(ProblemKind::Truncated {
                end: offset.saturating_add(n as u64),
                len: self.len,
            });
        };
        if n == 0 {
            return Ok(&[]);
        }
        let block = BLOCK_SIZE as u64;
        let first = offset / block;
        if first == (end - 1) / block {
            let slot = self.slot(first)?;
            let start = (offset - first * block) as usize;
            return Ok(&self.slots[slot].data[start..start + n]);
        }
        self.scratch.clear();
        if n > BLOCK_SIZE {
            self.scratch.resize(n, 0);
            read_exact_at(self.file, &mut self.scratch, offset).map_err(io_problem)?;
        } else {
            let mut at = offset;
            while at < end {
                let index = at / block;
                let slot = self.slot(index)?;
                let start = (at - index * block) as usize;
                let stop = ((end - index * block) as usize).min(BLOCK_SIZE);
                let Some(piece) = self.slots[slot].data.get(start..stop) else {
                    return Err(ProblemKind::Truncated { end, len: self.len });
                };
                self.scratch.extend_from_slice(piece);
                at += (stop - start) as u64;
            }
        }
        Ok(&self.scratch[..n])
    }

    /// The bytes from `offset` to the end of its block (or of the source), for scans.
    pub(crate) fn rest_of_block(&mut self, offset: u64) -> Result<&[u8], ProblemKind> {
        if offset >= self.len {
            return Ok(&[]);
        }
        let index = offset / BLOCK_SIZE as u64;
        let slot = self.slot(index)?;
        let start = (offset - index * BLOCK_SIZE as u64) as usize;
        Ok(self.slots[slot].data.get(start..).unwrap_or(&[]))
    }

    fn slot(&mut self, index: u64) -> Result<usize, ProblemKind> {
        self.tick += 1;
        if let Some(slot) = self.slots.get_mut(self.last)
            && slot.index == index
        {
            slot.used = self.tick;
            return Ok(self.last);
        }
        let found = self.slots.iter().position(|slot| slot.index == index);
        let slot = match found {
            Some(slot) => slot,
            None => {
                let slot = if self.slots.len() < BLOCKS {
                    self.slots.push(Slot {
                        index: u64::MAX,
                        data: Vec::new(),
                        used: 0,
                    });
                    self.slots.len() - 1
                } else {
                    let oldest = self
                        .slots
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, slot)| slot.used);
                    oldest.map_or(0, |(slot, _)| slot)
                };
                let start = index * BLOCK_SIZE as u64;
                let size = (self.len - start).min(BLOCK_SIZE as u64) as usize;
                let entry = &mut self.slots[slot];
                entry.index = u64::MAX;
                entry.data.resize(size, 0);
                read_exact_at(self.file, &mut entry.data, start).map_err(io_problem)?;
                entry.index = index;
                slot
            }
        };
        self.slots[slot].used = self.tick;
        self.last = slot;
        Ok(slot)
    }
}

fn io_problem(error: io::Error) -> ProblemKind {
    ProblemKind::Io(error.to_string())
}
