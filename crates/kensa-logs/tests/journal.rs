//! The journal reader against systemd's own tools.
//!
//! Journal files here are real: Debian's `systemd-journal-remote` writes them from export
//! text (made from the shared corpora and from entries written below: long payloads it
//! compresses, binary values, bytes that are not UTF-8, several hosts), in compact mode
//! with keyed hashes (systemd 252's default) and, through `SYSTEMD_JOURNAL_COMPACT=0`, in
//! the regular layout. kensa's entries are then compared with `journalctl --file F -o
//! export`, entry by entry and field by field, cursor included.
//!
//! journal-remote writes zstd only; xz and LZ4 objects are made by rewriting a file here
//! (each zstd DATA object re-encoded and appended, the entries pointed at the copy), and
//! journalctl reading the result back to the same export output is what proves the
//! rewritten file valid before kensa is compared with it. Damage (cuts, flipped bytes, an
//! entry array chain made to cycle, absurd object sizes, unlinked entries in an ONLINE
//! `~` file) is made the same way, by editing bytes; the raw walks below that find what to
//! edit read the format independently of the reader under test.
//!
//! Without journal-remote or journalctl these tests print `skipped: …` and pass, unless
//! `KENSA_REQUIRE_SHARED` is set.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use kensa_logs::journal::{self, Options, ProblemKind, ReadAt, Summary};

const REMOTE: &str = "/lib/systemd/systemd-journal-remote";

// ---------------------------------------------------------------------------------------
// Tools

/// Whether journal-remote and journalctl are here (else the skip message, or a panic
/// under `KENSA_REQUIRE_SHARED`).
fn tools() -> bool {
    let journalctl = Command::new("journalctl")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if journalctl && Path::new(REMOTE).exists() {
        return true;
    }
    assert!(
        std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "systemd-journal-remote or journalctl not found and KENSA_REQUIRE_SHARED is set (apt-get install systemd-journal-remote)"
    );
    println!("skipped: systemd-journal-remote or journalctl not found");
    false
}

/// Writes `export` through journal-remote into `dir/name.journal`; `regular` asks for the
/// layout before compact mode (64-bit items, unkeyed hashes).
fn make_journal(dir: &Path, name: &str, export: &[u8], regular: bool) -> PathBuf {
    let input = dir.join(format!("{name}.export"));
    std::fs::write(&input, export).unwrap();
    let output = dir.join(format!("{name}.journal"));
    let mut command = Command::new(REMOTE);
    command
        .arg("--split-mode=none")
        .arg("-o")
        .arg(&output)
        .arg(&input);
    if regular {
        command
            .env("SYSTEMD_JOURNAL_COMPACT", "0")
            .env("SYSTEMD_JOURNAL_KEYED_HASH", "0");
    }
    let result = command.output().unwrap();
    assert!(
        result.status.success(),
        "journal-remote: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(
        output.is_file(),
        "journal-remote wrote no {}",
        output.display()
    );
    output
}

