//! The HTML report: one self-contained page to hand to a manager, attach to a ticket or
//! print, with the charts that make a year-end's worth of attacks readable at a glance.
//!
//! The page answers in the text report's order: per host, most urgent first, the verdict
//! and what it means in the advisory's terms; then an overview — a timeline of attack
//! events per hour by kind over the whole period (New Year's Day marked on the axis),
//! the top source addresses and the accounts targeted — and then the findings grouped by
//! severity, each with who, when, how often, the evidence lines with file and line, and
//! what to do. Diagnostics close the page, because a clean verdict over unreadable logs is
//! not a clean verdict.
//!
//! **Self-contained and inert.** One file: the style sheet is inline, the charts are
//! inline SVG drawn here (see `chart.rs`), there is no script, no font, no image and no
//! link to fetch. A Content-Security-Policy meta tag ([`CSP`]) forbids everything but the
//! inline style, so even a string that escaped escaping could neither run nor load
//! anything; and every string from the audited host is escaped (see `escape.rs`: control
//! characters made visible as in the terminal, then HTML's special characters).
//!
//! **Bounded.** The writer streams: per host it first sums what the charts need (maps
//! bounded by the distinct hours, sources and accounts of that host's findings), then
//! writes each finding as it goes. A finding shows its first [`MAX_EVIDENCE`] evidence
//! lines, each cut at [`LINE_CHARS`] characters: a report of a flood must still open in
//! a browser. The JSON report carries everything.
//!
//! **Print.** A print style sheet drops the navigation, starts each host on a new page,
//! keeps a finding on one page where it fits, and keeps the chart colours.

mod chart;
mod escape;
mod messages;

use crate::i18n::Lang;
use escape::{cut, html};
use kensa_core::{DiagnosticLevel, Finding, HostReport, Kind, Outcome, Report, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The page's Content-Security-Policy: nothing may load or run; only the inline style
/// sheet applies. (`style-src 'unsafe-inline'` allows inline style, not script.)
pub(crate) const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
/// Evidence lines shown per finding.
pub(crate) const MAX_EVIDENCE: usize = 50;
/// Characters of one evidence line (or any other string) shown.
pub(crate) const LINE_CHARS: usize = 2000;
/// Users listed per finding.
const USERS_SHOWN: usize = 20;

const STYLE: &str = include_str!("style.css");

/// Writes the whole page.
pub(crate) fn write(report: &Report, lang: Lang, out: &mut dyn Write) -> io::Result<()> {
    let title = messages::TITLE.get(lang);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"kensa {}\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        html(report.kensa_version),
        html(title),
    )?;
    let findings: usize = report.hosts.iter().map(|h| h.findings.len()).sum();
    writeln!(out, "<header>\n<h1>{}</h1>", html(title))?;
    writeln!(
        out,
        "<p class=\"summary\">{}</p>",
        html(&messages::SUMMARY.fill(
            lang,
            &[
                ("hosts", &report.hosts.len()),
                ("findings", &findings),
                ("diagnostics", &report.diagnostics.len()),
            ],
        ))
    )?;
    writeln!(
        out,
        "<p class=\"note\">{}</p>\n</header>",
        html(&messages::GENERATED_BY.fill(lang, &[("version", &report.kensa_version)]))
    )?;
    let mut hosts: Vec<&HostReport> = report.hosts.iter().collect();
    hosts.sort_by_key(|host| std::cmp::Reverse(host.verdict));
    if hosts.is_empty() {
        writeln!(
            out,
            "<p class=\"empty\">{}</p>",
            html(messages::NO_HOST.get(lang))
        )?;
    } else {
        writeln!(
            out,
            "<nav>\n<h2>{}</h2>\n<ul>",
            html(messages::HOSTS.get(lang))
        )?;
        for (index, host) in hosts.iter().enumerate() {
            writeln!(
                out,
                "<li><a href=\"#host-{}\">{}</a> <span class=\"verdict v-{}\">{}</span> {}</li>",
                index + 1,
                host_name(host, lang),
                host.verdict.as_str(),
                html(messages::verdict(host.verdict).get(lang)),
                html(&messages::FINDINGS_OF_HOST.fill(lang, &[("count", &host.findings.len())])),
            )?;
        }
        writeln!(out, "</ul>\n</nav>")?;
    }
    let unread_inputs = report
        .diagnostics
        .iter()
        .filter(|d| d.level >= DiagnosticLevel::Warning)
        .count();
    for (index, host) in hosts.iter().enumerate() {
        write_host(out, host, index + 1, unread_inputs, lang)?;
    }
    write_diagnostics(out, report, lang)?;
    writeln!(out, "</body>\n</html>")
}

