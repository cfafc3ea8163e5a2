//! The advisory's sendmail detector, done the way the advisory meant it.
//!
//! JPCERT-E-INF-97-0001 says: grep the sendmail log for `/etc/passwd` and `.rhosts`,
//! then look for `stat=Sent` among lines with "the same number in brackets". The number
//! in `sendmail[7496]:` is a *process id*, though, and a message is identified by its
//! *queue id*: delivery often runs in another process (a queue runner, minutes later),
//! a bounce gets a new queue id, and PIDs — and on 5.x/8.6, where the queue id is `AA` +
//! PID, queue ids too — come back days later for unrelated mail. So this detector:
//!
//! - keeps the recent messages of each host by (host, queue id), with the lines that
//!   give their context (`message-id=`, `from=`), in a bounded cache;
//! - marks a message malicious when an address in it is ([`parse::classify`]), and from
//!   then on keeps all its lines, follows its bounces (`QID: BOUNCEQID: return to
//!   sender`), and calls it delivered when a `stat=Sent` line of the message or of a
//!   bounce names the malicious program or file as its recipient;
//! - believes a delivery line belongs to the tracked message only if sendmail's own
//!   `delay=` agrees with the time the message was queued, and starts a fresh message
//!   when a second `from=` or `message-id=` appears for a queue id;
//! - joins lines without a queue id (`setsender`, door-handle commands) to the message
//!   of the same host and PID only within [`PID_WINDOW_SECONDS`];
//! - emits one finding per malicious message (SM002 if delivered, else SM001) and one
//!   per group of probe lines (SM003).
//!
//! State is bounded whatever the input: at most [`MAX_TRACKED`] malicious or probed
//! messages and [`MAX_RECENT`] context-only ones, each with a capped number of capped
//! lines; the oldest are evicted (a tracked message is reported when evicted, not lost),
//! and a message untouched for sendmail's queue lifetime (5 days) is closed.

pub mod parse;
pub mod sm001_exploit_attempt;
pub mod sm002_exploit_succeeded;
pub mod sm003_probe;

#[cfg(test)]
mod tests;

use crate::{Detector, Record};
use kensa_core::{Evidence, Finding, Localized, Rule, Severity, tr};
use parse::{AddrKind, Role, SmLine};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &sm001_exploit_attempt::RULE,
    &sm002_exploit_succeeded::RULE,
    &sm003_probe::RULE,
];

/// Malicious or probed messages kept open at once; beyond this the oldest is reported.
pub const MAX_TRACKED: usize = 10_000;
/// Ordinary messages whose context lines are kept in case a later line makes them
/// malicious (a `to=` after its `from=`); beyond this the oldest is forgotten.
pub const MAX_RECENT: usize = 20_000;
/// sendmail's default queue lifetime (`Timeout.queuereturn`, 5 days): a message not seen
/// for longer is closed.
pub const QUEUE_LIFETIME_SECONDS: i64 = 5 * 24 * 3600;
/// How close in time a line without a queue id must be to a line of the same PID to be
/// joined to it.
pub const PID_WINDOW_SECONDS: i64 = 10;
/// A delivery's queue time (line time − `delay=`) may precede the message's first line
/// by the length of the SMTP DATA phase ...
const QUEUED_EARLY_SECONDS: i64 = 3600;
/// ... and follow it only by clock granularity.
const QUEUED_LATE_SECONDS: i64 = 120;
const MAX_LINES_TRACKED: usize = 32;
/// Lines kept per followed message once [`EVIDENCE_BUDGET_BYTES`] is spent.
const MAX_LINES_LEAN: usize = 4;
const MAX_LINES_RECENT: usize = 4;
/// Bytes of evidence kept for followed messages over a whole run before each new line
/// of them is kept only up to [`MAX_LINES_LEAN`] lines per message.
const EVIDENCE_BUDGET_BYTES: usize = 64 << 20;
/// Bytes of a context line (of a message not yet known to be malicious) kept.
const MAX_CONTEXT_LINE_BYTES: usize = 1024;
const MAX_QIDS_PER_MESSAGE: usize = 8;
const MAX_USERS: usize = 8;
/// Bytes of a line kept as evidence (the file, line and offset point at the rest).
const MAX_LINE_BYTES: usize = 2048;
/// Findings itemised; further malicious messages are counted in one summary finding.
const MAX_FINDINGS: usize = 5_000;
/// Tracked messages followed up at once (the oldest is dropped beyond this).
const MAX_FOLLOW_UP: usize = 64;
/// How long after a tracked message's last line its further lines are looked for in
/// the context of later candidates, as long as that line is still in the context (a
/// message's lines come within seconds; a queue run hours later names the malicious
/// address again and is a candidate itself).
const FOLLOW_UP_SECONDS: i64 = 24 * 3600;
/// Look-back lines examined for the context of one rare line.
const MAX_CONTEXT_SCAN: usize = 50_000;
/// Context lines taken in for one rare line.
const MAX_CONTEXT_LINES: usize = 64;
/// How often (in observed lines) closed-by-age messages are swept.
const SWEEP_EVERY: u64 = 4096;

/// One queue id of a message: the original, or a bounce of it.
#[derive(Debug, Serialize, Deserialize)]
struct QidEntry {
    qid: Box<[u8]>,
    /// When sendmail queued it (epoch seconds), as far as the log shows.
    queued: Option<i64>,
    saw_from: bool,
    saw_message_id: bool,
}

