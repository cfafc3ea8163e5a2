# What the mail servers' captures (sendmail-attack.sh, postfix-attack.sh,
# exim-attack.sh) share outside their namespaces; sourced with debs, run, root, here and
# out set. Inside, their inside.sh sources mta-namespace.sh.

mta_unpack() { # PACKAGE...: each one's .deb from $debs unpacked into $run/pkg, its
    # name and version noted in $run/versions
    mkdir -p "$run/pkg"
    for package; do
        deb=$(ls "$debs/${package}"_*.deb | head -n 1)
        dpkg-deb -x "$deb" "$run/pkg"
        dpkg-deb -f "$deb" Package Version | tr '\n' ' ' >> "$run/versions"
        echo >> "$run/versions"
    done
}

mta_inside() { # runs $run/inside.sh as the init of mount, UTS, network and PID
    # namespaces of its own (every process it started ends with it, even when it fails),
    # its output shown if it fails; then keeps the versions with the capture
    unshare --mount --uts --net --pid --fork --propagation private \
        sh "$run/inside.sh" "$run" "$root" "$here" "$out" > "$run/inside.log" 2>&1 || {
        cat "$run/inside.log" >&2
        exit 1
    }
    cp "$run/versions" "$out/versions.txt"
}
