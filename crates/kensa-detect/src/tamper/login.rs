//! Tampering checks on binary login records: one streaming pass per wtmp/btmp file
//! (zeroed runs, time order, a cut last record, each user's last login), then the
//! wtmp ↔ lastlog cross-check.
//!
//! Memory: one record at a time, plus each user's last login (bounded by
//! [`MAX_USERS`]) and the evidence kept per finding (bounded by [`MAX_EVIDENCE`]).

use super::{
    cp002_wtmp_zeroed_records as cp002, cp003_login_records_out_of_order as cp003,
    cp004_login_record_truncated as cp004, cp005_lastlog_mismatch as cp005,
};
use crate::login_records::{LoginFileKind, LoginFileRef};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, LogTime, Subject, tr};
use kensa_fs::{Location, Root};
use kensa_logs::login_records::{
    self, LastlogEntry, LoginRecord, RecordKind, utmp::open_login_file,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Evidence entries kept per finding; the count says how many there were.
const MAX_EVIDENCE: usize = 50;
/// Users whose last login is remembered; beyond this, new names are not compared.
const MAX_USERS: usize = 100_000;
/// How far a record may step back in time before it counts as out of order: absorbs a
/// clock set back at boot and a daylight-saving change on a host keeping local time.
pub const BACKWARD_TOLERANCE_SECS: i64 = 3600;
/// How much newer than lastlog a wtmp login may be (the two are written moments apart).
pub const LASTLOG_TOLERANCE_SECS: i64 = 300;

/// What the login-record checks need besides the files.
pub struct LoginCheckInput<'a> {
    /// The audited root (lastlog files are looked for under it).
    pub root: &'a Arc<Root>,
    /// The wtmp/btmp/wtmpdb files, as [`crate::login_records::discover`] found them.
    pub files: &'a [LoginFileRef],
    /// UID → user name from the root's `passwd`, when it could be read (classic lastlog
    /// is indexed by UID).
    pub users: Option<&'a BTreeMap<u32, Vec<u8>>>,
    /// The host the findings belong to.
    pub host: &'a str,
    /// The host's time zone, for the times shown.
    pub tz: &'a TimeZone,
}

/// A user's most recent interactive login seen in wtmp.
#[derive(Clone)]
struct LastSeen {
    time: Timestamp,
    evidence: Evidence,
}

/// Runs CP002–CP005 over the login files; problems reading them become diagnostics.
pub fn check_login_records(
    input: &LoginCheckInput<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let mut zeroed = Collector::new(&cp002::RULE, input.host);
    let mut order = Collector::new(&cp003::RULE, input.host);
    let mut truncated = Collector::new(&cp004::RULE, input.host);
    let mut classic_logins: HashMap<Box<[u8]>, LastSeen> = HashMap::new();
    let mut db_logins: HashMap<Box<[u8]>, LastSeen> = HashMap::new();
    // Per rotation set (`var/log/wtmp`, its `.1`, `.2.gz` …): the newest time of the
    // older files, so a live file that starts before its rotation ended is out of order.
    let mut set_clocks: HashMap<String, (Timestamp, String)> = HashMap::new();
    for file in input.files {
        match file.kind {
            LoginFileKind::Wtmpdb => {
                let mut local = Vec::new();
                for record in login_records::wtmpdb::read_wtmpdb(&file.location, &mut local) {
                    remember_login(&record, file, input.tz, &mut db_logins);
                }
                diags.extend(rename(local, file));
            }
            LoginFileKind::Sessions | LoginFileKind::Failures => {
                let mut local = Vec::new();
                let set = rotation_set(&file.display);
                let carried = set_clocks.get(&set).cloned();
                let end = scan_file(
                    file,
                    input.tz,
                    carried,
                    &mut local,
                    &mut Sinks {
                        zeroed: &mut zeroed,
                        order: &mut order,
                        truncated: &mut truncated,
                        logins: &mut classic_logins,
                    },
                );
                if let Some(end) = end {
                    set_clocks.insert(set, (end, file.display.clone()));
                }
                diags.extend(rename(local, file));
            }
        }
    }
    let mut findings = Vec::new();
    findings.extend(zeroed.finish());
    findings.extend(order.finish());
    findings.extend(truncated.finish());
    let mut mismatch = Collector::new(&cp005::RULE, input.host);
    if !classic_logins.is_empty() {
        compare_classic_lastlog(input, &classic_logins, &mut mismatch, diags);
    }
    if !db_logins.is_empty() {
        compare_lastlog2(input, &db_logins, &mut mismatch, diags);
    }
    findings.extend(mismatch.finish());
    findings
}

