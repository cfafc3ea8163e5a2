//! Year inference: the year an RFC 3164 `Dec 31 23:59:59` belongs to.
//!
//! BSD syslog stamps carry no year, and the attack this tool looks for happened, in the
//! advisory's own timeline, across a New Year: a file that starts in December and ends
//! in January must give its January lines the next year, or a success at `Jan  1
//! 00:00:01` is reported eleven months *before* the attempt it followed.
//!
//! Two steps. Before a rotation set is read, [`start_year`] works out the year of its
//! first line from coarse samples — the month of each file's first line and of the
//! newest file's last line — anchored on a known year: `--year`, or the newest file's
//! mtime ([`anchor_year_from_mtime`]), since syslogd wrote that file's last line at
//! about its mtime. Going backwards, every time the month *rises* between samples a New
//! Year was crossed. Then, while the set is read oldest line first, a [`YearResolver`]
//! tracks the last local date-time seen and gives each year-less stamp the year (of the
//! tracked one, the one before or the one after) that puts it closest to it. The tracker
//! only moves forward, so a line from a lagging host in a central log (`Dec 31
//! 23:59:59` logged after `Jan  1 00:00:01`) gets the old year without dragging the
//! lines after it back a year. Lines that carry a year (ISO, RFC 5424, epoch) are taken
//! as they are and re-synchronise the tracker.
//!
//! The limits follow from the method: a silence of more than half a year inside one set
//! reads as a step back (the closest year wins), and a line with a year from a device
//! whose clock is wrong moves the tracker to that wrong year until the next such line.
//! Both are rare on the loghosts this tool audits, and `--year` overrides the anchor.
//!
//! Local times become instants in the audited host's zone with jiff's *compatible*
//! disambiguation, the rule of `mktime` and of most tools: a time in a DST gap (which no
//! clock showed) is moved forward by the gap's length; a time in a fold (shown twice) is
//! read as its first occurrence, so the second pass through the repeated hour sorts
//! with the first. Reported offsets are always the host zone's offset at the instant,
//! even for lines that stated another offset: one report, one zone.

use crate::syslog::Stamp;
use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use kensa_core::LogTime;

/// Assigns years to year-less stamps while a rotation set is read oldest line first.
#[derive(Debug, Clone)]
pub struct YearResolver {
    /// The audited host's zone, for local times and reported offsets.
    tz: TimeZone,
    /// The year given for the first year-less line, until a line sets `last`.
    start_year: i16,
    /// The latest local date-time seen so far (year-less lines only move it forward;
    /// lines with a year set it).
    last: Option<DateTime>,
}

impl YearResolver {
    /// `start_year`: the year of the first year-less line of the set; `tz`: the audited
    /// host's zone.
    pub fn new(start_year: i16, tz: TimeZone) -> YearResolver {
        YearResolver {
            tz,
            start_year,
            last: None,
        }
    }

    /// A resolver that continues where another stopped: `last` is what
    /// [`YearResolver::tracked`] said then (incremental runs resume a file mid-way, and
    /// the year of its next year-less line follows from the last one read).
    pub fn resume(last: DateTime, tz: TimeZone) -> YearResolver {
        YearResolver {
            tz,
            start_year: last.year(),
            last: Some(last),
        }
    }

    /// The local date-time the resolver is at (None before the first line).
    pub fn tracked(&self) -> Option<DateTime> {
        self.last
    }

    /// The instant of `stamp`, updating the tracked position. Year-less stamps get, of
    /// the years around the tracked one, the one closest to it; only later date-times
    /// move the tracker. Stamps with a year re-synchronise it and are returned as they
    /// are. None only for impossible dates (`Feb 30`, `Feb 29` with no leap year among
    /// the candidates).
    pub fn resolve(&mut self, stamp: &Stamp) -> Option<LogTime> {
        match *stamp {
            Stamp::Yearless {
                month,
                day,
                hour,
                minute,
                second,
                subsec_nanos,
            } => {
                let at = |year: i16| {
                    DateTime::new(year, month, day, hour, minute, second, subsec_nanos).ok()
                };
                let chosen = match self.last {
                    None => {
                        // No position yet: the start year, or the nearest year that has
                        // the date (a Feb 29 line on a wrong guess of a start year).
                        let y = self.start_year;
                        at(y)
                            .or_else(|| at(y.checked_add(1)?))
                            .or_else(|| at(y.checked_sub(1)?))?
                    }
                    Some(last) => nearest_year(at, last)?,
                };
                if self.last.is_none_or(|last| chosen > last) {
                    self.last = Some(chosen);
                }
                self.local(chosen)
            }
            Stamp::Local(dt) => {
                self.last = Some(dt);
                self.local(dt)
            }
            Stamp::Offset(dt, offset) => self.instant(offset.to_timestamp(dt).ok()?),
            Stamp::Instant(instant) => self.instant(instant),
        }
    }

