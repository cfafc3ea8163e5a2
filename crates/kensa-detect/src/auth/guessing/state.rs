//! What the guessing detectors remember, per source and per account, and how two
//! memories of the same host are joined.
//!
//! Everything here is bounded by construction: a source keeps at most
//! [`MAX_NAMES`] account names (and a 1024-bit sketch that estimates how many more there
//! were), [`BURST_RING`] recent failure times, three first and three last failure lines,
//! [`MAX_SUCCESSES`] success records; an account keeps at most [`MAX_ACCOUNT_SOURCES`]
//! sources and [`MAX_LOGINS`] login addresses. How many states are kept at once is the
//! caller's business (`GuessingDetectors` evicts the least recently seen).
//!
//! **Duplicates.** A syslog daemon often writes one message to two files (`maillog` and
//! `syslog`, `messages` and `syslog`), and btmp repeats what sshd logged; kensa reads
//! each rotation set with its own detectors and merges them. Two memories of the same
//! source are therefore joined per service: when both saw the same service from the same
//! source over overlapping time, they saw (mostly) the same events, and the larger count
//! is kept rather than the sum; when their times do not overlap, the counts add up.
//! Evidence lines and success records that are identical (same time, same text) are kept
//! once. The cost is an undercount — never an overcount — when two files hold *different*
//! events of one service and source over the same hours, which no routing we know does.

use super::config::GuessingConfig;
use crate::auth::{AuthEvent, Service};
use kensa_core::{Evidence, LogTime};
use memchr::memmem;
use std::collections::VecDeque;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

/// Account names kept per source (the rest are counted by the sketch).
pub const MAX_NAMES: usize = 20;
/// Recent failure times kept per source for the burst window.
pub const BURST_RING: usize = 64;
/// Failure lines kept at the start and at the end of a source's run.
pub const EDGE_LINES: usize = 3;
/// Success records kept per source.
pub const MAX_SUCCESSES: usize = 8;
/// Sources kept per account.
pub const MAX_ACCOUNT_SOURCES: usize = 64;
/// Login addresses (first login from each) kept per account.
pub const MAX_LOGINS: usize = 16;
/// Accounts a source logged in as, remembered to recognise a usual address.
pub const MAX_GOOD_USERS: usize = 16;
/// Bytes of an evidence line kept; the file, line and offset point at the rest.
pub const MAX_EVIDENCE_TEXT: usize = 1024;
/// Bytes of an account name or source kept (a hostile name can be a megabyte).
pub const MAX_NAME_BYTES: usize = 128;
/// Two runs of one service within this many seconds of each other overlap.
const OVERLAP_SLACK_SECONDS: i64 = 60;

/// Cuts `text` to at most `max` bytes at a character boundary.
pub fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// A copy of an evidence line with its text capped.
pub fn keep_evidence(evidence: &Evidence) -> Evidence {
    let text = cut(&evidence.text, MAX_EVIDENCE_TEXT);
    let raw_hex = evidence
        .raw_hex
        .as_deref()
        .map(|hex| cut(hex, 2 * MAX_EVIDENCE_TEXT).to_string());
    Evidence {
        text_ja: None,
        file: evidence.file.clone(),
        line: evidence.line,
        offset: evidence.offset,
        text: text.to_string(),
        raw_hex,
        time: evidence.time,
        journal: evidence.journal.clone(),
    }
}

fn same_evidence(a: &Evidence, b: &Evidence) -> bool {
    a.time == b.time && a.text == b.text
}

fn min_time(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_time(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// How long after PAM's line for a try the daemon's own line for it may come.
const PAM_PAIR_SECONDS: i64 = 10;

/// Whether the event is Linux-PAM's `authentication failure;` line. sshd, login(1), su
/// and others log each wrong password twice — PAM's line, then their own (`Failed
/// password`, `FAILED LOGIN`, `FAILED SU`) — so a PAM line followed within
/// [`PAM_PAIR_SECONDS`] by the daemon's line for the same service (or one PAM's
/// `dovecot` may stand for, see [`Service::may_be`]) and account is one try, not two
/// (Wazuh ignores the sshd PAM line for the same reason: rule 5711). A PAM
/// line alone (a daemon that logs nothing of its own) still counts.
pub fn is_pam_summary(event: &AuthEvent) -> bool {
    static PAM_FAILURE: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"authentication failure; "));
    PAM_FAILURE.find(event.evidence.text.as_bytes()).is_some()
}

