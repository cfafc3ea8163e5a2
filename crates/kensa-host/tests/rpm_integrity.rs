//! The integrity checks (IN001–IN004) on roots where real rpm packages were installed by
//! Debian's `rpm`, in each of rpm's database formats.
//!
//! Each test builds small packages with `rpmbuild` — a program (a copy of `/bin/true`), a
//! symbolic link, a `%config(noreplace)` file, a `%config(missingok)` one, a `%doc`, a
//! `%ghost`; one package per file digest algorithm (the build's default, SHA-512, MD5,
//! SHA-1 with 400 files so its header spans many Berkeley DB overflow pages) and one
//! relocatable package installed with `--relocate` (rpm then rewrites its file list
//! outside the header's signed region) — and installs them with `rpm --root` into a
//! temporary root whose database is SQLite (rpm 4.18's). From the same header blobs it
//! writes a Berkeley DB hash `Packages` with `db5.3_load` (little- and big-endian, 4 KiB
//! pages with overflow pages, 64 KiB pages with page checksums), checked by rpm's own
//! read-only Berkeley DB backend where it can read them, and an ndb `Packages.db` laid
//! out as rpm's `rpmpkg.c` does (Debian's rpm has no ndb backend to write one).
//!
//! For every format: the root as installed gives no IN finding; after a program, a link,
//! a configuration file and files of the other packages are changed, a `%doc` and the
//! `missingok` file deleted and a program dropped in `usr/bin`, it gives exactly IN001
//! for the changed files (naming `name-version-release.arch`), IN002 for the edited
//! configuration file, IN003 for the deleted `%doc` and IN004 for the dropped program —
//! and the SQLite root's findings are the files `rpm -Va` itself reports.
//!
//! Without `rpm`, `rpmbuild` or `db5.3_load` the tests print "skipped: … not found",
//! unless KENSA_REQUIRE_SHARED is set (CI, whose `.ci/run` installs `rpm` and
//! `db5.3-util`), where that fails.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{DiagnosticLevel, Finding, Severity};
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Skips (or, under KENSA_REQUIRE_SHARED, fails) when `what` is missing.
fn missing(what: &str) {
    if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
        panic!("{what} not found, and KENSA_REQUIRE_SHARED is set");
    }
    println!("skipped: {what} not found");
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether the rpm tools (and, with `bdb`, Berkeley DB's) are here; prints the skip.
fn tools(bdb: bool) -> bool {
    for tool in ["rpm", "rpmbuild"] {
        if !have(tool) {
            missing(tool);
            return false;
        }
    }
    if bdb
        && !Command::new("db5.3_load")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        missing("db5.3_load");
        return false;
    }
    true
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One package to build: name, digest algorithm (`None`: rpmbuild's default), extra
/// preamble, `%install` script, `%files` list.
struct Spec<'a> {
    name: &'a str,
    algorithm: Option<u32>,
    preamble: &'a str,
    install: String,
    files: String,
}

fn build(top: &Path, spec: &Spec<'_>) -> PathBuf {
    let text = format!(
        "Name: {name}\nVersion: 1.0\nRelease: 1\nSummary: kensa test package\nLicense: MIT\n\
         AutoReqProv: no\n{preamble}\n%global debug_package %{{nil}}\n\
         %global __os_install_post %{{nil}}\n%description\nkensa test package\n\
         %install\n{install}\n%files\n{files}\n",
        name = spec.name,
        preamble = spec.preamble,
        install = spec.install,
        files = spec.files,
    );
    let spec_path = top.join(format!("{}.spec", spec.name));
    fs::write(&spec_path, text).unwrap();
    let mut cmd = Command::new("rpmbuild");
    cmd.arg("-bb")
        .arg("--define")
        .arg(format!("_topdir {}", top.display()));
    if let Some(a) = spec.algorithm {
        cmd.arg("--define")
            .arg(format!("_binary_filedigest_algorithm {a}"));
    }
    run(cmd.arg(&spec_path));
    let rpms = top.join("RPMS");
    let mut found = None;
    for arch in fs::read_dir(&rpms).unwrap() {
        for f in fs::read_dir(arch.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(&format!("{}-1.0", spec.name)) {
                found = Some(p);
            }
        }
    }
    found.unwrap_or_else(|| panic!("no rpm built for {}", spec.name))
}

/// The built packages and the root they were installed in.
struct Fixture {
    _dir: tempfile::TempDir,
    /// The installed root (SQLite database at `var/lib/rpm/rpmdb.sqlite`).
    root: PathBuf,
    /// A package built but not installed (for the write-ahead log test).
    extra: PathBuf,
    /// The machine's rpm architecture.
    arch: String,
    /// Scratch space.
    scratch: PathBuf,
}

fn rpm_in(root: &Path) -> Command {
    let mut cmd = Command::new("rpm");
    cmd.arg("--root")
        .arg(root)
        .arg("--dbpath")
        .arg("/var/lib/rpm")
        .arg("--define")
        .arg("_db_backend sqlite");
    cmd
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path().join("build");
    fs::create_dir_all(&top).unwrap();
    let demo = Spec {
        name: "kensa-demo",
        algorithm: None,
        preamble: "",
        install: "mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/kensa-demo.d \
                  %{buildroot}/usr/share/doc/kensa-demo %{buildroot}/var/log\n\
                  cp /bin/true %{buildroot}/usr/bin/kensa-demo\n\
                  ln -s kensa-demo %{buildroot}/usr/bin/kensa-demo-link\n\
                  echo 'setting = 1' > %{buildroot}/etc/kensa-demo.conf\n\
                  echo 'optional = 1' > %{buildroot}/etc/kensa-demo.d/optional.conf\n\
                  echo 'read me' > %{buildroot}/usr/share/doc/kensa-demo/README\n\
                  touch %{buildroot}/var/log/kensa-demo.log"
            .into(),
        files: "/usr/bin/kensa-demo\n/usr/bin/kensa-demo-link\n\
                %config(noreplace) /etc/kensa-demo.conf\n\
                %dir /etc/kensa-demo.d\n\
                %config(missingok) /etc/kensa-demo.d/optional.conf\n\
                %doc /usr/share/doc/kensa-demo/README\n\
                %ghost /var/log/kensa-demo.log"
            .into(),
    };
    let tools = Spec {
        name: "kensa-tools",
        algorithm: Some(10),
        preamble: "Prefix: /opt/kensa-tools",
        install: "mkdir -p %{buildroot}/opt/kensa-tools/bin %{buildroot}/opt/kensa-tools/share\n\
                  printf '#!/bin/sh\\necho tool\\n' > %{buildroot}/opt/kensa-tools/bin/kensa-tool\n\
                  chmod 755 %{buildroot}/opt/kensa-tools/bin/kensa-tool\n\
                  echo data > %{buildroot}/opt/kensa-tools/share/data.txt"
            .into(),
        files: "/opt/kensa-tools".into(),
    };
    let legacy = Spec {
        name: "kensa-legacy",
        algorithm: Some(1),
        preamble: "",
        install: "mkdir -p %{buildroot}/usr/sbin %{buildroot}/etc\n\
                  printf '#!/bin/sh\\necho legacy\\n' > %{buildroot}/usr/sbin/kensa-legacy\n\
                  chmod 755 %{buildroot}/usr/sbin/kensa-legacy\n\
                  echo 'legacy = 1' > %{buildroot}/etc/kensa-legacy.conf"
            .into(),
        files: "/usr/sbin/kensa-legacy\n%config /etc/kensa-legacy.conf".into(),
    };
    let big = Spec {
        name: "kensa-big",
        algorithm: Some(2),
        preamble: "",
        install: "for d in $(seq 0 19); do mkdir -p %{buildroot}/usr/share/kensa-big/d$d; \
                  for f in $(seq 0 19); do \
                  echo \"$d $f\" > %{buildroot}/usr/share/kensa-big/d$d/a-rather-long-file-name-$f.txt; \
                  done; done"
            .into(),
        files: "/usr/share/kensa-big".into(),
    };
    let extra = Spec {
        name: "kensa-extra",
        algorithm: None,
        preamble: "",
        install: "mkdir -p %{buildroot}/usr/bin\n\
                  printf '#!/bin/sh\\n' > %{buildroot}/usr/bin/kensa-extra\n\
                  chmod 755 %{buildroot}/usr/bin/kensa-extra"
            .into(),
        files: "/usr/bin/kensa-extra".into(),
    };
    let built: Vec<PathBuf> = [&demo, &tools, &legacy, &big]
        .iter()
        .map(|s| build(&top, s))
        .collect();
    let extra = build(&top, &extra);
    let root = dir.path().join("root");
    fs::create_dir_all(&root).unwrap();
    let [demo_rpm, tools_rpm, legacy_rpm, big_rpm] = &built[..] else {
        unreachable!()
    };
    run(rpm_in(&root)
        .args(["-i", "--nodeps", "--noscripts", "--nosignature"])
        .args([demo_rpm, legacy_rpm, big_rpm]));
    run(rpm_in(&root)
        .args(["-i", "--nodeps", "--noscripts", "--nosignature"])
        .args(["--relocate", "/opt/kensa-tools=/srv/kt"])
        .arg(tools_rpm));
    let arch = run(Command::new("rpm").args(["--eval", "%{_arch}"]))
        .trim()
        .to_string();
    let scratch = dir.path().join("scratch");
    fs::create_dir_all(&scratch).unwrap();
    Fixture {
        _dir: dir,
        root,
        extra,
        arch,
        scratch,
    }
}

/// A copy of `from` at `to` (`cp -a`: links, modes and times kept).
fn copy_root(from: &Path, to: &Path) {
    run(Command::new("cp").arg("-a").arg(from).arg(to));
}

/// The header blobs of the SQLite database of `root`, by package number.
fn blobs(root: &Path) -> Vec<(u32, Vec<u8>)> {
    let path = root.join("var/lib/rpm/rpmdb.sqlite");
    let uri = format!("file:{}?mode=ro&immutable=1", path.display());
    let db = rusqlite::Connection::open_with_flags(
        uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    let mut q = db
        .prepare("SELECT hnum, blob FROM Packages ORDER BY hnum")
        .unwrap();
    q.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Replaces the SQLite database of `root` with a Berkeley DB `Packages` written by
/// `db5.3_load` (`options`: its `-c` settings), and checks rpm itself reads it back when
/// rpm's read-only backend can (`rpm_reads`).
fn to_berkeley_db(root: &Path, blobs: &[(u32, Vec<u8>)], options: &[&str], rpm_reads: bool) {
    let big_endian = options.contains(&"db_lorder=4321");
    let key = |n: u32| {
        if big_endian {
            n.to_be_bytes()
        } else {
            n.to_le_bytes()
        }
    };
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let mut input = String::from("VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n");
    // rpm's counter record: key 0, the next package number.
    let next = blobs.iter().map(|b| b.0).max().unwrap_or(0) + 1;
    input.push_str(&format!(" {}\n {}\n", hex(&key(0)), hex(&key(next))));
    for (n, blob) in blobs {
        input.push_str(&format!(" {}\n {}\n", hex(&key(*n)), hex(blob)));
    }
    input.push_str("DATA=END\n");
    let dbdir = root.join("var/lib/rpm");
    for f in fs::read_dir(&dbdir).unwrap() {
        fs::remove_file(f.unwrap().path()).unwrap();
    }
    let load = dbdir.join("load.txt");
    fs::write(&load, input).unwrap();
    let mut cmd = Command::new("db5.3_load");
    cmd.args(["-t", "hash"]);
    for o in options {
        cmd.args(["-c", o]);
    }
    run(cmd.arg("-f").arg(&load).arg(dbdir.join("Packages")));
    fs::remove_file(&load).unwrap();
    if rpm_reads {
        let listed = run(Command::new("rpm")
            .args(["--define", "_db_backend bdb_ro", "--dbpath"])
            .arg(&dbdir)
            .args(["-qa", "--qf", "%{NAME}\n"]));
        let mut names: Vec<&str> = listed.lines().collect();
        names.sort_unstable();
        assert_eq!(
            names,
            ["kensa-big", "kensa-demo", "kensa-legacy", "kensa-tools"],
            "rpm's own reader of {options:?}"
        );
    }
}

/// Adler-32, for the ndb blobs.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// Replaces the SQLite database of `root` with an ndb `Packages.db` in
/// `usr/lib/sysimage/rpm` (openSUSE's place, `var/lib/rpm` a link to it), laid out as
/// rpm's `lib/backend/ndb/rpmpkg.c` writes one: a header and 16-byte slots in 4 KiB slot
/// pages (two here, with a free slot between used ones), then each blob as a 16-byte
/// head, the header, zero padding to 16 bytes and a tail with its Adler-32.
fn to_ndb(root: &Path, blobs: &[(u32, Vec<u8>)]) {
    let slot_pages = 2usize;
    let mut out = vec![0u8; slot_pages * 4096];
    out[0..4].copy_from_slice(b"RpmP");
    out[8..12].copy_from_slice(&3u32.to_le_bytes());
    out[12..16].copy_from_slice(&(slot_pages as u32).to_le_bytes());
    let next = blobs.iter().map(|b| b.0).max().unwrap_or(0) + 1;
    out[16..20].copy_from_slice(&next.to_le_bytes());
    for at in (32..out.len()).step_by(16) {
        out[at..at + 4].copy_from_slice(b"Slot");
    }
    for (i, (n, blob)) in blobs.iter().enumerate() {
        let offset = out.len() / 16;
        let count = (16 + blob.len() + 12).div_ceil(16);
        let mut b = Vec::new();
        b.extend_from_slice(b"BlbS");
        b.extend_from_slice(&n.to_le_bytes());
        b.extend_from_slice(&1_700_000_000u32.to_le_bytes());
        b.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        b.extend_from_slice(blob);
        b.resize(count * 16 - 12, 0);
        let sum = adler32(&b);
        b.extend_from_slice(&sum.to_le_bytes());
        b.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        b.extend_from_slice(b"BlbE");
        out.extend_from_slice(&b);
        // Slots 2, 4, 6…: every other slot is free.
        let slot = 32 + 16 + i * 32;
        out[slot + 4..slot + 8].copy_from_slice(&n.to_le_bytes());
        out[slot + 8..slot + 12].copy_from_slice(&(offset as u32).to_le_bytes());
        out[slot + 12..slot + 16].copy_from_slice(&(count as u32).to_le_bytes());
    }
    fs::remove_dir_all(root.join("var/lib/rpm")).unwrap();
    let sysimage = root.join("usr/lib/sysimage/rpm");
    fs::create_dir_all(&sysimage).unwrap();
    fs::write(sysimage.join("Packages.db"), out).unwrap();
    std::os::unix::fs::symlink("../../usr/lib/sysimage/rpm", root.join("var/lib/rpm")).unwrap();
}

fn write(root: &Path, rel: &str, data: &[u8], mode: u32) {
    let path = root.join(rel);
    let _ = fs::remove_file(&path);
    fs::write(&path, data).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
}

/// What an intruder (and a tidy administrator) did to the installed root.
fn tamper(root: &Path) {
    write(
        root,
        "usr/bin/kensa-demo",
        b"\x7fELF trojan /dev/ptyr",
        0o755,
    );
    fs::remove_file(root.join("usr/bin/kensa-demo-link")).unwrap();
    std::os::unix::fs::symlink("/tmp/.x/sh", root.join("usr/bin/kensa-demo-link")).unwrap();
    write(root, "etc/kensa-demo.conf", b"setting = 2\n", 0o644);
    fs::remove_file(root.join("usr/share/doc/kensa-demo/README")).unwrap();
    fs::remove_file(root.join("etc/kensa-demo.d/optional.conf")).unwrap();
    write(
        root,
        "srv/kt/bin/kensa-tool",
        b"#!/bin/sh\nnc -l 31337\n",
        0o755,
    );
    write(
        root,
        "usr/sbin/kensa-legacy",
        b"#!/bin/sh\nrm -rf /var/log\n",
        0o755,
    );
    write(
        root,
        "usr/share/kensa-big/d7/a-rather-long-file-name-3.txt",
        b"x",
        0o644,
    );
    write(root, "usr/bin/dropped", b"\x7fELF sniffer", 0o755);
}

/// IN findings and rpm database diagnostics of an audit of `root`.
fn audit(root: &Path) -> (Vec<Finding>, Vec<kensa_core::Diagnostic>) {
    let (findings, diagnostics) =
        kensa_host::audit_selected(&kensa_testkit::root_at(root), "rpmhost", &|code| {
            code.starts_with("IN")
        });
    for d in &diagnostics {
        println!("diagnostic: {d}");
    }
    (findings, diagnostics)
}

fn paths(findings: &[Finding], code: &str) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| f.code == code)
        .flat_map(|f| f.evidence.iter().map(|e| e.file.clone()))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The root as installed is clean; tampered, it gives exactly the expected findings.
fn check_clean_then_tampered(fx: &Fixture, root: &Path, what: &str) -> Vec<Finding> {
    let (findings, diagnostics) = audit(root);
    assert!(findings.is_empty(), "{what}, as installed: {findings:#?}");
    let bad: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?}");
    tamper(root);
    let (findings, _) = audit(root);
    assert_eq!(
        paths(&findings, "IN001"),
        set(&[
            "srv/kt/bin/kensa-tool",
            "usr/bin/kensa-demo",
            "usr/bin/kensa-demo-link",
            "usr/sbin/kensa-legacy",
            "usr/share/kensa-big/d7/a-rather-long-file-name-3.txt",
        ]),
        "{what}: {findings:#?}"
    );
    assert_eq!(
        paths(&findings, "IN002"),
        set(&["etc/kensa-demo.conf"]),
        "{what}"
    );
    assert_eq!(
        paths(&findings, "IN003"),
        set(&["usr/share/doc/kensa-demo/README"]),
        "{what}"
    );
    assert_eq!(
        paths(&findings, "IN004"),
        set(&["usr/bin/dropped"]),
        "{what}"
    );
    let arch = &fx.arch;
    let demo = findings
        .iter()
        .find(|f| f.subject.path.as_deref() == Some("usr/bin/kensa-demo"))
        .unwrap();
    assert_eq!(demo.severity, Severity::Critical);
    assert!(
        demo.title
            .contains(&format!("package kensa-demo-1.0-1.{arch}")),
        "{}",
        demo.title
    );
    assert!(
        demo.title_ja.contains("kensa-demo-1.0-1"),
        "{}",
        demo.title_ja
    );
    let evidence = |path: &str| {
        findings
            .iter()
            .find(|f| f.subject.path.as_deref() == Some(path))
            .map(|f| f.evidence[0].text.clone())
            .unwrap()
    };
    // Each package's own algorithm: SHA-512, MD5, SHA-1; the link by its target.
    assert!(evidence("srv/kt/bin/kensa-tool").starts_with("SHA-512 "));
    assert!(evidence("usr/sbin/kensa-legacy").starts_with("MD5 "));
    assert!(evidence("usr/share/kensa-big/d7/a-rather-long-file-name-3.txt").starts_with("SHA-1 "));
    assert!(
        evidence("usr/bin/kensa-demo-link")
            .starts_with("a link to /tmp/.x/sh (package kensa-demo-1.0-1"),
        "{}",
        evidence("usr/bin/kensa-demo-link")
    );
    findings
}

#[test]
fn sqlite_root_verifies_as_rpm_v_does() {
    if !tools(false) {
        return;
    }
    let fx = fixture();
    let root = fx.scratch.join("sqlite");
    copy_root(&fx.root, &root);
    let findings = check_clean_then_tampered(&fx, &root, "SQLite");
    // rpm's own verification of the same root names the same files: digest (5), link
    // target (L) or missing; ghosts and missingok files it skips too.
    let out = rpm_in(&root).arg("-Va").output().unwrap();
    let mut rpm_says = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let flags = line.split_whitespace().next().unwrap_or("");
        if flags == "missing" || flags.contains('5') || flags.contains('L') {
            let path = line.rsplit(' ').next().unwrap().trim_start_matches('/');
            rpm_says.insert(path.to_string());
        }
    }
    let ours: BTreeSet<String> = ["IN001", "IN002", "IN003"]
        .iter()
        .flat_map(|c| paths(&findings, c))
        .collect();
    assert_eq!(
        ours,
        rpm_says,
        "rpm -Va:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn berkeley_db_roots_in_both_byte_orders_verify_the_same() {
    if !tools(true) {
        return;
    }
    let fx = fixture();
    let blobs = blobs(&fx.root);
    assert!(
        blobs.iter().any(|(_, b)| b.len() > 8 * 4096),
        "kensa-big's header should span many pages"
    );
    for (name, options, rpm_reads) in [
        ("bdb-le", &["db_pagesize=4096"][..], true),
        ("bdb-be", &["db_pagesize=4096", "db_lorder=4321"][..], true),
        // Large pages keep the small headers on the page itself (no overflow); page
        // checksums move every item (rpm's bdb_ro does not read those).
        (
            "bdb-64k-checksums",
            &["db_pagesize=65536", "chksum=1"][..],
            false,
        ),
        (
            "bdb-be-512",
            &["db_pagesize=512", "db_lorder=4321"][..],
            true,
        ),
    ] {
        let root = fx.scratch.join(name);
        copy_root(&fx.root, &root);
        to_berkeley_db(&root, &blobs, options, rpm_reads);
        check_clean_then_tampered(&fx, &root, name);
    }
}

#[test]
fn ndb_root_verifies_the_same() {
    if !tools(false) {
        return;
    }
    let fx = fixture();
    let blobs = blobs(&fx.root);
    let root = fx.scratch.join("ndb");
    copy_root(&fx.root, &root);
    to_ndb(&root, &blobs);
    check_clean_then_tampered(&fx, &root, "ndb");
}

#[test]
fn a_transaction_only_in_the_write_ahead_log_is_verified_and_a_stale_database_noted() {
    if !tools(false) {
        return;
    }
    let fx = fixture();
    // kensa-extra's header, from a root it was installed in.
    let other = fx.scratch.join("other");
    fs::create_dir_all(&other).unwrap();
    run(rpm_in(&other)
        .args(["-i", "--nodeps", "--noscripts", "--nosignature"])
        .arg(&fx.extra));
    let extra = blobs(&other).pop().unwrap().1;
    let root = fx.scratch.join("wal");
    copy_root(&fx.root, &root);
    // A connection that commits without checkpointing: the new package is only in
    // rpmdb.sqlite-wal (as after a crash, or an image taken during an install).
    let db = rusqlite::Connection::open(root.join("var/lib/rpm/rpmdb.sqlite")).unwrap();
    db.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let mode: String = db
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    db.execute("INSERT INTO Packages (blob) VALUES (?1)", [&extra])
        .unwrap();
    let wal = root.join("var/lib/rpm/rpmdb.sqlite-wal");
    assert!(fs::metadata(&wal).unwrap().len() > 0);
    // Its program is not on disk: the package is only in the log.
    let (findings, diagnostics) = audit(&root);
    assert_eq!(
        paths(&findings, "IN003"),
        set(&["usr/bin/kensa-extra"]),
        "{findings:#?}"
    );
    assert!(findings[0].title.contains("kensa-extra-1.0-1"));
    assert!(
        diagnostics
            .iter()
            .any(|d| d.level == DiagnosticLevel::Note && d.message.contains("write-ahead log")),
        "{diagnostics:?}"
    );
    drop(db);
    // A Berkeley DB Packages left from before a conversion, older: noted, not read.
    let old = fx.scratch.join("converted");
    copy_root(&fx.root, &old);
    let bdb = old.join("var/lib/rpm/Packages");
    fs::write(&bdb, b"old Berkeley DB").unwrap();
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400 * 400);
    fs::File::options()
        .write(true)
        .open(&bdb)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let (findings, diagnostics) = audit(&old);
    assert!(findings.is_empty(), "{findings:#?}");
    let notes: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.file == "var/lib/rpm/Packages")
        .collect();
    assert_eq!(notes.len(), 1, "{diagnostics:?}");
    assert_eq!(notes[0].level, DiagnosticLevel::Note);
}

