# What the mail servers' captures (sendmail-attack.sh, postfix-attack.sh,
# exim-attack.sh) make first inside their namespaces (mount, UTS, network, PID), sourced
# by their inside.sh with run and root set: the host name the logs show, the namespace's
# own loopback, /etc, /usr and /var as overlays of the machine's (so the unpacked .deb in
# $run/pkg is installed into them and nothing of the machine changes), a private /run,
# ROOT/var/log as /var/log, and a /dev of its own whose /dev/log is rsyslog's socket
# $run/log.sock.
hostname mailhub.example.invalid
ip link set lo up
for dir in etc usr var; do
    mkdir -p "$run/upper-$dir" "$run/work-$dir"
    mount -t overlay overlay \
        -o "lowerdir=/$dir,upperdir=$run/upper-$dir,workdir=$run/work-$dir" "/$dir"
done
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /var/log
mount --bind "$root/var/log" /var/log
cp -a "$run/pkg/etc/." /etc/
cp -a "$run/pkg/usr/." /usr/
# A private /dev with the devices the servers open.
mkdir -p "$run/dev"
mount --bind /dev "$run/dev"
mount -t tmpfs -o mode=755 tmpfs /dev
for n in null zero full random urandom tty; do
    touch "/dev/$n"
    mount --bind "$run/dev/$n" "/dev/$n"
done
ln -s "$run/log.sock" /dev/log

mta_stop_rsyslog() { # stops rsyslogd and waits for it (it writes its buffers first)
    pid=$(cat "$run/rsyslog.pid")
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
}
