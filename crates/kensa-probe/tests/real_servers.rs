//! `kensa probe` against real servers from Debian, started by the tests on 127.0.0.1
//! high ports without root: vsftpd (`run_as_launching_user=YES`, as `nobody` when the
//! tests run as root) in three configurations — anonymous off, anonymous read-only,
//! anonymous upload into its root — and aiosmtpd (Debian's python3-aiosmtpd, a real
//! SMTP implementation). The versions kensa reports must be the ones the packages
//! report (`dpkg-query`).
//!
//! A missing server is "skipped: …" unless KENSA_REQUIRE_SHARED is set (CI sets it and
//! `.ci/run` installs vsftpd and python3-aiosmtpd), where it fails.

use kensa_probe::{Options, Probe, target};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Skips (or, under KENSA_REQUIRE_SHARED, fails) when `what` is missing.
fn missing(what: &str) {
    if std::env::var_os("KENSA_REQUIRE_SHARED").is_some() {
        panic!("{what} not found, and KENSA_REQUIRE_SHARED is set");
    }
    eprintln!("skipped: {what} not found");
}

/// The upstream version of a Debian package (`1:3.0.3-13+b2` → `3.0.3`).
fn package_version(package: &str) -> Option<String> {
    let output = Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", package])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let full = String::from_utf8(output.stdout).ok()?;
    let without_epoch = full.split_once(':').map_or(full.as_str(), |(_, v)| v);
    let upstream = without_epoch
        .rsplit_once('-')
        .map_or(without_epoch, |(v, _)| v);
    (!upstream.is_empty()).then(|| upstream.to_string())
}

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16, server: &mut Server) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("the server exited before listening: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on 127.0.0.1:{port}");
}

fn is_root() -> bool {
    // The owner of a file we just made is who we are.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(dir.path()).unwrap()) == 0
}

/// `nobody`'s uid and gid, from /etc/passwd.
fn nobody() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    let line = passwd
        .lines()
        .find(|l| l.starts_with("nobody:"))
        .expect("no nobody in /etc/passwd");
    let fields: Vec<&str> = line.split(':').collect();
    (fields[2].parse().unwrap(), fields[3].parse().unwrap())
}

fn find_program(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    dirs.iter()
        .map(|dir| Path::new(dir).join(name))
        .find(|path| path.is_file())
}

fn options(write_test: bool) -> Options {
    let mut options = Options {
        write_test,
        ..Options::default()
    };
    options.limits.connect_timeout = Duration::from_secs(5);
    options.limits.reply_timeout = Duration::from_secs(5);
    options
}

fn codes(probe: &Probe) -> Vec<&'static str> {
    probe.findings.iter().map(|f| f.code).collect()
}

/// What a vsftpd test needs: the binary and the package's version.
fn vsftpd() -> Option<(PathBuf, String)> {
    let Some(binary) = find_program("vsftpd", &["/usr/sbin", "/usr/local/sbin"]) else {
        missing("vsftpd (/usr/sbin/vsftpd)");
        return None;
    };
    let Some(version) = package_version("vsftpd") else {
        missing("the vsftpd package's version (dpkg-query -W vsftpd)");
        return None;
    };
    Some((binary, version))
}

/// Starts vsftpd with `settings` on a free port, its anonymous root `root` (made here),
/// as `nobody` when the tests run as root. Returns the server, the port and the root.
fn start_vsftpd(binary: &Path, dir: &Path, settings: &str) -> (Server, u16, PathBuf) {
    let port = free_port();
    let root = dir.join("anon");
    let empty = dir.join("empty");
    std::fs::create_dir(&root).unwrap();
    std::fs::create_dir(&empty).unwrap();
    std::fs::create_dir(root.join("pub")).unwrap();
    std::fs::write(root.join("pub/README"), "hello\n").unwrap();
    let conf = dir.join("vsftpd.conf");
    std::fs::write(
        &conf,
        format!(
            "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port={port}\n\
             background=NO\nrun_as_launching_user=YES\n\
             anon_root={}\nsecure_chroot_dir={}\nno_anon_password=YES\n\
             seccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\nxferlog_enable=NO\n\
             {settings}",
            root.display(),
            empty.display()
        ),
    )
    .unwrap();
    let mut command;
    if is_root() {
        // vsftpd wants its configuration owned by whoever runs it.
        let (uid, gid) = nobody();
        for path in [
            dir,
            &root,
            &empty,
            &root.join("pub"),
            &root.join("pub/README"),
            &conf,
        ] {
            std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
        }
        command = Command::new("setpriv");
        command.args([
            &format!("--reuid={uid}"),
            &format!("--regid={gid}"),
            "--clear-groups",
        ]);
        command.arg(binary);
    } else {
        command = Command::new(binary);
    }
    command.arg(&conf);
    // A read-only `pub`, as anonymous areas should have: only the root is writable.
    std::fs::set_permissions(
        root.join("pub"),
        std::os::unix::fs::PermissionsExt::from_mode(0o555),
    )
    .unwrap();
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start vsftpd");
    let mut server = Server(child);
    wait_for(port, &mut server);
    (server, port, root)
}

/// A temp dir that `nobody` can enter.
fn world_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(
        dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    dir
}

fn assert_vsftpd_version(probe: &Probe, version: &str) {
    let finding = probe
        .findings
        .iter()
        .find(|f| f.code == "PR006")
        .unwrap_or_else(|| panic!("no PR006 in {:#?}", probe.findings));
    assert_eq!(
        finding.title,
        format!("vsftpd {version}: no known hole in kensa's advisories data")
    );
}

