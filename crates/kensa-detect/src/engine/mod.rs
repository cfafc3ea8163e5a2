//! The scanning engine: rotation sets in, findings and diagnostics out.
//!
//! Each rotation set (e.g. `syslog.22.gz` … `syslog.1`, `syslog`) is read by one worker,
//! oldest file first, so that every detector sees a host's lines in the order they were
//! written — a sendmail message whose delivery line landed in the next file after a
//! rotation is still one message. Different sets run in parallel (rayon); their results
//! are joined in set order, so the output does not depend on the thread count.
//!
//! Years: RFC 3164 stamps have none. Before a set is read, the first stamp of each file
//! and the last of the newest are sampled; with the anchor (`--year`, else the newest
//! file's mtime) that fixes the year of the set's first line, and the [`YearResolver`]
//! carries it forward across New Year. File mtimes are lost when an image is copied
//! carelessly (or checked out from git), so the engine also collects *year witnesses*:
//! lines whose text states the local year by itself — sendmail's locally generated
//! message-ids `<9612312359.AA07496@host>` / `<199612312359.AA07496@host>` are
//! `YYMMDDHHMM`/`YYYYMMDDHHMM` of the host's clock followed by the line's own queue id. When
//! every witness of a set disagrees with the inferred year by the same amount, the set is
//! read again with the corrected start year and a note says so.
//!
//! Memory: per set, the detectors' own bounded state, one chunk buffer and the findings.

use crate::auth::guessing::{GuessingConfig, GuessingDetectors};
use crate::auth::parsers::{self as auth_parsers, AuthParser};
use crate::cp001_log_nul_run;
use crate::login_records::{self, LoginFileRef};
use crate::{Detector, all_detectors};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kensa_core::{
    Diagnostic, DiagnosticLevel, Evidence, ExaminedFile, Finding, LogTime, MessageCode, NoProgress,
    Progress, tr,
};
use kensa_logs::decode::{self, Compression};
use kensa_logs::prefilter::Prefilter;
use kensa_logs::record::Record;
use kensa_logs::scan::{self, Event, MAX_LINE};
use kensa_logs::source::{LogFile, LogFormat, LogSet};
use kensa_logs::syslog::{self, Stamp};
use kensa_logs::year::{self, YearResolver};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

mod audit;
mod journal;

/// NUL runs shorter than this are corruption, not a wiped line (the shortest syslog line
/// with a stamp and a host is longer).
const MIN_NUL_RUN: u64 = 16;
/// Evidence entries kept per NUL finding; the count says how many runs there were.
const MAX_NUL_EVIDENCE: usize = 50;

/// Everything the engine needs to know besides the files.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// The audited host's time zone.
    pub tz: TimeZone,
    /// The host name given to lines whose header has none.
    pub default_host: String,
    /// `--year`: the year of the newest year-less line of every set.
    pub year: Option<i16>,
    /// Records before this instant are ignored.
    pub since: Option<Timestamp>,
    /// Records after this instant are ignored.
    pub until: Option<Timestamp>,
    /// Thresholds of the password-guessing detectors (`[guessing]` in kensa.toml).
    pub guessing: GuessingConfig,
    /// `--select`: code prefixes of the rules to run (`SM`, `LG`, `FT011`); empty = all.
    pub select: Vec<String>,
    /// `kensa events`: what is told every record and event parsed.
    pub tap: Option<crate::events::Tap>,
}

impl ScanConfig {
    /// Whether the rule `code` (or a family prefix of it, like `LG`) is selected.
    pub fn selects(&self, code: &str) -> bool {
        self.select.is_empty()
            || self.select.iter().any(|prefix| {
                code.len() >= prefix.len() && code[..prefix.len()].eq_ignore_ascii_case(prefix)
                    || prefix.len() > code.len() && prefix[..code.len()].eq_ignore_ascii_case(code)
            })
    }

    /// The log detectors the selection enables (each enabled when any of its rules is).
    fn detectors(&self) -> Vec<Box<dyn Detector>> {
        all_detectors()
            .into_iter()
            .filter(|detector| detector.rules().iter().any(|rule| self.selects(rule.code)))
            .collect()
    }

    /// Whether authentication events are read at all.
    fn reads_logins(&self) -> bool {
        self.selects("LG")
    }
}

/// Counts for the report and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct ScanStats {
    /// Files read.
    pub files: u64,
    /// Decompressed bytes read.
    pub bytes: u64,
    /// Lines seen.
    pub lines: u64,
    /// Lines that passed the prefilter.
    pub candidates: u64,
    /// Candidate lines without a syslog header kensa understood.
    pub unparsed: u64,
    /// Authentication events (failures, successes, sessions) read.
    pub auth_events: u64,
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Findings, merged across files (the same message in maillog and syslog is one).
    pub findings: Vec<Finding>,
    /// What could not be read or understood.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub stats: ScanStats,
    /// Each file read, with its lines and the time span it covers, in scan order.
    pub files: Vec<ExaminedFile>,
}

/// Scans every set with every log detector.
///
/// Authentication events are the exception to "one set, one detector state": a guessing
/// attack in `auth.log` may end with a login that only `wtmp` records, so each set's
/// guessing state is merged into one before the findings are made.
pub fn scan_logs(sets: &[LogSet], login_files: &[LoginFileRef], config: &ScanConfig) -> ScanResult {
    scan(sets, login_files, config, None, &NoProgress).0
}

