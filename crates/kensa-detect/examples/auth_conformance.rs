//! The authentication-event conformance table over fail2ban's annotated sample logs.
//!
//! `cargo run -p kensa-detect --example auth_conformance` prints, per file of
//! `../shared/corpus/fail2ban-logs`, how many annotated lines kensa's one event model
//! gets right: a `"match": true` line must give a failure-type event (failure, invalid
//! user or refused) with fail2ban's host (and user, when the annotation names one); a
//! `"match": false` line must give no failure-type event. The test
//! `tests/auth_conformance.rs` runs the same harness and pins the figures.
//!
//! fail2ban and kensa do not ask the same question, so some annotations are set aside
//! and counted in their own column, each with its reason (see [`Exclusion`]): files of
//! services that are not logins (spam filters, port scanners, fail2ban's own log),
//! fail2ban modes beyond its normal one (`ddos`, `aggressive`: connection-level events),
//! and lines where fail2ban's verdict is about a *connection* rather than the line
//! (a PAM failure deferred until the connection ends; a success line that carries the
//! connection's earlier failures). The reasons are decided from the line and its
//! annotation only, never from what kensa's parser made of it.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::tz::TimeZone;
use kensa_detect::auth::{AuthEvent, AuthOutcome, AuthParser};
use kensa_logs::record::{LineRef, Record};
use kensa_logs::{syslog, year::YearResolver};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why an annotation is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exclusion {
    /// The file is not about logins at all.
    NotAuthFile,
    /// fail2ban's verdict depends on its mode: a `constraint`, or a line that only its
    /// ddos/extra/aggressive modes report (kensa's failures are fail2ban's normal mode;
    /// the `match: false` lines of those blocks still count).
    NonNormalMode,
    /// A pre-authentication connection event (closed, reset, no identification string,
    /// key exchange failed): no password was tried.
    ConnectionEvent,
    /// fail2ban defers a failure to the end of the connection (a PAM failure; old
    /// sshd's `Disconnecting: Too many authentication failures`, which names no
    /// address); kensa counts it at its own line, once per connection. Where the same
    /// connection then logs in as that account (pam_unix failing before pam_ldap or
    /// pam_sss succeeds, fail2ban's gh-2070), kensa's guessing rules forgive it as a
    /// typo, so an SSSD host's logins are never guessing.
    DeferredPam,
    /// fail2ban reports a connection's earlier failures on its success line.
    FailuresOnSuccess,
    /// A mail rejection (spam, relay, unknown recipient) or an SMTP protocol violation
    /// (`improper command pipelining after AUTH`), not an authentication.
    MailRejection,
    /// A connection's close that fail2ban counts for an earlier line of the connection
    /// that named no address (`User root not allowed because account is locked`, old
    /// sshd's `Disconnecting: Too many authentication failures`): the close itself is no
    /// failure in fail2ban's normal mode either. kensa counts no refusal as a guess and
    /// counts the failures where their source is known.
    CountedAtClose,
    /// fail2ban dropped the pre-0.99.2 `svc(pam_unix)[pid]` form in one filter but keeps
    /// it in another; kensa reads it everywhere.
    DroppedPamForm,
}

impl Exclusion {
    /// Why, in words.
    pub fn reason(self) -> &'static str {
        match self {
            Exclusion::NotAuthFile => "not a login service",
            Exclusion::NonNormalMode => "fail2ban verdict depends on its mode",
            Exclusion::ConnectionEvent => "pre-auth connection event, no password tried",
            Exclusion::DeferredPam => "fail2ban defers the failure to the connection's end",
            Exclusion::FailuresOnSuccess => "fail2ban counts earlier failures at the success",
            Exclusion::MailRejection => "mail rejection or SMTP protocol error, no password",
            Exclusion::CountedAtClose => {
                "fail2ban counts an earlier address-less line at the close"
            }
            Exclusion::DroppedPamForm => "fail2ban dropped old (pam_unix) form here only",
        }
    }
}

