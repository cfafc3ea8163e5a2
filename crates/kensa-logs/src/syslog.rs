//! Syslog headers: the stamp, host, program and pid at the start of a log line.
//!
//! There is no single syslog format. A loghost of 1996 writes RFC 3164 lines
//! (`Oct  6 14:02:17 host prog[123]: msg`) with no year and no zone; the same file can
//! later hold rsyslog's ISO 8601 stamps, and raw RFC 5424 lines forwarded by routers.
//! Around that core sit dialects seen in real corpora: a missing host field
//! (`Jan  1 00:00:00 sshd[123]: ...`), FreeBSD `syslogd -v`/`-vv` priority tokens
//! (`<4.3>`, `<auth.info>`), a `<13>` PRI left in front of a BSD stamp, Solaris message
//! ids (`[ID 800047 auth.info]`), a year after the day (`Oct 27 2015 09:24:46`, macOS),
//! ISO stamps with a space instead of `T` or a `UTC` word, epoch seconds and daemontools
//! TAI64N labels (`@4000...`).
//!
//! The parser is hand-written over bytes: log lines are hostile and not necessarily
//! UTF-8, and most of a scan's time is spent here, so it never allocates, never indexes
//! out of bounds, and never backtracks more than a token. Where the grammar is ambiguous
//! it decides by shape, not by guessing: after the stamp, a first token that ends with
//! `:` or carries `[pid]` is the program (the host field is missing); anything else is
//! the host. So `host -- MARK --` and `host last message repeated 3 times` have a host
//! and no program, while `sshd[8148]: ...` has a program and no host.
//!
//! Month names are English only. syslogd formats its stamp with the C library's
//! C-locale `ctime`, never a localised one; a `Déc` or `Dez` line is hand-edited, and
//! accepting localised names would let a message body that happens to start with a
//! foreign word pass for a stamp.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

/// The family of stamp a line started with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3164 family: `Mmm dd HH:MM:SS` (sometimes with a year after the day).
    Bsd,
    /// ISO 8601 stamp at the start of a line (rsyslog's high-precision format and kin).
    Iso,
    /// RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    Rfc5424,
    /// Epoch seconds (`1124012400 ...`) or a daemontools TAI64N label (`@4000...`).
    Epoch,
}

/// The time a line states, in the form the line gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// RFC 3164: no year. month 1..=12.
    Yearless {
        /// Month, 1..=12.
        month: i8,
        /// Day of month, 1..=31 (not yet checked against the month).
        day: i8,
        /// Hour, 0..=23.
        hour: i8,
        /// Minute, 0..=59.
        minute: i8,
        /// Second, 0..=59 (a leap second 60 is read as 59).
        second: i8,
        /// Fraction of the second, if the line had one.
        subsec_nanos: i32,
    },
    /// A civil date-time with a year but no offset (interpret in the host's zone).
    Local(DateTime),
    /// A civil date-time with an explicit offset (ISO/RFC 5424 with +09:00 or Z).
    Offset(DateTime, Offset),
    /// An absolute instant (epoch seconds).
    Instant(Timestamp),
}

/// The parsed header of one syslog line. All slices borrow from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// Which stamp family the line used.
    pub format: Format,
    /// `<189>` PRI, or FreeBSD `<4.3>` / `<auth.info>` tokens turned into a PRI value.
    pub priority: Option<u8>,
    /// The stamp.
    pub stamp: Stamp,
    /// None when the line has no host field (or RFC 5424's nil `-`).
    pub host: Option<&'a [u8]>,
    /// `sendmail`, `/USR/SBIN/CRON`, `/bsd`, `su`; empty if none.
    pub program: &'a [u8],
    /// The number in `prog[pid]`, if any.
    pub pid: Option<u32>,
    /// The message: after `prog[pid]: ` and after a Solaris `[ID n fac.pri] ` tag.
    /// A trailing `\r` (CRLF files) is not part of it.
    pub message: &'a [u8],
    /// Solaris `[ID n fac.pri]` message id and its facility.priority, if present.
    pub solaris_id: Option<(u32, &'a [u8])>,
}

/// Parses one line (no line ending). None if the line has no recognisable syslog stamp
/// at its start. Leading NUL bytes are skipped: they are what is left of lines wiped by
/// a NUL run (the scanner reports the run), and the intact line after them still counts.
pub fn parse(line: &[u8]) -> Option<Header<'_>> {
    let mut cur = Cursor::new(line);
    cur.skip_nuls();
    let priority = cur.pri();
    if priority.is_some() && cur.eat_bytes(b"1 ") {
        return parse_rfc5424(cur, priority);
    }
    let (format, stamp) = stamp_at(&mut cur)?;
    Some(bsd_header(cur, format, stamp, priority))
}

/// A line's header whatever stamped it: a syslog header ([`parse`]), else a line with a
/// stamp of its own as a header without host ([`own_stamp_header`]).
pub fn parse_any(line: &[u8]) -> Option<Header<'_>> {
    parse(line).or_else(|| own_stamp_header(line))
}

/// The header of a line without syslog header but with a stamp of its own, without host:
/// - a leading ctime(3) stamp (xferlog, vsftpd's own log; [`crate::ctime`]), no program,
///   the message what follows the stamp;
/// - su's own `var/adm/sulog` (`SU 10/20 14:01 + pts/1 a-root`; [`crate::sulog`]), as
///   program `su` with the message `+ pts/1 a-root`;
/// - login's `var/adm/loginlog` (`root:/dev/pts/3:Mon Jun  8 10:20:30 1996`;
///   [`crate::loginlog`]), as program `login` with the message `root:/dev/pts/3`;
/// - xrdp's own `xrdp-sesman.log` (`[20220407-12:11:06] [INFO ] AUTHFAIL: …`;
///   [`crate::xrdp_log`]), as program `xrdp-sesman` with the message after the stamp;
/// - a bracketed Common Log Format stamp inside the line (pure-ftpd's `transfer.log`,
///   proftpd's ExtendedLog; [`crate::clf`]), no program, the whole line as message.
pub fn own_stamp_header(line: &[u8]) -> Option<Header<'_>> {
    let (format, stamp, program, message) =
        if let Some((datetime, message)) = crate::ctime::parse(line) {
            (Format::Iso, Stamp::Local(datetime), &b""[..], message)
        } else if let Some((stamp, message)) = crate::sulog::parse(line) {
            // Year-less like RFC 3164's.
            (Format::Bsd, stamp, &b"su"[..], message)
        } else if let Some((datetime, message)) = crate::loginlog::parse(line) {
            (Format::Iso, Stamp::Local(datetime), &b"login"[..], message)
        } else if let Some((datetime, message)) = crate::xrdp_log::parse(line) {
            (
                Format::Iso,
                Stamp::Local(datetime),
                &b"xrdp-sesman"[..],
                message,
            )
        } else {
            let (datetime, offset, _) = crate::clf::parse(line)?;
            (Format::Iso, Stamp::Offset(datetime, offset), &b""[..], line)
        };
    Some(Header {
        format,
        priority: None,
        stamp,
        host: None,
        program,
        pid: None,
        message,
        solaris_id: None,
    })
}

