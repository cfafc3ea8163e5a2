//! Password guessing, found in authentication events of every service at once.
//!
//! The advisory's third attack is a guesser at the TELNET or FTP prompt, and its step 5
//! asks whether a stolen or guessed password was then used. The parsers turn every
//! daemon's lines (and wtmp/btmp records) into [`AuthEvent`]s; this module reads only
//! events, so sshd, login(1), ftpd, POP/IMAP and su are judged by one set of rules:
//!
//! | code | finding | outcome, severity |
//! |---|---|---|
//! | LG001 | burst: `burst_failures` failures from one source within `burst_window_seconds` | attempted, high |
//! | LG002 | slow guessing: `slow_failures` or more from one source, never a burst | attempted, medium (high from 100) |
//! | LG003 | distributed: `distributed_sources` sources, none reported on its own, against one account within a day | attempted, high |
//! | LG004 | spraying: one source, `spray_accounts` accounts, neither burst nor slow | attempted, high |
//! | LG005 | success after failures: the guesser, or anyone new as the guessed account, got in | succeeded, critical |
//! | LG006 | root logged in from another host | exposure, medium |
//! | LG007 | account probing: a source that would be LG001, LG002 or LG004 but never tried a password (only `Invalid user`, `Failed none`) | attempted, medium |
//!
//! **One finding per source.** A source is a burst, else slow guessing, else a sprayer —
//! the first that applies — so a burst over forty accounts is one LG001 that lists them,
//! not an LG001 and an LG004. LG005 and LG006 come in addition: they say something else
//! (that it worked; that root logs in over the network).
//!
//! **Sources.** The source is the address or host name the parser took from the
//! message's grammar, as logged; a host name and its address are different sources
//! (kensa resolves nothing). su and sudo have no remote source: the one trying is the
//! local user who ran them, written `local:USER` (`local:suzuki6`) in findings. A login
//! failure with no remote host was typed at a terminal of the host, and that terminal is
//! its source, written `tty:TERMINAL` (`tty:tty1`, `tty:/dev/pts/3` from Solaris's
//! `loginlog`). Events without any (PAM's `authentication failure` with no `rhost=` and
//! no `tty=`) still count against their account.
//! PIDs play no part: a guesser reconnects, and each connection has a new one.
//!
//! **One try, one count.** A line that stands for several tries (`5 LOGIN FAILURES`,
//! `message repeated 3 times`) counts as that many; summary lines the parsers give a
//! count of 0 count as none; and Linux-PAM's `authentication failure;` line followed by
//! the daemon's own line for the same try (sshd, login, su log both) counts once.
//!
//! **Typos are not attacks.** A login after at most `typo_max_failures` (2) failures is
//! left alone when the failures came within `typo_seconds` of the login or the address
//! had logged in as that account before. More failures before a login — or any login by
//! a source already reported as a guesser — is LG005.
//!
//! **Account compromise from elsewhere.** When an account was guessed at by reported
//! sources (LG001–LG004), a first login as that account after the guessing began and
//! within `success_window_seconds` (an hour) of its end, from an address that had not
//! logged in to the host as anyone before the guessing began, is LG005 too: the password
//! may have been found by one address and used from another. The site's usual
//! workstations, trusted networks and su logins (which need a local account first) are
//! not counted there. This is deliberately narrow: on the generated corpora a looser
//! rule (any new address for the account, within a day) reported owners logging in from
//! their own workstations the morning after a burst.
//!
//! **Trusted networks** (`trusted_networks`) are never reported by LG001–LG004 or LG006
//! and do not count towards LG003; LG005 still reports a trusted source that failed more
//! than `typo_max_failures` times and then got in, unless `report_trusted_compromise` is
//! off.
//!
//! **Bounded memory.** Per-source and per-account state is capped (see `state`), and so
//! is the number of sources and accounts kept per detector: beyond `max_sources`
//! (`max_accounts`) the least recently seen tenth is finalised — reported now if it
//! already qualifies, otherwise counted in [`GuessingDetectors::forgotten`] — and dropped.
//! Findings beyond `max_findings` are counted in one summary finding per code and host.
//!
//! **Several files.** Each rotation set is read by its own instance, in file order
//! (events roughly in time order); [`GuessingDetectors::merge`] joins instances before
//! [`GuessingDetectors::finish`]. The same lines logged in two files are recognised and
//! counted once (see `state` on duplicates).

