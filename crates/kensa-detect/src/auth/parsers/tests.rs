//! Fixture tests of the parsers: every line of `tests/fixtures/auth/*.log` carries its
//! expectation (format in that directory's README), plus hostile inputs written here.

use super::*;
use kensa_core::LogTime;
use kensa_logs::record::LineRef;
use kensa_logs::syslog;
use std::borrow::Cow;
use std::path::Path;

/// The event of one syslog line, through a fresh parser.
fn event(line: &str) -> Option<AuthEvent> {
    AuthParser::default().parse(&record(line.as_bytes()))
}

fn record(raw: &[u8]) -> Record<'_> {
    let header = syslog::parse_any(raw).expect("fixture lines have a stamp");
    Record {
        at: LineRef {
            file: "fixture",
            line: 1,
            offset: 0,
            raw,
            before: &[],
            journal: None,
        },
        time: None,
        host: header
            .host
            .map_or(Cow::Borrowed("localhost"), String::from_utf8_lossy),
        program: header.program,
        pid: header.pid,
        message: header.message,
    }
}

/// One expectation of a fixture line: `OUTCOME service source user count [local]`,
/// `-` for none; or `NONE`.
fn check(file: &str, number: usize, expect: &str, log: &str) {
    let got = event(log);
    if expect == "NONE" {
        assert!(
            got.is_none(),
            "{file}:{number}: want nothing, got {got:?}\n  {log}"
        );
        return;
    }
    let fields: Vec<&str> = expect.split('|').map(str::trim).collect();
    let [outcome, service, source, user, count, rest @ ..] = fields.as_slice() else {
        panic!("{file}:{number}: bad expectation {expect:?}");
    };
    let got = got.unwrap_or_else(|| panic!("{file}:{number}: want {expect}, got nothing\n  {log}"));
    let opt = |s: &str| match s {
        "-" => None,
        "\"\"" => Some(String::new()),
        s => Some(s.to_string()),
    };
    let describe = format!("{file}:{number}: {got:?}\n  {log}");
    assert_eq!(format!("{:?}", got.outcome), *outcome, "{describe}");
    assert_eq!(got.service.as_str(), *service, "{describe}");
    assert_eq!(got.source, opt(source), "{describe}");
    assert_eq!(got.user, opt(user), "{describe}");
    assert_eq!(got.count.to_string(), *count, "{describe}");
    if let Some(local) = rest.first() {
        assert_eq!(got.local_user, opt(local), "{describe}");
    }
}

/// Runs every fixture file: lines `EXPECT ;; LOG` where EXPECT is
/// `Outcome | service | source | user | count [| local_user]` or `NONE`; `-` is
/// an absent field, `""` an empty one.
#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/auth");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    assert!(files.len() >= 6, "fixture files missing");
    let mut checked = 0;
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let text = std::fs::read_to_string(&path).expect("fixture");
        for (index, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (expect, log) = line
                .split_once(" ;; ")
                .unwrap_or_else(|| panic!("{name}:{}: no ` ;; `", index + 1));
            check(&name, index + 1, expect.trim(), log);
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} fixture lines");
}

#[test]
fn injected_from_in_a_user_name_does_not_move_the_source() {
    for line in [
        "Nov 11 08:04:52 h sshd[1]: Failed password for invalid user x from 10.0.0.1 port 1 ssh2 from 192.0.2.7 port 58946 ssh2",
        "Nov 11 08:04:52 h sshd[1]: Failed password for invalid user x from 10.0.0.1 from 192.0.2.7 port 58946 ssh2",
        "Nov 11 08:04:52 h sshd[1]: Invalid user from 10.0.0.1 port 22 from 192.0.2.7 port 58946",
        "Nov 11 08:04:52 h sshd[1]: error: PAM: Authentication failure for x from 10.0.0.1 from 192.0.2.7",
        "Nov 11 08:04:52 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=x rhost=10.0.0.1 rhost=192.0.2.7",
        "Nov 11 08:04:52 h sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.7  user=x rhost=10.0.0.1",
        "Nov 11 08:04:52 h imapd[1]: Login failed user=x host=a [10.0.0.1] auth=x host=b [192.0.2.7]",
        "Nov 11 08:04:52 h dovecot: imap-login: Aborted login (auth failed, 1 attempts): user=<x>, rip=10.0.0.1>, method=PLAIN, rip=192.0.2.7, lip=10.1.1.1",
        "Nov 11 08:04:52 h popper[1]: x (10.0.0.1): -ERR Password supplied for \"y\" is incorrect. at z at h (192.0.2.7): -ERR Password supplied for \"x (10.0.0.1): -ERR Password supplied for \"y\" is incorrect. at z\" is incorrect.",
    ] {
        let got = event(line).unwrap_or_else(|| panic!("nothing for {line}"));
        assert_eq!(got.source.as_deref(), Some("192.0.2.7"), "{line}: {got:?}");
        assert!(got.outcome.is_failure(), "{line}: {got:?}");
    }
}

