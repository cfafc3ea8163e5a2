//! Helpers shared by the end-to-end tests: finding `../shared`, running the binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// `../shared` (or `$KENSA_SHARED`), or None after printing the skip message — unless
/// `KENSA_REQUIRE_SHARED` is set (CI), where a missing `../shared` fails the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KENSA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    if dir.join("bench/gen_corpus.py").is_file() {
        return Some(dir);
    }
    if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
        panic!(
            "../shared not found at {} and KENSA_REQUIRE_SHARED is set",
            dir.display()
        );
    }
    eprintln!("skipped: ../shared/bench not found");
    None
}

/// Runs `kensa` with `args`.
pub fn kensa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .output()
        .expect("kensa runs")
}

/// Generates a corpus with the shared generator into `out`.
pub fn generate_corpus(shared: &std::path::Path, out: &std::path::Path, extra: &[&str]) {
    let status = Command::new("python3")
        .arg(shared.join("bench/gen_corpus.py"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .arg("-q")
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen_corpus.py failed");
}
