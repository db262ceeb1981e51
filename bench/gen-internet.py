#!/usr/bin/env python3
"""A generated "internet" of mail domains, for mail-audit's batch test and
the benchmarks: zone files for NSD, the list of domains, and what each
domain's audit must find.

  gen-internet.py OUTDIR [--domains N] [--seed S] [--dead K] [--zone-each]

writes OUTDIR/zones/{prov.test,cust.test,dead.test}.zone, OUTDIR/domains
(one per line), OUTDIR/expected (JSON Lines: domain and the verdict each
area must get), OUTDIR/deep (the deep domain) and OUTDIR/zones.list.

Twenty providers publish SPF trees 2 to 4 levels deep with 5 to 60 ip4/ip6
terms per node, some with a or mx.  Each customer domain includes 1 to 3
providers.  The kinds of domain, in turn:
  good      MX, SPF within the limits, DMARC p=reject with reports, TLS-RPT
  toomany   SPF over the 10-lookup limit
  nodmarc   no DMARC record anywhere above it
  parked    the nomail set: null MX, v=spf1 -all, p=reject
  nomx      no MX record, an address only
The last K domains (--dead) live in dead.test, which a test makes a
forwarder drop: their lines must say the DNS failed.

With --zone-each every customer domain is a zone of its own, delegated
from cust.test to the same server, as customers' domains are in the real
DNS; without, they all share cust.test.  The difference reaches a
server's response rate limit: NSD's puts every NODATA and NXDOMAIN answer
of one zone to one /24 in one bucket, and a resolver's minimised
questions (RFC 9156) for 2,000 names of one zone fill it.
OUTDIR/zones.list names every zone, one per line.
"""
import argparse
import itertools
import json
import os
import random
import re

SOA = ("$ORIGIN {o}.\n$TTL 300\n@ SOA ns.{o}. host.{o}. 1 3600 600 86400 300\n"
       "@ NS ns\nns A 127.0.0.1\n")


# first octets of public unicast space, clear of every special range
PUBLIC4 = (23, 34, 35, 52, 54, 63, 66, 69, 74, 104, 107, 108, 148, 149, 159,
           162, 167, 185, 199, 204, 205, 208, 209, 212, 216)


def ip4(rng):
    return "%d.%d.%d.0/%d" % (rng.choice(PUBLIC4), rng.randrange(256),
                              rng.randrange(256), rng.choice((24, 25, 26, 28)))


def ip6(rng):
    return "2a0%x:%x:%x::/48" % (rng.randrange(1, 16), rng.randrange(65536),
                                 rng.randrange(65536))


def providers(rng, out):
    """20 trees; returns each provider's root name and its lookup count
    (the include of its root counts one more, in the customer's record)."""
    roots = []
    for p in range(20):
        depth = 2 + p % 3
        lookups = 0
        long_ = False
        names = ["_spf%d.p%d.prov.test" % (lvl, p) for lvl in range(depth)]
        for lvl, name in enumerate(names):
            terms = []
            if lvl + 1 < depth:
                terms.append("include:" + names[lvl + 1])
                lookups += 1
            if p % 5 == 0 and lvl == 0:
                terms.append("a:mail.p%d.prov.test" % p)
                lookups += 1
            if p % 7 == 0 and lvl == depth - 1:
                terms.append("mx:p%d.prov.test" % p)
                lookups += 1
            for _ in range(rng.randrange(5, 61)):
                terms.append(("ip4:" + ip4(rng)) if rng.random() < 0.8
                             else ("ip6:" + ip6(rng)))
            rec = "v=spf1 " + " ".join(terms) + " ~all"
            out.append("%s. TXT %s" % (name, txt(rec)))
            long_ = long_ or too_long(name, rec)
        out.append("mail.p%d.prov.test. A 192.0.2.%d" % (p, p + 1))
        out.append("p%d.prov.test. MX 10 mail.p%d.prov.test." % (p, p))
        roots.append((names[0], lookups + 1, depth, long_))
    return roots


def too_long(name, rec):
    """Whether spf-lint warns about the record's size: over 450 bytes, or
    an answer carrying it over 512 (header, question, one TXT record)."""
    wire = 12 + len(name) + 2 + 4 + 12 + len(rec) + (len(rec) + 254) // 255
    return len(rec) > 450 or wire > 512


def txt(s):
    """A TXT value in strings of at most 255 bytes."""
    return " ".join('"%s"' % s[i:i + 255] for i in range(0, len(s), 255))


