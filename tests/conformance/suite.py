#!/usr/bin/env python3
"""The whole RFC 7208 test suite against spf-eval, through real DNS.

Each scenario's zone data is served by NSD on loopback with the suite's
semantics (unknown names NXDOMAIN, known names without the type NODATA,
TXT made from SPF entries where a name has no TXT entries); tests/dnsproxy
sits in front and keeps silent for a TIMEOUT name's types that have no
records.  Usage: suite.py [--impl spf-eval|pyspf|libspf2] [-v] [FILE]

The suite is FILE, else $SPF_TESTS, else ../shared/conformance/spf/; when
it is absent the driver says so and skips.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spfzone import Netns, Nsd, zone_of, zone_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.environ.get("SPF_TESTS") or os.path.normpath(
    os.path.join(HERE, "../../../shared/conformance/spf/rfc7208-tests.yml"))
BIN = os.environ.get("BIN", os.path.join(HERE, "../../bin"))
BUILD = os.environ.get("O", os.path.join(HERE, "../../build"))


PYSPF = """
import json, sys, spf
i, s, h = sys.argv[1:4]
r = spf.query(i=i, s=s, h=h, receiver="unknown").check()
print(json.dumps([r[0], r[2]]))
"""


def run_pyspf(port, test, prefix):
    """pyspf 2.0 (Debian python3-spf) through its API, one process a test."""
    out = subprocess.run(prefix + ["/usr/bin/python3", "-c", PYSPF,
                                   test["host"], test.get("mailfrom") or "",
                                   test.get("helo") or ""],
                         capture_output=True, text=True, timeout=120)
    try:
        result, text = json.loads(out.stdout.splitlines()[-1])
    except (IndexError, ValueError):
        return f"exit {out.returncode}", None, out.stderr.strip()[-300:]
    return result, text if result == "fail" else None, out.stdout


def run_libspf2(port, test, prefix):
    """libspf2's spfquery: the result is the first line after any error
    report."""
    args = prefix + ["/usr/bin/spfquery.libspf2", "-ip", test["host"]]
    if test.get("mailfrom"):
        args += ["-sender", test["mailfrom"]]
    if test.get("helo"):
        args += ["-helo", test["helo"]]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120)
    lines = out.stdout.splitlines()
    # an error report comes first, between StartError and EndError
    if lines and lines[0] == "StartError" and "EndError" in lines:
        lines = lines[lines.index("EndError") + 1:]
    if not lines:
        return f"exit {out.returncode}", None, out.stderr.strip()[-200:]
    # the SMTP comment line: the explanation, then " : Reason: ..."
    expl = lines[1].split(" : Reason:")[0] if lines[0] == "fail" and \
        len(lines) > 1 else None
    return lines[0].strip(), expl, out.stdout


def run_spf_eval(port, test, prefix):
    out = subprocess.run(
        [os.path.join(BIN, "spf-eval"), "--json", "--server",
         f"127.0.0.1@{port}", "--timeout", "300", "--retries", "1",
         "--deadline", "10000", "--ip", test["host"],
         "--sender", test.get("mailfrom") or "",
         "--helo", test.get("helo") or ""],
        capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        return f"exit {out.returncode}", None, out.stderr.strip()
    doc = json.loads(out.stdout)
    return doc["result"], doc["explanation"], doc


class Proxy:
    def __init__(self, upstream, quiet, prefix=(), port=None):
        # port 0: the proxy picks one free for UDP and TCP
        args = list(prefix) + [os.path.join(BUILD, "tests/dnsproxy"), "-l",
                               str(port or 0), "-u", str(upstream)]
        for name in quiet:
            args += ["-t", name]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE)
        ready = self.proc.stdout.readline().split()
        if len(ready) != 2:
            raise RuntimeError("dnsproxy did not start")
        self.port = int(ready[1])

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=DEFAULT)
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--expect", type=int, default=0,
                    help="fail unless the suite holds exactly N tests")
    ap.add_argument("--impl", default="spf-eval",
                    choices=["spf-eval", "pyspf", "libspf2"])
    args = ap.parse_args()
    run = {"spf-eval": run_spf_eval, "pyspf": run_pyspf,
           "libspf2": run_libspf2}[args.impl]
    if not os.path.exists(args.file):
        print(f"ok 1 - # SKIP the SPF test suite is not at {args.file} "
              "(give its path as FILE or in $SPF_TESTS; make check takes "
              "the RFC 4408 suite's from $SPF4408_TESTS)")
        print("1..1")
        return 0
    with open(args.file) as f:
        docs = list(yaml.safe_load_all(f))
    start = time.time()
    # the peers read only /etc/resolv.conf: give them a namespace whose
    # resolv.conf names the proxy on 127.0.0.1:53
    netns = Netns() if args.impl != "spf-eval" else None
    prefix = netns.prefix if netns else []
    try:
        n, failed = run_suite(docs, run, prefix, netns, args.v)
    finally:
        if netns:
            netns.remove()
    print(f"# {args.impl}: {n - failed}/{n} passed in "
          f"{time.time() - start:.1f} s")
    if args.expect and n != args.expect:
        n += 1
        failed += 1
        print(f"not ok {n} - the suite held {n - 1} tests, want "
              f"{args.expect}: a changed file, or tests not run")
    print(f"1..{n}")
    return 1 if failed else 0


def run_suite(docs, run, prefix, netns, verbose):
    n = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, scen in enumerate(docs):
            data = scen.get("zonedata") or {}
            zones = {}
            for name in data:
                zones.setdefault(zone_of(name), None)
            texts = {z: zone_text(z, data) for z in zones}
            # the root: every name outside the data is NXDOMAIN
            texts["."] = ("$ORIGIN .\n@ 300 SOA ns. host. 1 3600 600 86400 "
                          "300\n@ 300 NS ns.\n")
            quiet = [name.lower().strip(".") for name, recs in data.items()
                     if "TIMEOUT" in recs]
            nsd = Nsd(os.path.join(tmp, f"s{i}"), texts, prefix)
            try:
                proxy = Proxy(nsd.port, quiet, prefix,
                              53 if netns else None)
            except RuntimeError:
                nsd.stop()
                raise
            try:
                for name, test in scen["tests"].items():
                    n += 1
                    want = test["result"]
                    want = want if isinstance(want, list) else [want]
                    got, expl, doc = run(proxy.port, test, prefix)
                    ok = got in want
                    wexp = test.get("explanation")
                    if ok and wexp and wexp != "DEFAULT" and expl != wexp:
                        ok = False
                        got += f" with explanation {expl!r}, want {wexp!r}"
                    line = f"{scen['description']}: {name}: {got}"
                    if ok:
                        print(f"ok {n} - {line}")
                    else:
                        failed += 1
                        print(f"not ok {n} - {line}, want "
                              f"{'/'.join(want)}")
                        if verbose:
                            print(f"#   {doc}")
            finally:
                proxy.stop()
                nsd.stop()
    return n, failed


if __name__ == "__main__":
    sys.exit(main())
