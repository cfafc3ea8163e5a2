//! The integrity (IN) and rootkit (RK) checks on a real Debian system: a `debootstrap
//! --variant=minbase bookworm` root that `.ci/run` builds once and caches at
//! `$KENSA_DEBIAN_ROOT` (default `/var/tmp/kensa-debian-root`).
//!
//! As installed, the root must give no indicator — every packaged file verified, its
//! setuid programs accounted for. A copy of it (hard links: `cp -al`, so seconds and no
//! extra space) with `usr/bin/login` replaced by another program and a setuid copy of
//! `bin/sh` in `tmp/` must give both, and the verdict `compromised`. When the root is
//! absent the tests print why they skip, unless `KENSA_REQUIRE_SHARED` is set (CI),
//! which makes that a failure.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Finding, Outcome, Verdict};
use kensa_host::Root;
use kensa_host::integrity::{State, dpkg, verify};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn debian_root() -> Option<PathBuf> {
    let dir = std::env::var_os("KENSA_DEBIAN_ROOT").map_or_else(
        || PathBuf::from("/var/tmp/kensa-debian-root"),
        PathBuf::from,
    );
    if dir.join("var/lib/dpkg/status").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "KENSA_REQUIRE_SHARED is set but {} holds no Debian root (.ci/run builds it with debootstrap)",
        dir.display()
    );
    println!(
        "skipped: no Debian root at {} (set KENSA_DEBIAN_ROOT)",
        dir.display()
    );
    None
}

fn integrity_findings(root: &Path) -> Vec<Finding> {
    let (findings, diagnostics) = kensa_host::audit(&kensa_testkit::root_at(root), "debian");
    for d in &diagnostics {
        println!("diagnostic: {d}");
    }
    findings
        .into_iter()
        .filter(|f| f.code.starts_with("IN") || f.code.starts_with("RK"))
        .collect()
}

#[test]
fn debootstrap_root_is_clean_and_every_packaged_file_verifies() {
    let Some(dir) = debian_root() else {
        return;
    };
    let root = Root::open(&dir).unwrap();
    let mut diags = Vec::new();
    let db = dpkg::read(&root, &mut diags).expect("a dpkg database");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(db.packages.len() > 50, "{} packages", db.packages.len());
    // The diversion dash makes for /bin/sh is read.
    assert!(
        db.diversions.iter().any(|d| d.from == "bin/sh"),
        "{:?}",
        db.diversions
    );
    let v = verify(&root, &db);
    assert!(v.files > 2000, "{} files hashed", v.files);
    let bad: Vec<_> = db
        .sums
        .iter()
        .zip(&v.states)
        .filter(|(_, s)| !matches!(s, State::Same))
        .map(|(sum, s)| (sum.path.clone(), s.clone()))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");

    let findings = integrity_findings(&dir);
    let indicators: Vec<_> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Indicator)
        .map(|f| (f.code, f.title.clone()))
        .collect();
    assert!(indicators.is_empty(), "{indicators:#?}");
}

#[test]
fn replaced_login_and_setuid_shell_in_a_copy_are_both_found() {
    let Some(dir) = debian_root() else {
        return;
    };
    // The copy sits beside the root: hard links need the same file system.
    let parent = dir.parent().unwrap_or(Path::new("/"));
    let work = tempfile::Builder::new()
        .prefix("kensa-debian-copy")
        .tempdir_in(parent)
        .unwrap();
    let copy = work.path().join("root");
    let status = Command::new("cp")
        .arg("-al")
        .arg(&dir)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cp -al {} {}",
        dir.display(),
        copy.display()
    );
    // Unlink before writing: the original root shares every inode with the copy.
    let login = copy.join("usr/bin/login");
    let other = fs::read(copy.join("usr/bin/true")).unwrap();
    fs::remove_file(&login).unwrap();
    fs::write(&login, &other).unwrap();
    fs::set_permissions(&login, fs::Permissions::from_mode(0o755)).unwrap();
    let shell = fs::read(copy.join("bin/sh")).unwrap();
    let planted = copy.join("tmp/.x");
    fs::write(&planted, &shell).unwrap();
    fs::set_permissions(&planted, fs::Permissions::from_mode(0o4755)).unwrap();

    let findings = integrity_findings(&copy);
    let summary: Vec<_> = findings
        .iter()
        .map(|f| (f.code, f.severity, f.title.clone()))
        .collect();
    let changed = findings
        .iter()
        .find(|f| f.code == "IN001" && f.subject.path.as_deref() == Some("usr/bin/login"));
    let changed = changed.unwrap_or_else(|| panic!("no IN001 for usr/bin/login: {summary:#?}"));
    assert!(changed.title.contains("package login"), "{}", changed.title);
    let setuid = findings
        .iter()
        .find(|f| f.code == "RK006" && f.subject.path.as_deref() == Some("tmp/.x"));
    let setuid = setuid.unwrap_or_else(|| panic!("no RK006 for tmp/.x: {summary:#?}"));
    assert!(
        setuid.title.ends_with("same bytes as usr/bin/dash"),
        "{}",
        setuid.title
    );
    assert_eq!(Verdict::of_findings(&findings), Verdict::Compromised);
    // Nothing else: the rest of the copy is the clean root.
    assert_eq!(findings.len(), 2, "{summary:#?}");
    // The original root was not touched through the shared inodes.
    assert_ne!(fs::read(dir.join("usr/bin/login")).unwrap(), other);
}
