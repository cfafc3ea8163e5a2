//! Server versions read without executing anything, judged against the advisories data
//! file.
//!
//! kensa runs as root on hosts an intruder may own; running `sendmail -d0.1` or
//! `in.ftpd -V` there would run the intruder's program. So versions come from bytes:
//! the `DZ` line of `sendmail.cf` and the strings each server's source compiles next to
//! its version ([`extract`]). Each version is compared ([`version`]) with the affected
//! ranges of the data file `data/advisories.tsv` ([`advisories`]); a version with at
//! least one advisory gives one finding (VR001 sendmail, VR002 FTP servers) with every
//! file that shows it as evidence, its severity that of its worst advisory, and the
//! advisories spelt out in the advice. FTP daemons are looked for at their usual paths
//! and wherever `inetd.conf` says the `ftp` service runs. A binary is read up to
//! [`MAX_BINARY_BYTES`]; the same file reached through two names (a link) is read once.

pub mod advisories;
pub mod extract;
pub mod version;
pub mod vr001_sendmail;
pub mod vr002_ftp_server;

use crate::{Check, Context};
use advisories::{Advisory, Product};
use kensa_core::{DiagnosticLevel, Evidence, Finding, Localized, MessageCode, Rule, tr};
use std::collections::BTreeMap;
use std::io::ErrorKind;
use version::Version;

/// Bytes of a binary scanned for version strings.
pub const MAX_BINARY_BYTES: u64 = 64 << 20;
/// Bytes of a `sendmail.cf` read.
const MAX_CF_BYTES: u64 = 4 << 20;

/// Where sendmail's configuration lives.
pub const SENDMAIL_CF: [&str; 3] = [
    "etc/mail/sendmail.cf",
    "etc/sendmail.cf",
    "usr/lib/sendmail.cf",
];
/// Where sendmail's binary lives.
pub const SENDMAIL_BINARIES: [&str; 6] = [
    "usr/lib/sendmail",
    "usr/sbin/sendmail",
    "usr/sbin/sendmail-mta",
    "usr/libexec/sendmail/sendmail",
    "usr/lib/sm.bin/sendmail",
    "usr/lib/sendmail.mx",
];
/// Where FTP servers live; every FTP product's strings are looked for in each (an
/// `in.ftpd` may be any of them).
pub const FTP_BINARIES: [&str; 17] = [
    "usr/sbin/in.ftpd",
    "usr/lbin/ftpd",
    "usr/local/libexec/ftpd",
    "usr/local/sbin/wu.ftpd",
    "usr/etc/in.ftpd",
    "usr/sbin/wu.ftpd",
    "usr/sbin/in.wuftpd",
    "usr/sbin/wu-ftpd",
    "usr/sbin/ftpd",
    "usr/libexec/ftpd",
    "usr/local/sbin/in.ftpd",
    "usr/sbin/vsftpd",
    "usr/local/sbin/vsftpd",
    "usr/sbin/proftpd",
    "usr/local/sbin/proftpd",
    "usr/sbin/pure-ftpd",
    "usr/local/sbin/pure-ftpd",
];
const FTP_PRODUCTS: [Product; 4] = [
    Product::WuFtpd,
    Product::Vsftpd,
    Product::Proftpd,
    Product::PureFtpd,
];

static SENDMAIL_RULES: [&Rule; 1] = [&vr001_sendmail::RULE];
static FTP_RULES: [&Rule; 1] = [&vr002_ftp_server::RULE];

/// The version checks, in the order they run.
pub(crate) fn checks() -> Vec<Check> {
    vec![
        Check {
            name: "sendmail-version",
            rules: &SENDMAIL_RULES,
            run: sendmail,
        },
        Check {
            name: "ftp-server-version",
            rules: &FTP_RULES,
            run: ftp_servers,
        },
    ]
}

/// Versions seen, by product and version text, with the evidence of each.
type Seen = BTreeMap<(Product, String), Vec<Evidence>>;

