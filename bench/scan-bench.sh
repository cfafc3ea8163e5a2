#!/usr/bin/env bash
# scan-bench.sh — how fast is `kensa scan` next to the advisory's own grep?
#
# Why this exists: kensa reads every line of every log, compressed rotations included, and
# correlates what it finds; the advisory's `grep /etc/passwd /var/adm/messages*` only reads
# the plain files and decides nothing. An admin will only run kensa on a busy loghost if it
# costs about what the grep costs. This script measures both on the same 1 GiB synthetic
# corpus (../shared/bench/gen_corpus.py, seed 7) and prints the ratios against the goals:
#
#   kensa on the plain files   <= 2   x  rg on the same files
#   kensa on all files         <= 1.5 x  rg -z on all files
#   kensa peak RSS             <  256 MiB
#
# It is a benchmark, not a test: one run of each command, on a warm page cache. The 2-core
# dev machine varies by +-25 % between runs, so compare the ratios of one run, never
# absolute times across runs. See bench/README.md.
#
# Environment: CORPUS (default /tmp/kensa-bench-1g), KENSA_SHARED (default <repo>/../shared).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${KENSA_SHARED:-$repo/../shared}
corpus=${CORPUS:-/tmp/kensa-bench-1g}
kensa=$repo/target/release/kensa
work=$(mktemp -d "${TMPDIR:-/tmp}/kensa-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

say() { printf '\n== %s\n' "$*"; }
die() { printf 'scan-bench: %s\n' "$*" >&2; exit 2; }

# --- tools ------------------------------------------------------------------------------
# GNU time gives peak RSS; ripgrep is the yardstick. Install them when we can (as root on
# Debian), otherwise say what is missing.
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
command -v rg >/dev/null || missing+=(ripgrep)
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]}"
        apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
            { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
    else
        die "missing ${missing[*]} (install them, or run as root on Debian)"
    fi
fi
command -v python3 >/dev/null || die "python3 is needed (corpus generator and truth.json)"

# --- corpus -----------------------------------------------------------------------------
if [[ -f $corpus/truth.json ]]; then
    say "reusing corpus $corpus (delete it to regenerate)"
else
    [[ -f $shared/bench/gen_corpus.py ]] || die "$shared/bench/gen_corpus.py not found (set KENSA_SHARED)"
    say "generating the 1 GiB corpus in $corpus (about 25 s per GiB on 2 cores)"
    python3 "$shared/bench/gen_corpus.py" --out "$corpus" --size 1G --seed 7 -q
fi

# Totals and file lists come from truth.json, so MB/s counts uncompressed bytes exactly.
python3 - "$corpus" "$work" <<'EOF'
import json, os, sys
corpus, work = sys.argv[1], sys.argv[2]
truth = json.load(open(os.path.join(corpus, "truth.json")))
t = truth["totals"]
plain = [f["path"] for f in truth["files"] if not f.get("compression")]
with open(os.path.join(work, "plain.list"), "w") as out:
    out.write("".join(os.path.join(corpus, p) + "\n" for p in plain))
with open(os.path.join(work, "all.list"), "w") as out:
    out.write("".join(os.path.join(corpus, f["path"]) + "\n" for f in truth["files"]))
with open(os.path.join(work, "totals"), "w") as out:
    out.write(f'{t["bytes"]} {t["bytes_uncompressed_files"]} '
              f'{t["lines_matching_all_files"].get("/etc/passwd", "?")} '
              f'{t["lines_matching_uncompressed_files"].get("/etc/passwd", "?")}\n')
EOF
read -r bytes_all bytes_plain truth_all truth_plain <"$work/totals"
mapfile -t plain_files <"$work/plain.list"
mapfile -t all_files <"$work/all.list"
printf 'corpus: %d files, %d bytes uncompressed; %d plain files, %d bytes\n' \
    "${#all_files[@]}" "$bytes_all" "${#plain_files[@]}" "$bytes_plain"

# --- kensa --------------------------------------------------------------------------------
say "building kensa (release)"
# A broken build or a CLI without `scan` still leaves the yardsticks worth printing.
have_kensa=1
if ! (cd "$repo" && cargo build --release -p kensa) >"$work/build.log" 2>&1; then
    have_kensa=0
    tail -n 15 "$work/build.log"
    echo "NOTE: 'cargo build --release -p kensa' failed (log above); kensa is not measured."
elif ! "$kensa" scan --help >/dev/null 2>&1; then
    have_kensa=0
    echo "NOTE: '$kensa scan --help' fails: the CLI has no working 'scan' yet; kensa is not measured."
fi

# Warm the page cache so that the first command measured is not the one that pays for disk.
cat "${all_files[@]}" >/dev/null

# --- measuring ------------------------------------------------------------------------------
# measure NAME BYTES CMD...: one run under GNU time; stores seconds and peak RSS (KiB) in
# sec[NAME] and rss[NAME] and prints a row. Exit status 0 or 1 is success for all the tools
# measured (1 = nothing found for grep/rg, findings for kensa); 2 and above is a failure.
# Output goes to a file, not /dev/null: GNU grep stops at the first match when it sees its
# output is /dev/null, which would make the yardstick dishonest.
declare -A sec rss
printf '\n%-37s %9s %10s %12s  %s\n' "command" "wall s" "MB/s" "peak RSS MiB" "result"
measure() {
    local name=$1 nbytes=$2
    shift 2
    local status=0 t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || status=$?
    t1=$EPOCHREALTIME
    if ((status >= 2)); then
        printf '%-34s failed with status %d: %s\n' "$name" "$status" "$(head -c 300 "$work/err")"
        return 0
    fi
    # GNU time's %e has 10 ms steps, too coarse for rg on the plain files: the wall time
    # is taken from bash's microsecond clock around the same run; %M gives the peak RSS.
    local e m
    read -r _ m < <(tail -n 1 "$work/time")
    e=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    sec[$name]=$e
    rss[$name]=$m
    local result
    case $name in
    kensa*) result="exit $status" ;;
    decode*) result="-" ;;
    *) result="$(awk -F: '{ n += $NF } END { print n + 0 }' "$work/out") matching lines" ;;
    esac
    awk -v n="$name" -v e="$e" -v m="$m" -v b="$nbytes" -v r="$result" 'BEGIN {
        printf "%-37s %9.3f %10.0f %12.1f  %s\n", n, e, b / 1e6 / (e > 0 ? e : 0.001), m / 1024, r }'
}

