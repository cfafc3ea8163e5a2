//! Real crypt(3) hashes: the shared benchmark's `mk_shadow.py` writes a shadow file of
//! DES, MD5, SHA-512 and bcrypt hashes made by libc, with an answer key naming each
//! user's format. Every hash must be classified as its format, and AC006 must list
//! exactly the DES and MD5 users — with no hash in the report.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;
use common::*;
use kensa_host::accounts::{Scheme, classify};
use std::process::Command;

/// The answer key's fields we need, read without a JSON dependency: the key is a flat
/// list of objects whose `"user"` and `"format"` values are plain ASCII words.
fn key_formats(key: &str) -> Vec<(String, String)> {
    let value = |object: &str, field: &str| -> String {
        let tag = format!("\"{field}\": \"");
        let start = object.find(&tag).expect("field present") + tag.len();
        let len = object[start..].find('"').expect("closed string");
        object[start..start + len].to_string()
    };
    key.split('}')
        .filter(|o| o.contains("\"user\""))
        .map(|o| (value(o, "user"), value(o, "format")))
        .collect()
}

#[test]
fn libc_hashes_are_classified_and_weak_ones_reported() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let words = work.path().join("words");
    std::fs::write(
        &words,
        "apple\nbanana\ncherry\norange\nlemon\nmelon\ngrape\npeach\n",
    )
    .unwrap();
    let shadow = work.path().join("shadow");
    let status = Command::new("python3")
        .arg(shared.join("bench/mk_shadow.py"))
        .arg("--out")
        .arg(&shadow)
        .args([
            "--users",
            "48",
            "--seed",
            "11",
            "--bcrypt-cost",
            "4",
            "--dict",
        ])
        .arg(&words)
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "mk_shadow.py failed (python3 with the crypt module is needed)"
    );
    let key = std::fs::read_to_string(work.path().join("shadow.key.json")).unwrap();
    let formats = key_formats(&key);
    assert_eq!(formats.len(), 48);
    let shadow_text = std::fs::read_to_string(&shadow).unwrap();

    // Each hash classified as the key's format.
    for (line, (user, format)) in shadow_text.lines().zip(&formats) {
        let hash = line.split(':').nth(1).unwrap();
        let scheme = classify(hash.as_bytes()).scheme();
        let expected = match format.as_str() {
            "descrypt" => Scheme::Des,
            "md5crypt" => Scheme::Md5,
            "sha512crypt" => Scheme::Sha512 { rounds: 5000 },
            "bcrypt" => Scheme::Bcrypt,
            other => panic!("unknown format {other}"),
        };
        assert_eq!(scheme, Some(expected), "{user}: {hash}");
    }

    let root = TestRoot::new();
    let passwd: String = formats
        .iter()
        .enumerate()
        .map(|(i, (user, _))| format!("{user}:x:{}:100::/home/{user}:/bin/sh\n", 2000 + i))
        .collect();
    root.text(
        "etc/passwd",
        &format!("root:x:0:0::/root:/bin/sh\n{passwd}"),
    )
    .text("etc/group", "root:x:0:\nshadow:x:42:\nusers:x:100:\n")
    .file("etc/shadow", shadow_text.as_bytes(), 0o640, 0, 42);
    let (findings, diags) = root.audit();
    assert!(diags.is_empty(), "{diags:?}");
    let users_of = |format: &str| -> Vec<String> {
        formats
            .iter()
            .filter(|(_, f)| f == format)
            .map(|(u, _)| u.clone())
            .collect()
    };
    let weak: Vec<_> = findings.iter().filter(|f| f.code == "AC006").collect();
    assert_eq!(weak.len(), 2, "{weak:#?}");
    assert!(weak[0].title.contains("DES"));
    assert_eq!(weak[0].subject.users, users_of("descrypt"));
    assert!(weak[1].title.contains("MD5"));
    assert_eq!(weak[1].subject.users, users_of("md5crypt"));
    assert_eq!(weak[0].count + weak[1].count, 24);
    let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        ["AC006", "AC006"],
        "nothing else is wrong with this host"
    );
    let report = format!("{findings:?}");
    for line in shadow_text.lines() {
        let hash = line.split(':').nth(1).unwrap();
        assert!(!report.contains(hash), "hash leaked: {hash}");
    }
}