mod config;
pub mod lg001_burst;
pub mod lg002_slow;
pub mod lg003_distributed;
pub mod lg004_spraying;
pub mod lg005_success_after_failures;
pub mod lg006_remote_root_login;
pub mod lg007_account_probing;
mod state;

#[cfg(test)]
mod tests;

pub use config::{GuessingConfig, IpNetwork};

use crate::auth::{AuthEvent, Service};
use config::parse_address;
use kensa_core::{Evidence, Finding, Localized, LogTime, Rule, tr};
use state::{AccountState, SourceState, seconds_between};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The rules of this module, LG001–LG007.
pub static RULES: &[&Rule] = &[
    &lg001_burst::RULE,
    &lg002_slow::RULE,
    &lg003_distributed::RULE,
    &lg004_spraying::RULE,
    &lg005_success_after_failures::RULE,
    &lg006_remote_root_login::RULE,
    &lg007_account_probing::RULE,
];

/// Hosts itemised in the summary of findings beyond `max_findings`; the rest are summed
/// under `*`.
const MAX_OVERFLOW_HOSTS: usize = 1000;

/// What one source did, as far as the attempt rules are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// LG001.
    Burst,
    /// LG002.
    Slow,
    /// LG004.
    Spray,
}

/// The password-guessing detectors of one rotation set (or of several, once merged).
///
/// Incremental runs save the open state as JSON ([`GuessingDetectors::save_state`]):
/// everything but the thresholds (taken from the run that continues) and the findings
/// already made of evicted states (reported by the run that saved).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct GuessingDetectors {
    #[serde(skip)]
    config: GuessingConfig,
    /// Per `host \0 source`.
    sources: HashMap<Box<str>, SourceState>,
    /// Per `host \0 user`.
    accounts: HashMap<Box<str>, AccountState>,
    clock: u64,
    #[serde(skip)]
    key: String,
    /// Findings of evicted states.
    #[serde(skip)]
    evicted: Vec<Finding>,
    /// Findings beyond `max_findings`: (code, host) → (findings, events).
    #[serde(skip)]
    overflow: BTreeMap<(&'static str, Box<str>), (u64, u64)>,
    /// `host \0 source` of sources evicted with an attempt finding.
    reported: HashSet<Box<str>>,
    forgotten_sources: u64,
    forgotten_failures: u64,
    /// `host \0 name` → address, for sources logged by name whose address an event also
    /// gave ([`AuthEvent::address`]): joined at [`GuessingDetectors::finish`]. At most
    /// `max_sources`.
    #[serde(default)]
    aliases: BTreeMap<Box<str>, Box<str>>,
}

impl Default for GuessingDetectors {
    fn default() -> Self {
        GuessingDetectors::new(GuessingConfig::default())
    }
}

/// The key of the one trying: the address, else `local:USER` (su), else nothing.
fn attacker_key(event: &AuthEvent) -> Option<String> {
    if let Some(source) = event.source.as_deref().map(str::trim)
        && !source.is_empty()
    {
        return Some(source.to_string());
    }
    if let Some(local) = event.local_user.as_deref().map(str::trim)
        && !local.is_empty()
    {
        // login(1) names the terminal a password was typed at; su, the user who ran it.
        return Some(if event.service == Service::Login {
            format!("tty:{local}")
        } else {
            format!("local:{local}")
        });
    }
    None
}

