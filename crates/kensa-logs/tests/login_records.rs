//! Binary login records: utmp/wtmp/btmp in every layout kensa knows, lastlog, and the
//! wtmpdb/lastlog2 SQLite databases — read from the utmp-rs samples in `../shared`, from
//! records built here byte by byte, from `utmpdump -r` output, and from hostile input.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Diagnostic, DiagnosticLevel, Lang};
use kensa_logs::login_records::lastlog::{LastlogLayout, read_lastlog_file};
use kensa_logs::login_records::utmp::{LoginRecords, parse_record, rank_layouts};
use kensa_logs::login_records::wtmpdb::{read_lastlog2, read_wtmpdb};
use kensa_logs::login_records::{Layout, LoginRecord, RecordKind, detect_layout, read_login_file};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// The records and diagnostics of a login file; every diagnostic reads in Japanese too.
fn read_all(path: &Path) -> (Vec<LoginRecord>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_login_file(&kensa_testkit::analyst_file(path), &mut diags).collect();
    for diag in &diags {
        assert!(!diag.message_ja.is_empty(), "no Japanese for {diag}");
    }
    (records, diags)
}

fn ts(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

// ---------------------------------------------------------------------------------------
// Records built byte by byte.

/// One record's values, written into any layout by [`encode`].
#[derive(Clone)]
struct Rec {
    ut_type: i16,
    pid: i32,
    line: &'static [u8],
    id: &'static [u8],
    user: &'static [u8],
    host: &'static [u8],
    seconds: i64,
    micros: i64,
    addr: [u8; 16],
}

fn put(buf: &mut [u8], at: usize, bytes: &[u8], width: usize) {
    let n = bytes.len().min(width);
    buf[at..at + n].copy_from_slice(&bytes[..n]);
}

fn put_int(buf: &mut [u8], at: usize, value: i64, width: usize, be: bool) {
    let bytes = if be {
        value.to_be_bytes()[8 - width..].to_vec()
    } else {
        value.to_le_bytes()[..width].to_vec()
    };
    buf[at..at + width].copy_from_slice(&bytes);
}

/// The C struct of `layout`, filled from `r` (fields the layout lacks are dropped).
fn encode(layout: Layout, r: &Rec) -> Vec<u8> {
    let be = layout.big_endian();
    let mut b = vec![0u8; layout.record_size()];
    match layout {
        Layout::Glibc32 { .. } => {
            put_int(&mut b, 0, r.ut_type.into(), 2, be);
            put_int(&mut b, 4, r.pid.into(), 4, be);
            put(&mut b, 8, r.line, 32);
            put(&mut b, 40, r.id, 4);
            put(&mut b, 44, r.user, 32);
            put(&mut b, 76, r.host, 256);
            put_int(&mut b, 340, r.seconds, 4, be);
            put_int(&mut b, 344, r.micros, 4, be);
            put(&mut b, 348, &r.addr, 16);
        }
        Layout::Glibc64 { .. } => {
            put_int(&mut b, 0, r.ut_type.into(), 2, be);
            put_int(&mut b, 4, r.pid.into(), 4, be);
            put(&mut b, 8, r.line, 32);
            put(&mut b, 40, r.id, 4);
            put(&mut b, 44, r.user, 32);
            put(&mut b, 76, r.host, 256);
            put_int(&mut b, 344, r.seconds, 8, be);
            put_int(&mut b, 352, r.micros, 8, be);
            put(&mut b, 360, &r.addr, 16);
        }
        Layout::Libc5 { .. } => {
            put_int(&mut b, 0, r.ut_type.into(), 2, be);
            put_int(&mut b, 4, r.pid.into(), 4, be);
            put(&mut b, 8, r.line, 12);
            put(&mut b, 20, r.id, 4);
            put_int(&mut b, 24, r.seconds, 4, be);
            put(&mut b, 28, r.user, 8);
            put(&mut b, 36, r.host, 16);
            put(&mut b, 52, &r.addr[..4], 4);
        }
        Layout::Bsd43 { .. } => {
            put(&mut b, 0, r.line, 8);
            put(&mut b, 8, r.user, 8);
            put(&mut b, 16, r.host, 16);
            put_int(&mut b, 32, r.seconds, 4, be);
        }
        Layout::Bsd44 { .. } => {
            put(&mut b, 0, r.line, 8);
            put(&mut b, 8, r.user, 16);
            put(&mut b, 24, r.host, 16);
            put_int(&mut b, 40, r.seconds, 4, be);
        }
        Layout::OpenBsd { time64 } => {
            put(&mut b, 0, r.line, 8);
            put(&mut b, 8, r.user, 32);
            put(&mut b, 40, r.host, 256);
            put_int(&mut b, 296, r.seconds, if time64 { 8 } else { 4 }, be);
        }
        Layout::Svr4 { .. } => {
            put(&mut b, 0, r.user, 8);
            put(&mut b, 8, r.id, 4);
            put(&mut b, 12, r.line, 12);
            put_int(&mut b, 24, r.pid.into(), 2, be);
            put_int(&mut b, 26, r.ut_type.into(), 2, be);
            put_int(&mut b, 32, r.seconds, 4, be);
        }
        Layout::SolarisUtmpx { .. } => {
            put(&mut b, 0, r.user, 32);
            put(&mut b, 32, r.id, 4);
            put(&mut b, 36, r.line, 32);
            put_int(&mut b, 68, r.pid.into(), 4, be);
            put_int(&mut b, 72, r.ut_type.into(), 2, be);
            put_int(&mut b, 80, r.seconds, 4, be);
            put_int(&mut b, 84, r.micros, 4, be);
            put_int(&mut b, 112, r.host.len().min(257) as i64, 2, be);
            put(&mut b, 114, r.host, 257);
        }
    }
    b
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> [u8; 16] {
    let mut addr = [0; 16];
    addr[..4].copy_from_slice(&[a, b, c, d]);
    addr
}

/// A day on a 1997 host: boot, a console login, a telnet login from afar, its logout, a
/// second remote login, shutdown. BSD layouts have no type: their boot and shutdown are
/// `~`/`reboot` and `~`/`shutdown`, a logout an empty name.
fn session(typed: bool) -> Vec<Rec> {
    let base: i64 = 873_000_000; // 1997-08-31
    let r = |ut_type, pid, line, id, user, host, offset, addr| Rec {
        ut_type,
        pid,
        line,
        id,
        user,
        host,
        seconds: base + offset,
        micros: if typed { 250_000 } else { 0 },
        addr,
    };
    let none = [0; 16];
    vec![
        r(2, 0, b"~", b"~~", b"reboot", b"2.0.30", 0, none),
        r(7, 120, b"tty1", b"1", b"root", b"", 60, none),
        r(
            7,
            301,
            b"ttyp0",
            b"p0",
            b"guest",
            b"cracker.example",
            3600,
            v4(192, 0, 2, 7),
        ),
        r(8, 301, b"ttyp0", b"p0", b"", b"", 4000, none),
        r(
            7,
            330,
            b"ttyp1",
            b"p1",
            b"operator",
            b"10.1.2.3",
            5000,
            v4(10, 1, 2, 3),
        ),
        r(1, 0, b"~", b"~~", b"shutdown", b"2.0.30", 9000, none),
    ]
}

fn typed(layout: Layout) -> bool {
    !matches!(
        layout,
        Layout::Bsd43 { .. } | Layout::Bsd44 { .. } | Layout::OpenBsd { .. }
    )
}

fn file_of(layout: Layout, recs: &[Rec]) -> Vec<u8> {
    recs.iter().flat_map(|r| encode(layout, r)).collect()
}

fn expected_kind(layout: Layout, r: &Rec) -> RecordKind {
    if typed(layout) {
        match r.ut_type {
            1 if r.user == b"shutdown" => RecordKind::Shutdown,
            2 => RecordKind::Boot,
            7 => RecordKind::Login,
            8 => RecordKind::Logout,
            other => panic!("type {other} not in the fixture"),
        }
    } else {
        match (r.line, r.user) {
            (b"~", b"reboot") => RecordKind::Boot,
            (b"~", b"shutdown") => RecordKind::Shutdown,
            (_, b"") => RecordKind::Logout,
            _ => RecordKind::Login,
        }
    }
}

fn truncated(bytes: &[u8], width: usize) -> &[u8] {
    &bytes[..bytes.len().min(width)]
}

#[test]
fn every_layout_round_trips_and_is_detected_as_itself() {
    for layout in Layout::ALL {
        let recs = session(typed(layout));
        let bytes = file_of(layout, &recs);
        let ranked = rank_layouts(&bytes, bytes.len() as u64);
        let (best, confidence) = ranked[0];
        assert_eq!(best, layout, "detected {ranked:?}");
        assert!(confidence > 0.9, "{layout:?}: confidence {confidence}");
        // Wins clearly: the runner-up (another shape or byte order) is 0.1 or more behind,
        // so reading the file raises no "guessed" note.
        assert!(ranked[1].1 + 0.1 <= confidence, "{layout:?}: {ranked:?}");

        let records: Vec<LoginRecord> = LoginRecords::new(&bytes[..], layout)
            .map(Result::unwrap)
            .collect();
        assert_eq!(records.len(), recs.len());
        let size = layout.record_size() as u64;
        let (user_w, line_w, host_w) = match layout {
            Layout::Glibc32 { .. } | Layout::Glibc64 { .. } => (32, 32, 256),
            Layout::Libc5 { .. } => (8, 12, 16),
            Layout::Bsd43 { .. } => (8, 8, 16),
            Layout::Bsd44 { .. } => (16, 8, 16),
            Layout::OpenBsd { .. } => (32, 8, 256),
            Layout::Svr4 { .. } => (8, 12, 0),
            Layout::SolarisUtmpx { .. } => (32, 32, 257),
        };
        for (i, (got, want)) in records.iter().zip(&recs).enumerate() {
            let what = format!("{layout:?} record {i}");
            assert_eq!(got.kind, expected_kind(layout, want), "{what}");
            assert_eq!(&*got.user, truncated(want.user, user_w), "{what}");
            assert_eq!(&*got.line, truncated(want.line, line_w), "{what}");
            assert_eq!(&*got.host, truncated(want.host, host_w), "{what}");
            assert_eq!(got.index, i as u64);
            assert_eq!(got.offset, i as u64 * size);
            let micros = if matches!(
                layout,
                Layout::Glibc32 { .. } | Layout::Glibc64 { .. } | Layout::SolarisUtmpx { .. }
            ) {
                want.micros
            } else {
                0
            };
            let time = jiff::Timestamp::new(want.seconds, (micros * 1000) as i32).unwrap();
            assert_eq!(got.time, Some(time), "{what}");
            if typed(layout) {
                assert_eq!(got.pid, Some(want.pid), "{what}");
            } else {
                assert_eq!(got.pid, None, "{what}");
            }
            let has_addr = matches!(
                layout,
                Layout::Glibc32 { .. } | Layout::Glibc64 { .. } | Layout::Libc5 { .. }
            );
            let want_addr = (has_addr && want.addr != [0; 16])
                .then(|| IpAddr::from([want.addr[0], want.addr[1], want.addr[2], want.addr[3]]));
            assert_eq!(got.addr, want_addr, "{what}");
        }
    }
}

#[test]
fn big_endian_solaris_wtmpx_fields() {
    let layout = Layout::SolarisUtmpx { big_endian: true };
    let recs = session(true);
    let bytes = file_of(layout, &recs);
    // The type of the third record sits at 72..74 of record 2, most significant byte first.
    assert_eq!(&bytes[2 * 372 + 72..2 * 372 + 74], &[0, 7]);
    assert_eq!(detect_layout(&bytes, bytes.len() as u64).unwrap().0, layout);
    let third = parse_record(&bytes[744..1116], layout, 2, 744);
    assert_eq!(third.kind, RecordKind::Login);
    assert_eq!(&*third.user, b"guest");
    assert_eq!(&*third.line, b"ttyp0");
    assert_eq!(&*third.id, b"p0");
    assert_eq!(&*third.host, b"cracker.example");
    assert_eq!(third.pid, Some(301));
    assert_eq!(third.time, Some(ts("1997-08-31T05:00:00.25Z")));
    // Read little-endian, the same bytes are implausible.
    let ranked = rank_layouts(&bytes, bytes.len() as u64);
    let le = ranked
        .iter()
        .find(|(l, _)| *l == Layout::SolarisUtmpx { big_endian: false })
        .unwrap();
    assert!(le.1 < 0.8, "{ranked:?}");
}

#[test]
fn sunos4_wtmp_on_disk_detected_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    let layout = Layout::Bsd43 { big_endian: true };
    std::fs::write(&path, file_of(layout, &session(false))).unwrap();
    let (records, diags) = read_all(&path);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(records.len(), 6);
    assert_eq!(records[2].kind, RecordKind::Login);
    assert_eq!(&*records[2].user, b"guest");
    assert_eq!(&*records[2].host, b"cracker.example");
    assert_eq!(records[3].kind, RecordKind::Logout);
    assert_eq!(records[5].kind, RecordKind::Shutdown);
}

#[test]
fn zeroed_records_between_valid_ones_come_out_empty_with_their_index() {
    let layout = Layout::Glibc32 { big_endian: false };
    let mut bytes = file_of(layout, &session(true));
    // A cleaner wiped the guest login and its logout (records 2 and 3).
    bytes[2 * 384..4 * 384].fill(0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    std::fs::write(&path, &bytes).unwrap();
    let (records, diags) = read_all(&path);
    assert!(diags.is_empty(), "{diags:?}");
    let kinds: Vec<(u64, RecordKind)> = records.iter().map(|r| (r.index, r.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (0, RecordKind::Boot),
            (1, RecordKind::Login),
            (2, RecordKind::Empty),
            (3, RecordKind::Empty),
            (4, RecordKind::Login),
            (5, RecordKind::Shutdown),
        ]
    );
    assert_eq!(records[2].offset, 768);
    assert_eq!(records[2].time, None);
    assert_eq!(records[2].pid, None);
    assert!(records[2].user.is_empty());
}

#[test]
fn trailing_partial_record_is_a_warning_after_the_whole_ones() {
    let layout = Layout::Glibc32 { big_endian: false };
    let mut bytes = file_of(layout, &session(true));
    bytes.truncate(5 * 384 + 100);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    std::fs::write(&path, &bytes).unwrap();
    let (records, diags) = read_all(&path);
    assert_eq!(records.len(), 5);
    let partial: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .collect();
    assert_eq!(partial.len(), 1, "{diags:?}");
    assert_eq!(partial[0].line, Some(6));
    assert!(
        partial[0].message.contains("100 of 384 bytes"),
        "{}",
        partial[0]
    );
    assert!(partial[0].message.contains("offset 1920"), "{}", partial[0]);
    assert!(
        partial[0]
            .message_in(Lang::Ja)
            .starts_with("ログイン記録（glibc の utmp（384 バイト、リトルエンディアン））: "),
        "{}",
        partial[0].message_in(Lang::Ja)
    );
    assert_eq!(partial[0].file, path.display().to_string());
}

#[test]
fn non_utf8_user_names_are_kept_as_bytes() {
    let layout = Layout::Glibc32 { big_endian: false };
    let mut recs = session(true);
    recs[2].user = b"\xa4\xb3\xa4\xf3"; // EUC-JP
    recs[4].user = b"r\xe9my\x1b[2J"; // Latin-1 and an escape sequence
    let bytes = file_of(layout, &recs);
    assert_eq!(detect_layout(&bytes, bytes.len() as u64).unwrap().0, layout);
    let records: Vec<LoginRecord> = LoginRecords::new(&bytes[..], layout)
        .map(Result::unwrap)
        .collect();
    assert_eq!(&*records[2].user, b"\xa4\xb3\xa4\xf3");
    assert_eq!(&*records[4].user, b"r\xe9my\x1b[2J");
}

#[test]
fn thirty_two_byte_user_without_terminator() {
    let layout = Layout::Glibc32 { big_endian: false };
    let mut recs = session(true);
    recs[2].user = b"abcdefghijklmnopqrstuvwxyz012345";
    let bytes = file_of(layout, &recs);
    let third = parse_record(&bytes[768..1152], layout, 2, 768);
    assert_eq!(&*third.user, b"abcdefghijklmnopqrstuvwxyz012345");
    // The host that follows is not glued to it.
    assert_eq!(&*third.host, b"cracker.example");
}

/// xorshift64*: deterministic garbage without a dependency.
fn garbage(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

#[test]
fn random_garbage_never_panics_and_says_the_layout_is_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, len) in [
        (1, 384 * 10),
        (2, 1000),
        (3, 36),
        (4, 7),
        (5, 372 * 3 + 5),
        (6, 65_536),
    ] {
        let bytes = garbage(seed, len);
        // Every layout over every offset of the garbage: parsing never panics.
        for layout in Layout::ALL {
            for record in bytes.chunks(layout.record_size()) {
                let _ = parse_record(record, layout, 0, 0);
            }
        }
        let path = dir.path().join(format!("garbage{seed}"));
        std::fs::write(&path, &bytes).unwrap();
        let (records, diags) = read_all(&path);
        assert!(
            diags.iter().any(|d| d.level >= DiagnosticLevel::Note),
            "seed {seed}: no diagnostic for garbage"
        );
        if len < 28 {
            assert!(diags[0].message.contains("shorter than"), "{diags:?}");
            continue;
        }
        let note = diags
            .iter()
            .find(|d| d.message.contains("guessed"))
            .unwrap_or_else(|| panic!("seed {seed}: {diags:?}"));
        assert_eq!(note.level, DiagnosticLevel::Note);
        let ja = note.message_in(Lang::Ja);
        assert!(
            ja.starts_with("ログイン記録の形式を ") && ja.contains("と推定しました（確信度 "),
            "{ja}"
        );
        assert!(records.len() <= len);
    }
}

#[test]
fn all_zero_file_is_read_as_empty_records_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    std::fs::write(&path, vec![0u8; 384 * 3]).unwrap();
    let (records, diags) = read_all(&path);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r.kind == RecordKind::Empty));
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].level, DiagnosticLevel::Warning);
    assert!(
        diags[0].message.contains("no non-zero record"),
        "{}",
        diags[0]
    );
    assert_eq!(
        diags[0].message_in(Lang::Ja),
        "先頭 1152 バイトに 0 以外を含む記録がありません（すべての記録が消去された可能性が\
         あります）。形式が分からないため、glibc の utmp（384 バイト、リトルエンディアン）として\
         読みました"
    );
}

