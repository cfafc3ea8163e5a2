//! # FT005 ftp-account-shell
//!
//! ## What it finds
//! The anonymous FTP account (`ftp` or `anonymous` in the audited root's `etc/passwd`)
//! with a login shell: anything but `nologin`, `false`, `true`, `/dev/null` or
//! `noshell`. An empty shell field counts as a shell: login(1) runs `/bin/sh`.
//!
//! ## Why it matters
//! Anonymous FTP needs the account to exist, not to log in. With a shell, a `.rhosts`
//! uploaded into a writable `~ftp` (the advisory's attack) or a password set on the
//! account gives an interactive login; without one, `rlogin`/`telnet` as `ftp` end at
//! once.
//!
//! ## Example
//! ```text
//! etc/passwd:14: ftp:*:99:99:Anonymous FTP:/home/ftp:/bin/sh
//! ```
//!
//! ## What to do
//! Give the account a non-login shell (`/usr/sbin/nologin`, or `/bin/false` on old
//! systems; wu-ftpd needs it listed in `etc/shells` only for real users, not for
//! anonymous FTP), and `*` as its password.
//!
//! ## References
//! - CERT Advisory CA-93:10, "Anonymous FTP configuration guidelines"
//! - Tiger `check_anonftp`
//! <!-- ja -->
//! # FT005 ftp-account-shell
//!
//! ## 検出内容
//! ログインシェルを持つ Anonymous FTP のアカウント（検査対象の `etc/passwd` にある `ftp` または
//! `anonymous`）を検出します。`nologin`、`false`、`true`、`/dev/null`、`noshell` 以外はすべて
//! ログインシェルとみなします。シェル欄が空の場合もシェルとみなします: login(1) は `/bin/sh`
//! を実行します。
//!
//! ## 重要な理由
//! Anonymous FTP に必要なのはアカウントが存在することで、ログインできることではありません。
//! シェルがあると、書き込み可能な `~ftp` にアップロードされた `.rhosts`（アドバイザリの攻撃）
//! や、アカウントに設定されたパスワードで対話的にログインできます。シェルがなければ、`ftp`
//! としての `rlogin`/`telnet` はすぐに終わります。
//!
//! ## 例
//! ```text
//! etc/passwd:14: ftp:*:99:99:Anonymous FTP:/home/ftp:/bin/sh
//! ```
//!
//! ## 対処
//! アカウントにログインできないシェル（`/usr/sbin/nologin`、古いシステムでは `/bin/false`。
//! wu-ftpd で `etc/shells` への記載が必要なのは実在の利用者だけで、Anonymous FTP には不要です）
//! を設定し、パスワードを `*` にしてください。
//!
//! ## 参考
//! - CERT Advisory CA-93:10 "Anonymous FTP configuration guidelines"
//! - Tiger `check_anonftp`

use super::anon_areas;
use crate::Context;
use crate::accounts::{PasswordField, classify};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// FT005: the anonymous FTP account has a login shell.
pub static RULE: Rule = Rule {
    code: "FT005",
    name: "ftp-account-shell",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "Anonymous FTP account has a login shell",
    advice: "Give the ftp account a non-login shell (/usr/sbin/nologin or /bin/false) and '*' \
             as its password.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP のアカウントにログインシェルがある",
    advice_ja: "ftp アカウントにはログインできないシェル（/usr/sbin/nologin または \
             /bin/false）を設定し、パスワードを '*' にしてください。",
    since: "0.1.0",
    source: include_str!("ft005_ftp_shell.rs"),
};

/// Whether a shell field lets nobody log in.
pub fn is_non_login(shell: &str) -> bool {
    let name = shell.trim().rsplit('/').next().unwrap_or("");
    !shell.trim().is_empty()
        && (matches!(name, "nologin" | "false" | "true" | "noshell" | "null")
            || name.ends_with("nologin"))
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let mut findings = Vec::new();
    for area in anon_areas(ctx) {
        let Some(entry) = passwd
            .iter()
            .find(|e| !e.nis && e.name == area.account && e.line == area.line)
        else {
            continue;
        };
        if is_non_login(&entry.shell) {
            continue;
        }
        let mut finding = ctx.finding(&RULE);
        let (shell, shell_ja) = if entry.shell.trim().is_empty() {
            ("an empty shell field (/bin/sh)", "シェル欄が空: /bin/sh")
        } else {
            (entry.shell.as_str(), entry.shell.as_str())
        };
        let password = matches!(
            classify(&entry.password),
            PasswordField::Hash(_) | PasswordField::Empty
        );
        if password {
            finding.severity = Severity::High;
        }
        let name = &entry.name;
        let (usable, usable_ja) = if password {
            (" and a usable password", "があり、使えるパスワードもある")
        } else {
            ("", "がある")
        };
        finding.set_title(kensa_core::tr!(
            "Anonymous FTP account {name} has the login shell {shell}{usable}",
            "Anonymous FTP のアカウント {name} にログインシェル（{shell_ja}）{usable_ja}"
        ));
        finding.subject.users = vec![entry.name.clone()];
        finding.subject.path = Some(entry.file.clone());
        finding.count = 1;
        finding.push_evidence(crate::accounts::redacted_evidence(
            &entry.file,
            entry.line,
            entry.offset,
            &entry.raw_line,
        ));
        finding.merge_key = entry.name.clone();
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells() {
        for shell in [
            "/bin/false",
            "/usr/sbin/nologin",
            "/sbin/nologin",
            "/bin/true",
            "/dev/null",
            "/usr/bin/noshell",
        ] {
            assert!(is_non_login(shell), "{shell}");
        }
        for shell in ["", "/bin/sh", "/bin/csh", "/bin/bash", " "] {
            assert!(!is_non_login(shell), "{shell:?}");
        }
    }
}