/// Files that are not about logins, with the reason.
pub const EXCLUDED_FILES: &[(&str, &str)] = &[
    ("recidive", "fail2ban's own ban log"),
    ("portsentry", "port scan detector"),
    ("scanlogd", "port scan detector"),
    ("exim-spam", "spam scores"),
    ("sendmail-reject", "relay and recipient rejections"),
    ("qmail", "RBL rejections"),
    ("slapd", "LDAP bind results, not a login service"),
    (
        "selinux-ssh",
        "SELinux audit records (hex fields), not syslog auth lines",
    ),
    ("cowrie", "honeypot JSON"),
    ("openwebmail", "web application log"),
    ("squirrelmail", "web application log"),
    ("zzz-generic-example", "made-up daemon of fail2ban's tests"),
    ("zzz-sshd-obsolete-multiline", "only includes sshd again"),
];

/// The tally of one file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// `match: true` lines counted.
    pub positives: usize,
    /// ... of which kensa gave a failure-type event with the right host and user.
    pub found: usize,
    /// ... of which kensa gave a failure-type event with another host or user.
    pub misattributed: usize,
    /// `match: false` lines counted.
    pub negatives: usize,
    /// ... of which kensa gave a failure-type event.
    pub false_alarms: usize,
    /// Annotations set aside.
    pub excluded: usize,
}

impl Tally {
    /// found / positives.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.positives)
    }

    /// found / all failure-type events on counted lines.
    pub fn precision(&self) -> f64 {
        ratio(
            self.found,
            self.found + self.misattributed + self.false_alarms,
        )
    }

    fn add(&mut self, other: &Tally) {
        self.positives += other.positives;
        self.found += other.found;
        self.misattributed += other.misattributed;
        self.negatives += other.negatives;
        self.false_alarms += other.false_alarms;
        self.excluded += other.excluded;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One line kensa got wrong, for the report.
#[derive(Debug, Clone)]
pub struct Miss {
    /// File name.
    pub file: String,
    /// Line number.
    pub line: u64,
    /// What fail2ban expects.
    pub expected: String,
    /// What kensa made of it.
    pub got: String,
    /// The line.
    pub text: String,
}

/// What kensa made of the annotations set aside for one reason.
#[derive(Debug, Default)]
pub struct Review {
    /// Lines where kensa's event agrees with fail2ban's verdict all the same.
    pub agreed: usize,
    /// Lines where it does not.
    pub differ: Vec<Miss>,
}

/// The result over the whole directory.
#[derive(Debug, Default)]
pub struct Conformance {
    /// Per file.
    pub files: BTreeMap<String, Tally>,
    /// Per exclusion reason, how many annotations.
    pub excluded: BTreeMap<Exclusion, usize>,
    /// Per exclusion reason, what kensa made of the lines set aside: the review of each
    /// reason starts from the lines where kensa and fail2ban differ.
    pub set_aside: BTreeMap<Exclusion, Review>,
    /// The lines kensa got wrong.
    pub misses: Vec<Miss>,
    /// Lines that gave an event but hold none of the prefilter's needles (the engine
    /// would never show them to the parser).
    pub needle_misses: Vec<String>,
}

impl Conformance {
    /// The sum over all files.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for tally in self.files.values() {
            total.add(tally);
        }
        total
    }
}

/// Whether an event is what fail2ban calls a failure.
pub fn is_failure_type(event: &AuthEvent) -> bool {
    matches!(
        event.outcome,
        AuthOutcome::Failure | AuthOutcome::InvalidUser | AuthOutcome::Refused
    )
}

/// A header for lines without a syslog stamp: the daemons' own stamped logs as the
/// engine reads them ([`syslog::own_stamp_header`]: vsftpd's and xferlog's ctime lines,
/// xrdp-sesman.log, …), and journal-style `host prog[pid]: msg` (or `prog[pid]: msg`).
fn fallback_header(line: &[u8]) -> Option<syslog::Header<'_>> {
    if let Some(header) = syslog::own_stamp_header(line) {
        return Some(header);
    }
    let (first, rest) = split_token(line);
    let (host, tagged, rest) = if first.ends_with(b":") || first.contains(&b'[') {
        (None, first, rest)
    } else {
        let (second, rest) = split_token(rest);
        (Some(first), second, rest)
    };
    let tag = tagged.strip_suffix(b":")?;
    let (program, pid) = match tag.iter().position(|&b| b == b'[') {
        Some(open) => {
            let digits = tag.get(open + 1..tag.len().saturating_sub(1))?;
            (
                tag.get(..open)?,
                std::str::from_utf8(digits).ok()?.parse().ok(),
            )
        }
        None => (tag, None),
    };
    Some(syslog::Header {
        format: syslog::Format::Iso,
        priority: None,
        stamp: syslog::Stamp::Yearless {
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            subsec_nanos: 0,
        },
        host,
        program,
        pid,
        message: rest,
        solaris_id: None,
    })
}

