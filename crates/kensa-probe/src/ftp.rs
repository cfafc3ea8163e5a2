//! The FTP conversation: greeting, `SYST`, `USER anonymous`, and when that logs in,
//! `STAT` (only if the greeting hid the version: vsftpd and wu-ftpd name themselves
//! there), a passive `LIST` of the login directory and — only with the write test — one
//! `STOR` of an empty, uniquely named file per directory, each deleted at once with
//! `DELE`. Then `QUIT`.
//!
//! Passive mode only (the probe never listens). The data connection goes to the
//! address of the control connection, whatever address `PASV` names: a hostile or
//! misconfigured server cannot send kensa elsewhere. Directory names from the listing
//! are used only when [`safe_argument`] accepts them (no CR/LF smuggling a second
//! command), and at most [`MAX_WRITE_DIRS`] directories are tried.

use crate::wire::{self, Conn, Reply, WireError, safe_argument};
use crate::{Session, banner, lines_showing, pr003_anonymous_ftp_login, pr004_anonymous_ftp_write};
use kensa_core::{DiagnosticLevel, Evidence, Localized, tr};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};

/// Most directories of the listing the write test tries (after the login directory).
pub const MAX_WRITE_DIRS: usize = 32;

/// The password anonymous FTP asks for: an e-mail address, here one that says who asks.
const ANONYMOUS_PASSWORD: &str = "kensa-probe@example.invalid";

fn has_version(text: &str) -> bool {
    banner::ftp(text).is_some_and(|id| id.version.is_some())
}

/// `1 entry`, `3 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A unique name for a write-test file: time, process and a counter.
fn test_file_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) + 1;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("kensa-probe-{secs}-{}-{n}.tmp", std::process::id())
}

/// Runs the conversation after the greeting.
pub(crate) fn session(session: &mut Session<'_>, conn: &mut Conn, greeting: Reply) {
    let mut identity = banner::ftp(&greeting.text());
    let mut evidence = lines_showing(session, &greeting, None, has_version);
    if greeting.code != 220 {
        session.diagnose(DiagnosticLevel::Note, Some(greeting.first().number), {
            let code = greeting.code;
            tr!(
                "the server refuses service (greeting code {code})",
                "サーバがサービスを拒否しています（挨拶文のコード {code}）"
            )
        });
        let _ = conn.send("QUIT");
        session.judge(identity, evidence);
        return;
    }
    if let Err(err) = anonymous(session, conn, &mut identity, &mut evidence) {
        session.broke("anonymous FTP", err);
    } else {
        match conn.command("QUIT") {
            Ok(_) | Err(WireError::Closed { partial: false }) => {}
            Err(err) => session.broke("QUIT", err),
        }
    }
    session.judge(identity, evidence);
}

/// `SYST`, the anonymous login and what follows it.
fn anonymous(
    session: &mut Session<'_>,
    conn: &mut Conn,
    identity: &mut Option<banner::Identity>,
    evidence: &mut Vec<Evidence>,
) -> Result<(), WireError> {
    let syst = conn.command("SYST")?;
    if syst.code == 215 {
        evidence.push(session.evidence(syst.first(), Some("SYST")));
    }
    let mut login = conn.command("USER anonymous")?;
    if login.code == 331 {
        login = conn.command(&format!("PASS {ANONYMOUS_PASSWORD}"))?;
    }
    if login.code != 230 {
        return Ok(());
    }
    let mut finding = session.finding(&pr003_anonymous_ftp_login::RULE);
    finding.set_title(tr!(
        "Anonymous FTP login accepted",
        "匿名 FTP でログインできる"
    ));
    finding.count = 1;
    finding.push_evidence(session.evidence(login.first(), Some("USER anonymous")));
    // The login is a finding whatever happens next.
    let listed = stat_and_list(session, conn, identity, evidence, &mut finding);
    session.findings.push(finding);
    let directories = listed?;
    if session.options.write_test {
        write_test(session, conn, &directories)?;
    }
    Ok(())
}

