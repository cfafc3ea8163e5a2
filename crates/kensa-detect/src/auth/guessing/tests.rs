//! Tests of the guessing detectors: hand-made event sequences per code (each with the
//! cases that must fire and those that must stay silent), merging, caps and hostile
//! values, the configuration, and a replay of the generated bench corpus against its
//! ground truth.

use super::*;
use crate::auth::{AuthOutcome, Service};
use crate::test_support::assert_japanese;
use jiff::Timestamp;
use jiff::tz::Offset;
use kensa_core::{Outcome, Severity};

const HOST: &str = "shell2";

/// `1996-12-21 01:32:13` plus `seconds`, in UTC+09:00.
fn at(seconds: i64) -> LogTime {
    let base: Timestamp = "1996-12-20T16:32:13Z".parse().expect("timestamp");
    let instant = base
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .expect("in range");
    LogTime::new(instant, Offset::from_hours(9).expect("offset"))
}

/// Makes events with increasing line numbers.
#[derive(Default)]
struct Log {
    line: u64,
}

impl Log {
    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        service: Service,
        outcome: AuthOutcome,
        user: Option<&str>,
        source: Option<&str>,
        local_user: Option<&str>,
        second: i64,
        count: u32,
    ) -> AuthEvent {
        self.line += 1;
        let time = at(second);
        let text = format!(
            "{HOST} daemon[{}]: {outcome:?} {service} user={} from={} local={} x{count}",
            1000 + self.line,
            user.unwrap_or("-"),
            source.unwrap_or("-"),
            local_user.unwrap_or("-"),
        );
        AuthEvent {
            host: HOST.to_string(),
            service,
            outcome,
            user: user.map(String::from),
            source: source.map(String::from),
            port: None,
            address: None,
            local_user: local_user.map(String::from),
            time: Some(time),
            count,
            probe: false,
            evidence: Evidence::from_line(
                "var/log/auth.log",
                self.line,
                self.line * 100,
                text.as_bytes(),
                Some(time),
            ),
        }
    }

    fn fail(&mut self, service: Service, user: &str, source: &str, second: i64) -> AuthEvent {
        self.event(
            service,
            AuthOutcome::Failure,
            Some(user),
            Some(source),
            None,
            second,
            1,
        )
    }

    fn ok(&mut self, service: Service, user: &str, source: &str, second: i64) -> AuthEvent {
        self.event(
            service,
            AuthOutcome::Success,
            Some(user),
            Some(source),
            None,
            second,
            1,
        )
    }
}

/// The findings of `events`; each one's title must read in Japanese too.
fn run(config: GuessingConfig, events: &[AuthEvent]) -> Vec<Finding> {
    let mut detectors = GuessingDetectors::new(config);
    for event in events {
        detectors.observe(event);
    }
    let findings = detectors.finish();
    findings.iter().for_each(assert_japanese);
    findings
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn only<'a>(findings: &'a [Finding], code: &str) -> &'a Finding {
    let matching: Vec<&Finding> = findings.iter().filter(|f| f.code == code).collect();
    assert_eq!(matching.len(), 1, "one {code} in {:#?}", codes(findings));
    matching[0]
}

const ACCOUNTS: [&str; 10] = [
    "root", "admin", "test", "guest", "oracle", "user", "info", "sales", "web", "mysql",
];

// ---- LG001 --------------------------------------------------------------------------

#[test]
fn burst_of_eight_within_the_window_fires_with_source_accounts_and_counts() {
    let mut log = Log::default();
    // Eight tries in 105 s, three per connection: each connection has another PID in its
    // lines, which must not split the attack.
    let events: Vec<_> = (0..8)
        .map(|i| {
            log.fail(
                Service::Ssh,
                ACCOUNTS[i % 4],
                "198.51.100.251",
                i as i64 * 15,
            )
        })
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG001"]);
    let f = &findings[0];
    assert_eq!(f.kind, kensa_core::Kind::PasswordGuessing);
    assert_eq!(f.outcome, Outcome::Attempted);
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.subject.source.as_deref(), Some("198.51.100.251"));
    assert_eq!(f.subject.users, ["admin", "guest", "root", "test"]);
    assert_eq!(f.count, 8);
    assert_eq!(f.first_seen, Some(at(0)));
    assert_eq!(f.last_seen, Some(at(105)));
    assert_eq!(f.host, HOST);
    assert_eq!(
        f.title,
        "Password-guessing burst over ssh from 198.51.100.251: 8 failed logins against 4 \
         accounts in 105 s (up to 8 within 360 s)"
    );
    assert_eq!(
        f.title_ja,
        "198.51.100.251 から ssh でのパスワード類推の集中: 105 秒の間にアカウント 4 件に対して\
         ログイン失敗 8 回（360 秒以内に最大 8 回）"
    );
    // First three and last three lines, not all eight.
    assert_eq!(f.evidence.len(), 6);
    assert_eq!(f.evidence[0].line, 1);
    assert_eq!(f.evidence[5].line, 8);
    assert_eq!(f.merge_key, "LG001|shell2|198.51.100.251");
}

#[test]
fn seven_failures_in_a_minute_are_below_the_burst_threshold() {
    let mut log = Log::default();
    let events: Vec<_> = (0..7)
        .map(|i| log.fail(Service::Ssh, "root", "198.51.100.7", i * 8))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn eight_failures_spread_wider_than_the_window_are_not_a_burst() {
    let mut log = Log::default();
    // 60 s apart: at most 7 within any 360 s; 8 failures is below slow guessing too.
    let events: Vec<_> = (0..8)
        .map(|i| log.fail(Service::Telnet, "root", "203.0.113.5", i * 60))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn a_line_standing_for_several_failures_counts_as_many() {
    let mut log = Log::default();
    // SunOS: `REPEATED LOGIN FAILURES ON ttyp5 FROM host` stands for 5, logs no user.
    let events: Vec<_> = (0..2)
        .map(|i| {
            log.event(
                Service::Telnet,
                AuthOutcome::Failure,
                None,
                Some("ts4-13.modem.exa"),
                None,
                i * 30,
                5,
            )
        })
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG001");
    assert_eq!(f.count, 10);
    assert!(f.subject.users.is_empty());
}

#[test]
fn events_a_few_seconds_out_of_order_still_make_a_burst() {
    let mut log = Log::default();
    let seconds = [10, 4, 20, 15, 30, 26, 41, 35];
    let events: Vec<_> = seconds
        .iter()
        .map(|s| log.fail(Service::Ftp, "root", "192.0.2.128", *s))
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG001");
    assert_eq!(f.first_seen, Some(at(4)));
    assert_eq!(f.last_seen, Some(at(41)));
}

#[test]
fn refused_connections_are_not_guesses() {
    let mut log = Log::default();
    let events: Vec<_> = (0..50)
        .map(|i| {
            log.event(
                Service::Telnet,
                AuthOutcome::Refused,
                None,
                Some("192.0.2.1"),
                None,
                i,
                1,
            )
        })
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn one_source_over_two_services_is_one_burst_naming_both() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..4)
        .map(|i| log.fail(Service::Ftp, "root", "192.0.2.9", i * 5))
        .collect();
    events.extend((0..4).map(|i| log.fail(Service::Pop, "tanaka", "192.0.2.9", 30 + i * 5)));
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG001");
    assert!(f.title.contains("ftp and pop"), "{}", f.title);
    assert!(
        f.title_ja.contains("ftp、pop でのパスワード類推"),
        "{}",
        f.title_ja
    );
}

// ---- LG002 --------------------------------------------------------------------------

#[test]
fn slow_guessing_over_hours_fires_medium_and_high_from_a_hundred() {
    let mut log = Log::default();
    let events: Vec<_> = (0..12)
        .map(|i| {
            log.fail(
                Service::Ssh,
                ACCOUNTS[i % 10],
                "192.0.2.21",
                i as i64 * 1200,
            )
        })
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG002");
    assert_eq!(codes(&findings), ["LG002"], "slow, not also spraying");
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.count, 12);
    assert!(f.title.contains("3 h"), "{}", f.title);
    assert!(f.title_ja.contains("3 時間にわたり"), "{}", f.title_ja);

    let events: Vec<_> = (0..100)
        .map(|i| log.fail(Service::Ssh, "root", "192.0.2.22", i * 400))
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(only(&findings, "LG002").severity, Severity::High);
}

