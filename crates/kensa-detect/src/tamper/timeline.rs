//! The time line of a text log's rotation set: every stamped line's time, per host, in
//! file order — what CP006 (silences), CP007 (time going backwards) and CP008 (rotation
//! overlap, files modified after rotation, missing rotations) judge.
//!
//! The main scan only parses candidate lines, so this is a second pass that reads every
//! line's header (and nothing else of it). Memory per host is bounded: the longest gap of
//! each day (a number per day, at most [`MAX_DAYS`]), the [`KEEP_GAPS`] longest gaps with
//! their two lines, and the first [`MAX_EVIDENCE`] backward steps. At most [`MAX_HOSTS`]
//! hosts of a central log are followed.

use super::login::{human_duration, human_duration_ja};
use super::{
    cp006_log_time_gap as cp006, cp007_log_time_backwards as cp007,
    cp008_log_rotation_anomaly as cp008,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, LogTime, Subject, tr};
use kensa_logs::decode;
use kensa_logs::source::LogSet;
use kensa_logs::syslog;
use kensa_logs::year::YearResolver;
use std::collections::BTreeMap;
use std::io::Read;

/// A gap is reported when longer than this many times the median of daily maxima …
pub const GAP_FACTOR: i64 = 4;
/// … and longer than this.
pub const MIN_GAP_SECS: i64 = 2 * 3600;
/// Days with lines a host's stream must span to be judged.
pub const MIN_DAYS: usize = 3;
/// Average lines a day a host's stream must have to be judged.
pub const MIN_LINES_PER_DAY: u64 = 50;
/// How far a line may lag behind the latest one before it counts as going backwards.
pub const BACKWARD_TOLERANCE_SECS: i64 = 2 * 3600;
/// How much later than a newer file's mtime an older rotation's may be.
pub const MTIME_TOLERANCE_SECS: i64 = 3600;

const MAX_DAYS: usize = 100_000;
const KEEP_GAPS: usize = 16;
const MAX_EVIDENCE: usize = 50;
const MAX_HOSTS: usize = 256;
/// Bytes of a line kept for its header and evidence.
const KEEP_LINE: usize = 512;
const CHUNK: usize = 1 << 20;

/// Where a line is, and what it says (cut to [`KEEP_LINE`] bytes).
#[derive(Clone)]
struct Seen {
    time: LogTime,
    file: usize,
    line: u64,
    offset: u64,
    text: String,
    restart: bool,
}

struct Gap {
    seconds: i64,
    before: Seen,
    after: Seen,
}

/// One host's stream.
#[derive(Default)]
struct Stream {
    lines: u64,
    /// The latest line so far.
    latest: Option<Seen>,
    /// Day number (local) → longest gap ending that day.
    day_max: BTreeMap<i64, i64>,
    gaps: Vec<Gap>,
    /// Inside a run of lines behind `latest` (one evidence entry per run).
    behind: bool,
    backwards: Vec<(Seen, Seen, u64)>,
    backward_lines: u64,
    /// Per file: first and last line (by file order).
    first_last: BTreeMap<usize, (Seen, Seen)>,
}

/// The findings of CP006–CP008 for one rotation set. `start_year` is the year of the
/// set's first year-less line, as the engine planned it.
pub fn check_set(
    set: &LogSet,
    tz: &TimeZone,
    start_year: i16,
    default_host: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let mut resolver = YearResolver::new(start_year, tz.clone());
    // Keyed by host and by whether the stamp states its zone: a log whose format
    // switches from local year-less stamps to RFC 3339 ones (an rsyslog template changed)
    // is two streams, because a wrong guess of the local zone would otherwise look like
    // time jumping.
    let mut streams: BTreeMap<(String, bool), Stream> = BTreeMap::new();
    let mut dropped_hosts = false;
    for (index, file) in set.files.iter().enumerate() {
        let Ok(decoded) = decode::open(&file.location) else {
            continue; // The main scan already said it cannot be read.
        };
        let mut on_line = |line_no: u64, offset: u64, raw: &[u8]| {
            let Some(header) = syslog::parse(raw) else {
                return;
            };
            let Some(time) = resolver.resolve(&header.stamp) else {
                return;
            };
            let host = header
                .host
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .unwrap_or_else(|| default_host.to_string());
            let zoned = matches!(
                header.stamp,
                syslog::Stamp::Offset(..) | syslog::Stamp::Instant(_)
            );
            let key = (host, zoned);
            if !streams.contains_key(&key) && streams.len() >= MAX_HOSTS {
                dropped_hosts = true;
                return;
            }
            let seen = Seen {
                time,
                file: index,
                line: line_no,
                offset,
                text: String::from_utf8_lossy(raw).into_owned(),
                restart: is_restart(header.program, header.message),
            };
            streams.entry(key).or_default().observe(seen);
        };
        read_lines(decoded.reader, &mut on_line);
    }
    if dropped_hosts {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            set.name.clone(),
            None,
            tr!(
                "more than {MAX_HOSTS} hosts: the time line of the others was not checked",
                "ホストが {MAX_HOSTS} 台を超えています: それ以外のホストの時系列は検査していません"
            ),
        ));
    }
    let mut findings = Vec::new();
    for ((host, _), stream) in &streams {
        findings.extend(stream.gap_finding(set, host));
        findings.extend(stream.backward_finding(set, host));
    }
    findings.extend(rotation_finding(set, &streams, default_host, tz));
    findings
}

