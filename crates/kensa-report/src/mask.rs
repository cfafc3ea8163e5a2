//! `--mask`: pseudonyms for what a report must not tell outsiders.
//!
//! An incident report goes to a CSIRT, a vendor or a mailing list; the victim's user
//! names and internal network plan should not go with it, while the attacker's public
//! addresses must (that is what the CSIRT acts on). [`mask`] rewrites the whole
//! [`Report`] model before any writer sees it, so every format is masked the same way
//! and no writer can forget a field: host names, subjects, titles, advice, evidence
//! lines and file names, diagnostics, the command line and the list of files read.
//!
//! What is replaced, each by a stable pseudonym numbered in order of first appearance
//! (the same value always gets the same pseudonym within one report, so the story stays
//! readable: `user-2` failed eight times, then logged in):
//!
//! * **user names** (`user-N`): the audited host's accounts and the users findings name,
//!   except the well-known system accounts in [`SYSTEM_ACCOUNTS`] (`root`, `ftp`, `bin`,
//!   ...), which identify nobody and whose use is often the point of the finding;
//! * **internal addresses** (`internal-N`): IPv4 private (RFC 1918), loopback and
//!   link-local, IPv6 loopback, link-local and unique local (ULA), also inside
//!   IPv4-mapped IPv6 addresses — wherever they appear in text;
//! * **host names** (`host-N`): every host the report is about, the names the caller
//!   gives (the host's aliases, internal hosts of its `etc/hosts`), and any name under
//!   one of the internal domains — except role names every site has ([`GENERIC_HOSTS`]:
//!   `ftp`, `mail`, `loghost`, ...), which tell nothing and share words with protocols;
//! * **internal domains** (`domain-N`): the host's own DNS domain.
//!
//! Matching is deliberately generous: a name is replaced wherever it stands as a whole
//! word (bounded by characters that cannot be part of a name), case-insensitively, even
//! where it happens to mean something else. A masked report that says too little is
//! better than one that leaks. Raw bytes kept beside lossy evidence text (`raw_hex`) are
//! dropped, since they would carry the original names in hex.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use kensa_core::{Finding, Report};
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Accounts that exist on every Unix system: they identify no person, and a finding
/// about them (a root login, the ftp account's shell) must stay readable. Never masked.
pub const SYSTEM_ACCOUNTS: &[&str] = &[
    "root",
    "toor",
    "daemon",
    "bin",
    "sys",
    "adm",
    "lp",
    "uucp",
    "nuucp",
    "news",
    "mail",
    "ftp",
    "anonymous",
    "nobody",
    "nobody4",
    "noaccess",
    "nogroup",
    "sync",
    "shutdown",
    "halt",
    "operator",
    "games",
    "man",
    "proxy",
    "www-data",
    "backup",
    "list",
    "irc",
    "gnats",
    "sshd",
    "smmsp",
    "postfix",
    "listen",
];

/// Host names that every site has: a role, not an identity (`ftp.example.ac.jp` keeps
/// `ftp` and loses its domain). Masking them would also mask the protocol names and
/// accounts they share a word with (`FTP LOGIN FAILED`, `ftp@`). Never masked.
pub const GENERIC_HOSTS: &[&str] = &[
    "localhost",
    "loghost",
    "mailhost",
    "ftp",
    "www",
    "mail",
    "news",
    "pop",
    "imap",
    "smtp",
    "ns",
    "gw",
];

/// What the caller knows about the audited site beyond the report itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaskInputs {
    /// Accounts of the audited host (its `etc/passwd`).
    pub users: Vec<String>,
    /// Internal host names: the host's own names and aliases, other internal hosts.
    pub hosts: Vec<String>,
    /// The site's own DNS domains (`example.ac.jp`).
    pub domains: Vec<String>,
}

/// How many distinct values were replaced, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaskSummary {
    /// User names (`user-N`).
    pub users: usize,
    /// Internal addresses (`internal-N`).
    pub addresses: usize,
    /// Host names (`host-N`).
    pub hosts: usize,
    /// Domains (`domain-N`).
    pub domains: usize,
}

/// The kind of a masked value; each has its own numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Class {
    User,
    Host,
    Domain,
    Address,
}

impl Class {
    fn prefix(self) -> &'static str {
        match self {
            Class::User => "user",
            Class::Host => "host",
            Class::Domain => "domain",
            Class::Address => "internal",
        }
    }
}