/// Only the stamp at the start of a line (cheap; used on one line per 64 KiB chunk for
/// year tracking).
pub fn parse_stamp(line: &[u8]) -> Option<Stamp> {
    let mut cur = Cursor::new(line);
    cur.skip_nuls();
    if cur.pri().is_some() && cur.eat_bytes(b"1 ") {
        return iso_stamp(&mut cur);
    }
    stamp_at(&mut cur).map(|(_, stamp)| stamp)
}

/// Any stamp but RFC 5424's, at the cursor; the cursor ends after it.
fn stamp_at(cur: &mut Cursor<'_>) -> Option<(Format, Stamp)> {
    let start = cur.pos;
    if let Some(stamp) = bsd_stamp(cur) {
        return Some((Format::Bsd, stamp));
    }
    cur.pos = start;
    if let Some(stamp) = year_first_bsd_stamp(cur) {
        return Some((Format::Bsd, stamp));
    }
    cur.pos = start;
    if let Some(stamp) = iso_stamp(cur) {
        return Some((Format::Iso, stamp));
    }
    cur.pos = start;
    if let Some(stamp) = weekday_iso_stamp(cur) {
        return Some((Format::Iso, stamp));
    }
    cur.pos = start;
    if let Some(stamp) = tai64n_stamp(cur) {
        return Some((Format::Epoch, stamp));
    }
    cur.pos = start;
    if let Some(stamp) = epoch_stamp(cur) {
        return Some((Format::Epoch, stamp));
    }
    cur.pos = start;
    None
}

/// A byte cursor: every read is bounds-checked, so no input can make it panic.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos.saturating_add(ahead)).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or(&[])
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_bytes(&mut self, lit: &[u8]) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn skip_nuls(&mut self) {
        while self.peek() == Some(0) {
            self.pos += 1;
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// Between `min` and `max` ASCII digits (greedy), as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<u64> {
        let mut value: u64 = 0;
        let mut n = 0;
        while n < max {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + u64::from(b - b'0');
                    self.pos += 1;
                    n += 1;
                }
                _ => break,
            }
        }
        (n >= min).then_some(value)
    }

    /// Exactly two digits, as a small number.
    fn two(&mut self) -> Option<i8> {
        let start = self.pos;
        match self.digits(2, 2) {
            Some(v) => Some(v as i8),
            None => {
                self.pos = start;
                None
            }
        }
    }

    /// Digits after a decimal point, as nanoseconds (digits past the ninth are read and
    /// dropped).
    fn fraction(&mut self) -> Option<i32> {
        let mut nanos: i32 = 0;
        let mut n = 0;
        while let Some(b @ b'0'..=b'9') = self.peek() {
            if n < 9 {
                nanos = nanos * 10 + i32::from(b - b'0');
            }
            n += 1;
            self.pos += 1;
        }
        if n == 0 {
            return None;
        }
        for _ in n..9 {
            nanos *= 10;
        }
        Some(nanos)
    }

    /// A `<PRI>` at the cursor (0..=191), consumed only if well formed.
    fn pri(&mut self) -> Option<u8> {
        let start = self.pos;
        if self.eat(b'<')
            && let Some(value) = self.digits(1, 3)
            && self.eat(b'>')
            && value <= 191
        {
            return Some(value as u8);
        }
        self.pos = start;
        None
    }

    /// True when the cursor is at the end or at a space: a stamp must end there.
    fn at_token_end(&self) -> bool {
        matches!(self.peek(), None | Some(b' '))
    }
}

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

/// `Jan`..`Dec` (any ASCII case) → 1..=12.
fn month_number(name: &[u8]) -> Option<i8> {
    let lower = [
        name.first()?.to_ascii_lowercase(),
        name.get(1)?.to_ascii_lowercase(),
        name.get(2)?.to_ascii_lowercase(),
    ];
    MONTHS
        .iter()
        .position(|m| **m == lower)
        .map(|i| i as i8 + 1)
}

/// `HH:MM:SS[.frac]`, with a leap second read as :59.
fn clock(cur: &mut Cursor<'_>) -> Option<(i8, i8, i8, i32)> {
    let hour = cur.two()?;
    if !cur.eat(b':') {
        return None;
    }
    let minute = cur.two()?;
    if !cur.eat(b':') {
        return None;
    }
    let second = cur.two()?;
    let mut nanos = 0;
    if matches!(cur.peek(), Some(b'.' | b',')) && matches!(cur.peek_at(1), Some(b'0'..=b'9')) {
        cur.pos += 1;
        nanos = cur.fraction()?;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some((hour, minute, second.min(59), nanos))
}

/// RFC 3164 `Mmm dd HH:MM:SS`, also `Mmm d`, `Mmm  d`, `Mmm 0d` and `Mmm dd YYYY HH:MM:SS`.
fn bsd_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    let month = month_number(cur.rest())?;
    cur.pos += 3;
    if !cur.eat(b' ') {
        return None;
    }
    cur.eat(b' ');
    let day = cur.digits(1, 2)? as i8;
    if !cur.eat(b' ') || !(1..=31).contains(&day) {
        return None;
    }
    // A year between the day and the clock (macOS, some appliances): four digits and a
    // space, where a clock would have a colon after two digits.
    let mut year = None;
    if cur.peek_at(4) == Some(b' ') {
        let start = cur.pos;
        match cur.digits(4, 4) {
            Some(y) if cur.eat(b' ') => year = Some(y as i16),
            _ => cur.pos = start,
        }
    }
    let (hour, minute, second, subsec_nanos) = clock(cur)?;
    if !cur.at_token_end() {
        return None;
    }
    match year {
        Some(year) => {
            let dt = DateTime::new(year, month, day, hour, minute, second, subsec_nanos).ok()?;
            Some(Stamp::Local(dt))
        }
        None => Some(Stamp::Yearless {
            month,
            day,
            hour,
            minute,
            second,
            subsec_nanos,
        }),
    }
}

