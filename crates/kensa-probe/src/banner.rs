//! Product and version from what a server says: the SMTP greeting (and `HELP` text), the
//! FTP greeting (and `STAT` text).
//!
//! FTP servers put the same strings in their greeting that kensa's host audit reads in
//! their binaries (`Version wu-2.4(1)`, `(vsFTPd 3.0.3)`, `ProFTPD 1.3.5`), so they are
//! found with the same code, `kensa_host::versions::extract::from_binary`. Sendmail's
//! greeting is its `SmtpGreetingMessage` (`$j Sendmail $v/$Z; $b`): `$v` is the binary's
//! version and `$Z` the configuration's, so `Sendmail 8.6.12/8.6.9` is sendmail 8.6.12
//! with an 8.6.9 `sendmail.cf`; SunOS wrote `Sendmail 5.65c+Sun/SMI-4.1` and Solaris
//! `Sendmail SMI-8.6/SMI-SVR4`. A greeting that names no product or no version leaves
//! the version unknown — never "safe".

use kensa_host::versions::advisories::Product;
use kensa_host::versions::extract;

/// What a server said it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The product's name as reports show it (`sendmail`, `postfix`, `vsftpd`).
    pub product: &'static str,
    /// The product as kensa's advisories data knows it, if it does.
    pub advisory_product: Option<Product>,
    /// The version text (`8.6.12`, `2.4(1)`, `5.65c+Sun`), if the server said it.
    pub version: Option<String>,
}

/// `needle` in `hay`, ASCII case-insensitively: the byte index after it, for each match.
fn after_all<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let lower = hay.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    let mut from = 0;
    let mut found = Vec::new();
    while let Some(at) = lower.get(from..).and_then(|rest| rest.find(&needle)) {
        found.push(from + at + needle.len());
        from += at + 1;
    }
    found.into_iter()
}

/// Whether `hay` contains `needle` as a word (ASCII case-insensitive).
fn has_word(hay: &str, needle: &str) -> bool {
    after_all(hay, needle).any(|end| {
        let start = end - needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphabetic())
    })
}

/// The version right after `needle` (optionally after spaces), with `extract`'s rules.
fn version_after(text: &str, needle: &str) -> Option<String> {
    after_all(text, needle).find_map(|end| {
        let rest = text[end..].trim_start_matches(' ');
        let at = text.len() - rest.len();
        extract::version_at(text.as_bytes(), at)
    })
}

/// Sendmail's version in a greeting or HELP text.
fn sendmail_version(text: &str) -> Option<String> {
    // `This is sendmail version 8.17.1.9` (HELP), `Sendmail 8.6.12/8.6.9`.
    if let Some(version) = version_after(text, "sendmail version ") {
        return Some(version);
    }
    for end in after_all(text, "sendmail ") {
        let rest = &text[end..];
        // Solaris: `Sendmail SMI-8.6/SMI-SVR4`.
        let rest = rest.strip_prefix("SMI-").unwrap_or(rest);
        let token: String = rest
            .chars()
            .take(48)
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
            .collect();
        if token.starts_with(|c: char| c.is_ascii_digit()) && token.contains('.') {
            return Some(token);
        }
    }
    None
}

