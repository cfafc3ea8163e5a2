//! Linux audit records, as auditd writes them to `var/log/audit/audit.log`.
//!
//! One record per line:
//!
//! ```text
//! [node=NAME ]type=USER_AUTH msg=audit(1668381071.000:373474): pid=173582 uid=0 \
//!     auid=4294967295 ses=4294967295 subj=… msg='op=PAM:authentication grantors=? \
//!     acct="root" exe="/usr/sbin/sshd" hostname=192.0.2.111 addr=192.0.2.111 \
//!     terminal=ssh res=failed'<GS>UID="root" AUID="unset"
//! ```
//!
//! - `node=` is present when auditd's `name_format` is set, and on the aggregating host
//!   of a remote-logging setup, where it names the machine the record came from.
//! - `msg=audit(SECONDS.MILLIS:SERIAL)` is the event's stamp: the kernel's clock in UTC
//!   (so no year or zone to infer) and its serial number; the records of one kernel
//!   event (SYSCALL, EXECVE, PATH, …) share it. A record sent by a user-space program
//!   (PAM, sshd, sudo: the `USER_*` types) is an event of its own.
//! - The body is `name=value` fields. In a user-space record the program's own fields
//!   are inside `msg='…'`; [`AuditRecord::fields`] walks both levels as one list.
//! - A value is `"quoted"`, or bare. For the fields auditd treats as untrusted strings
//!   (`acct`, `exe`, `cmd`, … see [`ENCODED_FIELDS`]) a bare value is the string in hex,
//!   which is how a value holding a space, a double quote or a control byte is written
//!   (`acct=28696E76616C6964207573657229` is `(invalid user)`) — so such a value can
//!   never forge the fields after it. `?` (and `(null)`, `(none)`) means unknown.
//! - auditd's `log_format = ENRICHED` (RHEL 8 and later) appends, after a group
//!   separator byte (0x1D), the same ids translated to names (`UID="root"`); they are
//!   fields too, in upper case.
//!
//! Everything here borrows from the line and allocates only to decode hex. A line that
//! is not a record gives `None`; a record's odd field (a word without `=`, as in
//! `auditd start, ver=…`) is passed over.

use std::borrow::Cow;

/// Fields whose bare value is hex-encoded text (auditd's `audit_value_needs_encoding`
/// decides per value; `ausearch -i` decodes these names). Addresses, host names and
/// terminals are written as they are.
pub const ENCODED_FIELDS: &[&[u8]] = &[
    b"acct",
    b"cmd",
    b"comm",
    b"cwd",
    b"data",
    b"dir",
    b"exe",
    b"file",
    b"key",
    b"name",
    b"new",
    b"old",
    b"ocomm",
    b"path",
    b"proctitle",
    b"watch",
    b"grp",
    b"new_group",
];

/// auditd's separator between the raw fields and the enriched (translated) ones.
const GROUP_SEPARATOR: u8 = 0x1d;

/// One audit record, borrowed from its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditRecord<'a> {
    /// The `node=` name, when the record carries one.
    pub node: Option<&'a [u8]>,
    /// The record type (`USER_AUTH`; `UNKNOWN[1334]` for a type auditd had no name for).
    pub kind: &'a [u8],
    /// Seconds since the epoch, UTC.
    pub seconds: i64,
    /// Milliseconds within the second.
    pub millis: u32,
    /// The event's serial number.
    pub serial: u64,
    /// Everything after `): `.
    pub body: &'a [u8],
}

