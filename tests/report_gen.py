#!/usr/bin/python3
"""Writes DMARC aggregate reports, as reporters send them, into DIR/in, and
DIR/expected.json with what dmarc-report must count from them.

The reports follow the schemas of RFC 7489 (appendix C), RFC 9990 (the
dmarc-2.0 namespace, np, testing, discovery_method, envelope_from,
human_result) and the draft format (identities), and come in every
container a mailbox receives: .xml, .xml.gz, .zip, a mail message with the
report as a base64 or quoted-printable part, an mbox, a Maildir.  Some are
broken or hostile on purpose; expected.json names them.

usage: report_gen.py DIR [SEED]
"""
import gzip
import io
import json
import os
import random
import sys
import zipfile
from email.message import EmailMessage
from email import policy

NS = "urn:ietf:params:xml:ns:dmarc-2.0"


def row_xml(r, schema):
    ids = "identities" if schema == "draft" else "identifiers"
    reasons = "".join("<reason><type>%s</type><comment>%s</comment></reason>"
                      % (t, c) for t, c in r["reasons"])
    env = ("<envelope_from>%s</envelope_from>" % r["envelope_from"]
           if schema == "rfc9990" else "")
    human = "<human_result>%s</human_result>" % r["dkim_result"] \
        if schema == "rfc9990" else ""
    return ("<record><row><source_ip>%s</source_ip><count>%d</count>"
            "<policy_evaluated><disposition>%s</disposition><dkim>%s</dkim>"
            "<spf>%s</spf>%s</policy_evaluated></row>"
            "<%s><header_from>%s</header_from>%s</%s>"
            "<auth_results><dkim><domain>%s</domain><selector>%s</selector>"
            "<result>%s</result>%s</dkim><spf><domain>%s</domain>"
            "<scope>mfrom</scope><result>%s</result></spf></auth_results>"
            "</record>" % (
                r["ip"], r["count"], r["disposition"], r["dkim"], r["spf"],
                reasons, ids, r["domain"], env, ids, r["dkim_domain"],
                r["selector"], r["dkim_result"], human, r["spf_domain"],
                r["spf_result"]))


def report_xml(rep):
    s = rep["schema"]
    root = '<feedback xmlns="%s">' % NS if s == "rfc9990" else "<feedback>"
    extra = ("<np>reject</np><testing>n</testing><discovery_method>treewalk"
             "</discovery_method>") if s == "rfc9990" else "<pct>100</pct>"
    version = "<version>1.0</version>" if s != "draft" else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n%s%s'
            "<report_metadata><org_name>%s</org_name><email>%s</email>"
            "<report_id>%s</report_id><date_range><begin>%d</begin>"
            "<end>%d</end></date_range></report_metadata>"
            "<policy_published><domain>%s</domain><adkim>r</adkim>"
            "<aspf>r</aspf><p>%s</p><sp>none</sp>%s</policy_published>"
            "%s</feedback>\n" % (
                root, version, rep["org"], "noreply@" + rep["org"],
                rep["id"], rep["begin"], rep["begin"] + 86399,
                rep["domain"], rep["p"], extra,
                "".join(row_xml(r, s) for r in rep["rows"])))


def make_report(rng, n, domain):
    org = rng.choice(["google.com", "yahoo.com", "example.net"])
    schema = ("rfc7489", "rfc9990", "draft")[n % 3]
    rows = []
    for k in range(rng.randrange(1, 6)):
        dkim = rng.choice(["pass", "fail"])
        spf = rng.choice(["pass", "fail"])
        disp = "none" if "pass" in (dkim, spf) else rng.choice(
            ["none", "quarantine", "reject"])
        rows.append({
            "ip": rng.choice(["192.0.2.%d" % rng.randrange(1, 20),
                              "2001:db8::%x" % rng.randrange(1, 20)]),
            "count": rng.randrange(1, 500), "disposition": disp,
            "dkim": dkim, "spf": spf,
            "reasons": [("forwarded", "a list &amp; \"more\"")]
            if rng.random() < 0.2 else [],
            "domain": domain, "envelope_from": "bounce." + domain,
            "dkim_domain": domain, "selector": "s%d" % rng.randrange(3),
            "dkim_result": dkim, "spf_domain": domain, "spf_result": spf})
    return {"org": org, "id": "%s-%d" % (org, n), "schema": schema,
            "begin": 1790000000 + 86400 * (n % 7), "domain": domain,
            "p": "none", "rows": rows}


