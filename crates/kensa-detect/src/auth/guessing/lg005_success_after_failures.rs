//! # LG005 login-after-password-guessing
//!
//! ## What it finds
//! A login that followed password guessing — the guessed password probably worked:
//!
//! - **Same source.** A source failed and then logged in (`Accepted password`, `LOGIN
//!   ON ... FROM`, `FTP LOGIN FROM`, `Login user=`, a successful su): when it had been
//!   reported as a guesser (LG001, LG002, LG004), any of its logins after its first
//!   failure and within `success_window_seconds` (an hour) of its last; otherwise when
//!   more than `typo_max_failures` (2) failures came since its previous login.
//! - **Same account, another source.** An account that reported guessers (LG001–LG004)
//!   tried logs in, within `success_window_seconds` of the last guess, from an address
//!   that had never logged in to the host — as anyone — before the guessing began: the
//!   password found by one address, used from another. su logins do not count here, nor
//!   do the usual workstations of the site.
//!
//! **Not an attack:** a user's one or two typos followed by a login from an address
//! they had logged in from before, or within `typo_seconds` (120) of the typo.
//!
//! ## Why it matters
//! This is the advisory's step 5: "the stolen or guessed passwords may already have been
//! used to log in". The account is probably in the attacker's hands; the host's verdict
//! is *compromised*.
//!
//! ## Example
//! ```text
//! Jan  3 09:31:00 pop ipop3d[13526]: Login failed user=dfukuda auth=dfukuda host=shell18.hacker.example.org [192.0.2.92]
//! ... (11 more failures)
//! Jan  3 09:31:42 pop ipop3d[15219]: Login user=dfukuda host=shell18.hacker.example.org [192.0.2.92] nmsgs=7/7
//! ```
//!
//! ## What to do
//! Treat the account — and, for root or an account that can become root, the host — as
//! compromised: disable the account, (3) change its password and every password it
//! shares, (5) read what the session did (wtmp, shell history, xferlog downloads such as
//! `/etc/passwd`) and, where an intrusion cannot be ruled out, rebuild the system.
//!
//! ## References
//! - JPCERT/CC JPCERT-E-INF-97-0001-01 (countermeasures 3 and 5)
//! - Wazuh ruleset 0280-attack_rules.xml (40112: authentication failures followed by a success)
//! - MITRE ATT&CK T1110 Brute Force, T1078 Valid Accounts
//! <!-- ja -->
//! # LG005 login-after-password-guessing
//!
//! ## 検出内容
//! パスワード類推の後に続いたログインです。類推されたパスワードがおそらく通っています:
//!
//! - **同じ送信元。** ある送信元が失敗した後にログインした場合（`Accepted password`、`LOGIN
//!   ON ... FROM`、`FTP LOGIN FROM`、`Login user=`、成功した su）。その送信元が類推者として
//!   報告されていれば（LG001、LG002、LG004）、最初の失敗以降で最後の失敗から
//!   `success_window_seconds`（1 時間）以内のどのログインも対象です。そうでなければ、前回の
//!   ログイン以降に `typo_max_failures`（2 回）を超える失敗があった場合が対象です。
//! - **同じアカウント、別の送信元。** 類推者（LG001〜LG004）が試したアカウントが、最後の類推から
//!   `success_window_seconds` 以内に、類推が始まる前には（誰としても）一度もこのホストに
//!   ログインしたことのないアドレスからログインした場合。あるアドレスで見つけたパスワードを
//!   別のアドレスから使ったものです。ここでは su によるログインや、サイトで普段使われている
//!   端末からのログインは数えません。
//!
//! **攻撃ではないもの:** 利用者が 1〜2 回打ち間違えた後、以前にログインしたことのあるアドレスから、
//! または打ち間違いから `typo_seconds`（120 秒）以内にログインしたもの。
//!
//! ## 重要な理由
//! これはアドバイザリの対策 (5) の「入手したパスワードを用いて、TELNET や FTP などでシステムに
//! 侵入されている可能性」そのものです。アカウントはおそらく攻撃者の手にあり、ホストの判定は
//! *侵害あり* になります。
//!
//! ## 例
//! ```text
//! Jan  3 09:31:00 pop ipop3d[13526]: Login failed user=dfukuda auth=dfukuda host=shell18.hacker.example.org [192.0.2.92]
//! ... (11 more failures)
//! Jan  3 09:31:42 pop ipop3d[15219]: Login user=dfukuda host=shell18.hacker.example.org [192.0.2.92] nmsgs=7/7
//! ```
//!
//! ## 対処
//! アカウントを、そして root または root になれるアカウントならホストも、侵害されたものとして
//! 扱ってください: アカウントを停止し、(3) そのパスワードと、それと同じパスワードをすべて
//! 変更し、(5) そのセッションが何をしたか（wtmp、シェルの履歴、`/etc/passwd` などの xferlog の
//! ダウンロード）を調べ、不正侵入の可能性が否定できない場合にはシステムを再構築してください。
//!
//! ## 参考
//! - JPCERT/CC JPCERT-E-INF-97-0001-01（対策 (3) と (5)）
//! - Wazuh ruleset 0280-attack_rules.xml（40112: 認証失敗の後の成功）
//! - MITRE ATT&CK T1110 Brute Force, T1078 Valid Accounts