fn split_token(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&b| b == b' ') {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &[]),
    }
}

/// Feeds one line to the parser as the engine would, without look-back context.
pub fn parse_line(
    parser: &mut AuthParser,
    years: &mut YearResolver,
    file: &str,
    line: u64,
    raw: &[u8],
) -> Option<AuthEvent> {
    parse_line_in_context(parser, years, file, line, 0, raw, &[])
}

/// Feeds one line to the parser as the engine would, with the whole lines before it
/// (`before`, ending with a newline) and its byte offset.
pub fn parse_line_in_context(
    parser: &mut AuthParser,
    years: &mut YearResolver,
    file: &str,
    line: u64,
    offset: u64,
    raw: &[u8],
    before: &[u8],
) -> Option<AuthEvent> {
    let header = syslog::parse(raw).or_else(|| fallback_header(raw))?;
    let time = years.resolve(&header.stamp);
    let record = Record {
        at: LineRef {
            file,
            line,
            offset,
            raw,
            before,
            journal: None,
        },
        time,
        host: header
            .host
            .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
        program: header.program,
        pid: header.pid,
        message: header.message,
    };
    parser.parse(&record)
}

/// Which fail2ban option sets a block is tested with: true if the normal mode is one.
fn normal_mode(options: &serde_json::Value) -> bool {
    let sets: Vec<&serde_json::Value> = match options {
        serde_json::Value::Array(sets) => sets.iter().collect(),
        other => vec![other],
    };
    sets.iter().any(|set| {
        matches!(
            set.get("mode").and_then(|m| m.as_str()),
            None | Some("normal") | Some("auth")
        )
    })
}

const CONNECTION_EVENTS: &[&str] = &[
    "no auth attempts",
    "Connection closed",
    "Connection reset",
    "Received disconnect",
    "Disconnecting",
    "Disconnected from",
    "Did not receive identification",
    "Bad protocol version",
    "Unable to negotiate",
    "no matching",
    "kex_exchange_identification",
    "banner exchange",
    "ssh_dispatch_run_fatal",
    "Timeout before authentication",
    "Read from socket failed",
];

/// The connection ends that say authentication failed, which fail2ban's normal mode
/// counts and kensa reads (as the end of a connection's tries, count 0): a client's
/// `Received disconnect … 3: …: Auth fail`, and old sshd's `Disconnecting: Too many
/// authentication failures`.
fn client_gave_up(text: &str) -> bool {
    let text = text.trim_end().trim_end_matches(" [preauth]");
    (text.contains("Received disconnect from ") && text.ends_with(": Auth fail"))
        || text.contains("Disconnecting: Too many authentication failures")
}

/// Why an annotated line is set aside, if it is.
fn exclusion(file: &str, text: &str, note: &serde_json::Value, normal: bool) -> Option<Exclusion> {
    if EXCLUDED_FILES.iter().any(|(name, _)| *name == file) {
        return Some(Exclusion::NotAuthFile);
    }
    let matched = note.get("match").and_then(|m| m.as_bool()) == Some(true);
    // A verdict that holds in one fail2ban mode only; other lines of such blocks count.
    // Decided first: what fail2ban's ddos/aggressive modes count is connection noise.
    if note.get("constraint").is_some() || (!normal && matched) {
        return Some(Exclusion::NonNormalMode);
    }
    if CONNECTION_EVENTS.iter().any(|c| text.contains(c)) && !client_gave_up(text) {
        // In normal mode a close is a failure only for what came before it.
        return Some(if matched {
            Exclusion::CountedAtClose
        } else {
            Exclusion::ConnectionEvent
        });
    }
    if file.starts_with("sshd")
        && !matched
        && (text.contains("pam_unix(sshd:auth): authentication failure")
            || text.contains("Disconnecting: Too many authentication failures"))
    {
        return Some(Exclusion::DeferredPam);
    }
    if matched && text.contains(" Accepted ") {
        return Some(Exclusion::FailuresOnSuccess);
    }
    if matches!(file, "postfix" | "exim" | "courier-smtp")
        && (!text.to_ascii_lowercase().contains("auth")
            || text.contains("improper command pipelining"))
    {
        return Some(Exclusion::MailRejection);
    }
    if file == "pam-generic" && !matched && text.contains("(pam_unix)[") {
        return Some(Exclusion::DroppedPamForm);
    }
    None
}

