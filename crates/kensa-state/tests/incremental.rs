//! Incremental runs over a log that grows, rotates (rename, compression, copytruncate)
//! and is tampered with between runs: every generated event is counted exactly once,
//! every line read exactly once, and tampering — only tampering — is reported.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use flate2::Compression;
use flate2::write::GzEncoder;
use kensa_core::Finding;
use kensa_detect::engine::{ScanConfig, scan_logs_incremental};
use kensa_state::State;
use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A host whose `var/log/syslog` gets sendmail attack lines (each its own message, so
/// one SM002 finding each) between noise lines.
struct Host {
    _dir: tempfile::TempDir,
    root: PathBuf,
    state: PathBuf,
    next_event: u32,
    /// Lines written, in every file.
    lines_written: u64,
    /// What each run reported as new: event queue id → times reported.
    reported: BTreeMap<String, u32>,
    /// Lines read by the runs.
    lines_read: u64,
    /// ST001 findings reported.
    tampering: Vec<Finding>,
    notes: Vec<String>,
}

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        fs::create_dir_all(root.join("var/log")).unwrap();
        let state = dir.path().join("state.db");
        Host {
            _dir: dir,
            root,
            state,
            next_event: 0,
            lines_written: 0,
            reported: BTreeMap::new(),
            lines_read: 0,
            tampering: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn log(&self, name: &str) -> PathBuf {
        self.root.join("var/log").join(name)
    }

    /// Appends `events` attack lines, each after three noise lines, to `name`.
    fn append(&mut self, name: &str, events: u32) {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log(name))
            .unwrap();
        let mut text = String::new();
        for _ in 0..events {
            let n = self.next_event;
            self.next_event += 1;
            let (min, sec) = ((n / 60) % 60, n % 60);
            for k in 0..3 {
                text.push_str(&format!(
                    "Mar  3 10:{min:02}:{sec:02} myhost cron[{}]: (root) CMD (run-parts /etc/cron.hourly)\n",
                    1000 + k
                ));
            }
            text.push_str(&format!(
                "Mar  3 10:{min:02}:{sec:02} myhost sendmail[{pid}]: QA{n:05}: to=|/bin/sh, delay=00:00:01, stat=Sent\n",
                pid = 20000 + n
            ));
            self.lines_written += 4;
        }
        file.write_all(text.as_bytes()).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        fs::rename(self.log(from), self.log(to)).unwrap();
    }

    fn gzip(&self, from: &str, to: &str) {
        let data = fs::read(self.log(from)).unwrap();
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(&data).unwrap();
        fs::write(self.log(to), encoder.finish().unwrap()).unwrap();
        fs::remove_file(self.log(from)).unwrap();
    }

    /// One incremental run, tallying the new SM002 and ST001 findings.
    fn run(&mut self) {
        for finding in self.run_new() {
            match finding.code {
                "SM002" => *self.reported.entry(queue_ids(&finding)).or_default() += 1,
                "ST001" => self.tampering.push(finding.clone()),
                // The one-snapshot rotation checks judge each layout on its own; this test
                // makes layouts logrotate never leaves (a `.3.gz` with no `.2`), which
                // CP008 rightly reports. What is tested here is the state across runs.
                "CP008" => {}
                other => panic!(
                    "unexpected finding {other}: {} {:#?}",
                    finding.title, finding.evidence
                ),
            }
        }
    }

    /// One incremental run, as `kensa scan --state` makes it: the new findings.
    fn run_new(&mut self) -> Vec<Finding> {
        let mut diags = Vec::new();
        let sets = kensa_logs::source::discover(&kensa_testkit::root_at(&self.root), &mut diags);
        let config = ScanConfig {
            tz: jiff::tz::TimeZone::UTC,
            default_host: "myhost".into(),
            year: Some(2024),
            since: None,
            until: None,
            guessing: Default::default(),
            select: Vec::new(),
            tap: None,
        };
        let mut state = State::open(&self.state, Duration::from_secs(1)).unwrap();
        let plan = state.plan(&sets, &[], "myhost").unwrap();
        let (mut result, saved) =
            scan_logs_incremental(&sets, &[], &config, &plan.resume, &kensa_core::NoProgress);
        result.findings.extend(plan.findings.iter().cloned());
        self.notes.extend(
            plan.diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.file, d.message)),
        );
        let mut new_flags = Vec::new();
        state
            .commit(&plan, &saved, &result.findings, |new| {
                new_flags = new.to_vec();
                Ok(())
            })
            .unwrap();
        self.lines_read += result.stats.lines;
        result
            .findings
            .into_iter()
            .zip(new_flags)
            .filter_map(|(finding, new)| new.then_some(finding))
            .collect()
    }

    fn assert_each_event_once(&self) {
        let twice: Vec<_> = self.reported.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "reported more than once: {twice:?}");
        assert_eq!(
            self.reported.len() as u32,
            self.next_event,
            "events reported: {:?}",
            self.reported.keys().collect::<Vec<_>>()
        );
        assert_eq!(self.lines_read, self.lines_written, "lines read vs written");
    }
}

