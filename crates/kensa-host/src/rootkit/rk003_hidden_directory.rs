//! # RK003 hidden-directory
//!
//! ## What it finds
//! Entries named to be overlooked: anywhere on the root, names made only of dots and
//! blanks (`...`, `.. `, ` `), names with leading or trailing blanks or control bytes,
//! and names that are not UTF-8 (high); and dot-named files or directories inside the
//! system directories (`dev`, `bin`, `sbin`, `lib*`, `usr/bin`, `usr/sbin`, `usr/lib*`,
//! `usr/libexec`, `usr/share`, `usr/src`, `usr/include`, `usr/man`, `usr/info`,
//! `usr/doc`, `var/lib/games`) — except the normal ones listed as `benign-hidden` and
//! `benign-dev` in `data/rootkit-traces.tsv` (`usr/lib/.build-id`, FIPS `.hmac` files,
//! `dev/.udev`, …) and those a package installed (per the dpkg database) (medium).
//!
//! ## Why it matters
//! `ls` hides dot-names and a name like `...` or `.. ` (dot, dot, space) passes for
//! the parent directory in a listing: intruders keep their kits, sniffer logs and
//! stolen password files there — `/usr/lib/.ark`, `/dev/.lib`, `/usr/doc/"... "`,
//! `/tmp/.../`. System directories hold no dot-names of their own.
//!
//! ## Example
//! ```text
//! var/tmp/.. : mode 0755, owner root (0), group root (0), 4096 bytes, modified …
//! ```
//!
//! ## What to do
//! Look inside (from trusted tools: `ls -la`, with names quoted by `ls -b`). Kits,
//! sniffers, password files or exploit sources mean the host is compromised.
//!
//! ## References
//! - CERT/CC "Intruder Detection Checklist" (look for `...` and `.. ` directories)
//! - chkrootkit (suspicious files and dirs in `/usr/lib`, `/lib`, `/usr/man`)
//!
//! <!-- ja -->
//! # RK003 hidden-directory
//!
//! ## 何を見つけるか
//! 見落とされるよう名付けられたエントリ。ルート全体で、ドットと空白だけの名前
//! （`...`、`.. `、` `）、先頭・末尾が空白の名前、制御文字を含む名前、UTF-8 でない名前
//! （high）。システムディレクトリ（`dev`、`bin`、`sbin`、`lib*`、`usr/bin`、
//! `usr/sbin`、`usr/lib*`、`usr/libexec`、`usr/share`、`usr/src`、`usr/include`、
//! `usr/man`、`usr/info`、`usr/doc`、`var/lib/games`）の中のドットで始まるファイルや
//! ディレクトリ。ただし `data/rootkit-traces.tsv` の `benign-hidden` と `benign-dev`
//! に載る通常のもの（`usr/lib/.build-id`、FIPS の `.hmac`、`dev/.udev` など）と、
//! dpkg データベース上パッケージが導入したものは除きます（medium）。
//!
//! ## なぜ重要か
//! `ls` はドットで始まる名前を表示せず、`...` や `.. `（ドット、ドット、空白）は一覧で
//! 親ディレクトリに見えます。侵入者はそこにキット、スニファのログ、盗んだパスワード
//! ファイルを置きます（`/usr/lib/.ark`、`/dev/.lib`、`/usr/doc/"... "`、`/tmp/.../`）。
//! システムディレクトリ自身にはドットで始まる名前はありません。
//!
//! ## 例
//! ```text
//! var/tmp/.. : モード 0755、所有者 root（0）、グループ root（0）、4096 バイト、更新日時 …
//! ```
//!
//! ## 対処
//! 信頼できるツールで中を確認してください（`ls -la`、名前は `ls -b` で）。キット、
//! スニファ、パスワードファイル、攻撃コードがあれば侵入されています。
//!
//! ## 参考
//! - CERT/CC "Intruder Detection Checklist"（`...` や `.. ` ディレクトリ）
//! - chkrootkit（`/usr/lib`、`/lib`、`/usr/man` の不審なファイルとディレクトリ）

use super::traces::{self, TraceKind};
use super::{describe, odd_name, walked};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// RK003: an entry named to be overlooked.
pub static RULE: Rule = Rule {
    code: "RK003",
    name: "hidden-directory",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "Hidden file or directory in a system place",
    advice: "Look inside with trusted tools (ls -lab); kits, sniffer logs, password \
             files or exploit sources mean the host is compromised.",
    title_ja: "システムの場所に隠しファイルまたは隠しディレクトリがある",
    advice_ja: "信頼できるツール（ls -lab）で中を確認してください。キット、スニファの\
                ログ、パスワードファイル、攻撃コードがあれば侵入されています。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk003_hidden_directory.rs"),
};