#[test]
fn compressed_rotation_is_read() {
    use std::io::Write;
    let layout = Layout::Glibc32 { big_endian: false };
    let bytes = file_of(layout, &session(true));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.1.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let (records, diags) = read_all(&path);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(records.len(), 6);
    assert_eq!(&*records[2].user, b"guest");
}

#[test]
fn links_resolve_inside_the_root_and_fifos_are_refused() {
    // The intruder's wtmp is a link to the analyst's own /…/real: inside the root that
    // path does not exist, so nothing outside is read.
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("real");
    std::fs::write(
        &target,
        file_of(Layout::Glibc32 { big_endian: false }, &session(true)),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("wtmp")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("btmp"))
        .status()
        .unwrap();
    assert!(status.success());
    let root = kensa_testkit::root_at(dir.path());
    let in_root = |rel: &str| kensa_fs::Location::InRoot {
        root: root.clone(),
        rel: rel.into(),
    };
    type Reader = fn(&kensa_fs::Location, &mut Vec<Diagnostic>) -> usize;
    let readers: [(&str, Reader); 3] = [
        ("utmp", |at, diags| read_login_file(at, diags).count()),
        ("lastlog", |at, diags| read_lastlog_file(at, diags).count()),
        ("wtmpdb", |at, diags| read_wtmpdb(at, diags).count()),
    ];
    for (name, read) in readers {
        let mut diags = Vec::new();
        assert_eq!(read(&in_root("wtmp"), &mut diags), 0, "{name}");
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert_eq!(diags[0].level, DiagnosticLevel::Error, "{name}");
        assert!(
            diags[0].message.contains("No such file"),
            "{name}: {}",
            diags[0]
        );
        let mut diags = Vec::new();
        assert_eq!(read(&in_root("btmp"), &mut diags), 0, "{name}");
        assert_eq!(diags.len(), 1, "{name}: {diags:?}");
        assert!(diags[0].message.contains("FIFO"), "{name}: {}", diags[0]);
        assert!(!diags[0].message_ja.is_empty());
    }
    // The same path inside the root is what the link names, and it is read.
    let inside = dir.path().join(target.strip_prefix("/").unwrap());
    std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
    std::fs::copy(&target, &inside).unwrap();
    let mut diags = Vec::new();
    assert!(
        read_login_file(&in_root("wtmp"), &mut diags).count() > 0,
        "{diags:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The utmp-rs samples in ../shared, checked against their utmpdump dumps.

fn samples() -> Option<PathBuf> {
    let shared = kensa_testkit::shared_dir()?;
    Some(shared.join("corpus/utmp-rs-samples"))
}

/// One line of `utmpdump` output: `[type] [pid] [id] [user] [line] [host] [addr] [time]`.
struct Dumped {
    ut_type: i16,
    pid: i32,
    id: String,
    user: String,
    line: String,
    host: String,
    addr: Option<IpAddr>,
    time: jiff::Timestamp,
}

fn parse_dump(text: &str) -> Vec<Dumped> {
    text.lines()
        .filter(|l| l.starts_with('['))
        .map(|l| {
            let fields: Vec<&str> = l
                .split("] [")
                .map(|f| f.trim_start_matches('[').trim_end_matches(']').trim_end())
                .collect();
            assert_eq!(fields.len(), 8, "{l}");
            let addr: IpAddr = fields[6].parse().unwrap();
            Dumped {
                ut_type: fields[0].parse().unwrap(),
                pid: fields[1].parse().unwrap(),
                id: fields[2].to_string(),
                user: fields[3].to_string(),
                line: fields[4].to_string(),
                host: fields[5].to_string(),
                addr: (!addr.is_unspecified()).then_some(addr),
                time: ts(&fields[7].replace(',', ".")),
            }
        })
        .collect()
}

fn kind_of_type(ut_type: i16, user: &str) -> RecordKind {
    match ut_type {
        1 if user == "shutdown" => RecordKind::Shutdown,
        1 => RecordKind::RunLevel,
        2 => RecordKind::Boot,
        5 => RecordKind::Init,
        6 => RecordKind::LoginProcess,
        7 => RecordKind::Login,
        8 => RecordKind::Logout,
        other => panic!("type {other}"),
    }
}

fn compare_with_dump(records: &[LoginRecord], dump: &[Dumped], name: &str) {
    assert_eq!(records.len(), dump.len(), "{name}");
    for (i, (got, want)) in records.iter().zip(dump).enumerate() {
        let what = format!("{name} record {i}");
        assert_eq!(got.kind, kind_of_type(want.ut_type, &want.user), "{what}");
        assert_eq!(got.pid, Some(want.pid), "{what}");
        assert_eq!(String::from_utf8_lossy(&got.id), want.id, "{what}");
        assert_eq!(String::from_utf8_lossy(&got.user), want.user, "{what}");
        assert_eq!(String::from_utf8_lossy(&got.line), want.line, "{what}");
        assert_eq!(String::from_utf8_lossy(&got.host), want.host, "{what}");
        assert_eq!(got.addr, want.addr, "{what}");
        assert_eq!(got.time, Some(want.time), "{what}");
        assert_eq!(got.index, i as u64);
        assert_eq!(got.offset, 384 * i as u64);
    }
}

#[test]
fn utmp_rs_samples_match_their_utmpdump_output() {
    let Some(dir) = samples() else { return };
    let mut total = 0;
    for (name, count) in [("basic32", 5), ("with_host_32", 19), ("long_user_32", 18)] {
        let path = dir.join(format!("{name}.utmp"));
        let (records, diags) = read_all(&path);
        assert!(diags.is_empty(), "{name}: {diags:?}");
        let dump_text =
            std::fs::read_to_string(dir.join(format!("{name}.utmp.utmpdump-ours.txt"))).unwrap();
        let dump = parse_dump(&dump_text);
        assert_eq!(dump.len(), count, "{name}");
        compare_with_dump(&records, &dump, name);
        let head = std::fs::read(&path).unwrap();
        let (layout, confidence) = detect_layout(&head, head.len() as u64).unwrap();
        assert_eq!(layout, Layout::Glibc32 { big_endian: false }, "{name}");
        assert!(confidence > 0.9, "{name}: {confidence}");
        total += records.len();
    }
    assert_eq!(total, 42);
}

#[test]
fn utmp_rs_sample_specifics() {
    let Some(dir) = samples() else { return };
    let (with_host, _) = read_all(&dir.join("with_host_32.utmp"));
    let remote: Vec<&LoginRecord> = with_host
        .iter()
        .filter(|r| r.addr == Some("112.124.2.209".parse().unwrap()))
        .collect();
    assert_eq!(remote.len(), 5);
    assert!(
        remote
            .iter()
            .all(|r| r.kind == RecordKind::Login && &*r.user == b"root")
    );
    assert_eq!(with_host[0].kind, RecordKind::Shutdown);
    assert_eq!(with_host[9].kind, RecordKind::Logout);

    // btmp-like: sshd failures are LOGIN_PROCESS on ssh:notty; 32-byte names unterminated.
    let (btmp, _) = read_all(&dir.join("long_user_32.utmp"));
    let long: Vec<&LoginRecord> = btmp.iter().filter(|r| r.user.len() == 32).collect();
    assert_eq!(long.len(), 10);
    assert!(
        long.iter()
            .all(|r| &*r.line == b"ssh:notty" && &*r.host == b"10.10.4.230")
    );
    assert_eq!(&*long[9].user, &[b'b'; 32][..]);
    assert!(btmp.iter().all(|r| r.kind == RecordKind::LoginProcess));

    let (basic, _) = read_all(&dir.join("basic32.utmp"));
    assert_eq!(basic[3].session, Some(28786));

    let (empty, diags) = read_all(&dir.join("empty.utmp"));
    assert!(empty.is_empty() && diags.is_empty());
}

#[test]
fn utmp_rs_basic64_is_the_400_byte_layout() {
    let Some(dir) = samples() else { return };
    let path = dir.join("basic64.utmp");
    let (records, diags) = read_all(&path);
    assert!(diags.is_empty(), "{diags:?}");
    let head = std::fs::read(&path).unwrap();
    assert_eq!(
        detect_layout(&head, head.len() as u64).unwrap().0,
        Layout::Glibc64 { big_endian: false }
    );
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].kind, RecordKind::Boot);
    assert_eq!(&*records[0].user, b"reboot");
    assert_eq!(&*records[0].host, b"5.15.0-41-generic");
    assert_eq!(records[0].time, Some(ts("2022-07-17T18:42:51.314869Z")));
    assert_eq!(records[1].kind, RecordKind::RunLevel);
    assert_eq!(records[1].pid, Some(53));
    assert_eq!(records[2].kind, RecordKind::LoginProcess);
    assert_eq!(records[2].pid, Some(1219));
    assert_eq!(&*records[2].line, b"ttyAMA0");
    assert_eq!(&*records[2].id, b"AMA0");
    assert_eq!(&*records[2].user, b"LOGIN");
    assert_eq!(records[2].offset, 800);
}

