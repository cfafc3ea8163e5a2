//! The dpkg database under the audited root, read as data.
//!
//! dpkg keeps what it installed in plain files: `var/lib/dpkg/status` (one paragraph per
//! package: its state and its configuration files with their MD5 under `Conffiles:`),
//! `var/lib/dpkg/info/PKG.list` (every path the package owns, directories included),
//! `var/lib/dpkg/info/PKG.md5sums` (the MD5 of each of its files except conffiles; some
//! tools also write `PKG.sha256sums`), `var/lib/dpkg/diversions` (files moved aside by
//! `dpkg-divert`, in triples of lines: original, new place, diverting package or `:`
//! for the administrator) and `var/lib/dpkg/statoverride` (modes the administrator set
//! with `dpkg-statoverride`). Multi-Arch packages name their info files `PKG:ARCH.*`.
//!
//! Paths are kept twice: as the package lists them (for reports) and *canonical* —
//! their directory resolved inside the root — so that `bin/login` listed by a package
//! and `usr/bin/login` met while walking a usr-merged system (`bin -> usr/bin`) are the
//! same file. Which files the administrator told dpkg not to install (`path-exclude`
//! in `etc/dpkg/dpkg.cfg.d/*`, as Docker images do for documentation) is read too, so
//! that their absence is not reported.

use super::db::{Canon, Database, Digest, Diversion, Expected, Sum};
use crate::Root;
use kensa_core::{Diagnostic, DiagnosticLevel, tr};
use std::collections::{HashMap, HashSet};
use std::io::ErrorKind;

/// Largest `status` file read (a large desktop's is a few MB).
pub const MAX_STATUS_BYTES: u64 = 256 << 20;
/// Largest info file (`.list`, `.md5sums`) read.
pub const MAX_INFO_BYTES: u64 = 64 << 20;
/// Malformed lines reported one by one per file; the rest are counted.
const MAX_LINE_DIAGNOSTICS: usize = 5;

/// The dpkg database directory.
pub const DPKG_DIR: &str = "var/lib/dpkg";