/// Runs the harness over `dir` (`.../corpus/fail2ban-logs`).
pub fn run(dir: &Path) -> Conformance {
    let mut result = Conformance::default();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fail2ban-logs is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none())
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let bytes = std::fs::read(&path).expect("sample is readable");
        let tally = run_file(&name, &bytes, &mut result);
        result.files.insert(name, tally);
    }
    result
}

fn run_file(name: &str, bytes: &[u8], result: &mut Conformance) -> Tally {
    let mut tally = Tally::default();
    let mut parser = AuthParser::default();
    let mut years = YearResolver::new(2005, TimeZone::UTC);
    let mut pending: Option<serde_json::Value> = None;
    let mut normal = true;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let number = index as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = String::from_utf8_lossy(raw);
        let note = match pending.take() {
            Some(note) => Some(note),
            None => {
                let trimmed = text.trim_start_matches('#').trim_start();
                if text.starts_with('#') {
                    if let Some(json) = trimmed.strip_prefix("failJSON:") {
                        pending = serde_json::from_str(json.trim()).ok();
                    } else if let Some(json) = trimmed.strip_prefix("filterOptions:")
                        && let Ok(options) = serde_json::from_str(json.trim())
                    {
                        normal = normal_mode(&options);
                    }
                    continue;
                }
                if text.trim().is_empty() {
                    continue;
                }
                // An unannotated log line is an implicit negative.
                Some(serde_json::json!({"match": false}))
            }
        };
        let Some(note) = note else { continue };
        let event = parse_line(&mut parser, &mut years, name, number, raw);
        if event.is_some()
            && !kensa_detect::auth::NEEDLES
                .iter()
                .any(|n| raw.windows(n.len()).any(|w| w == n.as_bytes()))
        {
            result
                .needle_misses
                .push(format!("{name}:{number}: {text}"));
        }
        let verdict = judge(&note, event.as_ref());
        let miss = |expected: String| Miss {
            file: name.to_string(),
            line: number,
            expected,
            got: event.as_ref().map_or("nothing".to_string(), |e| {
                format!(
                    "{:?} host={:?} user={:?} count={}",
                    e.outcome, e.source, e.user, e.count
                )
            }),
            text: text.clone().into_owned(),
        };
        if let Some(why) = exclusion(name, &text, &note, normal) {
            tally.excluded += 1;
            *result.excluded.entry(why).or_default() += 1;
            let agrees = matches!(verdict, Verdict::Found | Verdict::Silent);
            let review = result.set_aside.entry(why).or_default();
            if agrees {
                review.agreed += 1;
            } else {
                review.differ.push(miss(verdict.expected(&note)));
            }
            continue;
        }
        match verdict {
            Verdict::Found => tally.positives += 1,
            Verdict::Misattributed | Verdict::Missed => {
                tally.positives += 1;
                if verdict == Verdict::Misattributed {
                    tally.misattributed += 1;
                }
                result.misses.push(miss(verdict.expected(&note)));
            }
            Verdict::Silent => tally.negatives += 1,
            Verdict::FalseAlarm => {
                tally.negatives += 1;
                tally.false_alarms += 1;
                result.misses.push(miss(verdict.expected(&note)));
            }
        }
        if verdict == Verdict::Found {
            tally.found += 1;
        }
    }
    tally
}

/// What kensa made of an annotated line, against fail2ban's annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// `match: true`, and a failure-type event with fail2ban's host and user.
    Found,
    /// `match: true`, and a failure-type event with another host or user.
    Misattributed,
    /// `match: true`, and no failure-type event.
    Missed,
    /// `match: false`, and no failure-type event.
    Silent,
    /// `match: false`, and a failure-type event.
    FalseAlarm,
}