/// A message being followed: its lines and what they show.
#[derive(Debug, Serialize, Deserialize)]
struct Message {
    host: String,
    pid: Option<u32>,
    /// The original queue id first, then bounces. Empty for lines without a queue id
    /// grouped by PID.
    qids: Vec<QidEntry>,
    evidence: Vec<Evidence>,
    /// The remote relay of the original message.
    source: Option<String>,
    /// Malicious addresses, as logged.
    malicious: Vec<String>,
    /// Probes (refused addresses, door-handle commands, decode alias).
    probes: Vec<Probe>,
    probe_lines: u64,
    probe_high: bool,
    delivered: bool,
    last_seen: Option<i64>,
    tracked: bool,
}

impl Message {
    fn new(host: &str, pid: Option<u32>) -> Message {
        Message {
            host: host.to_string(),
            pid,
            qids: Vec::new(),
            evidence: Vec::new(),
            source: None,
            malicious: Vec::new(),
            probes: Vec::new(),
            probe_lines: 0,
            probe_high: false,
            delivered: false,
            last_seen: None,
            tracked: false,
        }
    }

    fn root_qid(&self) -> Option<&[u8]> {
        self.qids.first().map(|entry| &*entry.qid)
    }

    fn entry_mut(&mut self, qid: &[u8]) -> Option<&mut QidEntry> {
        self.qids.iter_mut().find(|entry| &*entry.qid == qid)
    }

    fn add_malicious(&mut self, addr: &[u8]) {
        let addr = String::from_utf8_lossy(addr).trim().to_string();
        if self.malicious.len() < MAX_USERS && !self.malicious.contains(&addr) {
            self.malicious.push(addr);
        }
    }

    fn add_probe(&mut self, what: Probe, high: bool) {
        self.probe_lines += 1;
        self.probe_high |= high;
        if self.probes.len() < MAX_USERS && !self.probes.contains(&what) {
            self.probes.push(what);
        }
    }
}

/// One probe in a message: what it was, with the address or command as logged.
///
/// An incremental run saves it as its English wording, as it was saved before probes were
/// worded in two languages, and reads that wording back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
enum Probe {
    /// A recipient that is the decode/uudecode alias.
    DecodeAlias(String),
    /// A sender sendmail could not parse.
    UnparseableSender(String),
    /// An address sendmail refused.
    RefusedAddress(String),
    /// A door-handle SMTP command (WIZ, DEBUG, …).
    SmtpCommand(String),
    /// Saved wording that is none of the above (kept as it is, in both languages).
    Other(String),
}

impl Probe {
    /// The probe as a title says it.
    fn text(&self) -> Localized {
        match self {
            Probe::DecodeAlias(addr) => tr!("decode alias: {addr}", "decode エイリアス: {addr}"),
            Probe::UnparseableSender(addr) => {
                tr!("unparseable sender: {addr}", "解析できない送信者: {addr}")
            }
            Probe::RefusedAddress(addr) => {
                tr!("refused address: {addr}", "拒否されたアドレス: {addr}")
            }
            Probe::SmtpCommand(command) => {
                tr!("\"{command}\" SMTP command", "SMTP コマンド \"{command}\"")
            }
            Probe::Other(text) => tr!("{text}", "{text}"),
        }
    }
}

impl From<Probe> for String {
    fn from(probe: Probe) -> String {
        probe.text().en
    }
}

impl From<String> for Probe {
    fn from(text: String) -> Probe {
        if let Some(addr) = text.strip_prefix("decode alias: ") {
            Probe::DecodeAlias(addr.to_string())
        } else if let Some(addr) = text.strip_prefix("unparseable sender: ") {
            Probe::UnparseableSender(addr.to_string())
        } else if let Some(addr) = text.strip_prefix("refused address: ") {
            Probe::RefusedAddress(addr.to_string())
        } else if let Some(command) = text
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix("\" SMTP command"))
        {
            Probe::SmtpCommand(command.to_string())
        } else {
            Probe::Other(text)
        }
    }
}

/// The key of a queue id in [`SendmailDetector::by_qid`]: the host's length, the host
/// and the queue id, in one byte string (so a lookup needs no allocation of its own).
fn qid_key(buf: &mut Vec<u8>, host: &str, qid: &[u8]) {
    buf.clear();
    buf.extend_from_slice(&(host.len() as u64).to_le_bytes());
    buf.extend_from_slice(host.as_bytes());
    buf.extend_from_slice(qid);
}

/// The file and offset of the last line of a message already taken in: context lines at
/// or before it are not read again.
type Watermark = (String, u64);

/// ` QID: `, as a queue id appears in its lines (after `sendmail[pid]:` or a bounced
/// message's queue id).
fn qid_needle(qid: &[u8]) -> Vec<u8> {
    let mut needle = Vec::with_capacity(qid.len() + 3);
    needle.push(b' ');
    needle.extend_from_slice(qid);
    needle.extend_from_slice(b": ");
    needle
}

/// Finds the sendmail attacks of JPCERT-E-INF-97-0001.
#[derive(Default)]
pub struct SendmailDetector {
    messages: HashMap<u64, Message>,
    by_qid: HashMap<Vec<u8>, u64>,
    /// Reused buffer for [`qid_key`].
    scratch: Vec<u8>,
    by_pid: HashMap<(String, u32), u64>,
    recent_order: VecDeque<u64>,
    tracked_order: VecDeque<u64>,
    next_id: u64,
    now: Option<i64>,
    observed: u64,
    findings: Vec<Finding>,
    not_itemised: u64,
    not_itemised_host: String,
    stored_bytes: usize,
    /// This detector's own needles. The engine's prefilter serves every detector, so
    /// lines arrive here that only another detector asked for (an ordinary `from=` line
    /// that matched an authentication literal); such a line is taken in only when its
    /// message is already tracked, never as a reason to read the look-back context.
    own_needles: Option<kensa_logs::prefilter::Prefilter>,
    /// Tracked messages whose later ordinary lines (`to=... User unknown`, the bounce
    /// link) may still come: they are picked up from the look-back context of whatever
    /// candidate line arrives next. At most [`MAX_FOLLOW_UP`], each for
    /// [`FOLLOW_UP_SECONDS`] after its last line.
    /// Each entry: the message id and the offset up to which its gap was already read.
    follow_up: VecDeque<(u64, u64)>,
}

