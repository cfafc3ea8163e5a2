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

    /// Language of the report, the rule titles, advice and docs, and the messages: en or
    /// ja. Default: from the locale (LC_ALL, LC_MESSAGES, LANG; ja_JP* gives Japanese),
    /// else English. JSON and JSON Lines keep their English field values.
    #[arg(long, value_enum, global = true, value_name = "LANG")]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Japanese (日本語).
    Ja,
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
    /// From the network, what an attacker sees: SMTP and FTP greetings and the versions
    /// they give away (judged against the same advisories as `audit`), whether
    /// `anonymous` logs in to FTP and lists its directory, and — only with --write-test —
    /// whether it can store files.
    Probe(ProbeArgs),
    /// Which accounts have a password a guesser finds, and to what kind of guess (the
    /// advisory's countermeasure (3)): hashes read from the shadow file under --root,
    /// tried with the user's own words, common passwords and a dictionary, within a
    /// time budget. Passwords are shown only with --show-passwords; the report is never
    /// written to a file others can read.
    Passwords(PasswordsArgs),
    /// Print the documentation of one rule (e.g. `kensa explain SM002`).
    Explain {
        /// The rule code.
        code: String,
    },
    /// List every rule with its code, kind, outcome and severity.
    Rules,
    /// Print a shell completion script (e.g. `kensa completions bash >
    /// /etc/bash_completion.d/kensa`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from this command line's definition
    /// (`kensa man > kensa.1; man ./kensa.1`).
    Man,
    /// Follow the logs live and report attacks as they are logged (one line per
    /// finding, text or JSON Lines). Keeps its place in the --state file, so `watch`
    /// and periodic `scan --state` runs agree on what was already reported.
    Watch(WatchArgs),
    /// Every authentication, sendmail and FTP upload event kensa parsed from the logs,
    /// one JSON object per line (file, line, host, time, what it is, and the rule
    /// families that use it) — with --unparsed also the lines of login and mail
    /// programs that gave none: the answer to "why was this not flagged?".
    Events(EventsArgs),
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub input: LogInputArgs,

    /// Also list the lines of login and mail programs (sshd, login, su, sudo, ftpd,
    /// telnetd, sendmail, postfix, exim, dovecot, PAM …) that gave no event
    /// (`"kind": "unparsed"`).
    #[arg(long)]
    pub unparsed: bool,

    /// Write the events to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Print nothing but the events (no notes about the logs on standard error).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub scan: ScanArgs,

    /// Seconds between looks at the logs.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub interval: f64,

    /// Also send each finding to the local syslog, facility auth, as JSON: to /dev/log,
    /// or to the datagram socket named.
    #[arg(long, value_name = "SOCKET", num_args = 0..=1, default_missing_value = "/dev/log")]
    pub syslog: Option<PathBuf>,

    /// Run this command (with /bin/sh -c) for each finding, the finding as JSON on its
    /// standard input (KENSA_CODE, KENSA_SEVERITY, KENSA_HOST in its environment). The
    /// command is yours: nothing from the audited system is ever run.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
}

/// Where the logs come from and how their times are read: what `scan`, `triage`, `audit`,
/// `watch` and `events` share.
#[derive(Debug, Args, Clone, Default)]
pub struct LogInputArgs {
    /// The audited root: `/` for this host, or a mounted image / extracted tarball. Logs
    /// are discovered under it (var/log, var/adm, usr/adm) and its etc/localtime gives
    /// the time zone.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,

    /// Log files or directories to read instead of discovering them under --root.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

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

    /// Settings file (thresholds, trusted networks); default /etc/kensa/kensa.toml when
    /// it exists. See kensa.toml.example.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub input: LogInputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Run only these rules: comma-separated codes or code prefixes (`SM` for the
    /// advisory's sendmail attack, `LG` password guessing, `FT` anonymous FTP, `AC`
    /// accounts, `VR` versions, `TR` trust files, `BD` backdoors, `CP` compromise traces, or single codes
    /// like `SM002`). Default: every rule. Fewer rules also mean a faster scan.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Exit with status 1 when a finding of at least this severity exists: `info` (any
    /// finding), `low` (the default: weaknesses worth fixing and worse), `medium` (attacks
    /// and serious holes), `high` (dangerous holes, attacks that may have worked),
    /// `critical` (a likely successful attack or intrusion), or `never` (exit 0 whatever
    /// was found, for collecting reports). Exit 2 always means the run itself failed.
    #[arg(long, value_name = "SEVERITY", default_value = "low")]
    pub fail_on: String,

    /// Replace local user names, internal addresses (RFC 1918, loopback, link-local,
    /// IPv6 ULA) and the host's own names and domain with stable pseudonyms (`user-1`,
    /// `internal-1`, `host-1`, `domain-1`) everywhere in the report, evidence lines
    /// included, for sharing it outside. Public addresses (the attackers') are kept.
    #[arg(long)]
    pub mask: bool,

