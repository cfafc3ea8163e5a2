//! # TR001 wildcard-trust
//!
//! ## What it finds
//! A `+` wildcard in a host trust file — `etc/hosts.equiv`, `etc/shosts.equiv`, or a
//! `.rhosts`/`.shosts` in any home (root's `/.rhosts` included). Each line is
//! `host [user]`; `+` as the host means *every host*, `+` as the user *every user*:
//!
//! | where | line | who gets in without a password | severity |
//! |---|---|---|---|
//! | `hosts.equiv` | `+` | any user of any host, as the local user of the same name (not root) | high |
//! | `hosts.equiv` | `+ +` or `host +` | any user of that host, as any local user but root | critical |
//! | a user's `.rhosts` | `+` or `host +` | (any host's) anyone, as that user | high |
//! | root's `.rhosts` | `+`, `host +` | root, from anywhere | critical |
//! | any `.rhosts` | `+ +` | anyone from anywhere | critical, **indicator** |
//!
//! `+ +` in a `.rhosts` is what the advisory's sendmail attack wrote
//! (`to=/.rhosts` with `+ +` as the body), so it is reported as a sign of intrusion, not
//! only as a hole. Lines starting with `-` (exclusions) and `+@netgroup` entries are not
//! wildcards.
//!
//! ## Why it matters
//! rlogin, rsh and rcp (and ssh with `HostbasedAuthentication`) let in whoever these
//! files trust without asking for a password. SunOS 4 shipped `hosts.equiv` as `+`.
//!
//! ## Example
//! ```text
//! etc/hosts.equiv:1: +
//! .rhosts:1: + +
//! ```
//!
//! ## What to do
//! Remove the `+` lines (list trusted hosts by name, or empty the file), disable the
//! r-services (`rlogin`, `rsh`, `rexec` in `inetd.conf`). A `+ +` you did not write
//! means the host was broken into: keep the disk and rebuild (the advisory's step 5),
//! and (3) change every password.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (`.rhosts` and `+ +` as attack targets), step 5
//! - CERT Advisory CA-91:12 (SunOS `hosts.equiv`), hosts.equiv(5), rhosts(5)
//! <!-- ja -->
//! # TR001 wildcard-trust
//!
//! ## 検出内容
//! ホストの信頼関係ファイル（`etc/hosts.equiv`、`etc/shosts.equiv`、各ホームディレクトリの
//! `.rhosts`/`.shosts`。root の `/.rhosts` を含む）にあるワイルドカード `+` を検出します。各行は
//! `host [user]` の形で、ホストの `+` は *すべてのホスト*、利用者の `+` は *すべての利用者* を
//! 意味します:
//!
//! | ファイル | 行 | パスワードなしで入れる者 | 重大度 |
//! |---|---|---|---|
//! | `hosts.equiv` | `+` | どのホストのどの利用者も、同じ名前のローカル利用者として（root を除く） | 高 |
//! | `hosts.equiv` | `+ +` または `host +` | そのホストのどの利用者も、root 以外のどのローカル利用者としても | 緊急 |
//! | 利用者の `.rhosts` | `+` または `host +` | （どのホストの）誰でも、その利用者として | 高 |
//! | root の `.rhosts` | `+`、`host +` | どこからでも root として | 緊急 |
//! | どの `.rhosts` でも | `+ +` | どこからでも誰でも | 緊急、**痕跡** |
//!
//! `.rhosts` の `+ +` は、アドバイザリの sendmail への攻撃が書き込んだもの（本文に `+ +` を
//! 入れた `to=/.rhosts`）なので、セキュリティホールとしてだけでなく不正侵入の痕跡として
//! 報告します。`-` で始まる行（除外）と `+@netgroup` のエントリはワイルドカードではありません。
//!
//! ## 重要な理由
//! rlogin、rsh、rcp（および `HostbasedAuthentication` を使う ssh）は、これらのファイルが信頼する
//! 者をパスワードを聞かずに入れます。SunOS 4 は `hosts.equiv` を `+` の状態で出荷していました。
//!
//! ## 例
//! ```text
//! etc/hosts.equiv:1: +
//! .rhosts:1: + +
//! ```
//!
//! ## 対処
//! `+` の行を削除し（信頼するホストを名前で列挙するか、ファイルを空にします）、r 系サービス
//! （`inetd.conf` の `rlogin`、`rsh`、`rexec`）を無効にしてください。自分で書いていない `+ +` は、
//! ホストに侵入されたことを意味します: ディスクを保全してシステムを再構築し（アドバイザリの
//! 対策 (5)）、(3) 全ユーザのパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（攻撃の標的としての `.rhosts` と `+ +`）、対策 (5)
//! - CERT Advisory CA-91:12（SunOS の `hosts.equiv`）、hosts.equiv(5)、rhosts(5)

use super::{SYSTEM_TRUST_FILES, user_trust_files};
use crate::Context;
use crate::accounts::MAX_EVIDENCE;
use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// TR001: a `+` wildcard in `hosts.equiv` or a `.rhosts`.
pub static RULE: Rule = Rule {
    code: "TR001",
    name: "wildcard-trust",
    kind: Kind::TrustFile,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Wildcard + in a host trust file",
    advice: "Remove the + lines and disable rlogin/rsh/rexec. A '+ +' you did not write \
             means an intrusion: keep the disk, rebuild (step 5) and (3) change every \
             password.",
    status: RuleStatus::Stable,
    title_ja: "ホストの信頼関係ファイルにワイルドカードの +",
    advice_ja: "+ の行を削除し、rlogin/rsh/rexec を無効にしてください。自分で書いていない '+ \
             +' は不正侵入を意味します: ディスクを保全し、システムを再構築し（対策 (5)）、(3) \
             全ユーザのパスワードを変更してください。",
    since: "0.1.0",
    source: include_str!("tr001_wildcard_trust.rs"),
};

