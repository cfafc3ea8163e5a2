//! # FT009 proftpd-anon-write
//!
//! ## What it finds
//! A ProFTPD `<Anonymous>` block (in `etc/proftpd/proftpd.conf`, `etc/proftpd.conf`,
//! `usr/local/etc/proftpd.conf`, or a file they `Include`) that lets anonymous users
//! write: either no `<Limit WRITE>` (or `STOR`, or `ALL`) with `DenyAll` at the block's
//! top level or in a `<Directory *>` that covers it all — ProFTPD allows every command a `<Limit>` does not deny, so then anonymous
//! users may write wherever the ftp user can — or a `<Limit>` of a write command (`WRITE`,
//! `STOR`, `STOU`, `APPE`, `MKD`, `DELE`, `RNFR`/`RNTO`, `SITE_CHMOD`, ...) with
//! `AllowAll` outside a directory called `incoming`.
//!
//! ## Why it matters
//! Anonymous write access to anything but a write-only `incoming` is the hole of
//! JPCERT-E-INF-97-0001: an uploaded `~ftp/.forward` runs commands when mail arrives for
//! `ftp`.
//!
//! ## Example
//! ```text
//! etc/proftpd/proftpd.conf:164: <Anonymous ~ftp>     (no <Limit WRITE> DenyAll)
//! ```
//!
//! ## What to do
//! (2) Put `<Limit WRITE> DenyAll </Limit>` at the top of every `<Anonymous>` block and
//! allow `STOR` only in `<Directory incoming>`, as Debian's commented example does.
//!
//! ## References
//! - ProFTPD documentation: `<Anonymous>`, `<Limit>`
//! - CERT Advisory CA-93:10, "Anonymous FTP configuration guidelines"
//! <!-- ja -->
//! # FT009 proftpd-anon-write
//!
//! ## 検出内容
//! 匿名の利用者に書き込みを許す ProFTPD の `<Anonymous>` ブロック（`etc/proftpd/proftpd.conf`、
//! `etc/proftpd.conf`、`usr/local/etc/proftpd.conf`、またはそれらが `Include` するファイル）を
//! 検出します。次のどちらかです: ブロックの最上位や、ブロック全体を覆う `<Directory *>` に
//! `DenyAll` を指定した `<Limit WRITE>`（または `STOR`、`ALL`）がないもの（ProFTPD は `<Limit>`
//! が拒否しないコマンドをすべて許すので、匿名の利用者は ftp 利用者が書き込めるところならどこにでも
//! 書き込めます）、または `incoming` という名前のディレクトリの外で、書き込みのコマンド
//! （`WRITE`、`STOR`、`STOU`、`APPE`、`MKD`、`DELE`、`RNFR`/`RNTO`、`SITE_CHMOD` など）の
//! `<Limit>` に `AllowAll` を指定したものです。
//!
//! ## 重要な理由
//! 書き込み専用の `incoming` 以外への匿名の書き込みは、JPCERT-E-INF-97-0001 のセキュリティ
//! ホールです: アップロードされた `~ftp/.forward` は、`ftp` 宛てのメールが届いたときにコマンドを
//! 実行します。
//!
//! ## 例
//! ```text
//! etc/proftpd/proftpd.conf:164: <Anonymous ~ftp>     (no <Limit WRITE> DenyAll)
//! ```
//!
//! ## 対処
//! (2) すべての `<Anonymous>` ブロックの先頭に `<Limit WRITE> DenyAll </Limit>` を置き、Debian の
//! コメントアウトされた例のように、`STOR` は `<Directory incoming>` の中だけで許可してください。
//!
//! ## 参考
//! - ProFTPD のドキュメント: `<Anonymous>`、`<Limit>`
//! - CERT Advisory CA-93:10 "Anonymous FTP configuration guidelines"

use super::{line_evidence, lines};
use crate::Context;
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// FT009: a ProFTPD `<Anonymous>` block lets anonymous users write.
pub static RULE: Rule = Rule {
    code: "FT009",
    name: "proftpd-anon-write",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "ProFTPD <Anonymous> block lets anonymous users write",
    advice: "(2) Put '<Limit WRITE> DenyAll </Limit>' at the top of every <Anonymous> block \
             and allow STOR only inside <Directory incoming>.",
    status: RuleStatus::Stable,
    title_ja: "ProFTPD の <Anonymous> ブロックが匿名の利用者に書き込みを許している",
    advice_ja: "(2) すべての <Anonymous> ブロックの先頭に '<Limit WRITE> DenyAll </Limit>' を\
             置き、STOR は <Directory incoming> の中だけで許可してください。",
    since: "0.1.0",
    source: include_str!("ft009_proftpd.rs"),
};

