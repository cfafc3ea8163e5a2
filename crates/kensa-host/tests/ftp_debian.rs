//! The server configuration checks on the files Debian's packages ship: vsftpd's
//! `/etc/vsftpd.conf`, proftpd's `proftpd.conf` (the template its postinst installs as
//! `/etc/proftpd/proftpd.conf`) and pure-ftpd's `/etc/pure-ftpd/conf/` directory. Each
//! default must be judged safe, and an unsafe variant of each must be reported. Packages
//! come from the system or from `$KENSA_FTP_DEBS` (see `fixtures/packages.rs`).

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

#[path = "fixtures/packages.rs"]
mod packages;

use kensa_core::Finding;
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A root with an ftp account and `files` (relative path, content) in place; the
/// findings of `code`.
fn audit_with(files: &[(&str, Vec<u8>)], code: &str) -> Vec<Finding> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "etc/passwd",
        b"root:x:0:0::/root:/bin/sh\nftp:x:105:65534::/srv/ftp:/usr/sbin/nologin\n",
    );
    for (rel, bytes) in files {
        write(root, rel, bytes);
    }
    let (findings, _) = kensa_host::audit(&kensa_testkit::root_at(root), "testhost");
    findings.into_iter().filter(|f| f.code == code).collect()
}

#[test]
fn vsftpd_default_and_unsafe() {
    let Some(pkg) = packages::package("vsftpd", "/etc/vsftpd.conf") else {
        return;
    };
    let conf = fs::read_to_string(pkg.file("/etc/vsftpd.conf")).unwrap();
    // Debian's file: anonymous off, write_enable and anon_upload_enable commented out.
    assert!(
        conf.contains("anonymous_enable=NO"),
        "unexpected vsftpd.conf"
    );
    assert!(
        conf.contains("#anon_upload_enable=YES"),
        "unexpected vsftpd.conf"
    );
    assert!(audit_with(&[("etc/vsftpd.conf", conf.clone().into_bytes())], "FT008").is_empty());
    // Uncommenting Debian's own suggestions and turning anonymous on opens uploads.
    let unsafe_conf = conf
        .replace("anonymous_enable=NO", "anonymous_enable=YES")
        .replace("#write_enable=YES", "write_enable=YES")
        .replace("#anon_upload_enable=YES", "anon_upload_enable=YES");
    let findings = audit_with(&[("etc/vsftpd.conf", unsafe_conf.into_bytes())], "FT008");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(findings[0].title.contains("anon_upload_enable"));
    assert!(
        findings[0]
            .title_ja
            .starts_with("etc/vsftpd.conf: 匿名の利用者が書き込める（anon_upload_enable"),
        "{}",
        findings[0].title_ja
    );
    assert_eq!(findings[0].evidence.len(), 3);
}

#[test]
fn proftpd_default_and_unsafe() {
    let template = "/usr/share/proftpd/templates/proftpd.conf";
    let Some(pkg) = packages::package("proftpd-core", template) else {
        return;
    };
    let mut configs = vec![fs::read_to_string(pkg.file(template)).unwrap()];
    if let Ok(installed) = fs::read_to_string(pkg.file("/etc/proftpd/proftpd.conf")) {
        configs.push(installed);
    }
    for conf in configs {
        let rel = "etc/proftpd/proftpd.conf";
        assert!(
            conf.contains("# <Anonymous ~ftp>"),
            "unexpected proftpd.conf"
        );
        assert!(audit_with(&[(rel, conf.clone().into_bytes())], "FT009").is_empty());
        // Debian's commented example, uncommented: writes denied in <Directory *>.
        let mut inside = false;
        let example: String = conf
            .lines()
            .map(|line| {
                if line.starts_with("# <Anonymous") {
                    inside = true;
                }
                let out = if inside {
                    line.strip_prefix('#').unwrap_or(line).to_string()
                } else {
                    line.to_string()
                };
                if line.starts_with("# </Anonymous>") {
                    inside = false;
                }
                out + "\n"
            })
            .collect();
        assert!(example.contains("\n <Anonymous ~ftp>\n"), "{example}");
        assert!(audit_with(&[(rel, example.clone().into_bytes())], "FT009").is_empty());
        // The unsafe variant: DenyAll turned into AllowAll.
        let unsafe_conf = example.replacen("      DenyAll", "      AllowAll", 1);
        let findings = audit_with(&[(rel, unsafe_conf.into_bytes())], "FT009");
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert!(findings[0].title.contains("<Anonymous ~ftp>"));
        assert!(
            findings[0].title_ja.contains("<Anonymous ~ftp> "),
            "{}",
            findings[0].title_ja
        );
    }
}

fn as_refs(files: &[(String, Vec<u8>)]) -> Vec<(&str, Vec<u8>)> {
    files.iter().map(|(r, b)| (r.as_str(), b.clone())).collect()
}

#[test]
fn pure_ftpd_default_and_unsafe() {
    let probe = "/etc/pure-ftpd/conf/NoAnonymous";
    let Some(pkg) = packages::package("pure-ftpd-common", probe) else {
        return;
    };
    let dir = pkg.file("/etc/pure-ftpd/conf");
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                format!("etc/pure-ftpd/conf/{}", e.file_name().to_string_lossy()),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    assert!(files.len() >= 3, "{files:?}");
    // The upstream single-file configuration Debian also ships (unused when conf/ exists)
    // says NoAnonymous no: it must not be what is judged.
    if let Ok(single) = fs::read(pkg.file("/etc/pure-ftpd/pure-ftpd.conf")) {
        files.push(("etc/pure-ftpd/pure-ftpd.conf".to_string(), single));
    }

    assert!(audit_with(&as_refs(&files), "FT010").is_empty());
    for (rel, bytes) in files.iter_mut() {
        if rel.ends_with("/NoAnonymous") {
            *bytes = b"no\n".to_vec();
        }
    }
    let findings = audit_with(&as_refs(&files), "FT010");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        findings[0].evidence[0].file,
        "etc/pure-ftpd/conf/NoAnonymous"
    );
}