/// Like [`scan_logs`], continuing where earlier runs stopped (see [`Resume`]): each file
/// is read from its start point, a plain file only up to its last complete line (the
/// rest is being written), and the detectors begin with the open state the last run
/// left. Returns, besides the result, what the next run needs ([`Saved`]).
///
/// The findings are all those the detectors hold at the end, including those made from
/// restored state: telling new from already reported is the caller's business.
pub fn scan_logs_incremental(
    sets: &[LogSet],
    login_files: &[LoginFileRef],
    config: &ScanConfig,
    resume: &Resume,
    progress: &dyn Progress,
) -> (ScanResult, Saved) {
    scan(sets, login_files, config, Some(resume), progress)
}

/// [`scan_logs`], reporting progress in bytes on disk: the total is the files' sizes;
/// plain files advance a megabyte at a time as they are read, compressed ones when they
/// are done (their decompressed position says little about the compressed bytes read).
pub fn scan_logs_with_progress(
    sets: &[LogSet],
    login_files: &[LoginFileRef],
    config: &ScanConfig,
    progress: &dyn Progress,
) -> ScanResult {
    scan(sets, login_files, config, None, progress).0
}

/// Where an incremental run starts, and what the runs before it left open.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    /// Start point per file (by path); a file not named is read from its beginning.
    pub files: HashMap<PathBuf, FileStart>,
    /// Open detector state per set (by [`LogSet::name`]).
    pub sets: HashMap<String, SetState>,
    /// Login record files unchanged since the last run (by path), with the guessing
    /// state their events made then: they are not read again. The others are read
    /// whole, into a fresh state (a binary record file is small, and re-reading it
    /// whole never counts an event twice).
    pub login_files: HashMap<PathBuf, String>,
}

/// Where to start in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStart {
    /// Already read to its end (a compressed rotation whose content is known).
    Skip,
    /// At this byte offset of the decompressed text, which is the start of this
    /// 1-based line.
    At {
        /// Byte offset.
        offset: u64,
        /// Line number of the line starting there.
        line: u64,
    },
}

/// The open state of one set's detectors, as saved between runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SetState {
    /// Per detector (keyed by the code of its first rule), its JSON state.
    pub detectors: BTreeMap<String, String>,
    /// The set's password-guessing state (JSON).
    pub guessing: Option<String>,
    /// The local date-time of the last dated line read (the year tracker's position).
    pub year_at: Option<String>,
}

/// How far one file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    /// The file.
    pub path: PathBuf,
    /// Whether it was stored compressed (then it was read to its end).
    pub compressed: bool,
    /// The next byte to read, in the decompressed text.
    pub offset: u64,
    /// The line number of the line starting at `offset`.
    pub line: u64,
}

/// What an incremental run leaves for the next one.
#[derive(Debug, Clone, Default)]
pub struct Saved {
    /// Every file read, with how far.
    pub files: Vec<FileProgress>,
    /// Per set name, the detectors' open state.
    pub sets: BTreeMap<String, SetState>,
    /// Per login record file, the guessing state its events made.
    pub login_files: BTreeMap<PathBuf, String>,
}

fn scan(
    sets: &[LogSet],
    login_files: &[LoginFileRef],
    config: &ScanConfig,
    resume: Option<&Resume>,
    progress: &dyn Progress,
) -> (ScanResult, Saved) {
    // Login records are read only for the password-guessing rules.
    let login_files = if config.reads_logins() {
        login_files
    } else {
        &[]
    };
    let login_sizes: Vec<u64> = login_files
        .iter()
        .map(|file| file.location.lstat().map_or(0, |m| m.len))
        .collect();
    progress.add_total(
        sets.iter()
            .flat_map(|set| &set.files)
            .map(|file| file.len)
            .chain(login_sizes.iter().copied())
            .sum(),
    );
    let prefilter = build_prefilter(config);
    let per_set: Vec<SetOutput> = sets
        .par_iter()
        .map(|set| scan_set(set, config, &prefilter, resume, progress))
        .collect();
    let mut result = ScanResult::default();
    let mut saved = Saved::default();
    let mut findings = Vec::new();
    let mut guessing = GuessingDetectors::new(config.guessing.clone());
    for (set, output) in sets.iter().zip(per_set) {
        let SetOutput {
            result: set_result,
            guessing: set_guessing,
            read_to,
            mut state,
        } = output;
        if resume.is_some() {
            state.guessing = set_guessing.save_state();
            saved.files.extend(read_to);
            saved.sets.insert(set.name.clone(), state);
        }
        findings.extend(set_result.findings);
        result.diagnostics.extend(set_result.diagnostics);
        result.stats.files += set_result.stats.files;
        result.stats.bytes += set_result.stats.bytes;
        result.stats.lines += set_result.stats.lines;
        result.stats.candidates += set_result.stats.candidates;
        result.stats.unparsed += set_result.stats.unparsed;
        result.stats.auth_events += set_result.stats.auth_events;
        result.files.extend(set_result.files);
        guessing.merge(set_guessing);
    }
    for (file, size) in login_files.iter().zip(login_sizes) {
        let unchanged = resume.and_then(|r| r.login_files.get(&file.location.identity()));
        if let Some(state) = unchanged {
            match GuessingDetectors::restore_state(state, config.guessing.clone()) {
                Ok(from_file) => {
                    saved
                        .login_files
                        .insert(file.location.identity().clone(), state.clone());
                    guessing.merge_second_witness(from_file);
                    progress.advance(size);
                    continue;
                }
                Err(err) => result.diagnostics.push(Diagnostic::say(
                    DiagnosticLevel::Note,
                    file.display.clone(),
                    None,
                    tr!(
                        "saved state unusable ({err}); the file is read again",
                        "保存された状態を使えません（{err}）。ファイルを読み直します"
                    ),
                )),
            }
        }
        let mut from_file = GuessingDetectors::new(config.guessing.clone());
        let mut diagnostics = Vec::new();
        let mut span = Span::default();
        let events = login_records::read_events(
            file,
            &config.default_host,
            &config.tz,
            &mut diagnostics,
            &mut |event| {
                span.widen(event.time);
                let instant = event.time.map(|t| t.instant);
                let outside = instant.is_some_and(|i| {
                    config.since.is_some_and(|since| i < since)
                        || config.until.is_some_and(|until| i > until)
                });
                if !outside {
                    if let Some(tap) = &config.tap {
                        tap.0.event(&event);
                    }
                    from_file.observe(&event);
                }
            },
        );
        result.stats.files += 1;
        result.stats.auth_events += events;
        result.files.push(ExaminedFile {
            file: file.display.clone(),
            lines: 0,
            bytes: size,
            first: span.first,
            last: span.last,
        });
        progress.advance(size);
        result.diagnostics.extend(diagnostics);
        if resume.is_some()
            && let Some(state) = from_file.save_state()
        {
            saved
                .login_files
                .insert(file.location.identity().clone(), state);
        }
        // After every log: the records are a second witness of what they logged.
        guessing.merge_second_witness(from_file);
    }
    findings.extend(guessing.finish());
    findings.retain(|finding| config.selects(finding.code));
    result.findings = merge_findings(findings);
    (result, saved)
}

