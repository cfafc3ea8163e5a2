//! Anonymous FTP: the area anonymous users see, and the FTP servers' configurations.
//!
//! The second attack of JPCERT-E-INF-97-0001 needed nothing but a writable anonymous FTP
//! root: upload `~ftp/.forward` holding `|command`, mail `ftp@host`, and sendmail runs
//! the command; or upload `~ftp/.rhosts` with `+ +` and `rlogin` as `ftp`. CERT's
//! CA-93:10 guidelines, COPS' `ftp.chk` and Tiger's `check_anonftp` say what a safe area
//! looks like, and these checks follow them, one file per code:
//!
//! - [`ft001_root_writable`]: `~ftp` and `~ftp/{bin,etc,dev,usr,usr/lib}` owned by root
//!   and not writable by the ftp user, its group or others;
//! - [`ft002_passwd_copy`]: `~ftp/etc/passwd` and `group` are dummies without hashes,
//!   not copies of the real files;
//! - [`ft003_dotfiles`]: a non-empty `~ftp/.rhosts` or any `~ftp/.forward` — the attack's
//!   own traces;
//! - [`ft004_writable_dirs`]: no other directory under `~ftp` writable by anonymous
//!   users, except a write-only `incoming`;
//! - [`ft005_ftp_shell`]: the ftp account has no login shell;
//! - [`ft006_ftpusers`]: system accounts are refused by `etc/ftpusers`;
//! - [`ft007_wuftpd_ftpaccess`], [`ft008_vsftpd`], [`ft009_proftpd`],
//!   [`ft010_pure_ftpd`]: what each server's configuration lets anonymous users write.
//!
//! The anonymous area is found from the root's own `etc/passwd` (accounts `ftp` and
//! `anonymous`), never from NSS, plus vsftpd's `anon_root` when one is set. Walks go through [`crate::Root`]: links are described,
//! never followed, and every walk is bounded ([`MAX_WALK_DIRS`], [`MAX_WALK_DEPTH`]).

pub mod ft001_root_writable;
pub mod ft002_passwd_copy;
pub mod ft003_dotfiles;
pub mod ft004_writable_dirs;
pub mod ft005_ftp_shell;
pub mod ft006_ftpusers;
pub mod ft007_wuftpd_ftpaccess;
pub mod ft008_vsftpd;
pub mod ft009_proftpd;
pub mod ft010_pure_ftpd;

use crate::{Check, CheckFn, Context};
use kensa_core::{Localized, Rule, tr};
use kensa_fs::Meta;

/// Directories walked under `~ftp` at most.
pub const MAX_WALK_DIRS: usize = 10_000;
/// Depth walked under `~ftp` at most.
pub const MAX_WALK_DEPTH: usize = 16;
/// Bytes of a configuration or file line kept as evidence.
pub(crate) const MAX_EVIDENCE_BYTES: usize = 512;

static RULES: [&Rule; 10] = [
    &ft001_root_writable::RULE,
    &ft002_passwd_copy::RULE,
    &ft003_dotfiles::RULE,
    &ft004_writable_dirs::RULE,
    &ft005_ftp_shell::RULE,
    &ft006_ftpusers::RULE,
    &ft007_wuftpd_ftpaccess::RULE,
    &ft008_vsftpd::RULE,
    &ft009_proftpd::RULE,
    &ft010_pure_ftpd::RULE,
];

