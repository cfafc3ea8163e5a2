//! Integrity of system files against the package database (family `IN`): the
//! advisory's step 5 asks whether trojan horses were planted; a packaged binary whose
//! bytes are no longer what the package installed is the plainest answer.
//!
//! The package databases under the root — dpkg's ([`dpkg`]) and rpm's ([`rpm`]: SQLite,
//! ndb or Berkeley DB) — are read once per audit into one [`Database`] (a root with
//! both gets them merged), and every file they record a digest for is hashed once, in
//! parallel (rayon), streamed through a fixed buffer (memory does not grow with file
//! size), opened through the confined [`Root`] (links inside the root are followed as
//! the host would; none leads out). A file diverted by `dpkg-divert` is looked for where
//! the diversion put it; a symbolic link rpm recorded is compared with its recorded
//! target. Nothing of the root is executed (not even rpm: its databases are read as
//! data) and nothing is written. The results are shared by the rules:
//! [`in001_packaged_file_changed`] (a changed program or library: a trojan until shown
//! otherwise), [`in002_conffile_changed`] (a changed configuration file: normal, listed
//! apart as information), [`in003_packaged_file_missing`] and
//! [`in004_unpackaged_executable`] (a program in a system directory that no package
//! owns).

pub mod db;
pub mod dpkg;
pub mod in001_packaged_file_changed;
pub mod in002_conffile_changed;
pub mod in003_packaged_file_missing;
pub mod in004_unpackaged_executable;
pub mod rpm;

use crate::{Context, Root};
pub use db::{Algorithm, Canon, Database, Digest, Expected, Sum};
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, Rule, tr};
use kensa_fs::FileKind;
use md5::Digest as _;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{ErrorKind, Read};
use std::os::unix::ffi::OsStrExt;
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

/// Records a diagnostic about `rel` in both languages.
pub(crate) fn say(ctx: &mut Context<'_>, level: DiagnosticLevel, rel: &str, message: Localized) {
    let file = ctx.root.display(rel);
    ctx.diagnostics
        .push(Diagnostic::say(level, file, None, message));
}

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
    database: Option<Option<Arc<Database>>>,
    verification: Option<Option<Arc<Verification>>>,
}

/// The root's package database, read on first use: dpkg's and rpm's merged (`None`: the
/// root has neither, or none could be read — a diagnostic then says why).
pub fn database(ctx: &mut Context<'_>) -> Option<Arc<Database>> {
    if let Some(db) = &ctx.integrity.database {
        return db.clone();
    }
    let mut db = dpkg::read(ctx.root, &mut ctx.diagnostics);
    if let Some(rpm) = rpm::read(ctx.root, &mut ctx.diagnostics) {
        match &mut db {
            Some(db) => db.merge(rpm),
            None => db = Some(rpm),
        }
    }
    let db = db.map(Arc::new);
    ctx.integrity.database = Some(db.clone());
    db
}

/// What looking at the file of one entry of [`Database::sums`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// The file is what the package recorded.
    Same,
    /// The file differs.
    Changed {
        /// What it is now: its digest (same algorithm as the expected one: `MD5 4a1d…`),
        /// or for a recorded link, the link's target or the kind of file found instead.
        actual: Localized,
        /// Mode, size and modification time, for the evidence.
        details: Localized,
        /// Whether the file is a program or library now: an ELF object, or executable.
        code: bool,
        /// Whether the file is an ELF object that prelink rewrote (it has a
        /// `.gnu.prelink_undo` section): `rpm -V` undoes prelinking before comparing,
        /// kensa (which runs nothing of the root) cannot.
        prelinked: bool,
    },
    /// The file is not there.
    Missing,
    /// The file is not there, and that is allowed: dpkg was told not to install it
    /// (`path-exclude`), or rpm's package says it may be missing (`missingok`).
    Excluded,
    /// The file could not be read (or is no longer a regular file).
    Unreadable(String),
}

/// The outcome of hashing every packaged file.
#[derive(Debug)]
pub struct Verification {
    /// One state per entry of [`Database::sums`], same order.
    pub states: Vec<State>,
    /// The path each entry was read at (canonical, after diversions).
    pub read_paths: Vec<String>,
    /// Distinct files hashed.
    pub files: u64,
    /// Bytes hashed.
    pub bytes: u64,
}

