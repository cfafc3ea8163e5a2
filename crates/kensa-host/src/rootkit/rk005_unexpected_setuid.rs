//! # RK005 unexpected-setuid
//!
//! ## What it finds
//! Setuid or setgid files the system does not account for. On a root with a dpkg
//! database, a setuid file is accounted for when a package owns it and either
//! `dpkg-statoverride` set its mode or it is one of the programs systems install
//! setuid (`setuid` entries of `data/rootkit-traces.tsv`: `passwd`, `su`, `mount`,
//! `ping`, `unix_chkpwd`, …); whether its bytes are the package's is IN001's job.
//! Without a package database, the `setuid` list alone decides. Reported:
//! - a setuid file no package owns (medium), high when it lies in a world-writable or
//!   hidden place (`tmp`, `var/tmp`, `dev`, home directories, a dot-directory) or is
//!   writable by others;
//! - a packaged program that is setuid but not normally so (medium): `chmod u+s` on
//!   `find`, `vim` or `python` is a classic way back to root.
//!
//! Shells are RK006's.
//!
//! ## Why it matters
//! A setuid-root program runs as root for whoever starts it. Intruders leave one behind
//! (a copy of a shell, a small wrapper that calls `setuid(0)` and runs a shell, or
//! the setuid bit on a program that can run commands) so that any account brings them
//! back to root — even after the administrator changed the root password.
//!
//! ## Example
//! ```text
//! var/tmp/.x/ps: mode 4755, owner root (0), group root (0), 8712 bytes, modified …; owned by no package
//! ```
//!
//! ## What to do
//! Find out who made the file and why (`ls -l`, its strings, shell histories, backups'
//! listings); remove the bit from anything that has no reason for it (`chmod ug-s`).
//! An unexplained setuid-root file means the host is compromised.
//!
//! ## References
//! - CERT/CC "Intruder Detection Checklist" (`find / -perm -4000`)
//! - JPCERT/CC JPCERT-E-INF-97-0001 (step 5); dpkg-statoverride(1)
//!
//! <!-- ja -->
//! # RK005 unexpected-setuid
//!
//! ## 何を見つけるか
//! システムが説明できない setuid または setgid のファイル。dpkg データベースのある
//! ルートでは、パッケージが所有し、かつ `dpkg-statoverride` でモードが設定されているか、
//! システムが通常 setuid で導入するプログラム（`data/rootkit-traces.tsv` の
//! `setuid`: `passwd`、`su`、`mount`、`ping`、`unix_chkpwd` など）であれば説明が
//! つきます。中身がパッケージのものかは IN001 が調べます。パッケージデータベースが
//! なければ `setuid` の一覧だけで判断します。報告するのは:
//! - どのパッケージにも属さない setuid ファイル（medium）。誰でも書ける場所や隠れた
//!   場所（`tmp`、`var/tmp`、`dev`、ホームディレクトリ、ドットディレクトリ）にある
//!   もの、他者が書き込めるものは high。
//! - 通常は setuid でないのに setuid になっているパッケージのプログラム（medium）。
//!   `find`、`vim`、`python` への `chmod u+s` は root に戻る古典的な手口です。
//!
//! シェルは RK006 が扱います。
//!
//! ## なぜ重要か
//! setuid root のプログラムは、誰が起動しても root として動きます。侵入者はこれを残し
//! （シェルの複製、`setuid(0)` してシェルを起動する小さなプログラム、コマンドを実行
//! できるプログラムへの setuid ビット）、管理者が root のパスワードを変えた後でも、
//! どのアカウントからでも root に戻れるようにします。
//!
//! ## 例
//! ```text
//! var/tmp/.x/ps: モード 4755、所有者 root（0）、グループ root（0）、8712 バイト、更新日時 …。どのパッケージにも属さない
//! ```
//!
//! ## 対処
//! 誰がなぜ作ったかを確かめ（`ls -l`、文字列、シェルの履歴、バックアップの一覧）、
//! 理由のないものからはビットを外してください（`chmod ug-s`）。説明のつかない
//! setuid root ファイルがあれば侵入されています。
//!
//! ## 参考
//! - CERT/CC "Intruder Detection Checklist"（`find / -perm -4000`）
//! - JPCERT/CC JPCERT-E-INF-97-0001（手順 5）、dpkg-statoverride(1)

use super::traces::{self, TraceKind};
use super::{describe, odd_name, walked};
use crate::integrity::database;
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// RK005: a setuid or setgid file the system does not account for.
pub static RULE: Rule = Rule {
    code: "RK005",
    name: "unexpected-setuid",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "Setuid or setgid file the system does not account for",
    advice: "Find out who made it and why; remove the bit where there is no reason for \
             it (chmod ug-s). An unexplained setuid-root file means the host is \
             compromised.",
    title_ja: "システムが説明できない setuid または setgid ファイル",
    advice_ja: "誰がなぜ作ったかを確かめ、理由のないものからはビットを外してください\
                （chmod ug-s）。説明のつかない setuid root ファイルがあれば侵入されて\
                います。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk005_unexpected_setuid.rs"),
};

/// Places anyone can write to or nobody looks at.
const EXPOSED_PLACES: [&str; 5] = ["tmp/", "var/tmp/", "dev/", "home/", "var/spool/"];

