#!/usr/bin/env python3
"""The benchmarks, side by side with libspf2 and pyspf, in one run on this
machine.  Run by `make bench` (as root: the peers read only
/etc/resolv.conf, so everything runs in a network namespace of its own).

Servers run as Debian ships them.  A generated internet
(bench/gen-internet.py: 10,000 domains over 20 provider trees, and a deep
domain of four providers and 9 lookups) is served by NSD on 127.0.0.2:53
inside the namespace, with its response rate limiting on as shipped; a
second NSD with it off (`rrl-ratelimit: 0`, the lab this project used to
measure in) is measured beside it for contrast, never instead of it.
tests/dnsproxy on 127.0.0.1:53 adds the round-trip time (UDP and TCP).
Unbound on 127.0.0.3:53, cold for every run, recurses to the zones through
the proxy.  A million-domain world on 127.0.0.4 measures memory.

Every client evaluates SPF for an address that matches nothing, so every
term is evaluated.  Each figure is the median of --runs runs; the peers
that would take minutes over the whole set are measured on a sample in the
same run and their rate is given per domain.  Prints a Markdown table.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))
from spfzone import Netns  # noqa: E402

BIN = os.environ.get("BIN", os.path.join(ROOT, "bin"))
O = os.environ.get("O", os.path.join(ROOT, "build"))
IP = "192.0.2.1"        # matches nothing: every term is evaluated
LIBSPF2 = "/usr/bin/spfquery.libspf2"
PY = "/usr/bin/python3"
SHIPPED, RRL_OFF, PROXY, UNBOUND, BIG = ("127.0.0.2", "127.0.0.5",
                                          "127.0.0.1", "127.0.0.3",
                                          "127.0.0.4")

PYSPF_BATCH = r"""
import sys, time, spf
n = 0
t0 = time.perf_counter()
for line in open(sys.argv[1]):
    ip, sender, helo = line.split()
    spf.check2(i=ip, s=sender, h=helo, timeout=20)
    n += 1
print(n, time.perf_counter() - t0)
"""

# Runs inside the namespace and times the command alone, so that what
# "ip netns exec" costs (several milliseconds) counts for no one: the
# time, then the command's standard error, on standard error
TIMER = r"""
import subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE)
t = time.perf_counter() - t0
sys.stderr.write("%.6f\n" % t)
sys.stderr.buffer.write(p.stderr)
sys.stdout.buffer.write(p.stdout)
"""


RSS_OF = r"""
import os, sys, time
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, _, ru = os.wait4(pid, 0)
sys.stderr.write("\n%d %.6f\n" % (ru.ru_maxrss, time.perf_counter() - t0))
"""


def have_pyspf():
    return subprocess.run([PY, "-c", "import spf"],
                          capture_output=True).returncode == 0


def timed(cmd, ns):
    """Runs cmd in the namespace; (seconds, stdout, stderr)."""
    p = subprocess.run(ns.prefix + [PY, "-c", TIMER] + cmd,
                       capture_output=True)
    err = p.stderr.decode(errors="replace").split("\n", 1)
    return float(err[0]), p.stdout, err[1] if len(err) > 1 else ""


def peak_rss(cmd, ns):
    """(peak RSS in KiB, seconds, stderr) of cmd, from the rusage of its
    process, forked by a fresh interpreter (RSS_OF): a process's peak RSS
    carries across exec the peak of the image it replaced, and this
    script's own (the worlds it holds, 171 MiB) would hide the tool's."""
    p = subprocess.run(ns.prefix + [PY, "-c", RSS_OF] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.decode(errors="replace").rstrip("\n").rsplit("\n", 1)
    rss, t = err[-1].split()
    return int(rss), float(t), err[0] if len(err) > 1 else ""


def median(xs):
    return statistics.median(xs)


def probe(ns, addr, name, recursive=False):
    script = os.path.join(ROOT, "tests", "dnsprobe.py")
    env = dict(os.environ, DNSPROBE_ADDR=addr)
    if recursive:
        env["DNSPROBE_ANY"] = "1"
    for _ in range(1200):
        if subprocess.run(ns.prefix + [PY, script, "53", name], env=env,
                          capture_output=True).returncode == 0:
            return
        time.sleep(0.05)
    raise RuntimeError("no answer from %s" % addr)


class World:
    """A generated internet in work/NAME: zones, domains, the deep one."""

    def __init__(self, work, name, domains, each=False):
        self.dir = os.path.join(work, name)
        self.each = each
        self.kind = "each" if each else "one"   # --resolver-worlds' name
        subprocess.run([PY, os.path.join(HERE, "gen-internet.py"), self.dir,
                        "--domains", str(domains)] +
                       (["--zone-each"] if each else []), check=True,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(self.dir, "zones.list")) as f:
            self.zones = f.read().split() + ["test"]
        # the top-level zone, as the real DNS has one: the DMARC tree walk
        # asks _dmarc.test (RFC 9989 4.10)
        with open(os.path.join(self.dir, "zones", "test.zone"), "w") as f:
            f.write("$ORIGIN test.\n$TTL 300\n@ SOA ns.test. host.test. 1 "
                    "3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n")
        self.file = os.path.join(self.dir, "domains")
        with open(self.file) as f:
            self.domains = f.read().split()
        self.deep = open(os.path.join(self.dir, "deep")).read().strip()


class Nsd:
    """NSD as Debian ships it (rrl=False turns its rate limiting off)."""

    def __init__(self, ns, world, addr, rrl=True):
        d = os.path.join(world.dir, "nsd-" + addr)
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nsd.conf")
        with open(conf, "w") as f:
            f.write(f"""server:
  ip-address: {addr}@53
  username: ""
  chroot: ""
  zonesdir: "{world.dir}/zones"
  pidfile: "{d}/nsd.pid"
  database: ""
  zonelistfile: "{d}/zone.list"
  xfrdfile: "{d}/xfrd.state"
  xfrdir: "{d}"
  logfile: "{d}/nsd.log"
  server-count: 1
  do-ip6: no
{"" if rrl else "  rrl-ratelimit: 0"}
remote-control:
  control-enable: no