/// Findings of one rule, one per file (merge key: the file), evidence bounded.
struct Collector {
    rule: &'static kensa_core::Rule,
    host: String,
    by_file: BTreeMap<String, Finding>,
}

impl Collector {
    fn new(rule: &'static kensa_core::Rule, host: &str) -> Collector {
        Collector {
            rule,
            host: host.to_string(),
            by_file: BTreeMap::new(),
        }
    }

    fn push(&mut self, file: &str, evidence: Evidence) {
        let finding = self.by_file.entry(file.to_string()).or_insert_with(|| {
            let mut finding = Finding::new(self.rule, self.host.clone());
            finding.subject = Subject {
                path: Some(file.to_string()),
                ..Subject::default()
            };
            finding.merge_key = file.to_string();
            finding
        });
        finding.count += 1;
        if finding.evidence.len() < MAX_EVIDENCE {
            finding.push_evidence(evidence);
        }
    }

    fn finish(self) -> Vec<Finding> {
        self.by_file.into_values().collect()
    }
}

struct Sinks<'a> {
    zeroed: &'a mut Collector,
    order: &'a mut Collector,
    truncated: &'a mut Collector,
    logins: &'a mut HashMap<Box<[u8]>, LastSeen>,
}

/// The readers name files by full path; reports show them relative to the root.
fn rename(diags: Vec<Diagnostic>, file: &LoginFileRef) -> Vec<Diagnostic> {
    let full = file.location.identity().display().to_string();
    diags
        .into_iter()
        .map(|mut diag| {
            if diag.file == full {
                diag.file = file.display.clone();
            }
            diag
        })
        .collect()
}

fn log_time(instant: Timestamp, tz: &TimeZone) -> LogTime {
    LogTime::new(instant, tz.to_offset(instant))
}

/// "a login of root on pts/0 from 192.0.2.7 at 1997-01-02T03:04:05+09:00", and in
/// Japanese "ログイン（ユーザー root、端末 pts/0、接続元 192.0.2.7、1997-01-02T03:04:05+09:00）".
fn describe(record: &LoginRecord, tz: &TimeZone) -> Localized {
    let (what, what_ja) = match record.kind {
        RecordKind::Login => ("a login", "ログイン"),
        RecordKind::Logout => ("a logout", "ログアウト"),
        RecordKind::Boot => ("a boot record", "起動の記録"),
        RecordKind::Shutdown => ("a shutdown record", "停止の記録"),
        RecordKind::RunLevel => ("a run-level record", "ランレベルの記録"),
        RecordKind::TimeChange => ("a clock-change record", "時計変更の記録"),
        RecordKind::Init => ("an init record", "init の記録"),
        RecordKind::LoginProcess => ("a login-process record", "ログインプロセスの記録"),
        RecordKind::Accounting => ("an accounting record", "アカウンティングの記録"),
        RecordKind::Unknown(_) => ("a record of unknown type", "種類不明の記録"),
        RecordKind::Empty => ("a zeroed record", "ゼロで消された記録"),
    };
    let mut text = what.to_string();
    let mut details_ja = Vec::new();
    if !record.user.is_empty() {
        let user = String::from_utf8_lossy(&record.user);
        text.push_str(&format!(" of {user}"));
        details_ja.push(format!("ユーザー {user}"));
    }
    if !record.line.is_empty() {
        let line = String::from_utf8_lossy(&record.line);
        text.push_str(&format!(" on {line}"));
        details_ja.push(format!("端末 {line}"));
    }
    if !record.host.is_empty() && record.kind != RecordKind::Boot {
        let host = String::from_utf8_lossy(&record.host);
        text.push_str(&format!(" from {host}"));
        details_ja.push(format!("接続元 {host}"));
    }
    if let Some(time) = record.time {
        let time = log_time(time, tz);
        text.push_str(&format!(" at {time}"));
        details_ja.push(time.to_string());
    }
    let ja = if details_ja.is_empty() {
        what_ja.to_string()
    } else {
        format!("{what_ja}（{}）", details_ja.join("、"))
    };
    Localized { en: text, ja }
}

fn evidence(file: &LoginFileRef, record: &LoginRecord, text: Localized, tz: &TimeZone) -> Evidence {
    Evidence::described(
        &file.display,
        record.index + 1,
        record.offset,
        text,
        record.time.map(|t| log_time(t, tz)),
    )
}