/// Lines of `reader` with their 1-based number and byte offset, each cut to
/// [`KEEP_LINE`] bytes; memory is one chunk and one kept line.
fn read_lines(mut reader: impl Read, on_line: &mut dyn FnMut(u64, u64, &[u8])) {
    let mut chunk = vec![0u8; CHUNK];
    let mut kept: Vec<u8> = Vec::with_capacity(KEEP_LINE);
    let mut line_no = 1u64;
    let mut line_start = 0u64;
    let mut position = 0u64;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let mut rest = &chunk[..n];
        while !rest.is_empty() {
            match memchr::memchr(b'\n', rest) {
                Some(at) => {
                    let room = KEEP_LINE.saturating_sub(kept.len());
                    kept.extend_from_slice(&rest[..at.min(room)]);
                    on_line(line_no, line_start, &kept);
                    kept.clear();
                    position += at as u64 + 1;
                    line_no += 1;
                    line_start = position;
                    rest = &rest[at + 1..];
                }
                None => {
                    let room = KEEP_LINE.saturating_sub(kept.len());
                    kept.extend_from_slice(&rest[..rest.len().min(room)]);
                    position += rest.len() as u64;
                    rest = &[];
                }
            }
        }
    }
    if !kept.is_empty() {
        on_line(line_no, line_start, &kept);
    }
}

/// A line that says the logger or the system (re)started: the silence before it was the
/// host being down, not lines removed.
fn is_restart(program: &[u8], message: &[u8]) -> bool {
    let has = |hay: &[u8], needle: &[u8]| memchr::memmem::find(hay, needle).is_some();
    let logger = has(program, b"syslog") || has(program, b"klogd") || has(program, b"journal");
    (logger && (has(message, b"start") || has(message, b"restart")))
        || (program == b"kernel"
            && (message.starts_with(b"Linux version")
                || has(message, b"Copyright (c)")
                || has(message, b"Booting")))
        || has(message, b"syslogd: restart")
        || has(message, b"syslogd startup")
}

fn day_of(time: &LogTime) -> i64 {
    (time.instant.as_second() + i64::from(time.offset.seconds())).div_euclid(86_400)
}

