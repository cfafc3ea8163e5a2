//! `kensa probe`: what an attacker sees of a host from the network — the SMTP and FTP
//! greetings, the versions they give away, whether `anonymous` logs in to FTP and, only
//! when asked (`--write-test`), whether it can store files.
//!
//! The 1996/97 attacks of JPCERT-E-INF-97-0001 began this way: a greeting naming
//! sendmail 5.x, an anonymous FTP area with a writable directory. An administrator of
//! many hosts asks the same questions of all of them at once; this crate answers with the
//! same findings model as the rest of kensa (host as given, the address and port used
//! as the subject, the server's own lines as evidence) and judges versions with the same
//! advisories data and code as `kensa audit` (`kensa_host::versions`).
//!
//! Everything a server sends is hostile input ([`wire`]): connects and replies have
//! deadlines, lines and replies are size-capped, names from listings are checked before
//! they go into a command, and data connections go to the server's own address
//! whatever `PASV` says. Hosts are probed by a fixed number of threads ([`Options::parallel`]);
//! a host name is resolved once, and the address used is in every finding. The write test
//! stores one empty, uniquely named file per directory and deletes it at once — nothing
//! more, never without [`Options::write_test`].
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod banner;
mod ftp;
pub mod pr001_smtp_vulnerable_version;
pub mod pr002_ftp_vulnerable_version;
pub mod pr003_anonymous_ftp_login;
pub mod pr004_anonymous_ftp_write;
pub mod pr005_version_unknown;
pub mod pr006_version_known;
mod smtp;
pub mod target;
pub mod wire;

pub use target::{Endpoint, Service, Target};
pub use wire::Limits;

use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, Rule, tr};
use kensa_host::versions::advisories;
use kensa_host::versions::version::Version;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wire::{Conn, Line, Reply};

/// Every probe rule, by code.
pub fn rules() -> Vec<&'static Rule> {
    vec![
        &pr001_smtp_vulnerable_version::RULE,
        &pr002_ftp_vulnerable_version::RULE,
        &pr003_anonymous_ftp_login::RULE,
        &pr004_anonymous_ftp_write::RULE,
        &pr005_version_unknown::RULE,
        &pr006_version_known::RULE,
    ]
}

/// How to probe.
#[derive(Debug, Clone)]
pub struct Options {
    /// Timeouts and size limits of every conversation.
    pub limits: Limits,
    /// Hosts probed at the same time (at least 1).
    pub parallel: usize,
    /// Try to store (and at once delete) an empty file as `anonymous`.
    pub write_test: bool,
}

impl Default for Options {
    /// Default limits, 16 hosts at a time, no write test.
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            parallel: 16,
            write_test: false,
        }
    }
}

/// What probing found.
#[derive(Debug, Default)]
pub struct Probe {
    /// Findings, host by host in the order the targets were given.
    pub findings: Vec<Finding>,
    /// Hosts that could not be resolved, ports that did not answer, replies that broke
    /// off, each naming the host or `scheme://address:port` and the line.
    pub diagnostics: Vec<Diagnostic>,
    /// Hosts where at least one server answered (they belong in the report even when
    /// clean).
    pub hosts: Vec<String>,
}

/// Probes every target. Output is in the order of the targets whatever the number of
/// threads.
pub fn probe(targets: Vec<Target>, options: &Options) -> Probe {
    let targets = target::merge(targets);
    let results: Vec<Mutex<Option<Probe>>> = targets.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let workers = options.parallel.clamp(1, targets.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(target) = targets.get(i) else { break };
                    let result = probe_host(target, options);
                    if let Ok(mut slot) = results[i].lock() {
                        *slot = Some(result);
                    }
                }
            });
        }
    });
    let mut all = Probe::default();
    for result in results {
        let Some(result) = result.into_inner().ok().flatten() else {
            continue;
        };
        all.findings.extend(result.findings);
        all.diagnostics.extend(result.diagnostics);
        all.hosts.extend(result.hosts);
    }
    all
}

/// The host's address: the first its name resolves to (once), or itself.
fn resolve(host: &str) -> Result<(IpAddr, usize), Localized> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok((ip, 1));
    }
    let addrs: Vec<SocketAddr> = (host, 0)
        .to_socket_addrs()
        .map_err(|e| tr!("cannot resolve: {e}", "名前を解決できません: {e}"))?
        .collect();
    let first = addrs.first().ok_or_else(|| {
        tr!(
            "cannot resolve: no address",
            "名前を解決できません: アドレスがありません"
        )
    })?;
    Ok((first.ip(), addrs.len()))
}

