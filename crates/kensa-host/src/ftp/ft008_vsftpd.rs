//! # FT008 vsftpd-anon-write
//!
//! ## What it finds
//! A vsftpd configuration (`etc/vsftpd.conf`, `etc/vsftpd/vsftpd.conf`) that lets
//! anonymous users write: `anonymous_enable` on, `write_enable=YES`, and at least one of
//! `anon_upload_enable`, `anon_mkdir_write_enable`, `anon_other_write_enable` set to
//! `YES`. Options are read as vsftpd reads them (`name=value`, `#` comments, the last
//! setting wins, `YES`/`TRUE`/`1` in any case). An option left out takes vsftpd's
//! built-in default: `NO` for the write options; for `anonymous_enable` upstream vsftpd
//! defaults to `YES` (Debian's build and man page say `NO`, and Debian's shipped file
//! sets it to `NO` explicitly), so kensa assumes `YES`.
//!
//! ## Why it matters
//! With these options anonymous users can store files wherever the ftp user (or
//! `anon_root`) may write; if that includes the anonymous root itself, the advisory's
//! `.forward` upload works (JPCERT-E-INF-97-0001).
//!
//! ## Example
//! ```text
//! etc/vsftpd.conf:31: anon_upload_enable=YES
//! ```
//!
//! ## What to do
//! (2) Set `anon_upload_enable=NO`, `anon_mkdir_write_enable=NO`,
//! `anon_other_write_enable=NO` (or `anonymous_enable=NO`); if anonymous uploads are
//! wanted, allow them only into a write-only `incoming` directory owned by root.
//!
//! ## References
//! - vsftpd.conf(5)
//! - CERT Advisory CA-93:10, "Anonymous FTP configuration guidelines"
//! <!-- ja -->
//! # FT008 vsftpd-anon-write
//!
//! ## 検出内容
//! 匿名の利用者に書き込みを許す vsftpd の設定（`etc/vsftpd.conf`、`etc/vsftpd/vsftpd.conf`）を
//! 検出します: `anonymous_enable` が有効で、`write_enable=YES` であり、`anon_upload_enable`、
//! `anon_mkdir_write_enable`、`anon_other_write_enable` の少なくとも一つが `YES` のものです。
//! 設定は vsftpd と同じように読みます（`name=value`、`#` はコメント、最後の設定が有効、`YES`/
//! `TRUE`/`1` は大文字小文字を問わない）。省略された設定は vsftpd の組み込みの既定値をとります:
//! 書き込みの設定は `NO` です。`anonymous_enable` の既定値は本家の vsftpd では `YES` です
//! （Debian のビルドとマニュアルでは `NO` で、Debian の配布するファイルは明示的に `NO` に
//! 設定しています）。そのため kensa は `YES` とみなします。
//!
//! ## 重要な理由
//! これらの設定があると、匿名の利用者は ftp 利用者（または `anon_root`）が書き込めるところなら
//! どこにでもファイルを置けます。そこに Anonymous FTP のルート・ディレクトリ自体が含まれて
//! いれば、アドバイザリの `.forward` のアップロードが成功します（JPCERT-E-INF-97-0001）。
//!
//! ## 例
//! ```text
//! etc/vsftpd.conf:31: anon_upload_enable=YES
//! ```
//!
//! ## 対処
//! (2) `anon_upload_enable=NO`、`anon_mkdir_write_enable=NO`、`anon_other_write_enable=NO`
//! （または `anonymous_enable=NO`）を設定してください。匿名のアップロードが必要なら、root が
//! 所有する書き込み専用の `incoming` ディレクトリだけに許可してください。
//!
//! ## 参考
//! - vsftpd.conf(5)
//! - CERT Advisory CA-93:10 "Anonymous FTP configuration guidelines"

use super::{line_evidence, lines};
use crate::Context;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity};

/// FT008: vsftpd lets anonymous users write.
pub static RULE: Rule = Rule {
    code: "FT008",
    name: "vsftpd-anon-write",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "vsftpd lets anonymous users upload or create files",
    advice: "(2) Set anon_upload_enable=NO, anon_mkdir_write_enable=NO and \
             anon_other_write_enable=NO (or anonymous_enable=NO); take anonymous uploads only \
             into a write-only incoming directory owned by root.",
    status: RuleStatus::Stable,
    title_ja: "vsftpd が匿名の利用者にファイルのアップロードや作成を許している",
    advice_ja: "(2) anon_upload_enable=NO、anon_mkdir_write_enable=NO、\
             anon_other_write_enable=NO（または anonymous_enable=NO）を設定してください。匿名\
             のアップロードは root が所有する書き込み専用の incoming ディレクトリだけで受け付\
             けてください。",
    since: "0.1.0",
    source: include_str!("ft008_vsftpd.rs"),
};