/// Where ProFTPD's main configuration lives.
pub const PROFTPD_CONF: [&str; 3] = [
    "etc/proftpd/proftpd.conf",
    "etc/proftpd.conf",
    "usr/local/etc/proftpd.conf",
];
/// Included files read at most.
const MAX_INCLUDES: usize = 64;

const WRITE_COMMANDS: [&str; 15] = [
    "WRITE",
    "ALL",
    "STOR",
    "STOU",
    "APPE",
    "MKD",
    "XMKD",
    "DELE",
    "RMD",
    "XRMD",
    "RNFR",
    "RNTO",
    "SITE_CHMOD",
    "SITE_MKDIR",
    "SITE_CPTO",
];

/// A problem in one `<Anonymous>` block: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The line of the `<Anonymous>` tag or of the offending `<Limit>`.
    pub line: u64,
    /// Its byte offset.
    pub offset: u64,
    /// Why, in English and Japanese.
    pub reason: Localized,
}

#[derive(Debug, Default)]
struct Limit {
    directory: Option<String>,
    write: bool,
    allow: bool,
    deny: bool,
    line: u64,
    offset: u64,
}

/// The `<Anonymous>` blocks of one configuration file that let anonymous users write.
pub fn judge(bytes: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    // (tag line, offset, root) of the open <Anonymous>, and its limits.
    let mut anonymous: Option<(u64, u64, String)> = None;
    let mut limits: Vec<Limit> = Vec::new();
    let mut directory: Vec<String> = Vec::new();
    let mut limit: Option<Limit> = None;
    for (line, offset, raw) in lines(bytes) {
        let text = String::from_utf8_lossy(raw);
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("<anonymous") {
            let root = rest.trim_end_matches('>').trim().to_string();
            anonymous = Some((line, offset, root));
            limits.clear();
            directory.clear();
        } else if lower.starts_with("</anonymous") {
            if let Some((tag_line, tag_offset, root)) = anonymous.take() {
                judge_block(tag_line, tag_offset, &root, &limits, &mut hits);
            }
        } else if anonymous.is_none() {
            continue;
        } else if let Some(rest) = lower.strip_prefix("<directory") {
            directory.push(rest.trim_end_matches('>').trim().to_string());
        } else if lower.starts_with("</directory") {
            directory.pop();
        } else if let Some(rest) = lower.strip_prefix("<limit") {
            let commands = rest.trim_end_matches('>').to_ascii_uppercase();
            limit = Some(Limit {
                directory: directory.last().cloned(),
                write: commands
                    .split_whitespace()
                    .any(|c| WRITE_COMMANDS.contains(&c)),
                line,
                offset,
                ..Limit::default()
            });
        } else if lower.starts_with("</limit") {
            limits.extend(limit.take());
        } else if let Some(limit) = limit.as_mut() {
            let words: Vec<&str> = lower.split_whitespace().collect();
            match words[..] {
                ["allowall", ..] => limit.allow = true,
                ["denyall", ..] => limit.deny = true,
                ["allow", "from", "all", ..] | ["allow", "all", ..] => limit.allow = true,
                ["deny", "from", "all", ..] | ["deny", "all", ..] => limit.deny = true,
                _ => {}
            }
        }
    }
    hits
}

fn judge_block(line: u64, offset: u64, root: &str, limits: &[Limit], hits: &mut Vec<Hit>) {
    // `<Directory *>` (Debian's example) covers the whole chroot, like the block itself.
    let whole_area = |l: &Limit| {
        l.directory
            .as_deref()
            .is_none_or(|d| matches!(d.trim_matches('"'), "*" | "/*" | "/" | "~" | "~/*"))
    };
    let denied_at_top = limits
        .iter()
        .any(|l| whole_area(l) && l.write && l.deny && !l.allow);
    if !denied_at_top {
        hits.push(Hit {
            line,
            offset,
            reason: tr!(
                "<Anonymous {root}> has no <Limit WRITE> DenyAll: anonymous users may write \
                 wherever the ftp user can",
                "<Anonymous {root}> に <Limit WRITE> DenyAll がない: ftp ユーザが書き込める\
                 場所ならどこにでも匿名の利用者が書き込める"
            ),
        });
    }
    for l in limits.iter().filter(|l| l.write && l.allow) {
        let inside_incoming = l
            .directory
            .as_deref()
            .is_some_and(|d| d.contains("incoming"));
        if !inside_incoming {
            hits.push(Hit {
                line: l.line,
                offset: l.offset,
                reason: if whole_area(l) {
                    tr!(
                        "<Anonymous {root}> allows writing in the whole area",
                        "<Anonymous {root}> が領域全体への書き込みを許可している"
                    )
                } else {
                    let directory = l.directory.as_deref().unwrap_or_default();
                    tr!(
                        "<Anonymous {root}> allows writing in {directory}",
                        "<Anonymous {root}> が {directory} への書き込みを許可している"
                    )
                },
            });
        }
    }
}