fn state_key(buf: &mut String, host: &str, name: &str) {
    buf.clear();
    buf.push_str(state::cut(host, state::MAX_NAME_BYTES));
    buf.push('\0');
    buf.push_str(state::cut(name, state::MAX_NAME_BYTES));
}

impl GuessingDetectors {
    /// Detectors with these thresholds.
    pub fn new(config: GuessingConfig) -> Self {
        GuessingDetectors {
            config,
            sources: HashMap::new(),
            aliases: BTreeMap::new(),
            accounts: HashMap::new(),
            clock: 0,
            key: String::new(),
            evicted: Vec::new(),
            overflow: BTreeMap::new(),
            reported: HashSet::new(),
            forgotten_sources: 0,
            forgotten_failures: 0,
        }
    }

    /// The open state as JSON, for an incremental run to save before [`Self::finish`].
    pub fn save_state(&self) -> Option<String> {
        serde_json::to_string(self).ok()
    }

    /// Detectors that continue from a state [`Self::save_state`] gave, with these
    /// thresholds.
    pub fn restore_state(state: &str, config: GuessingConfig) -> Result<Self, String> {
        let mut restored: GuessingDetectors =
            serde_json::from_str(state).map_err(|e| e.to_string())?;
        restored.config = config;
        Ok(restored)
    }

    /// The thresholds in use.
    pub fn config(&self) -> &GuessingConfig {
        &self.config
    }

    /// Sources dropped by the state cap without a finding, and the failures they had
    /// made: worth a diagnostic when not zero (a raised `max_sources` would keep them).
    pub fn forgotten(&self) -> (u64, u64) {
        (self.forgotten_sources, self.forgotten_failures)
    }

    /// One authentication event. Events arrive roughly in time order per host (a
    /// rotation set read oldest first); a few seconds out of order do not matter.
    pub fn observe(&mut self, event: &AuthEvent) {
        let failure = event.outcome.is_failure();
        if !failure && !event.outcome.is_success() {
            // Refused before any password: not a guess.
            return;
        }
        self.clock += 1;
        let tick = self.clock;
        let attacker = attacker_key(event);
        if let (Some(name), Some(address)) = (attacker.as_deref(), event.address.as_deref())
            && name != address
            && self.aliases.len() < self.config.max_sources.max(1)
        {
            state_key(&mut self.key, &event.host, name);
            if !self.aliases.contains_key(self.key.as_str()) {
                self.aliases.insert(
                    self.key.as_str().into(),
                    state::cut(address, state::MAX_NAME_BYTES).into(),
                );
            }
        }
        let mut count = u64::from(event.count);
        if let Some(attacker) = attacker.as_deref() {
            state_key(&mut self.key, &event.host, attacker);
            let state = match self.sources.get_mut(self.key.as_str()) {
                Some(state) => state,
                None => {
                    self.make_room_for_source();
                    self.sources
                        .entry(self.key.as_str().into())
                        .or_insert_with(|| SourceState::new(&event.host, attacker))
                }
            };
            state.tick = tick;
            if failure {
                count = state.on_failure(event, &self.config);
            } else {
                state.on_success(event, &self.config);
            }
        }
        let Some(user) = event.user.as_deref() else {
            return;
        };
        if !failure && attacker.is_none() {
            return;
        }
        state_key(&mut self.key, &event.host, user);
        let account = match self.accounts.get_mut(self.key.as_str()) {
            Some(account) => account,
            None => {
                self.make_room_for_account();
                self.accounts
                    .entry(self.key.as_str().into())
                    .or_insert_with(|| AccountState::new(&event.host, user))
            }
        };
        account.tick = tick;
        match (failure, attacker.as_deref()) {
            (true, attacker) => account.on_failure(attacker, event, count),
            (false, Some(attacker)) => account.on_success(attacker, event),
            (false, None) => {}
        }
    }

