//! The HTML output: snapshots in both languages, the page's guarantees (one file, no
//! script, nothing fetched, a strict Content-Security-Policy, printable), hostile strings
//! rendered as inert text, and the charts (a timeline across New Year, top sources,
//! accounts). The browser test in `crates/kensa/tests/browser.rs` opens such pages in a
//! real headless Chromium.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{SM001, assert_snapshot, jst, render, sample_report};
use kensa_core::{Diagnostic, DiagnosticLevel, Evidence, Finding, Localized, Report, host_reports};
use kensa_report::i18n::Lang;
use kensa_report::{Format, TextOptions};

fn page(report: &Report, lang: Lang) -> String {
    render(
        report,
        Format::Html,
        &TextOptions {
            lang,
            ..TextOptions::default()
        },
    )
}

#[test]
fn snapshots_in_both_languages() {
    assert_snapshot("report.html", &page(&sample_report(), Lang::En));
    assert_snapshot("report-ja.html", &page(&sample_report(), Lang::Ja));
}

/// Every tag name in `page` (`<name` and `</name`), lowercased.
fn tags(page: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        let after = rest[at + 1..].trim_start_matches('/');
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        out.insert(name.to_ascii_lowercase());
        rest = &rest[at + 1..];
    }
    out
}

const ALLOWED_TAGS: &[&str] = &[
    "!doctype",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "nav",
    "ul",
    "li",
    "a",
    "span",
    "section",
    "div",
    "figure",
    "figcaption",
    "svg",
    "line",
    "text",
    "rect",
    "g",
    "article",
    "code",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "br",
];

#[test]
fn the_page_is_self_contained_and_strict() {
    let page = page(&sample_report(), Lang::En);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.ends_with("</html>\n"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">"
    ));
    for tag in tags(&page) {
        assert!(ALLOWED_TAGS.contains(&tag.as_str()), "unexpected <{tag}>");
    }
    // Nothing to fetch: no src, no external link, no url() in the style.
    assert!(!page.contains("src="));
    assert!(!page.contains("url("));
    for (at, _) in page.match_indices("href=\"") {
        assert!(
            page[at + 6..].starts_with("#host-"),
            "{}",
            &page[at..at + 40]
        );
    }
    assert!(page.contains("@media print"));
    // Verdict first, then the findings, most severe first.
    let verdict = page
        .find("<span class=\"verdict v-compromised\">COMPROMISED</span></h2>")
        .unwrap();
    let critical = page.find("<h3 class=\"sev-head sev-critical\">").unwrap();
    let high = page.find("<h3 class=\"sev-head sev-high\">").unwrap();
    let medium = page.find("<h3 class=\"sev-head sev-medium\">").unwrap();
    assert!(verdict < critical && critical < high && high < medium);
}

#[test]
fn the_charts_span_new_year_and_name_sources_and_accounts() {
    let page = page(&sample_report(), Lang::En);
    // mailhub's events run from 1996-12-28 to 1997-01-01.
    assert!(
        page.contains("Attack events per hour, by kind (1996-12-28 03:00 to 1997-01-01 00:00)"),
        "{page}"
    );
    assert!(page.contains(">1996-12-28</text>"));
    assert!(page.contains("new-year\" x="));
    assert!(page.contains(">1997-01-01</text>"));
    // 10 + 2 sendmail lines, 2 guessing lines.
    assert!(page.contains("sendmail exploit (12)"));
    assert!(page.contains("password guessing (2)"));
    // Top sources weighted by events: 198.51.100.23 (57) before evil.example.net (10).
    let guesser = page.find("<title>198.51.100.23: 57</title>").unwrap();
    let sender = page.find("<title>evil.example.net: 10</title>").unwrap();
    assert!(guesser < sender);
    assert!(page.contains("<title>root: 1</title>"));
}

const INJECTED_USER: &str =
    "<script>document.title='pwned'</script>\x1b[31mroot\x1b[0m\x1b]0;owned\x07\u{202e}";