// ---------------------------------------------------------------------------------------
// util-linux utmpdump round trip.

#[test]
fn utmpdump_reverse_round_trip() {
    let Ok(output) = std::process::Command::new("utmpdump")
        .arg("--version")
        .output()
    else {
        println!("skipped: utmpdump not installed");
        return;
    };
    assert!(output.status.success());
    // utmpdump -r keeps an id's padding spaces (and strips the other fields'), so every
    // id here is four characters long.
    let dump = "\
[2] [00000] [rb~~] [reboot  ] [~           ] [6.1.0-amd64         ] [0.0.0.0        ] [2026-03-01T08:00:00,000000+00:00]
[7] [04242] [ts/0] [alice   ] [pts/0       ] [198.51.100.20       ] [198.51.100.20  ] [2026-03-01T08:05:01,123456+00:00]
[8] [04242] [ts/0] [        ] [pts/0       ] [                    ] [0.0.0.0        ] [2026-03-01T09:00:00,000001+00:00]
[6] [04300] [ssh0] [admin   ] [ssh:notty   ] [2001:db8::5         ] [2001:db8::5    ] [2026-03-01T10:00:00,000000+00:00]
[1] [00000] [sd~~] [shutdown] [~~          ] [6.1.0-amd64         ] [0.0.0.0        ] [2026-03-01T23:59:59,999999+00:00]
";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    let out = std::fs::File::create(&path).unwrap();
    let mut child = std::process::Command::new("utmpdump")
        .arg("-r")
        .stdin(std::process::Stdio::piped())
        .stdout(out)
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dump.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 5 * 384);
    let (records, diags) = read_all(&path);
    assert!(diags.is_empty(), "{diags:?}");
    compare_with_dump(&records, &parse_dump(dump), "utmpdump -r");
    assert_eq!(records[3].addr, Some("2001:db8::5".parse().unwrap()));
}