type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// `journalctl --file path -o export [extra]`, parsed into entries.
fn journalctl(path: &Path, extra: &[&str]) -> Vec<Fields> {
    let output = Command::new("journalctl")
        .arg("--file")
        .arg(path)
        .args(["-o", "export"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "journalctl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_export(&output.stdout)
}

/// The export format: `NAME=value\n`, or `NAME\n` + 64-bit length + bytes + `\n`; an
/// empty line ends an entry.
fn parse_export(mut text: &[u8]) -> Vec<Fields> {
    let mut entries = Vec::new();
    let mut entry = Fields::new();
    while !text.is_empty() {
        let newline = text.iter().position(|&b| b == b'\n').expect("line end");
        let line = &text[..newline];
        text = &text[newline + 1..];
        if line.is_empty() {
            entries.push(std::mem::take(&mut entry));
        } else if let Some(equals) = line.iter().position(|&b| b == b'=') {
            entry.push((line[..equals].to_vec(), line[equals + 1..].to_vec()));
        } else {
            let len = u64::from_le_bytes(text[..8].try_into().unwrap()) as usize;
            entry.push((line.to_vec(), text[8..8 + len].to_vec()));
            assert_eq!(text[8 + len], b'\n');
            text = &text[9 + len..];
        }
    }
    if !entry.is_empty() {
        entries.push(entry);
    }
    entries
}

/// One entry of kensa's, as journalctl's export would show it.
#[derive(Debug, Clone, PartialEq)]
struct Got {
    offset: u64,
    seqnum: u64,
    complete: bool,
    fields: Fields,
}

fn kensa(file: &dyn ReadAt, options: &Options) -> (Vec<Got>, Summary) {
    let mut head = vec![0u8; 272];
    let n = file.read_at(&mut head, 0).unwrap();
    let header = journal::Header::parse(&head[..n]).ok();
    let mut got = Vec::new();
    let summary = journal::read(file, options, &mut |entry| {
        let mut fields = Fields::new();
        if let Some(header) = &header {
            fields.push((b"__CURSOR".to_vec(), entry.cursor(header).into_bytes()));
        }
        fields.push((
            b"__REALTIME_TIMESTAMP".to_vec(),
            entry.realtime.to_string().into_bytes(),
        ));
        fields.push((
            b"__MONOTONIC_TIMESTAMP".to_vec(),
            entry.monotonic.to_string().into_bytes(),
        ));
        fields.push((
            b"_BOOT_ID".to_vec(),
            journal::hex(&entry.boot_id).into_bytes(),
        ));
        // journalctl shows the entry's boot id above and leaves out the field.
        fields.extend(
            entry
                .fields()
                .filter(|(name, _)| *name != b"_BOOT_ID")
                .map(|(n, v)| (n.to_vec(), v.to_vec())),
        );
        assert_eq!(
            entry.field(b"MESSAGE"),
            entry
                .fields()
                .find(|(n, _)| *n == b"MESSAGE")
                .map(|(_, v)| v)
        );
        got.push(Got {
            offset: entry.offset,
            seqnum: entry.seqnum,
            complete: entry.complete,
            fields,
        });
    });
    (got, summary)
}

fn kensa_file(path: &Path) -> (Vec<Got>, Summary) {
    kensa(&kensa_fs::analyst::open(path).unwrap(), &Options::default())
}

/// Entry by entry, so that a difference names the entry and the field.
fn assert_same(got: &[Got], want: &[Fields], what: &str) {
    for (i, (got, want)) in got.iter().zip(want).enumerate() {
        if got.fields != *want {
            let show = |f: &Fields| {
                f.iter()
                    .map(|(n, v)| {
                        format!(
                            "{}={:?}",
                            String::from_utf8_lossy(n),
                            String::from_utf8_lossy(v)
                        )
                    })
                    .collect::<Vec<_>>()
            };
            panic!(
                "{what}: entry {i} differs:\nkensa:      {:?}\njournalctl: {:?}",
                show(&got.fields),
                show(want)
            );
        }
    }
    assert_eq!(got.len(), want.len(), "{what}: number of entries");
}

fn no_problems(summary: &Summary, what: &str) {
    assert!(
        summary.problems.is_empty(),
        "{what}: {:?}",
        summary.problems
    );
    assert_eq!(summary.more_problems, 0);
}

// ---------------------------------------------------------------------------------------
// Export input

struct Export {
    text: Vec<u8>,
    entries: usize,
}

impl Export {
    fn new() -> Export {
        Export {
            text: Vec::new(),
            entries: 0,
        }
    }

    /// One entry; values holding a newline or control bytes go in the binary form, `text`
    /// forces the text form (for bytes that are not UTF-8 but have no newline).
    fn entry(&mut self, realtime: u64, monotonic: u64, boot: &str, fields: &[(&str, &[u8])]) {
        let out = &mut self.text;
        writeln!(
            out,
            "__REALTIME_TIMESTAMP={realtime}\n__MONOTONIC_TIMESTAMP={monotonic}\n_BOOT_ID={boot}"
        )
        .unwrap();
        for (name, value) in fields {
            if value.iter().any(|&b| b < 0x20 && b != b'\t') {
                out.extend_from_slice(name.as_bytes());
                out.push(b'\n');
                out.extend_from_slice(&(<[u8]>::len(value) as u64).to_le_bytes());
                out.extend_from_slice(value);
                out.push(b'\n');
            } else {
                out.extend_from_slice(name.as_bytes());
                out.push(b'=');
                out.extend_from_slice(value);
                out.push(b'\n');
            }
        }
        out.push(b'\n');
        self.entries += 1;
    }
}

fn boot_of(host: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in host.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}{:016x}", h.rotate_left(17) ^ 0x5555)
}

/// Entries written to exercise the format: three hosts, long messages (compressed), one
/// of 100 KB, binary values with newlines and NULs, EUC-JP bytes, tabs and `=` in values,
/// an empty value, a field twice, random bytes.
fn crafted(n: usize) -> Export {
    let mut export = Export::new();
    let hosts = ["alpha", "bravo", "charlie.example.org"];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let host = hosts[i % 3];
        let comm = ["sshd", "sudo", "cron", "su", "kernel"][i % 5];
        let pid = (1000 + i * 7).to_string();
        let priority = (i % 8).to_string();
        let mut message = format!(
            "Accepted password for user{} from 192.0.2.{} port {} ssh2",
            i % 40,
            i % 250,
            40000 + i
        );
        if i % 10 == 0 {
            message = format!(
                "long line {i}: {}",
                "session opened for user root by (uid=0) ".repeat(20)
            );
        }
        if i % 10 == 1 {
            message = format!("key=value\tand=more {i}");
        }
        if i % 31 == 0 {
            message = format!(
                "huge {i} {}",
                (0..100_000)
                    .map(|k| char::from(b'a' + (k % 26) as u8))
                    .collect::<String>()
            );
        }
        let mut message = message.into_bytes();
        if i % 17 == 0 {
            message = format!("line one {i}\nline two\0with NUL\n").into_bytes();
        }
        if i % 19 == 0 {
            // "バックアップ" in EUC-JP: not UTF-8, no newline, so the text form.
            message = [
                b"backup: ".as_slice(),
                &[
                    0xa5, 0xd0, 0xa5, 0xc3, 0xa5, 0xaf, 0xa5, 0xa2, 0xa5, 0xc3, 0xa5, 0xd7,
                ],
            ]
            .concat();
        }
        let blob: Vec<u8> = (0..2000)
            .map(|k| (state.rotate_left(k % 64) >> 3) as u8)
            .collect();
        let mut fields: Vec<(&str, &[u8])> = vec![
            ("_HOSTNAME", host.as_bytes()),
            ("SYSLOG_IDENTIFIER", comm.as_bytes()),
            ("_PID", pid.as_bytes()),
            ("PRIORITY", priority.as_bytes()),
            ("_TRANSPORT", b"syslog"),
            ("MESSAGE", &message),
        ];
        if i % 23 == 0 {
            fields.push(("BINARY_BLOB", &blob));
        }
        if i % 29 == 0 {
            fields.push(("EMPTY", b""));
        }
        if i % 37 == 0 {
            fields.push(("TAG", b"first"));
            fields.push(("TAG", b"second"));
        }
        let realtime = 1_700_000_000_000_000 + i as u64 * 1_000_003;
        export.entry(
            realtime,
            5_000_000 + i as u64 * 1000,
            &boot_of(host),
            &fields,
        );
    }
    export
}

