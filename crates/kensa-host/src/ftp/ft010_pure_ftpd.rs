//! # FT010 pure-ftpd-anon-upload
//!
//! ## What it finds
//! A Pure-FTPd configuration that lets anonymous users upload: anonymous logins not
//! refused (`NoAnonymous` not `yes`) and uploads not refused (`AnonymousCantUpload` not
//! `yes`); `AnonymousCanCreateDirs yes` is named too. Debian's style is one file per
//! option under `etc/pure-ftpd/conf/` (`etc/pure-ftpd/conf/NoAnonymous` holding `yes`);
//! when that directory exists it is what the server uses, otherwise the single-file
//! `pure-ftpd.conf` (`etc/pure-ftpd.conf`, `etc/pure-ftpd/pure-ftpd.conf`,
//! `usr/local/etc/pure-ftpd.conf`) is read. Pure-FTPd's defaults allow both.
//!
//! ## Why it matters
//! Pure-FTPd lets anonymous users store files wherever the `ftp` user may write unless
//! told not to; with a writable `~ftp` that is the advisory's `.forward` attack
//! (JPCERT-E-INF-97-0001).
//!
//! ## Example
//! ```text
//! etc/pure-ftpd/conf/NoAnonymous: no
//! ```
//!
//! ## What to do
//! (2) `echo yes > /etc/pure-ftpd/conf/NoAnonymous` if anonymous FTP is not needed, else
//! `echo yes > /etc/pure-ftpd/conf/AnonymousCantUpload`; keep `~ftp` owned by root and
//! not writable.
//!
//! ## References
//! - pure-ftpd(8): `--noanonymous`, `--anonymouscantupload`, `--anonymouscancreatedirs`
//! - CERT Advisory CA-93:10, "Anonymous FTP configuration guidelines"
//! <!-- ja -->
//! # FT010 pure-ftpd-anon-upload
//!
//! ## 検出内容
//! 匿名の利用者にアップロードを許す Pure-FTPd の設定を検出します: 匿名のログインを拒否して
//! おらず（`NoAnonymous` が `yes` でない）、アップロードも拒否していない（`AnonymousCantUpload`
//! が `yes` でない）ものです。`AnonymousCanCreateDirs yes` も併せて示します。Debian の流儀では
//! 設定ごとに `etc/pure-ftpd/conf/` の下に一つのファイルを置きます（`yes` と書いた
//! `etc/pure-ftpd/conf/NoAnonymous`）。このディレクトリがあればサーバはそれを使い、なければ
//! 単一ファイルの `pure-ftpd.conf`（`etc/pure-ftpd.conf`、`etc/pure-ftpd/pure-ftpd.conf`、
//! `usr/local/etc/pure-ftpd.conf`）を読みます。Pure-FTPd の既定ではどちらも許されます。
//!
//! ## 重要な理由
//! Pure-FTPd は、禁止されない限り、`ftp` 利用者が書き込めるところならどこにでも匿名の利用者に
//! ファイルを置かせます。`~ftp` が書き込み可能なら、それはアドバイザリの `.forward` による攻撃
//! です（JPCERT-E-INF-97-0001）。
//!
//! ## 例
//! ```text
//! etc/pure-ftpd/conf/NoAnonymous: no
//! ```
//!
//! ## 対処
//! (2) Anonymous FTP が不要なら `echo yes > /etc/pure-ftpd/conf/NoAnonymous`、必要なら
//! `echo yes > /etc/pure-ftpd/conf/AnonymousCantUpload` を実行してください。`~ftp` は root の
//! 所有にして書き込めないようにしてください。
//!
//! ## 参考
//! - pure-ftpd(8): `--noanonymous`、`--anonymouscantupload`、`--anonymouscancreatedirs`
//! - CERT Advisory CA-93:10 "Anonymous FTP configuration guidelines"

use super::{line_evidence, lines};
use crate::Context;
use kensa_core::{Evidence, Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// FT010: Pure-FTPd lets anonymous users upload.
pub static RULE: Rule = Rule {
    code: "FT010",
    name: "pure-ftpd-anon-upload",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Pure-FTPd lets anonymous users upload",
    advice: "(2) Set NoAnonymous to yes (Debian: echo yes > /etc/pure-ftpd/conf/NoAnonymous), \
             or AnonymousCantUpload to yes if anonymous downloads are needed; keep ~ftp owned \
             by root and not writable.",
    status: RuleStatus::Stable,
    title_ja: "Pure-FTPd が匿名の利用者にアップロードを許している",
    advice_ja: "(2) NoAnonymous を yes に設定してください（Debian: echo yes > \
             /etc/pure-ftpd/conf/NoAnonymous）。匿名のダウンロードが必要なら \
             AnonymousCantUpload を yes にしてください。~ftp は root の所有にして書き込めない\
             ようにしてください。",
    since: "0.1.0",
    source: include_str!("ft010_pure_ftpd.rs"),
};

/// Debian's one-file-per-option directory.
pub const CONF_DIR: &str = "etc/pure-ftpd/conf";
/// The single-file configurations.
pub const CONF_FILES: [&str; 3] = [
    "etc/pure-ftpd/pure-ftpd.conf",
    "etc/pure-ftpd.conf",
    "usr/local/etc/pure-ftpd.conf",
];

/// The options that matter, as read: value and evidence.
#[derive(Debug, Default)]
pub struct Options {
    /// `NoAnonymous`.
    pub no_anonymous: Option<(bool, Evidence)>,
    /// `AnonymousCantUpload`.
    pub cant_upload: Option<(bool, Evidence)>,
    /// `AnonymousCanCreateDirs`.
    pub create_dirs: Option<(bool, Evidence)>,
}

fn yes(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "yes" | "1" | "on" | "true"
    )
}

