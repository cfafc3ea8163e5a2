//! The assessment section of the text report, in both languages, and in JSON.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;

use common::{render, sample_report};
use kensa_core::Coverage;
use kensa_report::i18n::Lang;
use kensa_report::{Format, TextOptions};

fn assessed() -> kensa_core::Report {
    let mut report = sample_report();
    let coverage = Coverage {
        log_files: 4,
        login_record_files: 2,
        journal_files: 3,
        audit_log_files: 0,
        host_audited: true,
    };
    for host in &mut report.hosts {
        let accounts = (host.host == "mailhub").then(|| {
            vec![
                "root".to_string(),
                "tanaka".to_string(),
                "\u{1b}[31mevil".to_string(),
            ]
        });
        host.assess(&coverage, accounts);
    }
    report
}

#[test]
fn compromised_host_says_why_what_to_rebuild_and_which_passwords() {
    let text = render(&assessed(), Format::Text, &TextOptions::default());
    let mailhub = text.split("\nftp: ").next().unwrap();
    assert!(mailhub.contains("  assessment: Intrusion cannot be ruled out.\n"));
    assert!(mailhub.contains("      because:    SM002\n"));
    assert!(mailhub.contains("rebuild:    Reinstall the host from trusted media"));
    assert!(mailhub.contains("(3 accounts with a password in the audited passwd/shadow): root,"));
    // Names come from the audited host: escaped like everything else from it.
    assert!(!mailhub.contains('\u{1b}'));
    let flat = mailhub.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("examined: text logs, login records (wtmp, btmp, lastlog), systemd journal, host files and configuration not examined:"), "{mailhub}");
    // No audit log was read: the report says so rather than implying it was clean.
    assert!(flat.contains(
        "not examined: Linux audit logs, running processes, memory and network (kensa reads files only)"
    ), "{mailhub}");
    // An exposed host is told nothing about rebuilding.
    let ftp = text.split("\nftp: ").nth(1).unwrap();
    let ftp = ftp.split("\nwww: ").next().unwrap();
    assert!(ftp.contains("assessment: No attack and no sign of intrusion were seen"));
    assert!(!ftp.contains("rebuild:") && !ftp.contains("passwords:"));
}

#[test]
fn the_assessment_speaks_japanese() {
    let options = TextOptions {
        lang: Lang::Ja,
        ..TextOptions::default()
    };
    let text = render(&assessed(), Format::Text, &options);
    assert!(text.contains("  評価: 侵入の可能性を否定できません。\n"));
    assert!(text.contains("再構築:"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("監査した passwd/shadow でパスワードを持つアカウント 3 件"),
        "{text}"
    );
    assert!(text.contains("調べた範囲:"));
    assert!(
        flat.contains("テキストログ、ログイン記録（wtmp・btmp・lastlog）、systemd のジャーナル、 ホストのファイルと設定"),
        "{text}"
    );
}

#[test]
fn json_carries_the_assessment() {
    let json: serde_json::Value =
        serde_json::from_str(&render(&assessed(), Format::Json, &TextOptions::default())).unwrap();
    let mailhub = &json["hosts"][0];
    assert_eq!(mailhub["host"], "mailhub");
    let assessment = &mailhub["assessment"];
    assert_eq!(assessment["intrusion_cannot_be_ruled_out"], true);
    assert_eq!(assessment["rebuild"], true);
    assert_eq!(assessment["reasons"], serde_json::json!(["SM002"]));
    assert_eq!(assessment["change_passwords"][1], "tanaka");
    assert_eq!(
        assessment["examined"],
        serde_json::json!(["logs", "login-records", "journal", "host-configuration"])
    );
    assert_eq!(
        assessment["not_examined"],
        serde_json::json!(["audit-logs", "running-system"])
    );
    let ftp = &json["hosts"][1];
    assert_eq!(ftp["assessment"]["rebuild"], false);
    assert!(ftp["assessment"].get("change_passwords").is_none());
}
