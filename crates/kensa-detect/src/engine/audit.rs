//! A set of Linux audit logs (`var/log/audit/audit.log.N` … `audit.log`), oldest first.
//!
//! Audit records are not syslog lines: the log detectors have nothing to read in them.
//! What they hold for kensa is logins — PAM's, sshd's, login's, su's and sudo's records —
//! which become authentication events for the guessing detectors (see
//! [`crate::auth::parsers::audit`]). The set's guessing state is merged with the other
//! sets' like any other, so a login that sshd also wrote to `auth.log` or the journal is
//! counted once (see the guessing state's notes on duplicates).
//!
//! The files are read as text, through the same decoding and line scanning as the text
//! logs (a collector may have compressed them), with a prefilter on the record types
//! read. Times are the records' own (UTC epoch), so there is no year to infer. A record
//! auditd wrote twice (the same node, serial and type, as a forwarding loop or a copied
//! file gives) counts once. Incremental runs resume at a byte offset, as for text logs.

use super::{
    FileProgress, FileStart, Resume, ScanConfig, ScanResult, SetOutput, Span, TAIL, TailKeeper,
    add_text_file, cannot_read, finish_set, open_at, start_detectors,
};
use crate::auth::parsers::audit::{AUDIT_NEEDLES, AuditParser};
use kensa_core::{LogTime, Progress};
use kensa_logs::audit::{self, AuditRecord};
use kensa_logs::decode::Compression;
use kensa_logs::prefilter::Prefilter;
use kensa_logs::scan::{self, Event};
use kensa_logs::source::LogSet;
use std::borrow::Cow;
use std::collections::VecDeque;

/// Recent record keys remembered to drop a record written twice in a row.
const RECENT_KEYS: usize = 16;

pub(super) fn read_audit_set(
    set: &LogSet,
    config: &ScanConfig,
    resume: Option<&Resume>,
    progress: &dyn Progress,
) -> SetOutput {
    let mut diagnostics = Vec::new();
    // The log detectors read syslog records; audit sets feed only the guessing state.
    let (_detectors, mut guessing) = start_detectors(set, config, resume, &mut diagnostics);
    let reads_logins = config.reads_logins();
    let prefilter = Prefilter::new(AUDIT_NEEDLES.iter().copied());
    let mut result = ScanResult::default();
    let mut read_to = Vec::new();
    let mut parser = AuditParser::default();
    let mut recent: VecDeque<(Vec<u8>, u64, Vec<u8>)> = VecDeque::with_capacity(RECENT_KEYS);
    for file in &set.files {
        let (start, start_line) = match resume.map(|r| r.files.get(&file.location.identity())) {
            Some(Some(FileStart::Skip)) => {
                progress.advance(file.len);
                continue;
            }
            Some(Some(&FileStart::At { offset, line })) => (offset, line),
            _ => (0, 1),
        };
        let (mut reader, compression) = match open_at(&file.location, start, resume.is_some()) {
            Ok(opened) => opened,
            Err(err) => {
                result.diagnostics.push(cannot_read(&file.display, &err));
                progress.advance(file.len);
                continue;
            }
        };
        result.stats.files += 1;
        let mut span = Span::default();
        let mut long_lines = 0u64;
        let mut first_long_line = 0u64;
        let mut tail = TailKeeper {
            inner: &mut reader,
            tail: Vec::with_capacity(TAIL),
        };
        let summary = {
            let mut sink = |event: Event<'_>| match event {
                Event::Checkpoint(line) => {
                    if let Some(record) = audit::parse(line.raw) {
                        span.widen(record_time(&record, config));
                    }
                }
                Event::Candidate(line) => {
                    let Some(record) = audit::parse(line.raw) else {
                        result.stats.unparsed += 1;
                        return;
                    };
                    let time = record_time(&record, config);
                    span.widen(time);
                    if let Some(instant) = time.map(|t| t.instant)
                        && (config.since.is_some_and(|since| instant < since)
                            || config.until.is_some_and(|until| instant > until))
                    {
                        return;
                    }
                    let key = (
                        record.node.unwrap_or_default().to_vec(),
                        record.serial,
                        record.kind.to_vec(),
                    );
                    if recent.contains(&key) {
                        return;
                    }
                    if recent.len() == RECENT_KEYS {
                        recent.pop_front();
                    }
                    recent.push_back(key);
                    if !reads_logins {
                        return;
                    }
                    let host = match record.node {
                        Some(node) => String::from_utf8_lossy(node),
                        None => Cow::Borrowed(config.default_host.as_str()),
                    };
                    let evidence = line.evidence(time);
                    if let Some(event) = parser.event(&record, &host, time, evidence) {
                        if let Some(tap) = &config.tap {
                            tap.0.event(&event);
                        }
                        result.stats.auth_events += 1;
                        guessing.observe(&event);
                    }
                }
                Event::LongLine { line, .. } => {
                    long_lines += 1;
                    if first_long_line == 0 {
                        first_long_line = line;
                    }
                }
                Event::NulRun { .. } => {}
            };
            scan::scan_from(
                &mut tail,
                &file.display,
                &prefilter,
                start,
                start_line,
                &mut sink,
            )
        };
        // The span's end: the file's last record (checkpoints come once a chunk).
        let last = tail
            .tail
            .rsplit(|&b| b == b'\n')
            .find_map(|line| audit::parse(line).and_then(|r| record_time(&r, config)));
        span.widen(last);
        progress.advance(file.len);
        if resume.is_some() {
            read_to.push(FileProgress {
                path: file.location.identity().clone(),
                compressed: compression != Compression::None,
                offset: start + summary.bytes,
                line: start_line + summary.lines,
            });
        }
        let long = (long_lines, first_long_line);
        if !add_text_file(
            &mut result,
            &file.display,
            compression,
            &summary,
            &span,
            long,
        ) {
            continue;
        }
    }
    result.diagnostics.splice(0..0, diagnostics);
    finish_set(Vec::new(), guessing, resume, None, result, read_to)
}

/// A record's instant, with the host's offset at that instant.
fn record_time(record: &AuditRecord<'_>, config: &ScanConfig) -> Option<LogTime> {
    let nanos = i32::try_from(record.millis).ok()?.checked_mul(1_000_000)?;
    let instant = jiff::Timestamp::new(record.seconds, nanos).ok()?;
    Some(LogTime::new(instant, config.tz.to_offset(instant)))
}
