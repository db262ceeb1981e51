#!/usr/bin/env python3
"""spf-eval against pyspf on random SPF worlds.

Each seed makes a small world of SPF records under its own name: every
mechanism and modifier, dual CIDR lengths, macros with transformers and
delimiters, explanations, includes a few deep, CNAMEs, PTR records, the
lookup and void limits, syntax errors, IPv4 and IPv6 clients, the HELO
identity.  NSD serves all the worlds at once; spf-eval and pyspf (Debian
python3-spf, its DNS pointed at that NSD) evaluate each world's query,
and the results are compared.

pyspf departs from RFC 7208 in ways listed in KNOWN below, each with its
section.  A disagreement in a world that holds one of those features is
counted as that deviation; any other fails the run, and the world is
reduced (records and terms taken away while the two still disagree) and
printed as a zone that replays it.

Usage: differential.py [--seeds N] [--first S] [-v]
Not part of make check: it needs pyspf (make conformance runs it).
"""
import argparse
import ipaddress
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spfzone import Nsd  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("BIN", os.path.join(HERE, "../../bin"))
ZONE = "d.test"

# pyspf 2.0.14's departures from RFC 7208, by the world feature that
# brings each out
KNOWN = {
    "mx-void": "counts every MX host without addresses as a void lookup "
               "(RFC 7208 4.6.4 counts the term's one query)",
    "ptr-void": "counts every unconfirmed PTR name without addresses as a "
                "void lookup (RFC 7208 4.6.4, 5.5)",
    "p-macro": "counts %{p} lookups of terms it never reaches (RFC 7208 "
               "4.6.4, 7.3)",
    "cname-missing": "counts a CNAME to a missing name twice (RFC 7208 "
                     "4.6.4)",
    "redirect-unused": "counts a redirect= that an all makes unused toward "
                       "the 10 lookups (RFC 7208 6.1)",
    "self-include": "refuses a self-include before evaluating the terms "
                    "before it (RFC 7208 5.2)",
    "modifier-case": "ignores modifier names not in lower case (RFC 7208 "
                     "12, names are case-insensitive)",
    "long-name": "shortens a long expanded name by one label instead of "
                 "until it fits (RFC 7208 7.3)",
    "rejoin": "rejoins split parts with the original delimiter instead of "
              "'.' (RFC 7208 7.3)",
    "empty-local": "expands %{s} of an empty local part without "
                   "postmaster (RFC 7208 4.3)",
    "exp-percent": "refuses an explanation ending in %% (RFC 7208 7.1)",
}


# The disagreement each deviation can cause: a limit pyspf reaches and
# spf-eval does not (a permerror of pyspf's), or any
def _pyspf_limit(a, b):
    return b == "permerror" and a != "permerror"


BLAME = {
    "mx-void": _pyspf_limit, "ptr-void": _pyspf_limit,
    "p-macro": _pyspf_limit, "cname-missing": _pyspf_limit,
    "redirect-unused": _pyspf_limit, "self-include": _pyspf_limit,
}


