//! Which files are logs, and in what order to read them.
//!
//! A log is rarely one file. `syslog`, `syslog.1`, `syslog.2.gz` … `syslog.22.gz` are one
//! stream cut in pieces by logrotate (or `messages`, `messages.0.gz` … by BSD newsyslog, or
//! `maillog-20240101.gz` by logrotate's `dateext`). Year inference walks a stream from its
//! newest line backwards, and an attack that straddles a rotation must be seen whole, so this
//! module returns [`LogSet`]s: the pieces of one stream, **oldest first, live file last**.
//!
//! Two ways in:
//! * [`discover`] looks where Unix systems of the advisory's era and today put their logs,
//!   under the audited root: `var/log/{syslog,messages,maillog,mail.log,auth.log,secure,xferlog,vsftpd.log}*`,
//!   su's `sulog` and login's `loginlog`, xrdp's `xrdp-sesman.log`,
//!   the `*.log*` and `xferlog*` files of `var/log/proftpd` and `var/log/pure-ftpd`,
//!   exim's `mainlog*` (`var/log/exim4`) and `main.log*` (`var/log/exim`),
//!   the same names in `var/adm` (SunOS/Solaris, where `secure`, `maillog` and `xferlog` also
//!   live), and everything in `usr/adm` (older BSD and SunOS) and `var/adm/syslog` (HP-UX)
//!   except binary accounting and login records; and the files the root's own
//!   `etc/syslog.conf` or `etc/rsyslog.conf` write to ([`crate::syslog_conf`]), with their
//!   rotations.
//! * [`from_paths`] takes what the user named on the command line instead.
//!
//! The audited root may be a disk image of a machine an attacker owned, so:
//! * a log file that is a symbolic link is **not** followed (a note says so) — it might point
//!   at the analyst's own `/etc/shadow` or at a FIFO outside the image;
//! * a directory on the way that is a symbolic link (SunOS has `usr/adm -> ../var/adm`, an
//!   image may have `var/log -> /data/log`) is resolved **inside the root**, the way the
//!   imaged machine itself would have resolved it, never against the analyst's file system;
//! * FIFOs, sockets, devices and directories that carry a log's name are skipped with a
//!   warning instead of being opened;
//! * names are matched by pattern, not judged: `syslog.bak` or `messages~` are read (as sets
//!   of their own) because hiding evidence in "junk" names is exactly what an intruder does;
//! * the number of files taken from one directory is capped, so a directory stuffed with a
//!   million `syslog.N` files cannot exhaust memory.
//!
//! The content is not looked at here: compression is decided later by magic bytes
//! ([`crate::decode`]); only old `compress(1)` `.Z` files, which kensa cannot decode, are set
//! aside with a note.

use std::collections::{BTreeMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use kensa_core::{Diagnostic, DiagnosticLevel, Localized, MessageCode, tr};
use kensa_fs::{FileKind, Location, Meta, Root, analyst};

/// One file of a rotation set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// Where to open it: a root-relative path in the audited root (symbolic links in its
    /// directories already resolved inside the root), or a path the analyst named. Its
    /// [`Location::identity`] is the file's key between runs.
    pub location: Location,
    /// Shown to users: relative to the root when under it (e.g. `var/log/syslog.10.gz`),
    /// else as given.
    pub display: String,
    /// `None` for the live file; `Some(n)` for `name.n` (compressed or not). Higher is older.
    /// `dateext` files (`name-20240101`) are ranked too: newest dated file = highest plain
    /// number in the set + 1, and older ones count up from there.
    pub rotation: Option<u32>,
    /// Last modification time on disk, if the platform and the file system gave one.
    pub mtime: Option<jiff::Timestamp>,
    /// Size on disk in bytes (compressed size for compressed files).
    pub len: u64,
}

/// The files of one log stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSet {
    /// The stream's name: its directory and base name, e.g. `var/log/syslog`, or
    /// `var/log/journal/MACHINE-ID/system` for a journal.
    pub name: String,
    /// What the files hold (all files of a set hold the same).
    pub format: LogFormat,
    /// Oldest first; the live file (if any) last.
    pub files: Vec<LogFile>,
}

/// What a log file holds, told by its first bytes (after decompression), never by its
/// name: a journal renamed `syslog.1`, or an audit log given on the command line, is
/// still read as what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LogFormat {
    /// Lines of text: syslog in its dialects, xferlog, vsftpd's own log.
    #[default]
    Text,
    /// A systemd journal file (`LPKSHHRH`).
    Journal,
    /// A Linux audit log (`type=… msg=audit(…)` lines, with `node=` on aggregating hosts).
    Audit,
}

impl LogFormat {
    /// What `head` (a file's first bytes, decompressed) is.
    pub fn sniff(head: &[u8]) -> LogFormat {
        if head.starts_with(JOURNAL_MAGIC) {
            return LogFormat::Journal;
        }
        // `node=NAME ` comes first in logs aggregated from several machines.
        let record = match head.strip_prefix(b"node=") {
            Some(rest) => match memchr::memchr(b' ', rest) {
                Some(space) => &rest[space + 1..],
                None => return LogFormat::Text,
            },
            None => head,
        };
        let first_line = &record[..memchr::memchr(b'\n', record).unwrap_or(record.len())];
        if record.starts_with(b"type=")
            && memchr::memmem::find(first_line, b" msg=audit(").is_some()
        {
            return LogFormat::Audit;
        }
        LogFormat::Text
    }

