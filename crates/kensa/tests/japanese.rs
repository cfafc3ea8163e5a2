//! Japanese end to end: `--lang ja` and `LANG=ja_JP.UTF-8` on the bundled example host.
//! The log scan's text report is compared byte for byte with a snapshot
//! (`tests/snapshots/example-scan-ja.txt`; `UPDATE_SNAPSHOTS=1` rewrites it — review the
//! diff); the triage report, whose host checks quote file owners that depend on the
//! checkout, is checked for its Japanese parts instead.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{assert_snapshot, kensa, kensa_with_env};

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");

fn stdout(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = kensa_with_env(args, env);
    assert!(
        out.status.code().is_some_and(|code| code < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn the_example_scan_reads_in_japanese() {
    // `--year` so that the report does not depend on the checkout's file times.
    let text = stdout(
        &[
            "--lang", "ja", "scan", "--root", EXAMPLE, "-q", "--year", "1997",
        ],
        &[],
    );
    assert_snapshot("example-scan-ja.txt", &text);
    assert!(
        text.starts_with("mailhub: 侵害あり — 攻撃が成功しています。"),
        "{text}"
    );
    for rule in ["SM001", "SM002", "FT011", "LG001", "LG004"] {
        assert!(
            text.contains(&format!(" {rule} ")),
            "{rule} missing:\n{text}"
        );
    }
    assert!(
        text.contains("sendmail の脆弱性を悪用した攻撃が成功"),
        "{text}"
    );
    assert!(text.contains("概要: ホスト 1 台"), "{text}");
}

#[test]
fn the_locale_chooses_japanese_and_lang_overrides_it() {
    let args = ["scan", "--root", EXAMPLE, "-q"];
    let english = stdout(&args, &[]);
    let from_lang = stdout(&args, &[("LANG", "ja_JP.UTF-8")]);
    let explicit = stdout(&["--lang", "ja", "scan", "--root", EXAMPLE, "-q"], &[]);
    assert_eq!(from_lang, explicit);
    assert!(english.starts_with("mailhub: COMPROMISED"), "{english}");
    let overridden = stdout(
        &["scan", "--root", EXAMPLE, "-q", "--lang", "en"],
        &[("LC_ALL", "ja_JP.UTF-8")],
    );
    assert_eq!(overridden, english, "--lang en wins over the locale");
    let c_locale = stdout(&args, &[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")]);
    assert_eq!(c_locale, english, "LC_ALL wins over LANG");
}

#[test]
fn every_triage_finding_has_its_japanese_title_and_advice() {
    let text = stdout(&["--lang", "ja", "triage", "--root", EXAMPLE, "-q"], &[]);
    let headlines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("  ["))
        .collect();
    assert!(headlines.len() >= 10, "{text}");
    for line in &headlines {
        // `  [緊急] SM002 <title>`: the title is Japanese.
        let title = line.splitn(3, ' ').nth(2).unwrap_or_default();
        let title = title.split_once(' ').map_or(title, |(_, t)| t);
        assert!(
            title
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "no Japanese in {line:?}"
        );
    }
    let advice = text.lines().filter(|l| l.contains("対処:")).count();
    assert_eq!(advice, headlines.len(), "{text}");
    assert!(
        !text.contains("advice:") && !text.contains("evidence:"),
        "{text}"
    );
}

#[test]
fn explain_and_rules_speak_japanese() {
    let explain = stdout(&["--lang", "ja", "explain", "SM002"], &[]);
    assert!(explain.contains("## 検出内容"), "{explain}");
    assert!(explain.contains("## 対処"), "{explain}");
    assert!(!explain.contains("## What it finds"), "{explain}");
    let english = stdout(&["explain", "SM002"], &[]);
    assert!(english.contains("## What it finds") && !english.contains("検出内容"));
    let rules = stdout(&["rules", "--lang", "ja"], &[]);
    assert!(rules.starts_with("コード"), "{rules}");
    assert!(rules.contains("パスワードのないアカウント"), "{rules}");
}

#[test]
fn errors_and_the_scan_summary_are_japanese() {
    let out = kensa(&["--lang", "ja", "scan", "--root", "/nonexistent/kensa-root"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("kensa: --root /nonexistent/kensa-root: "),
        "{stderr}"
    );
    let out = kensa(&["--lang", "ja", "scan", "--root", EXAMPLE, "--year", "1800"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1970 から 2200 までの年を指定してください"),
        "{stderr}"
    );
    let out = kensa(&["--lang", "ja", "explain", "XX999"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("規則 \"XX999\" はありません"), "{stderr}");
    let out = kensa(&["--lang", "ja", "scan", "--root", EXAMPLE]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("kensa: ファイル 4 個、"), "{stderr}");
}

#[test]
fn unreadable_inputs_are_reported_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("messages");
    std::fs::write(&log, [0u8, 1, 2, 3, 0xff, 0, 0, 0].repeat(512)).unwrap();
    let missing = dir.path().join("missing.log");
    let out = kensa(&[
        "--lang",
        "ja",
        "scan",
        "--root",
        dir.path().to_str().unwrap(),
        "-q",
        log.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("存在しません"), "{text}");
    assert!(
        text.contains("テキストのログではなくバイナリデータのため、読み飛ばしました"),
        "{text}"
    );
    assert!(text.contains("エラー: "), "{text}");
    assert!(text.contains("警告: "), "{text}");
}

#[test]
fn scan_help_is_japanese() {
    let help = stdout(&["--lang", "ja", "scan", "--help"], &[]);
    for heading in ["使い方: kensa scan", "\n引数:\n", "\nオプション:\n"] {
        assert!(help.contains(heading), "{heading:?} missing:\n{help}");
    }
    assert!(
        help.starts_with("ログだけを調べます"),
        "the about is Japanese:\n{help}"
    );
    assert!(help.contains("検査するルートディレクトリ"), "{help}");
    assert!(help.contains("既定値: /"), "{help}");
    assert!(help.contains("incident  CSIRT に送る"), "{help}");
    for english in [
        "Usage:",
        "Options:",
        "Arguments:",
        "[default:",
        "Possible values",
        "Print help",
        "The audited root",
    ] {
        assert!(!help.contains(english), "{english:?} in:\n{help}");
    }
    // Every option of the page has its Japanese help under it.
    let options = help.split("\nオプション:\n").nth(1).unwrap();
    for flag in options.lines().filter(|l| l.trim_start().starts_with('-')) {
        let next = options
            .lines()
            .skip_while(|l| *l != flag)
            .nth(1)
            .unwrap_or_default();
        assert!(
            next.chars().any(|c| c > '\u{3000}'),
            "{flag:?} has no Japanese help: {next:?}"
        );
    }
    // The locale chooses it too; `--lang en` and an English locale keep clap's English.
    let from_locale = stdout(&["scan", "--help"], &[("LANG", "ja_JP.UTF-8")]);
    assert_eq!(from_locale, help);
    let english = stdout(&["scan", "--help"], &[]);
    assert!(english.contains("Usage: kensa scan") && english.contains("Options:"));
    let overridden = stdout(
        &["scan", "--help", "--lang", "en"],
        &[("LANG", "ja_JP.UTF-8")],
    );
    assert_eq!(overridden, english);
    // Completions and the man page stay English.
    let man = stdout(&["--lang", "ja", "man"], &[]);
    assert!(man.contains("The audited root") && !man.contains("ルート"));
}

#[test]
fn argument_errors_are_japanese() {
    let out = kensa(&["--lang", "ja", "scan", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("エラー: --format <FORMAT> に 'xml' は指定できません"),
        "{stderr}"
    );
    let out = kensa_with_env(&["scna"], &[("LANG", "ja_JP.UTF-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("'scna' というサブコマンドはありません（'scan' のことですか？）"),
        "{stderr}"
    );
    assert!(stderr.contains("使い方: kensa"), "{stderr}");
    let english = kensa(&["scna"]);
    assert!(String::from_utf8_lossy(&english.stderr).starts_with("error: "));
}

#[test]
fn probe_and_watch_complain_in_japanese() {
    let out = kensa(&["--lang", "ja", "probe"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("probe: 調べる対象がありません"), "{stderr}");
    let out = kensa(&["--lang", "ja", "probe", "192.0.2.1", "--timeout", "0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("0.1 から 600 までの秒数を指定してください"),
        "{stderr}"
    );
    let out = kensa(&["--lang", "ja", "watch", "--root", EXAMPLE]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("watch には --state FILE が必要です"),
        "{stderr}"
    );
    let out = kensa(&[
        "--lang",
        "ja",
        "passwords",
        "--root",
        EXAMPLE,
        "--budget",
        "soon",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--budget \"soon\": 90s、10m"), "{stderr}");
}