fn name_hash(name: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    cut(name, MAX_NAME_BYTES).hash(&mut hasher);
    hasher.finish()
}

/// Seconds from `a` to `b` (0 when either is unknown).
pub fn seconds_between(a: Option<LogTime>, b: Option<LogTime>) -> i64 {
    match (a, b) {
        (Some(a), Some(b)) => b.epoch_seconds().saturating_sub(a.epoch_seconds()),
        _ => 0,
    }
}

/// Account names, exactly up to [`MAX_NAMES`], then estimated.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Names {
    /// The first names, in order of first appearance.
    pub names: Vec<Box<str>>,
    /// A 1024-bit linear-counting sketch of every name seen.
    sketch: [u64; 16],
}

impl Names {
    /// Notes one name.
    pub fn insert(&mut self, name: &str) {
        let name = cut(name, MAX_NAME_BYTES);
        let mut hasher = DefaultHasher::new();
        name.hash(&mut hasher);
        let bit = (hasher.finish() % 1024) as usize;
        if let Some(word) = self.sketch.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
        if self.names.len() < MAX_NAMES && !self.names.iter().any(|n| &**n == name) {
            self.names.push(name.into());
        }
    }

    /// How many distinct names were seen: exact below [`MAX_NAMES`], estimated above.
    pub fn distinct(&self) -> u64 {
        if self.names.len() < MAX_NAMES {
            return self.names.len() as u64;
        }
        let zeros: u32 = self.sketch.iter().map(|w| w.count_zeros()).sum();
        let estimate = if zeros == 0 {
            // Saturated: at least this many.
            8 * 1024
        } else {
            (1024.0 * (1024.0 / f64::from(zeros)).ln()).round() as u64
        };
        estimate.max(self.names.len() as u64)
    }

    /// Takes in another set of names.
    pub fn merge(&mut self, other: &Names) {
        for (word, theirs) in self.sketch.iter_mut().zip(other.sketch.iter()) {
            *word |= theirs;
        }
        for name in &other.names {
            if self.names.len() >= MAX_NAMES {
                break;
            }
            if !self.names.contains(name) {
                self.names.push(name.clone());
            }
        }
    }
}

/// Failures of one service from one source.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ServiceRun {
    /// The service.
    pub service: Service,
    /// Failed guesses (a line may stand for several).
    pub failures: u64,
    /// Lines that said so.
    pub lines: u64,
    /// First and last failure.
    pub first: Option<LogTime>,
    /// See `first`.
    pub last: Option<LogTime>,
}

/// Whether the span `outer` holds the span `inner` (give or take the slack for clocks
/// of two writers); without times, whether both have none.
fn covers(
    outer: (Option<LogTime>, Option<LogTime>),
    inner: (Option<LogTime>, Option<LogTime>),
) -> bool {
    match (outer, inner) {
        ((Some(a0), Some(a1)), (Some(b0), Some(b1))) => {
            a0.epoch_seconds() <= b0.epoch_seconds() + OVERLAP_SLACK_SECONDS
                && b1.epoch_seconds() <= a1.epoch_seconds() + OVERLAP_SLACK_SECONDS
        }
        ((None, None), (None, None)) => true,
        _ => false,
    }
}

impl ServiceRun {
    fn overlaps(&self, other: &ServiceRun) -> bool {
        match (self.first, self.last, other.first, other.last) {
            (Some(a0), Some(a1), Some(b0), Some(b1)) => {
                a0.epoch_seconds() <= b1.epoch_seconds() + OVERLAP_SLACK_SECONDS
                    && b0.epoch_seconds() <= a1.epoch_seconds() + OVERLAP_SLACK_SECONDS
            }
            // Without times there is no telling; assume copies (never overcount).
            _ => true,
        }
    }

    fn merge(&mut self, other: &ServiceRun) {
        if self.overlaps(other) {
            self.failures = self.failures.max(other.failures);
            self.lines = self.lines.max(other.lines);
        } else {
            self.failures = self.failures.saturating_add(other.failures);
            self.lines = self.lines.saturating_add(other.lines);
        }
        self.first = min_time(self.first, other.first);
        self.last = max_time(self.last, other.last);
    }
}

