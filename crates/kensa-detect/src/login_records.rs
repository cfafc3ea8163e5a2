//! Binary login records as authentication events: failed logins from `btmp`, sessions
//! from `wtmp`/`wtmpx` and Debian 13's `wtmpdb`. They join the same guessing detectors as
//! the text logs, so a burst of `Failed password` lines in `auth.log` followed by a
//! session that only `wtmp` shows is still "success after failures".
//!
//! The source of a record is its binary address field when the layout has one, else the
//! host text the login program wrote (which a reverse-DNS name under the attacker's
//! control can shape — it is shown, not trusted for anything but grouping).

use crate::auth::{AuthEvent, AuthOutcome, Service};
use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Localized, LogTime, tr};
use kensa_fs::{Location, Root};
use kensa_logs::login_records::{self, LoginRecord, RecordKind};
use std::sync::Arc;

/// What a login file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFileKind {
    /// Sessions (wtmp, wtmpx).
    Sessions,
    /// Failed logins (btmp, btmpx).
    Failures,
    /// Debian 13's SQLite session database.
    Wtmpdb,
}

/// A login file found under the root.
#[derive(Debug, Clone)]
pub struct LoginFileRef {
    /// Where it is (in the audited root, or a path the analyst named); its
    /// [`Location::identity`] is the state database's key.
    pub location: Location,
    /// How to show it (relative to the root).
    pub display: String,
    /// What it holds.
    pub kind: LoginFileKind,
}

/// The login files under `root`, each rotation set oldest first: `var/log/{wtmp,btmp}*`,
/// `var/adm/{wtmp,wtmpx,btmp,btmpx}*`, `usr/adm/wtmp*`, and wtmpdb's `var/lib/wtmpdb/wtmp.db`
/// after the `wtmp_YYYYMMDD.db` files `wtmpdb rotate` moved its older sessions into. Links
/// and anything but regular files are passed over with a note.
pub fn discover(root: &Arc<Root>, diags: &mut Vec<Diagnostic>) -> Vec<LoginFileRef> {
    let mut found = Vec::new();
    for dir in ["var/log", "var/adm", "usr/adm"] {
        let mut names = list_names(root, dir, |name| {
            ["wtmp", "wtmpx", "btmp", "btmpx"]
                .iter()
                .any(|base| is_rotation_of(name, base))
        });
        // Oldest first: the highest rotation number first, the live file last.
        names.sort_by_key(|name| std::cmp::Reverse(rotation_number(name)));
        for name in names {
            let display = format!("{dir}/{name}");
            match root.lstat(&display) {
                Ok(meta) if meta.is_file() => {
                    let kind = if name.starts_with("btmp") {
                        LoginFileKind::Failures
                    } else {
                        LoginFileKind::Sessions
                    };
                    found.push(LoginFileRef::in_root(root, display, kind));
                }
                Ok(_) => diags.push(not_a_regular_file(display)),
                Err(_) => {}
            }
        }
    }
    found.extend(wtmpdb_files(root, diags));
    found
}

/// wtmpdb's databases, oldest first: `wtmpdb rotate` moves the sessions older than its
/// limit into `wtmp_YYYYMMDD.db` beside `wtmp.db` (named by the day it ran), so the dated
/// files come first, in date order, and the live `wtmp.db` last.
fn wtmpdb_files(root: &Arc<Root>, diags: &mut Vec<Diagnostic>) -> Vec<LoginFileRef> {
    const DIR: &str = "var/lib/wtmpdb";
    let mut names = list_names(root, DIR, |name| {
        name == "wtmp.db" || rotated_wtmpdb_day(name).is_some()
    });
    // The live file sorts after every dated one.
    names.sort_by_key(|name| rotated_wtmpdb_day(name).unwrap_or(u32::MAX));
    let mut found = Vec::new();
    for name in names {
        let display = format!("{DIR}/{name}");
        match root.lstat(&display) {
            Ok(meta) if meta.is_file() => {
                found.push(LoginFileRef::in_root(root, display, LoginFileKind::Wtmpdb));
            }
            Ok(_) => diags.push(not_a_regular_file(display)),
            Err(_) => {}
        }
    }
    found
}