/// `YYYY Mmm dd HH:MM:SS`: a BSD stamp with the year in front (syslog-ng and rsyslog
/// templates that add `$YEAR`).
fn year_first_bsd_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    let year = cur.digits(4, 4)? as i16;
    if !cur.eat(b' ') {
        return None;
    }
    match bsd_stamp(cur)? {
        Stamp::Yearless {
            month,
            day,
            hour,
            minute,
            second,
            subsec_nanos,
        } => {
            let dt = DateTime::new(year, month, day, hour, minute, second, subsec_nanos).ok()?;
            Some(Stamp::Local(dt))
        }
        // `2015 Oct 27 2015 ...`: two years is not a stamp.
        _ => None,
    }
}

/// ISO 8601 at the start of a line: `YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM|±HHMM]`,
/// also `YYYY/MM/DD`, a `,frac` (proftpd, Python logging) and a ` UTC`/` GMT` word.
fn iso_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    let year = cur.digits(4, 4)? as i16;
    let sep = cur.peek()?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    cur.pos += 1;
    let month = cur.two()?;
    if !cur.eat(sep) {
        return None;
    }
    let day = cur.two()?;
    if !(cur.eat(b'T') || cur.eat(b' ')) {
        return None;
    }
    let (hour, minute, second, nanos) = clock(cur)?;
    let dt = DateTime::new(year, month, day, hour, minute, second, nanos).ok()?;
    let offset = match cur.peek() {
        Some(b'Z' | b'z') => {
            cur.pos += 1;
            Some(Offset::UTC)
        }
        Some(sign @ (b'+' | b'-')) => {
            cur.pos += 1;
            let hours = i32::from(cur.two()?);
            cur.eat(b':');
            let minutes = if matches!(cur.peek(), Some(b'0'..=b'9')) {
                i32::from(cur.two()?)
            } else {
                0
            };
            if hours > 25 || minutes > 59 {
                return None;
            }
            let seconds = (hours * 3600 + minutes * 60) * if sign == b'-' { -1 } else { 1 };
            Some(Offset::from_seconds(seconds).ok()?)
        }
        _ => None,
    };
    if !cur.at_token_end() {
        return None;
    }
    if offset.is_none() {
        // `2005-06-21 14:55:10 UTC host ...`: the zone as a word after the stamp.
        let save = cur.pos;
        if (cur.eat_bytes(b" UTC") || cur.eat_bytes(b" GMT")) && cur.at_token_end() {
            return Some(Stamp::Offset(dt, Offset::UTC));
        }
        cur.pos = save;
        return Some(Stamp::Local(dt));
    }
    offset.map(|offset| Stamp::Offset(dt, offset))
}

const WEEKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// journalctl's `-o short-full` (and `with-unit`): `Mon 2026-12-07 12:47:09 UTC`, the
/// weekday, an ISO date and time, and the zone's abbreviation (`%Z`: `UTC`, `JST`,
/// `CEST`, or `+04` where the zone has none). UTC and GMT are exact; another
/// abbreviation names the zone journalctl ran in, which cannot be told from it, so the
/// time is read in the audited host's zone and the word is skipped, never taken for the
/// host.
fn weekday_iso_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    let day = cur.rest().get(..4)?;
    if day[3] != b' ' || !WEEKDAYS.iter().any(|w| day[..3] == w[..]) {
        return None;
    }
    cur.pos += 4;
    let stamp = iso_stamp(cur)?;
    if let Stamp::Local(_) = stamp {
        let word = cur.rest().strip_prefix(b" ")?;
        let len = word.iter().position(|&b| b == b' ').unwrap_or(word.len());
        let zone = &word[..len];
        let letters = (2..=5).contains(&zone.len()) && zone.iter().all(u8::is_ascii_uppercase);
        let numeric = matches!(zone, [b'+' | b'-', rest @ ..] if matches!(rest.len(), 2 | 4) && rest.iter().all(u8::is_ascii_digit));
        if !(letters || numeric) {
            return None;
        }
        cur.pos += 1 + len;
    }
    Some(stamp)
}

/// Epoch seconds, 9 or 10 digits with an optional fraction, followed by a space.
fn epoch_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    let seconds = cur.digits(9, 10)?;
    let mut nanos = 0;
    if cur.eat(b'.') {
        nanos = cur.fraction()?;
    }
    if cur.peek() != Some(b' ') {
        return None;
    }
    Timestamp::new(i64::try_from(seconds).ok()?, nanos)
        .ok()
        .map(Stamp::Instant)
}

/// A daemontools TAI64N label `@` + 24 hex digits (multilog). The label counts TAI
/// seconds from 2^62; multilog writes `2^62 + 10 + unix seconds` (libtai without a leap
/// second table), so 10 is taken off to get Unix time.
fn tai64n_stamp(cur: &mut Cursor<'_>) -> Option<Stamp> {
    if !cur.eat(b'@') {
        return None;
    }
    let hex = cur.rest().get(..24)?;
    let mut seconds: u64 = 0;
    let mut nanos: u64 = 0;
    for (i, &b) in hex.iter().enumerate() {
        let digit = u64::from((b as char).to_digit(16)?);
        if i < 16 {
            seconds = (seconds << 4) | digit;
        } else {
            nanos = (nanos << 4) | digit;
        }
    }
    cur.pos += 24;
    if !cur.at_token_end() || nanos >= 1_000_000_000 {
        return None;
    }
    let unix = seconds.checked_sub((1u64 << 62) + 10)?;
    Timestamp::new(i64::try_from(unix).ok()?, nanos as i32)
        .ok()
        .map(Stamp::Instant)
}