fn probe_host(target: &Target, options: &Options) -> Probe {
    let mut result = Probe::default();
    let (ip, count) = match resolve(&target.host) {
        Ok(found) => found,
        Err(message) => {
            result.diagnostics.push(Diagnostic::say(
                DiagnosticLevel::Error,
                &target.host,
                None,
                message,
            ));
            return result;
        }
    };
    if target.host.parse::<IpAddr>().is_err() {
        result.diagnostics.push(Diagnostic::say(
            DiagnosticLevel::Note,
            &target.host,
            None,
            tr!(
                "resolved to {ip} (the first of {count} addresses): every port was probed there",
                "{ip} に解決しました（アドレス {count} 個のうち最初のもの）。すべてのポートを\
                 このアドレスで調べました"
            ),
        ));
    }
    let mut answered = false;
    for endpoint in &target.endpoints {
        let mut session = Session::new(&target.host, SocketAddr::new(ip, endpoint.port), options);
        session.service = endpoint.service;
        answered |= session.run();
        result.findings.append(&mut session.findings);
        result.diagnostics.append(&mut session.diagnostics);
    }
    if answered {
        result.hosts.push(target.host.clone());
    }
    result
}

/// One conversation with one port: where findings and diagnostics of it are made.
pub(crate) struct Session<'a> {
    pub host: &'a str,
    pub addr: SocketAddr,
    pub service: Service,
    pub options: &'a Options,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Session<'a> {
    fn new(host: &'a str, addr: SocketAddr, options: &'a Options) -> Session<'a> {
        Session {
            host,
            addr,
            service: Service::Auto,
            options,
            findings: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// `smtp://192.0.2.7:25`: the "file" of evidence and diagnostics.
    pub fn label(&self) -> String {
        format!("{}://{}", self.service.scheme(), self.addr)
    }

    /// A finding of `rule` about this port.
    pub fn finding(&self, rule: &'static Rule) -> Finding {
        let mut finding = Finding::new(rule, self.host);
        finding.subject.address = Some(self.addr.ip().to_string());
        finding.subject.port = Some(self.addr.port());
        finding.merge_key = self.label();
        finding
    }

    /// A server line as evidence, optionally after what kensa sent (`STOR x`).
    pub fn evidence(&self, line: &Line, sent: Option<&str>) -> Evidence {
        let mut raw = Vec::new();
        if let Some(sent) = sent {
            raw.extend_from_slice(sent.as_bytes());
            raw.extend_from_slice(b": ");
        }
        raw.extend_from_slice(&line.raw);
        let mut evidence = Evidence::from_line(&self.label(), line.number, line.offset, &raw, None);
        if line.truncated {
            evidence.text.push_str(" …");
        }
        evidence
    }

    /// A problem with this conversation, at a line of the server's stream if known.
    pub fn diagnose(&mut self, level: DiagnosticLevel, line: Option<u64>, message: Localized) {
        let label = self.label();
        self.diagnostics
            .push(Diagnostic::say(level, label, line, message));
    }

    /// Connects, reads the greeting, and runs the service's conversation. Returns whether
    /// the server answered with a greeting.
    fn run(&mut self) -> bool {
        let limits = self.options.limits;
        let mut conn = match Conn::connect(self.addr, limits) {
            Ok(conn) => conn,
            Err(err) => {
                let err = wire::WireError::from(err);
                let message = match err {
                    wire::WireError::Timeout => {
                        let secs = limits.connect_timeout.as_secs_f32();
                        tr!(
                            "cannot connect: no answer within {secs} s",
                            "接続できません: {secs} 秒以内に応答がありません"
                        )
                    }
                    other => {
                        let Localized { en, ja } = other.message();
                        tr!("cannot connect: {en}", "接続できません: {ja}")
                    }
                };
                self.diagnose(DiagnosticLevel::Warning, None, message);
                return false;
            }
        };
        let greeting = match conn.reply() {
            Ok(greeting) => greeting,
            Err(err) => {
                let line = match err {
                    wire::WireError::NotAReply { line } => Some(line),
                    _ => None,
                };
                let Localized { en, ja } = err.message();
                self.diagnose(
                    DiagnosticLevel::Warning,
                    line,
                    tr!("greeting: {en}", "挨拶文: {ja}"),
                );
                conn.close();
                return false;
            }
        };
        if self.service == Service::Auto {
            match guess_service(&greeting.text()) {
                Some(service) => self.service = service,
                None => {
                    self.diagnose(
                        DiagnosticLevel::Warning,
                        Some(greeting.first().number),
                        tr!(
                            "cannot tell SMTP from FTP by the greeting: name the service \
                             (smtp://HOST:PORT or ftp://HOST:PORT)",
                            "挨拶文から SMTP か FTP かを判別できません: サービスを指定して\
                             ください（smtp://HOST:PORT または ftp://HOST:PORT）"
                        ),
                    );
                    let _ = conn.send("QUIT");
                    conn.close();
                    return true;
                }
            }
        }
        match self.service {
            Service::Smtp => smtp::session(self, &mut conn, greeting),
            _ => ftp::session(self, &mut conn, greeting),
        }
        conn.close();
        true
    }

    /// Judges what the server said it is: PR001/PR002 (known holes), PR006 (none known),
    /// PR005 (cannot judge). `evidence` are the lines that say it.
    pub fn judge(&mut self, identity: Option<banner::Identity>, evidence: Vec<Evidence>) {
        let (vulnerable, what, what_ja) = match self.service {
            Service::Smtp => (
                &pr001_smtp_vulnerable_version::RULE,
                "mail server",
                "メールサーバ",
            ),
            _ => (
                &pr002_ftp_vulnerable_version::RULE,
                "FTP server",
                "FTP サーバ",
            ),
        };
        let unknown = &pr005_version_unknown::RULE;
        let (mut finding, title) = match identity {
            None => (
                self.finding(unknown),
                tr!(
                    "{what} does not name its product or version: not judged",
                    "{what_ja}が製品名も版も名乗らないため、判定していない"
                ),
            ),
            Some(banner::Identity {
                product,
                version: None,
                ..
            }) => (
                self.finding(unknown),
                tr!(
                    "{product}: version not shown: not judged",
                    "{product}: 版が示されないため、判定していない"
                ),
            ),
            Some(banner::Identity {
                product,
                advisory_product: None,
                version: Some(version),
            }) => (
                self.finding(unknown),
                tr!(
                    "{product} {version}: not in kensa's advisories data: not judged",
                    "{product} {version}: kensa の脆弱性データにないため、判定していない"
                ),
            ),
            Some(banner::Identity {
                product,
                advisory_product: Some(known),
                version: Some(text),
            }) => match Version::parse(&text) {
                None => (
                    self.finding(unknown),
                    tr!(
                        "{product} {text}: version not understood: not judged",
                        "{product} {text}: 版を解釈できないため、判定していない"
                    ),
                ),
                Some(version) => {
                    let affecting = advisories::affecting(known, &version);
                    match affecting.iter().map(|a| a.severity).max() {
                        Some(severity) => {
                            let mut finding = self.finding(vulnerable);
                            finding.severity = severity;
                            finding
                                .set_advice(kensa_host::versions::advice(vulnerable, &affecting));
                            let ids: Vec<&str> = affecting.iter().map(|a| a.id.as_str()).collect();
                            let (ids, ids_ja) = (ids.join(", "), ids.join("、"));
                            let title = tr!(
                                "{product} {text} has known holes ({ids})",
                                "{product} {text} には既知の脆弱性がある（{ids_ja}）"
                            );
                            (finding, title)
                        }
                        None => (
                            self.finding(&pr006_version_known::RULE),
                            tr!(
                                "{product} {text}: no known hole in kensa's advisories data",
                                "{product} {text}: kensa の脆弱性データに既知の穴はない"
                            ),
                        ),
                    }
                }
            },
        };
        finding.set_title(title);
        finding.count = 1;
        for evidence in evidence {
            finding.push_evidence(evidence);
        }
        self.findings.push(finding);
    }

    /// A conversation that broke off after the greeting: said, and the rest skipped.
    pub fn broke(&mut self, during: &str, err: wire::WireError) {
        let line = match err {
            wire::WireError::NotAReply { line } => Some(line),
            _ => None,
        };
        let Localized { en, ja } = err.message();
        self.diagnose(
            DiagnosticLevel::Warning,
            line,
            tr!("{during}: {en}", "{during}: {ja}"),
        );
    }
}

/// SMTP or FTP from a greeting, when the port does not say.
fn guess_service(greeting: &str) -> Option<Service> {
    let lower = greeting.to_ascii_lowercase();
    if lower.contains("ftp") {
        Some(Service::Ftp)
    } else if ["smtp", "mail", "sendmail", "postfix", "exim", "smail"]
        .iter()
        .any(|word| lower.contains(word))
    {
        Some(Service::Smtp)
    } else {
        None
    }
}

/// Every line of `reply` that `wanted` says shows the version, as evidence (the first
/// line when none does).
pub(crate) fn lines_showing(
    session: &Session<'_>,
    reply: &Reply,
    sent: Option<&str>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = reply
        .lines
        .iter()
        .filter(|line| wanted(&String::from_utf8_lossy(&line.raw)))
        .take(4)
        .map(|line| session.evidence(line, sent))
        .collect();
    if evidence.is_empty() {
        evidence.push(session.evidence(reply.first(), sent));
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_by_greeting() {
        assert_eq!(guess_service("(vsFTPd 3.0.3)"), Some(Service::Ftp));
        assert_eq!(
            guess_service("host Sendmail 8.6.12/8.6.9 ready"),
            Some(Service::Smtp)
        );
        assert_eq!(guess_service("mx ESMTP"), Some(Service::Smtp));
        assert_eq!(guess_service("ready"), None);
    }

    #[test]
    fn every_rule_has_both_languages_and_the_sections() {
        for rule in rules() {
            assert!(
                !rule.title_ja.is_empty() && !rule.advice_ja.is_empty(),
                "{}",
                rule.code
            );
            let doc = rule.doc();
            for section in [
                "## What it finds",
                "## Why it matters",
                "## Example",
                "## What to do",
                "## References",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", rule.code);
            }
            let ja = rule.doc_ja().unwrap_or_default();
            assert!(ja.contains("## 何を見つけるか"), "{}", rule.code);
            assert!(doc.starts_with(&format!("# {} {}", rule.code, rule.name)));
        }
    }
}
