//! # IN004 unpackaged-executable
//!
//! ## What it finds
//! A regular file in a system program directory (`bin`, `sbin`, `usr/bin`, `usr/sbin`,
//! `usr/games`, `usr/libexec`) or a shared library (`*.so*`) directly in a system
//! library directory (`lib*`, `usr/lib*` and their multiarch `*-linux-*`
//! subdirectories) that no installed package owns, per the `.list` files of the dpkg
//! database or the file lists of the rpm database's headers (`%ghost` files included:
//! rpm owns them). Files placed by `dpkg-divert` (either side of a diversion) count as
//! owned; symbolic links (the `alternatives` system's, and others) are not judged here.
//! A usr-merged root (`bin -> usr/bin`) is walked once. Only roots with a dpkg or rpm
//! database are checked.
//!
//! ## Why it matters
//! An intruder's tools — a backdoor daemon, a sniffer, a log cleaner, a library
//! preloaded to hide files (Jynx, Azazel) — are often dropped next to the system's own
//! programs, under names that look like them, where nobody looks. Administrators
//! install their own software under `usr/local` or `opt`, not among packaged programs.
//!
//! ## Example
//! ```text
//! usr/sbin/in.telnet: mode 0755, owner 0, group 0, 21400 bytes, modified 1997-01-02T03:04:05Z; owned by no package
//! ```
//!
//! ## What to do
//! Find out where the file came from (`dpkg -S` or `rpm -qf` on a trusted copy of the
//! database, your own installation notes, its strings and modification time). A program nobody installed is a sign of
//! intrusion: treat the host as compromised.
//!
//! ## References
//! - chkrootkit (`aliens`: suspicious files in system directories)
//! - dpkg-query(1) `--search`; rpm(8) `--query --file`
//!
//! <!-- ja -->
//! # IN004 unpackaged-executable
//!
//! ## 何を見つけるか
//! システムのプログラム用ディレクトリ（`bin`、`sbin`、`usr/bin`、`usr/sbin`、
//! `usr/games`、`usr/libexec`）の通常ファイル、およびシステムのライブラリ用
//! ディレクトリ（`lib*`、`usr/lib*` とそのマルチアーキテクチャ `*-linux-*` 下）直下の
//! 共有ライブラリ（`*.so*`）のうち、dpkg データベースの `.list` にも rpm データベースの
//! ヘッダーのファイル一覧（rpm が所有する `%ghost` を含む）にもなく、どのパッケージにも
//! 属さないもの。`dpkg-divert` による配置（移動元・移動先とも）は所有されているものと
//! みなし、シンボリックリンク（`alternatives` など）はここでは判定しません。
//! `bin -> usr/bin` の usr 統合ルートは一度だけ走査します。dpkg または rpm の
//! データベースのあるルートだけが対象です。
//!
//! ## なぜ重要か
//! 侵入者の道具（バックドア、スニファ、ログ消去ツール、ファイルを隠すために
//! プリロードされるライブラリ（Jynx、Azazel））は、システムのプログラムに似た名前で、
//! 誰も見ないその隣に置かれることが多いのです。管理者が自分で入れるソフトウェアは
//! `usr/local` や `opt` に置かれ、パッケージのプログラムの間には置かれません。
//!
//! ## 例
//! ```text
//! usr/sbin/in.telnet: mode 0755, owner 0, group 0, 21400 bytes, modified 1997-01-02T03:04:05Z; owned by no package
//! ```
//!
//! ## 対処
//! ファイルの出所を確かめてください（信頼できるデータベースの写しに対する `dpkg -S` や
//! `rpm -qf`、導入の記録、文字列や更新時刻）。
//! 誰も導入していないプログラムは侵入の兆候です。ホストは侵入されたものとして
//! 扱ってください。
//!
//! ## 参考
//! - chkrootkit（`aliens`: システムディレクトリの不審なファイル）
//! - dpkg-query(1) `--search`、rpm(8) `--query --file`

use super::database;
use crate::{Context, file_evidence};
use kensa_core::{DiagnosticLevel, Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};
use kensa_fs::FileKind;
use std::collections::HashSet;

/// IN004: a program or library in a system directory that no package owns.
pub static RULE: Rule = Rule {
    code: "IN004",
    name: "unpackaged-executable",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Program in a system directory owned by no package",
    advice: "Find out where the file came from; a program nobody installed is a sign of \
             intrusion: treat the host as compromised.",
    title_ja: "どのパッケージにも属さないプログラムがシステムディレクトリにある",
    advice_ja: "ファイルの出所を確かめてください。誰も導入していないプログラムは侵入の兆候\
                です。ホストは侵入されたものとして扱ってください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("in004_unpackaged_executable.rs"),
};

/// Directories whose every regular file should be a packaged program.
pub const PROGRAM_DIRS: [&str; 6] = [
    "bin",
    "sbin",
    "usr/bin",
    "usr/sbin",
    "usr/games",
    "usr/libexec",
];
/// Directories whose shared libraries should be packaged (plus their `*-linux-*`
/// multiarch subdirectories).
pub const LIBRARY_DIRS: [&str; 6] = ["lib", "lib32", "lib64", "usr/lib", "usr/lib32", "usr/lib64"];

