//! The file header: what a journal file says about itself.
//!
//! The header has grown with systemd: 208 bytes up to systemd 186, then 224 (187 added
//! `n_data`, `n_fields`), 240 (189: `n_tags`, `n_entry_arrays`), 256 (246: hash chain
//! depths), 264 (252: the compact tail entry array fields) and 272 (254:
//! `tail_entry_offset`). `header_size` says which version wrote the file, and also where
//! the objects begin, so a field is read only when `header_size` covers it; a newer, longer
//! header than this code knows is fine, since only known fields are read.
//!
//! Two flag words matter differently. *Compatible* flags (sealing, the tail entry boot id)
//! describe extras a reader may ignore. *Incompatible* flags change the layout or the
//! encoding (compression, keyed hashes, compact items), so a reader that does not know a
//! bit cannot be sure it reads correctly: systemd refuses such a file. kensa reports the
//! unknown bits as a problem and tries anyway, because a refusal would hide whatever the
//! file does hold from the person looking for an intrusion.

use super::problem::ProblemKind;

/// The first eight bytes of every journal file.
pub const MAGIC: &[u8; 8] = b"LPKSHHRH";

/// Whether `head` (the first bytes of a file) starts like a journal file.
pub fn is_journal(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// The header size of systemd before 187, the smallest there is.
pub const HEADER_SIZE_MIN: u64 = 208;
/// The header size of systemd 254 and later, the largest this code reads fields from.
pub const HEADER_SIZE_MAX_KNOWN: u64 = 272;

/// `state`: closed cleanly.
pub const STATE_OFFLINE: u8 = 0;
/// `state`: open for writing, or the writer died (the header may be behind the objects).
pub const STATE_ONLINE: u8 = 1;
/// `state`: rotated, never written again.
pub const STATE_ARCHIVED: u8 = 2;

/// Compatible flag: the file is sealed (forward-secure TAG objects).
pub const COMPATIBLE_SEALED: u32 = 1;
/// Compatible flag: `tail_entry_boot_id` is only updated when an entry is appended.
pub const COMPATIBLE_TAIL_ENTRY_BOOT_ID: u32 = 2;
/// Compatible flag: sealing is continuous (systemd 255 and later).
pub const COMPATIBLE_SEALED_CONTINUOUS: u32 = 4;

/// Incompatible flag: DATA objects may be xz-compressed.
pub const INCOMPATIBLE_COMPRESSED_XZ: u32 = 1;
/// Incompatible flag: DATA objects may be LZ4-compressed.
pub const INCOMPATIBLE_COMPRESSED_LZ4: u32 = 2;
/// Incompatible flag: hash tables use SipHash keyed by the file id (not needed to read).
pub const INCOMPATIBLE_KEYED_HASH: u32 = 4;
/// Incompatible flag: DATA objects may be zstd-compressed.
pub const INCOMPATIBLE_COMPRESSED_ZSTD: u32 = 8;
/// Incompatible flag: compact mode (32-bit item offsets, no item hashes).
pub const INCOMPATIBLE_COMPACT: u32 = 16;
/// Every incompatible flag this reader understands.
pub const INCOMPATIBLE_KNOWN: u32 = INCOMPATIBLE_COMPRESSED_XZ
    | INCOMPATIBLE_COMPRESSED_LZ4
    | INCOMPATIBLE_KEYED_HASH
    | INCOMPATIBLE_COMPRESSED_ZSTD
    | INCOMPATIBLE_COMPACT;

/// The fields of the header a reader needs (little endian on disk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Random id of this file.
    pub file_id: [u8; 16],
    /// `/etc/machine-id` of the writer.
    pub machine_id: [u8; 16],
    /// Boot id of the last entry (of the last writer before systemd 246).
    pub tail_entry_boot_id: [u8; 16],
    /// Id of the sequence number space; part of every cursor.
    pub seqnum_id: [u8; 16],
    /// [`STATE_OFFLINE`], [`STATE_ONLINE`] or [`STATE_ARCHIVED`] (other values are damage).
    pub state: u8,
    /// `COMPATIBLE_*` bits.
    pub compatible_flags: u32,
    /// `INCOMPATIBLE_*` bits.
    pub incompatible_flags: u32,
    /// Size of the header as written; objects start here.
    pub header_size: u64,
    /// Bytes of the object arena after the header.
    pub arena_size: u64,
    /// Entries the header counts (those linked into the entry array chain).
    pub n_entries: u64,
    /// Sequence number of the first entry.
    pub head_entry_seqnum: u64,
    /// Sequence number of the last entry.
    pub tail_entry_seqnum: u64,
    /// Realtime (µs since the epoch) of the first entry.
    pub head_entry_realtime: u64,
    /// Realtime of the last entry.
    pub tail_entry_realtime: u64,
    /// Monotonic time of the last entry.
    pub tail_entry_monotonic: u64,
    /// Offset of the first ENTRY_ARRAY object of the chain listing every entry (0: none).
    pub entry_array_offset: u64,
    /// Offset of the last object written.
    pub tail_object_offset: u64,
    /// Objects the header counts.
    pub n_objects: u64,
    /// Offset of the last entry (systemd 254 and later; 0 when the header has no room).
    pub tail_entry_offset: u64,
}