    /// The name used in messages and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Journal => "journal",
            LogFormat::Audit => "audit",
        }
    }
}

/// The signature a systemd journal file starts with.
const JOURNAL_MAGIC: &[u8] = b"LPKSHHRH";

/// Bytes of a file's head read to tell its format: an audit log's first record.
const SNIFF_BYTES: u64 = 1024;

/// The format of the file at `location` (opened as [`crate::decode::open`] opens it). A
/// file that cannot be opened is judged [`LogFormat::Text`]: the reader then reports why.
pub fn sniff_file(location: &Location) -> LogFormat {
    let Ok(decoded) = crate::decode::open(location) else {
        return LogFormat::Text;
    };
    let mut head = Vec::with_capacity(SNIFF_BYTES as usize);
    // A truncated compressed file still shows its first bytes.
    let _ = io::Read::read_to_end(&mut io::Read::take(decoded.reader, SNIFF_BYTES), &mut head);
    LogFormat::sniff(&head)
}

/// Most log files taken from one directory; beyond this a warning says the rest were
/// skipped. Real hosts have tens; a hostile one might have millions.
const MAX_LOG_FILES_PER_DIR: usize = 10_000;

/// Log names looked for in `var/log` and `var/adm`, each as a prefix (`syslog*`).
const LOG_NAMES: &[&str] = &[
    "syslog",
    "messages",
    // Debian's `daemon.log` (ftpd, telnetd, xinetd), Solaris and OpenBSD `authlog`,
    // FreeBSD `security`, openSUSE's `mail` and its `mail.err`/`mail.warn`/`mail.info`
    // (and everyone's `mail.log`, `maillog`), dovecot's own `dovecot.log`,
    // `dovecot-info.log`.
    "daemon.log",
    "authlog",
    "security",
    "mail",
    "dovecot",
    "maillog",
    "mail.log",
    "auth.log",
    "secure",
    "xferlog",
    "audit.log",
    // vsftpd's own log: Debian's default (`xferlog_enable=YES`, `xferlog_std_format=NO`).
    "vsftpd.log",
    // su's and login's own logs on Solaris, HP-UX and AIX (`var/adm/sulog`, and
    // `var/adm/loginlog` where the administrator created it), each in its own format.
    "sulog",
    "loginlog",
    // xrdp's session manager's own log (remote-desktop logins on Linux).
    "xrdp-sesman",
];

/// Prefixes of binary login and accounting records (read by other code, not as text), and
/// of binary failure counters, which `usr/adm/*` and directory arguments leave out.
const BINARY_RECORD_PREFIXES: &[&str] = &[
    "wtmp", "utmp", "btmp", "lastlog", "pacct", "acct", "faillog", "tallylog",
];

/// Which files of a directory are logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Select {
    /// Names starting with one of [`LOG_NAMES`].
    LogNames,
    /// Every file except binary records and pid files.
    AllButBinary,
    /// The files of an FTP daemon's own log directory: `*.log*` and `xferlog*`
    /// (proftpd's `proftpd.log`, `xferlog`, `auth.log`, `controls.log`; pure-ftpd's
    /// `transfer.log`), rotated or compressed.
    FtpDir,
    /// exim's own log directory: `mainlog` (Debian's `var/log/exim4`) or `main.log`
    /// (Red Hat's `var/log/exim`), rotated or compressed. Not `rejectlog`/`reject.log`,
    /// which repeat lines of the main log.
    EximDir,
}

impl Select {
    fn matches(self, name: &[u8]) -> bool {
        match self {
            Select::LogNames => LOG_NAMES.iter().any(|log| name.starts_with(log.as_bytes())),
            Select::AllButBinary => !is_binary_record(name),
            Select::FtpDir => {
                name.starts_with(b"xferlog") || memchr::memmem::find(name, b".log").is_some()
            }
            Select::EximDir => name.starts_with(b"mainlog") || name.starts_with(b"main.log"),
        }
    }
}

fn is_binary_record(name: &[u8]) -> bool {
    BINARY_RECORD_PREFIXES
        .iter()
        .any(|prefix| name.starts_with(prefix.as_bytes()))
        || name.ends_with(b".pid")
}

/// The directories discovery looks in, relative to the root, what it takes from each, and
/// whether the name may just as well be a file (then only a directory there counts, and
/// anything else is silence, not a warning).
const LOG_DIRS: &[(&str, Select, bool)] = &[
    ("var/log", Select::LogNames, false),
    ("var/adm", Select::LogNames, false),
    ("usr/adm", Select::AllButBinary, false),
    // HP-UX keeps `syslog.log`, `OLDsyslog.log` and `mail.log` in a directory of that
    // name; on SunOS the same path is the syslog file itself.
    ("var/adm/syslog", Select::AllButBinary, true),
    // auditd's `audit.log`, `audit.log.1` … (RHEL, Fedora, SUSE; Debian with auditd).
    ("var/log/audit", Select::LogNames, false),
    // proftpd (Debian: SystemLog `proftpd.log`, TransferLog `xferlog`, an ExtendedLog
    // `auth.log`) and pure-ftpd (Debian's AltLog `transfer.log`, CLF or xferlog).
    ("var/log/proftpd", Select::FtpDir, false),
    ("var/log/pure-ftpd", Select::FtpDir, false),
    // exim's own logs (Debian's exim4 packages, Red Hat's exim): it logs SMTP AUTH
    // there, not to syslog.
    ("var/log/exim4", Select::EximDir, false),
    ("var/log/exim", Select::EximDir, false),
];

