//! A journal exported to text by journalctl — how a responder hands over a journald
//! host's logs (`journalctl -o short-iso > host.log`) — reads like the journal itself:
//! every one of journalctl's formats that carries a wall-clock time gives the captured
//! OpenSSH attack's findings, counted as its truth says, on the host the lines name.
//! The journal is the one a real systemd-journald 252 wrote in the live sshd capture
//! (`tests/fixtures/live/openssh-9.2p1`); journalctl is the real one (systemd).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::{check, scan, truth};
use std::path::PathBuf;
use std::process::Command;

#[test]
fn journalctl_text_exports_give_the_journals_findings() {
    if Command::new("journalctl")
        .arg("--version")
        .output()
        .is_err()
    {
        if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
            panic!("journalctl not found, and KENSA_REQUIRE_SHARED is set");
        }
        eprintln!("skipped: journalctl not found");
        return;
    }
    let capture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/live/openssh-9.2p1");
    let journal_dir = capture.join("root/var/log/journal");
    let journal = std::fs::read_dir(&journal_dir)
        .unwrap()
        .map(|e| e.unwrap().path().join("system.journal"))
        .find(|p| p.exists())
        .expect("the capture's system.journal");
    let truth = truth(&capture);
    // Without wall-clock time (short-monotonic, short-delta) or without a header (cat)
    // an export cannot be read as a log, and kensa does not try.
    for format in [
        "short",
        "short-iso",
        "short-precise",
        "short-iso-precise",
        "short-full",
        "short-unix",
        "with-unit",
    ] {
        let out = Command::new("journalctl")
            .arg("--file")
            .arg(&journal)
            .args(["-o", format, "--no-pager"])
            .output()
            .unwrap();
        assert!(out.status.success(), "journalctl -o {format}");
        let root = tempfile::tempdir().unwrap();
        let log = root.path().join("var/log/auth.log");
        std::fs::create_dir_all(log.parent().unwrap()).unwrap();
        std::fs::write(&log, &out.stdout).unwrap();
        // The exports name the host (`vm`) as the journal's `_HOSTNAME` did.
        check(&scan(root.path()), &truth, "vm");
        eprintln!("journalctl -o {format}: as the journal");
    }
}