/// The anonymous FTP checks, in the order they run.
pub(crate) fn checks() -> Vec<Check> {
    let runs: [(&'static str, CheckFn); 10] = [
        ("anon-ftp-root-writable", ft001_root_writable::check),
        ("anon-ftp-passwd-copy", ft002_passwd_copy::check),
        ("anon-ftp-dotfiles", ft003_dotfiles::check),
        ("anon-ftp-writable-dirs", ft004_writable_dirs::check),
        ("ftp-account-shell", ft005_ftp_shell::check),
        ("ftpusers", ft006_ftpusers::check),
        ("wu-ftpd-ftpaccess", ft007_wuftpd_ftpaccess::check),
        ("vsftpd-conf", ft008_vsftpd::check),
        ("proftpd-conf", ft009_proftpd::check),
        ("pure-ftpd-conf", ft010_pure_ftpd::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| Check { name, rules, run })
        .collect()
}

/// The anonymous FTP account and its area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnonArea {
    /// The account (`ftp` or `anonymous`).
    pub account: String,
    /// Its home, relative to the audited root (`home/ftp`), `.` for `/`.
    pub home: String,
    /// Its user id, if the passwd line gave one.
    pub uid: Option<u32>,
    /// Its group id, if the passwd line gave one.
    pub gid: Option<u32>,
    /// The other groups it is a member of (per the root's `etc/group`).
    pub groups: Vec<u32>,
    /// The `passwd` file and line of the account.
    pub file: String,
    /// Its line number.
    pub line: u64,
}

/// The anonymous FTP accounts (`ftp`, `anonymous`) of the root's `passwd`, one per home.
pub fn anon_areas(ctx: &mut Context<'_>) -> Vec<AnonArea> {
    let passwd = ctx.passwd();
    let group = ctx.group();
    let mut areas: Vec<AnonArea> = Vec::new();
    for entry in passwd.iter() {
        if entry.nis || !(entry.name == "ftp" || entry.name == "anonymous") {
            continue;
        }
        let home = entry.home.trim_matches('/');
        let home = if home.is_empty() { "." } else { home };
        if areas.iter().any(|a| a.home == home) {
            continue;
        }
        let groups = group
            .iter()
            .filter(|g| g.members.contains(&entry.name))
            .filter_map(|g| g.gid)
            .collect();
        areas.push(AnonArea {
            account: entry.name.clone(),
            home: home.to_string(),
            uid: entry.uid,
            gid: entry.gid,
            groups,
            file: entry.file.clone(),
            line: entry.line,
        });
    }
    // vsftpd serves anonymous users from `anon_root` instead of the ftp home when set.
    for rel in ft008_vsftpd::VSFTPD_CONF {
        let Some(bytes) = ctx.read_config(rel) else {
            continue;
        };
        let enabled = ft008_vsftpd::setting(&bytes, "anonymous_enable")
            .is_none_or(|s| ft008_vsftpd::truthy(&s.value));
        let Some(anon_root) = ft008_vsftpd::setting(&bytes, "anon_root") else {
            continue;
        };
        let home = anon_root.value.trim_matches('/');
        let home = if home.is_empty() { "." } else { home };
        if !enabled || areas.iter().any(|a| a.home == home) {
            continue;
        }
        let Some(account) = areas.first().cloned() else {
            continue;
        };
        areas.push(AnonArea {
            home: home.to_string(),
            file: ctx.root.display(rel),
            line: anon_root.line,
            ..account
        });
    }
    areas
}

/// `home/ftp` + `etc` → `home/ftp/etc` (`.` is the root itself).
pub fn join(home: &str, rel: &str) -> String {
    match (home, rel) {
        (".", rel) => rel.to_string(),
        (home, "") => home.to_string(),
        (home, rel) => format!("{home}/{rel}"),
    }
}

impl AnonArea {
    /// How the anonymous user could write to a file with `meta`, if it could: the
    /// reason in words for the finding, in English and in Japanese.
    pub fn write_access(&self, meta: &Meta) -> Option<(&'static str, &'static str)> {
        if self.uid == Some(meta.uid) {
            return Some(if meta.mode & 0o200 != 0 {
                (
                    "owned by the ftp user and writable by it",
                    "ftp ユーザが所有し、書き込める",
                )
            } else {
                (
                    "owned by the ftp user (who can chmod it)",
                    "ftp ユーザが所有している（chmod で書き込めるようにできる）",
                )
            });
        }
        let ftp_group = self.gid == Some(meta.gid) || self.groups.contains(&meta.gid);
        if ftp_group && meta.group_writable() {
            return Some((
                "writable by the ftp user's group",
                "ftp ユーザのグループが書き込める",
            ));
        }
        if meta.other_writable() {
            return Some(("writable by everyone", "誰でも書き込める"));
        }
        None
    }

    /// Whether the class that grants write access also grants reading (listing) it: a
    /// write-only `incoming` (1733) lets files in but not out.
    pub fn readable_where_writable(&self, meta: &Meta) -> bool {
        if self.uid == Some(meta.uid) {
            return true;
        }
        let ftp_group = self.gid == Some(meta.gid) || self.groups.contains(&meta.gid);
        (ftp_group && meta.group_writable() && meta.group_readable())
            || (meta.other_writable() && meta.other_readable())
    }
}

/// Description of a file for evidence: mode, owner and group names.
pub(crate) fn describe(ctx: &mut Context<'_>, meta: &Meta) -> Localized {
    let owner = ctx.user_name(meta.uid);
    let group = ctx.group_name(meta.gid);
    let mode = format!("{:04o}", meta.mode);
    tr!(
        "mode {mode}, owner {owner}, group {group}",
        "モード {mode}、所有者 {owner}、グループ {group}"
    )
}

/// The first line of a file, cut, for evidence (never a whole file).
pub(crate) fn first_line(bytes: &[u8]) -> String {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.get(..MAX_EVIDENCE_BYTES).unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}

/// Splits a configuration file into numbered lines with their offsets.
pub(crate) fn lines(bytes: &[u8]) -> impl Iterator<Item = (u64, u64, &[u8])> {
    let mut offset = 0u64;
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(move |(i, raw)| {
            let at = offset;
            offset += raw.len() as u64 + 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            (i as u64 + 1, at, raw)
        })
}

/// A configuration line as evidence.
pub(crate) fn line_evidence(
    file: &str,
    line: u64,
    offset: u64,
    raw: &[u8],
) -> kensa_core::Evidence {
    let raw = raw.get(..MAX_EVIDENCE_BYTES).unwrap_or(raw);
    kensa_core::Evidence::from_line(file, line, offset, raw, None)
}

/// Reads the first existing file of `candidates` (bounded); its path and bytes.
pub(crate) fn read_first(ctx: &mut Context<'_>, candidates: &[&str]) -> Option<(String, Vec<u8>)> {
    candidates.iter().find_map(|rel| {
        let bytes = ctx.read_config(rel)?;
        Some((rel.to_string(), bytes))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensa_fs::FileKind;

    fn meta(mode: u32, uid: u32, gid: u32) -> Meta {
        Meta {
            kind: FileKind::Dir,
            mode,
            uid,
            gid,
            len: 0,
            mtime: None,
            ctime: None,
            nlink: 2,
            dev: 1,
            ino: 1,
        }
    }

    fn area() -> AnonArea {
        AnonArea {
            account: "ftp".into(),
            home: "home/ftp".into(),
            uid: Some(99),
            gid: Some(99),
            groups: vec![50],
            file: "etc/passwd".into(),
            line: 1,
        }
    }

    #[test]
    fn who_can_write() {
        let a = area();
        assert!(a.write_access(&meta(0o755, 0, 0)).is_none());
        assert!(a.write_access(&meta(0o775, 0, 0)).is_none());
        assert!(a.write_access(&meta(0o775, 0, 99)).is_some());
        assert!(a.write_access(&meta(0o775, 0, 50)).is_some());
        assert!(a.write_access(&meta(0o757, 0, 0)).is_some());
        assert!(a.write_access(&meta(0o555, 99, 0)).is_some());
        assert!(!a.readable_where_writable(&meta(0o1733, 0, 0)));
        assert!(a.readable_where_writable(&meta(0o1777, 0, 0)));
        assert!(a.readable_where_writable(&meta(0o733, 99, 0)));
    }

    #[test]
    fn config_parsers_never_panic() {
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        let alphabet: &[u8] =
            b"<>/ \n#=yesYESnoupload*incomingAnonymousLimitWRITEDenyAllAllowAllDirectory\xff\x00:,";
        for round in 0..3000 {
            let mut blob = Vec::new();
            for _ in 0..(round % 200) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                blob.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let _ = ft007_wuftpd_ftpaccess::judge(&blob, &[]);
            let _ = ft007_wuftpd_ftpaccess::judge(&blob, &["/home/ftp".to_string()]);
            let _ = ft008_vsftpd::judge(&blob);
            let _ = ft009_proftpd::judge(&blob);
            let _ = ft010_pure_ftpd::Options::from_file("f", &blob).anonymous_upload();
            let _ = ft006_ftpusers::listed(&blob);
            let _ = ft002_passwd_copy::is_copy(&blob, b"a:b\nc:d\ne:f\n");
        }
    }

    #[test]
    fn joins_paths_under_home() {
        assert_eq!(join("home/ftp", "etc"), "home/ftp/etc");
        assert_eq!(join(".", "etc"), "etc");
        assert_eq!(join("home/ftp", ""), "home/ftp");
    }
}