#[test]
fn nine_slow_failures_are_below_the_threshold() {
    let mut log = Log::default();
    let events: Vec<_> = (0..9)
        .map(|i| log.fail(Service::Ssh, "root", "192.0.2.23", i * 3600))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn a_burst_is_not_also_slow_guessing() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..8)
        .map(|i| log.fail(Service::Ssh, "root", "192.0.2.24", i))
        .collect();
    events.extend((0..5).map(|i| log.fail(Service::Ssh, "root", "192.0.2.24", 7200 + i * 3600)));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG001"]);
    assert_eq!(findings[0].count, 13);
}

// ---- LG003 --------------------------------------------------------------------------

#[test]
fn many_sources_each_below_the_thresholds_against_one_account_are_distributed() {
    let mut log = Log::default();
    let mut events = Vec::new();
    for k in 0..12 {
        let source = format!("198.19.0.{k}");
        for j in 0..2 {
            events.push(log.fail(Service::Ssh, "root", &source, k * 2400 + j * 3));
        }
    }
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG003"]);
    let f = &findings[0];
    assert_eq!(f.subject.users, ["root"]);
    assert_eq!(f.subject.source, None);
    assert_eq!(f.count, 24);
    assert!(f.title.contains("12 sources"), "{}", f.title);
    assert!(
        f.title_ja
            .starts_with("ssh でのアカウント root に対する分散パスワード類推: ")
            && f.title_ja
                .contains(" 12 件の送信元からログイン失敗 24 回（198.19.0.0、"),
        "{}",
        f.title_ja
    );
    assert_eq!(f.merge_key, "LG003|shell2|root");
}

#[test]
fn nine_sources_or_sources_spread_over_days_are_not_distributed() {
    let mut log = Log::default();
    let events: Vec<_> = (0..9)
        .map(|k| log.fail(Service::Ssh, "root", &format!("198.19.0.{k}"), k * 60))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
    // Twelve sources, one every 3 hours: at most 8 within a day.
    let events: Vec<_> = (0..12)
        .map(|k| log.fail(Service::Ssh, "root", &format!("198.19.1.{k}"), k * 3 * 3600))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn sources_reported_on_their_own_do_not_make_a_distributed_attack() {
    let mut log = Log::default();
    let mut events = Vec::new();
    for k in 0..10 {
        let source = format!("203.0.113.{k}");
        for j in 0..8 {
            events.push(log.fail(Service::Ssh, "root", &source, k * 1000 + j));
        }
    }
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(findings.iter().filter(|f| f.code == "LG001").count(), 10);
    assert!(!codes(&findings).contains(&"LG003"));
}

// ---- LG004 --------------------------------------------------------------------------

#[test]
fn one_source_trying_many_accounts_once_each_is_spraying() {
    let mut log = Log::default();
    let events: Vec<_> = (0..6)
        .map(|i| log.fail(Service::Pop, ACCOUNTS[i], "192.0.2.9", i as i64 * 300))
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG004");
    assert_eq!(f.subject.users.len(), 6);
    assert!(f.title.contains("6 accounts"), "{}", f.title);
    assert_eq!(
        f.title_ja,
        "192.0.2.9 から pop でのパスワードスプレー: 25 分の間にアカウント 6 件を試行し、\
         ログイン失敗 6 回"
    );
}

#[test]
fn four_accounts_or_a_month_of_single_typos_are_not_spraying() {
    let mut log = Log::default();
    let events: Vec<_> = (0..4)
        .map(|i| log.fail(Service::Pop, ACCOUNTS[i], "192.0.2.10", i as i64 * 300))
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
    // A NAT gateway: five users mistype once each, days apart.
    let events: Vec<_> = (0..5)
        .map(|i| {
            log.fail(
                Service::Pop,
                ACCOUNTS[i],
                "172.16.0.1",
                i as i64 * 3 * 86_400,
            )
        })
        .collect();
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn more_than_twenty_accounts_are_listed_up_to_twenty_and_counted_in_the_title() {
    let mut log = Log::default();
    let events: Vec<_> = (0..60)
        .map(|i| log.fail(Service::Ssh, &format!("user{i}"), "192.0.2.50", i))
        .collect();
    let findings = run(GuessingConfig::default(), &events);
    let f = only(&findings, "LG001");
    assert_eq!(f.subject.users.len(), 20);
    assert!(f.title.contains("about"), "{}", f.title);
    assert!(f.title_ja.contains("アカウント約 "), "{}", f.title_ja);
    assert!(
        f.title_ja.contains(" 件（うち 20 件を列挙）に対して"),
        "{}",
        f.title_ja
    );
    // The sketch's estimate is within a few accounts of 60.
    let estimate: u64 = f
        .title
        .split("about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("estimate in title");
    assert!((55..=65).contains(&estimate), "{}", f.title);
}

// ---- LG005 --------------------------------------------------------------------------

#[test]
fn a_burst_then_a_login_from_the_same_source_is_critical() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..12)
        .map(|i| {
            log.fail(
                Service::Ssh,
                ACCOUNTS[i % 5],
                "198.51.100.190",
                i as i64 * 4,
            )
        })
        .collect();
    events.push(log.ok(Service::Ssh, "mori", "198.51.100.190", 60));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG001", "LG005"]);
    let f = only(&findings, "LG005");
    assert_eq!(f.outcome, Outcome::Succeeded);
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.subject.source.as_deref(), Some("198.51.100.190"));
    assert_eq!(f.subject.users.first().map(String::as_str), Some("mori"));
    assert_eq!(f.count, 12);
    assert_eq!(f.last_seen, Some(at(60)));
    assert!(
        f.evidence.iter().any(|e| e.line == 13),
        "the success line is evidence"
    );
    assert!(f.title.contains("as mori"), "{}", f.title);
    assert_eq!(
        f.title_ja,
        "ログイン失敗 12 回の後、198.51.100.190 から ssh で mori としてログイン: パスワードは\
         おそらく類推されています"
    );
    assert_eq!(
        kensa_core::Verdict::of_findings(&findings),
        kensa_core::Verdict::Compromised
    );
}

