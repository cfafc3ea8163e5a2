//! Version strings found in bytes: configuration lines and the strings compiled into
//! server binaries. Nothing is ever executed — `sendmail -d0.1` on an intruder's disk
//! image would run the intruder's program as root — so versions are read the way
//! `strings | grep` would, with patterns anchored on what each program's source puts
//! next to its version.

use super::advisories::Product;

/// Most bytes of a version string kept.
const MAX_VERSION: usize = 48;

/// A version found, with where (the byte offset in the file) and the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The version text (`8.6.12`, `2.4(1)`, `1.3.3c`).
    pub version: String,
    /// The byte offset of the matched pattern.
    pub offset: usize,
    /// The matched string, printable, for evidence (`@(#)Version wu-2.4(1) ...`).
    pub context: String,
}

fn is_version_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'(' | b')' | b'-' | b'[' | b']' | b'_')
}

/// The version text starting at `at` (a digit): up to the first byte that cannot be
/// part of one, trailing punctuation removed. Also used by `kensa probe` on banners.
pub fn version_at(bytes: &[u8], at: usize) -> Option<String> {
    let rest = bytes.get(at..)?;
    if !rest.first()?.is_ascii_digit() {
        return None;
    }
    let len = rest
        .iter()
        .take(MAX_VERSION)
        .take_while(|&&b| is_version_byte(b))
        .count();
    let text = std::str::from_utf8(rest.get(..len)?).ok()?;
    let mut text = text.trim_end_matches(['.', '-', '_']);
    // `(vsFTPd 2.3.4)`: a closing bracket that opened before the version is not its own.
    while text.ends_with(')') && text.matches('(').count() < text.matches(')').count() {
        text = &text[..text.len() - 1];
    }
    Some(text.to_string())
}

/// The printable text around a match (its C string), for evidence.
fn context_at(bytes: &[u8], at: usize) -> String {
    let start = bytes[..at.min(bytes.len())]
        .iter()
        .rposition(|&b| b == 0 || b == b'\n')
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(40));
    let end = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == 0 || b == b'\n'))
        .map_or(bytes.len(), |i| at + i)
        .min(at + 120);
    let text: String = bytes
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            }
        })
        .collect();
    text
}

/// The offsets of every occurrence of `needle` in `hay` (non-overlapping is not needed:
/// needles here cannot overlap themselves usefully).
pub(crate) fn find_iter<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let first = *needle.first()?;
        loop {
            let rest = hay.get(from..)?;
            let at = from + rest.iter().position(|&b| b == first)?;
            from = at + 1;
            if hay.get(at..at + needle.len()) == Some(needle) {
                return Some(at);
            }
        }
    })
}

/// Every `prefix` followed by a version in `bytes`.
fn after_prefix(bytes: &[u8], prefix: &[u8], found: &mut Vec<Found>) {
    for at in find_iter(bytes, prefix) {
        if let Some(version) = version_at(bytes, at + prefix.len()) {
            found.push(Found {
                version,
                offset: at,
                context: context_at(bytes, at),
            });
        }
        if found.len() >= 16 {
            return;
        }
    }
}

/// `Version[]` of sendmail 8: a C string that is just the version (`8.17.1.9`), with a
/// NUL before and after it. Only used when no labelled string was found.
fn bare_sendmail_version(bytes: &[u8], found: &mut Vec<Found>) {
    for at in find_iter(bytes, b"\x008.") {
        let start = at + 1;
        let Some(rest) = bytes.get(start..) else {
            break;
        };
        let len = rest.iter().take(16).take_while(|&&b| b != 0).count();
        let candidate = &rest[..len];
        if rest.get(len) != Some(&0) {
            continue;
        }
        let dots = candidate.iter().filter(|&&b| b == b'.').count();
        let shape = candidate.iter().all(|&b| b.is_ascii_digit() || b == b'.')
            && (2..=3).contains(&dots)
            && !candidate.ends_with(b".")
            && !candidate.windows(2).any(|w| w == b"..");
        if shape && let Ok(text) = std::str::from_utf8(candidate) {
            found.push(Found {
                version: text.to_string(),
                offset: start,
                context: text.to_string(),
            });
            if found.len() >= 4 {
                return;
            }
        }
    }
}

