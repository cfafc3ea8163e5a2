//! `kensa watch`: the incremental run of `scan --state`, over and over.
//!
//! A stat/poll loop rather than inotify: every `--interval` seconds the logs are
//! discovered again and each is read from where the state file says the last look
//! stopped, so rotation (rename, compression, copytruncate) and truncation are handled
//! by the same code as periodic runs — and a cron job sharing the state file agrees with
//! `watch` on what was reported. The state is locked only while a look runs.
//!
//! Each new finding is printed as one line (text, or one JSON object per line), and on
//! request sent to the local syslog and to the administrator's own command. A finding is
//! delivered before the state that remembers it is committed: a crash between the two
//! delivers it again, never loses it. SIGTERM and SIGINT end the loop between looks (or
//! cut a wait short); the look in progress is finished and committed first.

use crate::cli::WatchArgs;
use crate::config::RunConfig;
use crate::messages;
use kensa_core::{Finding, Severity};
use kensa_report::i18n::{self, Lang};
use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Bytes of one syslog datagram kensa sends (RFC 3164 relays may cut at 1 KiB, Linux's
/// /dev/log takes much more; JSON longer than this is sent as a one-line summary).
const MAX_SYSLOG_BYTES: usize = 8 * 1024;

pub fn run(args: WatchArgs, lang: Lang) -> Result<u8, String> {
    if !(args.interval.is_finite() && args.interval >= 0.05 && args.interval <= 86_400.0) {
        return Err(messages::BAD_INTERVAL.fill(lang, &[("value", &args.interval)]));
    }
    let interval = Duration::from_secs_f64(args.interval);
    let syslog = args.syslog.clone();
    let exec = args.exec.clone();
    let config = RunConfig::resolve(args.scan, lang)?;
    if config.output.is_some() {
        return Err(messages::WATCH_NO_OUTPUT.get(lang).to_string());
    }
    if config.all {
        return Err(messages::WATCH_NO_ALL.get(lang).to_string());
    }
    let Some(state_path) = config.state.clone() else {
        return Err(messages::WATCH_NEEDS_STATE.get(lang).to_string());
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|error| {
            messages::SIGNAL_HANDLER.fill(lang, &[("signal", &signal), ("error", &error)])
        })?;
    }
    let json = config.format != kensa_report::Format::Text;
    if !config.quiet {
        let seconds = format!("{:.2}", interval.as_secs_f64());
        let started = messages::WATCH_STARTED.fill(
            lang,
            &[("seconds", &seconds), ("path", &state_path.display())],
        );
        eprintln!("kensa: {started}");
    }
    let mut status = 0u8;
    let delivery = Delivery {
        json,
        syslog: syslog.as_deref(),
        exec: exec.as_deref(),
    };
    // Diagnostics are printed once, not at every look.
    let mut said = HashSet::new();
    while !stop.load(Ordering::SeqCst) {
        let started = Instant::now();
        match look(&config, &state_path, &delivery, &mut said) {
            Ok(found) => status |= u8::from(found),
            // A busy state (a cron run) or an unreadable moment is not the end of a watch.
            Err(message) => eprintln!("kensa: {message}"),
        }
        while !stop.load(Ordering::SeqCst) && started.elapsed() < interval {
            std::thread::sleep(Duration::from_millis(20).min(interval));
        }
    }
    if !config.quiet {
        eprintln!("kensa: {}", messages::WATCH_STOPPED.get(lang));
    }
    Ok(status)
}

/// Where findings go.
struct Delivery<'a> {
    /// JSON Lines on standard output (else text).
    json: bool,
    /// `--syslog`: the socket.
    syslog: Option<&'a std::path::Path>,
    /// `--exec`: the command.
    exec: Option<&'a str>,
}

/// One look at the logs: reads what is new, delivers new findings, commits. Returns
/// whether a finding at or above `--fail-on` was delivered.
fn look(
    config: &RunConfig,
    state_path: &std::path::Path,
    delivery: &Delivery<'_>,
    said: &mut HashSet<String>,
) -> Result<bool, String> {
    let Delivery { json, syslog, exec } = *delivery;
    let lang = config.text.lang;
    let mut diagnostics = Vec::new();
    let (sets, login_files) = crate::log_sources(config, &mut diagnostics);
    let mut state = kensa_state::State::open_localized(state_path, config.lock_wait)
        .map_err(|e| e.get(lang).to_string())?;
    let plan = state.plan(&sets, &login_files, &config.scan.default_host)?;
    let (mut scan, saved) = kensa_detect::engine::scan_logs_incremental(
        &sets,
        &login_files,
        &config.scan,
        &plan.resume,
        &kensa_core::NoProgress,
    );
    scan.findings.extend(
        plan.findings
            .iter()
            .filter(|f| config.scan.selects(f.code))
            .cloned(),
    );
    let mut failing = false;
    state.commit(&plan, &saved, &scan.findings, |new| {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for (finding, _) in scan
            .findings
            .iter()
            .zip(new)
            .filter(|(_, new)| **new || config.all)
        {
            failing |= config
                .fail_on
                .is_some_and(|fail_on| finding.severity >= fail_on);
            let line = if json {
                serde_json::to_string(finding).map_err(|e| e.to_string())?
            } else {
                text_line(finding, lang)
            };
            match writeln!(out, "{line}").and_then(|()| out.flush()) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(error) => {
                    return Err(messages::WRITING_FINDING.fill(lang, &[("error", &error)]));
                }
            }
            if let Some(socket) = syslog
                && let Err(e) = send_syslog(socket, finding)
            {
                eprintln!("kensa: --syslog: {e}");
            }
            if let Some(command) = exec
                && let Err(e) = run_exec(command, finding, lang)
            {
                eprintln!("kensa: {e}");
            }
        }
        Ok(())
    })?;
    for diagnostic in diagnostics
        .iter()
        .chain(&plan.diagnostics)
        .chain(&scan.diagnostics)
        .filter(|_| !config.quiet)
    {
        let text = format!("{}: {}", diagnostic.file, diagnostic.message_in(lang));
        if said.len() < 10_000 && said.insert(text.clone()) {
            eprintln!("kensa: {}", kensa_report::escape_terminal(&text));
        }
    }
    Ok(failing)
}

