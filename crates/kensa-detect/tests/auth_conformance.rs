//! The conformance harness over fail2ban's annotated sample logs (the same code as
//! `cargo run -p kensa-detect --example auth_conformance`, which prints the table).
//!
//! Pinned figures can only go up: when a parser improves, raise them.

#[path = "../examples/auth_conformance.rs"]
#[allow(dead_code)]
mod harness;

/// Files that must stay at 100 % recall and precision (every auth-related file today).
const PERFECT_FILES: &[&str] = &[
    "courier-auth",
    "courier-smtp",
    "cyrus-imap",
    "dovecot",
    "dropbear",
    "exim",
    "gssftpd",
    "pam-generic",
    "perdition",
    "postfix",
    "proftpd",
    "pure-ftpd",
    "sendmail-auth",
    "sieve",
    "solid-pop3d",
    "sshd",
    "sshd-journal",
    "uwimap-auth",
    "vsftpd",
    "wuftpd",
    "xinetd-fail",
];

#[test]
fn fail2ban_annotations_are_met() {
    let Some(_shared) = kensa_testkit::shared_dir() else {
        return;
    };
    let dir = harness::shared_fail2ban_dir().expect("shared_dir found it");
    let result = harness::run(&dir);
    println!("{}", harness::table(&result));
    let total = result.total();
    // Pinned minimums (measured: 262 positives, 56 negatives, all met).
    assert!(
        total.positives >= 262,
        "fewer annotations counted: {total:?}"
    );
    assert!(total.negatives >= 56, "fewer negatives counted: {total:?}");
    assert!(total.recall() >= 0.99, "recall fell: {total:?}");
    assert!(total.precision() >= 0.99, "precision fell: {total:?}");
    assert_eq!(total.found, 262, "{total:?}");
    assert_eq!(total.false_alarms, 0, "{total:?}");
    assert_eq!(total.misattributed, 0, "{total:?}");
    for name in PERFECT_FILES {
        let tally = result
            .files
            .get(*name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert!(tally.positives > 0, "{name}: nothing counted");
        assert_eq!(tally.found, tally.positives, "{name}: {tally:?}");
        assert_eq!(tally.false_alarms, 0, "{name}: {tally:?}");
    }
    // Every excluded file is one of the corpus's, so a renamed file cannot hide.
    for (name, _why) in harness::EXCLUDED_FILES {
        assert!(result.files.contains_key(*name), "{name} not in the corpus");
    }
}
