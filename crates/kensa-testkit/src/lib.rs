//! What every test that reads the shared corpora needs, written once.
//!
//! The real log corpora and the corpus generator live in `../shared`, beside the
//! repository, never inside it. A user's fresh clone has no `../shared`: tests that need
//! it then print `skipped: …` and pass. CI sets `KENSA_REQUIRE_SHARED`, which turns that
//! skip into a failure, so CI always runs them. `KENSA_SHARED` points elsewhere.
#![warn(missing_docs)]
// Test support only (a dev-dependency of every crate): it builds and reads fixtures with
// the standard library, never the audited root of a real run.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The directory `path` opened as an audited root (panics when it cannot be: a test's
/// own directory).
pub fn root_at(path: &Path) -> Arc<kensa_fs::Root> {
    Arc::new(
        kensa_fs::Root::open(path)
            .unwrap_or_else(|e| panic!("cannot open {} as a root: {e}", path.display())),
    )
}

/// A file of the analyst's at `path` (a test's own file, read outside any root).
pub fn analyst_file(path: &Path) -> kensa_fs::Location {
    kensa_fs::Location::analyst(path)
}

/// `../shared` (or `$KENSA_SHARED`) when it holds the corpora; otherwise `None` after
/// printing the skip message — or a panic when `KENSA_REQUIRE_SHARED` is set.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KENSA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    if dir.join("corpus").is_dir() && dir.join("bench/gen_corpus.py").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "KENSA_REQUIRE_SHARED is set but {} has no corpus/ and bench/gen_corpus.py",
        dir.display()
    );
    println!("skipped: ../shared/corpus not found");
    None
}

/// Runs the shared corpus generator (`bench/gen_corpus.py`) into `out` (which must not
/// exist or be empty) with the extra arguments given, e.g. `["--small"]`.
pub fn generate_corpus(shared: &Path, out: &Path, extra: &[&str]) {
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
