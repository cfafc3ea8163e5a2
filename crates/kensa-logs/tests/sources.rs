//! Log sources and decompression, tested from the outside: trees built in temporary
//! directories (symlinks, FIFOs, rotations of every naming scheme), archives produced here
//! with the same crates and then cut or spoiled, the bench generator's corpora checked
//! against their `truth.json`, and the real corpora in `/work/shared/corpus`.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use kensa_core::{Diagnostic, DiagnosticLevel, Lang};
use kensa_fs::Location;
use kensa_logs::decode::{self, Compression};
use kensa_logs::source::{self, LogSet};
use kensa_testkit::{analyst_file, root_at};

// ---------------------------------------------------------------------------------------
// Helpers

/// Deterministic, poorly compressible log text of about `size` bytes (so that bzip2 at
/// level 1 makes many 100 kB blocks and a cut loses little).
fn log_text(size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 200);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut line = 0u64;
    while out.len() < size {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        line += 1;
        let _ = writeln!(
            out,
            "Dec 31 23:{:02}:{:02} mailhub sendmail[{}]: AA{:05}: to=<u{:x}@example.ac.jp>, stat=Sent {line}",
            (state >> 8) % 60,
            (state >> 16) % 60,
            (state >> 24) % 30000,
            (state >> 32) % 99999,
            state >> 20,
        );
    }
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 6);
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).unwrap()
}

/// A compressor of this test's making, for each format kensa decodes.
type Compressor = fn(&[u8]) -> Vec<u8>;

fn compressors() -> [(Compression, Compressor); 4] {
    [
        (Compression::Gzip, gzip),
        (Compression::Bzip2, bzip2),
        (Compression::Xz, xz),
        (Compression::Zstd, zstd),
    ]
}

fn write(path: &Path, data: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, data).unwrap();
}

/// Decodes a whole file: the compression, every byte the reader gave, and its final error.
fn decode_all(location: &Location) -> (Compression, Vec<u8>, Option<std::io::Error>) {
    let decoded = decode::open(location).unwrap();
    let mut reader = decoded.reader;
    let mut out = Vec::new();
    let error = reader.read_to_end(&mut out).err();
    (decoded.compression, out, error)
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo(1) runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn names(sets: &[LogSet]) -> Vec<&str> {
    sets.iter().map(|set| set.name.as_str()).collect()
}

fn displays(set: &LogSet) -> Vec<&str> {
    set.files.iter().map(|file| file.display.as_str()).collect()
}

fn set<'a>(sets: &'a [LogSet], name: &str) -> &'a LogSet {
    sets.iter()
        .find(|set| set.name == name)
        .unwrap_or_else(|| panic!("no set {name} in {:?}", names(sets)))
}

fn diag_for<'a>(diags: &'a [Diagnostic], file: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|diag| diag.file == file)
        .unwrap_or_else(|| panic!("no diagnostic for {file} in {diags:#?}"))
}

use kensa_testkit::shared_dir;

// ---------------------------------------------------------------------------------------
// decode

#[test]
fn plain_text_is_read_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        ("plain", &b"Dec 31 23:59:59 host sendmail[1]: hello\n"[..]),
        // Starts like a magic number but is not one: must stay plain, nothing lost.
        ("almost-gzip", b"\x1fhello\n"),
        ("almost-bzip2", b"BZh\nnot bzip2\n"),
        ("almost-xz", b"\xfd7zX\n"),
        ("compress-z", b"\x1f\x9d\x90garbage"),
        ("latin1-and-nul", b"\xe9t\xe9\0\0\r\nno final newline"),
        ("one-byte", b"x"),
    ] {
        let path = dir.path().join(name);
        write(&path, content);
        let (compression, out, error) = decode_all(&analyst_file(&path));
        assert_eq!(compression, Compression::None, "{name}");
        assert_eq!(out, content, "{name}");
        assert!(error.is_none(), "{name}: {error:?}");
    }
}

#[test]
fn empty_file_is_plain_and_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty");
    write(&path, b"");
    let (compression, out, error) = decode_all(&analyst_file(&path));
    assert_eq!(compression, Compression::None);
    assert!(out.is_empty());
    assert!(error.is_none());
}

#[test]
fn every_format_is_decoded_by_magic_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(200_000);
    for (compression, compress) in compressors() {
        let data = compress(&text);
        // A misleading name: the content decides.
        let path = dir.path().join(format!(
            "syslog.1.{}",
            if compression == Compression::Gzip {
                "bz2"
            } else {
                "gz"
            }
        ));
        write(&path, &data);
        let (found, out, error) = decode_all(&analyst_file(&path));
        assert_eq!(found, compression);
        assert!(error.is_none(), "{compression:?}: {error:?}");
        assert!(
            out == text,
            "{compression:?}: {} bytes instead of {}",
            out.len(),
            text.len()
        );
    }
}

#[test]
fn concatenated_members_and_streams_are_all_read() {
    // A plain GzDecoder stops after "first"; the attack in "second" would be lost.
    let dir = tempfile::tempdir().unwrap();
    let first = log_text(50_000);
    let second =
        b"Jan  1 00:00:01 mailhub sendmail[7496]: AB07496: to=|/bin/mail, stat=Sent\n".to_vec();
    let mut whole = first.clone();
    whole.extend_from_slice(&second);
    for (compression, compress) in compressors() {
        let mut data = compress(&first);
        data.extend(compress(&second));
        let path = dir.path().join(compression.as_str());
        write(&path, &data);
        let (found, out, error) = decode_all(&analyst_file(&path));
        assert_eq!(found, compression);
        assert!(error.is_none(), "{compression:?}: {error:?}");
        assert_eq!(out.len(), whole.len(), "{compression:?}");
        assert!(out == whole, "{compression:?}");
    }
}

#[test]
fn truncated_archives_give_what_they_had_then_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(1_500_000);
    for (compression, compress) in compressors() {
        let data = compress(&text);
        let cut = data.len() * 6 / 10;
        let path = dir.path().join(format!("cut-{}", compression.as_str()));
        write(&path, data.get(..cut).unwrap());
        let (found, out, error) = decode_all(&analyst_file(&path));
        assert_eq!(found, compression);
        let error = error.unwrap_or_else(|| {
            panic!(
                "{compression:?}: truncated file ended silently after {} bytes",
                out.len()
            )
        });
        let message = error.to_string();
        assert!(message.contains(compression.as_str()), "{message}");
        assert!(message.contains("truncated"), "{message}");
        assert!(
            text.starts_with(&out),
            "{compression:?}: output is not a prefix of the input"
        );
        // 60 % of the compressed bytes carry about 60 % of the text; every format streams
        // (bzip2 by 100 kB blocks), so well over a third must come back.
        assert!(
            out.len() > text.len() / 3,
            "{compression:?}: only {} of {} bytes recovered",
            out.len(),
            text.len()
        );
        assert!(
            message.contains(&out.len().to_string()),
            "{message} should say how far it got"
        );
    }
}

