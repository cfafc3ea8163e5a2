//! rpm's Berkeley DB `Packages` (rpm before 4.16: RHEL and CentOS up to 8, SLES up to
//! 15 SP2): a Berkeley DB **hash** database whose keys are 4-byte package numbers and
//! whose values are the header blobs. Read here page by page, without Berkeley DB.
//!
//! The file is an array of pages of one size (512 bytes to 64 KiB, said by the meta page,
//! page 0). The meta page names the last page, the highest bucket and the `spares` table
//! that maps a bucket to its first page (`bucket + spares[bit length of bucket]`, as
//! Berkeley DB's `BUCKET_TO_PAGE`). A bucket is a chain of hash pages (type 13, or 2 in
//! old versions) linked by `next_pgno`; each page holds an array of 16-bit item offsets
//! after its 26-byte header (32 with page checksums), keys and values alternating, every
//! item ending where the previous one starts (the first at the page's end). An item is
//! `H_KEYDATA` (type 1: the bytes follow) or `H_OFFPAGE` (type 3: the first page and total
//! length of a chain of overflow pages, type 7, each carrying `hf_offset` bytes after its
//! header) — header blobs larger than about a quarter of a page live there. The database
//! is in the byte order of the host that wrote it: the meta page's magic (0x061561) tells
//! which, and every number in page headers and items is read in that order.
//!
//! Buckets are walked as Berkeley DB does (what a stale page left outside every chain
//! holds is not read). Everything is bounded: pages are read one at a time with
//! `pread`, every page number is checked against the last page and the file's size, a
//! page is visited at most once (a cycle in a chain ends it), item offsets and lengths
//! are checked against the page, and an overflow value must fit the per-header cap and
//! the file before it is allocated.

use super::{Item, MAX_HEADER_BYTES};
use kensa_fs::RootFile as File;

/// The hash magic in the meta page.
const HASH_MAGIC: u32 = 0x0006_1561;
/// The B-tree magic (rpm's index databases, not `Packages`).
const BTREE_MAGIC: u32 = 0x0005_3162;
/// Page types.
const P_HASH_UNSORTED: u8 = 2;
const P_OVERFLOW: u8 = 7;
const P_HASHMETA: u8 = 8;
const P_HASH: u8 = 13;
/// Item types on hash pages.
const H_KEYDATA: u8 = 1;
const H_DUPLICATE: u8 = 2;
const H_OFFPAGE: u8 = 3;
const H_OFFDUP: u8 = 4;
/// The page header, and what page checksums add to it.
const PAGE_HEADER: usize = 26;
const CHECKSUM_HEADER: usize = 6;

/// An open database: its geometry and byte order.
struct Db<'f> {
    file: &'f File,
    big_endian: bool,
    page_size: usize,
    /// The last page that is both announced and in the file.
    last: u32,
    /// Where item offsets (and overflow data) start on a page.
    overhead: usize,
}

impl Db<'_> {
    fn u16(&self, b: &[u8], at: usize) -> u16 {
        let v = [b[at], b[at + 1]];
        if self.big_endian {
            u16::from_be_bytes(v)
        } else {
            u16::from_le_bytes(v)
        }
    }

    fn u32(&self, b: &[u8], at: usize) -> u32 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big_endian {
            u32::from_be_bytes(v)
        } else {
            u32::from_le_bytes(v)
        }
    }

    /// Reads page `no` into `buf` (one page long) and checks it names itself.
    fn page(&self, no: u32, buf: &mut [u8]) -> Result<(), String> {
        if no == 0 || no > self.last {
            return Err(format!(
                "page {no} is outside the database (1 to {})",
                self.last
            ));
        }
        self.file
            .read_exact_at(buf, u64::from(no) * self.page_size as u64)
            .map_err(|e| format!("page {no}: {e}"))?;
        if self.u32(buf, 8) != no {
            return Err(format!("page {no} says it is page {}", self.u32(buf, 8)));
        }
        Ok(())
    }
}

/// A set of page numbers, one bit each (bounded by the file's page count).
struct Seen(Vec<u64>);

impl Seen {
    fn new(pages: u32) -> Seen {
        Seen(vec![0; pages as usize / 64 + 1])
    }

    /// Marks `no`; false when it was already marked.
    fn insert(&mut self, no: u32) -> bool {
        let (word, bit) = (no as usize / 64, no % 64);
        match self.0.get_mut(word) {
            Some(w) if *w & (1 << bit) == 0 => {
                *w |= 1 << bit;
                true
            }
            _ => false,
        }
    }
}

