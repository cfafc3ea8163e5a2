//! The `kensa` command: parses the command line, wires sources → detectors → report, and
//! turns the result into an exit status (0 nothing at or above `--fail-on`, 1 findings,
//! 2 the run itself failed). Nothing here detects or formats; it only connects.

// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod cli;
mod config;
mod events;
mod help;
mod host;
mod messages;
mod passwords;
mod progress;
mod watch;

use clap::{CommandFactory, FromArgMatches};
use cli::{Cli, Command};
use config::{ProbeConfig, RunConfig};
use kensa_core::{Coverage, KENSA_VERSION, Report, RunInfo, attach_accepted, host_reports};
use kensa_report::i18n::Lang;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // The language is needed before parsing, for `--help` and the parser's errors.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env_lang = Lang::from_env(|name| std::env::var(name).ok());
    let help_lang = help::lang_in_args(&args).unwrap_or(env_lang);
    let cli = match help::command(help_lang)
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => help::exit(&error, help_lang),
    };
    let lang = match cli.lang {
        Some(cli::LangArg::En) => Lang::En,
        Some(cli::LangArg::Ja) => Lang::Ja,
        None => env_lang,
    };
    let result = match cli.command {
        Command::Triage(args) => RunConfig::resolve(args, lang).and_then(|c| run(c, Mode::Triage)),
        Command::Scan(args) => RunConfig::resolve(args, lang).and_then(|c| run(c, Mode::Scan)),
        Command::Audit(args) => RunConfig::resolve(args, lang).and_then(|c| run(c, Mode::Audit)),
        Command::Probe(args) => ProbeConfig::resolve(args, lang).and_then(probe),
        Command::Passwords(args) => passwords::run(args, lang),
        Command::Rules => write_stdout(lang, |out| {
            kensa_report::write_rules(&all_rules(), lang, out)
        })
        .map(|()| 0),
        Command::Explain { code } => explain(&code, lang),
        Command::Completions { shell } => write_stdout(lang, |out| {
            clap_complete::generate(shell, &mut Cli::command(), "kensa", out);
            Ok(())
        })
        .map(|()| 0),
        Command::Man => write_stdout(lang, man_page).map(|()| 0),
        Command::Watch(args) => watch::run(args, lang),
        Command::Events(args) => events::run(args, lang),
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
    rules.extend(kensa_probe::rules());
    rules.extend(kensa_state::rules());
    rules.extend(kensa_passwords::rules());
    rules.sort_by_key(|rule| rule.code);
    rules
}

fn explain(code: &str, lang: Lang) -> Result<u8, String> {
    let rule = all_rules()
        .into_iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code) || rule.name.eq_ignore_ascii_case(code))
        .ok_or_else(|| {
            let code = format!("{code:?}");
            messages::NO_RULE.fill(lang, &[("code", &code)])
        })?;
    write_stdout(lang, |out| kensa_report::write_explain(rule, lang, out))?;
    Ok(0)
}

