//! Line framing with a literal prefilter: the hot loop of a log scan.
//!
//! Most log lines are noise to every detector, so lines are not framed one by one. The
//! decoded bytes are read in large chunks and the [`Prefilter`] (built by the
//! engine from every enabled detector's needles) runs over the whole chunk; only around a
//! match are the line's bounds found and the line handed on. Line numbers stay exact
//! because the newlines between candidates are counted (a vectorised `memchr` pass), and
//! byte offsets are those of the decompressed text, as evidence needs them.
//!
//! On the way the scanner notices what a tampering analyst wants to know without any
//! detector asking: runs of NUL bytes (what log wipers leave when they zero lines in
//! place) and overlong lines. It also hands on the first line of every chunk as a
//! *checkpoint* so that the year tracker sees the months go by even where no candidate
//! line is.
//!
//! Memory is bounded by design: one chunk buffer, and of an overlong line only the first
//! [`MAX_LINE`] bytes are kept (the rest is still searched for needles).

use crate::prefilter::Prefilter;
use crate::record::LineRef;
use std::io::{self, Read};

/// Bytes read per chunk.
const CHUNK: usize = 1 << 20;
/// Of a line, at most this many bytes are kept and handed on; longer lines are cut.
pub const MAX_LINE: usize = 256 * 1024;

/// What the scanner hands on, in file order.
#[derive(Debug)]
pub enum Event<'a> {
    /// A line that contains at least one needle.
    Candidate(LineRef<'a>),
    /// The first complete line of a chunk, for the year tracker. Not a candidate (a line
    /// can be both; it is then given twice, checkpoint first).
    Checkpoint(LineRef<'a>),
    /// A run of NUL bytes starting at `offset`, inside line `line`.
    NulRun {
        /// 1-based line where the run starts.
        line: u64,
        /// Byte offset of the first NUL.
        offset: u64,
        /// Number of NUL bytes.
        len: u64,
    },
    /// A line longer than [`MAX_LINE`]; only its start was kept.
    LongLine {
        /// 1-based line number.
        line: u64,
        /// Byte offset of the line's start.
        offset: u64,
        /// Its full length in bytes.
        len: u64,
    },
}

/// What one file's scan amounted to.
#[derive(Debug, Default)]
pub struct ScanSummary {
    /// Decompressed bytes read.
    pub bytes: u64,
    /// Lines seen (a final line without newline counts).
    pub lines: u64,
    /// Candidate lines handed on.
    pub candidates: u64,
    /// The read error that ended the scan early (truncated or corrupt data), if any.
    /// Everything before it was scanned.
    pub error: Option<io::Error>,
    /// The data is binary, not a text log (many control bytes in its first chunk); the
    /// scan stopped at once.
    pub binary: bool,
}

/// Whether a chunk looks like binary data rather than a text log: more than 2 % of its
/// bytes are C0 control characters other than tab, line feed, vertical tab, form feed,
/// carriage return and escape. NUL is not counted, so a log whose lines were zeroed in
/// place is still read (and the NULs reported); Latin-1, EUC-JP and UTF-8 text have no C0
/// bytes at all.
pub fn looks_binary(chunk: &[u8]) -> bool {
    let controls = chunk
        .iter()
        .filter(|&&b| {
            b != 0 && b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1b)
        })
        .count();
    controls * 50 > chunk.len()
}

