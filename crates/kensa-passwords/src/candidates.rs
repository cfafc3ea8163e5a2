//! Candidates, in the order a guesser tries them.
//!
//! The passwords that fall first are the ones that come from the account itself: empty,
//! the user name and its variants, words of the GECOS field (Crack's and John's
//! "single" mode), the host name and the site's words. Each account has its own short
//! list of these ([`targeted`]), a few hundred candidates. Then come the lists shared
//! by every account ([`WordList`]): the common passwords shipped with kensa
//! (`data/common-passwords.txt`), then a dictionary (`/usr/share/dict/words` under the
//! audited root, or `--wordlist`), each first as written and then through a few light
//! rules (capitalised, a digit appended, ...), rule by rule over the whole list, as
//! John's wordlist mode does: every word as written is tried before any word is mangled.
//!
//! Every candidate carries its [`GuessClass`], which is what a report says ("password =
//! user name") instead of the password.

use std::collections::HashSet;

/// What kind of guess found a password: the report's words for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GuessClass {
    /// The empty string.
    Empty,
    /// The user name itself.
    UserName,
    /// The user name reversed, doubled, capitalised, with digits or a year, or in leet.
    UserNameVariant,
    /// A word of the account's GECOS field (full name, room, phone), or a variant.
    Gecos,
    /// The host name, or a variant.
    HostName,
    /// A word of the site: its domain, names in `etc/hosts`.
    SiteWord,
    /// A password of kensa's common-password list.
    Common,
    /// A common password with a small change.
    CommonVariant,
    /// A dictionary word.
    Dictionary,
    /// A dictionary word with a small change (capital, digit, ...).
    DictionaryVariant,
}

impl GuessClass {
    /// A stable kebab-case name (JSON, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            GuessClass::Empty => "empty",
            GuessClass::UserName => "user-name",
            GuessClass::UserNameVariant => "user-name-variant",
            GuessClass::Gecos => "gecos",
            GuessClass::HostName => "host-name",
            GuessClass::SiteWord => "site-word",
            GuessClass::Common => "common",
            GuessClass::CommonVariant => "common-variant",
            GuessClass::Dictionary => "dictionary",
            GuessClass::DictionaryVariant => "dictionary-variant",
        }
    }

    /// What the report says.
    pub fn describe(self) -> &'static str {
        match self {
            GuessClass::Empty => "password is empty",
            GuessClass::UserName => "password = user name",
            GuessClass::UserNameVariant => "password = a variant of the user name",
            GuessClass::Gecos => "password = a word of the GECOS field (name, room, phone)",
            GuessClass::HostName => "password = the host name or a variant",
            GuessClass::SiteWord => "password = a word of the site (domain, host names)",
            GuessClass::Common => "password = a common password",
            GuessClass::CommonVariant => "password = a common password, slightly changed",
            GuessClass::Dictionary => "password = a dictionary word",
            GuessClass::DictionaryVariant => "password = a dictionary word, slightly changed",
        }
    }

    /// What the report says, in Japanese.
    pub fn describe_ja(self) -> &'static str {
        match self {
            GuessClass::Empty => "パスワードが空",
            GuessClass::UserName => "パスワード = ユーザ名",
            GuessClass::UserNameVariant => "パスワード = ユーザ名の変形",
            GuessClass::Gecos => "パスワード = GECOS 欄の語（氏名・部屋・電話）",
            GuessClass::HostName => "パスワード = ホスト名またはその変形",
            GuessClass::SiteWord => "パスワード = サイトの語（ドメイン名・ホスト名）",
            GuessClass::Common => "パスワード = よく使われるパスワード",
            GuessClass::CommonVariant => "パスワード = よく使われるパスワードを少し変えたもの",
            GuessClass::Dictionary => "パスワード = 辞書の単語",
            GuessClass::DictionaryVariant => "パスワード = 辞書の単語を少し変えたもの",
        }
    }
}

/// One guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The password tried.
    pub password: Vec<u8>,
    /// Where it came from.
    pub class: GuessClass,
}

