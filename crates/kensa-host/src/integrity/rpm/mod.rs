//! The rpm database under the audited root, read as data: which packages are installed
//! and what each of their files should be.
//!
//! rpm keeps one header blob per installed package (see [`header`]) in one of three
//! stores, depending on its version and the distribution:
//!
//! | store | file | who |
//! |---|---|---|
//! | SQLite ([`sqlite`]) | `rpmdb.sqlite` | rpm ≥ 4.16: Fedora 33+, RHEL 9+, openSUSE |
//! | ndb ([`ndb`]) | `Packages.db` | openSUSE, SLES 15 SP3+ |
//! | Berkeley DB hash ([`bdb`]) | `Packages` | rpm < 4.16: RHEL/CentOS ≤ 8, SLES ≤ 15 SP2 |
//!
//! in `var/lib/rpm` or, on newer systems, `usr/lib/sysimage/rpm` (often with one a link
//! to the other). When several are there — a conversion that left the old store behind —
//! the most recently written one is rpm's (its `-wal` counts for SQLite), and the others
//! are named in a note. Nothing of rpm is run: the stores are read through the confined
//! [`Root`], one header at a time, each header at most [`MAX_HEADER_BYTES`].
//!
//! What `rpm -V` verifies becomes a [`Sum`]: each file in state *normal* (not replaced
//! by another package's, not left out by `--excludedocs` or `%_install_langs`, not on a
//! shared network path, not the other architecture's copy of a multilib file), except
//! `%ghost`s (which the package only owns): a regular file by its digest, in the
//! package's `FILEDIGESTALGO` (MD5 when absent), a symbolic link by its target.
//! `%config` files are configuration files (IN002), `%config(missingok)` ones may be
//! absent. Directories and device nodes are owned, not verified. Every path of every
//! header, ghosts included, is owned (IN004, RK003, RK005).
//!
//! A header that does not parse, or a record the store cannot give, is a warning naming
//! the database and the package number; the other packages are still verified.

pub mod bdb;
pub mod header;
pub mod ndb;
pub mod sqlite;

use super::db::{Algorithm, Canon, Database, Digest, Expected, Sum};
use crate::Root;
use header::{Package, flag, mode, state};
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, tr};
use kensa_fs::FileKind;
use std::collections::HashMap;

/// The largest header blob read (rpm's own limit is 256 MiB; the largest real headers,
/// texlive's and kernel firmware's, are a few MB).
pub const MAX_HEADER_BYTES: usize = 64 << 20;
/// The largest SQLite database read into memory (a workstation with 3,000 packages has
/// one of about 200 MB).
pub const MAX_DATABASE_BYTES: u64 = 512 << 20;
/// Packages read from one database.
pub const MAX_PACKAGES: usize = 100_000;
/// Files taken from one database (a large workstation has about 500,000; each costs
/// about 150 bytes of memory until the audit ends).
pub const MAX_FILES: usize = 2_000_000;
/// Bad packages reported one by one per database; the rest are counted.
const MAX_PACKAGE_DIAGNOSTICS: usize = 10;

/// Which store a database file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `rpmdb.sqlite`.
    Sqlite,
    /// ndb `Packages.db`.
    Ndb,
    /// Berkeley DB `Packages`.
    Bdb,
}

impl Backend {
    /// The store's name.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Ndb => "ndb",
            Backend::Bdb => "Berkeley DB",
        }
    }
}

/// Where rpm keeps its database, newest layout first.
pub const DATABASES: [(&str, Backend); 6] = [
    ("usr/lib/sysimage/rpm/rpmdb.sqlite", Backend::Sqlite),
    ("usr/lib/sysimage/rpm/Packages.db", Backend::Ndb),
    ("usr/lib/sysimage/rpm/Packages", Backend::Bdb),
    ("var/lib/rpm/rpmdb.sqlite", Backend::Sqlite),
    ("var/lib/rpm/Packages.db", Backend::Ndb),
    ("var/lib/rpm/Packages", Backend::Bdb),
];

/// What a store gives, record by record.
pub enum Item {
    /// A header blob and its package number.
    Header(u32, Vec<u8>),
    /// A record that could not be read: its package number when known, and why.
    Bad(Option<u32>, String),
    /// Something to say about the database as a whole.
    Say(DiagnosticLevel, Localized),
}