/// Where journald keeps its files: persistent, then volatile (a host without
/// `var/log/journal` keeps the current boot's journal in `run`, which an image of a
/// running machine may hold). Each holds one directory per machine id (and `remote/`
/// for systemd-journal-remote), whose `*.journal` and `*.journal~` files are read.
const JOURNAL_DIRS: &[&str] = &["var/log/journal", "run/log/journal"];

/// Whether a name is a journal file's: live or archived `.journal`, or `.journal~`.
fn is_journal_name(name: &[u8]) -> bool {
    name.ends_with(b".journal") || name.ends_with(b".journal~")
}

/// Finds the log files under `root` (see the module documentation for where and which).
///
/// Missing directories are normal and say nothing. A symlinked log file gets a note
/// ("symbolic link, not followed"); a FIFO, socket, device or directory named like a log gets
/// a warning and is skipped; an unreadable directory gets a warning naming it. Sets come back
/// sorted by name, files oldest first.
pub fn discover(root: &Arc<Root>, diags: &mut Vec<Diagnostic>) -> Vec<LogSet> {
    // Resolve each directory inside the root first: on SunOS `usr/adm` is `var/adm`, and
    // one directory must be listed once, with the union of what each name selects.
    let mut dirs: Vec<(String, Vec<Select>)> = Vec::new();
    for &(dir, select, maybe_a_file) in LOG_DIRS {
        let resolved = match root.resolve(dir) {
            Ok(resolved) => resolved,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            // A path component that is a file (`var` is not a directory) is as good as missing.
            Err(error) if error.raw_os_error() == Some(libc::ENOTDIR) => continue,
            Err(error) => {
                diags.push(Diagnostic::say(DiagnosticLevel::Warning, dir, None, {
                    let error = kensa_core::error_text(&error);
                    kensa_core::Localized {
                        en: format!("log directory cannot be read: {}", error.en),
                        ja: format!("ログのディレクトリを読み取れません: {}", error.ja),
                    }
                }));
                continue;
            }
        };
        if maybe_a_file && !root.lstat(&resolved).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        match dirs.iter_mut().find(|(seen, _)| *seen == resolved) {
            Some((_, selects)) => selects.push(select),
            None => dirs.push((resolved, vec![select])),
        }
    }

    // The files the root's own syslog configuration writes to (`etc/syslog.conf`,
    // `etc/rsyslog.conf` and its includes), with their rotations: a site's own paths.
    let mut configured: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for path in crate::syslog_conf::log_paths(root) {
        let path = Path::new(&path);
        let (Some(dir), Some(base)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let Ok(resolved) = root.resolve(dir) else {
            // Never written, or not a directory: the configuration names it, the root
            // does not have it.
            continue;
        };
        if !root.lstat(&resolved).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let base = base.as_bytes().to_vec();
        match configured.iter_mut().find(|(seen, _)| *seen == resolved) {
            Some((_, bases)) if !bases.contains(&base) => bases.push(base),
            Some(_) => {}
            None => configured.push((resolved, vec![base])),
        }
    }
    for (dir, _) in &configured {
        if !dirs.iter().any(|(seen, _)| seen == dir) {
            dirs.push((dir.clone(), Vec::new()));
        }
    }

    let mut candidates = Vec::new();
    for (rel_dir, selects) in &dirs {
        let dir_display = rel_dir.clone();
        let bases: &[Vec<u8>] = configured
            .iter()
            .find(|(dir, _)| dir == rel_dir)
            .map_or(&[], |(_, bases)| bases.as_slice());
        let dir = Dir::InRoot(root.clone(), rel_dir.into());
        let found = list_dir(&dir, &dir_display, diags, |name| {
            selects.iter().any(|select| select.matches(name))
                || bases.iter().any(|base| is_rotation_name(name, base))
        });
        for entry in found {
            // A directory named like a log that is itself a log directory (HP-UX's
            // `var/adm/syslog`) is listed in its own right, not warned about.
            let listed_itself = entry.meta.is_dir()
                && dirs
                    .iter()
                    .any(|(other, _)| *other == join_display(rel_dir, &entry.name));
            // A directory that merely starts like a log (`mailman`, `security-audit`) is
            // not one; only a directory with a log's exact name is worth a warning.
            let other_directory = entry.meta.is_dir()
                && !LOG_NAMES
                    .iter()
                    .any(|log| entry.name.as_bytes() == log.as_bytes());
            if listed_itself || other_directory {
                continue;
            }
            if let Some(candidate) =
                accept_entry(entry, &dir_display, DiagnosticLevel::Warning, diags)
            {
                candidates.push(candidate);
            }
        }
    }
    candidates.extend(journal_candidates(root, diags));
    group_into_sets(candidates)
}

/// Whether `name` is the log `base` or one of its rotations (`base.1`, `base.2.gz`,
/// `base-20240101`, `base.0`): what a configured log path brings in.
fn is_rotation_name(name: &[u8], base: &[u8]) -> bool {
    matches!(name.strip_prefix(base), Some([] | [b'.' | b'-', ..]))
}

/// The journal files under `root`: in each of [`JOURNAL_DIRS`], the journal files of
/// every subdirectory (one per machine id) and of the directory itself. Directories are
/// resolved inside the root like the log directories; files that are links are noted and
/// not followed.
fn journal_candidates(root: &Arc<Root>, diags: &mut Vec<Diagnostic>) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    let mut seen_dirs: Vec<String> = Vec::new();
    for dir in JOURNAL_DIRS {
        let resolved = match root.resolve(dir) {
            Ok(resolved) => resolved,
            Err(error)
                if error.kind() == io::ErrorKind::NotFound
                    || error.raw_os_error() == Some(libc::ENOTDIR) =>
            {
                continue;
            }
            Err(error) => {
                diags.push(Diagnostic::say(DiagnosticLevel::Warning, *dir, None, {
                    let error = kensa_core::error_text(&error);
                    kensa_core::Localized {
                        en: format!("journal directory cannot be read: {}", error.en),
                        ja: format!("ジャーナルのディレクトリを読み取れません: {}", error.ja),
                    }
                }));
                continue;
            }
        };
        if seen_dirs.contains(&resolved) {
            continue;
        }
        seen_dirs.push(resolved.clone());
        let dir_display = resolved.clone();
        let listed = Dir::InRoot(root.clone(), (&resolved).into());
        let entries = list_dir(&listed, &dir_display, diags, |name| !name.starts_with(b"."));
        for entry in entries {
            if entry.meta.is_dir() {
                // A machine-id directory (or `remote`): its journal files.
                let sub_display = join_display(&dir_display, &entry.name);
                let sub = entry.dir.child_dir(&entry.name);
                for file in list_dir(&sub, &sub_display, diags, is_journal_name) {
                    if let Some(candidate) =
                        accept_entry(file, &sub_display, DiagnosticLevel::Warning, diags)
                    {
                        candidates.push(candidate);
                    }
                }
            } else if is_journal_name(entry.name.as_bytes())
                && let Some(candidate) =
                    accept_entry(entry, &dir_display, DiagnosticLevel::Warning, diags)
            {
                candidates.push(candidate);
            }
        }
    }
    for candidate in &candidates {
        if candidate.format != LogFormat::Journal {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                join_display(&candidate.dir_display, &candidate.name),
                None,
                tr!(
                    "named like a journal file but does not start like one; read as text",
                    "ジャーナルファイルの名前ですが、中身がジャーナルの形式で始まっていません。\
                     テキストとして読みます"
                ),
            ));
        }
    }
    candidates
}

