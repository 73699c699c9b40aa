#!/usr/bin/env python3
"""Compare the alerts of a cluster run with those of the single-box run: the multisets of
(rule, subscriber, threat), the subscriber being the IMSI, else the MSISDN, of the alert.
Prints what is missing and what is duplicated (or extra), and exits 1 when they differ or
the reference has fewer than --min alerts (a broken reference must not pass).

usage: compare_alerts.py [--min N] [--want-site] SINGLE.json CLUSTER.json
"""
import argparse
import collections
import json
import sys


def keys(path, want_site=False):
    c = collections.Counter()
    nosite = 0
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if d.get("event_type") != "alert":
                continue
            sub = d.get("subscriber") or {}
            c[(d["alert"]["rule"], sub.get("imsi") or sub.get("msisdn") or "", d["alert"]["threat"])] += 1
            if want_site and (d.get("site") not in ("a", "b") or "cluster" not in d):
                nosite += 1
    return c, nosite


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--min", type=int, default=20)
    ap.add_argument("--want-site", action="store_true")
    ap.add_argument("single")
    ap.add_argument("cluster")
    a = ap.parse_args()
    ref, _ = keys(a.single)
    got, nosite = keys(a.cluster, a.want_site)
    missing = ref - got
    extra = got - ref
    print("single-box alerts %d, cluster alerts %d, missing %d, duplicated or extra %d" %
          (sum(ref.values()), sum(got.values()), sum(missing.values()), sum(extra.values())))
    for k, n in sorted(missing.items()):
        print("MISSING %d x %s" % (n, k))
    for k, n in sorted(extra.items()):
        print("DUPLICATED/EXTRA %d x %s" % (n, k))
    rc = 0
    if sum(ref.values()) < a.min:
        print("REFERENCE has fewer than %d alerts" % a.min)
        rc = 1
    if nosite:
        print("NO SITE OR CLUSTER KEY in %d alert lines" % nosite)
        rc = 1
    if missing or extra:
        rc = 1
    if rc == 0:
        print("same multiset of (rule, subscriber, threat)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