/// The rpm databases present under `root`: root-relative path, store, modification
/// time; one per file (links resolved), newest first.
pub fn find(root: &Root) -> Vec<(String, Backend, i64)> {
    let mut found: Vec<(String, Backend, i64)> = Vec::new();
    let mut resolved = Vec::new();
    for (rel, backend) in DATABASES {
        let Ok(meta) = root.stat(rel) else {
            continue;
        };
        if meta.kind != FileKind::File {
            continue;
        }
        let real = root.resolve(rel).unwrap_or_else(|_| rel.to_string());
        if resolved.contains(&real) {
            continue;
        }
        resolved.push(real);
        let mut mtime = mtime_of(root, rel);
        if backend == Backend::Sqlite {
            mtime = mtime.max(mtime_of(root, &format!("{rel}-wal")));
        }
        found.push((rel.to_string(), backend, mtime));
    }
    // Newest first; the order of DATABASES breaks ties.
    found.sort_by_key(|f| std::cmp::Reverse(f.2));
    found
}

fn mtime_of(root: &Root, rel: &str) -> i64 {
    root.stat(rel)
        .ok()
        .and_then(|m| m.mtime)
        .map_or(i64::MIN, |t| t.as_second())
}

/// Reads the rpm database of `root`, `None` when it has none or it cannot be read at
/// all (then a diagnostic says so). Bad packages are diagnostics; the rest are read.
pub fn read(root: &Root, diags: &mut Vec<Diagnostic>) -> Option<Database> {
    let found = find(root);
    let (rel, backend, _) = found.first()?.clone();
    for (other, other_backend, _) in &found[1..] {
        let name = other_backend.name();
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            root.display(other),
            None,
            tr!(
                "an older rpm database ({name}) beside the one read ({rel}): left over from \
                 a conversion, not read",
                "読み取ったもの ({rel}) のほかに古い rpm データベース ({name}) があります。\
                 変換の残りとみなし、読み取っていません"
            ),
        ));
    }
    let shown = root.display(&rel);
    let mut reader = Reader {
        root,
        shown: shown.clone(),
        db: Database {
            sources: vec![rel.clone()],
            ..Database::default()
        },
        canon: Canon::default(),
        diags: Vec::new(),
        bad: 0,
        unsupported: HashMap::new(),
        files: 0,
    };
    let mut each = |item: Item| reader.take(item);
    let result = match backend {
        Backend::Sqlite => sqlite::read(root, &rel, &mut each),
        Backend::Ndb | Backend::Bdb => match root.open_file(&rel) {
            Ok(file) => {
                let len = file.len().unwrap_or(0);
                if backend == Backend::Ndb {
                    ndb::read(&file, len, &mut each)
                } else {
                    bdb::read(&file, len, &mut each)
                }
            }
            Err(e) => Err(e.to_string()),
        },
    };
    let mut db = reader.finish(diags);
    if let Err(why) = result {
        let name = backend.name();
        diags.push(Diagnostic::say(
            DiagnosticLevel::Error,
            shown,
            None,
            tr!(
                "cannot read the rpm database ({name}): {why}; its packages are not verified",
                "rpm データベース ({name}) を読み取れません: {why}。パッケージを検証していません"
            ),
        ));
        if db.packages.is_empty() {
            return None;
        }
    }
    db.sources.truncate(1);
    Some(db)
}

/// Turns headers into the database, gathering diagnostics.
struct Reader<'r> {
    root: &'r Root,
    shown: String,
    db: Database,
    canon: Canon,
    diags: Vec<Diagnostic>,
    bad: usize,
    /// Unsupported digest algorithms met, with how many packages use them.
    unsupported: HashMap<u32, usize>,
    files: usize,
}

