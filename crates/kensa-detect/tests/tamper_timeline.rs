//! CP006–CP008 on written rotation sets: each sign with its benign twin (a quiet night,
//! a quiet host, a reboot, delayed lines, normal rotation, files copied with one mtime).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use kensa_core::Finding;
use kensa_detect::tamper::timeline::check_set;
use kensa_logs::source::{self, LogSet};
use std::time::{Duration, SystemTime};

/// Minutes from 2023-11-10 00:00 (local = UTC here).
fn stamp(minute: i64) -> String {
    let start = DateTime::new(2023, 11, 10, 0, 0, 0, 0).unwrap();
    let at = start
        .checked_add(jiff::SignedDuration::from_mins(minute))
        .unwrap();
    at.strftime("%b %e %H:%M:%S").to_string()
}

fn line(minute: i64, text: &str) -> String {
    format!("{} mailhub {text}\n", stamp(minute))
}

/// A busy host: one cron line a minute for `days` days, minus the minutes `skip` drops.
fn busy(days: i64, skip: impl Fn(i64) -> bool) -> String {
    (0..days * 1440)
        .filter(|m| !skip(*m))
        .map(|m| line(m, "CRON[42]: (root) CMD (run-parts /etc/cron.minutely)"))
        .collect()
}

struct Root(tempfile::TempDir);

impl Root {
    fn new() -> Root {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("var/log")).unwrap();
        Root(dir)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.path().join("var/log").join(name), text).unwrap();
    }

    fn touch(&self, name: &str, seconds_ago: u64) {
        let file = std::fs::File::options()
            .append(true)
            .open(self.0.path().join("var/log").join(name))
            .unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago))
            .unwrap();
    }

    fn sets(&self) -> Vec<LogSet> {
        source::discover(&kensa_testkit::root_at(self.0.path()), &mut Vec::new())
    }

    fn check(&self) -> Vec<Finding> {
        let mut diags = Vec::new();
        let findings: Vec<Finding> = self
            .sets()
            .iter()
            .flat_map(|set| check_set(set, &TimeZone::UTC, 2023, "mailhub", &mut diags))
            .collect();
        findings
    }
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

#[test]
fn a_deleted_afternoon_in_a_busy_log_is_a_gap() {
    let root = Root::new();
    // Day 3, 13:00 to 17:00 deleted.
    let wiped = |m: i64| (2 * 1440 + 13 * 60..2 * 1440 + 17 * 60).contains(&m);
    root.write("syslog", &busy(5, wiped));
    let findings = root.check();
    assert_eq!(codes(&findings), ["CP006"]);
    let f = &findings[0];
    assert_eq!(f.count, 1);
    assert_eq!(f.evidence.len(), 2);
    assert_eq!(f.evidence[0].line, 2 * 1440 + 13 * 60);
    assert!(
        f.evidence[1].text.starts_with("after a gap of 4 h 1 min (this log's usual longest daily silence: 1 min, median of 5 days; threshold 2 h 0 min)"),
        "{}",
        f.evidence[1].text
    );
    // The line before the gap is quoted; the line after it carries kensa's words.
    assert_eq!(f.evidence[0].text_ja, None);
    let ja = f.evidence[1].text_ja.as_deref().unwrap_or_default();
    assert!(
        ja.starts_with("4 時間 1 分 の空白の後（このログの 1 日で最も長い無記録時間は通常 1 分、5 日分の中央値。しきい値 2 時間 0 分）: "),
        "{ja}"
    );
}

#[test]
fn quiet_nights_quiet_hosts_and_reboots_are_not_gaps() {
    // Every night silent from 22:00 to 07:00: that is the rhythm.
    let nights = Root::new();
    nights.write(
        "syslog",
        &busy(7, |m| !(7 * 60..22 * 60).contains(&(m % 1440))),
    );
    assert!(nights.check().is_empty(), "{:#?}", nights.check());

    // A host with ten lines a day over a week, with a two-day silence: too quiet to judge.
    let quiet = Root::new();
    let text: String = (0..7 * 1440)
        .filter(|m| m % 144 == 0 && !(2 * 1440..4 * 1440).contains(m))
        .map(|m| line(m, "sshd[7]: Accepted publickey for alice"))
        .collect();
    quiet.write("syslog", &text);
    assert!(quiet.check().is_empty());

    // A busy host down for four hours: the silence ends with syslogd starting.
    let reboot = Root::new();
    let down = 2 * 1440 + 13 * 60..2 * 1440 + 17 * 60;
    let mut text = String::new();
    for m in 0..5 * 1440 {
        if down.contains(&m) {
            continue;
        }
        if m == down.end {
            text.push_str(&line(m, "syslogd 1.4.1: restart."));
        }
        text.push_str(&line(m, "CRON[42]: (root) CMD (true)"));
    }
    reboot.write("syslog", &text);
    assert!(reboot.check().is_empty());
}

