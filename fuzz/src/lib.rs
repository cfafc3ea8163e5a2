//! The fuzzing harnesses: one function per target, from bytes an intruder could have
//! written to everything kensa does with them.
//!
//! kensa runs as root on hosts an intruder may own, and journal files, audit logs and
//! syslog files are theirs to write. The readers promise never to panic, never to loop
//! without bound and never to allocate by a size read from the input without a cap
//! (`crates/kensa-logs/src/journal/mod.rs`, "Bounded, whatever the bytes"). A panic is
//! what libFuzzer sees by itself; the rest is checked here as assertions on what the
//! readers hand out, so that a broken promise is a crash too.
//!
//! These functions are the only entry points: the targets in `fuzz_targets/` call them,
//! and the stable test `crates/kensa-detect/tests/fuzz_seeds.rs` includes this file (by
//! `#[path]`) to run every committed seed and every minimised crash through the same
//! code, so CI keeps them as regression tests without nightly or libFuzzer.

use kensa_core::{Evidence, LogTime};
use kensa_detect::auth::AuthParser;
use kensa_detect::auth::parsers::audit::AuditParser;
use kensa_logs::audit::{self, ENCODED_FIELDS};
use kensa_logs::journal::{self, Entry, Options, ProblemKind, Summary};
use kensa_logs::record::{LineRef, Record};
use kensa_logs::syslog::{self, Stamp};
use std::borrow::Cow;

/// What the sink saw of one entry: enough to compare two reads of the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    offset: u64,
    seqnum: u64,
    realtime: u64,
    complete: bool,
    /// FNV-1a of every name and value, and of the cursor.
    digest: u64,
    bytes: u64,
}

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Reads `data` as a journal file with `options`, touching every byte handed out.
fn read_journal(
    data: &[u8],
    header: Option<&journal::Header>,
    options: &Options,
) -> (Vec<Seen>, Summary) {
    let mut seen = Vec::new();
    let summary = journal::read(&data, options, &mut |entry: &Entry<'_>| {
        let mut digest = 0xcbf2_9ce4_8422_2325;
        let mut bytes = 0u64;
        for (name, value) in entry.fields() {
            digest = fnv(fnv(digest, name), value);
            bytes += (name.len() + value.len()) as u64;
            // The first field of a name is what `field` finds.
            let first = entry.fields().find(|(n, _)| *n == name).map(|(_, v)| v);
            assert_eq!(entry.field(name), first);
        }
        assert_eq!(entry.len(), entry.fields().count());
        assert_eq!(entry.is_empty(), entry.fields().next().is_none());
        assert!(entry.len() as u64 <= journal::ENTRY_ITEMS_MAX);
        assert!(bytes <= journal::ENTRY_BYTES_MAX as u64);
        if let Some(header) = header {
            let cursor = entry.cursor(header);
            assert!(
                cursor.starts_with("s=") && cursor.contains(";x="),
                "{cursor}"
            );
            digest = fnv(digest, cursor.as_bytes());
        }
        digest = fnv(digest, journal::hex(&entry.boot_id).as_bytes());
        seen.push(Seen {
            offset: entry.offset,
            seqnum: entry.seqnum,
            realtime: entry.realtime,
            complete: entry.complete,
            digest,
            bytes,
        });
    });
    (seen, summary)
}

/// Whether the read stopped at the file's output or decompression budget (then later
/// entries were not read, and a read that skips entries by time may get further).
fn stopped_by_budget(summary: &Summary) -> bool {
    // Stopping is the last thing a read does, so its problem is the last one kept, or
    // it is among those only counted.
    summary.more_problems > 0
        || summary.problems.iter().any(|p| {
            matches!(
                p.kind,
                ProblemKind::TooLarge {
                    what: journal::Limit::FileOutput | journal::Limit::Decompressed,
                    ..
                }
            )
        })
}

