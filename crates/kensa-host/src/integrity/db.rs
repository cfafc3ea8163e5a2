//! What the package managers of a root say they installed, whichever they are.
//!
//! Each package manager's reader ([`dpkg`](super::dpkg), [`rpm`](super::rpm)) gives one
//! [`Database`]: its packages, one [`Sum`] per file it can vouch for (a digest, or a link
//! target), and every path it owns. A root with both (an rpm installed on Debian, an
//! `alien`ated package) gets the two merged, so that each file is hashed once and a
//! file either owns counts as owned.

use crate::Root;
use std::collections::HashMap;

/// A digest algorithm of a package database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// MD5 (dpkg's `md5sums`, rpm's default before 4.6).
    Md5,
    /// SHA-1 (rpm's algorithm 2).
    Sha1,
    /// SHA-256 (rpm's algorithm 8, Fedora and RHEL since 2009; `sha256sums`).
    Sha256,
    /// SHA-384 (rpm's algorithm 9).
    Sha384,
    /// SHA-512 (rpm's algorithm 10).
    Sha512,
}

impl Algorithm {
    /// Every algorithm, in [`Algorithm::bit`] order.
    pub const ALL: [Algorithm; 5] = [
        Algorithm::Md5,
        Algorithm::Sha1,
        Algorithm::Sha256,
        Algorithm::Sha384,
        Algorithm::Sha512,
    ];

    /// rpm's `FILEDIGESTALGO` number (OpenPGP's hash algorithm ids) to an algorithm.
    pub fn from_rpm(id: u32) -> Option<Algorithm> {
        match id {
            1 => Some(Algorithm::Md5),
            2 => Some(Algorithm::Sha1),
            8 => Some(Algorithm::Sha256),
            9 => Some(Algorithm::Sha384),
            10 => Some(Algorithm::Sha512),
            _ => None,
        }
    }

    /// The digest length in bytes.
    pub fn size(self) -> usize {
        match self {
            Algorithm::Md5 => 16,
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha384 => 48,
            Algorithm::Sha512 => 64,
        }
    }

    /// One bit per algorithm, for the set of digests a file needs.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The algorithm's name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha1 => "SHA-1",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha384 => "SHA-384",
            Algorithm::Sha512 => "SHA-512",
        }
    }
}

/// An expected (or computed) digest of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Digest {
    /// MD5, as dpkg's `md5sums` and `Conffiles:` record it.
    Md5([u8; 16]),
    /// SHA-1.
    Sha1([u8; 20]),
    /// SHA-256, from a `sha256sums` file or an rpm header.
    Sha256([u8; 32]),
    /// SHA-384.
    Sha384([u8; 48]),
    /// SHA-512.
    Sha512([u8; 64]),
}

impl Digest {
    /// Parses a hexadecimal digest whose algorithm its length tells (dpkg): 32 digits
    /// are MD5, 64 are SHA-256.
    pub fn parse_hex(hex: &[u8]) -> Option<Digest> {
        match hex.len() {
            32 => Digest::from_hex(Algorithm::Md5, hex),
            64 => Digest::from_hex(Algorithm::Sha256, hex),
            _ => None,
        }
    }

    /// Parses a hexadecimal digest of `algorithm` (rpm says which).
    pub fn from_hex(algorithm: Algorithm, hex: &[u8]) -> Option<Digest> {
        if hex.len() != algorithm.size() * 2 {
            return None;
        }
        let mut out = [0u8; 64];
        if !decode_hex(hex, &mut out[..algorithm.size()]) {
            return None;
        }
        Digest::from_bytes(algorithm, &out[..algorithm.size()])
    }

    /// A digest of `algorithm` from its bytes (`None` when the length is wrong).
    pub fn from_bytes(algorithm: Algorithm, bytes: &[u8]) -> Option<Digest> {
        Some(match algorithm {
            Algorithm::Md5 => Digest::Md5(bytes.try_into().ok()?),
            Algorithm::Sha1 => Digest::Sha1(bytes.try_into().ok()?),
            Algorithm::Sha256 => Digest::Sha256(bytes.try_into().ok()?),
            Algorithm::Sha384 => Digest::Sha384(bytes.try_into().ok()?),
            Algorithm::Sha512 => Digest::Sha512(bytes.try_into().ok()?),
        })
    }

