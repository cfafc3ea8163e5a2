//! The advisories data file (`data/advisories.tsv`), compiled in.
//!
//! Kept as data so that adding an advisory is a line, reviewed like code; compiled in
//! with `include_str!` so that an audit never depends on a file of the analyst's machine
//! (nor of the audited one). A unit test parses every line, so a malformed line fails the
//! build's tests, never an audit.

use super::version::Version;
use kensa_core::Severity;
use std::sync::OnceLock;

/// The data file's text.
pub const DATA: &str = include_str!("../../data/advisories.tsv");

/// A server product kensa knows the versions of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Product {
    /// Sendmail (Berkeley, Sendmail Inc., Proofpoint).
    Sendmail,
    /// The Washington University FTP daemon.
    WuFtpd,
    /// vsftpd.
    Vsftpd,
    /// ProFTPD.
    Proftpd,
    /// Pure-FTPd.
    PureFtpd,
}

impl Product {
    /// The name used in the data file and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Product::Sendmail => "sendmail",
            Product::WuFtpd => "wu-ftpd",
            Product::Vsftpd => "vsftpd",
            Product::Proftpd => "proftpd",
            Product::PureFtpd => "pure-ftpd",
        }
    }

    fn from_name(name: &str) -> Option<Product> {
        [
            Product::Sendmail,
            Product::WuFtpd,
            Product::Vsftpd,
            Product::Proftpd,
            Product::PureFtpd,
        ]
        .into_iter()
        .find(|p| p.name() == name)
    }
}

/// One constraint of an affected range.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

/// One line of the data file.
#[derive(Debug, Clone)]
pub struct Advisory {
    /// The product.
    pub product: Product,
    /// The affected range as written (`>= 8.8.3, < 8.8.5`).
    pub affected: String,
    constraints: Vec<(Op, Version)>,
    /// The first fixed version, `None` when no release simply fixes it.
    pub fixed: Option<String>,
    /// CVE and/or CERT identifiers.
    pub id: String,
    /// How bad the hole is.
    pub severity: Severity,
    /// One line about the hole.
    pub description: String,
    /// The same line in Japanese.
    pub description_ja: String,
}

impl Advisory {
    /// Whether `version` lies in the affected range.
    pub fn affects(&self, version: &Version) -> bool {
        self.constraints.iter().all(|(op, bound)| match op {
            Op::Lt => version < bound,
            Op::Le => version <= bound,
            Op::Eq => version == bound || version.cmp(bound).is_eq(),
            Op::Ge => version >= bound,
            Op::Gt => version > bound,
        })
    }
}

fn parse_range(text: &str) -> Result<Vec<(Op, Version)>, String> {
    let mut constraints = Vec::new();
    for piece in text.split(',') {
        let piece = piece.trim();
        let (op, rest) = if let Some(rest) = piece.strip_prefix("<=") {
            (Op::Le, rest)
        } else if let Some(rest) = piece.strip_prefix(">=") {
            (Op::Ge, rest)
        } else if let Some(rest) = piece.strip_prefix('<') {
            (Op::Lt, rest)
        } else if let Some(rest) = piece.strip_prefix('>') {
            (Op::Gt, rest)
        } else if let Some(rest) = piece.strip_prefix('=') {
            (Op::Eq, rest)
        } else {
            return Err(format!("constraint {piece:?} has no operator"));
        };
        let version = Version::parse(rest).ok_or_else(|| format!("bad version in {piece:?}"))?;
        constraints.push((op, version));
    }
    Ok(constraints)
}

/// Parses the data file's text: every advisory, or the first error with its line.
pub fn parse(data: &str) -> Result<Vec<Advisory>, String> {
    let mut advisories = Vec::new();
    for (index, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fail = |what: String| format!("advisories line {}: {what}", index + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [
            product,
            affected,
            fixed,
            id,
            severity,
            description,
            description_ja,
        ] = fields[..]
        else {
            return Err(fail(format!("{} fields, expected 7", fields.len())));
        };
        let product =
            Product::from_name(product).ok_or_else(|| fail(format!("product {product:?}")))?;
        let constraints = parse_range(affected).map_err(fail)?;
        let severity: Severity = severity.parse().map_err(fail)?;
        let fixed = match fixed {
            "-" => None,
            other => {
                Version::parse(other).ok_or_else(|| fail(format!("fixed {other:?}")))?;
                Some(other.to_string())
            }
        };
        if id.is_empty() || description.is_empty() || description_ja.is_empty() {
            return Err(fail("empty id or description".to_string()));
        }
        advisories.push(Advisory {
            product,
            affected: affected.to_string(),
            constraints,
            fixed,
            id: id.to_string(),
            severity,
            description: description.to_string(),
            description_ja: description_ja.to_string(),
        });
    }
    Ok(advisories)
}

/// The compiled-in advisories (parsed once; the unit tests guarantee they parse).
pub fn all() -> &'static [Advisory] {
    static ALL: OnceLock<Vec<Advisory>> = OnceLock::new();
    ALL.get_or_init(|| parse(DATA).unwrap_or_default())
}