impl Stream {
    fn observe(&mut self, seen: Seen) {
        self.lines += 1;
        self.first_last
            .entry(seen.file)
            .and_modify(|(_, last)| *last = seen.clone())
            .or_insert_with(|| (seen.clone(), seen.clone()));
        let Some(latest) = &self.latest else {
            self.day_max.insert(day_of(&seen.time), 0);
            self.latest = Some(seen);
            return;
        };
        let step = seen.time.instant.as_second() - latest.time.instant.as_second();
        if step < -BACKWARD_TOLERANCE_SECS {
            self.backward_lines += 1;
            if !self.behind && self.backwards.len() < MAX_EVIDENCE {
                self.backwards.push((latest.clone(), seen, 1));
            } else if let Some(last) = self.backwards.last_mut().filter(|_| self.behind) {
                last.2 += 1;
            }
            self.behind = true;
            return;
        }
        self.behind = false;
        if step <= 0 {
            return;
        }
        let day = day_of(&seen.time);
        if self.day_max.len() < MAX_DAYS || self.day_max.contains_key(&day) {
            let max = self.day_max.entry(day).or_insert(0);
            *max = (*max).max(step);
        }
        let shortest_kept = self.gaps.iter().map(|g| g.seconds).min().unwrap_or(0);
        if self.gaps.len() < KEEP_GAPS || step > shortest_kept {
            if self.gaps.len() >= KEEP_GAPS
                && let Some(at) = self
                    .gaps
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, g)| g.seconds)
                    .map(|(i, _)| i)
            {
                self.gaps.swap_remove(at);
            }
            self.gaps.push(Gap {
                seconds: step,
                before: latest.clone(),
                after: seen.clone(),
            });
        }
        self.latest = Some(seen);
    }

    /// The median of the daily maxima (the log's usual longest silence), when the stream
    /// is long and busy enough to have a rhythm.
    fn rhythm(&self) -> Option<i64> {
        let days = self.day_max.len();
        if days < MIN_DAYS || self.lines < MIN_LINES_PER_DAY * days as u64 {
            return None;
        }
        let mut maxima: Vec<i64> = self.day_max.values().copied().collect();
        maxima.sort_unstable();
        Some(maxima[maxima.len() / 2])
    }

    fn gap_finding(&self, set: &LogSet, host: &str) -> Option<Finding> {
        // Too short or too quiet to have a rhythm: not judged (a quiet host's silences
        // say nothing).
        let usual = self.rhythm()?;
        let threshold = (GAP_FACTOR * usual).max(MIN_GAP_SECS);
        let mut gaps: Vec<&Gap> = self
            .gaps
            .iter()
            .filter(|g| g.seconds > threshold && !g.after.restart)
            .collect();
        if gaps.is_empty() {
            return None;
        }
        gaps.sort_by_key(|g| (g.before.time, g.before.line));
        let mut finding = Finding::new(&cp006::RULE, host);
        finding.subject = Subject {
            path: Some(set.name.clone()),
            ..Subject::default()
        };
        finding.merge_key = set.name.clone();
        finding.count = gaps.len() as u64;
        for gap in gaps {
            finding.push_evidence(evidence(set, &gap.before, gap.before.text.clone(), None));
            let days = self.day_max.len();
            let text = format!(
                "after a gap of {} (this log's usual longest daily silence: {}, median of {days} days; \
                 threshold {}): {}",
                human_duration(gap.seconds),
                human_duration(usual),
                human_duration(threshold),
                gap.after.text
            );
            let text_ja = format!(
                "{} の空白の後（このログの 1 日で最も長い無記録時間は通常 {}、{days} 日分の中央値。\
                 しきい値 {}）: {}",
                human_duration_ja(gap.seconds),
                human_duration_ja(usual),
                human_duration_ja(threshold),
                gap.after.text
            );
            finding.push_evidence(evidence(set, &gap.after, text, Some(text_ja)));
        }
        Some(finding)
    }

    fn backward_finding(&self, set: &LogSet, host: &str) -> Option<Finding> {
        // Steps back at a file boundary are rotation overlaps (CP008), not edits inside
        // one file.
        let inside: Vec<&(Seen, Seen, u64)> = self
            .backwards
            .iter()
            .filter(|(latest, seen, _)| latest.file == seen.file)
            .collect();
        if inside.is_empty() {
            return None;
        }
        let mut finding = Finding::new(&cp007::RULE, host);
        finding.subject = Subject {
            path: Some(set.name.clone()),
            ..Subject::default()
        };
        finding.merge_key = set.name.clone();
        finding.count = inside.iter().map(|(_, _, n)| n).sum();
        for (latest, seen, run) in inside {
            let back = latest.time.instant.as_second() - seen.time.instant.as_second();
            let text = format!(
                "{} before the latest line so far ({}, line {}); {run} line(s) behind: {}",
                human_duration(back),
                latest.time,
                latest.line,
                seen.text
            );
            let text_ja = format!(
                "それまでで最も新しい行（{}、{} 行目）より {} 前。{run} 行が遅れている: {}",
                latest.time,
                latest.line,
                human_duration_ja(back),
                seen.text
            );
            finding.push_evidence(evidence(set, seen, text, Some(text_ja)));
        }
        Some(finding)
    }
}

/// Evidence at a line: the line quoted (`text_ja` `None`) or kensa's words around it.
fn evidence(set: &LogSet, seen: &Seen, text: String, text_ja: Option<String>) -> Evidence {
    Evidence {
        text_ja: text_ja.map(cut_line),
        file: set.files[seen.file].display.clone(),
        line: seen.line,
        offset: seen.offset,
        text: cut_line(text),
        raw_hex: None,
        time: Some(seen.time),
        journal: None,
    }
}

