#!/usr/bin/env python3
"""Run ss7watch on a trace and compare its alerts with the expected ones.

    check_alerts.py --ss7watch BIN --config CFG TRACE [--labels LABELS] [--min-frames N]

Without --labels the trace is benign: any alert is a failure. With --labels every expected
alert must be raised, with its rule id and threat class, and nothing else may be raised.

Labels are JSON lines in one of two forms:
  - one expected alert per line (tests/detect/traces/*.labels.jsonl, contrib/ss7gen.py
    attacks and campaign): {"frame": N, "rule": R, "threat": T, "attack": ...,
    ["frame_min", "frame_max"]}
  - ss7gen's per-frame ground truth (traces/demo.labels.jsonl): the frames that carry an
    "expect" list [{"rule": R, "threat": T}, ...].
A label is found by an alert line of its rule and threat that names the labelled frame, as
its pcap_cnt or in its `related` list (correlation and expiry alerts); for a label with
frame_min/frame_max (a burst) a frame in that range. An alert line explains at most one
labelled frame, but any number of lines of its rule inside a burst explain that burst (the
filters may write one or a few of them). An alert that explains no label is extra.

Alert lines per labelled attack (the labels' "attack" names) are printed; with
--max-per-attack N an attack explained by more lines than N (or than its labels, when more
rules must name it) fails. With --incidents the
trace must give incident lines and every alert's incident_id must name one of them.

Exit status 0 when everything matched, 1 otherwise (the differences are printed), 2 when
ss7watch could not run.
"""

import argparse
import json
import struct
import subprocess
import sys


def load_expected(path):
    exp = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if "rule" in rec:
                exp.append(rec)
            for e in rec.get("expect", ()):
                d = dict(e)
                d.setdefault("frame", rec["frame"])
                d.setdefault("attack", rec.get("attack", ""))
                exp.append(d)
    return exp


def count_frames(path):
    """Records of a classic pcap file (either byte order, µs or ns)."""
    n = 0
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            rec = struct.Struct("<IIII")
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            rec = struct.Struct(">IIII")
        else:
            return None          # pcapng: not counted here
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            _, _, incl, _ = rec.unpack(h)
            f.seek(incl, 1)
            n += 1
    return n


def describe(a):
    comp = a.get("component", {})
    calling = a.get("sccp", {}).get("calling", {}).get("gt", "-")
    rel = [r.get("pcap_cnt") for r in a.get("related", [])]
    ev = a.get("evidence", {})
    return "frame %s rule %s threat %s op %s calling %s%s evidence %s" % (
        a.get("pcap_cnt"), a["alert"]["rule"], a["alert"]["threat"], comp.get("op", comp.get("opcode", "-")),
        calling, " related %s" % rel if rel else "", json.dumps(ev, sort_keys=True))


def named_frames(a):
    """The frames an alert line names: its pcap_cnt and those of its related messages."""
    return [a.get("pcap_cnt")] + [r.get("pcap_cnt") for r in a.get("related", [])]


