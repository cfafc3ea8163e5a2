//! `kensa passwords`, and the short pass `kensa triage` makes: wiring the command line to
//! kensa-passwords. The report is sensitive (it names the accounts that fall, and with
//! `--show-passwords` their passwords), so it is never written where other users can
//! read it: an existing `-o` file readable by others, or a standard output redirected
//! to one, is refused before any work; a new `-o` file is created with mode 0600.

use crate::cli::PasswordsArgs;
use crate::config::RunConfig;
use crate::messages;
use kensa_core::{Diagnostic, KENSA_VERSION, Report, host_reports};
use kensa_passwords::{Guessed, Options, Outcome, Progress};
use kensa_report::i18n::Lang;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// `90s`, `10m`, `1h`, `1h30m` or a number of seconds.
pub fn parse_duration(text: &str, lang: Lang) -> Result<Duration, String> {
    let bad = || {
        let value = format!("{text:?}");
        messages::BAD_BUDGET.fill(lang, &[("value", &value)])
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = text.parse::<f64>() {
        return (secs.is_finite() && (0.0..=1e9).contains(&secs))
            .then(|| Duration::from_secs_f64(secs))
            .ok_or_else(bad);
    }
    let mut total = 0f64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return Err(bad()),
        };
        let n: f64 = number.parse().map_err(|_| bad())?;
        total += n * unit;
        number.clear();
    }
    if !number.is_empty() || total > 1e9 {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(total))
}

/// Refuses a destination other users can read: an existing `-o` file with the
/// others-read bit, or standard output redirected to such a file.
pub fn check_private_output(output: Option<&Path>, lang: Lang) -> Result<(), String> {
    match output {
        Some(path) => match kensa_fs::analyst::stat(path) {
            Ok(meta) if meta.other_readable() => {
                Err(messages::WORLD_READABLE.fill(lang, &[("path", &path.display())]))
            }
            _ => Ok(()),
        },
        None => match rustix::fs::fstat(io::stdout()) {
            Ok(stat)
                if rustix::fs::FileType::from_raw_mode(stat.st_mode)
                    == rustix::fs::FileType::RegularFile
                    && stat.st_mode & 0o004 != 0 =>
            {
                Err(messages::WORLD_READABLE_STDOUT.get(lang).to_string())
            }
            _ => Ok(()),
        },
    }
}

/// Opens `-o` for a password report: created with mode 0600 (an existing file keeps
/// its mode, which [`check_private_output`] found private).
pub fn open_private(path: &Path, lang: Lang) -> Result<std::fs::File, String> {
    kensa_fs::analyst::create_private(path, 0o600)
        .map_err(|error| output_failed(path, &error, lang))
}

/// Ctrl-C asks the guessing to stop (a partial report follows); a second one exits.
fn stop_on_interrupt() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Fails only when a handler is already set (tests calling twice): then Ctrl-C
    // keeps its default meaning.
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    stop
}

/// The progress hook: called with tested/total counts after every round of guesses.
/// The progress bar (issue 7) plugs in here; until then nothing is drawn.
/// The password engine's counts (absolute: tested of total) turned into the steps of a
/// progress bar (which counts up).
fn progress_hook(bar: &dyn kensa_core::Progress) -> impl Fn(&Progress) + Sync + '_ {
    let shown = std::sync::Mutex::new((0u64, 0u64));
    move |progress: &Progress| {
        let Ok(mut shown) = shown.lock() else {
            return;
        };
        if progress.total > shown.1 {
            bar.add_total(progress.total - shown.1);
            shown.1 = progress.total;
        }
        if progress.tested > shown.0 {
            bar.advance(progress.tested - shown.0);
            shown.0 = progress.tested;
        }
    }
}

/// `-o FILE` could not be written.
fn output_failed(path: &Path, error: &io::Error, lang: Lang) -> String {
    messages::OUTPUT_FILE.fill(lang, &[("path", &path.display()), ("error", error)])
}

/// One line on standard error: what was tested and how far.
pub fn summary(guessed: &Guessed, interrupted: bool, lang: Lang) -> String {
    let (mut found, mut exhausted, mut partial, mut untested) = (0, 0, 0, 0);
    for account in &guessed.accounts {
        match &account.outcome {
            Ok(Outcome::Found { .. }) => found += 1,
            Ok(Outcome::NotFound { stopped: None, .. }) => exhausted += 1,
            Ok(Outcome::NotFound { .. }) => partial += 1,
            Err(_) => untested += 1,
        }
    }
    let seconds = format!("{:.1}", guessed.elapsed.as_secs_f64());
    let interrupted = if interrupted {
        messages::PASSWORDS_INTERRUPTED.get(lang)
    } else {
        ""
    };
    let summary = messages::PASSWORDS_SUMMARY.fill(
        lang,
        &[
            ("accounts", &guessed.accounts.len()),
            ("found", &found),
            ("exhausted", &exhausted),
            ("partial", &partial),
            ("untested", &untested),
            ("common", &guessed.list_sizes.0),
            ("words", &guessed.list_sizes.1),
            ("seconds", &seconds),
            ("interrupted", &interrupted),
        ],
    );
    format!("kensa: {summary}")
}

