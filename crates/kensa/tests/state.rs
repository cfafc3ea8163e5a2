//! `--state` and `kensa watch` end to end: runs killed at random points, a watch that
//! follows a log while a writer appends and rotates it, and SIGTERM.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const KENSA: &str = env!("CARGO_BIN_EXE_kensa");

/// A root whose `var/log/syslog` gets noise and sendmail attack lines (one SM002 each).
struct Host {
    _dir: tempfile::TempDir,
    root: PathBuf,
    state: PathBuf,
    events: u32,
    lines: u64,
}

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        fs::create_dir_all(root.join("var/log")).unwrap();
        fs::create_dir_all(root.join("etc")).unwrap();
        fs::write(root.join("etc/hostname"), "myhost\n").unwrap();
        let state = dir.path().join("kensa.state");
        Host {
            _dir: dir,
            root,
            state,
            events: 0,
            lines: 0,
        }
    }

    fn log(&self, name: &str) -> PathBuf {
        self.root.join("var/log").join(name)
    }

    /// Appends `noise` noise lines and `events` attack lines; returns the queue ids.
    fn append(&mut self, name: &str, noise: u32, events: u32) -> Vec<String> {
        let mut text = String::new();
        let mut ids = Vec::new();
        for i in 0..noise {
            // Each line its own (a cron PID that counts up), as in real logs.
            text.push_str(&format!(
                "Mar  3 10:{:02}:{:02} myhost cron[{}]: (root) CMD (run-parts /etc/cron.hourly)\n",
                (i / 60) % 60,
                i % 60,
                self.lines + u64::from(i)
            ));
        }
        for _ in 0..events {
            let n = self.events;
            self.events += 1;
            let id = format!("QA{n:05}");
            text.push_str(&format!(
                "Mar  3 11:{:02}:{:02} myhost sendmail[{}]: {id}: to=|/bin/sh, delay=00:00:01, stat=Sent\n",
                (n / 60) % 60,
                n % 60,
                20000 + n
            ));
            ids.push(id);
        }
        self.lines += u64::from(noise + events);
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log(name))
            .unwrap();
        file.write_all(text.as_bytes()).unwrap();
        ids
    }

    fn scan_command(&self) -> Command {
        let mut command = Command::new(KENSA);
        command
            .args(["scan", "--year", "2024", "--tz", "UTC", "--format", "json"])
            .arg("--root")
            .arg(&self.root)
            .arg("--state")
            .arg(&self.state);
        command
    }

    /// Runs committed so far (0 before the state exists).
    fn runs(&self) -> u64 {
        if !self.state.exists() {
            return 0;
        }
        let conn = rusqlite::Connection::open(&self.state).expect("the state file opens");
        conn.query_row("SELECT value FROM meta WHERE key = 'runs'", [], |r| {
            r.get::<_, String>(0)
        })
        .map(|v| v.parse().unwrap())
        .unwrap_or(0)
    }
}

