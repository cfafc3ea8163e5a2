//! Account checks (AC001–AC007): each with a host that has the hole and one that does not.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;
use common::*;
use kensa_core::{Outcome, Severity};

#[test]
fn a_good_host_has_no_account_findings() {
    let root = good_root();
    let (findings, diags) = root.audit();
    let ac: Vec<_> = findings
        .iter()
        .filter(|f| f.code.starts_with("AC"))
        .collect();
    assert!(ac.is_empty(), "{ac:#?}");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn ac001_hashes_in_passwd_without_shadow() {
    let root = TestRoot::new();
    root.text(
        "etc/passwd",
        "root:RzoH/GEUQ2Tc6:0:1:Operator:/:/bin/csh\nbin:*:3:3::/bin:\nsato:!s49wULqSlDgZo:1003:10::/home/sato:/bin/csh\n",
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC001");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].count, 2);
    assert_eq!(f[0].subject.users, ["root", "sato"]);
    assert_eq!(f[0].severity, Severity::High);
    assert_eq!(f[0].evidence[0].line, 1);
    assert!(
        f[0].title_ja
            .contains("/etc/passwd にパスワードのハッシュが 2 件ある（"),
        "{}",
        f[0].title_ja
    );
    // The hash itself never reaches the report.
    let json = format!("{findings:?}");
    assert!(
        !json.contains("RzoH/GEUQ2Tc6") && !json.contains("s49wULqSlDgZo"),
        "{json}"
    );

    // Good: the same accounts with shadow.
    let good = good_root();
    assert!(of(&good.audit().0, "AC001").is_empty());
}

#[test]
fn ac002_empty_password_in_passwd_or_shadow() {
    let root = good_root();
    root.text(
        "etc/passwd",
        &format!("{GOOD_PASSWD}sync::1:1::/:/bin/sync\nguest:x:1100:100::/home/guest:/bin/sh\n"),
    )
    .file(
        "etc/shadow",
        format!("{GOOD_SHADOW}guest::19000::::::\n").as_bytes(),
        0o640,
        0,
        42,
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC002");
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].subject.users, ["sync"]);
    assert_eq!(f[0].severity, Severity::Medium); // /bin/sync is no shell
    assert_eq!(f[1].subject.users, ["guest"]);
    assert_eq!(f[1].severity, Severity::High);
    assert_eq!(f[1].evidence[0].file, "etc/shadow");
    assert_eq!(
        f[1].title_ja,
        "アカウント guest にパスワードがない（シェル /bin/sh）"
    );
    // Lock markers are not empty passwords.
    let locked = good_root();
    locked.text(
        "etc/passwd",
        "root:*LK*:0:0::/root:/bin/sh\na:NP:5:5::/:/bin/sh\nb:!!:6:6::/:/bin/sh\nc:*:7:7::/:/bin/sh\n",
    );
    assert!(of(&locked.audit().0, "AC002").is_empty());
}

#[test]
fn ac003_extra_uid0() {
    let root = good_root();
    root.text(
        "etc/passwd",
        &format!(
            "{GOOD_PASSWD}sysdiag:*:0:1:Old System Diagnostic:/usr/diag/sysdiag:/usr/diag/sysdiag/sysdiag\n\
             toor:RzoH/GEUQ2Tc6:0:0::/root:/bin/sh\nlp2:x:0:0::/:/bin/sh\n"
        ),
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC003");
    assert_eq!(f.len(), 3);
    assert_eq!(
        (f[0].outcome, f[0].severity),
        (Outcome::Exposure, Severity::Medium)
    );
    assert_eq!(
        (f[1].outcome, f[1].severity),
        (Outcome::Exposure, Severity::High)
    );
    assert_eq!(
        (f[2].outcome, f[2].severity),
        (Outcome::Indicator, Severity::High)
    );
    assert_eq!(f[2].subject.users, ["lp2"]);
    assert_eq!(
        f[0].title_ja,
        "標準のアカウント sysdiag の UID が 0（ロックされているが、削除したほうがよい）: 別名の root"
    );
    assert_eq!(
        f[2].title_ja,
        "アカウント lp2 の UID が 0: 別名の root であり、典型的なバックドア"
    );
    assert!(of(&good_root().audit().0, "AC003").is_empty());
}

#[test]
fn ac004_nis_lines() {
    let root = good_root();
    root.text(
        "etc/passwd",
        &format!("{GOOD_PASSWD}-baduser\n+@staff\n+::0:0:::\n"),
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC004");
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Low);
    assert_eq!(f[1].severity, Severity::Critical);
    assert_eq!(f[1].evidence[0].text, "+::0:0:::");
    assert_eq!(f[1].evidence[0].line, 7);
    assert!(
        f[0].title_ja.starts_with(
            "/etc/passwd で、ネットグループ staff のアカウントを NIS から取り込んでいる: "
        ),
        "{}",
        f[0].title_ja
    );
    assert!(
        f[1].title_ja.starts_with(
            "/etc/passwd の NIS の行 \"+::0:0:::\" により、NIS のすべてのアカウントが root（UID 0）になる。"
        ),
        "{}",
        f[1].title_ja
    );
    // NIS lines are not empty passwords or UID-0 accounts of their own.
    assert!(of(&findings, "AC002").is_empty() && of(&findings, "AC003").is_empty());
    assert!(of(&good_root().audit().0, "AC004").is_empty());
    // Group 0 for every NIS account: high; a user id other than 0 with group 0: low.
    let group0 = good_root();
    group0.text(
        "etc/passwd",
        &format!("{GOOD_PASSWD}+:::0:::\n+sato::1000:0:::\n"),
    );
    let (findings, _) = group0.audit();
    let f = of(&findings, "AC004");
    let severities: Vec<Severity> = f.iter().map(|f| f.severity).collect();
    assert_eq!(severities, [Severity::High, Severity::Low]);
    assert_eq!(
        f[0].title_ja,
        "NIS の行により、NIS のすべてのアカウントにグループ 0 が与えられている"
    );
}

#[test]
fn ac005_shadow_exposed() {
    let root = good_root();
    root.file("etc/shadow", GOOD_SHADOW.as_bytes(), 0o644, 0, 0)
        .file("etc/gshadow", b"root:*::\n", 0o640, 0, 1000)
        .file("etc/shadow-", GOOD_SHADOW.as_bytes(), 0o600, 1000, 0)
        .file("etc/master.passwd", b"", 0o606, 0, 0);
    let (findings, _) = root.audit();
    let f = of(&findings, "AC005");
    let by_path: Vec<(&str, Severity)> = f
        .iter()
        .map(|f| (f.subject.path.as_deref().unwrap(), f.severity))
        .collect();
    assert_eq!(
        by_path,
        [
            ("etc/shadow", Severity::High),
            ("etc/shadow-", Severity::High),
            ("etc/gshadow", Severity::Medium),
            ("etc/master.passwd", Severity::Critical),
        ]
    );
    assert!(
        f[0].evidence[0].text.contains("mode 0644"),
        "{:?}",
        f[0].evidence
    );
    let ja = f[0].evidence[0].text_ja.as_deref().unwrap_or_default();
    assert!(
        ja.starts_with("モード 0644、所有者 root（0）、グループ ") && ja.ends_with("（0）"),
        "{ja}"
    );
    assert!(f[2].title.contains("non-system group"));
    assert_eq!(
        f[2].title_ja,
        "etc/gshadow: システム用ではないグループが読める"
    );
    // Debian's 0640 root:shadow and a 0600 root file are fine.
    let good = good_root();
    good.file("etc/shadow-", GOOD_SHADOW.as_bytes(), 0o600, 0, 0);
    assert!(of(&good.audit().0, "AC005").is_empty());
}

#[test]
fn ac006_weak_hashes() {
    let root = good_root();
    root.file(
        "etc/shadow",
        format!(
            "{GOOD_SHADOW}a:$1$salt$abcdefghijklmnopqrstuv:1::::::\nb:$1$x$y:1::::::\n\
             c:$6$rounds=1000$salt$h:1::::::\nd:abcdefghijklm:1::::::\ne:!$1$x$y:1::::::\n"
        )
        .as_bytes(),
        0o640,
        0,
        42,
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC006");
    let summary: Vec<(String, u64)> = f.iter().map(|f| (f.title.clone(), f.count)).collect();
    assert_eq!(f.len(), 3, "{summary:#?}");
    assert_eq!(f[0].subject.users, ["d"]);
    assert!(f[0].title.contains("DES"));
    assert_eq!(f[1].subject.users, ["a", "b"]);
    assert!(f[2].title.contains("SHA-512 with 1000 rounds"));
    assert_eq!(
        f[1].title_ja,
        "etc/shadow に弱い方式 MD5 のパスワードハッシュが 2 件ある"
    );
    assert!(
        f[2].title_ja.contains("SHA-512（ラウンド数 1000）"),
        "{}",
        f[2].title_ja
    );
    assert!(of(&good_root().audit().0, "AC006").is_empty());
}

#[test]
fn ac007_duplicates() {
    let root = good_root();
    root.text(
        "etc/passwd",
        &format!("{GOOD_PASSWD}root::0:0::/:/bin/sh\nsuzuki:x:1000:1000::/home/suzuki:/bin/sh\n"),
    );
    let (findings, _) = root.audit();
    let f = of(&findings, "AC007");
    assert_eq!(f.len(), 2, "{f:#?}");
    assert_eq!(f[0].subject.users, ["root"]);
    assert_eq!(f[0].severity, Severity::High);
    assert_eq!(f[0].evidence.len(), 2);
    assert_eq!(f[1].subject.users, ["sato", "suzuki"]);
    assert_eq!(f[1].severity, Severity::Low);
    assert_eq!(f[0].title_ja, "ログイン名 root が 2 回現れる");
    assert_eq!(
        f[1].title_ja,
        "ユーザ ID 1000 を sato, suzuki が共有している"
    );
    assert!(of(&good_root().audit().0, "AC007").is_empty());
}

#[test]
fn bsd_master_passwd_and_aix_are_read() {
    let root = TestRoot::new();
    root.file(
        "etc/master.passwd",
        b"root:$1$abc$defghijklmnopqrstuvwx:0:0::0:0:Charlie &:/root:/bin/csh\ntoor:*:0:0::0:0:Bourne-again Superuser:/root:\n",
        0o600,
        0,
        0,
    );
    let (findings, _) = root.audit();
    assert_eq!(of(&findings, "AC006").len(), 1);
    assert_eq!(of(&findings, "AC003").len(), 1);
    assert!(of(&findings, "AC001").is_empty()); // master.passwd is the shadow file
    let aix = TestRoot::new();
    aix.text(
        "etc/passwd",
        "root:!:0:0::/:/usr/bin/ksh\nsato:!:200:1::/home/sato:/usr/bin/ksh\n",
    )
    .file(
        "etc/security/passwd",
        b"root:\n\tpassword = abcdefghijklm\n\nsato:\n\tpassword = \n",
        0o600,
        0,
        0,
    );
    let (findings, _) = aix.audit();
    let weak = of(&findings, "AC006");
    assert_eq!(weak.len(), 1, "{findings:#?}");
    assert_eq!(weak[0].evidence[0].text, "root: password = <DES hash>");
    assert_eq!(weak[0].evidence[0].line, 2);
    // `!` in AIX's passwd means "see etc/security/passwd", where sato's is empty.
    let empty = of(&findings, "AC002");
    assert_eq!(empty.len(), 1, "{empty:#?}");
    assert_eq!(empty[0].subject.users, ["sato"]);
    assert_eq!(empty[0].evidence[0].file, "etc/security/passwd");
}

#[test]
fn unreadable_account_files_become_diagnostics() {
    let root = TestRoot::new();
    root.dir("etc/passwd", 0o755, 0, 0); // a directory where the file should be
    let (findings, diags) = root.audit();
    assert!(findings.iter().all(|f| !f.code.starts_with("AC")));
    assert!(
        diags
            .iter()
            .any(|d| d.file == "etc/passwd" && d.message.contains("cannot be read")),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.file == "etc/passwd" && d.message_ja.starts_with("読み取れません: ")),
        "{diags:?}"
    );
    // No account file at all: said in both languages.
    let (_, diags) = TestRoot::new().audit();
    let missing = diags
        .iter()
        .find(|d| d.message.starts_with("no account file"))
        .unwrap();
    assert!(
        missing.message_ja.starts_with(
            "検査対象のルートにアカウントファイル（etc/passwd、etc/master.passwd）がない"
        ),
        "{missing:?}"
    );
}
