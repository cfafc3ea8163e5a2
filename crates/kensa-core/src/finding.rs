//! A finding: one instance of a rule on one host, with the exact lines or files that
//! show it. Findings are what detectors and checks produce and all that writers read.

use crate::lang::{Lang, Localized};
use crate::rule::Rule;
use crate::severity::Severity;
use crate::time::LogTime;
use serde::{Deserialize, Serialize};

/// Fixed vocabulary of what a finding is about. Never changes with wording or codes;
/// machines and tests match on it. Serialized in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The advisory's sendmail attack: programs or files as addresses, `/etc/passwd`, `.rhosts`.
    SendmailExploit,
    /// Password guessing over any login service.
    PasswordGuessing,
    /// Account names tried without a password: enumeration of which accounts exist.
    AccountProbing,
    /// An anonymous FTP area that anonymous users can write to.
    AnonFtpWrite,
    /// A file uploaded by an anonymous FTP user.
    AnonFtpUpload,
    /// A weakness of an account (no shadow, empty password, extra UID 0, ...).
    AccountWeakness,
    /// A password that a guesser finds.
    GuessablePassword,
    /// A server version with a known hole.
    VulnerableVersion,
    /// Host trust files (`.rhosts`, `hosts.equiv`) that open the host.
    TrustFile,
    /// System files that differ from what was installed.
    Integrity,
    /// A backdoor: a shell on a port, a hidden account, an added key.
    Backdoor,
    /// Logs or login records that were altered or wiped.
    LogTampering,
    /// A root login from a remote host.
    RemoteRootLogin,
    /// An FTP server that lets anyone log in as `anonymous` (the advisory's anonymous FTP).
    AnonFtpAccess,
    /// What a network server says it is (product and version), known to kensa's
    /// advisories data or not: an inventory fact, or a version kensa cannot judge.
    ServerVersion,
}

impl Kind {
    /// The kebab-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::SendmailExploit => "sendmail-exploit",
            Kind::PasswordGuessing => "password-guessing",
            Kind::AccountProbing => "account-probing",
            Kind::AnonFtpWrite => "anon-ftp-write",
            Kind::AnonFtpUpload => "anon-ftp-upload",
            Kind::AccountWeakness => "account-weakness",
            Kind::GuessablePassword => "guessable-password",
            Kind::VulnerableVersion => "vulnerable-version",
            Kind::TrustFile => "trust-file",
            Kind::Integrity => "integrity",
            Kind::Backdoor => "backdoor",
            Kind::LogTampering => "log-tampering",
            Kind::RemoteRootLogin => "remote-root-login",
            Kind::AnonFtpAccess => "anon-ftp-access",
            Kind::ServerVersion => "server-version",
        }
    }
}

/// Fixed vocabulary of what a finding says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// An attack was made; no sign that it worked.
    Attempted,
    /// An attack probably worked.
    Succeeded,
    /// A hole is open; nobody has been seen using it.
    Exposure,
    /// A trace that an intruder may have left (tampering, trojans, backdoors).
    Indicator,
}

impl Outcome {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Attempted => "attempted",
            Outcome::Succeeded => "succeeded",
            Outcome::Exposure => "exposure",
            Outcome::Indicator => "indicator",
        }
    }
}

/// Whom or what a finding is about. Every field is optional; writers print those set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// The remote address or host name the attack came from, as parsed from the log's
    /// grammar (never from free text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Accounts or mail addresses involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// A file on the audited host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A message identifier, e.g. a sendmail queue id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The network address kensa connected to (`kensa probe`): an IP address, the one a
    /// host name resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The TCP port kensa connected to (`kensa probe`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// One line (or file) that shows a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The file, relative to the audited root when under it.
    pub file: String,
    /// 1-based line number in the (decompressed) file; 0 when the evidence is a file.
    pub line: u64,
    /// Byte offset of the line's start in the (decompressed) file.
    pub offset: u64,
    /// The line as text: invalid UTF-8 replaced, line ending removed, cut at the line cap.
    /// For evidence that is not a text line (a binary login record, a gap between lines)
    /// kensa's description of it, in English.
    pub text: String,
    /// That description in Japanese; `None` for a line quoted as it is.
    #[serde(default, skip_serializing)]
    pub text_ja: Option<String>,
    /// The line's raw bytes in hex, only when `text` is not an exact copy of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_hex: Option<String>,
    /// The time the line states, resolved to the host's local time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<LogTime>,
    /// For an entry of a systemd journal: where it is in journald's own terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalEntryRef>,
}

/// A journal entry as journald names it: `journalctl --file FILE --cursor CURSOR` shows
/// it. The evidence's `line` is then the entry's ordinal in its file (1 for the first
/// entry), and its `offset` the place of the entry's line in kensa's rendering of the
/// file as syslog lines; `entry_offset` is where the entry is in the file itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntryRef {
    /// The entry's sequence number (`__SEQNUM`).
    pub seqnum: u64,
    /// Byte offset of the entry object in the journal file.
    pub entry_offset: u64,
    /// The entry's cursor (`__CURSOR`).
    pub cursor: String,
}

