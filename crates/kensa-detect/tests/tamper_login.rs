//! CP002–CP005 on written roots: each tampering sign with its benign twin, and the real
//! utmp samples of `../shared/corpus/utmp-rs-samples`, which are intact and must stay
//! silent.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, Finding, Lang};
use kensa_detect::login_records::{self, LoginFileKind, LoginFileRef};
use kensa_detect::tamper::{LoginCheckInput, check_login_records};
use std::collections::BTreeMap;
use std::path::Path;

const USER: i16 = 7;
const DEAD: i16 = 8;
const BOOT: i16 = 2;
const NEW_TIME: i16 = 4;
const OLD_TIME: i16 = 3;
const T0: i32 = 1_700_000_000; // 2023-11-14T22:13:20Z

/// One glibc x86-64 `struct utmp` (384 bytes).
fn utmp(kind: i16, line: &str, user: &str, host: &str, time: i32) -> Vec<u8> {
    let mut record = vec![0u8; 384];
    record[0..2].copy_from_slice(&kind.to_le_bytes());
    record[4..8].copy_from_slice(&1234i32.to_le_bytes());
    record[8..8 + line.len()].copy_from_slice(line.as_bytes());
    record[44..44 + user.len()].copy_from_slice(user.as_bytes());
    record[76..76 + host.len()].copy_from_slice(host.as_bytes());
    record[340..344].copy_from_slice(&time.to_le_bytes());
    record
}

/// One glibc lastlog record (292 bytes).
fn lastlog_record(time: i32, line: &str, host: &str) -> Vec<u8> {
    let mut record = vec![0u8; 292];
    record[0..4].copy_from_slice(&time.to_le_bytes());
    record[4..4 + line.len()].copy_from_slice(line.as_bytes());
    record[36..36 + host.len()].copy_from_slice(host.as_bytes());
    record
}

/// A lastlog file with records at the given UIDs (holes elsewhere).
fn lastlog(entries: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let max = entries.iter().map(|(uid, _)| *uid).max().unwrap_or(0) as usize;
    let mut data = vec![0u8; (max + 1) * 292];
    for (uid, record) in entries {
        let at = *uid as usize * 292;
        data[at..at + 292].copy_from_slice(record);
    }
    data
}

/// A normal day: boot, two logins with logouts.
fn normal_wtmp() -> Vec<Vec<u8>> {
    vec![
        utmp(BOOT, "~", "reboot", "6.1.0", T0),
        utmp(USER, "pts/0", "alice", "192.0.2.10", T0 + 60),
        utmp(DEAD, "pts/0", "", "", T0 + 600),
        utmp(USER, "pts/1", "root", "192.0.2.11", T0 + 900),
        utmp(DEAD, "pts/1", "", "", T0 + 1200),
    ]
}

struct Host {
    dir: tempfile::TempDir,
}

impl Host {
    fn new() -> Host {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("var/log")).unwrap();
        Host { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, data: &[u8]) {
        std::fs::write(self.root().join(rel), data).unwrap();
    }

    fn wtmp(&self, rel: &str, records: &[Vec<u8>]) {
        self.write(rel, &records.concat());
    }

    fn check(&self, users: Option<&BTreeMap<u32, Vec<u8>>>) -> Vec<Finding> {
        self.check_with_diagnostics(users).0
    }

