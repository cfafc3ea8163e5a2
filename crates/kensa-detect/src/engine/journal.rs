//! A set of journal files (`var/log/journal/MACHINE-ID/system.journal` and its archived
//! pieces), read oldest first by one set of detectors, like a rotation set of text logs.
//!
//! `kensa-logs` turns each entry into a [`kensa_logs::record::Record`]; here the records
//! meet the same detectors and authentication parsers as text lines. What differs from a
//! text set: there is no year to infer (entries carry real instants), no NUL run or
//! time-line check (those are properties of text files), and an incremental run resumes
//! after the last sequence number read rather than at a byte offset.
//!
//! A journal that cannot be read whole still gives every entry that could be read; each
//! problem is a diagnostic naming the file and the byte offset where it is.
//!
//! Kernel audit records journald stored (`_TRANSPORT=audit`, on a host without auditd)
//! come as the lines auditd would have written (see [`journal_records`]) and take the
//! path of `audit.log` ([`super::audit`]): the audit parser, no log detector, and a
//! guessing state of their own, merged with the syslog entries' at the end as the state
//! of an audit set is merged with a syslog set's — a try that sshd logged through syslog
//! and PAM through audit counts once, as with `auth.log` beside `audit.log`. That state
//! is saved apart for incremental runs, so that both witnesses keep counting their own.

use super::{
    FileProgress, FileStart, Resume, ScanConfig, ScanResult, SetOutput, cannot_read, finish_set,
    long_lines_note, start_detectors,
};
use crate::auth::guessing::GuessingDetectors;
use crate::auth::parsers::AuthParser;
use crate::auth::parsers::audit::{AUDIT_NEEDLES, AuditParser};
use kensa_core::{Diagnostic, DiagnosticLevel, ExaminedFile, Progress, tr};
use kensa_logs::decode::{self, Compression};
use kensa_logs::journal::ReadAt;
use kensa_logs::journal_records::{self, JournalContext, JournalStart};
use kensa_logs::prefilter::Prefilter;
use kensa_logs::source::{LogFile, LogSet};
use std::io::Read;

/// Largest compressed journal file decompressed into memory (journald never compresses
/// whole files, but a collector or an administrator may have): journald's own default
/// cap on one file is 128 MiB.
const MAX_DECOMPRESSED_JOURNAL: u64 = 512 << 20;

/// Where the guessing state of a set's audit entries is saved among its detectors'.
const AUDIT_STATE_KEY: &str = "journal-audit-guessing";

