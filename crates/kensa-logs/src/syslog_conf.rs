//! Where the audited host's syslog daemon writes: the files named by `etc/syslog.conf`,
//! `etc/rsyslog.conf` and what it includes (`etc/rsyslog.d/*.conf`), so that logs at a
//! site's own paths (`/var/log/remote/auth`, `/srv/log/secure`) are read like those at
//! the usual ones.
//!
//! Both syntaxes of rsyslog and the one of BSD and SunOS syslogd are read for their file
//! actions only: a legacy rule `SELECTOR<blanks>[-]/path` (the `-` asks for no sync), a
//! RainerScript `action(type="omfile" file="/path" …)`, and the includes `$IncludeConfig
//! PATTERN` and `include(file="PATTERN")`. Everything else — templates (`?Name`),
//! dynamic files, pipes (`|`), users (`*`, `root`), remote hosts (`@host`), modules —
//! names no file kensa can read and is passed over.
//!
//! The configuration is the audited machine's, so possibly an attacker's: each file is
//! read up to [`MAX_CONF_BYTES`], at most [`MAX_CONF_FILES`] files are followed through
//! includes, and at most [`MAX_PATHS`] paths are returned; every file is read through
//! [`kensa_fs::Root`], so no path leads out of the root (resolving the returned paths
//! inside it, links included, is the caller's job).

use kensa_fs::Root;

/// Bytes read of one configuration file.
pub const MAX_CONF_BYTES: u64 = 1024 * 1024;
/// Configuration files read in all, through includes.
pub const MAX_CONF_FILES: usize = 64;
/// Log paths returned.
pub const MAX_PATHS: usize = 256;

/// The configuration files read first, relative to the root.
const ROOTS: &[&str] = &["etc/syslog.conf", "etc/rsyslog.conf"];

/// The log paths the syslog configuration under `root` writes to, relative to the root
/// (`/var/log/auth.log` is `var/log/auth.log`; `.` and `..` are dropped, so none leads
/// above it), in the order found, without repeats.
pub fn log_paths(root: &Root) -> Vec<String> {
    let mut pending: Vec<String> = ROOTS.iter().map(|p| format!("/{p}")).collect();
    let mut read: Vec<String> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    while let Some(conf) = pending.pop() {
        if read.len() >= MAX_CONF_FILES || read.contains(&conf) {
            continue;
        }
        read.push(conf.clone());
        let Some(text) = read_conf(root, &relative(&conf)) else {
            continue;
        };
        let parsed = parse(&text);
        for path in parsed.files {
            let path = relative(&path);
            if paths.len() < MAX_PATHS && !path.is_empty() && !paths.contains(&path) {
                paths.push(path);
            }
        }
        for pattern in parsed.includes.iter().rev() {
            for file in expand(root, pattern).into_iter().rev() {
                pending.push(file);
            }
        }
    }
    paths
}

/// `path` relative to the root, without `.`, `..` and empty parts.
fn relative(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != "." && *part != "..")
        .collect::<Vec<_>>()
        .join("/")
}

/// A regular file's first [`MAX_CONF_BYTES`], as text; `None` for anything else (a link,
/// a FIFO, a directory, an unreadable file).
fn read_conf(root: &Root, rel: &str) -> Option<String> {
    if !root.lstat(rel).ok()?.is_file() {
        return None;
    }
    let (bytes, _) = root.read_prefix(rel, MAX_CONF_BYTES).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The files an include pattern names: a file, a directory's files, or `DIR/*.conf`
/// (the only wildcard form the distributions ship), sorted as rsyslog reads them.
fn expand(root: &Root, pattern: &str) -> Vec<String> {
    let (dir, suffix) = match pattern.rsplit_once('/') {
        Some((dir, name)) if name.starts_with('*') => (dir, Some(&name[1..])),
        _ => {
            if root.lstat(relative(pattern)).is_ok_and(|m| m.is_dir()) {
                (pattern.trim_end_matches('/'), Some(""))
            } else {
                return vec![pattern.to_string()];
            }
        }
    };
    let Some(suffix) = suffix else {
        return Vec::new();
    };
    if suffix.contains(['*', '?', '[']) {
        return Vec::new();
    }
    let wanted = |name: &[u8]| name.ends_with(suffix.as_bytes()) && !name.starts_with(b".");
    let Ok(listing) = root.read_dir_matching(relative(dir), &mut |name| wanted(name), 10_000)
    else {
        return Vec::new();
    };
    let mut files: Vec<String> = listing
        .entries
        .into_iter()
        .filter_map(|entry| entry.name.into_string().ok())
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files.truncate(MAX_CONF_FILES);
    files
}

/// What one configuration file says.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parsed {
    /// Absolute paths of file actions.
    files: Vec<String>,
    /// Include patterns (absolute).
    includes: Vec<String>,
}

fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    // RainerScript statements may span lines: join the text, then look at each
    // `action(` / `include(` and at each legacy line.
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("$IncludeConfig") {
            if let Some(pattern) = rest.split_whitespace().next()
                && pattern.starts_with('/')
            {
                parsed.includes.push(pattern.to_string());
            }
            continue;
        }
        if line.starts_with('$') || line.starts_with("module(") || line.starts_with("input(") {
            continue;
        }
        if let Some(path) = legacy_action(line) {
            parsed.files.push(path);
        }
    }
    for (name, key, into_includes) in [("action(", "file", false), ("include(", "file", true)] {
        let mut rest = text;
        while let Some(at) = rest.find(name) {
            let after = &rest[at + name.len()..];
            let body = after.split(')').next().unwrap_or("");
            rest = &after[body.len().min(after.len())..];
            if !into_includes && !body.contains("omfile") {
                continue;
            }
            if let Some(value) = parameter(body, key)
                && value.starts_with('/')
            {
                if into_includes {
                    parsed.includes.push(value);
                } else {
                    parsed.files.push(value);
                }
            }
        }
    }
    parsed
}