/// One set's result and its password-guessing state, merged with the others' later.
struct SetOutput {
    result: ScanResult,
    guessing: GuessingDetectors,
    /// How far each file was read (incremental runs only).
    read_to: Vec<FileProgress>,
    /// The detectors' open state (incremental runs only; `guessing` filled in later).
    state: SetState,
}

/// The prefilter of the lines read: the rules' candidates, and the tap's own.
fn build_prefilter(config: &ScanConfig) -> Prefilter {
    let mut needles = rule_needles(config);
    if let Some(tap) = &config.tap {
        needles.extend(tap.0.extra_needles().iter().copied());
    }
    Prefilter::new(needles)
}

fn rule_needles(config: &ScanConfig) -> BTreeSet<&'static str> {
    let mut needles: BTreeSet<&'static str> = BTreeSet::new();
    if config.reads_logins() {
        needles.extend(auth_parsers::NEEDLES.iter().copied());
    }
    for detector in config.detectors() {
        needles.extend(detector.needles().iter().copied());
    }
    needles
}

/// When a tap added needles of its own: the rules' prefilter, which tells the lines
/// only the tap wanted (they reach the tap alone, so the rules see what they would
/// without it).
pub(super) fn rules_only_prefilter(config: &ScanConfig) -> Option<Prefilter> {
    let tap = config.tap.as_ref()?;
    (!tap.0.extra_needles().is_empty()).then(|| Prefilter::new(rule_needles(config)))
}

/// Joins findings of the same rule, host and merge key (the same event logged in two
/// files); findings without a merge key stay as they are.
fn merge_findings(findings: Vec<Finding>) -> Vec<Finding> {
    let mut merged: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut index: BTreeMap<(&'static str, String, String), usize> = BTreeMap::new();
    for finding in findings {
        if finding.merge_key.is_empty() {
            merged.push(finding);
            continue;
        }
        let key = (
            finding.code,
            finding.host.clone(),
            finding.merge_key.clone(),
        );
        match index.get(&key) {
            Some(&i) => merged[i].absorb(finding),
            None => {
                index.insert(key, merged.len());
                merged.push(finding);
            }
        }
    }
    merged
}

/// The earliest and latest times seen in one file.
#[derive(Default)]
struct Span {
    first: Option<LogTime>,
    last: Option<LogTime>,
}

impl Span {
    fn widen(&mut self, time: Option<LogTime>) {
        if let Some(time) = time {
            self.first = Some(self.first.map_or(time, |t| t.min(time)));
            self.last = Some(self.last.map_or(time, |t| t.max(time)));
        }
    }
}

fn scan_set(
    set: &LogSet,
    config: &ScanConfig,
    prefilter: &Prefilter,
    resume: Option<&Resume>,
    progress: &dyn Progress,
) -> SetOutput {
    match set.format {
        LogFormat::Journal => {
            return journal::read_journal_set(set, config, prefilter, resume, progress);
        }
        LogFormat::Audit => return audit::read_audit_set(set, config, resume, progress),
        LogFormat::Text => {}
    }
    let mut diagnostics = Vec::new();
    let restored = resume.and_then(|r| r.sets.get(&set.name));
    // A set read before continues the year where the last run left it; the plan from
    // file heads and mtimes is for a set seen whole.
    let tracked = restored
        .and_then(|state| state.year_at.as_deref())
        .and_then(|at| at.parse::<jiff::civil::DateTime>().ok());
    let mut planned = None;
    let resolver = match tracked {
        Some(at) => YearResolver::resume(at, config.tz.clone()),
        None => {
            let start_year = plan_start_year(set, config, &mut diagnostics);
            planned = Some(start_year);
            YearResolver::new(start_year, config.tz.clone())
        }
    };
    let mut output = read_set(
        set,
        config,
        prefilter,
        resolver,
        resume,
        progress,
        &mut diagnostics,
    );
    if crate::tamper::TIMELINE_CODES
        .iter()
        .any(|code| config.selects(code))
    {
        // The time-line checks read the whole set again (a second, header-only pass).
        let start_year = planned.unwrap_or_else(|| plan_start_year(set, config, &mut Vec::new()));
        let findings = crate::tamper::timeline::check_set(
            set,
            &config.tz,
            start_year,
            &config.default_host,
            &mut diagnostics,
        );
        output.result.findings.extend(findings);
    }
    output.result.diagnostics.splice(0..0, diagnostics);
    output
}

/// The end of the last complete line of a plain file at or after `from`: an
/// incremental run leaves a line still being written for the next run.
fn complete_lines_end(file: &mut kensa_fs::RootFile, from: u64) -> std::io::Result<u64> {
    let len = file.len()?;
    let mut end = len;
    let mut block = vec![0u8; 64 * 1024];
    while end > from {
        let start = end.saturating_sub(block.len() as u64).max(from);
        let want = (end - start) as usize;
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut block[..want])?;
        if let Some(i) = memchr::memrchr(b'\n', &block[..want]) {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(from)
}

/// Opens one file of a set for reading from `start`: the decoded stream positioned
/// there, whether it is compressed, and (incremental runs, plain files) cut at its last
/// complete line.
fn open_at(
    location: &kensa_fs::Location,
    start: u64,
    incremental: bool,
) -> std::io::Result<(Box<dyn Read + Send>, Compression)> {
    let decoded = decode::open(location)?;
    if decoded.compression == Compression::None && (incremental || start > 0) {
        drop(decoded);
        let mut plain = location.open()?;
        let end = if incremental {
            complete_lines_end(&mut plain, start)?
        } else {
            plain.len()?
        };
        plain.seek(SeekFrom::Start(start))?;
        return Ok((
            Box::new(plain.take(end.saturating_sub(start))),
            Compression::None,
        ));
    }
    let compression = decoded.compression;
    let mut reader = decoded.reader;
    if start > 0 {
        let skipped = std::io::copy(&mut reader.by_ref().take(start), &mut std::io::sink())?;
        if skipped < start {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("shorter ({skipped} bytes) than the {start} bytes read before"),
            ));
        }
    }
    Ok((reader, compression))
}

