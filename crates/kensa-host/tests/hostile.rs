//! Hostile bytes in every file the account and trust checks read: no panic, findings
//! and diagnostics only. A fixed xorshift generator keeps the inputs reproducible.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

mod common;
use common::*;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Bytes biased towards the ones the parsers split on.
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        const SPECIAL: &[u8] = b":\n\r+-!*$_ \t,|\"#/.0x@";
        (0..len)
            .map(|_| {
                let r = self.next();
                if r.is_multiple_of(3) {
                    (r >> 8) as u8
                } else {
                    SPECIAL[((r >> 8) as usize) % SPECIAL.len()]
                }
            })
            .collect()
    }
}

const FILES: &[&str] = &[
    "etc/passwd",
    "etc/shadow",
    "etc/group",
    "etc/master.passwd",
    "etc/security/passwd",
    "etc/hosts.equiv",
    "etc/shosts.equiv",
    "etc/aliases",
    "etc/mail/aliases",
    ".rhosts",
    "root/.rhosts",
];

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let root = TestRoot::new();
    let mut total_findings = 0;
    for round in 0..60u32 {
        for file in FILES {
            let len = (rng.next() % 3000) as usize;
            let mode = [0o600, 0o644, 0o666, 0o640][(rng.next() % 4) as usize];
            root.file(
                file,
                &rng.bytes(len),
                mode,
                (rng.next() % 3) as u32 * 1000,
                0,
            );
        }
        // Give the random passwd a few well-formed homes too.
        if round.is_multiple_of(2) {
            let mut passwd = std::fs::read(root.path.join("etc/passwd")).unwrap();
            passwd.extend_from_slice(b"\nx:x:1000:1000::/root:/bin/sh\n+::0:0:::\n");
            root.file("etc/passwd", &passwd, 0o644, 0, 0);
        }
        let (findings, _) = root.audit();
        total_findings += findings.len();
        for f in &findings {
            assert!(!f.evidence.is_empty(), "{f:#?}");
        }
    }
    // The generator does produce findings (+ lines, empty fields, modes): the parsers
    // were exercised, not just skipped.
    assert!(total_findings > 60, "{total_findings}");
}

#[test]
fn huge_files_are_cut_with_a_warning() {
    let root = TestRoot::new();
    let mut passwd = b"root::0:0::/root:/bin/sh\n".to_vec();
    passwd.resize(17 << 20, b'#');
    root.file("etc/passwd", &passwd, 0o644, 0, 0);
    let (findings, diags) = root.audit();
    assert!(findings.iter().any(|f| f.code == "AC002"));
    assert!(
        diags
            .iter()
            .any(|d| d.file == "etc/passwd" && d.message.contains("only the first part")),
        "{diags:?}"
    );
    assert!(
        diags.iter().any(|d| d.file == "etc/passwd"
            && d.message_ja == "16777216 バイトを超えるため、先頭部分だけを検査しました"),
        "{diags:?}"
    );
}

#[test]
fn a_huge_passwd_gives_a_bounded_report() {
    let root = TestRoot::new();
    let mut passwd = String::new();
    let mut shadow = String::new();
    for i in 0..30_000u32 {
        // Every user id shared by three accounts, every tenth password empty.
        passwd.push_str(&format!(
            "u{i}:x:{}:100::/home/u{i}:/bin/sh\n",
            1000 + i / 3
        ));
        let hash = if i % 10 == 0 { "" } else { "$1$ab$cdefgh" };
        shadow.push_str(&format!("u{i}:{hash}:1::::::\n"));
    }
    root.text("etc/passwd", &passwd)
        .file("etc/shadow", shadow.as_bytes(), 0o600, 0, 0);
    let (findings, _) = root.audit();
    let count = |code: &str| findings.iter().filter(|f| f.code == code).count();
    assert_eq!(count("AC007"), kensa_host::MAX_FINDINGS_PER_CHECK);
    assert_eq!(count("AC002"), kensa_host::MAX_FINDINGS_PER_CHECK);
    let summary = findings.iter().rfind(|f| f.code == "AC007").unwrap();
    assert_eq!(summary.count, 3 * (10_000 - 99));
    assert!(
        summary.title.starts_with("9901 more AC007 findings"),
        "{}",
        summary.title
    );
    assert_eq!(
        summary.title_ja,
        "ほか 9901 件の AC007 の検出結果（ログイン名またはユーザ ID の重複）は個別に列挙していません"
    );
    assert_eq!(summary.evidence.len(), 50);
    let empty = findings.iter().rfind(|f| f.code == "AC002").unwrap();
    assert_eq!(empty.count, 3_000 - 99);
    let weak = findings.iter().find(|f| f.code == "AC006").unwrap();
    assert_eq!(weak.count, 27_000);
    assert_eq!(weak.evidence.len(), 50);
}