/// The text with terminal escape sequences (`ESC [ ... m`, `ESC ] ... BEL`) removed
/// and other control characters turned into spaces, so that a banner painted in colour
/// is read like a plain one.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(if c.is_control() { ' ' } else { c });
            continue;
        }
        match chars.next() {
            // CSI: parameters up to a final byte in @..~.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        chars.next_if_eq(&'\\');
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Who an SMTP server says it is, from its greeting and (when asked) its HELP text.
pub fn smtp(text: &str) -> Option<Identity> {
    let text = &plain(text);
    let identity = |product, advisory_product, version| {
        Some(Identity {
            product,
            advisory_product,
            version,
        })
    };
    if has_word(text, "sendmail") {
        return identity("sendmail", Some(Product::Sendmail), sendmail_version(text));
    }
    if has_word(text, "postfix") {
        return identity("postfix", None, version_after(text, "postfix "));
    }
    if has_word(text, "exim") {
        return identity("exim", None, version_after(text, "exim "));
    }
    if has_word(text, "opensmtpd") {
        return identity("opensmtpd", None, version_after(text, "opensmtpd "));
    }
    // aiosmtpd's default greeting: `Python SMTP 1.4.3`.
    if has_word(text, "python smtp") {
        return identity("aiosmtpd", None, version_after(text, "python smtp "));
    }
    // `Smail3.1.28.1 #1 ready`, `Smail-3.2.0.115`.
    if has_word(text, "smail") {
        let version = after_all(text, "smail").find_map(|end| {
            let at = end + usize::from(text[end..].starts_with('-'));
            extract::version_at(text.as_bytes(), at)
        });
        return identity("smail", None, version);
    }
    if text.contains("Microsoft ESMTP MAIL Service") {
        return identity("microsoft-smtp", None, version_after(text, "Version: "));
    }
    if has_word(text, "qmail") {
        return identity("qmail", None, None);
    }
    None
}

/// Who an FTP server says it is, from its greeting or its STAT text.
pub fn ftp(text: &str) -> Option<Identity> {
    let text = &plain(text);
    let bytes = text.as_bytes();
    let known = [
        (Product::WuFtpd, "wu-ftpd"),
        (Product::Vsftpd, "vsftpd"),
        (Product::Proftpd, "proftpd"),
        (Product::PureFtpd, "pure-ftpd"),
    ];
    for (product, name) in known {
        if let Some(found) = extract::from_binary(product, bytes).into_iter().next() {
            return Some(Identity {
                product: name,
                advisory_product: Some(product),
                version: Some(found.version),
            });
        }
    }
    // Named without a version: Debian's ProFTPD (`ProFTPD Server (Debian)`), Pure-FTPd.
    let named = [
        ("wu-ftpd", Product::WuFtpd, "wu-ftpd"),
        ("vsftpd", Product::Vsftpd, "vsftpd"),
        ("proftpd", Product::Proftpd, "proftpd"),
        ("pure-ftpd", Product::PureFtpd, "pure-ftpd"),
    ];
    for (word, product, name) in named {
        if has_word(text, word) {
            return Some(Identity {
                product: name,
                advisory_product: Some(product),
                version: None,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp_of(text: &str) -> (String, Option<String>) {
        let id = smtp(text).unwrap();
        (id.product.to_string(), id.version)
    }

    fn ftp_of(text: &str) -> (String, Option<String>) {
        let id = ftp(text).unwrap();
        (id.product.to_string(), id.version)
    }

    fn pair(product: &str, version: Option<&str>) -> (String, Option<String>) {
        (product.to_string(), version.map(str::to_string))
    }

    #[test]
    fn sendmail_greetings_of_every_era() {
        for (greeting, version) in [
            (
                "mailhub.example.ac.jp Sendmail 8.6.12/8.6.9 ready at Tue, 31 Dec 1996 23:59:01 +0900",
                "8.6.12",
            ),
            (
                "sun1.example.ac.jp Sendmail 5.65c+Sun/SMI-4.1 ready at Tue, 31 Dec 96 23:59:01 JST",
                "5.65c+Sun",
            ),
            ("host Sendmail 5.61/1.34 ready at Mon, 1 Jan 90", "5.61"),
            ("sol.example Sendmail SMI-8.6/SMI-SVR4 ready at Wed", "8.6"),
            (
                "deb.example ESMTP Sendmail 8.17.1.9/8.17.1.9; Thu, 26 Nov 2026 02:00:00 GMT",
                "8.17.1.9",
            ),
            ("This is sendmail version 8.14.4", "8.14.4"),
        ] {
            assert_eq!(
                smtp_of(greeting),
                pair("sendmail", Some(version)),
                "{greeting}"
            );
        }
        assert_eq!(
            smtp_of("mx ESMTP Sendmail ready"),
            pair("sendmail", None),
            "named, version hidden"
        );
    }

    #[test]
    fn other_mail_servers() {
        assert_eq!(smtp_of("mx.example ESMTP Postfix"), pair("postfix", None));
        assert_eq!(
            smtp_of("mx.example ESMTP Postfix (Debian/GNU)"),
            pair("postfix", None)
        );
        assert_eq!(
            smtp_of("mx.example ESMTP Postfix 3.7.11"),
            pair("postfix", Some("3.7.11"))
        );
        assert_eq!(
            smtp_of("mx.example ESMTP Exim 4.96 Thu, 26 Nov 2026 02:00:00 +0000"),
            pair("exim", Some("4.96"))
        );
        assert_eq!(
            smtp_of("host Python SMTP 1.4.3"),
            pair("aiosmtpd", Some("1.4.3"))
        );
        assert_eq!(
            smtp_of("host Smail3.1.28.1 #1 ready at Tue"),
            pair("smail", Some("3.1.28.1"))
        );
        assert_eq!(smtp_of("mx ESMTP OpenSMTPD"), pair("opensmtpd", None));
        assert!(smtp("mx.example ESMTP ready").is_none());
        assert!(smtp("mail.sendmailer.example ESMTP").is_none());
    }

    #[test]
    fn ftp_greetings() {
        assert_eq!(
            ftp_of(
                "ftp.example.ac.jp FTP server (Version wu-2.4(1) Fri Apr 15 14:14:30 CDT 1994) ready."
            ),
            pair("wu-ftpd", Some("2.4(1)"))
        );
        assert_eq!(ftp_of("(vsFTPd 3.0.3)"), pair("vsftpd", Some("3.0.3")));
        assert_eq!(
            ftp_of("ProFTPD 1.3.5 Server (Debian) [::ffff:127.0.0.1]"),
            pair("proftpd", Some("1.3.5"))
        );
        assert_eq!(
            ftp_of("ProFTPD Server (Debian) [::ffff:127.0.0.1]"),
            pair("proftpd", None)
        );
        assert_eq!(
            ftp_of("---------- Welcome to Pure-FTPd [privsep] [TLS] ----------"),
            pair("pure-ftpd", None)
        );
        assert_eq!(
            ftp_of("FTP server status:\n     vsFTPd 3.0.3 - secure, fast, stable"),
            pair("vsftpd", Some("3.0.3"))
        );
        assert!(ftp("ftp.example FTP server (SunOS 4.1) ready.").is_none());
        assert!(ftp("Microsoft FTP Service").is_none());
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "",
            "Sendmail ",
            "Sendmail SMI-",
            "\u{1b}[31mSendmail 8.6.12\u{1b}[0m",
            "ＳＥＮＤＭＡＩＬ 8.8.8",
            "exim ",
            "Smail-",
            "Version wu-",
            "smail\u{e9}",
        ] {
            let _ = smtp(text);
            let _ = ftp(text);
        }
        assert_eq!(
            smtp_of("\u{1b}[31mSendmail 8.6.12\u{1b}[0m"),
            pair("sendmail", Some("8.6.12"))
        );
        assert_eq!(
            ftp_of("\u{1b}]0;title\u{7}(vsFTPd\u{1b}[1m 2.3.4)"),
            pair("vsftpd", Some("2.3.4")),
            "read as a terminal would show it"
        );
        assert_eq!(plain("a\u{1b}]0;t\u{1b}\\b\tc\u{1b}[2Jd"), "ab cd");
    }
}
