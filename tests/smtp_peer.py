#!/usr/bin/env python3
"""smtp_peer.py ADDR PORT MODE [CERT KEY]: an SMTP server that misbehaves
on purpose, for what no real server does (tests/e2e/mx-tls.sh).

MODE is one of
  drip      the banner one byte every 300 ms
  big       a banner line of 1 MB
  many      a reply of 1,000 lines to EHLO
  stall     accepts and says nothing
  garbage   "220 ready" to STARTTLS, then bytes in clear before TLS
  badreply  a greeting that is no SMTP reply
  tls10     a proper server whose TLS is 1.0 only (CERT and KEY)
  tlsclose  "220 ready" to STARTTLS, then the connection closed
Prints "ready" once it listens; serves each connection in a thread.
"""
import socket
import ssl
import sys
import threading
import time

addr, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def lines(f):
    while True:
        line = f.readline()
        if not line:
            return
        yield line.strip().upper()


def serve(c):
    try:
        if mode == "stall":
            time.sleep(60)
            return
        if mode == "drip":
            for b in b"220 slow.example ESMTP\r\n":
                c.sendall(bytes([b]))
                time.sleep(0.3)
            return
        if mode == "big":
            c.sendall(b"220 " + b"x" * (1 << 20) + b"\r\n")
            return
        if mode == "badreply":
            c.sendall(b"hello there\r\n")
            time.sleep(2)
            return
        c.sendall(b"220 peer.example ESMTP\r\n")
        f = c.makefile("rb")
        for cmd in lines(f):
            if cmd.startswith(b"EHLO"):
                if mode == "many":
                    c.sendall(b"".join(b"250-line %d\r\n" % i for i in range(1000)))
                c.sendall(b"250-peer.example\r\n250 STARTTLS\r\n")
            elif cmd == b"STARTTLS" and mode == "tlsclose":
                c.sendall(b"220 ready\r\n")
                return
            elif cmd == b"STARTTLS" and mode == "garbage":
                c.sendall(b"220 ready\r\n250 injected\r\n")
                time.sleep(2)
                return
            elif cmd == b"STARTTLS":
                c.sendall(b"220 ready\r\n")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1
                ctx.load_cert_chain(sys.argv[4], sys.argv[5])
                t = ctx.wrap_socket(c, server_side=True)
                t.recv(100)
                return
            elif cmd == b"QUIT":
                c.sendall(b"221 bye\r\n")
                return
            else:
                c.sendall(b"502 no\r\n")
    except (OSError, ssl.SSLError):
        pass
    finally:
        c.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(64)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