/// A deterministic byte stream for mutations.
fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

#[test]
fn damaged_databases_of_every_format_give_diagnostics_never_a_panic() {
    if !tools(true) {
        return;
    }
    let fx = fixture();
    let blobs = blobs(&fx.root);
    let mut formats: Vec<(&str, Vec<u8>)> = Vec::new();
    formats.push((
        "var/lib/rpm/rpmdb.sqlite",
        fs::read(fx.root.join("var/lib/rpm/rpmdb.sqlite")).unwrap(),
    ));
    let bdb = fx.scratch.join("bdb");
    copy_root(&fx.root, &bdb);
    to_berkeley_db(&bdb, &blobs, &["db_pagesize=4096"], false);
    formats.push((
        "var/lib/rpm/Packages",
        fs::read(bdb.join("var/lib/rpm/Packages")).unwrap(),
    ));
    let ndb = fx.scratch.join("ndb");
    copy_root(&fx.root, &ndb);
    to_ndb(&ndb, &blobs);
    formats.push((
        "usr/lib/sysimage/rpm/Packages.db",
        fs::read(ndb.join("usr/lib/sysimage/rpm/Packages.db")).unwrap(),
    ));
    let mut seed = 7u64;
    for (rel, good) in &formats {
        let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
        for cut in [
            0,
            1,
            16,
            100,
            512,
            4096,
            good.len() / 3,
            good.len() / 2,
            good.len() - 1,
        ] {
            variants.push((
                format!("cut at {cut}"),
                good[..cut.min(good.len())].to_vec(),
            ));
        }
        for round in 0..40 {
            let mut bad = good.clone();
            for _ in 0..1 + round % 8 {
                let at = lcg(&mut seed) as usize % bad.len();
                bad[at] = lcg(&mut seed) as u8;
            }
            variants.push((format!("mutation {round}"), bad));
        }
        variants.push((
            "garbage".into(),
            (0..70_000).map(|_| lcg(&mut seed) as u8).collect(),
        ));
        for (what, bytes) in variants {
            let root = fx.scratch.join("hostile");
            let _ = fs::remove_dir_all(&root);
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &bytes).unwrap();
            let (_, diagnostics) =
                kensa_host::audit_selected(&kensa_testkit::root_at(&root), "h", &|code| {
                    code.starts_with("IN")
                });
            for d in &diagnostics {
                println!("{what}: {d}");
            }
            if what == "garbage" || what.starts_with("cut at") && bytes.len() < 100 {
                assert!(
                    diagnostics
                        .iter()
                        .any(|d| d.file == *rel && d.level == DiagnosticLevel::Error),
                    "{rel} {what}: {diagnostics:?}"
                );
            }
        }
    }
}