impl Detector for SendmailDetector {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn needles(&self) -> &'static [&'static str] {
        // Only lines that can make a message malicious, prove its delivery to a program
        // or file, or probe: rare in real traffic (about a hundred lines in the 1 GiB
        // benchmark corpus, against 2.4 million sendmail lines). The ordinary lines of a
        // malicious message (its `message-id=`, `from=` relay, bounce link, `User
        // unknown`) are read from the scanner's look-back context when a rare line
        // arrives: see [`SendmailDetector::replay_context`].
        &[
            // Programs as addresses (`from=|...`, `to="|..."`, `to=<|...>`, address lists
            // `to=root,|/bin/sh`): the prefilter covers every literal with a pipe by
            // looking for the pipe byte alone, so any line with a `|` is a candidate.
            "=|",
            "=\"|",
            "=<|",
            ",|",
            // Files as addresses (`to=/.rhosts`, `to="/etc/passwd"`, `to=</tmp/x>`,
            // `to=~ftp/.forward`). `=/` is searched on its own (a vectorised pair
            // search); `to=/`, `from=/` would give the automaton `to=`/`fro` prefixes,
            // which every mail line has (measured: 30 % slower on the plain files).
            "=/",
            "=\"/",
            "=</",
            "=~",
            // Probes: `setsender: ... invalid or unparseable`, `Cannot mail directly to
            // files`, `"wiz" command from`, the decode alias (`to=decode`, `uudecode`).
            // Every literal's first three bytes are rare in logs (not `dec`, which
            // starts every December stamp), so the prefilter's automaton stays fast.
            "unparseable",
            // sendmail 8.12+ spells it so: `setsender: ADDR: invalid or unparsable`.
            "unparsable",
            "directly to",
            "\" command from",
            "=decode",
            "=<decode",
            // `QID: <decode>... User unknown` (8.17, the alias absent): still a probe.
            "<decode>",
            "uudecode",
            // The advisory's own strings, for sendmail lines of any other shape.
            "/etc/passwd",
            ".rhosts",
            ".forward",
            ".equiv",
            // `+ +` itself (`|/bin/echo + + >> /.rhosts`) always comes with a pipe or
            // `.rhosts`; as a literal of its own it would make every ISO-stamped line
            // (`+09:00`) a candidate.
        ]
    }

    fn observe(&mut self, record: &Record<'_>) {
        self.follow_up(record);
        if !is_sendmail(record.program) {
            return;
        }
        let Some(line) = parse::parse(record.message) else {
            return;
        };
        let needles = self.needles();
        let own = self
            .own_needles
            .get_or_insert_with(|| kensa_logs::prefilter::Prefilter::new(needles.iter().copied()))
            .is_match(record.at.raw);
        match line.qid() {
            Some(qid) if own => self.replay_context(record, qid),
            Some(qid) if !self.is_tracked(record.host.as_ref(), qid) => return,
            None if !own => return,
            _ => {}
        }
        self.observe_line(record, line);
    }

    fn finish(&mut self) -> Vec<Finding> {
        self.finish_all()
    }

    fn save_state(&self) -> Option<String> {
        let mut messages: Vec<(&u64, &Message)> = self.messages.iter().collect();
        messages.sort_unstable_by_key(|(id, _)| **id);
        let saved = SavedRef {
            messages,
            recent_order: &self.recent_order,
            tracked_order: &self.tracked_order,
            next_id: self.next_id,
            now: self.now,
            observed: self.observed,
            stored_bytes: self.stored_bytes,
        };
        serde_json::to_string(&saved).ok()
    }

    fn restore_state(&mut self, state: &str) -> Result<(), String> {
        let saved: Saved = serde_json::from_str(state).map_err(|e| e.to_string())?;
        *self = SendmailDetector::default();
        self.next_id = saved.next_id;
        self.now = saved.now;
        self.observed = saved.observed;
        self.stored_bytes = saved.stored_bytes;
        self.recent_order = saved.recent_order;
        self.tracked_order = saved.tracked_order;
        // The indexes are rebuilt from the messages (a later message wins a reused id,
        // as it did when the lines were read).
        for (id, message) in saved.messages {
            for entry in &message.qids {
                let mut key = Vec::new();
                qid_key(&mut key, &message.host, &entry.qid);
                self.by_qid.insert(key, id);
            }
            if let Some(pid) = message.pid {
                self.by_pid.insert((message.host.clone(), pid), id);
            }
            self.next_id = self.next_id.max(id + 1);
            self.messages.insert(id, message);
        }
        // Order lists name only messages that exist.
        let known = &self.messages;
        self.recent_order.retain(|id| known.contains_key(id));
        self.tracked_order.retain(|id| known.contains_key(id));
        Ok(())
    }
}

/// The open messages of a [`SendmailDetector`], as an incremental run saves them (the
/// indexes are derived, the look-back follow-ups belong to the file being read).
#[derive(Serialize)]
struct SavedRef<'a> {
    messages: Vec<(&'a u64, &'a Message)>,
    recent_order: &'a VecDeque<u64>,
    tracked_order: &'a VecDeque<u64>,
    next_id: u64,
    now: Option<i64>,
    observed: u64,
    stored_bytes: usize,
}

