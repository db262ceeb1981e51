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
from spfzone import Nsd, free_port, zone_of, zone_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.environ.get("SPF_TESTS") or os.path.normpath(
    os.path.join(HERE, "../../../shared/conformance/spf/rfc7208-tests.yml"))
BIN = os.environ.get("BIN", os.path.join(HERE, "../../bin"))
BUILD = os.environ.get("O", os.path.join(HERE, "../../build"))


def run_spf_eval(port, test):
    out = subprocess.run(
        [os.path.join(BIN, "spf-eval"), "--json", "--server",
         f"127.0.0.1@{port}", "--timeout", "300", "--retries", "0",
         "--deadline", "10000", "--ip", test["host"],
         "--sender", test.get("mailfrom") or "",
         "--helo", test.get("helo") or ""],
        capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        return f"exit {out.returncode}", None, out.stderr.strip()
    doc = json.loads(out.stdout)
    return doc["result"], doc["explanation"], doc


class Proxy:
    def __init__(self, upstream, quiet):
        self.port = free_port()
        args = [os.path.join(BUILD, "tests/dnsproxy"), "-l", str(self.port),
                "-u", str(upstream)]
        for name in quiet:
            args += ["-t", name]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE)
        self.proc.stdout.readline()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=DEFAULT)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.file):
        print(f"ok 1 - # SKIP the SPF test suite is not at {args.file} "
              "(set SPF_TESTS)")
        print("1..1")
        return 0
    with open(args.file) as f:
        docs = list(yaml.safe_load_all(f))
    n = failed = 0
    start = time.time()
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
            nsd = Nsd(os.path.join(tmp, f"s{i}"), texts)
            proxy = Proxy(nsd.port, quiet)
            try:
                for name, test in scen["tests"].items():
                    n += 1
                    want = test["result"]
                    want = want if isinstance(want, list) else [want]
                    got, expl, doc = run_spf_eval(proxy.port, test)
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
                        if args.v:
                            print(f"#   {doc}")
            finally:
                proxy.stop()
                nsd.stop()
    print(f"# {n - failed}/{n} passed in {time.time() - start:.1f} s")
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
