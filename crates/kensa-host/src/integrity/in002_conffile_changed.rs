//! # IN002 conffile-changed
//!
//! ## What it finds
//! A configuration file of a package (listed under `Conffiles:` in
//! `var/lib/dpkg/status`) whose MD5 differs from the one the package shipped, or that
//! was removed. Reported as information, one finding per file, apart from IN001:
//! editing configuration is what administrators do.
//!
//! ## Why it matters
//! Most changes are the administrator's own. But an intruder's changes to
//! `etc/inetd.conf`, `etc/pam.d/*`, `etc/ssh/sshd_config`, `etc/hosts.allow` or
//! `etc/syslog.conf` (to stop logging) show up here too. The list tells you which
//! configuration files to compare with your records or backups.
//!
//! ## Example
//! ```text
//! etc/login.defs: MD5 9e1c…41 (package login shipped 8d2f…07); mode 0644, owner 0, group 0, 10734 bytes
//! ```
//!
//! ## What to do
//! Compare each listed file with your backup or configuration management; for a
//! change nobody made, see the other findings and treat the host as compromised.
//!
//! ## References
//! - deb-conffiles(5); debsums(1) `--config`
//!
//! <!-- ja -->
//! # IN002 conffile-changed
//!
//! ## 何を見つけるか
//! パッケージの設定ファイル（`var/lib/dpkg/status` の `Conffiles:`）のうち、MD5 が
//! 出荷時と異なるもの、または削除されたもの。管理者が設定を編集するのは普通のこと
//! なので、IN001 とは分けて情報として 1 ファイル 1 件で報告します。
//!
//! ## なぜ重要か
//! 多くは管理者自身の変更です。しかし侵入者による `etc/inetd.conf`、`etc/pam.d/*`、
//! `etc/ssh/sshd_config`、`etc/hosts.allow`、`etc/syslog.conf`（記録の停止）の変更も
//! ここに現れます。記録やバックアップと照合すべき設定ファイルの一覧になります。
//!
//! ## 例
//! ```text
//! etc/login.defs: MD5 9e1c…41 (package login shipped 8d2f…07); mode 0644, owner 0, group 0, 10734 bytes
//! ```
//!
//! ## 対処
//! 各ファイルをバックアップや構成管理と比べてください。誰も行っていない変更なら、
//! 他の所見と合わせてホストが侵入されたものとして扱ってください。
//!
//! ## 参考
//! - deb-conffiles(5)、debsums(1) `--config`

use super::{State, database, verification};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// IN002: a changed or removed configuration file.
pub static RULE: Rule = Rule {
    code: "IN002",
    name: "conffile-changed",
    kind: Kind::Integrity,
    outcome: Outcome::Exposure,
    severity: Severity::Info,
    title: "Package configuration file changed",
    advice: "Compare the file with your backup or configuration management; a change \
             nobody made is a sign of intrusion.",
    title_ja: "パッケージの設定ファイルが変更されている",
    advice_ja: "バックアップや構成管理と比べてください。誰も行っていない変更は侵入の兆候です。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("in002_conffile_changed.rs"),
};

/// Runs IN002.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let (Some(db), Some(v)) = (database(ctx), verification(ctx)) else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for ((sum, state), path) in db.sums.iter().zip(&v.states).zip(&v.read_paths) {
        if !sum.conffile {
            continue;
        }
        let package = db.packages[sum.package].as_str();
        let (title, text) = match state {
            State::Changed {
                actual, details, ..
            } => {
                let (algorithm, hex, expected) =
                    (actual.algorithm(), actual.hex(), sum.digest.hex());
                let details_ja = super::in001_packaged_file_changed::details_ja(details);
                (
                    format!("{path} (package {package}) was edited"),
                    kensa_core::tr!(
                        "{algorithm} {hex} (package {package} shipped {expected}); {details}",
                        "{algorithm} {hex}（パッケージ {package} の配布時は {expected}）。\
                         {details_ja}"
                    ),
                )
            }
            State::Missing => {
                let expected = sum.digest.hex();
                (
                    format!("{path} (package {package}) was removed"),
                    kensa_core::tr!(
                        "absent; package {package} shipped {expected}",
                        "存在しない。パッケージ {package} の配布時は {expected}"
                    ),
                )
            }
            _ => continue,
        };
        let mut finding = ctx.finding(&RULE);
        finding.title = title;
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

    #[test]
    fn an_edited_conffile_is_information_and_an_intact_one_is_silent() {
        let dir = tempfile::tempdir().unwrap();
        debianish(dir.path());
        let root = Root::open(dir.path()).unwrap();
        assert!(check(&mut Context::new(&root, "h")).is_empty());
        write(dir.path(), "etc/login.defs", b"UMASK 077\n", 0o644);
        let found = check(&mut Context::new(&root, "h"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert_eq!(found[0].outcome, Outcome::Exposure);
        assert!(found[0].title.contains("package login"));
        let ja = found[0].evidence[0].text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.contains("（パッケージ login の配布時は ") && ja.contains("）。モード 0644、"),
            "{ja}"
        );
        std::fs::remove_file(dir.path().join("etc/login.defs")).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        assert!(
            found[0].title.ends_with("was removed"),
            "{}",
            found[0].title
        );
        let ja = found[0].evidence[0].text_ja.as_deref().unwrap_or_default();
        assert!(
            ja.starts_with("存在しない。パッケージ login の配布時は "),
            "{ja}"
        );
    }
}
