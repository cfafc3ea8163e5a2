//! The logs real FTP daemons wrote under attack (`tests/fixtures/ftp-live`, captured by
//! `crates/kensa/tests/live/ftp-attack.sh`; its README says with which versions), checked
//! against the truth the attack script recorded: per file, the password tries and logins
//! each source's lines stand for; per source, the findings of the whole root.
//!
//! The fixture is the capture as written — addresses on 127.0.N.M, one /24 per daemon
//! configuration — so a machine without the packages still tests the parsers on what
//! today's servers write.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::tz::TimeZone;
use kensa_core::Finding;
use kensa_detect::auth::AuthParser;
use kensa_detect::auth::guessing::GuessingConfig;
use kensa_detect::engine::{self, ScanConfig};
use kensa_logs::record::{LineRef, Record};
use kensa_logs::{source, syslog};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ftp-live")
}

/// One row of `truth.tsv`.
struct Truth {
    source: String,
    daemon: String,
    tries: u64,
    outcome: String,
}

fn truth() -> Vec<Truth> {
    std::fs::read_to_string(fixture().join("truth.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Truth {
                source: f[0].into(),
                daemon: f[1].into(),
                tries: f[3].parse().unwrap(),
                outcome: f[4].into(),
            }
        })
        .collect()
}

/// Per source: failed tries (summed counts) and logins.
type Tally = BTreeMap<String, (u64, u64)>;

/// What one file's lines say, through the authentication parsers.
fn tally_file(rel: &str) -> Tally {
    let text = std::fs::read(fixture().join("root").join(rel)).unwrap();
    let mut parser = AuthParser::default();
    let mut tally = Tally::new();
    for (n, raw) in text.split(|&b| b == b'\n').enumerate() {
        let Some(header) = syslog::parse_any(raw) else {
            continue;
        };
        let record = Record {
            at: LineRef {
                file: rel,
                line: n as u64 + 1,
                offset: 0,
                raw,
                before: &[],
                journal: None,
            },
            time: None,
            host: header
                .host
                .map_or(Cow::Borrowed("vm"), String::from_utf8_lossy),
            program: header.program,
            pid: header.pid,
            message: header.message,
        };
        let Some(event) = parser.parse(&record) else {
            continue;
        };
        let source = event.source.clone().unwrap_or_default();
        let entry = tally.entry(source).or_default();
        if event.outcome.is_failure() {
            entry.0 += u64::from(event.count);
        } else {
            entry.1 += 1;
        }
    }
    tally
}

/// What the truth says `daemons` did, as a file that logs their failures (and, when
/// `logins`, their logins) should show it.
fn expected(daemons: &[&str], logins: bool) -> Tally {
    let mut tally = Tally::new();
    for row in truth()
        .iter()
        .filter(|r| daemons.contains(&r.daemon.as_str()))
    {
        let is_login = row.outcome == "logged-in";
        if row.tries == 0 && !(is_login && logins) {
            continue;
        }
        let entry = tally.entry(row.source.clone()).or_default();
        entry.0 += row.tries;
        if is_login && logins {
            entry.1 += 1;
        }
    }
    tally
}

/// Each file's authentication events per source are the truth's tries and logins: every
/// failed password once (PAM's line and the daemon's in two files are each one), every
/// login the daemon logs, and the `CONNECT`, `USER … 331`, transfer and session lines
/// nothing.
#[test]
fn each_file_counts_the_tries_and_logins_of_its_daemon() {
    for (file, daemons, logins) in [
        // vsftpd's own log: `[pid N] [USER] FAIL LOGIN: Client "::ffff:127.0.1.10"`.
        ("var/log/vsftpd.log", &["vsftpd"][..], true),
        // vsftpd through syslog, pure-ftpd (syslog only).
        (
            "var/log/syslog",
            &["vsftpd-syslog", "pure-ftpd", "pure-ftpd-xferlog"],
            true,
        ),
        // vsftpd's PAM (failures only), proftpd through syslog (failures only: proftpd
        // 1.3.8 logs no successful login at its default level).
        (
            "var/log/auth.log",
            &["vsftpd", "vsftpd-syslog", "proftpd-syslog"],
            false,
        ),
        ("var/log/proftpd/proftpd.log", &["proftpd"], false),
        // The ExtendedLog `auth` format: PASS 530 and 230, the user from USER.
        ("var/log/proftpd/auth.log", &["proftpd"], true),
        ("var/log/xferlog", &[], false),
        ("var/log/proftpd/xferlog", &[], false),
        ("var/log/pure-ftpd/transfer.log", &[], false),
        ("var/log/pure-ftpd/xferlog.log", &[], false),
    ] {
        assert_eq!(tally_file(file), expected(daemons, logins), "{file}");
    }
}

