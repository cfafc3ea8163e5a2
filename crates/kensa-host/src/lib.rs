//! Host configuration checks, read from an audited root that is never left.
//!
//! `kensa audit --root DIR` (and `kensa triage`) call [`audit`]: it opens the root once
//! as a [`Root`] — a directory handle through which every file of every check is opened,
//! link by link, confined to the root (see [`root`]) — and runs each [`Check`] with one
//! shared [`Context`]. The context parses the root's own `passwd`, `group` and shadow
//! files once, on first use (never NSS: `getpwnam` describes the analyst's machine), and
//! gathers diagnostics: a file that cannot be read is reported, never fatal.
//!
//! Checks are grouped by family, one file per code: [`accounts`] (`AC`), [`trust`]
//! (`TR`), [`ftp`] (`FT`), [`versions`] (`VR`), [`backdoor`] (`BD`), [`integrity`] (`IN`,
//! files against the package database) and [`rootkit`] (`RK`, trojan and rootkit traces,
//! setuid files). A check is a plain function from the
//! context to findings; nothing is executed and nothing is written under the root.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod accounts;
pub mod backdoor;
pub mod ftp;
pub mod integrity;

pub mod rootkit;
pub mod trust;
pub mod versions;

pub use accounts::{GroupEntry, PasswdEntry, ShadowEntry};
pub use kensa_fs::{Entry, FileKind, Meta, Root};

use kensa_core::{
    Accepted, AllowList, Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, MessageCode,
    Rule, tr,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The function of a check: from the shared context to findings.
pub type CheckFn = fn(&mut Context<'_>) -> Vec<Finding>;

/// One host check: the rules it can report and the function that runs it.
pub struct Check {
    /// A short name, for diagnostics and tests.
    pub name: &'static str,
    /// Every rule the check may report.
    pub rules: &'static [&'static Rule],
    /// Runs the check.
    pub run: CheckFn,
}

/// What every check is given: the confined root, the host name for findings, the
/// diagnostics gathered so far, and the account files parsed once.
pub struct Context<'a> {
    /// The audited root; every file access goes through it.
    pub root: &'a Root,
    /// The host name findings carry.
    pub host: &'a str,
    /// Diagnostics of this audit (unreadable or malformed inputs).
    pub diagnostics: Vec<Diagnostic>,
    passwd: Option<Arc<[PasswdEntry]>>,
    group: Option<Arc<[GroupEntry]>>,
    shadow: Option<Option<Arc<[ShadowEntry]>>>,
    user_names: Option<HashMap<u32, String>>,
    group_names: Option<HashMap<u32, String>>,
    /// The package database and file digests, shared by the `IN` and `RK` checks.
    pub(crate) integrity: integrity::Cache,
    /// The walk of the root, shared by the `RK` checks.
    pub(crate) rootkit: rootkit::Cache,
}