/// The queue ids of the SM002 findings of a JSON report, and the lines it read (from the
/// summary on standard error).
fn reported(stdout: &[u8], stderr: &[u8]) -> (Vec<String>, u64) {
    let report: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "a committed run wrote a whole report ({e}): {}",
            String::from_utf8_lossy(stdout)
        )
    });
    let mut ids = Vec::new();
    for host in report["hosts"].as_array().unwrap() {
        for finding in host["findings"].as_array().unwrap() {
            assert_eq!(finding["code"], "SM002", "{finding}");
            ids.push(
                finding["subject"]["message_id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    let stderr = String::from_utf8_lossy(stderr);
    let lines = stderr
        .split(" files, ")
        .nth(1)
        .and_then(|rest| rest.split(" lines").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("summary on stderr: {stderr}"));
    (ids, lines)
}

/// A small fixed-seed generator (xorshift), so the kill points are the same every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn runs_killed_at_random_points_lose_and_repeat_nothing() {
    let mut host = Host::new();
    let mut rng = Rng(0x6b65_6e73_6121);
    let mut expected: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut lines_read = 0u64;
    let mut killed = 0;
    // How long a run takes here (machines differ): kills fall anywhere in 0–1.5 times it.
    let calibration = Instant::now();
    expected.extend(host.append("syslog", 1750, 2));
    let output = host.scan_command().output().unwrap();
    let mut span = (calibration.elapsed().as_millis() as u64 * 3 / 2).max(20);
    let (ids, lines) = reported(&output.stdout, &output.stderr);
    for id in ids {
        *seen.entry(id).or_default() += 1;
    }
    lines_read += lines;
    for round in 0..30 {
        expected.extend(host.append(
            "syslog",
            1000 + rng.below(1500) as u32,
            1 + rng.below(4) as u32,
        ));
        if round % 7 == 6 {
            // Rotate now and then (syslog.N → syslog.N+1, syslog → syslog.1), so a
            // killed run may leave work in a renamed file.
            for older in (1..=round / 7).rev() {
                let from = host.log(&format!("syslog.{older}"));
                if from.exists() {
                    fs::rename(from, host.log(&format!("syslog.{}", older + 1))).unwrap();
                }
            }
            fs::rename(host.log("syslog"), host.log("syslog.1")).unwrap();
        }
        let before = host.runs();
        let mut child = host
            .scan_command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(span)));
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        // The kill window follows the machine's speed (a loaded machine runs slower):
        // wider after a run killed early, narrower after one that finished, so kills
        // keep falling on both sides of the commit.
        if host.runs() > before {
            let (ids, lines) = reported(&output.stdout, &output.stderr);
            for id in ids {
                *seen.entry(id).or_default() += 1;
            }
            lines_read += lines;
            span = (span * 4 / 5).max(10);
        } else {
            killed += 1;
            span = span * 3 / 2;
        }
    }
    // A last run to the end.
    let output = host.scan_command().output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "the state opens after the kills: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (ids, lines) = reported(&output.stdout, &output.stderr);
    for id in ids {
        *seen.entry(id).or_default() += 1;
    }
    lines_read += lines;
    eprintln!("crash test: {killed} of 30 runs killed before committing (last window {span} ms)");
    assert!(
        (3..=27).contains(&killed),
        "{killed} of 30 runs killed before committing: the kills should fall on both sides"
    );
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "reported twice: {twice:?}");
    let missing: Vec<_> = expected
        .iter()
        .filter(|id| !seen.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "never reported: {missing:?}");
    assert_eq!(
        lines_read, host.lines,
        "lines read by committed runs vs written"
    );
}

