//! The `kensa` command: parses the command line, wires sources → detectors → report, and
//! turns the result into an exit status (0 nothing at or above `--fail-on`, 1 findings,
//! 2 the run itself failed). Nothing here detects or formats; it only connects.

mod cli;
mod config;
mod host;

use clap::Parser;
use cli::{Cli, Command};
use config::RunConfig;
use kensa_core::{Coverage, KENSA_VERSION, Report, host_reports};
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

fn run(config: RunConfig, mode: Mode) -> Result<u8, String> {
    let mut diagnostics = config.diagnostics;
    let mut findings = Vec::new();
    let mut coverage = Coverage {
        host_audited: mode != Mode::Scan,
        ..Coverage::default()
    };
    // The audited root's accounts, read once: UID → name for lastlog, and the names of
    // accounts with passwords for the assessment. Unreadable: `None` (the account
    // checks say why).
    let root = kensa_host::Root::open(&config.root).ok();
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
        coverage.log_files = sets.iter().map(|set| set.files.len() as u64).sum();
        coverage.login_record_files = login_files.len() as u64;
        if kensa_detect::tamper::LOGIN_CODES
            .iter()
            .any(|code| config.scan.selects(code))
        {
            let users = root
                .as_ref()
                .and_then(kensa_host::accounts::credentials::names_by_uid);
            let input = kensa_detect::tamper::LoginCheckInput {
                root: &config.root,
                files: &login_files,
                users: users.as_ref(),
                host: &config.scan.default_host,
                tz: &config.scan.tz,
            };
            let tamper = kensa_detect::tamper::check_login_records(&input, &mut diagnostics);
            findings.extend(tamper.into_iter().filter(|f| config.scan.selects(f.code)));
        }
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
    let mut hosts = host_reports(scan_findings, &known_hosts);
    let accounts = root
        .as_ref()
        .and_then(kensa_host::accounts::credentials::accounts_with_passwords);
    for host in &mut hosts {
        // Only the audited root's own accounts are known; the other hosts of a central
        // log keep "every password that was on the host".
        let own = host.host == config.scan.default_host;
        host.assess(&coverage, if own { accounts.clone() } else { None });
    }
    let report = Report {
        kensa_version: KENSA_VERSION,
        hosts,
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