fn host_name(host: &HostReport, lang: Lang) -> String {
    if host.host.is_empty() {
        html(messages::NO_HOST_NAME.get(lang))
    } else {
        shown(&host.host, lang)
    }
}

/// `text` escaped and cut at [`LINE_CHARS`] characters, with a note of what was cut.
fn shown(text: &str, lang: Lang) -> String {
    match cut(text, LINE_CHARS) {
        (kept, 0) => html(kept),
        (kept, dropped) => format!(
            "{}<span class=\"cut\">{}</span>",
            html(kept),
            html(&messages::CUT.fill(lang, &[("count", &dropped)]))
        ),
    }
}

/// The title of a finding in `lang`.
fn finding_title(finding: &Finding, lang: Lang) -> &str {
    finding.title_in(lang)
}

fn finding_advice(finding: &Finding, lang: Lang) -> &str {
    finding.advice_in(lang)
}

fn write_host(
    out: &mut dyn Write,
    host: &HostReport,
    number: usize,
    unread_inputs: usize,
    lang: Lang,
) -> io::Result<()> {
    let verdict = host.verdict.as_str();
    writeln!(
        out,
        "<section class=\"host v-{verdict}\" id=\"host-{number}\">\n<h2><span class=\"name\">{}</span> <span class=\"verdict v-{verdict}\">{}</span></h2>",
        host_name(host, lang),
        html(messages::verdict(host.verdict).get(lang)),
    )?;
    let succeeded = host
        .findings
        .iter()
        .any(|f| f.outcome == Outcome::Succeeded);
    writeln!(
        out,
        "<p class=\"meaning\">{}</p>",
        html(messages::verdict_meaning(host.verdict, succeeded).get(lang))
    )?;
    if host.findings.is_empty() {
        if unread_inputs > 0 {
            writeln!(
                out,
                "<p class=\"warning\">{}</p>",
                html(&messages::UNREAD_WARNING.fill(lang, &[("count", &unread_inputs)]))
            )?;
        }
        write_accepted(out, host, lang)?;
        return writeln!(out, "</section>");
    }
    write_overview(out, host, lang)?;
    let mut findings: Vec<&Finding> = host.findings.iter().collect();
    findings.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    let mut buffer = String::new();
    for severity in Severity::ALL.into_iter().rev() {
        let group: Vec<&&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(
            out,
            "<h3 class=\"sev-head sev-{}\">{} ({})</h3>",
            severity.as_str(),
            html(messages::severity(severity).get(lang)),
            group.len()
        )?;
        for finding in group {
            buffer.clear();
            write_finding(&mut buffer, finding, lang);
            out.write_all(buffer.as_bytes())?;
        }
    }
    write_accepted(out, host, lang)?;
    writeln!(out, "</section>")
}

/// The findings an allow list accepted, each with the reason and the entry.
fn write_accepted(out: &mut dyn Write, host: &HostReport, lang: Lang) -> io::Result<()> {
    use crate::i18n::msg;
    if host.accepted.is_empty() {
        return Ok(());
    }
    let heading = msg::ACCEPTED.fill(lang, &[("n", &host.accepted.len())]);
    writeln!(
        out,
        "<h3 class=\"accepted\">{}</h3>\n<ul class=\"accepted\">",
        html(&heading)
    )?;
    for accepted in &host.accepted {
        let finding = &accepted.finding;
        writeln!(
            out,
            "<li><code>{}</code> {} — {} <span class=\"origin\">({})</span></li>",
            html(finding.code),
            shown(finding.subject.path.as_deref().unwrap_or(""), lang),
            shown(&accepted.reason, lang),
            shown(&accepted.allowed_by, lang),
        )?;
    }
    writeln!(out, "</ul>")
}

