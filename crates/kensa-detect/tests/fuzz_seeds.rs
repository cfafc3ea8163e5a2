//! Every committed fuzz seed and every minimised crash, through the fuzz harnesses.
//!
//! The fuzz targets (`fuzz/`, cargo-fuzz on nightly) are not built by CI; this test is how
//! what they found stays found. It includes the harnesses themselves (`fuzz/src/lib.rs`),
//! so a seed or a crash input runs through exactly the calls and the checks it ran
//! through under libFuzzer: `fuzz/seeds/<target>/` (the starting corpora) and
//! `fuzz/regressions/<target>/` (inputs that once crashed, hung or ran out of memory, each
//! fixed in the library and named in `fuzz/README.md`).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A harness: what it returns is the entries, records or events it found.
type Harness = fn(&[u8]) -> usize;

const TARGETS: &[(&str, Harness)] = &[
    ("journal_read", harness::journal_read),
    ("audit_parse", harness::audit_parse),
    ("audit_events", harness::audit_events),
    ("syslog_line", harness::syslog_line),
];

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_seed_and_crash_input_passes_its_harness() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for (target, harness) in TARGETS {
        let seeds = inputs(&fuzz.join("seeds").join(target));
        // The seeds are the harness's proof of work: a target without any would pass
        // this test having run nothing.
        assert!(seeds.len() >= 3, "{target}: only {} seeds", seeds.len());
        let regressions = inputs(&fuzz.join("regressions").join(target));
        for path in seeds.iter().chain(&regressions) {
            let data = std::fs::read(path).unwrap();
            let started = Instant::now();
            let found = harness(&data);
            // A seed is there to lead the fuzzer into the parser: one the parser rejects
            // whole leads nowhere (a crash input may give nothing).
            assert!(
                found > 0 || !seeds.contains(path),
                "{}: nothing read",
                path.display()
            );
            // libFuzzer ran them with -timeout=10 on a release build; a debug build is
            // slower, but a hang fixed must stay well under that.
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{}: {:?}",
                path.display(),
                started.elapsed()
            );
        }
    }
}