    /// Takes in the state of another instance that read other files. The same event
    /// logged in both (mail lines in `maillog` and `syslog`) is counted once.
    pub fn merge(&mut self, other: GuessingDetectors) {
        self.clock = self.clock.max(other.clock);
        for (key, state) in other.sources {
            match self.sources.get_mut(&key) {
                Some(mine) => mine.merge(state),
                None => {
                    self.sources.insert(key, state);
                }
            }
        }
        for (key, state) in other.accounts {
            match self.accounts.get_mut(&key) {
                Some(mine) => mine.merge(state),
                None => {
                    self.accounts.insert(key, state);
                }
            }
        }
        for finding in other.evicted {
            self.keep_evicted(finding);
        }
        for (key, (findings, events)) in other.overflow {
            let entry = self.overflow.entry(key).or_insert((0, 0));
            entry.0 = entry.0.saturating_add(findings);
            entry.1 = entry.1.saturating_add(events);
        }
        self.reported.extend(other.reported);
        self.forgotten_sources = self
            .forgotten_sources
            .saturating_add(other.forgotten_sources);
        self.forgotten_failures = self
            .forgotten_failures
            .saturating_add(other.forgotten_failures);
        for (name, address) in other.aliases {
            if self.aliases.len() < self.config.max_sources.max(1) {
                self.aliases.entry(name).or_insert(address);
            }
        }
        while self.sources.len() > self.config.max_sources.max(1) {
            self.evict_sources();
        }
        while self.accounts.len() > self.config.max_accounts.max(1) {
            self.evict_accounts();
        }
    }

    /// Joins the detectors of a second witness of the same tries: login records
    /// (`btmp`), whose failures the daemons also log. Where the logs already hold a
    /// source's failures over the same service in a span that holds the records', the
    /// records' count of them is left out — the logs say more: sshd writes a `btmp`
    /// record for an invalid user before any password is tried (one record more per
    /// connection than there were tries), and only the logs tell an account probe from
    /// a guess. Where the logs hold nothing of it (rotated away, wiped), the records
    /// count as any other witness. Their logins are always taken.
    pub fn merge_second_witness(&mut self, mut other: GuessingDetectors) {
        for (key, state) in other.sources.iter_mut() {
            if self
                .sources
                .get(key)
                .is_some_and(|mine| mine.witnessed(state))
            {
                state.drop_failures();
            }
        }
        for (key, state) in other.accounts.iter_mut() {
            if let Some(mine) = self.accounts.get(key) {
                state.drop_witnessed(mine);
            }
        }
        self.merge(other);
    }

    /// Joins each source logged by name to the address an event gave for it (telnetd
    /// hands login `localhost` for 127.0.0.1, which login's lines carry while the audit
    /// record and btmp also hold the address): one attacker, one source — the address,
    /// with the name's lines among its evidence — and a try logged by both ways counts
    /// once.
    fn join_aliases(&mut self) {
        let mut address_key = String::new();
        for (name_key, address) in std::mem::take(&mut self.aliases) {
            let Some((host, name)) = name_key.split_once('\0') else {
                continue;
            };
            if let Some(mut state) = self.sources.remove(&*name_key) {
                state.source = address.clone();
                state_key(&mut address_key, host, &address);
                match self.sources.get_mut(address_key.as_str()) {
                    Some(mine) => mine.merge(state),
                    None => {
                        self.sources.insert(address_key.as_str().into(), state);
                    }
                }
            }
            for account in self.accounts.values_mut() {
                if &*account.host == host {
                    account.rename_source(name, &address);
                }
            }
        }
    }

