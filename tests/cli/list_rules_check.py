#!/usr/bin/env python3
"""Compare `ss7watch --list-rules` with the rule catalogue: the X() table of
include/ss7watch/rules.h (id, sid, rev, name, category, threat, severity) and the table of
doc/rules.md (sid, id, category). With --config and --expect ID=SEVERITY,ENABLED, the listed
settings of those rules must be the configured ones (the others the catalogue's).

  list_rules_check.py --ss7watch BIN --rules-h rules.h --rules-md rules.md [--config CFG
                      --expect scan=2,no ...]
"""
import argparse
import re
import subprocess
import sys


def catalogue(rules_h):
    text = open(rules_h).read()
    # X(ENUM, "id", sid, rev, "name", "category", "threat", severity, threshold, window)
    pat = re.compile(r'X\(\s*\w+,\s*"([^"]+)",\s*(\d+),\s*(\d+),\s*"((?:[^"\\]|\\.)*)",\s*\\?\s*'
                     r'"([^"]+)",\s*"([^"]+)",\s*(\d+),', re.S)
    return [(m[0], int(m[1]), int(m[2]), m[3], m[4], m[5], int(m[6])) for m in pat.findall(text)]


def documented(rules_md):
    rows = []
    for line in open(rules_md):
        m = re.match(r'^\| (\d{7}) \| `([^`]+)` \| (\w+) \|', line)
        if m:
            rows.append((m[2], int(m[1]), m[3]))
    return rows


def listed(ss7watch, config):
    cmd = [ss7watch, '--list-rules'] + (['-c', config] if config else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()
    if out[0].split()[:7] != ['ID', 'SID', 'REV', 'CATEGORY', 'THREAT', 'SEVERITY', 'ENABLED']:
        sys.exit('unexpected header: %r' % out[0])
    rows = []
    for line in out[1:]:
        f = line.split(None, 7)
        rows.append((f[0], int(f[1]), int(f[2]), f[7], f[3], f[4], int(f[5]), f[6]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ss7watch', required=True)
    ap.add_argument('--rules-h', required=True)
    ap.add_argument('--rules-md', required=True)
    ap.add_argument('--config')
    ap.add_argument('--expect', nargs='*', default=[])
    a = ap.parse_args()

    cat = catalogue(a.rules_h)
    doc = documented(a.rules_md)
    got = listed(a.ss7watch, a.config)
    expect = {}
    for e in a.expect:
        rid, v = e.split('=')
        sev, en = v.split(',')
        expect[rid] = (int(sev), en)
    bad = 0
    if not cat:
        sys.exit('no rule found in ' + a.rules_h)
    if [r[:3] for r in doc] != [(c[0], c[1], c[4]) for c in cat]:
        print('doc/rules.md table and rules.h differ:\n  md: %s\n  h:  %s' % (doc, cat))
        bad += 1
    if len(got) != len(cat):
        print('%d rules listed, the catalogue has %d' % (len(got), len(cat)))
        bad += 1
    for c, g in zip(cat, got):
        sev, en = expect.get(c[0], (c[6], 'yes'))
        want = c[:6] + (sev, en)
        if g != want:
            print('listed %s\n  want %s' % (g, want))
            bad += 1
    print('%d rules listed, %d differences from the catalogue' % (len(got), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
