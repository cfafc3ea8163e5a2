//! Decompression chosen by magic bytes.
//!
//! Rotated logs come as `syslog.2.gz`, `maillog.3.bz2`, `auth.log.4.xz`, `messages.5.zst`,
//! but a name is only a claim: an admin (or an intruder) may have renamed, recompressed or
//! hand-edited a file, and a reader that trusts the suffix either shows garbage or skips
//! evidence. So [`open`] looks at the first bytes of the content and nothing else.
//!
//! Three properties matter more than speed here:
//!
//! * **Every member and stream.** `gzip` files are often several members concatenated
//!   (`cat a.gz b.gz`, logrotate's `copytruncate` races, `gzip` appending): a plain
//!   `GzDecoder` stops silently after the first member and the rest of the file — maybe the
//!   attack — is never seen. The same holds for bzip2 streams, xz streams and zstd frames,
//!   so every decoder here is the multi-member one.
//! * **A damaged file says so.** A truncated or corrupt archive (a disk image taken from a
//!   crashed machine, a log an intruder cut short) yields every byte that could be decoded
//!   and then an [`io::Error`] naming the format and how far decoding got — never a silent
//!   end of file that would pass for "nothing more happened".
//! * **Opening does no harm.** kensa runs as root on machines an attacker may own. Files
//!   are opened by [`kensa_fs`] only: inside the audited root, a FIFO cannot make the
//!   open hang, a device node is never opened at all (opening a tape drive rewinds it), and
//!   on Linux the access time is left alone where the kernel allows it, because responders
//!   read atimes as evidence. Memory is bounded per file: bzip2 needs under 4 MB by design,
//!   xz is given a memory limit and zstd a window limit, so a hostile header cannot demand
//!   gigabytes.

use kensa_fs::{Location, RootFile};
use std::fmt;
use std::io::{self, BufReader, Read};

/// Read buffer between the file and the decoder (or the caller, for plain text). Large
/// enough that system calls are not what limits throughput on multi-GB logs.
const READ_BUFFER: usize = 256 * 1024;

/// The largest zstd window accepted, as a power of two: 2^27 = 128 MiB, which is also
/// libzstd's own default ceiling and enough for `zstd --long` files. A frame asking for
/// more is refused with an error instead of an allocation.
const ZSTD_WINDOW_LOG_MAX: u32 = 27;

/// The memory liblzma may use per xz stream. `xz -9` needs 65 MiB to decompress and the
/// largest preset dictionary is 64 MiB; a header asking for more is hostile or broken.
const XZ_MEMORY_LIMIT: u64 = 256 * 1024 * 1024;

/// The compression format of a file, as told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Not a format kensa decompresses: read as it is (plain text, or unknown binary).
    None,
    /// gzip (RFC 1952), any number of members.
    Gzip,
    /// bzip2, any number of streams.
    Bzip2,
    /// xz, any number of streams.
    Xz,
    /// Zstandard, any number of frames (skippable frames included).
    Zstd,
}

