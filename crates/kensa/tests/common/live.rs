//! What the live-capture tests share (`live_sshd.rs`, `live_login.rs`): the truth a
//! capture script recorded, parts of a captured root, and the check that kensa's findings
//! are that truth — every attack with its count and outcome, nothing for benign sources
//! or sources that did nothing, one host.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// What one attacker did, from `truth.tsv`: source address, what, password tries, and
/// (fourth column, optional) the name the logs give the address instead (login names
/// 127.0.0.1 `localhost`).
pub struct Truth {
    pub source: String,
    pub what: String,
    pub tries: u64,
    pub name: Option<String>,
}

impl Truth {
    /// Whether a finding's source is this attacker's: its address, or its name where
    /// nothing in the logs joined the name to the address.
    fn is(&self, source: &str) -> bool {
        self.source == source || self.name.as_deref() == Some(source)
    }
}

pub fn truth(dir: &Path) -> Vec<Truth> {
    std::fs::read_to_string(dir.join("truth.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Truth {
                source: fields[0].to_string(),
                what: fields[1].to_string(),
                tries: fields[2].parse().unwrap(),
                name: fields.get(3).map(|name| name.to_string()),
            }
        })
        .collect()
}

/// A copy of `root` holding only the logs named (files or directories under
/// `var/log`), in a directory whose name starts `only-`.
pub fn only(root: &Path, logs: &[&str]) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
    }
    let dir = tempfile::Builder::new().prefix("only-").tempdir().unwrap();
    for log in logs {
        copy(
            &root.join("var/log").join(log),
            &dir.path().join("var/log").join(log),
        );
    }
    dir
}

pub fn scan(root: &Path) -> Value {
    let out = super::kensa(&[
        "scan",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The host the syslog lines name (the third word of `auth.log`'s first line).
pub fn syslog_host(root: &Path) -> String {
    let log = std::fs::read_to_string(root.join("var/log/auth.log")).unwrap();
    log.split_whitespace().nth(3).unwrap().to_string()
}

/// A finding as the checks compare it: code, source, count, outcome.
pub type Found = (String, String, u64, String);

/// Every finding, and the hosts reported.
pub fn findings(report: &Value) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut hosts = Vec::new();
    for host in report["hosts"].as_array().unwrap() {
        hosts.push(host["host"].as_str().unwrap().to_string());
        for f in host["findings"].as_array().unwrap() {
            found.push((
                f["code"].as_str().unwrap().to_string(),
                f["subject"]["source"].as_str().unwrap_or("").to_string(),
                f["count"].as_u64().unwrap_or(0),
                f["outcome"].as_str().unwrap().to_string(),
            ));
        }
    }
    (found, hosts)
}

/// Every attack of `truth` found with its count and outcome, nothing for the benign
/// sources, nothing for sources that are not in the truth, one host named `host`.
pub fn check(report: &Value, truth: &[Truth], host: &str) {
    let (found, hosts) = findings(report);
    // A host named after its directory ("only-XXXXXX" gives "only-XXXXXX").
    let named = |h: &String| h == host || (host.ends_with('-') && h.starts_with(host));
    assert!(
        hosts.len() == 1 && named(&hosts[0]),
        "{hosts:?}: {found:#?}"
    );
    let of = |t: &Truth| -> Vec<(&str, u64, &str)> {
        found
            .iter()
            .filter(|f| t.is(&f.1))
            .map(|f| (f.0.as_str(), f.2, f.3.as_str()))
            .collect()
    };
    for t in truth {
        // Once: a name and its address are one source, never two.
        let mut got = of(t);
        got.sort_unstable();
        let want: Vec<(&str, u64, &str)> = match t.what.as_str() {
            "burst-root" | "burst-account" | "invalid-user-passwords" => {
                vec![("LG001", t.tries, "attempted")]
            }
            "enumeration-none" => vec![("LG007", t.tries, "attempted")],
            "guessed-login" => vec![
                ("LG001", t.tries, "attempted"),
                ("LG005", t.tries, "succeeded"),
            ],
            "benign-owner" | "keyscan" => Vec::new(),
            other => panic!("truth.tsv: unknown attack {other}"),
        };
        assert_eq!(got, want, "{} ({})", t.source, t.what);
    }
    for f in &found {
        assert!(
            truth.iter().any(|t| t.is(&f.1)),
            "a finding for a source that did nothing: {f:?}"
        );
    }
}

/// What a live capture needs: files that must exist, programs on the PATH.
pub struct Needs<'a> {
    pub files: &'a [&'a str],
    pub programs: &'a [&'a str],
}

/// Why the live capture cannot run here, if it cannot (it also needs root).
pub fn missing(needs: &Needs<'_>) -> Option<String> {
    for file in needs.files {
        if !Path::new(file).exists() {
            return Some(file.to_string());
        }
    }
    for program in needs.programs {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {program}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(program.to_string());
        }
    }
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("root (namespaces, the servers' privilege separation)".to_string());
    }
    None
}

/// Whether a live capture can run here: `false`, after saying why on standard error,
/// when `missing` names what is not here; under KENSA_REQUIRE_SHARED (CI) a missing part
/// fails the test instead.
pub fn available(missing: Option<String>) -> bool {
    let Some(what) = missing else {
        return true;
    };
    if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
        panic!("{what} not found, and KENSA_REQUIRE_SHARED is set");
    }
    eprintln!("skipped: {what} not found");
    false
}

/// A TCP port free on 127.0.0.1 now: tests run in parallel, and CI may run other
/// servers.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The directory `tests/live/SCRIPT OUT ARGS…` filled, run with `env` in a fresh
/// directory OUT; the script's output is the failure message if it fails.
pub fn capture(
    script: &str,
    args: &[std::ffi::OsString],
    env: &[(&str, std::ffi::OsString)],
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/live")
        .join(script);
    let out = Command::new("sh")
        .arg(&script)
        .arg(dir.path())
        .args(args)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}{}",
        script.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// `PACKAGE_*.deb` in `$KENSA_FTP_DEBS` (where `.ci/run` downloads the packages the
/// tests unpack rather than install), if it is there.
pub fn deb(package: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(std::env::var_os("KENSA_FTP_DEBS")?);
    std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(&format!("{package}_")) && name.ends_with(".deb")
        })
}
