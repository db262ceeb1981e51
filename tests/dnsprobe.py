#!/usr/bin/env python3
"""dnsprobe.py PORT ZONE...: exit 0 when the server on 127.0.0.1:PORT
(or the address in $DNSPROBE_ADDR) answers SOA for every zone with NOERROR
and the AA bit, within 200 ms each.  With $DNSPROBE_ANY set, any answer
will do (a recursive server, asked about a name it answers itself).
"""
import os
import random
import socket
import struct
import sys


def probe(port, zone):
    qid = random.randrange(65536)
    qname = b"".join(bytes([len(l)]) + l.encode()
                     for l in zone.strip(".").split(".") if l) + b"\0"
    msg = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + qname + b"\0\x06\0\x01"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.2)
    try:
        s.sendto(msg, (os.environ.get("DNSPROBE_ADDR", "127.0.0.1"), port))
        data = s.recv(4096)
    except OSError:
        return False
    finally:
        s.close()
    rid, flags, _, ancount = struct.unpack(">HHHH", data[:8])
    if os.environ.get("DNSPROBE_ANY"):
        return rid == qid and flags & 0x8000
    return rid == qid and flags & 0x0400 and flags & 0x000f == 0 and ancount


sys.exit(0 if all(probe(int(sys.argv[1]), z) for z in sys.argv[2:]) else 1)
