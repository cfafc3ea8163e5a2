//! The text report: what a responder reads on a terminal at 3 a.m.
//!
//! The order answers the questions in the order they are asked. First, per host and most
//! urgent first, the verdict and what it means in the advisory's terms (`COMPROMISED` →
//! step 5, rebuild). Then that host's findings, most severe first, each with who (source,
//! users, path), when (first to last time, in the host's local time), how often, the
//! evidence lines as `file:line: text` so they can be found again with an editor or
//! `grep -n`, and the advice wrapped to fit a terminal. Last, one summary line and the
//! diagnostics (inputs that could not be read), because a clean verdict over unreadable
//! logs is not a clean verdict.
//!
//! Every string that came from the audited host is passed through [`escape_terminal`]
//! before it is written, so an attacker's log line cannot colour, move or hide anything;
//! colour itself is only ever written by this module, and only when asked for. Evidence
//! is cut to the first [`TextOptions::max_evidence`] lines, and every string (evidence
//! line, title, user, file name, ...) to [`LINE_CHARS`] characters, unless `verbose`: a
//! megabyte-long hostile line must not bury the report, and the full record is in the JSON.
//!
//! The model already orders hosts and findings; the writer stable-sorts them again by
//! verdict and severity only, so a caller that built a report by hand still gets the
//! urgent things first, and the model's finer order is kept.

use crate::TextOptions;
use crate::escape::escape_terminal;
use kensa_core::{
    DiagnosticLevel, Evidence, Finding, HostReport, Outcome, Report, Severity, Verdict,
};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::fmt::{self, Display};
use std::io::{self, Write};

/// Characters of one evidence line printed when not verbose.
pub(crate) const LINE_CHARS: usize = 400;
/// Users listed per finding when not verbose.
const USERS_SHOWN: usize = 10;
/// Column at which advice is wrapped.
const WIDTH: usize = 100;
/// Indentation of a finding's header, of its fields, and of its evidence lines.
const FINDING_INDENT: &str = "  ";
const FIELD_INDENT: &str = "      ";
const EVIDENCE_INDENT: &str = "        ";
/// Width of a field label (`message id:` is the longest) plus one space.
const LABEL_WIDTH: usize = 12;

/// ANSI SGR parameters; written only when colour is on.
mod sgr {
    pub const BOLD: &str = "1";
    pub const BOLD_RED: &str = "1;31";
    pub const RED: &str = "31";
    pub const BOLD_YELLOW: &str = "1;33";
    pub const YELLOW: &str = "33";
    pub const BOLD_MAGENTA: &str = "1;35";
    pub const BOLD_GREEN: &str = "1;32";
    pub const CYAN: &str = "36";
    pub const DIM: &str = "2";
}

/// Whether to colour; hands out [`Painted`] values.
#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn paint<T: Display>(self, style: &'static str, value: T) -> Painted<T> {
        Painted {
            style: self.color.then_some(style),
            value,
        }
    }
}

/// A value written between an SGR sequence and a reset, or bare when colour is off.
struct Painted<T> {
    style: Option<&'static str>,
    value: T,
}

impl<T: Display> Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.style {
            Some(style) => write!(f, "\x1b[{style}m{}\x1b[0m", self.value),
            None => self.value.fmt(f),
        }
    }
}

fn verdict_style(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Compromised => sgr::BOLD_RED,
        Verdict::Attacked => sgr::BOLD_YELLOW,
        Verdict::Exposed => sgr::BOLD_MAGENTA,
        Verdict::Clean => sgr::BOLD_GREEN,
    }
}

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => sgr::BOLD_RED,
        Severity::High => sgr::RED,
        Severity::Medium => sgr::YELLOW,
        Severity::Low => sgr::CYAN,
        Severity::Info => sgr::DIM,
    }
}

fn level_name_and_style(level: DiagnosticLevel) -> (&'static str, &'static str) {
    match level {
        DiagnosticLevel::Error => ("error", sgr::RED),
        DiagnosticLevel::Warning => ("warning", sgr::YELLOW),
        DiagnosticLevel::Note => ("note", sgr::CYAN),
    }
}

