#!/bin/sh
# Attacks login(1) (Debian's shadow login, with PAM) through a real telnetd on
# loopback — GNU inetutils' telnetd, run per connection as inetd runs it — and leaves
# the logs rsyslog (and, when asked, auditd and journald) wrote, laid out as an
# audited root.
#
#   login-attack.sh OUT_DIR [--audit] [--journal]
#
# TELNETD names the telnetd binary (default /usr/sbin/telnetd; the tests unpack
# Debian's inetutils-telnetd .deb where it is not installed). The layout of OUT_DIR and
# the private namespace are sshd-attack.sh's (common.sh, namespace.sh). login takes 5
# tries per connection (LOGIN_RETRIES) and PAM waits 3 s after each failure
# (pam_faildelay), so this takes about 40 s.
set -eu

live_dir=$(cd "$(dirname "$0")" && pwd)
. "$live_dir/common.sh"
live_init "$@"
port=${KENSA_TELNET_PORT:-2323}
telnetd=${TELNETD:-/usr/sbin/telnetd}

live_serve python3 "$live_dir/telnet.py" serve "$port" "$telnetd"
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()" \
        2>/dev/null && break
    sleep 0.1
done

attempt() { # SOURCE USER PASSWORD [USER PASSWORD ...]: one connection
    python3 "$live_dir/telnet.py" login "$port" "$@" >> "$run/telnet.out" 2>&1 || true
}

# The owner, before the attacks: a login.
attempt 127.0.0.24 "$victim" "$victim_password"
truth 127.0.0.24 benign-owner 0

# A burst on root: login gives up after 5 tries (TOO MANY LOGIN TRIES), twice.
burst_root() {
    attempt 127.0.0.20 root wrong1 root wrong2 root wrong3 root wrong4 root wrong5
    attempt 127.0.0.20 root wrong6 root wrong7 root wrong8 root wrong9 root wrong10
}
burst_root &
attackers=" $!"
truth 127.0.0.20 burst-root 10

# The victim's password guessed: 5 wrong, then 3 wrong and the right one.
guess_victim() {
    attempt 127.0.0.21 "$victim" wrong-a "$victim" wrong-b "$victim" wrong-c \
        "$victim" wrong-d "$victim" wrong-e
    attempt 127.0.0.21 "$victim" wrong-f "$victim" wrong-g "$victim" wrong-h \
        "$victim" "$victim_password"
}
guess_victim &
attackers="$attackers $!"
truth 127.0.0.21 guessed-login 8

# Accounts that do not exist (login logs them as UNKNOWN): two connections of 5.
ghosts() {
    attempt 127.0.0.22 ghost1 x1 ghost2 x2 ghost3 x3 ghost4 x4 ghost5 x5
    attempt 127.0.0.22 ghost6 x6 ghost7 x7 ghost8 x8 ghost9 x9 ghost10 x10
}
ghosts &
attackers="$attackers $!"
truth 127.0.0.22 invalid-user-passwords 10

# From 127.0.0.1, which telnetd names `localhost` (its /etc/hosts name) to login: the
# logs carry the name, btmp the name and the address.
from_localhost() {
    attempt 127.0.0.1 root pw1 root pw2 root pw3 root pw4 root pw5
    attempt 127.0.0.1 root pw6 root pw7 root pw8 root pw9 root pw10
}
from_localhost &
attackers="$attackers $!"
truth 127.0.0.1 burst-root 10 localhost

# shellcheck disable=SC2086 # the pids, one word each
wait $attackers
sleep 1
kill "$server_pid" 2>/dev/null || true
pkill -f "telnet.py serve $port" 2>/dev/null || true
live_finish /usr/bin/login
echo "$out"