// ---------------------------------------------------------------------------------------
// lastlog.

fn lastlog_record(layout: LastlogLayout, time: i64, line: &[u8], host: &[u8]) -> Vec<u8> {
    let (be, tw, lw, hw) = match layout {
        LastlogLayout::Glibc32 { big_endian } => (big_endian, 4, 32, 256),
        LastlogLayout::Glibc64 { big_endian } => (big_endian, 8, 32, 256),
        LastlogLayout::Bsd { big_endian } => (big_endian, 4, 8, 16),
        LastlogLayout::OpenBsd { time64 } => (false, if time64 { 8 } else { 4 }, 8, 256),
    };
    let mut b = vec![0; layout.record_size()];
    put_int(&mut b, 0, time, tw, be);
    put(&mut b, tw, line, lw);
    put(&mut b, tw + lw, host, hw);
    b
}

fn write_at(path: &Path, offset: u64, bytes: &[u8]) {
    use std::os::unix::fs::FileExt;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .unwrap();
    file.write_all_at(bytes, offset).unwrap();
}

#[test]
fn sparse_glibc_lastlog_by_uid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    let layout = LastlogLayout::Glibc32 { big_endian: false };
    let size = 292u64;
    write_at(
        &path,
        0,
        &lastlog_record(layout, 1_700_000_000, b"tty1", b""),
    );
    write_at(
        &path,
        1000 * size,
        &lastlog_record(layout, 1_700_000_500, b"pts/3", b"203.0.113.9"),
    );
    // nfsnobody: the file's apparent size becomes about 1.2 TB, nearly all hole.
    let far = 4_294_967_294u64;
    write_at(
        &path,
        far * size,
        &lastlog_record(layout, 1_700_009_999, b"pts/9", b"far.example"),
    );
    let started = std::time::Instant::now();
    let mut diags = Vec::new();
    let entries: Vec<_> =
        read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    let uids: Vec<Option<u32>> = entries.iter().map(|e| e.uid).collect();
    assert_eq!(uids, vec![Some(0), Some(1000), Some(4_294_967_294)]);
    assert_eq!(&*entries[1].line, b"pts/3");
    assert_eq!(&*entries[1].host, b"203.0.113.9");
    assert_eq!(entries[1].time, Some(ts("2023-11-14T22:21:40Z")));
    assert_eq!(&*entries[2].host, b"far.example");
    assert!(
        started.elapsed().as_secs() < 20,
        "holes were read: {:?}",
        started.elapsed()
    );
}