#[test]
fn after_an_error_the_reader_keeps_failing() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(300_000);
    for (compression, compress) in compressors() {
        let data = compress(&text);
        let path = dir.path().join(format!("cut-{}", compression.as_str()));
        write(&path, data.get(..data.len() / 2).unwrap());
        let mut reader = decode::open(&analyst_file(&path)).unwrap().reader;
        let mut sink = Vec::new();
        assert!(reader.read_to_end(&mut sink).is_err(), "{compression:?}");
        let mut buf = [0u8; 64];
        for _ in 0..3 {
            let again = reader.read(&mut buf);
            assert!(
                again.is_err(),
                "{compression:?}: a retry must not look like a clean end: {again:?}"
            );
        }
    }
}

#[test]
fn gzip_magic_then_garbage_is_an_error_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messages.1");
    write(&path, b"\x1f\x8b\x08\x00garbage garbage garbage garbage\n");
    let (compression, out, error) = decode_all(&analyst_file(&path));
    assert_eq!(compression, Compression::Gzip);
    assert!(out.is_empty());
    let error = error.expect("corrupt gzip must be an error");
    assert!(error.to_string().contains("gzip"), "{error}");
}

#[test]
fn corruption_in_the_middle_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(400_000);
    for (compression, compress) in compressors() {
        let mut data = compress(&text);
        let middle = data.len() / 2;
        for byte in data.iter_mut().skip(middle).take(64) {
            *byte ^= 0x5a;
        }
        let path = dir.path().join(format!("spoiled-{}", compression.as_str()));
        write(&path, &data);
        let (found, out, error) = decode_all(&analyst_file(&path));
        assert_eq!(found, compression);
        assert!(
            error.is_some(),
            "{compression:?}: corruption went unnoticed ({} bytes)",
            out.len()
        );
    }
}

#[test]
fn trailing_garbage_after_a_good_member_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = log_text(10_000);
    let mut data = gzip(&text);
    data.extend_from_slice(b"\x1f\x8b\x08\x00 hidden, not gzip");
    let path = dir.path().join("syslog.2.gz");
    write(&path, &data);
    let (_, out, error) = decode_all(&analyst_file(&path));
    assert_eq!(out, text, "the good member is kept whole");
    assert!(
        error.is_some(),
        "the garbage after it is not silently dropped"
    );
}

#[test]
fn random_bytes_behind_every_magic_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let magics: [&[u8]; 6] = [
        b"\x1f\x8b\x08\x00",
        b"BZh9",
        b"\xfd7zXZ\0",
        b"\x28\xb5\x2f\xfd",
        b"\x50\x2a\x4d\x18",
        b"",
    ];
    let mut state: u64 = 7;
    let mut errors = 0;
    for round in 0..300 {
        let magic = magics[round % magics.len()];
        let mut data = magic.to_vec();
        let len = (state % 4096) as usize;
        for _ in 0..len {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            data.push((state >> 33) as u8);
        }
        let path = dir.path().join(format!("fuzz-{round}"));
        write(&path, &data);
        let (compression, out, error) = decode_all(&analyst_file(&path));
        if magic.is_empty() {
            assert_eq!(out, data, "plain bytes come back untouched");
        } else {
            assert_ne!(compression, Compression::None);
            // Random bytes are not a valid archive: damage must be said, never hidden.
            assert!(
                error.is_some(),
                "round {round}: {compression:?} accepted garbage"
            );
            errors += 1;
        }
    }
    assert_eq!(errors, 250);
}

#[test]
fn zstd_frame_demanding_a_huge_window_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    // 2^30 = 1 GiB: a frame header claiming it must not make us allocate it.
    encoder.window_log(30).unwrap();
    encoder.long_distance_matching(true).unwrap();
    encoder.write_all(&log_text(10_000)).unwrap();
    let data = encoder.finish().unwrap();
    let path = dir.path().join("huge-window.zst");
    write(&path, &data);
    let (compression, _, error) = decode_all(&analyst_file(&path));
    assert_eq!(compression, Compression::Zstd);
    let error = error.expect("a 1 GiB window must be refused");
    assert!(error.to_string().contains("zstd"), "{error}");
}

#[test]
fn fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("syslog");
    mkfifo(&path);
    let (sender, receiver) = mpsc::channel();
    let probe = path.clone();
    std::thread::spawn(move || {
        let _ = sender.send(decode::open(&analyst_file(&probe)).map(|decoded| decoded.compression));
    });
    let result = receiver
        .recv_timeout(Duration::from_secs(10))
        .expect("open of a FIFO hung");
    let error = result.expect_err("a FIFO must be refused");
    assert!(error.to_string().contains("FIFO"), "{error}");
}

#[test]
fn a_link_of_the_root_resolves_inside_it_never_outside() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("real");
    write(&target, b"outside secret\n");
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("var/log")).unwrap();
    symlink(&target, dir.path().join("var/log/syslog")).unwrap();
    let root = root_at(dir.path());
    let location = Location::InRoot {
        root: root.clone(),
        rel: "var/log/syslog".into(),
    };
    let error = decode::open(&location).expect_err("the target is not in the root");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound, "{error}");
    // The same absolute path inside the root is what the link names.
    write(
        &dir.path().join(target.strip_prefix("/").unwrap()),
        b"root's own\n",
    );
    let (_, out, error) = decode_all(&location);
    assert!(error.is_none(), "{error:?}");
    assert_eq!(out, b"root's own\n");
}

#[test]
fn directory_and_devices_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let error = decode::open(&analyst_file(dir.path())).expect_err("a directory is not a log");
    assert!(error.to_string().contains("directory"), "{error}");

    let error =
        decode::open(&analyst_file(Path::new("/dev/null"))).expect_err("a device is not a log");
    assert!(error.to_string().contains("character device"), "{error}");
}

#[test]
fn missing_file_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let error = decode::open(&analyst_file(&dir.path().join("nothing"))).expect_err("missing");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
}

// ---------------------------------------------------------------------------------------
// discover

fn touch(root: &Path, rel: &str, content: &[u8]) {
    write(&root.join(rel), content);
}

