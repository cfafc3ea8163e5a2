#!/usr/bin/env python3
"""The two ends of a telnet login, for login-attack.sh.

    telnet.py serve PORT TELNETD [ARGS...]   accept on 127.0.0.1:PORT, run TELNETD per
                                             connection on the socket, as inetd does
    telnet.py login PORT SOURCE USER PASSWORD [USER PASSWORD ...]
                                             connect from SOURCE and answer login(1)'s
                                             prompts with each pair in turn; prints what
                                             happened to each try (failed, ok, closed)

The client refuses every telnet option the server offers (a dumb terminal), which is
all login(1) needs.
"""

import os
import socket
import subprocess
import sys
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240


def serve(port, command):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(16)
    while True:
        conn, _ = listener.accept()
        fd = conn.fileno()
        subprocess.Popen(command, stdin=fd, stdout=fd, stderr=fd, close_fds=True)
        conn.close()
        # Reap what has ended.
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass


class Client:
    def __init__(self, port, source):
        self.sock = socket.socket()
        self.sock.bind((source, 0))
        self.sock.connect(("127.0.0.1", port))
        self.sock.settimeout(20)
        self.text = b""

    def read_until(self, *wanted, timeout=20):
        """Reads until one of `wanted` (bytes) ends the text so far; returns it or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for want in wanted:
                if want in self.text:
                    before, _, self.text = self.text.partition(want)
                    return want
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return None
            if not data:
                return None
            self.text += self.negotiate(data)
        return None

    def negotiate(self, data):
        """Answers the server's options with refusals and returns the plain text."""
        out = bytearray()
        i = 0
        while i < len(data):
            byte = data[i]
            if byte == IAC and i + 1 < len(data):
                verb = data[i + 1]
                if verb in (DO, DONT, WILL, WONT) and i + 2 < len(data):
                    option = data[i + 2]
                    answer = WONT if verb in (DO, DONT) else DONT
                    self.sock.sendall(bytes([IAC, answer, option]))
                    i += 3
                    continue
                if verb == SB:
                    end = data.find(bytes([IAC, SE]), i)
                    i = len(data) if end < 0 else end + 2
                    continue
                i += 2
                continue
            out.append(byte)
            i += 1
        return bytes(out)

    def send(self, line):
        self.sock.sendall(line.encode() + b"\r\n")


def login(port, source, pairs):
    client = Client(port, source)
    results = []
    for user, password in pairs:
        if client.read_until(b"login: ") is None:
            results.append("closed")
            break
        client.send(user)
        if client.read_until(b"Password: ", b"Password:") is None:
            results.append("closed")
            break
        client.send(password)
        said = client.read_until(b"Login incorrect", b"$ ", b"# ", b"Last login", timeout=30)
        if said == b"Login incorrect":
            results.append("failed")
            continue
        if said is None:
            results.append("closed")
            break
        results.append("ok")
        time.sleep(0.5)
        client.send("exit")
        time.sleep(0.5)
        break
    client.sock.close()
    print(" ".join(results))


def main():
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]), sys.argv[3:])
    elif sys.argv[1] == "login":
        rest = sys.argv[5:]
        pairs = [(sys.argv[4], rest[0])]
        pairs += [(rest[i], rest[i + 1]) for i in range(1, len(rest) - 1, 2)]
        login(int(sys.argv[2]), sys.argv[3], pairs)


if __name__ == "__main__":
    main()