    /// The findings and the diagnostics; every diagnostic reads in Japanese too.
    fn check_with_diagnostics(
        &self,
        users: Option<&BTreeMap<u32, Vec<u8>>>,
    ) -> (Vec<Finding>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let root = kensa_testkit::root_at(self.root());
        let files = login_records::discover(&root, &mut diags);
        let input = LoginCheckInput {
            root: &root,
            files: &files,
            users,
            host: "victim",
            tz: &TimeZone::UTC,
        };
        let findings = check_login_records(&input, &mut diags);
        for diag in &diags {
            assert!(!diag.message_ja.is_empty(), "no Japanese for {diag}");
        }
        (findings, diags)
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn users() -> BTreeMap<u32, Vec<u8>> {
    BTreeMap::from([
        (0, b"root".to_vec()),
        (1000, b"alice".to_vec()),
        (1001, b"bob".to_vec()),
    ])
}

#[test]
fn zeroed_records_between_valid_ones_are_wipes() {
    let host = Host::new();
    let mut records = normal_wtmp();
    // The attacker's login and logout, zeroed in place.
    records.insert(3, vec![0; 384]);
    records.insert(3, vec![0; 384]);
    host.wtmp("var/log/wtmp", &records);
    let findings = host.check(None);
    assert_eq!(codes(&findings), ["CP002"]);
    let finding = &findings[0];
    assert_eq!(finding.count, 1);
    assert_eq!(finding.subject.path.as_deref(), Some("var/log/wtmp"));
    let evidence = &finding.evidence[0];
    assert_eq!((evidence.line, evidence.offset), (4, 3 * 384));
    assert!(
        evidence
            .text
            .starts_with("2 zeroed record(s) (768 bytes) between a logout on pts/0"),
        "{}",
        evidence.text
    );
    assert!(
        evidence.text.contains("and a login of root on pts/1"),
        "{}",
        evidence.text
    );
    let ja = evidence.text_ja.as_deref().unwrap_or_default();
    assert!(
        ja.starts_with("ログアウト（端末 pts/0")
            && ja.contains("ログイン（ユーザー root、端末 pts/1")
            && ja.contains("の間に、ゼロで消されたレコードが 2 件（768 バイト）"),
        "{ja}"
    );
}

#[test]
fn trailing_and_leading_zeros_and_free_utmp_slots_are_not_wipes() {
    let host = Host::new();
    let mut records = vec![vec![0u8; 384]];
    records.extend(normal_wtmp());
    records.push(vec![0; 384]);
    host.wtmp("var/log/wtmp", &records);
    // utmp's free slots are zero by design and utmp is not read as a log.
    let mut utmp_slots = normal_wtmp();
    utmp_slots.insert(2, vec![0; 384]);
    host.wtmp("var/log/utmp", &utmp_slots);
    let (findings, diags) = host.check_with_diagnostics(None);
    assert!(findings.is_empty(), "{findings:#?}");
    // Zeros at either end are said, not reported.
    let said: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d.message.as_str(), d.message_in(Lang::Ja)))
        .collect();
    assert_eq!(
        said,
        [
            (
                "1 zeroed record(s) at the end of the file, after the last valid one (a crash \
                 while the file grew, or the last logins wiped)",
                "ファイルの末尾、最後の有効な記録の後に、0 で埋められた記録が 1 件あります\
                 （ファイルへの書き込み中の異常停止か、最後のログインの消去）"
            ),
            (
                "1 zeroed record(s) at the start of the file, before the first valid one",
                "ファイルの先頭、最初の有効な記録の前に、0 で埋められた記録が 1 件あります"
            ),
        ]
    );
}

#[test]
fn a_record_from_the_past_is_out_of_order_but_a_recorded_clock_change_is_not() {
    let host = Host::new();
    let mut records = normal_wtmp();
    records.insert(
        3,
        utmp(USER, "pts/2", "mallory", "203.0.113.5", T0 - 5 * 3600),
    );
    host.wtmp("var/log/wtmp", &records);
    let findings = host.check(None);
    assert_eq!(codes(&findings), ["CP003"]);
    assert_eq!(findings[0].count, 1, "one pasted record, one entry");
    assert!(
        findings[0].evidence[0]
            .text
            .contains("5 h 10 min before the previous record"),
        "{}",
        findings[0].evidence[0].text
    );

    let twin = Host::new();
    let mut records = normal_wtmp();
    // The clock set back by a day, as date(1) records it: OLD_TIME then NEW_TIME.
    records.insert(3, utmp(OLD_TIME, "|", "date", "", T0 + 700));
    records.insert(4, utmp(NEW_TIME, "{", "date", "", T0 - 86_400));
    records.insert(5, utmp(USER, "pts/3", "alice", "192.0.2.10", T0 - 86_000));
    twin.wtmp("var/log/wtmp", &records);
    assert!(twin.check(None).is_empty(), "{:?}", twin.check(None));
    // Within the hour of tolerance (an NTP step at boot) is not out of order either.
    let small = Host::new();
    let mut records = normal_wtmp();
    records.insert(3, utmp(USER, "pts/2", "alice", "192.0.2.10", T0 - 1800));
    small.wtmp("var/log/wtmp", &records);
    assert!(small.check(None).is_empty());
}

#[test]
fn a_file_cut_inside_a_record_is_reported() {
    let host = Host::new();
    let mut data = normal_wtmp().concat();
    data.extend_from_slice(&utmp(USER, "pts/4", "root", "203.0.113.5", T0 + 2000)[..100]);
    host.write("var/log/btmp", &data);
    let findings = host.check(None);
    assert_eq!(codes(&findings), ["CP004"]);
    assert_eq!(findings[0].evidence[0].line, 6);
    assert_eq!(findings[0].evidence[0].offset, 5 * 384);
    assert!(findings[0].evidence[0].text.contains("100 of 384 bytes"));
}

#[test]
fn wtmp_logins_missing_from_lastlog_are_found() {
    let host = Host::new();
    host.wtmp("var/log/wtmp", &normal_wtmp());
    // root's slot is a hole (wiped); alice's is older than her wtmp login.
    host.write(
        "var/log/lastlog",
        &lastlog(&[(1000, lastlog_record(T0 - 86_400, "pts/0", "192.0.2.10"))]),
    );
    let users = users();
    let findings = host.check(Some(&users));
    assert_eq!(codes(&findings), ["CP005"]);
    let finding = &findings[0];
    assert_eq!(finding.count, 2);
    assert_eq!(finding.subject.users, ["alice", "root"]);
    assert!(
        finding.evidence[0].text.contains("last login was earlier"),
        "{}",
        finding.evidence[0].text
    );
    assert!(
        finding.evidence[1]
            .text
            .contains("var/log/lastlog has no entry for root (UID 0)"),
        "{}",
        finding.evidence[1].text
    );
}

