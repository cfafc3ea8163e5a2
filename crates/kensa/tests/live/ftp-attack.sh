#!/bin/sh
# Attacks real FTP daemons on loopback — Debian's vsftpd and the proftpd-core and
# pure-ftpd .debs, unpacked — and leaves the logs they and a real rsyslogd wrote, laid
# out as an audited root.
#
#   ftp-attack.sh OUT_DIR DEBS_DIR
#
# OUT_DIR/root/var/log/vsftpd.log            vsftpd's own log (xferlog_std_format=NO)
# OUT_DIR/root/var/log/xferlog               vsftpd's wu-ftpd style log (dual_log_enable)
# OUT_DIR/root/var/log/proftpd/proftpd.log   proftpd's SystemLog
# OUT_DIR/root/var/log/proftpd/xferlog       proftpd's TransferLog
# OUT_DIR/root/var/log/proftpd/auth.log      proftpd's ExtendedLog of class AUTH (Debian's example)
# OUT_DIR/root/var/log/pure-ftpd/transfer.log  pure-ftpd's -O clf: alt log (Debian's default)
# OUT_DIR/root/var/log/pure-ftpd/xferlog.log  a second pure-ftpd's -O xferlog: alt log
# OUT_DIR/root/var/log/{auth.log,syslog}     written by rsyslogd (pure-ftpd, vsftpd's PAM)
# OUT_DIR/root/etc/hostname                 the machine's name, as rsyslog writes it
# OUT_DIR/truth.tsv                          source, daemon, what it did, password tries
#
# Nothing of the machine is changed: the daemons run in a private mount namespace in
# which /dev/log is rsyslog's socket in OUT_DIR and /etc/passwd, /etc/shadow and
# /etc/group are copies holding one more account (the victim, with a known password) and
# an `ftp` account whose home is the anonymous area made here. Each attacker uses its own
# loopback address: 127.0.1.N against vsftpd, 127.0.2.N against proftpd, 127.0.3.N
# against pure-ftpd, 127.0.4.N and 127.0.5.N against the vsftpd and proftpd that log
# through syslog, 127.0.6.N against the pure-ftpd with an xferlog. Needs root
# (namespaces; the daemons' logins of local users).
set -eu

cleanup() {
    for pidfile in vsftpd vsftpd-syslog proftpd proftpd-syslog pure-ftpd pure-ftpd-xferlog rsyslog; do
        [ -s "$run/$pidfile.pid" ] && kill "$(cat "$run/$pidfile.pid")" 2>/dev/null || true
    done
}
out=$1
debs=$2
mkdir -p "$out/root/var/log/proftpd" "$out/root/var/log/pure-ftpd" "$out/root/etc" "$out/run"
out=$(cd "$out" && pwd)
run=$out/run
root=$out/root
# The root names itself as rsyslog names the machine in its lines (one machine, one host).
hostname | cut -d. -f1 > "$root/etc/hostname"
base=${KENSA_FTP_PORT:-2121}
vport=$base
pport=$((base + 1))
uport=$((base + 2))
vsport=$((base + 3))
psport=$((base + 4))
ucport=$((base + 5))

# The servers, unpacked from their .debs.
mkdir -p "$run/debs"
for deb in "$debs"/proftpd-core_*.deb "$debs"/pure-ftpd_*.deb; do
    dpkg-deb -x "$deb" "$run/debs"
done

# rsyslog as Debian 12 configures it (traditional file format), on a socket of its own.
cat > "$run/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$run/log.sock" CreatePath="on")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
\$WorkDirectory $run
auth,authpriv.*                 $root/var/log/auth.log
*.*;auth,authpriv.none          -$root/var/log/syslog
EOF
rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslog.pid"
trap cleanup EXIT

