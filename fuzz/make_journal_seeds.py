#!/usr/bin/env python3
"""Writes the journal_read seeds: small real journal files, a few KB each.

Why a script: systemd-journal-remote is the real writer, but every file it writes is 8 MiB
(3.7 MiB of it the data hash table sized for a full-size file, most of the rest zeroed
preallocation), and a fuzzer mutating 8 MiB inputs makes a handful of runs per second.
So each file journal-remote writes is rewritten here with the same objects, in the same
order, but hash tables of a few buckets (their chains rebuilt from the hashes the objects
store) and no preallocated tail; every offset is relocated. journalctl then reads each
seed back to the same export text as the original file, which is what makes them real
journal files rather than guesses at one.

Variants: compact mode with keyed hashes (systemd 252's default) and the regular layout
(SYSTEMD_JOURNAL_COMPACT=0); zstd payloads (journal-remote compresses payloads of 512
bytes and more); xz and LZ4 payloads made by compressing the plain DATA objects here
(journal-remote writes zstd only; LZ4 as systemd stores it: a 64-bit size, then one LZ4
block, here of literals only); a file with enough entries for a chain of several entry
arrays; and an ONLINE file whose last entry was written but never linked (a writer that
died). Usage: python3 fuzz/make_journal_seeds.py OUTDIR (needs systemd-journal-remote
and journalctl).
"""

import lzma
import os
import struct
import subprocess
import sys
import tempfile

REMOTE = "/lib/systemd/systemd-journal-remote"

DATA, FIELD, ENTRY, DATA_HT, FIELD_HT, ENTRY_ARRAY, TAG = 1, 2, 3, 4, 5, 6, 7


def export_entry(realtime, monotonic, boot, fields):
    out = b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n" % (
        realtime,
        monotonic,
        boot,
    )
    for name, value in fields:
        if any(b < 0x20 and b != 9 for b in value):
            out += name + b"\n" + struct.pack("<Q", len(value)) + value + b"\n"
        else:
            out += name + b"=" + value + b"\n"
    return out + b"\n"


def logins(n):
    """n entries of what kensa looks for: sshd, PAM, su, sudo, several hosts."""
    messages = [
        (b"sshd", b"Failed password for root from 192.0.2.7 port 40222 ssh2"),
        (b"sshd", b"Failed password for invalid user admin from 198.51.100.4 port 5122 ssh2"),
        (b"sshd", b"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.7  user=root"),
        (b"sshd", b"Accepted password for alice from 203.0.113.9 port 51000 ssh2"),
        (b"su", b"pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=root"),
        (b"sudo", b"bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh"),
    ]
    text = b""
    for i in range(n):
        comm, message = messages[i % len(messages)]
        host = [b"web", b"db.example.org"][i % 2]
        boot = [b"0123456789abcdef0123456789abcdef", b"fedcba9876543210fedcba9876543210"][i % 2]
        fields = [
            (b"_HOSTNAME", host),
            (b"SYSLOG_IDENTIFIER", comm),
            (b"_PID", b"%d" % (800 + i)),
            (b"PRIORITY", b"%d" % (i % 8)),
            (b"_TRANSPORT", b"syslog"),
            (b"MESSAGE", message),
        ]
        text += export_entry(1_700_000_000_000_000 + i * 1_000_003, 5_000_000 + i * 1000, boot, fields)
    return text


def odd_entries():
    """Long (compressed), binary, non-UTF-8, repeated and empty values."""
    boot = b"0123456789abcdef0123456789abcdef"
    text = logins(3)
    text += export_entry(1_700_000_100_000_000, 6_000_000, boot, [
        (b"_HOSTNAME", b"web"),
        (b"SYSLOG_IDENTIFIER", b"sshd"),
        (b"MESSAGE", b"session opened for user root by (uid=0) " * 16),
    ])
    text += export_entry(1_700_000_101_000_000, 6_001_000, boot, [
        (b"_HOSTNAME", b"web"),
        (b"MESSAGE", b"line one\nline two\x00with NUL\n"),
        (b"TAG", b"first"),
        (b"TAG", b"second"),
        (b"EMPTY", b""),
    ])
    # "バックアップ" in EUC-JP: not UTF-8.
    text += export_entry(1_699_999_000_000_000, 6_002_000, boot, [
        (b"_HOSTNAME", b"web"),
        (b"MESSAGE", b"backup: \xa5\xd0\xa5\xc3\xa5\xaf\xa5\xa2\xa5\xc3\xa5\xd7"),
    ])
    return text