/// Runs IN004.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let Some(db) = database(ctx) else {
        return Vec::new();
    };
    // (directory as resolved inside the root, libraries only?)
    let mut dirs: Vec<(String, bool)> = Vec::new();
    let mut seen = HashSet::new();
    let mut add = |ctx: &Context<'_>, dirs: &mut Vec<(String, bool)>, dir: &str, libs: bool| {
        if let Ok(resolved) = ctx.root.resolve(dir)
            && ctx
                .root
                .stat(&resolved)
                .is_ok_and(|m| m.kind == FileKind::Dir)
            && seen.insert(resolved.clone())
        {
            dirs.push((resolved, libs));
        }
    };
    for dir in PROGRAM_DIRS {
        add(ctx, &mut dirs, dir, false);
    }
    for dir in LIBRARY_DIRS {
        add(ctx, &mut dirs, dir, true);
        if let Ok(entries) = ctx.root.read_dir(dir) {
            for e in entries {
                if let Some(name) = e.name.to_str()
                    && name.contains("-linux-")
                    && e.meta.kind == FileKind::Dir
                {
                    add(ctx, &mut dirs, &format!("{dir}/{name}"), true);
                }
            }
        }
    }
    let mut findings = Vec::new();
    for (dir, libs) in dirs {
        let entries = match ctx.root.read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                super::say(
                    ctx,
                    DiagnosticLevel::Warning,
                    &dir,
                    tr!(
                        "cannot list: {err}; unpackaged programs not looked for",
                        "一覧できません: {err}。パッケージに属さないプログラムを探していません"
                    ),
                );
                continue;
            }
        };
        for e in entries {
            if e.meta.kind != FileKind::File {
                continue;
            }
            let name = e.name.to_string_lossy();
            if libs && !name.contains(".so") {
                continue;
            }
            let path = if dir == "." {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            if e.name.to_str().is_some() && db.owned.contains_key(&path) {
                continue;
            }
            let mtime = e.meta.mtime.map(|t| t.to_string()).unwrap_or_default();
            let mut finding = ctx.finding(&RULE);
            finding.severity = Severity::Medium;
            finding.set_title(tr!(
                "{path} is owned by no package",
                "{path} はどのパッケージにも属さない"
            ));
            finding.subject.path = Some(path.clone());
            finding.count = 1;
            finding.merge_key = path.clone();
            let (mode, uid, gid, len) = (e.meta.mode, e.meta.uid, e.meta.gid, e.meta.len);
            finding.push_evidence(file_evidence(
                &path,
                kensa_core::tr!(
                    "mode {mode:04o}, owner {uid}, group {gid}, {len} bytes, modified {mtime}; \
                     owned by no package",
                    "モード {mode:04o}、所有者 {uid}、グループ {gid}、{len} バイト、\
                     更新日時 {mtime}。どのパッケージにも属さない"
                ),
            ));
            findings.push(finding);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::{debianish, write};
    use crate::{Context, Root};

    #[test]
    fn a_dropped_program_and_library_are_found_owned_and_diverted_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        let root = Root::open(dir.path()).unwrap();
        // A local diversion: the admin's wrapper at ls, the package's ls at ls.distrib.
        std::fs::rename(
            dir.path().join("usr/bin/ls"),
            dir.path().join("usr/bin/ls.distrib"),
        )
        .unwrap();
        write(dir.path(), "usr/bin/ls", b"#!/bin/sh\n", 0o755);
        write(
            dir.path(),
            "var/lib/dpkg/diversions",
            b"/usr/bin/ls\n/usr/bin/ls.distrib\n:\n",
            0o644,
        );
        // An alternatives link is a link: not judged.
        std::fs::create_dir_all(dir.path().join("etc/alternatives")).unwrap();
        std::os::unix::fs::symlink("/etc/alternatives/pager", dir.path().join("usr/bin/pager"))
            .unwrap();
        // Data in a library directory is not a library.
        write(dir.path(), "usr/lib/os-release", b"ID=debian\n", 0o644);
        assert!(check(&mut Context::new(&root, "h")).is_empty());

        write(dir.path(), "usr/sbin/in.telnet", b"\x7fELF backdoor", 0o755);
        write(
            dir.path(),
            "usr/lib/x86_64-linux-gnu/libproc.so.1",
            b"\x7fELF",
            0o644,
        );
        let found = check(&mut Context::new(&root, "h"));
        let paths: Vec<_> = found
            .iter()
            .filter_map(|f| f.subject.path.clone())
            .collect();
        assert_eq!(
            paths,
            [
                "usr/sbin/in.telnet",
                "usr/lib/x86_64-linux-gnu/libproc.so.1"
            ]
        );
        let evidence = &found[0].evidence[0];
        assert!(
            evidence.text.ends_with("; owned by no package"),
            "{}",
            evidence.text
        );
        let ja = evidence.text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 0755、所有者 ")
                && ja.contains("、13 バイト、更新日時 ")
                && ja.ends_with("。どのパッケージにも属さない"),
            "{ja}"
        );
    }

    #[test]
    fn no_dpkg_database_no_findings() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "usr/bin/anything", b"x", 0o755);
        let root = Root::open(dir.path()).unwrap();
        assert!(check(&mut Context::new(&root, "h")).is_empty());
    }
}
