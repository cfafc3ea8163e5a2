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
use crate::i18n::{self, Lang, Noun, msg};
use crate::wrap;
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
/// Width in columns of a field label plus one space: `message id:` is the longest in
/// English, `メッセージID:` (15 columns) in Japanese.
fn label_width(lang: Lang) -> usize {
    match lang {
        Lang::En => 12,
        Lang::Ja => 16,
    }
}

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

fn level_style(level: DiagnosticLevel) -> &'static str {
    match level {
        DiagnosticLevel::Error => sgr::RED,
        DiagnosticLevel::Warning => sgr::YELLOW,
        DiagnosticLevel::Note => sgr::CYAN,
    }
}

/// What a host's verdict means, in the advisory's terms. For `compromised` it says which
/// of the two reasons the model gave: a succeeded attack, or only a trace of intrusion.
fn verdict_meaning(host: &HostReport, lang: Lang) -> &'static str {
    let meaning = match host.verdict {
        Verdict::Compromised
            if host
                .findings
                .iter()
                .any(|f| f.outcome == Outcome::Succeeded) =>
        {
            msg::MEANING_SUCCEEDED
        }
        Verdict::Compromised => msg::MEANING_INDICATOR,
        Verdict::Attacked => msg::MEANING_ATTACKED,
        Verdict::Exposed => msg::MEANING_EXPOSED,
        // Only `info` findings (an inventory line, say a server version with no known
        // hole) leave a host clean: say so rather than "nothing found" above them.
        Verdict::Clean if !host.findings.is_empty() => msg::MEANING_NOTES_ONLY,
        Verdict::Clean => msg::MEANING_CLEAN,
    };
    meaning.get(lang)
}

