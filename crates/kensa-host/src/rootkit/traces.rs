//! The data file of trojan and rootkit traces, `data/rootkit-traces.tsv`, compiled in
//! and parsed once. Its header documents the columns; every entry says where its fact
//! comes from, and that text is shown in findings.

use crate::integrity::dpkg::glob_match;
use kensa_core::Severity;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The data file's text.
pub const DATA: &str = include_str!("../../data/rootkit-traces.tsv");

/// What kind of fact an entry states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceKind {
    /// A path whose existence is a trace.
    Path,
    /// A file name that is a trace anywhere.
    Name,
    /// Bytes of a trojaned program.
    String,
    /// A program to search for the strings.
    Binary,
    /// A normal regular file or dot-directory under `dev`.
    BenignDev,
    /// A normal dot-named path in a system directory.
    BenignHidden,
    /// A program systems install setuid or setgid.
    Setuid,
    /// A shell.
    Shell,
}

/// One line of the data file.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The kind.
    pub kind: TraceKind,
    /// The pattern as written (path, name or glob), for strings the escaped text.
    pub pattern: String,
    /// For strings: the bytes.
    pub bytes: Vec<u8>,
    /// For paths, names and strings.
    pub severity: Severity,
    /// Where the fact comes from.
    pub what: String,
    /// The same in Japanese (for the kinds a finding shows: path, name, string; else
    /// the English).
    pub what_ja: String,
    /// Line in the data file.
    pub line: usize,
}

/// The parsed data file.
#[derive(Debug, Default)]
pub struct Traces {
    /// Every entry, in file order.
    pub entries: Vec<Trace>,
    names: HashMap<String, usize>,
    globs: Vec<usize>,
}

impl Traces {
    /// Parses the data file; an error names the line.
    pub fn parse(text: &str) -> Result<Traces, String> {
        let mut out = Traces::default();
        for (no, line) in text.lines().enumerate() {
            let line_no = no + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let (kind, pattern, severity, what, what_ja) = match cols[..] {
                [kind, pattern, severity, what] => (kind, pattern, severity, what, None),
                [kind, pattern, severity, what, what_ja] => {
                    (kind, pattern, severity, what, Some(what_ja))
                }
                _ => {
                    return Err(format!(
                        "line {line_no}: {} columns, expected 4 or 5",
                        cols.len()
                    ));
                }
            };
            let kind = match kind {
                "path" => TraceKind::Path,
                "name" => TraceKind::Name,
                "string" => TraceKind::String,
                "binary" => TraceKind::Binary,
                "benign-dev" => TraceKind::BenignDev,
                "benign-hidden" => TraceKind::BenignHidden,
                "setuid" => TraceKind::Setuid,
                "shell" => TraceKind::Shell,
                other => return Err(format!("line {line_no}: unknown kind {other:?}")),
            };
            let needs_severity =
                matches!(kind, TraceKind::Path | TraceKind::Name | TraceKind::String);
            let severity = match (severity, needs_severity) {
                ("-", false) => Severity::Info,
                (s, true) => s
                    .parse::<Severity>()
                    .map_err(|_| format!("line {line_no}: bad severity {s:?}"))?,
                (s, false) => {
                    return Err(format!("line {line_no}: severity {s:?} where `-` belongs"));
                }
            };
            let bytes = if kind == TraceKind::String {
                unescape(pattern).ok_or_else(|| format!("line {line_no}: bad escape"))?
            } else {
                pattern.as_bytes().to_vec()
            };
            if bytes.is_empty() || what.trim().is_empty() {
                return Err(format!("line {line_no}: empty pattern or description"));
            }
            // What a finding shows is said in both languages; the rest is never shown.
            let what_ja = match (what_ja, needs_severity) {
                (Some(ja), true) if !ja.trim().is_empty() => ja.to_string(),
                (None, false) => what.to_string(),
                (_, true) => {
                    return Err(format!("line {line_no}: no Japanese description (WHAT_JA)"));
                }
                (Some(_), false) => {
                    return Err(format!(
                        "line {line_no}: a Japanese description where none is shown"
                    ));
                }
            };
            let index = out.entries.len();
            match kind {
                TraceKind::Name => {
                    out.names.insert(pattern.to_string(), index);
                }
                TraceKind::Path if pattern.contains(['*', '?', '[']) => out.globs.push(index),
                _ => {}
            }
            out.entries.push(Trace {
                kind,
                pattern: pattern.to_string(),
                bytes,
                severity,
                what: what.to_string(),
                what_ja,
                line: line_no,
            });
        }
        Ok(out)
    }

