#!/usr/bin/env python3
"""Check the incident lines of a replay.

    check_incidents.py --ss7watch BIN --config CFG TRACE [--idle S [--set-idle]] [--max-open N]
                       [--want-idle] [--want-end] [--want-evicted]

ss7watch runs on TRACE with CFG (with `incident idle-timeout S` added when --idle is given).
Every alert line must carry an incident_id that names exactly one incident line written
after it; an incident line must count the alert lines of its id (written) and its first and
last alert times, and the alerts of one incident must share its origin (calling GT, or the
network a spoofed home GT came in on). An incident closed on idle must be written before the
first alert line that comes more than S seconds after its last alert, and after every alert
line closer than that (counting from its own last alert line: an alert raised when a window
expires may open an incident with a time already idle); one closed at the end comes after
every alert line. --want-idle and
--want-end require at least one incident closed that way, --want-evicted one pushed out of a
table made small with --max-open.

Exit status 0 when all holds, 1 otherwise, 2 when ss7watch could not run.
"""

import argparse
import calendar
import json
import os
import re
import subprocess
import sys
import tempfile


def seconds(ts):
    return calendar.timegm(tuple(int(x) for x in re.findall(r"\d+", ts)[:6]) + (0, 0, 0))


def origin(a):
    ev = a.get("evidence", {})
    if ev.get("calling_gt_spoofed"):
        return "net:" + ev.get("arrived_via_network", "?")
    gt = a.get("sccp", {}).get("calling", {}).get("gt")
    return gt or (a.get("related") or [{}])[0].get("calling_gt") or ev.get("origin")


def incident_origin(i):
    o = i["incident"]["origin"]
    return "net:" + o.get("network", "?") if o.get("spoofed") else o.get("gt")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ss7watch", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--idle", type=int, default=600)
    ap.add_argument("--set-idle", action="store_true", help="write --idle into the config")
    ap.add_argument("--want-idle", action="store_true")
    ap.add_argument("--want-end", action="store_true")
    ap.add_argument("--max-open", type=int, default=0, help="write incident max-open N into the config")
    ap.add_argument("--want-evicted", action="store_true")
    ap.add_argument("trace")
    a = ap.parse_args(argv)

    cfg = open(a.config).read()
    if a.set_idle:
        cfg = re.sub(r"(?m)^ incident idle-timeout .*\n", "", cfg)
        cfg = cfg.replace("\nalerts\n", "\nalerts\n incident idle-timeout %d\n" % a.idle, 1)
    if a.max_open:
        cfg = cfg.replace("\nalerts\n", "\nalerts\n incident max-open %d\n" % a.max_open, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "c.cfg")
        with open(path, "w") as f:
            f.write(cfg)
        p = subprocess.run([a.ss7watch, "-c", path, "-o", "-", "-r", a.trace], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    if p.returncode:
        print("ss7watch: exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace")))
        return 2
    lines = [json.loads(l) for l in p.stdout.decode().splitlines()]
    alerts = [(n, o) for n, o in enumerate(lines) if o["event_type"] == "alert"]
    incidents = {}
    errors = []
    for n, o in enumerate(lines):
        if o["event_type"] == "incident":
            if o["incident_id"] in incidents:
                errors.append("incident %d written twice" % o["incident_id"])
            incidents[o["incident_id"]] = (n, o)
    for n, al in alerts:
        iid = al.get("incident_id")
        if iid not in incidents:
            errors.append("alert at line %d: incident_id %s names no incident line" % (n + 1, iid))
            continue
        at, inc = incidents[iid]
        if at < n:
            errors.append("incident %d written before its alert at line %d" % (iid, n + 1))
        if origin(al) != incident_origin(inc):
            errors.append("incident %d of %s holds an alert of %s" % (iid, incident_origin(inc), origin(al)))
    closed = {"idle": 0, "end": 0, "evicted": 0}
    for iid, (at, inc) in incidents.items():
        body = inc["incident"]
        mine = [o for _, o in alerts if o.get("incident_id") == iid]
        closed[body["closed_by"]] = closed.get(body["closed_by"], 0) + 1
        if body["written"] != len(mine):
            errors.append("incident %d: written %d, %d alert lines name it" % (iid, body["written"], len(mine)))
        if body["alerts"] < body["written"] or body["suppressed"] != body["alerts"] - body["written"]:
            errors.append("incident %d: alerts %d, written %d, suppressed %d do not add up" % (
                iid, body["alerts"], body["written"], body["suppressed"]))
        if mine and (seconds(body["first_timestamp"]) > min(seconds(o["timestamp"]) for o in mine) or
                     seconds(body["last_timestamp"]) < max(seconds(o["timestamp"]) for o in mine)):
            errors.append("incident %d: first/last do not cover its alert lines" % iid)
        last = seconds(body["last_timestamp"])
        # alert lines after its own last one and more than the idle time after its last alert
        after = max([n for n, o in alerts if o.get("incident_id") == iid] or [-1])
        later = [n for n, o in alerts if n > after and seconds(o["timestamp"]) > last + a.idle]
        if body["closed_by"] == "idle":
            if later and at > later[0]:
                errors.append("incident %d idle since %s written after an alert %d s later" % (
                    iid, body["last_timestamp"], a.idle))
        elif body["closed_by"] == "end":
            if alerts and at < alerts[-1][0]:
                errors.append("incident %d closed at the end written before the last alert" % iid)
            if later:
                errors.append("incident %d stayed open past %d idle seconds" % (iid, a.idle))
    if not incidents:
        errors.append("no incident line")
    if a.want_idle and not closed["idle"]:
        errors.append("no incident closed on idle")
    if a.want_end and not closed["end"]:
        errors.append("no incident closed at the end")
    if a.want_evicted and not closed.get("evicted"):
        errors.append("no incident pushed out of the full table")
    print("%s %s: %d alert lines, %d incidents (closed idle %d, end %d, evicted %d)" % (
        "FAIL" if errors else "PASS", a.trace, len(alerts), len(incidents), closed["idle"], closed["end"],
        closed.get("evicted", 0)))
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