/// A login from a source, as the success-after-failures rule needs it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SuccessRecord {
    /// When.
    pub time: Option<LogTime>,
    /// As whom.
    pub user: Option<Box<str>>,
    /// Over what.
    pub service: Service,
    /// The line.
    pub evidence: Evidence,
    /// Failures from the same source since its previous login (within the success
    /// window), as the file that logged the login saw them.
    pub failures_before: u64,
    /// The last of those failures.
    pub last_failure: Option<LogTime>,
    /// Whether the source had logged in as this account before those failures.
    pub known_address: bool,
}

impl SuccessRecord {
    /// One or two failures (`typo_max_failures`), then this login within `typo_seconds`
    /// or from an address the account had used before: a typo.
    pub fn is_typo(&self, config: &GuessingConfig) -> bool {
        if self.failures_before == 0 || self.failures_before > u64::from(config.typo_max_failures) {
            return false;
        }
        let quick = self.last_failure.is_some()
            && self.time.is_some()
            && u64::try_from(seconds_between(self.last_failure, self.time))
                .is_ok_and(|gap| gap <= config.typo_seconds);
        quick || self.known_address
    }
}

/// Whether a burst was seen, and its peak.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct BurstMark {
    /// Most failures seen within one burst window.
    pub peak: u64,
}

/// Everything kept about one source (an address, or `local:USER` for su) on one host.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceState {
    /// The host that logged it.
    pub host: Box<str>,
    /// The address as logged, or `local:USER`.
    pub source: Box<str>,
    /// Eviction clock of the last event.
    pub tick: u64,
    /// Failures per service.
    pub runs: Vec<ServiceRun>,
    /// Accounts tried (failures only).
    pub users: Names,
    /// Recent failures (epoch second, count), for the burst window.
    ring: VecDeque<(i64, u64)>,
    /// Set once `burst_failures` fell within `burst_window_seconds`.
    pub burst: Option<BurstMark>,
    /// The first failure lines.
    pub first_lines: Vec<Evidence>,
    /// The last failure lines.
    pub last_lines: VecDeque<Evidence>,
    /// Failures since the last login, for the success record.
    pending: u64,
    pending_first: Option<LogTime>,
    pending_last: Option<LogTime>,
    /// The last PAM `authentication failure;` line not yet paired with its daemon's own
    /// failure line: (second, service, hash of the user).
    pam_try: Option<(i64, Service, u64)>,
    /// Failure lines that only named an account ([`AuthEvent::probe`]), and those that
    /// tried a credential: a source with the first and none of the second is probing
    /// accounts, not guessing (LG007).
    #[serde(default)]
    pub probe_lines: u64,
    /// See `probe_lines`.
    #[serde(default)]
    pub credential_lines: u64,
    /// Failures forgiven as typos: one or two, then a login as that account soon after
    /// or from an address it had used before. They do not count towards LG002/LG004, so
    /// that a user who mistypes once a day is not a slow guesser.
    pub forgiven: u64,
    /// Logins that followed failures, then any others (the most recent few).
    pub successes: Vec<SuccessRecord>,
    /// Logins not kept in `successes`.
    pub successes_dropped: u64,
    /// Accounts that logged in from here, with the first time.
    pub good_users: Vec<(Box<str>, Option<LogTime>)>,
    /// Remote root logins from here (LG006): count, services, first lines.
    pub root_logins: u64,
    /// Services of the root logins.
    pub root_services: Vec<Service>,
    /// The first root login lines.
    pub root_lines: Vec<Evidence>,
    /// First and last root login.
    pub root_first: Option<LogTime>,
    /// See `root_first`.
    pub root_last: Option<LogTime>,
}

impl SourceState {
    /// A fresh state.
    pub fn new(host: &str, source: &str) -> SourceState {
        SourceState {
            host: cut(host, MAX_NAME_BYTES).into(),
            source: cut(source, MAX_NAME_BYTES).into(),
            tick: 0,
            runs: Vec::new(),
            users: Names::default(),
            ring: VecDeque::new(),
            burst: None,
            first_lines: Vec::new(),
            last_lines: VecDeque::new(),
            pending: 0,
            pending_first: None,
            pending_last: None,
            pam_try: None,
            probe_lines: 0,
            credential_lines: 0,
            forgiven: 0,
            successes: Vec::new(),
            successes_dropped: 0,
            good_users: Vec::new(),
            root_logins: 0,
            root_services: Vec::new(),
            root_lines: Vec::new(),
            root_first: None,
            root_last: None,
        }
    }

