//! The repository's example host, `examples/sunos-1997` (see its README): every account
//! and trust hole it describes is reported.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Finding, Outcome, Severity};

fn findings() -> Vec<Finding> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sunos-1997");
    let (findings, diags) = kensa_host::audit(
        &kensa_testkit::root_at(std::path::Path::new(root)),
        "mailhub",
    );
    assert!(
        diags.iter().all(|d| !d.file.starts_with("etc/")),
        "the example's etc files all parse: {diags:?}"
    );
    findings
}

fn of<'a>(findings: &'a [Finding], code: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn sunos_1997_account_and_trust_holes() {
    let findings = findings();

    // DES hashes in the world-readable passwd, no shadow.
    let hashes = of(&findings, "AC001");
    assert_eq!(hashes.len(), 1);
    assert_eq!(
        hashes[0].subject.users,
        [
            "root", "sato", "tanaka", "suzuki", "kato", "yamada", "guest"
        ]
    );
    let weak = of(&findings, "AC006");
    assert_eq!(weak.len(), 1);
    assert!(weak[0].title.contains("DES"));
    assert_eq!(weak[0].count, 7);

    // sync:: without a password.
    let empty = of(&findings, "AC002");
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0].subject.users, ["sync"]);
    assert_eq!(empty[0].evidence[0].line, 10);

    // The stock UID-0 diagnostics accounts, locked: exposures, not indicators.
    let uid0 = of(&findings, "AC003");
    let names: Vec<&str> = uid0.iter().map(|f| f.subject.users[0].as_str()).collect();
    assert_eq!(names, ["sysdiag", "sundiag"]);
    assert!(
        uid0.iter()
            .all(|f| f.outcome == Outcome::Exposure && f.severity == Severity::Medium)
    );

    // The NIS escape +::0:0:::
    let nis = of(&findings, "AC004");
    assert_eq!(nis.len(), 1);
    assert_eq!(nis[0].severity, Severity::Critical);
    assert_eq!(nis[0].evidence[0].text, "+::0:0:::");

    // hosts.equiv is +.
    let trust = of(&findings, "TR001");
    assert_eq!(trust.len(), 1);
    assert_eq!(trust[0].subject.path.as_deref(), Some("etc/hosts.equiv"));
    assert_eq!(trust[0].severity, Severity::High);

    // The decode alias was removed (only a comment remains): silent.
    assert!(of(&findings, "TR003").is_empty());
    // SunOS's stock sync shares daemon's UID 1: reported, at low severity.
    let dup = of(&findings, "AC007");
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].subject.users, ["daemon", "sync"]);
    assert_eq!(dup[0].severity, Severity::Low);

    // Every finding names the advisory's countermeasures where it should.
    for f in hashes.iter().chain(&weak) {
        assert!(
            f.advice.contains("(4)") && f.advice.contains("(3)"),
            "{}",
            f.advice
        );
    }
    // No hash leaks into the report.
    assert!(!format!("{findings:?}").contains("RzoH/GEUQ2Tc6"));
}