pub(super) fn read_journal_set(
    set: &LogSet,
    config: &ScanConfig,
    prefilter: &Prefilter,
    resume: Option<&Resume>,
    progress: &dyn Progress,
) -> SetOutput {
    let mut diagnostics = Vec::new();
    let (mut detectors, mut guessing) = start_detectors(set, config, resume, &mut diagnostics);
    let reads_logins = config.reads_logins();
    let rules_only = super::rules_only_prefilter(config);
    let mut auth_parser = AuthParser::default();
    let mut audit_parser = AuditParser::default();
    let mut audit_guessing = resume
        .and_then(|r| r.sets.get(&set.name))
        .and_then(|state| state.detectors.get(AUDIT_STATE_KEY))
        .and_then(|saved| GuessingDetectors::restore_state(saved, config.guessing.clone()).ok())
        .unwrap_or_else(|| GuessingDetectors::new(config.guessing.clone()));
    let mut result = ScanResult::default();
    let mut read_to = Vec::new();
    for file in &set.files {
        let start = match resume.map(|r| r.files.get(&file.location.identity())) {
            Some(Some(FileStart::Skip)) => {
                progress.advance(file.len);
                continue;
            }
            // For a journal, the offset is the next sequence number to read.
            Some(Some(&FileStart::At { offset, line })) => JournalStart {
                after_seqnum: offset.checked_sub(1),
                first_line: line,
            },
            _ => JournalStart {
                after_seqnum: None,
                first_line: 1,
            },
        };
        let opened = match open_journal(file) {
            Ok(opened) => opened,
            Err(err) => {
                result.diagnostics.push(cannot_read(&file.display, &err));
                progress.advance(file.len);
                continue;
            }
        };
        let context = JournalContext {
            display: &file.display,
            default_host: &config.default_host,
            tz: &config.tz,
            since: config.since,
            until: config.until,
            prefilter,
        };
        let read = journal_records::read_file(opened.as_ref(), &context, &start, &mut |record| {
            if record.at.journal.is_some_and(|place| place.audit) {
                // Only the record types the audit parser reads (its needles: the line
                // starts with its type).
                if !reads_logins
                    || !AUDIT_NEEDLES
                        .iter()
                        .any(|needle| record.at.raw.starts_with(needle.as_bytes()))
                {
                    return;
                }
                let Some(parsed) = kensa_logs::audit::parse(record.at.raw) else {
                    result.stats.unparsed += 1;
                    return;
                };
                if let Some(event) =
                    audit_parser.event(&parsed, &record.host, record.time, record.evidence())
                {
                    if let Some(tap) = &config.tap {
                        tap.0.event(&event);
                    }
                    result.stats.auth_events += 1;
                    audit_guessing.observe(&event);
                }
                return;
            }
            if let Some(tap) = &config.tap
                && rules_only
                    .as_ref()
                    .is_some_and(|p| !p.is_match(record.message))
            {
                tap.0.record(record, None, false);
                return;
            }
            for detector in detectors.iter_mut() {
                detector.observe(record);
            }
            let event = if reads_logins {
                auth_parser.parse(record)
            } else {
                None
            };
            if let Some(tap) = &config.tap {
                tap.0.record(record, event.as_ref(), true);
            }
            if let Some(event) = event {
                result.stats.auth_events += 1;
                guessing.observe(&event);
            }
        });
        progress.advance(file.len);
        result.stats.files += 1;
        result.stats.bytes += read.bytes;
        result.stats.lines += read.lines;
        result.stats.candidates += read.candidates;
        result.files.push(ExaminedFile {
            file: file.display.clone(),
            lines: read.lines,
            bytes: read.bytes,
            first: read.first,
            last: read.last,
        });
        for problem in &read.summary.problems {
            let kensa_core::Localized { en, ja } = problem.kind.describe();
            let offset = problem.offset;
            result.diagnostics.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                file.display.clone(),
                None,
                tr!(
                    "journal file damaged at byte offset {offset}: {en}; the entries that \
                     could be read were read",
                    "ジャーナルファイルのバイト位置 {offset} が壊れています: {ja}。\
                     読み取れたエントリは読みました"
                ),
            ));
        }
        if read.summary.more_problems > 0 {
            let more = read.summary.more_problems;
            result.diagnostics.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                file.display.clone(),
                None,
                tr!(
                    "{more} more problems in this journal file not listed",
                    "このジャーナルファイルには、ほかに {more} 件の問題があります（一覧は省略）"
                ),
            ));
        }
        if read.long_lines > 0 {
            result
                .diagnostics
                .push(long_lines_note(&file.display, read.long_lines, None));
        }
        if resume.is_some() {
            let next_seqnum = read
                .summary
                .last_seqnum
                .map_or_else(|| start.after_seqnum.map_or(0, |s| s + 1), |s| s + 1);
            read_to.push(FileProgress {
                path: file.location.identity().clone(),
                compressed: false,
                offset: next_seqnum,
                line: read.next_line,
            });
        }
    }
    result.diagnostics.splice(0..0, diagnostics);
    let mut output = finish_set(detectors, guessing, resume, None, result, read_to);
    if resume.is_some()
        && let Some(saved) = audit_guessing.save_state()
    {
        output
            .state
            .detectors
            .insert(AUDIT_STATE_KEY.to_string(), saved);
    }
    output.guessing.merge(audit_guessing);
    output
}

/// The journal file, for reading at offsets: the file itself, or its decompressed
/// content in memory when it was stored compressed.
fn open_journal(file: &LogFile) -> std::io::Result<Box<dyn ReadAt>> {
    let plain = file.location.open()?;
    let mut head = [0u8; 6];
    let n = plain.read_at(&mut head, 0)?;
    if Compression::sniff(&head[..n]) == Compression::None {
        return Ok(Box::new(plain));
    }
    let decoded = decode::decode(plain)?;
    let mut content = Vec::new();
    decoded
        .reader
        .take(MAX_DECOMPRESSED_JOURNAL)
        .read_to_end(&mut content)?;
    Ok(Box::new(content))
}