    /// All findings, deterministic whatever the order of merges.
    pub fn finish(mut self) -> Vec<Finding> {
        self.join_aliases();
        let config = self.config.clone();
        let mut findings = std::mem::take(&mut self.evicted);
        // Each state is dropped as soon as its findings are made, keeping only what the
        // account rules need of it: memory falls while findings grow.
        let mut facts: HashMap<Box<str>, (bool, Option<LogTime>)> = self
            .reported
            .drain()
            .map(|key| (key, (true, None)))
            .collect();
        let mut keys: Vec<Box<str>> = self.sources.keys().cloned().collect();
        keys.sort_unstable();
        for key in keys {
            let Some(state) = self.sources.remove(&key) else {
                continue;
            };
            let (pattern, mut found) = source_findings(&state, &config);
            findings.append(&mut found);
            let reported = pattern.is_some() || facts.get(&key).is_some_and(|f| f.0);
            facts.insert(key, (reported, state.first_login()));
        }
        self.sources = HashMap::new();
        let mut keys: Vec<Box<str>> = self.accounts.keys().cloned().collect();
        keys.sort_unstable();
        let mut key_buf = String::new();
        for key in keys {
            let Some(account) = self.accounts.remove(&key) else {
                continue;
            };
            let mut lookup = |source: &str| {
                state_key(&mut key_buf, &account.host, source);
                facts
                    .get(key_buf.as_str())
                    .copied()
                    .unwrap_or((false, None))
            };
            findings.append(&mut account_findings(&account, &config, &mut lookup));
        }
        for ((code, host), (count, events)) in std::mem::take(&mut self.overflow) {
            if let Some(rule) = RULES.iter().find(|r| r.code == code) {
                findings.push(overflow_finding(rule, &host, count, events));
            }
        }
        combine(findings)
    }

    fn keep_evicted(&mut self, finding: Finding) {
        if self.evicted.len() < self.config.max_findings {
            self.evicted.push(finding);
            return;
        }
        let host: Box<str> = if self.overflow.len() < MAX_OVERFLOW_HOSTS
            || self
                .overflow
                .contains_key(&(finding.code, finding.host.as_str().into()))
        {
            finding.host.as_str().into()
        } else {
            "*".into()
        };
        let entry = self.overflow.entry((finding.code, host)).or_insert((0, 0));
        entry.0 = entry.0.saturating_add(1);
        entry.1 = entry.1.saturating_add(finding.count);
    }

    fn make_room_for_source(&mut self) {
        if self.sources.len() >= self.config.max_sources.max(1) {
            self.evict_sources();
        }
    }

    fn make_room_for_account(&mut self) {
        if self.accounts.len() >= self.config.max_accounts.max(1) {
            self.evict_accounts();
        }
    }

    /// Finalises and drops the least recently seen tenth of the sources. One selection
    /// over the ticks per tenth of the cap keeps eviction amortised O(1) per new source,
    /// and no key is copied to do it.
    fn evict_sources(&mut self) {
        let Some(threshold) = eviction_threshold(self.sources.values().map(|s| s.tick)) else {
            return;
        };
        let evicted: Vec<(Box<str>, SourceState)> = self
            .sources
            .extract_if(|_, state| state.tick <= threshold)
            .collect();
        for (key, state) in evicted {
            let (pattern, found) = source_findings(&state, &self.config);
            if pattern.is_some() {
                // The accounts it tried remember that it was reported (LG003 must not
                // count it); the set covers accounts beyond the names kept.
                // (Not `self.key`: the caller holds the key of the source to insert.)
                let mut account_key = String::new();
                for user in &state.users.names {
                    state_key(&mut account_key, &state.host, user);
                    if let Some(account) = self.accounts.get_mut(account_key.as_str()) {
                        account.mark_reported(&state.source);
                    }
                }
                if self.reported.len() < self.config.max_findings {
                    self.reported.insert(key);
                }
            }
            if found.is_empty() {
                self.forgotten_sources = self.forgotten_sources.saturating_add(1);
                self.forgotten_failures = self.forgotten_failures.saturating_add(state.failures());
            }
            for finding in found {
                self.keep_evicted(finding);
            }
        }
    }