#[test]
fn one_or_two_typos_then_a_login_within_seconds_is_not_an_attack() {
    let mut log = Log::default();
    for typos in 1..=2 {
        let mut events: Vec<_> = (0..typos)
            .map(|i| log.fail(Service::Ssh, "maeda5", "172.16.2.26", i * 5))
            .collect();
        events.push(log.ok(Service::Ssh, "maeda5", "172.16.2.26", typos * 5 + 4));
        assert!(
            run(GuessingConfig::default(), &events).is_empty(),
            "{typos} typos"
        );
    }
}

#[test]
fn typos_then_a_login_minutes_later_from_the_usual_address_are_not_an_attack() {
    let mut log = Log::default();
    let events = vec![
        log.ok(Service::Pop, "eishii", "172.16.2.25", 0),
        log.fail(Service::Pop, "eishii", "172.16.2.25", 86_400),
        log.fail(Service::Pop, "eishii", "172.16.2.25", 86_410),
        log.ok(Service::Pop, "eishii", "172.16.2.25", 87_000),
    ];
    assert!(run(GuessingConfig::default(), &events).is_empty());
    // The same two failures from an address never used before, with the login ten
    // minutes later: not a typo.
    let events = vec![
        log.fail(Service::Pop, "eishii", "192.0.2.77", 86_400),
        log.fail(Service::Pop, "eishii", "192.0.2.77", 86_410),
        log.ok(Service::Pop, "eishii", "192.0.2.77", 87_000),
    ];
    assert_eq!(codes(&run(GuessingConfig::default(), &events)), ["LG005"]);
}

#[test]
fn typos_days_apart_do_not_add_up_to_an_attack() {
    let mut log = Log::default();
    let mut events = Vec::new();
    for day in 0..10 {
        events.push(log.fail(Service::Ssh, "mori", "172.16.2.28", day * 86_400));
        events.push(log.ok(Service::Ssh, "mori", "172.16.2.28", day * 86_400 + 6));
    }
    assert!(run(GuessingConfig::default(), &events).is_empty());
}

#[test]
fn three_failures_then_a_login_is_more_than_a_typo() {
    let mut log = Log::default();
    let events = vec![
        log.fail(Service::Telnet, "root", "192.0.2.110", 0),
        log.fail(Service::Telnet, "root", "192.0.2.110", 10),
        log.fail(Service::Telnet, "root", "192.0.2.110", 20),
        log.ok(Service::Telnet, "root", "192.0.2.110", 30),
    ];
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG005", "LG006"]);
    assert_eq!(only(&findings, "LG005").count, 3);
}

#[test]
fn su_guessing_by_a_local_user_then_success_is_critical_with_the_local_user_as_source() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..5)
        .map(|i| {
            log.event(
                Service::Su,
                AuthOutcome::Failure,
                Some("root"),
                None,
                Some("suzuki6"),
                i * 35,
                1,
            )
        })
        .collect();
    events.push(log.event(
        Service::Su,
        AuthOutcome::Success,
        Some("root"),
        None,
        Some("suzuki6"),
        200,
        1,
    ));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(
        codes(&findings),
        ["LG005"],
        "su to root is not a remote root login"
    );
    let f = &findings[0];
    assert_eq!(f.subject.source.as_deref(), Some("local:suzuki6"));
    assert!(f.title.contains("local user suzuki6"), "{}", f.title);
    assert!(
        f.title_ja.contains("ローカル利用者 suzuki6 から su で"),
        "{}",
        f.title_ja
    );
}

#[test]
fn the_guessed_account_logging_in_from_a_new_address_is_critical() {
    let mut log = Log::default();
    let mut events = vec![log.ok(Service::Ssh, "mori", "172.16.2.28", 0)];
    events.extend((0..10).map(|i| log.fail(Service::Ssh, "mori", "203.0.113.9", 3600 + i * 3)));
    // The owner from the usual address: fine. Someone from a new address: not fine.
    events.push(log.ok(Service::Ssh, "mori", "172.16.2.28", 4000));
    events.push(log.ok(Service::Ssh, "mori", "198.18.7.7", 5000));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG001", "LG005"]);
    let f = only(&findings, "LG005");
    assert_eq!(f.subject.source.as_deref(), Some("198.18.7.7"));
    assert_eq!(f.subject.users, ["mori"]);
    assert_eq!(f.count, 10);
    assert_eq!(
        f.title_ja,
        "1 件の送信元がこのアカウントへのログインに 10 回失敗した後、このホストには初めての\
         アドレス 198.18.7.7 から ssh で mori としてログイン"
    );
}

#[test]
fn a_login_long_after_the_guessing_or_before_it_is_not_linked() {
    let mut log = Log::default();
    let mut events = vec![log.ok(Service::Ssh, "mori", "198.18.7.7", 0)];
    events.extend((0..10).map(|i| log.fail(Service::Ssh, "mori", "203.0.113.9", 3600 + i * 3)));
    events.push(log.ok(Service::Ssh, "mori", "198.18.7.7", 5000));
    events.push(log.ok(Service::Ssh, "mori", "198.18.9.9", 3 * 86_400));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG001"]);
}

#[test]
fn a_distributed_participant_that_gets_in_is_critical() {
    let mut log = Log::default();
    let mut events = vec![log.ok(Service::Pop, "bgoto", "172.16.2.30", 0)];
    for k in 0..12 {
        events.push(log.fail(
            Service::Pop,
            "bgoto",
            &format!("198.19.0.{k}"),
            3600 + k * 600,
        ));
    }
    events.push(log.ok(Service::Pop, "bgoto", "198.19.0.11", 3600 + 11 * 600 + 5));
    events.push(log.ok(Service::Pop, "bgoto", "172.16.2.30", 30_000));
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG003", "LG005"]);
    assert_eq!(
        only(&findings, "LG005").subject.source.as_deref(),
        Some("198.19.0.11")
    );
}

// ---- trusted networks ------------------------------------------------------------------

fn trusted() -> GuessingConfig {
    GuessingConfig {
        trusted_networks: vec!["10.0.0.0/8".parse().expect("net")],
        ..GuessingConfig::default()
    }
}

#[test]
fn trusted_sources_are_not_reported_for_attempts_root_logins_or_distribution() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..20)
        .map(|i| log.fail(Service::Ssh, ACCOUNTS[i % 10], "10.1.2.3", i as i64))
        .collect();
    events.extend((0..12).map(|k| log.fail(Service::Ssh, "web", &format!("10.9.0.{k}"), 100 + k)));
    events.push(log.ok(Service::Ssh, "root", "10.7.7.7", 500));
    assert!(run(trusted(), &events).is_empty());
    // Without the allow-list every one of them is reported.
    // (root, guessed at by 10.1.2.3, then logging in from 10.7.7.7, is LG005 too.)
    let mut codes_untrusted = codes(&run(GuessingConfig::default(), &events));
    codes_untrusted.sort_unstable();
    assert_eq!(codes_untrusted, ["LG001", "LG003", "LG005", "LG006"]);
}