/// Syslog lines (`Mon dd hh:mm:ss host prog[pid]: msg`) as export entries, year `year`.
fn syslog_export(export: &mut Export, text: &[u8], year: i64) {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() < 16 || line[0] == b'#' {
            continue;
        }
        let Some(month) = MONTHS.iter().position(|m| line.starts_with(m)) else {
            continue;
        };
        let number = |s: &[u8]| {
            std::str::from_utf8(s)
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
        };
        let (Some(day), Some(h), Some(m), Some(s)) = (
            number(&line[4..6]),
            number(&line[7..9]),
            number(&line[10..12]),
            number(&line[13..15]),
        ) else {
            continue;
        };
        let rest = &line[16..];
        let (host, rest) = match rest.iter().position(|&b| b == b' ') {
            Some(space) => (&rest[..space], &rest[space + 1..]),
            None => (rest, &b""[..]),
        };
        let (tag, message) = match rest.windows(2).position(|w| w == b": ") {
            Some(colon) => (&rest[..colon], &rest[colon + 2..]),
            None => (&b""[..], rest),
        };
        let (ident, pid) = match tag.iter().position(|&b| b == b'[') {
            Some(open) => (
                &tag[..open],
                tag[open + 1..].strip_suffix(b"]").unwrap_or(b""),
            ),
            None => (tag, &b""[..]),
        };
        let days = days_from_civil(year, month as i64 + 1, day);
        let realtime = ((days * 86400 + h * 3600 + m * 60 + s) * 1_000_000) as u64;
        let host_text = String::from_utf8_lossy(host).into_owned();
        let mut fields: Vec<(&str, &[u8])> = vec![
            ("_HOSTNAME", host),
            ("_TRANSPORT", b"syslog"),
            ("PRIORITY", b"6"),
        ];
        if !ident.is_empty() {
            fields.push(("SYSLOG_IDENTIFIER", ident));
        }
        if !pid.is_empty() {
            fields.push(("_PID", pid));
        }
        fields.push(("MESSAGE", message));
        fields.push(("SYSLOG_RAW", line));
        let monotonic = 1_000_000 + export.entries as u64 * 1000;
        export.entry(realtime, monotonic, &boot_of(&host_text), &fields);
    }
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

// ---------------------------------------------------------------------------------------
// A raw view of the format, independent of the reader, to find what to edit

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}
fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn compact(b: &[u8]) -> bool {
    u32_at(b, 12) & 16 != 0
}

#[derive(Debug, Clone, Copy)]
struct Obj {
    offset: usize,
    kind: u8,
    flags: u8,
    size: usize,
}

/// Every object, walked from the header to the tail object.
fn objects(b: &[u8]) -> Vec<Obj> {
    let mut at = u64_at(b, 88) as usize;
    let tail = u64_at(b, 136) as usize;
    let mut out = Vec::new();
    while at <= tail {
        let size = u64_at(b, at + 8) as usize;
        out.push(Obj {
            offset: at,
            kind: b[at],
            flags: b[at + 1],
            size,
        });
        at += (size + 7) & !7;
    }
    out
}

/// The entry arrays of the chain: (offset, [(position of the item, entry offset)]).
fn chain(b: &[u8]) -> Vec<(usize, Vec<(usize, usize)>)> {
    let item = if compact(b) { 4 } else { 8 };
    let mut at = u64_at(b, 176) as usize;
    let mut out = Vec::new();
    while at != 0 {
        let size = u64_at(b, at + 8) as usize;
        let items = (24..size)
            .step_by(item)
            .map(|i| {
                (
                    at + i,
                    if item == 4 {
                        u32_at(b, at + i) as usize
                    } else {
                        u64_at(b, at + i) as usize
                    },
                )
            })
            .filter(|&(_, e)| e != 0)
            .collect();
        out.push((at, items));
        at = u64_at(b, at + 16) as usize;
    }
    out
}

/// The items of the entry at `at`: (position of the item, data offset).
fn entry_items(b: &[u8], at: usize) -> Vec<(usize, usize)> {
    let size = u64_at(b, at + 8) as usize;
    let item = if compact(b) { 4 } else { 16 };
    (64..size)
        .step_by(item)
        .map(|i| {
            (
                at + i,
                if item == 4 {
                    u32_at(b, at + i) as usize
                } else {
                    u64_at(b, at + i) as usize
                },
            )
        })
        .collect()
}

/// Where the entry at `at` and every DATA object it uses end: the bytes it needs.
fn entry_extent(b: &[u8], at: usize) -> usize {
    let mut end = at + u64_at(b, at + 8) as usize;
    for (_, data) in entry_items(b, at) {
        end = end.max(data + u64_at(b, data + 8) as usize);
    }
    end
}

// ---------------------------------------------------------------------------------------
// Real files compared with journalctl

/// The crafted entries, compact (systemd 252's default) and regular, compared with
/// journalctl field by field; the file must really hold zstd objects and several entry
/// arrays, or the comparison proves less than it claims.
#[test]
fn crafted_entries_match_journalctl() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let export = crafted(1200);
    for regular in [false, true] {
        let name = if regular { "regular" } else { "compact" };
        let path = make_journal(dir.path(), name, &export.text, regular);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(compact(&bytes), !regular, "{name}: the mode asked for");
        let zstd = objects(&bytes)
            .iter()
            .filter(|o| o.kind == 1 && o.flags == 4)
            .count();
        assert!(zstd >= 100, "{name}: only {zstd} zstd objects");
        assert!(
            chain(&bytes).len() >= 5,
            "{name}: too few entry arrays to test the chain"
        );

        let want = journalctl(&path, &[]);
        assert_eq!(want.len(), 1200, "{name}: journalctl sees every entry");
        let (got, summary) = kensa_file(&path);
        no_problems(&summary, name);
        assert_same(&got, &want, name);
        assert!(got.iter().all(|g| g.complete));
        let header = summary.header.as_ref().unwrap();
        assert_eq!(header.compact(), !regular);
        assert_eq!(summary.entries, 1200);
        assert_eq!(header.n_entries, 1200);
        assert_eq!(summary.last_seqnum, Some(header.tail_entry_seqnum));
        assert_eq!(summary.bytes, bytes.len() as u64);
        // The same bytes through the in-memory reader.
        let (in_memory, _) = kensa(&bytes.as_slice(), &Options::default());
        assert_eq!(in_memory, got, "{name}: &[u8] and File read alike");
    }
}

/// Cursors as journalctl makes them, and journalctl finding the entry by kensa's cursor.
#[test]
fn cursor_finds_the_entry() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = make_journal(dir.path(), "cursor", &crafted(50).text, false);
    let (got, _) = kensa_file(&path);
    for index in [0, 7, 49] {
        let cursor = String::from_utf8(got[index].fields[0].1.clone()).unwrap();
        assert!(
            cursor.starts_with("s=") && cursor.contains(";i=") && cursor.contains(";x="),
            "{cursor}"
        );
        let found = journalctl(&path, &["--cursor", &cursor, "-n", "1"]);
        assert_eq!(found.len(), 1, "journalctl --cursor {cursor}");
        assert_eq!(found[0], got[index].fields, "the entry at {cursor}");
    }
}