fn queue_ids(finding: &Finding) -> String {
    finding.subject.message_id.clone().unwrap_or_default()
}

#[test]
fn appends_rotations_compression_and_copytruncate_count_each_event_once() {
    let mut host = Host::new();
    host.append("syslog", 40);
    host.run();
    host.append("syslog", 25);
    host.run();
    // Nothing new: nothing reported, nothing read.
    host.run();
    assert_eq!(host.reported.len(), 65);

    // Rename rotation with lines written just before it: they are read in syslog.1.
    host.append("syslog", 10);
    host.rename("syslog", "syslog.1");
    host.append("syslog", 12);
    host.run();

    // The daemon writes to the renamed file until it reopens its log.
    host.append("syslog.1", 3);
    host.append("syslog", 4);
    host.run();

    // delaycompress: syslog.1 (with unread lines) becomes syslog.2.gz.
    host.append("syslog.1", 5);
    host.gzip("syslog.1", "syslog.2.gz");
    host.append("syslog", 6);
    host.rename("syslog", "syslog.1");
    host.append("syslog", 7);
    host.run();

    // A compressed rotation renamed again is not read again.
    host.rename("syslog.2.gz", "syslog.3.gz");
    host.append("syslog", 2);
    host.run();

    // copytruncate: the copy holds the old content (and unread lines), the live file is
    // emptied and written afresh.
    host.gzip("syslog.1", "syslog.2.gz");
    host.append("syslog", 8);
    fs::copy(host.log("syslog"), host.log("syslog.1")).unwrap();
    fs::write(host.log("syslog"), b"").unwrap();
    host.append("syslog", 9);
    host.run();

    // A line being written (no newline yet) waits for the next run.
    {
        let mut file = OpenOptions::new()
            .append(true)
            .open(host.log("syslog"))
            .unwrap();
        file.write_all(b"Mar  3 11:00:00 myhost sendmail[30000]: QB00001: to=|/bin/sh, del")
            .unwrap();
    }
    host.run();
    {
        let mut file = OpenOptions::new()
            .append(true)
            .open(host.log("syslog"))
            .unwrap();
        file.write_all(b"ay=00:00:01, stat=Sent\n").unwrap();
    }
    host.run();
    host.lines_written += 1;
    host.next_event += 1;

    assert!(
        host.tampering.is_empty(),
        "rotation is not tampering: {:?}",
        host.tampering
            .iter()
            .map(|f| &f.evidence[0].text)
            .collect::<Vec<_>>()
    );
    assert!(
        host.notes.iter().any(|n| n.contains("starts afresh")),
        "copytruncate noted: {:?}",
        host.notes
    );
    assert!(host.reported.contains_key("QB00001"));
    host.assert_each_event_once();
}

