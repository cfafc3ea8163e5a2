//! One TCP conversation with a server that may be hostile: line framing, reply parsing
//! (SMTP and FTP share RFC 959's reply grammar), and every limit that keeps a probe from
//! hanging or growing.
//!
//! A server decides what it sends, so nothing here trusts it: a connect and every reply
//! have deadlines (a server that trickles a byte every few seconds still ends at the
//! reply's deadline, not the read timeout times the bytes); a line keeps at most
//! [`Limits::max_line`] bytes however long it is, and a reply is abandoned after
//! [`Limits::max_reply`] bytes, so a 1 MB line costs a fixed buffer, not a megabyte; the
//! bytes kept are the server's own, escaped only by the report writers. Every line is
//! numbered and its offset in the server's byte stream kept, so a finding can cite the
//! banner line the way a log finding cites a log line.

use kensa_core::{Localized, tr};
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Limits of one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a TCP connect may take.
    pub connect_timeout: Duration,
    /// How long one whole reply (all its lines) may take to arrive.
    pub reply_timeout: Duration,
    /// How long one whole conversation may take: a server that answers every command
    /// just inside the reply timeout still ends here.
    pub session_timeout: Duration,
    /// Bytes of one line kept (the rest is read and dropped).
    pub max_line: usize,
    /// Bytes of one reply read before the conversation is abandoned.
    pub max_reply: usize,
    /// Lines of one reply read before the conversation is abandoned.
    pub max_reply_lines: usize,
    /// Bytes of a directory listing read.
    pub max_listing: usize,
}

impl Default for Limits {
    /// 5 s to connect, 10 s per reply, 2 minutes per conversation, 1 KiB kept per line,
    /// 64 KiB and 200 lines per reply, 256 KiB of listing.
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(5),
            reply_timeout: Duration::from_secs(10),
            session_timeout: Duration::from_secs(120),
            max_line: 1024,
            max_reply: 64 * 1024,
            max_reply_lines: 200,
            max_listing: 256 * 1024,
        }
    }
}

/// Why a conversation stopped.
#[derive(Debug)]
pub enum WireError {
    /// Nothing (or not enough) arrived before the deadline.
    Timeout,
    /// The whole conversation took longer than [`Limits::session_timeout`].
    SessionTimeout,
    /// The server closed the connection; `partial` when it did so inside a reply.
    Closed {
        /// Whether part of a reply had arrived.
        partial: bool,
    },
    /// A reply longer than the limit (bytes or lines).
    TooLong {
        /// Bytes read of it.
        bytes: usize,
    },
    /// Not a reply (`220 ...`): the first line at `line` does not start with a code.
    NotAReply {
        /// The line number in the server's stream.
        line: u64,
    },
    /// Any other socket error.
    Io(io::Error),
}

impl WireError {
    /// What happened, in English and Japanese (the system's words for a socket error).
    pub fn message(&self) -> Localized {
        match self {
            WireError::Timeout => tr!(
                "no complete reply before the timeout",
                "時間内に応答が最後まで届きませんでした"
            ),
            WireError::SessionTimeout => tr!(
                "the conversation took longer than kensa allows one server",
                "1 台のサーバとのやり取りが kensa の許す時間を超えました"
            ),
            WireError::Closed { partial: true } => tr!(
                "the server closed the connection in the middle of a reply",
                "サーバが応答の途中で接続を切りました"
            ),
            WireError::Closed { partial: false } => tr!(
                "the server closed the connection",
                "サーバが接続を切りました"
            ),
            WireError::TooLong { bytes } => tr!(
                "reply longer than kensa reads ({bytes} bytes or more): conversation abandoned",
                "応答が kensa の読む長さを超えたため（{bytes} バイト以上）、やり取りを打ち切り\
                 ました"
            ),
            WireError::NotAReply { .. } => tr!(
                "the server sent something that is not an SMTP/FTP reply",
                "サーバが SMTP/FTP の応答ではないものを送ってきました"
            ),
            WireError::Io(err) => tr!("{err}", "{err}"),
        }
    }
}

impl fmt::Display for WireError {
    /// The English [`WireError::message`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl From<io::Error> for WireError {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => WireError::Timeout,
            _ => WireError::Io(err),
        }
    }
}

/// One line the server sent, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the server's stream.
    pub number: u64,
    /// Byte offset of the line's start in the server's stream.
    pub offset: u64,
    /// The line's bytes (without CR LF), at most [`Limits::max_line`].
    pub raw: Vec<u8>,
    /// Whether the line was longer than what is kept.
    pub truncated: bool,
}