/// The fields after a BSD, ISO or epoch stamp.
fn bsd_header<'a>(
    mut cur: Cursor<'a>,
    format: Format,
    stamp: Stamp,
    mut priority: Option<u8>,
) -> Header<'a> {
    cur.skip_spaces();
    if let Some(pri) = facility_token(&mut cur) {
        priority = priority.or(Some(pri));
        cur.skip_spaces();
    }
    let first = token(cur.rest());
    let mut host = None;
    if !first.is_empty() && !looks_like_tag(first) {
        if first != b"-" {
            host = Some(first);
        }
        cur.pos += first.len();
        cur.skip_spaces();
        // FreeBSD writes the token before the host; accept it after the host too.
        if let Some(pri) = facility_token(&mut cur) {
            priority = priority.or(Some(pri));
            cur.skip_spaces();
        }
    }
    let rest = cur.rest();
    let (program, pid, message) =
        if host.is_none() && first.len() > 1 && first.ends_with(b":") && !first.contains(&b'[') {
            // No host, and the whole first token is the tag, colons inside and all
            // (dovecot's `auth(user,192.0.2.1,sasl:login)<id>:`).
            let msg = rest.get(first.len()..).unwrap_or(&[]);
            (
                first.get(..first.len() - 1).unwrap_or(&[]),
                None,
                msg.strip_prefix(b" ").unwrap_or(msg),
            )
        } else {
            tag(rest)
        };
    let (solaris_id, message) = solaris(message);
    Header {
        format,
        priority,
        stamp,
        host,
        program,
        pid,
        message: chomp(message),
        solaris_id,
    }
}

/// The bytes up to the next space.
fn token(rest: &[u8]) -> &[u8] {
    let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    rest.get(..end).unwrap_or(rest)
}

/// A first token that is a program, not a host: `sshd[12]:`, `su:`, `[sshd]`. Host
/// names never hold brackets or end in a colon (an IPv6 literal may end in `::`).
fn looks_like_tag(first: &[u8]) -> bool {
    let first = chomp(first);
    memchr::memchr(b'[', first).is_some() || (first.ends_with(b":") && !first.ends_with(b"::"))
}

/// `prog[pid]: msg`, `prog: msg`, `prog[pid] msg`, `[prog] msg` → (program, pid, message).
/// Anything else has no program and is all message (`-- MARK --`).
fn tag(rest: &[u8]) -> (&[u8], Option<u32>, &[u8]) {
    let none = (&rest[..0], None, rest);
    if rest.first() == Some(&b'[') {
        // `[sshd] msg` / `[sshd]: msg`: a bracketed daemon name; `[19591] msg` (exim):
        // a bracketed pid. An address (`[192.0.2.1]`) is neither.
        let inner = rest.get(1..).unwrap_or(&[]);
        let Some(close) = memchr::memchr(b']', inner) else {
            return none;
        };
        let name = inner.get(..close).unwrap_or(&[]);
        let mut after = inner.get(close + 1..).unwrap_or(&[]);
        after = after.strip_prefix(b":").unwrap_or(after);
        let after = after.strip_prefix(b" ").unwrap_or(after);
        if !name.is_empty() && name.len() <= 10 && name.iter().all(u8::is_ascii_digit) {
            return match decimal_u32(name) {
                Some(pid) => (&rest[..0], Some(pid), after),
                None => none,
            };
        }
        let program_like = name.first().is_some_and(u8::is_ascii_alphabetic)
            && name.len() <= 64
            && name
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b"-_./()".contains(&b));
        if !program_like {
            return none;
        }
        return (name, None, after);
    }
    let Some(end) = rest.iter().position(|&b| matches!(b, b' ' | b'[' | b':')) else {
        return none;
    };
    if end == 0 {
        return none;
    }
    let program = rest.get(..end).unwrap_or(&[]);
    let after = rest.get(end..).unwrap_or(&[]);
    match after.first() {
        Some(b':') => {
            let msg = after.get(1..).unwrap_or(&[]);
            match msg.first() {
                None => (program, None, msg),
                Some(b' ' | b'\t' | b'\r') => (program, None, msg.get(1..).unwrap_or(&[])),
                Some(_) => none,
            }
        }
        Some(b'[') => {
            let inner = after.get(1..).unwrap_or(&[]);
            let digits = inner.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 || digits > 10 || inner.get(digits) != Some(&b']') {
                return none;
            }
            let Some(pid) = decimal_u32(inner.get(..digits).unwrap_or(&[])) else {
                return none;
            };
            let mut msg = inner.get(digits + 1..).unwrap_or(&[]);
            msg = msg.strip_prefix(b":").unwrap_or(msg);
            match msg.first() {
                None => (program, Some(pid), msg),
                Some(b' ' | b'\t' | b'\r') => (program, Some(pid), msg.get(1..).unwrap_or(&[])),
                Some(_) => none,
            }
        }
        Some(b' ') => match version_tag(after.get(1..).unwrap_or(&[])) {
            // `syslogd 1.4.1: restart.`: sysklogd puts its version in the tag.
            Some(msg) => (program, None, msg),
            None => none,
        },
        _ => none,
    }
}

/// After `syslogd `: a version (`1.4.1:`, `1.3-3:`) ending the tag → the message after it.
fn version_tag(rest: &[u8]) -> Option<&[u8]> {
    if !rest.first()?.is_ascii_digit() {
        return None;
    }
    let end = rest
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))?;
    if rest.get(end) != Some(&b':') {
        return None;
    }
    let msg = rest.get(end + 1..)?;
    match msg.first() {
        None => Some(msg),
        Some(b' ') => msg.get(1..),
        Some(_) => None,
    }
}

