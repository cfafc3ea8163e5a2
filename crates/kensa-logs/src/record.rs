//! The record handed to detectors: one candidate line, its place in its file, its parsed
//! syslog header and its resolved time.

use kensa_core::{Evidence, LogTime};
use std::borrow::Cow;

/// Where a line is: the file as shown to users, 1-based line number and byte offset of
/// the line's start, both counted in the decompressed text.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineRef<'a> {
    /// The file, relative to the audited root when under it.
    pub file: &'a str,
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's first byte.
    pub offset: u64,
    /// The line's bytes without the line ending (cut at the line cap).
    pub raw: &'a [u8],
    /// The whole lines just before this one in the scanner's buffer (up to about a
    /// megabyte, ending with this line's predecessor and its newline; empty at the start
    /// of a chunk). Detectors that need the context of a rare line — the `from=` line
    /// of a message whose `to=` turned out malicious — read it here instead of asking
    /// the engine to hand them every line. See [`LineRef::preceding`].
    pub before: &'a [u8],
    /// For a journal entry: where it is in journald's terms (then `line` is the entry's
    /// ordinal in its file and `offset` the position of its rendered line, see
    /// [`crate::journal_records`]).
    pub journal: Option<JournalPlace<'a>>,
}

/// Where a journal entry is, in journald's own terms.
#[derive(Debug, Clone, Copy)]
pub struct JournalPlace<'a> {
    /// `__SEQNUM`.
    pub seqnum: u64,
    /// Byte offset of the entry object in the journal file.
    pub entry_offset: u64,
    /// `__CURSOR`, as `journalctl --cursor` takes it.
    pub cursor: &'a str,
    /// Whether the entry is a kernel audit record journald stored (`_TRANSPORT=audit`):
    /// then the record's line is that record as `audit.log` writes it, not a syslog line.
    pub audit: bool,
}

impl<'a> LineRef<'a> {
    /// The lines before this one, nearest first, each with its own line number and
    /// offset (their own `before` is empty).
    pub fn preceding(&self) -> impl Iterator<Item = LineRef<'a>> + 'a {
        let file = self.file;
        let mut rest = self.before;
        let mut line = self.line;
        let end_offset = self.offset;
        let before_len = self.before.len();
        std::iter::from_fn(move || {
            // `rest` ends with a newline (the one that ends the previous line).
            let body = rest.strip_suffix(b"\n")?;
            let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
            let raw = &body[start..];
            line = line.checked_sub(1)?;
            let offset = end_offset.saturating_sub((before_len - start) as u64);
            rest = &rest[..start];
            Some(LineRef {
                file,
                line,
                offset,
                raw: raw.strip_suffix(b"\r").unwrap_or(raw),
                before: &[],
                journal: None,
            })
        })
    }

    /// This line as evidence for a finding.
    pub fn evidence(&self, time: Option<LogTime>) -> Evidence {
        let mut evidence = Evidence::from_line(self.file, self.line, self.offset, self.raw, time);
        evidence.journal = self.journal.map(|place| kensa_core::JournalEntryRef {
            seqnum: place.seqnum,
            entry_offset: place.entry_offset,
            cursor: place.cursor.to_string(),
        });
        evidence
    }
}

/// One parsed log line.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// Where the line is.
    pub at: LineRef<'a>,
    /// The instant the line states, if it had a stamp kensa understood.
    pub time: Option<LogTime>,
    /// The host that logged it: the header's host field, or the audited host's name when
    /// the header had none.
    pub host: Cow<'a, str>,
    /// The program (`sendmail`, `sshd`, `/usr/sbin/cron`); empty when the line had none.
    pub program: &'a [u8],
    /// The process id in brackets, if any.
    pub pid: Option<u32>,
    /// The message: everything after `program[pid]: `.
    pub message: &'a [u8],
}

impl Record<'_> {
    /// This record's line as evidence.
    pub fn evidence(&self) -> Evidence {
        self.at.evidence(self.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preceding_lines_have_their_own_numbers_and_offsets() {
        let text = b"one\ntwo\r\nthree\nfour";
        let current = LineRef {
            file: "f",
            line: 4,
            offset: 15,
            raw: b"four",
            before: &text[..15],
            journal: None,
        };
        let back: Vec<(u64, u64, &[u8])> = current
            .preceding()
            .map(|l| (l.line, l.offset, l.raw))
            .collect();
        assert_eq!(
            back,
            vec![
                (3, 9, &b"three"[..]),
                (2, 4, &b"two"[..]),
                (1, 0, &b"one"[..])
            ]
        );
    }
}
