//! A read-only reader of systemd journal files, in Rust, without libsystemd.
//!
//! On a systemd host the evidence of an intrusion is often only in
//! `/var/log/journal/*/*.journal`: sshd, sudo and su log there, and rsyslog may not be
//! installed at all. kensa does not run `journalctl` (it never executes anything on the
//! audited host's data), so it reads the binary format itself, written from systemd's
//! documentation of it (`JOURNAL_FILE_FORMAT`) and its `journal-def.h`.
//!
//! # The format in one paragraph
//!
//! A [`Header`] (208 to 272 bytes, by systemd version), then an arena of 8-byte aligned
//! objects, each `{type u8, flags u8, reserved [u8; 6], size u64}` and a body. A DATA
//! object holds one `FIELD=value` payload (maybe compressed: xz, LZ4 or zstd, by its flags)
//! and is shared by every entry that has exactly that field and value. An ENTRY holds a
//! sequence number, the realtime and monotonic clocks, the boot id and a list of DATA
//! offsets. ENTRY_ARRAY objects form a singly linked chain from the header listing every
//! entry in order; hash tables and FIELD objects serve lookups by value, which a reader
//! of whole files does not need, and TAG objects carry seals, which it skips. Compact
//! mode (systemd 252) shrinks offsets in entries and arrays to 32 bits.
//!
//! # Chain first, then a walk over what the chain does not reach
//!
//! `journalctl` finds entries only through the entry array chain. That is the right
//! primary path: it is what the writer vouches for, in sequence-number order, and it skips
//! the bulk of the file (DATA objects are read only when an entry points at them). But
//! the chain is the part that is written *last*: journald appends the DATA objects and the
//! ENTRY, then links it. A writer that died (an `ONLINE` file, or the `*.journal~` file
//! journald renames it to) leaves entries that are intact but not linked; a broken link
//! in the middle (a damaged disk, or an intruder's edit) cuts journalctl off from
//! everything after it. For a tool looking for an intrusion, the entries written just
//! before a crash are the most interesting ones.
//!
//! So [`read`] walks the chain, then walks the objects linearly from the end of the last
//! entry the chain gave, to the end of the arena. Entries are appended in order, so
//! their offsets only grow; the walk starts past every entry already given, which is what
//! keeps any entry from being yielded twice, without a set of seen offsets. The walk is
//! short on a clean file (the chain's last arrays lie after the last entry) and is bounded
//! by the header's tail object there; on an `ONLINE` file, after a problem in the chain,
//! or when [`Options::full_walk`] asks for it, it goes to the end of the arena, skipping
//! bytes that hold no plausible object (zero-filled preallocation is skipped silently, any
//! other stretch is a [`ProblemKind::Garbage`]). An intact entry the chain should have
//! listed but does not is yielded and noted as [`ProblemKind::Unlinked`]. Inside the
//! chain the same idea mends single bad items: when an item leads to no entry (wiped,
//! pointing nowhere, or at a damaged entry), the objects between the last entry read and
//! the next one the chain lists are walked before that one is read. What is still lost:
//! entries skipped by an item that points *forward* to a valid later entry, and entries
//! hidden inside an object whose size was enlarged (the walk steps over it).
//!
//! # Bounded, whatever the bytes
//!
//! The file may be written by an intruder, and kensa runs as root. Nothing here panics on
//! any input, loops without bound or allocates by a size read from the file without a cap:
//! * every walk moves strictly forward — array offsets must grow along the chain (a link
//!   back is a [`ProblemKind::Cycle`] and ends it), entry offsets must grow, and the linear
//!   walk advances by at least 8 bytes — so each is bounded by the file length;
//! * a DATA payload is at most [`DATA_PAYLOAD_MAX`] (64 MiB) decompressed, the fields of one
//!   entry together at most [`ENTRY_BYTES_MAX`], and an entry has at most
//!   [`ENTRY_ITEMS_MAX`] items; all bytes handed out for one file are bounded by
//!   [`output_budget`] of its length, because many entries may point at one large payload;
//! * the *work* of decompressing is bounded too, not only what comes out: a few bytes of
//!   zstd become 64 MiB, and a payload that decompresses and is then refused (too large
//!   for its entry, or corrupt at its end) hands nothing out but cost the whole
//!   decompression. So every byte a decoder produces, kept or not, counts against
//!   [`decompress_budget`] of the file's length ([`Summary::decompressed`] says how much
//!   was spent), and repeats are free: shared payloads up to 64 KiB are kept in an 8 MiB
//!   cache, the last payload decoded (whatever its size) stays in the decoder's buffer,
//!   and a DATA object that failed to decompress is remembered as failed;
//! * reads go through a 4 MiB block cache ([`io`]), never `mmap` (a file truncated under
//!   a mapping kills the process with `SIGBUS`).
//!
//! Every problem becomes a [`Problem`] naming its offset, the first [`PROBLEMS_KEPT`] are
//! kept and the rest counted, and the read goes on with the rest of the file.
//!
//! # Time windows
//!
//! [`Options::since`] and [`Options::until`] are checked against each entry's realtime
//! before any of its data is read. A whole file is *not* skipped by the realtime range in
//! its header: the wall clock can step back within one file (an RTC reset at boot, NTP, or
//! an intruder setting the clock back to blend in), so head and tail realtimes do not bound
//! the entries between them. Sequence numbers do only grow, so a cleanly closed file whose
//! last entry is not past [`Options::after_seqnum`] is skipped without a walk. That last
//! entry is found through the entry array chain (its last array, read from the end), not
//! taken from the header's `tail_entry_seqnum`: one edited header field would otherwise
//! make an incremental rerun skip entries that are there. A header whose tail sequence
//! number is not its last entry's is a [`ProblemKind::TailSeqnumDisagrees`].