impl Verdict {
    /// What fail2ban expects of the line, in words.
    fn expected(self, note: &serde_json::Value) -> String {
        match self {
            Verdict::Silent | Verdict::FalseAlarm => "no failure".to_string(),
            _ => format!(
                "failure host={:?} user={:?}",
                note.get("host").and_then(|h| h.as_str()),
                note.get("user").and_then(|u| u.as_str())
            ),
        }
    }
}

fn judge(note: &serde_json::Value, event: Option<&AuthEvent>) -> Verdict {
    let failure = event.filter(|e| is_failure_type(e));
    if note.get("match").and_then(|m| m.as_bool()) != Some(true) {
        // fail2ban's "helper only (already counted above)" is kensa's count 0: the line
        // names the try's source but adds no try.
        let failure = failure.filter(|e| e.count > 0);
        return match failure {
            Some(_) => Verdict::FalseAlarm,
            None => Verdict::Silent,
        };
    }
    let Some(event) = failure else {
        return Verdict::Missed;
    };
    let want_host = note.get("host").and_then(|h| h.as_str());
    let want_user = note.get("user").and_then(|u| u.as_str());
    let host_ok = want_host
        .is_none_or(|h| event.source.as_deref().map(strip_mapped) == Some(strip_mapped(h)));
    let user_ok = want_user.is_none_or(|u| event.user.as_deref().unwrap_or("") == u);
    if host_ok && user_ok {
        Verdict::Found
    } else {
        Verdict::Misattributed
    }
}

fn strip_mapped(host: &str) -> &str {
    host.strip_prefix("::ffff:").unwrap_or(host)
}

/// The service family a fail2ban sample file is about.
pub fn service_of_file(file: &str) -> &'static str {
    match file {
        "sshd" | "sshd-journal" | "dropbear" | "selinux-ssh" | "zzz-sshd-obsolete-multiline" => {
            "ssh"
        }
        "vsftpd" | "proftpd" | "pure-ftpd" | "wuftpd" | "gssftpd" => "ftp",
        "dovecot" | "cyrus-imap" | "uwimap-auth" | "courier-auth" | "solid-pop3d" | "perdition"
        | "sieve" => "pop/imap",
        "postfix" | "exim" | "sendmail-auth" | "courier-smtp" => "smtp auth",
        "pam-generic" => "pam (any service)",
        "xinetd-fail" => "xinetd",
        "webmin-auth" | "xrdp" | "screensharingd" => "other logins",
        _ => "not a login service",
    }
}

/// The per-file tallies summed per service family.
pub fn by_service(result: &Conformance) -> BTreeMap<&'static str, Tally> {
    let mut services: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for (file, tally) in &result.files {
        services
            .entry(service_of_file(file))
            .or_default()
            .add(tally);
    }
    services
}

