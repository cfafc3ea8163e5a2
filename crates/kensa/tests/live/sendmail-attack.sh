#!/bin/sh
# Attacks a real sendmail (Debian's sendmail-bin, with the sendmail.cf that Debian's own
# sendmail.mc gives) on loopback with the addresses of JPCERT-E-INF-97-0001 and leaves
# the logs that rsyslog wrote, laid out as an audited root.
#
#   sendmail-attack.sh OUT_DIR DEBS_DIR
#
# DEBS_DIR holds sendmail-bin, sendmail-base, sendmail-cf and sensible-mda .deb files
# (`apt-get download sendmail-bin sendmail-base sendmail-cf sensible-mda`).
#
# OUT_DIR/root/var/log/{mail.log,syslog}   written by a real rsyslogd
# OUT_DIR/truth.tsv                        source, attack name, what the client sent
#                                          and sendmail's SMTP reply codes
# OUT_DIR/transcript.txt                   every command and reply, per client
#
# Nothing of the machine is changed. Everything runs in private mount, UTS, network
# and PID namespaces: /etc, /usr and /var are overlays (the machine's files below, the
# changes in OUT_DIR/run) into which the four packages are unpacked as dpkg would put
# them; the host is named mailhub.example.invalid (sendmail wants a qualified name); the
# network is a loopback of its own (so sendmail listens on port 25 as Debian configures
# it, and its bounces find no route out); when the script ends, so does every process
# it started. sendmail.cf is made with m4 from Debian's own
# /usr/share/sendmail/cf/debian/sendmail.mc, unchanged, with Debian's
# service.switch-nodns (no DNS: the names are in /etc/hosts). sendmail runs as Debian's
# init script runs it (`sendmail-mta -Am -L sm-mta -bd -q10m`, as root; `-bD`, the same
# daemon in the foreground, so the script knows its pid) and logs to /dev/log, which is
# rsyslog's socket in OUT_DIR. Each client uses its own loopback address. Needs root,
# m4, python3, rsyslogd, dpkg-deb, ip (iproute2), unshare; the libraries sendmail-bin
# depends on (liblockfile1 for mail.local). Takes about half a minute (Debian's
# greet_pause makes each connection wait a second).
set -eu

out=$1
debs=$2
mkdir -p "$out/root/var/log" "$out/run"
out=$(cd "$out" && pwd)
debs=$(cd "$debs" && pwd)
run=$out/run
root=$out/root
here=$(cd "$(dirname "$0")" && pwd)
. "$here/mta-common.sh"

mta_unpack sendmail-bin sendmail-base sendmail-cf sensible-mda

# rsyslog as Debian 12 configures it for mail (traditional file format).
cat > "$run/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$run/log.sock" CreatePath="on")
\$ActionFileDefaultTemplate RSYSLOG_TraditionalFileFormat
\$WorkDirectory $run
*.*;auth,authpriv.none          -$root/var/log/syslog
mail.*                          -$root/var/log/mail.log
EOF

# What happens inside the namespace: the overlays, the packages, the configuration as
# sendmailconfig would make it, rsyslogd, sendmail.
cat > "$run/inside.sh" <<'EOF'
set -eu
run=$1 root=$2 here=$3 out=$4
. "$here/mta-namespace.sh"

# What sendmail-base's and sendmail-bin's maintainer scripts set up.
grep -q '^smmta:' /etc/group || echo 'smmta:x:4201:' >> /etc/group
grep -q '^smmsp:' /etc/group || echo 'smmsp:x:4202:' >> /etc/group
grep -q '^smmta:' /etc/passwd ||
    echo 'smmta:x:4201:4201:Mail Transfer Agent,,,:/var/lib/sendmail:/usr/sbin/nologin' >> /etc/passwd
grep -q '^smmsp:' /etc/passwd ||
    echo 'smmsp:x:4202:4202:Mail Submission Program,,,:/var/lib/sendmail:/usr/sbin/nologin' >> /etc/passwd
grep -q '^tanaka:' /etc/passwd ||
    echo 'tanaka:x:4203:4203:Tanaka,,,:/nonexistent:/usr/sbin/nologin' >> /etc/passwd
echo 'tanaka:x:4203:' >> /etc/group
# The names the clients use, as DNS would give them (sendmail refuses a sender whose
# domain does not resolve: one attacker's does not).
printf '127.0.0.1 mailhub.example.invalid mailhub\n192.0.2.25 example.org evil.example client.example.net\n' \
    >> /etc/hosts
for alt in sendmail sendmail-mta newaliases mailq; do
    ln -sf /usr/libexec/sendmail/sendmail "/usr/sbin/$alt"
done
ln -sf /usr/libexec/sendmail/makemap /usr/sbin/makemap
# sensible-mda delivers with the first MDA it finds in smrsh's directory; sendmail-bin's
# postinst links mail.local there.
mkdir -p /etc/mail/smrsh
ln -sf /usr/libexec/sendmail/mail.local /etc/mail/smrsh/mail.local
mkdir -p /var/spool/mqueue /var/spool/mqueue-client /var/lib/sendmail/host_status \
    /run/sendmail/mta /var/mail /etc/mail/m4
chown root:smmsp /var/spool/mqueue-client && chmod 2770 /var/spool/mqueue-client
chmod 2750 /var/spool/mqueue
chown root:mail /var/mail && chmod 2775 /var/mail
: > /etc/mail/m4/dialup.m4
: > /etc/mail/m4/provider.m4
cp /usr/share/sendmail/cf/debian/sendmail.mc /etc/mail/sendmail.mc
m4 /etc/mail/sendmail.mc > /etc/mail/sendmail.cf
cp /etc/mail/service.switch-nodns /etc/mail/service.switch
echo 'localhost' > /etc/mail/local-host-names
echo 'mailhub.example.invalid' >> /etc/mail/local-host-names
: > /etc/mail/relay-domains
# Debian's default access file: only localhost may relay.
printf 'Connect:localhost.localdomain\tRELAY\nConnect:localhost\tRELAY\nConnect:127.0.0.1\tRELAY\n' \
    > /etc/mail/access
# Not the whole of 127/8: the attackers are other loopback addresses, as if remote.
makemap hash /etc/mail/access < /etc/mail/access
printf 'postmaster: root\nMAILER-DAEMON: postmaster\nabuse: postmaster\n' > /etc/mail/aliases
newaliases >/dev/null 2>&1 || true
touch /etc/mail/trusted-users
rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslog.pid"
for _ in $(seq 50); do
    [ -S "$run/log.sock" ] && break
    sleep 0.1
done
/usr/sbin/sendmail-mta -Am -L sm-mta -bD -q10m &
sendmail=$!
# The pid file is written once the daemon's sockets are open (a test connection would
# leave a line of its own).
for _ in $(seq 100); do
    [ -s /run/sendmail/mta/sendmail.pid ] && break
    sleep 0.1
done
python3 "$here/sendmail-clients.py" 25 "$out/truth.tsv" "$out/transcript.txt"
# Let the background deliveries and bounces finish, then stop (rsyslogd writes its
# buffers first).
sleep 3
kill "$sendmail"
wait "$sendmail" || true
mta_stop_rsyslog
EOF
mta_inside
echo "$out"