#[test]
fn a_log_cut_or_replaced_between_runs_is_tampering() {
    let mut host = Host::new();
    host.append("syslog", 30);
    host.run();
    assert!(host.tampering.is_empty());

    // Lines removed at the end (first bytes unchanged): ST001, and the file is read again.
    let data = fs::read(host.log("syslog")).unwrap();
    fs::write(host.log("syslog"), &data[..data.len() / 2]).unwrap();
    host.run();
    assert_eq!(host.tampering.len(), 1, "{:?}", host.tampering);
    assert!(
        host.tampering[0].evidence[0]
            .text
            .contains("lines were removed")
    );
    assert_eq!(
        host.tampering[0].subject.path.as_deref(),
        Some("var/log/syslog")
    );
    let title_ja = &host.tampering[0].title_ja;
    assert!(
        title_ja.starts_with("var/log/syslog: 現在 ")
            && title_ja
                .ends_with("先頭のバイトは変わっていない: 行が削除された（先頭から読み直す）"),
        "{title_ja}"
    );

    // A line before the point read rewritten in place (same length, same first bytes).
    host.append("syslog", 5);
    host.run();
    let mut data = fs::read(host.log("syslog")).unwrap();
    let at = data.len() - 20;
    data[at..at + 6].copy_from_slice(b"XXXXXX");
    fs::write(host.log("syslog"), &data).unwrap();
    host.run();
    assert_eq!(host.tampering.len(), 2, "{:?}", host.tampering);
    assert!(host.tampering[1].evidence[0].text.contains("rewritten"));
    assert!(
        host.tampering[1].title_ja.ends_with(
            "（前回の実行が読み終えた位置）の直前の行が書き換えられた（先頭から読み直す）"
        ),
        "{}",
        host.tampering[1].title_ja
    );

    // The file replaced by one with other content, no rotated copy anywhere.
    host.append("syslog", 2);
    host.run();
    fs::remove_file(host.log("syslog")).unwrap();
    fs::write(
        host.log("syslog"),
        b"Mar  3 12:00:00 myhost kernel: nothing to see here\n",
    )
    .unwrap();
    host.run();
    assert_eq!(host.tampering.len(), 3, "{:?}", host.tampering);
    assert!(
        host.tampering[2].evidence[0]
            .text
            .contains("first bytes changed")
    );
    assert!(
        host.tampering[2]
            .title_ja
            .starts_with("var/log/syslog: 先頭のバイトが変わり、以前に読んだ "),
        "{}",
        host.tampering[2].title_ja
    );

    // Reported once: a rerun says nothing more.
    host.run();
    assert_eq!(host.tampering.len(), 3);
}

#[test]
fn a_second_run_waits_for_the_lock_then_says_why() {
    let host = Host::new();
    let _first = State::open(&host.state, Duration::from_secs(1)).unwrap();
    let started = std::time::Instant::now();
    let second = State::open(&host.state, Duration::from_millis(200));
    let message = second.err().expect("the state is locked");
    assert!(message.contains("another kensa run"), "{message}");
    let message = State::open_localized(&host.state, Duration::from_millis(10))
        .err()
        .expect("the state is locked");
    assert!(
        message
            .ja
            .contains(": 別の kensa の実行がこの状態ファイルを使っています（ロック "),
        "{message:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
    drop(_first);
    assert!(State::open(&host.state, Duration::from_millis(200)).is_ok());
}

#[test]
fn a_file_that_is_not_a_state_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    fs::write(&path, b"this is not sqlite at all, just text ........................................................................................").unwrap();
    let message = State::open(&path, Duration::from_millis(10))
        .err()
        .expect("refused");
    assert!(
        message.contains("not a usable kensa state file"),
        "{message}"
    );
    let message = State::open_localized(&path, Duration::from_millis(10))
        .err()
        .expect("refused");
    assert!(
        message
            .ja
            .contains(": kensa の状態ファイルとして使えません（"),
        "{message:?}"
    );
    let _: &Path = &path;
}

