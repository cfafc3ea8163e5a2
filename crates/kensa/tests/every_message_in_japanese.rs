//! Every message a reader sees is in the reader's language, end to end: the same inputs
//! are reported with `--lang ja` and `--lang en`, and every headline, advice and
//! diagnostic line must be Japanese in the one and free of Japanese in the other. Log
//! lines quoted as evidence are left as they are, so only kensa's own words are judged.
//!
//! The inputs are chosen to make many rules speak with their own words (a path, a count,
//! an account in the title): the bundled example host (logs and host checks), a generated
//! corpus of both layouts, real logs from `../shared/corpus`, a root full of rootkit and
//! backdoor traces, and inputs that cannot be read.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");

/// Hiragana, katakana, CJK ideographs and the full-width forms.
fn is_japanese(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn has_japanese(text: &str) -> bool {
    text.chars().any(is_japanese)
}

/// What a report line is, for judging its language.
enum Line<'a> {
    /// `  [高] LG001 title`: the rule code and the title.
    Headline(&'a str, &'a str),
    /// `      対処: advice` (first line of the advice).
    Advice(&'a str),
    /// `エラー: file: message` and the like.
    Diagnostic(&'a str),
    /// Anything else (evidence, subject values, wrapped continuations).
    Other,
}

const SEVERITIES: [(&str, &str); 5] = [
    ("緊急", "CRITICAL"),
    ("高", "HIGH"),
    ("中", "MEDIUM"),
    ("低", "LOW"),
    ("情報", "INFO"),
];
const LEVELS: [(&str, &str); 3] = [("エラー", "error"), ("警告", "warning"), ("注記", "note")];

fn classify<'a>(line: &'a str, ja: bool) -> Line<'a> {
    let trimmed = line.trim_start();
    for (ja_tag, en_tag) in SEVERITIES {
        let tag = format!("[{}] ", if ja { ja_tag } else { en_tag });
        if let Some(rest) = trimmed.strip_prefix(&tag)
            && let Some((code, title)) = rest.split_once(' ')
            && code.len() == 5
            && code[..2].chars().all(|c| c.is_ascii_uppercase())
            && code[2..].chars().all(|c| c.is_ascii_digit())
        {
            return Line::Headline(code, title);
        }
    }
    let advice = if ja { "対処:" } else { "advice:" };
    if let Some(rest) = trimmed.strip_prefix(advice) {
        return Line::Advice(rest.trim());
    }
    if !line.starts_with(' ') {
        for (ja_level, en_level) in LEVELS {
            let level = format!("{}: ", if ja { ja_level } else { en_level });
            if let Some(rest) = line.strip_prefix(&level) {
                // `file: message` or `file:line: message`; the message is what follows the
                // last ": " that is not inside the file name (file names have no ": ").
                let message = rest.split_once(": ").map_or(rest, |(_, m)| m);
                return Line::Diagnostic(message);
            }
        }
    }
    Line::Other
}

