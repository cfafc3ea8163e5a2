#!/usr/bin/env python3
"""POP3, IMAP and SMTP AUTH clients for the live mail captures, on raw sockets.

    mail-clients.py PROTO PORT SOURCE TRIES USER:PASSWORD...

PROTO is imap, pop3 or smtp (AUTH PLAIN and AUTH LOGIN, alternately), each after
STARTTLS (STLS) where the server offers it, as mail clients do; imap-plain and
pop3-plain send the password without TLS, as a careless guesser does. One connection
from SOURCE (a 127.0.0.x address of its own) tries the USER:PASSWORD pairs in turn, at
most TRIES of them per connection (the rest on new connections, all of a burst's
connections at once: servers delay each wrong password by seconds, and an attacker does
not wait for them). Prints one line per try, `ok` or `no`, in the order given; exits 0.

Raw sockets rather than imaplib/poplib/smtplib: the tries and their order on one
connection are exactly those given, and nothing is sent that the truth does not record.
"""
import base64
import socket
import ssl
import sys
import threading

# The servers' certificates are Debian's snakeoil ones: encryption, not identity.
TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


def lines(sock):
    buf = b""
    while True:
        while b"\r\n" not in buf:
            data = sock.recv(4096)
            if not data:
                return
            buf += data
        line, buf = buf.split(b"\r\n", 1)
        yield line.decode("utf-8", "replace")


def starttls(sock, command, ok):
    """Sends COMMAND; on a reply starting OK, the connection's TLS socket and reader."""
    sock.sendall(command)
    reader = lines(sock)
    if not next(reader).startswith(ok):
        raise RuntimeError(f"{command!r} refused")
    tls = TLS.wrap_socket(sock)
    return tls, lines(tls)


def imap(sock, reader, pairs, tls=True):
    next(reader)  # * OK ... ready.
    if tls:
        sock, reader = starttls(sock, b"s STARTTLS\r\n", "s OK")
    results = []
    for n, (user, password) in enumerate(pairs):
        tag = f"a{n}"
        sock.sendall(f'{tag} LOGIN "{user}" "{password}"\r\n'.encode())
        for line in reader:
            if line.startswith(tag + " "):
                results.append(line.split()[1] == "OK")
                break
        if results[-1]:
            break
    sock.sendall(b"z LOGOUT\r\n")
    return results


def pop3(sock, reader, pairs, tls=True):
    next(reader)  # +OK Dovecot ready.
    if tls:
        sock, reader = starttls(sock, b"STLS\r\n", "+OK")
    results = []
    for user, password in pairs:
        sock.sendall(f"USER {user}\r\n".encode())
        next(reader)
        sock.sendall(f"PASS {password}\r\n".encode())
        results.append(next(reader).startswith("+OK"))
        if results[-1]:
            break
    sock.sendall(b"QUIT\r\n")
    return results


def smtp_reply(reader):
    """The last line of a (multi-line) reply."""
    for line in reader:
        if len(line) < 4 or line[3] != "-":
            return line
    return ""


def smtp(sock, reader, pairs):
    smtp_reply(reader)  # 220
    sock.sendall(b"EHLO client.example\r\n")
    offered = []
    for line in reader:
        offered.append(line[4:])
        if len(line) < 4 or line[3] != "-":
            break
    if "STARTTLS" in offered:
        sock, reader = starttls(sock, b"STARTTLS\r\n", "220")
        sock.sendall(b"EHLO client.example\r\n")
        smtp_reply(reader)
    results = []
    for n, (user, password) in enumerate(pairs):
        if n % 2 == 0:
            token = base64.b64encode(f"\0{user}\0{password}".encode()).decode()
            sock.sendall(f"AUTH PLAIN {token}\r\n".encode())
        else:
            sock.sendall(b"AUTH LOGIN\r\n")
            smtp_reply(reader)  # 334 VXNlcm5hbWU6
            sock.sendall(base64.b64encode(user.encode()) + b"\r\n")
            smtp_reply(reader)  # 334 UGFzc3dvcmQ6
            sock.sendall(base64.b64encode(password.encode()) + b"\r\n")
        results.append(smtp_reply(reader).startswith("235"))
        if results[-1]:
            # A mail, as a client logs in to send one (postfix writes the login, with
            # sasl_username, only once a mail is queued).
            for command in (f"MAIL FROM:<{user}@mailhub.example.invalid>", f"RCPT TO:<{user}@mailhub.example.invalid>", "DATA"):
                sock.sendall(command.encode() + b"\r\n")
                smtp_reply(reader)
            sock.sendall(b"Subject: hello\r\n\r\nA benign mail.\r\n.\r\n")
            smtp_reply(reader)
            break
    sock.sendall(b"QUIT\r\n")
    smtp_reply(reader)
    return results


def connection(proto, port, source, pairs, out, at):
    sock = socket.create_connection(("127.0.0.1", port), timeout=60, source_address=(source, 0))
    try:
        talk = {
            "imap": imap,
            "pop3": pop3,
            "smtp": smtp,
            "imap-plain": lambda s, r, p: imap(s, r, p, tls=False),
            "pop3-plain": lambda s, r, p: pop3(s, r, p, tls=False),
        }[proto]
        out[at] = talk(sock, lines(sock), pairs)
    finally:
        sock.close()


def main():
    proto, port, source, per = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    pairs = [tuple(arg.split(":", 1)) for arg in sys.argv[5:]]
    chunks = [pairs[i : i + per] for i in range(0, len(pairs), per)]
    out = [None] * len(chunks)
    threads = [
        threading.Thread(target=connection, args=(proto, port, source, chunk, out, n))
        for n, chunk in enumerate(chunks)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for results in out:
        for ok in results or []:
            print("ok" if ok else "no")


main()