#[test]
fn a_trusted_source_that_guessed_and_got_in_is_still_critical_unless_disabled() {
    let mut log = Log::default();
    let mut events: Vec<_> = (0..10)
        .map(|i| log.fail(Service::Ssh, "root", "10.1.2.3", i))
        .collect();
    events.push(log.ok(Service::Ssh, "mori", "10.1.2.3", 30));
    assert_eq!(codes(&run(trusted(), &events)), ["LG005"]);
    let off = GuessingConfig {
        report_trusted_compromise: false,
        ..trusted()
    };
    assert!(run(off, &events).is_empty());
    // Two failures then a login from a trusted address, minutes later: not reported.
    let events = vec![
        log.fail(Service::Ssh, "root", "10.1.2.4", 0),
        log.fail(Service::Ssh, "root", "10.1.2.4", 10),
        log.ok(Service::Ssh, "root", "10.1.2.4", 900),
    ];
    assert!(run(trusted(), &events).is_empty());
}

// ---- LG006 --------------------------------------------------------------------------

#[test]
fn root_logging_in_from_another_host_is_an_exposure_loopback_and_su_are_not() {
    let mut log = Log::default();
    let events = vec![
        log.ok(Service::Telnet, "root", "192.0.2.110", 0),
        log.ok(Service::Telnet, "root", "192.0.2.110", 100),
        log.ok(Service::Ssh, "root", "127.0.0.1", 200),
        log.ok(Service::Ssh, "root", "::1", 250),
        log.ok(Service::Ssh, "tanaka", "192.0.2.111", 300),
        log.event(
            Service::Su,
            AuthOutcome::Success,
            Some("root"),
            None,
            Some("tanaka"),
            400,
            1,
        ),
    ];
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(codes(&findings), ["LG006"]);
    let f = &findings[0];
    assert_eq!(f.kind, kensa_core::Kind::RemoteRootLogin);
    assert_eq!(f.outcome, Outcome::Exposure);
    assert_eq!(f.severity, Severity::Medium);
    assert_eq!(f.count, 2);
    assert_eq!(f.subject.source.as_deref(), Some("192.0.2.110"));
    assert!(
        f.title.contains("telnet") && f.title.contains("2 times"),
        "{}",
        f.title
    );
    assert_eq!(
        f.title_ja,
        "192.0.2.110 から telnet で root がログイン（2 回）"
    );
}

// ---- merging ------------------------------------------------------------------------

#[test]
fn the_same_events_read_from_two_files_are_counted_once() {
    let mut log = Log::default();
    let events: Vec<_> = (0..10)
        .map(|i| log.fail(Service::Pop, "dfukuda", "192.0.2.92", i * 4))
        .collect();
    let copy: Vec<_> = events
        .iter()
        .map(|e| {
            let mut e = e.clone();
            e.evidence.file = "var/log/syslog".to_string();
            e
        })
        .collect();
    let mut maillog = GuessingDetectors::default();
    let mut syslog = GuessingDetectors::default();
    events.iter().for_each(|e| maillog.observe(e));
    copy.iter().for_each(|e| syslog.observe(e));
    maillog.merge(syslog);
    let findings = maillog.finish();
    let f = only(&findings, "LG001");
    assert_eq!(f.count, 10);
    assert_eq!(f.evidence.len(), 6, "identical lines shown once");
}

#[test]
fn different_events_of_one_source_in_two_files_add_up() {
    let mut log = Log::default();
    let mut a = GuessingDetectors::default();
    let mut b = GuessingDetectors::default();
    // Five failures last week, in the older rotation set; five today in the other: not a
    // burst, but ten failures over a week is slow guessing.
    (0..5).for_each(|i| a.observe(&log.fail(Service::Ssh, "root", "192.0.2.5", i * 100)));
    (0..5).for_each(|i| {
        b.observe(&log.fail(Service::Ssh, "root", "192.0.2.5", 7 * 86_400 + i * 100));
    });
    a.merge(b);
    let findings = a.finish();
    assert_eq!(only(&findings, "LG002").count, 10);
}

#[test]
fn failures_in_one_file_and_the_login_in_another_are_joined() {
    let mut log = Log::default();
    let mut ftp = GuessingDetectors::default();
    let mut auth = GuessingDetectors::default();
    (0..12).for_each(|i| {
        ftp.observe(&log.fail(Service::Ftp, ACCOUNTS[i % 10], "192.0.2.3", i as i64))
    });
    auth.observe(&log.ok(Service::Ssh, "mori", "192.0.2.3", 100));
    auth.merge(ftp);
    let findings = auth.finish();
    assert_eq!(codes(&findings), ["LG001", "LG005"]);
}

/// sshd logs `Invalid user` (a probe) and then three tries, counted per connection as
/// 3; btmp holds one record more per connection (the invalid user, before any
/// password).
fn probes_and_tries(log: &mut Log, logs: &mut GuessingDetectors, btmp: &mut GuessingDetectors) {
    for connection in 0..3i64 {
        let start = connection * 10;
        let mut probe = log.fail(Service::Ssh, "ghost", "192.0.2.13", start);
        probe.probe = true;
        logs.observe(&probe);
        btmp.observe(&log.fail(Service::Ssh, "ghost", "192.0.2.13", start));
        for try_ in 1..=3 {
            // Counted per connection, the first try is the one the probe announced.
            let mut failed = log.fail(Service::Ssh, "ghost", "192.0.2.13", start + try_ * 2);
            failed.count = u32::from(try_ > 1);
            logs.observe(&failed);
            btmp.observe(&log.fail(Service::Ssh, "ghost", "192.0.2.13", start + try_ * 2));
        }
    }
}

#[test]
fn login_records_witnessed_by_the_logs_do_not_count_again() {
    let mut log = Log::default();
    let mut logs = GuessingDetectors::default();
    let mut btmp = GuessingDetectors::default();
    probes_and_tries(&mut log, &mut logs, &mut btmp);
    // The enumeration: probes only in the logs, a record each in btmp.
    for n in 0..20i64 {
        let mut probe = log.fail(Service::Ssh, ACCOUNTS[n as usize % 10], "192.0.2.11", n);
        probe.probe = true;
        logs.observe(&probe);
        btmp.observe(&log.fail(Service::Ssh, ACCOUNTS[n as usize % 10], "192.0.2.11", n));
    }
    logs.merge_second_witness(btmp);
    let findings = logs.finish();
    let of = |source: &str| -> Vec<(&str, u64)> {
        findings
            .iter()
            .filter(|f| f.subject.source.as_deref() == Some(source))
            .map(|f| (f.code, f.count))
            .collect()
    };
    assert_eq!(of("192.0.2.13"), [("LG001", 9)], "{findings:#?}");
    assert_eq!(of("192.0.2.11"), [("LG007", 20)], "{findings:#?}");
}

