#!/usr/bin/env python3
"""syslog_to_export.py — a generated corpus's syslog lines as systemd journal export format.

Why: the journal benchmark (journal-bench.sh) needs a big journal written by systemd's own
code. systemd-journal-remote writes one from export format; this turns the text logs of
../shared/bench/gen_corpus.py into that format, one entry per line, with the fields
journald records for a syslog message (_HOSTNAME, SYSLOG_IDENTIFIER, _PID, MESSAGE,
__REALTIME_TIMESTAMP). The corpus runs from late December into January, so a year-less
December stamp is --start-year and any other month the year after. Messages are written in
the binary-safe field form, so EUC-JP and other non-UTF-8 bytes pass unchanged.

Usage: syslog_to_export.py [--start-year 1996] [--tz-offset +09:00] FILE... > export.txt
Files are decompressed by magic bytes (gzip, bzip2, xz); give them oldest first.
"""
import argparse, bz2, calendar, datetime, gzip, lzma, re, struct, sys

MONTHS = {m: i for i, m in enumerate(calendar.month_abbr) if m}
BSD = re.compile(rb"^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) (.*)$", re.S)
ISO = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (\S+) (.*)$", re.S)
PROG = re.compile(rb"^([^\s\[:]+)(?:\[(\d+)\])?: (.*)$", re.S)


def opened(path):
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"\x1f\x8b"):
        return gzip.open(path, "rb")
    if magic.startswith(b"BZh"):
        return bz2.open(path, "rb")
    if magic.startswith(b"\xfd7zXZ\x00"):
        return lzma.open(path, "rb")
    return open(path, "rb")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--start-year", type=int, default=1996)
    ap.add_argument("--tz-offset", default="+09:00")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    sign = -1 if args.tz_offset[0] == "-" else 1
    hh, mm = args.tz_offset[1:].split(":")
    tz = datetime.timezone(sign * datetime.timedelta(hours=int(hh), minutes=int(mm)))
    out = sys.stdout.buffer
    n = 0
    for path in args.files:
        with opened(path) as f:
            for raw in f:
                line = raw.rstrip(b"\n")
                m = BSD.match(line)
                if m:
                    month = MONTHS.get(m.group(1).decode())
                    if month is None:
                        continue
                    year = args.start_year if month == 12 else args.start_year + 1
                    try:
                        dt = datetime.datetime(year, month, int(m.group(2)), int(m.group(3)),
                                               int(m.group(4)), int(m.group(5)), tzinfo=tz)
                    except ValueError:
                        continue
                    host, rest = m.group(6), m.group(7)
                else:
                    m = ISO.match(line)
                    if not m:
                        continue
                    dt = datetime.datetime.fromisoformat(m.group(1).decode().replace("Z", "+00:00"))
                    host, rest = m.group(2), m.group(3)
                usec = int(dt.timestamp()) * 1_000_000 + dt.microsecond
                p = PROG.match(rest)
                prog, pid, msg = (p.group(1), p.group(2), p.group(3)) if p else (b"", None, rest)
                n += 1
                head = b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n" % (usec, n)
                head += b"_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=" + host + b"\n"
                if prog:
                    head += b"SYSLOG_IDENTIFIER=" + prog + b"\n"
                if pid:
                    head += b"_PID=" + pid + b"\n"
                out.write(head + b"MESSAGE\n" + struct.pack("<Q", len(msg)) + msg + b"\n\n")


if __name__ == "__main__":
    main()