#[test]
fn ansi_escapes_and_invalid_utf8_in_user_names_are_kept() {
    let line = b"Nov 11 08:04:52 h sshd[1]: Failed password for invalid user \x1b[31mred\xff from 192.0.2.7 port 22 ssh2";
    let got = AuthParser::default()
        .parse(&record(line))
        .expect("an event");
    assert_eq!(got.user.as_deref(), Some("\u{1b}[31mred\u{fffd}"));
    assert_eq!(got.source.as_deref(), Some("192.0.2.7"));
}

#[test]
fn huge_and_garbage_lines_do_not_panic() {
    let mut long = b"Nov 11 08:04:52 h sshd[1]: Failed password for invalid user ".to_vec();
    long.extend(std::iter::repeat_n(b'x', 100 * 1024));
    long.extend_from_slice(b" from 192.0.2.7 port 22 ssh2");
    let got = AuthParser::default()
        .parse(&record(&long))
        .expect("an event");
    assert_eq!(got.source.as_deref(), Some("192.0.2.7"));

    let mut many_froms = b"Nov 11 08:04:52 h sshd[1]: Failed password for invalid user ".to_vec();
    for _ in 0..10_000 {
        many_froms.extend_from_slice(b" from x");
    }
    // The first ` from ` with sshd's tail shape is the last one: the rest is the user.
    let got = AuthParser::default()
        .parse(&record(&many_froms))
        .expect("an event");
    assert_eq!(got.source.as_deref(), Some("x"));

    // Lines stuffed with a parser's separators stay fast (each is tried a bounded
    // number of times, or in one pass).
    for (program, unit) in [
        (
            &b"popper"[..],
            &b"): -ERR Password supplied for \"x\" is incorrect"[..],
        ),
        (b"sshd", b" from 1.2.3.4 port 1 ssh2:"),
        (b"sshd", b" port 22 [preauth]"),
        (b"imapd", b" host=a [1.2.3.4] auth="),
        (b"dovecot", b", rip=1.2.3.4>, user=<"),
        (b"vsftpd", b" rhost=1.2.3.4 ruser="),
    ] {
        let mut raw = b"Nov 11 08:04:52 h ".to_vec();
        raw.extend_from_slice(program);
        raw.extend_from_slice(b"[1]: Failed password for invalid user ");
        for _ in 0..(100 * 1024 / unit.len()) {
            raw.extend_from_slice(unit);
        }
        let started = std::time::Instant::now();
        let _ = AuthParser::default().parse(&record(&raw));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{} stuffed with {:?} took {:?}",
            String::from_utf8_lossy(program),
            String::from_utf8_lossy(unit),
            started.elapsed()
        );
    }

    // Every prefix of every needle-bearing shape, and random bytes after a header.
    let mut parser = AuthParser::default();
    let shapes: &[&[u8]] = &[
        b"Failed password for root from 1.2.3.4 port 22 ssh2",
        b"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
        b"3 LOGIN FAILURES FROM h, root",
        b"Login failed user=a auth=a host=b [1.2.3.4]",
        b"(?@1.2.3.4) [WARNING] Authentication failed for user [a]",
        b"a at b (1.2.3.4): -ERR Password supplied for \"a\" is incorrect.",
        b"message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]",
        b"Exit before auth from <1.2.3.4:5>: Max auth tries reached - user 'x'",
    ];
    for program in [
        &b"sshd"[..],
        b"login",
        b"imapd",
        b"pure-ftpd",
        b"popper",
        b"dropbear",
        b"su",
        b"proftpd",
    ] {
        for shape in shapes {
            for cut in 0..=shape.len() {
                let mut raw = b"Nov 11 08:04:52 h ".to_vec();
                raw.extend_from_slice(program);
                raw.extend_from_slice(b"[1]: ");
                raw.extend_from_slice(&shape[..cut]);
                let _ = parser.parse(&record(&raw));
            }
        }
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        let mut raw = b"Nov 11 08:04:52 h sshd[1]: Failed password for ".to_vec();
        for _ in 0..(state % 200) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            raw.push(b" frompt:[]()<>=,'\"0123456789.sh"[(state % 31) as usize]);
        }
        let _ = parser.parse(&record(&raw));
    }
}

