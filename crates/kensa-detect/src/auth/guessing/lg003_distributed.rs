//! # LG003 password-guessing-distributed
//!
//! ## What it finds
//! One account that `distributed_sources` (default 10) different sources failed to log
//! in as within `distributed_window_seconds` (default a day), counting only sources that
//! no other rule reports on their own (each below the burst, slow and spraying
//! thresholds), from outside the trusted networks. The subject is the account; the
//! sources are counted in the title. su is left out (the local users who ran it are not
//! a botnet).
//!
//! ## Why it matters
//! A guesser with many addresses (dial-up pools, compromised hosts, a botnet) spreads its
//! tries so that each address makes one or two: every per-source rule stays silent, yet
//! the account is under attack. Look at the account, not the sources.
//!
//! ## Example
//! ```text
//! Dec 22 17:04:31 shell2 sshd[12215]: Failed password for root from 198.19.0.19 port 1297 ssh2
//! Dec 22 17:20:02 shell2 sshd[20734]: Failed password for root from 198.19.0.20 port 24832 ssh2
//! Dec 22 18:03:44 shell2 sshd[3815]: Failed password for root from 198.19.0.9 port 44718 ssh2
//! ... (ten or more sources within a day)
//! ```
//!
//! ## What to do
//! (3) Give the account a password that is not easy to guess, or disable password logins
//! for it; (5) check its logins since the attack began (LG005 reports one from a new
//! address). Blocking addresses does not help against this attacker.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing
//! <!-- ja -->
//! # LG003 password-guessing-distributed
//!
//! ## 検出内容
//! `distributed_window_seconds`（既定 1 日）以内に、`distributed_sources` 個（既定 10 個）の
//! 異なる送信元がログインに失敗した一つのアカウントを検出します。数えるのは、他の規則が単独では
//! 報告しない送信元（それぞれが集中、時間をかけた類推、パスワードスプレーのしきい値を下回る
//! もの）で、信頼するネットワークの外からのものに限ります。検出の対象はアカウントで、送信元の数は
//! 題名に示します。su は対象外です（su を実行したローカル利用者はボットネットではありません）。
//!
//! ## 重要な理由
//! 多数のアドレス（ダイヤルアップのアドレスプール、侵入済みのホスト、ボットネット）を持つ
//! 類推者は、試行を分散させて一つのアドレスからは 1〜2 回しか試しません。送信元ごとの規則は
//! どれも反応しませんが、アカウントは攻撃を受けています。送信元ではなくアカウントに注目して
//! ください。
//!
//! ## 例
//! ```text
//! Dec 22 17:04:31 shell2 sshd[12215]: Failed password for root from 198.19.0.19 port 1297 ssh2
//! Dec 22 17:20:02 shell2 sshd[20734]: Failed password for root from 198.19.0.20 port 24832 ssh2
//! Dec 22 18:03:44 shell2 sshd[3815]: Failed password for root from 198.19.0.9 port 44718 ssh2
//! ... (ten or more sources within a day)
//! ```
//!
//! ## 対処
//! (3) そのアカウントに容易に類推されないパスワードを設定するか、パスワードによるログインを
//! 禁止してください。(5) 攻撃が始まってからのそのアカウントのログインを調べてください
//! （新しいアドレスからのログインは LG005 が報告します）。この攻撃者にはアドレスの遮断は
//! 効きません。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01
//! - MITRE ATT&CK T1110.001 Brute Force: Password Guessing

use super::state::{AccountState, seconds_between};
use super::{GuessingConfig, services_text, source_text, span_text};
use kensa_core::{Finding, Kind, Localized, Outcome, Rule, RuleStatus, Severity, tr};

/// Sources named in the title.
const NAMED_SOURCES: usize = 3;

/// LG003: many sources, each with few failures, against one account.
pub static RULE: Rule = Rule {
    code: "LG003",
    name: "password-guessing-distributed",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Attempted,
    severity: Severity::High,
    title: "Distributed password guessing against one account",
    advice: "(3) Give the account a password that is not easy to guess or disable password \
             logins for it; (5) check its logins since the attack began (LG005). Blocking \
             single addresses does not stop this attacker.",
    status: RuleStatus::Stable,
    title_ja: "一つのアカウントに対する多数の送信元からのパスワード類推",
    advice_ja: "(3) そのアカウントに容易に類推されないパスワードを設定するか、パスワードによる\
             ログインを禁止してください。(5) 攻撃が始まってからのそのアカウントのログインを調\
             べてください（LG005）。個々のアドレスを遮断しても、この攻撃者は止まりません。",
    since: "0.1.0",
    source: include_str!("lg003_distributed.rs"),
};