    /// The `name` entry for a file name.
    pub fn name_index(&self, name: &str) -> Option<usize> {
        self.names.get(name).copied()
    }

    /// The `path` entries with glob characters that match `path`.
    pub fn glob_paths<'a>(&'a self, path: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.globs
            .iter()
            .copied()
            .filter(move |&i| glob_match(self.entries[i].pattern.as_bytes(), path.as_bytes()))
    }

    /// The entries of one kind.
    pub fn of(&self, kind: TraceKind) -> impl Iterator<Item = &Trace> {
        self.entries.iter().filter(move |t| t.kind == kind)
    }

    /// Whether `path` matches one of the globs of `kind` (`benign-dev`,
    /// `benign-hidden`).
    pub fn matches(&self, kind: TraceKind, path: &str) -> bool {
        self.of(kind)
            .any(|t| glob_match(t.pattern.as_bytes(), path.as_bytes()))
    }

    /// Whether `name` is listed with `kind` (`setuid`, `shell`, `binary`).
    pub fn lists(&self, kind: TraceKind, name: &str) -> bool {
        self.of(kind).any(|t| t.pattern == name)
    }
}

/// `\0`, `\t`, `\\` and `\xNN` escapes.
fn unescape(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        match b.get(i + 1)? {
            b'0' => out.push(0),
            b't' => out.push(b'\t'),
            b'\\' => out.push(b'\\'),
            b'x' => {
                let hex = std::str::from_utf8(b.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            _ => return None,
        }
        i += 2;
    }
    Some(out)
}

/// The compiled-in data file, parsed on first use. The crate's tests parse it, so a
/// bad line cannot reach a release; were it to, the traces would be empty and
/// `kensa` would say so through the tests' failure, never by panicking in a run.
pub fn get() -> &'static Traces {
    static TRACES: OnceLock<Traces> = OnceLock::new();
    TRACES.get_or_init(|| Traces::parse(DATA).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_and_holds_each_kind() {
        let t = Traces::parse(DATA).unwrap();
        for kind in [
            TraceKind::Path,
            TraceKind::Name,
            TraceKind::String,
            TraceKind::Binary,
            TraceKind::BenignDev,
            TraceKind::BenignHidden,
            TraceKind::Setuid,
            TraceKind::Shell,
        ] {
            assert!(t.of(kind).count() > 0, "{kind:?}");
        }
        assert!(t.lists(TraceKind::Setuid, "passwd"));
        assert!(t.lists(TraceKind::Shell, "bash"));
        assert!(t.of(TraceKind::String).any(|s| s.bytes == b"/dev/ptyr\0"));
        assert!(t.name_index("tcp.log").is_some());
        assert_eq!(t.glob_paths("usr/lib/.ark1").count(), 1);
        let ptyr = t
            .of(TraceKind::Path)
            .find(|p| p.pattern == "dev/ptyr")
            .unwrap();
        assert_eq!(ptyr.what_ja, "lrk: ls/du/find の隠蔽リスト（ファイル）");
        // Descriptions are translated, bare kit names aside.
        let untranslated: Vec<&str> = [TraceKind::Path, TraceKind::Name, TraceKind::String]
            .into_iter()
            .flat_map(|kind| t.of(kind))
            .filter(|e| e.what_ja.is_ascii() && e.what.contains(' '))
            .map(|e| e.what.as_str())
            .collect();
        assert!(untranslated.is_empty(), "{untranslated:?}");
    }

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        assert!(
            Traces::parse("path\tdev/x\tcritical\n")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            Traces::parse("# c\nbogus\tx\t-\ty\n")
                .unwrap_err()
                .contains("line 2")
        );
        assert!(Traces::parse("path\tdev/x\tsevere\ty\n").is_err());
        assert!(
            Traces::parse("path\tdev/x\tcritical\ty\n")
                .unwrap_err()
                .contains("Japanese")
        );
        assert!(Traces::parse("path\tdev/x\tcritical\ty\tｙ\n").is_ok());
        assert!(Traces::parse("setuid\tsu\t-\ty\tｙ\n").is_err());
        assert!(Traces::parse("string\t\\q\tcritical\ty\n").is_err());
        assert_eq!(unescape("a\\0\\x41").unwrap(), b"a\0A");
    }
}
