//! The `kensa` command: parses the command line, wires sources → detectors → report, and
//! turns the result into an exit status (0 nothing at or above `--fail-on`, 1 findings,
//! 2 the run itself failed). Nothing here detects or formats; it only connects.

mod cli;
mod config;
mod host;
mod passwords;

use clap::Parser;
use cli::{Cli, Command};
use config::RunConfig;
use kensa_core::{KENSA_VERSION, Report, host_reports};
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Triage(args) => RunConfig::resolve(args).and_then(|c| run(c, Mode::Triage)),
        Command::Scan(args) => RunConfig::resolve(args).and_then(|c| run(c, Mode::Scan)),
        Command::Audit(args) => RunConfig::resolve(args).and_then(|c| run(c, Mode::Audit)),
        Command::Passwords(args) => passwords::run(args),
        Command::Rules => {
            write_stdout(|out| kensa_report::write_rules(&all_rules(), out)).map(|()| 0)
        }
        Command::Explain { code } => explain(&code),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("kensa: {message}");
            ExitCode::from(2)
        }
    }
}

pub(crate) fn all_rules() -> Vec<&'static kensa_core::Rule> {
    let mut rules = kensa_detect::rules();
    rules.extend(kensa_host::rules());
    rules.extend(kensa_passwords::rules());
    rules.sort_by_key(|rule| rule.code);
    rules
}

fn explain(code: &str) -> Result<u8, String> {
    let rule = all_rules()
        .into_iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code) || rule.name.eq_ignore_ascii_case(code))
        .ok_or_else(|| format!("no rule {code:?} (see `kensa rules`)"))?;
    write_stdout(|out| kensa_report::write_explain(rule, out))?;
    Ok(0)
}

/// Writes to standard output; a closed pipe (`kensa rules | head`) is not an error.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(format!("writing the report: {err}")),
    }
}

/// A zone as people know it: its name, or its current UTC offset when it has none (a
/// zone file read from the image, a POSIX TZ string).
fn describe_zone(tz: &jiff::tz::TimeZone) -> String {
    match tz.iana_name() {
        Some(name) if name != "localtime" && !name.is_empty() => name.to_string(),
        _ => format!("UTC{}", tz.to_offset(jiff::Timestamp::now())),
    }
}

/// What a run looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Logs and host: the main job.
    Triage,
    /// Logs only.
    Scan,
    /// Host configuration only.
    Audit,
}

fn run(config: RunConfig, mode: Mode) -> Result<u8, String> {
    let mut diagnostics = config.diagnostics;
    let mut findings = Vec::new();
    if mode != Mode::Audit {
        let (sets, login_files) = if config.logs.is_empty() {
            let sets = kensa_logs::source::discover(&config.root, &mut diagnostics);
            (
                sets,
                kensa_detect::login_records::discover(&config.root, &mut diagnostics),
            )
        } else {
            (
                kensa_logs::source::from_paths(&config.root, &config.logs, &mut diagnostics),
                Vec::new(),
            )
        };
        let scan = kensa_detect::engine::scan_logs(&sets, &login_files, &config.scan);
        diagnostics.extend(scan.diagnostics);
        findings.extend(scan.findings);
        if !config.quiet {
            eprintln!(
                "kensa: {} files, {} lines ({:.1} MB), {} candidate lines, {} login events; times in {} (from {})",
                scan.stats.files,
                scan.stats.lines,
                scan.stats.bytes as f64 / 1e6,
                scan.stats.candidates,
                scan.stats.auth_events,
                describe_zone(&config.scan.tz),
                config.time_zone_source,
            );
        }
    } else if !config.logs.is_empty() {
        return Err(
            "audit reads the host under --root; log files are for scan and triage".to_string(),
        );
    }
    if mode != Mode::Scan {
        let (host_findings, host_diagnostics) =
            kensa_host::audit(&config.root, &config.scan.default_host);
        findings.extend(
            host_findings
                .into_iter()
                .filter(|f| config.scan.selects(f.code)),
        );
        diagnostics.extend(host_diagnostics);
    }
    // Triage also makes a short password-guessing pass: a guessable password is a hole
    // (verdict `exposed`). `kensa passwords` is the thorough one.
    if mode == Mode::Triage
        && config
            .scan
            .selects(kensa_passwords::pw001_guessable_password::RULE.code)
    {
        findings.extend(passwords::triage_pass(
            &config.root,
            &config.scan.default_host,
            &mut diagnostics,
        ));
    }
    // Hosts appear in the report through their findings; the audited root's own host
    // appears even when clean, unless kensa only guessed its name from the directory
    // (a central log of many hosts, where the loghost's name says nothing). Other hosts
    // of a central log that have no finding are not listed: the prefilter never shows
    // kensa most of their lines, so it cannot claim to have examined them.
    let mut known_hosts = Vec::new();
    if config.host_name_known || findings.is_empty() {
        known_hosts.push(config.scan.default_host.clone());
    }
    let scan_findings = findings;
    let report = Report {
        kensa_version: KENSA_VERSION,
        hosts: host_reports(scan_findings, &known_hosts),
        diagnostics,
    };
    let failing = report
        .hosts
        .iter()
        .flat_map(|host| &host.findings)
        .any(|finding| finding.severity >= config.fail_on);
    let render =
        |out: &mut dyn Write| kensa_report::write_report(&report, config.format, &config.text, out);
    match &config.output {
        None => write_stdout(render)?,
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("-o {}: {e}", path.display()))?;
            let mut out = io::BufWriter::new(file);
            render(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| format!("-o {}: {e}", path.display()))?;
        }
    }
    Ok(u8::from(failing))
}
