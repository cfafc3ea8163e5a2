//! SARIF and HTML end to end: snapshots of both on the example host and on a small
//! generated corpus, the SARIF validated against the official 2.1.0 schema and the JSON
//! against the repository's, an injection fixture (a user name with `<script>` and ANSI
//! escapes in a real sshd log) rendered inert by the text, HTML and SARIF writers, and
//! the browser test: headless Chromium opens the HTML reports, must log no console error,
//! CSP violation or blocked resource, must not run the injected script, and leaves a
//! screenshot under `target/tmp/browser/`.
//!
//! Snapshots live in `tests/snapshots/`; `UPDATE_SNAPSHOTS=1` rewrites them (review the
//! diff: a new detector changes the example host's reports).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::assert_snapshot;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");
const SARIF_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kensa-report/tests/fixtures/sarif/sarif-schema-2.1.0.json"
);
const JSON_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/schema/report-v1.schema.json"
);

/// Runs kensa and returns its standard output; exit status 1 (findings) expected.
fn report(args: &[&str]) -> String {
    let out = common::kensa(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "kensa {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

fn sarif_errors(document: &Value) -> Vec<String> {
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(SARIF_SCHEMA).unwrap()).unwrap();
    // The official schema's stray `]` in its two `language` patterns, escaped (see
    // kensa-report/tests/sarif.rs).
    for owner in ["run", "toolComponent"] {
        schema["definitions"][owner]["properties"]["language"]["pattern"] =
            "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
    }
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("SARIF schema");
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn json_errors(document: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(JSON_SCHEMA).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("report schema");
    validator
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn example_host_sarif() {
    let sarif = report(&["triage", "--root", EXAMPLE, "--format", "sarif", "-q"]);
    assert_snapshot("sunos-1997.sarif", &sarif);
    let document: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&document), Vec::<String>::new());
    let run = &document["runs"][0];
    // Every rule of kensa is described, with its documentation.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let listed = common::kensa(&["rules"]);
    let catalogue = String::from_utf8(listed.stdout).unwrap().lines().count() - 1;
    assert_eq!(rules.len(), catalogue);
    assert!(rules.iter().all(|r| {
        r["help"]["markdown"]
            .as_str()
            .is_some_and(|doc| doc.contains("What it finds"))
    }));
    // The sendmail attack that succeeded on New Year's Eve points at its log lines.
    let delivered = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ruleId"] == "SM002" && r["properties"]["firstSeen"] == "1996-12-31T23:59:58+09:00"
        })
        .expect("SM002 of Dec 31");
    let location = &delivered["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "var/adm/messages.0");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "AUDITED_ROOT");
    assert!(location["region"]["startLine"].as_u64().unwrap() > 0);
    assert_eq!(delivered["properties"]["host"], "mailhub");
}

#[test]
fn example_host_json_matches_the_repository_schema() {
    let json = report(&["triage", "--root", EXAMPLE, "--format", "json", "-q"]);
    let document: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json_errors(&document), Vec::<String>::new());
}

#[test]
fn example_host_html() {
    let html = report(&["triage", "--root", EXAMPLE, "--format", "html", "-q"]);
    assert_snapshot("sunos-1997.html", &html);
    assert!(html.contains("<span class=\"verdict v-compromised\">COMPROMISED</span></h2>"));
    // The timeline crosses New Year and marks it.
    assert!(html.contains(">1997-01-01</text>"), "no New Year label");
    assert!(html.contains("1996-12-31 23:00 — sendmail exploit"));
}

#[test]
fn generated_corpus_sarif_and_html() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("c");
    common::generate_corpus(
        &shared,
        &root,
        &[
            "--size",
            "100K",
            "--hosts",
            "10",
            "--days",
            "12",
            "--start",
            "1996-12-24",
            "--layout",
            "sunos",
            "--jobs",
            "1",
        ],
    );
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    let root = root.to_str().unwrap();
    let sarif = report(&["scan", "--root", root, "--format", "sarif", "-q"]);
    let document: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&document), Vec::<String>::new());
    assert!(document["runs"][0]["results"].as_array().unwrap().len() > 3);
    assert_snapshot("gen-corpus.sarif", &sarif);
    let html = report(&["scan", "--root", root, "--format", "html", "-q"]);
    assert_snapshot("gen-corpus.html", &html);
    assert!(
        html.matches("<section class=\"host ").count() > 1,
        "many hosts"
    );
}

/// The user name an attacker gives sshd: markup that would retitle the page if it ran,
/// colour escapes and an OSC window-title sequence for the terminal.
const INJECTED_USER: &str =
    "<script>document.title='pwned'</script>\x1b[31mroot\x1b[0m\x1b]0;owned\x07";

/// A root whose auth.log holds a burst of failed sshd logins for the injected user.
fn injection_root(dir: &Path) -> PathBuf {
    let root = dir.join("victim");
    std::fs::create_dir_all(root.join("var/log")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/hostname"), "victim\n").unwrap();
    std::fs::write(root.join("etc/timezone"), "Asia/Tokyo\n").unwrap();
    let mut log = String::new();
    for i in 0..12 {
        log.push_str(&format!(
            "Dec 31 23:5{}:{:02} victim sshd[{}]: Failed password for invalid user {INJECTED_USER} from 203.0.113.9 port {} ssh2\n",
            i / 10,
            i % 10 * 5,
            4000 + i,
            40000 + i
        ));
    }
    std::fs::write(root.join("var/log/auth.log"), log).unwrap();
    root
}

fn scan_injection(root: &Path, format: &str) -> String {
    report(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--year",
        "1996",
        "--format",
        format,
        "-q",
    ])
}

