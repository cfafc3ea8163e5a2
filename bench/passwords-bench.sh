#!/usr/bin/env bash
# passwords-bench.sh — does `kensa passwords` find what John the Ripper finds, as fast?
#
# Why this exists: the issue's goal is that kensa finds every account that
# `john --single` plus `john --wordlist` (with the same list) finds, in no more time.
# This script builds one shadow file of mixed schemes (DES, BSDi, MD5, SHA-256, SHA-512,
# bcrypt, yescrypt — hashes made by the system's crypt via mkpasswd), half weak
# passwords of the kinds a guesser tries (user name and variants, GECOS words, common
# passwords, dictionary words), half strong, and prints:
#
#   A. time until every weak account is found (a file of the weak accounts only: both
#      tools stop when all are found);
#   B. accounts found within the same budget (BUDGET seconds, all accounts);
#   C. raw candidates per second per scheme: kensa's verifiers (examples/speed.rs) next
#      to `john --test`.
#
# John (Debian's john 1.9.0, not jumbo) loads one hash format per run, so it runs once
# per format, one after the other (descrypt, bsdicrypt, md5crypt, bcrypt, and "crypt",
# the system's crypt(3), for SHA-crypt and yescrypt), each in single then wordlist mode;
# its time is the sum. A benchmark, not a test: one run; the shared 2-core machine
# varies a lot, so compare the two tools within one run.
#
# Accounts: ACCOUNTS (default 9) per cheap scheme (DES, BSDi, MD5, SHA-256, SHA-512),
# COSTLY (default 3) per costly one (bcrypt cost 5, yescrypt at Debian's default); the
# costly ones get only the weak kinds both tools reach in seconds (user name, capitalised)
# — a dictionary word behind thousands of candidates takes either tool hours at ~20
# yescrypt guesses a second per core. Dictionary words are drawn from the first 2000 of
# the list. Environment: BUDGET (default 60 s, part B), CAP (default 600 s: part A's
# limit for each tool), ACCOUNTS, COSTLY.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
budget=${BUDGET:-60}
cap=${CAP:-600}
per=${ACCOUNTS:-9}
costly=${COSTLY:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/kensa-pwbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
say() { printf '\n== %s\n' "$*"; }

missing=()
command -v mkpasswd >/dev/null || missing+=(whois)
command -v john >/dev/null || [[ -x /usr/sbin/john ]] || missing+=(john)
[[ -f /usr/share/dict/words ]] || missing+=(wamerican)
if ((${#missing[@]})); then
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
john=$(command -v john || echo /usr/sbin/john)

say "building kensa (release)"
(cd "$repo" && cargo build --release -q -p kensa && cargo build --release -q -p kensa-passwords --example speed)
kensa=$repo/target/release/kensa

# --- the word list both tools use: kensa's common list, then the system dictionary --------
wordlist=$work/wordlist
{ grep -v '^#!comment' "$repo/crates/kensa-passwords/data/common-passwords.txt"
  grep -v "'" /usr/share/dict/words; } > "$wordlist"

# --- the accounts ------------------------------------------------------------------------
# Weak passwords, one kind per account in turn; strong ones are random.
firsts=(taro hanako jiro akiko ichiro yumi kenji sachiko hiroshi emi goro naoko)
lasts=(tanaka sato suzuki kato ito yamada watanabe nakamura kobayashi yoshida)
schemes=(descrypt bsdicrypt md5crypt sha256crypt sha512crypt bcrypt yescrypt)
root_all=$work/all; root_weak=$work/weak
mkdir -p "$root_all/etc" "$root_weak/etc"
echo mailhub > "$root_all/etc/hostname"; echo mailhub > "$root_weak/etc/hostname"
mapfile -t dict < <(grep -E '^[a-z]{5,8}$' /usr/share/dict/words | head -2000 | shuf -n 200 --random-source=<(yes))
mapfile -t common < <(grep -v '^#!comment' "$repo/crates/kensa-passwords/data/common-passwords.txt" | head -150 | shuf -n 100 --random-source=<(yes))
n=0; weak=0
for scheme in "${schemes[@]}"; do
    count=$per is_costly=0
    if [[ $scheme == bcrypt || $scheme == yescrypt ]]; then count=$costly is_costly=1; fi
    for ((i = 0; i < count; i++)); do
        first=${firsts[n % ${#firsts[@]}]}; last=${lasts[(n / 3) % ${#lasts[@]}]}
        user="${last:0:5}$n"; gecos="${last^} ${first^},Room $((100 + n))"
        kind=$((i % 8))
        if ((is_costly && kind > 1 && kind < 5)); then kind=5; fi
        case $kind in
            0) pw=$user ;;                 # the user name
            1) pw=${user^} ;;              # capitalised
            2) pw=$first ;;                # a GECOS word
            3) pw=${common[n % 100]} ;;    # a common password
            4) pw=${dict[n % 200]} ;;      # a dictionary word
            *) pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | head -c 12) ;;
        esac
        case $scheme in
            bcrypt) hash=$(mkpasswd -m bcrypt -R 5 "$pw") ;;
            *) hash=$(mkpasswd -m "$scheme" "$pw") ;;
        esac
        line="$user:x:$((2000 + n)):100:$gecos:/home/$user:/bin/sh"
        echo "$line" >> "$root_all/etc/passwd"
        echo "$user:$hash:19000:0:99999:7:::" >> "$root_all/etc/shadow"
        # john's input: passwd lines with the hash in place (unshadowed), one file per format
        echo "$user:$hash:$((2000 + n)):100:$gecos:/home/$user:/bin/sh" >> "$work/john-all-$scheme"
        if ((kind < 5)); then
            weak=$((weak + 1))
            echo "$line" >> "$root_weak/etc/passwd"
            echo "$user:$hash:19000:0:99999:7:::" >> "$root_weak/etc/shadow"
            echo "$user:$hash:$((2000 + n)):100:$gecos:/home/$user:/bin/sh" >> "$work/john-weak-$scheme"
        fi
        n=$((n + 1))
    done
