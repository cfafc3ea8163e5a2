//! # TR002 rhosts-ownership
//!
//! ## What it finds
//! A `.rhosts` or `.shosts` that someone other than its account can change: owned by
//! another user (neither the account nor root), writable by its group or by others, or
//! a symbolic link (to anything but `/dev/null`, which administrators use to keep the
//! file empty). Also `etc/hosts.equiv` and `etc/shosts.equiv` not owned by root or
//! writable by group or others.
//!
//! ## Why it matters
//! rlogind and rshd trust whatever the file says. If another user can write it, that
//! user can add `+ +` and log in as its owner — for root's `.rhosts`, as root. A
//! `.rhosts` owned by someone else, or a link to a file an intruder controls, is also
//! how a planted trust entry survives the owner's cleanup. (rshd itself refuses a
//! `.rhosts` not owned by the user or writable by others; older ones did not check.)
//!
//! ## Example
//! ```text
//! home/sato/.rhosts: mode 0666, owner sato (1003), group staff (10)
//! ```
//!
//! ## What to do
//! `chown USER ~USER/.rhosts; chmod 600 ~USER/.rhosts` (or remove it), check its lines
//! (TR001), and ask who else wrote to it. An unexplained owner or link: treat as an
//! intrusion (step 5) and (3) change the account's password.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (`.rhosts` as attack target)
//! - rhosts(5), COPS `rhosts.chk`/`home.chk`
//! <!-- ja -->
//! # TR002 rhosts-ownership
//!
//! ## 検出内容
//! そのアカウント以外の者が変更できる `.rhosts` や `.shosts` を検出します: 別の利用者（その
//! アカウントでも root でもない）が所有しているもの、グループやその他の利用者が書き込めるもの、
//! シンボリックリンク（管理者がファイルを空に保つために使う `/dev/null` へのリンクを除く）です。
//! root の所有でない、またはグループやその他の利用者が書き込める `etc/hosts.equiv` と
//! `etc/shosts.equiv` も検出します。
//!
//! ## 重要な理由
//! rlogind と rshd は、このファイルに書かれていることをそのまま信頼します。別の利用者が書き
//! 込めれば、その利用者は `+ +` を追加して所有者としてログインできます。root の `.rhosts` なら
//! root としてです。他人が所有する `.rhosts` や、侵入者が操るファイルへのリンクは、仕掛けられた
//! 信頼関係が所有者の後始末を生き延びる手口でもあります。（rshd 自身は、利用者の所有でない
//! `.rhosts` や他の利用者が書き込める `.rhosts` を拒否しますが、古いものは確認しませんでした。）
//!
//! ## 例
//! ```text
//! home/sato/.rhosts: モード 0666、所有者 sato（1003）、グループ staff（10）
//! ```
//!
//! ## 対処
//! `chown USER ~USER/.rhosts; chmod 600 ~USER/.rhosts` を実行し（または削除し）、その行を確認し
//! （TR001）、他に誰が書き込んだのかを確かめてください。説明のつかない所有者やリンクは不正侵入
//! として扱い（対策 (5)）、(3) そのアカウントのパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（攻撃の標的としての `.rhosts`）
//! - rhosts(5)、COPS `rhosts.chk`/`home.chk`

use super::{SYSTEM_TRUST_FILES, user_trust_files};
use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};
use kensa_fs::FileKind;

/// TR002: a trust file that others can change.
pub static RULE: Rule = Rule {
    code: "TR002",
    name: "rhosts-ownership",
    kind: Kind::TrustFile,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Trust file owned or writable by someone else",
    advice: "chown the file to its account (root for hosts.equiv) and chmod 600 (644 for \
             hosts.equiv), or remove it; check its lines. An unexplained owner or link: \
             treat as an intrusion (step 5) and (3) change the account's password.",
    status: RuleStatus::Stable,
    title_ja: "他の利用者が所有している、または書き込める信頼関係ファイル",
    advice_ja: "ファイルの所有者をそのアカウントにし（hosts.equiv は root）、chmod 600\
             （hosts.equiv は 644）にするか、削除してください。その行を確認してください。説明\
             のつかない所有者やリンクは不正侵入として扱い（対策 (5)）、(3) アカウントのパスワ\
             ードを変更してください。",
    since: "0.1.0",
    source: include_str!("tr002_rhosts_ownership.rs"),
};

/// Runs TR002.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut targets: Vec<(String, Option<String>, Option<u32>)> = SYSTEM_TRUST_FILES
        .iter()
        .map(|p| ((*p).to_string(), None, Some(0)))
        .collect();
    for file in user_trust_files(ctx) {
        targets.push((file.path, file.user, file.uid));
    }
    let mut findings = Vec::new();
    for (path, user, uid) in targets {
        let Ok(lmeta) = ctx.root.lstat(&path) else {
            continue;
        };
        let display = ctx.root.display(&path);
        let mut problems: Vec<(Severity, Localized)> = Vec::new();
        let meta = if lmeta.kind == FileKind::Symlink {
            let target = ctx
                .root
                .read_link(&path)
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_default();
            if target != "/dev/null" {
                problems.push((
                    Severity::Medium,
                    tr!(
                        "a symbolic link to {target}",
                        "リンク先が {target} のシンボリックリンク"
                    ),
                ));
            }
            match ctx.root.stat(&path) {
                Ok(meta) => meta,
                Err(_) => lmeta,
            }
        } else {
            lmeta
        };
        if meta.kind != FileKind::Symlink {
            let owner_ok = meta.uid == 0 || uid == Some(meta.uid);
            if !owner_ok {
                let owner = ctx.user_name(meta.uid);
                problems.push((Severity::High, tr!("owned by {owner}", "所有者が {owner}")));
            }
            if meta.other_writable() {
                problems.push((
                    Severity::High,
                    tr!("writable by everyone", "誰でも書き込める"),
                ));
            } else if meta.group_writable() {
                let group = ctx.group_name(meta.gid);
                problems.push((
                    Severity::High,
                    tr!("writable by group {group}", "グループ {group} が書き込める"),
                ));
            }
        }
        let Some(severity) = problems.iter().map(|p| p.0).max() else {
            continue;
        };
        let owner = ctx.user_name(meta.uid);
        let group = ctx.group_name(meta.gid);
        let what: Vec<&str> = problems.iter().map(|p| p.1.en.as_str()).collect();
        let what_ja: Vec<&str> = problems.iter().map(|p| p.1.ja.as_str()).collect();
        let (what, what_ja) = (what.join(", "), what_ja.join("、"));
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        finding.set_title(tr!("{display} is {what}", "{display}: {what_ja}"));
        finding.subject.path = Some(display.clone());
        finding.subject.users = user.into_iter().collect();
        finding.count = 1;
        finding.merge_key = display.clone();
        let (mode, uid, gid) = (format!("{:04o}", meta.mode), meta.uid, meta.gid);
        finding.push_evidence(file_evidence(
            &display,
            tr!(
                "mode {mode}, owner {owner} ({uid}), group {group} ({gid})",
                "モード {mode}、所有者 {owner}（{uid}）、グループ {group}（{gid}）"
            ),
        ));
        findings.push(finding);
    }
    findings
}
