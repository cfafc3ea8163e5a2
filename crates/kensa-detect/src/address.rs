//! One spelling per client address, whatever socket or daemon logged it.
//!
//! Daemons log the same IPv4 client as `192.0.2.7` (an IPv4 socket), `::ffff:192.0.2.7`
//! (an IPv6 socket accepting IPv4: vsftpd's Debian default `listen_ipv6=YES`, pam's
//! `rhost=` from such a daemon, wtmp's 16-byte address field) or `[192.0.2.7]`; and an
//! IPv6 client as `2001:db8::1` or `[2001:db8::1]`. Findings are per source, so an
//! attacker whose tries were logged by two daemons in two spellings would be two
//! attackers, each below the threshold. Every place that takes a source address —
//! the authentication parsers, login records, the FTP upload lines — goes through
//! [`normalize_source`].
//!
//! A zone id (`fe80::1%eth0`) stays: the same link-local address on two interfaces is two
//! machines. Names stay as logged (`localhost`, DNS names): they are joined with
//! addresses elsewhere, if at all.

/// `bytes` as kensa reports a source: without one pair of enclosing brackets, and an
/// IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, any case, also the long
/// `0:0:0:0:0:ffff:a.b.c.d`) as the IPv4 address it maps. Borrowed, never allocates.
pub fn normalize_source(bytes: &[u8]) -> &[u8] {
    let bytes = match bytes {
        [b'[', inner @ .., b']'] if !inner.contains(&b'[') && !inner.contains(&b']') => inner,
        _ => bytes,
    };
    for prefix in [&b"::ffff:"[..], b"0:0:0:0:0:ffff:"] {
        if let Some(head) = bytes.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            let rest = &bytes[prefix.len()..];
            if is_dotted_quad(rest) {
                return rest;
            }
        }
    }
    bytes
}

/// `a.b.c.d`, four decimal parts of at most three digits.
fn is_dotted_quad(bytes: &[u8]) -> bool {
    let mut parts = 0;
    for part in bytes.split(|&b| b == b'.') {
        parts += 1;
        if part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return false;
        }
    }
    parts == 4
}

/// [`normalize_source`] of a string.
pub fn normalize_source_str(text: &str) -> &str {
    let bytes = normalize_source(text.as_bytes());
    // A suffix or infix cut at ASCII bytes of a `str` is a `str`.
    std::str::from_utf8(bytes).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_one_client_is_one_source() {
        for (logged, source) in [
            ("::ffff:127.0.1.12", "127.0.1.12"),
            ("::FFFF:192.0.2.7", "192.0.2.7"),
            ("0:0:0:0:0:ffff:192.0.2.7", "192.0.2.7"),
            ("[::ffff:192.0.2.7]", "192.0.2.7"),
            ("[192.0.2.7]", "192.0.2.7"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("2001:db8::1", "2001:db8::1"),
            ("fe80::1%eth0", "fe80::1%eth0"),
            ("[fe80::1%eth0]", "fe80::1%eth0"),
            ("192.0.2.7", "192.0.2.7"),
            ("localhost", "localhost"),
            // Not IPv4-mapped: kept as logged.
            ("::ffff:abcd", "::ffff:abcd"),
            ("::ffff:1.2.3", "::ffff:1.2.3"),
            ("::ffff:1.2.3.4.5", "::ffff:1.2.3.4.5"),
            ("::ffff:1.2.3.4444", "::ffff:1.2.3.4444"),
            ("[[x]]", "[[x]]"),
            ("[", "["),
            ("[]", ""),
            ("", ""),
        ] {
            assert_eq!(normalize_source_str(logged), source, "{logged}");
        }
    }
}