    fn evict_accounts(&mut self) {
        let Some(threshold) = eviction_threshold(self.accounts.values().map(|a| a.tick)) else {
            return;
        };
        let evicted: Vec<AccountState> = self
            .accounts
            .extract_if(|_, account| account.tick <= threshold)
            .map(|(_, account)| account)
            .collect();
        let mut key_buf = String::new();
        for account in evicted {
            let sources = &self.sources;
            let reported = &self.reported;
            let config = &self.config;
            let mut lookup = |source: &str| {
                state_key(&mut key_buf, &account.host, source);
                let state = sources.get(key_buf.as_str());
                (
                    reported.contains(key_buf.as_str())
                        || state.is_some_and(|s| classify(s, config).is_some()),
                    state.and_then(SourceState::first_login),
                )
            };
            let found = account_findings(&account, config, &mut lookup);
            for finding in found {
                self.keep_evicted(finding);
            }
        }
    }
}

/// The tick at or below which the least recently seen tenth (at least one) of the
/// states lies; ticks are unique, so exactly that many are evicted.
fn eviction_threshold(ticks: impl Iterator<Item = u64>) -> Option<u64> {
    let mut ticks: Vec<u64> = ticks.collect();
    let drop = (ticks.len() / 10).max(1);
    if ticks.is_empty() {
        return None;
    }
    let (_, nth, _) = ticks.select_nth_unstable(drop - 1);
    Some(*nth)
}

/// What a source did: burst, else slow, else spraying (see the module notes).
pub(crate) fn classify(state: &SourceState, config: &GuessingConfig) -> Option<Pattern> {
    let failures = state.failures().saturating_sub(state.forgiven);
    if failures == 0 {
        return None;
    }
    if state.burst.is_some() {
        return Some(Pattern::Burst);
    }
    let span = seconds_between(state.first_failure(), state.last_failure());
    let span = u64::try_from(span).unwrap_or(0);
    if stale_password(state) {
        return None;
    }
    if failures >= u64::from(config.slow_failures.max(1)) && span >= config.slow_min_span_seconds {
        return Some(Pattern::Slow);
    }
    let accounts = u64::from(config.spray_accounts.max(2));
    if state.users.distinct() >= accounts
        && failures >= accounts
        && span <= config.spray_window_seconds
    {
        return Some(Pattern::Spray);
    }
    None
}

/// A mail client or script with an old password: every failure from the source was for
/// one account, which had logged in from there before the first failure. That is the
/// account's own machine retrying, not a guesser, unless it comes in a burst.
fn stale_password(state: &SourceState) -> bool {
    let [only] = state.users.names.as_slice() else {
        return false;
    };
    state.users.distinct() == 1 && state.good_users.iter().any(|(user, first)| {
        user == only
            && matches!((first, state.first_failure()), (Some(ok), Some(failed)) if *ok < failed)
    })
}

/// Whether the source may be reported by the attempt rules and LG006.
fn reportable(state: &SourceState, config: &GuessingConfig) -> bool {
    state.is_local() || !config.is_trusted(&state.source)
}

/// The findings about one source: its attempt finding, LG005 and LG006.
fn source_findings(
    state: &SourceState,
    config: &GuessingConfig,
) -> (Option<Pattern>, Vec<Finding>) {
    let mut findings = Vec::new();
    let pattern = classify(state, config);
    let reportable = reportable(state, config);
    let pattern = pattern.filter(|_| reportable);
    match pattern {
        // Accounts named and nothing tried: enumeration, whatever its pace.
        Some(_) if state.only_probed() => findings.push(lg007_account_probing::finding(state)),
        Some(Pattern::Burst) => findings.push(lg001_burst::finding(state, config)),
        Some(Pattern::Slow) => findings.push(lg002_slow::finding(state)),
        Some(Pattern::Spray) => findings.push(lg004_spraying::finding(state)),
        None => {}
    }
    if let Some(finding) = lg005_success_after_failures::same_source(state, config, pattern) {
        findings.push(finding);
    }
    if reportable
        && state.root_logins > 0
        && !state.is_local()
        && !parse_address(&state.source).is_some_and(|a| a.is_loopback())
        && state.source.as_ref() != "localhost"
    {
        findings.push(lg006_remote_root_login::finding(state));
    }
    (pattern, findings)
}

