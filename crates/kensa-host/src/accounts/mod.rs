//! Accounts, read from the audited root's own files: `passwd`, `group`, the shadow files,
//! and the checks on them (family `AC`, the advisory's countermeasures (3) change
//! passwords and (4) shadow passwords).
//!
//! The parsers share one line splitter ([`Lines`]) and one reader
//! ([`read_account_file`]) so that every file is read the same bounded way: through the
//! confined [`Root`], at most [`MAX_FILE_BYTES`] bytes (a larger file is judged on its
//! first part, with a warning), lines cut at [`MAX_LINE_BYTES`] for evidence (the whole
//! line is still parsed), at most [`MAX_ENTRIES`] entries.

pub mod ac001_hashes_in_passwd;
pub mod ac002_empty_password;
pub mod ac003_extra_uid0;
pub mod ac004_nis_escape;
pub mod ac005_shadow_exposed;
pub mod ac006_weak_hash;
pub mod ac007_duplicate_accounts;
pub mod credentials;
pub mod group;
pub mod hash;
pub mod passwd;
pub mod shadow;

pub use group::{GroupEntry, read_group};
pub use hash::{PasswordField, Scheme, classify};
pub use passwd::{PasswdEntry, read_passwd};
pub use shadow::{ShadowEntry, read_shadow};

use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, MessageCode, Rule, tr};
use kensa_fs::Root;

/// Bytes of an account file read; the rest is ignored with a warning.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// Bytes of a line kept as evidence.
pub const MAX_LINE_BYTES: usize = 4096;
/// Entries parsed from one file (large NIS-era sites had tens of thousands of
/// accounts; at a few hundred bytes per parsed entry this bounds memory near 100 MB).
pub const MAX_ENTRIES: usize = 200_000;

/// Evidence lines kept per finding; the finding's `count` says how many there were.
pub const MAX_EVIDENCE: usize = 50;

/// Rules of this module.
pub static RULES: &[&Rule] = &[
    &ac001_hashes_in_passwd::RULE,
    &ac002_empty_password::RULE,
    &ac003_extra_uid0::RULE,
    &ac004_nis_escape::RULE,
    &ac005_shadow_exposed::RULE,
    &ac006_weak_hash::RULE,
    &ac007_duplicate_accounts::RULE,
];

/// The account checks, in the order they run (one per rule, in code order).
pub(crate) fn checks() -> Vec<crate::Check> {
    let runs: [(&'static str, crate::CheckFn); 7] = [
        ("hashes-in-passwd", ac001_hashes_in_passwd::check),
        ("empty-password", ac002_empty_password::check),
        ("extra-uid0", ac003_extra_uid0::check),
        ("nis-escape", ac004_nis_escape::check),
        ("shadow-exposed", ac005_shadow_exposed::check),
        ("weak-hash", ac006_weak_hash::check),
        ("duplicate-accounts", ac007_duplicate_accounts::check),
    ];
    runs.into_iter()
        .zip(RULES.chunks(1))
        .map(|((name, run), rules)| crate::Check { name, rules, run })
        .collect()
}

/// Evidence of an account line with its password field (the second, colon-separated)
/// replaced by a description when it holds a hash: reports travel (tickets, mail), and
/// a hash in one is a password handed to whoever cracks it. The line number and offset
/// point at the original.
pub fn redacted_evidence(file: &str, line: u64, offset: u64, raw: &[u8]) -> Evidence {
    let mut fields = raw.splitn(3, |&b| b == b':');
    let name = fields.next().unwrap_or_default();
    let (Some(password), Some(rest)) = (fields.next(), fields.next()) else {
        return Evidence::from_line(file, line, offset, raw, None);
    };
    let shown: Vec<u8> = match classify(password) {
        PasswordField::Hash(scheme) => format!("<{} hash>", scheme.name()).into_bytes(),
        PasswordField::Locked { hash: Some(scheme) } => {
            format!("<locked {} hash>", scheme.name()).into_bytes()
        }
        _ => password.to_vec(),
    };
    let mut text = Vec::with_capacity(raw.len());
    text.extend_from_slice(name);
    text.push(b':');
    text.extend_from_slice(&shown);
    text.push(b':');
    text.extend_from_slice(rest);
    Evidence::from_line(file, line, offset, &text, None)
}

/// Evidence of a `passwd` entry (hash redacted).
pub fn passwd_evidence(entry: &PasswdEntry) -> Evidence {
    redacted_evidence(&entry.file, entry.line, entry.offset, &entry.raw_line)
}

/// Evidence of a shadow entry (hash redacted). AIX stanza lines (`password = ...`)
/// are not colon-separated and are shown as a description instead.
pub fn shadow_evidence(entry: &ShadowEntry) -> Evidence {
    if entry.file == "etc/security/passwd" {
        let scheme = classify(&entry.hash)
            .scheme()
            .map_or("no usable", Scheme::name);
        return Evidence::from_line(
            &entry.file,
            entry.line,
            entry.offset,
            format!("{}: password = <{scheme} hash>", entry.name).as_bytes(),
            None,
        );
    }
    redacted_evidence(&entry.file, entry.line, entry.offset, &entry.raw_line)
}

/// One line of a file: its 1-based number, byte offset and bytes without the line end.
pub(crate) struct Line<'a> {
    pub number: u64,
    pub offset: u64,
    pub text: &'a [u8],
}