#[test]
fn sunos_lastlog_big_endian() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    let layout = LastlogLayout::Bsd { big_endian: true };
    let mut bytes = Vec::new();
    for uid in 0..12u32 {
        let record = match uid {
            0 => lastlog_record(layout, 873_000_000, b"console", b""),
            3 => lastlog_record(layout, 873_100_000, b"ttyp0", b"cracker.example"),
            11 => lastlog_record(layout, 873_200_000, b"ttyp2", b"10.1.2.3"),
            _ => vec![0; 28],
        };
        bytes.extend(record);
    }
    std::fs::write(&path, &bytes).unwrap();
    let mut diags = Vec::new();
    let entries: Vec<_> =
        read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    let got: Vec<(Option<u32>, &[u8])> = entries.iter().map(|e| (e.uid, &*e.host)).collect();
    assert_eq!(
        got,
        vec![
            (Some(0), &b""[..]),
            (Some(3), &b"cracker.example"[..]),
            (Some(11), &b"10.1.2.3"[..]),
        ]
    );
    assert_eq!(
        entries[1].time,
        Some(jiff::Timestamp::from_second(873_100_000).unwrap())
    );
    assert_eq!(&*entries[0].line, b"console");
}

#[test]
fn lastlog_garbage_and_partial_tail() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    std::fs::write(&path, garbage(9, 5000)).unwrap();
    let mut diags = Vec::new();
    let count = read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).count();
    assert!(count <= 5000 / 28 + 1);
    assert!(!diags.is_empty());

    let layout = LastlogLayout::Glibc32 { big_endian: false };
    let mut bytes = lastlog_record(layout, 1_700_000_000, b"tty1", b"");
    bytes.extend(lastlog_record(
        layout,
        1_700_000_100,
        b"pts/0",
        b"192.0.2.1",
    ));
    bytes.extend(&lastlog_record(layout, 1_700_000_200, b"pts/1", b"x")[..100]);
    std::fs::write(&path, &bytes).unwrap();
    let mut diags = Vec::new();
    let entries: Vec<_> =
        read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert_eq!(entries.len(), 2);
    assert!(
        diags
            .iter()
            .any(|d| d.level == DiagnosticLevel::Warning && d.message.contains("partial")),
        "{diags:?}"
    );
}

