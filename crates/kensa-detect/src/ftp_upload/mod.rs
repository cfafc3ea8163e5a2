//! Anonymous FTP uploads in the transfer logs: the log side of the advisory's second
//! attack.
//!
//! The attack of JPCERT-E-INF-97-0001 against anonymous FTP needs one log line to show
//! it: the upload of `~ftp/.forward` (or `.rhosts`) by an anonymous user. These formats
//! carry such lines:
//!
//! - wu-ftpd's `xferlog` (proftpd and vsftpd can write it too): a ctime stamp, then
//!   `transfer-time remote-host bytes filename type action direction access-mode user
//!   service auth-method auth-user [completion]`. The engine hands these lines over as
//!   records without host or program; [`parse::xferlog`] reads the fixed fields from
//!   both ends, so a file name with spaces in it cannot shift them, and the completion
//!   field that wu-ftpd 2.4 did not write yet is optional.
//! - vsftpd's own log (`[pid 12] [ftp] OK UPLOAD: Client "192.0.2.1", "/.forward", 48
//!   bytes, ...`), in its own file or through syslog as `vsftpd[12]: [ftp] OK UPLOAD:`.
//! - pure-ftpd's syslog lines (`pure-ftpd: (ftp@192.0.2.1) [NOTICE] /srv/ftp//x uploaded
//!   (4 bytes, …)`) and its Common Log Format alt log (`192.0.2.1 - ftp [07/Dec/2026:…]
//!   "PUT /srv/ftp/x" 200 4`, Debian's `transfer.log`).
//!
//! Only anonymous uploads count (xferlog access mode `a`, or `r` with user `ftp` as
//! pure-ftpd writes it; vsftpd and pure-ftpd user `ftp` or `anonymous`): a real user who uploads his own `~/.forward` does what `.forward` is
//! for. Uploads into an `incoming` directory are what a write-only `incoming` is for and
//! stay silent. A dot file that runs commands or grants trust gives FT011 (completed) or
//! FT012 (incomplete), one finding per upload; any other anonymous upload gives FT013,
//! grouped by host and source. State is bounded: at most [`MAX_FINDINGS`] dot-file
//! findings and [`MAX_GROUPS`] FT013 groups of at most [`MAX_EVIDENCE`] lines each.

pub mod ft011_dotfile_upload_succeeded;
pub mod ft012_dotfile_upload_attempt;
pub mod ft013_anon_upload;
pub mod parse;

#[cfg(test)]
mod tests;

use crate::{Detector, Record};
use kensa_core::{Finding, Rule, tr};
use parse::Upload;
use std::collections::BTreeMap;

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &ft011_dotfile_upload_succeeded::RULE,
    &ft012_dotfile_upload_attempt::RULE,
    &ft013_anon_upload::RULE,
];

/// Dot-file upload findings itemised; more are counted in the last one.
pub const MAX_FINDINGS: usize = 1000;
/// FT013 groups (host, source) kept.
pub const MAX_GROUPS: usize = 1000;
/// Evidence lines kept per FT013 group.
pub const MAX_EVIDENCE: usize = 16;
/// Bytes of a path or user kept in a finding's subject.
const MAX_FIELD_BYTES: usize = 512;

/// Names that make the account they sit in run commands or trust other hosts.
const DANGEROUS_NAMES: [&str; 9] = [
    ".forward",
    ".rhosts",
    ".shosts",
    "hosts.equiv",
    "authorized_keys",
    ".profile",
    ".cshrc",
    ".login",
    ".bashrc",
];

/// Whether an uploaded path is one of [`DANGEROUS_NAMES`] (by its last component).
pub fn is_dangerous(path: &[u8]) -> bool {
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    DANGEROUS_NAMES.iter().any(|d| name == d.as_bytes())
}

/// Whether an uploaded path lies in a directory called `incoming` (any depth, any case).
pub fn in_incoming(path: &[u8]) -> bool {
    let mut parts = path.split(|&b| b == b'/').collect::<Vec<_>>();
    parts.pop(); // the file itself
    parts
        .iter()
        .any(|part| part.eq_ignore_ascii_case(b"incoming"))
}