impl Evidence {
    /// Evidence from a raw line; keeps the raw bytes in hex when they are not UTF-8.
    pub fn from_line(
        file: &str,
        line: u64,
        offset: u64,
        raw: &[u8],
        time: Option<LogTime>,
    ) -> Evidence {
        let (text, raw_hex) = match std::str::from_utf8(raw) {
            Ok(text) => (text.to_string(), None),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), Some(hex(raw))),
        };
        Evidence {
            file: file.to_string(),
            line,
            offset,
            text,
            text_ja: None,
            raw_hex,
            time,
            journal: None,
        }
    }

    /// Evidence that kensa describes in its own words (both languages), not a line quoted.
    pub fn described(
        file: &str,
        line: u64,
        offset: u64,
        text: Localized,
        time: Option<LogTime>,
    ) -> Evidence {
        Evidence {
            file: file.to_string(),
            line,
            offset,
            text: text.en,
            text_ja: Some(text.ja),
            raw_hex: None,
            time,
            journal: None,
        }
    }

    /// The text in `lang`: a quoted line as it is, kensa's description in the language.
    pub fn text_in(&self, lang: Lang) -> &str {
        match (lang, &self.text_ja) {
            (Lang::Ja, Some(ja)) => ja,
            _ => &self.text,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// One instance of a rule on one host.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The rule this finding is an instance of (serialized as its fields).
    #[serde(skip)]
    pub rule: &'static Rule,
    /// The rule's code.
    pub code: &'static str,
    /// The fixed-vocabulary kind.
    pub kind: Kind,
    /// The fixed-vocabulary outcome.
    pub outcome: Outcome,
    /// Severity (the rule's default unless the detector raised or lowered it).
    pub severity: Severity,
    /// One line for people (English; JSON carries this).
    pub title: String,
    /// The same line in Japanese. Set both with [`Finding::set_title`].
    #[serde(skip)]
    pub title_ja: String,
    /// The host the finding is about (the host name the log gave, or the audited root's).
    pub host: String,
    /// Whom or what it is about.
    pub subject: Subject,
    /// The first time the evidence shows.
    pub first_seen: Option<LogTime>,
    /// The last time the evidence shows.
    pub last_seen: Option<LogTime>,
    /// How many events the finding stands for (failed logins, messages, files).
    pub count: u64,
    /// The lines or files that show it, in time order.
    pub evidence: Vec<Evidence>,
    /// What to do (English; JSON carries this).
    pub advice: String,
    /// The same advice in Japanese. Set both with [`Finding::set_advice`].
    #[serde(skip)]
    pub advice_ja: String,
    /// Detector-defined key used to merge the same finding seen in two files (e.g. the
    /// mail log and the syslog copy of the same message). Not serialized.
    #[serde(skip)]
    pub merge_key: String,
}

impl Finding {
    /// A finding of `rule` on `host` with the rule's defaults.
    pub fn new(rule: &'static Rule, host: impl Into<String>) -> Finding {
        Finding {
            rule,
            code: rule.code,
            kind: rule.kind,
            outcome: rule.outcome,
            severity: rule.severity,
            title: rule.title.to_string(),
            title_ja: rule.title_in("ja").to_string(),
            host: host.into(),
            subject: Subject::default(),
            first_seen: None,
            last_seen: None,
            count: 0,
            evidence: Vec::new(),
            advice: rule.advice.to_string(),
            advice_ja: rule.advice_in("ja").to_string(),
            merge_key: String::new(),
        }
    }

    /// Words this finding's title itself (the path, the count, the account in it), in
    /// both languages.
    pub fn set_title(&mut self, title: Localized) {
        self.title = title.en;
        self.title_ja = title.ja;
    }

    /// Words this finding's advice itself, in both languages.
    pub fn set_advice(&mut self, advice: Localized) {
        self.advice = advice.en;
        self.advice_ja = advice.ja;
    }

    /// The title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja if !self.title_ja.is_empty() => &self.title_ja,
            _ => &self.title,
        }
    }

    /// The advice in `lang`.
    pub fn advice_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja if !self.advice_ja.is_empty() => &self.advice_ja,
            _ => &self.advice,
        }
    }

    /// Adds evidence and widens the time span to cover it.
    pub fn push_evidence(&mut self, evidence: Evidence) {
        if let Some(time) = evidence.time {
            self.first_seen = Some(self.first_seen.map_or(time, |t| t.min(time)));
            self.last_seen = Some(self.last_seen.map_or(time, |t| t.max(time)));
        }
        self.evidence.push(evidence);
    }

    /// Takes in another finding of the same rule, host and merge key: its evidence
    /// lines are added (duplicates of the same file and line dropped) and the span and
    /// count widened. Used when the same event is logged in two files.
    pub fn absorb(&mut self, other: Finding) {
        self.count = self.count.max(other.count);
        for evidence in other.evidence {
            let known = self
                .evidence
                .iter()
                .any(|e| e.file == evidence.file && e.line == evidence.line);
            if !known {
                self.push_evidence(evidence);
            }
        }
        self.evidence.sort_by(|a, b| {
            a.time
                .cmp(&b.time)
                .then_with(|| a.file.cmp(&b.file))
                .then(a.line.cmp(&b.line))
        });
    }
}