/// The finding for an account guessed at from many sources, and which of the account's
/// sources took part; `None` below the threshold. `reported[i]` says whether source `i`
/// of the account is reported on its own.
pub(crate) fn finding(
    account: &AccountState,
    config: &GuessingConfig,
    reported: &[bool],
) -> Option<(Finding, Vec<bool>)> {
    let eligible: Vec<bool> = account
        .sources
        .iter()
        .zip(reported)
        .map(|(entry, reported)| {
            !reported
                && entry.failures > 0
                && entry.first.is_some()
                && !entry.source.starts_with("local:")
                && !config.is_trusted(&entry.source)
        })
        .collect();
    let mut times: Vec<i64> = account
        .sources
        .iter()
        .zip(&eligible)
        .filter(|(_, e)| **e)
        .filter_map(|(entry, _)| entry.first.map(|t| t.epoch_seconds()))
        .collect();
    times.sort_unstable();
    let window = i64::try_from(config.distributed_window_seconds).unwrap_or(i64::MAX);
    let mut best = 0usize;
    let mut start = 0usize;
    for (end, t) in times.iter().enumerate() {
        while times
            .get(start)
            .is_some_and(|s| t.saturating_sub(*s) > window)
        {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    if best < config.distributed_sources.max(2) as usize {
        return None;
    }
    let participants: Vec<_> = account
        .sources
        .iter()
        .zip(&eligible)
        .filter(|(_, e)| **e)
        .map(|(entry, _)| entry)
        .collect();
    let failures: u64 = participants.iter().map(|e| e.failures).sum();
    let first = participants.iter().filter_map(|e| e.first).min();
    let last = participants.iter().filter_map(|e| e.last).max();
    let named: Vec<Localized> = participants
        .iter()
        .take(NAMED_SOURCES)
        .map(|e| source_text(&e.source))
        .collect();
    let ellipsis = if participants.len() > NAMED_SOURCES {
        tr!(", ...", "、…")
    } else {
        Localized::default()
    };
    let named_en = named
        .iter()
        .map(|n| n.en.as_str())
        .collect::<Vec<_>>()
        .join(", ")
        + &ellipsis.en;
    let named_ja = named
        .iter()
        .map(|n| n.ja.as_str())
        .collect::<Vec<_>>()
        .join("、")
        + &ellipsis.ja;
    let dropped = account.sources_dropped;
    let (more_en, more_ja) = kensa_core::Localized::into_parts(if dropped > 0 {
        tr!(
            " (and {dropped} failures from sources not itemised)",
            "（ほかに、個別に記録していない送信元からの失敗 {dropped} 回）"
        )
    } else {
        Localized::default()
    });
    let (services_en, services_ja) =
        kensa_core::Localized::into_parts(services_text(&account.services));
    let (span_en, span_ja) =
        kensa_core::Localized::into_parts(span_text(seconds_between(first, last)));
    let user = &account.user;
    let sources = participants.len();
    let mut finding = Finding::new(&RULE, account.host.as_ref());
    finding.set_title(tr!(
        "Distributed password guessing over {services_en} against {user}: {failures} failed \
         logins from {sources} sources in {span_en} ({named_en}){more_en}",
        "{services_ja} でのアカウント {user} に対する分散パスワード類推: {span_ja}の間に \
         {sources} 件の送信元からログイン失敗 {failures} 回（{named_ja}）{more_ja}",
    ));
    finding.subject.users = vec![account.user.to_string()];
    finding.count = failures;
    finding.first_seen = first;
    finding.last_seen = last;
    for line in account.first_lines.iter().chain(account.last_lines.iter()) {
        finding.push_evidence(line.clone());
    }
    finding.merge_key = format!("{}|{}|{}", RULE.code, account.host, account.user);
    Some((finding, eligible))
}
