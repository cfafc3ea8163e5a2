//! `etc/passwd` (and BSD's `etc/master.passwd`), parsed from the audited root's bytes.
//!
//! Never from NSS: `getpwnam` would describe the analyst's machine, not the image. The
//! format is seven colon-separated fields, `name:password:uid:gid:gecos:home:shell`;
//! BSD's `master.passwd` has ten (`class`, `change` and `expire` after the gid). Lines
//! are bytes: names are kept raw and shown lossily. Old systems write negative ids
//! (`nobody:*:-2:-2:...` on SunOS), which the kernel stores as `u32`, and so do we.
//! NIS compat lines (`+`, `+name`, `+@netgroup`, `-name`) are kept with `nis` set: their
//! empty fields mean "take it from the NIS map", not "empty".
//!
//! Malformed lines (too few fields) become notes and are skipped; a file larger than
//! [`MAX_FILE_BYTES`] is read up to that size with a warning.

use super::{Lines, MAX_ENTRIES, MAX_FILE_BYTES, read_account_file};
use kensa_core::{Diagnostic, DiagnosticLevel, tr};
use kensa_fs::Root;

/// One account of `passwd` or `master.passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswdEntry {
    /// The login name (lossy UTF-8).
    pub name: String,
    /// The login name's bytes.
    pub raw_name: Vec<u8>,
    /// The password field's bytes (see [`super::hash::classify`]).
    pub password: Vec<u8>,
    /// The user id, when the field is a number (negative ids wrap as the kernel does).
    pub uid: Option<u32>,
    /// The primary group id, likewise.
    pub gid: Option<u32>,
    /// The GECOS field (lossy).
    pub gecos: String,
    /// The home directory (lossy), as written.
    pub home: String,
    /// The login shell (lossy), as written.
    pub shell: String,
    /// 1-based line number.
    pub line: u64,
    /// A NIS compat line (`+...` or `-...`).
    pub nis: bool,
    /// The file it came from, root-relative (`etc/passwd`).
    pub file: String,
    /// Byte offset of the line in the file.
    pub offset: u64,
    /// The line's bytes (cut at [`super::MAX_LINE_BYTES`]).
    pub raw_line: Vec<u8>,
}

/// Parses one passwd-format file's content. `master` selects BSD's ten-field format.
pub fn parse_passwd(
    data: &[u8],
    file: &str,
    master: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PasswdEntry> {
    let want = if master { 10 } else { 7 };
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
                    "more than {MAX_ENTRIES} accounts; the rest were not examined",
                    "アカウントが {MAX_ENTRIES} 件を超えるため、残りは検査していません"
                ),
            ));
            break;
        }
        let fields: Vec<&[u8]> = line.text.split(|&b| b == b':').collect();
        let nis = matches!(line.text.first(), Some(b'+' | b'-'));
        // NIS lines may be cut short (`+`, `+@staff`): the missing fields come from NIS.
        if fields.len() < want && !nis {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Note,
                file,
                Some(line.number),
                tr!(
                    "malformed account line: {} fields instead of {want}",
                    "アカウントの行の形式が不正です: フィールドが {want} 個ではなく {} 個です",
                    fields.len()
                ),
            ));
            continue;
        }
        let field = |i: usize| fields.get(i).copied().unwrap_or_default();
        let (gecos, home, shell) = if master { (7, 8, 9) } else { (4, 5, 6) };
        let raw_name = field(0).to_vec();
        entries.push(PasswdEntry {
            name: lossy(&raw_name),
            raw_name,
            password: field(1).to_vec(),
            uid: parse_id(field(2)),
            gid: parse_id(field(3)),
            gecos: lossy(field(gecos)),
            home: lossy(field(home)),
            shell: lossy(field(shell)),
            line: line.number,
            nis,
            file: file.to_string(),
            offset: line.offset,
            raw_line: line.kept().to_vec(),
        });
    }
    entries
}

pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A decimal id; negative ids (`-2`) wrap to `u32` as the kernel stores them. Anything
/// else (empty, letters, out of range) is `None`.
pub fn parse_id(field: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(field).ok()?.trim();
    let n: i64 = text.parse().ok()?;
    if n < 0 {
        // -2 → 4294967294, as `(uid_t)-2`.
        i32::try_from(n).ok().map(|n| n.cast_unsigned())
    } else {
        u32::try_from(n).ok()
    }
}

/// Reads the root's account list: `etc/passwd`, or on a BSD without it,
/// `etc/master.passwd`. Unreadable files become diagnostics; none at all is a warning
/// (every account check then has nothing to say).
pub fn read_passwd(root: &Root, diags: &mut Vec<Diagnostic>) -> Vec<PasswdEntry> {
    if let Some(data) = read_account_file(root, "etc/passwd", diags) {
        return parse_passwd(&data, "etc/passwd", false, diags);
    }
    if let Some(data) = read_account_file(root, "etc/master.passwd", diags) {
        return parse_passwd(&data, "etc/master.passwd", true, diags);
    }
    diags.push(Diagnostic::say(
        DiagnosticLevel::Warning,
        "etc/passwd",
        None,
        tr!(
            "no account file (etc/passwd, etc/master.passwd) under the root; \
             account checks skipped (read limit {MAX_FILE_BYTES} bytes)",
            "検査対象のルートにアカウントファイル（etc/passwd、etc/master.passwd）が\
             ないため、アカウントの検査を省略しました（読み取り上限 {MAX_FILE_BYTES} バイト）"
        ),
    ));
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunos_lines_parse() {
        let data = b"root:RzoH/GEUQ2Tc6:0:1:Operator:/:/bin/csh\nnobody:*:-2:-2:::\n\
                     sync::1:1::/:/bin/sync\n+::0:0:::\n+\nbroken:line\n";
        let mut diags = Vec::new();
        let entries = parse_passwd(data, "etc/passwd", false, &mut diags);
        assert_eq!(entries.len(), 5);
        assert_eq!(entries[0].name, "root");
        assert_eq!(entries[0].uid, Some(0));
        assert_eq!(entries[0].home, "/");
        assert_eq!(entries[1].uid, Some(u32::MAX - 1));
        assert_eq!(entries[2].password, b"");
        assert!(entries[3].nis && entries[3].uid == Some(0));
        assert!(entries[4].nis && entries[4].uid.is_none());
        assert_eq!(entries[4].line, 5);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, Some(6));
    }

    #[test]
    fn master_passwd_has_ten_fields() {
        let data = b"root:$2b$08$abcdefghijklmnopqrstuv:0:0::0:0:Charlie &:/root:/bin/sh\n";
        let entries = parse_passwd(data, "etc/master.passwd", true, &mut Vec::new());
        assert_eq!(entries[0].home, "/root");
        assert_eq!(entries[0].shell, "/bin/sh");
        assert_eq!(entries[0].gecos, "Charlie &");
    }

    #[test]
    fn hostile_bytes_do_not_panic() {
        let mut diags = Vec::new();
        let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
        let _ = parse_passwd(&data, "etc/passwd", false, &mut diags);
        let _ = parse_passwd(
            b"\xff\xfe:::::::\r\n:\n\n::99999999999:-99999999999",
            "p",
            true,
            &mut diags,
        );
        assert_eq!(parse_id(b"99999999999"), None);
        assert_eq!(parse_id(b"-99999999999"), None);
    }
}
