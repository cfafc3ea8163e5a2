//! Which hashes kensa can test, and testing one candidate against them.
//!
//! Identification starts from kensa-host's [`scheme_of`] (the same shapes AC006 judges)
//! and then decides whether a maintained crate verifies that scheme exactly as the
//! system's crypt(3) does — every scheme below is checked in the tests against hashes
//! made by libxcrypt (`mkpasswd`, python's `crypt`):
//!
//! | scheme | crate |
//! |---|---|
//! | DES (13 chars), BSDi `_`, MD5 `$1$` | pwhash |
//! | bigcrypt (13 + 11·n) | DES from pwhash, chained per 8-character segment here |
//! | SHA-crypt `$5$`, `$6$` (`rounds=`) | sha-crypt |
//! | bcrypt `$2a$`, `$2b$`, `$2x$`, `$2y$` | bcrypt |
//! | yescrypt `$y$` | yescrypt |
//! | scrypt `$7$` | scrypt |
//!
//! Anything else (`$gy$` gost-yescrypt, Sun `$md5`, Apache `$apr1$`, argon2, an unknown
//! `$id$`) has no maintained Rust implementation and is reported as unsupported — never
//! guessed at. So is a hash whose parameters would make one guess unreasonable: more
//! memory than the cap (a hostile `$7$` can ask for terabytes) or a cost that takes
//! minutes per guess (bcrypt cost above [`MAX_BCRYPT_COST`], SHA-crypt rounds above
//! [`MAX_SHA_ROUNDS`]).
//!
//! DES hashes that share a salt are tested together: one crypt per candidate answers
//! for all of them (the 12-bit salt is why crackers of 1996 sorted password files by
//! salt).

use kensa_core::{Localized, tr};
use kensa_host::accounts::hash::{Scheme, scheme_of};
use sha_crypt::password_hash::PasswordVerifier;

/// bcrypt costs above this (2^cost rounds; 18 is about 15 s a guess) are not guessed.
pub const MAX_BCRYPT_COST: u32 = 18;
/// SHA-crypt rounds above this (about 5 s a guess) are not guessed.
pub const MAX_SHA_ROUNDS: u32 = 10_000_000;

/// How a hash is verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// Traditional DES crypt with this two-character salt.
    Des {
        /// The salt (the hash's first two characters).
        salt: String,
    },
    /// bigcrypt (DES chained over 8-character segments).
    BigCrypt,
    /// BSDi extended DES.
    Bsdi,
    /// MD5 crypt `$1$`.
    Md5,
    /// SHA-256 or SHA-512 crypt.
    ShaCrypt,
    /// bcrypt.
    Bcrypt,
    /// yescrypt `$y$`.
    Yescrypt,
    /// scrypt `$7$`.
    Scrypt,
}

/// A hash kensa can test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// How it is verified.
    pub method: Method,
    /// The scheme, for reports and budgets.
    pub scheme: Scheme,
    /// A label that groups hashes of one scheme and cost (a budget is per label).
    pub label: String,
    /// The same label in Japanese (`SHA-512（ラウンド数 5000）`), for reports.
    pub label_ja: String,
    /// Memory one verification needs, in bytes (0 for the small ones).
    pub memory: u64,
    /// A rough cost of one guess, in DES crypts, to order schemes cheapest first.
    pub cost: u64,
}

/// Why a hash is not tested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The scheme's name.
    pub scheme: String,
    /// Why, for the report, in English and Japanese.
    pub reason: Localized,
}

fn unsupported(scheme: &str, reason: Localized) -> Unsupported {
    Unsupported {
        scheme: scheme.to_string(),
        reason,
    }
}

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

fn atoi64(c: u8) -> Option<u64> {
    ITOA64.iter().position(|&x| x == c).map(|p| p as u64)
}

/// yescrypt's `$y$` parameter field: flavour, N (log2 − 1), r (− 1), then optional
/// extras. Returns the memory of one verification, 128·r·N bytes.
fn yescrypt_memory(params: &str) -> Option<u64> {
    let bytes = params.as_bytes();
    let log_n = atoi64(*bytes.get(1)?)? + 1;
    let r = atoi64(*bytes.get(2)?)? + 1;
    if log_n > 40 {
        return None;
    }
    Some(128 * r * (1u64 << log_n))
}