""")
            for z in world.zones:
                f.write(f"zone:\n  name: {z}\n  zonefile: {z}.zone\n")
        self.proc = subprocess.Popen(ns.prefix + ["nsd", "-d", "-c", conf],
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        probe(ns, addr, "cust.test")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Proxy:
    """tests/dnsproxy on 127.0.0.1:53, adding rtt ms, in front of addr."""

    def __init__(self, ns, addr, rtt):
        self.proc = subprocess.Popen(
            ns.prefix + [os.path.join(O, "tests", "dnsproxy"), "-l", "53",
                         "-u", "53", "-a", addr, "-d", str(rtt)],
            stdout=subprocess.PIPE)
        self.proc.stdout.readline()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


class Resolver:
    """A recursive resolver as Debian ships it (kind: unbound, named or
    kresd) on 127.0.0.3:53, recursing to the zones through the proxy;
    tests/KIND.conf.in says what differs from the shipped configuration
    and why.  start() gives a fresh process with a cold cache."""

    ARGV = {"unbound": ["unbound", "-d", "-c", "{conf}"],
            "named": ["named", "-g", "-c", "{conf}"],
            "kresd": ["kresd", "-n", "-q", "-c", "{conf}", "{dir}"]}

    def __init__(self, ns, work, kind="unbound"):
        self.ns, self.kind = ns, kind
        self.dir = os.path.join(work, kind)
        self.conf = os.path.join(self.dir, kind + ".conf")
        # one configuration for the tests and the benchmarks
        self.template = open(os.path.join(ROOT, "tests",
                                          kind + ".conf.in")).read()
        self.proc = None
        # named listens only on the addresses of an interface: the
        # resolver's address on the namespace's loopback (the others bind
        # it as it is)
        subprocess.run(ns.prefix + ["ip", "addr", "add", UNBOUND + "/32",
                                    "dev", "lo"], capture_output=True)

    def start(self):
        """A fresh process in a fresh directory: a cold cache."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        shutil.copy("/usr/share/dns/root.key",
                    os.path.join(self.dir, "root.key"))
        conf = self.template
        for k, v in (("@INTERFACE@", UNBOUND), ("@PORT@", "53"),
                     ("@ADDR@", UNBOUND), ("@DIR@", self.dir),
                     ("@UPSTREAM@", PROXY + "@53"),
                     ("@UPSTREAM_ADDR@", PROXY), ("@UPSTREAM_PORT@", "53")):
            conf = conf.replace(k, v)
        with open(self.conf, "w") as f:
            f.write(conf)
        argv = [a.format(conf=self.conf, dir=self.dir)
                for a in self.ARGV[self.kind]]
        self.log = open(os.path.join(self.dir, "log"), "wb")
        self.proc = subprocess.Popen(self.ns.prefix + argv, cwd=self.dir,
                                     stdout=self.log, stderr=self.log)
        # a name each answers itself: nothing is cached by the probe
        probe(self.ns, UNBOUND, "invalid", recursive=True)

    def stop(self, save=None):
        """Ends the process; save: a path its log is copied to."""
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None
            self.log.close()
            if save:
                shutil.copy(os.path.join(self.dir, "log"), save)