/// One wtmp/btmp file: zeroed runs between valid records (CP002), steps back in time
/// (CP003), a cut last record (CP004), and each user's last interactive login.
/// `carried`: the newest time of the older files of the same rotation set, and which
/// file it was in. Returns the newest time of this file's records (for the next file).
fn scan_file(
    file: &LoginFileRef,
    tz: &TimeZone,
    carried: Option<(Timestamp, String)>,
    diags: &mut Vec<Diagnostic>,
    sinks: &mut Sinks<'_>,
) -> Option<Timestamp> {
    let Some(opened) = open_login_file(&file.location, diags) else {
        return carried.map(|(t, _)| t);
    };
    let record_size = opened.layout.record_size() as u64;
    // The last valid record, and the zeroed run since it (first index, offset, length).
    let mut previous: Option<LoginRecord> = None;
    let mut zero_run: Option<(u64, u64, u64)> = None;
    let mut leading_zeros = 0u64;
    // The time records are compared against; reset by a clock change.
    let mut clock: Option<Timestamp> = carried.as_ref().map(|(t, _)| *t);
    let mut clock_from_older = carried.map(|(_, file)| file);
    for item in opened.records {
        let record = match item {
            Ok(record) => record,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                let (line, offset) = match &previous {
                    Some(p) => (p.index + 2, p.offset + record_size),
                    None => (1, 0),
                };
                let mut text = Localized {
                    en: e.to_string(),
                    ja: format!("末尾のレコードが途中で切れています（{e}）"),
                };
                if let Some(p) = &previous {
                    let last = describe(p, tz);
                    text.en
                        .push_str(&format!("; the last whole record is {}", last.en));
                    text.ja
                        .push_str(&format!("。最後の完全なレコードは{}", last.ja));
                }
                sinks.truncated.push(
                    &file.display,
                    Evidence::described(
                        &file.display,
                        line,
                        offset,
                        text,
                        previous
                            .as_ref()
                            .and_then(|p| p.time)
                            .map(|t| log_time(t, tz)),
                    ),
                );
                break;
            }
            Err(e) => {
                let (layout_en, layout_ja) =
                    kensa_core::Localized::into_parts(opened.layout.describe());
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    file.display.clone(),
                    None,
                    tr!(
                        "login records ({layout_en}): {e}",
                        "ログイン記録（{layout_ja}）: {e}"
                    ),
                ));
                break;
            }
        };
        if record.kind == RecordKind::Empty {
            match (&mut zero_run, &previous) {
                (Some((_, _, count)), _) => *count += 1,
                (None, Some(_)) => zero_run = Some((record.index, record.offset, 1)),
                (None, None) => leading_zeros += 1,
            }
            continue;
        }
        if let (Some((index, offset, count)), Some(before)) = (zero_run.take(), &previous) {
            let bytes = count * record_size;
            let (after, before_record) = (describe(&record, tz), describe(before, tz));
            let text = Localized {
                en: format!(
                    "{count} zeroed record(s) ({bytes} bytes) between {} and {}",
                    before_record.en, after.en
                ),
                ja: format!(
                    "{}と{}の間に、ゼロで消されたレコードが {count} 件（{bytes} バイト）",
                    before_record.ja, after.ja
                ),
            };
            sinks.zeroed.push(
                &file.display,
                Evidence::described(
                    &file.display,
                    index + 1,
                    offset,
                    text,
                    before.time.map(|t| log_time(t, tz)),
                ),
            );
        }
        if record.kind == RecordKind::TimeChange {
            clock = None;
            clock_from_older = None;
        } else if let Some(time) = record.time {
            match clock {
                Some(before) if before.as_second() - time.as_second() > BACKWARD_TOLERANCE_SECS => {
                    let back = before.as_second() - time.as_second();
                    let (previous_where, previous_where_ja) = clock_from_older
                        .as_deref()
                        .map(|older| {
                            (
                                format!(", the end of the older {older}"),
                                format!("、古いファイル {older} の末尾"),
                            )
                        })
                        .unwrap_or_default();
                    let this = describe(&record, tz);
                    let before = log_time(before, tz);
                    let text = Localized {
                        en: format!(
                            "{}, {} before the previous record ({before}{previous_where})",
                            this.en,
                            human_duration(back)
                        ),
                        ja: format!(
                            "{}: 直前のレコード（{before}{previous_where_ja}）より {} 前",
                            this.ja,
                            human_duration_ja(back)
                        ),
                    };
                    sinks
                        .order
                        .push(&file.display, evidence(file, &record, text, tz));
                    // Judge what follows against the newest time seen, so one pasted
                    // record gives one entry, not one for every record after it.
                }
                Some(before) if time <= before => {}
                _ => {
                    clock = Some(time);
                    clock_from_older = None;
                }
            }
        }
        if file.kind == LoginFileKind::Sessions {
            remember_login(&record, file, tz, sinks.logins);
        }
        previous = Some(record);
    }
    if let Some((index, _, count)) = zero_run {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            file.display.clone(),
            Some(index + 1),
            tr!(
                "{count} zeroed record(s) at the end of the file, after the last valid one \
                 (a crash while the file grew, or the last logins wiped)",
                "ファイルの末尾、最後の有効な記録の後に、0 で埋められた記録が {count} 件あります\
                 （ファイルへの書き込み中の異常停止か、最後のログインの消去）"
            ),
        ));
    }
    if leading_zeros > 0 && previous.is_some() {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            file.display.clone(),
            None,
            tr!(
                "{leading_zeros} zeroed record(s) at the start of the file, before the first \
                 valid one",
                "ファイルの先頭、最初の有効な記録の前に、0 で埋められた記録が {leading_zeros} 件\
                 あります"
            ),
        ));
    }
    clock
}

