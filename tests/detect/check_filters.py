#!/usr/bin/env python3
"""Check the alert filters of ss7watch against a model of their documented semantics.

    check_filters.py --ss7watch BIN --config CFG --trace TRACE
                     [--filter SCOPE:LINE ...] [--fold] [--net NAME=PREFIX ...]

ss7watch runs twice on TRACE: with CFG stripped of every alert filter (alert-threshold,
rate-filter, suppress) and with fold-into-scan off, then with the filters given (SCOPE a
rule id, or "all" for the alerts section) and, with --fold, fold-into-scan on. The model
(doc/rules.md: Suricata's suppress, threshold types limit/threshold/both, rate_filter with
new-action pass|escalate, tracks by-origin/by-subscriber/by-rule, windows in capture time, the
fold of recon alerts into a scan of their origin) is applied to the alerts of the first run;
the second run must write exactly the lines the model keeps, in order, each with the count,
suppressed and severity the model gives. The filters must change something: a filter that
does nothing fails. --net NAME=PREFIX tells the model which calling GTs belong to a network
(for `suppress network`).

Exit status 0 when the run is the model's, 1 otherwise, 2 when ss7watch could not run.
"""

import argparse
import calendar
import json
import os
import re
import subprocess
import sys
import tempfile

FILTER_LINE = re.compile(r"^ (alert-threshold|rate-filter|suppress) ")


def strip_filters(text):
    out = [l for l in text.splitlines() if not FILTER_LINE.match(l)]
    return "\n".join(out) + "\n"


def add_lines(text, scope, lines):
    """Insert lines under `rule SCOPE` (made at the end when missing) or under `alerts`."""
    head = "alerts" if scope == "all" else "rule " + scope
    rows = text.splitlines()
    if head in rows:
        i = rows.index(head) + 1
        rows[i:i] = [" " + l for l in lines]
    else:
        rows += [head] + [" " + l for l in lines]
    return "\n".join(rows) + "\n"