/// Builds log sets from paths given on the command line (they replace discovery).
///
/// A file is used as given, whatever its name. A directory contributes its regular files,
/// one level deep (binary login records, `.pid` and `.Z` files left out with a note,
/// subdirectories silently). Files are grouped by base name within their directory
/// (`syslog`, `syslog.1`, `syslog.2.gz` make one set) and ordered oldest first; the same
/// file named twice is read once. `display` is relative to `root` when the path is under it.
/// A path that does not exist, or is not a file or directory, gives an error diagnostic.
pub fn from_paths(root: &Arc<Root>, paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<LogSet> {
    let abs_root = absolutize(root.path());
    let mut candidates = Vec::new();
    for given in paths {
        let Some((real, display)) = locate_given(root, &abs_root, given, diags) else {
            continue;
        };
        let metadata = match real.lstat() {
            Ok(metadata) => metadata,
            Err(error) => {
                diags.push(cannot_use(&display, &error));
                continue;
            }
        };
        if metadata.is_dir() {
            let found = list_dir(&real.as_dir(), &display, diags, |_| true);
            for entry in found {
                if entry.meta.is_dir() {
                    continue;
                }
                if entry.meta.is_file() && is_binary_record(entry.name.as_bytes()) {
                    diags.push(Diagnostic::say(
                        DiagnosticLevel::Note,
                        join_display(&display, &entry.name),
                        None,
                        tr!(
                            "binary login or accounting record, not read as a text log",
                            "ログイン記録またはアカウンティング記録のバイナリファイルのため、\
                             テキストのログとしては読みません"
                        ),
                    ));
                    continue;
                }
                if let Some(candidate) =
                    accept_entry(entry, &display, DiagnosticLevel::Warning, diags)
                {
                    candidates.push(candidate);
                }
            }
        } else if metadata.is_file() {
            let (parent, name) = real.split();
            candidates.push(Candidate::new(
                parent,
                display_parent(&display),
                name,
                &metadata,
            ));
        } else {
            let Localized { en, ja } = describe_non_regular(metadata.kind);
            diags.push(Diagnostic::say(
                DiagnosticLevel::Error,
                display,
                None,
                tr!("{en}; not read", "{ja}。読み取りませんでした"),
            ));
        }
    }

    // The same file reached twice (a directory and a file in it, or two spellings) is one.
    let mut seen = HashSet::new();
    candidates.retain(|candidate| seen.insert(candidate.identity));
    group_into_sets(candidates)
}

/// Where a given path really is, and how to show it. Paths under the root are resolved
/// inside the root (so an image's absolute links stay in the image); others are the
/// analyst's, followed as their own system follows them.
fn locate_given(
    root: &Arc<Root>,
    abs_root: &Path,
    given: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Dir, String)> {
    let abs = absolutize(given);
    let as_given = lossy(given.as_os_str());
    // With the default root `/`, a relative path reads better as the user typed it.
    let keep_as_given = given.is_relative() && abs_root == Path::new("/");
    let under_root = abs.strip_prefix(abs_root).ok();
    let shown = |rel: &str| {
        if keep_as_given {
            as_given.clone()
        } else {
            rel.to_owned()
        }
    };
    let result = match under_root {
        Some(rel) => root.resolve(rel).map(|real_rel| {
            (
                Dir::InRoot(root.clone(), (&real_rel).into()),
                shown(&real_rel),
            )
        }),
        None => match analyst::lstat(given) {
            // Outside the audited root the user's own file system is the truth: a link
            // there is the user's to follow.
            Ok(metadata) if metadata.is_symlink() => {
                analyst::canonicalize(given).map(|real| (Dir::Analyst(real), as_given.clone()))
            }
            Ok(_) => Ok((Dir::Analyst(given.to_path_buf()), as_given.clone())),
            Err(error) => Err(error),
        },
    };
    match result {
        Ok(found) => Some(found),
        Err(error) => {
            let display = under_root.map_or_else(
                || as_given.clone(),
                |rel| {
                    let rel = lossy(rel.as_os_str());
                    shown(if rel.is_empty() { "." } else { &rel })
                },
            );
            diags.push(cannot_use(&display, &error));
            None
        }
    }
}

fn cannot_use(display: &str, error: &io::Error) -> Diagnostic {
    if error.kind() == io::ErrorKind::NotFound {
        Diagnostic::coded(
            DiagnosticLevel::Error,
            display,
            None,
            MessageCode::DoesNotExist,
            Vec::new(),
        )
    } else {
        Diagnostic::coded_localized(
            DiagnosticLevel::Error,
            display,
            None,
            MessageCode::CannotBeRead,
            vec![("error", kensa_core::error_text(error))],
        )
    }
}

/// A directory or file logs are read from: in the audited root (root-relative) or the
/// analyst's.
#[derive(Debug, Clone)]
enum Dir {
    InRoot(Arc<Root>, PathBuf),
    Analyst(PathBuf),
}

impl Dir {
    fn child(&self, name: &OsStr) -> Location {
        match self {
            // The name's own bytes, so a name that is not UTF-8 still opens.
            Dir::InRoot(root, rel) => Location::InRoot {
                root: root.clone(),
                rel: rel.join(name),
            },
            Dir::Analyst(path) => Location::Analyst(path.join(name)),
        }
    }

    fn child_dir(&self, name: &OsStr) -> Dir {
        match self {
            Dir::InRoot(root, rel) => Dir::InRoot(root.clone(), rel.join(name)),
            Dir::Analyst(path) => Dir::Analyst(path.join(name)),
        }
    }

    fn list(
        &self,
        wanted: &mut dyn FnMut(&[u8]) -> bool,
        limit: usize,
    ) -> io::Result<kensa_fs::Listing> {
        match self {
            Dir::InRoot(root, rel) => root.read_dir_matching(rel, wanted, limit),
            Dir::Analyst(path) => analyst::read_dir_matching(path, wanted, limit),
        }
    }

    fn lstat(&self) -> io::Result<Meta> {
        match self {
            Dir::InRoot(root, rel) => root.lstat(rel),
            Dir::Analyst(path) => analyst::lstat(path),
        }
    }

    /// This path as a directory to list (it is one).
    fn as_dir(&self) -> Dir {
        self.clone()
    }

    /// The directory holding this path and its last name.
    fn split(&self) -> (Dir, OsString) {
        match self {
            Dir::InRoot(root, rel) => {
                let parent = match rel.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                let name = rel.file_name().map(OsStr::to_os_string);
                (Dir::InRoot(root.clone(), parent), name.unwrap_or_default())
            }
            Dir::Analyst(path) => (
                Dir::Analyst(path.parent().map(Path::to_path_buf).unwrap_or_default()),
                path.file_name()
                    .map(OsStr::to_os_string)
                    .unwrap_or_default(),
            ),
        }
    }

    /// What tells files of one directory from another's in a grouping key.
    fn key(&self) -> PathBuf {
        match self {
            Dir::InRoot(root, rel) => root.path().join(rel),
            Dir::Analyst(path) => path.clone(),
        }
    }
}

/// One directory entry that passed the name filter.
struct Entry {
    dir: Dir,
    name: OsString,
    meta: Meta,
}

/// Lists the entries of `dir` whose names `wanted` accepts, sorted by name. A missing
/// directory is silent; any other failure is a warning naming the directory.
fn list_dir(
    dir: &Dir,
    dir_display: &str,
    diags: &mut Vec<Diagnostic>,
    wanted: impl Fn(&[u8]) -> bool,
) -> Vec<Entry> {
    let listing = match dir.list(&mut |name| wanted(name), MAX_LOG_FILES_PER_DIR) {
        Ok(listing) => listing,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Vec::new(),
        Err(error) => {
            diags.push(Diagnostic::coded_localized(
                DiagnosticLevel::Warning,
                dir_display,
                None,
                MessageCode::DirectoryUnreadable,
                vec![("error", kensa_core::error_text(&error))],
            ));
            return Vec::new();
        }
    };
    if listing.truncated {
        let scanned = kensa_fs::MAX_SCANNED_ENTRIES;
        diags.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            dir_display,
            None,
            tr!(
                "more than {MAX_LOG_FILES_PER_DIR} log files or {scanned} \
                 entries; the rest of the directory was not read",
                "ログファイルが {MAX_LOG_FILES_PER_DIR} 個を超えるか、エントリが \
                 {scanned} 個を超えています。ディレクトリの残りは読み取っていません"
            ),
        ));
    }
    listing
        .entries
        .into_iter()
        .map(|item| Entry {
            dir: dir.clone(),
            name: item.name,
            meta: item.meta,
        })
        .collect()
}

