#!/bin/sh
# Attacks a real OpenSSH sshd (Debian's openssh-server, with PAM) on loopback and leaves
# the logs that rsyslog (and, when asked, auditd) wrote, laid out as an audited root.
#
#   sshd-attack.sh OUT_DIR [--audit] [--journal] [--journal-audit]
#
# OUT_DIR/root/var/log/{auth.log,syslog}     written by a real rsyslogd
# OUT_DIR/root/var/log/{wtmp,btmp}           written by sshd itself (no host in them)
# OUT_DIR/root/var/log/audit/audit.log       written by a real auditd (--audit only)
# OUT_DIR/root/var/log/journal/ID/*.journal  written by a real systemd-journald, which
#                                            forwards to rsyslog (--journal only); with
#                                            --journal-audit it also stores the kernel's
#                                            audit records (_TRANSPORT=audit), as on a
#                                            host without auditd
# OUT_DIR/truth.tsv                          source, what it did, password tries made
#
# Nothing of the machine is changed: sshd runs in a private mount namespace (namespace.sh,
# common.sh) in which
# /dev/log is rsyslog's socket in OUT_DIR, /var/log is OUT_DIR/root/var/log, and
# /etc/passwd, /etc/shadow and /etc/group are copies holding one more account (the
# victim, with a known password). Each attacker uses its own loopback address
# (127.0.0.0/8 is local on Linux), so the sources are told apart as on a real network;
# the attackers run at the same time, as on the Internet. Needs root (namespaces;
# sshd's privilege separation). Takes about a minute (sshd delays each failure).
set -eu

live_dir=$(cd "$(dirname "$0")" && pwd)
. "$live_dir/common.sh"
live_init "$@"
port=${KENSA_SSHD_PORT:-2222}

ssh-keygen -q -t ed25519 -N '' -f "$run/host_key"
# IPv6 on the loopback (not every container has it): then sshd listens on ::1 too and
# one attacker comes from there.
ipv6=
if ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
    ipv6=1
fi
cat > "$run/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
${ipv6:+ListenAddress ::1}
HostKey $run/host_key
PidFile $run/sshd.pid
UsePAM yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
MaxAuthTries 6
LogLevel INFO
SyslogFacility AUTH
EOF
mkdir -p /run/sshd
live_serve /usr/sbin/sshd -f "$run/sshd_config"
for _ in $(seq 50); do
    [ -s "$run/sshd.pid" ] && break
    sleep 0.1
done

# ssh asks SSH_ASKPASS for every password prompt: the script answers with $KENSA_PW.
cat > "$run/askpass" <<'EOF2'
#!/bin/sh
printf '%s\n' "$KENSA_PW"
EOF2
chmod +x "$run/askpass"

client() { # SOURCE USER PASSWORD PROMPTS [ssh options...]
    source=$1 user=$2 password=$3 prompts=$4
    shift 4
    # An IPv6 source talks to sshd's IPv6 address.
    case $source in *:*) server=::1 ;; *) server=127.0.0.1 ;; esac
    KENSA_PW=$password SSH_ASKPASS=$run/askpass SSH_ASKPASS_REQUIRE=force \
        setsid -w ssh -p "$port" -o BindAddress="$source" \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=QUIET \
        -o PubkeyAuthentication=no -o ConnectTimeout=5 \
        -o NumberOfPasswordPrompts="$prompts" "$@" "$user@$server" true \
        </dev/null >/dev/null 2>&1 || true
}


# E: the owner, before the attacks: one typo, then logins. Logins ask for a terminal
# (-tt): sshd writes wtmp for sessions with one.
client 127.0.0.14 "$victim" Summer2O24 1
client 127.0.0.14 "$victim" "$victim_password" 1 -tt
client 127.0.0.14 "$victim" "$victim_password" 1 -tt
truth 127.0.0.14 benign-owner 1

# A: guessing burst on root (PermitRootLogin prohibit-password: every password fails):
# 3 connections of 3 prompts, then one of 10 prompts cut by MaxAuthTries (6).
burst_root() {
    for _ in 1 2 3; do client 127.0.0.10 root wrong-root-pw 3; done
    client 127.0.0.10 root wrong-root-pw 10
}
burst_root &
attackers="${attackers:-} $!"
truth 127.0.0.10 burst-root 15

# B: account enumeration, no password tried: scanners ask for the `none` method and
# give up (Invalid user, then the connection closes).
enumerate() {
    for n in $(seq 1 40); do
        client 127.0.0.11 "enum$n" x 1 -o PreferredAuthentications=none
    done
}
enumerate &
attackers="${attackers:-} $!"
truth 127.0.0.11 enumeration-none 40

# C: guessing the victim's password (4 connections of 2), then the right one.
guess_victim() {
    for _ in 1 2 3 4; do client 127.0.0.12 "$victim" wrong-victim-pw 2; done
    client 127.0.0.12 "$victim" "$victim_password" 1 -tt
}
guess_victim &
attackers="${attackers:-} $!"
truth 127.0.0.12 guessed-login 8

# D: passwords for accounts that do not exist (3 connections, 3 prompts each).
ghosts() {
    for n in 1 2 3; do client 127.0.0.13 "ghost$n" wrong-ghost-pw 3; done
}
ghosts &
attackers="${attackers:-} $!"
truth 127.0.0.13 invalid-user-passwords 9

# G: a guessing burst on root over IPv6 (3 connections of 3 prompts), where the
# loopback has it: sshd names the client `::1`.
if [ -n "$ipv6" ]; then
    burst_ipv6() {
        for _ in 1 2 3; do client ::1 root wrong-root-pw 3; done
    }
    burst_ipv6 &
    attackers="${attackers:-} $!"
    truth ::1 burst-root 9
fi

# F: a key scanner (connection noise, no account named).
ssh-keyscan -p "$port" 127.0.0.1 >/dev/null 2>&1 || true
truth 127.0.0.1 keyscan 0
# shellcheck disable=SC2086 # the pids, one word each
wait $attackers

sleep 1
kill "$(cat "$run/sshd.pid")"
live_finish /usr/sbin/sshd
echo "$out"