/// The year of the set's first year-less line: from the anchor (`--year`, else the
/// newest file's mtime) and the months sampled at each file's head, then corrected by
/// the year witnesses found in those heads when all of them ask for the same shift.
fn plan_start_year(set: &LogSet, config: &ScanConfig, diagnostics: &mut Vec<Diagnostic>) -> i16 {
    let heads: Vec<HeadSample> = set.files.iter().map(head_sample).collect();
    let first_months: Vec<Option<i8>> = heads.iter().map(|h| h.month).collect();
    let newest = set.files.last();
    let last_month = newest.and_then(last_month);
    let anchor = match (config.year, newest.and_then(|f| f.mtime), last_month) {
        (Some(year), _, _) => year,
        (None, Some(mtime), Some(month)) => year::anchor_year_from_mtime(month, mtime, &config.tz),
        (None, Some(mtime), None) => mtime.to_zoned_datetime(config.tz.clone()).year(),
        (None, None, _) => {
            diagnostics.push(Diagnostic::coded(
                DiagnosticLevel::Note,
                set.name.clone(),
                None,
                MessageCode::NoMtimeYear,
                Vec::new(),
            ));
            Timestamp::now().to_zoned_datetime(config.tz.clone()).year()
        }
    };
    let start = year::start_year(&first_months, last_month, anchor);
    if config.year.is_some() {
        return start;
    }
    // The planned year of each file's head, and what the witnesses there say.
    let mut witnesses = Witnesses::default();
    let mut head_year = start;
    let mut previous: Option<i8> = None;
    for head in &heads {
        if let Some(month) = head.month {
            if previous.is_some_and(|p| month < p) {
                head_year += 1;
            }
            previous = Some(month);
        }
        for &(stated_year, month) in &head.witnesses {
            let planned = head_year + i16::from(head.month.is_some_and(|first| month < first));
            match stated_year - planned {
                0 => witnesses.agree += 1,
                shift => *witnesses.shifts.entry(shift).or_default() += 1,
            }
        }
    }
    match witnesses.consistent_shift() {
        Some(shift) => {
            diagnostics.push(Diagnostic::coded(
                DiagnosticLevel::Note,
                set.name.clone(),
                None,
                MessageCode::YearShift,
                vec![("years", shift.abs().to_string())],
            ));
            start + shift
        }
        None => start,
    }
}

fn stamp_month(stamp: &Stamp) -> Option<i8> {
    match stamp {
        Stamp::Yearless { month, .. } => Some(*month),
        Stamp::Local(dt) | Stamp::Offset(dt, _) => Some(dt.month()),
        Stamp::Instant(_) => None,
    }
}

/// What the first 64 KiB of a file say about its dates.
#[derive(Default)]
struct HeadSample {
    /// Month of the first stamped line.
    month: Option<i8>,
    /// (year, month) of each year witness: a year-less line whose sendmail message-id
    /// states the local date.
    witnesses: Vec<(i16, i8)>,
}

fn head_sample(file: &LogFile) -> HeadSample {
    let mut sample = HeadSample::default();
    let Ok(mut decoded) = decode::open(&file.location) else {
        return sample;
    };
    let mut head = Vec::with_capacity(64 * 1024);
    decoded
        .reader
        .by_ref()
        .take(64 * 1024)
        .read_to_end(&mut head)
        .ok();
    for line in head.split(|&b| b == b'\n') {
        let Some(header) = syslog::parse(line) else {
            continue;
        };
        if sample.month.is_none() {
            sample.month = stamp_month(&header.stamp);
        }
        if let Stamp::Yearless { month, day, .. } = header.stamp
            && let Some((year, id_month, id_day)) = message_id_date(header.message)
            && (id_month, id_day) == (month, day)
        {
            sample.witnesses.push((year, month));
        }
    }
    sample
}