# The victim account and an anonymous area, only inside the daemons' namespace.
victim=kvictim
victim_password='Summer2024'
hash=$(openssl passwd -6 -salt kensalive "$victim_password")
cp /etc/passwd /etc/shadow /etc/group "$run/"
mkdir -p "$run/home/$victim" "$run/empty"
echo "quarterly figures" > "$run/home/$victim/report.txt"
for anon in "$run/ftp" "$run/vsftpd-anon" "$run/vsftpd-syslog-anon" "$run/proftpd-anon" \
    "$run/proftpd-syslog-anon"; do
    mkdir -p "$anon/pub" "$anon/up" "$anon/incoming"
    echo "hello" > "$anon/pub/README"
done
chown -R 4242:4242 "$run/home/$victim"
grep -v '^ftp:' /etc/passwd > "$run/passwd"
echo "ftp:x:4243:4243:ftp daemon:$run/ftp:/usr/sbin/nologin" >> "$run/passwd"
echo "$victim:x:4242:4242:Kensa Victim,,,:$run/home/$victim:/bin/sh" >> "$run/passwd"
grep -v '^ftp:' /etc/shadow > "$run/shadow"
echo "ftp:*:19000:0:99999:7:::" >> "$run/shadow"
echo "$victim:$hash:19000:0:99999:7:::" >> "$run/shadow"
grep -v '^ftp:' /etc/group > "$run/group"
echo "ftp:x:4243:" >> "$run/group"
echo "$victim:x:4242:" >> "$run/group"
chmod 640 "$run/shadow"
# The misconfiguration the advisory is about: a directory writable by ftp (`up`; vsftpd
# refuses an anonymous root writable by ftp, so the root itself stays the system's).
# `pub` and the root are read-only (uploads there are refused); `incoming` is writable
# and is what a write-only `incoming` is for.
for anon in "$run/ftp" "$run/vsftpd-anon" "$run/vsftpd-syslog-anon" "$run/proftpd-anon" \
    "$run/proftpd-syslog-anon"; do
    chown 4243:4243 "$anon/up" "$anon/incoming"
    chmod 755 "$anon"
    chmod 555 "$anon/pub"
done
chmod 755 "$run" "$out"
# vsftpd's PAM service as Debian ships it, but without pam_unix's 2 s delay per failure.
sed 's/^@include common-auth$/auth required pam_unix.so nodelay/' /etc/pam.d/vsftpd > "$run/pam.vsftpd"

# vsftpd as Debian configures it (listen_ipv6=YES: IPv4 clients are logged as
# ::ffff:a.b.c.d), with its own log (xferlog_std_format=NO, Debian's default) and the
# wu-ftpd style log beside it (dual_log_enable); a second one logs through syslog.
vsftpd_conf() { # PORT ANON_ROOT LOGGING
    cat <<EOF
listen=NO
listen_ipv6=YES
listen_address6=::ffff:127.0.0.1
listen_port=$1
background=NO
anonymous_enable=YES
local_enable=YES
write_enable=YES
anon_upload_enable=YES
anon_root=$2
no_anon_password=YES
secure_chroot_dir=$run/empty
pam_service_name=vsftpd
seccomp_sandbox=NO
xferlog_enable=YES
$3
EOF
}
vsftpd_conf "$vport" "$run/vsftpd-anon" "xferlog_std_format=NO
dual_log_enable=YES
vsftpd_log_file=$root/var/log/vsftpd.log
xferlog_file=$root/var/log/xferlog" > "$run/vsftpd.conf"
vsftpd_conf "$vsport" "$run/vsftpd-syslog-anon" "syslog_enable=YES" > "$run/vsftpd-syslog.conf"

