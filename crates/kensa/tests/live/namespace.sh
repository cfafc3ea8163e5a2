#!/bin/sh
# Inside a private mount namespace (`unshare --mount --propagation private`), makes the
# machine the live captures need and then runs the server given as arguments:
#
#   RUN=DIR ROOT=DIR DEV_LOG=SOCKET [JOURNAL=1 [JOURNAL_AUDIT=1]] sh namespace.sh SERVER [ARGS...]
#
# a /dev of its own (the devices a login needs, a fresh devpts for the server's
# terminals, /dev/log pointing at DEV_LOG), the account files RUN/{passwd,shadow,group}
# over /etc's, ROOT/var/log as /var/log (where the server writes wtmp and btmp), rsyslog
# with RUN/rsyslog.conf, and with JOURNAL a systemd-journald with RUN/journald.conf
# keeping its journal in ROOT/var/log/journal. None of it is seen outside the namespace.
set -eu
mkdir -p "$RUN/dev"
mount --bind /dev "$RUN/dev"
mount -t tmpfs -o mode=755 tmpfs /dev
for n in null zero full random urandom tty; do
    touch "/dev/$n"
    mount --bind "$RUN/dev/$n" "/dev/$n"
done
mkdir /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
ln -s "$DEV_LOG" /dev/log
for f in passwd shadow group; do mount --bind "$RUN/$f" "/etc/$f"; done
mount --bind "$ROOT/var/log" /var/log
if [ -n "${JOURNAL:-}" ]; then
    mkdir -p /run/systemd /run/log /var/log/journal
    mount -t tmpfs tmpfs /run/systemd
    mount -t tmpfs tmpfs /run/log
    mkdir /run/systemd/journal
    mount --bind "$RUN/journald.conf" /etc/systemd/journald.conf
fi
rsyslogd -f "$RUN/rsyslog.conf" -i "$RUN/rsyslog.pid"
if [ -n "${JOURNAL:-}" ]; then
    # Never with CAP_AUDIT_CONTROL: journald would switch the kernel's auditing off
    # (audit_enabled=0, for the whole machine). Without CAP_AUDIT_READ it does not read
    # the kernel's audit records; with JOURNAL_AUDIT it does (the audit multicast group,
    # which only the initial network namespace has: this namespace is of mounts only),
    # as journald on a host without auditd does, and keeps other programs' records too.
    drop=-audit_control,-audit_read
    if [ -n "${JOURNAL_AUDIT:-}" ]; then drop=-audit_control; fi
    setpriv --bounding-set "$drop" \
        /lib/systemd/systemd-journald </dev/null >/dev/null 2>&1 &
    echo $! > "$RUN/journald.pid"
    for _ in $(seq 50); do
        [ -S /run/systemd/journal/dev-log ] && break
        sleep 0.1
    done
    # Until asked, journald writes to /run/log/journal (a booting system's volatile
    # journal); systemd-journal-flush.service asks it at boot.
    journalctl --flush
fi
exec "$@"