/// One reply: a code and its lines (several for `220-...` continuation lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit code.
    pub code: u16,
    /// Every line of the reply, in order.
    pub lines: Vec<Line>,
}

impl Reply {
    /// The text of the reply: each line without its `ddd-`/`ddd ` prefix, joined by
    /// newlines, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let raw = &line.raw;
            let body = if raw.len() >= 3 && raw[..3].iter().all(u8::is_ascii_digit) {
                raw.get(4..).unwrap_or_default()
            } else {
                raw
            };
            text.push_str(&String::from_utf8_lossy(body));
        }
        text
    }

    /// The first line (every reply has one).
    pub fn first(&self) -> &Line {
        &self.lines[0]
    }

    /// 2xx.
    pub fn is_positive(&self) -> bool {
        (200..300).contains(&self.code)
    }
}

/// A control connection.
pub struct Conn {
    stream: TcpStream,
    limits: Limits,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Bytes of the server's stream consumed so far.
    consumed: u64,
    /// Lines of the server's stream read so far.
    lines: u64,
    /// When the whole conversation must end.
    session_deadline: Instant,
}

const BUF_BYTES: usize = 8 * 1024;

impl Conn {
    /// Connects to `addr` within the connect timeout.
    pub fn connect(addr: SocketAddr, limits: Limits) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, limits.connect_timeout)?;
        stream.set_write_timeout(Some(limits.reply_timeout))?;
        let _ = stream.set_nodelay(true);
        Ok(Conn {
            stream,
            limits,
            buf: vec![0; BUF_BYTES].into_boxed_slice(),
            start: 0,
            end: 0,
            consumed: 0,
            lines: 0,
            session_deadline: Instant::now() + limits.session_timeout,
        })
    }

    /// The deadline of something that may take `timeout`: it, or the end of the
    /// conversation if sooner (and whether that is the one that applies).
    pub fn deadline(&self, timeout: Duration) -> (Instant, bool) {
        let own = Instant::now() + timeout;
        if own < self.session_deadline {
            (own, false)
        } else {
            (self.session_deadline, true)
        }
    }

    /// The local address of the connection (for `EHLO [addr]`).
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }

    /// The address of the server.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// Sends one command line. `command` must not hold CR or LF: callers build commands
    /// from server-provided names only after [`safe_argument`] accepted them.
    pub fn send(&mut self, command: &str) -> Result<(), WireError> {
        debug_assert!(!command.contains(['\r', '\n']));
        let mut line = Vec::with_capacity(command.len() + 2);
        line.extend_from_slice(command.as_bytes());
        line.extend_from_slice(b"\r\n");
        self.stream.write_all(&line)?;
        Ok(())
    }

    /// Sends a command and reads its reply.
    pub fn command(&mut self, command: &str) -> Result<Reply, WireError> {
        self.send(command)?;
        self.reply()
    }

    /// Closes both directions (best effort).
    pub fn close(self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }

    fn fill(&mut self, deadline: Instant) -> Result<usize, WireError> {
        let now = Instant::now();
        if now >= deadline {
            return Err(WireError::Timeout);
        }
        // A zero timeout would mean "block forever".
        let wait = (deadline - now).max(Duration::from_millis(1));
        self.stream.set_read_timeout(Some(wait))?;
        let n = loop {
            match self.stream.read(&mut self.buf) {
                Ok(n) => break n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err.into()),
            }
        };
        self.start = 0;
        self.end = n;
        Ok(n)
    }

    /// Reads one line; `budget` is what the current reply may still read.
    fn line(&mut self, deadline: Instant, budget: &mut usize) -> Result<Line, WireError> {
        let offset = self.consumed;
        let mut raw = Vec::new();
        let mut truncated = false;
        let mut seen = 0usize;
        loop {
            if self.start == self.end && self.fill(deadline)? == 0 {
                return Err(WireError::Closed {
                    partial: seen > 0 || *budget < self.limits.max_reply,
                });
            }
            let avail = &self.buf[self.start..self.end];
            let (take, done) = match avail.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            let chunk = &avail[..take];
            let room = self.limits.max_line.saturating_sub(raw.len());
            if chunk.len() > room {
                truncated = true;
            }
            raw.extend_from_slice(&chunk[..chunk.len().min(room)]);
            self.start += take;
            self.consumed += take as u64;
            seen += take;
            if take > *budget {
                return Err(WireError::TooLong {
                    bytes: self.limits.max_reply,
                });
            }
            *budget -= take;
            if done {
                break;
            }
        }
        if !truncated {
            if raw.last() == Some(&b'\n') {
                raw.pop();
            }
            if raw.last() == Some(&b'\r') {
                raw.pop();
            }
        }
        self.lines += 1;
        Ok(Line {
            number: self.lines,
            offset,
            raw,
            truncated,
        })
    }

    /// Reads one reply: `ddd text`, or `ddd-text` lines up to the line that starts with
    /// the same `ddd ` (other lines in between are part of it, as RFC 959 allows).
    pub fn reply(&mut self) -> Result<Reply, WireError> {
        let (deadline, session_ends) = self.deadline(self.limits.reply_timeout);
        match self.reply_by(deadline) {
            Err(WireError::Timeout) if session_ends => Err(WireError::SessionTimeout),
            other => other,
        }
    }

    fn reply_by(&mut self, deadline: Instant) -> Result<Reply, WireError> {
        let mut budget = self.limits.max_reply;
        let first = self.line(deadline, &mut budget)?;
        let Some(code) = reply_code(&first.raw) else {
            return Err(WireError::NotAReply { line: first.number });
        };
        let multi = first.raw.get(3) == Some(&b'-');
        let mut lines = vec![first];
        if multi {
            loop {
                if lines.len() >= self.limits.max_reply_lines {
                    return Err(WireError::TooLong {
                        bytes: self.limits.max_reply - budget,
                    });
                }
                let line = match self.line(deadline, &mut budget) {
                    Err(WireError::Closed { .. }) => {
                        return Err(WireError::Closed { partial: true });
                    }
                    other => other?,
                };
                let last = reply_code(&line.raw) == Some(code)
                    && matches!(line.raw.get(3), None | Some(b' '));
                lines.push(line);
                if last {
                    break;
                }
            }
        }
        Ok(Reply { code, lines })
    }
}