mod header;
pub mod io;
mod payload;
mod problem;

pub use header::*;
pub use io::ReadAt;
pub use problem::{Compression, Limit, ObjectType, Problem, ProblemKind};

use io::Blocks;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The largest DATA payload read, decompressed: 64 MiB. journald's own line limit is far
/// below (48 KiB by default); a bigger payload is refused as [`ProblemKind::TooLarge`].
pub const DATA_PAYLOAD_MAX: usize = 64 << 20;
/// The largest sum of field bytes of one entry: 64 MiB.
pub const ENTRY_BYTES_MAX: usize = 64 << 20;
/// The most items (fields) one entry may have: journald writes at most 1024 (its
/// `ENTRY_FIELD_COUNT_MAX`); 65536 leaves room for other writers.
pub const ENTRY_ITEMS_MAX: u64 = 1 << 16;
/// Problems kept in [`Summary::problems`]; the rest are counted.
pub const PROBLEMS_KEPT: usize = 32;
/// Decoded payloads kept for entries that share them (bytes, in total).
const CACHE_BYTES: usize = 8 << 20;
/// Payloads larger than this are not kept in that cache.
const CACHE_PAYLOAD_MAX: usize = 64 << 10;
/// DATA objects remembered as failing to decompress (their offsets).
const FAILED_KEPT: usize = 4096;

/// The most field bytes handed out for a file of `len` bytes: 1 GiB plus 64 times its
/// length. Real journals give out a few times their length (the shared DATA objects are
/// what makes it more than one); many entries pointing at one huge payload would make it
/// unbounded.
pub fn output_budget(len: u64) -> u64 {
    (1u64 << 30).saturating_add(len.saturating_mul(64))
}

/// The most bytes the decoders may produce for a file of `len` bytes, whether they are
/// handed out or refused: 64 MiB (one payload of the largest size read) plus 64 times
/// its length. A compressed payload is at most the file's length, journald compresses
/// text (a few times smaller, rarely 64), and each payload is decoded once, so a real
/// journal stays far below; what reaches the budget is a file built to make a few
/// bytes expand, and it ends the read with a [`Limit::Decompressed`] problem.
pub fn decompress_budget(len: u64) -> u64 {
    (DATA_PAYLOAD_MAX as u64).saturating_add(len.saturating_mul(64))
}

const OBJECT_DATA: u8 = 1;
const OBJECT_ENTRY: u8 = 3;
const OBJECT_ENTRY_ARRAY: u8 = 6;
/// Compression bits of an object's flags.
const COMPRESSION_MASK: u8 = 7;
/// Size of an object header.
const OBJECT_HEADER: u64 = 16;
/// Offset of the items in an ENTRY object.
const ENTRY_ITEMS: u64 = 64;
/// Offset of the items in an ENTRY_ARRAY object.
const ARRAY_ITEMS: u64 = 24;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only entries with realtime (µs since the epoch) at or after this.
    pub since: Option<u64>,
    /// Only entries with realtime at or before this.
    pub until: Option<u64>,
    /// Resume: only entries with a sequence number greater than this.
    pub after_seqnum: Option<u64>,
    /// Walk every object to the end of the arena even when the file looks cleanly closed
    /// (for `*.journal~` files, which journald set aside as damaged).
    pub full_walk: bool,
}

/// What reading one file amounted to.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The header, when the file has one.
    pub header: Option<Header>,
    /// Entries passed to the sink.
    pub entries: u64,
    /// Entries skipped by `since`, `until` or `after_seqnum`.
    pub outside_window: u64,
    /// The length of the file.
    pub bytes: u64,
    /// The first [`PROBLEMS_KEPT`] problems, in the order found.
    pub problems: Vec<Problem>,
    /// Problems beyond those.
    pub more_problems: u64,
    /// Sequence number of the last entry passed to the sink (for resuming).
    pub last_seqnum: Option<u64>,
    /// Bytes the decoders produced (kept or refused): the work that
    /// [`decompress_budget`] bounds.
    pub decompressed: u64,
}

/// One field of an entry: its bytes in the entry buffer.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    equals: usize,
    end: usize,
}

