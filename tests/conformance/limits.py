#!/usr/bin/env python3
"""The "Processing limits" scenarios of the RFC 7208 test suite against
spf-lint, through NSD.

spf-lint judges the worst case (an address that matches nothing).  Where a
scenario expects permerror, spf-lint must report a limit error; where it
expects something else, spf-lint must not, unless the scenario's address
matches an ip4/ip6 term that comes before the lookup crossing the limit:
then the worst case does not decide it, and the driver says so.

The suite is read from $SPF_TESTS, else ../shared/conformance/spf/; when it
is absent the driver says so and skips.
"""
import ipaddress
import json
import os
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spfzone import Nsd, zone_text  # noqa: E402

LIMIT_CODES = {"spf-too-many-lookups", "spf-too-many-void-lookups",
               "spf-too-many-mx", "spf-include-loop"}
HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.environ.get("SPF_TESTS") or os.path.normpath(
    os.path.join(HERE, "../../../shared/conformance/spf/rfc7208-tests.yml"))
BIN = os.environ.get("BIN", os.path.join(HERE, "../../bin"))


def decided_earlier(record, host, offset):
    """True when host is in an ip4/ip6 term of record before offset."""
    pos = 0
    for term in record.split(" "):
        start = record.index(term, pos) if term else pos
        pos = start + len(term)
        if start >= offset:
            return False
        body = term.lstrip("+-~?")
        if body[:4].lower() in ("ip4:", "ip6:"):
            try:
                if ipaddress.ip_address(host) in ipaddress.ip_network(
                        body[4:], strict=False):
                    return term[0] not in "-~?"
            except ValueError:
                pass
    return False


def main():
    if not os.path.exists(SUITE):
        print(f"ok 1 - # SKIP the SPF test suite is not at {SUITE} "
              "(set SPF_TESTS)")
        print("1..1")
        return 0
    with open(SUITE) as f:
        docs = list(yaml.safe_load_all(f))
    scen = next(d for d in docs if d["description"] == "Processing limits")
    n = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        nsd = Nsd(os.path.join(tmp, "nsd"),
                  {"example.com": zone_text("example.com",
                                            scen["zonedata"])})
        try:
            for name, test in scen["tests"].items():
                n += 1
                sender = test.get("mailfrom") or "postmaster@" + test["helo"]
                domain = sender.rsplit("@", 1)[1]
                expected = test["result"]
                expected = expected if isinstance(expected, list) \
                    else [expected]
                out = subprocess.run(
                    [os.path.join(BIN, "spf-lint"), "--json", "--server",
                     f"127.0.0.1@{nsd.port}", domain],
                    capture_output=True, text=True)
                if out.returncode > 128 or out.returncode in (2, 3):
                    print(f"not ok {n} - {name}: spf-lint exit "
                          f"{out.returncode}: {out.stderr.strip()}")
                    failed += 1
                    continue
                doc = json.loads(out.stdout)
                hits = [f for f in doc["findings"] if f["code"] in LIMIT_CODES]
                says = "permerror" if hits else "no limit error"
                if bool(hits) == ("permerror" in expected):
                    print(f"ok {n} - {name}: spf-lint {says}, suite "
                          f"{'/'.join(expected)}")
                elif hits and hits[0]["domain"] == domain and \
                        hits[0]["offset"] is not None and \
                        decided_earlier(doc["record"], test["host"],
                                        hits[0]["offset"]):
                    print(f"ok {n} - {name}: not decided by the worst case: "
                          f"{test['host']} matches before the limit "
                          f"(spf-lint {says}, suite {'/'.join(expected)})")
                else:
                    print(f"not ok {n} - {name}: spf-lint {says}, suite "
                          f"{'/'.join(expected)}")
                    failed += 1
        finally:
            nsd.stop()
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
