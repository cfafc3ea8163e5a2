//! A point in time as a log line stated it: an instant plus the UTC offset in force
//! where it was logged, so reports can print the audited host's local time
//! (`1996-12-31T23:59:59+09:00`) rather than the analyst's.

use jiff::Timestamp;
use jiff::tz::Offset;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
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

/// Read back from its RFC 3339 form (saved state of incremental runs): the instant and
/// the offset it was written with.
impl<'de> Deserialize<'de> for LogTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use jiff::fmt::temporal::{Pieces, PiecesOffset};
        use serde::de::Error;
        let text = String::deserialize(deserializer)?;
        let instant: Timestamp = text.parse().map_err(D::Error::custom)?;
        let pieces = Pieces::parse(text.as_str()).map_err(D::Error::custom)?;
        let offset = match pieces.offset() {
            Some(PiecesOffset::Numeric(numeric)) => numeric.offset(),
            _ => Offset::UTC,
        };
        Ok(LogTime::new(instant, offset))
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

    #[test]
    fn reads_back_what_it_wrote() {
        let instant: Timestamp = "1996-12-31T14:59:59.25Z".parse().unwrap();
        for hours in [9, -5, 0] {
            let t = LogTime::new(instant, Offset::from_hours(hours).unwrap());
            let json = serde_json::to_string(&t).unwrap();
            let back: LogTime = serde_json::from_str(&json).unwrap();
            assert_eq!(back, t, "{json}");
        }
        assert!(serde_json::from_str::<LogTime>("\"yesterday\"").is_err());
    }
}
