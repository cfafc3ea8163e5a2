//! The audit never leaves the root and never changes it.
//!
//! - A trap root whose account, trust and alias files and home directories are links
//!   out of the root (absolute, `../..`, to the analyst's real `/etc/shadow`, loops):
//!   the outside files hold a marker that must appear nowhere in the findings or
//!   diagnostics.
//! - A root hashed entry by entry (names, kinds, modes, owners, sizes, contents, link
//!   targets, mtimes, ctimes, and atimes of everything but links) before and after the
//!   audit: equal.
//!
//! Linux only: the snapshot reads with `O_NOATIME` so as not to disturb what it records.
#![cfg(target_os = "linux")]
// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;
use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

const MARKER: &str = "KENSA-OUTSIDE-MARKER-5e1d9c";

fn plant_outside(dir: &Path) {
    let bait = format!(
        "{MARKER}:abcdefghijklm:0:0:{MARKER}:/:/bin/sh\n+ +\n{MARKER}::0:0:::\n\
         decode: \"|/usr/bin/uudecode {MARKER}\"\n+::0:0:::\n"
    );
    fs::write(dir.join("outside-marker"), &bait).unwrap();
    fs::create_dir_all(dir.join("outside-home")).unwrap();
    fs::write(dir.join("outside-home/.rhosts"), &bait).unwrap();
    fs::write(dir.join("outside-home/.shosts"), &bait).unwrap();
}

fn assert_clean(findings: &[kensa_core::Finding], diags: &[kensa_core::Diagnostic]) {
    let all = format!("{findings:?}\n{diags:?}");
    let hex: String = MARKER.bytes().map(|b| format!("{b:02x}")).collect();
    assert!(!all.contains(MARKER), "the marker leaked:\n{all}");
    assert!(!all.contains(&hex), "the marker leaked in hex:\n{all}");
}

#[test]
fn links_out_of_the_root_are_never_followed() {
    let root = TestRoot::new();
    let outside = root.outside().to_path_buf();
    plant_outside(&outside);
    let abs_outside = outside.join("outside-marker");
    let abs_outside = abs_outside.to_str().unwrap();
    let abs_home = outside.join("outside-home");
    let abs_home = abs_home.to_str().unwrap();
    root.text(
        "etc/passwd",
        "root:x:0:0::/root:/bin/sh\n\
         a:x:1:1::/home/abs:/bin/sh\nb:x:2:2::/home/up:/bin/sh\nc:x:3:3::/home/loop:/bin/sh\n\
         d:x:4:4::../../outside-home:/bin/sh\ne:x:5:5::/home/dotdot/outside-home:/bin/sh\n",
    )
    .link("etc/shadow", "../../../../outside-marker")
    .link("etc/master.passwd", "/etc/shadow")
    .link("etc/security/passwd", abs_outside)
    .link("etc/group", "/../outside-marker")
    .link("etc/hosts.equiv", "../outside-marker")
    .link("etc/shosts.equiv", "/outside-marker")
    .link("etc/aliases", abs_outside)
    .link("etc/mail/aliases", "aliases")
    .link("usr/lib/aliases", "/usr/lib/aliases")
    .link("home/abs", abs_home)
    .link("home/up", "../../../outside-home")
    .link("home/loop", "loop")
    .link("home/dotdot", "..")
    .link("root", abs_home)
    .link(".rhosts", abs_outside)
    .link(".shosts", "../outside-marker");
    let (findings, diags) = root.audit();
    for d in &diags {
        println!("{d}");
    }
    assert_clean(&findings, &diags);
    // The links themselves are seen and judged (TR002), and the loop is a diagnostic
    // or nothing — never a hang.
    assert!(
        findings
            .iter()
            .any(|f| f.code == "TR002" && f.subject.path.as_deref() == Some(".rhosts")),
        "{findings:#?}"
    );

    // A root whose passwd itself is the analyst's /etc/passwd by absolute link: inside
    // the image that is its own etc/passwd, i.e. the link itself — a loop, not the host's.
    let second = TestRoot::new();
    plant_outside(second.outside());
    second
        .link("etc/passwd", "/etc/passwd")
        .link("etc/shadow", "/etc/shadow");
    let (findings, diags) = second.audit();
    assert_clean(&findings, &diags);
    assert!(
        findings.iter().all(|f| !f.code.starts_with("AC")),
        "{findings:#?}"
    );
    assert!(diags.iter().any(|d| d.file == "etc/passwd"), "{diags:?}");
}

