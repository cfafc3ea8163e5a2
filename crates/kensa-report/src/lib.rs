//! Writers of the findings model: the last layer of kensa, and the only one that prints.
//!
//! Every output format is a sink of the same [`kensa_core::Report`] (ripgrep's "printer"
//! seam): the text a responder reads at 3 a.m., the JSON document a script keeps, the
//! JSON Lines a SIEM ingests, the SARIF log a dashboard imports and the HTML page a
//! manager prints are all rendered from one model, so they can never disagree.
//! Writers never detect and never re-judge: severity, verdict and advice come from the
//! model untouched; a writer only chooses order, layout and escaping.
//!
//! Two rules hold for every writer here:
//!
//! * **Log-derived text is hostile.** kensa runs as root on machines an attacker may own,
//!   and an attacker writes the log lines kensa quotes. Text output passes every string
//!   through [`escape_terminal`] so no line can move the cursor, retitle the window or
//!   flip the reading direction; JSON and SARIF output additionally escape the characters
//!   JSON itself allows raw but terminals act on (DEL, C1 controls, bidi overrides); HTML
//!   output shows them as the text output does and escapes markup, under a strict CSP.
//! * **Streaming.** Writers write to the given [`std::io::Write`] as they go (buffered),
//!   never building the whole report in memory, and do linear work in the number of
//!   findings, so 100 000 findings cost what 100 000 findings should.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod escape;
mod html;
pub mod i18n;
mod incident;
mod json;
mod jsonl;
pub mod mask;
mod rules;
mod sarif;
mod text;
pub mod wrap;

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

pub use escape::escape_terminal;
pub use incident::messages as incident_messages;
pub use json::SCHEMA_ID;
pub use rules::{write_explain, write_rules};
pub use sarif::{FINGERPRINT_NAME, INFORMATION_URI, ROOT_BASE_ID, SARIF_SCHEMA};

/// An output format of `kensa ... --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Text for people: hosts by urgency, findings by severity, escaped, optionally coloured.
    Text,
    /// One pretty-printed JSON document (schema `docs/schema/report-v1.schema.json`).
    Json,
    /// JSON Lines: one self-contained, Elastic-Common-Schema-shaped object per finding.
    Jsonl,
    /// The incident report a CSIRT asks for (JPCERT/CC's form), plain text for an e-mail.
    Incident,
    /// SARIF 2.1.0: rules with their docs, results located at the evidence lines.
    Sarif,
    /// One self-contained HTML page with inline SVG charts, no script, a strict CSP.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Jsonl,
        Format::Sarif,
        Format::Html,
        Format::Incident,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Incident => "incident",
            Format::Sarif => "sarif",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown format {s:?} (expected text, json, jsonl, sarif, html or incident)"
                )
            })
    }
}

/// Options of the writers. Colour, verbosity and the evidence limit are the text
/// writer's (the other formats always carry everything); the language is used by every
/// writer with messages of its own; the rule catalogue by SARIF.
#[derive(Debug, Clone)]
pub struct TextOptions {
    /// Use ANSI colours. The caller decides (a TTY, `NO_COLOR`, `--color`).
    pub color: bool,
    /// Print every evidence line, whole, and every user, instead of the first few.
    pub verbose: bool,
    /// How many evidence lines to print per finding when not verbose.
    pub max_evidence: usize,
    /// The language of the writers' own messages (headings, labels, legends) and of rule
    /// titles and docs where the writer shows them.
    pub lang: i18n::Lang,
    /// Every rule of the run: SARIF lists them all in `tool.driver.rules`, with or without
    /// results (rules of findings missing here are added). Empty: only the findings' rules.
    pub rules: Vec<&'static kensa_core::Rule>,
}

impl Default for TextOptions {
    /// No colour, not verbose, the first 8 evidence lines, English, no rule catalogue.
    fn default() -> Self {
        TextOptions {
            color: false,
            verbose: false,
            max_evidence: 8,
            lang: i18n::Lang::En,
            rules: Vec::new(),
        }
    }
}

/// Writes the report. io errors are returned (a broken pipe is handled by the caller).
///
/// Output is buffered internally and flushed before returning; the same report always
/// gives the same bytes.
pub fn write_report(
    report: &kensa_core::Report,
    format: Format,
    text: &TextOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    match format {
        Format::Text => text::write(report, text, &mut out)?,
        Format::Json => json::write(report, &mut out)?,
        Format::Jsonl => jsonl::write(report, &mut out)?,
        Format::Incident => incident::write(report, text.lang, &mut out)?,
        Format::Sarif => sarif::write(report, &text.rules, text.lang, &mut out)?,
        Format::Html => html::write(report, text.lang, &mut out)?,
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
            assert_eq!(format.to_string(), format.as_str());
        }
        assert_eq!("JSON".parse::<Format>(), Ok(Format::Json));
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn default_text_options_show_eight_evidence_lines_without_colour() {
        let options = TextOptions::default();
        assert!(!options.color && !options.verbose);
        assert_eq!(options.max_evidence, 8);
    }
}
