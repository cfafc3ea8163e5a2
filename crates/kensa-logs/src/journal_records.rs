//! Journal entries as the same [`Record`]s the text logs give, so every log rule reads a
//! journal unchanged.
//!
//! Each entry is rendered as the line rsyslog would have written for it, in its
//! high-precision format — `2024-06-08T10:00:01.123456+09:00 HOST PROG[PID]: MESSAGE` —
//! and that line is the record's text: detectors see the same program, pid and message
//! as from `auth.log`, evidence quotes a line a responder recognises, and the
//! look-back context ([`crate::record::LineRef::before`]) that the sendmail detector
//! searches for a message's `from=` line holds the entries just before, as in a text
//! file. Control bytes of a message (a multi-line message's newlines) are written as
//! rsyslog writes them, `#012`, so one entry is one line.
//!
//! The fields, as journald records them:
//! - time: the entry's `__REALTIME_TIMESTAMP` (a real instant: no year to infer), shown
//!   in the audited host's zone;
//! - host: `_HOSTNAME`, else the audited host's name;
//! - program: `SYSLOG_IDENTIFIER`, else `_COMM`;
//! - pid: `_PID` (set by journald itself), else `SYSLOG_PID` (set by the sender);
//! - message: `MESSAGE`. Entries without one (pure metadata, binary blobs journald
//!   stores for coredumps) carry nothing a log rule reads and are counted, not handed on.
//!
//! Where: the record's file is the journal file, its `line` the entry's ordinal in the
//! file (1 for the first entry) and its `offset` the position of its rendered line in the
//! rendered text of the file read so far — the arithmetic detectors do on look-back
//! lines (the line before is `before`'s last line, ending at `offset`) stays exact.
//! [`crate::record::JournalPlace`] carries what names the entry in the file itself: its
//! sequence number, its entry object's byte offset, and the cursor that `journalctl --file
//! FILE --cursor CURSOR` takes.
//!
//! Only entries whose rendered line passes the run's prefilter become records, as for
//! text lines; all of them enter the look-back context.
//!
//! # Audit records in the journal
//!
//! Where no auditd runs (Debian 12's default), journald reads the kernel's audit records
//! itself and stores each as an entry with `_TRANSPORT=audit` (systemd's
//! `journald-audit.c`): `_AUDIT_TYPE_NAME` (`USER_AUTH`), `_AUDIT_ID` (the record's
//! serial), `_SOURCE_REALTIME_TIMESTAMP` (the record's own stamp, to the millisecond),
//! `MESSAGE=TYPE_NAME` then the record's text after `audit(…):`, and fields mapped from
//! the text (`_PID`, `_AUDIT_LOGINUID`, `AUDIT_FIELD_ACCT`, …). Rendered as a syslog line
//! (`audit[PID]: USER_AUTH pid=…`) no parser reads it and the login it records is lost.
//! So such an entry is rendered as the line auditd would have written for it —
//! `type=USER_AUTH msg=audit(SECONDS.MILLIS:SERIAL): pid=… msg='op=… res=failed'` —
//! marked as audit in its [`JournalPlace`], and handed on whatever the prefilter says
//! (the audit parser has its own): the reader of `audit.log` then reads it unchanged.
//! The mapped fields are not needed: the text holds them all, as auditd's line does.

use crate::journal::{self, Entry, ReadAt};
use crate::prefilter::Prefilter;
use crate::record::{JournalPlace, LineRef, Record};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kensa_core::LogTime;
use std::io::Write;

/// Look-back context kept for detectors: about a megabyte of the latest lines, as the
/// text scanner keeps (it is the chunk before the current line there).
const CONTEXT_KEEP: usize = 1 << 20;
/// The context buffer is trimmed to [`CONTEXT_KEEP`] when it grows past this.
const CONTEXT_MAX: usize = 2 << 20;
/// Longest rendered line kept (the text scanner's cap): a longer message is cut.
const MAX_RENDERED: usize = crate::scan::MAX_LINE;

/// Where reading a journal file starts and what it may skip.
#[derive(Debug, Clone, Default)]
pub struct JournalStart {
    /// Only entries with a larger sequence number (an incremental run continues here).
    pub after_seqnum: Option<u64>,
    /// The ordinal the first entry read gets (1 when reading from the start).
    pub first_line: u64,
}

