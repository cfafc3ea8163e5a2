//! rpm's "ndb" `Packages.db` (openSUSE and SLES since 15 SP3): rpm's own simple store,
//! little-endian throughout.
//!
//! The file starts with slot pages of 4096 bytes. The first 32 bytes of page 0 are the
//! header — magic `RpmP`, version 0, a generation counter, the number of slot pages, the
//! next package number — and the rest of the slot pages is an array of 16-byte slots:
//! magic `Slot`, package number, offset and length of the package's blob in 16-byte
//! blocks (offset 0: a free slot). A blob is a 16-byte head (`BlbS`, package number,
//! time stamp, length), the header blob itself, zero padding to a block boundary, and a
//! 12-byte tail (an Adler-32 of head, blob and padding; the length again; `BlbE`).
//!
//! Everything is checked before it is trusted, as rpm's `rpmpkg.c` does: the slot's blob
//! must lie after the slot pages and inside the file, its head and tail must agree with
//! the slot and with each other, and the checksum must match; a blob over the header cap
//! is refused before it is read. A bad slot or blob is reported and skipped; the rest of
//! the database is still read.

use super::{Item, MAX_HEADER_BYTES};
use kensa_fs::RootFile as File;
use std::collections::HashSet;

const PAGE: usize = 4096;
const BLOCK: u64 = 16;
const SLOT: usize = 16;
const HEADER: usize = 32;
const HEAD: usize = 16;
const TAIL: usize = 12;

/// `RpmP`, `Slot`, `BlbS`, `BlbE` as little-endian words.
const MAGIC: u32 = u32::from_le_bytes(*b"RpmP");
const SLOT_MAGIC: u32 = u32::from_le_bytes(*b"Slot");
const HEAD_MAGIC: u32 = u32::from_le_bytes(*b"BlbS");
const TAIL_MAGIC: u32 = u32::from_le_bytes(*b"BlbE");

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Adler-32 (RFC 1950), as rpm checks its blobs.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before the 32-bit sums could overflow.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Reads every package of the ndb `Packages.db` in `file` (`len` bytes), calling `each`
/// with each header blob or with what could not be read. `Err`: not an ndb database.
pub fn read(file: &File, len: u64, each: &mut dyn FnMut(Item)) -> Result<(), String> {
    let mut header = [0u8; HEADER];
    file.read_exact_at(&mut header, 0)
        .map_err(|e| format!("no ndb header ({len} bytes): {e}"))?;
    if le32(&header, 0) != MAGIC {
        return Err("not an rpm ndb database (no magic RpmP)".into());
    }
    let version = le32(&header, 4);
    if version != 0 {
        return Err(format!("ndb version {version}, not 0"));
    }
    let slot_pages = le32(&header, 12) as u64;
    if slot_pages == 0 || slot_pages * PAGE as u64 > len {
        return Err(format!(
            "{slot_pages} slot pages announced in a file of {len} bytes"
        ));
    }
    let blocks = len / BLOCK;
    let first_blob_block = slot_pages * (PAGE as u64 / BLOCK);
    let mut page = vec![0u8; PAGE];
    let mut seen = HashSet::new();
    for p in 0..slot_pages {
        file.read_exact_at(&mut page, p * PAGE as u64)
            .map_err(|e| format!("slot page {p}: {e}"))?;
        let start = if p == 0 { HEADER } else { 0 };
        for at in (start..PAGE).step_by(SLOT) {
            let slot_no = p * (PAGE / SLOT) as u64 + (at / SLOT) as u64;
            if le32(&page, at) != SLOT_MAGIC {
                each(Item::Bad(None, format!("slot {slot_no}: no slot magic")));
                continue;
            }
            let (pkg, offset, count) = (
                le32(&page, at + 4),
                u64::from(le32(&page, at + 8)),
                u64::from(le32(&page, at + 12)),
            );
            if offset == 0 {
                continue; // free
            }
            if pkg == 0 || count == 0 || offset < first_blob_block || offset + count > blocks {
                each(Item::Bad(
                    (pkg != 0).then_some(pkg),
                    format!(
                        "slot {slot_no}: blob of {count} blocks at block {offset} is outside \
                         the file's {blocks} blocks or among the slots"
                    ),
                ));
                continue;
            }
            if !seen.insert(pkg) {
                each(Item::Bad(
                    Some(pkg),
                    format!("slot {slot_no}: a second slot"),
                ));
                continue;
            }
            match blob(file, pkg, offset, count) {
                Ok(b) => each(Item::Header(pkg, b)),
                Err(e) => each(Item::Bad(Some(pkg), e)),
            }
        }
    }
    Ok(())
}

