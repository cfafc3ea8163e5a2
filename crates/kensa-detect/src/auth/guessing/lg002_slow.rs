//! # LG002 password-guessing-slow
//!
//! ## What it finds
//! One source with `slow_failures` (default 10) or more failed logins that never made a
//! burst (LG001), spread over at least `slow_min_span_seconds` (default 300 s — below the
//! burst window, so that every run of ten failures is either a burst or this). In practice
//! it is a guesser who keeps under the per-minute thresholds of Wazuh, fail2ban and
//! sshd's `MaxStartups`: one try per connection, every few minutes, for hours or days.
//! Severity is medium, high from 100 failures.
//!
//! Not reported: failures that were forgiven as typos (a login followed soon), and a
//! source whose every failure was for one account that had logged in from there before —
//! a mail client polling with an old password, not a guesser.
//!
//! ## Why it matters
//! Slow guessing is chosen to stay below alarms; it gets as many tries over a holiday
//! week as a burst gets in minutes — the advisory's attacks were frequent "during the
//! year-end holidays", when nobody reads the logs.
//!
//! ## Example
//! ```text
//! Dec 30 23:53:21 shell2 sshd[2211]: Failed password for webmaster from 192.0.2.21 port 51234 ssh2
//! Dec 31 00:31:09 shell2 sshd[4410]: Failed password for sysadmin from 192.0.2.21 port 40218 ssh2
//! ... (one every 20–60 minutes until)
//! Jan  1 09:21:03 shell2 sshd[9342]: Failed password for sys from 192.0.2.21 port 33019 ssh2
//! ```
//!
//! ## What to do
//! As for LG001: (3) check the passwords of the accounts tried, (5) look for a login from
//! the source (LG005, wtmp), block it. Rate limits alone do not stop this guesser.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing
//! <!-- ja -->
//! # LG002 password-guessing-slow
//!
//! ## 検出内容
//! 集中した失敗（LG001）にはならなかったものの、`slow_failures` 回（既定 10 回）以上ログインに
//! 失敗し、それが少なくとも `slow_min_span_seconds`（既定 300 秒。集中の時間枠より短いので、
//! 10 回の失敗の連なりは必ず集中かこれかのどちらかになります）にわたる送信元を検出します。
//! 実際には、Wazuh、fail2ban、sshd の `MaxStartups` の毎分のしきい値を下回るように、接続ごとに
//! 1 回、数分おきに、何時間も何日も試し続ける類推者です。重大度は「中」、失敗が 100 回以上なら
//! 「高」です。
//!
//! 次のものは報告しません: 打ち間違いとして許された失敗（すぐ後にログインが続いたもの）、
//! およびすべての失敗が、以前にその送信元からログインしたことのある一つのアカウントに対する
//! ものである送信元（古いパスワードのまま問い合わせを続けるメールソフトであって、類推者では
//! ありません）。
//!
//! ## 重要な理由
//! 時間をかけた類推は、警報にかからないように選ばれた方法です。休暇の 1 週間で、集中した類推が
//! 数分で試すのと同じだけの回数を試せます。アドバイザリの攻撃が多発したのも、誰もログを読まない
//! 「年末年始休暇中」でした。
//!
//! ## 例
//! ```text
//! Dec 30 23:53:21 shell2 sshd[2211]: Failed password for webmaster from 192.0.2.21 port 51234 ssh2
//! Dec 31 00:31:09 shell2 sshd[4410]: Failed password for sysadmin from 192.0.2.21 port 40218 ssh2
//! ... (one every 20–60 minutes until)
//! Jan  1 09:21:03 shell2 sshd[9342]: Failed password for sys from 192.0.2.21 port 33019 ssh2
//! ```
//!
//! ## 対処
//! LG001 と同じです: (3) 試されたアカウントのパスワードを確かめ、(5) その送信元からのログインが
//! ないか調べ（LG005、wtmp）、送信元を遮断します。回数制限だけではこの類推者は止まりません。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing

use super::source_finding;
use super::state::SourceState;
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// From this many failures slow guessing is high severity.
const HIGH_FROM: u64 = 100;

/// LG002: failed logins from one source spread over hours or days.
pub static RULE: Rule = Rule {
    code: "LG002",
    name: "password-guessing-slow",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::Medium,
    title: "Slow password guessing from one source",
    advice: "(3) Make sure no account has a guessable password, starting with those tried; \
             (5) check whether the source logged in (LG005, wtmp). Block the source: rate \
             limits do not stop a guesser this slow.",
    status: RuleStatus::Stable,
    title_ja: "一つの送信元からの時間をかけたパスワード類推",
    advice_ja: "(3) 類推されやすいパスワードのアカウントがないことを、試されたアカウントから順\
             に確かめてください。(5) その送信元がログインしていないか調べてください（LG005、\
             wtmp）。送信元を遮断してください: これほど遅い類推は、回数制限では止まりません。",
    since: "0.1.0",
    source: include_str!("lg002_slow.rs"),
};

/// The finding for a slow guesser.
pub(crate) fn finding(state: &SourceState) -> Finding {
    let [
        (services_en, services_ja),
        (source_en, source_ja),
        (accounts_en, accounts_ja),
        (span_en, span_ja),
    ] = super::source_pieces(state);
    let failures = state.failures();
    let title = tr!(
        "Slow password guessing over {services_en} from {source_en}: {failures} failed logins \
         against {accounts_en} over {span_en}",
        "{source_ja} から {services_ja} での時間をかけたパスワード類推: {span_ja}にわたり\
         {accounts_ja}に対してログイン失敗 {failures} 回",
    );
    let mut finding = source_finding(&RULE, state, title, &[]);
    if state.failures() >= HIGH_FROM {
        finding.severity = Severity::High;
    }
    finding
}
