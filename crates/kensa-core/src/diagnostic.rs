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
    /// What happened, in one sentence (English; JSON carries this).
    pub message: String,
    /// The same message as a code and its values, so a writer can say it in the reader's
    /// language (see `kensa_report::i18n`); `None` for rarer messages, shown in English.
    #[serde(skip)]
    pub code: Option<MessageCode>,
    /// The values of [`Diagnostic::code`]'s `{placeholders}`, by name.
    #[serde(skip)]
    pub args: Vec<(&'static str, String)>,
}

/// The common diagnostic messages, named so that writers can translate them rather than
/// translating free text. Each has an English and a Japanese text in the report crate's
/// catalogue, with the same `{placeholders}` filled from [`Diagnostic::args`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageCode {
    /// A file cannot be opened or read at all (`{error}`).
    CannotRead,
    /// A given path does not exist.
    DoesNotExist,
    /// Binary data where a text log was expected.
    BinaryFile,
    /// A compressed file ends early or is corrupt (`{format}`, `{bytes}`, `{error}`).
    TruncatedCompressed,
    /// A plain file's read failed part way (`{bytes}`, `{error}`).
    ReadError,
    /// Lines longer than kensa keeps (`{count}`, `{kib}`).
    LongLines,
    /// Short NUL runs, corruption rather than wiping (`{count}`, `{min}`).
    ShortNulRuns,
    /// No modification time to anchor year-less dates.
    NoMtimeYear,
    /// The logs' stated years moved the year guess (`{years}`).
    YearShift,
    /// A symbolic link that was not followed.
    SymlinkNotFollowed,
    /// A directory that cannot be listed (`{error}`).
    DirectoryUnreadable,
}

impl MessageCode {
    /// Every code, for catalogue tests.
    pub const ALL: [MessageCode; 11] = [
        MessageCode::CannotRead,
        MessageCode::DoesNotExist,
        MessageCode::BinaryFile,
        MessageCode::TruncatedCompressed,
        MessageCode::ReadError,
        MessageCode::LongLines,
        MessageCode::ShortNulRuns,
        MessageCode::NoMtimeYear,
        MessageCode::YearShift,
        MessageCode::SymlinkNotFollowed,
        MessageCode::DirectoryUnreadable,
    ];
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
            code: None,
            args: Vec::new(),
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
            code: None,
            args: Vec::new(),
        }
    }

    /// The same diagnostic, also named by `code` with its values, for translation.
    #[must_use]
    pub fn with_code(mut self, code: MessageCode, args: Vec<(&'static str, String)>) -> Self {
        self.code = Some(code);
        self.args = args;
        self
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
