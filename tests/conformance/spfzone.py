"""Zone files and an NSD instance from the SPF test suite's zone data.

The suite's DNS semantics: unknown names are NXDOMAIN, known names without
the type are NODATA, and a name with SPF entries but no TXT entries gets
TXT records made from its SPF entries.
"""
import ipaddress
import os
import socket
import subprocess
import sys
import time


def quote(s):
    """A zone-file string: UTF-8 bytes, with quotes, backslashes and bytes
    outside printable ASCII escaped as \\DDD."""
    out = []
    for b in s.encode("utf-8"):
        if b in (0x22, 0x5c) or b < 0x20 or b > 0x7e:
            out.append("\\%03d" % b)
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def owner(name):
    """An absolute owner name with odd bytes escaped."""
    labels = name.strip(".").split(".")
    esc = []
    for label in labels:
        esc.append("".join(c if c.isalnum() or c in "-_*" else
                           "".join("\\%03d" % b for b in c.encode("utf-8"))
                           for c in label))
    return ".".join(esc) + "."


def zone_of(name):
    """The zone a name is served from: its last two labels."""
    labels = name.lower().strip(".").split(".")
    return ".".join(labels[-2:])


def txt_rdata(value, rtype="TXT"):
    """A TXT record's data; an empty list is a record of no strings at
    all (RDLENGTH 0, RFC 3597's generic form), as the suite means it.  NSD
    takes that form for TXT only, so an SPF (99) record, which no tool here
    asks for, gets one empty string instead."""
    if isinstance(value, list):
        if value:
            return " ".join(quote(v) for v in value)
        return r"\# 0" if rtype == "TXT" else '""'
    return quote(str(value))


def zone_text(origin, zonedata):
    """The zone file for every name of zonedata under origin."""
    lines = [f"$ORIGIN {origin}.", "$TTL 300",
             f"@ SOA ns.{origin}. hostmaster.{origin}. 1 3600 600 86400 300",
             f"@ NS ns.{origin}.", "ns A 127.0.0.1"]
    for name, records in zonedata.items():
        lname = name.lower().rstrip(".")
        if not (lname == origin or lname.endswith("." + origin)):
            continue
        own = owner(lname)
        has_txt = any(isinstance(r, dict) and "TXT" in r for r in records)
        for r in records:
            if not isinstance(r, dict):
                continue        # TIMEOUT: handled by the caller
            for rtype, value in r.items():
                if rtype in ("TXT", "SPF") and value == "NONE":
                    continue    # the name has none of this type
                if rtype in ("TXT", "SPF"):
                    lines.append(f"{own} {rtype} {txt_rdata(value, rtype)}")
                    if rtype == "SPF" and not has_txt:
                        lines.append(f"{own} TXT {txt_rdata(value)}")
                elif rtype == "MX":
                    pref, host = value
                    lines.append(f"{own} MX {pref} {owner(host)}")
                elif rtype in ("A", "AAAA"):
                    ipaddress.ip_address(value)
                    lines.append(f"{own} {rtype} {value}")
                elif rtype in ("PTR", "CNAME"):
                    lines.append(f"{own} {rtype} {owner(value)}")
    return "\n".join(lines) + "\n"


def zfile(origin):
    return "root.zone" if origin == "." else origin + ".zone"


def free_port():
    """A port free for UDP and TCP now (it may be taken before it is
    bound: NSD's start is retried)."""
    for _ in range(100):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            t.close()
            s.close()
        return port
    raise RuntimeError("no free port")


class Nsd:
    """NSD on a free loopback port serving the given {origin: text};
    prefix runs it elsewhere, e.g. ["ip", "netns", "exec", NAME]."""

    def __init__(self, workdir, zones, prefix=(), rrl_off=False):
        self.dir = workdir
        self.prefix = list(prefix)
        os.makedirs(workdir, exist_ok=True)
        for origin, text in zones.items():
            with open(os.path.join(workdir, zfile(origin)), "w") as f:
                f.write(text)
        for _ in range(5):
            self.port = free_port()
            conf = os.path.join(workdir, "nsd.conf")
            with open(conf, "w") as f:
                f.write(f"""server:
  ip-address: 127.0.0.1@{self.port}
  port: {self.port}
  username: ""
  chroot: ""
  zonesdir: "{workdir}"
  pidfile: "{workdir}/nsd.pid"
  database: ""
  zonelistfile: "{workdir}/zone.list"
  xfrdfile: "{workdir}/xfrd.state"
  xfrdir: "{workdir}"
  logfile: "{workdir}/nsd.log"
  server-count: 1
  do-ip6: no
{"  rrl-ratelimit: 0" if rrl_off else ""}
remote-control:
  control-enable: no
""")
                for origin in zones:
                    f.write(f"zone:\n  name: {origin}\n"
                            f"  zonefile: {zfile(origin)}\n")
            self.proc = subprocess.Popen(self.prefix + ["nsd", "-d", "-c", conf],
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
            if self._wait(list(zones)):
                return
            self.stop()
        raise RuntimeError("nsd did not start: " + self._log())

    def _log(self):
        try:
            with open(os.path.join(self.dir, "nsd.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def _wait(self, origins):
        for _ in range(100):
            if self.proc.poll() is not None:
                return False
            probe = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                 "..", "dnsprobe.py")
            if subprocess.run(self.prefix + [sys.executable, probe,
                               str(self.port)] + origins).returncode == 0:
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()


class Netns:
    """A network namespace with loopback up and an /etc/resolv.conf of its
    own pointing at 127.0.0.1, for peers that read nothing else."""

    def __init__(self, resolv_options="options timeout:1 attempts:1"):
        self.name = f"authzone-{os.getpid()}"
        self.etc = f"/etc/netns/{self.name}"
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        subprocess.run(["ip", "netns", "exec", self.name, "ip", "link", "set",
                        "lo", "up"], check=True)
        os.makedirs(self.etc, exist_ok=True)
        with open(os.path.join(self.etc, "resolv.conf"), "w") as f:
            f.write(f"nameserver 127.0.0.1\n{resolv_options}\n")
        self.prefix = ["ip", "netns", "exec", self.name]

    def remove(self):
        subprocess.run(["ip", "netns", "del", self.name])
        try:
            os.remove(os.path.join(self.etc, "resolv.conf"))
            os.rmdir(self.etc)
        except OSError:
            pass
