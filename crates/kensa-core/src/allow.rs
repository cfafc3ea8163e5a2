//! Accepted findings: an administrator's list of findings known to be benign on their
//! hosts (`--allow FILE`), each with the reason, so that a host where npm rewrites its own
//! packaged files, or a Docker image with its `policy-rc.d`, is not called compromised on
//! every cron run — and so that the acceptance is written down, not silently dropped.
//!
//! One entry per line; `#` starts a comment:
//!
//! ```text
//! # CODE   PATH                          REASON
//! IN001    usr/lib/node_modules/**       npm updates the files it installed
//! IN004    usr/sbin/policy-rc.d          Docker images ship it
//! RK005    var/cache/pbuilder/**         unpacked build trees
//! ```
//!
//! - CODE is a rule code (`IN001`) or a family of rules (`IN`).
//! - PATH is matched against the finding's path, relative to the audited root (a leading
//!   `/` is ignored on both sides): `*` and `?` match within one path component, `**`
//!   matches any number of components. A finding without a path is never accepted: an
//!   entry cannot hide a whole rule by accident.
//! - REASON is required; it is shown wherever the accepted finding is reported.
//!
//! Accepted findings leave the verdict but not the report: every writer lists them, with
//! the reason and the list's file and line. The list is read from the machine kensa runs
//! on, never from the audited root (an attacker could write one there).

use crate::diagnostic::{Diagnostic, DiagnosticLevel};
use crate::finding::Finding;
use crate::tr;
use serde::Serialize;

/// One line of an allow list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowEntry {
    /// A rule code or a two-letter family.
    pub code: String,
    /// The path pattern.
    pub path: String,
    /// Why the finding is benign here.
    pub reason: String,
    /// Where the entry was written (`FILE:LINE`).
    pub origin: String,
}

/// An administrator's list of accepted findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList {
    /// The entries, in file order (the first that matches is named).
    pub entries: Vec<AllowEntry>,
}

/// A finding an allow-list entry accepted.
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    /// The finding as it was made.
    pub finding: Finding,
    /// The entry's reason.
    pub reason: String,
    /// The entry's `FILE:LINE`.
    pub allowed_by: String,
}

/// Lines longer than this are refused (an allow list is written by hand).
const MAX_LINE: usize = 4096;

impl AllowList {
    /// Reads the text of the allow list `file`; a malformed line is a diagnostic naming
    /// the file and line, and the other lines still count.
    pub fn parse(text: &str, file: &str) -> (AllowList, Vec<Diagnostic>) {
        let mut list = AllowList::default();
        let mut diagnostics = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index as u64 + 1;
            let content = line.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let refuse = |why: crate::Localized| {
                Diagnostic::say(DiagnosticLevel::Warning, file, Some(number), why)
            };
            if line.len() > MAX_LINE {
                diagnostics.push(refuse(tr!(
                    "line longer than {MAX_LINE} bytes; ignored",
                    "行が {MAX_LINE} バイトを超えるため無視しました"
                )));
                continue;
            }
            let (code, rest) = first_field(content);
            let (path, reason) = first_field(rest);
            if !is_code(code) {
                diagnostics.push(refuse(tr!(
                    "'{code}' is not a rule code (like IN001) or family (like IN); line ignored",
                    "'{code}' はルールのコード（IN001 など）でもその系統（IN など）でもないため、\
                     この行を無視しました"
                )));
                continue;
            }
            if path.is_empty() || reason.is_empty() {
                diagnostics.push(refuse(tr!(
                    "an entry needs a code, a path and a reason; line ignored",
                    "項目にはコード、パス、理由の 3 つが必要です。この行を無視しました"
                )));
                continue;
            }
            list.entries.push(AllowEntry {
                code: code.to_string(),
                path: path.trim_start_matches('/').to_string(),
                reason: reason.to_string(),
                origin: format!("{file}:{number}"),
            });
        }
        (list, diagnostics)
    }

    /// The entry that accepts `finding`, if any.
    pub fn accepting(&self, finding: &Finding) -> Option<&AllowEntry> {
        let path = finding.subject.path.as_deref()?.trim_start_matches('/');
        self.entries.iter().find(|entry| {
            (finding.code == entry.code
                || (entry.code.len() == 2 && finding.code.starts_with(&entry.code)))
                && glob_matches(&entry.path, path)
        })
    }

    /// Splits `findings` into those that stay and those an entry accepts.
    pub fn apply(&self, findings: Vec<Finding>) -> (Vec<Finding>, Vec<Accepted>) {
        let mut kept = Vec::with_capacity(findings.len());
        let mut accepted = Vec::new();
        for finding in findings {
            match self.accepting(&finding) {
                Some(entry) => {
                    let (reason, allowed_by) = (entry.reason.clone(), entry.origin.clone());
                    accepted.push(Accepted {
                        finding,
                        reason,
                        allowed_by,
                    });
                }
                None => kept.push(finding),
            }
        }
        (kept, accepted)
    }
}

/// The first whitespace-separated field and the rest, trimmed.
fn first_field(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(at) => (&text[..at], text[at..].trim()),
        None => (text, ""),
    }
}