use super::state::{AccountState, SourceState, SuccessRecord, seconds_between};
use super::{GuessingConfig, Pattern, services_text, source_text};
use kensa_core::{Finding, Kind, Outcome, Rule, RuleStatus, Severity, tr};

/// LG005: a login that followed password guessing.
pub static RULE: Rule = Rule {
    code: "LG005",
    name: "login-after-password-guessing",
    kind: Kind::PasswordGuessing,
    outcome: Outcome::Succeeded,
    severity: Severity::Critical,
    title: "Login after password guessing: the account is probably compromised",
    advice: "Treat the account as compromised: disable it, (3) change its password and any \
             password it shares, (5) check what the session did and, where an intrusion \
             cannot be ruled out, rebuild the system.",
    status: RuleStatus::Stable,
    title_ja: "パスワード類推の後のログイン: アカウントはおそらく侵害されています",
    advice_ja: "アカウントは侵害されたものとして扱ってください: アカウントを停止し、(3) そのパ\
             スワードと、同じパスワードを使っている他のアカウントのパスワードを変更し、(5) そ\
             のセッションが何をしたかを調べ、不正侵入の可能性が否定できない場合はシステムを再\
             構築してください。",
    since: "0.1.0",
    source: include_str!("lg005_success_after_failures.rs"),
};

/// Whether one login of a source counts as a login after guessing.
fn qualifies(
    record: &SuccessRecord,
    state: &SourceState,
    config: &GuessingConfig,
    guesser: bool,
    trusted: bool,
) -> bool {
    let window = i64::try_from(config.success_window_seconds).unwrap_or(i64::MAX);
    if guesser {
        // Any login after the guessing began and not long after it ended — also one read
        // from another file than the failures (their counts are then not in the record).
        let (Some(time), Some(first)) = (record.time, state.first_failure()) else {
            return record.failures_before > 0;
        };
        return record.failures_before > 0
            || (time > first && seconds_between(state.last_failure(), record.time) <= window);
    }
    if record.failures_before == 0 {
        return false;
    }
    let max_typos = u64::from(config.typo_max_failures);
    if record.is_typo(config) {
        return false;
    }
    if trusted {
        return config.report_trusted_compromise && record.failures_before > max_typos;
    }
    true
}