/// Solaris `[ID 800047 auth.info] ` at the start of the message.
fn solaris(message: &[u8]) -> (Option<(u32, &[u8])>, &[u8]) {
    let Some(after) = message.strip_prefix(b"[ID ") else {
        return (None, message);
    };
    let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 10 || after.get(digits) != Some(&b' ') {
        return (None, message);
    }
    let Some(id) = decimal_u32(after.get(..digits).unwrap_or(&[])) else {
        return (None, message);
    };
    let rest = after.get(digits + 1..).unwrap_or(&[]);
    let Some(close) = memchr::memchr(b']', rest) else {
        return (None, message);
    };
    let facility = rest.get(..close).unwrap_or(&[]);
    if facility.is_empty() || facility.len() > 32 || facility.contains(&b' ') {
        return (None, message);
    }
    let msg = rest.get(close + 1..).unwrap_or(&[]);
    (Some((id, facility)), msg.strip_prefix(b" ").unwrap_or(msg))
}

/// ASCII digits only (1 to 10 of them) as a u32; None on anything else or overflow.
fn decimal_u32(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        n.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })
}

/// A trailing `\r` is the rest of a CRLF line ending, not message text.
fn chomp(bytes: &[u8]) -> &[u8] {
    bytes.strip_suffix(b"\r").unwrap_or(bytes)
}

const FACILITIES: [(&[u8], u8); 24] = [
    (b"kern", 0),
    (b"user", 1),
    (b"mail", 2),
    (b"daemon", 3),
    (b"auth", 4),
    (b"syslog", 5),
    (b"lpr", 6),
    (b"news", 7),
    (b"uucp", 8),
    (b"cron", 9),
    (b"authpriv", 10),
    (b"ftp", 11),
    (b"ntp", 12),
    (b"security", 13),
    (b"console", 14),
    (b"local0", 16),
    (b"local1", 17),
    (b"local2", 18),
    (b"local3", 19),
    (b"local4", 20),
    (b"local5", 21),
    (b"local6", 22),
    (b"local7", 23),
    (b"mark", 24),
];

const SEVERITIES: [(&[u8], u8); 11] = [
    (b"emerg", 0),
    (b"panic", 0),
    (b"alert", 1),
    (b"crit", 2),
    (b"err", 3),
    (b"error", 3),
    (b"warning", 4),
    (b"warn", 4),
    (b"notice", 5),
    (b"info", 6),
    (b"debug", 7),
];

/// FreeBSD `syslogd -v` `<4.3>` or `-vv` `<auth.info>` token, followed by a space or the
/// end, as a PRI value (facility × 8 + severity).
fn facility_token(cur: &mut Cursor<'_>) -> Option<u8> {
    let rest = cur.rest();
    let inner = rest.strip_prefix(b"<")?;
    let close = inner.iter().take(24).position(|&b| b == b'>')?;
    let body = inner.get(..close)?;
    if !matches!(inner.get(close + 1), None | Some(b' ')) {
        return None;
    }
    let dot = memchr::memchr(b'.', body)?;
    let (fac, sev) = (body.get(..dot)?, body.get(dot + 1..)?);
    let number = |s: &[u8]| -> Option<u8> {
        if s.is_empty() || s.len() > 2 || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        u8::try_from(decimal_u32(s)?).ok()
    };
    let lookup = |table: &[(&[u8], u8)], s: &[u8]| -> Option<u8> {
        table
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|&(_, v)| v)
    };
    let facility = number(fac).or_else(|| lookup(&FACILITIES, fac))?;
    let severity = number(sev).or_else(|| lookup(&SEVERITIES, sev))?;
    if facility > 23 || severity > 7 {
        return None;
    }
    cur.pos += close + 2;
    Some(facility * 8 + severity)
}