fn append_text(host: &Host, name: &str, text: &str) {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(host.log(name))
        .unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

#[test]
fn an_attack_split_across_two_runs_is_joined() {
    let mut host = Host::new();
    // Run 1: ten failed guesses at root, and a sendmail message to a program, queued.
    let mut text = String::new();
    for i in 0..10 {
        text.push_str(&format!(
            "Mar  3 10:00:{i:02} myhost sshd[{}]: Failed password for root from 203.0.113.9 port {} ssh2\n",
            100 + i,
            40000 + i
        ));
    }
    append_text(&host, "auth.log", &text);
    append_text(
        &host,
        "syslog",
        "Mar  3 10:00:01 myhost sendmail[1234]: KAA01234: from=<|/bin/sh -c evil>, size=10, class=0, received from attacker.example (192.0.2.5)\n",
    );
    let first: Vec<&str> = host.run_new().iter().map(|f| f.code).collect();
    assert!(first.contains(&"LG001"), "{first:?}");
    assert!(first.contains(&"SM001"), "{first:?}");
    assert!(
        !first.contains(&"LG005") && !first.contains(&"SM002"),
        "{first:?}"
    );

    // Run 2: the guess succeeds; the message is delivered (its own queue id only).
    append_text(
        &host,
        "auth.log",
        "Mar  3 10:01:30 myhost sshd[200]: Accepted password for root from 203.0.113.9 port 50000 ssh2\n",
    );
    append_text(
        &host,
        "syslog",
        "Mar  3 10:05:00 myhost sendmail[1300]: KAA01234: to=|/bin/sh -c evil, delay=00:04:59, stat=Sent\n",
    );
    let second = host.run_new();
    let codes: Vec<&str> = second.iter().map(|f| f.code).collect();
    let success = second
        .iter()
        .find(|f| f.code == "LG005")
        .unwrap_or_else(|| panic!("success after failures in run 2: {codes:?}"));
    assert_eq!(success.subject.source.as_deref(), Some("203.0.113.9"));
    // The failures of run 1 are its evidence too.
    assert!(
        success
            .evidence
            .iter()
            .any(|e| e.text.contains("Failed password"))
    );
    let delivered = second
        .iter()
        .find(|f| f.code == "SM002")
        .unwrap_or_else(|| panic!("delivery joined to the message of run 1: {codes:?}"));
    assert!(
        delivered
            .evidence
            .iter()
            .any(|e| e.text.contains("from=<|/bin/sh"))
    );
    // The burst of run 1 is not reported again.
    assert!(!codes.contains(&"LG001"), "{codes:?}");
}

/// Identity of a finding for comparing runs: rule, host, subject and outcome.
fn finding_identity(finding: &Finding) -> String {
    format!(
        "{} {} {} {}",
        finding.code,
        finding.host,
        serde_json::to_string(&finding.subject).unwrap(),
        finding.outcome.as_str()
    )
}

#[test]
fn a_generated_corpus_read_in_two_halves_gives_the_findings_of_one_read() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    kensa_testkit::generate_corpus(&shared, &root, &["--small"]);
    let config = ScanConfig {
        tz: jiff::tz::TimeZone::get("Asia/Tokyo").unwrap(),
        default_host: "loghost".into(),
        year: Some(1997),
        since: None,
        until: None,
        guessing: Default::default(),
        select: Vec::new(),
        tap: None,
    };
    let mut diags = Vec::new();
    let sets = kensa_logs::source::discover(&kensa_testkit::root_at(&root), &mut diags);
    let whole = kensa_detect::engine::scan_logs(&sets, &[], &config);
    let mut expected: Vec<String> = whole.findings.iter().map(finding_identity).collect();
    expected.sort();
    assert!(expected.len() > 10, "{expected:?}");

    // Every live file cut at a line end in its middle, read; then made whole, read again.
    let mut full = Vec::new();
    for set in &sets {
        let live = set.files.last().unwrap();
        if live.rotation.is_some() {
            continue;
        }
        let data = fs::read(live.location.identity()).unwrap();
        let cut = data[..data.len() / 2]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        fs::write(live.location.identity(), &data[..cut]).unwrap();
        full.push((live.location.identity().clone(), data));
    }
    assert!(full.len() >= 3);
    let state_path = dir.path().join("state.db");
    let mut reported = Vec::new();
    for half in 0..2 {
        if half == 1 {
            for (path, data) in &full {
                let mut file = OpenOptions::new().append(true).open(path).unwrap();
                let have = fs::metadata(path).unwrap().len() as usize;
                file.write_all(&data[have..]).unwrap();
            }
        }
        let sets = kensa_logs::source::discover(&kensa_testkit::root_at(&root), &mut diags);
        let mut state = State::open(&state_path, Duration::from_secs(1)).unwrap();
        let plan = state.plan(&sets, &[], "loghost").unwrap();
        assert!(plan.findings.is_empty(), "{:?}", plan.findings);
        let (result, saved) =
            scan_logs_incremental(&sets, &[], &config, &plan.resume, &kensa_core::NoProgress);
        state
            .commit(&plan, &saved, &result.findings, |new| {
                for (finding, new) in result.findings.iter().zip(new) {
                    if *new {
                        reported.push(finding_identity(finding));
                    }
                }
                Ok(())
            })
            .unwrap();
    }
    reported.sort();
    assert_eq!(reported, expected);
}

