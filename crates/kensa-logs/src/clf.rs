//! Lines whose stamp sits inside them in brackets, as the Common Log Format writes it
//! (`[07/Dec/2026:12:24:25 -0000]`): pure-ftpd's `-O clf:` alt log, Debian's default
//! `/var/log/pure-ftpd/transfer.log` (`127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000]
//! "PUT /srv/ftp/up/notes.txt" 200 4`), and proftpd's ExtendedLog in the `auth` format of
//! its documentation (`%v [%P] %h %t "%r" %s`: `Debian [29798] 192.0.2.11
//! [07/Dec/2026:12:10:58 +0000] "PASS (hidden)" 230`).
//!
//! The stamp carries its year and offset, so these lines need no year inference. Only
//! the first [`MAX_STAMP_AT`] bytes are searched, and only for `[` followed by a stamp of
//! the exact shape, so a hostile line costs one bounded scan.

use jiff::civil::DateTime;
use jiff::tz::Offset;

/// How far into a line the stamp may start.
pub const MAX_STAMP_AT: usize = 1024;

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The first ` [DD/Mon/YYYY:HH:MM:SS +ZZZZ]` of `line`: the civil time, its offset, and
/// where the bracket opened.
pub fn parse(line: &[u8]) -> Option<(DateTime, Offset, usize)> {
    let head = line.get(..MAX_STAMP_AT).unwrap_or(line);
    let mut from = 0;
    while let Some(at) = head.get(from..).and_then(|h| memchr::memchr(b'[', h)) {
        let open = from + at;
        if open > 0
            && head.get(open - 1) == Some(&b' ')
            && let Some(stamp) = line.get(open + 1..open + 28)
            && line.get(open + 27) == Some(&b']')
            && let Some((datetime, offset)) = stamp_of(stamp)
        {
            return Some((datetime, offset, open));
        }
        from = open + 1;
    }
    None
}

/// `DD/Mon/YYYY:HH:MM:SS +ZZZZ` followed by `]` (27 bytes).
fn stamp_of(s: &[u8]) -> Option<(DateTime, Offset)> {
    if s.len() != 27
        || s[2] != b'/'
        || s[6] != b'/'
        || s[11] != b':'
        || s[14] != b':'
        || s[17] != b':'
        || s[20] != b' '
        || s[26] != b']'
    {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i32> {
        let bytes = s.get(range)?;
        if !bytes.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(bytes.iter().fold(0, |n, &b| n * 10 + i32::from(b - b'0')))
    };
    let month = MONTHS.iter().position(|m| &s[3..6] == *m)? as i8 + 1;
    let datetime = DateTime::new(
        i16::try_from(digits(7..11)?).ok()?,
        month,
        i8::try_from(digits(0..2)?).ok()?,
        i8::try_from(digits(12..14)?).ok()?,
        i8::try_from(digits(15..17)?).ok()?,
        i8::try_from(digits(18..20)?.min(59)).ok()?,
        0,
    )
    .ok()?;
    let sign = match s[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = (digits(22..24)?, digits(24..26)?);
    if hours > 25 || minutes > 59 {
        return None;
    }
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((datetime, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pure_ftpd_and_proftpd_stamps() {
        let line = b"127.0.3.13 - ftp [07/Dec/2026:12:24:25 -0000] \"PUT /srv/ftp/x\" 200 4";
        let (dt, offset, at) = parse(line).unwrap();
        assert_eq!(dt.to_string(), "2026-12-07T12:24:25");
        assert_eq!(offset, Offset::UTC);
        assert_eq!(at, 17);
        // The pid in brackets before the stamp is passed over.
        let line =
            b"kensa live [29798] 127.0.2.11 [07/Dec/2026:12:10:58 +0900] \"PASS (hidden)\" 230";
        let (dt, offset, at) = parse(line).unwrap();
        assert_eq!(dt.to_string(), "2026-12-07T12:10:58");
        assert_eq!(offset.seconds(), 9 * 3600);
        assert_eq!(&line[at..at + 4], b"[07/");
    }

    #[test]
    fn refuses_what_is_not_a_clf_stamp() {
        for line in [
            &b"[07/Dec/2026:12:24:25 -0000] at the start"[..],
            b"x [07/Dec/2026:12:24:25 -0000",
            b"x [07/Dxc/2026:12:24:25 -0000] y",
            b"x [32/Dec/2026:12:24:25 -0000] y",
            b"x [07/Dec/2026:25:24:25 -0000] y",
            b"x [07/Dec/2026:12:24:25 *0000] y",
            b"x [07/Dec/2026:12:24:25 -9900] y",
            b"x [07/Dec/20z6:12:24:25 -0000] y",
            b"x [",
            b"",
        ] {
            assert!(parse(line).is_none(), "{:?}", String::from_utf8_lossy(line));
        }
        let mut long = vec![b'['; MAX_STAMP_AT];
        long.extend_from_slice(b" [07/Dec/2026:12:24:25 -0000] y");
        assert!(parse(&long).is_none());
    }
}
