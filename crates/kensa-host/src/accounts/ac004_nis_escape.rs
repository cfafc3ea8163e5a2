//! # AC004 nis-escape
//!
//! ## What it finds
//! NIS compat lines in `/etc/passwd` (`+`, `+name`, `+@netgroup`). A line that sets
//! the user id to 0 (`+::0:0:::`) is critical. A plain `+` that imports the whole NIS
//! map is reported at low severity: every NIS client and anyone who can query the NIS
//! server (`ypcat passwd`) gets every hash. `-name` exclusion lines are not reported.
//!
//! ## Why it matters
//! `+::0:0:::` overrides the user id of every NIS account with 0: anyone with an NIS
//! password is root here. Worse, when the host is not bound to an NIS domain, old
//! libraries read the line as an account named `+` with an empty password and UID 0 —
//! `login +` with no password gives root. Misreadings of the man page put such lines on
//! many SunOS hosts.
//!
//! ## Example
//! ```text
//! etc/passwd:21: +::0:0:::
//! ```
//!
//! ## What to do
//! Replace `+::0:0:::` with `+:` (or `+:*:::::`, which takes nothing but the
//! names), never override the user id with 0, and keep NIS password maps away from
//! untrusted networks. (4) Shadow passwords do not protect NIS maps: prefer a directory
//! service that does not hand out hashes.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasures (3) and (4)
//! - CERT Advisory CA-93:04 (NIS), SunOS 4 passwd(5)
//! <!-- ja -->
//! # AC004 nis-escape
//!
//! ## 検出内容
//! `/etc/passwd` の NIS 互換の行（`+`、`+name`、`+@netgroup`）を検出します。ユーザ ID を 0 に
//! する行（`+::0:0:::`）は「緊急」です。NIS のマップ全体を取り込む単なる `+` は重大度「低」で
//! 報告します: すべての NIS クライアントと、NIS サーバに問い合わせられる者（`ypcat passwd`）が
//! すべてのハッシュを手に入れられます。除外の `-name` 行は報告しません。
//!
//! ## 重要な理由
//! `+::0:0:::` は、すべての NIS アカウントのユーザ ID を 0 で上書きします。NIS のパスワードを
//! 持つ者は誰でも、このホストでは root です。さらに悪いことに、ホストが NIS ドメインに
//! バインドされていないと、古いライブラリはこの行を、パスワードが空で UID 0 の `+` という名前の
//! アカウントとして読みます。パスワードなしの `login +` で root になれます。マニュアルの誤読から、
//! 多くの SunOS のホストにこのような行が書かれていました。
//!
//! ## 例
//! ```text
//! etc/passwd:21: +::0:0:::
//! ```
//!
//! ## 対処
//! `+::0:0:::` を `+:`（または名前以外何も取り込まない `+:*:::::`）に置き換え、ユーザ ID を
//! 決して 0 で上書きしないでください。NIS のパスワードマップは信頼できないネットワークから
//! 遠ざけてください。(4) シャドーパスワードは NIS のマップを保護しません: ハッシュを配らない
//! ディレクトリサービスを選んでください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3) と (4)
//! - CERT Advisory CA-93:04（NIS）、SunOS 4 の passwd(5)

use super::passwd_evidence;
use crate::Context;
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// AC004: an NIS `+` line in passwd, critical with UID 0.
pub static RULE: Rule = Rule {
    code: "AC004",
    name: "nis-escape",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::Critical,
    title: "NIS + line in /etc/passwd gives UID 0",
    advice: "Never override the user id of a NIS + line with 0: use `+:` (or `+:*:::::`). \
             Keep NIS password maps off untrusted networks; (4) shadow passwords do not \
             protect NIS maps.",
    status: RuleStatus::Stable,
    title_ja: "/etc/passwd の NIS の + 行が UID 0 を与えている",
    advice_ja: "NIS の + 行のユーザ ID を決して 0 で上書きしないでください: `+:`（または \
             `+:*:::::`）を使ってください。NIS のパスワードマップを信頼できないネットワークに\
             出さないでください。(4) シャドーパスワードは NIS のマップを保護しません。",
    since: "0.1.0",
    source: include_str!("ac004_nis_escape.rs"),
};

/// Runs AC004.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let mut findings = Vec::new();
    for entry in passwd
        .iter()
        .filter(|e| e.nis && e.raw_name.first() == Some(&b'+'))
    {
        let mut finding = ctx.finding(&RULE);
        let Localized {
            en: who,
            ja: who_ja,
        } = match entry.raw_name.get(1..) {
            Some(b"") | None => tr!("every NIS account", "NIS のすべてのアカウント"),
            Some(rest) if rest.first() == Some(&b'@') => {
                let netgroup = String::from_utf8_lossy(rest.get(1..).unwrap_or_default());
                tr!(
                    "netgroup {netgroup}",
                    "ネットグループ {netgroup} のアカウント"
                )
            }
            Some(rest) => {
                let account = String::from_utf8_lossy(rest);
                // The trailing space keeps the name apart from the particle that follows
                // (and a word to `--mask`).
                tr!("NIS account {account}", "NIS のアカウント {account} ")
            }
        };
        if entry.uid == Some(0) || (entry.gid == Some(0) && entry.uid.is_none()) {
            let line = String::from_utf8_lossy(entry.raw_line.as_slice());
            finding.set_title(tr!(
                "NIS line {line:?} in /etc/passwd makes {who} root (UID 0); without NIS \
                 bound, an account \"+\" with no password",
                "/etc/passwd の NIS の行 {line:?} により、{who_ja}が root（UID 0）になる。\
                 NIS を使っていなければ、パスワードのないアカウント \"+\" になる"
            ));
            if entry.uid != Some(0) {
                finding.severity = Severity::High;
                finding.set_title(tr!(
                    "NIS line gives {who} group 0",
                    "NIS の行により、{who_ja}にグループ 0 が与えられている"
                ));
            }
        } else {
            finding.severity = Severity::Low;
            finding.set_title(tr!(
                "/etc/passwd imports {who} from NIS: their hashes are readable by \
                 anyone who can query the NIS server",
                "/etc/passwd で、{who_ja}を NIS から取り込んでいる: NIS サーバに問い\
                 合わせできる者なら誰でもそのハッシュを読める"
            ));
        }
        finding.subject.path = Some(entry.file.clone());
        finding.count = 1;
        finding.merge_key = format!("{}:{}", entry.file, entry.line);
        finding.push_evidence(passwd_evidence(entry));
        findings.push(finding);
    }
    findings
}