/// The verification, computed on first use (`None` without a package database).
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
    digests: Vec<Digest>,
    len: u64,
    details: Localized,
    code: bool,
    elf: bool,
}

/// What one path needs looked at: digests (one bit per [`Algorithm`]), its link, its
/// presence.
const WANT_LINK: u8 = 1 << 7;
const WANT_PRESENCE: u8 = 1 << 6;
const WANT_DIGESTS: u8 = (1 << 5) - 1;

/// What was found at one path.
struct Looked {
    hashed: Option<std::io::Result<Hashed>>,
    /// `lstat` and, for a link, its target.
    link: Option<std::io::Result<(crate::Meta, Option<Vec<u8>>)>>,
}

/// Hashes every file of `db` once, in parallel, and compares.
pub fn verify(root: &Root, db: &Database) -> Verification {
    let mut canon = Canon::default();
    let mut read_paths = Vec::with_capacity(db.sums.len());
    // Distinct files and what each needs.
    let mut wanted: HashMap<String, u8> = HashMap::new();
    for sum in &db.sums {
        let path = canon.of(root, db.diverted(sum.package, &sum.path));
        let need = wanted.entry(path.clone()).or_default();
        *need |= match &sum.expected {
            Expected::Digest(d) => d.kind().bit(),
            Expected::Link(_) => WANT_LINK,
            Expected::Present => WANT_PRESENCE,
        };
        read_paths.push(path);
    }
    let mut files: Vec<(String, u8)> = wanted.into_iter().collect();
    files.sort();
    let looked: HashMap<&str, Looked> = files
        .par_iter()
        .map(|(path, want)| (path.as_str(), look(root, path, *want)))
        .collect();
    let mut bytes = 0u64;
    let mut count = 0u64;
    for l in looked.values() {
        if let Some(Ok(h)) = &l.hashed {
            bytes += h.len;
            count += 1;
        }
    }
    // ELF files that differ from some expectation: were they prelinked?
    let mut changed_elf: Vec<&str> = db
        .sums
        .iter()
        .zip(&read_paths)
        .filter_map(|(sum, path)| {
            let Expected::Digest(expected) = &sum.expected else {
                return None;
            };
            match looked.get(path.as_str()).and_then(|l| l.hashed.as_ref()) {
                Some(Ok(h)) if h.elf && !h.digests.contains(expected) => Some(path.as_str()),
                _ => None,
            }
        })
        .collect();
    changed_elf.sort_unstable();
    changed_elf.dedup();
    let prelinked: std::collections::HashSet<&str> = changed_elf
        .into_par_iter()
        .filter(|path| is_prelinked(root, path))
        .collect();
    let missing = |sum: &Sum| {
        if sum.missing_ok || db.excluded(&sum.path) {
            State::Excluded
        } else {
            State::Missing
        }
    };
    let states = db
        .sums
        .iter()
        .zip(&read_paths)
        .map(|(sum, path)| {
            let Some(l) = looked.get(path.as_str()) else {
                return State::Unreadable("not looked at".to_string());
            };
            match (&sum.expected, &l.hashed, &l.link) {
                (Expected::Digest(expected), Some(Ok(h)), _) => {
                    match h.digests.iter().find(|d| d.kind() == expected.kind()) {
                        Some(actual) if actual == expected => State::Same,
                        Some(actual) => State::Changed {
                            actual: Localized::verbatim(format!(
                                "{} {}",
                                actual.algorithm(),
                                actual.hex()
                            )),
                            details: h.details.clone(),
                            code: h.code,
                            prelinked: h.elf && prelinked.contains(path.as_str()),
                        },
                        None => State::Unreadable("not hashed".to_string()),
                    }
                }
                (Expected::Digest(_), Some(Err(err)), _) => {
                    if err.kind() == ErrorKind::NotFound {
                        missing(sum)
                    } else {
                        State::Unreadable(err.to_string())
                    }
                }
                (Expected::Link(_) | Expected::Present, _, Some(Err(err))) => {
                    if err.kind() == ErrorKind::NotFound {
                        missing(sum)
                    } else {
                        State::Unreadable(err.to_string())
                    }
                }
                (Expected::Present, _, Some(Ok(_))) => State::Same,
                (Expected::Link(target), _, Some(Ok((meta, found)))) => match found {
                    Some(found) if found == target.as_bytes() => State::Same,
                    _ => State::Changed {
                        actual: match found {
                            Some(found) => {
                                let found = String::from_utf8_lossy(found);
                                tr!("a link to {found}", "{found} へのリンク")
                            }
                            None => {
                                let (en, ja) = kind_name(meta.kind);
                                tr!("{en}, not a link", "リンクではなく{ja}")
                            }
                        },
                        details: meta_details(meta),
                        code: meta.kind == FileKind::File && meta.mode & 0o111 != 0,
                        prelinked: false,
                    },
                },
                _ => State::Unreadable("not looked at".to_string()),
            }
        })
        .collect();
    Verification {
        states,
        read_paths,
        files: count,
        bytes,
    }
}