/// Real syslog lines of the shared corpora (a Red Hat messages file, sshd samples, a file
/// with invalid UTF-8) as journal entries.
#[test]
fn corpus_lines_match_journalctl() {
    let Some(shared) = kensa_testkit::shared_dir() else {
        return;
    };
    if !tools() {
        return;
    }
    let corpus = shared.join("corpus");
    let mut export = Export::new();
    for (file, year) in [
        ("loghub/Linux/Linux_2k.log", 2005),
        ("fail2ban-logs/sshd", 2005),
        ("fail2ban-logs/vsftpd", 2005),
        ("fail2ban-fixtures/testcase-wrong-char.log", 2005),
        ("fail2ban-fixtures/testcase01.log", 2005),
    ] {
        let text = std::fs::read(corpus.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        syslog_export(&mut export, &text, year);
    }
    assert!(export.entries > 2000, "{} entries", export.entries);
    let dir = tempfile::tempdir().unwrap();
    for regular in [false, true] {
        let path = make_journal(
            dir.path(),
            if regular { "regular" } else { "compact" },
            &export.text,
            regular,
        );
        let want = journalctl(&path, &[]);
        assert_eq!(want.len(), export.entries);
        let (got, summary) = kensa_file(&path);
        no_problems(&summary, "corpus");
        assert_same(&got, &want, "corpus");
        let invalid = got
            .iter()
            .filter(|g| {
                g.fields
                    .iter()
                    .any(|(_, v)| std::str::from_utf8(v).is_err())
            })
            .count();
        assert!(invalid > 0, "the corpus has lines that are not UTF-8");
    }
}

// ---------------------------------------------------------------------------------------
// xz and LZ4, by rewriting

/// Re-encodes every zstd DATA object with `method` (1 xz, 2 LZ4) as a new object after
/// the tail and points the entries at it; returns how many were rewritten.
fn recompress(b: &mut Vec<u8>, method: u8) -> usize {
    let payload_offset = if compact(b) { 72 } else { 64 };
    let objs = objects(b);
    let last = *objs.last().unwrap();
    let mut end = (last.offset + last.size + 7) & !7;
    let mut moved = BTreeMap::new();
    let mut appended = Vec::new();
    for o in objs.iter().filter(|o| o.kind == 1 && o.flags == 4) {
        let payload = zstd::decode_all(&b[o.offset + payload_offset..o.offset + o.size]).unwrap();
        let encoded = if method == 2 {
            let mut out = (payload.len() as u64).to_le_bytes().to_vec();
            out.extend(lz4_flex::block::compress(&payload));
            out
        } else {
            let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 1);
            encoder.write_all(&payload).unwrap();
            encoder.finish().unwrap()
        };
        let mut object = b[o.offset..o.offset + payload_offset].to_vec();
        object[1] = method;
        put_u64(&mut object, 8, (payload_offset + encoded.len()) as u64);
        object.extend(encoded);
        moved.insert(o.offset, end);
        appended.push((end, object));
        end = (end + appended.last().unwrap().1.len() + 7) & !7;
    }
    let tail = appended.last().unwrap().0;
    if end > b.len() {
        b.resize(end.next_multiple_of(4096), 0);
    }
    for (at, object) in &appended {
        b[*at..*at + object.len()].copy_from_slice(object);
    }
    for e in objs.iter().filter(|o| o.kind == 3) {
        for (position, data) in entry_items(b, e.offset) {
            if let Some(&new) = moved.get(&data) {
                if compact(b) {
                    put_u32(b, position, new as u32);
                } else {
                    put_u64(b, position, new as u64);
                }
            }
        }
    }
    let header_size = u64_at(b, 88);
    let len = b.len() as u64;
    put_u64(b, 96, len - header_size); // arena_size
    put_u64(b, 136, tail as u64); // tail_object_offset
    let n_objects = u64_at(b, 144);
    put_u64(b, 144, n_objects + appended.len() as u64);
    let flags = u32_at(b, 12) | if method == 2 { 2 } else { 1 };
    put_u32(b, 12, flags);
    appended.len()
}

#[test]
fn xz_and_lz4_objects_match_journalctl() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let export = crafted(300);
    for regular in [false, true] {
        let path = make_journal(
            dir.path(),
            if regular { "regular" } else { "compact" },
            &export.text,
            regular,
        );
        let original = journalctl(&path, &[]);
        for (method, name) in [(1u8, "xz"), (2, "lz4")] {
            let mut bytes = std::fs::read(&path).unwrap();
            let rewritten = recompress(&mut bytes, method);
            assert!(rewritten >= 30, "{name}: {rewritten} objects rewritten");
            let copy = dir.path().join(format!("{name}-{regular}.journal"));
            std::fs::write(&copy, &bytes).unwrap();
            // journalctl reads the rewritten file to the same entries: the file is valid.
            let want = journalctl(&copy, &[]);
            assert_eq!(
                want, original,
                "{name}: journalctl reads the rewritten file alike"
            );
            let (got, summary) = kensa_file(&copy);
            no_problems(&summary, name);
            assert_same(&got, &want, name);
        }
    }
}

// ---------------------------------------------------------------------------------------
// States: archived, and an ONLINE `~` file whose last entries were never linked