/// A record at `seconds` past the epoch, line `line`.
fn timed(raw: &[u8], seconds: i64, line: u64) -> Record<'_> {
    let mut rec = record(raw);
    rec.time = Some(LogTime::new(
        jiff::Timestamp::from_second(seconds).expect("a time"),
        jiff::tz::Offset::UTC,
    ));
    rec.at.line = line;
    rec
}

#[test]
fn repetitions_multiply_the_previous_event_of_the_same_host() {
    let mut parser = AuthParser::default();
    let first = b"Nov 11 08:04:52 h sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2";
    let again = b"Nov 11 08:04:54 h last message repeated 4 times";
    let other_host = b"Nov 11 08:04:54 g last message repeated 4 times";
    assert_eq!(
        parser.parse(&timed(first, 1000, 1)).map(|e| e.count),
        Some(1)
    );
    let repeated = parser.parse(&timed(again, 1002, 2)).expect("repeated");
    assert_eq!(repeated.count, 4);
    assert_eq!(repeated.source.as_deref(), Some("192.0.2.7"));
    assert!(
        parser.parse(&timed(other_host, 1002, 3)).is_none(),
        "another host's repetition"
    );
    // Without context and long after: it repeats a line the parser never saw.
    assert!(parser.parse(&timed(again, 1000 + 2400, 4)).is_none());
    // Without a time, nothing can be said.
    let mut untimed = record(again);
    untimed.at.line = 5;
    assert!(parser.parse(&untimed).is_none());

    // With look-back context: a non-auth line of the host in between wins, even soon.
    let text = b"Nov 11 08:04:52 h sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\nNov 11 08:04:53 h cron[2]: (root) CMD (true)\n";
    let mut parser = AuthParser::default();
    parser.parse(&timed(first, 1000, 1));
    let mut rec = timed(again, 1002, 3);
    rec.at.offset = text.len() as u64;
    rec.at.before = text;
    assert!(
        parser.parse(&rec).is_none(),
        "the repetition is of the cron line"
    );
    // ... and the event itself, right before, is repeated.
    let text = b"Nov 11 08:04:52 h sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\nNov 11 08:04:53 g cron[2]: (root) CMD (true)\n";
    let mut rec = timed(again, 1002, 3);
    rec.at.offset = text.len() as u64;
    rec.at.before = text;
    assert_eq!(parser.parse(&rec).map(|e| e.count), Some(4));

    // rsyslog's form carries the message.
    let got = event("Nov 11 08:04:52 h sshd[1]: message repeated 3 times: [ Failed password for root from 192.0.2.7 port 22 ssh2]")
        .expect("event");
    assert_eq!((got.count, got.source.as_deref()), (3, Some("192.0.2.7")));
}

#[test]
fn remembered_hosts_are_bounded() {
    let mut parser = AuthParser::default();
    for n in 0..(MAX_REMEMBERED_HOSTS + 10) {
        let line = format!(
            "Nov 11 08:04:52 h{n} sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2"
        );
        parser.parse(&record(line.as_bytes()));
        assert!(parser.last.len() <= MAX_REMEMBERED_HOSTS);
    }
}

