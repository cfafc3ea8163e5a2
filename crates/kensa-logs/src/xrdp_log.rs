//! `var/log/xrdp-sesman.log`: the log xrdp's session manager writes itself (its
//! `[Logging] LogFile`), where it records each refused remote-desktop login:
//!
//! ```text
//! [20220407-12:11:06] [INFO ] AUTHFAIL: user=badtypist ip=::ffff:10.171.161.151 time=1649351466
//! ```
//!
//! The local date and time in brackets (`YYYYMMDD-HH:MM:SS`), then the level and the
//! message that sesman also sends to syslog. The line is handed on as `xrdp-sesman`'s
//! message (`[INFO ] AUTHFAIL: …`), so the parser of its syslog lines reads it.

/// The local time of a `[YYYYMMDD-HH:MM:SS] ` line and the message after it.
pub fn parse(line: &[u8]) -> Option<(jiff::civil::DateTime, &[u8])> {
    let stamp = line.strip_prefix(b"[")?.get(..17)?;
    let message = line.get(20..)?;
    if line.get(18..20)? != b"] "
        || stamp[8] != b'-'
        || stamp[11] != b':'
        || stamp[14] != b':'
        || !message.starts_with(b"[")
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i16> {
        let digits = stamp.get(range)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let datetime = jiff::civil::DateTime::new(
        number(0..4)?,
        i8::try_from(number(4..6)?).ok()?,
        i8::try_from(number(6..8)?).ok()?,
        i8::try_from(number(9..11)?).ok()?,
        i8::try_from(number(12..14)?).ok()?,
        i8::try_from(number(15..17)?.min(59)).ok()?,
        0,
    )
    .ok()?;
    Some((datetime, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_stamp_and_keeps_the_message() {
        let (dt, message) = parse(
            b"[20220407-12:11:06] [INFO ] AUTHFAIL: user=badtypist ip=::ffff:10.171.161.151 time=1649351466",
        )
        .unwrap();
        assert_eq!(dt.to_string(), "2022-04-07T12:11:06");
        assert!(message.starts_with(b"[INFO ] AUTHFAIL: user=badtypist"));
    }

    #[test]
    fn refuses_other_lines() {
        for line in [
            &b"[20221307-12:11:06] [INFO ] x"[..],
            b"[20220407 12:11:06] [INFO ] x",
            b"[20220407-12:11:06] INFO x",
            b"[2022040a-12:11:06] [INFO ] x",
            b"[20220407-12:11:06]",
            b"Apr  7 12:11:06 h xrdp-sesman[1]: [INFO ] AUTHFAIL: user=a ip=b time=1",
        ] {
            assert!(parse(line).is_none(), "{}", String::from_utf8_lossy(line));
        }
    }
}