fn scan_root() -> Vec<Finding> {
    let root = fixture().join("root");
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(&root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let names: Vec<&str> = sets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "var/log/auth.log",
            "var/log/proftpd/auth.log",
            "var/log/proftpd/proftpd.log",
            "var/log/proftpd/xferlog",
            "var/log/pure-ftpd/transfer.log",
            "var/log/pure-ftpd/xferlog.log",
            "var/log/syslog",
            "var/log/vsftpd.log",
            "var/log/xferlog",
        ]
    );
    let config = ScanConfig {
        tz: TimeZone::UTC,
        default_host: "vm".into(),
        year: Some(2026),
        since: None,
        until: None,
        guessing: GuessingConfig::default(),
        select: Vec::new(),
        tap: None,
    };
    engine::scan_logs(&sets, &[], &config).findings
}

/// The findings of the captured root, per source: every attack the logs show, with its
/// count, and nothing for the owner's logins and downloads (127.0.N.14) or the anonymous
/// download (127.0.N.15).
#[test]
fn every_attack_is_found_and_the_benign_sources_are_silent() {
    let findings = scan_root();
    assert!(findings.iter().all(|f| f.host == "vm"), "one host");
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &findings {
        let source = f.subject.source.clone().unwrap_or_default();
        let path = f.subject.path.as_deref().unwrap_or("");
        let name = path.rsplit('/').next().unwrap_or("");
        let entry = match f.code {
            // The same-source login after failures counts them; the same-account one (a
            // login from an address new to the host) is the rules' second opinion.
            "LG005" if f.count != 5 => "LG005 account".to_string(),
            "FT011" | "FT012" | "FT013" => format!("{} {name}", f.code),
            code => format!("{code} {}", f.count),
        };
        got.entry(source).or_default().push(entry);
    }
    for list in got.values_mut() {
        list.sort();
    }
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut put = |source: String, entries: &[String]| {
        let mut entries = entries.to_vec();
        entries.sort();
        want.insert(source, entries);
    };
    for (net, daemon) in [
        (1, "vsftpd"),
        (2, "proftpd"),
        (3, "pure-ftpd"),
        (4, "vsftpd-syslog"),
        (5, "proftpd-syslog"),
        (6, "pure-ftpd-xferlog"),
    ] {
        let src = |n: u32| format!("127.0.{net}.{n}");
        let s = |e: &str| e.to_string();
        put(src(10), &[s("LG001 10")]);
        put(src(12), &[s("LG001 8")]);
        match daemon {
            // proftpd through syslog logs the 5 failures (below a burst), not the login.
            "proftpd-syslog" => {}
            // The login is in the ExtendedLog, the other sources' guesses in the
            // SystemLog: the rules give the same-source finding only.
            "proftpd" => put(src(11), &[s("LG005 5")]),
            _ => put(src(11), &[s("LG005 5"), s("LG005 account")]),
        }
        let notes = format!("notes-{daemon}.txt");
        let uploads: Vec<String> = match daemon {
            // Accepted and refused dot files, the plain file; `incoming` is silent.
            "vsftpd" | "vsftpd-syslog" => vec![
                s("FT011 .forward"),
                s("FT011 .rhosts"),
                s("FT012 .forward"),
                s("FT012 .rhosts"),
                format!("FT013 {notes}"),
            ],
            // proftpd's TransferLog has only completed transfers.
            "proftpd" => vec![
                s("FT011 .forward"),
                s("FT011 .rhosts"),
                format!("FT013 {notes}"),
            ],
            // pure-ftpd refuses every anonymous dot file and logs nothing of it.
            "pure-ftpd" | "pure-ftpd-xferlog" => vec![format!("FT013 {notes}")],
            // `TransferLog none`, and syslog has no transfers.
            _ => vec![],
        };
        if !uploads.is_empty() {
            put(src(13), &uploads);
        }
    }
    assert_eq!(got, want);
}
