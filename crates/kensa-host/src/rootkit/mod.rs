//! Traces of trojans and rootkits, and setuid files (family `RK`).
//!
//! The facts come from the data file `data/rootkit-traces.tsv` ([`traces`]): paths
//! and names the classic kits leave (lrk's `/dev/ptyp` hide lists, t0rn's
//! `/usr/src/.puta`, sniffer logs), strings compiled into their trojaned programs, the
//! regular files and dot-directories that are normal under `dev` and in system
//! directories, the programs systems install setuid, and the shells.
//!
//! One walk of the whole root ([`walk`], shared by the rules; `proc` and `sys` are
//! skipped, links are never followed, at most [`MAX_WALK_ENTRIES`] entries) collects
//! what the rules judge: setuid and setgid files, dot-named and oddly named entries,
//! regular files under `dev`, and files with a kit's name. The rules:
//! [`rk001_rootkit_file`] (a known kit file or sniffer log), [`rk002_trojan_strings`]
//! (a system program holding a kit's hide-list path), [`rk003_hidden_directory`]
//! (`...`, `.. `, dot-directories in system directories), [`rk004_dev_file`] (regular
//! files in `dev`), [`rk005_unexpected_setuid`] (setuid or setgid files the system
//! does not account for) and [`rk006_setuid_shell`] (every setuid or setgid copy of a
//! shell).

pub mod rk001_rootkit_file;
pub mod rk002_trojan_strings;
pub mod rk003_hidden_directory;
pub mod rk004_dev_file;
pub mod rk005_unexpected_setuid;
pub mod rk006_setuid_shell;
pub mod traces;

use crate::{Context, Root};
use kensa_core::{Diagnostic, DiagnosticLevel, Localized, Rule, tr};
use kensa_fs::{FileKind, Meta};
use std::sync::Arc;

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &rk001_rootkit_file::RULE,
    &rk002_trojan_strings::RULE,
    &rk003_hidden_directory::RULE,
    &rk004_dev_file::RULE,
    &rk005_unexpected_setuid::RULE,
    &rk006_setuid_shell::RULE,
];

/// The rootkit checks, in the order they run (one per rule, in code order).
pub(crate) fn checks() -> Vec<crate::Check> {
    let runs: [(&'static str, crate::CheckFn); 6] = [
        ("rootkit-file", rk001_rootkit_file::check),
        ("trojan-strings", rk002_trojan_strings::check),
        ("hidden-directory", rk003_hidden_directory::check),
        ("dev-file", rk004_dev_file::check),
        ("unexpected-setuid", rk005_unexpected_setuid::check),
        ("setuid-shell", rk006_setuid_shell::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| crate::Check { name, rules, run })
        .collect()
}

/// Entries visited by one walk of the root at most; a larger tree is cut (with a
/// warning naming what was not seen).
pub const MAX_WALK_ENTRIES: u64 = 10_000_000;

/// Top-level directories not walked: kernel views, not files an intruder leaves.
pub const SKIPPED_TOP: [&str; 2] = ["proc", "sys"];

/// What one walk of the root collected.
#[derive(Debug, Default)]
pub struct Walk {
    /// Setuid or setgid regular files.
    pub setuid: Vec<(String, Meta)>,
    /// Entries whose name starts with a dot or is odd (only dots and spaces, leading
    /// or trailing blanks, control bytes, not UTF-8), with their metadata.
    pub hidden: Vec<(String, Meta)>,
    /// Regular files under `dev`.
    pub dev_files: Vec<(String, Meta)>,
    /// Entries whose name or path is a trace: (path, metadata, index in
    /// [`traces::Traces::entries`]).
    pub trace_hits: Vec<(String, Meta, usize)>,
    /// Entries visited.
    pub entries: u64,
}

/// The walk, shared by the rules of this family.
#[derive(Default)]
pub struct Cache {
    walk: Option<Arc<Walk>>,
    shells: Option<Arc<Vec<(String, Meta, kensa_core::Localized)>>>,
}

/// The walk of the root, made on first use.
pub fn walked(ctx: &mut Context<'_>) -> Arc<Walk> {
    if let Some(w) = &ctx.rootkit.walk {
        return w.clone();
    }
    let w = Arc::new(walk(ctx.root, traces::get(), &mut ctx.diagnostics));
    ctx.rootkit.walk = Some(w.clone());
    w
}

/// Whether `name` is odd enough to hide something: only dots and blanks (`...`,
/// `.. `, ` `), leading or trailing blanks, or control bytes.
pub fn odd_name(name: &str) -> bool {
    if name == "." || name == ".." {
        return false;
    }
    name.bytes().all(|b| b == b'.' || b == b' ' || b == b'\t')
        || name.starts_with(' ')
        || name.ends_with(' ')
        || name.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// Walks the whole root once (links not followed, `proc` and `sys` skipped).
pub fn walk(root: &Root, traces: &traces::Traces, diags: &mut Vec<Diagnostic>) -> Walk {
    let mut out = Walk::default();
    let mut stack: Vec<String> = vec![String::new()];
    while let Some(dir) = stack.pop() {
        let rel = if dir.is_empty() { "." } else { dir.as_str() };
        let entries = match root.read_dir(rel) {
            Ok(entries) => entries,
            Err(err) => {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(rel),
                    None,
                    tr!(
                        "cannot list: {err}; not searched for rootkit traces or setuid files",
                        "ディレクトリの一覧を読み取れません: {err}。ルートキットの痕跡や setuid \
                         ファイルは探していません"
                    ),
                ));
                continue;
            }
        };
        for e in entries {
            out.entries += 1;
            if out.entries > MAX_WALK_ENTRIES {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(rel),
                    None,
                    tr!(
                        "more than {MAX_WALK_ENTRIES} files: the search for rootkit traces \
                         and setuid files stopped here",
                        "ファイルが {MAX_WALK_ENTRIES} 個を超えるため、ルートキットの痕跡と \
                         setuid ファイルの探索はここで打ち切りました"
                    ),
                ));
                return out;
            }
            let (name, utf8) = match e.name.to_str() {
                Some(n) => (n.to_string(), true),
                None => (e.name.to_string_lossy().into_owned(), false),
            };
            if dir.is_empty() && SKIPPED_TOP.contains(&name.as_str()) {
                continue;
            }
            let path = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let meta = e.meta;
            if !utf8 || odd_name(&name) || name.starts_with('.') {
                out.hidden.push((path.clone(), meta));
            }
            if let Some(i) = traces.name_index(&name) {
                out.trace_hits.push((path.clone(), meta, i));
            }
            for i in traces.glob_paths(&path) {
                if !(path.starts_with("dev/") && is_device(meta.kind)) {
                    out.trace_hits.push((path.clone(), meta, i));
                }
            }
            if meta.kind == FileKind::File {
                if meta.mode & 0o6000 != 0 {
                    out.setuid.push((path.clone(), meta));
                }
                if path.starts_with("dev/") {
                    out.dev_files.push((path.clone(), meta));
                }
            }
            if meta.kind == FileKind::Dir && utf8 {
                stack.push(path);
            }
        }
    }
    // Reports do not depend on the order directories were visited in.
    out.setuid.sort_by(|a, b| a.0.cmp(&b.0));
    out.hidden.sort_by(|a, b| a.0.cmp(&b.0));
    out.dev_files.sort_by(|a, b| a.0.cmp(&b.0));
    out.trace_hits
        .sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    out
}

