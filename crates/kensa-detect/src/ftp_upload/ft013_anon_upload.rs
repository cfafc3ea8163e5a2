//! # FT013 anon-ftp-upload
//!
//! ## What it finds
//! Anonymous FTP uploads (xferlog direction `i`, access mode `a`; vsftpd `[ftp] OK
//! UPLOAD:`) of ordinary files outside any `incoming` directory, grouped by host and
//! source address.
//!
//! ## Why it matters
//! A site that means to accept anonymous files gives them a write-only `incoming`
//! directory. An anonymous upload anywhere else shows that part of the anonymous area is
//! writable: the hole JPCERT-E-INF-97-0001 warns about, and the way the area becomes a
//! drop box for other people's files (CERT CA-93:10).
//!
//! ## Example
//! ```text
//! Sat Dec 28 03:12:09 1996 2 203.0.113.5 40960 /home/ftp/pub/0day.tar b _ i a x@ ftp 0 * c
//! ```
//!
//! ## What to do
//! (2) Make the anonymous FTP root and every directory under it except a write-only
//! `incoming` (mode 1733, owned by root) not writable by the ftp user; look at what was
//! uploaded.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity"
//! <!-- ja -->
//! # FT013 anon-ftp-upload
//!
//! ## 検出内容
//! `incoming` ディレクトリの外への、通常のファイルの Anonymous FTP のアップロード（xferlog の
//! 方向 `i`、アクセスモード `a`。vsftpd の `[ftp] OK UPLOAD:`）を、ホストと送信元アドレスごとに
//! まとめて検出します。
//!
//! ## 重要な理由
//! 匿名のファイルを受け付けるつもりのサイトは、書き込み専用の `incoming` ディレクトリを用意
//! します。それ以外の場所への匿名のアップロードは、匿名領域の一部が書き込み可能であることを
//! 示します。これは JPCERT-E-INF-97-0001 が警告するセキュリティホールであり、領域が他人の
//! ファイルの置き場にされる原因でもあります（CERT CA-93:10）。
//!
//! ## 例
//! ```text
//! Sat Dec 28 03:12:09 1996 2 203.0.113.5 40960 /home/ftp/pub/0day.tar b _ i a x@ ftp 0 * c
//! ```
//!
//! ## 対処
//! (2) Anonymous FTP のルート・ディレクトリと、その下の、書き込み専用の `incoming`（モード
//! 1733、root の所有）以外のすべてのディレクトリを、ftp 利用者が書き込めないようにしてください。
//! アップロードされたものを確認してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (2)）
//! - CERT Advisory CA-93:10 "Anonymous FTP Activity"

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT013: anonymous uploads outside `incoming`.
pub static RULE: Rule = Rule {
    code: "FT013",
    name: "anon-ftp-upload",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Indicator,
    severity: Severity::Medium,
    title: "Anonymous FTP upload outside an incoming directory",
    advice: "(2) Make the anonymous FTP area not writable except a write-only incoming \
             directory (mode 1733, owned by root); look at what was uploaded.",
    status: RuleStatus::Stable,
    title_ja: "incoming ディレクトリ以外への Anonymous FTP のアップロード",
    advice_ja: "(2) Anonymous FTP の領域を、書き込み専用の incoming ディレクトリ（モード \
             1733、root の所有）を除いて書き込めないようにしてください。アップロードされたもの\
             を確認してください。",
    since: "0.1.0",
    source: include_str!("ft013_anon_upload.rs"),
};