    /// Whether every failure line of the source only named an account (LG007).
    pub fn only_probed(&self) -> bool {
        self.probe_lines > 0 && self.credential_lines == 0
    }

    /// Whether the source is on the host itself (a local user of su, a terminal of
    /// login), not an address.
    pub fn is_local(&self) -> bool {
        is_local_source(&self.source)
    }

    /// Total failures.
    pub fn failures(&self) -> u64 {
        self.runs.iter().map(|r| r.failures).sum()
    }

    /// First failure.
    pub fn first_failure(&self) -> Option<LogTime> {
        self.runs.iter().filter_map(|r| r.first).min()
    }

    /// Last failure.
    pub fn last_failure(&self) -> Option<LogTime> {
        self.runs.iter().filter_map(|r| r.last).max()
    }

    /// The first login from this source, as anyone.
    pub fn first_login(&self) -> Option<LogTime> {
        self.good_users.iter().filter_map(|(_, first)| *first).min()
    }

    /// Services that failed, in a stable order.
    pub fn services(&self) -> Vec<Service> {
        let mut services: Vec<Service> = self.runs.iter().map(|r| r.service).collect();
        services.sort();
        services
    }

    /// One failed guess (or `event.count` of them). Returns how many failures it added:
    /// fewer than the event says when PAM already counted the same try (see
    /// [`is_pam_summary`]).
    pub fn on_failure(&mut self, event: &AuthEvent, config: &GuessingConfig) -> u64 {
        let mut count = u64::from(event.count);
        let time = event.time;
        if event.probe {
            self.probe_lines = self.probe_lines.saturating_add(1);
        } else {
            self.credential_lines = self.credential_lines.saturating_add(1);
        }
        let user_hash = event.user.as_deref().map_or(0, name_hash);
        if is_pam_summary(event) {
            self.pam_try = time.map(|t| (t.epoch_seconds(), event.service, user_hash));
        } else if let (Some((pam_second, service, user)), Some(time)) = (self.pam_try, time)
            && service.may_be(event.service)
            && user == user_hash
            && (0..=PAM_PAIR_SECONDS).contains(&(time.epoch_seconds() - pam_second))
        {
            // The daemon's own line for the try PAM reported just before.
            count = count.saturating_sub(1);
            self.pam_try = None;
        }
        match self.runs.iter_mut().find(|r| r.service == event.service) {
            Some(run) => {
                run.failures = run.failures.saturating_add(count);
                run.lines = run.lines.saturating_add(1);
                run.first = min_time(run.first, time);
                run.last = max_time(run.last, time);
            }
            None => self.runs.push(ServiceRun {
                service: event.service,
                failures: count,
                lines: 1,
                first: time,
                last: time,
            }),
        }
        if let Some(user) = &event.user {
            self.users.insert(user);
        }
        self.pending = self.pending.saturating_add(count);
        self.pending_first = min_time(self.pending_first, time);
        self.pending_last = max_time(self.pending_last, time);
        if self.first_lines.len() < EDGE_LINES {
            self.first_lines.push(keep_evidence(&event.evidence));
        } else {
            self.last_lines.push_back(keep_evidence(&event.evidence));
            if self.last_lines.len() > EDGE_LINES {
                self.last_lines.pop_front();
            }
        }
        if let (Some(time), true) = (time, count > 0) {
            self.note_burst(time.epoch_seconds(), count, config);
        }
        count
    }

    /// Keeps the recent failure times and marks a burst when `burst_failures` of them
    /// fall within `burst_window_seconds` of the newest. Times may arrive a little out
    /// of order (two files of one set, clocks of a central log): the window is measured
    /// back from the newest time seen, not from the last event.
    fn note_burst(&mut self, second: i64, count: u64, config: &GuessingConfig) {
        match self.ring.back_mut() {
            Some(last) if last.0 == second => last.1 = last.1.saturating_add(count),
            _ => {
                if self.ring.len() >= BURST_RING {
                    // Fold the oldest entry into the next one, keeping the older time:
                    // the pair leaves the window early, so this can only undercount.
                    if let Some((oldest, c)) = self.ring.pop_front()
                        && let Some(next) = self.ring.front_mut()
                    {
                        next.0 = next.0.min(oldest);
                        next.1 = next.1.saturating_add(c);
                    }
                }
                self.ring.push_back((second, count));
            }
        }
        let newest = self.ring.iter().map(|e| e.0).max().unwrap_or(second);
        let window = i64::try_from(config.burst_window_seconds).unwrap_or(i64::MAX);
        let start = newest.saturating_sub(window);
        let in_window: u64 = self.ring.iter().filter(|e| e.0 >= start).map(|e| e.1).sum();
        // Entries older than the window can never count again.
        while self.ring.front().is_some_and(|e| e.0 < start) {
            self.ring.pop_front();
        }
        if in_window >= u64::from(config.burst_failures.max(1)) {
            let peak = self.burst.map_or(0, |b| b.peak).max(in_window);
            self.burst = Some(BurstMark { peak });
        }
    }