#[test]
fn login_records_count_where_the_logs_hold_nothing_of_them() {
    let mut log = Log::default();
    let mut logs = GuessingDetectors::default();
    let mut btmp = GuessingDetectors::default();
    // The logs of last week were rotated away; btmp still holds its failures.
    (0..12).for_each(|i| btmp.observe(&log.fail(Service::Ssh, "root", "192.0.2.5", i * 3)));
    (0..12).for_each(|i| {
        logs.observe(&log.fail(Service::Ssh, "root", "192.0.2.5", 7 * 86_400 + i * 3));
    });
    logs.merge_second_witness(btmp);
    let findings = logs.finish();
    let burst = findings.iter().find(|f| f.code == "LG001").expect("LG001");
    assert_eq!(burst.count, 24, "{findings:#?}");
}

#[test]
fn merge_order_does_not_change_the_findings() {
    let mut log = Log::default();
    let sets: Vec<Vec<AuthEvent>> = (0..3)
        .map(|s| {
            let mut events: Vec<_> = (0..9)
                .map(|i| {
                    log.fail(
                        Service::Ssh,
                        ACCOUNTS[(i + s) % 10],
                        &format!("192.0.2.{}", s % 2),
                        (s * 1000 + i) as i64,
                    )
                })
                .collect();
            events.push(log.ok(Service::Ssh, "root", "192.0.2.1", (s * 1000 + 50) as i64));
            events
        })
        .collect();
    let render = |order: &[usize]| -> Vec<String> {
        let mut merged: Option<GuessingDetectors> = None;
        for &i in order {
            let mut d = GuessingDetectors::default();
            sets[i].iter().for_each(|e| d.observe(e));
            match merged.as_mut() {
                Some(m) => m.merge(d),
                None => merged = Some(d),
            }
        }
        merged
            .expect("detectors")
            .finish()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {:?} {:?}",
                    f.code,
                    f.title,
                    f.count,
                    f.subject,
                    f.evidence.iter().map(|e| e.line).collect::<Vec<_>>()
                )
            })
            .collect()
    };
    let forward = render(&[0, 1, 2]);
    assert!(!forward.is_empty());
    assert_eq!(forward, render(&[2, 0, 1]));
    assert_eq!(forward, render(&[1, 2, 0]));
}

// ---- caps ---------------------------------------------------------------------------

#[test]
fn evicted_sources_are_reported_not_lost() {
    let config = GuessingConfig {
        max_sources: 100,
        max_accounts: 50,
        ..GuessingConfig::default()
    };
    let mut log = Log::default();
    let mut detectors = GuessingDetectors::new(config);
    for k in 0..1000i64 {
        let source = format!("203.0.{}.{}", k / 256, k % 256);
        for i in 0..8 {
            detectors.observe(&log.fail(
                Service::Ssh,
                &format!("u{}", (k + i) % 300),
                &source,
                k * 10 + i,
            ));
        }
    }
    assert!(detectors.sources.len() <= 100);
    assert!(detectors.accounts.len() <= 50);
    assert_eq!(
        detectors.forgotten(),
        (0, 0),
        "no source split by its eviction"
    );
    let findings = detectors.finish();
    assert_eq!(findings.iter().filter(|f| f.code == "LG001").count(), 1000);
}

#[test]
fn evicted_guessers_do_not_count_towards_distributed_guessing() {
    // Every source bursts against root and is evicted long before the end: the account
    // must remember they were reported, or the thousand would look distributed.
    let config = GuessingConfig {
        max_sources: 20,
        max_findings: 10,
        ..GuessingConfig::default()
    };
    let mut log = Log::default();
    let mut detectors = GuessingDetectors::new(config);
    for k in 0..1000i64 {
        let source = format!("203.0.{}.{}", k / 256, k % 256);
        for i in 0..8 {
            detectors.observe(&log.fail(Service::Ssh, "root", &source, k * 10 + i));
        }
    }
    assert_eq!(detectors.forgotten(), (0, 0));
    let findings = detectors.finish();
    assert!(
        !codes(&findings).contains(&"LG003"),
        "{:?}",
        codes(&findings)
    );
}

#[test]
fn findings_beyond_the_cap_are_summed_up() {
    let config = GuessingConfig {
        max_sources: 100,
        max_findings: 50,
        ..GuessingConfig::default()
    };
    let mut log = Log::default();
    let mut detectors = GuessingDetectors::new(config);
    for k in 0..1000i64 {
        let source = format!("203.0.{}.{}", k / 256, k % 256);
        for i in 0..8 {
            detectors.observe(&log.fail(Service::Ssh, "root", &source, k * 10 + i));
        }
    }
    let findings = detectors.finish();
    let itemised = findings
        .iter()
        .filter(|f| f.code == "LG001" && f.subject.source.is_some())
        .count();
    let summary: Vec<_> = findings
        .iter()
        .filter(|f| f.code == "LG001" && f.subject.source.is_none())
        .collect();
    assert_eq!(summary.len(), 1);
    // 50 kept from evictions, the sources still held reported at the end, the rest
    // counted in the summary: nothing vanishes.
    let summarised: u64 = summary[0]
        .title
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("count in title");
    assert_eq!(itemised as u64 + summarised, 1000, "{}", summary[0].title);
    assert!(
        summary[0].title_ja.starts_with(&format!(
            "shell2 の LG001 の検出がほかに {summarised} 件あります"
        )),
        "{}",
        summary[0].title_ja
    );
    assert_japanese(summary[0]);
    assert_eq!(summary[0].count, summarised * 8);
}

#[test]
fn sources_forgotten_below_every_threshold_are_counted() {
    let config = GuessingConfig {
        max_sources: 10,
        ..GuessingConfig::default()
    };
    let mut log = Log::default();
    let mut detectors = GuessingDetectors::new(config);
    for k in 0..100i64 {
        detectors.observe(&log.fail(Service::Ssh, "root", &format!("198.19.9.{k}"), k * 86_400));
    }
    let (sources, failures) = detectors.forgotten();
    assert!(sources >= 90 && failures == sources, "{sources} {failures}");
}

// ---- hostile values --------------------------------------------------------------------

#[test]
fn hostile_values_do_not_panic_or_grow_state() {
    let mut log = Log::default();
    let huge = "A".repeat(1 << 20);
    let escape = "root\u{1b}[2J from 10.0.0.1";
    let mut detectors = GuessingDetectors::default();
    for i in 0..20 {
        let mut e = log.fail(
            Service::Ssh,
            if i % 2 == 0 { &huge } else { escape },
            &huge,
            i,
        );
        e.count = u32::MAX;
        e.evidence.text = huge.clone();
        detectors.observe(&e);
        let mut e = log.ok(Service::Ssh, escape, "", i);
        e.time = None;
        detectors.observe(&e);
        let mut e = log.fail(Service::Ssh, "é", "192.0.2.1", i);
        e.time = None;
        e.count = 0;
        detectors.observe(&e);
    }
    let findings = detectors.finish();
    let f = only(&findings, "LG001");
    assert!(f.subject.source.as_ref().expect("source").len() <= state::MAX_NAME_BYTES);
    assert!(
        f.subject
            .users
            .iter()
            .all(|u| u.len() <= state::MAX_NAME_BYTES)
    );
    assert!(
        f.evidence
            .iter()
            .all(|e| e.text.len() <= state::MAX_EVIDENCE_TEXT)
    );
    assert!(
        f.subject.users.iter().any(|u| u == escape),
        "kept as logged, not re-attributed"
    );
    assert_eq!(f.count, 20 * u64::from(u32::MAX));
}