/// One entry, borrowed for the duration of the sink call.
#[derive(Debug)]
pub struct Entry<'a> {
    /// Offset of the ENTRY object in the file.
    pub offset: u64,
    /// Sequence number.
    pub seqnum: u64,
    /// `__REALTIME_TIMESTAMP`: µs since the epoch.
    pub realtime: u64,
    /// `__MONOTONIC_TIMESTAMP`: µs since boot.
    pub monotonic: u64,
    /// `_BOOT_ID`.
    pub boot_id: [u8; 16],
    /// XOR of the hashes of the entry's data (part of the cursor).
    pub xor_hash: u64,
    /// False when some of its fields could not be read (each is a [`Problem`]).
    pub complete: bool,
    buf: &'a [u8],
    spans: &'a [Span],
}

impl<'a> Entry<'a> {
    /// The value of the first field named `name` (e.g. `b"MESSAGE"`).
    pub fn field(&self, name: &[u8]) -> Option<&'a [u8]> {
        self.fields()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value)
    }

    /// Every field as (name, value), in the entry's order.
    pub fn fields(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + use<'a> {
        let buf = self.buf;
        self.spans.iter().map(move |span| {
            (
                &buf[span.start..span.equals],
                &buf[span.equals + 1..span.end],
            )
        })
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the entry has no readable field.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The cursor as `journalctl` prints it (`s=…;i=…;b=…;m=…;t=…;x=…`), so that
    /// `journalctl --file F --cursor C` finds this entry.
    pub fn cursor(&self, header: &Header) -> String {
        format!(
            "s={};i={:x};b={};m={:x};t={:x};x={:x}",
            hex(&header.seqnum_id),
            self.seqnum,
            hex(&self.boot_id),
            self.monotonic,
            self.realtime,
            self.xor_hash
        )
    }
}