/// `IN001` or `IN`: two capitals, then three digits or nothing.
fn is_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    (bytes.len() == 2 || bytes.len() == 5)
        && bytes[..2].iter().all(u8::is_ascii_uppercase)
        && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// Whether `path` matches `pattern` (`*`, `?` within a component, `**` across them).
/// Dynamic programming over components and bytes, so that no pattern can make matching
/// a hostile path exponential.
pub fn glob_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    let path: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    // matches[i][j]: pattern[i..] matches path[j..].
    let mut matches = vec![vec![false; path.len() + 1]; pattern.len() + 1];
    matches[pattern.len()][path.len()] = true;
    for i in (0..pattern.len()).rev() {
        for j in (0..=path.len()).rev() {
            matches[i][j] = if pattern[i] == "**" {
                matches[i + 1][j] || (j < path.len() && matches[i][j + 1])
            } else {
                j < path.len() && component_matches(pattern[i], path[j]) && matches[i + 1][j + 1]
            };
        }
    }
    matches[0][0]
}

/// One component against a pattern with `*` and `?`.
fn component_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let mut matches = vec![vec![false; name.len() + 1]; pattern.len() + 1];
    matches[pattern.len()][name.len()] = true;
    for i in (0..pattern.len()).rev() {
        for j in (0..=name.len()).rev() {
            matches[i][j] = match pattern[i] {
                '*' => matches[i + 1][j] || (j < name.len() && matches[i][j + 1]),
                '?' => j < name.len() && matches[i + 1][j + 1],
                c => j < name.len() && name[j] == c && matches[i + 1][j + 1],
            };
        }
    }
    matches[0][0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rule;
    use crate::{Kind, Outcome, RuleStatus, Severity};

    static IN001: Rule = Rule {
        code: "IN001",
        name: "packaged-file-changed",
        kind: Kind::Integrity,
        outcome: Outcome::Indicator,
        severity: Severity::Critical,
        title: "A packaged file was changed",
        advice: "",
        title_ja: "",
        advice_ja: "",
        status: RuleStatus::Stable,
        since: "0.1.0",
        source: "",
    };

    fn finding(path: Option<&str>) -> Finding {
        let mut finding = Finding::new(&IN001, "h");
        finding.subject.path = path.map(str::to_string);
        finding
    }

    #[test]
    fn globs_match_within_and_across_components() {
        assert!(glob_matches(
            "usr/lib/node_modules/**",
            "usr/lib/node_modules/npm/bin/npm"
        ));
        assert!(glob_matches(
            "usr/lib/node_modules/**",
            "usr/lib/node_modules"
        ));
        assert!(!glob_matches("usr/lib/node_modules/**", "usr/lib/node"));
        assert!(glob_matches("usr/bin/*", "usr/bin/login"));
        assert!(!glob_matches("usr/bin/*", "usr/bin/x/login"));
        assert!(glob_matches("**/policy-rc.d", "usr/sbin/policy-rc.d"));
        assert!(glob_matches(
            "usr/lib/python3.??/**",
            "usr/lib/python3.11/a.py"
        ));
        assert!(!glob_matches("usr/bin/log", "usr/bin/login"));
        // A pathological pattern against a long hostile path finishes at once.
        let path = "a/".repeat(2000) + "b";
        assert!(!glob_matches("**/**/**/**/**/**/*a*a*a*a*a*a*/c", &path));
    }

    #[test]
    fn an_entry_accepts_its_code_or_family_and_path_only() {
        let (list, diagnostics) = AllowList::parse(
            "# comment\n\
             IN001 /usr/lib/node_modules/** npm updates its own files\n\
             RK    usr/share/x/**  lab files # trailing comment\n",
            "allow.txt",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[0].reason, "npm updates its own files");
        assert_eq!(list.entries[0].origin, "allow.txt:2");

        let npm = finding(Some("/usr/lib/node_modules/npm/index.js"));
        let login = finding(Some("usr/bin/login"));
        let pathless = finding(None);
        let (kept, accepted) = list.apply(vec![npm, login, pathless]);
        assert_eq!(kept.len(), 2, "login and the finding without a path stay");
        assert_eq!(accepted.len(), 1);
        assert_eq!(accepted[0].allowed_by, "allow.txt:2");
    }

    #[test]
    fn the_contrib_example_is_a_valid_list() {
        let text = include_str!("../../../contrib/allow.example");
        let (list, diagnostics) = AllowList::parse(text, "contrib/allow.example");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(list.entries.len(), 4);
        assert!(
            list.accepting(&finding(Some("usr/lib/node_modules/npm/lib/npm.js")))
                .is_some()
        );
        assert!(list.accepting(&finding(Some("usr/bin/login"))).is_none());
    }

    #[test]
    fn malformed_lines_are_named_and_the_rest_still_counts() {
        let (list, diagnostics) = AllowList::parse(
            "in001 usr/bin/x reason\n\
             IN001 usr/bin/x\n\
             IN0012 usr/bin/x reason\n\
             IN004 usr/sbin/policy-rc.d Docker\n",
            "allow.txt",
        );
        assert_eq!(list.entries.len(), 1);
        let lines: Vec<_> = diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(1), Some(2), Some(3)]);
        assert!(diagnostics.iter().all(|d| d.file == "allow.txt"));
        assert!(diagnostics[1].message_ja.contains("理由"));
    }
}
