#!/usr/bin/env python3
"""Syslog text (BSD `Mon dd hh:mm:ss host prog[pid]: msg` or ISO 8601 stamps) to the
journal export format, for `systemd-journal-remote` to turn into a journal file.

    syslog2export.py [--max N] [--year 1996] FILE... > out.export

Compressed inputs (.gz, .bz2, .xz) are read too. Every line becomes one entry with
__REALTIME_TIMESTAMP, __MONOTONIC_TIMESTAMP, _BOOT_ID (one per host), _HOSTNAME,
SYSLOG_IDENTIFIER, _PID, PRIORITY, _TRANSPORT and MESSAGE. Values holding control
characters are written in the export format's binary form. Times are taken as UTC+09:00
(the corpus generator's zone); a line with no stamp inherits the previous one.
"""
import bz2, datetime, gzip, hashlib, lzma, re, struct, sys

MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
ZONE = datetime.timezone(datetime.timedelta(hours=9))
BSD = re.compile(rb"^([A-Z][a-z]{2}) +(\d+) (\d\d):(\d\d):(\d\d) (\S+) (.*)$", re.S)
ISO = re.compile(rb"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[+-]\d\d:\d\d|Z) (\S+) (.*)$", re.S)
TAG = re.compile(rb"^([^\s\[:]+)(?:\[(\d+)\])?: ?(.*)$", re.S)


def field(out, name, value):
    if any(b < 0x20 and b != 9 for b in value):
        out.write(name + b"\n" + struct.pack("<Q", len(value)) + value + b"\n")
    else:
        out.write(name + b"=" + value + b"\n")


def open_any(path):
    for suffix, opener in ((".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)):
        if path.endswith(suffix):
            return opener(path, "rb")
    return open(path, "rb")


def main():
    args = sys.argv[1:]
    limit, year = None, 1996
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--max":
            limit = int(args.pop(0))
        elif opt == "--year":
            year = int(args.pop(0))
    out = sys.stdout.buffer
    count, monotonic, last = 0, 1_000_000, 820_000_000 * 10**6
    for path in args:
        with open_any(path) as f:
            for line in f:
                line = line.rstrip(b"\n")
                if not line:
                    continue
                host, rest, when = b"localhost", line, None
                m = BSD.match(line)
                if m and m.group(1).decode() in MONTHS:
                    mon = MONTHS[m.group(1).decode()]
                    y = year if mon >= 7 else year + 1
                    try:
                        when = datetime.datetime(y, mon, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)), tzinfo=ZONE)
                    except ValueError:
                        when = None
                    host, rest = m.group(6), m.group(7)
                else:
                    m = ISO.match(line)
                    if m:
                        frac = (m.group(7) or b"0").decode()
                        try:
                            when = datetime.datetime(*(int(m.group(i)) for i in range(1, 7)), int(frac.ljust(6, "0")[:6]), tzinfo=ZONE)
                        except ValueError:
                            when = None
                        host, rest = m.group(8), m.group(9)
                realtime = int(when.timestamp() * 10**6) if when else last
                last = realtime
                monotonic += 1000
                out.write(b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n" % (realtime, monotonic))
                out.write(b"_BOOT_ID=" + hashlib.md5(host).hexdigest().encode() + b"\n")
                field(out, b"_HOSTNAME", host)
                t = TAG.match(rest)
                if t:
                    field(out, b"SYSLOG_IDENTIFIER", t.group(1))
                    if t.group(2):
                        field(out, b"_PID", t.group(2))
                    rest = t.group(3)
                out.write(b"PRIORITY=6\n_TRANSPORT=syslog\n")
                field(out, b"MESSAGE", rest)
                out.write(b"\n")
                count += 1
                if limit and count >= limit:
                    return


if __name__ == "__main__":
    main()
