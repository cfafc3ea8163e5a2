//! Byte helpers shared by the parsers.
//!
//! Every parser reads an attacker-influenced message: a user name is whatever the client
//! typed. So the helpers never index out of bounds, never allocate, and come in pairs
//! that let a parser anchor at the *end* of a message shape (`rfind`, `strip_suffix`)
//! where the daemon's own text is, instead of at the first address-looking token.

use memchr::memmem;

/// Haystacks shorter than this are searched by their needle's first byte: building a
/// `memmem` searcher for each call costs more than the search of a typical log message.
const SHORT_HAY: usize = 512;

/// Position of the first `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() >= SHORT_HAY {
        return memmem::find(hay, needle);
    }
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut start = 0;
    while let Some(offset) = hay.get(start..).and_then(|h| memchr::memchr(first, h)) {
        let at = start + offset;
        if hay
            .get(at + 1..)
            .is_some_and(|after| after.starts_with(rest))
        {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// Position of the last `needle` in `hay`.
pub(crate) fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() >= SHORT_HAY {
        return memmem::rfind(hay, needle);
    }
    let Some((&first, rest)) = needle.split_first() else {
        return Some(hay.len());
    };
    let mut end = hay.len();
    while let Some(at) = hay.get(..end).and_then(|h| memchr::memrchr(first, h)) {
        if hay
            .get(at + 1..)
            .is_some_and(|after| after.starts_with(rest))
        {
            return Some(at);
        }
        end = at;
    }
    None
}

/// Whether `hay` contains `needle`.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    find(hay, needle).is_some()
}

/// `hay` split around the first `needle`: (before, after).
pub(crate) fn split_once<'a>(hay: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = find(hay, needle)?;
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

/// `hay` split around the last `needle`: (before, after).
pub(crate) fn rsplit_once<'a>(hay: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    let at = rfind(hay, needle)?;
    Some((hay.get(..at)?, hay.get(at + needle.len()..)?))
}

/// Every position of `needle` in `hay`, first to last, not overlapping.
pub(crate) fn find_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let mut start = 0;
    std::iter::from_fn(move || {
        let at = start + find(hay.get(start..)?, needle)?;
        start = at + needle.len().max(1);
        Some(at)
    })
}

/// `bytes` without trailing spaces, tabs and carriage returns.
pub(crate) fn trim_end(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes.get(end - 1), Some(b' ' | b'\t' | b'\r')) {
        end -= 1;
    }
    bytes.get(..end).unwrap_or(&[])
}

/// `bytes` without leading spaces.
pub(crate) fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or(&[])
}

/// The leading run of bytes up to (not including) the first space, and the rest.
pub(crate) fn token(bytes: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b' ', bytes) {
        Some(at) => (
            bytes.get(..at).unwrap_or(&[]),
            bytes.get(at..).unwrap_or(&[]),
        ),
        None => (bytes, &[]),
    }
}

/// A decimal number of at most nine digits (so it fits a u32) that is all of `bytes`.
pub(crate) fn number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0u32, |n, &b| n * 10 + u32::from(b - b'0')),
    )
}

/// The leading decimal digits of `bytes` as a number, and the rest.
pub(crate) fn leading_number(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let value = number(bytes.get(..len)?)?;
    Some((value, bytes.get(len..)?))
}

/// A TCP port (`1`–`65535`, all of `bytes`).
pub(crate) fn port(bytes: &[u8]) -> Option<u16> {
    number(bytes).and_then(|n| u16::try_from(n).ok())
}

/// Whether `bytes` can be a host name or an address as daemons log them: letters,
/// digits and `.-_:%`, 1 to 255 bytes. (`192.030.0.6` passes: it is what was logged.)
pub(crate) fn is_host(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes.len() <= 255
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'%'))
}

/// A source as kensa reports it (see [`crate::address`]): `::ffff:1.2.3.4` is
/// `1.2.3.4`, `[2001:db8::1]` is `2001:db8::1`.
pub(crate) fn normalize_host(bytes: &[u8]) -> &[u8] {
    crate::address::normalize_source(bytes)
}

/// A host token, checked and normalised.
pub(crate) fn host(bytes: &[u8]) -> Option<&[u8]> {
    let source = normalize_host(bytes);
    is_host(source).then_some(source)
}

/// The contents of the last `[...]` that ends `bytes` (`name [1.2.3.4]`,
/// `unknown[1.2.3.4]`) and what comes before the bracket.
pub(crate) fn trailing_bracket(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let body = bytes.strip_suffix(b"]")?;
    let open = memchr::memrchr(b'[', body)?;
    Some((body.get(..open)?, body.get(open + 1..)?))
}

/// Case-insensitive ASCII prefix test.
pub(crate) fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Case-insensitive ASCII search (short needles, short messages).
pub(crate) fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&at| {
        hay.get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// The program's base name: `/usr/sbin/sshd` → `sshd`, `postfix/smtpd` → `smtpd`.
pub(crate) fn basename(program: &[u8]) -> &[u8] {
    match memchr::memrchr(b'/', program) {
        Some(at) => program.get(at + 1..).unwrap_or(&[]),
        None => program,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_searches_agree() {
        let mut long = b"x from a ".repeat(100);
        long.extend_from_slice(b"y from b");
        for hay in [&b"x from a y from b"[..], &long] {
            assert_eq!(find(hay, b" from "), memmem::find(hay, b" from "));
            assert_eq!(rfind(hay, b" from "), memmem::rfind(hay, b" from "));
            assert_eq!(
                find_all(hay, b" from ").collect::<Vec<_>>(),
                memmem::find_iter(hay, b" from ").collect::<Vec<_>>()
            );
            assert_eq!(find(hay, b"zzz"), None);
            assert_eq!(rfind(hay, b"zzz"), None);
        }
        assert_eq!(find(b"", b"a"), None);
        assert_eq!(rfind(b"a", b"ab"), None);
        assert_eq!(find(b"ab", b""), Some(0));
    }

    #[test]
    fn helpers_never_panic_on_edges() {
        assert_eq!(trim_end(b"  "), b"");
        assert_eq!(trim_start(b""), b"");
        assert_eq!(token(b"abc"), (&b"abc"[..], &b""[..]));
        assert_eq!(number(b"1234567890"), None);
        assert_eq!(port(b"65536"), None);
        assert_eq!(port(b"22"), Some(22));
        assert_eq!(trailing_bracket(b"]"), None);
        assert_eq!(
            trailing_bracket(b"name [1.2.3.4]"),
            Some((&b"name "[..], &b"1.2.3.4"[..]))
        );
        assert_eq!(normalize_host(b"::ffff:1.2.3.4"), b"1.2.3.4");
        assert_eq!(normalize_host(b"::ffff:abcd"), b"::ffff:abcd");
        assert!(!is_host(b"a b"));
        assert!(is_host(b"2001:db8::1"));
        assert_eq!(find_ignore_case(b"ab", b"abc"), None);
        assert_eq!(find_ignore_case(b"xAuTh", b"auth"), Some(1));
        assert_eq!(basename(b"postfix/smtpd"), b"smtpd");
        assert_eq!(leading_number(b"12 x"), Some((12, &b" x"[..])));
    }
}
