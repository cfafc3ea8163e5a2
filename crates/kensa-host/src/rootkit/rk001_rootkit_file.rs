//! # RK001 rootkit-file
//!
//! ## What it finds
//! A file or directory that a known rootkit, worm or sniffer leaves, from the `path`
//! and `name` entries of `data/rootkit-traces.tsv`: lrk's hide lists `dev/ptyp`,
//! `dev/ptyq`, `dev/ptyr`, `dev/ptys`; t0rn's `usr/src/.puta`, `etc/ttyhash`,
//! `usr/lib/libproc.a`; `dev/.lib`, `dev/hda06`; sniffer logs named `tcp.log`,
//! `.linux-sniff`, `sniff-l0g` anywhere; `etc/ld.so.preload` (userland rootkits load
//! themselves through it; medium, as a few tools use it legitimately). Each entry's
//! severity comes from the data file. Under `dev`, a device node of a listed name does not count
//! (on old systems `dev/ptyp0` is a real terminal): a regular file or a directory does.
//!
//! ## Why it matters
//! These kits replace system programs so that they hide the intruder, and keep the
//! list of what to hide in such files; sniffer logs hold the passwords captured on the
//! network, which the intruder will use on other hosts. Any of the kit files means the
//! host was taken over with root privileges.
//!
//! ## Example
//! ```text
//! dev/ptyr: mode 0644, owner root (0), group root (0), 42 bytes, modified 1997-01-01T02:03:04Z (lrk: ls/du/find hide list (files))
//! ```
//!
//! ## What to do
//! Treat the host as compromised (step 5): isolate it, keep an image, rebuild from
//! trusted media, change every password used on it — and, for a sniffer log, every
//! password that crossed its network. The files are evidence: copy them before
//! anything else.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001 (step 5)
//! - CERT/CC Incident Note IN-99-04 (knark, lrk), chkrootkit's list of kit files
//!
//! <!-- ja -->
//! # RK001 rootkit-file
//!
//! ## 何を見つけるか
//! 既知のルートキット、ワーム、スニファが残すファイルやディレクトリ
//! （`data/rootkit-traces.tsv` の `path` と `name`）。lrk の隠蔽リスト `dev/ptyp`、
//! `dev/ptyq`、`dev/ptyr`、`dev/ptys`、t0rn の `usr/src/.puta`、`etc/ttyhash`、
//! `usr/lib/libproc.a`、`dev/.lib`、`dev/hda06`、どこにあってもスニファのログ
//! （`tcp.log`、`.linux-sniff`、`sniff-l0g`）、`etc/ld.so.preload`（ユーザ空間の
//! ルートキットが自身を読み込ませる。正当に使うツールもあるので medium）。重大度は
//! データファイルの各行に従います。`dev` 下では同名のデバイスファイルは数えず
//! （古いシステムの `dev/ptyp0` は本物の端末）、通常ファイルかディレクトリを数えます。
//!
//! ## なぜ重要か
//! これらのキットはシステムのプログラムを置き換えて侵入者を隠し、隠す対象の一覧を
//! こうしたファイルに保存します。スニファのログにはネットワークで盗んだパスワードが
//! あり、侵入者は他のホストでそれを使います。どれか一つでも、root 権限で乗っ取られた
//! ことを意味します。
//!
//! ## 例
//! ```text
//! dev/ptyr: モード 0644、所有者 root（0）、グループ root（0）、42 バイト、更新日時 1997-01-01T02:03:04Z（lrk: ls/du/find の隠蔽リスト（ファイル））
//! ```
//!
//! ## 対処
//! 侵入されたものとして扱ってください（手順 5）。隔離し、イメージを保存し、信頼できる
//! 媒体から再構築し、使われたすべてのパスワードを変更してください。スニファのログなら、
//! そのネットワークを通ったすべてのパスワードも変更します。ファイルは証拠なので、
//! 何よりも先に複製してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001（手順 5）
//! - CERT/CC Incident Note IN-99-04（knark、lrk）、chkrootkit のキットファイル一覧

use super::traces::{self, TraceKind};
use super::{describe, is_device, walked};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::BTreeMap;

/// RK001: a file a known kit leaves.
pub static RULE: Rule = Rule {
    code: "RK001",
    name: "rootkit-file",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: "File of a known rootkit or sniffer",
    advice: "Treat the host as compromised (step 5): isolate it, keep an image, copy the \
             files as evidence, rebuild from trusted media and change every password \
             used on it or sent over its network.",
    title_ja: "既知のルートキットまたはスニファのファイル",
    advice_ja: "侵入されたものとして扱ってください（手順 5）。隔離し、イメージを保存し、\
                ファイルを証拠として複製し、信頼できる媒体から再構築し、使われた・\
                ネットワークを通ったすべてのパスワードを変更してください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("rk001_rootkit_file.rs"),
};

