#!/bin/sh
# Attacks the SMTP AUTH of a real Postfix (Debian's postfix .deb, unpacked, with
# dovecot's SASL as Debian's and Postfix's documentation pair them) on loopback and
# leaves the logs that rsyslog wrote, laid out as an audited root.
#
#   postfix-attack.sh OUT_DIR DEBS_DIR
#
# DEBS_DIR holds postfix_*.deb (`apt-get download postfix`); dovecot-core is installed.
#
# OUT_DIR/root/var/log/{mail.log,syslog}   written by a real rsyslogd (postfix, dovecot)
# OUT_DIR/root/var/log/auth.log            pam_unix's lines (dovecot's passdb is PAM)
# OUT_DIR/truth.tsv                        source, what it did, password tries made
# OUT_DIR/tries.txt                        each client's tries and their answers
# OUT_DIR/versions.txt                     the packages that ran
#
# Nothing of the machine is changed. Everything runs in private mount, UTS, network
# and PID namespaces, as sendmail-attack.sh does: /etc, /usr and /var are overlays (the
# machine's files below, the changes in OUT_DIR/run) into which the .deb is unpacked as
# dpkg would put it; the host is mailhub.example.invalid; the network is a loopback of
# its own, so postfix listens on port 25 as Debian configures it; when the script ends,
# so does every process it started. main.cf is what postfix's postinst writes for an
# "Internet Site" (main.cf.debian, main.cf.tls, the postconf -e settings), plus the three
# SASL settings; dovecot's auth also offers LOGIN. master.cf is Debian's, unchanged
# (smtpd chrooted, logging through the socket rsyslog makes in the chroot, as Debian's
# /etc/rsyslog.d/postfix.conf asks). postfix starts as its systemd unit starts it
# (configure-instance.sh, then postmulti -p start). dovecot's auth serves private/auth
# with Debian's PAM passdb. Each client uses its own loopback address. Needs root,
# python3, rsyslogd, dpkg-deb, cpio (configure-instance.sh copies the CA certificates
# into the chroot with it), ip, unshare, openssl, dovecot. Takes about 35 s: dovecot
# answers each wrong password after 2 s and delays an address's later tries by up to
# 15 s (its auth penalty), which the second try of each burst connection waits for.
set -eu

out=$1
debs=$2
mkdir -p "$out/root/var/log" "$out/run"
out=$(cd "$out" && pwd)
debs=$(cd "$debs" && pwd)
run=$out/run
root=$out/root
here=$(cd "$(dirname "$0")" && pwd)
: > "$out/truth.tsv"
: > "$out/tries.txt"

. "$here/mta-common.sh"
mta_unpack postfix
dpkg-query -W -f='${Package} ${Version}\n' dovecot-core >> "$run/versions"

# rsyslog as Debian 12 configures it (traditional file format), with postfix's socket
# in its chroot.
cat > "$run/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$run/log.sock" CreatePath="on")
input(type="imuxsock" Socket="/var/spool/postfix/dev/log" CreatePath="on")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
\$WorkDirectory $run
auth,authpriv.*                 $root/var/log/auth.log
*.*;auth,authpriv.none          -$root/var/log/syslog
mail.*                          -$root/var/log/mail.log
EOF

cat > "$run/inside.sh" <<'EOF'
set -eu
run=$1 root=$2 here=$3 out=$4
. "$here/mta-namespace.sh"

# What postfix's postinst sets up: its users and groups, the Internet Site main.cf.
grep -q '^postfix:' /etc/group || echo 'postfix:x:4301:' >> /etc/group
grep -q '^postdrop:' /etc/group || echo 'postdrop:x:4302:' >> /etc/group
grep -q '^postfix:' /etc/passwd ||
    echo 'postfix:x:4301:4301::/var/spool/postfix:/usr/sbin/nologin' >> /etc/passwd
# The victim, with a known password (PAM reads /etc/shadow).
echo "kvictim:x:4242:4242:Kensa Victim,,,:/nonexistent:/bin/sh" >> /etc/passwd
echo "kvictim:$(openssl passwd -6 -salt kensalive Summer2024):19000:0:99999:7:::" >> /etc/shadow
echo "kvictim:x:4242:" >> /etc/group
printf '127.0.0.1 mailhub.example.invalid mailhub localhost\n' >> /etc/hosts
echo mailhub.example.invalid > /etc/mailname
cat /usr/share/postfix/main.cf.debian /usr/share/postfix/main.cf.tls > /etc/postfix/main.cf
cp /usr/share/postfix/master.cf.dist /etc/postfix/master.cf
cp /usr/share/postfix/dynamicmaps.cf /etc/postfix/dynamicmaps.cf
postconf -e 'myhostname = mailhub.example.invalid' 'myorigin = /etc/mailname' \
    'alias_maps = hash:/etc/aliases' 'alias_database = hash:/etc/aliases' \
    'mydestination = $myhostname, mailhub, localhost.localdomain, localhost' \
    'relayhost =' 'mynetworks = 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128' \
    'mailbox_size_limit = 0' 'recipient_delimiter = +' 'inet_interfaces = all' \
    'inet_protocols = all'
