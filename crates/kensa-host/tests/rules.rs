//! Every account and trust rule is registered once and documented with the fixed
//! sections that `kensa explain` prints.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

#[test]
fn account_and_trust_rules_are_registered_and_documented() {
    let rules = kensa_host::rules();
    let ours: Vec<_> = rules
        .iter()
        .filter(|r| r.code.starts_with("AC") || r.code.starts_with("TR"))
        .collect();
    let codes: Vec<&str> = ours.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [
            "AC001", "AC002", "AC003", "AC004", "AC005", "AC006", "AC007", "TR001", "TR002",
            "TR003"
        ]
    );
    let mut all: Vec<&str> = rules.iter().map(|r| r.code).collect();
    all.dedup();
    assert_eq!(all.len(), rules.len(), "duplicate codes");
    for rule in ours {
        let doc = rule.doc();
        assert!(
            doc.starts_with(&format!("# {} {}", rule.code, rule.name)),
            "{doc}"
        );
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## What to do",
            "## References",
        ] {
            assert!(doc.contains(section), "{}: no {section}", rule.code);
        }
        assert!(doc.contains("JPCERT-E-INF-97-0001"), "{}", rule.code);
        assert!(
            ["(1)", "(3)", "(4)", "step 5"]
                .iter()
                .any(|c| rule.advice.contains(c)),
            "{}: advice names no countermeasure",
            rule.code
        );
    }
}