#[test]
fn archived_and_unclean_files() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = make_journal(dir.path(), "states", &crafted(200).text, false);
    let want = journalctl(&path, &[]);
    let bytes = std::fs::read(&path).unwrap();

    let mut archived = bytes.clone();
    archived[16] = 2;
    let archived_path = dir.path().join("archived.journal");
    std::fs::write(&archived_path, &archived).unwrap();
    let (got, summary) = kensa_file(&archived_path);
    assert_eq!(summary.header.as_ref().unwrap().state_name(), "ARCHIVED");
    no_problems(&summary, "archived");
    assert_same(&got, &journalctl(&archived_path, &[]), "archived");
    assert_same(&got, &want, "archived");

    // A writer that died after writing the last five entries but before linking them.
    let mut online = bytes.clone();
    online[16] = 1;
    let mut items: Vec<(usize, usize)> = chain(&online)
        .into_iter()
        .flat_map(|(_, items)| items)
        .collect();
    let unlinked: Vec<(usize, usize)> = items.split_off(items.len() - 5);
    for &(position, _) in &unlinked {
        if compact(&online) {
            put_u32(&mut online, position, 0);
        } else {
            put_u64(&mut online, position, 0);
        }
    }
    let n_entries = u64_at(&online, 152);
    put_u64(&mut online, 152, n_entries - 5);
    let tilde = dir.path().join("system@0005c5-0123.journal~");
    std::fs::write(&tilde, &online).unwrap();
    let journalctl_sees = journalctl(&tilde, &[]);
    assert_eq!(
        journalctl_sees.len(),
        195,
        "journalctl does not see unlinked entries"
    );
    assert_eq!(journalctl_sees, want[..195], "journalctl on the ~ file");
    let (got, summary) = kensa_file(&tilde);
    assert_same(&got, &want, "kensa on the ~ file finds all 200");
    let offsets: Vec<u64> = unlinked.iter().map(|&(_, entry)| entry as u64).collect();
    let flagged: Vec<u64> = summary
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Unlinked)
        .map(|p| p.offset)
        .collect();
    assert_eq!(
        flagged, offsets,
        "each unlinked entry is named: {:?}",
        summary.problems
    );
    assert_eq!(summary.problems.len(), 5, "{:?}", summary.problems);
}

// ---------------------------------------------------------------------------------------
// Damage

/// A compact file of 400 crafted entries, its bytes and kensa's entries of the intact file.
fn damage_fixture() -> Option<(tempfile::TempDir, Vec<u8>, Vec<Got>)> {
    if !tools() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = make_journal(dir.path(), "damage", &crafted(400).text, false);
    let bytes = std::fs::read(&path).unwrap();
    let (got, summary) = kensa_file(&path);
    no_problems(&summary, "intact");
    assert_same(&got, &journalctl(&path, &[]), "intact");
    Some((dir, bytes, got))
}

/// Cut at many offsets: every entry whose bytes (entry and data) lie before the cut comes
/// out, unchanged, and a problem names the cut.
#[test]
fn truncated_files_yield_every_intact_entry() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let tail = objects(&bytes).last().map(|o| o.offset + o.size).unwrap();
    let mut cuts: BTreeSet<usize> = (0..80).map(|k| k * tail / 80).collect();
    for entry in full.iter().step_by(37) {
        let end = entry_extent(&bytes, entry.offset as usize);
        cuts.extend([end - 1, end, end + 1]);
    }
    cuts.extend([
        0,
        7,
        8,
        100,
        207,
        208,
        263,
        264,
        tail - 1,
        tail,
        tail + 1000,
        bytes.len() - 1,
    ]);
    for &cut in &cuts {
        let part = &bytes[..cut];
        let (got, summary) = kensa(&part, &Options::default());
        let want: Vec<&Got> = full
            .iter()
            .filter(|e| entry_extent(&bytes, e.offset as usize) <= cut)
            .collect();
        let got_offsets: Vec<u64> = got.iter().map(|g| g.offset).collect();
        let want_offsets: Vec<u64> = want.iter().map(|g| g.offset).collect();
        assert_eq!(
            got_offsets, want_offsets,
            "cut at {cut}: {:?}",
            summary.problems
        );
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, *w, "cut at {cut}");
        }
        let names_cut = summary.problems.iter().any(|p| match &p.kind {
            ProblemKind::Truncated { len, .. } => *len == cut as u64,
            ProblemKind::NotAJournal => cut < 8,
            _ => false,
        });
        assert!(
            names_cut,
            "cut at {cut}: no problem names it: {:?}",
            summary.problems
        );
    }
}

/// Random bytes changed in many places: no panic, no hang, no entry twice, and an entry
/// whose bytes were not touched comes out as it was.
#[test]
fn corrupted_files_do_not_break_the_reader() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let tail = objects(&bytes).last().map(|o| o.offset + o.size).unwrap();
    // Hash tables take most of a small file and are not read: aim past them.
    let first = objects(&bytes)
        .iter()
        .find(|o| o.kind != 4 && o.kind != 5)
        .unwrap()
        .offset;
    let by_offset: BTreeMap<u64, &Got> = full.iter().map(|g| (g.offset, g)).collect();
    let mut state: u64 = 0x853c_49e6_748f_ea9b;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut with_problems = 0;
    for variant in 0..300 {
        let mut spoiled = bytes.clone();
        let flips = 1 + next(24);
        let mut touched = Vec::new();
        for _ in 0..flips {
            // A quarter of the flips hit the header.
            let at = if next(4) == 0 {
                next(272)
            } else {
                first + next(tail - first)
            };
            spoiled[at] ^= 1 << next(8);
            touched.push(at);
        }
        let (got, summary) = kensa(&spoiled.as_slice(), &Options::default());
        with_problems += usize::from(!summary.problems.is_empty());
        assert!(
            got.windows(2).all(|w| w[0].offset < w[1].offset),
            "variant {variant}: entries out of order or twice"
        );
        assert!(
            got.len() <= full.len(),
            "variant {variant}: more entries than written"
        );
        for g in &got {
            let Some(original) = by_offset.get(&g.offset) else {
                continue;
            };
            let start = g.offset as usize;
            let mut extents = vec![(start, start + u64_at(&bytes, start + 8) as usize)];
            extents.extend(
                entry_items(&bytes, start)
                    .iter()
                    .map(|&(_, d)| (d, d + u64_at(&bytes, d + 8) as usize)),
            );
            let header_touched = touched.iter().any(|&t| t < 272);
            let intact = !header_touched
                && touched
                    .iter()
                    .all(|&t| extents.iter().all(|&(s, e)| t < s || t >= e));
            if intact {
                assert_eq!(
                    g, *original,
                    "variant {variant}: an untouched entry changed"
                );
            }
        }
    }
    println!("{with_problems} of 300 spoiled files had a problem");
    assert!(
        with_problems > 150,
        "only {with_problems} of 300 spoiled files had a problem"
    );
}