/// Month of the last stamped line of the file: its tail when stored plain, the whole
/// decompressed text otherwise.
fn last_month(file: &LogFile) -> Option<i8> {
    let decoded = decode::open(&file.location).ok()?;
    let mut tail = Vec::new();
    if decoded.compression == Compression::None {
        drop(decoded);
        let mut plain = file.location.open().ok()?;
        let len = plain.len().ok()?;
        plain
            .seek(SeekFrom::Start(len.saturating_sub(64 * 1024)))
            .ok()?;
        plain.take(64 * 1024).read_to_end(&mut tail).ok()?;
    } else {
        let mut last_good = None;
        let mut sink = |event: Event<'_>| {
            if let Event::Checkpoint(line) = event
                && let Some(month) = syslog::parse_stamp(line.raw).as_ref().and_then(stamp_month)
            {
                last_good = Some(month);
            }
        };
        let never = Prefilter::new([]);
        let mut reader = decoded.reader;
        scan::scan(&mut reader, "", &never, &mut sink);
        return last_good;
    }
    tail.rsplit(|&b| b == b'\n')
        .find_map(|line| syslog::parse_stamp(line).as_ref().and_then(stamp_month))
}

/// A reader that keeps the last [`TAIL`] bytes it passed on, so the file's last lines
/// can be read after a scan without reading (or decompressing) the file again.
struct TailKeeper<'a> {
    inner: &'a mut dyn Read,
    tail: Vec<u8>,
}

/// Bytes kept by [`TailKeeper`]: more than a few syslog lines.
const TAIL: usize = 4096;

impl Read for TailKeeper<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let fresh = &buf[..n];
        if fresh.len() >= TAIL {
            self.tail.clear();
            self.tail.extend_from_slice(&fresh[fresh.len() - TAIL..]);
        } else {
            let excess = (self.tail.len() + fresh.len()).saturating_sub(TAIL);
            self.tail.drain(..excess);
            self.tail.extend_from_slice(fresh);
        }
        Ok(n)
    }
}

impl TailKeeper<'_> {
    /// The stamp of the last stamped line kept (syslog or ctime).
    fn last_stamp(&self) -> Option<Stamp> {
        self.tail.rsplit(|&b| b == b'\n').find_map(stamp_of)
    }
}

/// The stamp a line starts with: a syslog header's or a ctime(3) one (xferlog).
fn stamp_of(line: &[u8]) -> Option<Stamp> {
    syslog::parse_stamp(line).or_else(|| ctime_header(line).map(|header| header.stamp))
}

/// Year witnesses: how many said the planned year was right, and the shifts the others
/// asked for.
#[derive(Default)]
struct Witnesses {
    agree: u64,
    shifts: BTreeMap<i16, u64>,
}

impl Witnesses {
    /// The shift every witness asks for, if they all ask for the same non-zero one.
    fn consistent_shift(&self) -> Option<i16> {
        if self.agree > 0 || self.shifts.len() != 1 {
            return None;
        }
        self.shifts
            .keys()
            .next()
            .copied()
            .filter(|&shift| shift != 0)
    }
}