def u64(b, at):
    return struct.unpack_from("<Q", b, at)[0]


def u32(b, at):
    return struct.unpack_from("<I", b, at)[0]


def align8(n):
    return (n + 7) & ~7


def objects(b):
    at, tail, out = u64(b, 88), u64(b, 136), []
    while at <= tail:
        size = u64(b, at + 8)
        out.append((at, b[at], b[at + 1], bytearray(b[at:at + size])))
        at += align8(size)
    return out


def lz4_literals(data):
    """One LZ4 block holding `data` as literals (valid for any length)."""
    n = len(data)
    if n < 15:
        return bytes([n << 4]) + data
    out, rest = bytearray([0xF0]), n - 15
    while rest >= 255:
        out.append(255)
        rest -= 255
    out.append(rest)
    return bytes(out) + data


def rewrite(b, compress=None, buckets=(8, 4)):
    """The file `b` with small hash tables, no preallocation, every offset relocated;
    `compress` (1 xz, 2 LZ4) re-encodes the plain DATA payloads of 32 bytes and more."""
    compact = u32(b, 12) & 16 != 0
    payload_at = 72 if compact else 64
    objs = objects(b)
    if compress:
        for i, (at, kind, flags, body) in enumerate(objs):
            if kind != DATA or flags != 0 or len(body) - payload_at < 32:
                continue
            payload = bytes(body[payload_at:])
            if compress == 1:
                encoded = lzma.compress(payload, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64)
            else:
                encoded = struct.pack("<Q", len(payload)) + lz4_literals(payload)
            body = bytearray(body[:payload_at]) + encoded
            body[1] = compress
            struct.pack_into("<Q", body, 8, len(body))
            objs[i] = (at, kind, compress, body)
    header_size = u64(b, 88)
    moved, at = {}, header_size
    sizes = {DATA_HT: 16 + 16 * buckets[0], FIELD_HT: 16 + 16 * buckets[1]}
    for i, (old, kind, _, body) in enumerate(objs):
        if kind in sizes:
            body = bytearray(sizes[kind])
            body[0] = kind
            struct.pack_into("<Q", body, 8, len(body))
            objs[i] = (old, kind, 0, body)
        moved[old] = at
        at += align8(len(body))
    end = at

    def new(offset):
        return moved[offset] if offset else 0

    # Hash chains, rebuilt in object order from the stored hashes.
    tables = {DATA: [], FIELD: []}
    for old, kind, _, body in objs:
        if kind in tables:
            tables[kind].append((new(old), u64(body, 16), body))
    heads = {}
    for kind, table_kind in ((DATA, DATA_HT), (FIELD, FIELD_HT)):
        n = buckets[0] if kind == DATA else buckets[1]
        chains = [[] for _ in range(n)]
        for offset, h, body in tables[kind]:
            chains[h % n].append((offset, body))
        for chain in chains:
            for k, (offset, body) in enumerate(chain):
                struct.pack_into("<Q", body, 24, chain[k + 1][0] if k + 1 < len(chain) else 0)
        heads[table_kind] = chains
    for old, kind, _, body in objs:
        if kind == DATA:
            for field in (32, 40, 48):
                struct.pack_into("<Q", body, field, new(u64(body, field)))
            if compact:
                struct.pack_into("<I", body, 64, new(u32(body, 64)))
        elif kind == FIELD:
            struct.pack_into("<Q", body, 32, new(u64(body, 32)))
        elif kind == ENTRY:
            if compact:
                for i in range(64, len(body), 4):
                    struct.pack_into("<I", body, i, new(u32(body, i)))
            else:
                for i in range(64, len(body), 16):
                    struct.pack_into("<Q", body, i, new(u64(body, i)))
        elif kind == ENTRY_ARRAY:
            struct.pack_into("<Q", body, 16, new(u64(body, 16)))
            step = 4 if compact else 8
            for i in range(24, len(body), step):
                if compact:
                    struct.pack_into("<I", body, i, new(u32(body, i)))
                else:
                    struct.pack_into("<Q", body, i, new(u64(body, i)))
        elif kind in heads:
            for k, chain in enumerate(heads[kind]):
                if chain:
                    struct.pack_into("<QQ", body, 16 + 16 * k, chain[0][0], chain[-1][0])
    out = bytearray(end)
    out[:header_size] = b[:header_size]
    for old, kind, _, body in objs:
        out[moved[old]:moved[old] + len(body)] = body
    for kind, field in ((DATA_HT, 104), (FIELD_HT, 120)):
        table = next(new(old) for old, k, _, _ in objs if k == kind)
        struct.pack_into("<QQ", out, field, table + 16, sizes[kind] - 16)
    struct.pack_into("<Q", out, 96, end - header_size)
    struct.pack_into("<Q", out, 136, new(u64(b, 136)))
    struct.pack_into("<Q", out, 176, new(u64(b, 176)))
    if header_size >= 264:
        struct.pack_into("<I", out, 256, new(u32(b, 256)))
    if header_size >= 272:
        struct.pack_into("<Q", out, 264, new(u64(b, 264)))
    if compress:
        struct.pack_into("<I", out, 12, u32(out, 12) | compress)
    return bytes(out)