/// An entry array pointing back to an earlier one: a cycle that must end, and every
/// entry still found (the walk goes on past the break).
#[test]
fn entry_array_cycle_ends_and_loses_nothing() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let arrays = chain(&bytes);
    assert!(arrays.len() >= 5, "{} arrays", arrays.len());
    let mut cycled = bytes.clone();
    put_u64(&mut cycled, arrays[3].0 + 16, arrays[1].0 as u64);
    let (got, summary) = kensa(&cycled.as_slice(), &Options::default());
    assert_eq!(
        summary.problems,
        vec![journal::Problem {
            offset: arrays[3].0 as u64,
            kind: ProblemKind::Cycle {
                target: arrays[1].0 as u64
            }
        }]
    );
    assert_eq!(got, full);
    // A link to itself.
    put_u64(&mut cycled, arrays[3].0 + 16, arrays[3].0 as u64);
    let (got, summary) = kensa(&cycled.as_slice(), &Options::default());
    assert_eq!(summary.problems.len(), 1);
    assert_eq!(got, full);
}

/// Absurd object sizes: an entry claiming 2^63 bytes, a DATA object claiming more than
/// the file; each is a problem at its offset and the rest is read.
#[test]
fn huge_claimed_sizes_are_problems_not_allocations() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let victim = &full[200];
    let mut spoiled = bytes.clone();
    put_u64(
        &mut spoiled,
        victim.offset as usize + 8,
        0x7fff_ffff_ffff_fff8,
    );
    let (got, summary) = kensa(&spoiled.as_slice(), &Options::default());
    let without: Vec<Got> = full
        .iter()
        .filter(|g| g.offset != victim.offset)
        .cloned()
        .collect();
    assert_eq!(got, without);
    assert!(
        summary.problems.iter().any(|p| p.offset == victim.offset),
        "{:?}",
        summary.problems
    );

    // The MESSAGE of entry 100 (used by no other entry) claims 1 TiB.
    let entry = full[100].offset as usize;
    let message = entry_items(&bytes, entry)
        .into_iter()
        .map(|(_, d)| d)
        .find(|&d| bytes[d + 72..].starts_with(b"MESSAGE=") || (bytes[d + 1] == 4))
        .unwrap();
    let mut spoiled = bytes.clone();
    put_u64(&mut spoiled, message + 8, 1 << 40);
    let (got, summary) = kensa(&spoiled.as_slice(), &Options::default());
    assert_eq!(got.len(), full.len());
    let damaged = got.iter().find(|g| g.offset == entry as u64).unwrap();
    assert!(!damaged.complete);
    assert_eq!(damaged.fields.len(), full[100].fields.len() - 1);
    assert!(
        summary.problems.iter().any(|p| p.offset == message as u64),
        "{:?}",
        summary.problems
    );
}

/// Unknown incompatible flags are reported and the file is read anyway; a file that is
/// not a journal says so.
#[test]
fn unknown_flags_and_non_journals() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let mut flagged = bytes.clone();
    let flags = u32_at(&flagged, 12);
    put_u32(&mut flagged, 12, flags | 0x100);
    let (got, summary) = kensa(&flagged.as_slice(), &Options::default());
    assert_eq!(got, full);
    assert_eq!(
        summary.problems,
        vec![journal::Problem {
            offset: 12,
            kind: ProblemKind::UnknownIncompatibleFlags(0x100)
        }]
    );

    for junk in [&b""[..], b"LPKSHHR", b"hello, world\n", &[0u8; 4096]] {
        let (got, summary) = kensa(&junk, &Options::default());
        assert!(got.is_empty());
        assert_eq!(summary.problems.len(), 1, "{:?}", summary.problems);
    }
    assert!(journal::is_journal(&bytes));
    assert!(!journal::is_journal(b"LPKSHHR"));
    let problem = &summary.problems;
    assert!(problem.is_empty() || problem[0].kind.describe().ja.contains("フラグ"));
    assert!(
        ProblemKind::NotAJournal
            .describe()
            .en
            .contains("not a systemd journal")
    );
}

/// `since`/`until` select by realtime (inclusive), `after_seqnum` resumes; skipped entries
/// are counted, not decoded.
#[test]
fn time_window_and_resume() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let realtime = |g: &Got| -> u64 { String::from_utf8_lossy(&g.fields[1].1).parse().unwrap() };
    let options = Options {
        since: Some(realtime(&full[100])),
        until: Some(realtime(&full[199])),
        ..Options::default()
    };
    let (got, summary) = kensa(&bytes.as_slice(), &options);
    assert_eq!(got, full[100..200].to_vec());
    assert_eq!(summary.outside_window, 300);

    let options = Options {
        after_seqnum: Some(full[249].seqnum),
        ..Options::default()
    };
    let (got, summary) = kensa(&bytes.as_slice(), &options);
    assert_eq!(got, full[250..].to_vec());
    assert_eq!(summary.outside_window, 250);
    assert_eq!(summary.last_seqnum, Some(full[399].seqnum));

    // Nothing new since the last run: the file is not walked at all.
    let options = Options {
        after_seqnum: Some(full[399].seqnum),
        ..Options::default()
    };
    let (got, summary) = kensa(&bytes.as_slice(), &options);
    assert!(got.is_empty());
    assert_eq!((summary.outside_window, summary.entries), (400, 0));
    no_problems(&summary, "resume at the end");
}

/// Entry array items wiped (0) or pointing nowhere (misaligned, past the end): the
/// objects between the entries around them are walked, so every entry still comes out,
/// once and in order.
#[test]
fn wiped_array_items_lose_no_entry() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let items: Vec<usize> = chain(&bytes)
        .into_iter()
        .flat_map(|(_, items)| items)
        .map(|(position, _)| position)
        .collect();
    let mut state: u64 = 0x6a09_e667_f3bc_c908;
    for variant in 0..60 {
        let mut spoiled = bytes.clone();
        for k in 0..1 + variant % 12 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let position = items[(state >> 33) as usize % items.len()];
            let value = [0u32, 0x7, 0xffff_fff8, 12][(k + variant) % 4];
            put_u32(&mut spoiled, position, value);
        }
        let (got, summary) = kensa(&spoiled.as_slice(), &Options::default());
        assert_eq!(got, full, "variant {variant}: {:?}", summary.problems);
    }
}

// ---------------------------------------------------------------------------------------
// Decompression amplification