    /// A login from this source.
    pub fn on_success(&mut self, event: &AuthEvent, config: &GuessingConfig) {
        let user = event.user.as_deref().map(|u| cut(u, MAX_NAME_BYTES));
        let window = i64::try_from(config.success_window_seconds).unwrap_or(i64::MAX);
        let recent = self.pending > 0 && seconds_between(self.pending_last, event.time) <= window;
        let failures_before = if recent { self.pending } else { 0 };
        let known_address = user.is_some_and(|user| {
            self.good_users.iter().any(|(name, first)| {
                &**name == user
                    && match (first, self.pending_first) {
                        (Some(first), Some(failed)) => *first < failed,
                        _ => true,
                    }
            })
        });
        let record = SuccessRecord {
            time: event.time,
            user: user.map(Into::into),
            service: event.service,
            evidence: keep_evidence(&event.evidence),
            failures_before,
            last_failure: if recent { self.pending_last } else { None },
            known_address,
        };
        if record.is_typo(config) {
            self.forgiven = self.forgiven.saturating_add(record.failures_before);
        }
        self.keep_success(record);
        self.pending = 0;
        self.pending_first = None;
        self.pending_last = None;
        if let Some(user) = user {
            let room = self.good_users.len() < MAX_GOOD_USERS;
            match self.good_users.iter_mut().find(|(name, _)| &**name == user) {
                Some((_, first)) => *first = min_time(*first, event.time),
                None if room => {
                    self.good_users.push((user.into(), event.time));
                }
                None => {}
            }
            if user == "root" && is_remote_service(event.service) && !self.is_local() {
                self.root_logins = self.root_logins.saturating_add(1);
                if !self.root_services.contains(&event.service) {
                    self.root_services.push(event.service);
                }
                if self.root_lines.len() < EDGE_LINES {
                    self.root_lines.push(keep_evidence(&event.evidence));
                }
                self.root_first = min_time(self.root_first, event.time);
                self.root_last = max_time(self.root_last, event.time);
            }
        }
    }