#[test]
fn pasted_old_lines_go_backwards_but_late_lines_do_not() {
    let root = Root::new();
    let mut text = busy(3, |_| false);
    // An innocent hour of day 1 pasted at the end (day 3 ends at 23:59).
    for m in 600..660 {
        text.push_str(&line(m, "CRON[42]: (root) CMD (true)"));
    }
    text.push_str(&line(3 * 1440, "CRON[42]: (root) CMD (true)"));
    root.write("syslog", &text);
    let findings = root.check();
    assert_eq!(codes(&findings), ["CP007"]);
    assert_eq!(findings[0].count, 60, "every pasted line counted");
    assert_eq!(findings[0].evidence.len(), 1, "one entry per run");
    assert_eq!(findings[0].evidence[0].line, 3 * 1440 + 1);
    assert!(
        findings[0].evidence[0]
            .text
            .starts_with("2 d 13 h before the latest line so far")
    );

    // A line delivered an hour late (within the two-hour tolerance) is not pasted.
    let late = Root::new();
    let mut text = busy(3, |_| false);
    text.push_str(&line(3 * 1440 - 60, "kernel: late message"));
    late.write("syslog", &text);
    assert!(late.check().is_empty());
}

#[test]
fn rotation_sets_normal_and_abnormal() {
    // Normal: syslog.2.gz-style numbering without holes, times following on, mtimes in order.
    let normal = Root::new();
    normal.write("syslog.2", &busy(1, |_| false));
    normal.write(
        "syslog.1",
        &(1440..2 * 1440)
            .map(|m| line(m, "CRON[1]: x"))
            .collect::<String>(),
    );
    normal.write(
        "syslog",
        &(2 * 1440..3 * 1440)
            .map(|m| line(m, "CRON[1]: x"))
            .collect::<String>(),
    );
    normal.touch("syslog.2", 7200);
    normal.touch("syslog.1", 3600);
    assert!(normal.check().is_empty(), "{:#?}", normal.check());

    // messages.0 and messages.2 without messages.1 (BSD numbering from 0).
    let missing = Root::new();
    missing.write("messages.2", &busy(1, |_| false));
    missing.write(
        "messages.0",
        &(2 * 1440..3 * 1440)
            .map(|m| line(m, "CRON[1]: x"))
            .collect::<String>(),
    );
    missing.write(
        "messages",
        &(3 * 1440..4 * 1440)
            .map(|m| line(m, "CRON[1]: x"))
            .collect::<String>(),
    );
    let findings = missing.check();
    let rotation: Vec<&Finding> = findings.iter().filter(|f| f.code == "CP008").collect();
    assert_eq!(rotation.len(), 1, "{findings:#?}");
    assert!(rotation[0].evidence.iter().any(|e| {
        e.text
            .starts_with("rotation(s) 1 missing between var/log/messages.0")
            && e.text_ja.as_deref()
                == Some("var/log/messages.0 と古いローテーション 2 の間のローテーション 1 がない")
    }));

    // The current file starts a day before its rotation ends (restored from an old copy),
    // and the rotated file was written two hours after the current one.
    let overlap = Root::new();
    overlap.write("syslog.1", &busy(2, |_| false));
    overlap.write(
        "syslog",
        &(1440..3 * 1440)
            .map(|m| line(m, "CRON[1]: x"))
            .collect::<String>(),
    );
    overlap.touch("syslog", 3 * 3600);
    overlap.touch("syslog.1", 3600);
    let findings = overlap.check();
    assert_eq!(codes(&findings), ["CP008"], "{findings:#?}");
    let texts: Vec<&str> = findings[0]
        .evidence
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with(
            "first line is 23 h 59 min earlier than the last line of the older var/log/syslog.1"
        )),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("2 h 0 min after the newer var/log/syslog")),
        "{texts:?}"
    );
}