/// Writes the whole text report.
pub(crate) fn write(report: &Report, options: &TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint {
        color: options.color,
    };
    let lang = options.lang;
    // Notes (a long line cut) do not weaken a verdict; warnings and errors (input lost) do.
    let unread_inputs = report
        .diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .count();
    let mut hosts: Vec<&HostReport> = report.hosts.iter().collect();
    hosts.sort_by_key(|host| Reverse(host.verdict));
    if hosts.is_empty() {
        writeln!(out, "{}", msg::NO_HOST.get(lang))?;
        writeln!(out)?;
    }
    for host in hosts {
        write_host(host, unread_inputs, options, paint, out)?;
    }
    write_summary(report, paint, lang, out)?;
    for diagnostic in &report.diagnostics {
        write!(
            out,
            "{}: {}",
            paint.paint(
                level_style(diagnostic.level),
                i18n::level_name(diagnostic.level, lang)
            ),
            shown(&diagnostic.file, options.verbose, lang)
        )?;
        if let Some(line) = diagnostic.line {
            write!(out, ":{line}")?;
        }
        let message = i18n::diagnostic_message(diagnostic, lang);
        writeln!(out, ": {}", shown(&message, options.verbose, lang))?;
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
    let lang = options.lang;
    let name = if host.host.is_empty() {
        msg::NO_HOST_NAME.get(lang).into()
    } else {
        shown(&host.host, options.verbose, lang)
    };
    let verdict = match lang {
        Lang::En => host.verdict.as_str().to_ascii_uppercase(),
        Lang::Ja => i18n::verdict_name(host.verdict, lang).to_string(),
    };
    write!(
        out,
        "{}: {} — {}",
        paint.paint(sgr::BOLD, name),
        paint.paint(verdict_style(host.verdict), verdict),
        verdict_meaning(host, lang),
    )?;
    if host.findings.is_empty() && unread_inputs > 0 {
        // A clean verdict is only as good as the inputs that were read.
        let inputs = msg::INPUTS.count(lang, unread_inputs as u64);
        write!(
            out,
            "{}",
            msg::BUT_UNREAD.fill(lang, &[("inputs", &inputs)])
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
    write_accepted(host, options, out)?;
    write_assessment(host, options, paint, out)?;
    Ok(())
}

/// Accepted findings shown without -v; the rest are counted.
const ACCEPTED_SHOWN: usize = 10;

/// The findings an allow list accepted: one line each, with the reason and the entry, so
/// that an acceptance is never silent.
fn write_accepted(host: &HostReport, options: &TextOptions, out: &mut dyn Write) -> io::Result<()> {
    if host.accepted.is_empty() {
        return Ok(());
    }
    let lang = options.lang;
    let total = host.accepted.len();
    writeln!(
        out,
        "{FINDING_INDENT}{}",
        msg::ACCEPTED.fill(lang, &[("n", &total)])
    )?;
    let shown_count = if options.verbose {
        total
    } else {
        total.min(ACCEPTED_SHOWN)
    };
    for accepted in &host.accepted[..shown_count] {
        let finding = &accepted.finding;
        let path = finding.subject.path.as_deref().unwrap_or("");
        let line = msg::ACCEPTED_ONE.fill(
            lang,
            &[
                ("code", &finding.code),
                ("path", &shown(path, options.verbose, lang)),
                ("reason", &shown(&accepted.reason, options.verbose, lang)),
                (
                    "origin",
                    &shown(&accepted.allowed_by, options.verbose, lang),
                ),
            ],
        );
        writeln!(out, "{FIELD_INDENT}{line}")?;
    }
    if shown_count < total {
        let more = total - shown_count;
        writeln!(
            out,
            "{FIELD_INDENT}{}",
            msg::MORE_ACCEPTED.fill(lang, &[("n", &more)])
        )?;
    }
    writeln!(out)
}

fn write_finding(
    finding: &Finding,
    options: &TextOptions,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lang = options.lang;
    let verbose = options.verbose;
    let tag = match lang {
        Lang::En => finding.severity.as_str().to_ascii_uppercase(),
        Lang::Ja => i18n::severity_name(finding.severity, lang).to_string(),
    };
    // A title the detector worded in English only (not yet translated) follows the
    // rule's Japanese title as a detail, so that its path or count is not lost.
    let title = Cow::Borrowed(finding.title_in(lang));
    let detail = (lang == Lang::Ja
        && finding.title_ja == finding.rule.title_in("ja")
        && finding.title != finding.rule.title)
        .then_some(&finding.title);
    writeln!(
        out,
        "{FINDING_INDENT}{} {} {}",
        paint.paint(severity_style(finding.severity), format!("[{tag}]")),
        paint.paint(sgr::BOLD, escape_terminal(finding.code)),
        shown(&title, verbose, lang),
    )?;
    let label = |text: i18n::Text| text.get(lang);
    if let Some(detail) = detail {
        write_field(
            out,
            label(msg::LABEL_DETAIL),
            lang,
            shown(detail, verbose, lang),
        )?;
    }
    let subject = &finding.subject;
    if let Some(source) = &subject.source {
        write_field(
            out,
            label(msg::LABEL_SOURCE),
            lang,
            shown(source, verbose, lang),
        )?;
    }
    if !subject.users.is_empty() {
        write_label(out, label(msg::LABEL_USERS), lang)?;
        write_users(out, &subject.users, verbose, lang)?;
    }
    if let Some(path) = &subject.path {
        write_field(
            out,
            label(msg::LABEL_PATH),
            lang,
            shown(path, verbose, lang),
        )?;
    }
    if let Some(message_id) = &subject.message_id {
        write_field(
            out,
            label(msg::LABEL_MESSAGE_ID),
            lang,
            shown(message_id, verbose, lang),
        )?;
    }
    if let Some(address) = &subject.address {
        let address = shown(address, verbose, lang);
        let label = label(msg::LABEL_ADDRESS);
        match subject.port {
            Some(port) if address.contains(':') => {
                write_field(out, label, lang, format_args!("[{address}]:{port}"))?
            }
            Some(port) => write_field(out, label, lang, format_args!("{address}:{port}"))?,
            None => write_field(out, label, lang, address)?,
        }
    }
    match (finding.first_seen, finding.last_seen) {
        (Some(first), Some(last)) if first != last => write_field(
            out,
            label(msg::LABEL_TIME),
            lang,
            msg::TIME_SPAN.fill(lang, &[("first", &first), ("last", &last)]),
        )?,
        (Some(time), _) | (None, Some(time)) => {
            write_field(out, label(msg::LABEL_TIME), lang, time)?
        }
        (None, None) => {}
    }
    if finding.count > 0 {
        write_field(out, label(msg::LABEL_COUNT), lang, finding.count)?;
    }
    if !finding.evidence.is_empty() {
        writeln!(out, "{FIELD_INDENT}{}", label(msg::LABEL_EVIDENCE))?;
        let shown = if options.verbose {
            finding.evidence.len()
        } else {
            options.max_evidence
        };
        for evidence in finding.evidence.iter().take(shown) {
            write_evidence(out, evidence, verbose, paint, lang)?;
        }
        let hidden = finding.evidence.len().saturating_sub(shown);
        if hidden > 0 {
            let lines = msg::MORE_LINE.count(lang, hidden as u64);
            writeln!(
                out,
                "{EVIDENCE_INDENT}{}",
                msg::MORE_LINES.fill(lang, &[("lines", &lines)])
            )?;
        }
    }
    // What a detector added in English only after the rule's advice follows the rule's
    // Japanese advice as it was written.
    let advice = match (lang, finding.advice.strip_prefix(finding.rule.advice)) {
        (Lang::Ja, Some(rest))
            if !rest.is_empty() && finding.advice_ja == finding.rule.advice_in("ja") =>
        {
            Cow::Owned(format!("{}{rest}", finding.advice_ja))
        }
        _ => Cow::Borrowed(finding.advice_in(lang)),
    };
    if !advice.trim().is_empty() {
        write_label(out, label(msg::LABEL_ADVICE), lang)?;
        write_wrapped(out, &advice, FIELD_INDENT.len() + label_width(lang))?;
    }
    Ok(())
}

/// A field label padded to [`label_width`] terminal columns (Japanese characters take two).
fn write_label(out: &mut dyn Write, label: &str, lang: Lang) -> io::Result<()> {
    let pad = label_width(lang)
        .saturating_sub(i18n::display_width(label))
        .max(1);
    write!(out, "{FIELD_INDENT}{label}{:pad$}", "")
}

fn write_field(
    out: &mut dyn Write,
    label: &str,
    lang: Lang,
    value: impl Display,
) -> io::Result<()> {
    write_label(out, label, lang)?;
    writeln!(out, "{value}")
}

fn write_users(out: &mut dyn Write, users: &[String], verbose: bool, lang: Lang) -> io::Result<()> {
    let limit = if verbose { users.len() } else { USERS_SHOWN };
    for (index, user) in users.iter().take(limit).enumerate() {
        if index > 0 {
            write!(out, ", ")?;
        }
        // An empty user name is real in logs (`Invalid user  from ...`): show it.
        if user.is_empty() {
            write!(out, "\"\"")?
        } else {
            write!(out, "{}", shown(user, verbose, lang))?
        }
    }
    let hidden = users.len().saturating_sub(limit);
    if hidden > 0 {
        write!(out, "{}", msg::MORE_USERS.fill(lang, &[("n", &hidden)]))?;
    }
    writeln!(out)
}

fn write_evidence(
    out: &mut dyn Write,
    evidence: &Evidence,
    verbose: bool,
    paint: Paint,
    lang: Lang,
) -> io::Result<()> {
    let place = if evidence.line > 0 {
        format!(
            "{}:{}:",
            shown(&evidence.file, verbose, lang),
            evidence.line
        )
    } else {
        format!("{}:", shown(&evidence.file, verbose, lang))
    };
    write!(out, "{EVIDENCE_INDENT}{}", paint.paint(sgr::CYAN, place))?;
    let text = evidence.text_in(lang);
    if !text.is_empty() {
        write!(out, " {}", shown(text, verbose, lang))?;
    }
    match (&evidence.raw_hex, verbose) {
        (None, _) => writeln!(out),
        (Some(_), false) => writeln!(out, "{}", msg::NOT_UTF8.get(lang)),
        (Some(hex), true) => {
            writeln!(out)?;
            let hex = escape_terminal(hex);
            writeln!(
                out,
                "{EVIDENCE_INDENT}  {}",
                msg::RAW_BYTES.fill(lang, &[("hex", &hex)])
            )
        }
    }
}

/// `text` escaped for the terminal and, unless `verbose`, cut to [`LINE_CHARS`]
/// characters with a note of how many were left out: a megabyte-long log line or user
/// name must not bury the rest of the report.
fn shown(text: &str, verbose: bool, lang: Lang) -> Cow<'_, str> {
    if verbose {
        return escape_terminal(text);
    }
    match cut_chars(text, LINE_CHARS) {
        (kept, 0) => escape_terminal(kept),
        (kept, cut) => {
            let chars = msg::CHARS.count(lang, cut as u64);
            Cow::Owned(format!(
                "{}{}",
                escape_terminal(kept),
                msg::MORE_CHARS.fill(lang, &[("chars", &chars)])
            ))
        }
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

/// Writes `text` wrapped at [`WIDTH`] columns (see [`crate::wrap`]: by display width,
/// Japanese between characters), continuation lines indented to `indent` (the cursor is
/// assumed to be at column `indent` already). Pieces are escaped one by one; whitespace,
/// including newlines, only separates words.
fn write_wrapped(out: &mut dyn Write, text: &str, indent: usize) -> io::Result<()> {
    let lines = wrap::lines_shown(text, WIDTH.saturating_sub(indent), escape_terminal);
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            write!(out, "\n{:indent$}", "")?;
        }
        write!(out, "{line}")?;
    }
    writeln!(out)
}

fn write_summary(report: &Report, paint: Paint, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
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
        paint.paint(sgr::BOLD, msg::SUMMARY.get(lang)),
        count(msg::HOSTS, lang, report.hosts.len())
    )?;
    let verdict_parts: Vec<String> = [
        Verdict::Compromised,
        Verdict::Attacked,
        Verdict::Exposed,
        Verdict::Clean,
    ]
    .into_iter()
    .filter(|v| verdicts[verdict_index(*v)] > 0)
    .map(|v| {
        pair(
            verdicts[verdict_index(v)],
            i18n::verdict_name(v, lang),
            lang,
        )
    })
    .collect();
    write_parts(out, &verdict_parts, lang)?;
    write!(
        out,
        "{}{}",
        comma(lang),
        count(msg::FINDINGS, lang, findings)
    )?;
    let severity_parts: Vec<String> = Severity::ALL
        .into_iter()
        .rev()
        .filter(|s| severities[severity_index(*s)] > 0)
        .map(|s| {
            pair(
                severities[severity_index(s)],
                i18n::severity_name(s, lang),
                lang,
            )
        })
        .collect();
    write_parts(out, &severity_parts, lang)?;
    write!(
        out,
        "{}{}",
        comma(lang),
        count(msg::DIAGNOSTICS, lang, report.diagnostics.len())
    )?;
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
    .map(|(level, n)| pair(n, i18n::level_name(level, lang), lang))
    .collect();
    write_parts(out, &level_parts, lang)?;
    writeln!(out)
}

/// `3 high` in English, `高 3` in Japanese.
fn pair(count: usize, name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{count} {name}"),
        Lang::Ja => format!("{name} {count}"),
    }
}