#[test]
fn a_rerun_reports_only_what_is_new_unless_all() {
    let mut host = Host::new();
    let first = host.append("syslog", 10, 3);
    let output = host.scan_command().output().unwrap();
    let (ids, _) = reported(&output.stdout, &output.stderr);
    assert_eq!(ids, first);
    let second = host.append("syslog", 10, 2);
    let output = host.scan_command().output().unwrap();
    let (ids, lines) = reported(&output.stdout, &output.stderr);
    assert_eq!(ids, second);
    assert_eq!(lines, 12);
    let output = host.scan_command().output().unwrap();
    assert_eq!(reported(&output.stdout, &output.stderr), (vec![], 0));
    assert_eq!(
        output.status.code(),
        Some(0),
        "nothing new, nothing failing"
    );
    // --all: the findings the saved state still holds (the messages stay open for
    // sendmail's queue lifetime) are reported with the new one.
    let third = host.append("syslog", 1, 1);
    let output = host.scan_command().arg("--all").output().unwrap();
    let (mut ids, _) = reported(&output.stdout, &output.stderr);
    ids.sort();
    let all: Vec<String> = [first, second, third].concat();
    assert_eq!(ids, all);
    // `watch` without a state is refused.
    let output = Command::new(KENSA)
        .args(["watch", "--root"])
        .arg(&host.root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--state"));
}

/// Sends SIGTERM with the shell's kill (the crate forbids unsafe code, so no libc::kill).
fn sigterm(pid: u32) {
    let status = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!("kill -TERM {pid}"))
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn watch_reports_each_attack_once_while_the_log_rotates_and_stops_on_sigterm() {
    let mut host = Host::new();
    host.append("syslog", 50, 0);
    let exec_log = host.root.parent().unwrap().join("exec.jsonl");
    let syslog_path = host.root.parent().unwrap().join("log.sock");
    let syslog = std::os::unix::net::UnixDatagram::bind(&syslog_path).unwrap();
    syslog
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    // The syslog daemon: reads as datagrams come (a full queue would drop them).
    let syslog_reader = std::thread::spawn(move || {
        let mut messages = Vec::new();
        let mut buf = vec![0u8; 65536];
        while let Ok(n) = syslog.recv(&mut buf) {
            messages.push(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
        messages
    });
    let mut child = Command::new(KENSA)
        .args([
            "watch", "--tz", "UTC", "--year", "2024", "--format", "jsonl",
        ])
        .args(["--interval", "0.1", "--exec"])
        .arg(format!("cat >> '{}'", exec_log.display()))
        .arg("--syslog")
        .arg(&syslog_path)
        .arg("--root")
        .arg(&host.root)
        .arg("--state")
        .arg(&host.state)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let finding: serde_json::Value = serde_json::from_str(&line).unwrap();
            let id = finding["subject"]["message_id"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let code = finding["code"].as_str().unwrap().to_string();
            let _ = tx.send((code, id, Instant::now()));
        }
    });

    // The writer: attacks appended, the log renamed and compressed-free rotated,
    // and truncated (copytruncate) while watch runs.
    let mut injected: BTreeMap<String, Instant> = BTreeMap::new();
    for step in 0..12 {
        for id in host.append("syslog", 20, 2) {
            injected.insert(id, Instant::now());
        }
        match step {
            3 => {
                fs::rename(host.log("syslog"), host.log("syslog.1")).unwrap();
                host.append("syslog", 5, 0);
            }
            7 => {
                fs::rename(host.log("syslog.1"), host.log("syslog.2")).unwrap();
                fs::copy(host.log("syslog"), host.log("syslog.1")).unwrap();
                fs::write(host.log("syslog"), b"").unwrap();
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(150));
    }

    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut worst = Duration::ZERO;
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.len() < injected.len() && Instant::now() < deadline {
        let Ok((code, id, at)) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        assert_eq!(code, "SM002", "only the attacks are reported ({id})");
        *seen.entry(id.clone()).or_default() += 1;
        if let Some(written) = injected.get(&id) {
            worst = worst.max(at.duration_since(*written));
        }
    }
    // A little longer, to catch a repeat.
    while let Ok((_, id, _)) = rx.recv_timeout(Duration::from_millis(700)) {
        *seen.entry(id).or_default() += 1;
    }
    sigterm(child.id());
    let stopped = Instant::now();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        stopped.elapsed() < Duration::from_secs(5),
        "watch took {:?} to stop",
        stopped.elapsed()
    );
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "clean exit on SIGTERM, got {status}: {stderr}"
    );
    assert!(stderr.contains("watch stopped"), "{stderr}");
    let missing: Vec<_> = injected
        .keys()
        .filter(|id| !seen.contains_key(*id))
        .collect();
    assert!(missing.is_empty(), "not reported: {missing:?}");
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "reported twice: {twice:?}");
    assert!(
        worst < Duration::from_secs(10),
        "an attack took {worst:?} to be reported"
    );
    eprintln!("watch: {} attacks, worst delay {worst:?}", injected.len());
    // --exec got each finding as JSON on its standard input.
    let exec = fs::read_to_string(&exec_log).unwrap();
    assert_eq!(exec.lines().count(), injected.len());
    for line in exec.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(finding["code"], "SM002");
    }
    // --syslog: one datagram per finding, facility auth, the finding as JSON.
    let datagrams = syslog_reader.join().unwrap();
    for message in &datagrams {
        assert!(
            message.starts_with("<3") && message.contains("kensa["),
            "{message}"
        );
        assert!(message.contains("\"code\":\"SM002\""), "{message}");
    }
    assert_eq!(datagrams.len(), injected.len());
    let _: &Path = &host.state;
}