/// What a host's verdict means, in the advisory's terms. For `compromised` it says which
/// of the two reasons the model gave: a succeeded attack, or only a trace of intrusion.
fn verdict_meaning(host: &HostReport) -> &'static str {
    match host.verdict {
        Verdict::Compromised
            if host
                .findings
                .iter()
                .any(|f| f.outcome == Outcome::Succeeded) =>
        {
            "an attack succeeded; intrusion cannot be ruled out (advisory step 5: rebuild)"
        }
        Verdict::Compromised => {
            "signs of intrusion were found; intrusion cannot be ruled out (advisory step 5: rebuild)"
        }
        Verdict::Attacked => {
            "attacks were made; none is seen to have succeeded (close the holes: advisory steps 1-4)"
        }
        Verdict::Exposed => "holes are open; nobody is seen using them (advisory steps 1, 2 and 4)",
        Verdict::Clean => "nothing found",
    }
}

/// Writes the whole text report.
pub(crate) fn write(report: &Report, options: &TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint {
        color: options.color,
    };
    // Notes (a long line cut) do not weaken a verdict; warnings and errors (input lost) do.
    let unread_inputs = report
        .diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .count();
    let mut hosts: Vec<&HostReport> = report.hosts.iter().collect();
    hosts.sort_by_key(|host| Reverse(host.verdict));
    if hosts.is_empty() {
        writeln!(out, "no host in this report: nothing was examined")?;
        writeln!(out)?;
    }
    for host in hosts {
        write_host(host, unread_inputs, options, paint, out)?;
    }
    write_summary(report, paint, out)?;
    for diagnostic in &report.diagnostics {
        let (level, style) = level_name_and_style(diagnostic.level);
        write!(
            out,
            "{}: {}",
            paint.paint(style, level),
            shown(&diagnostic.file, options.verbose)
        )?;
        if let Some(line) = diagnostic.line {
            write!(out, ":{line}")?;
        }
        writeln!(out, ": {}", shown(&diagnostic.message, options.verbose))?;
    }
    Ok(())
}

fn write_host(
    host: &HostReport,
    unread_inputs: usize,
    options: &TextOptions,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let name = if host.host.is_empty() {
        "(no host name)".into()
    } else {
        shown(&host.host, options.verbose)
    };
    write!(
        out,
        "{}: {} — {}",
        paint.paint(sgr::BOLD, name),
        paint.paint(
            verdict_style(host.verdict),
            host.verdict.as_str().to_ascii_uppercase()
        ),
        verdict_meaning(host),
    )?;
    if host.findings.is_empty() && unread_inputs > 0 {
        // A clean verdict is only as good as the inputs that were read.
        write!(
            out,
            " — but {} could not be read in full (see the end of the report)",
            plural(unread_inputs, "input")
        )?;
    }
    writeln!(out)?;
    writeln!(out)?;
    let mut findings: Vec<&Finding> = host.findings.iter().collect();
    findings.sort_by_key(|finding| Reverse(finding.severity));
    for finding in findings {
        write_finding(finding, options, paint, out)?;
        writeln!(out)?;
    }
    write_assessment(host, options, paint, out)?;
    Ok(())
}

