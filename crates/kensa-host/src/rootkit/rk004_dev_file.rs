//! # RK004 dev-file
//!
//! ## What it finds
//! Regular files under `dev`, which holds device nodes, directories and links: every
//! one except the normal ones listed as `benign-dev` in `data/rootkit-traces.tsv`
//! (`dev/MAKEDEV`, udev's and initramfs's state, POSIX shared memory and message
//! queues of a live host). An executable file under `dev/shm` is reported too
//! (shared memory segments are never executable).
//!
//! ## Why it matters
//! `dev` is full of strange names and nobody reads it: the classic kits kept their
//! hide lists and logs there (`/dev/ptyp`, `/dev/hda06`, `/dev/.lib`), and intruders
//! today run their tools from `/dev/shm`, a world-writable memory file system that
//! leaves nothing on disk after a reboot.
//!
//! ## Example
//! ```text
//! dev/ttyop: mode 0644, owner root (0), group root (0), 88 bytes, modified …
//! ```
//!
//! ## What to do
//! Read the file with trusted tools; a hide list, a log of captured passwords or a
//! program means the host is compromised.
//!
//! ## References
//! - chkrootkit (`find /dev -type f`); CERT/CC "Intruder Detection Checklist"
//!
//! <!-- ja -->
//! # RK004 dev-file
//!
//! ## 何を見つけるか
//! デバイスファイル、ディレクトリ、リンクを置く `dev` 下の通常ファイル。
//! `data/rootkit-traces.tsv` の `benign-dev` に載る通常のもの（`dev/MAKEDEV`、udev や
//! initramfs の状態、稼働中ホストの POSIX 共有メモリとメッセージキュー）を除くすべて
//! です。`dev/shm` 下の実行可能ファイルも報告します（共有メモリは実行可能になりません）。
//!
//! ## なぜ重要か
//! `dev` には奇妙な名前が多く誰も読みません。古典的なキットは隠蔽リストやログをここに
//! 置き（`/dev/ptyp`、`/dev/hda06`、`/dev/.lib`）、今日の侵入者は誰でも書ける
//! メモリ上のファイルシステム `/dev/shm` からツールを実行し、再起動後には何も残し
//! ません。
//!
//! ## 例
//! ```text
//! dev/ttyop: モード 0644、所有者 root（0）、グループ root（0）、88 バイト、更新日時 …
//! ```
//!
//! ## 対処
//! 信頼できるツールでファイルを読んでください。隠蔽リスト、盗んだパスワードの記録、
//! プログラムであれば侵入されています。
//!
//! ## 参考
//! - chkrootkit（`find /dev -type f`）、CERT/CC "Intruder Detection Checklist"

use super::traces::{self, TraceKind};
use super::{describe, walked};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// RK004: a regular file under `dev`.
pub static RULE: Rule = Rule {
    code: "RK004",
    name: "dev-file",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Regular file under dev",
    advice: "Read the file with trusted tools; a hide list, a password log or a program \
             means the host is compromised.",
    title_ja: "dev 下に通常ファイルがある",
    advice_ja: "信頼できるツールでファイルを読んでください。隠蔽リスト、パスワードの記録、\
                プログラムであれば侵入されています。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk004_dev_file.rs"),
};

/// Runs RK004.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let t = traces::get();
    let walk = walked(ctx);
    let mut findings = Vec::new();
    for (path, meta) in &walk.dev_files {
        let executable = meta.mode & 0o111 != 0;
        let benign = t.matches(TraceKind::BenignDev, path);
        let severity = if benign && path.starts_with("dev/shm/") && executable {
            Severity::High
        } else if benign {
            continue;
        } else if executable {
            Severity::High
        } else {
            Severity::Medium
        };
        let described = describe(ctx, meta);
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        finding.set_title(if executable {
            tr!(
                "executable file {path} under dev",
                "dev 下に実行可能ファイル {path} がある"
            )
        } else {
            tr!(
                "regular file {path} under dev",
                "dev 下に通常ファイル {path} がある"
            )
        });
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(path, described));
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::write;
    use crate::{Context, Root};

    #[test]
    fn files_in_dev_are_found_and_its_normal_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "dev/MAKEDEV", b"#!/bin/sh\n", 0o755);
        write(p, "dev/.udev/db/b8:0", b"S:disk\n", 0o644);
        write(p, "dev/shm/pulse-shm-1234", b"\0\0", 0o400);
        write(p, "dev/mqueue/q", b"", 0o600);
        let root = Root::open(p).unwrap();
        assert!(check(&mut Context::new(&root, "h")).is_empty());
        write(p, "dev/ttyop", b"3 evil\n", 0o644);
        write(p, "dev/shm/kworker", b"\x7fELF", 0o755);
        let found = check(&mut Context::new(&root, "h"));
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.subject.path.clone().unwrap(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("dev/shm/kworker".to_string(), Severity::High),
                ("dev/ttyop".to_string(), Severity::Medium),
            ]
        );
        assert_eq!(
            found[0].title_ja,
            "dev 下に実行可能ファイル dev/shm/kworker がある"
        );
        assert_eq!(found[1].title_ja, "dev 下に通常ファイル dev/ttyop がある");
        let ja = found[1].evidence[0].text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 0644、所有者 ") && ja.contains("、7 バイト、更新日時 "),
            "{ja}"
        );
        assert!(found[1].evidence[0].text.starts_with("mode 0644, owner "));
    }
}