fn kind_name(kind: FileKind) -> (&'static str, &'static str) {
    match kind {
        FileKind::File => ("a regular file", "通常のファイル"),
        FileKind::Dir => ("a directory", "ディレクトリ"),
        FileKind::Symlink => ("a link", "リンク"),
        FileKind::Fifo => ("a named pipe", "名前付きパイプ"),
        FileKind::Socket => ("a socket", "ソケット"),
        FileKind::CharDevice => ("a character device", "キャラクタデバイス"),
        FileKind::BlockDevice => ("a block device", "ブロックデバイス"),
        FileKind::Other => ("a special file", "特殊ファイル"),
    }
}

/// Mode, owner, group, size and modification time, for the evidence.
fn details(mode: u32, uid: u32, gid: u32, len: u64, mtime: &str) -> Localized {
    tr!(
        "mode {mode:04o}, owner {uid}, group {gid}, {len} bytes, modified {mtime}",
        "モード {mode:04o}、所有者 {uid}、グループ {gid}、{len} バイト、更新日時 {mtime}"
    )
}

fn meta_details(meta: &crate::Meta) -> Localized {
    let mtime = meta.mtime.map(|t| t.to_string()).unwrap_or_default();
    details(meta.mode, meta.uid, meta.gid, meta.len, &mtime)
}

fn look(root: &Root, path: &str, want: u8) -> Looked {
    let hashed = (want & WANT_DIGESTS != 0).then(|| hash_file(root, path, want & WANT_DIGESTS));
    let link = (want & (WANT_LINK | WANT_PRESENCE) != 0).then(|| {
        let meta = root.lstat(path)?;
        let target = if meta.kind == FileKind::Symlink {
            Some(root.read_link(path)?.as_os_str().as_bytes().to_vec())
        } else {
            None
        };
        Ok((meta, target))
    });
    Looked { hashed, link }
}

/// A running hash of one algorithm.
enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn new(algorithm: Algorithm) -> Hasher {
        match algorithm {
            Algorithm::Md5 => Hasher::Md5(md5::Md5::new()),
            Algorithm::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    fn finish(self) -> Digest {
        match self {
            Hasher::Md5(h) => Digest::Md5(h.finalize().into()),
            Hasher::Sha1(h) => Digest::Sha1(h.finalize().into()),
            Hasher::Sha256(h) => Digest::Sha256(h.finalize().into()),
            Hasher::Sha384(h) => Digest::Sha384(h.finalize().into()),
            Hasher::Sha512(h) => Digest::Sha512(h.finalize().into()),
        }
    }
}

fn hash_file(root: &Root, path: &str, algorithms: u8) -> std::io::Result<Hashed> {
    let mut file = root.open_file(path)?;
    let meta = *file.meta();
    let mut hashers: Vec<Hasher> = Algorithm::ALL
        .into_iter()
        .filter(|a| algorithms & a.bit() != 0)
        .map(Hasher::new)
        .collect();
    // Sized to the file (most are small): zeroing a large buffer per file costs more
    // than hashing it.
    let size = usize::try_from(meta.len.saturating_add(1)).unwrap_or(HASH_BUFFER);
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
        for h in &mut hashers {
            h.update(&buf[..n]);
        }
    }
    // Whole seconds, as package databases record them.
    let mtime = meta
        .mtime
        .and_then(|t| jiff::Timestamp::from_second(t.as_second()).ok())
        .map_or_else(|| "unknown".to_string(), |t| t.to_string());
    Ok(Hashed {
        digests: hashers.into_iter().map(Hasher::finish).collect(),
        len,
        elf,
        code: elf || meta.mode & 0o111 != 0,
        details: details(meta.mode, meta.uid, meta.gid, len, &mtime),
    })
}

