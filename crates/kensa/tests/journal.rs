//! A host whose logs are only in the systemd journal gives the same findings as the
//! same logs in text files; a host that keeps both counts each attack once.
//!
//! The journal is written by systemd's own code: the generated corpus's syslog lines are
//! turned into journal export format and fed to Debian's `systemd-journal-remote`, which
//! writes `system.journal` exactly as journald would (systemd 252: zstd-compressed large
//! fields, keyed hash, compact mode). Evidence must name the entry by a cursor that
//! `journalctl --file F --cursor C` finds, with the same message.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const JOURNAL_REMOTE: &str = "/lib/systemd/systemd-journal-remote";
const MACHINE_ID: &str = "4f7c1d0e9b8a4c6d8e2f1a3b5c7d9e0f";

/// systemd-journal-remote, or `None` after saying why (a failure under CI).
fn journal_remote() -> Option<PathBuf> {
    let path = PathBuf::from(JOURNAL_REMOTE);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "KENSA_REQUIRE_SHARED is set but {JOURNAL_REMOTE} is missing (apt-get install systemd-journal-remote)"
    );
    println!("skipped: {JOURNAL_REMOTE} not found");
    None
}

/// One entry of the journal to write.
struct Entry {
    micros: i64,
    host: Vec<u8>,
    program: Vec<u8>,
    pid: Option<u32>,
    message: Vec<u8>,
}

/// The syslog-format lines of the corpus's streams as journal entries, each distinct line
/// once (the loghost wrote mail lines to both `maillog` and `syslog`; journald stores a
/// message once), in time order. The corpus runs from December 1996 into January 1997,
/// so a year-less December stamp is 1996 and any other 1997.
fn entries_of(root: &Path) -> Vec<Entry> {
    let tz = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut entries = Vec::new();
    let log = root.join("var/log");
    let mut names: Vec<String> = std::fs::read_dir(&log)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| !name.starts_with("xferlog"))
        .collect();
    names.sort();
    for name in names {
        let mut text = Vec::new();
        let mut decoded = kensa_logs::decode::open(&kensa_testkit::analyst_file(&log.join(&name)))
            .unwrap()
            .reader;
        std::io::Read::read_to_end(&mut decoded, &mut text).unwrap();
        for line in text.split(|&b| b == b'\n') {
            let Some(header) = kensa_logs::syslog::parse(line) else {
                continue;
            };
            let instant = match header.stamp {
                kensa_logs::syslog::Stamp::Yearless {
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    subsec_nanos,
                } => {
                    let year = if month == 12 { 1996 } else { 1997 };
                    tz.to_timestamp(jiff::civil::datetime(
                        year,
                        month,
                        day,
                        hour,
                        minute,
                        second,
                        subsec_nanos,
                    ))
                    .unwrap()
                }
                kensa_logs::syslog::Stamp::Offset(dt, offset) => offset.to_timestamp(dt).unwrap(),
                kensa_logs::syslog::Stamp::Instant(instant) => instant,
                kensa_logs::syslog::Stamp::Local(dt) => tz.to_timestamp(dt).unwrap(),
            };
            // A line in two files (maillog and syslog) is one message.
            if !seen.insert(line.to_vec()) {
                continue;
            }
            entries.push(Entry {
                micros: instant.as_microsecond(),
                host: header.host.unwrap_or_default().to_vec(),
                program: header.program.to_vec(),
                pid: header.pid,
                message: header.message.to_vec(),
            });
        }
    }
    entries.sort_by_key(|e| e.micros);
    entries
}

/// The entries in journal export format (binary-safe field form for the message).
fn export(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        writeln!(out, "__REALTIME_TIMESTAMP={}", entry.micros).unwrap();
        writeln!(out, "__MONOTONIC_TIMESTAMP={}", 1_000_000 + n as u64).unwrap();
        writeln!(out, "_BOOT_ID=0123456789abcdef0123456789abcdef").unwrap();
        writeln!(out, "_MACHINE_ID={MACHINE_ID}").unwrap();
        let mut field = |name: &str, value: &[u8]| {
            out.extend_from_slice(name.as_bytes());
            out.push(b'\n');
            out.extend_from_slice(&(value.len() as u64).to_le_bytes());
            out.extend_from_slice(value);
            out.push(b'\n');
        };
        if !entry.host.is_empty() {
            field("_HOSTNAME", &entry.host);
        }
        if !entry.program.is_empty() {
            field("SYSLOG_IDENTIFIER", &entry.program);
        }
        if let Some(pid) = entry.pid {
            field("_PID", pid.to_string().as_bytes());
        }
        field("MESSAGE", &entry.message);
        out.push(b'\n');
    }
    out
}