def matches(e, a):
    if a["alert"]["rule"] != e["rule"]:
        return False
    frames = named_frames(a)
    if "frame_min" in e:
        return any(f is not None and e["frame_min"] <= f <= e["frame_max"] for f in frames)
    return e["frame"] in frames


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ss7watch", required=True, help="the ss7watch binary")
    ap.add_argument("--config", required=True, help="configuration file")
    ap.add_argument("--labels", help="expected alerts (JSON lines); none: the trace is benign")
    ap.add_argument("--min-frames", type=int, default=0,
                    help="fail unless the trace has at least this many frames")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the differences")
    ap.add_argument("--max-extra", type=int, default=30, help="extra alerts printed one by one")
    ap.add_argument("--max-per-attack", type=int, default=0,
                    help="fail when a labelled attack is explained by more alert lines than this")
    ap.add_argument("--incidents", action="store_true",
                    help="fail unless there are incident lines and every incident_id names one")
    ap.add_argument("trace")
    a = ap.parse_args(argv)

    if a.min_frames:
        n = count_frames(a.trace)
        if n is None or n < a.min_frames:
            print("FAIL %s: %s frames, expected at least %d" % (a.trace, n, a.min_frames))
            return 1
        if not a.quiet:
            print("%s: %d frames" % (a.trace, n))
    cmd = [a.ss7watch, "-c", a.config, "-o", "-", "-r", a.trace]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        print("cannot run %s: %s" % (a.ss7watch, e))
        return 2
    if p.returncode != 0:
        print("%s exited with %d: %s" % (" ".join(cmd), p.returncode, p.stderr.decode(errors="replace")))
        return 2
    alerts, incidents = [], []
    for line in p.stdout.decode(errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            print("not JSON on ss7watch's output: %r" % line[:200])
            return 1
        if ev.get("event_type") == "alert":
            alerts.append(ev)
        elif ev.get("event_type") == "incident":
            incidents.append(ev)

    expected = load_expected(a.labels) if a.labels else []
    used = [None] * len(alerts)          # the label each alert line explains
    missing, wrong_threat = [], []
    # labels with an exact frame first, bursts (ranges) last
    for e in sorted(expected, key=lambda e: "frame_min" in e):
        hit = None
        for i, al in enumerate(alerts):
            if used[i] is None and matches(e, al) and al["alert"]["threat"] == e["threat"]:
                hit = i
                break
        if hit is None:
            cand = [i for i, al in enumerate(alerts) if used[i] is None and matches(e, al)]
            if cand:
                wrong_threat.append((e, alerts[cand[0]]))
                used[cand[0]] = e
            else:
                missing.append(e)
            continue
        used[hit] = e
        # the other lines of its rule inside a burst are explained by it, however many
        if "frame_min" in e:
            for i, al in enumerate(alerts):
                if used[i] is None and matches(e, al) and al["alert"]["threat"] == e["threat"]:
                    used[i] = e
    by_attack = {}
    for i, e in enumerate(used):
        if e is not None:
            by_attack.setdefault(e.get("attack", ""), set()).add(i)
    extra = [al for i, al in enumerate(alerts) if used[i] is None]

    problems = []
    attacks = sorted(set(e.get("attack", "") for e in expected))
    if attacks:
        worst = max(attacks, key=lambda k: len(by_attack.get(k, ())))
        n_worst = len(by_attack.get(worst, ()))
        if not a.quiet:
            print("%d alert lines for %d labelled attacks: %.2f per attack, at most %d (%s)" % (
                len(alerts), len(attacks), len(alerts) / len(attacks), n_worst, worst))
        for k in attacks:
            # an attack that several rules must name (one message, four rules) needs that many
            limit = max(a.max_per_attack, len([e for e in expected if e.get("attack", "") == k]))
            if a.max_per_attack and len(by_attack.get(k, ())) > limit:
                problems.append("  TOO MANY %d alert lines for attack %r (at most %d)" % (
                    len(by_attack[k]), k, limit))
    if a.incidents:
        ids = set(i.get("incident_id") for i in incidents)
        if not incidents:
            problems.append("  NO INCIDENT lines")
        unnamed = [al for al in alerts if al.get("incident_id") not in ids]
        if unnamed:
            problems.append("  INCIDENT %d alert lines whose incident_id names no incident line (first: %s)" % (
                len(unnamed), describe(unnamed[0])))
        if not a.quiet:
            print("%d incident lines, %d alert lines, each naming one: %s" % (
                len(incidents), len(alerts), "no" if unnamed else "yes"))

    ok = not (missing or wrong_threat or extra or problems)
    name = a.trace
    if not a.quiet or not ok:
        print("%s %s: %d alerts, %d expected, %d matched" % (
            "PASS" if ok else "FAIL", name, len(alerts), len(expected),
            len(expected) - len(missing) - len(wrong_threat)))
    for e in missing:
        print("  MISSING  frame %s rule %s threat %s (%s)" % (
            e["frame"] if "frame_min" not in e else "%d-%d" % (e["frame_min"], e["frame_max"]),
            e["rule"], e["threat"], e.get("attack", "")))
    for e, al in wrong_threat:
        print("  THREAT   frame %s rule %s: expected %s, got: %s" % (e["frame"], e["rule"], e["threat"],
                                                                     describe(al)))
    for line in problems:
        print(line)
    for al in extra[:a.max_extra]:
        print("  EXTRA    %s" % describe(al))
    if len(extra) > a.max_extra:
        print("  ... %d more extra alerts" % (len(extra) - a.max_extra))
    if len(extra) > 1:
        by = {}
        for al in extra:
            k = (al["alert"]["rule"], al.get("component", {}).get("op", "-"))
            by[k] = by.get(k, 0) + 1
        print("  extra alerts by rule and operation:")
        for (rule, op), n in sorted(by.items(), key=lambda x: -x[1]):
            print("    %7d  %s  %s" % (n, rule, op))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
