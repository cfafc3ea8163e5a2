//! Trust checks (TR001–TR003): each with a host that has the hole and one that does not.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;
use common::*;
use kensa_core::{Outcome, Severity};

fn summary(findings: &[&kensa_core::Finding]) -> Vec<(String, Severity, Outcome)> {
    findings
        .iter()
        .map(|f| {
            (
                f.subject.path.clone().unwrap_or_default(),
                f.severity,
                f.outcome,
            )
        })
        .collect()
}

#[test]
fn a_good_host_has_no_trust_findings() {
    let root = good_root();
    root.text(
        "etc/hosts.equiv",
        "# trusted hosts\ngw.example.org\n-evil.example.org\n",
    )
    .file(
        "home/sato/.rhosts",
        b"gw.example.org sato\n+@admins sato\n",
        0o600,
        1000,
        1000,
    )
    .link("root/.rhosts", "/dev/null")
    .text(
        "etc/aliases",
        "postmaster: root\nstaff: sato, tanaka\n# decode: \"|/usr/bin/uudecode\"\n",
    );
    let (findings, diags) = root.audit();
    let tr: Vec<_> = findings
        .iter()
        .filter(|f| f.code.starts_with("TR"))
        .collect();
    assert!(tr.is_empty(), "{tr:#?}");
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn tr001_wildcards_in_every_trust_file() {
    let root = good_root();
    root.text("etc/hosts.equiv", "+\n")
        .text("etc/shosts.equiv", "gw.example.org +\n")
        .file(".rhosts", b"+ +\n", 0o600, 0, 0)
        .file("home/sato/.rhosts", b"# mine\n+\n", 0o600, 1000, 1000)
        .file(
            "home/tanaka/.shosts",
            b"gw.example.org +\r\n",
            0o600,
            1001,
            1001,
        );
    let (findings, _) = root.audit();
    let f = of(&findings, "TR001");
    assert_eq!(
        summary(&f),
        [
            ("etc/hosts.equiv".into(), Severity::High, Outcome::Exposure),
            (
                "etc/shosts.equiv".into(),
                Severity::Critical,
                Outcome::Exposure
            ),
            (".rhosts".into(), Severity::Critical, Outcome::Indicator),
            (
                "home/sato/.rhosts".into(),
                Severity::High,
                Outcome::Exposure
            ),
            (
                "home/tanaka/.shosts".into(),
                Severity::High,
                Outcome::Exposure
            ),
        ]
    );
    assert_eq!(f[3].evidence[0].line, 2);
    assert_eq!(f[3].evidence[0].text, "+");
    assert_eq!(f[3].subject.users, ["sato"]);
    assert_eq!(f[4].evidence[0].text, "gw.example.org +");
    assert_eq!(
        f[0].title_ja,
        "etc/hosts.equiv はすべてのホストを信頼している（+）: rlogin/rsh でパスワードを求められない"
    );
    assert_eq!(
        f[2].title_ja,
        ".rhosts はどこの誰でも信頼している（+ +）: sendmail への攻撃が書き込む内容"
    );
    assert_eq!(
        f[3].title_ja,
        "home/sato/.rhosts により、他の利用者がパスワードなしで sato としてログインできる（+）"
    );
}

#[test]
fn tr001_root_rhosts_in_root_home_and_through_links() {
    let root = good_root();
    // root's .rhosts with a single +: root from any host named user root.
    root.file("root/.rhosts", b"+\n", 0o600, 0, 0)
        // tanaka's home reached through the image's own absolute link, as suzuki's
        // too: examined once, shown by its resolved path.
        .link("export", "/home")
        .file("home/tanaka/.rhosts", b"+\n", 0o600, 1001, 1001)
        .text(
            "etc/passwd",
            &format!(
                "{}suzuki:x:1001:1001::/export/tanaka:/bin/sh\n",
                GOOD_PASSWD.replace("/home/tanaka", "/export/tanaka")
            ),
        );
    let (findings, _) = root.audit();
    let f = of(&findings, "TR001");
    assert_eq!(
        summary(&f),
        [
            ("root/.rhosts".into(), Severity::Critical, Outcome::Exposure),
            (
                "home/tanaka/.rhosts".into(),
                Severity::High,
                Outcome::Exposure
            ),
        ]
    );
    assert_eq!(f[1].subject.users, ["tanaka"]);
}

#[test]
fn tr002_rhosts_others_can_change() {
    let root = good_root();
    root.file("home/sato/.rhosts", b"gw.example.org\n", 0o600, 1001, 1001) // tanaka's
        .file(
            "home/tanaka/.rhosts",
            b"gw.example.org\n",
            0o620,
            1001,
            1001,
        ) // g+w
        .file("root/.rhosts", b"gw.example.org\n", 0o666, 0, 0)
        .file("etc/hosts.equiv", b"gw.example.org\n", 0o664, 0, 1000)
        .link("home/sato/.shosts", "/tmp/planted");
    let (findings, _) = root.audit();
    let f = of(&findings, "TR002");
    let titles: Vec<&str> = f.iter().map(|f| f.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "etc/hosts.equiv is writable by group sato",
            "root/.rhosts is writable by everyone",
            "home/sato/.rhosts is owned by tanaka",
            "home/sato/.shosts is a symbolic link to /tmp/planted",
            "home/tanaka/.rhosts is writable by group tanaka",
        ]
    );
    assert_eq!(f[3].severity, Severity::Medium);
    let titles_ja: Vec<&str> = f.iter().map(|f| f.title_ja.as_str()).collect();
    assert_eq!(
        titles_ja,
        [
            "etc/hosts.equiv: グループ sato が書き込める",
            "root/.rhosts: 誰でも書き込める",
            "home/sato/.rhosts: 所有者が tanaka",
            "home/sato/.shosts: リンク先が /tmp/planted のシンボリックリンク",
            "home/tanaka/.rhosts: グループ tanaka が書き込める",
        ]
    );
    assert!(
        f[1].evidence[0]
            .text
            .starts_with("mode 0666, owner root (0)"),
        "{:?}",
        f[1].evidence
    );
    let ja = f[1].evidence[0].text_ja.as_deref().unwrap_or_default();
    assert!(
        ja.starts_with("モード 0666、所有者 root（0）、グループ ") && ja.ends_with("（0）"),
        "{ja}"
    );
}

#[test]
fn tr003_program_aliases() {
    let root = good_root();
    root.text(
        "etc/aliases",
        "postmaster: root\ndecode: \"|/usr/bin/uudecode\"\nlist: \"|/usr/lib/mailman/mail/mailman post list\"\n",
    )
    .text("etc/mail/aliases", "backdoor:\n\t\"|/bin/sh -c 'cat >> /.rhosts'\"\n");
    let (findings, _) = root.audit();
    let f = of(&findings, "TR003");
    let got: Vec<(&str, u64, Severity)> = f
        .iter()
        .map(|f| (f.subject.users[0].as_str(), f.evidence[0].line, f.severity))
        .collect();
    assert_eq!(
        got,
        [
            ("decode", 2, Severity::High),
            ("list", 3, Severity::Low),
            ("backdoor", 1, Severity::High)
        ]
    );
    assert_eq!(f[2].evidence[0].file, "etc/mail/aliases");
    assert_eq!(
        f[0].title_ja,
        "メールのエイリアス decode が /usr/bin/uudecode を実行する: メールを送れる者なら誰でもそれを実行できる"
    );
    assert_eq!(
        f[1].title_ja,
        "メールのエイリアス list が /usr/lib/mailman/mail/mailman post list を実行する"
    );
}