#[test]
fn vsftpd_anonymous_off() {
    let Some((binary, version)) = vsftpd() else {
        return;
    };
    let dir = world_dir();
    let (_server, port, _) = start_vsftpd(
        &binary,
        dir.path(),
        "anonymous_enable=NO\nlocal_enable=YES\n",
    );
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("ftp://127.0.0.1:{port}")).unwrap()],
        &options(true),
    );
    assert_eq!(codes(&probe), ["PR006"], "{:#?}", probe.diagnostics);
    assert_vsftpd_version(&probe, &version);
    assert!(probe.diagnostics.is_empty(), "{:#?}", probe.diagnostics);
}

#[test]
fn vsftpd_anonymous_read_only() {
    let Some((binary, version)) = vsftpd() else {
        return;
    };
    let dir = world_dir();
    let (_server, port, root) = start_vsftpd(
        &binary,
        dir.path(),
        "anonymous_enable=YES\nlocal_enable=NO\nwrite_enable=NO\n",
    );
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("127.0.0.1:{port}")).unwrap()],
        &options(true),
    );
    assert_eq!(codes(&probe), ["PR003", "PR006"], "{:#?}", probe);
    assert_vsftpd_version(&probe, &version);
    assert_eq!(
        probe.findings[0].title,
        "Anonymous FTP login accepted; its directory lists 1 entry (1 directory)"
    );
    let left: Vec<_> = std::fs::read_dir(&root).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing written");
    assert!(probe.diagnostics.is_empty(), "{:#?}", probe.diagnostics);
}

#[test]
fn vsftpd_anonymous_upload_into_the_root_is_flagged() {
    let Some((binary, version)) = vsftpd() else {
        return;
    };
    let dir = world_dir();
    let (_server, port, root) = start_vsftpd(
        &binary,
        dir.path(),
        "anonymous_enable=YES\nlocal_enable=NO\nwrite_enable=YES\nanon_upload_enable=YES\n",
    );
    let target = format!("ftp://127.0.0.1:{port}");

    // Without --write-test, nothing is written and nothing is claimed.
    let probe = kensa_probe::probe(vec![target::parse(&target).unwrap()], &options(false));
    assert_eq!(codes(&probe), ["PR003", "PR006"]);
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1);

    let probe = kensa_probe::probe(vec![target::parse(&target).unwrap()], &options(true));
    assert_eq!(codes(&probe), ["PR003", "PR004", "PR006"], "{:#?}", probe);
    assert_vsftpd_version(&probe, &version);
    let write = &probe.findings[1];
    // vsftpd lets anonymous users upload but not delete (anon_other_write_enable=NO):
    // the file kensa stored in the root is still there, and the finding names it.
    let stored: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("kensa-probe-"))
        .collect();
    assert_eq!(stored.len(), 1, "one test file, in the root only");
    assert_eq!(std::fs::metadata(root.join(&stored[0])).unwrap().len(), 0);
    assert_eq!(
        write.title,
        format!(
            "Anonymous FTP users can store files (in 1 directory); kensa could not delete: {}",
            stored[0]
        )
    );
    assert_eq!(write.subject.port, Some(port));
}

#[test]
fn vsftpd_upload_with_delete_allowed_leaves_nothing() {
    let Some((binary, _)) = vsftpd() else { return };
    let dir = world_dir();
    let (_server, port, root) = start_vsftpd(
        &binary,
        dir.path(),
        "anonymous_enable=YES\nlocal_enable=NO\nwrite_enable=YES\nanon_upload_enable=YES\nanon_other_write_enable=YES\n",
    );
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("ftp://127.0.0.1:{port}")).unwrap()],
        &options(true),
    );
    let write = probe.findings.iter().find(|f| f.code == "PR004").unwrap();
    assert_eq!(
        write.title,
        "Anonymous FTP users can store files (in 1 directory; kensa's test files were deleted)"
    );
    let mut names: Vec<String> = walk(&root);
    names.sort();
    assert_eq!(names, ["pub", "pub/README"], "every test file deleted");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            for inner in walk(&entry.path()) {
                names.push(format!("{name}/{inner}"));
            }
        }
        names.push(name);
    }
    names
}

#[test]
fn aiosmtpd_speaks_real_smtp() {
    let python = Path::new("/usr/bin/python3");
    let importable = python.is_file()
        && Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !importable {
        missing("aiosmtpd (Debian's python3-aiosmtpd)");
        return;
    }
    let Some(version) = package_version("python3-aiosmtpd") else {
        missing("the python3-aiosmtpd package's version");
        return;
    };
    let port = free_port();
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    wait_for(port, &mut server);
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("smtp://127.0.0.1:{port}")).unwrap()],
        &options(false),
    );
    assert_eq!(codes(&probe), ["PR005"], "{:#?}", probe);
    assert_eq!(
        probe.findings[0].title,
        format!("aiosmtpd {version}: not in kensa's advisories data: not judged")
    );
    assert!(
        probe.findings[0].evidence[0]
            .text
            .ends_with(&format!("Python SMTP {version}"))
    );
    // EHLO's multi-line reply and QUIT went through without a diagnostic.
    assert!(probe.diagnostics.is_empty(), "{:#?}", probe.diagnostics);
}
