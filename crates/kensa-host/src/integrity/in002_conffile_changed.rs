//! # IN002 conffile-changed
//!
//! ## What it finds
//! A configuration file of a package — listed under `Conffiles:` in
//! `var/lib/dpkg/status`, or marked `%config` in an rpm package's header — whose digest
//! differs from the one the package shipped, or that was removed (an rpm
//! `%config(missingok)` file may be). Reported as information, one finding per file,
//! apart from IN001: editing configuration is what administrators do.
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
//! - deb-conffiles(5); debsums(1) `--config`; rpm(8) `--verify` (the `c` files)
//!
//! <!-- ja -->
//! # IN002 conffile-changed
//!
//! ## 何を見つけるか
//! パッケージの設定ファイル（`var/lib/dpkg/status` の `Conffiles:`、または rpm
//! パッケージのヘッダーで `%config` のもの）のうち、ダイジェストが出荷時と異なるもの、
//! または削除されたもの（rpm の `%config(missingok)` は削除されていてもかまいません）。
//! 管理者が設定を編集するのは普通のことなので、IN001 とは分けて情報として 1 ファイル
//! 1 件で報告します。
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
//! - deb-conffiles(5)、debsums(1) `--config`、rpm(8) `--verify`（`c` のファイル）

use super::{State, database, verification};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

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
        let (recorded, recorded_ja) = (sum.expected.recorded(), sum.expected.recorded_ja());
        let (title, text) = match state {
            State::Changed {
                actual, details, ..
            } => (
                tr!(
                    "{path} (package {package}) was edited",
                    "{path}（パッケージ {package}）が編集されている"
                ),
                Localized {
                    en: format!(
                        "{} (package {package} shipped {recorded}); {}",
                        actual.en, details.en
                    ),
                    ja: format!(
                        "{}（パッケージ {package} の配布時は {recorded_ja}）。{}",
                        actual.ja, details.ja
                    ),
                },
            ),
            State::Missing => (
                tr!(
                    "{path} (package {package}) was removed",
                    "{path}（パッケージ {package}）が削除されている"
                ),
                tr!(
                    "absent; package {package} shipped {recorded}",
                    "存在しない。パッケージ {package} の配布時は {recorded_ja}"
                ),
            ),
            _ => continue,
        };
        let mut finding = ctx.finding(&RULE);
        finding.set_title(title);
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
        let ja = found[0].evidence[0].text_ja.as_deref().unwrap_or("");
        assert!(ja.contains("（パッケージ login の配布時は "), "{ja}");
        std::fs::remove_file(dir.path().join("etc/login.defs")).unwrap();
        let found = check(&mut Context::new(&root, "h"));
        assert!(
            found[0].title.ends_with("was removed"),
            "{}",
            found[0].title
        );
    }
}
