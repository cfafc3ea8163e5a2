//! # FT006 ftpusers-missing-admins
//!
//! ## What it finds
//! On a host with an FTP server (an `etc/ftpusers` file or an FTP server binary), system
//! and administrative accounts of the audited root's `etc/passwd` — `root`, `daemon`,
//! `bin`, `sys`, `adm`, `uucp`, `nuucp`, `lp`, `smtp`, `sync`, `news`, `operator`,
//! `halt`, `shutdown`, and any other account with UID 0 — that `etc/ftpusers` does not
//! list (or every one of them, when the server is there and `ftpusers` is not).
//!
//! ## Why it matters
//! FTP sends passwords in clear text and was, with TELNET, the service the 1996/97
//! password-guessing attacks used (JPCERT-E-INF-97-0001). `ftpusers` is the list of
//! accounts the FTP server refuses; a root password guessed or sniffed over FTP is the
//! whole host.
//!
//! ## Example
//! ```text
//! etc/ftpusers: does not list root, uucp
//! ```
//!
//! ## What to do
//! Add every system account to `etc/ftpusers`, one name per line (the file Debian
//! ships is a good start), and (3) make sure the admins' passwords are not guessable.
//!
//! ## References
//! - COPS `ftp.chk`; Tiger `check_ftpusers`
//! - ftpusers(5)
//! <!-- ja -->
//! # FT006 ftpusers-missing-admins
//!
//! ## 検出内容
//! FTP サーバのあるホスト（`etc/ftpusers` ファイルか FTP サーバのバイナリがある）で、検査対象の
//! `etc/passwd` にあるシステムアカウントや管理用アカウント（`root`、`daemon`、`bin`、`sys`、
//! `adm`、`uucp`、`nuucp`、`lp`、`smtp`、`sync`、`news`、`operator`、`halt`、`shutdown`、
//! および UID 0 の他のすべてのアカウント）のうち、`etc/ftpusers` に記載されていないものを
//! 検出します（サーバがあって `ftpusers` がなければ、そのすべてです）。
//!
//! ## 重要な理由
//! FTP はパスワードを平文で送り、TELNET とともに 1996/97 年のパスワード類推による攻撃に使われた
//! サービスです（JPCERT-E-INF-97-0001）。`ftpusers` は FTP サーバが拒否するアカウントの一覧です。
//! FTP で類推されたり盗聴されたりした root のパスワードは、ホスト全体を意味します。
//!
//! ## 例
//! ```text
//! etc/ftpusers: root, uucp が記載されていない
//! ```
//!
//! ## 対処
//! すべてのシステムアカウントを、1 行に一つずつ `etc/ftpusers` に追加してください（Debian が
//! 配布するファイルがよい出発点です）。(3) 管理者のパスワードが類推されやすいものでないことを
//! 確かめてください。
//!
//! ## 参考
//! - COPS `ftp.chk`、Tiger `check_ftpusers`
//! - ftpusers(5)

use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// FT006: system accounts that `ftpusers` does not refuse.
pub static RULE: Rule = Rule {
    code: "FT006",
    name: "ftpusers-missing-admins",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "System accounts not refused by etc/ftpusers",
    advice: "List every system account (root, daemon, bin, sys, uucp, ...) in etc/ftpusers, \
             one per line; (3) make sure administrators' passwords are not guessable.",
    status: RuleStatus::Stable,
    title_ja: "etc/ftpusers で拒否されていないシステムアカウント",
    advice_ja: "すべてのシステムアカウント（root、daemon、bin、sys、uucp など）を 1 行に一つず\
             つ etc/ftpusers に記載してください。(3) 管理者のパスワードが類推されやすいもので\
             ないことを確かめてください。",
    since: "0.1.0",
    source: include_str!("ft006_ftpusers.rs"),
};

/// Accounts that never need FTP.
pub const SYSTEM_ACCOUNTS: [&str; 14] = [
    "root", "daemon", "bin", "sys", "adm", "uucp", "nuucp", "lp", "smtp", "sync", "news",
    "operator", "halt", "shutdown",
];

/// The names listed in an `ftpusers` file (comments and blank lines skipped).
pub fn listed(bytes: &[u8]) -> Vec<String> {
    super::lines(bytes)
        .filter_map(|(_, _, raw)| {
            let text = String::from_utf8_lossy(raw);
            let name = text.split('#').next().unwrap_or("").trim().to_string();
            (!name.is_empty()).then_some(name)
        })
        .collect()
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let ftpusers = ctx.read_config("etc/ftpusers");
    let server = crate::versions::FTP_BINARIES
        .iter()
        .any(|rel| ctx.root.lstat(rel).is_ok());
    if ftpusers.is_none() && !server {
        return Vec::new();
    }
    let refused = ftpusers.as_deref().map(listed).unwrap_or_default();
    let passwd = ctx.passwd();
    let mut missing: Vec<String> = Vec::new();
    for entry in passwd.iter().filter(|e| !e.nis) {
        let system = SYSTEM_ACCOUNTS.contains(&entry.name.as_str()) || entry.uid == Some(0);
        if system && !refused.contains(&entry.name) && !missing.contains(&entry.name) {
            missing.push(entry.name.clone());
        }
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let mut finding = ctx.finding(&RULE);
    if !missing.iter().any(|m| m == "root") {
        finding.severity = Severity::Low;
    }
    let shown = ctx.root.display("etc/ftpusers");
    let names = missing.iter().take(20).cloned().collect::<Vec<_>>();
    // Names are listed with ", " in Japanese too: `--mask` sees a name next to a
    // full-width comma as part of a longer word.
    let listed_names = names.join(", ");
    finding.set_title(match ftpusers {
        Some(_) => kensa_core::tr!(
            "{shown} does not refuse {listed_names}",
            "{shown} が {listed_names} を拒否していない"
        ),
        None => kensa_core::tr!(
            "FTP server installed but no {shown}: {listed_names} may log in over FTP",
            "FTP サーバがあるのに {shown} がない: {listed_names} が FTP でログインできる可能性がある"
        ),
    });
    finding.count = missing.len() as u64;
    finding.subject.path = Some(shown.clone());
    finding.subject.users = missing.into_iter().take(20).collect();
    finding.push_evidence(crate::file_evidence(
        &shown,
        kensa_core::tr!(
            "{shown}: does not list {listed_names}",
            "{shown}: {listed_names} が記載されていない"
        ),
    ));
    finding.merge_key = shown;
    vec![finding]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names() {
        assert_eq!(
            listed(b"# comment\nroot\n\n  bin  # x\r\ndaemon"),
            ["root", "bin", "daemon"]
        );
    }
}