/// Kept lines are bounded; kensa's words around one add at most as much again.
fn cut_line(mut text: String) -> String {
    if text.len() > 2 * KEEP_LINE {
        let mut cut = 2 * KEEP_LINE;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// CP008: overlaps between consecutive files, older rotations modified after newer
/// files, and holes in the rotation numbers.
fn rotation_finding(
    set: &LogSet,
    streams: &BTreeMap<(String, bool), Stream>,
    default_host: &str,
    tz: &TimeZone,
) -> Option<Finding> {
    let mut entries: Vec<Evidence> = Vec::new();
    let file_evidence = |index: usize, text: Localized, time: Option<Timestamp>| {
        Evidence::described(
            &set.files[index].display,
            0,
            0,
            text,
            time.map(|t| LogTime::new(t, tz.to_offset(t))),
        )
    };
    // Overlaps, per host: a file's first line well before the previous file's last.
    for stream in streams.values() {
        let files: Vec<(&usize, &(Seen, Seen))> = stream.first_last.iter().collect();
        for pair in files.windows(2) {
            let (_, (_, older_last)) = pair[0];
            let (_, (newer_first, _)) = pair[1];
            let back = older_last.time.instant.as_second() - newer_first.time.instant.as_second();
            if back > BACKWARD_TOLERANCE_SECS {
                let older = &set.files[older_last.file].display;
                let text = format!(
                    "first line is {} earlier than the last line of the older {older} ({}, line {}): {}",
                    human_duration(back),
                    older_last.time,
                    older_last.line,
                    newer_first.text
                );
                let text_ja = format!(
                    "最初の行が、古いファイル {older} の最後の行（{}、{} 行目）より {} 前: {}",
                    older_last.time,
                    older_last.line,
                    human_duration_ja(back),
                    newer_first.text
                );
                entries.push(evidence(set, newer_first, text, Some(text_ja)));
            }
        }
    }
    // Older rotations written after newer files.
    for (older, newer) in set.files.iter().enumerate().zip(set.files.iter().skip(1)) {
        let (index, older) = older;
        if let (Some(old_m), Some(new_m)) = (older.mtime, newer.mtime) {
            let late = old_m.as_second() - new_m.as_second();
            if late > MTIME_TOLERANCE_SECS {
                let shown = LogTime::new(new_m, tz.to_offset(new_m));
                let modified = LogTime::new(old_m, tz.to_offset(old_m));
                let newer = &newer.display;
                entries.push(file_evidence(
                    index,
                    Localized {
                        en: format!(
                            "modified {modified}, {} after the newer {newer} ({shown}): written \
                             after it was rotated",
                            human_duration(late)
                        ),
                        ja: format!(
                            "更新日時 {modified}。新しいファイル {newer}（{shown}）より {} 後: \
                             ローテーションの後に書き込まれている",
                            human_duration_ja(late)
                        ),
                    },
                    Some(old_m),
                ));
            }
        }
    }
    // Holes in the numbers (dated rotations are numbered without holes by discovery).
    let mut numbers: Vec<(u32, usize)> = set
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.rotation.map(|r| (r, i)))
        .collect();
    numbers.sort_unstable();
    numbers.dedup_by_key(|(r, _)| *r);
    for pair in numbers.windows(2) {
        let ((low, low_index), (high, _)) = (pair[0], pair[1]);
        if high > low + 1 {
            let missing: Vec<String> = (low + 1..high).take(5).map(|n| n.to_string()).collect();
            let (missing, low_file) = (missing.join(", "), &set.files[low_index].display);
            entries.push(file_evidence(
                low_index,
                tr!(
                    "rotation(s) {missing} missing between {low_file} and the older rotation {high}",
                    "{low_file} と古いローテーション {high} の間のローテーション {missing} がない"
                ),
                None,
            ));
        }
    }
    if entries.is_empty() {
        return None;
    }
    let mut finding = Finding::new(&cp008::RULE, default_host);
    finding.subject = Subject {
        path: Some(set.name.clone()),
        ..Subject::default()
    };
    finding.merge_key = set.name.clone();
    finding.count = entries.len() as u64;
    for entry in entries.into_iter().take(MAX_EVIDENCE) {
        finding.push_evidence(entry);
    }
    Some(finding)
}