/// Reads one line as an audit record.
pub fn parse(line: &[u8]) -> Option<AuditRecord<'_>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (node, rest) = match line.strip_prefix(b"node=") {
        Some(rest) => {
            let space = memchr::memchr(b' ', rest)?;
            (Some(&rest[..space]), &rest[space + 1..])
        }
        None => (None, line),
    };
    let rest = rest.strip_prefix(b"type=")?;
    let space = memchr::memchr(b' ', rest)?;
    let kind = &rest[..space];
    if kind.is_empty() {
        return None;
    }
    let rest = rest[space + 1..].strip_prefix(b"msg=audit(")?;
    let close = memchr::memchr(b')', rest)?;
    let (seconds, millis, serial) = parse_stamp(&rest[..close])?;
    let after = &rest[close + 1..];
    let body = after.strip_prefix(b":").unwrap_or(after);
    let body = body.strip_prefix(b" ").unwrap_or(body);
    Some(AuditRecord {
        node,
        kind,
        seconds,
        millis,
        serial,
        body,
    })
}

/// `SECONDS.MILLIS:SERIAL`.
fn parse_stamp(stamp: &[u8]) -> Option<(i64, u32, u64)> {
    let colon = memchr::memchr(b':', stamp)?;
    let (time, serial) = (&stamp[..colon], &stamp[colon + 1..]);
    let (seconds, millis) = match memchr::memchr(b'.', time) {
        Some(dot) => (&time[..dot], &time[dot + 1..]),
        None => (time, &b"0"[..]),
    };
    let number = |digits: &[u8]| -> Option<u64> {
        if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let seconds = i64::try_from(number(seconds)?).ok()?;
    // Always three digits from auditd; more are cut to milliseconds.
    let millis = number(&millis[..millis.len().min(3)])?;
    Some((seconds, u32::try_from(millis).ok()?, number(serial)?))
}

/// A field's value as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// `"…"`: the text between the quotes.
    Quoted(&'a [u8]),
    /// Written bare: a number, a keyword, an address, or hex-encoded text.
    Bare(&'a [u8]),
}

impl<'a> Value<'a> {
    /// The bytes as written, without quotes.
    pub fn raw(self) -> &'a [u8] {
        match self {
            Value::Quoted(text) | Value::Bare(text) => text,
        }
    }

    /// Whether the value says "unknown": `?`, `(null)`, `(none)` or nothing.
    pub fn is_unknown(self) -> bool {
        matches!(self, Value::Bare(b"?" | b"(null)" | b"(none)" | b""))
    }

    /// The text of a field of [`ENCODED_FIELDS`]: quoted text as it is, a bare value
    /// decoded from hex (left as it is when it is not hex). `None` when unknown.
    pub fn decoded(self) -> Option<Cow<'a, [u8]>> {
        if self.is_unknown() {
            return None;
        }
        match self {
            Value::Quoted(text) => Some(Cow::Borrowed(text)),
            Value::Bare(text) => Some(match decode_hex(text) {
                Some(decoded) => Cow::Owned(decoded),
                None => Cow::Borrowed(text),
            }),
        }
    }

    /// The text of a field written as it is (addresses, host names, terminals, results).
    /// `None` when unknown.
    pub fn plain(self) -> Option<&'a [u8]> {
        (!self.is_unknown()).then(|| self.raw())
    }
}

/// Even-length upper- or lower-case hex to bytes; `None` for anything else.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |b: u8| -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    };
    text.chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

impl<'a> AuditRecord<'a> {
    /// Every field, the ones inside `msg='…'` and the enriched ones included, in order.
    pub fn fields(&self) -> Fields<'a> {
        Fields { rest: self.body }
    }

    /// The first field called `name`.
    pub fn field(&self, name: &[u8]) -> Option<Value<'a>> {
        self.fields().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// The text of field `name`, decoded as its kind requires (hex for
    /// [`ENCODED_FIELDS`]); `None` when absent or unknown.
    pub fn text(&self, name: &[u8]) -> Option<Cow<'a, [u8]>> {
        let value = self.field(name)?;
        if ENCODED_FIELDS.contains(&name) {
            value.decoded()
        } else {
            value.plain().map(Cow::Borrowed)
        }
    }

    /// The result of a user-space record: `res=success`/`failed` (also `res=1`/`0` in
    /// kernel records), as true for success.
    pub fn succeeded(&self) -> Option<bool> {
        match self.field(b"res")?.raw() {
            b"success" | b"yes" | b"1" => Some(true),
            b"failed" | b"no" | b"0" => Some(false),
            _ => None,
        }
    }
}

