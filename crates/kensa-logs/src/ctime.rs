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
pub fn parse(line: &[u8]) -> Option<(DateTime, &[u8])> {
    // "Fri Dec 27 18:00:54 1996" is 24 bytes; the day may be space-padded ("Dec  7").
    let stamp = line.get(..24)?;
    if !DAYS.iter().any(|d| &stamp[..3] == *d) || stamp[3] != b' ' || stamp[7] != b' ' {
        return None;
    }
    let month = MONTHS.iter().position(|m| &stamp[4..7] == *m)? as i8 + 1;
    let number = |bytes: &[u8]| -> Option<i32> {
        let text = std::str::from_utf8(bytes).ok()?.trim_start();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    };
    let day = number(&stamp[8..10])?;
    if stamp[10] != b' ' || stamp[13] != b':' || stamp[16] != b':' || stamp[19] != b' ' {
        return None;
    }
    let hour = number(&stamp[11..13])?;
    let minute = number(&stamp[14..16])?;
    let second = number(&stamp[17..19])?;
    let year = number(&stamp[20..24])?;
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
    let rest = match line.get(24) {
        None => &[][..],
        Some(b' ') => &line[25..],
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
    fn refuses_what_is_not_a_ctime_stamp() {
        for line in [
            &b"Dec 27 18:00:54 host sshd[1]: x"[..],
            b"Fri Dec 27 18:00:54",
            b"Fri Dec 32 18:00:54 1996 x",
            b"Fri Dec 27 18:00:54 1996x",
            b"Xyz Dec 27 18:00:54 1996 x",
            b"",
        ] {
            assert!(parse(line).is_none(), "{:?}", String::from_utf8_lossy(line));
        }
    }
}