/// The FTP daemons' logs of today: vsftpd's own log beside the system logs, proftpd's
/// and pure-ftpd's directories (every `*.log*` and `xferlog*` in them), with Debian's
/// logrotate numbering and compression; what else those directories hold is left alone.
#[test]
fn ftp_daemon_logs_are_found_with_their_rotations() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "var/log/vsftpd.log",
        "var/log/vsftpd.log.1",
        "var/log/vsftpd.log.2.gz",
        "var/log/proftpd/proftpd.log",
        "var/log/proftpd/proftpd.log.1",
        "var/log/proftpd/proftpd.log.2.gz",
        "var/log/proftpd/xferlog",
        "var/log/proftpd/xferlog.1.gz",
        "var/log/proftpd/auth.log",
        "var/log/proftpd/controls.log",
        "var/log/proftpd/README",
        "var/log/pure-ftpd/transfer.log",
        "var/log/pure-ftpd/transfer.log.1.xz",
        "var/log/pure-ftpd/.keep",
        "var/adm/vsftpd.log",
    ] {
        let content: &[u8] = if rel.ends_with(".gz") {
            &gzip(b"x\n")
        } else if rel.ends_with(".xz") {
            &xz(b"x\n")
        } else {
            b"x\n"
        };
        touch(root, rel, content);
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        [
            "var/adm/vsftpd.log",
            "var/log/proftpd/auth.log",
            "var/log/proftpd/controls.log",
            "var/log/proftpd/proftpd.log",
            "var/log/proftpd/xferlog",
            "var/log/pure-ftpd/transfer.log",
            "var/log/vsftpd.log",
        ]
    );
    assert_eq!(
        displays(set(&sets, "var/log/vsftpd.log")),
        [
            "var/log/vsftpd.log.2.gz",
            "var/log/vsftpd.log.1",
            "var/log/vsftpd.log"
        ]
    );
    assert_eq!(
        displays(set(&sets, "var/log/proftpd/proftpd.log")),
        [
            "var/log/proftpd/proftpd.log.2.gz",
            "var/log/proftpd/proftpd.log.1",
            "var/log/proftpd/proftpd.log"
        ]
    );
    assert_eq!(
        displays(set(&sets, "var/log/proftpd/xferlog")),
        ["var/log/proftpd/xferlog.1.gz", "var/log/proftpd/xferlog"]
    );
    assert_eq!(
        displays(set(&sets, "var/log/pure-ftpd/transfer.log")),
        [
            "var/log/pure-ftpd/transfer.log.1.xz",
            "var/log/pure-ftpd/transfer.log"
        ]
    );
    // The compressed pieces decode as such (by their magic bytes).
    let (compression, text, error) =
        decode_all(&analyst_file(&root.join("var/log/proftpd/xferlog.1.gz")));
    assert_eq!(
        (compression, text.as_slice()),
        (Compression::Gzip, &b"x\n"[..])
    );
    assert!(error.is_none());
}

#[test]
fn rotations_of_every_scheme_come_oldest_first() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "var/log/syslog",
        "var/log/syslog.1",
        "var/log/syslog.2.gz",
        "var/log/syslog.3.bz2",
        "var/log/syslog.10.gz",
        "var/log/syslog.4.xz",
        "var/log/syslog.5.zst",
        "var/log/syslog.0",
        "var/log/maillog",
        "var/log/maillog-20240101.gz",
        "var/log/maillog-20231231",
        "var/log/maillog-20240102",
        "var/log/mail.log.20240101",
        "var/log/mail.log",
        "var/adm/messages",
        "var/adm/messages.0.gz",
        "var/adm/messages.1.gz",
        "var/log/secure",
    ] {
        touch(root, rel, b"x\n");
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        [
            "var/adm/messages",
            "var/log/mail.log",
            "var/log/maillog",
            "var/log/secure",
            "var/log/syslog"
        ]
    );
    let syslog = set(&sets, "var/log/syslog");
    assert_eq!(
        displays(syslog),
        [
            "var/log/syslog.10.gz",
            "var/log/syslog.5.zst",
            "var/log/syslog.4.xz",
            "var/log/syslog.3.bz2",
            "var/log/syslog.2.gz",
            "var/log/syslog.1",
            "var/log/syslog.0",
            "var/log/syslog",
        ]
    );
    let ranks: Vec<_> = syslog.files.iter().map(|file| file.rotation).collect();
    assert_eq!(
        ranks,
        [
            Some(10),
            Some(5),
            Some(4),
            Some(3),
            Some(2),
            Some(1),
            Some(0),
            None
        ]
    );
    assert_eq!(
        syslog.files.last().unwrap().location.identity(),
        root.join("var/log/syslog")
    );

    let maillog = set(&sets, "var/log/maillog");
    assert_eq!(
        displays(maillog),
        [
            "var/log/maillog-20231231",
            "var/log/maillog-20240101.gz",
            "var/log/maillog-20240102",
            "var/log/maillog"
        ]
    );
    let ranks: Vec<_> = maillog.files.iter().map(|file| file.rotation).collect();
    assert_eq!(ranks, [Some(3), Some(2), Some(1), None]);

    assert_eq!(
        displays(set(&sets, "var/log/mail.log")),
        ["var/log/mail.log.20240101", "var/log/mail.log"]
    );
    assert_eq!(
        displays(set(&sets, "var/adm/messages")),
        [
            "var/adm/messages.1.gz",
            "var/adm/messages.0.gz",
            "var/adm/messages"
        ]
    );
}

#[test]
fn mixed_numbered_and_dated_rotations_keep_each_scheme_in_order() {
    let root = tempfile::tempdir().unwrap();
    for rel in [
        "var/log/syslog",
        "var/log/syslog.1",
        "var/log/syslog.2.gz",
        "var/log/syslog-20240101.gz",
        "var/log/syslog-20231201.gz",
    ] {
        touch(root.path(), rel, b"x\n");
    }
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut Vec::new());
    let syslog = set(&sets, "var/log/syslog");
    assert_eq!(
        displays(syslog),
        [
            "var/log/syslog-20231201.gz",
            "var/log/syslog-20240101.gz",
            "var/log/syslog.2.gz",
            "var/log/syslog.1",
            "var/log/syslog"
        ]
    );
    let ranks: Vec<_> = syslog.files.iter().map(|file| file.rotation).collect();
    assert_eq!(ranks, [Some(4), Some(3), Some(2), Some(1), None]);
}