fn write_finding(
    finding: &Finding,
    options: &TextOptions,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let tag = format!("[{}]", finding.severity.as_str().to_ascii_uppercase());
    writeln!(
        out,
        "{FINDING_INDENT}{} {} {}",
        paint.paint(severity_style(finding.severity), tag),
        paint.paint(sgr::BOLD, escape_terminal(finding.code)),
        shown(&finding.title, options.verbose),
    )?;
    let subject = &finding.subject;
    if let Some(source) = &subject.source {
        write_field(out, "source:", shown(source, options.verbose))?;
    }
    if !subject.users.is_empty() {
        write_label(out, "users:")?;
        write_users(out, &subject.users, options.verbose)?;
    }
    if let Some(path) = &subject.path {
        write_field(out, "path:", shown(path, options.verbose))?;
    }
    if let Some(message_id) = &subject.message_id {
        write_field(out, "message id:", shown(message_id, options.verbose))?;
    }
    match (finding.first_seen, finding.last_seen) {
        (Some(first), Some(last)) if first != last => {
            write_field(out, "time:", format_args!("{first} to {last}"))?
        }
        (Some(time), _) | (None, Some(time)) => write_field(out, "time:", time)?,
        (None, None) => {}
    }
    if finding.count > 0 {
        write_field(out, "count:", finding.count)?;
    }
    if !finding.evidence.is_empty() {
        writeln!(out, "{FIELD_INDENT}evidence:")?;
        let shown = if options.verbose {
            finding.evidence.len()
        } else {
            options.max_evidence
        };
        for evidence in finding.evidence.iter().take(shown) {
            write_evidence(out, evidence, options.verbose, paint)?;
        }
        let hidden = finding.evidence.len().saturating_sub(shown);
        if hidden > 0 {
            writeln!(
                out,
                "{EVIDENCE_INDENT}... and {} (-v shows all)",
                plural(hidden, "more line")
            )?;
        }
    }
    if !finding.advice.trim().is_empty() {
        write_label(out, "advice:")?;
        write_wrapped(out, &finding.advice, FIELD_INDENT.len() + LABEL_WIDTH)?;
    }
    Ok(())
}

fn write_label(out: &mut dyn Write, label: &str) -> io::Result<()> {
    write!(out, "{FIELD_INDENT}{label:<LABEL_WIDTH$}")
}

fn write_field(out: &mut dyn Write, label: &str, value: impl Display) -> io::Result<()> {
    write_label(out, label)?;
    writeln!(out, "{value}")
}

fn write_users(out: &mut dyn Write, users: &[String], verbose: bool) -> io::Result<()> {
    let limit = if verbose { users.len() } else { USERS_SHOWN };
    for (index, user) in users.iter().take(limit).enumerate() {
        if index > 0 {
            write!(out, ", ")?;
        }
        // An empty user name is real in logs (`Invalid user  from ...`): show it.
        if user.is_empty() {
            write!(out, "\"\"")?
        } else {
            write!(out, "{}", shown(user, verbose))?
        }
    }
    let hidden = users.len().saturating_sub(limit);
    if hidden > 0 {
        write!(out, ", ... (+{hidden} more)")?;
    }
    writeln!(out)
}

fn write_evidence(
    out: &mut dyn Write,
    evidence: &Evidence,
    verbose: bool,
    paint: Paint,
) -> io::Result<()> {
    let place = if evidence.line > 0 {
        format!("{}:{}:", shown(&evidence.file, verbose), evidence.line)
    } else {
        format!("{}:", shown(&evidence.file, verbose))
    };
    write!(out, "{EVIDENCE_INDENT}{}", paint.paint(sgr::CYAN, place))?;
    if !evidence.text.is_empty() {
        write!(out, " {}", shown(&evidence.text, verbose))?;
    }
    match (&evidence.raw_hex, verbose) {
        (None, _) => writeln!(out),
        (Some(_), false) => writeln!(out, " [not UTF-8: -v or JSON shows the bytes]"),
        (Some(hex), true) => {
            writeln!(out)?;
            writeln!(
                out,
                "{EVIDENCE_INDENT}  raw bytes: {}",
                escape_terminal(hex)
            )
        }
    }
}

/// `text` escaped for the terminal and, unless `verbose`, cut to [`LINE_CHARS`]
/// characters with a note of how many were left out: a megabyte-long log line or user
/// name must not bury the rest of the report.
fn shown(text: &str, verbose: bool) -> Cow<'_, str> {
    if verbose {
        return escape_terminal(text);
    }
    match cut_chars(text, LINE_CHARS) {
        (kept, 0) => escape_terminal(kept),
        (kept, cut) => Cow::Owned(format!(
            "{} ... (+{})",
            escape_terminal(kept),
            plural(cut, "char")
        )),
    }
}

/// The first `max` characters of `text`, and how many characters were left out.
fn cut_chars(text: &str, max: usize) -> (&str, usize) {
    match text.char_indices().nth(max) {
        Some((at, _)) => {
            let (kept, rest) = text.split_at(at);
            (kept, rest.chars().count())
        }
        None => (text, 0),
    }
}