/// scrypt's `$7$` parameters: one character of log2 N, then r and p as 30-bit
/// little-endian base-64 numbers of five characters. Memory is 128·r·N (p runs in turn).
fn scrypt_memory(setting: &str) -> Option<u64> {
    let bytes = setting.as_bytes();
    let log_n = atoi64(*bytes.first()?)?;
    let mut r = 0u64;
    for (i, &c) in bytes.get(1..6)?.iter().enumerate() {
        r |= atoi64(c)? << (6 * i);
    }
    if log_n > 40 || r == 0 {
        return None;
    }
    Some(128 * r * (1u64 << log_n))
}

/// Decides how `hash` is tested, or why it is not; `memory_cap` bounds one guess.
pub fn prepare(hash: &[u8], memory_cap: u64) -> Result<Prepared, Unsupported> {
    let Some(scheme) = scheme_of(hash) else {
        return Err(unsupported(
            "unknown",
            tr!("not a crypt(3) hash", "crypt(3) のハッシュではない"),
        ));
    };
    let Ok(text) = std::str::from_utf8(hash) else {
        return Err(unsupported(
            scheme.name(),
            tr!("not ASCII", "ASCII の文字列ではない"),
        ));
    };
    let ok = |method, label: Localized, memory, cost| {
        Ok(Prepared {
            method,
            scheme,
            label: label.en,
            label_ja: label.ja,
            memory,
            cost,
        })
    };
    match scheme {
        Scheme::Des => ok(
            Method::Des {
                salt: text.get(..2).unwrap_or_default().to_string(),
            },
            tr!("DES", "DES"),
            0,
            1,
        ),
        Scheme::BigCrypt => ok(Method::BigCrypt, tr!("bigcrypt", "bigcrypt"), 0, 2),
        Scheme::BsdiDes => {
            let rounds = text
                .get(1..5)
                .and_then(|r| {
                    r.bytes()
                        .enumerate()
                        .try_fold(0u64, |acc, (i, c)| Some(acc | atoi64(c)? << (6 * i)))
                })
                .unwrap_or(0);
            if rounds == 0 {
                return Err(unsupported(
                    "BSDi DES",
                    tr!("zero rounds: malformed", "ラウンド数が 0: 形式が不正"),
                ));
            }
            ok(
                Method::Bsdi,
                tr!(
                    "BSDi DES ({rounds} rounds)",
                    "BSDi DES（ラウンド数 {rounds}）"
                ),
                0,
                rounds.div_ceil(25),
            )
        }
        Scheme::Md5 if text.starts_with("$1$") => ok(Method::Md5, tr!("MD5", "MD5"), 0, 40),
        Scheme::Md5 => Err(unsupported(
            "MD5",
            tr!(
                "Sun $md5 and Apache $apr1$ variants: no maintained implementation",
                "Sun の $md5 や Apache の $apr1$ の変種: 保守されている実装がない"
            ),
        )),
        Scheme::Sha256 { rounds } | Scheme::Sha512 { rounds } => {
            if !(1000..=MAX_SHA_ROUNDS).contains(&rounds) {
                return Err(unsupported(
                    scheme.name(),
                    tr!(
                        "rounds={rounds}: outside 1000..={MAX_SHA_ROUNDS}",
                        "rounds={rounds}: 1000..={MAX_SHA_ROUNDS} の範囲外"
                    ),
                ));
            }
            let per_round = if matches!(scheme, Scheme::Sha256 { .. }) {
                1
            } else {
                2
            };
            let name = scheme.name();
            ok(
                Method::ShaCrypt,
                tr!("{name} ({rounds} rounds)", "{name}（ラウンド数 {rounds}）"),
                0,
                u64::from(rounds) * per_round / 10,
            )
        }
        Scheme::Bcrypt => {
            let cost: u32 = text
                .split('$')
                .nth(2)
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            if !(4..=MAX_BCRYPT_COST).contains(&cost) {
                return Err(unsupported(
                    "bcrypt",
                    tr!(
                        "cost {cost}: outside 4..={MAX_BCRYPT_COST}",
                        "コスト {cost}: 4..={MAX_BCRYPT_COST} の範囲外"
                    ),
                ));
            }
            ok(
                Method::Bcrypt,
                tr!("bcrypt (cost {cost})", "bcrypt（コスト {cost}）"),
                4096,
                (1u64 << cost) * 3,
            )
        }
        Scheme::Yescrypt if text.starts_with("$y$") => {
            let params = text.split('$').nth(2).unwrap_or_default();
            let Some(memory) = yescrypt_memory(params) else {
                return Err(unsupported("yescrypt", malformed()));
            };
            check_memory("yescrypt", memory, memory_cap)?;
            let kib = memory >> 10;
            ok(
                Method::Yescrypt,
                tr!("yescrypt ({kib} KiB)", "yescrypt（{kib} KiB）"),
                memory,
                memory / 256,
            )
        }
        Scheme::Yescrypt => Err(unsupported(
            "gost-yescrypt",
            tr!(
                "$gy$: no maintained implementation",
                "$gy$: 保守されている実装がない"
            ),
        )),
        Scheme::Scrypt => {
            let setting = text.get(3..).unwrap_or_default();
            let Some(memory) = scrypt_memory(setting) else {
                return Err(unsupported("scrypt", malformed()));
            };
            check_memory("scrypt", memory, memory_cap)?;
            let kib = memory >> 10;
            ok(
                Method::Scrypt,
                tr!("scrypt ({kib} KiB)", "scrypt（{kib} KiB）"),
                memory,
                memory / 256,
            )
        }
        Scheme::Argon2 => Err(unsupported(
            "argon2",
            tr!(
                "not a libxcrypt scheme; not implemented",
                "libxcrypt の方式ではなく、実装していない"
            ),
        )),
        Scheme::Other => Err(unsupported(
            "unknown",
            tr!("unknown $id$ scheme", "未知の $id$ の方式"),
        )),
    }
}

