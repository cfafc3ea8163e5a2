//! Raw arguments resolved once into a validated configuration, so that the rest of the
//! program never re-reads flags (and every flag error is reported before any work).

use crate::cli::{ColorArg, FormatArg, ProbeArgs, ScanArgs};
use crate::host;
use crate::messages;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use kensa_core::{AllowList, Diagnostic, Severity};
use kensa_detect::auth::guessing::GuessingConfig;
use kensa_detect::engine::ScanConfig;
use kensa_fs::Root;
use kensa_report::i18n::Lang;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything a scan or triage run needs, validated.
pub struct RunConfig {
    /// The audited root, opened once for the whole run: every file of it is read
    /// through this handle.
    pub root: Arc<Root>,
    pub logs: Vec<PathBuf>,
    pub scan: ScanConfig,
    pub time_zone_source: String,
    pub format: kensa_report::Format,
    pub output: Option<PathBuf>,
    /// `None`: `--fail-on never`.
    pub fail_on: Option<Severity>,
    pub text: kensa_report::TextOptions,
    pub quiet: bool,
    /// `--mask`: pseudonyms for user names, internal addresses and host names.
    pub mask: bool,
    /// `--allow`: findings accepted as benign, with their reasons.
    pub allow: AllowList,
    /// Draw a progress bar: standard error is a terminal and not `-q`.
    pub progress: bool,
    /// Whether the root stated its host name, or its own logs did (else it is the
    /// directory's name).
    pub host_name_known: bool,
    /// Diagnostics found while resolving (e.g. the root's time zone file was odd).
    pub diagnostics: Vec<Diagnostic>,
    /// `--state`: the incremental state file.
    pub state: Option<PathBuf>,
    /// `--all`: report remembered findings too.
    pub all: bool,
    /// `--lock-wait`: how long to wait for another run holding the state.
    pub lock_wait: std::time::Duration,
}

impl RunConfig {
    pub fn resolve(args: ScanArgs, lang: Lang) -> Result<RunConfig, String> {
        let root = open_root(&args.input.root, lang)?;
        let settings = Settings::load(args.input.config.as_deref(), lang)?;
        let select = resolve_select(args.select, lang)?;
        let fail_on = parse_fail_on(&args.fail_on, lang)?;
        let mut diagnostics = Vec::new();
        let allow = load_allow_lists(&args.allow, &mut diagnostics, lang)?;
        let (tz, time_zone_source) = match &args.input.tz {
            Some(name) => (parse_zone(name, lang)?, "--tz".to_string()),
            None => kensa_logs::tz::root_timezone(&root, &mut diagnostics),
        };
        if let Some(year) = args.input.year
            && !(1970..=2200).contains(&year)
        {
            return Err(messages::BAD_YEAR.fill(lang, &[("year", &year)]));
        }
        let since = args
            .input
            .since
            .as_deref()
            .map(|s| parse_time(s, &tz, "--since", lang))
            .transpose()?;
        let until = args
            .input
            .until
            .as_deref()
            .map(|s| parse_time(s, &tz, "--until", lang))
            .transpose()?;
        let color = use_color(args.color, args.output.is_none());
        let format = report_format(args.format);
        let (mut default_host, mut host_name_known) = host::host_name(&root);
        if !host_name_known && let Some(name) = host::named_by_own_logs(&root, &args.input.logs) {
            diagnostics.push(Diagnostic::coded(
                kensa_core::DiagnosticLevel::Note,
                "etc/hostname",
                None,
                kensa_core::MessageCode::HostNamedByLogs,
                vec![("host", name.clone())],
            ));
            default_host = name;
            host_name_known = true;
        }
        Ok(RunConfig {
            scan: ScanConfig {
                tz,
                default_host,
                year: args.input.year,
                since,
                until,
                guessing: settings.guessing,
                select,
                tap: None,
            },
            root,
            logs: args.input.logs,
            time_zone_source,
            format,
            output: args.output,
            fail_on,
            text: kensa_report::TextOptions {
                color,
                verbose: args.verbose,
                max_evidence: 8,
                lang,
                // SARIF lists every rule of kensa, with or without results.
                rules: crate::all_rules(),
            },
            quiet: args.quiet,
            mask: args.mask,
            allow,
            progress: !args.quiet && std::io::stderr().is_terminal(),
            host_name_known,
            diagnostics,
            state: args.state,
            all: args.all,
            lock_wait: std::time::Duration::from_secs(args.lock_wait),
        })
    }
}

/// An allow list is written by hand; anything larger is a mistake.
const ALLOW_LIST_LIMIT: u64 = 1 << 20;

