//! The confined root: links resolve inside it, nothing outside is reached, odd files are
//! refused without blocking.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_host::{FileKind, Root};
use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::symlink;

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir_all(root.join("etc")).unwrap();
    fs::create_dir_all(root.join("home/a")).unwrap();
    fs::write(root.join("etc/passwd"), b"inside\n").unwrap();
    fs::write(dir.path().join("outside"), b"OUTSIDE-MARKER\n").unwrap();
    (dir, root)
}

#[test]
fn absolute_links_resolve_inside_the_root() {
    let (_dir, root_path) = setup();
    symlink("/etc/passwd", root_path.join("home/a/abs")).unwrap();
    let root = Root::open(&root_path).unwrap();
    assert_eq!(root.read("home/a/abs", 100).unwrap(), b"inside\n");
    assert_eq!(root.resolve("home/a/abs").unwrap(), "etc/passwd");
    assert_eq!(root.lstat("home/a/abs").unwrap().kind, FileKind::Symlink);
    assert_eq!(root.stat("home/a/abs").unwrap().kind, FileKind::File);
    assert_eq!(
        root.read_link("home/a/abs").unwrap().to_str(),
        Some("/etc/passwd")
    );
}

#[test]
fn dotdot_stops_at_the_root() {
    let (_dir, root_path) = setup();
    symlink("../../../outside", root_path.join("home/a/up")).unwrap();
    symlink("../../../etc/passwd", root_path.join("home/a/up2")).unwrap();
    let root = Root::open(&root_path).unwrap();
    let err = root.read("home/a/up", 100).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(root.read("home/a/up2", 100).unwrap(), b"inside\n");
    assert_eq!(
        root.read("../outside", 100).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        root.read("/../../outside", 100).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(root.resolve("home/a/up").unwrap(), "outside");
}

#[test]
fn a_directory_link_to_outside_is_not_entered() {
    let (dir, root_path) = setup();
    // An absolute link naming the real location of the outside file's directory.
    symlink(dir.path(), root_path.join("home/b")).unwrap();
    let root = Root::open(&root_path).unwrap();
    assert!(root.read("home/b/outside", 100).is_err());
    assert!(root.read_dir("home/b").is_err());
}

#[test]
fn loops_end() {
    let (_dir, root_path) = setup();
    symlink("loop2", root_path.join("etc/loop1")).unwrap();
    symlink("/etc/loop1", root_path.join("etc/loop2")).unwrap();
    symlink("self/x", root_path.join("etc/self")).unwrap();
    let root = Root::open(&root_path).unwrap();
    for path in ["etc/loop1", "etc/self", "etc/self/y"] {
        let err = root.read(path, 100).unwrap_err();
        assert_eq!(
            err.raw_os_error(),
            Some(rustix::io::Errno::LOOP.raw_os_error()),
            "{path}: {err}"
        );
    }
    assert_eq!(root.lstat("etc/loop1").unwrap().kind, FileKind::Symlink);
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let (_dir, root_path) = setup();
    let fifo = root_path.join("etc/fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    symlink("/dev/zero", root_path.join("etc/zero")).unwrap();
    let root = Root::open(&root_path).unwrap();
    assert_eq!(root.lstat("etc/fifo").unwrap().kind, FileKind::Fifo);
    assert!(root.read("etc/fifo", 100).is_err());
    // /dev/zero inside the root does not exist: the link does not reach the real one.
    assert_eq!(
        root.read("etc/zero", 100).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(root.read("etc", 100).is_err());
}

#[test]
fn limits_are_explicit() {
    let (_dir, root_path) = setup();
    let root = Root::open(&root_path).unwrap();
    assert_eq!(
        root.read("etc/passwd", 3).unwrap_err().kind(),
        ErrorKind::FileTooLarge
    );
    assert_eq!(
        root.read_prefix("etc/passwd", 3).unwrap(),
        (b"ins".to_vec(), true)
    );
    assert_eq!(
        root.read_prefix("etc/passwd", 7).unwrap(),
        (b"inside\n".to_vec(), false)
    );
    assert_eq!(root.read("etc/passwd", 7).unwrap(), b"inside\n");
}

#[test]
fn read_dir_lists_sorted_lstat_entries() {
    let (_dir, root_path) = setup();
    symlink("/etc", root_path.join("home/a/z-link")).unwrap();
    fs::write(root_path.join("home/a/b"), b"x").unwrap();
    let root = Root::open(&root_path).unwrap();
    let entries = root.read_dir("home/a").unwrap();
    let names: Vec<_> = entries
        .iter()
        .map(|e| e.name.to_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["b", "z-link"]);
    assert_eq!(entries[1].meta.kind, FileKind::Symlink);
    assert_eq!(root.read_dir("/").unwrap().len(), 2); // etc, home
    assert_eq!(root.read_dir("home/a/z-link").unwrap()[0].name, "passwd");
}

#[test]
fn metadata_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, root_path) = setup();
    fs::set_permissions(
        root_path.join("etc/passwd"),
        fs::Permissions::from_mode(0o4751),
    )
    .unwrap();
    let root = Root::open(&root_path).unwrap();
    let meta = root.stat("etc/passwd").unwrap();
    assert_eq!(meta.mode, 0o4751);
    assert_eq!(meta.len, 7);
    assert_eq!(meta.nlink, 1);
    assert!(meta.mtime.is_some());
}

/// `O_NOATIME` is Linux's; elsewhere reads may touch access times.
#[cfg(target_os = "linux")]
#[test]
fn reading_leaves_access_times_alone() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, root_path) = setup();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(852_076_800);
    for rel in ["etc/passwd", "home/a"] {
        let file = fs::File::open(root_path.join(rel)).unwrap();
        file.set_times(fs::FileTimes::new().set_accessed(old).set_modified(old))
            .unwrap();
    }
    let root = Root::open(&root_path).unwrap();
    root.read("etc/passwd", 100).unwrap();
    root.read_dir("home/a").unwrap();
    for rel in ["etc/passwd", "home/a"] {
        assert_eq!(
            fs::metadata(root_path.join(rel)).unwrap().atime(),
            852_076_800,
            "{rel}"
        );
    }
}