#[test]
fn a_directory_stuffed_with_logs_is_capped() {
    let root = tempfile::tempdir().unwrap();
    let log = root.path().join("var/log");
    fs::create_dir_all(&log).unwrap();
    for n in 0..10_050 {
        fs::File::create(log.join(format!("syslog.{n}"))).unwrap();
    }
    // Non-matching entries do not count towards the cap on log files.
    for n in 0..100 {
        fs::File::create(log.join(format!("other.{n}"))).unwrap();
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    let files: usize = sets.iter().map(|set| set.files.len()).sum();
    assert_eq!(files, 10_000);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].file, "var/log");
    assert_eq!(diags[0].level, DiagnosticLevel::Warning);
    assert_eq!(
        diags[0].message_in(Lang::Ja),
        "ログファイルが 10000 個を超えるか、エントリが 10000000 個を超えています。ディレクトリの\
         残りは読み取っていません"
    );
}

#[test]
fn non_utf8_names_are_kept_as_bytes_and_shown_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"syslog.\xff\x1b[2J");
    touch(root.path(), "var/log/syslog", b"x\n");
    let path = root.path().join("var/log").join(name);
    write(&path, b"hidden\n");
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        ["var/log/syslog", "var/log/syslog.\u{fffd}\u{1b}[2J"]
    );
    assert_eq!(
        sets[1].files[0].location.identity(),
        path,
        "the real name is kept for opening"
    );
}

#[test]
fn file_facts_come_from_disk() {
    let root = tempfile::tempdir().unwrap();
    touch(root.path(), "var/log/auth.log", b"0123456789");
    let when = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(852_044_399);
    fs::File::options()
        .write(true)
        .open(root.path().join("var/log/auth.log"))
        .unwrap()
        .set_modified(when)
        .unwrap();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut Vec::new());
    let file = &set(&sets, "var/log/auth.log").files[0];
    assert_eq!(file.len, 10);
    assert_eq!(
        file.mtime,
        Some(jiff::Timestamp::from_second(852_044_399).unwrap())
    );
    assert_eq!(file.rotation, None);
}

#[test]
fn odd_names_are_read_as_streams_of_their_own_and_others_are_ignored() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "var/log/syslog",
        "var/log/syslog.bak",
        "var/log/syslog~",
        "var/log/syslog.gz",
        "var/log/xferlog.old",
        // Not in the list of names: left alone.
        "var/log/kern.log",
        "var/log/wtmp",
        "var/log/lastlog",
        "var/adm/wtmpx",
    ] {
        touch(root, rel, b"x\n");
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        [
            "var/log/syslog",
            "var/log/syslog.bak",
            "var/log/syslog.gz",
            "var/log/syslog~",
            "var/log/xferlog.old"
        ]
    );
    assert!(sets.iter().all(|set| set.files.len() == 1));
}

#[test]
fn usr_adm_takes_everything_but_binary_records() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "usr/adm/messages",
        "usr/adm/messages.0",
        "usr/adm/sulog",
        "usr/adm/aculog",
        "usr/adm/wtmp",
        "usr/adm/wtmpx",
        "usr/adm/utmp",
        "usr/adm/utmpx",
        "usr/adm/btmp.1",
        "usr/adm/lastlog",
        "usr/adm/pacct",
        "usr/adm/acct",
        "usr/adm/syslogd.pid",
    ] {
        touch(root, rel, b"x\n");
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        ["usr/adm/aculog", "usr/adm/messages", "usr/adm/sulog"]
    );
    assert_eq!(
        displays(set(&sets, "usr/adm/messages")),
        ["usr/adm/messages.0", "usr/adm/messages"]
    );
}

#[test]
fn hp_ux_syslog_directory_is_read_not_warned_about() {
    let root = tempfile::tempdir().unwrap();
    for rel in [
        "var/adm/syslog/syslog.log",
        "var/adm/syslog/OLDsyslog.log",
        "var/adm/syslog/mail.log",
        "var/adm/messages",
    ] {
        touch(root.path(), rel, b"x\n");
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        [
            "var/adm/messages",
            "var/adm/syslog/OLDsyslog.log",
            "var/adm/syslog/mail.log",
            "var/adm/syslog/syslog.log"
        ]
    );

    // On SunOS the same path is the syslog file itself.
    let root = tempfile::tempdir().unwrap();
    touch(root.path(), "var/adm/syslog", b"x\n");
    touch(root.path(), "var/adm/syslog.0", b"x\n");
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(names(&sets), ["var/adm/syslog"]);
    assert_eq!(displays(&sets[0]), ["var/adm/syslog.0", "var/adm/syslog"]);
}

#[test]
fn sunos_usr_adm_link_is_resolved_inside_the_root_and_listed_once() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    touch(root, "var/adm/messages", b"x\n");
    touch(root, "var/adm/messages.0", b"x\n");
    touch(root, "var/adm/sulog", b"x\n");
    touch(root, "var/adm/wtmp", b"x\n");
    fs::create_dir_all(root.join("usr")).unwrap();
    // Absolute, as SunOS 5 has it: must mean <root>/var/adm, not the analyst's /var/adm.
    symlink("/var/adm", root.join("usr/adm")).unwrap();
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    // One listing of var/adm, with the union of what var/adm and usr/adm select.
    assert_eq!(names(&sets), ["var/adm/messages", "var/adm/sulog"]);
    assert_eq!(
        displays(set(&sets, "var/adm/messages")),
        ["var/adm/messages.0", "var/adm/messages"]
    );
    assert!(
        sets.iter()
            .flat_map(|set| &set.files)
            .all(|file| file.location.identity().starts_with(root))
    );
}

#[test]
fn directory_links_never_leave_the_root() {
    let outside = tempfile::tempdir().unwrap();
    touch(outside.path(), "syslog", b"analyst's own log\n");
    touch(outside.path(), "x/messages", b"analyst's own log\n");

    // An absolute link to a directory outside the image.
    let root = tempfile::tempdir().unwrap();
    fs::create_dir_all(root.path().join("var")).unwrap();
    symlink(outside.path(), root.path().join("var/log")).unwrap();
    let mut diags = Vec::new();
    assert!(source::discover(&kensa_testkit::root_at(root.path()), &mut diags).is_empty());
    assert!(diags.is_empty(), "{diags:#?}");

    // A relative link climbing out: `..` stops at the root, as it does for a chrooted host.
    let root = tempfile::tempdir().unwrap();
    let climb = format!("{}/x", "../".repeat(40));
    fs::create_dir_all(root.path().join("var")).unwrap();
    symlink(&climb, root.path().join("var/adm")).unwrap();
    touch(root.path(), "x/messages", b"image's log\n");
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(names(&sets), ["x/messages"]);
    assert_eq!(
        sets[0].files[0].location.identity(),
        root.path().join("x/messages")
    );
}