    /// Accept the findings an allow list names as benign on this host (repeatable): one
    /// `CODE PATH REASON` per line, e.g. `IN001 usr/lib/node_modules/** npm updates its
    /// own files`. Accepted findings leave the verdict and the exit status but are still
    /// listed with their reason. Read from this machine, never from the audited root.
    #[arg(long, value_name = "FILE")]
    pub allow: Vec<PathBuf>,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Show every evidence line (text output shows the first few per finding).
    #[arg(short, long)]
    pub verbose: bool,

    /// Print nothing but the report (no scan summary or progress bar on standard error).
    #[arg(short, long)]
    pub quiet: bool,

    /// Incremental runs: remember in this SQLite file how far each log was read, the
    /// attacks still in progress and the findings reported, and report only what is new
    /// since the last run with the same file (for cron and systemd timers). Rotation,
    /// compression and copytruncate are followed; a log cut or replaced between runs is
    /// reported (ST001).
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// With --state: report every finding the remembered and new logs show, not only
    /// those no earlier run reported.
    #[arg(long, requires = "state")]
    pub all: bool,

    /// With --state: seconds to wait for another run holding the state file.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, requires = "state")]
    pub lock_wait: u64,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Hosts to probe: `HOST` (SMTP on 25 and FTP on 21), `HOST:PORT` (25 and 587 are
    /// SMTP, 21 FTP, other ports are told apart by their greeting), `[IPv6]:PORT`,
    /// `smtp://HOST[:PORT]`, `ftp://HOST[:PORT]`. A host name is resolved once; the
    /// report says which address was used.
    #[arg(value_name = "HOST[:PORT]")]
    pub targets: Vec<String>,

    /// Read more targets from FILE: whitespace-separated, `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    pub hosts_file: Option<PathBuf>,

    /// As `anonymous`, store an empty, uniquely named file in the FTP login directory
    /// and in each directory it lists, and delete it at once; report where it could be
    /// stored and any file that could not be deleted. Nothing is written without it.
    #[arg(long)]
    pub write_test: bool,

    /// Seconds a connect, and each reply, may take (a whole conversation with one server:
    /// twelve times that, at least a minute).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,

    /// Hosts probed at the same time.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub parallel: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding of at least this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "low")]
    pub fail_on: String,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Show every evidence line (text output shows the first few per finding).
    #[arg(short, long)]
    pub verbose: bool,

    /// Print nothing but the report (no summary on standard error).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct PasswordsArgs {
    /// The audited root: its etc/passwd and shadow file (etc/shadow, etc/master.passwd,
    /// etc/security/passwd) are read, nothing is written.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,

    /// Time for the whole run, shared among the hash schemes found (cheapest first):
    /// `90s`, `10m`, `1h`, or seconds. Accounts whose search it cuts short are listed
    /// with how far they were tested.
    #[arg(long, default_value = "3m", value_name = "DURATION")]
    pub budget: String,

    /// A word list (one word per line) to use instead of the root's dictionary
    /// (usr/share/dict/words, usr/dict/words); read from this machine, not the root.
    #[arg(long, value_name = "FILE")]
    pub wordlist: Option<PathBuf>,

    /// Do not try kensa's own common-password list (e.g. when --wordlist holds it).
    #[arg(long)]
    pub no_common_list: bool,

    /// Put the passwords found into the report (by default it says only which class of
    /// guess found them).
    #[arg(long)]
    pub show_passwords: bool,

    /// Threads (default: every core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Memory the guesses may use at once, in MiB (yescrypt needs 16 MiB per guess,
    /// scrypt 64 MiB: fewer threads run them when the cap is small).
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub memory: u64,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Write the report to FILE (created readable by its owner only; an existing file
    /// that others can read is refused).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding of at least this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "low")]
    pub fail_on: String,

    /// Colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Show every evidence line.
    #[arg(short, long)]
    pub verbose: bool,

    /// Print nothing but the report (no summary on standard error).
    #[arg(short, long)]
    pub quiet: bool,
}

impl PasswordsArgs {
    /// The scan arguments these imply (root, output and presentation), so that one
    /// resolver validates them.
    pub fn scan_args(&self) -> ScanArgs {
        ScanArgs {
            input: LogInputArgs {
                root: self.root.clone(),
                ..LogInputArgs::default()
            },
            format: self.format,
            output: self.output.clone(),
            select: vec!["PW".to_string()],
            fail_on: self.fail_on.clone(),
            mask: false,
            allow: Vec::new(),
            color: self.color,
            verbose: self.verbose,
            quiet: self.quiet,
            state: None,
            all: false,
            lock_wait: 10,
        }
    }
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
    /// The incident report a CSIRT asks for (JPCERT/CC's form): plain text for an e-mail,
    /// with the timeline, the source addresses and the log lines; see also --mask.
    Incident,
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