fn malformed() -> Localized {
    tr!("malformed parameters", "パラメータの形式が不正")
}

fn check_memory(scheme: &str, memory: u64, cap: u64) -> Result<(), Unsupported> {
    if memory > cap {
        let (need, cap) = (memory >> 20, cap >> 20);
        return Err(unsupported(
            scheme,
            tr!(
                "one guess needs {need} MiB, above the {cap} MiB cap",
                "1 回の推測に {need} MiB 必要で、上限の {cap} MiB を超える"
            ),
        ));
    }
    Ok(())
}

/// Traditional DES crypt of `password` with `salt` (the 13-character string).
pub fn des_crypt(salt: &str, password: &[u8]) -> Option<String> {
    // pwhash marks its salted entry point deprecated to steer people away from DES for
    // new passwords; testing old ones is exactly what it is for.
    #[allow(deprecated)]
    pwhash::unix_crypt::hash_with(salt, password).ok()
}

/// bigcrypt: the first 8 characters make a DES hash (13 characters); each further
/// segment of 8 is DES-crypted with the first two characters of the previous
/// segment's 11 as its salt and adds 11 characters (libxcrypt's `crypt-des.c`).
fn bigcrypt_matches(password: &[u8], hash: &str) -> bool {
    let segments = password.len().div_ceil(8).max(1);
    if hash.len() != 13 + 11 * (segments - 1) {
        return false;
    }
    let first = password.get(..8).unwrap_or(password);
    let (Some(salt), Some(head)) = (hash.get(..2), hash.get(..13)) else {
        return false;
    };
    if des_crypt(salt, first).as_deref() != Some(head) {
        return false;
    }
    for i in 1..segments {
        let chunk = password.get(8 * i..(8 * i + 8).min(password.len()));
        let prev = 2 + 11 * (i - 1);
        let (Some(chunk), Some(salt), Some(want)) = (
            chunk,
            hash.get(prev..prev + 2),
            hash.get(13 + 11 * (i - 1)..13 + 11 * i),
        ) else {
            return false;
        };
        match des_crypt(salt, chunk) {
            Some(out) if out.get(2..) == Some(want) => {}
            _ => return false,
        }
    }
    true
}