fn le64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fn id(bytes: &[u8], at: usize) -> [u8; 16] {
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes[at..at + 16]);
    id
}

impl Header {
    /// Parses the header from the first bytes of a file (at least [`HEADER_SIZE_MIN`] of
    /// them, up to [`HEADER_SIZE_MAX_KNOWN`]). Fields past `header_size` are left 0.
    ///
    /// Only the signature and the length of `head` can make this fail; whether
    /// `header_size`, the flags and the state make sense is for the reader to judge,
    /// because it goes on regardless.
    pub fn parse(head: &[u8]) -> Result<Header, ProblemKind> {
        if !is_journal(head) {
            return Err(ProblemKind::NotAJournal);
        }
        if (head.len() as u64) < HEADER_SIZE_MIN {
            return Err(ProblemKind::Truncated {
                end: HEADER_SIZE_MIN,
                len: head.len() as u64,
            });
        }
        let header_size = le64(head, 88);
        let covered = |end: usize| header_size >= end as u64 && head.len() >= end;
        Ok(Header {
            compatible_flags: le32(head, 8),
            incompatible_flags: le32(head, 12),
            state: head[16],
            file_id: id(head, 24),
            machine_id: id(head, 40),
            tail_entry_boot_id: id(head, 56),
            seqnum_id: id(head, 72),
            header_size,
            arena_size: le64(head, 96),
            tail_object_offset: le64(head, 136),
            n_objects: le64(head, 144),
            n_entries: le64(head, 152),
            tail_entry_seqnum: le64(head, 160),
            head_entry_seqnum: le64(head, 168),
            entry_array_offset: le64(head, 176),
            head_entry_realtime: le64(head, 184),
            tail_entry_realtime: le64(head, 192),
            tail_entry_monotonic: le64(head, 200),
            tail_entry_offset: if covered(272) { le64(head, 264) } else { 0 },
        })
    }

    /// Compact mode: 32-bit offsets in entries and entry arrays (systemd 252 and later).
    pub fn compact(&self) -> bool {
        self.incompatible_flags & INCOMPATIBLE_COMPACT != 0
    }

    /// Hash tables use SipHash keyed by the file id.
    pub fn keyed_hash(&self) -> bool {
        self.incompatible_flags & INCOMPATIBLE_KEYED_HASH != 0
    }

    /// The file is sealed (forward-secure sealing, `journalctl --setup-keys`).
    pub fn sealed(&self) -> bool {
        self.compatible_flags & COMPATIBLE_SEALED != 0
    }

    /// Incompatible flags this reader does not know (0 when it knows them all).
    pub fn unknown_incompatible_flags(&self) -> u32 {
        self.incompatible_flags & !INCOMPATIBLE_KNOWN
    }

