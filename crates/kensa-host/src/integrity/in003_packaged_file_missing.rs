//! # IN003 packaged-file-missing
//!
//! ## What it finds
//! Files a package installed (listed in dpkg's `md5sums`, or files and links of an rpm
//! package's header) that are gone, one finding per package naming them. Files the
//! package manager was told not to install are not reported: dpkg's `path-exclude` in
//! `etc/dpkg/dpkg.cfg.d/` (common in container images that drop documentation), rpm's
//! `--excludedocs` and `%_install_langs` (recorded per file as "not installed"); nor are
//! rpm's `%ghost` files (owned, never installed) and `missingok` ones. Missing programs
//! or libraries are medium, other files low.
//!
//! ## Why it matters
//! Intruders delete what would show them: `last`, `lastlog`, `w`, `who`, the log
//! rotation script, or a binary they replaced with a link elsewhere. A package whose
//! files vanished was at least tampered with outside the package manager.
//!
//! ## Example
//! ```text
//! usr/bin/last: absent (package util-linux records 57a0…c3)
//! ```
//!
//! ## What to do
//! Find out who removed the files (the administrator's records, shell histories);
//! unexplained removals of programs count as signs of intrusion. Reinstall the package
//! from a trusted mirror once the host is trusted again.
//!
//! ## References
//! - dpkg(1) `--verify`; dpkg.cfg(5) `path-exclude`; rpm(8) `--verify` (`missing`)
//!
//! <!-- ja -->
//! # IN003 packaged-file-missing
//!
//! ## 何を見つけるか
//! パッケージが導入したファイル（dpkg の `md5sums` に記載、または rpm パッケージの
//! ヘッダーにあるファイルとリンク）のうち無くなったもの。パッケージごとに 1 件で
//! ファイル名を挙げます。パッケージ管理に導入しないよう指定したファイル（dpkg の
//! `etc/dpkg/dpkg.cfg.d/` の `path-exclude`。文書を省くコンテナイメージに多い。rpm の
//! `--excludedocs` や `%_install_langs` でファイルごとに「導入せず」と記録されたもの）、
//! rpm の `%ghost`（所有するだけで導入しない）と `missingok` のファイルは報告しません。
//! プログラムとライブラリの欠落は medium、その他は low です。
//!
//! ## なぜ重要か
//! 侵入者は自分の痕跡を示すもの（`last`、`lastlog`、`w`、`who`、ログのローテーション
//! スクリプトなど）を消します。ファイルが消えたパッケージは、少なくともパッケージ管理の
//! 外で手を加えられています。
//!
//! ## 例
//! ```text
//! usr/bin/last: absent (package util-linux records 57a0…c3)
//! ```
//!
//! ## 対処
//! 誰が削除したかを確かめてください（管理者の記録、シェルの履歴）。説明のつかない
//! プログラムの削除は侵入の兆候とみなします。ホストが信頼できる状態に戻ったら、
//! 信頼できるミラーからパッケージを再導入してください。
//!
//! ## 参考
//! - dpkg(1) `--verify`、dpkg.cfg(5) `path-exclude`、rpm(8) `--verify`（`missing`）

use super::{State, database, is_code_path, list_paths, verification};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::BTreeMap;

/// IN003: packaged files that are gone.
pub static RULE: Rule = Rule {
    code: "IN003",
    name: "packaged-file-missing",
    kind: Kind::Integrity,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Packaged files missing",
    advice: "Find out who removed them; unexplained removal of programs is a sign of \
             intrusion. Reinstall the package from a trusted mirror once the host is \
             trusted.",
    title_ja: "パッケージのファイルが欠落している",
    advice_ja: "誰が削除したかを確かめてください。説明のつかないプログラムの削除は侵入の\
                兆候です。ホストが信頼できる状態に戻ったら信頼できるミラーから再導入して\
                ください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("in003_packaged_file_missing.rs"),
};

/// Evidence lines per finding.
const MAX_LISTED: usize = 20;

/// Runs IN003.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let (Some(db), Some(v)) = (database(ctx), verification(ctx)) else {
        return Vec::new();
    };
    let mut by_package: BTreeMap<&str, Vec<(&String, &super::Sum)>> = BTreeMap::new();
    for ((sum, state), path) in db.sums.iter().zip(&v.states).zip(&v.read_paths) {
        if sum.conffile || *state != State::Missing {
            continue;
        }
        by_package
            .entry(db.packages[sum.package].as_str())
            .or_default()
            .push((path, sum));
    }
    let mut findings = Vec::new();
    for (package, missing) in by_package {
        let paths: Vec<String> = missing.iter().map(|(p, _)| (*p).clone()).collect();
        let mut finding = ctx.finding(&RULE);
        finding.severity = if paths.iter().any(|p| is_code_path(p)) {
            Severity::Medium
        } else {
            Severity::Low
        };
        let (n, listed) = (paths.len(), list_paths(&paths, 3));
        finding.set_title(tr!(
            "{n} file(s) of package {package} missing: {listed}",
            "パッケージ {package} のファイル {n} 個が欠落: {listed}"
        ));
        finding.subject.path = paths.first().cloned();
        finding.count = paths.len() as u64;
        finding.merge_key = format!("IN003:{package}");
        for (path, sum) in missing.iter().take(MAX_LISTED) {
            finding.push_evidence(file_evidence(
                path,
                Localized {
                    en: format!(
                        "absent (package {package} records {})",
                        sum.expected.recorded()
                    ),
                    ja: format!(
                        "存在しない（パッケージ {package} の記録では {}）",
                        sum.expected.recorded_ja()
                    ),
                },
            ));
        }
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrity::testroot::{debianish, write};
    use crate::{Context, Root};

    #[test]
    fn a_removed_program_is_reported_per_package_and_excluded_docs_are_not() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        let root = Root::open(dir.path()).unwrap();
        assert!(check(&mut Context::new(&root, "h")).is_empty());
        std::fs::remove_file(dir.path().join("usr/share/doc/coreutils/copyright")).unwrap();
        write(
            dir.path(),
            "etc/dpkg/dpkg.cfg.d/excludes",
            b"# container image\npath-exclude=/usr/share/doc/*\npath-include=/usr/share/doc/*/README\n",
            0o644,
        );
        assert!(check(&mut Context::new(&root, "h")).is_empty());
        std::fs::remove_file(dir.path().join("usr/bin/du")).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, Severity::Medium);
        assert!(
            found[0]
                .title
                .contains("package coreutils missing: usr/bin/du")
        );
        let ja = found[0].evidence[0].text_ja.as_deref().unwrap_or("");
        assert!(
            ja.starts_with("存在しない（パッケージ coreutils の記録では "),
            "{ja}"
        );
    }
}