/// Replaces user names, internal addresses, host names and domains throughout `report`
/// (see the module documentation) and marks it masked.
pub fn mask(report: &mut Report, inputs: &MaskInputs) -> MaskSummary {
    let mut needles: BTreeMap<String, Class> = BTreeMap::new();
    let mut add = |name: &str, class: Class| {
        let mut name = name.trim().trim_end_matches('.').to_ascii_lowercase();
        // A fully qualified host name is its short name in its domain, so that
        // `mailhub` and `mailhub.example.ac.jp` read `host-1` and `host-1.domain-1`.
        if class == Class::Host
            && name.parse::<IpAddr>().is_err()
            && let Some((short, domain)) = name.split_once('.')
        {
            if domain.contains('.') {
                let domain = domain.to_string();
                needles.entry(domain).or_insert(Class::Domain);
            }
            name = short.to_string();
        }
        if name.is_empty()
            || (class == Class::User && is_system_account(&name))
            || (class == Class::Host && GENERIC_HOSTS.contains(&name.as_str()))
        {
            return;
        }
        // An address is masked as an address wherever it stands; a host "name" that is
        // an address (a log that gave no name) must not become a host pseudonym too.
        if name.parse::<IpAddr>().is_ok() {
            return;
        }
        // A name known as a host stays a host even if also listed as a user.
        let entry = needles.entry(name).or_insert(class);
        *entry = (*entry).min(class);
    };
    for user in &inputs.users {
        add(user, Class::User);
    }
    for host in &inputs.hosts {
        add(host, Class::Host);
    }
    for domain in &inputs.domains {
        add(domain, Class::Domain);
    }
    for host in &report.hosts {
        add(&host.host, Class::Host);
        // The accounts whose passwords must change are the host's own users.
        for user in host.assessment.change_passwords.iter().flatten() {
            add(user, Class::User);
        }
        let accepted = host.accepted.iter().map(|a| &a.finding);
        for finding in host.findings.iter().chain(accepted) {
            add(&finding.host, Class::Host);
            // `local:NAME`: a local user (su) was the source.
            if let Some(local) = finding
                .subject
                .source
                .as_deref()
                .and_then(|s| s.strip_prefix("local:"))
                && let Some(name) = user_name_in(local)
            {
                add(name, Class::User);
            }
            for user in &finding.subject.users {
                if let Some(name) = user_name_in(user) {
                    add(name, Class::User);
                }
            }
        }
    }
    let mut masker = Masker::new(needles);
    for host in &mut report.hosts {
        masker.apply(&mut host.host);
        if let Some(os) = &mut host.os {
            masker.apply(os);
        }
        for finding in &mut host.findings {
            mask_finding(&mut masker, finding);
        }
        for accepted in &mut host.accepted {
            mask_finding(&mut masker, &mut accepted.finding);
            masker.apply(&mut accepted.reason);
            masker.apply(&mut accepted.allowed_by);
        }
        for user in host.assessment.change_passwords.iter_mut().flatten() {
            masker.apply(user);
        }
    }
    for diagnostic in &mut report.diagnostics {
        masker.apply(&mut diagnostic.file);
        masker.apply(&mut diagnostic.message);
        masker.apply(&mut diagnostic.message_ja);
    }
    let run = report.run.get_or_insert_with(Default::default);
    for arg in &mut run.command {
        masker.apply(arg);
    }
    for file in &mut run.files {
        masker.apply(&mut file.file);
    }
    run.masked = true;
    masker.summary()
}

fn mask_finding(masker: &mut Masker, finding: &mut Finding) {
    masker.apply(&mut finding.host);
    masker.apply(&mut finding.title);
    masker.apply(&mut finding.title_ja);
    masker.apply(&mut finding.advice);
    masker.apply(&mut finding.advice_ja);
    let subject = &mut finding.subject;
    for value in subject
        .source
        .iter_mut()
        .chain(subject.path.iter_mut())
        .chain(subject.message_id.iter_mut())
        .chain(subject.users.iter_mut())
    {
        masker.apply(value);
    }
    for evidence in &mut finding.evidence {
        masker.apply(&mut evidence.file);
        masker.apply(&mut evidence.text);
        if let Some(text) = &mut evidence.text_ja {
            masker.apply(text);
        }
        evidence.raw_hex = None;
    }
    masker.apply(&mut finding.merge_key);
}

/// Whether `name` is one of [`SYSTEM_ACCOUNTS`].
pub fn is_system_account(name: &str) -> bool {
    SYSTEM_ACCOUNTS
        .iter()
        .any(|system| system.eq_ignore_ascii_case(name))
}

/// The user name a finding's user entry stands for: the entry itself when it looks like a
/// login name, the local part of `user@host`; `None` for programs and files
/// (`|/bin/sh`, `/etc/passwd`), whose words are still masked where they are known names.
fn user_name_in(entry: &str) -> Option<&str> {
    let local = entry.split_once('@').map_or(entry, |(local, _)| local);
    let plausible = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    plausible.then_some(local)
}

