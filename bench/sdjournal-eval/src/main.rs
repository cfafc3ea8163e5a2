//! Reads journal directories with sdjournal, every entry and every field, and prints what
//! it got: entries, fields, field bytes, errors (the first few in words), seconds.
//!
//! ```sh
//! sdjournal-eval [--no-mmap] DIR...
//! ```
//!
//! sdjournal opens directories, not files (`Journal::open_dir`: `*.journal` in DIR and in
//! its machine-id subdirectories), so each file to measure alone goes in a directory of
//! its own. An error item does not end the walk: the iterator is asked for more until it
//! ends, so a reader that gives the readable entries plus an error shows both (a guard of
//! 1,000,000 errors stops one that would only repeat its error).

use sdjournal::{Journal, JournalConfig, MmapPolicy};
use std::time::Instant;

fn main() {
    let mut config = JournalConfig::default();
    let mut dirs = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--no-mmap" {
            config.mmap_policy = MmapPolicy::Never;
        } else {
            dirs.push(arg);
        }
    }
    for dir in dirs {
        let started = Instant::now();
        let journal = match Journal::open_dir_with_config(&dir, config.clone()) {
            Ok(journal) => journal,
            Err(error) => {
                println!("{dir}: open failed: {error}");
                continue;
            }
        };
        let (mut entries, mut fields, mut bytes, mut errors) = (0u64, 0u64, 0u64, 0u64);
        let mut first_errors = Vec::new();
        match journal.query().iter() {
            Err(error) => println!("{dir}: query failed: {error}"),
            Ok(iter) => {
                for item in iter {
                    match item {
                        Ok(entry) => {
                            entries += 1;
                            for (name, value) in entry.iter_fields() {
                                fields += 1;
                                bytes += (name.len() + value.len() + 1) as u64;
                            }
                        }
                        Err(error) => {
                            errors += 1;
                            if first_errors.len() < 3 {
                                first_errors.push(error.to_string());
                            }
                            if errors >= 1_000_000 {
                                break;
                            }
                        }
                    }
                }
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{dir}: {entries} entries, {fields} fields, {:.1} MB of fields, {errors} errors, {seconds:.3} s, {:.0} entries/s {first_errors:?}",
            bytes as f64 / 1e6,
            entries as f64 / seconds,
        );
    }
}