/// Directories (and their subtrees) where a dot-name is suspect.
pub const WATCHED: [&str; 19] = [
    "dev/",
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
    "usr/share/",
    "usr/src/",
    "usr/include/",
    "usr/man/",
    "usr/info/",
    "usr/doc/",
    "var/lib/games/",
];

/// Entries reported at most per root; the rest are counted in the last finding.
const MAX_REPORTED: usize = 200;

/// Runs RK003.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let t = traces::get();
    let walk = walked(ctx);
    let db = crate::integrity::database(ctx);
    let mut findings = Vec::new();
    // A directory reported hides its contents' dot-names from the report.
    let mut reported: Vec<String> = Vec::new();
    for (path, meta) in &walk.hidden {
        if reported.iter().any(|r| path.starts_with(r.as_str())) {
            continue;
        }
        // A dot-name a package installed is the package's, not a hiding place (its
        // content is IN001's business).
        if db
            .as_ref()
            .is_some_and(|db| db.owned.contains_key(path.as_str()))
        {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        // A name that is not UTF-8 was shown lossily, with U+FFFD.
        let severity = if odd_name(name) || name.contains('\u{fffd}') {
            Severity::High
        } else if WATCHED.iter().any(|w| path.starts_with(w))
            && !t.matches(TraceKind::BenignHidden, path)
            && !t.matches(TraceKind::BenignDev, path)
        {
            Severity::Medium
        } else {
            continue;
        };
        if findings.len() >= MAX_REPORTED {
            break;
        }
        let described = describe(ctx, meta);
        let (what, what_ja) = if meta.kind == kensa_fs::FileKind::Dir {
            ("directory", "隠しディレクトリ")
        } else {
            ("file", "隠しファイル")
        };
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        finding.set_title(tr!("hidden {what} {path:?}", "{what_ja} {path:?}"));
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(path, described));
        findings.push(finding);
        reported.push(format!("{path}/"));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::write;
    use crate::{Context, Root};

    fn paths(dir: &std::path::Path) -> Vec<(String, Severity)> {
        let root = Root::open(dir).unwrap();
        check(&mut Context::new(&root, "h"))
            .into_iter()
            .map(|f| (f.subject.path.unwrap(), f.severity))
            .collect()
    }

    #[test]
    fn dot_dot_space_and_dot_dirs_in_system_places_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "var/tmp/.. /sniff.c", b"x", 0o644);
        write(p, "tmp/.../a", b"x", 0o644);
        write(p, "usr/lib/.fx/x", b"x", 0o644);
        write(p, "usr/lib/.fx/.y", b"x", 0o644);
        let mut got = paths(p);
        got.sort();
        assert_eq!(
            got,
            [
                ("tmp/...".to_string(), Severity::High),
                ("usr/lib/.fx".to_string(), Severity::Medium),
                ("var/tmp/.. ".to_string(), Severity::High),
            ]
        );
        let root = Root::open(p).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        let titles: Vec<&str> = found.iter().map(|f| f.title_ja.as_str()).collect();
        assert!(
            titles.contains(&"隠しディレクトリ \"usr/lib/.fx\""),
            "{titles:?}"
        );
        for f in &found {
            let ja = f.evidence[0].text_ja.as_deref().unwrap_or_default();
            assert!(
                ja.starts_with("モード ")
                    && ja.contains("、所有者 ")
                    && ja.contains(" バイト、更新日時 "),
                "{ja}"
            );
        }
    }

    #[test]
    fn ordinary_dot_files_are_silent() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "root/.bashrc", b"x", 0o644);
        write(p, "etc/skel/.profile", b"x", 0o644);
        write(p, "etc/.pwd.lock", b"", 0o600);
        write(p, "home/a/.ssh/known_hosts", b"x", 0o644);
        write(p, "usr/lib/.build-id/ab/cdef", b"x", 0o644);
        write(
            p,
            "usr/lib/x86_64-linux-gnu/.libgcrypt.so.20.hmac",
            b"x",
            0o644,
        );
        write(p, "dev/.udev/db/x", b"x", 0o644);
        write(p, "tmp/.X11-unix/X0", b"", 0o644);
        assert!(paths(p).is_empty(), "{:?}", paths(p));
    }

    #[test]
    fn dot_files_a_package_installed_are_silent() {
        use crate::integrity::testroot::{Pkg, install};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        install(
            p,
            &[Pkg {
                name: "sdk",
                files: &[("usr/lib/sdk/.install", b"x", 0o644)],
                conffiles: &[],
            }],
        );
        assert!(paths(p).is_empty(), "{:?}", paths(p));
        write(p, "usr/lib/sdk/.hidden", b"x", 0o644);
        assert_eq!(
            paths(p),
            [("usr/lib/sdk/.hidden".to_string(), Severity::Medium)]
        );
    }
}
