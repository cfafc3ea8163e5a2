//! # FT012 anon-ftp-dotfile-upload-attempt
//!
//! ## What it finds
//! An anonymous FTP user who started the upload of `.forward`, `.rhosts` or another file
//! that makes the FTP account run commands or trust hosts (see FT011), where the server
//! logged the transfer as incomplete: completion `i` in `xferlog`, `FAIL UPLOAD:` in
//! vsftpd's log. Uploads into an `incoming` directory are not counted.
//!
//! ## Why it matters
//! Someone tried the anonymous FTP attack of JPCERT-E-INF-97-0001. An incomplete
//! transfer may still have left a partial file behind (wu-ftpd keeps what it received),
//! and the attacker will come back.
//!
//! ## Example
//! ```text
//! Sat Dec 28 03:12:09 1996 0 203.0.113.5 0 /home/ftp/.rhosts a _ i a guest@ ftp 0 * i
//! ```
//!
//! ## What to do
//! Check that the file does not exist in the anonymous FTP root, (2) make that root owned
//! by root and not writable (`chmod 555 ~ftp`) and upgrade wu-ftpd; block the source.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity"
//! <!-- ja -->
//! # FT012 anon-ftp-dotfile-upload-attempt
//!
//! ## 検出内容
//! `.forward`、`.rhosts` など、FTP アカウントにコマンドを実行させたりホストを信頼させたりする
//! ファイル（FT011 を参照）のアップロードを Anonymous FTP の利用者が始めたものの、サーバが
//! 転送を未完了と記録したものを検出します（`xferlog` の完了状態 `i`、vsftpd のログの
//! `FAIL UPLOAD:`）。`incoming` ディレクトリへのアップロードは数えません。
//!
//! ## 重要な理由
//! 誰かが JPCERT-E-INF-97-0001 の Anonymous FTP への攻撃を試みました。未完了の転送でも、
//! 途中までのファイルが残っていることがあり（wu-ftpd は受け取った分を残します）、攻撃者は
//! また来るでしょう。
//!
//! ## 例
//! ```text
//! Sat Dec 28 03:12:09 1996 0 203.0.113.5 0 /home/ftp/.rhosts a _ i a guest@ ftp 0 * i
//! ```
//!
//! ## 対処
//! Anonymous FTP のルート・ディレクトリにそのファイルがないことを確かめ、(2) ルート・
//! ディレクトリを root の所有にして書き込めないようにし（`chmod 555 ~ftp`）、wu-ftpd を
//! バージョンアップしてください。送信元を遮断してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (2)）
//! - CERT Advisory CA-93:10 "Anonymous FTP Activity"

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT012: an anonymous upload of a dot file, not completed.
pub static RULE: Rule = Rule {
    code: "FT012",
    name: "anon-ftp-dotfile-upload-attempt",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Anonymous FTP upload of .forward/.rhosts attempted (incomplete)",
    advice: "Check that the file is not in the anonymous FTP root; (2) make that root owned \
             by root and not writable (chmod 555 ~ftp) and upgrade wu-ftpd; block the source.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP で .forward/.rhosts のアップロードを試行（未完了）",
    advice_ja: "Anonymous FTP のルート・ディレクトリにそのファイルがないことを確かめてくださ\
             い。(2) ルート・ディレクトリを root の所有にして書き込めないようにし（chmod 555 \
             ~ftp）、wu-ftpd をバージョンアップし、送信元を遮断してください。",
    since: "0.1.0",
    source: include_str!("ft012_dotfile_upload_attempt.rs"),
};
