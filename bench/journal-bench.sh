#!/usr/bin/env bash
# journal-bench.sh — how fast does kensa read systemd journal files, next to journalctl?
#
# Why this exists: on a systemd host the login evidence is in /var/log/journal, and kensa
# reads those files itself (it never runs journalctl on the audited host's data). Reading
# them must cost no more than `journalctl --file F -o export > /dev/null`, the cheapest
# way systemd's own reader hands out every field of every entry.
#
# What it does: generates a syslog corpus (../shared/bench/gen_corpus.py, 200 MiB, seed 7),
# turns 1.2 M of its lines into journal export text (bench/syslog2export.py) and then into
# journal files with systemd-journal-remote (which rotates at its header limits, so the
# result is a few files of ~75 MB: one OFFLINE, the rest ARCHIVED), and measures, on a warm
# page cache, one run of each:
#
#   kensa            examples/journal_read on every file (entries decoded, fields iterated)
#   kensa --export   the same, rendering journalctl's export format to /dev/null
#   journalctl       journalctl --file F -o export > /dev/null, file after file
#   kensa scan       the whole tool on a root holding only these journals: every log rule,
#                    then the SM and LG families alone
#
# printing wall time, entries/s, MB/s of journal file and peak RSS; with CHECK=1 it also
# compares kensa's export rendering with journalctl's byte for byte.
#
# Environment: WORK (default /tmp/kensa-journal-bench; reused when it holds the journals),
# KENSA_SHARED (default <repo>/../shared), ENTRIES (default 1200000), CHECK (default 0),
# CARGO_TARGET_DIR (default <repo>/target). A benchmark, not a test: CI does not run it.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${KENSA_SHARED:-$repo/../shared}
work=${WORK:-/tmp/kensa-journal-bench}
entries=${ENTRIES:-1200000}
target=${CARGO_TARGET_DIR:-$repo/target}
reader=$target/release/examples/journal_read
remote=/lib/systemd/systemd-journal-remote

say() { printf '\n== %s\n' "$*"; }
die() { printf 'journal-bench: %s\n' "$*" >&2; exit 2; }

[[ -x $remote ]] || die "$remote not found (apt-get install systemd-journal-remote)"
command -v journalctl >/dev/null || die "journalctl not found"
[[ -x /usr/bin/time ]] || die "GNU time not found (apt-get install time)"

# The journals sit where a Debian host keeps them, so `kensa scan --root` finds them.
jdir=$work/root/var/log/journal/4f7c1d0e9b8a4c6d8e2f1a3b5c7d9e0f
mkdir -p "$jdir" "$work/root/etc"
echo Asia/Tokyo >"$work/root/etc/timezone"
if compgen -G "$jdir/*.journal" >/dev/null; then
    say "reusing the journals in $jdir (delete $work to regenerate)"
else
    [[ -f $shared/bench/gen_corpus.py ]] || die "$shared/bench/gen_corpus.py not found (set KENSA_SHARED)"
    say "generating a 200 MiB corpus and $entries entries of export text"
    rm -rf "$work/corpus"
    python3 "$shared/bench/gen_corpus.py" --out "$work/corpus" --size 200M --seed 7 -q
    log=$work/corpus/var/log
    # Oldest first, so realtime mostly grows.
    python3 "$repo/bench/syslog2export.py" --max "$entries" \
        "$log"/syslog.2{2,1,0}.gz "$log"/syslog.1?.gz "$log"/syslog.?.gz "$log/syslog.1" "$log/syslog" \
        "$log/auth.log.3.xz" "$log/auth.log.2.gz" "$log/auth.log.1" "$log/auth.log" \
        "$log/messages.3.gz" "$log/maillog.3.bz2" >"$work/input.export"
    say "systemd-journal-remote"
    "$remote" --split-mode=none -o "$jdir/system.journal" "$work/input.export" 2>&1 | tail -n 1
    rm -f "$work/input.export"
fi
mapfile -t files < <(ls "$jdir"/*.journal)

say "building examples/journal_read (release)"
(cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release -q -p kensa-logs --example journal_read)
say "building kensa (release)"
(cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release -q -p kensa)
kensa=$target/release/kensa

cat "${files[@]}" >/dev/null
bytes=$(cat "${files[@]}" | wc -c)
n=0
for f in "${files[@]}"; do
    n=$((n + $(journalctl --file "$f" --header | awk -F': *' '/^Entry objects:/ { print $2 }')))
done
printf '%d files, %d entries, %.1f MB\n' "${#files[@]}" "$n" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')"

row() { # NAME SECONDS RSS_KIB
    awk -v n="$1" -v e="$2" -v m="$3" -v c="$n" -v b="$bytes" 'BEGIN {
        printf "%-34s %8.3f s %12.0f entries/s %8.1f MB/s %8.1f MiB peak RSS\n", n, e, c / e, b / 1e6 / e, m / 1024 }'
}
printf '\n'
t0=$EPOCHREALTIME
/usr/bin/time -f '%M' -o "$work/rss" "$reader" "${files[@]}" >"$work/kensa.out"
t1=$EPOCHREALTIME
row "kensa (examples/journal_read)" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(tail -n 1 "$work/rss")"
# The same work as journalctl's: every entry rendered in the export format.
t0=$EPOCHREALTIME
/usr/bin/time -f '%M' -o "$work/rss" "$reader" --export "${files[@]}" >/dev/null
t1=$EPOCHREALTIME
row "kensa --export >/dev/null" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(tail -n 1 "$work/rss")"
peak=0
t0=$EPOCHREALTIME
for f in "${files[@]}"; do
    /usr/bin/time -f '%M' -o "$work/rss" journalctl --file "$f" -o export >/dev/null
    m=$(tail -n 1 "$work/rss")
    ((m > peak)) && peak=$m
done
t1=$EPOCHREALTIME
row "journalctl -o export >/dev/null" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$peak"

for select in "" SM LG; do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/rss" "$kensa" scan -q --root "$work/root" ${select:+--select $select} \
        --format json -o /dev/null || true
    t1=$EPOCHREALTIME
    row "kensa scan${select:+ --select $select}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(tail -n 1 "$work/rss")"
done

if [[ ${CHECK:-0} == 1 ]]; then
    say "comparing kensa's export rendering with journalctl's"
    for f in "${files[@]}"; do
        if cmp -s <("$reader" --export "$f") <(journalctl --file "$f" -o export); then
            echo "same: $f"
        else
            echo "DIFFERENT: $f"
        fi
    done
fi