class World:
    """Records of one seed: {owner: [(type, rdata)]}, the query, and the
    features it holds."""

    def __init__(self, seed):
        self.seed = seed
        self.base = f"s{seed}.{ZONE}"
        self.records = {}
        self.features = set()
        r = random.Random(seed)
        self.r = r
        self.v6 = r.random() < 0.3
        if self.v6:
            self.ip = f"2001:db8:{seed % 65536:x}:{seed // 65536:x}::5"
        else:
            self.ip = f"10.{seed // 65536 % 256}.{seed // 256 % 256}.{seed % 256}"
        local = r.choice(["postmaster", "user", "First.Last", "a-b+c", ""])
        if local == "":
            self.features.add("empty-local")
        dom = self.base if r.random() < 0.8 else self.base.upper()
        if r.random() < 0.15:
            self.sender = ""            # the HELO identity
        else:
            self.sender = f"{local}@{dom}"
        self.helo = f"mail.{self.base}"
        self.add(self.helo, "A" if not self.v6 else "AAAA",
                 self.ip if r.random() < 0.5 else self.other_ip())
        self.nsub = 0
        top = self.sender_domain()
        if r.random() < 0.05:
            self.add(top, "TXT", "not an SPF record")    # none
        else:
            self.add(top, "TXT", self.record(top, depth=0))
        if r.random() < 0.4:
            self.ptr()

    def sender_domain(self):
        return (self.sender.rsplit("@", 1)[1] if self.sender else
                self.helo).lower()

    def add(self, owner, rtype, rdata):
        self.records.setdefault(owner.lower(), []).append((rtype, rdata))

    def other_ip(self):
        r = self.r
        if self.v6:
            return f"2001:db8:ffff:{r.randrange(65536):x}::{r.randrange(1, 99):x}"
        return f"10.250.{r.randrange(256)}.{r.randrange(1, 255)}"

    def net(self, match):
        """A network in the client's family holding the client or not."""
        r = self.r
        if self.v6:
            bits = r.choice([128, 64, 48, 32])
            ip = self.ip if match else self.other_ip()
            return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))
        bits = r.choice([32, 24, 16, 8])
        ip = self.ip if match else self.other_ip()
        return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))

    def name(self, kind):
        self.nsub += 1
        return f"{kind}{self.nsub}.{self.base}"

    def host(self, match, exists=True):
        """A host name with (or without) an address matching the client."""
        h = self.name("h")
        if exists:
            self.add(h, "AAAA" if self.v6 else "A",
                     self.ip if match else self.other_ip())
        return h

    def macro(self):
        r = self.r
        letter = r.choice("slodivh" + ("p" if r.random() < 0.1 else ""))
        if letter == "p":
            self.features.add("p-macro")
        digits = r.choice(["", "", "1", "2", "3", "129"])
        rev = r.choice(["", "", "r"])
        delim = r.choice(["", "", "", "-", ".-", "+"])
        if delim:
            self.features.add("rejoin")
        upper = r.random() < 0.1
        return "%{" + (letter.upper() if upper else letter) + digits + \
            rev + delim + "}"

    def term(self, depth):
        r = self.r
        q = r.choice(["", "", "", "+", "-", "~", "?"])
        k = r.choices(["ip", "a", "mx", "ptr", "exists", "include", "bad",
                       "unserved"],
                      weights=[30, 20, 8, 5, 12, 20, 3, 2])[0]
        if k == "ip":
            return q + ("ip6:" if self.v6 else "ip4:") + \
                self.net(r.random() < 0.3)
        if k == "a":
            if r.random() < 0.3:
                return q + "a"
            h = self.host(r.random() < 0.3, exists=r.random() < 0.8)
            cidr = ""
            if r.random() < 0.3:
                cidr = "/" + str(r.choice([8, 16, 24, 32])) + \
                    ("//" + str(r.choice([32, 48, 64])) if r.random() < 0.5
                     else "")
            if r.random() < 0.1:
                self.features.add("cname-missing")
                c = self.name("c")
                self.add(c, "CNAME", self.name("gone") + ".")
                h = c
            return q + "a:" + h + cidr
        if k == "mx":
            m = self.name("m")
            for i in range(r.randrange(0, 3)):
                hh = self.host(r.random() < 0.3, exists=r.random() < 0.7)
                self.add(m, "MX", f"{10 * (i + 1)} {hh}.")
            self.features.add("mx-void")
            return q + "mx:" + m
        if k == "ptr":
            self.features.add("ptr-void")
            return q + "ptr" + (":" + self.base if r.random() < 0.5 else "")
        if k == "exists":
            under = self.name("x")
            target = self.macro() + "." + under
            if r.random() < 0.5:        # every expansion exists
                self.add("*." + under, "A", "127.0.0.2")
            if r.random() < 0.05:
                self.features.add("long-name")
                target = self.macro() + "." + "x" * 60 + "." + "y" * 60 + \
                    "." + "z" * 60 + "." + target
            return q + "exists:" + target
        if k == "include" and depth < 3:
            if r.random() < 0.05:
                self.features.add("self-include")
                return q + "include:" + self.sender_domain()
            inc = self.name("i")
            if r.random() < 0.85:
                self.add(inc, "TXT", self.record(inc, depth + 1))
            return q + "include:" + inc
        if k == "unserved":     # a zone no server answers: temperror
            return q + "include:x.unserved.example"
        return r.choice(["ip4:300.1.1.1", "a:-bad-", "foo", "ip6:::1/200",
                         "mx//200", "exists:%{z}.x"])

    def record(self, owner, depth):
        r = self.r
        terms = [self.term(depth) for _ in range(r.randrange(1, 5))]
        if r.random() < 0.08:    # over the lookup limit
            terms += ["a:" + self.host(False) for _ in range(11)]
        if r.random() < 0.08:    # over the void limit
            terms += ["a:" + self.name("nx") for _ in range(3)]
        if r.random() < 0.7:
            terms.append(r.choice(["-all", "~all", "?all", "all"]))
        if r.random() < 0.2 and depth < 3:
            red = self.name("r")
            self.add(red, "TXT", self.record(red, depth + 1))
            if any(t.endswith("all") for t in terms):
                self.features.add("redirect-unused")
            mod = r.choice(["redirect", "redirect", "Redirect"])
            if mod != "redirect":
                self.features.add("modifier-case")
            terms.append(f"{mod}={red}")
        if r.random() < 0.25 and depth == 0:
            why = self.name("why")
            text = r.choice(["%{i} is not allowed",
                             "%{d} %{o} %{s} %{l}",
                             "see %{h} %{v}", "100%% sure", "at %{ir}.%{d2}",
                             "no%%"])
            if text.endswith("%%"):
                self.features.add("exp-percent")
            self.add(why, "TXT", text)
            mod = r.choice(["exp", "exp", "Exp"])
            if mod != "exp":
                self.features.add("modifier-case")
            terms.append(f"{mod}={why}")
        return "v=spf1 " + " ".join(terms)

    def ptr(self):
        ip = ipaddress.ip_address(self.ip)
        rev = ip.reverse_pointer
        for _ in range(self.r.randrange(1, 3)):
            h = self.host(self.r.random() < 0.5,
                          exists=self.r.random() < 0.8)
            self.add(rev, "PTR", h + ".")

    def without(self, owner, k):
        """A copy with record k of owner removed (for reduction)."""
        w = object.__new__(World)
        w.__dict__.update(self.__dict__)
        w.records = {o: list(v) for o, v in self.records.items()}
        del w.records[owner][k]
        if not w.records[owner]:
            del w.records[owner]
        return w

    def without_term(self, owner, k, t):
        w = self.without(owner, k)
        rtype, rdata = self.records[owner][k]
        terms = rdata.split()
        del terms[t]
        w.records.setdefault(owner, []).insert(k, (rtype, " ".join(terms)))
        return w

    def zone_lines(self):
        out = []
        for owner, rrs in sorted(self.records.items()):
            for rtype, rdata in rrs:
                if rtype == "TXT":
                    parts = [rdata[i:i + 250] for i in range(0, len(rdata), 250)] or [""]
                    rdata = " ".join('"' + p.replace("\\", "\\\\")
                                     .replace('"', '\\"') + '"' for p in parts)
                out.append(f"{owner}. 300 IN {rtype} {rdata}")
        return out


