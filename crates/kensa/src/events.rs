//! `kensa events`: every authentication, sendmail and FTP upload event kensa parsed from
//! the logs, one JSON object per line — and with `--unparsed`, the lines of login and
//! mail programs that gave none. What users reach for when asking "why was this not
//! flagged?" (fail2ban has `fail2ban-regex`, CrowdSec `cscli explain`).
//!
//! The logs are read by the same engine as `scan`, set by set in order (so the output
//! is in file and line order within each set), with a tap that is shown every record;
//! the rules run as in a scan, and their findings are dropped.

use crate::cli::{ColorArg, EventsArgs, FormatArg, ScanArgs};
use crate::config::RunConfig;
use kensa_detect::auth::{AuthEvent, AuthOutcome};
use kensa_detect::events::{EventTap, Tap};
use kensa_detect::ftp_upload::parse as ftp;
use kensa_detect::sendmail::parse::{self as sm, SmLine};
use kensa_logs::record::Record;
use kensa_report::i18n::Lang;
use serde_json::{Map, Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Programs whose lines `--unparsed` lists when they gave no event: the login and mail
/// programs kensa has parsers for (by a word of the program's name; `su` by its whole
/// name), and PAM's lines of any program.
const LOGIN_AND_MAIL_PROGRAMS: &[&str] = &[
    "sshd", "login", "sudo", "ftpd", "telnetd", "rlogind", "rshd", "rexecd", "sendmail", "sm-mta",
    "postfix", "exim", "dovecot", "imapd", "pop3d", "popper", "courier", "cyrus", "xinetd",
];

/// The literals that make those lines candidates: the names above as they stand in a
/// syslog header, su's header, PAM's module prefix.
const LOGIN_AND_MAIL_NEEDLES: &[&str] = &[
    "sshd", "login", "sudo", "ftpd", "telnetd", "rlogind", "rshd", "rexecd", "sendmail", "sm-mta",
    "postfix", "exim", "dovecot", "imapd", "pop3d", "popper", "courier", "cyrus", "xinetd", "su:",
    "su[", "pam_",
];

pub fn run(args: EventsArgs, lang: Lang) -> Result<u8, String> {
    let unparsed = args.unparsed;
    let output = args.output.clone();
    let mut config = RunConfig::resolve(scan_args(args), lang)?;
    let out: Box<dyn Write + Send> = match &output {
        Some(path) => Box::new(std::io::BufWriter::new(
            kensa_fs::analyst::create(path).map_err(|e| format!("-o {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let lister = Arc::new(Lister {
        out: Mutex::new(Writer { out, error: None }),
        unparsed,
    });
    config.scan.tap = Some(Tap(lister.clone()));
    let mut diagnostics = Vec::new();
    let (sets, login_files) = crate::log_sources(&config, &mut diagnostics);
    // One set at a time: the engine reads sets in parallel, and a listing in file order
    // is what a reader compares with the log.
    for set in &sets {
        let result = kensa_detect::engine::scan_logs(std::slice::from_ref(set), &[], &config.scan);
        diagnostics.extend(result.diagnostics);
    }
    let result = kensa_detect::engine::scan_logs(&[], &login_files, &config.scan);
    diagnostics.extend(result.diagnostics);
    config.scan.tap = None;
    let mut writer = lister.out.lock().unwrap_or_else(|p| p.into_inner());
    let flushed = writer.out.flush();
    if let Some(error) = writer.error.take().or(flushed.err()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(format!("writing the events: {error}"));
        }
        return Ok(0);
    }
    if !config.quiet {
        for diagnostic in &diagnostics {
            let text = format!("{}: {}", diagnostic.file, diagnostic.message_in(lang));
            eprintln!("kensa: {}", kensa_report::escape_terminal(&text));
        }
    }
    Ok(0)
}

/// The scan's arguments for what `events` takes; the rest as a plain `scan` has them.
fn scan_args(args: EventsArgs) -> ScanArgs {
    ScanArgs {
        input: args.input,
        format: FormatArg::Jsonl,
        output: None,
        select: Vec::new(),
        fail_on: "never".to_string(),
        mask: false,
        allow: Vec::new(),
        color: ColorArg::Never,
        verbose: false,
        quiet: args.quiet,
        state: None,
        all: false,
        lock_wait: 10,
    }
}

struct Writer {
    out: Box<dyn Write + Send>,
    /// The first write error; nothing more is written after it.
    error: Option<std::io::Error>,
}

struct Lister {
    out: Mutex<Writer>,
    unparsed: bool,
}

impl Lister {
    fn emit(&self, object: Map<String, Value>) {
        let mut writer = self.out.lock().unwrap_or_else(|p| p.into_inner());
        if writer.error.is_some() {
            return;
        }
        let written = serde_json::to_writer(&mut writer.out, &Value::Object(object))
            .map_err(std::io::Error::from)
            .and_then(|()| writer.out.write_all(b"\n"));
        if let Err(error) = written {
            writer.error = Some(error);
        }
    }
}

impl EventTap for Lister {
    fn extra_needles(&self) -> &[&'static str] {
        if self.unparsed {
            LOGIN_AND_MAIL_NEEDLES
        } else {
            &[]
        }
    }

    fn record(&self, record: &Record<'_>, event: Option<&AuthEvent>, _ruled: bool) {
        let mut any = false;
        if let Some(event) = event {
            self.emit(login_object(event));
            any = true;
        }
        if kensa_detect::sendmail::is_sendmail(record.program)
            && let Some(line) = sm::parse(record.message)
            && let Some(object) = sendmail_object(record, &line)
        {
            self.emit(object);
            any = true;
        }
        let upload = if record.program.is_empty() {
            ftp::xferlog(record.message).or_else(|| ftp::vsftpd(record.message))
        } else if record.program.ends_with(b"vsftpd") {
            ftp::vsftpd(record.message)
        } else {
            None
        };
        if let Some(upload) = upload {
            let mut object = place(record, "ftp-upload", &["FT"]);
            object.insert("source".into(), lossy(upload.source).into());
            object.insert("user".into(), lossy(upload.user).into());
            object.insert("path".into(), lossy(upload.path).into());
            object.insert("anonymous".into(), upload.anonymous.into());
            object.insert("completed".into(), upload.completed.into());
            self.emit(object);
            any = true;
        }
        if !any && self.unparsed && is_login_or_mail_program(record) {
            let mut object = place(record, "unparsed", &[]);
            object.insert("program".into(), lossy(record.program).into());
            object.insert("message".into(), lossy(record.message).into());
            self.emit(object);
        }
    }

    fn event(&self, event: &AuthEvent) {
        self.emit(login_object(event));
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Where a record is, and what it is: the fields every object starts with.
fn place(record: &Record<'_>, kind: &str, used_by: &[&str]) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("kind".into(), kind.into());
    object.insert("file".into(), record.at.file.into());
    object.insert("line".into(), record.at.line.into());
    if let Some(place) = &record.at.journal {
        object.insert("journal_seqnum".into(), place.seqnum.into());
    }
    object.insert("host".into(), record.host.as_ref().into());
    object.insert(
        "time".into(),
        record
            .time
            .map_or(Value::Null, |t| Value::String(t.to_string())),
    );
    object.insert("used_by".into(), json!(used_by));
    object
}

fn login_object(event: &AuthEvent) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("kind".into(), "login".into());
    object.insert("file".into(), event.evidence.file.clone().into());
    object.insert("line".into(), event.evidence.line.into());
    if let Some(place) = &event.evidence.journal {
        object.insert("journal_seqnum".into(), place.seqnum.into());
    }
    object.insert("host".into(), event.host.clone().into());
    object.insert(
        "time".into(),
        event
            .time
            .map_or(Value::Null, |t| Value::String(t.to_string())),
    );
    object.insert("used_by".into(), json!(["LG"]));
    object.insert("service".into(), event.service.as_str().into());
    object.insert("outcome".into(), outcome_name(event.outcome).into());
    object.insert("user".into(), json!(event.user));
    object.insert("source".into(), json!(event.source));
    object.insert("port".into(), json!(event.port));
    object.insert("local_user".into(), json!(event.local_user));
    object.insert("count".into(), event.count.into());
    object.insert("probe".into(), event.probe.into());
    object
}

fn outcome_name(outcome: AuthOutcome) -> &'static str {
    match outcome {
        AuthOutcome::Failure => "failure",
        AuthOutcome::InvalidUser => "invalid-user",
        AuthOutcome::Refused => "refused",
        AuthOutcome::Success => "success",
        AuthOutcome::Session => "session",
    }
}

/// The sendmail lines the SM rules read an address or a command from.
fn sendmail_object(record: &Record<'_>, line: &SmLine<'_>) -> Option<Map<String, Value>> {
    let mut object = place(record, "sendmail", &["SM"]);
    let mut put = |key: &str, value: Value| {
        object.insert(key.into(), value);
    };
    let class = |addr: &[u8], role: sm::Role, ctladdr: bool| {
        let class = sm::classify(addr, role, ctladdr);
        let kind = match class.kind {
            sm::AddrKind::Mailbox => "mailbox",
            sm::AddrKind::Program => "program",
            sm::AddrKind::File => "file",
        };
        json!({ "address": lossy(addr), "kind": kind, "malicious": class.malicious })
    };
    match *line {
        SmLine::From { qid, addr, source } => {
            put("line_kind", "from".into());
            put("qid", lossy(qid).into());
            put("sender", class(addr, sm::Role::Sender, false));
            put("source", json!(source.map(lossy)));
        }
        SmLine::To {
            qid,
            addrs,
            ctladdr,
            stat,
            ..
        } => {
            put("line_kind", "to".into());
            put("qid", lossy(qid).into());
            let recipients: Vec<Value> = sm::split_addresses(addrs)
                .into_iter()
                .map(|addr| class(addr, sm::Role::Recipient, ctladdr))
                .collect();
            put("recipients", recipients.into());
            put("stat", lossy(stat).into());
        }
        SmLine::Unparseable { qid, addr, source } => {
            put("line_kind", "unparseable-sender".into());
            put("qid", json!(qid.map(lossy)));
            put("sender", class(addr, sm::Role::Sender, false));
            put("source", json!(source.map(lossy)));
        }
        SmLine::Rejected {
            qid,
            addr,
            role,
            source,
        } => {
            put("line_kind", "ruleset-reject".into());
            put("qid", json!(qid.map(lossy)));
            put("address", class(addr, role, false));
            put("source", json!(source.map(lossy)));
        }
        SmLine::AddrError { qid, addr, direct } => {
            put("line_kind", "address-error".into());
            put("qid", json!(qid.map(lossy)));
            put("address", class(addr, sm::Role::Recipient, false));
            put("direct_to_program_or_file", direct.into());
        }
        SmLine::BogusCommand {
            qid,
            command,
            source,
        } => {
            put("line_kind", "command".into());
            put("qid", json!(qid.map(lossy)));
            put("command", lossy(command).into());
            put("source", json!(source.map(lossy)));
        }
        SmLine::MessageId { .. } | SmLine::Bounce { .. } | SmLine::Other { .. } => return None,
    }
    Some(object)
}

/// Whether the record's program is one `--unparsed` is about.
fn is_login_or_mail_program(record: &Record<'_>) -> bool {
    let base = record
        .program
        .rsplit(|&b| b == b'/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    base == b"su"
        || LOGIN_AND_MAIL_PROGRAMS.iter().any(|name| {
            let name = name.as_bytes();
            base.windows(name.len()).any(|w| w == name)
        })
        || record.message.starts_with(b"pam_")
}
