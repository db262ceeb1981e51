#!/usr/bin/python3
"""dkim_peer.py: dkimpy (python3-dkim, Debian) as the independent DKIM
peer of the tests: its keys looked up in a zone file, not in DNS.

  dkim_peer.py verify ZONE MESSAGE       prints pass or fail, per signature
  dkim_peer.py sign KEY DOMAIN SELECTOR MESSAGE [relaxed|simple]
                                         the message signed, on stdout
  dkim_peer.py arc-sign KEY DOMAIN SELECTOR SRV_ID MESSAGE
                                         an ARC set added, on stdout
  dkim_peer.py arc-verify ZONE MESSAGE   dkimpy's chain result (cv)
"""
import sys

import dkim


def zone_txt(path):
    """TXT records of a zone file as dkimpy asks them: name -> bytes"""
    recs, origin = {}, ""
    for line in open(path):
        inq, cut = False, len(line)
        for k, ch in enumerate(line):   # a comment starts outside quotes
            if ch == '"':
                inq = not inq
            elif ch == ";" and not inq:
                cut = k
                break
        line = line[:cut].rstrip()
        if line.startswith("$ORIGIN"):
            origin = line.split()[1]
            continue
        parts = line.split(None, 1)
        if len(parts) < 2 or " TXT " not in " " + parts[1] + " ":
            continue
        name = parts[0]
        if not name.endswith("."):
            name = name + "." + origin
        rest = parts[1].split("TXT", 1)[1]
        strings, cur, inq = [], "", False
        for ch in rest:
            if ch == '"':
                if inq:
                    strings.append(cur)
                    cur = ""
                inq = not inq
            elif inq:
                cur += ch
        recs[name.lower().rstrip(".")] = "".join(strings).encode()
    return recs


def main():
    if sys.argv[1] == "arc-sign":
        key, domain, sel, srv, path = sys.argv[2:7]
        msg = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        sig = dkim.arc_sign(msg, sel.encode(), domain.encode(), open(key, "rb").read(),
                            srv.encode())
        sys.stdout.buffer.write(b"".join(sig) + msg)
        return
    if sys.argv[1] == "arc-verify":
        recs = zone_txt(sys.argv[2])
        msg = open(sys.argv[3], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        cv, _, why = dkim.arc_verify(msg, dnsfunc=lambda n, timeout=5:
                                     recs.get(n.decode().lower().rstrip(".")))
        print(cv.decode(), why)
        return
    if sys.argv[1] == "verify":
        recs = zone_txt(sys.argv[2])
        msg = open(sys.argv[3], "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

        def dnsfunc(name, timeout=5):
            return recs.get(name.decode().lower().rstrip("."))
        d = dkim.DKIM(msg)
        n = len([l for l in msg.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
                 if l.lower().startswith(b"dkim-signature:")])
        for i in range(n):
            try:
                ok = d.verify(idx=i, dnsfunc=dnsfunc)
            except dkim.DKIMException:
                ok = False
            print("pass" if ok else "fail")
    else:
        key, domain, sel, path = sys.argv[2:6]
        canon = sys.argv[6].encode() if len(sys.argv) > 6 else b"relaxed"
        msg = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        data = open(key, "rb").read()
        # a PEM key is RSA; Ed25519 keys are given as dkimpy takes them,
        # the base64 of the raw 32 bytes
        alg = b"rsa-sha256" if data.startswith(b"-----") else b"ed25519-sha256"
        sig = dkim.sign(msg, sel.encode(), domain.encode(), data,
                        canonicalize=(canon, canon), signature_algorithm=alg,
                        include_headers=[b"from", b"to", b"subject", b"date"])
        sys.stdout.buffer.write(sig + msg)


main()