/// The charts of one host: sums over its findings, then the SVG.
fn write_overview(out: &mut dyn Write, host: &HostReport, lang: Lang) -> io::Result<()> {
    let mut timeline = chart::Timeline::default();
    let mut sources: BTreeMap<String, u64> = BTreeMap::new();
    let mut accounts: BTreeMap<String, u64> = BTreeMap::new();
    for finding in &host.findings {
        // Attacks and intrusion traces; configuration exposures have no events.
        if finding.outcome == Outcome::Exposure {
            continue;
        }
        for evidence in &finding.evidence {
            if let Some(time) = evidence.time {
                let local = time.epoch_seconds() + i64::from(time.offset.seconds());
                timeline.add(local, finding.kind);
            }
        }
        if let Some(source) = &finding.subject.source {
            *sources.entry(source.clone()).or_default() += finding.count.max(1);
        }
        if attacks_accounts(finding.kind) {
            for user in &finding.subject.users {
                *accounts.entry(user.clone()).or_default() += 1;
            }
        }
    }
    let mut svg = String::new();
    writeln!(
        svg,
        "<h3>{}</h3>\n<div class=\"charts\">",
        html(messages::CHARTS.get(lang))
    )
    .ok();
    chart::write_timeline(&mut svg, &timeline, lang);
    chart::write_bars(&mut svg, messages::TOP_SOURCES, &sources, "#c0392b", lang);
    chart::write_bars(&mut svg, messages::ACCOUNTS, &accounts, "#1f5fa8", lang);
    svg.push_str("</div>\n");
    out.write_all(svg.as_bytes())
}

/// Whether a finding's users are accounts an attacker went after (rather than, say, the
/// owner of a file a check looked at).
fn attacks_accounts(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::PasswordGuessing
            | Kind::AccountProbing
            | Kind::SendmailExploit
            | Kind::RemoteRootLogin
    )
}

fn write_finding(out: &mut String, finding: &Finding, lang: Lang) {
    let severity = finding.severity;
    let _ = writeln!(
        out,
        "<article class=\"finding sev-{}\">\n<h4><span class=\"sev\">{}</span> <code class=\"code\">{}</code> {}</h4>",
        severity.as_str(),
        html(messages::severity(severity).get(lang)),
        html(finding.code),
        shown(finding_title(finding, lang), lang),
    );
    let _ = writeln!(out, "<dl class=\"fields\">");
    let field = |out: &mut String, label: crate::i18n::Text, value: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{value}</dd>", html(label.get(lang)));
    };
    let subject = &finding.subject;
    if let Some(source) = &subject.source {
        field(out, messages::SOURCE, &shown(source, lang));
    }
    if !subject.users.is_empty() {
        let mut users: Vec<String> = subject
            .users
            .iter()
            .take(USERS_SHOWN)
            .map(|user| {
                if user.is_empty() {
                    "<code>\"\"</code>".to_string()
                } else {
                    format!("<code>{}</code>", shown(user, lang))
                }
            })
            .collect();
        let hidden = subject.users.len().saturating_sub(USERS_SHOWN);
        if hidden > 0 {
            users.push(html(
                &messages::MORE_USERS.fill(lang, &[("count", &hidden)]),
            ));
        }
        field(out, messages::USERS, &users.join(", "));
    }
    if let Some(path) = &subject.path {
        field(
            out,
            messages::PATH,
            &format!("<code>{}</code>", shown(path, lang)),
        );
    }
    if let Some(message_id) = &subject.message_id {
        field(
            out,
            messages::MESSAGE_ID,
            &format!("<code>{}</code>", shown(message_id, lang)),
        );
    }
    match (finding.first_seen, finding.last_seen) {
        (Some(first), Some(last)) if first != last => field(
            out,
            messages::TIME,
            &html(&messages::TIME_SPAN.fill(lang, &[("first", &first), ("last", &last)])),
        ),
        (Some(time), _) | (None, Some(time)) => {
            field(out, messages::TIME, &html(&time.to_string()))
        }
        (None, None) => {}
    }
    if finding.count > 0 {
        field(out, messages::COUNT, &finding.count.to_string());
    }
    field(
        out,
        messages::KIND,
        &format!(
            "{} <span class=\"vocab\">({} / {})</span>",
            html(messages::kind(finding.kind).get(lang)),
            finding.kind.as_str(),
            finding.outcome.as_str()
        ),
    );
    let _ = writeln!(out, "</dl>");
    if !finding.evidence.is_empty() {
        let _ = writeln!(
            out,
            "<table class=\"evidence\">\n<caption>{}</caption>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
            html(messages::EVIDENCE.get(lang)),
            html(messages::FILE.get(lang)),
            html(messages::LINE.get(lang)),
            html(messages::TIME.get(lang)),
            html(messages::TEXT.get(lang)),
        );
        for evidence in finding.evidence.iter().take(MAX_EVIDENCE) {
            let line = if evidence.line > 0 {
                evidence.line.to_string()
            } else {
                String::new()
            };
            let time = evidence.time.map(|t| t.to_string()).unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td class=\"file\">{}</td><td class=\"line\">{line}</td><td class=\"time\">{}</td><td class=\"text\">{}",
                shown(&evidence.file, lang),
                html(&time),
                shown(evidence.text_in(lang), lang),
            );
            if evidence.raw_hex.is_some() {
                let _ = write!(
                    out,
                    " <span class=\"cut\">[{}]</span>",
                    html(messages::NOT_UTF8.get(lang))
                );
            }
            let _ = writeln!(out, "</td></tr>");
        }
        let _ = writeln!(out, "</tbody>\n</table>");
        let hidden = finding.evidence.len().saturating_sub(MAX_EVIDENCE);
        if hidden > 0 {
            let _ = writeln!(
                out,
                "<p class=\"more\">{}</p>",
                html(&messages::MORE_EVIDENCE.fill(lang, &[("count", &hidden)]))
            );
        }
    }
    let advice = finding_advice(finding, lang);
    if !advice.trim().is_empty() {
        // Advice is kensa's own text; its line breaks are kept, each line escaped.
        let lines: Vec<String> = advice.lines().map(|line| shown(line, lang)).collect();
        let _ = writeln!(
            out,
            "<p class=\"advice\"><strong>{}:</strong> {}</p>",
            html(messages::ADVICE.get(lang)),
            lines.join("<br>\n")
        );
    }
    let _ = writeln!(out, "</article>");
}

