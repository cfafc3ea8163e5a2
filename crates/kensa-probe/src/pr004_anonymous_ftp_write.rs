//! # PR004 anonymous-ftp-write
//!
//! ## What it finds
//! An anonymous FTP area where the anonymous user can store files — found only with
//! `kensa probe --write-test`, which does exactly this and nothing more: in the login
//! directory and in each directory its listing shows, `STOR` an empty file with a unique
//! name (`kensa-probe-<time>-<pid>-<n>.tmp`) and `DELE` it at once. Every directory where
//! the store succeeded is evidence; a file the server then refused to delete is named in
//! the finding, so you can remove it.
//!
//! ## Why it matters
//! A writable anonymous FTP area is how the JPCERT-E-INF-97-0001 intruders planted
//! `.forward` and `.rhosts` files, and how warez and malware depots are born. Anyone on
//! the network can do what kensa just did.
//!
//! ## Example
//! ```text
//! ftp://192.0.2.21:21:9: STOR kensa-probe-1764122400-4242-1.tmp: 226 Transfer complete.
//! ```
//!
//! ## What to do
//! (2) Make the anonymous area read-only: owned by root, not writable by the ftp user
//! (vsftpd: `anon_upload_enable=NO`, `write_enable=NO`; wu-ftpd: `upload ... no` in
//! `ftpaccess`). If uploads are needed, use one write-only `incoming` directory whose
//! files cannot be listed or fetched. Remove any file kensa reports it could not
//! delete, and look for what others uploaded (`kensa scan` reads the xferlog).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10; CERT "Anonymous FTP Abuses" (1997)
//! <!-- ja -->
//! # PR004 anonymous-ftp-write
//!
//! ## 何を見つけるか
//! 匿名ユーザがファイルを置ける匿名 FTP 領域。`kensa probe --write-test` を付けたときだけ
//! 調べ、行うのは次のことだけです。ログイン先ディレクトリと、その一覧に出る各ディレクトリ
//! に、一意な名前（`kensa-probe-<時刻>-<pid>-<n>.tmp`）の空ファイルを `STOR` し、すぐに
//! `DELE` します。置けたディレクトリがそれぞれ証拠になり、サーバが削除を拒んだファイルは
//! 所見に名前が載るので、消してください。
//!
//! ## なぜ重要か
//! 書き込める匿名 FTP 領域は、JPCERT-E-INF-97-0001 の侵入者が `.forward` や `.rhosts` を
//! 仕掛けた手口であり、不正ソフトの置き場が生まれる場所です。kensa がしたことは、
//! ネットワーク上の誰にでもできます。
//!
//! ## 例
//! ```text
//! ftp://192.0.2.21:21:9: STOR kensa-probe-1764122400-4242-1.tmp: 226 Transfer complete.
//! ```
//!
//! ## どうするか
//! (2) 匿名領域を読み出し専用にしてください。root 所有にし、ftp ユーザが書けないように
//! します（vsftpd は `anon_upload_enable=NO`、`write_enable=NO`、wu-ftpd は `ftpaccess` の
//! `upload ... no`）。アップロードが必要なら、一覧も取得もできない書き込み専用の `incoming`
//! ディレクトリを一つだけ置いてください。kensa が削除できなかったと報告したファイルは
//! 消し、他人が置いたものも探してください（`kensa scan` が xferlog を読みます）。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 2）
//! - CERT Advisory CA-93:10; CERT "Anonymous FTP Abuses" (1997)

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR004: anonymous FTP users can store files.
pub static RULE: Rule = Rule {
    code: "PR004",
    name: "anonymous-ftp-write",
    kind: Kind::AnonFtpWrite,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Anonymous FTP users can store files",
    advice: "(2) Make the anonymous FTP area read-only (owned by root, not writable by the \
             ftp user); keep at most one write-only incoming directory. Remove any test \
             file kensa could not delete, and look for files others uploaded.",
    title_ja: "匿名 FTP ユーザがファイルを置ける",
    advice_ja: "(2) 匿名 FTP 領域を読み出し専用（root 所有、ftp ユーザは書けない）にし、\
                書き込み専用の incoming ディレクトリは多くとも一つにしてください。kensa が\
                削除できなかった試験ファイルは消し、他人が置いたファイルも探してください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr004_anonymous_ftp_write.rs"),
};
