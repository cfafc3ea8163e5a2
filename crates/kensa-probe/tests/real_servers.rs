//! `kensa probe` against real servers from Debian, started by the tests on 127.0.0.1
//! high ports without root: vsftpd (`run_as_launching_user=YES`, as `nobody` when the
//! tests run as root) in three configurations — anonymous off, anonymous read-only,
//! anonymous upload into its root — and aiosmtpd (Debian's python3-aiosmtpd, a real
//! SMTP implementation). The versions kensa reports must be the ones the packages
//! report (`dpkg-query`).
//!
//! And sendmail itself: the sendmail-bin package (installed, or the `.deb` that `.ci/run`
//! downloads into `$KENSA_FTP_DEBS`, unpacked), run as inetd ran it — `sendmail -bs` on
//! each accepted socket — as `nobody`, in a UTS namespace whose host name has a domain
//! (sendmail sleeps a minute at start on a host name it cannot qualify).
//!
//! A missing server is "skipped: …" unless KENSA_REQUIRE_SHARED is set (CI sets it and
//! `.ci/run` installs vsftpd and python3-aiosmtpd), where it fails.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

// Debian packages, installed or unpacked from $KENSA_FTP_DEBS: the same helper as
// kensa-host's version tests.
#[path = "../../kensa-host/tests/fixtures/packages.rs"]
mod packages;

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

/// What a vsftpd test needs: the installed binary and the package's version (vsftpd
/// needs its own files at their place, so an unpacked .deb would not do).
fn vsftpd() -> Option<(PathBuf, String)> {
    let package = packages::package("vsftpd", "/usr/sbin/vsftpd")?;
    if package.root != Path::new("/") {
        missing("an installed vsftpd (/usr/sbin/vsftpd)");
        return None;
    }
    Some((package.file("/usr/sbin/vsftpd"), package.upstream.clone()))
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
    assert_eq!(
        finding.title_ja,
        format!("vsftpd {version}: kensa の脆弱性データに既知の穴はない")
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
        "anonymous_enable=NO\nlocal_enable=YES\ndelay_failed_login=0\n",
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
    let Some(package) = packages::package(
        "python3-aiosmtpd",
        "/usr/lib/python3/dist-packages/aiosmtpd/__init__.py",
    ) else {
        return;
    };
    let version = package.upstream.clone();
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

#[test]
fn vsftpd_hiding_its_version_tells_it_in_stat() {
    let Some((binary, version)) = vsftpd() else {
        return;
    };
    let dir = world_dir();
    let (_server, port, _) = start_vsftpd(
        &binary,
        dir.path(),
        "anonymous_enable=YES\nlocal_enable=NO\nwrite_enable=NO\nftpd_banner=Welcome to the archive.\n",
    );
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("ftp://127.0.0.1:{port}")).unwrap()],
        &options(false),
    );
    assert_eq!(codes(&probe), ["PR003", "PR006"], "{probe:#?}");
    assert_vsftpd_version(&probe, &version);
    let evidence = &probe.findings[1].evidence;
    assert_eq!(evidence[0].text, "220 Welcome to the archive.");
    assert!(
        evidence[1].text.starts_with("STAT: ") && evidence[1].text.contains(&version),
        "{evidence:?}"
    );
}

/// A sendmail of the sendmail-bin package answering SMTP on a free port of 127.0.0.1:
/// one `sendmail -bs` per connection (as inetd ran it), as `nobody`, with a minimal
/// configuration whose greeting is `greeting`.
struct Sendmail {
    port: u16,
    /// The host name sendmail greets with.
    hostname: String,
    _dir: tempfile::TempDir,
    _package: packages::Package,
}