#[test]
fn lastlog_benign_twins_stay_silent() {
    let host = Host::new();
    let mut records = normal_wtmp();
    // An FTP session and a tmux pseudo-login: their programs do not write lastlog.
    records.push(utmp(USER, "ftp1234", "bob", "192.0.2.12", T0 + 1300));
    records.push(utmp(USER, "pts/5", "alice", "tmux(4242).%0", T0 + 1400));
    // A user not in passwd (deleted since) cannot be compared.
    records.push(utmp(USER, "pts/6", "olduser", "192.0.2.13", T0 + 1500));
    host.wtmp("var/log/wtmp", &records);
    // Older logins rotated into wtmp.1; lastlog is newer than them: fine.
    host.wtmp(
        "var/log/wtmp.1",
        &[utmp(USER, "pts/0", "bob", "192.0.2.12", T0 - 86_400 * 30)],
    );
    host.write(
        "var/log/lastlog",
        &lastlog(&[
            (0, lastlog_record(T0 + 900, "pts/1", "192.0.2.11")),
            (1000, lastlog_record(T0 + 60, "pts/0", "192.0.2.10")),
            (1001, lastlog_record(T0 - 86_400 * 2, "pts/0", "192.0.2.12")),
        ]),
    );
    let users = users();
    assert!(host.check(Some(&users)).is_empty());
    // Without passwd, or without lastlog at all, nothing is compared.
    let bare = Host::new();
    bare.wtmp("var/log/wtmp", &normal_wtmp());
    assert!(bare.check(Some(&users)).is_empty());
    bare.write("var/log/lastlog", &lastlog(&[]));
    let (findings, diags) = bare.check_with_diagnostics(None);
    assert!(findings.is_empty());
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].file, "var/log/lastlog");
    assert_eq!(
        diags[0].message_in(Lang::Ja),
        "wtmp と照合していません: 検査対象のルートの passwd（UID → 名前）を読み取れません\
         でした"
    );
}

#[test]
fn the_real_utmp_samples_are_intact() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let samples = shared.join("corpus/utmp-rs-samples");
    let mut checked = 0;
    for name in [
        "basic32.utmp",
        "basic64.utmp",
        "long_user_32.utmp",
        "with_host_32.utmp",
    ] {
        let host = Host::new();
        let data = std::fs::read(samples.join(name)).unwrap();
        host.write("var/log/wtmp", &data);
        let root = kensa_testkit::root_at(host.root());
        let files = vec![LoginFileRef::in_root(
            &root,
            "var/log/wtmp".to_string(),
            LoginFileKind::Sessions,
        )];
        let mut diags = Vec::new();
        let input = LoginCheckInput {
            root: &root,
            files: &files,
            users: None,
            host: "sample",
            tz: &TimeZone::UTC,
        };
        let findings = check_login_records(&input, &mut diags);
        assert!(findings.is_empty(), "{name}: {findings:#?}");
        checked += 1;
        // The same sample with a record zeroed between valid ones is a wipe.
        let size = if name.contains("64") { 400 } else { 384 };
        if data.len() / size >= 3 {
            let mut wiped = data.clone();
            wiped[size..2 * size].fill(0);
            host.write("var/log/wtmp", &wiped);
            let findings = check_login_records(&input, &mut diags);
            assert_eq!(codes(&findings), ["CP002"], "{name}");
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn a_live_wtmp_older_than_its_rotation_is_out_of_order() {
    // wtmp.1 ends ten days after the live wtmp begins: the live file was restored from
    // an old copy (or the rotation was edited).
    let host = Host::new();
    host.wtmp("var/log/wtmp", &normal_wtmp());
    host.wtmp(
        "var/log/wtmp.1",
        &[utmp(USER, "pts/0", "bob", "192.0.2.12", T0 + 10 * 86_400)],
    );
    let findings = host.check(None);
    assert_eq!(codes(&findings), ["CP003"]);
    assert_eq!(findings[0].subject.path.as_deref(), Some("var/log/wtmp"));
    assert!(
        findings[0].evidence[0]
            .text
            .contains("the end of the older var/log/wtmp.1"),
        "{}",
        findings[0].evidence[0].text
    );
    // Normal rotation (wtmp.1 ends before wtmp begins), and a btmp beside it, are fine.
    let normal = Host::new();
    normal.wtmp("var/log/wtmp", &normal_wtmp());
    normal.wtmp(
        "var/log/wtmp.1",
        &[utmp(USER, "pts/0", "bob", "192.0.2.12", T0 - 86_400)],
    );
    normal.wtmp(
        "var/log/btmp.1",
        &[utmp(
            6,
            "ssh:notty",
            "root",
            "203.0.113.5",
            T0 + 20 * 86_400,
        )],
    );
    assert!(normal.check(None).is_empty(), "{:#?}", normal.check(None));
}