/// Runs kensa in both languages and checks every judged line; returns the rule codes
/// whose headlines were seen.
fn check_both_languages(args: &[&str], codes: &mut BTreeSet<String>) {
    for (lang, ja) in [("ja", true), ("en", false)] {
        let mut full = vec!["--lang", lang];
        full.extend_from_slice(args);
        let out = common::kensa(&full);
        assert!(
            out.status.code().is_some_and(|code| code < 2),
            "{full:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8 report");
        let mut wrong = Vec::new();
        for line in text.lines() {
            let judged = match classify(line, ja) {
                Line::Headline(code, title) => {
                    codes.insert(code.to_string());
                    Some(title)
                }
                Line::Advice(advice) => Some(advice),
                Line::Diagnostic(message) => Some(message),
                Line::Other => None,
            };
            if let Some(words) = judged
                && has_japanese(words) != ja
            {
                wrong.push(line.to_string());
            }
            // A title the detector worded in English only would follow as `詳細:`.
            if ja && line.trim_start().starts_with("詳細:") {
                wrong.push(line.to_string());
            }
        }
        assert!(
            wrong.is_empty(),
            "{full:?}: {} line(s) not in {lang}:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A root with the traces of an old-style break-in: an inetd root shell, trust for
/// everyone, an extra UID 0 account, a setuid shell copy, rootkit files and hidden
/// directories, root's SSH key, and an anonymous FTP area an attacker used.
fn broken_into_root(root: &Path) {
    write(
        root,
        "etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\n\
         toor::0:0::/:/bin/sh\n\
         ftp:*:14:50:Anonymous FTP:/home/ftp:/bin/false\n\
         kato:Xa8/gBv5NtY1M:1001:10:Kato:/home/kato:/bin/sh\n",
    );
    write(root, "etc/shadow", "root:$1$salt$hash:10000::::::\n");
    write(root, "etc/hosts.equiv", "+\n");
    write(root, "home/kato/.rhosts", "+ +\n");
    write(
        root,
        "etc/inetd.conf",
        "ingreslock stream tcp nowait root /bin/sh sh -i\n\
         31337 stream tcp nowait root /tmp/.x/bd bd\n",
    );
    write(
        root,
        "root/.ssh/authorized_keys",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3qmd9xNgCU0mV0hLSMmxYo0LTA/hnqkfhiwqY1DvL1 x@evil\n",
    );
    write(root, "bin/sh", "#!shell binary stand-in\n");
    write(root, "etc/shells", "/bin/sh\n");
    write(root, "tmp/.x/sh", "#!shell binary stand-in\n");
    std::fs::set_permissions(
        root.join("tmp/.x/sh"),
        std::fs::Permissions::from_mode(0o4755),
    )
    .unwrap();
    write(root, "dev/ptyp", "3 sniffer\n2 evil.example.org\n");
    write(root, "usr/lib/.../sniff.log", "telnet root password\n");
    write(
        root,
        "home/ftp/etc/passwd",
        "root:Xa8/gBv5NtY1M:0:0::/:/bin/sh\n",
    );
    write(root, "home/ftp/.rhosts", "+ +\n");
    std::fs::set_permissions(
        root.join("home/ftp"),
        std::fs::Permissions::from_mode(0o777),
    )
    .unwrap();
}

#[test]
fn every_headline_advice_and_diagnostic_is_in_the_readers_language() {
    let mut codes = BTreeSet::new();

    // The example host: logs and host checks (with the 10-second password pass).
    check_both_languages(
        &["triage", "--root", EXAMPLE, "-q", "--year", "1997"],
        &mut codes,
    );

    // Rootkit, backdoor and trust traces on a root of our own.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    broken_into_root(&root);
    check_both_languages(
        &["audit", "--root", root.to_str().unwrap(), "-q"],
        &mut codes,
    );

    // Inputs that cannot be read: diagnostics.
    let binary = dir.path().join("binary.log");
    std::fs::write(
        &binary,
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0".repeat(64),
    )
    .unwrap();
    let missing = dir.path().join("missing.log");
    check_both_languages(
        &[
            "scan",
            "-q",
            binary.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        &mut codes,
    );

    if let Some(shared) = common::shared_dir() {
        // A generated loghost of each layout: guessing of every kind, sendmail, FTP.
        for layout in ["linux", "sunos"] {
            let corpus = dir.path().join(layout);
            common::generate_corpus(&shared, &corpus, &["--small", "--layout", layout]);
            check_both_languages(
                &[
                    "scan",
                    "--root",
                    corpus.to_str().unwrap(),
                    "-q",
                    "--tz",
                    "Asia/Tokyo",
                ],
                &mut codes,
            );
        }
        // Real logs nobody here wrote: a 2005 Internet host, and the fail2ban fixtures of
        // many daemons (odd lines make diagnostics too).
        let loghub = shared.join("corpus/loghub/Linux/Linux_2k.log");
        check_both_languages(
            &[
                "scan",
                "-q",
                "--year",
                "2005",
                "--tz",
                "UTC",
                loghub.to_str().unwrap(),
            ],
            &mut codes,
        );
        let fail2ban = shared.join("corpus/fail2ban-logs");
        check_both_languages(
            &["scan", "-q", "--tz", "UTC", fail2ban.to_str().unwrap()],
            &mut codes,
        );
    }

    // The inputs must have made many rules speak, or the test proves little.
    for code in [
        "SM002", "LG001", "FT003", "AC003", "TR001", "BD001", "RK006", "RK004",
    ] {
        assert!(
            codes.contains(code),
            "{code} not exercised; seen: {codes:?}"
        );
    }
    eprintln!("rules seen in both languages: {} ({codes:?})", codes.len());
}
