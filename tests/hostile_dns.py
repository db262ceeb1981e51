#!/usr/bin/env python3
"""hostile_dns.py PORT: a DNS server on 127.0.0.1:PORT (UDP and TCP) whose
answers are what no real server sends, for the resolver's defences.

No authoritative server can be told to send these, so this one is written
by hand.  The first label of the question that is one of the words below picks the
behaviour; every other name gets NXDOMAIN.  It prints "ready" once it listens.

  tcshort      UDP: TC=1; TCP: a length prefix of 5 and 5 bytes
  tczero       UDP: TC=1; TCP: a length prefix of 0
  bigudp       UDP: a 4,000-byte valid answer (1,232 advertised)
  strings      UDP: TC=1; TCP: one TXT record of 2,000 one-byte strings
  strings32k   UDP: TC=1; TCP: one TXT record of 32,000 one-byte strings
  manyrrs      UDP: TC=1; TCP: 1,000 TXT records
  bigrdata     UDP: TC=1; TCP: one TXT record of 25,600 bytes in 100 strings
  badtxt       a TXT record whose strings overrun its data
  chaos        the answer's question has class CH
  othername    the answer's question is another name
  selfcname    NAME CNAME NAME
  cnameloop    NAME CNAME a.NAME, a.NAME CNAME b.NAME, b.NAME CNAME NAME
  longcname    a chain of 20 CNAMEs in the answer
  ptrloop      a compression pointer that points at itself
  garbage      the right ID and 300 random bytes
  silent       no answer at all
  drip         UDP: TC=1; TCP: the answer one byte every 200 ms
  endless      UDP: TC=1; TCP: a length prefix of 65,535 and then nothing
  ok           a TXT answer "v=spf1 -all" (the server works)
  updzone      a zone that answers SOA and TXT queries, and an UPDATE
               (RFC 2136) over TCP one byte every 200 ms
"""
import os
import random
import socket
import struct
import sys
import threading
import time


def name_wire(name):
    return b"".join(bytes([len(l)]) + l for l in name.split(b".") if l) + b"\0"


def parse_query(msg):
    qid, _flags, qd = struct.unpack(">HHH", msg[:6])
    pos, labels = 12, []
    while msg[pos]:
        n = msg[pos]
        labels.append(msg[pos + 1:pos + 1 + n])
        pos += n + 1
    qtype, qclass = struct.unpack(">HH", msg[pos + 1:pos + 5])
    return qid, b".".join(labels), qtype, qclass, msg[12:pos + 5]


def header(qid, an, rcode=0, tc=False, ns=0, ar=0):
    flags = 0x8400 | rcode | (0x0200 if tc else 0)
    return struct.pack(">HHHHHH", qid, flags, 1, an, ns, ar)


def rr(owner, rtype, rdata, ttl=300):
    return owner + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def txt(*strings):
    return b"".join(bytes([len(s)]) + s for s in strings)


PTR = b"\xc0\x0c"  # the question's name


KINDS = {b"tcshort", b"tczero", b"bigudp", b"strings", b"strings32k",
         b"manyrrs", b"bigrdata", b"badtxt", b"chaos", b"othername",
         b"selfcname", b"cnameloop", b"longcname", b"ptrloop", b"garbage",
         b"silent", b"drip", b"endless", b"ok", b"updzone"}


def kind(qname):
    """The first label of qname that names a behaviour (so that
    _dmarc.selfcname.test and s1._domainkey.selfcname.test behave alike)."""
    for label in qname.lower().split(b"."):
        if label in KINDS:
            return label
    return b""