// ---- configuration ---------------------------------------------------------------------

#[test]
fn config_reads_a_partial_section_and_rejects_mistakes() {
    let config: GuessingConfig = serde_json::from_str(
        r#"{"burst_failures": 5, "trusted_networks": ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"]}"#,
    )
    .expect("valid section");
    assert_eq!(config.burst_failures, 5);
    assert_eq!(config.burst_window_seconds, 360);
    assert!(config.is_trusted("10.200.3.4"));
    assert!(config.is_trusted("[10.200.3.4]"));
    assert!(config.is_trusted("::ffff:10.1.1.1"));
    assert!(config.is_trusted("2001:db8:1::5"));
    assert!(config.is_trusted("192.0.2.7"));
    assert!(!config.is_trusted("192.0.2.8"));
    assert!(!config.is_trusted("11.0.0.1"));
    assert!(
        !config.is_trusted("ws02.example.ac.jp"),
        "names are never trusted"
    );
    assert!(serde_json::from_str::<GuessingConfig>(r#"{"burst_faliures": 5}"#).is_err());
    assert!(
        serde_json::from_str::<GuessingConfig>(r#"{"trusted_networks": ["10.0.0.0/33"]}"#).is_err()
    );
    assert!(serde_json::from_str::<GuessingConfig>(r#"{"trusted_networks": ["ten"]}"#).is_err());
    assert_eq!(
        GuessingConfig::default(),
        serde_json::from_str("{}").expect("empty")
    );
}

#[test]
fn networks_match_by_prefix() {
    let net: IpNetwork = "192.0.2.0/24".parse().expect("net");
    assert!(net.contains("192.0.2.255".parse().expect("addr")));
    assert!(!net.contains("192.0.3.0".parse().expect("addr")));
    assert!(!net.contains("::1".parse().expect("addr")));
    let all: IpNetwork = "0.0.0.0/0".parse().expect("net");
    assert!(all.contains("203.0.113.1".parse().expect("addr")));
    let v6: IpNetwork = "::/0".parse().expect("net");
    assert!(v6.contains("2001:db8::1".parse().expect("addr")));
    assert_eq!(net.to_string(), "192.0.2.0/24");
}

#[test]
fn every_rule_documents_its_sections() {
    for rule in RULES {
        let doc = rule.doc();
        assert!(
            doc.starts_with(&format!("# {} {}", rule.code, rule.name)),
            "{doc}"
        );
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## What to do",
            "## References",
        ] {
            assert!(doc.contains(section), "{} lacks {section}", rule.code);
        }
    }
    let mut seen: Vec<_> = RULES.iter().map(|r| r.code).collect();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "LG001", "LG002", "LG003", "LG004", "LG005", "LG006", "LG007"
        ]
    );
}

// ---- the generated corpus against its truth ---------------------------------------------
//
// The bench generator (`../shared/bench`) writes a 1996 loghost's tree with
// `truth.json`. Each rotation set (`auth.log*`, `syslog*`, `messages*`, `maillog*`) is
// read oldest first by kensa-logs' decoder, header parser and year resolver, turned into
// events by the real parsers (`AuthParser`), fed to its own detectors, and the sets are
// merged — mail and ftpd lines are in two sets each, so the merge's duplicate handling
// is checked too (counts must equal the truth's failure counts, not twice them).

mod corpus {
    use super::super::*;
    use crate::auth::AuthParser;
    use jiff::tz::{Offset, TimeZone};
    use kensa_core::Severity;
    use kensa_logs::record::{LineRef, Record};
    use kensa_logs::year::YearResolver;
    use serde_json::Value;
    use std::borrow::Cow;
    use std::io::Read;
    use std::path::Path;

    fn decompress(path: &Path) -> Vec<u8> {
        let mut decoded = kensa_logs::decode::open(&kensa_testkit::analyst_file(path))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut out = Vec::new();
        decoded
            .reader
            .read_to_end(&mut out)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out
    }

    /// The files of one stream, oldest rotation first.
    fn rotation_set(root: &Path, log_dir: &str, stream: &str) -> Vec<String> {
        // The engine's own discovery and rotation order, not a second copy of it.
        let mut diags = Vec::new();
        let name = format!("{log_dir}/{stream}");
        kensa_logs::source::discover(&kensa_testkit::root_at(root), &mut diags)
            .into_iter()
            .find(|set| set.name == name)
            .map(|set| set.files.into_iter().map(|file| file.display).collect())
            .unwrap_or_default()
    }

    /// One rotation set through the parsers into fresh detectors; also the event count.
    fn read_set(root: &Path, files: &[String]) -> (GuessingDetectors, u64) {
        let mut detectors = GuessingDetectors::default();
        let mut parser = AuthParser::default();
        let tz = TimeZone::fixed(Offset::from_hours(9).expect("offset"));
        let mut years = YearResolver::new(1996, tz);
        let mut events = 0;
        for file in files {
            let bytes = decompress(&root.join(file));
            let mut offset = 0u64;
            for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
                let line_offset = offset;
                offset += raw.len() as u64 + 1;
                let Some(header) = kensa_logs::syslog::parse(raw) else {
                    continue;
                };
                // The look-back context the engine gives (whole lines, up to 64 KiB):
                // the parser reads `last message repeated N times` against it.
                let end = usize::try_from(line_offset).unwrap_or(0);
                let lookback = end.saturating_sub(64 << 10);
                let start = match lookback {
                    0 => 0,
                    _ => bytes
                        .get(lookback..end)
                        .and_then(|b| memchr::memchr(b'\n', b))
                        .map_or(end, |i| lookback + i + 1),
                };
                let record = Record {
                    at: LineRef {
                        file,
                        line: index as u64 + 1,
                        offset: line_offset,
                        raw,
                        before: bytes.get(start..end).unwrap_or(&[]),
                        journal: None,
                    },
                    time: years.resolve(&header.stamp),
                    host: header
                        .host
                        .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
                    program: header.program,
                    pid: header.pid,
                    message: header.message,
                };
                if let Some(event) = parser.parse(&record) {
                    events += 1;
                    detectors.observe(&event);
                }
            }
        }
        (detectors, events)
    }

    /// The names a finding may give the incident's source: its address, its host name,
    /// the host name cut to 16 characters (SunOS login(1)), or `local:USER` for su.
    fn source_names(source: &Value) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(ip) = source["ip"].as_str() {
            names.push(ip.to_string());
        }
        if let Some(host) = source["host"].as_str() {
            names.push(host.to_string());
            names.push(host.chars().take(16).collect());
        }
        if let Some(user) = source["user"].as_str() {
            names.push(format!("local:{user}"));
        }
        names
    }

    fn from_source(finding: &Finding, names: &[String]) -> bool {
        finding
            .subject
            .source
            .as_ref()
            .is_some_and(|s| names.iter().any(|n| n == s))
    }

    #[test]
    fn generated_corpus_matches_truth() {
        let Some(shared) = kensa_testkit::shared_dir() else {
            return;
        };
        let out = tempfile::tempdir().expect("tempdir");
        kensa_testkit::generate_corpus(&shared, out.path(), &["--small"]);
        check_corpus(out.path());
    }

    /// The same check on a corpus generated beforehand, e.g. a bigger one:
    /// `gen_corpus.py --out /tmp/c --size 100M` then
    /// `KENSA_GUESSING_CORPUS=/tmp/c cargo test -p kensa-detect --lib corpus_at_path -- --ignored`.
    #[test]
    #[ignore = "needs KENSA_GUESSING_CORPUS pointing at a generated corpus"]
    fn corpus_at_path_matches_truth() {
        let root = std::env::var_os("KENSA_GUESSING_CORPUS").expect("KENSA_GUESSING_CORPUS");
        check_corpus(Path::new(&root));
    }

    fn check_corpus(root: &Path) {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(root.join("truth.json")).expect("truth.json"))
                .expect("json");
        let log_dir = truth["log_dir"].as_str().expect("log_dir");
        let mut merged = GuessingDetectors::default();
        let mut events = 0;
        for stream in ["auth.log", "secure", "syslog", "messages", "maillog"] {
            let files = rotation_set(root, log_dir, stream);
            if files.is_empty() {
                continue;
            }
            let (detectors, count) = read_set(root, &files);
            events += count;
            merged.merge(detectors);
        }
        assert!(events > 1000, "the parsers found only {events} events");
        let findings = merged.finish();
        let attempt_codes = ["LG001", "LG002", "LG003", "LG004", "LG005"];
        let mut explained = vec![false; findings.len()];
        let (mut bruteforce, mut compromised, mut typos) = (0, 0, 0);
        for incident in truth["incidents"].as_array().expect("incidents") {
            let kind = incident["kind"].as_str().unwrap_or_default();
            let id = incident["id"].as_str().unwrap_or_default();
            let host = incident["host"].as_str().unwrap_or_default();
            let pattern = incident["pattern"].as_str().unwrap_or_default();
            let names = source_names(&incident["source"]);
            let on_host = |f: &Finding| f.host == host;
            match kind {
                "bruteforce" => {
                    bruteforce += 1;
                    let failures = incident["failures"].as_u64().unwrap_or(0);
                    let targets: Vec<&str> = incident["targets"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let code = match pattern {
                        "burst" => "LG001",
                        "slow" => "LG002",
                        "distributed" => "LG003",
                        other => panic!("{id}: unknown pattern {other}"),
                    };
                    let pattern_match = |f: &Finding| {
                        on_host(f)
                            && f.code == code
                            && if code == "LG003" {
                                targets.first().is_some_and(|t| f.subject.users == [*t])
                            } else {
                                from_source(f, &names)
                            }
                    };
                    let success_user = incident["success_user"].as_str();
                    let needs_pattern = success_user.is_none() || failures >= 8;
                    let found: Vec<usize> = (0..findings.len())
                        .filter(|&i| pattern_match(&findings[i]))
                        .collect();
                    if needs_pattern {
                        assert_eq!(
                            found.len(),
                            1,
                            "{id} ({pattern} {} on {host} from {names:?}, {failures} failures): expected one {code}; got {:#?}",
                            incident["service"],
                            findings
                                .iter()
                                .filter(|f| on_host(f))
                                .map(|f| (&f.code, &f.title))
                                .collect::<Vec<_>>()
                        );
                    }
                    for &i in &found {
                        let f = &findings[i];
                        explained[i] = true;
                        assert_eq!(f.count, failures, "{id}: {}", f.title);
                        if targets.len() <= 20 {
                            // The account that got in may not have been guessed at
                            // before (the generator lists it among the targets anyway).
                            for target in targets.iter().filter(|t| Some(**t) != success_user) {
                                assert!(
                                    f.subject.users.iter().any(|u| u == target),
                                    "{id}: {target} missing from {:?}",
                                    f.subject.users
                                );
                            }
                        }
                    }
                    if let Some(user) = success_user {
                        compromised += 1;
                        let hits: Vec<usize> = (0..findings.len())
                            .filter(|&i| {
                                let f = &findings[i];
                                on_host(f)
                                    && f.code == "LG005"
                                    && from_source(f, &names)
                                    && f.subject.users.first().map(String::as_str) == Some(user)
                            })
                            .collect();
                        assert_eq!(hits.len(), 1, "{id}: no LG005 for {user} from {names:?}");
                        let f = &findings[hits[0]];
                        assert_eq!(f.severity, Severity::Critical);
                        explained[hits[0]] = true;
                    }
                }
                "login_typo" => {
                    typos += 1;
                    for f in findings.iter().filter(|f| on_host(f)) {
                        assert!(
                            !(attempt_codes.contains(&f.code) && from_source(f, &names)),
                            "{id}: a typo reported: {}",
                            f.title
                        );
                    }
                }
                _ => {}
            }
        }
        for (finding, explained) in findings.iter().zip(&explained) {
            if attempt_codes.contains(&finding.code) {
                assert!(
                    *explained,
                    "a finding no incident explains: {} {} {}",
                    finding.code, finding.host, finding.title
                );
            }
        }
        let root_logins = findings.iter().filter(|f| f.code == "LG006").count();
        println!(
            "{events} events, {} findings: {bruteforce} bruteforce incidents ({compromised} compromised) found, {typos} typos silent, {root_logins} LG006",
            findings.len()
        );
        assert!(bruteforce >= 10 && compromised >= 2 && typos >= 3);
    }
}

