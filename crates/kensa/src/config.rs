//! Raw arguments resolved once into a validated configuration, so that the rest of the
//! program never re-reads flags (and every flag error is reported before any work).

use crate::cli::{ColorArg, FormatArg, ScanArgs};
use crate::host;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, Severity};
use kensa_detect::auth::guessing::GuessingConfig;
use kensa_detect::engine::ScanConfig;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Everything a scan or triage run needs, validated.
pub struct RunConfig {
    pub root: PathBuf,
    pub logs: Vec<PathBuf>,
    pub scan: ScanConfig,
    pub time_zone_source: String,
    pub format: kensa_report::Format,
    pub output: Option<PathBuf>,
    pub fail_on: Severity,
    pub text: kensa_report::TextOptions,
    pub quiet: bool,
    /// Whether the root stated its host name (else it is the directory's name).
    pub host_name_known: bool,
    /// Diagnostics found while resolving (e.g. the root's time zone file was odd).
    pub diagnostics: Vec<Diagnostic>,
}

impl RunConfig {
    pub fn resolve(args: ScanArgs) -> Result<RunConfig, String> {
        let root = args.root;
        let meta =
            std::fs::metadata(&root).map_err(|e| format!("--root {}: {e}", root.display()))?;
        if !meta.is_dir() {
            return Err(format!("--root {}: not a directory", root.display()));
        }
        let settings = Settings::load(args.config.as_deref())?;
        let select = resolve_select(args.select)?;
        let fail_on: Severity = args
            .fail_on
            .parse()
            .map_err(|e| format!("--fail-on: {e}"))?;
        let mut diagnostics = Vec::new();
        let (tz, time_zone_source) = match &args.tz {
            Some(name) => (parse_zone(name)?, "--tz".to_string()),
            None => kensa_logs::tz::root_timezone(&root, &mut diagnostics),
        };
        if let Some(year) = args.year
            && !(1970..=2200).contains(&year)
        {
            return Err(format!(
                "--year {year}: expected a year between 1970 and 2200"
            ));
        }
        let since = args
            .since
            .as_deref()
            .map(|s| parse_time(s, &tz, "--since"))
            .transpose()?;
        let until = args
            .until
            .as_deref()
            .map(|s| parse_time(s, &tz, "--until"))
            .transpose()?;
        let output_is_terminal = args.output.is_none() && std::io::stdout().is_terminal();
        let color = match args.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => output_is_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let format = match args.format {
            FormatArg::Text => kensa_report::Format::Text,
            FormatArg::Json => kensa_report::Format::Json,
            FormatArg::Jsonl => kensa_report::Format::Jsonl,
            FormatArg::Sarif => kensa_report::Format::Sarif,
            FormatArg::Html => kensa_report::Format::Html,
        };
        let (default_host, host_name_known) = host::host_name(&root);
        Ok(RunConfig {
            scan: ScanConfig {
                tz,
                default_host,
                year: args.year,
                since,
                until,
                guessing: settings.guessing,
                select,
            },
            root,
            logs: args.logs,
            time_zone_source,
            format,
            output: args.output,
            fail_on,
            text: kensa_report::TextOptions {
                color,
                verbose: args.verbose,
                max_evidence: 8,
                // English until the command line has --lang.
                lang: kensa_report::i18n::Lang::default(),
                // SARIF lists every rule of kensa, with or without results.
                rules: crate::all_rules(),
            },
            quiet: args.quiet,
            host_name_known,
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

    fn load(explicit: Option<&std::path::Path>) -> Result<Settings, String> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if std::path::Path::new(Self::DEFAULT_PATH).is_file() => {
                PathBuf::from(Self::DEFAULT_PATH)
            }
            None => return Ok(Settings::default()),
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("--config {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// `--select`: each entry must name at least one rule (a typo selecting nothing would
/// make a clean-looking report).
fn resolve_select(select: Vec<String>) -> Result<Vec<String>, String> {
    let codes: Vec<&str> = crate::all_rules().iter().map(|rule| rule.code).collect();
    let mut resolved = Vec::new();
    for entry in select {
        let entry = entry.trim().to_ascii_uppercase();
        if entry.is_empty() {
            continue;
        }
        if !codes.iter().any(|code| code.starts_with(entry.as_str())) {
            return Err(format!(
                "--select {entry}: no rule has such a code (see `kensa rules`)"
            ));
        }
        resolved.push(entry);
    }
    Ok(resolved)
}

fn parse_zone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name)
        .or_else(|_| TimeZone::posix(name))
        .map_err(|e| format!("--tz {name:?}: not a time zone name or POSIX TZ string ({e})"))
}

/// RFC 3339 with an offset, or a civil date/time in the host's zone.
fn parse_time(text: &str, tz: &TimeZone, flag: &str) -> Result<Timestamp, String> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil: DateTime = text
        .parse::<DateTime>()
        .or_else(|_| {
            text.parse::<jiff::civil::Date>()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .map_err(|_| format!("{flag} {text:?}: expected RFC 3339 or YYYY-MM-DD[THH:MM[:SS]]"))?;
    tz.to_ambiguous_zoned_datetime(civil)
        .compatible()
        .map(|z| z.timestamp())
        .map_err(|e| format!("{flag} {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_times_are_read_in_the_hosts_zone() {
        let tz = TimeZone::get("Asia/Tokyo").unwrap();
        let t = parse_time("1997-01-01", &tz, "--since").unwrap();
        assert_eq!(t.to_string(), "1996-12-31T15:00:00Z");
        let t = parse_time("1997-01-01T00:00:00+00:00", &tz, "--since").unwrap();
        assert_eq!(t.to_string(), "1997-01-01T00:00:00Z");
        assert!(parse_time("yesterday", &tz, "--since").is_err());
    }
}