/// `journal_read`: `data` as a journal file, read whole, then again through a time
/// window (`--since`/`--until`), a resume point and a full walk.
///
/// Checked: entries come out in growing file offset (none twice); the sink's count is
/// the summary's; the field bytes handed out stay within [`journal::output_budget`] and
/// the bytes decoded within [`journal::decompress_budget`];
/// at most [`journal::PROBLEMS_KEPT`] problems are kept; and the windowed read yields
/// exactly the entries of the whole read whose realtime lies in the window, decoded
/// alike, with the others counted as outside it. Returns the entries of the whole read.
pub fn journal_read(data: &[u8]) -> usize {
    let head = &data[..data.len().min(journal::HEADER_SIZE_MAX_KNOWN as usize)];
    let header = journal::Header::parse(head).ok();
    let (all, summary) = read_journal(data, header.as_ref(), &Options::default());
    assert_eq!(summary.entries, all.len() as u64);
    assert_eq!(summary.bytes, data.len() as u64);
    assert!(summary.problems.len() <= journal::PROBLEMS_KEPT);
    assert!(all.windows(2).all(|w| w[0].offset < w[1].offset));
    let handed_out: u64 = all.iter().map(|s| s.bytes).sum();
    assert!(handed_out <= journal::output_budget(data.len() as u64));
    // The work, not only the output: one byte past the budget is how a decoder says
    // it reached it.
    assert!(summary.decompressed <= journal::decompress_budget(data.len() as u64) + 1);
    assert_eq!(summary.last_seqnum, all.last().map(|s| s.seqnum));
    for problem in &summary.problems {
        // Every problem can be put into words in both languages.
        let text = problem.kind.describe();
        assert!(!text.en.is_empty() && !text.ja.is_empty());
    }

    // A window from the second entry's realtime to the last but one's (whatever their
    // order: the wall clock may step back inside a file).
    let since = all.get(1).map_or(1, |s| s.realtime);
    let until = all
        .len()
        .checked_sub(2)
        .and_then(|i| all.get(i))
        .map_or(u64::MAX - 1, |s| s.realtime);
    let window = Options {
        since: Some(since),
        until: Some(until),
        ..Options::default()
    };
    let (inside, windowed) = read_journal(data, header.as_ref(), &window);
    // The windowed read decodes other payloads first, so its caches differ and it may
    // reach the decompression budget where the whole read did not.
    if !stopped_by_budget(&summary) && !stopped_by_budget(&windowed) {
        let want: Vec<&Seen> = all
            .iter()
            .filter(|s| (since..=until).contains(&s.realtime))
            .collect();
        let got: Vec<&Seen> = inside.iter().collect();
        assert_eq!(got, want, "the window selects the whole read's entries");
        assert_eq!(
            windowed.outside_window,
            all.len() as u64 - want.len() as u64
        );
    }

    // Resuming after the middle entry, and the walk over every object: bounded and
    // in order, like the whole read.
    let after = all.get(all.len() / 2).map_or(0, |s| s.seqnum);
    let resume = Options {
        after_seqnum: Some(after),
        full_walk: data.len() % 2 == 1,
        ..Options::default()
    };
    let (resumed, summary) = read_journal(data, header.as_ref(), &resume);
    assert!(resumed.windows(2).all(|w| w[0].offset < w[1].offset));
    assert!(resumed.iter().all(|s| s.seqnum > after));
    let handed_out: u64 = resumed.iter().map(|s| s.bytes).sum();
    assert!(handed_out <= journal::output_budget(data.len() as u64));
    assert_eq!(summary.entries, resumed.len() as u64);
    all.len()
}

/// Whether `part` lies inside `whole` (the parsers only borrow from their line).
fn within(part: &[u8], whole: &[u8]) -> bool {
    let range = whole.as_ptr_range();
    part.is_empty() || (range.start <= part.as_ptr() && part.as_ptr_range().end <= range.end)
}

/// `audit_parse`: each line of `data` through [`audit::parse`], and every accessor of
/// the record.
///
/// Checked: every slice handed out borrows from the line; `field` finds the first field
/// of its name as `fields` lists them; `text` of an encoded field is its decoded value;
/// `succeeded` agrees with `res=`. Returns the records read.
pub fn audit_parse(data: &[u8]) -> usize {
    let mut records = 0;
    for line in data.split(|&b| b == b'\n') {
        let Some(record) = audit::parse(line) else {
            continue;
        };
        records += 1;
        assert!(!record.kind.is_empty());
        assert!(within(record.kind, line) && within(record.body, line));
        assert!(record.node.is_none_or(|node| within(node, line)));
        assert!(record.millis < 1000);
        let mut count = 0usize;
        for (name, value) in record.fields() {
            count += 1;
            assert!(within(name, line) && within(value.raw(), line));
            let first = record.fields().find(|(n, _)| *n == name).map(|(_, v)| v);
            assert_eq!(record.field(name), first);
            let text = record.text(name);
            let first = first.unwrap_or(value);
            if ENCODED_FIELDS.contains(&name) {
                assert_eq!(text, first.decoded());
            } else {
                assert_eq!(text.as_deref(), first.plain());
            }
            assert_eq!(value.is_unknown(), value.plain().is_none());
            if let Some(Cow::Borrowed(decoded)) = value.decoded() {
                assert!(within(decoded, line));
            }
        }
        // Every field takes at least its `=` of the body.
        assert!(count <= record.body.len());
        for name in ENCODED_FIELDS {
            let _ = record.text(name);
        }
        if let Some(succeeded) = record.succeeded() {
            let res = record.field(b"res").map(|v| v.raw());
            let words: &[&[u8]] = if succeeded {
                &[b"success", b"yes", b"1"]
            } else {
                &[b"failed", b"no", b"0"]
            };
            assert!(res.is_some_and(|res| words.contains(&res)));
        }
    }
    records
}

