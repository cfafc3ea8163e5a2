//! lastlog: each user's most recent login, one fixed-size record per UID.
//!
//! `login` and `sshd` seek to `uid × record size` and overwrite the record, so the file is an
//! array indexed by UID whose unused slots are holes. On a 64-bit Linux host with a UID near
//! 2^32 (`nfsnobody` was 4294967294) the apparent size is over a terabyte while a few blocks
//! are allocated: reading it byte by byte would take hours. So [`LastlogEntries`] asks the
//! file system where the data is (`SEEK_DATA`/`SEEK_HOLE`) and reads only those regions,
//! and never reads more than [`READ_LIMIT`] bytes in all, saying so when it stops.
//!
//! Its value to an investigation is the cross-check: a user who appears in wtmp but whose
//! lastlog slot is empty, or older than the wtmp login, points at a cleaned record
//! (chklastlog). So entries carry their UID and all-zero slots are skipped (never logged in).

use super::{c_field, plausible_seconds, text_plausibility, time_concentration, timestamp};
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, LocalizedError, tr};
use kensa_fs::{Location, RootFile as File};
use std::io;

/// One user's last login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastlogEntry {
    /// The UID (the record's index) in the classic file; `None` in lastlog2, keyed by name.
    pub uid: Option<u32>,
    /// The user name (lastlog2 only; empty in the classic file, whose names live in passwd).
    pub user: Box<[u8]>,
    /// When; `None` when the time field is zero.
    pub time: Option<jiff::Timestamp>,
    /// The terminal line.
    pub line: Box<[u8]>,
    /// The remote host, as the login program wrote it.
    pub host: Box<[u8]>,
    /// The PAM service (lastlog2 only).
    pub service: Box<[u8]>,
}

/// The lastlog record layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LastlogLayout {
    /// glibc with 32-bit `ll_time` (x86-64, i386): time, line[32], host[256] = 292 bytes.
    Glibc32 {
        /// Big-endian host.
        big_endian: bool,
    },
    /// glibc with 64-bit `ll_time` (AArch64): 8 + 32 + 256 = 296 bytes.
    Glibc64 {
        /// Big-endian host.
        big_endian: bool,
    },
    /// 4.3BSD, SunOS 4, Solaris, FreeBSD before 9: time, line[8], host[16] = 28 bytes.
    Bsd {
        /// Big-endian host (SPARC).
        big_endian: bool,
    },
    /// OpenBSD: time, line[8], host[256] = 268 bytes with a 32-bit time, 272 with the
    /// 64-bit time of OpenBSD 5.5 and later. Little-endian.
    OpenBsd {
        /// `time_t` is 64 bits.
        time64: bool,
    },
}

impl LastlogLayout {
    /// Every layout, most common first (ties keep this order).
    pub const ALL: [LastlogLayout; 8] = [
        LastlogLayout::Glibc32 { big_endian: false },
        LastlogLayout::Glibc64 { big_endian: false },
        LastlogLayout::Bsd { big_endian: true },
        LastlogLayout::Bsd { big_endian: false },
        LastlogLayout::Glibc32 { big_endian: true },
        LastlogLayout::Glibc64 { big_endian: true },
        LastlogLayout::OpenBsd { time64: true },
        LastlogLayout::OpenBsd { time64: false },
    ];

    /// Record size in bytes.
    pub fn record_size(self) -> usize {
        match self {
            LastlogLayout::Glibc32 { .. } => 292,
            LastlogLayout::Glibc64 { .. } => 296,
            LastlogLayout::Bsd { .. } => 28,
            LastlogLayout::OpenBsd { time64: true } => 272,
            LastlogLayout::OpenBsd { time64: false } => 268,
        }
    }

    fn big_endian(self) -> bool {
        match self {
            LastlogLayout::Glibc32 { big_endian }
            | LastlogLayout::Glibc64 { big_endian }
            | LastlogLayout::Bsd { big_endian } => big_endian,
            LastlogLayout::OpenBsd { .. } => false,
        }
    }

    /// (time width, line length, host length)
    fn fields(self) -> (usize, usize, usize) {
        match self {
            LastlogLayout::Glibc32 { .. } => (4, 32, 256),
            LastlogLayout::Glibc64 { .. } => (8, 32, 256),
            LastlogLayout::Bsd { .. } => (4, 8, 16),
            LastlogLayout::OpenBsd { time64: true } => (8, 8, 256),
            LastlogLayout::OpenBsd { time64: false } => (4, 8, 256),
        }
    }