/// Whether `ip` is an address of the inside: RFC 1918, loopback, link-local, IPv6 ULA
/// (also inside an IPv4-mapped IPv6 address).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback() || first & 0xffc0 == 0xfe80 || first & 0xfe00 == 0xfc00
        }
    }
}

fn internal_v4(v4: Ipv4Addr) -> bool {
    v4.is_private() || v4.is_loopback() || v4.is_link_local()
}

/// A byte that can be part of a name: names are matched only between other bytes.
/// Any non-ASCII character is a boundary: Japanese text puts a name right against
/// （、「 or a particle, and a leaked name is worse than a masked syllable.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// One replacement in a text: `text[start..end]` becomes the pseudonym of `key`.
struct Hit {
    start: usize,
    end: usize,
    class: Class,
    key: String,
}

struct Masker {
    automaton: Option<AhoCorasick>,
    needles: Vec<(String, Class)>,
    pseudonyms: HashMap<(Class, String), String>,
    counts: BTreeMap<Class, usize>,
}

impl Masker {
    fn new(needles: BTreeMap<String, Class>) -> Masker {
        let needles: Vec<(String, Class)> = needles.into_iter().collect();
        let automaton = (!needles.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(needles.iter().map(|(needle, _)| needle))
                .expect("an automaton of a few thousand names builds")
        });
        Masker {
            automaton,
            needles,
            pseudonyms: HashMap::new(),
            counts: BTreeMap::new(),
        }
    }

    fn summary(&self) -> MaskSummary {
        let count = |class| self.counts.get(&class).copied().unwrap_or(0);
        MaskSummary {
            users: count(Class::User),
            addresses: count(Class::Address),
            hosts: count(Class::Host),
            domains: count(Class::Domain),
        }
    }

    fn pseudonym(&mut self, class: Class, key: String) -> String {
        if let Some(known) = self.pseudonyms.get(&(class, key.clone())) {
            return known.clone();
        }
        let n = self.counts.entry(class).or_default();
        *n += 1;
        let name = format!("{}-{n}", class.prefix());
        self.pseudonyms.insert((class, key), name.clone());
        name
    }

    /// Masks `text` in place.
    fn apply(&mut self, text: &mut String) {
        let hits = self.hits(text);
        if hits.is_empty() {
            return;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for hit in hits {
            out.push_str(&text[at..hit.start]);
            out.push_str(&self.pseudonym(hit.class, hit.key));
            at = hit.end;
        }
        out.push_str(&text[at..]);
        *text = out;
    }

    /// The replacements of one text, in order, not overlapping: addresses first, then
    /// the longest name starting leftmost.
    fn hits(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut hits = addresses(text);
        let mut names: Vec<Hit> = Vec::new();
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(text) {
                let (start, end) = (m.start(), m.end());
                let bounded = (start == 0 || !name_byte(bytes[start - 1]))
                    && (end == bytes.len() || !name_byte(bytes[end]));
                if !bounded {
                    continue;
                }
                let (needle, class) = &self.needles[m.pattern().as_usize()];
                names.push(Hit {
                    start,
                    end,
                    class: *class,
                    key: needle.clone(),
                });
            }
        }
        // Names under an internal domain: `ns1.example.ac.jp` — the labels before the
        // domain are an internal host's name, known or not.
        let mut labels = Vec::new();
        for hit in names.iter().filter(|hit| hit.class == Class::Domain) {
            if hit.start < 2 || bytes[hit.start - 1] != b'.' {
                continue;
            }
            let mut start = hit.start - 1;
            while start > 0 && (name_byte(bytes[start - 1]) || bytes[start - 1] == b'.') {
                start -= 1;
            }
            let label = text[start..hit.start - 1].trim_start_matches('.');
            if !label.is_empty() && !GENERIC_HOSTS.contains(&label.to_ascii_lowercase().as_str()) {
                let start = hit.start - 1 - label.len();
                labels.push(Hit {
                    start,
                    end: hit.start - 1,
                    class: Class::Host,
                    key: label.to_ascii_lowercase(),
                });
            }
        }
        names.extend(labels);
        names.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        for name in names {
            if hits
                .iter()
                .all(|hit| name.end <= hit.start || name.start >= hit.end)
            {
                hits.push(name);
            }
        }
        hits.sort_by_key(|hit| hit.start);
        hits
    }
}