/// Reads the dpkg database of `root`, `None` when it has none (no
/// `var/lib/dpkg/status`). Unreadable or malformed parts are diagnostics.
pub fn read(root: &Root, diags: &mut Vec<Diagnostic>) -> Option<Database> {
    let status_path = format!("{DPKG_DIR}/status");
    let status = match root.read(&status_path, MAX_STATUS_BYTES) {
        Ok(data) => data,
        Err(err) if err.kind() == ErrorKind::NotFound => return None,
        Err(err) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Error,
                root.display(&status_path),
                None,
                tr!(
                    "cannot read the dpkg status file, packages not verified: {err}",
                    "dpkg の status ファイルを読み取れないため、パッケージを検証していません: {err}"
                ),
            ));
            return None;
        }
    };
    let mut db = Database {
        sources: vec![status_path.clone()],
        ..Database::default()
    };
    let mut canon = Canon::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let installed = parse_status(&status);
    let info_dir = format!("{DPKG_DIR}/info");
    let entries = match root.read_dir(&info_dir) {
        Ok(entries) => entries,
        Err(err) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Error,
                root.display(&info_dir),
                None,
                tr!(
                    "cannot list dpkg's info directory, packages not verified: {err}",
                    "dpkg の info ディレクトリを一覧できないため、パッケージを検証していません: {err}"
                ),
            ));
            Vec::new()
        }
    };
    let mut package_of = |db: &mut Database, name: &str| -> usize {
        *index.entry(name.to_string()).or_insert_with(|| {
            db.packages.push(name.to_string());
            db.packages.len() - 1
        })
    };
    for entry in &entries {
        let Some(name) = entry.name.to_str() else {
            continue;
        };
        let (stem, ext) = match name.rsplit_once('.') {
            Some(parts) => parts,
            None => continue,
        };
        if !matches!(ext, "list" | "md5sums" | "sha256sums") {
            continue;
        }
        let base = stem.split(':').next().unwrap_or(stem);
        if !installed.packages.contains(base) {
            // Info files of a package removed but not purged, or not installed at all.
            continue;
        }
        let rel = format!("{info_dir}/{name}");
        let data = match root.read(&rel, MAX_INFO_BYTES) {
            Ok(data) => data,
            Err(err) => {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(&rel),
                    None,
                    tr!(
                        "cannot read: {err}; package {stem} not verified",
                        "読み取れません: {err}。パッケージ {stem} は検証していません"
                    ),
                ));
                continue;
            }
        };
        let pkg = package_of(&mut db, stem);
        if ext == "list" {
            for line in data.split(|&b| b == b'\n') {
                let Ok(path) = std::str::from_utf8(line) else {
                    continue;
                };
                let path = path.trim_start_matches('/');
                if path.is_empty() || path == "." {
                    continue;
                }
                db.owned.entry(canon.of(root, path)).or_insert(Some(pkg));
            }
        } else {
            let mut bad = 0usize;
            for (no, line) in data.split(|&b| b == b'\n').enumerate() {
                if line.is_empty() {
                    continue;
                }
                match parse_sum_line(line) {
                    Some((digest, path)) => db.sums.push(Sum {
                        package: pkg,
                        path,
                        expected: Expected::Digest(digest),
                        conffile: false,
                        missing_ok: false,
                    }),
                    None => {
                        bad += 1;
                        if bad <= MAX_LINE_DIAGNOSTICS {
                            diags.push(Diagnostic::say(
                                DiagnosticLevel::Warning,
                                root.display(&rel),
                                Some(no as u64 + 1),
                                tr!(
                                    "not a `DIGEST  PATH` line; skipped",
                                    "`ダイジェスト  パス` の行ではないため読み飛ばしました"
                                ),
                            ));
                        }
                    }
                }
            }
            if bad > MAX_LINE_DIAGNOSTICS {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(&rel),
                    None,
                    tr!("{bad} malformed lines in all", "不正な行が合計 {bad} 行"),
                ));
            }
        }
    }
    for (package, path, digest) in installed.conffiles {
        let pkg = package_of(&mut db, &package);
        db.sums.push(Sum {
            package: pkg,
            path,
            expected: Expected::Digest(digest),
            conffile: true,
            missing_ok: false,
        });
    }
    db.diversions = read_diversions(root, diags);
    for d in &db.diversions {
        let by = match &d.by {
            Some(name) => db
                .packages
                .iter()
                .position(|p| p.split(':').next() == Some(name.as_str())),
            None => None,
        };
        let from = canon.of(root, &d.from);
        db.owned.insert(from, by);
        let to = canon.of(root, &d.to);
        db.owned.entry(to).or_insert(by);
    }
    db.statoverride = read_statoverride(root, &mut canon, diags);
    db.filters = read_filters(root, diags);
    Some(db)
}

/// What `status` says: installed package names and their live conffiles.
struct Installed {
    packages: HashSet<String>,
    conffiles: Vec<(String, String, Digest)>,
}

/// Package states whose files are on disk (`dpkg -s` "Status" third word).
fn on_disk(state: &[u8]) -> bool {
    matches!(
        state,
        b"installed" | b"half-configured" | b"unpacked" | b"triggers-awaited" | b"triggers-pending"
    )
}

fn parse_status(data: &[u8]) -> Installed {
    let mut out = Installed {
        packages: HashSet::new(),
        conffiles: Vec::new(),
    };
    let mut name: Option<String> = None;
    let mut present = false;
    let mut conffiles: Vec<(String, Digest)> = Vec::new();
    let mut in_conffiles = false;
    let mut flush =
        |name: &mut Option<String>, present: &mut bool, conffiles: &mut Vec<(String, Digest)>| {
            if let Some(n) = name.take()
                && *present
            {
                for (path, digest) in conffiles.drain(..) {
                    out.conffiles.push((n.clone(), path, digest));
                }
                out.packages.insert(n);
            }
            conffiles.clear();
            *present = false;
        };
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            flush(&mut name, &mut present, &mut conffiles);
            in_conffiles = false;
            continue;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if in_conffiles {
                // ` /etc/foo 0123...abcd [obsolete|remove-on-upgrade]`
                let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
                let (Some(path), Some(hex)) = (words.next(), words.next()) else {
                    continue;
                };
                let flags: Vec<&[u8]> = words.collect();
                if flags
                    .iter()
                    .any(|f| *f == b"obsolete" || *f == b"remove-on-upgrade")
                {
                    continue;
                }
                if let (Ok(path), Some(digest)) =
                    (std::str::from_utf8(path), Digest::parse_hex(hex))
                {
                    conffiles.push((path.trim_start_matches('/').to_string(), digest));
                }
            }
            continue;
        }
        in_conffiles = false;
        if let Some(rest) = line.strip_prefix(b"Package:") {
            name = Some(String::from_utf8_lossy(rest.trim_ascii()).into_owned());
        } else if let Some(rest) = line.strip_prefix(b"Status:") {
            let words: Vec<&[u8]> = rest
                .split(|&b| b == b' ')
                .filter(|w| !w.is_empty())
                .collect();
            present = words.get(2).is_some_and(|w| on_disk(w));
        } else if line.starts_with(b"Conffiles:") {
            in_conffiles = true;
        }
    }
    flush(&mut name, &mut present, &mut conffiles);
    out
}