/// Writes to standard output; a closed pipe (`kensa rules | head`) is not an error.
pub(crate) fn write_stdout(
    lang: Lang,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(err) => Err(messages::WRITING_REPORT.fill(lang, &[("error", &err)])),
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
    if mode == Mode::Triage {
        rules.extend(kensa_passwords::rules());
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
    let lang = config.text.lang;
    let mut diagnostics = config.diagnostics.clone();
    let mut findings = Vec::new();
    let mut accepted_early = Vec::new();
    let mut examined = Vec::new();
    let mut coverage = Coverage {
        host_audited: mode != Mode::Scan,
        ..Coverage::default()
    };
    // The audited root's accounts, read once: UID → name for lastlog, and the names of
    // accounts with passwords for the assessment. Unreadable: `None` (the account
    // checks say why).
    let root: Option<&kensa_fs::Root> = Some(&config.root);
    // With --state: the open state file and this run's plan, committed after the report.
    let mut incremental = None;
    if mode != Mode::Audit {
        let (sets, login_files) = log_sources(&config, &mut diagnostics);
        let bar = progress::Bar::new(
            config.progress,
            messages::PROGRESS_SCAN.get(lang),
            progress::Unit::Bytes,
        );
        let scan = match &config.state {
            None => kensa_detect::engine::scan_logs_with_progress(
                &sets,
                &login_files,
                &config.scan,
                &bar,
            ),
            Some(path) => {
                let state = kensa_state::State::open_localized(path, config.lock_wait)
                    .map_err(|e| e.get(config.text.lang).to_string())?;
                let plan = state.plan(&sets, &login_files, &config.scan.default_host)?;
                let (mut scan, saved) = kensa_detect::engine::scan_logs_incremental(
                    &sets,
                    &login_files,
                    &config.scan,
                    &plan.resume,
                    &bar,
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
        bar.finish();
        examined = scan.files;
        diagnostics.extend(scan.diagnostics);
        findings.extend(scan.findings);
        let files_of = |format: kensa_logs::source::LogFormat| -> u64 {
            sets.iter()
                .filter(|set| set.format == format)
                .map(|set| set.files.len() as u64)
                .sum()
        };
        coverage.log_files = files_of(kensa_logs::source::LogFormat::Text);
        coverage.journal_files = files_of(kensa_logs::source::LogFormat::Journal);
        coverage.audit_log_files = files_of(kensa_logs::source::LogFormat::Audit);
        coverage.login_record_files = login_files.len() as u64;
        if kensa_detect::tamper::LOGIN_CODES
            .iter()
            .any(|code| config.scan.selects(code))
        {
            let users = root.and_then(kensa_host::accounts::credentials::names_by_uid);
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
            let megabytes = format!("{:.1}", scan.stats.bytes as f64 / 1e6);
            let zone = describe_zone(&config.scan.tz);
            let zone_source = if config.time_zone_source == kensa_logs::tz::NO_ZONE_SOURCE {
                messages::NO_ZONE_SOURCE.get(lang)
            } else {
                config.time_zone_source.as_str()
            };
            let summary = messages::SCAN_SUMMARY.fill(
                lang,
                &[
                    ("files", &scan.stats.files),
                    ("lines", &scan.stats.lines),
                    ("mb", &megabytes),
                    ("candidates", &scan.stats.candidates),
                    ("events", &scan.stats.auth_events),
                    ("zone", &zone),
                    ("source", &zone_source),
                ],
            );
            eprintln!("kensa: {summary}");
        }
    } else if !config.logs.is_empty() {
        return Err(messages::AUDIT_NO_LOGS.get(lang).to_string());
    }
    if mode != Mode::Scan {
        let (host_findings, host_accepted, host_diagnostics) = kensa_host::audit_allowing(
            &config.root,
            &config.scan.default_host,
            &|code| config.scan.selects(code),
            &config.allow,
        );
        findings.extend(
            host_findings
                .into_iter()
                .filter(|f| config.scan.selects(f.code)),
        );
        accepted_early.extend(
            host_accepted
                .into_iter()
                .filter(|a| config.scan.selects(a.finding.code)),
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
    let mut scan_findings = findings;
    let context = ReportContext {
        mode,
        coverage,
        examined,
        root,
        known_hosts: &known_hosts,
        accepted: accepted_early,
    };
    match incremental {
        None => write_run_report(&config, &context, scan_findings, diagnostics),
        Some((mut state, plan, saved)) => {
            let mut status = 0;
            let all = scan_findings.clone();
            state.commit(&plan, &saved, &all, |new| {
                if !config.all {
                    let mut flags = new.iter();
                    scan_findings.retain(|_| flags.next().copied().unwrap_or(true));
                }
                status = write_run_report(&config, &context, scan_findings, diagnostics)?;
                Ok(())
            })?;
            Ok(status)
        }
    }
}

/// What a run's report is made with besides its findings and diagnostics.
struct ReportContext<'a> {
    mode: Mode,
    coverage: Coverage,
    examined: Vec<kensa_core::ExaminedFile>,
    root: Option<&'a kensa_fs::Root>,
    known_hosts: &'a [String],
    /// Findings the allow list accepted before they were capped (the host checks').
    accepted: Vec<kensa_core::Accepted>,
}

/// Writes the report of a scan, triage or audit run; returns the exit status.
fn write_run_report(
    config: &RunConfig,
    context: &ReportContext<'_>,
    scan_findings: Vec<kensa_core::Finding>,
    diagnostics: Vec<kensa_core::Diagnostic>,
) -> Result<u8, String> {
    let (scan_findings, mut accepted) = config.allow.apply(scan_findings);
    accepted.extend(context.accepted.iter().cloned());
    let mut hosts = host_reports(scan_findings, context.known_hosts);
    attach_accepted(&mut hosts, accepted);
    let accounts = context
        .root
        .and_then(kensa_host::accounts::credentials::accounts_with_passwords);
    for host in &mut hosts {
        // Only the audited root's own accounts are known; the other hosts of a central
        // log keep "every password that was on the host".
        let own = host.host == config.scan.default_host;
        host.assess(&context.coverage, if own { accounts.clone() } else { None });
    }
    let mut report = Report::new(KENSA_VERSION, hosts, diagnostics);
    // Every host's times were read in the root's zone; only the root's own host has an
    // OS kensa can read.
    let os = context.root.and_then(host::os_name);
    for host in &mut report.hosts {
        host.time_zone = Some(describe_zone(&config.scan.tz));
        if host.host == config.scan.default_host {
            host.os.clone_from(&os);
        }
    }
    report.run = Some(RunInfo {
        command: command_line(),
        rules: rules_run(context.mode, &config.scan),
        files: context.examined.clone(),
        masked: false,
    });
    if config.mask {
        let inputs = context
            .root
            .map(|root| host::mask_inputs(root, &config.scan.default_host))
            .unwrap_or_default();
        kensa_report::mask::mask(&mut report, &inputs);
    }
    emit(
        &report,
        config.format,
        &config.text,
        config.output.as_deref(),
        config.fail_on,
    )
}

/// This run's command line as the report records it: `kensa` and the arguments given.
fn command_line() -> Vec<String> {
    std::iter::once("kensa".to_string())
        .chain(std::env::args().skip(1))
        .collect()
}

/// Writes the report to standard output or `-o FILE`; the exit status: 1 when a finding
/// reaches `fail_on` (never with `--fail-on never`).
fn emit(
    report: &Report,
    format: kensa_report::Format,
    text: &kensa_report::TextOptions,
    output: Option<&std::path::Path>,
    fail_on: Option<kensa_core::Severity>,
) -> Result<u8, String> {
    let failing = report
        .hosts
        .iter()
        .flat_map(|host| &host.findings)
        .any(|finding| fail_on.is_some_and(|fail_on| finding.severity >= fail_on));
    let lang = text.lang;
    let render = |out: &mut dyn Write| kensa_report::write_report(report, format, text, out);
    match output {
        None => write_stdout(lang, render)?,
        Some(path) => {
            let failed = |error: io::Error| {
                messages::OUTPUT_FILE.fill(lang, &[("path", &path.display()), ("error", &error)])
            };
            let file = kensa_fs::analyst::create(path).map_err(failed)?;
            let mut out = io::BufWriter::new(file);
            render(&mut out)
                .and_then(|()| out.flush())
                .map_err(failed)?;
        }
    }
    Ok(u8::from(failing))
}

/// `kensa probe`: the network view of the targets, through the same report writers.
fn probe(config: ProbeConfig) -> Result<u8, String> {
    let ports: usize = config.targets.iter().map(|t| t.endpoints.len()).sum();
    let hosts = config.targets.len();
    let probe = kensa_probe::probe(config.targets, &config.options);
    if !config.quiet {
        let lang = config.text.lang;
        let write = if config.options.write_test {
            messages::PROBE_WRITE_TEST.get(lang)
        } else {
            ""
        };
        let summary = messages::PROBE_SUMMARY.fill(
            lang,
            &[
                ("ports", &ports),
                ("hosts", &hosts),
                ("answered", &probe.hosts.len()),
                ("findings", &probe.findings.len()),
                ("write", &write),
            ],
        );
        eprintln!("kensa: {summary}");
    }
    let mut diagnostics = config.diagnostics;
    diagnostics.extend(probe.diagnostics);
    let mut report = Report::new(
        KENSA_VERSION,
        host_reports(probe.findings, &probe.hosts),
        diagnostics,
    );
    report.run = Some(RunInfo {
        command: command_line(),
        rules: kensa_probe::rules().iter().map(|rule| rule.code).collect(),
        files: Vec::new(),
        masked: false,
    });
    emit(
        &report,
        config.format,
        &config.text,
        config.output.as_deref(),
        config.fail_on,
    )
}