    /// A local date-time of the host as a LogTime (compatible disambiguation).
    fn local(&self, dt: DateTime) -> Option<LogTime> {
        let instant = self.tz.to_timestamp(dt).ok()?;
        Some(LogTime::new(instant, self.tz.to_offset(instant)))
    }

    /// An instant, re-synchronising the tracker on its local date-time.
    fn instant(&mut self, instant: Timestamp) -> Option<LogTime> {
        self.last = Some(self.tz.to_datetime(instant));
        Some(LogTime::new(instant, self.tz.to_offset(instant)))
    }
}

/// Of the year before, the year of and the year after `near`, the date-time `at(year)`
/// closest to `near` (years where the date does not exist, like Feb 29, are passed over).
fn nearest_year(at: impl Fn(i16) -> Option<DateTime>, near: DateTime) -> Option<DateTime> {
    let y = near.year();
    [y.checked_sub(1), Some(y), y.checked_add(1)]
        .into_iter()
        .flatten()
        .filter_map(at)
        .min_by_key(|dt| dt.duration_since(near).abs())
}

/// The instant of a stamp on a line near a line whose time is known (`anchor`): a
/// year-less stamp takes the year that puts it closest to the anchor, and local times are
/// read with the anchor's UTC offset. For the context lines detectors look back at (a few
/// seconds or minutes before the anchor), where the engine's tracker has already moved on.
pub fn time_near(stamp: &Stamp, anchor: LogTime) -> Option<LogTime> {
    let offset = anchor.offset;
    let local = |dt: DateTime| Some(LogTime::new(offset.to_timestamp(dt).ok()?, offset));
    match *stamp {
        Stamp::Yearless {
            month,
            day,
            hour,
            minute,
            second,
            subsec_nanos,
        } => {
            let at = |year: i16| {
                DateTime::new(year, month, day, hour, minute, second, subsec_nanos).ok()
            };
            local(nearest_year(at, offset.to_datetime(anchor.instant))?)
        }
        Stamp::Local(dt) => local(dt),
        Stamp::Offset(dt, stated) => Some(LogTime::new(stated.to_timestamp(dt).ok()?, offset)),
        Stamp::Instant(instant) => Some(LogTime::new(instant, offset)),
    }
}

/// The year of the first year-less line of a set, from coarse samples read before the
/// pass: `first_months[i]` = month of the first stamped line of file i (oldest first;
/// None if unknown), `last_month` = month of the last stamped line of the newest file,
/// `anchor_year` = the year that last line belongs to (from `--year`, or from the newest
/// file's mtime: see [`anchor_year_from_mtime`]). Counts New Year crossings between
/// consecutive samples (a month decrease = one crossing) assuming each file spans less
/// than a year.
pub fn start_year(first_months: &[Option<i8>], last_month: Option<i8>, anchor_year: i16) -> i16 {
    let mut crossings: i16 = 0;
    let mut previous: Option<i8> = None;
    for month in first_months
        .iter()
        .copied()
        .chain(std::iter::once(last_month))
        .flatten()
    {
        if previous.is_some_and(|p| month < p) {
            crossings = crossings.saturating_add(1);
        }
        previous = Some(month);
    }
    anchor_year.saturating_sub(crossings)
}