/// The files to read: the main configuration and what it includes (files, or every
/// file of an included directory), bounded.
fn config_files(ctx: &mut Context<'_>) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let Some((main, bytes)) = super::read_first(ctx, &PROFTPD_CONF) else {
        return files;
    };
    let mut includes = Vec::new();
    for (_, _, raw) in lines(&bytes) {
        let text = String::from_utf8_lossy(raw);
        let mut words = text.split_whitespace();
        if words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("include"))
            && let Some(path) = words.next()
        {
            includes.push(path.trim_matches('/').to_string());
        }
    }
    files.push((main, bytes));
    for include in includes {
        // `Include /etc/proftpd/conf.d/` or a glob (`*.conf`) or a file.
        let dir = include
            .trim_end_matches("*.conf")
            .trim_end_matches('*')
            .trim_end_matches('/');
        match ctx.root.read_dir(dir) {
            Ok(entries) => {
                for entry in entries {
                    if files.len() >= MAX_INCLUDES {
                        break;
                    }
                    let rel = format!("{dir}/{}", entry.name.to_string_lossy());
                    if let Some(bytes) = ctx.read_config(&rel) {
                        files.push((rel, bytes));
                    }
                }
            }
            Err(_) => {
                if files.len() < MAX_INCLUDES
                    && let Some(bytes) = ctx.read_config(&include)
                {
                    files.push((include, bytes));
                }
            }
        }
    }
    files
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (rel, bytes) in config_files(ctx) {
        let hits = judge(&bytes);
        if hits.is_empty() {
            continue;
        }
        let shown = ctx.root.display(&rel);
        let mut finding = ctx.finding(&RULE);
        let Localized {
            en: reason,
            ja: reason_ja,
        } = &hits[0].reason;
        finding.set_title(tr!("{shown}: {reason}", "{shown}: {reason_ja}"));
        finding.subject.path = Some(shown.clone());
        finding.count = hits.len() as u64;
        let all: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        for hit in hits.iter().take(16) {
            let raw = all.get(hit.line as usize - 1).copied().unwrap_or_default();
            finding.push_evidence(line_evidence(&shown, hit.line, hit.offset, raw));
        }
        finding.merge_key = shown;
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAFE: &str = "ServerName x\n\
        <Anonymous ~ftp>\n  User ftp\n  <Directory *>\n    <Limit WRITE>\n      DenyAll\n    </Limit>\n  </Directory>\n\
        <Limit WRITE>\n DenyAll\n</Limit>\n\
        <Directory incoming>\n  <Limit READ WRITE>\n    DenyAll\n  </Limit>\n  <Limit STOR>\n    AllowAll\n  </Limit>\n</Directory>\n\
        </Anonymous>\n";

    #[test]
    fn safe_block() {
        assert!(judge(SAFE.as_bytes()).is_empty());
        // Commented out entirely (Debian's default file).
        let commented: String = SAFE.lines().map(|l| format!("# {l}\n")).collect();
        assert!(judge(commented.as_bytes()).is_empty());
        // Debian's example: the deny sits in <Directory *>.
        let debian = "<Anonymous ~ftp>\n  <Directory *>\n    <Limit WRITE>\n      DenyAll\n    </Limit>\n  </Directory>\n</Anonymous>\n";
        assert!(judge(debian.as_bytes()).is_empty());
        let brave = debian.replace("DenyAll", "AllowAll");
        let hits = judge(brave.as_bytes());
        assert_eq!(hits.len(), 2, "{hits:?}");
        assert!(hits[1].reason.en.contains("the whole area"));
        assert_eq!(
            hits[1].reason.ja,
            "<Anonymous ~ftp> が領域全体への書き込みを許可している"
        );
    }

    #[test]
    fn no_top_level_deny() {
        let text = "<Anonymous /srv/ftp>\nUser ftp\n</Anonymous>\n";
        let hits = judge(text.as_bytes());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].line, 1);
        assert!(hits[0].reason.en.contains("no <Limit WRITE> DenyAll"));
        assert!(
            hits[0]
                .reason
                .ja
                .starts_with("<Anonymous /srv/ftp> に <Limit WRITE> DenyAll がない: "),
            "{}",
            hits[0].reason.ja
        );
    }

    #[test]
    fn allow_outside_incoming() {
        let text = SAFE.replace("<Directory incoming>", "<Directory pub>");
        let hits = judge(text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].reason.en.contains("writing in pub"));
        assert!(hits[0].reason.ja.contains("pub への書き込みを許可"));
        // The top-level deny made an allow: flagged, though <Directory *> still denies.
        let text = SAFE.replace("<Limit WRITE>\n DenyAll", "<Limit WRITE>\n AllowAll");
        let hits = judge(text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(hits[0].reason.en.contains("the whole area"));
    }
}