/// The code of a reply line: three digits, then a space, a dash or the end.
fn reply_code(raw: &[u8]) -> Option<u16> {
    let digits = raw.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) || !matches!(raw.get(3), None | Some(b' ' | b'-')) {
        return None;
    }
    let code = digits
        .iter()
        .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
    (100..600).contains(&code).then_some(code)
}

/// Whether a name a server gave (a directory in a listing) may be put in a command:
/// no CR, LF or NUL (they would smuggle a second command), no `/`, not `.`/`..`, not
/// empty, not absurdly long.
pub fn safe_argument(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['\r', '\n', '\0', '/'])
        && !name.chars().any(char::is_control)
}

/// Reads at most `max` bytes from a data connection until the server closes it, or the
/// deadline. Returns the bytes and whether the limit cut them.
pub fn read_data(
    stream: &mut TcpStream,
    max: usize,
    deadline: Instant,
) -> Result<(Vec<u8>, bool), WireError> {
    let mut data = Vec::new();
    let mut buf = [0u8; BUF_BYTES];
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(WireError::Timeout);
        }
        stream.set_read_timeout(Some((deadline - now).max(Duration::from_millis(1))))?;
        let n = match stream.read(&mut buf) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err.into()),
        };
        if n == 0 {
            return Ok((data, false));
        }
        let room = max - data.len();
        data.extend_from_slice(&buf[..n.min(room)]);
        if n > room || data.len() == max {
            return Ok((data, true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes() {
        assert_eq!(reply_code(b"220 ready"), Some(220));
        assert_eq!(reply_code(b"250-PIPELINING"), Some(250));
        assert_eq!(reply_code(b"221"), Some(221));
        assert_eq!(reply_code(b"22 x"), None);
        assert_eq!(reply_code(b"2200 x"), None);
        assert_eq!(reply_code(b"099 x"), None);
        assert_eq!(reply_code(b"abc x"), None);
    }

    #[test]
    fn arguments_from_servers() {
        assert!(safe_argument("incoming"));
        assert!(safe_argument("pub files"));
        for bad in ["", ".", "..", "a/b", "x\r\nDELE y", "x\0", "\u{1b}[2J"] {
            assert!(!safe_argument(bad), "{bad:?}");
        }
    }

    #[test]
    fn reply_text_strips_codes() {
        let line = |raw: &[u8]| Line {
            number: 1,
            offset: 0,
            raw: raw.to_vec(),
            truncated: false,
        };
        let reply = Reply {
            code: 250,
            lines: vec![line(b"250-host Hello"), line(b"250 SIZE")],
        };
        assert_eq!(reply.text(), "host Hello\nSIZE");
    }
}
