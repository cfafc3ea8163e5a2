//! SARIF 2.1.0: the report as a Static Analysis Results Interchange Format log, for code
//! scanning dashboards, SOC tooling and anything else that already reads SARIF.
//!
//! SARIF was made for source code, so a few choices map kensa's model onto it:
//!
//! * **One run**, tool `kensa`. `tool.driver.rules` lists every rule of the run (the
//!   catalogue the caller passes, plus any rule a finding names that is missing from it),
//!   sorted by code: `id` is the code, `shortDescription` the title, `fullDescription` and
//!   `help` the rule's documentation (its module comment, which is markdown), the default
//!   level comes from the rule's severity, and the fixed vocabularies `kind` and
//!   `outcome` are in the rule's properties and tags.
//! * **Results** are findings: `ruleId`/`ruleIndex`, a level from the finding's own
//!   severity, the title as message, and one location per evidence line — the log file
//!   (relative to the audited root, `uriBaseId` `AUDITED_ROOT`, or an absolute `file:`
//!   URI when it lies outside it), the line as `region.startLine` and the line's text as
//!   the region's snippet. A file given as evidence (a check of the host's
//!   configuration) has a location without a region.
//! * **`partialFingerprints`** carry a hash of the finding's code, host and merge key
//!   (the detector's own identity of "the same finding"), so a dashboard that ingests
//!   tomorrow's run recognises today's findings even when the log lines moved.
//! * The host, verdict, subject, count and times are result properties: SARIF has no
//!   place of its own for them. Diagnostics (inputs that could not be read) are the
//!   invocation's `toolExecutionNotifications`, with the file and line as location.
//!
//! The output is written through the same terminal-safe JSON formatter as the JSON
//! report, so hostile log text is escaped beyond what JSON requires and decodes back to
//! the exact string. The document is serialized as it is walked, from structures that
//! borrow the report: nothing is copied into a JSON tree first.

use crate::i18n::Lang;
use crate::json::{SafeFormatter, write_value};
use kensa_core::{
    Accepted, Diagnostic, DiagnosticLevel, Evidence, Finding, HostReport, Report, Rule, Severity,
    Verdict,
};
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde_json::ser::PrettyFormatter;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The official location of the SARIF 2.1.0 schema (OASIS, errata 01), written as the
/// log's `$schema`.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where people learn about the tool (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = "https://kensa.invalid/";

/// The `uriBaseId` of evidence files under the audited root.
pub const ROOT_BASE_ID: &str = "AUDITED_ROOT";

/// The name of the partial fingerprint kensa computes (versioned: a change of how it is
/// computed gets a new name, so old and new fingerprints never collide).
pub const FINGERPRINT_NAME: &str = "kensaFinding/v1";

/// SARIF's `level` for a severity: critical and high findings are errors, medium ones
/// warnings, low and informational ones notes.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub code scanning's `security-severity` (a CVSS-like score as a string) for a
/// severity, so its dashboards sort kensa's findings the way kensa does.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn diagnostic_level(level: DiagnosticLevel) -> &'static str {
    match level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Note => "note",
    }
}

/// Writes `report` as a SARIF 2.1.0 log. `catalogue` is every rule of the run (listed in
/// `tool.driver.rules` even without results); rules of findings missing from it are
/// added. `lang` chooses the language of rule titles and docs and of the run's
/// `language` tag.
pub(crate) fn write(
    report: &Report,
    catalogue: &[&'static Rule],
    lang: Lang,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rules: BTreeMap<&'static str, &'static Rule> = BTreeMap::new();
    for rule in catalogue {
        rules.entry(rule.code).or_insert(rule);
    }
    let accepted = report
        .hosts
        .iter()
        .flat_map(|host| host.accepted.iter().map(|a| &a.finding));
    for finding in report
        .hosts
        .iter()
        .flat_map(|host| &host.findings)
        .chain(accepted)
    {
        rules.entry(finding.code).or_insert(finding.rule);
    }
    let rules: Vec<&'static Rule> = rules.into_values().collect();
    let log = Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [Run {
            report,
            rules: &rules,
            lang,
        }],
    };
    write_value(
        &log,
        SafeFormatter(PrettyFormatter::with_indent(b"  ")),
        &mut *out,
    )?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

struct Run<'a> {
    report: &'a Report,
    rules: &'a [&'static Rule],
    lang: Lang,
}