impl Prepared {
    /// Whether `password` opens `hash` (which must be the hash this was prepared from).
    pub fn verify(&self, password: &[u8], hash: &str) -> bool {
        match &self.method {
            Method::Des { salt } => des_crypt(salt, password).as_deref() == Some(hash),
            Method::BigCrypt => bigcrypt_matches(password, hash),
            Method::Bsdi => pwhash::bsdi_crypt::verify(password, hash),
            Method::Md5 => pwhash::md5_crypt::verify(password, hash),
            Method::ShaCrypt => sha_crypt::ShaCrypt::from(sha_crypt::Algorithm::Sha512Crypt)
                .verify_password(password, hash)
                .is_ok(),
            Method::Bcrypt => bcrypt::verify(password, hash).unwrap_or(false),
            Method::Yescrypt => yescrypt::Yescrypt::default()
                .verify_password(password, hash)
                .is_ok(),
            Method::Scrypt => scrypt::mcf::PasswordHashRef::new(hash).is_ok_and(|h| {
                scrypt::Scrypt::default()
                    .verify_password(password, h)
                    .is_ok()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: u64 = 1 << 30;

    #[test]
    fn known_answers() {
        // Hashes made by libxcrypt (mkpasswd) on Debian.
        let cases: [(&str, &str); 3] = [
            ("tanaka", "pm9TTa/K1jffg"),
            ("kimurakimura", "oBOyta.U/SQ3I3sq57ZA2rfc"),
            ("tanaka", "_J9..6PdEz7CxHxFvhdo"),
        ];
        for (password, hash) in cases {
            let prepared = prepare(hash.as_bytes(), CAP).unwrap();
            assert!(prepared.verify(password.as_bytes(), hash), "{hash}");
            assert!(!prepared.verify(b"tanakb", hash), "{hash}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_do() {
        for hash in [
            "$gy$j75$cyqASgt3JkSqx1J4K94iQ.$aBMb58/6p2BuawkvW9YfVvPtUG5wEj231up.z4178Q3",
            "$md5$rounds=904$abc$def",
            "$apr1$abc$def",
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA",
            "$9$abc$def",
            "$2b$31$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
            "$6$rounds=999999999$salt$h",
            // A hostile scrypt asking for 2^40 · 128 · r bytes.
            "$7$zU..../....salt$hash",
            "*LK*",
        ] {
            assert!(prepare(hash.as_bytes(), CAP).is_err(), "{hash}");
        }
    }

    #[test]
    fn memory_of_yescrypt_and_scrypt() {
        // Debian's default yescrypt (j9T): N = 4096, r = 32 → 16 MiB.
        assert_eq!(yescrypt_memory("j9T"), Some(16 << 20));
        // mkpasswd's default scrypt (CU..../....): N = 2^14, r = 32 → 64 MiB.
        assert_eq!(scrypt_memory("CU..../...."), Some(64 << 20));
        let p = prepare(
            b"$y$j9T$tdpTezmJssetoPetj27uG0$TVh9Sz7INP.vU76Q9CoWprj5HwSzQ6Di0IYO2N7J56C",
            CAP,
        )
        .unwrap();
        assert_eq!(p.memory, 16 << 20);
        assert!(
            prepare(
                b"$y$j9T$tdpTezmJssetoPetj27uG0$TVh9Sz7INP.vU76Q9CoWprj5HwSzQ6Di0IYO2N7J56C",
                8 << 20
            )
            .is_err()
        );
    }

    #[test]
    fn bigcrypt_needs_every_segment() {
        let hash = "oBOyta.U/SQ3I3sq57ZA2rfc";
        assert!(bigcrypt_matches(b"kimurakimura", hash));
        // Same first 8 characters, different tail.
        assert!(!bigcrypt_matches(b"kimurakimurb", hash));
        assert!(!bigcrypt_matches(b"kimuraki", hash));
    }
}
