//! What the authentication parsers' prefilter literals cost on real text: scans files
//! with kensa's scanner and a [`Prefilter`] of `kensa_detect::auth::NEEDLES` (or of the
//! literals in `--needles FILE`, one per line, to compare with an older set) and prints
//! the bytes, the candidate lines and the throughput.
//!
//! ```text
//! cargo run --release -p kensa-detect --example prefilter_cost -- FILE...
//! cargo run --release -p kensa-detect --example prefilter_cost -- --needles old.txt FILE...
//! ```
//!
//! Timings on a busy machine wander; run it under `valgrind --tool=callgrind` for an
//! instruction count that does not.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_logs::prefilter::Prefilter;
use kensa_logs::scan::{self, Event};
use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let owned: Vec<String> = match args.iter().position(|a| a == "--needles") {
        Some(at) if at + 1 < args.len() => {
            let path = args.remove(at + 1);
            args.remove(at);
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{path}: {e}"))
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        }
        _ => kensa_detect::auth::NEEDLES
            .iter()
            .map(|n| n.to_string())
            .collect(),
    };
    let prefilter = Prefilter::new(owned.iter().map(String::as_str));
    let (mut bytes, mut candidates) = (0u64, 0u64);
    let started = Instant::now();
    for path in &args {
        let mut file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut sink = |event: Event<'_>| {
            if let Event::Candidate(_) = event {
                candidates += 1;
            }
        };
        bytes += scan::scan(&mut file, path, &prefilter, &mut sink).bytes;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} literals, {} files, {bytes} bytes, {candidates} candidate lines, {seconds:.3} s, {:.0} MB/s",
        owned.len(),
        args.len(),
        bytes as f64 / 1e6 / seconds.max(1e-9)
    );
}