    /// Keeps a success record: those after failures first (up to the cap), the others
    /// only while there is room, the newest replacing the oldest of their kind.
    fn keep_success(&mut self, record: SuccessRecord) {
        if self
            .successes
            .iter()
            .any(|s| s.time == record.time && same_evidence(&s.evidence, &record.evidence))
        {
            return;
        }
        if self.successes.len() < MAX_SUCCESSES {
            self.successes.push(record);
            return;
        }
        self.successes_dropped = self.successes_dropped.saturating_add(1);
        // Full: replace the oldest plain login (one that followed no failure).
        let plain = self
            .successes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.failures_before == 0)
            .min_by_key(|(_, s)| s.time)
            .map(|(i, _)| i);
        if let Some(i) = plain
            && let Some(slot) = self.successes.get_mut(i)
            && (record.failures_before > 0 || slot.time <= record.time)
        {
            *slot = record;
        }
    }

    /// Whether this memory already holds every failure run of `other`: the same services,
    /// over spans that hold `other`'s.
    pub fn witnessed(&self, other: &SourceState) -> bool {
        !other.runs.is_empty()
            && other.runs.iter().all(|theirs| {
                self.runs.iter().any(|mine| {
                    mine.service.may_be(theirs.service)
                        && covers((mine.first, mine.last), (theirs.first, theirs.last))
                })
            })
    }

    /// Forgets the failures, keeping the logins (for a second witness whose failures
    /// the logs already counted).
    pub fn drop_failures(&mut self) {
        self.runs.clear();
        self.users = Names::default();
        self.ring.clear();
        self.burst = None;
        self.first_lines.clear();
        self.last_lines.clear();
        self.pending = 0;
        self.pending_first = None;
        self.pending_last = None;
        self.pam_try = None;
        self.probe_lines = 0;
        self.credential_lines = 0;
        self.forgiven = 0;
    }

    /// Takes in another memory of the same source (see the module notes on duplicates).
    pub fn merge(&mut self, other: SourceState) {
        self.tick = self.tick.max(other.tick);
        for run in &other.runs {
            // The same service, else (PAM's dovecot lines in one file, dovecot's or
            // Postfix's own in another) a run of the protocol PAM could not name.
            let same = self.runs.iter().position(|r| r.service == run.service);
            let same = same.or_else(|| {
                self.runs
                    .iter()
                    .position(|r| r.service.may_be(run.service) && r.overlaps(run))
            });
            match same.and_then(|at| self.runs.get_mut(at)) {
                Some(mine) => {
                    mine.merge(run);
                    // The daemon's line names the protocol; PAM's only `mail`.
                    if mine.service == Service::Mail {
                        mine.service = run.service;
                    }
                }
                None => self.runs.push(run.clone()),
            }
        }
        self.users.merge(&other.users);
        // Only whether each is zero matters (copies of one file add up to no more).
        self.probe_lines = self.probe_lines.saturating_add(other.probe_lines);
        self.credential_lines = self.credential_lines.saturating_add(other.credential_lines);
        self.burst = match (self.burst, other.burst) {
            (Some(a), Some(b)) => Some(BurstMark {
                peak: a.peak.max(b.peak),
            }),
            (a, b) => a.or(b),
        };
        // The edge lines of both, once each, in time order.
        let mut lines: Vec<Evidence> = Vec::new();
        for e in self
            .first_lines
            .drain(..)
            .chain(self.last_lines.drain(..))
            .chain(other.first_lines)
            .chain(other.last_lines)
        {
            if !lines.iter().any(|l| same_evidence(l, &e)) {
                lines.push(e);
            }
        }
        lines.sort_by(|a, b| a.time.cmp(&b.time).then(a.line.cmp(&b.line)));
        let split = lines.len().min(EDGE_LINES);
        let rest = lines.split_off(split);
        self.first_lines = lines;
        let skip = rest.len().saturating_sub(EDGE_LINES);
        self.last_lines = rest.into_iter().skip(skip).collect();
        // Copies forgive the same typos; the larger count stands (see duplicates above).
        self.forgiven = self.forgiven.max(other.forgiven);
        for record in other.successes {
            self.keep_success(record);
        }
        self.successes_dropped = self.successes_dropped.max(other.successes_dropped);
        for (user, first) in other.good_users {
            let room = self.good_users.len() < MAX_GOOD_USERS;
            match self.good_users.iter_mut().find(|(name, _)| *name == user) {
                Some((_, mine)) => *mine = min_time(*mine, first),
                None if room => {
                    self.good_users.push((user, first));
                }
                None => {}
            }
        }
        // Root logins are logged once per login by sshd/login; a second copy of the
        // same file family gives the same count, so the larger is kept.
        self.root_logins = self.root_logins.max(other.root_logins);
        for service in other.root_services {
            if !self.root_services.contains(&service) {
                self.root_services.push(service);
            }
        }
        for line in other.root_lines {
            if self.root_lines.len() < EDGE_LINES
                && !self.root_lines.iter().any(|l| same_evidence(l, &line))
            {
                self.root_lines.push(line);
            }
        }
        self.root_lines
            .sort_by(|a, b| a.time.cmp(&b.time).then(a.line.cmp(&b.line)));
        self.root_first = min_time(self.root_first, other.root_first);
        self.root_last = max_time(self.root_last, other.root_last);
    }
}

/// Services over which a root login comes from another host (su and sudo do not; for
/// the others the source field decides).
pub fn is_remote_service(service: Service) -> bool {
    !matches!(service, Service::Su | Service::Sudo)
}

/// One source's failures against one account.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AccountSource {
    /// The source key (as in [`SourceState::source`]).
    pub source: Box<str>,
    /// Its hash: a full list is scanned for every failure of a new source, and comparing
    /// hashes first keeps that scan cheap.
    hash: u64,
    /// Failures.
    pub failures: u64,
    /// First and last.
    pub first: Option<LogTime>,
    /// See `first`.
    pub last: Option<LogTime>,
    /// Set when the source was evicted after being reported on its own (its state is
    /// gone, this flag remains).
    pub reported: bool,
}

