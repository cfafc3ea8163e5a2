#!/bin/bash
# run_corrupt.sh VARIANT: kensa (examples/journal_read), sdjournal (mmap, no mmap) and
# journalctl on VARIANT/system.journal, each under a 60 s timeout and a 4 GiB address-space
# limit (ulimit -v); prints exit status, time, peak RSS and what each read.
R=${KENSA_READER:-/work/target-journal/release/examples/journal_read}
E=${SDJ_EVAL:-$(dirname "$0")/target/release/sdjournal-eval}
v=$1
one() {
    local name=$1; shift
    out=$( (ulimit -v 4194304; /usr/bin/time -f "%e s %M KiB" -o ${TMPDIR:-/tmp}/t.$$ timeout 60 "$@" 2>${TMPDIR:-/tmp}/err.$$) ); rc=$?
    printf '%-12s %-10s rc=%-3s %-18s %s | %s\n' "$v" "$name" "$rc" "$(tail -1 ${TMPDIR:-/tmp}/t.$$)" "$(echo "$out" | cut -c1-160)" "$(head -c 300 ${TMPDIR:-/tmp}/err.$$ | tr '\n' ' ')"
}
one kensa $R $v/system.journal
one sdj-mmap $E $v
one sdj-nommap $E --no-mmap $v
one journalctl bash -c "journalctl --file $v/system.journal -o export | grep -c ^__CURSOR="