    /// The state as `journalctl --header` names it: "OFFLINE", "ONLINE", "ARCHIVED", or
    /// "UNKNOWN".
    pub fn state_name(&self) -> &'static str {
        match self.state {
            STATE_OFFLINE => "OFFLINE",
            STATE_ONLINE => "ONLINE",
            STATE_ARCHIVED => "ARCHIVED",
            _ => "UNKNOWN",
        }
    }

    /// Closed cleanly (offline or archived): its counts and tail pointers can be trusted
    /// as far as anything in the file can.
    pub fn closed(&self) -> bool {
        matches!(self.state, STATE_OFFLINE | STATE_ARCHIVED)
    }

    /// Bytes per item in ENTRY and ENTRY_ARRAY objects: 4 in compact mode, else 16 and 8.
    pub(crate) fn entry_item_size(&self) -> u64 {
        if self.compact() { 4 } else { 16 }
    }

    pub(crate) fn array_item_size(&self) -> u64 {
        if self.compact() { 4 } else { 8 }
    }

    /// Where the payload of a DATA object starts: 72 in compact mode, 64 otherwise.
    pub(crate) fn data_payload_offset(&self) -> u64 {
        if self.compact() { 72 } else { 64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 208-byte header of systemd before 187 (fields as that version wrote them).
    fn old_header() -> Vec<u8> {
        let mut head = vec![0u8; 208];
        head[..8].copy_from_slice(MAGIC);
        head[12..16].copy_from_slice(&1u32.to_le_bytes()); // xz
        head[16] = STATE_ARCHIVED;
        head[24..40].copy_from_slice(&[0x11; 16]);
        head[72..88].copy_from_slice(&[0x44; 16]);
        head[88..96].copy_from_slice(&208u64.to_le_bytes());
        head[96..104].copy_from_slice(&4096u64.to_le_bytes());
        head[152..160].copy_from_slice(&7u64.to_le_bytes());
        head[160..168].copy_from_slice(&17u64.to_le_bytes());
        head[168..176].copy_from_slice(&11u64.to_le_bytes());
        head[176..184].copy_from_slice(&1024u64.to_le_bytes());
        head
    }

    #[test]
    fn old_header_size_is_read_and_nothing_past_it() {
        let mut head = old_header();
        // Bytes after the 208-byte header are objects, not header fields.
        head.extend_from_slice(&[0xff; 64]);
        let header = Header::parse(&head).unwrap();
        assert_eq!(header.header_size, 208);
        assert_eq!(header.arena_size, 4096);
        assert_eq!(header.state_name(), "ARCHIVED");
        assert!(header.closed());
        assert!(!header.compact());
        assert_eq!(header.incompatible_flags, INCOMPATIBLE_COMPRESSED_XZ);
        assert_eq!(header.unknown_incompatible_flags(), 0);
        assert_eq!(
            (
                header.n_entries,
                header.head_entry_seqnum,
                header.tail_entry_seqnum
            ),
            (7, 11, 17)
        );
        assert_eq!(header.entry_array_offset, 1024);
        assert_eq!(header.file_id, [0x11; 16]);
        assert_eq!(header.seqnum_id, [0x44; 16]);
        assert_eq!(
            header.tail_entry_offset, 0,
            "not covered by a 208-byte header"
        );
        assert_eq!(header.data_payload_offset(), 64);
    }

    #[test]
    fn new_header_fields_and_flags() {
        let mut head = old_header();
        head.resize(272, 0);
        head[88..96].copy_from_slice(&272u64.to_le_bytes());
        head[12..16].copy_from_slice(
            &(INCOMPATIBLE_COMPACT | INCOMPATIBLE_COMPRESSED_ZSTD | 64).to_le_bytes(),
        );
        head[264..272].copy_from_slice(&9000u64.to_le_bytes());
        let header = Header::parse(&head).unwrap();
        assert_eq!(header.tail_entry_offset, 9000);
        assert!(header.compact());
        assert_eq!(header.unknown_incompatible_flags(), 64);
        assert_eq!(
            (
                header.entry_item_size(),
                header.array_item_size(),
                header.data_payload_offset()
            ),
            (4, 4, 72)
        );
    }

    #[test]
    fn not_a_journal_and_short_headers() {
        assert_eq!(Header::parse(b"hello world"), Err(ProblemKind::NotAJournal));
        assert_eq!(Header::parse(b""), Err(ProblemKind::NotAJournal));
        assert_eq!(
            Header::parse(&old_header()[..100]),
            Err(ProblemKind::Truncated { end: 208, len: 100 })
        );
        assert!(is_journal(b"LPKSHHRH\0\0"));
        assert!(!is_journal(b"LPKSHHR"));
    }
}