fn injection_report() -> Report {
    let mut finding = Finding::new(&SM001, "mail<b>hub</b>");
    let title = "title <img src=x onerror=alert(1)>".to_string();
    finding.set_title(Localized {
        en: title.clone(),
        ja: title,
    });
    finding.subject.source = Some("\"><svg onload=alert(2)>".into());
    finding.subject.users = vec![INJECTED_USER.into()];
    finding.count = 3;
    let line = format!("Dec 31 23:00:00 mailhub login: FAILED LOGIN FOR {INJECTED_USER} FROM x");
    finding.push_evidence(Evidence::from_line(
        "var/adm/<i>messages</i>",
        1,
        0,
        line.as_bytes(),
        Some(jst("1996-12-31T23:00:00")),
    ));
    Report {
        kensa_version: "0.1.0-test",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: vec![Diagnostic::say(
            DiagnosticLevel::Error,
            "<style>*{display:none}</style>",
            Some(2),
            Localized {
                en: "</td></tr></table><script>alert(3)</script>".into(),
                ja: "</td></tr></table><script>alert(3)</script>".into(),
            },
        )],
        run: None,
    }
}

#[test]
fn hostile_strings_are_text_not_markup() {
    for lang in [Lang::En, Lang::Ja] {
        let page = page(&injection_report(), lang);
        for tag in tags(&page) {
            assert!(ALLOWED_TAGS.contains(&tag.as_str()), "<{tag}> in\n{page}");
        }
        assert_eq!(
            page.matches("<style>").count(),
            1,
            "only the page's own style"
        );
        // Every literal '<' starts one of kensa's own tags: none has an event handler.
        for tag in page.split('<').skip(1) {
            let inside = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
            assert!(!inside.contains(" on"), "<{inside}>");
        }
        assert!(!page.contains('\x1b') && !page.contains('\x07') && !page.contains('\u{202e}'));
        // The payloads are shown, escaped, where they came from.
        assert!(page.contains(
            "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;\\x1b[31mroot\\x1b[0m\\x1b]0;owned\\x07\\u{202e}"
        ));
        assert!(page.contains("mail&lt;b&gt;hub&lt;/b&gt;"));
        assert!(page.contains("&quot;&gt;&lt;svg onload=alert(2)&gt;"));
        assert!(page.contains("var/adm/&lt;i&gt;messages&lt;/i&gt;"));
        assert!(page.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(3)"));
    }
}

#[test]
fn japanese_page_has_japanese_messages() {
    let page = page(&sample_report(), Lang::Ja);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert!(page.contains("侵害あり"));
    assert!(page.contains("種類別・1時間ごとの攻撃イベント"));
    assert!(page.contains("攻撃元アドレス上位"));
    assert!(page.contains("診断メッセージ"));
}

#[test]
fn long_evidence_is_cut_and_floods_are_bounded() {
    let mut finding = Finding::new(&SM001, "mailhub");
    for line in 1..=120u64 {
        let text = if line == 1 {
            "A".repeat(10_000)
        } else {
            format!("line {line}")
        };
        finding.push_evidence(Evidence::from_line(
            "var/log/syslog",
            line,
            0,
            text.as_bytes(),
            // Fifty years apart: the timeline must not draw 400 000 hourly bars.
            Some(jst(if line % 2 == 0 {
                "1970-01-02T00:00:00"
            } else {
                "2020-01-01T00:00:00"
            })),
        ));
    }
    let report = Report {
        kensa_version: "t",
        hosts: host_reports(vec![finding], &[]),
        diagnostics: Vec::new(),
        run: None,
    };
    let page = page(&report, Lang::En);
    assert!(page.contains("... (+8000 chars)"), "cut at 2000 characters");
    assert!(page.contains("... and 70 more lines (the JSON report has all of them)"));
    assert_eq!(page.matches("<td class=\"line\">").count(), 50);
    assert!(page.len() < 200_000, "{} bytes", page.len());
    assert!(page.contains("Attack events per "), "coarser buckets");
    assert!(!page.contains("Attack events per hour"));
}

#[test]
fn a_report_without_hosts_or_findings_is_a_page_too() {
    let report = Report {
        kensa_version: "t",
        hosts: host_reports(Vec::new(), &["www".to_string()]),
        diagnostics: vec![Diagnostic::say(
            DiagnosticLevel::Warning,
            "var/log/x.gz",
            None,
            kensa_core::tr!("truncated", "途切れています"),
        )],
        run: None,
    };
    let page = page(&report, Lang::En);
    assert!(page.contains("<span class=\"verdict v-clean\">CLEAN</span></h2>"));
    assert!(page.contains("1 input(s) could not be read in full"));
    assert!(!page.contains("<svg"), "no chart without findings");
    let empty = Report {
        kensa_version: "t",
        hosts: Vec::new(),
        diagnostics: Vec::new(),
        run: None,
    };
    assert!(self::page(&empty, Lang::En).contains("No host in this report"));
}
