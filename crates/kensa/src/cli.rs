//! The command line, as clap sees it. The doc comments here are the `--help` text (and
//! later the man page): flags are documented once, here. Nothing outside `config.rs`
//! reads these raw arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// kensa — was this Unix host attacked, did the attack succeed, and are the holes closed?
///
/// Implements the procedure of JPCERT/CC's advisory JPCERT-E-INF-97-0001 (sendmail
/// exploitation, anonymous FTP abuse, password guessing over TELNET/FTP) for live hosts
/// and mounted disk images.
///
/// Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 the run
/// itself failed. An input that cannot be read is a diagnostic in the report, not a failure.
#[derive(Debug, Parser)]
#[command(name = "kensa", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Everything kensa knows how to check, one verdict per host (the main job).
    Triage(ScanArgs),
    /// Logs only: attacks, and whether they succeeded.
    Scan(ScanArgs),
    /// Host configuration only: anonymous FTP, accounts and shadow passwords, versions,
    /// trust files — read under --root, nothing executed or written.
    Audit(ScanArgs),
    /// Print the documentation of one rule (e.g. `kensa explain SM002`).
    Explain {
        /// The rule code.
        code: String,
    },
    /// List every rule with its code, kind, outcome and severity.
    Rules,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The audited root: `/` for this host, or a mounted image / extracted tarball. Logs
    /// are discovered under it (var/log, var/adm, usr/adm) and its etc/localtime gives
    /// the time zone.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,

    /// Log files or directories to read instead of discovering them under --root.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Ignore log lines before this time (RFC 3339, or YYYY-MM-DD[THH:MM[:SS]] in the
    /// audited host's time zone).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// Ignore log lines after this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// The year of the newest line of each log, for logs whose dates have no year
    /// (classic syslog). By default it comes from the files' modification times,
    /// corrected by dates the logs themselves state.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i16>,

    /// The audited host's time zone (e.g. Asia/Tokyo, JST-9), overriding what its
    /// etc/localtime says.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Run only these rules: comma-separated codes or code prefixes (`SM` for the
    /// advisory's sendmail attack, `LG` password guessing, `FT` anonymous FTP, `AC`
    /// accounts, `VR` versions, `TR` trust files, `CP` compromise traces, or single codes
    /// like `SM002`). Default: every rule. Fewer rules also mean a faster scan.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Settings file (thresholds, trusted networks); default /etc/kensa/kensa.toml when
    /// it exists. See kensa.toml.example.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with status 1 when a finding of at least this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "low")]
    pub fail_on: String,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Show every evidence line (text output shows the first few per finding).
    #[arg(short, long)]
    pub verbose: bool,

    /// Print nothing but the report (no scan summary on standard error).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people (the default).
    Text,
    /// One JSON document (schema: docs/schema/report-v1.schema.json).
    Json,
    /// One JSON object per finding, for SIEMs.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning dashboards and SARIF tools.
    Sarif,
    /// One self-contained HTML page with charts (no script); use with -o report.html.
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}
