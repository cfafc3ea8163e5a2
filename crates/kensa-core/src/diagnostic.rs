//! Diagnostics: what kensa could not read or understand, said plainly and carried into the
//! report. One bad input never ends a run; it becomes one of these, naming the file and,
//! where there is one, the line.

use serde::Serialize;
use std::fmt;

/// How much a diagnostic matters to the reader of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// Something worth knowing (e.g. a line longer than kensa keeps).
    Note,
    /// Part of an input could not be used (a truncated archive, an unreadable file).
    Warning,
    /// An input could not be used at all.
    Error,
}

/// One problem with one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How much it matters.
    pub level: DiagnosticLevel,
    /// The file as shown to the user (relative to the audited root when under it).
    pub file: String,
    /// The 1-based line (in the decompressed text), when the problem is at a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What happened, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn file(
        level: DiagnosticLevel,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    /// A diagnostic about one line of a file.
    pub fn line(
        level: DiagnosticLevel,
        file: impl Into<String>,
        line: u64,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            level,
            file: file.into(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            DiagnosticLevel::Note => "note",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        };
        match self.line {
            Some(line) => write!(f, "{level}: {}:{line}: {}", self.file, self.message),
            None => write!(f, "{level}: {}: {}", self.file, self.message),
        }
    }
}
