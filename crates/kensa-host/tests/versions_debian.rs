//! Version extraction from real binaries of Debian packages: the version kensa reads
//! out of the bytes must be the upstream version the package says it is.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

#[path = "fixtures/packages.rs"]
mod packages;

use kensa_host::versions::advisories::Product;
use kensa_host::versions::extract;

fn check(package: &str, binary: &str, product: Product) {
    let Some(pkg) = packages::package(package, binary) else {
        return;
    };
    let bytes = std::fs::read(pkg.file(binary)).unwrap();
    let found: Vec<String> = extract::from_binary(product, &bytes)
        .into_iter()
        .map(|f| f.version)
        .collect();
    assert!(!found.is_empty(), "{package}: no version in {binary}");
    for version in &found {
        assert_eq!(version, &pkg.upstream, "{package} {binary}: {found:?}");
    }
}

#[test]
fn debian_upstream_version_parts() {
    assert_eq!(packages::upstream("3.0.3-13+b2"), "3.0.3");
    assert_eq!(packages::upstream("1.3.8+dfsg-4+deb12u5"), "1.3.8");
    assert_eq!(packages::upstream("1:8.17.1.9-2+deb12u2"), "8.17.1.9");
}

#[test]
fn vsftpd_binary() {
    check("vsftpd", "/usr/sbin/vsftpd", Product::Vsftpd);
}

#[test]
fn proftpd_binary() {
    check("proftpd-core", "/usr/sbin/proftpd", Product::Proftpd);
}

#[test]
fn pure_ftpd_binary() {
    check("pure-ftpd", "/usr/sbin/pure-ftpd", Product::PureFtpd);
}

#[test]
fn sendmail_binary() {
    check(
        "sendmail-bin",
        "/usr/libexec/sendmail/sendmail",
        Product::Sendmail,
    );
}