impl Serialize for Run<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(
            "tool",
            &Tool {
                driver: Driver {
                    name: "kensa",
                    version: self.report.kensa_version,
                    information_uri: INFORMATION_URI,
                    rules: RuleList {
                        rules: self.rules,
                        lang: self.lang,
                    },
                },
            },
        )?;
        map.serialize_entry(
            "invocations",
            &[Invocation {
                execution_successful: true,
                notifications: &self.report.diagnostics,
            }],
        )?;
        map.serialize_entry(
            "language",
            match self.lang {
                Lang::En => "en-US",
                Lang::Ja => "ja-JP",
            },
        )?;
        map.serialize_entry(
            "originalUriBaseIds",
            &BTreeMap::from([(
                ROOT_BASE_ID,
                BaseId {
                    description: Message {
                        text: "The audited root (--root): / for a live host, or the mount \
                               point of a disk image. Evidence paths are relative to it.",
                    },
                },
            )]),
        )?;
        map.serialize_entry(
            "results",
            &Results {
                hosts: &self.report.hosts,
                rules: self.rules,
                lang: self.lang,
            },
        )?;
        map.serialize_entry(
            "properties",
            &RunProperties {
                hosts: self
                    .report
                    .hosts
                    .iter()
                    .map(|host| HostVerdict {
                        host: &host.host,
                        verdict: host.verdict,
                        findings: host.findings.len(),
                    })
                    .collect(),
            },
        )?;
        map.end()
    }
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
    rules: RuleList<'a>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Markdown<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct BaseId<'a> {
    description: Message<'a>,
}

struct RuleList<'a> {
    rules: &'a [&'static Rule],
    lang: Lang,
}

impl Serialize for RuleList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.rules.len()))?;
        for rule in self.rules {
            let doc = match self.lang {
                Lang::Ja => rule.doc_ja().unwrap_or_else(|| rule.doc()),
                Lang::En => rule.doc(),
            };
            let title = rule.title_in(self.lang.code());
            // A rule without a written doc still gets a description: its title.
            let doc = if doc.is_empty() {
                title.to_string()
            } else {
                doc
            };
            seq.serialize_element(&Descriptor {
                id: rule.code,
                name: rule.name,
                short_description: Message { text: title },
                full_description: Markdown {
                    text: &doc,
                    markdown: &doc,
                },
                help: Markdown {
                    text: &doc,
                    markdown: &doc,
                },
                default_configuration: Configuration {
                    level: level(rule.severity),
                },
                properties: RuleProperties {
                    kind: rule.kind.as_str(),
                    outcome: rule.outcome.as_str(),
                    severity: rule.severity,
                    security_severity: security_severity(rule.severity),
                    since: rule.since,
                    tags: ["security", rule.kind.as_str(), rule.outcome.as_str()],
                },
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'static str,
    name: &'static str,
    short_description: Message<'a>,
    full_description: Markdown<'a>,
    help: Markdown<'a>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    kind: &'static str,
    outcome: &'static str,
    severity: Severity,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    since: &'static str,
    tags: [&'static str; 3],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(rename = "toolExecutionNotifications")]
    #[serde(serialize_with = "serialize_notifications")]
    notifications: &'a [Diagnostic],
}

fn serialize_notifications<S: Serializer>(
    diagnostics: &&[Diagnostic],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(diagnostics.len()))?;
    for diagnostic in diagnostics.iter() {
        seq.serialize_element(&Notification {
            level: diagnostic_level(diagnostic.level),
            message: Message {
                text: &diagnostic.message,
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(&diagnostic.file),
                    region: diagnostic.line.filter(|&line| line > 0).map(|line| Region {
                        start_line: line,
                        snippet: None,
                    }),
                },
                message: None,
                properties: None,
            }],
        })?;
    }
    seq.end()
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<LocationProperties<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationProperties<'a> {
    /// Byte offset of the line in the decompressed file.
    offset: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    /// The raw bytes when the snippet is not an exact copy of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_hex: Option<&'a str>,
}

/// The artifact location of a file as the model names it: relative to the audited root
/// (most files), or absolute when it lies outside it.
fn artifact_location(file: &str) -> ArtifactLocation {
    if file.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(file)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: percent_encode(file),
            uri_base_id: Some(ROOT_BASE_ID),
        }
    }
}

/// `path` as a URI path: every byte outside RFC 3986's unreserved characters and `/` is
/// percent-encoded, so spaces, `#`, `?`, `%`, non-ASCII and control characters (an
/// attacker's file name) all survive as data.
pub(crate) fn percent_encode(path: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn evidence_location(evidence: &Evidence) -> Location<'_> {
    let is_line = evidence.line > 0;
    Location {
        physical_location: PhysicalLocation {
            artifact_location: artifact_location(&evidence.file),
            region: is_line.then_some(Region {
                start_line: evidence.line,
                snippet: Some(Message {
                    text: &evidence.text,
                }),
            }),
        },
        // A file as evidence (a configuration check) says what is wrong with it here.
        message: (!is_line && !evidence.text.is_empty()).then_some(Message {
            text: &evidence.text,
        }),
        properties: is_line.then(|| LocationProperties {
            offset: evidence.offset,
            time: evidence.time.map(|t| t.to_string()),
            raw_hex: evidence.raw_hex.as_deref(),
        }),
    }
}

struct Results<'a> {
    hosts: &'a [HostReport],
    rules: &'a [&'static Rule],
    lang: Lang,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for host in self.hosts {
            // Accepted findings are results too, suppressed with the allow list's reason
            // (SARIF's own way to say "seen, and judged benign here").
            let findings = host.findings.iter().map(|finding| (finding, None)).chain(
                host.accepted
                    .iter()
                    .map(|accepted| (&accepted.finding, Some(accepted))),
            );
            for (finding, accepted) in findings {
                let rule_index = self
                    .rules
                    .binary_search_by(|rule| rule.code.cmp(finding.code))
                    .ok();
                seq.serialize_element(&SarifResult {
                    finding,
                    verdict: host.verdict,
                    rule_index,
                    lang: self.lang,
                    accepted,
                })?;
            }
        }
        seq.end()
    }
}