/// Writes the journal of `entries` into `root`'s `var/log/journal/MACHINE-ID/`.
fn write_journal(remote: &Path, root: &Path, entries: &[Entry]) -> PathBuf {
    let dir = root.join("var/log/journal").join(MACHINE_ID);
    std::fs::create_dir_all(&dir).unwrap();
    let input = root.join("../export.txt");
    std::fs::write(&input, export(entries)).unwrap();
    let journal = dir.join("system.journal");
    let output = Command::new(remote)
        .arg("--split-mode=none")
        .arg("-o")
        .arg(&journal)
        .arg(&input)
        .output()
        .expect("systemd-journal-remote runs");
    assert!(
        output.status.success(),
        "systemd-journal-remote failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_file(&input).unwrap();
    journal
}

fn scan(root: &Path) -> Value {
    let out = common::kensa(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    assert!(
        out.status.code() == Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Findings by what they say, not where the lines are: (code, host, outcome, source,
/// accounts) → count.
fn summary(report: &Value, skip: &[&str]) -> BTreeMap<String, u64> {
    common::findings_summary(report, |code| !skip.iter().any(|s| code.starts_with(s)))
}

/// Rules that are about text files as such: NUL runs (CP001) and the time-line checks
/// (CP006–CP008) read the bytes and the order of lines of a text file.
const TEXT_FILE_RULES: &[&str] = &["CP001", "CP006", "CP007", "CP008"];

fn prepared_roots() -> Option<(tempfile::TempDir, PathBuf, PathBuf, PathBuf, PathBuf)> {
    let shared = common::shared_dir()?;
    let remote = journal_remote()?;
    let dir = tempfile::tempdir().unwrap();
    // The same directory name everywhere: a host without a name of its own is named after
    // it (xferlog lines carry no host).
    let text_root = dir.path().join("text/host");
    common::generate_corpus(&shared, &text_root, &["--small"]);
    std::fs::create_dir_all(text_root.join("etc")).unwrap();
    std::fs::write(text_root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    let entries = entries_of(&text_root);
    assert!(entries.len() > 10_000, "only {} entries", entries.len());

    // A host with only a journal (xferlog stays: wu-ftpd writes it itself).
    let journal_root = dir.path().join("journal/host");
    std::fs::create_dir_all(journal_root.join("etc")).unwrap();
    std::fs::create_dir_all(journal_root.join("var/log")).unwrap();
    std::fs::write(journal_root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    for entry in std::fs::read_dir(text_root.join("var/log")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if name.starts_with("xferlog") {
            std::fs::copy(entry.path(), journal_root.join("var/log").join(&name)).unwrap();
        }
    }
    let journal = write_journal(&remote, &journal_root, &entries);

    // A Debian-style host keeping both.
    let both_root = dir.path().join("both/host");
    std::fs::create_dir_all(both_root.join("var/log/journal").join(MACHINE_ID)).unwrap();
    let copy = Command::new("cp")
        .arg("-a")
        .arg(text_root.join("etc"))
        .arg(text_root.join("var"))
        .arg(&both_root)
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::copy(
        &journal,
        both_root
            .join("var/log/journal")
            .join(MACHINE_ID)
            .join("system.journal"),
    )
    .unwrap();
    Some((dir, text_root, journal_root, both_root, journal))
}

#[test]
fn a_journal_gives_the_findings_of_the_same_text_logs_and_both_count_once() {
    let Some((_dir, text_root, journal_root, both_root, journal)) = prepared_roots() else {
        return;
    };
    if std::env::var_os("KENSA_KEEP_TEST_ROOTS").is_some() {
        println!("roots kept in {}", _dir.path().display());
        std::mem::forget(_dir);
    }
    let text = scan(&text_root);
    let from_journal = scan(&journal_root);
    let both = scan(&both_root);

    let want = summary(&text, TEXT_FILE_RULES);
    assert!(
        want.keys().any(|k| k.starts_with("SM002")) && want.keys().any(|k| k.starts_with("LG")),
        "the text logs give sendmail and guessing findings: {want:#?}"
    );
    let got = summary(&from_journal, TEXT_FILE_RULES);
    assert_eq!(got, want, "journal-only host differs from the text logs");
    let got_both = summary(&both, TEXT_FILE_RULES);
    assert_eq!(
        got_both, want,
        "a host keeping both counts attacks twice or misses some"
    );

    // The journal was examined, and said so.
    let journal_display = format!("var/log/journal/{MACHINE_ID}/system.journal");
    let examined = from_journal.to_string();
    assert!(examined.contains(&journal_display), "journal not listed");

    // Evidence from the journal names the entry by a cursor journalctl finds.
    let mut checked = 0;
    for host in from_journal["hosts"].as_array().unwrap() {
        for finding in host["findings"].as_array().unwrap() {
            for evidence in finding["evidence"].as_array().unwrap() {
                if evidence["file"] != journal_display.as_str() {
                    continue;
                }
                let Some(cursor) = evidence["journal"]["cursor"].as_str() else {
                    continue;
                };
                if checked >= 5 {
                    continue;
                }
                let out = Command::new("journalctl")
                    .arg("--file")
                    .arg(&journal)
                    .arg("--cursor")
                    .arg(cursor)
                    .args(["-n", "1", "-o", "export", "--no-pager"])
                    .output()
                    .expect("journalctl runs");
                let shown = String::from_utf8_lossy(&out.stdout);
                let seqnum = evidence["journal"]["seqnum"].as_u64().unwrap();
                assert!(
                    shown.starts_with(&format!("__CURSOR={cursor}\n")),
                    "cursor {cursor} shows another entry: {shown}"
                );
                assert!(cursor.contains(&format!(";i={seqnum:x};")), "{cursor}");
                let text = evidence["text"].as_str().unwrap();
                let message = text.split_once(": ").map_or(text, |(_, m)| m);
                assert!(
                    shown.contains(&message[..message.len().min(60)]),
                    "{message} not in {shown}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 5,
        "only {checked} journal evidence lines checked"
    );
}

/// sshd's lines of a guessing burst from `source` with a guessed login at the end, one
/// second apart from `start` (µs).
fn burst(start: i64, source: &str, failures: u32, pid: u32) -> Vec<Entry> {
    let mut entries = Vec::new();
    for n in 0..=failures {
        let message = if n < failures {
            format!(
                "Failed password for root from {source} port {} ssh2",
                40000 + n
            )
        } else {
            format!(
                "Accepted password for root from {source} port {} ssh2",
                40000 + n
            )
        };
        entries.push(Entry {
            micros: start + i64::from(n) * 1_000_000,
            host: b"deb12".to_vec(),
            program: b"sshd".to_vec(),
            pid: Some(pid + n),
            message: message.into_bytes(),
        });
    }
    entries
}

fn scan_with_state(root: &Path, state: &Path) -> (Option<i32>, Value) {
    let out = common::kensa(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr))),
    )
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_journal_only_debian_host_is_compromised_and_reruns_read_only_new_entries() {
    let Some(remote) = journal_remote() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/timezone"), "Etc/UTC\n").unwrap();
    std::fs::write(root.join("etc/hostname"), "deb12\n").unwrap();
    // 2024-06-08T10:00:00Z
    let start = 1_717_840_800_000_000;
    let journal = write_journal(&remote, &root, &burst(start, "192.0.2.7", 30, 1000));
    let state = dir.path().join("kensa.state");

    let (status, first) = scan_with_state(&root, &state);
    assert_eq!(status, Some(1));
    let codes_first = codes(&first);
    assert!(
        codes_first.contains(&"LG001".to_string()) && codes_first.contains(&"LG005".to_string()),
        "a burst and the guessed login: {codes_first:?}"
    );
    let display = format!("var/log/journal/{MACHINE_ID}/system.journal");
    assert_eq!(common::lines_read(&first, &display), Some(31));
    let host = &first["hosts"][0];
    assert_eq!(host["verdict"], "compromised");
    assert!(
        host["assessment"]["examined"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "journal"),
        "{}",
        host["assessment"]
    );

    // Nothing new: nothing read, nothing reported again.
    let (status, second) = scan_with_state(&root, &state);
    assert_eq!(status, Some(0), "{second}");
    assert_eq!(common::lines_read(&second, &display).unwrap_or(0), 0);
    assert!(codes(&second).is_empty());

    // journald archives the file (same file id, new name) and starts a new one: the
    // archived file is not read again; the new one is read whole.
    let header = std::fs::read(&journal).unwrap();
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let archived = journal.with_file_name(format!(
        "system@{}-0000000000000001-{:016x}.journal",
        hex(&header[72..88]),
        start
    ));
    std::fs::rename(&journal, &archived).unwrap();
    write_journal(
        &remote,
        &root,
        &burst(start + 3_600_000_000, "198.51.100.9", 12, 5000),
    );
    let (status, third) = scan_with_state(&root, &state);
    assert_eq!(status, Some(1), "{third}");
    let archived_display = format!(
        "var/log/journal/{MACHINE_ID}/{}",
        archived.file_name().unwrap().to_str().unwrap()
    );
    assert_eq!(
        common::lines_read(&third, &archived_display).unwrap_or(0),
        0
    );
    assert_eq!(common::lines_read(&third, &display), Some(13));
    let sources: Vec<&str> = third["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .filter_map(|f| f["subject"]["source"].as_str())
        .collect();
    assert!(
        sources.contains(&"198.51.100.9") && !sources.contains(&"192.0.2.7"),
        "only the new attack is reported: {sources:?}"
    );

    // Entries removed from the live file in place (its file id kept): fewer entries than
    // were read, and the last one before the last read. journald never does that.
    let live = root.join(&display);
    let mut bytes = std::fs::read(&live).unwrap();
    bytes[152..160].copy_from_slice(&5u64.to_le_bytes());
    bytes[160..168].copy_from_slice(&5u64.to_le_bytes());
    std::fs::write(&live, &bytes).unwrap();
    let (_, fourth) = scan_with_state(&root, &state);
    let tampered: Vec<&Value> = fourth["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .filter(|f| f["code"] == "ST001")
        .collect();
    assert_eq!(tampered.len(), 1, "{fourth}");
    assert_eq!(tampered[0]["subject"]["path"], display.as_str());
    assert!(
        tampered[0]["title"]
            .as_str()
            .unwrap()
            .contains("5 entries now, 13 already read"),
        "{}",
        tampered[0]["title"]
    );
}