/// Appends `objects` (whole objects, header included) after the tail object of `b`,
/// updating the header as a writer would (arena size, tail object, object count); returns
/// where each one went.
fn append_objects(b: &mut Vec<u8>, objects: &[Vec<u8>]) -> Vec<usize> {
    let last = *self::objects(b).last().unwrap();
    let mut end = (last.offset + last.size + 7) & !7;
    let mut placed = Vec::new();
    for object in objects {
        if end + object.len() > b.len() {
            b.resize((end + object.len()).next_multiple_of(4096), 0);
        }
        b[end..end + object.len()].copy_from_slice(object);
        placed.push(end);
        end = (end + object.len() + 7) & !7;
    }
    let header_size = u64_at(b, 88);
    let len = b.len() as u64;
    put_u64(b, 96, len - header_size);
    put_u64(b, 136, *placed.last().unwrap() as u64);
    let n_objects = u64_at(b, 144);
    put_u64(b, 144, n_objects + objects.len() as u64);
    placed
}

/// A zstd DATA object holding `payload`, made from the header of a real one of `b` (its
/// hash and links are left as they were: the reader does not follow them), claiming to
/// be shared by many entries. `content_size` says whether the frame records its size
/// (journald's always does; without it the size is known only by decoding).
fn zstd_data_object(b: &[u8], payload: &[u8], content_size: bool) -> Vec<u8> {
    let payload_offset = if compact(b) { 72 } else { 64 };
    let model = objects(b)
        .into_iter()
        .find(|o| o.kind == 1 && o.flags == 4)
        .expect("a zstd DATA object");
    let encoded = if content_size {
        zstd::bulk::compress(payload, 19).unwrap()
    } else {
        zstd::stream::encode_all(payload, 19).unwrap()
    };
    assert_eq!(
        zstd::zstd_safe::get_frame_content_size(&encoded)
            .unwrap()
            .is_some(),
        content_size
    );
    let mut object = b[model.offset..model.offset + payload_offset].to_vec();
    put_u64(&mut object, 8, (payload_offset + encoded.len()) as u64);
    put_u64(&mut object, 56, 1 << 20); // n_entries
    object.extend(encoded);
    object
}

/// Points the first item of every entry listed by the chain at `data(i)` for the i-th.
fn point_entries(b: &mut [u8], data: impl Fn(usize) -> usize) -> usize {
    let entries: Vec<usize> = chain(b)
        .into_iter()
        .flat_map(|(_, items)| items)
        .map(|(_, entry)| entry)
        .collect();
    for (i, &entry) in entries.iter().enumerate() {
        let (position, _) = entry_items(b, entry)[0];
        if compact(b) {
            put_u32(b, position, data(i) as u32);
        } else {
            put_u64(b, position, data(i) as u64);
        }
    }
    entries.len()
}

/// Reads `b` and counts what came out, without keeping it (the payloads are big).
fn read_counting(b: &[u8]) -> (u64, u64, Summary) {
    let (mut entries, mut handed_out) = (0, 0);
    let summary = journal::read(&b, &Options::default(), &mut |entry| {
        entries += 1;
        handed_out += entry
            .fields()
            .map(|(n, v)| n.len() + v.len() + 1)
            .sum::<usize>() as u64;
    });
    (entries, handed_out, summary)
}

fn is_limit(problem: &journal::Problem, limit: journal::Limit) -> bool {
    matches!(problem.kind, ProblemKind::TooLarge { what, .. } if what == limit)
}

/// A real journal-remote file rewritten so that a few KB of zstd become gigabytes: every
/// entry points at one 60 MiB payload (the reader used to decode it once per entry, as
/// far as the output budget let it: over a GiB), at one that decodes past the 64 MiB
/// payload limit (refused, so nothing counted against the output budget: 64 MiB of work
/// per entry, unbounded), or each at a payload of its own. The reader's count of the
/// bytes its decoders produced shows the work: one decode per object, and never more
/// than [`journal::decompress_budget`] of the file; the limit that ends a read is a
/// problem naming the object's offset.
#[test]
fn decompression_work_is_bounded() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    let (_, _, intact) = read_counting(&bytes);
    let mut big = b"MESSAGE=".to_vec();
    big.resize(60 << 20, b'A');

    // One 60 MiB payload shared by every entry: decoded once, handed out until the
    // output budget ends the read.
    let mut shared = bytes.clone();
    let object = zstd_data_object(&shared, &big, true);
    assert!(object.len() < 8 << 10, "{} bytes", object.len());
    let at = append_objects(&mut shared, &[object])[0];
    assert_eq!(point_entries(&mut shared, |_| at), full.len());
    let (entries, handed_out, summary) = read_counting(&shared);
    assert!(handed_out > 1 << 30, "{handed_out}");
    assert!(entries > 16 && entries < full.len() as u64, "{entries}");
    // Decoded once (the entries' own payloads, fewer of them than in the intact file as
    // the read stopped early, and the big one).
    let work = summary.decompressed;
    assert!(work >= big.len() as u64, "{work}");
    assert!(work <= intact.decompressed + big.len() as u64, "{work}");
    assert!(
        summary
            .problems
            .iter()
            .any(|p| p.offset == at as u64 && is_limit(p, journal::Limit::FileOutput)),
        "{:?}",
        summary.problems
    );

    // One payload past the per-payload limit, its size not in the frame: refused after
    // one decode, remembered, and every entry still read (without that field).
    let mut refused = bytes.clone();
    let mut huge = b"MESSAGE=".to_vec();
    huge.resize(journal::DATA_PAYLOAD_MAX + 4096, b'B');
    let object = zstd_data_object(&refused, &huge, false);
    let at = append_objects(&mut refused, &[object])[0];
    point_entries(&mut refused, |_| at);
    let (entries, _, summary) = read_counting(&refused);
    assert_eq!(entries, full.len() as u64);
    let work = summary.decompressed - intact.decompressed;
    assert!(
        work <= journal::DATA_PAYLOAD_MAX as u64 + 1,
        "{work} bytes decoded for one refused payload"
    );
    assert_eq!(
        summary.problems.len() as u64 + summary.more_problems,
        full.len() as u64
    );
    assert!(
        summary
            .problems
            .iter()
            .all(|p| p.offset == at as u64 && is_limit(p, journal::Limit::Payload))
    );

    // A payload of its own for every entry: the decompression budget ends the read, at
    // an object it names.
    let mut distinct = bytes.clone();
    // The same bytes at different offsets are different objects to the reader.
    let objects = vec![zstd_data_object(&distinct, &big, true); full.len()];
    let placed = append_objects(&mut distinct, &objects);
    point_entries(&mut distinct, |i| placed[i]);
    let (entries, _, summary) = read_counting(&distinct);
    let budget = journal::decompress_budget(distinct.len() as u64);
    assert!(summary.decompressed <= budget, "{}", summary.decompressed);
    assert!(summary.decompressed > budget - (big.len() as u64) * 2);
    assert!(entries < full.len() as u64);
    let last = summary.problems.last().unwrap();
    assert!(is_limit(last, journal::Limit::Decompressed), "{last:?}");
    assert!(placed.contains(&(last.offset as usize)), "{last:?}");
}

