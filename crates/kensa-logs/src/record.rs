//! The record handed to detectors: one candidate line, its place in its file, its parsed
//! syslog header and its resolved time.

use kensa_core::{Evidence, LogTime};
use std::borrow::Cow;

/// Where a line is: the file as shown to users, 1-based line number and byte offset of
/// the line's start, both counted in the decompressed text.
#[derive(Debug, Clone, Copy)]
pub struct LineRef<'a> {
    /// The file, relative to the audited root when under it.
    pub file: &'a str,
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's first byte.
    pub offset: u64,
    /// The line's bytes without the line ending (cut at the line cap).
    pub raw: &'a [u8],
}

impl LineRef<'_> {
    /// This line as evidence for a finding.
    pub fn evidence(&self, time: Option<LogTime>) -> Evidence {
        Evidence::from_line(self.file, self.line, self.offset, self.raw, time)
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
