//! utmp, wtmp and btmp (and Solaris' utmpx/wtmpx): fixed-size records, no header.
//!
//! A wtmp file is an array of C structs written by whatever libc the host had, so reading
//! one means knowing the struct. There is no magic number; what is known is the file size
//! and the bytes. Size divisibility alone is ambiguous (4.3BSD and SVR4 records are both
//! 36 bytes; 384 × 3 = 36 × 32), so [`detect_layout`] reads every candidate layout over the
//! first records and scores how plausible the fields look: types in range, times between
//! 1980 and 2100 and mostly non-decreasing, printable text followed only by zeros (what
//! `strncpy` leaves; a misaligned layout puts binary fields inside text fields), pids in
//! range, reserved bytes zero. The best score wins; its confidence is reported so a caller
//! can say "probably a SunOS 4 wtmp" rather than pretend.
//!
//! Reading is streamed one record at a time ([`LoginRecords`]), so a 2 GB wtmp costs one
//! record of memory. Every record comes out, all-zero ones as [`RecordKind::Empty`] with
//! their index: a run of zeros between valid records is how `zap`-style cleaners erase a
//! login, and the tampering checks need to see it. A trailing partial record is reported,
//! never silently dropped, and nothing in a record can make the reader panic.

use super::{
    LoginRecord, RecordKind, c_field, plausible_seconds, text_plausibility, time_concentration,
    timestamp,
};
use crate::decode;
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, LocalizedError, tr};
use kensa_fs::Location;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The record layouts kensa knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// glibc `struct utmp` with a 32-bit `ut_tv` (x86-64, i386, 32-bit ARM, PowerPC,
    /// s390x): 384 bytes.
    Glibc32 {
        /// Big-endian host (PowerPC, s390x, SPARC Linux).
        big_endian: bool,
    },
    /// glibc `struct utmp` with a 64-bit `ut_tv` and `ut_session` (AArch64, RISC-V):
    /// 400 bytes.
    Glibc64 {
        /// Big-endian host.
        big_endian: bool,
    },
    /// Linux libc5 (before glibc 2; Slackware and Red Hat of 1997): 56 bytes, 8-byte user
    /// names, a 32-bit time and an IPv4 address.
    Libc5 {
        /// Big-endian host (m68k).
        big_endian: bool,
    },
    /// 4.3BSD, SunOS 4, 4.4BSD-Lite (whose `UT_NAMESIZE` is still 8), NetBSD, early OpenBSD:
    /// `ut_line[8]`, `ut_name[8]`, `ut_host[16]`, `ut_time` (32-bit) = 36 bytes, no type.
    Bsd43 {
        /// Big-endian host (SPARC, m68k).
        big_endian: bool,
    },
    /// The 4.4BSD descendants that widened names to 16 bytes (FreeBSD 2.x to 8.x):
    /// `ut_line[8]`, `ut_name[16]`, `ut_host[16]`, `ut_time` = 44 bytes, no type field.
    /// (4.4BSD-Lite itself kept 8-byte names and reads as [`Layout::Bsd43`].)
    Bsd44 {
        /// Big-endian host.
        big_endian: bool,
    },
    /// OpenBSD (`UT_NAMESIZE` 32, `UT_HOSTSIZE` 256): `ut_line[8]`, `ut_name[32]`,
    /// `ut_host[256]`, then `ut_time`: 32-bit (300 bytes) before OpenBSD 5.5, 64-bit
    /// (304 bytes) since. Little-endian only (no big-endian OpenBSD wtmp is expected).
    OpenBsd {
        /// `time_t` is 64 bits (OpenBSD 5.5 and later).
        time64: bool,
    },
    /// System V release 4 `struct utmp` (Solaris `/var/adm/wtmp`, IRIX, UnixWare):
    /// `ut_user[8]`, `ut_id[4]`, `ut_line[12]`, 16-bit pid and type, exit, 32-bit time =
    /// 36 bytes.
    Svr4 {
        /// Big-endian host (SPARC, MIPS).
        big_endian: bool,
    },
    /// Solaris `struct futmpx` (`/var/adm/utmpx`, `wtmpx`): 372 bytes, 257-byte host.
    SolarisUtmpx {
        /// Big-endian host (SPARC); x86 Solaris is little-endian.
        big_endian: bool,
    },
}