/// Reads every record of the `Packages` hash database in `file` (`len` bytes), calling
/// `each` with each header blob (the counter record, key 0, is skipped) or with what
/// could not be read. `Err`: the file is not a database this reader can read at all.
pub fn read(file: &File, len: u64, each: &mut dyn FnMut(Item)) -> Result<(), String> {
    let mut meta = [0u8; 512];
    file.read_exact_at(&mut meta, 0)
        .map_err(|e| format!("no Berkeley DB meta page ({len} bytes): {e}"))?;
    let magic_le = u32::from_le_bytes([meta[12], meta[13], meta[14], meta[15]]);
    let magic_be = u32::from_be_bytes([meta[12], meta[13], meta[14], meta[15]]);
    let big_endian = match (magic_le, magic_be) {
        (HASH_MAGIC, _) => false,
        (_, HASH_MAGIC) => true,
        (BTREE_MAGIC, _) | (_, BTREE_MAGIC) => {
            return Err("a Berkeley DB B-tree, not the hash database rpm keeps packages in".into());
        }
        _ => return Err("not a Berkeley DB hash database (no magic 0x061561)".into()),
    };
    let mut db = Db {
        file,
        big_endian,
        page_size: 0,
        last: 0,
        overhead: PAGE_HEADER,
    };
    let version = db.u32(&meta, 16);
    if !(8..=10).contains(&version) {
        return Err(format!("hash version {version}, not 8 to 10"));
    }
    let page_size = db.u32(&meta, 20);
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(format!("page size {page_size}"));
    }
    db.page_size = page_size as usize;
    if meta[24] != 0 {
        return Err(format!(
            "encrypted (algorithm {}): cannot be read",
            meta[24]
        ));
    }
    if meta[25] != P_HASHMETA {
        return Err(format!(
            "meta page of type {}, not a hash meta page",
            meta[25]
        ));
    }
    if meta[26] & 1 != 0 {
        db.overhead += CHECKSUM_HEADER;
    }
    let announced = db.u32(&meta, 32);
    let in_file = (len / u64::from(page_size)).saturating_sub(1);
    db.last = announced.min(u32::try_from(in_file).unwrap_or(u32::MAX));
    if u64::from(announced) > in_file {
        each(Item::Bad(
            None,
            format!("the file ends at page {in_file}, the database says {announced}: cut short"),
        ));
    }
    let max_bucket = db.u32(&meta, 72);
    if max_bucket > db.last {
        return Err(format!("{max_bucket} buckets in {} pages", db.last));
    }
    let spares: Vec<u32> = (0..32).map(|i| db.u32(&meta, 96 + 4 * i)).collect();
    let mut seen = Seen::new(db.last.saturating_add(1));
    let mut page = vec![0u8; db.page_size];
    for bucket in 0..=max_bucket {
        let bits = (u32::BITS - bucket.leading_zeros()) as usize;
        let Some(mut no) = bucket.checked_add(spares[bits]) else {
            each(Item::Bad(
                None,
                format!("bucket {bucket}: bad spares table"),
            ));
            continue;
        };
        while no != 0 {
            if !seen.insert(no) {
                each(Item::Bad(
                    None,
                    format!("bucket {bucket}: page {no} met twice (a cycle, or shared)"),
                ));
                break;
            }
            if let Err(e) = db.page(no, &mut page) {
                each(Item::Bad(None, format!("bucket {bucket}: {e}")));
                break;
            }
            if !matches!(page[25], P_HASH | P_HASH_UNSORTED) {
                each(Item::Bad(
                    None,
                    format!(
                        "bucket {bucket}: page {no} is of type {}, not hash",
                        page[25]
                    ),
                ));
                break;
            }
            read_page(&db, &page, no, &mut seen, each);
            no = db.u32(&page, 16);
        }
    }
    Ok(())
}

