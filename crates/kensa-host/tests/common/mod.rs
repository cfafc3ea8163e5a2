//! Building test roots: files with real modes and owners (tests run as root, as CI does).
#![allow(dead_code)]
// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Diagnostic, Finding};
use std::fs;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};

/// A host root in a temporary directory.
pub struct TestRoot {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestRoot {
    pub fn new() -> TestRoot {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("root");
        fs::create_dir(&path).unwrap();
        TestRoot { _dir: dir, path }
    }

    /// The directory holding the root (for files "outside" it).
    pub fn outside(&self) -> &Path {
        self._dir.path()
    }

    /// Writes `rel` with `mode`, owned by `uid:gid`.
    pub fn file(&self, rel: &str, content: &[u8], mode: u32, uid: u32, gid: u32) -> &Self {
        let path = self.path.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        chown(&path, Some(uid), Some(gid)).unwrap();
        self
    }

    /// Writes a root-owned 0644 file.
    pub fn text(&self, rel: &str, content: &str) -> &Self {
        self.file(rel, content.as_bytes(), 0o644, 0, 0)
    }

    pub fn dir(&self, rel: &str, mode: u32, uid: u32, gid: u32) -> &Self {
        let path = self.path.join(rel);
        fs::create_dir_all(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        chown(&path, Some(uid), Some(gid)).unwrap();
        self
    }

    pub fn link(&self, rel: &str, target: &str) -> &Self {
        let path = self.path.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &path).unwrap();
        self
    }

    pub fn audit(&self) -> (Vec<Finding>, Vec<Diagnostic>) {
        kensa_host::audit(&kensa_testkit::root_at(&self.path), "testhost")
    }
}

/// Findings of one code.
pub fn of<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

/// A Debian-like passwd and group with shadow, no holes.
pub const GOOD_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\n\
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n\
sato:x:1000:1000:Sato:/home/sato:/bin/bash\n\
tanaka:x:1001:1001:Tanaka:/home/tanaka:/bin/bash\n";
pub const GOOD_SHADOW: &str = "root:$y$j9T$abcdefghijklmnop$0123456789abcdefghijklmnopqrstuvwxyzABCDE:19000:0:99999:7:::\n\
daemon:*:19000:0:99999:7:::\n\
sato:$6$saltsalt$hashhashhashhash:19000:0:99999:7:::\n\
tanaka:!$y$j9T$abc$def:19000:0:99999:7:::\n";
pub const GOOD_GROUP: &str = "root:x:0:\nshadow:x:42:\nsato:x:1000:\ntanaka:x:1001:\n";

/// A root with the good account files (shadow 0640 root:shadow as on Debian).
pub fn good_root() -> TestRoot {
    let root = TestRoot::new();
    root.text("etc/passwd", GOOD_PASSWD)
        .text("etc/group", GOOD_GROUP)
        .file("etc/shadow", GOOD_SHADOW.as_bytes(), 0o640, 0, 42)
        .dir("root", 0o700, 0, 0)
        .dir("home/sato", 0o755, 1000, 1000)
        .dir("home/tanaka", 0o755, 1001, 1001);
    root
}