// ---------------------------------------------------------------------------------------
// The header against its entries

/// An incremental rerun decides whether a closed file has anything new by its last
/// entry, not by the header's `tail_entry_seqnum`: lowered to what the last run read, the
/// header would have the rerun skip the 150 entries after it. Each read of a header that
/// disagrees with its entries says so, naming the header field.
#[test]
fn resume_trusts_the_entries_not_the_header() {
    let Some((_dir, bytes, full)) = damage_fixture() else {
        return;
    };
    assert_eq!(
        u64_at(&bytes, 160),
        full[399].seqnum,
        "the real header agrees"
    );
    let disagrees = |summary: &Summary, header: u64| {
        summary.problems
            == vec![journal::Problem {
                offset: 160,
                kind: ProblemKind::TailSeqnumDisagrees {
                    header,
                    entries: full[399].seqnum,
                },
            }]
    };

    let mut lowered = bytes.clone();
    put_u64(&mut lowered, 160, full[249].seqnum);
    let resume = Options {
        after_seqnum: Some(full[249].seqnum),
        ..Options::default()
    };
    let (got, summary) = kensa(&lowered.as_slice(), &resume);
    assert_eq!(got, full[250..].to_vec());
    assert!(
        disagrees(&summary, full[249].seqnum),
        "{:?}",
        summary.problems
    );
    let (got, summary) = kensa(&lowered.as_slice(), &Options::default());
    assert_eq!(got, full);
    assert!(
        disagrees(&summary, full[249].seqnum),
        "{:?}",
        summary.problems
    );

    // Raised past the last entry: nothing is new, and the file is still not walked.
    let mut raised = bytes.clone();
    put_u64(&mut raised, 160, full[399].seqnum + 1000);
    let resume = Options {
        after_seqnum: Some(full[399].seqnum),
        ..Options::default()
    };
    let (got, summary) = kensa(&raised.as_slice(), &resume);
    assert!(got.is_empty());
    assert_eq!((summary.outside_window, summary.entries), (400, 0));
    assert!(
        disagrees(&summary, full[399].seqnum + 1000),
        "{:?}",
        summary.problems
    );

    // The regular layout (64-bit array items) is read from its end the same way.
    let dir = tempfile::tempdir().unwrap();
    let path = make_journal(dir.path(), "regular", &crafted(400).text, true);
    let mut regular = std::fs::read(&path).unwrap();
    assert!(!compact(&regular));
    let (full, _) = kensa_file(&path);
    put_u64(&mut regular, 160, full[249].seqnum);
    let resume = Options {
        after_seqnum: Some(full[249].seqnum),
        ..Options::default()
    };
    let (got, summary) = kensa(&regular.as_slice(), &resume);
    assert_eq!(got, full[250..].to_vec());
    assert_eq!(summary.problems.len(), 1, "{:?}", summary.problems);
}

// ---------------------------------------------------------------------------------------
// Audit records journald stored

/// journald (252) read the kernel's audit records itself during a live capture
/// (`kensa/tests/fixtures/live/openssh-9.2p1-journal-audit`, `sshd-attack.sh
/// --journal-audit`) while auditd wrote the same records to `audit.log`: each
/// `_TRANSPORT=audit` entry becomes the line auditd wrote, byte for byte up to auditd's
/// enrichment (the names after `\x1d`), and is marked as audit.
#[test]
fn audit_entries_are_the_lines_auditd_wrote() {
    use kensa_logs::journal_records::{self, JournalContext, JournalStart};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kensa/tests/fixtures/live/openssh-9.2p1-journal-audit/root/var/log");
    let journal_dir = std::fs::read_dir(root.join("journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let file = kensa_fs::analyst::open(&journal_dir.join("system.journal")).unwrap();
    let tz = jiff::tz::TimeZone::UTC;
    let prefilter = kensa_logs::prefilter::Prefilter::new(["sshd"]);
    let context = JournalContext {
        display: "system.journal",
        default_host: "elsewhere",
        tz: &tz,
        since: None,
        until: None,
        prefilter: &prefilter,
    };
    let start = JournalStart {
        after_seqnum: None,
        first_line: 1,
    };
    let (mut audit, mut syslog) = (Vec::new(), 0);
    let read = journal_records::read_file(&file, &context, &start, &mut |record| {
        if record.at.journal.is_some_and(|place| place.audit) {
            assert_eq!(record.program, b"audit");
            assert_eq!(record.host, "vm");
            assert_eq!(record.message, record.at.raw);
            audit.push(record.at.raw.to_vec());
        } else {
            syslog += 1;
        }
    });
    no_problems(&read.summary, "live capture");
    let text = std::fs::read(root.join("audit/audit.log")).unwrap();
    let by_auditd: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|line| line.starts_with(b"type=USER_"))
        .map(|line| line.split(|&b| b == 0x1d).next().unwrap())
        .collect();
    let logins: Vec<&[u8]> = audit
        .iter()
        .map(Vec::as_slice)
        .filter(|line| line.starts_with(b"type=USER_"))
        .collect();
    assert!(by_auditd.len() > 200, "{}", by_auditd.len());
    assert_eq!(logins, by_auditd);
    // The syslog entries that name sshd still come as syslog lines.
    assert!(syslog > 100, "{syslog}");
}