/// The header blob of package `pkg` at block `offset`, `count` blocks long, checked.
fn blob(file: &File, pkg: u32, offset: u64, count: u64) -> Result<Vec<u8>, String> {
    let size = count * BLOCK;
    if size > (MAX_HEADER_BYTES + HEAD + TAIL) as u64 + BLOCK {
        return Err(format!(
            "a blob of {size} bytes, over the {MAX_HEADER_BYTES} read"
        ));
    }
    if size < (HEAD + TAIL) as u64 {
        return Err(format!("a blob of {size} bytes is too small"));
    }
    let mut bytes = vec![0u8; size as usize];
    file.read_exact_at(&mut bytes, offset * BLOCK)
        .map_err(|e| format!("blob at block {offset}: {e}"))?;
    if le32(&bytes, 0) != HEAD_MAGIC || le32(&bytes, 4) != pkg {
        return Err(format!(
            "blob at block {offset} does not start as package {pkg}'s"
        ));
    }
    let length = le32(&bytes, 12) as usize;
    if (HEAD + length + TAIL).div_ceil(BLOCK as usize) as u64 != count {
        return Err(format!(
            "blob of {length} bytes does not fill the slot's {count} blocks"
        ));
    }
    let tail = bytes.len() - TAIL;
    if le32(&bytes, tail + 8) != TAIL_MAGIC || le32(&bytes, tail + 4) as usize != length {
        return Err(format!("blob at block {offset} has a bad tail"));
    }
    let sum = adler32(&bytes[..tail]);
    if le32(&bytes, tail) != sum {
        return Err(format!(
            "blob at block {offset}: checksum {:08x}, computed {sum:08x}",
            le32(&bytes, tail)
        ));
    }
    bytes.truncate(HEAD + length);
    bytes.drain(..HEAD);
    Ok(bytes)
}

#[cfg(test)]
pub(crate) mod build {
    //! Writes ndb databases as rpm's `rpmpkg.c` lays them out, for tests.

    use super::*;

    /// An ndb `Packages.db` holding `blobs` (package number, header blob), with
    /// `slot_pages` slot pages and a free slot before the used ones.
    pub fn database(blobs: &[(u32, Vec<u8>)], slot_pages: u32) -> Vec<u8> {
        let mut out = vec![0u8; slot_pages as usize * PAGE];
        out[0..4].copy_from_slice(b"RpmP");
        out[8..12].copy_from_slice(&7u32.to_le_bytes());
        out[12..16].copy_from_slice(&slot_pages.to_le_bytes());
        let next = blobs.iter().map(|b| b.0).max().unwrap_or(0) + 1;
        out[16..20].copy_from_slice(&next.to_le_bytes());
        for at in (HEADER..out.len()).step_by(SLOT) {
            out[at..at + 4].copy_from_slice(b"Slot");
        }
        // Slot 2 is left free, as after an erase.
        let mut slot_at = HEADER + SLOT;
        for (pkg, blob) in blobs {
            let offset = out.len() as u64 / BLOCK;
            let count = (HEAD + blob.len() + TAIL).div_ceil(BLOCK as usize);
            let mut b = Vec::with_capacity(count * 16);
            b.extend_from_slice(b"BlbS");
            b.extend_from_slice(&pkg.to_le_bytes());
            b.extend_from_slice(&1_700_000_000u32.to_le_bytes());
            b.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            b.extend_from_slice(blob);
            b.resize(count * 16 - TAIL, 0);
            let sum = adler32(&b);
            b.extend_from_slice(&sum.to_le_bytes());
            b.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            b.extend_from_slice(b"BlbE");
            out.extend_from_slice(&b);
            out[slot_at + 4..slot_at + 8].copy_from_slice(&pkg.to_le_bytes());
            out[slot_at + 8..slot_at + 12].copy_from_slice(&(offset as u32).to_le_bytes());
            out[slot_at + 12..slot_at + 16].copy_from_slice(&(count as u32).to_le_bytes());
            slot_at += SLOT;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Read = (Result<(), String>, Vec<(u32, Vec<u8>)>, Vec<String>);

    fn records(bytes: &[u8]) -> Read {
        let f = File::from_bytes(bytes.to_vec());
        let mut got = Vec::new();
        let mut bad = Vec::new();
        let r = read(&f, bytes.len() as u64, &mut |item| match item {
            Item::Header(k, v) => got.push((k, v)),
            Item::Bad(_, e) => bad.push(e),
            Item::Say(..) => {}
        });
        (r, got, bad)
    }

    #[test]
    fn adler32_is_rfc_1950s() {
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(&[]), 1);
        assert_eq!(adler32(&[0xff; 100_000]), 0x149A_302C);
    }

    #[test]
    fn blobs_come_back_and_a_damaged_one_is_reported_alone() {
        let blobs = vec![(3, b"first header".to_vec()), (9, vec![7u8; 5000])];
        let good = build::database(&blobs, 2);
        let (r, got, bad) = records(&good);
        assert!(r.is_ok() && bad.is_empty(), "{r:?} {bad:?}");
        assert_eq!(got, blobs);
        // One byte of the second blob flipped: its checksum fails, the first is read.
        let mut flipped = good.clone();
        let last = flipped.len() - 100;
        flipped[last] ^= 1;
        let (_, got, bad) = records(&flipped);
        assert_eq!(got, blobs[..1]);
        assert!(bad[0].contains("checksum"), "{bad:?}");
    }

    #[test]
    fn truncated_and_mutated_files_give_errors_never_a_panic() {
        let good = build::database(&[(1, vec![1u8; 300]), (2, vec![2u8; 70])], 1);
        for len in 0..good.len() {
            let _ = records(&good[..len]);
        }
        for i in (0..64).chain(4096..good.len()) {
            for v in [0x00, 0x01, 0x7f, 0xff] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = records(&bad);
            }
        }
        // A slot claiming the largest blob: refused before reading, by size.
        let mut huge = good.clone();
        huge[HEADER + SLOT + 12..HEADER + SLOT + 16].copy_from_slice(&u32::MAX.to_le_bytes());
        let (_, _, bad) = records(&huge);
        assert!(!bad.is_empty());
        assert!(records(b"RpmP").0.is_err());
        assert!(records(&[0u8; 8192]).0.is_err());
    }
}