/// Opens `--root` once for the run: every file of the audited root is read through it.
pub fn open_root(path: &Path, lang: Lang) -> Result<Arc<Root>, String> {
    let shown = path.display();
    match Root::open(path) {
        Ok(root) => Ok(Arc::new(root)),
        Err(error) if error.raw_os_error() == Some(libc::ENOTDIR) => {
            Err(messages::ROOT_NOT_DIR.fill(lang, &[("path", &shown)]))
        }
        Err(error) => {
            Err(messages::ROOT_UNREADABLE.fill(lang, &[("path", &shown), ("error", &error)]))
        }
    }
}

/// Reads the `--allow` files (from this machine, not the audited root) into one list; a
/// malformed line is a diagnostic, an unreadable file an error (it was asked for).
fn load_allow_lists(
    files: &[PathBuf],
    diagnostics: &mut Vec<Diagnostic>,
    lang: Lang,
) -> Result<AllowList, String> {
    let mut list = AllowList::default();
    for file in files {
        let path = file.display();
        let unreadable = |error: &dyn std::fmt::Display| {
            messages::ALLOW_UNREADABLE.fill(lang, &[("path", &path), ("error", error)])
        };
        let text = match kensa_fs::analyst::read(file, ALLOW_LIST_LIMIT) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => {
                return Err(messages::ALLOW_TOO_LARGE
                    .fill(lang, &[("path", &path), ("limit", &ALLOW_LIST_LIMIT)]));
            }
            Err(error) => return Err(unreadable(&error)),
        };
        let (more, problems) =
            AllowList::parse(&String::from_utf8_lossy(&text), &file.display().to_string());
        list.entries.extend(more.entries);
        diagnostics.extend(problems);
    }
    Ok(list)
}

/// Whether text output is coloured.
fn use_color(arg: ColorArg, to_stdout: bool) -> bool {
    let output_is_terminal = to_stdout && std::io::stdout().is_terminal();
    match arg {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => output_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn report_format(arg: FormatArg) -> kensa_report::Format {
    match arg {
        FormatArg::Text => kensa_report::Format::Text,
        FormatArg::Json => kensa_report::Format::Json,
        FormatArg::Jsonl => kensa_report::Format::Jsonl,
        FormatArg::Sarif => kensa_report::Format::Sarif,
        FormatArg::Html => kensa_report::Format::Html,
        FormatArg::Incident => kensa_report::Format::Incident,
    }
}

/// `--fail-on`: a severity, or `never` (exit 0 whatever is found).
fn parse_fail_on(text: &str, lang: Lang) -> Result<Option<Severity>, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "never" => Ok(None),
        severity => severity.parse::<Severity>().map(Some).map_err(|_| {
            let value = format!("{text:?}");
            messages::BAD_FAIL_ON.fill(lang, &[("value", &value)])
        }),
    }
}

/// Everything a `kensa probe` run needs, validated.
pub struct ProbeConfig {
    pub targets: Vec<kensa_probe::Target>,
    pub options: kensa_probe::Options,
    pub format: kensa_report::Format,
    pub output: Option<PathBuf>,
    pub fail_on: Option<Severity>,
    pub text: kensa_report::TextOptions,
    pub quiet: bool,
    /// Bad lines of the hosts file.
    pub diagnostics: Vec<Diagnostic>,
}

impl ProbeConfig {
    /// Most bytes of a hosts file read.
    const MAX_HOSTS_FILE: u64 = kensa_probe::target::MAX_HOSTS_FILE;

    pub fn resolve(args: ProbeArgs, lang: Lang) -> Result<ProbeConfig, String> {
        let mut diagnostics = Vec::new();
        let mut targets = Vec::new();
        for text in &args.targets {
            targets.push(
                kensa_probe::target::parse_localized(text).map_err(|e| e.get(lang).to_string())?,
            );
        }
        if let Some(path) = &args.hosts_file {
            let bytes = match kensa_fs::analyst::read(path, Self::MAX_HOSTS_FILE) {
                Ok(bytes) => bytes,
                Err(error) if error.kind() == std::io::ErrorKind::FileTooLarge => {
                    return Err(messages::HOSTS_FILE_TOO_LARGE.fill(
                        lang,
                        &[("path", &path.display()), ("bytes", &Self::MAX_HOSTS_FILE)],
                    ));
                }
                Err(error) => {
                    return Err(messages::HOSTS_FILE_UNREADABLE
                        .fill(lang, &[("path", &path.display()), ("error", &error)]));
                }
            };
            let text = String::from_utf8_lossy(&bytes);
            let name = path.display().to_string();
            targets.extend(kensa_probe::target::parse_hosts_file(
                &name,
                &text,
                &mut diagnostics,
            ));
        }
        if targets.is_empty() {
            return Err(messages::NO_TARGETS.get(lang).to_string());
        }
        if !(args.timeout.is_finite() && (0.1..=600.0).contains(&args.timeout)) {
            return Err(messages::BAD_TIMEOUT.fill(lang, &[("value", &args.timeout)]));
        }
        if !(1..=256).contains(&args.parallel) {
            return Err(messages::BAD_PARALLEL.fill(lang, &[("value", &args.parallel)]));
        }
        let fail_on = parse_fail_on(&args.fail_on, lang)?;
        let timeout = std::time::Duration::from_secs_f64(args.timeout);
        let mut options = kensa_probe::Options {
            parallel: args.parallel,
            write_test: args.write_test,
            ..Default::default()
        };
        options.limits.connect_timeout = timeout;
        options.limits.reply_timeout = timeout;
        // A whole conversation: enough for a write test on a slow server, not forever.
        options.limits.session_timeout = (timeout * 12).max(std::time::Duration::from_secs(60));
        Ok(ProbeConfig {
            targets,
            options,
            format: report_format(args.format),
            fail_on,
            text: kensa_report::TextOptions {
                color: use_color(args.color, args.output.is_none()),
                verbose: args.verbose,
                max_evidence: 8,
                lang,
                rules: crate::all_rules(),
            },
            output: args.output,
            quiet: args.quiet,
            diagnostics,
        })
    }
}

