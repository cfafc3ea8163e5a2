//! What the compromise assessment needs from the root's account files: which accounts
//! had a password on the host (every one of them must be changed once intrusion cannot
//! be ruled out — the advisory's step 5), and UID → name for reading classic lastlog.
//!
//! Names only: no hash, no password field ever leaves this module.

use super::hash::{PasswordField, classify};
use super::{read_passwd, read_shadow};
use kensa_fs::Root;
use std::collections::{BTreeMap, HashMap};

/// The accounts whose password field (in shadow when the passwd field points there)
/// holds a hash — usable, or kept behind a lock marker (`!$6$…`, which an intruder who
/// copied the file can crack and try elsewhere) — sorted by name. `None` when the root
/// has no readable passwd file. Diagnostics are dropped: the account checks report the
/// same files.
pub fn accounts_with_passwords(root: &Root) -> Option<Vec<String>> {
    let mut ignored = Vec::new();
    let passwd = read_passwd(root, &mut ignored);
    if passwd.is_empty() {
        return None;
    }
    let shadow: HashMap<String, Vec<u8>> = read_shadow(root, &mut ignored)
        .unwrap_or_default()
        .into_iter()
        .map(|entry| (entry.name, entry.hash))
        .collect();
    let mut names: Vec<String> = passwd
        .iter()
        .filter(|entry| !entry.nis)
        .filter(|entry| {
            let field = match classify(&entry.password) {
                PasswordField::Elsewhere => shadow.get(&entry.name).map(|hash| classify(hash)),
                other => Some(other),
            };
            matches!(
                field,
                Some(PasswordField::Hash(_) | PasswordField::Locked { hash: Some(_) })
            )
        })
        .map(|entry| entry.name.clone())
        .collect();
    names.sort();
    names.dedup();
    Some(names)
}

/// UID → login name (raw bytes) from the root's passwd, first entry of each UID;
/// `None` when there is no readable passwd file.
pub fn names_by_uid(root: &Root) -> Option<BTreeMap<u32, Vec<u8>>> {
    let mut ignored = Vec::new();
    let passwd = read_passwd(root, &mut ignored);
    if passwd.is_empty() {
        return None;
    }
    let mut names = BTreeMap::new();
    for entry in passwd.iter().filter(|e| !e.nis) {
        if let Some(uid) = entry.uid {
            names.entry(uid).or_insert_with(|| entry.raw_name.clone());
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let root = Root::open(dir.path()).unwrap();
        (dir, root)
    }

    #[test]
    fn lists_accounts_with_hashes_from_passwd_and_shadow() {
        let (_dir, root) = root_with(&[
            (
                "etc/passwd",
                "root:x:0:0::/root:/bin/sh\ndaemon:x:1:1::/:/usr/sbin/nologin\n\
                 alice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n\
                 old:RzoH/GEUQ2Tc6:1002:1:::/bin/csh\nnopw::1003:1:::/bin/sh\n+::0:0:::\n",
            ),
            (
                "etc/shadow",
                "root:$6$salt$hash:19000::::::\ndaemon:*:19000::::::\n\
                 alice:!$y$j9T$salt$hash:19000::::::\nbob:!:19000::::::\n",
            ),
        ]);
        assert_eq!(
            accounts_with_passwords(&root),
            Some(vec![
                "alice".to_string(),
                "old".to_string(),
                "root".to_string()
            ])
        );
        let names = names_by_uid(&root).unwrap();
        assert_eq!(names.get(&1000).map(Vec::as_slice), Some(&b"alice"[..]));
        assert_eq!(names.get(&0).map(Vec::as_slice), Some(&b"root"[..]));
    }

    #[test]
    fn no_passwd_means_unknown() {
        let (_dir, root) = root_with(&[]);
        assert_eq!(accounts_with_passwords(&root), None);
        assert_eq!(names_by_uid(&root), None);
    }
}