def resolver(ns, addr):
    """Points the namespace's resolv.conf (what the peers read) at addr."""
    with open(os.path.join(ns.etc, "resolv.conf"), "w") as f:
        f.write("nameserver %s\noptions timeout:2 attempts:2\n" % addr)


def sample_file(work, name, domains, n):
    path = os.path.join(work, name)
    step = max(1, len(domains) // n)
    picked = domains[::step][:n]
    with open(path, "w") as f:
        for d in picked:
            f.write("%s postmaster@%s %s\n" % (IP, d, d))
    return path, len(picked)


def strip(out):
    """The JSON lines without what depends on the run."""
    lines = []
    for line in out.decode().splitlines():
        j = json.loads(line)
        j.pop("passes", None)
        j.pop("dns", None)
        lines.append(json.dumps(j, sort_keys=True))
    return lines


def failures(err):
    m = re.search(r" (\d+) DNS failures", err)
    return int(m.group(1)) if m else -1


def dns_line(err):
    m = re.search(r"dns: (.*)", err)
    return m.group(1) if m else ""


class Bench:
    def __init__(self, a, ns, work):
        self.a, self.ns, self.work = a, ns, work
        self.rows = []
        self.reference = None   # the stripped lines of a clean run

    def row(self, *cells):
        self.rows.append([str(c) for c in cells])

    def keep(self, name, out, err, resolver=None):
        """With --save DIR: a batch's output (DIR/name.out), its messages
        (.err) and the resolver's log so far (.log)."""
        if not self.a.save:
            return
        os.makedirs(self.a.save, exist_ok=True)
        base = os.path.join(self.a.save, name)
        with open(base + ".out", "wb") as f:
            f.write(out)
        with open(base + ".err", "w") as f:
            f.write(err)
        if resolver is not None:
            shutil.copy(os.path.join(resolver.dir, "log"), base + ".log")

    def spf_batch(self, path, addr, runs, unbound=None):
        """spf-lint --batch over path asking addr: (median seconds,
        failures, wrong lines, the last run's DNS counters)."""
        ts, fails, wrong, line = [], 0, 0, ""
        for _ in range(runs):
            if unbound:
                unbound.start()
            t, out, err = timed([os.path.join(BIN, "spf-lint"), "--server",
                                 addr, "--batch", path], self.ns)
            ts.append(t)
            got = strip(out)
            if self.reference is None:
                self.reference = got
            ref = self.reference[:len(got)]
            fails = max(fails, failures(err))
            wrong = max(wrong, sum(1 for x, y in zip(ref, got) if x != y) +
                        abs(len(ref) - len(got)))
            line = dns_line(err)
        return median(ts), fails, wrong, line

    def peers(self, domains, k_file, k_py, runs, unbound=None, loop=0):
        """libspf2 -file (and a loop, and pyspf) on samples, through the
        namespace's resolv.conf: rates in domains a second."""
        fpath, k1 = sample_file(self.work, "file.in", domains, k_file)
        t1 = []
        for _ in range(runs):
            if unbound:
                unbound.start()
            t1.append(timed([LIBSPF2, "-file", fpath], self.ns)[0])
        r = {"file": k1 / median(t1), "k_file": k1}
        if loop:
            lpath, k2 = sample_file(self.work, "loop.in", domains, loop)
            sh = ("while read ip s h; do %s -ip $ip -sender $s >/dev/null; "
                  "done < %s" % (LIBSPF2, lpath))
            r["loop"] = k2 / median([timed(["sh", "-c", sh], self.ns)[0]
                                     for _ in range(runs)])
            r["k_loop"] = k2
        if have_pyspf() and k_py:
            ppath, k3 = sample_file(self.work, "py.in", domains, k_py)
            ts = []
            for _ in range(runs):
                if unbound:
                    unbound.start()
                ts.append(float(timed([PY, "-c", PYSPF_BATCH, ppath],
                                      self.ns)[1].split()[1]))
            r["py"], r["k_py"] = k3 / median(ts), k3
        return r


def batches(b, world, rtt):
    """10,000 domains at 0 ms and at rtt ms, NSD as shipped and with its
    rate limiting off."""
    n = len(world.domains)
    for addr, what in ((RRL_OFF, "NSD with RRL off (not as shipped)"),
                       (SHIPPED, "NSD as shipped")):
        for lat in (0, rtt):
            proxy = Proxy(b.ns, addr, lat) if lat else None
            target = PROXY if lat else addr
            resolver(b.ns, target)
            try:
                t, fails, wrong, line = b.spf_batch(world.file, target,
                                                    b.a.runs)
                p = b.peers(world.domains, 2000 if not lat else 200,
                            300 if not lat else 40, b.a.runs,
                            loop=300 if not lat else 0)
            finally:
                if proxy:
                    proxy.stop()
            rate = n / t
            print("batch, %s, %d ms: spf-lint %.2f s (%.0f/s), %d DNS "
                  "failures, %d lines differ; libspf2 -file %.0f/s; "
                  "pyspf %s; dns: %s" % (
                      what, lat, t, rate, fails, wrong, p["file"],
                      "%.0f/s" % p["py"] if "py" in p else "absent", line))
            peer = "%.0f/s with -file (%d domains)" % (p["file"], p["k_file"])
            if "loop" in p:
                peer += "; %.0f/s in a shell loop (%d)" % (p["loop"],
                                                           p["k_loop"])
            py = "%.0f/s in one interpreter (%d)" % (p["py"], p["k_py"]) \
                if "py" in p else "absent"
            ok = fails == 0 and wrong == 0
            if lat == 0 and addr == RRL_OFF:
                # issue 15's measure: the batch against the process loop
                # and -file, the server out of the way
                b.row("%d domains, spf-lint --batch, %s, 0 ms" % (n, what),
                      "%.0f domains/s (%.2f s), %d DNS failures, %d lines "
                      "wrong" % (rate, t, fails, wrong), peer, py,
                      "%.0fx the loop, %.1fx -file" % (rate / p["loop"],
                                                       rate / p["file"]),
                      ">= 50x the loop and >= 5x -file, 0 failures",
                      "yes" if ok and rate >= 50 * p["loop"] and
                      rate >= 5 * p["file"] else "no")
            elif lat == 0:
                b.row("%d domains, spf-lint --batch, %s, 0 ms" % (n, what),
                      "%.0f domains/s (%.2f s), %d DNS failures, %d lines "
                      "wrong" % (rate, t, fails, wrong), peer, py,
                      "%.1fx -file" % (rate / p["file"]),
                      ">= libspf2 -file's rate, 0 failures",
                      "yes" if ok and rate >= p["file"] else "no")
            else:
                b.row("%d domains, spf-lint --batch, %s, %d ms RTT" % (
                      n, what, lat),
                      "%.2f s (%.0f domains/s), %d DNS failures, %d lines "
                      "wrong" % (t, rate, fails, wrong),
                      "%.0f s for all at its -file rate (%d measured)" % (
                          n / p["file"], p["k_file"]),
                      "%.0f s for all (%d measured)" % (n / p["py"],
                                                        p["k_py"])
                      if "py" in p else "absent",
                      "%.0fx -file" % (rate / p["file"]),
                      "< 20 s, 0 failures",
                      "yes" if ok and t < 20 else "no")


def profile(b, world):
    """Where a domain's microseconds go: callgrind over spf-lint --batch of
    2,000 domains against NSD with RRL off, 0 ms; the functions with the
    largest inclusive share of the instructions, and instructions a
    domain.  callgrind counts instructions, not seconds: the shares hold
    whatever else the machine does."""
    if shutil.which("valgrind") is None:
        print("profile: valgrind is not installed; skipped")
        return
    path = os.path.join(b.work, "profile.domains")
    with open(path, "w") as f:
        f.write("\n".join(world.domains[:2000]) + "\n")
    out = os.path.join(O, "bench", "callgrind.out")
    subprocess.run(b.ns.prefix + ["valgrind", "--tool=callgrind",
                   "--callgrind-out-file=" + out,
                   os.path.join(BIN, "spf-lint"), "--server", RRL_OFF,
                   "--batch", path], capture_output=True)
    total = None
    for how in ("yes", "no"):
        rep = subprocess.run(["callgrind_annotate", "--inclusive=" + how,
                              out], capture_output=True, text=True).stdout
        rows, seen = [], set()
        for line in rep.splitlines():
            m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(?:\S+:)?(\S+)",
                         line)
            if "PROGRAM TOTALS" in line:
                total = int(line.split()[0].replace(",", ""))
            elif m and total and m.group(3) not in seen and \
                    not m.group(3).startswith(("0x", "???", "(below")):
                seen.add(m.group(3))
                rows.append((float(m.group(2)), m.group(3)))
        if total is None:
            print("profile: callgrind gave no totals")
            return
        print("profile: %d instructions a domain (2,000 domains, "
              "callgrind); %s" % (total // 2000, "inclusive" if how == "yes"
                                  else "own instructions"))
        for share, fn in rows[:30]:
            print("  %5.1f %%  %s" % (share, fn))
    b.row("profile of spf-lint --batch (2,000 domains, NSD RRL off, 0 ms)",
          "%d instructions a domain; see the run's output" % (total // 2000),
          "-", "-", "-", "where the time goes", "-")


def audit_lines(out):
    """mail-audit's JSON lines without the DNS counters, and how many
    say dns-error."""
    lines = [re.sub(r',"dns":\{[^}]*\}', "", x)
             for x in out.decode().splitlines()]
    return lines, sum(1 for x in lines if '"verdict":"dns-error"' in x)


def through_resolvers(b, world, rtt, kinds):
    """2,000 domains through each cold stock resolver at rtt ms, NSD as
    shipped behind it, --resolver-runs runs each: spf-lint's batch (and
    again at once, the resolver's cache warm), mail-audit's and libspf2's
    -file (on 200 of them), each but the warm one on a fresh resolver.
    Every run is reported, not only the best."""
    path = os.path.join(b.work, "resolvers.domains")
    doms = world.domains[:2000]
    with open(path, "w") as f:
        f.write("\n".join(doms) + "\n")
    # the reference: the same batches straight from NSD
    _, out, _ = timed([os.path.join(BIN, "spf-lint"), "--server", SHIPPED,
                       "--batch", path], b.ns)
    ref_spf = strip(out)
    _, out, _ = timed([os.path.join(BIN, "mail-audit"), "--no-connect", "--no-progress",
                       "--server", SHIPPED, "--batch", path], b.ns)
    ref_audit, ref_err = audit_lines(out)
    proxy = Proxy(b.ns, SHIPPED, rtt)
    resolver(b.ns, UNBOUND)
    try:
        for kind in kinds:
            r = Resolver(b.ns, b.work, kind)
            runs = []
            tag = kind + ("-each" if world.each else "")
            try:
                for i in range(b.a.resolver_runs):
                    r.start()
                    t, out, err = timed([os.path.join(BIN, "spf-lint"),
                                         "--server", UNBOUND, "--batch",
                                         path], b.ns)
                    b.keep("%s-%d-spf-lint" % (tag, i + 1), out, err, r)
                    got = strip(out)
                    wrong = sum(1 for x, y in zip(ref_spf, got) if x != y) + \
                        abs(len(ref_spf) - len(got))
                    spf = (len(doms) / t, failures(err), wrong, dns_line(err))
                    # the same batch again, the resolver's cache now warm
                    tw, out, err = timed([os.path.join(BIN, "spf-lint"),
                                          "--server", UNBOUND, "--batch",
                                          path], b.ns)
                    b.keep("%s-%d-spf-lint-warm" % (tag, i + 1), out, err,
                           r)
                    got = strip(out)
                    wwrong = sum(1 for x, y in zip(ref_spf, got) if x != y) \
                        + abs(len(ref_spf) - len(got))
                    warm = (len(doms) / tw, failures(err), wwrong)
                    r.start()
                    ta, out, err = timed([os.path.join(BIN, "mail-audit"), "--no-connect",
                                          "--no-progress", "--server",
                                          UNBOUND, "--batch", path], b.ns)
                    b.keep("%s-%d-mail-audit" % (tag, i + 1), out, err, r)
                    got, dnserr = audit_lines(out)
                    awrong = sum(1 for x, y in zip(ref_audit, got)
                                 if x != y) + abs(len(ref_audit) - len(got))
                    audit = (len(doms) / ta, dnserr, awrong, dns_line(err))
                    p = b.peers(doms, 200, 0, 1, r)
                    runs.append((spf, audit, p["file"], warm))
                    print("%s run %d, cold, %d ms: spf-lint %.0f/s, %d DNS "
                          "failures, %d lines differ (dns: %s); warm: %.0f/s, "
                          "%d DNS failures, %d lines differ; mail-audit "
                          "%.1f/s, %d dns-error (NSD direct: %d), %d lines "
                          "differ (dns: %s); libspf2 -file %.1f/s (%d "
                          "domains)" % (tag, i + 1, rtt, spf[0], spf[1],
                                        spf[2], spf[3], warm[0], warm[1],
                                        warm[2], audit[0], audit[1],
                                        ref_err, audit[2], audit[3],
                                        p["file"], p["k_file"]), flush=True)
            finally:
                r.stop()
            ok = all(s[1] == 0 and s[2] == 0 and a[1] == ref_err and
                     a[2] == 0 and s[0] >= 20 * f and w[1] == 0 and
                     w[2] == 0 and "(0 asked again)" in s[3] and
                     "(0 asked again)" in a[3]
                     for s, a, f, w in runs)
            b.row("%d domains%s through stock %s (cold), NSD as shipped, "
                  "%d ms, %d runs" % (len(doms), ", a zone each" if
                                      world.each else "", kind, rtt,
                                      len(runs)),
                  "spf-lint " + ", ".join("%.0f/s (%d failed, %d wrong)" % (
                      s[0], s[1], s[2]) for s, _, _, _ in runs) +
                  "; warm " + ", ".join("%.0f/s (%d failed, %d wrong)" % w
                                        for _, _, _, w in runs) +
                  "; mail-audit " + ", ".join(
                      "%.1f/s (%d dns-error, %d wrong)" % (a[0], a[1], a[2])
                      for _, a, _, _ in runs),
                  "-file " + ", ".join("%.1f/s" % f for _, _, f, _ in runs) +
                  " (200 domains, same resolver, cold)", "-",
                  ", ".join("%.0fx" % (s[0] / f) for s, _, f, _ in runs) +
                  " -file",
                  ">= 20x -file every run, 0 failed, 0 false dns-error, "
                  "0 asked again", "yes" if ok else "no")
    finally:
        proxy.stop()


def deep(b, world, rtt):
    """One evaluation of the deep domain at rtt ms, NSD as shipped."""
    proxy = Proxy(b.ns, SHIPPED, rtt)
    resolver(b.ns, PROXY)
    sender = "postmaster@" + world.deep
    az, l2, py = [], [], []
    try:
        _, out, _ = timed([os.path.join(BIN, "spf-lint"), "--json",
                           "--server", PROXY, world.deep], b.ns)
        depth = json.loads(out)["dns"]["rounds"]
        for _ in range(max(5, b.a.runs)):
            t, out, _ = timed([os.path.join(BIN, "spf-eval"), "--json",
                               "--server", PROXY, "--ip", IP, "--sender",
                               sender], b.ns)
            az.append(t)
            j = json.loads(out)
            rounds, result, lookups = (j["dns"]["rounds"], j["result"],
                                       j["lookups"])
            l2.append(timed([LIBSPF2, "-ip", IP, "-sender", sender],
                            b.ns)[0])
            if have_pyspf():
                path = os.path.join(b.work, "deep.in")
                with open(path, "w") as f:
                    f.write("%s %s %s\n" % (IP, sender, world.deep))
                _, out, _ = timed([PY, "-c", PYSPF_BATCH, path], b.ns)
                py.append(float(out.split()[1]))
    finally:
        proxy.stop()
    bound = (depth + 1) * rtt / 1000
    m = median(az)
    print("deep: spf-eval %s, %d lookups, %d rounds (depth %d): %.0f ms "
          "(bound %.0f); libspf2 %.0f ms; pyspf %s" % (
              result, lookups, rounds, depth, m * 1000, bound * 1000,
              median(l2) * 1000,
              "%.0f ms" % (median(py) * 1000) if py else "absent"))
    b.row("deep domain (%d lookups, depth %d), one evaluation at %d ms RTT, "
          "process included (pyspf: check2 alone)" % (lookups, depth, rtt),
          "%.0f ms (%d round trips)" % (m * 1000, rounds),
          "%.0f ms" % (median(l2) * 1000),
          "%.0f ms" % (median(py) * 1000) if py else "absent",
          "%.1fx / %s" % (median(l2) / m, "%.1fx" % (median(py) / m)
                          if py else "-"),
          "<= (depth+1) x RTT = %.0f ms" % (bound * 1000),
          "yes" if m <= bound else "no")


def memory(b, big):
    """Peak RSS of a batch of a million names, NSD as shipped."""
    nsd = Nsd(b.ns, big, BIG)
    try:
        for tool in ("spf-lint", "mail-audit"):
            cmd = [os.path.join(BIN, tool), "--server", BIG, "--batch",
                   big.file]
            if tool == "mail-audit":
                cmd += ["--no-progress", "--no-connect"]
            rss, t, err = peak_rss(cmd, b.ns)
            if tool == "spf-lint":
                bad = failures(err)
            else:   # the last column of the summary's "domain" row
                m = re.search(r"^  domain .* (\d+)$", err, re.M)
                bad = int(m.group(1)) if m else -1
            print("memory: %s over %d names: %.1f MiB peak, %.0f s, %d DNS "
                  "failures; %s" % (tool, len(big.domains), rss / 1024, t,
                                    bad, dns_line(err)))
            b.row("peak RSS of %s --batch over %d names" % (
                tool, len(big.domains)),
                "%.1f MiB (%.0f s, %.0f domains/s, %d DNS failures)" % (
                    rss / 1024, t, len(big.domains) / t, bad),
                "-", "-", "-", "< 64 MiB", "yes" if rss < 64 * 1024 else "no")
    finally:
        nsd.stop()


def reports(b, n=100000):
    """dmarc-report over n aggregate report files of about 10 KB of XML
    each (1 GB for 100,000), a third of them gzipped: time and peak RSS,
    text and --json."""
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import gzip
    import random
    import report_gen
    d = os.path.join(b.work, "reports")
    os.makedirs(d, exist_ok=True)
    rng = random.Random(1)
    xml_bytes = 0
    for k in range(n):
        rep = report_gen.make_report(rng, k, "d%d.example" % (k % 500))
        while len(rep["rows"]) < 24:    # about 10 KB of XML
            rep["rows"] += report_gen.make_report(rng, k, rep["domain"])[
                "rows"]
        x = report_gen.report_xml(rep).encode()
        xml_bytes += len(x)
        sub = os.path.join(d, "%03d" % (k // 1000))
        if k % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        if k % 3 == 0:
            with open(os.path.join(sub, "%d.xml.gz" % k), "wb") as f:
                f.write(gzip.compress(x, 1))
        else:
            with open(os.path.join(sub, "%d.xml" % k), "wb") as f:
                f.write(x)
    for how in ([], ["--json"]):
        cmd = [os.path.join(BIN, "dmarc-report")] + how + [d]
        rss, t, err = peak_rss(cmd, b.ns)
        refused = err.count("error:")
        print("reports: dmarc-report %s over %d files (%.0f MB of XML): "
              "%.1f s, %.0f files/s, %.0f MB/s, %.1f MiB peak, %d refused" % (
                  " ".join(how) or "(text)", n, xml_bytes / 1e6, t, n / t,
                  xml_bytes / 1e6 / t, rss / 1024, refused))
        b.row("dmarc-report %s over %d report files (%.0f MB of XML, a "
              "third gzipped)" % (" ".join(how) or "(text)", n,
                                  xml_bytes / 1e6),
              "%.1f s (%.0f files/s, %.0f MB/s), %.1f MiB peak, %d "
              "refused" % (t, n / t, xml_bytes / 1e6 / t, rss / 1024,
                           refused), "-", "-", "-",
              "streaming: memory far below the input", "yes"
              if rss < 256 * 1024 and refused == 0 else "no")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--domains", type=int, default=10000)
    ap.add_argument("--big", type=int, default=1000000,
                    help="names of the memory measurement")
    ap.add_argument("--rtt", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--resolver-runs", type=int, default=5,
                    help="cold runs through each resolver")
    ap.add_argument("--resolvers", default="unbound,named,kresd",
                    help="the resolvers, comma-separated")
    ap.add_argument("--save", default="",
                    help="a directory each resolver batch's output, its "
                    "messages and the resolver's log are kept in")
    ap.add_argument("--zone-each", action="store_true",
                    help="each customer domain a zone of its own, as in "
                    "the real DNS (bench/gen-internet.py --zone-each)")
    ap.add_argument("--resolver-worlds", default="one,each",
                    help="the worlds of the resolvers part: one (the "
                    "customers in one zone) and each (a zone each)")
    ap.add_argument("--only", default="",
                    help="run only these parts, comma-separated: parser, "
                    "startup, deep, batches, profile, resolvers, memory, reports")
    a = ap.parse_args()
    if os.geteuid() != 0:
        print("bench: needs root for the network namespace (ip netns); "
              "skipping the comparison with the peers")
        return 0
    work = tempfile.mkdtemp(prefix="authzone-bench.")
    ns = Netns()
    b = Bench(a, ns, work)
    servers = []
    try:
        world = World(work, "world", a.domains, a.zone_each)
        want = set(a.only.split(",")) if a.only else None
        run = lambda part: want is None or part in want
        # the CPU-bound figures first, with no server running
        if run("parser"):
            parser(b, world)
        if run("startup"):
            startup(b, work)
        for addr, rrl in ((SHIPPED, True), (RRL_OFF, False)):
            servers.append(Nsd(ns, world, addr, rrl))
        if run("deep"):
            deep(b, world, a.rtt)
        if run("batches"):
            batches(b, world, a.rtt)
        if run("profile"):
            profile(b, world)
        if run("resolvers"):
            kinds = a.resolvers.split(",")
            worlds = a.resolver_worlds.split(",")
            if world.kind in worlds:
                through_resolvers(b, world, a.rtt, kinds)
            if ("one" if world.each else "each") in worlds:
                # the other world, from the same NSD as shipped
                for s in servers:
                    s.stop()
                servers = []
                w2 = World(work, "other", a.domains, not world.each)
                servers.append(Nsd(ns, w2, SHIPPED, True))
                through_resolvers(b, w2, a.rtt, kinds)
        for s in servers:
            s.stop()
        servers = []
        if run("memory"):
            memory(b, World(work, "big", a.big))
        if run("reports"):
            reports(b)
    finally:
        for s in servers:
            s.stop()
        ns.remove()
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| measure | authzone | libspf2 | pyspf | authzone vs peers "
          "| target | met |")
    print("|---|---|---|---|---|---|---|")
    for r in b.rows:
        print("| " + " | ".join(r) + " |")
    return 0


def parser(b, world):
    """bench/parse over every SPF record of the generated zones."""
    recs = os.path.join(b.work, "records")
    with open(recs, "w") as out:
        for z in world.zones:
            for line in open(os.path.join(world.dir, "zones", z + ".zone")):
                if 'TXT "v=spf1' in line:
                    v = line.split("TXT", 1)[1].strip()
                    out.write(v[1:-1].replace('" "', "") + "\n")
    out = subprocess.run([os.path.join(O, "bench", "parse"), recs],
                         capture_output=True, text=True).stdout.strip()
    print(out)
    rate = float(out.split("median ")[1].split()[0])
    b.row("SPF parser alone, the zones' %s records" % out.split()[1],
          "%.2f million records/s" % rate, "-", "-", "-", ">= 2 million/s",
          "yes" if rate >= 2 else "no")


def startup(b, work):
    """Each tool starts and does its smallest job: median of 50 runs."""
    # the few records the tools that look further than --record need
    zone = os.path.join(work, "startup.zone")
    with open(zone, "w") as f:
        f.write("$ORIGIN example.com.\n$TTL 300\n"
                "@ MX 10 mx\nmx A 192.0.2.25\n"
                '@ TXT "v=spf1 ip4:192.0.2.0/24 -all"\n'
                '_dmarc TXT "v=DMARC1; p=reject"\n')
    z = ["--zone", zone]
    jobs = {
        "spf-lint": ["--offline", "--record", "v=spf1 ip4:192.0.2.0/24 -all",
                     "example.com"],
        "spf-eval": ["--offline", "--record", "v=spf1 -all", "--ip", IP,
                     "--sender", "a@example.com"],
        "spf-gen": ["--null", "example.com"],
        "nomail-gen": ["example.com"],
        "dmarc-gen": ["--p", "reject", "--rua", "mailto:d@example.com",
                      "example.com"],
        "tlsrpt-gen": ["--rua", "mailto:t@example.com", "example.com"],
        "bimi-gen": ["--logo", "https://example.com/l.svg", "example.com"],
        "mtasts-gen": ["--mode", "testing", "--mx", "mx.example.com",
                       "example.com"],
        "dkim-gen": ["--revoke", "s1", "example.com"],
        "dkim-lint": ["--offline", "--selector", "s1", "--record",
                      "v=DKIM1; p=", "example.com"],
        "tlsrpt-lint": ["--offline", "--record",
                        "v=TLSRPTv1; rua=https://r.example.com/", "example.com"],
        "dmarc-lint": ["--offline", "--record", "v=DMARC1; p=reject",
                       "example.com"],
        "mtasts-lint": ["--offline"] + z + ["--record", "v=STSv1; id=1",
                                            "--policy", "/dev/null",
                                            "example.com"],
        "bimi-lint": ["--offline"] + z + ["--record", "v=BIMI1; l=",
                                          "example.com"],
        "mail-audit": ["--offline"] + z + ["example.com"],
        "spf-flatten": ["--offline"] + z + ["--source", "example.com",
                                            "--dry-run", "example.com"],
    }
    # the tools in turn, 50 rounds, so that a burst of noise on this
    # shared machine falls on all of them alike
    times = {tool: [] for tool in jobs}
    for _ in range(50):
        for tool, args in jobs.items():
            t0 = time.perf_counter()
            subprocess.run([os.path.join(BIN, tool)] + args,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times[tool].append(time.perf_counter() - t0)
    worst, worst_tool, out = 0.0, "", []
    for tool, ts in times.items():
        m = median(ts) * 1000
        out.append("%s %.1f" % (tool, m))
        if m > worst:
            worst, worst_tool = m, tool
    print("startup (ms, median of 50):", ", ".join(out))
    b.row("every tool starts and does its smallest job (median of 50 runs, "
          "process included; the slowest)", "%.1f ms (%s)" % (
              worst, worst_tool), "-", "-", "-", "< 5 ms",
          "yes" if worst < 5 else "no")


if __name__ == "__main__":
    sys.exit(main())