impl Compression {
    /// The format the content starting with `head` is in, judged by magic bytes only.
    ///
    /// `head` may be shorter than any magic (an empty or tiny file): it is then plain.
    pub fn sniff(head: &[u8]) -> Compression {
        match head {
            // ID1 ID2; the method byte is left to the decoder so a damaged header is an
            // error the user sees, not a file silently read as text.
            [0x1f, 0x8b, ..] => Compression::Gzip,
            // "BZh" then the block size '1'..'9'; without the digit it is just text.
            [b'B', b'Z', b'h', b'1'..=b'9', ..] => Compression::Bzip2,
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
            // A zstd frame, or a skippable frame (magic 0x184D2A50..=0x184D2A5F, little
            // endian) which zstd tools may put first.
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [low, 0x2a, 0x4d, 0x18, ..] if low & 0xf0 == 0x50 => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// The name used in reports and diagnostics: "none", "gzip", "bzip2", "xz", "zstd".
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zstd => "zstd",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An opened log file: its format and a reader of its decompressed bytes.
pub struct Decoded {
    /// What the magic bytes said.
    pub compression: Compression,
    /// The decompressed content. A truncated or corrupt file gives what could be decoded,
    /// then an error (and the same error on every later read).
    pub reader: Box<dyn Read + Send>,
}

impl fmt::Debug for Decoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoded")
            .field("compression", &self.compression)
            .finish_non_exhaustive()
    }
}

/// Opens the file at `location` (through [`kensa_fs`]: a regular file only, confined to
/// the audited root when it is in one), sniffs its magic bytes and returns a
/// decompressing reader. gzip is read as multi-member, bzip2 and xz as multi-stream, zstd
/// as multi-frame with a bounded window.
pub fn open(location: &Location) -> io::Result<Decoded> {
    decode(location.open()?)
}

/// Wraps an opened file, read from its current position, in the decoder its first bytes
/// call for.
pub fn decode(mut file: RootFile) -> io::Result<Decoded> {
    let mut head = [0u8; 6];
    let head_len = read_up_to(&mut file, &mut head)?;
    let head = head.get(..head_len).unwrap_or_default().to_vec();
    let compression = Compression::sniff(&head);

    // The sniffed bytes are put back in front of the rest of the file, so no seek is
    // needed.
    let raw = BufReader::with_capacity(READ_BUFFER, io::Cursor::new(head).chain(file));
    let reader: Box<dyn Read + Send> = match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
        Compression::Bzip2 => Box::new(bzip2::bufread::MultiBzDecoder::new(raw)),
        Compression::Xz => {
            let stream = liblzma::stream::Stream::new_stream_decoder(
                XZ_MEMORY_LIMIT,
                liblzma::stream::CONCATENATED,
            )
            .map_err(io::Error::other)?;
            Box::new(liblzma::bufread::XzDecoder::new_stream(raw, stream))
        }
        Compression::Zstd => {
            let mut decoder = zstd::stream::read::Decoder::with_buffer(raw)?;
            decoder.window_log_max(ZSTD_WINDOW_LOG_MAX)?;
            Box::new(decoder)
        }
    };
    Ok(Decoded {
        compression,
        reader: Box::new(Explained::new(compression, reader)),
    })
}

/// Reads until `buf` is full or the file ends; returns how many bytes were read.
fn read_up_to(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// A reader that turns a decoder's terse error ("corrupt deflate stream") into one a
/// responder can act on — which format, and how many bytes were recovered before it — and
/// keeps returning it, so a caller that retries cannot read past damage into garbage.
struct Explained {
    compression: Compression,
    inner: Box<dyn Read + Send>,
    decoded: u64,
    failed: Option<(io::ErrorKind, String)>,
}

impl Explained {
    fn new(compression: Compression, inner: Box<dyn Read + Send>) -> Self {
        Explained {
            compression,
            inner,
            decoded: 0,
            failed: None,
        }
    }
}

impl Read for Explained {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some((kind, message)) = &self.failed {
            return Err(io::Error::new(*kind, message.clone()));
        }
        match self.inner.read(buf) {
            Ok(n) => {
                self.decoded = self.decoded.saturating_add(n as u64);
                Ok(n)
            }
            // Not damage: the caller's read loop retries these.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => Err(error),
            Err(error) => {
                let message = match self.compression {
                    Compression::None => {
                        format!("read error after {} bytes: {error}", self.decoded)
                    }
                    compression => format!(
                        "{compression} data corrupt or truncated after {} decompressed bytes: {error}",
                        self.decoded
                    ),
                };
                self.failed = Some((error.kind(), message.clone()));
                Err(io::Error::new(error.kind(), message))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_magic_and_nothing_else() {
        assert_eq!(Compression::sniff(b"\x1f\x8b\x08\0"), Compression::Gzip);
        assert_eq!(Compression::sniff(b"BZh91AY&SY"), Compression::Bzip2);
        assert_eq!(Compression::sniff(b"BZhello"), Compression::None);
        assert_eq!(Compression::sniff(b"\xfd7zXZ\0"), Compression::Xz);
        assert_eq!(Compression::sniff(b"\xfd7zXZ"), Compression::None);
        assert_eq!(Compression::sniff(b"\x28\xb5\x2f\xfd"), Compression::Zstd);
        assert_eq!(Compression::sniff(b"\x5a\x2a\x4d\x18"), Compression::Zstd);
        assert_eq!(Compression::sniff(b"\x1f"), Compression::None);
        assert_eq!(Compression::sniff(b""), Compression::None);
        assert_eq!(Compression::sniff(b"\x1f\x9d\x90"), Compression::None); // compress(1)
        assert_eq!(
            Compression::sniff(b"Dec 31 23:59:59 host"),
            Compression::None
        );
    }

    #[test]
    fn names_are_the_report_vocabulary() {
        let all = [
            Compression::None,
            Compression::Gzip,
            Compression::Bzip2,
            Compression::Xz,
            Compression::Zstd,
        ];
        let names: Vec<_> = all.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, ["none", "gzip", "bzip2", "xz", "zstd"]);
        assert_eq!(Compression::Xz.to_string(), "xz");
    }
}
