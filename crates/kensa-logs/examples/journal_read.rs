//! Reads systemd journal files with kensa's reader and prints throughput.
//!
//! ```sh
//! cargo run --release -p kensa-logs --example journal_read -- FILE.journal...
//! cargo run --release -p kensa-logs --example journal_read -- --export FILE.journal
//! ```
//!
//! Without `--export` it prints, per file, entries, fields, bytes handed out, problems,
//! and entries/s and MB/s (of file bytes). With `--export` it writes the entries in
//! journalctl's export format to standard output (`__CURSOR`, `__REALTIME_TIMESTAMP`,
//! `__MONOTONIC_TIMESTAMP`, `_BOOT_ID`, then every field, binary ones length-prefixed), so
//! the output can be compared with `journalctl --file FILE -o export` byte for byte.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_logs::journal::{self, Options};
use std::io::{BufWriter, Write};
use std::time::Instant;

fn main() {
    let mut export = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--export" {
            export = true;
        } else {
            files.push(arg);
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    for path in files {
        let file = match kensa_fs::analyst::open(std::path::Path::new(&path)) {
            Ok(file) => file,
            Err(error) => {
                eprintln!("{path}: {error}");
                continue;
            }
        };
        let started = Instant::now();
        let mut fields = 0u64;
        let mut bytes = 0u64;
        let mut header = None;
        let summary = journal::read(&file, &Options::default(), &mut |entry| {
            if export {
                let header: &journal::Header = header.get_or_insert_with(|| read_header(&file));
                if write_export(&mut out, header, entry).is_err() {
                    // A closed pipe (`| head`, `| cmp`): nothing more to say.
                    std::process::exit(0);
                }
            }
            for (name, value) in entry.fields() {
                fields += 1;
                bytes += (name.len() + value.len() + 1) as u64;
            }
        });
        let seconds = started.elapsed().as_secs_f64();
        for problem in &summary.problems {
            eprintln!(
                "{path}: offset {}: {}",
                problem.offset,
                problem.kind.describe().en
            );
        }
        if !export {
            println!(
                "{path}: {} entries, {fields} fields, {:.1} MB of fields, {} problems, {:.3} s: {:.0} entries/s, {:.1} MB/s of file ({:.1} MB)",
                summary.entries,
                bytes as f64 / 1e6,
                summary.problems.len() as u64 + summary.more_problems,
                seconds,
                summary.entries as f64 / seconds,
                summary.bytes as f64 / 1e6 / seconds,
                summary.bytes as f64 / 1e6,
            );
        }
    }
    let _ = out.flush();
}

/// Whether journalctl writes `value` as text: valid UTF-8 without control characters
/// (tab allowed), else it uses the binary form.
fn printable(value: &[u8]) -> bool {
    std::str::from_utf8(value).is_ok_and(|text| {
        !text
            .chars()
            .any(|c| (c < ' ' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c))
    })
}

fn read_header(file: &kensa_fs::RootFile) -> journal::Header {
    let mut head = vec![0u8; 272];
    let n = file.read_at(&mut head, 0).expect("read header");
    journal::Header::parse(&head[..n]).expect("journal header")
}

/// One entry in journalctl's export format.
fn write_export(
    out: &mut impl Write,
    header: &journal::Header,
    entry: &journal::Entry<'_>,
) -> std::io::Result<()> {
    writeln!(out, "__CURSOR={}", entry.cursor(header))?;
    writeln!(out, "__REALTIME_TIMESTAMP={}", entry.realtime)?;
    writeln!(out, "__MONOTONIC_TIMESTAMP={}", entry.monotonic)?;
    writeln!(out, "_BOOT_ID={}", journal::hex(&entry.boot_id))?;
    for (name, value) in entry.fields() {
        // journalctl prints the entry's boot id above and leaves out a `_BOOT_ID` field.
        if name == b"_BOOT_ID" {
            continue;
        }
        out.write_all(name)?;
        if !printable(value) {
            out.write_all(b"\n")?;
            out.write_all(&(value.len() as u64).to_le_bytes())?;
        } else {
            out.write_all(b"=")?;
        }
        out.write_all(value)?;
        out.write_all(b"\n")?;
    }
    out.write_all(b"\n")
}