impl Layout {
    /// Every layout, in the order ties are broken (most common first).
    pub const ALL: [Layout; 16] = [
        Layout::Glibc32 { big_endian: false },
        Layout::Glibc64 { big_endian: false },
        Layout::SolarisUtmpx { big_endian: true },
        Layout::Bsd43 { big_endian: true },
        Layout::Bsd43 { big_endian: false },
        Layout::Svr4 { big_endian: true },
        Layout::Bsd44 { big_endian: false },
        Layout::Libc5 { big_endian: false },
        Layout::Glibc32 { big_endian: true },
        Layout::Glibc64 { big_endian: true },
        Layout::SolarisUtmpx { big_endian: false },
        Layout::Svr4 { big_endian: false },
        Layout::Bsd44 { big_endian: true },
        Layout::Libc5 { big_endian: true },
        Layout::OpenBsd { time64: true },
        Layout::OpenBsd { time64: false },
    ];

    /// The size of one record in bytes.
    pub fn record_size(self) -> usize {
        self.geometry().size
    }

    /// Whether integers are stored most significant byte first.
    pub fn big_endian(self) -> bool {
        match self {
            Layout::Glibc32 { big_endian }
            | Layout::Glibc64 { big_endian }
            | Layout::Libc5 { big_endian }
            | Layout::Bsd43 { big_endian }
            | Layout::Bsd44 { big_endian }
            | Layout::Svr4 { big_endian }
            | Layout::SolarisUtmpx { big_endian } => big_endian,
            Layout::OpenBsd { .. } => false,
        }
    }

    /// A name for reports: "glibc utmp, 384-byte little-endian", "Solaris utmpx, 372-byte
    /// big-endian" … (「glibc の utmp（384 バイト、リトルエンディアン）」).
    pub fn describe(self) -> Localized {
        let (name_en, name_ja, bytes) = match self {
            Layout::Glibc32 { .. } => ("glibc utmp", "glibc の utmp", 384),
            Layout::Glibc64 { .. } => (
                "glibc utmp with 64-bit time",
                "64 ビット時刻の glibc の utmp",
                400,
            ),
            Layout::Libc5 { .. } => ("Linux libc5 utmp", "Linux libc5 の utmp", 56),
            Layout::Bsd43 { .. } => ("4.3BSD/SunOS 4 utmp", "4.3BSD/SunOS 4 の utmp", 36),
            Layout::Bsd44 { .. } => ("FreeBSD utmp", "FreeBSD の utmp", 44),
            Layout::Svr4 { .. } => ("SVR4 utmp", "SVR4 の utmp", 36),
            Layout::SolarisUtmpx { .. } => ("Solaris utmpx", "Solaris の utmpx", 372),
            Layout::OpenBsd { time64: true } => ("OpenBSD utmp", "OpenBSD の utmp", 304),
            Layout::OpenBsd { time64: false } => ("OpenBSD utmp", "OpenBSD の utmp", 300),
        };
        let (order_en, order_ja) = if self.big_endian() {
            ("big-endian", "ビッグエンディアン")
        } else {
            ("little-endian", "リトルエンディアン")
        };
        tr!(
            "{name_en}, {bytes}-byte {order_en}",
            "{name_ja}（{bytes} バイト、{order_ja}）"
        )
    }

