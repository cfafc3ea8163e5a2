//! # IN001 packaged-file-changed
//!
//! ## What it finds
//! A file installed by a package whose content no longer hashes to the digest the
//! package database recorded — dpkg's `var/lib/dpkg/info/PKG.md5sums` (or
//! `PKG.sha256sums`), or the file digests in the package's header in rpm's database
//! (`rpmdb.sqlite`, ndb `Packages.db` or Berkeley DB `Packages`, under `var/lib/rpm` or
//! `usr/lib/sysimage/rpm`), in the package's own algorithm (MD5, SHA-1, SHA-256, SHA-384
//! or SHA-512) — or a symbolic link of an rpm package that no longer points where the
//! package recorded. The package (rpm's as `name-version-release.arch`) and the file
//! are named, with both digests (or link targets), the file's mode, owner, size and
//! modification time. Programs and libraries — anything in `bin`, `sbin`, `usr/bin`,
//! `usr/sbin`, `usr/libexec`, and any ELF object, executable file or shared library —
//! are critical; other files under `lib*` and `usr/lib*` (scripts, modules, data)
//! medium; the rest (documentation, `usr/share`) low. Configuration files (dpkg's
//! conffiles, rpm's `%config`) are not judged here (IN002); a file moved by
//! `dpkg-divert` is checked where the diversion put it. As `rpm -V` does, only files
//! rpm installed are checked: not `%ghost`s, nor files another package replaced, left
//! out (`--excludedocs`, `%_install_langs`), on a shared network path, or of the other
//! architecture of a multilib pair.
//!
//! ## Why it matters
//! An intruder who got root replaces `login`, `ls`, `ps`, `netstat`, `du`, `find`,
//! `syslogd`, `tcpd` or `su` with trojans that let them back in and hide their files,
//! processes and connections (the lrk and t0rn rootkits). The trojan keeps its name,
//! size and date; its bytes change. Packages do not change their files after
//! installation, so a changed program means someone wrote to it.
//!
//! ## Example
//! ```text
//! usr/bin/login: MD5 4a1d…e0 (package login records 0f3c…9b); mode 0755, owner 0, group 0, 58944 bytes
//! ```
//!
//! ## What to do
//! Treat the host as compromised (the advisory's step 5): take it off the network,
//! keep an image for analysis, rebuild it from trusted media, and change every
//! password that was used on it. Do not trust any program on it, including the ones
//! you would use to look (`ls`, `ps`, `netstat`). A package reinstalled by the
//! administrator refreshes the database, so a false alarm clears after `apt-get
//! install --reinstall PKG` (or `dnf reinstall PKG`) from a trusted mirror — but do that
//! only on the rebuilt host. On old Red Hat systems where prelink ran (RHEL/CentOS 5
//! and 6 enabled it), prelink rewrote libraries and programs after installation:
//! `rpm -V` undoes that in memory before comparing, kensa (which runs nothing from the
//! root) does not: a changed ELF file that carries prelink's `.gnu.prelink_undo`
//! section is reported as high rather than critical, its title ending in
//! `(prelinked)` — it may be prelink's work (or a trojan given that section); compare it
//! with a copy from the package.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 (step 5: trojan horses, rebuild)
//! - dpkg(1) `--verify`, debsums(1), rpm(8) `--verify`; CERT/CC "Steps for Recovering
//!   from a UNIX Root Compromise"
//!
//! <!-- ja -->
//! # IN001 packaged-file-changed
//!
//! ## 何を見つけるか
//! パッケージが導入したファイルのうち、内容のハッシュがパッケージデータベースの記録と
//! 一致しないもの。記録とは dpkg の `var/lib/dpkg/info/PKG.md5sums`（または
//! `PKG.sha256sums`）、あるいは rpm のデータベース（`var/lib/rpm` または
//! `usr/lib/sysimage/rpm` の `rpmdb.sqlite`、ndb の `Packages.db`、Berkeley DB の
//! `Packages`）にあるパッケージのヘッダーのファイルダイジェストで、パッケージごとの
//! アルゴリズム（MD5、SHA-1、SHA-256、SHA-384、SHA-512）で比べます。rpm パッケージの
//! シンボリックリンクが記録と違う先を指している場合も対象です。パッケージ名（rpm は
//! `名前-バージョン-リリース.アーキテクチャ`）とファイル名、両方のハッシュ値（または
//! リンク先）、ファイルのモード・所有者・サイズ・更新時刻を示します。プログラムと
//! ライブラリ（`bin`、`sbin`、`usr/bin`、`usr/sbin`、`usr/libexec` の全ファイル、
//! および ELF、実行可能ファイル、共有ライブラリ）は critical、`lib*` と `usr/lib*` の
//! その他のファイル（スクリプト、モジュール、データ）は medium、それ以外（文書、
//! `usr/share`）は low です。設定ファイル（dpkg の conffile、rpm の `%config`）は
//! ここでは扱わず（IN002）、`dpkg-divert` で移されたファイルは移動先を検査します。
//! `rpm -V` と同じく、rpm が実際に導入したファイルだけを検査します。`%ghost`、他の
//! パッケージに置き換えられたファイル、導入しなかったファイル（`--excludedocs`、
//! `%_install_langs`）、共有ネットワーク上のファイル、multilib の他方のアーキテクチャの
//! ファイルは対象外です。
//!
//! ## なぜ重要か
//! root を得た侵入者は `login`、`ls`、`ps`、`netstat`、`du`、`find`、`syslogd`、
//! `tcpd`、`su` を、再侵入を許しファイル・プロセス・接続を隠すトロイの木馬に置き換え
//! ます（lrk、t0rn などのルートキット）。名前・サイズ・日付は同じでも中身は変わります。
//! パッケージは導入後にファイルを書き換えないので、プログラムの変化は誰かが書き込んだ
//! ことを意味します。
//!
//! ## 例
//! ```text
//! usr/bin/login: MD5 4a1d…e0 (package login records 0f3c…9b); mode 0755, owner 0, group 0, 58944 bytes
//! ```
//!
//! ## 対処
//! ホストは侵入されたものとして扱います（勧告の手順 5）。ネットワークから切り離し、
//! 解析用にイメージを保存し、信頼できる媒体から再構築し、そのホストで使われた
//! すべてのパスワードを変更してください。調査に使う `ls`、`ps`、`netstat` を含め、
//! ホスト上のプログラムは信用しないでください。prelink が動いていた古い Red Hat 系
//! （RHEL/CentOS 5、6 で有効）では、導入後に prelink がライブラリとプログラムを書き換えて
//! います。`rpm -V` は比較の前にメモリ上でそれを元に戻しますが、ルートのものを何も実行
//! しない kensa は戻しません。prelink の `.gnu.prelink_undo` セクションを持つ ELF の
//! 変更は critical ではなく high とし、題名の末尾に `（prelink 済み）` を付けます。
//! prelink によるもの（またはそのセクションを付けたトロイの木馬）かもしれないので、
//! パッケージのファイルと比べてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001（手順 5: トロイの木馬、再構築）
//! - dpkg(1) `--verify`、debsums(1)、rpm(8) `--verify`