/// The first login of an account from one source.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AccountLogin {
    /// The source key.
    pub source: Box<str>,
    /// The first login from it.
    pub first: Option<LogTime>,
    /// Its line.
    pub evidence: Evidence,
    /// Its service.
    pub service: Service,
}

/// Everything kept about one account on one host.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AccountState {
    /// The host.
    pub host: Box<str>,
    /// The account name as logged.
    pub user: Box<str>,
    /// Eviction clock.
    pub tick: u64,
    /// Failures per source (the first [`MAX_ACCOUNT_SOURCES`] sources).
    pub sources: Vec<AccountSource>,
    /// Failures of sources beyond the cap.
    pub sources_dropped: u64,
    /// Services the failures came over.
    pub services: Vec<Service>,
    /// The first failure lines.
    pub first_lines: Vec<Evidence>,
    /// The last failure lines.
    pub last_lines: VecDeque<Evidence>,
    /// The first login from each source.
    pub logins: Vec<AccountLogin>,
}

impl AccountState {
    /// A fresh state.
    pub fn new(host: &str, user: &str) -> AccountState {
        AccountState {
            host: cut(host, MAX_NAME_BYTES).into(),
            user: cut(user, MAX_NAME_BYTES).into(),
            tick: 0,
            sources: Vec::new(),
            sources_dropped: 0,
            services: Vec::new(),
            first_lines: Vec::new(),
            last_lines: VecDeque::new(),
            logins: Vec::new(),
        }
    }

    /// `count` failed guesses at this account from `source` (the event's count, less a
    /// try PAM already reported).
    pub fn on_failure(&mut self, source: Option<&str>, event: &AuthEvent, count: u64) {
        if !self.services.contains(&event.service) {
            self.services.push(event.service);
        }
        const ACCOUNT_EDGE_LINES: usize = 2;
        if self.first_lines.len() < ACCOUNT_EDGE_LINES {
            self.first_lines.push(keep_evidence(&event.evidence));
        } else {
            self.last_lines.push_back(keep_evidence(&event.evidence));
            if self.last_lines.len() > ACCOUNT_EDGE_LINES {
                self.last_lines.pop_front();
            }
        }
        let Some(source) = source else { return };
        let source = cut(source, MAX_NAME_BYTES);
        let room = self.sources.len() < MAX_ACCOUNT_SOURCES;
        let hash = name_hash(source);
        match self
            .sources
            .iter_mut()
            .find(|s| s.hash == hash && &*s.source == source)
        {
            Some(entry) => {
                entry.failures = entry.failures.saturating_add(count);
                entry.first = min_time(entry.first, event.time);
                entry.last = max_time(entry.last, event.time);
            }
            None if room => self.sources.push(AccountSource {
                source: source.into(),
                hash,
                reported: false,
                failures: count,
                first: event.time,
                last: event.time,
            }),
            None => self.sources_dropped = self.sources_dropped.saturating_add(count),
        }
    }

    /// Marks `source` as reported on its own (it is being evicted).
    pub fn mark_reported(&mut self, source: &str) {
        let hash = name_hash(source);
        if let Some(entry) = self
            .sources
            .iter_mut()
            .find(|s| s.hash == hash && &*s.source == source)
        {
            entry.reported = true;
        }
    }

    /// A login as this account from `source`.
    pub fn on_success(&mut self, source: &str, event: &AuthEvent) {
        let source = cut(source, MAX_NAME_BYTES);
        let room = self.logins.len() < MAX_LOGINS;
        match self.logins.iter_mut().find(|l| &*l.source == source) {
            Some(login)
                if event.time.is_some() && (login.first.is_none() || event.time < login.first) =>
            {
                login.first = event.time;
                login.evidence = keep_evidence(&event.evidence);
                login.service = event.service;
            }
            Some(_) => {}
            None if room => self.logins.push(AccountLogin {
                source: source.into(),
                first: event.time,
                evidence: keep_evidence(&event.evidence),
                service: event.service,
            }),
            None => {}
        }
    }