impl<'a> Context<'a> {
    /// A fresh context on `root` for `host`.
    pub fn new(root: &'a Root, host: &'a str) -> Context<'a> {
        Context {
            root,
            host,
            diagnostics: Vec::new(),
            passwd: None,
            group: None,
            shadow: None,
            user_names: None,
            group_names: None,
            integrity: integrity::Cache::default(),
            rootkit: rootkit::Cache::default(),
        }
    }

    /// The root's accounts (`etc/passwd`, or `etc/master.passwd`), parsed on first use.
    pub fn passwd(&mut self) -> Arc<[PasswdEntry]> {
        if let Some(passwd) = &self.passwd {
            return passwd.clone();
        }
        let passwd: Arc<[PasswdEntry]> =
            accounts::read_passwd(self.root, &mut self.diagnostics).into();
        self.passwd = Some(passwd.clone());
        passwd
    }

    /// The root's groups (`etc/group`), parsed on first use.
    pub fn group(&mut self) -> Arc<[GroupEntry]> {
        if let Some(group) = &self.group {
            return group.clone();
        }
        let group: Arc<[GroupEntry]> =
            accounts::read_group(self.root, &mut self.diagnostics).into();
        self.group = Some(group.clone());
        group
    }

    /// The root's shadow entries (`etc/shadow`, `etc/master.passwd`,
    /// `etc/security/passwd`), `None` when the root has no shadow file at all.
    pub fn shadow(&mut self) -> Option<Arc<[ShadowEntry]>> {
        if let Some(shadow) = &self.shadow {
            return shadow.clone();
        }
        let shadow: Option<Arc<[ShadowEntry]>> =
            accounts::read_shadow(self.root, &mut self.diagnostics).map(Into::into);
        self.shadow = Some(shadow.clone());
        shadow
    }

    /// The login name of `uid` per the root's `passwd` (its first line with that id), or
    /// the number.
    pub fn user_name(&mut self, uid: u32) -> String {
        if self.user_names.is_none() {
            let mut names = HashMap::new();
            for entry in self.passwd().iter().filter(|e| !e.nis) {
                if let Some(uid) = entry.uid {
                    names.entry(uid).or_insert_with(|| entry.name.clone());
                }
            }
            self.user_names = Some(names);
        }
        self.user_names
            .as_ref()
            .and_then(|names| names.get(&uid).cloned())
            .unwrap_or_else(|| uid.to_string())
    }

    /// The group name of `gid` per the root's `group` (its first line with that id), or
    /// the number.
    pub fn group_name(&mut self, gid: u32) -> String {
        if self.group_names.is_none() {
            let mut names = HashMap::new();
            for group in self.group().iter() {
                if let Some(gid) = group.gid {
                    names.entry(gid).or_insert_with(|| group.name.clone());
                }
            }
            self.group_names = Some(names);
        }
        self.group_names
            .as_ref()
            .and_then(|names| names.get(&gid).cloned())
            .unwrap_or_else(|| gid.to_string())
    }

    /// A finding of `rule` on this host, with the rule's defaults.
    pub fn finding(&self, rule: &'static Rule) -> Finding {
        Finding::new(rule, self.host)
    }

    /// Reads a configuration file through the root: `None` when absent, a diagnostic
    /// when unreadable, a warning when larger than [`accounts::MAX_FILE_BYTES`] (its
    /// first part is returned).
    pub fn read_config(&mut self, rel: &str) -> Option<Vec<u8>> {
        accounts::read_account_file(self.root, rel, &mut self.diagnostics)
    }

    /// Records a diagnostic about `rel`, in both languages (made with [`tr!`]).
    pub fn say(&mut self, level: DiagnosticLevel, rel: &str, message: Localized) {
        let file = self.root.display(rel);
        self.diagnostics
            .push(Diagnostic::say(level, file, None, message));
    }

    /// Records a diagnostic about `rel` whose message is a common [`MessageCode`] with its
    /// values (e.g. [`MessageCode::CannotBeRead`] with its `error`).
    pub fn coded(
        &mut self,
        level: DiagnosticLevel,
        rel: &str,
        code: MessageCode,
        args: Vec<(&'static str, String)>,
    ) {
        let file = self.root.display(rel);
        self.diagnostics
            .push(Diagnostic::coded(level, file, None, code, args));
    }
}

/// Evidence that is a whole file (line 0), with kensa's description of it (such as its
/// mode and owner) in both languages, made with [`tr!`].
pub fn file_evidence(file: &str, text: Localized) -> Evidence {
    Evidence::described(file, 0, 0, text, None)
}

/// Every host check, in the order [`audit`] runs them.
pub fn checks() -> Vec<Check> {
    let mut checks = accounts::checks();
    checks.extend(trust::checks());
    checks.extend(ftp::checks());
    checks.extend(versions::checks());
    checks.extend(backdoor::checks());
    checks.extend(integrity::checks());
    checks.extend(rootkit::checks());
    checks
}

/// Audits the host under `root`: runs every check and returns the findings (in check
/// order) and the diagnostics (duplicates removed). A root that cannot be opened is one
/// error diagnostic and no findings.
pub fn audit(root: &Root, host: &str) -> (Vec<Finding>, Vec<Diagnostic>) {
    audit_selected(root, host, &|_| true)
}

