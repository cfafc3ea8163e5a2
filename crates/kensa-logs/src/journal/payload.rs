//! Decompression of DATA payloads, bounded.
//!
//! journald compresses a payload when it is at least a threshold long (512 bytes by
//! default) with the method the file was created for: xz in the early years, then LZ4,
//! and zstd since systemd 246. The object's flags say which. The formats are the plain
//! ones — an xz stream, a zstd frame — except LZ4, which systemd stores as a 64-bit little
//! endian uncompressed size followed by one LZ4 *block* (not the LZ4 frame format).
//!
//! A payload is attacker-supplied, and compression is how a few bytes on disk become
//! gigabytes in memory. So every decoder gets a cap on its output (the caller passes the
//! smaller of the per-payload limit and what the entry still may grow by) and a method
//! whose format states the size is held to it: an LZ4 size above the cap is refused before
//! any allocation, a zstd frame that records its content size gets exactly that much room
//! and no more, and xz output grows only up to the cap. The zstd context is kept and
//! reused (creating one per payload would cost more than decoding a log line).
//!
//! Every byte a decoder writes is counted in [`Codecs::produced`], also when the payload
//! is then refused: the reader holds that count to a budget of the whole file, which is
//! what bounds the work a hostile file can cause, not only what it hands out.

use super::problem::{Compression, Limit, ProblemKind};
use liblzma::stream::{Action, Status, Stream};
use std::io::Read;

/// Memory liblzma may use for one xz payload (journald writes with small presets).
const XZ_MEMORY_LIMIT: u64 = 64 * 1024 * 1024;
/// The largest zstd window accepted when a frame does not record its size: 2^27.
const ZSTD_WINDOW_LOG_MAX: u32 = 27;

/// Reusable decoder state.
#[derive(Default)]
pub(crate) struct Codecs {
    zstd: Option<zstd::bulk::Decompressor<'static>>,
    /// Bytes written by the decoders so far (room reserved and filled counts, whether
    /// the payload was good or not).
    pub(crate) produced: u64,
}

fn failed(method: Compression, detail: impl ToString) -> ProblemKind {
    ProblemKind::Decompress {
        method,
        detail: detail.to_string(),
    }
}

fn too_large(size: u64, cap: usize) -> ProblemKind {
    ProblemKind::TooLarge {
        what: Limit::Payload,
        size,
        limit: cap as u64,
    }
}

impl Codecs {
    /// Decodes `input` into `out` (cleared first), producing at most `cap` bytes.
    pub(crate) fn decode(
        &mut self,
        method: Compression,
        input: &[u8],
        cap: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), ProblemKind> {
        out.clear();
        let mut produced = 0;
        let result = match method {
            Compression::Lz4 => lz4(input, cap, out, &mut produced),
            Compression::Zstd => self.zstd(input, cap, out, &mut produced),
            Compression::Xz => xz(input, cap, out, &mut produced),
        };
        self.produced = self.produced.saturating_add(produced);
        result
    }

    fn zstd(
        &mut self,
        input: &[u8],
        cap: usize,
        out: &mut Vec<u8>,
        produced: &mut u64,
    ) -> Result<(), ProblemKind> {
        let method = Compression::Zstd;
        match zstd::zstd_safe::get_frame_content_size(input) {
            Ok(Some(size)) => {
                if size > cap as u64 {
                    return Err(too_large(size, cap));
                }
                if self.zstd.is_none() {
                    self.zstd =
                        Some(zstd::bulk::Decompressor::new().map_err(|e| failed(method, e))?);
                }
                let Some(decompressor) = self.zstd.as_mut() else {
                    return Err(failed(method, "no decoder"));
                };
                out.reserve_exact(size as usize);
                // Counted before: a frame that fails halfway has still done up to this.
                *produced = size;
                // The output cannot outgrow the capacity reserved: a frame producing more
                // than it recorded is an error, not a reallocation.
                let written = decompressor
                    .decompress_to_buffer(input, out)
                    .map_err(|e| failed(method, e))?;
                if written as u64 != size {
                    return Err(failed(
                        method,
                        format!("{written} bytes, frame says {size}"),
                    ));
                }
                Ok(())
            }
            Ok(None) => {
                // journald always records the size; another writer may not.
                let mut decoder = zstd::stream::read::Decoder::with_buffer(input)
                    .map_err(|e| failed(method, e))?;
                decoder
                    .window_log_max(ZSTD_WINDOW_LOG_MAX)
                    .map_err(|e| failed(method, e))?;
                let read = decoder.take(cap as u64 + 1).read_to_end(out);
                *produced = out.len() as u64;
                let read = read.map_err(|e| failed(method, e))?;
                if read > cap {
                    out.clear();
                    return Err(too_large(read as u64, cap));
                }
                Ok(())
            }
            Err(_) => Err(failed(method, "not a zstd frame")),
        }
    }
}

