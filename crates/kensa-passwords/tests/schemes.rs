//! Every supported scheme against hashes made by the system's own crypt(3)
//! (`tests/fixtures/make-fixtures.sh`): each weak password is found with its class, no
//! strong one is, and the strong ones are searched to the end.

// Builds and reads test fixtures with the standard library: a test or benchmark, not the tool.
#![allow(clippy::disallowed_methods)]

use kensa_passwords::{GuessClass, Options, Outcome, guess};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A root holding the fixture passwd, the lines of one fixture shadow file whose users
/// are `users`, and (when `dictionary`) the fixture words as the system dictionary.
fn root(shadow: &str, users: &[&str], dictionary: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(FIXTURES);
    std::fs::create_dir_all(dir.path().join("etc")).unwrap();
    std::fs::copy(fixtures.join("passwd"), dir.path().join("etc/passwd")).unwrap();
    let lines: String = std::fs::read_to_string(fixtures.join(shadow))
        .unwrap()
        .lines()
        .filter(|l| users.iter().any(|u| l.starts_with(&format!("{u}:"))))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("etc/shadow"), lines).unwrap();
    if dictionary {
        std::fs::create_dir_all(dir.path().join("usr/share/dict")).unwrap();
        std::fs::copy(
            fixtures.join("words"),
            dir.path().join("usr/share/dict/words"),
        )
        .unwrap();
    }
    dir
}

/// Weak accounts of the fixtures: user, password, class.
const WEAK: &[(&str, &str, GuessClass)] = &[
    ("tanaka", "tanaka", GuessClass::UserName),
    ("kimura", "kimurakimura", GuessClass::UserNameVariant),
    ("sato", "hanako", GuessClass::Gecos),
    ("ito", "mailhub1", GuessClass::HostName),
    ("suzuki", "letmein", GuessClass::Common),
];
/// The dictionary word with a digit, found with the dictionary alone (the common list,
/// thousands of candidates, is left out to keep the costly schemes fast).
const DICTIONARY: &[(&str, &str, GuessClass)] =
    &[("kato", "pelican4", GuessClass::DictionaryVariant)];
const STRONG: &[&str] = &["yamada", "watanabe"];

/// Runs kensa on `shadow`'s lines of `weak` and `strong` users; every weak one must be
/// found with its class under one of `schemes`, every strong one searched to the end
/// and not found.
fn run(
    shadow: &str,
    weak: &[(&str, &str, GuessClass)],
    strong: &[&str],
    schemes: &[&str],
    common_list: bool,
) {
    let users: Vec<&str> = weak
        .iter()
        .map(|w| w.0)
        .chain(strong.iter().copied())
        .collect();
    let dir = root(shadow, &users, !common_list);
    let mut opts = Options::new("mailhub");
    opts.budget = Duration::from_secs(600);
    opts.common_list = common_list;
    let stop = AtomicBool::new(false);
    let guessed = guess(&kensa_testkit::root_at(dir.path()), &opts, &stop, &|_| {});
    assert_eq!(
        guessed.accounts.len(),
        users.len(),
        "{shadow}: {:?}",
        guessed.diagnostics
    );
    for account in &guessed.accounts {
        assert!(
            schemes.iter().any(|s| account.scheme.starts_with(s)),
            "{shadow}: {}",
            account.scheme
        );
        // The Japanese label: full-width brackets, counters in Japanese.
        assert!(
            !account.scheme_ja.contains(['(', ')'])
                && !account.scheme_ja.contains("rounds")
                && !account.scheme_ja.contains("cost"),
            "{shadow}: {}",
            account.scheme_ja
        );
        let outcome = account.outcome.as_ref().expect("supported");
        if let Some((_, password, class)) = weak.iter().find(|w| w.0 == account.name) {
            let Outcome::Found {
                password: p,
                class: c,
                ..
            } = outcome
            else {
                panic!("{shadow}: {} not found: {outcome:?}", account.name);
            };
            // DES looks at 8 characters: "kimurakimura" is found as "kimuraki...".
            let n = if account.scheme == "DES" {
                8
            } else {
                usize::MAX
            };
            let cut = |s: &[u8]| s[..s.len().min(n)].to_vec();
            assert_eq!(
                cut(p),
                cut(password.as_bytes()),
                "{shadow}: {}",
                account.name
            );
            assert_eq!(c, class, "{shadow}: {}", account.name);
        } else {
            assert!(strong.contains(&account.name.as_str()));
            assert!(
                matches!(outcome, Outcome::NotFound { stopped: None, .. }),
                "{shadow}: {}: {outcome:?}",
                account.name
            );
        }
    }
    assert_eq!(guessed.findings.len(), weak.len(), "{shadow}");
    for f in &guessed.findings {
        assert_eq!(f.code, "PW001");
        // Never the password without --show-passwords, never the hash.
        assert!(!f.title.contains('"'), "{}", f.title);
        assert!(!f.title_ja.contains('"'), "{}", f.title_ja);
        let account = guessed
            .accounts
            .iter()
            .find(|a| a.name == f.subject.users[0])
            .unwrap();
        let class = weak.iter().find(|w| w.0 == account.name).unwrap().2;
        assert_eq!(
            f.title_ja,
            format!(
                "推測できるパスワード（{}、{}）: {}",
                class.describe_ja(),
                account.scheme_ja,
                account.name
            )
        );
        assert!(
            f.evidence.iter().all(|e| e.text.contains(" hash>")),
            "{:?}",
            f.evidence
        );
    }
    // Nothing to say but, without a dictionary, that there was none.
    assert!(
        guessed
            .diagnostics
            .iter()
            .all(|d| common_list && d.message.starts_with("no dictionary")),
        "{shadow}: {:?}",
        guessed.diagnostics
    );
    assert!(
        guessed
            .diagnostics
            .iter()
            .all(|d| d.message_ja.starts_with("検査対象のルートに辞書がなく、")),
        "{shadow}: {:?}",
        guessed.diagnostics
    );
}