/// Writes `text` word-wrapped at [`WIDTH`], continuation lines indented to `indent`
/// (the cursor is assumed to be at column `indent` already). Words are escaped one by
/// one; whitespace, including newlines, only separates them.
fn write_wrapped(out: &mut dyn Write, text: &str, indent: usize) -> io::Result<()> {
    let mut column = indent;
    let mut line_has_words = false;
    for word in text.split_whitespace() {
        let word = escape_terminal(word);
        let len = word.chars().count();
        if line_has_words && column + 1 + len > WIDTH {
            write!(out, "\n{:indent$}", "")?;
            column = indent;
            line_has_words = false;
        }
        if line_has_words {
            write!(out, " ")?;
            column += 1;
        }
        write!(out, "{word}")?;
        column += len;
        line_has_words = true;
    }
    writeln!(out)
}

fn write_summary(report: &Report, paint: Paint, out: &mut dyn Write) -> io::Result<()> {
    // One pass over hosts and findings: counts per verdict and per severity.
    let mut verdicts = [0usize; 4];
    let mut severities = [0usize; 5];
    let mut findings = 0usize;
    for host in &report.hosts {
        verdicts[verdict_index(host.verdict)] += 1;
        for finding in &host.findings {
            severities[severity_index(finding.severity)] += 1;
            findings += 1;
        }
    }
    write!(
        out,
        "{} {}",
        paint.paint(sgr::BOLD, "summary:"),
        plural(report.hosts.len(), "host")
    )?;
    let verdict_parts: Vec<String> = [
        Verdict::Compromised,
        Verdict::Attacked,
        Verdict::Exposed,
        Verdict::Clean,
    ]
    .into_iter()
    .filter(|v| verdicts[verdict_index(*v)] > 0)
    .map(|v| format!("{} {}", verdicts[verdict_index(v)], v.as_str()))
    .collect();
    write_parts(out, &verdict_parts)?;
    write!(out, ", {}", plural(findings, "finding"))?;
    let severity_parts: Vec<String> = Severity::ALL
        .into_iter()
        .rev()
        .filter(|s| severities[severity_index(*s)] > 0)
        .map(|s| format!("{} {}", severities[severity_index(s)], s.as_str()))
        .collect();
    write_parts(out, &severity_parts)?;
    write!(out, ", {}", plural(report.diagnostics.len(), "diagnostic"))?;
    let level_parts: Vec<String> = [
        DiagnosticLevel::Error,
        DiagnosticLevel::Warning,
        DiagnosticLevel::Note,
    ]
    .into_iter()
    .map(|level| {
        (
            level,
            report
                .diagnostics
                .iter()
                .filter(|d| d.level == level)
                .count(),
        )
    })
    .filter(|(_, count)| *count > 0)
    .map(|(level, count)| format!("{count} {}", level_name_and_style(level).0))
    .collect();
    write_parts(out, &level_parts)?;
    writeln!(out)
}

fn write_parts(out: &mut dyn Write, parts: &[String]) -> io::Result<()> {
    if parts.is_empty() {
        Ok(())
    } else {
        write!(out, " ({})", parts.join(", "))
    }
}

fn verdict_index(verdict: Verdict) -> usize {
    match verdict {
        Verdict::Clean => 0,
        Verdict::Exposed => 1,
        Verdict::Attacked => 2,
        Verdict::Compromised => 3,
    }
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Info => 0,
        Severity::Low => 1,
        Severity::Medium => 2,
        Severity::High => 3,
        Severity::Critical => 4,
    }
}