// ---- PAM's line and the daemon's line for one try ----------------------------------------

#[test]
fn pam_and_the_daemon_logging_the_same_try_count_once() {
    let mut log = Log::default();
    let mut events = Vec::new();
    for i in 0..8 {
        let mut pam = log.fail(Service::Ssh, "root", "192.0.2.40", i * 10);
        pam.evidence.text = "shell2 sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.40  user=root".to_string();
        events.push(pam);
        events.push(log.fail(Service::Ssh, "root", "192.0.2.40", i * 10 + 1));
        // sshd's second try on the connection has no PAM line of its own.
        events.push(log.fail(Service::Ssh, "root", "192.0.2.40", i * 10 + 3));
    }
    let findings = run(GuessingConfig::default(), &events);
    assert_eq!(only(&findings, "LG001").count, 16);
    // A PAM line with no daemon line after it (vsftpd through PAM) counts.
    let mut alone: Vec<_> = (0..8)
        .map(|i| {
            let mut e = log.fail(Service::Ftp, "root", "192.0.2.41", i * 30);
            e.evidence.text = format!("ftp vsftpd[{i}]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=root rhost=192.0.2.41");
            e
        })
        .collect();
    // A daemon line for another account does not pair with PAM's.
    alone.push(log.fail(Service::Ftp, "admin", "192.0.2.41", 211));
    let findings = run(GuessingConfig::default(), &alone);
    assert_eq!(only(&findings, "LG001").count, 9);
}