/// What reading one journal file gave, besides the records.
#[derive(Debug, Clone, Default)]
pub struct JournalRead {
    /// The reader's account: header, entries, problems.
    pub summary: journal::Summary,
    /// Entries rendered (read and inside the window).
    pub lines: u64,
    /// Bytes of the rendered lines.
    pub bytes: u64,
    /// Records handed to the sink (entries that passed the prefilter).
    pub candidates: u64,
    /// Entries without a `MESSAGE` field.
    pub without_message: u64,
    /// Messages cut at the line cap.
    pub long_lines: u64,
    /// Earliest and latest entry times seen.
    pub first: Option<LogTime>,
    /// See `first`.
    pub last: Option<LogTime>,
    /// The ordinal the next entry of this file would get.
    pub next_line: u64,
}

/// The run-wide settings [`read_file`] needs.
pub struct JournalContext<'a> {
    /// The file as shown to users.
    pub display: &'a str,
    /// The host of entries without `_HOSTNAME`.
    pub default_host: &'a str,
    /// The audited host's zone, for the rendered stamps and the records' offsets.
    pub tz: &'a TimeZone,
    /// Entries before this instant are skipped unread.
    pub since: Option<Timestamp>,
    /// Entries after this instant are skipped unread.
    pub until: Option<Timestamp>,
    /// Which rendered lines become records.
    pub prefilter: &'a Prefilter,
}

/// Reads one journal file, handing each entry that passes the prefilter to `sink` as a
/// record.
pub fn read_file(
    file: &dyn ReadAt,
    context: &JournalContext<'_>,
    start: &JournalStart,
    sink: &mut dyn FnMut(&Record<'_>),
) -> JournalRead {
    // The header names the sequence-number space that cursors quote; a file whose header
    // cannot be read gives no entries either (the reader says why).
    let header = {
        let mut head = vec![0u8; journal::HEADER_SIZE_MAX_KNOWN as usize];
        let n = file.read_at(&mut head, 0).unwrap_or(0);
        journal::Header::parse(&head[..n]).ok()
    };
    let options = journal::Options {
        since: context.since.map(micros),
        until: context.until.map(micros),
        after_seqnum: start.after_seqnum,
        // journald sets a damaged file aside as `*.journal~`: walk all of it.
        full_walk: context.display.ends_with('~'),
    };
    let mut read = JournalRead {
        next_line: start.first_line.max(1),
        ..JournalRead::default()
    };
    let mut context_lines: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut line: Vec<u8> = Vec::with_capacity(1024);
    let mut cursor = String::with_capacity(160);
    // Where the next rendered line starts in the rendered text.
    let mut rendered_offset: u64 = 0;
    let summary = journal::read(file, &options, &mut |entry: &Entry<'_>| {
        let ordinal = read.next_line;
        read.next_line += 1;
        let Some(message) = entry.field(b"MESSAGE") else {
            read.without_message += 1;
            return;
        };
        let Ok(micros) = i64::try_from(entry.realtime) else {
            return;
        };
        let Ok(instant) = Timestamp::from_microsecond(micros) else {
            return;
        };
        let audit = entry.field(b"_TRANSPORT") == Some(b"audit");
        let instant = if audit {
            // The record's own stamp (journald's is when it read it).
            entry
                .field(b"_SOURCE_REALTIME_TIMESTAMP")
                .and_then(|t| std::str::from_utf8(t).ok()?.parse::<i64>().ok())
                .and_then(|t| Timestamp::from_microsecond(t).ok())
                .unwrap_or(instant)
        } else {
            instant
        };
        let time = LogTime::new(instant, context.tz.to_offset(instant));
        read.first = Some(read.first.map_or(time, |t| t.min(time)));
        read.last = Some(read.last.map_or(time, |t| t.max(time)));
        let host: &[u8] = entry
            .field(b"_HOSTNAME")
            .filter(|h| !<[u8]>::is_empty(h))
            .unwrap_or(context.default_host.as_bytes());
        let program = entry
            .field(b"SYSLOG_IDENTIFIER")
            .or_else(|| entry.field(b"_COMM"))
            .unwrap_or_default();
        let pid = entry
            .field(b"_PID")
            .or_else(|| entry.field(b"SYSLOG_PID"))
            .and_then(|pid| std::str::from_utf8(pid).ok()?.trim().parse::<u32>().ok());
        let layout = if audit {
            render_audit(&mut line, entry, &time, message)
        } else {
            render(&mut line, &time, host, program, pid, message)
        };
        if layout.cut {
            read.long_lines += 1;
        }
        read.lines += 1;
        read.bytes += line.len() as u64 + 1;
        if audit || context.prefilter.is_match(&line) {
            read.candidates += 1;
            cursor.clear();
            if let Some(header) = &header {
                cursor.push_str(&entry.cursor(header));
            }
            let record = Record {
                at: LineRef {
                    file: context.display,
                    line: ordinal,
                    offset: rendered_offset,
                    raw: &line,
                    before: &context_lines,
                    journal: Some(JournalPlace {
                        seqnum: entry.seqnum,
                        entry_offset: entry.offset,
                        cursor: &cursor,
                        audit,
                    }),
                },
                time: Some(time),
                host: if audit {
                    String::from_utf8_lossy(host)
                } else {
                    String::from_utf8_lossy(&line[layout.host.clone()])
                },
                program: if audit {
                    b"audit"
                } else {
                    &line[layout.program.clone()]
                },
                pid,
                message: &line[layout.message.clone()],
            };
            sink(&record);
        }
        rendered_offset += line.len() as u64 + 1;
        context_lines.extend_from_slice(&line);
        context_lines.push(b'\n');
        if context_lines.len() > CONTEXT_MAX {
            trim_context(&mut context_lines);
        }
    });
    read.summary = summary;
    read
}

