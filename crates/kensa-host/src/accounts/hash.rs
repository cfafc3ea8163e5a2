//! What a password field says, without cracking anything.
//!
//! The second field of `passwd` and `shadow` is either a crypt(3) hash, a pointer to
//! where the hash lives, a lock marker or nothing. Checks must tell these apart before
//! they complain: `x` is not a hash in `/etc/passwd`, `*LK*` is not an empty password,
//! and `!$6$...` is a locked account whose hash is still there. Markers understood:
//!
//! | field | meaning |
//! |---|---|
//! | empty | no password: anyone may log in as this account |
//! | `x`, `##name` (SunOS C2 adjunct) | the hash is in the shadow file |
//! | `*`, `*LK*`, `*NP*`, `NP`, `LK`, `!`, `!!`, `NOLOGIN`, ... | locked or no password login |
//! | `!` or `*LOCKED*` then a hash | locked, hash kept (unlocking restores it) |
//! | 13 chars of `[./0-9A-Za-z]` | traditional DES crypt |
//! | 13 + 11·n of those | bigcrypt (HP-UX trusted, Digital UNIX) |
//! | `_` + 19 | BSDi extended DES |
//! | `$1$`, `$md5`, `$apr1$` | MD5 crypt (Poul-Henning Kamp's, Sun's, Apache's) |
//! | `$5$`, `$6$` (`rounds=N$`) | SHA-crypt, 5000 rounds unless stated |
//! | `$2a$`, `$2b$`, `$2y$`, `$y$`, `$7$`, `$gy$`, `$argon2...` | bcrypt, yescrypt, scrypt, argon2 |
//!
//! Anything else cannot be produced by crypt(3), so no password opens it: locked.
//!
//! Weak, for [`Scheme::is_weak`]: DES and its relatives (8 significant characters,
//! 12-bit salt — crackers of 1996 ran them on a workstation), MD5 crypt (1000 fixed
//! rounds; GPUs try billions per second), and SHA-crypt with an explicit `rounds=` below
//! its own default of 5000 (it was lowered on purpose; the minimum is 1000). bcrypt,
//! yescrypt, scrypt, argon2 and default SHA-crypt are not flagged.

/// A crypt(3) scheme, identified by shape and prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Traditional DES crypt (13 characters).
    Des,
    /// bigcrypt: DES over 8-character chunks (13 + 11·n characters).
    BigCrypt,
    /// BSDi extended DES (`_` + 19 characters).
    BsdiDes,
    /// MD5 crypt (`$1$`, Sun `$md5`, Apache `$apr1$`).
    Md5,
    /// SHA-256 crypt (`$5$`) with its rounds.
    Sha256 {
        /// `rounds=` or the default 5000.
        rounds: u32,
    },
    /// SHA-512 crypt (`$6$`) with its rounds.
    Sha512 {
        /// `rounds=` or the default 5000.
        rounds: u32,
    },
    /// bcrypt (`$2a$`, `$2b$`, `$2x$`, `$2y$`).
    Bcrypt,
    /// yescrypt (`$y$`) or gost-yescrypt (`$gy$`).
    Yescrypt,
    /// scrypt (`$7$`).
    Scrypt,
    /// Argon2 (`$argon2i$`, ...).
    Argon2,
    /// Another `$id$` scheme.
    Other,
}

/// SHA-crypt's default (and glibc's) number of rounds.
pub const SHA_CRYPT_DEFAULT_ROUNDS: u32 = 5000;

impl Scheme {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Des => "DES",
            Scheme::BigCrypt => "bigcrypt",
            Scheme::BsdiDes => "BSDi DES",
            Scheme::Md5 => "MD5",
            Scheme::Sha256 { .. } => "SHA-256",
            Scheme::Sha512 { .. } => "SHA-512",
            Scheme::Bcrypt => "bcrypt",
            Scheme::Yescrypt => "yescrypt",
            Scheme::Scrypt => "scrypt",
            Scheme::Argon2 => "argon2",
            Scheme::Other => "unknown",
        }
    }

    /// Whether the scheme falls to a cracker quickly (see the module documentation).
    pub fn is_weak(self) -> bool {
        match self {
            Scheme::Des | Scheme::BigCrypt | Scheme::BsdiDes | Scheme::Md5 => true,
            Scheme::Sha256 { rounds } | Scheme::Sha512 { rounds } => {
                rounds < SHA_CRYPT_DEFAULT_ROUNDS
            }
            _ => false,
        }
    }
}

/// What a password field says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordField {
    /// Nothing: the account has no password.
    Empty,
    /// The hash lives elsewhere (`x`, `##name`).
    Elsewhere,
    /// Locked or password login disabled; `hash` is the scheme of a hash kept behind
    /// the marker (`!$6$...`), if any.
    Locked {
        /// The scheme of the kept hash.
        hash: Option<Scheme>,
    },
    /// A usable hash.
    Hash(Scheme),
}

impl PasswordField {
    /// The usable hash's scheme, if the field is one.
    pub fn scheme(&self) -> Option<Scheme> {
        match self {
            PasswordField::Hash(scheme) => Some(*scheme),
            _ => None,
        }
    }
}

fn is_crypt64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'/'
}