#[test]
fn the_injection_is_inert_in_text_html_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let root = injection_root(dir.path());
    let text = scan_injection(&root, "text");
    assert!(text.contains("LG001"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains(
        "<script>document.title='pwned'</script>\\x1b[31mroot\\x1b[0m\\x1b]0;owned\\x07"
    ));
    let html = scan_injection(&root, "html");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains('\x1b') && !html.contains('\x07'));
    assert!(
        html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;\\x1b[31mroot")
    );
    let sarif = scan_injection(&root, "sarif");
    assert!(!sarif.contains('\x1b') && !sarif.contains('\x07'));
    let document: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif_errors(&document), Vec::<String>::new());
    // JSON readers get the user name back exactly.
    assert_eq!(
        document["runs"][0]["results"][0]["properties"]["subject"]["users"][0],
        INJECTED_USER
    );
}

/// What Chromium printed: the DOM after load, and its log.
struct BrowserRun {
    dom: String,
    log: String,
}

/// Whether Chromium is here; `None` (after saying so) when not and CI does not require it.
fn chromium() -> Option<&'static str> {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(name);
        }
    }
    assert!(
        std::env::var_os("CI").is_none() && std::env::var_os("KENSA_REQUIRE_SHARED").is_none(),
        "CI or KENSA_REQUIRE_SHARED is set but chromium is not installed (.ci/run installs it)"
    );
    println!("skipped: chromium not found");
    None
}

/// Opens `page` in headless Chromium: once for the DOM (with logging on), once for a
/// screenshot saved as `shot`.
fn open(browser: &str, page: &Path, shot: &Path) -> BrowserRun {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", page.display());
    let common = [
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let run = |extra: &[String]| {
        let out = Command::new("timeout")
            .arg("120")
            .arg(browser)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let dumped = run(&["--dump-dom".to_string()]);
    let shot_run = run(&[
        format!("--screenshot={}", shot.display()),
        "--window-size=1280,2400".to_string(),
        "--hide-scrollbars".to_string(),
    ]);
    BrowserRun {
        dom: String::from_utf8_lossy(&dumped.stdout).into_owned(),
        log: format!(
            "{}{}",
            String::from_utf8_lossy(&dumped.stderr),
            String::from_utf8_lossy(&shot_run.stderr)
        ),
    }
}

/// Log lines that mean the page did something wrong: console messages (errors and CSP
/// violation reports land there), refused or failed loads.
fn page_problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| {
            line.contains("CONSOLE")
                || line.contains("Refused to")
                || line.contains("Content Security Policy")
                || line.contains("net::ERR_")
        })
        .collect()
}

#[test]
fn chromium_opens_the_reports_cleanly_and_the_injection_stays_inert() {
    let Some(browser) = chromium() else { return };
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&shots).unwrap();
    let dir = tempfile::tempdir().unwrap();

    // First prove the log check can fail here: a page whose inline script the same CSP
    // blocks must be reported.
    let canary = dir.path().join("canary.html");
    std::fs::write(
        &canary,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'\"><title>canary</title></head><body>\
         <script>document.title='ran'</script></body></html>",
    )
    .unwrap();
    let run = open(browser, &canary, &shots.join("canary.png"));
    assert!(
        !page_problems(&run.log).is_empty(),
        "a CSP violation went unnoticed; log:\n{}",
        run.log
    );
    assert!(run.dom.contains("<title>canary</title>"));

    let example = dir.path().join("example.html");
    std::fs::write(
        &example,
        report(&["triage", "--root", EXAMPLE, "--format", "html", "-q"]),
    )
    .unwrap();
    let root = injection_root(dir.path());
    let injection = dir.path().join("injection.html");
    std::fs::write(&injection, scan_injection(&root, "html")).unwrap();

    for (page, name) in [(&example, "sunos-1997"), (&injection, "injection")] {
        let shot = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&shot);
        let run = open(browser, page, &shot);
        assert_eq!(
            page_problems(&run.log),
            Vec::<&str>::new(),
            "{name}: console errors or blocked resources"
        );
        // The DOM after load: kensa's title, no script element, the report's content.
        assert!(
            run.dom.contains("<title>kensa report</title>"),
            "{name}: {}",
            run.dom
        );
        assert!(!run.dom.contains("pwned</title>"));
        assert!(!run.dom.to_ascii_lowercase().contains("<script"), "{name}");
        assert!(run.dom.contains("class=\"verdict"), "{name}");
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(size > 10_000, "{name}: screenshot of {size} bytes");
        println!("{name}: screenshot {} ({size} bytes)", shot.display());
        if name == "injection" {
            // The payload is on the page as text.
            assert!(
                run.dom
                    .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;\\x1b[31mroot")
            );
        }
    }
}
