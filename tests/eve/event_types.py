#!/usr/bin/env python3
"""Dump and alert lines in one EVE stream, as an operator gets them with --dump and -o:
every dump line starts with timestamp, event_type "map", pcap_cnt; every alert line with
timestamp, event_type "alert", pcap_cnt, and its alert object has gid 1 and the rev that
--list-rules gives its rule.

  event_types.py --ss7watch BIN --config CFG TRACE
"""
import argparse
import json
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ss7watch', required=True)
    ap.add_argument('--config', required=True)
    ap.add_argument('trace')
    a = ap.parse_args()

    run = lambda *args: subprocess.run([a.ss7watch] + list(args), check=True, capture_output=True,
                                       text=True).stdout.splitlines()
    rev = {l.split()[0]: int(l.split()[2]) for l in run('--list-rules')[1:]}
    lines = run('--dump', '-r', a.trace) + run('-c', a.config, '-o', '-', '-r', a.trace)
    count = {'map': 0, 'alert': 0}
    bad = 0
    for line in lines:
        o = json.loads(line)
        head = list(o)[:3]
        et = o.get('event_type')
        if head != ['timestamp', 'event_type', 'pcap_cnt'] or et not in count:
            print('bad head %s: %s' % (head, line[:120]))
            bad += 1
            continue
        count[et] += 1
        if (et == 'alert') != ('alert' in o):
            print('event_type %s with%s an alert object' % (et, '' if 'alert' in o else 'out'))
            bad += 1
        if et == 'alert':
            al = o['alert']
            if al.get('gid') != 1 or al.get('rev') != rev.get(al.get('rule')):
                print('alert %s: gid %s rev %s, --list-rules rev %s' % (al.get('rule'), al.get('gid'),
                                                                     al.get('rev'), rev.get(al.get('rule'))))
                bad += 1
    print('%d map lines, %d alert lines, %d bad' % (count['map'], count['alert'], bad))
    return 1 if bad or not count['map'] or not count['alert'] else 0


if __name__ == '__main__':
    sys.exit(main())
