//! Integrity of system files against the package database (family `IN`): the
//! advisory's step 5 asks whether trojan horses were planted; a packaged binary whose
//! bytes are no longer what the package installed is the plainest answer.
//!
//! The dpkg database under the root ([`dpkg`]) is read once per audit and every file it
//! records a digest for is hashed once, in parallel (rayon), streamed through a fixed
//! buffer (memory does not grow with file size), opened through the confined [`Root`]
//! (links inside the root are followed as the host would; none leads out). A file
//! diverted by `dpkg-divert` is looked for where the diversion put it. The results are
//! shared by the rules: [`in001_packaged_file_changed`] (a changed program or library:
//! a trojan until shown otherwise), [`in002_conffile_changed`] (a changed configuration
//! file: normal, listed apart as information), [`in003_packaged_file_missing`] and
//! [`in004_unpackaged_executable`] (a program in a system directory that no package
//! owns).
//!
//! A root with an rpm database and no dpkg one gets a note: rpm's header format is not
//! read yet, so its files are not verified (and kensa says so instead of calling the
//! host clean).

pub mod dpkg;
pub mod in001_packaged_file_changed;
pub mod in002_conffile_changed;
pub mod in003_packaged_file_missing;
pub mod in004_unpackaged_executable;

use crate::{Context, Root};
use dpkg::{Canon, Digest, Dpkg};
use kensa_core::{DiagnosticLevel, Rule};
use md5::Digest as _;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::MetadataExt;
use std::sync::Arc;

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &in001_packaged_file_changed::RULE,
    &in002_conffile_changed::RULE,
    &in003_packaged_file_missing::RULE,
    &in004_unpackaged_executable::RULE,
];