def tls_report(rng, n):
    """A TLS-RPT report (RFC 8460 4.3) and what it adds."""
    fails = []
    for _ in range(rng.randrange(0, 3)):
        fails.append({"result-type": rng.choice(
            ["certificate-expired", "starttls-not-supported",
             "validation-failure"]),
            "sending-mta-ip": "198.51.100.%d" % rng.randrange(1, 9),
            "receiving-mx-hostname": rng.choice(["mx1.example.com",
                                                 "mx2.example.com"]),
            "failed-session-count": rng.randrange(1, 50)})
    pol = {"policy": {"policy-type": "sts", "policy-string": [
        "version: STSv1", "mode: enforce", "mx: *.example.com",
        "max_age: 86400"], "policy-domain": "example.com",
        "mx-host": ["*.example.com"]},
        "summary": {"total-successful-session-count": rng.randrange(100, 999),
                    "total-failure-session-count": sum(
                        f["failed-session-count"] for f in fails)},
        "failure-details": fails}
    return {"organization-name": "Company-X", "date-range": {
        "start-datetime": "2026-11-0%dT00:00:00Z" % (1 + n % 7),
        "end-datetime": "2026-11-0%dT23:59:59Z" % (1 + n % 7)},
        "contact-info": "sts-reporting@company-x.example",
        "report-id": "tls-%d" % n, "policies": [pol]}


def mail(rep_bytes, filename, ctype, cte="base64"):
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = "noreply-dmarc@reporter.example"
    m["To"] = "dmarc@example.com"
    m["Subject"] = "Report domain: example.com"
    m.set_content("A DMARC aggregate report is attached.")
    maintype, subtype = ctype.split("/")
    if cte == "quoted-printable":
        m.add_attachment(rep_bytes.decode(), subtype=subtype,
                         filename=filename, cte="quoted-printable")
    else:
        m.add_attachment(rep_bytes, maintype=maintype, subtype=subtype,
                         filename=filename)
    return m.as_bytes()


def zipped(name, data):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return b.getvalue()