#[test]
fn symlink_loops_are_a_warning() {
    let root = tempfile::tempdir().unwrap();
    fs::create_dir_all(root.path().join("var")).unwrap();
    symlink("log2", root.path().join("var/log")).unwrap();
    symlink("log", root.path().join("var/log2")).unwrap();
    let mut diags = Vec::new();
    assert!(source::discover(&kensa_testkit::root_at(root.path()), &mut diags).is_empty());
    let diag = diag_for(&diags, "var/log");
    assert_eq!(diag.level, DiagnosticLevel::Warning);
    assert!(diag.message.contains("symbolic links"), "{diag}");
}

#[test]
fn links_fifos_sockets_directories_and_compress_files_are_skipped_with_a_reason() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    touch(root, "var/log/syslog", b"x\n");
    touch(root, "etc/shadow", b"root:$1$secret:...\n");
    symlink("/etc/shadow", root.join("var/log/messages")).unwrap();
    symlink("../../etc/shadow", root.join("var/log/auth.log")).unwrap();
    mkfifo(&root.join("var/log/maillog"));
    fs::create_dir_all(root.join("var/log/secure")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(root.join("var/log/xferlog")).unwrap();
    touch(root, "var/log/syslog.4.Z", b"\x1f\x9d\x90");

    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert_eq!(names(&sets), ["var/log/syslog"]);
    assert_eq!(displays(&sets[0]), ["var/log/syslog"]);

    for (file, level, says, says_ja) in [
        (
            "var/log/messages",
            DiagnosticLevel::Note,
            "symbolic link, not followed",
            "シンボリックリンクのため、たどりませんでした",
        ),
        (
            "var/log/auth.log",
            DiagnosticLevel::Note,
            "symbolic link, not followed",
            "シンボリックリンクのため、たどりませんでした",
        ),
        (
            "var/log/maillog",
            DiagnosticLevel::Warning,
            "FIFO",
            "通常のファイルではありません（FIFO）。読み飛ばしました",
        ),
        (
            "var/log/secure",
            DiagnosticLevel::Warning,
            "directory",
            "ログファイルではなくディレクトリです。読み飛ばしました",
        ),
        (
            "var/log/xferlog",
            DiagnosticLevel::Warning,
            "socket",
            "通常のファイルではありません（ソケット）。読み飛ばしました",
        ),
        (
            "var/log/syslog.4.Z",
            DiagnosticLevel::Note,
            "compress(1) .Z files are not supported",
            "compress(1) の .Z ファイルには対応していません",
        ),
    ] {
        let diag = diag_for(&diags, file);
        assert_eq!(diag.level, level, "{diag}");
        assert!(diag.message.contains(says), "{diag}");
        let ja = diag.message_in(Lang::Ja);
        assert!(ja.contains(says_ja), "{ja}");
    }
    assert_eq!(diags.len(), 6, "{diags:#?}");
}

#[test]
fn missing_directories_are_silent() {
    let root = tempfile::tempdir().unwrap();
    let mut diags = Vec::new();
    assert!(source::discover(&kensa_testkit::root_at(root.path()), &mut diags).is_empty());
    assert!(diags.is_empty(), "{diags:#?}");
    // A path component that is a file is as good as missing.
    touch(root.path(), "usr", b"not a directory");
    assert!(source::discover(&kensa_testkit::root_at(root.path()), &mut diags).is_empty());
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn unreadable_log_directory_is_a_warning() {
    let root = tempfile::tempdir().unwrap();
    // A log directory that is a plain file cannot be listed, whoever we are.
    touch(root.path(), "var/log", b"not a directory");
    let mut diags = Vec::new();
    assert!(source::discover(&kensa_testkit::root_at(root.path()), &mut diags).is_empty());
    let diag = diag_for(&diags, "var/log");
    assert_eq!(diag.level, DiagnosticLevel::Warning);

    // Permission bits stop only an unprivileged user; as root the listing works.
    let root = tempfile::tempdir().unwrap();
    touch(root.path(), "var/adm/messages", b"x\n");
    let adm = root.path().join("var/adm");
    fs::set_permissions(&adm, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let privileged = fs::read_dir(&adm).is_ok();
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root.path()), &mut diags);
    fs::set_permissions(&adm, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    if privileged {
        assert_eq!(names(&sets), ["var/adm/messages"]);
        assert!(diags.is_empty(), "{diags:#?}");
    } else {
        assert!(sets.is_empty());
        let diag = diag_for(&diags, "var/adm");
        assert_eq!(diag.level, DiagnosticLevel::Warning);
    }
}

// ---------------------------------------------------------------------------------------
// from_paths

#[test]
fn given_files_and_directories_are_grouped_into_sets() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "evidence/syslog",
        "evidence/syslog.1",
        "evidence/syslog.2.gz",
        "evidence/weird name.txt",
        "evidence/wtmp",
        "evidence/old.Z",
        "evidence/sub/ignored",
        "loose/messages-from-hr.0",
        "loose/messages-from-hr",
    ] {
        touch(root, rel, b"x\n");
    }
    symlink("/etc/passwd", root.join("evidence/link")).unwrap();
    let paths = vec![
        root.join("evidence"),
        root.join("loose/messages-from-hr"),
        root.join("loose/messages-from-hr.0"),
        // Named again, through a detour: read once.
        root.join("evidence/../evidence/syslog.1"),
        root.join("nowhere"),
    ];
    let mut diags = Vec::new();
    let sets = source::from_paths(&kensa_testkit::root_at(root), &paths, &mut diags);
    assert_eq!(
        names(&sets),
        [
            "evidence/syslog",
            "evidence/weird name.txt",
            "loose/messages-from-hr"
        ]
    );
    assert_eq!(
        displays(&sets[0]),
        [
            "evidence/syslog.2.gz",
            "evidence/syslog.1",
            "evidence/syslog"
        ]
    );
    assert_eq!(
        displays(&sets[2]),
        ["loose/messages-from-hr.0", "loose/messages-from-hr"]
    );
    assert_eq!(sets[0].files[1].rotation, Some(1));
    assert_eq!(
        sets[0].files[0].location.identity(),
        root.join("evidence/syslog.2.gz")
    );

    let missing = diag_for(&diags, "nowhere");
    assert_eq!(missing.level, DiagnosticLevel::Error);
    assert!(missing.message.contains("does not exist"), "{missing}");
    assert_eq!(
        diag_for(&diags, "evidence/link").level,
        DiagnosticLevel::Note
    );
    assert_eq!(
        diag_for(&diags, "evidence/wtmp").level,
        DiagnosticLevel::Note
    );
    assert_eq!(
        diag_for(&diags, "evidence/old.Z").level,
        DiagnosticLevel::Note
    );
    assert_eq!(diags.len(), 4, "{diags:#?}");
}

