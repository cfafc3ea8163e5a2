//! Lines that start with a ctime(3) stamp instead of a syslog header: wu-ftpd's
//! `xferlog` (`Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/.rhosts a _ i a guest@ ftp 0 * c`)
//! and vsftpd's own log (`Sun Apr 17 17:55:36 2005 [pid 12345] [ftp] OK UPLOAD: ...`).
//! These stamps carry the year, so they need no year inference.

use jiff::civil::DateTime;

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// The local date-time of a leading `Www Mmm dd hh:mm:ss yyyy` stamp and the rest of the
/// line after the single space that follows it.
///
/// The day comes as ctime(3) writes it (`Dec  7`, space-padded), as strftime's `%d`
/// writes it (`Dec 07`: proftpd's TransferLog, pure-ftpd's xferlog), and with one space
/// before a one-digit day (`Jun 8`, 23 bytes instead of 24), which copies of vsftpd's
/// log show once a tool has squeezed their spaces.
pub fn parse(line: &[u8]) -> Option<(DateTime, &[u8])> {
    let head = line.get(..8)?;
    if !DAYS.iter().any(|d| &head[..3] == *d) || head[3] != b' ' || head[7] != b' ' {
        return None;
    }
    let month = MONTHS.iter().position(|m| &head[4..7] == *m)? as i8 + 1;
    // `Jun 8 12:…`: one digit then the space. Shift the rest so that it lines up with
    // the 24-byte form: `stamp` is then always `dd hh:mm:ss yyyy` from offset 8.
    let (day_bytes, clock_at): (&[u8], usize) = match line.get(8..10)? {
        [d, b' '] if d.is_ascii_digit() => (&line[8..9], 10),
        _ => (&line[8..10], 11),
    };
    let clock = line.get(clock_at..clock_at + 13)?;
    if line.get(clock_at - 1) != Some(&b' ') {
        return None;
    }
    let number = |bytes: &[u8]| -> Option<i32> {
        let text = std::str::from_utf8(bytes).ok()?.trim_start();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    let day = number(day_bytes)?;
    if clock[2] != b':' || clock[5] != b':' || clock[8] != b' ' {
        return None;
    }
    let hour = number(&clock[0..2])?;
    let minute = number(&clock[3..5])?;
    let second = number(&clock[6..8])?;
    let year = number(&clock[9..13])?;
    let datetime = DateTime::new(
        i16::try_from(year).ok()?,
        month,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second.min(59)).ok()?,
        0,
    )
    .ok()?;
    let end = clock_at + 13;
    let rest = match line.get(end) {
        None => &[][..],
        Some(b' ') => line.get(end + 1..)?,
        Some(_) => return None,
    };
    Some((datetime, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_xferlog_and_vsftpd_stamps() {
        let (dt, rest) = parse(
            b"Fri Dec 27 18:00:54 1996 1 192.0.2.95 4 /home/ftp/.rhosts a _ i a guest@ ftp 0 * c",
        )
        .unwrap();
        assert_eq!(dt.to_string(), "1996-12-27T18:00:54");
        assert!(rest.starts_with(b"1 192.0.2.95"));
        let (dt, rest) = parse(b"Sun Apr  3 07:05:36 2005 [pid 12345] [ftp] OK LOGIN").unwrap();
        assert_eq!(dt.to_string(), "2005-04-03T07:05:36");
        assert!(rest.starts_with(b"[pid"));
    }

    #[test]
    fn reads_one_space_and_zero_padded_days() {
        let (dt, rest) =
            parse(b"Mon Jun 8 09:05:01 2026 [pid 7] [ftp] OK LOGIN: Client \"::ffff:192.0.2.1\"")
                .unwrap();
        assert_eq!(dt.to_string(), "2026-06-08T09:05:01");
        assert!(rest.starts_with(b"[pid 7]"));
        // proftpd's TransferLog as proftpd 1.3.8 wrote it.
        let (dt, rest) =
            parse(b"Mon Dec 07 12:12:44 2026 0 127.0.2.13 25 /x b _ i a m ftp 0 * c").unwrap();
        assert_eq!(dt.to_string(), "2026-12-07T12:12:44");
        assert!(rest.starts_with(b"0 127.0.2.13"));
        let (dt, rest) = parse(b"Mon Jun 8 09:05:01 2026").unwrap();
        assert_eq!((dt.day(), rest), (8, &b""[..]));
    }

    #[test]
    fn refuses_what_is_not_a_ctime_stamp() {
        for line in [
            &b"Dec 27 18:00:54 host sshd[1]: x"[..],
            b"Fri Dec 27 18:00:54",
            b"Fri Dec 32 18:00:54 1996 x",
            b"Fri Dec 27 18:00:54 1996x",
            b"Xyz Dec 27 18:00:54 1996 x",
            b"",
            b"Mon Jun 8  09:05:01 2026 x",
            b"Mon Jun x 09:05:01 2026 x",
            b"Mon Jun 8 09:05:01 2026x",
            b"Mon Jun 8 09:05:01 20",
            b"Mon Jun 88 09:05:01 2026 x",
            b"Mon Jun  8 09:05:01",
        ] {
            assert!(parse(line).is_none(), "{:?}", String::from_utf8_lossy(line));
        }
    }
}
