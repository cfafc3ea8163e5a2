//! Where the hashes are when they are not in `etc/passwd`: `etc/shadow` (System V,
//! Linux), `etc/master.passwd` (BSD) and `etc/security/passwd` (AIX stanzas).
//!
//! `shadow` lines are `name:hash:lastchg:min:max:warn:inactive:expire:reserved`; the
//! numeric fields are days since 1970 and often empty. AIX keeps one stanza per user:
//!
//! ```text
//! sato:
//!         password = s49wULqSlDgZo
//!         lastupdate = 852076800
//! ```

use super::passwd::{lossy, parse_passwd};
use super::{Lines, MAX_ENTRIES, read_account_file};
use kensa_core::{Diagnostic, DiagnosticLevel, tr};
use kensa_fs::Root;

/// One account's entry in a shadow-style file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShadowEntry {
    /// The login name (lossy).
    pub name: String,
    /// The password field's bytes (see [`super::hash::classify`]).
    pub hash: Vec<u8>,
    /// 1-based line number (of the stanza's `password =` line on AIX).
    pub line: u64,
    /// Day of the last password change (days since 1970), when given.
    pub lastchg: Option<i64>,
    /// Minimum days between changes.
    pub min: Option<i64>,
    /// Maximum days a password is valid.
    pub max: Option<i64>,
    /// Days of warning before expiry.
    pub warn: Option<i64>,
    /// Days after expiry until the account is disabled.
    pub inactive: Option<i64>,
    /// Day the account expires.
    pub expire: Option<i64>,
    /// The file it came from, root-relative.
    pub file: String,
    /// Byte offset of the line.
    pub offset: u64,
    /// The line's bytes (cut at [`super::MAX_LINE_BYTES`]).
    pub raw_line: Vec<u8>,
}

fn days(field: &[u8]) -> Option<i64> {
    std::str::from_utf8(field).ok()?.trim().parse().ok()
}

/// Parses an `etc/shadow`-format file.
pub fn parse_shadow(data: &[u8], file: &str, diags: &mut Vec<Diagnostic>) -> Vec<ShadowEntry> {
    let mut entries = Vec::new();
    for line in Lines::new(data) {
        if line.text.is_empty() || line.text.starts_with(b"#") {
            continue;
        }
        if entries.len() >= MAX_ENTRIES {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                file,
                None,
                tr!(
                    "more than {MAX_ENTRIES} entries; the rest were not examined",
                    "エントリが {MAX_ENTRIES} 件を超えるため、残りは検査していません"
                ),
            ));
            break;
        }
        let fields: Vec<&[u8]> = line.text.split(|&b| b == b':').collect();
        if fields.len() < 2 {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Note,
                file,
                Some(line.number),
                tr!(
                    "malformed shadow line: no password field",
                    "shadow の行の形式が不正です: パスワードのフィールドがありません"
                ),
            ));
            continue;
        }
        let field = |i: usize| fields.get(i).copied().unwrap_or_default();
        entries.push(ShadowEntry {
            name: lossy(field(0)),
            hash: field(1).to_vec(),
            line: line.number,
            lastchg: days(field(2)),
            min: days(field(3)),
            max: days(field(4)),
            warn: days(field(5)),
            inactive: days(field(6)),
            expire: days(field(7)),
            file: file.to_string(),
            offset: line.offset,
            raw_line: line.kept().to_vec(),
        });
    }
    entries
}

/// Parses AIX's `etc/security/passwd` stanzas (`name:` then indented `key = value`).
pub fn parse_aix_security_passwd(data: &[u8], file: &str) -> Vec<ShadowEntry> {
    let mut entries: Vec<ShadowEntry> = Vec::new();
    let mut current: Option<String> = None;
    for line in Lines::new(data) {
        let text = line.text;
        let trimmed = text.trim_ascii();
        if trimmed.is_empty() || trimmed.starts_with(b"*") || trimmed.starts_with(b"#") {
            continue;
        }
        let indented = text.first().is_some_and(u8::is_ascii_whitespace);
        if !indented {
            current = trimmed.strip_suffix(b":").map(lossy);
            continue;
        }
        let Some(name) = &current else { continue };
        let Some(eq) = trimmed.iter().position(|&b| b == b'=') else {
            continue;
        };
        let key = trimmed.get(..eq).unwrap_or_default().trim_ascii();
        let value = trimmed.get(eq + 1..).unwrap_or_default().trim_ascii();
        if key == b"password" && entries.len() < MAX_ENTRIES {
            entries.push(ShadowEntry {
                name: name.clone(),
                hash: value.to_vec(),
                line: line.number,
                lastchg: None,
                min: None,
                max: None,
                warn: None,
                inactive: None,
                expire: None,
                file: file.to_string(),
                offset: line.offset,
                raw_line: line.kept().to_vec(),
            });
        }
    }
    entries
}

/// The shadow files of the root that exist, merged: `etc/shadow`, `etc/master.passwd`,
/// `etc/security/passwd`. `None` when there is none — the hashes, if any, are then in
/// `etc/passwd` for everyone to read.
pub fn read_shadow(root: &Root, diags: &mut Vec<Diagnostic>) -> Option<Vec<ShadowEntry>> {
    let mut found = false;
    let mut entries = Vec::new();
    if let Some(data) = read_account_file(root, "etc/shadow", diags) {
        found = true;
        entries.extend(parse_shadow(&data, "etc/shadow", diags));
    }
    if let Some(data) = read_account_file(root, "etc/master.passwd", diags) {
        found = true;
        entries.extend(
            parse_passwd(&data, "etc/master.passwd", true, diags)
                .into_iter()
                .filter(|e| !e.nis)
                .map(|e| ShadowEntry {
                    name: e.name,
                    hash: e.password,
                    line: e.line,
                    lastchg: None,
                    min: None,
                    max: None,
                    warn: None,
                    inactive: None,
                    expire: None,
                    file: e.file,
                    offset: e.offset,
                    raw_line: e.raw_line,
                }),
        );
    }
    if let Some(data) = read_account_file(root, "etc/security/passwd", diags) {
        found = true;
        entries.extend(parse_aix_security_passwd(&data, "etc/security/passwd"));
    }
    found.then_some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_fields() {
        let data = b"root:$6$s$h:19000:0:99999:7:::\nbin:*:19000::::::\nbad\n";
        let mut diags = Vec::new();
        let entries = parse_shadow(data, "etc/shadow", &mut diags);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].hash, b"$6$s$h");
        assert_eq!(entries[0].lastchg, Some(19000));
        assert_eq!(entries[0].max, Some(99999));
        assert_eq!(entries[0].inactive, None);
        assert_eq!(entries[1].min, None);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn aix_stanzas() {
        let data = b"* comment\nroot:\n\tpassword = abcdefghijklm\n\tlastupdate = 1\n\nsato:\n\tflags = ADMCHG\n\tpassword = *\n";
        let entries = parse_aix_security_passwd(data, "etc/security/passwd");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "root");
        assert_eq!(entries[0].hash, b"abcdefghijklm");
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[1].name, "sato");
        assert_eq!(entries[1].hash, b"*");
    }
}