/// Turns a listed entry into a candidate log file, or says why not.
fn accept_entry(
    entry: Entry,
    dir_display: &str,
    non_regular_level: DiagnosticLevel,
    diags: &mut Vec<Diagnostic>,
) -> Option<Candidate> {
    let display = join_display(dir_display, &entry.name);
    if entry.meta.is_symlink() {
        diags.push(Diagnostic::coded(
            DiagnosticLevel::Note,
            display,
            None,
            MessageCode::SymlinkNotFollowed,
            Vec::new(),
        ));
        return None;
    }
    if !entry.meta.is_file() {
        let Localized { en, ja } = describe_non_regular(entry.meta.kind);
        diags.push(Diagnostic::say(
            non_regular_level,
            display,
            None,
            tr!("{en}; skipped", "{ja}。読み飛ばしました"),
        ));
        return None;
    }
    if entry.name.as_bytes().ends_with(b".Z") {
        diags.push(Diagnostic::say(
            DiagnosticLevel::Note,
            display,
            None,
            tr!(
                "compress(1) .Z files are not supported; decompress it and name the result",
                "compress(1) の .Z ファイルには対応していません。展開して、展開したファイルを\
                 指定してください"
            ),
        ));
        return None;
    }
    // The listing's metadata would do, but an explicit lstat keeps "never follow" obvious.
    match entry.dir.child(&entry.name).lstat() {
        Ok(metadata) if metadata.is_file() => Some(Candidate::new(
            entry.dir,
            dir_display.to_owned(),
            entry.name,
            &metadata,
        )),
        Ok(metadata) => {
            // Replaced between listing and looking: judge what is there now.
            let Localized { en, ja } = describe_non_regular(metadata.kind);
            diags.push(Diagnostic::say(
                non_regular_level,
                display,
                None,
                tr!("{en}; skipped", "{ja}。読み飛ばしました"),
            ));
            None
        }
        Err(error) => {
            diags.push(Diagnostic::say(DiagnosticLevel::Warning, display, None, {
                let error = kensa_core::error_text(&error);
                kensa_core::Localized {
                    en: format!("cannot be examined: {}", error.en),
                    ja: format!("調べられません: {}", error.ja),
                }
            }));
            None
        }
    }
}