    fn geometry(self) -> Geometry {
        match self {
            Layout::Glibc32 { .. } => GLIBC32,
            Layout::Glibc64 { .. } => GLIBC64,
            Layout::Libc5 { .. } => LIBC5,
            Layout::Bsd43 { .. } => BSD43,
            Layout::Bsd44 { .. } => BSD44,
            Layout::Svr4 { .. } => SVR4,
            Layout::SolarisUtmpx { .. } => SOLARIS_UTMPX,
            Layout::OpenBsd { time64: true } => OPENBSD64,
            Layout::OpenBsd { time64: false } => OPENBSD32,
        }
    }
}

/// Width of an integer field.
#[derive(Clone, Copy)]
enum Int {
    I16,
    I32,
    I64,
}

/// A fixed-width byte field: offset and length.
#[derive(Clone, Copy)]
struct Span(usize, usize);

/// Where a layout keeps each field; `None` for fields it does not have.
#[derive(Clone, Copy)]
struct Geometry {
    size: usize,
    /// `ut_type`, absent in BSD layouts.
    kind: Option<(usize, Int)>,
    pid: Option<(usize, Int)>,
    line: Span,
    id: Option<Span>,
    user: Span,
    host: Option<Span>,
    seconds: (usize, Int),
    micros: Option<(usize, Int)>,
    session: Option<(usize, Int)>,
    /// `ut_addr_v6` (16 bytes, network order; IPv4 in the first word) or libc5's `ut_addr`.
    addr: Option<Span>,
    /// Bytes the writer leaves zero (`__glibc_reserved`, Solaris `pad`): a scoring hint.
    reserved: Option<Span>,
    /// Solaris marks `DOWN_TIME` as 10.
    max_type: i64,
}

const GLIBC32: Geometry = Geometry {
    size: 384,
    kind: Some((0, Int::I16)),
    pid: Some((4, Int::I32)),
    line: Span(8, 32),
    id: Some(Span(40, 4)),
    user: Span(44, 32),
    host: Some(Span(76, 256)),
    session: Some((336, Int::I32)),
    seconds: (340, Int::I32),
    micros: Some((344, Int::I32)),
    addr: Some(Span(348, 16)),
    reserved: Some(Span(364, 20)),
    max_type: 9,
};

const GLIBC64: Geometry = Geometry {
    size: 400,
    session: Some((336, Int::I64)),
    seconds: (344, Int::I64),
    micros: Some((352, Int::I64)),
    addr: Some(Span(360, 16)),
    reserved: Some(Span(376, 24)),
    ..GLIBC32
};

const LIBC5: Geometry = Geometry {
    size: 56,
    kind: Some((0, Int::I16)),
    pid: Some((4, Int::I32)),
    line: Span(8, 12),
    id: Some(Span(20, 4)),
    seconds: (24, Int::I32),
    user: Span(28, 8),
    host: Some(Span(36, 16)),
    addr: Some(Span(52, 4)),
    micros: None,
    session: None,
    reserved: None,
    max_type: 9,
};

const BSD43: Geometry = Geometry {
    size: 36,
    kind: None,
    pid: None,
    line: Span(0, 8),
    id: None,
    user: Span(8, 8),
    host: Some(Span(16, 16)),
    seconds: (32, Int::I32),
    micros: None,
    session: None,
    addr: None,
    reserved: None,
    max_type: 0,
};

const BSD44: Geometry = Geometry {
    size: 44,
    user: Span(8, 16),
    host: Some(Span(24, 16)),
    seconds: (40, Int::I32),
    ..BSD43
};

const OPENBSD32: Geometry = Geometry {
    size: 300,
    user: Span(8, 32),
    host: Some(Span(40, 256)),
    seconds: (296, Int::I32),
    ..BSD43
};

const OPENBSD64: Geometry = Geometry {
    size: 304,
    seconds: (296, Int::I64),
    ..OPENBSD32
};

