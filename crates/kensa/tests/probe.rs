//! `kensa probe` end to end: a scripted 1996 sendmail on 127.0.0.1, a hosts file with a
//! bad line, bad arguments, and the probe rules in `rules`/`explain`.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

/// A sendmail 8.6.12 of 1996 that answers one connection.
fn sendmail_1996() -> (u16, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let mut line = String::new();
        let _ = writer.write_all(
            b"220 mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready at Tue, 31 Dec 1996 23:59:01 +0900\r\n",
        );
        let _ = reader.read_line(&mut line);
        let _ = writer.write_all(b"250-mailhub.example.ac.jp Hello [127.0.0.1]\r\n250 HELP\r\n");
        line.clear();
        let _ = reader.read_line(&mut line);
        let _ = writer.write_all(b"221 closing connection\r\n");
    });
    (port, handle)
}

#[test]
fn a_1996_sendmail_from_a_hosts_file() {
    let (port, server) = sendmail_1996();
    let dir = tempfile::tempdir().unwrap();
    let hosts = dir.path().join("hosts.txt");
    std::fs::write(
        &hosts,
        format!("# mail hubs\nsmtp://127.0.0.1:{port}\nmx:notaport\n"),
    )
    .unwrap();
    let out = common::kensa(&[
        "probe",
        "--hosts-file",
        hosts.to_str().unwrap(),
        "--timeout",
        "3",
        "--format",
        "json",
        "-q",
    ]);
    server.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let host = &report["hosts"][0];
    assert_eq!(host["host"], "127.0.0.1");
    assert_eq!(host["verdict"], "exposed");
    let finding = &host["findings"][0];
    assert_eq!(finding["code"], "PR001");
    assert_eq!(finding["kind"], "vulnerable-version");
    assert_eq!(finding["severity"], "critical");
    assert_eq!(finding["subject"]["address"], "127.0.0.1");
    assert_eq!(finding["subject"]["port"], port);
    assert_eq!(
        finding["evidence"][0]["file"],
        format!("smtp://127.0.0.1:{port}")
    );
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["file"], hosts.to_str().unwrap());
    assert_eq!(diagnostic["line"], 3);
}

#[test]
fn probe_arguments_are_checked() {
    for args in [
        vec!["probe"],
        vec!["probe", "http://host"],
        vec!["probe", "host", "--timeout", "0"],
        vec!["probe", "host", "--parallel", "0"],
        vec!["probe", "--hosts-file", "/nonexistent/hosts"],
    ] {
        let out = common::kensa(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("kensa: ")
                || String::from_utf8_lossy(&out.stderr).contains("error:"),
            "{args:?}"
        );
    }
}

#[test]
fn probe_rules_are_listed_and_explained() {
    let out = common::kensa(&["rules"]);
    let rules = String::from_utf8(out.stdout).unwrap();
    for code in ["PR001", "PR002", "PR003", "PR004", "PR005", "PR006"] {
        assert!(rules.contains(code), "{code}");
    }
    let out = common::kensa(&["explain", "PR004"]);
    let doc = String::from_utf8(out.stdout).unwrap();
    assert!(doc.contains("--write-test"), "{doc}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn jsonl_names_the_server_as_the_destination() {
    let (port, server) = sendmail_1996();
    let target = format!("127.0.0.1:{port}");
    let out = common::kensa(&[
        "probe",
        &format!("smtp://{target}"),
        "--format",
        "jsonl",
        "-q",
    ]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let alert: Value = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|line| line["rule"]["id"] == "PR001")
        .unwrap();
    assert_eq!(alert["destination"]["ip"], "127.0.0.1");
    assert_eq!(alert["destination"]["port"], port);
    assert_eq!(alert["event"]["category"][0], "vulnerability");
}

#[test]
fn a_version_without_holes_is_a_note_on_a_clean_host() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let _ = writer.write_all(b"220 (vsFTPd 3.0.3)\r\n");
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let reply: &[u8] = match line.trim_end() {
                "QUIT" => b"221 Goodbye.\r\n",
                "USER anonymous" => b"530 This FTP server does not allow anonymous logins.\r\n",
                _ => b"530 Please login with USER and PASS.\r\n",
            };
            let _ = writer.write_all(reply);
        }
    });
    let out = common::kensa(&["probe", &format!("ftp://127.0.0.1:{port}"), "-q"]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "info is below --fail-on low");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("127.0.0.1: CLEAN — nothing that needs action (notes only)\n"),
        "{text}"
    );
    assert!(text.contains("PR006 vsftpd 3.0.3: no known hole in kensa's advisories data"));
}
