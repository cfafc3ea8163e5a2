//! The upload line formats, parsed from bytes without allocation: xferlog, vsftpd's
//! own log, pure-ftpd's syslog lines and its Common Log Format alt log.
//!
//! Sources are normalised ([`crate::address::normalize_source`]): vsftpd on an IPv6
//! socket (Debian's default) logs `::ffff:a.b.c.d`, and the finding is about `a.b.c.d`.

use crate::address::normalize_source;

/// Whether a user logged with a real-user access mode is the anonymous account all the
/// same: pure-ftpd logs anonymous sessions as user `ftp` with access mode `r` in its
/// xferlog, and names them `ftp` in its syslog lines and CLF log.
fn is_anonymous_name(user: &[u8]) -> bool {
    user == b"ftp" || user == b"anonymous"
}

/// One upload as a transfer log states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload<'a> {
    /// The remote host or address.
    pub source: &'a [u8],
    /// The file as logged (xferlog: the real path; vsftpd: the path the client saw).
    pub path: &'a [u8],
    /// The user: for anonymous xferlog lines, the e-mail address given as password.
    pub user: &'a [u8],
    /// Whether the user was anonymous (or guest).
    pub anonymous: bool,
    /// Whether the server logged the transfer as complete.
    pub completed: bool,
}

/// The fields of an xferlog line after its ctime stamp, when it is an upload
/// (direction `i`): `1 192.0.2.95 4 /home/ftp/.rhosts a _ i a guest@ ftp 0 * c`.
///
/// The file name may contain spaces, so the three leading fields are read from the
/// left and the eight or nine trailing ones from the right. wu-ftpd before 2.6 wrote no
/// completion field; such a line counts as complete (the server logged it after the
/// transfer).
pub fn xferlog(message: &[u8]) -> Option<Upload<'_>> {
    let mut left = message.splitn(4, |&b| b == b' ');
    let seconds = left.next()?;
    let source = left.next()?;
    let bytes = left.next()?;
    let rest = left.next()?;
    if !is_number(seconds) || !is_number(bytes) || source.is_empty() {
        return None;
    }
    // With the completion field (wu-ftpd 2.6+), then without it.
    for trailing in [9usize, 8] {
        let mut fields: [&[u8]; 9] = [&[]; 9];
        let mut remainder = rest;
        let mut ok = true;
        for slot in fields[..trailing].iter_mut().rev() {
            match remainder.iter().rposition(|&b| b == b' ') {
                Some(space) => {
                    *slot = &remainder[space + 1..];
                    remainder = &remainder[..space];
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok || remainder.is_empty() {
            continue;
        }
        let [
            kind,
            _action,
            direction,
            mode,
            user,
            _service,
            _method,
            _uid,
            status,
        ] = fields;
        let status_ok = trailing == 8 || status == b"c" || status == b"i";
        if !status_ok
            || !(kind == b"a" || kind == b"b")
            || !matches!(direction, b"i" | b"o" | b"d")
            || !matches!(mode, b"a" | b"r" | b"g")
        {
            continue;
        }
        if direction != b"i" {
            return None;
        }
        return Some(Upload {
            source: normalize_source(source),
            path: remainder,
            user,
            anonymous: mode == b"a" || mode == b"g" || (mode == b"r" && is_anonymous_name(user)),
            completed: trailing == 8 || status == b"c",
        });
    }
    None
}

/// A vsftpd upload line: `[pid 12] [ftp] OK UPLOAD: Client "192.0.2.1", "/.forward",
/// 48 bytes, 0.05Kbyte/sec` (the `[pid N] ` prefix is absent when logged through
/// syslog). vsftpd logs anonymous sessions as user `ftp` (or `anonymous`).
pub fn vsftpd(message: &[u8]) -> Option<Upload<'_>> {
    let mut rest = message;
    if rest.starts_with(b"[pid ") {
        let end = rest.iter().position(|&b| b == b']')?;
        rest = rest.get(end + 1..)?.strip_prefix(b" ")?;
    }
    let rest = rest.strip_prefix(b"[")?;
    let end = rest.iter().position(|&b| b == b']')?;
    let user = &rest[..end];
    let rest = rest.get(end + 1..)?;
    let (completed, rest) = if let Some(r) = rest.strip_prefix(b" OK UPLOAD: Client \"") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix(b" FAIL UPLOAD: Client \"") {
        (false, r)
    } else {
        return None;
    };
    let quote = rest.iter().position(|&b| b == b'"')?;
    let source = &rest[..quote];
    let rest = rest.get(quote + 1..)?.strip_prefix(b", \"")?;
    // The path ends at the last `", ` (a path may itself contain quotes).
    let close =
        memchr::memmem::rfind(rest, b"\", ").or_else(|| rest.iter().rposition(|&b| b == b'"'))?;
    let path = &rest[..close];
    Some(Upload {
        source: normalize_source(source),
        path,
        user,
        anonymous: is_anonymous_name(user),
        completed,
    })
}

/// A pure-ftpd upload through syslog: `(ftp@192.0.2.13) [NOTICE] /srv/ftp//up/x.txt
/// uploaded  (4 bytes, 22.57KB/sec)` (pure-ftpd 1.0.50; the path is the real one, the
/// chroot joined with `//`). pure-ftpd logs a transfer when it is done; the path is read
/// up to the last ` uploaded  (`, so a file name with that text in it cannot cut it.
pub fn pure_ftpd(message: &[u8]) -> Option<Upload<'_>> {
    let rest = message.strip_prefix(b"(")?;
    let close = memchr::memmem::find(rest, b") [")?;
    let (user, source) = match memchr::memrchr(b'@', &rest[..close]) {
        Some(at) => (&rest[..at], &rest[at + 1..close]),
        None => return None,
    };
    let rest = rest.get(close + 3..)?;
    let rest = rest
        .get(memchr::memchr(b']', rest)? + 1..)?
        .strip_prefix(b" ")?;
    let end = memchr::memmem::rfind(rest, b" uploaded  (")?;
    let path = &rest[..end];
    if path.is_empty() {
        return None;
    }
    Some(Upload {
        source: normalize_source(source),
        path,
        user,
        anonymous: is_anonymous_name(user),
        completed: true,
    })
}

/// A Common Log Format upload line of pure-ftpd's `-O clf:` alt log (Debian's
/// `transfer.log`): `192.0.2.13 - ftp [07/Dec/2026:12:24:25 -0000] "PUT /srv/ftp/x" 200 4`.
/// The path runs from `"PUT ` to the last `" ` before the status; a 2xx status is a
/// completed upload.
pub fn clf(message: &[u8]) -> Option<Upload<'_>> {
    let (_, _, open) = kensa_logs::clf::parse(message)?;
    let mut fields = message.get(..open)?.split(|&b| b == b' ');
    let source = fields.next()?;
    let _ident = fields.next()?;
    let user = fields.next()?;
    if source.is_empty() || fields.next() != Some(&b""[..]) || fields.next().is_some() {
        return None;
    }
    // `[` + 26 bytes of stamp + `]`, then ` "PUT `.
    let request = message.get(open + 28..)?.strip_prefix(b" \"PUT ")?;
    let close = memchr::memmem::rfind(request, b"\" ")?;
    let path = &request[..close];
    let status = request.get(close + 2..)?.split(|&b| b == b' ').next()?;
    if path.is_empty() || status.len() != 3 || !status.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(Upload {
        source: normalize_source(source),
        path,
        user,
        anonymous: is_anonymous_name(user),
        completed: status[0] == b'2',
    })
}

fn is_number(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}
