//! Accounts, read from the audited root's own files: `passwd`, `group`, the shadow files,
//! and the checks on them (family `AC`, the advisory's countermeasures (3) change
//! passwords and (4) shadow passwords).
//!
//! The parsers share one line splitter ([`Lines`]) and one reader
//! ([`read_account_file`]) so that every file is read the same bounded way: through the
//! confined [`Root`], at most [`MAX_FILE_BYTES`] bytes (a larger file is judged on its
//! first part, with a warning), lines cut at [`MAX_LINE_BYTES`] for evidence (the whole
//! line is still parsed), at most [`MAX_ENTRIES`] entries.

pub mod group;
pub mod hash;
pub mod passwd;
pub mod shadow;

pub use group::{GroupEntry, read_group};
pub use hash::{PasswordField, Scheme, classify};
pub use passwd::{PasswdEntry, read_passwd};
pub use shadow::{ShadowEntry, read_shadow};

use crate::root::Root;
use kensa_core::{Diagnostic, DiagnosticLevel};

/// Bytes of an account file read; the rest is ignored with a warning.
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// Bytes of a line kept as evidence.
pub const MAX_LINE_BYTES: usize = 4096;
/// Entries parsed from one file.
pub const MAX_ENTRIES: usize = 1_000_000;

/// The account checks, in the order they run.
pub(crate) fn checks() -> Vec<crate::Check> {
    Vec::new()
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
                diags.push(Diagnostic::file(
                    DiagnosticLevel::Warning,
                    root.display(rel),
                    format!("larger than {MAX_FILE_BYTES} bytes; only the first part was examined"),
                ));
            }
            Some(data)
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            diags.push(Diagnostic::file(
                DiagnosticLevel::Warning,
                root.display(rel),
                format!("cannot be read: {err}"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