// ---- fixtures: log lines through the real parsers -----------------------------------------

mod fixtures {
    use super::super::*;
    use crate::auth::AuthParser;
    use crate::test_support::assert_japanese;
    use jiff::tz::{Offset, TimeZone};
    use kensa_logs::record::{LineRef, Record};
    use kensa_logs::year::YearResolver;
    use std::borrow::Cow;
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Replays `tests/fixtures/guessing/NAME` (format in that directory's README) and
    /// checks every mark and expected count.
    fn run_fixture(name: &str) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/guessing")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut detectors = GuessingDetectors::default();
        let mut parser = AuthParser::default();
        let tz = TimeZone::fixed(Offset::from_hours(9).expect("offset"));
        let mut years = YearResolver::new(1996, tz);
        let mut marks: BTreeMap<u64, String> = BTreeMap::new();
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        let mut tries: BTreeMap<String, u64> = BTreeMap::new();
        let mut events = 0;
        for (index, line) in text.lines().enumerate() {
            let number = index as u64 + 1;
            if let Some(expect) = line.strip_prefix("# expect:") {
                for pair in expect.split_whitespace() {
                    let (code, count) = pair.split_once('=').expect("expect CODE=N");
                    expected.insert(code.to_string(), count.parse().expect("a count"));
                }
                continue;
            }
            if let Some(counts) = line.strip_prefix("# count:") {
                for pair in counts.split_whitespace() {
                    let (code, count) = pair.split_once('=').expect("count CODE=N");
                    tries.insert(code.to_string(), count.parse().expect("a count"));
                }
                continue;
            }
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (mark, log) = line.split_once(' ').expect("MARK line");
            assert!(
                mark == "SILENT" || mark == "ANY" || RULES.iter().any(|r| r.code == mark),
                "{name}:{number}: unknown mark {mark}"
            );
            marks.insert(number, mark.to_string());
            let raw = log.as_bytes();
            let header = kensa_logs::syslog::parse(raw)
                .unwrap_or_else(|| panic!("{name}:{number}: not a syslog line"));
            let record = Record {
                at: LineRef {
                    file: name,
                    line: number,
                    offset: 0,
                    raw,
                    before: &[],
                    journal: None,
                },
                time: years.resolve(&header.stamp),
                host: header
                    .host
                    .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
                program: header.program,
                pid: header.pid,
                message: header.message,
            };
            if let Some(event) = parser.parse(&record) {
                events += 1;
                detectors.observe(&event);
            }
        }
        assert!(events > 0, "{name}: the parsers made no events");
        let findings = detectors.finish();
        findings.iter().for_each(assert_japanese);
        let mut reported: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
        for finding in &findings {
            for evidence in &finding.evidence {
                let mark = marks.get(&evidence.line).map_or("?", String::as_str);
                assert!(
                    mark == finding.code || mark == "ANY",
                    "{name}:{}: evidence of {} but marked {mark}: {}",
                    evidence.line,
                    finding.code,
                    finding.title
                );
                reported
                    .entry(evidence.line)
                    .or_default()
                    .push(finding.code);
            }
        }
        for (line, mark) in &marks {
            if mark.starts_with("LG") {
                assert!(
                    reported
                        .get(line)
                        .is_some_and(|codes| codes.contains(&mark.as_str())),
                    "{name}:{line}: must be evidence of {mark}; findings: {:#?}",
                    findings.iter().map(|f| &f.title).collect::<Vec<_>>()
                );
            }
        }
        for (code, count) in expected {
            let got = findings.iter().filter(|f| f.code == code).count();
            assert_eq!(got, count, "{name}: number of {code} findings");
        }
        for (code, count) in tries {
            let got: u64 = findings
                .iter()
                .filter(|f| f.code == code)
                .map(|f| f.count)
                .sum();
            assert_eq!(got, count, "{name}: tries counted by {code} findings");
        }
    }

    #[test]
    fn fixture_lg001_burst() {
        run_fixture("lg001.log");
    }

    #[test]
    fn fixture_lg002_slow() {
        run_fixture("lg002.log");
    }

    #[test]
    fn fixture_lg003_distributed() {
        run_fixture("lg003.log");
    }

    #[test]
    fn fixture_lg004_spraying() {
        run_fixture("lg004.log");
    }

    #[test]
    fn fixture_lg005_success_after_failures() {
        run_fixture("lg005.log");
    }

    #[test]
    fn fixture_lg006_remote_root_login() {
        run_fixture("lg006.log");
    }

    #[test]
    fn fixture_lg007_account_probing() {
        run_fixture("lg007.log");
    }
}

#[test]
fn detectors_can_move_between_threads() {
    // The engine reads rotation sets in parallel and merges their detectors.
    fn assert_send<T: Send + 'static>() {}
    assert_send::<GuessingDetectors>();
}

#[test]
fn a_source_evicted_and_seen_again_is_one_finding_with_both_counts() {
    let config = GuessingConfig {
        max_sources: 10,
        ..GuessingConfig::default()
    };
    let mut log = Log::default();
    let mut detectors = GuessingDetectors::new(config);
    let burst = |log: &mut Log, d: &mut GuessingDetectors, at: i64| {
        for i in 0..8 {
            d.observe(&log.fail(Service::Ssh, "root", "192.0.2.66", at + i));
        }
    };
    burst(&mut log, &mut detectors, 0);
    // Twenty other sources push it out.
    for k in 0..20 {
        detectors.observe(&log.fail(Service::Ssh, "root", &format!("198.18.0.{k}"), 100 + k));
    }
    burst(&mut log, &mut detectors, 86_400);
    let findings = detectors.finish();
    let f = only(&findings, "LG001");
    assert_eq!(f.count, 16);
    assert_eq!(f.first_seen, Some(at(0)));
    assert_eq!(f.last_seen, Some(at(86_407)));
}

#[test]
fn a_stale_password_on_the_owners_machine_is_not_slow_guessing() {
    let mut log = Log::default();
    let mut events = vec![log.ok(Service::Pop, "tanaka", "172.16.2.22", 0)];
    // The mail client polls every ten minutes with the old password, all afternoon.
    events.extend((0..30).map(|i| log.fail(Service::Pop, "tanaka", "172.16.2.22", 3600 + i * 600)));
    assert!(run(GuessingConfig::default(), &events).is_empty());
    // The same failures from an address tanaka never logged in from are slow guessing.
    let events: Vec<_> = (0..30)
        .map(|i| log.fail(Service::Pop, "tanaka", "192.0.2.22", 3600 + i * 600))
        .collect();
    assert_eq!(codes(&run(GuessingConfig::default(), &events)), ["LG002"]);
}
