//! `kensa rules` and `kensa explain CODE`: the rule documentation, printed from the rules
//! themselves.
//!
//! A rule's documentation is its source file's module comment ([`Rule::doc`]), so what
//! `explain` prints is what a reader of the code sees; this module adds only a header and
//! a table. The table is sorted by code whatever order the registry lists rules in, so
//! the output is deterministic and a diff of two versions shows added rules in place.
//! Rule text is compiled in, not read from the audited host, but it is still escaped:
//! it costs nothing and keeps "nothing unescaped reaches the terminal" a rule without
//! exceptions.

use crate::escape::escape_terminal;
use kensa_core::{Rule, RuleStatus};
use std::io::{self, BufWriter, Write};

fn status_name(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Stable => "stable",
        RuleStatus::Preview => "preview",
    }
}

/// `kensa rules`: a table of every rule (code, kind, outcome, severity, status, title),
/// sorted by code.
pub fn write_rules(rules: &[&Rule], out: &mut dyn Write) -> io::Result<()> {
    let mut sorted: Vec<&Rule> = rules.to_vec();
    sorted.sort_by(|a, b| a.code.cmp(b.code).then(a.name.cmp(b.name)));
    let header = ["CODE", "KIND", "OUTCOME", "SEVERITY", "STATUS", "TITLE"];
    let rows: Vec<[String; 6]> = sorted
        .iter()
        .map(|rule| {
            [
                escape_terminal(rule.code).into_owned(),
                rule.kind.as_str().to_string(),
                rule.outcome.as_str().to_string(),
                rule.severity.as_str().to_string(),
                status_name(rule.status).to_string(),
                escape_terminal(rule.title).into_owned(),
            ]
        })
        .collect();
    // Column widths in characters; the last column is not padded.
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = BufWriter::new(out);
    write_row(&mut out, &header, &widths)?;
    for row in &rows {
        write_row(&mut out, row, &widths)?;
    }
    out.flush()
}

fn write_row<S: AsRef<str>>(out: &mut dyn Write, cells: &[S], widths: &[usize]) -> io::Result<()> {
    let last = cells.len().saturating_sub(1);
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let cell = cell.as_ref();
        if index == last {
            writeln!(out, "{cell}")?;
        } else {
            write!(out, "{cell:<width$}  ")?;
        }
    }
    Ok(())
}

/// `kensa explain CODE`: the rule's header line (code, name, kind/outcome/severity) then
/// its doc ([`Rule::doc`]).
pub fn write_explain(rule: &Rule, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    writeln!(
        out,
        "{} {} — kind {}, outcome {}, severity {} ({}, since {})",
        escape_terminal(rule.code),
        escape_terminal(rule.name),
        rule.kind.as_str(),
        rule.outcome.as_str(),
        rule.severity.as_str(),
        status_name(rule.status),
        escape_terminal(rule.since),
    )?;
    writeln!(out)?;
    let doc = rule.doc();
    if doc.is_empty() {
        writeln!(out, "{}", escape_terminal(rule.title))?;
    } else {
        // Line by line: newlines are the doc's own structure, everything else is escaped.
        for line in doc.lines() {
            writeln!(out, "{}", escape_terminal(line))?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensa_core::{Kind, Outcome, Severity};

    static PASSWD: Rule = Rule {
        code: "SM001",
        name: "sendmail-exploit-attempt",
        kind: Kind::SendmailExploit,
        outcome: Outcome::Attempted,
        severity: Severity::High,
        title: "Sendmail exploit attempt",
        advice: "Upgrade sendmail (advisory step 1).",
        status: RuleStatus::Stable,
        title_ja: "",
        advice_ja: "",
        since: "0.1.0",
        source: "//! # SM001 sendmail-exploit-attempt\n//!\n//! ## What it finds\n//! Lines with `/etc/passwd`.\n\nuse x;\n",
    };

    static GUESS: Rule = Rule {
        code: "LG001",
        name: "password-guessing-burst",
        kind: Kind::PasswordGuessing,
        outcome: Outcome::Attempted,
        severity: Severity::Medium,
        title: "Password guessing burst",
        advice: "Change passwords (advisory step 3).",
        status: RuleStatus::Preview,
        title_ja: "",
        advice_ja: "",
        since: "0.1.0",
        source: "fn no_doc() {}\n",
    };

    fn render(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rules_table_is_sorted_by_code_and_aligned() {
        let table = render(|out| write_rules(&[&PASSWD, &GUESS], out));
        assert_eq!(
            table,
            "CODE   KIND               OUTCOME    SEVERITY  STATUS   TITLE\n\
             LG001  password-guessing  attempted  medium    preview  Password guessing burst\n\
             SM001  sendmail-exploit   attempted  high      stable   Sendmail exploit attempt\n"
        );
    }

    #[test]
    fn empty_rules_table_is_just_the_header() {
        let table = render(|out| write_rules(&[], out));
        assert_eq!(table, "CODE  KIND  OUTCOME  SEVERITY  STATUS  TITLE\n");
    }

    #[test]
    fn explain_prints_header_then_the_module_doc() {
        let text = render(|out| write_explain(&PASSWD, out));
        assert_eq!(
            text,
            "SM001 sendmail-exploit-attempt — kind sendmail-exploit, outcome attempted, severity high \
             (stable, since 0.1.0)\n\n# SM001 sendmail-exploit-attempt\n\n## What it finds\nLines with `/etc/passwd`.\n"
        );
    }

    #[test]
    fn explain_without_a_doc_falls_back_to_the_title() {
        let text = render(|out| write_explain(&GUESS, out));
        assert!(text.ends_with("\n\nPassword guessing burst\n"), "{text}");
        assert!(
            text.starts_with("LG001 password-guessing-burst — kind password-guessing"),
            "{text}"
        );
    }
}