fn comma(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ", ",
        Lang::Ja => "、",
    }
}

fn count(noun: Noun, lang: Lang, n: usize) -> String {
    noun.count(lang, n as u64)
}

fn write_parts(out: &mut dyn Write, parts: &[String], lang: Lang) -> io::Result<()> {
    if parts.is_empty() {
        Ok(())
    } else {
        match lang {
            Lang::En => write!(out, " ({})", parts.join(", ")),
            Lang::Ja => write!(out, "（{}）", parts.join("、")),
        }
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
            assert!(i18n::display_width(line) <= WIDTH, "{line:?}");
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
    fn japanese_wraps_between_characters_within_the_width() {
        let text = "ホストが侵害されたものとして扱ってください。(3) すべてのユーザーのパスワードを推測されにくいものに変更し、\
                    (4) シャドウパスワードを使用し、(1) sendmail を更新し、.rhosts と hosts.equiv から '+ +' を削除してください。";
        let out = wrapped(text, 20);
        assert!(out.lines().count() >= 2, "{out}");
        for line in out.lines() {
            assert!(i18n::display_width(line) <= WIDTH, "{line:?}");
            let body = line.trim_start();
            assert!(
                !body.starts_with('、') && !body.starts_with('。'),
                "{line:?}"
            );
        }
        let joined: String = out.split_whitespace().collect();
        assert_eq!(joined, text.split_whitespace().collect::<String>());
    }

    #[test]
    fn cutting_counts_characters_not_bytes() {
        assert_eq!(cut_chars("日本語テキスト", 3), ("日本語", 4));
        assert_eq!(cut_chars("short", 10), ("short", 0));
        assert_eq!(cut_chars("", 0), ("", 0));
    }

    #[test]
    fn plural_forms() {
        assert_eq!(count(msg::HOSTS, Lang::En, 0), "0 hosts");
        assert_eq!(count(msg::HOSTS, Lang::En, 1), "1 host");
        assert_eq!(count(msg::MORE_LINE, Lang::En, 2), "2 more lines");
        assert_eq!(count(msg::HOSTS, Lang::Ja, 2), "ホスト 2 台");
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
        en: "Reinstall the host from trusted media (the vendor's installation media and packages), not from this disk or from backups made after the intrusion; bring data back only after checking it, and apply the fixes of advisory steps 1-4 before reconnecting (advisory step 5).",
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
    pub const JOURNAL: Text = Text {
        en: "systemd journal",
        ja: "systemd のジャーナル",
    };
    pub const AUDIT_LOGS: Text = Text {
        en: "Linux audit logs",
        ja: "Linux の監査ログ（audit.log）",
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
        kensa_core::Area::Journal => t::JOURNAL,
        kensa_core::Area::AuditLogs => t::AUDIT_LOGS,
        kensa_core::Area::HostConfiguration => t::HOST_CONFIGURATION,
        kensa_core::Area::RunningSystem => t::RUNNING_SYSTEM,
    }
}

/// A labelled assessment line: the label in the field column, the text wrapped after it.
fn write_assessment_field(
    out: &mut dyn Write,
    label: &str,
    lang: Lang,
    text: &str,
) -> io::Result<()> {
    let width = label_width(lang).max(i18n::display_width(label) + 1);
    let pad = width - i18n::display_width(label);
    write!(out, "{FIELD_INDENT}{label}{:pad$}", "")?;
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
        FINDING_INDENT.len() + 1 + i18n::display_width(t::HEADING.get(lang)),
    )?;
    if !assessment.reasons.is_empty() {
        write_assessment_field(
            out,
            t::BECAUSE.get(lang),
            lang,
            &assessment.reasons.join(", "),
        )?;
    }
    if assessment.rebuild {
        write_assessment_field(out, t::REBUILD_LABEL.get(lang), lang, t::REBUILD.get(lang))?;
        match &assessment.change_passwords {
            Some(accounts) => {
                let mut text = t::PASSWORDS_LISTED.fill(lang, &[("count", &accounts.len())]);
                let shown_accounts: Vec<Cow<'_, str>> = accounts
                    .iter()
                    .map(|name| shown(name, options.verbose, lang))
                    .collect();
                text.push(' ');
                text.push_str(&shown_accounts.join(", "));
                write_assessment_field(out, t::PASSWORDS_LABEL.get(lang), lang, &text)?;
            }
            None => write_assessment_field(
                out,
                t::PASSWORDS_LABEL.get(lang),
                lang,
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
    write_assessment_field(
        out,
        t::EXAMINED.get(lang),
        lang,
        &list(&assessment.examined),
    )?;
    write_assessment_field(
        out,
        t::NOT_EXAMINED.get(lang),
        lang,
        &list(&assessment.not_examined),
    )?;
    writeln!(out)
}
