//! # FT007 wu-ftpd-anon-write
//!
//! ## What it finds
//! wu-ftpd `ftpaccess` lines (`etc/ftpaccess`, `etc/ftpd/ftpaccess`,
//! `etc/wu-ftpd/ftpaccess`, `usr/local/etc/ftpaccess`) that let anonymous users write:
//!
//! - `upload <root-dir> <dir-glob> yes ...` where the root-dir is the anonymous FTP root
//!   (the ftp account's home) or `*`, and the directory is not an `incoming` one;
//! - `chmod`, `delete`, `overwrite` or `rename` with `yes` for a type list that names
//!   `anonymous` or `guest`.
//!
//! ## Why it matters
//! wu-ftpd refuses anonymous uploads unless an `upload` line allows them; a line such as
//! `upload /home/ftp * yes` opens the whole area, `.forward` included — the advisory's
//! attack (JPCERT-E-INF-97-0001). `chmod` lets an uploaded file be made executable or
//! readable; `delete`/`overwrite`/`rename` let anonymous users replace what others fetch.
//!
//! ## Example
//! ```text
//! etc/ftpaccess:12: upload  /home/ftp  *  yes  ftp  ftp  0666  dirs
//! ```
//!
//! ## What to do
//! (2) Allow anonymous uploads only into a write-only incoming directory
//! (`upload /home/ftp /incoming yes root daemon 0600 nodirs`, with `upload /home/ftp *
//! no` before it), add `chmod no guest,anonymous`, `delete no guest,anonymous`,
//! `overwrite no guest,anonymous`, `rename no guest,anonymous`, and upgrade wu-ftpd.
//!
//! ## References
//! - ftpaccess(5) of wu-ftpd
//! - CERT Advisory CA-93:10, "Anonymous FTP configuration guidelines"
//! <!-- ja -->
//! # FT007 wu-ftpd-anon-write
//!
//! ## 検出内容
//! 匿名の利用者に書き込みを許す wu-ftpd の `ftpaccess`（`etc/ftpaccess`、`etc/ftpd/ftpaccess`、
//! `etc/wu-ftpd/ftpaccess`、`usr/local/etc/ftpaccess`）の行を検出します:
//!
//! - `upload <root-dir> <dir-glob> yes ...` で、root-dir が Anonymous FTP のルート・ディレクトリ
//!   （ftp アカウントのホームディレクトリ）か `*` であり、ディレクトリが `incoming` でないもの。
//! - `anonymous` または `guest` を含む種別の一覧に対して `yes` を指定した `chmod`、`delete`、
//!   `overwrite`、`rename`。
//!
//! ## 重要な理由
//! wu-ftpd は、`upload` 行が許さない限り匿名のアップロードを拒否します。`upload /home/ftp * yes`
//! のような行は、`.forward` を含む領域全体を開きます。これがアドバイザリの攻撃です
//! （JPCERT-E-INF-97-0001）。`chmod` を許すと、アップロードされたファイルを実行可能や読み出し
//! 可能にできます。`delete`/`overwrite`/`rename` を許すと、匿名の利用者が他人の取得するファイルを
//! 置き換えられます。
//!
//! ## 例
//! ```text
//! etc/ftpaccess:12: upload  /home/ftp  *  yes  ftp  ftp  0666  dirs
//! ```
//!
//! ## 対処
//! (2) 匿名のアップロードは書き込み専用の incoming ディレクトリだけに許可し
//! （`upload /home/ftp /incoming yes root daemon 0600 nodirs`、その前に `upload /home/ftp *
//! no`）、`chmod no guest,anonymous`、`delete no guest,anonymous`、
//! `overwrite no guest,anonymous`、`rename no guest,anonymous` を追加し、wu-ftpd を
//! バージョンアップしてください。
//!
//! ## 参考
//! - wu-ftpd の ftpaccess(5)
//! - CERT Advisory CA-93:10 "Anonymous FTP configuration guidelines"

use super::{anon_areas, line_evidence, lines};
use crate::Context;
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// FT007: wu-ftpd's `ftpaccess` lets anonymous users write.
pub static RULE: Rule = Rule {
    code: "FT007",
    name: "wu-ftpd-anon-write",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "wu-ftpd ftpaccess lets anonymous users upload or modify files",
    advice: "(2) Allow anonymous uploads only into a write-only incoming directory; add \
             'chmod no guest,anonymous', 'delete no guest,anonymous', 'overwrite no \
             guest,anonymous', 'rename no guest,anonymous'; upgrade wu-ftpd.",
    status: RuleStatus::Stable,
    title_ja: "wu-ftpd の ftpaccess が匿名の利用者にファイルのアップロードや変更を許している",
    advice_ja: "(2) 匿名のアップロードは書き込み専用の incoming ディレクトリだけに許可し、\
             'chmod no guest,anonymous'、'delete no guest,anonymous'、'overwrite no \
             guest,anonymous'、'rename no guest,anonymous' を追加し、wu-ftpd をバージョンアッ\
             プしてください。",
    since: "0.1.0",
    source: include_str!("ft007_wuftpd_ftpaccess.rs"),
};