/// The versions of `product` in the bytes of one of its binaries, best evidence first.
pub fn from_binary(product: Product, bytes: &[u8]) -> Vec<Found> {
    let mut found = Vec::new();
    match product {
        Product::Sendmail => {
            // `@(#)Version 8.6.12`, and the SCCS id of version.c in 5.x-8.9
            // (`@(#)version.c\t8.6.12 (Berkeley) 4/9/95`).
            after_prefix(bytes, b"@(#)Version ", &mut found);
            after_prefix(bytes, b"@(#)version.c\t", &mut found);
            after_prefix(bytes, b"@(#)version.c ", &mut found);
            // Postfix's and Exim's `sendmail` have version-shaped strings too; only
            // sendmail itself names its configuration file.
            if found.is_empty() && find_iter(bytes, b"/sendmail.cf").next().is_some() {
                bare_sendmail_version(bytes, &mut found);
            }
        }
        Product::WuFtpd => {
            // `@(#)Version wu-2.4(1) Fri Apr 15 ...` (version.c of every wu-ftpd).
            after_prefix(bytes, b"Version wu-", &mut found);
        }
        Product::Vsftpd => {
            // The banner `(vsFTPd 3.0.3)` and the `-v` text `vsftpd: version 3.0.3`.
            after_prefix(bytes, b"vsftpd: version ", &mut found);
            after_prefix(bytes, b"(vsFTPd ", &mut found);
            after_prefix(bytes, b"vsFTPd ", &mut found);
        }
        Product::Proftpd => {
            after_prefix(bytes, b"ProFTPD Version ", &mut found);
            after_prefix(bytes, b"ProFTPD ", &mut found);
        }
        Product::PureFtpd => {
            after_prefix(bytes, b"pure-ftpd v", &mut found);
            after_prefix(bytes, b"Pure-FTPd ", &mut found);
        }
    }
    // One entry per version: several patterns often match the same string.
    let mut seen: Vec<String> = Vec::new();
    found.retain(|f| {
        let new = !seen.contains(&f.version);
        if new {
            seen.push(f.version.clone());
        }
        new
    });
    found
}

/// The `DZ` (sendmail version macro) line of a `sendmail.cf`: `DZ8.6.12`. Returns the
/// version and its 1-based line number and offset.
pub fn sendmail_cf(bytes: &[u8]) -> Option<(String, u64, u64)> {
    let mut offset = 0u64;
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let this = offset;
        offset += line.len() as u64 + 1;
        if let Some(rest) = line.strip_prefix(b"DZ")
            && let Some(version) = version_at(rest, 0)
        {
            return Some((version, index as u64 + 1, this));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(product: Product, bytes: &[u8]) -> Vec<String> {
        from_binary(product, bytes)
            .into_iter()
            .map(|f| f.version)
            .collect()
    }

    #[test]
    fn old_strings_in_synthetic_binaries() {
        let blob = b"\x7fELF\x00\x01junk\x00@(#)Version 8.6.12\x00more\x00";
        assert_eq!(versions(Product::Sendmail, blob), ["8.6.12"]);
        let blob = b"\x00@(#)version.c\t5.61 (Berkeley) 1/1/90\x005.61\x00";
        assert_eq!(versions(Product::Sendmail, blob), ["5.61"]);
        let blob = b"\x00\x00@(#)Version wu-2.4(1) Fri Apr 15 14:14:30 CDT 1994\x00";
        let found = from_binary(Product::WuFtpd, blob);
        assert_eq!(found[0].version, "2.4(1)");
        assert!(found[0].context.contains("Version wu-2.4(1) Fri Apr 15"));
        let blob = b"\x00Version wu-2.4.2-academ[BETA-18](1) Mon\x00";
        assert_eq!(
            versions(Product::WuFtpd, blob),
            ["2.4.2-academ[BETA-18](1)"]
        );
        let blob = b"\x00Version wu-2.6.0(1) Mon Feb 28\x00";
        assert_eq!(versions(Product::WuFtpd, blob), ["2.6.0(1)"]);
        let blob = b"xx\x00(vsFTPd 2.3.4)\x00yy";
        assert_eq!(versions(Product::Vsftpd, blob), ["2.3.4"]);
        let blob = b"\x00ProFTPD 1.3.3c Server\x00";
        assert_eq!(versions(Product::Proftpd, blob), ["1.3.3c"]);
        let blob = b"\x00pure-ftpd v1.0.21 [privsep]\x00";
        assert_eq!(versions(Product::PureFtpd, blob), ["1.0.21"]);
    }

    #[test]
    fn bare_sendmail_version_only_as_a_last_resort() {
        let blob = b"/etc/mail/sendmail.cf\x00\x008.17.1.9\x00\x008.1\x00x8.1.2\x00";
        assert_eq!(versions(Product::Sendmail, blob), ["8.17.1.9"]);
        // Without sendmail's own configuration path: another MTA's sendmail.
        assert!(versions(Product::Sendmail, &blob[21..]).is_empty());
        assert!(versions(Product::Sendmail, b"/sendmail.cf\x008.1.\x00\x008..1\x00").is_empty());
    }

    #[test]
    fn nothing_in_unrelated_bytes() {
        for product in [
            Product::Sendmail,
            Product::WuFtpd,
            Product::Vsftpd,
            Product::Proftpd,
        ] {
            assert!(from_binary(product, b"Version wu-x ProFTPD vsFTPd @(#)Version ").is_empty());
        }
    }

    #[test]
    fn dz_line_of_sendmail_cf() {
        let cf = b"# comment DZ9\nDj$w\nDZ8.6.12\nCwlocalhost\n";
        assert_eq!(sendmail_cf(cf), Some(("8.6.12".to_string(), 3, 19)));
        assert_eq!(sendmail_cf(b"DZ\nDZx\n"), None);
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..2000 {
            let mut blob = Vec::new();
            for _ in 0..(round % 97) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                blob.push(b"\x008.1(wu-Version ProFTPD v@#)\n"[(seed % 28) as usize]);
            }
            for product in [
                Product::Sendmail,
                Product::WuFtpd,
                Product::Vsftpd,
                Product::Proftpd,
                Product::PureFtpd,
            ] {
                let _ = from_binary(product, &blob);
            }
            let _ = sendmail_cf(&blob);
        }
    }
}
