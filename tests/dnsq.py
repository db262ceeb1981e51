#!/usr/bin/env python3
"""dnsq.py PORT NAME TYPE: asks 127.0.0.1:PORT (or $DNSQ_ADDR) for NAME and
TYPE (TXT or SOA) over UDP, then TCP when truncated, and prints one line a
record: a TXT record's strings joined, an SOA record's serial.  Exit 0 with
the records, 1 when there are none, 2 when the server did not answer.
"""
import os
import random
import socket
import struct
import sys

TYPES = {"TXT": 16, "SOA": 6}


def query(name, qtype):
    qid = random.randrange(65536)
    qname = b"".join(bytes([len(l)]) + l.encode()
                     for l in name.strip(".").split(".") if l) + b"\0"
    return qid, struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0) + qname + \
        struct.pack(">HH", qtype, 1)


def skip_name(msg, pos):
    while True:
        n = msg[pos]
        if n & 0xc0 == 0xc0:
            return pos + 2
        if n == 0:
            return pos + 1
        pos += n + 1


def records(msg, qtype):
    qd, an = struct.unpack(">HH", msg[4:8])
    pos = 12
    for _ in range(qd):
        pos = skip_name(msg, pos) + 4
    out = []
    for _ in range(an):
        pos = skip_name(msg, pos)
        rtype, _cls, _ttl, rdlen = struct.unpack(">HHIH", msg[pos:pos + 10])
        pos += 10
        rd = msg[pos:pos + rdlen]
        pos += rdlen
        if rtype != qtype:
            continue
        if qtype == 16:
            s, i = b"", 0
            while i < len(rd):
                s += rd[i + 1:i + 1 + rd[i]]
                i += rd[i] + 1
            out.append(s.decode("latin-1"))
        else:
            p = skip_name(rd, 0)
            p = skip_name(rd, p)
            out.append(str(struct.unpack(">I", rd[p:p + 4])[0]))
    return out


def main():
    port, name, tname = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    addr = (os.environ.get("DNSQ_ADDR", "127.0.0.1"), port)
    qid, msg = query(name, TYPES[tname])
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(1)
        s.sendto(msg, addr)
        ans = s.recv(65535)
        if ans[2] & 0x02:
            t = socket.create_connection(addr, timeout=2)
            t.sendall(struct.pack(">H", len(msg)) + msg)
            n = struct.unpack(">H", t.recv(2))[0]
            ans = b""
            while len(ans) < n:
                ans += t.recv(n - len(ans))
    except OSError:
        return 2
    if struct.unpack(">H", ans[:2])[0] != qid:
        return 2
    out = records(ans, TYPES[tname])
    for line in out:
        print(line)
    return 0 if out else 1


sys.exit(main())