/// The common-password list shipped with kensa, most common first.
pub const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Words longer than this are not candidates (crypt(3) schemes ignore or truncate them,
/// and no one types them as a guessable password).
pub const MAX_WORD: usize = 64;

fn capitalised(word: &[u8]) -> Vec<u8> {
    let mut out = word.to_ascii_lowercase();
    if let Some(first) = out.first_mut() {
        first.make_ascii_uppercase();
    }
    out
}

fn reversed(word: &[u8]) -> Vec<u8> {
    word.iter().rev().copied().collect()
}

fn leet(word: &[u8]) -> Vec<u8> {
    word.iter()
        .map(|&b| match b.to_ascii_lowercase() {
            b'a' => b'4',
            b'e' => b'3',
            b'i' => b'1',
            b'o' => b'0',
            b's' => b'5',
            b't' => b'7',
            _ => b,
        })
        .collect()
}

fn with(word: &[u8], suffix: &[u8]) -> Vec<u8> {
    [word, suffix].concat()
}

/// A per-account list without repeats: the first class a password is reached by wins.
#[derive(Default)]
struct Targeted {
    seen: HashSet<Vec<u8>>,
    list: Vec<Candidate>,
}

impl Targeted {
    fn push(&mut self, password: Vec<u8>, class: GuessClass) {
        if password.len() <= MAX_WORD && self.seen.insert(password.clone()) {
            self.list.push(Candidate { password, class });
        }
    }

    /// A word and its common variants: as written, lowercase, capitalised, upper case,
    /// reversed, with one digit or `123` or `!` appended.
    fn word_variants(&mut self, word: &[u8], class: GuessClass) {
        let lower = word.to_ascii_lowercase();
        self.push(word.to_vec(), class);
        self.push(lower.clone(), class);
        self.push(capitalised(word), class);
        self.push(word.to_ascii_uppercase(), class);
        self.push(reversed(&lower), class);
        for suffix in ["1", "123", "!"] {
            self.push(with(&lower, suffix.as_bytes()), class);
        }
        for d in 0..10 {
            self.push(with(&lower, d.to_string().as_bytes()), class);
        }
        self.push(with(&capitalised(word), b"1"), class);
    }
}

/// What an account offers a guesser besides its hash.
#[derive(Debug, Clone, Default)]
pub struct AccountWords<'a> {
    /// The login name.
    pub user: &'a str,
    /// The GECOS field.
    pub gecos: &'a str,
    /// The host name.
    pub host: &'a str,
    /// Words of the site (domain labels, names in `etc/hosts`).
    pub site: &'a [String],
}

/// Words of a GECOS field: split at anything not a letter or digit, at most 8, each of
/// 2 characters or more; `&` (BSD: the login name capitalised) is left out, the user
/// name is tried anyway.
fn gecos_words(gecos: &str) -> Vec<&str> {
    gecos
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2)
        .take(8)
        .collect()
}

/// The candidates that come from the account itself, in guessing order.
pub fn targeted(words: &AccountWords<'_>) -> Vec<Candidate> {
    let mut t = Targeted::default();
    t.push(Vec::new(), GuessClass::Empty);
    let user = words.user.as_bytes();
    t.push(user.to_vec(), GuessClass::UserName);
    let lower = user.to_ascii_lowercase();
    t.push(lower.clone(), GuessClass::UserName);
    let v = GuessClass::UserNameVariant;
    t.push(reversed(&lower), v);
    t.push([&lower[..], &lower[..]].concat(), v);
    t.push(capitalised(user), v);
    t.push(user.to_ascii_uppercase(), v);
    for suffix in ["1", "123", "!", "12", "01", "00"] {
        t.push(with(&lower, suffix.as_bytes()), v);
    }
    for d in 0..100 {
        t.push(with(&lower, d.to_string().as_bytes()), v);
    }
    for d in 0..10 {
        t.push(with(&capitalised(user), d.to_string().as_bytes()), v);
        t.push([d.to_string().as_bytes(), &lower].concat(), v);
    }
    for year in (1950..=2030).rev() {
        t.push(with(&lower, year.to_string().as_bytes()), v);
    }
    t.push(leet(&lower), v);
    t.push(with(&leet(&lower), b"1"), v);
    let gecos = gecos_words(words.gecos);
    for word in &gecos {
        t.word_variants(word.as_bytes(), GuessClass::Gecos);
    }
    // The full name (the first comma-separated part) written together, both ways, and
    // initial + name ("hsato").
    let name = gecos_words(words.gecos.split(',').next().unwrap_or_default());
    if let [first, .., last] = name.as_slice() {
        let (first, last) = (first.to_ascii_lowercase(), last.to_ascii_lowercase());
        t.push(format!("{first}{last}").into_bytes(), GuessClass::Gecos);
        t.push(format!("{last}{first}").into_bytes(), GuessClass::Gecos);
        if let (Some(f), Some(l)) = (first.chars().next(), last.chars().next()) {
            t.push(format!("{f}{last}").into_bytes(), GuessClass::Gecos);
            t.push(format!("{l}{first}").into_bytes(), GuessClass::Gecos);
        }
    }
    if !words.host.is_empty() {
        let host = words.host.as_bytes();
        t.word_variants(host, GuessClass::HostName);
        for d in 0..100 {
            t.push(
                with(&host.to_ascii_lowercase(), d.to_string().as_bytes()),
                GuessClass::HostName,
            );
        }
    }
    for word in words.site {
        t.word_variants(word.as_bytes(), GuessClass::SiteWord);
    }
    t.list
}