const SVR4: Geometry = Geometry {
    size: 36,
    user: Span(0, 8),
    id: Some(Span(8, 4)),
    line: Span(12, 12),
    pid: Some((24, Int::I16)),
    kind: Some((26, Int::I16)),
    seconds: (32, Int::I32),
    host: None,
    micros: None,
    session: None,
    addr: None,
    reserved: None,
    max_type: 9,
};

const SOLARIS_UTMPX: Geometry = Geometry {
    size: 372,
    user: Span(0, 32),
    id: Some(Span(32, 4)),
    line: Span(36, 32),
    pid: Some((68, Int::I32)),
    kind: Some((72, Int::I16)),
    seconds: (80, Int::I32),
    micros: Some((84, Int::I32)),
    session: Some((88, Int::I32)),
    reserved: Some(Span(92, 20)),
    host: Some(Span(114, 257)),
    addr: None,
    max_type: 10,
};

/// The largest pid any Unix hands out (Linux `PID_MAX_LIMIT`, 2^22); a bigger one means
/// the field was read with the wrong layout or byte order.
const PID_LIMIT: i64 = 4_194_304;

fn int(record: &[u8], (at, width): (usize, Int), big_endian: bool) -> Option<i64> {
    fn bytes<const N: usize>(record: &[u8], at: usize) -> Option<[u8; N]> {
        record.get(at..at.checked_add(N)?)?.try_into().ok()
    }
    Some(match (width, big_endian) {
        (Int::I16, false) => i64::from(i16::from_le_bytes(bytes(record, at)?)),
        (Int::I16, true) => i64::from(i16::from_be_bytes(bytes(record, at)?)),
        (Int::I32, false) => i64::from(i32::from_le_bytes(bytes(record, at)?)),
        (Int::I32, true) => i64::from(i32::from_be_bytes(bytes(record, at)?)),
        (Int::I64, false) => i64::from_le_bytes(bytes(record, at)?),
        (Int::I64, true) => i64::from_be_bytes(bytes(record, at)?),
    })
}

fn span(record: &[u8], Span(at, len): Span) -> &[u8] {
    at.checked_add(len)
        .and_then(|end| record.get(at..end))
        .unwrap_or_default()
}

/// An address from a binary address field: 4 bytes are IPv4; 16 bytes are IPv6 unless
/// only the first word is set, which is how glibc stores IPv4. All zeros is no address.
fn address(field: &[u8]) -> Option<IpAddr> {
    if field.iter().all(|&b| b == 0) {
        return None;
    }
    match field.len() {
        4 => {
            let v4: [u8; 4] = field.try_into().ok()?;
            Some(IpAddr::V4(Ipv4Addr::from(v4)))
        }
        16 => {
            let v6: [u8; 16] = field.try_into().ok()?;
            if v6.get(4..).is_some_and(|rest| rest.iter().all(|&b| b == 0)) {
                let v4: [u8; 4] = v6.get(..4)?.try_into().ok()?;
                Some(IpAddr::V4(Ipv4Addr::from(v4)))
            } else {
                Some(IpAddr::V6(Ipv6Addr::from(v6)))
            }
        }
        _ => None,
    }
}

fn kind_from_type(ut_type: i64, user: &[u8], max_type: i64) -> RecordKind {
    match ut_type {
        1 if user == b"shutdown" => RecordKind::Shutdown,
        1 => RecordKind::RunLevel,
        2 => RecordKind::Boot,
        3 | 4 => RecordKind::TimeChange,
        5 => RecordKind::Init,
        6 => RecordKind::LoginProcess,
        7 => RecordKind::Login,
        8 => RecordKind::Logout,
        9 => RecordKind::Accounting,
        10 if max_type >= 10 => RecordKind::Shutdown,
        other => RecordKind::Unknown(i16::try_from(other).unwrap_or(i16::MIN)),
    }
}

fn kind_from_bsd(line: &[u8], user: &[u8]) -> RecordKind {
    match (line, user) {
        (b"~", b"reboot") => RecordKind::Boot,
        (b"~", b"shutdown") => RecordKind::Shutdown,
        (b"|" | b"{", _) => RecordKind::TimeChange,
        (_, b"") => RecordKind::Logout,
        _ => RecordKind::Login,
    }
}