/// `DIGEST  PATH` (two spaces; the path may hold spaces), path without leading `/`.
fn parse_sum_line(line: &[u8]) -> Option<(Digest, String)> {
    let space = line.iter().position(|&b| b == b' ')?;
    let digest = Digest::parse_hex(&line[..space])?;
    let path = line[space..].trim_ascii_start();
    let path = std::str::from_utf8(path).ok()?.trim_start_matches('/');
    (!path.is_empty()).then(|| (digest, path.to_string()))
}

fn read_diversions(root: &Root, diags: &mut Vec<Diagnostic>) -> Vec<Diversion> {
    let rel = format!("{DPKG_DIR}/diversions");
    let data = match root.read(&rel, MAX_INFO_BYTES) {
        Ok(data) => data,
        Err(err) if err.kind() == ErrorKind::NotFound => return Vec::new(),
        Err(err) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                root.display(&rel),
                None,
                tr!(
                    "cannot read: {err}; diversions ignored",
                    "読み取れません: {err}。diversion を無視します"
                ),
            ));
            return Vec::new();
        }
    };
    let text = String::from_utf8_lossy(&data);
    let lines: Vec<&str> = text.lines().collect();
    if !lines.len().is_multiple_of(3) {
        let (n, rest) = (lines.len(), lines.len() % 3);
        diags.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            root.display(&rel),
            None,
            tr!(
                "{n} lines, not triples of (file, diverted to, package); the last {rest} ignored",
                "{n} 行あり、(ファイル、移動先、パッケージ) の 3 行組になっていません。最後の {rest} 行を無視します"
            ),
        ));
    }
    lines
        .chunks_exact(3)
        .map(|t| Diversion {
            from: t[0].trim_start_matches('/').to_string(),
            to: t[1].trim_start_matches('/').to_string(),
            by: (t[2] != ":").then(|| t[2].to_string()),
        })
        .collect()
}

fn read_statoverride(
    root: &Root,
    canon: &mut Canon,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<String, u32> {
    let rel = format!("{DPKG_DIR}/statoverride");
    let data = match root.read(&rel, MAX_INFO_BYTES) {
        Ok(data) => data,
        Err(err) if err.kind() == ErrorKind::NotFound => return HashMap::new(),
        Err(err) => {
            diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                root.display(&rel),
                None,
                tr!(
                    "cannot read: {err}; overrides ignored",
                    "読み取れません: {err}。statoverride を無視します"
                ),
            ));
            return HashMap::new();
        }
    };
    let mut out = HashMap::new();
    // `OWNER GROUP MODE PATH` (the path may hold spaces).
    for line in String::from_utf8_lossy(&data).lines() {
        let mut parts = line.splitn(4, ' ');
        let (Some(_), Some(_), Some(mode), Some(path)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if let Ok(mode) = u32::from_str_radix(mode, 8) {
            out.insert(canon.of(root, path), mode);
        }
    }
    out
}

/// `path-exclude`/`path-include` options of `etc/dpkg/dpkg.cfg` and
/// `etc/dpkg/dpkg.cfg.d/*` (in name order, as dpkg reads them).
fn read_filters(root: &Root, diags: &mut Vec<Diagnostic>) -> Vec<(bool, Vec<u8>)> {
    let mut files = vec!["etc/dpkg/dpkg.cfg".to_string()];
    if let Ok(entries) = root.read_dir("etc/dpkg/dpkg.cfg.d") {
        for e in entries {
            if let Some(name) = e.name.to_str() {
                files.push(format!("etc/dpkg/dpkg.cfg.d/{name}"));
            }
        }
    }
    let mut filters = Vec::new();
    for rel in files {
        let data = match root.read(&rel, MAX_INFO_BYTES) {
            Ok(data) => data,
            Err(err) if err.kind() == ErrorKind::NotFound => continue,
            Err(err) => {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Warning,
                    root.display(&rel),
                    None,
                    tr!("cannot read: {err}", "読み取れません: {err}"),
                ));
                continue;
            }
        };
        for line in data.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            let (exclude, rest) = if let Some(rest) = line.strip_prefix(b"path-exclude") {
                (true, rest)
            } else if let Some(rest) = line.strip_prefix(b"path-include") {
                (false, rest)
            } else {
                continue;
            };
            let glob = rest
                .strip_prefix(b"=")
                .unwrap_or(rest)
                .trim_ascii()
                .to_vec();
            if !glob.is_empty() {
                filters.push((exclude, glob));
            }
        }
    }
    filters
}

