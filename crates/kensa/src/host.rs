//! Facts about the audited root that the log scan needs: its own host name (for log
//! lines that carry none) — read from the root's files, never from the analyst's machine
//! unless the root *is* this machine.

use std::io::Read;
use std::path::Path;

/// The audited root's short host name, and whether the root itself stated it (rather
/// than kensa falling back to the root directory's name).
pub fn host_name(root: &Path) -> (String, bool) {
    // SunOS and Solaris keep the name in etc/hostname.<interface> (e.g. hostname.le0).
    let mut interface_files: Vec<String> = std::fs::read_dir(root.join("etc"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
        .filter(|name| name.starts_with("hostname.") && name.len() <= 64)
        .map(|name| format!("etc/{name}"))
        .collect();
    interface_files.sort();
    let fixed = ["etc/hostname", "etc/HOSTNAME", "etc/nodename", "etc/myname"].map(str::to_string);
    for name in fixed.iter().chain(&interface_files) {
        if let Some(host) = read_small(&root.join(name)).and_then(|text| first_token(&text)) {
            return (host, true);
        }
    }
    if root == Path::new("/")
        && let Some(host) =
            read_small(Path::new("/proc/sys/kernel/hostname")).and_then(|t| first_token(&t))
    {
        return (host, true);
    }
    let fallback = root
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .and_then(|n| first_token(&n))
        .unwrap_or_else(|| "localhost".to_string());
    (fallback, false)
}

/// A small regular file (never a link, FIFO or device) as text.
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_file() {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
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
        assert_eq!(host_name(root.path()), ("mailhub".to_string(), true));
    }

    #[test]
    fn reads_sunos_interface_files() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/hostname.le0"), "mailhub\n").unwrap();
        assert_eq!(host_name(root.path()), ("mailhub".to_string(), true));
    }

    #[test]
    fn refuses_implausible_names_and_links() {
        assert_eq!(first_token("\u{1b}[31mevil\n"), None);
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("etc")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.path().join("etc/hostname")).unwrap();
        assert!(!host_name(root.path()).1);
    }
}