/// What a path that is not a regular file is, as a sentence a diagnostic goes on from.
fn describe_non_regular(kind: FileKind) -> Localized {
    if kind == FileKind::Symlink {
        tr!(
            "symbolic link, not followed",
            "シンボリックリンクです（たどりません）"
        )
    } else if kind == FileKind::Dir {
        tr!(
            "a directory, not a log file",
            "ログファイルではなくディレクトリです"
        )
    } else if kind == FileKind::Fifo {
        tr!(
            "not a regular file (FIFO)",
            "通常のファイルではありません（FIFO）"
        )
    } else if kind == FileKind::Socket {
        tr!(
            "not a regular file (socket)",
            "通常のファイルではありません（ソケット）"
        )
    } else if kind == FileKind::BlockDevice {
        tr!(
            "not a regular file (block device)",
            "通常のファイルではありません（ブロックデバイス）"
        )
    } else if kind == FileKind::CharDevice {
        tr!(
            "not a regular file (character device)",
            "通常のファイルではありません（キャラクタデバイス）"
        )
    } else {
        tr!("not a regular file", "通常のファイルではありません")
    }
}

/// A regular file that will be read, before it is placed in its set.
struct Candidate {
    dir: Dir,
    dir_display: String,
    name: OsString,
    identity: (u64, u64),
    mtime: Option<jiff::Timestamp>,
    len: u64,
    format: LogFormat,
}

impl Candidate {
    fn new(dir: Dir, dir_display: String, name: OsString, metadata: &Meta) -> Self {
        let format = sniff_file(&dir.child(&name));
        Candidate {
            dir,
            dir_display,
            name,
            identity: (metadata.dev, metadata.ino),
            mtime: metadata.mtime,
            len: metadata.len,
            format,
        }
    }
}

/// Where a file stands in its stream, read from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Age {
    /// The file being written to.
    Live,
    /// `name.N[.gz…]`: rotated N times (BSD counts from 0, logrotate from 1).
    Numbered(u32),
    /// `name-YYYYMMDD[…]` or `name.YYYYMMDD`: the digits, compared as text (same format
    /// within one set, so text order is date order).
    Dated(Vec<u8>),
}

/// Suffixes compressors add, stripped before the rotation suffix is read.
const COMPRESSION_SUFFIXES: &[&[u8]] = &[b".gz", b".bz2", b".xz", b".zst", b".lzma", b".Z"];