impl Reader<'_> {
    fn say(&mut self, level: DiagnosticLevel, message: Localized) {
        self.diags
            .push(Diagnostic::say(level, self.shown.clone(), None, message));
    }

    fn bad(&mut self, number: Option<u32>, why: &str) {
        self.bad += 1;
        if self.bad > MAX_PACKAGE_DIAGNOSTICS {
            return;
        }
        let message = match number {
            Some(n) => tr!(
                "package {n}: {why}; its files are not verified",
                "パッケージ {n}: {why}。そのファイルは検証していません"
            ),
            None => tr!(
                "{why}; packages there are not verified",
                "{why}。そこにあるパッケージは検証していません"
            ),
        };
        self.say(DiagnosticLevel::Warning, message);
    }

    fn take(&mut self, item: Item) {
        match item {
            Item::Header(number, blob) => {
                if self.db.packages.len() >= MAX_PACKAGES || self.files >= MAX_FILES {
                    self.bad(
                        Some(number),
                        &format!(
                            "more than {MAX_PACKAGES} packages or {MAX_FILES} files in the \
                             database"
                        ),
                    );
                    return;
                }
                match Package::parse(&blob) {
                    Ok(pkg) => self.add(pkg),
                    Err(why) => self.bad(Some(number), &format!("malformed header: {why}")),
                }
            }
            Item::Bad(number, why) => self.bad(number, &why),
            Item::Say(level, message) => self.say(level, message),
        }
    }

    fn add(&mut self, pkg: Package) {
        let index = self.db.packages.len();
        self.db.packages.push(pkg.nevra());
        self.files += pkg.files.len();
        let algorithm = Algorithm::from_rpm(pkg.digest_algorithm);
        if algorithm.is_none() && !pkg.files.is_empty() {
            *self.unsupported.entry(pkg.digest_algorithm).or_default() += 1;
        }
        let mut malformed = 0usize;
        for file in pkg.files {
            let Ok(path) = String::from_utf8(file.path) else {
                continue;
            };
            let path = path.trim_start_matches('/');
            if path.is_empty() {
                continue;
            }
            self.db
                .owned
                .entry(self.canon.of(self.root, path))
                .or_insert(Some(index));
            if file.flags & flag::GHOST != 0 || file.state != state::NORMAL {
                continue;
            }
            let expected = match file.mode & mode::TYPE {
                mode::LINK => match String::from_utf8(file.link) {
                    Ok(target) if !target.is_empty() => Expected::Link(target),
                    _ => continue,
                },
                // A header without modes says "regular" by having a digest.
                mode::REGULAR | 0 if !file.digest.is_empty() => match algorithm {
                    Some(a) => match Digest::from_hex(a, &file.digest) {
                        Some(d) => Expected::Digest(d),
                        None => {
                            malformed += 1;
                            continue;
                        }
                    },
                    None => Expected::Present,
                },
                _ => continue,
            };
            self.db.sums.push(Sum {
                package: index,
                path: path.to_string(),
                expected,
                conffile: file.flags & flag::CONFIG != 0,
                missing_ok: file.flags & flag::MISSINGOK != 0,
            });
        }
        if malformed > 0 {
            let name = self.db.packages[index].clone();
            let which = algorithm.map_or("", |a| a.name());
            self.say(
                DiagnosticLevel::Warning,
                tr!(
                    "package {name}: {malformed} file digest(s) are not hexadecimal {which}; \
                     those files are not verified",
                    "パッケージ {name}: {malformed} 個のファイルのダイジェストが 16 進の {which} \
                     ではありません。それらのファイルは検証していません"
                ),
            );
        }
    }

    fn finish(mut self, diags: &mut Vec<Diagnostic>) -> Database {
        if self.bad > MAX_PACKAGE_DIAGNOSTICS {
            let n = self.bad;
            self.say(
                DiagnosticLevel::Warning,
                tr!(
                    "{n} unreadable package records in all",
                    "読み取れないパッケージのレコードが合計 {n} 件"
                ),
            );
        }
        let mut unsupported: Vec<_> = self.unsupported.iter().map(|(a, n)| (*a, *n)).collect();
        unsupported.sort_unstable();
        for (algorithm, n) in unsupported {
            self.say(
                DiagnosticLevel::Warning,
                tr!(
                    "{n} package(s) record file digests with algorithm {algorithm}, which \
                     kensa does not compute: their files are checked for presence only",
                    "{n} 個のパッケージが kensa の計算しないアルゴリズム {algorithm} で\
                     ファイルのダイジェストを記録しています。それらのファイルは存在だけを\
                     確かめます"
                ),
            );
        }
        diags.append(&mut self.diags);
        self.db
    }
}
