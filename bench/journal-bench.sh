#!/usr/bin/env bash
# journal-bench.sh — how fast does kensa read a systemd journal, next to journalctl?
#
# Why this exists: on today's Debian, Fedora and RHEL hosts the logins are in the journal,
# and a responder's image may hold gigabytes of it. kensa reads journal files itself (it
# never runs journalctl on attacker-made files); it must not be slower than systemd's own
# reader. This script builds a big journal with systemd's own writer
# (systemd-journal-remote, from the generated 1 GiB corpus's syslog and auth.log streams
# turned into export format by syslog_to_export.py) and runs, on the same file, warm cache:
#
#   journalctl --file F -o export > /dev/null      systemd's reader, every field of every entry
#   kensa scan --root R  (every rule)              kensa's reader, every log rule on every entry
#   kensa scan --root R --select SM                the sendmail rule only
#
# printing wall time, entries/s, MB/s of journal file and peak RSS (GNU time). It is a
# benchmark, not a test: one run each; compare ratios within a run.
#
# Environment: CORPUS (default /tmp/kensa-bench-1g), JOURNAL_ROOT (default
# /tmp/kensa-bench-journal), KENSA_SHARED (default <repo>/../shared), SIZE (corpus size, 1G).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${KENSA_SHARED:-$repo/../shared}
corpus=${CORPUS:-/tmp/kensa-bench-1g}
jroot=${JOURNAL_ROOT:-/tmp/kensa-bench-journal}
remote=/lib/systemd/systemd-journal-remote
kensa=$repo/target/release/kensa
say() { printf '\n== %s\n' "$*"; }
die() { printf 'journal-bench: %s\n' "$*" >&2; exit 2; }

[[ -x $remote ]] || die "$remote missing (apt-get install systemd-journal-remote)"
[[ -x /usr/bin/time ]] || die "GNU time missing (apt-get install time)"
command -v journalctl >/dev/null || die "journalctl missing"

if [[ ! -f $corpus/truth.json ]]; then
    say "generating $corpus"
    python3 "$shared/bench/gen_corpus.py" --out "$corpus" --size "${SIZE:-1G}" --seed 7 -q
fi
journal=$jroot/var/log/journal/4f7c1d0e9b8a4c6d8e2f1a3b5c7d9e0f/system.journal
if [[ ! -f $journal ]]; then
    say "writing $journal with systemd-journal-remote"
    mkdir -p "$(dirname "$journal")" "$jroot/etc"
    echo Asia/Tokyo >"$jroot/etc/timezone"
    files=()
    for stream in syslog auth.log; do
        # Oldest first: the highest rotation number first, the live file last.
        for n in $(seq 40 -1 1); do
            for f in "$corpus/var/log/$stream.$n" "$corpus/var/log/$stream.$n".*; do
                [[ -f $f ]] && files+=("$f")
            done
        done
        files+=("$corpus/var/log/$stream")
    done
    python3 "$repo/bench/syslog_to_export.py" "${files[@]}" >"$jroot/export.txt"
    "$remote" --split-mode=none -o "$journal" "$jroot/export.txt"
    rm -f "$jroot/export.txt"
fi
entries=$(journalctl --file "$journal" --header | awk -F': *' '/^Entries:/ {print $2}')
bytes=$(stat -c %s "$journal")
say "journal: $journal, $entries entries, $((bytes / 1048576)) MiB"
journalctl --file "$journal" --header | grep -E 'Incompatible flags|Compatible flags|File path' || true

say "building kensa (release)"
(cd "$repo" && cargo build --release -p kensa -q)

cat "$journal" >/dev/null
run() {
    local label=$1
    shift
    local out
    out=$({ /usr/bin/time -f '%e %M' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    local secs=${out% *} rss=${out#* }
    awk -v l="$label" -v s="$secs" -v r="$rss" -v e="$entries" -v b="$bytes" 'BEGIN {
        printf "%-36s %7.2f s  %10.0f entries/s  %7.1f MB/s  peak RSS %6.1f MiB\n",
            l, s, e / s, b / s / 1e6, r / 1024 }'
}
say "results (one run each, warm cache)"
run "journalctl --file F -o export" journalctl --file "$journal" -o export --no-pager
run "kensa scan (every rule)" "$kensa" scan -q --root "$jroot" --format json -o /dev/null
run "kensa scan --select SM" "$kensa" scan -q --root "$jroot" --select SM --format json -o /dev/null
run "kensa scan --select LG" "$kensa" scan -q --root "$jroot" --select LG --format json -o /dev/null