/// Splits a file name into its stream's base name and its age: `syslog.2.gz` → (`syslog`,
/// 2), `maillog-20240101.gz` → (`maillog`, dated), `syslog` → (`syslog`, live). A name with
/// an unknown suffix (`syslog.bak`, `syslog.gz`) is a stream of its own, live.
fn split_rotation(name: &[u8]) -> (&[u8], Age) {
    let whole = (name, Age::Live);
    let stem = match COMPRESSION_SUFFIXES
        .iter()
        .find(|suffix| name.ends_with(suffix))
    {
        Some(suffix) => name.get(..name.len() - suffix.len()).unwrap_or(name),
        None => name,
    };
    // The trailing run of digits and dashes holds the rotation mark, if there is one.
    let run_start = stem
        .iter()
        .rposition(|byte| !(byte.is_ascii_digit() || *byte == b'-'))
        .map_or(0, |position| position + 1);
    let (Some(head), Some(run)) = (stem.get(..run_start), stem.get(run_start..)) else {
        return whole;
    };

    // `name.N` or `name.YYYYMMDD`.
    if let Some(base) = head.strip_suffix(b".") {
        if base.is_empty() || run.is_empty() || !run.iter().all(u8::is_ascii_digit) {
            return whole;
        }
        if run.len() == 8 && is_date(run) {
            return (base, Age::Dated(run.to_vec()));
        }
        return match std::str::from_utf8(run)
            .ok()
            .and_then(|digits| digits.parse::<u32>().ok())
        {
            Some(number) => (base, Age::Numbered(number)),
            None => whole,
        };
    }

    // `name-YYYYMMDD`, `name-YYYYMMDDHH`, `name-YYYYMMDD-SECONDS`, `name-YYYY-MM-DD`.
    if let Some(marks) = run.strip_prefix(b"-") {
        let digits: Vec<u8> = marks.iter().copied().filter(u8::is_ascii_digit).collect();
        let base = head;
        let starts_with_date = match marks {
            [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, ..] => {
                is_date(&[*y1, *y2, *y3, *y4, *m1, *m2, *d1, *d2])
            }
            _ => marks.get(..8).is_some_and(is_date),
        };
        if !base.is_empty() && starts_with_date && digits.len() <= 24 {
            return (base, Age::Dated(digits));
        }
    }
    whole
}

/// Splits a journal file name into its stream and its age. journald names the live file
/// `system.journal` (or `user-1000.journal`), an archived one
/// `system@SEQNUM_ID-HEAD_SEQNUM-HEAD_REALTIME.journal` and one it set aside after an
/// unclean shutdown `system@REALTIME-RANDOM.journal~`, the numbers as 16 (32 for the id)
/// lower-case hex digits: the head's realtime, compared as text, orders the pieces.
fn split_journal_name(name: &[u8]) -> (&[u8], Age) {
    let stem = name
        .strip_suffix(b".journal~")
        .or_else(|| name.strip_suffix(b".journal"))
        .unwrap_or(name);
    let Some(at) = memchr::memchr(b'@', stem) else {
        return (stem, Age::Live);
    };
    let (base, marks) = (&stem[..at], &stem[at + 1..]);
    let parts: Vec<&[u8]> = marks.split(|&b| b == b'-').collect();
    let realtime = match parts.as_slice() {
        [_, _, realtime] => *realtime,
        [realtime, _] => *realtime,
        _ => marks,
    };
    (base, Age::Dated(realtime.to_ascii_lowercase()))
}

/// Whether 8 ASCII digits read as a plausible YYYYMMDD date.
fn is_date(digits: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = digits.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    digits.len() == 8
        && matches!(number(0..4), Some(1970..=2199))
        && matches!(number(4..6), Some(1..=12))
        && matches!(number(6..8), Some(1..=31))
}