#[test]
fn a_given_file_is_used_whatever_its_name() {
    let root = tempfile::tempdir().unwrap();
    touch(root.path(), "tmp/.hidden stuff~", b"x\n");
    let mut diags = Vec::new();
    let sets = source::from_paths(
        &kensa_testkit::root_at(root.path()),
        &[root.path().join("tmp/.hidden stuff~")],
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(names(&sets), ["tmp/.hidden stuff~"]);
    assert_eq!(sets[0].files[0].rotation, None);
}

#[test]
fn paths_outside_the_root_are_shown_as_given() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    touch(elsewhere.path(), "maillog.1", b"x\n");
    let given = elsewhere.path().join("maillog.1");
    let mut diags = Vec::new();
    let sets = source::from_paths(
        &kensa_testkit::root_at(root.path()),
        std::slice::from_ref(&given),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(sets[0].files[0].display, given.to_string_lossy());
    assert_eq!(
        sets[0].name,
        elsewhere.path().join("maillog").to_string_lossy()
    );
    assert_eq!(sets[0].files[0].rotation, Some(1));
}

#[test]
fn a_given_link_outside_the_root_is_the_users_to_follow() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    touch(elsewhere.path(), "real/secure.2.gz", &gzip(b"x\n"));
    let link = elsewhere.path().join("secure.2.gz");
    symlink(elsewhere.path().join("real/secure.2.gz"), &link).unwrap();
    let mut diags = Vec::new();
    let sets = source::from_paths(
        &kensa_testkit::root_at(root.path()),
        std::slice::from_ref(&link),
        &mut diags,
    );
    assert!(diags.is_empty(), "{diags:#?}");
    let file = &sets[0].files[0];
    assert_eq!(file.display, link.to_string_lossy());
    assert_eq!(file.rotation, Some(2));
    // A path the analyst names is the analyst's: its links are followed.
    let (compression, out, error) = decode_all(&file.location);
    assert_eq!(
        (compression, out.as_slice()),
        (Compression::Gzip, &b"x\n"[..])
    );
    assert!(error.is_none());
}

#[test]
fn given_paths_under_the_root_resolve_links_inside_it() {
    let outside = tempfile::tempdir().unwrap();
    touch(outside.path(), "syslog", b"analyst's own\n");
    let root = tempfile::tempdir().unwrap();
    fs::create_dir_all(root.path().join("var")).unwrap();
    // In the image, var/log points at an absolute path; on the analyst's machine that path
    // exists, in the image it does not.
    symlink(outside.path(), root.path().join("var/log")).unwrap();
    let mut diags = Vec::new();
    let sets = source::from_paths(
        &kensa_testkit::root_at(root.path()),
        &[root.path().join("var/log/syslog")],
        &mut diags,
    );
    assert!(sets.is_empty(), "{sets:#?}");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].level, DiagnosticLevel::Error);
}

#[test]
fn given_fifo_is_an_error_not_a_hang() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("pipe");
    mkfifo(&fifo);
    let mut diags = Vec::new();
    let sets = source::from_paths(&kensa_testkit::root_at(root.path()), &[fifo], &mut diags);
    assert!(sets.is_empty());
    let diag = diag_for(&diags, "pipe");
    assert_eq!(diag.level, DiagnosticLevel::Error);
    assert!(diag.message.contains("FIFO"), "{diag}");
    assert_eq!(
        diag.message_in(Lang::Ja),
        "通常のファイルではありません（FIFO）。読み取りませんでした"
    );
}

// ---------------------------------------------------------------------------------------
// Real data: the bench generator's corpora against their truth, and the shared corpora.

fn generate(shared: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let status = Command::new("python3")
        .arg(shared.join("bench/gen_corpus.py"))
        .arg("--out")
        .arg(out)
        .args(["--small", "-q"])
        .args(extra)
        .status()
        .expect("python3 runs gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
    serde_json::from_slice(&fs::read(out.join("truth.json")).unwrap()).unwrap()
}

/// Discovery and decoding of a generated corpus agree with `truth.json` on every file:
/// order within each stream, rotation, compression, size, mtime, bytes and lines.
fn check_against_truth(root: &Path, truth: &serde_json::Value) -> usize {
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let truth_files = truth["files"].as_array().unwrap();
    let discovered: usize = sets.iter().map(|set| set.files.len()).sum();
    assert_eq!(discovered, truth_files.len(), "{:?}", names(&sets));

    let mut checked = 0;
    for set in &sets {
        // Truth lists each stream oldest first; the stream is named by its live file.
        let expected: Vec<_> = truth_files
            .iter()
            .filter(|file| {
                let path = file["path"].as_str().unwrap();
                path == set.name
                    || path
                        .strip_prefix(set.name.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
            .collect();
        let expected_order: Vec<(&str, Option<u32>)> = expected
            .iter()
            .map(|file| {
                let rotation = file["rotation"].as_u64().unwrap() as u32;
                (
                    file["path"].as_str().unwrap(),
                    (rotation != 0).then_some(rotation),
                )
            })
            .collect();
        let found_order: Vec<(&str, Option<u32>)> = set
            .files
            .iter()
            .map(|file| (file.display.as_str(), file.rotation))
            .collect();
        assert_eq!(found_order, expected_order, "{}", set.name);

        for (file, truth) in set.files.iter().zip(&expected) {
            assert_eq!(
                file.len,
                truth["bytes_on_disk"].as_u64().unwrap(),
                "{}",
                file.display
            );
            let mtime: jiff::Timestamp = truth["mtime"].as_str().unwrap().parse().unwrap();
            assert_eq!(
                file.mtime.map(|t| t.as_second()),
                Some(mtime.as_second()),
                "{}",
                file.display
            );
            let (compression, out, error) = decode_all(&file.location);
            assert!(error.is_none(), "{}: {error:?}", file.display);
            assert_eq!(
                compression.as_str(),
                truth["compression"].as_str().unwrap_or("none"),
                "{}",
                file.display
            );
            assert_eq!(
                out.len() as u64,
                truth["bytes"].as_u64().unwrap(),
                "{}",
                file.display
            );
            let lines = out.iter().filter(|&&byte| byte == b'\n').count() as u64;
            assert_eq!(lines, truth["lines"].as_u64().unwrap(), "{}", file.display);
            checked += 1;
        }
    }
    checked
}

#[test]
fn generated_linux_corpus_matches_its_truth() {
    let Some(shared) = shared_dir() else { return };
    let out = tempfile::tempdir().unwrap();
    let truth = generate(&shared, out.path(), &[]);
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(out.path()), &mut diags);
    assert_eq!(
        names(&sets),
        [
            "var/log/auth.log",
            "var/log/maillog",
            "var/log/messages",
            "var/log/syslog",
            "var/log/xferlog"
        ]
    );
    let syslog = set(&sets, "var/log/syslog");
    let mut expected: Vec<String> = (2..=22)
        .rev()
        .map(|n| format!("var/log/syslog.{n}.gz"))
        .collect();
    expected.push("var/log/syslog.1".into());
    expected.push("var/log/syslog".into());
    assert_eq!(displays(syslog), expected);
    let checked = check_against_truth(out.path(), &truth);
    println!("linux layout: {checked} files checked against truth.json");
    assert_eq!(checked, 39);
}

#[test]
fn generated_sunos_corpus_matches_its_truth() {
    let Some(shared) = shared_dir() else { return };
    let out = tempfile::tempdir().unwrap();
    let truth = generate(&shared, out.path(), &["--layout", "sunos"]);
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(out.path()), &mut diags);
    assert_eq!(
        names(&sets),
        [
            "var/adm/maillog",
            "var/adm/messages",
            "var/adm/secure",
            "var/adm/syslog",
            "var/adm/xferlog"
        ]
    );
    assert_eq!(
        displays(set(&sets, "var/adm/secure")),
        [
            "var/adm/secure.3.xz",
            "var/adm/secure.2.gz",
            "var/adm/secure.1",
            "var/adm/secure"
        ]
    );
    let checked = check_against_truth(out.path(), &truth);
    println!("sunos layout: {checked} files checked against truth.json");
    assert_eq!(checked, 39);
}

#[test]
fn shared_corpora_are_each_read_once_and_whole() {
    let Some(shared) = shared_dir() else { return };
    let corpus = shared.join("corpus");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    // Some subdirectories one level down too (fail2ban-logs/bsd, loghub/Linux).
    let nested: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| {
            fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().path())
        })
        .filter(|path| path.is_dir())
        .collect();
    let mut paths = dirs.clone();
    paths.extend(nested.iter().cloned());

    let mut expected = 0usize;
    for dir in &paths {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                expected += 1;
            }
        }
    }

    let mut diags = Vec::new();
    let sets = source::from_paths(&kensa_testkit::root_at(&corpus), &paths, &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let files: Vec<_> = sets.iter().flat_map(|set| &set.files).collect();
    assert_eq!(files.len(), expected);
    let mut bytes = 0u64;
    for file in &files {
        assert!(
            !file.display.starts_with('/'),
            "{} should be relative to the corpus",
            file.display
        );
        let (compression, out, error) = decode_all(&file.location);
        assert!(error.is_none(), "{}: {error:?}", file.display);
        assert_eq!(compression, Compression::None, "{}", file.display);
        assert_eq!(
            out,
            fs::read(file.location.identity()).unwrap(),
            "{}",
            file.display
        );
        bytes += out.len() as u64;
    }
    assert!(
        files
            .iter()
            .any(|file| file.display == "loghub/Linux/Linux_2k.log")
    );
    println!(
        "shared corpora: {} sets, {} files, {bytes} bytes read back exactly",
        sets.len(),
        files.len()
    );
}