/// Where wu-ftpd's `ftpaccess` lives.
pub const FTPACCESS: [&str; 5] = [
    "etc/ftpaccess",
    "etc/ftpd/ftpaccess",
    "etc/wu-ftpd/ftpaccess",
    "usr/local/etc/ftpaccess",
    "etc/wu-ftpd/ftpaccess.conf",
];

/// One line that lets anonymous users write: its number, offset and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line.
    pub offset: u64,
    /// Why the line matters, in English and Japanese.
    pub reason: Localized,
}

/// The lines of an `ftpaccess` that let anonymous users write. `anon_roots` are the
/// anonymous FTP roots as absolute paths (`/home/ftp`); when empty, every `upload`
/// line's root-dir counts.
pub fn judge(bytes: &[u8], anon_roots: &[String]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (line, offset, raw) in lines(bytes) {
        let text = String::from_utf8_lossy(raw);
        let text = text.split('#').next().unwrap_or("");
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some((&keyword, args)) = words.split_first() else {
            continue;
        };
        match keyword.to_ascii_lowercase().as_str() {
            "upload" => {
                // Leading options: absolute|relative, class=..., and "-".
                let rest: Vec<&str> = args
                    .iter()
                    .copied()
                    .skip_while(|w| {
                        matches!(*w, "absolute" | "relative" | "-") || w.starts_with("class=")
                    })
                    .collect();
                let [root_dir, glob, allow, ..] = rest[..] else {
                    continue;
                };
                let anonymous_root = root_dir == "*"
                    || anon_roots.is_empty()
                    || anon_roots
                        .iter()
                        .any(|r| r.trim_end_matches('/') == root_dir.trim_end_matches('/'));
                if anonymous_root
                    && allow.eq_ignore_ascii_case("yes")
                    && !glob.to_ascii_lowercase().contains("incoming")
                {
                    hits.push(Hit {
                        line,
                        offset,
                        reason: tr!(
                            "anonymous uploads allowed into {glob} under {root_dir}",
                            "{root_dir} 以下の {glob} への匿名のアップロードを許可している"
                        ),
                    });
                }
            }
            verb @ ("chmod" | "delete" | "overwrite" | "rename") => {
                let [allow, types, ..] = args[..] else {
                    continue;
                };
                let anonymous = types.split(',').any(|t| {
                    t.eq_ignore_ascii_case("anonymous") || t.eq_ignore_ascii_case("guest")
                });
                if allow.eq_ignore_ascii_case("yes") && anonymous {
                    hits.push(Hit {
                        line,
                        offset,
                        reason: tr!(
                            "{verb} allowed for {types}",
                            "{types} に {verb} を許可している"
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    hits
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let roots: Vec<String> = anon_areas(ctx)
        .into_iter()
        .map(|a| {
            if a.home == "." {
                "/".to_string()
            } else {
                format!("/{}", a.home)
            }
        })
        .collect();
    let mut findings = Vec::new();
    for rel in FTPACCESS {
        let Some(bytes) = ctx.read_config(rel) else {
            continue;
        };
        let hits = judge(&bytes, &roots);
        if hits.is_empty() {
            continue;
        }
        let shown = ctx.root.display(rel);
        let mut finding = ctx.finding(&RULE);
        if !hits
            .iter()
            .any(|h| h.reason.en.starts_with("anonymous uploads"))
        {
            finding.severity = Severity::Medium;
        }
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

    fn reasons(text: &str) -> Vec<String> {
        judge(text.as_bytes(), &["/home/ftp".to_string()])
            .into_iter()
            .map(|h| h.reason.en)
            .collect()
    }

    #[test]
    fn safe_sample_configuration() {
        let safe = "class all real,guest,anonymous *\n\
                    upload /home/ftp * no\n\
                    upload /home/ftp /incoming yes root daemon 0600 nodirs\n\
                    upload /home/tanaka * yes\n\
                    chmod no guest,anonymous\n\
                    delete no guest,anonymous\n\
                    overwrite no guest,anonymous\n\
                    rename no guest,anonymous\n";
        assert!(reasons(safe).is_empty());
    }

    #[test]
    fn unsafe_lines() {
        let bad = "upload /home/ftp * yes ftp ftp 0666 dirs\n\
                   upload class=anon absolute /home/ftp /pub yes\n\
                   # upload /home/ftp * yes\n\
                   delete yes anonymous\n\
                   chmod yes real,guest\n\
                   overwrite yes real\n\
                   upload\n\
                   rename\n";
        let found = reasons(bad);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("into * under /home/ftp"));
        assert!(found[1].contains("/pub"));
        assert!(found[2].starts_with("delete"));
        assert!(found[3].starts_with("chmod"));
        let hits = judge(bad.as_bytes(), &["/home/ftp".to_string()]);
        assert_eq!(
            hits[0].reason.ja,
            "/home/ftp 以下の * への匿名のアップロードを許可している"
        );
        assert_eq!(hits[2].reason.ja, "anonymous に delete を許可している");
    }
}