// ---------------------------------------------------------------------------------------
// wtmpdb and lastlog2.

/// The tables as wtmpdb and lastlog2 create them (their `CREATE TABLE` statements).
const WTMP_TABLE: &str = "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;";
const LASTLOG2_TABLE: &str = "CREATE TABLE IF NOT EXISTS Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);";

fn listing(dir: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                m.len(),
                m.modified().unwrap(),
            )
        })
        .collect();
    names.sort();
    names
}

fn make_wtmpdb(path: &Path) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(WTMP_TABLE).unwrap();
    let mut insert = db
        .prepare("INSERT INTO wtmp (Type,User,Login,Logout,TTY,RemoteHost,Service) VALUES (?1,?2,?3,?4,?5,?6,?7)")
        .unwrap();
    let t0: i64 = 1_788_249_600_000_000; // 2026-09-01T08:00:00Z in microseconds
    insert
        .execute(rusqlite::params![
            1,
            "reboot",
            t0,
            t0 + 86_400_000_000i64,
            "~",
            "6.12.48+deb13-amd64",
            None::<String>
        ])
        .unwrap();
    insert
        .execute(rusqlite::params![
            3,
            "alice",
            t0 + 100_123_456,
            t0 + 3_700_000_000i64,
            "pts/0",
            "192.0.2.15",
            "sshd"
        ])
        .unwrap();
    insert
        .execute(rusqlite::params![
            3,
            "mallory",
            t0 + 7_200_000_000i64,
            None::<i64>,
            "pts/1",
            "2001:db8::66",
            "sshd"
        ])
        .unwrap();
    // A non-UTF-8 user, as a blob-typed text would be refused by STRICT: cast from a blob.
    db.execute(
        "INSERT INTO wtmp (Type,User,Login,Logout,TTY,RemoteHost,Service) VALUES (3, CAST(x'72e96d79' AS TEXT), ?1, NULL, 'tty1', NULL, 'login')",
        [t0 + 9_000_000_000i64],
    )
    .unwrap();
}

#[test]
fn wtmpdb_rows_become_login_and_logout_records_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    make_wtmpdb(&path);
    let before = listing(dir.path());
    let content = std::fs::read(&path).unwrap();

    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    let summary: Vec<(u64, RecordKind, &[u8])> = records
        .iter()
        .map(|r| (r.index, r.kind, &*r.user))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, RecordKind::Boot, &b"reboot"[..]),
            (1, RecordKind::Shutdown, &b"reboot"[..]),
            (2, RecordKind::Login, &b"alice"[..]),
            (2, RecordKind::Logout, &b"alice"[..]),
            (3, RecordKind::Login, &b"mallory"[..]),
            (4, RecordKind::Login, &b"r\xe9my"[..]),
        ]
    );
    assert_eq!(records[0].time, Some(ts("2026-09-01T08:00:00Z")));
    assert_eq!(records[1].time, Some(ts("2026-09-02T08:00:00Z")));
    assert_eq!(records[2].time, Some(ts("2026-09-01T08:01:40.123456Z")));
    assert_eq!(&*records[2].line, b"pts/0");
    assert_eq!(&*records[2].service, b"sshd");
    assert_eq!(records[2].addr, Some("192.0.2.15".parse().unwrap()));
    assert_eq!(records[4].addr, Some("2001:db8::66".parse().unwrap()));
    assert_eq!(&*records[0].host, b"6.12.48+deb13-amd64");
    assert_eq!(records[0].addr, None);

    assert_eq!(listing(dir.path()), before, "files were created or changed");
    assert_eq!(std::fs::read(&path).unwrap(), content);
}

#[test]
fn wtmpdb_pages_through_many_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(WTMP_TABLE).unwrap();
    db.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
         INSERT INTO wtmp (Type,User,Login,Logout,TTY,RemoteHost,Service)
         SELECT 3, 'u' || i, 1788249600000000 + i, NULL, 'pts/0', '198.51.100.1', 'sshd' FROM n;",
    )
    .unwrap();
    drop(db);
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(records.len(), 2500);
    assert_eq!(&*records[2499].user, b"u2500");
    assert!(records.windows(2).all(|w| w[0].index < w[1].index));
}

/// A disk image's `wtmp.db` whose newest row (`late`) is only in its write-ahead log:
/// database and `-wal` copied while the writer was open, no `-shm` (a plain read-only open
/// would create one). Returns the image directory and the database path.
fn wtmpdb_with_pending_wal() -> (tempfile::TempDir, PathBuf) {
    let source = tempfile::tempdir().unwrap();
    let path = source.path().join("wtmp.db");
    make_wtmpdb(&path);
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer.pragma_update(None, "journal_mode", "WAL").unwrap();
    writer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    writer
        .execute(
            "INSERT INTO wtmp (Type,User,Login,TTY,RemoteHost) VALUES (3,'late',1788260000000000,'pts/5','203.0.113.66')",
            [],
        )
        .unwrap();
    let image = tempfile::tempdir().unwrap();
    let copy = image.path().join("wtmp.db");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(
        source.path().join("wtmp.db-wal"),
        image.path().join("wtmp.db-wal"),
    )
    .unwrap();
    drop(writer);
    (image, copy)
}

#[test]
fn wtmpdb_write_ahead_log_is_applied_in_memory_and_nothing_is_written() {
    let (image, copy) = wtmpdb_with_pending_wal();
    let before = listing(image.path());
    assert_eq!(before.len(), 2);
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&copy), &mut diags).collect();
    assert_eq!(records.len(), 7);
    let late = records.last().unwrap();
    assert_eq!(&*late.user, b"late");
    assert_eq!(late.addr, Some("203.0.113.66".parse().unwrap()));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].level, DiagnosticLevel::Note);
    assert!(
        diags[0].message.contains("applied in memory"),
        "{}",
        diags[0]
    );
    let ja = diags[0].message_in(Lang::Ja);
    assert!(
        ja.starts_with("先行書き込みログ（") && ja.ends_with("をメモリ上で適用しました"),
        "{ja}"
    );
    assert_eq!(
        listing(image.path()),
        before,
        "a -shm or other file was created"
    );
}

