//! # AC006 weak-hash
//!
//! ## What it finds
//! Usable password hashes made with a scheme that falls to a cracker quickly: DES crypt
//! and its relatives (bigcrypt, BSDi extended DES), MD5 crypt (`$1$`, `$md5`, `$apr1$`),
//! and SHA-crypt (`$5$`, `$6$`) whose `rounds=` was set below the default 5000. One
//! finding per file and scheme, listing the accounts. bcrypt, yescrypt, scrypt, argon2
//! and default SHA-crypt are not reported; locked accounts are not either.
//!
//! ## Why it matters
//! DES crypt uses only the first 8 characters of a password and a 12-bit salt; in 1996
//! Crack and John the Ripper tried a dictionary against a whole password file in hours
//! on a workstation, and today all 8-character passwords fall in days on one GPU. MD5
//! crypt's 1000 fixed rounds are little better. Once a copy of the file leaks (the
//! advisory's sendmail attack, an anonymous FTP copy, a backup), these passwords are
//! the attacker's.
//!
//! ## Example
//! ```text
//! etc/passwd:15: tanaka:<DES hash>:1001:10:Tanaka Hanako:/home/tanaka:/bin/csh
//! ```
//!
//! ## What to do
//! Switch the system's default to a strong scheme (yescrypt or SHA-512 crypt with
//! default rounds; bcrypt on the BSDs), then (3) have each listed user change their
//! password so it is hashed anew; (4) keep the hashes in a shadow file.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasures (3) and (4)
//! - crypt(5) (libxcrypt), Ulrich Drepper, "Unix crypt using SHA-256 and SHA-512"
//! <!-- ja -->
//! # AC006 weak-hash
//!
//! ## 検出内容
//! 解読ツールにすぐ破られる方式で作られた、使えるパスワードハッシュを検出します: DES crypt と
//! その仲間（bigcrypt、BSDi の拡張 DES）、MD5 crypt（`$1$`、`$md5`、`$apr1$`）、`rounds=` を
//! 既定の 5000 未満にした SHA-crypt（`$5$`、`$6$`）です。ファイルと方式ごとに一つの検出とし、
//! アカウントを列挙します。bcrypt、yescrypt、scrypt、argon2 と既定の SHA-crypt は報告しません。
//! ロックされたアカウントも報告しません。
//!
//! ## 重要な理由
//! DES crypt はパスワードの先頭 8 文字と 12 ビットのソルトしか使いません。1996 年には、Crack や
//! John the Ripper がワークステーション上でパスワード・ファイル全体に辞書攻撃を数時間で
//! 行えました。今日では 8 文字のパスワードはすべて、GPU 1 枚で数日のうちに破られます。MD5 crypt
//! の固定 1000 ラウンドも大差ありません。ファイルの写しが一度漏れれば（アドバイザリの sendmail
//! への攻撃、Anonymous FTP 上の写し、バックアップ）、これらのパスワードは攻撃者のものです。
//!
//! ## 例
//! ```text
//! etc/passwd:15: tanaka:<DES hash>:1001:10:Tanaka Hanako:/home/tanaka:/bin/csh
//! ```
//!
//! ## 対処
//! システムの既定を強い方式（既定のラウンド数の yescrypt または SHA-512 crypt。BSD では bcrypt）
//! に切り替え、その後 (3) 一覧の利用者にそれぞれパスワードを変更してもらい、新しい方式で
//! ハッシュし直してください。(4) ハッシュはシャドーファイルに置いてください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3) と (4)
//! - crypt(5)（libxcrypt）、Ulrich Drepper "Unix crypt using SHA-256 and SHA-512"

use super::hash::{Scheme, classify};
use super::{MAX_EVIDENCE, passwd_evidence, shadow_evidence};
use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::BTreeMap;

/// AC006: password hashes of a quickly cracked scheme.
pub static RULE: Rule = Rule {
    code: "AC006",
    name: "weak-hash",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "Password hashes of a weak scheme",
    advice: "Make a strong scheme the default (yescrypt or SHA-512 crypt; bcrypt on BSD), \
             then (3) have each listed user change their password; (4) keep hashes in a \
             shadow file.",
    status: RuleStatus::Stable,
    title_ja: "弱い方式のパスワードハッシュ",
    advice_ja: "強い方式を既定にし（yescrypt または SHA-512 crypt。BSD では bcrypt）、その後 \
             (3) 一覧の利用者にそれぞれパスワードを変更してもらってください。(4) ハッシュはシ\
             ャドーファイルに置いてください。",
    since: "0.1.0",
    source: include_str!("ac006_weak_hash.rs"),
};

fn scheme_label(scheme: Scheme) -> Localized {
    let name = scheme.name();
    match scheme {
        Scheme::Sha256 { rounds } | Scheme::Sha512 { rounds } => {
            tr!(
                "{name} with {rounds} rounds",
                "{name}（ラウンド数 {rounds}）"
            )
        }
        _ => tr!("{name}", "{name}"),
    }
}

/// The accounts of one file whose hashes are of one weak scheme.
struct Weak {
    label: Localized,
    users: Vec<String>,
    evidence: Vec<Evidence>,
}

/// Runs AC006.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let shadow = ctx.shadow();
    // By (file, scheme label); BTreeMap for a stable order.
    let mut groups: BTreeMap<(String, String), Weak> = BTreeMap::new();
    let mut add = |file: &str, scheme: Scheme, user: &str, evidence: Evidence| {
        let label = scheme_label(scheme);
        let slot = groups
            .entry((file.to_string(), label.en.clone()))
            .or_insert_with(|| Weak {
                label,
                users: Vec::new(),
                evidence: Vec::new(),
            });
        slot.users.push(user.to_string());
        if slot.evidence.len() < MAX_EVIDENCE {
            slot.evidence.push(evidence);
        }
    };
    for entry in passwd.iter().filter(|e| !e.nis) {
        if let Some(scheme) = classify(&entry.password).scheme().filter(|s| s.is_weak()) {
            add(&entry.file, scheme, &entry.name, passwd_evidence(entry));
        }
    }
    // master.passwd may already have been read as the account list (a BSD without passwd).
    let account_file = passwd.first().map(|p| p.file.as_str());
    for entry in shadow.as_deref().unwrap_or_default() {
        if account_file == Some(entry.file.as_str()) {
            continue;
        }
        if let Some(scheme) = classify(&entry.hash).scheme().filter(|s| s.is_weak()) {
            add(&entry.file, scheme, &entry.name, shadow_evidence(entry));
        }
    }
    let mut findings = Vec::new();
    for ((file, label), weak) in groups {
        let Weak {
            label: Localized { ja: label_ja, .. },
            users,
            evidence,
        } = weak;
        let mut finding = ctx.finding(&RULE);
        let count = users.len();
        let es = if count == 1 { "" } else { "es" };
        finding.set_title(tr!(
            "{count} password hash{es} of the weak {label} scheme in {file}",
            "{file} に弱い方式 {label_ja} のパスワードハッシュが {count} 件ある"
        ));
        finding.count = users.len() as u64;
        finding.subject.users = users.into_iter().take(MAX_EVIDENCE).collect();
        finding.subject.path = Some(file.clone());
        finding.merge_key = format!("{file}:{label}");
        for e in evidence {
            finding.push_evidence(e);
        }
        findings.push(finding);
    }
    findings
}