/// The year of a file's last line given the file's mtime in the host's zone: mtime's
/// year, or one less when the line's month is after mtime's month (a file last written
/// in Jan whose last line says Dec).
pub fn anchor_year_from_mtime(last_month: i8, mtime: Timestamp, tz: &TimeZone) -> i16 {
    let local = tz.to_datetime(mtime);
    if last_month > local.month() {
        local.year().saturating_sub(1)
    } else {
        local.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syslog::parse_stamp;
    use jiff::civil::date;

    fn tokyo() -> TimeZone {
        TimeZone::get("Asia/Tokyo").unwrap()
    }

    /// Resolves each line in turn and renders the instants in the resolver's zone.
    fn run(resolver: &mut YearResolver, lines: &[&str]) -> Vec<String> {
        lines
            .iter()
            .map(|line| {
                let stamp = parse_stamp(line.as_bytes()).unwrap();
                resolver
                    .resolve(&stamp)
                    .map_or("none".to_string(), |t| t.to_string())
            })
            .collect()
    }

    #[test]
    fn time_near_takes_the_anchors_year_across_new_year() {
        let anchor_stamp = parse_stamp(b"Jan  1 00:00:01 host x: y").unwrap();
        let mut resolver = YearResolver::new(1997, tokyo());
        let anchor = resolver.resolve(&anchor_stamp).unwrap();
        let before = parse_stamp(b"Dec 31 23:59:58 host x: y").unwrap();
        let t = time_near(&before, anchor).unwrap();
        assert_eq!(t.to_string(), "1996-12-31T23:59:58+09:00");
    }

    #[test]
    fn new_year_moves_the_year_on() {
        let mut r = YearResolver::new(1996, tokyo());
        let got = run(
            &mut r,
            &["Dec 31 23:59:58 h a: x", "Jan  1 00:00:01 h a: x"],
        );
        assert_eq!(
            got,
            ["1996-12-31T23:59:58+09:00", "1997-01-01T00:00:01+09:00"]
        );
    }

    #[test]
    fn lagging_line_gets_the_old_year_without_moving_the_tracker_back() {
        let mut r = YearResolver::new(1996, tokyo());
        let got = run(
            &mut r,
            &[
                "Dec 31 23:59:58 h a: x",
                "Jan  1 00:00:01 h a: x",
                "Dec 31 23:59:59 lagging a: x",
                "Jan  1 00:00:02 h a: x",
            ],
        );
        assert_eq!(
            got,
            [
                "1996-12-31T23:59:58+09:00",
                "1997-01-01T00:00:01+09:00",
                "1996-12-31T23:59:59+09:00",
                "1997-01-01T00:00:02+09:00",
            ]
        );
        assert_eq!(r.tracked(), Some(date(1997, 1, 1).at(0, 0, 2, 0)));
    }

    #[test]
    fn multi_year_sets() {
        let mut r = YearResolver::new(1995, tokyo());
        let got = run(
            &mut r,
            &[
                "Nov 20 10:00:00 h a: x",
                "Feb  1 10:00:00 h a: x",
                "Jun  1 10:00:00 h a: x",
                "Oct  1 10:00:00 h a: x",
                "Jan  5 10:00:00 h a: x",
                "Mar  5 10:00:00 h a: x",
            ],
        );
        let years: Vec<&str> = got.iter().map(|s| &s[..4]).collect();
        assert_eq!(years, ["1995", "1996", "1996", "1996", "1997", "1997"]);
    }

    #[test]
    fn feb_29_needs_a_leap_year() {
        // 1996 was a leap year: reached from Feb 28 1996.
        let mut r = YearResolver::new(1996, tokyo());
        let got = run(
            &mut r,
            &["Feb 28 12:00:00 h a: x", "Feb 29 12:00:00 h a: x"],
        );
        assert_eq!(got[1], "1996-02-29T12:00:00+09:00");
        // From 1997 none of 1996..=1998 is wrong but only 1996 has the day: closest valid.
        let mut r = YearResolver::new(1997, tokyo());
        let got = run(
            &mut r,
            &["Feb 28 12:00:00 h a: x", "Feb 29 12:00:00 h a: x"],
        );
        assert_eq!(got[1], "1996-02-29T12:00:00+09:00");
        // From 1998 no candidate (1997, 1998, 1999) has Feb 29.
        let mut r = YearResolver::new(1998, tokyo());
        let got = run(
            &mut r,
            &["Feb 28 12:00:00 h a: x", "Feb 29 12:00:00 h a: x"],
        );
        assert_eq!(got[1], "none");
        // A first line on Feb 29 with a non-leap start year takes the next leap year.
        let mut r = YearResolver::new(1995, tokyo());
        assert_eq!(
            run(&mut r, &["Feb 29 00:00:00 h a: x"]),
            ["1996-02-29T00:00:00+09:00"]
        );
        // Impossible in every year.
        let mut r = YearResolver::new(1996, tokyo());
        assert_eq!(
            run(
                &mut r,
                &["Feb 30 00:00:00 h a: x", "Apr 31 00:00:00 h a: x"]
            ),
            ["none", "none"]
        );
        assert_eq!(
            r.tracked(),
            None,
            "impossible dates do not move the tracker"
        );
    }

    #[test]
    fn lines_with_a_year_resync() {
        let mut r = YearResolver::new(1990, tokyo());
        let got = run(
            &mut r,
            &[
                "Dec 31 10:00:00 h a: x",
                "1997-01-07T14:02:17.5+09:00 h a: x",
                "Jan  7 14:02:18 h a: x",
                "<86>1 1997-01-09T21:51:29.676Z appliance sshd 2231 - - x",
                "Jan 10 06:51:30 h a: x",
                "1124012400 [sshd] x",
                "Aug 14 12:00:01 h a: x",
            ],
        );
        assert_eq!(
            got,
            [
                "1990-12-31T10:00:00+09:00",
                "1997-01-07T14:02:17.5+09:00",
                "1997-01-07T14:02:18+09:00",
                "1997-01-10T06:51:29.676+09:00",
                "1997-01-10T06:51:30+09:00",
                "2005-08-14T18:40:00+09:00",
                "2005-08-14T12:00:01+09:00",
            ]
        );
    }

    #[test]
    fn local_stamps_with_a_year_use_the_host_zone() {
        let mut r = YearResolver::new(2000, tokyo());
        assert_eq!(
            run(&mut r, &["Oct 27 2015 09:24:46 h a: x"]),
            ["2015-10-27T09:24:46+09:00"]
        );
    }

    #[test]
    fn dst_gap_and_fold_use_compatible_disambiguation() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let mut r = YearResolver::new(2005, tz);
        let got = run(
            &mut r,
            &[
                // Spring forward on 2005-03-27 at 02:00 → 03:00: 02:30 did not exist and
                // is read as 03:30 CEST (moved forward by the gap).
                "Mar 27 01:59:59 h a: x",
                "Mar 27 02:30:00 h a: x",
                "Mar 27 03:00:00 h a: x",
                "Jul  1 12:00:00 h a: x",
                // Fall back on 2005-10-30 at 03:00 → 02:00: 02:30 happened twice; the
                // first (CEST, +02:00) is chosen.
                "Oct 30 02:30:00 h a: x",
                "Oct 30 03:30:00 h a: x",
            ],
        );
        assert_eq!(
            got,
            [
                "2005-03-27T01:59:59+01:00",
                "2005-03-27T03:30:00+02:00",
                "2005-03-27T03:00:00+02:00",
                "2005-07-01T12:00:00+02:00",
                "2005-10-30T02:30:00+02:00",
                "2005-10-30T03:30:00+01:00",
            ]
        );
    }

    #[test]
    fn start_year_counts_new_year_crossings() {
        // syslog.22 (Dec) .. syslog.10 (Dec) .. syslog.9 (Jan) .. syslog (Jan), last Jan.
        let months = [Some(12), Some(12), Some(1), Some(1)];
        assert_eq!(start_year(&months, Some(1), 1997), 1996);
        // No crossing.
        assert_eq!(start_year(&[Some(3), Some(4)], Some(5), 2001), 2001);
        // Unknown samples are skipped.
        assert_eq!(start_year(&[Some(11), None, Some(2)], Some(2), 1997), 1996);
        // Two crossings over a long set: Nov → Feb → Oct → Jan.
        assert_eq!(
            start_year(&[Some(11), Some(2), Some(10)], Some(1), 1998),
            1996
        );
        // The newest file's own crossing: its first line Dec, its last Jan.
        assert_eq!(start_year(&[Some(12)], Some(1), 1997), 1996);
        assert_eq!(start_year(&[], None, 1997), 1997);
        assert_eq!(start_year(&[None], None, 1997), 1997);
    }

    #[test]
    fn anchor_year_from_the_mtime() {
        let tz = tokyo();
        let jan = "1996-12-31T15:10:00Z".parse::<Timestamp>().unwrap();
        assert_eq!(anchor_year_from_mtime(12, jan, &tz), 1996);
        assert_eq!(anchor_year_from_mtime(1, jan, &tz), 1997);
        // The mtime is read in the host's zone: 1996-12-31T15:10Z is already 1997 in Tokyo.
        assert_eq!(anchor_year_from_mtime(1, jan, &TimeZone::UTC), 1996);
    }
}