/// [`SavedRef`], read back.
#[derive(Deserialize)]
struct Saved {
    messages: Vec<(u64, Message)>,
    recent_order: VecDeque<u64>,
    tracked_order: VecDeque<u64>,
    next_id: u64,
    now: Option<i64>,
    observed: u64,
    stored_bytes: usize,
}

impl SendmailDetector {
    /// Feeds one sendmail line into the message state.
    fn observe_line(&mut self, record: &Record<'_>, line: SmLine<'_>) {
        let time = record.time.map(|t| t.epoch_seconds());
        if let Some(t) = time {
            self.now = Some(self.now.map_or(t, |now| now.max(t)));
        }
        self.observed += 1;
        if self.observed.is_multiple_of(SWEEP_EVERY) {
            self.sweep();
        }
        let host = record.host.as_ref();
        match line {
            SmLine::MessageId { qid } => {
                let id = self.current(host, qid, time, |entry| {
                    entry.saw_from || entry.saw_message_id
                });
                let id = id.unwrap_or_else(|| self.open(host, qid, record.pid, time, time));
                self.with(id, record, |m| {
                    if let Some(entry) = m.entry_mut(qid) {
                        entry.saw_message_id = true;
                    }
                });
            }
            SmLine::From { qid, addr, source } => {
                let id = self.current(host, qid, time, |entry| entry.saw_from);
                let id = id.unwrap_or_else(|| self.open(host, qid, record.pid, time, time));
                let class = parse::classify(addr, Role::Sender, false);
                self.with(id, record, |m| {
                    let is_root = m.root_qid() == Some(qid);
                    if let Some(entry) = m.entry_mut(qid) {
                        entry.saw_from = true;
                    }
                    if is_root && m.source.is_none() {
                        m.source = source.map(|s| String::from_utf8_lossy(s).into_owned());
                    }
                    if class.malicious {
                        m.add_malicious(addr);
                    }
                });
                self.settle(id);
            }
            SmLine::To {
                qid,
                addrs,
                ctladdr,
                mailer,
                delay,
                stat,
            } => {
                let addresses = parse::split_addresses(addrs);
                let classes: Vec<_> = addresses
                    .iter()
                    .map(|a| (*a, parse::classify(a, Role::Recipient, ctladdr)))
                    .collect();
                let interesting = classes.iter().any(|(_, c)| c.malicious || c.decode);
                let queued = time.zip(delay).map(|(t, d)| t - d);
                let mut id = self.current(host, qid, time, |entry| {
                    !queued_matches(entry.queued, queued)
                });
                if id.is_none() && interesting {
                    id = Some(self.open(host, qid, record.pid, time, queued.or(time)));
                }
                let Some(id) = id else { return };
                let sent = stat.starts_with(b"Sent");
                let to_file_or_program = matches!(mailer, Some(b"prog") | Some(b"*file*"))
                    || classes.iter().any(|(_, c)| c.kind != AddrKind::Mailbox);
                self.with(id, record, |m| {
                    if let Some(entry) = m.entry_mut(qid) {
                        entry.queued = entry.queued.or(queued);
                    }
                    for (addr, class) in &classes {
                        if class.malicious {
                            m.add_malicious(addr);
                            m.delivered |= sent && to_file_or_program;
                        } else if class.decode {
                            let what =
                                Probe::DecodeAlias(String::from_utf8_lossy(addr).into_owned());
                            m.add_probe(what, sent);
                        }
                    }
                });
                self.settle(id);
            }
            SmLine::Bounce { qid, bounce_qid } => {
                let Some(id) = self.current(host, qid, time, |_| false) else {
                    return;
                };
                // A bounce id already in use belongs to an older message now done with it.
                self.unlink_qid(host, bounce_qid, id);
                let mut added = false;
                if let Some(m) = self.messages.get_mut(&id)
                    && m.qids.len() < MAX_QIDS_PER_MESSAGE
                    && m.entry_mut(bounce_qid).is_none()
                {
                    m.qids.push(QidEntry {
                        qid: bounce_qid.into(),
                        queued: time,
                        saw_from: false,
                        saw_message_id: false,
                    });
                    added = true;
                }
                if added {
                    self.link_qid(host, bounce_qid, id);
                }
                self.with(id, record, |_| {});
            }
            SmLine::Unparseable { qid, addr, source } => {
                let class = parse::classify(addr, Role::Sender, false);
                let what = Probe::UnparseableSender(String::from_utf8_lossy(addr).into_owned());
                let high = class.kind != AddrKind::Mailbox || class.malicious;
                self.probe(record, qid, time, source, move |m| m.add_probe(what, high));
            }
            SmLine::Rejected {
                qid,
                addr,
                role,
                source,
            } => {
                // A check ruleset refused it: a probe when it is a program, a file, an
                // attack or the decode alias, like any other refused address.
                let class = parse::classify(addr, role, false);
                if class.kind != AddrKind::Mailbox || class.malicious || class.decode {
                    let text = String::from_utf8_lossy(addr).into_owned();
                    let what = match role {
                        Role::Sender => Probe::UnparseableSender(text),
                        Role::Recipient => Probe::RefusedAddress(text),
                    };
                    let high = class.kind != AddrKind::Mailbox || class.malicious;
                    self.probe(record, qid, time, source, move |m| m.add_probe(what, high));
                } else if let Some(qid) = qid
                    && let Some(id) = self.current(host, qid, time, |_| false)
                {
                    self.with(id, record, |_| {});
                }
            }
            SmLine::AddrError { qid, addr, direct } => {
                let class = parse::classify(addr, Role::Recipient, false);
                if direct || class.malicious || class.decode {
                    let what = Probe::RefusedAddress(String::from_utf8_lossy(addr).into_owned());
                    let high = class.malicious;
                    self.probe(record, qid, time, None, move |m| m.add_probe(what, high));
                } else if let Some(qid) = qid {
                    // `User unknown` and the like: context of a message already followed.
                    if let Some(id) = self.current(host, qid, time, |_| false) {
                        self.with(id, record, |_| {});
                    }
                }
            }
            SmLine::BogusCommand {
                qid,
                command,
                source,
            } => {
                let what = Probe::SmtpCommand(String::from_utf8_lossy(command).into_owned());
                self.probe(record, qid, time, source, move |m| m.add_probe(what, false));
            }
            SmLine::Other { qid } => {
                if let Some(id) = self.current(host, qid, time, |_| false)
                    && self.messages.get(&id).is_some_and(|m| m.tracked)
                {
                    self.with(id, record, |_| {});
                }
            }
        }
    }