/// The advisories that affect `version` of `product`, in data-file order.
pub fn affecting(product: Product, version: &Version) -> Vec<&'static Advisory> {
    all()
        .iter()
        .filter(|a| a.product == product && a.affects(version))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(product: Product, version: &str) -> Vec<&'static str> {
        affecting(product, &Version::parse(version).unwrap())
            .iter()
            .map(|a| a.id.as_str())
            .collect()
    }

    #[test]
    fn the_data_file_parses() {
        let parsed = parse(DATA).unwrap();
        assert_eq!(parsed.len(), 12);
        assert_eq!(all().len(), 12);
        assert_eq!(parsed[0].product, Product::Sendmail);
        assert!(parsed.iter().all(|a| !a.description_ja.is_ascii()));
    }

    #[test]
    fn sendmail_versions() {
        // Sendmail R5 has every hole the data file lists for its range.
        assert_eq!(
            ids(Product::Sendmail, "5.61"),
            [
                "JPCERT-E-INF-97-0001",
                "CERT CA-96.25",
                "CVE-2003-0161 (CERT CA-2003-12)",
                "CVE-2006-0058"
            ]
        );
        assert_eq!(ids(Product::Sendmail, "5.79").len(), 5);
        assert_eq!(
            ids(Product::Sendmail, "8.6.12"),
            [
                "CERT CA-96.25",
                "CVE-2002-1337",
                "CVE-2003-0161 (CERT CA-2003-12)",
                "CVE-2006-0058"
            ]
        );
        assert!(ids(Product::Sendmail, "8.8.4").contains(&"CVE-1999-0047 (CERT CA-97.05)"));
        assert!(!ids(Product::Sendmail, "8.8.4").contains(&"CERT CA-96.25"));
        assert_eq!(
            ids(Product::Sendmail, "8.12.8"),
            ["CVE-2003-0161 (CERT CA-2003-12)", "CVE-2006-0058"]
        );
        assert_eq!(ids(Product::Sendmail, "8.13.6"), Vec::<&str>::new());
        assert_eq!(ids(Product::Sendmail, "8.17.1.9"), Vec::<&str>::new());
    }

    #[test]
    fn ftp_server_versions() {
        assert_eq!(
            ids(Product::WuFtpd, "2.1c(1)"),
            ["JPCERT-E-INF-97-0001", "CVE-2000-0573 (CERT CA-2000-13)"]
        );
        assert_eq!(
            ids(Product::WuFtpd, "2.4(1)"),
            [
                "CVE-1999-0080 (CERT CA-95:16)",
                "CVE-2000-0573 (CERT CA-2000-13)"
            ]
        );
        assert_eq!(
            ids(Product::WuFtpd, "2.6.0(1)"),
            ["CVE-2000-0573 (CERT CA-2000-13)"]
        );
        assert_eq!(ids(Product::WuFtpd, "2.6.1"), Vec::<&str>::new());
        assert_eq!(ids(Product::Vsftpd, "2.3.4"), ["CVE-2011-2523"]);
        assert_eq!(ids(Product::Vsftpd, "2.3.5"), Vec::<&str>::new());
        assert_eq!(ids(Product::Vsftpd, "3.0.3"), Vec::<&str>::new());
        assert_eq!(ids(Product::Proftpd, "1.3.3c"), ["CVE-2010-20103"]);
        assert_eq!(ids(Product::Proftpd, "1.3.3b"), Vec::<&str>::new());
        assert_eq!(ids(Product::Proftpd, "1.3.5"), ["CVE-2015-3306"]);
        assert_eq!(ids(Product::Proftpd, "1.3.5a"), Vec::<&str>::new());
        assert_eq!(ids(Product::Proftpd, "1.3.8"), Vec::<&str>::new());
        assert_eq!(ids(Product::PureFtpd, "1.0.50"), Vec::<&str>::new());
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert!(parse("sendmail\t< 8\t8\tid\thigh\td\tｄ").is_ok());
        for bad in [
            "sendmail\t< 8.8.4\t8.8.4\tid\thigh",
            "sendmail\t< 8\t8\tid\thigh\td",
            "sendmail\t< 8\t8\tid\thigh\td\t",
            "smail\t< 1\t1\tid\thigh\td\tｄ",
            "sendmail\t~ 8\t8\tid\thigh\td\tｄ",
            "sendmail\t< x\t8\tid\thigh\td\tｄ",
            "sendmail\t< 8\t8\tid\tsevere\td\tｄ",
            "sendmail\t< 8\t8\t\thigh\td\tｄ",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