def main():
    top = sys.argv[1]
    out = os.path.join(top, "in")
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    os.makedirs(out, exist_ok=True)
    good, refused = [], []
    n = 0

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    containers = ["xml", "gz", "zip", "mail-b64", "mail-qp", "mail-gz",
                  "mbox", "maildir"]
    for k in range(24):
        dom = "example.com" if k % 4 else "example.org"
        rep = make_report(rng, n, dom)
        n += 1
        x = report_xml(rep).encode()
        kind = containers[k % len(containers)]
        base = "r%02d" % k
        if kind == "xml":
            write(base + ".xml", x)
        elif kind == "gz":
            write(base + ".xml.gz", gzip.compress(x))
        elif kind == "zip":
            write(base + ".zip", zipped(base + ".xml", x))
        elif kind == "mail-b64":
            write(base + ".eml", mail(zipped(base + ".xml", x), base + ".zip",
                                      "application/zip"))
        elif kind == "mail-qp":
            write(base + ".eml", mail(x, base + ".xml", "text/xml",
                                      "quoted-printable"))
        elif kind == "mail-gz":
            # the odd content type some reporters use for gzip
            write(base + ".eml", mail(gzip.compress(x), base + ".xml.gz",
                                      "application/x-gzip"))
        elif kind == "mbox":
            rep2 = make_report(rng, n, dom)
            n += 1
            good.append(rep2)
            x2 = report_xml(rep2).encode()
            box = b""
            for data in (x, x2):
                msg = mail(gzip.compress(data), "r.xml.gz", "application/gzip")
                box += b"From noreply@reporter.example Mon Nov 30 00:00:00 2026\n"
                box += msg.replace(b"\r\n", b"\n") + b"\n"
            write(base + ".mbox", box)
        elif kind == "maildir":
            for sub in ("cur", "new", "tmp"):
                os.makedirs(os.path.join(out, "Maildir", sub), exist_ok=True)
            write(os.path.join("Maildir", "new", base + ".host"),
                  mail(zipped(base + ".xml", x), base + ".zip",
                       "application/octet-stream"))
        good.append(rep)
    # TLS-RPT reports: JSON, gzip, a mail part of RFC 8460's type
    tls = []
    for k in range(6):
        t = tls_report(rng, k)
        tls.append(t)
        data = json.dumps(t).encode()
        if k % 3 == 0:
            write("t%02d.json" % k, data)
        elif k % 3 == 1:
            write("t%02d.json.gz" % k, gzip.compress(data))
        else:
            write("t%02d.eml" % k, mail(gzip.compress(data), "t.json.gz",
                                        "application/tlsrpt+gzip"))
    write("tagain.json", json.dumps(tls[0]).encode())
    write("tbroken.json", b'{"organization-name": "x", ')
    refused.append("tbroken.json")
    # a report received twice: counted once
    write("again.xml", report_xml(good[0]).encode())
    # broken and hostile files
    write("broken.xml", b"<feedback><report_metadata><org_name>x</org")
    refused.append("broken.xml")
    write("xxe.xml", b'<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY '
          b'x SYSTEM "file:///etc/passwd">]><feedback>&x;</feedback>')
    refused.append("xxe.xml")
    write("bomb.xml.gz", gzip.compress(b"<" + b" " * (128 << 20)))
    refused.append("bomb.xml.gz")
    write("deep.xml", b"<feedback>" + b"<a>" * 40 + b"</a>" * 40 +
          b"</feedback>")
    refused.append("deep.xml")
    # a zip whose entry inflates a thousandfold and more
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.xml", b"<" + b" " * (128 << 20))
    write("bomb.zip", b.getvalue())
    refused.append("bomb.zip")
    # bytes that are not UTF-8 in a report: odd, not hostile: read (as
    # U+FFFD) and counted, with a note
    lat = make_report(rng, 999, "example.com")
    good.append(lat)
    bad = report_xml(lat).encode()
    write("latin1.xml", bad.replace(b"<org_name>", b"<org_name>\xe9\xff"))
    # an mbox of more messages than are read
    write("many.mbox", b"".join(b"From a@example.net Mon Nov 30 00:00:00 "
                                b"2026\nFrom: a@example.net\nSubject: x\n"
                                b"\nhi\n\n" for _ in range(10005)))
    refused.append("many.mbox")
    # over 64 MiB: refused before it is read
    with open(os.path.join(out, "huge.xml"), "wb") as f:
        f.truncate((64 << 20) + 1)
    refused.append("huge.xml")
    write("noise.bin", bytes(rng.randrange(256) for _ in range(300)))
    refused.append("noise.bin")
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = "x@example.net"
    m.set_content("parts")
    for i in range(1001):
        m.add_attachment(b"x", maintype="application",
                         subtype="octet-stream", filename="p%d.bin" % i)
    write("parts.eml", m.as_bytes())
    refused.append("parts.eml")

    exp = {"reports": len(good), "duplicates": 1, "refused": refused,
           "domains": {}, "sources": {}}
    for rep in good:
        d = exp["domains"].setdefault(rep["domain"], {
            "messages": 0, "dmarc_pass": 0, "reports": 0, "quarantine": 0,
            "reject": 0})
        d["reports"] += 1
        for r in rep["rows"]:
            ok = "pass" in (r["dkim"], r["spf"])
            d["messages"] += r["count"]
            d["dmarc_pass"] += r["count"] if ok else 0
            if r["disposition"] in ("quarantine", "reject"):
                d[r["disposition"]] += r["count"]
            s = exp["sources"].setdefault(rep["domain"] + " " + r["ip"],
                                          {"messages": 0, "dmarc_pass": 0})
            s["messages"] += r["count"]
            s["dmarc_pass"] += r["count"] if ok else 0
    exp["rows"] = sum(len(r["rows"]) for r in good)
    exp["tls"] = {"reports": len(tls), "duplicates": 1, "policies": {},
                  "failures": {}}
    for t in tls:
        for p in t["policies"]:
            key = "example.com sts *.example.com"
            e = exp["tls"]["policies"].setdefault(key, [0, 0])
            e[0] += p["summary"]["total-successful-session-count"]
            e[1] += p["summary"]["total-failure-session-count"]
            for f in p["failure-details"]:
                key = "example.com %s %s" % (f["result-type"],
                                             f["receiving-mx-hostname"])
                exp["tls"]["failures"][key] = exp["tls"]["failures"].get(
                    key, 0) + f["failed-session-count"]
    exp["files_good"] = sorted(f for f in os.listdir(out)
                               if f.startswith("r") or (f.startswith("t") and
                                                        "broken" not in f) or
                               f == "latin1.xml")
    exp["noted"] = ["latin1.xml"]
    with open(os.path.join(top, "expected.json"), "w") as f:
        json.dump(exp, f, indent=1)


if __name__ == "__main__":
    main()