/// The rotation set a login file belongs to: its path without the rotation suffix
/// (`var/log/wtmp.2.gz` → `var/log/wtmp`, `var/log/btmp-20240101` → `var/log/btmp`).
fn rotation_set(display: &str) -> String {
    let (dir, name) = display.rsplit_once('/').unwrap_or(("", display));
    let base = name.split(['.', '-']).next().unwrap_or(name);
    format!("{dir}/{base}")
}

/// Whether a login record is one `login`/`sshd` also write to lastlog: not FTP, `su`,
/// an X display, or a terminal multiplexer's pseudo-login.
fn writes_lastlog(record: &LoginRecord) -> bool {
    let line = &*record.line;
    let host = &*record.host;
    let service = &*record.service;
    !(line.starts_with(b"ftp")
        || line.starts_with(b":")
        || service.starts_with(b"ftp")
        || service.starts_with(b"su")
        || memchr::memmem::find(host, b"tmux(").is_some()
        || memchr::memmem::find(host, b":S.").is_some()
        || host.starts_with(b":"))
}

fn remember_login(
    record: &LoginRecord,
    file: &LoginFileRef,
    tz: &TimeZone,
    logins: &mut HashMap<Box<[u8]>, LastSeen>,
) {
    if record.kind != RecordKind::Login || record.user.is_empty() || !writes_lastlog(record) {
        return;
    }
    let Some(time) = record.time else {
        return;
    };
    let known = logins.contains_key(&record.user);
    if !known && logins.len() >= MAX_USERS {
        return;
    }
    let newer = logins.get(&record.user).is_none_or(|seen| time > seen.time);
    if newer {
        let text = describe(record, tz);
        logins.insert(
            record.user.clone(),
            LastSeen {
                time,
                evidence: evidence(file, record, text, tz),
            },
        );
    }
}

/// A classic lastlog file under the root, if any (Linux `var/log`, SunOS/Solaris
/// `var/adm`, old BSD `usr/adm`). Links are not followed.
fn classic_lastlog(root: &Arc<Root>) -> Option<(Location, String)> {
    ["var/log/lastlog", "var/adm/lastlog", "usr/adm/lastlog"]
        .into_iter()
        .find(|rel| root.lstat(rel).is_ok_and(|m| m.is_file()))
        .map(|rel| {
            let location = Location::InRoot {
                root: root.clone(),
                rel: rel.into(),
            };
            (location, rel.to_string())
        })
}

fn compare_classic_lastlog(
    input: &LoginCheckInput<'_>,
    logins: &HashMap<Box<[u8]>, LastSeen>,
    mismatch: &mut Collector,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((path, shown)) = classic_lastlog(input.root) else {
        return; // Systems without lastlog (or with lastlog2 only) have nothing to compare.
    };
    let Some(users) = input.users else {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            shown,
            None,
            tr!(
                "not compared with wtmp: the root's passwd (UID → name) could not be read",
                "wtmp と照合していません: 検査対象のルートの passwd（UID → 名前）を読み取れません\
                 でした"
            ),
        ));
        return;
    };
    let mut local = Vec::new();
    let mut by_name: HashMap<&[u8], LastlogEntry> = HashMap::new();
    let mut uid_of: HashMap<&[u8], u32> = HashMap::new();
    for (uid, name) in users {
        uid_of.entry(name.as_slice()).or_insert(*uid);
    }
    for entry in login_records::lastlog::read_lastlog_file(&path, &mut local) {
        if let Some(name) = entry.uid.and_then(|uid| users.get(&uid)) {
            by_name.insert(name.as_slice(), entry);
        }
    }
    let full = path.identity().display().to_string();
    for mut diag in local {
        if diag.file == full {
            diag.file = shown.clone();
        }
        diags.push(diag);
    }
    compare(logins, &shown, mismatch, |user| {
        let uid = *uid_of.get(user)?;
        Some((by_name.get(user).and_then(|e| e.time), format!("UID {uid}")))
    });
}