# Two kensa rows per file set: the advisory's own job (`--select SM,CP`: the sendmail
# attack and NUL runs — what the grep looks for, done properly), which the goals compare
# with the grep; and every log rule (password guessing too, which parses every login line,
# a few hundred thousand per gigabyte here), for the record.
if ((have_kensa)); then
    measure "kensa scan --root (all files)" "$bytes_all" "$kensa" scan --select SM,CP --format json -o /dev/null --root "$corpus"
    measure "kensa scan, all rules (all files)" "$bytes_all" "$kensa" scan --format json -o /dev/null --root "$corpus"
fi
measure "rg -z -c /etc/passwd (all files)" "$bytes_all" rg -z -c /etc/passwd "${all_files[@]}"
if ((have_kensa)); then
    measure "kensa scan FILE... (plain files)" "$bytes_plain" "$kensa" scan --select SM,CP --format json -o /dev/null "${plain_files[@]}"
    measure "kensa scan, all rules (plain files)" "$bytes_plain" "$kensa" scan --format json -o /dev/null "${plain_files[@]}"
fi
measure "rg -c /etc/passwd (plain files)" "$bytes_plain" rg -c /etc/passwd "${plain_files[@]}"
measure "grep -c /etc/passwd (plain files)" "$bytes_plain" grep -c /etc/passwd "${plain_files[@]}"
echo "truth.json: /etc/passwd on $truth_all lines of all files, $truth_plain of the plain files"

# The serial decode floor: what decompressing every rotation costs one core, with no search.
decode_all() {
    local f
    for f in "$@"; do
        case $(head -c 6 "$f" | od -An -tx1 | tr -d ' \n') in
        1f8b*) gzip -dc "$f" ;;
        425a68*) bzip2 -dc "$f" ;;
        fd377a585a00) xz -dc "$f" ;;
        esac
    done >/dev/null
}
export -f decode_all
measure "decode floor (1 thread, no search)" "$((bytes_all - bytes_plain))" bash -c 'decode_all "$@"' _ "${all_files[@]}"

# --- verdict ------------------------------------------------------------------------------
say "ratios (goals in brackets)"
ratio() { # ratio LABEL A B GOAL: prints A/B and whether it meets GOAL
    if [[ -n ${sec[$2]:-} && -n ${sec[$3]:-} ]]; then
        awk -v l="$1" -v a="${sec[$2]}" -v b="${sec[$3]}" -v g="$4" 'BEGIN {
            if (b <= 0) b = 0.001
            r = a / b; printf "%-40s %6.2fx  [<= %sx] %s\n", l, r, g, (r <= g ? "met" : "MISSED") }'
    else
        printf '%-40s not measured\n' "$1"
    fi
}
ratio "kensa/rg, plain files" "kensa scan FILE... (plain files)" "rg -c /etc/passwd (plain files)" 2
ratio "kensa/rg -z, all files" "kensa scan --root (all files)" "rg -z -c /etc/passwd (all files)" 1.5
for name in "kensa scan --root (all files)" "kensa scan FILE... (plain files)" "kensa scan, all rules (all files)"; do
    if [[ -n ${rss[$name]:-} ]]; then
        awk -v l="peak RSS, ${name#kensa scan }" -v m="${rss[$name]}" 'BEGIN {
            printf "%-40s %6.1f MiB [< 256 MiB] %s\n", l, m / 1024, (m < 256 * 1024 ? "met" : "MISSED") }'
    fi
done
echo
echo "Peer tools (fail2ban, CrowdSec, sshguard, logwatch, John): see $shared/bench/peer_tools/README.md"