/// The fields of a record body; see [`AuditRecord::fields`].
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a [u8], Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // Separators: spaces, the group separator, and the quote that closes msg='…'.
            let start = self
                .rest
                .iter()
                .position(|&b| !matches!(b, b' ' | b'\t' | GROUP_SEPARATOR | b'\''))?;
            let token = &self.rest[start..];
            let word_end = token
                .iter()
                .position(|&b| matches!(b, b' ' | b'\t' | GROUP_SEPARATOR | b'='))
                .unwrap_or(token.len());
            if token.get(word_end) != Some(&b'=') {
                // A word without a value (`user`, `auditd start,`): pass it.
                self.rest = &token[word_end..];
                continue;
            }
            let name = &token[..word_end];
            let value = &token[word_end + 1..];
            match value.first() {
                // msg='…' : its fields are read next, as part of the same list.
                Some(b'\'') => {
                    self.rest = &value[1..];
                    continue;
                }
                Some(b'"') => {
                    // No `"` inside: auditd hex-encodes such values.
                    let inner = &value[1..];
                    let close = memchr::memchr(b'"', inner).unwrap_or(inner.len());
                    self.rest = inner.get(close + 1..).unwrap_or(&[]);
                    return Some((name, Value::Quoted(&inner[..close])));
                }
                _ => {
                    let end = value
                        .iter()
                        .position(|&b| matches!(b, b' ' | b'\t' | GROUP_SEPARATOR))
                        .unwrap_or(value.len());
                    let mut bare = &value[..end];
                    // The last field of msg='…' carries its closing quote.
                    if let Some(inner) = bare.strip_suffix(b"'") {
                        bare = inner;
                    }
                    self.rest = &value[end..];
                    return Some((name, Value::Bare(bare)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real records (fail2ban's `selinux-ssh` test log, RHEL hosts; see the corpus).
    const HEX_ACCT: &[u8] = b"type=USER_LOGIN msg=audit(1373330717.000:4073): user pid=12000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login acct=28696E76616C6964207573657229 exe=\"/usr/sbin/sshd\" hostname=? addr=173.242.116.187 terminal=ssh res=failed'";
    const ENRICHED: &[u8] = b"type=USER_AUTH msg=audit(1668381071.000:373474): pid=173582 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/sbin/sshd\" hostname=192.0.2.111 addr=192.0.2.111 terminal=ssh res=failed'\x1dUID=\"root\" AUID=\"unset\"";

    #[test]
    fn reads_the_stamp_and_the_fields_of_both_levels() {
        let record = parse(ENRICHED).unwrap();
        assert_eq!(record.node, None);
        assert_eq!(record.kind, b"USER_AUTH");
        assert_eq!(
            (record.seconds, record.millis, record.serial),
            (1668381071, 0, 373474)
        );
        assert_eq!(
            record.text(b"op").as_deref(),
            Some(&b"PAM:authentication"[..])
        );
        assert_eq!(record.text(b"acct").as_deref(), Some(&b"root"[..]));
        assert_eq!(record.text(b"addr").as_deref(), Some(&b"192.0.2.111"[..]));
        assert_eq!(record.text(b"grantors"), None);
        assert_eq!(record.succeeded(), Some(false));
        assert_eq!(record.field(b"UID"), Some(Value::Quoted(b"root")));
        assert_eq!(record.field(b"pid"), Some(Value::Bare(b"173582")));
        let names: Vec<&[u8]> = record.fields().map(|(n, _)| n).collect();
        assert_eq!(names.first(), Some(&&b"pid"[..]));
        assert_eq!(names.last(), Some(&&b"AUID"[..]));
        assert_eq!(names.len(), 15, "{names:?}");
    }

    #[test]
    fn hex_values_are_decoded_only_for_encoded_fields() {
        let record = parse(HEX_ACCT).unwrap();
        assert_eq!(
            record.text(b"acct").as_deref(),
            Some(&b"(invalid user)"[..])
        );
        assert_eq!(record.text(b"hostname"), None);
        // A bare host name that happens to be hex stays what it is.
        let line = b"type=USER_LOGIN msg=audit(1.000:2): pid=1 msg='op=login acct=\"x\" hostname=cafe addr=10.0.0.1 terminal=ssh res=success'";
        let record = parse(line).unwrap();
        assert_eq!(record.text(b"hostname").as_deref(), Some(&b"cafe"[..]));
        assert_eq!(record.succeeded(), Some(true));
    }

    #[test]
    fn node_prefix_names_the_machine() {
        let line = b"node=web-01.example.org type=USER_AUTH msg=audit(1700000000.123:9): pid=1 uid=0 msg='op=PAM:authentication acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=198.51.100.7 addr=198.51.100.7 terminal=ssh res=failed'";
        let record = parse(line).unwrap();
        assert_eq!(record.node, Some(&b"web-01.example.org"[..]));
        assert_eq!(record.millis, 123);
        assert_eq!(record.text(b"acct").as_deref(), Some(&b"alice"[..]));
    }

    #[test]
    fn a_quote_in_a_name_cannot_forge_fields() {
        // A single quote is not encoded by auditd; a space or a double quote is.
        let line = b"type=USER_AUTH msg=audit(1.000:2): pid=1 msg='op=PAM:authentication acct=\"o'x\" exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.9 terminal=ssh res=failed'";
        let record = parse(line).unwrap();
        assert_eq!(record.text(b"acct").as_deref(), Some(&b"o'x"[..]));
        assert_eq!(record.text(b"addr").as_deref(), Some(&b"10.0.0.9"[..]));
        assert_eq!(record.succeeded(), Some(false));
        // The hex form of `x res=success addr=6.6.6.6` stays one value.
        let hex: String = b"x res=success addr=6.6.6.6"
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let line = format!(
            "type=USER_AUTH msg=audit(1.000:2): pid=1 msg='op=PAM:authentication acct={hex} exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.9 terminal=ssh res=failed'"
        );
        let record = parse(line.as_bytes()).unwrap();
        assert_eq!(
            record.text(b"acct").as_deref(),
            Some(&b"x res=success addr=6.6.6.6"[..])
        );
        assert_eq!(record.text(b"addr").as_deref(), Some(&b"10.0.0.9"[..]));
        assert_eq!(record.succeeded(), Some(false));
    }

    #[test]
    fn free_text_records_and_non_records() {
        let line = b"type=DAEMON_START msg=audit(1481076983.819:7798): auditd start, ver=2.4.1 format=raw kernel=3.10.0 auid=4294967295 pid=251 res=success";
        let record = parse(line).unwrap();
        assert_eq!(record.text(b"ver").as_deref(), Some(&b"2.4.1"[..]));
        assert_eq!(record.succeeded(), Some(true));
        for bad in [
            &b""[..],
            b"Jan  1 00:00:00 host sshd[1]: Failed password",
            b"type=USER_AUTH msg=audit(x.000:1): pid=1",
            b"type=USER_AUTH msg=audit(1.000): pid=1",
            b"type= msg=audit(1.000:1): pid=1",
            b"node=x",
            b"type=USER_AUTH msg=audit(99999999999999999999.000:1): x=1",
        ] {
            assert_eq!(parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        // Cut lines give what they hold.
        let cut = b"type=USER_AUTH msg=audit(1.000:2): pid=1 msg='op=PAM:authentication acct=\"ro";
        let record = parse(cut).unwrap();
        assert_eq!(record.text(b"acct").as_deref(), Some(&b"ro"[..]));
        assert_eq!(record.succeeded(), None);
    }
}
