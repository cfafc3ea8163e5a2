//! # AC003 extra-uid0
//!
//! ## What it finds
//! Accounts other than `root` with user id 0 — every one of them is root under another
//! name. A few systems shipped such accounts: SunOS 4's `sysdiag` and `sundiag` (for the
//! diagnostics tools) and the BSDs' `toor` (a root with another shell). Those are
//! reported as exposures (medium when locked, high when they have a password or none);
//! any other name is reported as an **indicator** of compromise.
//!
//! ## Why it matters
//! A second UID-0 account is the classic backdoor: an intruder who got root once adds
//! `r00t::0:0::/:/bin/sh` (or a harmless-looking `lp2`) to come back through a normal
//! login. Even the stock ones matter: a guessed or empty `sysdiag` password is root.
//!
//! ## Example
//! ```text
//! etc/passwd:11: sysdiag:*:0:1:Old System Diagnostic:/usr/diag/sysdiag:/usr/diag/sysdiag/sysdiag
//! etc/passwd:23: dbadmin:<DES hash>:0:0::/:/bin/sh
//! ```
//!
//! ## What to do
//! For an account you did not create: the host is probably compromised — keep the
//! disk for analysis and rebuild (the advisory's step 5). For a stock one: lock it
//! (`*` in the password field) or remove it if unused; (3) change root's password.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasure (3) and step 5
//! - COPS `passwd.chk`, Tiger `check_passwd` (UID 0 accounts)
//! <!-- ja -->
//! # AC003 extra-uid0
//!
//! ## 検出内容
//! `root` 以外でユーザ ID が 0 のアカウントを検出します。これらはどれも、別の名前の root です。
//! いくつかのシステムはこうしたアカウントを同梱していました: SunOS 4 の `sysdiag` と `sundiag`
//! （診断ツール用）、BSD の `toor`（別のシェルを使う root）です。これらは露出として報告し
//! （ロックされていれば「中」、パスワードがあるか空なら「高」）、それ以外の名前は
//! 侵害の **痕跡** として報告します。
//!
//! ## 重要な理由
//! 二つ目の UID 0 のアカウントは典型的な裏口です。一度 root を奪った侵入者は、通常のログインで
//! 戻ってこられるように `r00t::0:0::/:/bin/sh`（あるいは無害に見える `lp2`）を追加します。
//! 標準のアカウントも問題です: `sysdiag` のパスワードが類推されたり空だったりすれば、それは
//! root です。
//!
//! ## 例
//! ```text
//! etc/passwd:11: sysdiag:*:0:1:Old System Diagnostic:/usr/diag/sysdiag:/usr/diag/sysdiag/sysdiag
//! etc/passwd:23: dbadmin:<DES hash>:0:0::/:/bin/sh
//! ```
//!
//! ## 対処
//! 自分で作成していないアカウントの場合: ホストはおそらく侵害されています。解析のために
//! ディスクを保全し、システムを再構築してください（アドバイザリの対策 (5)）。標準のアカウントの
//! 場合: ロックするか（パスワード欄に `*`）、使っていなければ削除し、(3) root のパスワードを
//! 変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3) と (5)
//! - COPS `passwd.chk`、Tiger `check_passwd`（UID 0 のアカウント）

use super::hash::{PasswordField, classify};
use super::passwd_evidence;
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// AC003: a UID-0 account other than root.
pub static RULE: Rule = Rule {
    code: "AC003",
    name: "extra-uid0",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Indicator,
    severity: Severity::High,
    title: "Account other than root with UID 0",
    advice: "If you did not create this account the host is probably compromised: keep the \
             disk for analysis and rebuild (step 5). A stock account (sysdiag, sundiag, \
             toor): lock or remove it, and (3) change root's password.",
    status: RuleStatus::Stable,
    title_ja: "root 以外の UID 0 のアカウント",
    advice_ja: "自分で作成したアカウントでなければ、ホストはおそらく侵害されています: 解析のた\
             めにディスクを保全し、システムを再構築してください（対策 (5)）。標準で同梱のアカ\
             ウント（sysdiag、sundiag、toor）はロックするか削除し、(3) root のパスワードを変更\
             してください。",
    since: "0.1.0",
    source: include_str!("ac003_extra_uid0.rs"),
};

/// UID-0 accounts that vendors shipped.
const STOCK: &[&str] = &["sysdiag", "sundiag", "toor"];

/// Runs AC003.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let mut findings = Vec::new();
    for entry in passwd
        .iter()
        .filter(|e| !e.nis && e.uid == Some(0) && e.raw_name != b"root")
    {
        let mut finding = ctx.finding(&RULE);
        let name = &entry.name;
        let locked = matches!(
            classify(&entry.password),
            PasswordField::Locked { .. } | PasswordField::Elsewhere
        );
        if STOCK.contains(&entry.name.as_str()) {
            finding.outcome = Outcome::Exposure;
            finding.severity = if locked {
                Severity::Medium
            } else {
                Severity::High
            };
            let (state, state_ja) = if locked {
                (
                    "locked, but still worth removing",
                    "ロックされているが、削除したほうがよい",
                )
            } else {
                ("and can log in", "ログインもできる")
            };
            finding.set_title(tr!(
                "Stock account {name} has UID 0 ({state}): root under another name",
                "標準のアカウント {name} の UID が 0（{state_ja}）: 別名の root"
            ));
        } else {
            finding.set_title(tr!(
                "Account {name} has UID 0: root under another name, a classic backdoor",
                "アカウント {name} の UID が 0: 別名の root であり、典型的なバックドア"
            ));
        }
        finding.subject.users = vec![entry.name.clone()];
        finding.subject.path = Some(entry.file.clone());
        finding.count = 1;
        finding.merge_key = entry.name.clone();
        finding.push_evidence(passwd_evidence(entry));
        findings.push(finding);
    }
    findings
}
