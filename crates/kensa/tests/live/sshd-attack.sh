#!/bin/sh
# Attacks a real OpenSSH sshd (Debian's openssh-server, with PAM) on loopback and leaves
# the logs that rsyslog (and, when asked, auditd) wrote, laid out as an audited root.
#
#   sshd-attack.sh OUT_DIR [--audit] [--journal]
#
# OUT_DIR/root/var/log/{auth.log,syslog}     written by a real rsyslogd
# OUT_DIR/root/var/log/{wtmp,btmp}           written by sshd itself (no host in them)
# OUT_DIR/root/var/log/audit/audit.log       written by a real auditd (--audit only)
# OUT_DIR/root/var/log/journal/ID/*.journal  written by a real systemd-journald, which
#                                            forwards to rsyslog (--journal only)
# OUT_DIR/truth.tsv                          source, what it did, password tries made
#
# Nothing of the machine is changed: sshd runs in a private mount namespace in which
# /dev/log is rsyslog's socket in OUT_DIR, /var/log is OUT_DIR/root/var/log, and
# /etc/passwd, /etc/shadow and /etc/group are copies holding one more account (the
# victim, with a known password). Each attacker uses its own loopback address
# (127.0.0.0/8 is local on Linux), so the sources are told apart as on a real network;
# the attackers run at the same time, as on the Internet. Needs root (namespaces;
# sshd's privilege separation). Takes about a minute (sshd delays each failure).
set -eu

out=$1
shift
audit='' journal=''
for option; do
    case $option in
    --audit) audit=1 ;;
    --journal) journal=1 ;;
    *) echo "usage: $0 OUT_DIR [--audit] [--journal]" >&2; exit 2 ;;
    esac
done
mkdir -p "$out/root/var/log" "$out/run"
out=$(cd "$out" && pwd)
run=$out/run
root=$out/root
port=${KENSA_SSHD_PORT:-2222}

# rsyslog as Debian 12 configures it (traditional file format). Alone it listens on a
# socket of its own, which is /dev/log in sshd's namespace; with --journal it listens
# where journald forwards (as Debian's rsyslog does beside systemd), and /dev/log is
# journald's.
if [ -n "$journal" ]; then
    syslog_socket=/run/systemd/journal/syslog
    dev_log=/run/systemd/journal/dev-log
else
    syslog_socket=$run/log.sock
    dev_log=$run/log.sock
fi
cat > "$run/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$syslog_socket" CreatePath="on")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
\$WorkDirectory $run
auth,authpriv.*                 $root/var/log/auth.log
*.*;auth,authpriv.none          -$root/var/log/syslog
EOF
# journald keeping a persistent journal under the root's var/log/journal, forwarding to
# rsyslog; its runtime files are in the namespace's own /run/systemd and /run/log.
cat > "$run/journald.conf" <<EOF
[Journal]
Storage=persistent
ForwardToSyslog=yes
RateLimitBurst=0
EOF

if [ -n "$audit" ]; then
    mkdir -p "$root/var/log/audit" "$run/audit-plugins"
    sed "s|@LOG@|$root/var/log/audit/audit.log|; s|@PLUGINS@|$run/audit-plugins|" \
        "$(dirname "$0")/auditd.conf.in" > "$run/auditd.conf"
    auditd -n -c "$run" &
    auditd_pid=$!
fi

# The victim account, only inside sshd's namespace.
victim=kvictim
victim_password='Summer2024'
hash=$(openssl passwd -6 -salt kensalive "$victim_password")
cp /etc/passwd /etc/shadow /etc/group "$run/"
echo "$victim:x:4242:4242:Kensa Victim,,,:/tmp:/bin/sh" >> "$run/passwd"
echo "$victim:$hash:19000:0:99999:7:::" >> "$run/shadow"
echo "$victim:x:4242:" >> "$run/group"
chmod 640 "$run/shadow"

ssh-keygen -q -t ed25519 -N '' -f "$run/host_key"
cat > "$run/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
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
# sshd appends to these (it never creates them): logins to wtmp, failures to btmp.
: > "$root/var/log/wtmp"
: > "$root/var/log/btmp"
chmod 600 "$root/var/log/btmp" # sshd refuses a btmp others can read

unshare --mount --propagation private sh -c "
    set -e
    mkdir -p '$run/dev'
    mount --bind /dev '$run/dev'
    mount -t tmpfs -o mode=755 tmpfs /dev
    for n in null zero full random urandom tty; do
        touch /dev/\$n; mount --bind '$run/dev/'\$n /dev/\$n
    done
    mkdir /dev/pts /dev/shm
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts
    ln -s pts/ptmx /dev/ptmx
    ln -s '$dev_log' /dev/log
    for f in passwd shadow group; do mount --bind '$run/'\$f /etc/\$f; done
    mount --bind '$root/var/log' /var/log
    if [ -n '$journal' ]; then
        mkdir -p /run/systemd /run/log /var/log/journal
        mount -t tmpfs tmpfs /run/systemd
        mount -t tmpfs tmpfs /run/log
        mkdir /run/systemd/journal
        mount --bind '$run/journald.conf' /etc/systemd/journald.conf
    fi
    rsyslogd -f '$run/rsyslog.conf' -i '$run/rsyslog.pid'
    if [ -n '$journal' ]; then
        # Without the audit capabilities: journald would switch the kernel's auditing
        # off (audit_enabled=0, for the whole machine) and copy other programs' records.
        setpriv --bounding-set -audit_control,-audit_read \\
            /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &
        echo \$! > '$run/journald.pid'
        for _ in \$(seq 50); do
            [ -S /run/systemd/journal/dev-log ] && break
            sleep 0.1
        done
        # Until asked, journald writes to /run/log/journal (a booting system's volatile
        # journal); systemd-journal-flush.service asks it at boot.
        journalctl --flush
    fi
    exec /usr/sbin/sshd -f '$run/sshd_config'
"
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
    KENSA_PW=$password SSH_ASKPASS=$run/askpass SSH_ASKPASS_REQUIRE=force \
        setsid -w ssh -p "$port" -o BindAddress="$source" \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=QUIET \
        -o PubkeyAuthentication=no -o ConnectTimeout=5 \
        -o NumberOfPasswordPrompts="$prompts" "$@" "$user@127.0.0.1" true \
        </dev/null >/dev/null 2>&1 || true
}

: > "$out/truth.tsv"
truth() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$out/truth.tsv"; }

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

# F: a key scanner (connection noise, no account named).
ssh-keyscan -p "$port" 127.0.0.1 >/dev/null 2>&1 || true
truth 127.0.0.1 keyscan 0
# shellcheck disable=SC2086 # the pids, one word each
wait $attackers

sleep 1
kill "$(cat "$run/sshd.pid")"
if [ -n "$audit" ]; then
    kill "$auditd_pid"
    wait "$auditd_pid" 2>/dev/null || true
fi
sleep 0.5
stop() { # PIDFILE: ends the daemon and waits until it has (journald syncs first)
    pid=$(cat "$1")
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}
if [ -n "$journal" ]; then stop "$run/journald.pid"; fi
stop "$run/rsyslog.pid"
if [ -n "$audit" ]; then
    # The kernel's audit is the machine's, not the namespace's: other programs' records
    # (tests of other servers running at the same time) are left out, so the truth holds.
    log=$root/var/log/audit/audit.log
    awk 'match($0, /exe="[^"]*"/) && substr($0, RSTART, RLENGTH) != "exe=\"/usr/sbin/sshd\"" { next } { print }' \
        "$log" > "$log.only-sshd"
    mv "$log.only-sshd" "$log"
fi
sleep 0.2
echo "$out"
