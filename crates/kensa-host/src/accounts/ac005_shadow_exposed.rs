//! # AC005 shadow-exposed
//!
//! ## What it finds
//! A file that holds password hashes for root's eyes only — `etc/shadow` and its backup
//! `etc/shadow-`, `etc/gshadow`, BSD's `etc/master.passwd` and `etc/spwd.db`, AIX's
//! `etc/security/passwd` — that others can read (high), that the group can read when the
//! group is not a system one (`root`/`wheel`, `shadow`, `auth`: Debian ships shadow
//! `0640 root:shadow` on purpose; medium), that anyone but root can write (critical:
//! they can set root's password), or that is owned by a user other than root (high).
//!
//! ## Why it matters
//! Shadow passwords (the advisory's countermeasure (4)) only help if the shadow file is
//! private. A readable one hands out the hashes exactly as a `/etc/passwd` with hashes
//! does; a writable one hands out root.
//!
//! ## Example
//! ```text
//! etc/shadow: mode 0644, owner root, group root
//! ```
//!
//! ## What to do
//! `chown root:shadow /etc/shadow; chmod 0640 /etc/shadow` (Debian; `0400 root:root` or
//! `0600` elsewhere, `0600 root:wheel` for `master.passwd`), then (3) change the
//! passwords whose hashes may have been read.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasures (3) and (4)
//! - shadow(5), Debian Policy 10.9 (shadow group)
//! <!-- ja -->
//! # AC005 shadow-exposed
//!
//! ## 検出内容
//! root だけが見るべきパスワードのハッシュを持つファイル（`etc/shadow` とそのバックアップ
//! `etc/shadow-`、`etc/gshadow`、BSD の `etc/master.passwd` と `etc/spwd.db`、AIX の
//! `etc/security/passwd`）のうち、次のものを検出します: その他の利用者が読める（「高」）、
//! グループがシステムのもの（`root`/`wheel`、`shadow`、`auth`。Debian は意図して shadow を
//! `0640 root:shadow` で配布しています）でないのにグループが読める（「中」）、root 以外が
//! 書き込める（「緊急」: root のパスワードを設定できます）、root 以外の利用者が所有している
//! （「高」）。
//!
//! ## 重要な理由
//! シャドーパスワード（アドバイザリの対策 (4)）は、シャドーファイルが非公開のときにしか役に
//! 立ちません。読めるシャドーファイルは、ハッシュ入りの `/etc/passwd` とまったく同じように
//! ハッシュを配ってしまいます。書き込めるシャドーファイルは root を配ってしまいます。
//!
//! ## 例
//! ```text
//! etc/shadow: モード 0644、所有者 root（0）、グループ root（0）
//! ```
//!
//! ## 対処
//! `chown root:shadow /etc/shadow; chmod 0640 /etc/shadow`（Debian の場合。それ以外では
//! `0400 root:root` または `0600`、`master.passwd` は `0600 root:wheel`）を実行し、その後 (3)
//! ハッシュを読まれた可能性のあるパスワードを変更してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01、対策 (3) と (4)
//! - shadow(5)、Debian Policy 10.9（shadow グループ）

use crate::{Context, file_evidence};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// AC005: a shadow file readable or writable by others, or not owned by root.
pub static RULE: Rule = Rule {
    code: "AC005",
    name: "shadow-exposed",
    kind: Kind::AccountWeakness,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Shadow password file readable or writable by others",
    advice: "Make the shadow file private (0640 root:shadow on Debian, 0600 or 0400 \
             root elsewhere), then (3) change the passwords whose hashes may have been \
             read; (4) shadow passwords only help while the shadow file is private.",
    status: RuleStatus::Stable,
    title_ja: "シャドーパスワードのファイルを他の利用者が読める、または書き込める",
    advice_ja: "シャドーファイルを非公開にし（Debian では 0640 root:shadow、それ以外では root \
             の 0600 または 0400）、その後 (3) ハッシュを読まれた可能性のあるパスワードを変更\
             してください。(4) シャドーパスワードは、シャドーファイルが非公開である間しか役に\
             立ちません。",
    since: "0.1.0",
    source: include_str!("ac005_shadow_exposed.rs"),
};

/// Files that must be private.
pub const SHADOW_FILES: &[&str] = &[
    "etc/shadow",
    "etc/shadow-",
    "etc/gshadow",
    "etc/master.passwd",
    "etc/spwd.db",
    "etc/security/passwd",
];

/// Groups that may read a shadow file by design.
const TRUSTED_GROUPS: &[&str] = &["root", "wheel", "shadow", "auth", "system", "security"];

/// Runs AC005.
pub fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for &file in SHADOW_FILES {
        let meta = match ctx.root.stat(file) {
            Ok(meta) => meta,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                ctx.say(
                    kensa_core::DiagnosticLevel::Warning,
                    file,
                    tr!("cannot be examined: {err}", "調べられません: {err}"),
                );
                continue;
            }
        };
        let owner = ctx.user_name(meta.uid);
        let group = ctx.group_name(meta.gid);
        let trusted_group = meta.gid == 0 || TRUSTED_GROUPS.contains(&group.as_str());
        let mut problems: Vec<(Severity, &str, &str)> = Vec::new();
        if meta.other_writable() || (meta.group_writable() && !trusted_group) {
            problems.push((
                Severity::Critical,
                "writable by others",
                "他の利用者が書き込める",
            ));
        }
        if meta.uid != 0 {
            problems.push((
                Severity::High,
                "owned by a user other than root",
                "root 以外の利用者が所有している",
            ));
        }
        if meta.other_readable() {
            problems.push((Severity::High, "readable by everyone", "誰でも読める"));
        } else if meta.group_readable() && !trusted_group {
            problems.push((
                Severity::Medium,
                "readable by a non-system group",
                "システム用ではないグループが読める",
            ));
        }
        let Some(severity) = problems.iter().map(|p| p.0).max() else {
            continue;
        };
        let what: Vec<&str> = problems.iter().map(|p| p.1).collect();
        let what_ja: Vec<&str> = problems.iter().map(|p| p.2).collect();
        let mut finding = ctx.finding(&RULE);
        finding.severity = severity;
        let (shown, what, what_ja) = (ctx.root.display(file), what.join(", "), what_ja.join("、"));
        finding.set_title(tr!("{shown} is {what}", "{shown}: {what_ja}"));
        finding.subject.path = Some(ctx.root.display(file));
        finding.count = 1;
        finding.merge_key = file.to_string();
        let (mode, uid, gid) = (format!("{:04o}", meta.mode), meta.uid, meta.gid);
        finding.push_evidence(file_evidence(
            &ctx.root.display(file),
            tr!(
                "mode {mode}, owner {owner} ({uid}), group {group} ({gid})",
                "モード {mode}、所有者 {owner}（{uid}）、グループ {group}（{gid}）"
            ),
        ));
        findings.push(finding);
    }
    findings
}