/// The records on one hash page.
fn read_page(db: &Db<'_>, page: &[u8], no: u32, seen: &mut Seen, each: &mut dyn FnMut(Item)) {
    let entries = usize::from(db.u16(page, 20));
    let index_end = db.overhead + 2 * entries;
    if index_end > db.page_size {
        each(Item::Bad(
            None,
            format!("page {no}: {entries} items do not fit"),
        ));
        return;
    }
    let offset = |i: usize| usize::from(db.u16(page, db.overhead + 2 * i));
    // Item i spans [offset(i), end of item i-1).
    let item = |i: usize| -> Result<&[u8], String> {
        let start = offset(i);
        let end = if i == 0 { db.page_size } else { offset(i - 1) };
        if start < index_end || start >= end || end > db.page_size {
            return Err(format!(
                "page {no}: item {i} at {start}..{end} is not on the page"
            ));
        }
        Ok(&page[start..end])
    };
    for pair in 0..entries / 2 {
        let (key, value) = match (item(2 * pair), item(2 * pair + 1)) {
            (Ok(k), Ok(v)) => (k, v),
            (Err(e), _) | (_, Err(e)) => {
                each(Item::Bad(None, e));
                continue;
            }
        };
        let key = match (key[0], key.get(1..)) {
            (H_KEYDATA, Some(k)) if k.len() == 4 => db.u32(k, 0),
            _ => {
                each(Item::Bad(
                    None,
                    format!("page {no}: a key that is not a 4-byte package number"),
                ));
                continue;
            }
        };
        let blob = match value[0] {
            H_KEYDATA => Ok(value[1..].to_vec()),
            H_OFFPAGE if value.len() >= 12 => {
                overflow(db, db.u32(value, 4), db.u32(value, 8) as usize, seen)
            }
            H_DUPLICATE | H_OFFDUP => Err("duplicate values: not rpm's Packages".to_string()),
            t => Err(format!("value of item type {t}")),
        };
        if key == 0 {
            // rpm's record of the next package number, not a header.
            continue;
        }
        match blob {
            Ok(blob) => each(Item::Header(key, blob)),
            Err(e) => each(Item::Bad(Some(key), e)),
        }
    }
}

