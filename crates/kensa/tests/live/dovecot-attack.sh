#!/bin/sh
# Attacks a real dovecot (Debian's dovecot-imapd and dovecot-pop3d, with PAM) on
# loopback and leaves the logs that rsyslog wrote, laid out as an audited root.
#
#   dovecot-attack.sh OUT_DIR
#
# OUT_DIR/root/var/log/{mail.log,syslog}   written by a real rsyslogd (dovecot logs to
#                                          syslog's mail facility, Debian's default)
# OUT_DIR/root/var/log/auth.log            pam_unix's lines (authpriv)
# OUT_DIR/truth.tsv                        source, what it did, password tries made
# OUT_DIR/tries.txt                        each connection's tries and their answers
#
# dovecot runs with Debian's own /etc/dovecot/dovecot.conf (passdb PAM, userdb passwd,
# auth_mechanisms plain, syslog facility mail), changed only where a test must: it
# listens on 127.0.0.1 at ports of its own (IMAP $KENSA_DOVECOT_PORT, POP3 the next),
# keeps its sockets and state in OUT_DIR/run, and the victim's mail there. The private
# namespace is sshd-attack.sh's (common.sh, namespace.sh): /etc/passwd, /etc/shadow and
# /etc/group are copies holding the victim. Each attacker uses its own loopback address
# (dovecot treats 127.0.0.0/8 as secured, so plaintext LOGIN is allowed as for a
# TLS client). Needs root, dovecot, rsyslogd, python3, openssl. Takes about 20 s:
# dovecot answers each wrong password after 2 s (auth_failure_delay) and delays an
# address's later tries by up to 15 s (its auth penalty), so a burst is sent at once,
# each try on a connection of its own, as a guesser who knows dovecot would.
set -eu

live_dir=$(cd "$(dirname "$0")" && pwd)
. "$live_dir/common.sh"
live_init "$@" --mail
# A failed step (dovecot not starting, a client's error) must not leave the daemons
# running: stop whatever of them is still up when the script ends.
cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    [ -s "$run/rsyslog.pid" ] && kill "$(cat "$run/rsyslog.pid")" 2>/dev/null || true
}
trap cleanup EXIT
imap=${KENSA_DOVECOT_PORT:-1143}
pop3=$((imap + 1))

# The login and mail processes run as dovenull and as the victim: they must reach run/.
chmod 755 "$out" "$run"
mkdir -p "$run/dovecot" "$run/state" "$run/mail/$victim"
chown 4242:4242 "$run/mail/$victim"
cat > "$run/dovecot.conf" <<EOF
!include /etc/dovecot/dovecot.conf
base_dir = $run/dovecot
state_dir = $run/state
listen = 127.0.0.1
mail_location = maildir:$run/mail/%u
service imap-login {
  inet_listener imap {
    port = $imap
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $pop3
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
live_serve /usr/sbin/dovecot -F -c "$run/dovecot.conf"
for port in $imap $pop3; do
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()" \
            2>/dev/null && break
        sleep 0.1
    done
done
# Not some other server on the port: this dovecot, still running.
kill -0 "$server_pid"

tries() { # PROTO SOURCE PER_CONNECTION USER:PASSWORD...: prints how many were refused
    proto=$1 source=$2
    shift 2
    port=$imap
    case $proto in pop3*) port=$pop3 ;; esac
    python3 "$live_dir/mail-clients.py" "$proto" "$port" "$source" "$@" > "$run/tries.$source.$$"
    printf '%s %s %s\n' "$source" "$proto" "$(tr '\n' ' ' < "$run/tries.$source.$$")" >> "$out/tries.txt"
    grep -c '^no$' "$run/tries.$source.$$" || true
}

wrong() { # USER N: N different wrong passwords for USER (dovecot does not add to its
    # penalty for the same wrong password twice, so a guesser would not repeat one)
    for n in $(seq 1 "$2"); do printf '%s:Guess%s!%s ' "$1" "$n" "$1"; done
}

# E: the owner, before the attacks: one typo, then IMAP and POP3 logins.
tries imap 127.0.0.34 1 "$victim:Summer2O24" >/dev/null
tries imap 127.0.0.34 1 "$victim:$victim_password" >/dev/null
tries pop3 127.0.0.34 1 "$victim:$victim_password" >/dev/null
truth 127.0.0.34 benign-owner 1

# A: an IMAP guessing burst on root, two tries on each of five connections.
# shellcheck disable=SC2046 # the pairs, one word each
( truth 127.0.0.30 burst-root "$(tries imap 127.0.0.30 2 $(wrong root 10))" ) &
attackers=$!

# B: a POP3 guessing burst on the `mail` account (a system account every Debian has).
# shellcheck disable=SC2046
( truth 127.0.0.31 burst-account "$(tries pop3 127.0.0.31 1 $(wrong mail 10))" ) &
attackers="$attackers $!"

# C: passwords for ten accounts that do not exist (IMAP), one each.
enumeration() {
    for n in $(seq 1 10); do printf 'ghost%s:Winter%s ' "$n" "$n"; done
}
# shellcheck disable=SC2046
( truth 127.0.0.32 invalid-user-passwords "$(tries imap 127.0.0.32 1 $(enumeration))" ) &
attackers="$attackers $!"

# D: eight wrong passwords for the victim (IMAP), then the right one (POP3).
guess() {
    # shellcheck disable=SC2046
    failed=$(tries imap 127.0.0.33 1 $(wrong "$victim" 8))
    tries pop3 127.0.0.33 1 "$victim:$victim_password" >/dev/null
    truth 127.0.0.33 guessed-login "$failed"
}
guess &
attackers="$attackers $!"
# shellcheck disable=SC2086 # the pids, one word each
wait $attackers

sleep 1
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
live_finish /usr/sbin/dovecot
rm -f "$run"/tries.*
echo "$out"
