//! # AC007 duplicate-accounts
//!
//! ## What it finds
//! Two or more `/etc/passwd` lines with the same login name (medium), or with the same
//! user id other than 0 (low; several UID-0 accounts are AC003's). NIS lines are left
//! out.
//!
//! ## Why it matters
//! With two lines for one name, which password is asked depends on the program: an
//! intruder appends `root::0:0::/:/bin/sh` after the real root line and the
//! administrator, reading the first one, sees nothing wrong. Shared user ids make two
//! accounts one person for the kernel: files, processes and audit trails cannot tell
//! them apart.
//!
//! ## Example
//! ```text
//! etc/passwd:1: root:<DES hash>:0:1:Operator:/:/bin/csh
//! etc/passwd:30: root::0:0::/:/bin/sh
//! ```
//!
//! ## What to do
//! Remove the line you did not write (a duplicate `root` or other added line is a sign
//! of intrusion: see the advisory's step 5), give each person their own user id, and
//! (3) change the passwords of the accounts involved.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasure (3)
//! - pwck(8), COPS `passwd.chk`
//! <!-- ja -->
//! # AC007 duplicate-accounts
//!
//! ## 検出内容
//! 同じログイン名を持つ `/etc/passwd` の行が二つ以上あるもの（「中」）、または 0 以外の同じ
//! ユーザ ID を持つ行が二つ以上あるもの（「低」。UID 0 のアカウントが複数あるものは AC003 が
//! 扱います）を検出します。NIS の行は対象外です。
//!
//! ## 重要な理由
//! 一つの名前に二つの行があると、どちらのパスワードを求めるかはプログラムによって変わります。
//! 侵入者が本物の root の行の後に `root::0:0::/:/bin/sh` を追加しても、最初の行を見た管理者は
//! 何も異常に気付きません。ユーザ ID を共有すると、カーネルにとって二つのアカウントは一人の
//! 人物になり、ファイル、プロセス、監査記録のどれでも区別できなくなります。
//!
//! ## 例
//! ```text
//! etc/passwd:1: root:<DES hash>:0:1:Operator:/:/bin/csh
//! etc/passwd:30: root::0:0::/:/bin/sh
//! ```
//!
//! ## 対処
//! 自分で書いていない行を削除し（重複した `root` などの追加された行は不正侵入の痕跡です:
//! アドバイザリの対策 (5) を参照）、一人ひとりに別のユーザ ID を与え、(3) 関係するアカウントの
//! パスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3)
//! - pwck(8)、COPS `passwd.chk`

use super::{MAX_EVIDENCE, passwd_evidence};
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};
use std::collections::BTreeMap;

/// AC007: duplicate login names or user ids.
pub static RULE: Rule = Rule {
    code: "AC007",
    name: "duplicate-accounts",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::Medium,
    title: "Duplicate login names or user ids",
    advice: "Remove the line you did not write (an added duplicate root line is a sign of \
             intrusion: step 5), give each person their own user id, and (3) change the \
             passwords of the accounts involved.",
    status: RuleStatus::Stable,
    title_ja: "ログイン名またはユーザ ID の重複",
    advice_ja: "自分で書いていない行を削除し（追加された重複の root 行は不正侵入の痕跡です: 対\
             策 (5)）、一人ひとりに別のユーザ ID を与え、(3) 関係するアカウントのパスワードを\
             変更してください。",
    since: "0.1.0",
    source: include_str!("ac007_duplicate_accounts.rs"),
};

/// Runs AC007.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let passwd = ctx.passwd();
    let accounts: Vec<_> = passwd.iter().filter(|e| !e.nis).collect();
    let mut by_name: BTreeMap<&[u8], Vec<usize>> = BTreeMap::new();
    let mut by_uid: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, entry) in accounts.iter().enumerate() {
        by_name.entry(&entry.raw_name).or_default().push(i);
        if let Some(uid) = entry.uid.filter(|&u| u != 0) {
            by_uid.entry(uid).or_default().push(i);
        }
    }
    let mut findings = Vec::new();
    for (name, lines) in by_name.into_iter().filter(|(_, l)| l.len() > 1) {
        let name = String::from_utf8_lossy(name).into_owned();
        let mut finding = ctx.finding(&RULE);
        let times = lines.len();
        finding.set_title(tr!(
            "Login name {name} appears {times} times",
            "ログイン名 {name} が {times} 回現れる"
        ));
        if name == "root" {
            finding.severity = Severity::High;
        }
        finding.subject.users = vec![name.clone()];
        finding.subject.path = accounts.first().map(|e| e.file.clone());
        finding.count = lines.len() as u64;
        finding.merge_key = format!("name:{name}");
        for &i in lines.iter().take(MAX_EVIDENCE) {
            if let Some(entry) = accounts.get(i) {
                finding.push_evidence(passwd_evidence(entry));
            }
        }
        findings.push(finding);
    }
    for (uid, lines) in by_uid.into_iter().filter(|(_, l)| l.len() > 1) {
        let mut names: Vec<String> = Vec::new();
        for &i in &lines {
            if let Some(entry) = accounts.get(i)
                && !names.contains(&entry.name)
            {
                names.push(entry.name.clone());
            }
        }
        // The same name twice is reported above; a UID shared by one name adds nothing.
        if names.len() < 2 {
            continue;
        }
        let mut finding = ctx.finding(&RULE);
        finding.severity = Severity::Low;
        // ", " in Japanese too: `--mask` sees a name next to "、" as part of a word.
        let shared = names.join(", ");
        finding.set_title(tr!(
            "User id {uid} is shared by {shared}",
            "ユーザ ID {uid} を {shared} が共有している"
        ));
        finding.count = lines.len() as u64;
        finding.subject.path = accounts.first().map(|e| e.file.clone());
        finding.subject.users = names.into_iter().take(MAX_EVIDENCE).collect();
        finding.merge_key = format!("uid:{uid}");
        for &i in lines.iter().take(MAX_EVIDENCE) {
            if let Some(entry) = accounts.get(i) {
                finding.push_evidence(passwd_evidence(entry));
            }
        }
        findings.push(finding);
    }
    findings
}