/// After an anonymous login: `STAT` if the version is still unknown, then `LIST`, whose
/// outcome goes into the PR003 finding. Returns the directories listed.
fn stat_and_list(
    session: &mut Session<'_>,
    conn: &mut Conn,
    identity: &mut Option<banner::Identity>,
    evidence: &mut Vec<Evidence>,
    finding: &mut kensa_core::Finding,
) -> Result<Vec<String>, WireError> {
    if identity.as_ref().is_none_or(|id| id.version.is_none()) {
        let stat = conn.command("STAT")?;
        if stat.code / 100 == 2
            && let Some(found) = banner::ftp(&stat.text()).filter(|id| id.version.is_some())
        {
            *identity = Some(found);
            evidence.extend(lines_showing(session, &stat, Some("STAT"), has_version));
        }
    }
    match list(session, conn) {
        Ok(Listed {
            entries,
            directories,
            done,
        }) => {
            finding.push_evidence(session.evidence(done.first(), Some("LIST")));
            let (listed, dirs) = (
                count(entries, "entry", "entries"),
                count(directories.len(), "directory", "directories"),
            );
            let dir_count = directories.len();
            finding.set_title(tr!(
                "Anonymous FTP login accepted; its directory lists {listed} ({dirs})",
                "匿名 FTP でログインできる。ログイン先のディレクトリにエントリが {entries} 個\
                 ある（うちディレクトリ {dir_count} 個）"
            ));
            Ok(directories)
        }
        Err(Refused::Reply(reply)) => {
            finding.push_evidence(session.evidence(reply.first(), Some("LIST")));
            finding.set_title(tr!(
                "Anonymous FTP login accepted; listing its directory was refused",
                "匿名 FTP でログインできる。ディレクトリの一覧は拒否された"
            ));
            Ok(Vec::new())
        }
        Err(Refused::Data(message)) => {
            let Localized { en, ja } = message;
            session.diagnose(
                DiagnosticLevel::Warning,
                None,
                tr!("LIST: {en}", "LIST: {ja}"),
            );
            finding.set_title(tr!(
                "Anonymous FTP login accepted; its directory could not be listed",
                "匿名 FTP でログインできる。ディレクトリの一覧は取得できなかった"
            ));
            Ok(Vec::new())
        }
        Err(Refused::Wire(err)) => Err(err),
    }
}

/// A listing read.
struct Listed {
    entries: usize,
    directories: Vec<String>,
    done: Reply,
}

/// Why something on a data connection did not happen.
enum Refused {
    /// The server said no.
    Reply(Reply),
    /// The data connection failed (a message).
    Data(Localized),
    /// The control connection failed: the conversation is over.
    Wire(WireError),
}

impl From<WireError> for Refused {
    fn from(err: WireError) -> Self {
        Refused::Wire(err)
    }
}

/// `229 Entering Extended Passive Mode (|||6446|)`.
fn epsv_port(text: &str) -> Option<u16> {
    let inner = text.split_once('(')?.1.split_once(')')?.0;
    let delimiter = inner.chars().next()?;
    let parts: Vec<&str> = inner.split(delimiter).collect();
    match parts[..] {
        ["", "", "", port, ""] => port.parse().ok().filter(|&p| p != 0),
        _ => None,
    }
}

/// `227 Entering Passive Mode (127,0,0,1,23,195)`: the port (the address is ignored).
fn pasv_port(text: &str) -> Option<u16> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let numbers: Vec<u16> = text[start..]
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|s| !s.is_empty())
        .map(|s| s.parse().ok().filter(|&n| n <= 255))
        .collect::<Option<Vec<u16>>>()?;
    let [_, _, _, _, high, low, ..] = numbers[..] else {
        return None;
    };
    Some(high * 256 + low).filter(|&p| p != 0)
}

/// Opens a passive data connection to the server's own address.
fn open_data(session: &Session<'_>, conn: &mut Conn) -> Result<TcpStream, Refused> {
    let reply = conn.command("EPSV")?;
    let port = if reply.code == 229 {
        epsv_port(&reply.text())
    } else {
        let reply = conn.command("PASV")?;
        if reply.code != 227 {
            return Err(Refused::Reply(reply));
        }
        pasv_port(&reply.text())
    };
    let port = port.ok_or_else(|| {
        Refused::Data(tr!(
            "no port in the passive reply",
            "パッシブモードの応答にポートがありません"
        ))
    })?;
    let addr = SocketAddr::new(session.addr.ip(), port);
    TcpStream::connect_timeout(&addr, session.options.limits.connect_timeout).map_err(|e| {
        Refused::Data(tr!(
            "data connection to {addr}: {e}",
            "{addr} へのデータ接続: {e}"
        ))
    })
}