struct SarifResult<'a> {
    finding: &'a Finding,
    verdict: Verdict,
    rule_index: Option<usize>,
    lang: Lang,
    accepted: Option<&'a Accepted>,
}

impl Serialize for SarifResult<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let finding = self.finding;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("ruleId", finding.code)?;
        if let Some(index) = self.rule_index {
            map.serialize_entry("ruleIndex", &index)?;
        }
        map.serialize_entry("kind", "fail")?;
        map.serialize_entry("level", level(finding.severity))?;
        map.serialize_entry(
            "message",
            &Message {
                text: finding.title_in(self.lang),
            },
        )?;
        map.serialize_entry("locations", &Locations(&finding.evidence))?;
        if let Some(accepted) = self.accepted {
            map.serialize_entry(
                "suppressions",
                &[Suppression {
                    kind: "external",
                    justification: &accepted.reason,
                    properties: SuppressionProperties {
                        allowed_by: &accepted.allowed_by,
                    },
                }],
            )?;
        }
        map.serialize_entry(
            "partialFingerprints",
            &BTreeMap::from([(FINGERPRINT_NAME, fingerprint(finding))]),
        )?;
        map.serialize_entry(
            "properties",
            &ResultProperties {
                host: &finding.host,
                verdict: self.verdict,
                kind: finding.kind.as_str(),
                outcome: finding.outcome.as_str(),
                severity: finding.severity,
                security_severity: security_severity(finding.severity),
                subject: &finding.subject,
                first_seen: finding.first_seen.map(|t| t.to_string()),
                last_seen: finding.last_seen.map(|t| t.to_string()),
                count: finding.count,
                advice: finding.advice_in(self.lang),
            },
        )?;
        map.end()
    }
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    justification: &'a str,
    properties: SuppressionProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionProperties<'a> {
    allowed_by: &'a str,
}

struct Locations<'a>(&'a [Evidence]);

impl Serialize for Locations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for evidence in self.0 {
            seq.serialize_element(&evidence_location(evidence))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    host: &'a str,
    verdict: Verdict,
    kind: &'static str,
    outcome: &'static str,
    severity: Severity,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
    subject: &'a kensa_core::Subject,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_seen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_seen: Option<String>,
    count: u64,
    advice: &'a str,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    hosts: Vec<HostVerdict<'a>>,
}

#[derive(Serialize)]
struct HostVerdict<'a> {
    host: &'a str,
    verdict: Verdict,
    findings: usize,
}

/// A stable identity of a finding across runs: the FNV-1a 64-bit hash (twice, with two
/// offsets, for 128 bits) of its code, host and merge key. Findings without a merge key
/// (host checks) are identified by their subject and first evidence file instead. Lines
/// and times are left out on purpose: the same attack read from a log that has grown or
/// rotated keeps its fingerprint.
pub(crate) fn fingerprint(finding: &Finding) -> String {
    let mut identity = format!("{}\0{}\0", finding.code, finding.host);
    if finding.merge_key.is_empty() {
        let subject = &finding.subject;
        for part in [
            subject.source.as_deref().unwrap_or(""),
            subject.path.as_deref().unwrap_or(""),
            subject.message_id.as_deref().unwrap_or(""),
            finding.evidence.first().map_or("", |e| e.file.as_str()),
        ] {
            identity.push_str(part);
            identity.push('\0');
        }
        identity.push_str(&subject.users.join("\0"));
    } else {
        identity.push_str(&finding.merge_key);
    }
    format!(
        "{:016x}{:016x}",
        fnv1a(identity.as_bytes(), 0xcbf2_9ce4_8422_2325),
        fnv1a(identity.as_bytes(), 0x6c62_272e_07bb_0142)
    )
}

fn fnv1a(bytes: &[u8], offset: u64) -> u64 {
    bytes.iter().fold(offset, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            percent_encode("var/adm/messages.1.gz"),
            "var/adm/messages.1.gz"
        );
        assert_eq!(percent_encode("a b#c?d%e"), "a%20b%23c%3Fd%25e");
        assert_eq!(percent_encode("log\x1b[2J"), "log%1B%5B2J");
        assert_eq!(percent_encode("日"), "%E6%97%A5");
        let outside = artifact_location("/tmp/x y");
        assert_eq!(outside.uri, "file:///tmp/x%20y");
        assert_eq!(outside.uri_base_id, None);
        let inside = artifact_location("var/log/syslog");
        assert_eq!(inside.uri_base_id, Some(ROOT_BASE_ID));
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // FNV-1a 64 test vectors (Fowler, Noll, Vo).
        assert_eq!(fnv1a(b"", 0xcbf2_9ce4_8422_2325), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a", 0xcbf2_9ce4_8422_2325), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            fnv1a(b"foobar", 0xcbf2_9ce4_8422_2325),
            0x8594_4171_f739_67e8
        );
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }
}
