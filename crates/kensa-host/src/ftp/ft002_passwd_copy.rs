//! # FT002 anon-ftp-passwd-copy
//!
//! ## What it finds
//! An `~ftp/etc/passwd` that holds password hashes or is a copy of the real
//! `etc/passwd`, and an `~ftp/etc/group` that is a copy of the real `etc/group`.
//! "A copy" means the same bytes, or every account of the real file (at least three)
//! present in it.
//!
//! ## Why it matters
//! Anonymous users can download every file under `~ftp`: the server reads
//! `~ftp/etc/passwd` only to show owner names in listings, so a real copy hands out the
//! account list, and any hashes in it are passwords for whoever runs a cracker — the
//! theft of the password file that JPCERT-E-INF-97-0001 describes, without even an
//! exploit.
//!
//! ## Example
//! ```text
//! home/ftp/etc/passwd:3: root:<DES hash removed>:0:1:Operator:/:/bin/csh
//! ```
//!
//! ## What to do
//! Replace them with dummies that name only the owners of files under `~ftp`, with `*`
//! as the password (`ftp:*:99:99:Anonymous FTP::`). If hashes were there, (3) change
//! those passwords and (4) use shadow passwords.
//!
//! ## References
//! - CERT Advisory CA-93:10 and its "Anonymous FTP configuration guidelines"
//! - COPS `ftp.chk`; Tiger `check_anonftp`
//! <!-- ja -->
//! # FT002 anon-ftp-passwd-copy
//!
//! ## 検出内容
//! パスワードのハッシュを含むか、本物の `etc/passwd` の写しである `~ftp/etc/passwd` と、
//! 本物の `etc/group` の写しである `~ftp/etc/group` を検出します。「写し」とは、同じバイト列で
//! あるか、本物のファイルのすべてのアカウント（3 つ以上）を含んでいることを指します。
//!
//! ## 重要な理由
//! 匿名の利用者は `~ftp` 以下のすべてのファイルをダウンロードできます。サーバが
//! `~ftp/etc/passwd` を読むのは一覧に所有者の名前を表示するためだけなので、本物の写しを置くと
//! アカウントの一覧を配ることになり、そこにハッシュがあれば解読ツールを走らせる者にとっての
//! パスワードになります。JPCERT-E-INF-97-0001 が述べるパスワード・ファイルの盗難が、攻撃さえ
//! なしに起こります。
//!
//! ## 例
//! ```text
//! home/ftp/etc/passwd:3: root:<DES hash removed>:0:1:Operator:/:/bin/csh
//! ```
//!
//! ## 対処
//! `~ftp` 以下のファイルの所有者だけを記載し、パスワードを `*` にしたダミー
//! （`ftp:*:99:99:Anonymous FTP::`）に置き換えてください。ハッシュがあった場合は、(3) それらの
//! パスワードを変更し、(4) シャドーパスワードを利用してください。
//!
//! ## 参考
//! - CERT Advisory CA-93:10 とその "Anonymous FTP configuration guidelines"
//! - COPS `ftp.chk`、Tiger `check_anonftp`

use super::{anon_areas, join};
use crate::Context;
use crate::accounts::passwd::parse_passwd;
use crate::accounts::{PasswordField, classify};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// FT002: the anonymous FTP area's passwd holds hashes or copies the real one.
pub static RULE: Rule = Rule {
    code: "FT002",
    name: "anon-ftp-passwd-copy",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Anonymous FTP passwd/group is a copy of the real one or holds hashes",
    advice: "Replace ~ftp/etc/passwd and group with dummies naming only the owners of files \
             under ~ftp, with '*' as password; if hashes were exposed, (3) change those \
             passwords and (4) use shadow passwords.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP の passwd/group が本物の写しであるか、ハッシュを含んでいる",
    advice_ja: "~ftp/etc/passwd と group を、~ftp 以下のファイルの所有者だけを記載し、パスワー\
             ドを '*' にしたダミーに置き換えてください。ハッシュが公開されていた場合は、(3) そ\
             れらのパスワードを変更し、(4) シャドーパスワードを利用してください。",
    since: "0.1.0",
    source: include_str!("ft002_passwd_copy.rs"),
};