/// `LIST` of the login directory.
fn list(session: &mut Session<'_>, conn: &mut Conn) -> Result<Listed, Refused> {
    let limits = session.options.limits;
    let mut data = open_data(session, conn)?;
    let start = conn.command("LIST")?;
    if start.code >= 400 {
        return Err(Refused::Reply(start));
    }
    let (deadline, _) = conn.deadline(limits.reply_timeout);
    let read = wire::read_data(&mut data, limits.max_listing, deadline);
    drop(data);
    let done = if start.code < 200 {
        conn.reply()?
    } else {
        start
    };
    let (bytes, cut) = read.map_err(|e| Refused::Data(e.message()))?;
    if cut {
        let max = limits.max_listing;
        session.diagnose(
            DiagnosticLevel::Note,
            None,
            tr!(
                "LIST: longer than {max} bytes: only the start was read",
                "LIST: {max} バイトを超えるため、先頭だけを読みました"
            ),
        );
    }
    if done.code >= 400 {
        return Err(Refused::Reply(done));
    }
    let (entries, directories) = parse_listing(&bytes);
    Ok(Listed {
        entries,
        directories,
        done,
    })
}

/// The entries and the directories of a `LIST`: Unix `ls -l` lines (`drwxr-xr-x 2 0 0
/// 4096 Nov 26 02:00 pub`; links are not followed) and MS-DOS lines (`11-26-26 02:00AM
/// <DIR> pub`).
fn parse_listing(bytes: &[u8]) -> (usize, Vec<String>) {
    let mut entries = 0;
    let mut directories = Vec::new();
    for line in bytes.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with("total ") {
            continue;
        }
        entries += 1;
        let name = if line.starts_with('d') {
            after_fields(line, 8)
        } else if line.split_whitespace().nth(2) == Some("<DIR>") {
            after_fields(line, 3)
        } else {
            None
        };
        if let Some(name) = name
            && safe_argument(name)
            && !directories.iter().any(|d| d == name)
        {
            directories.push(name.to_string());
        }
    }
    (entries, directories)
}

/// The rest of `line` after `n` whitespace-separated fields (a name may hold spaces).
fn after_fields(line: &str, n: usize) -> Option<&str> {
    let mut rest = line;
    for _ in 0..n {
        rest = rest.trim_start();
        let end = rest.find(char::is_whitespace)?;
        rest = &rest[end..];
    }
    let name = rest.trim_start();
    (!name.is_empty()).then_some(name)
}

/// The write test: one empty file stored and deleted in the login directory and in each
/// listed directory. One PR004 finding if any store succeeded.
fn write_test(
    session: &mut Session<'_>,
    conn: &mut Conn,
    directories: &[String],
) -> Result<(), WireError> {
    if directories.len() > MAX_WRITE_DIRS {
        let listed = directories.len();
        session.diagnose(
            DiagnosticLevel::Note,
            None,
            tr!(
                "write test: {listed} directories listed, only the first {MAX_WRITE_DIRS} tried",
                "書き込みテスト: 一覧にディレクトリが {listed} 個あり、最初の {MAX_WRITE_DIRS} 個\
                 だけを試しました"
            ),
        );
    }
    let mut stored: Vec<Evidence> = Vec::new();
    let mut left: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    let dirs: Vec<&str> = std::iter::once("")
        .chain(directories.iter().take(MAX_WRITE_DIRS).map(String::as_str))
        .collect();
    let result = store_and_delete(session, conn, &dirs, &mut stored, &mut left, &mut pending);
    if result.is_err()
        && let Some(path) = pending
    {
        session.diagnose(
            DiagnosticLevel::Warning,
            None,
            tr!(
                "write test: the conversation broke off after STOR {path}: that file may be \
                 left on the server",
                "書き込みテスト: STOR {path} の後でやり取りが途切れました。そのファイルが\
                 サーバに残っているかもしれません"
            ),
        );
    }
    report_writes(session, stored, &left);
    result
}

