//! # LG004 password-spraying
//!
//! ## What it finds
//! One source failing for `spray_accounts` (default 5) or more different accounts, with
//! its first and last failure at most `spray_window_seconds` (default a day) apart, when
//! it is neither a burst (LG001) nor slow guessing (LG002): a few tries — often one
//! common password — against each of many accounts, too few per account and per minute
//! for the other rules.
//!
//! ## Why it matters
//! Spraying bets that among many users one chose `password` or the account name. It
//! stays below per-account lockouts and per-address rates; the list of accounts tried
//! also tells which names the attacker knew (from `finger`, `EXPN`, a stolen
//! `/etc/passwd`).
//!
//! ## Example
//! ```text
//! Jan  5 10:00:01 pop ipop3d[3001]: Login failed user=tanaka auth=tanaka host=x.example.net [192.0.2.9]
//! Jan  5 10:04:40 pop ipop3d[3011]: Login failed user=suzuki auth=suzuki host=x.example.net [192.0.2.9]
//! Jan  5 10:09:12 pop ipop3d[3020]: Login failed user=sato auth=sato host=x.example.net [192.0.2.9]
//! ... (five or more accounts)
//! ```
//!
//! ## What to do
//! (3) Check the passwords of every account listed; (5) look for logins from the source
//! (LG005, wtmp). If the account names are not public, find out where the attacker got
//! them (the advisory's sendmail attack mails `/etc/passwd` out).
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.003 Brute Force: Password Spraying
//! <!-- ja -->
//! # LG004 password-spraying
//!
//! ## 検出内容
//! 一つの送信元が `spray_accounts` 個（既定 5 個）以上の異なるアカウントでログインに失敗し、
//! 最初と最後の失敗の間隔が `spray_window_seconds`（既定 1 日）以内で、集中した類推（LG001）
//! でも時間をかけた類推（LG002）でもないものを検出します。多数のアカウントのそれぞれに対し、
//! 少数の試行（よくあるパスワード一つであることが多い）を行うもので、アカウントごと、毎分ごとの
//! 回数は他の規則にかかるには少なすぎます。
//!
//! ## 重要な理由
//! パスワードスプレーは、多数の利用者の中に `password` やアカウント名をパスワードにした人が
//! いることに賭けます。アカウントごとのロックアウトやアドレスごとの回数制限を下回ります。
//! 試されたアカウントの一覧からは、攻撃者がどの名前を知っていたか（`finger`、`EXPN`、盗まれた
//! `/etc/passwd` から）もわかります。
//!
//! ## 例
//! ```text
//! Jan  5 10:00:01 pop ipop3d[3001]: Login failed user=tanaka auth=tanaka host=x.example.net [192.0.2.9]
//! Jan  5 10:04:40 pop ipop3d[3011]: Login failed user=suzuki auth=suzuki host=x.example.net [192.0.2.9]
//! Jan  5 10:09:12 pop ipop3d[3020]: Login failed user=sato auth=sato host=x.example.net [192.0.2.9]
//! ... (five or more accounts)
//! ```
//!
//! ## 対処
//! (3) 一覧のすべてのアカウントのパスワードを確かめてください。(5) その送信元からのログインが
//! ないか調べてください（LG005、wtmp）。アカウント名が公開されていないものなら、攻撃者がどこで
//! それを入手したかを突き止めてください（アドバイザリの sendmail への攻撃は `/etc/passwd` を
//! メールで外部に送り出します）。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.003 Brute Force: Password Spraying

use super::source_finding;
use super::state::SourceState;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// LG004: one source, many accounts, few tries each.
pub static RULE: Rule = Rule {
    code: "LG004",
    name: "password-spraying",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Password spraying: one source tried many accounts",
    advice: "(3) Check the passwords of every account tried; (5) look for logins from the \
             source (LG005, wtmp); find out how the attacker learned the account names.",
    status: RuleStatus::Stable,
    title_ja: "パスワードスプレー: 一つの送信元が多数のアカウントを試行",
    advice_ja: "(3) 試されたすべてのアカウントのパスワードを確かめてください。(5) その送信元か\
             らのログインがないか調べてください（LG005、wtmp）。攻撃者がアカウント名をどうやっ\
             て知ったのかを突き止めてください。",
    since: "0.1.0",
    source: include_str!("lg004_spraying.rs"),
};

/// The finding for a sprayer.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let [
        (services_en, services_ja),
        (source_en, source_ja),
        (accounts_en, accounts_ja),
        (span_en, span_ja),
    ] = super::source_pieces(state);
    let failures = state.failures();
    let title = tr!(
        "Password spraying over {services_en} from {source_en}: {accounts_en} tried, \
         {failures} failed logins in {span_en}",
        "{source_ja} から {services_ja} でのパスワードスプレー: {span_ja}の間に{accounts_ja}\
         を試行し、ログイン失敗 {failures} 回",
    );
    source_finding(&RULE, state, title, &[])
}