/// The instant of an audit record's stamp, as the engine builds it (UTC).
fn audit_time(record: &audit::AuditRecord<'_>) -> Option<LogTime> {
    let nanos = i32::try_from(record.millis).ok()?.checked_mul(1_000_000)?;
    let instant = jiff::Timestamp::new(record.seconds, nanos).ok()?;
    Some(LogTime::new(instant, jiff::tz::Offset::UTC))
}

/// `audit_events`: the lines of `data` as one audit log, through one [`AuditParser`]
/// (its pairing of PAM's and sshd's records of one try is state across lines), as the
/// engine feeds it.
///
/// Checked: an event counts at most one try, and names the record's host and line.
/// Returns the events.
pub fn audit_events(data: &[u8]) -> usize {
    let mut parser = AuditParser::default();
    let mut events = 0;
    let mut offset = 0u64;
    for (number, line) in data.split(|&b| b == b'\n').enumerate() {
        let start = offset;
        offset += line.len() as u64 + 1;
        let Some(record) = audit::parse(line) else {
            continue;
        };
        let host = match record.node {
            Some(node) => String::from_utf8_lossy(node),
            None => Cow::Borrowed("fuzz"),
        };
        let time = audit_time(&record);
        let evidence = Evidence::from_line("audit.log", number as u64 + 1, start, line, time);
        let stateless =
            kensa_detect::auth::parsers::audit::audit_event(&record, &host, time, evidence.clone());
        let event = parser.event(&record, &host, time, evidence);
        if let Some(event) = &event {
            events += 1;
            assert!(event.count <= 1, "{event:?}");
            assert_eq!(event.host, host);
            assert_eq!(event.evidence.line, number as u64 + 1);
            // The pairing only lowers counts or drops events, never makes new ones.
            assert!(stateless.is_some());
        }
    }
    events
}

/// A syslog stamp as an instant, with year 2024 for the year-less ones (the year
/// inference is not what this target fuzzes).
fn syslog_time(stamp: Stamp) -> Option<LogTime> {
    let utc = jiff::tz::Offset::UTC;
    let instant = match stamp {
        Stamp::Instant(instant) => instant,
        Stamp::Offset(datetime, offset) => offset.to_timestamp(datetime).ok()?,
        Stamp::Local(datetime) => utc.to_timestamp(datetime).ok()?,
        Stamp::Yearless {
            month,
            day,
            hour,
            minute,
            second,
            subsec_nanos,
        } => {
            let datetime =
                jiff::civil::DateTime::new(2024, month, day, hour, minute, second, subsec_nanos)
                    .ok()?;
            utc.to_timestamp(datetime).ok()?
        }
    };
    Some(LogTime::new(instant, utc))
}

/// `syslog_line`: the lines of `data` as one log file: each through
/// [`syslog::parse`] (or the ctime form, as the engine falls back to it), then as a
/// [`Record`] through one [`AuthParser`], with the lines before it as the scanner's
/// look-back context (which syslogd's `last message repeated` reads).
///
/// Checked: the header's host, program and message borrow from the line; an event
/// names the record's host. Returns the events.
pub fn syslog_line(data: &[u8]) -> usize {
    let mut parser = AuthParser::default();
    let mut events = 0;
    let mut start = 0usize;
    for (number, line) in data.split(|&b| b == b'\n').enumerate() {
        let line_start = start;
        start += line.len() + 1;
        let _ = syslog::parse_stamp(line);
        // As the engine reads a line: a syslog header, else a ctime or CLF stamp of its own.
        let header = syslog::parse_any(line);
        let Some(header) = header else {
            continue;
        };
        assert!(within(header.message, line) && within(header.program, line));
        assert!(header.host.is_none_or(|host| within(host, line)));
        let record = Record {
            at: LineRef {
                file: "fuzz.log",
                line: number as u64 + 1,
                offset: line_start as u64,
                raw: line,
                before: &data[..line_start],
                journal: None,
            },
            time: syslog_time(header.stamp),
            host: header
                .host
                .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
            program: header.program,
            pid: header.pid,
            message: header.message,
        };
        for previous in record.at.preceding().take(4) {
            assert!(within(previous.raw, data));
        }
        if let Some(event) = parser.parse(&record) {
            events += 1;
            assert_eq!(event.host, record.host);
        }
    }
    events
}