/// The settings file (`kensa.toml`): thresholds and allow-lists, one section per part.
/// Read from `--config FILE`, else `/etc/kensa/kensa.toml` when it exists — on the
/// analyst's machine, never from the audited root (an intruder could relax them there).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Settings {
    /// `[guessing]`: password-guessing thresholds and trusted networks.
    guessing: GuessingConfig,
}

impl Settings {
    const DEFAULT_PATH: &str = "/etc/kensa/kensa.toml";
    /// The largest configuration file read (a real one is a few KiB).
    const MAX_CONFIG: u64 = 1 << 20;

    fn load(explicit: Option<&std::path::Path>, lang: Lang) -> Result<Settings, String> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if kensa_fs::analyst::stat(std::path::Path::new(Self::DEFAULT_PATH))
                .is_ok_and(|meta| meta.is_file()) =>
            {
                PathBuf::from(Self::DEFAULT_PATH)
            }
            None => return Ok(Settings::default()),
        };
        let text = kensa_fs::analyst::read_to_string(&path, Self::MAX_CONFIG).map_err(|error| {
            messages::CONFIG_UNREADABLE.fill(lang, &[("path", &path.display()), ("error", &error)])
        })?;
        toml::from_str(&text).map_err(|error| {
            messages::CONFIG_INVALID.fill(lang, &[("path", &path.display()), ("error", &error)])
        })
    }
}

/// `--select`: each entry must name at least one rule (a typo selecting nothing would
/// make a clean-looking report).
fn resolve_select(select: Vec<String>, lang: Lang) -> Result<Vec<String>, String> {
    let codes: Vec<&str> = crate::all_rules().iter().map(|rule| rule.code).collect();
    let mut resolved = Vec::new();
    for entry in select {
        let entry = entry.trim().to_ascii_uppercase();
        if entry.is_empty() {
            continue;
        }
        if !codes.iter().any(|code| code.starts_with(entry.as_str())) {
            return Err(messages::BAD_SELECT.fill(lang, &[("entry", &entry)]));
        }
        resolved.push(entry);
    }
    Ok(resolved)
}

fn parse_zone(name: &str, lang: Lang) -> Result<TimeZone, String> {
    TimeZone::get(name)
        .or_else(|_| TimeZone::posix(name))
        .map_err(|error| {
            let name = format!("{name:?}");
            messages::BAD_ZONE.fill(lang, &[("name", &name), ("error", &error)])
        })
}

/// RFC 3339 with an offset, or a civil date/time in the host's zone.
fn parse_time(text: &str, tz: &TimeZone, flag: &str, lang: Lang) -> Result<Timestamp, String> {
    let quoted = format!("{text:?}");
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil: DateTime = text
        .parse::<DateTime>()
        .or_else(|_| {
            text.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .map_err(|_| messages::BAD_TIME.fill(lang, &[("flag", &flag), ("text", &quoted)]))?;
    tz.to_ambiguous_zoned_datetime(civil)
        .compatible()
        .map(|z| z.timestamp())
        .map_err(|error| {
            messages::BAD_LOCAL_TIME.fill(
                lang,
                &[("flag", &flag), ("text", &quoted), ("error", &error)],
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_times_are_read_in_the_hosts_zone() {
        let tz = TimeZone::get("Asia/Tokyo").unwrap();
        let t = parse_time("1997-01-01", &tz, "--since", Lang::En).unwrap();
        assert_eq!(t.to_string(), "1996-12-31T15:00:00Z");
        let t = parse_time("1997-01-01T00:00:00+00:00", &tz, "--since", Lang::En).unwrap();
        assert_eq!(t.to_string(), "1997-01-01T00:00:00Z");
        assert!(parse_time("yesterday", &tz, "--since", Lang::En).is_err());
    }
}