def zones_for(worlds):
    """{origin: text}: the worlds' zone and the reverse zones."""
    texts = {}
    soa = "@ 300 IN SOA ns.{0}. h.{0}. 1 3600 600 86400 300\n@ 300 IN NS ns.{0}.\n"
    for origin in (ZONE, "in-addr.arpa", "ip6.arpa"):
        texts[origin] = f"$ORIGIN {origin}.\n" + soa.format(origin)
    for w in worlds:
        for line in w.zone_lines():
            owner = line.split()[0].rstrip(".")
            origin = "in-addr.arpa" if owner.endswith("in-addr.arpa") else \
                "ip6.arpa" if owner.endswith("ip6.arpa") else ZONE
            texts[origin] += line + "\n"
    return texts


def spf_eval(port, w):
    out = subprocess.run(
        [os.path.join(BIN, "spf-eval"), "--server", f"127.0.0.1@{port}",
         "--timeout", "1000", "--retries", "1", "--ip", w.ip,
         "--sender", w.sender, "--helo", w.helo],
        capture_output=True, text=True, timeout=60)
    return out.stdout.split("\n", 1)[0].strip() or f"exit {out.returncode}"


def pyspf_setup(port):
    import dns.resolver
    import spf
    res = dns.resolver.Resolver(configure=False)
    res.nameservers = ["127.0.0.1"]
    res.port = port
    res.lifetime = 5
    dns.resolver.default_resolver = res
    return spf


