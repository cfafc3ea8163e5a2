//! Memory and speed of the password-guessing detectors under a flood: 10 million failed
//! logins from 1 million distinct sources, as an attacker who controls the logs (or a
//! botnet) can produce. The detectors' state is capped by design; this measures that the
//! caps hold — peak RSS (`VmHWM` of `/proc/self/status`) must stay under 256 MiB — and
//! how many events per second they take.
//!
//! ```text
//! cargo run --release -p kensa-detect --example guessing_memory -- interleaved
//! cargo run --release -p kensa-detect --example guessing_memory -- bursts
//! ```
//!
//! * `interleaved`: every source makes one try now and then; each comes back only after
//!   a million other events, so nearly every source is evicted between its tries and
//!   the per-account state (distributed guessing) does the work.
//! * `bursts`: each source makes its ten tries within ten seconds, then the next source:
//!   a million LG001 bursts, so the finding cap and its summary are exercised.
//!
//! Events are generated on the fly (an `AuthEvent` with its evidence line, as the parsers
//! would give); the time to build them is measured separately and reported, so the
//! detectors' own rate can be told apart.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use jiff::Timestamp;
use jiff::tz::Offset;
use kensa_core::{Evidence, LogTime};
use kensa_detect::auth::guessing::GuessingDetectors;
use kensa_detect::auth::{AuthEvent, AuthOutcome, Service};
use std::time::Instant;

const EVENTS: u64 = 10_000_000;
const SOURCES: u64 = 1_000_000;
const ACCOUNTS: u64 = 2_000;

fn source_of(index: u64) -> String {
    format!(
        "10.{}.{}.{}",
        (index >> 16) & 0xff,
        (index >> 8) & 0xff,
        index & 0xff
    )
}

fn event(i: u64, interleaved: bool, base: Timestamp) -> AuthEvent {
    let (source, second) = if interleaved {
        // A permutation of the sources, repeated ten times: every source tries once per
        // million events.
        ((i % SOURCES).wrapping_mul(760_301) % SOURCES, i / 20)
    } else {
        (i / 10, (i / 10) * 20 + i % 10)
    };
    let account = (i.wrapping_mul(2_654_435_761) >> 7) % ACCOUNTS;
    let user = format!("user{account}");
    let source = source_of(source);
    let time = LogTime::new(
        base.checked_add(jiff::SignedDuration::from_secs(second as i64))
            .unwrap_or(base),
        Offset::UTC,
    );
    let text = format!(
        "Dec 21 01:32:13 shell2 sshd[{}]: Failed password for {user} from {source} port {} ssh2",
        1000 + i % 30_000,
        1024 + i % 60_000
    );
    AuthEvent {
        host: "shell2".to_string(),
        service: Service::Ssh,
        outcome: AuthOutcome::Failure,
        user: Some(user),
        source: Some(source),
        port: None,
        address: None,
        local_user: None,
        time: Some(time),
        count: 1,
        probe: false,
        evidence: Evidence::from_line(
            "var/log/auth.log",
            i + 1,
            i * 90,
            text.as_bytes(),
            Some(time),
        ),
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "interleaved".to_string());
    let interleaved = match mode.as_str() {
        "interleaved" => true,
        "bursts" => false,
        other => {
            eprintln!("usage: guessing_memory [interleaved|bursts] (not {other:?})");
            std::process::exit(2);
        }
    };
    let base: Timestamp = "1996-12-20T00:00:00Z".parse().expect("timestamp");

    // The cost of building the events alone, on a tenth of them.
    let started = Instant::now();
    let mut sink = 0usize;
    for i in 0..EVENTS / 10 {
        sink = sink.wrapping_add(event(i, interleaved, base).evidence.text.len());
    }
    let build_per_event = started.elapsed().as_secs_f64() / (EVENTS / 10) as f64;

    let mut detectors = GuessingDetectors::default();
    let started = Instant::now();
    for i in 0..EVENTS {
        detectors.observe(&event(i, interleaved, base));
    }
    let observed = started.elapsed().as_secs_f64();
    let (forgotten_sources, forgotten_failures) = detectors.forgotten();
    let peak_before_finish = peak_rss_kib().unwrap_or(0);
    let started = Instant::now();
    let findings = detectors.finish();
    let finished = started.elapsed().as_secs_f64();

    let detector_seconds = (observed - build_per_event * EVENTS as f64).max(1e-9);
    let mut by_code = std::collections::BTreeMap::new();
    for finding in &findings {
        *by_code.entry(finding.code).or_insert(0u64) += 1;
    }
    let peak = peak_rss_kib().unwrap_or(0);
    println!("mode: {mode} ({sink} bytes of lines built)");
    println!("events: {EVENTS} failures from {SOURCES} sources against {ACCOUNTS} accounts");
    println!(
        "observe: {observed:.1} s = {:.0} events/s including building the events; \
         detectors alone ~{:.0} events/s",
        EVENTS as f64 / observed,
        EVENTS as f64 / detector_seconds
    );
    println!(
        "finish: {finished:.2} s, {} findings {by_code:?}",
        findings.len()
    );
    println!(
        "forgotten below every threshold: {forgotten_sources} sources, {forgotten_failures} failures"
    );
    println!(
        "peak RSS before finish: {:.1} MiB",
        peak_before_finish as f64 / 1024.0
    );
    println!(
        "peak RSS (VmHWM): {:.1} MiB — limit 256 MiB: {}",
        peak as f64 / 1024.0,
        if peak < 256 * 1024 { "ok" } else { "EXCEEDED" }
    );
    if peak >= 256 * 1024 {
        std::process::exit(1);
    }
}