/// The stores and deletes of the write test; `pending` is the file whose fate is not
/// known yet (stored, not yet deleted).
fn store_and_delete(
    session: &mut Session<'_>,
    conn: &mut Conn,
    dirs: &[&str],
    stored: &mut Vec<Evidence>,
    left: &mut Vec<String>,
    pending: &mut Option<String>,
) -> Result<(), WireError> {
    let _ = conn.command("TYPE I")?;
    for dir in dirs {
        let name = test_file_name();
        let path = if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        };
        let command = format!("STOR {path}");
        let data = match open_data(session, conn) {
            Ok(data) => data,
            Err(Refused::Wire(err)) => return Err(err),
            Err(Refused::Reply(_) | Refused::Data(_)) => continue,
        };
        *pending = Some(path.clone());
        let start = conn.command(&command)?;
        // An empty file: close the data connection at once, then read the outcome.
        drop(data);
        let done = if start.code < 200 {
            conn.reply()?
        } else {
            start
        };
        if done.code / 100 != 2 {
            *pending = None;
            continue;
        }
        stored.push(session.evidence(done.first(), Some(&command)));
        let delete = format!("DELE {path}");
        let deleted = conn.command(&delete)?;
        *pending = None;
        if deleted.code / 100 != 2 {
            stored.push(session.evidence(deleted.first(), Some(&delete)));
            left.push(path);
        }
    }
    Ok(())
}

/// One PR004 finding when any store succeeded.
fn report_writes(session: &mut Session<'_>, stored: Vec<Evidence>, left: &[String]) {
    if stored.is_empty() {
        return;
    }
    let mut finding = session.finding(&pr004_anonymous_ftp_write::RULE);
    let places = stored
        .iter()
        .filter(|e| e.text.starts_with("STOR "))
        .count();
    finding.count = places as u64;
    let (n, places) = (places, count(places, "directory", "directories"));
    finding.set_title(if left.is_empty() {
        tr!(
            "Anonymous FTP users can store files (in {places}; kensa's test files were deleted)",
            "匿名 FTP ユーザがファイルを置ける（ディレクトリ {n} 個で。kensa のテスト用ファイル\
             は削除済み）"
        )
    } else {
        let (left, left_ja) = (left.join(", "), left.join("、"));
        tr!(
            "Anonymous FTP users can store files (in {places}); kensa could not delete: {left}",
            "匿名 FTP ユーザがファイルを置ける（ディレクトリ {n} 個で）。kensa が削除できなかった\
             もの: {left_ja}"
        )
    });
    for evidence in stored {
        finding.push_evidence(evidence);
    }
    session.findings.push(finding);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passive_replies() {
        assert_eq!(
            epsv_port("Entering Extended Passive Mode (|||6446|)"),
            Some(6446)
        );
        assert_eq!(
            epsv_port("Entering Extended Passive Mode (!!!6446!)"),
            Some(6446)
        );
        assert_eq!(epsv_port("(|||0|)"), None);
        assert_eq!(epsv_port("(|||99999|)"), None);
        assert_eq!(epsv_port("nothing"), None);
        assert_eq!(
            pasv_port("Entering Passive Mode (127,0,0,1,23,195)."),
            Some(23 * 256 + 195)
        );
        assert_eq!(pasv_port("Entering Passive Mode 10,0,0,1,4,1"), Some(1025));
        assert_eq!(pasv_port("(127,0,0,1,999,1)"), None);
        assert_eq!(pasv_port("(127,0,0,1)"), None);
    }

    #[test]
    fn listings() {
        let unix = b"total 12\r\n\
            drwxr-xr-x    2 0        0            4096 Nov 26 02:00 bin\r\n\
            -rw-r--r--    1 0        0             120 Nov 26 02:00 README\r\n\
            drwxrwxrwx    2 0        0            4096 Nov 26 02:00 my files\r\n\
            lrwxrwxrwx    1 0        0               4 Nov 26 02:00 up -> /tmp\r\n\
            drwxr-xr-x    2 0        0            4096 Nov 26 02:00 ..\r\n";
        let (entries, dirs) = parse_listing(unix);
        assert_eq!(entries, 5);
        assert_eq!(dirs, ["bin", "my files"]);
        let dos =
            b"11-26-26  02:00AM       <DIR>          incoming\r\n11-26-26  02:00AM  12 a.txt\r\n";
        assert_eq!(parse_listing(dos), (2, vec!["incoming".to_string()]));
        let hostile = b"drwxr-xr-x 2 0 0 1 Nov 26 02:00 x\rDELE y\n";
        assert_eq!(parse_listing(hostile).1, Vec::<String>::new());
    }

    #[test]
    fn test_files_are_unique() {
        let a = test_file_name();
        let b = test_file_name();
        assert_ne!(a, b);
        assert!(a.starts_with("kensa-probe-") && a.ends_with(".tmp"));
    }
}