def pyspf(spf, w):
    try:
        r = spf.check2(i=w.ip, s=w.sender, h=w.helo, receiver="unknown",
                       timeout=20)
        return r[0]
    except Exception as e:      # pyspf's own failures count as such
        return f"crash {type(e).__name__}"


def disagree(port, spf, w):
    a, b = spf_eval(port, w), pyspf(spf, w)
    return a != b, a, b


def reduce(workdir, w, a, b):
    """Takes away records and terms while the two still disagree in the
    same way; serves each candidate from a fresh NSD."""
    def same(c):
        nsd = Nsd(os.path.join(workdir, "reduce"), zones_for([c]))
        try:
            spf = pyspf_setup(nsd.port)
            return (spf_eval(nsd.port, c), pyspf(spf, c)) == (a, b)
        finally:
            nsd.stop()
    changed = True
    while changed:
        changed = False
        for owner in list(w.records):
            for k in range(len(w.records.get(owner, [])) - 1, -1, -1):
                c = w.without(owner, k)
                if same(c):
                    w, changed = c, True
                    continue
                rtype, rdata = w.records[owner][k]
                if rtype == "TXT" and rdata.startswith("v=spf1"):
                    for t in range(len(rdata.split()) - 1, 0, -1):
                        c = w.without_term(owner, k, t)
                        if same(c):
                            w, changed = c, True
                            break
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5000)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    try:
        import spf  # noqa: F401
        import dns.resolver  # noqa: F401
    except ImportError:
        print("# SKIP differential: pyspf or dnspython is not installed "
              "(Debian python3-spf, python3-dnspython)")
        print("1..0")
        return 0
    t0 = time.time()
    worlds = [World(s) for s in range(args.first, args.first + args.seeds)]
    workdir = tempfile.mkdtemp(prefix="authzone-diff.")
    # pyspf asks hundreds of names a second; NSD's response rate limiting
    # (on as shipped) would drop some and make the run compare timeouts,
    # not RFC 7208: this run measures semantics, so it is off here.  The
    # shipped setting is exercised by the e2e tests and make bench.
    nsd = Nsd(workdir, zones_for(worlds), rrl_off=True)
    spf = pyspf_setup(nsd.port)
    agree = 0
    results = {}
    known = {}
    unexplained = []
    n = 0
    try:
        for w in worlds:
            n += 1
            differ, a, b = disagree(nsd.port, spf, w)
            if not differ:
                agree += 1
                results[a] = results.get(a, 0) + 1
                if args.v:
                    print(f"ok {n} - seed {w.seed}: {a}")
                continue
            blamed = sorted(f for f in w.features & set(KNOWN)
                            if BLAME.get(f, lambda a, b: True)(a, b))
            if blamed:
                for f in blamed:
                    known[f] = known.get(f, 0) + 1
                print(f"ok {n} - seed {w.seed}: spf-eval {a}, pyspf {b} "
                      f"(pyspf: {', '.join(blamed)})")
            else:
                unexplained.append((w, a, b))
                print(f"not ok {n} - seed {w.seed}: spf-eval {a}, pyspf {b}")
    finally:
        nsd.stop()
    secs = time.time() - t0
    for w, a, b in unexplained[:5]:
        small = reduce(workdir, w, a, b)
        print(f"# seed {w.seed} reduced: --ip {w.ip} --sender '{w.sender}' "
              f"--helo {w.helo}: spf-eval {a}, pyspf {b}")
        for line in small.zone_lines():
            print("#   " + line)
    print(f"# differential: {n} worlds in {secs:.1f} s; agree {agree} "
          f"({100.0 * agree / max(n, 1):.1f} %); pyspf's known deviations: "
          + (", ".join(f"{k} {v}" for k, v in sorted(known.items()))
             or "none")
          + f"; unexplained {len(unexplained)}")
    print("# agreed results: " + ", ".join(f"{k} {v}" for k, v in
                                         sorted(results.items())))
    print(f"1..{n}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
