//! The logs su(1) and login(1) keep themselves on Solaris, HP-UX and AIX —
//! `var/adm/sulog` and `var/adm/loginlog` — are found and read like syslog lines: a run
//! of wrong passwords in them is guessing, named after who typed them (the local user
//! for su, the terminal for login), on the machine's one host.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::live::{findings, scan};
use std::path::Path;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn solaris_sulog_and_loginlog_runs_are_guessing_on_the_machines_host() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    write(r, "etc/nodename", "sol9\n");
    // Two sessions of login(1) that each reached RETRIES (5), one minute apart, on the
    // same pseudo-terminal: loginlog gets five lines per session.
    let mut loginlog = String::new();
    for minute in [10, 11] {
        for second in 1..=5 {
            loginlog.push_str(&format!(
                "root:/dev/pts/4:Tue Dec  1 02:{minute}:0{second} 2026\n"
            ));
        }
    }
    write(r, "var/adm/loginlog", &loginlog);
    // guest tries su to root nine times within three minutes (sulog stamps have no
    // seconds), then gets in; an administrator's own su to oracle is one success.
    let mut sulog = String::new();
    for minute in 1..=9 {
        sulog.push_str(&format!(
            "SU 12/01 03:0{} - pts/2 guest-root\n",
            minute / 4 + 1
        ));
    }
    sulog.push_str("SU 12/01 03:12 + pts/2 guest-root\nSU 12/01 09:00 + console root-oracle\n");
    write(r, "var/adm/sulog", &sulog);
    // Last written two days after, whenever the test runs: the year-less stamps are 2026's.
    let written = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_256_000);
    for log in ["var/adm/sulog", "var/adm/loginlog"] {
        let file = std::fs::File::options()
            .write(true)
            .open(r.join(log))
            .unwrap();
        file.set_modified(written).unwrap();
    }
    let report = scan(r);
    let (mut found, hosts) = findings(&report);
    found.sort_unstable();
    assert_eq!(hosts, ["sol9"], "{found:#?}");
    let summary: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|f| (f.0.as_str(), f.1.as_str(), f.2))
        .collect();
    assert_eq!(
        summary,
        [
            ("LG001", "local:guest", 9),
            ("LG001", "tty:/dev/pts/4", 10),
            ("LG005", "local:guest", 9),
        ],
        "{found:#?}"
    );
    // The year of the year-less sulog comes from the file, as for syslog lines, and
    // the evidence names each own log and its lines.
    let evidence: Vec<(String, u64, String)> = report["hosts"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["evidence"].as_array().unwrap().iter())
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["time"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(evidence.contains(&(
        "var/adm/sulog".to_string(),
        1,
        "2026-12-01T03:01:00+00:00".to_string()
    )));
    assert!(evidence.contains(&(
        "var/adm/loginlog".to_string(),
        10,
        "2026-12-01T02:11:05+00:00".to_string()
    )));
}
