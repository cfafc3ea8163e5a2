//! # PR003 anonymous-ftp-login
//!
//! ## What it finds
//! An FTP server that accepts the user `anonymous` (with an e-mail address as password,
//! as anonymous FTP expects), and whether the anonymous user can list the root of its
//! area: `kensa probe` opens a passive data connection (`EPSV`, else `PASV`, always to
//! the server's own address) and reads the `LIST` of the login directory.
//!
//! ## Why it matters
//! Anonymous FTP was the second door of the JPCERT-E-INF-97-0001 attacks: a copy of the
//! password file under `~ftp/etc`, or a writable directory, was enough. An anonymous
//! area that nobody meant to offer is an exposure on its own.
//!
//! ## Example
//! ```text
//! ftp://192.0.2.21:21:3: 230 Login successful.
//! ```
//!
//! ## What to do
//! (2) If anonymous FTP is not a service you mean to offer, turn it off
//! (`anonymous_enable=NO` for vsftpd, no `ftp` account for wu-ftpd). If it is, keep
//! its area owned by root and read-only, with no real password file (`kensa audit`
//! checks that, FT001–FT010), and try `kensa probe --write-test`.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10 (anonymous FTP configuration)
//! <!-- ja -->
//! # PR003 anonymous-ftp-login
//!
//! ## 何を見つけるか
//! ユーザ `anonymous`（匿名 FTP の慣習どおりパスワードはメールアドレス）でログインできる
//! FTP サーバと、匿名ユーザがその領域の最上位を一覧できるかどうか。`kensa probe` は受動
//! モードのデータ接続（`EPSV`、だめなら `PASV`。接続先は常にサーバ自身のアドレス）を開き、
//! ログイン先ディレクトリの `LIST` を読みます。
//!
//! ## なぜ重要か
//! 匿名 FTP は JPCERT-E-INF-97-0001 の攻撃の二つ目の入口でした。`~ftp/etc` にあるパスワード
//! ファイルの写しや、書き込めるディレクトリがあれば十分でした。提供するつもりのない匿名
//! 領域は、それだけで露出です。
//!
//! ## 例
//! ```text
//! ftp://192.0.2.21:21:3: 230 Login successful.
//! ```
//!
//! ## どうするか
//! (2) 匿名 FTP を提供するつもりがなければ止めてください（vsftpd なら
//! `anonymous_enable=NO`、wu-ftpd なら `ftp` アカウントを置かない）。提供するなら、領域は
//! root 所有で読み出し専用にし、本物のパスワードファイルを置かないでください（`kensa
//! audit` の FT001〜FT010 が確かめます）。`kensa probe --write-test` も試してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 2）
//! - CERT Advisory CA-93:10（匿名 FTP の設定）

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// PR003: the FTP server lets `anonymous` log in.
pub static RULE: Rule = Rule {
    code: "PR003",
    name: "anonymous-ftp-login",
    kind: Kind::AnonFtpAccess,
    outcome: Outcome::Exposure,
    severity: Severity::Low,
    title: "Anonymous FTP login accepted",
    advice: "(2) Turn anonymous FTP off unless you mean to offer it; if you do, keep its \
             area owned by root and read-only (kensa audit checks it) and try kensa probe \
             --write-test.",
    title_ja: "匿名 FTP でログインできる",
    advice_ja: "(2) 提供するつもりがなければ匿名 FTP を止めてください。提供するなら領域を \
                root 所有の読み出し専用にし（kensa audit が確かめます）、kensa probe \
                --write-test も試してください。",
    status: RuleStatus::Preview,
    since: "0.1.0",
    source: include_str!("pr003_anonymous_ftp_login.rs"),
};