fn read_set(
    set: &LogSet,
    config: &ScanConfig,
    prefilter: &Prefilter,
    mut resolver: YearResolver,
    resume: Option<&Resume>,
    progress: &dyn Progress,
    diagnostics: &mut Vec<Diagnostic>,
) -> SetOutput {
    let (mut detectors, mut guessing) = start_detectors(set, config, resume, diagnostics);
    let reads_logins = config.reads_logins();
    let rules_only = rules_only_prefilter(config);
    let mut auth_parser = AuthParser::default();
    let restored = resume.and_then(|r| r.sets.get(&set.name));
    let mut result = ScanResult::default();
    let mut nul_findings: Vec<Finding> = Vec::new();
    let mut read_to = Vec::new();

    for file in &set.files {
        let (start, start_line) = match resume.map(|r| r.files.get(&file.location.identity())) {
            Some(Some(FileStart::Skip)) => {
                progress.advance(file.len);
                continue;
            }
            Some(Some(&FileStart::At { offset, line })) => (offset, line),
            _ => (0, 1),
        };
        let opened = open_at(&file.location, start, resume.is_some());
        let (mut reader, compression) = match opened {
            Ok(opened) => opened,
            Err(err) => {
                result.diagnostics.push(cannot_read(&file.display, &err));
                progress.advance(file.len);
                continue;
            }
        };
        result.stats.files += 1;
        let mut span = Span::default();
        // Bytes reported so far: plain files report their position at each checkpoint
        // (a resumed one starts where the last run stopped).
        let plain = compression == Compression::None;
        let mut reported = if plain { start.min(file.len) } else { 0 };
        progress.advance(reported);
        let mut tail = TailKeeper {
            inner: &mut reader,
            tail: Vec::with_capacity(TAIL),
        };
        let mut nul_runs: Vec<Evidence> = Vec::new();
        let mut nul_run_count = 0u64;
        let mut stray_nuls = 0u64;
        let mut long_lines = 0u64;
        let mut first_long_line = 0u64;
        let summary = {
            let mut sink = |event: Event<'_>| match event {
                Event::Checkpoint(line) => {
                    if let Some(stamp) = syslog::parse_stamp(line.raw) {
                        span.widen(resolver.resolve(&stamp));
                    } else if span.first.is_none()
                        && let Some(header) = ctime_header(line.raw)
                    {
                        // A ctime-stamped log (xferlog): its first line starts the span.
                        span.widen(resolver.resolve(&header.stamp));
                    }
                    if plain && line.offset > reported {
                        progress.advance(line.offset.min(file.len) - reported.min(file.len));
                        reported = line.offset;
                    }
                }
                Event::Candidate(line) => {
                    let Some(header) = syslog::parse(line.raw).or_else(|| ctime_header(line.raw))
                    else {
                        result.stats.unparsed += 1;
                        return;
                    };
                    let time = resolver.resolve(&header.stamp);
                    span.widen(time);
                    if let Some(time) = time {
                        let instant = time.instant;
                        if config.since.is_some_and(|since| instant < since)
                            || config.until.is_some_and(|until| instant > until)
                        {
                            return;
                        }
                    }
                    let host = match header.host {
                        Some(host) if !is_exim_own_line(line.raw, header.program) => {
                            String::from_utf8_lossy(host)
                        }
                        _ => Cow::Borrowed(config.default_host.as_str()),
                    };
                    let record = Record {
                        at: line,
                        time,
                        host,
                        program: header.program,
                        pid: header.pid,
                        message: header.message,
                    };
                    if let Some(tap) = &config.tap
                        && rules_only.as_ref().is_some_and(|p| !p.is_match(line.raw))
                    {
                        tap.0.record(&record, None, false);
                        return;
                    }
                    for detector in detectors.iter_mut() {
                        detector.observe(&record);
                    }
                    let event = if reads_logins {
                        auth_parser.parse(&record)
                    } else {
                        None
                    };
                    if let Some(tap) = &config.tap {
                        tap.0.record(&record, event.as_ref(), true);
                    }
                    if let Some(event) = event {
                        result.stats.auth_events += 1;
                        guessing.observe(&event);
                    }
                }
                Event::NulRun { line, offset, len } if len >= MIN_NUL_RUN => {
                    nul_run_count += 1;
                    if nul_runs.len() >= MAX_NUL_EVIDENCE {
                        return;
                    }
                    nul_runs.push(Evidence::described(
                        &file.display,
                        line,
                        offset,
                        kensa_core::tr!("<{len} NUL bytes>", "<NUL バイト {len} 個>"),
                        None,
                    ));
                }
                Event::NulRun { .. } => stray_nuls += 1,
                Event::LongLine { line, .. } => {
                    long_lines += 1;
                    if first_long_line == 0 {
                        first_long_line = line;
                    }
                }
            };
            scan::scan_from(
                &mut tail,
                &file.display,
                prefilter,
                start,
                start_line,
                &mut sink,
            )
        };
        progress.advance(file.len.saturating_sub(reported.min(file.len)));
        // The span's end: the file's last stamped line, resolved now that the resolver
        // stands at the file's end.
        if let Some(stamp) = tail.last_stamp() {
            span.widen(resolver.resolve(&stamp));
        }
        if resume.is_some() {
            // A plain file was read up to a line end, so the next line starts there; a
            // compressed one was read to its end and is not resumed.
            read_to.push(FileProgress {
                path: file.location.identity().clone(),
                compressed: compression != Compression::None,
                offset: if summary.binary {
                    start
                } else {
                    start + summary.bytes
                },
                line: start_line + if summary.binary { 0 } else { summary.lines },
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
        if !nul_runs.is_empty() {
            let mut finding =
                cp001_log_nul_run::finding(&config.default_host, &file.display, nul_runs);
            finding.count = nul_run_count;
            nul_findings.push(finding);
        }
        if stray_nuls > 0 {
            result.diagnostics.push(Diagnostic::coded(
                DiagnosticLevel::Note,
                file.display.clone(),
                None,
                MessageCode::ShortNulRuns,
                vec![
                    ("count", stray_nuls.to_string()),
                    ("min", MIN_NUL_RUN.to_string()),
                ],
            ));
        }
    }
    result.findings.extend(nul_findings);
    let year_at = resolver
        .tracked()
        .map(|at| at.to_string())
        .or_else(|| restored.and_then(|r| r.year_at.clone()));
    finish_set(detectors, guessing, resume, year_at, result, read_to)
}

/// A set's detectors and password-guessing state, continuing from what earlier runs
/// saved for the set when there is such a state.
fn start_detectors(
    set: &LogSet,
    config: &ScanConfig,
    resume: Option<&Resume>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Box<dyn Detector>>, GuessingDetectors) {
    let mut detectors = config.detectors();
    let restored = resume.and_then(|r| r.sets.get(&set.name));
    let mut guessing = GuessingDetectors::new(config.guessing.clone());
    if let Some(state) = restored {
        let mut unusable = Vec::new();
        for detector in detectors.iter_mut() {
            let key = detector_key(detector.as_ref());
            if let Some(saved) = state.detectors.get(key)
                && let Err(err) = detector.restore_state(saved)
            {
                unusable.push(format!("{key}: {err}"));
            }
        }
        if let Some(saved) = &state.guessing {
            match GuessingDetectors::restore_state(saved, config.guessing.clone()) {
                Ok(restored) => guessing = restored,
                Err(err) => unusable.push(format!("LG: {err}")),
            }
        }
        if !unusable.is_empty() {
            let unusable = unusable.join("; ");
            diagnostics.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                set.name.clone(),
                None,
                tr!(
                    "saved detector state unusable ({unusable}); attacks split across runs may \
                     be missed",
                    "保存された検出器の状態を使えません（{unusable}）。複数回の実行にまたがる攻撃\
                     を見逃すおそれがあります"
                ),
            ));
        }
    }
    (detectors, guessing)
}

/// The set's findings and, for an incremental run, the open state to save.
fn finish_set(
    mut detectors: Vec<Box<dyn Detector>>,
    guessing: GuessingDetectors,
    resume: Option<&Resume>,
    year_at: Option<String>,
    mut result: ScanResult,
    read_to: Vec<FileProgress>,
) -> SetOutput {
    let mut state = SetState::default();
    if resume.is_some() {
        for detector in &detectors {
            if let Some(saved) = detector.save_state() {
                state
                    .detectors
                    .insert(detector_key(detector.as_ref()).to_string(), saved);
            }
        }
        state.year_at = year_at;
    }
    for detector in detectors.iter_mut() {
        result.findings.extend(detector.finish());
    }
    SetOutput {
        result,
        guessing,
        read_to,
        state,
    }
}

