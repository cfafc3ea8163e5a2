//! Helpers shared by the end-to-end tests: running the binary; `../shared` and corpora
//! come from kensa-testkit.

#![allow(dead_code)]

#[allow(unused_imports)]
pub use kensa_testkit::{generate_corpus, shared_dir};
use std::process::{Command, Output};

/// Runs `kensa` with `args`, in English whatever the tester's locale.
pub fn kensa(args: &[&str]) -> Output {
    kensa_with_env(args, &[])
}

/// Runs `kensa` with `args` and only the given locale variables (`LC_ALL`,
/// `LC_MESSAGES`, `LANG`) set.
pub fn kensa_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kensa"));
    command
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("kensa runs")
}