/// The table, as printed by the example.
pub fn table(result: &Conformance) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<28} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>8} {:>9}\n",
        "file", "pos", "found", "wrong", "neg", "false", "excl", "recall", "precision"
    ));
    let row = |out: &mut String, name: &str, t: &Tally| {
        out.push_str(&format!(
            "{:<28} {:>5} {:>5} {:>5} {:>5} {:>5} {:>5} {:>7.1}% {:>8.1}%\n",
            name,
            t.positives,
            t.found,
            t.misattributed,
            t.negatives,
            t.false_alarms,
            t.excluded,
            100.0 * t.recall(),
            100.0 * t.precision()
        ));
    };
    for (name, tally) in &result.files {
        row(&mut out, name, tally);
    }
    row(&mut out, "TOTAL", &result.total());
    out.push_str("\nper service:\n");
    for (service, tally) in by_service(result) {
        row(&mut out, service, &tally);
    }
    out.push_str("\nset aside (and of those, where kensa agrees with fail2ban anyway):\n");
    for (why, count) in &result.excluded {
        let agreed = result.set_aside.get(why).map_or(0, |r| r.agreed);
        out.push_str(&format!(
            "  {count:>4}  {agreed:>4} agree  {}\n",
            why.reason()
        ));
    }
    out.push_str("\nfiles that are not login services:\n");
    for (name, why) in EXCLUDED_FILES {
        out.push_str(&format!("  {name:<28} {why}\n"));
    }
    if !result.needle_misses.is_empty() {
        out.push_str("\nparsed lines without a needle:\n");
        for line in &result.needle_misses {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if std::env::var_os("KENSA_CONFORMANCE_REVIEW").is_some() {
        for (why, review) in &result.set_aside {
            out.push_str(&format!("\nset aside, {}: kensa differs\n", why.reason()));
            for miss in &review.differ {
                out.push_str(&format!(
                    "  {}:{}: fail2ban {}, kensa {}\n      {}\n",
                    miss.file, miss.line, miss.expected, miss.got, miss.text
                ));
            }
        }
    }
    if !result.misses.is_empty() {
        out.push_str("\nmisses:\n");
        for miss in &result.misses {
            out.push_str(&format!(
                "  {}:{}: expected {}, got {}\n      {}\n",
                miss.file, miss.line, miss.expected, miss.got, miss.text
            ));
        }
    }
    out
}

/// `$KENSA_SHARED` or `../shared` beside the workspace.
pub fn shared_fail2ban_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("KENSA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let dir = shared.join("corpus/fail2ban-logs");
    dir.is_dir().then_some(dir)
}

#[allow(dead_code)]
fn main() {
    let Some(dir) = shared_fail2ban_dir() else {
        eprintln!("../shared/corpus/fail2ban-logs not found (set KENSA_SHARED)");
        std::process::exit(2);
    };
    print!("{}", table(&run(&dir)));
}

/// Wazuh/OSSEC rule ids that mean "a password was refused" (see the corpus's NOTES.md):
/// syslog/PAM 2502 5503, sshd 5710 5712 5716 5718 5719 5758 5760 5763, su 5301 5302,
/// sudo 5401 5404, telnetd 5601, imapd 3601 3651, courier 3902 3910, dovecot 9702 9705
/// 9771, dropbear 51003 51093, proftpd 11204, vsftpd 11403, exim 87502, Solaris BSM 6104,
/// OpenBSD doas 51557.
pub const WAZUH_FAILURE_RULES: &[u32] = &[
    2502, 5503, 5710, 5712, 5716, 5718, 5719, 5758, 5760, 5763, 5301, 5302, 5401, 5404, 5601, 3601,
    3651, 3902, 3910, 9702, 9705, 9771, 51003, 51093, 11204, 11403, 87502, 6104, 51557,
];

/// Wazuh rule ids of successful logins and opened sessions: PAM 5501, su 5303 5305,
/// imapd 3602, courier 3904, proftpd 11205.
pub const WAZUH_SUCCESS_RULES: &[u32] = &[5501, 5303, 5305, 3602, 3904, 11205];

/// (file, rule, line) of every non-empty `log N pass = LINE` of the failure rules.
pub fn wazuh_failure_lines(root: &Path) -> Vec<(String, u32, String)> {
    wazuh_lines(root, WAZUH_FAILURE_RULES)
}

/// (file, rule, line) of every non-empty `log N pass = LINE` of `rules`.
pub fn wazuh_lines(root: &Path, rules: &[u32]) -> Vec<(String, u32, String)> {
    let mut out = Vec::new();
    for dir in ["wazuh-4.14.9", "wazuh-ruleset-wip-2019"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("wazuh dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ini"))
            .collect();
        files.sort();
        for path in files {
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("ini")).into_owned();
            let name = format!(
                "{dir}/{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            );
            let mut pending: Vec<String> = Vec::new();
            for line in text.lines() {
                if line.starts_with('[') {
                    pending.clear();
                } else if let Some((key, value)) = line.split_once(" = ") {
                    let key = key.trim();
                    if key.starts_with("log ") && key.ends_with(" pass") && !value.trim().is_empty()
                    {
                        pending.push(value.to_string());
                    } else if key == "rule" {
                        let rule: u32 = value.trim().parse().unwrap_or(0);
                        if rules.contains(&rule) {
                            for log in pending.drain(..) {
                                out.push((name.clone(), rule, log));
                            }
                        }
                        pending.clear();
                    }
                }
            }
        }
    }
    out
}