fn lz4(input: &[u8], cap: usize, out: &mut Vec<u8>, produced: &mut u64) -> Result<(), ProblemKind> {
    let method = Compression::Lz4;
    let Some((size, block)) = input.split_first_chunk::<8>() else {
        return Err(failed(method, "shorter than its size field"));
    };
    let size = u64::from_le_bytes(*size);
    if size > cap as u64 {
        return Err(too_large(size, cap));
    }
    out.resize(size as usize, 0);
    *produced = size;
    match lz4_flex::block::decompress_into(block, out) {
        Ok(n) if n as u64 == size => Ok(()),
        Ok(n) => {
            out.clear();
            Err(failed(method, format!("{n} bytes, size field says {size}")))
        }
        Err(error) => {
            out.clear();
            Err(failed(method, error))
        }
    }
}

fn xz(input: &[u8], cap: usize, out: &mut Vec<u8>, produced: &mut u64) -> Result<(), ProblemKind> {
    let result = xz_into(input, cap, out);
    *produced = out.len() as u64;
    if result.is_err() {
        out.clear();
    }
    result
}

/// [`xz`], leaving in `out` what was decoded, also when it fails (so it can be counted).
fn xz_into(input: &[u8], cap: usize, out: &mut Vec<u8>) -> Result<(), ProblemKind> {
    let method = Compression::Xz;
    let mut stream =
        Stream::new_stream_decoder(XZ_MEMORY_LIMIT, 0).map_err(|e| failed(method, e))?;
    // Room for one byte more than the cap, so that reaching past it is seen.
    let room = cap.saturating_add(1);
    // liblzma fills whatever capacity there is: a buffer left large by an earlier payload
    // would let it decode far past this one's cap before the check below.
    if out.capacity() > room {
        out.shrink_to(room);
    }
    out.reserve(room.min(input.len().saturating_mul(4).max(4096)));
    loop {
        let consumed = usize::try_from(stream.total_in()).unwrap_or(usize::MAX);
        let before = (stream.total_in(), stream.total_out());
        let rest = input.get(consumed..).unwrap_or(&[]);
        let status = stream
            .process_vec(rest, out, Action::Finish)
            .map_err(|e| failed(method, e))?;
        if out.len() > cap {
            let size = out.len() as u64;
            return Err(too_large(size, cap));
        }
        if status == Status::StreamEnd {
            return Ok(());
        }
        if out.len() == out.capacity() {
            let grow = out.len().max(4096).min(room - out.len());
            out.reserve_exact(grow);
        } else if before == (stream.total_in(), stream.total_out()) {
            return Err(failed(method, "stream ends early"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn xz_of(data: &[u8]) -> Vec<u8> {
        let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 1);
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn lz4_of(data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u64).to_le_bytes().to_vec();
        out.extend(lz4_flex::block::compress(data));
        out
    }

    #[test]
    fn every_method_round_trips_and_respects_the_cap() {
        let data = b"MESSAGE="
            .iter()
            .chain(&[b'x'; 5000])
            .copied()
            .collect::<Vec<u8>>();
        let mut codecs = Codecs::default();
        let mut out = Vec::new();
        let inputs = [
            (Compression::Xz, xz_of(&data)),
            (Compression::Lz4, lz4_of(&data)),
            (Compression::Zstd, zstd::bulk::compress(&data, 3).unwrap()),
        ];
        for (method, input) in &inputs {
            codecs.decode(*method, input, data.len(), &mut out).unwrap();
            assert_eq!(out, data, "{method:?}");
            let error = codecs
                .decode(*method, input, data.len() - 1, &mut out)
                .unwrap_err();
            assert!(
                matches!(error, ProblemKind::TooLarge { .. }),
                "{method:?}: {error:?}"
            );
            // Cut short: an error, never a panic.
            for cut in [0, 1, 7, 8, 9, input.len() / 2, input.len() - 1] {
                let result = codecs.decode(*method, &input[..cut], data.len(), &mut out);
                assert!(result.is_err(), "{method:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn lz4_size_field_is_checked_before_allocating() {
        let mut input = u64::MAX.to_le_bytes().to_vec();
        input.extend_from_slice(&[0x10, b'a']);
        let mut produced = 0;
        let error = lz4(&input, 1 << 20, &mut Vec::new(), &mut produced).unwrap_err();
        assert_eq!(produced, 0);
        assert!(matches!(
            error,
            ProblemKind::TooLarge { size: u64::MAX, .. }
        ));
    }
}
