//! Fixture lines for the FTP upload detector: each must fire with a given code, or stay
//! silent.

use super::*;
use crate::LineRef;
use crate::test_support::assert_japanese;
use kensa_core::Outcome;
use kensa_logs::syslog;
use std::borrow::Cow;

/// Runs `lines` (xferlog, vsftpd or syslog lines) through a fresh detector, the way the
/// engine hands them over.
fn run(lines: &[&str]) -> Vec<Finding> {
    let mut detector = FtpUploadDetector::default();
    let mut offset = 0;
    for (index, line) in lines.iter().enumerate() {
        let raw = line.as_bytes();
        let at = LineRef {
            file: "var/log/xferlog",
            line: index as u64 + 1,
            offset,
            raw,
            before: &[],
            journal: None,
        };
        offset += raw.len() as u64 + 1;
        let record = if let Some(header) = syslog::own_stamp_header(raw) {
            let message = header.message;
            Record {
                at,
                time: None,
                host: Cow::Borrowed("ftp"),
                program: b"",
                pid: None,
                message,
            }
        } else {
            let header = syslog::parse(raw).expect("fixture parses");
            Record {
                at,
                time: None,
                host: Cow::Owned(String::from_utf8_lossy(header.host.unwrap_or(b"?")).into()),
                program: header.program,
                pid: header.pid,
                message: header.message,
            }
        };
        // The prefilter would hand over only lines with a needle; check that every
        // fixture that must fire has one.
        detector.observe(&record);
    }
    let findings = detector.finish();
    findings.iter().for_each(assert_japanese);
    findings
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn completed_anonymous_forward_upload_is_ft011() {
    let findings = run(&[
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a guest@ ftp 0 * c",
    ]);
    assert_eq!(codes(&findings), ["FT011"]);
    let f = &findings[0];
    assert_eq!(f.outcome, Outcome::Succeeded);
    assert_eq!(f.subject.source.as_deref(), Some("192.0.2.95"));
    assert_eq!(f.subject.path.as_deref(), Some("/home/ftp/.forward"));
    assert_eq!(f.subject.users, ["guest@"]);
    assert_eq!(f.host, "ftp");
    assert_eq!(f.evidence.len(), 1);
}

#[test]
fn incomplete_rhosts_upload_is_ft012() {
    let findings = run(&[
        "Fri Dec 27 18:00:54 1996 0 192.0.2.95 0 /home/ftp/.rhosts a _ i a guest@ ftp 0 * i",
    ]);
    assert_eq!(codes(&findings), ["FT012"]);
}

#[test]
fn wu_ftpd_2_4_lines_without_completion_field() {
    let findings =
        run(&["Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.rhosts b _ i a x@y ftp 0 *"]);
    assert_eq!(codes(&findings), ["FT011"]);
}

#[test]
fn file_names_with_spaces_keep_the_fields_in_place() {
    let findings = run(&[
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/pub/a b c .rhosts a _ i a x@ ftp 0 * c",
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/my dir/.forward a _ i a x@ ftp 0 * c",
    ]);
    // The first file is "a b c .rhosts": not a dot file; the second, ".forward" in
    // "my dir", is.
    assert_eq!(codes(&findings), ["FT011", "FT013"]);
    assert_eq!(
        findings[0].subject.path.as_deref(),
        Some("/home/ftp/my dir/.forward")
    );
    assert_eq!(
        findings[1].subject.path.as_deref(),
        Some("/home/ftp/pub/a b c .rhosts")
    );
}

#[test]
fn silent_lines() {
    let findings = run(&[
        // A real user uploads his own .forward.
        "Fri Dec 27 18:00:54 1996 1 172.16.2.22 48 /home/tanaka/.forward a _ i r tanaka ftp 0 * c",
        // Anonymous downloads.
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/.rhosts a _ o a guest@ ftp 0 * c",
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/pub/ls-lR a _ o a guest@ ftp 0 * c",
        // Uploads into incoming, even of dot files.
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/incoming/.forward a _ i a guest@ ftp 0 * c",
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/Incoming/paper.ps b _ i a guest@ ftp 0 * c",
        // vsftpd: a real user, an anonymous download, an anonymous login.
        "Sun Apr 17 17:55:36 2005 [pid 12] [tanaka] OK UPLOAD: Client \"172.16.2.22\", \"/home/tanaka/.forward\", 48 bytes, 1.00Kbyte/sec",
        "Sun Apr 17 17:55:36 2005 [pid 12] [ftp] OK DOWNLOAD: Client \"192.0.2.1\", \"/.forward\", 48 bytes, 1.00Kbyte/sec",
        "Sun Apr 17 17:55:36 2005 [pid 12] [ftp] OK LOGIN: Client \"192.0.2.1\", anon password \"x@\"",
        // Not xferlog at all, though it has the needle.
        "Fri Dec 27 18:00:54 1996 the answer i a gave .rhosts",
        "Dec 27 18:00:54 host ftpd[1]: 1 192.0.2.95 4 /home/ftp/.rhosts a _ i a guest@ ftp 0 * c",
        // Bad fields.
        "Fri Dec 27 18:00:54 1996 x 192.0.2.95 4 /home/ftp/.rhosts a _ i a guest@ ftp 0 * c",
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/.rhosts q _ i a guest@ ftp 0 * c",
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/.rhosts a _ i z guest@ ftp 0 * c",
    ]);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn vsftpd_own_log_and_syslog() {
    let findings = run(&[
        "Sun Apr 17 17:55:36 2005 [pid 12] [ftp] OK UPLOAD: Client \"192.0.2.1\", \"/.forward\", 48 bytes, 1.00Kbyte/sec",
        "Sun Apr 17 17:55:37 2005 [pid 13] [ftp] FAIL UPLOAD: Client \"192.0.2.1\", \"/.rhosts\", 0.00Kbyte/sec",
        "Apr 17 17:55:38 ftp vsftpd[14]: [anonymous] OK UPLOAD: Client \"192.0.2.1\", \"/pub/x\"y\", 9 bytes, 1.00Kbyte/sec",
    ]);
    assert_eq!(codes(&findings), ["FT011", "FT012", "FT013"]);
    assert_eq!(findings[0].subject.path.as_deref(), Some("/.forward"));
    assert_eq!(findings[1].subject.path.as_deref(), Some("/.rhosts"));
    assert_eq!(findings[2].subject.path.as_deref(), Some("/pub/x\"y"));
    assert_eq!(findings[2].subject.source.as_deref(), Some("192.0.2.1"));
}

#[test]
fn ordinary_uploads_are_grouped_by_source() {
    let mut lines = Vec::new();
    for i in 0..40 {
        lines.push(format!(
            "Fri Dec 27 18:00:{:02} 1996 1 203.0.113.{} 4 /home/ftp/pub/w{i} b _ i a x@ ftp 0 * c",
            i % 60,
            i % 2
        ));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let findings = run(&refs);
    assert_eq!(codes(&findings), ["FT013", "FT013"]);
    assert_eq!(findings[0].count, 20);
    assert_eq!(findings[0].evidence.len(), MAX_EVIDENCE);
    let rule = &ft013_anon_upload::RULE;
    assert_eq!(findings[0].title, format!("{} (20 files)", rule.title));
    assert_eq!(
        findings[0].title_ja,
        format!("{}（ファイル 20 件）", rule.title_ja)
    );
}

#[test]
fn dotfile_findings_are_capped() {
    let line = "Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a g@ ftp 0 * c";
    let lines = vec![line; MAX_FINDINGS + 5];
    let findings = run(&lines);
    assert_eq!(findings.len(), MAX_FINDINGS);
    let last = findings.last().unwrap();
    assert!(last.title.contains("5 more"));
    assert_eq!(
        last.title_ja,
        format!(
            "{}（/home/ftp/.forward）（ほかに、個別に報告していないアップロード 5 件）",
            ft011_dotfile_upload_succeeded::RULE.title_ja
        )
    );
}

#[test]
fn every_firing_fixture_contains_a_needle() {
    let detector = FtpUploadDetector::default();
    for line in [
        "Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a guest@ ftp 0 * c",
        "Sun Apr 17 17:55:36 2005 [pid 12] [ftp] OK UPLOAD: Client \"192.0.2.1\", \"/.forward\", 48 bytes, 1.00Kbyte/sec",
        "Sun Apr 17 17:55:36 2005 [pid 12] [ftp] FAIL UPLOAD: Client \"192.0.2.1\", \"/.forward\", 1.00Kbyte/sec",
        PURE_SYSLOG,
        PURE_CLF,
        PURE_XFERLOG,
    ] {
        assert!(
            detector.needles().iter().any(|n| line.contains(n)),
            "{line}"
        );
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let alphabet = b" ia_cor\"/[]pid0123456789.,:OKFAILUPLOAD";
    for _ in 0..20_000 {
        let mut line = b"Fri Dec 27 18:00:54 1996 ".to_vec();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        for k in 0..(seed % 60) {
            let pick = (seed >> (k % 50)) as usize % alphabet.len();
            line.push(alphabet[pick]);
        }
        let _ = parse::xferlog(&line[25..]);
        let _ = parse::vsftpd(&line[25..]);
        let _ = parse::pure_ftpd(&line[25..]);
        let _ = parse::clf(&line[25..]);
        let mut clf = line[25..].to_vec();
        clf.splice(
            0..0,
            b"192.0.2.1 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT "
                .iter()
                .copied(),
        );
        let _ = parse::clf(&clf);
    }
}

/// The generated corpus (`../shared/bench`, `--small`, both layouts): every anonymous
/// dot-file upload in its truth is found at its xferlog line with the right code, and
/// nothing else fires (its background has no anonymous upload outside `incoming`).
#[test]
fn generated_corpus_matches_truth() {
    use std::io::Read;
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    for layout in ["linux", "sunos"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("c");
        kensa_testkit::generate_corpus(&shared, &root, &["--small", "--layout", layout]);
        let truth: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root.join("truth.json")).unwrap()).unwrap();
        let mut expected: Vec<(String, u64, &str)> = Vec::new();
        let mut silent = 0;
        for incident in truth["incidents"].as_array().unwrap() {
            let kind = incident["kind"].as_str().unwrap();
            if kind != "ftp_anon_upload" && kind != "decoy_user_dotfile_upload" {
                continue;
            }
            let code = match incident["verdict"].as_str().unwrap() {
                "compromised" => "FT011",
                "attempted" => "FT012",
                _ => {
                    silent += 1;
                    continue;
                }
            };
            for evidence in incident["evidence"].as_array().unwrap() {
                for at in evidence["at"].as_array().unwrap() {
                    if at["fmt"] == "xfer" {
                        let file = at["file"].as_str().unwrap().to_string();
                        expected.push((file, at["line"].as_u64().unwrap(), code));
                    }
                }
            }
        }
        assert!(expected.len() >= 2 && silent >= 1, "{layout}: {expected:?}");
        let log_dir = truth["log_dir"].as_str().unwrap();
        let mut detector = FtpUploadDetector::default();
        let mut xferlogs = 0;
        for entry in std::fs::read_dir(root.join(log_dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.starts_with("xferlog") {
                continue;
            }
            xferlogs += 1;
            let mut text = Vec::new();
            kensa_logs::decode::open(&kensa_testkit::analyst_file(&path))
                .unwrap()
                .reader
                .read_to_end(&mut text)
                .unwrap();
            let display = format!("{log_dir}/{name}");
            let mut offset = 0u64;
            for (index, raw) in text.split(|&b| b == b'\n').enumerate() {
                let at = LineRef {
                    file: &display,
                    line: index as u64 + 1,
                    offset,
                    raw,
                    before: &[],
                    journal: None,
                };
                offset += raw.len() as u64 + 1;
                let Some((_, message)) = kensa_logs::ctime::parse(raw) else {
                    assert!(raw.is_empty(), "{display}:{}: not xferlog", index + 1);
                    continue;
                };
                let record = Record {
                    at,
                    time: None,
                    host: Cow::Borrowed("ftp"),
                    program: b"",
                    pid: None,
                    message,
                };
                detector.observe(&record);
            }
        }
        assert_eq!(xferlogs, 4, "{layout}");
        let mut found: Vec<(String, u64, &str)> = detector
            .finish()
            .iter()
            .map(|f| (f.evidence[0].file.clone(), f.evidence[0].line, f.code))
            .collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "{layout}");
    }
}

/// Real vsftpd lines (Wazuh's ruleset tests, `corpus/wazuh-ruleset-tests`): connections
/// and logins, none an upload. The parser must read none of them as one.
#[test]
fn wazuh_vsftpd_lines_are_not_uploads() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let mut lines = 0;
    for file in [
        "corpus/wazuh-ruleset-tests/wazuh-4.14.9/vsftpd.ini",
        "corpus/wazuh-ruleset-tests/wazuh-ruleset-wip-2019/0185-vsftpd.ini",
    ] {
        let text = std::fs::read(shared.join(file)).unwrap();
        for raw in text.split(|&b| b == b'\n') {
            let Some(at) = memchr::memmem::find(raw, b" = ") else {
                continue;
            };
            if !raw.starts_with(b"log ") {
                continue;
            }
            let line = &raw[at + 3..];
            let Some((_, message)) = kensa_logs::ctime::parse(line) else {
                continue;
            };
            lines += 1;
            assert_eq!(
                parse::vsftpd(message),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
            assert_eq!(
                parse::xferlog(message),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
    assert!(lines >= 4, "{lines} vsftpd lines");
}

/// pure-ftpd 1.0.50 as captured by `crates/kensa/tests/live/ftp-attack.sh`.
const PURE_SYSLOG: &str = "Dec  7 12:24:25 vm pure-ftpd: (ftp@127.0.3.13) [NOTICE] /tmp/cap1/run/ftp//up/notes-pure-ftpd.txt uploaded  (4 bytes, 22.57KB/sec)";
const PURE_CLF: &str = "127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT /tmp/cap1/run/ftp/up/notes-pure-ftpd.txt\" 200 4";
const PURE_XFERLOG: &str = "Mon Dec 07 12:24:27 2026 0 127.0.6.13 4 /tmp/cap1/run/ftp/up/notes-pure-ftpd-xferlog.txt b _ i r ftp ftp 1 * c";

/// pure-ftpd's three ways of logging an anonymous upload (syslog, `-O clf:`, `-O
/// xferlog:` with access mode `r` and user `ftp`) are anonymous uploads; a real user's
/// and a download are not.
#[test]
fn pure_ftpd_uploads_in_syslog_clf_and_xferlog() {
    for line in [PURE_SYSLOG, PURE_CLF, PURE_XFERLOG] {
        let findings = run(&[line]);
        assert_eq!(codes(&findings), ["FT013"], "{line}");
        assert!(
            findings[0]
                .subject
                .source
                .as_deref()
                .unwrap()
                .starts_with("127.0.")
        );
    }
    let dot = "127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT /srv/ftp/up/.rhosts\" 200 4";
    assert_eq!(codes(&run(&[dot])), ["FT011"]);
    let cut = "127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT /srv/ftp/up/.rhosts\" 426 0";
    assert_eq!(codes(&run(&[cut])), ["FT012"]);
    for silent in [
        "127.0.3.14 - kvictim [07/Dec/2026:12:24:25 -0000] \"PUT /home/kvictim/.forward\" 200 4",
        "127.0.3.15 - ftp [07/Dec/2026:12:24:25 -0000] \"GET /srv/ftp/pub/README\" 200 6",
        "Mon Dec 07 12:24:27 2026 0 127.0.6.14 18 /home/kvictim/.forward b _ i r kvictim ftp 1 * c",
        "Dec  7 12:24:25 vm pure-ftpd: (kvictim@127.0.3.14) [NOTICE] /home/kvictim//.forward uploaded  (4 bytes, 1KB/sec)",
        "Dec  7 12:24:25 vm pure-ftpd: (ftp@127.0.3.15) [NOTICE] /srv/ftp//pub/README downloaded  (6 bytes, 37.81KB/sec)",
        "x - ftp y [07/Dec/2026:12:24:25 -0000] \"PUT /srv/ftp/up/.rhosts\" 200 4",
        "127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT \" 200 4",
        "127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT /x\" 2000 4",
    ] {
        assert_eq!(codes(&run(&[silent])), Vec::<&str>::new(), "{silent}");
    }
}

/// vsftpd on an IPv6 socket (Debian's `listen_ipv6=YES`) logs `::ffff:a.b.c.d`; the
/// finding's source is the IPv4 address, and one upload in its own log and its xferlog
/// is one finding per source, two sources storing the same path are two.
#[test]
fn mapped_sources_are_ipv4_and_two_sources_stay_two() {
    let own = "Mon Dec  7 12:24:00 2026 [pid 17646] [ftp] OK UPLOAD: Client \"::ffff:127.0.1.13\", \"/up/.forward\", 25 bytes, 67.44Kbyte/sec";
    let xfer = "Mon Dec  7 12:24:00 2026 1 ::ffff:127.0.1.13 25 /up/.forward b _ i a <no_password> ftp 0 * c";
    let other = "Mon Dec  7 12:24:00 2026 1 ::ffff:127.0.4.13 25 /up/.forward b _ i a <no_password> ftp 0 * c";
    let findings = run(&[own, xfer, other]);
    let keys: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.subject.source.as_deref().unwrap(), f.merge_key.as_str()))
        .collect();
    assert_eq!(findings.len(), 3);
    assert_eq!(keys[0].0, "127.0.1.13");
    assert_eq!(keys[0].1, keys[1].1, "one upload, one merge key");
    assert_ne!(keys[0].1, keys[2].1, "two sources, two findings");
}