/// The value of `len` bytes stored on the chain of overflow pages starting at `first`.
fn overflow(db: &Db<'_>, first: u32, len: usize, seen: &mut Seen) -> Result<Vec<u8>, String> {
    let room = db.page_size - db.overhead;
    let pages_needed = len.div_ceil(room.max(1));
    if len > MAX_HEADER_BYTES {
        return Err(format!(
            "a header of {len} bytes, over the {MAX_HEADER_BYTES} read"
        ));
    }
    if len == 0 || pages_needed > db.last as usize {
        return Err(format!(
            "an overflow value of {len} bytes cannot be in the file"
        ));
    }
    let mut out = Vec::with_capacity(len);
    let mut page = vec![0u8; db.page_size];
    let mut no = first;
    while out.len() < len {
        if no == 0 {
            return Err(format!(
                "overflow chain from page {first} ends after {} of {len} bytes",
                out.len()
            ));
        }
        if !seen.insert(no) {
            return Err(format!("overflow page {no} met twice (a cycle, or shared)"));
        }
        db.page(no, &mut page)?;
        if page[25] != P_OVERFLOW {
            return Err(format!("page {no} is of type {}, not overflow", page[25]));
        }
        let here = usize::from(db.u16(&page, 22));
        if here == 0 || here > room || here > len - out.len() {
            return Err(format!("overflow page {no} says it holds {here} bytes"));
        }
        out.extend_from_slice(&page[db.overhead..db.overhead + here]);
        no = db.u32(&page, 16);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian hash database of 4096-byte pages: meta page, one bucket page with
    /// two records (one on the page, one on two overflow pages), and the counter record.
    fn sample(big_endian: bool) -> Vec<u8> {
        let ps = 4096usize;
        let mut file = vec![0u8; ps * 4];
        let put16 = |f: &mut [u8], at: usize, v: u16| {
            let b = if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            };
            f[at..at + 2].copy_from_slice(&b);
        };
        let put32 = |f: &mut [u8], at: usize, v: u32| {
            let b = if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            };
            f[at..at + 4].copy_from_slice(&b);
        };
        put32(&mut file, 12, HASH_MAGIC);
        put32(&mut file, 16, 9);
        put32(&mut file, 20, ps as u32);
        file[25] = P_HASHMETA;
        put32(&mut file, 32, 3); // last page
        put32(&mut file, 72, 0); // max bucket
        put32(&mut file, 96, 1); // spares[0]: bucket 0 is page 1
        // Page 1: hash page with three pairs.
        let p = ps;
        put32(&mut file, p + 8, 1);
        file[p + 25] = P_HASH;
        let mut end = ps;
        let mut offsets = Vec::new();
        let mut item = |file: &mut Vec<u8>, bytes: &[u8]| {
            end -= bytes.len();
            file[p + end..p + end + bytes.len()].copy_from_slice(bytes);
            offsets.push(end as u16);
        };
        let key = |n: u32| {
            let mut k = vec![H_KEYDATA];
            k.extend(if big_endian {
                n.to_be_bytes()
            } else {
                n.to_le_bytes()
            });
            k
        };
        item(&mut file, &key(0));
        item(&mut file, &[H_KEYDATA, 9, 0, 0, 0]);
        item(&mut file, &key(1));
        item(&mut file, &[H_KEYDATA, b's', b'm', b'a', b'l', b'l']);
        item(&mut file, &key(2));
        let mut off = vec![H_OFFPAGE, 0, 0, 0];
        off.extend(if big_endian {
            2u32.to_be_bytes()
        } else {
            2u32.to_le_bytes()
        });
        off.extend(if big_endian {
            5000u32.to_be_bytes()
        } else {
            5000u32.to_le_bytes()
        });
        item(&mut file, &off);
        put16(&mut file, p + 20, offsets.len() as u16);
        for (i, o) in offsets.iter().enumerate() {
            put16(&mut file, p + 26 + 2 * i, *o);
        }
        // Pages 2 and 3: overflow, 5000 bytes of 'x' then 'y'.
        for (no, next, n, byte) in [(2u32, 3u32, 4000usize, b'x'), (3, 0, 1000, b'y')] {
            let at = no as usize * ps;
            put32(&mut file, at + 8, no);
            put32(&mut file, at + 16, next);
            put16(&mut file, at + 22, n as u16);
            file[at + 25] = P_OVERFLOW;
            file[at + 26..at + 26 + n].fill(byte);
        }
        file
    }

    type Read = (Result<(), String>, Vec<(u32, usize)>, Vec<String>);

    fn records(bytes: &[u8]) -> Read {
        let f = File::from_bytes(bytes.to_vec());
        let mut got = Vec::new();
        let mut bad = Vec::new();
        let r = read(&f, bytes.len() as u64, &mut |item| match item {
            Item::Header(k, v) => got.push((k, v.len())),
            Item::Bad(_, e) => bad.push(e),
            Item::Say(..) => {}
        });
        (r, got, bad)
    }

    #[test]
    fn records_on_the_page_and_on_overflow_pages_in_both_byte_orders() {
        for big_endian in [false, true] {
            let (r, got, bad) = records(&sample(big_endian));
            assert!(r.is_ok(), "{r:?}");
            assert!(bad.is_empty(), "{bad:?}");
            assert_eq!(got, [(1, 5), (2, 5000)], "big endian: {big_endian}");
        }
    }

    #[test]
    fn truncated_and_mutated_files_give_errors_never_a_panic() {
        let good = sample(false);
        for len in (0..good.len()).step_by(97) {
            let _ = records(&good[..len]);
        }
        // Every byte of the meta page and page headers, and a sample of item bytes.
        let interesting: Vec<usize> = (0..300)
            .chain(4096..4096 + 64)
            .chain(4096 * 2 - 64..4096 * 2)
            .chain(4096 * 2..4096 * 2 + 32)
            .chain(4096 * 3..4096 * 3 + 32)
            .collect();
        for &i in &interesting {
            for v in [0x00, 0x01, 0x03, 0x7f, 0xff] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = records(&bad);
            }
        }
        // An overflow chain that points back at itself ends with an error.
        let mut cycle = good.clone();
        cycle[4096 * 3 + 16..4096 * 3 + 20].copy_from_slice(&2u32.to_le_bytes());
        cycle[4096 * 3 + 22..4096 * 3 + 24].copy_from_slice(&100u16.to_le_bytes());
        let (_, got, bad) = records(&cycle);
        assert_eq!(got, [(1, 5)]);
        assert!(bad[0].contains("met twice"), "{bad:?}");
        // A cut file says so and still gives what is there.
        let (r, got, bad) = records(&good[..4096 * 2]);
        assert!(r.is_ok());
        assert_eq!(got, [(1, 5)]);
        assert!(bad[0].contains("cut short"), "{bad:?}");
        // Not a database at all.
        assert!(records(&[0u8; 4096]).0.is_err());
        assert!(records(b"short").0.is_err());
    }
}
