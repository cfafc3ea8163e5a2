//! The JSON document: the whole report as one value, for scripts and archives.
//!
//! Field names are DESIGN.md §3's, produced by the model's own `Serialize` derives so the
//! JSON cannot drift from the model; this module only adds the envelope's `schema` field
//! (first, so a reader sees the version before anything else) and chooses the layout:
//! pretty-printed with two-space indentation, keys in declaration order, a trailing
//! newline. The same report always gives the same bytes.
//!
//! The shape is described by `docs/schema/report-v1.schema.json`, whose `$id` is
//! [`SCHEMA_ID`]. Within v1 fields may be added but never removed, renamed or retyped; a
//! change that breaks readers makes a v2 schema and a new `schema` value.
//!
//! JSON strings are escaped beyond what JSON requires: serde_json already writes C0
//! controls as `\u001b`-style escapes, and [`SafeFormatter`] also escapes DEL, the C1
//! controls and the bidi overrides (see `escape.rs`), so `cat report.json` on a terminal
//! is as safe as the text output. Readers decode the escapes back to the same strings.

use crate::escape::find_hazard;
use kensa_core::{Diagnostic, HostReport, Report, RunInfo};
use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// The `schema` value of every JSON report of this shape; also the `$id` of
/// `docs/schema/report-v1.schema.json`.
pub const SCHEMA_ID: &str = "https://kensa.invalid/schema/report-v1.schema.json";

/// The document: the model plus its schema identifier.
#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    kensa_version: &'a str,
    hosts: &'a [HostReport],
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    run: Option<&'a RunInfo>,
}

/// Writes `report` as one pretty-printed JSON document and a newline.
pub(crate) fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        schema: SCHEMA_ID,
        kensa_version: report.kensa_version,
        hosts: &report.hosts,
        diagnostics: &report.diagnostics,
        run: report.run.as_ref(),
    };
    write_value(
        &document,
        SafeFormatter(PrettyFormatter::with_indent(b"  ")),
        &mut *out,
    )?;
    out.write_all(b"\n")
}

/// Serializes `value` with `formatter`, keeping io errors (a broken pipe stays a broken
/// pipe for the caller).
pub(crate) fn write_value<T: Serialize, F: Formatter>(
    value: &T,
    formatter: F,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// A formatter that lays out like `F` and also escapes, as `\uXXXX`, the characters JSON
/// lets through raw but terminals act on.
pub(crate) struct SafeFormatter<F>(pub(crate) F);

impl<F: Formatter> Formatter for SafeFormatter<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = find_hazard(rest) {
            let (clean, tail) = rest.split_at(at);
            writer.write_all(clean.as_bytes())?;
            let mut chars = tail.chars();
            if let Some(c) = chars.next() {
                // Every hazard is in the Basic Multilingual Plane: four hex digits suffice.
                write!(writer, "\\u{:04x}", c as u32)?;
            }
            rest = chars.as_str();
        }
        writer.write_all(rest.as_bytes())
    }

    // Layout is the inner formatter's: delegate every method that carries indentation
    // state (the rest have stateless defaults shared by all formatters).
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }
    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }
    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::ser::CompactFormatter;

    fn safe_compact(value: &str) -> String {
        let mut out = Vec::new();
        write_value(&value, SafeFormatter(CompactFormatter), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn terminal_hazards_are_unicode_escaped_and_decode_back() {
        let hostile = "a\x1b[31mb\x7fc\u{9b}d\u{202e}e\u{2069}f 日本";
        let json = safe_compact(hostile);
        assert_eq!(json, r#""a\u001b[31mb\u007fc\u009bd\u202ee\u2069f 日本""#);
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, hostile);
    }

    #[test]
    fn pretty_layout_is_kept() {
        let mut out = Vec::new();
        let value = serde_json::json!({"a": [1, {"b": "\u{202e}"}]});
        write_value(
            &value,
            SafeFormatter(PrettyFormatter::with_indent(b"  ")),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"\\u202e\"\n    }\n  ]\n}"
        );
    }
}