fn start_sendmail(greeting: &str) -> Option<Sendmail> {
    let package = packages::package("sendmail-bin", "/usr/libexec/sendmail/sendmail")?;
    let binary = package.file("/usr/libexec/sendmail/sendmail");
    let dir = world_dir();
    let queue = dir.path().join("queue");
    std::fs::create_dir(&queue).unwrap();
    let cf = dir.path().join("sendmail.cf");
    // The least a sendmail 8 needs to talk SMTP: version level, the version macro, a
    // queue, the help file (HELP says the version), two mailers that run nothing.
    std::fs::write(
        &cf,
        format!(
            "V10/Berkeley\nDZ{version}\nO QueueDirectory={queue}\n\
             O SmtpGreetingMessage={greeting}\nO HelpFile={help}\n\
             O DontProbeInterfaces=true\n\
             Mlocal, P=/bin/false, F=lsDFM, A=false\nMprog, P=/bin/false, F=lsDFM, A=false\n\
             S0\nR$*\t$#local $: $1\n",
            version = package.upstream,
            queue = queue.display(),
            help = package.file("/etc/mail/helpfile").display(),
        ),
    )
    .unwrap();
    let root = is_root();
    if root {
        let (uid, gid) = nobody();
        std::os::unix::fs::chown(&queue, Some(uid), Some(gid)).unwrap();
    }
    // sendmail sleeps a minute at start on a host name it cannot qualify: give it one in
    // a UTS namespace (root, or user namespaces), or use the host's own if it has a dot.
    let unshare: &[&str] = if root { &["--uts"] } else { &["-r", "--uts"] };
    let namespaces = Command::new("unshare")
        .args(unshare)
        .args(["hostname", "mailhub.example.invalid"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let own = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut command: Vec<String> = Vec::new();
    let hostname = if namespaces {
        command.push("unshare".to_string());
        command.extend(unshare.iter().map(|s| s.to_string()));
        command.extend(
            [
                "sh",
                "-c",
                "hostname \"$1\" && shift && exec \"$@\"",
                "sh",
                "mailhub.example.invalid",
            ]
            .map(str::to_string),
        );
        "mailhub.example.invalid".to_string()
    } else if own.contains('.') {
        own
    } else {
        // An environment limit, not a missing package: never a failure.
        eprintln!(
            "skipped: sendmail needs a qualified host name; no UTS namespace here and the host name {own:?} has no domain"
        );
        return None;
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (uid, gid) = nobody();
    if root {
        command.extend([
            "setpriv".to_string(),
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--clear-groups".to_string(),
        ]);
    }
    command.extend([
        binary.display().to_string(),
        "-C".to_string(),
        cf.display().to_string(),
        "-bs".to_string(),
    ]);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            let socket = std::os::fd::OwnedFd::from(stream);
            let Ok(output) = socket.try_clone() else {
                break;
            };
            let child = Command::new(&command[0])
                .args(&command[1..])
                .stdin(Stdio::from(socket))
                .stdout(Stdio::from(output))
                .stderr(Stdio::null())
                .spawn();
            if let Ok(mut child) = child {
                std::thread::spawn(move || child.wait());
            }
        }
    });
    Some(Sendmail {
        port,
        hostname,
        _dir: dir,
        _package: package,
    })
}

#[test]
fn sendmail_from_debian_says_its_version() {
    let Some(sendmail) = start_sendmail("$j Sendmail $v/$Z; $b") else {
        return;
    };
    let version = sendmail._package.upstream.clone();
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("smtp://127.0.0.1:{}", sendmail.port)).unwrap()],
        &options(false),
    );
    assert_eq!(codes(&probe), ["PR006"], "{probe:#?}");
    let finding = &probe.findings[0];
    assert_eq!(
        finding.title,
        format!("sendmail {version}: no known hole in kensa's advisories data")
    );
    assert!(
        finding.evidence[0].text.starts_with(&format!(
            "220 {} ESMTP Sendmail {version}/{version}; ",
            sendmail.hostname
        )),
        "{:?}",
        finding.evidence
    );
    assert!(probe.diagnostics.is_empty(), "{:#?}", probe.diagnostics);
}

#[test]
fn sendmail_hiding_its_version_tells_it_in_help() {
    let Some(sendmail) = start_sendmail("$j ready") else {
        return;
    };
    let version = sendmail._package.upstream.clone();
    let probe = kensa_probe::probe(
        vec![target::parse(&format!("smtp://127.0.0.1:{}", sendmail.port)).unwrap()],
        &options(false),
    );
    assert_eq!(codes(&probe), ["PR006"], "{probe:#?}");
    let finding = &probe.findings[0];
    assert_eq!(
        finding.title,
        format!("sendmail {version}: no known hole in kensa's advisories data")
    );
    assert_eq!(
        finding.evidence[0].text,
        format!("220 {} ESMTP ready", sendmail.hostname)
    );
    assert_eq!(
        finding.evidence[1].text,
        format!("HELP: 214-2.0.0 This is sendmail version {version}")
    );
}