    /// The algorithm.
    pub fn kind(&self) -> Algorithm {
        match self {
            Digest::Md5(_) => Algorithm::Md5,
            Digest::Sha1(_) => Algorithm::Sha1,
            Digest::Sha256(_) => Algorithm::Sha256,
            Digest::Sha384(_) => Algorithm::Sha384,
            Digest::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// The algorithm's name.
    pub fn algorithm(&self) -> &'static str {
        self.kind().name()
    }

    /// The digest's bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Digest::Md5(d) => d,
            Digest::Sha1(d) => d,
            Digest::Sha256(d) => d,
            Digest::Sha384(d) => d,
            Digest::Sha512(d) => d,
        }
    }

    /// The digest in lowercase hexadecimal.
    pub fn hex(&self) -> String {
        to_hex(self.bytes())
    }
}

/// Lowercase hexadecimal of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn decode_hex(hex: &[u8], out: &mut [u8]) -> bool {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    if hex.len() != out.len() * 2 {
        return false;
    }
    for (i, pair) in hex.chunks_exact(2).enumerate() {
        match (nibble(pair[0]), nibble(pair[1])) {
            (Some(h), Some(l)) => out[i] = h << 4 | l,
            _ => return false,
        }
    }
    true
}

/// What a package recorded about one of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A regular file with this content.
    Digest(Digest),
    /// A symbolic link to this target (rpm's `FILELINKTOS`).
    Link(String),
    /// A file whose digest is in an algorithm kensa does not compute: present, at least.
    Present,
}

impl Expected {
    /// What the package recorded, for evidence: the digest in hexadecimal, or `a link
    /// to TARGET`.
    pub fn recorded(&self) -> String {
        match self {
            Expected::Digest(d) => d.hex(),
            Expected::Link(target) => format!("a link to {target}"),
            Expected::Present => "a file".to_string(),
        }
    }

    /// The same in Japanese.
    pub fn recorded_ja(&self) -> String {
        match self {
            Expected::Digest(d) => d.hex(),
            Expected::Link(target) => format!("{target} へのリンク"),
            Expected::Present => "ファイル".to_string(),
        }
    }
}

/// One packaged file with what it should be.
#[derive(Debug, Clone)]
pub struct Sum {
    /// Index of the package in [`Database::packages`].
    pub package: usize,
    /// The path as the package lists it, without the leading `/`.
    pub path: String,
    /// What the file should hash to, or link to.
    pub expected: Expected,
    /// Whether this is a configuration file (dpkg's `Conffiles:`, rpm's `%config`).
    pub conffile: bool,
    /// Whether the package allows the file to be absent (rpm's `%config(missingok)`).
    pub missing_ok: bool,
}

/// One `dpkg-divert` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diversion {
    /// The original path (without the leading `/`).
    pub from: String,
    /// Where other packages' file now lives.
    pub to: String,
    /// The diverting package, `None` for the administrator (`:`).
    pub by: Option<String>,
}

/// What the package managers of the root installed.
#[derive(Debug, Default)]
pub struct Database {
    /// Package names: dpkg's as its info files are named (`login`, `libc6:amd64`), rpm's
    /// as `name-version-release.arch`.
    pub packages: Vec<String>,
    /// Expected digests (and link targets) of packaged files and configuration files.
    pub sums: Vec<Sum>,
    /// Canonical paths owned by a package (dpkg's `.list` files and diversions, every
    /// file of an rpm header, `%ghost`s included), with the owning package's index
    /// (`None`: a local diversion, the administrator's).
    pub owned: HashMap<String, Option<usize>>,
    /// dpkg's diversions.
    pub diversions: Vec<Diversion>,
    /// Canonical paths with a `dpkg-statoverride` entry, with the mode set.
    pub statoverride: HashMap<String, u32>,
    /// dpkg's `path-exclude`/`path-include` filters, in order.
    pub filters: Vec<(bool, Vec<u8>)>,
    /// The databases read (root-relative), for the record.
    pub sources: Vec<String>,
}

impl Database {
    /// Whether dpkg was told not to install `path` (listed, no leading `/`): the last
    /// `path-exclude`/`path-include` glob that matches decides, as in dpkg.
    pub fn excluded(&self, path: &str) -> bool {
        if self.filters.is_empty() {
            return false;
        }
        let abs = format!("/{path}");
        let mut excluded = false;
        for (exclude, glob) in &self.filters {
            if super::dpkg::glob_match(glob, abs.as_bytes()) {
                excluded = *exclude;
            }
        }
        excluded
    }

