#!/usr/bin/python3
"""Checks dmarc-report's outputs against what report_gen.py wrote: every
count in the JSON, the CSV's rows, the refused files.  Prints one line a
check: "ok DESC" or "not ok DESC: WHY".

usage: report_check.py json|csv EXPECTED OUTPUT"""
import csv
import io
import json
import sys


def say(ok, desc, why=""):
    print(("ok %s" % desc) if ok else ("not ok %s: %s" % (desc, why)))


def check_json(exp, j):
    say(len(j["reports"]) == exp["reports"], "every report once",
        "%d, want %d" % (len(j["reports"]), exp["reports"]))
    say(j["duplicates"] == exp["duplicates"], "a report sent twice counts "
        "once", "duplicates %d" % j["duplicates"])
    rows = sum(len(r["rows"]) for r in j["reports"])
    say(rows == exp["rows"], "every row of every report", "%d, want %d" %
        (rows, exp["rows"]))
    bad = [r["report_id"] for r in j["reports"]
           if r["messages"] != sum(x["count"] for x in r["rows"])]
    say(not bad, "a report's messages are its rows' counts", bad)
    schemas = {r["schema"] for r in j["reports"]}
    say(schemas == {"rfc7489", "rfc9990", "draft"}, "the three schemas "
        "are read", schemas)
    new = [r for r in j["reports"] if r["schema"] == "rfc9990"]
    say(new and all(r["policy"]["np"] == "reject" and
                    r["policy"]["testing"] == "n" and
                    r["policy"]["discovery_method"] == "treewalk" and
                    all(x["envelope_from"] and x["dkim_results"][0]
                        ["human_result"] for x in r["rows"]) for r in new),
        "RFC 9990's np, testing, discovery_method, envelope_from, "
        "human_result", "")
    doms = {d["domain"]: d for d in j["domains"]}
    for name, want in sorted(exp["domains"].items()):
        d = doms.get(name, {})
        got = {"messages": d.get("messages"), "dmarc_pass":
               d.get("dmarc_pass"), "reports": d.get("reports"),
               "quarantine": d.get("dispositions", {}).get("quarantine"),
               "reject": d.get("dispositions", {}).get("reject")}
        say(got == want, "%s: messages, DMARC passes, reports, "
            "dispositions" % name, "%s, want %s" % (got, want))
        days = sum(x["messages"] for x in d.get("days", []))
        reps = sum(x["messages"] for x in d.get("reporters", []))
        say(days == want["messages"] and reps == want["messages"],
            "%s: the days and the reporters add up" % name,
            "%d and %d" % (days, reps))
    srcs = {s["domain"] + " " + s["source_ip"]: {
        "messages": s["messages"], "dmarc_pass": s["dmarc_pass"]}
        for s in j["sources"]}
    say(srcs == exp["sources"], "every source's messages and passes",
        set(srcs.items()) ^ set(exp["sources"].items())
        if False else "differ")
    t = j["tlsrpt"]
    say(t["reports"] == exp["tls"]["reports"] and
        t["duplicates"] == exp["tls"]["duplicates"], "TLS-RPT: every "
        "report once", "%d, %d" % (t["reports"], t["duplicates"]))
    pol = {"%s %s %s" % (p["domain"], p["type"], p["mx_host"]):
           [p["successful"], p["failed"]] for p in t["policies"]}
    say(pol == exp["tls"]["policies"], "TLS-RPT: sessions per policy",
        "%s, want %s" % (pol, exp["tls"]["policies"]))
    fl = {"%s %s %s" % (f["domain"], f["result_type"], f["receiving_mx"]):
          f["sessions"] for f in t["failures"]}
    say(fl == exp["tls"]["failures"], "TLS-RPT: failures by type and MX "
        "host", "%s, want %s" % (fl, exp["tls"]["failures"]))
    files = [e["file"] for e in j["errors"]]
    for name in exp["refused"]:
        hit = [e for e in j["errors"] if e["file"].endswith("/" + name) or
               ("/" + name + ":") in e["file"]]
        say(hit and all(e["reason"] for e in hit), "%s is refused with a "
            "reason" % name, files)
    good = [f for f in files if any(("/" + g) in f for g in
                                    exp["files_good"])]
    say(not good, "no good file is refused", good)
    notes = [r for r in j["reports"] if r.get("note")]
    say(len(notes) == len(exp["noted"]) and all(
        "not UTF-8, read as U+FFFD" in r["note"] for r in notes),
        "the odd report is counted with its note", notes and notes[0]["note"])


def check_csv(exp, text):
    rd = list(csv.reader(io.StringIO(text)))
    head = rd[0]
    say(head[:5] == ["xml_schema", "org_name", "org_email", "report_id",
                     "begin_date"] and "source_ip_address" in head and
        "dmarc_aligned" in head, "CSV: parsedmarc's column names", head)
    say(len(rd) - 1 == exp["rows"], "CSV: a row per report row",
        "%d, want %d" % (len(rd) - 1, exp["rows"]))
    i = head.index("count")
    total = sum(int(r[i]) for r in rd[1:])
    want = sum(d["messages"] for d in exp["domains"].values())
    say(total == want, "CSV: the counts add up to the messages",
        "%d, want %d" % (total, want))


def check_dom(exp, dom):
    """The DOM a browser rendered from the --html page: each domain's
    chart of days adds up to its messages and passes, and each source bar
    shows that source's counts."""
    import re
    for name, want in sorted(exp["domains"].items()):
        m = re.search(r'<section class="domain" data-domain="%s"(.*?)'
                      r'</section>' % re.escape(name), dom, re.S)
        if not m:
            say(False, "HTML: a section for %s" % name, "none")
            continue
        sec = m.group(1)
        days = re.findall(r'data-pass="(\d+)" data-fail="(\d+)"', sec)
        p = sum(int(a) for a, _ in days)
        f = sum(int(b) for _, b in days)
        say(p == want["dmarc_pass"] and p + f == want["messages"],
            "HTML: %s's chart of days shows its %d messages, %d passing" % (
                name, want["messages"], want["dmarc_pass"]),
            "%d pass, %d fail" % (p, f))
        bars = re.findall(r'<g class="source" data-ip="([^"]+)" '
                          r'data-messages="(\d+)" data-pass="(\d+)"', sec)
        ok = bars and all(exp["sources"].get("%s %s" % (name, ip)) ==
                          {"messages": int(n), "dmarc_pass": int(ps)}
                          for ip, n, ps in bars)
        say(ok, "HTML: %s's source bars show each source's counts (%d "
            "bars)" % (name, len(bars)), bars[:3])
        groups = re.findall(r'<g class="day" data-day="[^"]*" data-pass="'
                            r'(\d+)" data-fail="(\d+)">.*?<text[^>]*>(\d+)'
                            r'</text>', sec, re.S)
        say(groups and all(int(a) + int(b) == int(t) for a, b, t in groups),
            "HTML: %s's day bars are labelled with their counts" % name,
            groups[:3])


def main():
    exp = json.load(open(sys.argv[2]))
    out = open(sys.argv[3]).read()
    if sys.argv[1] == "json":
        check_json(exp, json.loads(out))
    elif sys.argv[1] == "dom":
        check_dom(exp, out)
    else:
        check_csv(exp, out)


if __name__ == "__main__":
    main()
