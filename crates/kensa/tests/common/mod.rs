//! Helpers shared by the end-to-end tests: running the binary; `../shared` and corpora
//! come from kensa-testkit.

#![allow(dead_code)]
// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

pub mod live;

#[allow(unused_imports)]
pub use kensa_testkit::{generate_corpus, shared_dir};
use std::path::PathBuf;
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

/// Compares `actual` with `tests/snapshots/NAME` byte for byte, naming the first line
/// that differs; `UPDATE_SNAPSHOTS=1` rewrites the snapshot instead (review the diff).
pub fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).expect("writing snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_SNAPSHOTS=1 creates it)", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the snapshot at line {} (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{}\n--- actual\n{}",
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>"),
        );
    }
}

/// Per finding key "CODE host outcome source=… users=…", the summed counts of the
/// findings whose code `keep` accepts: what two runs over the same attack must agree on.
pub fn findings_summary(
    report: &serde_json::Value,
    keep: impl Fn(&str) -> bool,
) -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    for host in report["hosts"].as_array().unwrap() {
        for finding in host["findings"].as_array().unwrap() {
            let code = finding["code"].as_str().unwrap();
            if !keep(code) {
                continue;
            }
            let key = format!(
                "{code} {} {} source={} users={}",
                finding["host"].as_str().unwrap(),
                finding["outcome"].as_str().unwrap(),
                finding["subject"]["source"],
                finding["subject"]["users"],
            );
            *out.entry(key).or_default() += finding["count"].as_u64().unwrap_or(0);
        }
    }
    out
}

/// The lines a run read of `file` (as the report names it), if it read the file.
pub fn lines_read(report: &serde_json::Value, file: &str) -> Option<u64> {
    report["run"]["files"]
        .as_array()?
        .iter()
        .find(|f| f["file"] == file)
        .and_then(|f| f["lines"].as_u64())
}