    /// Where `path` of `package` really is: moved by a diversion that another
    /// package (or the administrator) made.
    pub fn diverted<'a>(&'a self, package: usize, path: &'a str) -> &'a str {
        if self.diversions.is_empty() {
            return path;
        }
        let name = self.base_name(package);
        for d in &self.diversions {
            if d.from == path && d.by.as_deref() != Some(name) {
                return &d.to;
            }
        }
        path
    }

    /// The package name without its `:arch` (dpkg's Multi-Arch).
    pub fn base_name(&self, package: usize) -> &str {
        let name = self.packages[package].as_str();
        name.split(':').next().unwrap_or(name)
    }

    /// Adds `other`'s packages, files and owned paths to this database (a path both own
    /// stays with this one's package).
    pub fn merge(&mut self, other: Database) {
        let offset = self.packages.len();
        self.packages.extend(other.packages);
        self.sums.extend(other.sums.into_iter().map(|mut s| {
            s.package += offset;
            s
        }));
        for (path, pkg) in other.owned {
            self.owned.entry(path).or_insert(pkg.map(|p| p + offset));
        }
        self.diversions.extend(other.diversions);
        for (path, mode) in other.statoverride {
            self.statoverride.entry(path).or_insert(mode);
        }
        self.filters.extend(other.filters);
        self.sources.extend(other.sources);
    }
}

/// Resolves the directory of `path` inside the root (cached), so every spelling of one
/// file gives the same string: `bin/login` on a usr-merged root is `usr/bin/login`.
#[derive(Default)]
pub struct Canon {
    dirs: HashMap<String, String>,
}

impl Canon {
    /// The canonical form of the root-relative `path` (leading `/` allowed).
    pub fn of(&mut self, root: &Root, path: &str) -> String {
        let path = path.trim_start_matches('/').trim_end_matches('/');
        let (dir, name) = match path.rfind('/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => return path.to_string(),
        };
        let resolved = self
            .dirs
            .entry(dir.to_string())
            .or_insert_with(|| root.resolve(dir).unwrap_or_else(|_| dir.to_string()));
        if resolved == "." {
            name.to_string()
        } else {
            format!("{resolved}/{name}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_parse_by_length_or_by_the_algorithm_named() {
        assert_eq!(
            Digest::parse_hex(&[b'a'; 32]).unwrap().kind(),
            Algorithm::Md5
        );
        assert_eq!(
            Digest::parse_hex(&[b'0'; 64]).unwrap().kind(),
            Algorithm::Sha256
        );
        assert!(Digest::parse_hex(&[b'0'; 40]).is_none());
        for algorithm in Algorithm::ALL {
            let hex = "ab".repeat(algorithm.size());
            let d = Digest::from_hex(algorithm, hex.as_bytes()).unwrap();
            assert_eq!(d.kind(), algorithm);
            assert_eq!(d.hex(), hex);
            assert!(Digest::from_hex(algorithm, &hex.as_bytes()[2..]).is_none());
        }
        assert!(Digest::from_hex(Algorithm::Md5, &[b'g'; 32]).is_none());
        assert_eq!(Algorithm::from_rpm(8), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_rpm(3), None);
    }

    #[test]
    fn merged_databases_keep_their_package_numbers_apart() {
        let mut a = Database {
            packages: vec!["login".into()],
            ..Database::default()
        };
        a.owned.insert("usr/bin/login".into(), Some(0));
        let mut b = Database {
            packages: vec!["bash-5.2-1.x86_64".into()],
            ..Database::default()
        };
        b.sums.push(Sum {
            package: 0,
            path: "usr/bin/bash".into(),
            expected: Expected::Link("x".into()),
            conffile: false,
            missing_ok: false,
        });
        b.owned.insert("usr/bin/bash".into(), Some(0));
        b.owned.insert("usr/bin/login".into(), Some(0));
        a.merge(b);
        assert_eq!(a.sums[0].package, 1);
        assert_eq!(a.owned["usr/bin/bash"], Some(1));
        assert_eq!(a.owned["usr/bin/login"], Some(0));
    }
}