#[test]
fn needles_are_in_every_parsed_fixture_line_and_start_rare() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/auth");
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "log") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("fixture");
        for line in text.lines() {
            let Some((expect, log)) = line.split_once(" ;; ") else {
                continue;
            };
            if expect.trim() == "NONE" {
                continue;
            }
            assert!(
                NEEDLES.iter().any(|n| log.contains(n)),
                "{}: no needle in {log}",
                path.display()
            );
        }
    }
    for needle in NEEDLES {
        assert!(needle.len() >= 3, "{needle:?} is too short");
        let head = &needle[..3];
        for common in [
            "to=", "fro", "Dec", ", d", "the", "ion", " in", "ing", "con",
        ] {
            assert_ne!(head, common, "{needle:?} starts with a common trigram");
        }
    }
}

#[test]
fn a_login_process_counts_each_try_once_and_names_its_client_at_the_session() {
    // One telnet connection as shadow's login 4.13 with PAM logged it (captured by
    // crates/kensa/tests/live/login-attack.sh): 3 wrong passwords, then the right one.
    let lines: [&[u8]; 9] = [
        b"Dec  7 12:52:26 vm login[19190]: pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/pts/0 ruser= rhost=127.0.0.21  user=kvictim",
        b"Dec  7 12:52:29 vm login[19190]: FAILED LOGIN (1) on '/dev/pts/0' from '127.0.0.21' FOR 'kvictim', Authentication failure",
        b"Dec  7 12:52:33 vm login[19190]: FAILED LOGIN (2) on '/dev/pts/0' from '127.0.0.21' FOR 'kvictim', Authentication failure",
        b"Dec  7 12:52:36 vm login[19190]: FAILED LOGIN (3) on '/dev/pts/0' from '127.0.0.21' FOR 'kvictim', Authentication failure",
        b"Dec  7 12:52:36 vm login[19190]: pam_unix(login:session): session opened for user kvictim(uid=4242) by (uid=0)",
        b"Dec  7 12:52:37 vm login[19190]: pam_unix(login:session): session closed for user kvictim",
        // Another process: 5 tries, TOO MANY, and PAM's summary of the 4 after its first.
        b"Dec  7 12:52:26 vm login[19197]: pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/pts/1 ruser= rhost=127.0.0.20  user=root",
        b"Dec  7 12:52:44 vm login[19197]: TOO MANY LOGIN TRIES (5) on '/dev/pts/1' from '127.0.0.20' FOR 'root'",
        b"Dec  7 12:52:44 vm login[19197]: PAM 4 more authentication failures; logname= uid=0 euid=0 tty=/dev/pts/1 ruser= rhost=127.0.0.20  user=root",
    ];
    let mut parser = AuthParser::default();
    let events: Vec<AuthEvent> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, raw)| parser.parse(&timed(raw, 1000 + i as i64, i as u64 + 1)))
        .collect();
    let summary: Vec<(AuthOutcome, Option<&str>, u32)> = events
        .iter()
        .map(|e| (e.outcome, e.source.as_deref(), e.count))
        .collect();
    assert_eq!(
        summary,
        [
            (AuthOutcome::Failure, Some("127.0.0.21"), 1),
            (AuthOutcome::Failure, Some("127.0.0.21"), 0),
            (AuthOutcome::Failure, Some("127.0.0.21"), 1),
            (AuthOutcome::Failure, Some("127.0.0.21"), 1),
            // The session names no client; the process's failures did.
            (AuthOutcome::Session, Some("127.0.0.21"), 1),
            (AuthOutcome::Failure, Some("127.0.0.20"), 1),
            (AuthOutcome::Failure, Some("127.0.0.20"), 0),
            // 1 + 4 = 5 tries, however many of them login's own lines showed.
            (AuthOutcome::Failure, Some("127.0.0.20"), 4),
        ]
    );
    assert_eq!(events[4].service, Service::Telnet);
    assert_eq!(events[4].user.as_deref(), Some("kvictim"));
}