done
chmod 600 "$root_all/etc/shadow" "$root_weak/etc/shadow"
echo "$n accounts (${schemes[*]}), $weak weak; word list $(wc -l < "$wordlist") words"

john_format() {
    case $1 in
        descrypt | bsdicrypt | md5crypt | bcrypt) echo "$1" ;;
        *) echo crypt ;;
    esac
}

# Runs john single + wordlist on the files $1-<scheme>, within $2 seconds in all; prints
# the number of accounts cracked.
run_john() {
    # john 1.9.0 has no --pot: a HOME of its own gives each set its own ~/.john/john.pot.
    local set=$1 limit=$2 start=$SECONDS home=$work/john-home-$1
    rm -rf "$home"; mkdir -p "$home"
    for scheme in "${schemes[@]}"; do
        local file=$work/john-$set-$scheme format
        [[ -f $file ]] || continue
        format=$(john_format "$scheme")
        for mode in --single "--wordlist=$wordlist"; do
            local left=$((limit - (SECONDS - start)))
            ((left > 0)) || break 2
            (cd "$work" && HOME=$home timeout "$left" "$john" $mode --format="$format" \
                --session="$work/s-$set" "$file" >/dev/null 2>&1) || true
        done
    done
    local cracked=0
    for scheme in "${schemes[@]}"; do
        local file=$work/john-$set-$scheme
        [[ -f $file ]] || continue
        cracked=$((cracked + $(HOME=$home "$john" --show --format="$(john_format "$scheme")" "$file" 2>/dev/null | grep -c ':' || true)))
    done
    echo "$cracked"
}

found_by_kensa() { grep -c '"code": *"PW001"' "$1" || true; }

say "A. time until every weak account ($weak) is found"
start=$(date +%s.%N)
"$kensa" passwords --root "$root_weak" --wordlist "$wordlist" --budget "$cap" --format json -o "$work/kensa-weak.json" -q || true
kensa_weak_time=$(echo "$(date +%s.%N) - $start" | bc)
kensa_weak=$(found_by_kensa "$work/kensa-weak.json")
start=$(date +%s.%N)
john_weak=$(run_john weak "$cap")
john_weak_time=$(echo "$(date +%s.%N) - $start" | bc)
printf 'kensa: %s of %s weak found in %.1f s\n' "$kensa_weak" "$weak" "$kensa_weak_time"
printf 'john:  %s of %s weak found in %.1f s (single + wordlist, per format)\n' "$john_weak" "$weak" "$john_weak_time"

say "B. accounts found within the same budget ($budget s, all $n accounts)"
"$kensa" passwords --root "$root_all" --wordlist "$wordlist" --budget "$budget" --format json -o "$work/kensa-all.json" -q || true
printf 'kensa: %s found\n' "$(found_by_kensa "$work/kensa-all.json")"
printf 'john:  %s found\n' "$(run_john all "$budget")"
grep -o 'candidates tried before the time budget' "$work/kensa-all.json" | wc -l | xargs printf 'kensa: %s accounts not exhausted within the budget\n'

say "C. raw candidates per second"
echo "-- kensa (examples/speed.rs)"
"$repo/target/release/examples/speed" 2
echo "-- john --test"
for f in descrypt bsdicrypt md5crypt bcrypt; do
    printf '%s\t' "$f"; "$john" --test=2 --format=$f 2>&1 | grep -E 'Many salts|Raw|Only one' | head -1
done
echo "(john 1.9.0 has no native SHA-crypt or yescrypt; its generic 'crypt' format calls libxcrypt)"