/// The section prelink adds to what it rewrites, to undo it (`prelink -u`, and `rpm -V`
/// through `prelink -y`).
const PRELINK_UNDO: &[u8] = b".gnu.prelink_undo";

/// Whether the ELF file at `path` has a `.gnu.prelink_undo` section: its section header
/// table and section names are read (bounded: at most 64 Ki headers of at most 256
/// bytes, names at most 1 MiB), nothing else. Any malformation is "no".
pub fn is_prelinked(root: &Root, path: &str) -> bool {
    let Ok(file) = root.open_file(path) else {
        return false;
    };
    let mut ehdr = [0u8; 64];
    if file.read_exact_at(&mut ehdr, 0).is_err() || !ehdr.starts_with(b"\x7fELF") {
        return false;
    }
    let wide = ehdr[4] == 2;
    let big = ehdr[5] == 2;
    let n = |b: &[u8]| -> u64 {
        let mut v = 0u64;
        for (i, &x) in b.iter().enumerate() {
            let shift = if big { (b.len() - 1 - i) * 8 } else { i * 8 };
            v |= u64::from(x) << shift;
        }
        v
    };
    // (e_shoff, e_shentsize, e_shnum, e_shstrndx) and the section header fields used.
    let (shoff, entsize, count, strndx) = if wide {
        (
            n(&ehdr[0x28..0x30]),
            n(&ehdr[0x3a..0x3c]),
            n(&ehdr[0x3c..0x3e]),
            n(&ehdr[0x3e..0x40]),
        )
    } else {
        (
            n(&ehdr[0x20..0x24]),
            n(&ehdr[0x2e..0x30]),
            n(&ehdr[0x30..0x32]),
            n(&ehdr[0x32..0x34]),
        )
    };
    let min_entsize = if wide { 64 } else { 40 };
    if !(min_entsize..=256).contains(&entsize) || count == 0 || strndx >= count {
        return false;
    }
    let mut table = vec![0u8; (entsize * count) as usize];
    if file.read_exact_at(&mut table, shoff).is_err() {
        return false;
    }
    let section = |i: u64| &table[(i * entsize) as usize..((i + 1) * entsize) as usize];
    let strtab = section(strndx);
    let (offset, size) = if wide {
        (n(&strtab[0x18..0x20]), n(&strtab[0x20..0x28]))
    } else {
        (n(&strtab[0x10..0x14]), n(&strtab[0x14..0x18]))
    };
    if size > 1 << 20 {
        return false;
    }
    let mut names = vec![0u8; size as usize];
    if file.read_exact_at(&mut names, offset).is_err() {
        return false;
    }
    (0..count).any(|i| {
        let name = n(&section(i)[0..4]) as usize;
        names.get(name..).is_some_and(|rest| {
            rest.starts_with(PRELINK_UNDO) && rest.get(PRELINK_UNDO.len()) == Some(&0)
        })
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

    use super::db::to_hex;
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
    fn an_unreadable_rpm_database_is_an_error_naming_it_and_no_database() {
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
        assert_eq!(ctx.diagnostics.len(), 1, "{:?}", ctx.diagnostics);
        let d = &ctx.diagnostics[0];
        assert_eq!(d.level, DiagnosticLevel::Error);
        assert_eq!(d.file, "var/lib/rpm/rpmdb.sqlite");
        assert!(
            d.message
                .starts_with("cannot read the rpm database (SQLite)"),
            "{}",
            d.message
        );
        assert!(
            d.message_ja.starts_with("rpm データベース"),
            "{}",
            d.message_ja
        );
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
