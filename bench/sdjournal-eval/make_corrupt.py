#!/usr/bin/env python3
"""Writes the damaged journals of the sdjournal comparison, one directory each (sdjournal
opens directories): VARIANT/system.journal in the current directory.

The base file is journal-remote's own (406 entries in compact mode, hash tables and
preallocation as written); the damage is made as kensa's tests make it
(crates/kensa-logs/tests/journal.rs): cuts at a quarter, half, three quarters and 99 % of
the objects after the hash tables and inside the header, flipped bits in the chain's
entry arrays and in 40 DATA objects, the fourth array linked back to the second or to
itself, and an entry claiming 2^63 bytes. Then run_corrupt.sh VARIANT for each.
"""
import os
import random
import struct
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../fuzz'))
import make_journal_seeds as m
import tempfile
d = tempfile.mkdtemp()
base = m.journal_remote(d, m.logins(400) + m.odd_entries(), False)
u64 = m.u64; u32 = m.u32
objs = m.objects(base)
tail_end = max(o[0] + len(o[3]) for o in objs)
def chain(b):
    at = u64(b, 176); out = []
    while at:
        out.append(at); at = u64(b, at + 16)
    return out
arrays = chain(base)
variants = {}
variants['intact'] = base
first = min(o[0] for o in objs if o[1] not in (4, 5))
for frac in (0.25, 0.5, 0.75, 0.99):
    variants[f'cut{int(frac*100)}'] = base[:(first + int((tail_end - first) * frac)) & ~7 | 3]
variants['cut-header'] = base[:150]
# flipped bytes in the items of the chain's entry arrays (compact: u32 items)
rng = random.Random(7)
b = bytearray(base)
for at in arrays[2:]:
    size = u64(base, at + 8)
    for _ in range(3):
        i = at + 24 + rng.randrange(0, size - 24)
        b[i] ^= 1 << rng.randrange(8)
variants['flip-arrays'] = bytes(b)
b = bytearray(base)
datas = [o for o in objs if o[1] == 1]
for o in rng.sample(datas, 40):
    i = o[0] + rng.randrange(0, len(o[3]))
    b[i] ^= 1 << rng.randrange(8)
variants['flip-data'] = bytes(b)
b = bytearray(base); struct.pack_into('<Q', b, arrays[3] + 16, arrays[1]); variants['cycle'] = bytes(b)
b = bytearray(base); struct.pack_into('<Q', b, arrays[3] + 16, arrays[3]); variants['self-loop'] = bytes(b)
entries = [o for o in objs if o[1] == 3]
b = bytearray(base); struct.pack_into('<Q', b, entries[200][0] + 8, 0x7ffffffffffffff8); variants['huge-entry'] = bytes(b)
for name, data in variants.items():
    os.makedirs(name, exist_ok=True)
    open(f'{name}/system.journal', 'wb').write(data)
    print(name, len(data))
print('arrays', len(arrays))
