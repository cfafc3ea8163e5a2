//! # RK002 trojan-strings
//!
//! ## What it finds
//! A system program that kits replace (`login`, `su`, `ls`, `ps`, `netstat`,
//! `ifconfig`, `du`, `find`, `syslogd`, `tcpd`, `top`, … — the `binary` entries of
//! `data/rootkit-traces.tsv`), found in `bin`, `sbin`, `usr/bin`, `usr/sbin`,
//! `usr/etc`, `usr/ucb`, `etc`, `usr/lib`, `usr/libexec` or `usr/local/bin`, whose
//! bytes hold a string compiled into a known trojan (the `string` entries): the path of
//! its hide list (`/dev/ptyr` in lrk's `ls`, `/usr/src/.puta` in t0rn's tools,
//! `/dev/hda06`) or of its backdoor password (`/etc/ttyhash`). Each program is read
//! once (the same file reached through a link counts once), up to 64 MiB.
//!
//! ## Why it matters
//! The genuine programs never name these files. A program that does is the kit's
//! trojan: it hides the intruder's files, processes or connections, or lets them log
//! in with a password of their own. Unlike IN001 this works without a package
//! database — on a SunOS 4 host of 1997 as on Debian.
//!
//! ## Example
//! ```text
//! bin/ls: mode 0755, owner root (0), group root (0), 51200 bytes, …; holds "/dev/ptyr\0" (lrk trojaned ls/du/find read their hide list from /dev/ptyr)
//! ```
//!
//! ## What to do
//! Treat the host as compromised (step 5): its own `ls`, `ps` and `netstat` lie, so
//! examine it from trusted media or a copy of its disk; rebuild, and change every
//! password used on it.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 (step 5)
//! - CERT/CC Incident Note IN-99-04; chkrootkit (the strings its checks of `ls`, `ps`,
//!   `login` look for)
//!
//! <!-- ja -->
//! # RK002 trojan-strings
//!
//! ## 何を見つけるか
//! キットが置き換えるシステムのプログラム（`login`、`su`、`ls`、`ps`、`netstat`、
//! `ifconfig`、`du`、`find`、`syslogd`、`tcpd`、`top` など、
//! `data/rootkit-traces.tsv` の `binary`）を `bin`、`sbin`、`usr/bin`、`usr/sbin`、
//! `usr/etc`、`usr/ucb`、`etc`、`usr/lib`、`usr/libexec`、`usr/local/bin` で探し、
//! 既知のトロイの木馬に埋め込まれた文字列（`string`）を含むものを見つけます。
//! 隠蔽リストのパス（lrk の `ls` の `/dev/ptyr`、t0rn の `/usr/src/.puta`、
//! `/dev/hda06`）やバックドアのパスワードのパス（`/etc/ttyhash`）です。各プログラムは
//! 一度だけ（リンク経由の同一ファイルも一度）、先頭 64 MiB まで読みます。
//!
//! ## なぜ重要か
//! 本物のプログラムはこれらのファイルを参照しません。参照するプログラムはキットの
//! トロイの木馬で、侵入者のファイル・プロセス・接続を隠すか、侵入者独自のパスワードで
//! ログインさせます。IN001 と違いパッケージデータベースなしで働くので、1997 年の
//! SunOS 4 でも Debian でも使えます。
//!
//! ## 例
//! ```text
//! bin/ls: モード 0755、所有者 root（0）、グループ root（0）、51200 バイト、…。"/dev/ptyr\0" を含む（lrk: トロイの木馬化された ls/du/find が /dev/ptyr から隠蔽リストを読む）
//! ```
//!
//! ## 対処
//! 侵入されたものとして扱ってください（手順 5）。そのホストの `ls`、`ps`、`netstat` は
//! 偽りを示すので、信頼できる媒体やディスクの複製から調べ、再構築し、使われたすべての
//! パスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001（手順 5）
//! - CERT/CC Incident Note IN-99-04、chkrootkit

use super::traces::{self, TraceKind};
use super::{describe, programs_named};
use crate::{Context, file_evidence};
use aho_corasick::AhoCorasick;
use kensa_core::{
    DiagnosticLevel, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr,
};
use std::collections::BTreeSet;

