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
use crate::i18n::{self, Lang, msg};
use kensa_core::{Rule, RuleStatus};
use std::io::{self, BufWriter, Write};

fn status_name(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Stable => "stable",
        RuleStatus::Preview => "preview",
    }
}

/// `kensa rules`: a table of every rule (code, kind, outcome, severity, status, title),
/// sorted by code. Kind, outcome and status are the fixed machine vocabulary in both
/// languages (they are what `--select` and JSON use); headers, severity and title follow
/// `lang`.
pub fn write_rules(rules: &[&Rule], lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut sorted: Vec<&Rule> = rules.to_vec();
    sorted.sort_by(|a, b| a.code.cmp(b.code).then(a.name.cmp(b.name)));
    let header = [
        msg::COL_CODE,
        msg::COL_KIND,
        msg::COL_OUTCOME,
        msg::COL_SEVERITY,
        msg::COL_STATUS,
        msg::COL_TITLE,
    ]
    .map(|text| text.get(lang));
    let rows: Vec<[String; 6]> = sorted
        .iter()
        .map(|rule| {
            [
                escape_terminal(rule.code).into_owned(),
                rule.kind.as_str().to_string(),
                rule.outcome.as_str().to_string(),
                i18n::severity_name(rule.severity, lang).to_string(),
                status_name(rule.status).to_string(),
                escape_terminal(rule.title_in(lang.code())).into_owned(),
            ]
        })
        .collect();
    // Column widths in terminal columns; the last column is not padded.
    let mut widths = header.map(i18n::display_width);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(i18n::display_width(cell));
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
            let pad = width - i18n::display_width(cell) + 2;
            write!(out, "{cell}{:pad$}", "")?;
        }
    }
    Ok(())
}

/// `kensa explain CODE`: the rule's header line (code, name, kind/outcome/severity) then
/// its doc ([`Rule::doc`], or [`Rule::doc_ja`] in Japanese — with a note and the English
/// doc when the Japanese one is missing).
pub fn write_explain(rule: &Rule, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    let code = escape_terminal(rule.code);
    let name = escape_terminal(rule.name);
    let since = escape_terminal(rule.since);
    let header = msg::EXPLAIN_HEADER.fill(
        lang,
        &[
            ("code", &code),
            ("name", &name),
            ("kind", &rule.kind.as_str()),
            ("outcome", &rule.outcome.as_str()),
            ("severity", &i18n::severity_name(rule.severity, lang)),
            ("status", &status_name(rule.status)),
            ("since", &since),
        ],
    );
    writeln!(out, "{header}")?;
    writeln!(out)?;
    let doc = match (lang, rule.doc_ja()) {
        (Lang::Ja, Some(japanese)) => japanese,
        (Lang::Ja, None) => {
            writeln!(out, "{}", msg::NO_JA_DOC.get(lang))?;
            writeln!(out)?;
            rule.doc()
        }
        (Lang::En, _) => rule.doc(),
    };
    if doc.is_empty() {
        writeln!(out, "{}", escape_terminal(rule.title_in(lang.code())))?;
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
        title_ja: "sendmail の脆弱性を悪用した攻撃の試み",
        advice_ja: "sendmail を更新してください（対策 (1)）。",
        since: "0.1.0",
        source: "//! # SM001 sendmail-exploit-attempt\n//!\n//! ## What it finds\n//! Lines with `/etc/passwd`.\n//! <!-- ja -->\n//! # SM001 sendmail-exploit-attempt\n//!\n//! ## 検出内容\n//! `/etc/passwd` を含む行。\n\nuse x;\n",
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
        let table = render(|out| write_rules(&[&PASSWD, &GUESS], Lang::En, out));
        assert_eq!(
            table,
            "CODE   KIND               OUTCOME    SEVERITY  STATUS   TITLE\n\
             LG001  password-guessing  attempted  medium    preview  Password guessing burst\n\
             SM001  sendmail-exploit   attempted  high      stable   Sendmail exploit attempt\n"
        );
    }

    #[test]
    fn japanese_table_aligns_wide_titles_and_headers() {
        let table = render(|out| write_rules(&[&PASSWD, &GUESS], Lang::Ja, out));
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("コード  種類"), "{table}");
        // The title column starts at the same terminal column on every line.
        let column = |line: &str, title: &str| {
            assert!(line.ends_with(title), "{line}");
            i18n::display_width(line) - i18n::display_width(title)
        };
        let start = column(lines[0], "題名");
        assert_eq!(
            column(lines[1], "Password guessing burst"),
            start,
            "{table}"
        );
        assert_eq!(column(lines[2], PASSWD.title_ja), start, "{table}");
        assert!(
            lines[2].ends_with("sendmail の脆弱性を悪用した攻撃の試み"),
            "{table}"
        );
        assert!(
            lines[1].ends_with("Password guessing burst"),
            "no Japanese: English"
        );
    }

    #[test]
    fn japanese_explain_prints_the_japanese_doc() {
        let text = render(|out| write_explain(&PASSWD, Lang::Ja, out));
        assert_eq!(
            text,
            "SM001 sendmail-exploit-attempt — 種類 sendmail-exploit、結果 attempted、重大度 高（stable、0.1.0 から）\n\n\
             # SM001 sendmail-exploit-attempt\n\n## 検出内容\n`/etc/passwd` を含む行。\n"
        );
        let fallback = render(|out| write_explain(&GUESS, Lang::Ja, out));
        assert!(fallback.contains(msg::NO_JA_DOC.ja), "{fallback}");
    }

    #[test]
    fn empty_rules_table_is_just_the_header() {
        let table = render(|out| write_rules(&[], Lang::En, out));
        assert_eq!(table, "CODE  KIND  OUTCOME  SEVERITY  STATUS  TITLE\n");
    }

    #[test]
    fn explain_prints_header_then_the_module_doc() {
        let text = render(|out| write_explain(&PASSWD, Lang::En, out));
        assert_eq!(
            text,
            "SM001 sendmail-exploit-attempt — kind sendmail-exploit, outcome attempted, severity high \
             (stable, since 0.1.0)\n\n# SM001 sendmail-exploit-attempt\n\n## What it finds\nLines with `/etc/passwd`.\n"
        );
    }

    #[test]
    fn explain_without_a_doc_falls_back_to_the_title() {
        let text = render(|out| write_explain(&GUESS, Lang::En, out));
        assert!(text.ends_with("\n\nPassword guessing burst\n"), "{text}");
        assert!(
            text.starts_with("LG001 password-guessing-burst — kind password-guessing"),
            "{text}"
        );
    }
}