/// Runs RK005.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let t = traces::get();
    let walk = walked(ctx);
    let db = database(ctx);
    let shells = super::rk006_setuid_shell::setuid_shells(ctx);
    let mut findings = Vec::new();
    for (path, meta) in &walk.setuid {
        let name = path.rsplit('/').next().unwrap_or(path);
        if shells.iter().any(|s| s.0 == *path) {
            continue; // RK006's
        }
        let usual = t.lists(TraceKind::Setuid, name);
        let owner = db
            .as_ref()
            .and_then(|db| db.owned.get(path.as_str()).copied());
        let overridden = db
            .as_ref()
            .is_some_and(|db| db.statoverride.contains_key(path.as_str()));
        let (severity, why) = match (&db, owner) {
            (Some(db), Some(Some(pkg))) => {
                if usual || overridden {
                    continue;
                }
                let package = &db.packages[pkg];
                (
                    Severity::Medium,
                    tr!(
                        "packaged by {package}, but not a program systems make setuid or setgid",
                        "パッケージ {package} のファイルだが、通常 setuid や setgid にされる\
                         プログラムではない"
                    ),
                )
            }
            (Some(_), Some(None)) => {
                if overridden {
                    continue;
                }
                (
                    Severity::Medium,
                    tr!(
                        "placed by a local dpkg-divert",
                        "ローカルの dpkg-divert で置かれたもの"
                    ),
                )
            }
            (Some(_), None) => (
                Severity::Medium,
                tr!("owned by no package", "どのパッケージにも属さない"),
            ),
            (None, _) => {
                if usual {
                    continue;
                }
                (
                    Severity::Medium,
                    tr!(
                        "not a program systems make setuid or setgid",
                        "通常 setuid や setgid にされるプログラムではない"
                    ),
                )
            }
        };
        let hidden_place = path
            .split('/')
            .rev()
            .skip(1)
            .any(|c| c.starts_with('.') || odd_name(c));
        let severity = if EXPOSED_PLACES.iter().any(|p| path.starts_with(p))
            || hidden_place
            || meta.other_writable()
        {
            Severity::High
        } else {
            severity
        };
        let (bits, bits_ja) = set_bits(meta.mode);
        let user = ctx.user_name(meta.uid);
        let Localized {
            en: described,
            ja: described_ja,
        } = describe(ctx, meta);
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        let Localized {
            en: why,
            ja: why_ja,
        } = why;
        finding.set_title(tr!(
            "{path} is {bits}, owned by {user}: {why}",
            "{path} は {bits_ja} で、所有者は {user}: {why_ja}"
        ));
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(
            path,
            tr!("{described}; {why}", "{described_ja}。{why_ja}"),
        ));
        findings.push(finding);
    }
    findings
}

/// The set-id bits of `mode` in words, in English and Japanese.
pub(crate) fn set_bits(mode: u32) -> (&'static str, &'static str) {
    match (mode & 0o4000 != 0, mode & 0o2000 != 0) {
        (true, true) => ("setuid and setgid", "setuid かつ setgid"),
        (true, false) => ("setuid", "setuid"),
        _ => ("setgid", "setgid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::{debianish, write};
    use crate::{Context, Root};

    fn found(dir: &std::path::Path) -> Vec<(String, Severity)> {
        let root = Root::open(dir).unwrap();
        check(&mut Context::new(&root, "h"))
            .into_iter()
            .map(|f| (f.subject.path.unwrap(), f.severity))
            .collect()
    }

    #[test]
    fn packaged_setuid_programs_are_silent_and_strays_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        debianish(p);
        // su and passwd are setuid and packaged: silent.
        assert!(found(p).is_empty(), "{:?}", found(p));
        // The admin made a packaged helper setgid through dpkg-statoverride: silent.
        write(p, "usr/bin/du", b"\x7fELF du binary", 0o2755);
        write(
            p,
            "var/lib/dpkg/statoverride",
            b"root staff 2755 /usr/bin/du\n",
            0o644,
        );
        assert!(found(p).is_empty(), "{:?}", found(p));
        // chmod u+s on a packaged program that is never setuid.
        write(p, "usr/bin/ls", b"\x7fELF ls binary", 0o4755);
        // A setuid program no package owns, in a hidden directory of /var/tmp.
        write(p, "var/tmp/.x/ps", b"\x7fELF setuid(0); execl(...)", 0o4755);
        assert_eq!(
            found(p),
            [
                ("usr/bin/ls".to_string(), Severity::Medium),
                ("var/tmp/.x/ps".to_string(), Severity::High),
            ]
        );
    }

    #[test]
    fn without_a_package_database_the_usual_list_decides() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "usr/bin/passwd", b"\x7fELF", 0o4755);
        write(p, "bin/login", b"\x7fELF", 0o4755);
        assert!(found(p).is_empty());
        write(p, "usr/local/bin/rootme", b"\x7fELF", 0o4755);
        assert_eq!(
            found(p),
            [("usr/local/bin/rootme".to_string(), Severity::Medium)]
        );
        let root = Root::open(p).unwrap();
        let finding = check(&mut Context::new(&root, "h")).remove(0);
        let evidence = &finding.evidence[0];
        assert!(
            evidence
                .text
                .ends_with("; not a program systems make setuid or setgid"),
            "{}",
            evidence.text
        );
        let ja = evidence.text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 4755、所有者 ")
                && ja.contains(" バイト、更新日時 ")
                && ja.ends_with("。通常 setuid や setgid にされるプログラムではない"),
            "{ja}"
        );
        let title_ja = finding.title_ja;
        assert!(
            title_ja.starts_with("usr/local/bin/rootme は setuid で、所有者は ")
                && title_ja.ends_with(": 通常 setuid や setgid にされるプログラムではない"),
            "{title_ja}"
        );
    }
}