def run(binary, cfg_text, trace, tmp, name):
    path = os.path.join(tmp, name + ".cfg")
    with open(path, "w") as f:
        f.write(cfg_text)
    p = subprocess.run([binary, "-c", path, "-o", "-", "-r", trace], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode:
        print("ss7watch -c %s: exit %d: %s" % (name, p.returncode, p.stderr.decode(errors="replace")))
        sys.exit(2)
    return [o for o in map(json.loads, p.stdout.decode().splitlines()) if o["event_type"] == "alert"]


def seconds(ts):
    return calendar.timegm(tuple(int(x) for x in re.findall(r"\d+", ts)[:6]) + (0, 0, 0))


def origin(a):
    gt = a.get("sccp", {}).get("calling", {}).get("gt")
    if gt:
        return gt
    rel = a.get("related") or [{}]
    return rel[0].get("calling_gt") or a.get("evidence", {}).get("origin") or "net:?"


def key(a, track):
    if track == "by-rule":
        return ""
    if track == "by-subscriber":
        s = a.get("subscriber", {})
        return s.get("imsi") or s.get("msisdn") or origin(a)
    return origin(a)


def parse(line):
    w = line.split()
    if w[0] == "alert-threshold":
        return {"kind": "threshold", "type": w[2], "track": w[4], "count": int(w[6]), "seconds": int(w[8])}
    if w[0] == "rate-filter":
        return {"kind": "rate", "track": w[2], "count": int(w[4]), "seconds": int(w[6]), "action": w[8],
                "timeout": int(w[10])}
    return {"kind": "suppress", "by": w[1], "value": w[2]}


class Model:
    def __init__(self, filters, fold, scan_window, nets):
        self.filters, self.fold, self.scan_window, self.nets = filters, fold, scan_window, nets
        self.now = None
        self.tab = {}
        self.scans = {}

    def of(self, rule, kind):
        """A rule's own threshold or rate-filter, else the one of every rule."""
        own = [f for s, f in self.filters if s == rule and f["kind"] == kind]
        return own[0] if own else next((f for s, f in self.filters if s == "all" and f["kind"] == kind), None)

    def suppressed(self, a):
        for scope, f in self.filters:
            if f["kind"] != "suppress" or scope not in ("all", a["alert"]["rule"]):
                continue
            s = a.get("subscriber", {})
            if f["by"] == "gt-prefix" and origin(a).startswith(f["value"]):
                return True
            if f["by"] == "subscriber" and f["value"] in (s.get("imsi"), s.get("msisdn")):
                return True
            if f["by"] == "network":
                ev = a.get("evidence", {})
                via = ev.get("arrived_via_network") if ev.get("calling_gt_spoofed") else None
                if via == f["value"] or (via is None and any(
                        origin(a).startswith(p) for p in self.nets.get(f["value"], ()))):
                    return True
        return False

    def entry(self, *k):
        return self.tab.setdefault(k, {"start": self.now, "hits": 0, "held": 0, "until": 0})

    def folded(self, a, when):
        if not self.fold or a["alert"]["threat"] != "recon" or a["alert"]["rule"] == "scan":
            return False
        e = self.scans.get(origin(a))
        if not e or when < e["start"] or when - e["last"] > self.scan_window:
            return False
        e["last"] = max(e["last"], when)
        return True

    def step(self, a):
        """The line the filters write for alert a (a copy with count/suppressed/severity), or None."""
        rule, when = a["alert"]["rule"], seconds(a["timestamp"])
        if self.now is None or when > self.now:
            self.now = when
        if self.suppressed(a) or self.folded(a, when):
            return None
        out = {"pcap_cnt": a.get("pcap_cnt"), "rule": rule, "severity": a["alert"]["severity"]}
        th = self.of(rule, "threshold")
        if th:
            e = self.entry("threshold", rule, key(a, th["track"]))
            if self.now - e["start"] >= th["seconds"]:
                e["start"], e["hits"] = self.now, 0
            e["hits"] += 1
            write = {"limit": e["hits"] <= th["count"], "threshold": e["hits"] >= th["count"],
                     "both": e["hits"] == th["count"]}[th["type"]]
            if not write:
                e["held"] += 1
                return None
            out["count"], out["suppressed"] = e["hits"], e["held"]
            e["held"] = 0
            if th["type"] == "threshold":
                e["hits"] = 0
        rf = self.of(rule, "rate")
        if rf:
            e = self.entry("rate", rule, key(a, rf["track"]))
            active = bool(e["until"]) and self.now < e["until"]
            if not active:
                e["until"] = 0
                if self.now - e["start"] >= rf["seconds"]:
                    e["start"], e["hits"] = self.now, 0
                e["hits"] += 1
                if e["hits"] > rf["count"]:
                    e["until"], active = self.now + rf["timeout"], True
            if active and rf["action"] == "pass":
                return None
            if active:
                out["severity"] = 1
        if rule == "scan" and self.fold:
            self.scans[origin(a)] = {"start": when - self.scan_window, "last": when}
        return out


def line_of(a):
    al = a["alert"]
    out = {"pcap_cnt": a.get("pcap_cnt"), "rule": al["rule"], "severity": al["severity"]}
    if "count" in al:
        out["count"], out["suppressed"] = al["count"], al["suppressed"]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ss7watch", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--filter", action="append", default=[], help="SCOPE:LINE (SCOPE a rule id or all)")
    ap.add_argument("--fold", action="store_true", help="fold-into-scan on in the filtered run")
    ap.add_argument("--scan-window", type=int, default=60)
    ap.add_argument("--net", action="append", default=[], help="NAME=GT-PREFIX for suppress network")
    a = ap.parse_args(argv)

    stripped = strip_filters(open(a.config).read())
    base = add_lines(stripped, "all", ["no fold-into-scan"])
    filtered = add_lines(stripped, "all", ["fold-into-scan" if a.fold else "no fold-into-scan"])
    filters = []
    for spec in a.filter:
        scope, line = spec.split(":", 1)
        filtered = add_lines(filtered, scope, [line])
        filters.append((scope, parse(line)))
    nets = {}
    for spec in a.net:
        name, prefix = spec.split("=", 1)
        nets.setdefault(name, []).append(prefix)

    with tempfile.TemporaryDirectory() as tmp:
        raw = run(a.ss7watch, base, a.trace, tmp, "unfiltered")
        got = [line_of(x) for x in run(a.ss7watch, filtered, a.trace, tmp, "filtered")]
    m = Model(filters, a.fold, a.scan_window, nets)
    want = [w for w in map(m.step, raw) if w is not None]
    want_plain = [line_of(x) for x in raw]
    ok = got == want and got != want_plain
    print("%s: %s%s: %d alert lines unfiltered, %d filtered, the model's %d: %s" % (
        "PASS" if ok else "FAIL", " ".join("[%s] %s" % (s, l) for s, l in (x.split(":", 1) for x in a.filter)),
        " fold-into-scan" if a.fold else "", len(raw), len(got), len(want), "same" if got == want else "differ"))
    if got == want_plain:
        print("  the filters changed nothing")
    if got != want:
        for i, (g, w) in enumerate(zip(got + [None] * len(want), want + [None] * len(got))):
            if g != w:
                print("  first difference at line %d: ss7watch %s, model %s" % (i + 1, g, w))
                break
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
