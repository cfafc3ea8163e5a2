//! The hashes to test and the words around them, read from the audited root through
//! kensa-host's confined [`Root`] and its own `passwd`/shadow parsers (the same entries
//! the `AC` checks judge).
//!
//! An account is tested when its password field is a usable hash: the shadow file's
//! (`etc/shadow`, `etc/master.passwd`, AIX `etc/security/passwd`), else `etc/passwd`'s
//! own (old systems without shadow passwords). Locked accounts (`!$6$...`, `*LK*`) are
//! not: no password opens them, whatever it is. Empty fields are AC002's business.
//!
//! The site's words come from files that name the site: `etc/resolv.conf` (`domain`,
//! `search`), `etc/defaultdomain` (NIS), `etc/mailname` and the host names of
//! `etc/hosts`, split into labels, the generic ones (`com`, `co`, `jp`, `localhost`)
//! left out.

use kensa_core::{Diagnostic, Evidence};
use kensa_fs::Root;
use kensa_host::accounts::{
    PasswordField, classify, passwd_evidence, read_passwd, read_shadow, shadow_evidence,
};
use std::collections::{HashMap, HashSet};

/// An account whose password field is a usable hash.
#[derive(Debug, Clone)]
pub struct Account {
    /// The login name.
    pub name: String,
    /// The GECOS field, from `passwd`.
    pub gecos: String,
    /// The hash.
    pub hash: Vec<u8>,
    /// The file the hash is in, root-relative.
    pub file: String,
    /// Its line.
    pub line: u64,
    /// The line, hash redacted.
    pub evidence: Evidence,
}

/// The accounts of the root that have a usable hash, shadow entries first.
pub fn read_accounts(root: &Root, diags: &mut Vec<Diagnostic>) -> Vec<Account> {
    let passwd = read_passwd(root, diags);
    let shadow = read_shadow(root, diags).unwrap_or_default();
    let gecos: HashMap<&str, &str> = passwd
        .iter()
        .filter(|e| !e.nis)
        .map(|e| (e.name.as_str(), e.gecos.as_str()))
        .rev()
        .collect();
    let mut accounts = Vec::new();
    let mut in_shadow: HashSet<String> = HashSet::new();
    // master.passwd may already be the account list (a BSD without etc/passwd).
    let account_file = passwd.first().map(|p| p.file.clone());
    for entry in &shadow {
        in_shadow.insert(entry.name.clone());
        if account_file.as_deref() == Some(entry.file.as_str()) {
            continue;
        }
        if let PasswordField::Hash(_) = classify(&entry.hash) {
            accounts.push(Account {
                name: entry.name.clone(),
                gecos: gecos
                    .get(entry.name.as_str())
                    .map(|g| g.to_string())
                    .unwrap_or_default(),
                hash: entry.hash.clone(),
                file: entry.file.clone(),
                line: entry.line,
                evidence: shadow_evidence(entry),
            });
        }
    }
    for entry in passwd.iter().filter(|e| !e.nis) {
        let from_master = entry.file == "etc/master.passwd";
        if in_shadow.contains(&entry.name) && !from_master {
            continue;
        }
        if let PasswordField::Hash(_) = classify(&entry.password) {
            accounts.push(Account {
                name: entry.name.clone(),
                gecos: entry.gecos.clone(),
                hash: entry.password.clone(),
                file: entry.file.clone(),
                line: entry.line,
                evidence: passwd_evidence(entry),
            });
        }
    }
    accounts
}

/// Site words kept at most.
pub const MAX_SITE_WORDS: usize = 50;

const GENERIC: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "local",
    "localdomain",
    "localhost",
    "lan",
    "home",
    "internal",
    "arpa",
    "in-addr",
    "jp",
    "co",
    "ac",
    "ne",
    "or",
    "go",
    "ad",
    "ed",
    "gr",
    "lg",
    "uk",
    "de",
    "fr",
    "us",
    "cn",
    "kr",
    "tw",
    "www",
    "mail",
    "ip6-localhost",
    "ip6-loopback",
    "ip6-allnodes",
    "ip6-allrouters",
    "ip6-localnet",
    "ip6-mcastprefix",
    "loghost",
    "broadcasthost",
];

