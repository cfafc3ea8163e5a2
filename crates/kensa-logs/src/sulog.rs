//! `var/adm/sulog`: the log su(1) keeps itself on Solaris, SunOS 5, HP-UX and AIX, one
//! line per use, whatever syslog is configured to do:
//!
//! ```text
//! SU 10/20 14:01 + pts/1 tanaka-root
//! SU 10/20 14:37 - pts/2 oracle-root
//! ```
//!
//! `SU`, the local date and time (`MM/DD HH:MM`, no year, no seconds), `+` for a success
//! or `-` for a failure, the terminal (`???` when there was none), and who became whom
//! (`FROM-TO`). The line is handed on as su's own message (`+ pts/1 tanaka-root`), which
//! the authentication parsers read as they read su's syslog lines; the stamp is year-less
//! like a syslog stamp, so the year is inferred the same way.

use crate::syslog::Stamp;

/// The stamp of a `SU MM/DD HH:MM ` line and the message after it (`+ TTY FROM-TO`).
pub fn parse(line: &[u8]) -> Option<(Stamp, &[u8])> {
    let rest = line.strip_prefix(b"SU ")?;
    let head = rest.get(..12)?;
    // `MM/DD HH:MM ` — fixed width, as su formats it with `%.2d`.
    if head[2] != b'/' || head[5] != b' ' || head[8] != b':' || head[11] != b' ' {
        return None;
    }
    let two = |at: usize| -> Option<i8> {
        let pair = head.get(at..at + 2)?;
        if !pair.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(((pair[0] - b'0') * 10 + (pair[1] - b'0')) as i8)
    };
    let (month, day, hour, minute) = (two(0)?, two(3)?, two(6)?, two(9)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let message = rest.get(12..)?;
    if !matches!(message.first(), Some(b'+' | b'-')) {
        return None;
    }
    let stamp = Stamp::Yearless {
        month,
        day,
        hour,
        minute,
        second: 0,
        subsec_nanos: 0,
    };
    Some((stamp, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_solaris_hpux_and_aix_lines() {
        let (stamp, message) = parse(b"SU 10/20 14:01 + pts/1 tanaka-root").unwrap();
        assert_eq!(
            stamp,
            Stamp::Yearless {
                month: 10,
                day: 20,
                hour: 14,
                minute: 1,
                second: 0,
                subsec_nanos: 0
            }
        );
        assert_eq!(message, b"+ pts/1 tanaka-root");
        let (_, message) = parse(b"SU 01/02 03:04 - ??? oracle-root").unwrap();
        assert_eq!(message, b"- ??? oracle-root");
    }

    #[test]
    fn refuses_other_lines() {
        for line in [
            &b"SU 13/20 14:01 + pts/1 a-root"[..],
            b"SU 10/20 24:01 + pts/1 a-root",
            b"SU 10/20 14:01 * pts/1 a-root",
            b"SU 1/20 14:01 + pts/1 a-root",
            b"SU 10/20 14:01",
            b"Dec  7 10:00:00 host su: + pts/1 a-root",
            b"SUSE 10/20 14:01 + pts/1",
            b"",
        ] {
            assert!(parse(line).is_none(), "{}", String::from_utf8_lossy(line));
        }
    }
}