    /// A name for reports: "glibc lastlog, 292-byte little-endian" (「glibc の lastlog
    /// （292 バイト、リトルエンディアン）」).
    pub fn describe(self) -> Localized {
        let (name_en, name_ja, bytes) = match self {
            LastlogLayout::Glibc32 { .. } => ("glibc lastlog", "glibc の lastlog", 292),
            LastlogLayout::Glibc64 { .. } => (
                "glibc lastlog with 64-bit time",
                "64 ビット時刻の glibc の lastlog",
                296,
            ),
            LastlogLayout::Bsd { .. } => ("BSD/SunOS lastlog", "BSD/SunOS の lastlog", 28),
            LastlogLayout::OpenBsd { time64: true } => {
                ("OpenBSD lastlog", "OpenBSD の lastlog", 272)
            }
            LastlogLayout::OpenBsd { time64: false } => {
                ("OpenBSD lastlog", "OpenBSD の lastlog", 268)
            }
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

    fn split(self, record: &[u8]) -> (i64, &[u8], &[u8]) {
        let (time_width, line_len, host_len) = self.fields();
        let time = record.get(..time_width).map_or(0, |b| {
            let be = self.big_endian();
            match (<[u8; 4]>::try_from(b), <[u8; 8]>::try_from(b)) {
                (Ok(b4), _) if be => i64::from(i32::from_be_bytes(b4)),
                (Ok(b4), _) => i64::from(i32::from_le_bytes(b4)),
                (_, Ok(b8)) if be => i64::from_be_bytes(b8),
                (_, Ok(b8)) => i64::from_le_bytes(b8),
                _ => 0,
            }
        });
        let line = record
            .get(time_width..time_width + line_len)
            .unwrap_or_default();
        let host_at = time_width + line_len;
        let host = record.get(host_at..host_at + host_len).unwrap_or_default();
        (time, line, host)
    }

    /// Decodes one record of UID `uid`; `None` for an all-zero slot.
    pub fn parse(self, record: &[u8], uid: u32) -> Option<LastlogEntry> {
        if record.iter().all(|&b| b == 0) {
            return None;
        }
        let (time, line, host) = self.split(record);
        Some(LastlogEntry {
            uid: Some(uid),
            user: Box::default(),
            time: timestamp(time, 0),
            line: c_field(line),
            host: c_field(host),
            service: Box::default(),
        })
    }

    fn plausibility(self, record: &[u8]) -> f32 {
        let (time, line, host) = self.split(record);
        let time_ok = if plausible_seconds(time) { 1.0 } else { 0.0 };
        (2.0 * time_ok + text_plausibility(line) + text_plausibility(host)) / 4.0
    }
}

/// Scores every layout over the non-zero records among `records` (whole records read from
/// the file's data regions, each with its offset), best first. `file_len` 0 = unknown.
pub fn rank_lastlog_layouts(sample: &[(u64, Vec<u8>)], file_len: u64) -> Vec<(LastlogLayout, f32)> {
    let mut ranked = Vec::new();
    for layout in LastlogLayout::ALL {
        let size = layout.record_size() as u64;
        let mut total = 0.0f32;
        let mut count = 0usize;
        let mut times = Vec::new();
        for (offset, bytes) in sample {
            // Re-cut the sampled bytes on this layout's record boundaries.
            let skip = usize::try_from((size - offset % size) % size).unwrap_or(usize::MAX);
            let Some(aligned) = bytes.get(skip..) else {
                continue;
            };
            for record in aligned.chunks_exact(layout.record_size()) {
                if record.iter().any(|&b| b != 0) {
                    total += layout.plausibility(record);
                    count += 1;
                    if times.len() < 256 {
                        times.push(layout.split(record).0);
                    }
                }
            }
        }
        if count == 0 {
            continue;
        }
        let mut score = total / count as f32 * (0.9 + 0.1 * time_concentration(&mut times));
        if file_len > 0 && !file_len.is_multiple_of(size) {
            score *= 0.9;
        }
        ranked.push((layout, score));
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked
}

/// The most bytes of records read from one lastlog file (data regions only): 256 MiB is
/// every UID below 900 000 at glibc's 292 bytes.
pub const READ_LIMIT: u64 = 256 << 20;

/// Confidence under which the chosen layout is reported as a guess (as is a runner-up
/// within 0.1).
const CONFIDENT: f32 = 0.6;

/// Bytes sampled from the first data regions to detect the layout.
const SAMPLE_LIMIT: usize = 256 << 10;

/// Bytes looked at, zero or not, to find the non-zero ones to sample.
const SCAN_LIMIT: u64 = 64 << 20;

/// A streaming reader of the non-empty slots of a lastlog file, seeking over holes.
pub struct LastlogEntries {
    file: File,
    layout: LastlogLayout,
    len: u64,
    /// Next byte to look at (always a record boundary).
    position: u64,
    /// End of the current data region.
    region_end: u64,
    read: u64,
    read_limit: u64,
    buffer: Vec<u8>,
    done: bool,
}

impl LastlogEntries {
    /// Reads `file` (already opened) as `layout`.
    pub fn new(file: File, layout: LastlogLayout) -> io::Result<Self> {
        let len = file.len()?;
        Ok(LastlogEntries {
            file,
            layout,
            len,
            position: 0,
            region_end: 0,
            read: 0,
            read_limit: READ_LIMIT,
            buffer: vec![0; layout.record_size()],
            done: false,
        })
    }

    /// Stops after `limit` bytes of records (default [`READ_LIMIT`]) with an error saying
    /// where.
    pub fn with_read_limit(mut self, limit: u64) -> Self {
        self.read_limit = limit;
        self
    }

    /// The layout in use.
    pub fn layout(&self) -> LastlogLayout {
        self.layout
    }
}

impl Iterator for LastlogEntries {
    type Item = io::Result<LastlogEntry>;

    fn next(&mut self) -> Option<Self::Item> {
        let size = self.buffer.len() as u64;
        while !self.done {
            if self.position >= self.region_end {
                let Some((start, end)) = self.file.data_region(self.position, self.len) else {
                    self.done = true;
                    return None;
                };
                // Regions are block-aligned, records are not: start at the record the data
                // begins in, and end after the record it ends in.
                self.position = start / size * size;
                self.region_end = end.div_ceil(size).saturating_mul(size);
            }
            if self.read >= self.read_limit {
                self.done = true;
                let (limit, uid) = (self.read_limit, self.position / size);
                return Some(Err(LocalizedError::io(
                    io::ErrorKind::Other,
                    tr!(
                        "stopped after reading {limit} bytes of records (at UID {uid}); the rest \
                         of the file is not read",
                        "レコードを {limit} バイト読んだところ（UID {uid}）で止めました。残りは\
                         読んでいません"
                    ),
                )));
            }
            let uid = self.position / size;
            let at = self.position;
            self.position += size;
            let filled = match read_at_most(&self.file, &mut self.buffer, at) {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.read += filled as u64;
            if filled == 0 {
                self.done = true;
                return None;
            }
            let record = self.buffer.get(..filled).unwrap_or_default();
            if (filled as u64) < size {
                self.done = true;
                if record.iter().all(|&b| b == 0) {
                    return None;
                }
                return Some(Err(LocalizedError::io(
                    io::ErrorKind::UnexpectedEof,
                    tr!(
                        "trailing partial record for UID {uid}: {filled} of {size} bytes",
                        "UID {uid} の末尾のレコードが途中まで: {size} バイト中 {filled} バイト"
                    ),
                )));
            }
            let Ok(uid) = u32::try_from(uid) else {
                self.done = true;
                return None;
            };
            if let Some(entry) = self.layout.parse(record, uid) {
                return Some(Ok(entry));
            }
        }
        None
    }
}

/// `read_at` until `buffer` is full or the file ends.
fn read_at_most(file: &File, buffer: &mut [u8], at: u64) -> io::Result<usize> {
    let mut filled = 0usize;
    while let Some(rest) = buffer.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match file.read_at(rest, at + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Samples the first non-zero data of `file` for layout detection. A lastlog copied
/// without keeping its holes is all zeros up to the first UID that logged in (1000 on
/// a desktop: 292 000 bytes), so zero pieces are passed over rather than sampled, up to
/// [`SCAN_LIMIT`] bytes looked at.
fn sample(file: &File, len: u64) -> io::Result<Vec<(u64, Vec<u8>)>> {
    const PIECE: u64 = 64 << 10;
    let mut samples = Vec::new();
    let mut taken = 0usize;
    let mut scanned = 0u64;
    let mut from = 0u64;
    while taken < SAMPLE_LIMIT && scanned < SCAN_LIMIT {
        let Some((start, end)) = file.data_region(from, len) else {
            break;
        };
        let mut at = start;
        while at < end && taken < SAMPLE_LIMIT && scanned < SCAN_LIMIT {
            let want = usize::try_from((end - at).min(PIECE)).unwrap_or(usize::MAX);
            let mut bytes = vec![0; want];
            let got = read_at_most(file, &mut bytes, at)?;
            bytes.truncate(got);
            scanned += got as u64;
            if bytes.iter().any(|&b| b != 0) {
                taken += got;
                samples.push((at, bytes));
            }
            if got < want {
                return Ok(samples);
            }
            at += got as u64;
        }
        from = end;
    }
    Ok(samples)
}

/// Opens a lastlog file safely, detects its layout and yields its non-empty slots.
/// Problems become diagnostics naming the file: unreadable (`Error`), layout guessed with
/// low confidence (`Note`), the read limit reached, a partial record or a read error
/// (`Warning`). A file with no non-zero byte yields nothing and no diagnostic.
pub fn read_lastlog_file<'a>(
    location: &Location,
    diags: &'a mut Vec<Diagnostic>,
) -> impl Iterator<Item = LastlogEntry> + 'a {
    let shown = location.identity().display().to_string();
    let entries = open_lastlog(location, &shown, diags);
    ReportingEntries {
        entries,
        shown,
        diags,
    }
}

fn open_lastlog(
    location: &Location,
    shown: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<LastlogEntries> {
    let opened = location.open().and_then(|file| {
        let len = file.len()?;
        let sample = sample(&file, len)?;
        Ok((file, len, sample))
    });
    let (file, len, sample) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            diags.push(Diagnostic::say(DiagnosticLevel::Error, shown, None, {
                let e = kensa_core::error_text(&e);
                kensa_core::Localized {
                    en: format!("lastlog not read: {}", e.en),
                    ja: format!("lastlog を読み取れませんでした: {}", e.ja),
                }
            }));
            return None;
        }
    };
    let ranked = rank_lastlog_layouts(&sample, len);
    let (layout, confidence) = *ranked.first()?;
    let runner_up = ranked.iter().skip(1).find(|(other, _)| *other != layout);
    if confidence < CONFIDENT || runner_up.is_some_and(|(_, score)| confidence - score < 0.1) {
        let (also_en, also_ja) = runner_up
            .map(|(other, score)| {
                let other = other.describe();
                (
                    format!("; next best {} ({score:.2})", other.en),
                    format!("。次点は {}（{score:.2}）", other.ja),
                )
            })
            .unwrap_or_default();
        let (layout_en, layout_ja) = kensa_core::Localized::into_parts(layout.describe());
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            shown,
            None,
            tr!(
                "lastlog layout guessed as {layout_en} with confidence {confidence:.2}{also_en}",
                "lastlog の形式を {layout_ja}と推定しました（確信度 {confidence:.2}）{also_ja}"
            ),
        ));
    }
    match LastlogEntries::new(file, layout) {
        Ok(entries) => Some(entries),
        Err(e) => {
            diags.push(Diagnostic::say(DiagnosticLevel::Error, shown, None, {
                let e = kensa_core::error_text(&e);
                kensa_core::Localized {
                    en: format!("lastlog not read: {}", e.en),
                    ja: format!("lastlog を読み取れませんでした: {}", e.ja),
                }
            }));
            None
        }
    }
}

struct ReportingEntries<'a> {
    entries: Option<LastlogEntries>,
    shown: String,
    diags: &'a mut Vec<Diagnostic>,
}

impl Iterator for ReportingEntries<'_> {
    type Item = LastlogEntry;

    fn next(&mut self) -> Option<LastlogEntry> {
        let entries = self.entries.as_mut()?;
        match entries.next()? {
            Ok(entry) => Some(entry),
            Err(e) => {
                let (layout_en, layout_ja) =
                    kensa_core::Localized::into_parts(entries.layout.describe());
                self.diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    self.shown.as_str(),
                    None,
                    {
                        let e = kensa_core::error_text(&e);
                        kensa_core::Localized {
                            en: format!("lastlog ({layout_en}): {}", e.en),
                            ja: format!("lastlog（{layout_ja}）: {}", e.ja),
                        }
                    },
                ));
                self.entries = None;
                None
            }
        }
    }
}
