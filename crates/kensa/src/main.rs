//! The `kensa` command: parses the command line, wires sources → detectors → report, and
//! turns the result into an exit status (0 nothing at or above `--fail-on`, 1 findings,
//! 2 the run itself failed). Nothing here detects or formats; it only connects.

mod cli;
mod config;
mod host;
mod watch;

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
        Command::Rules => {
            write_stdout(|out| kensa_report::write_rules(&all_rules(), out)).map(|()| 0)
        }
        Command::Explain { code } => explain(&code),
        Command::Watch(args) => watch::run(args),
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
    rules.extend(kensa_state::rules());
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
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), String> {
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

/// The logs a run reads: discovered under the root, or those given.
pub(crate) fn log_sources(
    config: &RunConfig,
    diagnostics: &mut Vec<kensa_core::Diagnostic>,
) -> (
    Vec<kensa_logs::source::LogSet>,
    Vec<kensa_detect::login_records::LoginFileRef>,
) {
    if config.logs.is_empty() {
        let sets = kensa_logs::source::discover(&config.root, diagnostics);
        (
            sets,
            kensa_detect::login_records::discover(&config.root, diagnostics),
        )
    } else {
        (
            kensa_logs::source::from_paths(&config.root, &config.logs, diagnostics),
            Vec::new(),
        )
    }
}

fn run(config: RunConfig, mode: Mode) -> Result<u8, String> {
    let mut diagnostics = config.diagnostics.clone();
    let mut findings = Vec::new();
    // With --state: the open state file and this run's plan, committed after the report.
    let mut incremental = None;
    if mode != Mode::Audit {
        let (sets, login_files) = log_sources(&config, &mut diagnostics);
        let scan = match &config.state {
            None => kensa_detect::engine::scan_logs(&sets, &login_files, &config.scan),
            Some(path) => {
                let state = kensa_state::State::open(path, config.lock_wait)?;
                let plan = state.plan(&sets, &login_files, &config.scan.default_host)?;
                let (mut scan, saved) = kensa_detect::engine::scan_logs_incremental(
                    &sets,
                    &login_files,
                    &config.scan,
                    &plan.resume,
                );
                scan.findings.extend(
                    plan.findings
                        .iter()
                        .filter(|f| config.scan.selects(f.code))
                        .cloned(),
                );
                diagnostics.extend(plan.diagnostics.iter().cloned());
                incremental = Some((state, plan, saved));
                scan
            }
        };
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
    // Hosts appear in the report through their findings; the audited root's own host
    // appears even when clean, unless kensa only guessed its name from the directory
    // (a central log of many hosts, where the loghost's name says nothing). Other hosts
    // of a central log that have no finding are not listed: the prefilter never shows
    // kensa most of their lines, so it cannot claim to have examined them.
    let mut known_hosts = Vec::new();
    if config.host_name_known || findings.is_empty() {
        known_hosts.push(config.scan.default_host.clone());
    }
    let mut scan_findings = findings;
    match incremental {
        None => write_run_report(&config, scan_findings, diagnostics, &known_hosts),
        Some((mut state, plan, saved)) => {
            let mut status = 0;
            let all = scan_findings.clone();
            state.commit(&plan, &saved, &all, |new| {
                if !config.all {
                    let mut flags = new.iter();
                    scan_findings.retain(|_| flags.next().copied().unwrap_or(true));
                }
                status = write_run_report(&config, scan_findings, diagnostics, &known_hosts)?;
                Ok(())
            })?;
            Ok(status)
        }
    }
}

/// Writes the report of a scan, triage or audit run; returns the exit status.
fn write_run_report(
    config: &RunConfig,
    scan_findings: Vec<kensa_core::Finding>,
    diagnostics: Vec<kensa_core::Diagnostic>,
    known_hosts: &[String],
) -> Result<u8, String> {
    let report = Report {
        kensa_version: KENSA_VERSION,
        hosts: host_reports(scan_findings, known_hosts),
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
