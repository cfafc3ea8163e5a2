//! Throughput of the package verification (IN rules) and of the root walk (RK rules)
//! on a real root (dpkg or rpm) — by default the Debian root `.ci/run` builds with
//! debootstrap:
//!
//! ```sh
//! cargo run --release -p kensa-host --example integrity_bench -- [ROOT] [RUNS]
//! ```
//!
//! Prints files hashed per second and MB/s for each run (the first run may read from
//! disk, later ones from the page cache), and the walk's entries per second.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_host::Root;
use kensa_host::integrity::{dpkg, rpm, verify};
use kensa_host::rootkit::{traces, walk};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let root_path = args
        .next()
        .or_else(|| std::env::var("KENSA_DEBIAN_ROOT").ok())
        .unwrap_or_else(|| "/var/tmp/kensa-debian-root".to_string());
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let root = match Root::open(std::path::Path::new(&root_path)) {
        Ok(root) => root,
        Err(err) => {
            eprintln!("cannot open {root_path}: {err}");
            std::process::exit(2);
        }
    };
    let mut diags = Vec::new();
    let started = Instant::now();
    // dpkg's and rpm's databases, merged as the IN checks see them.
    let mut db = dpkg::read(&root, &mut diags);
    if let Some(r) = rpm::read(&root, &mut diags) {
        match &mut db {
            Some(db) => db.merge(r),
            None => db = Some(r),
        }
    }
    let Some(db) = db else {
        eprintln!("{root_path}: no dpkg or rpm database");
        std::process::exit(2);
    };
    println!(
        "root {root_path}: {} packages, {} digests, {} owned paths; database read in {:.3} s",
        db.packages.len(),
        db.sums.len(),
        db.owned.len(),
        started.elapsed().as_secs_f64()
    );
    println!("threads: {}", rayon::current_num_threads());
    for run in 1..=runs {
        let started = Instant::now();
        let v = verify(&root, &db);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "verify run {run}: {} files, {:.1} MB in {secs:.3} s = {:.0} files/s, {:.1} MB/s",
            v.files,
            v.bytes as f64 / 1e6,
            v.files as f64 / secs,
            v.bytes as f64 / 1e6 / secs
        );
    }
    let started = Instant::now();
    let w = walk(&root, traces::get(), &mut diags);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "walk: {} entries in {secs:.3} s = {:.0} entries/s ({} setuid/setgid files)",
        w.entries,
        w.entries as f64 / secs,
        w.setuid.len()
    );
    for d in diags {
        println!("diagnostic: {d}");
    }
}
