//! Facts about the audited root that the log scan and the report need: its own host name
//! (for log lines that carry none), its operating system, and what `--mask` must hide
//! (its accounts, its names and domain, its internal hosts) — read from the root's files,
//! never from the analyst's machine unless the root *is* this machine.

use kensa_fs::Root;
use std::path::Path;
use std::sync::Arc;

/// The audited root's short host name, and whether the root itself stated it (rather
/// than kensa falling back to the root directory's name).
pub fn host_name(root: &Root) -> (String, bool) {
    // SunOS and Solaris keep the name in etc/hostname.<interface> (e.g. hostname.le0).
    let mut wanted = |name: &[u8]| name.starts_with(b"hostname.") && name.len() <= 64;
    let mut interface_files: Vec<String> = root
        .read_dir_matching("etc", &mut wanted, 64)
        .map(|listing| listing.entries)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|entry| entry.name.to_str().map(|name| format!("etc/{name}")))
        .collect();
    interface_files.sort();
    let fixed = ["etc/hostname", "etc/HOSTNAME", "etc/nodename", "etc/myname"].map(str::to_string);
    for name in fixed.iter().chain(&interface_files) {
        if let Some(host) = read_small(root, name).and_then(|text| first_token(&text)) {
            return (host, true);
        }
    }
    // The root is this running machine: its kernel knows the name.
    if root.path() == Path::new("/")
        && let Some(host) =
            read_small(root, "proc/sys/kernel/hostname").and_then(|t| first_token(&t))
    {
        return (host, true);
    }
    // The directory's own name is the analyst's choice, read on the analyst's system.
    let fallback = kensa_fs::analyst::canonicalize(root.path())
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .and_then(|n| first_token(&n))
        .unwrap_or_else(|| "localhost".to_string());
    (fallback, false)
}

/// The host the root's own logs name, for a root that names none itself (see
/// [`kensa_logs::local_host`]): the logs under it, or those given on the command line.
/// Discovery's complaints are left to the scan, which discovers again and reports them.
pub fn named_by_own_logs(root: &Arc<Root>, logs: &[std::path::PathBuf]) -> Option<String> {
    let mut ignored = Vec::new();
    let sets = if logs.is_empty() {
        kensa_logs::source::discover(root, &mut ignored)
    } else {
        kensa_logs::source::from_paths(root, logs, &mut ignored)
    };
    kensa_logs::local_host::named_by_logs(&sets)
}

/// A small regular file of the root (never a link, FIFO or device) as text.
fn read_small(root: &Root, rel: &str) -> Option<String> {
    if !root.lstat(rel).ok()?.is_file() {
        return None;
    }
    let (bytes, _) = root.read_prefix(rel, 4096).ok()?;
    String::from_utf8(bytes).ok()
}

/// The first word of the first non-comment line, cut at the first dot, if it is a
/// plausible host name.
fn first_token(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let word = line.split_whitespace().next()?;
    let short = word.split('.').next()?;
    let plausible = !short.is_empty()
        && short.len() <= 63
        && short
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| short.to_string())
}

/// Bytes read of one small configuration file.
const SMALL: u64 = 64 * 1024;

/// The operating system as the root's files state it: `etc/os-release` (or
/// `usr/lib/os-release`) `PRETTY_NAME`, Solaris' `etc/release`, or a release line at the
/// top of `etc/motd` (SunOS 4 and the BSDs put the kernel's banner there).
pub fn os_name(root: &kensa_fs::Root) -> Option<String> {
    let read = |rel: &str| {
        root.read(rel, SMALL)
            .ok()
            .map(|data| String::from_utf8_lossy(&data).into_owned())
    };
    for rel in ["etc/os-release", "usr/lib/os-release"] {
        if let Some(text) = read(rel)
            && let Some(name) = text.lines().find_map(|line| {
                let value = line.trim().strip_prefix("PRETTY_NAME=")?;
                Some(
                    value
                        .trim_matches(|c| c == '"' || c == '\'')
                        .trim()
                        .to_string(),
                )
            })
            && !name.is_empty()
        {
            return Some(cap(&name));
        }
    }
    let first_line = |text: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_string)
    };
    if let Some(line) = read("etc/release").as_deref().and_then(first_line) {
        return Some(cap(&line));
    }
    let banner = read("etc/motd").as_deref().and_then(first_line)?;
    let known = [
        "SunOS", "Solaris", "FreeBSD", "NetBSD", "OpenBSD", "BSD/OS", "Linux", "HP-UX", "AIX",
        "IRIX", "ULTRIX",
    ];
    known
        .iter()
        .any(|os| banner.starts_with(os))
        .then(|| cap(banner.split(':').next().unwrap_or(&banner).trim()))
}

fn cap(text: &str) -> String {
    text.chars().take(200).collect()
}