#[test]
fn errors_kensa_raises_itself_read_in_japanese_too() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    symlink("loop.log", root.join("loop.log")).unwrap();
    mkfifo(&root.join("fifo.log"));
    let root = root_at(root);
    let in_root = |rel: &str| Location::InRoot {
        root: root.clone(),
        rel: rel.into(),
    };
    let error = match kensa_logs::decode::open(&in_root("loop.log")) {
        Err(error) => error,
        Ok(_) => panic!("a link loop must not be opened"),
    };
    let text = kensa_core::error_text(&error);
    assert_eq!(text.en, "too many levels of symbolic links");
    assert_eq!(text.ja, "シンボリックリンクの段数が多すぎます");
    let error = match kensa_logs::decode::open(&in_root("fifo.log")) {
        Err(error) => error,
        Ok(_) => panic!("a FIFO must not be read"),
    };
    let text = kensa_core::error_text(&error);
    assert_eq!(text.en, "not a regular file (FIFO); not read");
    assert_eq!(
        text.ja,
        "通常のファイルではない（FIFO）ため、読みませんでした"
    );
}

// ---------------------------------------------------------------------------------------
// journals and audit logs: found where journald and auditd keep them, told by content

/// The first bytes of a journal file: enough for discovery, which reads only the magic.
fn journal_head() -> Vec<u8> {
    let mut head = b"LPKSHHRH".to_vec();
    head.resize(272, 0);
    head
}

const AUDIT_LINE: &[u8] = b"type=USER_AUTH msg=audit(1717840801.123:4242): pid=812 uid=0 \
    auid=4294967295 ses=4294967295 msg='op=PAM:authentication grantors=? acct=\"root\" \
    exe=\"/usr/sbin/sshd\" hostname=192.0.2.7 addr=192.0.2.7 terminal=ssh res=failed'\n";

#[test]
fn journals_are_found_per_machine_and_ordered_by_their_head_time() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let id = "4f7c1d0e9b8a4c6d8e2f1a3b5c7d9e0f";
    let machine = root.join("var/log/journal").join(id);
    fs::create_dir_all(&machine).unwrap();
    let seqnum_id = "0123456789abcdef0123456789abcdef";
    for name in [
        "system.journal".to_string(),
        format!("system@{seqnum_id}-0000000000000001-0005f1a0c0000000.journal"),
        format!("system@{seqnum_id}-0000000000000100-0005f2b0c0000000.journal"),
        // Set aside after an unclean shutdown: realtime first, then a random number.
        "system@0005f1f0c0000000-9a8b7c6d5e4f3a2b.journal~".to_string(),
        "user-1000.journal".to_string(),
    ] {
        fs::write(machine.join(name), journal_head()).unwrap();
    }
    // Named like a journal, but not one: read as text, with a warning.
    fs::write(machine.join("fake.journal"), b"Jan  1 00:00:00 h x: y\n").unwrap();
    // A link is never followed.
    symlink("/etc/shadow", machine.join("evil.journal")).unwrap();
    let volatile = root.join("run/log/journal").join(id);
    fs::create_dir_all(&volatile).unwrap();
    fs::write(volatile.join("system.journal"), journal_head()).unwrap();
    // auditd's rotations.
    let audit = root.join("var/log/audit");
    fs::create_dir_all(&audit).unwrap();
    for name in ["audit.log", "audit.log.1", "audit.log.2"] {
        fs::write(audit.join(name), AUDIT_LINE).unwrap();
    }

    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    let system = set(&sets, &format!("var/log/journal/{id}/system"));
    assert_eq!(system.format, source::LogFormat::Journal);
    let base = format!("var/log/journal/{id}");
    assert_eq!(
        displays(system),
        vec![
            format!("{base}/system@{seqnum_id}-0000000000000001-0005f1a0c0000000.journal"),
            format!("{base}/system@0005f1f0c0000000-9a8b7c6d5e4f3a2b.journal~"),
            format!("{base}/system@{seqnum_id}-0000000000000100-0005f2b0c0000000.journal"),
            format!("{base}/system.journal"),
        ]
    );
    assert_eq!(
        set(&sets, &format!("var/log/journal/{id}/user-1000")).format,
        source::LogFormat::Journal
    );
    assert_eq!(
        displays(set(&sets, &format!("run/log/journal/{id}/system"))),
        vec![format!("run/log/journal/{id}/system.journal")]
    );
    let fake = set(&sets, &format!("var/log/journal/{id}/fake.journal"));
    assert_eq!(fake.format, source::LogFormat::Text);
    assert_eq!(
        diag_for(&diags, &format!("{base}/fake.journal")).level,
        DiagnosticLevel::Warning
    );
    assert!(
        diag_for(&diags, &format!("{base}/evil.journal"))
            .message
            .contains("symbolic link")
    );
    let audit_set = set(&sets, "var/log/audit/audit.log");
    assert_eq!(audit_set.format, source::LogFormat::Audit);
    assert_eq!(
        displays(audit_set),
        vec![
            "var/log/audit/audit.log.2",
            "var/log/audit/audit.log.1",
            "var/log/audit/audit.log"
        ]
    );
}