fn write_diagnostics(out: &mut dyn Write, report: &Report, lang: Lang) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"diagnostics\" id=\"diagnostics\">\n<h2>{}</h2>",
        html(messages::DIAGNOSTICS.get(lang))
    )?;
    if report.diagnostics.is_empty() {
        writeln!(out, "<p>{}</p>", html(messages::NO_DIAGNOSTICS.get(lang)))?;
        return writeln!(out, "</section>");
    }
    writeln!(
        out,
        "<table class=\"diagnostics\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        html(messages::LEVEL.get(lang)),
        html(messages::FILE.get(lang)),
        html(messages::LINE.get(lang)),
        html(messages::MESSAGE.get(lang)),
    )?;
    let mut row = String::new();
    for diagnostic in &report.diagnostics {
        row.clear();
        let level = match diagnostic.level {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Note => "note",
        };
        let _ = writeln!(
            row,
            "<tr class=\"{level}\"><td>{}</td><td class=\"file\">{}</td><td class=\"line\">{}</td><td>{}</td></tr>",
            html(messages::diagnostic_level(diagnostic.level).get(lang)),
            shown(&diagnostic.file, lang),
            diagnostic.line.map(|l| l.to_string()).unwrap_or_default(),
            shown(&diagnostic.message, lang),
        );
        out.write_all(row.as_bytes())?;
    }
    writeln!(out, "</tbody>\n</table>\n</section>")
}

/// Verdicts by urgency, for tests that check the page order.
#[cfg(test)]
fn verdict_order(page: &str) -> Vec<kensa_core::Verdict> {
    use kensa_core::Verdict;
    [
        Verdict::Compromised,
        Verdict::Attacked,
        Verdict::Exposed,
        Verdict::Clean,
    ]
    .into_iter()
    .filter_map(|v| {
        page.find(&format!("<section class=\"host v-{}\"", v.as_str()))
            .map(|at| (at, v))
    })
    .collect::<std::collections::BTreeMap<_, _>>()
    .into_values()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kensa_core::Verdict;

    #[test]
    fn every_message_has_both_languages_and_the_same_placeholders() {
        for text in messages::all() {
            assert!(
                !text.en.trim().is_empty() && !text.ja.trim().is_empty(),
                "{text:?}"
            );
            assert_ne!(text.en, text.ja, "{text:?} is not translated");
            let placeholders = |s: &str| {
                let mut names: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                    .collect();
                names.sort();
                names
            };
            assert_eq!(placeholders(text.en), placeholders(text.ja), "{text:?}");
        }
    }

    #[test]
    fn the_style_sheet_has_no_way_out() {
        // Nothing the policy would block and nothing that fetches.
        for forbidden in ["url(", "@import", "expression(", "<"] {
            assert!(!STYLE.contains(forbidden), "{forbidden}");
        }
        assert!(STYLE.contains("@media print"));
    }

    #[test]
    fn hosts_come_most_urgent_first() {
        use kensa_core::Report;
        // Given in the wrong order: the writer, not the caller, puts urgency first.
        let mut hosts = kensa_core::host_reports(Vec::new(), &["a".into(), "b".into()]);
        hosts[1].verdict = Verdict::Exposed;
        let report = Report::new("t", hosts, Vec::new());
        let mut out = Vec::new();
        write(&report, Lang::En, &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert_eq!(verdict_order(&page), vec![Verdict::Exposed, Verdict::Clean]);
    }
}
