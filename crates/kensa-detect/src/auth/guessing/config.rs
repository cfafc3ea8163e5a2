//! The thresholds of the password-guessing detectors, as the `[guessing]` section of
//! `kensa.toml` gives them.
//!
//! Every threshold is a trade between missing a patient attacker and reporting a user
//! who cannot type. The defaults follow the rule sets that have been tuned on real
//! traffic for decades — Wazuh/OSSEC's sshd, vsftpd, proftpd, pure-ftpd, dovecot and
//! imapd rules all fire on **8 failures from one address** within 120 s (rules 5712,
//! 5763, 11451, 11251, 11306, 9750, 3651) or 360 s (sshd 5720) — and the advisory's own
//! case: a TELNET or FTP guesser on a 1996 host, who makes a few tries per connection,
//! slowed by login(1)'s delays, and may come back over days. kensa takes 8 in 360 s. Times are whole seconds so the file stays plain TOML (`burst_window_seconds =
//! 360`). A field left out of the file keeps its default (`#[serde(default)]`).
//!
//! The caps at the end bound the detectors' memory whatever the input: the detectors are
//! fed by logs an attacker writes, and ten million failures from a million addresses must
//! not need more than a few hundred megabytes.

use serde::Deserialize;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// Thresholds, the trusted networks and the state caps of the guessing detectors.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuessingConfig {
    /// LG001: this many failures from one source ...
    /// Default 8, Wazuh's `frequency="8"` of sshd 5712/5763 (Wazuh fires on the 8th).
    pub burst_failures: u32,
    /// ... within this many seconds is a burst. Default 360: Wazuh's sshd 5720 window
    /// (its default timeframe); its 5712/5763 use 120 s, which fits sshd but not login(1),
    /// telnetd and su, whose delays after a wrong password hold a script to 8 tries in
    /// two to five minutes (see LG001).
    pub burst_window_seconds: u64,
    /// LG002: at least this many failures from one source that never made a burst ...
    /// Default 10.
    pub slow_failures: u32,
    /// ... spread over at least this many seconds (first to last failure) is slow
    /// guessing. Default 300: below the burst window, so that every run of
    /// `slow_failures` failures is either a burst or slow guessing and nothing falls
    /// between the two. Raise it (say to 3600) to report only guessing over hours.
    pub slow_min_span_seconds: u64,
    /// LG003: this many distinct sources, none reported on its own, failing against one
    /// account ... Default 10.
    pub distributed_sources: u32,
    /// ... within this many seconds is distributed guessing. Default 86400 (a day).
    pub distributed_window_seconds: u64,
    /// LG004: one source failing for this many distinct accounts (and not a burst or slow
    /// guessing, which are reported first) ... Default 5.
    pub spray_accounts: u32,
    /// ... between its first and last failure at most this many seconds apart is
    /// password spraying. Default 86400: a NAT gateway whose users each mistype once a
    /// week is not a sprayer.
    pub spray_window_seconds: u64,
    /// LG005: a success at most this many seconds after the last failure before it
    /// (same source), or after the last guess at the account (another source), counts
    /// as a success *after* the failures. Default 3600: Wazuh's 40112 takes 240 s after
    /// a brute-force alert, which a slow guesser (a try every half hour) would escape;
    /// much longer and an account's owner logging in the next morning looks like the
    /// guesser's success.
    pub success_window_seconds: u64,
    /// A success after at most this many failures is a typo, not an attack, when every
    /// failure was for the account that got in and the source either had logged in as
    /// that account before or got in within [`typo_seconds`](Self::typo_seconds).
    /// More failures than this before a success is LG005. Default 2.
    pub typo_max_failures: u32,
    /// See [`typo_max_failures`](Self::typo_max_failures). Default 120.
    pub typo_seconds: u64,
    /// Sources in these networks are never reported by LG001–LG004 and LG006 and do not
    /// count towards LG003; their logins make an address "usual" for an account.
    /// Written as `"192.0.2.0/24"`, `"2001:db8::/32"` or a single address.
    /// Default: none (loopback addresses are always left out of LG006).
    pub trusted_networks: Vec<IpNetwork>,
    /// Whether a trusted source that failed more than
    /// [`typo_max_failures`](Self::typo_max_failures) times and then logged in is still
    /// reported as LG005. Default true: an internal host that guesses a password and gets
    /// in is how an intrusion spreads, and missing that costs more than one line of noise.
    pub report_trusted_compromise: bool,
    /// Sources (of all hosts together) whose state is kept at once by one detector
    /// instance; beyond this the least recently seen tenth is finalised (reported if it
    /// already qualifies, otherwise counted as forgotten) and dropped. Default 20 000;
    /// with every cap full the detectors stay under 200 MiB
    /// (`examples/guessing_memory.rs`: 10 million failures from a million sources).
    pub max_sources: usize,
    /// Accounts (of all hosts together) whose state is kept at once, evicted the same
    /// way. Default 10 000.
    pub max_accounts: usize,
    /// Findings kept per detector instance before further ones are only counted (in one
    /// summary finding per code). Default 10 000.
    pub max_findings: usize,
}

impl Default for GuessingConfig {
    fn default() -> Self {
        GuessingConfig {
            burst_failures: 8,
            burst_window_seconds: 360,
            slow_failures: 10,
            slow_min_span_seconds: 300,
            distributed_sources: 10,
            distributed_window_seconds: 86_400,
            spray_accounts: 5,
            spray_window_seconds: 86_400,
            success_window_seconds: 3600,
            typo_max_failures: 2,
            typo_seconds: 120,
            trusted_networks: Vec::new(),
            report_trusted_compromise: true,
            max_sources: 20_000,
            max_accounts: 10_000,
            max_findings: 10_000,
        }
    }
}

impl GuessingConfig {
    /// Whether `source` (an address as logged) lies in a trusted network. Host names
    /// are never trusted: kensa does not resolve names from the audited host's logs.
    pub fn is_trusted(&self, source: &str) -> bool {
        if self.trusted_networks.is_empty() {
            return false;
        }
        match parse_address(source) {
            Some(addr) => self.trusted_networks.iter().any(|net| net.contains(addr)),
            None => false,
        }
    }
}

/// Parses an address as logged: `192.0.2.7`, `2001:db8::1`, `[192.0.2.7]`, `::ffff:192.0.2.7`.
pub(crate) fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim_start_matches('[').trim_end_matches(']');
    let addr: IpAddr = text.parse().ok()?;
    Some(match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
        IpAddr::V4(_) => addr,
    })
}

/// An IPv4 or IPv6 network, `address/prefix`. Written here rather than taken from a
/// crate: a prefix match is a dozen lines, and kensa keeps its dependencies few.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    /// The network of `address` with the first `prefix` bits significant; `None` when the
    /// prefix is longer than the address.
    pub fn new(address: IpAddr, prefix: u8) -> Option<IpNetwork> {
        let max = if address.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(IpNetwork { address, prefix })
    }

    /// Whether `addr` is in this network (an IPv4 address never is in an IPv6 one).
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.address, addr) {
            (IpAddr::V4(net), IpAddr::V4(addr)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(addr) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(addr)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(addr) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNetwork {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{text:?} is not a network (expected e.g. 192.0.2.0/24)");
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = addr.trim().parse().map_err(|_| bad())?;
        let prefix = match prefix {
            Some(prefix) => prefix.trim().parse::<u8>().map_err(|_| bad())?,
            None if address.is_ipv4() => 32,
            None => 128,
        };
        IpNetwork::new(address, prefix).ok_or_else(bad)
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

impl<'de> Deserialize<'de> for IpNetwork {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