/// What `--mask` must hide besides what the report itself names: the root's accounts,
/// its own names and aliases and the names of internal addresses in its `etc/hosts`, and
/// its DNS domain (from those names, `etc/resolv.conf`, `etc/defaultdomain`).
pub fn mask_inputs(root: &kensa_fs::Root, host: &str) -> kensa_report::mask::MaskInputs {
    let mut inputs = kensa_report::mask::MaskInputs::default();
    let mut ignored = Vec::new();
    for entry in kensa_host::accounts::read_passwd(root, &mut ignored) {
        let name = entry.name.trim_start_matches(['+', '-', '@']);
        if !name.is_empty() {
            inputs.users.push(name.to_string());
        }
    }
    inputs.hosts.push(host.to_string());
    let mut own_names: Vec<String> = vec![host.to_string()];
    for rel in ["etc/hostname", "etc/HOSTNAME", "etc/nodename", "etc/myname"] {
        if let Ok(data) = root.read(rel, SMALL) {
            own_names.extend(
                String::from_utf8_lossy(&data)
                    .split_whitespace()
                    .next()
                    .map(str::to_string),
            );
        }
    }
    if let Ok(data) = root.read("etc/hosts", SMALL) {
        for line in String::from_utf8_lossy(&data).lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut fields = line.split_whitespace();
            let Some(address) = fields.next() else {
                continue;
            };
            let names: Vec<&str> = fields.collect();
            let own = names.iter().any(|name| {
                name.eq_ignore_ascii_case(host)
                    || name
                        .split('.')
                        .next()
                        .is_some_and(|short| short.eq_ignore_ascii_case(host))
            });
            let internal = address
                .parse::<std::net::IpAddr>()
                .is_ok_and(kensa_report::mask::is_internal);
            if own || internal {
                for name in names.iter().filter(|name| !name.starts_with("localhost")) {
                    inputs.hosts.push(name.to_string());
                    if own {
                        own_names.push(name.to_string());
                    }
                }
            }
        }
    }
    for name in &own_names {
        if let Some((_, domain)) = name.split_once('.') {
            inputs.domains.push(domain.to_string());
        }
    }
    if let Ok(data) = root.read("etc/resolv.conf", SMALL) {
        for line in String::from_utf8_lossy(&data).lines() {
            let mut fields = line.split_whitespace();
            if matches!(fields.next(), Some("domain" | "search")) {
                inputs.domains.extend(fields.map(str::to_string));
            }
        }
    }
    if let Ok(data) = root.read("etc/defaultdomain", SMALL) {
        inputs.domains.extend(
            String::from_utf8_lossy(&data)
                .split_whitespace()
                .next()
                .map(str::to_string),
        );
    }
    // A single label (`localdomain`, `com`) would mask too much to be a site's domain.
    inputs
        .domains
        .retain(|domain| domain.trim_matches('.').contains('.'));
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_short_name_from_the_root() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::fs::write(
            root.path().join("etc/hostname"),
            "# comment\nmailhub.example.ac.jp\n",
        )
        .unwrap();
        assert_eq!(
            host_name(&kensa_testkit::root_at(root.path())),
            ("mailhub".to_string(), true)
        );
    }

    #[test]
    fn reads_sunos_interface_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/hostname.le0"), "mailhub\n").unwrap();
        assert_eq!(
            host_name(&kensa_testkit::root_at(root.path())),
            ("mailhub".to_string(), true)
        );
    }

    #[test]
    fn refuses_implausible_names_and_links() {
        assert_eq!(first_token("\u{1b}[31mevil\n"), None);
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.path().join("etc/hostname")).unwrap();
        assert!(!host_name(&kensa_testkit::root_at(root.path())).1);
    }

    #[test]
    fn reads_the_os_and_what_to_mask_from_the_example() {
        let example = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/sunos-1997"
        ));
        let root = kensa_fs::Root::open(example).unwrap();
        assert_eq!(
            os_name(&root).as_deref(),
            Some("SunOS Release 4.1.4 (GENERIC) #2")
        );
        let inputs = mask_inputs(&root, "mailhub");
        for user in ["tanaka", "sato", "guest", "root"] {
            assert!(inputs.users.iter().any(|u| u == user), "{user}");
        }
        for host in [
            "mailhub",
            "mailhub.example.ac.jp",
            "loghost",
            "ws01",
            "pc-lab5",
        ] {
            assert!(inputs.hosts.iter().any(|h| h == host), "{host}");
        }
        assert!(!inputs.hosts.iter().any(|h| h == "localhost"));
        assert_eq!(inputs.domains, ["example.ac.jp"]);
    }

    #[test]
    fn os_release_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("etc")).unwrap();
        std::fs::write(
            dir.path().join("etc/os-release"),
            "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("etc/motd"), "Welcome!\n").unwrap();
        let root = kensa_fs::Root::open(dir.path()).unwrap();
        assert_eq!(
            os_name(&root).as_deref(),
            Some("Debian GNU/Linux 13 (trixie)")
        );
        std::fs::remove_file(dir.path().join("etc/os-release")).unwrap();
        assert_eq!(
            os_name(&root),
            None,
            "a motd without a release banner says nothing"
        );
    }
}