/// The account or group names of a colon-separated file (first field of each line).
fn names(bytes: &[u8]) -> Vec<&[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| line.split(|&b| b == b':').next())
        .filter(|name| !name.is_empty() && !name.starts_with(b"#") && !name.starts_with(b"+"))
        .collect()
}

/// Whether `copy` is a copy of `real`: the same bytes, or every name of `real` (at
/// least three) in it.
pub fn is_copy(copy: &[u8], real: &[u8]) -> bool {
    if copy == real && !real.is_empty() {
        return true;
    }
    let real_names = names(real);
    let copy_names = names(copy);
    real_names.len() >= 3 && real_names.iter().all(|n| copy_names.contains(n))
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let real_passwd = ctx.read_config("etc/passwd").unwrap_or_default();
    let real_group = ctx.read_config("etc/group").unwrap_or_default();
    for area in anon_areas(ctx) {
        let rel = join(&area.home, "etc/passwd");
        if let Some(bytes) = ctx.read_config(&rel) {
            let shown = ctx.root.display(&rel);
            // Dummy files are often sloppy; their malformed lines are not worth a diagnostic.
            let entries = parse_passwd(&bytes, &shown, false, &mut Vec::new());
            let hashed: Vec<_> = entries
                .iter()
                .filter(|e| matches!(classify(&e.password), PasswordField::Hash(_)))
                .collect();
            let copy = is_copy(&bytes, &real_passwd);
            if !hashed.is_empty() || copy {
                let mut finding = ctx.finding(&RULE);
                finding.severity = if hashed.is_empty() {
                    Severity::Medium
                } else {
                    Severity::High
                };
                finding.set_title(match (hashed.len(), copy) {
                    (0, _) => tr!(
                        "{shown} is a copy of the real etc/passwd",
                        "{shown} は本物の etc/passwd の写し"
                    ),
                    (n, true) => tr!(
                        "{shown} is a copy of the real etc/passwd, with {n} password hashes",
                        "{shown} は本物の etc/passwd の写しで、パスワードのハッシュが {n} 件ある"
                    ),
                    (n, false) => tr!(
                        "{shown} holds {n} password hashes",
                        "{shown} にパスワードのハッシュが {n} 件ある"
                    ),
                });
                finding.subject.path = Some(shown.clone());
                finding.subject.users = hashed.iter().take(16).map(|e| e.name.clone()).collect();
                finding.count = hashed.len().max(1) as u64;
                for entry in hashed.iter().take(16) {
                    finding.push_evidence(crate::accounts::redacted_evidence(
                        &shown,
                        entry.line,
                        entry.offset,
                        &entry.raw_line,
                    ));
                }
                if finding.evidence.is_empty() {
                    finding.push_evidence(crate::file_evidence(
                        &shown,
                        tr!(
                            "{shown}: same accounts as etc/passwd",
                            "{shown}: etc/passwd と同じアカウントが並んでいる"
                        ),
                    ));
                }
                finding.merge_key = shown;
                findings.push(finding);
            }
        }
        let rel = join(&area.home, "etc/group");
        if let Some(bytes) = ctx.read_config(&rel)
            && is_copy(&bytes, &real_group)
        {
            let shown = ctx.root.display(&rel);
            let mut finding = ctx.finding(&RULE);
            finding.severity = Severity::Low;
            finding.set_title(tr!(
                "{shown} is a copy of the real etc/group",
                "{shown} は本物の etc/group の写し"
            ));
            finding.subject.path = Some(shown.clone());
            finding.count = 1;
            finding.push_evidence(crate::file_evidence(
                &shown,
                tr!(
                    "{shown}: same groups as etc/group",
                    "{shown}: etc/group と同じグループが並んでいる"
                ),
            ));
            finding.merge_key = shown;
            findings.push(finding);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies() {
        let real = b"root:x:0:0::/:/bin/sh\nbin:x:1:1::/:\nftp:x:99:99::/home/ftp:\n";
        assert!(is_copy(real, real));
        assert!(is_copy(
            b"ftp:*:99:99::/:\nbin:*:1:1::/:\nroot:*:0:0::/:\nx:*:5:5::/:\n",
            real
        ));
        assert!(!is_copy(
            b"ftp:*:99:99:Anonymous FTP::\nroot:*:0:0:::\n",
            real
        ));
        assert!(!is_copy(b"", b""));
        assert!(!is_copy(b"a:b\n", b"a:b\nc:d\n"));
    }
}