/// A light rule applied to every word of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The word as written.
    AsIs,
    /// First letter upper case, the rest lower.
    Capital,
    /// All upper case.
    Upper,
    /// Reversed.
    Reverse,
    /// A suffix appended.
    Suffix(&'static str),
    /// Capitalised, then a suffix.
    CapitalSuffix(&'static str),
}

impl Rule {
    /// The mangled word, `None` when the rule leaves it unchanged (already tried).
    pub fn apply(self, word: &[u8]) -> Option<Vec<u8>> {
        let out = match self {
            Rule::AsIs => return Some(word.to_vec()),
            Rule::Capital => capitalised(word),
            Rule::Upper => word.to_ascii_uppercase(),
            Rule::Reverse => reversed(word),
            Rule::Suffix(s) => return Some(with(word, s.as_bytes())),
            Rule::CapitalSuffix(s) => with(&capitalised(word), s.as_bytes()),
        };
        (out != word).then_some(out)
    }
}

/// Rules over the common-password list, in order.
pub const COMMON_RULES: &[Rule] = &[
    Rule::AsIs,
    Rule::Capital,
    Rule::Suffix("1"),
    Rule::Suffix("123"),
    Rule::Suffix("!"),
    Rule::Upper,
    Rule::CapitalSuffix("1"),
    Rule::Suffix("2"),
    Rule::Suffix("12"),
    Rule::Reverse,
];

/// Rules over the dictionary, in order: light, as the issue asks — one capital or one
/// digit, the changes password policies push people to.
pub const DICTIONARY_RULES: &[Rule] = &[
    Rule::AsIs,
    Rule::Capital,
    Rule::Suffix("1"),
    Rule::Suffix("0"),
    Rule::Suffix("2"),
    Rule::Suffix("3"),
    Rule::Suffix("4"),
    Rule::Suffix("5"),
    Rule::Suffix("6"),
    Rule::Suffix("7"),
    Rule::Suffix("8"),
    Rule::Suffix("9"),
    Rule::CapitalSuffix("1"),
    Rule::Suffix("123"),
    Rule::Upper,
];

/// A list shared by every account, tried rule by rule.
#[derive(Debug, Clone)]
pub struct WordList {
    words: Vec<Box<[u8]>>,
    rules: &'static [Rule],
    plain: GuessClass,
    mangled: GuessClass,
}

impl WordList {
    /// A list of `words` (deduplicated, in order), tried through `rules`.
    pub fn new(
        words: Vec<Box<[u8]>>,
        rules: &'static [Rule],
        plain: GuessClass,
        mangled: GuessClass,
    ) -> WordList {
        WordList {
            words,
            rules,
            plain,
            mangled,
        }
    }

    /// kensa's own common-password list.
    pub fn common() -> WordList {
        let words = parse_words(COMMON_PASSWORDS.as_bytes(), &HashSet::new(), usize::MAX);
        WordList::new(
            words,
            COMMON_RULES,
            GuessClass::Common,
            GuessClass::CommonVariant,
        )
    }

    /// How many candidates the list yields (some indexes may be skipped repeats).
    pub fn len(&self) -> u64 {
        self.words.len() as u64 * self.rules.len() as u64
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words.
    pub fn words(&self) -> &[Box<[u8]>] {
        &self.words
    }

    /// Candidate number `index`: rule `index / words`, word `index % words`; `None`
    /// past the end or when the rule leaves the word unchanged.
    pub fn get(&self, index: u64) -> Option<Candidate> {
        let n = self.words.len() as u64;
        if n == 0 {
            return None;
        }
        let rule = *self.rules.get(usize::try_from(index / n).ok()?)?;
        let word = self.words.get(usize::try_from(index % n).ok()?)?;
        let password = rule.apply(word)?;
        let class = if rule == Rule::AsIs {
            self.plain
        } else {
            self.mangled
        };
        Some(Candidate { password, class })
    }
}

/// Words of a list file: one per line, `\r` dropped, empty lines, `#!comment` lines,
/// words with an apostrophe (`pelican's`) and words longer than [`MAX_WORD`] skipped,
/// repeats and words of `skip` dropped, at most `max` words.
pub fn parse_words(data: &[u8], skip: &HashSet<&[u8]>, max: usize) -> Vec<Box<[u8]>> {
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut words = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let word = line.strip_suffix(b"\r").unwrap_or(line);
        if word.is_empty()
            || word.starts_with(b"#!comment")
            || word.len() > MAX_WORD
            || word.contains(&b'\'')
            || skip.contains(word)
        {
            continue;
        }
        if words.len() >= max {
            break;
        }
        if seen.insert(word) {
            words.push(Box::from(word));
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of(list: &[Candidate], password: &str) -> Option<GuessClass> {
        list.iter()
            .find(|c| c.password == password.as_bytes())
            .map(|c| c.class)
    }

    #[test]
    fn targeted_order_and_classes() {
        let site = vec!["example".to_string()];
        let list = targeted(&AccountWords {
            user: "tanaka",
            gecos: "Sato Hanako,Room 301,x1234",
            host: "mailhub",
            site: &site,
        });
        assert_eq!(list[0].class, GuessClass::Empty);
        assert_eq!(list[1].password, b"tanaka");
        assert_eq!(class_of(&list, "tanaka"), Some(GuessClass::UserName));
        for v in [
            "akanat",
            "tanakatanaka",
            "Tanaka",
            "TANAKA",
            "tanaka7",
            "tanaka42",
            "tanaka1996",
            "74n4k4",
        ] {
            assert_eq!(class_of(&list, v), Some(GuessClass::UserNameVariant), "{v}");
        }
        for g in [
            "hanako",
            "Hanako",
            "sato",
            "satohanako",
            "hsato",
            "room",
            "301",
        ] {
            assert_eq!(class_of(&list, g), Some(GuessClass::Gecos), "{g}");
        }
        assert_eq!(class_of(&list, "mailhub1"), Some(GuessClass::HostName));
        assert_eq!(class_of(&list, "Example"), Some(GuessClass::SiteWord));
        assert_eq!(class_of(&list, "letmein"), None);
        let unique: HashSet<&Vec<u8>> = list.iter().map(|c| &c.password).collect();
        assert_eq!(unique.len(), list.len());
    }

    #[test]
    fn lists_go_rule_by_rule() {
        let words = parse_words(
            b"pelican\nheron's\n\nPelican\r\npelican\n",
            &HashSet::new(),
            10,
        );
        assert_eq!(words.len(), 2);
        let list = WordList::new(
            words,
            DICTIONARY_RULES,
            GuessClass::Dictionary,
            GuessClass::DictionaryVariant,
        );
        let got: Vec<Option<(String, GuessClass)>> = (0..6)
            .map(|i| {
                list.get(i)
                    .map(|c| (String::from_utf8(c.password).unwrap(), c.class))
            })
            .collect();
        use GuessClass::{Dictionary as D, DictionaryVariant as V};
        assert_eq!(
            got,
            [
                Some(("pelican".into(), D)),
                Some(("Pelican".into(), D)),
                // "Pelican" capitalised is unchanged: skipped.
                Some(("Pelican".into(), V)),
                None,
                Some(("pelican1".into(), V)),
                Some(("Pelican1".into(), V)),
            ]
        );
        assert_eq!(list.get(list.len()), None);
    }

    #[test]
    fn the_shipped_list_is_sane() {
        let common = WordList::common();
        assert!(common.words().len() >= 300, "{}", common.words().len());
        assert_eq!(common.words()[0].as_ref(), b"123456");
        assert!(common.words().iter().any(|w| w.as_ref() == b"letmein"));
        assert!(common.words().iter().all(|w| !w.is_empty()));
    }
}