/// proftpd 1.3.8's ExtendedLog (`auth` format) names the account on the `USER` line and
/// logs the try as `PASS` 530 or 230 of the same pid: each is an event with the account
/// of its session.
#[test]
fn proftpd_extended_log_successes_carry_their_sessions_account() {
    let mut parser = AuthParser::default();
    let lines = [
        "kensa live [29779] 127.0.2.11 [07/Dec/2026:12:10:58 +0000] \"USER kvictim\" 331",
        "kensa live [29779] 127.0.2.11 [07/Dec/2026:12:10:58 +0000] \"PASS (hidden)\" 530",
        "kensa live [29798] ::ffff:127.0.2.11 [07/Dec/2026:12:10:58 +0000] \"USER kvictim\" 331",
        "kensa live [29798] ::ffff:127.0.2.11 [07/Dec/2026:12:10:58 +0000] \"PASS (hidden)\" 230",
        "kensa live [29815] 127.0.2.13 [07/Dec/2026:12:11:00 +0000] \"PASS (hidden)\" 230",
        "x [07/Dec/2026:12:11:00 +0000] \"PASS (hidden)\" 230",
        "kensa live [29815] 127.0.2.13 [07/Dec/2026:12:11:00 +0000] x \"USER kvictim\" 331",
    ];
    let events: Vec<_> = lines
        .iter()
        .map(|line| parser.parse(&record(line.as_bytes())))
        .collect();
    assert!(events[0].is_none() && events[2].is_none());
    let failure = events[1].as_ref().unwrap();
    assert_eq!(
        (
            failure.outcome,
            failure.source.as_deref(),
            failure.user.as_deref()
        ),
        (AuthOutcome::Failure, Some("127.0.2.11"), Some("kvictim"))
    );
    let success = events[3].as_ref().unwrap();
    assert_eq!(
        (
            success.outcome,
            success.source.as_deref(),
            success.user.as_deref()
        ),
        (AuthOutcome::Success, Some("127.0.2.11"), Some("kvictim"))
    );
    // No USER line seen for the session: a success without an account, never another's.
    let anonymous = events[4].as_ref().unwrap();
    assert_eq!(anonymous.user, None);
    assert!(events[5].is_none() && events[6].is_none());
}

#[test]
fn a_connection_that_gave_up_counts_at_least_one_try_from_the_client_it_opened_with() {
    // Old OpenSSH at LogLevel VERBOSE: the client is named when the connection opens,
    // not in the `Disconnecting:` line; the failed keys before it were not logged.
    let quiet: [&[u8]; 2] = [
        b"Feb 12 04:09:18 h sshd[26713]: Connection from 115.249.163.77 port 51353 on 127.0.0.1 port 22",
        b"Feb 12 04:09:21 h sshd[26713]: Disconnecting: Too many authentication failures for root [preauth]",
    ];
    // A connection whose tries were all logged: the end adds none.
    let loud: [&[u8]; 4] = [
        b"Feb 12 05:00:01 h sshd[300]: Failed password for root from 192.0.2.9 port 4000 ssh2",
        b"Feb 12 05:00:02 h sshd[300]: Failed password for root from 192.0.2.9 port 4000 ssh2",
        b"Feb 12 05:00:03 h sshd[300]: Failed password for root from 192.0.2.9 port 4000 ssh2",
        b"Feb 12 05:00:03 h sshd[300]: error: maximum authentication attempts exceeded for root from 192.0.2.9 port 4000 ssh2 [preauth]",
    ];
    let mut parser = AuthParser::default();
    let events: Vec<(Option<String>, u32)> = quiet
        .iter()
        .chain(loud.iter())
        .enumerate()
        .filter_map(|(i, raw)| parser.parse(&timed(raw, 1000 + i as i64, i as u64 + 1)))
        .map(|e| (e.source, e.count))
        .collect();
    let from = |s: &str| Some(s.to_string());
    assert_eq!(
        events,
        [
            (from("115.249.163.77"), 1),
            (from("192.0.2.9"), 1),
            (from("192.0.2.9"), 1),
            (from("192.0.2.9"), 1),
            (from("192.0.2.9"), 0),
        ]
    );
}
