//! Helpers shared by the end-to-end tests: running the binary; `../shared` and corpora
//! come from kensa-testkit.

#![allow(dead_code)]

#[allow(unused_imports)]
pub use kensa_testkit::{generate_corpus, shared_dir};
use std::process::{Command, Output};

/// Runs `kensa` with `args`.
pub fn kensa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .output()
        .expect("kensa runs")
}