/// Runs RK001.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let t = traces::get();
    // path -> (metadata, trace index); a path matched twice is reported once.
    let mut hits = BTreeMap::new();
    for (i, trace) in t.entries.iter().enumerate() {
        if trace.kind != TraceKind::Path || trace.pattern.contains(['*', '?', '[']) {
            continue;
        }
        // lstat follows earlier links inside the root, so `lib/ldlib.tk` is found on a
        // usr-merged root too.
        let Ok(meta) = ctx.root.lstat(&trace.pattern) else {
            continue;
        };
        if trace.pattern.starts_with("dev/") && is_device(meta.kind) {
            continue;
        }
        let path = ctx
            .root
            .resolve(&trace.pattern)
            .unwrap_or_else(|_| trace.pattern.clone());
        hits.entry(path).or_insert((meta, i));
    }
    let walk = walked(ctx);
    for (path, meta, i) in &walk.trace_hits {
        hits.entry(path.clone()).or_insert((*meta, *i));
    }
    let mut findings = Vec::new();
    for (path, (meta, i)) in hits {
        let trace = &t.entries[i];
        let Localized {
            en: described,
            ja: described_ja,
        } = describe(ctx, &meta);
        let line = trace.line;
        let mut finding = ctx.finding(&RULE);
        finding.severity = trace.severity;
        let (what, what_ja) = (&trace.what, &trace.what_ja);
        finding.set_title(tr!("{path}: {what}", "{path}: {what_ja}"));
        finding.subject.path = Some(path.clone());
        finding.count = 1;
        finding.merge_key = path.clone();
        finding.push_evidence(file_evidence(
            &path,
            tr!(
                "{described} ({what}; rootkit-traces.tsv line {line})",
                "{described_ja}（{what_ja}。rootkit-traces.tsv の {line} 行目）"
            ),
        ));
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::write;
    use crate::{Context, Root};

    fn codes(dir: &std::path::Path) -> Vec<String> {
        let root = Root::open(dir).unwrap();
        check(&mut Context::new(&root, "h"))
            .into_iter()
            .filter_map(|f| f.subject.path)
            .collect()
    }

    #[test]
    fn kit_files_and_sniffer_logs_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "dev/ptyr", b"hidden.c\n.puta\n", 0o644);
        std::fs::create_dir_all(p.join("usr/src/.puta")).unwrap();
        write(p, "var/spool/lpd/tcp.log", b"user root pass x\n", 0o600);
        write(p, "usr/lib/.ark1", b"x", 0o644);
        assert_eq!(
            codes(p),
            [
                "dev/ptyr",
                "usr/lib/.ark1",
                "usr/src/.puta",
                "var/spool/lpd/tcp.log"
            ]
        );
        let root = Root::open(p).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        assert_eq!(
            found[0].title,
            "dev/ptyr: lrk: ls/du/find hide list (files)"
        );
        assert_eq!(
            found[0].title_ja,
            "dev/ptyr: lrk: ls/du/find の隠蔽リスト（ファイル）"
        );
        let evidence = &found[0].evidence[0];
        assert!(
            evidence.text.contains(" bytes, modified ")
                && evidence
                    .text
                    .contains(" (lrk: ls/du/find hide list (files); rootkit-traces.tsv line "),
            "{}",
            evidence.text
        );
        let ja = evidence.text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("モード 0644、所有者 ")
                && ja.contains("、15 バイト、更新日時 ")
                && ja
                    .contains("（lrk: ls/du/find の隠蔽リスト（ファイル）。rootkit-traces.tsv の ")
                && ja.ends_with(" 行目）"),
            "{ja}"
        );
    }

    #[test]
    fn severity_comes_from_the_data_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "etc/ld.so.preload",
            b"/lib/libsnoopy.so\n",
            0o644,
        );
        write(dir.path(), "etc/ttyhash", b"x", 0o600);
        let root = Root::open(dir.path()).unwrap();
        let got: Vec<_> = check(&mut Context::new(&root, "h"))
            .into_iter()
            .map(|f| (f.subject.path.unwrap(), f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("etc/ld.so.preload".to_string(), Severity::Medium),
                ("etc/ttyhash".to_string(), Severity::Critical),
            ]
        );
    }

    #[test]
    fn terminals_named_like_hide_lists_and_a_clean_tree_are_silent() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, "dev/MAKEDEV", b"#!/bin/sh\n", 0o755);
        write(p, "usr/src/linux/Makefile", b"all:\n", 0o644);
        write(p, "var/log/syslog", b"tcp.log is mentioned here\n", 0o644);
        assert!(codes(p).is_empty());
        // A device node named dev/ptyp is not lrk's file (creating one needs root).
        let made = rustix::fs::mknodat(
            rustix::fs::CWD,
            p.join("dev/ptyp"),
            rustix::fs::FileType::CharacterDevice,
            rustix::fs::Mode::from_raw_mode(0o620),
            rustix::fs::makedev(2, 0),
        );
        if made.is_ok() {
            assert!(codes(p).is_empty());
        } else {
            eprintln!("skipped: cannot create a device node here ({made:?})");
        }
    }
}