/// `TIME SEVERITY CODE host: title [subject] (file:line)`, escaped for the terminal, in
/// `lang` (syslog gets English, as logs do).
fn text_line(finding: &Finding, lang: Lang) -> String {
    let when = finding
        .last_seen
        .map_or_else(|| "-".to_string(), |t| t.to_string());
    let mut subject = Vec::new();
    if let Some(source) = &finding.subject.source {
        subject.push(messages::WATCH_FROM.fill(lang, &[("source", source)]));
    }
    if !finding.subject.users.is_empty() {
        let users = finding.subject.users.join(",");
        subject.push(messages::WATCH_USERS.fill(lang, &[("users", &users)]));
    }
    if let Some(path) = &finding.subject.path {
        subject.push(path.clone());
    }
    let at = finding
        .evidence
        .last()
        .map(|e| format!(" ({}:{})", e.file, e.line))
        .unwrap_or_default();
    let line = format!(
        "{when} {} {} {}: {}{}{at}",
        severity_word(finding.severity, lang),
        finding.code,
        finding.host,
        finding.title_in(lang),
        if subject.is_empty() {
            String::new()
        } else {
            format!(" [{}]", subject.join("; "))
        },
    );
    kensa_report::escape_terminal(&line).into_owned()
}

/// The severity as the text line shows it: `high` in English (as before), `高` in
/// Japanese.
fn severity_word(severity: Severity, lang: Lang) -> String {
    match lang {
        Lang::En => severity.to_string(),
        Lang::Ja => i18n::severity_name(severity, lang).to_string(),
    }
}

/// Sends the finding to the local syslog daemon as one datagram, facility auth.
fn send_syslog(socket_path: &std::path::Path, finding: &Finding) -> Result<(), String> {
    let level = match finding.severity {
        Severity::Critical => 2,
        Severity::High => 3,
        Severity::Medium => 4,
        Severity::Low => 5,
        Severity::Info => 6,
    };
    let priority = 4 * 8 + level;
    let json = serde_json::to_string(finding).map_err(|e| e.to_string())?;
    let mut message = format!("<{priority}>kensa[{}]: {json}", std::process::id());
    if message.len() > MAX_SYSLOG_BYTES {
        message = format!(
            "<{priority}>kensa[{}]: {}",
            std::process::id(),
            text_line(finding, Lang::En)
        );
        let mut cut = MAX_SYSLOG_BYTES.min(message.len());
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        message.truncate(cut);
    }
    let socket = std::os::unix::net::UnixDatagram::unbound().map_err(|e| e.to_string())?;
    // A stalled syslog daemon must not stall the watch: a full queue drops the message
    // (with an error on standard error) instead of blocking.
    socket.set_nonblocking(true).map_err(|e| e.to_string())?;
    socket
        .send_to(message.as_bytes(), socket_path)
        .map_err(|e| format!("{}: {e}", socket_path.display()))?;
    Ok(())
}

/// Runs the administrator's command with the finding as JSON on its standard input.
fn run_exec(command: &str, finding: &Finding, lang: Lang) -> Result<(), String> {
    let failed = |error: std::io::Error| {
        messages::EXEC_ERROR.fill(lang, &[("command", &command), ("error", &error)])
    };
    let json = serde_json::to_string(finding).map_err(|e| e.to_string())?;
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .env("KENSA_CODE", finding.code)
        .env("KENSA_SEVERITY", finding.severity.as_str())
        .env("KENSA_HOST", &finding.host)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(failed)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that does not read its input is its own business.
        let _ = stdin.write_all(json.as_bytes());
        let _ = stdin.write_all(b"\n");
    }
    let status = child.wait().map_err(failed)?;
    if !status.success() {
        return Err(messages::EXEC_FAILED.fill(lang, &[("command", &command), ("status", &status)]));
    }
    Ok(())
}
