//! # AC002 empty-password
//!
//! ## What it finds
//! Accounts whose password field is empty — in `/etc/passwd` itself, or in the shadow
//! file for an account whose `passwd` entry points there (`x`; `!` on AIX, whose
//! hashes are in `etc/security/passwd`). Such an account asks for
//! no password at all. NIS `+` lines are not counted (their empty fields mean "from
//! NIS"; AC004 judges them) and neither are lock markers (`*`, `!`, `*LK*`, `NP`).
//!
//! ## Why it matters
//! Anyone who can reach a login service logs in. SunOS shipped
//! `sync::1:1::/:/bin/sync`: its shell only runs sync(1), but the account still opens
//! services that do not run the shell (FTP with a relaxed `/etc/shells`, rexec, old
//! `rlogin -l sync` tricks), and it is the first thing a guesser tries. Severity is high
//! when the shell is an interactive one, medium otherwise.
//!
//! ## Example
//! ```text
//! etc/passwd:10: sync::1:1::/:/bin/sync
//! ```
//!
//! ## What to do
//! (3) Set a password or lock the account (`passwd -l`, or `*` in the password field),
//! and give accounts that must not log in a shell that refuses (`/sbin/nologin`).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasure (3)
//! - CERT Advisory CA-91:11 (accounts without passwords)
//! <!-- ja -->
//! # AC002 empty-password
//!
//! ## 検出内容
//! パスワード欄が空のアカウントを検出します。`/etc/passwd` 自体の空欄と、`passwd` のエントリが
//! シャドーファイルを指しているアカウント（`x`。AIX では `!` で、ハッシュは
//! `etc/security/passwd` にあります）のシャドーファイル側の空欄が対象です。このような
//! アカウントはパスワードをまったく求めません。NIS の `+` 行（空欄は「NIS から取る」という
//! 意味で、AC004 が判定します）とロックの印（`*`、`!`、`*LK*`、`NP`）は数えません。
//!
//! ## 重要な理由
//! ログインサービスに接続できる者は誰でもログインできます。SunOS は
//! `sync::1:1::/:/bin/sync` を同梱していました。そのシェルは sync(1) を実行するだけですが、
//! シェルを実行しないサービス（`/etc/shells` が緩い FTP、rexec、昔の `rlogin -l sync` の手口）
//! はこのアカウントでも開きますし、パスワード類推で最初に試される名前でもあります。シェルが
//! 対話的なものなら重大度は「高」、そうでなければ「中」です。
//!
//! ## 例
//! ```text
//! etc/passwd:10: sync::1:1::/:/bin/sync
//! ```
//!
//! ## 対処
//! (3) パスワードを設定するか、アカウントをロックし（`passwd -l`、またはパスワード欄に `*`）、
//! ログインさせないアカウントにはログインを拒否するシェル（`/sbin/nologin`）を設定して
//! ください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3)
//! - CERT Advisory CA-91:11（パスワードのないアカウント）

use super::hash::{PasswordField, classify};
use super::{ShadowEntry, passwd_evidence, shadow_evidence};
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::HashMap;

/// AC002: an account without a password.
pub static RULE: Rule = Rule {
    code: "AC002",
    name: "empty-password",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Account without a password",
    advice: "(3) Set a password or lock the account (passwd -l, or * in the password \
             field); give accounts that must not log in a refusing shell (/sbin/nologin).",
    status: RuleStatus::Stable,
    title_ja: "パスワードのないアカウント",
    advice_ja: "(3) パスワードを設定するか、アカウントをロックしてください（passwd -l、または\
             パスワード欄に *）。ログインさせないアカウントには、ログインを拒否するシェル\
             （/sbin/nologin）を設定してください。",
    since: "0.1.0",
    source: include_str!("ac002_empty_password.rs"),
};

/// Shells that do not give an interactive session.
pub(crate) fn is_noninteractive_shell(shell: &str) -> bool {
    let base = shell.rsplit('/').next().unwrap_or(shell);
    matches!(
        base,
        "false" | "nologin" | "sync" | "shutdown" | "halt" | "true" | "noshell"
    )
}

/// Runs AC002.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let shadow = ctx.shadow();
    // Indexed once: a passwd and a shadow of 200,000 lines each must not cost 4·10¹⁰
    // comparisons. The first line of a name wins, as in getspnam(3).
    let mut by_name: HashMap<&str, Vec<&ShadowEntry>> = HashMap::new();
    for entry in shadow.as_deref().unwrap_or_default() {
        by_name.entry(entry.name.as_str()).or_default().push(entry);
    }
    let mut findings = Vec::new();
    for entry in passwd.iter().filter(|e| !e.nis) {
        let evidence = match classify(&entry.password) {
            PasswordField::Empty => passwd_evidence(entry),
            // `x` points at the shadow file; on AIX `!` points at etc/security/passwd.
            field if field == PasswordField::Elsewhere || entry.password == b"!" => {
                let aix_only = field != PasswordField::Elsewhere;
                let Some(shadowed) = by_name.get(entry.name.as_str()).and_then(|s| {
                    s.iter()
                        .find(|s| !aix_only || s.file == "etc/security/passwd")
                        .copied()
                }) else {
                    continue;
                };
                if classify(&shadowed.hash) != PasswordField::Empty {
                    continue;
                }
                shadow_evidence(shadowed)
            }
            _ => continue,
        };
        let mut finding = ctx.finding(&RULE);
        let interactive = !is_noninteractive_shell(&entry.shell);
        if !interactive {
            finding.severity = Severity::Medium;
        }
        let name = &entry.name;
        let (shell, shell_ja) = if entry.shell.is_empty() {
            ("/bin/sh by default", "既定の /bin/sh")
        } else {
            (entry.shell.as_str(), entry.shell.as_str())
        };
        finding.set_title(tr!(
            "Account {name} has no password (shell {shell})",
            "アカウント {name} にパスワードがない（シェル {shell_ja}）"
        ));
        finding.subject.users = vec![entry.name.clone()];
        finding.subject.path = Some(evidence.file.clone());
        finding.count = 1;
        finding.merge_key = entry.name.clone();
        finding.push_evidence(evidence);
        findings.push(finding);
    }
    findings
}