/// `1 host`, `2 hosts`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, indent: usize) -> String {
        let mut out = Vec::new();
        write!(out, "{:indent$}", "").unwrap();
        write_wrapped(&mut out, text, indent).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let text = "Change every user's password to one that is not easy to guess and use shadow passwords \
                    where the operating system offers them (advisory steps 3 and 4); then rebuild.";
        let out = wrapped(text, 18);
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "{line:?}");
        }
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        assert!(out.lines().count() >= 2);
        assert!(
            out.lines()
                .skip(1)
                .all(|line| line.starts_with(&" ".repeat(18)))
        );
    }

    #[test]
    fn a_word_longer_than_the_width_stands_alone_uncut() {
        let long = "x".repeat(150);
        let out = wrapped(&format!("a {long} b"), 10);
        assert_eq!(out, format!("{:10}a\n{:10}{long}\n{:10}b\n", "", "", ""));
    }

    #[test]
    fn cutting_counts_characters_not_bytes() {
        assert_eq!(cut_chars("日本語テキスト", 3), ("日本語", 4));
        assert_eq!(cut_chars("short", 10), ("short", 0));
        assert_eq!(cut_chars("", 0), ("", 0));
    }

    #[test]
    fn plural_forms() {
        assert_eq!(plural(0, "host"), "0 hosts");
        assert_eq!(plural(1, "host"), "1 host");
        assert_eq!(plural(2, "line"), "2 lines");
    }

    #[test]
    fn colour_is_written_only_when_asked() {
        assert_eq!(Paint { color: false }.paint(sgr::RED, "x").to_string(), "x");
        assert_eq!(
            Paint { color: true }.paint(sgr::RED, "x").to_string(),
            "\x1b[31mx\x1b[0m"
        );
    }
}

// ─── The assessment (advisory step 5) ──────────────────────────────────────────────────
//
// After a host's findings: whether intrusion can be ruled out, and if not why, what to
// rebuild from and which passwords to change; in every case what the verdict rests on.
// All wording is two-language [`Text`]; account names come from the audited host and are
// escaped like every other string from it.

mod assessment_text {
    use crate::i18n::Text;

    pub const HEADING: Text = Text {
        en: "assessment:",
        ja: "評価:",
    };
    pub const CANNOT_RULE_OUT: Text = Text {
        en: "Intrusion cannot be ruled out.",
        ja: "侵入の可能性を否定できません。",
    };
    pub const ATTACKED: Text = Text {
        en: "Attacks were made and none is seen to have succeeded in what was examined; that does not prove none did.",
        ja: "攻撃が行われましたが、調べた範囲では成功した形跡はありません。成功しなかったことの証明ではありません。",
    };
    pub const EXPOSED: Text = Text {
        en: "No attack and no sign of intrusion were seen in what was examined, but holes are open: close them.",
        ja: "調べた範囲では攻撃も侵入の形跡も見つかりませんでしたが、穴が開いています。塞いでください。",
    };
    pub const CLEAN: Text = Text {
        en: "No sign of intrusion was found in what was examined; that rules nothing out beyond it.",
        ja: "調べた範囲では侵入の形跡は見つかりませんでした。それ以外の範囲については何も言えません。",
    };
    pub const BECAUSE: Text = Text {
        en: "because:",
        ja: "根拠:",
    };
    pub const REBUILD_LABEL: Text = Text {
        en: "rebuild:",
        ja: "再構築:",
    };
    pub const REBUILD: Text = Text {
        en: "Reinstall the system from trusted media (the vendor's installation media and packages), not from this disk or from backups made after the intrusion; bring data back only after checking it, and apply the fixes of advisory steps 1-4 before reconnecting (advisory step 5).",
        ja: "信頼できる媒体（ベンダーのインストール媒体とパッケージ）からシステムを再インストールしてください。このディスクや侵入後に取ったバックアップからは戻さないでください。データは確認してから戻し、ネットワークに再接続する前にアドバイザリ手順 1〜4 の対策を適用してください（アドバイザリ手順 5）。",
    };
    pub const PASSWORDS_LABEL: Text = Text {
        en: "passwords:",
        ja: "パスワード:",
    };
    pub const PASSWORDS_LISTED: Text = Text {
        en: "Change every password that was on this host, and the same passwords wherever else they are used ({count} accounts with a password in the audited passwd/shadow):",
        ja: "このホストにあったすべてのパスワードを変更し、同じパスワードを使っている他の場所でも変更してください（監査した passwd/shadow でパスワードを持つアカウント {count} 件）:",
    };
    pub const PASSWORDS_UNKNOWN: Text = Text {
        en: "Change every password that was on this host, and the same passwords wherever else they are used (its account files were not read, so kensa cannot list them).",
        ja: "このホストにあったすべてのパスワードを変更し、同じパスワードを使っている他の場所でも変更してください（アカウントファイルを読んでいないため一覧にできません）。",
    };
    pub const EXAMINED: Text = Text {
        en: "examined:",
        ja: "調べた範囲:",
    };
    pub const NOT_EXAMINED: Text = Text {
        en: "not examined:",
        ja: "調べていない範囲:",
    };
    pub const NOTHING: Text = Text {
        en: "nothing",
        ja: "なし",
    };
    pub const LOGS: Text = Text {
        en: "text logs",
        ja: "テキストログ",
    };
    pub const LOGIN_RECORDS: Text = Text {
        en: "login records (wtmp, btmp, lastlog)",
        ja: "ログイン記録（wtmp・btmp・lastlog）",
    };
    pub const HOST_CONFIGURATION: Text = Text {
        en: "host files and configuration",
        ja: "ホストのファイルと設定",
    };
    pub const RUNNING_SYSTEM: Text = Text {
        en: "running processes, memory and network (kensa reads files only)",
        ja: "実行中のプロセス・メモリ・ネットワーク（kensa はファイルしか読みません）",
    };
}