/// An id in the 32 lowercase hex digits systemd prints.
pub fn hex(id: &[u8; 16]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for byte in id {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

/// Reads every entry of the journal file `file` that `options` selects, in file order
/// (which is sequence-number order), passing each to `sink`.
///
/// Never fails: what goes wrong is in [`Summary::problems`], and everything intact is
/// still read. `read(&bytes[..], …)` reads a file held in memory (tests, fuzzing).
pub fn read(file: &dyn ReadAt, options: &Options, sink: &mut dyn FnMut(&Entry<'_>)) -> Summary {
    let mut summary = Summary::default();
    let len = match file.len() {
        Ok(len) => len,
        Err(error) => {
            note(&mut summary, 0, ProblemKind::Io(error.to_string()));
            return summary;
        }
    };
    summary.bytes = len;
    let mut head = [0u8; HEADER_SIZE_MAX_KNOWN as usize];
    let head_len = len.min(HEADER_SIZE_MAX_KNOWN) as usize;
    if let Err(error) = io::read_exact_at(file, &mut head[..head_len], 0) {
        note(&mut summary, 0, ProblemKind::Io(error.to_string()));
        return summary;
    }
    let header = match Header::parse(&head[..head_len]) {
        Ok(header) => header,
        Err(kind) => {
            note(&mut summary, 0, kind);
            return summary;
        }
    };
    summary.header = Some(header.clone());
    let mut reader = Reader::new(file, len, header, options, summary);
    reader.run(sink);
    reader.summary
}

fn note(summary: &mut Summary, offset: u64, kind: ProblemKind) {
    if summary.problems.len() < PROBLEMS_KEPT {
        summary.problems.push(Problem { offset, kind });
    } else {
        summary.more_problems += 1;
    }
}

fn le64(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
}

fn align8(n: u64) -> Option<u64> {
    n.checked_add(7).map(|n| n & !7)
}

/// A hasher for file offsets: they are already well spread, one multiply mixes them.
#[derive(Default)]
struct OffsetHasher(u64);

impl Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type OffsetMap<V> = HashMap<u64, V, BuildHasherDefault<OffsetHasher>>;

/// The state of one read.
struct Reader<'f, 'o> {
    blocks: Blocks<'f>,
    header: Header,
    options: &'o Options,
    summary: Summary,
    /// Where objects start: `header_size` when it is sane.
    start: u64,
    /// End of the readable arena: header + arena, cut to the file length.
    arena_end: u64,
    entry_item: u64,
    array_item: u64,
    payload_offset: u64,
    codecs: payload::Codecs,
    cache: OffsetMap<Box<[u8]>>,
    cache_bytes: usize,
    /// Decompression output, the payload of the DATA object `scratch_of` (while it holds
    /// one whole).
    scratch: Vec<u8>,
    scratch_of: Option<u64>,
    /// The last shared payload decoded that is too large for the cache, and its DATA
    /// object: a large payload repeated between other ones is not decoded again.
    large: Vec<u8>,
    large_of: Option<u64>,
    /// DATA objects that did not decompress, with what was wrong, so that the entries
    /// sharing one do not decode it again.
    failed: OffsetMap<ProblemKind>,
    /// Offsets of items being read (of an array chunk or of an entry).
    items: Vec<u64>,
    entry_items: Vec<u64>,
    buf: Vec<u8>,
    spans: Vec<Span>,
    /// Offset and aligned end of the last entry read (0: none yet).
    last_entry: u64,
    last_entry_end: u64,
    last_seqnum: Option<u64>,
    /// Sequence number of the last entry the chain listed and could be read.
    chain_last_seqnum: Option<u64>,
    /// Whether the chain was read to its end without a problem.
    chain_intact: bool,
    /// Whether the last chain item did not lead to an entry (so the objects up to the
    /// next one are walked).
    gap: bool,
    budget: u64,
    stopped: bool,
}

impl<'f, 'o> Reader<'f, 'o> {
    fn new(
        file: &'f dyn ReadAt,
        len: u64,
        header: Header,
        options: &'o Options,
        summary: Summary,
    ) -> Self {
        Reader {
            blocks: Blocks::new(file, len),
            entry_item: header.entry_item_size(),
            array_item: header.array_item_size(),
            payload_offset: header.data_payload_offset(),
            header,
            options,
            summary,
            start: HEADER_SIZE_MIN,
            arena_end: len,
            codecs: payload::Codecs::default(),
            cache: OffsetMap::default(),
            cache_bytes: 0,
            scratch: Vec::new(),
            scratch_of: None,
            large: Vec::new(),
            large_of: None,
            failed: OffsetMap::default(),
            items: Vec::new(),
            entry_items: Vec::new(),
            buf: Vec::new(),
            spans: Vec::new(),
            last_entry: 0,
            last_entry_end: 0,
            last_seqnum: None,
            chain_last_seqnum: None,
            chain_intact: false,
            gap: false,
            budget: output_budget(len),
            stopped: false,
        }
    }

    fn problem(&mut self, offset: u64, kind: ProblemKind) {
        note(&mut self.summary, offset, kind);
    }

    fn problems_so_far(&self) -> u64 {
        self.summary.problems.len() as u64 + self.summary.more_problems
    }

    fn run(&mut self, sink: &mut dyn FnMut(&Entry<'_>)) {
        let len = self.summary.bytes;
        let header = self.header.clone();
        let size = header.header_size;
        if size < HEADER_SIZE_MIN || !size.is_multiple_of(8) || size > len {
            let kind = if size > len && size.is_multiple_of(8) && size >= HEADER_SIZE_MIN {
                ProblemKind::Truncated { end: size, len }
            } else {
                ProblemKind::BadHeaderSize(size)
            };
            self.problem(88, kind);
        } else {
            self.start = size;
        }
        match self.start.checked_add(header.arena_size) {
            Some(end) if end <= len => self.arena_end = end,
            end => {
                self.problem(
                    96,
                    ProblemKind::Truncated {
                        end: end.unwrap_or(u64::MAX),
                        len,
                    },
                );
                self.arena_end = len;
            }
        }
        if header.unknown_incompatible_flags() != 0 {
            self.problem(
                12,
                ProblemKind::UnknownIncompatibleFlags(header.unknown_incompatible_flags()),
            );
        }
        if header.state > STATE_ARCHIVED {
            self.problem(16, ProblemKind::BadState(header.state));
        }
        let mut tail_said = false;
        if let Some(after) = self.options.after_seqnum
            && header.closed()
            && self.problems_so_far() == 0
            && header.n_entries > 0
            && !self.options.full_walk
            && let Some(tail) = self.chain_tail_seqnum()
        {
            // The header's tail sequence number is one field an edit can lower; the
            // entries decide, and a header that disagrees with them is said.
            if tail != header.tail_entry_seqnum {
                self.tail_disagrees(tail);
                tail_said = true;
            }
            if tail <= after {
                self.summary.outside_window = header.n_entries;
                return;
            }
        }
        let before = self.problems_so_far();
        let linked = self.walk_chain(sink);
        self.chain_intact = linked == header.n_entries && self.problems_so_far() == before;
        if self.chain_intact
            && header.closed()
            && let Some(tail) = self.chain_last_seqnum
            && tail != header.tail_entry_seqnum
            && !tail_said
        {
            self.tail_disagrees(tail);
        }
        self.walk_objects(sink);
    }

    /// Records that the header's `tail_entry_seqnum` is not the last entry's.
    fn tail_disagrees(&mut self, entries: u64) {
        let header = self.header.tail_entry_seqnum;
        self.problem(160, ProblemKind::TailSeqnumDisagrees { header, entries });
    }

    /// The sequence number of the last entry the entry array chain lists, found without
    /// reading the entries before it: the chain's arrays are followed by their links (a
    /// few dozen for journald, whose arrays double in size) and the last one is read
    /// from its end back to its last item in use. `None` when any of it is not sound
    /// (then the file is read whole, which says what is wrong).
    fn chain_tail_seqnum(&mut self) -> Option<u64> {
        let mut at = self.header.entry_array_offset;
        let mut last = None;
        while at != 0 {
            if last.is_some_and(|(previous, _)| at <= previous)
                || !self.fits(at, ARRAY_ITEMS + self.array_item)
            {
                return None;
            }
            let bytes = self.blocks.get(at, ARRAY_ITEMS as usize).ok()?;
            let (kind, size, next) = (bytes[0], le64(bytes, 8), le64(bytes, 16));
            if kind != OBJECT_ENTRY_ARRAY
                || size < ARRAY_ITEMS + self.array_item
                || !(size - ARRAY_ITEMS).is_multiple_of(self.array_item)
                || at.checked_add(size).is_none_or(|end| end > self.arena_end)
            {
                return None;
            }
            last = Some((at, (size - ARRAY_ITEMS) / self.array_item));
            at = next;
        }
        let (array, count) = last?;
        // Arrays fill from the front; the unused rest is zeros.
        let mut entry = 0;
        let mut end = count;
        while end > 0 && entry == 0 {
            let chunk = end.min(4096);
            let first = array + ARRAY_ITEMS + (end - chunk) * self.array_item;
            let bytes = self
                .blocks
                .get(first, (chunk * self.array_item) as usize)
                .ok()?;
            let item = self.array_item as usize;
            entry = bytes
                .rchunks_exact(item)
                .map(|b| {
                    if item == 4 {
                        u64::from(le32(b, 0))
                    } else {
                        le64(b, 0)
                    }
                })
                .find(|&e| e != 0)
                .unwrap_or(0);
            end -= chunk;
        }
        if entry == 0 || !self.fits(entry, ENTRY_ITEMS) {
            return None;
        }
        let bytes = self.blocks.get(entry, ENTRY_ITEMS as usize).ok()?;
        (bytes[0] == OBJECT_ENTRY).then(|| le64(bytes, 16))
    }

    /// Whether an object of at least `min` bytes can start at `at`.
    fn fits(&self, at: u64, min: u64) -> bool {
        at.is_multiple_of(8)
            && at >= self.start
            && at.checked_add(min).is_some_and(|end| end <= self.arena_end)
    }

    /// Type, flags and size of the object at `at`, with its body of `body` bytes
    /// checked to lie in the arena. A problem is recorded when it is not what `expected`
    /// says.
    fn object(&mut self, at: u64, expected: u8) -> Option<(u8, u64)> {
        let bytes = match self.blocks.get(at, OBJECT_HEADER as usize) {
            Ok(bytes) => bytes,
            Err(kind) => {
                self.problem(at, kind);
                return None;
            }
        };
        let (kind, flags, size) = (bytes[0], bytes[1], le64(bytes, 8));
        if kind != expected {
            let expected = ObjectType::from_byte(expected).unwrap_or(ObjectType::Data);
            self.problem(
                at,
                ProblemKind::WrongType {
                    expected,
                    found: kind,
                },
            );
            return None;
        }
        match at.checked_add(size) {
            Some(end) if end <= self.arena_end => Some((flags, size)),
            Some(end) if end <= self.summary.bytes => {
                self.problem(at, ProblemKind::BadSize { size });
                None
            }
            end => {
                let end = end.unwrap_or(u64::MAX);
                self.problem(
                    at,
                    ProblemKind::Truncated {
                        end,
                        len: self.summary.bytes,
                    },
                );
                None
            }
        }
    }

    /// Walks the entry array chain from the header; returns the entries it listed.
    fn walk_chain(&mut self, sink: &mut dyn FnMut(&Entry<'_>)) -> u64 {
        let mut listed = 0u64;
        let mut at = self.header.entry_array_offset;
        // Where the pointer to `at` sits: the header field, then each array.
        let mut from = 176;
        let mut previous = 0u64;
        while at != 0 && !self.stopped {
            if at <= previous {
                self.problem(from, ProblemKind::Cycle { target: at });
                return listed;
            }
            if !self.fits(at, ARRAY_ITEMS + self.array_item) {
                self.problem(from, ProblemKind::BadOffset { target: at });
                return listed;
            }
            let Some((_, size)) = self.object(at, OBJECT_ENTRY_ARRAY) else {
                return listed;
            };
            if size < ARRAY_ITEMS + self.array_item
                || !(size - ARRAY_ITEMS).is_multiple_of(self.array_item)
            {
                self.problem(at, ProblemKind::BadSize { size });
                return listed;
            }
            let next = match self.blocks.get(at + OBJECT_HEADER, 8) {
                Ok(bytes) => le64(bytes, 0),
                Err(kind) => {
                    self.problem(at, kind);
                    return listed;
                }
            };
            let count = (size - ARRAY_ITEMS) / self.array_item;
            let mut done = 0;
            while done < count && !self.stopped {
                let chunk = (count - done).min(4096);
                let first = at + ARRAY_ITEMS + done * self.array_item;
                let bytes = match self.blocks.get(first, (chunk * self.array_item) as usize) {
                    Ok(bytes) => bytes,
                    Err(kind) => {
                        self.problem(at, kind);
                        return listed;
                    }
                };
                self.items.clear();
                if self.array_item == 4 {
                    self.items
                        .extend(bytes.chunks_exact(4).map(|b| u64::from(le32(b, 0))));
                } else {
                    self.items.extend(bytes.chunks_exact(8).map(|b| le64(b, 0)));
                }
                let items = std::mem::take(&mut self.items);
                for &entry in &items {
                    if entry == 0 {
                        // The unused tail of the last array, or an item wiped.
                        self.gap = true;
                        continue;
                    }
                    listed += 1;
                    if self.gap && entry > self.last_entry {
                        // The item before this one was not an entry: walk the objects up
                        // to this one for what it should have listed.
                        self.gap = false;
                        self.walk_range(entry, u64::MAX, sink);
                    }
                    if self.entry(entry, at, true, sink) {
                        self.chain_last_seqnum = self.last_seqnum;
                    } else {
                        self.gap = true;
                    }
                }
                self.items = items;
                done += chunk;
            }
            previous = at;
            from = at;
            at = next;
        }
        listed
    }

    /// Walks the objects one after the other from past the last entry read, for entries
    /// the chain did not reach (see the module essay).
    fn walk_objects(&mut self, sink: &mut dyn FnMut(&Entry<'_>)) {
        // A clean file needs no walk past its last object.
        let stop_after = if self.chain_intact && self.header.closed() && !self.options.full_walk {
            self.header.tail_object_offset
        } else {
            u64::MAX
        };
        self.walk_range(u64::MAX, stop_after, sink);
    }

    /// Where a walk over the objects starts: past the last entry read, or at the first
    /// object.
    fn resume_point(&self) -> u64 {
        if self.last_entry == 0 {
            self.start
        } else {
            self.last_entry_end
        }
    }

    /// Walks the objects from [`resume_point`](Self::resume_point) to before `to` (or the
    /// end of the arena), not past the object at `stop_after`, reading the entries found.
    fn walk_range(&mut self, to: u64, stop_after: u64, sink: &mut dyn FnMut(&Entry<'_>)) {
        let mut at = self.resume_point();
        let mut garbage: Option<(u64, bool)> = None;
        while !self.stopped
            && at < to
            && at <= stop_after
            && at.saturating_add(OBJECT_HEADER) <= self.arena_end
        {
            let bytes = match self.blocks.get(at, OBJECT_HEADER as usize) {
                Ok(bytes) => bytes,
                Err(kind) => {
                    self.problem(at, kind);
                    return;
                }
            };
            let (kind, flags, size) = (bytes[0], bytes[1], le64(bytes, 8));
            let reserved_clear = bytes[2..8].iter().all(|&b| b == 0);
            let plausible = reserved_clear && self.plausible(kind, flags, size);
            let end = at.checked_add(size).and_then(align8);
            match end {
                Some(end) if plausible && at + size <= self.arena_end => {
                    if let Some((start, _)) = garbage.take() {
                        self.problem(start, ProblemKind::Garbage { bytes: at - start });
                    }
                    if kind == OBJECT_ENTRY {
                        self.entry(at, at, false, sink);
                    }
                    at = end.max(at + 8);
                }
                _ if plausible
                    && at
                        .checked_add(size)
                        .is_none_or(|end| end > self.summary.bytes) =>
                {
                    // An object cut by the end of the file: nothing intact lies beyond.
                    if let Some((start, _)) = garbage.take() {
                        self.problem(start, ProblemKind::Garbage { bytes: at - start });
                    }
                    let end = at.saturating_add(size);
                    self.problem(
                        at,
                        ProblemKind::Truncated {
                            end,
                            len: self.summary.bytes,
                        },
                    );
                    return;
                }
                _ => {
                    // Not an object: skip zero words quickly, anything else by 8 bytes.
                    let state = garbage.get_or_insert((at, false));
                    let rest = match self.blocks.rest_of_block(at) {
                        Ok(rest) => rest,
                        Err(kind) => {
                            self.problem(at, kind);
                            return;
                        }
                    };
                    let zeros = rest
                        .chunks_exact(8)
                        .take_while(|w| w.iter().all(|&b| b == 0))
                        .count();
                    if zeros == 0 {
                        state.1 = true;
                        at += 8;
                    } else {
                        at += 8 * zeros as u64;
                    }
                }
            }
        }
        // Zeros up to the end of the arena are preallocated space; zeros before a known
        // object (`to`) are a hole.
        if let Some((start, nonzero)) = garbage
            && (nonzero || to != u64::MAX)
        {
            let bytes = at.min(to).min(self.arena_end) - start;
            self.problem(start, ProblemKind::Garbage { bytes });
        }
    }

    /// Whether an object header could be a real one (for the linear walk).
    fn plausible(&self, kind: u8, flags: u8, size: u64) -> bool {
        let compression = flags & COMPRESSION_MASK;
        let flags_ok = if kind == OBJECT_DATA {
            flags & !COMPRESSION_MASK == 0 && compression.count_ones() <= 1
        } else {
            flags == 0
        };
        let body =
            |fixed: u64, item: u64| size >= fixed + item && (size - fixed).is_multiple_of(item);
        flags_ok
            && match kind {
                OBJECT_DATA => size > self.payload_offset,
                2 => size > 40,
                OBJECT_ENTRY => body(ENTRY_ITEMS, self.entry_item),
                4 | 5 => body(OBJECT_HEADER, 16),
                OBJECT_ENTRY_ARRAY => body(ARRAY_ITEMS, self.array_item),
                7 => size == 64,
                _ => false,
            }
    }

    /// Reads the entry at `at` (listed by the array at `from`, or found by the walk) and
    /// passes it to the sink if it is in the window. False when there is no readable
    /// entry there.
    fn entry(
        &mut self,
        at: u64,
        from: u64,
        linked: bool,
        sink: &mut dyn FnMut(&Entry<'_>),
    ) -> bool {
        if at <= self.last_entry {
            self.problem(from, ProblemKind::OutOfOrder { target: at });
            return false;
        }
        if !self.fits(at, ENTRY_ITEMS) {
            self.problem(from, ProblemKind::BadOffset { target: at });
            return false;
        }
        let Some((_, size)) = self.object(at, OBJECT_ENTRY) else {
            return false;
        };
        if size < ENTRY_ITEMS + self.entry_item
            || !(size - ENTRY_ITEMS).is_multiple_of(self.entry_item)
        {
            self.problem(at, ProblemKind::BadSize { size });
            return false;
        }
        let count = (size - ENTRY_ITEMS) / self.entry_item;
        if count > ENTRY_ITEMS_MAX {
            let limit = ENTRY_ITEMS_MAX;
            self.problem(
                at,
                ProblemKind::TooLarge {
                    what: Limit::EntryItems,
                    size: count,
                    limit,
                },
            );
            return false;
        }
        let bytes = match self.blocks.get(at, size as usize) {
            Ok(bytes) => bytes,
            Err(kind) => {
                self.problem(at, kind);
                return false;
            }
        };
        let seqnum = le64(bytes, 16);
        let realtime = le64(bytes, 24);
        let monotonic = le64(bytes, 32);
        let mut boot_id = [0u8; 16];
        boot_id.copy_from_slice(&bytes[40..56]);
        let xor_hash = le64(bytes, 56);
        self.entry_items.clear();
        let items = &bytes[ENTRY_ITEMS as usize..];
        if self.entry_item == 4 {
            self.entry_items
                .extend(items.chunks_exact(4).map(|b| u64::from(le32(b, 0))));
        } else {
            self.entry_items
                .extend(items.chunks_exact(16).map(|b| le64(b, 0)));
        }
        self.last_entry = at;
        self.last_entry_end = align8(at + size).unwrap_or(u64::MAX);
        if !linked && self.chain_intact {
            self.problem(at, ProblemKind::Unlinked);
        }
        if let Some(previous) = self.last_seqnum
            && seqnum <= previous
        {
            self.problem(at, ProblemKind::SeqnumNotIncreasing { seqnum, previous });
        }
        self.last_seqnum = Some(seqnum);
        let options = self.options;
        if options.after_seqnum.is_some_and(|after| seqnum <= after)
            || options.since.is_some_and(|since| realtime < since)
            || options.until.is_some_and(|until| realtime > until)
        {
            self.summary.outside_window += 1;
            return true;
        }
        self.buf.clear();
        self.spans.clear();
        let mut complete = true;
        let data = std::mem::take(&mut self.entry_items);
        for &offset in &data {
            if self.stopped {
                break;
            }
            complete &= self.field(offset, at);
        }
        self.entry_items = data;
        if self.stopped {
            return true;
        }
        let entry = Entry {
            offset: at,
            seqnum,
            realtime,
            monotonic,
            boot_id,
            xor_hash,
            complete,
            buf: &self.buf,
            spans: &self.spans,
        };
        sink(&entry);
        self.summary.entries += 1;
        self.summary.last_seqnum = Some(seqnum);
        if self.buf.capacity() > 4 << 20 {
            self.buf = Vec::new();
        }
        true
    }

    /// Appends the field of the DATA object at `offset` to the entry being built; false
    /// (and a problem) when it cannot be read.
    fn field(&mut self, offset: u64, entry: u64) -> bool {
        if let Some(payload) = self.cache.get(&offset) {
            let payload: &[u8] = payload;
            if payload.len() as u64 > self.budget
                || self.buf.len() + payload.len() > ENTRY_BYTES_MAX
            {
                return self.over_limit(offset, payload.len() as u64);
            }
            self.budget -= payload.len() as u64;
            let start = self.buf.len();
            let equals = memchr::memchr(b'=', payload).map_or(start, |i| start + i);
            self.buf.extend_from_slice(payload);
            self.spans.push(Span {
                start,
                equals,
                end: self.buf.len(),
            });
            return true;
        }
        if let Some(kind) = self.failed.get(&offset) {
            // Decoded before and found bad: the same problem, without the work.
            let kind = kind.clone();
            self.problem(offset, kind);
            return false;
        }
        if !self.fits(offset, self.payload_offset + 1) {
            self.problem(entry, ProblemKind::BadOffset { target: offset });
            return false;
        }
        let Some((flags, size)) = self.object(offset, OBJECT_DATA) else {
            return false;
        };
        if size <= self.payload_offset {
            self.problem(offset, ProblemKind::BadSize { size });
            return false;
        }
        let shared = match self.blocks.get(offset + 56, 8) {
            Ok(bytes) => le64(bytes, 0) > 1,
            Err(kind) => {
                self.problem(offset, kind);
                return false;
            }
        };
        let length = size - self.payload_offset;
        let method = match flags {
            0 => None,
            1 => Some(Compression::Xz),
            2 => Some(Compression::Lz4),
            4 => Some(Compression::Zstd),
            _ => {
                self.problem(offset, ProblemKind::BadFlags(flags));
                return false;
            }
        };
        let room = ENTRY_BYTES_MAX.saturating_sub(self.buf.len());
        let cap = DATA_PAYLOAD_MAX
            .min(room)
            .min(usize::try_from(self.budget).unwrap_or(usize::MAX));
        if length > DATA_PAYLOAD_MAX as u64 || (method.is_none() && length > cap as u64) {
            return self.over_limit(offset, length);
        }
        let bytes = match self
            .blocks
            .get(offset + self.payload_offset, length as usize)
        {
            Ok(bytes) => bytes,
            Err(kind) => {
                self.problem(offset, kind);
                return false;
            }
        };
        let start = self.buf.len();
        match method {
            None => self.buf.extend_from_slice(bytes),
            Some(method) => {
                if self.scratch_of != Some(offset) && self.large_of != Some(offset) {
                    // Decoded into `scratch`, no further than the work left allows.
                    self.scratch_of = None;
                    let work_left =
                        decompress_budget(self.summary.bytes).saturating_sub(self.codecs.produced);
                    let limit = cap.min(usize::try_from(work_left).unwrap_or(usize::MAX));
                    let result = self.codecs.decode(method, bytes, limit, &mut self.scratch);
                    self.summary.decompressed = self.codecs.produced;
                    match result {
                        Ok(()) => {
                            self.scratch_of = Some(offset);
                            if shared && self.scratch.len() > CACHE_PAYLOAD_MAX {
                                // Kept aside for the entries that share it (the buffers
                                // are swapped, so the one it held stays valid in
                                // `scratch`).
                                std::mem::swap(&mut self.scratch, &mut self.large);
                                std::mem::swap(&mut self.scratch_of, &mut self.large_of);
                            }
                        }
                        Err(ProblemKind::TooLarge { size, .. }) if limit < cap => {
                            return self.work_limit(offset, size);
                        }
                        Err(ProblemKind::TooLarge { size, .. }) => {
                            if cap == DATA_PAYLOAD_MAX {
                                // Too large for any entry, not only for this one.
                                self.remember_failed(
                                    offset,
                                    ProblemKind::TooLarge {
                                        what: Limit::Payload,
                                        size,
                                        limit: DATA_PAYLOAD_MAX as u64,
                                    },
                                );
                            }
                            return self.over_limit(offset, size);
                        }
                        Err(kind) => {
                            self.remember_failed(offset, kind.clone());
                            self.problem(offset, kind);
                            return false;
                        }
                    }
                }
                let payload = if self.scratch_of == Some(offset) {
                    &self.scratch
                } else {
                    &self.large
                };
                if payload.len() > cap {
                    // The same payload again, now with less room.
                    return self.over_limit(offset, payload.len() as u64);
                }
                self.buf.extend_from_slice(payload);
            }
        }
        let payload = &self.buf[start..];
        let Some(equals) = memchr::memchr(b'=', payload) else {
            self.buf.truncate(start);
            self.problem(offset, ProblemKind::NotAField);
            return false;
        };
        self.budget -= payload.len() as u64;
        if shared && payload.len() <= CACHE_PAYLOAD_MAX {
            if self.cache_bytes + payload.len() > CACHE_BYTES {
                self.cache.clear();
                self.cache_bytes = 0;
            }
            self.cache_bytes += payload.len();
            self.cache.insert(offset, payload.into());
        }
        self.spans.push(Span {
            start,
            equals: start + equals,
            end: self.buf.len(),
        });
        true
    }

    /// Notes that the DATA object at `offset` does not decode, while the map has room.
    fn remember_failed(&mut self, offset: u64, kind: ProblemKind) {
        if self.failed.len() < FAILED_KEPT {
            self.failed.insert(offset, kind);
        }
    }

    /// Records that decoding the payload at `offset` would pass the file's
    /// decompression budget; that ends the read.
    fn work_limit(&mut self, offset: u64, size: u64) -> bool {
        self.stopped = true;
        let limit = decompress_budget(self.summary.bytes);
        let what = Limit::Decompressed;
        self.problem(offset, ProblemKind::TooLarge { what, size, limit });
        false
    }

    /// Records a payload over one of the limits; the file's budget ends the read.
    fn over_limit(&mut self, offset: u64, size: u64) -> bool {
        let room = ENTRY_BYTES_MAX.saturating_sub(self.buf.len()) as u64;
        let (what, limit) = if size > self.budget {
            self.stopped = true;
            (Limit::FileOutput, output_budget(self.summary.bytes))
        } else if size > DATA_PAYLOAD_MAX as u64 {
            (Limit::Payload, DATA_PAYLOAD_MAX as u64)
        } else if size > room {
            (Limit::EntryBytes, ENTRY_BYTES_MAX as u64)
        } else {
            (Limit::Payload, DATA_PAYLOAD_MAX as u64)
        };
        self.problem(offset, ProblemKind::TooLarge { what, size, limit });
        false
    }
}
