//! # PW001 guessable-password
//!
//! ## What it finds
//! Accounts whose password kensa guessed from its hash, and to which class of guess it
//! fell: empty, the user name, a variant of it (reversed, doubled, capitalised, with
//! digits or a year, leet), a word of the GECOS field, the host name, a word of the
//! site, a common password, or a dictionary word (as written or lightly changed). One
//! finding per account. The password itself is shown only with `--show-passwords`.
//! Accounts that could not be tested to the end (time budget spent, scheme not
//! supported) are listed as notes in the report's diagnostics, with how far each was
//! tested: not guessed is not the same as not guessable.
//!
//! ## Why it matters
//! These are the passwords that the TELNET and FTP guessers of the 1996/97 holidays got
//! in with, and that today's SSH bots try first: the guesser needs no copy of the hash,
//! only the login prompt. A cracker with a copy of the file (the advisory's sendmail
//! attack mailed `/etc/passwd` out) finds them in seconds.
//!
//! ## Example
//! ```text
//! PW001 high  Guessable password: tanaka (password = user name, SHA-512)
//!   etc/shadow:12: tanaka:<SHA-512 hash>:19000:0:99999:7:::
//! ```
//!
//! ## What to do
//! (3) Have the user change the password at once to one that is not easy to guess (not
//! derived from their name, the host or a word), or lock the account until they do;
//! check the login records (`kensa scan`) for logins to it you cannot explain. Enforce a
//! password policy (pam_pwquality / passwdqc) so the next one is not guessable either.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01, countermeasure (3)
//! - Alec Muffett, Crack; Solar Designer, John the Ripper ("single crack" mode)
//! - NIST SP 800-63B §5.1.1.2 (check new passwords against common and context words)
//! <!-- ja -->
//! # PW001 guessable-password
//!
//! ## 検出するもの
//! kensa がハッシュから推測できたパスワードを持つアカウントと、その推測の種類:空、
//! ユーザ名、その変形(逆順・二度書き・大文字化・数字や年の付加・leet)、GECOS 欄の語、
//! ホスト名、サイトの語、よく使われるパスワード、辞書の単語(そのまま、または少し変えた
//! もの)。アカウントごとに 1 件。パスワードそのものは `--show-passwords` を付けた時だけ
//! 表示します。最後まで試せなかったアカウント(時間予算切れ、未対応の方式)は、どこまで
//! 試したかとともに診断として報告します。推測できなかったことは、推測できないことを
//! 意味しません。
//!
//! ## なぜ重要か
//! 1996/97 年の年末年始に TELNET や FTP のパスワード推測で侵入に使われたのも、今日の
//! SSH ボットが最初に試すのも、この種のパスワードです。推測する側にハッシュの写しは
//! 要らず、ログインプロンプトだけで足ります。ファイルの写し(勧告の sendmail 攻撃は
//! `/etc/passwd` を外部に送らせました)があれば数秒で見つかります。
//!
//! ## 例
//! ```text
//! PW001 high  Guessable password: tanaka (password = user name, SHA-512)
//!   etc/shadow:12: tanaka:<SHA-512 hash>:19000:0:99999:7:::
//! ```
//!
//! ## 対処
//! (3) 利用者にただちに推測されにくいパスワード(氏名・ホスト名・単語から作らないもの)
//! へ変更させるか、変更するまでアカウントをロックしてください。ログイン記録
//! (`kensa scan`)で説明のつかないログインがないか確認してください。パスワードポリシー
//! (pam_pwquality / passwdqc)を強制し、次のパスワードも推測されないようにします。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 対策 (3)
//! - Alec Muffett, Crack; Solar Designer, John the Ripper(single crack モード)
//! - NIST SP 800-63B 5.1.1.2(よく使われる語・文脈の語との照合)

use crate::accounts::Account;
use crate::candidates::GuessClass;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// PW001: a password kensa guessed.
pub static RULE: Rule = Rule {
    code: "PW001",
    name: "guessable-password",
    kind: Kind::GuessablePassword,
    outcome: Outcome::Exposure,
    severity: Severity::High,
    title: "Guessable password",
    advice: "(3) Have the user change this password now to one not easy to guess (not from \
             their name, the host or a word), or lock the account until they do; check the \
             login records for logins you cannot explain; enforce a password policy \
             (pam_pwquality, passwdqc).",
    title_ja: "推測できるパスワード",
    advice_ja: "(3) 利用者にただちに推測されにくいパスワード(氏名・ホスト名・単語から作らない\
                もの)へ変更させるか、変更までアカウントをロックしてください。説明のつかない\
                ログインがないかログイン記録を確認し、パスワードポリシー(pam_pwquality、\
                passwdqc)を強制してください。",
    status: RuleStatus::Stable,
    since: "0.1.0",
    source: include_str!("pw001_guessable_password.rs"),
};

/// The finding for `account`, guessed with `password` of `class` under `scheme` (its
/// label in English and Japanese). The password appears in the title only when
/// `show_password` is set. The Japanese puts the name after `: `, not against a
/// full-width bracket, where `--mask` would not see it as a word.
pub fn finding(
    host: &str,
    account: &Account,
    (scheme, scheme_ja): (&str, &str),
    class: GuessClass,
    password: &[u8],
    show_password: bool,
) -> Finding {
    let mut finding = Finding::new(&RULE, host);
    let (name, how, how_ja) = (&account.name, class.describe(), class.describe_ja());
    let shown = if show_password {
        format!(": {:?}", String::from_utf8_lossy(password).as_ref())
    } else {
        String::new()
    };
    finding.set_title(tr!(
        "Guessable password: {name} ({how}, {scheme}){shown}",
        "推測できるパスワード（{how_ja}、{scheme_ja}）: {name}{shown}"
    ));
    finding.subject.users = vec![account.name.clone()];
    finding.subject.path = Some(account.file.clone());
    finding.count = 1;
    finding.merge_key = format!("{}:{}:{}", account.file, account.line, account.name);
    finding.push_evidence(account.evidence.clone());
    finding
}