/// The file of a legacy `SELECTOR ACTION` line (`auth,authpriv.* -/var/log/auth.log`,
/// `*.err;kern.notice;auth.notice /dev/sysmsg` is a device: kept, the caller skips
/// what is no regular file).
fn legacy_action(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let selector = words.next()?;
    // A selector is facility.priority pairs; RainerScript lines start otherwise.
    if !selector.contains('.') || selector.contains('(') {
        return None;
    }
    let action = words.next()?;
    let action = action.strip_prefix('-').unwrap_or(action);
    // `/path;TemplateName`: the template is not part of the file.
    let path = action.split(';').next()?;
    (path.starts_with('/') && !path.starts_with("/dev/")).then(|| path.to_string())
}

/// The value of `key="value"` (or `key='value'`) in a RainerScript parameter list.
fn parameter(body: &str, key: &str) -> Option<String> {
    let mut rest = body;
    while let Some(at) = rest.find(key) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == ',' || c == '(');
        let after = rest[at + key.len()..].trim_start();
        rest = &rest[at + key.len()..];
        if !before_ok {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let inner = &value[1..];
        return inner.find(quote).map(|end| inner[..end].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_rsyslog_conf_names_its_files() {
        // Debian 12's /etc/rsyslog.conf rules, with a site's own rule added.
        let text = "\
module(load=\"imuxsock\")\n\
$FileOwner root\n\
$IncludeConfig /etc/rsyslog.d/*.conf\n\
*.*;auth,authpriv.none\t\t-/var/log/syslog\n\
auth,authpriv.*\t\t\t/var/log/auth.log\n\
cron.*\t\t\t\t-/var/log/cron.log\n\
kern.*\t\t\t\t-/var/log/kern.log\n\
mail.*\t\t\t\t-/var/log/mail.log\n\
user.*\t\t\t\t-/var/log/user.log\n\
*.emerg\t\t\t\t:omusrmsg:*\n\
local3.*  /srv/log/sshd-remote.log;RSYSLOG_TraditionalFileFormat\n\
*.err  /dev/console\n\
*.*  @loghost\n\
action(type=\"omfile\" file=\"/var/log/site/secure\")\n\
action(type=\"omfwd\" target=\"10.0.0.1\")\n\
include(file=\"/etc/rsyslog.site\")\n";
        let parsed = parse(text);
        assert_eq!(
            parsed.files,
            [
                "/var/log/syslog",
                "/var/log/auth.log",
                "/var/log/cron.log",
                "/var/log/kern.log",
                "/var/log/mail.log",
                "/var/log/user.log",
                "/srv/log/sshd-remote.log",
                "/var/log/site/secure",
            ]
        );
        assert_eq!(
            parsed.includes,
            ["/etc/rsyslog.d/*.conf", "/etc/rsyslog.site"]
        );
    }

    #[test]
    fn sunos_syslog_conf_names_its_files() {
        let text = "\
*.err;kern.notice;auth.notice\t\t\t/dev/sysmsg\n\
*.err;kern.debug;daemon.notice;mail.crit\t/var/adm/messages\n\
auth.notice\t\t\t\t\t/var/log/authlog\n\
mail.debug\t\t\t\t\tifdef(`LOGHOST', /var/log/syslog, @loghost)\n";
        assert_eq!(parse(text).files, ["/var/adm/messages", "/var/log/authlog"]);
    }

    #[test]
    fn includes_are_followed_within_the_root_and_bounded() {
        let root = tempfile::tempdir().unwrap();
        let etc = root.path().join("etc");
        std::fs::create_dir_all(etc.join("rsyslog.d")).unwrap();
        std::fs::write(
            etc.join("rsyslog.conf"),
            "$IncludeConfig /etc/rsyslog.d/*.conf\nauth.* /var/log/auth.log\n",
        )
        .unwrap();
        std::fs::write(
            etc.join("rsyslog.d/50-remote.conf"),
            "local0.* /../../../var/log/remote/all.log\n$IncludeConfig /etc/rsyslog.d/*.conf\n",
        )
        .unwrap();
        std::fs::write(etc.join("rsyslog.d/README"), "*.* /not/read\n").unwrap();
        // A link is not followed (it may lead out of the root).
        std::os::unix::fs::symlink("/etc/rsyslog.conf", etc.join("rsyslog.d/99-link.conf"))
            .unwrap();
        // A path with `..` stays in the root.
        assert_eq!(
            log_paths(&kensa_testkit::root_at(root.path())),
            ["var/log/auth.log", "var/log/remote/all.log"]
        );
    }

    #[test]
    fn hostile_configurations_stay_bounded() {
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!("auth.* /var/log/f{i}\n"));
        }
        text.push_str("action(type=\"omfile\" file=\"unterminated\n");
        text.push_str("action(");
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("etc")).unwrap();
        std::fs::write(root.path().join("etc/syslog.conf"), &text).unwrap();
        assert_eq!(
            log_paths(&kensa_testkit::root_at(root.path())).len(),
            MAX_PATHS
        );
    }
}
