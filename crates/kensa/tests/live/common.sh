# What the live capture scripts (sshd-attack.sh, login-attack.sh) share; sourced.
#
# live_init OUT_DIR [--audit] [--journal] [--journal-audit] [--mail] lays out OUT_DIR/root
# (the audited root: its var/log is written by the real programs), OUT_DIR/run (their
# configuration and
# sockets) and OUT_DIR/truth.tsv, and writes the configuration of rsyslog (as Debian 12
# has it; --mail adds its mail.log), of journald (--journal) and of auditd (--audit), and copies of the account
# files holding one more account: the victim, with a known password. live_serve runs a
# server in a private mount namespace made by namespace.sh; live_finish stops the
# daemons and keeps, of the machine-wide audit log, the records of the server's program.

live_init() {
    out=$1
    shift
    audit='' journal='' journal_audit='' mail=''
    for option; do
        case $option in
        --audit) audit=1 ;;
        --journal) journal=1 ;;
        # journald also reads the kernel's audit records (as on a host without auditd).
        --journal-audit) journal=1 journal_audit=1 ;;
        --mail) mail=1 ;;
        *) echo "usage: $0 OUT_DIR [--audit] [--journal] [--journal-audit] [--mail]" >&2; exit 2 ;;
        esac
    done
    mkdir -p "$out/root/var/log" "$out/run"
    out=$(cd "$out" && pwd)
    run=$out/run
    root=$out/root
    : > "$out/truth.tsv"

    # rsyslog in Debian 12's traditional file format. Alone it listens on a socket of its
    # own, which is /dev/log in the namespace; with --journal it listens where journald
    # forwards (as Debian's rsyslog does beside systemd), and /dev/log is journald's.
    if [ -n "$journal" ]; then
        syslog_socket=/run/systemd/journal/syslog
        dev_log=/run/systemd/journal/dev-log
    else
        syslog_socket=$run/log.sock
        dev_log=$run/log.sock
    fi
    cat > "$run/rsyslog.conf" <<CONF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$syslog_socket" CreatePath="on")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
\$WorkDirectory $run
auth,authpriv.*                 $root/var/log/auth.log
*.*;auth,authpriv.none          -$root/var/log/syslog
CONF
    if [ -n "$mail" ]; then
        echo "mail.*                          -$root/var/log/mail.log" >> "$run/rsyslog.conf"
    fi
    cat > "$run/journald.conf" <<CONF
[Journal]
Storage=persistent
ForwardToSyslog=yes
RateLimitBurst=0
CONF

    if [ -n "$audit" ]; then
        mkdir -p "$root/var/log/audit" "$run/audit-plugins"
        sed "s|@LOG@|$root/var/log/audit/audit.log|; s|@PLUGINS@|$run/audit-plugins|" \
            "$live_dir/auditd.conf.in" > "$run/auditd.conf"
        auditd -n -c "$run" &
        auditd_pid=$!
    fi

    # The victim account, only inside the namespace.
    victim=kvictim
    victim_password='Summer2024'
    hash=$(openssl passwd -6 -salt kensalive "$victim_password")
    cp /etc/passwd /etc/shadow /etc/group "$run/"
    echo "$victim:x:4242:4242:Kensa Victim,,,:/tmp:/bin/sh" >> "$run/passwd"
    echo "$victim:$hash:19000:0:99999:7:::" >> "$run/shadow"
    echo "$victim:x:4242:" >> "$run/group"
    chmod 640 "$run/shadow"

    # Servers append to these (they never create them): logins to wtmp, failures to btmp.
    : > "$root/var/log/wtmp"
    : > "$root/var/log/btmp"
    chmod 600 "$root/var/log/btmp" # sshd refuses a btmp others can read
}

truth() { # ADDRESS WHAT TRIES [NAME]: one attacker (NAME: what its logs call it)
    if [ $# -gt 3 ]; then
        printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$out/truth.tsv"
    else
        printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$out/truth.tsv"
    fi
}

live_serve() { # SERVER [ARGS...]: runs it in the namespace, in the background
    RUN=$run ROOT=$root DEV_LOG=$dev_log JOURNAL=$journal JOURNAL_AUDIT=$journal_audit \
        unshare --mount --propagation private sh "$live_dir/namespace.sh" "$@" &
    server_pid=$!
}

live_stop() { # PIDFILE: ends the daemon and waits until it has (journald syncs first)
    pid=$(cat "$1")
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
}

live_finish() { # EXE: the server's program, whose audit records are kept
    if [ -n "$audit" ]; then
        kill "$auditd_pid"
        wait "$auditd_pid" 2>/dev/null || true
    fi
    sleep 0.5
    if [ -n "$journal" ]; then live_stop "$run/journald.pid"; fi
    live_stop "$run/rsyslog.pid"
    if [ -n "$audit" ]; then
        # The kernel's audit is the machine's, not the namespace's: other programs'
        # records (tests of other servers running at the same time) are left out.
        log=$root/var/log/audit/audit.log
        awk -v keep="exe=\"$1\"" \
            'match($0, /exe="[^"]*"/) && substr($0, RSTART, RLENGTH) != keep { next } { print }' \
            "$log" > "$log.kept"
        mv "$log.kept" "$log"
    fi
    sleep 0.2
}
