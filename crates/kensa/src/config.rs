//! Raw arguments resolved once into a validated configuration, so that the rest of the
//! program never re-reads flags (and every flag error is reported before any work).

use crate::cli::{ColorArg, FormatArg, ScanArgs};
use crate::host;
use crate::messages;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use kensa_core::{Diagnostic, Severity};
use kensa_detect::auth::guessing::GuessingConfig;
use kensa_detect::engine::ScanConfig;
use kensa_report::i18n::Lang;
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
    pub fn resolve(args: ScanArgs, lang: Lang) -> Result<RunConfig, String> {
        let root = args.root;
        let path = root.display();
        let meta = std::fs::metadata(&root).map_err(|error| {
            messages::ROOT_UNREADABLE.fill(lang, &[("path", &path), ("error", &error)])
        })?;
        if !meta.is_dir() {
            return Err(messages::ROOT_NOT_DIR.fill(lang, &[("path", &path)]));
        }
        let settings = Settings::load(args.config.as_deref(), lang)?;
        let select = resolve_select(args.select, lang)?;
        let fail_on: Severity = args
            .fail_on
            .parse()
            .map_err(|error: String| messages::BAD_FAIL_ON.fill(lang, &[("error", &error)]))?;
        let mut diagnostics = Vec::new();
        let (tz, time_zone_source) = match &args.tz {
            Some(name) => (parse_zone(name, lang)?, "--tz".to_string()),
            None => kensa_logs::tz::root_timezone(&root, &mut diagnostics),
        };
        if let Some(year) = args.year
            && !(1970..=2200).contains(&year)
        {
            return Err(messages::BAD_YEAR.fill(lang, &[("year", &year)]));
        }
        let since = args
            .since
            .as_deref()
            .map(|s| parse_time(s, &tz, "--since", lang))
            .transpose()?;
        let until = args
            .until
            .as_deref()
            .map(|s| parse_time(s, &tz, "--until", lang))
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
                lang,
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

    fn load(explicit: Option<&std::path::Path>, lang: Lang) -> Result<Settings, String> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if std::path::Path::new(Self::DEFAULT_PATH).is_file() => {
                PathBuf::from(Self::DEFAULT_PATH)
            }
            None => return Ok(Settings::default()),
        };
        let text = std::fs::read_to_string(&path).map_err(|error| {
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