/// What the account rules need to know about a source: whether it is reported as a
/// guesser on its own, and its first login to the host as anyone.
type SourceLookup<'a> = dyn FnMut(&str) -> (bool, Option<LogTime>) + 'a;

/// The findings about one account: LG003 and LG005 (another source got in).
fn account_findings(
    account: &AccountState,
    config: &GuessingConfig,
    lookup: &mut SourceLookup<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let attackers: Vec<bool> = account
        .sources
        .iter()
        .map(|s| s.reported || lookup(&s.source).0)
        .collect();
    let distributed = lg003_distributed::finding(account, config, &attackers);
    let participants: Vec<bool> = match &distributed {
        Some((_, eligible)) => attackers
            .iter()
            .zip(eligible)
            .map(|(a, e)| *a || *e)
            .collect(),
        None => attackers.clone(),
    };
    if let Some((finding, _)) = distributed {
        findings.push(finding);
    }
    findings.extend(lg005_success_after_failures::other_source(
        account,
        config,
        &attackers,
        &participants,
        lookup,
    ));
    findings
}

/// The summary of findings beyond the cap.
fn overflow_finding(rule: &'static Rule, host: &str, count: u64, events: u64) -> Finding {
    let mut finding = Finding::new(rule, host);
    let code = rule.code;
    finding.set_title(tr!(
        "{count} more {code} findings on {host} (kensa's finding cap), {events} events in all",
        "{host} の {code} の検出がほかに {count} 件あります（kensa が個別に報告する件数の上限\
         を超えた分）。イベントは計 {events} 件です",
    ));
    finding.count = events;
    finding.merge_key = format!("{}|{host}|overflow", rule.code);
    finding
}