fn compare_lastlog2(
    input: &LoginCheckInput<'_>,
    logins: &HashMap<Box<[u8]>, LastSeen>,
    mismatch: &mut Collector,
    diags: &mut Vec<Diagnostic>,
) {
    let shown = "var/lib/lastlog/lastlog2.db";
    if !input.root.lstat(shown).is_ok_and(|m| m.is_file()) {
        return;
    }
    let path = Location::InRoot {
        root: input.root.clone(),
        rel: shown.into(),
    };
    let mut local = Vec::new();
    let by_name: HashMap<Box<[u8]>, LastlogEntry> =
        login_records::wtmpdb::read_lastlog2(&path, &mut local)
            .map(|entry| (entry.user.clone(), entry))
            .collect();
    let full = path.identity().display().to_string();
    for mut diag in local {
        if diag.file == full {
            diag.file = shown.to_string();
        }
        diags.push(diag);
    }
    compare(logins, shown, mismatch, |user| {
        Some((
            by_name.get(user).and_then(|e| e.time),
            "lastlog2".to_string(),
        ))
    });
}

/// `lookup(user)`: `None` when the user cannot be compared (not in passwd), else the
/// lastlog time (None: no entry) and how the entry is keyed, for the message.
fn compare(
    logins: &HashMap<Box<[u8]>, LastSeen>,
    lastlog_shown: &str,
    mismatch: &mut Collector,
    lookup: impl Fn(&[u8]) -> Option<(Option<Timestamp>, String)>,
) {
    let mut users: Vec<(&Box<[u8]>, &LastSeen)> = logins.iter().collect();
    users.sort_by(|a, b| a.1.time.cmp(&b.1.time).then_with(|| a.0.cmp(b.0)));
    for (user, seen) in users {
        let Some((lastlog_time, key)) = lookup(user) else {
            continue;
        };
        let name = String::from_utf8_lossy(user);
        let problem = match lastlog_time {
            None => tr!(
                "{lastlog_shown} has no entry for {name} ({key})",
                "{lastlog_shown} に {name} の記録がない（{key}）"
            ),
            Some(t) if seen.time.as_second() - t.as_second() > LASTLOG_TOLERANCE_SECS => {
                let at = seen
                    .evidence
                    .time
                    .map(|lt| LogTime::new(t, lt.offset).to_string())
                    .unwrap_or_else(|| t.to_string());
                tr!(
                    "{lastlog_shown} says {name}'s last login was earlier, at {at} ({key})",
                    "{lastlog_shown} では {name} の最終ログインはそれより前の {at}（{key}）"
                )
            }
            Some(_) => continue,
        };
        let mut evidence = seen.evidence.clone();
        let text_ja = evidence.text_in(kensa_core::Lang::Ja).to_string();
        evidence.text = format!("{}; {}", evidence.text, problem.en);
        evidence.text_ja = Some(format!("{text_ja}。{}", problem.ja));
        let file = evidence.file.clone();
        mismatch.push(&file, evidence);
        if let Some(finding) = mismatch.by_file.get_mut(&file)
            && !finding.subject.users.iter().any(|u| *u == name)
        {
            finding.subject.users.push(name.into_owned());
        }
    }
}

/// "5 時間", "3 日 2 時間", "12 分".
pub(crate) fn human_duration_ja(seconds: i64) -> String {
    let s = seconds.abs();
    if s >= 86_400 {
        format!("{} 日 {} 時間", s / 86_400, (s % 86_400) / 3600)
    } else if s >= 3600 {
        format!("{} 時間 {} 分", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} 分", s / 60)
    } else {
        format!("{s} 秒")
    }
}

/// "5 h", "3 d 2 h", "12 min".
pub(crate) fn human_duration(seconds: i64) -> String {
    let s = seconds.abs();
    if s >= 86_400 {
        format!("{} d {} h", s / 86_400, (s % 86_400) / 3600)
    } else if s >= 3600 {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    } else if s >= 60 {
        format!("{} min", s / 60)
    } else {
        format!("{s} s")
    }
}