    fn finish_all(&mut self) -> Vec<Finding> {
        let mut ids: Vec<u64> = self.messages.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            self.close(id);
        }
        if self.not_itemised > 0 {
            let mut finding =
                Finding::new(&sm001_exploit_attempt::RULE, self.not_itemised_host.clone());
            let more = self.not_itemised;
            finding.set_title(tr!(
                "{more} more malicious sendmail messages or probes, not itemised (kensa keeps \
                 {MAX_FINDINGS})",
                "悪意のある sendmail のメッセージまたは探査がほかに {more} 件あります（kensa が\
                 個別に報告するのは {MAX_FINDINGS} 件までです）",
            ));
            finding.count = self.not_itemised;
            finding.merge_key = "not-itemised".to_string();
            self.findings.push(finding);
            self.not_itemised = 0;
        }
        std::mem::take(&mut self.findings)
    }

    /// Takes in, from the look-back context of `record` (any candidate line, of any
    /// detector), the lines of recently tracked messages written after their last
    /// evidence line: the ordinary lines that follow an attack line and contain no
    /// needle. Only the gap between a message's last line and `record` is read.
    fn follow_up(&mut self, record: &Record<'_>) {
        if self.follow_up.is_empty() || record.at.before.is_empty() {
            return;
        }
        let now = record.time.map(|t| t.epoch_seconds());
        let before_start = record
            .at
            .offset
            .saturating_sub(record.at.before.len() as u64);
        let entries: Vec<(u64, u64)> = self.follow_up.iter().copied().collect();
        for (id, scanned_to) in entries {
            let Some(m) = self.messages.get(&id) else {
                self.follow_up.retain(|&(other, _)| other != id);
                continue;
            };
            let stale = matches!((m.last_seen, now), (Some(last), Some(now)) if now - last > FOLLOW_UP_SECONDS);
            let Some(last) = m.evidence.last() else {
                continue;
            };
            // Out of reach: the message's last line is no longer in the look-back context
            // (another file, or more than a chunk ago), or the message went quiet long ago.
            if stale || last.file != record.at.file || last.offset < before_start {
                self.follow_up.retain(|&(other, _)| other != id);
                continue;
            }
            if last.offset >= record.at.offset {
                continue;
            }
            // The gap: the lines after the message's last evidence line, less what an
            // earlier candidate's context already showed (so each byte is read once).
            let gap = if scanned_to > last.offset && scanned_to >= before_start {
                let Some(gap) = record.at.before.get((scanned_to - before_start) as usize..) else {
                    continue;
                };
                gap
            } else {
                let Some(gap) = record
                    .at
                    .before
                    .get((last.offset - before_start) as usize..)
                else {
                    continue;
                };
                let Some(skip) = memchr::memchr(b'\n', gap) else {
                    continue;
                };
                &gap[skip + 1..]
            };
            if let Some(entry) = self.follow_up.iter_mut().find(|(other, _)| *other == id) {
                entry.1 = record.at.offset;
            }
            if gap.is_empty() {
                continue;
            }
            let host = m.host.clone();
            let mut finders: Vec<memchr::memmem::Finder<'static>> = m
                .qids
                .iter()
                .map(|entry| memchr::memmem::Finder::new(&qid_needle(&entry.qid)).into_owned())
                .collect();
            let (Some(anchor), gap_offset) = (
                record.time,
                record.at.offset.saturating_sub(gap.len() as u64),
            ) else {
                continue;
            };
            let mut offset = gap_offset;
            let first_line = record
                .at
                .line
                .saturating_sub(memchr::memchr_iter(b'\n', gap).count() as u64);
            for (index, raw) in gap.split(|&b| b == b'\n').enumerate() {
                let this_offset = offset;
                let this_line = first_line + index as u64;
                offset += raw.len() as u64 + 1;
                if this_offset >= record.at.offset {
                    break;
                }
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                if !finders.iter().any(|f| f.find(raw).is_some()) {
                    continue;
                }
                let Some(header) = kensa_logs::syslog::parse(raw) else {
                    continue;
                };
                if header.host.is_some_and(|h| h != host.as_bytes()) || !is_sendmail(header.program)
                {
                    continue;
                }
                let Some(parsed) = parse::parse(header.message) else {
                    continue;
                };
                let links_bounce = matches!(parsed, SmLine::Bounce { .. });
                let context = Record {
                    at: kensa_logs::record::LineRef {
                        file: record.at.file,
                        line: this_line,
                        offset: this_offset,
                        raw,
                        before: &[],
                        journal: None,
                    },
                    time: kensa_logs::year::time_near(&header.stamp, anchor),
                    host: std::borrow::Cow::Borrowed(host.as_str()),
                    program: header.program,
                    pid: header.pid,
                    message: header.message,
                };
                self.observe_line(&context, parsed);
                if links_bounce && let Some(m) = self.messages.get(&id) {
                    // The bounce's queue id joined the message: look for its lines too.
                    finders = m
                        .qids
                        .iter()
                        .map(|entry| {
                            memchr::memmem::Finder::new(&qid_needle(&entry.qid)).into_owned()
                        })
                        .collect();
                }
            }
        }
    }

    /// Whether `qid` on `host` belongs to a message being followed.
    fn is_tracked(&self, host: &str, qid: &[u8]) -> bool {
        let mut key = Vec::with_capacity(host.len() + qid.len() + 8);
        qid_key(&mut key, host, qid);
        self.by_qid
            .get(&key)
            .and_then(|id| self.messages.get(id))
            .is_some_and(|m| m.tracked)
    }

    /// Before a rare line of message `qid` is taken in, the earlier lines of the same
    /// message on the same host — its `message-id=` and `from=` (the relay), `User
    /// unknown` deliveries, and for a bounce the `QID: BOUNCEQID: return to sender` link
    /// and the lines of the message that bounced — are looked up in the scanner's
    /// look-back context and taken in first, oldest first. Lines already taken in (at or
    /// before a message's last evidence line) are not read twice. What lies beyond the
    /// context (the previous chunk or file) is not seen: the finding then lacks those
    /// context lines, never its attack or delivery lines, which are candidates themselves.
    fn replay_context(&mut self, record: &Record<'_>, qid: &[u8]) {
        let Some(anchor) = record.time else { return };
        let host = record.host.as_ref();
        // Per queue id looked for: a searcher for ` QID: ` (built once per call, not per
        // line) and the watermark of what was already taken in.
        let mut wanted: Vec<(memchr::memmem::Finder<'static>, Vec<u8>, Option<Watermark>)> =
            Vec::new();
        let watermark = |this: &Self, qid: &[u8]| -> Option<Watermark> {
            let mut key = Vec::new();
            qid_key(&mut key, host, qid);
            let id = this.by_qid.get(&key)?;
            let last = this.messages.get(id)?.evidence.last()?;
            Some((last.file.clone(), last.offset))
        };
        let finder = |qid: &[u8]| memchr::memmem::Finder::new(&qid_needle(qid)).into_owned();
        wanted.push((finder(qid), qid.to_vec(), watermark(self, qid)));
        let mut found = Vec::new();
        for (scanned, prev) in record.at.preceding().enumerate() {
            if scanned >= MAX_CONTEXT_SCAN || found.len() >= MAX_CONTEXT_LINES {
                break;
            }
            let fresh = |wm: &Option<Watermark>| {
                wm.as_ref()
                    .is_none_or(|(file, offset)| file != prev.file || prev.offset > *offset)
            };
            if !wanted.iter().any(|(_, _, wm)| fresh(wm)) {
                break;
            }
            let hit = wanted
                .iter()
                .any(|(finder, _, wm)| fresh(wm) && finder.find(prev.raw).is_some());
            if !hit {
                continue;
            }
            let Some(header) = kensa_logs::syslog::parse(prev.raw) else {
                continue;
            };
            if header.host.is_some_and(|h| h != host.as_bytes()) || !is_sendmail(header.program) {
                continue;
            }
            if let Some(SmLine::Bounce {
                qid: bounced,
                bounce_qid,
            }) = parse::parse(header.message)
                && wanted
                    .iter()
                    .any(|(_, wanted_qid, _)| wanted_qid.as_slice() == bounce_qid)
                && wanted.len() < MAX_QIDS_PER_MESSAGE
            {
                let wm = watermark(self, bounced);
                wanted.push((finder(bounced), bounced.to_vec(), wm));
            }
            found.push((prev, header));
        }
        for (prev, header) in found.into_iter().rev() {
            let Some(line) = parse::parse(header.message) else {
                continue;
            };
            let context = Record {
                at: prev,
                time: kensa_logs::year::time_near(&header.stamp, anchor),
                host: record.host.clone(),
                program: header.program,
                pid: header.pid,
                message: header.message,
            };
            self.observe_line(&context, line);
        }
    }

    /// The open message that `qid` on `host` belongs to, unless `starts_new` says the
    /// line begins another message (which closes the old one) or the old one is past the
    /// queue lifetime.
    fn current(
        &mut self,
        host: &str,
        qid: &[u8],
        time: Option<i64>,
        starts_new: impl Fn(&QidEntry) -> bool,
    ) -> Option<u64> {
        let mut key = std::mem::take(&mut self.scratch);
        qid_key(&mut key, host, qid);
        let found = self.by_qid.get(key.as_slice()).copied();
        let missing = found.is_some_and(|id| !self.messages.contains_key(&id));
        if missing {
            self.by_qid.remove(key.as_slice());
        }
        self.scratch = key;
        let id = found.filter(|_| !missing)?;
        let message = self.messages.get(&id)?;
        let stale = matches!((message.last_seen, time), (Some(last), Some(t)) if t - last > QUEUE_LIFETIME_SECONDS);
        let new = message
            .qids
            .iter()
            .find(|e| &*e.qid == qid)
            .is_none_or(&starts_new);
        if stale || new {
            if message.root_qid() == Some(qid) {
                self.close(id);
            } else {
                self.unlink_qid(host, qid, u64::MAX);
            }
            return None;
        }
        Some(id)
    }

    /// Opens a message for `qid`, taking in recent lines of the same PID that had no
    /// queue id.
    fn open(
        &mut self,
        host: &str,
        qid: &[u8],
        pid: Option<u32>,
        time: Option<i64>,
        queued: Option<i64>,
    ) -> u64 {
        let id = self.new_message(host, pid);
        if let Some(m) = self.messages.get_mut(&id) {
            m.qids.push(QidEntry {
                qid: qid.into(),
                queued,
                saw_from: false,
                saw_message_id: false,
            });
        }
        self.link_qid(host, qid, id);
        if let Some(pid) = pid {
            let key = (host.to_string(), pid);
            if let (Some(&orphan), Some(t)) = (self.by_pid.get(&key), time) {
                let joinable = self.messages.get(&orphan).is_some_and(|o| {
                    o.qids.is_empty()
                        && o.last_seen
                            .is_some_and(|l| (t - l).abs() <= PID_WINDOW_SECONDS)
                });
                if joinable {
                    self.adopt(id, orphan);
                }
            }
            self.by_pid.insert(key, id);
        }
        id
    }

    fn new_message(&mut self, host: &str, pid: Option<u32>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.messages.insert(id, Message::new(host, pid));
        self.recent_order.push_back(id);
        while self.recent_order.len() > MAX_RECENT {
            if let Some(old) = self.recent_order.pop_front()
                && self.messages.get(&old).is_some_and(|m| !m.tracked)
            {
                self.close(old);
            }
        }
        id
    }

    /// Moves a PID-grouped message (no queue id) into `id`.
    fn adopt(&mut self, id: u64, orphan: u64) {
        let Some(o) = self.messages.remove(&orphan) else {
            return;
        };
        if let Some(m) = self.messages.get_mut(&id) {
            let mut lines = o.evidence;
            lines.append(&mut m.evidence);
            lines.truncate(MAX_LINES_TRACKED);
            m.evidence = lines;
            m.source = m.source.take().or(o.source);
            for addr in o.malicious {
                m.add_malicious(addr.as_bytes());
            }
            m.probes.extend(o.probes);
            m.probes.truncate(MAX_USERS);
            m.probe_lines += o.probe_lines;
            m.probe_high |= o.probe_high;
            m.last_seen = m.last_seen.max(o.last_seen);
        }
        self.settle(id);
    }

    /// Adds a line to a message and lets `update` record what it shows.
    fn with(&mut self, id: u64, record: &Record<'_>, update: impl FnOnce(&mut Message)) {
        let Some(m) = self.messages.get_mut(&id) else {
            return;
        };
        update(m);
        if let Some(t) = record.time.map(|t| t.epoch_seconds()) {
            m.last_seen = Some(m.last_seen.map_or(t, |l| l.max(t)));
        }
        let followed = m.tracked || !m.malicious.is_empty() || m.probe_lines > 0;
        let (lines, bytes) = match (followed, self.stored_bytes > EVIDENCE_BUDGET_BYTES) {
            (true, false) => (MAX_LINES_TRACKED, MAX_LINE_BYTES),
            (true, true) => (MAX_LINES_LEAN, MAX_LINE_BYTES),
            (false, _) => (MAX_LINES_RECENT, MAX_CONTEXT_LINE_BYTES),
        };
        if m.evidence.len() < lines {
            let evidence = capped_evidence(record, bytes);
            if followed {
                self.stored_bytes += evidence.text.len();
            }
            m.evidence.push(evidence);
        }
    }

    /// A message that now has a malicious address or a probe is tracked: kept whole and
    /// reported when closed.
    fn settle(&mut self, id: u64) {
        let Some(m) = self.messages.get_mut(&id) else {
            return;
        };
        if m.tracked || (m.malicious.is_empty() && m.probe_lines == 0) {
            return;
        }
        m.tracked = true;
        self.tracked_order.push_back(id);
        self.follow_up.push_back((id, 0));
        if self.follow_up.len() > MAX_FOLLOW_UP {
            self.follow_up.pop_front();
        }
        while self.tracked_order.len() > MAX_TRACKED {
            if let Some(old) = self.tracked_order.pop_front() {
                self.close(old);
            }
        }
    }

    /// A probe line: joined to its message by queue id, else by PID within a few
    /// seconds, else the start of a PID-grouped message of its own.
    fn probe(
        &mut self,
        record: &Record<'_>,
        qid: Option<&[u8]>,
        time: Option<i64>,
        source: Option<&[u8]>,
        update: impl FnOnce(&mut Message),
    ) {
        let host = record.host.as_ref();
        let id = match qid {
            Some(qid) => {
                let id = self.current(host, qid, time, |_| false);
                id.unwrap_or_else(|| self.open(host, qid, record.pid, time, time))
            }
            None => {
                let near = record.pid.and_then(|pid| self.by_pid.get(&(host.to_string(), pid)).copied()).filter(|id| {
                    self.messages.get(id).is_some_and(|m| {
                        matches!((m.last_seen, time), (Some(l), Some(t)) if (t - l).abs() <= PID_WINDOW_SECONDS)
                    })
                });
                match near {
                    Some(id) => id,
                    None => {
                        let id = self.new_message(host, record.pid);
                        if let Some(pid) = record.pid {
                            self.by_pid.insert((host.to_string(), pid), id);
                        }
                        id
                    }
                }
            }
        };
        self.with(id, record, |m| {
            if m.source.is_none() {
                m.source = source.map(|s| String::from_utf8_lossy(s).into_owned());
            }
            update(m);
        });
        self.settle(id);
    }

    /// Records that `qid` on `host` names message `id`.
    fn link_qid(&mut self, host: &str, qid: &[u8], id: u64) {
        let mut key = Vec::new();
        qid_key(&mut key, host, qid);
        self.by_qid.insert(key, id);
    }

    /// Forgets that `qid` on `host` names a message, unless it names `keep`.
    fn unlink_qid(&mut self, host: &str, qid: &[u8], keep: u64) {
        let mut key = Vec::new();
        qid_key(&mut key, host, qid);
        if let Some(&old) = self.by_qid.get(&key)
            && old != keep
        {
            self.by_qid.remove(&key);
            if let Some(m) = self.messages.get_mut(&old)
                && m.root_qid() != Some(qid)
            {
                m.qids.retain(|e| &*e.qid != qid);
            }
        }
    }

    /// Closes messages not seen for the queue lifetime.
    fn sweep(&mut self) {
        let Some(now) = self.now else { return };
        let mut old: Vec<u64> = self
            .messages
            .iter()
            .filter(|(_, m)| {
                m.last_seen
                    .is_some_and(|l| now - l > QUEUE_LIFETIME_SECONDS)
            })
            .map(|(&id, _)| id)
            .collect();
        old.sort_unstable();
        for id in old {
            self.close(id);
        }
    }

    /// Removes a message and, if it was tracked, reports it.
    fn close(&mut self, id: u64) {
        let Some(m) = self.messages.remove(&id) else {
            return;
        };
        for entry in &m.qids {
            let mut key = Vec::new();
            qid_key(&mut key, &m.host, &entry.qid);
            if self.by_qid.get(&key) == Some(&id) {
                self.by_qid.remove(&key);
            }
        }
        if let Some(pid) = m.pid {
            let key = (m.host.clone(), pid);
            if self.by_pid.get(&key) == Some(&id) {
                self.by_pid.remove(&key);
            }
        }
        if !m.tracked {
            return;
        }
        if self.findings.len() >= MAX_FINDINGS {
            self.not_itemised += 1;
            self.not_itemised_host = m.host;
            return;
        }
        self.findings.push(finding_of(m));
    }
}