def answer(msg, tcp):
    qid, qname, qtype, _qclass, question = parse_query(msg)
    what = kind(qname)
    if what == b"silent":
        return None
    if what in (b"tcshort", b"tczero", b"strings", b"strings32k", b"manyrrs", b"bigrdata",
                b"drip", b"endless") and not tcp:
        return header(qid, 0, tc=True) + question
    if what == b"bigudp":
        recs = [rr(PTR, 16, txt(b"v=spf1 -all" if i == 0 else b"x" * 200))
                for i in range(19)]
        return header(qid, len(recs)) + question + b"".join(recs)
    if what == b"strings":
        rd = txt(*[b"x"] * 2000)
        return header(qid, 1) + question + rr(PTR, 16, rd)
    if what == b"strings32k":
        rd = txt(*[b"x"] * 32000)
        return header(qid, 1) + question + rr(PTR, 16, rd)
    if what == b"manyrrs":
        recs = [rr(PTR, 16, txt(b"v=spf1 ip4:192.0.2.%d -all" % (i % 256)))
                for i in range(1000)]
        return header(qid, len(recs)) + question + b"".join(recs)
    if what == b"bigrdata":
        rd = txt(*[b"v=spf1 -all" + b"x" * 244] * 100)
        return header(qid, 1) + question + rr(PTR, 16, rd)
    if what == b"badtxt":
        return (header(qid, 1) + question +
                rr(PTR, 16, b"\x40v=spf1 -all"))
    if what == b"chaos":
        q = question[:-2] + b"\x00\x03"
        return header(qid, 1) + q + rr(PTR, 16, txt(b"v=spf1 -all"))
    if what == b"othername":
        q = name_wire(b"ok." + qname) + question[-4:]
        return header(qid, 1) + q + rr(PTR, 16, txt(b"v=spf1 -all"))
    if what == b"selfcname":
        return header(qid, 1) + question + rr(PTR, 5, PTR)
    if what == b"cnameloop":
        a, b = name_wire(b"a." + qname), name_wire(b"b." + qname)
        recs = [rr(PTR, 5, a), rr(a, 5, b), rr(b, 5, PTR)]
        return header(qid, 3) + question + b"".join(recs)
    if what == b"longcname":
        names = [PTR] + [b"\x03c%02d" % i + PTR for i in range(20)]
        recs = [rr(names[i], 5, names[i + 1]) for i in range(20)]
        return header(qid, 20) + question + b"".join(recs)
    if what == b"ptrloop":
        # the answer's owner is a pointer to its own offset
        here = 12 + len(question)
        owner = struct.pack(">H", 0xc000 | here)
        return header(qid, 1) + question + rr(owner, 16, txt(b"v=spf1"))
    if what == b"garbage":
        return struct.pack(">H", qid) + os.urandom(300)
    if what == b"updzone":
        if qtype == 6:
            soa = name_wire(b"ns." + qname) + name_wire(b"h." + qname) + \
                struct.pack(">IIIII", 1, 3600, 600, 86400, 300)
            return header(qid, 1) + question + rr(PTR, 6, soa)
        return header(qid, 0) + question
    if what in (b"drip", b"endless", b"ok"):
        return header(qid, 1) + question + rr(PTR, 16, txt(b"v=spf1 -all"))
    return header(qid, 0, rcode=3) + question


def serve_udp(sock):
    while True:
        msg, peer = sock.recvfrom(4096)
        try:
            out = answer(msg, False)
        except Exception:
            continue
        if out is not None:
            sock.sendto(out, peer)


def tcp_client(conn):
    try:
        conn.settimeout(30)
        n = struct.unpack(">H", conn.recv(2))[0]
        msg = b""
        while len(msg) < n:
            msg += conn.recv(n - len(msg))
        what = kind(parse_query(msg)[1])
        if what == b"updzone" and (msg[2] >> 3) & 0xf == 5:
            what = b"drip"	# the UPDATE itself
        out = answer(msg, True)
        if out is None:
            time.sleep(30)
        elif what == b"tcshort":
            conn.sendall(b"\x00\x05" + out[:5])
        elif what == b"tczero":
            conn.sendall(b"\x00\x00")
        elif what == b"endless":
            conn.sendall(b"\xff\xff" + out)
            time.sleep(30)
        elif what == b"drip":
            for byte in struct.pack(">H", len(out)) + out:
                conn.sendall(bytes([byte]))
                time.sleep(0.2)
        else:
            conn.sendall(struct.pack(">H", len(out)) + out)
        time.sleep(0.5)
    except OSError:
        pass
    finally:
        conn.close()


def serve_tcp(sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=tcp_client, args=(conn,), daemon=True).start()


def main():
    port = int(sys.argv[1])
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", port))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", port))
    t.listen(64)
    threading.Thread(target=serve_tcp, args=(t,), daemon=True).start()
    print("ready", flush=True)
    serve_udp(u)


if __name__ == "__main__":
    random.seed()
    main()