/// Bytes of a trust file read; more is cut with a warning.
pub const MAX_TRUST_FILE_BYTES: u64 = 1 << 20;

/// What one trust line grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wildcard {
    /// `+`: every host, same user name.
    AnyHost,
    /// `host +`: every user of one host.
    AnyUser,
    /// `+ +`: everyone from everywhere.
    Everyone,
}

/// The wildcard of one trust line, if it has one.
pub fn wildcard(line: &[u8]) -> Option<Wildcard> {
    let mut tokens = line
        .split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty());
    let host = tokens.next()?;
    if host.starts_with(b"#") {
        return None;
    }
    let user = tokens.next();
    match (host, user) {
        (b"+", Some(b"+")) => Some(Wildcard::Everyone),
        (b"+", None) => Some(Wildcard::AnyHost),
        (b"+", Some(_)) => Some(Wildcard::AnyHost),
        (_, Some(b"+")) if !host.starts_with(b"-") => Some(Wildcard::AnyUser),
        _ => None,
    }
}

struct Target {
    path: String,
    system: bool,
    root_account: bool,
    user: Option<String>,
}

/// Runs TR001.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut targets: Vec<Target> = SYSTEM_TRUST_FILES
        .iter()
        .map(|p| Target {
            path: (*p).to_string(),
            system: true,
            root_account: false,
            user: None,
        })
        .collect();
    for file in user_trust_files(ctx) {
        targets.push(Target {
            root_account: file.uid == Some(0),
            path: file.path,
            system: false,
            user: file.user,
        });
    }
    let mut findings = Vec::new();
    for target in targets {
        let data = match ctx.root.read_prefix(&target.path, MAX_TRUST_FILE_BYTES) {
            Ok((data, truncated)) => {
                if truncated {
                    ctx.say(
                        kensa_core::DiagnosticLevel::Warning,
                        &target.path,
                        tr!(
                            "larger than {MAX_TRUST_FILE_BYTES} bytes; only the first part was \
                             examined",
                            "{MAX_TRUST_FILE_BYTES} バイトを超えるため、先頭部分だけを検査\
                             しました"
                        ),
                    );
                }
                data
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                ctx.coded(
                    kensa_core::DiagnosticLevel::Warning,
                    &target.path,
                    kensa_core::MessageCode::CannotBeRead,
                    vec![("error", err.to_string())],
                );
                continue;
            }
        };
        let display = ctx.root.display(&target.path);
        let mut worst: Option<(Severity, Outcome)> = None;
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut count = 0u64;
        let mut offset = 0u64;
        for (i, raw) in data.split(|&b| b == b'\n').enumerate() {
            let line_offset = offset;
            offset += raw.len() as u64 + 1;
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let Some(kind) = wildcard(raw) else { continue };
            let judged = match (target.system, target.root_account, kind) {
                (false, _, Wildcard::Everyone) => (Severity::Critical, Outcome::Indicator),
                (false, true, _) => (Severity::Critical, Outcome::Exposure),
                (true, _, Wildcard::AnyHost) => (Severity::High, Outcome::Exposure),
                (true, _, _) => (Severity::Critical, Outcome::Exposure),
                (false, false, _) => (Severity::High, Outcome::Exposure),
            };
            worst = Some(worst.map_or(judged, |w| w.max(judged)));
            count += 1;
            if evidence.len() < MAX_EVIDENCE {
                let cut = raw.get(..4096).unwrap_or(raw);
                evidence.push(Evidence::from_line(
                    &display,
                    i as u64 + 1,
                    line_offset,
                    cut,
                    None,
                ));
            }
        }
        let Some((severity, outcome)) = worst else {
            continue;
        };
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        finding.outcome = outcome;
        finding.set_title(if outcome == Outcome::Indicator {
            tr!(
                "{display} trusts everyone from everywhere (+ +): what the sendmail attack writes",
                "{display} はどこの誰でも信頼している（+ +）: sendmail への攻撃が書き込む内容"
            )
        } else if target.system {
            tr!(
                "{display} trusts every host (+): no password asked for rlogin/rsh",
                "{display} はすべてのホストを信頼している（+）: rlogin/rsh でパスワードを\
                 求められない"
            )
        } else if let Some(user) = &target.user {
            tr!(
                "{display} lets others in as {user} without a password (+)",
                "{display} により、他の利用者がパスワードなしで {user} としてログインできる\
                 （+）"
            )
        } else {
            tr!(
                "{display} lets others in as its owner without a password (+)",
                "{display} により、他の利用者がパスワードなしで所有者としてログインできる（+）"
            )
        });
        finding.subject.path = Some(display.clone());
        finding.subject.users = target.user.into_iter().collect();
        finding.count = count;
        finding.merge_key = display;
        for e in evidence {
            finding.push_evidence(e);
        }
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert_eq!(wildcard(b"+"), Some(Wildcard::AnyHost));
        assert_eq!(wildcard(b"  +  "), Some(Wildcard::AnyHost));
        assert_eq!(wildcard(b"+ +"), Some(Wildcard::Everyone));
        assert_eq!(wildcard(b"+\t+"), Some(Wildcard::Everyone));
        assert_eq!(wildcard(b"gw.example.org +"), Some(Wildcard::AnyUser));
        assert_eq!(wildcard(b"+ sato"), Some(Wildcard::AnyHost));
        assert_eq!(wildcard(b"gw.example.org sato"), None);
        assert_eq!(wildcard(b"+@trusted"), None);
        assert_eq!(wildcard(b"-evil.example.org +"), None);
        assert_eq!(wildcard(b"# + +"), None);
        assert_eq!(wildcard(b""), None);
    }
}