    /// Takes in another memory of the same account. Per source, overlapping runs are
    /// copies (the larger count is kept), as for sources.
    /// Forgets the failures from sources this memory already holds over a span that
    /// holds theirs (a second witness's, see [`SourceState::witnessed`]).
    pub fn drop_witnessed(&mut self, witness: &AccountState) {
        self.sources.retain(|theirs| {
            !witness.sources.iter().any(|mine| {
                mine.hash == theirs.hash
                    && mine.source == theirs.source
                    && covers((mine.first, mine.last), (theirs.first, theirs.last))
            })
        });
    }

    /// Takes in one source's failures at this account: another memory of the same
    /// source's counts once where the two overlap in time (see the module notes on
    /// duplicates), and adds up where they do not.
    fn absorb_source(&mut self, entry: AccountSource) {
        let room = self.sources.len() < MAX_ACCOUNT_SOURCES;
        match self
            .sources
            .iter_mut()
            .find(|s| s.hash == entry.hash && s.source == entry.source)
        {
            Some(mine) => {
                let overlap = match (mine.first, mine.last, entry.first, entry.last) {
                    (Some(a0), Some(a1), Some(b0), Some(b1)) => {
                        a0.epoch_seconds() <= b1.epoch_seconds() + OVERLAP_SLACK_SECONDS
                            && b0.epoch_seconds() <= a1.epoch_seconds() + OVERLAP_SLACK_SECONDS
                    }
                    _ => true,
                };
                mine.failures = if overlap {
                    mine.failures.max(entry.failures)
                } else {
                    mine.failures.saturating_add(entry.failures)
                };
                mine.first = min_time(mine.first, entry.first);
                mine.last = max_time(mine.last, entry.last);
                mine.reported |= entry.reported;
            }
            None if room => self.sources.push(entry),
            None => {
                self.sources_dropped = self.sources_dropped.saturating_add(entry.failures);
            }
        }
    }

    /// The source `from` (a host name) is `to` (its address): its failures and logins
    /// become the address's, counted once where both were logged.
    pub fn rename_source(&mut self, from: &str, to: &str) {
        let (moved, kept): (Vec<AccountSource>, Vec<AccountSource>) =
            std::mem::take(&mut self.sources)
                .into_iter()
                .partition(|entry| &*entry.source == from);
        self.sources = kept;
        for mut entry in moved {
            entry.source = to.into();
            entry.hash = name_hash(to);
            self.absorb_source(entry);
        }
        let mut logins: Vec<AccountLogin> = Vec::with_capacity(self.logins.len());
        for mut login in std::mem::take(&mut self.logins) {
            if &*login.source == from {
                login.source = to.into();
            }
            match logins.iter_mut().find(|l| l.source == login.source) {
                Some(kept) if login.first < kept.first => *kept = login,
                Some(_) => {}
                None => logins.push(login),
            }
        }
        self.logins = logins;
    }

    pub fn merge(&mut self, other: AccountState) {
        self.tick = self.tick.max(other.tick);
        for entry in other.sources {
            self.absorb_source(entry);
        }
        self.sources_dropped = self.sources_dropped.max(other.sources_dropped);
        for service in other.services {
            if !self.services.contains(&service) {
                self.services.push(service);
            }
        }
        let mut lines: Vec<Evidence> = Vec::new();
        for e in self
            .first_lines
            .drain(..)
            .chain(self.last_lines.drain(..))
            .chain(other.first_lines)
            .chain(other.last_lines)
        {
            if !lines.iter().any(|l| same_evidence(l, &e)) {
                lines.push(e);
            }
        }
        lines.sort_by(|a, b| a.time.cmp(&b.time).then(a.line.cmp(&b.line)));
        let split = lines.len().min(2);
        let rest = lines.split_off(split);
        self.first_lines = lines;
        let skip = rest.len().saturating_sub(2);
        self.last_lines = rest.into_iter().skip(skip).collect();
        for login in other.logins {
            let room = self.logins.len() < MAX_LOGINS;
            match self.logins.iter_mut().find(|l| l.source == login.source) {
                Some(mine)
                    if login.first.is_some()
                        && (mine.first.is_none() || login.first < mine.first) =>
                {
                    *mine = login;
                }
                Some(_) => {}
                None if room => self.logins.push(login),
                None => {}
            }
        }
    }
}

/// Whether a source key is on the host itself: `local:USER` (su, sudo) or `tty:TERMINAL`
/// (a login typed at one of its terminals).
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("local:") || source.starts_with("tty:")
}