/// Decodes one record. `record` must be `layout.record_size()` bytes; a shorter slice
/// reads missing fields as absent rather than panicking.
pub fn parse_record(record: &[u8], layout: Layout, index: u64, offset: u64) -> LoginRecord {
    let g = layout.geometry();
    let be = layout.big_endian();
    let user = c_field(span(record, g.user));
    let line = c_field(span(record, g.line));
    let empty = record.iter().all(|&b| b == 0);
    let kind = if empty {
        RecordKind::Empty
    } else {
        match g.kind.and_then(|field| int(record, field, be)) {
            Some(ut_type) => kind_from_type(ut_type, &user, g.max_type),
            None => kind_from_bsd(&line, &user),
        }
    };
    let seconds = int(record, g.seconds, be).unwrap_or(0);
    let micros = g.micros.and_then(|f| int(record, f, be)).unwrap_or(0);
    LoginRecord {
        kind,
        host: g.host.map(|s| c_field(span(record, s))).unwrap_or_default(),
        id: g.id.map(|s| c_field(span(record, s))).unwrap_or_default(),
        service: Box::default(),
        pid: g
            .pid
            .and_then(|f| int(record, f, be))
            .and_then(|pid| i32::try_from(pid).ok())
            .filter(|_| !empty),
        session: g
            .session
            .and_then(|f| int(record, f, be))
            .filter(|&s| s != 0),
        addr: g.addr.and_then(|s| address(span(record, s))),
        time: timestamp(seconds, micros),
        user,
        line,
        index,
        offset,
    }
}

/// How plausible one non-empty record is under `layout`, from 0 to 1.
fn record_plausibility(record: &[u8], layout: Layout) -> f32 {
    let g = layout.geometry();
    let be = layout.big_endian();
    let mut score = 0.0f32;
    let mut weight = 0.0f32;
    let mut check = |w: f32, s: f32| {
        weight += w;
        score += w * s;
    };
    let pass = |ok: bool| if ok { 1.0 } else { 0.0 };

    let user = span(record, g.user);
    let line = span(record, g.line);
    if let Some(field) = g.kind {
        let ut_type = int(record, field, be).unwrap_or(-1);
        check(2.0, pass((1..=g.max_type).contains(&ut_type)));
    } else {
        // BSD records always name a line ("~" for reboots).
        check(1.0, pass(line.first().is_some_and(|&b| b != 0)));
    }
    if let Some(field) = g.pid {
        let pid = int(record, field, be).unwrap_or(-1);
        check(1.0, pass((0..=PID_LIMIT).contains(&pid)));
    }
    let seconds = int(record, g.seconds, be).unwrap_or(0);
    check(2.0, pass(plausible_seconds(seconds)));
    if let Some(field) = g.micros {
        let micros = int(record, field, be).unwrap_or(-1);
        check(1.0, pass((0..1_000_000).contains(&micros)));
    }
    check(1.0, text_plausibility(user));
    check(1.0, text_plausibility(line));
    if let Some(host) = g.host {
        check(1.0, text_plausibility(span(record, host)));
    }
    if let Some(id) = g.id {
        // ut_id is often four bytes with no terminator ("AMA0"), so only printability.
        let id = span(record, id);
        check(
            0.5,
            pass(id.iter().all(|&b| b == 0 || (0x20..0x7f).contains(&b))),
        );
    }
    if let Some(reserved) = g.reserved {
        check(0.5, pass(span(record, reserved).iter().all(|&b| b == 0)));
    }
    if weight > 0.0 { score / weight } else { 0.0 }
}

/// How many non-empty records [`detect_layout`] scores per candidate.
const SCORED_RECORDS: usize = 256;