/// `kensa passwords`.
pub fn run(args: PasswordsArgs, lang: Lang) -> Result<u8, String> {
    let budget = parse_duration(&args.budget, lang)?;
    if args.threads > 4096 {
        return Err(messages::BAD_THREADS.fill(lang, &[("value", &args.threads)]));
    }
    let config = RunConfig::resolve(args.scan_args(), lang)?;
    check_private_output(config.output.as_deref(), lang)?;
    let mut opts = Options::new(config.scan.default_host.clone());
    opts.budget = budget;
    opts.wordlist = args.wordlist.clone();
    opts.threads = args.threads;
    opts.memory_cap = args.memory.max(1).saturating_mul(1 << 20);
    opts.show_passwords = args.show_passwords;
    opts.common_list = !args.no_common_list;
    if let Some(path) = &opts.wordlist
        && !kensa_fs::analyst::stat(path).is_ok_and(|meta| meta.is_file())
    {
        return Err(messages::BAD_WORDLIST.fill(lang, &[("path", &path.display())]));
    }
    let stop = stop_on_interrupt();
    let bar = crate::progress::Bar::new(
        config.progress,
        messages::PROGRESS_PASSWORDS.get(lang),
        crate::progress::Unit::Items,
    );
    let guessed = kensa_passwords::guess(&config.root, &opts, &stop, &progress_hook(&bar));
    bar.finish();
    if !config.quiet {
        eprintln!("{}", summary(&guessed, stop.load(Ordering::SeqCst), lang));
    }
    let mut diagnostics = config.diagnostics;
    diagnostics.extend(guessed.diagnostics);
    let report = Report::new(
        KENSA_VERSION,
        host_reports(
            guessed.findings,
            std::slice::from_ref(&config.scan.default_host),
        ),
        diagnostics,
    );
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
        None => crate::write_stdout(lang, render)?,
        Some(path) => {
            let mut out = io::BufWriter::new(open_private(path, lang)?);
            render(&mut out)
                .and_then(|()| out.flush())
                .map_err(|error| output_failed(path, &error, lang))?;
        }
    }
    Ok(u8::from(failing))
}

/// The pass `kensa triage` makes: [`kensa_passwords::TRIAGE_BUDGET`], the root's own
/// dictionary, no passwords shown. Diagnostics already in `seen` (the audit read the
/// same account files) are not repeated.
pub fn triage_pass(
    root: &kensa_fs::Root,
    host: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<kensa_core::Finding> {
    let mut opts = Options::new(host);
    opts.budget = kensa_passwords::TRIAGE_BUDGET;
    let stop = stop_on_interrupt();
    let guessed =
        kensa_passwords::guess(root, &opts, &stop, &progress_hook(&kensa_core::NoProgress));
    let mut seen: HashSet<(String, Option<u64>, String)> = diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.line, d.message.clone()))
        .collect();
    diagnostics.extend(
        guessed
            .diagnostics
            .into_iter()
            .filter(|d| seen.insert((d.file.clone(), d.line, d.message.clone()))),
    );
    guessed.findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90", Lang::En), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s", Lang::En), Ok(Duration::from_secs(90)));
        assert_eq!(
            parse_duration("10m", Lang::En),
            Ok(Duration::from_secs(600))
        );
        assert_eq!(
            parse_duration("1h30m", Lang::En),
            Ok(Duration::from_secs(5400))
        );
        assert_eq!(
            parse_duration("0.5", Lang::En),
            Ok(Duration::from_millis(500))
        );
        for bad in ["", "10x", "m", "5m3", "-1", "NaN", "1e300"] {
            assert!(parse_duration(bad, Lang::En).is_err(), "{bad}");
        }
    }

    #[test]
    fn world_readable_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        std::fs::write(&open, "").unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(check_private_output(Some(&open), Lang::En).is_err());
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(check_private_output(Some(&open), Lang::En).is_ok());
        let new = dir.path().join("new");
        assert!(check_private_output(Some(&new), Lang::En).is_ok());
        drop(open_private(&new, Lang::En).unwrap());
        let mode = std::fs::metadata(&new).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