/// A file that could not be opened: named, so nothing is skipped in silence.
fn cannot_read(display: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::coded_localized(
        DiagnosticLevel::Error,
        display.to_string(),
        None,
        MessageCode::CannotRead,
        vec![("error", kensa_core::error_text(err))],
    )
}

/// A file whose first chunk is binary data, not text lines.
/// What reading one text file (syslog or audit log) amounted to, added to its set's
/// result: the file as examined, its counts, and the diagnostics of a read stopped early
/// and of long lines (`long`: how many, and the first). A binary file is not examined:
/// its diagnostic is added and the answer is false.
fn add_text_file(
    result: &mut ScanResult,
    display: &str,
    compression: Compression,
    summary: &scan::ScanSummary,
    span: &Span,
    long: (u64, u64),
) -> bool {
    if summary.binary {
        result.diagnostics.push(not_text(display));
        return false;
    }
    result.files.push(ExaminedFile {
        file: display.to_string(),
        lines: summary.lines,
        bytes: summary.bytes,
        first: span.first,
        last: span.last,
    });
    result.stats.bytes += summary.bytes;
    result.stats.lines += summary.lines;
    result.stats.candidates += summary.candidates;
    if let Some(err) = &summary.error {
        result
            .diagnostics
            .push(stopped_early(display, compression, summary, err));
    }
    let (long_lines, first_long_line) = long;
    if long_lines > 0 {
        result
            .diagnostics
            .push(long_lines_note(display, long_lines, Some(first_long_line)));
    }
    true
}

fn not_text(display: &str) -> Diagnostic {
    Diagnostic::coded(
        DiagnosticLevel::Warning,
        display.to_string(),
        None,
        MessageCode::BinaryFile,
        Vec::new(),
    )
}

/// A read that stopped at `err` (a truncated or corrupt file): where, and that the lines
/// before it were read.
fn stopped_early(
    display: &str,
    compression: Compression,
    summary: &scan::ScanSummary,
    err: &std::io::Error,
) -> Diagnostic {
    let (code, mut args) = match compression {
        Compression::None => (MessageCode::ReadError, vec![]),
        other => (
            MessageCode::TruncatedCompressed,
            vec![("format", kensa_core::Localized::verbatim(other.as_str()))],
        ),
    };
    args.push((
        "bytes",
        kensa_core::Localized::verbatim(summary.bytes.to_string()),
    ));
    args.push(("error", kensa_core::error_text(err)));
    Diagnostic::coded_localized(
        DiagnosticLevel::Warning,
        display.to_string(),
        Some(summary.lines.max(1)),
        code,
        args,
    )
}

/// Lines longer than the cap, of which only the start was read.
fn long_lines_note(display: &str, count: u64, first: Option<u64>) -> Diagnostic {
    Diagnostic::coded(
        DiagnosticLevel::Note,
        display.to_string(),
        first,
        MessageCode::LongLines,
        vec![
            ("count", count.to_string()),
            ("kib", (MAX_LINE / 1024).to_string()),
        ],
    )
}

/// The name a detector's saved state goes by: the code of its first rule.
fn detector_key(detector: &dyn Detector) -> &'static str {
    detector.rules().first().map_or("", |rule| rule.code)
}

/// A line with a stamp of its own (xferlog, vsftpd's own log, CLF) as a header without
/// host or program ([`syslog::own_stamp_header`]).
fn ctime_header(line: &[u8]) -> Option<syslog::Header<'_>> {
    syslog::own_stamp_header(line)
}

/// `QID: message-id=<9612312359.QID@host>` (or `msgid=<199612312359.QID@host>`): the
/// local date sendmail put into a message-id it generated itself. The queue id after the
/// digits must be the line's own, which tells a local id from a remote one.
fn message_id_date(message: &[u8]) -> Option<(i16, i8, i8)> {
    let colon = memchr::memmem::find(message, b": ")?;
    let qid = &message[..colon];
    if qid.is_empty() || !qid.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let rest = &message[colon + 2..];
    let rest = rest
        .strip_prefix(b"message-id=<")
        .or_else(|| memchr::memmem::find(rest, b"msgid=<").map(|i| &rest[i + 7..]))?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let after = &rest[digits..];
    if !(after.first() == Some(&b'.')
        && after[1..].starts_with(qid)
        && after.get(1 + qid.len()) == Some(&b'@'))
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        std::str::from_utf8(rest.get(range)?).ok()?.parse().ok()
    };
    let (year, at) = match digits {
        10 => {
            let yy = number(0..2)?;
            (if yy < 70 { 2000 + yy } else { 1900 + yy }, 2)
        }
        12 => (number(0..4)?, 4),
        _ => return None,
    };
    let month = i8::try_from(number(at..at + 2)?).ok()?;
    let day = i8::try_from(number(at + 2..at + 4)?).ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// Whether a line is exim's own log's (`mainlog`: `YYYY-MM-DD HH:MM:SS TEXT`, no host,