/// The integrity checks, in the order they run (one per rule, in code order).
pub(crate) fn checks() -> Vec<crate::Check> {
    let runs: [(&'static str, crate::CheckFn); 4] = [
        ("packaged-file-changed", in001_packaged_file_changed::check),
        ("conffile-changed", in002_conffile_changed::check),
        ("packaged-file-missing", in003_packaged_file_missing::check),
        ("unpackaged-executable", in004_unpackaged_executable::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| crate::Check { name, rules, run })
        .collect()
}

/// Where rpm keeps its database (sqlite since rpm 4.16, Berkeley DB before).
pub const RPM_DATABASES: [&str; 4] = [
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
];

/// Bytes read at a time while hashing.
const HASH_BUFFER: usize = 256 << 10;

/// Directories whose files are programs or libraries: a change there is a trojan until
/// shown otherwise. Canonical (usr-merged roots resolve `bin` to `usr/bin`).
pub const CODE_DIRS: [&str; 12] = [
    "bin/",
    "sbin/",
    "lib/",
    "lib32/",
    "lib64/",
    "usr/bin/",
    "usr/sbin/",
    "usr/lib/",
    "usr/lib32/",
    "usr/lib64/",
    "usr/libexec/",
    "usr/games/",
];

/// Whether the canonical `path` is in a directory of programs or libraries.
pub fn is_code_path(path: &str) -> bool {
    CODE_DIRS.iter().any(|d| path.starts_with(d))
}

/// Directories of programs only: every file there is run.
pub const PROGRAM_DIRS: [&str; 6] = [
    "bin/",
    "sbin/",
    "usr/bin/",
    "usr/sbin/",
    "usr/games/",
    "usr/libexec/",
];

/// How grave a change to the packaged file at `path` is: a program or library
/// (in a program directory, an ELF object, executable, or a shared library by name) is
/// critical — a trojan until shown otherwise; other files under the library
/// directories (scripts, modules, data) medium; anything else (documentation, data
/// under `usr/share`) low.
pub fn change_severity(path: &str, code: bool) -> kensa_core::Severity {
    use kensa_core::Severity;
    let name = path.rsplit('/').next().unwrap_or(path);
    if PROGRAM_DIRS.iter().any(|d| path.starts_with(d)) || code || name.contains(".so") {
        Severity::Critical
    } else if is_code_path(path) {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// What the audit learnt about the packages, computed once and shared by the rules.
#[derive(Default)]
pub struct Cache {
    dpkg: Option<Option<Arc<Dpkg>>>,
    verification: Option<Option<Arc<Verification>>>,
}

/// The root's dpkg database, read on first use (`None`: the root has none). A root
/// with an rpm database instead gets a note that its files are not verified.
pub fn database(ctx: &mut Context<'_>) -> Option<Arc<Dpkg>> {
    if let Some(db) = &ctx.integrity.dpkg {
        return db.clone();
    }
    let db = dpkg::read(ctx.root, &mut ctx.diagnostics).map(Arc::new);
    if db.is_none() {
        for rel in RPM_DATABASES {
            if ctx.root.lstat(rel).is_ok() {
                ctx.diagnose(
                    DiagnosticLevel::Note,
                    rel,
                    "rpm database present, not verified: kensa reads dpkg databases only, \
                     so changed or trojaned packaged files are not looked for on this root",
                );
                break;
            }
        }
    }
    ctx.integrity.dpkg = Some(db.clone());
    db
}

/// What hashing found for one entry of [`Dpkg::sums`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The file hashes to what the package recorded.
    Same,
    /// The file differs: its digest (same algorithm as the expected one) and what it is.
    Changed {
        /// The digest the file has.
        actual: Digest,
        /// Mode, size and modification time, for the evidence.
        details: String,
        /// Whether the file is a program or library now: an ELF object, or executable.
        code: bool,
    },
    /// The file is not there.
    Missing,
    /// The file is not there, and dpkg was told not to install it (`path-exclude`).
    Excluded,
    /// The file could not be read (or is no longer a regular file).
    Unreadable(String),
}

/// The outcome of hashing every packaged file.
#[derive(Debug)]
pub struct Verification {
    /// One state per entry of [`Dpkg::sums`], same order.
    pub states: Vec<State>,
    /// The path each entry was read at (canonical, after diversions).
    pub read_paths: Vec<String>,
    /// Distinct files hashed.
    pub files: u64,
    /// Bytes hashed.
    pub bytes: u64,
}

/// The verification, computed on first use (`None` without a dpkg database).
pub fn verification(ctx: &mut Context<'_>) -> Option<Arc<Verification>> {
    if let Some(v) = &ctx.integrity.verification {
        return v.clone();
    }
    let v = database(ctx).map(|db| Arc::new(verify(ctx.root, &db)));
    ctx.integrity.verification = Some(v.clone());
    v
}

/// Digests of one file, as many algorithms as its expectations need.
struct Hashed {
    md5: Option<[u8; 16]>,
    sha256: Option<[u8; 32]>,
    len: u64,
    details: String,
    code: bool,
}

/// Hashes every file of `db` once, in parallel, and compares.
pub fn verify(root: &Root, db: &Dpkg) -> Verification {
    let mut canon = Canon::default();
    let mut read_paths = Vec::with_capacity(db.sums.len());
    // Distinct files and the algorithms each needs.
    let mut wanted: HashMap<String, (bool, bool)> = HashMap::new();
    for sum in &db.sums {
        let path = canon.of(root, db.diverted(sum.package, &sum.path));
        let need = wanted.entry(path.clone()).or_default();
        match sum.digest {
            Digest::Md5(_) => need.0 = true,
            Digest::Sha256(_) => need.1 = true,
        }
        read_paths.push(path);
    }
    let mut files: Vec<(String, bool, bool)> =
        wanted.into_iter().map(|(p, (m, s))| (p, m, s)).collect();
    files.sort();
    let hashed: HashMap<&str, Result<Hashed, std::io::Error>> = files
        .par_iter()
        .map(|(path, md5, sha)| (path.as_str(), hash_file(root, path, *md5, *sha)))
        .collect();
    let mut bytes = 0u64;
    let mut count = 0u64;
    for h in hashed.values().flatten() {
        bytes += h.len;
        count += 1;
    }
    let states = db
        .sums
        .iter()
        .zip(&read_paths)
        .map(|(sum, path)| match hashed.get(path.as_str()) {
            Some(Ok(h)) => {
                let actual = match sum.digest {
                    Digest::Md5(_) => h.md5.map(Digest::Md5),
                    Digest::Sha256(_) => h.sha256.map(Digest::Sha256),
                };
                match actual {
                    Some(actual) if actual == sum.digest => State::Same,
                    Some(actual) => State::Changed {
                        actual,
                        details: h.details.clone(),
                        code: h.code,
                    },
                    None => State::Unreadable("not hashed".to_string()),
                }
            }
            Some(Err(err)) if err.kind() == ErrorKind::NotFound => {
                if db.excluded(&sum.path) {
                    State::Excluded
                } else {
                    State::Missing
                }
            }
            Some(Err(err)) => State::Unreadable(err.to_string()),
            None => State::Unreadable("not hashed".to_string()),
        })
        .collect();
    Verification {
        states,
        read_paths,
        files: count,
        bytes,
    }
}

fn hash_file(root: &Root, path: &str, md5: bool, sha: bool) -> std::io::Result<Hashed> {
    let mut file = root.open_file(path)?;
    let meta = file.metadata()?;
    let mut m = md5.then(md5::Md5::new);
    let mut s = sha.then(sha2::Sha256::new);
    // Sized to the file (most are small): zeroing a large buffer per file costs more
    // than hashing it.
    let size = usize::try_from(meta.len().saturating_add(1)).unwrap_or(HASH_BUFFER);
    let mut buf = vec![0u8; size.clamp(4096, HASH_BUFFER)];
    let mut len = 0u64;
    let mut elf = false;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if len == 0 {
            elf = buf[..n].starts_with(b"\x7fELF");
        }
        len += n as u64;
        if let Some(m) = &mut m {
            m.update(&buf[..n]);
        }
        if let Some(s) = &mut s {
            s.update(&buf[..n]);
        }
    }
    let mtime = jiff::Timestamp::from_second(meta.mtime())
        .map(|t| t.to_string())
        .unwrap_or_else(|_| meta.mtime().to_string());
    Ok(Hashed {
        md5: m.map(|m| m.finalize().into()),
        sha256: s.map(|s| s.finalize().into()),
        len,
        code: elf || meta.mode() & 0o111 != 0,
        details: format!(
            "mode {:04o}, owner {}, group {}, {len} bytes, modified {mtime}",
            meta.mode() & 0o7777,
            meta.uid(),
            meta.gid()
        ),
    })
}

/// A `package: file, file, …` summary of `paths` (at most `max` named).
pub fn list_paths(paths: &[String], max: usize) -> String {
    let mut s = paths
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > max {
        s.push_str(&format!(" and {} more", paths.len() - max));
    }
    s
}

#[cfg(test)]
pub(crate) mod testroot {
    //! Builds fake dpkg roots for the tests of this family and of `rootkit`.

    use super::dpkg::to_hex;
    use md5::Digest as _;
    use std::fs;
    use std::path::Path;

    /// The MD5 of `data` in hex.
    pub fn md5_hex(data: &[u8]) -> String {
        to_hex(&md5::Md5::digest(data))
    }

    /// Writes `rel` under `root` with `data` and `mode`.
    pub fn write(root: &Path, rel: &str, data: &[u8], mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, data).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A package: name, files (path, content, mode), conffiles (path, content).
    pub struct Pkg<'a> {
        pub name: &'a str,
        pub files: &'a [(&'a str, &'a [u8], u32)],
        pub conffiles: &'a [(&'a str, &'a [u8])],
    }

    /// Installs `pkgs` under `root` the way dpkg would: files, `.list`, `.md5sums`,
    /// and a `status` with `Conffiles:`.
    pub fn install(root: &Path, pkgs: &[Pkg<'_>]) {
        let mut status = String::new();
        for p in pkgs {
            let mut list = String::from("/.\n");
            let mut sums = String::new();
            for (path, data, mode) in p.files {
                write(root, path, data, *mode);
                list.push_str(&format!("/{path}\n"));
                sums.push_str(&format!("{}  {path}\n", md5_hex(data)));
            }
            status.push_str(&format!(
                "Package: {}\nStatus: install ok installed\nVersion: 1.0\n",
                p.name
            ));
            if !p.conffiles.is_empty() {
                status.push_str("Conffiles:\n");
            }
            for (path, data) in p.conffiles {
                write(root, path, data, 0o644);
                list.push_str(&format!("/{path}\n"));
                status.push_str(&format!(" /{path} {}\n", md5_hex(data)));
            }
            status.push('\n');
            write(
                root,
                &format!("var/lib/dpkg/info/{}.list", p.name),
                list.as_bytes(),
                0o644,
            );
            write(
                root,
                &format!("var/lib/dpkg/info/{}.md5sums", p.name),
                sums.as_bytes(),
                0o644,
            );
        }
        write(root, "var/lib/dpkg/status", status.as_bytes(), 0o644);
    }

    /// A small system: coreutils-like programs, login with a conffile, dash.
    pub fn debianish(root: &Path) {
        fs::create_dir_all(root.join("usr/bin")).unwrap();
        std::os::unix::fs::symlink("usr/bin", root.join("bin")).unwrap();
        install(
            root,
            &[
                Pkg {
                    name: "coreutils",
                    files: &[
                        ("usr/bin/ls", b"\x7fELF ls binary", 0o755),
                        ("usr/bin/du", b"\x7fELF du binary", 0o755),
                        ("usr/share/doc/coreutils/copyright", b"GPL", 0o644),
                    ],
                    conffiles: &[],
                },
                Pkg {
                    name: "login",
                    files: &[
                        ("bin/login", b"\x7fELF login binary", 0o755),
                        ("bin/su", b"\x7fELF su binary", 0o4755),
                        ("usr/bin/passwd", b"\x7fELF passwd binary", 0o4755),
                    ],
                    conffiles: &[("etc/login.defs", b"UMASK 022\n")],
                },
                Pkg {
                    name: "dash",
                    files: &[("usr/bin/dash", b"\x7fELF dash shell", 0o755)],
                    conffiles: &[],
                },
            ],
        );
        write(root, "etc/shells", b"/bin/sh\n/usr/bin/dash\n", 0o644);
    }
}

#[cfg(test)]
mod tests {
    use super::testroot::write;
    use crate::{Context, Root};
    use kensa_core::DiagnosticLevel;

    #[test]
    fn an_rpm_root_gets_a_note_that_it_is_not_verified() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "var/lib/rpm/rpmdb.sqlite",
            b"SQLite format 3\0",
            0o644,
        );
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "h");
        assert!(super::database(&mut ctx).is_none());
        assert_eq!(ctx.diagnostics.len(), 1);
        let d = &ctx.diagnostics[0];
        assert_eq!(d.level, DiagnosticLevel::Note);
        assert_eq!(d.file, "var/lib/rpm/rpmdb.sqlite");
        assert!(d.message.starts_with("rpm database present, not verified"));
        // A root with neither database says nothing.
        let empty = tempfile::tempdir().unwrap();
        let root = Root::open(empty.path()).unwrap();
        let mut ctx = Context::new(&root, "h");
        assert!(super::database(&mut ctx).is_none());
        assert!(ctx.diagnostics.is_empty());
    }

    #[test]
    fn an_unreadable_md5sums_line_is_a_diagnostic_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        super::testroot::debianish(dir.path());
        write(
            dir.path(),
            "var/lib/dpkg/info/dash.md5sums",
            b"nothex  usr/bin/dash\n",
            0o644,
        );
        let root = Root::open(dir.path()).unwrap();
        let mut ctx = Context::new(&root, "h");
        assert!(super::database(&mut ctx).is_some());
        assert_eq!(ctx.diagnostics.len(), 1, "{:?}", ctx.diagnostics);
        assert_eq!(ctx.diagnostics[0].file, "var/lib/dpkg/info/dash.md5sums");
        assert_eq!(ctx.diagnostics[0].line, Some(1));
    }
}