#[test]
fn formats_are_told_by_content_not_by_name() {
    use source::LogFormat;
    assert_eq!(LogFormat::sniff(&journal_head()), LogFormat::Journal);
    assert_eq!(LogFormat::sniff(AUDIT_LINE), LogFormat::Audit);
    let mut aggregated = b"node=web01 ".to_vec();
    aggregated.extend_from_slice(AUDIT_LINE);
    assert_eq!(LogFormat::sniff(&aggregated), LogFormat::Audit);
    // A syslog line quoting an audit record is still syslog.
    assert_eq!(
        LogFormat::sniff(b"Jun  8 10:00:01 h audispd: type=USER_AUTH msg=audit(1.2:3): x\n"),
        LogFormat::Text
    );
    assert_eq!(LogFormat::sniff(b"type=nothing else\n"), LogFormat::Text);
    // A gzip-compressed audit rotation, given on the command line under any name.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("old-logs.gz"), gzip(AUDIT_LINE)).unwrap();
    let mut diags = Vec::new();
    let sets = source::from_paths(
        &kensa_testkit::root_at(dir.path()),
        &[dir.path().join("old-logs.gz")],
        &mut diags,
    );
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].format, LogFormat::Audit);
}

#[test]
fn todays_log_names_and_the_roots_own_syslog_configuration_are_discovered() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for file in [
        "var/log/daemon.log",
        "var/log/daemon.log.1",
        "var/log/authlog",
        "var/log/security",
        "var/log/mail",
        "var/log/mail.err",
        "var/log/mail.warn",
        "var/log/mail.info",
        "var/log/dovecot.log",
        "var/log/dovecot-info.log",
        // Solaris, HP-UX and AIX: su's and login's own logs, rotated by hand or cron.
        "var/adm/sulog",
        "var/adm/sulog.0",
        "var/adm/loginlog",
        "var/log/xrdp-sesman.log",
        // A site's own paths, named by its rsyslog configuration, with a rotation.
        "srv/log/remote/sshd.log",
        "srv/log/remote/sshd.log.1.gz",
        "srv/log/remote/unrelated.log",
        "var/log/site/secure-hosts",
    ] {
        write(
            &r.join(file),
            b"Dec  7 08:31:16 vm sshd[1]: Server listening\n",
        );
    }
    // Directories that merely start like a log are passed over without a word.
    fs::create_dir_all(r.join("var/log/mailman")).unwrap();
    fs::create_dir_all(r.join("etc/rsyslog.d")).unwrap();
    fs::write(
        r.join("etc/rsyslog.conf"),
        "$IncludeConfig /etc/rsyslog.d/*.conf\nauth.* /var/log/auth.log\n",
    )
    .unwrap();
    fs::write(
        r.join("etc/rsyslog.d/60-site.conf"),
        "local1.* -/srv/log/remote/sshd.log\n\
         action(type=\"omfile\" file=\"/var/log/site/secure-hosts\")\n\
         local2.* /nowhere/never/written.log\n",
    )
    .unwrap();
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(r), &mut diags);
    let mut found = names(&sets);
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "srv/log/remote/sshd.log",
            "var/adm/loginlog",
            "var/adm/sulog",
            "var/log/authlog",
            "var/log/daemon.log",
            "var/log/dovecot-info.log",
            "var/log/dovecot.log",
            "var/log/mail",
            "var/log/mail.err",
            "var/log/mail.info",
            "var/log/mail.warn",
            "var/log/security",
            "var/log/site/secure-hosts",
            "var/log/xrdp-sesman.log",
        ],
        "{diags:?}"
    );
    assert_eq!(
        displays(set(&sets, "srv/log/remote/sshd.log")),
        ["srv/log/remote/sshd.log.1.gz", "srv/log/remote/sshd.log"]
    );
    assert_eq!(displays(set(&sets, "var/log/daemon.log")).len(), 2);
    assert_eq!(
        displays(set(&sets, "var/adm/sulog")),
        ["var/adm/sulog.0", "var/adm/sulog"]
    );
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn exim_main_logs_are_found_with_their_rotations_and_reject_logs_left_out() {
    // exim logs SMTP AUTH to its own files, not syslog; the reject log repeats lines of
    // the main log, and its panic log holds no logins.
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    for rel in [
        "var/log/exim4/mainlog",
        "var/log/exim4/mainlog.1",
        "var/log/exim4/mainlog.2.gz",
        "var/log/exim4/rejectlog",
        "var/log/exim4/paniclog",
        "var/log/exim/main.log",
        "var/log/exim/reject.log",
    ] {
        let content: &[u8] = if rel.ends_with(".gz") {
            &gzip(b"x\n")
        } else {
            b"x\n"
        };
        touch(root, rel, content);
    }
    let mut diags = Vec::new();
    let sets = source::discover(&kensa_testkit::root_at(root), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(
        names(&sets),
        ["var/log/exim/main.log", "var/log/exim4/mainlog"]
    );
    assert_eq!(
        displays(set(&sets, "var/log/exim4/mainlog")),
        [
            "var/log/exim4/mainlog.2.gz",
            "var/log/exim4/mainlog.1",
            "var/log/exim4/mainlog"
        ]
    );
}