/// RK002: a system program holding a known trojan's string.
pub static RULE: Rule = Rule {
    code: "RK002",
    name: "trojan-strings",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: "System program holds a known trojan's string",
    advice: "Treat the host as compromised (step 5): its own tools lie, so examine it \
             from trusted media; rebuild and change every password used on it.",
    title_ja: "システムのプログラムが既知のトロイの木馬の文字列を含む",
    advice_ja: "侵入されたものとして扱ってください（手順 5）。ホストのツールは偽りを示すので\
                信頼できる媒体から調べ、再構築し、使われたすべてのパスワードを変更して\
                ください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk002_trojan_strings.rs"),
};

/// Bytes of a program searched.
pub const MAX_PROGRAM_BYTES: u64 = 64 << 20;

/// Runs RK002.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let t = traces::get();
    let strings: Vec<&traces::Trace> = t.of(TraceKind::String).collect();
    let Ok(matcher) = AhoCorasick::new(strings.iter().map(|s| s.bytes.as_slice())) else {
        return Vec::new();
    };
    let names: Vec<&str> = t
        .of(TraceKind::Binary)
        .map(|b| b.pattern.as_str())
        .collect();
    let mut findings = Vec::new();
    for (path, meta) in programs_named(ctx.root, &names) {
        let data = match ctx.root.read_prefix(&path, MAX_PROGRAM_BYTES) {
            Ok((data, _)) => data,
            Err(err) => {
                ctx.say(
                    DiagnosticLevel::Warning,
                    &path,
                    tr!(
                        "cannot read: {err}; not searched for trojan strings",
                        "読み取れません: {err}。トロイの木馬の文字列は探していません"
                    ),
                );
                continue;
            }
        };
        let found: BTreeSet<usize> = matcher
            .find_overlapping_iter(&data)
            .map(|m| m.pattern().as_usize())
            .collect();
        if found.is_empty() {
            continue;
        }
        let Localized {
            en: described,
            ja: described_ja,
        } = describe(ctx, &meta);
        let mut finding = ctx.finding(&RULE);
        finding.severity = found
            .iter()
            .map(|&i| strings[i].severity)
            .max()
            .unwrap_or(RULE.severity);
        let first = strings[*found.iter().next().unwrap_or(&0)];
        let (pattern, what, what_ja) = (&first.pattern, &first.what, &first.what_ja);
        finding.set_title(tr!(
            "{path} holds {pattern:?}: {what}",
            "{path} に {pattern:?} が含まれる: {what_ja}"
        ));
        finding.subject.path = Some(path.clone());
        finding.count = found.len() as u64;
        finding.merge_key = path.clone();
        for i in found {
            let s = strings[i];
            let (pattern, what, what_ja) = (&s.pattern, &s.what, &s.what_ja);
            finding.push_evidence(file_evidence(
                &path,
                tr!(
                    "{described}; holds {pattern:?} ({what})",
                    "{described_ja}。{pattern:?} を含む（{what_ja}）"
                ),
            ));
        }
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
    fn a_trojaned_ls_is_found_and_the_genuine_tools_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        // Genuine programs may mention ptys, just not the hide-list files.
        write(p, "bin/ps", b"\x7fELF /dev/pts /dev/ptyp0 %s", 0o755);
        write(p, "usr/bin/login", b"\x7fELF /etc/login.defs", 0o755);
        write(p, "usr/bin/cat", b"\x7fELF /dev/ptyr\0", 0o755);
        let root = Root::open(p).unwrap();
        assert!(check(&mut Context::new(&root, "h")).is_empty());
        write(p, "bin/ls", b"\x7fELF\0/dev/ptyr\0/usr/src/.puta\0", 0o755);
        std::os::unix::fs::symlink("../../bin/ls", p.join("usr/bin/ls")).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].subject.path.as_deref(), Some("bin/ls"));
        assert_eq!(found[0].evidence.len(), 2);
        assert_eq!(found[0].severity, Severity::Critical);
        assert!(
            found[0]
                .title_ja
                .starts_with("bin/ls に \"/dev/ptyr\\\\0\" が含まれる: lrk: トロイの木馬化された"),
            "{}",
            found[0].title_ja
        );
        let ja = found[0].evidence[0].text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 0755、所有者 ")
                && ja.contains("。\"/dev/ptyr\\\\0\" を含む（lrk: トロイの木馬化された"),
            "{ja}"
        );
        assert!(
            found[0].evidence[0]
                .text
                .contains("; holds \"/dev/ptyr\\\\0\" (lrk trojaned "),
            "{}",
            found[0].evidence[0].text
        );
    }
}
