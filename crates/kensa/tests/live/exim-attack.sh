#!/bin/sh
# Attacks the SMTP AUTH of a real exim (Debian's exim4-daemon-light, exim4-base and
# exim4-config .debs, unpacked) on loopback and leaves its logs, laid out as an audited
# root.
#
#   exim-attack.sh OUT_DIR DEBS_DIR
#
# OUT_DIR/root/var/log/exim4/mainlog       exim's own log (Debian's default)
# OUT_DIR/root/var/log/syslog             written by a real rsyslogd (its own start: exim
#                                          logs to its own files)
# OUT_DIR/root/etc/hostname                the machine's name (exim's lines carry none)
# OUT_DIR/truth.tsv                        source, what it did, password tries made
# OUT_DIR/tries.txt                        each client's tries and their answers
# OUT_DIR/versions.txt                     the packages that ran
#
# The namespaces and overlays are postfix-attack.sh's. exim's configuration is Debian's
# non-split exim4.conf.template through update-exim4.conf, for an Internet site
# listening on 127.0.0.1, with the two authenticators Debian's template carries
# commented out (`plain_server`, `login_server`: crypteq against /etc/exim4/passwd, as
# its comments describe) taken in, and TLS on (MAIN_TLS_ENABLE, the snakeoil certificate
# as /etc/exim4/exim.crt): those authenticators are only offered over TLS. exim runs as
# Debian's init script runs it (`exim4 -bd -q30m`; `-bdf`, in the foreground). Needs
# root, python3, rsyslogd, dpkg-deb, ip, unshare, openssl.
set -eu

out=$1
debs=$2
mkdir -p "$out/root/var/log" "$out/root/etc" "$out/run"
out=$(cd "$out" && pwd)
debs=$(cd "$debs" && pwd)
run=$out/run
root=$out/root
here=$(cd "$(dirname "$0")" && pwd)
: > "$out/truth.tsv"
: > "$out/tries.txt"
: > "$run/versions"

. "$here/mta-common.sh"
mta_unpack exim4-base exim4-config exim4-daemon-light

cat > "$run/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$run/log.sock" CreatePath="on")
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

# What exim4-base's postinst sets up: Debian-exim, its spool and log directories.
grep -q '^Debian-exim:' /etc/group || echo 'Debian-exim:x:4401:' >> /etc/group
grep -q '^Debian-exim:' /etc/passwd ||
    echo 'Debian-exim:x:4401:4401::/var/spool/exim4:/usr/sbin/nologin' >> /etc/passwd
echo "kvictim:x:4242:4242:Kensa Victim,,,:/var/lib/kvictim:/bin/sh" >> /etc/passwd
mkdir -p /var/lib/kvictim && chown 4242:4242 /var/lib/kvictim
echo "kvictim:x:4242:" >> /etc/group
mkdir -p /var/spool/exim4 /var/log/exim4 /var/lib/exim4 /var/mail /run/exim4
chown Debian-exim:Debian-exim /var/spool/exim4 /run/exim4
chown Debian-exim:adm /var/log/exim4
chmod 2750 /var/log/exim4
chmod 1777 /var/mail
printf '127.0.0.1 mailhub.example.invalid mailhub localhost\n' >> /etc/hosts
echo mailhub.example.invalid > /etc/mailname
# What debconf gives for "internet site", listening on loopback only.
cat > /etc/exim4/update-exim4.conf.conf <<CONF
dc_eximconfig_configtype='internet'
dc_other_hostnames='mailhub.example.invalid'
dc_local_interfaces='127.0.0.1'
dc_readhost=''
dc_relay_domains=''
dc_minimaldns='false'
dc_relay_nets=''
dc_smarthost=''
CFILEMODE='644'
dc_use_split_config='false'
dc_hide_mailname=''
dc_mailname_in_oh='true'
dc_localdelivery='mail_spool'
CONF
echo 'MAIN_TLS_ENABLE = yes' > /etc/exim4/exim4.conf.localmacros
# Debian's own PLAIN and LOGIN authenticators, uncommented.
sed -i -e '/^# plain_server:/,/^#   \.endif/ s/^# //' \
    -e '/^# login_server:/,/^#   \.endif/ s/^# //' /etc/exim4/exim4.conf.template
cp /etc/ssl/certs/ssl-cert-snakeoil.pem /etc/exim4/exim.crt
cp /etc/ssl/private/ssl-cert-snakeoil.key /etc/exim4/exim.key
echo "kvictim:$(openssl passwd -6 -salt kensalive Summer2024)" > /etc/exim4/passwd
chown root:Debian-exim /etc/exim4/exim.crt /etc/exim4/exim.key /etc/exim4/passwd
chmod 640 /etc/exim4/exim.crt /etc/exim4/exim.key /etc/exim4/passwd
printf 'postmaster: root\n' > /etc/aliases
update-exim4.conf

rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslog.pid"
for _ in $(seq 50); do
    [ -S "$run/log.sock" ] && break
    sleep 0.1
done
/usr/sbin/exim4 -bdf -q30m &
exim=$!
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', 25)).close()" \
        2>/dev/null && break
    sleep 0.1
done
python3 -c "import socket; socket.create_connection(('127.0.0.1', 25)).close()"

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
tries 127.0.0.64 1 kvictim:Summer2024 >/dev/null
truth 127.0.0.64 benign-owner 0
# One attacker after the other: exim takes 20 connections at once (smtp_accept_max)
# and refuses the rest, and it answers a wrong password at once.
# A: a burst on root, AUTH PLAIN then AUTH LOGIN on each of five connections.
# shellcheck disable=SC2046 # the pairs, one word each
truth 127.0.0.60 burst-root "$(tries 127.0.0.60 2 $(wrong root 10))"
# B: passwords for ten accounts that do not exist, one per connection.
truth 127.0.0.61 invalid-user-passwords \
    "$(tries 127.0.0.61 1 $(for n in $(seq 1 10); do printf 'ghost%s:Winter%s ' $n $n; done))"
# C: eight wrong passwords for the victim, then the right one and a mail.
# shellcheck disable=SC2046
failed=$(tries 127.0.0.62 1 $(wrong kvictim 8))
tries 127.0.0.62 1 kvictim:Summer2024 >/dev/null
truth 127.0.0.62 guessed-login "$failed"
sleep 2
kill "$exim"
wait "$exim" || true
mta_stop_rsyslog
EOF
mta_inside
echo mailhub > "$root/etc/hostname"
echo "$out"