/// Opens without touching the access time (we are root and own the files), so that
/// taking the snapshot does not itself change what it records.
fn open_noatime(path: &Path, dir: bool) -> rustix::fd::OwnedFd {
    use rustix::fs::{Mode, OFlags};
    let mut flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NOATIME | OFlags::CLOEXEC;
    if dir {
        flags |= OFlags::DIRECTORY;
    }
    rustix::fs::open(path, flags, Mode::empty()).unwrap()
}

/// Everything about a tree that an audit could change, by relative path.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let mut names: Vec<std::path::PathBuf> = rustix::fs::Dir::new(open_noatime(dir, true))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_bytes().to_vec())
            .filter(|n| n != b"." && n != b"..")
            .map(|n| dir.join(std::ffi::OsString::from(String::from_utf8(n).unwrap())))
            .collect();
        names.sort();
        for path in names {
            let meta = fs::symlink_metadata(&path).unwrap();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let ft = meta.file_type();
            let content = if ft.is_file() {
                let mut data = Vec::new();
                std::io::Read::read_to_end(
                    &mut fs::File::from(open_noatime(&path, false)),
                    &mut data,
                )
                .unwrap();
                format!("{data:?}")
            } else if ft.is_symlink() {
                // readlink updates a link's atime and no flag prevents it: links' atimes
                // are left out. Everything else must be untouched, atimes included.
                format!("-> {:?}", fs::read_link(&path).unwrap())
            } else {
                String::new()
            };
            let atime = if ft.is_symlink() {
                String::new()
            } else {
                format!("{}.{}", meta.atime(), meta.atime_nsec())
            };
            out.insert(
                rel,
                format!(
                    "{:o} {}:{} {} m{}.{} c{}.{} a{atime} {content}",
                    meta.mode(),
                    meta.uid(),
                    meta.gid(),
                    meta.len(),
                    meta.mtime(),
                    meta.mtime_nsec(),
                    meta.ctime(),
                    meta.ctime_nsec(),
                ),
            );
            if ft.is_dir() {
                walk(base, &path, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn the_audit_changes_nothing_under_the_root() {
    let root = good_root();
    root.text(
        "etc/passwd",
        &format!("{GOOD_PASSWD}sync::1:1::/:/bin/sync\n+::0:0:::\n"),
    )
    .file("etc/shadow", GOOD_SHADOW.as_bytes(), 0o644, 0, 0)
    .text("etc/hosts.equiv", "+\n")
    .file("home/sato/.rhosts", b"+ +\n", 0o666, 1001, 1001)
    .text("etc/aliases", "decode: \"|/usr/bin/uudecode\"\n")
    .link("root/.rhosts", "/home/sato/.rhosts")
    .link("home/loop", "loop")
    .dir("home/ftp/incoming", 0o1777, 0, 0);
    // Old times, so that a relatime atime update would show.
    for entry in [
        "etc/passwd",
        "etc/shadow",
        "etc/hosts.equiv",
        "home/sato/.rhosts",
        "etc",
        "home/sato",
    ] {
        let path = root.path.join(entry);
        let file = fs::File::open(&path).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(852_076_800);
        file.set_times(fs::FileTimes::new().set_accessed(old).set_modified(old))
            .unwrap();
    }
    let before = snapshot(&root.path);
    let (findings, _) = root.audit();
    assert!(findings.len() >= 6, "{findings:#?}"); // the audit did read the files
    let after = snapshot(&root.path);
    assert_eq!(before, after);
}
