//! The host a root's own logs name, for roots that do not name themselves.
//!
//! Records without a host — wtmp, btmp and lastlog, xferlog, vsftpd's log, audit logs
//! without `node=` — belong to the audited machine. When the root holds no
//! `etc/hostname` (an extracted collection, a partial copy), the machine's name is the
//! one its syslog lines and journal entries carry; a name made from the directory would
//! split one machine into two hosts, each with half of the story (the failures in
//! `auth.log`, the logins in `wtmp`).
//!
//! A central log host's files name many hosts; there the machine cannot be told from
//! the hosts that forward to it, and no name is chosen: [`named_by_logs`] answers only
//! when one name holds at least [`DOMINANT_SHARE_PERCENT`] of the lines sampled.
//!
//! Sampling is bounded: the first [`SAMPLE_BYTES`] (decompressed) of the newest file
//! of each text set, and of each set's newest journal file the entries of its last
//! [`JOURNAL_SAMPLE_SECONDS`] (at most [`JOURNAL_SAMPLE_ENTRIES`] counted): the
//! first entries of a boot may carry `localhost`, set before the host name is.

use crate::decode;
use crate::journal::{self, HEADER_SIZE_MAX_KNOWN, Header};
use crate::source::{LogFormat, LogSet};
use crate::syslog;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

/// Bytes read from the head of each text set's newest file.
pub const SAMPLE_BYTES: u64 = 256 * 1024;
/// The span at the end of a journal file whose entries are sampled.
pub const JOURNAL_SAMPLE_SECONDS: u64 = 3600;
/// Entries counted per journal file.
pub const JOURNAL_SAMPLE_ENTRIES: u64 = 10_000;
/// The share of sampled lines one name must hold to be the machine's.
pub const DOMINANT_SHARE_PERCENT: u64 = 95;
/// Distinct names counted; past it the sample is a central log's, and no name is chosen.
const MAX_NAMES: usize = 256;
/// Longest name taken (a DNS label is at most 63 bytes, a full name 253).
const MAX_NAME_BYTES: usize = 253;

/// The host the logs of `sets` name, when one name dominates them.
pub fn named_by_logs(sets: &[LogSet]) -> Option<String> {
    let mut tally = Tally::default();
    for set in sets {
        let Some(newest) = set.files.last() else {
            continue;
        };
        match set.format {
            LogFormat::Text => sample_text(&newest.location, &mut tally),
            LogFormat::Journal => sample_journal(&newest.location, &mut tally),
            LogFormat::Audit => {}
        }
    }
    tally.dominant()
}

#[derive(Default)]
struct Tally {
    names: HashMap<Vec<u8>, u64>,
    lines: u64,
    too_many: bool,
}

impl Tally {
    fn add(&mut self, name: &[u8]) {
        if name.is_empty()
            || name.len() > MAX_NAME_BYTES
            || !name
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return;
        }
        self.lines += 1;
        if let Some(count) = self.names.get_mut(name) {
            *count += 1;
        } else if self.names.len() < MAX_NAMES {
            self.names.insert(name.to_vec(), 1);
        } else {
            self.too_many = true;
        }
    }

    fn dominant(&self) -> Option<String> {
        if self.too_many || self.lines == 0 {
            return None;
        }
        let (name, count) = self
            .names
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
        (count.saturating_mul(100) >= self.lines.saturating_mul(DOMINANT_SHARE_PERCENT))
            .then(|| String::from_utf8_lossy(name).into_owned())
    }
}

fn sample_text(location: &kensa_fs::Location, tally: &mut Tally) {
    let Ok(decoded) = decode::open(location) else {
        // The scan reads the file again and says why it cannot.
        return;
    };
    let mut reader = BufReader::new(decoded.reader.take(SAMPLE_BYTES));
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if let Some(host) = syslog::parse(&line).and_then(|header| header.host) {
            tally.add(host);
        }
    }
}

fn sample_journal(location: &kensa_fs::Location, tally: &mut Tally) {
    let Ok(file) = location.open() else {
        return;
    };
    let mut head = [0u8; HEADER_SIZE_MAX_KNOWN as usize];
    let Ok(n) = file.read_at(&mut head, 0) else {
        return;
    };
    // A compressed (archived by hand) journal is left to the scan.
    let Some(header) = head.get(..n).and_then(|h| Header::parse(h).ok()) else {
        return;
    };
    let options = journal::Options {
        since: Some(
            header
                .tail_entry_realtime
                .saturating_sub(JOURNAL_SAMPLE_SECONDS * 1_000_000),
        ),
        ..journal::Options::default()
    };
    let mut counted = 0u64;
    journal::read(&file, &options, &mut |entry| {
        if counted < JOURNAL_SAMPLE_ENTRIES
            && let Some(host) = entry.field(b"_HOSTNAME")
        {
            counted += 1;
            tally.add(host);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(lines: &[(&str, u64)]) -> Option<String> {
        let mut tally = Tally::default();
        for (name, times) in lines {
            for _ in 0..*times {
                tally.add(name.as_bytes());
            }
        }
        tally.dominant()
    }

    #[test]
    fn one_name_is_the_machine_and_many_are_a_central_log() {
        assert_eq!(tally(&[("vm", 40)]).as_deref(), Some("vm"));
        // A stray forwarded line does not make it a central log.
        assert_eq!(tally(&[("vm", 99), ("ws01", 1)]).as_deref(), Some("vm"));
        assert_eq!(tally(&[("loghost", 50), ("ws01", 30), ("ws02", 20)]), None);
        assert_eq!(tally(&[]), None);
        // Names no host has are not counted.
        assert_eq!(
            tally(&[("vm", 3), ("a b", 50), ("\u{1b}[31m", 50)]).as_deref(),
            Some("vm")
        );
        let mut many = Tally::default();
        for n in 0..(MAX_NAMES + 10) {
            many.add(format!("h{n}").as_bytes());
        }
        assert_eq!(many.dominant(), None);
    }
}
