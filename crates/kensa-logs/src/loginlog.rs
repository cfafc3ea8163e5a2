//! `var/adm/loginlog`: where Solaris (and System V) login(1) writes failed logins, once
//! the administrator has created the file. One line per failed try, written only when
//! one session reaches `RETRIES` failures (5 by default), so every batch in it is a run
//! of at least five wrong passwords on one terminal:
//!
//! ```text
//! root:/dev/pts/3:Mon Jun  8 10:20:30 1996
//! ```
//!
//! The name as typed (up to 20 bytes; whatever the person at the prompt typed, colons
//! included), the terminal (`/dev/???` when login had none), and ctime(3) of the try. No
//! remote host is logged. The stamp is read from the end, so a typed name holding `:` or
//! a date cannot move it, and the line is handed on as login's message `NAME:TTY`.

/// The local time of a loginlog line and its `NAME:TTY` part.
pub fn parse(line: &[u8]) -> Option<(jiff::civil::DateTime, &[u8])> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // ctime's 24 bytes, or 23 when a copy squeezed the space before a one-digit day.
    for width in [24, 23] {
        let Some(at) = line.len().checked_sub(width + 1) else {
            continue;
        };
        if line[at] != b':' {
            continue;
        }
        if let Some((datetime, rest)) = crate::ctime::parse(&line[at + 1..])
            && rest.is_empty()
        {
            let head = &line[..at];
            let (_name, tty) = head.split_at(head.iter().rposition(|&b| b == b':')?);
            return tty.starts_with(b":/dev/").then_some((datetime, head));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_terminal_and_time() {
        let (dt, head) = parse(b"root:/dev/pts/3:Mon Jun  8 10:20:30 1996").unwrap();
        assert_eq!(dt.to_string(), "1996-06-08T10:20:30");
        assert_eq!(head, b"root:/dev/pts/3");
        // A name typed with a colon and a date in it stays the name.
        let (dt, head) =
            parse(b"a:Mon Jun  8 10:20:30 1990:/dev/console:Tue Dec  8 01:02:03 1998").unwrap();
        assert_eq!(dt.to_string(), "1998-12-08T01:02:03");
        assert_eq!(head, b"a:Mon Jun  8 10:20:30 1990:/dev/console");
        let (_, head) = parse(b":/dev/???:Tue Dec 8 01:02:03 1998\r").unwrap();
        assert_eq!(head, b":/dev/???");
    }

    #[test]
    fn refuses_other_lines() {
        for line in [
            &b"root:pts/3:Mon Jun  8 10:20:30 1996"[..],
            b"root:/dev/pts/3:Mon Jun  8 10:20:30 1996 x",
            b"Mon Jun  8 10:20:30 1996",
            b"/dev/pts/3:Mon Jun  8 10:20:30 1996",
            b"Dec  7 10:00:00 host login: root:/dev/pts/3",
            b"",
        ] {
            assert!(parse(line).is_none(), "{}", String::from_utf8_lossy(line));
        }
    }
}