def customer(rng, name, kind, roots, out):
    exp = {"mx": "pass", "spf": "pass", "dmarc": "pass", "dkim": "skipped",
           "bimi": "absent", "mta-sts": "absent", "tls-rpt": "pass"}
    rel = name
    if kind == "parked":
        out.append('%s MX 0 .' % rel)
        out.append('%s TXT "v=spf1 -all"' % rel)
        out.append('_dmarc.%s TXT "v=DMARC1; p=reject; sp=reject"' % rel)
        exp.update(dmarc="warn", **{"tls-rpt": "absent"})   # no rua
        return exp
    if kind == "nomx":
        out.append("%s A 198.51.100.7" % rel)
        exp["mx"] = "warn"
    else:
        out.append("%s MX 10 mx1.cust.test." % rel)
        out.append("%s MX 20 mx2.cust.test." % rel)
    if kind == "toomany":
        picks, total = [], 0
        for root, n, _, _ in sorted(roots, key=lambda r: -r[1]):
            picks.append(root)
            total += n
            if total > 10:
                break
        exp["spf"] = "fail"
    else:
        picks, total = [], 0
        for root, n, _, long_ in rng.sample(roots, rng.randrange(1, 4)):
            if total + n <= 9:
                picks.append(root)
                total += n
                if long_:
                    exp["spf"] = "warn"
    spf = "v=spf1 %s%s -all" % ("mx " if kind != "nomx" else "",
                                " ".join("include:" + p for p in picks))
    out.append("%s TXT %s" % (rel, txt(spf)))
    if kind == "nodmarc":
        exp["dmarc"] = "fail"
    else:
        out.append('_dmarc.%s TXT "v=DMARC1; p=reject; rua=mailto:dmarc@'
                   '%s.cust.test"' % (rel, rel))
    out.append('_smtp._tls.%s TXT "v=TLSRPTv1; rua=mailto:tls@%s.cust.test"'
               % (rel, rel))
    if kind == "nomx":
        # its report addresses cannot take mail
        exp.update(**{"tls-rpt": "warn"})
        if exp["dmarc"] == "pass":
            exp["dmarc"] = "warn"
    return exp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--domains", type=int, default=10000)
    ap.add_argument("--dead", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7208)
    ap.add_argument("--zone-each", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(os.path.join(a.outdir, "zones"), exist_ok=True)

    prov = [SOA.format(o="prov.test")]
    roots = providers(rng, prov)

    cust = [SOA.format(o="cust.test")]
    cust += ["mx1 A 203.0.113.25", "mx2 A 203.0.113.26",
             "reports MX 10 mx1"]
    # the deep domain: four providers, 9 lookups
    # (the deepest four whose lookups add up to 9)
    best = max((c for c in itertools.combinations(roots, 4)
                if sum(r[1] for r in c) == 9),
               key=lambda c: (max(r[2] for r in c), sum(r[2] for r in c)))
    deep = [r[0] for r in best]
    cust.append('deep MX 10 mx1.cust.test.')
    cust.append('deep TXT %s' % txt("v=spf1 " + " ".join(
        "include:" + d for d in deep) + " -all"))

    kinds = ["good", "good", "good", "toomany", "nodmarc", "parked", "nomx",
             "good"]
    dead = [SOA.format(o="dead.test")]
    domains, expected = [], []
    for i in range(a.domains):
        if i >= a.domains - a.dead:
            name = "d%05d.dead.test" % i
            dead.append('d%05d MX 10 mx1.cust.test.' % i)
            domains.append(name)
            expected.append({"domain": name, "dns": True})
            continue
        kind = kinds[i % len(kinds)]
        rel = "d%05d" % i
        exp = customer(rng, rel, kind, roots, cust)
        domains.append(rel + ".cust.test")
        expected.append({"domain": rel + ".cust.test", "kind": kind,
                         "areas": exp})

    zones = [("prov.test", prov), ("cust.test", cust), ("dead.test", dead)]
    if a.zone_each:
        zones[1:2] = zone_each(cust)
    for zone, lines in zones:
        with open(os.path.join(a.outdir, "zones", zone + ".zone"), "w") as f:
            f.write("\n".join(lines) + "\n")
    with open(os.path.join(a.outdir, "zones.list"), "w") as f:
        f.write("\n".join(z for z, _ in zones) + "\n")
    with open(os.path.join(a.outdir, "domains"), "w") as f:
        f.write("\n".join(domains) + "\n")
    with open(os.path.join(a.outdir, "expected"), "w") as f:
        for e in expected:
            f.write(json.dumps(e) + "\n")
    with open(os.path.join(a.outdir, "deep"), "w") as f:
        f.write("deep.cust.test\n")


def zone_each(cust):
    """cust.test's lines split: each customer's names (dNNNNN and those
    under it) in a zone of their own, cust.test delegating each to its
    server; returns (zone, lines) pairs, cust.test first"""
    owner = re.compile(r"^((?:\S+\.)?)(d\d{5})(\s.*)$")
    parent, kids = [], {}
    for line in cust:
        m = owner.match(line)
        if m:
            kids.setdefault(m.group(2), []).append(
                (m.group(1).rstrip(".") or "@") + m.group(3))
        else:
            parent.append(line)
    parent += ["%s NS ns.cust.test." % k for k in kids]
    out = [("cust.test", parent)]
    for k, lines in kids.items():
        o = k + ".cust.test"
        out.append((o, ["$ORIGIN %s.\n$TTL 300\n@ SOA ns.cust.test. "
                        "host.cust.test. 1 3600 600 86400 300\n"
                        "@ NS ns.cust.test." % o] + lines))
    return out


if __name__ == "__main__":
    main()