/// no program), whose first word the syslog header parser takes for a host: exim's
/// message id or authenticator name, not a machine. Such lines are the machine's whose
/// logs these are, as records without a host are.
fn is_exim_own_line(raw: &[u8], program: &[u8]) -> bool {
    program.is_empty()
        && raw.len() > 20
        && raw.get(4) == Some(&b'-')
        && raw.get(7) == Some(&b'-')
        && raw.get(10) == Some(&b' ')
        && raw.get(13) == Some(&b':')
        && raw.get(19) == Some(&b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_date_of_a_local_message_id() {
        assert_eq!(
            message_id_date(b"AA07496: message-id=<9612312359.AA07496@mailhub.example.ac.jp>"),
            Some((1996, 12, 31))
        );
        assert_eq!(
            message_id_date(b"KAA07496: message-id=<199701010000.KAA07496@ns1.example.ac.jp>"),
            Some((1997, 1, 1))
        );
        // A remote message-id, another message's queue id, and a bad date say nothing.
        assert_eq!(
            message_id_date(b"AA05806: message-id=<629586065.52837@beta32.example.com>"),
            None
        );
        assert_eq!(
            message_id_date(b"AA05806: message-id=<9612312359.AA07496@mailhub>"),
            None
        );
        assert_eq!(
            message_id_date(b"AA07496: message-id=<9613312359.AA07496@mailhub>"),
            None
        );
    }

    /// Progress as the CLI's bar sees it: the total announced and every advance.
    #[derive(Default)]
    struct Recorder {
        total: std::sync::atomic::AtomicU64,
        done: std::sync::atomic::AtomicU64,
        calls: std::sync::atomic::AtomicU64,
    }

    impl Progress for Recorder {
        fn add_total(&self, total: u64) {
            self.total
                .fetch_add(total, std::sync::atomic::Ordering::Relaxed);
        }
        fn advance(&self, done: u64) {
            self.done
                .fetch_add(done, std::sync::atomic::Ordering::Relaxed);
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[test]
    fn progress_counts_bytes_on_disk_and_files_record_their_span() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("var/log");
        std::fs::create_dir_all(&log).unwrap();
        // A plain log of about 3 MiB (three chunks: progress moves within it) and a
        // gzip rotation (progress moves when it is done).
        let mut plain = String::new();
        let mut n = 0;
        while plain.len() < 3 << 20 {
            let minute = n / 60 % 60;
            plain.push_str(&format!(
                "Jan  2 {:02}:{minute:02}:{:02} mailhub sendmail[{n}]: AA{n:05}: from=root, size=1, class=0\n",
                n / 3600 % 24,
                n % 60
            ));
            n += 1;
        }
        std::fs::write(log.join("syslog"), &plain).unwrap();
        std::fs::write(
            log.join("syslog.1"),
            "Dec 31 23:59:58 mailhub sendmail[1]: AA00001: from=root, size=1, class=0\n\
             Jan  1 00:00:02 mailhub sendmail[1]: AA00001: to=root, stat=Sent\n",
        )
        .unwrap();
        let status = std::process::Command::new("gzip")
            .arg(log.join("syslog.1"))
            .status()
            .expect("gzip runs");
        assert!(status.success());
        let mut diagnostics = Vec::new();
        let sets =
            kensa_logs::source::discover(&kensa_testkit::root_at(dir.path()), &mut diagnostics);
        let config = ScanConfig {
            tz: TimeZone::get("Asia/Tokyo").unwrap(),
            default_host: "mailhub".into(),
            year: Some(1997),
            since: None,
            until: None,
            guessing: GuessingConfig::default(),
            select: Vec::new(),
            tap: None,
        };
        let recorder = Recorder::default();
        let result = scan_logs_with_progress(&sets, &[], &config, &recorder);
        let on_disk: u64 = ["syslog", "syslog.1.gz"]
            .iter()
            .map(|name| std::fs::metadata(log.join(name)).unwrap().len())
            .sum();
        let total = recorder.total.load(std::sync::atomic::Ordering::Relaxed);
        assert_eq!(total, on_disk);
        assert_eq!(
            recorder.done.load(std::sync::atomic::Ordering::Relaxed),
            total
        );
        assert!(recorder.calls.load(std::sync::atomic::Ordering::Relaxed) >= 4);
        let files: Vec<(&str, u64, String, String)> = result
            .files
            .iter()
            .map(|f| {
                (
                    f.file.as_str(),
                    f.lines,
                    f.first.unwrap().to_string(),
                    f.last.unwrap().to_string(),
                )
            })
            .collect();
        let last = format!(
            "1997-01-02T{:02}:{:02}:{:02}+09:00",
            (n - 1) / 3600 % 24,
            (n - 1) / 60 % 60,
            (n - 1) % 60
        );
        assert_eq!(
            files,
            [
                (
                    "var/log/syslog.1.gz",
                    2,
                    "1996-12-31T23:59:58+09:00".to_string(),
                    "1997-01-01T00:00:02+09:00".to_string()
                ),
                (
                    "var/log/syslog",
                    n,
                    "1997-01-02T00:00:00+09:00".to_string(),
                    last
                ),
            ]
        );

        // Login records count only when they are read (the guessing rules run).
        std::fs::write(log.join("btmp"), vec![0u8; 384]).unwrap();
        let btmp = LoginFileRef::in_root(
            &kensa_testkit::root_at(dir.path()),
            "var/log/btmp".into(),
            login_records::LoginFileKind::Failures,
        );
        for (select, with_btmp) in [(vec![], true), (vec!["SM".to_string()], false)] {
            let config = ScanConfig {
                select,
                ..config.clone()
            };
            let recorder = Recorder::default();
            let result =
                scan_logs_with_progress(&sets, std::slice::from_ref(&btmp), &config, &recorder);
            let total = recorder.total.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(total, on_disk + if with_btmp { 384 } else { 0 });
            assert_eq!(
                recorder.done.load(std::sync::atomic::Ordering::Relaxed),
                total
            );
            assert_eq!(
                result.files.iter().any(|f| f.file == "var/log/btmp"),
                with_btmp
            );
        }
    }

    #[test]
    fn witnesses_must_agree_on_one_shift() {
        let mut w = Witnesses::default();
        w.shifts.insert(-29, 5);
        assert_eq!(w.consistent_shift(), Some(-29));
        w.agree = 1;
        assert_eq!(w.consistent_shift(), None);
        w.agree = 0;
        w.shifts.insert(1, 1);
        assert_eq!(w.consistent_shift(), None);
    }
}