/// Keeps the last [`CONTEXT_KEEP`] bytes of whole lines.
fn trim_context(context: &mut Vec<u8>) {
    let from = context.len() - CONTEXT_KEEP;
    let start = memchr::memchr(b'\n', &context[from..]).map_or(context.len(), |i| from + i + 1);
    context.drain(..start);
}

fn micros(instant: Timestamp) -> u64 {
    u64::try_from(instant.as_microsecond()).unwrap_or(0)
}

/// Where the parts of a rendered line are.
struct Layout {
    host: std::ops::Range<usize>,
    program: std::ops::Range<usize>,
    message: std::ops::Range<usize>,
    cut: bool,
}

/// Writes `STAMP HOST PROGRAM[PID]: MESSAGE` into `line` (cleared first). Bytes that
/// would break the line or the header (controls in the message, spaces or controls in
/// the host and program) are escaped as rsyslog does: `#` and three octal digits.
fn render(
    line: &mut Vec<u8>,
    time: &LogTime,
    host: &[u8],
    program: &[u8],
    pid: Option<u32>,
    message: &[u8],
) -> Layout {
    line.clear();
    let dt = time.offset.to_datetime(time.instant);
    let offset = time.offset.seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    let _ = write!(
        line,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}{sign}{:02}:{:02} ",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1000,
        offset / 3600,
        offset / 60 % 60,
    );
    let host_start = line.len();
    escape_into(line, host, true);
    if line.len() == host_start {
        line.push(b'-');
    }
    let host_range = host_start..line.len();
    line.push(b' ');
    let program_start = line.len();
    escape_into(line, program, true);
    let program_range = program_start..line.len();
    if let Some(pid) = pid {
        let _ = write!(line, "[{pid}]");
    }
    if program_range.is_empty() && pid.is_none() {
        // No program: the message follows the host, as in `host -- MARK --`.
    } else {
        line.push(b':');
    }
    line.push(b' ');
    let message_start = line.len();
    escape_into(line, message, false);
    let mut cut = false;
    if line.len() > MAX_RENDERED {
        line.truncate(MAX_RENDERED);
        cut = true;
    }
    let message_start = message_start.min(line.len());
    Layout {
        host: host_range.start.min(line.len())..host_range.end.min(line.len()),
        program: program_range.start.min(line.len())..program_range.end.min(line.len()),
        message: message_start..line.len(),
        cut,
    }
}

