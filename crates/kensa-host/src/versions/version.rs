//! Version numbers as the servers of the 1990s and since wrote them, and their order.
//!
//! `8.6.12`, `5.61`, `2.4(1)` (wu-ftpd's build number in brackets), `2.6.0(1)`,
//! `2.4.2-academ[BETA-18](1)`, `1.3.3c` and `1.3.5a` (ProFTPD's letter releases),
//! `1.3.6rc1`, `3.0.3`. A version is read as its leading run of numbers and letters
//! separated by dots; what follows (a build in brackets, a `-academ` tag, a Debian
//! revision) is kept for display but does not take part in the order. Numbers compare
//! as numbers (`8.12.10` > `8.12.9`); a letter right after a number is a later release
//! (`1.3.5` < `1.3.5a` < `1.3.5b` < `1.3.6`), except the pre-release words `rc`,
//! `beta`, `alpha`, `pre`, which come before the release (`1.3.6rc1` < `1.3.6`).

use std::cmp::Ordering;
use std::fmt;

/// One piece of a version.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A number.
    Num(u64),
    /// A letter release (`c` of `1.3.3c`), lowercased.
    Letter(String),
    /// A pre-release tag (`rc`, `beta`, ...), its rank, and the number after it.
    Pre(u8, u64),
}

/// A comparable version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    parts: Vec<Part>,
    text: String,
}

/// Longest version text kept.
const MAX_TEXT: usize = 64;
/// Most parts read from one version.
const MAX_PARTS: usize = 8;

fn pre_rank(word: &str) -> Option<u8> {
    match word {
        "alpha" | "a" => Some(0),
        "beta" | "b" => Some(1),
        "pre" => Some(2),
        "rc" => Some(3),
        _ => None,
    }
}

impl Version {
    /// Reads a version from its text; `None` when it does not start with a digit.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let bytes = text.as_bytes();
        if !bytes.first()?.is_ascii_digit() {
            return None;
        }
        let mut parts = Vec::new();
        let mut i = 0;
        while i < bytes.len() && parts.len() < MAX_PARTS {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                break;
            }
            let digits = text.get(start..i)?;
            // Saturate rather than fail on absurd numbers: hostile binaries.
            parts.push(Part::Num(digits.parse().unwrap_or(u64::MAX)));
            let letters_start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i > letters_start {
                let word = text.get(letters_start..i)?.to_ascii_lowercase();
                let num_start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let number: u64 = text.get(num_start..i)?.parse().unwrap_or(0);
                // `1.3.3c` is a letter release; `1.3.6rc1`, `2.0beta` are pre-releases.
                match pre_rank(&word) {
                    Some(rank) if word.len() > 1 || i > num_start => {
                        parts.push(Part::Pre(rank, number))
                    }
                    _ => parts.push(Part::Letter(word)),
                }
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
            } else {
                break;
            }
        }
        let kept: String = text.chars().take(MAX_TEXT).collect();
        Some(Version { parts, text: kept })
    }

    /// The version as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first number (`8` of `8.6.12`).
    pub fn major(&self) -> u64 {
        match self.parts.first() {
            Some(Part::Num(n)) => *n,
            _ => 0,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn cmp_part(a: Option<&Part>, b: Option<&Part>) -> Ordering {
    use Part::*;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (Some(Num(x)), Some(Num(y))) => x.cmp(y),
        (Some(Letter(x)), Some(Letter(y))) => x.cmp(y),
        (Some(Pre(r, n)), Some(Pre(s, m))) => r.cmp(s).then(n.cmp(m)),
        // A pre-release comes before anything, even the release itself.
        (Some(Pre(..)), _) => Ordering::Less,
        (_, Some(Pre(..))) => Ordering::Greater,
        // The release itself before its letter releases and sub-releases.
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        // `1.3.5a` and `1.3.5.1`: call the letter release the earlier one.
        (Some(Letter(_)), Some(Num(_))) => Ordering::Less,
        (Some(Num(_)), Some(Letter(_))) => Ordering::Greater,
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.parts.len().max(other.parts.len());
        for i in 0..len {
            let (a, b) = (self.parts.get(i), other.parts.get(i));
            // Trailing zeros do not count: `8.8` is `8.8.0`.
            let (a, b) = match (a, b) {
                (Some(Part::Num(0)), None) | (None, Some(Part::Num(0))) => continue,
                other => other,
            };
            match cmp_part(a, b) {
                Ordering::Equal => continue,
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn orders_the_versions_of_the_advisories() {
        let ordered = [
            "5.61", "5.79", "8.6.12", "8.8", "8.8.3", "8.8.4", "8.8.5", "8.12.7", "8.12.8",
            "8.12.10", "8.13.5", "8.13.6", "8.17.1.9",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        let ordered = [
            "1.3.3", "1.3.3b", "1.3.3c", "1.3.4", "1.3.5rc1", "1.3.5", "1.3.5a", "1.3.5b",
            "1.3.6rc1", "1.3.6", "1.3.8",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        let ordered = [
            "2.1c(1)",
            "2.3",
            "2.4(1)",
            "2.4.2-academ[BETA-18](1)",
            "2.6.0(1)",
            "2.6.1",
            "2.6.2",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn equal_versions() {
        assert_eq!(v("2.4(1)").cmp(&v("2.4")), Ordering::Equal);
        assert_eq!(v("8.8").cmp(&v("8.8.0")), Ordering::Equal);
        assert_eq!(v("3.0.3-13+b2").cmp(&v("3.0.3")), Ordering::Equal);
        assert_eq!(v("1.3.3C").cmp(&v("1.3.3c")), Ordering::Equal);
        assert_eq!(v("2.4(1)").as_str(), "2.4(1)");
        assert_eq!(v("8.6.12").major(), 8);
    }

    #[test]
    fn refuses_what_is_not_a_version_and_never_panics() {
        assert!(Version::parse("").is_none());
        assert!(Version::parse("wu-2.4").is_none());
        assert!(Version::parse("x1").is_none());
        let huge = "9".repeat(100);
        assert!(Version::parse(&huge).is_some());
        for text in [
            "1.",
            "1..2",
            "1.a",
            "1rc",
            "1rc99999999999999999999999",
            "1.2.3.4.5.6.7.8.9.10.11",
        ] {
            let _ = Version::parse(text);
        }
        assert!(v("1.2.3.4.5.6.7.8.9") > v("1.2.3.4.5.6.7.7"));
    }
}