#[test]
fn torn_or_foreign_write_ahead_logs() {
    use std::io::Write;
    // A torn last frame (power cut mid-write) is ignored; the commits before it count.
    let (image, copy) = wtmpdb_with_pending_wal();
    let wal = image.path().join("wtmp.db-wal");
    let mut file = std::fs::OpenOptions::new().append(true).open(&wal).unwrap();
    file.write_all(&garbage(21, 3000)).unwrap();
    drop(file);
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&copy), &mut diags).collect();
    assert_eq!(records.len(), 7, "{diags:?}");
    assert_eq!(diags[0].level, DiagnosticLevel::Note);

    // A log whose checksums do not hold (a flipped byte in the page) stops before that
    // frame: no commit remains, so the database is read as it is, with a warning.
    let (image, copy) = wtmpdb_with_pending_wal();
    let wal = image.path().join("wtmp.db-wal");
    let mut bytes = std::fs::read(&wal).unwrap();
    bytes[32 + 24 + 100] ^= 0xff;
    std::fs::write(&wal, &bytes).unwrap();
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&copy), &mut diags).collect();
    assert_eq!(records.len(), 6);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].level, DiagnosticLevel::Warning);
    assert!(
        diags[0].message.contains("no committed transaction"),
        "{}",
        diags[0]
    );
    assert!(
        diags[0]
            .message_in(Lang::Ja)
            .contains("適用しませんでした（ログにコミット済みのトランザクションがありません）"),
        "{}",
        diags[0].message_in(Lang::Ja)
    );

    // Garbage in place of the log.
    std::fs::write(&wal, garbage(22, 5000)).unwrap();
    let mut diags = Vec::new();
    assert_eq!(
        read_wtmpdb(&kensa_testkit::analyst_file(&copy), &mut diags).count(),
        6
    );
    assert!(diags[0].message.contains("bad magic"), "{}", diags[0]);
    assert!(
        diags[0]
            .message_in(Lang::Ja)
            .contains("（先行書き込みログではありません（マジックナンバーが違います））"),
        "{}",
        diags[0].message_in(Lang::Ja)
    );
}

#[test]
fn not_a_wtmpdb_and_a_view_instead_of_a_table_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    // A view that never ends: reading it must be refused, not attempted.
    db.execute_batch(
        "CREATE VIEW wtmp AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT i AS ID, 3 AS Type, 'x' AS User, i AS Login, NULL AS Logout, 'tty' AS TTY,
                NULL AS RemoteHost, NULL AS Service FROM n;",
    )
    .unwrap();
    drop(db);
    let mut diags = Vec::new();
    assert_eq!(
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).count(),
        0
    );
    assert_eq!(diags[0].level, DiagnosticLevel::Error);
    assert!(diags[0].message.contains("not a wtmpdb"), "{}", diags[0]);

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, garbage(3, 8192)).unwrap();
    let mut diags = Vec::new();
    assert_eq!(
        read_wtmpdb(&kensa_testkit::analyst_file(&junk), &mut diags).count(),
        0
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].level, DiagnosticLevel::Error);
}

#[test]
fn lastlog2_entries_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog2.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(LASTLOG2_TABLE).unwrap();
    db.execute_batch(
        "INSERT INTO Lastlog2 VALUES ('root',1788250000,'tty1',NULL,'login'),
                                     ('alice',1788249700,'pts/0','192.0.2.15','sshd');",
    )
    .unwrap();
    drop(db);
    let before = listing(dir.path());
    let mut diags = Vec::new();
    let entries: Vec<_> = read_lastlog2(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(entries.len(), 2);
    assert_eq!(&*entries[0].user, b"root");
    assert_eq!(entries[0].uid, None);
    assert_eq!(entries[0].time, Some(ts("2026-09-01T08:06:40Z")));
    assert_eq!(&*entries[1].host, b"192.0.2.15");
    assert_eq!(&*entries[1].service, b"sshd");
    assert_eq!(listing(dir.path()), before);

    // A wtmpdb is not a lastlog2.
    let other = dir.path().join("wtmp.db");
    make_wtmpdb(&other);
    let mut diags = Vec::new();
    assert_eq!(
        read_lastlog2(&kensa_testkit::analyst_file(&other), &mut diags).count(),
        0
    );
    assert!(diags[0].message.contains("not a lastlog2"), "{}", diags[0]);
}

#[test]
fn database_made_by_the_real_wtmpdb_tool() {
    let Ok(output) = std::process::Command::new("wtmpdb")
        .arg("--version")
        .output()
    else {
        println!("skipped: wtmpdb not installed (Debian 13 package `wtmpdb`)");
        return;
    };
    assert!(output.status.success());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    let status = std::process::Command::new("wtmpdb")
        .args(["boot", "-f"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    let before = listing(dir.path());
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].kind, RecordKind::Boot);
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn open_login_file_tells_layout_confidence_and_compression() {
    use kensa_logs::decode::Compression;
    use kensa_logs::login_records::open_login_file;
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let layout = Layout::SolarisUtmpx { big_endian: true };
    let path = dir.path().join("wtmpx.1.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&file_of(layout, &session(true))).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let mut diags = Vec::new();
    let file = open_login_file(&kensa_testkit::analyst_file(&path), &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(file.layout, layout);
    assert!(file.confidence.unwrap() > 0.9);
    assert_eq!(file.compression, Compression::Gzip);
    assert_eq!(file.records.count(), 6);

    // One damaged record among good ones does not change the verdict.
    let mut bytes = file_of(Layout::Glibc32 { big_endian: false }, &session(true));
    bytes[384..768].copy_from_slice(&garbage(11, 384));
    let plain = dir.path().join("wtmp");
    std::fs::write(&plain, &bytes).unwrap();
    let mut diags = Vec::new();
    let file = open_login_file(&kensa_testkit::analyst_file(&plain), &mut diags).unwrap();
    assert_eq!(file.layout, Layout::Glibc32 { big_endian: false });
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(file.compression, Compression::None);
}

#[test]
fn glibc64_lastlog() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    let layout = LastlogLayout::Glibc64 { big_endian: false };
    write_at(
        &path,
        0,
        &lastlog_record(layout, 1_700_000_000, b"ttyAMA0", b""),
    );
    write_at(
        &path,
        1001 * 296,
        &lastlog_record(layout, 1_700_000_500, b"pts/1", b"198.51.100.7"),
    );
    let mut diags = Vec::new();
    let entries: Vec<_> =
        read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    let got: Vec<(Option<u32>, &[u8])> = entries.iter().map(|e| (e.uid, &*e.line)).collect();
    assert_eq!(
        got,
        vec![(Some(0), &b"ttyAMA0"[..]), (Some(1001), &b"pts/1"[..])]
    );
}

#[test]
fn database_paths_with_uri_syntax_and_non_utf8_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let odd = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"a?mode=rw&b#c%41 \xff"));
    std::fs::create_dir(&odd).unwrap();
    let path = odd.join("wtmp.db");
    make_wtmpdb(&path);
    let before = listing(&odd);
    let mut diags = Vec::new();
    assert_eq!(
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).count(),
        6
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(listing(&odd), before);
    // Nothing appeared beside the odd directory either (a misparsed URI would open or
    // create some other file).
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn early_wtmpdb_schema_with_pid_and_no_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "CREATE TABLE wtmp(Type INTEGER, User TEXT NOT NULL, PID INTEGER, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
         INSERT INTO wtmp VALUES (3, 'bob', 4711, 1700000000000000, 1700000360000000, 'pts/2', 'host.example', 'sshd');",
    )
    .unwrap();
    drop(db);
    let mut diags = Vec::new();
    let records: Vec<LoginRecord> =
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].pid, Some(4711));
    assert_eq!(records[0].addr, None, "a host name is not an address");
    assert_eq!(records[1].kind, RecordKind::Logout);
    assert_eq!(records[1].time, Some(ts("2023-11-14T22:19:20Z")));
}