/// Scans `reader` to its end (or first read error), calling `sink` for every event.
/// `file` is the name put into each [`LineRef`].
pub fn scan(
    reader: &mut dyn Read,
    file: &str,
    prefilter: &Prefilter,
    sink: &mut dyn FnMut(Event<'_>),
) -> ScanSummary {
    scan_from(reader, file, prefilter, 0, 1, sink)
}

/// Like [`scan`], for a reader that starts inside the file, at a line start: `offset`
/// and `line` are the byte offset and 1-based line number of its first byte, so that
/// events name their place in the whole file (incremental runs resume where the last
/// one stopped).
pub fn scan_from(
    reader: &mut dyn Read,
    file: &str,
    prefilter: &Prefilter,
    offset: u64,
    line: u64,
    sink: &mut dyn FnMut(Event<'_>),
) -> ScanSummary {
    let mut scanner = Scanner {
        file,
        prefilter,
        buf: vec![0; CHUNK + MAX_LINE],
        len: 0,
        base: offset,
        line: line.max(1),
        nul: None,
        long: None,
        summary: ScanSummary::default(),
    };
    scanner.run(reader, sink);
    scanner.summary
}

/// State of an overlong line being skipped: where it started, how long so far, and
/// whether a needle was seen in it.
struct LongLine {
    line: u64,
    offset: u64,
    len: u64,
    matched: bool,
}

struct Scanner<'a> {
    file: &'a str,
    prefilter: &'a Prefilter,
    /// The chunk buffer: `buf[..len]` holds unprocessed bytes, starting at a line start
    /// (or inside an overlong line being skipped).
    buf: Vec<u8>,
    len: usize,
    /// File offset of `buf[0]`.
    base: u64,
    /// Line number of the line starting at `buf[0]`.
    line: u64,
    /// An open NUL run (line, offset, len) that may continue into the next chunk.
    nul: Option<(u64, u64, u64)>,
    long: Option<LongLine>,
    summary: ScanSummary,
}

impl Scanner<'_> {
    fn run(&mut self, reader: &mut dyn Read, sink: &mut dyn FnMut(Event<'_>)) {
        let mut first = true;
        loop {
            let eof = match self.fill(reader) {
                Ok(eof) => eof,
                Err(err) => {
                    self.summary.error = Some(err);
                    true
                }
            };
            if std::mem::take(&mut first) && looks_binary(&self.buf[..self.len]) {
                self.summary.binary = true;
                return;
            }
            if self.long.is_some() {
                self.skip_long_line(sink, eof);
                if self.long.is_some() {
                    if eof {
                        break;
                    }
                    continue;
                }
            }
            let complete = match memchr::memrchr(b'\n', &self.buf[..self.len]) {
                // At the end, the last line counts even without its newline.
                _ if eof => self.len,
                Some(last_newline) => last_newline + 1,
                None if self.len == self.buf.len() => {
                    self.start_long_line(sink);
                    continue;
                }
                None => 0,
            };
            if complete > 0 {
                self.process(complete, sink);
                self.consume(complete);
            }
            if eof {
                self.flush_nul(sink);
                break;
            }
        }
    }

    /// Reads until the buffer is full or the reader ends; returns whether it ended.
    fn fill(&mut self, reader: &mut dyn Read) -> io::Result<bool> {
        while self.len < self.buf.len() {
            match reader.read(&mut self.buf[self.len..]) {
                Ok(0) => return Ok(true),
                Ok(n) => {
                    self.len += n;
                    self.summary.bytes += n as u64;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        Ok(false)
    }

    /// Drops the first `n` bytes of the buffer, which start at a line start and end
    /// after a newline (or at the end of the data).
    fn consume(&mut self, n: usize) {
        self.buf.copy_within(n..self.len, 0);
        self.len -= n;
        self.base += n as u64;
    }

    /// Frames `buf[..end]`, which holds whole lines (the last one may lack its newline
    /// only at the end of the data).
    fn process(&mut self, end: usize, sink: &mut dyn FnMut(Event<'_>)) {
        let region_line = self.line;
        let region = &self.buf[..end];
        // Checkpoint: the first line of the chunk.
        let first_end = memchr::memchr(b'\n', region).unwrap_or(end);
        sink(Event::Checkpoint(self.line_ref(0, first_end, region_line)));

        self.find_nuls(end, region_line, sink);

        // Candidates. `counted`/`line` track how far newlines have been counted.
        let region = &self.buf[..end];
        let mut counted = 0usize;
        let mut line = region_line;
        let mut pos = 0usize;
        let mut positions = self.prefilter.positions(region);
        while pos < end {
            let Some(at) = positions.next_from(pos) else {
                break;
            };
            let start = memchr::memrchr(b'\n', &region[..at]).map_or(0, |i| i + 1);
            let stop = memchr::memchr(b'\n', &region[at..]).map_or(end, |i| at + i);
            line += count_newlines(&region[counted..start]);
            counted = start;
            let cut = stop.min(start + MAX_LINE);
            if stop - start > MAX_LINE {
                let len = (stop - start) as u64;
                sink(Event::LongLine {
                    line,
                    offset: self.base + start as u64,
                    len,
                });
            }
            sink(Event::Candidate(LineRef {
                file: self.file,
                line,
                offset: self.base + start as u64,
                raw: trim_cr(&region[start..cut]),
                before: &region[..start],
                journal: None,
            }));
            self.summary.candidates += 1;
            pos = stop + 1;
        }
        let newlines = line - region_line + count_newlines(&region[counted..end]);
        let ends_with_newline = region.last() == Some(&b'\n');
        self.summary.lines += newlines + u64::from(!ends_with_newline);
        self.line = region_line + newlines;
    }

    fn line_ref(&self, start: usize, end: usize, line: u64) -> LineRef<'_> {
        LineRef {
            file: self.file,
            line,
            offset: self.base + start as u64,
            raw: trim_cr(&self.buf[start..end.min(start + MAX_LINE)]),
            before: &[],
            journal: None,
        }
    }

    /// Reports NUL runs in `buf[..end]`, joining a run that continues from the last
    /// chunk.
    fn find_nuls(&mut self, end: usize, region_line: u64, sink: &mut dyn FnMut(Event<'_>)) {
        self.find_nuls_from(0, end, self.base, region_line, sink);
    }

    /// Reports NUL runs in `buf[from..end]`, whose first byte is at file offset `base`
    /// and on line `region_line`, joining a run that continues from the bytes before.
    fn find_nuls_from(
        &mut self,
        from: usize,
        end: usize,
        base: u64,
        region_line: u64,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        let mut pos = from;
        let mut counted = from;
        let mut line = region_line;
        while let Some(i) = memchr::memchr(0, &self.buf[pos..end]) {
            let at = pos + i;
            let run = zero_run(&self.buf[at..end]);
            let offset = base + (at - from) as u64;
            match &mut self.nul {
                Some((_, start, len)) if *start + *len == offset => *len += run as u64,
                _ => {
                    self.flush_nul(sink);
                    line += count_newlines(&self.buf[counted..at]);
                    counted = at;
                    self.nul = Some((line, offset, run as u64));
                }
            }
            pos = at + run;
            if pos < end {
                self.flush_nul(sink);
            }
        }
    }

    fn flush_nul(&mut self, sink: &mut dyn FnMut(Event<'_>)) {
        if let Some((line, offset, len)) = self.nul.take() {
            sink(Event::NulRun { line, offset, len });
        }
    }

    /// The buffer is full and holds no newline: the line at `buf[0]` is overlong. Its
    /// first [`MAX_LINE`] bytes stay at the front of the buffer for evidence; the rest
    /// is searched for needles and dropped, here and in [`Scanner::skip_long_line`].
    fn start_long_line(&mut self, sink: &mut dyn FnMut(Event<'_>)) {
        // A wiped file can be one "line" of NULs with no newline: its runs are reported
        // here, as the kept prefix and the dropped rest go by.
        self.find_nuls(self.len, self.line, sink);
        let matched = self.prefilter.is_match(&self.buf[..self.len]);
        self.long = Some(LongLine {
            line: self.line,
            offset: self.base,
            len: self.len as u64,
            matched,
        });
        self.len = MAX_LINE;
    }

    /// Continues an overlong line: searches the newly read bytes past the kept prefix
    /// for needles and the line's end.
    fn skip_long_line(&mut self, sink: &mut dyn FnMut(Event<'_>), eof: bool) {
        let Some(long) = self.long.as_mut() else {
            return;
        };
        let fresh = &self.buf[MAX_LINE..self.len];
        // A needle that straddles the seam between reads is missed; one inside the
        // kept prefix or a read is not.
        let newline = memchr::memchr(b'\n', fresh);
        let searched = &fresh[..newline.unwrap_or(fresh.len())];
        long.matched |= self.prefilter.is_match(searched);
        let (searched_len, at, line) = (searched.len(), long.offset + long.len, long.line);
        long.len += searched_len as u64;
        self.find_nuls_from(MAX_LINE, MAX_LINE + searched_len, at, line, sink);
        if newline.is_none() && !eof {
            self.len = MAX_LINE;
            return;
        }
        let long = self.long.take().expect("checked above");
        let line = long.line;
        sink(Event::LongLine {
            line,
            offset: long.offset,
            len: long.len,
        });
        if long.matched {
            sink(Event::Candidate(LineRef {
                file: self.file,
                line,
                offset: long.offset,
                raw: trim_cr(&self.buf[..MAX_LINE]),
                before: &[],
                journal: None,
            }));
            self.summary.candidates += 1;
        }
        self.summary.lines += 1;
        self.line += 1;
        // Drop the kept prefix and the rest of the line with its newline.
        let line_rest_end = MAX_LINE + searched_len + usize::from(newline.is_some());
        self.buf.copy_within(line_rest_end..self.len, 0);
        self.len -= line_rest_end;
        self.base = long.offset + long.len + u64::from(newline.is_some());
    }
}

/// How many NUL bytes `bytes` starts with, eight at a time: a wiped file is gigabytes of
/// them.
fn zero_run(bytes: &[u8]) -> usize {
    let words = bytes.chunks_exact(8);
    let mut run = 0;
    for word in words {
        let word = u64::from_ne_bytes(word.try_into().expect("eight bytes"));
        if word != 0 {
            return run + word.to_ne_bytes().iter().take_while(|&&b| b == 0).count();
        }
        run += 8;
    }
    run + bytes[run..].iter().take_while(|&&b| b == 0).count()
}

fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Seen {
        Candidate {
            line: u64,
            offset: u64,
            raw: Vec<u8>,
        },
        Nul {
            line: u64,
            offset: u64,
            len: u64,
        },
        Long {
            line: u64,
            offset: u64,
            len: u64,
        },
    }

    fn run(data: &[u8], needles: &[&str]) -> (Vec<Seen>, ScanSummary) {
        run_reader(&mut &data[..], needles)
    }

    fn run_reader(reader: &mut dyn Read, needles: &[&str]) -> (Vec<Seen>, ScanSummary) {
        let ac = Prefilter::new(needles.iter().copied());
        let mut seen = Vec::new();
        let summary = scan(reader, "f", &ac, &mut |event| match event {
            Event::Candidate(l) => seen.push(Seen::Candidate {
                line: l.line,
                offset: l.offset,
                raw: l.raw.to_vec(),
            }),
            Event::NulRun { line, offset, len } => seen.push(Seen::Nul { line, offset, len }),
            Event::LongLine { line, offset, len } => seen.push(Seen::Long { line, offset, len }),
            Event::Checkpoint(_) => {}
        });
        (seen, summary)
    }

    /// The obvious line-by-line implementation the scanner must agree with.
    fn reference(data: &[u8], needles: &[&str]) -> Vec<Seen> {
        let mut out = Vec::new();
        let mut offset = 0u64;
        let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        if data.ends_with(b"\n") {
            lines.pop();
        }
        for (i, line) in lines.iter().enumerate() {
            if needles
                .iter()
                .any(|n| line.windows(n.len()).any(|w| w == n.as_bytes()))
            {
                let raw = line.strip_suffix(b"\r").unwrap_or(line);
                let raw = &raw[..raw.len().min(MAX_LINE)];
                out.push(Seen::Candidate {
                    line: i as u64 + 1,
                    offset,
                    raw: raw.to_vec(),
                });
            }
            offset += line.len() as u64 + 1;
        }
        out
    }

    #[test]
    fn finds_candidate_lines_with_exact_numbers_and_offsets() {
        let data = b"Jan  1 a: x\r\nJan  1 b: /etc/passwd here\r\nno\nlast .rhosts";
        let (seen, summary) = run(data, &["/etc/passwd", ".rhosts"]);
        assert_eq!(
            seen,
            vec![
                Seen::Candidate {
                    line: 2,
                    offset: 13,
                    raw: b"Jan  1 b: /etc/passwd here".to_vec()
                },
                Seen::Candidate {
                    line: 4,
                    offset: 44,
                    raw: b"last .rhosts".to_vec()
                },
            ]
        );
        assert_eq!(summary.lines, 4);
        assert_eq!(summary.candidates, 2);
        assert_eq!(summary.bytes, data.len() as u64);
    }

    #[test]
    fn a_scan_from_the_middle_names_places_in_the_whole_file() {
        let data = b"Jan  1 a: x\nJan  1 b: /etc/passwd here\nno\nlast .rhosts\n";
        let ac = Prefilter::new([".rhosts", "/etc/passwd"]);
        let mut seen = Vec::new();
        let tail = &data[39..];
        let summary = scan_from(&mut &tail[..], "f", &ac, 39, 3, &mut |event| {
            if let Event::Candidate(l) = event {
                seen.push((l.line, l.offset, l.raw.to_vec()));
            }
        });
        assert_eq!(seen, vec![(4, 42, b"last .rhosts".to_vec())]);
        assert_eq!(summary.lines, 2);
        assert_eq!(summary.bytes, tail.len() as u64);
    }

    #[test]
    fn agrees_with_the_reference_across_chunk_boundaries() {
        // 3 MiB of lines of varied length, needles sprinkled pseudo-randomly, so that
        // matches fall on and around every chunk seam.
        let mut data = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        while data.len() < 3 * CHUNK {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 300) as usize;
            for i in 0..len {
                data.push(b'a' + ((x as usize + i) % 26) as u8);
            }
            if x.is_multiple_of(17) {
                data.extend_from_slice(b" stat=Sent");
            }
            data.push(b'\n');
        }
        let needles = ["stat=Sent", "qqq"];
        let (seen, summary) = run(&data, &needles);
        let expected = reference(&data, &needles);
        assert!(expected.len() > 1000);
        assert_eq!(seen, expected);
        assert_eq!(
            summary.lines,
            data.iter().filter(|&&b| b == b'\n').count() as u64
        );
    }

    #[test]
    fn stops_at_binary_data_but_reads_zeroed_and_foreign_text() {
        let random: Vec<u8> = (0u32..65536)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let (_, summary) = run(&random, &["x"]);
        assert!(summary.binary);
        let mut wiped = b"Jan  1 host a: b\n".to_vec();
        wiped.extend(std::iter::repeat_n(0u8, 4000));
        wiped.extend_from_slice(b"Jan  1 host a: \xa5\xd0\xa5\xc3\xe9t\xe9\n");
        let (seen, summary) = run(&wiped, &["zzz"]);
        assert!(!summary.binary);
        assert_eq!(
            seen,
            vec![Seen::Nul {
                line: 2,
                offset: 17,
                len: 4000
            }]
        );
    }

    #[test]
    fn reports_nul_runs_where_they_start() {
        let data = b"one\ntwo\0\0\0\0three\nfour\n\0\0\n";
        let (seen, _) = run(data, &["zzz"]);
        assert_eq!(
            seen,
            vec![
                Seen::Nul {
                    line: 2,
                    offset: 7,
                    len: 4
                },
                Seen::Nul {
                    line: 4,
                    offset: 22,
                    len: 2
                }
            ]
        );
    }

    #[test]
    fn zero_runs_are_measured_to_the_byte() {
        for len in 0..40 {
            for tail in [&b""[..], b"x", b"\0x"] {
                let mut bytes = vec![0u8; len];
                bytes.extend_from_slice(tail);
                let want = bytes.iter().take_while(|&&b| b == 0).count();
                assert_eq!(zero_run(&bytes), want, "{len} {tail:?}");
            }
        }
    }

    #[test]
    fn a_wiped_file_without_newlines_is_one_nul_run() {
        // What a log wiper leaves when it zeroes a whole file: no newline at all, so
        // every byte goes through the overlong-line path.
        let data = vec![0u8; 5 * CHUNK + 17];
        let (seen, summary) = run(&data, &["sshd"]);
        let nuls: Vec<&Seen> = seen
            .iter()
            .filter(|s| matches!(s, Seen::Nul { .. }))
            .collect();
        assert_eq!(
            nuls,
            [&Seen::Nul {
                line: 1,
                offset: 0,
                len: data.len() as u64
            }]
        );
        assert_eq!(summary.lines, 1);
    }

    #[test]
    fn nul_runs_inside_an_overlong_line_keep_their_offsets() {
        let mut data = b"first\n".to_vec();
        let long_start = data.len() as u64;
        data.extend(std::iter::repeat_n(b'x', 2 * CHUNK));
        let run_at = data.len() as u64;
        data.extend(std::iter::repeat_n(0u8, 4000));
        data.extend(std::iter::repeat_n(b'y', CHUNK));
        data.extend_from_slice(b"\nDec  7 10:00:00 h sshd[1]: after\n");
        let (seen, _) = run(&data, &["sshd"]);
        let nuls: Vec<&Seen> = seen
            .iter()
            .filter(|s| matches!(s, Seen::Nul { .. }))
            .collect();
        assert_eq!(
            nuls,
            [&Seen::Nul {
                line: 2,
                offset: run_at,
                len: 4000
            }],
            "long line at {long_start}"
        );
    }

    #[test]
    fn keeps_the_start_of_an_overlong_line_and_counts_on() {
        let mut data = b"first\n".to_vec();
        let long_start = data.len() as u64;
        data.extend(std::iter::repeat_n(b'x', 3 * CHUNK));
        data.extend_from_slice(b" to=|/bin/sh ");
        data.extend(std::iter::repeat_n(b'y', 1000));
        let long_len = data.len() as u64 - long_start;
        data.extend_from_slice(b"\nafter |/bin/sh\n");
        let (seen, summary) = run(&data, &["|/bin/sh"]);
        assert_eq!(
            seen.len(),
            3,
            "{:?}",
            seen.iter()
                .map(|s| match s {
                    Seen::Candidate { line, .. } => format!("cand {line}"),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
        );
        assert_eq!(
            seen[0],
            Seen::Long {
                line: 2,
                offset: long_start,
                len: long_len
            }
        );
        match &seen[1] {
            Seen::Candidate { line, offset, raw } => {
                assert_eq!((*line, *offset, raw.len()), (2, long_start, MAX_LINE));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            seen[2],
            Seen::Candidate {
                line: 3,
                offset: long_start + long_len + 1,
                raw: b"after |/bin/sh".to_vec()
            }
        );
        assert_eq!(summary.lines, 3);
    }

    #[test]
    fn a_read_error_keeps_what_was_read() {
        struct Failing<'a>(&'a [u8]);
        impl Read for Failing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "truncated"));
                }
                let n = buf.len().min(self.0.len()).min(7);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let data = b"a /etc/passwd\nb\nc /etc/passwd (cut";
        let (seen, summary) = run_reader(&mut Failing(data), &["/etc/passwd"]);
        assert_eq!(seen.len(), 2);
        assert!(summary.error.is_some());
        assert_eq!(summary.lines, 3);
    }
}