/// Like [`audit`], running only the checks with at least one rule `selects` accepts
/// (`kensa --select SM` must not hash every packaged file of the root).
pub fn audit_selected(
    root: &Root,
    host: &str,
    selects: &dyn Fn(&str) -> bool,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let (findings, _, diagnostics) = audit_allowing(root, host, selects, &AllowList::default());
    (findings, diagnostics)
}

/// Like [`audit_selected`], setting aside what `allow` accepts before each check's
/// findings are capped at [`MAX_FINDINGS_PER_CHECK`] — so that 800 files npm rewrote are
/// accepted one by one rather than folded into a summary no entry can match.
pub fn audit_allowing(
    root: &Root,
    host: &str,
    selects: &dyn Fn(&str) -> bool,
    allow: &AllowList,
) -> (Vec<Finding>, Vec<Accepted>, Vec<Diagnostic>) {
    let mut ctx = Context::new(root, host);
    let mut findings = Vec::new();
    let mut accepted = Vec::new();
    for check in checks() {
        if !check.rules.iter().any(|r| selects(r.code)) {
            continue;
        }
        let (kept, accepted_here) = allow.apply((check.run)(&mut ctx));
        accepted.extend(accepted_here);
        findings.extend(cap_findings(kept));
    }
    let mut seen = HashSet::new();
    let diagnostics = ctx
        .diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.file.clone(), d.line, d.message.clone())))
        .collect();
    (findings, accepted, diagnostics)
}

/// Findings one check may itemise; the rest are folded into one summary finding, so a
/// passwd of 100,000 lines sharing user ids yields a readable report, not 100,000
/// findings.
pub const MAX_FINDINGS_PER_CHECK: usize = 100;

/// Keeps the first [`MAX_FINDINGS_PER_CHECK`]` - 1` findings and folds the rest into
/// one of the same rule: the most urgent of their severities and outcomes, the sum of
/// their counts, and the first evidence line of each (up to
/// [`accounts::MAX_EVIDENCE`]).
pub fn cap_findings(mut findings: Vec<Finding>) -> Vec<Finding> {
    if findings.len() <= MAX_FINDINGS_PER_CHECK {
        return findings;
    }
    let rest = findings.split_off(MAX_FINDINGS_PER_CHECK - 1);
    let Some(first) = rest.first() else {
        return findings;
    };
    let mut summary = Finding::new(first.rule, first.host.clone());
    summary.severity = rest
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(summary.severity);
    summary.outcome = rest
        .iter()
        .max_by_key(|f| kensa_core::Verdict::of_finding(f))
        .map_or(summary.outcome, |f| f.outcome);
    let (more, code) = (rest.len(), first.code);
    let (title, title_ja) = (first.rule.title, first.rule.title_in("ja"));
    summary.set_title(tr!(
        "{more} more {code} findings ({title}), not itemised",
        "ほか {more} 件の {code} の検出結果（{title_ja}）は個別に列挙していません"
    ));
    summary.count = rest.iter().map(|f| f.count.max(1)).sum();
    summary.merge_key = format!("{}:summary", first.code);
    for f in &rest {
        for user in &f.subject.users {
            if summary.subject.users.len() < accounts::MAX_EVIDENCE
                && !summary.subject.users.contains(user)
            {
                summary.subject.users.push(user.clone());
            }
        }
        if summary.evidence.len() < accounts::MAX_EVIDENCE
            && let Some(evidence) = f.evidence.first()
        {
            summary.push_evidence(evidence.clone());
        }
    }
    findings.push(summary);
    findings
}

/// Every rule of this crate, for `kensa rules` and `kensa explain`.
pub fn rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = Vec::new();
    for check in checks() {
        for rule in check.rules {
            if !rules.iter().any(|r| r.code == rule.code) {
                rules.push(rule);
            }
        }
    }
    rules.sort_by_key(|r| r.code);
    rules
}