/// Where vsftpd's configuration lives.
pub const VSFTPD_CONF: [&str; 2] = ["etc/vsftpd.conf", "etc/vsftpd/vsftpd.conf"];

/// One option as set in the file: value and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The value as written.
    pub value: String,
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line.
    pub offset: u64,
}

/// The last setting of `name` in a vsftpd configuration.
pub fn setting(bytes: &[u8], name: &str) -> Option<Setting> {
    let mut found = None;
    for (line, offset, raw) in lines(bytes) {
        let text = String::from_utf8_lossy(raw);
        let text = text.trim();
        if text.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = text.split_once('=')
            && key.trim() == name
        {
            found = Some(Setting {
                value: value.trim().to_string(),
                line,
                offset,
            });
        }
    }
    found
}

/// Whether a vsftpd boolean value is on (`YES`, `TRUE`, `1`, any case).
pub fn truthy(value: &str) -> bool {
    matches!(value.to_ascii_uppercase().as_str(), "YES" | "TRUE" | "1")
}

/// What a vsftpd configuration lets anonymous users do: the write options that are on
/// (with their settings), or nothing when anonymous users cannot write.
pub fn judge(bytes: &[u8]) -> Vec<(&'static str, Option<Setting>)> {
    let on = |name: &str, default: bool| setting(bytes, name).map_or(default, |s| truthy(&s.value));
    if !on("anonymous_enable", true) || !on("write_enable", false) {
        return Vec::new();
    }
    let writes: Vec<(&'static str, Option<Setting>)> = [
        "anon_upload_enable",
        "anon_mkdir_write_enable",
        "anon_other_write_enable",
    ]
    .into_iter()
    .filter(|name| on(name, false))
    .map(|name| (name, setting(bytes, name)))
    .collect();
    if writes.is_empty() {
        return Vec::new();
    }
    let mut all = vec![
        ("anonymous_enable", setting(bytes, "anonymous_enable")),
        ("write_enable", setting(bytes, "write_enable")),
    ];
    all.extend(writes);
    all
}

pub(crate) fn check(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rel in VSFTPD_CONF {
        let Some(bytes) = ctx.read_config(rel) else {
            continue;
        };
        let judged = judge(&bytes);
        if judged.is_empty() {
            continue;
        }
        let shown = ctx.root.display(rel);
        let writes: Vec<&str> = judged.iter().skip(2).map(|(name, _)| *name).collect();
        let anon_root = setting(&bytes, "anon_root").map(|s| s.value);
        let mut finding = ctx.finding(&RULE);
        let (options, options_ja) = (writes.join(", "), writes.join("、"));
        let (under, under_ja) = anon_root.map_or((String::new(), String::new()), |r| {
            (format!(" under {r}"), format!(" {r} 以下に"))
        });
        finding.set_title(kensa_core::tr!(
            "{shown}: anonymous users may write ({options}){under}",
            "{shown}: 匿名の利用者が{under_ja}書き込める（{options_ja}）"
        ));
        finding.subject.path = Some(shown.clone());
        finding.count = writes.len() as u64;
        let all: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
        for (name, set) in &judged {
            match set {
                Some(set) => {
                    let raw = all.get(set.line as usize - 1).copied().unwrap_or_default();
                    finding.push_evidence(line_evidence(&shown, set.line, set.offset, raw));
                }
                None => finding.push_evidence(crate::file_evidence(
                    &shown,
                    kensa_core::tr!(
                        "{name} not set: vsftpd's default (YES) applies",
                        "{name} が未設定: vsftpd の既定値（YES）が適用される"
                    ),
                )),
            }
        }
        finding.merge_key = shown;
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        judge(text.as_bytes()).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn options() {
        assert!(
            names("anonymous_enable=NO\nwrite_enable=YES\nanon_upload_enable=YES\n").is_empty()
        );
        assert!(names("anonymous_enable=YES\nanon_upload_enable=YES\n").is_empty());
        assert!(names("anonymous_enable=YES\nwrite_enable=YES\n").is_empty());
        assert_eq!(
            names("anonymous_enable=YES\nwrite_enable=YES\nanon_upload_enable=YES\n"),
            ["anonymous_enable", "write_enable", "anon_upload_enable"]
        );
        // Left out: anonymous_enable takes upstream's default, YES.
        assert_eq!(
            names("write_enable=yes\nanon_mkdir_write_enable=TRUE\n#anon_other_write_enable=NO\n"),
            [
                "anonymous_enable",
                "write_enable",
                "anon_mkdir_write_enable"
            ]
        );
        // The last setting wins; comments are not settings.
        assert!(
            names("write_enable=YES\nanon_upload_enable=YES\nanon_upload_enable=NO\n").is_empty()
        );
        assert!(names("#write_enable=YES\nanon_upload_enable=YES\n").is_empty());
    }
}