# proftpd: Debian's logging (SystemLog, TransferLog) and the AUTH ExtendedLog of
# proftpd's own examples; a second one has no SystemLog and logs through syslog.
# UseIPv6 on (Debian's default) with an IPv4-mapped address: clients are ::ffff:a.b.c.d.
proftpd_conf() { # PORT NAME ANON_ROOT LOGGING
    cat <<EOF
ServerName "kensa live"
ServerType standalone
DefaultServer on
Port $1
UseIPv6 on
DefaultAddress ::ffff:127.0.0.1
User nobody
Group nogroup
PidFile $run/$2.pid
ScoreboardFile $run/$2.scoreboard
DelayEngine off
UseReverseDNS off
WtmpLog off
AuthOrder mod_auth_unix.c
RequireValidShell off
MaxLoginAttempts 3
LogFormat auth "%v [%P] %h %t \"%r\" %s"
$4
<Anonymous $3>
  User ftp
  Group ftp
  UserAlias anonymous ftp
  RequireValidShell off
  <Limit WRITE>
    AllowAll
  </Limit>
</Anonymous>
EOF
}
proftpd_conf "$pport" proftpd "$run/proftpd-anon" "SystemLog $root/var/log/proftpd/proftpd.log
TransferLog $root/var/log/proftpd/xferlog
ExtendedLog $root/var/log/proftpd/auth.log AUTH auth" > "$run/proftpd.conf"
proftpd_conf "$psport" proftpd-syslog "$run/proftpd-syslog-anon" "TransferLog none" \
    > "$run/proftpd-syslog.conf"

unshare --mount --propagation private sh -c "
    set -e
    mkdir -p '$run/dev'
    mount --bind /dev '$run/dev'
    mount -t tmpfs -o mode=755 tmpfs /dev
    for n in null zero full random urandom tty ptmx; do
        touch /dev/\$n; mount --bind '$run/dev/'\$n /dev/\$n
    done
    mkdir /dev/pts /dev/shm
    mount --bind '$run/dev/pts' /dev/pts
    ln -s '$run/log.sock' /dev/log
    for f in passwd shadow group; do mount --bind '$run/'\$f /etc/\$f; done
    mount --bind '$run/pam.vsftpd' /etc/pam.d/vsftpd
    for v in vsftpd vsftpd-syslog; do
        /usr/sbin/vsftpd '$run/'\$v.conf </dev/null >'$run/'\$v.out 2>&1 &
        echo \$! > '$run/'\$v.pid
    done
    for p in proftpd proftpd-syslog; do
        '$run/debs/usr/sbin/proftpd' -c '$run/'\$p.conf </dev/null >'$run/'\$p.out 2>&1
    done
    '$run/debs/usr/sbin/pure-ftpd' -S 127.0.0.1,$uport -l unix -B -g '$run/pure-ftpd.pid' -A \
        -O 'clf:$root/var/log/pure-ftpd/transfer.log' </dev/null >'$run/pure-ftpd.out' 2>&1
    '$run/debs/usr/sbin/pure-ftpd' -S 127.0.0.1,$ucport -l unix -B -g '$run/pure-ftpd-xferlog.pid' -A \
        -O 'xferlog:$root/var/log/pure-ftpd/xferlog.log' </dev/null >'$run/pure-ftpd-xferlog.out' 2>&1
"
for _ in $(seq 50); do
    [ -s "$run/proftpd.pid" ] && [ -s "$run/proftpd-syslog.pid" ] && [ -s "$run/pure-ftpd.pid" ] \
        && [ -s "$run/pure-ftpd-xferlog.pid" ] && break
    sleep 0.1
done
sleep 0.3

: > "$out/truth.tsv"
python3 "$(dirname "$0")/ftp-client.py" "$out/truth.tsv" "$victim" "$victim_password" \
    vsftpd:127.0.1:$vport proftpd:127.0.2:$pport pure-ftpd:127.0.3:$uport \
    vsftpd-syslog:127.0.4:$vsport proftpd-syslog:127.0.5:$psport \
    pure-ftpd-xferlog:127.0.6:$ucport

sleep 1
for pidfile in vsftpd vsftpd-syslog proftpd proftpd-syslog pure-ftpd pure-ftpd-xferlog; do
    kill "$(cat "$run/$pidfile.pid")" 2>/dev/null || true
done
sleep 0.5
kill "$(cat "$run/rsyslog.pid")"
rm -f "$run"/*.pid
sleep 0.2
echo "$out"