/// The UTF-8 names in the root's directory `dir` that `wanted` accepts (a missing or
/// unreadable directory has none: the log discovery reports unreadable log directories).
fn list_names(root: &Root, dir: &str, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let mut keep = |name: &[u8]| std::str::from_utf8(name).is_ok_and(&wanted);
    root.read_dir_matching(dir, &mut keep, MAX_LOGIN_FILES_PER_DIR)
        .map(|listing| {
            listing
                .entries
                .into_iter()
                .filter_map(|entry| entry.name.into_string().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Login files taken from one directory (rotations of wtmp and btmp, or wtmpdb's).
const MAX_LOGIN_FILES_PER_DIR: usize = 1_000;

impl LoginFileRef {
    /// The file `rel` of the audited root.
    pub fn in_root(root: &Arc<Root>, rel: String, kind: LoginFileKind) -> LoginFileRef {
        LoginFileRef {
            location: Location::InRoot {
                root: root.clone(),
                rel: (&rel).into(),
            },
            display: rel,
            kind,
        }
    }
}

/// The day in a rotated wtmpdb name, `wtmp_20250101.db` → 20250101.
fn rotated_wtmpdb_day(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("wtmp_")?.strip_suffix(".db")?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn not_a_regular_file(display: String) -> Diagnostic {
    Diagnostic::say(
        DiagnosticLevel::Note,
        display,
        None,
        tr!(
            "not a regular file (a link or special file): not read",
            "通常のファイルではない（リンクまたは特殊ファイル）ため、読み取りません\
             でした"
        ),
    )
}

fn is_rotation_of(name: &str, base: &str) -> bool {
    let Some(rest) = name.strip_prefix(base) else {
        return false;
    };
    rest.is_empty() || rest.starts_with('.') || rest.starts_with('-')
}

fn rotation_number(name: &str) -> u32 {
    name.split(['.', '-'])
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// The events of one login file, oldest first, passed to `sink`; returns how many.
pub fn read_events(
    file: &LoginFileRef,
    host: &str,
    tz: &TimeZone,
    diags: &mut Vec<Diagnostic>,
    sink: &mut dyn FnMut(AuthEvent),
) -> u64 {
    let mut count = 0;
    let mut local = Vec::new();
    let mut handle = |record: LoginRecord| {
        if let Some(event) = to_event(&record, file, host, tz) {
            count += 1;
            sink(event);
        }
    };
    match file.kind {
        LoginFileKind::Wtmpdb => {
            login_records::wtmpdb::read_wtmpdb(&file.location, &mut local).for_each(&mut handle)
        }
        _ => login_records::read_login_file(&file.location, &mut local).for_each(&mut handle),
    }
    // The readers name the file by its full path; reports show it relative to the root.
    let full = file.location.identity().display().to_string();
    for mut diag in local {
        if diag.file == full {
            diag.file = file.display.clone();
        }
        diags.push(diag);
    }
    count
}

/// One record as an event: a named record in a failures file is a failed login; a login
/// record in a sessions file is a session. Boots, logouts and wiped records are not
/// logins (the tampering checks read those).
fn to_event(
    record: &LoginRecord,
    file: &LoginFileRef,
    host: &str,
    tz: &TimeZone,
) -> Option<AuthEvent> {
    if record.user.is_empty() {
        return None;
    }
    // shadow's login records `UNKNOWN` for a name that is no account.
    let unknown = &*record.user == b"UNKNOWN";
    let outcome = match (file.kind, record.kind) {
        (
            LoginFileKind::Failures,
            RecordKind::Login | RecordKind::LoginProcess | RecordKind::Unknown(_),
        ) if unknown => AuthOutcome::InvalidUser,
        (
            LoginFileKind::Failures,
            RecordKind::Login | RecordKind::LoginProcess | RecordKind::Unknown(_),
        ) => AuthOutcome::Failure,
        (LoginFileKind::Sessions | LoginFileKind::Wtmpdb, RecordKind::Login) => {
            AuthOutcome::Session
        }
        _ => return None,
    };
    let line = String::from_utf8_lossy(&record.line).into_owned();
    let remote_host = String::from_utf8_lossy(&record.host).into_owned();
    // The host as the program wrote it, as its log lines name the client too (telnetd
    // gives login `localhost` for 127.0.0.1; sshd writes the address): then a failure in
    // btmp and in the log is one source. The address, when the record has one, is in
    // the evidence. One spelling per client (`::ffff:a.b.c.d` in a 16-byte address
    // field is a.b.c.d).
    let canonical_address = record.addr.map(|a| a.to_canonical().to_string());
    let source = if remote_host.is_empty() {
        canonical_address.clone()
    } else {
        Some(crate::address::normalize_source_str(&remote_host).to_string())
    };
    let address = canonical_address.filter(|a| Some(a) != source.as_ref());
    let service = service_of(&record.line, &record.service, source.is_some());
    let time = record
        .time
        .map(|instant| LogTime::new(instant, tz.to_offset(instant)));
    let user = String::from_utf8_lossy(&record.user).into_owned();
    let (what, what_ja) = if outcome == AuthOutcome::Failure {
        ("failed login", "ログイン失敗")
    } else {
        ("login", "ログイン")
    };
    let (from, from_ja) = match (remote_host.is_empty(), address.as_deref()) {
        (true, _) => (String::new(), String::new()),
        (false, None) => (
            format!(" from {remote_host}"),
            format!("、接続元 {remote_host}"),
        ),
        (false, Some(address)) => (
            format!(" from {remote_host} [{address}]"),
            format!("、接続元 {remote_host} [{address}]"),
        ),
    };
    let (at, at_ja) = time.map_or((String::new(), String::new()), |t| {
        (format!(" at {t}"), format!("、{t}"))
    });
    let text = Localized {
        en: format!("{what}: user {user} on {line}{from}{at}"),
        ja: format!("{what_ja}: ユーザー {user}、端末 {line}{from_ja}{at_ja}"),
    };
    let evidence = Evidence::described(&file.display, record.index + 1, record.offset, text, time);
    Some(AuthEvent {
        host: host.to_string(),
        service,
        outcome,
        user: (!unknown).then_some(user),
        source,
        port: None,
        address,
        local_user: None,
        time,
        count: 1,
        probe: false,
        evidence,
    })
}

/// The service a record's line (or wtmpdb's PAM service) names.
fn service_of(line: &[u8], pam_service: &[u8], remote: bool) -> Service {
    let name = if pam_service.is_empty() {
        line
    } else {
        pam_service
    };
    if name.starts_with(b"ssh") {
        Service::Ssh
    } else if name.starts_with(b"ftp") {
        Service::Ftp
    } else if name.starts_with(b"su") {
        Service::Su
    } else if remote {
        Service::Telnet
    } else {
        Service::Login
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotations_are_recognised_and_ordered() {
        assert!(is_rotation_of("wtmp", "wtmp"));
        assert!(is_rotation_of("wtmp.1.gz", "wtmp"));
        assert!(is_rotation_of("btmp-20240101", "btmp"));
        assert!(!is_rotation_of("wtmpx", "wtmp"));
        assert_eq!(rotation_number("wtmp.2.gz"), 2);
        assert_eq!(rotation_number("wtmp"), 0);
    }

    #[test]
    fn rotated_wtmpdb_files_come_before_the_live_one_in_date_order() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("var/lib/wtmpdb");
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "wtmp.db",
            "wtmp_20250101.db",
            "wtmp_20240601.db",
            "wtmp_2024.db",
            "wtmp.db-journal",
        ] {
            std::fs::write(dir.join(name), b"").unwrap();
        }
        std::os::unix::fs::symlink("/etc/passwd", dir.join("wtmp_20230101.db")).unwrap();
        let mut diags = Vec::new();
        let found: Vec<String> = discover(&kensa_testkit::root_at(root.path()), &mut diags)
            .into_iter()
            .map(|f| f.display)
            .collect();
        assert_eq!(
            found,
            [
                "var/lib/wtmpdb/wtmp_20240601.db",
                "var/lib/wtmpdb/wtmp_20250101.db",
                "var/lib/wtmpdb/wtmp.db"
            ]
        );
        // The link is named, not followed.
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].file, "var/lib/wtmpdb/wtmp_20230101.db");
    }

    #[test]
    fn services_come_from_the_line() {
        assert_eq!(service_of(b"ssh:notty", b"", true), Service::Ssh);
        assert_eq!(service_of(b"ftpd1234", b"", true), Service::Ftp);
        assert_eq!(service_of(b"pts/0", b"sshd", true), Service::Ssh);
        assert_eq!(service_of(b"ttyp0", b"", true), Service::Telnet);
        assert_eq!(service_of(b"console", b"", false), Service::Login);
    }
}