def unlink_last(b):
    """The writer died after writing the last entry, before linking it: ONLINE, the
    last item of the chain's last array zeroed, one entry fewer counted."""
    out = bytearray(b)
    compact = u32(b, 12) & 16 != 0
    step = 4 if compact else 8
    at = u64(b, 176)
    while u64(b, at + 16):
        at = u64(b, at + 16)
    items = [i for i in range(at + 24, at + u64(b, at + 8), step)
             if (u32(b, i) if compact else u64(b, i))]
    out[items[-1]:items[-1] + step] = bytes(step)
    out[16] = 1
    struct.pack_into("<Q", out, 152, u64(b, 152) - 1)
    if u64(b, 88) >= 264 and compact:
        struct.pack_into("<I", out, 260, u32(b, 260) - 1)
    return bytes(out)


def journal_remote(dir, export, regular):
    src, dst = os.path.join(dir, "in.export"), os.path.join(dir, "out.journal")
    for path in (dst,):
        if os.path.exists(path):
            os.remove(path)
    with open(src, "wb") as f:
        f.write(export)
    env = dict(os.environ)
    if regular:
        env.update(SYSTEMD_JOURNAL_COMPACT="0", SYSTEMD_JOURNAL_KEYED_HASH="0")
    subprocess.run([REMOTE, "--split-mode=none", "-o", dst, src], env=env, check=True,
                   capture_output=True)
    with open(dst, "rb") as f:
        return f.read()


def journalctl(dir, b):
    path = os.path.join(dir, "check.journal")
    with open(path, "wb") as f:
        f.write(b)
    return subprocess.run(["journalctl", "--file", path, "-o", "export"], check=True,
                          capture_output=True).stdout


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as dir:
        plans = [
            ("compact-zstd", odd_entries(), False, None),
            ("regular-zstd", odd_entries(), True, None),
            ("compact-xz", odd_entries(), False, 1),
            ("regular-lz4", odd_entries(), True, 2),
            ("compact-chain", logins(30), False, None),
            ("regular-chain", logins(24), True, None),
        ]
        for name, export, regular, compress in plans:
            original = journal_remote(dir, export, regular)
            seed = rewrite(original, compress)
            want = journalctl(dir, original)
            assert journalctl(dir, seed) == want, f"{name}: journalctl reads the seed differently"
            files = [(name, seed)]
            if name == "compact-chain":
                online = unlink_last(seed)
                # journalctl no longer sees the unlinked entry; kensa's walk does.
                assert journalctl(dir, online).count(b"__CURSOR=") == 29
                files.append(("compact-online-unlinked", online))
            for file, data in files:
                with open(os.path.join(outdir, file + ".journal"), "wb") as f:
                    f.write(data)
                print(f"{file}.journal: {len(data)} bytes (journal-remote wrote {len(original)})")


if __name__ == "__main__":
    main()