/// Joins findings with the same code and merge key (a source evicted early in one
/// instance and reported again at the end of another), then orders them.
fn combine(findings: Vec<Finding>) -> Vec<Finding> {
    let mut by_key: BTreeMap<(&'static str, String), Finding> = BTreeMap::new();
    for finding in findings {
        let key = (finding.code, finding.merge_key.clone());
        match by_key.get_mut(&key) {
            Some(mine) => {
                let users = finding.subject.users.clone();
                let (first, last) = (finding.first_seen, finding.last_seen);
                // Disjoint spans are different events (a source evicted, then seen
                // again): their counts add up. Overlapping ones are copies: the larger
                // stands (`absorb`).
                let disjoint = matches!(
                    (mine.first_seen, mine.last_seen, first, last),
                    (Some(a0), Some(a1), Some(b0), Some(b1)) if a1 < b0 || b1 < a0
                );
                let total = mine.count.saturating_add(finding.count);
                mine.absorb(finding);
                if disjoint {
                    mine.count = total;
                }
                for user in users {
                    if mine.subject.users.len() < state::MAX_NAMES
                        && !mine.subject.users.contains(&user)
                    {
                        mine.subject.users.push(user);
                    }
                }
                mine.first_seen = min_opt(mine.first_seen, first);
                mine.last_seen = max_opt(mine.last_seen, last);
            }
            None => {
                by_key.insert(key, finding);
            }
        }
    }
    let mut out: Vec<Finding> = by_key.into_values().collect();
    out.sort_by(|a, b| {
        a.host
            .cmp(&b.host)
            .then(a.first_seen.cmp(&b.first_seen))
            .then(a.code.cmp(b.code))
            .then_with(|| a.merge_key.cmp(&b.merge_key))
    });
    out
}

fn min_opt(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_opt(a: Option<LogTime>, b: Option<LogTime>) -> Option<LogTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

// ---- shared wording and assembly of findings -------------------------------------

/// `ssh`, `ssh and ftp`, `ssh, ftp and pop` (`ssh、ftp、pop`).
pub(crate) fn services_text(services: &[Service]) -> Localized {
    let mut names: Vec<&str> = services.iter().map(|s| s.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => tr!("an unknown service", "不明なサービス"),
        [one] => tr!("{one}", "{one}"),
        [rest @ .., last] => {
            let (list_en, list_ja) = (rest.join(", "), names.join("、"));
            tr!("{list_en} and {last}", "{list_ja}")
        }
    }
}

/// `45 s`, `7 min`, `3 h`, `2.5 days` (`45 秒`, `7 分`, `3 時間`, `2.5 日`).
pub(crate) fn span_text(seconds: i64) -> Localized {
    let seconds = seconds.max(0);
    if seconds < 120 {
        tr!("{seconds} s", "{seconds} 秒")
    } else if seconds < 2 * 3600 {
        let minutes = seconds / 60;
        tr!("{minutes} min", "{minutes} 分")
    } else if seconds < 2 * 86_400 {
        let hours = seconds / 3600;
        tr!("{hours} h", "{hours} 時間")
    } else {
        let days = seconds as f64 / 86_400.0;
        tr!("{days:.1} days", "{days:.1} 日")
    }
}

/// `3 accounts`, `1 account`, `about 140 accounts`; `accounts the log does not name`
/// when no line named one (SunOS `REPEATED LOGIN FAILURES`, PAM lines without `user=`).
/// The Japanese starts with a word, never a digit (`アカウント 3 件`), so that it reads
/// well straight after a particle.
pub(crate) fn accounts_text(listed: usize, distinct: u64) -> Localized {
    if distinct == 0 {
        tr!(
            "accounts the log does not name",
            "ログに名前の出ないアカウント"
        )
    } else if distinct > listed as u64 {
        tr!(
            "about {distinct} accounts ({listed} listed)",
            "アカウント約 {distinct} 件（うち {listed} 件を列挙）"
        )
    } else if distinct == 1 {
        tr!("1 account", "アカウント 1 件")
    } else {
        tr!("{distinct} accounts", "アカウント {distinct} 件")
    }
}

/// How a source is named in titles.
pub(crate) fn source_text(source: &str) -> Localized {
    if let Some(user) = source.strip_prefix("local:") {
        tr!("local user {user}", "ローカル利用者 {user}")
    } else if let Some(tty) = source.strip_prefix("tty:") {
        tr!("terminal {tty}", "端末 {tty}")
    } else {
        tr!("{source}", "{source}")
    }
}

/// A finding about one source with its accounts, span and edge lines.
pub(crate) fn source_finding(
    rule: &'static Rule,
    state: &SourceState,
    title: Localized,
    extra: &[Evidence],
) -> Finding {
    let mut finding = Finding::new(rule, state.host.as_ref());
    finding.set_title(title);
    finding.subject.source = Some(state.source.to_string());
    // Sorted: the first-seen order would depend on which file was read first.
    finding.subject.users = state.users.names.iter().map(|n| n.to_string()).collect();
    finding.subject.users.sort();
    finding.count = state.failures();
    finding.first_seen = state.first_failure();
    finding.last_seen = state.last_failure();
    for line in state.first_lines.iter().chain(state.last_lines.iter()) {
        finding.push_evidence(line.clone());
    }
    for line in extra {
        finding.push_evidence(line.clone());
    }
    finding
        .evidence
        .sort_by(|a, b| a.time.cmp(&b.time).then(a.line.cmp(&b.line)));
    finding.merge_key = format!("{}|{}|{}", rule.code, state.host, state.source);
    finding
}

/// The services, source, accounts and time span of one source's failures, each as
/// (English, Japanese), for the titles of LG001, LG002 and LG004.
pub(crate) fn source_pieces(state: &SourceState) -> [(String, String); 4] {
    [
        services_text(&state.services()),
        source_text(&state.source),
        accounts_text(state.users.names.len(), state.users.distinct()),
        span_text(seconds_between(state.first_failure(), state.last_failure())),
    ]
    .map(kensa_core::Localized::into_parts)
}
