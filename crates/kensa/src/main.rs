//! The `kensa` command: parses the command line, wires sources → detectors → report, and
//! turns the result into an exit status (0 nothing at or above `--fail-on`, 1 findings,
//! 2 the run itself failed). Nothing here detects or formats; it only connects.

mod cli;
mod config;
mod host;
mod progress;

use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use config::RunConfig;
use kensa_core::{KENSA_VERSION, Report, RunInfo, host_reports};
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
        Command::Completions { shell } => write_stdout(|out| {
            clap_complete::generate(shell, &mut Cli::command(), "kensa", out);
            Ok(())
        })
        .map(|()| 0),
        Command::Man => write_stdout(man_page).map(|()| 0),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("kensa: {message}");
            ExitCode::from(2)
        }
    }
}

/// One manual page for the whole command: the top level, then each subcommand's synopsis
/// and options (clap_mangen alone would print only the top level and refer to
/// `kensa-triage(1)` pages that nobody installs).
fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let command = Cli::command();
    let top = clap_mangen::Man::new(command.clone());
    top.render_title(out)?;
    top.render_name_section(out)?;
    top.render_synopsis_section(out)?;
    top.render_description_section(out)?;
    for sub in command.get_subcommands() {
        let name = format!("kensa {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let has_options = sub.get_arguments().any(|arg| !arg.is_hide_set());
        let page = clap_mangen::Man::new(sub.clone().bin_name(&name).display_name(&name));
        page.render_synopsis_section(out)?;
        page.render_description_section(out)?;
        if has_options {
            page.render_options_section(out)?;
        }
    }
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    writeln!(
        out,
        "0: nothing at or above \\fB\\-\\-fail\\-on\\fR (default low; info, low, medium, high, \
         critical, or never). 1: findings at or above it. 2: the run itself failed (bad \
         arguments, unwritable output). An input that cannot be read is a diagnostic in the \
         report, not a failure."
    )?;
    top.render_version_section(out)
}

pub(crate) fn all_rules() -> Vec<&'static kensa_core::Rule> {
    let mut rules = kensa_detect::rules();
    rules.extend(kensa_host::rules());
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

/// The codes of the rules a run of `mode` with this selection runs, sorted.
fn rules_run(mode: Mode, scan: &kensa_detect::engine::ScanConfig) -> Vec<&'static str> {
    let mut rules = Vec::new();
    if mode != Mode::Audit {
        rules.extend(kensa_detect::rules());
    }
    if mode != Mode::Scan {
        rules.extend(kensa_host::rules());
    }
    let mut codes: Vec<&'static str> = rules
        .into_iter()
        .map(|rule| rule.code)
        .filter(|code| scan.selects(code))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

fn run(config: RunConfig, mode: Mode) -> Result<u8, String> {
    let mut diagnostics = config.diagnostics;
    let mut findings = Vec::new();
    let mut examined = Vec::new();
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
        let bar = progress::Bar::new(config.progress, "scanning logs", progress::Unit::Bytes);
        let scan =
            kensa_detect::engine::scan_logs_with_progress(&sets, &login_files, &config.scan, &bar);
        bar.finish();
        examined = scan.files;
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
    let scan_findings = findings;
    let mut report = Report::new(
        KENSA_VERSION,
        host_reports(scan_findings, &known_hosts),
        diagnostics,
    );
    // Every host's times were read in the root's zone; only the root's own host has an
    // OS kensa can read.
    let root = kensa_host::root::Root::open(&config.root).ok();
    let os = root.as_ref().and_then(host::os_name);
    for host in &mut report.hosts {
        host.time_zone = Some(describe_zone(&config.scan.tz));
        if host.host == config.scan.default_host {
            host.os.clone_from(&os);
        }
    }
    report.run = Some(RunInfo {
        command: std::iter::once("kensa".to_string())
            .chain(std::env::args().skip(1))
            .collect(),
        rules: rules_run(mode, &config.scan),
        files: examined,
        masked: false,
    });
    if config.mask {
        let inputs = root
            .as_ref()
            .map(|root| host::mask_inputs(root, &config.scan.default_host))
            .unwrap_or_default();
        kensa_report::mask::mask(&mut report, &inputs);
    }
    let failing = report
        .hosts
        .iter()
        .flat_map(|host| &host.findings)
        .any(|finding| {
            config
                .fail_on
                .is_some_and(|fail_on| finding.severity >= fail_on)
        });
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