/// Reads a binary once per file (by device and inode) and returns its bytes.
fn read_binary(ctx: &mut Context<'_>, rel: &str, read: &mut Vec<(u64, u64)>) -> Option<Vec<u8>> {
    let meta = match ctx.root.stat(rel) {
        Ok(meta) => meta,
        Err(err) if err.kind() == ErrorKind::NotFound => return None,
        Err(err) => {
            ctx.say(
                DiagnosticLevel::Warning,
                rel,
                tr!("cannot examine: {err}", "調べられません: {err}"),
            );
            return None;
        }
    };
    if read.contains(&(meta.dev, meta.ino)) {
        return None;
    }
    read.push((meta.dev, meta.ino));
    match ctx.root.read_prefix(rel, MAX_BINARY_BYTES) {
        Ok((bytes, truncated)) => {
            if truncated {
                ctx.say(
                    DiagnosticLevel::Note,
                    rel,
                    tr!(
                        "larger than {MAX_BINARY_BYTES} bytes: only its start was searched for \
                         a version",
                        "{MAX_BINARY_BYTES} バイトを超えるため、バージョンは先頭部分だけから\
                         探しました"
                    ),
                );
            }
            Some(bytes)
        }
        Err(err) => {
            ctx.coded(
                DiagnosticLevel::Warning,
                rel,
                MessageCode::CannotRead,
                vec![("error", err.to_string())],
            );
            None
        }
    }
}

/// The printable string around a version in a binary, quoted as it is (no `text_ja`).
fn binary_evidence(ctx: &Context<'_>, rel: &str, found: &extract::Found) -> Evidence {
    Evidence {
        text_ja: None,
        file: ctx.root.display(rel),
        line: 0,
        offset: found.offset as u64,
        text: found.context.clone(),
        raw_hex: None,
        time: None,
        journal: None,
    }
}

/// Where `inetd.conf` lives (BSD, SunOS, Linux; Solaris).
const INETD_CONF: [&str; 2] = ["etc/inetd.conf", "etc/inet/inetd.conf"];
/// Directories where tcpd looks for the daemon it wraps (`REAL_DAEMON_DIR`).
const TCPD_DIRS: [&str; 4] = ["usr/sbin", "usr/etc", "usr/libexec", "usr/lbin"];

/// The FTP daemons `inetd.conf` starts: `ftp stream tcp nowait root /usr/etc/in.ftpd
/// in.ftpd`, or through tcpd (`/usr/sbin/tcpd in.ftpd`: the daemon's name, looked up
/// in tcpd's directories). Paths are relative to the root.
pub fn inetd_ftp_daemons(inetd_conf: &[u8]) -> Vec<String> {
    let mut daemons = Vec::new();
    for line in inetd_conf.split(|&b| b == b'\n') {
        let text = String::from_utf8_lossy(line);
        let fields: Vec<&str> = text.split_whitespace().collect();
        let [service, _, _, _, _, server, ref rest @ ..] = fields[..] else {
            continue;
        };
        if service != "ftp" || daemons.len() >= 8 {
            continue;
        }
        if server.ends_with("tcpd") {
            let Some(name) = rest.first() else { continue };
            if name.starts_with('/') {
                daemons.push(name.trim_start_matches('/').to_string());
            } else if !name.contains("..") {
                daemons.extend(TCPD_DIRS.iter().map(|dir| format!("{dir}/{name}")));
            }
        } else if server.starts_with('/') {
            daemons.push(server.trim_start_matches('/').to_string());
        }
    }
    daemons
}

fn sendmail(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut seen = Seen::new();
    let mut read = Vec::new();
    for rel in SENDMAIL_CF {
        // The same file under two names (usr/lib/sendmail.cf -> /etc/sendmail.cf) once.
        if let Ok(meta) = ctx.root.stat(rel) {
            if read.contains(&(meta.dev, meta.ino)) {
                continue;
            }
            read.push((meta.dev, meta.ino));
        }
        let bytes = match ctx.root.read_prefix(rel, MAX_CF_BYTES) {
            Ok((bytes, _)) => bytes,
            Err(err) if err.kind() == ErrorKind::NotFound => continue,
            Err(err) => {
                ctx.coded(
                    DiagnosticLevel::Warning,
                    rel,
                    MessageCode::CannotRead,
                    vec![("error", err.to_string())],
                );
                continue;
            }
        };
        if let Some((version, line, offset)) = extract::sendmail_cf(&bytes) {
            let text = format!("DZ{version}");
            let evidence =
                Evidence::from_line(&ctx.root.display(rel), line, offset, text.as_bytes(), None);
            seen.entry((Product::Sendmail, version))
                .or_default()
                .push(evidence);
        }
    }
    for rel in SENDMAIL_BINARIES {
        let Some(bytes) = read_binary(ctx, rel, &mut read) else {
            continue;
        };
        for found in extract::from_binary(Product::Sendmail, &bytes) {
            let evidence = binary_evidence(ctx, rel, &found);
            seen.entry((Product::Sendmail, found.version))
                .or_default()
                .push(evidence);
        }
    }
    judge(ctx, seen, &vr001_sendmail::RULE)
}

