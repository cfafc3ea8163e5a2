//! Guessable passwords: which accounts of the audited root would fall to a guesser, and
//! to what kind of guess (the advisory's countermeasure (3)).
//!
//! [`guess`] reads the root's account and shadow files through kensa-host's confined
//! [`Root`] ([`accounts`]), decides for each hash whether and how it can be verified
//! ([`verify`]), builds each account's own candidates and the shared lists
//! ([`candidates`]), and runs them under a time budget on every core ([`engine`]).
//! It returns findings ([`pw001_guessable_password`]), diagnostics (unreadable files,
//! unsupported schemes, accounts whose search the budget cut short, with how far each
//! got) and the per-account results. Nothing is written under the root, nothing there
//! is executed, and passwords appear in findings only when the caller asks.
#![warn(missing_docs)]
// Tests build fixture trees with the standard library; the tool itself reads through kensa_fs.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod accounts;
pub mod candidates;
pub mod engine;
pub mod pw001_guessable_password;
pub mod verify;

pub use candidates::GuessClass;
pub use engine::{Outcome, Progress, Stop};

use accounts::Account;
use candidates::{AccountWords, DICTIONARY_RULES, WordList, parse_words, targeted};
use engine::{Settings, Target};
use kensa_core::{Diagnostic, DiagnosticLevel, Finding, Localized, Rule, tr};
use kensa_fs::Root;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use verify::{Unsupported, prepare};

/// Rules of this crate.
pub static RULES: &[&Rule] = &[&pw001_guessable_password::RULE];

/// Every rule of this crate, for `kensa rules` and `kensa explain`.
pub fn rules() -> Vec<&'static Rule> {
    RULES.to_vec()
}

/// The default time budget of `kensa passwords`.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(180);
/// The budget of the pass `kensa triage` makes.
pub const TRIAGE_BUDGET: Duration = Duration::from_secs(10);
/// Memory guesses may use at once (yescrypt's 16 MiB each: 64 at a time).
pub const DEFAULT_MEMORY_CAP: u64 = 1 << 30;
/// Bytes of a dictionary read; the rest is ignored with a warning.
pub const MAX_DICTIONARY_BYTES: u64 = 256 << 20;
/// Words of a dictionary kept.
pub const MAX_DICTIONARY_WORDS: usize = 10_000_000;

/// Accounts tested in one run: each holds a few hundred targeted candidates in memory
/// (about 35 KB), so this bounds them near 200 MB.
pub const MAX_ACCOUNTS: usize = 5000;

/// Where the system dictionary lives under a root (Linux and BSD, then SunOS).
pub const SYSTEM_DICTIONARIES: &[&str] = &["usr/share/dict/words", "usr/dict/words"];

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The host name (a source of candidates, and the findings' host).
    pub host: String,
    /// Time for every scheme together.
    pub budget: Duration,
    /// A word list of the analyst's, read from the analyst's file system, replacing
    /// the root's dictionary.
    pub wordlist: Option<PathBuf>,
    /// Threads; 0 for every core.
    pub threads: usize,
    /// Bytes of memory guesses may use at once.
    pub memory_cap: u64,
    /// Put the passwords found into the findings.
    pub show_passwords: bool,
    /// Try kensa's common-password list (on by default; off when the analyst's
    /// `--wordlist` already holds it, and in tests that look at the dictionary alone).
    pub common_list: bool,
}

impl Options {
    /// Defaults for `host`.
    pub fn new(host: impl Into<String>) -> Options {
        Options {
            host: host.into(),
            budget: DEFAULT_BUDGET,
            wordlist: None,
            threads: 0,
            memory_cap: DEFAULT_MEMORY_CAP,
            show_passwords: false,
            common_list: true,
        }
    }
}

/// What became of one account.
#[derive(Debug, Clone)]
pub struct AccountResult {
    /// The login name.
    pub name: String,
    /// The file of its hash.
    pub file: String,
    /// The line.
    pub line: u64,
    /// The scheme's label (`SHA-512 (5000 rounds)`), or its name when unsupported.
    pub scheme: String,
    /// The same label in Japanese (`SHA-512（ラウンド数 5000）`).
    pub scheme_ja: String,
    /// Guessed, not guessed (and how far tested), or not testable and why.
    pub outcome: Result<Outcome, Unsupported>,
}