/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`, cursor after `<PRI>1 `.
/// A nil (`-`) timestamp gives no stamp, so no header.
fn parse_rfc5424(mut cur: Cursor<'_>, priority: Option<u8>) -> Option<Header<'_>> {
    let stamp = iso_stamp(&mut cur)?;
    let mut fields = [&[][..]; 4];
    for field in &mut fields {
        if !cur.eat(b' ') {
            break;
        }
        *field = token(cur.rest());
        cur.pos += field.len();
    }
    let [host, app, procid, _msgid] = fields;
    let nil = |f: &[u8]| f.is_empty() || f == b"-";
    let host = (!nil(host)).then_some(host);
    let program = if nil(app) { &app[..0] } else { app };
    let pid = decimal_u32(procid);
    let mut message: &[u8] = &[];
    if cur.eat(b' ') {
        skip_structured_data(&mut cur);
        if cur.eat(b' ') {
            message = cur.rest();
        }
    }
    // RFC 5424 allows a UTF-8 byte order mark in front of MSG.
    let message = message.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(message);
    Some(Header {
        format: Format::Rfc5424,
        priority,
        stamp,
        host,
        program,
        pid,
        message: chomp(message),
        solaris_id: None,
    })
}

/// `-` or one or more `[id param="value" ...]` elements; `\"`, `\]` and `\\` escapes are
/// honoured inside quoted values. An unterminated element swallows the rest of the line.
fn skip_structured_data(cur: &mut Cursor<'_>) {
    if cur.eat(b'-') {
        return;
    }
    while cur.peek() == Some(b'[') {
        cur.pos += 1;
        let mut quoted = false;
        loop {
            match cur.peek() {
                None => return,
                Some(b'\\') if quoted => cur.pos += 2,
                Some(b'"') => {
                    quoted = !quoted;
                    cur.pos += 1;
                }
                Some(b']') if !quoted => {
                    cur.pos += 1;
                    break;
                }
                Some(_) => cur.pos += 1,
            }
        }
    }
    if cur.at_end() {
        cur.pos = cur.bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn yearless(month: i8, day: i8, hour: i8, minute: i8, second: i8) -> Stamp {
        Stamp::Yearless {
            month,
            day,
            hour,
            minute,
            second,
            subsec_nanos: 0,
        }
    }

    fn p(line: &str) -> Header<'_> {
        parse(line.as_bytes()).unwrap_or_else(|| panic!("no header in {line:?}"))
    }

    #[test]
    fn reads_journalctl_short_full_stamps() {
        let header = parse(b"Mon 2026-12-07 12:47:09 UTC vm sshd[22084]: Failed password").unwrap();
        assert_eq!(header.host, Some(&b"vm"[..]));
        assert_eq!(header.program, b"sshd");
        assert!(
            matches!(header.stamp, Stamp::Offset(dt, off) if dt.hour() == 12 && off == Offset::UTC)
        );
        for line in [
            &b"Tue 2026-12-08 09:00:00 JST host sshd[2]: x"[..],
            b"Tue 2026-12-08 09:00:00 +04 host sshd[2]: x",
            b"Tue 2026-12-08 09:00:00.123456 CEST host sshd[2]: x",
        ] {
            let header = parse(line).unwrap();
            assert_eq!(header.host, Some(&b"host"[..]), "{line:?}");
            assert!(matches!(header.stamp, Stamp::Local(_)));
        }
        // A weekday before something else is no stamp.
        assert!(parse(b"Tue 2026-12-08 09:00:00 nohost").is_none());
        assert!(parse(b"Tue Dec  8 host x").is_none());
    }

    #[test]
    fn classic_bsd_line() {
        let h = p("Oct  6 14:02:17 mailhub sendmail[7496]: AA07496: from=root");
        assert_eq!(h.format, Format::Bsd);
        assert_eq!(h.stamp, yearless(10, 6, 14, 2, 17));
        assert_eq!(h.host, Some(&b"mailhub"[..]));
        assert_eq!(h.program, b"sendmail");
        assert_eq!(h.pid, Some(7496));
        assert_eq!(h.message, b"AA07496: from=root");
        assert_eq!(h.priority, None);
        assert_eq!(h.solaris_id, None);
    }

    #[test]
    fn day_paddings() {
        assert_eq!(p("Feb 6 12:02:29 h x: m").stamp, yearless(2, 6, 12, 2, 29));
        assert_eq!(p("Jun 09 01:02:03 h x: m").stamp, yearless(6, 9, 1, 2, 3));
        assert_eq!(
            p("Dec 31 23:59:59 h x: m").stamp,
            yearless(12, 31, 23, 59, 59)
        );
        assert!(parse(b"Dec 32 23:59:59 h x: m").is_none());
        assert!(parse(b"Dec 0 23:59:59 h x: m").is_none());
        assert!(parse(b"Dec 1 24:00:00 h x: m").is_none());
        assert!(parse(b"Dec 1 23:60:00 h x: m").is_none());
        assert!(
            parse(b"Dec   1 23:00:00 h x: m").is_none(),
            "three spaces is not a stamp"
        );
        assert!(parse(b"Dec 1 23:00:00x h").is_none());
    }

    #[test]
    fn localised_months_are_not_stamps() {
        assert!(parse(b"D\xe9c 31 11:59:59 [sshd] error").is_none());
        assert!(parse(b"Dez 31 11:59:59 [sshd] error").is_none());
        assert!(parse(b"Dec 31 11:59:59 [sshd] error").is_some());
    }

    #[test]
    fn leap_second_reads_as_59() {
        assert_eq!(
            p("Dec 31 23:59:60 h x: m").stamp,
            yearless(12, 31, 23, 59, 59)
        );
    }

    #[test]
    fn missing_host_is_decided_by_grammar() {
        let h = p("Nov 23 21:50:19 sshd[8148]: Invalid user");
        assert_eq!((h.host, h.program, h.pid), (None, &b"sshd"[..], Some(8148)));
        assert_eq!(h.message, b"Invalid user");
        let h = p("Jan  1 00:00:00 su: BAD SU");
        assert_eq!((h.host, h.program, h.pid), (None, &b"su"[..], None));
        let h = p("Dec 31 11:59:59 [sshd] error: PAM: Authentication failure");
        assert_eq!((h.host, h.program), (None, &b"sshd"[..]));
        assert_eq!(h.message, b"error: PAM: Authentication failure");
        let h = p("Aug 30 00:10:57 auth(info@example.com,192.0.2.110,sasl:login)<Cv>: Info: sql");
        assert_eq!(h.host, None);
        assert_eq!(
            h.program,
            b"auth(info@example.com,192.0.2.110,sasl:login)<Cv>"
        );
        assert_eq!(h.message, b"Info: sql");
        let h = p("2013-06-02 09:22:05 [19591] SMTP call from x");
        assert_eq!((h.host, h.program, h.pid), (None, &b""[..], Some(19591)));
        assert_eq!(h.message, b"SMTP call from x");
        let h = p("2013-06-02 09:22:05 H=x [192.0.2.1] sender verify fail");
        assert_eq!((h.host, h.program), (Some(&b"H=x"[..]), &b""[..]));
        assert_eq!(h.message, b"[192.0.2.1] sender verify fail");
    }

    #[test]
    fn lines_without_a_program() {
        let h = p("Dec 31 23:59:59 loghost -- MARK --");
        assert_eq!(
            (h.host, h.program, h.pid),
            (Some(&b"loghost"[..]), &b""[..], None)
        );
        assert_eq!(h.message, b"-- MARK --");
        let h = p("Dec 31 23:59:59 loghost last message repeated 3 times");
        assert_eq!((h.host, h.program), (Some(&b"loghost"[..]), &b""[..]));
        assert_eq!(h.message, b"last message repeated 3 times");
        let h = p("Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2");
        assert_eq!((h.host, h.program), (Some(&b"combo"[..]), &b""[..]));
        assert_eq!(h.message, b"-- root[2421]: ROOT LOGIN ON tty2");
        let h = p("Jun 19 04:09:11 combo syslogd 1.4.1: restart.");
        assert_eq!((h.program, h.message), (&b"syslogd"[..], &b"restart."[..]));
        let h = p("Dec 20 06:25:01 loghost syslogd 1.3-3: restart.");
        assert_eq!((h.program, h.message), (&b"syslogd"[..], &b"restart."[..]));
        let h = p("Dec 20 06:25:01 loghost last message repeated 2: times");
        assert_eq!(h.program, b"", "a version must start with a digit");
        let h = p("Dec 31 23:59:59 loghost");
        assert_eq!(
            (h.host, h.program, h.message),
            (Some(&b"loghost"[..]), &b""[..], &b""[..])
        );
        let h = p("Dec 31 23:59:59");
        assert_eq!((h.host, h.program, h.message), (None, &b""[..], &b""[..]));
    }

    #[test]
    fn su_without_pid_and_programs_with_slashes() {
        let h = p("Dec 31 23:59:59 sun1 su: 'su root' failed for suzuki on /dev/ttyp1");
        assert_eq!(
            (h.host, h.program, h.pid),
            (Some(&b"sun1"[..]), &b"su"[..], None)
        );
        let h = p("Dec 31 23:59:59 www /USR/SBIN/CRON[12]: (root) CMD (x)");
        assert_eq!((h.program, h.pid), (&b"/USR/SBIN/CRON"[..], Some(12)));
        let h = p("Dec 31 23:59:59 bsd1 /bsd: wd0: timeout");
        assert_eq!((h.program, h.pid), (&b"/bsd"[..], None));
        assert_eq!(h.message, b"wd0: timeout");
        let h = p("Feb  2 02:02:02 xxx postfix/smtpd[99]: lost connection");
        assert_eq!(h.program, b"postfix/smtpd");
        let h = p("Nov 11 11:11:11 localhost su(pam_unix)[12]: session opened");
        assert_eq!((h.program, h.pid), (&b"su(pam_unix)"[..], Some(12)));
        let h = p("Jan 11 11:11:11 server proftpd[123] server.example.net: FTP");
        assert_eq!((h.program, h.pid), (&b"proftpd"[..], Some(123)));
        assert_eq!(h.message, b"server.example.net: FTP");
    }

    #[test]
    fn solaris_message_id() {
        let h = p("Nov 21 15:12:56 sun5 sshd[123]: [ID 800047 auth.info] Failed password");
        assert_eq!(h.solaris_id, Some((800047, &b"auth.info"[..])));
        assert_eq!(h.message, b"Failed password");
        let h = p("Nov 21 15:12:56 sun5 sshd[123]: [ID x auth.info] m");
        assert_eq!(h.solaris_id, None);
        assert_eq!(h.message, b"[ID x auth.info] m");
    }

    #[test]
    fn freebsd_priority_tokens() {
        let h = p("Apr  2 17:51:27 <4.3> pancake sshd[55624]: error");
        assert_eq!((h.priority, h.host), (Some(35), Some(&b"pancake"[..])));
        let h = p("Mar 19 23:48:18 <auth.info> pancake sshd[55517]: Invalid user");
        assert_eq!(
            (h.priority, h.host, h.program),
            (Some(38), Some(&b"pancake"[..]), &b"sshd"[..])
        );
        let h = p("Jan  1 00:00:00 host <auth.info> prog: m");
        assert_eq!(
            (h.priority, h.host, h.program),
            (Some(38), Some(&b"host"[..]), &b"prog"[..])
        );
        let h = p("<13>Jan  1 00:00:00 host prog: m");
        assert_eq!(
            (h.priority, h.host, h.program),
            (Some(13), Some(&b"host"[..]), &b"prog"[..])
        );
        let h = p("Jan  1 00:00:00 <99.1> host prog: m");
        assert_eq!(
            h.host,
            Some(&b"<99.1>"[..]),
            "an impossible facility is not a token"
        );
    }

    #[test]
    fn rfc5424_lines() {
        let h = p("<189>1 1996-12-20T10:00:00.123456+09:00 rtr-gw ifmgr 231 LINK - interface down");
        assert_eq!(h.format, Format::Rfc5424);
        assert_eq!(h.priority, Some(189));
        let dt = date(1996, 12, 20).at(10, 0, 0, 123_456_000);
        assert_eq!(h.stamp, Stamp::Offset(dt, Offset::from_hours(9).unwrap()));
        assert_eq!(
            (h.host, h.program, h.pid),
            (Some(&b"rtr-gw"[..]), &b"ifmgr"[..], Some(231))
        );
        assert_eq!(h.message, b"interface down");
        let h = p(
            r#"<86>1 1997-01-09T21:51:29.676Z appliance sshd 2231 - [meta sequenceId="52" x="a\"]b"][y] Accepted"#,
        );
        let dt = date(1997, 1, 9).at(21, 51, 29, 676_000_000);
        assert_eq!(h.stamp, Stamp::Offset(dt, Offset::UTC));
        assert_eq!(h.message, b"Accepted");
        let h = p("<13>1 1997-01-09T21:51:29Z - - - - -");
        assert_eq!(
            (h.host, h.program, h.pid, h.message),
            (None, &b""[..], None, &b""[..])
        );
        assert!(parse(b"<13>1 - host app - - - msg").is_none(), "nil stamp");
        let h = p("<13>1 1997-01-09T21:51:29Z h a - - [unterminated \"x");
        assert_eq!(h.message, b"");
    }

    #[test]
    fn iso_lines() {
        let tokyo = Offset::from_hours(9).unwrap();
        let h = p("1997-01-09T06:25:00.388486+09:00 host prog[12]: msg");
        assert_eq!(h.format, Format::Iso);
        assert_eq!(
            h.stamp,
            Stamp::Offset(date(1997, 1, 9).at(6, 25, 0, 388_486_000), tokyo)
        );
        assert_eq!(
            (h.host, h.program, h.pid),
            (Some(&b"host"[..]), &b"prog"[..], Some(12))
        );
        let h = p("2015-04-16T18:02:50.321974+00:00 host sshd[2716]: x");
        assert_eq!(
            h.stamp,
            Stamp::Offset(date(2015, 4, 16).at(18, 2, 50, 321_974_000), Offset::UTC)
        );
        let h = p("2020-03-23 06:47:42.801612-0700  localhost sshd[3186]: User");
        let pdt = Offset::from_hours(-7).unwrap();
        assert_eq!(
            h.stamp,
            Stamp::Offset(date(2020, 3, 23).at(6, 47, 42, 801_612_000), pdt)
        );
        assert_eq!(h.host, Some(&b"localhost"[..]));
        let h = p("2005-06-21 14:55:10 UTC machine test-demo(pam_unix)[13709] F2B: error");
        assert_eq!(
            h.stamp,
            Stamp::Offset(date(2005, 6, 21).at(14, 55, 10, 0), Offset::UTC)
        );
        assert_eq!(
            (h.host, h.program),
            (Some(&b"machine"[..]), &b"test-demo(pam_unix)"[..])
        );
        let h = p("2013-11-16 21:59:30,121 novo proftpd[25891] localhost");
        assert_eq!(
            h.stamp,
            Stamp::Local(date(2013, 11, 16).at(21, 59, 30, 121_000_000))
        );
        let h = p("2005/08/14 11:57:00 [sshd] Invalid user toto");
        assert_eq!(h.stamp, Stamp::Local(date(2005, 8, 14).at(11, 57, 0, 0)));
        assert_eq!((h.host, h.program), (None, &b"sshd"[..]));
        assert!(parse(b"2005-02-30 11:57:00 h p: m").is_none());
        assert!(parse(b"2005-02-03 11:57:00+26:00 h p: m").is_none());
        assert!(parse(b"2005-02-03X11:57:00 h p: m").is_none());
    }

    #[test]
    fn year_after_the_day() {
        let h = p("Oct 27 2015 09:24:46 test1.beezwax.net screensharingd[1170]: Authentication");
        assert_eq!(h.stamp, Stamp::Local(date(2015, 10, 27).at(9, 24, 46, 0)));
        assert_eq!(h.host, Some(&b"test1.beezwax.net"[..]));
    }

    #[test]
    fn year_before_the_month() {
        let h = p("2015 Nov 13 13:40:01 ether rsyslogd-2177: imuxsock begins to drop");
        assert_eq!(h.format, Format::Bsd);
        assert_eq!(h.stamp, Stamp::Local(date(2015, 11, 13).at(13, 40, 1, 0)));
        assert_eq!(
            (h.host, h.program),
            (Some(&b"ether"[..]), &b"rsyslogd-2177"[..])
        );
        assert!(parse(b"2015 Nov 13 2015 13:40:01 h p: m").is_none());
        assert!(parse(b"2015 Feb 29 13:40:01 h p: m").is_none());
    }

    #[test]
    fn epoch_and_tai64n() {
        let h = p("1124012400 [sshd] Invalid user duck from 212.41.96.185");
        assert_eq!(h.format, Format::Epoch);
        assert_eq!(
            h.stamp,
            Stamp::Instant(Timestamp::from_second(1_124_012_400).unwrap())
        );
        assert_eq!((h.host, h.program), (None, &b"sshd"[..]));
        let h = p("@400000004c91b044077a9e94 dovecot-auth: pam_unix(dovecot:auth): failure");
        // 0x4c91b044 - 10 s of TAI-UTC: 2010-09-16T05:50:50Z.
        let want = Timestamp::new(0x4c91_b044 - 10, 0x077a_9e94).unwrap();
        assert_eq!(h.stamp, Stamp::Instant(want));
        assert_eq!((h.host, h.program), (None, &b"dovecot-auth"[..]));
        assert!(parse(b"@4000zzzz4c91b044077a9e94 x").is_none());
        assert!(
            parse(b"12345678 x").is_none(),
            "8 digits is not an epoch stamp"
        );
        assert!(
            parse(b"1124012400").is_none(),
            "a bare number is not a stamp"
        );
    }

    #[test]
    fn leading_nuls_are_skipped() {
        let h = parse(b"\0\0\0Dec 31 23:59:59 h p[1]: m").unwrap();
        assert_eq!(
            (h.stamp, h.program),
            (yearless(12, 31, 23, 59, 59), &b"p"[..])
        );
        assert!(parse_stamp(b"\0\0Dec 31 23:59:59 h p[1]: m").is_some());
        assert!(parse(b"\0\0\0").is_none());
    }

    #[test]
    fn pids_are_bounded() {
        assert_eq!(p("Dec 31 23:59:59 h p[4294967295]: m").pid, Some(u32::MAX));
        let h = p("Dec 31 23:59:59 h p[4294967296]: m");
        assert_eq!(
            (h.program, h.pid),
            (&b""[..], None),
            "overflow is not a pid"
        );
        assert_eq!(decimal_u32(b"0042"), Some(42));
        assert_eq!(decimal_u32(b"+42"), None);
        assert_eq!(decimal_u32(b""), None);
        let h = p("<13>1 1997-01-09T21:51:29Z h app +12 - - m");
        assert_eq!(h.pid, None, "RFC 5424 PROCID that is not a number");
    }

    #[test]
    fn crlf_is_not_message() {
        let h = p("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown\r");
        assert_eq!(h.message, b"check pass; user unknown");
    }

    #[test]
    fn parse_stamp_matches_parse() {
        for line in [
            "Oct  6 14:02:17 h p: m",
            "1997-01-09T06:25:00.388486+09:00 host prog[12]: msg",
            "<189>1 1996-12-20T10:00:00.123456+09:00 rtr-gw ifmgr 231 LINK - x",
            "1124012400 [sshd] x",
        ] {
            assert_eq!(parse_stamp(line.as_bytes()), Some(p(line).stamp), "{line}");
        }
        assert_eq!(parse_stamp(b"srv sshd[1]: x"), None);
    }

    #[test]
    fn no_panic_on_prefixes_and_noise() {
        let lines: &[&[u8]] = &[
            b"<189>1 1996-12-20T10:00:00.123456+09:00 rtr-gw ifmgr 231 LINK [a x=\"\\\"]\"] m",
            b"Oct  6 14:02:17 <auth.info> host sshd[12]: [ID 800047 auth.info] Failed",
            b"Oct 27 2015 09:24:46 h p[1] m",
            b"2020-03-23 06:47:42.801612-0700  localhost sshd[3186]: User",
            b"2005-06-21 14:55:10 UTC machine x",
            b"@400000004c91b044077a9e94 dovecot-auth: x",
            b"1124012400.123 [sshd] x",
            b"Dec 31 23:59:59 [sshd]: x",
            b"Dec 31 23:59:59 h p[99999999999]: x",
        ];
        for line in lines {
            for end in 0..=line.len() {
                let _ = parse(&line[..end]);
                let _ = parse_stamp(&line[..end]);
            }
        }
        // A small deterministic generator (xorshift) over a byte alphabet biased towards
        // the parser's delimiters, so the odd paths get exercised.
        let alphabet = b"<>[]:.-+ 0123456789JanDecTZ@abcdef\"\\/\r\xff\xe9";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut buf = Vec::with_capacity(64);
        for _ in 0..200_000 {
            buf.clear();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 48) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                buf.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let _ = parse(&buf);
            let _ = parse_stamp(&buf);
        }
    }
}