/// Whether a file kind is a device node.
pub fn is_device(kind: FileKind) -> bool {
    matches!(kind, FileKind::CharDevice | FileKind::BlockDevice)
}

/// `mode 4755, owner root (0), group root (0), 1234 bytes, modified …` for evidence, in
/// both languages.
pub fn describe(ctx: &mut Context<'_>, meta: &Meta) -> Localized {
    let owner = ctx.user_name(meta.uid);
    let group = ctx.group_name(meta.gid);
    let mtime = meta.mtime.map(|t| t.to_string()).unwrap_or_default();
    let (mode, uid, gid, len) = (format!("{:04o}", meta.mode), meta.uid, meta.gid, meta.len);
    tr!(
        "mode {mode}, owner {owner} ({uid}), group {group} ({gid}), {len} bytes, modified {mtime}",
        "モード {mode}、所有者 {owner}（{uid}）、グループ {group}（{gid}）、{len} バイト、\
         更新日時 {mtime}"
    )
}

/// Directories where programs live, searched for programs by name.
pub const PROGRAM_DIRS: [&str; 10] = [
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    "usr/etc",
    "usr/ucb",
    "etc",
    "usr/lib",
    "usr/libexec",
    "usr/local/bin",
];

/// The files named `name` in [`PROGRAM_DIRS`], resolved inside the root, each file
/// once (by device and inode): (path as resolved, metadata).
pub fn programs_named(root: &Root, names: &[&str]) -> Vec<(String, Meta)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for dir in PROGRAM_DIRS {
        for name in names {
            let rel = format!("{dir}/{name}");
            let Ok(meta) = root.stat(&rel) else {
                continue;
            };
            if meta.kind != FileKind::File || !seen.insert((meta.dev, meta.ino)) {
                continue;
            }
            let path = root.resolve(&rel).unwrap_or(rel);
            out.push((path, meta));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_are_the_hiding_kind() {
        for odd in ["...", ".. ", " ", "..  ", "x ", " x", "a\u{1b}b"] {
            assert!(odd_name(odd), "{odd:?}");
        }
        for fine in [".", "..", ".bashrc", "lib", "a b"] {
            assert!(!odd_name(fine), "{fine:?}");
        }
    }

    #[test]
    fn the_walk_skips_proc_and_never_follows_links() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("proc/1")).unwrap();
        std::fs::write(p.join("proc/1/tcp.log"), b"x").unwrap();
        std::fs::create_dir_all(p.join("usr/lib")).unwrap();
        std::fs::write(p.join("usr/lib/tcp.log"), b"x").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("tcp.log"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path(), p.join("usr/out")).unwrap();
        let root = Root::open(p).unwrap();
        let mut diags = Vec::new();
        let w = walk(&root, traces::get(), &mut diags);
        let hits: Vec<&str> = w.trace_hits.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(hits, ["usr/lib/tcp.log"]);
        assert!(diags.is_empty(), "{diags:?}");
    }
}