/// `fnmatch(3)` without flags, as dpkg matches `path-exclude`: `*` and `?` match any
/// byte (slashes included), `[...]` a class (`!` or `^` negates, `a-z` ranges), `\`
/// escapes.
pub fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if p < pat.len() {
            match pat[p] {
                b'*' => {
                    star = Some((p, i));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    i += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = class_match(pat, p, s[i])
                        && matched
                    {
                        p = next;
                        i += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pat.len() && pat[p + 1] == s[i] => {
                    p += 2;
                    i += 1;
                    continue;
                }
                // An escape that does not match.
                b'\\' if p + 1 < pat.len() => {}
                c if c == s[i] => {
                    p += 1;
                    i += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, si)) => {
                p = sp + 1;
                i = si + 1;
                star = Some((sp, si + 1));
            }
            None => return false,
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Whether the class at `pat[start] == '['` matches `c`, and where it ends; `None`
/// when the class is not closed (then `[` is a plain byte that did not match).
fn class_match(pat: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut j = start + 1;
    let negate = matches!(pat.get(j), Some(b'!' | b'^'));
    if negate {
        j += 1;
    }
    let mut matched = false;
    let mut first = true;
    while j < pat.len() {
        if pat[j] == b']' && !first {
            return Some((matched != negate, j + 1));
        }
        first = false;
        let lo = pat[j];
        if j + 2 < pat.len() && pat[j + 1] == b'-' && pat[j + 2] != b']' {
            if (lo..=pat[j + 2]).contains(&c) {
                matched = true;
            }
            j += 3;
        } else {
            if lo == c {
                matched = true;
            }
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_dpkg_does() {
        assert!(glob_match(
            b"/usr/share/doc/*",
            b"/usr/share/doc/a/b/copyright"
        ));
        assert!(!glob_match(b"/usr/share/doc/*", b"/usr/share/man/x"));
        assert!(glob_match(
            b"/usr/share/man/*",
            b"/usr/share/man/man1/ls.1.gz"
        ));
        assert!(glob_match(
            b"/usr/share/locale/??/*",
            b"/usr/share/locale/de/x"
        ));
        assert!(glob_match(b"/x/[a-c]*", b"/x/b1"));
        assert!(!glob_match(b"/x/[!a-c]*", b"/x/b1"));
        assert!(glob_match(b"*copyright", b"/usr/share/doc/p/copyright"));
        assert!(!glob_match(b"a", b"ab"));
    }

    #[test]
    fn status_keeps_installed_packages_and_live_conffiles() {
        let status = b"Package: login\nStatus: install ok installed\nConffiles:\n /etc/login.defs 0123456789abcdef0123456789abcdef\n /etc/old 0123456789abcdef0123456789abcdef obsolete\nVersion: 1\n\nPackage: gone\nStatus: deinstall ok config-files\nConffiles:\n /etc/gone 0123456789abcdef0123456789abcdef\n";
        let got = parse_status(status);
        assert!(got.packages.contains("login"));
        assert!(!got.packages.contains("gone"));
        assert_eq!(got.conffiles.len(), 1);
        assert_eq!(got.conffiles[0].1, "etc/login.defs");
    }

    #[test]
    fn sum_lines_keep_spaces_in_paths() {
        let (d, p) = parse_sum_line(b"0123456789abcdef0123456789abcdef  usr/share/a b").unwrap();
        assert_eq!(p, "usr/share/a b");
        assert_eq!(d.algorithm(), "MD5");
        assert!(parse_sum_line(b"xyz  usr/bin/ls").is_none());
        let sha = format!("{}  usr/bin/ls", "ab".repeat(32));
        assert_eq!(
            parse_sum_line(sha.as_bytes()).unwrap().0.algorithm(),
            "SHA-256"
        );
    }
}