/// Scores `layout` over the whole records in `head`; `None` when none of them is
/// non-empty (nothing to judge by).
fn score_layout(head: &[u8], file_len: Option<u64>, layout: Layout) -> Option<f32> {
    let size = layout.record_size();
    let mut total = 0.0f32;
    let mut scored = 0usize;
    let mut previous: Option<i64> = None;
    let mut ordered = 0usize;
    let mut pairs = 0usize;
    let mut times = Vec::new();
    let g = layout.geometry();
    for record in head.chunks_exact(size) {
        if scored >= SCORED_RECORDS {
            break;
        }
        if record.iter().all(|&b| b == 0) {
            continue;
        }
        total += record_plausibility(record, layout);
        scored += 1;
        let seconds = int(record, g.seconds, layout.big_endian()).unwrap_or(0);
        times.push(seconds);
        if let Some(before) = previous {
            pairs += 1;
            // utmp is slot-ordered, wtmp time-ordered with small jitter; an hour of slack.
            if seconds >= before - 3600 {
                ordered += 1;
            }
        }
        previous = Some(seconds);
    }
    if scored == 0 {
        return None;
    }
    let mut score = total / scored as f32 * (0.9 + 0.1 * time_concentration(&mut times));
    if pairs > 0 {
        score *= 0.85 + 0.15 * (ordered as f32 / pairs as f32);
    }
    if file_len.is_some_and(|len| !len.is_multiple_of(size as u64)) {
        score *= 0.9;
    }
    Some(score)
}

/// All candidate layouts scored over `head` (the first bytes of the decompressed file),
/// best first. `file_len` is the decompressed length when known (0 = unknown).
pub fn rank_layouts(head: &[u8], file_len: u64) -> Vec<(Layout, f32)> {
    let len = (file_len > 0).then_some(file_len);
    let mut ranked: Vec<(Layout, f32)> = Layout::ALL
        .iter()
        .filter_map(|&layout| Some((layout, score_layout(head, len, layout)?)))
        .collect();
    // Stable sort keeps ALL's order among equal scores.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}

/// The most plausible layout for a file starting with `head`, and a confidence from 0 to
/// 1 (the layout's mean per-record plausibility, lowered for disorder and for a length that
/// is not a whole number of records). `None` when `head` holds no non-zero record of any
/// layout. `file_len` is the file's length when known, 0 when not (a compressed file).
pub fn detect_layout(head: &[u8], file_len: u64) -> Option<(Layout, f32)> {
    rank_layouts(head, file_len).first().copied()
}

/// A streaming reader of records of a known layout: one record of memory, whatever the
/// file size. Yields `Ok` for every whole record (zeroed ones as [`RecordKind::Empty`]),
/// then, if the input ends inside a record or fails, one `Err` saying where, and then ends.
pub struct LoginRecords<R> {
    reader: R,
    layout: Layout,
    buffer: Vec<u8>,
    index: u64,
    offset: u64,
    done: bool,
}

impl<R: Read> LoginRecords<R> {
    /// Reads `reader` as records of `layout`.
    pub fn new(reader: R, layout: Layout) -> Self {
        LoginRecords {
            reader,
            layout,
            buffer: vec![0; layout.record_size()],
            index: 0,
            offset: 0,
            done: false,
        }
    }

    /// The layout records are read with.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Fills the buffer; returns how many bytes were read (less than a record at the end).
    fn fill(&mut self) -> io::Result<usize> {
        let mut filled = 0;
        while let Some(rest) = self.buffer.get_mut(filled..) {
            if rest.is_empty() {
                break;
            }
            match self.reader.read(rest) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!(
                            "read failed in record {} (offset {}): {e}",
                            self.index, self.offset
                        ),
                    ));
                }
            }
        }
        Ok(filled)
    }
}

