//! The workspace's `clippy.toml` is what stops a new bypass of `kensa_fs`: a crate that
//! opens or stats a path with the standard library fails `clippy -D warnings` (CI's
//! step). Checked on a planted crate, so a list that no longer parses, or a lint that no
//! longer fires, fails here rather than silently letting bypasses in.

// Builds the planted crate with the standard library: a test, not the tool.
#![allow(clippy::disallowed_methods)]

use std::path::Path;
use std::process::Command;

/// Runs clippy on a one-file crate whose `lib.rs` is `source`, with the workspace's list.
fn clippy_on(source: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let workspace_list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../clippy.toml");
    std::fs::copy(&workspace_list, dir.path().join("clippy.toml")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"planted\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[workspace]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/lib.rs"), source).unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["clippy", "--quiet", "--offline", "--", "-D", "warnings"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env_remove("RUSTC_WRAPPER")
        .output()
        .expect("cargo clippy runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether `cargo clippy` is installed (rustup's default profile has it; a minimal
/// toolchain may not). CI, which runs clippy itself, never skips.
fn clippy_installed() -> bool {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let found = Command::new(cargo)
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    assert!(
        found || std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "cargo clippy is not installed, and KENSA_REQUIRE_SHARED is set"
    );
    if !found {
        println!("skipped: cargo clippy not found");
    }
    found
}

#[test]
fn a_planted_bypass_fails_clippy_and_clean_code_passes() {
    if !clippy_installed() {
        return;
    }
    let planted = [
        "pub fn f(p: &std::path::Path) -> Vec<u8> { std::fs::read(p).unwrap() }",
        "pub fn f(p: &std::path::Path) -> bool { p.is_file() }",
        "pub fn f(p: &std::path::Path) -> std::fs::File { std::fs::File::open(p).unwrap() }",
        "pub fn f(p: &std::path::Path) -> usize { std::fs::read_dir(p).unwrap().count() }",
        "pub fn f(p: &std::path::Path) -> u64 { std::fs::symlink_metadata(p).unwrap().len() }",
    ];
    for source in planted {
        let (passed, stderr) = clippy_on(source);
        assert!(!passed, "clippy let a bypass through: {source}");
        assert!(
            stderr.contains("disallowed") && stderr.contains("kensa_fs"),
            "{source}: {stderr}"
        );
    }
    let (passed, stderr) = clippy_on("pub fn f(x: u32) -> u32 { x + 1 }\n");
    assert!(passed, "the list itself must parse: {stderr}");
}