impl Options {
    fn set(&mut self, name: &str, value: bool, evidence: Evidence) {
        let slot = match name.to_ascii_lowercase().as_str() {
            "noanonymous" => &mut self.no_anonymous,
            "anonymouscantupload" => &mut self.cant_upload,
            "anonymouscancreatedirs" => &mut self.create_dirs,
            _ => return,
        };
        *slot = Some((value, evidence));
    }

    /// Options of a single-file `pure-ftpd.conf` (`Name value` lines, `#` comments).
    pub fn from_file(file: &str, bytes: &[u8]) -> Options {
        let mut options = Options::default();
        for (line, offset, raw) in lines(bytes) {
            let text = String::from_utf8_lossy(raw);
            let text = text.trim();
            if text.starts_with('#') {
                continue;
            }
            let mut words = text.split_whitespace();
            if let (Some(name), Some(value)) = (words.next(), words.next()) {
                options.set(name, yes(value), line_evidence(file, line, offset, raw));
            }
        }
        options
    }

    /// Whether anonymous users may upload.
    pub fn anonymous_upload(&self) -> bool {
        let refused = |o: &Option<(bool, Evidence)>| o.as_ref().is_some_and(|(v, _)| *v);
        !refused(&self.no_anonymous) && !refused(&self.cant_upload)
    }
}

fn options(ctx: &mut Context<'_>) -> Option<(String, Options)> {
    if let Ok(entries) = ctx.root.read_dir(CONF_DIR) {
        let mut options = Options::default();
        for entry in entries {
            let name = entry.name.to_string_lossy().into_owned();
            if !matches!(
                name.to_ascii_lowercase().as_str(),
                "noanonymous" | "anonymouscantupload" | "anonymouscancreatedirs"
            ) {
                continue;
            }
            let rel = format!("{CONF_DIR}/{name}");
            if let Some(bytes) = ctx.read_config(&rel) {
                let shown = ctx.root.display(&rel);
                let value = String::from_utf8_lossy(&bytes).trim().to_string();
                let evidence = line_evidence(&shown, 1, 0, super::first_line(&bytes).as_bytes());
                options.set(&name, yes(&value), evidence);
            }
        }
        return Some((ctx.root.display(CONF_DIR), options));
    }
    let (rel, bytes) = super::read_first(ctx, &CONF_FILES)?;
    let shown = ctx.root.display(&rel);
    Some((shown.clone(), Options::from_file(&shown, &bytes)))
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let Some((shown, options)) = options(ctx) else {
        return Vec::new();
    };
    if !options.anonymous_upload() {
        return Vec::new();
    }
    let mut finding = ctx.finding(&RULE);
    let dirs = options.create_dirs.as_ref().is_some_and(|(v, _)| *v);
    let (dirs, dirs_ja) = if dirs {
        (" and create directories", "、ディレクトリの作成")
    } else {
        ("", "")
    };
    finding.set_title(kensa_core::tr!(
        "{shown}: Pure-FTPd lets anonymous users upload{dirs}",
        "{shown}: Pure-FTPd が匿名の利用者にアップロード{dirs_ja}を許している"
    ));
    finding.subject.path = Some(shown.clone());
    finding.count = 1;
    let mut any = false;
    for (_, evidence) in [
        &options.no_anonymous,
        &options.cant_upload,
        &options.create_dirs,
    ]
    .into_iter()
    .flatten()
    {
        finding.push_evidence(evidence.clone());
        any = true;
    }
    if !any {
        finding.push_evidence(crate::file_evidence(
            &shown,
            kensa_core::tr!(
                "{shown}: neither NoAnonymous nor AnonymousCantUpload is set (both default to no)",
                "{shown}: NoAnonymous も AnonymousCantUpload も設定されていない（どちらも既定値は no）"
            ),
        ));
    }
    finding.merge_key = shown;
    vec![finding]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_file_options() {
        let upstream = b"NoAnonymous                  no\nAnonymousCantUpload          no\n";
        assert!(Options::from_file("f", upstream).anonymous_upload());
        assert!(!Options::from_file("f", b"NoAnonymous yes\n").anonymous_upload());
        assert!(!Options::from_file("f", b"AnonymousCantUpload yes\n").anonymous_upload());
        assert!(Options::from_file("f", b"# NoAnonymous yes\n").anonymous_upload());
        assert!(Options::from_file("f", b"").anonymous_upload());
    }
}