use super::{State, change_severity, database, verification};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// IN001: a packaged file whose digest changed.
pub static RULE: Rule = Rule {
    code: "IN001",
    name: "packaged-file-changed",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: "Packaged file changed since installation",
    advice: "Treat the host as compromised (step 5): isolate it, keep an image, rebuild \
             from trusted media and change every password used on it; trust no program \
             on it.",
    title_ja: "パッケージのファイルが導入後に改変されている",
    advice_ja: "侵入されたものとして扱ってください（手順 5）。隔離し、イメージを保存し、\
                信頼できる媒体から再構築し、使われたすべてのパスワードを変更してください。\
                ホスト上のプログラムは信用しないでください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("in001_packaged_file_changed.rs"),
};

/// Runs IN001.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let (Some(db), Some(v)) = (database(ctx), verification(ctx)) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for ((sum, state), path) in db.sums.iter().zip(&v.states).zip(&v.read_paths) {
        if sum.conffile {
            continue;
        }
        let State::Changed {
            actual,
            details,
            code,
            prelinked,
        } = state
        else {
            continue;
        };
        let package = db.packages[sum.package].as_str();
        let mut finding = ctx.finding(&RULE);
        finding.severity = change_severity(path, *code);
        let mut text = Localized {
            en: format!(
                "{} (package {package} records {}); {}",
                actual.en,
                sum.expected.recorded(),
                details.en
            ),
            ja: format!(
                "{}（パッケージ {package} の記録では {}）。{}",
                actual.ja,
                sum.expected.recorded_ja(),
                details.ja
            ),
        };
        if *prelinked {
            // prelink rewrote it after installation; a trojan may carry the section too,
            // so it stays a finding, one step below critical, saying why.
            finding.severity = finding.severity.min(Severity::High);
            finding.set_title(tr!(
                "{path} differs from what package {package} installed (prelinked)",
                "{path} がパッケージ {package} の導入したものと異なる（prelink 済み）"
            ));
            text.en.push_str(
                "; prelinked (.gnu.prelink_undo): rpm -V undoes prelinking before \
                 comparing, kensa does not; compare with the package's copy",
            );
            text.ja.push_str(
                "。prelink 済み（.gnu.prelink_undo）: rpm -V は比較の前に prelink を戻しますが、\
                 kensa は戻しません。パッケージのファイルと比べてください",
            );
        } else {
            finding.set_title(tr!(
                "{path} differs from what package {package} installed",
                "{path} がパッケージ {package} の導入したものと異なる"
            ));
        }
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(path, text));
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::{debianish, write};
    use crate::{Context, Root};

    fn run(dir: &std::path::Path) -> Vec<Finding> {
        let root = Root::open(dir).unwrap();
        let mut ctx = Context::new(&root, "h");
        check(&mut ctx)
    }

    #[test]
    fn a_trojaned_login_is_critical_and_names_its_package() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        // Replaced, not rewritten in place: the intruder's copy has its own inode.
        std::fs::remove_file(dir.path().join("usr/bin/login")).unwrap();
        write(
            dir.path(),
            "usr/bin/login",
            b"\x7fELF trojan /dev/ptyr",
            0o755,
        );
        write(
            dir.path(),
            "usr/share/doc/coreutils/copyright",
            b"edited",
            0o644,
        );
        let found = run(dir.path());
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(
            found[0].subject.path.as_deref(),
            Some("usr/share/doc/coreutils/copyright")
        );
        assert_eq!(found[0].severity, Severity::Low);
        let login = &found[1];
        assert_eq!(login.subject.path.as_deref(), Some("usr/bin/login"));
        assert_eq!(login.severity, Severity::Critical);
        assert!(login.title.contains("package login"), "{}", login.title);
        assert!(login.evidence[0].text.starts_with("MD5 "));
        let ja = login.evidence[0].text_ja.as_deref().unwrap_or("");
        assert!(
            ja.starts_with("MD5 ")
                && ja.contains("（パッケージ login の記録では ")
                && ja.contains("モード "),
            "{ja}"
        );
    }

    #[test]
    fn an_intact_system_and_an_edited_conffile_are_silent() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        write(dir.path(), "etc/login.defs", b"UMASK 077\n", 0o644);
        assert!(run(dir.path()).is_empty());
    }

    #[test]
    fn a_diverted_file_is_checked_where_the_diversion_put_it() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        // The administrator diverted ls and put a wrapper in its place: the package's
        // ls lives on as ls.distrib, intact.
        std::fs::rename(
            dir.path().join("usr/bin/ls"),
            dir.path().join("usr/bin/ls.distrib"),
        )
        .unwrap();
        write(
            dir.path(),
            "usr/bin/ls",
            b"#!/bin/sh\nexec ls.distrib --color \"$@\"\n",
            0o755,
        );
        write(
            dir.path(),
            "var/lib/dpkg/diversions",
            b"/usr/bin/ls\n/usr/bin/ls.distrib\n:\n",
            0o644,
        );
        assert!(run(dir.path()).is_empty());
        // Without the diversion the same tree is a changed ls.
        std::fs::remove_file(dir.path().join("var/lib/dpkg/diversions")).unwrap();
        let found = run(dir.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subject.path.as_deref(), Some("usr/bin/ls"));
    }

    #[test]
    fn programs_are_critical_modules_medium_documentation_low() {
        use crate::integrity::change_severity;
        assert_eq!(change_severity("usr/bin/login", false), Severity::Critical);
        assert_eq!(
            change_severity("usr/lib/x/helper", true),
            Severity::Critical
        );
        assert_eq!(
            change_severity("usr/lib/x86_64-linux-gnu/libc.so.6", false),
            Severity::Critical
        );
        assert_eq!(
            change_severity("usr/lib/python3/dist-packages/a.py", false),
            Severity::Medium
        );
        assert_eq!(
            change_severity("usr/share/doc/a/changelog.gz", false),
            Severity::Low
        );
        assert_eq!(
            change_severity("usr/share/a/run.sh", true),
            Severity::Critical
        );
    }

    #[test]
    fn a_prelinked_library_says_so_and_is_high_not_critical() {
        use std::process::Command;
        let dir = tempfile::tempdir().unwrap();
        let (plain, undo) = (dir.path().join("true"), dir.path().join("undo"));
        std::fs::copy("/bin/true", &plain).unwrap();
        std::fs::write(&undo, b"original headers").unwrap();
        let prelinked = dir.path().join("true.prelinked");
        let made = Command::new("objcopy")
            .arg("--add-section")
            .arg(format!(".gnu.prelink_undo={}", undo.display()))
            .arg(&plain)
            .arg(&prelinked)
            .status();
        if !made.is_ok_and(|s| s.success()) {
            println!("skipped: objcopy not found");
            return;
        }
        let root_dir = dir.path().join("root");
        debianish(&root_dir);
        let root = Root::open(&root_dir).unwrap();
        for (file, is_prelinked) in [(&prelinked, true), (&plain, false)] {
            let bytes = std::fs::read(file).unwrap();
            write(&root_dir, "usr/bin/du", &bytes, 0o755);
            assert_eq!(
                crate::integrity::is_prelinked(&root, "usr/bin/du"),
                is_prelinked
            );
            let found = run(&root_dir);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert_eq!(found[0].title.ends_with("(prelinked)"), is_prelinked);
            let severity = if is_prelinked {
                Severity::High
            } else {
                Severity::Critical
            };
            assert_eq!(found[0].severity, severity);
        }
        // Bytes of the ELF and section headers mutated: "no", never a panic.
        let good = std::fs::read(&prelinked).unwrap();
        let shoff = u64::from_le_bytes(good[0x28..0x30].try_into().unwrap()) as usize;
        for i in (0..64).chain((shoff..good.len()).step_by(7).take(200)) {
            for v in [0x00, 0x7f, 0xff] {
                let mut bad = good.clone();
                bad[i] = v;
                write(&root_dir, "usr/bin/du", &bad, 0o755);
                let _ = crate::integrity::is_prelinked(&root, "usr/bin/du");
            }
        }
    }

    #[test]
    fn sha256sums_are_used_too() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        let sha = format!("{}  usr/bin/du\n", "00".repeat(32));
        write(
            dir.path(),
            "var/lib/dpkg/info/coreutils.sha256sums",
            sha.as_bytes(),
            0o644,
        );
        let found = run(dir.path());
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].evidence[0].text.starts_with("SHA-256 "));
    }
}