fn ftp_servers(ctx: &mut Context<'_>) -> Vec<Finding> {
    let mut seen = Seen::new();
    let mut read = Vec::new();
    let mut candidates: Vec<String> = FTP_BINARIES.iter().map(|s| s.to_string()).collect();
    for rel in INETD_CONF {
        if let Some(bytes) = ctx.read_config(rel) {
            for daemon in inetd_ftp_daemons(&bytes) {
                if !candidates.contains(&daemon) {
                    candidates.push(daemon);
                }
            }
        }
    }
    for rel in &candidates {
        let Some(bytes) = read_binary(ctx, rel, &mut read) else {
            continue;
        };
        for product in FTP_PRODUCTS {
            for found in extract::from_binary(product, &bytes) {
                let evidence = binary_evidence(ctx, rel, &found);
                seen.entry((product, found.version))
                    .or_default()
                    .push(evidence);
            }
        }
    }
    judge(ctx, seen, &vr002_ftp_server::RULE)
}

/// The advice for one version, in English and Japanese: the rule's, then each advisory
/// on its own line. Also used by `kensa probe`, so that both judge and explain a version
/// the same way.
pub fn advice(rule: &Rule, advisories: &[&Advisory]) -> Localized {
    let mut advice = Localized {
        en: rule.advice.to_string(),
        ja: rule.advice_in("ja").to_string(),
    };
    for advisory in advisories {
        let (id, affected) = (&advisory.id, &advisory.affected);
        let (description, description_ja) = (&advisory.description, &advisory.description_ja);
        let line = match advisory.fixed.as_deref() {
            Some(fixed) => tr!(
                "\n- {id} ({affected}, fixed in {fixed}): {description}",
                "\n- {id}（{affected}、{fixed} で修正）: {description_ja}"
            ),
            None => tr!(
                "\n- {id} ({affected}, no fixed release): {description}",
                "\n- {id}（{affected}、修正版なし）: {description_ja}"
            ),
        };
        advice.en.push_str(&line.en);
        advice.ja.push_str(&line.ja);
    }
    advice
}

fn judge(ctx: &Context<'_>, seen: Seen, rule: &'static Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for ((product, text), evidence) in seen {
        let Some(version) = Version::parse(&text) else {
            continue;
        };
        let affecting = advisories::affecting(product, &version);
        let Some(severity) = affecting.iter().map(|a| a.severity).max() else {
            continue;
        };
        let mut finding = ctx.finding(rule);
        let ids: Vec<&str> = affecting.iter().map(|a| a.id.as_str()).collect();
        let (name, ids, ids_ja) = (product.name(), ids.join(", "), ids.join("、"));
        finding.set_title(tr!(
            "{name} {text} has known holes ({ids})",
            "{name} {text} には既知のセキュリティホールがある（{ids_ja}）"
        ));
        finding.severity = severity;
        finding.set_advice(advice(rule, &affecting));
        finding.subject.path = evidence.first().map(|e| e.file.clone());
        finding.count = evidence.len() as u64;
        finding.merge_key = format!("{} {text}", product.name());
        for e in evidence {
            finding.push_evidence(e);
        }
        findings.push(finding);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ftp_daemons_of_inetd_conf() {
        let conf = b"# ftp stream tcp nowait root /usr/sbin/x x\n\
            ftp\tstream\ttcp\tnowait\troot\t/usr/etc/in.ftpd\tin.ftpd\n\
            ftp stream tcp nowait root /usr/sbin/tcpd in.wuftpd -l\n\
            ftp stream tcp nowait root /usr/sbin/tcpd /opt/ftp/bin/ftpd\n\
            ftp stream tcp nowait root /usr/sbin/tcpd ../../x\n\
            telnet stream tcp nowait root /usr/etc/in.telnetd in.telnetd\n\
            ftp broken\n";
        assert_eq!(
            inetd_ftp_daemons(conf),
            [
                "usr/etc/in.ftpd",
                "usr/sbin/in.wuftpd",
                "usr/etc/in.wuftpd",
                "usr/libexec/in.wuftpd",
                "usr/lbin/in.wuftpd",
                "opt/ftp/bin/ftpd",
            ]
        );
    }
}