/// LG005 for a source that failed and then logged in. `pattern` is what the attempt
/// rules made of the source (`None` for trusted sources).
pub(crate) fn same_source(
    state: &SourceState,
    config: &GuessingConfig,
    pattern: Option<Pattern>,
) -> Option<Finding> {
    let trusted = !state.is_local() && config.is_trusted(&state.source);
    let guesser = pattern.is_some();
    let mut hits: Vec<&SuccessRecord> = state
        .successes
        .iter()
        .filter(|r| qualifies(r, state, config, guesser, trusted))
        .collect();
    if hits.is_empty() {
        return None;
    }
    hits.sort_by_key(|r| r.time);
    // Who got in first (in time order), then the accounts tried (sorted, as the order
    // they were first seen in depends on which file was read first).
    let mut tried: Vec<&str> = state.users.names.iter().map(|n| &**n).collect();
    tried.sort_unstable();
    let mut users: Vec<String> = Vec::new();
    for user in hits.iter().filter_map(|r| r.user.as_deref()).chain(tried) {
        if users.len() < super::state::MAX_NAMES && !users.iter().any(|u| u == user) {
            users.push(user.to_string());
        }
    }
    let failures = if guesser {
        state.failures()
    } else {
        hits.iter().map(|r| r.failures_before).max().unwrap_or(0)
    };
    let mut services: Vec<_> = hits.iter().map(|r| r.service).collect();
    services.dedup();
    let logged_in: Vec<&str> = hits.iter().filter_map(|r| r.user.as_deref()).collect();
    let mut names: Vec<&str> = Vec::new();
    for name in logged_in {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let (who_en, who_ja) = kensa_core::Localized::into_parts(if names.is_empty() {
        tr!("an unknown account", "不明なアカウント")
    } else {
        let (list_en, list_ja) = (names.join(", "), names.join("、"));
        tr!("{list_en}", "{list_ja}")
    });
    let (services_en, services_ja) = kensa_core::Localized::into_parts(services_text(&services));
    let (source_en, source_ja) = kensa_core::Localized::into_parts(source_text(&state.source));
    let title = tr!(
        "Login over {services_en} as {who_en} from {source_en} after {failures} failed logins: \
         password probably guessed",
        "ログイン失敗 {failures} 回の後、{source_ja} から {services_ja} で {who_ja} として\
         ログイン: パスワードはおそらく類推されています",
    );
    let extra: Vec<_> = hits.iter().map(|r| r.evidence.clone()).collect();
    let mut finding = super::source_finding(&RULE, state, title, &extra);
    finding.subject.users = users;
    finding.count = failures;
    let last_hit = hits.iter().filter_map(|r| r.time).max();
    finding.last_seen = finding.last_seen.max(last_hit);
    Some(finding)
}

/// LG005 for logins as a guessed account from addresses new to it. `reported[i]` says
/// whether source `i` of the account was reported on its own (LG001, LG002, LG004),
/// `participants[i]` whether it was that or part of a distributed attack on it (LG003).
pub(crate) fn other_source(
    account: &AccountState,
    config: &GuessingConfig,
    reported: &[bool],
    participants: &[bool],
    lookup: &mut super::SourceLookup<'_>,
) -> Vec<Finding> {
    let guessers: Vec<_> = account
        .sources
        .iter()
        .zip(participants)
        .filter(|(_, p)| **p)
        .map(|(entry, _)| entry)
        .collect();
    if guessers.is_empty() {
        return Vec::new();
    }
    let window = i64::try_from(config.success_window_seconds).unwrap_or(i64::MAX);
    let mut findings = Vec::new();
    for login in &account.logins {
        let Some(time) = login.first else { continue };
        // A guesser's own login is the same-source case; a distributed participant's
        // is this one (on its own it looks like a typo).
        let own = account
            .sources
            .iter()
            .zip(reported)
            .any(|(e, r)| e.source == login.source && *r);
        let (login_reported, host_first_login) = lookup(&login.source);
        if own
            || login_reported
            || super::state::is_local_source(&login.source)
            || config.is_trusted(&login.source)
        {
            continue;
        }
        // The guessers this login followed: it came after their first guess at the
        // account and within the window of their last, from an address the host had not
        // seen a login from before they began.
        let followed: Vec<_> = guessers
            .iter()
            .filter(|e| {
                e.first.is_some_and(|first| {
                    time > first && host_first_login.is_none_or(|seen| seen >= first)
                }) && seconds_between(e.last, Some(time)) <= window
            })
            .collect();
        let (Some(attack_first), true) = (
            followed.iter().filter_map(|e| e.first).min(),
            !followed.is_empty(),
        ) else {
            continue;
        };
        let failures: u64 = followed.iter().map(|e| e.failures).sum();
        let mut finding = kensa_core::Finding::new(&RULE, account.host.as_ref());
        let (services_en, services_ja) =
            kensa_core::Localized::into_parts(services_text(&[login.service]));
        let (source_en, source_ja) = kensa_core::Localized::into_parts(source_text(&login.source));
        let user = &account.user;
        let guessers = followed.len();
        finding.set_title(tr!(
            "Login over {services_en} as {user} from {source_en}, an address new to the host, \
             after {guessers} guessing sources made {failures} failed logins at the account",
            "{guessers} 件の送信元がこのアカウントへのログインに {failures} 回失敗した後、\
             このホストには初めてのアドレス {source_ja} から {services_ja} で {user} として\
             ログイン",
        ));
        finding.subject.source = Some(login.source.to_string());
        finding.subject.users = vec![account.user.to_string()];
        finding.count = failures;
        finding.first_seen = Some(attack_first);
        finding.last_seen = Some(time);
        for line in account.first_lines.iter().chain(account.last_lines.iter()) {
            finding.push_evidence(line.clone());
        }
        finding.push_evidence(login.evidence.clone());
        finding.merge_key = format!(
            "{}|{}|{}|{}",
            RULE.code, account.host, login.source, account.user
        );
        findings.push(finding);
    }
    findings
}