/// Groups candidates into rotation sets by (directory, base name), orders each oldest
/// first, ranks dated files, and sorts the sets by name.
fn group_into_sets(candidates: Vec<Candidate>) -> Vec<LogSet> {
    struct Member {
        age: Age,
        candidate: Candidate,
    }
    let mut groups: BTreeMap<(String, LogFormat, Vec<u8>, PathBuf), Vec<Member>> = BTreeMap::new();
    for candidate in candidates {
        let (base, age) = match candidate.format {
            LogFormat::Journal => split_journal_name(candidate.name.as_bytes()),
            LogFormat::Text | LogFormat::Audit => split_rotation(candidate.name.as_bytes()),
        };
        let set_name = join_display(&candidate.dir_display, OsStr::from_bytes(base));
        let key = (
            set_name,
            candidate.format,
            base.to_vec(),
            candidate.dir.key(),
        );
        groups
            .entry(key)
            .or_default()
            .push(Member { age, candidate });
    }

    let mut sets = Vec::with_capacity(groups.len());
    for ((name, format, _, _), mut members) in groups {
        // Oldest first: dated files by date, then numbered ones from the highest number,
        // then the live file. A set that mixes both schemes (a host switched logrotate's
        // `dateext` on or off) is rare and cannot be ordered from names alone; dated files
        // are put first so that each scheme at least stays in order.
        members.sort_by(|a, b| {
            let order = |age: &Age| match age {
                Age::Dated(_) => 0,
                Age::Numbered(_) => 1,
                Age::Live => 2,
            };
            order(&a.age)
                .cmp(&order(&b.age))
                .then_with(|| match (&a.age, &b.age) {
                    (Age::Dated(x), Age::Dated(y)) => x.cmp(y),
                    (Age::Numbered(x), Age::Numbered(y)) => y.cmp(x),
                    _ => std::cmp::Ordering::Equal,
                })
                // Two files of the same age (`syslog.2` beside `syslog.2.gz`, left by an
                // interrupted logrotate): any fixed order will do.
                .then_with(|| a.candidate.name.as_bytes().cmp(b.candidate.name.as_bytes()))
        });
        let highest_number = members
            .iter()
            .filter_map(|member| match member.age {
                Age::Numbered(number) => Some(number),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let dated = members
            .iter()
            .filter(|member| matches!(member.age, Age::Dated(_)))
            .count();
        let files = members
            .into_iter()
            .enumerate()
            .map(|(index, member)| {
                let rotation = match member.age {
                    Age::Live => None,
                    Age::Numbered(number) => Some(number),
                    // Dated members come first, oldest at index 0: the newest gets
                    // highest_number + 1.
                    Age::Dated(_) => {
                        let from_newest = u32::try_from(dated - index).unwrap_or(u32::MAX);
                        Some(highest_number.saturating_add(from_newest))
                    }
                };
                let candidate = member.candidate;
                LogFile {
                    location: candidate.dir.child(&candidate.name),
                    display: join_display(&candidate.dir_display, &candidate.name),
                    rotation,
                    mtime: candidate.mtime,
                    len: candidate.len,
                }
            })
            .collect();
        sets.push(LogSet {
            name,
            format,
            files,
        });
    }
    sets.sort_by(|a, b| a.name.cmp(&b.name).then(a.format.cmp(&b.format)));
    sets
}

/// `path` made absolute against the current directory and cleaned of `.` and `..`
/// lexically (for comparing with the root, not for opening).
fn absolutize(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut clean = PathBuf::from("/");
    for component in joined.components() {
        match component {
            Component::Normal(name) => clean.push(name),
            Component::ParentDir => {
                clean.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    clean
}

fn lossy(text: &OsStr) -> String {
    String::from_utf8_lossy(text.as_bytes()).into_owned()
}

/// `dir/name` for display; a bare name when the directory is empty or `.`.
fn join_display(dir: &str, name: &OsStr) -> String {
    let name = lossy(name);
    if dir.is_empty() || dir == "." {
        name
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The directory part of a display path ("" for a bare name).
fn display_parent(display: &str) -> String {
    match display.rfind('/') {
        Some(0) => "/".to_owned(),
        Some(slash) => display.get(..slash).unwrap_or_default().to_owned(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (String, Age) {
        let (base, age) = split_rotation(name.as_bytes());
        (String::from_utf8_lossy(base).into_owned(), age)
    }

    #[test]
    fn rotation_suffixes_are_read_from_names() {
        assert_eq!(split("syslog"), ("syslog".into(), Age::Live));
        assert_eq!(split("syslog.0"), ("syslog".into(), Age::Numbered(0)));
        assert_eq!(split("syslog.1"), ("syslog".into(), Age::Numbered(1)));
        assert_eq!(split("syslog.22.gz"), ("syslog".into(), Age::Numbered(22)));
        assert_eq!(split("maillog.3.bz2"), ("maillog".into(), Age::Numbered(3)));
        assert_eq!(
            split("auth.log.4.xz"),
            ("auth.log".into(), Age::Numbered(4))
        );
        assert_eq!(split("secure.5.zst"), ("secure".into(), Age::Numbered(5)));
        assert_eq!(split("messages.1.Z"), ("messages".into(), Age::Numbered(1)));
        let dated = |digits: &str| Age::Dated(digits.as_bytes().to_vec());
        assert_eq!(
            split("maillog-20240101"),
            ("maillog".into(), dated("20240101"))
        );
        assert_eq!(
            split("maillog-20240101.gz"),
            ("maillog".into(), dated("20240101"))
        );
        assert_eq!(
            split("mail.log.20240101"),
            ("mail.log".into(), dated("20240101"))
        );
        assert_eq!(
            split("secure-2024-01-01"),
            ("secure".into(), dated("20240101"))
        );
        assert_eq!(
            split("secure-2024010112"),
            ("secure".into(), dated("2024010112"))
        );
        assert_eq!(
            split("secure-20240101-1704067200.gz"),
            ("secure".into(), dated("202401011704067200"))
        );
    }

    #[test]
    fn unknown_suffixes_make_a_stream_of_their_own() {
        for name in [
            "syslog.bak",
            "syslog~",
            "syslog.gz",
            "syslog-1",
            "syslog.99999999999",
            "syslog-20241399",
            ".1",
            "-20240101",
            "",
            "123",
        ] {
            assert_eq!(split(name), (name.into(), Age::Live), "{name}");
        }
    }

    #[test]
    fn binary_records_are_recognised_by_prefix() {
        for name in [
            "wtmp",
            "wtmpx",
            "wtmp.1",
            "utmpx",
            "btmp.1.gz",
            "lastlog",
            "pacct.0",
            "acct",
            "syslogd.pid",
        ] {
            assert!(is_binary_record(name.as_bytes()), "{name}");
        }
        for name in ["messages", "sulog", "aculog", "syslog"] {
            assert!(!is_binary_record(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn display_parent_splits_at_the_last_slash() {
        assert_eq!(display_parent("var/log/syslog"), "var/log");
        assert_eq!(display_parent("/syslog"), "/");
        assert_eq!(display_parent("syslog"), "");
        assert_eq!(join_display("", OsStr::new("a")), "a");
        assert_eq!(join_display("/", OsStr::new("a")), "/a");
    }
}