/// The scheme of a string shaped like a crypt(3) output, `None` when it is not one.
pub fn scheme_of(hash: &[u8]) -> Option<Scheme> {
    if let Some(rest) = hash.strip_prefix(b"$") {
        let id_end = rest.iter().position(|&b| b == b'$')?;
        let (id, tail) = rest.split_at(id_end);
        let tail = tail.get(1..).unwrap_or_default();
        if tail.is_empty() && id != b"md5" {
            return None;
        }
        return Some(match id {
            b"1" | b"apr1" => Scheme::Md5,
            b"5" => Scheme::Sha256 {
                rounds: sha_rounds(tail),
            },
            b"6" => Scheme::Sha512 {
                rounds: sha_rounds(tail),
            },
            b"2" | b"2a" | b"2b" | b"2x" | b"2y" => Scheme::Bcrypt,
            b"y" | b"gy" => Scheme::Yescrypt,
            b"7" => Scheme::Scrypt,
            id if id.starts_with(b"argon2") => Scheme::Argon2,
            id if id.starts_with(b"md5") => Scheme::Md5,
            _ => Scheme::Other,
        });
    }
    if let Some(rest) = hash.strip_prefix(b"_") {
        return (rest.len() == 19 && rest.iter().all(|&b| is_crypt64(b)))
            .then_some(Scheme::BsdiDes);
    }
    if !hash.iter().all(|&b| is_crypt64(b)) {
        return None;
    }
    match hash.len() {
        13 => Some(Scheme::Des),
        n if n > 13 && (n - 13) % 11 == 0 => Some(Scheme::BigCrypt),
        _ => None,
    }
}

/// `rounds=N$` at the start of a SHA-crypt salt, or the default. glibc clamps N to
/// 1000..=999999999; so do we.
fn sha_rounds(tail: &[u8]) -> u32 {
    let Some(rest) = tail.strip_prefix(b"rounds=") else {
        return SHA_CRYPT_DEFAULT_ROUNDS;
    };
    let digits: &[u8] = rest.split(|&b| b == b'$').next().unwrap_or_default();
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return SHA_CRYPT_DEFAULT_ROUNDS;
    }
    let n: u64 = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    u32::try_from(n.clamp(1000, 999_999_999)).unwrap_or(SHA_CRYPT_DEFAULT_ROUNDS)
}

/// Classifies a password field (of `passwd`, `shadow` or `master.passwd`).
pub fn classify(field: &[u8]) -> PasswordField {
    if field.is_empty() {
        return PasswordField::Empty;
    }
    if field == b"x" || field.starts_with(b"##") {
        return PasswordField::Elsewhere;
    }
    if let Some(scheme) = scheme_of(field) {
        return PasswordField::Hash(scheme);
    }
    // Lock markers before a kept hash: `!`, `!!` (shadow-utils), `*LOCKED*` (FreeBSD),
    // `*LK*` (Solaris), `*` (anything else that starts with it).
    let behind = [&b"*LOCKED*"[..], b"*LK*", b"!!", b"!", b"*"]
        .iter()
        .find_map(|marker| field.strip_prefix(*marker))
        .and_then(scheme_of);
    PasswordField::Locked { hash: behind }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_told_apart() {
        assert_eq!(classify(b""), PasswordField::Empty);
        assert_eq!(classify(b"x"), PasswordField::Elsewhere);
        assert_eq!(classify(b"##root"), PasswordField::Elsewhere);
        for locked in [
            &b"*"[..],
            b"*LK*",
            b"*NP*",
            b"NP",
            b"LK",
            b"!",
            b"!!",
            b"NOLOGIN",
        ] {
            assert_eq!(
                classify(locked),
                PasswordField::Locked { hash: None },
                "{locked:?}"
            );
        }
        assert_eq!(classify(b"RzoH/GEUQ2Tc6"), PasswordField::Hash(Scheme::Des));
        assert_eq!(
            classify(b"!RzoH/GEUQ2Tc6"),
            PasswordField::Locked {
                hash: Some(Scheme::Des)
            }
        );
        assert_eq!(
            classify(b"*LOCKED*$6$salt$abc"),
            PasswordField::Locked {
                hash: Some(Scheme::Sha512 { rounds: 5000 })
            }
        );
        assert_eq!(classify(b"$1$abc$def"), PasswordField::Hash(Scheme::Md5));
        assert_eq!(
            classify(b"_J9..CCCCXBrJUJV154M"),
            PasswordField::Hash(Scheme::BsdiDes)
        );
        assert_eq!(
            classify(b"abcdefghijklmABCDEFGHIJK"),
            PasswordField::Hash(Scheme::BigCrypt)
        );
        assert_eq!(
            classify(b"$y$j9T$salt$hash").scheme(),
            Some(Scheme::Yescrypt)
        );
        assert_eq!(classify(b"$"), PasswordField::Locked { hash: None });
        assert_eq!(classify(b"$6$"), PasswordField::Locked { hash: None });
    }

    #[test]
    fn weakness_follows_the_documented_table() {
        assert!(Scheme::Des.is_weak());
        assert!(Scheme::Md5.is_weak());
        assert!(scheme_of(b"$6$rounds=1000$salt$h").unwrap().is_weak());
        assert!(scheme_of(b"$5$rounds=10$salt$h").unwrap().is_weak()); // clamped to 1000
        assert!(!scheme_of(b"$6$rounds=5000$salt$h").unwrap().is_weak());
        assert!(!scheme_of(b"$6$salt$h").unwrap().is_weak());
        assert!(
            !scheme_of(b"$6$rounds=99999999999999999999$s$h")
                .unwrap()
                .is_weak()
        );
        assert!(!Scheme::Yescrypt.is_weak());
        assert!(!Scheme::Bcrypt.is_weak());
    }
}