#[test]
fn interrupted_transaction_journal_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp.db");
    make_wtmpdb(&path);
    std::fs::write(dir.path().join("wtmp.db-journal"), garbage(5, 512)).unwrap();
    let before = listing(dir.path());
    let mut diags = Vec::new();
    assert_eq!(
        read_wtmpdb(&kensa_testkit::analyst_file(&path), &mut diags).count(),
        6
    );
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("rollback journal"),
        "{}",
        diags[0]
    );
    assert!(
        diags[0]
            .message_in(Lang::Ja)
            .contains("バイトのロールバックジャーナルがあります"),
        "{}",
        diags[0].message_in(Lang::Ja)
    );
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn lastlog_read_limit_stops_with_an_error() {
    use kensa_logs::login_records::lastlog::LastlogEntries;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    let layout = LastlogLayout::Bsd { big_endian: false };
    let bytes: Vec<u8> = (0..100)
        .flat_map(|uid| lastlog_record(layout, 900_000_000 + uid, b"tty1", b""))
        .collect();
    std::fs::write(&path, &bytes).unwrap();
    let file = kensa_fs::analyst::open(&path).unwrap();
    let results: Vec<_> = LastlogEntries::new(file, layout)
        .unwrap()
        .with_read_limit(28 * 10)
        .collect();
    assert_eq!(results.len(), 11);
    assert!(results[..10].iter().all(Result::is_ok));
    let error = results[10].as_ref().unwrap_err().to_string();
    assert!(error.contains("at UID 10"), "{error}");
}

/// Throughput and memory on a large wtmp: `cargo test -p kensa-logs --release --test
/// login_records -- --ignored --nocapture large_wtmp`. Prints records per second and the
/// peak RSS, which must not grow with the file (records are streamed).
#[test]
#[ignore = "measurement: writes a 96 MB file"]
fn large_wtmp_throughput_and_memory() {
    use std::io::Write;
    let layout = Layout::Glibc32 { big_endian: false };
    let recs = session(true);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wtmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let count = 250_000usize;
    for i in 0..count {
        out.write_all(&encode(layout, &recs[i % recs.len()]))
            .unwrap();
    }
    drop(out);
    let peak = || -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .unwrap_or(0)
    };
    let before = peak();
    let started = std::time::Instant::now();
    let mut diags = Vec::new();
    let mut logins = 0usize;
    let mut total = 0usize;
    for record in read_login_file(&kensa_testkit::analyst_file(&path), &mut diags) {
        total += 1;
        logins += usize::from(record.kind == RecordKind::Login);
    }
    let elapsed = started.elapsed();
    assert_eq!(total, count);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(logins, count / 2);
    println!(
        "{count} records ({} MB) in {elapsed:?}: {:.0} records/s; peak RSS {before} kB before, {} kB after",
        count * 384 / 1_000_000,
        count as f64 / elapsed.as_secs_f64(),
        peak()
    );
    assert!(peak() < before + 64 * 1024, "memory grew with the file");
}

#[test]
fn every_lastlog_layout_is_detected_as_itself() {
    use kensa_logs::login_records::lastlog::rank_lastlog_layouts;
    for layout in LastlogLayout::ALL {
        let size = layout.record_size() as u64;
        // UIDs 0, 2, 3 and 1000..1003: root, daemons that never log in, and users.
        let mut bytes = vec![0u8; layout.record_size() * 1004];
        for (uid, time, line, host) in [
            (0u64, 873_000_000i64, &b"console"[..], &b""[..]),
            (3, 873_000_500, b"ttyp0", b"cracker.example"),
            (1000, 873_100_000, b"ttyp1", b"10.1.2.3"),
            (1003, 873_200_000, b"tty02", b"ws7.example.ac.jp"),
        ] {
            let at = (uid * size) as usize;
            bytes[at..at + size as usize]
                .copy_from_slice(&lastlog_record(layout, time, line, host));
        }
        let ranked = rank_lastlog_layouts(&[(0, bytes.clone())], bytes.len() as u64);
        assert_eq!(ranked[0].0, layout, "{ranked:?}");
        assert!(ranked[0].1 > 0.9, "{ranked:?}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lastlog");
        std::fs::write(&path, &bytes).unwrap();
        let mut diags = Vec::new();
        let entries: Vec<_> =
            read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
        let uids: Vec<Option<u32>> = entries.iter().map(|e| e.uid).collect();
        assert_eq!(
            uids,
            vec![Some(0), Some(3), Some(1000), Some(1003)],
            "{layout:?}"
        );
        assert_eq!(&*entries[3].line, b"tty02");
        assert_eq!(
            entries[3].time,
            Some(jiff::Timestamp::from_second(873_200_000).unwrap()),
            "{layout:?} {diags:?}"
        );
    }
}

#[test]
fn lastlog_copied_without_holes_is_still_read() {
    // `cp` without --sparse writes the holes as zeros: the first 256 KiB hold nothing.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lastlog");
    let layout = LastlogLayout::Glibc32 { big_endian: false };
    let size = layout.record_size();
    let mut data = vec![0u8; 1001 * size];
    data[1000 * size..].copy_from_slice(&lastlog_record(
        layout,
        1_700_000_500,
        b"pts/3",
        b"203.0.113.9",
    ));
    std::fs::write(&path, &data).unwrap();
    let mut diags = Vec::new();
    let entries: Vec<_> =
        read_lastlog_file(&kensa_testkit::analyst_file(&path), &mut diags).collect();
    assert_eq!(entries.len(), 1, "{diags:?}");
    assert_eq!(entries[0].uid, Some(1000));
    assert_eq!(&*entries[0].line, b"pts/3");
}