impl<R: Read> Iterator for LoginRecords<R> {
    type Item = io::Result<LoginRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let size = self.buffer.len();
        match self.fill() {
            Ok(n) if n == size => {
                let record = parse_record(&self.buffer, self.layout, self.index, self.offset);
                self.index += 1;
                self.offset += size as u64;
                Some(Ok(record))
            }
            Ok(0) => {
                self.done = true;
                None
            }
            Ok(n) => {
                self.done = true;
                let (index, offset) = (self.index, self.offset);
                Some(Err(LocalizedError::io(
                    io::ErrorKind::UnexpectedEof,
                    tr!(
                        "trailing partial record {index}: {n} of {size} bytes at offset {offset} \
                         (file cut short or overwritten)",
                        "末尾のレコード {index} が途中まで: オフセット {offset} で {size} バイト中 \
                         {n} バイト（ファイルが途中で切られたか上書きされた）"
                    ),
                )))
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// How much of the file is read to detect its layout: enough to get past a long run of
/// zeroed records at the start, small enough to hold in memory.
const DETECT_HEAD: usize = 1 << 20;

/// Confidence under which the chosen layout is reported as a guess (as is a runner-up
/// within 0.1 of it). A damaged record or two lowers confidence without making the
/// layout doubtful, hence not higher.
const CONFIDENT: f32 = 0.6;

/// Opens a utmp-family file safely (no symlink followed, no FIFO or device opened; gzip,
/// bzip2, xz and zstd rotations decompressed by magic), detects its layout and yields its
/// records. Problems become diagnostics in `diags` naming the file (as `path` shows it) and
/// the record number: an unreadable file (`Error`, and no records), an undetectable layout
/// (`Warning`, records read as glibc so zeroed ones still count), an uncertain one (`Note`
/// with the runner-up), a trailing partial record or a read error (`Warning`).
pub fn read_login_file<'a>(
    location: &Location,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LoginRecord> + 'a {
    let shown = location.identity().display().to_string();
    let records = open_login_file(location, diags).map(|file| file.records);
    ReportingRecords {
        records,
        shown,
        diags,
    }
}

/// An opened login file: what was detected, and its records.
pub struct LoginFile {
    /// The layout records are read with.
    pub layout: Layout,
    /// The detection's confidence, 0 to 1; `None` when no non-zero record could be scored
    /// and the layout is a blind default.
    pub confidence: Option<f32>,
    /// The compression the file was stored with (rotated wtmp may be gzipped).
    pub compression: decode::Compression,
    /// The records. Errors (a trailing partial record, a read failure) come as `Err`.
    pub records: LoginRecords<Box<dyn Read + Send>>,
}

/// Opens a utmp-family file safely and detects its layout, reporting to `diags` as
/// [`read_login_file`] does for opening and detection; `None` (after an `Error`
/// diagnostic) when the file cannot be read, and for an empty file. For callers that need
/// the layout or want to handle record errors themselves.
pub fn open_login_file(location: &Location, diags: &mut Vec<Diagnostic>) -> Option<LoginFile> {
    let shown = location.identity().display().to_string();
    let shown = shown.as_str();
    let error = |diags: &mut Vec<Diagnostic>, e: io::Error| {
        diags.push(Diagnostic::say(DiagnosticLevel::Error, shown, None, {
            let e = kensa_core::error_text(&e);
            kensa_core::Localized {
                en: format!("login records not read: {}", e.en),
                ja: format!("ログイン記録を読み取れませんでした: {}", e.ja),
            }
        }));
    };
    let opened = match location.open() {
        Ok(opened) => opened,
        Err(e) => {
            error(diags, e);
            return None;
        }
    };
    // The length only matters for scoring, and only a plain file's length is the length of
    // what is read.
    let plain_len = opened.meta().len;
    let decoded = match decode::decode(opened) {
        Ok(decoded) => decoded,
        Err(e) => {
            error(diags, e);
            return None;
        }
    };
    let decoded_compression = decoded.compression;
    let file_len = match decoded.compression {
        decode::Compression::None => plain_len,
        _ => 0,
    };
    let mut reader = decoded.reader;
    let mut head = Vec::new();
    if let Err(e) = reader
        .by_ref()
        .take(DETECT_HEAD as u64)
        .read_to_end(&mut head)
    {
        error(diags, e);
        return None;
    }
    if head.is_empty() {
        return None;
    }
    // A compressed file read to its end within the head has a known length after all.
    let file_len = if file_len == 0 && head.len() < DETECT_HEAD {
        head.len() as u64
    } else {
        file_len
    };
    let ranked = rank_layouts(&head, file_len);
    let compression = decoded_compression;
    let (layout, confidence) = match ranked.as_slice() {
        [] => {
            let fallback = Layout::Glibc32 { big_endian: false };
            let bytes = head.len();
            let (why_en, why_ja) = kensa_core::Localized::into_parts(
                if head.iter().all(|&b| b == 0) {
                    tr!(
                        "no non-zero record in the first {bytes} bytes (every record may have been \
                     wiped)",
                        "先頭 {bytes} バイトに 0 以外を含む記録がありません（すべての記録が消去された\
                     可能性があります）"
                    )
                } else {
                    tr!(
                        "{bytes} bytes, shorter than any login record layout",
                        "{bytes} バイトしかなく、どのログイン記録の形式よりも短いです"
                    )
                },
            );
            let (fallback_en, fallback_ja) = kensa_core::Localized::into_parts(fallback.describe());
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                shown,
                None,
                tr!(
                    "{why_en}: layout unknown, read as {fallback_en}",
                    "{why_ja}。形式が分からないため、{fallback_ja}として読みました"
                ),
            ));
            (fallback, None)
        }
        [(best, confidence), rest @ ..] => {
            let runner_up = rest.iter().find(|(other, _)| other != best);
            let close = runner_up.is_some_and(|(_, score)| confidence - score < 0.1);
            if *confidence < CONFIDENT || close {
                let (also_en, also_ja) = runner_up
                    .map(|(other, score)| {
                        let other = other.describe();
                        (
                            format!("; next best {} ({score:.2})", other.en),
                            format!("。次点は {}（{score:.2}）", other.ja),
                        )
                    })
                    .unwrap_or_default();
                let (best_en, best_ja) = kensa_core::Localized::into_parts(best.describe());
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Note,
                    shown,
                    None,
                    tr!(
                        "login record layout guessed as {best_en} with confidence \
                         {confidence:.2}{also_en}",
                        "ログイン記録の形式を {best_ja}と推定しました（確信度 {confidence:.2}）\
                         {also_ja}"
                    ),
                ));
            }
            (*best, Some(*confidence))
        }
    };
    let joined: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(reader));
    Some(LoginFile {
        layout,
        confidence,
        compression,
        records: LoginRecords::new(joined, layout),
    })
}

/// Turns the reader's errors into diagnostics and yields only records.
struct ReportingRecords<'a> {
    records: Option<LoginRecords<Box<dyn Read + Send>>>,
    shown: String,
    diags: &'a mut Vec<Diagnostic>,
}

impl Iterator for ReportingRecords<'_> {
    type Item = LoginRecord;

    fn next(&mut self) -> Option<LoginRecord> {
        let records = self.records.as_mut()?;
        match records.next()? {
            Ok(record) => Some(record),
            Err(e) => {
                let record = records.index;
                let (layout_en, layout_ja) =
                    kensa_core::Localized::into_parts(records.layout.describe());
                self.diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    self.shown.as_str(),
                    Some(record + 1),
                    {
                        let e = kensa_core::error_text(&e);
                        kensa_core::Localized {
                            en: format!("login records ({layout_en}): {}", e.en),
                            ja: format!("ログイン記録（{layout_ja}）: {}", e.ja),
                        }
                    },
                ));
                self.records = None;
                None
            }
        }
    }
}