impl<'a> Line<'a> {
    /// The part of the line kept as evidence.
    pub fn kept(&self) -> &'a [u8] {
        self.text.get(..MAX_LINE_BYTES).unwrap_or(self.text)
    }
}

/// Splits bytes into lines at `\n`, dropping a `\r` before it; a last line without a
/// newline counts.
pub(crate) struct Lines<'a> {
    rest: &'a [u8],
    offset: u64,
    number: u64,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lines {
            rest: data,
            offset: 0,
            number: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;
    fn next(&mut self) -> Option<Line<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest, taken) = match self.rest.iter().position(|&b| b == b'\n') {
            Some(at) => (
                self.rest.get(..at).unwrap_or_default(),
                self.rest.get(at + 1..).unwrap_or_default(),
                at + 1,
            ),
            None => (self.rest, &[][..], self.rest.len()),
        };
        let text = line.strip_suffix(b"\r").unwrap_or(line);
        self.number += 1;
        let item = Line {
            number: self.number,
            offset: self.offset,
            text,
        };
        self.offset += taken as u64;
        self.rest = rest;
        Some(item)
    }
}

/// Reads an account (or other configuration) file through the root: `None` when it
/// does not exist; a diagnostic when it exists and cannot be read; its first
/// [`MAX_FILE_BYTES`] with a warning when it is larger.
pub(crate) fn read_account_file(
    root: &Root,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<u8>> {
    match root.read_prefix(rel, MAX_FILE_BYTES) {
        Ok((data, truncated)) => {
            if truncated {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(rel),
                    None,
                    tr!(
                        "larger than {MAX_FILE_BYTES} bytes; only the first part was examined",
                        "{MAX_FILE_BYTES} バイトを超えるため、先頭部分だけを検査しました"
                    ),
                ));
            }
            Some(data)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            diags.push(Diagnostic::coded(
                DiagnosticLevel::Warning,
                root.display(rel),
                None,
                MessageCode::CannotBeRead,
                vec![("error", err.to_string())],
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_check_runs_its_own_rule() {
        let checks = checks();
        assert_eq!(checks.len(), RULES.len());
        for (i, check) in checks.iter().enumerate() {
            assert_eq!(check.rules.len(), 1);
            assert_eq!(check.rules[0].code, format!("AC{:03}", i + 1));
            assert_eq!(check.rules[0].name, check.name);
        }
    }

    #[test]
    fn evidence_never_shows_a_hash() {
        let e = redacted_evidence(
            "etc/passwd",
            1,
            0,
            b"root:RzoH/GEUQ2Tc6:0:1:Operator:/:/bin/csh",
        );
        assert_eq!(e.text, "root:<DES hash>:0:1:Operator:/:/bin/csh");
        let e = redacted_evidence("etc/shadow", 1, 0, b"a:!$6$s$h:1::::::");
        assert_eq!(e.text, "a:<locked SHA-512 hash>:1::::::");
        let e = redacted_evidence("etc/passwd", 1, 0, b"sync::1:1::/:/bin/sync");
        assert_eq!(e.text, "sync::1:1::/:/bin/sync");
        let e = redacted_evidence("etc/passwd", 1, 0, b"+");
        assert_eq!(e.text, "+");
    }

    #[test]
    fn lines_keep_numbers_and_offsets() {
        let lines: Vec<(u64, u64, Vec<u8>)> = Lines::new(b"a\r\n\nbc")
            .map(|l| (l.number, l.offset, l.text.to_vec()))
            .collect();
        assert_eq!(
            lines,
            [
                (1, 0, b"a".to_vec()),
                (2, 3, b"".to_vec()),
                (3, 4, b"bc".to_vec())
            ]
        );
    }
}
