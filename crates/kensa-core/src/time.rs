//! A point in time as a log line stated it: an instant plus the UTC offset in force
//! where it was logged, so reports can print the audited host's local time
//! (`1996-12-31T23:59:59+09:00`) rather than the analyst's.

use jiff::Timestamp;
use jiff::tz::Offset;
use serde::{Serialize, Serializer};
use std::fmt;

/// An instant and the offset of the audited host's local time at that instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogTime {
    /// The instant.
    pub instant: Timestamp,
    /// The UTC offset of the host's local time at `instant`.
    pub offset: Offset,
}

impl LogTime {
    /// A time from an instant and an offset.
    pub fn new(instant: Timestamp, offset: Offset) -> LogTime {
        LogTime { instant, offset }
    }

    /// Seconds since the Unix epoch (for windows and ordering).
    pub fn epoch_seconds(&self) -> i64 {
        self.instant.as_second()
    }
}

impl PartialOrd for LogTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for LogTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant
            .cmp(&other.instant)
            .then(self.offset.seconds().cmp(&other.offset.seconds()))
    }
}

impl fmt::Display for LogTime {
    /// RFC 3339 with the local offset, whole seconds unless the log had fractions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.instant.display_with_offset(self.offset))
    }
}

impl Serialize for LogTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_rfc3339_with_the_local_offset() {
        let instant: Timestamp = "1996-12-31T14:59:59Z".parse().unwrap();
        let t = LogTime::new(instant, Offset::from_hours(9).unwrap());
        assert_eq!(t.to_string(), "1996-12-31T23:59:59+09:00");
    }
}