/// The whole fixture set of one scheme: the targeted and common weak passwords, then
/// the dictionary one and the strong ones.
fn check(shadow: &str, schemes: &[&str]) {
    run(shadow, WEAK, &[], schemes, true);
    run(shadow, DICTIONARY, STRONG, schemes, false);
}

#[test]
fn des() {
    check("des.shadow", &["DES"]);
}

#[test]
fn bigcrypt() {
    // bigcrypt of 8 characters or fewer is a plain DES hash.
    check("bigcrypt.shadow", &["bigcrypt", "DES"]);
}

#[test]
fn bsdi() {
    check("bsdi.shadow", &["BSDi DES (725 rounds)"]);
}

#[test]
fn md5() {
    check("md5.shadow", &["MD5"]);
}

#[test]
fn sha256() {
    check("sha256-rounds.shadow", &["SHA-256 (1000 rounds)"]);
    run(
        "sha256-default.shadow",
        &WEAK[..1],
        &[],
        &["SHA-256 (5000 rounds)"],
        true,
    );
}

#[test]
fn sha512() {
    check("sha512-rounds.shadow", &["SHA-512 (1000 rounds)"]);
    let dir = root("sha512-rounds.shadow", &["tanaka"], false);
    let guessed = guess(
        &kensa_testkit::root_at(dir.path()),
        &Options::new("mailhub"),
        &AtomicBool::new(false),
        &|_| {},
    );
    assert_eq!(guessed.accounts[0].scheme_ja, "SHA-512（ラウンド数 1000）");
    run(
        "sha512-default.shadow",
        &WEAK[..1],
        &[],
        &["SHA-512 (5000 rounds)"],
        true,
    );
}

#[test]
fn bcrypt() {
    check("bcrypt.shadow", &["bcrypt (cost 4)"]);
    // $2a$ and $2y$ are the same algorithm under other names.
    run("bcrypt-a.shadow", WEAK, &[], &["bcrypt (cost 4)"], true);
    run("bcrypt-y.shadow", WEAK, &[], &["bcrypt (cost 4)"], true);
    run(
        "bcrypt-default.shadow",
        &WEAK[..1],
        &[],
        &["bcrypt (cost 5)"],
        true,
    );
}

#[test]
fn yescrypt() {
    check("yescrypt.shadow", &["yescrypt (1024 KiB)"]);
    run(
        "yescrypt-default.shadow",
        &WEAK[..1],
        &[],
        &["yescrypt (16384 KiB)"],
        true,
    );
}

#[test]
fn scrypt() {
    check("scrypt.shadow", &["scrypt (64 KiB)"]);
    run(
        "scrypt-default.shadow",
        &WEAK[..1],
        &[],
        &["scrypt (65536 KiB)"],
        true,
    );
}

#[test]
fn gost_yescrypt_is_unsupported_never_guessed() {
    let dir = root("gost-yescrypt.shadow", &["tanaka", "yamada"], true);
    let guessed = guess(
        &kensa_testkit::root_at(dir.path()),
        &Options::new("mailhub"),
        &AtomicBool::new(false),
        &|_| {},
    );
    assert!(guessed.findings.is_empty());
    assert_eq!(guessed.accounts.len(), 2);
    for account in &guessed.accounts {
        let why = account.outcome.as_ref().unwrap_err();
        assert_eq!(why.scheme, "gost-yescrypt");
    }
    assert_eq!(guessed.diagnostics.len(), 2);
    assert!(guessed.diagnostics[0].message.contains("not tested"));
    let ja: Vec<&str> = guessed
        .diagnostics
        .iter()
        .map(|d| d.message_ja.as_str())
        .collect();
    assert!(
        ja.contains(
            &"tanaka のパスワードは検査していません: gost-yescrypt のハッシュ: $gy$: 保守されている実装がない"
        ),
        "{ja:?}"
    );
}

#[test]
fn a_search_the_budget_cuts_short_is_a_note_in_both_languages() {
    let dir = root("sha512-rounds.shadow", STRONG, true);
    let mut opts = Options::new("mailhub");
    opts.budget = Duration::ZERO;
    let guessed = guess(
        &kensa_testkit::root_at(dir.path()),
        &opts,
        &AtomicBool::new(false),
        &|_| {},
    );
    let notes: Vec<(&str, &str)> = guessed
        .diagnostics
        .iter()
        .map(|d| (d.message.as_str(), d.message_ja.as_str()))
        .collect();
    assert!(!notes.is_empty(), "{:?}", guessed.accounts);
    for (en, ja) in notes {
        assert!(
            en.starts_with("password of ") && en.contains("the time budget ran out (--budget)"),
            "{en}"
        );
        assert!(
            ja.contains("のパスワード（SHA-512（ラウンド数 1000））は推測できませんでしたが")
                && ja.contains("時間の上限（--budget）に達するまでに候補 "),
            "{ja}"
        );
    }
}