#[test]
fn a_file_that_cannot_be_resumed_keeps_its_place_for_the_next_run() {
    let mut host = Host::new();
    // Longer than twice the bytes that identify a file.
    host.append("syslog", 100);
    host.run();
    let read = fs::metadata(host.log("syslog")).unwrap().len();
    assert!(read > 2 * kensa_state::HEAD_MAX as u64);
    // Rotated and compressed, but shorter than what was read of it (cut before
    // compression): the engine cannot resume inside it.
    let data = fs::read(host.log("syslog")).unwrap();
    fs::write(host.log("syslog"), &data[..data.len() / 2]).unwrap();
    host.gzip("syslog", "syslog.1.gz");
    host.run();
    host.run();
    let conn = rusqlite::Connection::open(&host.state).unwrap();
    let (offset, compressed): (i64, bool) = conn
        .query_row(
            "SELECT offset, compressed FROM files WHERE display = 'var/log/syslog.1.gz'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((offset as u64, compressed), (read, false));
    // Nothing was read twice.
    assert_eq!(host.reported.values().copied().max(), Some(1));
}

/// wtmp is only ever appended to, and rotation gives it a new file: the same file grown
/// shorter between runs lost records (a wiper's work), a rotated one did not.
#[test]
fn login_records_that_shrink_in_place_are_tampering_rotated_ones_are_not() {
    use kensa_detect::login_records::{LoginFileKind, LoginFileRef};
    let dir = tempfile::tempdir().unwrap();
    let wtmp = dir.path().join("var/log/wtmp");
    fs::create_dir_all(wtmp.parent().unwrap()).unwrap();
    let state_path = dir.path().join("state.db");
    // The plan judges identities and sizes only; the content need not be parsed here.
    fs::write(&wtmp, vec![7u8; 384 * 4]).unwrap();
    let root = kensa_testkit::root_at(dir.path());
    let files = [LoginFileRef::in_root(
        &root,
        "var/log/wtmp".to_string(),
        LoginFileKind::Sessions,
    )];
    let run = |expect: usize| {
        let mut state = State::open(&state_path, Duration::from_secs(1)).unwrap();
        let plan = state.plan(&[], &files, "myhost").unwrap();
        let tampering: Vec<&Finding> = plan.findings.iter().filter(|f| f.code == "ST001").collect();
        assert_eq!(tampering.len(), expect, "{tampering:#?}");
        let findings = plan.findings.clone();
        state
            .commit(&plan, &Default::default(), &findings, |_| Ok(()))
            .unwrap();
        findings
    };
    run(0);
    // Appended: not tampering.
    OpenOptions::new()
        .append(true)
        .open(&wtmp)
        .unwrap()
        .write_all(&[7u8; 384])
        .unwrap();
    run(0);
    // Cut in place (same inode): tampering, with the sizes.
    let file = OpenOptions::new().write(true).open(&wtmp).unwrap();
    file.set_len(384 * 2).unwrap();
    drop(file);
    let found = run(1);
    assert!(
        found[0].evidence[0]
            .text
            .contains("shrank from 1920 to 768 bytes"),
        "{:?}",
        found[0].evidence
    );
    assert!(
        found[0]
            .title_ja
            .starts_with("var/log/wtmp: ログイン記録が前回の実行から同じファイルのまま（inode ")
            && found[0].title_ja.ends_with(
                "1920 バイトから 768 バイトに縮んだ: ローテーションではなく記録が削除された"
            ),
        "{}",
        found[0].title_ja
    );
    // Rotated: a new, empty wtmp (another inode) is not tampering.
    fs::rename(&wtmp, dir.path().join("wtmp.1")).unwrap();
    fs::write(&wtmp, b"").unwrap();
    run(0);
}
