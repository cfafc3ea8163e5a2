//! The version checks on host roots built in temporary directories: old versions are
//! found in `sendmail.cf` and in binaries' strings and judged against the advisories;
//! current ones give nothing; the same binary reached through a link counts once.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Finding, Severity};
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn audit(root: &Path) -> Vec<Finding> {
    let (findings, _) = kensa_host::audit(&kensa_testkit::root_at(root), "testhost");
    findings
        .into_iter()
        .filter(|f| f.code.starts_with("VR"))
        .collect()
}

#[test]
fn the_advisorys_host_sendmail_5_and_wu_ftpd_2_1() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "etc/sendmail.cf",
        b"# cf\nDVSMI-4.1\nDZ5.61\nCwlocalhost\n",
    );
    write(
        root,
        "usr/etc/in.ftpd",
        b"\x7fELF\x00junk\x00@(#)Version wu-2.1c(1) Mon Aug 1 12:55:31 JST 1994\x00",
    );
    let findings = audit(root);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let sendmail = findings.iter().find(|f| f.code == "VR001").unwrap();
    assert!(
        sendmail.title.starts_with("sendmail 5.61 has known holes"),
        "{}",
        sendmail.title
    );
    assert!(sendmail.title.contains("JPCERT-E-INF-97-0001"));
    assert_eq!(sendmail.severity, Severity::Critical);
    assert_eq!(sendmail.evidence[0].file, "etc/sendmail.cf");
    assert_eq!(sendmail.evidence[0].line, 3);
    assert_eq!(sendmail.evidence[0].text, "DZ5.61");
    assert!(sendmail.advice.contains("(1) Upgrade sendmail"));
    assert!(sendmail.advice.contains("CERT CA-96.25"));
    assert_eq!(
        sendmail.title_ja,
        "sendmail 5.61 には既知のセキュリティホールがある（JPCERT-E-INF-97-0001、CERT CA-96.25、\
         CVE-2003-0161 (CERT CA-2003-12)、CVE-2006-0058）"
    );
    // The advice lists the advisories in Japanese too, after the rule's own advice.
    assert!(
        sendmail
            .advice_ja
            .starts_with("(1) Sendmail を保守されている最新の版にバージョンアップするか"),
        "{}",
        sendmail.advice_ja
    );
    assert!(
        sendmail.advice_ja.contains(
            "\n- CERT CA-96.25（< 8.8.4、8.8.4 で修正）: 8.8.4 より前では、ローカルの利用者が"
        ),
        "{}",
        sendmail.advice_ja
    );
    assert_eq!(
        sendmail.advice_ja.lines().count(),
        sendmail.advice.lines().count()
    );
    let ftp = findings.iter().find(|f| f.code == "VR002").unwrap();
    assert!(
        ftp.title.starts_with("wu-ftpd 2.1c(1) has known holes"),
        "{}",
        ftp.title
    );
    assert!(ftp.advice.contains("CVE-2000-0573"));
    assert!(
        ftp.title_ja
            .starts_with("wu-ftpd 2.1c(1) には既知のセキュリティホールがある（"),
        "{}",
        ftp.title_ja
    );
    assert!(
        ftp.advice_ja
            .contains("- CVE-2000-0573 (CERT CA-2000-13)（< 2.6.1、2.6.1 で修正）: SITE EXEC の"),
        "{}",
        ftp.advice_ja
    );
    assert_eq!(ftp.evidence[0].file, "usr/etc/in.ftpd");
    assert!(ftp.evidence[0].text.contains("Version wu-2.1c(1)"));
}

#[test]
fn cf_and_binary_agreeing_make_one_finding_and_links_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "etc/mail/sendmail.cf", b"DZ8.6.12\n");
    write(root, "usr/lib/sendmail", b"\x00@(#)Version 8.6.12\x00");
    fs::create_dir_all(root.join("usr/sbin")).unwrap();
    std::os::unix::fs::symlink("/usr/lib/sendmail", root.join("usr/sbin/sendmail")).unwrap();
    let findings = audit(root);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].evidence.len(), 2);
    assert_eq!(findings[0].count, 2);
    assert!(findings[0].title.contains("CVE-2002-1337"));
}

#[test]
fn backdoored_releases_are_critical() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "usr/sbin/vsftpd",
        b"\x00vsftpd: version 2.3.4\x00(vsFTPd 2.3.4)\x00",
    );
    write(root, "usr/sbin/proftpd", b"\x00ProFTPD 1.3.3c Server\x00");
    let findings = audit(root);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    for f in &findings {
        assert_eq!(f.code, "VR002");
        assert_eq!(f.severity, Severity::Critical);
    }
    assert!(findings.iter().any(|f| f.title.contains("CVE-2011-2523")));
    assert!(findings.iter().any(|f| f.title.contains("CVE-2010-20103")));
    // A backdoored release has no fixed version.
    assert!(
        findings.iter().any(|f| f
            .advice_ja
            .contains("- CVE-2011-2523（= 2.3.4、修正版なし）: ")),
        "{findings:#?}"
    );
}

#[test]
fn current_versions_give_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "etc/mail/sendmail.cf", b"DZ8.17.1\n");
    write(
        root,
        "usr/sbin/sendmail-mta",
        b"/etc/mail/sendmail.cf\x00\x008.17.1.9\x00",
    );
    write(root, "usr/sbin/vsftpd", b"\x00vsftpd: version 3.0.3\x00");
    write(root, "usr/sbin/proftpd", b"\x00ProFTPD Version 1.3.8\x00");
    write(
        root,
        "usr/sbin/pure-ftpd",
        b"\x00pure-ftpd v1.0.50 [privsep]\x00",
    );
    write(root, "usr/sbin/in.ftpd", b"\x00Version wu-2.6.2(1) Mon\x00");
    assert!(audit(root).is_empty());
}

#[test]
fn a_link_out_of_the_root_is_read_inside_it() {
    // usr/lib/sendmail -> /outside/sendmail: resolved inside the root, where there is
    // no such file; the real /outside never gets read.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    write(&outside, "sendmail", b"\x00@(#)Version 8.6.12\x00");
    fs::create_dir_all(root.join("usr/lib")).unwrap();
    std::os::unix::fs::symlink(outside.join("sendmail"), root.join("usr/lib/sendmail")).unwrap();
    assert!(audit(&root).is_empty());
}

#[test]
fn the_ftp_daemon_inetd_conf_names_is_read_wherever_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "etc/inetd.conf",
        b"ftp\tstream\ttcp\tnowait\troot\t/opt/wu/bin/ftpd\tftpd -l\n",
    );
    write(
        root,
        "opt/wu/bin/ftpd",
        b"\x00@(#)Version wu-2.6.0(1) Mon Feb 28\x00",
    );
    // And a sendmail.cf reached under two names counts once.
    write(root, "etc/sendmail.cf", b"DZ8.8.4\n");
    fs::create_dir_all(root.join("usr/lib")).unwrap();
    std::os::unix::fs::symlink("/etc/sendmail.cf", root.join("usr/lib/sendmail.cf")).unwrap();
    let findings = audit(root);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let ftp = findings.iter().find(|f| f.code == "VR002").unwrap();
    assert_eq!(ftp.evidence[0].file, "opt/wu/bin/ftpd");
    assert!(ftp.title.contains("CVE-2000-0573"));
    let sendmail = findings.iter().find(|f| f.code == "VR001").unwrap();
    assert_eq!(sendmail.evidence.len(), 1);
    assert!(sendmail.title.contains("CVE-1999-0047"));
}