fn area_text(area: kensa_core::Area) -> crate::i18n::Text {
    use assessment_text as t;
    match area {
        kensa_core::Area::Logs => t::LOGS,
        kensa_core::Area::LoginRecords => t::LOGIN_RECORDS,
        kensa_core::Area::HostConfiguration => t::HOST_CONFIGURATION,
        kensa_core::Area::RunningSystem => t::RUNNING_SYSTEM,
    }
}

/// A labelled assessment line: the label in the field column, the text wrapped after it.
fn write_assessment_field(out: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
    let width = LABEL_WIDTH.max(label.chars().count() + 1);
    write!(out, "{FIELD_INDENT}{label:<width$}")?;
    write_wrapped(out, text, FIELD_INDENT.len() + width)
}

fn write_assessment(
    host: &HostReport,
    options: &TextOptions,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    use assessment_text as t;
    let lang = options.lang;
    let assessment = &host.assessment;
    let sentence = match host.verdict {
        Verdict::Compromised => t::CANNOT_RULE_OUT,
        Verdict::Attacked => t::ATTACKED,
        Verdict::Exposed => t::EXPOSED,
        Verdict::Clean => t::CLEAN,
    };
    write!(
        out,
        "{FINDING_INDENT}{} ",
        paint.paint(sgr::BOLD, t::HEADING.get(lang))
    )?;
    write_wrapped(
        out,
        sentence.get(lang),
        FINDING_INDENT.len() + 1 + t::HEADING.get(lang).chars().count(),
    )?;
    if !assessment.reasons.is_empty() {
        write_assessment_field(out, t::BECAUSE.get(lang), &assessment.reasons.join(", "))?;
    }
    if assessment.rebuild {
        write_assessment_field(out, t::REBUILD_LABEL.get(lang), t::REBUILD.get(lang))?;
        match &assessment.change_passwords {
            Some(accounts) => {
                let mut text = t::PASSWORDS_LISTED.fill(lang, &[("count", &accounts.len())]);
                let shown_accounts: Vec<Cow<'_, str>> = accounts
                    .iter()
                    .map(|name| shown(name, options.verbose))
                    .collect();
                text.push(' ');
                text.push_str(&shown_accounts.join(", "));
                write_assessment_field(out, t::PASSWORDS_LABEL.get(lang), &text)?;
            }
            None => write_assessment_field(
                out,
                t::PASSWORDS_LABEL.get(lang),
                t::PASSWORDS_UNKNOWN.get(lang),
            )?,
        }
    }
    let list = |areas: &[kensa_core::Area]| -> String {
        if areas.is_empty() {
            return t::NOTHING.get(lang).to_string();
        }
        let separator = if lang == crate::i18n::Lang::Ja {
            "、"
        } else {
            ", "
        };
        areas
            .iter()
            .map(|area| area_text(*area).get(lang))
            .collect::<Vec<_>>()
            .join(separator)
    };
    write_assessment_field(out, t::EXAMINED.get(lang), &list(&assessment.examined))?;
    write_assessment_field(
        out,
        t::NOT_EXAMINED.get(lang),
        &list(&assessment.not_examined),
    )?;
    writeln!(out)
}
