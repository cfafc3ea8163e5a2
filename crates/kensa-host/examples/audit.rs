//! Runs the host checks on a root and prints one line per finding and diagnostic — for
//! trying checks out without the CLI: `cargo run -p kensa-host --example audit -- DIR`.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

fn main() {
    let root = std::env::args_os()
        .nth(1)
        .map_or_else(|| std::path::PathBuf::from("/"), std::path::PathBuf::from);
    let (findings, diagnostics) = kensa_host::audit(&kensa_testkit::root_at(&root), "audited-host");
    for f in &findings {
        println!("{} {:?} {:?} {}", f.code, f.severity, f.outcome, f.title);
        for e in f.evidence.iter().take(3) {
            println!("    {}:{}: {}", e.file, e.line, e.text);
        }
    }
    for d in &diagnostics {
        println!("{d}");
    }
}