/// Internal IPv4 and IPv6 addresses in `text`.
fn addresses(text: &str) -> Vec<Hit> {
    let bytes = text.as_bytes();
    let mut hits = Vec::new();
    // IPv6 (and IPv4-mapped IPv6) first: runs of hex digits, colons and dots with at
    // least two colons.
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_hexdigit() || bytes[i] == b':') {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_hexdigit() || matches!(bytes[i], b':' | b'.')) {
            i += 1;
        }
        let run = text[start..i].trim_end_matches('.');
        let bounded = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if bounded && run.bytes().filter(|&b| b == b':').count() >= 2 {
            let candidate = run.trim_end_matches(':');
            if let Ok(v6) = candidate.parse::<Ipv6Addr>()
                && is_internal(IpAddr::V6(v6))
            {
                hits.push(Hit {
                    start,
                    end: start + candidate.len(),
                    class: Class::Address,
                    key: v6.to_string(),
                });
            }
        }
    }
    // IPv4: maximal runs of digits and dots; `10.0.0.1.25` (address.port) counts too.
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        if hits.iter().any(|hit| start < hit.end && i > hit.start) {
            continue;
        }
        let run = &text[start..i];
        let four: Vec<&str> = run.split('.').take(4).collect();
        if four.len() < 4 {
            continue;
        }
        let candidate_len = four.iter().map(|part| part.len()).sum::<usize>() + 3;
        let candidate = &run[..candidate_len];
        if let Ok(v4) = candidate.parse::<Ipv4Addr>()
            && is_internal(IpAddr::V4(v4))
        {
            hits.push(Hit {
                start,
                end: start + candidate_len,
                class: Class::Address,
                key: v4.to_string(),
            });
        }
    }
    hits.sort_by_key(|hit| hit.start);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masker(users: &[&str], hosts: &[&str], domains: &[&str]) -> Masker {
        let mut needles = BTreeMap::new();
        for (names, class) in [
            (users, Class::User),
            (hosts, Class::Host),
            (domains, Class::Domain),
        ] {
            for name in names {
                needles.insert(name.to_string(), class);
            }
        }
        Masker::new(needles)
    }

    fn masked(masker: &mut Masker, text: &str) -> String {
        let mut text = text.to_string();
        masker.apply(&mut text);
        text
    }

    #[test]
    fn internal_addresses_are_the_private_ones() {
        for internal in [
            "10.1.2.3",
            "172.16.1.11",
            "172.31.255.255",
            "192.168.0.1",
            "127.0.0.1",
            "169.254.10.10",
            "::1",
            "fe80::1",
            "fd12:3456::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(internal.parse().unwrap()), "{internal}");
        }
        for public in [
            "192.0.2.7",
            "172.32.0.1",
            "8.8.8.8",
            "2001:db8::1",
            "11.0.0.1",
        ] {
            assert!(!is_internal(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn addresses_are_found_wherever_they_stand() {
        let mut m = masker(&[], &[], &[]);
        assert_eq!(
            masked(
                &mut m,
                "from mailhub (172.16.1.11), [10.0.0.5]:25, 10.0.0.5.1023, fe80::1%le0, 192.0.2.7"
            ),
            "from mailhub (internal-1), [internal-2]:25, internal-2.1023, internal-3%le0, 192.0.2.7"
        );
        // Times and version numbers are not addresses.
        assert_eq!(
            masked(&mut m, "Dec 31 23:59:59 sendmail 8.6.12 1.2.3"),
            "Dec 31 23:59:59 sendmail 8.6.12 1.2.3"
        );
        assert_eq!(masked(&mut m, "::ffff:172.16.1.11"), "internal-4");
    }

    #[test]
    fn names_are_replaced_as_whole_words_consistently() {
        let mut m = masker(&["tanaka", "sato"], &["mailhub"], &["example.ac.jp"]);
        assert_eq!(
            masked(
                &mut m,
                "Dec 30 mailhub login: FAILURE FROM x, tanaka; /home/sato/.forward; tanakas; Tanaka"
            ),
            "Dec 30 host-1 login: FAILURE FROM x, user-1; /home/user-2/.forward; tanakas; user-1"
        );
        assert_eq!(
            masked(
                &mut m,
                "<9612312359.AA07496@mailhub.example.ac.jp> relay=ns1.example.ac.jp"
            ),
            "<9612312359.AA07496@host-1.domain-1> relay=host-2.domain-1"
        );
        // Japanese puts names right against its punctuation and particles.
        assert_eq!(
            masked(
                &mut m,
                "アカウント（tanaka、sato）。「tanaka」さん: tanakaの"
            ),
            "アカウント（user-1、user-2）。「user-1」さん: user-1の"
        );
        assert_eq!(m.summary().users, 2);
        assert_eq!(m.summary().hosts, 2);
    }

    #[test]
    fn user_entries_are_names_unless_programs_or_files() {
        assert_eq!(user_name_in("tanaka"), Some("tanaka"));
        assert_eq!(user_name_in("tanaka@mailhub"), Some("tanaka"));
        assert_eq!(user_name_in("|/bin/sh"), None);
        assert_eq!(user_name_in("/etc/passwd"), None);
        assert!(is_system_account("ROOT"));
        assert!(!is_system_account("tanaka"));
    }
}