# SMTP AUTH through dovecot (Postfix's SASL_README, Debian's wiki).
postconf -e 'smtpd_sasl_type = dovecot' 'smtpd_sasl_path = private/auth' \
    'smtpd_sasl_auth_enable = yes'
# The queue, as `postfix post-install` makes it for postinst.
mkdir -p /var/spool/postfix /var/lib/postfix /var/mail
postfix post-install create-missing >/dev/null
# postinst's dpkg-statoverride lines.
chown postfix:postfix /var/lib/postfix
chgrp postdrop /usr/sbin/postqueue /usr/sbin/postdrop
chmod 2555 /usr/sbin/postqueue /usr/sbin/postdrop
chmod 1777 /var/mail
printf 'postmaster: root\n' > /etc/aliases
newaliases
mkdir -p /var/spool/postfix/dev

cat > "$run/dovecot.conf" <<CONF
!include /etc/dovecot/dovecot.conf
protocols = none
# LOGIN beside Debian's PLAIN, as Postfix's SASL_README and Debian's wiki advise for
# the clients that only know it.
auth_mechanisms = plain login
base_dir = $run/dovecot
state_dir = $run/dovecot-state
service auth {
  unix_listener /var/spool/postfix/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF
mkdir -p "$run/dovecot" "$run/dovecot-state"

rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslog.pid"
for _ in $(seq 50); do
    [ -S "$run/log.sock" ] && break
    sleep 0.1
done
# As postfix@-.service: configure-instance.sh, then the instance's start.
/usr/lib/postfix/configure-instance.sh -
postmulti -i - -p start
/usr/sbin/dovecot -c "$run/dovecot.conf"
for _ in $(seq 100); do
    [ -S /var/spool/postfix/private/auth ] &&
        python3 -c "import socket; socket.create_connection(('127.0.0.1', 25)).close()" \
            2>/dev/null && break
    sleep 0.1
done
python3 -c "import socket; socket.create_connection(('127.0.0.1', 25)).close()"
[ -S /var/spool/postfix/private/auth ]

tries() { # SOURCE PER_CONNECTION USER:PASSWORD...: prints how many were refused
    source=$1
    shift
    python3 "$here/mail-clients.py" smtp 25 "$source" "$@" > "$run/tries.$source"
    printf '%s smtp %s\n' "$source" "$(tr '\n' ' ' < "$run/tries.$source")" >> "$out/tries.txt"
    grep -c '^no$' "$run/tries.$source" || true
}
truth() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$out/truth.tsv"; }
wrong() { # USER N: N different wrong passwords for USER
    for n in $(seq 1 "$2"); do printf '%s:Guess%s!%s ' "$1" "$n" "$1"; done
}

# E: the owner, before the attacks: a login and a mail.
tries 127.0.0.54 1 kvictim:Summer2024 >/dev/null
truth 127.0.0.54 benign-owner 0
# A: a burst on root, AUTH PLAIN then AUTH LOGIN on each of five connections.
# shellcheck disable=SC2046 # the pairs, one word each
( truth 127.0.0.50 burst-root "$(tries 127.0.0.50 2 $(wrong root 10))" ) &
attackers=$!
# B: passwords for ten accounts that do not exist, one per connection.
( truth 127.0.0.51 invalid-user-passwords \
    "$(tries 127.0.0.51 1 $(for n in $(seq 1 10); do printf 'ghost%s:Winter%s ' $n $n; done))" ) &
attackers="$attackers $!"
# C: eight wrong passwords for the victim, then the right one and a mail.
(
    # shellcheck disable=SC2046
    failed=$(tries 127.0.0.52 1 $(wrong kvictim 8))
    tries 127.0.0.52 1 kvictim:Summer2024 >/dev/null
    truth 127.0.0.52 guessed-login "$failed"
) &
attackers="$attackers $!"
# shellcheck disable=SC2086 # the pids, one word each
wait $attackers
# Let the deliveries finish, then stop (rsyslogd writes its buffers last).
sleep 2
postmulti -i - -p stop
kill "$(cat "$run/dovecot/master.pid")"
sleep 1
mta_stop_rsyslog
EOF
mta_inside
echo "$out"