/// A path with runs of `/` as one (pure-ftpd's syslog writes `/srv/ftp//up/x`, its
/// xferlog `/srv/ftp/up/x`), for telling one upload logged twice.
fn squeeze_slashes(path: &[u8]) -> String {
    let path = path.get(..MAX_FIELD_BYTES).unwrap_or(path);
    let mut out = Vec::with_capacity(path.len());
    for &b in path {
        if !(b == b'/' && out.last() == Some(&b'/')) {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn cut(bytes: &[u8]) -> String {
    let bytes = bytes.get(..MAX_FIELD_BYTES).unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// One FT013 group.
struct Group {
    finding: Finding,
}

/// Finds anonymous FTP uploads in xferlog and vsftpd logs.
#[derive(Default)]
pub struct FtpUploadDetector {
    findings: Vec<Finding>,
    not_itemised: u64,
    groups: BTreeMap<(String, String), Group>,
    groups_full: u64,
}

impl FtpUploadDetector {
    fn dotfile(&mut self, record: &Record<'_>, upload: &Upload<'_>) {
        if self.findings.len() >= MAX_FINDINGS {
            self.not_itemised += 1;
            if let Some(last) = self.findings.last_mut() {
                last.count += 1;
            }
            return;
        }
        let rule = if upload.completed {
            &ft011_dotfile_upload_succeeded::RULE
        } else {
            &ft012_dotfile_upload_attempt::RULE
        };
        let mut finding = Finding::new(rule, record.host.as_ref());
        let path = cut(upload.path);
        let (title_en, title_ja) = (rule.title, rule.title_in("ja"));
        finding.set_title(tr!("{title_en} ({path})", "{title_ja}（{path}）"));
        finding.subject.source = Some(cut(upload.source));
        if !upload.user.is_empty() {
            finding.subject.users.push(cut(upload.user));
        }
        // One upload logged twice (vsftpd's own log and its xferlog, pure-ftpd's syslog
        // and its alt log) is one finding; two sources storing the same path in the same
        // second are two.
        finding.merge_key = format!(
            "{} {} {} {}",
            record.host,
            cut(upload.source),
            squeeze_slashes(upload.path),
            record.time.map_or(0, |t| t.epoch_seconds())
        );
        finding.subject.path = Some(path);
        finding.count = 1;
        finding.push_evidence(record.evidence());
        self.findings.push(finding);
    }

    fn ordinary(&mut self, record: &Record<'_>, upload: &Upload<'_>) {
        let key = (record.host.to_string(), cut(upload.source));
        if !self.groups.contains_key(&key) && self.groups.len() >= MAX_GROUPS {
            self.groups_full += 1;
            return;
        }
        let group = self.groups.entry(key).or_insert_with(|| {
            let mut finding = Finding::new(&ft013_anon_upload::RULE, record.host.as_ref());
            finding.subject.source = Some(cut(upload.source));
            finding.merge_key = format!("{} {}", record.host, cut(upload.source));
            Group { finding }
        });
        let finding = &mut group.finding;
        finding.count += 1;
        if !upload.user.is_empty() && finding.subject.users.len() < 8 {
            let user = cut(upload.user);
            if !finding.subject.users.contains(&user) {
                finding.subject.users.push(user);
            }
        }
        if finding.subject.path.is_none() {
            finding.subject.path = Some(cut(upload.path));
        }
        if finding.evidence.len() < MAX_EVIDENCE {
            finding.push_evidence(record.evidence());
        } else if let Some(time) = record.time {
            // Keep the span right even when the lines are no longer kept.
            finding.last_seen = Some(finding.last_seen.map_or(time, |t| t.max(time)));
        }
    }
}

impl Detector for FtpUploadDetector {
    fn rules(&self) -> &'static [&'static Rule] {
        RULES
    }

    fn needles(&self) -> &'static [&'static str] {
        // " i a " is the direction and access-mode pair of an anonymous upload in
        // xferlog; its first bytes (space, `i`, space) are rare in log text; pure-ftpd
        // logs its anonymous uploads as `i r ftp`. vsftpd writes `OK UPLOAD:` / `FAIL
        // UPLOAD:`, pure-ftpd ` uploaded  (` to syslog and `"PUT ` to its CLF log.
        &[" i a ", " i r ftp ", "UPLOAD:", " uploaded  (", "\"PUT "]
    }

    fn observe(&mut self, record: &Record<'_>) {
        let upload = if record.program.is_empty() {
            parse::xferlog(record.message)
                .or_else(|| parse::vsftpd(record.message))
                .or_else(|| parse::clf(record.message))
        } else if record.program.ends_with(b"vsftpd") {
            parse::vsftpd(record.message)
        } else if record.program.ends_with(b"pure-ftpd") {
            parse::pure_ftpd(record.message)
        } else {
            None
        };
        let Some(upload) = upload else { return };
        if !upload.anonymous || in_incoming(upload.path) {
            return;
        }
        if is_dangerous(upload.path) {
            self.dotfile(record, &upload);
        } else {
            self.ordinary(record, &upload);
        }
    }

    fn finish(&mut self) -> Vec<Finding> {
        let mut findings = std::mem::take(&mut self.findings);
        if self.not_itemised > 0
            && let Some(last) = findings.last_mut()
        {
            let (title_en, title_ja) = (&last.title, &last.title_ja);
            let more = self.not_itemised;
            last.set_title(tr!(
                "{title_en} (and {more} more uploads not itemised)",
                "{title_ja}（ほかに、個別に報告していないアップロード {more} 件）",
            ));
        }
        for (_, group) in std::mem::take(&mut self.groups) {
            let mut finding = group.finding;
            if finding.count > 1 {
                let (title_en, title_ja) = (&finding.title, &finding.title_ja);
                let files = finding.count;
                finding.set_title(tr!(
                    "{title_en} ({files} files)",
                    "{title_ja}（ファイル {files} 件）",
                ));
            }
            findings.push(finding);
        }
        findings
    }
}