/// The result of [`guess`].
#[derive(Debug, Default)]
pub struct Guessed {
    /// PW001 findings, in account order.
    pub findings: Vec<Finding>,
    /// Unreadable inputs, unsupported hashes, searches cut short.
    pub diagnostics: Vec<Diagnostic>,
    /// Every account with a usable hash.
    pub accounts: Vec<AccountResult>,
    /// Candidates in the shared lists (common, dictionary).
    pub list_sizes: (usize, usize),
    /// Wall time.
    pub elapsed: Duration,
}

/// Reads the dictionary: `--wordlist` from the analyst's file system, else the first
/// system dictionary under the root. Words of the common list are left out (already
/// tried).
fn dictionary(
    root: &Root,
    opts: &Options,
    common: &WordList,
    diags: &mut Vec<Diagnostic>,
) -> WordList {
    let skip: HashSet<&[u8]> = common.words().iter().map(|w| &w[..]).collect();
    let make = |data: &[u8]| {
        WordList::new(
            parse_words(data, &skip, MAX_DICTIONARY_WORDS),
            DICTIONARY_RULES,
            GuessClass::Dictionary,
            GuessClass::DictionaryVariant,
        )
    };
    let empty = || make(b"");
    if let Some(path) = &opts.wordlist {
        use std::io::Read;
        let mut data = Vec::new();
        let read = kensa_fs::analyst::open(path)
            .and_then(|f| f.take(MAX_DICTIONARY_BYTES + 1).read_to_end(&mut data));
        return match read {
            Ok(_) => {
                if data.len() as u64 > MAX_DICTIONARY_BYTES {
                    data.truncate(usize::try_from(MAX_DICTIONARY_BYTES).unwrap_or(usize::MAX));
                    diags.push(Diagnostic::say(
                        DiagnosticLevel::Warning,
                        path.display().to_string(),
                        None,
                        only_the_first_part(),
                    ));
                }
                make(&data)
            }
            Err(err) => {
                diags.push(Diagnostic::say(
                    DiagnosticLevel::Error,
                    path.display().to_string(),
                    None,
                    tr!(
                        "word list cannot be read: {err}",
                        "単語リストを読み取れません: {err}"
                    ),
                ));
                empty()
            }
        };
    }
    for rel in SYSTEM_DICTIONARIES {
        match root.read_prefix(rel, MAX_DICTIONARY_BYTES) {
            Ok((data, truncated)) => {
                if truncated {
                    diags.push(Diagnostic::say(
                        DiagnosticLevel::Warning,
                        root.display(rel),
                        None,
                        only_the_first_part(),
                    ));
                }
                return make(&data);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => diags.push(Diagnostic::say(
                DiagnosticLevel::Warning,
                root.display(rel),
                None,
                tr!(
                    "dictionary cannot be read: {err}",
                    "辞書を読み取れません: {err}"
                ),
            )),
        }
    }
    diags.push(Diagnostic::say(
        DiagnosticLevel::Note,
        root.display(SYSTEM_DICTIONARIES[0]),
        None,
        tr!(
            "no dictionary under the root (nor --wordlist): only targeted guesses and the \
             common-password list were tried",
            "検査対象のルートに辞書がなく、--wordlist の指定もないため、アカウントごとの推測と\
             よく使われるパスワードのリストだけを試しました"
        ),
    ));
    empty()
}

/// A dictionary cut at [`MAX_DICTIONARY_BYTES`].
fn only_the_first_part() -> Localized {
    tr!(
        "larger than {MAX_DICTIONARY_BYTES} bytes; only the first part is used",
        "{MAX_DICTIONARY_BYTES} バイトを超えるため、先頭部分だけを使います"
    )
}

/// Tests the passwords of the accounts under `root`. `stop` ends the run early (what
/// was found is still returned); `progress` is called as guessing goes (a progress bar's
/// hook).
pub fn guess(
    root: &Root,
    opts: &Options,
    stop: &AtomicBool,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Guessed {
    let started = Instant::now();
    let mut guessed = Guessed::default();

    let diags = &mut guessed.diagnostics;
    let mut accounts = accounts::read_accounts(root, diags);
    if accounts.len() > MAX_ACCOUNTS {
        let first = &accounts[MAX_ACCOUNTS];
        let (count, name) = (accounts.len(), &first.name);
        diags.push(Diagnostic::say(
            DiagnosticLevel::Warning,
            first.file.clone(),
            Some(first.line),
            tr!(
                "{count} accounts with a hash; only the first {MAX_ACCOUNTS} were tested (from \
                 {name} on, none was)",
                "ハッシュのあるアカウントが {count} 件あり、最初の {MAX_ACCOUNTS} 件だけを検査\
                 しました（アカウント {name} 以降は検査していません）"
            ),
        ));
        accounts.truncate(MAX_ACCOUNTS);
    }
    if accounts.is_empty() {
        guessed.elapsed = started.elapsed();
        return guessed;
    }
    let site = accounts::site_words(root, &opts.host, diags);
    let common = if opts.common_list {
        WordList::common()
    } else {
        WordList::new(
            Vec::new(),
            &[],
            GuessClass::Common,
            GuessClass::CommonVariant,
        )
    };
    let dictionary = dictionary(root, opts, &common, diags);
    guessed.list_sizes = (common.words().len(), dictionary.words().len());

    let mut targets = Vec::new();
    // Per account: its target's index, or why it cannot be tested.
    let mut target_of: Vec<Result<usize, Unsupported>> = Vec::new();
    for account in &accounts {
        target_of.push(prepare(&account.hash, opts.memory_cap).map(|prepared| {
            let words = AccountWords {
                user: &account.name,
                gecos: &account.gecos,
                host: &opts.host,
                site: &site,
            };
            targets.push(Target {
                hash: String::from_utf8_lossy(&account.hash).into_owned(),
                prepared,
                targeted: targeted(&words),
            });
            targets.len() - 1
        }));
    }
    let settings = Settings {
        common: &common,
        dictionary: &dictionary,
        budget: opts.budget,
        threads: opts.threads,
        memory_cap: opts.memory_cap,
        stop,
        progress,
    };
    let outcomes = engine::run(&targets, &settings);
    for (account, target) in accounts.iter().zip(target_of) {
        let (scheme, scheme_ja, outcome) = match target {
            Ok(t) => (
                targets[t].prepared.label.clone(),
                targets[t].prepared.label_ja.clone(),
                Ok(outcomes[t].clone()),
            ),
            Err(why) => {
                let name_ja = if why.scheme == "unknown" {
                    "不明な方式".to_string()
                } else {
                    why.scheme.clone()
                };
                (why.scheme.clone(), name_ja, Err(why))
            }
        };
        guessed.accounts.push(AccountResult {
            name: account.name.clone(),
            file: account.file.clone(),
            line: account.line,
            scheme,
            scheme_ja,
            outcome,
        });
    }
    for (account, result) in accounts.iter().zip(&guessed.accounts) {
        report(
            account,
            result,
            opts,
            &mut guessed.findings,
            &mut guessed.diagnostics,
        );
    }
    guessed.elapsed = started.elapsed();
    guessed
}

/// A finding for an account guessed, a diagnostic for one not fully tested.
fn report(
    account: &Account,
    result: &AccountResult,
    opts: &Options,
    findings: &mut Vec<Finding>,
    diags: &mut Vec<Diagnostic>,
) {
    let note = |level, message: Localized| {
        Diagnostic::say(level, account.file.clone(), Some(account.line), message)
    };
    let (name, scheme, scheme_ja) = (&account.name, &result.scheme, &result.scheme_ja);
    match &result.outcome {
        Ok(Outcome::Found {
            password, class, ..
        }) => findings.push(pw001_guessable_password::finding(
            &opts.host,
            account,
            (scheme, scheme_ja),
            *class,
            password,
            opts.show_passwords,
        )),
        Ok(Outcome::NotFound { stopped: None, .. }) => {}
        Ok(Outcome::NotFound {
            tried,
            total,
            stopped: Some(stop),
        }) => {
            let (until, until_ja) = match stop {
                Stop::Budget => (
                    "the time budget ran out (--budget)",
                    "時間の上限（--budget）に達する",
                ),
                Stop::Interrupted => ("the run was interrupted", "実行が中断される"),
            };
            diags.push(note(
                DiagnosticLevel::Note,
                tr!(
                    "password of {name} ({scheme}) not guessed, but not exhausted: {tried} of \
                     {total} candidates tried before {until}",
                    "{name} のパスワード（{scheme_ja}）は推測できませんでしたが、候補を試し\
                     尽くしてはいません: {until_ja}までに候補 {total} 個のうち {tried} 個を\
                     試しました"
                ),
            ));
        }
        Err(why) => {
            let Localized {
                en: reason,
                ja: reason_ja,
            } = &why.reason;
            diags.push(note(
                DiagnosticLevel::Warning,
                tr!(
                    "password of {name} not tested: {scheme} hash: {reason}",
                    "{name} のパスワードは検査していません: {scheme_ja} のハッシュ: {reason_ja}"
                ),
            ));
        }
    }
}