/// Words that name the site, from its configuration files, lower case, in the order
/// found, at most [`MAX_SITE_WORDS`]; `host` (tried anyway) left out.
pub fn site_words(root: &Root, host: &str, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut read = |rel: &str| -> Option<String> {
        match root.read_prefix(rel, 1 << 20) {
            Ok((data, _)) => Some(String::from_utf8_lossy(&data).into_owned()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => {
                diags.push(Diagnostic::say(
                    kensa_core::DiagnosticLevel::Note,
                    root.display(rel),
                    None,
                    kensa_core::tr!(
                        "cannot be read for site words: {err}",
                        "サイトの語を集めるために読もうとしましたが、読み取れません: {err}"
                    ),
                ));
                None
            }
        }
    };
    for rel in ["etc/defaultdomain", "etc/mailname"] {
        if let Some(text) = read(rel) {
            names.extend(text.split_whitespace().take(4).map(str::to_string));
        }
    }
    if let Some(text) = read("etc/resolv.conf") {
        for line in text.lines() {
            let mut fields = line.split_whitespace();
            if matches!(fields.next(), Some("domain" | "search")) {
                names.extend(fields.take(6).map(str::to_string));
            }
        }
    }
    if let Some(text) = read("etc/hosts") {
        for line in text.lines().take(10_000) {
            let line = line.split('#').next().unwrap_or_default();
            names.extend(line.split_whitespace().skip(1).take(8).map(str::to_string));
        }
    }
    let host = host.to_ascii_lowercase();
    let mut seen = HashSet::new();
    let mut words = Vec::new();
    for name in names {
        for label in name.split('.') {
            let label = label.to_ascii_lowercase();
            let plausible = (3..=32).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.bytes().all(|b| b.is_ascii_digit())
                && !GENERIC.contains(&label.as_str())
                && label != host;
            if plausible && words.len() < MAX_SITE_WORDS && seen.insert(label.clone()) {
                words.push(label);
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let root = Root::open(dir.path()).unwrap();
        (dir, root)
    }

    #[test]
    fn shadow_first_then_passwd_hashes_locked_skipped() {
        let (_dir, root) = root_with(&[
            (
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\nold:pm9TTa/K1jffg:5:5:Old Timer:/:/bin/sh\n\
                 gone:x:6:6::/:/bin/sh\n+::0:0:::\n",
            ),
            (
                "etc/shadow",
                "root:$1$ows0Mp2t$oXgzp9lPUV7gzhrwPCxCw1:1::::::\ngone:!$6$s$h:1::::::\n",
            ),
        ]);
        let mut diags = Vec::new();
        let accounts = read_accounts(&root, &mut diags);
        let names: Vec<(&str, &str)> = accounts
            .iter()
            .map(|a| (a.name.as_str(), a.file.as_str()))
            .collect();
        assert_eq!(names, [("root", "etc/shadow"), ("old", "etc/passwd")]);
        assert_eq!(accounts[0].gecos, "root");
        assert_eq!(accounts[1].gecos, "Old Timer");
        assert!(!accounts[0].evidence.text.contains("ows0Mp2t"));
    }

    #[test]
    fn site_words_from_config() {
        let (_dir, root) = root_with(&[
            (
                "etc/resolv.conf",
                "domain ninja-lab.example.co.jp\nnameserver 1.2.3.4\n",
            ),
            (
                "etc/hosts",
                "127.0.0.1 localhost\n192.0.2.1 mailhub mailhub.ninja-lab.example.co.jp\n\
                 192.0.2.2 kappa # the file server\n",
            ),
        ]);
        let words = site_words(&root, "mailhub", &mut Vec::new());
        assert_eq!(words, ["ninja-lab", "example", "kappa"]);
    }
}