/// The finding a closed, tracked message stands for.
fn finding_of(m: Message) -> Finding {
    let rule = if m.malicious.is_empty() {
        &sm003_probe::RULE
    } else if m.delivered {
        &sm002_exploit_succeeded::RULE
    } else {
        &sm001_exploit_attempt::RULE
    };
    let mut finding = Finding::new(rule, m.host.clone());
    let root = m
        .root_qid()
        .map(|q| String::from_utf8_lossy(q).into_owned());
    let (what_en, what_ja) = if m.malicious.is_empty() {
        let probes: Vec<Localized> = m.probes.iter().map(Probe::text).collect();
        (
            probes
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            probes
                .iter()
                .map(|p| p.ja.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        )
    } else {
        (m.malicious.join(", "), m.malicious.join("、"))
    };
    let (title_en, title_ja) = (rule.title, rule.title_in("ja"));
    let (what_en, what_ja) = (shorten(&what_en, 160), shorten(&what_ja, 160));
    finding.set_title(tr!("{title_en}: {what_en}", "{title_ja}: {what_ja}"));
    if m.malicious.is_empty() {
        finding.count = m.probe_lines.max(1);
        if m.probe_high {
            finding.severity = Severity::High;
        }
    } else {
        finding.count = 1;
    }
    finding.subject.source = m.source;
    finding.subject.users = m.malicious;
    finding.subject.message_id = root.clone();
    let mut evidence = m.evidence;
    if evidence.iter().all(|e| e.time.is_some()) {
        evidence.sort_by_key(|e| e.time);
    }
    let first_line = evidence
        .first()
        .map(|e| (e.line, e.time.map(|t| t.epoch_seconds())));
    for e in evidence {
        finding.push_evidence(e);
    }
    finding.merge_key = match (root, m.pid) {
        (Some(qid), _) => qid,
        // No queue id: the PID and the first line's time identify the group in every
        // copy of the log.
        (None, pid) => format!(
            "pid:{}@{}",
            pid.map_or_else(|| "-".to_string(), |p| p.to_string()),
            first_line
                .and_then(|(_, t)| t)
                .map_or_else(|| "-".to_string(), |t| t.to_string())
        ),
    };
    finding
}

/// Whether a delivery's queue time agrees with the time the message was queued.
fn queued_matches(known: Option<i64>, delivery: Option<i64>) -> bool {
    match (known, delivery) {
        (Some(known), Some(delivery)) => {
            delivery >= known - QUEUED_EARLY_SECONDS && delivery <= known + QUEUED_LATE_SECONDS
        }
        _ => true,
    }
}

/// Whether a syslog program is sendmail: `sendmail`, `/usr/lib/sendmail`, `sm-mta`,
/// `sm-msp-queue`, `sm-acceptingconnections` (the process title some systems log).
/// `sm-notify` (NFS) is not.
pub fn is_sendmail(program: &[u8]) -> bool {
    let base = match memchr::memrchr(b'/', program) {
        Some(slash) => program.get(slash + 1..).unwrap_or_default(),
        None => program,
    };
    let base = base.to_ascii_lowercase();
    base.starts_with(b"sendmail")
        || base.starts_with(b"sm-mta")
        || base.starts_with(b"sm-msp")
        || base.starts_with(b"sm-accepting")
}

/// The record as evidence, its text cut at `max` bytes (on a character
/// boundary when the line is UTF-8).
fn capped_evidence(record: &Record<'_>, max: usize) -> Evidence {
    let raw = record.at.raw;
    if raw.len() <= max {
        return record.evidence();
    }
    let mut cut = max;
    if let Err(error) = std::str::from_utf8(raw.get(..cut).unwrap_or_default())
        && error.error_len().is_none()
    {
        cut = error.valid_up_to();
    }
    let head = raw.get(..cut).unwrap_or_default();
    kensa_logs::record::LineRef {
        raw: head,
        ..record.at
    }
    .evidence(record.time)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}