/// Writes the `audit.log` line of a `_TRANSPORT=audit` entry into `line` (cleared
/// first): `type=NAME msg=audit(SECONDS.MILLIS:SERIAL): TEXT`, where TEXT is the
/// message after the type name journald put before it. The record's program is
/// `audit`, its message the whole line (as the reader of `audit.log` takes it).
fn render_audit(line: &mut Vec<u8>, entry: &Entry<'_>, time: &LogTime, message: &[u8]) -> Layout {
    line.clear();
    let number = entry.field(b"_AUDIT_TYPE").unwrap_or_default();
    let name = entry.field(b"_AUDIT_TYPE_NAME").unwrap_or_default();
    line.extend_from_slice(b"type=");
    if name.is_empty() {
        // journald names a type it does not know `AUDIT` and its number.
        line.extend_from_slice(b"AUDIT");
        escape_into(line, number, true);
    } else {
        escape_into(line, name, true);
    }
    let text = message
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix(b" "))
        .filter(|_| !name.is_empty())
        .unwrap_or(message);
    let micros = time.instant.as_microsecond();
    let serial = entry.field(b"_AUDIT_ID").unwrap_or(b"0");
    let _ = write!(
        line,
        " msg=audit({}.{:03}:",
        micros.div_euclid(1_000_000),
        micros.rem_euclid(1_000_000) / 1000
    );
    escape_into(line, serial, true);
    line.extend_from_slice(b"): ");
    escape_into(line, text, false);
    let mut cut = false;
    if line.len() > MAX_RENDERED {
        line.truncate(MAX_RENDERED);
        cut = true;
    }
    Layout {
        host: 0..0,
        program: 0..0,
        message: 0..line.len(),
        cut,
    }
}

/// Appends `bytes`, control bytes (and, in header fields, spaces) as `#ooo`.
fn escape_into(out: &mut Vec<u8>, bytes: &[u8], header_field: bool) {
    let needs = |b: u8| b < 0x20 || b == 0x7f || (header_field && b == b' ');
    if !bytes.iter().any(|&b| needs(b)) {
        out.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        if needs(b) {
            out.push(b'#');
            out.push(b'0' + (b >> 6));
            out.push(b'0' + ((b >> 3) & 7));
            out.push(b'0' + (b & 7));
        } else {
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(host: &[u8], program: &[u8], pid: Option<u32>, message: &[u8]) -> String {
        let instant: Timestamp = "1996-12-31T14:59:58.000123Z".parse().unwrap();
        let tz = TimeZone::get("Asia/Tokyo").unwrap();
        let time = LogTime::new(instant, tz.to_offset(instant));
        let mut line = Vec::new();
        let layout = render(&mut line, &time, host, program, pid, message);
        assert_eq!(&line[layout.message.clone()], {
            let mut escaped = Vec::new();
            escape_into(&mut escaped, message, false);
            escaped
        });
        String::from_utf8(line).unwrap()
    }

    #[test]
    fn renders_the_line_rsyslog_would_write() {
        assert_eq!(
            rendered(
                b"mailhub",
                b"sshd",
                Some(812),
                b"Failed password for root from 192.0.2.7 port 4242 ssh2"
            ),
            "1996-12-31T23:59:58.000123+09:00 mailhub sshd[812]: Failed password for root from 192.0.2.7 port 4242 ssh2"
        );
        assert_eq!(
            rendered(b"", b"kernel", None, b"line one\nline two\t."),
            "1996-12-31T23:59:58.000123+09:00 - kernel: line one#012line two#011."
        );
        assert_eq!(
            rendered(b"h", b"my prog", None, b"x"),
            "1996-12-31T23:59:58.000123+09:00 h my#040prog: x"
        );
    }

    #[test]
    fn the_rendered_line_parses_as_syslog_with_the_same_fields() {
        let line = rendered(
            b"ns1",
            b"sendmail",
            Some(7496),
            b"AA07496: to=|/bin/sh, stat=Sent",
        );
        let header = crate::syslog::parse(line.as_bytes()).unwrap();
        assert_eq!(header.host, Some(&b"ns1"[..]));
        assert_eq!(header.program, b"sendmail");
        assert_eq!(header.pid, Some(7496));
        assert_eq!(header.message, b"AA07496: to=|/bin/sh, stat=Sent");
    }

    #[test]
    fn context_keeps_whole_recent_lines() {
        let mut context = Vec::new();
        for n in 0..100_000u32 {
            context.extend_from_slice(format!("line {n} with some padding text\n").as_bytes());
        }
        trim_context(&mut context);
        assert!(context.len() <= CONTEXT_KEEP);
        assert!(context.starts_with(b"line "));
        assert!(context.ends_with(b"line 99999 with some padding text\n"));
    }
}
